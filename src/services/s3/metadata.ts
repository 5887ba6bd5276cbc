/**
 * S3 Metadata configurations of general purpose buckets, kept on the bucket (configs "metadata", JSON), so
 * they persist and snapshot with it.
 * V2 (CreateBucketMetadataConfiguration ...): the journal table and the optional live inventory table live in
 * the AWS managed table bucket arn:<partition>:s3tables:<region>:<account>:bucket/aws-s3, namespace
 * b_<bucket>, tables "journal" and "inventory" (S3 User Guide, "Working with AWS managed table buckets",
 * "Example metadata table queries"). awsim has no S3 Tables: the tables go straight to ACTIVE (no
 * BACKFILLING) and no journal or inventory record is ever written. As on AWS, the tables outlive a disabled
 * inventory and a deleted configuration (User Guide, "Deleting metadata table configurations", "Enabling or
 * disabling live inventory tables"): enabling the inventory again, or creating a configuration again, finds
 * them and the new table is FAILED (InventoryTableAlreadyExists / JournalTableAlreadyExists; an inventory
 * table without an ACTIVE journal table: JournalTableNotAvailable). awsim keeps that record on the bucket
 * (configs "metadataTables"), so deleting the general purpose bucket forgets the tables, where AWS keeps them.
 * V1 (CreateBucketMetadataTableConfiguration ...): the destination is a customer table bucket. None exists
 * in awsim, so the configuration is accepted and reports Status FAILED with ErrorDetails TableBucketNotFound,
 * as S3 reports a table bucket that does not exist. V1 operations on a V2 configuration: 405 (API reference).
 * Not verified against AWS (documented-nearest choices): the code for creating a second configuration
 * (InvalidBucketState 409), the codes of the cross-field checks (InvalidArgument), MethodNotAllowed for V1
 * operations on V2 configurations and for the V2 Update operations on a V1 configuration.
 */
import { arn, parseArn, partitionOf } from "../core/arn.js";
import { uuid } from "../core/ids.js";
import { byModel, type Ctx } from "../core/types.js";
import { empty, getBucket, readXml } from "./common.js";
import { S3Errors } from "./errors.js";
import type { S3Input } from "./route.js";
import type { Bucket } from "./state.js";

type State = "ENABLED" | "DISABLED";
interface Sse {
  SseAlgorithm: string;
  KmsKeyArn?: string;
}
interface RecordExpiration {
  Expiration: State;
  Days?: number;
}
/** What a bucket keeps (JSON in configs "metadata"). */
interface Failure {
  ErrorCode: string;
  ErrorMessage: string;
}
interface StoredMetadata {
  version: 1 | 2;
  /** The table this configuration created, or why it could not. */
  journal?: { expiration: RecordExpiration; encryption?: Sse; tableArn?: string; error?: Failure };
  inventory?: { state: State; encryption?: Sse; tableArn?: string; error?: Failure };
  /** V1: the customer table bucket and table name as given. */
  tableBucketArn?: string;
  tableName?: string;
}

const KEY = "metadata";
/** The tables of the bucket's namespace in the AWS managed table bucket (ARNs by table name), kept after the configuration. */
const TABLES = "metadataTables";
type Tables = { journal?: string; inventory?: string };
const NAMESPACE_V1 = "aws_s3_metadata";
const MAX_DAYS = 2147483647;

/** The documented ErrorDetails of a V1 configuration whose table bucket does not exist (ErrorDetails, ErrorCode). */
const TABLE_BUCKET_NOT_FOUND = {
  ErrorCode: "TableBucketNotFound",
  ErrorMessage:
    "The table bucket that you specified doesn't exist in this Amazon Web Services Region and account. Create or choose a different table bucket. To create a new metadata table, you must delete the metadata configuration for this bucket, and then create a new metadata configuration.",
};

/** ErrorDetails of V2 tables S3 Metadata could not create (ErrorDetails, ErrorCode). */
const AGAIN = "To create a new metadata table, you must delete the metadata configuration for this bucket, and then create a new metadata configuration.";
const JOURNAL_EXISTS: Failure = {
  ErrorCode: "JournalTableAlreadyExists",
  ErrorMessage: `A journal table already exists in the Amazon Web Services managed table bucket's namespace. Delete the journal table, and then try again. ${AGAIN}`,
};
const INVENTORY_EXISTS: Failure = {
  ErrorCode: "InventoryTableAlreadyExists",
  ErrorMessage: `An inventory table already exists in the Amazon Web Services managed table bucket's namespace. Delete the inventory table, and then try again. ${AGAIN}`,
};
const JOURNAL_NOT_AVAILABLE: Failure = {
  ErrorCode: "JournalTableNotAvailable",
  ErrorMessage:
    "The journal table that the inventory table relies on has a FAILED status. An inventory table requires a journal table with an ACTIVE status. To create a new journal or inventory table, you must delete the metadata configuration for this bucket, along with any journal or inventory tables, and then create a new metadata configuration.",
};

