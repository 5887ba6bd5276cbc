/**
 * --enforce-iam: SigV4 verification and IAM authorization of every request, with each protocol's errors.
 * Verified: header-signed and presigned SigV4 (payload hash from x-amz-content-sha256 when sent, else the
 * body's SHA-256), session tokens, expiry and a 15-minute clock skew. Authorized: IAM users (their
 * policies and their groups'), assumed roles (role policies, session policies), permissions boundaries,
 * resource policies; explicit Deny wins. Root credentials, and outside "strict" keys that match no
 * identity, are allowed unchecked. Approximations: resource ARNs are built for S3, IAM, STS roles, Lambda
 * functions, log groups, ECR repositories, ECS clusters/services/task definitions (and ecs:cluster) and
 * EFS file systems; for other operations a statement applies
 * when its Resource is "*" or names that service; resource policies consulted: S3 bucket policies, role
 * trust policies, Lambda function, ECR repository and EFS file system policies (not Logs'); aws-chunked chunk
 * signatures are not checked. S3's SigV2 Authorization header and SigV2 presigned URLs (AWSAccessKeyId, Expires,
 * Signature) are: verifySigV2.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { AwsError } from "../../protocols/aws-error.js";
import type { RawRequest } from "../../protocols/http.js";
import { readBody } from "../../protocols/http.js";
import { parseAuthorizationHeader, parsePresignedCredential } from "../../protocols/sigv4.js";
import { SELECTORS } from "../s3/route.js";
import type { Principal, Protocol, SimHandle } from "../core/types.js";
import { sessionTokenWithoutMfa, sourceIdentityOf } from "../sts/index.js";
import { defaultDoc } from "./policies.js";
import { type Context, type Decision, evaluate, type Kind as PolicyKind, parsePolicy as parseUncached, type PolicySource, type Statement } from "./policy.js";

/**
 * Parsed policy documents by kind and text: a request re-reads the same stored documents (a managed policy such
 * as ReadOnlyAccess is ~100 KB of JSON), so each is parsed once. Keys are the stored strings themselves (their
 * hash is computed once per string); the cache is dropped whole when it grows past a bound.
 */
const PARSED = new Map<PolicyKind, Map<string, Statement[]>>();
let parsedCount = 0;
function parsePolicy(text: string, kind: PolicyKind = "identity"): Statement[] {
  let byText = PARSED.get(kind);
  if (!byText) PARSED.set(kind, (byText = new Map()));
  let st = byText.get(text);
  if (st === undefined) {
    st = parseUncached(text, kind);
    if (++parsedCount > 2000) {
      PARSED.clear();
      parsedCount = 0;
      PARSED.set(kind, (byText = new Map()));
    }
    byText.set(text, st);
  }
  return st;
}
import { type Holder, type IamState, policyAt } from "./state.js";

export interface EnforceRequest {
  req: RawRequest;
  protocol: Protocol;
  /** SigV4 signing name (s3, iam, elasticfilesystem, ...). */
  service: string;
  operation: string;
  input: Record<string, any>;
  accountId: string;
  region: string;
  accessKeyId?: string;
  caller?: Principal;
}

type Kind = "signature" | "skew" | "unknownKey" | "badToken" | "expired" | "denied" | "missing";

const SIG_MSG =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/** Each protocol's answer for each kind of failure. */
function failure(protocol: Protocol, kind: Kind, message: string): AwsError {
  const t: Record<Protocol, Record<Kind, [string, number, string?]>> = {
    query: {
      signature: ["SignatureDoesNotMatch", 403],
      skew: ["SignatureDoesNotMatch", 403],
      unknownKey: ["InvalidClientTokenId", 403, "The security token included in the request is invalid."],
      badToken: ["InvalidClientTokenId", 403, "The security token included in the request is invalid."],
      expired: ["ExpiredToken", 403, "The security token included in the request is expired"],
      denied: ["AccessDenied", 403],
      missing: ["MissingAuthenticationToken", 403, "Request is missing Authentication Token"],
    },
    json: {
      signature: ["InvalidSignatureException", 400],
      skew: ["InvalidSignatureException", 400],
      unknownKey: ["UnrecognizedClientException", 400, "The security token included in the request is invalid."],
      badToken: ["UnrecognizedClientException", 400, "The security token included in the request is invalid."],
      expired: ["ExpiredTokenException", 400, "The security token included in the request is expired"],
      denied: ["AccessDeniedException", 400],
      missing: ["MissingAuthenticationTokenException", 400, "Missing Authentication Token"],
    },
    "rest-json": {
      signature: ["InvalidSignatureException", 403],
      skew: ["InvalidSignatureException", 403],
      unknownKey: ["UnrecognizedClientException", 403, "The security token included in the request is invalid."],
      badToken: ["UnrecognizedClientException", 403, "The security token included in the request is invalid."],
      expired: ["ExpiredTokenException", 403, "The security token included in the request is expired"],
      denied: ["AccessDeniedException", 403],
      missing: ["MissingAuthenticationTokenException", 403, "Missing Authentication Token"],
    },
    ec2: {
      signature: ["AuthFailure", 401, "AWS was not able to validate the provided access credentials"],
      skew: ["RequestExpired", 400],
      unknownKey: ["AuthFailure", 401, "AWS was not able to validate the provided access credentials"],
      badToken: ["AuthFailure", 401, "AWS was not able to validate the provided access credentials"],
      expired: ["RequestExpired", 400, "Request has expired."],
      denied: ["UnauthorizedOperation", 403],
      missing: ["AuthFailure", 401, "AWS was not able to validate the provided access credentials"],
    },
    "rest-xml": {
      signature: [
        "SignatureDoesNotMatch",
        403,
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
      ],
      skew: ["RequestTimeTooSkewed", 403, "The difference between the request time and the current time is too large."],
      unknownKey: ["InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist in our records."],
      badToken: ["InvalidToken", 400, "The provided token is malformed or otherwise invalid."],
      expired: ["ExpiredToken", 400, "The provided token has expired."],
      denied: ["AccessDenied", 403],
      missing: ["AccessDenied", 403, "Access Denied"],
    },
  };
  const [code, status, fixed] = t[protocol][kind];
  return new AwsError(code, fixed ?? message, status);
}

// ---------------------------------------------------------------- SigV4

const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s.replace(/\+/g, "%20"));
  } catch {
    return s;
  }
};
const sha256 = (d: string | Buffer) => createHash("sha256").update(d).digest("hex");
const hmac = (k: string | Buffer, d: string) => createHmac("sha256", k).update(d).digest();

