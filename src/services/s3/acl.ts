/**
 * Access control lists: canned ACLs, x-amz-grant-* headers and AccessControlPolicy documents, turned into
 * grants and read back as S3 shows them; Object Ownership (BucketOwnerEnforced disables ACLs). Grantees:
 * canonical user ids of accounts awsim knows (bucket owners and the caller), the S3 groups, and e-mail
 * addresses of the form <12-digit account id>@<domain> (any other address is unresolvable).
 * ACLs are stored and returned; access is not evaluated against them.
 */
import { header, readBody } from "../../protocols/http.js";
import { asArray, parseXml } from "../../protocols/xml.js";
import type { Ctx } from "../core/types.js";
import { canonicalId, owner, s3state } from "./common.js";
import { S3Errors } from "./errors.js";
import type { S3Input } from "./route.js";
import type { Bucket, Grant, Grantee } from "./state.js";

const GROUPS = "http://acs.amazonaws.com/groups/";
const ALL_USERS = `${GROUPS}global/AllUsers`;
const AUTH_USERS = `${GROUPS}global/AuthenticatedUsers`;
const LOG_DELIVERY = `${GROUPS}s3/LogDelivery`;
const VALID_GROUPS = [ALL_USERS, AUTH_USERS, LOG_DELIVERY];
/** The canonical user S3's aws-exec-read grants READ to (Amazon EC2). */
const EC2_ID = "6aa5a366c34c1cbe25dc49211496e913e0351eb0e8c37aa3477e40942ec6b97c";

export const CANNED = [
  "private",
  "public-read",
  "public-read-write",
  "authenticated-read",
  "aws-exec-read",
  "bucket-owner-read",
  "bucket-owner-full-control",
  "log-delivery-write",
];
const PERMISSIONS = ["FULL_CONTROL", "WRITE", "WRITE_ACP", "READ", "READ_ACP"] as const;
const GRANT_HEADERS: Array<[string, Grant["permission"]]> = [
  ["x-amz-grant-full-control", "FULL_CONTROL"],
  ["x-amz-grant-read", "READ"],
  ["x-amz-grant-read-acp", "READ_ACP"],
  ["x-amz-grant-write", "WRITE"],
  ["x-amz-grant-write-acp", "WRITE_ACP"],
];

const group = (uri: string, permission: Grant["permission"]): Grant => ({ grantee: { type: "Group", uri }, permission });

const ownerFull = (account: string): Grant => ({ grantee: { type: "CanonicalUser", id: canonicalId(account) }, permission: "FULL_CONTROL" });

/** The grants a canned ACL stands for (the owner's FULL_CONTROL first). */
export function cannedGrants(canned: string, ownerAccount: string, bucketOwner: string): Grant[] {
  return [ownerFull(ownerAccount), ...cannedExtra(canned, ownerAccount, bucketOwner)];
}

function cannedExtra(canned: string, ownerAccount: string, bucketOwner: string): Grant[] {
  switch (canned) {
    case "public-read":
      return [group(ALL_USERS, "READ")];
    case "public-read-write":
      return [group(ALL_USERS, "READ"), group(ALL_USERS, "WRITE")];
    case "authenticated-read":
      return [group(AUTH_USERS, "READ")];
    case "aws-exec-read":
      return [{ grantee: { type: "CanonicalUser", id: EC2_ID }, permission: "READ" }];
    case "log-delivery-write":
      return [group(LOG_DELIVERY, "WRITE"), group(LOG_DELIVERY, "READ_ACP")];
    case "bucket-owner-read":
      return bucketOwner === ownerAccount ? [] : [{ grantee: { type: "CanonicalUser", id: canonicalId(bucketOwner) }, permission: "READ" }];
    case "bucket-owner-full-control":
      return bucketOwner === ownerAccount ? [] : [{ grantee: { type: "CanonicalUser", id: canonicalId(bucketOwner) }, permission: "FULL_CONTROL" }];
    default:
      return [];
  }
}

/** Canonical ids of the accounts awsim knows: bucket owners, the caller and every account that has called S3. */
function knownIds(ctx: Ctx): Set<string> {
  const ids = new Set([canonicalId(ctx.accountId), EC2_ID]);
  const st = s3state(ctx);
  for (const b of st.buckets.values()) ids.add(canonicalId(b.owner));
  for (const a of st.accounts ?? []) ids.add(canonicalId(a));
  return ids;
}

