/**
 * S3 object and bucket calls as AWS answered them in recorded scenarios (LocalStack's AWS-validated snapshots of
 * tests/aws/services/s3/test_s3_api.py and test_s3_preconditions.py; each test names the snapshot key it replays).
 */
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketTaggingCommand,
  GetObjectTaggingCommand,
  PutBucketTaggingCommand,
  PutObjectTaggingCommand,
  HeadObjectCommand,
  GetBucketNotificationConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { beforeEach, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: "s3" }, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
const Bucket = "recorded-api";
beforeEach(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket }));
});

describe("TestS3CopySourcePreconditions::test_s3_copy_object_preconditions", () => {
  it("a copy carrying the source's checksum names it but no ChecksumType (copy-success, copy-ignore-future-modified-since)", async () => {
    await sim.s3.send(new PutObjectCommand({ Bucket, Key: "source-object", Body: "data", ChecksumAlgorithm: "CRC32" }));
    const copy = await sim.s3.send(
      new CopyObjectCommand({ Bucket, Key: "dest-object", CopySource: `${Bucket}/source-object`, CopySourceIfNoneMatch: "etag123" }),
    );
    expect(copy.CopyObjectResult?.ChecksumCRC32).toBe("rfPzYw==");
    expect(copy.CopyObjectResult?.ETag).toBe('"8d777f385d3dfec8815d20f7496026dc"');
    expect(copy.CopyObjectResult?.ChecksumType).toBeUndefined();
    expect(copy.ServerSideEncryption).toBe("AES256");
    // Asking for another algorithm computes a new full-object checksum, which names its type.
    const recomputed = await sim.s3.send(new CopyObjectCommand({ Bucket, Key: "dest-2", CopySource: `${Bucket}/source-object`, ChecksumAlgorithm: "CRC32C" }));
    expect(recomputed.CopyObjectResult?.ChecksumCRC32C).toBe("rth90Q==");
    expect(recomputed.CopyObjectResult?.ChecksumType).toBe("FULL_OBJECT");
  });
});

describe("TestS3BucketObjectTagging::test_create_bucket_with_tags(_us_east_1_idempotency, _exc)", () => {
  it("CreateBucket applies CreateBucketConfiguration.Tags; a tagged re-create is BucketAlreadyOwnedByYou even in us-east-1", async () => {
    const name = "tagged-at-creation";
    await sim.s3.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { Tags: [{ Key: "tag1", Value: "value1" }] } }));
    expect((await sim.s3.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet).toEqual([{ Key: "tag1", Value: "value1" }]);
    // create-bucket-different-tags / create-bucket-with-same-tags: tags make the re-create an error.
    for (const Value of ["value2", "value1"])
      await expectAwsError(sim.s3.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { Tags: [{ Key: "tag1", Value }] } })), {
        name: "BucketAlreadyOwnedByYou",
        status: 409,
        message: "Your previous request to create the named bucket succeeded and you already own it.",
      });
    // create-bucket-with-no-tags: the untagged re-create stays idempotent and keeps the tags.
    await sim.s3.send(new CreateBucketCommand({ Bucket: name }));
    expect((await sim.s3.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet).toEqual([{ Key: "tag1", Value: "value1" }]);
    // tags-key-aws-bad-key: the tags follow PutBucketTagging's rules, and a refused request creates nothing.
    await expectAwsError(
      sim.s3.send(new CreateBucketCommand({ Bucket: "tagged-bad", CreateBucketConfiguration: { Tags: [{ Key: "test,test2", Value: "value1" }] } })),
      { name: "InvalidTag", status: 400, message: "The TagKey you have provided is invalid" },
    );
    await expectAwsError(sim.s3.send(new GetBucketTaggingCommand({ Bucket: "tagged-bad" })), { name: "NoSuchBucket", status: 404 });
  });
});

