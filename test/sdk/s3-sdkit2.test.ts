/**
 * The AWS SDKs' own S3 integration tests, wave 2 (run by the SDK teams against real AWS), replayed through the JS
 * SDK: aws-sdk-cpp tests/aws-cpp-sdk-s3-integration-tests, aws-sdk-net sdk/test/Services/S3/IntegrationTests,
 * aws-sdk-ruby gems/aws-sdk-s3/features, aws-sdk-go (v1) awstesting/integration/customizations/s3. Each test names
 * the source test it guards.
 */
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  SelectObjectContentCommand,
  type SelectObjectContentCommandInput,
} from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

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
