/** S3 helpers shared by the handlers: state access, bucket lookup, XML replies, owners, header parsing. */
import { wholeSecond } from "../core/time.js";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { header } from "../../protocols/http.js";
import { AwsError } from "../../protocols/aws-error.js";
import { Utf8Writer } from "../../protocols/utf8.js";
import { buildXml, parseXml, XML_DECL, XmlFragment } from "../../protocols/xml.js";
import { rawResponse, type Ctx } from "../core/types.js";
import { checkDigests, isChunked } from "./body.js";
import { ALGORITHMS, checksumOf, headerOf } from "./checksums.js";
import { S3Errors } from "./errors.js";
import type { S3Input } from "./route.js";
import { insertKey, type Bucket, type KeyEntry, type ObjectVersion, type S3State } from "./state.js";

export const XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";

export const s3state = (ctx: Ctx) => ctx.state<S3State>();

/** S3's clock: real time, moved forward by POST /_awsim/clock/advance (lifecycle, restores and retention use it). */
export function s3now(ctx: Ctx): Date {
  const off = s3state(ctx).clockOffsetMs;
  return off ? new Date(Date.now() + off) : ctx.now();
}

/** An object's LastModified: S3 keeps it to the whole second (listings say `.000Z`, as HEAD's HTTP date does). */
export function s3stamp(ctx: Ctx): Date {
  return wholeSecond(s3now(ctx));
}

export { wholeSecond };

/** The id S3 gives a lifecycle rule, replication rule or notification configuration sent without one. */
export const generatedId = (): string => Buffer.from(randomUUID()).toString("base64");

export function getBucket(ctx: Ctx, input: S3Input): Bucket {
  const b = s3state(ctx).buckets.get(input.bucket!);
  if (!b) throw S3Errors.noSuchBucket(input.bucket!);
  // Requester Pays: other accounts must acknowledge the charge.
  if (b.requesterPays && b.owner !== ctx.accountId && header(input.req, "x-amz-request-payer") !== "requester") throw S3Errors.accessDenied();
  // ExpectedBucketOwner: a bucket owned by another account is refused.
  const expected = input.req.headers["x-amz-expected-bucket-owner"];
  if (expected !== undefined && expected !== b.owner) throw S3Errors.accessDenied();
  return b;
}

/** Add a version with its own id (replicas keep the source's version id) as the current version of its key. */
export function insertKeyAndVersion(b: Bucket, v: ObjectVersion): void {
  let entry = b.objects.get(v.key);
  if (!entry) {
    entry = { versions: [] };
    b.objects.set(v.key, entry);
    insertKey(b, v.key);
  }
  entry.versions.unshift(v);
}

/** An S3 XML document: the declaration, a newline (S3's raw bodies read "<?xml ...?>\n<ListBucketResult ..."), the root. */
const document = (root: string, body: Record<string, unknown>) => `${XML_DECL}\n${buildXml({ [root]: { "@_xmlns": XMLNS, ...body } }, false)}`;

export function xmlReply(root: string, body: Record<string, unknown>, headers: Record<string, string> = {}, status = 200) {
  return rawResponse({ status, headers: { "content-type": "application/xml", ...headers }, body: document(root, body) });
}

/** The free bytes a listing page's buffer starts with (pageWriter), for the document's start (xmlReplyAround). */
const PAGE_ROOM = 4096;
/** Where the page stands in the document xmlReplyAround renders around it. */
const PAGE_MARK = "\u0000awsim-page\u0000";
export const PAGE_HERE = new XmlFragment(PAGE_MARK);

/** A writer for a listing page's entries (about `bytes` of them), which xmlReplyAround answers with. */
export function pageWriter(bytes: number): Utf8Writer {
  const w = new Utf8Writer(PAGE_ROOM + Math.max(1024, bytes));
  w.pos = PAGE_ROOM;
  return w;
}

/**
 * xmlReply for a listing whose page of entries is in `page` (from pageWriter) and stands at PAGE_HERE in `body`:
 * what comes before the page is written into the room left before it and what follows after it, so the page is
 * never copied into a second buffer. The bytes are xmlReply's with the page's XML in its place.
 */
