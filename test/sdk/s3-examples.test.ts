/**
 * S3 answers as AWS's documented examples show them (the aws CLI's examples and botocore's examples-1.json):
 * which members are present, and the values S3 fills in itself.
 */
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketReplicationCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { beforeEach, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: "s3" }, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
beforeEach(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket: "bkt" }));
});

/** S3's generated ids: the base64 of a random (v4) UUID, e.g. "MWIwNTkwZmItMTE3MS00ZTc3LWJkZDEtNzRmODQwYzc1OTQy". */
const expectGeneratedId = (id: string | undefined) =>
  expect(Buffer.from(id ?? "", "base64").toString()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

describe("GetBucketReplication (get-bucket-replication example)", () => {
  it("names an ID S3 assigned to a rule sent without one, and keeps a given ID", async () => {
    await sim.s3.send(new CreateBucketCommand({ Bucket: "bkt-backup" }));
    for (const Bucket of ["bkt", "bkt-backup"]) await sim.s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    const Role = "arn:aws:iam::123456789012:role/s3-replication-role";
    await sim.s3.send(
      new PutBucketReplicationCommand({
        Bucket: "bkt",
        ReplicationConfiguration: {
          Role,
          Rules: [{ Status: "Enabled", Prefix: "", Destination: { Bucket: "arn:aws:s3:::bkt-backup", StorageClass: "STANDARD" } }],
        },
      }),
    );
    const got = (await sim.s3.send(new GetBucketReplicationCommand({ Bucket: "bkt" }))).ReplicationConfiguration!;
    expect(got.Role).toBe(Role);
    expect(got.Rules).toHaveLength(1);
    expectGeneratedId(got.Rules![0]!.ID);
    expect(got.Rules![0]).toEqual({
      ID: got.Rules![0]!.ID,
      Status: "Enabled",
      Prefix: "",
      Destination: { Bucket: "arn:aws:s3:::bkt-backup", StorageClass: "STANDARD" },
    });
    // The put-bucket-replication example's rule (Filter, Priority, DeleteMarkerReplication), plus one named rule.
    await sim.s3.send(
      new PutBucketReplicationCommand({
        Bucket: "bkt",
        ReplicationConfiguration: {
          Role,
          Rules: [
            {
              Status: "Enabled",
              Priority: 1,
              DeleteMarkerReplication: { Status: "Disabled" },
              Filter: { Prefix: "" },
              Destination: { Bucket: "arn:aws:s3:::bkt-backup" },
            },
            {
              ID: "mine",
              Status: "Enabled",
              Priority: 2,
              DeleteMarkerReplication: { Status: "Disabled" },
              Filter: { Prefix: "logs/" },
              Destination: { Bucket: "arn:aws:s3:::bkt-backup" },
            },
          ],
        },
      }),
    );
    const rules = (await sim.s3.send(new GetBucketReplicationCommand({ Bucket: "bkt" }))).ReplicationConfiguration!.Rules!;
    expect(rules.map((r) => r.Priority)).toEqual([1, 2]);
    expectGeneratedId(rules[0]!.ID);
    expect(rules[1]!.ID).toBe("mine");
    expect(rules[0]).toMatchObject({
      Filter: { Prefix: "" },
      DeleteMarkerReplication: { Status: "Disabled" },
      Destination: { Bucket: "arn:aws:s3:::bkt-backup" },
    });
  });
});

describe("GetBucketNotificationConfiguration (get-bucket-notification-configuration example)", () => {
  it("names the Id S3 assigned to each configuration sent without one", async () => {
    await sim.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: "bkt",
        NotificationConfiguration: {
          TopicConfigurations: [{ TopicArn: "arn:aws:sns:us-east-1:123456789012:my-notification-topic", Events: ["s3:ObjectCreated:*"] }],
          QueueConfigurations: [
            { QueueArn: "arn:aws:sqs:us-east-1:123456789012:q", Events: ["s3:ObjectCreated:Put"] },
            { Id: "named", QueueArn: "arn:aws:sqs:us-east-1:123456789012:q", Events: ["s3:ObjectRemoved:*"] },
          ],
        },
      }),
    );
    const got = await sim.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: "bkt" }));
    expect(got.TopicConfigurations).toHaveLength(1);
    expectGeneratedId(got.TopicConfigurations![0]!.Id);
    expect(got.TopicConfigurations![0]).toEqual({
      Id: got.TopicConfigurations![0]!.Id,
      TopicArn: "arn:aws:sns:us-east-1:123456789012:my-notification-topic",
      Events: ["s3:ObjectCreated:*"],
    });
    expectGeneratedId(got.QueueConfigurations![0]!.Id);
    expect(got.QueueConfigurations![1]!.Id).toBe("named");
    expect(got.QueueConfigurations![0]!.Id).not.toBe(got.TopicConfigurations![0]!.Id);
  });

  it("reads key filter rule names back capitalized and refuses other names", async () => {
    const queue = (FilterRules: Array<{ Name: string; Value: string }>) =>
      sim.s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: "bkt",
          NotificationConfiguration: {
            QueueConfigurations: [
              { QueueArn: "arn:aws:sqs:us-east-1:123456789012:q", Events: ["s3:ObjectCreated:*"], Filter: { Key: { FilterRules: FilterRules as never } } },
            ],
          },
        }),
      );
    await queue([
      { Name: "prefix", Value: "images/" },
      { Name: "SUFFIX", Value: ".jpg" },
    ]);
    const got = await sim.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: "bkt" }));
    expect(got.QueueConfigurations![0]!.Filter!.Key!.FilterRules).toEqual([
      { Name: "Prefix", Value: "images/" },
      { Name: "Suffix", Value: ".jpg" },
    ]);
    await expectAwsError(queue([{ Name: "other", Value: "x" }]), {
      name: "InvalidArgument",
      status: 400,
      message: "filter rule name must be either prefix or suffix",
    });
    await expectAwsError(
      queue([
        { Name: "prefix", Value: "a" },
        { Name: "Prefix", Value: "b" },
      ]),
      { name: "InvalidArgument", status: 400, message: "Cannot specify more than one prefix rule in a filter." },
    );
  });
});

