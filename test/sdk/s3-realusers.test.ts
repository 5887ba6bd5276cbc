/**
 * What code run against real S3 in its projects' CI relies on, replayed through the JS SDK: Apache Hadoop's S3A
 * integration tests (ITestS3APutIfMatchAndIfNoneMatch, ITestS3AFailureHandling, ITestS3ARemoteFileChanged,
 * auth/ITestAssumeRole), Apache Airflow's S3 system test (example_s3.py) and aws-sdk-pandas' tests/unit/test_s3*.py.
 */
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  GetObjectAttributesCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutBucketRequestPaymentCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  SelectObjectContentCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { Xxh3_64, Xxh3_128, Xxh64 } from "@aws-sdk/checksums/xxh";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type AwsimServer, clientConfig, expectAwsError, startServer, useServer } from "../helpers.js";

const sim = useServer({ reset: "s3" }, (cfg) => ({
  s3: new S3Client({ ...cfg, forcePathStyle: true }),
  iam: new IAMClient(cfg),
  sts: new STSClient(cfg),
}));
const Bucket = "realusers";

beforeEach(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket }));
});

const put = (Key: string, Body: string, extra: { IfMatch?: string; IfNoneMatch?: string } = {}) =>
  sim.s3.send(new PutObjectCommand({ Bucket, Key, Body: Buffer.from(Body), ...extra }));
const read = async (Key: string) => (await sim.s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToString();
/** AWS's 412 for a write condition that does not hold, naming the condition. */
async function expectPrecondition(p: Promise<unknown>, condition: string) {
  const err = await expectAwsError(p, { name: "PreconditionFailed", status: 412, message: "At least one of the pre-conditions you specified did not hold" });
  expect((err as unknown as { Condition?: string }).Condition).toBe(condition);
}

describe("CopyObject conditional writes on the destination (the model's If-Match / If-None-Match)", () => {
  // S3A's rename copies with conditions as its create does (ITestS3APutIfMatchAndIfNoneMatch: create with overwrite=false).
  it("If-None-Match: * copies only onto a key that does not exist", async () => {
    await put("src", "source");
    await put("dest", "already here");
    await expectPrecondition(sim.s3.send(new CopyObjectCommand({ Bucket, Key: "dest", CopySource: `${Bucket}/src`, IfNoneMatch: "*" })), "If-None-Match");
    expect(await read("dest")).toBe("already here");
    const ok = await sim.s3.send(new CopyObjectCommand({ Bucket, Key: "fresh", CopySource: `${Bucket}/src`, IfNoneMatch: "*" }));
    expect(ok.CopyObjectResult?.ETag).toBe((await sim.s3.send(new HeadObjectCommand({ Bucket, Key: "src" }))).ETag);
    expect(await read("fresh")).toBe("source");
  });

  it("If-Match copies only over the destination's current ETag; a missing destination is NoSuchKey", async () => {
    await put("src", "source");
    const first = await put("dest", "v1");
    await put("dest", "v2");
    await expectPrecondition(sim.s3.send(new CopyObjectCommand({ Bucket, Key: "dest", CopySource: `${Bucket}/src`, IfMatch: first.ETag })), "If-Match");
    expect(await read("dest")).toBe("v2");
    const cur = await sim.s3.send(new HeadObjectCommand({ Bucket, Key: "dest" }));
    await sim.s3.send(new CopyObjectCommand({ Bucket, Key: "dest", CopySource: `${Bucket}/src`, IfMatch: cur.ETag }));
    expect(await read("dest")).toBe("source");
    await expectAwsError(sim.s3.send(new CopyObjectCommand({ Bucket, Key: "nowhere", CopySource: `${Bucket}/src`, IfMatch: cur.ETag })), {
      name: "NoSuchKey",
      status: 404,
    });
  });

  it("If-None-Match other than * is NotImplemented, as for PutObject", async () => {
    await put("src", "source");
    await expectAwsError(sim.s3.send(new CopyObjectCommand({ Bucket, Key: "dest", CopySource: `${Bucket}/src`, IfNoneMatch: '"abc"' })), {
      name: "NotImplemented",
      status: 501,
    });
  });
});

describe("S3A's conditional creates (ITestS3APutIfMatchAndIfNoneMatch), which already held", () => {
  it("two multipart uploads completed with the same If-Match: the second is PreconditionFailed", async () => {
    const created = await put("race", "small file");
    const start = async () => {
      const { UploadId } = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "race" }));
      const part = await sim.s3.send(new UploadPartCommand({ Bucket, Key: "race", UploadId, PartNumber: 1, Body: "multipart data" }));
      return () =>
        sim.s3.send(
          new CompleteMultipartUploadCommand({
            Bucket,
            Key: "race",
            UploadId,
            IfMatch: created.ETag,
            MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
          }),
        );
    };
    const one = await start();
    const two = await start();
    expect((await one()).ETag).toMatch(/-1"$/);
    await expectPrecondition(two(), "If-Match");
  });

  it("an empty file over an empty file with If-None-Match: * is PreconditionFailed", async () => {
    await put("empty", "", { IfNoneMatch: "*" });
    await expectPrecondition(put("empty", "", { IfNoneMatch: "*" }), "If-None-Match");
  });
});

