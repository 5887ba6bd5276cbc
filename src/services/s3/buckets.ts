/** Buckets: create (name rules, regions, ownership), list, head, location, delete, versioning, tags, ACLs and stored configurations. */
import { header, readBody } from "../../protocols/http.js";
import { asArray } from "../../protocols/xml.js";
import { rawResponse, type Ctx } from "../core/types.js";
import { discard } from "./blobs.js";
import { aclBody, aclFromPut, isPublicAcl, requestAcl } from "./acl.js";
import {
  canonicalId,
  empty,
  generatedId,
  checkBodyDigests,
  getBucket,
  owner,
  readXml,
  s3now,
  s3state,
  validateTags,
  wholeSecond,
  xmlReply,
  xmlTags,
} from "./common.js";
import { validateCorsRules } from "./cors.js";
import { lambdaTargets } from "./notify.js";
import { createDirectoryBucket, DIRECTORY_SUFFIX, directoryHeadHeaders } from "./directory.js";
import { S3Errors } from "./errors.js";
import type { S3Input } from "./route.js";
import type { Bucket } from "./state.js";
import type { IamState } from "../iam/state.js";

export function validBucketName(n: string): boolean {
  if (n.length < 3 || n.length > 63) return false;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(n)) return false;
  if (n.includes("..") || n.includes(".-") || n.includes("-.")) return false;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(n)) return false;
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(n) || /(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(n)) return false;
  return true;
}

/**
 * S3's LocationConstraint rules: us-east-1 is never written (it is the absence of a constraint), a value
 * that names no region is invalid, and a regional endpoint other than us-east-1 only creates buckets in
 * its own region ("EU" is eu-west-1). us-east-1 (the global endpoint) creates buckets anywhere. An absent
 * constraint outside us-east-1 is refused only under --strict (the bucket then takes the request's region).
 */
function checkLocationConstraint(ctx: Ctx, constraint: string): void {
  // us-east-1 is invalid at the global endpoint; any other regional endpoint names it as incompatible, as it does every other region.
  if (constraint === "us-east-1" && ctx.region === "us-east-1") throw S3Errors.invalidLocationConstraint(constraint);
  if (constraint && constraint !== "EU" && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(constraint)) throw S3Errors.invalidLocationConstraint(constraint);
  if (ctx.region === "us-east-1") return;
  if (constraint === "" ? ctx.config.strict : (constraint === "EU" ? "eu-west-1" : constraint) !== ctx.region)
    throw S3Errors.illegalLocationConstraint(ctx.region, constraint);
}

export async function CreateBucket(ctx: Ctx, input: S3Input) {
  const name = input.bucket!;
  if (name.endsWith(DIRECTORY_SUFFIX)) return createDirectoryBucket(ctx, input);
  if (!validBucketName(name)) throw S3Errors.invalidBucketName(name);
  const body = await readBody(input.req, 64 * 1024);
  let constraint = "";
  let tags: Array<{ Key: string; Value: string }> = [];
  if (body.length) {
    const { doc } = await readXml({ ...input, req: { ...input.req, _body: Promise.resolve(body) } as typeof input.req });
    constraint = String(doc.CreateBucketConfiguration?.LocationConstraint ?? "");
    // A LocationConstraint element given empty names no region: invalid, as AWS answers.
    const cfg = doc.CreateBucketConfiguration;
    if (cfg && typeof cfg === "object" && "LocationConstraint" in cfg && constraint === "") throw S3Errors.invalidLocationConstraint("");
    // A Directory bucket configuration needs a directory bucket name (base--zone-id--x-s3).
    if (doc.CreateBucketConfiguration?.Bucket?.Type === "Directory") throw S3Errors.invalidBucketName(name);
    // Tags at creation (CreateBucketConfiguration.Tags, as the API reference documents) follow PutBucketTagging's rules.
    tags = validateTags(xmlTags(doc.CreateBucketConfiguration?.Tags?.Tag), 50, "create-bucket");
  }
  checkLocationConstraint(ctx, constraint);
  // "EU" is the legacy name of eu-west-1: the bucket lives there, and GetBucketLocation answers the constraint as given.
  const region = constraint === "EU" ? "eu-west-1" : constraint || ctx.region;
  const st = s3state(ctx);
  const existing = st.buckets.get(name);
  if (existing) {
    if (existing.owner !== ctx.accountId) throw S3Errors.bucketAlreadyExists(name);
    // us-east-1 re-creates its own bucket idempotently, but not when the request carries tags.
    if (existing.region === "us-east-1" && region === "us-east-1" && !tags.length) return empty(200, { location: `/${name}` });
    throw S3Errors.bucketAlreadyOwnedByYou(name);
  }
  const lock = header(input.req, "x-amz-bucket-object-lock-enabled")?.toLowerCase() === "true";
  const b: Bucket = {
    name,
    owner: ctx.accountId,
    region,
    locationConstraint: constraint === "EU" ? "EU" : undefined,
    created: s3now(ctx),
    versioning: lock ? "Enabled" : undefined,
    keys: [],
    objects: new Map(),
    uploads: new Map(),
    configs: new Map(),
    idConfigs: new Map(),
    objectLockEnabled: lock,
    tags: tags.length ? tags : undefined,
  };
  const ownership = header(input.req, "x-amz-object-ownership") ?? (ctx.config.strict ? "BucketOwnerEnforced" : undefined);
  if (ownership !== undefined) {
    if (!OWNERSHIPS.includes(ownership)) throw S3Errors.invalidArgument(`Invalid x-amz-object-ownership header: ${ownership}`, "x-amz-object-ownership");
    b.ownership = ownership as Bucket["ownership"];
  }
  const canned = header(input.req, "x-amz-acl");
  const grants = requestAcl(ctx, input, undefined, false, ctx.accountId);
  if (b.ownership === "BucketOwnerEnforced" && (grants !== undefined || (canned !== undefined && canned !== "private")))
    throw S3Errors.invalidBucketAclWithOwnership();
  b.acl = grants;
  if (ctx.config.strict) {
    // AWS's defaults for new buckets since April 2023: Block Public Access on, SSE-S3 default encryption.
    b.pab = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
    b.defaultSse = { algorithm: "AES256", bucketKey: false };
    // Since April 2026 new buckets also block SSE-C writes.
    b.blockSseC = true;
  }
  st.buckets.set(name, b);
  return empty(200, { location: region === "us-east-1" ? `/${name}` : `http://${name}.s3.amazonaws.com/` });
}

