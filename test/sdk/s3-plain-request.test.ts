/**
 * Plain object requests (GET/HEAD/PUT of /bucket/key, loopback host, the SDKs' SigV4 header, no query) skip resolve
 * and S3 routing (src/services/s3/plain-request.ts). The same requests sent to a server with `plainObjectRequests:
 * false` take the general path: every answer must be the same (status, headers, body), errors included.
 */
import { createHash } from "node:crypto";
import { request } from "node:http";
import { CreateBucketCommand, PutBucketVersioningCommand, PutObjectCommand, DeleteObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsimServer } from "../../src/index.js";
import type { RawRequest } from "../../src/protocols/http.js";
import { plainObjectRequest } from "../../src/services/s3/plain-request.js";
import { clientConfig, startServer } from "../helpers.js";

let fast: AwsimServer;
let general: AwsimServer;
const KEY = Buffer.alloc(32, 9);
const KEY_MD5 = createHash("md5").update(KEY).digest("base64");

async function seed(server: AwsimServer): Promise<string> {
  const s3 = new S3Client(clientConfig(server, { forcePathStyle: true }));
  await s3.send(new CreateBucketCommand({ Bucket: "plain" }));
  await s3.send(new CreateBucketCommand({ Bucket: "plain-versions" }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: "plain-versions", VersioningConfiguration: { Status: "Enabled" } }));
  const body = Buffer.from("0123456789abcdefghijklmnopqrstuvwxyz".repeat(10));
  const put = await s3.send(
    new PutObjectCommand({
      Bucket: "plain",
      Key: "a/b/c.txt",
      Body: body,
      ContentType: "text/plain",
      Metadata: { colour: "blue" },
      CacheControl: "max-age=60",
    }),
  );
  await s3.send(new PutObjectCommand({ Bucket: "plain", Key: "x_y-z~1", Body: "tiny", ChecksumAlgorithm: "SHA256" }));
  await s3.send(new PutObjectCommand({ Bucket: "plain", Key: "empty", Body: "" }));
  await s3.send(
    new PutObjectCommand({
      Bucket: "plain",
      Key: "secret",
      Body: "sealed",
      SSECustomerAlgorithm: "AES256",
      SSECustomerKey: KEY.toString("base64"),
      SSECustomerKeyMD5: KEY_MD5,
    }),
  );
  await s3.send(new PutObjectCommand({ Bucket: "plain-versions", Key: "gone", Body: "v1" }));
  await s3.send(new DeleteObjectCommand({ Bucket: "plain-versions", Key: "gone" }));
  return put.ETag!;
}

let etag: string;
beforeAll(async () => {
  fast = await startServer();
  general = await startServer({ plainObjectRequests: false });
  etag = await seed(fast);
  expect(await seed(general)).toBe(etag);
});
afterAll(async () => {
  await fast.stop();
  await general.stop();
});

const AUTH =
  "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" + "ab".repeat(32);

function headersFor(host: string, extra: Record<string, string>): Record<string, string> {
  return { host, authorization: AUTH, "x-amz-date": "20260101T000000Z", "x-amz-content-sha256": "UNSIGNED-PAYLOAD", ...extra };
}

