/**
 * The resource side of S3 authorization, as S3 evaluates it for a caller that is not the bucket owner's IAM
 * identity: anonymous requests and other accounts (their IAM identity policies are checked by iam/enforce.ts), and
 * the owner's root. Under --enforce-iam for every request; in the default mode for signed requests of other
 * accounts only. The bucket policy decides first (an explicit Deny refuses, an Allow naming the caller, its account
 * or everyone grants); otherwise the ACL the operation consults: the bucket's for listing (READ), writing objects
 * (WRITE) and its ACL (READ_ACP / WRITE_ACP), the object's for reading it (READ) and its ACL. AllUsers grants
 * anyone, AuthenticatedUsers any signed caller, a CanonicalUser grant its account; an owner keeps READ_ACP and
 * WRITE_ACP on what it owns. IgnorePublicAcls drops the group grants, RestrictPublicBuckets the policy's public
 * grants to other accounts and anonymous callers; BucketOwnerEnforced disables ACLs (the bucket owner owns every
 * object). Operations no ACL covers need the bucket policy. A denied request is 403 AccessDenied; a missing object
 * is 404 only to a caller that may list the bucket (s3:ListBucket in the policy, or READ on the bucket), whatever
 * grants it s3:GetObject. The website endpoint asks the same of the object it serves (website.ts). Not covered:
 * browser POST uploads (their identity is in the form), directory buckets.
 */
import { AwsError } from "../../protocols/aws-error.js";
import { header } from "../../protocols/http.js";
import type { Ctx } from "../core/types.js";
import { actionOf, s3ListAllowed } from "../iam/enforce.js";
import { type Context, parsePolicy, type Request, type Statement, statementApplies } from "../iam/policy.js";
import { canonicalId, isAnonymous, s3state } from "./common.js";
import { S3Errors } from "./errors.js";
import type { S3Input } from "./route.js";
import type { Bucket, Grant, ObjectVersion } from "./state.js";

type Permission = Grant["permission"];

const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
const AUTH_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

/** Operations an ACL grant answers: the permission and whether the bucket's or the object's ACL holds it. */
const ACL_PERMISSION: Record<string, [Permission, "bucket" | "object"]> = {
  ListObjects: ["READ", "bucket"],
  ListObjectsV2: ["READ", "bucket"],
  ListObjectVersions: ["READ", "bucket"],
  ListMultipartUploads: ["READ", "bucket"],
  HeadBucket: ["READ", "bucket"],
  GetBucketAcl: ["READ_ACP", "bucket"],
  PutBucketAcl: ["WRITE_ACP", "bucket"],
  PutObject: ["WRITE", "bucket"],
  CopyObject: ["WRITE", "bucket"],
  DeleteObject: ["WRITE", "bucket"],
  DeleteObjects: ["WRITE", "bucket"],
  CreateMultipartUpload: ["WRITE", "bucket"],
  UploadPart: ["WRITE", "bucket"],
  UploadPartCopy: ["WRITE", "bucket"],
  CompleteMultipartUpload: ["WRITE", "bucket"],
  AbortMultipartUpload: ["WRITE", "bucket"],
  ListParts: ["WRITE", "bucket"],
  GetObject: ["READ", "object"],
  HeadObject: ["READ", "object"],
  GetObjectTorrent: ["READ", "object"],
  GetObjectAcl: ["READ_ACP", "object"],
  PutObjectAcl: ["WRITE_ACP", "object"],
};

/** Requests this check leaves alone: no bucket yet, or the identity is not in the headers. */
const UNCHECKED = new Set(["CreateBucket", "ListBuckets", "ListDirectoryBuckets", "CreateSession", "PostObject", "CorsPreflight", "WebsiteGet"]);

/** Does this ACL give `caller` (an account, undefined when anonymous) the permission? */
function aclAllows(owner: string, acl: Grant[] | undefined, perm: Permission, caller: string | undefined, ignorePublic: boolean): boolean {
  // The owner's implicit ACP rights survive any ACL it writes.
  if (caller === owner && (perm === "READ_ACP" || perm === "WRITE_ACP")) return true;
  const grants = acl ?? [{ grantee: { type: "CanonicalUser", id: canonicalId(owner) }, permission: "FULL_CONTROL" } as Grant];
  const me = caller === undefined ? undefined : canonicalId(caller);
  for (const g of grants) {
    if (g.permission !== perm && g.permission !== "FULL_CONTROL") continue;
    const ge = g.grantee;
    if (ge.type === "Group") {
      if (ignorePublic) continue;
      if (ge.uri === ALL_USERS || (ge.uri === AUTH_USERS && caller !== undefined)) return true;
    } else if (me !== undefined && ge.id === me) return true;
  }
  return false;
}

