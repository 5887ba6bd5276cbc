/**
 * The AWS SDKs' own S3 integration tests, wave 2 (run by the SDK teams against real AWS), replayed through the JS
 * SDK: aws-sdk-cpp tests/aws-cpp-sdk-s3-integration-tests, aws-sdk-net sdk/test/Services/S3/IntegrationTests,
 * aws-sdk-ruby gems/aws-sdk-s3/features, aws-sdk-go (v1) awstesting/integration/customizations/s3. Each test names
 * the source test it guards.
 */
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetBucketLifecycleConfigurationCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  GetBucketLoggingCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutObjectCommand,
  S3Client,
  SelectObjectContentCommand,
  type SelectObjectContentCommandInput,
} from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsimServer, clientConfig, expectAwsError, startServer, useServer } from "../helpers.js";

const sim = useServer({}, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
const B = "sdkit2-bucket";

beforeAll(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket: B }));
});

/** Runs a select and collects its stream: records, stats, and the error event that ended it, if any. */
async function select(Key: string, Expression: string, FileHeaderInfo: "USE" | "NONE" = "USE") {
  const input: SelectObjectContentCommandInput = {
    Bucket: B,
    Key,
    ExpressionType: "SQL",
    Expression,
    InputSerialization: { CSV: { FileHeaderInfo } },
    OutputSerialization: { CSV: {} },
  };
  const r = await sim.s3.send(new SelectObjectContentCommand(input));
  let records = "";
  let stats: { BytesScanned?: number; BytesProcessed?: number; BytesReturned?: number } | undefined;
  let ended = false;
  let error: (Error & { $metadata?: unknown }) | undefined;
  try {
    for await (const ev of r.Payload!) {
      if (ev.Records?.Payload) records += Buffer.from(ev.Records.Payload).toString();
      if (ev.Stats?.Details) stats = ev.Stats.Details;
      if (ev.End) ended = true;
    }
  } catch (e) {
    error = e as Error;
  }
  return { status: r.$metadata.httpStatusCode, records, stats, ended, error };
}

describe("aws-sdk-cpp BucketAndObjectOperationTest: S3 Select event streams", () => {
  it("TestObjectOperationWithEventStream: the records, then Stats counting the bytes scanned, processed and returned", async () => {
    const body = "Name,Number\nAlice,1\nBob,2";
    await sim.s3.send(new PutObjectCommand({ Bucket: B, Key: "TestEventStream.csv", Body: body, ContentType: "text/csv" }));
    const r = await select("TestEventStream.csv", "select s._1 from S3Object s", "NONE");
    expect(r.records).toBe("Name\nAlice\nBob\n");
    expect(r.stats).toEqual({ BytesScanned: body.length, BytesProcessed: body.length, BytesReturned: "Name\nAlice\nBob\n".length });
    expect(r.ended).toBe(true);
  });

  it("TestErrorsInEventStream: a CAST failing on a late row ends the 200 stream with a CastFailed error event after the records before it", async () => {
    const rows = "foo,0\n".repeat(2000);
    await sim.s3.send(new PutObjectCommand({ Bucket: B, Key: "errors.csv", Body: `Name,Number\n${rows}bar,NAN`, ContentType: "text/csv" }));
    const r = await select("errors.csv", "select * from S3Object where cast(number as int) < 1");
    expect(r.status).toBe(200);
    expect(r.records).toBe(rows);
    expect(r.error?.name).toBe("CastFailed");
    expect(r.error?.message).toBe("Attempt to convert from one data type to another using CAST failed in the SQL expression.");
    expect(r.stats).toBeUndefined();
    expect(r.ended).toBe(false);
  });
});