describe("TestS3DeletePrecondition::test_delete_object_if_match_non_express", () => {
  it("DeleteObject with If-Match deletes only a current object of that ETag (conditional deletes, general purpose buckets)", async () => {
    const { ETag } = await sim.s3.send(new PutObjectCommand({ Bucket, Key: "test-precondition", Body: "x" }));
    // delete-obj-if-match: another ETag is 412 and the object stays.
    await expectAwsError(sim.s3.send(new DeleteObjectCommand({ Bucket, Key: "test-precondition", IfMatch: "badvalue" })), {
      name: "PreconditionFailed",
      status: 412,
      message: "At least one of the pre-conditions you specified did not hold",
    });
    expect((await sim.s3.send(new HeadObjectCommand({ Bucket, Key: "test-precondition" }))).ETag).toBe(ETag);
    const ok = await sim.s3.send(new DeleteObjectCommand({ Bucket, Key: "test-precondition", IfMatch: ETag }));
    expect(ok.$metadata.httpStatusCode).toBe(204);
    // With the object gone, any If-Match (even "*") is NoSuchKey.
    await expectAwsError(sim.s3.send(new DeleteObjectCommand({ Bucket, Key: "test-precondition", IfMatch: "*" })), { name: "NoSuchKey", status: 404 });
  });

  it("DeleteObjects takes each object's ETag as its condition", async () => {
    const { ETag } = await sim.s3.send(new PutObjectCommand({ Bucket, Key: "a", Body: "x" }));
    await sim.s3.send(new PutObjectCommand({ Bucket, Key: "b", Body: "x" }));
    const r = await sim.s3.send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: {
          Objects: [
            { Key: "a", ETag },
            { Key: "b", ETag: '"0123"' },
            { Key: "gone", ETag },
          ],
        },
      }),
    );
    expect(r.Deleted?.map((d) => d.Key)).toEqual(["a"]);
    expect(r.Errors?.map((e) => [e.Key, e.Code])).toEqual([
      ["b", "PreconditionFailed"],
      ["gone", "NoSuchKey"],
    ]);
  });
});

describe("TestS3BucketNotificationConfiguration::test_bucket_notification_with_missing_values_in_rule", () => {
  const QueueArn = "arn:aws:sqs:us-east-1:000000000000:recorded-queue";
  const put = (FilterRules: Array<{ Name?: "prefix" | "suffix"; Value?: string }>) =>
    sim.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        NotificationConfiguration: { QueueConfigurations: [{ QueueArn, Events: ["s3:ObjectCreated:*"], Filter: { Key: { FilterRules } } }] },
      }),
    );
  it("a filter rule without its Name or Value is MalformedXML (invalid-rule-no-value, invalid-rule-no-name)", async () => {
    for (const rule of [{ Name: "prefix" as const }, { Value: "test" }])
      await expectAwsError(put([rule]), {
        name: "MalformedXML",
        status: 400,
        message: "The XML you provided was not well-formed or did not validate against our published schema",
      });
    await put([{ Name: "prefix", Value: "test" }]);
    const got = await sim.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    expect(got.QueueConfigurations?.[0]?.Filter?.Key?.FilterRules).toEqual([{ Name: "Prefix", Value: "test" }]);
  });
});

describe("TestS3BucketObjectTagging: tag documents that do not validate", () => {
  it("a Tag without its Key or Value is MalformedXML (test_tagging_validation: put-*-tags-none-key, put-*-tags-none-value)", async () => {
    await sim.s3.send(new PutObjectCommand({ Bucket, Key: "tagging-validation", Body: "" }));
    const malformed = {
      name: "MalformedXML",
      status: 400,
      message: "The XML you provided was not well-formed or did not validate against our published schema",
    };
    for (const TagSet of [[{ Value: "Val1" }], [{ Key: "key1" }]] as Array<Array<{ Key: string; Value: string }>>) {
      await expectAwsError(sim.s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet } })), malformed);
      await expectAwsError(sim.s3.send(new PutObjectTaggingCommand({ Bucket, Key: "tagging-validation", Tagging: { TagSet } })), malformed);
    }
  });

  it("an object Tagging document without a TagSet is taken and leaves no tags (test_put_object_tagging_none_value)", async () => {
    await sim.s3.send(new PutObjectCommand({ Bucket, Key: "test-empty-tag-set", Body: "test-tagging", Tagging: "a=b" }));
    await sim.s3.send(new PutObjectTaggingCommand({ Bucket, Key: "test-empty-tag-set", Tagging: {} as { TagSet: [] } }));
    expect((await sim.s3.send(new GetObjectTaggingCommand({ Bucket, Key: "test-empty-tag-set" }))).TagSet).toEqual([]);
  });

  it("CreateBucket words an aws: tag key its own way, naming no TagKey (test_create_bucket_with_tags_exc: tags-key-aws-prefix)", async () => {
    const err = await expectAwsError(
      sim.s3.send(new CreateBucketCommand({ Bucket: "tagged-aws", CreateBucketConfiguration: { Tags: [{ Key: "aws:test", Value: "value1" }] } })),
      {
        name: "InvalidTag",
        status: 400,
        message: 'User-defined tag keys can\'t start with "aws:". This prefix is reserved for system tags. Remove "aws:" from your tag keys and try again.',
      },
    );
    expect((err as unknown as { TagKey?: string }).TagKey).toBeUndefined();
  });
});