/** The condition keys a bucket policy may test, from the request (and the object it names). */
function contextOf(ctx: Ctx, input: S3Input, v: ObjectVersion | undefined, anon: boolean): Context {
  const c: Context = new Map();
  const ip = input.req.stream?.socket?.remoteAddress;
  if (ip) c.set("aws:SourceIp", [ip.replace(/^::ffff:/, "")]);
  c.set("aws:SecureTransport", ["false"]);
  c.set("aws:CurrentTime", [ctx.now().toISOString()]);
  const referer = header(input.req, "referer");
  if (referer !== undefined) c.set("aws:Referer", [referer]);
  if (!anon) c.set("aws:PrincipalAccount", [ctx.accountId]);
  for (const name of [
    "x-amz-acl",
    "x-amz-copy-source",
    "x-amz-metadata-directive",
    "x-amz-server-side-encryption",
    "x-amz-server-side-encryption-aws-kms-key-id",
    "x-amz-storage-class",
    "x-amz-grant-read",
    "x-amz-grant-write",
    "x-amz-grant-read-acp",
    "x-amz-grant-write-acp",
    "x-amz-grant-full-control",
    "x-amz-object-lock-mode",
    "x-amz-object-lock-legal-hold",
  ]) {
    const val = header(input.req, name);
    if (val !== undefined) c.set(`s3:${name}`, [val]);
  }
  for (const q of ["prefix", "delimiter", "max-keys"]) if (input.query[q] !== undefined) c.set(`s3:${q}`, [input.query[q]!]);
  if (input.query.versionId !== undefined) c.set("s3:VersionId", [input.query.versionId]);
  for (const t of v?.tags ?? []) c.set(`s3:ExistingObjectTag/${t.Key}`, [t.Value]);
  const tagging = header(input.req, "x-amz-tagging");
  if (tagging !== undefined) {
    const keys: string[] = [];
    for (const [k, val] of new URLSearchParams(tagging)) {
      c.set(`s3:RequestObjectTag/${k}`, [val]);
      keys.push(k);
    }
    c.set("s3:RequestObjectTagKeys", keys);
  }
  return c;
}

/** A statement that grants everyone: Principal "*" or {"AWS": "*"} (RestrictPublicBuckets takes these away). */
const publicGrant = (s: Statement) => s.principal === "*" || (s.principal !== undefined && Object.values(s.principal).some((l) => l.includes("*")));

/**
 * The bucket policy's verdict: "deny" (an explicit Deny), "allow", or undefined (it says nothing). With
 * RestrictPublicBuckets a public statement grants only the bucket owner's account.
 */
function policyVerdict(b: Bucket, req: Request): "deny" | "allow" | undefined {
  const doc = b.configs.get("policy");
  if (!doc) return undefined;
  let statements: Statement[];
  try {
    statements = parsePolicy(doc, "resource");
  } catch {
    return undefined;
  }
  const missing = new Set<string>();
  let allow = false;
  for (const s of statements) {
    if (!statementApplies(s, req, missing, true)) continue;
    if (s.effect === "Deny") return "deny";
    if (b.pab?.RestrictPublicBuckets && req.principalAccount !== b.owner && publicGrant(s)) continue;
    allow = true;
  }
  return allow ? "allow" : undefined;
}

const currentOrNamed = (b: Bucket, key: string, versionId: string | undefined): ObjectVersion | undefined => {
  const versions = b.objects.get(key)?.versions;
  const v = versionId ? versions?.find((x) => x.versionId === versionId) : versions?.[0];
  return v && !v.isDeleteMarker ? v : undefined;
};

/** May this caller read `key` of bucket `b` (a copy source)? */
function mayRead(ctx: Ctx, input: S3Input, b: Bucket, key: string, versionId: string | undefined, caller: string | undefined): boolean {
  const v = currentOrNamed(b, key, versionId);
  const req: Request = {
    action: versionId ? "s3:GetObjectVersion" : "s3:GetObject",
    resource: `arn:aws:s3:::${b.name}/${key}`,
    context: contextOf(ctx, input, v, caller === undefined),
    principalArn: caller === undefined ? undefined : (ctx.caller?.arn ?? `arn:aws:iam::${caller}:root`),
    principalAccount: caller,
  };
  const verdict = policyVerdict(b, req);
  if (verdict) return verdict === "allow";
  if (!v) return aclAllows(b.owner, b.acl, "READ", caller, !!b.pab?.IgnorePublicAcls) || caller === b.owner;
  if (b.ownership === "BucketOwnerEnforced") return caller === b.owner;
  return aclAllows(v.owner, v.acl, "READ", caller, !!b.pab?.IgnorePublicAcls);
}

