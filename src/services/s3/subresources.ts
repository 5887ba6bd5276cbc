/**
 * Bucket sub-resources stored, validated and returned as S3 does: logging, transfer acceleration,
 * request payment (requester pays enforced for other accounts), replication (objects written to the
 * source are copied into the destination bucket inside awsim, with x-amz-replication-status),
 * inventory / metrics / analytics / intelligent-tiering configurations by id (paginated lists),
 * and RestoreObject for archived objects (x-amz-restore on HEAD; readable once the restore completes on
 * S3's clock).
 */
import { asArray } from "../../protocols/xml.js";
import { AwsError } from "../../protocols/aws-error.js";
import { notify } from "./notify.js";
import type { Ctx } from "../core/types.js";
import { concatBlobs, setBlobSize } from "./blobs.js";
import { empty, findVersion, generatedId, getBucket, insertKeyAndVersion, readXml, s3now, s3state, xmlReply } from "./common.js";
import { S3Errors } from "./errors.js";
import type { S3Input } from "./route.js";
import type { Bucket, ObjectVersion } from "./state.js";

/** A parsed XML element without its attributes (xmlns), to re-emit under another root. */
function children(o: unknown): Record<string, unknown> {
  if (!o || typeof o !== "object") return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o as Record<string, unknown>)) if (!k.startsWith("@_")) out[k] = v;
  return out;
}

const text = (v: unknown) => (v === undefined || v === null ? undefined : typeof v === "object" ? "" : String(v).trim());

// ---- logging -----------------------------------------------------------------------------------------

export async function PutBucketLogging(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const { doc } = await readXml(input);
  const s = doc.BucketLoggingStatus;
  if (s === undefined) throw S3Errors.malformedXml();
  const le = typeof s === "object" ? s.LoggingEnabled : undefined;
  if (le === undefined) {
    if (b.configs.delete("logging")) s3state(ctx).loggingBuckets--;
    return empty(200);
  }
  const target = text(le?.TargetBucket);
  if (!target || text(le.TargetPrefix) === undefined) throw S3Errors.malformedXml();
  // A grant's Permission is one of the schema's permissions (AWS takes READ_ACP here too, beyond the model's
  // BucketLogsPermission); another value does not validate.
  for (const g of asArray(le.TargetGrants?.Grant) as Array<Record<string, unknown>>)
    if (!["FULL_CONTROL", "READ", "WRITE", "READ_ACP", "WRITE_ACP"].includes(String(text(g?.Permission)))) throw S3Errors.malformedXml();
  const tb = s3state(ctx).buckets.get(target);
  if (!tb) throw S3Errors.invalidTargetBucketForLogging("The target bucket for logging does not exist", target);
  if (tb.owner !== b.owner)
    throw S3Errors.invalidTargetBucketForLogging("The owner for the bucket to be logged and the target bucket must be the same.", target);
  if (tb.region !== b.region) throw S3Errors.crossLocationLogging(b.region, tb.region);
  // A target bucket that disables ACLs (BucketOwnerEnforced) takes no TargetGrants: access is by bucket policy.
  if (tb.ownership === "BucketOwnerEnforced" && asArray(le.TargetGrants?.Grant).length)
    throw new AwsError("AccessControlListNotSupported", "Target grants not allowed for bucket owner enforced buckets", 400);
  if (!b.configs.has("logging")) s3state(ctx).loggingBuckets++;
  b.configs.set("logging", JSON.stringify(children(le)));
  return empty(200);
}

/** A TargetGrants grantee written back with its xsi:type, which clients read the grantee's Type from. */
function typedGrantee(g: unknown): unknown {
  if (!g || typeof g !== "object" || !("@_type" in g)) return g;
  const { "@_type": type, ...rest } = g as Record<string, unknown>;
  return { "@_xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance", "@_xsi:type": type, ...rest };
}

export function GetBucketLogging(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const stored = b.configs.get("logging");
  const le = stored ? (JSON.parse(stored) as Record<string, any>) : undefined;
  const grants = le?.TargetGrants?.Grant;
  if (grants !== undefined) le!.TargetGrants.Grant = asArray(grants).map((g: Record<string, unknown>) => ({ ...g, Grantee: typedGrantee(g?.Grantee) }));
  return xmlReply("BucketLoggingStatus", le ? { LoggingEnabled: le } : {});
}