export function xmlReplyAround(root: string, body: Record<string, unknown>, page: Utf8Writer, headers: Record<string, string> = {}) {
  const text = document(root, body);
  const at = text.indexOf(PAGE_MARK);
  const head = text.slice(0, at);
  const tail = text.slice(at + PAGE_MARK.length);
  const headBytes = Buffer.byteLength(head);
  let out: Buffer;
  if (headBytes <= PAGE_ROOM) {
    page.buf.write(head, PAGE_ROOM - headBytes, "utf8");
    page.write(tail);
    out = page.buf.subarray(PAGE_ROOM - headBytes, page.pos);
  } else out = Buffer.concat([Buffer.from(head), page.buf.subarray(PAGE_ROOM, page.pos), Buffer.from(tail)]);
  return rawResponse({ status: 200, headers: { "content-type": "application/xml", ...headers }, body: out });
}

export const empty = (status = 200, headers: Record<string, string> = {}) => rawResponse({ status, headers: { "content-length": "0", ...headers } });

/** The canonical user id S3 would show for an account (a hash, computed once per account). */
const canonicalIds = new Map<string, string>();
export function canonicalId(accountId: string): string {
  let id = canonicalIds.get(accountId);
  if (id === undefined) {
    id = createHash("sha256").update(`awsim:${accountId}`).digest("hex");
    if (canonicalIds.size >= 10_000) canonicalIds.clear();
    canonicalIds.set(accountId, id);
  }
  return id;
}

/** An Owner: the canonical id only; S3 stopped answering Owner.DisplayName in every Region on November 21, 2025. */
export const owner = (accountId: string) => ({ ID: canonicalId(accountId) });

/**
 * A version id: 32 characters of AWS's alphabet (letters, digits, "." and "_"): 11 that encode when it was
 * issued (microseconds, so a listing can resume after a version deleted since), 17 random, and a check of
 * those 28, so ids S3 never issued read as malformed, as on AWS.
 */
export function newVersionId(): string {
  const seq = Buffer.alloc(8);
  seq.writeBigUInt64BE(BigInt(Math.floor((performance.timeOrigin + performance.now()) * 1000)));
  const body = (seq.toString("base64url") + randomBytes(13).toString("base64url").slice(0, 17)).replace(/-/g, ".");
  return body + versionCheck(body);
}

/** When a version id of ours was issued (microseconds); undefined for "null" and ids we did not issue. */
export function versionSeq(id: string): number | undefined {
  if (!wellFormedVersionId(id) || id === "null") return undefined;
  return Number(Buffer.from(id.slice(0, 11).replace(/\./g, "-"), "base64url").readBigUInt64BE());
}

const versionCheck = (body: string) => createHash("sha256").update(`awsim-version:${body}`).digest("base64url").slice(0, 4).replace(/-/g, ".");

/** Whether an id could name a version ("null" or one of ours): AWS answers InvalidArgument for the others. */
export function wellFormedVersionId(id: string): boolean {
  return id === "null" || (id.length === 32 && versionCheck(id.slice(0, 28)) === id.slice(28));
}

/** The Regions S3 served before 30 January 2014, the only ones that take Signature Version 2; the later ones take only SigV4. */
const SIGV2_REGIONS = new Set(["us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-northeast-1", "ap-southeast-1", "ap-southeast-2", "sa-east-1"]);

/** A SigV2-signed request (header, presigned URL or POST form) to a bucket of a SigV4-only Region: S3's InvalidRequest. */
export function refuseSigV2(bucketRegion: string): void {
  if (!SIGV2_REGIONS.has(bucketRegion))
    throw S3Errors.invalidRequest("The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
}

/** Read a small XML body (configuration documents) and parse it; MalformedXML when it is not XML. */
export async function readXml(
  input: S3Input,
  limit = 1024 * 1024,
  opts: { bodyChecksum?: boolean; digests?: boolean } = {},
): Promise<{ text: string; doc: Record<string, any> }> {
  const { readBody } = await import("../../protocols/http.js");
  const raw = await readBody(input.req, limit);
  if (opts.digests !== false) checkBodyDigests(input, raw, opts.bodyChecksum !== false);
  const text = raw.toString("utf8");
  // A character XML 1.0 cannot carry (a control character other than tab, CR and LF), raw or as a reference,
  // leaves the document not well-formed: S3 answers MalformedXML, so a DeleteObjects naming such a key fails.
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(text)) throw S3Errors.malformedXml();
  try {
    return { text, doc: parseXml(text) };
  } catch {
    throw S3Errors.malformedXml();
  }
}

/**
 * A small body's digests (configuration documents, DeleteObjects): Content-MD5 and x-amz-content-sha256 in the
 * order an upload's are checked (checkDigests), then a checksum header unless it names something else, as
 * CompleteMultipartUpload's does.
 */