describe("aws-sdk-cpp BucketAndObjectOperationTest: TestKeysWithNewlineCharacterSets", () => {
  it("keys holding LF, CR, NEL and LS round-trip, and DeleteObjects (CR sent as &#x0D;) deletes every one", async () => {
    const keys = ["TestNewlineKey-\n-LF", "TestNewlineKey-\r-CR", "TestNewlineKey-\u0085-NEXTLINE", "TestNewlineKey-\u2028-LINESEPARATOR"];
    for (const Key of keys) await sim.s3.send(new PutObjectCommand({ Bucket: B, Key, Body: `Object Key: ${Key}`, ContentType: "text/plain" }));
    for (const Key of keys) {
      const g = await sim.s3.send(new GetObjectCommand({ Bucket: B, Key }));
      expect(await g.Body!.transformToString()).toBe(`Object Key: ${Key}`);
    }
    const d = await sim.s3.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
    expect(d.Deleted).toHaveLength(4);
    expect(d.Errors).toBeUndefined();
    const l = await sim.s3.send(new ListObjectsV2Command({ Bucket: B, Prefix: "TestNewlineKey-" }));
    expect(l.KeyCount).toBe(0);
    expect(l.Contents).toBeUndefined();
  });
});

describe("aws-sdk-net LifecycleTests", () => {
  const L = "sdkit2-lifecycle";
  beforeAll(async () => {
    await sim.s3.send(new CreateBucketCommand({ Bucket: L }));
  });
  const transition = [{ Days: 1, StorageClass: "GLACIER" as const }];

  it("LifecycleTest: an upload a rule with AbortIncompleteMultipartUpload covers learns its AbortDate and AbortRuleId, from CreateMultipartUpload and ListParts", async () => {
    await sim.s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: L,
        LifecycleConfiguration: {
          Rules: [
            {
              Filter: { Prefix: "rule1-" },
              Status: "Enabled",
              Expiration: { Days: 2 },
              Transitions: transition,
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
            },
            { Filter: { Prefix: "rule2-" }, Status: "Enabled", Expiration: { Days: 120 } },
          ],
        },
      }),
    );
    const rules = (await sim.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: L }))).Rules!;
    const abortRuleId = rules[0]!.ID!;
    expect(abortRuleId).toBeTruthy();
    const today = new Date();
    today.setUTCHours(0, 0, 0, 0);
    const init = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket: L, Key: "rule1-123", ACL: "public-read" }));
    expect(init.AbortRuleId).toBe(abortRuleId);
    // Seven days after initiation, rounded up to the next midnight UTC.
    expect(init.AbortDate!.getTime()).toBe(today.getTime() + 8 * 86_400_000);
    const parts = await sim.s3.send(new ListPartsCommand({ Bucket: L, Key: "rule1-123", UploadId: init.UploadId }));
    expect(parts.AbortRuleId).toBe(abortRuleId);
    expect(parts.AbortDate).toEqual(init.AbortDate);
    // A key no abort rule covers learns neither.
    const other = await sim.s3.send(new CreateMultipartUploadCommand({ Bucket: L, Key: "rule2-123" }));
    expect(other.AbortDate).toBeUndefined();
    expect(other.AbortRuleId).toBeUndefined();
  });

  it("TestLifecycleFilterAndTwoPrefixes: an And of two Prefixes is refused; And with a Prefix and a Tag, or two Tags, is kept", async () => {
    const put = (And: Record<string, unknown>) =>
      sim.s3.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: L,
          LifecycleConfiguration: { Rules: [{ Filter: { And }, Status: "Enabled", Transitions: transition }] },
        }),
      );
    // The JS SDK writes one Prefix per And; the XML S3 receives from SDKs that write two is sent raw.
    const xml =
      "<LifecycleConfiguration><Rule><Filter><And><Prefix>thePrefix1</Prefix><Prefix>thePrefix2</Prefix></And></Filter><Status>Enabled</Status>" +
      "<Transition><Days>1</Days><StorageClass>GLACIER</StorageClass></Transition></Rule></LifecycleConfiguration>";
    const md5 = createHash("md5").update(xml).digest("base64");
    const r = await fetch(`${sim.server.url}/${L}?lifecycle`, { method: "PUT", body: xml, headers: { "content-md5": md5 } });
    expect(r.status).toBe(400);
    const text = await r.text();
    expect(text).toContain("<Code>InvalidRequest</Code>");
    expect(text).toContain("<Message>An And operator may only contain one &apos;Prefix&apos;.</Message>");
    await expectAwsError(put({ Prefix: "thePrefix1" }), { name: "MalformedXML", status: 400 });
    await put({ Prefix: "thePrefix1", Tags: [{ Key: "theKey1", Value: "theValue1" }] });
    let got = (await sim.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: L }))).Rules![0]!;
    expect(got.Filter).toEqual({ And: { Prefix: "thePrefix1", Tags: [{ Key: "theKey1", Value: "theValue1" }] } });
    await put({
      Tags: [
        { Key: "theKey1", Value: "theValue1" },
        { Key: "theKey2", Value: "theValue2" },
      ],
    });
    got = (await sim.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: L }))).Rules![0]!;
    expect(got.Filter?.And?.Tags).toHaveLength(2);
    expect(got.ID).toBeTruthy();
  });
});