/** AWS's Regions, every partition (botocore 1.43 endpoints data): the values ListBuckets takes as bucket-region. */
const AWS_REGIONS = new Set([
  ...["af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2"],
  ...["ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7"],
  ...["ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2"],
  ...["eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1"],
  ...["us-west-2", "cn-north-1", "cn-northwest-1", "us-gov-east-1", "us-gov-west-1", "us-iso-east-1", "us-iso-west-1"],
  ...["us-isob-east-1", "us-isob-west-1", "eu-isoe-west-1", "us-isof-east-1", "us-isof-south-1", "eusc-de-east-1"],
]);

export function ListBuckets(ctx: Ctx, input: S3Input) {
  const q = input.query;
  const max = q["max-buckets"] !== undefined ? Number(q["max-buckets"]) : 10000;
  if (!Number.isInteger(max) || max < 1 || max > 10000)
    throw S3Errors.invalidArgument("Argument max-buckets must be an integer between 1 and 10000.", "max-buckets", q["max-buckets"]);
  const mine = [...s3state(ctx).buckets.values()].filter((b) => b.owner === ctx.accountId && !b.directory);
  // A region AWS does not have is refused (recorded 2025); the request's own region and the regions of
  // existing buckets are accepted too, so a local setup with a made-up region keeps listing.
  const region = q["bucket-region"];
  if (region && !AWS_REGIONS.has(region) && region !== ctx.region && !mine.some((b) => b.region === region))
    throw S3Errors.invalidArgument(`Argument value ${region} is not a valid AWS Region`, "bucket-region");
  const after = q["continuation-token"] ? Buffer.from(q["continuation-token"], "base64url").toString() : "";
  const all = mine
    .filter((b) => !q.prefix || b.name.startsWith(q.prefix))
    .filter((b) => !q["bucket-region"] || b.region === q["bucket-region"])
    .filter((b) => b.name > after)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const page = all.slice(0, max);
  // BucketRegion is named only when the request carries one of ListBuckets' parameters (the API reference's Bucket type).
  const paged = ["max-buckets", "prefix", "continuation-token", "bucket-region"].some((k) => k in q);
  return xmlReply("ListAllMyBucketsResult", {
    Owner: owner(ctx.accountId),
    Buckets: { Bucket: page.map((b) => ({ Name: b.name, CreationDate: wholeSecond(b.created), BucketRegion: paged ? b.region : undefined })) },
    ContinuationToken: all.length > max ? Buffer.from(page[page.length - 1]!.name).toString("base64url") : undefined,
    Prefix: q.prefix,
  });
}

export function HeadBucket(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  // AWS answers HeadBucket with Content-Type application/xml (and no body).
  return empty(200, {
    "content-type": "application/xml",
    "x-amz-bucket-region": b.region,
    "x-amz-access-point-alias": "false",
    ...(b.directory ? directoryHeadHeaders(b) : {}),
  });
}

