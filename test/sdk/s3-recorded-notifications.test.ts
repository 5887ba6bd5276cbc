/**
 * S3 event notifications to a Lambda function, as AWS was recorded answering (LocalStack's snapshots recorded against
 * AWS: tests/aws/services/s3/test_s3_notifications_lambda.snapshot.json, and the S3 event records and
 * PutBucketNotificationConfiguration errors of tests/aws/services/s3/test_s3_notifications_sqs.snapshot.json — the event
 * document inside those SQS messages is the one S3 sends a Lambda function). The function logs each event it gets;
 * the test reads it back from the function's CloudWatch Logs group.
 */
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectTaggingCommand,
  DeleteObjectsCommand,
  GetBucketNotificationConfigurationCommand,
  ListBucketsCommand,
  PutBucketNotificationConfigurationCommand,
  type PutBucketNotificationConfigurationCommandInput,
  PutBucketVersioningCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  RestoreObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { zip } from "./lambda-helpers.js";

// A one-minute S3 day: an Expedited GLACIER restore (5 minutes of a day) is ready in about 200 ms.
process.env.AWSIM_S3_DAY_SECONDS = "60";

const sim = useServer({ execute: true }, (cfg) => ({
  s3: new S3Client({ ...cfg, forcePathStyle: true }),
  lambda: new LambdaClient(cfg),
  logs: new CloudWatchLogsClient(cfg),
}));

const FN = "rec-s3-events";
let fnArn = "";
type S3Record = Record<string, any>;

beforeAll(async () => {
  const fn = await sim.lambda.send(
    new CreateFunctionCommand({
      FunctionName: FN,
      Runtime: "nodejs20.x",
      Handler: "index.handler",
      Role: "arn:aws:iam::000000000000:role/r",
      Code: { ZipFile: zip({ "index.js": "exports.handler = async (e) => { console.log('S3EVENT ' + JSON.stringify(e)); return {}; };" }) },
    }),
  );
  fnArn = fn.FunctionArn!;
  await sim.lambda.send(new AddPermissionCommand({ FunctionName: FN, StatementId: "1", Action: "lambda:InvokeFunction", Principal: "s3.amazonaws.com" }));
});

