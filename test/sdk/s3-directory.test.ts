/** Directory buckets (S3 Express One Zone): create and naming rules, ListDirectoryBuckets, CreateSession used by the SDK, RenameObject, listing rules. */
import {
  CopyObjectCommand,
  CreateBucketCommand,
  CreateSessionCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListDirectoryBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  RenameObjectCommand,
  S3Client,
  paginateListDirectoryBuckets,
} from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, hasBoto3, python, useServer } from "../helpers.js";

let s3: S3Client;
const ACCOUNT = "111122223333";
const B = "data--usw2-az1--x-s3";
const dirConfig = (zone = "usw2-az1") => ({
  Location: { Type: "AvailabilityZone" as const, Name: zone },
  Bucket: { Type: "Directory" as const, DataRedundancy: "SingleAvailabilityZone" as const },
});

/** Raw requests, for what the SDK will not send. */
async function raw(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
  return fetch(`${sim.server.url}${path}`, {
    ...init,
    headers: { authorization: `AWS4-HMAC-SHA256 Credential=${ACCOUNT}/20250101/us-west-2/s3/aws4_request, SignedHeaders=host, Signature=x`, ...init.headers },
  });
}

const sim = useServer();
beforeAll(async () => {
  // The SDK addresses a directory bucket behind an IP endpoint path-style (/bucket//key), signs with
  // s3express and calls CreateSession itself before object requests.
  s3 = new S3Client({
    endpoint: sim.server.url,
    region: "us-west-2",
    forcePathStyle: true,
    credentials: { accessKeyId: ACCOUNT, secretAccessKey: "test" },
    maxAttempts: 1,
  });
  await s3.send(new CreateBucketCommand({ Bucket: B, CreateBucketConfiguration: dirConfig() }));
});