async function send(server: AwsimServer, method: string, path: string, extra: Record<string, string>, body?: Buffer) {
  const url = new URL(server.url);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers: headersFor(url.host, extra) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** What may differ between two servers: ids, the time of the answer, and (whole-second) modification times. */
const VOLATILE = new Set(["x-amz-request-id", "x-amz-id-2", "date", "last-modified", "connection", "keep-alive", "x-amz-version-id"]);
const comparable = (r: { status: number; headers: Record<string, unknown>; body: Buffer }) => ({
  status: r.status,
  headers: Object.fromEntries(Object.entries(r.headers).filter(([k]) => !VOLATILE.has(k))),
  volatileNames: Object.keys(r.headers)
    .filter((k) => VOLATILE.has(k) && k !== "date" && k !== "connection" && k !== "keep-alive")
    .sort(),
  body: r.body
    .toString("latin1")
    .replace(/<RequestId>[^<]*<\/RequestId>/, "")
    .replace(/<HostId>[^<]*<\/HostId>/, ""),
});

const PUT_BODY = Buffer.from("put through both paths");
const md5 = (b: Buffer) => createHash("md5").update(b).digest("base64");
const CASES: Array<[string, string, string, Record<string, string>, Buffer?]> = [
  ["GET an object", "GET", "/plain/a/b/c.txt", {}],
  ["HEAD an object", "HEAD", "/plain/a/b/c.txt", {}],
  ["GET an object with a checksum, checksum mode on", "GET", "/plain/x_y-z~1", { "x-amz-checksum-mode": "ENABLED" }],
  ["GET an empty object", "GET", "/plain/empty", {}],
  ["GET a range", "GET", "/plain/a/b/c.txt", { range: "bytes=5-20" }],
  ["GET an unsatisfiable range", "GET", "/plain/a/b/c.txt", { range: "bytes=9000-" }],
  ["GET with a failing If-Match", "GET", "/plain/a/b/c.txt", { "if-match": '"nope"' }],
  ["GET with a matching If-None-Match (304)", "GET", "/plain/a/b/c.txt", { "if-none-match": "ETAG" }],
  ["GET a missing key", "GET", "/plain/nope", {}],
  ["HEAD a missing key", "HEAD", "/plain/nope", {}],
  ["GET in a missing bucket", "GET", "/no-such-bucket/k", {}],
  ["GET an SSE-C object without its key", "GET", "/plain/secret", {}],
  [
    "GET an SSE-C object with its key",
    "GET",
    "/plain/secret",
    {
      "x-amz-server-side-encryption-customer-algorithm": "AES256",
      "x-amz-server-side-encryption-customer-key": KEY.toString("base64"),
      "x-amz-server-side-encryption-customer-key-md5": KEY_MD5,
    },
  ],
  ["GET with x-amz-server-side-encryption (refused on reads)", "GET", "/plain/a/b/c.txt", { "x-amz-server-side-encryption": "AES256" }],
  ["GET with another expected bucket owner", "GET", "/plain/a/b/c.txt", { "x-amz-expected-bucket-owner": "111122223333" }],
  ["GET a key whose current version is a delete marker", "GET", "/plain-versions/gone", {}],
  ["HEAD a key whose current version is a delete marker", "HEAD", "/plain-versions/gone", {}],
  ["PUT an object", "PUT", "/plain/new/one.txt", { "content-type": "text/plain", "x-amz-meta-a": "b", "content-md5": md5(PUT_BODY) }, PUT_BODY],
  ["PUT into a versioned bucket", "PUT", "/plain-versions/v", { "x-amz-tagging": "k=v" }, PUT_BODY],
  ["PUT with a CRC32 checksum", "PUT", "/plain/crc", { "x-amz-checksum-crc32": "YT7dDw==" }, PUT_BODY],
  ["PUT with a wrong CRC32 checksum", "PUT", "/plain/crc-bad", { "x-amz-checksum-crc32": "AAAAAA==" }, PUT_BODY],
  ["PUT with a wrong Content-MD5", "PUT", "/plain/bad-md5", { "content-md5": md5(Buffer.from("other")) }, PUT_BODY],
  ["PUT with If-None-Match * on an existing key", "PUT", "/plain/a/b/c.txt", { "if-none-match": "*" }, PUT_BODY],
  ["PUT into a missing bucket", "PUT", "/no-such-bucket/k", {}, PUT_BODY],
  ["PUT with an unknown storage class", "PUT", "/plain/sc", { "x-amz-storage-class": "WARM" }, PUT_BODY],
];

describe("plain object reads answer as the general path does", () => {
  for (const [name, method, path, extra, body] of CASES) {
    it(name, async () => {
      const h = Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, v === "ETAG" ? etag : v]));
      // The request qualifies for the plain path (so the comparison is of the two paths).
      const raw = { method, url: path, rawPath: path, rawQuery: "", headers: headersFor("127.0.0.1:4566", h), stream: undefined } as unknown as RawRequest;
      expect(plainObjectRequest(raw, "000000000000", "us-east-1")?.operation).toBe({ GET: "GetObject", HEAD: "HeadObject", PUT: "PutObject" }[method]);
      const [a, b] = await Promise.all([send(fast, method, path, h, body), send(general, method, path, h, body)]);
      const [ca, cb] = [comparable(a), comparable(b)];
      // An SSE-C object's ETag is random (not the MD5 of its data), so it differs between the two servers.
      if (path === "/plain/secret") for (const c of [ca, cb]) c.headers.etag = c.headers.etag === undefined ? undefined : "<random>";
      expect(ca).toEqual(cb);
    });
  }

  it("requests that do not qualify are left to the general path", () => {
    const q = (method: string, path: string, extra: Record<string, string> = {}, host = "127.0.0.1:4566") =>
      plainObjectRequest(
        { method, url: path, rawPath: path, rawQuery: "", headers: headersFor(host, extra), stream: undefined } as unknown as RawRequest,
        "000000000000",
        "us-east-1",
      );
    expect(q("GET", "/plain/a%20b")).toBeUndefined(); // needs decoding
    expect(q("GET", "/plain/a+b")).toBeUndefined();
    expect(q("GET", "/plain")).toBeUndefined(); // a bucket operation
    expect(q("GET", "/s3/plain/k")).toBeUndefined(); // the /s3 prefix
    expect(q("GET", "/bucket--use1-az4--x-s3/k")).toBeUndefined(); // a directory bucket
    expect(q("GET", "/plain//k")).toBeUndefined();
    expect(q("GET", "/plain/k", { origin: "http://example.com" })).toBeUndefined(); // CORS
    expect(q("GET", "/plain/k", { "x-amz-request-payer": "requester" })).toBeUndefined();
    expect(q("GET", "/plain/k", {}, "plain.s3.localhost:4566")).toBeUndefined(); // virtual-hosted
    expect(q("GET", "/plain/k", { authorization: "AWS test:c2lnbmF0dXJl" })).toBeUndefined(); // SigV2
    expect(
      q("GET", "/plain/k", { authorization: "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=00" }),
    ).toBeUndefined(); // another service's scope
    expect(q("GET", "/plain/k", { "x-amz-content-sha256": "nonsense" })).toBeUndefined();
    expect(q("GET", "/plain/k")?.input).toMatchObject({ bucket: "plain", key: "k", resource: "/plain/k", query: {} });
  });
});