/**
 * Throws AccessDenied when S3's resource-side checks refuse this request. Under --enforce-iam every request is
 * checked; otherwise only a signed request of another account than the bucket's owner (a 12-digit access key, or keys
 * awsim issued in that account), as ECR and Lambda check another account's access: the owner's account and unsigned
 * requests (served as the default account's) keep the default mode's open access.
 */
export function authorizeS3(ctx: Ctx, input: S3Input, operation: string): void {
  let otherAccountsOnly = false;
  if (!ctx.config.enforceIam) {
    if (input.bucket === undefined || UNCHECKED.has(operation)) return;
    const copy = operation === "CopyObject" || operation === "UploadPartCopy";
    if (!copy && (s3state(ctx).buckets.get(input.bucket)?.owner ?? ctx.accountId) === ctx.accountId) return;
    if (isAnonymous(input)) return;
    otherAccountsOnly = true;
  }
  if (operation !== "HeadBucket") return checkS3Access(ctx, input, operation, otherAccountsOnly);
  try {
    checkS3Access(ctx, input, operation, otherAccountsOnly);
  } catch (e) {
    // A HeadBucket S3 refuses still names the bucket's Region (SDKs find a bucket's Region with an unsigned HEAD).
    const region = input.bucket ? s3state(ctx).buckets.get(input.bucket)?.region : undefined;
    if (e instanceof AwsError && e.code === "AccessDenied" && region)
      throw new AwsError(e.code, e.message, e.status, { extra: e.extra, headers: { ...e.headers, "x-amz-bucket-region": region } });
    throw e;
  }
}