const notFound = (b: Bucket) => S3Errors.noSuchConfig("MetadataConfigurationNotFound", "The metadata configuration was not found", b.name);
const alreadyExists = () => S3Errors.invalidBucketState("A metadata configuration already exists for this bucket. Delete it before you create a new one.");
const notAllowed = (input: S3Input) => S3Errors.methodNotAllowed(input.method, "BUCKET");

const text = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === "object" ? "" : String(v).trim());

/** The general purpose bucket; directory buckets have no S3 Metadata (S3 answers 405 there). */
function bucketOf(ctx: Ctx, input: S3Input): Bucket {
  const b = getBucket(ctx, input);
  if (b.directory) throw notAllowed(input);
  return b;
}

function stored(b: Bucket): StoredMetadata | undefined {
  const s = b.configs.get(KEY);
  return s === undefined ? undefined : (JSON.parse(s) as StoredMetadata);
}

const save = (b: Bucket, m: StoredMetadata) => b.configs.set(KEY, JSON.stringify(m));

/** The XML payload's root element, or MalformedXML. */
async function payload(input: S3Input, root: string): Promise<Record<string, unknown>> {
  const { doc } = await readXml(input);
  const c = doc[root];
  if (!c || typeof c !== "object") throw S3Errors.malformedXml();
  return c as Record<string, unknown>;
}

const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

function state(v: unknown): State {
  const s = text(v);
  if (s !== "ENABLED" && s !== "DISABLED") throw S3Errors.malformedXml();
  return s;
}

/** RecordExpiration: Days (7..2147483647) exactly when ENABLED. */
function recordExpiration(v: unknown): RecordExpiration {
  const r = obj(v);
  if (!r) throw S3Errors.malformedXml();
  const Expiration = state(r.Expiration);
  const daysText = text(r.Days);
  if (daysText !== undefined && !/^-?\d+$/.test(daysText)) throw S3Errors.malformedXml();
  const Days = daysText === undefined ? undefined : Number(daysText);
  if (Expiration === "ENABLED") {
    if (Days === undefined) throw S3Errors.invalidArgument("Days must be specified when record expiration is ENABLED.", "Days", "");
    if (Days < 7 || Days > MAX_DAYS) throw S3Errors.invalidArgument(`Days must be a whole number from 7 to ${MAX_DAYS}.`, "Days", daysText);
  } else if (Days !== undefined) throw S3Errors.invalidArgument("Days can only be specified when record expiration is ENABLED.", "Days", daysText);
  return Days === undefined ? { Expiration } : { Expiration, Days };
}

/** EncryptionConfiguration: a KMS key ARN (same Region as the bucket) exactly when aws:kms. */
function encryption(v: unknown, b: Bucket): Sse | undefined {
  if (v === undefined) return undefined;
  const e = obj(v);
  const alg = text(e?.SseAlgorithm);
  if (alg !== "aws:kms" && alg !== "AES256") throw S3Errors.malformedXml();
  const key = text(e?.KmsKeyArn) || undefined;
  if (alg === "AES256") {
    if (key !== undefined) throw S3Errors.invalidArgument("KmsKeyArn can only be specified when SseAlgorithm is aws:kms.", "KmsKeyArn", key);
    return { SseAlgorithm: alg };
  }
  if (key === undefined) throw S3Errors.invalidArgument("KmsKeyArn must be specified when SseAlgorithm is aws:kms.", "KmsKeyArn", "");
  const p = parseArn(key);
  if (p?.service !== "kms" || !/^key\/.+/.test(p.resource) || !/^\d{12}$/.test(p.accountId) || p.partition !== partitionOf(b.region))
    throw S3Errors.invalidArgument("KmsKeyArn must be the full ARN of a customer managed KMS key.", "KmsKeyArn", key);
  if (p.region !== b.region) throw S3Errors.invalidArgument("The KMS key must be in the same Region as the general purpose bucket.", "KmsKeyArn", key);
  return { SseAlgorithm: alg, KmsKeyArn: key };
}

