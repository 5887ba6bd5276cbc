/** Objects: Put (streamed, checksummed, conditional), Get/Head (ranges, conditions, overrides, checksums), Delete, DeleteObjects, Copy, attributes, tagging, ACL, retention. */
import { createHash } from "node:crypto";
import { AwsError } from "../../protocols/aws-error.js";
import { header, readBody } from "../../protocols/http.js";
import { asArray } from "../../protocols/xml.js";
import { rawResponse, type Ctx } from "../core/types.js";
import { concatBlobs, discard, readBlob, setBlobSize } from "./blobs.js";
import { receiveBody } from "./body.js";
import { ALGORITHMS, hasher, headerOf, type ChecksumAlgorithm } from "./checksums.js";
import { aclBody, aclFromPut, isPublicAcl, requestAcl } from "./acl.js";
import { expirationHeader } from "./lifecycle.js";
import { notify } from "./notify.js";
import { queueReplication, restoreHeader } from "./subresources.js";
import {
  empty,
  emptyVersionId,
  etagMatches,
  findVersion,
  getBucket,
  httpDate,
  isAnonymous,
  latest,
  newVersionId,
  wellFormedVersionId,
  parseTagging,
  readXml,
  s3now,
  s3stamp,
  s3state,
  storageClass,
  storedHeaders,
  wholeSecond,
  userMetadata,
  validateTags,
  xmlReply,
  xmlTags,
} from "./common.js";
import { S3Errors } from "./errors.js";
import type { S3Input } from "./route.js";
import { lockedAgainstDelete, lockFromRequest, requireLockIntegrity } from "./lock.js";
import { checkReadKey, opaqueEtag, randomEtag, sseHeaders, writeSse } from "./sse.js";
import { needsReseal, openRange, requestKey, resealCopy, sealObject } from "./ssec.js";
import { insertKey, removeKey, type Blob, type Bucket, type ObjectVersion, type Upload } from "./state.js";

/** Who owns a new object: the bucket owner under BucketOwnerEnforced (or BucketOwnerPreferred with bucket-owner-full-control). */
export function objectOwner(ctx: Ctx, b: Bucket, input: S3Input): string {
  if (b.ownership === "BucketOwnerEnforced") return b.owner;
  if (b.ownership === "BucketOwnerPreferred" && header(input.req, "x-amz-acl") === "bucket-owner-full-control") return b.owner;
  return ctx.accountId;
}

/** Archived objects (GLACIER, DEEP_ARCHIVE) are readable only while a restored copy exists. */
export function checkArchived(v: ObjectVersion, now: Date): void {
  if (v.storageClass !== "GLACIER" && v.storageClass !== "DEEP_ARCHIVE") return;
  const r = v.restore;
  if (r && r.readyAt <= now && now < r.expiry) return;
  throw Object.assign(S3Errors.invalidObjectState(), { extra: { StorageClass: v.storageClass } });
}

const MAX_KEY_BYTES = 1024;

export function checkKey(key: string): void {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw S3Errors.keyTooLong(Buffer.byteLength(key));
}

/** If-Match / If-None-Match on writes (PutObject, CopyObject's destination, CompleteMultipartUpload), as S3's conditional writes. */
export function checkWriteConditions(b: Bucket, key: string, input: S3Input, upload?: Upload): void {
  const cur = latest(b.objects.get(key));
  const exists = cur !== undefined && !cur.isDeleteMarker;
  const ifNoneMatch = header(input.req, "if-none-match");
  const ifMatch = header(input.req, "if-match");
  if (ifNoneMatch !== undefined && ifMatch !== undefined)
    throw S3Errors.conditionalNotImplemented("If-Match,If-None-Match", "Multiple conditional request headers present in the request");
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== "*")
      throw S3Errors.conditionalNotImplemented("If-None-Match", "We don't accept the provided value of If-None-Match header for this API");
    if (exists) throw S3Errors.preconditionFailed("If-None-Match");
  }
  if (ifMatch !== undefined) {
    if (ifMatch.trim() === "*") throw S3Errors.conditionalNotImplemented("If-Match", "We don't accept the provided value of If-Match header for this API");
    if (!exists) throw S3Errors.noSuchKey(key);
    if (!etagMatches(ifMatch, cur!.etag)) throw S3Errors.preconditionFailed("If-Match");
  }
  // The condition holds now, but the key changed since the multipart upload began: AWS refuses with 409.
  if (upload?.conflict && (ifMatch !== undefined || ifNoneMatch !== undefined))
    throw S3Errors.conditionalRequestConflict(ifMatch !== undefined ? "If-Match" : "If-None-Match", key);
}

/** A write or delete of `key`: multipart uploads of that key begun before it see a conflict. */
function touchUploads(b: Bucket, key: string): void {
  if (b.uploads.size) for (const u of b.uploads.values()) if (u.key === key) u.conflict = true;
}

/** Make `v` the current version of its key, honouring the bucket's versioning state. */
export function commitVersion(b: Bucket, v: ObjectVersion): void {
  touchUploads(b, v.key);
  let entry = b.objects.get(v.key);
  if (!entry) {
    entry = { versions: [] };
    b.objects.set(v.key, entry);
    insertKey(b, v.key);
  }
  if (b.versioning === "Enabled") v.versionId = newVersionId();
  else {
    v.versionId = "null";
    const i = entry.versions.findIndex((x) => x.versionId === "null");
    if (i >= 0) discard(entry.versions.splice(i, 1)[0]!.blob);
  }
  entry.versions.unshift(v);
}

/**
 * An object written by another service of this server (EC2 exports and route tables, for instance): a
 * plain in-memory version with its MD5 ETag, committed as a PUT would commit it.
 */
