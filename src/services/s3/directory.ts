/**
 * Directory buckets (S3 Express One Zone): CreateBucket with a `base--zone-id--x-s3` name and a Directory
 * configuration, ListDirectoryBuckets (ListBuckets leaves them out), CreateSession (5-minute session
 * credentials whose access key id maps back to the caller's account; requests carrying
 * x-amz-s3session-token are checked against the session: bucket, expiry, ReadOnly mode), RenameObject with
 * its source/destination conditions and client-token idempotency, the ListObjectsV2 prefix rule, objects in
 * EXPRESS_ONEZONE, and 501 NotImplemented for what directory buckets lack (versioning, tagging, ACLs, object
 * lock, ListObjects v1, SSE-C, ...).
 * The SDKs address a directory bucket behind an IP endpoint path-style as `/bucket//key`: the extra slash is
 * the SDK's, not part of the key (route.ts drops it). Behind a custom endpoint they also open a session before
 * CreateBucket, so CreateSession answers for a valid directory bucket name not created yet.
 */
import { randomBytes } from "node:crypto";
import { header, readBody } from "../../protocols/http.js";
import { accessKeyId } from "../core/ids.js";
import type { Ctx, Principal } from "../core/types.js";
import { empty, etagMatches, getBucket, readXml, s3now, s3state, wholeSecond, xmlReply } from "./common.js";
import { S3Errors } from "./errors.js";
import { checkKey, commitVersion } from "./objects.js";
import type { S3Input } from "./route.js";
import { removeKey, type Bucket, type S3State } from "./state.js";
import { AwsError } from "../../protocols/aws-error.js";

export const DIRECTORY_SUFFIX = "--x-s3";
const ZONE = /^[a-z]{2,4}\d(?:-[a-z]+\d+)?-az\d+$/;
const SESSION_MS = 5 * 60 * 1000;

export interface S3Session {
  accessKeyId: string;
  secret: string;
  token: string;
  bucket: string;
  mode: "ReadWrite" | "ReadOnly";
  expiration: Date;
  principal: Principal;
}