/** argName: AWS names the grant header's key ("id", "uri") for header grants, "CanonicalUser/ID" / "Group/URI" in documents. */
function resolveId(ctx: Ctx, id: string, known: Set<string>, argName = "CanonicalUser/ID"): Grantee {
  if (!known.has(id)) throw S3Errors.invalidArgument("Invalid id", argName, id);
  return { type: "CanonicalUser", id };
}

function resolveEmail(email: string): Grantee {
  const m = /^(\d{12})@[^@\s]+$/.exec(email);
  if (!m) throw S3Errors.unresolvableEmail(email);
  return { type: "AmazonCustomerByEmail", email, id: canonicalId(m[1]!) };
}

function resolveGroup(uri: string, argName = "Group/URI"): Grantee {
  if (!VALID_GROUPS.includes(uri)) throw S3Errors.invalidArgument("Invalid group uri", argName, uri);
  return { type: "Group", uri };
}

/** x-amz-grant-* headers: `id="..."`, `uri="..."`, `emailAddress="..."`, comma separated. */
function headerGrants(ctx: Ctx, input: S3Input, forObject: boolean): Grant[] | undefined {
  let out: Grant[] | undefined;
  let known: Set<string> | undefined;
  for (const [name, permission] of GRANT_HEADERS) {
    const v = header(input.req, name);
    if (v === undefined) continue;
    if (forObject && permission === "WRITE") throw S3Errors.invalidArgument("Unsupported header", name, v);
    out ??= [];
    for (const item of v.split(",")) {
      const m = /^\s*(id|uri|emailAddress)\s*=\s*"?([^"]*)"?\s*$/i.exec(item);
      if (!m) throw S3Errors.invalidArgument("Argument format not recognized", name, v);
      const kind = m[1]!.toLowerCase();
      const value = m[2]!;
      if (kind === "id") {
        known ??= knownIds(ctx);
        out.push({ grantee: resolveId(ctx, value, known, m[1]!), permission });
      } else if (kind === "uri") out.push({ grantee: resolveGroup(value, m[1]!), permission });
      else out.push({ grantee: resolveEmail(value), permission });
    }
  }
  return out;
}

function ownershipAllows(b: Bucket, canned: string | undefined, grants: Grant[] | undefined): boolean {
  if (b.ownership !== "BucketOwnerEnforced") return true;
  if (grants?.length)
    return grants.every((g) => g.permission === "FULL_CONTROL" && g.grantee.type === "CanonicalUser" && g.grantee.id === canonicalId(b.owner));
  return canned === undefined || canned === "bucket-owner-full-control" || canned === "private";
}

/**
 * The ACL a write (PutObject, CopyObject, CreateMultipartUpload, PostObject) asks for by header; undefined when
 * none (private). Checks the canned value, the grants and the bucket's Object Ownership.
 */
export function requestAcl(
  ctx: Ctx,
  input: S3Input,
  b: Bucket | undefined,
  forObject: boolean,
  ownerAccount: string,
  bucketOwner?: string,
): Grant[] | undefined {
  const canned = header(input.req, "x-amz-acl");
  const hasGrant = GRANT_HEADERS.some(([h]) => input.req.headers[h] !== undefined);
  if (canned === undefined && !hasGrant) return undefined;
  if (canned !== undefined && hasGrant) throw S3Errors.invalidRequest("Specifying both Canned ACLs and Header Grants is not allowed");
  if (canned !== undefined && !CANNED.includes(canned)) throw S3Errors.invalidArgument("", "x-amz-acl", canned);
  const grants = hasGrant ? headerGrants(ctx, input, forObject) : undefined;
  if (b && !ownershipAllows(b, canned, grants)) throw S3Errors.aclNotSupported();
  if (grants) return grants;
  return canned === "private" ? undefined : cannedGrants(canned!, ownerAccount, b?.owner ?? bucketOwner ?? ownerAccount);
}