describe("S3 Select keeps JSON decimals as written (aws-sdk-pandas tests/unit/test_s3_select.py)", () => {
  // test_compression reads a JSON document of floats back through select_query and compares dtypes: 4.0 must stay 4.0.
  async function select(Key: string, Expression: string, Type: "DOCUMENT" | "LINES") {
    const r = await sim.s3.send(
      new SelectObjectContentCommand({
        Bucket,
        Key,
        Expression,
        ExpressionType: "SQL",
        InputSerialization: { JSON: { Type }, CompressionType: "NONE" },
        OutputSerialization: { JSON: {} },
      }),
    );
    let out = "";
    for await (const ev of r.Payload!) if (ev.Records?.Payload) out += Buffer.from(ev.Records.Payload).toString();
    return out;
  }

  it("a document of records: floats written 4.0 come back 4.0, integers stay integers", async () => {
    await put(
      "records.json",
      JSON.stringify([
        { c0: 1, c1: "foo", c2: 4.0 },
        { c0: 2, c1: "boo", c2: 5.5 },
      ]).replace('"c2":4', '"c2":4.0'),
    );
    expect(await select("records.json", "select * from s3object[*][*]", "DOCUMENT")).toBe('{"c0":1,"c1":"foo","c2":4.0}\n{"c0":2,"c1":"boo","c2":5.5}\n');
    expect(await select("records.json", "select count(*) from s3object[*][*]", "DOCUMENT")).toBe('{"_1":2}\n');
  });

  it("decimals keep their digits in nested values and compare and compute as numbers", async () => {
    await put("lines.json", '{"a":4.0,"b":[1.50,{"c":-0.0}],"d":"x 1.0"}\n{"a":5.25,"b":null,"d":"y"}\n');
    expect(await select("lines.json", "select * from s3object s where s.a = 4", "LINES")).toBe('{"a":4.0,"b":[1.50,{"c":-0.0}],"d":"x 1.0"}\n');
    expect(await select("lines.json", "select s.a + 1 as p from s3object s where s.a > 4.5", "LINES")).toBe('{"p":6.25}\n');
    expect(await select("lines.json", "select max(s.a) as hi, min(s.a) as lo from s3object s", "LINES")).toBe('{"hi":5.25,"lo":4.0}\n');
  });

  it("on compressed input, BytesScanned counts the stored (compressed) bytes and BytesProcessed the uncompressed ones", async () => {
    // test_s3_select.py's test_compression queries gzip and bzip2 objects; the Stats event follows the model's definitions.
    const text = `${JSON.stringify([
      { c0: 1, c2: 4.5 },
      { c0: 2, c2: 5.5 },
    ])}\n`.repeat(20);
    const gz = gzipSync(text);
    await sim.s3.send(new PutObjectCommand({ Bucket, Key: "records.json.gz", Body: gz }));
    const r = await sim.s3.send(
      new SelectObjectContentCommand({
        Bucket,
        Key: "records.json.gz",
        Expression: "select count(*) from s3object[*][*]",
        ExpressionType: "SQL",
        InputSerialization: { JSON: { Type: "DOCUMENT" }, CompressionType: "GZIP" },
        OutputSerialization: { JSON: {} },
      }),
    );
    let stats: { BytesScanned?: number; BytesProcessed?: number } | undefined;
    let out = "";
    for await (const ev of r.Payload!) {
      if (ev.Records?.Payload) out += Buffer.from(ev.Records.Payload).toString();
      if (ev.Stats?.Details) stats = ev.Stats.Details;
    }
    expect(out).toBe('{"_1":40}\n');
    expect(stats?.BytesScanned).toBe(gz.length);
    expect(stats?.BytesProcessed).toBe(Buffer.byteLength(text));
  });
});