export function GetBucketLocation(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  return xmlReply("LocationConstraint", b.region === "us-east-1" ? {} : { "#text": b.locationConstraint ?? b.region });
}

export function DeleteBucket(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  if (b.objects.size > 0) throw S3Errors.bucketNotEmpty(b.name, b.versioning !== undefined);
  for (const u of b.uploads.values()) for (const p of u.parts.values()) discard(p.blob);
  if (b.configs.has("logging")) s3state(ctx).loggingBuckets--;
  s3state(ctx).buckets.delete(b.name);
  return empty(204);
}

export async function PutBucketVersioning(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const { doc } = await readXml(input);
  const cfg = doc.VersioningConfiguration;
  const status = cfg?.Status;
  if (cfg !== undefined && (typeof cfg !== "object" || Object.keys(cfg).every((k) => k.startsWith("@")))) throw S3Errors.illegalVersioningConfiguration();
  if (status !== "Enabled" && status !== "Suspended") throw S3Errors.malformedXml();
  if (status === "Suspended" && b.replication)
    throw S3Errors.invalidBucketState("Replication configuration is present on this bucket, so the versioning state cannot be changed.");
  if (status === "Suspended" && b.objectLockEnabled)
    throw S3Errors.invalidBucketState("An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.");
  const mfa = cfg.MfaDelete === undefined ? undefined : String(cfg.MfaDelete).trim();
  if (mfa !== undefined && mfa !== "Enabled" && mfa !== "Disabled") throw S3Errors.malformedXml();
  b.versioning = status;
  if (mfa) b.mfaDelete = mfa;
  return empty(200);
}

export function GetBucketVersioning(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  return xmlReply("VersioningConfiguration", { ...(b.versioning ? { Status: b.versioning } : {}), ...(b.mfaDelete ? { MfaDelete: b.mfaDelete } : {}) });
}

export async function PutBucketTagging(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const { doc } = await readXml(input);
  b.tags = validateTags(xmlTags(doc.Tagging?.TagSet?.Tag), 50, "bucket");
  return empty(204);
}

export function GetBucketTagging(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  if (!b.tags?.length) throw S3Errors.noSuchTagSet(b.name);
  return xmlReply("Tagging", { TagSet: { Tag: b.tags } });
}

export function DeleteBucketTagging(ctx: Ctx, input: S3Input) {
  getBucket(ctx, input).tags = undefined;
  return empty(204);
}

const OWNERSHIPS = ["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"];

export function GetBucketAcl(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  return xmlReply("AccessControlPolicy", aclBody(b.owner, b.acl));
}

export async function PutBucketAcl(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const grants = await aclFromPut(ctx, input, b, b.owner);
  if (b.pab?.BlockPublicAcls && isPublicAcl(grants)) throw S3Errors.accessDenied();
  b.acl = grants;
  return empty(200);
}

export async function PutBucketOwnershipControls(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const { text, doc } = await readXml(input);
  const rules = asArray(doc.OwnershipControls?.Rule);
  const value = String(rules[0]?.ObjectOwnership ?? "");
  if (rules.length !== 1 || !OWNERSHIPS.includes(value)) throw S3Errors.malformedXml();
  if (
    value === "BucketOwnerEnforced" &&
    b.acl?.some((g) => !(g.permission === "FULL_CONTROL" && g.grantee.type === "CanonicalUser" && g.grantee.id === canonicalId(b.owner)))
  )
    throw S3Errors.invalidBucketAclWithOwnership();
  b.ownership = value as Bucket["ownership"];
  b.configs.set("ownershipControls", text);
  return empty(200);
}

export function GetBucketOwnershipControls(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  if (!b.ownership) throw S3Errors.noSuchConfig("OwnershipControlsNotFoundError", "The bucket ownership controls were not found", b.name);
  return xmlReply("OwnershipControls", { Rule: { ObjectOwnership: b.ownership } });
}

export function DeleteBucketOwnershipControls(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  b.ownership = undefined;
  b.configs.delete("ownershipControls");
  return empty(204);
}

const SSE_ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