export function storeObject(
  b: Bucket,
  key: string,
  data: Buffer,
  o: { contentType: string; now: Date; tags?: Array<{ Key: string; Value: string }> },
): ObjectVersion {
  const v: ObjectVersion = {
    key,
    versionId: "null",
    isDeleteMarker: false,
    etag: `"${createHash("md5").update(data).digest("hex")}"`,
    size: data.length,
    lastModified: wholeSecond(o.now),
    blob: { kind: "mem", data },
    contentType: o.contentType,
    headers: {},
    metadata: {},
    tags: o.tags ?? [],
    storageClass: "STANDARD",
    owner: b.owner,
  };
  commitVersion(b, v);
  return v;
}

export function versionHeaders(b: Bucket, v: ObjectVersion): Record<string, string> {
  return b.versioning ? { "x-amz-version-id": v.versionId } : {};
}

/** A write's answer names the version it created only while versioning is Enabled (a suspended bucket writes the null version silently). */
export function writtenVersionHeaders(b: Bucket, v: ObjectVersion): Record<string, string> {
  return b.versioning === "Enabled" ? { "x-amz-version-id": v.versionId } : {};
}

/** S3's default CRC64NVME for objects uploaded without a checksum, computed on first need and kept. */
export async function ensureChecksum(v: ObjectVersion): Promise<void> {
  if (v.checksum?.value !== "" || !v.blob) return;
  const h = hasher(v.checksum.algorithm);
  await digestOf(h, v.blob, v.size);
  v.checksum.value = h.digest();
}

/** Feed a stored body to a hash, whether it is held in memory or in a file. */
async function digestOf(h: { update(b: Buffer): unknown }, blob: Blob, size: number): Promise<void> {
  const src = readBlob(blob, 0, size - 1);
  if (Buffer.isBuffer(src)) h.update(src);
  else for await (const c of src) h.update(c as Buffer);
}

async function md5Of(blob: Blob, size: number): Promise<string> {
  const h = createHash("md5");
  await digestOf(h, blob, size);
  return h.digest("hex");
}

/** The checksum a copy carries: the source's, or a new full-object one in the algorithm the request asks for. */
async function copyChecksum(input: S3Input, src: ObjectVersion): Promise<ObjectVersion["checksum"]> {
  const want = header(input.req, "x-amz-checksum-algorithm")?.toUpperCase() as ChecksumAlgorithm | undefined;
  if (!want || !ALGORITHMS.includes(want) || src.sse?.customerMd5 || !src.blob || want === src.checksum?.algorithm)
    return src.checksum ? { ...src.checksum } : undefined;
  const h = hasher(want);
  await digestOf(h, src.blob, src.size);
  return { algorithm: want, value: h.digest(), type: "FULL_OBJECT" };
}

/** The x-amz-checksum-<algorithm> and x-amz-checksum-type headers of a stored checksum (none without one). */
export function checksumHeaders(v: ObjectVersion): Record<string, string> {
  if (!v.checksum?.value) return {};
  return { [headerOf(v.checksum.algorithm)]: v.checksum.value, "x-amz-checksum-type": v.checksum.type };
}

export async function PutObject(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const key = input.key!;
  checkKey(key);
  const metadata = userMetadata(input);
  const tags = parseTagging(header(input.req, "x-amz-tagging"));
  const sc = storageClass(input);
  const sse = writeSse(input, b, ctx.config.strict);
  const owner = objectOwner(ctx, b, input);
  const acl = requestAcl(ctx, input, b, true, owner);
  if (acl && b.pab?.BlockPublicAcls && isPublicAcl(acl)) throw S3Errors.accessDenied();
  const lock = lockFromRequest(ctx, b, input);
  requireLockIntegrity(input, lock);
  checkWriteConditions(b, key, input);
  const got = await receiveBody(s3state(ctx), input.req, {
    maxSize: 5 * 1024 ** 3,
    algorithm: sse?.customerMd5 ? "CRC64NVME" : undefined,
    cipher: sse?.customerMd5 ? sealObject(input, sse) : undefined,
  });
  try {
    checkWriteConditions(b, key, input);
  } catch (e) {
    discard(got.blob);
    throw e;
  }
  const v: ObjectVersion = {
    key,
    versionId: "null",
    isDeleteMarker: false,
    etag: opaqueEtag(sse, got.size) ? randomEtag() : `"${got.md5Hex}"`,
    size: got.size,
    lastModified: s3stamp(ctx),
    blob: got.blob,
    contentType: header(input.req, "content-type") ?? "binary/octet-stream",
    headers: storedHeaders(input),
    metadata,
    tags,
    storageClass: sc,
    checksum: got.checksum ? { ...got.checksum, type: "FULL_OBJECT" } : { algorithm: "CRC64NVME", value: "", type: "FULL_OBJECT" },
    acl,
    owner,
    retention: lock.retention,
    legalHold: lock.legalHold,
    sse,
  };
  commitVersion(b, v);
  // AWS answers the default CRC64NVME it computes for a body sent without a checksum (recorded, LocalStack's
  // test_cors_match_methods put-op); awsim computes it on first need, and at once only under --strict.
  if (ctx.config.strict) await ensureChecksum(v);
  const h = { etag: v.etag, ...sseHeaders(sse, true), ...writtenVersionHeaders(b, v), ...checksumHeaders(v) };
  if (b.lifecycle) Object.assign(h, expirationHeader(b, v, s3state(ctx).dayMs));
  if (b.replication) queueReplication(ctx, b, v);
  if (b.notifications) notify(ctx, b, "ObjectCreated:Put", v);
  return empty(200, h);
}