describe("directory buckets", () => {
  it("PutObject, GetObject, HeadObject, ListObjectsV2 and DeleteObject work end to end through the SDK's sessions", async () => {
    await s3.send(new PutObjectCommand({ Bucket: B, Key: "logs/2025/a.txt", Body: "alpha" }));
    await s3.send(new PutObjectCommand({ Bucket: B, Key: "logs/2025/b.txt", Body: "beta" }));
    await s3.send(new PutObjectCommand({ Bucket: B, Key: "logs/top.txt", Body: "top" }));
    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: "logs/2025/a.txt" }));
    expect(await got.Body!.transformToString()).toBe("alpha");
    expect(got.ServerSideEncryption).toBe("AES256");
    const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: "logs/top.txt" }));
    expect([head.ContentLength, head.StorageClass]).toEqual([3, "EXPRESS_ONEZONE"]);
    const list = await s3.send(new ListObjectsV2Command({ Bucket: B, Prefix: "logs/", Delimiter: "/" }));
    expect(list.Contents?.map((c) => c.Key)).toEqual(["logs/top.txt"]);
    expect(list.CommonPrefixes).toEqual([{ Prefix: "logs/2025/" }]);
    expect(list.Contents?.[0]?.StorageClass).toBe("EXPRESS_ONEZONE");
    await expectAwsError(s3.send(new PutObjectCommand({ Bucket: B, Key: "sc", Body: "x", StorageClass: "STANDARD" })), {
      name: "InvalidStorageClass",
      status: 400,
    });
    // The key is what the caller named: no leading slash from the SDK's /bucket//key addressing.
    const all = await s3.send(new ListObjectsV2Command({ Bucket: B }));
    expect(all.Contents?.map((c) => c.Key)).toEqual(["logs/2025/a.txt", "logs/2025/b.txt", "logs/top.txt"]);
    await s3.send(new DeleteObjectCommand({ Bucket: B, Key: "logs/top.txt" }));
    await expectAwsError(s3.send(new GetObjectCommand({ Bucket: B, Key: "logs/top.txt" })), { name: "NoSuchKey", status: 404 });
  });

  it("the zonal endpoint's virtual-hosted form (bucket.s3express-<zone>.<region>.amazonaws.com) names the bucket", async () => {
    const { request } = await import("node:http");
    const port = new URL(sim.server.url).port;
    const status = await new Promise<[number, string]>((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port, path: "/logs/2025/a.txt", headers: { host: `${B}.s3express-usw2-az1.us-west-2.amazonaws.com` } },
        (res) => {
          let body = "";
          res.on("data", (c) => (body += c));
          res.on("end", () => resolve([res.statusCode!, body]));
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(status).toEqual([200, "alpha"]);
  });

  it("ListObjectsV2 prefixes must end in the delimiter", async () => {
    await expectAwsError(s3.send(new ListObjectsV2Command({ Bucket: B, Prefix: "logs" })), {
      name: "InvalidRequest",
      status: 400,
      message: "This bucket does not support a prefix that does not end in a delimiter. Specify a prefix path ending with a delimiter and try again.",
    });
  });

  it("CreateSession returns 5-minute credentials; ReadOnly sessions cannot write; unknown and foreign tokens are refused", async () => {
    const auth = (akid: string) => `AWS4-HMAC-SHA256 Credential=${akid}/20250101/us-west-2/s3express/aws4_request, SignedHeaders=host, Signature=x`;
    const before = Date.now();
    const s = await s3.send(new CreateSessionCommand({ Bucket: B }));
    const c = s.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(c.SecretAccessKey).toBeTruthy();
    expect(c.SessionToken).toBeTruthy();
    const ttl = c.Expiration!.getTime() - before;
    expect(ttl).toBeGreaterThan(4 * 60 * 1000);
    expect(ttl).toBeLessThanOrEqual(5 * 60 * 1000 + 1000);
    expect(s.ServerSideEncryption).toBe("AES256");
    // General purpose buckets have no sessions.
    await s3.send(new CreateBucketCommand({ Bucket: "gp-for-session" }));
    const gp = await fetch(`${sim.server.url}/gp-for-session?session`, { headers: { authorization: auth(ACCOUNT) } });
    expect(gp.status).toBe(404);
    expect(await gp.text()).toContain("<Code>NoSuchBucket</Code>");
    // A session's access key resolves to the account that created it; a read-only session only reads.
    const ro = await s3.send(new CreateSessionCommand({ Bucket: B, SessionMode: "ReadOnly" }));
    const read = await fetch(`${sim.server.url}/${B}/logs/2025/a.txt`, {
      headers: { authorization: auth(ro.Credentials!.AccessKeyId!), "x-amz-s3session-token": ro.Credentials!.SessionToken! },
    });
    expect([read.status, await read.text()]).toEqual([200, "alpha"]);
    const write = await fetch(`${sim.server.url}/${B}/x`, {
      method: "PUT",
      body: "x",
      headers: { authorization: auth(ro.Credentials!.AccessKeyId!), "x-amz-s3session-token": ro.Credentials!.SessionToken! },
    });
    expect(write.status).toBe(403);
    expect(await write.text()).toContain("<Code>AccessDenied</Code>");
    const bad = await fetch(`${sim.server.url}/${B}/logs/2025/a.txt`, {
      headers: { authorization: auth(c.AccessKeyId!), "x-amz-s3session-token": "not-the-token" },
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("<Code>InvalidToken</Code>");
    // A session belongs to one bucket.
    await s3.send(new CreateBucketCommand({ Bucket: "other--usw2-az1--x-s3", CreateBucketConfiguration: dirConfig() }));
    const foreign = await fetch(`${sim.server.url}/other--usw2-az1--x-s3/k`, {
      headers: { authorization: auth(c.AccessKeyId!), "x-amz-s3session-token": c.SessionToken! },
    });
    expect(foreign.status).toBe(403);
    await s3.send(new DeleteBucketCommand({ Bucket: "other--usw2-az1--x-s3" }));
  });

  it("RenameObject moves a key atomically, with destination and source conditions and client-token idempotency", async () => {
    await s3.send(new PutObjectCommand({ Bucket: B, Key: "r/src", Body: "payload", Metadata: { m: "1" } }));
    const src = await s3.send(new HeadObjectCommand({ Bucket: B, Key: "r/src" }));
    await s3.send(new RenameObjectCommand({ Bucket: B, Key: "r/dst", RenameSource: `${B}/r/src`, ClientToken: "tok-1" }));
    await expectAwsError(s3.send(new HeadObjectCommand({ Bucket: B, Key: "r/src" })), { name: "NotFound", status: 404 });
    const moved = await s3.send(new GetObjectCommand({ Bucket: B, Key: "r/dst" }));
    expect([await moved.Body!.transformToString(), moved.ETag, moved.Metadata]).toEqual(["payload", src.ETag, { m: "1" }]);
    // The same client token and parameters: the same answer; other parameters: IdempotencyParameterMismatch.
    await s3.send(new RenameObjectCommand({ Bucket: B, Key: "r/dst", RenameSource: `${B}/r/src`, ClientToken: "tok-1" }));
    await expectAwsError(s3.send(new RenameObjectCommand({ Bucket: B, Key: "r/other", RenameSource: `${B}/r/src`, ClientToken: "tok-1" })), {
      name: "IdempotencyParameterMismatch",
      status: 400,
    });
    await expectAwsError(s3.send(new RenameObjectCommand({ Bucket: B, Key: "r/x", RenameSource: `${B}/r/missing` })), { name: "NoSuchKey", status: 404 });
    await s3.send(new PutObjectCommand({ Bucket: B, Key: "r/taken", Body: "old" }));
    await expectAwsError(s3.send(new RenameObjectCommand({ Bucket: B, Key: "r/taken", RenameSource: `${B}/r/dst`, DestinationIfNoneMatch: "*" })), {
      name: "PreconditionFailed",
      status: 412,
    });
    await expectAwsError(s3.send(new RenameObjectCommand({ Bucket: B, Key: "r/taken", RenameSource: `${B}/r/dst`, DestinationIfMatch: '"0000"' })), {
      name: "PreconditionFailed",
      status: 412,
    });
    await expectAwsError(s3.send(new RenameObjectCommand({ Bucket: B, Key: "r/new", RenameSource: `${B}/r/dst`, DestinationIfMatch: src.ETag })), {
      name: "NoSuchKey",
      status: 404,
    });
    await expectAwsError(s3.send(new RenameObjectCommand({ Bucket: B, Key: "r/new", RenameSource: `${B}/r/dst`, SourceIfMatch: '"0000"' })), {
      name: "PreconditionFailed",
      status: 412,
    });
    await expectAwsError(s3.send(new RenameObjectCommand({ Bucket: B, Key: "r/new", RenameSource: `${B}/r/dst`, SourceIfNoneMatch: "*" })), {
      name: "PreconditionFailed",
      status: 412,
    });
    // Overwriting an existing destination when its ETag matches.
    const taken = await s3.send(new HeadObjectCommand({ Bucket: B, Key: "r/taken" }));
    await s3.send(new RenameObjectCommand({ Bucket: B, Key: "r/taken", RenameSource: `${B}/r/dst`, DestinationIfMatch: taken.ETag, SourceIfMatch: src.ETag }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: B, Key: "r/taken" }))).Body!.transformToString()).toBe("payload");
    const keys = (await s3.send(new ListObjectsV2Command({ Bucket: B, Prefix: "r/" }))).Contents?.map((c) => c.Key);
    expect(keys).toEqual(["r/taken"]);
  });

  it("RenameObject is refused on general purpose buckets", async () => {
    const gp = new S3Client({
      endpoint: sim.server.url,
      region: "us-west-2",
      forcePathStyle: true,
      credentials: { accessKeyId: ACCOUNT, secretAccessKey: "t" },
    });
    await gp.send(new CreateBucketCommand({ Bucket: "general", CreateBucketConfiguration: { LocationConstraint: "us-west-2" } }));
    await gp.send(new PutObjectCommand({ Bucket: "general", Key: "a", Body: "x" }));
    await expectAwsError(gp.send(new RenameObjectCommand({ Bucket: "general", Key: "b", RenameSource: "general/a" })), { name: "InvalidRequest", status: 400 });
  });

  it("names and configurations follow AWS's rules; ListBuckets leaves directory buckets out", async () => {
    const create = (Bucket: string, cfg: object | undefined = dirConfig()) =>
      s3.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: cfg as never }));
    // Names the SDK lets through but S3 refuses.
    for (const bad of ["Caps--usw2-az1--x-s3", `${"a".repeat(50)}--usw2-az1--x-s3`, "xn--abc--usw2-az1--x-s3", "a-b---usw2-az1--x-s3"])
      await expectAwsError(create(bad), { name: "InvalidBucketName", status: 400 });
    // The zone of the name and of the configuration must agree.
    await expectAwsError(create("zone--usw2-az1--x-s3", dirConfig("usw2-az2")), { name: "InvalidBucketName", status: 400 });
    await expectAwsError(create(B), { name: "BucketAlreadyOwnedByYou", status: 409 });
    // A general purpose bucket cannot take a directory configuration, and LocationConstraint is no directory setting.
    const r = await raw(`/plainname`, {
      method: "PUT",
      body: "<CreateBucketConfiguration><Bucket><Type>Directory</Type></Bucket></CreateBucketConfiguration>",
    });
    expect(r.status).toBe(400);
    expect(await r.text()).toContain("<Code>InvalidBucketName</Code>");
    const lc = await raw(`/lc--usw2-az1--x-s3`, {
      method: "PUT",
      body: "<CreateBucketConfiguration><LocationConstraint>us-west-2</LocationConstraint><Location><Type>AvailabilityZone</Type><Name>usw2-az1</Name></Location><Bucket><Type>Directory</Type><DataRedundancy>SingleAvailabilityZone</DataRedundancy></Bucket></CreateBucketConfiguration>",
    });
    expect(lc.status).toBe(400);
    expect(await lc.text()).toContain("<Code>MalformedXML</Code>");
    const head = await s3.send(new HeadBucketCommand({ Bucket: B }));
    expect([head.BucketLocationType, head.BucketLocationName, head.BucketRegion]).toEqual(["AvailabilityZone", "usw2-az1", "us-west-2"]);
    const names = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name) ?? [];
    expect(names).not.toContain(B);
  });

  it("ListDirectoryBuckets pages with MaxDirectoryBuckets and ContinuationToken", async () => {
    for (const n of ["b1", "b2", "b3"]) await s3.send(new CreateBucketCommand({ Bucket: `${n}--usw2-az1--x-s3`, CreateBucketConfiguration: dirConfig() }));
    const first = await s3.send(new ListDirectoryBucketsCommand({ MaxDirectoryBuckets: 2 }));
    expect(first.Buckets?.map((b) => b.Name)).toEqual(["b1--usw2-az1--x-s3", "b2--usw2-az1--x-s3"]);
    expect(first.Buckets![0]!.BucketRegion).toBe("us-west-2");
    expect(first.ContinuationToken).toBeTruthy();
    const names: string[] = [];
    for await (const page of paginateListDirectoryBuckets({ client: s3, pageSize: 1 }, {})) names.push(...(page.Buckets ?? []).map((b) => b.Name!));
    expect(names).toEqual(["b1--usw2-az1--x-s3", "b2--usw2-az1--x-s3", "b3--usw2-az1--x-s3", B]);
    // Another account sees none of them.
    const other = new S3Client({
      endpoint: sim.server.url,
      region: "us-west-2",
      credentials: { accessKeyId: "444455556666", secretAccessKey: "t" },
      maxAttempts: 1,
    });
    expect((await other.send(new ListDirectoryBucketsCommand({}))).Buckets ?? []).toEqual([]);
    for (const n of ["b1", "b2", "b3"]) await s3.send(new DeleteBucketCommand({ Bucket: `${n}--usw2-az1--x-s3` }));
  });

  it("what directory buckets lack answers 501 NotImplemented: versioning, tagging, ACLs, ListObjects v1, x-amz-acl on writes", async () => {
    await expectAwsError(s3.send(new GetBucketVersioningCommand({ Bucket: B })), { name: "NotImplemented", status: 501 });
    await expectAwsError(s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: "Enabled" } })), {
      name: "NotImplemented",
      status: 501,
    });
    await expectAwsError(s3.send(new ListObjectsCommand({ Bucket: B })), { name: "NotImplemented", status: 501 });
    await expectAwsError(s3.send(new ListObjectVersionsCommand({ Bucket: B })), { name: "NotImplemented", status: 501 });
    await expectAwsError(s3.send(new GetBucketTaggingCommand({ Bucket: B })), { name: "NotImplemented", status: 501 });
    await expectAwsError(s3.send(new PutObjectCommand({ Bucket: B, Key: "acl", Body: "x", ACL: "public-read" })), { name: "NotImplemented", status: 501 });
    await expectAwsError(s3.send(new PutObjectCommand({ Bucket: B, Key: "tag", Body: "x", Tagging: "a=b" })), { name: "NotImplemented", status: 501 });
    const key = Buffer.alloc(32, 1);
    const ssec = { SSECustomerAlgorithm: "AES256", SSECustomerKey: key.toString("base64") };
    await expectAwsError(s3.send(new PutObjectCommand({ Bucket: B, Key: "ssec", Body: "x", ...ssec })), { name: "NotImplemented", status: 501 });
    // General purpose buckets keep all of it.
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: "general" }))).Status).toBeUndefined();
  });

  it("multipart uploads (lib-storage) and DeleteObjects work on a directory bucket", async () => {
    const { Upload } = await import("@aws-sdk/lib-storage");
    const big = Buffer.alloc(6 * 1024 * 1024, 7);
    await new Upload({ client: s3, params: { Bucket: B, Key: "mp/big", Body: big }, partSize: 5 * 1024 * 1024 }).done();
    const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: "mp/big" }));
    expect([head.ContentLength, head.StorageClass]).toEqual([big.length, "EXPRESS_ONEZONE"]);
    const del = await s3.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Objects: [{ Key: "mp/big" }, { Key: "mp/none" }] } }));
    expect(del.Deleted?.map((d) => d.Key).sort()).toEqual(["mp/big", "mp/none"]);
    await expectAwsError(s3.send(new HeadObjectCommand({ Bucket: B, Key: "mp/big" })), { name: "NotFound", status: 404 });
  });

  it("CopyObject within a directory bucket", async () => {
    await s3.send(new PutObjectCommand({ Bucket: B, Key: "c/a", Body: "copy me" }));
    await s3.send(new CopyObjectCommand({ Bucket: B, Key: "c/b", CopySource: `${B}/c/a` }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: B, Key: "c/b" }))).Body!.transformToString()).toBe("copy me");
    // From a general purpose bucket, the copy lands in S3 Express One Zone.
    await s3.send(new PutObjectCommand({ Bucket: "general", Key: "plain", Body: "from general" }));
    await s3.send(new CopyObjectCommand({ Bucket: B, Key: "c/from-general", CopySource: "general/plain" }));
    expect((await s3.send(new HeadObjectCommand({ Bucket: B, Key: "c/from-general" }))).StorageClass).toBe("EXPRESS_ONEZONE");
  });
});