// ---- acceleration and request payment ------------------------------------------------------------------

export async function PutBucketAccelerateConfiguration(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const { doc } = await readXml(input);
  const status = text(doc.AccelerateConfiguration?.Status);
  if (b.name.includes(".")) throw S3Errors.invalidRequest("S3 Transfer Acceleration is not supported for buckets with periods (.) in their names");
  if (status !== "Enabled" && status !== "Suspended") throw S3Errors.malformedXml();
  b.configs.set("accelerate", status);
  return empty(200);
}

export function GetBucketAccelerateConfiguration(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  return xmlReply("AccelerateConfiguration", { Status: b.configs.get("accelerate") });
}

export async function PutBucketRequestPayment(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const { doc } = await readXml(input);
  const payer = text(doc.RequestPaymentConfiguration?.Payer);
  if (payer !== "Requester" && payer !== "BucketOwner") throw S3Errors.malformedXml();
  b.requesterPays = payer === "Requester" || undefined;
  return empty(200);
}

export function GetBucketRequestPayment(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  return xmlReply("RequestPaymentConfiguration", { Payer: b.requesterPays ? "Requester" : "BucketOwner" });
}

// ---- replication -------------------------------------------------------------------------------------

export interface ReplicationRule {
  id: string;
  enabled: boolean;
  prefix: string;
  tags: Array<{ Key: string; Value: string }>;
  priority: number;
  destination: string;
  storageClass?: string;
  deleteMarkers: boolean;
}

const bucketFromArn = (arn: string) => (arn.startsWith("arn:aws:s3:::") ? arn.slice(13) : undefined);

export async function PutBucketReplication(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const { doc } = await readXml(input);
  const c = doc.ReplicationConfiguration;
  if (!c || typeof c !== "object" || !text(c.Role)) throw S3Errors.malformedXml();
  if (b.versioning !== "Enabled") throw S3Errors.invalidRequest("Versioning must be 'Enabled' on the bucket to apply a replication configuration");
  const raws = asArray(c.Rule) as Array<Record<string, any>>;
  if (raws.length === 0 || raws.length > 1000) throw S3Errors.malformedXml();
  const ids = new Set<string>();
  const priorities = new Set<number>();
  // A rule without an ID gets one from S3: the base64 of a random UUID, as AWS's answers show.
  const named = raws.map((r) => (r && typeof r === "object" && r.ID === undefined ? { ID: generatedId(), ...r } : r));
  const rules = named.map((r, i): ReplicationRule => {
    if (!r || typeof r !== "object") throw S3Errors.malformedXml();
    const status = text(r.Status);
    if (status !== "Enabled" && status !== "Disabled") throw S3Errors.malformedXml();
    const id = text(r.ID) || `rule-${i + 1}`;
    if (id.length > 255) throw S3Errors.invalidArgument("ID length should not exceed allowed limit of 255", "ID", id);
    if (ids.has(id)) throw S3Errors.invalidRequest("Rule Id must be unique.");
    ids.add(id);
    const destArn = text(r.Destination?.Bucket);
    if (!destArn) throw S3Errors.malformedXml();
    const dest = bucketFromArn(destArn);
    if (!dest) throw S3Errors.invalidArgument("Invalid bucket ARN.", "Bucket", destArn);
    const db = s3state(ctx).buckets.get(dest);
    if (!db) throw S3Errors.invalidRequest("Destination bucket must exist.");
    if (db.versioning !== "Enabled") throw S3Errors.invalidRequest("Destination bucket must have versioning enabled.");
    if (db === b) throw S3Errors.invalidRequest("Destination bucket cannot be the same as the source bucket.");
    const f = r.Filter;
    const v2 = f !== undefined;
    if (v2 && r.Prefix !== undefined) throw S3Errors.malformedXml();
    let prefix = text(r.Prefix) ?? "";
    let tags: ReplicationRule["tags"] = [];
    if (f && typeof f === "object") {
      const src = f.And ?? f;
      prefix = text(src.Prefix) ?? "";
      tags = asArray(src.Tag).map((t: Record<string, unknown>) => ({ Key: String(t?.Key ?? ""), Value: String(t?.Value ?? "") }));
    }
    if (v2 && r.DeleteMarkerReplication === undefined)
      throw S3Errors.invalidRequest("DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema.");
    const priority = r.Priority === undefined ? 0 : Number(text(r.Priority));
    if (v2 && r.Priority !== undefined) {
      if (priorities.has(priority)) throw S3Errors.invalidRequest("Found duplicate priority " + priority + " within the rule set.");
      priorities.add(priority);
    }
    const sc = text(r.Destination?.StorageClass);
    const deleteMarkers = text(r.DeleteMarkerReplication?.Status) === "Enabled";
    return { id, enabled: status === "Enabled", prefix, tags, priority, destination: dest, storageClass: sc || undefined, deleteMarkers };
  });
  b.replication = { doc: { ...children(c), Rule: named }, rules: rules.sort((x, y) => y.priority - x.priority) };
  return empty(200);
}

