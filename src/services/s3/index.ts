/**
 * S3 (REST-XML): buckets, objects, listings, versioning, multipart, copy, tagging, presigned URLs (with expiry)
 * and browser POST uploads, with what today's SDKs send by default: aws-chunked bodies (signed or with
 * trailing checksums), flexible checksums (CRC32, CRC32C, CRC64NVME, SHA1, SHA256, SHA512, MD5, XXHASH64, XXHASH3,
 * XXHASH128) verified, stored and returned with ChecksumMode ENABLED, Expect: 100-continue. Bodies stream; objects above 256 KiB live in
 * files in a data directory (generated names). Bucket names are global; each bucket records its owner and region.
 * Also: SSE-S3/SSE-KMS/SSE-C (sse.ts), ACLs and Object Ownership (acl.ts), object lock (lock.ts), lifecycle
 * applied on S3's clock (lifecycle.ts), replication, logging, acceleration, requester pays, id-keyed
 * configurations and restores (subresources.ts), S3 Select (select.ts), Lambda notifications (notify.ts), the
 * static website endpoint (website.ts).
 * SSE-C bodies are encrypted at rest under the customer key (ssec.ts); directory buckets, CreateSession and
 * RenameObject (directory.ts); appends to directory bucket objects with x-amz-write-offset-bytes (append.ts);
 * GetObjectTorrent (torrent.ts); part reads' checksums (part-checksum.ts); SSE-KMS's need for SigV4 (kms-sigv4.ts).
 * Gaps: signatures (iam/enforce.ts), ACLs and bucket policies (access.ts) are checked only under --enforce-iam,
 * except for another account's signed requests, whose access the bucket's policy and ACLs decide in every mode;
 * SNS/SQS notification destinations are stored only; S3 Metadata configurations are kept on the bucket but no
 * journal or inventory record is written (metadata.ts: awsim has no S3 Tables); Object Lambda's
 * WriteGetObjectResponse answers 501; EntityTooSmall applies under --strict only.
 */
import type { Ctx, Handler, ServiceDefinition } from "../core/types.js";
import { isModelOutput, isRawOutput } from "../core/types.js";
import { AwsError } from "../../protocols/aws-error.js";
import { header } from "../../protocols/http.js";
import { writeAccessLog } from "./access-log.js";
import { PutOrAppendObject } from "./append.js";
import { CorsPreflight, corsHeaders } from "./cors.js";
import { removeDataDir } from "./blobs.js";
import {
  CreateBucket,
  DeleteBucket,
  DeleteBucketEncryption,
  deleteConfig,
  DeleteBucketOwnershipControls,
  DeleteBucketTagging,
  DeletePublicAccessBlock,
  GetBucketAcl,
  GetBucketEncryption,
  GetBucketLocation,
  GetBucketOwnershipControls,
  GetBucketPolicyStatus,
  GetBucketTagging,
  GetBucketVersioning,
  getConfig,
  GetPublicAccessBlock,
  HeadBucket,
  ListBuckets,
  PutBucketAcl,
  PutBucketEncryption,
  PutBucketOwnershipControls,
  PutBucketTagging,
  PutBucketVersioning,
  putConfig,
  PutPublicAccessBlock,
} from "./buckets.js";
import { CreateSession, ListDirectoryBuckets, RenameObject, sessionPrincipal, zonalChecks } from "./directory.js";
import { S3Errors } from "./errors.js";
import { refuseSigV2 } from "./common.js";
import { GetObjectTorrent } from "./torrent.js";
import { DeleteBucketLifecycle, GetBucketLifecycleConfiguration, PutBucketLifecycleConfiguration, startSweeper } from "./lifecycle.js";
import { ListObjects, ListObjectsV2, ListObjectVersions } from "./list.js";
import {
  GetObjectLegalHold,
  GetObjectLockConfiguration,
  GetObjectRetention,
  PutObjectLegalHold,
  PutObjectLockConfiguration,
  PutObjectRetention,
} from "./lock.js";
import {
  AbortMultipartUpload,
  CompleteMultipartUpload,
  CreateMultipartUpload,
  ListMultipartUploads,
  ListParts,
  UploadPart,
  UploadPartCopy,
} from "./multipart.js";
import {
  CopyObject,
  DeleteObject,
  DeleteObjects,
  DeleteObjectTagging,
  GetObject,
  GetObjectAcl,
  GetObjectAttributes,
  GetObjectTagging,
  HeadObject,
  PutObjectAcl,
  PutObjectTagging,
} from "./objects.js";
import {
  deleteIdConfig,
  DeleteBucketReplication,
  GetBucketAccelerateConfiguration,
  GetBucketLogging,
  GetBucketReplication,
  GetBucketRequestPayment,
  getIdConfig,
  listIdConfigs,
  PutBucketAccelerateConfiguration,
  PutBucketLogging,
  PutBucketReplication,
  PutBucketRequestPayment,
  putIdConfig,
  RestoreObject,
  GetBucketAbac,
  PutBucketAbac,
  UpdateObjectEncryption,
} from "./subresources.js";
import {
  CreateBucketMetadataConfiguration,
  CreateBucketMetadataTableConfiguration,
  DeleteBucketMetadataConfiguration,
  DeleteBucketMetadataTableConfiguration,
  GetBucketMetadataConfiguration,
  GetBucketMetadataTableConfiguration,
  UpdateBucketMetadataInventoryTableConfiguration,
  UpdateBucketMetadataJournalTableConfiguration,
} from "./metadata.js";
import { requireSigV4ForKms } from "./kms-sigv4.js";
import { withPartChecksum } from "./part-checksum.js";
import { PostObject } from "./post.js";
import { authorizeS3, listsMissingObjects, missingObjectAnswer } from "./access.js";
import { checkBucketRegion } from "./region.js";
import { routeS3, type S3Input } from "./route.js";
import { SelectObjectContent } from "./select.js";
import { WebsiteGet } from "./website.js";
import { createS3State, type S3State } from "./state.js";

