/** Buckets: create (name rules, regions, ownership), list, head, location, delete, versioning, tags, ACLs and stored configurations. */
import { header, readBody } from "../../protocols/http.js";
import { asArray } from "../../protocols/xml.js";
import { rawResponse, type Ctx } from "../core/types.js";
import { discard } from "./blobs.js";
import { empty, getBucket, owner, readXml, s3state, validateTags, xmlReply } from "./common.js";
import { S3Errors } from "./errors.js";
import type { S3Input } from "./route.js";
import type { Bucket } from "./state.js";

export function validBucketName(n: string): boolean {
  if (n.length < 3 || n.length > 63) return false;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(n)) return false;
  if (n.includes("..") || n.includes(".-") || n.includes("-.")) return false;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(n)) return false;
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(n) || /(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(n)) return false;
  return true;
}

export async function CreateBucket(ctx: Ctx, input: S3Input) {
  const name = input.bucket!;
  if (!validBucketName(name)) throw S3Errors.invalidBucketName(name);
  const body = await readBody(input.req, 64 * 1024);
  let constraint = "";
  if (body.length) {
    const { doc } = await readXml({ ...input, req: { ...input.req, _body: Promise.resolve(body) } as typeof input.req });
    constraint = String(doc.CreateBucketConfiguration?.LocationConstraint ?? "");
  }
  if (ctx.config.strict) {
    if (constraint === "us-east-1") throw S3Errors.invalidLocationConstraint();
    if ((constraint || "us-east-1") !== ctx.region) throw S3Errors.illegalLocationConstraint(ctx.region, constraint);
  }
  const region = constraint || ctx.region;
  const st = s3state(ctx);
  const existing = st.buckets.get(name);
  if (existing) {
    if (existing.owner !== ctx.accountId) throw S3Errors.bucketAlreadyExists(name);
    if (existing.region === "us-east-1" && region === "us-east-1") return empty(200, { location: `/${name}` });
    throw S3Errors.bucketAlreadyOwnedByYou(name);
  }
  const lock = header(input.req, "x-amz-bucket-object-lock-enabled")?.toLowerCase() === "true";
  const b: Bucket = {
    name,
    owner: ctx.accountId,
    region,
    created: ctx.now(),
    versioning: lock ? "Enabled" : undefined,
    keys: [],
    objects: new Map(),
    uploads: new Map(),
    configs: new Map(),
    acl: header(input.req, "x-amz-acl"),
    objectLockEnabled: lock,
  };
  const ownership = header(input.req, "x-amz-object-ownership");
  if (ownership)
    b.configs.set(
      "ownershipControls",
      `<OwnershipControls xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ObjectOwnership>${ownership}</ObjectOwnership></Rule></OwnershipControls>`,
    );
  st.buckets.set(name, b);
  return empty(200, { location: region === "us-east-1" ? `/${name}` : `http://${name}.s3.amazonaws.com/` });
}

export function ListBuckets(ctx: Ctx, input: S3Input) {
  const q = input.query;
  const max = q["max-buckets"] !== undefined ? Number(q["max-buckets"]) : 10000;
  if (!Number.isInteger(max) || max < 1 || max > 10000)
    throw S3Errors.invalidArgument("Argument max-buckets must be an integer between 1 and 10000.", "max-buckets", q["max-buckets"]);
  const after = q["continuation-token"] ? Buffer.from(q["continuation-token"], "base64url").toString() : "";
  const all = [...s3state(ctx).buckets.values()]
    .filter((b) => b.owner === ctx.accountId)
    .filter((b) => !q.prefix || b.name.startsWith(q.prefix))
    .filter((b) => !q["bucket-region"] || b.region === q["bucket-region"])
    .filter((b) => b.name > after)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const page = all.slice(0, max);
  return xmlReply("ListAllMyBucketsResult", {
    Owner: owner(ctx.accountId),
    Buckets: { Bucket: page.map((b) => ({ Name: b.name, CreationDate: b.created, BucketRegion: b.region })) },
    ContinuationToken: all.length > max ? Buffer.from(page[page.length - 1]!.name).toString("base64url") : undefined,
    Prefix: q.prefix,
  });
}

export function HeadBucket(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  return empty(200, { "x-amz-bucket-region": b.region, "x-amz-access-point-alias": "false" });
}

export function GetBucketLocation(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  return xmlReply("LocationConstraint", b.region === "us-east-1" ? {} : { "#text": b.region });
}

export function DeleteBucket(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  if (b.objects.size > 0) throw S3Errors.bucketNotEmpty(b.name);
  for (const u of b.uploads.values()) for (const p of u.parts.values()) discard(p.blob);
  s3state(ctx).buckets.delete(b.name);
  return empty(204);
}