export async function PutBucketEncryption(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const { doc } = await readXml(input);
  const rules = asArray(doc.ServerSideEncryptionConfiguration?.Rule) as Array<Record<string, any>>;
  if (rules.length !== 1) throw S3Errors.malformedXml();
  const by = rules[0]!.ApplyServerSideEncryptionByDefault;
  const alg = String(by?.SSEAlgorithm ?? "");
  if (!SSE_ALGORITHMS.includes(alg)) throw S3Errors.malformedXml();
  const keyId = by.KMSMasterKeyID === undefined ? undefined : String(by.KMSMasterKeyID);
  if (keyId !== undefined && alg === "AES256")
    throw S3Errors.invalidArgument(
      "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse",
      "ApplyServerSideEncryptionByDefault",
    );
  const bucketKey = String(rules[0]!.BucketKeyEnabled ?? "false") === "true";
  const blocked = rules[0]!.BlockedEncryptionTypes;
  if (blocked !== undefined) {
    const types = asArray(typeof blocked === "object" ? blocked.EncryptionType : undefined).map(String);
    if (types.some((t) => t !== "NONE" && t !== "SSE-C")) throw S3Errors.malformedXml();
    b.blockSseC = types.includes("SSE-C");
  }
  // The key id is kept as given (GetBucketEncryption returns it so); objects report its ARN.
  b.defaultSse = { algorithm: alg, kmsKeyId: keyId, bucketKey };
  b.sseConfigured = true;
  return empty(200);
}

export function GetBucketEncryption(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const sse = b.defaultSse ?? (ctx.config.strict ? { algorithm: "AES256", bucketKey: false } : undefined);
  if (!sse) throw S3Errors.noSuchConfig("ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found", b.name);
  return xmlReply("ServerSideEncryptionConfiguration", {
    Rule: {
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: sse.algorithm, KMSMasterKeyID: sse.kmsKeyId },
      BucketKeyEnabled: sse.bucketKey ?? false,
      BlockedEncryptionTypes: b.blockSseC !== undefined ? { EncryptionType: b.blockSseC ? "SSE-C" : "NONE" } : undefined,
    },
  });
}

export function DeleteBucketEncryption(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  b.defaultSse = ctx.config.strict ? { algorithm: "AES256", bucketKey: false } : undefined;
  b.sseConfigured = undefined;
  b.blockSseC = ctx.config.strict ? true : undefined;
  return empty(204);
}

const PAB_FIELDS = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"] as const;

export async function PutPublicAccessBlock(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const { doc } = await readXml(input);
  // An empty element parses as "": a configuration naming no setting.
  const c = doc.PublicAccessBlockConfiguration === "" ? {} : doc.PublicAccessBlockConfiguration;
  if (!c || typeof c !== "object") throw S3Errors.malformedXml();
  const pab = {} as NonNullable<Bucket["pab"]>;
  for (const f of PAB_FIELDS) {
    const v = c[f] === undefined ? "false" : String(c[f]).trim();
    if (v !== "true" && v !== "false") throw S3Errors.malformedXml();
    pab[f] = v === "true";
  }
  if (!PAB_FIELDS.some((f) => c[f] !== undefined)) throw S3Errors.invalidRequest("Must specify at least one configuration.");
  b.pab = pab;
  return empty(200);
}

export function GetPublicAccessBlock(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  if (!b.pab) throw S3Errors.noSuchConfig("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found", b.name);
  return xmlReply("PublicAccessBlockConfiguration", { ...b.pab });
}

export function DeletePublicAccessBlock(ctx: Ctx, input: S3Input) {
  getBucket(ctx, input).pab = undefined;
  return empty(204);
}

/** Stored configuration documents: returned verbatim; each has S3's own "not configured" answer. */
const CONFIGS: Record<string, { root: string; missing?: [string, string]; json?: boolean; defaultDoc?: string; status?: number }> = {
  cors: { root: "CORSConfiguration", missing: ["NoSuchCORSConfiguration", "The CORS configuration does not exist"], status: 200 },
  policy: { root: "", json: true, missing: ["NoSuchBucketPolicy", "The bucket policy does not exist"], status: 204 },
  website: { root: "WebsiteConfiguration", missing: ["NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration"], status: 200 },
  notification: {
    root: "NotificationConfiguration",
    defaultDoc: `<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></NotificationConfiguration>`,
    status: 200,
  },
};

function configKey(input: S3Input): string {
  return Object.keys(CONFIGS).find((k) => k in input.query)!;
}

