/**
 * CompleteMultipartUpload's whole-object assertions: the x-amz-checksum-type and x-amz-checksum-<alg> headers
 * are checked against the upload (BadDigest when they disagree, as S3 documents), and a failed completion
 * leaves the upload in place to be completed correctly.
 */
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { beforeEach, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: "s3" }, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED" }) }));
const Bucket = "mpu-sums";
const body = Buffer.from("x".repeat(100));
const crcOf = (b: Buffer) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(b));
  return out.toString("base64");
};

beforeEach(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket }));
});

async function upload(Key: string, ChecksumType: "FULL_OBJECT" | "COMPOSITE") {
  const { UploadId } = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: "CRC32", ChecksumType }));
  const part = await sim.s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: body, ChecksumCRC32: crcOf(body) }));
  expect(part.ChecksumCRC32).toBe(crcOf(body));
  const Parts = [{ PartNumber: 1, ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32 }];
  return { Key, UploadId: UploadId!, Parts };
}
type Upload = Awaited<ReturnType<typeof upload>>;
/** CompleteMultipartUpload of `u` with the given whole-object assertions. */
const complete = (u: Upload, extra: { ChecksumType?: "FULL_OBJECT" | "COMPOSITE"; ChecksumCRC32?: string } = {}) =>
  sim.s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: u.Key, UploadId: u.UploadId, MultipartUpload: { Parts: u.Parts }, ...extra }));
const mismatch = { name: "BadDigest", status: 400, message: "The crc32 you specified did not match the calculated checksum." };

describe("CompleteMultipartUpload checksum assertions", () => {
  it("a checksum type other than the upload's is BadDigest, either way round; the upload survives", async () => {
    const full = await upload("full", "FULL_OBJECT");
    const err = await expectAwsError(complete(full, { ChecksumType: "COMPOSITE" }), { name: "BadDigest", status: 400 });
    expect(err.message).toContain("FULL_OBJECT");
    const comp = await upload("comp", "COMPOSITE");
    await expectAwsError(complete(comp, { ChecksumType: "FULL_OBJECT" }), { name: "BadDigest", status: 400 });
    const open = await sim.s3.send(new ListMultipartUploadsCommand({ Bucket }));
    expect(open.Uploads?.map((u) => u.Key).sort()).toEqual(["comp", "full"]);
    // The matching type completes.
    const done = await complete(full, { ChecksumType: "FULL_OBJECT" });
    expect(done.ChecksumType).toBe("FULL_OBJECT");
    expect(done.ChecksumCRC32).toBe(crcOf(body));
  });

  it("a whole-object checksum that is not the object's is BadDigest; the right one completes", async () => {
    const full = await upload("full", "FULL_OBJECT");
    await expectAwsError(complete(full, { ChecksumCRC32: "AAAAAA==" }), mismatch);
    const done = await complete(full, { ChecksumCRC32: crcOf(body) });
    expect(done.ChecksumCRC32).toBe(crcOf(body));
    const got = await sim.s3.send(new GetObjectCommand({ Bucket, Key: "full" }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
  });

  it("a composite upload checks the checksum of the parts' checksums", async () => {
    const comp = await upload("comp", "COMPOSITE");
    await expectAwsError(complete(comp, { ChecksumCRC32: "AAAAAA==-1" }), mismatch);
    const composite = `${crcOf(Buffer.from(crcOf(body), "base64"))}-1`;
    const done = await complete(comp, { ChecksumCRC32: composite });
    expect(done.ChecksumType).toBe("COMPOSITE");
    expect(done.ChecksumCRC32).toBe(composite);
    expect(done.ETag).toBe(
      `"${createHash("md5")
        .update(Buffer.from(createHash("md5").update(body).digest("hex"), "hex"))
        .digest("hex")}-1"`,
    );
  });
});