describe("multipart (complete-multipart-upload and upload-part-copy examples)", () => {
  it("Location is the object's https URL with the key percent-encoded; CopyPartResult's LastModified is whole seconds", async () => {
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "src", Body: "0123456789" }));
    const { UploadId } = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket: "bkt", Key: "multipart/01" }));
    const p1 = await sim.s3.send(new UploadPartCommand({ Bucket: "bkt", Key: "multipart/01", UploadId, PartNumber: 1, Body: "abc" }));
    const p2 = await sim.s3.send(new UploadPartCopyCommand({ Bucket: "bkt", Key: "multipart/01", UploadId, PartNumber: 2, CopySource: "bkt/src" }));
    expect(p2.CopyPartResult!.ETag).toBe('"781e5e245d69b566979b86e28d23f2c7"');
    expect(p2.CopyPartResult!.LastModified!.getUTCMilliseconds()).toBe(0);
    const done = await sim.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: "bkt",
        Key: "multipart/01",
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: p1.ETag },
            { PartNumber: 2, ETag: p2.CopyPartResult!.ETag },
          ],
        },
      }),
    );
    expect(done.Location).toBe("https://bkt.s3.amazonaws.com/multipart%2F01");
    expect(done).toMatchObject({ Bucket: "bkt", Key: "multipart/01" });
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-2"$/);
  });
});

