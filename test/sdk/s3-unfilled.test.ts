/**
 * S3 output members no test had read back (the AWSIM_FILLED_REPORT run): UploadPartCopy names the source version it
 * copied ("The version of the source object that was copied, if you have enabled versioning on the source bucket"),
 * and the ACL operations answer no x-amz-version-id (GetObjectAclOutput and PutObjectAclOutput declare none).
 */
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectAclCommand,
  PutBucketVersioningCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const t = useServer({}, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));

describe("S3 answers", () => {
  it("UploadPartCopy names the source version when the source bucket is versioned, and none otherwise", async () => {
    for (const b of ["upc-src", "upc-plain", "upc-dst"]) await t.s3.send(new CreateBucketCommand({ Bucket: b }));
    await t.s3.send(new PutBucketVersioningCommand({ Bucket: "upc-src", VersioningConfiguration: { Status: "Enabled" } }));
    const v1 = (await t.s3.send(new PutObjectCommand({ Bucket: "upc-src", Key: "k", Body: "first" }))).VersionId!;
    await t.s3.send(new PutObjectCommand({ Bucket: "upc-src", Key: "k", Body: "second" }));
    await t.s3.send(new PutObjectCommand({ Bucket: "upc-plain", Key: "k", Body: "plain" }));
    const { UploadId } = await t.s3.send(new CreateMultipartUploadCommand({ Bucket: "upc-dst", Key: "m" }));
    const copied = await t.s3.send(
      new UploadPartCopyCommand({ Bucket: "upc-dst", Key: "m", UploadId, PartNumber: 1, CopySource: `upc-src/k?versionId=${encodeURIComponent(v1)}` }),
    );
    expect(copied.CopySourceVersionId).toBe(v1);
    expect(copied.CopyPartResult?.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    const plain = await t.s3.send(new UploadPartCopyCommand({ Bucket: "upc-dst", Key: "m", UploadId, PartNumber: 2, CopySource: "upc-plain/k" }));
    expect(plain.CopySourceVersionId).toBeUndefined();
  });

  it("GetObjectAcl and PutObjectAcl answer no version header", async () => {
    await t.s3.send(new CreateBucketCommand({ Bucket: "acl-v" }));
    await t.s3.send(new PutBucketVersioningCommand({ Bucket: "acl-v", VersioningConfiguration: { Status: "Enabled" } }));
    await t.s3.send(new PutObjectCommand({ Bucket: "acl-v", Key: "k", Body: "x" }));
    const put = await t.s3.send(new PutObjectAclCommand({ Bucket: "acl-v", Key: "k", ACL: "private" }));
    expect(put.$metadata.httpStatusCode).toBe(200);
    // The raw answer's headers (the SDK drops a header its output does not declare).
    const get = new GetObjectAclCommand({ Bucket: "acl-v", Key: "k" });
    let headers: Record<string, string> = {};
    get.middlewareStack.add(
      (next) => async (args) => {
        const out = await next(args);
        headers = (out.response as { headers: Record<string, string> }).headers;
        return out;
      },
      { step: "deserialize" },
    );
    await t.s3.send(get);
    expect(headers["x-amz-request-id"]).toMatch(/^[0-9A-F]{16}$/);
    expect(headers["x-amz-version-id"]).toBeUndefined();
    const acl = await t.s3.send(new GetObjectAclCommand({ Bucket: "acl-v", Key: "k" }));
    expect(acl.Grants?.[0]?.Permission).toBe("FULL_CONTROL");
  });
});