function canonicalQuery(rawQuery: string, presigned: boolean): string {
  if (!rawQuery) return "";
  const pairs = rawQuery
    .split("&")
    .filter(Boolean)
    .map((p) => {
      const i = p.indexOf("=");
      const k = safeDecode(i < 0 ? p : p.slice(0, i));
      const v = i < 0 ? "" : safeDecode(p.slice(i + 1));
      return [rfc3986(k), rfc3986(v)] as [string, string];
    })
    .filter(([k]) => !(presigned && k === "X-Amz-Signature"));
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function canonicalUri(rawPath: string, service: string): string {
  if (service === "s3") return rawPath || "/";
  return (rawPath || "/")
    .split("/")
    .map((seg) => rfc3986(seg))
    .join("/");
}

function header(req: RawRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

interface Signed {
  signature: string;
  signedHeaders: string[];
  amzDate: string;
  scope: string;
  token?: string;
  expires?: number;
  presigned: boolean;
}

function signedParts(req: RawRequest): Signed | undefined {
  const auth = header(req, "authorization");
  if (auth?.startsWith("AWS4-HMAC-SHA256")) {
    const cred = /Credential=([^,\s]+)/.exec(auth)?.[1];
    const sh = /SignedHeaders=([^,\s]+)/.exec(auth)?.[1];
    const sig = /Signature=([0-9a-f]+)/.exec(auth)?.[1];
    if (!cred || !sh || !sig) return undefined;
    const amzDate = header(req, "x-amz-date") ?? "";
    return {
      signature: sig,
      signedHeaders: sh.split(";"),
      amzDate,
      scope: cred.split("/").slice(1).join("/"),
      token: header(req, "x-amz-security-token"),
      presigned: false,
    };
  }
  const q = new URLSearchParams(req.rawQuery);
  if (q.get("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256") return undefined;
  return {
    signature: q.get("X-Amz-Signature") ?? "",
    signedHeaders: (q.get("X-Amz-SignedHeaders") ?? "host").split(";"),
    amzDate: q.get("X-Amz-Date") ?? "",
    scope: (q.get("X-Amz-Credential") ?? "").split("/").slice(1).join("/"),
    token: q.get("X-Amz-Security-Token") ?? undefined,
    expires: Number(q.get("X-Amz-Expires") ?? "0"),
    presigned: true,
  };
}

const amzTime = (d: string) => Date.parse(d.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));
const fmt = (t: number) => new Date(t).toISOString().replace(/[-:]|\.\d{3}/g, "");

interface Mismatch {
  stringToSign: string;
  canonicalRequest: string;
}

async function verifySignature(e: EnforceRequest, s: Signed, secret: string): Promise<Kind | Mismatch | undefined> {
  const { req } = e;
  const now = Date.now();
  const t = amzTime(s.amzDate);
  if (Number.isNaN(t)) return "signature";
  if (s.presigned ? now > t + (s.expires ?? 0) * 1000 : Math.abs(now - t) > 15 * 60_000) return "skew";
  let payload = header(req, "x-amz-content-sha256");
  if (!payload) payload = s.presigned && e.service === "s3" ? "UNSIGNED-PAYLOAD" : sha256(await readBody(req));
  const canonicalHeaders = s.signedHeaders.map((h) => `${h}:${(header(req, h) ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
  const creq = [
    req.method,
    canonicalUri(req.rawPath, e.service),
    canonicalQuery(req.rawQuery, s.presigned),
    canonicalHeaders,
    s.signedHeaders.join(";"),
    payload,
  ].join("\n");
  const sts = ["AWS4-HMAC-SHA256", s.amzDate, s.scope, sha256(creq)].join("\n");
  const [date, region, service] = s.scope.split("/");
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date ?? ""), region ?? ""), service ?? ""), "aws4_request");
  const want = Buffer.from(hmac(key, sts).toString("hex"));
  const got = Buffer.from(s.signature);
  return want.length === got.length && timingSafeEqual(want, got) ? undefined : { stringToSign: sts, canonicalRequest: creq };
}

// ---------------------------------------------------------------- SigV2 (S3's "AWS AKID:signature" header)

/**
 * The sub-resources S3 signs in a SigV2 CanonicalizedResource: the ones that select an operation (S3's router's
 * list), and those that name a part, upload or version, or override a response header (the REST authentication
 * reference's list).
 */
const V2_SUBRESOURCES = new Set([
  ...SELECTORS,
  ...["delete", "partNumber", "restore", "select", "select-type", "uploadId", "versionId"],
  ...["response-cache-control", "response-content-disposition", "response-content-encoding", "response-content-language"],
  ...["response-content-type", "response-expires"],
]);

/**
 * S3's SigV2 string to sign (REST authentication reference): the verb, Content-MD5, Content-Type, Date (empty when
 * x-amz-date is sent), the x-amz-* headers lower-cased and sorted, then the resource: "/bucket" when the bucket is
 * in the host, the path as sent, and the signed sub-resources sorted, their values decoded.
 */
function v2StringToSign(req: RawRequest, bucket: string | undefined, bucketSlash: boolean, query?: V2Query): string {
  // A presigned URL carries the signed x-amz-* headers, Content-MD5 and Content-Type as query parameters (botocore's
  // HmacV1QueryAuth moves them there); S3 reads them as those headers, a header sent with the request winning.
  const h = (name: string) => header(req, name) ?? query?.hoisted[name];
  const amzNames = new Set(Object.keys(req.headers).filter((k) => k.startsWith("x-amz-")));
  for (const k of Object.keys(query?.hoisted ?? {})) if (k.startsWith("x-amz-")) amzNames.add(k);
  const amz = [...amzNames]
    .sort()
    .map((k) => `${k}:${(h(k) ?? "").replace(/\s*\r?\n\s*/g, " ").trim()}\n`)
    .join("");
  const host = (header(req, "host") ?? "").toLowerCase().replace(/:\d+$/, "");
  const inHost = bucket !== undefined && (host === bucket.toLowerCase() || host.startsWith(`${bucket.toLowerCase()}.`));
  let resource = `${inHost ? `/${bucket}` : ""}${req.rawPath || "/"}`;
  // A request to the bucket itself is "/bucket/" (the reference's virtual-hosted example; botocore signs path-style
  // bucket requests so too); some clients sign "/bucket".
  if (bucketSlash && bucket !== undefined && resource === `/${bucket}`) resource += "/";
  const subs = req.rawQuery
    .split("&")
    .filter(Boolean)
    .map((p) => {
      const i = p.indexOf("=");
      return i < 0 ? ([safeDecode(p), undefined] as const) : ([safeDecode(p.slice(0, i)), safeDecode(p.slice(i + 1))] as const);
    })
    .filter(([k]) => V2_SUBRESOURCES.has(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (subs.length) resource += `?${subs.map(([k, v]) => (v === undefined || v === "" ? k : `${k}=${v}`)).join("&")}`;
  // Query authentication signs Expires where the header form signs Date.
  const date = query ? query.expires : header(req, "x-amz-date") !== undefined ? "" : (header(req, "date") ?? "");
  return `${req.method}\n${h("content-md5") ?? ""}\n${h("content-type") ?? ""}\n${date}\n${amz}${resource}`;
}

/** A SigV2 presigned URL's parts: its signature, Expires (seconds since the epoch, as signed) and hoisted headers. */
interface V2Query {
  signature: string;
  expires: string;
  hoisted: Record<string, string>;
}

/** S3's SigV2 query authentication, when the request carries all three of AWSAccessKeyId, Expires and Signature. */
function v2QueryParts(req: RawRequest): V2Query | undefined {
  if (!req.rawQuery.includes("Signature=")) return undefined;
  const q = new URLSearchParams(req.rawQuery);
  const signature = q.get("Signature");
  const expires = q.get("Expires");
  if (signature === null || expires === null || q.get("AWSAccessKeyId") === null) return undefined;
  const hoisted: Record<string, string> = {};
  for (const [k, v] of q) {
    const name = k.toLowerCase();
    if ((name.startsWith("x-amz-") || name === "content-md5" || name === "content-type") && !(name in hoisted)) hoisted[name] = v;
  }
  return { signature, expires, hoisted };
}

const isoSeconds = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");

/** S3's answer to a presigned URL past its expiry: AccessDenied naming the expiry and the server's time. */
function requestExpired(expiresAt: number, amzExpires?: string): AwsError {
  const extra: Record<string, string> = amzExpires === undefined ? {} : { "X-Amz-Expires": amzExpires };
  return new AwsError("AccessDenied", "Request has expired", 403, { extra: { ...extra, Expires: isoSeconds(expiresAt), ServerTime: isoSeconds(Date.now()) } });
}

/** What S3 shows of a string to sign besides the string itself: its bytes, two hex digits each, space-separated. */
const hexBytes = (s: string) => (Buffer.from(s, "utf8").toString("hex").match(/../g) ?? []).join(" ");

/** An S3 SigV2 header's signature checked with the caller's secret: a skewed date, a mismatch (with what was signed), or fine. */
function verifySigV2(e: EnforceRequest, signature: string, secret: string, query?: V2Query): "skew" | Mismatch | undefined {
  if (query) {
    // A presigned URL is good until its Expires (checked before the signature, as for SigV4 presigned URLs).
    if (/^\d+$/.test(query.expires) && Date.now() > Number(query.expires) * 1000) throw requestExpired(Number(query.expires) * 1000);
  } else {
    const when = Date.parse(header(e.req, "x-amz-date") ?? header(e.req, "date") ?? "");
    if (Number.isNaN(when) || Math.abs(Date.now() - when) > 15 * 60_000) return "skew";
  }
  const bucket = s3Bucket(e.input);
  const got = Buffer.from(signature);
  const matches = (sts: string) => {
    const want = Buffer.from(createHmac("sha1", secret).update(sts, "utf8").digest("base64"));
    return want.length === got.length && timingSafeEqual(want, got);
  };
  const sts = v2StringToSign(e.req, bucket, true, query);
  if (matches(sts)) return undefined;
  const bare = v2StringToSign(e.req, bucket, false, query);
  return bare !== sts && matches(bare) ? undefined : { stringToSign: sts, canonicalRequest: "" };
}

/**
 * A request dated more than 15 minutes ahead of the server is "not yet current", one behind it "expired" (AWS's texts;
 * SDKs such as .NET's read the server time from them to correct their clock: aws-sdk-net General.TestClockSkewCorrection
 * sends IAM ListGroups with a +26 h and a -1 h clock offset).
 */
function skewMessage(protocol: Protocol, amzDate: string): string {
  const now = Date.now();
  if (protocol === "ec2") return "Request has expired.";
  if (amzTime(amzDate) > now) return `Signature not yet current: ${amzDate} is still later than ${fmt(now + 15 * 60_000)} (${fmt(now)} + 15 min.)`;
  return `Signature expired: ${amzDate} is now earlier than ${fmt(now - 15 * 60_000)} (${fmt(now)} - 15 min.)`;
}

// ---------------------------------------------------------------- authorization

const S3_ACTIONS: Record<string, string> = {
  ListObjects: "ListBucket",
  ListObjectsV2: "ListBucket",
  ListObjectVersions: "ListBucketVersions",
  HeadBucket: "ListBucket",
  HeadObject: "GetObject",
  ListBuckets: "ListAllMyBuckets",
  CreateMultipartUpload: "PutObject",
  UploadPart: "PutObject",
  UploadPartCopy: "PutObject",
  CompleteMultipartUpload: "PutObject",
  AbortMultipartUpload: "AbortMultipartUpload",
  ListParts: "ListMultipartUploadParts",
  ListMultipartUploads: "ListBucketMultipartUploads",
  CopyObject: "PutObject",
  DeleteObjects: "DeleteObject",
  GetObjectAttributes: "GetObject",
  PutBucketLifecycleConfiguration: "PutLifecycleConfiguration",
  GetBucketLifecycleConfiguration: "GetLifecycleConfiguration",
  DeleteBucketLifecycle: "PutLifecycleConfiguration",
  DeleteBucketPolicy: "DeleteBucketPolicy",
  DeleteBucketCors: "PutBucketCORS",
  PutBucketCors: "PutBucketCORS",
  GetBucketCors: "GetBucketCORS",
  DeleteBucketTagging: "PutBucketTagging",
  DeleteBucketEncryption: "PutEncryptionConfiguration",
  PutBucketEncryption: "PutEncryptionConfiguration",
  GetBucketEncryption: "GetEncryptionConfiguration",
  PutBucketNotificationConfiguration: "PutBucketNotification",
  GetBucketNotificationConfiguration: "GetBucketNotification",
  GetPublicAccessBlock: "GetBucketPublicAccessBlock",
  PutPublicAccessBlock: "PutBucketPublicAccessBlock",
  DeletePublicAccessBlock: "PutBucketPublicAccessBlock",
  GetObjectLockConfiguration: "GetBucketObjectLockConfiguration",
  PutObjectLockConfiguration: "PutBucketObjectLockConfiguration",
  GetBucketReplication: "GetReplicationConfiguration",
  PutBucketReplication: "PutReplicationConfiguration",
  DeleteBucketReplication: "PutReplicationConfiguration",
  DeleteBucketOwnershipControls: "PutBucketOwnershipControls",
  GetBucketAccelerateConfiguration: "GetAccelerateConfiguration",
  PutBucketAccelerateConfiguration: "PutAccelerateConfiguration",
  SelectObjectContent: "GetObject",
};
const ACTION_PREFIX: Record<string, string> = { elasticfilesystem: "elasticfilesystem" };

export function actionOf(service: string, operation: string): string {
  if (service === "s3") return `s3:${S3_ACTIONS[operation] ?? operation}`;
  if (service === "lambda" && (operation === "Invoke" || operation === "InvokeWithResponseStream" || operation === "InvokeAsync"))
    return "lambda:InvokeFunction";
  return `${ACTION_PREFIX[service] ?? service}:${operation}`;
}

const ECS_CLUSTER_DEFAULT = new Set([
  "RunTask",
  "StartTask",
  "CreateService",
  "ListTasks",
  "ListServices",
  "DescribeServices",
  "DescribeTasks",
  "StopTask",
  "UpdateService",
  "DeleteService",
]);
const ecsName = (x: string) => (x.startsWith("arn:") ? x.slice(x.lastIndexOf("/") + 1) : x);

/** ECS: services by cluster and name, task definitions for RunTask/StartTask, else the cluster. */
function ecsResource(v: Record<string, any>, at: string, op: string): string | undefined {
  const cluster = typeof v.cluster === "string" ? ecsName(v.cluster) : undefined;
  const service = typeof v.service === "string" ? v.service : typeof v.serviceName === "string" ? v.serviceName : undefined;
  if (service) return service.startsWith("arn:") ? service : `arn:${at}:service/${cluster ?? "default"}/${service}`;
  if (typeof v.taskDefinition === "string") return v.taskDefinition.startsWith("arn:") ? v.taskDefinition : `arn:${at}:task-definition/${v.taskDefinition}`;
  if (op === "CreateCluster") return "*";
  if (cluster) return `arn:${at}:cluster/${cluster}`;
  return undefined;
}

/** What enforcement reads of an S3 bucket: its policy document and its objects' tags. */
interface S3BucketView {
  configs: Map<string, string>;
  objects: Map<string, { versions: Array<{ versionId: string; tags: Array<{ Key: string; Value: string }> }> }>;
}

/** The object operations whose condition keys include s3:ExistingObjectTag/<key> (AWS's service authorization reference). */
const EXISTING_TAG_OPS = new Set([
  "GetObject",
  "HeadObject",
  "GetObjectAcl",
  "PutObjectAcl",
  "GetObjectTagging",
  "PutObjectTagging",
  "DeleteObjectTagging",
  "GetObjectAttributes",
  "GetObjectRetention",
  "PutObjectRetention",
  "GetObjectLegalHold",
  "PutObjectLegalHold",
  "RestoreObject",
]);

/**
 * s3:ExistingObjectTag/<key>: the tags of the object version an object request names, for identity and session
 * policies as for bucket policies (ABAC on object tags, as mountpoint-s3's iam_perm_test relies on against AWS).
 */
function existingObjectTags(e: EnforceRequest, b: S3BucketView | undefined, context: Context): void {
  const key = e.input.Key ?? e.input.key;
  if (!b || typeof key !== "string" || !EXISTING_TAG_OPS.has(e.operation)) return;
  const vid = e.input.VersionId ?? e.input.query?.versionId;
  const versions = b.objects.get(key)?.versions;
  const v = typeof vid === "string" ? versions?.find((x) => x.versionId === vid) : versions?.[0];
  for (const t of v?.tags ?? []) context.set(`s3:ExistingObjectTag/${t.Key}`, [t.Value]);
}

/** S3 handlers take either model member names or the router's own (bucket, key). */
const s3Bucket = (v: Record<string, any>): string | undefined => (typeof (v.Bucket ?? v.bucket) === "string" && (v.Bucket ?? v.bucket)) || undefined;

const SELF_SERVICE = /AccessKey|LoginProfile|MFADevice|SSHPublicKey|SigningCertificate|ServiceSpecificCredential|^ChangePassword$|^GetUser$/;

const LISTED_BY_PATH: Record<string, string | undefined> = {
  ListUsers: "user",
  ListRoles: "role",
  ListGroups: "group",
  ListInstanceProfiles: "instance-profile",
  ListPolicies: "policy",
};

const IAM_KINDS: Record<string, string | undefined> = { "instance-profile": "instance profile", group: "group", role: "role", user: "user", policy: "policy" };

/**
 * How IAM's own denials name the resource: an existing instance profile, group, role or user by kind and name
 * ("iam:GetRole on resource: role app", "iam:AddUserToGroup on resource: group admins", "iam:GetUser on resource:
 * user tester"), a managed policy by kind and ARN ("iam:GetPolicy on resource: policy arn:aws:iam::aws:policy/X"),
 * a policy being created by kind and name; creating a role, user or group, or listing by path, names the ARN
 * (ListUsers on "arn:aws:iam::123456789012:user/", ListInstanceProfiles on ".../instance-profile/<PathPrefix>").
 */
function iamResourceText(e: EnforceRequest, resource: string): string {
  const m = /^arn:[\w-]+:iam::(?:\d{12}|aws):(instance-profile|group|role|user|policy)(\/.*)$/.exec(resource);
  // ListPolicies alone words its path as text: "iam:ListPolicies on resource: policy path /".
  if (e.operation === "ListPolicies") return `policy path ${typeof e.input.PathPrefix === "string" ? e.input.PathPrefix : "/"}`;
  if (!m || LISTED_BY_PATH[e.operation] || /^Create(Role|User|Group|InstanceProfile)$/.test(e.operation)) return resource;
  const kind = IAM_KINDS[m[1]!]!;
  if (m[1] === "policy") return e.operation === "CreatePolicy" ? `${kind} ${m[2]!.slice(m[2]!.lastIndexOf("/") + 1)}` : `${kind} ${resource}`;
  return `${kind} ${m[2]!.slice(m[2]!.lastIndexOf("/") + 1)}`;
}

function resourceOf(e: EnforceRequest, partition: string, iam: IamState | undefined): string | undefined {
  const v = e.input;
  if (e.service === "s3") {
    const bucket = s3Bucket(v);
    const key = v.Key ?? v.key;
    // ListBuckets (s3:ListAllMyBuckets) names no resource: statements with "*" or any S3 ARN ("arn:aws:s3:::*", as AWS's
    // examples write it) apply.
    if (!bucket) return undefined;
    return key ? `arn:${partition}:s3:::${bucket}/${key}` : `arn:${partition}:s3:::${bucket}`;
  }
  if (e.service === "iam" && iam) {
    const acct = iam.accountId;
    // Listing users, roles or groups is authorized on the path listed, as AWS's denials name it ("iam:ListUsers on
    // resource: arn:aws:iam::123456789012:user/").
    const listed = LISTED_BY_PATH[e.operation];
    if (listed) return `arn:${partition}:iam::${acct}:${listed}${typeof v.PathPrefix === "string" ? v.PathPrefix : "/"}`;
    // The entity an operation acts on, as the service authorization reference types them: the instance profile
    // (AddRoleToInstanceProfile), the group (AddUserToGroup), the role or user (AttachRolePolicy, not its PolicyArn).
    const path = typeof v.Path === "string" ? v.Path : "/";
    if (typeof v.InstanceProfileName === "string") return `arn:${partition}:iam::${acct}:instance-profile${path}${v.InstanceProfileName}`;
    if (typeof v.GroupName === "string") return iam.groups.get(v.GroupName)?.arn ?? `arn:${partition}:iam::${acct}:group${path}${v.GroupName}`;
    if (typeof v.RoleName === "string") return iam.roles.get(v.RoleName)?.arn ?? `arn:${partition}:iam::${acct}:role${path}${v.RoleName}`;
    if (typeof v.UserName === "string") return iam.users.get(v.UserName)?.arn ?? `arn:${partition}:iam::${acct}:user${path}${v.UserName}`;
    if (typeof v.PolicyArn === "string") return v.PolicyArn;
    if (e.operation === "CreatePolicy" && typeof v.PolicyName === "string") return `arn:${partition}:iam::${acct}:policy${path}${v.PolicyName}`;
    // Operations on "my own" credentials act on the calling user when UserName is omitted.
    if (e.caller?.kind === "user" && SELF_SERVICE.test(e.operation)) return e.caller.arn;
    if (typeof v.SerialNumber === "string" && v.SerialNumber.startsWith("arn:")) return v.SerialNumber;
    return "*";
  }
  if (e.service === "sts" && typeof v.RoleArn === "string") return v.RoleArn;
  const at = `${partition}:${e.service}:${e.region}:${e.accountId}`;
  if (e.service === "lambda" && typeof v.FunctionName === "string") {
    const fn = v.FunctionName.startsWith("arn:") ? (v.FunctionName.split(":")[6] ?? "") : v.FunctionName.split(":").pop()!;
    return `arn:${at}:function:${fn}${typeof v.Qualifier === "string" ? `:${v.Qualifier}` : ""}`;
  }
  if (e.service === "logs" && typeof v.logGroupName === "string")
    return `arn:${at}:log-group:${v.logGroupName}:log-stream:${typeof v.logStreamName === "string" ? v.logStreamName : ""}`;
  if (e.service === "ecr" && typeof v.repositoryName === "string") return `arn:${at}:repository/${v.repositoryName}`;
  if (e.service === "ecs") return ecsResource(v, at, e.operation);
  if (e.service === "elasticfilesystem" && typeof v.FileSystemId === "string" && /^fs-/.test(v.FileSystemId)) return `arn:${at}:file-system/${v.FileSystemId}`;
  return undefined;
}

function holderPolicies(s: IamState, h: Holder, type: PolicySource["type"]): PolicySource[] {
  const out: PolicySource[] = [...h.inline].map(([id, doc]) => ({ id, type, statements: parsePolicy(doc) }));
  for (const a of h.attached) {
    const p = policyAt(s, a);
    if (p) out.push({ id: p.name, type: p.aws ? "aws-managed" : "user-managed", statements: parsePolicy(defaultDoc(p)) });
  }
  return out;
}

function boundaryOf(s: IamState, arn?: string): PolicySource[] | undefined {
  const p = arn ? policyAt(s, arn) : undefined;
  return p ? [{ id: p.name, type: "user-managed", statements: parsePolicy(defaultDoc(p)) }] : undefined;
}

const lastSeg = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);

/** What a denial was decided on, for the encoded authorization message EC2 answers with. */
interface DenialDetail {
  decision?: Decision;
  action?: string;
  resource?: string;
  context?: Context;
}

/**
 * `resourceOnly` (the default mode's check of another account's AssumeRole): the caller's own policies are not
 * consulted, only whether the resource-based policy (the role's trust policy) allows the principal or its account.
 */
async function authorize(sim: SimHandle, e: EnforceRequest, who: Principal, detail: DenialDetail = {}, resourceOnly = false): Promise<string | undefined> {
  // STS needs no permission for these (AWS: "No permissions are required to perform this operation").
  if (e.service === "sts" && (e.operation === "GetCallerIdentity" || e.operation === "GetSessionToken")) return undefined;
  const partition = who.arn.split(":")[1] ?? "aws";
  if (who.kind === "root" && !resourceOnly) {
    if (e.service === "sts" && e.operation === "AssumeRole") return "Roles may not be assumed by root accounts.";
    return undefined;
  }
  const iam = await sim.stateOf<IamState>("iam", who.accountId, e.region);
  let identity: PolicySource[] = [];
  let boundary: PolicySource[] | undefined;
  const tags: Array<{ Key: string; Value: string }> = [];
  if (who.kind === "user") {
    const u = iam.users.get(lastSeg(who.arn));
    if (u) {
      identity = holderPolicies(iam, u, "user");
      for (const g of iam.groups.values()) if (g.users.has(u.name)) identity.push(...holderPolicies(iam, g, "group"));
      boundary = boundaryOf(iam, u.boundary);
      tags.push(...u.tags);
    }
  } else if (who.kind === "assumed-role" && who.roleArn) {
    const r = iam.roles.get(lastSeg(who.roleArn));
    if (r) {
      identity = holderPolicies(iam, r, "role");
      boundary = boundaryOf(iam, r.boundary);
      tags.push(...r.tags);
    }
  }
  let sessionPolicies = who.sessionPolicies?.length
    ? who.sessionPolicies.map((d, i) => ({ id: `session.${i}`, type: "none" as const, statements: parsePolicy(d) }))
    : undefined;
  if (who.kind === "federated-user") identity = sessionPolicies ?? [];
  if (resourceOnly) {
    identity = [];
    boundary = undefined;
    sessionPolicies = undefined;
  }
  const action = actionOf(e.service, e.operation);
  const resource = resourceOf(e, partition, e.service === "iam" ? iam : undefined);
  const now = new Date();
  const context: Context = new Map([
    ["aws:CurrentTime", [now.toISOString()]],
    ["aws:EpochTime", [String(Math.floor(now.getTime() / 1000))]],
    ["aws:RequestedRegion", [e.region]],
    ["aws:SecureTransport", ["false"]],
    ["aws:PrincipalArn", [who.kind === "assumed-role" && who.roleArn ? who.roleArn : who.arn]],
    ["aws:PrincipalAccount", [who.accountId]],
    ["aws:PrincipalType", [who.kind === "user" ? "User" : who.kind === "assumed-role" ? "AssumedRole" : "FederatedUser"]],
    ["aws:userid", [who.userId]],
  ]);
  if (who.kind === "user") context.set("aws:username", [lastSeg(who.arn)]);
  const sourceIdentity = sourceIdentityOf(sim, e.accessKeyId);
  if (sourceIdentity !== undefined) context.set("aws:SourceIdentity", [sourceIdentity]);
  // Long-term keys carry no MFA key at all; MFA-authenticated sessions say so.
  if (who.expiration) context.set("aws:MultiFactorAuthPresent", [String(!!who.mfaAt)]);
  if (who.mfaAt) context.set("aws:MultiFactorAuthAge", [String(Math.floor((now.getTime() - who.mfaAt.getTime()) / 1000))]);
  // An AssumeRole that carries SerialNumber and TokenCode is itself MFA-authenticated: a trust policy that requires MFA
  // lets it through (STS then rejects a wrong code), as AWS's MFA-protected API access documents.
  if (e.service === "sts" && e.operation === "AssumeRole" && typeof e.input.SerialNumber === "string" && typeof e.input.TokenCode === "string") {
    context.set("aws:MultiFactorAuthPresent", ["true"]);
    context.set("aws:MultiFactorAuthAge", ["0"]);
  }
  const ip = e.req.stream?.socket?.remoteAddress;
  if (ip) context.set("aws:SourceIp", [ip.replace(/^::ffff:/, "")]);
  for (const t of [...tags, ...(who.tags ?? [])]) context.set(`aws:PrincipalTag/${t.Key}`, [t.Value]);
  requestKeys(e, context, iam);
  let resourcePolicy: PolicySource | undefined;
  let requireResource = false;
  if (e.service === "sts" && e.operation === "AssumeRole" && typeof e.input.RoleArn === "string") {
    const m = /^arn:[\w-]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(e.input.RoleArn);
    const target = m ? await sim.stateOf<IamState>("iam", m[1]!, e.region) : undefined;
    const role = m ? target?.roles.get(m[2]!) : undefined;
    if (!role) return `User: ${who.arn} is not authorized to perform: sts:AssumeRole on resource: ${e.input.RoleArn}`;
    resourcePolicy = { id: "TrustPolicy", type: "resource", statements: parsePolicy(role.trust, "trust") };
    requireResource = true;
  }
  if (!resourcePolicy) resourcePolicy = await servicePolicy(sim, e);
  const bucket = e.service === "s3" ? s3Bucket(e.input) : undefined;
  if (bucket) {
    const s3 = await sim.stateOf<{ buckets: Map<string, S3BucketView> }>("s3", who.accountId, e.region);
    existingObjectTags(e, s3.buckets.get(bucket), context);
    const doc = s3.buckets.get(bucket)?.configs.get("policy");
    if (doc) {
      try {
        resourcePolicy = { id: "BucketPolicy", type: "resource", statements: parsePolicy(doc, "resource") };
      } catch {
        resourcePolicy = undefined;
      }
    }
  }
  const d = evaluate(
    { action, resource: resource ?? "*", context, principalArn: who.arn, principalAccount: who.accountId, anyResourceOf: resource ? undefined : e.service },
    identity,
    {
      boundary,
      resource: resourcePolicy,
      sessionPolicies: who.kind === "federated-user" ? undefined : sessionPolicies,
      requireResource,
    },
  );
  // Resource-only: the resource-based policy's own verdict (a statement naming the principal or its account, no deny).
  const ok = (x: Decision) => (resourceOnly && resourcePolicy ? x.details?.[resourcePolicy.id] === "allowed" : x.decision === "allowed");
  if (ok(d) && e.service === "sts" && e.operation === "AssumeRole" && Array.isArray(e.input.Tags) && e.input.Tags.length) {
    // Session tags need sts:TagSession from the trust policy (and the caller's policies, as for AssumeRole).
    const t = evaluate({ action: "sts:TagSession", resource: resource ?? "*", context, principalArn: who.arn, principalAccount: who.accountId }, identity, {
      boundary,
      resource: resourcePolicy,
      requireResource,
    });
    if (!ok(t)) return `User: ${who.arn} is not authorized to perform: sts:TagSession on resource: ${resource}`;
  }
  if (ok(d) && e.service === "sts" && e.operation === "AssumeRole" && e.input.SourceIdentity !== undefined) {
    // A source identity needs sts:SetSourceIdentity from the trust policy and the caller's policies (IAM User Guide,
    // "Permissions required to set source identity"; aws-vault's and granted's source_identity setting).
    const t = evaluate(
      { action: "sts:SetSourceIdentity", resource: resource ?? "*", context, principalArn: who.arn, principalAccount: who.accountId },
      identity,
      {
        boundary,
        resource: resourcePolicy,
        requireResource,
      },
    );
    if (!ok(t)) return `User: ${who.arn} is not authorized to perform: sts:SetSourceIdentity on resource: ${resource}`;
  }
  if (ok(d)) return undefined;
  Object.assign(detail, { decision: d, action, resource, context });
  const on = resource === undefined ? "*" : e.service === "iam" ? iamResourceText(e, resource) : resource;
  // STS words an AssumeRole that the trust (or the caller's) policies do not allow without a reason, as AWS answers it.
  if (d.decision !== "explicitDeny" && e.service === "sts" && e.operation === "AssumeRole")
    return `User: ${who.arn} is not authorized to perform: ${action} on resource: ${on}`;
  const why =
    d.decision === "explicitDeny"
      ? `with an explicit deny in ${d.matched[0]?.source.type === "resource" ? "a resource-based policy" : "an identity-based policy"}`
      : `because no identity-based policy allows the ${action} action`;
  return `User: ${who.arn} is not authorized to perform: ${action} on resource: ${on} ${why}`;
}

/**
 * The default mode's check of an AssumeRole into another account's role (as S3, ECR and Lambda check another
 * account's access): the role's trust policy must allow the principal or its account; the caller's own policies are
 * not consulted. Returns the denial's message, if denied.
 */
export function trustRefuses(sim: SimHandle, e: EnforceRequest, who: Principal): Promise<string | undefined> {
  return authorize(sim, e, who, {}, true);
}

/** Resource-based policies other services keep: Lambda function policies, ECR repository policies, EFS file system policies. */
async function servicePolicy(sim: SimHandle, e: EnforceRequest): Promise<PolicySource | undefined> {
  const v = e.input;
  let doc: string | undefined;
  try {
    if (e.service === "lambda" && typeof v.FunctionName === "string") {
      const name = v.FunctionName.startsWith("arn:") ? (v.FunctionName.split(":")[6] ?? "") : v.FunctionName.split(":").pop()!;
      const st = await sim.stateOf<{ functions: Map<string, { policy: Array<Record<string, unknown>> }> }>("lambda", e.accountId, e.region);
      const statements = st.functions.get(name)?.policy;
      if (statements?.length) doc = JSON.stringify({ Version: "2012-10-17", Statement: statements });
    } else if (e.service === "ecr" && typeof v.repositoryName === "string") {
      doc = (await sim.stateOf<{ repos: Map<string, { policy?: string }> }>("ecr", e.accountId, e.region)).repos.get(v.repositoryName)?.policy;
    } else if (e.service === "elasticfilesystem" && typeof v.FileSystemId === "string") {
      doc = (await sim.stateOf<{ fss: Map<string, { policy?: string }> }>("efs", e.accountId, e.region)).fss.get(v.FileSystemId)?.policy;
    }
    return doc ? { id: "ResourcePolicy", type: "resource", statements: parsePolicy(doc, "resource") } : undefined;
  } catch {
    return undefined;
  }
}

/** Request tags, resource tags (IAM) and the S3 condition keys the request carries. */
function requestKeys(e: EnforceRequest, context: Context, iam: IamState) {
  const v = e.input;
  const tagList: Array<Record<string, unknown>> = Array.isArray(v.Tags) ? v.Tags : Array.isArray(v.tags) ? v.tags : [];
  const reqTags = tagList.map((t) => [String(t.Key ?? t.key), String(t.Value ?? t.value ?? "")] as const);
  if (v.tags && !Array.isArray(v.tags) && typeof v.tags === "object") for (const [k, x] of Object.entries(v.tags)) reqTags.push([k, String(x)] as const);
  for (const [k, x] of reqTags) context.set(`aws:RequestTag/${k}`, [x]);
  if (reqTags.length)
    context.set(
      "aws:TagKeys",
      reqTags.map(([k]) => k),
    );
  if (e.service === "iam") {
    const target = typeof v.RoleName === "string" ? iam.roles.get(v.RoleName) : typeof v.UserName === "string" ? iam.users.get(v.UserName) : undefined;
    for (const t of target?.tags ?? []) context.set(`aws:ResourceTag/${t.Key}`, [t.Value]);
    for (const t of target?.tags ?? []) context.set(`iam:ResourceTag/${t.Key}`, [t.Value]);
  }
  if (e.service === "ecs" && (typeof v.cluster === "string" || ECS_CLUSTER_DEFAULT.has(e.operation))) {
    const c = typeof v.cluster === "string" ? v.cluster : "default";
    context.set("ecs:cluster", [
      c.startsWith("arn:")
        ? c
        : `arn:${e.region.startsWith("cn-") ? "aws-cn" : e.region.startsWith("us-gov-") ? "aws-us-gov" : "aws"}:ecs:${e.region}:${e.accountId}:cluster/${c}`,
    ]);
  }
  if (e.service === "sts") {
    for (const [k, field] of [
      ["sts:ExternalId", "ExternalId"],
      ["sts:RoleSessionName", "RoleSessionName"],
      ["sts:SourceIdentity", "SourceIdentity"],
    ] as const)
      if (typeof v[field] === "string") context.set(k, [v[field]]);
    if (Array.isArray(v.TransitiveTagKeys)) context.set("sts:TransitiveTagKeys", v.TransitiveTagKeys.map(String));
  }
  if (e.service === "s3") {
    const q = new URLSearchParams(e.req.rawQuery);
    // A presigned URL's query stands for the headers S3 reads there (SigV2: every x-amz-*; SigV4: x-amz-acl, s3/index.ts).
    const fromQuery =
      q.has("Signature") && q.has("AWSAccessKeyId")
        ? (n: string) => n.startsWith("x-amz-")
        : q.has("X-Amz-Signature")
          ? (n: string) => n === "x-amz-acl"
          : undefined;
    const h = (n: string) => header(e.req, n) ?? (fromQuery?.(n) ? (q.get(n) ?? undefined) : undefined);
    if (q.has("prefix")) context.set("s3:prefix", [q.get("prefix") ?? ""]);
    if (q.has("delimiter")) context.set("s3:delimiter", [q.get("delimiter") ?? ""]);
    if (q.has("max-keys")) context.set("s3:max-keys", [q.get("max-keys") ?? ""]);
    for (const n of [
      "x-amz-server-side-encryption",
      "x-amz-server-side-encryption-aws-kms-key-id",
      "x-amz-acl",
      "x-amz-storage-class",
      "x-amz-copy-source",
      "x-amz-metadata-directive",
    ]) {
      const x = h(n);
      if (x !== undefined) context.set(`s3:${n}`, [x]);
    }
  }
}

/** A key that names no identity (or an inactive one); S3's answer names the key (AWSAccessKeyId). */
function unknownKey(e: EnforceRequest): AwsError {
  const f = failure(e.protocol, "unknownKey", "");
  return e.protocol === "rest-xml" ? new AwsError(f.code, f.message, f.status, { extra: { AWSAccessKeyId: e.accessKeyId } }) : f;
}

/** Verify and authorize one request; throws the protocol's error. Root and unknown keys pass (outside strict). */
export async function enforce(sim: SimHandle, e: EnforceRequest): Promise<void> {
  const strict = sim.config.enforceIam === "strict";
  if (e.req.rawPath.startsWith("/_awsim") || e.req.rawPath.startsWith("/_parlel")) return;
  const auth = header(e.req, "authorization");
  // S3's SigV2: the "AWS AKID:signature" header, or query authentication (a presigned URL) without any header.
  const v2query = e.service === "s3" && auth === undefined ? v2QueryParts(e.req) : undefined;
  const v2 = e.service === "s3" && auth?.startsWith("AWS ") ? auth.slice(auth.lastIndexOf(":") + 1) : v2query?.signature;
  const signed: Signed | undefined =
    v2 !== undefined
      ? {
          signature: v2,
          signedHeaders: [],
          amzDate: "",
          scope: "",
          token: header(e.req, "x-amz-security-token") ?? v2query?.hoisted["x-amz-security-token"],
          presigned: v2query !== undefined,
        }
      : signedParts(e.req);
  if (!e.accessKeyId || !signed) {
    // Unsigned requests: S3 serves anonymous callers what bucket policies and ACLs allow them (checked in
    // s3/access.ts, strict or not); the other services, except STS's AssumeRoleWith*, need a signature.
    if (strict && e.service !== "s3" && !(e.service === "sts" && /^AssumeRoleWith/.test(e.operation))) throw failure(e.protocol, "missing", "");
    return;
  }
  const who = e.caller;
  if (!who) {
    if (strict) throw unknownKey(e);
    // Keys that match no identity act as the root of their account, unchecked; the root may not assume roles.
    if (e.service === "sts" && e.operation === "AssumeRole") throw failure(e.protocol, "denied", "Roles may not be assumed by root accounts.");
    return;
  }
  // An identity whose key is inactive.
  if (!who.secret) throw unknownKey(e);
  // A temporary key needs its own session token; a long-term key (an IAM user's, a root key) takes none, and one
  // sent with it is refused as invalid (botocore's test_bad_request_on_invalid_credentials, run against AWS).
  if (who.sessionToken !== undefined ? signed.token !== who.sessionToken : signed.token !== undefined) throw failure(e.protocol, "badToken", "");
  if (who.expiration && who.expiration.getTime() < Date.now()) throw failure(e.protocol, "expired", "");
  const bad = v2 !== undefined ? verifySigV2(e, v2, who.secret, v2query) : await verifySignature(e, signed, who.secret);
  if (bad === "skew" && v2 !== undefined) throw failure(e.protocol, "skew", "");
  if (bad === "skew" && signed.presigned && e.protocol === "rest-xml")
    throw requestExpired(amzTime(signed.amzDate) + (signed.expires ?? 0) * 1000, String(signed.expires ?? 0));
  if (bad === "skew") throw failure(e.protocol, "skew", skewMessage(e.protocol, signed.amzDate));
  if (bad === "signature") throw failure(e.protocol, "signature", SIG_MSG);
  if (bad && typeof bad === "object") {
    const f = failure(e.protocol, "signature", SIG_MSG);
    if (e.protocol !== "rest-xml") throw f;
    // S3 shows what it signed, so a client author can compare.
    throw new AwsError(f.code, f.message, f.status, {
      extra:
        v2 !== undefined
          ? {
              AWSAccessKeyId: e.accessKeyId,
              StringToSign: bad.stringToSign,
              SignatureProvided: signed.signature,
              StringToSignBytes: hexBytes(bad.stringToSign),
            }
          : {
              AWSAccessKeyId: e.accessKeyId,
              StringToSign: bad.stringToSign,
              SignatureProvided: signed.signature,
              StringToSignBytes: hexBytes(bad.stringToSign),
              CanonicalRequest: bad.canonicalRequest,
              CanonicalRequestBytes: hexBytes(bad.canonicalRequest),
            },
    });
  }
  // S3 refuses a SigV4 request carrying x-amz-* headers its signature does not cover (a header added after signing,
  // or sent with a presigned URL that signed only host): they would change what the request does.
  // x-amz-content-sha256 is left out of the check (clients send the payload hash beside presigned URLs).
  if (e.service === "s3" && v2 === undefined) {
    const covered = new Set(signed.signedHeaders);
    const unsigned = Object.keys(e.req.headers)
      .filter((h) => h.startsWith("x-amz-") && h !== "x-amz-content-sha256" && !covered.has(h))
      .sort();
    if (unsigned.length)
      throw new AwsError("AccessDenied", "There were headers present in the request which were not signed", 403, {
        extra: { HeadersNotSigned: unsigned.join(", ") },
      });
  }
  // IAM takes GetSessionToken's credentials only when MFA authenticated them, before it looks at any policy.
  if (e.service === "iam" && sessionTokenWithoutMfa(sim, e.accessKeyId))
    throw new AwsError("InvalidClientTokenId", "The security token included in the request is invalid", 403);
  // S3 authorizes DeleteObjects key by key and reports a denied key in its result (s3DeleteAllowed).
  if (e.service === "s3" && e.operation === "DeleteObjects") return;
  const detail: DenialDetail = {};
  const denied = await authorize(sim, e, who, detail);
  if (denied) {
    if (e.protocol === "ec2") {
      const { encodeAuthorizationMessage } = await import("../sts/messages.js");
      const decoded = decodedMessage(e, who, detail);
      throw failure(
        "ec2",
        "denied",
        `You are not authorized to perform this operation. Encoded authorization failure message: ${encodeAuthorizationMessage(decoded)}`,
      );
    }
    throw failure(e.protocol, "denied", e.protocol === "rest-xml" ? "Access Denied" : denied);
  }
}

/**
 * S3 DeleteObjects under enforcement: may the caller delete this key (s3:DeleteObject), or this version of it
 * (s3:DeleteObjectVersion)? S3 answers a denied key as an AccessDenied entry of the result, not for the request.
 */
export async function s3DeleteAllowed(sim: SimHandle, e: EnforceRequest, key: string, versionId?: string): Promise<boolean> {
  if (!e.caller) return true;
  const operation = versionId ? "DeleteObjectVersion" : "DeleteObject";
  return !(await authorize(sim, { ...e, operation, input: { ...e.input, Key: key } }, e.caller));
}

/** Whether the caller may list a bucket (s3:ListBucket, no prefix): S3 answers a missing object 404 only then, else 403. */
export async function s3ListAllowed(sim: SimHandle, e: EnforceRequest): Promise<boolean> {
  if (!e.caller) return true;
  return !(await authorize(sim, { ...e, operation: "ListObjectsV2", input: { Bucket: e.input.Bucket } }, e.caller));
}

/**
 * The decoded authorization message, in the shape AWS's examples show: allowed, explicitDeny, the denying
 * statements (matchedStatements), failures, and the request context (principal, action, resource and the
 * request's condition keys), every list as {items: [...]}.
 */
function decodedMessage(e: EnforceRequest, who: Principal, detail: DenialDetail) {
  const items = <T>(xs: T[]) => ({ items: xs });
  const values = (xs: string[] | undefined) => items((xs ?? []).map((value) => ({ value })));
  const d = detail.decision;
  const explicit = d?.decision === "explicitDeny";
  const statements = explicit ? d!.matched.filter((m) => m.statement.effect === "Deny").map((m) => m.statement) : [];
  const resource = detail.resource ?? "*";
  const conditions: Array<{ key: string; values: { items: Array<{ value: string }> } }> = [];
  // The request's own keys (service keys, request tags), then what AWS adds about the resource.
  for (const [key, vals] of detail.context ?? [])
    if (!key.startsWith("aws:") || key.startsWith("aws:RequestTag/") || key === "aws:TagKeys") conditions.push({ key, values: values(vals) });
  const arn = /^arn:[\w-]+:([\w-]+):([\w-]*):(\d{12}|aws)?:(.+)$/.exec(resource);
  const add = (key: string, value: string) => conditions.push({ key, values: values([value]) });
  if (arn) {
    add("aws:Resource", arn[4]!);
    add("aws:Account", arn[3] || who.accountId);
    add("aws:Region", arn[2] || e.region);
    add("aws:Service", arn[1]!);
    const type = /^([\w-]+)[/:]/.exec(arn[4]!)?.[1];
    if (type) add("aws:Type", type);
    add("aws:ARN", resource);
  }
  return {
    allowed: false,
    explicitDeny: explicit,
    matchedStatements: items(
      statements.map((st) => ({
        statementId: st.sid ?? "",
        effect: "DENY",
        principals: items([]),
        principalGroups: items([]),
        actions: values(st.action ?? st.notAction),
        resources: values(st.resource ?? st.notResource),
        conditions: items(Object.values(st.condition ?? {}).flatMap((body) => Object.entries(body).map(([key, vals]) => ({ key, values: values(vals) })))),
      })),
    ),
    failures: items([]),
    context: {
      principal: { id: who.userId, ...(who.kind === "user" ? { name: lastSeg(who.arn) } : {}), arn: who.arn },
      action: detail.action ?? actionOf(e.service, e.operation),
      resource,
      conditions: items(conditions),
    },
  };
}

export { parseAuthorizationHeader, parsePresignedCredential };