export function GetBucketReplication(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  if (!b.replication) throw S3Errors.noSuchConfig("ReplicationConfigurationNotFoundError", "The replication configuration was not found", b.name);
  return xmlReply("ReplicationConfiguration", b.replication.doc);
}

export function DeleteBucketReplication(ctx: Ctx, input: S3Input) {
  getBucket(ctx, input).replication = undefined;
  return empty(204);
}

/** Copy a newly written version into the destination bucket of the first matching rule (asynchronously). */
export function queueReplication(ctx: Ctx, b: Bucket, v: ObjectVersion): void {
  const rule = b.replication?.rules.find(
    (r) => r.enabled && v.key.startsWith(r.prefix) && r.tags.every((t) => v.tags.some((x) => x.Key === t.Key && x.Value === t.Value)),
  );
  if (!rule) return;
  const st = s3state(ctx);
  if (v.isDeleteMarker) {
    // Delete markers replicate only when the rule says so (and never carry a status).
    const dest = st.buckets.get(rule.destination);
    if (rule.deleteMarkers && dest?.versioning === "Enabled") insertKeyAndVersion(dest, { ...v });
    return;
  }
  v.replication = "PENDING";
  const copy = async () => {
    const dest = st.buckets.get(rule.destination);
    if (dest?.versioning !== "Enabled" || !v.blob) {
      v.replication = "FAILED";
      return;
    }
    const blob = v.blob.kind === "mem" ? v.blob : await concatBlobs(st, [{ blob: v.blob }], v.size);
    setBlobSize(blob, v.size);
    const replica: ObjectVersion = {
      ...v,
      blob,
      tags: [...v.tags],
      metadata: { ...v.metadata },
      headers: { ...v.headers },
      storageClass: rule.storageClass ?? v.storageClass,
      replication: "REPLICA",
    };
    insertKeyAndVersion(dest, replica);
    v.replication = "COMPLETED";
  };
  copy().catch(() => {
    v.replication = "FAILED";
  });
}

// ---- inventory, metrics, analytics, intelligent-tiering ----------------------------------------------

const ID_CONFIGS: Record<string, { root: string; list: string; item: string; missing: string }> = {
  inventory: { root: "InventoryConfiguration", list: "ListInventoryConfigurationsResult", item: "InventoryConfiguration", missing: "NoSuchConfiguration" },
  metrics: { root: "MetricsConfiguration", list: "ListMetricsConfigurationsResult", item: "MetricsConfiguration", missing: "NoSuchConfiguration" },
  analytics: { root: "AnalyticsConfiguration", list: "ListBucketAnalyticsConfigurationResult", item: "AnalyticsConfiguration", missing: "NoSuchConfiguration" },
  "intelligent-tiering": {
    root: "IntelligentTieringConfiguration",
    list: "ListBucketIntelligentTieringConfigurationsOutput",
    item: "IntelligentTieringConfiguration",
    missing: "NoSuchConfiguration",
  },
};
const ID_KINDS = Object.keys(ID_CONFIGS);
const kindOf = (input: S3Input) => ID_KINDS.find((k) => k in input.query)!;