/** `otherAccountsOnly` (the default mode): the checks of buckets the caller's account does not own only. */
function checkS3Access(ctx: Ctx, input: S3Input, operation: string, otherAccountsOnly = false): void {
  // An anonymous caller has no account: no buckets to list, none to own.
  if ((operation === "ListBuckets" || operation === "CreateBucket") && isAnonymous(input)) throw S3Errors.accessDenied();
  if (UNCHECKED.has(operation) || !input.bucket || input.bucket.endsWith("--x-s3")) return;
  const b = s3state(ctx).buckets.get(input.bucket);
  if (!b) return;
  const anon = isAnonymous(input);
  const caller = anon ? undefined : ctx.accountId;
  // The owner's IAM identities are authorized by their policies (iam/enforce.ts); its root by the bucket's rules below.
  const iamIdentity = !!ctx.caller && ctx.caller.kind !== "root";
  if (!(otherAccountsOnly && caller === b.owner)) checkBucketAccess(ctx, input, operation, b, caller, anon, iamIdentity);
  // A copy reads its source too.
  if (operation === "CopyObject" || operation === "UploadPartCopy") {
    const src = header(input.req, "x-amz-copy-source");
    if (!src) return;
    const [path, query] = decodeURIComponent(src).replace(/^\//, "").split("?versionId=");
    const slash = path!.indexOf("/");
    if (slash < 0) return;
    const sb = s3state(ctx).buckets.get(path!.slice(0, slash));
    if (!sb || (caller === sb.owner && (iamIdentity || otherAccountsOnly))) return;
    if (!mayRead(ctx, input, sb, path!.slice(slash + 1), query, caller)) throw S3Errors.accessDenied();
  }
}

function checkBucketAccess(ctx: Ctx, input: S3Input, operation: string, b: Bucket, caller: string | undefined, anon: boolean, iamIdentity: boolean): void {
  if (caller === b.owner && iamIdentity) return;
  const key = input.key;
  const v = key === undefined ? undefined : currentOrNamed(b, key, input.query.versionId);
  const action = actionOf("s3", operation);
  const req: Request = {
    action: action === "s3:GetObject" && input.query.versionId ? "s3:GetObjectVersion" : action,
    resource: key === undefined ? `arn:aws:s3:::${b.name}` : `arn:aws:s3:::${b.name}/${key}`,
    context: contextOf(ctx, input, v, anon),
    principalArn: anon ? undefined : (ctx.caller?.arn ?? `arn:aws:iam::${caller}:root`),
    principalAccount: caller,
  };
  const verdict = policyVerdict(b, req);
  if (verdict === "deny") throw S3Errors.accessDenied();
  // A policy's s3:GetObject on a missing object: NoSuchKey only to a caller that may list the bucket, else 403.
  if (verdict === "allow" && !v && key !== undefined && !input.query.versionId && (operation === "GetObject" || operation === "HeadObject")) {
    const list = policyVerdict(b, { ...req, action: "s3:ListBucket", resource: `arn:aws:s3:::${b.name}` });
    const ignorePublic = !!b.pab?.IgnorePublicAcls;
    const mayList =
      caller === b.owner ||
      list === "allow" ||
      (list === undefined && b.ownership !== "BucketOwnerEnforced" && aclAllows(b.owner, b.acl, "READ", caller, ignorePublic));
    if (!mayList) throw S3Errors.accessDenied();
  }
  if (verdict !== "allow") {
    const rule = ACL_PERMISSION[operation];
    // Whatever no ACL grants (configurations, tagging, lock settings) is the owner's alone.
    if (!rule) {
      if (caller !== b.owner) throw S3Errors.accessDenied();
    } else {
      const [perm, on] = rule;
      const ignorePublic = !!b.pab?.IgnorePublicAcls;
      const enforced = b.ownership === "BucketOwnerEnforced";
      let ok: boolean;
      if (on === "bucket") ok = enforced ? caller === b.owner : aclAllows(b.owner, b.acl, perm, caller, ignorePublic);
      else if (!v) {
        // A missing object is NoSuchKey only to a caller that may list the bucket.
        ok = enforced ? caller === b.owner : aclAllows(b.owner, b.acl, "READ", caller, ignorePublic);
      } else ok = enforced ? caller === b.owner : aclAllows(v.owner, v.acl, perm, caller, ignorePublic);
      if (!ok) throw S3Errors.accessDenied();
    }
  }
}

/**
 * A browser POST upload writes an object with the identity its form carries (undefined: anonymous): the bucket
 * policy's s3:PutObject or WRITE on the bucket, as a PutObject.
 */
export function authorizePost(ctx: Ctx, input: S3Input, b: Bucket, key: string, caller: string | undefined, callerArn?: string): void {
  if (!ctx.config.enforceIam) return;
  if (caller === b.owner && callerArn && !callerArn.endsWith(":root")) return;
  const req: Request = {
    action: "s3:PutObject",
    resource: `arn:aws:s3:::${b.name}/${key}`,
    context: contextOf(ctx, input, undefined, caller === undefined),
    principalArn: caller === undefined ? undefined : (callerArn ?? `arn:aws:iam::${caller}:root`),
    principalAccount: caller,
  };
  const verdict = policyVerdict(b, req);
  if (verdict === "allow") return;
  const ok = b.ownership === "BucketOwnerEnforced" ? caller === b.owner : aclAllows(b.owner, b.acl, "WRITE", caller, !!b.pab?.IgnorePublicAcls);
  if (verdict === "deny" || !ok) throw S3Errors.accessDenied();
}

/**
 * The bucket owner's IAM identities (their policies are iam/enforce.ts's): a GetObject or HeadObject of a missing
 * object is 404 only to one that may s3:ListBucket the bucket, else 403 AccessDenied, as the GetObject and HeadObject
 * API references say (S3A's assumed-role tests see AccessDeniedException, not FileNotFoundException, without it).
 */
export function listsMissingObjects(ctx: Ctx, input: S3Input, operation: string): boolean {
  if (!ctx.config.enforceIam || (operation !== "GetObject" && operation !== "HeadObject") || input.query.versionId !== undefined) return false;
  if (!ctx.caller || ctx.caller.kind === "root" || !input.bucket) return false;
  return s3state(ctx).buckets.get(input.bucket)?.owner === ctx.accountId;
}

export async function missingObjectAnswer(ctx: Ctx, input: S3Input, operation: string, run: () => unknown): Promise<unknown> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof AwsError) || e.code !== "NoSuchKey") throw e;
    const e2 = {
      req: input.req,
      protocol: "rest-xml" as const,
      service: "s3",
      operation,
      input: { Bucket: input.bucket },
      accountId: ctx.accountId,
      region: ctx.region,
    };
    if (!(await s3ListAllowed(ctx.sim, { ...e2, accessKeyId: ctx.accessKeyId, caller: ctx.caller }))) throw S3Errors.accessDenied();
    throw e;
  }
}