/** The AWS managed table bucket of the bucket's account and Region (tables in it get generated table ids). */
const managedBucketArn = (b: Bucket) => arn("s3tables", b.region, b.owner, "bucket/aws-s3");

const tablesOf = (b: Bucket): Tables => JSON.parse(b.configs.get(TABLES) ?? "{}") as Tables;

/** Create a table in the bucket's namespace, unless one of that name is there already (then the documented failure). */
function createTable(b: Bucket, tables: Tables, name: keyof Tables, exists: Failure): { tableArn?: string; error?: Failure } {
  if (tables[name] !== undefined) return { error: exists };
  const tableArn = `${managedBucketArn(b)}/table/${uuid()}`;
  tables[name] = tableArn;
  b.configs.set(TABLES, JSON.stringify(tables));
  return { tableArn };
}

function createInventory(b: Bucket, tables: Tables, journal: StoredMetadata["journal"], encryption: Sse | undefined): NonNullable<StoredMetadata["inventory"]> {
  if (tables.inventory === undefined && journal?.error) return { state: "ENABLED", encryption, error: JOURNAL_NOT_AVAILABLE };
  return { state: "ENABLED", encryption, ...createTable(b, tables, "inventory", INVENTORY_EXISTS) };
}

// ---- V2 ---------------------------------------------------------------------------------------------------

export async function CreateBucketMetadataConfiguration(ctx: Ctx, input: S3Input) {
  const b = bucketOf(ctx, input);
  const c = await payload(input, "MetadataConfiguration");
  const j = obj(c.JournalTableConfiguration);
  if (!j) throw S3Errors.malformedXml();
  const expiration = recordExpiration(j.RecordExpiration);
  const journalSse = encryption(j.EncryptionConfiguration, b);
  const inv = c.InventoryTableConfiguration === undefined ? undefined : obj(c.InventoryTableConfiguration);
  if (c.InventoryTableConfiguration !== undefined && !inv) throw S3Errors.malformedXml();
  const invState = inv ? state(inv.ConfigurationState) : "DISABLED";
  const invSse = inv ? encryption(inv.EncryptionConfiguration, b) : undefined;
  if (b.configs.has(KEY)) throw alreadyExists();
  const tables = tablesOf(b);
  const journal = { expiration, encryption: journalSse, ...createTable(b, tables, "journal", JOURNAL_EXISTS) };
  const inventory = invState === "ENABLED" ? createInventory(b, tables, journal, invSse) : { state: invState };
  save(b, { version: 2, journal, inventory });
  return empty(200);
}

function v2Result(b: Bucket, m: StoredMetadata) {
  if (m.version === 1) {
    // A V1 configuration seen through the V2 API: the customer table bucket, one (journal) table.
    return {
      DestinationResult: { TableBucketType: "customer", TableBucketArn: m.tableBucketArn, TableNamespace: NAMESPACE_V1 },
      JournalTableConfigurationResult: {
        TableStatus: "FAILED",
        Error: TABLE_BUCKET_NOT_FOUND,
        TableName: m.tableName,
        TableArn: v1TableArn(m),
        RecordExpiration: { Expiration: "DISABLED" },
      },
    };
  }
  const j = m.journal!;
  const inv = m.inventory!;
  return {
    DestinationResult: { TableBucketType: "aws", TableBucketArn: managedBucketArn(b), TableNamespace: `b_${b.name}` },
    JournalTableConfigurationResult: {
      TableStatus: j.error ? "FAILED" : "ACTIVE",
      Error: j.error,
      TableName: "journal",
      TableArn: j.tableArn,
      RecordExpiration: j.expiration,
    },
    InventoryTableConfigurationResult:
      inv.state === "ENABLED"
        ? { ConfigurationState: "ENABLED", TableStatus: inv.error ? "FAILED" : "ACTIVE", Error: inv.error, TableName: "inventory", TableArn: inv.tableArn }
        : { ConfigurationState: "DISABLED" },
  };
}

export function GetBucketMetadataConfiguration(ctx: Ctx, input: S3Input) {
  const b = bucketOf(ctx, input);
  const m = stored(b);
  if (!m) throw notFound(b);
  return byModel({ GetBucketMetadataConfigurationResult: { MetadataConfigurationResult: v2Result(b, m) } });
}

/** V1 or V2 configurations alike. */
export function DeleteBucketMetadataConfiguration(ctx: Ctx, input: S3Input) {
  const b = bucketOf(ctx, input);
  if (!b.configs.delete(KEY)) throw notFound(b);
  return empty(204);
}

