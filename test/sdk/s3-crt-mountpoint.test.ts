/**
 * What AWS's own S3 clients built on the CRT rely on, replayed with the JS SDK: awslabs/mountpoint-s3's client
 * integration tests (mountpoint-s3-client/tests/*.rs, run against S3 and S3 Express One Zone in its CI) and the
 * file system's incremental uploads (mountpoint-s3-fs/tests/fuse_tests/write_test.rs), which append with
 * PutObject x-amz-write-offset-bytes and If-Match.
 */
import {
  type ChecksumAlgorithm,
  CreateBucketCommand,
  CopyObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  RenameObjectCommand,
  S3Client,
  UploadPartCopyCommand,
  CreateMultipartUploadCommand,
} from "@aws-sdk/client-s3";
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutRolePolicyCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsimServer, expectAwsError, startServer, useServer } from "../helpers.js";

const ACCOUNT = "111122223333";
const B = "mnt--usw2-az1--x-s3";
const GP = "mountpoint-general";
let s3: S3Client;
/** A client that sends no checksum unless the operation requires one (as the CRT does for a PUT without one). */
let bare: S3Client;

const sim = useServer();
beforeAll(async () => {
  const cfg = {
    endpoint: sim.server.url,
    region: "us-west-2",
    forcePathStyle: true,
    credentials: { accessKeyId: ACCOUNT, secretAccessKey: "test" },
    maxAttempts: 1,
  };
  s3 = new S3Client(cfg);
  bare = new S3Client({ ...cfg, requestChecksumCalculation: "WHEN_REQUIRED" });
  await s3.send(
    new CreateBucketCommand({
      Bucket: B,
      CreateBucketConfiguration: {
        Location: { Type: "AvailabilityZone", Name: "usw2-az1" },
        Bucket: { Type: "Directory", DataRedundancy: "SingleAvailabilityZone" },
      },
    }),
  );
  await s3.send(new CreateBucketCommand({ Bucket: GP, CreateBucketConfiguration: { LocationConstraint: "us-west-2" } }));
});

const read = async (Key: string, IfMatch?: string) => {
  const r = await s3.send(new GetObjectCommand({ Bucket: B, Key, IfMatch }));
  return r.Body!.transformToString();
};
const put = (Key: string, Body: string, ChecksumAlgorithm?: ChecksumAlgorithm) => s3.send(new PutObjectCommand({ Bucket: B, Key, Body, ChecksumAlgorithm }));
const append = (Key: string, Body: string, WriteOffsetBytes: number, extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]> = {}) =>
  s3.send(new PutObjectCommand({ Bucket: B, Key, Body, WriteOffsetBytes, ...extra }));

