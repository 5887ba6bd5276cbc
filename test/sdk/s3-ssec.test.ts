/** SSE-C at rest: bodies stored encrypted under the customer key (memory, data-dir files, snapshots), every read path needs the key. */
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  SelectObjectContentCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { ssec } from "./s3-fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "awsim-ssec-"));

const key1 = randomBytes(32);
const key2 = randomBytes(32);
const srcKey = (k: Buffer) => {
  const s = ssec(k);
  return {
    CopySourceSSECustomerAlgorithm: s.SSECustomerAlgorithm,
    CopySourceSSECustomerKey: s.SSECustomerKey,
    CopySourceSSECustomerKeyMD5: s.SSECustomerKeyMD5,
  };
};

/** A body whose plaintext is easy to find: a marker repeated (and a counter so ranges are distinguishable). */
function marked(tag: string, size: number): NonSharedBuffer {
  const parts: string[] = [];
  let n = 0;
  let len = 0;
  while (len < size) {
    const s = `${tag}-PLAINTEXT-${n++};`;
    parts.push(s);
    len += s.length;
  }
  return Buffer.from(parts.join("").slice(0, size));
}

/** Every file under dir (data-dir bodies, snapshots) that contains `needle`; a file the server unlinks meanwhile holds nothing. */
function filesContaining(root: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      try {
        if (statSync(p).isDirectory()) walk(p);
        else if (readFileSync(p).includes(needle)) hits.push(p);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      }
    }
  };
  walk(root);
  return hits;
}

const text = async (p: Promise<{ Body?: { transformToByteArray(): Promise<Uint8Array> } }>) => Buffer.from(await (await p).Body!.transformToByteArray());

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
const sim = useServer({ dataDir: dir }, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
beforeAll(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket: "enc" }));
});