/** The configuration is not there: AWS names no bucket for a missing inventory, metrics, analytics or tiering configuration. */
const missingConfig = (code: string) => new AwsError(code, "The specified configuration does not exist.", 404);

/** The document's Id differs from the id parameter: inventory has its own code, analytics and tiering do not validate. */
function idMismatch(kind: string, id: string): AwsError {
  if (kind === "inventory") return new AwsError("IdMismatch", "Document ID does not match the specified configuration ID.", 400);
  if (kind === "analytics" || kind === "intelligent-tiering") return S3Errors.malformedXml();
  return S3Errors.invalidArgument("Configuration ID mismatch", "id", id);
}

const INVENTORY_FIELDS = [
  "Size",
  "LastModifiedDate",
  "StorageClass",
  "ETag",
  "IsMultipartUploaded",
  "ReplicationStatus",
  "EncryptionStatus",
  "ObjectLockRetainUntilDate",
  "ObjectLockMode",
  "ObjectLockLegalHoldStatus",
  "IntelligentTieringAccessTier",
  "BucketKeyStatus",
  "ChecksumAlgorithm",
  "ObjectAccessControlList",
  "ObjectOwner",
  "LifecycleExpirationDate",
];

function configId(input: S3Input): string {
  const id = input.query.id;
  if (id === undefined || id === "") throw S3Errors.invalidArgument("The id parameter must be specified.", "id", "");
  return id;
}

function validateIdConfig(kind: string, c: Record<string, any>): void {
  const is = (v: unknown, allowed: string[]) => allowed.includes(text(v) ?? "");
  if (kind === "inventory") {
    const d = c.Destination?.S3BucketDestination;
    if (!d || !text(d.Bucket) || !is(d.Format, ["CSV", "ORC", "Parquet"])) throw S3Errors.malformedXml();
    if (!is(c.IsEnabled, ["true", "false"]) || !is(c.IncludedObjectVersions, ["All", "Current"]) || !is(c.Schedule?.Frequency, ["Daily", "Weekly"]))
      throw S3Errors.malformedXml();
    const fields = c.OptionalFields === undefined || c.OptionalFields === "" ? [] : asArray(c.OptionalFields.Field as never);
    if (!fields.every((f) => INVENTORY_FIELDS.includes(text(f) ?? ""))) throw S3Errors.malformedXml();
    if (!bucketFromArn(text(d.Bucket)!)) throw new AwsError("InvalidS3DestinationBucket", "Invalid bucket ARN.", 400);
  } else if (kind === "analytics") {
    validateAnalytics(c);
  } else if (kind === "intelligent-tiering") {
    if (!is(c.Status, ["Enabled", "Disabled"])) throw S3Errors.malformedXml();
    const tiers = asArray(c.Tiering) as Array<Record<string, unknown>>;
    if (tiers.length === 0) throw S3Errors.malformedXml();
    for (const t of tiers) {
      const tier = text(t?.AccessTier);
      const days = Number(text(t?.Days));
      if (tier !== "ARCHIVE_ACCESS" && tier !== "DEEP_ARCHIVE_ACCESS") throw S3Errors.malformedXml();
      const min = tier === "ARCHIVE_ACCESS" ? 90 : 180;
      if (!Number.isInteger(days) || days < min || days > 730)
        throw S3Errors.invalidArgument(`Tiering Days must be between ${min} and 730 days for the ${tier} tier`, "Days", String(text(t?.Days)));
    }
  }
}

/**
 * An analytics configuration against S3's schema (the Java SDK's BucketAnalyticsConfigurationIntegrationTest,
 * run against AWS, expects each of these refused): a Filter holds exactly one of a non-empty Prefix, a Tag or
 * an And; a DataExport names OutputSchemaVersion V_1 and an S3BucketDestination with a Bucket and Format CSV.
 */