export function checkBodyDigests(input: S3Input, raw: Buffer, bodyChecksum = true): void {
  checkDigests(input.req, createHash("md5").update(raw).digest("hex"), () => createHash("sha256").update(raw).digest("hex"), "base64");
  for (const a of bodyChecksum ? ALGORITHMS : []) {
    const claimed = header(input.req, headerOf(a));
    if (claimed && checksumOf(a, raw) !== claimed) throw S3Errors.checksumMismatch(a);
  }
}

export function latest(entry: KeyEntry | undefined): ObjectVersion | undefined {
  return entry?.versions[0];
}

/** A versionId parameter given empty ("?versionId=") is InvalidArgument, as S3 answers. */
export const emptyVersionId = () => S3Errors.invalidArgument("Version id cannot be the empty string", "versionId", "");

/** The version a request names (versionId query) or the current one; NoSuchKey / NoSuchVersion as S3. */
export function findVersion(b: Bucket, key: string, versionId: string | undefined, forRead = true): ObjectVersion {
  const entry = b.objects.get(key);
  if (versionId === "") throw emptyVersionId();
  if (versionId !== undefined) {
    const v = entry?.versions.find((x) => x.versionId === versionId);
    if (!v) {
      if (!wellFormedVersionId(versionId)) throw S3Errors.invalidArgument("Invalid version id specified", "versionId", versionId);
      throw S3Errors.noSuchVersion(key, versionId);
    }
    if (v.isDeleteMarker && forRead) {
      throw Object.assign(S3Errors.methodNotAllowed("GET", "DeleteMarker"), {
        headers: { "x-amz-delete-marker": "true", "x-amz-version-id": v.versionId, "last-modified": v.lastModified.toUTCString(), allow: "DELETE" },
      });
    }
    return v;
  }
  const cur = latest(entry);
  if (!cur) throw S3Errors.noSuchKey(key);
  if (cur.isDeleteMarker) {
    const err = S3Errors.noSuchKey(key);
    throw Object.assign(err, { headers: { "x-amz-delete-marker": "true", ...(b.versioning ? { "x-amz-version-id": cur.versionId } : {}) } });
  }
  return cur;
}

/** x-amz-meta-* headers → metadata (lower-cased names as S3 stores them). */
export function userMetadata(input: S3Input): Record<string, string> {
  const out: Record<string, string> = {};
  let size = 0;
  const headers = input.req.headers;
  for (const k in headers) {
    if (!k.startsWith("x-amz-meta-")) continue;
    const v = headers[k];
    const val = Array.isArray(v) ? v.join(",") : (v ?? "");
    out[k.slice(11)] = val;
    size += k.length - 11 + Buffer.byteLength(val);
  }
  if (size > 2048) throw S3Errors.metadataTooLarge(size);
  return out;
}

const STORED_HEADERS = ["cache-control", "content-disposition", "content-encoding", "content-language", "expires", "x-amz-website-redirect-location"];

export function storedHeaders(input: S3Input): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of STORED_HEADERS) {
    let v = header(input.req, h);
    if (v === undefined) continue;
    if (h === "content-encoding") {
      v = v
        .split(",")
        .map((x) => x.trim())
        // aws-chunked names the framing only when the body is framed (see isChunked).
        .filter((x) => x && (x !== "aws-chunked" || !isChunked(input.req)))
        .join(", ");
      if (!v) continue;
    }
    out[h] = v;
  }
  return out;
}

const STORAGE_CLASSES = [
  "STANDARD",
  "REDUCED_REDUNDANCY",
  "STANDARD_IA",
  "ONEZONE_IA",
  "INTELLIGENT_TIERING",
  "GLACIER",
  "DEEP_ARCHIVE",
  "OUTPOSTS",
  "GLACIER_IR",
  "SNOW",
  "EXPRESS_ONEZONE",
];

export function storageClass(input: S3Input): string {
  const sc = header(input.req, "x-amz-storage-class") ?? "STANDARD";
  // An unknown class, or OUTPOSTS (S3 on Outposts, which a regional bucket cannot take), names the class requested.
  if (!STORAGE_CLASSES.includes(sc) || sc === "OUTPOSTS")
    throw new AwsError("InvalidStorageClass", "The storage class you specified is not valid", 400, { extra: { StorageClassRequested: sc } });
  return sc;
}