/** GET/HEAD preconditions in S3's order of precedence; an If-Modified-Since in the future is ignored, as HTTP says. */
function checkReadConditions(ctx: Ctx, input: S3Input, v: ObjectVersion): void {
  const h = (n: string) => header(input.req, n);
  const ifMatch = h("if-match");
  const ifNoneMatch = h("if-none-match");
  const ifModifiedSince = h("if-modified-since");
  const ifUnmodifiedSince = h("if-unmodified-since");
  if (ifMatch === undefined && ifNoneMatch === undefined && ifModifiedSince === undefined && ifUnmodifiedSince === undefined) return;
  const modified = (since: string) => {
    const t = Date.parse(since);
    return Number.isNaN(t) ? true : Math.floor(v.lastModified.getTime() / 1000) > Math.floor(t / 1000);
  };
  if (ifMatch !== undefined && !etagMatches(ifMatch, v.etag)) throw S3Errors.preconditionFailed("If-Match");
  if (ifMatch === undefined && ifUnmodifiedSince !== undefined && modified(ifUnmodifiedSince)) throw S3Errors.preconditionFailed("If-Unmodified-Since");
  const etagHeaders = { etag: v.etag, "last-modified": httpDate(v.lastModified) };
  if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, v.etag)) throw Object.assign(S3Errors.notModified(), { headers: etagHeaders });
  const future = ifModifiedSince !== undefined && Date.parse(ifModifiedSince) > s3now(ctx).getTime();
  if (ifNoneMatch === undefined && ifModifiedSince !== undefined && !future && !modified(ifModifiedSince))
    throw Object.assign(S3Errors.notModified(), { headers: etagHeaders });
}

function parseRange(range: string, size: number): { start: number; end: number } | "invalid" | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  if (m[1] === "") {
    const n = Number(m[2]);
    // A zero-length suffix is unsatisfiable (416); a suffix of an empty object is served whole (200, empty), as S3 answers.
    if (n === 0) return "invalid";
    if (size === 0) return undefined;
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== "" && Number(m[2]) < start) return undefined;
  if (start >= size) return "invalid";
  return { start, end };
}

const OVERRIDES: Record<string, string> = {
  "response-content-type": "content-type",
  "response-content-language": "content-language",
  "response-expires": "expires",
  "response-cache-control": "cache-control",
  "response-content-disposition": "content-disposition",
  "response-content-encoding": "content-encoding",
};

function objectHeaders(ctx: Ctx, b: Bucket, v: ObjectVersion, input: S3Input, now: Date): Record<string, string> {
  // Every GET and HEAD builds this: assignments in a fixed order, no object spread (a slow path in V8).
  const h: Record<string, string> = {
    "last-modified": httpDate(v.lastModified),
    etag: v.etag,
    "content-type": v.contentType ?? "binary/octet-stream",
    "accept-ranges": "bytes",
  };
  if (v.contentType !== undefined && UNWRITABLE.test(v.contentType)) h["content-type"] = encodedWord(v.contentType);
  const stored = v.headers;
  // Only a presigned POST's form (UTF-8 text) can store a value no header can carry (beyond ISO-8859-1, or a control
  // character; here or in Content-Type above): it is RFC 2047-encoded as user metadata is (an approximation: S3's
  // answer is not documented).
  for (const k in stored) h[k] = UNWRITABLE.test(stored[k]!) ? encodedWord(stored[k]!) : stored[k]!;
  if (b.versioning) h["x-amz-version-id"] = v.versionId;
  if (!v.sse) h["x-amz-server-side-encryption"] = "AES256";
  else Object.assign(h, sseHeaders(v.sse));
  const meta = v.metadata;
  let missing = 0;
  for (const k in meta) {
    // A name or value no header can carry (a presigned POST's form field can hold any text: a newline, say) is left
    // out and counted in x-amz-missing-meta, as the API reference describes for metadata "not legal HTTP headers".
    if (HEADER_TOKEN.test(k) && !CONTROL.test(meta[k]!)) h[`x-amz-meta-${k}`] = mailSafe(meta[k]!);
    else missing++;
  }
  if (missing) h["x-amz-missing-meta"] = String(missing);
  if (v.tags.length) h["x-amz-tagging-count"] = String(v.tags.length);
  if (v.storageClass !== "STANDARD") h["x-amz-storage-class"] = v.storageClass;
  // Only a request for one part (?partNumber=) learns the part count.
  if (v.parts && input.query.partNumber !== undefined) h["x-amz-mp-parts-count"] = String(v.parts.length);
  if (v.retention) Object.assign(h, { "x-amz-object-lock-mode": v.retention.Mode, "x-amz-object-lock-retain-until-date": v.retention.RetainUntilDate });
  if (v.legalHold) h["x-amz-object-lock-legal-hold"] = v.legalHold;
  if (v.restore) h["x-amz-restore"] = restoreHeader(v.restore, now);
  if (v.replication) h["x-amz-replication-status"] = v.replication;
  // Only a request for the current object (no versionId, even one naming the current version) learns its expiration.
  if (b.lifecycle && input.query.versionId === undefined) Object.assign(h, expirationHeader(b, v, s3state(ctx).dayMs));
  for (const q in input.query) {
    if (!q.startsWith("response-")) continue;
    // awsim serves unsigned requests as the default account's; where identity counts (--enforce-iam, --strict) they are anonymous.
    if ((ctx.config.enforceIam || ctx.config.strict) && isAnonymous(input))
      throw S3Errors.invalidRequest("Request specific response headers cannot be used for anonymous GET requests.");
    const name = OVERRIDES[q];
    if (name === undefined || !Object.hasOwn(OVERRIDES, q))
      throw S3Errors.invalidArgument(
        `${q} is not in the set of overridable response headers. Please refer to the S3 API documentation for a complete list of overridable response headers.`,
        q,
        input.query[q],
      );
    const value = input.query[q]!;
    // A header carries ISO-8859-1 only: S3 refuses an override beyond it (a UTF-8 filename's dash, say) rather than mangle it.
    if (BEYOND_LATIN1.test(value)) throw S3Errors.invalidArgument("Header value cannot be represented using ISO-8859-1.", q, value);
    h[name] = value;
  }
  return h;
}

