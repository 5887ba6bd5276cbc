import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteBucketCorsCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutBucketCorsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
  GetObjectRetentionCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
  paginateListObjectsV2,
  waitUntilBucketExists,
  waitUntilObjectExists,
  type ChecksumAlgorithm,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { Crc32c, Crc64Nvme } from "@aws-sdk/checksums/crc";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { crc32 } from "node:zlib";
import { beforeEach, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, startServer, useServer } from "../helpers.js";

const sim = useServer({ reset: "s3" }, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }), vhost: new S3Client(cfg) }));
beforeEach(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket: "bkt" }));
});

const md5hex = (b: Buffer | string) => createHash("md5").update(b).digest("hex");
const text = async (r: { Body?: { transformToString(): Promise<string> } }) => r.Body!.transformToString();

describe("the seed example", () => {
  it('prints "hello world"', async () => {
    const c = new S3Client({
      region: "us-east-1",
      endpoint: sim.server.url,
      forcePathStyle: true,
      credentials: { accessKeyId: "parlel", secretAccessKey: "parlel" },
    });
    await c.send(new CreateBucketCommand({ Bucket: "my-bucket" }));
    await c.send(new PutObjectCommand({ Bucket: "my-bucket", Key: "hello.txt", Body: "hello world" }));
    expect(await text(await c.send(new GetObjectCommand({ Bucket: "my-bucket", Key: "hello.txt" })))).toBe("hello world");
  });

  it("works under the /s3/ prefix of seed 004 and virtual-hosted style", async () => {
    const c = new S3Client(clientConfig({ url: `${sim.server.url}/s3` }, { forcePathStyle: true }));
    await c.send(new PutObjectCommand({ Bucket: "bkt", Key: "k", Body: "via prefix" }));
    expect(await text(await sim.vhost.send(new GetObjectCommand({ Bucket: "bkt", Key: "k" })))).toBe("via prefix");
    expect((await sim.vhost.send(new ListObjectsV2Command({ Bucket: "bkt" }))).KeyCount).toBe(1);
  });
});