export async function putConfig(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const key = configKey(input);
  const spec = CONFIGS[key]!;
  const raw = await readBody(input.req, 1024 * 1024);
  checkBodyDigests(input, raw);
  let text = raw.toString("utf8");
  if (key === "notification") text = nameNotifications(text);
  if (spec.json) {
    let ok = false;
    try {
      ok = text.trim().startsWith("{") && typeof JSON.parse(text) === "object";
    } catch {
      ok = false;
    }
    if (!ok)
      throw Object.assign(S3Errors.malformedXml(), {
        code: "MalformedPolicy",
        name: "MalformedPolicy",
        message: "Policies must be valid JSON and the first byte must be '{'",
      });
    validatePolicy(JSON.parse(text), b);
    await checkPrincipalsExist(ctx, JSON.parse(text));
    // S3 keeps the policy without its whitespace: GetBucketPolicy answers it compact, keys in their order.
    text = JSON.stringify(JSON.parse(text));
  } else {
    const { doc } = await readXml({ ...input, req: { ...input.req, _body: Promise.resolve(Buffer.from(text)) } as typeof input.req }, undefined, {
      digests: false,
    });
    // An empty root element parses as "": that is an empty configuration (how notifications are turned off).
    const root = doc[spec.root] === "" ? {} : doc[spec.root];
    if (!root || typeof root !== "object") throw S3Errors.malformedXml();
    VALIDATE[key]?.(root, b);
    if (key === "notification") {
      const targets = lambdaTargets(root);
      // x-amz-skip-destination-validation: "Skips validation of Amazon SQS, Amazon SNS, and Lambda destinations"
      // (the API reference; the CDK's bucket notifications handler sends it).
      if (header(input.req, "x-amz-skip-destination-validation")?.toLowerCase() !== "true") await checkLambdaTargets(ctx, targets);
      b.notifications = targets;
    }
  }
  b.configs.set(key, text);
  return empty(spec.status ?? 200);
}

/**
 * A topic, queue or Lambda configuration without an Id gets one from S3 (the base64 of a random UUID), and key filter
 * rule names are stored capitalized ("prefix" reads back "Prefix"), as AWS answers.
 */
function nameNotifications(xml: string): string {
  return xml
    .replace(/<Name>\s*(prefix|suffix)\s*<\/Name>/gi, (_m, n: string) => `<Name>${n[0]!.toUpperCase()}${n.slice(1).toLowerCase()}</Name>`)
    .replace(
      /<(TopicConfiguration|QueueConfiguration|CloudFunctionConfiguration)(\s[^>]*)?>([\s\S]*?)<\/\1>/g,
      (whole, name: string, attrs: string | undefined, body: string) =>
        /<Id[\s>]/.test(body) ? whole : `<${name}${attrs ?? ""}><Id>${generatedId()}</Id>${body}</${name}>`,
    );
}

const malformedPolicy = (message: string) => Object.assign(S3Errors.malformedXml(), { code: "MalformedPolicy", name: "MalformedPolicy", message });

/** A bucket policy's grammar as S3 checks it; a public policy is refused under BlockPublicPolicy. */
function validatePolicy(p: Record<string, any>, b: Bucket): void {
  if (!p || typeof p !== "object" || Array.isArray(p)) throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  if (p.Statement === undefined) throw malformedPolicy("Missing required field Statement");
  const statements = Array.isArray(p.Statement) ? p.Statement : [p.Statement];
  if (p.Version !== undefined && p.Version !== "2012-10-17" && p.Version !== "2008-10-17")
    throw malformedPolicy("The policy must contain a valid version string");
  for (const st of statements) {
    if (!st || typeof st !== "object") throw malformedPolicy("Missing required field Statement");
    if (st.Effect !== "Allow" && st.Effect !== "Deny")
      throw malformedPolicy(st.Effect === undefined ? "Missing required field Effect" : `Invalid effect: ${st.Effect}`);
    if (st.Principal === undefined && st.NotPrincipal === undefined) throw malformedPolicy("Missing required field Principal");
    if (st.Action === undefined && st.NotAction === undefined) throw malformedPolicy("Missing required field Action");
    if (st.Resource === undefined && st.NotResource === undefined) throw malformedPolicy("Missing required field Resource");
    const actions = [st.Action ?? st.NotAction].flat();
    for (const a of actions) if (typeof a !== "string" || !/^(s3:[A-Za-z*?]+|\*)$/.test(a)) throw malformedPolicy("Policy has invalid action");
    const resources = [st.Resource ?? st.NotResource].flat();
    for (const r of resources) {
      if (typeof r !== "string" || !(r === "*" || r === `arn:aws:s3:::${b.name}` || r.startsWith(`arn:aws:s3:::${b.name}/`) || /^arn:aws:s3:::[*?]/.test(r)))
        throw malformedPolicy("Policy has invalid resource");
    }
    if (st.Principal !== undefined && !validPrincipal(st.Principal)) throw malformedPolicy("Invalid principal in policy");
    if (st.Action !== undefined && st.Resource !== undefined && !actionsApply(actions as string[], resources as string[]))
      throw malformedPolicy("Action does not apply to any resource(s) in statement");
  }
  if (b.pab?.BlockPublicPolicy && policyIsPublic(JSON.stringify(p))) throw S3Errors.accessDenied();
}