const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const NON_ASCII = /[\u0080-\uffff]/;
const BEYOND_LATIN1 = /[\u0100-\uffff]/;
/** Control characters (but tab), which no header value carries. */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
/** What a header value cannot carry as it is: control characters, or characters beyond ISO-8859-1. */
const UNWRITABLE = /[\u0000-\u0008\u000a-\u001f\u007f\u0100-\uffff]/;

/**
 * A user metadata value holding anything outside US-ASCII comes back RFC 2047-encoded, "=?UTF-8?B?<base64 of its UTF-8>?=",
 * as S3's user guide says (UsingMetadata). Header bytes arrive as ISO-8859-1 characters, so raw UTF-8 sent in a header
 * comes back encoded twice over, as S3 returns it; a presigned POST's form fields are UTF-8 text and come back as sent.
 */
function mailSafe(value: string): string {
  return NON_ASCII.test(value) ? encodedWord(value) : value;
}

/** An RFC 2047 encoded word: the value's UTF-8, base64. */
const encodedWord = (value: string) => `=?UTF-8?B?${Buffer.from(value, "utf8").toString("base64")}?=`;

/** GetObject and HeadObject. Synchronous unless a checksum must be computed first (x-amz-checksum-mode). */
function serve(ctx: Ctx, input: S3Input, head: boolean) {
  const b = getBucket(ctx, input);
  // Only writes choose SSE-S3/SSE-KMS: GET and HEAD refuse the header (the API reference: 400 Bad Request).
  const sse = input.req.headers["x-amz-server-side-encryption"];
  if (sse !== undefined)
    throw S3Errors.invalidArgument("x-amz-server-side-encryption header is not supported for this operation.", "x-amz-server-side-encryption", String(sse));
  const v = findVersion(b, input.key!, input.query.versionId);
  checkReadKey(v.sse, input);
  const now = v.restore || v.storageClass !== "STANDARD" ? s3now(ctx) : undefined;
  if (!head && now) checkArchived(v, now);
  checkReadConditions(ctx, input, v);
  const headers = objectHeaders(ctx, b, v, input, now!);
  const size = v.size;
  let start = 0;
  let end = size - 1;
  let status = 200;
  let wholeRange = false;
  const partNumber = input.query.partNumber;
  const rangeHeader = header(input.req, "range");
  if (partNumber !== undefined) {
    const n = Number(partNumber);
    // The Range conflict trumps a bad part number (OpenStack Swift's s3api tests, run against AWS).
    if (rangeHeader) throw S3Errors.invalidRequest("Cannot specify both Range header and partNumber query parameter");
    if (!Number.isInteger(n) || n < 1 || n > 10000)
      throw S3Errors.invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", partNumber);
    // An object uploaded in one piece is one part.
    const parts = v.parts ?? [{ partNumber: 1, size, etag: v.etag }];
    if (n > parts.length)
      throw new AwsError("InvalidPartNumber", "The requested partnumber is not satisfiable", 416, {
        extra: { PartNumberRequested: n, ActualPartCount: parts.length },
      });
    start = parts.slice(0, n - 1).reduce((a, p) => a + p.size, 0);
    end = start + parts[n - 1]!.size - 1;
    if (size > 0) {
      status = 206;
      headers["content-range"] = `bytes ${start}-${end}/${size}`;
      // Part 1 of an object uploaded in one piece is the whole object, checksum included.
      wholeRange = !v.parts;
    }
  } else if (rangeHeader) {
    const r = parseRange(rangeHeader, size);
    if (r === "invalid") throw S3Errors.invalidRange(rangeHeader, size);
    if (r) {
      start = r.start;
      end = r.end;
      status = 206;
      headers["content-range"] = `bytes ${start}-${end}/${size}`;
      // A range that covers the whole object (bytes=0-100 of 10 bytes, bytes=-15) still carries its checksum on AWS.
      wholeRange = start === 0 && end === size - 1;
    }
  }
  const checksumMode = header(input.req, "x-amz-checksum-mode");
  if (checksumMode !== undefined && checksumMode.trim().toUpperCase() !== "ENABLED")
    throw S3Errors.invalidRequest("Value for x-amz-checksum-mode header is invalid.");
  const answer = () => {
    headers["content-length"] = String(Math.max(0, end - start + 1));
    if (head || size === 0 || !v.blob) return rawResponse({ status, headers, body: head ? undefined : Buffer.alloc(0) });
    return rawResponse({ status, headers, body: v.sse?.customerMd5 ? openRange(v, requestKey(input), start, end) : readBlob(v.blob, start, end) });
  };
  if ((status === 200 || wholeRange) && checksumMode !== undefined) {
    return ensureChecksum(v).then(() => {
      Object.assign(headers, checksumHeaders(v));
      return answer();
    });
  }
  return answer();
}

export const GetObject = (ctx: Ctx, input: S3Input) => serve(ctx, input, false);
export const HeadObject = (ctx: Ctx, input: S3Input) => serve(ctx, input, true);