describe("STS session policies as S3A's assumed-role tests send them (auth/ITestAssumeRole)", () => {
  it('a policy that is not a JSON object at all is "not in the valid JSON format"; other syntax errors are "Syntax errors in policy."', async () => {
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:root" }, Action: "sts:AssumeRole" }] };
    const role = await sim.iam.send(new CreateRoleCommand({ RoleName: "s3a-role", AssumeRolePolicyDocument: JSON.stringify(trust) }));
    const assume = (Policy: string) =>
      sim.sts.send(new AssumeRoleCommand({ RoleArn: role.Role!.Arn, RoleSessionName: "valid", DurationSeconds: 2700, Policy }));
    // testAssumeRoleFSBadPolicy: "}" (the exception must mention JSON).
    await expectAwsError(assume("}"), { name: "MalformedPolicyDocumentException", status: 400, message: "The policy is not in the valid JSON format." });
    // testAssumeRoleFSBadPolicy2: "{'json':'but not what AWS wants}".
    await expectAwsError(assume("{'json':'but not what AWS wants}"), {
      name: "MalformedPolicyDocumentException",
      status: 400,
      message: "Syntax errors in policy.",
    });
    const ok = await assume(JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetBucketLocation", Resource: "*" }] }));
    expect(ok.AssumedRoleUser?.Arn).toBe("arn:aws:sts::000000000000:assumed-role/s3a-role/valid");
  });
});

describe("the SHA512 and MD5 checksums the S3 model added (boto3 computes SHA512 for ChecksumAlgorithm='SHA512')", () => {
  const digest = (alg: "sha512" | "md5", ...bufs: Buffer[]) => {
    const h = createHash(alg);
    for (const b of bufs) h.update(b);
    return h.digest();
  };
  const b64 = (b: Buffer) => b.toString("base64");

  it("a PutObject checksum is verified, answered, returned with ChecksumMode and listed; a wrong one is BadDigest", async () => {
    const body = Buffer.from("hello world");
    const put512 = await sim.s3.send(new PutObjectCommand({ Bucket, Key: "s512", Body: body, ChecksumSHA512: b64(digest("sha512", body)) }));
    expect(put512.ChecksumSHA512).toBe(b64(digest("sha512", body)));
    expect(put512.ChecksumType).toBe("FULL_OBJECT");
    const putMd5 = await sim.s3.send(new PutObjectCommand({ Bucket, Key: "smd5", Body: body, ChecksumMD5: b64(digest("md5", body)) }));
    expect(putMd5.ChecksumMD5).toBe(b64(digest("md5", body)));
    const head = await sim.s3.send(new HeadObjectCommand({ Bucket, Key: "s512", ChecksumMode: "ENABLED" }));
    expect(head.ChecksumSHA512).toBe(b64(digest("sha512", body)));
    const listed = await sim.s3.send(new ListObjectsV2Command({ Bucket }));
    expect(listed.Contents?.map((c) => [c.Key, c.ChecksumAlgorithm])).toEqual([
      ["s512", ["SHA512"]],
      ["smd5", ["MD5"]],
    ]);
    await expectAwsError(sim.s3.send(new PutObjectCommand({ Bucket, Key: "bad", Body: body, ChecksumSHA512: b64(digest("sha512", Buffer.from("x"))) })), {
      name: "BadDigest",
      status: 400,
      message: "The SHA512 you specified did not match the calculated checksum.",
    });
  });

  it("a multipart upload with SHA512 is COMPOSITE: the digest of the parts' digests, -N; FULL_OBJECT is refused for them", async () => {
    const { UploadId, ChecksumType } = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "mp512", ChecksumAlgorithm: "SHA512" }));
    expect(ChecksumType).toBe("COMPOSITE");
    const bodies = [Buffer.from("a".repeat(10)), Buffer.from("b".repeat(10))];
    const Parts = [];
    for (const [i, Body] of bodies.entries()) {
      const p = await sim.s3.send(
        new UploadPartCommand({ Bucket, Key: "mp512", UploadId, PartNumber: i + 1, Body, ChecksumSHA512: b64(digest("sha512", Body)) }),
      );
      expect(p.ChecksumSHA512).toBe(b64(digest("sha512", Body)));
      Parts.push({ PartNumber: i + 1, ETag: p.ETag, ChecksumSHA512: p.ChecksumSHA512 });
    }
    const done = await sim.s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: "mp512", UploadId, MultipartUpload: { Parts } }));
    const composite = b64(digest("sha512", ...bodies.map((b) => digest("sha512", b))));
    expect(done.ChecksumSHA512).toBe(`${composite}-2`);
    const attrs = await sim.s3.send(new GetObjectAttributesCommand({ Bucket, Key: "mp512", ObjectAttributes: ["Checksum"] }));
    expect(attrs.Checksum).toEqual({ ChecksumSHA512: composite, ChecksumType: "COMPOSITE" });
    await expectAwsError(sim.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "mpmd5", ChecksumAlgorithm: "MD5", ChecksumType: "FULL_OBJECT" })), {
      name: "InvalidRequest",
      status: 400,
      message: "The FULL_OBJECT checksum type cannot be used with the md5 checksum algorithm.",
    });
  });
});