describe("GetBucketLifecycleConfiguration (get-bucket-lifecycle-configuration example)", () => {
  it("names an ID S3 assigned to a rule sent without one", async () => {
    await sim.s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: "bkt",
        LifecycleConfiguration: {
          Rules: [
            { Status: "Enabled", Filter: { Prefix: "" }, NoncurrentVersionTransitions: [{ NoncurrentDays: 2, StorageClass: "GLACIER" }] },
            { ID: "TestOnly", Status: "Enabled", Filter: { Prefix: "documents/" }, Expiration: { Days: 3650 } },
          ],
        },
      }),
    );
    const got = await sim.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: "bkt" }));
    expect(got.TransitionDefaultMinimumObjectSize).toBe("all_storage_classes_128K");
    expectGeneratedId(got.Rules![0]!.ID);
    expect(got.Rules![0]).toEqual({
      ID: got.Rules![0]!.ID,
      Status: "Enabled",
      Filter: { Prefix: "" },
      NoncurrentVersionTransitions: [{ NoncurrentDays: 2, StorageClass: "GLACIER" }],
    });
    expect(got.Rules![1]).toEqual({ ID: "TestOnly", Status: "Enabled", Filter: { Prefix: "documents/" }, Expiration: { Days: 3650 } });
  });

  it("keeps the TransitionDefaultMinimumObjectSize it was put with; an unknown one is InvalidRequest", async () => {
    const put = (TransitionDefaultMinimumObjectSize?: string) =>
      sim.s3.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: "bkt",
          TransitionDefaultMinimumObjectSize: TransitionDefaultMinimumObjectSize as never,
          LifecycleConfiguration: { Rules: [{ ID: "r", Status: "Enabled", Filter: {}, Transitions: [{ Days: 30, StorageClass: "GLACIER" }] }] },
        }),
      );
    expect((await put("varies_by_storage_class")).TransitionDefaultMinimumObjectSize).toBe("varies_by_storage_class");
    expect((await sim.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: "bkt" }))).TransitionDefaultMinimumObjectSize).toBe(
      "varies_by_storage_class",
    );
    await expectAwsError(put("all_storage_classes_64K"), {
      name: "InvalidRequest",
      status: 400,
      message: "Invalid TransitionDefaultMinimumObjectSize found: all_storage_classes_64K",
    });
    expect((await put()).TransitionDefaultMinimumObjectSize).toBe("all_storage_classes_128K");
    expect((await sim.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: "bkt" }))).TransitionDefaultMinimumObjectSize).toBe(
      "all_storage_classes_128K",
    );
  });
});

describe("ListParts / ListMultipartUploads (list-parts example)", () => {
  it("an upload an IAM user started names the user's ARN and name as Initiator; the account's owns it", async () => {
    const iam = new IAMClient(clientConfig(sim.server));
    await iam.send(new CreateUserCommand({ UserName: "username" }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: "username" }))).AccessKey!;
    const asUser = new S3Client({
      ...clientConfig(sim.server),
      credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! },
      forcePathStyle: true,
    });
    const { UploadId } = await asUser.send(new CreateMultipartUploadCommand({ Bucket: "bkt", Key: "multipart/01" }));
    const parts = await sim.s3.send(new ListPartsCommand({ Bucket: "bkt", Key: "multipart/01", UploadId }));
    expect(parts.Initiator).toEqual({ ID: "arn:aws:iam::000000000000:user/username", DisplayName: "username" });
    expect(parts.Owner!.ID).toMatch(/^[0-9a-f]{64}$/);
    expect(parts.StorageClass).toBe("STANDARD");
    const uploads = await sim.s3.send(new ListMultipartUploadsCommand({ Bucket: "bkt" }));
    expect(uploads.Uploads!.map((u) => u.Initiator)).toEqual([{ ID: "arn:aws:iam::000000000000:user/username", DisplayName: "username" }]);
    // The account's own upload names its canonical user as both.
    const own = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket: "bkt", Key: "mine" }));
    const mine = await sim.s3.send(new ListPartsCommand({ Bucket: "bkt", Key: "mine", UploadId: own.UploadId }));
    expect(mine.Initiator).toEqual(mine.Owner);
  });
});

describe("GetBucketVersioning (botocore's GetBucketVersioning example)", () => {
  it("reports MFADelete once a configuration named it, and not before", async () => {
    expect(await sim.s3.send(new GetBucketVersioningCommand({ Bucket: "bkt" }))).not.toHaveProperty("Status");
    await sim.s3.send(new PutBucketVersioningCommand({ Bucket: "bkt", VersioningConfiguration: { Status: "Enabled" } }));
    const plain = await sim.s3.send(new GetBucketVersioningCommand({ Bucket: "bkt" }));
    expect([plain.Status, plain.MFADelete]).toEqual(["Enabled", undefined]);
    await sim.s3.send(new PutBucketVersioningCommand({ Bucket: "bkt", VersioningConfiguration: { Status: "Enabled", MFADelete: "Disabled" } }));
    const got = await sim.s3.send(new GetBucketVersioningCommand({ Bucket: "bkt" }));
    expect([got.Status, got.MFADelete]).toEqual(["Enabled", "Disabled"]);
    // A later configuration without it keeps the setting.
    await sim.s3.send(new PutBucketVersioningCommand({ Bucket: "bkt", VersioningConfiguration: { Status: "Suspended" } }));
    const later = await sim.s3.send(new GetBucketVersioningCommand({ Bucket: "bkt" }));
    expect([later.Status, later.MFADelete]).toEqual(["Suspended", "Disabled"]);
  });
});
