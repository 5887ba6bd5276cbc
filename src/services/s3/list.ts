/** Listings: ListObjects (v1), ListObjectsV2, ListObjectVersions — prefix, delimiter, markers, tokens, encoding-type=url. */
import type { Ctx } from "../core/types.js";
import type { Utf8Writer } from "../../protocols/utf8.js";
import { escapeXml } from "../../protocols/xml.js";
import { canonicalId, getBucket, PAGE_HERE, pageWriter, owner, s3now, versionSeq, wellFormedVersionId, xmlReplyAround } from "./common.js";
import { S3Errors } from "./errors.js";
import type { S3Input } from "./route.js";
import { keyIndex, type Bucket, type ObjectVersion } from "./state.js";

/** S3's url encoding for listings: form-style (space as +), "/" kept. */
/** encoding-type=url as S3 writes it (Java's URLEncoder with "/" kept): a space is "+", "*" stays, "!'()~" are escaped. */
export const urlEncode = (s: string) =>
  encodeURIComponent(s)
    .replace(/%20/g, "+")
    .replace(/%2F/g, "/")
    .replace(/%2A/g, "*")
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * max-keys as each listing reads it: absent or empty is 1000; not a 32-bit integer is refused naming max-keys;
 * a negative value is refused in each listing's own words (ListObjects names "maxKeys", ListObjectVersions
 * names no value), as recorded from AWS.
 */
function maxKeys(input: S3Input, listing: "v1" | "v2" | "versions"): number {
  const name = "max-keys";
  const raw = input.query[name];
  if (raw === undefined || raw === "") return 1000;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw) || n > 2147483647 || n < -2147483648)
    throw S3Errors.invalidArgument(`Provided ${name} not an integer or within integer range`, name, raw);
  if (n < 0) {
    if (listing === "v1") throw S3Errors.invalidArgument("Argument maxKeys must be an integer between 0 and 2147483647", "maxKeys", raw);
    if (listing === "versions") throw S3Errors.invalidArgument("max-keys cannot be negative", name);
    throw S3Errors.invalidArgument(`Provided ${name} not an integer or within integer range`, name, raw);
  }
  return Math.min(n, 1000);
}

