/** S3 Metadata configurations: V2 (journal + live inventory tables in the AWS managed table bucket) and V1 (customer table bucket). */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateBucketCommand,
  CreateBucketMetadataConfigurationCommand,
  CreateBucketMetadataTableConfigurationCommand,
  DeleteBucketCommand,
  DeleteBucketMetadataConfigurationCommand,
  DeleteBucketMetadataTableConfigurationCommand,
  GetBucketMetadataConfigurationCommand,
  GetBucketMetadataTableConfigurationCommand,
  S3Client,
  UpdateBucketMetadataInventoryTableConfigurationCommand,
  UpdateBucketMetadataJournalTableConfigurationCommand,
  type MetadataConfiguration,
} from "@aws-sdk/client-s3";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, startServer, useServer } from "../helpers.js";

const ACCOUNT = "000000000000";
const sim = useServer({ reset: "s3" }, (cfg) => ({ s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
const B = "meta-bkt";
const KMS = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const TABLE_ARN = new RegExp(`^arn:aws:s3tables:us-east-1:${ACCOUNT}:bucket/aws-s3/table/[0-9a-f-]{36}$`);
const TABLE_BUCKET = `arn:aws:s3tables:us-east-1:${ACCOUNT}:bucket/my-table-bucket`;
const NOT_FOUND_MESSAGE =
  "The table bucket that you specified doesn't exist in this Amazon Web Services Region and account. Create or choose a different table bucket. To create a new metadata table, you must delete the metadata configuration for this bucket, and then create a new metadata configuration.";

beforeEach(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket: B }));
});

const create = (MetadataConfiguration: MetadataConfiguration, Bucket = B) =>
  sim.s3.send(new CreateBucketMetadataConfigurationCommand({ Bucket, MetadataConfiguration }));
const get = async (Bucket = B) =>
  (await sim.s3.send(new GetBucketMetadataConfigurationCommand({ Bucket }))).GetBucketMetadataConfigurationResult!.MetadataConfigurationResult!;
const createV1 = (TableBucketArn = TABLE_BUCKET, TableName = "my_metadata", Bucket = B) =>
  sim.s3.send(
    new CreateBucketMetadataTableConfigurationCommand({ Bucket, MetadataTableConfiguration: { S3TablesDestination: { TableBucketArn, TableName } } }),
  );
const basic: MetadataConfiguration = { JournalTableConfiguration: { RecordExpiration: { Expiration: "ENABLED", Days: 7 } } };