const BOTO3 = `
import boto3, json, sys
from botocore.exceptions import ClientError
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-west-2", aws_access_key_id="111122223333", aws_secret_access_key="t")
b = "boto--usw2-az1--x-s3"
s3.create_bucket(Bucket=b, CreateBucketConfiguration={"Location": {"Type": "AvailabilityZone", "Name": "usw2-az1"}, "Bucket": {"Type": "Directory", "DataRedundancy": "SingleAvailabilityZone"}})
s3.put_object(Bucket=b, Key="d/k", Body=b"boto body")
out = {"get": s3.get_object(Bucket=b, Key="d/k")["Body"].read().decode()}
out["list"] = [o["Key"] for o in s3.list_objects_v2(Bucket=b, Prefix="d/", Delimiter="/").get("Contents", [])]
out["dirs"] = [x["Name"] for x in s3.list_directory_buckets()["Buckets"]]
s3.rename_object(Bucket=b, Key="d/renamed", RenameSource=b + "/d/k")
out["renamed"] = s3.get_object(Bucket=b, Key="d/renamed")["Body"].read().decode()
try:
    s3.list_objects_v2(Bucket=b, Prefix="d")
except ClientError as e:
    out["prefix"] = e.response["Error"]["Code"]
print(json.dumps(out))
`;

describe.skipIf(!hasBoto3())("directory buckets through boto3", () => {
  it("boto3 creates, writes, reads, lists and renames with its own sessions", async () => {
    const stdout = await python(BOTO3, [sim.server.url], { timeout: 60_000 });
    const out = JSON.parse(stdout.trim().split("\n").pop()!);
    expect(out.get).toBe("boto body");
    expect(out.list).toEqual(["d/k"]);
    expect(out.dirs).toContain("boto--usw2-az1--x-s3");
    expect(out.renamed).toBe("boto body");
    expect(out.prefix).toBe("InvalidRequest");
  });
});