function validateAnalytics(c: Record<string, any>): void {
  const sca = c.StorageClassAnalysis;
  if (sca === undefined) throw S3Errors.malformedXml();
  if (c.Filter !== undefined) {
    const f = typeof c.Filter === "object" && c.Filter !== null ? c.Filter : {};
    const parts = Object.keys(f).filter((k) => !k.startsWith("@_"));
    if (parts.length !== 1 || !["Prefix", "Tag", "And"].includes(parts[0]!)) throw S3Errors.malformedXml();
    if (parts[0] === "Prefix" && !text(f.Prefix)) throw S3Errors.malformedXml();
  }
  const exp = typeof sca === "object" && sca !== null ? sca.DataExport : undefined;
  if (exp !== undefined) {
    const d = exp?.Destination?.S3BucketDestination;
    if (text(exp?.OutputSchemaVersion) !== "V_1" || !d || !text(d.Bucket) || text(d.Format) !== "CSV") throw S3Errors.malformedXml();
  }
}

export async function putIdConfig(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const kind = kindOf(input);
  const id = configId(input);
  const spec = ID_CONFIGS[kind]!;
  const { doc } = await readXml(input);
  const c = doc[spec.root];
  if (!c || typeof c !== "object") throw S3Errors.malformedXml();
  if (text(c.Id) !== id) throw idMismatch(kind, id);
  validateIdConfig(kind, c);
  let m = b.idConfigs.get(kind);
  if (!m) b.idConfigs.set(kind, (m = new Map()));
  if (!m.has(id) && m.size >= 1000) throw S3Errors.tooManyConfigurations();
  m.set(id, JSON.stringify(children(c)));
  // AWS answers Put{Inventory,Metrics,Analytics,IntelligentTiering}Configuration with 204.
  return empty(204);
}

export function getIdConfig(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const kind = kindOf(input);
  const spec = ID_CONFIGS[kind]!;
  const found = b.idConfigs.get(kind)?.get(configId(input));
  if (!found) throw missingConfig(spec.missing);
  return xmlReply(spec.root, JSON.parse(found));
}

export function deleteIdConfig(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const kind = kindOf(input);
  const spec = ID_CONFIGS[kind]!;
  const id = configId(input);
  if (!b.idConfigs.get(kind)?.delete(id)) throw missingConfig(spec.missing);
  return empty(204);
}

/** Pages of 100, ordered by id; the continuation token is the last id of the previous page. */
export function listIdConfigs(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const kind = kindOf(input);
  const spec = ID_CONFIGS[kind]!;
  const token = input.query["continuation-token"];
  const after = token ? Buffer.from(token, "base64url").toString("utf8") : "";
  const all = [...(b.idConfigs.get(kind)?.entries() ?? [])].filter(([id]) => id > after).sort(([x], [y]) => (x < y ? -1 : 1));
  const page = all.slice(0, 100);
  const truncated = all.length > 100;
  return xmlReply(spec.list, {
    ContinuationToken: token,
    [spec.item]: page.map(([, v]) => JSON.parse(v)),
    IsTruncated: truncated,
    NextContinuationToken: truncated ? Buffer.from(page[page.length - 1]![0]).toString("base64url") : undefined,
  });
}

// ---- restore -------------------------------------------------------------------------------------------

const HOUR = 3_600_000;
/** Restore times per tier as S3 documents them (upper bounds), on S3's clock, scaled with the day length. */
const TIER_HOURS: Record<string, Record<string, number>> = {
  GLACIER: { Expedited: 5 / 60, Standard: 5, Bulk: 12 },
  DEEP_ARCHIVE: { Standard: 12, Bulk: 48 },
};

export function restoreHeader(r: NonNullable<ObjectVersion["restore"]>, now: Date): string {
  if (now < r.readyAt) return 'ongoing-request="true"';
  return `ongoing-request="false", expiry-date="${r.expiry.toUTCString()}"`;
}