describe("buckets", () => {
  it("create rules, idempotent us-east-1 re-create, other-region conflict, head, location, list, delete", async () => {
    await expectAwsError(sim.s3.send(new CreateBucketCommand({ Bucket: "Bad_Name" })), {
      name: "InvalidBucketName",
      status: 400,
      message: "The specified bucket is not valid.",
    });
    await sim.s3.send(new CreateBucketCommand({ Bucket: "bkt" }));
    const eu = new S3Client(clientConfig(sim.server, { forcePathStyle: true, region: "eu-west-1" }));
    await eu.send(new CreateBucketCommand({ Bucket: "euro", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }));
    await expectAwsError(eu.send(new CreateBucketCommand({ Bucket: "euro", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } })), {
      name: "BucketAlreadyOwnedByYou",
      status: 409,
    });
    const other = new S3Client(clientConfig(sim.server, { forcePathStyle: true, credentials: { accessKeyId: "111122223333", secretAccessKey: "x" } }));
    await expectAwsError(other.send(new CreateBucketCommand({ Bucket: "bkt" })), { name: "BucketAlreadyExists", status: 409 });
    const head = await eu.send(new HeadBucketCommand({ Bucket: "euro" }));
    expect(head.BucketRegion).toBe("eu-west-1");
    expect((await sim.s3.send(new GetBucketLocationCommand({ Bucket: "euro" }))).LocationConstraint).toBe("eu-west-1");
    expect((await sim.s3.send(new GetBucketLocationCommand({ Bucket: "bkt" }))).LocationConstraint).toBeUndefined();
    const list = await sim.s3.send(new ListBucketsCommand({}));
    expect(list.Buckets!.map((x) => x.Name)).toEqual(["bkt", "euro"]);
    expect(list.Owner!.ID).toMatch(/^[0-9a-f]{64}$/);
    expect((await other.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "x", Body: "1" }));
    await expectAwsError(sim.s3.send(new DeleteBucketCommand({ Bucket: "bkt" })), { name: "BucketNotEmpty", status: 409 });
    await sim.s3.send(new DeleteObjectCommand({ Bucket: "bkt", Key: "x" }));
    await sim.s3.send(new DeleteBucketCommand({ Bucket: "bkt" }));
    await expectAwsError(sim.s3.send(new HeadBucketCommand({ Bucket: "bkt" })), { name: "NotFound", status: 404 });
    await expectAwsError(sim.s3.send(new ListObjectsV2Command({ Bucket: "bkt" })), {
      name: "NoSuchBucket",
      status: 404,
      message: "The specified bucket does not exist",
    });
    expect((await waitUntilBucketExists({ client: sim.s3, maxWaitTime: 10, minDelay: 1 }, { Bucket: "euro" })).state).toBe("SUCCESS");
  });

  it("versioning, tagging, CORS, policy and the not-configured errors; public access block and replication not configured", async () => {
    expect((await sim.s3.send(new GetBucketVersioningCommand({ Bucket: "bkt" }))).Status).toBeUndefined();
    await sim.s3.send(new PutBucketVersioningCommand({ Bucket: "bkt", VersioningConfiguration: { Status: "Enabled" } }));
    expect((await sim.s3.send(new GetBucketVersioningCommand({ Bucket: "bkt" }))).Status).toBe("Enabled");
    await expectAwsError(sim.s3.send(new GetBucketTaggingCommand({ Bucket: "bkt" })), { name: "NoSuchTagSet", status: 404 });
    await sim.s3.send(new PutBucketTaggingCommand({ Bucket: "bkt", Tagging: { TagSet: [{ Key: "a", Value: "1" }] } }));
    expect((await sim.s3.send(new GetBucketTaggingCommand({ Bucket: "bkt" }))).TagSet).toEqual([{ Key: "a", Value: "1" }]);
    await expectAwsError(sim.s3.send(new GetBucketCorsCommand({ Bucket: "bkt" })), { name: "NoSuchCORSConfiguration", status: 404 });
    await sim.s3.send(
      new PutBucketCorsCommand({ Bucket: "bkt", CORSConfiguration: { CORSRules: [{ AllowedMethods: ["GET"], AllowedOrigins: ["*"], MaxAgeSeconds: 60 }] } }),
    );
    const cors = await sim.s3.send(new GetBucketCorsCommand({ Bucket: "bkt" }));
    expect(cors.CORSRules).toEqual([{ AllowedMethods: ["GET"], AllowedOrigins: ["*"], MaxAgeSeconds: 60 }]);
    await sim.s3.send(new DeleteBucketCorsCommand({ Bucket: "bkt" }));
    await expectAwsError(sim.s3.send(new GetBucketCorsCommand({ Bucket: "bkt" })), { name: "NoSuchCORSConfiguration", status: 404 });
    await expectAwsError(sim.s3.send(new GetBucketPolicyCommand({ Bucket: "bkt" })), { name: "NoSuchBucketPolicy", status: 404 });
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::bkt/*" }],
    });
    await sim.s3.send(new PutBucketPolicyCommand({ Bucket: "bkt", Policy: policy }));
    expect((await sim.s3.send(new GetBucketPolicyCommand({ Bucket: "bkt" }))).Policy).toBe(policy);
    await expectAwsError(sim.s3.send(new PutBucketPolicyCommand({ Bucket: "bkt", Policy: "not json" })), { name: "MalformedPolicy", status: 400 });
    await expectAwsError(sim.s3.send(new GetBucketEncryptionCommand({ Bucket: "bkt" })), {
      name: "ServerSideEncryptionConfigurationNotFoundError",
      status: 404,
    });
    // The pre-April-2023 defaults in the default mode (AWS's current ones under --strict: see s3-acl.test.ts).
    await expectAwsError(sim.s3.send(new GetPublicAccessBlockCommand({ Bucket: "bkt" })), { name: "NoSuchPublicAccessBlockConfiguration", status: 404 });
    await expectAwsError(sim.s3.send(new GetBucketReplicationCommand({ Bucket: "bkt" })), { name: "ReplicationConfigurationNotFoundError", status: 404 });
  });
});

describe("objects", () => {
  it("put/get/head with metadata, content headers, tagging, and errors with matching request ids", async () => {
    const put = await sim.s3.send(
      new PutObjectCommand({
        Bucket: "bkt",
        Key: "doc.txt",
        Body: "hello",
        ContentType: "text/plain",
        Metadata: { Owner: "me" },
        CacheControl: "max-age=60",
        Tagging: "a=1&b=two",
      }),
    );
    expect(put.ETag).toBe(`"${md5hex("hello")}"`);
    const head = await sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "doc.txt" }));
    expect(head).toMatchObject({
      ContentLength: 5,
      ContentType: "text/plain",
      CacheControl: "max-age=60",
      Metadata: { owner: "me" },
      ETag: put.ETag,
      AcceptRanges: "bytes",
    });
    expect(head.LastModified).toBeInstanceOf(Date);
    const get = await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "doc.txt", ResponseContentType: "application/x-test" }));
    expect(get.ContentType).toBe("application/x-test");
    expect(get.TagCount).toBe(2);
    expect(await text(get)).toBe("hello");
    expect((await sim.s3.send(new GetObjectTaggingCommand({ Bucket: "bkt", Key: "doc.txt" }))).TagSet).toEqual([
      { Key: "a", Value: "1" },
      { Key: "b", Value: "two" },
    ]);
    await sim.s3.send(new PutObjectTaggingCommand({ Bucket: "bkt", Key: "doc.txt", Tagging: { TagSet: [{ Key: "z", Value: "9" }] } }));
    expect((await sim.s3.send(new GetObjectTaggingCommand({ Bucket: "bkt", Key: "doc.txt" }))).TagSet).toEqual([{ Key: "z", Value: "9" }]);
    const e = await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "missing" })), {
      name: "NoSuchKey",
      status: 404,
      message: "The specified key does not exist.",
    });
    expect((e as unknown as { RequestId: string }).RequestId).toBe(e.$metadata.requestId);
    expect(await waitUntilObjectExists({ client: sim.s3, maxWaitTime: 10, minDelay: 1 }, { Bucket: "bkt", Key: "doc.txt" }).then((r) => r.state)).toBe(
      "SUCCESS",
    );
  });

  it("ranges (206, suffix, open-ended) and InvalidRange 416; conditional GETs", async () => {
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "r", Body: "0123456789" }));
    const r = await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "r", Range: "bytes=2-5" }));
    expect(r.$metadata.httpStatusCode).toBe(206);
    expect(r.ContentRange).toBe("bytes 2-5/10");
    expect(await text(r)).toBe("2345");
    expect(await text(await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "r", Range: "bytes=-3" })))).toBe("789");
    expect(await text(await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "r", Range: "bytes=7-" })))).toBe("789");
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "r", Range: "bytes=20-30" })), { name: "InvalidRange", status: 416 });
    const etag = (await sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "r" }))).ETag!;
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "r", IfMatch: '"nope"' })), { name: "PreconditionFailed", status: 412 });
    const nm = (await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "r", IfNoneMatch: etag })).catch((x) => x)) as {
      $metadata: { httpStatusCode: number };
    };
    expect(nm.$metadata.httpStatusCode).toBe(304);
    // S3 ignores an If-Modified-Since in the future (AWS's recording); the object's own Last-Modified is not modified since.
    const { LastModified } = await sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "r" }));
    const ims = (await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "r", IfModifiedSince: LastModified })).catch((x) => x)) as {
      $metadata: { httpStatusCode: number };
    };
    expect(ims.$metadata.httpStatusCode).toBe(304);
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "r", IfUnmodifiedSince: new Date(Date.now() - 3_600_000) })), {
      name: "PreconditionFailed",
      status: 412,
    });
  });

  it("Content-MD5 and checksum mismatches are BadDigest; conditional writes", async () => {
    await expectAwsError(
      sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "m", Body: "abc", ContentMD5: Buffer.from(md5hex("xyz"), "hex").toString("base64") })),
      {
        name: "BadDigest",
        status: 400,
      },
    );
    await expectAwsError(sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "m", Body: "abc", ChecksumCRC32: "AAAAAA==" })), {
      name: "BadDigest",
      status: 400,
    });
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "m" })), { name: "NoSuchKey", status: 404 });
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "once", Body: "1", IfNoneMatch: "*" }));
    await expectAwsError(sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "once", Body: "2", IfNoneMatch: "*" })), {
      name: "PreconditionFailed",
      status: 412,
    });
    await expectAwsError(sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "once", Body: "2", IfMatch: '"wrong"' })), {
      name: "PreconditionFailed",
      status: 412,
    });
    const etag = (await sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "once" }))).ETag!;
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "once", Body: "3", IfMatch: etag }));
    expect(await text(await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "once" })))).toBe("3");
  });

  it("every flexible checksum algorithm: verified, stored, returned with ChecksumMode ENABLED and in attributes", async () => {
    const body = randomBytes(3000);
    const c32 = Buffer.alloc(4);
    c32.writeUInt32BE(crc32(body));
    const digest = async (C: typeof Crc32c | typeof Crc64Nvme) => {
      const c = new C();
      c.update(body);
      return Buffer.from(await c.digest()).toString("base64");
    };
    const expected: Record<string, string> = {
      CRC32: c32.toString("base64"),
      CRC32C: await digest(Crc32c),
      CRC64NVME: await digest(Crc64Nvme),
      SHA1: createHash("sha1").update(body).digest("base64"),
      SHA256: createHash("sha256").update(body).digest("base64"),
    };
    for (const [alg, value] of Object.entries(expected)) {
      const put = await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: `c-${alg}`, Body: body, ChecksumAlgorithm: alg as ChecksumAlgorithm }));
      expect((put as unknown as Record<string, string>)[`Checksum${alg}`]).toBe(value);
      const get = await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: `c-${alg}`, ChecksumMode: "ENABLED" }));
      expect((get as unknown as Record<string, string>)[`Checksum${alg}`]).toBe(value);
      expect(Buffer.from(await get.Body!.transformToByteArray()).equals(body)).toBe(true);
      const attrs = await sim.s3.send(new GetObjectAttributesCommand({ Bucket: "bkt", Key: `c-${alg}`, ObjectAttributes: ["Checksum", "ObjectSize", "ETag"] }));
      expect((attrs.Checksum as Record<string, string>)[`Checksum${alg}`]).toBe(value);
      expect(attrs.ObjectSize).toBe(3000);
      expect(attrs.ETag).toBe(md5hex(body));
    }
  });

  it("streamed bodies arrive aws-chunked with a trailing checksum and round-trip; large ones go to disk", async () => {
    const parts = [randomBytes(100_000), randomBytes(400_000), randomBytes(7)];
    const all = Buffer.concat(parts);
    const put = await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "stream", Body: Readable.from(parts), ContentLength: all.length }));
    expect(put.ETag).toBe(`"${md5hex(all)}"`);
    const got = Buffer.from(await (await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "stream" }))).Body!.transformToByteArray());
    expect(got.equals(all)).toBe(true);
  });

  it("delete markers and versions", async () => {
    await sim.s3.send(new PutBucketVersioningCommand({ Bucket: "bkt", VersioningConfiguration: { Status: "Enabled" } }));
    const v1 = await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "v", Body: "one" }));
    const v2 = await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "v", Body: "two" }));
    expect(v1.VersionId).toBeTruthy();
    expect(v2.VersionId).not.toBe(v1.VersionId);
    const del = await sim.s3.send(new DeleteObjectCommand({ Bucket: "bkt", Key: "v" }));
    expect(del.DeleteMarker).toBe(true);
    await expectAwsError(sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "v" })), { name: "NoSuchKey", status: 404 });
    expect(await text(await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "v", VersionId: v1.VersionId })))).toBe("one");
    const lv = await sim.s3.send(new ListObjectVersionsCommand({ Bucket: "bkt" }));
    expect(lv.Versions!.map((x) => [x.VersionId, x.IsLatest])).toEqual([
      [v2.VersionId, false],
      [v1.VersionId, false],
    ]);
    expect(lv.DeleteMarkers!.map((x) => [x.VersionId, x.IsLatest])).toEqual([[del.VersionId, true]]);
    expect((await sim.s3.send(new ListObjectsV2Command({ Bucket: "bkt" }))).KeyCount).toBe(0);
    await sim.s3.send(new DeleteObjectCommand({ Bucket: "bkt", Key: "v", VersionId: del.VersionId }));
    expect(await text(await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "v" })))).toBe("two");
    const page = await sim.s3.send(new ListObjectVersionsCommand({ Bucket: "bkt", MaxKeys: 1 }));
    expect(page.IsTruncated).toBe(true);
    const next = await sim.s3.send(
      new ListObjectVersionsCommand({ Bucket: "bkt", MaxKeys: 1, KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker }),
    );
    expect(next.Versions![0]!.VersionId).toBe(v1.VersionId);
  });

  it("DeleteObjects (quiet or not) and MalformedXML", async () => {
    for (const k of ["a", "b", "c"]) await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: k, Body: k }));
    const r = await sim.s3.send(new DeleteObjectsCommand({ Bucket: "bkt", Delete: { Objects: [{ Key: "a" }, { Key: "zz" }] } }));
    expect(r.Deleted!.map((d) => d.Key).sort()).toEqual(["a", "zz"]);
    const q = await sim.s3.send(new DeleteObjectsCommand({ Bucket: "bkt", Delete: { Objects: [{ Key: "b" }], Quiet: true } }));
    expect(q.Deleted).toBeUndefined();
    expect((await sim.s3.send(new ListObjectsV2Command({ Bucket: "bkt" }))).Contents!.map((c) => c.Key)).toEqual(["c"]);
    await expectAwsError(sim.s3.send(new DeleteObjectsCommand({ Bucket: "bkt", Delete: { Objects: [] } })), { name: "MalformedXML", status: 400 });
  });

  it("copy: directives, self-copy rule, conditions", async () => {
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "src", Body: "data", Metadata: { a: "1" }, ContentType: "text/plain" }));
    const c = await sim.s3.send(new CopyObjectCommand({ Bucket: "bkt", Key: "dst", CopySource: "bkt/src" }));
    expect(c.CopyObjectResult!.ETag).toBe(`"${md5hex("data")}"`);
    expect((await sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "dst" }))).Metadata).toEqual({ a: "1" });
    await sim.s3.send(
      new CopyObjectCommand({ Bucket: "bkt", Key: "dst2", CopySource: "/bkt/src", MetadataDirective: "REPLACE", Metadata: { b: "2" }, ContentType: "x/y" }),
    );
    expect((await sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "dst2" }))).Metadata).toEqual({ b: "2" });
    await expectAwsError(sim.s3.send(new CopyObjectCommand({ Bucket: "bkt", Key: "src", CopySource: "bkt/src" })), { name: "InvalidRequest", status: 400 });
    await sim.s3.send(new CopyObjectCommand({ Bucket: "bkt", Key: "src", CopySource: "bkt/src", MetadataDirective: "REPLACE", Metadata: { c: "3" } }));
    expect((await sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "src" }))).Metadata).toEqual({ c: "3" });
    await expectAwsError(sim.s3.send(new CopyObjectCommand({ Bucket: "bkt", Key: "x", CopySource: "bkt/src", CopySourceIfMatch: '"nope"' })), {
      name: "PreconditionFailed",
      status: 412,
    });
    await expectAwsError(sim.s3.send(new CopyObjectCommand({ Bucket: "bkt", Key: "x", CopySource: "bkt/none" })), { name: "NoSuchKey", status: 404 });
  });

  it("keys with odd characters round-trip; 1024-byte keys work and 1025 do not", async () => {
    const keys = [
      "with space.txt",
      "plus+sign",
      "per%cent",
      "a//double",
      "/leading",
      "trailing/",
      "ünïcödé/日本語.txt",
      "q?uestion&amp=1",
      "#hash",
      "k".repeat(1024),
    ];
    for (const k of keys) await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: k, Body: k }));
    for (const k of keys) {
      expect(await text(await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: k })))).toBe(k);
      expect(await text(await sim.vhost.send(new GetObjectCommand({ Bucket: "bkt", Key: k })))).toBe(k);
    }
    const listed = (await sim.s3.send(new ListObjectsV2Command({ Bucket: "bkt" }))).Contents!.map((c) => c.Key);
    expect([...listed].sort()).toEqual([...keys].sort());
    const enc = await sim.s3.send(new ListObjectsV2Command({ Bucket: "bkt", EncodingType: "url", Prefix: "with" }));
    expect(enc.Contents![0]!.Key).toBe("with+space.txt");
    await expectAwsError(sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "k".repeat(1025), Body: "x" })), { name: "KeyTooLongError", status: 400 });
  });
});

describe("listings", () => {
  beforeEach(async () => {
    for (const k of ["a/1", "a/2", "a/b/3", "b/4", "c", "d"]) await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: k, Body: k }));
  });

  it("delimiter, prefixes, start-after, v1 markers", async () => {
    const r = await sim.s3.send(new ListObjectsV2Command({ Bucket: "bkt", Delimiter: "/" }));
    expect(r.CommonPrefixes!.map((p) => p.Prefix)).toEqual(["a/", "b/"]);
    expect(r.Contents!.map((c) => c.Key)).toEqual(["c", "d"]);
    expect(r.KeyCount).toBe(4);
    const sub = await sim.s3.send(new ListObjectsV2Command({ Bucket: "bkt", Prefix: "a/", Delimiter: "/" }));
    expect(sub.Contents!.map((c) => c.Key)).toEqual(["a/1", "a/2"]);
    expect(sub.CommonPrefixes!.map((p) => p.Prefix)).toEqual(["a/b/"]);
    expect((await sim.s3.send(new ListObjectsV2Command({ Bucket: "bkt", StartAfter: "b/4" }))).Contents!.map((c) => c.Key)).toEqual(["c", "d"]);
    const v1 = await sim.s3.send(new ListObjectsCommand({ Bucket: "bkt", MaxKeys: 2, Delimiter: "/" }));
    expect(v1.IsTruncated).toBe(true);
    expect(v1.NextMarker).toBe("b/");
    const v1b = await sim.s3.send(new ListObjectsCommand({ Bucket: "bkt", Marker: v1.NextMarker, Delimiter: "/" }));
    expect(v1b.Contents!.map((c) => c.Key)).toEqual(["c", "d"]);
  });

  it("the V2 paginator walks each key once, across common prefixes too", async () => {
    const seen: string[] = [];
    for await (const p of paginateListObjectsV2({ client: sim.s3, pageSize: 1 }, { Bucket: "bkt", Delimiter: "/" })) {
      seen.push(...(p.Contents ?? []).map((c) => c.Key!), ...(p.CommonPrefixes ?? []).map((c) => c.Prefix!));
    }
    expect(seen).toEqual(["a/", "b/", "c", "d"]);
    const flat: string[] = [];
    for await (const p of paginateListObjectsV2({ client: sim.s3, pageSize: 4 }, { Bucket: "bkt" })) flat.push(...(p.Contents ?? []).map((c) => c.Key!));
    expect(flat).toEqual(["a/1", "a/2", "a/b/3", "b/4", "c", "d"]);
  });
});

describe("multipart", () => {
  it("create, upload parts, list parts (paginated), complete with md5-of-md5s ETag and composite checksum", async () => {
    const { UploadId } = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket: "bkt", Key: "mp", ChecksumAlgorithm: "CRC32", ContentType: "text/x" }));
    const p1 = randomBytes(5 * 1024 * 1024);
    const p2 = randomBytes(1000);
    const u1 = await sim.s3.send(new UploadPartCommand({ Bucket: "bkt", Key: "mp", UploadId, PartNumber: 1, Body: p1, ChecksumAlgorithm: "CRC32" }));
    const u2 = await sim.s3.send(new UploadPartCommand({ Bucket: "bkt", Key: "mp", UploadId, PartNumber: 2, Body: p2, ChecksumAlgorithm: "CRC32" }));
    const lp = await sim.s3.send(new ListPartsCommand({ Bucket: "bkt", Key: "mp", UploadId, MaxParts: 1 }));
    expect(lp.Parts!.map((p) => p.PartNumber)).toEqual([1]);
    expect(lp.IsTruncated).toBe(true);
    expect(
      (await sim.s3.send(new ListPartsCommand({ Bucket: "bkt", Key: "mp", UploadId, PartNumberMarker: lp.NextPartNumberMarker }))).Parts!.map(
        (p) => p.PartNumber,
      ),
    ).toEqual([2]);
    expect((await sim.s3.send(new ListMultipartUploadsCommand({ Bucket: "bkt" }))).Uploads!.map((u) => u.UploadId)).toEqual([UploadId]);
    await expectAwsError(
      sim.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: "bkt",
          Key: "mp",
          UploadId,
          MultipartUpload: {
            Parts: [
              { PartNumber: 2, ETag: u2.ETag },
              { PartNumber: 1, ETag: u1.ETag },
            ],
          },
        }),
      ),
      { name: "InvalidPartOrder", status: 400 },
    );
    await expectAwsError(
      sim.s3.send(new CompleteMultipartUploadCommand({ Bucket: "bkt", Key: "mp", UploadId, MultipartUpload: { Parts: [{ PartNumber: 3, ETag: u2.ETag }] } })),
      {
        name: "InvalidPart",
        status: 400,
      },
    );
    const done = await sim.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: "bkt",
        Key: "mp",
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: u1.ETag, ChecksumCRC32: u1.ChecksumCRC32 },
            { PartNumber: 2, ETag: u2.ETag, ChecksumCRC32: u2.ChecksumCRC32 },
          ],
        },
      }),
    );
    const expectedEtag = `"${md5hex(Buffer.concat([Buffer.from(md5hex(p1), "hex"), Buffer.from(md5hex(p2), "hex")]))}-2"`;
    expect(done.ETag).toBe(expectedEtag);
    expect(done.ChecksumCRC32).toMatch(/^[A-Za-z0-9+/]+=*-2$/);
    const head = await sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "mp", PartNumber: 2 }));
    expect(head.ContentLength).toBe(1000);
    expect(head.PartsCount).toBe(2);
    const all = Buffer.from(await (await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "mp" }))).Body!.transformToByteArray());
    expect(all.equals(Buffer.concat([p1, p2]))).toBe(true);
    // Aborting the completed upload answers 204 and leaves the object (as S3 does; aws-sdk-js-v3's client-s3 e2e relies on it).
    expect((await sim.s3.send(new AbortMultipartUploadCommand({ Bucket: "bkt", Key: "mp", UploadId }))).$metadata.httpStatusCode).toBe(204);
    expect((await sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "mp" }))).ContentLength).toBe(p1.length + p2.length);
  });

  it("FULL_OBJECT CRC checksums are combined across parts and validated by the SDK on GET", async () => {
    const { UploadId } = await sim.s3.send(
      new CreateMultipartUploadCommand({ Bucket: "bkt", Key: "full", ChecksumAlgorithm: "CRC32", ChecksumType: "FULL_OBJECT" }),
    );
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(12345)];
    const etags = [];
    for (const [i, p] of parts.entries())
      etags.push(
        (await sim.s3.send(new UploadPartCommand({ Bucket: "bkt", Key: "full", UploadId, PartNumber: i + 1, Body: p, ChecksumAlgorithm: "CRC32" }))).ETag,
      );
    const done = await sim.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: "bkt",
        Key: "full",
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    const whole = Buffer.alloc(4);
    whole.writeUInt32BE(crc32(Buffer.concat(parts)));
    expect(done.ChecksumCRC32).toBe(whole.toString("base64"));
    expect(done.ChecksumType).toBe("FULL_OBJECT");
    const get = await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "full", ChecksumMode: "ENABLED" }));
    expect(get.ChecksumCRC32).toBe(whole.toString("base64"));
    expect((await get.Body!.transformToByteArray()).length).toBe(parts[0]!.length + parts[1]!.length);
  });

  it("UploadPartCopy with a source range", async () => {
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "src", Body: "0123456789" }));
    const { UploadId } = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket: "bkt", Key: "pc" }));
    const p = await sim.s3.send(
      new UploadPartCopyCommand({ Bucket: "bkt", Key: "pc", UploadId, PartNumber: 1, CopySource: "bkt/src", CopySourceRange: "bytes=3-6" }),
    );
    await sim.s3.send(
      new CompleteMultipartUploadCommand({ Bucket: "bkt", Key: "pc", UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p.CopyPartResult!.ETag }] } }),
    );
    expect(await text(await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "pc" })))).toBe("3456");
  });

  it("lib-storage Upload of 100 MiB, streamed", async () => {
    const chunk = randomBytes(1024 * 1024);
    const hash = createHash("md5");
    async function* gen() {
      for (let i = 0; i < 100; i++) {
        hash.update(chunk);
        yield chunk;
      }
    }
    const up = new Upload({ client: sim.s3, params: { Bucket: "bkt", Key: "big", Body: Readable.from(gen()) }, partSize: 8 * 1024 * 1024, queueSize: 4 });
    const r = await up.done();
    expect(r.ETag).toMatch(/-13"$/);
    const head = await sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "big" }));
    expect(head.ContentLength).toBe(100 * 1024 * 1024);
    const body = (await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "big" }))).Body as Readable;
    const h2 = createHash("md5");
    for await (const c of body) h2.update(c as Buffer);
    expect(h2.digest("hex")).toBe(hash.digest("hex"));
  }, 60_000);
});

describe("presigned URLs and POST uploads", () => {
  it("presigned PUT and GET work; an expired URL is AccessDenied 'Request has expired'", async () => {
    const putUrl = await getSignedUrl(sim.s3, new PutObjectCommand({ Bucket: "bkt", Key: "pre" }), { expiresIn: 60 });
    const put = await fetch(putUrl, { method: "PUT", body: "presigned body" });
    expect(put.status).toBe(200);
    const getUrl = await getSignedUrl(sim.s3, new GetObjectCommand({ Bucket: "bkt", Key: "pre" }), { expiresIn: 60 });
    expect(await (await fetch(getUrl)).text()).toBe("presigned body");
    const old = await getSignedUrl(sim.s3, new GetObjectCommand({ Bucket: "bkt", Key: "pre" }), { expiresIn: 1, signingDate: new Date(Date.now() - 10_000) });
    const res = await fetch(old);
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).toContain("<Code>AccessDenied</Code>");
    expect(body).toContain("<Message>Request has expired</Message>");
    expect(body).toContain("<X-Amz-Expires>1</X-Amz-Expires>");
  });

  it("a browser POST with a policy stores the file; policy conditions are enforced", async () => {
    const policy = (conds: unknown[]) =>
      Buffer.from(JSON.stringify({ expiration: new Date(Date.now() + 60_000).toISOString(), conditions: conds })).toString("base64");
    const post = (fields: Record<string, string>, file = "file body") => {
      const fd = new FormData();
      for (const [k, v] of Object.entries(fields)) fd.append(k, v);
      fd.append("file", new Blob([file]), "photo.jpg");
      return fetch(`${sim.server.url}/bkt`, { method: "POST", body: fd });
    };
    const tagging = "<Tagging><TagSet><Tag><Key>source</Key><Value>browser</Value></Tag></TagSet></Tagging>";
    const ok = await post({
      key: "uploads/${filename}",
      "Content-Type": "image/jpeg",
      success_action_status: "201",
      tagging,
      policy: policy([
        { bucket: "bkt" },
        ["starts-with", "$key", "uploads/"],
        ["starts-with", "$Content-Type", "image/"],
        { success_action_status: "201" },
        ["starts-with", "$tagging", ""],
        ["content-length-range", 1, 100],
      ]),
    });
    expect(ok.status).toBe(201);
    expect(await ok.text()).toContain("<Key>uploads/photo.jpg</Key>");
    const head = await sim.s3.send(new HeadObjectCommand({ Bucket: "bkt", Key: "uploads/photo.jpg" }));
    expect(head.ContentType).toBe("image/jpeg");
    expect(head.ContentLength).toBe(9);
    expect((await sim.s3.send(new GetObjectTaggingCommand({ Bucket: "bkt", Key: "uploads/photo.jpg" }))).TagSet).toEqual([{ Key: "source", Value: "browser" }]);
    const bad = await post({ key: "elsewhere/x", policy: policy([{ bucket: "bkt" }, ["starts-with", "$key", "uploads/"]]) });
    expect(bad.status).toBe(403);
    expect(await bad.text()).toContain("Invalid according to Policy");
    const big = await post({
      key: "uploads/big",
      policy: policy([
        ["starts-with", "$key", "uploads/"],
        ["content-length-range", 1, 3],
      ]),
    });
    expect(big.status).toBe(400);
    expect(await big.text()).toContain("<Code>EntityTooLarge</Code>");
  });
});

describe("limits, object lock, more pagination and conditions", () => {
  it("metadata over 2 KB, bad part numbers, max-keys", async () => {
    await expectAwsError(sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "m", Body: "x", Metadata: { big: "v".repeat(2100) } })), {
      name: "MetadataTooLarge",
      status: 400,
    });
    const { UploadId } = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket: "bkt", Key: "p" }));
    await expectAwsError(sim.s3.send(new UploadPartCommand({ Bucket: "bkt", Key: "p", UploadId, PartNumber: 10001, Body: "x" })), {
      name: "InvalidArgument",
      status: 400,
    });
    await expectAwsError(sim.s3.send(new ListObjectsV2Command({ Bucket: "bkt", MaxKeys: -1 })), { name: "InvalidArgument", status: 400 });
  });

  it("ListMultipartUploads paginates; CompleteMultipartUpload honours If-None-Match", async () => {
    const ids: string[] = [];
    for (const k of ["u1", "u2", "u3"]) ids.push((await sim.s3.send(new CreateMultipartUploadCommand({ Bucket: "bkt", Key: k }))).UploadId!);
    const p1 = await sim.s3.send(new ListMultipartUploadsCommand({ Bucket: "bkt", MaxUploads: 2 }));
    expect(p1.Uploads!.map((u) => u.Key)).toEqual(["u1", "u2"]);
    expect(p1.IsTruncated).toBe(true);
    const p2 = await sim.s3.send(
      new ListMultipartUploadsCommand({ Bucket: "bkt", MaxUploads: 2, KeyMarker: p1.NextKeyMarker, UploadIdMarker: p1.NextUploadIdMarker }),
    );
    expect(p2.Uploads!.map((u) => u.Key)).toEqual(["u3"]);
    await sim.s3.send(new PutObjectCommand({ Bucket: "bkt", Key: "u1", Body: "exists" }));
    const part = await sim.s3.send(new UploadPartCommand({ Bucket: "bkt", Key: "u1", UploadId: ids[0], PartNumber: 1, Body: "new" }));
    await expectAwsError(
      sim.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: "bkt",
          Key: "u1",
          UploadId: ids[0],
          IfNoneMatch: "*",
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
        }),
      ),
      { name: "PreconditionFailed", status: 412 },
    );
    expect(await text(await sim.s3.send(new GetObjectCommand({ Bucket: "bkt", Key: "u1" })))).toBe("exists");
  });

  it("object lock: retention and legal hold protect versions from deletion; governance can be bypassed", async () => {
    await sim.s3.send(new CreateBucketCommand({ Bucket: "locked", ObjectLockEnabledForBucket: true }));
    const v = await sim.s3.send(new PutObjectCommand({ Bucket: "locked", Key: "k", Body: "x" }));
    const until = new Date(Date.now() + 3600_000);
    await sim.s3.send(
      new PutObjectRetentionCommand({ Bucket: "locked", Key: "k", VersionId: v.VersionId, Retention: { Mode: "GOVERNANCE", RetainUntilDate: until } }),
    );
    expect((await sim.s3.send(new GetObjectRetentionCommand({ Bucket: "locked", Key: "k", VersionId: v.VersionId }))).Retention!.Mode).toBe("GOVERNANCE");
    await expectAwsError(sim.s3.send(new DeleteObjectCommand({ Bucket: "locked", Key: "k", VersionId: v.VersionId })), { name: "AccessDenied", status: 403 });
    await sim.s3.send(new DeleteObjectCommand({ Bucket: "locked", Key: "k", VersionId: v.VersionId, BypassGovernanceRetention: true }));
    const w = await sim.s3.send(new PutObjectCommand({ Bucket: "locked", Key: "h", Body: "y" }));
    await sim.s3.send(new PutObjectLegalHoldCommand({ Bucket: "locked", Key: "h", VersionId: w.VersionId, LegalHold: { Status: "ON" } }));
    await expectAwsError(sim.s3.send(new DeleteObjectCommand({ Bucket: "locked", Key: "h", VersionId: w.VersionId, BypassGovernanceRetention: true })), {
      name: "AccessDenied",
      status: 403,
    });
  });
});

describe("file-backed bodies", () => {
  it("failed uploads leave no file; concurrent PUTs to one key leave one complete object; ranges stream from files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "awsim-data-test-"));
    const srv = await startServer({ dataDir: dir });
    try {
      const c = new S3Client(clientConfig(srv, { forcePathStyle: true }));
      await c.send(new CreateBucketCommand({ Bucket: "files" }));
      const big = randomBytes(600_000);
      await expectAwsError(c.send(new PutObjectCommand({ Bucket: "files", Key: "bad", Body: big, ChecksumCRC32: "AAAAAA==" })), {
        name: "BadDigest",
        status: 400,
      });
      // Files are removed asynchronously: wait for it (a loaded machine takes longer than a fixed pause).
      const settled = async (n: number) => {
        for (let i = 0; i < 200 && readdirSync(dir).length !== n; i++) await new Promise((r) => setTimeout(r, 25));
        return readdirSync(dir);
      };
      expect(await settled(0)).toEqual([]);
      const bodies = Array.from({ length: 6 }, (_, i) => Buffer.alloc(400_000 + i, i + 1));
      await Promise.all(bodies.map((b) => c.send(new PutObjectCommand({ Bucket: "files", Key: "same", Body: b }))));
      const got = Buffer.from(await (await c.send(new GetObjectCommand({ Bucket: "files", Key: "same" }))).Body!.transformToByteArray());
      expect(bodies.some((b) => b.equals(got))).toBe(true);
      expect(await settled(1)).toHaveLength(1);
      const r = await c.send(new GetObjectCommand({ Bucket: "files", Key: "same", Range: "bytes=100000-100009" }));
      expect(Buffer.from(await r.Body!.transformToByteArray()).equals(got.subarray(100000, 100010))).toBe(true);
      await c.send(new DeleteObjectCommand({ Bucket: "files", Key: "same" }));
      expect(await settled(0)).toEqual([]);
    } finally {
      await srv.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