/** A presigned URL past its X-Amz-Date + X-Amz-Expires is refused, as S3 refuses it. */
function checkExpiry(input: S3Input, now: Date): void {
  checkQueryAuthParams(input.query);
  const v2 = input.query.AWSAccessKeyId !== undefined ? input.query.Expires : undefined;
  if (v2 !== undefined && /^\d+$/.test(v2) && now.getTime() > Number(v2) * 1000) {
    throw Object.assign(S3Errors.accessDenied("Request has expired"), {
      extra: { Expires: new Date(Number(v2) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"), ServerTime: now.toISOString().replace(/\.\d{3}Z$/, "Z") },
    });
  }
  const date = input.query["X-Amz-Date"];
  const expires = input.query["X-Amz-Expires"];
  if (!date || !expires) return;
  if (input.query["X-Amz-Credential"] !== undefined) {
    // SigV4 query authentication's own limits (AuthorizationQueryParametersError, AWS's messages).
    if (!/^-?\d+$/.test(expires)) throw queryAuthError("X-Amz-Expires should be a number");
    if (Number(expires) < 0) throw queryAuthError("X-Amz-Expires must be non-negative");
    if (Number(expires) > 604800)
      throw queryAuthError("X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds");
  }
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  if (!m) return;
  const signed = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  const until = signed + Number(expires) * 1000;
  if (now.getTime() > until) {
    const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
    throw Object.assign(S3Errors.accessDenied("Request has expired"), {
      extra: { "X-Amz-Expires": expires, Expires: iso(until), ServerTime: iso(now.getTime()) },
    });
  }
}

const V4_QUERY = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires"];
/** A presigned URL must carry every parameter of its signature version (AWS checks before the signature). */
function checkQueryAuthParams(q: Record<string, string | undefined>): void {
  if (q["X-Amz-Algorithm"] !== undefined || q["X-Amz-Credential"] !== undefined || q["X-Amz-Signature"] !== undefined) {
    if (V4_QUERY.some((k) => q[k] === undefined))
      throw queryAuthError(
        "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
      );
    // <access key>/<date>/<region>/<service>/aws4_request once the query is decoded (a doubly encoded one is not).
    const scope = q["X-Amz-Credential"]!.split("/");
    if (scope.length !== 5 || scope[4] !== "aws4_request")
      throw queryAuthError(
        'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
      );
  } else if (
    (q.AWSAccessKeyId !== undefined || q.Signature !== undefined) &&
    (q.AWSAccessKeyId === undefined || q.Signature === undefined || q.Expires === undefined)
  )
    throw S3Errors.accessDenied("Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters");
}

/**
 * A SigV2 presigned URL carries the request's x-amz-* headers, Content-Type and Content-MD5 as query
 * parameters (the SDKs put them there, since the signature covers them); S3 takes them as those headers.
 * A header sent with the request wins.
 */
function v2QueryHeaders(input: S3Input): void {
  for (const [k, v] of Object.entries(input.query)) {
    const name = k.toLowerCase();
    if ((name.startsWith("x-amz-") || name === "content-type" || name === "content-md5") && input.req.headers[name] === undefined) input.req.headers[name] = v;
  }
}

/**
 * The headers a SigV4 presigned URL's query parameters stand for, as if sent as headers: the SDKs that hoist x-amz-*
 * headers into the URL (JS v3, Ruby, Go v2) put them there. S3 stores x-amz-meta-* (JS v3's maintainers checked
 * against S3) and applies x-amz-acl (a canned ACL given as a query parameter is applied: aws-sdk-java-v2#1849, on
 * SDK v1's addRequestParameter). Not applied, as S3 does not read them there: x-amz-tagging (aws-sdk-go-v2#1017, the
 * Go SDK's maintainers; aws-sdk-js-v3#3496 observed on S3; floci#3608 reports the opposite in 2026) and the
 * x-amz-server-side-encryption* headers (S3 takes them only as signed headers: aws-sdk-js-v3#1701, aws-sdk-ruby#874,
 * aws-sdk-go-v2#2228); the others (storage class, grants, object lock, website redirect) have no record either way
 * and are not applied. A header sent with the request wins.
 */
const v4QueryHeader = (name: string) => name.startsWith("x-amz-meta-") || name === "x-amz-acl";

function v4QueryHeaders(input: S3Input): void {
  for (const [k, v] of Object.entries(input.query)) {
    const name = k.toLowerCase();
    if (v4QueryHeader(name) && input.req.headers[name] === undefined) input.req.headers[name] = v;
  }
}

const queryAuthError = (message: string) =>
  Object.assign(S3Errors.invalidRequest(message), { code: "AuthorizationQueryParametersError", name: "AuthorizationQueryParametersError" });

/** A SigV2 request (header or presigned URL) to a bucket in a SigV4-only Region is refused before anything else, as S3 refuses it. */
function checkSigV2Region(st: S3State, input: S3Input): void {
  if (!input.bucket) return;
  const auth = input.req.headers.authorization;
  if (input.query.AWSAccessKeyId === undefined && !(typeof auth === "string" && auth.startsWith("AWS "))) return;
  const region = st.buckets.get(input.bucket)?.region;
  if (region !== undefined) refuseSigV2(region);
}

type S3Handler = (ctx: Ctx, input: S3Input) => unknown;

/** Every operation checks presigned expiry first; a request with an Origin gets the bucket's CORS headers. */
function op(h: S3Handler, name: string): Handler {
  const run = (ctx: Ctx, input: S3Input) => {
    checkExpiry(input, ctx.now());
    const st = ctx.state<S3State>();
    if (!st.accounts?.has(ctx.accountId)) (st.accounts ??= new Set()).add(ctx.accountId);
    checkSigV2Region(st, input);
    checkBucketRegion(ctx, st, input, name);
    // Headers a presigned URL carries in its query apply as headers (bucket policy conditions such as s3:x-amz-acl too).
    if (input.query.AWSAccessKeyId !== undefined) v2QueryHeaders(input);
    else if (input.query["X-Amz-Signature"] !== undefined) v4QueryHeaders(input);
    authorizeS3(ctx, input, name);
    requireSigV4ForKms(ctx, input, name);
    // Directory buckets (names end in --x-s3, which general purpose names cannot): sessions and their rules.
    if (input.bucket?.endsWith("--x-s3")) zonalChecks(ctx, input, name);
    // Under --enforce-iam the owner's IAM identities see a missing object only if they may list the bucket.
    const hh: S3Handler = listsMissingObjects(ctx, input, name) ? (c, i) => missingObjectAnswer(c, i, name, () => h(c, i)) : h;
    if (input.req.headers["x-amz-request-payer"] !== undefined && CHARGED.has(name) && chargesRequester(ctx, st, input)) return charged(ctx, input, hh);
    // Server access logging costs one counter check while no bucket logs.
    if (st.loggingBuckets > 0 && input.bucket) return logged(ctx, input, hh);
    return hh(ctx, input);
  };
  return (ctx, input: S3Input) => (input.req.headers.origin !== undefined && input.bucket ? withCors(ctx, input, run) : run(ctx, input));
}

/** The operations whose outputs have RequestCharged (the model's x-amz-request-charged). */
const CHARGED = new Set([
  "AbortMultipartUpload",
  "CompleteMultipartUpload",
  "CopyObject",
  "CreateMultipartUpload",
  "DeleteObject",
  "DeleteObjects",
  "GetBucketAccelerateConfiguration",
  "GetObject",
  "GetObjectAcl",
  "GetObjectAttributes",
  "GetObjectTorrent",
  "HeadObject",
  "ListMultipartUploads",
  "ListObjectVersions",
  "ListObjects",
  "ListObjectsV2",
  "ListParts",
  "PutObject",
  "PutObjectAcl",
  "PutObjectLegalHold",
  "PutObjectLockConfiguration",
  "PutObjectRetention",
  "RestoreObject",
  "UpdateObjectEncryption",
  "UploadPart",
  "UploadPartCopy",
]);

/** A request another account makes to a Requester Pays bucket, acknowledging the charge: the requester pays. */
function chargesRequester(ctx: Ctx, st: S3State, input: S3Input): boolean {
  const b = input.bucket === undefined ? undefined : st.buckets.get(input.bucket);
  return b?.requesterPays === true && b.owner !== ctx.accountId && header(input.req, "x-amz-request-payer") === "requester";
}

/** A charged request's answer says so: x-amz-request-charged: requester (Requester Pays buckets). */
async function charged(ctx: Ctx, input: S3Input, h: S3Handler): Promise<unknown> {
  const st = ctx.state<S3State>();
  const out = await (st.loggingBuckets > 0 ? logged(ctx, input, h) : h(ctx, input));
  if (isModelOutput(out)) out.RequestCharged = "requester";
  else if (isRawOutput(out)) out.headers = { ...out.headers, "x-amz-request-charged": "requester" };
  return out;
}

async function withCors(ctx: Ctx, input: S3Input, run: (ctx: Ctx, input: S3Input) => unknown): Promise<unknown> {
  try {
    const out = (await run(ctx, input)) as { headers?: Record<string, string> } | undefined;
    const cors = corsHeaders(ctx, input);
    if (cors && out && typeof out === "object") out.headers = { ...out.headers, ...cors };
    return out;
  } catch (e) {
    const cors = corsHeaders(ctx, input);
    if (cors && e instanceof AwsError) Object.assign(e, { headers: { ...e.headers, ...cors } });
    throw e;
  }
}

async function logged(ctx: Ctx, input: S3Input, h: S3Handler): Promise<unknown> {
  const started = Date.now();
  const b = ctx.state<S3State>().buckets.get(input.bucket!);
  try {
    const out = (await h(ctx, input)) as { status?: number; headers?: Record<string, string> } | undefined;
    if (b?.configs.has("logging")) {
      const len = out?.headers?.["content-length"];
      writeAccessLog(ctx, b, input, out?.status ?? 200, undefined, len === undefined ? undefined : Number(len), started);
    }
    return out;
  } catch (e) {
    const err = e as { status?: number; code?: string };
    if (b?.configs.has("logging")) writeAccessLog(ctx, b, input, err.status ?? 500, err.code, undefined, started);
    throw e;
  }
}

const ops: Record<string, S3Handler> = {
  ListBuckets,
  CreateBucket,
  DeleteBucket,
  HeadBucket,
  GetBucketLocation,
  GetBucketVersioning,
  PutBucketVersioning,
  GetBucketTagging,
  PutBucketTagging,
  DeleteBucketTagging,
  GetBucketAcl,
  PutBucketAcl,
  GetBucketCors: getConfig,
  PutBucketCors: putConfig,
  DeleteBucketCors: deleteConfig,
  GetBucketPolicy: getConfig,
  PutBucketPolicy: putConfig,
  DeleteBucketPolicy: deleteConfig,
  GetBucketPolicyStatus,
  GetBucketLifecycleConfiguration,
  PutBucketLifecycleConfiguration,
  DeleteBucketLifecycle,
  GetBucketLogging,
  PutBucketLogging,
  GetBucketAccelerateConfiguration,
  PutBucketAccelerateConfiguration,
  GetBucketRequestPayment,
  PutBucketRequestPayment,
  GetBucketReplication,
  PutBucketReplication,
  DeleteBucketReplication,
  GetBucketInventoryConfiguration: getIdConfig,
  PutBucketInventoryConfiguration: putIdConfig,
  DeleteBucketInventoryConfiguration: deleteIdConfig,
  ListBucketInventoryConfigurations: listIdConfigs,
  GetBucketMetricsConfiguration: getIdConfig,
  PutBucketMetricsConfiguration: putIdConfig,
  DeleteBucketMetricsConfiguration: deleteIdConfig,
  ListBucketMetricsConfigurations: listIdConfigs,
  GetBucketAnalyticsConfiguration: getIdConfig,
  PutBucketAnalyticsConfiguration: putIdConfig,
  DeleteBucketAnalyticsConfiguration: deleteIdConfig,
  ListBucketAnalyticsConfigurations: listIdConfigs,
  GetBucketIntelligentTieringConfiguration: getIdConfig,
  PutBucketIntelligentTieringConfiguration: putIdConfig,
  DeleteBucketIntelligentTieringConfiguration: deleteIdConfig,
  ListBucketIntelligentTieringConfigurations: listIdConfigs,
  RestoreObject,
  SelectObjectContent,
  GetBucketAbac,
  PutBucketAbac,
  UpdateObjectEncryption,
  GetBucketEncryption,
  PutBucketEncryption,
  DeleteBucketEncryption,
  GetBucketWebsite: getConfig,
  PutBucketWebsite: putConfig,
  DeleteBucketWebsite: deleteConfig,
  GetPublicAccessBlock,
  PutPublicAccessBlock,
  DeletePublicAccessBlock,
  GetBucketOwnershipControls,
  PutBucketOwnershipControls,
  DeleteBucketOwnershipControls,
  GetBucketNotificationConfiguration: getConfig,
  PutBucketNotificationConfiguration: putConfig,
  // The deprecated operations share their URIs with the current ones: the same handlers serve them.
  GetBucketNotification: getConfig,
  PutBucketNotification: putConfig,
  GetBucketLifecycle: GetBucketLifecycleConfiguration,
  PutBucketLifecycle: PutBucketLifecycleConfiguration,
  GetObjectLockConfiguration,
  PutObjectLockConfiguration,
  ListObjects,
  ListObjectsV2,
  ListObjectVersions,
  PutObject: PutOrAppendObject,
  GetObject: withPartChecksum(GetObject),
  HeadObject: withPartChecksum(HeadObject),
  DeleteObject,
  DeleteObjects,
  CopyObject,
  GetObjectAttributes,
  GetObjectTagging,
  PutObjectTagging,
  DeleteObjectTagging,
  GetObjectAcl,
  PutObjectAcl,
  GetObjectRetention,
  PutObjectRetention,
  GetObjectLegalHold,
  PutObjectLegalHold,
  CreateMultipartUpload,
  UploadPart,
  UploadPartCopy,
  CompleteMultipartUpload,
  AbortMultipartUpload,
  ListParts,
  ListMultipartUploads,
  PostObject,
  WebsiteGet,
  CorsPreflight,
  ListDirectoryBuckets,
  CreateSession,
  RenameObject,
  GetObjectTorrent,
  CreateBucketMetadataConfiguration,
  GetBucketMetadataConfiguration,
  DeleteBucketMetadataConfiguration,
  UpdateBucketMetadataInventoryTableConfiguration,
  UpdateBucketMetadataJournalTableConfiguration,
  CreateBucketMetadataTableConfiguration,
  GetBucketMetadataTableConfiguration,
  DeleteBucketMetadataTableConfiguration,
};

const s3: ServiceDefinition<S3State> = {
  name: "s3",
  protocol: "rest-xml",
  scope: "global",
  createState: ({ sim }) => {
    const st = createS3State(sim.config.dataDir);
    startSweeper(st);
    return st;
  },
  counts: (st) => {
    let objects = 0;
    for (const b of st.buckets.values()) objects += b.objects.size;
    return { buckets: st.buckets.size, objects };
  },
  dispose: (st) => {
    if (st.timer) clearInterval(st.timer);
    st.buckets.clear();
    removeDataDir(st);
  },
  route: (req) => routeS3(req),
  identify: (st, akid) => sessionPrincipal(st, akid),
  operations: Object.fromEntries(Object.entries(ops).map(([k, h]) => [k, op(h, k)])),
};

export default s3;
