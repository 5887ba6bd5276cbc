/**
 * Server access logging: while a bucket has logging enabled, every request to it is written to its target
 * bucket as a log object (TargetPrefix + YYYY-mm-DD-HH-MM-SS-<unique>) holding one record in S3's access-log
 * format. Delivery is immediate (AWS delivers within hours). Requests pay nothing while no bucket logs.
 */
import { createHash, randomBytes } from "node:crypto";
import { header } from "../../protocols/http.js";
import type { Ctx } from "../core/types.js";
import { setBlobSize } from "./blobs.js";
import { canonicalId, s3now, s3state } from "./common.js";
import { commitVersion } from "./objects.js";
import type { S3Input } from "./route.js";
import type { Bucket, ObjectVersion } from "./state.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

/** The REST.<METHOD>.<RESOURCE> operation name of the access log. */
function logOperation(input: S3Input): string {
  const sub = Object.keys(input.query).find((k) => SUBRESOURCES.has(k));
  let resource: string;
  if (sub) resource = sub === "uploads" && input.key !== undefined ? "UPLOAD" : sub.replace(/-/g, "_").toUpperCase();
  else if ("uploadId" in input.query) resource = input.method === "PUT" ? "PART" : "UPLOAD";
  else resource = input.key !== undefined ? "OBJECT" : "BUCKET";
  return `REST.${input.method}.${resource}`;
}

const SUBRESOURCES = new Set([
  "acl",
  "tagging",
  "versioning",
  "versions",
  "cors",
  "policy",
  "policyStatus",
  "lifecycle",
  "encryption",
  "website",
  "publicAccessBlock",
  "ownershipControls",
  "object-lock",
  "notification",
  "uploads",
  "accelerate",
  "requestPayment",
  "logging",
  "replication",
  "inventory",
  "metrics",
  "analytics",
  "intelligent-tiering",
  "retention",
  "legal-hold",
  "attributes",
  "restore",
  "select",
  "delete",
  "location",
  "abac",
]);

const field = (v: string | undefined) => (v === undefined || v === "" ? "-" : v);

/** Write one access-log record for a request to `b` into its target bucket. */
export function writeAccessLog(
  ctx: Ctx,
  b: Bucket,
  input: S3Input,
  status: number,
  errorCode: string | undefined,
  bytesSent: number | undefined,
  startedAt: number,
): void {
  const raw = b.configs.get("logging");
  if (!raw) return;
  const cfg = JSON.parse(raw) as { TargetBucket?: string; TargetPrefix?: string; TargetObjectKeyFormat?: { PartitionedPrefix?: unknown } };
  const target = cfg.TargetBucket ? s3state(ctx).buckets.get(cfg.TargetBucket) : undefined;
  if (!target) return;
  const now = s3now(ctx);
  const d = now;
  const when = `[${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000]`;
  const obj = input.key !== undefined ? b.objects.get(input.key)?.versions[0] : undefined;
  const uri = `${input.method} ${input.req.rawPath}${input.req.rawQuery ? `?${input.req.rawQuery}` : ""} HTTP/1.1`;
  const elapsed = Math.max(0, Date.now() - startedAt);
  const line = [
    canonicalId(b.owner),
    b.name,
    when,
    "127.0.0.1",
    canonicalId(ctx.accountId),
    ctx.requestId,
    logOperation(input),
    field(input.key === undefined ? undefined : encodeURIComponent(input.key).replace(/%2F/g, "/")),
    `"${uri}"`,
    String(status),
    field(errorCode),
    bytesSent === undefined || bytesSent === 0 ? "-" : String(bytesSent),
    obj && !obj.isDeleteMarker ? String(obj.size) : "-",
    String(elapsed),
    String(elapsed),
    `"${field(header(input.req, "referer"))}"`,
    `"${field(header(input.req, "user-agent"))}"`,
    field(input.query.versionId),
    createHash("sha256").update(ctx.requestId).digest("base64"),
    (header(input.req, "authorization") ?? "").startsWith("AWS4") || input.query["X-Amz-Algorithm"] ? "SigV4" : "-",
    "-",
    header(input.req, "authorization") ? "AuthHeader" : input.query["X-Amz-Signature"] ? "QueryString" : "-",
    field(header(input.req, "host")),
    "-",
    "-",
    "-",
  ].join(" ");
  const data = Buffer.from(`${line}\n`);
  const blob = { kind: "mem" as const, data };
  setBlobSize(blob, data.length);
  const stamp = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}`;
  // A partitioned key format puts SourceAccountId/SourceRegion/SourceBucket/YYYY/MM/DD/ before the simple key
  // (S3 user guide, "Log object key format"); event and delivery time are the same instant here.
  const partition =
    cfg.TargetObjectKeyFormat?.PartitionedPrefix !== undefined
      ? `${b.owner}/${b.region}/${b.name}/${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/`
      : "";
  const v: ObjectVersion = {
    key: `${cfg.TargetPrefix ?? ""}${partition}${stamp}-${randomBytes(8).toString("hex").toUpperCase()}`,
    versionId: "null",
    isDeleteMarker: false,
    etag: `"${createHash("md5").update(data).digest("hex")}"`,
    size: data.length,
    lastModified: now,
    blob,
    contentType: "text/plain",
    headers: {},
    metadata: {},
    tags: [],
    storageClass: "STANDARD",
    owner: target.owner,
  };
  commitVersion(target, v);
}
