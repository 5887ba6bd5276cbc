/**
 * GetObject / HeadObject with PartNumber and ChecksumMode ENABLED answer the part's checksum (COMPOSITE uploads, and
 * FULL_OBJECT uploads of one part), none for a FULL_OBJECT upload of several parts, as LocalStack's AWS-validated
 * snapshots record (localstack#12842); the JS SDK validates it against the part's bytes.
 */
import {
  type ChecksumAlgorithm,
  type ChecksumType,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

describe("GetObject / HeadObject of one part with ChecksumMode ENABLED", () => {
  const t = useServer({}, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
  const field = (a: ChecksumAlgorithm) => `Checksum${a}` as "ChecksumCRC32";

  /** A multipart upload of `parts` with the algorithm and type; answers the checksum UploadPart returned for each part. */
  async function upload(key: string, algorithm: ChecksumAlgorithm, type: ChecksumType, parts: string[]) {
    const { UploadId } = await t.s3.send(new CreateMultipartUploadCommand({ Bucket: "parts", Key: key, ChecksumAlgorithm: algorithm, ChecksumType: type }));
    const done = [];
    for (const [i, body] of parts.entries()) {
      const r = await t.s3.send(new UploadPartCommand({ Bucket: "parts", Key: key, UploadId, PartNumber: i + 1, Body: body, ChecksumAlgorithm: algorithm }));
      done.push({ PartNumber: i + 1, ETag: r.ETag, [field(algorithm)]: r[field(algorithm)] });
    }
    const c = await t.s3.send(
      new CompleteMultipartUploadCommand({ Bucket: "parts", Key: key, UploadId, ChecksumType: type, MultipartUpload: { Parts: done } }),
    );
    return { parts: done.map((p) => p[field(algorithm)] as string), object: c[field(algorithm)] };
  }

  const part = (key: string, PartNumber: number) => ({ Bucket: "parts", Key: key, PartNumber, ChecksumMode: "ENABLED" as const });
  const read = async (key: string, n: number) => {
    const r = await t.s3.send(new GetObjectCommand(part(key, n)));
    return { ...r, text: await r.Body!.transformToString() };
  };
  const head = (key: string, n: number) => t.s3.send(new HeadObjectCommand(part(key, n)));

  it("a COMPOSITE upload answers each part's checksum, which the SDK checks against the part's bytes", async () => {
    await t.s3.send(new CreateBucketCommand({ Bucket: "parts" }));
    const up = await upload("composite", "CRC32", "COMPOSITE", ["first part ", "second part"]);
    expect(up.object).toMatch(/-2$/);
    const p1 = await read("composite", 1);
    expect(p1.text).toBe("first part ");
    expect(p1.ChecksumCRC32).toBe(up.parts[0]);
    expect(p1.ChecksumType).toBe("COMPOSITE");
    const p2 = await head("composite", 2);
    expect(p2.ChecksumCRC32).toBe(up.parts[1]);
    expect(p2.ContentLength).toBe(11);
    expect(p2.PartsCount).toBe(2);
    // Without ChecksumMode no checksum; the whole object keeps its composite.
    expect((await t.s3.send(new HeadObjectCommand({ Bucket: "parts", Key: "composite", PartNumber: 1 }))).ChecksumCRC32).toBeUndefined();
    expect((await t.s3.send(new HeadObjectCommand({ Bucket: "parts", Key: "composite", ChecksumMode: "ENABLED" }))).ChecksumCRC32).toBe(up.object);
  });

  it("a one-part COMPOSITE upload answers the part's checksum, not the object's …-1", async () => {
    const up = await upload("single", "SHA256", "COMPOSITE", ["only part"]);
    expect(up.object).toMatch(/-1$/);
    const p = await read("single", 1);
    expect(p.text).toBe("only part");
    expect(p.ChecksumSHA256).toBe(up.parts[0]);
    expect(p.ChecksumSHA256).not.toBe(up.object);
  });

  it("a FULL_OBJECT upload: one part answers its checksum (the object's); several parts answer none", async () => {
    const one = await upload("full-one", "CRC32C", "FULL_OBJECT", ["just this"]);
    const p = await head("full-one", 1);
    expect(p.ChecksumCRC32C).toBe(one.parts[0]);
    expect(p.ChecksumCRC32C).toBe(one.object);
    expect(p.ChecksumType).toBe("FULL_OBJECT");
    await upload("full-two", "CRC32C", "FULL_OBJECT", ["part one ", "part two"]);
    const q = await read("full-two", 2);
    expect(q.text).toBe("part two");
    expect(q.ChecksumCRC32C).toBeUndefined();
    expect(q.ChecksumType).toBeUndefined();
  });
});
