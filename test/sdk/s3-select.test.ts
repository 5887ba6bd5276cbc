/** S3 Select (SelectObjectContent) over CSV and JSON, read through the SDK's event-stream parser. */
import { CreateBucketCommand, PutObjectCommand, S3Client, SelectObjectContentCommand, type SelectObjectContentCommandInput } from "@aws-sdk/client-s3";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const CSV = 'name,city,age\nalice,Paris,34\nbob,"Berlin, DE",27\ncarol,Paris,45\ndave,Rome,19\n';
const LINES = ['{"id":1,"tags":{"env":"prod"},"n":10}', '{"id":2,"tags":{"env":"dev"},"n":5}', '{"id":3,"tags":{"env":"prod"},"n":7}'].join("\n");

const sim = useServer({}, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
beforeAll(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket: "sel" }));
  await sim.s3.send(new PutObjectCommand({ Bucket: "sel", Key: "people.csv", Body: CSV }));
  await sim.s3.send(new PutObjectCommand({ Bucket: "sel", Key: "people.csv.gz", Body: gzipSync(CSV) }));
  await sim.s3.send(new PutObjectCommand({ Bucket: "sel", Key: "events.jsonl", Body: LINES }));
  await sim.s3.send(
    new PutObjectCommand({
      Bucket: "sel",
      Key: "doc.json",
      Body: JSON.stringify({
        items: [
          { sku: "a", qty: 2 },
          { sku: "b", qty: 0 },
          { sku: "c", qty: 5 },
        ],
      }),
    }),
  );
});

async function select(input: Partial<SelectObjectContentCommandInput> & { Expression: string; Key: string }) {
  const res = await sim.s3.send(
    new SelectObjectContentCommand({
      Bucket: "sel",
      ExpressionType: "SQL",
      InputSerialization: { CSV: { FileHeaderInfo: "USE" } },
      OutputSerialization: { CSV: {} },
      ...input,
    }),
  );
  let records = "";
  let stats: { BytesScanned?: number; BytesReturned?: number } | undefined;
  let ended = false;
  for await (const ev of res.Payload!) {
    if (ev.Records) records += Buffer.from(ev.Records.Payload!).toString("utf8");
    if (ev.Stats) stats = ev.Stats.Details;
    if (ev.End) ended = true;
  }
  expect(ended).toBe(true);
  return { records, stats };
}

describe("SelectObjectContent", () => {
  it("CSV: projections, WHERE with CAST and LIKE, LIMIT, quoting, stats", async () => {
    const r = await select({ Key: "people.csv", Expression: "SELECT s.name, s.city FROM S3Object s WHERE CAST(s.age AS INT) > 25 AND s.city LIKE 'P%'" });
    expect(r.records).toBe("alice,Paris\ncarol,Paris\n");
    expect(r.stats!.BytesScanned).toBe(CSV.length);
    expect(r.stats!.BytesReturned).toBe(r.records.length);
    expect((await select({ Key: "people.csv", Expression: "SELECT * FROM S3Object LIMIT 2" })).records).toBe('alice,Paris,34\nbob,"Berlin, DE",27\n');
    expect(
      (await select({ Key: "people.csv", Expression: "select _1 from s3object", InputSerialization: { CSV: { FileHeaderInfo: "IGNORE" } } })).records,
    ).toBe("alice\nbob\ncarol\ndave\n");
    expect(
      (await select({ Key: "people.csv", Expression: "SELECT name FROM S3Object WHERE city IN ('Rome', 'Berlin, DE')", OutputSerialization: { JSON: {} } }))
        .records,
    ).toBe('{"name":"bob"}\n{"name":"dave"}\n');
    expect(
      (
        await select({
          Key: "people.csv.gz",
          Expression: "SELECT COUNT(*), SUM(CAST(age AS INT)), MIN(CAST(age AS INT)), AVG(CAST(age AS FLOAT)) FROM S3Object",
          InputSerialization: { CSV: { FileHeaderInfo: "USE" }, CompressionType: "GZIP" },
        })
      ).records,
    ).toBe("4,125,19,31.25\n");
  });

  it("JSON LINES: nested paths, aggregates and JSON output", async () => {
    const json = { InputSerialization: { JSON: { Type: "LINES" as const } }, OutputSerialization: { JSON: {} } };
    expect((await select({ Key: "events.jsonl", Expression: "SELECT s.id, s.tags.env AS env FROM S3Object s WHERE s.n >= 7", ...json })).records).toBe(
      '{"id":1,"env":"prod"}\n{"id":3,"env":"prod"}\n',
    );
    expect(
      (await select({ Key: "events.jsonl", Expression: "SELECT COUNT(*) AS c, MAX(s.n) FROM S3Object s WHERE s.tags.env = 'prod'", ...json })).records,
    ).toBe('{"c":2,"_2":10}\n');
    expect((await select({ Key: "events.jsonl", Expression: "SELECT * FROM S3Object s LIMIT 1", ...json })).records).toBe(
      '{"id":1,"tags":{"env":"prod"},"n":10}\n',
    );
  });

  it("JSON DOCUMENT: FROM S3Object[*].items[*] unnests an array", async () => {
    const r = await select({
      Key: "doc.json",
      Expression: "SELECT i.sku FROM S3Object[*].items[*] i WHERE i.qty > 0",
      InputSerialization: { JSON: { Type: "DOCUMENT" } },
      OutputSerialization: { CSV: {} },
    });
    expect(r.records).toBe("a\nc\n");
  });

  it("ScanRange selects the records that start inside the range", async () => {
    // "name,city,age\n" is 14 bytes; "alice,Paris,34\n" starts at 14, "bob,..." at 29.
    const r = await select({ Key: "people.csv", Expression: "SELECT name FROM S3Object", ScanRange: { Start: 15, End: 40 } });
    expect(r.records).toBe("bob\n");
    const last = await select({ Key: "people.csv", Expression: "SELECT name FROM S3Object", ScanRange: { End: 13 } });
    expect(last.records).toBe("dave\n");
    await expectAwsError(
      select({ Key: "people.csv.gz", Expression: "SELECT * FROM S3Object", ScanRange: { Start: 0 }, InputSerialization: { CSV: {}, CompressionType: "GZIP" } }),
      { name: "UnsupportedScanRangeInput", status: 400 },
    );
  });

  it("bad SQL and bad requests are 400s", async () => {
    await expectAwsError(select({ Key: "people.csv", Expression: "SELECT FROM WHERE" }), { name: "ParseUnexpectedToken", status: 400 });
    await expectAwsError(select({ Key: "people.csv", Expression: "SELECT s.name FROM S3Object s WHERE CAST(s.city AS INT) > 1" }), {
      name: "CastFailed",
      status: 400,
    });
    await expectAwsError(select({ Key: "people.csv", Expression: "SELECT * FROM S3Object", ExpressionType: "XPATH" as never }), {
      name: "InvalidExpressionType",
      status: 400,
    });
    await expectAwsError(select({ Key: "missing.csv", Expression: "SELECT * FROM S3Object" }), { name: "NoSuchKey", status: 404 });
  });
});
