/**
 * Single PUTs above 8 MiB have their MD5 (the ETag) computed on a worker thread, the socket's chunks handed over
 * without a copy once written (md5-worker.ts, body.ts). Every way such a body arrives: the SDK's aws-chunked
 * stream with a CRC32 trailer, a plain Content-Length body, SSE-C (the plaintext hashed, the ciphertext stored),
 * with the ETag, the bytes read back, Content-MD5 and payload-digest checks, and no object after a refused one.
 */
import { createHash, randomBytes } from "node:crypto";
import { request } from "node:http";
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsimServer, clientConfig, expectAwsError, startServer } from "../helpers.js";
import { ssec } from "./s3-fixtures.js";

const body = randomBytes(9 * 1024 * 1024 + 4321);
const md5 = (b: Buffer) => createHash("md5").update(b).digest("hex");
let server: AwsimServer;
let s3: S3Client;

beforeAll(async () => {
  server = await startServer();
  s3 = new S3Client(clientConfig(server, { forcePathStyle: true }));
  await s3.send(new CreateBucketCommand({ Bucket: "large" }));
});
afterAll(() => server.stop());

const bytesOf = async (r: { Body?: unknown }) => Buffer.from(await (r.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());

/** A raw PUT of the body with these headers, in 64 KiB writes; status, headers and the answer's text. */
function rawPut(key: string, data: Buffer, headers: Record<string, string>): Promise<{ status: number; etag?: string; text: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(`${server.url}/large/${key}`);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: "PUT",
        headers: {
          authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${"5f".repeat(32)}`,
          "x-amz-date": "20260101T000000Z",
          "content-length": String(data.length),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, etag: res.headers.etag as string | undefined, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.on("error", reject);
    for (let o = 0; o < data.length; o += 65536) req.write(data.subarray(o, o + 65536));
    req.end();
  });
}

describe("S3 PutObject above 8 MiB (MD5 on the worker thread)", () => {
  it("the SDK's aws-chunked upload with its CRC32 trailer: ETag is the MD5, bytes and checksum read back", async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: "large", Key: "sdk", Body: body, ChecksumAlgorithm: "CRC32" }));
    expect(put.ETag).toBe(`"${md5(body)}"`);
    expect(put.ChecksumCRC32).toBeDefined();
    const got = await s3.send(new GetObjectCommand({ Bucket: "large", Key: "sdk", ChecksumMode: "ENABLED" }));
    expect(got.ETag).toBe(`"${md5(body)}"`);
    expect(got.ChecksumCRC32).toBe(put.ChecksumCRC32);
    expect((await bytesOf(got)).equals(body)).toBe(true);
  });

  it("a plain Content-Length body: ETag, bytes; a wrong Content-MD5 or payload digest leaves no object", async () => {
    const ok = await rawPut("plain", body, { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" });
    expect(ok.status).toBe(200);
    expect(ok.etag).toBe(`"${md5(body)}"`);
    expect((await bytesOf(await s3.send(new GetObjectCommand({ Bucket: "large", Key: "plain" })))).equals(body)).toBe(true);

    const sha = createHash("sha256").update(body).digest("hex");
    const signed = await rawPut("signed", body, { "x-amz-content-sha256": sha, "content-md5": createHash("md5").update(body).digest("base64") });
    expect(signed.status).toBe(200);
    expect(signed.etag).toBe(`"${md5(body)}"`);

    const badMd5 = await rawPut("bad-md5", body, {
      "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
      "content-md5": createHash("md5").update("other").digest("base64"),
    });
    expect(badMd5.status).toBe(400);
    expect(badMd5.text).toContain("<Code>BadDigest</Code>");
    const badSha = await rawPut("bad-sha", body, { "x-amz-content-sha256": "0".repeat(64) });
    expect(badSha.status).toBe(400);
    expect(badSha.text).toContain("<Code>XAmzContentSHA256Mismatch</Code>");
    for (const Key of ["bad-md5", "bad-sha"]) await expectAwsError(s3.send(new HeadObjectCommand({ Bucket: "large", Key })), { name: "NotFound", status: 404 });
  });

  it("SSE-C: the ciphertext stored, the plaintext hashed; the object reads back, byte for byte, only with its key", async () => {
    const k = ssec(randomBytes(32));
    const put = await s3.send(new PutObjectCommand({ Bucket: "large", Key: "ssec", Body: body, ...k }));
    expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket: "large", Key: "ssec", ...k }));
    expect(got.ETag).toBe(put.ETag);
    expect((await bytesOf(got)).equals(body)).toBe(true);
    await expectAwsError(s3.send(new GetObjectCommand({ Bucket: "large", Key: "ssec" })), { name: "InvalidRequest", status: 400 });
  });
});