/**
 * An IAM user or role of the caller's own account named as a principal must exist: S3 refuses a policy naming one
 * that does not ("Invalid principal in policy"), as awsim's IAM does for trust policies. Principals of other
 * accounts are taken as given. (AWS's code examples: python s3_basics bucket_wrapper, javascriptv3 put-bucket-policy.)
 */
async function checkPrincipalsExist(ctx: Ctx, p: Record<string, any>): Promise<void> {
  let iam: IamState | undefined;
  for (const st of [p.Statement].flat()) {
    for (const principal of [st?.Principal, st?.NotPrincipal]) {
      if (!principal || typeof principal !== "object") continue;
      for (const v of [principal.AWS ?? []].flat()) {
        const m = typeof v === "string" ? /^arn:aws[a-z-]*:iam::(\d{12}):(user|role)\/(.+)$/.exec(v) : null;
        if (!m || m[1] !== ctx.accountId) continue;
        iam ??= await ctx.stateOf<IamState>("iam");
        const name = m[3]!.slice(m[3]!.lastIndexOf("/") + 1);
        if (!(m[2] === "user" ? iam.users : iam.roles).has(name)) throw malformedPolicy("Invalid principal in policy");
      }
    }
  }
}

/** An AWS principal is "*", an account id or an IAM/STS ARN; the other principal kinds are taken as given. */
function validPrincipal(principal: unknown): boolean {
  if (principal === "*") return true;
  if (!principal || typeof principal !== "object" || Array.isArray(principal)) return false;
  const aws = (principal as Record<string, unknown>).AWS;
  if (aws === undefined) return true;
  return [aws].flat().every((v) => typeof v === "string" && (v === "*" || /^\d{12}$/.test(v) || /^arn:aws[a-z-]*:(iam|sts)::\d{12}:\S+$/.test(v)));
}

// Actions that name an object (arn:aws:s3:::bucket/key) or a bucket (arn:aws:s3:::bucket); the others are not checked.
const OBJECT_ACTION =
  /^s3:(GetObject\w*|PutObject\w*|DeleteObject\w*|AbortMultipartUpload|ListMultipartUploadParts|RestoreObject|ReplicateObject|ReplicateDelete|ReplicateTags|BypassGovernanceRetention)$/i;
const BUCKET_ACTION =
  /^s3:(ListBucket|ListBucketVersions|ListBucketMultipartUploads|(Get|Put|Delete)Bucket\w*|(Get|Put)(Lifecycle|Replication|Encryption|Accelerate|Analytics|Inventory|Metrics|IntelligentTiering)Configuration)$/i;

/** Each named action needs a resource of its kind in the statement ("bucket/..." names objects; a bucket part with a wildcard names both). */
function actionsApply(actions: string[], resources: string[]): boolean {
  let objects = false;
  let buckets = false;
  for (const r of resources) {
    const rest = r === "*" ? "*" : r.slice("arn:aws:s3:::".length);
    if (rest.includes("/")) objects = true;
    else if (/[*?]/.test(rest)) objects = buckets = true;
    else buckets = true;
  }
  return actions.every((a) => /[*?]/.test(a) || (OBJECT_ACTION.test(a) ? objects : BUCKET_ACTION.test(a) ? buckets : true));
}

/**
 * "The meaning of public" (S3 User Guide, Blocking public access): S3 takes a bucket policy as public unless each
 * statement that allows grants access only to fixed values (no wildcard, no policy variable) of a principal or of
 * one of these condition keys. aws:SourceIp CIDRs broader than /8 (IPv4) or /32 (IPv6) are public; an
 * s3:DataAccessPointArn may name every access point of a fixed account (`...:accesspoint/*`).
 */
const FIXED_CONDITION_KEYS = new Set(
  [
    "aws:SourceIp",
    "aws:SourceArn",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceOwner",
    "aws:SourceAccount",
    "aws:userid",
    "aws:PrincipalOrgID",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "s3:DataAccessPointArn",
    "s3:DataAccessPointAccount",
  ].map((k) => k.toLowerCase()),
);

const isFixed = (v: unknown): boolean => typeof v === "string" && v !== "" && !/[*?]/.test(v) && !v.includes("${");

function fixedConditionValue(key: string, v: unknown): boolean {
  if (typeof v !== "string") return false;
  if (key === "aws:sourceip") {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(v);
    if (!m || !isFixed(m[1])) return false;
    const bits = m[2] === undefined ? undefined : Number(m[2]);
    return m[1]!.includes(":") ? bits === undefined || bits >= 32 : bits === undefined || bits >= 8;
  }
  // A role's sessions (`AROLEID:*`) are named by a fixed role id.
  if (key === "aws:userid") return isFixed(v.replace(/:\*$/, ""));
  if (key === "s3:dataaccesspointarn") return isFixed(v.replace(/:accesspoint\/\*$/, ":accesspoint/x"));
  return isFixed(v);
}