describe("Requester Pays (S3A's ITestS3ARequesterPays reads a requester-pays bucket with fs.s3a.requester.pays.enabled)", () => {
  it("another account's acknowledged requests are answered with x-amz-request-charged: requester; the owner's are not", async () => {
    await put("scene_list.gz", "scenes");
    await sim.s3.send(new PutBucketRequestPaymentCommand({ Bucket, RequestPaymentConfiguration: { Payer: "Requester" } }));
    // The bucket grants the reading account, as a shared requester-pays data set's policy does (another account
    // without a grant is refused whoever pays).
    await sim.s3.send(
      new PutBucketPolicyCommand({
        Bucket,
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: "arn:aws:iam::111122223333:root" },
              Action: ["s3:GetObject", "s3:ListBucket"],
              Resource: [`arn:aws:s3:::${Bucket}`, `arn:aws:s3:::${Bucket}/*`],
            },
          ],
        }),
      }),
    );
    const other = new S3Client({ ...clientConfig(sim.server), credentials: { accessKeyId: "111122223333", secretAccessKey: "x" }, forcePathStyle: true });
    await expectAwsError(other.send(new GetObjectCommand({ Bucket, Key: "scene_list.gz" })), { name: "AccessDenied", status: 403 });
    const got = await other.send(new GetObjectCommand({ Bucket, Key: "scene_list.gz", RequestPayer: "requester" }));
    expect(got.RequestCharged).toBe("requester");
    expect(await got.Body!.transformToString()).toBe("scenes");
    const head = await other.send(new HeadObjectCommand({ Bucket, Key: "scene_list.gz", RequestPayer: "requester" }));
    expect(head.RequestCharged).toBe("requester");
    const listed = await other.send(new ListObjectsV2Command({ Bucket, RequestPayer: "requester" }));
    expect([listed.RequestCharged, listed.KeyCount]).toEqual(["requester", 1]);
    const own = await sim.s3.send(new GetObjectCommand({ Bucket, Key: "scene_list.gz", RequestPayer: "requester" }));
    expect(own.RequestCharged).toBeUndefined();
  });
});