/** Delete one key or version; returns what S3 reports (delete marker, version id). */
export function deleteOne(ctx: Ctx, b: Bucket, key: string, versionId: string | undefined, input?: S3Input): { deleteMarker?: boolean; versionId?: string } {
  const entry = b.objects.get(key);
  if (versionId !== undefined && versionId !== "") {
    const i = entry?.versions.findIndex((x) => x.versionId === versionId) ?? -1;
    if (i < 0) {
      if (!wellFormedVersionId(versionId)) throw S3Errors.invalidArgument("Invalid version id specified", "versionId", versionId);
      return { versionId };
    }
    // Object Lock: a version under retention or legal hold cannot be deleted (governance can be bypassed).
    if (input && lockedAgainstDelete(entry!.versions[i]!, input, s3now(ctx).getTime()))
      throw S3Errors.accessDenied("Access Denied because object protected by object lock.");
    const [v] = entry!.versions.splice(i, 1);
    touchUploads(b, key);
    discard(v!.blob);
    if (entry!.versions.length === 0) {
      b.objects.delete(key);
      removeKey(b, key);
    }
    return { versionId, deleteMarker: v!.isDeleteMarker || undefined };
  }
  if (!b.versioning) {
    if (entry) {
      touchUploads(b, key);
      for (const v of entry.versions) discard(v.blob);
      b.objects.delete(key);
      removeKey(b, key);
    }
    return {};
  }
  const marker: ObjectVersion = {
    key,
    versionId: "null",
    isDeleteMarker: true,
    etag: "",
    size: 0,
    lastModified: s3stamp(ctx),
    headers: {},
    metadata: {},
    tags: [],
    storageClass: "STANDARD",
    owner: ctx.accountId,
  };
  commitVersion(b, marker);
  if (b.replication) queueReplication(ctx, b, marker);
  return { deleteMarker: true, versionId: marker.versionId };
}

/** x-amz-bypass-governance-retention (whatever its value) is refused on a bucket without Object Lock, as on AWS. */
function checkBypass(b: Bucket, input: S3Input): void {
  if (!b.objectLockEnabled && header(input.req, "x-amz-bypass-governance-retention") !== undefined)
    throw S3Errors.invalidArgument("x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.", "x-amz-bypass-governance-retention");
}

/**
 * Conditional deletes (general purpose buckets since September 2025, as the user guide documents): If-Match is
 * evaluated against the current version only; none (or a delete marker) is NoSuchKey, "*" matches any object and
 * another ETag is PreconditionFailed.
 */
function checkDeleteCondition(b: Bucket, key: string, ifMatch: string | undefined, versionId: string | undefined): void {
  if (ifMatch === undefined || versionId !== undefined) return;
  const cur = latest(b.objects.get(key));
  if (cur === undefined || cur.isDeleteMarker) throw S3Errors.noSuchKey(key);
  if (!etagMatches(ifMatch, cur.etag)) throw S3Errors.preconditionFailed("If-Match");
}

export function DeleteObject(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  checkBypass(b, input);
  if (input.query.versionId === "") throw emptyVersionId();
  checkDeleteCondition(b, input.key!, header(input.req, "if-match"), input.query.versionId);
  const r = deleteOne(ctx, b, input.key!, input.query.versionId, input);
  if (b.notifications)
    notify(ctx, b, r.deleteMarker && !input.query.versionId ? "ObjectRemoved:DeleteMarkerCreated" : "ObjectRemoved:Delete", {
      key: input.key!,
      size: 0,
      etag: "",
      versionId: r.versionId ?? "null",
    });
  const h: Record<string, string> = {};
  if (r.deleteMarker) h["x-amz-delete-marker"] = "true";
  if (r.versionId && (b.versioning || input.query.versionId)) h["x-amz-version-id"] = r.versionId;
  return empty(204, h);
}

export async function DeleteObjects(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  checkBypass(b, input);
  // The body's integrity is required: a Content-MD5 or a flexible checksum (header or trailer), as S3 refuses otherwise.
  const h = input.req.headers;
  const integrity =
    header(input.req, "content-md5") !== undefined ||
    header(input.req, "x-amz-trailer") !== undefined ||
    Object.keys(h).some((k) => /^x-amz-checksum-(crc32|crc32c|crc64nvme|sha1|sha256|sha512|md5|xxhash64|xxhash3|xxhash128)$/i.test(k));
  if (!integrity) throw S3Errors.invalidRequest("Missing required header for this request: Content-MD5 OR x-amz-checksum-*");
  if ((await readBody(input.req, 1024 * 1024)).length === 0) throw new AwsError("MissingRequestBodyError", "Request Body is empty", 400);
  const { doc } = await readXml(input);
  const del = doc.Delete;
  const objects = asArray(del?.Object) as Array<{ Key?: unknown; VersionId?: unknown; ETag?: unknown }>;
  if (!del || objects.length === 0 || objects.length > 1000) throw S3Errors.malformedXml();
  // Every entry names a key: an empty one is UserKeyMustBeSpecified (a missing one is MalformedXML below).
  if (objects.some((o) => o.Key !== undefined && String(o.Key) === "")) throw new AwsError("UserKeyMustBeSpecified", "User key must be specified.", 400);
  const quiet = String(del.Quiet ?? "false") === "true";
  const Deleted: unknown[] = [];
  const Errors: unknown[] = [];
  // Under --enforce-iam each key needs s3:DeleteObject (s3:DeleteObjectVersion for a version); a denied key
  // is an AccessDenied entry, the others are deleted.
  const allowed = ctx.config.enforceIam && ctx.caller ? await deleteAuthorizer(ctx, input) : undefined;
  for (const o of objects) {
    const key = o.Key === undefined ? undefined : String(o.Key);
    if (key === undefined) throw S3Errors.malformedXml();
    const versionId = o.VersionId === undefined ? undefined : String(o.VersionId);
    if (allowed && !(await allowed(key, versionId))) {
      Errors.push({ Key: key, VersionId: versionId, Code: "AccessDenied", Message: "Access Denied" });
      continue;
    }
    try {
      // An object's ETag element makes its delete conditional, as If-Match does for DeleteObject.
      checkDeleteCondition(b, key, o.ETag === undefined ? undefined : String(o.ETag), versionId);
      const r = deleteOne(ctx, b, key, versionId, input);
      if (b.notifications)
        notify(ctx, b, r.deleteMarker && !versionId ? "ObjectRemoved:DeleteMarkerCreated" : "ObjectRemoved:Delete", {
          key,
          size: 0,
          etag: "",
          versionId: r.versionId ?? "null",
        });
      if (!quiet) {
        Deleted.push({
          Key: key,
          VersionId: versionId,
          DeleteMarker: r.deleteMarker,
          DeleteMarkerVersionId: r.deleteMarker ? r.versionId : undefined,
        });
      }
    } catch (e) {
      // A version id S3 never issued is NoSuchVersion here (DeleteObject says InvalidArgument).
      const err =
        versionId !== undefined && !wellFormedVersionId(versionId) ? S3Errors.noSuchVersion(key, versionId) : (e as { code?: string; message?: string });
      Errors.push({ Key: key, VersionId: versionId, Code: err.code ?? "InternalError", Message: err.message ?? "" });
    }
  }
  return xmlReply("DeleteResult", { Deleted, Error: Errors });
}