/** A statement's Condition limits it to fixed values of a key above (a negated or IfExists operator does not). */
function limitedByCondition(condition: unknown): boolean {
  if (!condition || typeof condition !== "object") return false;
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    if (/Not|IfExists$|^Null$/.test(operator) || !block || typeof block !== "object") continue;
    for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
      const k = key.toLowerCase();
      const list = [values].flat();
      if (FIXED_CONDITION_KEYS.has(k) && list.length > 0 && list.every((v) => fixedConditionValue(k, v))) return true;
    }
  }
  return false;
}

function fixedPrincipal(principal: unknown): boolean {
  if (!principal || typeof principal !== "object" || Array.isArray(principal)) return false;
  const values = Object.values(principal as Record<string, unknown>).flatMap((v) => [v].flat());
  return values.length > 0 && values.every(isFixed);
}

function policyIsPublic(policy: string): boolean {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(policy);
  } catch {
    return false;
  }
  const statements = [doc?.Statement ?? []].flat() as Array<Record<string, unknown>>;
  // NotPrincipal with Allow grants everyone but the principals named.
  return statements.some(
    (st) => st?.Effect === "Allow" && !(st.NotPrincipal === undefined && fixedPrincipal(st.Principal)) && !limitedByCondition(st.Condition),
  );
}

/** S3 tests each Lambda destination when the configuration is put: the function must exist. */
async function checkLambdaTargets(ctx: Ctx, targets: ReturnType<typeof lambdaTargets>): Promise<void> {
  // Every destination that fails is named, numbered from 1: ArgumentName<n> "<arn>, null" (the function and its
  // invocation role) and ArgumentValue<n> "Not authorized to invoke function [<arn>]" (LocalStack's recorded
  // test_invalid_lambda_arn; the numbering as test_multiple_invalid_sqs_arns recorded it for queues).
  const extra: Record<string, string> = {};
  let n = 0;
  for (const t of targets ?? []) {
    const m = /^arn:aws:lambda:([a-z0-9-]+):(\d{12}):function:([^:]+)/.exec(t.arn);
    const st = m ? await ctx.stateOf<{ functions: Map<string, unknown> }>("lambda", m[1], m[2]) : undefined;
    if (st?.functions.has(m![3]!)) continue;
    n++;
    extra[`ArgumentName${n}`] = `${t.arn}, null`;
    extra[`ArgumentValue${n}`] = `Not authorized to invoke function [${t.arn}]`;
  }
  if (n) throw Object.assign(S3Errors.invalidArgument("Unable to validate the following destination configurations"), { extra });
}

const EVENTS =
  /^s3:(ReducedRedundancyLostObject|ObjectCreated:(\*|Put|Post|Copy|CompleteMultipartUpload)|ObjectRemoved:(\*|Delete|DeleteMarkerCreated)|ObjectRestore:(\*|Post|Completed|Delete)|Replication:(\*|OperationFailedReplication|OperationNotTracked|OperationMissedThreshold|OperationReplicatedAfterThreshold)|LifecycleExpiration:(\*|Delete|DeleteMarkerCreated)|LifecycleTransition|IntelligentTiering|ObjectTagging:(\*|Put|Delete)|ObjectAcl:Put)$/;

/** Website routing rules: at least one, each with a Redirect; AWS's InvalidRequest texts for the cross-field rules. */
function validateRoutingRules(rules: unknown): void {
  const list = asArray((rules as Record<string, unknown> | undefined)?.RoutingRule as never) as Array<Record<string, any>>;
  if (!list.length) throw S3Errors.malformedXml();
  for (const r of list) {
    const redirect = r?.Redirect;
    if (redirect === undefined) throw S3Errors.malformedXml();
    if (r.Condition !== undefined && (typeof r.Condition !== "object" || !Object.keys(r.Condition).length))
      throw S3Errors.invalidRequest("Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn't be present.");
    if (typeof redirect !== "object") continue;
    if (redirect.Protocol !== undefined && redirect.Protocol !== "http" && redirect.Protocol !== "https")
      throw S3Errors.invalidRequest("Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.");
    if (redirect.ReplaceKeyPrefixWith !== undefined && redirect.ReplaceKeyWith !== undefined)
      throw S3Errors.invalidRequest("You can only define ReplaceKeyPrefix or ReplaceKey but not both.");
  }
}