export async function RestoreObject(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const v = findVersion(b, input.key!, input.query.versionId);
  const { doc } = await readXml(input);
  const r = doc.RestoreRequest;
  if (r === undefined) throw S3Errors.malformedXml();
  if (r && typeof r === "object" && (r.Type !== undefined || r.SelectParameters !== undefined || r.OutputLocation !== undefined))
    throw S3Errors.notImplemented("Restore with SELECT is no longer available to new customers");
  if (v.storageClass !== "GLACIER" && v.storageClass !== "DEEP_ARCHIVE")
    throw Object.assign(S3Errors.invalidObjectState(), { message: "Restore is not allowed for the object's current storage class" });
  const daysText = text(r?.Days);
  const days = Number(daysText);
  if (daysText === undefined || !/^\d+$/.test(daysText) || days < 1) throw S3Errors.malformedXml();
  const tier = text(r?.GlacierJobParameters?.Tier) ?? text(r?.Tier) ?? "Standard";
  const hours = TIER_HOURS[v.storageClass]![tier];
  if (hours === undefined) {
    if (["Standard", "Bulk", "Expedited"].includes(tier))
      throw S3Errors.invalidArgument(`${tier} retrieval is not supported for the ${v.storageClass} storage class`, "Tier", tier);
    throw S3Errors.malformedXml();
  }
  const st = s3state(ctx);
  const now = s3now(ctx);
  const dayMs = st.dayMs;
  if (v.restore && now < v.restore.readyAt) throw S3Errors.restoreAlreadyInProgress();
  const readyAt = v.restore && now < v.restore.expiry ? now : new Date(now.getTime() + (hours * HOUR * dayMs) / 86_400_000);
  const end = readyAt.getTime() + days * dayMs;
  const expiry = new Date(dayMs === 86_400_000 ? Math.ceil(end / dayMs) * dayMs : end);
  const already = v.restore !== undefined && now < v.restore.expiry;
  v.restore = { readyAt, expiry };
  if (!already && b.notifications) {
    notify(ctx, b, "ObjectRestore:Post", v);
    // S3 sends ObjectRestore:Completed itself when the restored copy is ready (on its clock, scaled with the day).
    const storageClass = v.storageClass;
    const restore = v.restore;
    setTimeout(
      () => {
        try {
          if (v.restore === restore && b.notifications) notify(ctx, b, "ObjectRestore:Completed", v, { expiry, storageClass });
        } catch {
          // (the server may have stopped meanwhile)
        }
      },
      Math.max(0, readyAt.getTime() - now.getTime()),
    ).unref();
  }
  return empty(already ? 200 : 202);
}

// ---- ABAC and object encryption updates ------------------------------------------------------------------

export async function PutBucketAbac(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const { doc } = await readXml(input);
  const status = text(doc.AbacStatus?.Status);
  if (status !== "Enabled" && status !== "Disabled") throw S3Errors.malformedXml();
  b.configs.set("abac", status);
  return empty(200);
}

export function GetBucketAbac(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  return xmlReply("AbacStatus", { Status: b.configs.get("abac") ?? "Disabled" });
}

/** UpdateObjectEncryption: re-key an SSE-S3 or SSE-KMS object to SSE-KMS (SSE-C objects cannot be changed). */
export async function UpdateObjectEncryption(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const { doc } = await readXml(input);
  const kms = doc.ObjectEncryption?.["SSE-KMS"];
  if (!kms || typeof kms !== "object") throw S3Errors.malformedXml();
  const arn = text(kms.KMSKeyArn) ?? "";
  if (!/^arn:aws[-a-z0-9]*:kms:[-a-z0-9]*:[0-9]{12}:key\/.+$/.test(arn))
    throw S3Errors.invalidArgument("You must specify the full KMS key ARN. The KMS key ID and KMS key alias aren't supported.", "KMSKeyArn", arn);
  const bucketKey = text(kms.BucketKeyEnabled);
  if (bucketKey !== undefined && bucketKey !== "true" && bucketKey !== "false") throw S3Errors.malformedXml();
  const v = findVersion(b, input.key!, input.query.versionId);
  if (v.sse?.customerMd5) throw S3Errors.invalidRequest("The object was stored using a form of Server Side Encryption that cannot be updated.");
  v.sse = { algorithm: v.sse?.algorithm === "aws:kms:dsse" ? "aws:kms:dsse" : "aws:kms", kmsKeyId: arn, bucketKey: bucketKey === "true" || undefined };
  return empty(200);
}