/** x-amz-tagging (URL query form) → tags, validated as S3 does. */
export function parseTagging(raw: string | undefined): Array<{ Key: string; Value: string }> {
  if (!raw) return [];
  const tags: Array<{ Key: string; Value: string }> = [];
  // Undecodable, duplicated or with characters a tag cannot hold: AWS blames the header as a whole.
  const invalid = () =>
    S3Errors.invalidArgument(
      "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.",
      "x-amz-tagging",
      raw,
    );
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, " "));
    } catch {
      throw invalid();
    }
  };
  const seen = new Set<string>();
  for (const part of raw.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const t = eq < 0 ? { Key: dec(part), Value: "" } : { Key: dec(part.slice(0, eq)), Value: dec(part.slice(eq + 1)) };
    if (seen.has(t.Key) || !TAG_CHARS.test(t.Key) || !TAG_CHARS.test(t.Value)) throw invalid();
    seen.add(t.Key);
    tags.push(t);
  }
  return validateTags(tags);
}

/** The characters AWS allows in tag keys and values. */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Tag sets as S3 checks them, naming the offending TagKey (and TagValue); `aws:` keys are refused with the bucket or object wording. */
/**
 * A Tagging document's <Tag> elements as tags: a tag without its Key or its Value (an empty <Tag/> included) does
 * not validate against S3's schema (MalformedXML), as LocalStack's AWS-validated tagging scenarios expect.
 */
export function xmlTags(raw: unknown): Array<{ Key: string; Value: string }> {
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return list.map((t: { Key?: unknown; Value?: unknown }) => {
    if (typeof t !== "object" || t === null || t.Key === undefined || t.Value === undefined) throw S3Errors.malformedXml();
    return { Key: String(t.Key), Value: String(t.Value) };
  });
}

export function validateTags(
  tags: Array<{ Key: string; Value: string }>,
  max = 10,
  kind: "bucket" | "object" | "create-bucket" = "object",
): Array<{ Key: string; Value: string }> {
  // More than an object's 10 tags is BadRequest, as AWS answers PutObjectTagging (boto/boto3#1213).
  if (tags.length > max)
    throw kind === "object"
      ? new AwsError("BadRequest", `Object tags cannot be greater than ${max}`, 400)
      : S3Errors.invalidTag(`Object tags cannot be greater than ${max}`);
  const seen = new Set<string>();
  for (const t of tags) {
    if (!t.Key || t.Key.length > 128 || !TAG_CHARS.test(t.Key)) throw S3Errors.invalidTag("The TagKey you have provided is invalid", { TagKey: t.Key });
    if (t.Value.length > 256 || !TAG_CHARS.test(t.Value))
      throw S3Errors.invalidTag("The TagValue you have provided is invalid", { TagKey: t.Key, TagValue: t.Value });
    // CreateBucket words it its own way and names no TagKey (as LocalStack records AWS's answer).
    if (kind === "create-bucket" && t.Key.toLowerCase().startsWith("aws:"))
      throw S3Errors.invalidTag(
        'User-defined tag keys can\'t start with "aws:". This prefix is reserved for system tags. Remove "aws:" from your tag keys and try again.',
      );
    if (t.Key.toLowerCase().startsWith("aws:"))
      throw S3Errors.invalidTag(kind === "bucket" ? "System tags cannot be added/updated by requester" : "Your TagKey cannot be prefixed with aws:", {
        TagKey: t.Key,
      });
    if (seen.has(t.Key)) throw S3Errors.invalidTag("Cannot provide multiple Tags with the same key", { TagKey: t.Key });
    seen.add(t.Key);
  }
  return tags;
}

/** ETag comparison as S3 does it: quotes optional, "*" matches anything. */
export function etagMatches(condition: string, etag: string): boolean {
  return condition.split(",").some((c) => {
    const x = c.trim();
    return x === "*" || x.replace(/^W\//, "").replace(/"/g, "") === etag.replace(/"/g, "");
  });
}

/** RFC 7231 dates (Last-Modified on every object answer): formatted once per second value, kept in a small cache. */
const httpDates = new Map<number, string>();
export function httpDate(d: Date): string {
  const t = Math.floor(d.getTime() / 1000);
  let s = httpDates.get(t);
  if (s === undefined) {
    s = d.toUTCString();
    if (httpDates.size >= 4096) httpDates.clear();
    httpDates.set(t, s);
  }
  return s;
}

/** Neither an Authorization header nor query-string authentication: an anonymous request. */
export const isAnonymous = (input: S3Input) =>
  input.req.headers.authorization === undefined &&
  input.query.Signature === undefined &&
  input.query["X-Amz-Signature"] === undefined &&
  input.query["X-Amz-Credential"] === undefined;