describe("SSE-C bodies at rest", () => {
  it("a large body is stored encrypted in the data dir and reads back (whole and ranged) only with its key", async () => {
    const body = marked("BIG", 700_000);
    await sim.s3.send(new PutObjectCommand({ Bucket: "enc", Key: "big", Body: body, ...ssec(key1) }));
    await sim.s3.send(new PutObjectCommand({ Bucket: "enc", Key: "control", Body: marked("CONTROL", 300_000) }));
    // The control object (no customer key) is in the data dir in plain text: the scan does find plaintext.
    expect(filesContaining(dir, "CONTROL-PLAINTEXT-7;").length).toBe(1);
    expect(filesContaining(dir, "BIG-PLAINTEXT-")).toEqual([]);
    expect((await text(sim.s3.send(new GetObjectCommand({ Bucket: "enc", Key: "big", ...ssec(key1) })))).equals(body)).toBe(true);
    // Ranges at offsets that are not multiples of the cipher block.
    for (const [a, b] of [
      [0, 0],
      [1, 16],
      [15, 17],
      [123_457, 400_001],
      [699_990, 699_999],
    ] as const) {
      const got = await text(sim.s3.send(new GetObjectCommand({ Bucket: "enc", Key: "big", Range: `bytes=${a}-${b}`, ...ssec(key1) })));
      expect(got.equals(body.subarray(a, b + 1))).toBe(true);
    }
    const tail = await text(sim.s3.send(new GetObjectCommand({ Bucket: "enc", Key: "big", Range: "bytes=-5", ...ssec(key1) })));
    expect(tail.equals(body.subarray(body.length - 5))).toBe(true);
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "enc", Key: "big" })), { name: "InvalidRequest", status: 400 });
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "enc", Key: "big", Range: "bytes=0-9", ...ssec(key2) })), {
      name: "AccessDenied",
      status: 403,
    });
  });

  it("small bodies are kept encrypted in memory: a snapshot of the state holds no plaintext, and restores readable", async () => {
    const body = marked("SMALL", 2_000);
    await sim.s3.send(new PutObjectCommand({ Bucket: "enc", Key: "small", Body: body, ...ssec(key1) }));
    await sim.s3.send(new PutObjectCommand({ Bucket: "enc", Key: "small-plain", Body: marked("VISIBLE", 500) }));
    await sim.server.snapshot("ssec");
    // The plain object is in the snapshot as text: the scan finds what is not encrypted.
    expect(filesContaining(dir, "VISIBLE-PLAINTEXT-3;").length).toBeGreaterThan(0);
    expect(filesContaining(dir, "SMALL-PLAINTEXT-")).toEqual([]);
    await sim.s3.send(new PutObjectCommand({ Bucket: "enc", Key: "small", Body: "overwritten" }));
    await sim.server.restore("ssec");
    expect((await text(sim.s3.send(new GetObjectCommand({ Bucket: "enc", Key: "small", ...ssec(key1) })))).equals(body)).toBe(true);
    const mid = await text(sim.s3.send(new GetObjectCommand({ Bucket: "enc", Key: "small", Range: "bytes=33-1033", ...ssec(key1) })));
    expect(mid.equals(body.subarray(33, 1034))).toBe(true);
  });

  it("multipart parts are encrypted each with their own IV; ranges across parts and partNumber reads decrypt", async () => {
    const p1 = marked("MPA", 5 * 1024 * 1024);
    const p2 = marked("MPB", 1_000_003);
    const mpu = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket: "enc", Key: "mp", ...ssec(key2) }));
    const e1 = await sim.s3.send(new UploadPartCommand({ Bucket: "enc", Key: "mp", UploadId: mpu.UploadId, PartNumber: 1, Body: p1, ...ssec(key2) }));
    const e2 = await sim.s3.send(new UploadPartCommand({ Bucket: "enc", Key: "mp", UploadId: mpu.UploadId, PartNumber: 2, Body: p2, ...ssec(key2) }));
    // ETags are of the plaintext, as the client computed them.
    expect(e2.ETag).toBe(`"${createHash("md5").update(p2).digest("hex")}"`);
    await sim.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: "enc",
        Key: "mp",
        UploadId: mpu.UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: e1.ETag },
            { PartNumber: 2, ETag: e2.ETag },
          ],
        },
      }),
    );
    expect(filesContaining(dir, "MPA-PLAINTEXT-")).toEqual([]);
    expect(filesContaining(dir, "MPB-PLAINTEXT-")).toEqual([]);
    const all = Buffer.concat([p1, p2]);
    expect((await text(sim.s3.send(new GetObjectCommand({ Bucket: "enc", Key: "mp", ...ssec(key2) })))).equals(all)).toBe(true);
    const across = await text(
      sim.s3.send(new GetObjectCommand({ Bucket: "enc", Key: "mp", Range: `bytes=${p1.length - 7}-${p1.length + 20}`, ...ssec(key2) })),
    );
    expect(across.equals(all.subarray(p1.length - 7, p1.length + 21))).toBe(true);
    const second = await text(sim.s3.send(new GetObjectCommand({ Bucket: "enc", Key: "mp", PartNumber: 2, ...ssec(key2) })));
    expect(second.equals(p2)).toBe(true);
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "enc", Key: "mp", PartNumber: 2, ...ssec(key1) })), { name: "AccessDenied", status: 403 });
  });

  it("CopyObject deciphers with the source key and enciphers under the destination's (or stores plain)", async () => {
    const body = marked("COPY", 400_000);
    await sim.s3.send(new PutObjectCommand({ Bucket: "enc", Key: "c-src", Body: body, ...ssec(key1) }));
    await expectAwsError(sim.s3.send(new CopyObjectCommand({ Bucket: "enc", Key: "c1", CopySource: "enc/c-src" })), { name: "InvalidRequest", status: 400 });
    await expectAwsError(sim.s3.send(new CopyObjectCommand({ Bucket: "enc", Key: "c1", CopySource: "enc/c-src", ...srcKey(key2) })), {
      name: "AccessDenied",
      status: 403,
    });
    // Key rotation in place: the object is re-encrypted under key2.
    await sim.s3.send(new CopyObjectCommand({ Bucket: "enc", Key: "c-src", CopySource: "enc/c-src", ...srcKey(key1), ...ssec(key2) }));
    expect(filesContaining(dir, "COPY-PLAINTEXT-")).toEqual([]);
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "enc", Key: "c-src", ...ssec(key1) })), { name: "AccessDenied", status: 403 });
    expect((await text(sim.s3.send(new GetObjectCommand({ Bucket: "enc", Key: "c-src", ...ssec(key2) })))).equals(body)).toBe(true);
    // Decrypted copy: readable without a key, and then in plain text on disk (as any unencrypted object).
    await sim.s3.send(new CopyObjectCommand({ Bucket: "enc", Key: "c-plain", CopySource: "enc/c-src", ...srcKey(key2) }));
    expect((await text(sim.s3.send(new GetObjectCommand({ Bucket: "enc", Key: "c-plain" })))).equals(body)).toBe(true);
    expect(filesContaining(dir, "COPY-PLAINTEXT-").length).toBe(1);
    // Plain source to an SSE-C destination.
    await sim.s3.send(new PutObjectCommand({ Bucket: "enc", Key: "p-src", Body: marked("PSRC", 300_000) }));
    await sim.s3.send(new CopyObjectCommand({ Bucket: "enc", Key: "p-enc", CopySource: "enc/p-src", ...ssec(key1) }));
    expect(filesContaining(dir, "PSRC-PLAINTEXT-").length).toBe(1);
    expect((await text(sim.s3.send(new GetObjectCommand({ Bucket: "enc", Key: "p-enc", Range: "bytes=5-25", ...ssec(key1) })))).toString()).toBe(
      marked("PSRC", 300_000).subarray(5, 26).toString(),
    );
  });

  it("UploadPartCopy from an SSE-C source needs its key; parts land encrypted under the upload's key", async () => {
    const body = marked("UPC", 300_000);
    await sim.s3.send(new PutObjectCommand({ Bucket: "enc", Key: "u-src", Body: body, ...ssec(key1) }));
    const mpu = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket: "enc", Key: "u-dst", ...ssec(key2) }));
    const base = { Bucket: "enc", Key: "u-dst", UploadId: mpu.UploadId, CopySource: "enc/u-src" };
    await expectAwsError(sim.s3.send(new UploadPartCopyCommand({ ...base, PartNumber: 1, ...ssec(key2) })), { name: "InvalidRequest", status: 400 });
    await expectAwsError(sim.s3.send(new UploadPartCopyCommand({ ...base, PartNumber: 1, ...ssec(key2), ...srcKey(key2) })), {
      name: "AccessDenied",
      status: 403,
    });
    const c1 = await sim.s3.send(new UploadPartCopyCommand({ ...base, PartNumber: 1, CopySourceRange: "bytes=0-99999", ...ssec(key2), ...srcKey(key1) }));
    expect(c1.CopyPartResult!.ETag).toBe(`"${createHash("md5").update(body.subarray(0, 100_000)).digest("hex")}"`);
    const c2 = await sim.s3.send(new UploadPartCopyCommand({ ...base, PartNumber: 2, CopySourceRange: "bytes=100000-299999", ...ssec(key2), ...srcKey(key1) }));
    await sim.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: "enc",
        Key: "u-dst",
        UploadId: mpu.UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: c1.CopyPartResult!.ETag },
            { PartNumber: 2, ETag: c2.CopyPartResult!.ETag },
          ],
        },
      }),
    );
    expect(filesContaining(dir, "UPC-PLAINTEXT-")).toEqual([]);
    expect((await text(sim.s3.send(new GetObjectCommand({ Bucket: "enc", Key: "u-dst", ...ssec(key2) })))).equals(body)).toBe(true);
    const r = await text(sim.s3.send(new GetObjectCommand({ Bucket: "enc", Key: "u-dst", Range: "bytes=99990-100010", ...ssec(key2) })));
    expect(r.equals(body.subarray(99_990, 100_011))).toBe(true);
  });

  it("browser POST uploads with SSE-C fields are stored encrypted and need the key", async () => {
    const body = marked("POSTED", 3_000);
    const k = ssec(key1);
    const fd = new FormData();
    fd.append("key", "posted");
    fd.append("x-amz-server-side-encryption-customer-algorithm", "AES256");
    fd.append("x-amz-server-side-encryption-customer-key", k.SSECustomerKey);
    fd.append("x-amz-server-side-encryption-customer-key-MD5", k.SSECustomerKeyMD5);
    fd.append("file", new Blob([body]), "f.bin");
    const r = await fetch(`${sim.server.url}/enc`, { method: "POST", body: fd });
    expect(r.status).toBe(204);
    expect(r.headers.get("x-amz-server-side-encryption-customer-key-md5")).toBe(k.SSECustomerKeyMD5);
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "enc", Key: "posted" })), { name: "InvalidRequest", status: 400 });
    expect((await text(sim.s3.send(new GetObjectCommand({ Bucket: "enc", Key: "posted", ...ssec(key1) })))).equals(body)).toBe(true);
    await sim.server.snapshot("posted");
    expect(filesContaining(dir, "POSTED-PLAINTEXT-")).toEqual([]);
  });

  it("SelectObjectContent reads the plaintext with the key, refuses without it or with another", async () => {
    const csv = "name,n\nalpha,1\nbeta,2\ngamma,3\n";
    await sim.s3.send(new PutObjectCommand({ Bucket: "enc", Key: "t.csv", Body: csv, ...ssec(key1) }));
    const input = {
      Bucket: "enc",
      Key: "t.csv",
      ExpressionType: "SQL" as const,
      Expression: "SELECT s.name FROM S3Object s WHERE CAST(s.n AS INT) > 1",
      InputSerialization: { CSV: { FileHeaderInfo: "USE" as const } },
      OutputSerialization: { CSV: {} },
    };
    const res = await sim.s3.send(new SelectObjectContentCommand({ ...input, ...ssec(key1) }));
    let out = "";
    for await (const ev of res.Payload!) if (ev.Records) out += Buffer.from(ev.Records.Payload!).toString();
    expect(out).toBe("beta\ngamma\n");
    await expectAwsError(sim.s3.send(new SelectObjectContentCommand(input)), { name: "InvalidRequest", status: 400 });
    await expectAwsError(sim.s3.send(new SelectObjectContentCommand({ ...input, ...ssec(key2) })), { name: "AccessDenied", status: 403 });
  });
});