describe("aws-sdk-net PutBucketLoggingTests", () => {
  const grants = [{ Grantee: { Type: "Group" as const, URI: "http://acs.amazonaws.com/groups/s3/LogDelivery" }, Permission: "READ" as const }];

  it("TestPutBucketLogging: TargetGrants are kept for a target bucket with ACLs (the test's public-ACL fixture)", async () => {
    const T = "sdkit2-logging-acl";
    await sim.s3.send(new CreateBucketCommand({ Bucket: T, ObjectOwnership: "ObjectWriter" }));
    await sim.s3.send(
      new PutBucketLoggingCommand({ Bucket: T, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: T, TargetPrefix: "", TargetGrants: grants } } }),
    );
    const got = await sim.s3.send(new GetBucketLoggingCommand({ Bucket: T }));
    expect(got.LoggingEnabled?.TargetGrants).toEqual(grants);
  });

  it("a target bucket with ACLs disabled (BucketOwnerEnforced) refuses TargetGrants with AccessControlListNotSupported", async () => {
    const T = "sdkit2-logging-enforced";
    await sim.s3.send(new CreateBucketCommand({ Bucket: T, ObjectOwnership: "BucketOwnerEnforced" }));
    await expectAwsError(
      sim.s3.send(
        new PutBucketLoggingCommand({ Bucket: T, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: T, TargetPrefix: "", TargetGrants: grants } } }),
      ),
      { name: "AccessControlListNotSupported", status: 400, message: "Target grants not allowed for bucket owner enforced buckets" },
    );
    // Without grants the same target is accepted.
    await sim.s3.send(new PutBucketLoggingCommand({ Bucket: T, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: T, TargetPrefix: "logs/" } } }));
    expect((await sim.s3.send(new GetBucketLoggingCommand({ Bucket: T }))).LoggingEnabled?.TargetPrefix).toBe("logs/");
  });
});

describe("aws-sdk-go (v1) s3manager TestGetBucketRegion, under --enforce-iam", () => {
  let enforced: AwsimServer;
  beforeAll(async () => {
    enforced = await startServer({ enforceIam: true, rootKeys: ["AKIAREGIONROOT:regionsecret"] });
  });
  afterAll(() => enforced?.stop());

  it("an unsigned HEAD of a private bucket is 403 naming the bucket's Region in x-amz-bucket-region (GetBucketRegion's probe)", async () => {
    const s3 = new S3Client({
      ...clientConfig(enforced),
      region: "us-west-2",
      forcePathStyle: true,
      credentials: { accessKeyId: "AKIAREGIONROOT", secretAccessKey: "regionsecret" },
    });
    await s3.send(new CreateBucketCommand({ Bucket: "sdkit2-region-probe", CreateBucketConfiguration: { LocationConstraint: "us-west-2" } }));
    const r = await fetch(`${enforced.url}/sdkit2-region-probe`, { method: "HEAD" });
    expect(r.status).toBe(403);
    expect(r.headers.get("x-amz-bucket-region")).toBe("us-west-2");
    // A bucket that does not exist has no Region to name.
    const missing = await fetch(`${enforced.url}/sdkit2-region-missing`, { method: "HEAD" });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("x-amz-bucket-region")).toBeNull();
  });
});