/** Per-configuration rules beyond well-formedness. */
const VALIDATE: Record<string, (c: Record<string, any>, b: Bucket) => void> = {
  cors: validateCorsRules,
  website: (c) => {
    if (c.RedirectAllRequestsTo !== undefined) {
      if (c.IndexDocument !== undefined || c.ErrorDocument !== undefined || c.RoutingRules !== undefined)
        throw S3Errors.invalidArgument(
          "RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.",
          "RedirectAllRequestsTo",
          "not null",
        );
      if (!c.RedirectAllRequestsTo?.HostName) throw S3Errors.malformedXml();
      return;
    }
    const suffix = c.IndexDocument?.Suffix;
    if (suffix === undefined)
      throw S3Errors.invalidArgument("A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty", "IndexDocument", "null");
    if (String(suffix) === "" || String(suffix).includes("/"))
      throw S3Errors.invalidArgument("The IndexDocument Suffix is not well formed", "IndexDocument", String(suffix));
    if (c.RoutingRules !== undefined) validateRoutingRules(c.RoutingRules);
  },
  notification: (c, b) => {
    const groups: Array<[string, string]> = [
      ["TopicConfiguration", "Topic"],
      ["QueueConfiguration", "Queue"],
      ["CloudFunctionConfiguration", "CloudFunction"],
    ];
    for (const [name, arnField] of groups) {
      for (const t of asArray(c[name]) as Array<Record<string, unknown>>) {
        const arn = String(t?.[arnField] ?? "");
        // Something that is no ARN at all "could not be parsed" (LocalStack's recorded test_invalid_sqs_arn and
        // test_invalid_lambda_arn, SkipDestinationValidation or not); an ARN of another partition or service is
        // "not well formed" (moto test_put_bucket_notification).
        if (!/^arn:[^:]*:[^:]*:[^:]*:[^:]*:./.test(arn)) throw S3Errors.invalidArgument("The ARN could not be parsed", arnField, arn);
        if (!/^arn:aws(-cn|-us-gov)?:(sns|sqs|lambda):/.test(arn)) throw S3Errors.invalidArgument("The ARN is not well formed", arnField, arn);
        // A destination lives in the bucket's own region.
        if (arn.split(":")[3] !== b.region)
          throw S3Errors.invalidArgument("The notification destination service region is not valid for the bucket location constraint", arnField, arn);
        const events = asArray(t.Event as never).map(String);
        if (!events.length) throw S3Errors.malformedXml();
        for (const ev of events) if (!EVENTS.test(ev)) throw S3Errors.invalidArgument("The event is not supported for notifications", "Event", ev);
        const seen = new Set<string>();
        // AWS refuses other rule names and repeated ones with InvalidArgument; the two messages are not verified
        // against a recorded answer (none found).
        const rawRules = (t.Filter as any)?.S3Key?.FilterRule;
        for (const r of (rawRules === undefined ? [] : Array.isArray(rawRules) ? rawRules : [rawRules]) as Array<Record<string, unknown>>) {
          // A rule without its Name or its Value does not validate (MalformedXML, as LocalStack's AWS-validated
          // test_bucket_notification_with_missing_values_in_rule expects; an empty <FilterRule/> included).
          if (typeof r !== "object" || r === null || r.Name === undefined || r.Value === undefined) throw S3Errors.malformedXml();
          const name = String(r?.Name ?? "");
          if (!/^(prefix|suffix)$/i.test(name)) throw S3Errors.invalidArgument("filter rule name must be either prefix or suffix", "FilterRule.Name", name);
          if (seen.has(name.toLowerCase()))
            throw S3Errors.invalidArgument(`Cannot specify more than one ${name.toLowerCase()} rule in a filter.`, "FilterRule.Name", name);
          seen.add(name.toLowerCase());
        }
      }
    }
  },
};

export function getConfig(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const key = configKey(input);
  const spec = CONFIGS[key]!;
  const text = b.configs.get(key) ?? spec.defaultDoc;
  if (text === undefined) throw S3Errors.noSuchConfig(spec.missing![0], spec.missing![1], b.name);
  return rawResponse({ status: 200, headers: { "content-type": spec.json ? "application/json" : "application/xml" }, body: text });
}

export function deleteConfig(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  b.configs.delete(configKey(input));
  return empty(204);
}

export function GetBucketPolicyStatus(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const policy = b.configs.get("policy") ?? "";
  const isPublic = policyIsPublic(policy);
  if (!policy) throw S3Errors.noSuchConfig("NoSuchBucketPolicy", "The bucket policy does not exist", b.name);
  return xmlReply("PolicyStatus", { IsPublic: isPublic });
}