interface Walk {
  contents: ObjectVersion[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned (the next page starts after it). */
  last?: string;
}

/**
 * The common prefix a marker falls in (a page that ended on that prefix, or a key under it): S3 lists a
 * common prefix only when it sorts after the marker, so the next page continues after every key under it.
 * Undefined when the marker rolls up into no common prefix.
 */
export function resumedPrefix(marker: string, prefix: string, delimiter: string): string | undefined {
  if (!delimiter || !marker.startsWith(prefix)) return undefined;
  const d = marker.indexOf(delimiter, prefix.length);
  return d >= 0 ? marker.slice(0, d + delimiter.length) : undefined;
}

/** Walk current (non-deleted) objects after `after`, grouping by delimiter, up to max entries. */
function walk(b: Bucket, prefix: string, delimiter: string, after: string, max: number): Walk {
  const out: Walk = { contents: [], prefixes: [], truncated: false };
  let i = after > prefix ? keyIndex(b, after) : keyIndex(b, prefix, true);
  // A page that ended on a common prefix continues after every key under it.
  let lastPrefix = resumedPrefix(after, prefix, delimiter);
  while (i < b.keys.length) {
    const key = b.keys[i]!;
    if (lastPrefix !== undefined && key.startsWith(lastPrefix)) {
      i++;
      continue;
    }
    if (!key.startsWith(prefix)) {
      if (key > prefix) break;
      i++;
      continue;
    }
    const v = b.objects.get(key)!.versions[0]!;
    if (v.isDeleteMarker) {
      i++;
      continue;
    }
    let cp: string | undefined;
    if (delimiter) {
      const d = key.indexOf(delimiter, prefix.length);
      if (d >= 0) cp = key.slice(0, d + delimiter.length);
    }
    if (cp !== undefined && cp === lastPrefix) {
      i++;
      continue;
    }
    if (out.contents.length + out.prefixes.length >= max) {
      // max-keys=0 asks for no entries, and S3 then reports the listing as not truncated.
      out.truncated = max > 0;
      break;
    }
    if (cp !== undefined) {
      out.prefixes.push(cp);
      lastPrefix = cp;
      out.last = cp;
      // Skip the rest of this common prefix in one step.
      i = keyIndex(b, cp + "\u{10FFFF}");
      continue;
    }
    out.contents.push(v);
    out.last = key;
    i++;
  }
  return out;
}

/** x-amz-optional-object-attributes: RestoreStatus → the time to report restore states at (S3's clock). */
function restoreClock(ctx: Ctx, input: S3Input): Date | undefined {
  const h = input.req.headers["x-amz-optional-object-attributes"];
  return typeof h === "string" && h.includes("RestoreStatus") ? s3now(ctx) : undefined;
}

function restoreStatus(v: ObjectVersion, now: Date | undefined) {
  if (!now || !v.restore) return undefined;
  return now < v.restore.readyAt ? { IsRestoreInProgress: true } : { IsRestoreInProgress: false, RestoreExpiryDate: v.restore.expiry };
}

export function contentsOf(v: ObjectVersion, enc: (s: string) => string, withOwner: boolean, restoreNow?: Date) {
  return {
    Key: enc(v.key),
    LastModified: v.lastModified,
    ETag: v.etag,
    ChecksumAlgorithm: v.checksum ? v.checksum.algorithm : undefined,
    ChecksumType: v.checksum?.type,
    Size: v.size,
    Owner: withOwner ? owner(v.owner) : undefined,
    StorageClass: v.storageClass,
    RestoreStatus: restoreStatus(v, restoreNow),
  };
}

export function listEncoder(input: S3Input): (s: string) => string {
  const e = input.query["encoding-type"];
  if (e !== undefined && e !== "url") throw S3Errors.invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", e);
  return e === "url" ? urlEncode : (s) => s;
}

/*
 * The entries of a listing page rendered straight to XML (a page is up to 1,000 entries): the same text
 * buildXml writes for contentsOf()/versionOf() objects, element for element (test/unit/s3-list-xml.test.ts).
 */
/** An owner element, rendered once per account (every version of a ListObjectVersions page carries one). */
const ownerXmlOf = new Map<string, string>();
function ownerXml(accountId: string): string {
  let x = ownerXmlOf.get(accountId);
  if (x === undefined) {
    x = `<Owner><ID>${canonicalId(accountId)}</ID></Owner>`;
    if (ownerXmlOf.size >= 10_000) ownerXmlOf.clear();
    ownerXmlOf.set(accountId, x);
  }
  return x;
}
const el = (name: string, v: string | number | boolean | undefined) =>
  v === undefined ? "" : `<${name}>${typeof v === "string" ? escapeXml(v) : String(v)}</${name}>`;

/** The few values every entry repeats (storage classes, checksum algorithms and types), escaped once. */
const escapedOnce = new Map<string, string>();
function escapedValue(s: string): string {
  let e = escapedOnce.get(s);
  if (e === undefined) {
    e = escapeXml(s);
    if (escapedOnce.size < 64) escapedOnce.set(s, e);
  }
  return e;
}
const enumEl = (name: string, v: string | undefined) => (v === undefined ? "" : `<${name}>${escapedValue(v)}</${name}>`);

/** An ETag element: `"<hex>"` or `"<hex>-<n>"` (what awsim makes) escaped without a regular expression; others as any text. */
function etagEl(etag: string): string {
  const n = etag.length;
  if (n >= 2 && etag.charCodeAt(0) === 34 && etag.charCodeAt(n - 1) === 34) {
    let plain = true;
    for (let i = 1; i < n - 1; i++) {
      const c = etag.charCodeAt(i);
      if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 45)) {
        plain = false;
        break;
      }
    }
    if (plain) return `<ETag>&quot;${etag.slice(1, -1)}&quot;</ETag>`;
  }
  return el("ETag", etag);
}

export function contentsXml(v: ObjectVersion, enc: (s: string) => string, withOwner: boolean, restoreNow?: Date): string {
  let s = `<Contents>${el("Key", enc(v.key))}<LastModified>${v.lastModified.toISOString()}</LastModified>${etagEl(v.etag)}`;
  if (v.checksum) s += enumEl("ChecksumAlgorithm", v.checksum.algorithm) + enumEl("ChecksumType", v.checksum.type);
  s += `<Size>${v.size}</Size>`;
  if (withOwner) s += ownerXml(v.owner);
  s += enumEl("StorageClass", v.storageClass);
  const r = restoreStatus(v, restoreNow);
  if (r) {
    s += `<RestoreStatus>${el("IsRestoreInProgress", r.IsRestoreInProgress)}`;
    if (r.RestoreExpiryDate) s += `<RestoreExpiryDate>${r.RestoreExpiryDate.toISOString()}</RestoreExpiryDate>`;
    s += "</RestoreStatus>";
  }
  return `${s}</Contents>`;
}