/** The zone id of a valid directory bucket name, else undefined. */
export function directoryZone(name: string): string | undefined {
  if (name.length < 3 || name.length > 63 || !name.endsWith(DIRECTORY_SUFFIX)) return undefined;
  if (!/^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(name) || /^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return undefined;
  const m = /^(.+?)--([a-z0-9-]+)--x-s3$/.exec(name);
  if (!m || !/[a-z0-9]$/.test(m[1]!) || !ZONE.test(m[2]!)) return undefined;
  return m[2];
}

const text = (v: unknown) =>
  v === undefined || v === null ? undefined : typeof v === "object" ? String((v as { "#text"?: unknown })["#text"] ?? "") : String(v);

export async function createDirectoryBucket(ctx: Ctx, input: S3Input) {
  const name = input.bucket!;
  const zone = directoryZone(name);
  if (!zone) throw S3Errors.invalidBucketName(name);
  const body = await readBody(input.req, 64 * 1024);
  // Without its Directory configuration the name is judged as a general purpose one: --x-s3 is reserved.
  if (!body.length) throw S3Errors.invalidBucketName(name);
  const { doc } = await readXml({ ...input, req: { ...input.req, _body: Promise.resolve(body) } as typeof input.req });
  const cfg = doc.CreateBucketConfiguration;
  if (!cfg || typeof cfg !== "object") throw S3Errors.malformedXml();
  // A LocationConstraint has no place in a directory bucket's configuration (MalformedXML, as AWS answers).
  if (cfg.LocationConstraint !== undefined) throw S3Errors.malformedXml();
  const locType = text(cfg.Location?.Type);
  const locName = text(cfg.Location?.Name);
  const type = text(cfg.Bucket?.Type);
  const redundancy = text(cfg.Bucket?.DataRedundancy);
  if (type !== "Directory" || (locType !== "AvailabilityZone" && locType !== "LocalZone")) throw S3Errors.invalidBucketName(name);
  const want = locType === "AvailabilityZone" ? "SingleAvailabilityZone" : "SingleLocalZone";
  if (redundancy !== undefined && redundancy !== "SingleAvailabilityZone" && redundancy !== "SingleLocalZone") throw S3Errors.malformedXml();
  if (redundancy !== undefined && redundancy !== want)
    throw S3Errors.invalidRequest(`The DataRedundancy ${redundancy} is not supported for the location type ${locType}.`);
  if (locName !== undefined && locName !== zone) throw S3Errors.invalidBucketName(name);
  const st = s3state(ctx);
  const existing = st.buckets.get(name);
  if (existing) {
    if (existing.owner !== ctx.accountId) throw S3Errors.bucketAlreadyExists(name);
    throw S3Errors.bucketAlreadyOwnedByYou(name);
  }
  const b: Bucket = {
    name,
    owner: ctx.accountId,
    region: ctx.region,
    created: s3now(ctx),
    keys: [],
    objects: new Map(),
    uploads: new Map(),
    configs: new Map(),
    idConfigs: new Map(),
    objectLockEnabled: false,
    // Directory buckets: bucket owner enforced, Block Public Access on, SSE-S3 by default, no SSE-C.
    ownership: "BucketOwnerEnforced",
    pab: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    defaultSse: { algorithm: "AES256", bucketKey: true },
    blockSseC: true,
    directory: { zone, type: locType, dataRedundancy: want },
  };
  st.buckets.set(name, b);
  return empty(200, { location: `/${name}`, "x-amz-bucket-arn": directoryArn(b) });
}

export const directoryArn = (b: Bucket) => `arn:aws:s3express:${b.region}:${b.owner}:bucket/${b.name}`;

/** GET / on the regional (s3express-control) endpoint: the caller's directory buckets, paginated. */
export function ListDirectoryBuckets(ctx: Ctx, input: S3Input) {
  const q = input.query;
  const raw = q["max-directory-buckets"];
  const max = raw === undefined ? 1000 : Number(raw);
  if (!/^\d+$/.test(raw ?? "0") || max > 1000)
    throw S3Errors.invalidArgument("Argument max-directory-buckets must be an integer between 0 and 1000.", "max-directory-buckets", raw);
  let after = "";
  if (q["continuation-token"]) {
    after = Buffer.from(q["continuation-token"], "base64url").toString("utf8");
    if (!after.startsWith("d:")) throw S3Errors.invalidArgument("The continuation token provided is incorrect", "continuation-token", q["continuation-token"]);
    after = after.slice(2);
  }
  const all = [...s3state(ctx).buckets.values()]
    .filter((b) => b.directory && b.owner === ctx.accountId && b.name > after)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const page = all.slice(0, max || 1000);
  const truncated = all.length > page.length;
  return xmlReply("ListAllMyDirectoryBucketsResult", {
    Buckets: { Bucket: page.map((b) => ({ Name: b.name, CreationDate: wholeSecond(b.created), BucketRegion: b.region, BucketArn: directoryArn(b) })) },
    ContinuationToken: truncated ? Buffer.from(`d:${page[page.length - 1]!.name}`).toString("base64url") : undefined,
  });
}

/** Which GET / is ListDirectoryBuckets: the SDK's x-id, its own query parameter, or an s3express signature. */
export function isListDirectoryBuckets(q: Record<string, string>, auth: string | undefined): boolean {
  return q["x-id"] === "ListDirectoryBuckets" || "max-directory-buckets" in q || (auth?.includes("/s3express/aws4_request") ?? false);
}

export function CreateSession(ctx: Ctx, input: S3Input) {
  const st = s3state(ctx);
  const b = st.buckets.get(input.bucket!);
  // Behind a custom endpoint the SDKs open a session before CreateBucket too (they cannot tell the
  // regional endpoint from the zonal one): a valid directory bucket name that does not exist yet gets one.
  // (An invalid directory bucket name gets the InvalidBucketName CreateBucket would give it.)
  if (!b && input.bucket!.endsWith(DIRECTORY_SUFFIX) && !directoryZone(input.bucket!)) throw S3Errors.invalidBucketName(input.bucket!);
  if (!b?.directory && !(b === undefined && directoryZone(input.bucket!))) throw S3Errors.noSuchBucket(input.bucket!);
  if (b) getBucket(ctx, input);
  const mode = header(input.req, "x-amz-create-session-mode") ?? "ReadWrite";
  if (mode !== "ReadWrite" && mode !== "ReadOnly")
    throw S3Errors.invalidArgument("Invalid x-amz-create-session-mode header", "x-amz-create-session-mode", mode);
  // Sessions live on real time (the SDKs refresh them by the Expiration they were given), not S3's advanced clock.
  const now = ctx.now();
  for (const [k, s] of st.sessions) if (s.expiration <= now) st.sessions.delete(k);
  const session: S3Session = {
    accessKeyId: accessKeyId("ASIA"),
    secret: randomBytes(30).toString("base64"),
    token: randomBytes(96).toString("base64"),
    bucket: input.bucket!,
    mode,
    expiration: new Date(now.getTime() + SESSION_MS),
    principal: ctx.caller ?? { accountId: ctx.accountId, arn: `arn:aws:iam::${ctx.accountId}:root`, userId: ctx.accountId, kind: "root" },
  };
  // The token travels in x-amz-s3session-token and is checked by zonalChecks; the secret verifies signatures (--enforce-iam).
  session.principal = { ...session.principal, expiration: session.expiration, secret: session.secret, sessionToken: undefined };
  st.sessions.set(session.accessKeyId, session);
  return xmlReply(
    "CreateSessionResult",
    {
      Credentials: {
        SessionToken: session.token,
        SecretAccessKey: session.secret,
        AccessKeyId: session.accessKeyId,
        Expiration: session.expiration,
      },
    },
    { "x-amz-server-side-encryption": b?.defaultSse?.algorithm ?? "AES256" },
  );
}

/** Operations a ReadOnly session may call (the CreateSession reference's list), plus HeadBucket. */
const READ_ONLY = new Set(["GetObject", "HeadObject", "ListObjectsV2", "GetObjectAttributes", "ListParts", "ListMultipartUploads", "HeadBucket"]);

/**
 * What directory buckets do not support (the API reference's "not supported for directory buckets"):
 * 501 NotImplemented, as S3 Express answers them.
 */
const UNSUPPORTED = new Set([
  ...["Analytics", "IntelligentTiering"].flatMap((k) => ["Get", "Put", "Delete"].map((verb) => `${verb}Bucket${k}Configuration`)),
  "ListBucketAnalyticsConfigurations",
  "ListBucketIntelligentTieringConfigurations",
  ...["Cors", "Tagging", "Website", "Replication", "OwnershipControls"].flatMap((k) => [`GetBucket${k}`, `PutBucket${k}`, `DeleteBucket${k}`]),
  "GetPublicAccessBlock",
  "PutPublicAccessBlock",
  "DeletePublicAccessBlock",
  "GetBucketAccelerateConfiguration",
  "PutBucketAccelerateConfiguration",
  "GetBucketRequestPayment",
  "PutBucketRequestPayment",
  "GetBucketLogging",
  "PutBucketLogging",
  "GetBucketNotification",
  "PutBucketNotification",
  "GetBucketNotificationConfiguration",
  "PutBucketNotificationConfiguration",
  "GetBucketPolicyStatus",
  "GetBucketVersioning",
  "PutBucketVersioning",
  "GetBucketAcl",
  "PutBucketAcl",
  "GetObjectAcl",
  "PutObjectAcl",
  "GetObjectTagging",
  "PutObjectTagging",
  "DeleteObjectTagging",
  "GetObjectLockConfiguration",
  "PutObjectLockConfiguration",
  "GetObjectRetention",
  "PutObjectRetention",
  "GetObjectLegalHold",
  "PutObjectLegalHold",
  "GetObjectTorrent",
  "ListObjects",
  "ListObjectVersions",
  "PutBucketLifecycle",
  "RestoreObject",
  "SelectObjectContent",
  "UpdateObjectEncryption",
  "GetBucketAbac",
  "PutBucketAbac",
]);

/** Write headers for features directory buckets lack (ACLs, tagging, object lock, website redirects, SSE-C). */
const UNSUPPORTED_HEADERS = [
  "x-amz-acl",
  "x-amz-grant-full-control",
  "x-amz-grant-read",
  "x-amz-grant-read-acp",
  "x-amz-grant-write-acp",
  "x-amz-tagging",
  "x-amz-object-lock-mode",
  "x-amz-object-lock-retain-until-date",
  "x-amz-object-lock-legal-hold",
  "x-amz-website-redirect-location",
  "x-amz-server-side-encryption-customer-algorithm",
];
const WRITES = new Set(["PutObject", "CopyObject", "CreateMultipartUpload"]);

const notImplemented = () => S3Errors.notImplemented();

const tokenError = (code: string, message: string) => new AwsError(code, message, 400);

/**
 * Requests to a `--x-s3` bucket: a session token must be a live session of this bucket (ReadOnly sessions
 * only read), and ListObjectsV2 prefixes must end in the delimiter.
 */
export function zonalChecks(ctx: Ctx, input: S3Input, operation: string): void {
  const token = input.req.headers["x-amz-s3session-token"];
  if (token !== undefined) {
    const s = ctx.accessKeyId ? s3state(ctx).sessions.get(ctx.accessKeyId) : undefined;
    if (!s || s.token !== token) throw tokenError("InvalidToken", "The provided token is malformed or otherwise invalid.");
    if (s.expiration <= ctx.now()) throw tokenError("ExpiredToken", "The provided token has expired.");
    if (s.bucket !== input.bucket) throw S3Errors.accessDenied();
    if (s.mode === "ReadOnly" && !READ_ONLY.has(operation)) throw S3Errors.accessDenied();
  }
  if (!s3state(ctx).buckets.get(input.bucket!)?.directory) return;
  if (UNSUPPORTED.has(operation)) throw notImplemented();
  if (WRITES.has(operation)) {
    if (UNSUPPORTED_HEADERS.some((h) => input.req.headers[h] !== undefined)) throw notImplemented();
    // Directory buckets store objects in S3 Express One Zone only.
    const sc = input.req.headers["x-amz-storage-class"];
    if (sc !== undefined && sc !== "EXPRESS_ONEZONE") throw new AwsError("InvalidStorageClass", "The storage class you specified is not valid", 400);
    // (A copy within the bucket keeps its source's class, so that copy-onto-itself rules still see no change.)
    const source = operation === "CopyObject" ? String(input.req.headers["x-amz-copy-source"] ?? "").replace(/^\//, "") : "";
    if (sc === undefined && !source.startsWith(`${input.bucket}/`) && !source.startsWith(`${encodeURIComponent(input.bucket!)}/`))
      input.req.headers["x-amz-storage-class"] = "EXPRESS_ONEZONE";
  }
  if (operation === "ListObjectsV2") {
    const prefix = input.query.prefix ?? "";
    const delimiter = input.query.delimiter;
    if (delimiter !== undefined && delimiter !== "" && delimiter !== "/")
      throw S3Errors.invalidRequest("This bucket does not support the delimiter specified. Specify '/' as the delimiter and try again.");
    if (prefix !== "" && !prefix.endsWith("/"))
      throw S3Errors.invalidRequest(
        "This bucket does not support a prefix that does not end in a delimiter. Specify a prefix path ending with a delimiter and try again.",
      );
  }
}

/** The session an access key id belongs to (for the account of requests signed with session credentials). */
export function sessionPrincipal(st: S3State, akid: string): Principal | undefined {
  return st.sessions.size ? st.sessions.get(akid)?.principal : undefined;
}

const dateOf = (s: string | undefined) => (s === undefined ? undefined : Date.parse(s));
const newer = (t: Date, since: number) => Math.floor(t.getTime() / 1000) > Math.floor(since / 1000);

/** PUT /bucket/key?renameObject with x-amz-rename-source: an atomic move within a directory bucket. */
export async function RenameObject(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  if (!b.directory) throw S3Errors.invalidRequest("RenameObject is only supported for directory buckets.");
  const key = input.key!;
  checkKey(key);
  const h = (n: string) => header(input.req, n);
  let source = h("x-amz-rename-source");
  if (source === undefined) throw S3Errors.missingRequiredParameter("x-amz-rename-source");
  try {
    source = decodeURIComponent(source);
  } catch {
    throw S3Errors.invalidArgument("Invalid rename source encoding", "x-amz-rename-source", source);
  }
  if (source.startsWith("/")) source = source.slice(1);
  const slash = source.indexOf("/");
  const srcBucket = slash < 0 ? source : source.slice(0, slash);
  // The source is bucket/key, or the key alone: mountpoint-s3's client (run against S3 Express) names only the
  // key (mountpoint-s3-client/src/s3_crt_client/rename_object.rs, tests/rename_object.rs).
  const qualified = srcBucket === b.name || directoryZone(srcBucket) !== undefined;
  const srcKey = !qualified ? source : slash < 0 ? "" : source.slice(slash + 1);
  if (!srcKey) throw S3Errors.invalidArgument("Rename Source must mention the source bucket and key: sourcebucket/sourcekey", "x-amz-rename-source", source);
  if (qualified && srcBucket !== b.name) throw S3Errors.invalidRequest("The source and destination of a rename must be in the same directory bucket.");
  const token = h("x-amz-client-token");
  const renames = (b.directory.renames ??= new Map());
  if (token !== undefined) {
    const seen = renames.get(token);
    if (seen) {
      if (seen.from !== srcKey || seen.to !== key)
        throw new AwsError("IdempotencyParameterMismatch", "Parameters in this request do not match the original request with this client token.", 400);
      return empty(200);
    }
  }
  const src = b.objects.get(srcKey)?.versions[0];
  if (!src || src.isDeleteMarker) throw S3Errors.noSuchKey(srcKey);
  // Source conditions (x-amz-rename-source-if-*).
  const sMatch = h("x-amz-rename-source-if-match");
  const sNone = h("x-amz-rename-source-if-none-match");
  const sMod = dateOf(h("x-amz-rename-source-if-modified-since"));
  const sUnmod = dateOf(h("x-amz-rename-source-if-unmodified-since"));
  // A failed source condition names the condition as the destination's would (Condition If-Match for
  // x-amz-rename-source-if-match, as mountpoint-s3's rename_source_does_not_match meets it on S3 Express).
  if (sMatch !== undefined && !etagMatches(sMatch, src.etag)) throw S3Errors.preconditionFailed("If-Match");
  if (sNone !== undefined && (sNone.trim() === "*" || etagMatches(sNone, src.etag))) throw S3Errors.preconditionFailed("If-None-Match");
  if (sUnmod !== undefined && !Number.isNaN(sUnmod) && newer(src.lastModified, sUnmod)) throw S3Errors.preconditionFailed("If-Unmodified-Since");
  if (sMod !== undefined && !Number.isNaN(sMod) && !newer(src.lastModified, sMod)) throw S3Errors.preconditionFailed("If-Modified-Since");
  // Destination conditions (If-Match, If-None-Match, If-(Un)Modified-Since).
  const dest = b.objects.get(key)?.versions[0];
  const exists = dest !== undefined && !dest.isDeleteMarker;
  const dMatch = h("if-match");
  const dNone = h("if-none-match");
  const dMod = dateOf(h("if-modified-since"));
  const dUnmod = dateOf(h("if-unmodified-since"));
  if (dMatch !== undefined) {
    if (!exists) throw S3Errors.noSuchKey(key);
    if (!etagMatches(dMatch, dest!.etag)) throw S3Errors.preconditionFailed("If-Match");
  }
  if (dNone !== undefined && exists && (dNone.trim() === "*" || etagMatches(dNone, dest!.etag))) throw S3Errors.preconditionFailed("If-None-Match");
  if (dMod !== undefined && !Number.isNaN(dMod) && exists && !newer(dest!.lastModified, dMod)) throw S3Errors.preconditionFailed("If-Modified-Since");
  if (dUnmod !== undefined && !Number.isNaN(dUnmod) && exists && newer(dest!.lastModified, dUnmod)) throw S3Errors.preconditionFailed("If-Unmodified-Since");
  if (srcKey !== key) {
    const entry = b.objects.get(srcKey)!;
    entry.versions.shift();
    if (entry.versions.length === 0) {
      b.objects.delete(srcKey);
      removeKey(b, srcKey);
    }
    commitVersion(b, { ...src, key });
  }
  if (token !== undefined) {
    renames.set(token, { from: srcKey, to: key });
    if (renames.size > 10_000) renames.delete(renames.keys().next().value!);
  }
  return empty(200);
}

/** HeadBucket's extra headers for a directory bucket. */
export function directoryHeadHeaders(b: Bucket): Record<string, string> {
  if (!b.directory) return {};
  return { "x-amz-bucket-location-type": b.directory.type, "x-amz-bucket-location-name": b.directory.zone, "x-amz-bucket-arn": directoryArn(b) };
}