async function deleteAuthorizer(ctx: Ctx, input: S3Input): Promise<(key: string, versionId?: string) => Promise<boolean>> {
  const { s3DeleteAllowed } = await import("../iam/enforce.js");
  const e = {
    req: input.req,
    protocol: "rest-xml" as const,
    service: "s3",
    operation: "DeleteObjects",
    input: { Bucket: input.bucket },
    accountId: ctx.accountId,
    region: ctx.region,
    accessKeyId: ctx.accessKeyId,
    caller: ctx.caller,
  };
  return (key, versionId) => s3DeleteAllowed(ctx.sim, e, key, versionId);
}

/** x-amz-copy-source → the source version, with the copy-source conditions applied. */
export function copySource(ctx: Ctx, input: S3Input): { bucket: Bucket; v: ObjectVersion } {
  let src = header(input.req, "x-amz-copy-source")!;
  if (src === "") throw S3Errors.invalidArgument("Invalid copy source bucket name", "x-amz-copy-source", src);
  let versionId: string | undefined;
  const q = src.indexOf("?");
  let m: RegExpExecArray | null = null;
  if (q >= 0) {
    m = /(?:^|&)versionId=([^&]*)/.exec(src.slice(q + 1));
    src = src.slice(0, q);
  }
  try {
    versionId = m ? decodeURIComponent(m[1]!) : undefined;
    src = decodeURIComponent(src);
  } catch {
    throw S3Errors.invalidArgument("Invalid copy source encoding", "x-amz-copy-source", src);
  }
  if (versionId === "") throw S3Errors.invalidArgument("Version id cannot be the empty string", "x-amz-copy-source", "");
  if (src.startsWith("/")) src = src.slice(1);
  const slash = src.indexOf("/");
  // A source naming no key at all ("bucket") is an invalid key; one with an empty bucket or key names neither.
  if (slash < 0) throw S3Errors.invalidArgument("Invalid copy source object key", "x-amz-copy-source", src);
  if (slash === 0 || slash === src.length - 1)
    throw S3Errors.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey", "x-amz-copy-source", src);
  const bucket = s3state(ctx).buckets.get(src.slice(0, slash));
  if (!bucket) throw S3Errors.noSuchBucket(src.slice(0, slash));
  // ExpectedSourceBucketOwner: a source bucket of another account is refused, as ExpectedBucketOwner refuses a destination.
  const expectedSource = input.req.headers["x-amz-source-expected-bucket-owner"];
  if (expectedSource !== undefined && expectedSource !== bucket.owner) throw S3Errors.accessDenied();
  const v = findVersion(bucket, src.slice(slash + 1), versionId, false);
  if (v.isDeleteMarker) throw S3Errors.invalidRequest("The source of a copy request may not specifically refer to a delete marker by version id.");
  checkReadKey(v.sse, input, true);
  // An archived source not restored is CopyObject's ObjectNotInActiveTierError (the model's only CopyObject error).
  if (v.storageClass !== "STANDARD")
    try {
      checkArchived(v, s3now(ctx));
    } catch {
      throw S3Errors.objectNotInActiveTier();
    }
  const h = (n: string) => header(input.req, n);
  const ifMatch = h("x-amz-copy-source-if-match");
  const ifNone = h("x-amz-copy-source-if-none-match");
  const ifMod = h("x-amz-copy-source-if-modified-since");
  const ifUnmod = h("x-amz-copy-source-if-unmodified-since");
  const newer = (s: string) => Math.floor(v.lastModified.getTime() / 1000) > Math.floor(Date.parse(s) / 1000);
  // AWS checks If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since in that order, and ignores an
  // If-Modified-Since in the future (or unparsable), as HTTP does.
  const since = ifMod === undefined ? Number.NaN : Date.parse(ifMod);
  if (ifMatch !== undefined && !etagMatches(ifMatch, v.etag)) throw S3Errors.preconditionFailed("x-amz-copy-source-If-Match");
  if (ifUnmod !== undefined && ifMatch === undefined && newer(ifUnmod)) throw S3Errors.preconditionFailed("x-amz-copy-source-If-Unmodified-Since");
  if (ifNone !== undefined && etagMatches(ifNone, v.etag)) throw S3Errors.preconditionFailed("x-amz-copy-source-If-None-Match");
  if (ifNone === undefined && !Number.isNaN(since) && since <= s3now(ctx).getTime() && !newer(ifMod!))
    throw S3Errors.preconditionFailed("x-amz-copy-source-If-Modified-Since");
  return { bucket, v };
}

