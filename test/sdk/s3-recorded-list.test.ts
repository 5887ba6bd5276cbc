/**
 * S3 listings as AWS answered them in recorded scenarios (LocalStack's AWS-validated snapshots of
 * tests/aws/services/s3/test_s3_list_operations.py; each test names the snapshot key it replays).
 */
import { CreateBucketCommand, CreateMultipartUploadCommand, ListBucketsCommand, ListMultipartUploadsCommand, S3Client } from "@aws-sdk/client-s3";
import { beforeEach, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: "s3" }, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
const Bucket = "recorded-list";
beforeEach(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket }));
});

describe("TestS3ListMultipartUploads::test_list_multiparts_next_marker", () => {
  it("names no Prefix when the request gives none (list-multiparts-empty, list-multiparts-all)", async () => {
    const empty = await sim.s3.send(new ListMultipartUploadsCommand({ Bucket }));
    expect(empty.Prefix).toBeUndefined();
    expect([empty.KeyMarker, empty.UploadIdMarker, empty.NextKeyMarker, empty.NextUploadIdMarker]).toEqual(["", "", "", ""]);
    expect(empty.MaxUploads).toBe(1000);
    await sim.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "folder/a" }));
    const all = await sim.s3.send(new ListMultipartUploadsCommand({ Bucket }));
    expect(all.Prefix).toBeUndefined();
    expect(all.Uploads?.map((u) => u.Key)).toEqual(["folder/a"]);
    // A requested prefix is named back (list-multiparts-start of test_list_multipart_uploads_marker_common_prefixes).
    const withPrefix = await sim.s3.send(new ListMultipartUploadsCommand({ Bucket, Prefix: "folder/", Delimiter: "/" }));
    expect(withPrefix.Prefix).toBe("folder/");
  });
});

describe("TestS3ListBuckets::test_list_buckets_region_validation", () => {
  it("refuses a bucket-region that is no AWS Region (bad-region)", async () => {
    await expectAwsError(sim.s3.send(new ListBucketsCommand({ BucketRegion: "eu-east-1" })), {
      name: "InvalidArgument",
      status: 400,
      message: "Argument value eu-east-1 is not a valid AWS Region",
    });
    // A real Region with no buckets lists none; the buckets' own Region lists them.
    expect((await sim.s3.send(new ListBucketsCommand({ BucketRegion: "ap-southeast-6" }))).Buckets).toEqual([]);
    const here = await sim.s3.send(new ListBucketsCommand({ BucketRegion: "us-east-1" }));
    expect(here.Buckets?.map((b) => b.Name)).toEqual([Bucket]);
  });
});