/** An AccessControlPolicy document → its grants, as given. */
function documentGrants(ctx: Ctx, text: string, ownerAccount: string): Grant[] {
  let doc: Record<string, any>;
  try {
    doc = parseXml(text);
  } catch {
    throw S3Errors.malformedAcl();
  }
  const policy = doc.AccessControlPolicy;
  // The Owner is required: a document without one does not validate.
  if (!policy || typeof policy !== "object" || !policy.Owner) throw S3Errors.malformedAcl();
  const ownerId = policy.Owner?.ID;
  if (ownerId !== undefined && String(ownerId) !== canonicalId(ownerAccount)) throw S3Errors.invalidArgument("Invalid id", "CanonicalUser/ID", String(ownerId));
  const known = knownIds(ctx);
  const grants: Grant[] = [];
  for (const g of asArray(policy.AccessControlList?.Grant) as Array<Record<string, any>>) {
    const permission = String(g?.Permission ?? "");
    if (!(PERMISSIONS as readonly string[]).includes(permission)) throw S3Errors.malformedAcl();
    const gr = g.Grantee;
    if (!gr || typeof gr !== "object") throw S3Errors.malformedAcl();
    const type = String(gr["@_type"] ?? "");
    let grantee: Grantee;
    if (type === "CanonicalUser") {
      if (gr.ID === undefined) throw S3Errors.malformedAcl();
      grantee = resolveId(ctx, String(gr.ID), known);
    } else if (type === "Group") {
      if (gr.URI === undefined) throw S3Errors.malformedAcl();
      grantee = resolveGroup(String(gr.URI));
    } else if (type === "AmazonCustomerByEmail") {
      if (gr.EmailAddress === undefined) throw S3Errors.malformedAcl();
      grantee = resolveEmail(String(gr.EmailAddress));
    } else throw S3Errors.malformedAcl();
    grants.push({ grantee, permission: permission as Grant["permission"] });
  }
  return grants;
}

/** PutBucketAcl / PutObjectAcl: canned header, grant headers or a document, exactly one of them. */
export async function aclFromPut(ctx: Ctx, input: S3Input, b: Bucket, ownerAccount: string): Promise<Grant[]> {
  const body = await readBody(input.req, 64 * 1024);
  const hasHeaders = input.req.headers["x-amz-acl"] !== undefined || GRANT_HEADERS.some(([h]) => input.req.headers[h] !== undefined);
  // PutObjectAcl takes x-amz-grant-write (only object writes refuse it), so grants are read as for a bucket.
  // A canned bucket-owner-read / bucket-owner-full-control names this bucket's owner.
  const fromHeaders = hasHeaders ? (requestAcl(ctx, input, undefined, false, ownerAccount, b.owner) ?? [ownerFull(ownerAccount)]) : undefined;
  // Both forms, or neither, are refused before Object Ownership is considered.
  if (fromHeaders !== undefined && body.length) throw S3Errors.unexpectedContent();
  if (fromHeaders === undefined && !body.length) throw S3Errors.missingSecurityHeader("x-amz-acl");
  const grants = fromHeaders ?? documentGrants(ctx, body.toString("utf8"), ownerAccount);
  if (b.ownership === "BucketOwnerEnforced") {
    const self = canonicalId(b.owner);
    const onlyOwner = grants.every((g) => g.permission === "FULL_CONTROL" && g.grantee.type === "CanonicalUser" && g.grantee.id === self);
    if (!onlyOwner) throw S3Errors.aclNotSupported();
  }
  return grants;
}

function granteeXml(g: Grantee): Record<string, unknown> {
  const ns = { "@_xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance" };
  if (g.type === "Group") return { ...ns, "@_xsi:type": "Group", URI: g.uri };
  // A grant by e-mail reads back as the canonical user it names; no DisplayName (S3 dropped it on 2025-11-21).
  return { ...ns, "@_xsi:type": "CanonicalUser", ID: g.id };
}

/** The AccessControlPolicy body S3 returns for an owner and its grants (private when none were set). */
export function aclBody(ownerAccount: string, grants: Grant[] | undefined) {
  const list = grants ?? [ownerFull(ownerAccount)];
  return { Owner: owner(ownerAccount), AccessControlList: { Grant: list.map((g) => ({ Grantee: granteeXml(g.grantee), Permission: g.permission })) } };
}

/** True when the grants make the resource public (AllUsers or AuthenticatedUsers). */
export function isPublicAcl(grants: Grant[] | undefined): boolean {
  return !!grants?.some((g) => g.grantee.type === "Group" && (g.grantee.uri === ALL_USERS || g.grantee.uri === AUTH_USERS));
}
