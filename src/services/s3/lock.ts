/**
 * Object Lock: the bucket configuration (validated as S3 validates it: Days xor Years, positive, mode
 * GOVERNANCE or COMPLIANCE), default retention applied to new objects, per-object retention and legal
 * hold (with the rules for shortening and changing mode), and protection of locked versions from deletes.
 */
import { AwsError } from "../../protocols/aws-error.js";
import { header, readBody } from "../../protocols/http.js";
import { rawResponse, type Ctx } from "../core/types.js";
import { empty, findVersion, getBucket, readXml, s3now, xmlReply } from "./common.js";
import { S3Errors } from "./errors.js";
import type { S3Input } from "./route.js";
import type { Bucket, ObjectVersion } from "./state.js";

const MODES = ["GOVERNANCE", "COMPLIANCE"];
const DAY = 86_400_000;

/** ISO 8601 with seconds, as S3 shows retain-until dates. */
const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, ".000Z");

export async function PutObjectLockConfiguration(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  if (!(await readBody(input.req, 1024 * 1024)).length) throw S3Errors.missingRequestBody();
  const { doc } = await readXml(input);
  const c = doc.ObjectLockConfiguration;
  if (!c || typeof c !== "object") throw S3Errors.malformedXml();
  // AWS refuses a configuration without ObjectLockEnabled, and a retention without Days or Years, as MalformedXML.
  if (String(c.ObjectLockEnabled) !== "Enabled") throw S3Errors.malformedXml();
  if (!b.objectLockEnabled) {
    if (b.versioning !== "Enabled") throw S3Errors.invalidBucketState("Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
    if (header(input.req, "x-amz-bucket-object-lock-token") === undefined && c.ObjectLockEnabled === undefined) throw S3Errors.malformedXml();
  }
  let retention: Bucket["defaultRetention"];
  if (c.Rule !== undefined) {
    const r = c.Rule?.DefaultRetention;
    if (!r || typeof r !== "object") throw S3Errors.malformedXml();
    const mode = r.Mode === undefined ? undefined : String(r.Mode);
    const days = r.Days === undefined ? undefined : String(r.Days);
    const years = r.Years === undefined ? undefined : String(r.Years);
    if (mode === undefined) throw S3Errors.malformedXml();
    if (!MODES.includes(mode)) throw S3Errors.malformedXml();
    if (days !== undefined && years !== undefined) throw S3Errors.malformedXml();
    if (days === undefined && years === undefined) throw S3Errors.malformedXml();
    const n = Number(days ?? years);
    if (!/^-?\d+$/.test(days ?? years!)) throw S3Errors.malformedXml();
    if (n <= 0) throw S3Errors.invalidRetentionPeriod("Default retention period must be a positive integer value.");
    if ((days !== undefined && n > 36500) || (years !== undefined && n > 100)) throw S3Errors.invalidRetentionPeriod("Default retention period is too large.");
    retention = days !== undefined ? { Mode: mode, Days: n } : { Mode: mode, Years: n };
  }
  b.objectLockEnabled = true;
  b.versioning = "Enabled";
  b.defaultRetention = retention;
  return empty(200);
}

export function GetObjectLockConfiguration(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  if (!b.objectLockEnabled) throw S3Errors.noSuchObjectLockConfiguration(b.name);
  return xmlReply("ObjectLockConfiguration", {
    ObjectLockEnabled: "Enabled",
    Rule: b.defaultRetention ? { DefaultRetention: b.defaultRetention } : undefined,
  });
}

function parseDate(s: string): number {
  const t = Date.parse(s);
  return /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(t) ? t : Number.NaN;
}

/** The retention and legal hold a write asks for (headers, else the bucket's default retention). */
export function lockFromRequest(ctx: Ctx, b: Bucket, input: S3Input): Pick<ObjectVersion, "retention" | "legalHold"> {
  const mode = header(input.req, "x-amz-object-lock-mode");
  const until = header(input.req, "x-amz-object-lock-retain-until-date");
  const hold = header(input.req, "x-amz-object-lock-legal-hold");
  if (mode === undefined && until === undefined && hold === undefined) return b.defaultRetention ? { retention: defaultRetention(ctx, b) } : {};
  // The writes' own wording (no spaces), unlike the retention/legal-hold calls' "Object Lock Configuration".
  if (!b.objectLockEnabled) throw S3Errors.invalidRequest("Bucket is missing ObjectLockConfiguration");
  const out: Pick<ObjectVersion, "retention" | "legalHold"> = {};
  if (hold !== undefined) {
    if (hold !== "ON" && hold !== "OFF") throw S3Errors.invalidArgument("Legal Hold must be either of 'ON' or 'OFF'", "x-amz-object-lock-legal-hold", hold);
    out.legalHold = hold;
  }
  if (mode !== undefined || until !== undefined) {
    if (mode === undefined || until === undefined)
      throw S3Errors.invalidArgument(
        "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied",
        mode === undefined ? "x-amz-object-lock-mode" : "x-amz-object-lock-retain-until-date",
        "",
      );
    if (!MODES.includes(mode)) throw S3Errors.invalidArgument("Unknown wormMode directive.", "x-amz-object-lock-mode", mode);
    const t = parseDate(until);
    if (Number.isNaN(t))
      throw S3Errors.invalidArgument("The retain until date must be provided in ISO 8601 format", "x-amz-object-lock-retain-until-date", until);
    if (t <= s3now(ctx).getTime()) throw S3Errors.invalidArgument("The retain until date must be in the future!", "x-amz-object-lock-retain-until-date", until);
    out.retention = { Mode: mode, RetainUntilDate: iso(t) };
  } else if (b.defaultRetention) out.retention = defaultRetention(ctx, b);
  return out;
}

/**
 * A PutObject whose version gets a retention period (its own headers or the bucket's default retention) must
 * carry the body's integrity: a Content-MD5 or a flexible checksum (the header, a trailer, or the SDK's
 * x-amz-sdk-checksum-algorithm); S3 refuses it otherwise (the PutObject reference, "Uploading objects to an
 * Object Lock enabled bucket"), as Terraform's S3 backend hits with skip_s3_checksum.
 */
export function requireLockIntegrity(input: S3Input, lock: Pick<ObjectVersion, "retention">): void {
  if (!lock.retention) return;
  const integrity =
    header(input.req, "content-md5") !== undefined ||
    header(input.req, "x-amz-sdk-checksum-algorithm") !== undefined ||
    header(input.req, "x-amz-trailer") !== undefined ||
    Object.keys(input.req.headers).some((k) => /^x-amz-checksum-(?!type$|mode$)[a-z0-9]+$/i.test(k));
  if (!integrity) throw S3Errors.invalidRequest("Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters");
}

function defaultRetention(ctx: Ctx, b: Bucket): ObjectVersion["retention"] {
  const d = b.defaultRetention!;
  const now = s3now(ctx).getTime();
  return { Mode: d.Mode, RetainUntilDate: iso(d.Days !== undefined ? now + d.Days * DAY : addYears(now, d.Years!)) };
}

function addYears(t: number, years: number): number {
  const d = new Date(t);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.getTime();
}

const bypass = (input: S3Input) => (header(input.req, "x-amz-bypass-governance-retention") ?? "").toLowerCase() === "true";

/** The version a Put{Retention,LegalHold} names: a delete marker is 405 for PUT, as AWS answers. */
function versionToLock(b: Bucket, input: S3Input): ObjectVersion {
  const v = findVersion(b, input.key!, input.query.versionId, false);
  if (v.isDeleteMarker)
    throw Object.assign(S3Errors.methodNotAllowed("PUT", "DeleteMarker"), {
      headers: { "x-amz-delete-marker": "true", "x-amz-version-id": v.versionId, allow: "DELETE" },
    });
  return v;
}

/** GET retention / legal hold of a version that has none: AWS names no bucket. */
const noObjectLock = () => new AwsError("NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock configuration", 404);

export async function PutObjectRetention(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  if (!b.objectLockEnabled) throw S3Errors.invalidRequest("Bucket is missing Object Lock Configuration");
  const v = versionToLock(b, input);
  const { doc } = await readXml(input);
  // An empty <Retention/> removes the retention (subject to the same protection as shortening it).
  const r = doc.Retention === "" ? {} : doc.Retention;
  if (!r || typeof r !== "object") throw S3Errors.malformedXml();
  const mode = r.Mode === undefined ? undefined : String(r.Mode);
  const until = r.RetainUntilDate === undefined ? undefined : String(r.RetainUntilDate);
  if (mode !== undefined && !MODES.includes(mode)) throw S3Errors.malformedXml();
  if ((mode === undefined) !== (until === undefined)) throw S3Errors.malformedXml();
  const t = until === undefined ? undefined : parseDate(until);
  if (t !== undefined && Number.isNaN(t)) throw S3Errors.malformedXml();
  const now = s3now(ctx).getTime();
  if (t !== undefined && t <= now) throw S3Errors.invalidArgument("The retain until date must be in the future!", "RetainUntilDate", until);
  const cur = v.retention;
  const curUntil = cur ? Date.parse(cur.RetainUntilDate) : 0;
  if (cur && curUntil > now) {
    const weakens = t === undefined || t < curUntil || mode !== cur.Mode;
    if (weakens && (cur.Mode === "COMPLIANCE" || !bypass(input))) throw S3Errors.accessDenied("Access Denied because object protected by object lock.");
  }
  v.retention = mode === undefined ? undefined : { Mode: mode, RetainUntilDate: iso(t!) };
  return empty(200);
}

export function GetObjectRetention(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  if (!b.objectLockEnabled) throw S3Errors.invalidRequest("Bucket is missing Object Lock Configuration");
  const v = findVersion(b, input.key!, input.query.versionId);
  if (!v.retention) throw noObjectLock();
  return rawResponse({
    status: 200,
    headers: { "content-type": "application/xml" },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Retention xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Mode>${v.retention.Mode}</Mode><RetainUntilDate>${v.retention.RetainUntilDate}</RetainUntilDate></Retention>`,
  });
}

export async function PutObjectLegalHold(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  if (!b.objectLockEnabled) throw S3Errors.invalidRequest("Bucket is missing Object Lock Configuration");
  const v = versionToLock(b, input);
  const { doc } = await readXml(input);
  const status = doc.LegalHold?.Status;
  if (status !== "ON" && status !== "OFF") throw S3Errors.malformedXml();
  v.legalHold = status;
  return empty(200);
}

export function GetObjectLegalHold(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  if (!b.objectLockEnabled) throw S3Errors.invalidRequest("Bucket is missing Object Lock Configuration");
  const v = findVersion(b, input.key!, input.query.versionId);
  if (!v.legalHold) throw noObjectLock();
  return xmlReply("LegalHold", { Status: v.legalHold });
}

/** Object-lock protection for deletes of a specific version (governance can be bypassed). */
export function lockedAgainstDelete(v: ObjectVersion, input: S3Input, now: number): boolean {
  if (v.legalHold === "ON") return true;
  if (!v.retention || Date.parse(v.retention.RetainUntilDate) <= now) return false;
  if (v.retention.Mode === "GOVERNANCE" && bypass(input)) return false;
  return true;
}