describe("V2 metadata configurations", () => {
  it("round-trip every field: the AWS managed table bucket, the journal and inventory tables ACTIVE", async () => {
    await create({
      JournalTableConfiguration: {
        RecordExpiration: { Expiration: "ENABLED", Days: 30 },
        EncryptionConfiguration: { SseAlgorithm: "aws:kms", KmsKeyArn: KMS },
      },
      InventoryTableConfiguration: { ConfigurationState: "ENABLED", EncryptionConfiguration: { SseAlgorithm: "AES256" } },
    });
    const r = await get();
    expect(r.DestinationResult).toEqual({
      TableBucketType: "aws",
      TableBucketArn: `arn:aws:s3tables:us-east-1:${ACCOUNT}:bucket/aws-s3`,
      TableNamespace: `b_${B}`,
    });
    const j = r.JournalTableConfigurationResult!;
    expect(j).toMatchObject({ TableStatus: "ACTIVE", TableName: "journal", RecordExpiration: { Expiration: "ENABLED", Days: 30 } });
    expect(j.TableArn).toMatch(TABLE_ARN);
    expect(j.Error).toBeUndefined();
    const inv = r.InventoryTableConfigurationResult!;
    expect(inv).toMatchObject({ ConfigurationState: "ENABLED", TableStatus: "ACTIVE", TableName: "inventory" });
    expect(inv.TableArn).toMatch(TABLE_ARN);
    expect(inv.TableArn).not.toBe(j.TableArn);
    // The same answer on every read.
    expect(await get()).toEqual(r);
  });

  it("a disabled (or omitted) inventory table has no status, name or ARN; expiration DISABLED has no Days", async () => {
    await create({
      JournalTableConfiguration: { RecordExpiration: { Expiration: "DISABLED" } },
      InventoryTableConfiguration: { ConfigurationState: "DISABLED" },
    });
    let r = await get();
    expect(r.InventoryTableConfigurationResult).toEqual({ ConfigurationState: "DISABLED" });
    expect(r.JournalTableConfigurationResult!.RecordExpiration).toEqual({ Expiration: "DISABLED" });
    await sim.s3.send(new DeleteBucketMetadataConfigurationCommand({ Bucket: B }));
    await create(basic);
    r = await get();
    expect(r.InventoryTableConfigurationResult).toEqual({ ConfigurationState: "DISABLED" });
    expect(r.JournalTableConfigurationResult!.RecordExpiration).toEqual({ Expiration: "ENABLED", Days: 7 });
  });

  it("UpdateBucketMetadataInventoryTableConfiguration enables, keeps and disables the inventory table; the disabled table stays, so enabling again FAILS", async () => {
    await create(basic);
    const update = (ConfigurationState: "ENABLED" | "DISABLED") =>
      sim.s3.send(new UpdateBucketMetadataInventoryTableConfigurationCommand({ Bucket: B, InventoryTableConfiguration: { ConfigurationState } }));
    await update("ENABLED");
    const first = (await get()).InventoryTableConfigurationResult!;
    expect(first).toMatchObject({ ConfigurationState: "ENABLED", TableStatus: "ACTIVE", TableName: "inventory" });
    expect(first.TableArn).toMatch(TABLE_ARN);
    await update("ENABLED");
    expect((await get()).InventoryTableConfigurationResult).toEqual(first);
    await update("DISABLED");
    expect((await get()).InventoryTableConfigurationResult).toEqual({ ConfigurationState: "DISABLED" });
    // "If you've disabled your inventory table configuration and now want to re-enable it, you must first manually delete the
    // old inventory table ... Otherwise, the newly re-enabled inventory table configuration will enter a failed state."
    await update("ENABLED");
    expect((await get()).InventoryTableConfigurationResult).toEqual({
      ConfigurationState: "ENABLED",
      TableStatus: "FAILED",
      Error: {
        ErrorCode: "InventoryTableAlreadyExists",
        ErrorMessage: expect.stringMatching(
          /^An inventory table already exists in the Amazon Web Services managed table bucket's namespace\. Delete the inventory table, and then try again\./,
        ),
      },
      TableName: "inventory",
    });
    // The journal table is untouched.
    expect((await get()).JournalTableConfigurationResult!.RecordExpiration).toEqual({ Expiration: "ENABLED", Days: 7 });
  });

  it("UpdateBucketMetadataJournalTableConfiguration changes record expiration and keeps the table", async () => {
    await create(basic);
    const before = (await get()).JournalTableConfigurationResult!;
    const update = (RecordExpiration: { Expiration: "ENABLED" | "DISABLED"; Days?: number }) =>
      sim.s3.send(new UpdateBucketMetadataJournalTableConfigurationCommand({ Bucket: B, JournalTableConfiguration: { RecordExpiration } }));
    await update({ Expiration: "ENABLED", Days: 2147483647 });
    expect((await get()).JournalTableConfigurationResult).toEqual({ ...before, RecordExpiration: { Expiration: "ENABLED", Days: 2147483647 } });
    await update({ Expiration: "DISABLED" });
    expect((await get()).JournalTableConfigurationResult).toEqual({ ...before, RecordExpiration: { Expiration: "DISABLED" } });
    await expectAwsError(update({ Expiration: "ENABLED", Days: 6 }), { name: "InvalidArgument", status: 400 });
    expect((await get()).JournalTableConfigurationResult!.RecordExpiration).toEqual({ Expiration: "DISABLED" });
  });

  it("Get and Delete without a configuration: MetadataConfigurationNotFound; Create twice: InvalidBucketState; Delete then Create again", async () => {
    const err = await expectAwsError(sim.s3.send(new GetBucketMetadataConfigurationCommand({ Bucket: B })), {
      name: "MetadataConfigurationNotFound",
      status: 404,
      message: "The metadata configuration was not found",
    });
    expect((err as unknown as { BucketName?: string }).BucketName).toBe(B);
    await expectAwsError(sim.s3.send(new DeleteBucketMetadataConfigurationCommand({ Bucket: B })), { name: "MetadataConfigurationNotFound", status: 404 });
    await create(basic);
    await expectAwsError(create(basic), { name: "InvalidBucketState", status: 409 });
    await sim.s3.send(new DeleteBucketMetadataConfigurationCommand({ Bucket: B }));
    await expectAwsError(sim.s3.send(new GetBucketMetadataConfigurationCommand({ Bucket: B })), { name: "MetadataConfigurationNotFound", status: 404 });
  });

  it("the tables outlive a deleted configuration: creating it again succeeds but the tables are FAILED, as AWS documents", async () => {
    await create(basic);
    await sim.s3.send(new DeleteBucketMetadataConfigurationCommand({ Bucket: B }));
    await create({ ...basic, InventoryTableConfiguration: { ConfigurationState: "ENABLED" } });
    const r = await get();
    expect(r.JournalTableConfigurationResult).toEqual({
      TableStatus: "FAILED",
      Error: {
        ErrorCode: "JournalTableAlreadyExists",
        ErrorMessage: expect.stringMatching(/^A journal table already exists in the Amazon Web Services managed table bucket's namespace\./),
      },
      TableName: "journal",
      RecordExpiration: { Expiration: "ENABLED", Days: 7 },
    });
    // No inventory table existed, but it needs an ACTIVE journal table.
    expect(r.InventoryTableConfigurationResult).toMatchObject({
      ConfigurationState: "ENABLED",
      TableStatus: "FAILED",
      Error: {
        ErrorCode: "JournalTableNotAvailable",
        ErrorMessage: expect.stringMatching(/^The journal table that the inventory table relies on has a FAILED status\./),
      },
    });
    expect(r.InventoryTableConfigurationResult!.TableArn).toBeUndefined();
  });

  it("Update operations without a configuration: MetadataConfigurationNotFound", async () => {
    await expectAwsError(
      sim.s3.send(new UpdateBucketMetadataInventoryTableConfigurationCommand({ Bucket: B, InventoryTableConfiguration: { ConfigurationState: "ENABLED" } })),
      { name: "MetadataConfigurationNotFound", status: 404 },
    );
    await expectAwsError(
      sim.s3.send(
        new UpdateBucketMetadataJournalTableConfigurationCommand({ Bucket: B, JournalTableConfiguration: { RecordExpiration: { Expiration: "DISABLED" } } }),
      ),
      { name: "MetadataConfigurationNotFound", status: 404 },
    );
  });

  it("refuses bad record expiration and encryption settings, and stores nothing", async () => {
    const journal = (RecordExpiration: object, EncryptionConfiguration?: object) =>
      create({ JournalTableConfiguration: { RecordExpiration, EncryptionConfiguration } as MetadataConfiguration["JournalTableConfiguration"] });
    for (const days of [0, 6, 2147483648, -7]) await expectAwsError(journal({ Expiration: "ENABLED", Days: days }), { name: "InvalidArgument", status: 400 });
    await expectAwsError(journal({ Expiration: "ENABLED" }), { name: "InvalidArgument", status: 400, message: /Days/ });
    await expectAwsError(journal({ Expiration: "DISABLED", Days: 30 }), { name: "InvalidArgument", status: 400, message: /Days/ });
    await expectAwsError(journal({ Expiration: "SOMETIMES" }), { name: "MalformedXML", status: 400 });
    const on = { Expiration: "ENABLED", Days: 7 };
    await expectAwsError(journal(on, { SseAlgorithm: "aws:kms" }), { name: "InvalidArgument", status: 400, message: /KmsKeyArn/ });
    await expectAwsError(journal(on, { SseAlgorithm: "AES256", KmsKeyArn: KMS }), { name: "InvalidArgument", status: 400, message: /KmsKeyArn/ });
    await expectAwsError(journal(on, { SseAlgorithm: "aws:kms", KmsKeyArn: "alias/my-key" }), { name: "InvalidArgument", status: 400 });
    await expectAwsError(journal(on, { SseAlgorithm: "aws:kms", KmsKeyArn: KMS.replace("us-east-1", "eu-west-1") }), {
      name: "InvalidArgument",
      status: 400,
      message: /same Region/,
    });
    await expectAwsError(journal(on, { SseAlgorithm: "DES" }), { name: "MalformedXML", status: 400 });
    await expectAwsError(
      create({ ...basic, InventoryTableConfiguration: { ConfigurationState: "ENABLED", EncryptionConfiguration: { SseAlgorithm: "aws:kms" } } }),
      { name: "InvalidArgument", status: 400 },
    );
    await expectAwsError(sim.s3.send(new GetBucketMetadataConfigurationCommand({ Bucket: B })), { name: "MetadataConfigurationNotFound", status: 404 });
  });

  it("unknown buckets: NoSuchBucket from every operation", async () => {
    const Bucket = "no-such-meta-bucket";
    const calls = [
      () => create(basic, Bucket),
      () => sim.s3.send(new GetBucketMetadataConfigurationCommand({ Bucket })),
      () => sim.s3.send(new DeleteBucketMetadataConfigurationCommand({ Bucket })),
      () => sim.s3.send(new UpdateBucketMetadataInventoryTableConfigurationCommand({ Bucket, InventoryTableConfiguration: { ConfigurationState: "ENABLED" } })),
      () =>
        sim.s3.send(
          new UpdateBucketMetadataJournalTableConfigurationCommand({ Bucket, JournalTableConfiguration: { RecordExpiration: { Expiration: "DISABLED" } } }),
        ),
      () => createV1(TABLE_BUCKET, "t", Bucket),
      () => sim.s3.send(new GetBucketMetadataTableConfigurationCommand({ Bucket })),
      () => sim.s3.send(new DeleteBucketMetadataTableConfigurationCommand({ Bucket })),
    ];
    for (const c of calls) await expectAwsError(c(), { name: "NoSuchBucket", status: 404 });
  });

  it("DeleteBucket takes the configuration with it: a bucket created again under the name has none", async () => {
    await create(basic);
    await sim.s3.send(new DeleteBucketCommand({ Bucket: B }));
    await expectAwsError(sim.s3.send(new GetBucketMetadataConfigurationCommand({ Bucket: B })), { name: "NoSuchBucket", status: 404 });
    await sim.s3.send(new CreateBucketCommand({ Bucket: B }));
    await expectAwsError(sim.s3.send(new GetBucketMetadataConfigurationCommand({ Bucket: B })), { name: "MetadataConfigurationNotFound", status: 404 });
  });

  it("the wire: GetBucketMetadataConfigurationResult root in S3's namespace; other methods on the sub-resource are 405", async () => {
    await create(basic);
    const res = await fetch(`${sim.server.url}/${B}?metadataConfiguration`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toMatch(/<GetBucketMetadataConfigurationResult xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/"><MetadataConfigurationResult>/);
    expect(body).toContain("<TableNamespace>b_meta-bkt</TableNamespace>");
    const put = await fetch(`${sim.server.url}/${B}?metadataConfiguration`, { method: "PUT", body: "<x/>" });
    expect(put.status).toBe(405);
    expect(await put.text()).toContain("<Code>MethodNotAllowed</Code>");
  });
});

describe("V1 metadata table configurations", () => {
  it("Create succeeds; Get reports FAILED with TableBucketNotFound (awsim has no table buckets)", async () => {
    await createV1();
    const r = (await sim.s3.send(new GetBucketMetadataTableConfigurationCommand({ Bucket: B }))).GetBucketMetadataTableConfigurationResult!;
    expect(r).toEqual({
      MetadataTableConfigurationResult: {
        S3TablesDestinationResult: {
          TableBucketArn: TABLE_BUCKET,
          TableName: "my_metadata",
          TableArn: `${TABLE_BUCKET}/table/my_metadata`,
          TableNamespace: "aws_s3_metadata",
        },
      },
      Status: "FAILED",
      Error: { ErrorCode: "TableBucketNotFound", ErrorMessage: NOT_FOUND_MESSAGE },
    });
  });

  it("V2 Get reads a V1 configuration (customer table bucket); V2 Delete removes it", async () => {
    await createV1();
    expect(await get()).toEqual({
      DestinationResult: { TableBucketType: "customer", TableBucketArn: TABLE_BUCKET, TableNamespace: "aws_s3_metadata" },
      JournalTableConfigurationResult: {
        TableStatus: "FAILED",
        Error: { ErrorCode: "TableBucketNotFound", ErrorMessage: NOT_FOUND_MESSAGE },
        TableName: "my_metadata",
        TableArn: `${TABLE_BUCKET}/table/my_metadata`,
        RecordExpiration: { Expiration: "DISABLED" },
      },
    });
    await expectAwsError(create(basic), { name: "InvalidBucketState", status: 409 });
    await expectAwsError(createV1(), { name: "InvalidBucketState", status: 409 });
    await expectAwsError(
      sim.s3.send(new UpdateBucketMetadataInventoryTableConfigurationCommand({ Bucket: B, InventoryTableConfiguration: { ConfigurationState: "ENABLED" } })),
      { name: "MethodNotAllowed", status: 405 },
    );
    await sim.s3.send(new DeleteBucketMetadataConfigurationCommand({ Bucket: B }));
    await expectAwsError(sim.s3.send(new GetBucketMetadataTableConfigurationCommand({ Bucket: B })), { name: "MetadataConfigurationNotFound", status: 404 });
  });

  it("V1 Get, Delete and Create on a V2 configuration: 405 Method Not Allowed, the configuration kept", async () => {
    await create(basic);
    await expectAwsError(sim.s3.send(new GetBucketMetadataTableConfigurationCommand({ Bucket: B })), { name: "MethodNotAllowed", status: 405 });
    await expectAwsError(sim.s3.send(new DeleteBucketMetadataTableConfigurationCommand({ Bucket: B })), { name: "MethodNotAllowed", status: 405 });
    await expectAwsError(createV1(), { name: "MethodNotAllowed", status: 405 });
    expect((await get()).DestinationResult!.TableBucketType).toBe("aws");
  });

  it("V1 Delete removes a V1 configuration; without one it is MetadataConfigurationNotFound", async () => {
    await createV1();
    await sim.s3.send(new DeleteBucketMetadataTableConfigurationCommand({ Bucket: B }));
    await expectAwsError(sim.s3.send(new DeleteBucketMetadataTableConfigurationCommand({ Bucket: B })), { name: "MetadataConfigurationNotFound", status: 404 });
    await expectAwsError(sim.s3.send(new GetBucketMetadataConfigurationCommand({ Bucket: B })), { name: "MetadataConfigurationNotFound", status: 404 });
  });

  it("the table bucket ARN must be a table bucket's, in the bucket's Region and account; table names follow S3 Tables' rules", async () => {
    for (const arn of [
      "my-table-bucket",
      `arn:aws:s3:::my-table-bucket`,
      `arn:aws:s3tables:us-east-1:${ACCOUNT}:bucket/My_Bucket`,
      `arn:aws:s3tables:eu-west-1:${ACCOUNT}:bucket/my-table-bucket`,
      "arn:aws:s3tables:us-east-1:111122223333:bucket/my-table-bucket",
    ])
      await expectAwsError(createV1(arn), { name: "InvalidArgument", status: 400 });
    for (const name of ["Upper", "_leading", "trailing_", "has-dash", "x".repeat(256)])
      await expectAwsError(createV1(TABLE_BUCKET, name), { name: "InvalidArgument", status: 400 });
    await expectAwsError(sim.s3.send(new GetBucketMetadataTableConfigurationCommand({ Bucket: B })), { name: "MetadataConfigurationNotFound", status: 404 });
  });
});

describe("directory buckets", () => {
  it("have no S3 Metadata: 405", async () => {
    const account = "111122223333";
    const s3 = new S3Client({
      ...clientConfig(sim.server),
      region: "us-west-2",
      forcePathStyle: true,
      credentials: { accessKeyId: account, secretAccessKey: "x" },
    });
    const Bucket = "meta--usw2-az1--x-s3";
    await s3.send(
      new CreateBucketCommand({
        Bucket,
        CreateBucketConfiguration: {
          Location: { Type: "AvailabilityZone", Name: "usw2-az1" },
          Bucket: { Type: "Directory", DataRedundancy: "SingleAvailabilityZone" },
        },
      }),
    );
    await expectAwsError(s3.send(new CreateBucketMetadataConfigurationCommand({ Bucket, MetadataConfiguration: basic })), {
      name: "MethodNotAllowed",
      status: 405,
    });
    await expectAwsError(s3.send(new GetBucketMetadataConfigurationCommand({ Bucket })), { name: "MethodNotAllowed", status: 405 });
  });
});

describe("named snapshots", () => {
  it("a restore brings back the configuration as it was", async () => {
    await create(basic);
    const before = await get();
    await sim.server.snapshot("meta-snap", { service: "s3" });
    await sim.s3.send(
      new UpdateBucketMetadataJournalTableConfigurationCommand({ Bucket: B, JournalTableConfiguration: { RecordExpiration: { Expiration: "DISABLED" } } }),
    );
    await sim.s3.send(new DeleteBucketMetadataConfigurationCommand({ Bucket: B }));
    await sim.server.restore("meta-snap");
    expect(await get()).toEqual(before);
  });
});

describe("--persist", () => {
  const dir = mkdtempSync(join(tmpdir(), "awsim-s3-metadata-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("configurations survive a restart", async () => {
    const a = await startServer({ persist: true, dataDir: dir });
    const s3a = new S3Client({ ...clientConfig(a), forcePathStyle: true });
    await s3a.send(new CreateBucketCommand({ Bucket: "persist-v2" }));
    await s3a.send(new CreateBucketCommand({ Bucket: "persist-v1" }));
    await s3a.send(
      new CreateBucketMetadataConfigurationCommand({
        Bucket: "persist-v2",
        MetadataConfiguration: { ...basic, InventoryTableConfiguration: { ConfigurationState: "ENABLED" } },
      }),
    );
    await s3a.send(
      new CreateBucketMetadataTableConfigurationCommand({
        Bucket: "persist-v1",
        MetadataTableConfiguration: { S3TablesDestination: { TableBucketArn: TABLE_BUCKET, TableName: "t1" } },
      }),
    );
    const v2 = await s3a.send(new GetBucketMetadataConfigurationCommand({ Bucket: "persist-v2" }));
    const v1 = await s3a.send(new GetBucketMetadataTableConfigurationCommand({ Bucket: "persist-v1" }));
    await a.stop();
    const b = await startServer({ persist: true, dataDir: dir });
    const s3b = new S3Client({ ...clientConfig(b), forcePathStyle: true });
    expect((await s3b.send(new GetBucketMetadataConfigurationCommand({ Bucket: "persist-v2" }))).GetBucketMetadataConfigurationResult).toEqual(
      v2.GetBucketMetadataConfigurationResult,
    );
    expect((await s3b.send(new GetBucketMetadataTableConfigurationCommand({ Bucket: "persist-v1" }))).GetBucketMetadataTableConfigurationResult).toEqual(
      v1.GetBucketMetadataTableConfigurationResult,
    );
    // The tables left in the AWS managed table bucket are remembered too.
    await s3b.send(new DeleteBucketMetadataConfigurationCommand({ Bucket: "persist-v2" }));
    await s3b.send(new CreateBucketMetadataConfigurationCommand({ Bucket: "persist-v2", MetadataConfiguration: basic }));
    const again = await s3b.send(new GetBucketMetadataConfigurationCommand({ Bucket: "persist-v2" }));
    expect(again.GetBucketMetadataConfigurationResult!.MetadataConfigurationResult!.JournalTableConfigurationResult!.Error!.ErrorCode).toBe(
      "JournalTableAlreadyExists",
    );
    await b.stop();
  });
});