/** The records the function got for `bucket`, once there are `n` (and no more arrive shortly after). */
async function records(bucket: string, n: number): Promise<S3Record[]> {
  const read = async () => {
    const r = await sim.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${FN}`, filterPattern: "S3EVENT" })).catch(() => ({ events: [] }));
    return (r.events ?? [])
      .map((e) => JSON.parse(e.message!.slice(e.message!.indexOf("S3EVENT ") + 8).trim()) as { Records: S3Record[] })
      .flatMap((e) => e.Records)
      .filter((rec) => rec.s3.bucket.name === bucket);
  };
  let got: S3Record[] = [];
  for (let i = 0; i < 300 && got.length < n; i++) {
    await new Promise((r) => setTimeout(r, 50));
    got = await read();
  }
  await new Promise((r) => setTimeout(r, 200));
  return read();
}

async function bucketWithFunction(Bucket: string, Events: string[], extra: Record<string, unknown> = {}) {
  await sim.s3.send(new CreateBucketCommand({ Bucket }));
  await sim.s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket,
      NotificationConfiguration: { LambdaFunctionConfigurations: [{ LambdaFunctionArn: fnArn, Events: Events as never, ...extra }] },
    }),
  );
}

const md5 = (s: string) => createHash("md5").update(s).digest("hex");

/** The record's fields, in AWS's order (test_xray_header keeps the order of the document as S3 sent it). */
function expectRecord(r: S3Record, eventName: string, bucket: string, object: Record<string, unknown>, eventVersion = "2.1") {
  expect(Object.keys(r)).toEqual([
    "eventVersion",
    "eventSource",
    "awsRegion",
    "eventTime",
    "eventName",
    "userIdentity",
    "requestParameters",
    "responseElements",
    "s3",
  ]);
  expect(r).toMatchObject({ eventVersion, eventSource: "aws:s3", awsRegion: "us-east-1", eventName });
  expect(r.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  expect(Object.keys(r.userIdentity)).toEqual(["principalId"]);
  expect(Object.keys(r.requestParameters)).toEqual(["sourceIPAddress"]);
  expect(Object.keys(r.responseElements)).toEqual(["x-amz-request-id", "x-amz-id-2"]);
  expect(Object.keys(r.s3)).toEqual(["s3SchemaVersion", "configurationId", "bucket", "object"]);
  expect(r.s3.s3SchemaVersion).toBe("1.0");
  expect(typeof r.s3.configurationId).toBe("string");
  expect(Object.keys(r.s3.bucket)).toEqual(["name", "ownerIdentity", "arn"]);
  expect(r.s3.bucket).toEqual({ name: bucket, ownerIdentity: { principalId: expect.any(String) }, arn: `arn:aws:s3:::${bucket}` });
  const { sequencer, ...rest } = r.s3.object;
  expect(rest).toEqual(object);
  expect(Object.keys(rest)).toEqual(Object.keys(object));
  if ("sequencer" in r.s3.object) expect(sequencer).toMatch(/^[0-9A-F]+$/);
}

describe("TestS3NotificationsToLambda (recorded)", () => {
  it("test_create_object_put_via_dynamodb: the function gets the ObjectCreated:Put record", async () => {
    await bucketWithFunction("rec-n-put", ["s3:ObjectCreated:*"]);
    await sim.s3.send(new PutObjectCommand({ Bucket: "rec-n-put", Key: "table-1", Body: "something.." }));
    const [r, ...more] = await records("rec-n-put", 1);
    expect(more).toEqual([]);
    expectRecord(r!, "ObjectCreated:Put", "rec-n-put", { key: "table-1", size: 11, eTag: "e9fb1ed1d5eaa36781088aae37acffbd" });
    expect(Object.keys(r!.s3.object)).toEqual(["key", "size", "eTag", "sequencer"]);
  }, 30_000);

  it("test_create_object_by_presigned_request_via_dynamodb: a presigned PUT is ObjectCreated:Put, a presigned POST ObjectCreated:Post", async () => {
    await bucketWithFunction("rec-n-presigned", ["s3:ObjectCreated:*"]);
    const url = await getSignedUrl(sim.s3, new PutObjectCommand({ Bucket: "rec-n-presigned", Key: "table-2" }));
    expect((await fetch(url, { method: "PUT", body: "by_presigned_put" })).status).toBe(200);
    const post = await createPresignedPost(sim.s3, { Bucket: "rec-n-presigned", Key: "table-2" });
    const form = new FormData();
    for (const [k, v] of Object.entries(post.fields)) form.append(k, v);
    form.append("file", new Blob(["by post method 1"]), "file");
    expect((await fetch(post.url, { method: "POST", body: form })).status).toBe(204);
    const got = (await records("rec-n-presigned", 2)).sort((a, b) => (a.eventName < b.eventName ? -1 : 1));
    expect(got).toHaveLength(2);
    expectRecord(got[0]!, "ObjectCreated:Post", "rec-n-presigned", { key: "table-2", size: 16, eTag: "232d7472010db416df31c55fdc0490a5" });
    expectRecord(got[1]!, "ObjectCreated:Put", "rec-n-presigned", { key: "table-2", size: 16, eTag: "b0d833b208acd18be70a25c9323f210d" });
  }, 30_000);

  it("test_invalid_lambda_arn: an unparsable ARN, then a function that does not exist; SkipDestinationValidation stores it", async () => {
    const Bucket = "rec-n-invalid-arn";
    await sim.s3.send(new CreateBucketCommand({ Bucket }));
    const put = (LambdaFunctionArn: string, SkipDestinationValidation?: boolean) =>
      sim.s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket,
          SkipDestinationValidation,
          NotificationConfiguration: { LambdaFunctionConfigurations: [{ Id: "id123", Events: ["s3:ObjectCreated:*"], LambdaFunctionArn }] },
        }),
      );
    for (const skip of [false, true]) {
      const e = (await expectAwsError(put("invalid-queue", skip), {
        name: "InvalidArgument",
        status: 400,
        message: "The ARN could not be parsed",
      })) as unknown as Record<string, unknown>;
      expect([e.ArgumentName, e.ArgumentValue]).toEqual(["CloudFunction", "invalid-queue"]);
    }
    const arn = "arn:aws:lambda:us-east-1:000000000000:function:my-lambda";
    const e = (await expectAwsError(put(arn), {
      name: "InvalidArgument",
      status: 400,
      message: "Unable to validate the following destination configurations",
    })) as unknown as Record<string, unknown>;
    expect([e.ArgumentName1, e.ArgumentValue1]).toEqual([`${arn}, null`, `Not authorized to invoke function [${arn}]`]);
    await put(arn, true);
    const got = await sim.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    expect(got.LambdaFunctionConfigurations).toEqual([{ Events: ["s3:ObjectCreated:*"], Id: "id123", LambdaFunctionArn: arn }]);
  });
});

describe("TestS3NotificationsToSQS records, delivered to a function (recorded)", () => {
  it("test_object_created_put: a versioned bucket's records carry the version id PutObject answered", async () => {
    const Bucket = "rec-n-versioned";
    await bucketWithFunction(Bucket, ["s3:ObjectCreated:Put"]);
    await sim.s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    const o0 = await sim.s3.send(new PutObjectCommand({ Bucket, Key: "my_key_0", Body: "something" }));
    const o1 = await sim.s3.send(new PutObjectCommand({ Bucket, Key: "my_key_1", Body: "something else" }));
    const got = (await records(Bucket, 2)).sort((a, b) => a.s3.object.size - b.s3.object.size);
    expect(got).toHaveLength(2);
    expectRecord(got[0]!, "ObjectCreated:Put", Bucket, { key: "my_key_0", size: 9, eTag: "437b930db84b8079c2dd804a71936b5f", versionId: o0.VersionId });
    expectRecord(got[1]!, "ObjectCreated:Put", Bucket, { key: "my_key_1", size: 14, eTag: "6c7ba9c5a141421e1c03cb9807c97c74", versionId: o1.VersionId });
  }, 30_000);

  it("test_object_created_copy / test_object_created_and_object_removed: Copy carries size and eTag, Delete the key alone", async () => {
    const Bucket = "rec-n-copy";
    await bucketWithFunction(Bucket, ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]);
    await sim.s3.send(new PutObjectCommand({ Bucket, Key: "src-dest", Body: "something" }));
    await sim.s3.send(new CopyObjectCommand({ Bucket, CopySource: `${Bucket}/src-dest`, Key: "key-dest" }));
    await sim.s3.send(new DeleteObjectCommand({ Bucket, Key: "src-dest" }));
    const got = (await records(Bucket, 3)).sort((a, b) => (a.eventName < b.eventName ? -1 : 1));
    expect(got.map((r) => r.eventName)).toEqual(["ObjectCreated:Copy", "ObjectCreated:Put", "ObjectRemoved:Delete"]);
    const etag = "437b930db84b8079c2dd804a71936b5f";
    expectRecord(got[0]!, "ObjectCreated:Copy", Bucket, { key: "key-dest", size: 9, eTag: etag });
    expectRecord(got[1]!, "ObjectCreated:Put", Bucket, { key: "src-dest", size: 9, eTag: etag });
    expectRecord(got[2]!, "ObjectRemoved:Delete", Bucket, { key: "src-dest" });
    expect(Object.keys(got[2]!.s3.object)).toEqual(["key", "sequencer"]);
  }, 30_000);

  it("test_delete_objects: DeleteObjects sends ObjectRemoved:Delete for every key, existing or not", async () => {
    const Bucket = "rec-n-delete-objects";
    await bucketWithFunction(Bucket, ["s3:ObjectRemoved:*"]);
    await sim.s3.send(new PutObjectCommand({ Bucket, Key: "key-1", Body: "something" }));
    await sim.s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: "key-1" }, { Key: "dummy1" }, { Key: "dummy2" }], Quiet: true } }));
    const got = (await records(Bucket, 3)).sort((a, b) => (a.s3.object.key < b.s3.object.key ? -1 : 1));
    expect(got).toHaveLength(3);
    for (const [i, key] of ["dummy1", "dummy2", "key-1"].entries()) expectRecord(got[i]!, "ObjectRemoved:Delete", Bucket, { key });
  }, 30_000);

  it("test_object_created_complete_multipart_upload: ObjectCreated:CompleteMultipartUpload with the multipart eTag", async () => {
    const Bucket = "rec-n-multipart";
    await bucketWithFunction(Bucket, ["s3:ObjectCreated:*"]);
    const body = "1".repeat(6144);
    const { UploadId } = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "test-key" }));
    const part = await sim.s3.send(new UploadPartCommand({ Bucket, Key: "test-key", UploadId, PartNumber: 1, Body: body }));
    await sim.s3.send(
      new CompleteMultipartUploadCommand({ Bucket, Key: "test-key", UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }),
    );
    const [r, ...more] = await records(Bucket, 1);
    expect(more).toEqual([]);
    expectRecord(r!, "ObjectCreated:CompleteMultipartUpload", Bucket, { key: "test-key", size: 6144, eTag: "8eabe9d6b43316e840b079170916c079-1" });
  }, 30_000);

  it("test_key_encoding: the key is URL-encoded (a@b reads a%40b)", async () => {
    const Bucket = "rec-n-key-encoding";
    await bucketWithFunction(Bucket, ["s3:ObjectCreated:*"]);
    await sim.s3.send(new PutObjectCommand({ Bucket, Key: "a@b", Body: "something" }));
    const [r] = await records(Bucket, 1);
    expectRecord(r!, "ObjectCreated:Put", Bucket, { key: "a%40b", size: 9, eTag: "437b930db84b8079c2dd804a71936b5f" });
  }, 30_000);

  it("test_object_tagging_put_event / test_object_tagging_delete_event: eventVersion 2.3, the key and eTag only", async () => {
    const Bucket = "rec-n-tagging";
    await bucketWithFunction(Bucket, ["s3:ObjectTagging:Put"]);
    await sim.s3.send(new CreateBucketCommand({ Bucket: "rec-n-tagging-delete" }));
    await sim.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: "rec-n-tagging-delete",
        NotificationConfiguration: { LambdaFunctionConfigurations: [{ LambdaFunctionArn: fnArn, Events: ["s3:ObjectTagging:Delete"] }] },
      }),
    );
    for (const b of [Bucket, "rec-n-tagging-delete"]) {
      await sim.s3.send(new PutObjectCommand({ Bucket: b, Key: "key-dest", Body: "FooBarBlitz" }));
      await sim.s3.send(new PutObjectTaggingCommand({ Bucket: b, Key: "key-dest", Tagging: { TagSet: [{ Key: "swallow_type", Value: "african" }] } }));
    }
    await sim.s3.send(new DeleteObjectTaggingCommand({ Bucket: "rec-n-tagging-delete", Key: "key-dest" }));
    const [put, ...more] = await records(Bucket, 1);
    expect(more).toEqual([]);
    expectRecord(put!, "ObjectTagging:Put", Bucket, { key: "key-dest", eTag: md5("FooBarBlitz") }, "2.3");
    expect(md5("FooBarBlitz")).toBe("f3e6da48d914f3f04f6bd9cb092c044d");
    const [del, ...more2] = await records("rec-n-tagging-delete", 1);
    expect(more2).toEqual([]);
    expectRecord(del!, "ObjectTagging:Delete", "rec-n-tagging-delete", { key: "key-dest", eTag: "f3e6da48d914f3f04f6bd9cb092c044d" }, "2.3");
  }, 30_000);

  it("test_object_put_acl: ObjectAcl:Put (eventVersion 2.3) for each ACL change, none for a put that changes nothing", async () => {
    const Bucket = "rec-n-acl";
    await bucketWithFunction(Bucket, ["s3:ObjectAcl:Put"]);
    await sim.s3.send(new PutObjectCommand({ Bucket, Key: "my_key_acl", Body: "something" }));
    const { Owner } = await sim.s3.send(new ListBucketsCommand({}));
    await sim.s3.send(new PutObjectAclCommand({ Bucket, Key: "my_key_acl", ACL: "private" }));
    await sim.s3.send(new PutObjectAclCommand({ Bucket, Key: "my_key_acl", ACL: "public-read" }));
    await sim.s3.send(new PutObjectAclCommand({ Bucket, Key: "my_key_acl", GrantRead: 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"' }));
    await sim.s3.send(
      new PutObjectAclCommand({
        Bucket,
        Key: "my_key_acl",
        AccessControlPolicy: {
          Owner,
          Grants: [
            { Grantee: { ID: Owner!.ID, Type: "CanonicalUser" }, Permission: "FULL_CONTROL" },
            { Grantee: { URI: "http://acs.amazonaws.com/groups/s3/LogDelivery", Type: "Group" }, Permission: "WRITE" },
          ],
        },
      }),
    );
    const got = await records(Bucket, 3);
    expect(got).toHaveLength(3);
    for (const r of got) expectRecord(r, "ObjectAcl:Put", Bucket, { key: "my_key_acl", eTag: "437b930db84b8079c2dd804a71936b5f" }, "2.3");
  }, 30_000);

  it("test_restore_object: ObjectRestore:Post when the restore starts, ObjectRestore:Completed from S3 when it is done", async () => {
    const Bucket = "rec-n-restore";
    await bucketWithFunction(Bucket, ["s3:ObjectRestore:*"]);
    await sim.s3.send(new PutObjectCommand({ Bucket, Key: "my_key_restore", Body: "something", StorageClass: "GLACIER" }));
    await sim.s3.send(new RestoreObjectCommand({ Bucket, Key: "my_key_restore", RestoreRequest: { Days: 1, GlacierJobParameters: { Tier: "Expedited" } } }));
    const got = (await records(Bucket, 2)).sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0));
    expect(got.map((r) => r.eventName)).toEqual(["ObjectRestore:Post", "ObjectRestore:Completed"]);
    const object = { key: "my_key_restore", size: 9, eTag: "437b930db84b8079c2dd804a71936b5f" };
    expectRecord(got[0]!, "ObjectRestore:Post", Bucket, object);
    const { glacierEventData, ...done } = got[1]!;
    expectRecord(done, "ObjectRestore:Completed", Bucket, object);
    expect(Object.keys(got[1]!).slice(-1)).toEqual(["glacierEventData"]);
    expect(done.eventVersion).toBe("2.1");
    expect(done.userIdentity.principalId).toBe(`AmazonCustomer:${done.s3.bucket.ownerIdentity.principalId}`);
    expect(glacierEventData).toEqual({
      restoreEventData: {
        lifecycleRestorationExpiryTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        lifecycleRestoreStorageClass: "GLACIER",
      },
    });
  }, 30_000);

  it("test_notifications_with_filter: only keys matching prefix and suffix are sent; configurations read back", async () => {
    const Bucket = "rec-n-filter";
    await sim.s3.send(new CreateBucketCommand({ Bucket }));
    const Filter = {
      Key: {
        FilterRules: [
          { Name: "Prefix" as never, Value: "testupload/" },
          { Name: "Suffix" as never, Value: "testfile.txt" },
        ],
      },
    };
    const cfg: PutBucketNotificationConfigurationCommandInput = {
      Bucket,
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          { Id: "id0001", LambdaFunctionArn: fnArn, Events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"], Filter },
          { Id: "id0002", LambdaFunctionArn: fnArn, Events: ["s3:ObjectTagging:*"], Filter },
        ],
      },
    };
    await sim.s3.send(new PutBucketNotificationConfigurationCommand(cfg));
    const got = await sim.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    expect(got.LambdaFunctionConfigurations).toEqual(cfg.NotificationConfiguration!.LambdaFunctionConfigurations);
    await sim.s3.send(new PutObjectCommand({ Bucket, Key: "/testdata", Body: '{"test": "bucket_notification1"}' }));
    await sim.s3.send(new PutObjectCommand({ Bucket, Key: "testupload/dir1/testfile.txt", Body: '{"test": "bucket_notification2"}' }));
    const [r, ...more] = await records(Bucket, 1);
    expect(more).toEqual([]);
    expectRecord(r!, "ObjectCreated:Put", Bucket, { key: "testupload/dir1/testfile.txt", size: 32, eTag: "f527a5c9f427867aeaf091c134949aa0" });
    expect(r!.s3.configurationId).toBe("id0001");
    await sim.s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: {} }));
    const empty = await sim.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    expect(empty.LambdaFunctionConfigurations).toBeUndefined();
  }, 30_000);

  it("test_filter_rules_case_insensitive: rule names read back as Prefix and Suffix", async () => {
    const Bucket = "rec-n-case";
    await sim.s3.send(new CreateBucketCommand({ Bucket }));
    await sim.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        SkipDestinationValidation: true,
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [
            {
              LambdaFunctionArn: fnArn,
              Events: ["s3:ObjectCreated:*"],
              Filter: {
                Key: {
                  FilterRules: [
                    { Name: "suffix" as never, Value: ".txt" },
                    { Name: "PREFIX" as never, Value: "notif-" },
                  ],
                },
              },
            },
          ],
        },
      }),
    );
    const got = await sim.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    const rules = [...got.LambdaFunctionConfigurations![0]!.Filter!.Key!.FilterRules!].sort((a, b) => (a.Name! < b.Name! ? -1 : 1));
    expect(rules).toEqual([
      { Name: "Prefix", Value: "notif-" },
      { Name: "Suffix", Value: ".txt" },
    ]);
    expect(got.LambdaFunctionConfigurations![0]!.Id).toEqual(expect.any(String));
  });

  it("test_bucket_notification_with_invalid_filter_rules / test_multiple_invalid_sqs_arns: form errors come first", async () => {
    const Bucket = "rec-n-invalid-rules";
    await sim.s3.send(new CreateBucketCommand({ Bucket }));
    const QueueArn = "arn:aws:sqs:us-east-1:000000000000:q";
    const e = (await expectAwsError(
      sim.s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket,
          NotificationConfiguration: {
            QueueConfigurations: [
              { QueueArn, Events: ["s3:ObjectCreated:*"], Filter: { Key: { FilterRules: [{ Name: "INVALID" as never, Value: "does not matter" }] } } },
            ],
          },
        }),
      ),
      { name: "InvalidArgument", status: 400, message: "filter rule name must be either prefix or suffix" },
    )) as unknown as Record<string, unknown>;
    expect([e.ArgumentName, e.ArgumentValue]).toEqual(["FilterRule.Name", "INVALID"]);
    const queues = (a: string, b: string) =>
      sim.s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket,
          NotificationConfiguration: {
            QueueConfigurations: [
              { Id: "id1", Events: ["s3:ObjectCreated:*"], QueueArn: a },
              { Id: "id2", Events: ["s3:ObjectRemoved:*"], QueueArn: b },
            ],
          },
        }),
      );
    for (const [a, b, bad] of [
      ["invalid_arn", "invalid_arn_2", "invalid_arn"],
      [QueueArn, "invalid_arn_2", "invalid_arn_2"],
    ]) {
      const x = (await expectAwsError(queues(a!, b!), {
        name: "InvalidArgument",
        status: 400,
        message: "The ARN could not be parsed",
      })) as unknown as Record<string, unknown>;
      expect([x.ArgumentName, x.ArgumentValue]).toEqual(["Queue", bad]);
    }
  });

  it("two functions that do not exist are both named, numbered (as multiple-queues-do-not-exist)", async () => {
    const Bucket = "rec-n-two-missing";
    await sim.s3.send(new CreateBucketCommand({ Bucket }));
    const a = "arn:aws:lambda:us-east-1:000000000000:function:my-lambda";
    const b = "arn:aws:lambda:us-east-1:000000000000:function:my-lambda-2";
    const e = (await expectAwsError(
      sim.s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket,
          NotificationConfiguration: {
            LambdaFunctionConfigurations: [
              { Id: "id1", Events: ["s3:ObjectCreated:*"], LambdaFunctionArn: a },
              { Id: "id2", Events: ["s3:ObjectRemoved:*"], LambdaFunctionArn: b },
            ],
          },
        }),
      ),
      { name: "InvalidArgument", status: 400, message: "Unable to validate the following destination configurations" },
    )) as unknown as Record<string, unknown>;
    expect([e.ArgumentName1, e.ArgumentValue1, e.ArgumentName2, e.ArgumentValue2]).toEqual([
      `${a}, null`,
      `Not authorized to invoke function [${a}]`,
      `${b}, null`,
      `Not authorized to invoke function [${b}]`,
    ]);
  });
});