/** One ListObjectVersions entry as an object (the reference form) — see versionXml. */
export function versionOf(v: ObjectVersion, key: string, isLatest: boolean) {
  const common = { Key: key, VersionId: v.versionId, IsLatest: isLatest, LastModified: v.lastModified, Owner: owner(v.owner) };
  if (v.isDeleteMarker) return common;
  return { ...common, ETag: v.etag, Size: v.size, StorageClass: v.storageClass, ChecksumAlgorithm: v.checksum?.algorithm, ChecksumType: v.checksum?.type };
}

/** One ListObjectVersions entry (<Version> or <DeleteMarker>) as XML; `key` is already encoded. */
export function versionXml(v: ObjectVersion, key: string, isLatest: boolean): string {
  const name = v.isDeleteMarker ? "DeleteMarker" : "Version";
  let s = `<${name}>${el("Key", key)}${el("VersionId", v.versionId)}<IsLatest>${isLatest}</IsLatest><LastModified>${v.lastModified.toISOString()}</LastModified>${ownerXml(v.owner)}`;
  if (!v.isDeleteMarker)
    s +=
      etagEl(v.etag) +
      `<Size>${v.size}</Size>` +
      enumEl("StorageClass", v.storageClass) +
      enumEl("ChecksumAlgorithm", v.checksum?.algorithm) +
      enumEl("ChecksumType", v.checksum?.type);
  return `${s}</${name}>`;
}

/**
 * A page's entries written into one buffer (pageWriter), each entry's XML as bytes: joining them into one string
 * and encoding that for the socket cost about three times as much (V8 flattens and copies the text twice).
 */
function rendered<T>(items: T[], xml: (item: T) => string): Utf8Writer {
  const out = pageWriter(items.length * 320);
  for (const it of items) out.write(xml(it));
  return out;
}

export function ListObjectsV2(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const q = input.query;
  const enc = listEncoder(input);
  const prefix = q.prefix ?? "";
  const delimiter = q.delimiter ?? "";
  const max = maxKeys(input, "v2");
  let after = q["start-after"] ?? "";
  const token = q["continuation-token"];
  // An empty or unknown continuation-token is refused as AWS refuses it (naming the argument, not its value).
  if (token === "") throw S3Errors.invalidArgument("The continuation token provided is incorrect", "continuation-token");
  if (token !== undefined) {
    let t: string;
    try {
      t = Buffer.from(q["continuation-token"], "base64url").toString("utf8");
      if (!t.startsWith("k:")) throw new Error();
    } catch {
      throw S3Errors.invalidArgument("The continuation token provided is incorrect", "continuation-token");
    }
    after = t.slice(2);
  }
  const w = walk(b, prefix, delimiter, after, max);
  const restoreNow = restoreClock(ctx, input);
  const page = rendered(w.contents, (v) => contentsXml(v, enc, q["fetch-owner"] === "true", restoreNow));
  const reply = xmlReplyAround(
    "ListBucketResult",
    {
      Name: b.name,
      Prefix: enc(prefix),
      Delimiter: delimiter ? enc(delimiter) : undefined,
      MaxKeys: max,
      EncodingType: q["encoding-type"],
      KeyCount: w.contents.length + w.prefixes.length,
      IsTruncated: w.truncated,
      ContinuationToken: q["continuation-token"],
      NextContinuationToken: w.truncated && w.last !== undefined ? Buffer.from(`k:${w.last}`).toString("base64url") : undefined,
      // A continuation token takes over from start-after, which AWS then does not echo.
      StartAfter: q["start-after"] !== undefined && token === undefined ? enc(q["start-after"]) : undefined,
      Contents: PAGE_HERE,
      CommonPrefixes: w.prefixes.map((p) => ({ Prefix: enc(p) })),
    },
    page,
  );
  // S3 names the bucket's region on listings too (clients use it to redirect).
  reply.headers["x-amz-bucket-region"] = b.region;
  return reply;
}

export function ListObjects(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const q = input.query;
  const enc = listEncoder(input);
  const prefix = q.prefix ?? "";
  const delimiter = q.delimiter ?? "";
  const max = maxKeys(input, "v1");
  const w = walk(b, prefix, delimiter, q.marker ?? "", max);
  const restoreNow = restoreClock(ctx, input);
  const page = rendered(w.contents, (v) => contentsXml(v, enc, true, restoreNow));
  const reply = xmlReplyAround(
    "ListBucketResult",
    {
      Name: b.name,
      // Under encoding-type=url the Prefix is encoded too, as the API reference lists it and the Java SDK decodes it
      // (its ListObjectsIntegrationTest lists under "special-chars-@$%"); boto3 leaves a v1 Prefix encoded.
      Prefix: enc(prefix),
      Marker: enc(q.marker ?? ""),
      NextMarker: w.truncated && delimiter && w.last !== undefined ? enc(w.last) : undefined,
      MaxKeys: max,
      Delimiter: delimiter ? enc(delimiter) : undefined,
      EncodingType: q["encoding-type"],
      IsTruncated: w.truncated,
      Contents: PAGE_HERE,
      CommonPrefixes: w.prefixes.map((p) => ({ Prefix: enc(p) })),
    },
    page,
  );
  // S3 names the bucket's region on listings too (clients use it to redirect).
  reply.headers["x-amz-bucket-region"] = b.region;
  return reply;
}

