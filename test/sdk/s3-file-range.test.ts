/**
 * Objects stored as files (above 256 KiB) and multipart objects (their parts in sequence, files and bytes in memory)
 * are answered by BlobRange (blobs.ts): the HTTP answer reads files into two reused buffers, other readers (CopyObject,
 * multipart copies) read it as a stream. Bytes, ranges across its 1 MiB reads and across parts, thousands of small
 * parts, a client that goes away mid-answer, and the file's removal once the last reader is gone.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsimServer, clientConfig, startServer } from "../helpers.js";

const SIZE = 3 * 1024 * 1024 + 12_345;
const body = randomBytes(SIZE);
let server: AwsimServer;
let s3: S3Client;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "awsim-frange-"));
  server = await startServer({ dataDir });
  s3 = new S3Client(clientConfig(server, { forcePathStyle: true }));
  await s3.send(new CreateBucketCommand({ Bucket: "frange" }));
  await s3.send(new PutObjectCommand({ Bucket: "frange", Key: "big", Body: body }));
});
afterAll(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const objectFiles = () => readdirSync(dataDir, { recursive: true }).filter((f) => String(f).split("/").pop()!.startsWith("obj-"));
const bytesOf = async (r: { Body?: unknown }) => Buffer.from(await (r.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());

/** A completed multipart object of these part bodies; its bytes. */
async function multipart(key: string, parts: Buffer[]): Promise<Buffer> {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: "frange", Key: key }));
  const done: Array<{ PartNumber: number; ETag: string }> = [];
  for (let i = 0; i < parts.length; i += 50)
    done.push(
      ...(await Promise.all(
        parts.slice(i, i + 50).map(async (Body, j) => {
          const PartNumber = i + j + 1;
          const r = await s3.send(new UploadPartCommand({ Bucket: "frange", Key: key, UploadId, PartNumber, Body }));
          return { PartNumber, ETag: r.ETag! };
        }),
      )),
    );
  await s3.send(new CompleteMultipartUploadCommand({ Bucket: "frange", Key: key, UploadId, MultipartUpload: { Parts: done } }));
  return Buffer.concat(parts);
}

describe("S3 objects stored as files", () => {
  it("GetObject answers every byte, and ranges across the 1 MiB reads", async () => {
    expect(objectFiles().length).toBe(1);
    const whole = await s3.send(new GetObjectCommand({ Bucket: "frange", Key: "big" }));
    expect(whole.ContentLength).toBe(SIZE);
    expect((await bytesOf(whole)).equals(body)).toBe(true);
    for (const [a, b] of [
      [0, 0],
      [1024 * 1024 - 3, 1024 * 1024 + 2],
      [2 * 1024 * 1024 - 1, SIZE - 1],
      [SIZE - 10, SIZE - 1],
    ] as const) {
      const r = await s3.send(new GetObjectCommand({ Bucket: "frange", Key: "big", Range: `bytes=${a}-${b}` }));
      expect(r.ContentRange).toBe(`bytes ${a}-${b}/${SIZE}`);
      expect((await bytesOf(r)).equals(body.subarray(a, b + 1))).toBe(true);
    }
  });

  it("CopyObject reads the file as a stream: the copy has the same bytes", async () => {
    await s3.send(new CopyObjectCommand({ Bucket: "frange", Key: "copy", CopySource: "frange/big" }));
    expect((await bytesOf(await s3.send(new GetObjectCommand({ Bucket: "frange", Key: "copy" })))).equals(body)).toBe(true);
    await s3.send(new DeleteObjectCommand({ Bucket: "frange", Key: "copy" }));
  });

  it("a multipart object: files and bytes in memory in sequence, whole and in ranges across parts", async () => {
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(5 * 1024 * 1024 + 7), randomBytes(1000)];
    const all = await multipart("mp", parts);
    const whole = await s3.send(new GetObjectCommand({ Bucket: "frange", Key: "mp" }));
    expect(whole.ContentLength).toBe(all.length);
    expect((await bytesOf(whole)).equals(all)).toBe(true);
    const five = 5 * 1024 * 1024;
    for (const [a, b] of [
      [five - 10, five + 10],
      [1024 * 1024 - 1, 2 * five + 500],
      [2 * five + 7, all.length - 1],
    ] as const) {
      const r = await s3.send(new GetObjectCommand({ Bucket: "frange", Key: "mp", Range: `bytes=${a}-${b}` }));
      expect((await bytesOf(r)).equals(all.subarray(a, b + 1))).toBe(true);
    }
    await s3.send(new CopyObjectCommand({ Bucket: "frange", Key: "mp-copy", CopySource: "frange/mp" }));
    expect((await bytesOf(await s3.send(new GetObjectCommand({ Bucket: "frange", Key: "mp-copy" })))).equals(all)).toBe(true);
    await s3.send(new DeleteObjectCommand({ Bucket: "frange", Key: "mp" }));
    await s3.send(new DeleteObjectCommand({ Bucket: "frange", Key: "mp-copy" }));
  });

  it("a multipart object of 2,000 small parts in memory is answered whole", { timeout: 60_000 }, async () => {
    const parts = Array.from({ length: 2000 }, (_, i) => Buffer.from(`part ${i};`));
    const all = await multipart("tiny", parts);
    expect((await bytesOf(await s3.send(new GetObjectCommand({ Bucket: "frange", Key: "tiny" })))).equals(all)).toBe(true);
    const r = await s3.send(new GetObjectCommand({ Bucket: "frange", Key: "tiny", Range: "bytes=5-12000" }));
    expect((await bytesOf(r)).equals(all.subarray(5, 12001))).toBe(true);
    await s3.send(new CopyObjectCommand({ Bucket: "frange", Key: "tiny-copy", CopySource: "frange/tiny" }));
    expect((await bytesOf(await s3.send(new GetObjectCommand({ Bucket: "frange", Key: "tiny-copy" })))).equals(all)).toBe(true);
    await s3.send(new DeleteObjectCommand({ Bucket: "frange", Key: "tiny" }));
    await s3.send(new DeleteObjectCommand({ Bucket: "frange", Key: "tiny-copy" }));
  });

  it("a client that goes away mid-answer leaves the server answering, and the file goes with its object", async () => {
    const url = new URL(`${server.url}/frange/big`);
    const got = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          headers: { authorization: "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00" },
        },
        (res) => {
          let n = 0;
          res.on("data", (c: Buffer) => {
            n += c.length;
            if (n > 64 * 1024) {
              res.destroy();
              req.destroy();
              resolve(n);
            }
          });
          res.on("error", () => undefined);
        },
      );
      req.on("error", (e) => (e.message.includes("socket hang up") ? undefined : reject(e)));
      req.end();
    });
    expect(got).toBeGreaterThan(64 * 1024);
    expect(got).toBeLessThan(SIZE);
    // The server still answers, whole.
    expect((await bytesOf(await s3.send(new GetObjectCommand({ Bucket: "frange", Key: "big" })))).equals(body)).toBe(true);
    // Once no reader holds it, deleting the object removes its file.
    await s3.send(new DeleteObjectCommand({ Bucket: "frange", Key: "big" }));
    for (let i = 0; i < 50 && objectFiles().length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(objectFiles()).toEqual([]);
  });
});
