/**
 * S3 listings as AWS answered them in recorded scenarios (LocalStack's AWS-validated snapshots of
 * tests/aws/services/s3/test_s3_list_operations.py; each test names the snapshot key it replays).
 */
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
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

describe("TestS3ListParts::test_list_parts_via_object_attrs_pagination", () => {
  it("pages an object's parts, and a marker past the last part answers NextPartNumberMarker 0 (get-object-attrs-wrong-part)", async () => {
    const Key = "test-object-attrs-pagination";
    const { UploadId } = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: "SHA256" }));
    const Parts = [];
    for (const PartNumber of [1, 2]) {
      const p = await sim.s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: `part-${PartNumber}`, ChecksumAlgorithm: "SHA256" }));
      Parts.push({ PartNumber, ETag: p.ETag, ChecksumSHA256: p.ChecksumSHA256 });
    }
    await sim.s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts } }));
    const attrs = (MaxParts: number, PartNumberMarker?: string) =>
      sim.s3.send(new GetObjectAttributesCommand({ Bucket, Key, ObjectAttributes: ["ObjectParts"], MaxParts, PartNumberMarker }));
    const next = (await attrs(1, "1")).ObjectParts;
    expect(next).toMatchObject({ IsTruncated: false, MaxParts: 1, NextPartNumberMarker: "2", PartNumberMarker: "1", TotalPartsCount: 2 });
    expect(next?.Parts?.map((p) => p.PartNumber)).toEqual([2]);
    // (The JS SDK types the part markers as strings; boto3 parses them as numbers.)
    const past = (await attrs(1, "10")).ObjectParts;
    expect(past).toMatchObject({ IsTruncated: false, MaxParts: 1, NextPartNumberMarker: "0", PartNumberMarker: "10", TotalPartsCount: 2 });
    expect(past?.Parts ?? []).toEqual([]);
  });
});