export function ListObjectVersions(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const q = input.query;
  const enc = listEncoder(input);
  const prefix = q.prefix ?? "";
  const delimiter = q.delimiter ?? "";
  const max = maxKeys(input, "versions");
  const keyMarker = q["key-marker"] ?? "";
  const vMarker = q["version-id-marker"];
  if (vMarker !== undefined && q["key-marker"] === undefined)
    throw S3Errors.invalidArgument("A version-id marker cannot be specified without a key marker.", "version-id-marker", vMarker);
  if (vMarker === "") throw S3Errors.invalidArgument("A version-id marker cannot be empty.", "version-id-marker", "");
  if (vMarker !== undefined && !wellFormedVersionId(vMarker)) throw S3Errors.invalidArgument("Invalid version id specified", "version-id-marker", vMarker);
  // <Version> and <DeleteMarker> interleaved in (key, newest-first) order, as S3 lists them: clients such as
  // minio-go read the order of the two elements (a key's current delete marker comes before its older versions).
  // The page's buffer is sized from the bytes entries have taken, so that it rarely grows.
  const entries = pageWriter(Math.min(max, 1000) * versionEntryBytes);
  const entriesStart = entries.pos;
  const prefixes: string[] = [];
  const resumeCp = resumedPrefix(keyMarker, prefix, delimiter);
  let count = 0;
  let truncated = false;
  let nextKey: string | undefined;
  let nextVersion: string | undefined;
  let i = keyMarker && vMarker ? keyIndex(b, keyMarker, true) : keyMarker ? keyIndex(b, keyMarker) : keyIndex(b, prefix, true);
  outer: for (; i < b.keys.length; i++) {
    const key = b.keys[i]!;
    if (!key.startsWith(prefix)) {
      if (key > prefix) break;
      continue;
    }
    if (delimiter) {
      const d = key.indexOf(delimiter, prefix.length);
      if (d >= 0) {
        const cp = key.slice(0, d + delimiter.length);
        if (prefixes[prefixes.length - 1] === cp || cp === resumeCp) continue;
        if (count >= max) {
          truncated = max > 0;
          break;
        }
        prefixes.push(cp);
        count++;
        nextKey = cp;
        nextVersion = undefined;
        continue;
      }
    }
    const versions = b.objects.get(key)!.versions;
    let start = 0;
    if (key === keyMarker && vMarker !== undefined) {
      start = versions.findIndex((v) => v.versionId === vMarker) + 1;
      if (start === 0) {
        // The marker version is gone (deleted between pages): resume at the first older version, as AWS does.
        const seq = versionSeq(vMarker);
        start = seq === undefined ? -1 : versions.findIndex((v) => (versionSeq(v.versionId) ?? v.lastModified.getTime() * 1000) < seq);
        if (start < 0) continue;
      }
    }
    for (let j = start; j < versions.length; j++) {
      if (count >= max) {
        truncated = max > 0;
        break outer;
      }
      const v = versions[j]!;
      entries.write(versionXml(v, enc(key), j === 0));
      count++;
      nextKey = key;
      nextVersion = v.versionId;
    }
  }
  if (count > 0) versionEntryBytes = Math.min(4096, Math.max(versionEntryBytes, Math.ceil(((entries.pos - entriesStart) / count) * 1.125)));
  return xmlReplyAround(
    "ListVersionsResult",
    {
      Name: b.name,
      Prefix: enc(prefix),
      KeyMarker: enc(keyMarker),
      VersionIdMarker: vMarker ?? "",
      NextKeyMarker: truncated && nextKey !== undefined ? enc(nextKey) : undefined,
      NextVersionIdMarker: truncated && nextVersion !== undefined ? nextVersion : undefined,
      MaxKeys: max,
      Delimiter: delimiter ? enc(delimiter) : undefined,
      EncodingType: q["encoding-type"],
      IsTruncated: truncated,
      Version: PAGE_HERE,
      CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })),
    },
    entries,
  );
}

/** Bytes a ListObjectVersions entry has taken (grows with the pages seen; 400 to start). */
let versionEntryBytes = 400;
