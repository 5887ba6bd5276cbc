/**
 * S3 routing: the bucket from the Host (virtual-hosted: bucket.s3.amazonaws.com, bucket.s3.<region>.amazonaws.com,
 * bucket.s3-<region>.amazonaws.com, bucket.s3.dualstack.<region>.amazonaws.com, bucket.s3-fips.<region>.amazonaws.com,
 * bucket.s3-accelerate[.dualstack].amazonaws.com, bucket.localhost) or the first path segment (path style, and the seed's
 * /s3/ prefix); the key is the rest of the raw path, percent-decoded once; the operation follows from the
 * method and the sub-resource query parameters.
 */
import { header, parseQueryPairs, safeDecode, type RawRequest } from "../../protocols/http.js";
import { PLAIN_HOST } from "./plain-request.js";
import { isListDirectoryBuckets } from "./directory.js";
import { AwsError } from "../../protocols/aws-error.js";
import { S3Errors } from "./errors.js";

export interface S3Input {
  bucket?: string;
  key?: string;
  query: Record<string, string>;
  req: RawRequest;
  method: string;
  /** "/bucket/key" as S3 reports it in <Resource>. */
  resource: string;
}

const VHOST = [
  /^(.+)\.s3[.-](?:[a-z0-9-]+\.)?amazonaws\.com$/,
  // The dual-stack, FIPS and Transfer Acceleration endpoints (minio-go addresses AWS as bucket.s3.dualstack.<region>.amazonaws.com).
  /^(.+)\.s3(?:-fips|-accelerate)?(?:\.dualstack)?(?:\.[a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$/,
  /^(.+)\.s3\.amazonaws\.com$/,
  /^(.+)\.localhost$/,
  /^(.+)\.s3\.localhost\.localstack\.cloud$/,
  // Directory buckets' zonal endpoint: bucket--zone--x-s3.s3express-zone.region.amazonaws.com.
  /^(.+--x-s3)\.s3express-[a-z0-9-]+\.[a-z0-9-]+\.amazonaws\.com$/,
];

const WEBSITE_HOST = /^(.+)\.s3-website(?:[.-][a-z0-9-]+)?\.(?:amazonaws\.com|localhost)$/;

/** The bucket a virtual-hosted Host names; loopback hosts (PLAIN_HOST, matched first: what clients reach awsim by) name none. */
export function bucketFromHost(host: string | undefined): string | undefined {
  if (!host || PLAIN_HOST.test(host)) return undefined;
  const h = host.replace(/:\d+$/, "").toLowerCase();
  if (/^\d+\.\d+\.\d+\.\d+$/.test(h) || h.startsWith("[")) return undefined;
  for (const re of VHOST) {
    const m = re.exec(h);
    if (m && m[1] !== "s3" && !m[1]!.startsWith("s3.") && !/^s3[.-]/.test(m[1]!)) return m[1];
  }
  return undefined;
}

const BUCKET_GET: Record<string, string> = {
  location: "GetBucketLocation",
  versioning: "GetBucketVersioning",
  tagging: "GetBucketTagging",
  cors: "GetBucketCors",
  policy: "GetBucketPolicy",
  policyStatus: "GetBucketPolicyStatus",
  acl: "GetBucketAcl",
  lifecycle: "GetBucketLifecycleConfiguration",
  encryption: "GetBucketEncryption",
  website: "GetBucketWebsite",
  publicAccessBlock: "GetPublicAccessBlock",
  ownershipControls: "GetBucketOwnershipControls",
  "object-lock": "GetObjectLockConfiguration",
  notification: "GetBucketNotificationConfiguration",
  versions: "ListObjectVersions",
  uploads: "ListMultipartUploads",
  accelerate: "GetBucketAccelerateConfiguration",
  requestPayment: "GetBucketRequestPayment",
  logging: "GetBucketLogging",
  replication: "GetBucketReplication",
  abac: "GetBucketAbac",
};
const BUCKET_PUT: Record<string, string> = {
  versioning: "PutBucketVersioning",
  tagging: "PutBucketTagging",
  cors: "PutBucketCors",
  policy: "PutBucketPolicy",
  acl: "PutBucketAcl",
  lifecycle: "PutBucketLifecycleConfiguration",
  encryption: "PutBucketEncryption",
  website: "PutBucketWebsite",
  publicAccessBlock: "PutPublicAccessBlock",
  ownershipControls: "PutBucketOwnershipControls",
  "object-lock": "PutObjectLockConfiguration",
  notification: "PutBucketNotificationConfiguration",
  accelerate: "PutBucketAccelerateConfiguration",
  requestPayment: "PutBucketRequestPayment",
  logging: "PutBucketLogging",
  replication: "PutBucketReplication",
  abac: "PutBucketAbac",
};
const BUCKET_DELETE: Record<string, string> = {
  tagging: "DeleteBucketTagging",
  cors: "DeleteBucketCors",
  policy: "DeleteBucketPolicy",
  lifecycle: "DeleteBucketLifecycle",
  encryption: "DeleteBucketEncryption",
  website: "DeleteBucketWebsite",
  publicAccessBlock: "DeletePublicAccessBlock",
  ownershipControls: "DeleteBucketOwnershipControls",
  replication: "DeleteBucketReplication",
};
/** Configurations kept by id: ?inventory&id=x (Get/Put/Delete) and ?inventory (List). */
const ID_CONFIG: Record<string, string> = {
  inventory: "BucketInventoryConfiguration",
  metrics: "BucketMetricsConfiguration",
  analytics: "BucketAnalyticsConfiguration",
  "intelligent-tiering": "BucketIntelligentTieringConfiguration",
};
/** S3 Metadata configurations (metadata.ts): the operation by method; any other method is not allowed. */
const METADATA: Record<string, Record<string, string>> = {
  metadataConfiguration: { GET: "GetBucketMetadataConfiguration", POST: "CreateBucketMetadataConfiguration", DELETE: "DeleteBucketMetadataConfiguration" },
  metadataTable: {
    GET: "GetBucketMetadataTableConfiguration",
    POST: "CreateBucketMetadataTableConfiguration",
    DELETE: "DeleteBucketMetadataTableConfiguration",
  },
  metadataInventoryTable: { PUT: "UpdateBucketMetadataInventoryTableConfiguration" },
  metadataJournalTable: { PUT: "UpdateBucketMetadataJournalTableConfiguration" },
};

function pick(query: Record<string, string>, table: Record<string, string>): string | undefined {
  for (const k of Object.keys(query)) if (Object.hasOwn(table, k)) return table[k];
  return undefined;
}

// The id-keyed configurations resolve through the same tables (no extra work for other requests).
for (const k of ["inventory", "metrics", "analytics", "intelligent-tiering"]) {
  BUCKET_GET[k] = k;
  BUCKET_PUT[k] = k;
  BUCKET_DELETE[k] = k;
}

function metadataOperation(method: string, query: Record<string, string>): string | undefined {
  for (const k in METADATA) {
    if (!(k in query)) continue;
    const op = METADATA[k]![method];
    if (!op) throw S3Errors.methodNotAllowed(method, "BUCKET");
    return op;
  }
  return undefined;
}

export function routeS3(req: RawRequest): { operation: string; input: S3Input } {
  let path = req.rawPath;
  if (path === "/s3" || path.startsWith("/s3/")) path = path.slice(3) || "/";
  const query: Record<string, string> = {};
  for (const [k, v] of parseQueryPairs(req.rawQuery)) query[k] = v;
  const host = header(req, "host");
  // The static website endpoint: <bucket>.s3-website(-|.)<region>.amazonaws.com or <bucket>.s3-website.localhost.
  if (host?.includes(".s3-website")) {
    const m = WEBSITE_HOST.exec(host.replace(/:\d+$/, "").toLowerCase());
    if (m) {
      const key = path.length > 1 ? safeDecode(path.slice(1)) : undefined;
      return {
        operation: "WebsiteGet",
        input: { bucket: m[1], key, query, req, method: req.method, resource: `/${m[1]}${key !== undefined ? `/${key}` : ""}` },
      };
    }
  }
  const hostBucket = bucketFromHost(host);
  let bucket: string | undefined;
  let rawKey: string;
  if (hostBucket) {
    bucket = hostBucket;
    rawKey = path.slice(1);
  } else {
    const rest = path.slice(1);
    const slash = rest.indexOf("/");
    bucket = slash < 0 ? rest : rest.slice(0, slash);
    rawKey = slash < 0 ? "" : rest.slice(slash + 1);
    bucket = bucket ? safeDecode(bucket) : undefined;
    // The SDKs address a directory bucket path-style as /bucket//key (and /bucket//?session): that slash is theirs.
    if (rawKey.startsWith("/") && bucket?.endsWith("--x-s3")) rawKey = rawKey.slice(1);
  }
  const key = rawKey === "" ? undefined : safeDecode(rawKey);
  const method = req.method;
  const input: S3Input = { bucket, key, query, req, method, resource: `/${bucket ?? ""}${key !== undefined ? `/${key}` : ""}` };
  checkAuthorizationForm(req, query);
  checkPayloadHash(req);
  const operation = operationFor(method, bucket, key, query, req);
  if ("versionId" in query && WRITES_WITHOUT_VERSION.has(operation)) throw S3Errors.invalidArgument(NO_VERSION_ID, "versionId", query.versionId);
  return { operation, input };
}

/**
 * The Authorization header's form, which S3 judges before any signature: a scheme other than SigV4/SigV4a/SigV2 is
 * "Unsupported Authorization Type", a SigV2 header needs exactly one space, and a header beside query-string
 * authentication is refused (each InvalidArgument naming the header and its value).
 */
function checkAuthorizationForm(req: RawRequest, query: Record<string, string>): void {
  const auth = header(req, "authorization");
  if (auth === undefined) return;
  const scheme = auth.split(" ")[0]!;
  if (scheme !== "AWS4-HMAC-SHA256" && scheme !== "AWS4-ECDSA-P256-SHA256" && scheme !== "AWS")
    throw S3Errors.invalidArgument("Unsupported Authorization Type", "Authorization", auth);
  if (scheme === "AWS4-HMAC-SHA256") checkSigV4Components(auth.slice(scheme.length + 1));
  if (scheme === "AWS" && !/^AWS [^ ]+$/.test(auth))
    throw S3Errors.invalidArgument("Authorization header is invalid -- one and only one ' ' (space) required", "Authorization", auth);
  if (query["X-Amz-Algorithm"] !== undefined || query.Signature !== undefined)
    throw S3Errors.invalidArgument(
      "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified",
      "Authorization",
      auth,
    );
}

const headerMalformed = (detail: string) => new AwsError("AuthorizationHeaderMalformed", `The authorization header is malformed; ${detail}`, 400);

/**
 * The form every SDK signs with (Credential, SignedHeaders, Signature, in that order, comma and optional space): it
 * passes the checks below, so it is accepted by one match.
 */
const SIGV4_COMMON = /^Credential=[^/,\s]+\/[^/,\s]*\/[^/,\s]*\/[^/,\s]*\/aws4_request, ?SignedHeaders=[^,\s]*, ?Signature=[^,\s]*$/;

/** A SigV4 header's three components and its Credential's five parts, with AWS's AuthorizationHeaderMalformed wording. */
function checkSigV4Components(rest: string): void {
  if (SIGV4_COMMON.test(rest)) return;
  const found = new Set<string>();
  for (const raw of rest.split(",")) {
    const part = raw.trim();
    const eq = part.indexOf("=");
    const name = eq < 0 ? "" : part.slice(0, eq);
    if (name !== "Credential" && name !== "SignedHeaders" && name !== "Signature") throw headerMalformed(`the authorization component "${part}" is malformed.`);
    found.add(name);
    // Five parts; an empty date, region or service is the signature's business (not verified outside --enforce-iam):
    // Go clients with a custom endpoint and no SigningRegion sign for region "".
    if (name === "Credential" && !/^[^/]+\/[^/]*\/[^/]*\/[^/]*\/aws4_request$/.test(part.slice(eq + 1)))
      throw headerMalformed('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  }
  if (found.size < 3) throw headerMalformed("the authorization header requires three components: Credential, SignedHeaders, and Signature.");
}

const PAYLOAD_KINDS = new Set([
  "UNSIGNED-PAYLOAD",
  "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
  "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
  "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
]);

/** A SigV4 request's x-amz-content-sha256 is one of the payload kinds or a SHA-256 hex digest; anything else is InvalidArgument. */
function checkPayloadHash(req: RawRequest): void {
  const sha = header(req, "x-amz-content-sha256");
  if (sha === undefined || PAYLOAD_KINDS.has(sha) || /^[0-9a-fA-F]{64}$/.test(sha)) return;
  if (!header(req, "authorization")?.startsWith("AWS4-")) return;
  throw S3Errors.invalidArgument(`x-amz-content-sha256 must be ${[...PAYLOAD_KINDS].join(", ")} or a valid sha256 value.`, "x-amz-content-sha256", sha);
}

const argumentNamed = (message: string, name: string) => S3Errors.invalidArgument(message, name);

/** The sub-resources a request selects its operation with; two at once are refused (named alphabetically, the first as the value). */
export const SELECTORS: ReadonlySet<string> = new Set([
  "accelerate",
  "acl",
  "analytics",
  "attributes",
  "cors",
  "encryption",
  "intelligent-tiering",
  "inventory",
  "legal-hold",
  "lifecycle",
  "location",
  "logging",
  "metrics",
  "notification",
  "object-lock",
  "ownershipControls",
  "policy",
  "policyStatus",
  "publicAccessBlock",
  "replication",
  "requestPayment",
  "retention",
  "tagging",
  "torrent",
  "uploads",
  "versioning",
  "versions",
  "website",
]);

function checkConflictingSelectors(q: Record<string, string>): void {
  let count = 0;
  for (const k in q) if (SELECTORS.has(k)) count++;
  if (count < 2) return;
  const selected = Object.keys(q)
    .filter((k) => SELECTORS.has(k))
    .sort();
  throw S3Errors.invalidArgument(`Conflicting query string parameters: ${selected.join(", ")}`, "ResourceType", selected[0]);
}

/** x-amz-copy-source belongs to copy requests only (PUT of an object or a part); elsewhere it is InvalidArgument. */
function copySourceNotAllowed(req: RawRequest): void {
  const src = header(req, "x-amz-copy-source");
  if (src !== undefined) throw S3Errors.invalidArgument("You can only specify a copy source header for copy requests.", "x-amz-copy-source", src);
}

const NO_VERSION_ID = "This operation does not accept a version-id.";
/** Object writes that take no versionId (they create a version; the sub-resource writes name one). */
const WRITES_WITHOUT_VERSION = new Set(["PutObject", "CopyObject", "UploadPart", "CreateMultipartUpload", "CompleteMultipartUpload"]);

function operationFor(method: string, bucket: string | undefined, key: string | undefined, q: Record<string, string>, req: RawRequest): string {
  if (!bucket) {
    if (method === "GET") return isListDirectoryBuckets(q, header(req, "authorization")) ? "ListDirectoryBuckets" : "ListBuckets";
    throw Object.assign(S3Errors.methodNotAllowed(method, "SERVICE"), { headers: { allow: "GET" } });
  }
  // A browser's CORS preflight, on the bucket or on an object.
  if (method === "OPTIONS") return "CorsPreflight";
  if (method === "GET" || method === "HEAD" || method === "DELETE" || (method === "PUT" && key === undefined) || (method === "POST" && "uploadId" in q))
    copySourceNotAllowed(req);
  checkConflictingSelectors(q);
  if (key === undefined) {
    // An upload id names an object's upload: on the bucket it is refused rather than taken as a bucket operation.
    if ("uploadId" in q && (method === "GET" || method === "POST" || method === "DELETE")) throw S3Errors.invalidRequest("A key must be specified");
    if ("partNumber" in q && method !== "HEAD") throw S3Errors.invalidRequest("Object must have a valid key name.");
    // A version id names an object's version; no bucket operation takes one (a GET of ?acl calls it invalid).
    if ("versionId" in q && (method === "GET" || method === "PUT" || method === "DELETE"))
      throw method === "GET" && "acl" in q
        ? S3Errors.invalidArgument("Invalid version id specified", "versionId", q.versionId)
        : S3Errors.invalidArgument(NO_VERSION_ID, "versionId", q.versionId);
    const meta = metadataOperation(method, q);
    if (meta) return meta;
    switch (method) {
      case "GET": {
        const op = pick(q, BUCKET_GET);
        if (op && ID_CONFIG[op]) return "id" in q ? `Get${ID_CONFIG[op]}` : `List${ID_CONFIG[op]}s`;
        if (op === undefined && "session" in q) return "CreateSession";
        if (op !== undefined) return op;
        if (q["list-type"] === "2") {
          if ("marker" in q) throw argumentNamed("Marker unsupported with REST.GET.BUCKET in list-type=2", "marker");
          return "ListObjectsV2";
        }
        // A V2 parameter on a V1 listing is refused (naming the argument, not its value), before the bucket is looked up.
        if ("continuation-token" in q) throw argumentNamed("continuation-token only supported in REST.GET.BUCKET with list-type=2", "continuation-token");
        if ("start-after" in q) throw argumentNamed("startAfter only supported in REST.GET.BUCKET with list-type=2", "start-after");
        return "ListObjects";
      }
      case "PUT": {
        const op = pick(q, BUCKET_PUT);
        return op && ID_CONFIG[op] ? `Put${ID_CONFIG[op]}` : (op ?? "CreateBucket");
      }
      case "DELETE": {
        const op = pick(q, BUCKET_DELETE);
        return op && ID_CONFIG[op] ? `Delete${ID_CONFIG[op]}` : (op ?? "DeleteBucket");
      }
      case "HEAD":
        return "HeadBucket";
      case "POST":
        if ("delete" in q) return "DeleteObjects";
        // Object Lambda's WriteGetObjectResponse (POST /WriteGetObjectResponse, host prefix {RequestRoute}.).
        if (header(req, "x-amz-request-route") !== undefined) return "WriteGetObjectResponse";
        if ((header(req, "content-type") ?? "").startsWith("multipart/form-data")) return "PostObject";
        // A browser POST in another encoding: AWS names the enclosure type as the failed condition.
        throw S3Errors.preconditionFailed("Bucket POST must be of the enclosure-type multipart/form-data");
      default:
        throw S3Errors.methodNotAllowed(method, "BUCKET");
    }
  }
  switch (method) {
    case "GET":
      if ("uploadId" in q) return "ListParts";
      // Bucket sub-resources that S3 refuses on a key rather than serving the object.
      if ("versions" in q) throw S3Errors.invalidRequest("There is no such thing as the ?versions sub-resource for a key");
      if ("uploads" in q) throw S3Errors.invalidRequest("Key is not expected for the GET method ?uploads subresource");
      if ("logging" in q) throw new AwsError("NoLoggingStatusForKey", "There is no such thing as the ?logging sub-resource for a key", 400);
      if ("tagging" in q) return "GetObjectTagging";
      if ("acl" in q) return "GetObjectAcl";
      if ("attributes" in q) return "GetObjectAttributes";
      if ("retention" in q) return "GetObjectRetention";
      if ("legal-hold" in q) return "GetObjectLegalHold";
      if ("torrent" in q) return "GetObjectTorrent";
      return "GetObject";
    case "HEAD":
      return "HeadObject";
    case "PUT":
      if ("partNumber" in q && "uploadId" in q) return header(req, "x-amz-copy-source") !== undefined ? "UploadPartCopy" : "UploadPart";
      // An upload id alone takes GET (ListParts), POST (complete) and DELETE (abort); a part number needs its upload.
      if ("uploadId" in q) throw Object.assign(S3Errors.methodNotAllowed(method, "UPLOAD"), { headers: { allow: "DELETE, POST, GET" } });
      if ("partNumber" in q) throw S3Errors.invalidArgument("This operation does not accept partNumber without uploadId", "partNumber", "partNumber");
      if ("tagging" in q) return "PutObjectTagging";
      if ("acl" in q) return "PutObjectAcl";
      if ("retention" in q) return "PutObjectRetention";
      if ("legal-hold" in q) return "PutObjectLegalHold";
      if ("encryption" in q) return "UpdateObjectEncryption";
      if ("renameObject" in q) return "RenameObject";
      return header(req, "x-amz-copy-source") !== undefined ? "CopyObject" : "PutObject";
    case "DELETE":
      if ("uploadId" in q) return "AbortMultipartUpload";
      if ("tagging" in q) return "DeleteObjectTagging";
      return "DeleteObject";
    case "POST":
      if ("uploads" in q) return "CreateMultipartUpload";
      if ("uploadId" in q) return "CompleteMultipartUpload";
      if ("restore" in q) return "RestoreObject";
      if ("select" in q) return "SelectObjectContent";
      if (header(req, "x-amz-request-route") !== undefined) return "WriteGetObjectResponse";
      throw S3Errors.methodNotAllowed(method, "OBJECT");
    default:
      throw S3Errors.methodNotAllowed(method, "OBJECT");
  }
}