describe("appends (mountpoint-s3-client tests/put_object_single.rs)", () => {
  it("test_append_fails_if_not_supported: a general purpose bucket answers 501 NotImplemented", async () => {
    await s3.send(new PutObjectCommand({ Bucket: GP, Key: "hello", Body: "data", ChecksumAlgorithm: "CRC64NVME" }));
    await expectAwsError(s3.send(new PutObjectCommand({ Bucket: GP, Key: "hello", Body: "more data", WriteOffsetBytes: 4 })), {
      name: "NotImplemented",
      status: 501,
    });
    expect(await (await s3.send(new GetObjectCommand({ Bucket: GP, Key: "hello" }))).Body!.transformToString()).toBe("data");
  });

  it("test_append_new_object (and _with_empty): offset 0 creates the object, empty or not; its ETag reads it back", async () => {
    const made = await append("new/a", "first bytes", 0);
    expect(made.Size).toBe(11);
    expect(await read("new/a", made.ETag)).toBe("first bytes");
    const empty = await append("new/empty", "", 0);
    expect(await read("new/empty", empty.ETag)).toBe("");
  });

  it("test_append_existing_object(_if_match): the data is added at the end, with a new ETag and the full-object CRC", async () => {
    const first = await put("grow", "data", "CRC64NVME");
    const more = await append("grow", "0123456789abcdef0123456789abcdef", 4, { ChecksumAlgorithm: "CRC64NVME", IfMatch: first.ETag });
    expect(more.ETag).not.toBe(first.ETag);
    expect(more.Size).toBe(36);
    expect(await read("grow", more.ETag)).toBe("data0123456789abcdef0123456789abcdef");
    // The checksum is the one of the whole object: the same as a single PUT of that data gets.
    await put("whole", "data0123456789abcdef0123456789abcdef", "CRC64NVME");
    const [a, w] = await Promise.all(["grow", "whole"].map((Key) => s3.send(new HeadObjectCommand({ Bucket: B, Key, ChecksumMode: "ENABLED" }))));
    expect(a!.ChecksumCRC64NVME).toBe(w!.ChecksumCRC64NVME);
    expect([a!.ChecksumType, a!.ContentLength, a!.StorageClass]).toEqual(["FULL_OBJECT", 36, "EXPRESS_ONEZONE"]);
    // The old ETag no longer holds (GET If-Match, as mountpoint's reads check it).
    await expectAwsError(s3.send(new GetObjectCommand({ Bucket: B, Key: "grow", IfMatch: first.ETag })), { name: "PreconditionFailed", status: 412 });
  });

  it("test_append_existing_object_if_match_fails: an append conditioned on a replaced object's ETag is 412", async () => {
    const original = await put("cond", "original", "CRC64NVME");
    const replaced = await put("cond", "replace", "CRC64NVME");
    expect(replaced.ETag).not.toBe(original.ETag);
    await expectAwsError(append("cond", "append", 8, { ChecksumAlgorithm: "CRC64NVME", IfMatch: original.ETag }), {
      name: "PreconditionFailed",
      status: 412,
    });
    expect(await read("cond")).toBe("replace");
  });

  it("test_append_existing_object_with_empty / test_append_empty_object_with_empty: an empty append to an existing object is refused", async () => {
    await put("e1", "data", "CRC64NVME");
    await expectAwsError(append("e1", "", 4, { ChecksumAlgorithm: "CRC64NVME" }), {
      name: "InvalidArgument",
      status: 400,
      message: "Request body cannot be empty when 'write offset' is specified.",
    });
    await put("e0", "", "CRC64NVME");
    await expectAwsError(append("e0", "", 0, { ChecksumAlgorithm: "CRC64NVME" }), { name: "InvalidArgument", status: 400 });
  });

  it("test_append_non_existing_object: an offset into a missing object is 404 NoSuchKey", async () => {
    await expectAwsError(append("missing", "x".repeat(32), 1024), { name: "NoSuchKey", status: 404 });
    await expectAwsError(s3.send(new HeadObjectCommand({ Bucket: B, Key: "missing" })), { name: "NotFound", status: 404 });
  });

  it("test_append_invalid_offset: an offset other than the object's size is 400 InvalidWriteOffset", async () => {
    await put("off", "data", "CRC64NVME");
    await expectAwsError(append("off", "x".repeat(32), 5, { ChecksumAlgorithm: "CRC64NVME" }), {
      name: "InvalidWriteOffset",
      status: 400,
      message: "The write offset value that you specified does not match the current object size.",
    });
    await expectAwsError(append("off", "x", 3), { name: "InvalidWriteOffset", status: 400 });
    expect(await read("off")).toBe("data");
  });

  it("test_append_with_bad_checksum: a checksum that does not match the appended data is BadDigest", async () => {
    await put("bad", "data", "CRC32C");
    // A well-formed CRC32C that is not the one of the appended bytes.
    await expectAwsError(append("bad", "x".repeat(32), 4, { ChecksumCRC32C: "Xm5+Lw==" }), { name: "BadDigest", status: 400 });
    expect(await read("bad")).toBe("data");
  });

  it("test_append_with_invalid_checksum: another algorithm than the object's is InvalidRequest 'Checksum Type mismatch'", async () => {
    await put("sha", "data", "SHA256");
    await expectAwsError(append("sha", "x".repeat(32), 4, { ChecksumAlgorithm: "CRC32C" }), {
      name: "InvalidRequest",
      status: 400,
      message: "Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: crc32c",
    });
  });

  it("test_append_with_matching_checksum: every algorithm the object has may append; CRCs stay full-object, SHAs become COMPOSITE", async () => {
    for (const alg of ["CRC64NVME", "CRC32C", "CRC32", "SHA1", "SHA256"] as const) {
      const key = `match/${alg}`;
      await put(key, "data", alg);
      const out = await append(key, "y".repeat(32), 4, { ChecksumAlgorithm: alg });
      expect(await read(key, out.ETag)).toBe(`data${"y".repeat(32)}`);
      const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: key, ChecksumMode: "ENABLED" }));
      const sum = head[`Checksum${alg}` as "ChecksumSHA1"];
      if (alg.startsWith("CRC")) {
        await put(`${key}/whole`, `data${"y".repeat(32)}`, alg);
        const whole = await s3.send(new HeadObjectCommand({ Bucket: B, Key: `${key}/whole`, ChecksumMode: "ENABLED" }));
        expect([head.ChecksumType, sum]).toEqual(["FULL_OBJECT", whole[`Checksum${alg}` as "ChecksumSHA1"]]);
      } else {
        expect(head.ChecksumType).toBe("COMPOSITE");
        expect(sum).toMatch(/-2$/);
      }
    }
  });

  it("test_append_to_service_side_crc64nvme: an object put without a checksum takes appends checked by CRC64NVME", async () => {
    await bare.send(new PutObjectCommand({ Bucket: B, Key: "svc", Body: "a".repeat(1024) }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: "svc", ChecksumMode: "ENABLED" }));
    expect(head.ChecksumCRC64NVME).toBeDefined();
    await append("svc", "b".repeat(1024), 1024, { ChecksumAlgorithm: "CRC64NVME" });
    // An append that sends no checksum is checked by the object's own algorithm, computed by S3.
    await bare.send(new PutObjectCommand({ Bucket: B, Key: "svc", Body: "c", WriteOffsetBytes: 2048 }));
    expect(await read("svc")).toBe(`${"a".repeat(1024)}${"b".repeat(1024)}c`);
  });

  it("user metadata on an append to an existing object is InvalidRequest (PutObject's documented messages)", async () => {
    await put("meta", "data");
    await expectAwsError(append("meta", "more", 4, { Metadata: { k: "v" } }), {
      name: "InvalidRequest",
      status: 400,
      message: "Cannot specify both a write offset value and user-defined object metadata for existing objects.",
    });
  });

  it("an append under another encryption type than the object's is EncryptionTypeMismatch (the model's PutObject errors)", async () => {
    await s3.send(new PutObjectCommand({ Bucket: B, Key: "kms", Body: "data", ServerSideEncryption: "aws:kms" }));
    await expectAwsError(append("kms", "more", 4), { name: "EncryptionTypeMismatch", status: 400 });
    const ok = await append("kms", "more", 4, { ServerSideEncryption: "aws:kms" });
    expect([ok.ServerSideEncryption, ok.Size]).toEqual(["aws:kms", 8]);
  });

  it("ranges read across appended parts; a copy of an appended object is one plain object (mountpoint's prefetcher reads by range)", async () => {
    await put("ranged", "0123", "CRC32");
    await append("ranged", "4567", 4, { ChecksumAlgorithm: "CRC32" });
    await append("ranged", "89", 8, { ChecksumAlgorithm: "CRC32" });
    const r = await s3.send(new GetObjectCommand({ Bucket: B, Key: "ranged", Range: "bytes=2-8" }));
    expect([await r.Body!.transformToString(), r.ContentRange]).toEqual(["2345678", "bytes 2-8/10"]);
    await s3.send(new CopyObjectCommand({ Bucket: B, Key: "ranged-copy", CopySource: `${B}/ranged` }));
    const more = await append("ranged-copy", "!", 10, { ChecksumAlgorithm: "CRC32" });
    expect(await read("ranged-copy", more.ETag)).toBe("0123456789!");
  });
});