describe("ETags of SSE-KMS and SSE-C objects are not MD5 digests of their data (the API reference's Object.ETag)", () => {
  // S3A's ITestS3APutIfMatchAndIfNoneMatch.testIfMatchOverwriteWithOutdatedEtag rewrites the same bytes and expects
  // the first ETag to be outdated: it holds on its SSE-KMS test buckets; ITestS3AMiscOperations expects unencrypted
  // (and empty) files of the same bytes to share their ETag.
  const md5 = (s: string) => `"${createHash("md5").update(s).digest("hex")}"`;
  const key = Buffer.alloc(32, 7).toString("base64");
  const keyMd5 = createHash("md5").update(Buffer.alloc(32, 7)).digest("base64");
  const ssec = { SSECustomerAlgorithm: "AES256", SSECustomerKey: key, SSECustomerKeyMD5: keyMd5 };

  it("the same bytes written twice with SSE-KMS have two ETags, so If-Match with the first is PreconditionFailed", async () => {
    const one = await sim.s3.send(new PutObjectCommand({ Bucket, Key: "kms", Body: Buffer.from("same bytes"), ServerSideEncryption: "aws:kms" }));
    const two = await sim.s3.send(new PutObjectCommand({ Bucket, Key: "kms", Body: Buffer.from("same bytes"), ServerSideEncryption: "aws:kms" }));
    expect(one.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(one.ETag).not.toBe(md5("same bytes"));
    expect(two.ETag).not.toBe(one.ETag);
    expect((await sim.s3.send(new HeadObjectCommand({ Bucket, Key: "kms" }))).ETag).toBe(two.ETag);
    await expectPrecondition(put("kms", "new bytes", { IfMatch: one.ETag }), "If-Match");
    // Unencrypted (SSE-S3) and empty objects keep the MD5 of their bytes.
    expect((await put("plain", "same bytes")).ETag).toBe(md5("same bytes"));
    const empty = await sim.s3.send(new PutObjectCommand({ Bucket, Key: "kms-empty", Body: Buffer.alloc(0), ServerSideEncryption: "aws:kms" }));
    expect(empty.ETag).toBe(md5(""));
  });

  it("SSE-C objects and copies: an encrypted copy has its own ETag; a copy without encryption has the MD5 again", async () => {
    const put1 = await sim.s3.send(new PutObjectCommand({ Bucket, Key: "c", Body: Buffer.from("secret"), ...ssec }));
    expect(put1.ETag).not.toBe(md5("secret"));
    const copySource = { CopySourceSSECustomerAlgorithm: "AES256", CopySourceSSECustomerKey: key, CopySourceSSECustomerKeyMD5: keyMd5 };
    const enc = await sim.s3.send(new CopyObjectCommand({ Bucket, Key: "c2", CopySource: `${Bucket}/c`, ...copySource, ...ssec }));
    expect(enc.CopyObjectResult?.ETag).not.toBe(put1.ETag);
    expect(enc.CopyObjectResult?.ETag).not.toBe(md5("secret"));
    const plain = await sim.s3.send(new CopyObjectCommand({ Bucket, Key: "c3", CopySource: `${Bucket}/c`, ...copySource }));
    expect(plain.CopyObjectResult?.ETag).toBe(md5("secret"));
    expect(await read("c3")).toBe("secret");
  });
});

describe("--enforce-iam: a missing object is 404 only to an IAM identity that may list the bucket (GetObject/HeadObject API reference)", () => {
  // S3A's assumed-role tests expect AccessDeniedException from getFileStatus under policies without s3:ListBucket.
  let server: AwsimServer;
  beforeAll(async () => {
    server = await startServer({ enforceIam: true });
  });
  afterAll(() => server?.stop());

  it("GetObject and HeadObject of a missing key: 403 without s3:ListBucket, 404 with it; existing objects read either way", async () => {
    const cfg = clientConfig(server);
    const iam = new IAMClient(cfg);
    const owner = new S3Client({ ...cfg, forcePathStyle: true });
    await owner.send(new CreateBucketCommand({ Bucket: "listing" }));
    await owner.send(new PutObjectCommand({ Bucket: "listing", Key: "there", Body: Buffer.from("x") }));
    const userWith = async (UserName: string, Action: string[]) => {
      await iam.send(new CreateUserCommand({ UserName }));
      const PolicyDocument = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action, Resource: "*" }] });
      await iam.send(new PutUserPolicyCommand({ UserName, PolicyName: "s3", PolicyDocument }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName }));
      return new S3Client({
        ...cfg,
        forcePathStyle: true,
        credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
      });
    };
    const reader = await userWith("reader", ["s3:GetObject"]);
    const lister = await userWith("lister", ["s3:GetObject", "s3:ListBucket"]);
    await expectAwsError(reader.send(new GetObjectCommand({ Bucket: "listing", Key: "missing" })), { name: "AccessDenied", status: 403 });
    await expectAwsError(reader.send(new HeadObjectCommand({ Bucket: "listing", Key: "missing" })), { name: "Unknown", status: 403 });
    await expectAwsError(lister.send(new GetObjectCommand({ Bucket: "listing", Key: "missing" })), { name: "NoSuchKey", status: 404 });
    await expectAwsError(lister.send(new HeadObjectCommand({ Bucket: "listing", Key: "missing" })), { name: "NotFound", status: 404 });
    expect((await reader.send(new HeadObjectCommand({ Bucket: "listing", Key: "there" }))).ContentLength).toBe(1);
    expect(await (await reader.send(new GetObjectCommand({ Bucket: "listing", Key: "there" }))).Body!.transformToString()).toBe("x");
  });
});