export async function PutBucketVersioning(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const { doc } = await readXml(input);
  const status = doc.VersioningConfiguration?.Status;
  if (status !== "Enabled" && status !== "Suspended") throw S3Errors.malformedXml();
  if (status === "Suspended" && b.objectLockEnabled)
    throw S3Errors.invalidBucketState("An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.");
  b.versioning = status;
  return empty(200);
}

export function GetBucketVersioning(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  return xmlReply("VersioningConfiguration", b.versioning ? { Status: b.versioning } : {});
}

export async function PutBucketTagging(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const { doc } = await readXml(input);
  const tags = asArray(doc.Tagging?.TagSet?.Tag).map((t: { Key?: string; Value?: string }) => ({ Key: String(t.Key ?? ""), Value: String(t.Value ?? "") }));
  b.tags = validateTags(tags, 50);
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

export function aclBody(accountId: string, canned?: string) {
  const grants: unknown[] = [
    { Grantee: { "@_xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance", "@_xsi:type": "CanonicalUser", ...owner(accountId) }, Permission: "FULL_CONTROL" },
  ];
  if (canned === "public-read" || canned === "public-read-write") {
    grants.push({
      Grantee: { "@_xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance", "@_xsi:type": "Group", URI: "http://acs.amazonaws.com/groups/global/AllUsers" },
      Permission: "READ",
    });
  }
  if (canned === "public-read-write") {
    grants.push({
      Grantee: { "@_xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance", "@_xsi:type": "Group", URI: "http://acs.amazonaws.com/groups/global/AllUsers" },
      Permission: "WRITE",
    });
  }
  return { Owner: owner(accountId), AccessControlList: { Grant: grants } };
}

export function GetBucketAcl(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  return xmlReply("AccessControlPolicy", aclBody(b.owner, b.acl));
}

export async function PutBucketAcl(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const canned = header(input.req, "x-amz-acl");
  if (canned) b.acl = canned;
  else if ((await readBody(input.req, 64 * 1024)).length) await readXml(input);
  return empty(200);
}

/** Stored configuration documents: returned verbatim; each has S3's own "not configured" answer. */
const CONFIGS: Record<string, { root: string; missing?: [string, string]; json?: boolean; defaultDoc?: string; status?: number }> = {
  cors: { root: "CORSConfiguration", missing: ["NoSuchCORSConfiguration", "The CORS configuration does not exist"], status: 200 },
  policy: { root: "", json: true, missing: ["NoSuchBucketPolicy", "The bucket policy does not exist"], status: 204 },
  lifecycle: { root: "LifecycleConfiguration", missing: ["NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist"], status: 200 },
  encryption: {
    root: "ServerSideEncryptionConfiguration",
    missing: ["ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found"],
    status: 200,
  },
  website: { root: "WebsiteConfiguration", missing: ["NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration"], status: 200 },
  publicAccessBlock: {
    root: "PublicAccessBlockConfiguration",
    defaultDoc: `<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
    status: 200,
  },
  ownershipControls: {
    root: "OwnershipControls",
    defaultDoc: `<OwnershipControls xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>`,
    status: 200,
  },
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
  const text = (await readBody(input.req, 1024 * 1024)).toString("utf8");
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
  } else {
    const { doc } = await readXml({ ...input, req: { ...input.req, _body: Promise.resolve(Buffer.from(text)) } as typeof input.req });
    if (!doc[spec.root]) throw S3Errors.malformedXml();
  }
  b.configs.set(key, text);
  return empty(spec.status ?? 200);
}

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
  const isPublic = /"Principal"\s*:\s*("\*"|\{\s*"AWS"\s*:\s*"\*"\s*\})/.test(policy) && /"Effect"\s*:\s*"Allow"/.test(policy);
  if (!policy) throw S3Errors.noSuchConfig("NoSuchBucketPolicy", "The bucket policy does not exist", b.name);
  return xmlReply("PolicyStatus", { IsPublic: isPublic });
}

export async function PutObjectLockConfiguration(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const { text, doc } = await readXml(input);
  if (!doc.ObjectLockConfiguration) throw S3Errors.malformedXml();
  if (!b.objectLockEnabled && b.versioning !== "Enabled")
    throw S3Errors.invalidBucketState("Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
  b.objectLockEnabled = true;
  b.configs.set("object-lock", text);
  return empty(200);
}

export function GetObjectLockConfiguration(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const text = b.configs.get("object-lock");
  if (text) return rawResponse({ status: 200, headers: { "content-type": "application/xml" }, body: text });
  if (b.objectLockEnabled) return xmlReply("ObjectLockConfiguration", { ObjectLockEnabled: "Enabled" });
  throw S3Errors.noSuchObjectLockConfiguration();
}