/** x-amz-metadata-directive / x-amz-tagging-directive: COPY (the default) or REPLACE; anything else is InvalidArgument. */
function directive(input: S3Input, name: string, message: string): boolean {
  const v = header(input.req, name);
  if (v === undefined || v.toUpperCase() === "COPY") return false;
  if (v.toUpperCase() === "REPLACE") return true;
  throw S3Errors.invalidArgument(message, name, v);
}

export async function CopyObject(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const key = input.key!;
  checkKey(key);
  const { bucket: srcBucket, v: src } = copySource(ctx, input);
  // If-Match / If-None-Match name the destination, as for PutObject (the model's CopyObject conditional writes).
  checkWriteConditions(b, key, input);
  await ensureChecksum(src);
  const replaceMeta = directive(input, "x-amz-metadata-directive", "Unknown metadata directive.");
  const replaceTags = directive(input, "x-amz-tagging-directive", "Unknown tagging directive.");
  const sc = header(input.req, "x-amz-storage-class") ? storageClass(input) : undefined;
  // Naming a source version makes a copy onto the same key legitimate: that is how a version is restored.
  const selfCopy = srcBucket === b && src.key === key && !/[?&]versionId=/.test(header(input.req, "x-amz-copy-source") ?? "");
  const sse = writeSse(input, b, ctx.config.strict);
  const owner = objectOwner(ctx, b, input);
  const acl = requestAcl(ctx, input, b, true, owner);
  if (acl && b.pab?.BlockPublicAcls && isPublicAcl(acl)) throw S3Errors.accessDenied();
  const lock = lockFromRequest(ctx, b, input);
  // A source encrypted other than with SSE-S3 (SSE-KMS, or SSE-C: also "AES256" but with a customer key) changes
  // encryption by being copied without any (it becomes SSE-S3): an SSE-C object decrypts in place that way.
  const sseChanged =
    header(input.req, "x-amz-server-side-encryption") !== undefined ||
    header(input.req, "x-amz-server-side-encryption-customer-algorithm") !== undefined ||
    (src.sse !== undefined && (src.sse.algorithm !== "AES256" || src.sse.customerMd5 !== undefined));
  // Asking for a checksum algorithm changes the object too; a bucket with an encryption configuration of its own
  // (PutBucketEncryption) re-encrypts the copy, so AWS takes the copy onto itself (recorded 2023).
  const changed =
    replaceMeta || sc || header(input.req, "x-amz-website-redirect-location") || sseChanged || header(input.req, "x-amz-checksum-algorithm") || b.sseConfigured;
  if (selfCopy && !changed) {
    throw S3Errors.invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const blob = needsReseal(src, sse)
    ? await resealCopy(s3state(ctx), input, src, sse)
    : src.blob
      ? src.blob.kind === "mem"
        ? src.blob
        : await concatBlobs(s3state(ctx), [{ blob: src.blob }], src.size)
      : { kind: "mem" as const, data: Buffer.alloc(0) };
  setBlobSize(blob, src.size);
  const v: ObjectVersion = {
    key,
    versionId: "null",
    isDeleteMarker: false,
    etag: src.etag,
    size: src.size,
    lastModified: s3stamp(ctx),
    blob,
    contentType: replaceMeta ? (header(input.req, "content-type") ?? "binary/octet-stream") : src.contentType,
    headers: replaceMeta ? storedHeaders(input) : { ...src.headers },
    metadata: replaceMeta ? userMetadata(input) : { ...src.metadata },
    tags: replaceTags ? parseTagging(header(input.req, "x-amz-tagging")) : [...src.tags],
    // The copy takes the storage class the request names, not the source's.
    storageClass: sc ?? "STANDARD",
    checksum: await copyChecksum(input, src),
    parts: undefined,
    owner,
    acl,
    sse,
    retention: lock.retention,
    legalHold: lock.legalHold,
  };
  // The copy is one part: a multipart source's copy has the MD5 of its bytes as ETag (a customer-key copy keeps its own),
  // as has the copy of an SSE-C or SSE-KMS source made without them; a copy encrypted so has an ETag of its own.
  if (opaqueEtag(sse, src.size)) v.etag = randomEtag();
  else if (src.parts && !src.sse?.customerMd5 && src.blob) v.etag = `"${await md5Of(src.blob, src.size)}"`;
  else if (opaqueEtag(src.sse, src.size) && !src.parts && !sse?.customerMd5) v.etag = `"${await md5Of(blob, src.size)}"`;
  commitVersion(b, v);
  if (b.replication) queueReplication(ctx, b, v);
  if (b.notifications) notify(ctx, b, "ObjectCreated:Copy", v);
  // Unlike PutObject, a copy into a suspended bucket names the null version it wrote; a null source version goes unnamed.
  const headers: Record<string, string> = { ...sseHeaders(sse, true), ...versionHeaders(b, v) };
  if (srcBucket.versioning && src.versionId !== "null") headers["x-amz-copy-source-version-id"] = src.versionId;
  const cs: Record<string, string> = {};
  if (v.checksum) cs[`Checksum${v.checksum.algorithm}`] = v.checksum.value;
  // A copy that carries the source's checksum names no ChecksumType (AWS's recording of
  // test_s3_copy_object_preconditions, 2025); only a checksum computed at the request's algorithm names its type.
  const computed = v.checksum !== undefined && v.checksum.algorithm !== src.checksum?.algorithm;
  return xmlReply("CopyObjectResult", { ETag: v.etag, LastModified: v.lastModified, ...cs, ChecksumType: computed ? v.checksum?.type : undefined }, headers);
}

const ATTRIBUTES = ["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"];

export async function GetObjectAttributes(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const v = findVersion(b, input.key!, input.query.versionId);
  checkReadKey(v.sse, input);
  await ensureChecksum(v);
  const wanted = new Set(
    (header(input.req, "x-amz-object-attributes") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
  if (wanted.size === 0)
    throw S3Errors.invalidRequest("The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty");
  for (const a of wanted) if (!ATTRIBUTES.includes(a)) throw S3Errors.invalidArgument("Invalid attribute name specified.", "x-amz-object-attributes", a);
  // x-amz-max-parts and x-amz-part-number-marker that are not integers are ignored, as S3 ignores them.
  const intHeader = (name: string, dflt: number) => {
    const raw = header(input.req, name);
    if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) > 2147483647) return dflt;
    return Number(raw);
  };
  const out: Record<string, unknown> = {};
  if (wanted.has("ETag")) out.ETag = v.etag.replace(/"/g, "");
  // A composite checksum is shown without the "-<parts>" suffix GetObject and HeadObject add.
  if (wanted.has("Checksum") && v.checksum)
    out.Checksum = { [`Checksum${v.checksum.algorithm}`]: v.checksum.value.replace(/-\d+$/, ""), ChecksumType: v.checksum.type };
  // Without an additional checksum (CRC32, CRC32C, SHA1, SHA256) S3 reports only how many parts there are.
  if (wanted.has("ObjectParts") && v.parts && (!v.checksum || v.checksum.algorithm === "CRC64NVME")) out.ObjectParts = { PartsCount: v.parts.length };
  else if (wanted.has("ObjectParts") && v.parts) {
    const max = Math.min(intHeader("x-amz-max-parts", 1000), 1000);
    const marker = intHeader("x-amz-part-number-marker", 0);
    const rest = v.parts.filter((p) => p.partNumber > marker);
    const page = rest.slice(0, max);
    out.ObjectParts = {
      PartsCount: v.parts.length,
      PartNumberMarker: marker,
      // As ListParts: a page holding no part (a marker past the last one) answers 0, as AWS records (2025).
      NextPartNumberMarker: page.length ? page[page.length - 1]!.partNumber : 0,
      MaxParts: max,
      IsTruncated: rest.length > max,
      Part: page.map((p) => ({
        PartNumber: p.partNumber,
        Size: p.size,
        ...(p.checksum && v.checksum ? { [`Checksum${v.checksum.algorithm}`]: p.checksum } : {}),
      })),
    };
  }
  if (wanted.has("StorageClass")) out.StorageClass = v.storageClass;
  if (wanted.has("ObjectSize")) out.ObjectSize = v.size;
  return xmlReply("GetObjectAttributesResponse", out, { "last-modified": httpDate(v.lastModified), ...versionHeaders(b, v) });
}

/** The version a tagging call names; a delete marker (named, or the current version) is 405 for the call's method, as on AWS. */
function taggedVersion(b: Bucket, input: S3Input, method: string): ObjectVersion {
  const vid = input.query.versionId;
  const entry = b.objects.get(input.key!);
  const named = vid ? entry?.versions.find((x) => x.versionId === vid) : latest(entry);
  if (named?.isDeleteMarker)
    throw Object.assign(S3Errors.methodNotAllowed(method, "DeleteMarker"), {
      headers: { "x-amz-delete-marker": "true", "x-amz-version-id": named.versionId, allow: "DELETE" },
    });
  return findVersion(b, input.key!, vid);
}

export async function PutObjectTagging(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const v = taggedVersion(b, input, "PUT");
  const { doc } = await readXml(input);
  // An empty <Tagging/> (no TagSet) is taken, and leaves the object untagged, as for buckets (LocalStack's
  // AWS-validated test_put_object_tagging_none_value puts one without error).
  if (doc.Tagging === undefined) throw S3Errors.malformedXml();
  v.tags = validateTags(xmlTags(doc.Tagging?.TagSet?.Tag));
  if (b.notifications) notify(ctx, b, "ObjectTagging:Put", v);
  return empty(200, versionHeaders(b, v));
}

export function GetObjectTagging(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  let v: ObjectVersion;
  try {
    v = taggedVersion(b, input, "GET");
  } catch (e) {
    // AWS names a missing key as bucket/key here (PutObjectTagging and DeleteObjectTagging name the key alone).
    if ((e as { code?: string }).code === "NoSuchKey") throw S3Errors.noSuchKey(`${b.name}/${input.key}`);
    throw e;
  }
  return xmlReply("Tagging", { TagSet: { Tag: v.tags } }, versionHeaders(b, v));
}

export function DeleteObjectTagging(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const v = taggedVersion(b, input, "DELETE");
  v.tags = [];
  if (b.notifications) notify(ctx, b, "ObjectTagging:Delete", v);
  return empty(204, versionHeaders(b, v));
}

export function GetObjectAcl(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const v = findVersion(b, input.key!, input.query.versionId);
  // (GetObjectAclOutput and PutObjectAclOutput declare no x-amz-version-id, unlike the tagging operations.)
  return xmlReply("AccessControlPolicy", aclBody(v.owner, v.acl));
}

export async function PutObjectAcl(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  // A delete marker, current or named, is 405 for PUT (GetObjectAcl answers NoSuchKey for a current one).
  const v = taggedVersion(b, input, "PUT");
  const grants = await aclFromPut(ctx, input, b, v.owner);
  if (b.pab?.BlockPublicAcls && isPublicAcl(grants)) throw S3Errors.accessDenied();
  // An ACL put that leaves the grants as they were sends no ObjectAcl:Put event (AWS sent three events for four
  // puts, the first of which set the object's own "private" again: LocalStack's recorded test_object_put_acl).
  const before = JSON.stringify(aclBody(v.owner, v.acl));
  v.acl = grants;
  const changed = JSON.stringify(aclBody(v.owner, v.acl)) !== before;
  if (changed && b.notifications) notify(ctx, b, "ObjectAcl:Put", v);
  return empty(200);
}