describe("the XXHASH64, XXHASH3 and XXHASH128 checksums the S3 model added (the JS SDK computes them with @aws-sdk/checksums)", () => {
  const oracle = { XXHASH64: Xxh64, XXHASH3: Xxh3_64, XXHASH128: Xxh3_128 } as const;
  const expected = async (alg: keyof typeof oracle, ...bufs: Buffer[]) => {
    const h = new oracle[alg]();
    for (const b of bufs) h.update(b);
    return Buffer.from(await h.digest()).toString("base64");
  };
  const xs3 = () => new S3Client({ ...clientConfig(sim.server), forcePathStyle: true, checksumAlgorithms: oracle } as S3ClientConfig);

  it("PutObject (header and streamed trailer) is verified, answered and returned with ChecksumMode; a wrong one is BadDigest", async () => {
    const s3 = xs3();
    // Long enough for XXH3's long-input path (over 240 bytes, several 1 KiB blocks).
    const body = Buffer.from("0123456789abcdef".repeat(300));
    for (const alg of ["XXHASH64", "XXHASH3", "XXHASH128"] as const) {
      const want = await expected(alg, body);
      const put = await s3.send(new PutObjectCommand({ Bucket, Key: alg, Body: body, ChecksumAlgorithm: alg }));
      expect(put[`Checksum${alg}`]).toBe(want);
      const streamed = await s3.send(
        new PutObjectCommand({
          Bucket,
          Key: `${alg}-streamed`,
          Body: Readable.from([body.subarray(0, 1000), body.subarray(1000)]),
          ContentLength: body.length,
          ChecksumAlgorithm: alg,
        }),
      );
      expect(streamed[`Checksum${alg}`]).toBe(want);
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key: `${alg}-streamed`, ChecksumMode: "ENABLED" }));
      expect([head[`Checksum${alg}`], head.ChecksumType]).toEqual([want, "FULL_OBJECT"]);
      const short = Buffer.from("hello world");
      expect((await s3.send(new PutObjectCommand({ Bucket, Key: `${alg}-short`, Body: short, ChecksumAlgorithm: alg })))[`Checksum${alg}`]).toBe(
        await expected(alg, short),
      );
    }
    await expectAwsError(sim.s3.send(new PutObjectCommand({ Bucket, Key: "bad", Body: Buffer.from("x"), ChecksumXXHASH64: "AAAAAAAAAAA=" })), {
      name: "BadDigest",
      status: 400,
      message: "The XXHASH64 you specified did not match the calculated checksum.",
    });
  });

  it("a multipart upload with XXHASH128 is COMPOSITE: the digest of the parts' digests, -N", async () => {
    const s3 = xs3();
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "mpxx", ChecksumAlgorithm: "XXHASH128" }));
    const bodies = [Buffer.from("part one"), Buffer.from("part two")];
    const Parts = [];
    for (const [i, Body] of bodies.entries()) {
      const p = await s3.send(new UploadPartCommand({ Bucket, Key: "mpxx", UploadId, PartNumber: i + 1, Body, ChecksumAlgorithm: "XXHASH128" }));
      expect(p.ChecksumXXHASH128).toBe(await expected("XXHASH128", Body));
      Parts.push({ PartNumber: i + 1, ETag: p.ETag, ChecksumXXHASH128: p.ChecksumXXHASH128 });
    }
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: "mpxx", UploadId, MultipartUpload: { Parts } }));
    const raw = await Promise.all(bodies.map(async (b) => Buffer.from(await expected("XXHASH128", b), "base64")));
    expect([done.ChecksumXXHASH128, done.ChecksumType]).toEqual([`${await expected("XXHASH128", ...raw)}-2`, "COMPOSITE"]);
  });
});