describe("renames (mountpoint-s3-client tests/rename_object.rs: the source is the key alone)", () => {
  const rename = (Key: string, RenameSource: string, extra: Partial<ConstructorParameters<typeof RenameObjectCommand>[0]> = {}) =>
    s3.send(new RenameObjectCommand({ Bucket: B, Key, RenameSource, ...extra }));
  const condition = async (p: Promise<unknown>) => ((await expectAwsError(p, { name: "PreconditionFailed", status: 412 })) as { Condition?: string }).Condition;

  it("simple_rename and put_append_rename_append_test: a key-only source renames, its ETag (quoted or not) as the source condition", async () => {
    const made = await put("rn/a.txt", "data");
    await rename("rn/b.txt", "rn/a.txt", { SourceIfMatch: made.ETag });
    expect(await read("rn/b.txt")).toBe("data");
    await expectAwsError(s3.send(new HeadObjectCommand({ Bucket: B, Key: "rn/a.txt" })), { name: "NotFound", status: 404 });
    // Appended, renamed with the append's ETag, appended again.
    const more = await append("rn/b.txt", "0".repeat(32), 4);
    await rename("rn/c.txt", "rn/b.txt", { SourceIfMatch: more.ETag!.replace(/"/g, "") });
    await append("rn/c.txt", "!", 36);
    expect(await read("rn/c.txt")).toBe(`data${"0".repeat(32)}!`);
  });

  it("rename_destination_does_not_match, rename_overwrite_error, rename_double_error, rename_source_does_not_match: 412 names the condition", async () => {
    const a = await put("rc/a.txt", "data");
    const b = await put("rc/b.txt", "other");
    expect(await condition(rename("rc/b.txt", "rc/a.txt", { SourceIfMatch: a.ETag, DestinationIfMatch: a.ETag }))).toBe("If-Match");
    expect(await condition(rename("rc/b.txt", "rc/a.txt", { DestinationIfNoneMatch: "*" }))).toBe("If-None-Match");
    expect(await condition(rename("rc/b.txt", "rc/a.txt", { DestinationIfNoneMatch: "*", DestinationIfMatch: a.ETag }))).toBe("If-Match");
    // A failed x-amz-rename-source-if-match is Condition If-Match too.
    expect(await condition(rename("rc/b.txt", "rc/a.txt", { SourceIfMatch: b.ETag }))).toBe("If-Match");
    expect([await read("rc/a.txt"), await read("rc/b.txt")]).toEqual(["data", "other"]);
  });

  it("rename_idempotency_test: the same client token replays; another one meets the moved source (404)", async () => {
    await put("ri/a.txt", "data");
    await rename("ri/b.txt", "ri/a.txt", { ClientToken: "token-one" });
    await rename("ri/b.txt", "ri/a.txt", { ClientToken: "token-one" });
    await expectAwsError(rename("ri/b.txt", "ri/a.txt", { ClientToken: "token-two" }), { name: "NoSuchKey", status: 404 });
    expect(await read("ri/b.txt")).toBe("data");
  });
});

describe("expected bucket owners (mountpoint-s3's --expected-bucket-owner; the model's ExpectedSourceBucketOwner)", () => {
  it("a copy whose source bucket belongs to another account than x-amz-source-expected-bucket-owner names is 403", async () => {
    await s3.send(new PutObjectCommand({ Bucket: GP, Key: "owned", Body: "mine" }));
    await s3.send(
      new CopyObjectCommand({ Bucket: GP, Key: "copy-ok", CopySource: `${GP}/owned`, ExpectedSourceBucketOwner: ACCOUNT, ExpectedBucketOwner: ACCOUNT }),
    );
    await expectAwsError(s3.send(new CopyObjectCommand({ Bucket: GP, Key: "copy-no", CopySource: `${GP}/owned`, ExpectedSourceBucketOwner: "444455556666" })), {
      name: "AccessDenied",
      status: 403,
    });
    const u = await s3.send(new CreateMultipartUploadCommand({ Bucket: GP, Key: "mpu-copy" }));
    await expectAwsError(
      s3.send(
        new UploadPartCopyCommand({
          Bucket: GP,
          Key: "mpu-copy",
          UploadId: u.UploadId,
          PartNumber: 1,
          CopySource: `${GP}/owned`,
          ExpectedSourceBucketOwner: "444455556666",
        }),
      ),
      { name: "AccessDenied", status: 403 },
    );
    await expectAwsError(s3.send(new GetObjectCommand({ Bucket: GP, Key: "owned", ExpectedBucketOwner: "444455556666" })), {
      name: "AccessDenied",
      status: 403,
    });
  });
});

// mountpoint-s3-fs/tests/fuse_tests/iam_perm_test.rs (get_object_req_existing_tags): credentials scoped down by a
// session policy that lists the bucket and reads only objects tagged Department=Finance.
describe("ABAC on object tags through a session policy (--enforce-iam)", () => {
  let server: AwsimServer;
  const ROOT = { accessKeyId: "AKIAMOUNTPOINTROOT01", secretAccessKey: "root-secret" };
  const BUCKET = "mountpoint-abac";
  beforeAll(async () => {
    server = await startServer({ enforceIam: true, rootKeys: [`${ROOT.accessKeyId}:${ROOT.secretAccessKey}`] });
  });
  afterAll(() => server?.stop());

  it("tagged objects are readable, the others 403; listing works", async () => {
    const base = { endpoint: server.url, region: "us-east-1", credentials: ROOT, maxAttempts: 1 };
    const owner = new S3Client({ ...base, forcePathStyle: true });
    await owner.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const stage = [
      ["finance_1.txt", "Department=Finance"],
      ["dir1/finance_2.txt", "Department=Finance"],
      ["untagged_1.txt", undefined],
      ["other_1.txt", "Department=OtherDepartment"],
    ] as const;
    for (const [Key, Tagging] of stage) await owner.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: "Hello world", Tagging }));
    const iam = new IAMClient(base);
    const account = "000000000000";
    await iam.send(
      new CreateRoleCommand({
        RoleName: "mountpoint",
        AssumeRolePolicyDocument: JSON.stringify({
          Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "sts:AssumeRole" }],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: "mountpoint",
        PolicyName: "s3",
        PolicyDocument: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }),
      }),
    );
    await iam.send(new CreateUserCommand({ UserName: "tester" }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: "tester",
        PolicyName: "assume",
        PolicyDocument: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] }),
      }),
    );
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: "tester" }))).AccessKey!;
    const policy = {
      Statement: [
        { Effect: "Allow", Action: ["s3:ListBucket"], Resource: `arn:aws:s3:::${BUCKET}` },
        {
          Effect: "Allow",
          Action: ["s3:GetObject"],
          Resource: `arn:aws:s3:::${BUCKET}/*`,
          Condition: { StringEquals: { "s3:ExistingObjectTag/Department": "Finance" } },
        },
      ],
    };
    const sts = new STSClient({ ...base, credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } });
    const c = (
      await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/mountpoint`, RoleSessionName: "mp", Policy: JSON.stringify(policy) }))
    ).Credentials!;
    const scoped = new S3Client({
      ...base,
      forcePathStyle: true,
      credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken },
    });
    const root = await scoped.send(new ListObjectsV2Command({ Bucket: BUCKET, Delimiter: "/" }));
    expect([root.Contents?.map((o) => o.Key), root.CommonPrefixes?.map((p) => p.Prefix)]).toEqual([
      ["finance_1.txt", "other_1.txt", "untagged_1.txt"],
      ["dir1/"],
    ]);
    for (const Key of ["finance_1.txt", "dir1/finance_2.txt"]) {
      expect((await scoped.send(new HeadObjectCommand({ Bucket: BUCKET, Key }))).ContentLength).toBe(11);
      expect(await (await scoped.send(new GetObjectCommand({ Bucket: BUCKET, Key }))).Body!.transformToString()).toBe("Hello world");
    }
    for (const Key of ["untagged_1.txt", "other_1.txt"]) {
      await expectAwsError(scoped.send(new GetObjectCommand({ Bucket: BUCKET, Key })), { name: "AccessDenied", status: 403 });
      const head = await scoped.send(new HeadObjectCommand({ Bucket: BUCKET, Key })).catch((e: { $metadata: { httpStatusCode?: number } }) => e);
      expect(head.$metadata.httpStatusCode).toBe(403);
    }
  });
});