/** The V2 configuration, for the Update operations (a V1 configuration has neither live inventory nor record expiration). */
function v2Of(b: Bucket, input: S3Input): StoredMetadata {
  const m = stored(b);
  if (!m) throw notFound(b);
  if (m.version !== 2) throw notAllowed(input);
  return m;
}

export async function UpdateBucketMetadataInventoryTableConfiguration(ctx: Ctx, input: S3Input) {
  const b = bucketOf(ctx, input);
  const c = await payload(input, "InventoryTableConfiguration");
  const next = state(c.ConfigurationState);
  const sse = encryption(c.EncryptionConfiguration, b);
  const m = v2Of(b, input);
  // Disabling keeps the table (no longer updated); enabling creates one, which fails while the old one is there.
  if (next === "DISABLED") m.inventory = { state: "DISABLED" };
  else if (m.inventory!.state !== "ENABLED") m.inventory = createInventory(b, tablesOf(b), m.journal, sse);
  save(b, m);
  return empty(200);
}

export async function UpdateBucketMetadataJournalTableConfiguration(ctx: Ctx, input: S3Input) {
  const b = bucketOf(ctx, input);
  const c = await payload(input, "JournalTableConfiguration");
  const expiration = recordExpiration(c.RecordExpiration);
  const m = v2Of(b, input);
  m.journal!.expiration = expiration;
  save(b, m);
  return empty(200);
}

// ---- V1 ---------------------------------------------------------------------------------------------------

/** The metadata table's ARN in its table bucket (S3 User Guide: arn:aws:s3tables:region:account:bucket/table-bucket/table/name). */
const v1TableArn = (m: StoredMetadata) => `${m.tableBucketArn}/table/${m.tableName}`;

/** A table bucket ARN in the general purpose bucket's Region and account (S3TablesDestination). */
function checkTableBucketArn(b: Bucket, v: string): void {
  const p = parseArn(v);
  if (p?.service !== "s3tables" || !/^bucket\/[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(p.resource) || !/^\d{12}$/.test(p.accountId))
    throw S3Errors.invalidArgument("Invalid table bucket ARN.", "TableBucketArn", v);
  if (p.partition !== partitionOf(b.region) || p.region !== b.region || p.accountId !== b.owner)
    throw S3Errors.invalidArgument(
      "The destination table bucket must be in the same Region and AWS account as the general purpose bucket.",
      "TableBucketArn",
      v,
    );
}

export async function CreateBucketMetadataTableConfiguration(ctx: Ctx, input: S3Input) {
  const b = bucketOf(ctx, input);
  const c = await payload(input, "MetadataTableConfiguration");
  const d = obj(c.S3TablesDestination);
  const tableBucketArn = text(d?.TableBucketArn);
  const tableName = text(d?.TableName);
  if (!tableBucketArn || !tableName) throw S3Errors.malformedXml();
  checkTableBucketArn(b, tableBucketArn);
  // S3 Tables' table names: 1-255 lower-case letters, numbers and underscores, starting and ending with a letter or number.
  if (tableName.length > 255 || !/^[a-z0-9](?:[a-z0-9_]*[a-z0-9])?$/.test(tableName))
    throw S3Errors.invalidArgument("Invalid table name.", "TableName", tableName);
  const m = stored(b);
  if (m?.version === 2) throw notAllowed(input);
  if (m) throw alreadyExists();
  save(b, { version: 1, tableBucketArn, tableName });
  return empty(200);
}

function v1Of(b: Bucket, input: S3Input): StoredMetadata {
  const m = stored(b);
  if (!m) throw notFound(b);
  // "if you try to use the V1 ... API operation with V2 configurations, you will receive an HTTP 405 Method Not Allowed error."
  if (m.version !== 1) throw notAllowed(input);
  return m;
}

export function GetBucketMetadataTableConfiguration(ctx: Ctx, input: S3Input) {
  const b = bucketOf(ctx, input);
  const m = v1Of(b, input);
  return byModel({
    GetBucketMetadataTableConfigurationResult: {
      MetadataTableConfigurationResult: {
        S3TablesDestinationResult: { TableBucketArn: m.tableBucketArn, TableName: m.tableName, TableArn: v1TableArn(m), TableNamespace: NAMESPACE_V1 },
      },
      Status: "FAILED",
      Error: TABLE_BUCKET_NOT_FOUND,
    },
  });
}

export function DeleteBucketMetadataTableConfiguration(ctx: Ctx, input: S3Input) {
  const b = bucketOf(ctx, input);
  v1Of(b, input);
  b.configs.delete(KEY);
  return empty(204);
}
