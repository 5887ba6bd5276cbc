/**
 * Browser POST uploads (multipart/form-data with a policy document): fields key (with ${filename}),
 * Content-Type, x-amz-meta-*, acl, tagging, success_action_status / success_action_redirect; the policy's
 * expiration and conditions (exact matches, ["eq", ...], ["starts-with", ...], ["content-length-range", a, b])
 * are checked. Signatures are verified under --enforce-iam (formSigner). The form is read into memory (bounded at 64 MiB).
 */
import { buildXml, XML_DECL } from "../../protocols/xml.js";
import { createHmac } from "node:crypto";
import { AwsError } from "../../protocols/aws-error.js";
import { header, readBody } from "../../protocols/http.js";
import { rawResponse, type Ctx } from "../core/types.js";
import { md5, checksumOf } from "./checksums.js";
import { getBucket, refuseSigV2, s3stamp, storageClass, storedHeaders } from "./common.js";
import { CANNED, cannedGrants } from "./acl.js";
import { notify } from "./notify.js";
import { authorizePost } from "./access.js";
import type { Bucket } from "./state.js";
import { S3Errors } from "./errors.js";
import { checkKey, commitVersion, writtenVersionHeaders } from "./objects.js";
import { bucketFromHost, type S3Input } from "./route.js";
import { setBlobSize } from "./blobs.js";
import { opaqueEtag, randomEtag, sseHeaders, writeSse } from "./sse.js";
import { sealObject } from "./ssec.js";
import type { ObjectVersion } from "./state.js";
import { validateTags } from "./common.js";
import { asArray, parseXml } from "../../protocols/xml.js";

/** The `tagging` form field is a <Tagging><TagSet><Tag>… document, as in PutObjectTagging. */
function postTags(xml: string | undefined): Array<{ Key: string; Value: string }> {
  if (!xml) return [];
  let doc: Record<string, any>;
  try {
    doc = parseXml(xml);
  } catch {
    throw S3Errors.malformedXml();
  }
  return validateTags(
    asArray(doc.Tagging?.TagSet?.Tag).map((t: { Key?: unknown; Value?: unknown }) => ({ Key: String(t.Key ?? ""), Value: String(t.Value ?? "") })),
  );
}

/**
 * The stored object's URL as the Location of a POST answer: on the endpoint the form was posted to (S3 names its
 * own host; here the Host the client reached awsim by), virtual-hosted when the request was, else path-style.
 */
function objectLocation(input: S3Input, bucket: string, key: string): string {
  const path = encodeURIComponent(key).replace(/%2F/g, "/");
  const host = header(input.req, "host");
  if (!host) return `http://${bucket}.s3.amazonaws.com/${path}`;
  return bucketFromHost(host) === bucket ? `http://${host}/${path}` : `http://${host}/${bucket}/${path}`;
}

interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delim = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delim);
  if (pos < 0) throw S3Errors.malformedPost();
  for (;;) {
    pos += delim.length;
    if (body.subarray(pos, pos + 2).toString() === "--") break;
    if (body[pos] === 13 && body[pos + 1] === 10) pos += 2;
    const headEnd = body.indexOf("\r\n\r\n", pos);
    if (headEnd < 0) throw S3Errors.malformedPost();
    const head = body.subarray(pos, headEnd).toString("utf8");
    const next = body.indexOf(delim, headEnd + 4);
    if (next < 0) throw S3Errors.malformedPost();
    const data = body.subarray(headEnd + 4, next - 2);
    const disp = /content-disposition:[^\r\n]*/i.exec(head)?.[0] ?? "";
    const name = /\bname="([^"]*)"/i.exec(disp)?.[1];
    if (name === undefined) throw S3Errors.malformedPost();
    const filename = /\bfilename="([^"]*)"/i.exec(disp)?.[1];
    const contentType = /content-type:\s*([^\r\n]*)/i.exec(head)?.[1];
    parts.push({ name, filename, contentType, data });
    pos = next;
  }
  return parts;
}

/** S3 names the failed condition as an array with ", " between items; a simple condition {"k": "v"} as ["eq", "$k", "v"]. */
function policyFail(condition: unknown[]): never {
  throw S3Errors.accessDenied(`Invalid according to Policy: Policy Condition failed: [${condition.map((x) => JSON.stringify(x)).join(", ")}]`);
}

function checkPolicy(policyB64: string, fields: Map<string, string>, size: number, bucket: string, now: Date) {
  let policy: { expiration?: string; conditions?: unknown[] };
  try {
    policy = JSON.parse(Buffer.from(policyB64, "base64").toString("utf8"));
  } catch {
    throw S3Errors.invalidPolicyDocument("Invalid Policy: Invalid JSON.");
  }
  if (!policy || typeof policy !== "object" || (policy.conditions !== undefined && !Array.isArray(policy.conditions)))
    throw S3Errors.invalidPolicyDocument("Invalid Policy: Invalid JSON.");
  if (!policy.expiration) throw S3Errors.invalidPolicyDocument("Invalid Policy: Policy missing expiration.");
  // ISO 8601 in UTC as the policy grammar has it (2026-01-01T12:00:00Z, optionally with milliseconds).
  if (
    typeof policy.expiration !== "string" ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(policy.expiration) ||
    Number.isNaN(Date.parse(policy.expiration))
  )
    throw S3Errors.invalidPolicyDocument(`Invalid Policy: Invalid 'expiration' value: '${String(policy.expiration)}'`);
  if (!Array.isArray(policy.conditions)) throw S3Errors.invalidPolicyDocument("Invalid Policy: Policy missing conditions.");
  if (Date.parse(policy.expiration) < now.getTime()) throw S3Errors.accessDenied("Invalid according to Policy: Policy expired.");
  const value = (name: string) => (name.toLowerCase() === "bucket" ? bucket : (fields.get(name.toLowerCase()) ?? ""));
  const covered = new Set<string>(["bucket"]);
  for (const c of policy.conditions ?? []) {
    if (Array.isArray(c)) {
      const [op, a, b] = c as [string, unknown, unknown];
      if (String(op).toLowerCase() === "content-length-range") {
        const valid = (n: unknown) => (typeof n === "number" || (typeof n === "string" && /^\d+$/.test(n))) && Number(n) >= 0 && Number.isInteger(Number(n));
        // A bound that is not a number at all fails the condition (AWS prints its items as strings).
        const word = (n: unknown) => typeof n === "string" && !/^-?\d+(\.\d+)?$/.test(n);
        if (c.length === 3 && (word(a) || word(b))) policyFail(c.map(String));
        if (c.length !== 3 || !valid(a) || !valid(b))
          throw S3Errors.invalidPolicyDocument(`Invalid Policy: Invalid content-length-range Condition: ${JSON.stringify(c)}`);
        if (size > Number(b)) throw S3Errors.entityTooLargePost(Number(b), size);
        if (size < Number(a)) throw S3Errors.entityTooSmallPost(Number(a), size);
        continue;
      }
      // The field a condition names is "$name"; without the "$" it matches nothing.
      if (String(op).toLowerCase() !== "content-length-range" && !String(a).startsWith("$")) policyFail(c);
      const field = String(a).replace(/^\$/, "");
      covered.add(field.toLowerCase());
      if (String(op).toLowerCase() === "eq" && value(field) !== String(b)) policyFail(c);
      if (String(op).toLowerCase() === "starts-with" && !value(field).startsWith(String(b))) policyFail(c);
    } else if (c && typeof c === "object") {
      if (Object.keys(c).length !== 1)
        throw S3Errors.invalidPolicyDocument("Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.");
      for (const [k, v] of Object.entries(c)) {
        covered.add(k.toLowerCase());
        if (value(k) !== String(v)) policyFail(["eq", `$${k}`, v]);
      }
    }
  }
  const exempt = new Set([
    "policy",
    "x-amz-signature",
    "signature",
    "awsaccesskeyid",
    "file",
    "x-ignore-",
    "x-amz-credential",
    "x-amz-algorithm",
    "x-amz-date",
    "x-amz-security-token",
  ]);
  for (const k of fields.keys()) {
    if (exempt.has(k) || k.startsWith("x-ignore-") || covered.has(k)) continue;
    throw S3Errors.accessDenied(`Invalid according to Policy: Extra input fields: ${k}`);
  }
}

const V4_FIELDS = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Signature"];
const V2_FIELDS = ["AWSAccessKeyId", "Signature"];

/**
 * A form that carries any field of a signature version (SigV4 X-Amz-Algorithm/Credential/Signature, SigV2
 * AWSAccessKeyId/Signature) must carry all of them; AWS names the first one missing. A policy without any
 * credential fields is accepted (awsim's choice).
 */
function checkSigned(fields: Map<string, string>): void {
  const missing = (name: string) =>
    S3Errors.invalidArgument(`Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`, name, "");
  const v4 = fields.has("x-amz-credential") || fields.has("x-amz-algorithm") || fields.has("x-amz-signature");
  const required = v4 ? V4_FIELDS : fields.has("awsaccesskeyid") || fields.has("signature") ? V2_FIELDS : [];
  const absent = required.find((f) => !fields.has(f.toLowerCase()));
  if (absent) throw missing(absent);
}

const SIGNATURE_MISMATCH = "The request signature we calculated does not match the signature you provided. Check your key and signing method.";

/**
 * The identity a signed form names: its access key's account (a 12-digit key id names an account, other unknown
 * keys stand for the default account, as for headers). Under --enforce-iam the signature is verified against the
 * key's secret (SigV2: base64 HMAC-SHA1 of the policy; SigV4: hex HMAC-SHA256 with the credential scope's signing
 * key): a mismatch is 403 SignatureDoesNotMatch, and under --enforce-iam=strict an unknown key 403 InvalidAccessKeyId.
 */
function formSigner(ctx: Ctx, fields: Map<string, string>): { account: string; arn?: string } | undefined {
  const credential = fields.get("x-amz-credential");
  const akid = credential !== undefined ? credential.split("/")[0]! : fields.get("awsaccesskeyid");
  if (akid === undefined) return undefined;
  const who = ctx.sim.identify(akid);
  if (ctx.config.enforceIam) {
    if (!who?.secret) {
      if (ctx.config.enforceIam === "strict")
        throw new AwsError("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", 403, { extra: { AWSAccessKeyId: akid } });
    } else {
      const policy = fields.get("policy")!;
      let expected: string;
      let given: string;
      if (credential !== undefined) {
        const [, date = "", region = "", service = ""] = credential.split("/");
        let k = createHmac("sha256", `AWS4${who.secret}`).update(date).digest();
        for (const part of [region, service, "aws4_request"]) k = createHmac("sha256", k).update(part).digest();
        expected = createHmac("sha256", k).update(policy).digest("hex");
        given = fields.get("x-amz-signature") ?? "";
      } else {
        expected = createHmac("sha1", who.secret).update(policy).digest("base64");
        given = fields.get("signature") ?? "";
      }
      if (given !== expected) throw new AwsError("SignatureDoesNotMatch", SIGNATURE_MISMATCH, 403, { extra: { AWSAccessKeyId: akid } });
    }
  }
  if (who) return { account: who.accountId, arn: who.arn };
  return { account: /^\d{12}$/.test(akid) ? akid : (ctx.config.defaultAccountId ?? ctx.accountId) };
}

function postAcl(canned: string | undefined, b: Bucket, account: string) {
  if (canned === undefined) return undefined;
  if (!CANNED.includes(canned)) throw S3Errors.invalidArgument("", "acl", canned);
  if (b.ownership === "BucketOwnerEnforced" && canned !== "bucket-owner-full-control" && canned !== "private") throw S3Errors.aclNotSupported();
  return canned === "private" ? undefined : cannedGrants(canned, account, b.owner);
}

export async function PostObject(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const boundary = /boundary=("?)([^";]+)\1/i.exec(header(input.req, "content-type") ?? "")?.[2];
  if (!boundary) throw S3Errors.malformedPost();
  const body = await readBody(input.req, 64 * 1024 * 1024);
  const parts = parseMultipart(body, boundary);
  const file = parts.find((p) => p.name.toLowerCase() === "file");
  if (!file) throw S3Errors.invalidArgument("POST requires exactly one file upload per request.", "file", "0");
  const fields = new Map<string, string>();
  for (const p of parts) if (p !== file) fields.set(p.name.toLowerCase(), p.data.toString("utf8"));
  let key = fields.get("key");
  if (key === undefined)
    throw S3Errors.invalidArgument("Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.", "key", "");
  // A file sent as a plain field (no filename) leaves ${filename} in the key as it is.
  if (file.filename !== undefined) key = key.replace(/\$\{filename\}/g, file.filename);
  checkKey(key);
  // The policy's conditions see the key with ${filename} already substituted.
  fields.set("key", key);
  if (fields.has("policy")) checkSigned(fields);
  if (fields.has("awsaccesskeyid") && !fields.has("x-amz-credential")) refuseSigV2(b.region);
  const signer = fields.has("policy") ? formSigner(ctx, fields) : undefined;
  if (fields.has("policy")) checkPolicy(fields.get("policy")!, fields, file.data.length, b.name, ctx.now());
  authorizePost(ctx, input, b, key, signer?.account, signer?.arn);
  const account = signer?.account ?? ctx.accountId;
  const meta: Record<string, string> = {};
  for (const [k, v] of fields) if (k.startsWith("x-amz-meta-")) meta[k.slice(11)] = v;
  // Form fields stand for the headers PutObject takes (Cache-Control, Expires, x-amz-storage-class, ...).
  const formInput = { ...input, req: { headers: Object.fromEntries(fields) } } as unknown as S3Input;
  // Encryption fields (x-amz-server-side-encryption*) as PutObject takes its headers; SSE-C bodies are stored encrypted.
  const sseFields: Record<string, string> = {};
  for (const [k, val] of fields) if (k.startsWith("x-amz-server-side-encryption")) sseFields[k] = val;
  const sseInput = { ...input, req: { headers: sseFields } } as unknown as S3Input;
  const sse = writeSse(sseInput, b);
  const blob = { kind: "mem" as const, data: sse?.customerMd5 ? sealObject(sseInput, sse).update(file.data) : Buffer.from(file.data) };
  setBlobSize(blob, blob.data.length);
  const v: ObjectVersion = {
    key,
    versionId: "null",
    isDeleteMarker: false,
    etag: opaqueEtag(sse, file.data.length) ? randomEtag() : `"${md5().update(file.data).digest("hex")}"`,
    size: file.data.length,
    lastModified: s3stamp(ctx),
    blob,
    contentType: fields.get("content-type") ?? file.contentType ?? "binary/octet-stream",
    headers: storedHeaders(formInput),
    metadata: meta,
    tags: postTags(fields.get("tagging")),
    storageClass: storageClass(formInput),
    checksum: { algorithm: "CRC64NVME", value: checksumOf("CRC64NVME", file.data), type: "FULL_OBJECT" },
    acl: postAcl(fields.get("acl"), b, account),
    owner: b.ownership === "BucketOwnerEnforced" ? b.owner : account,
    sse,
  };
  commitVersion(b, v);
  if (b.notifications) notify(ctx, b, "ObjectCreated:Post", v);
  const location = objectLocation(input, b.name, key);
  const h = { etag: v.etag, location, ...sseHeaders(sse), ...writtenVersionHeaders(b, v) };
  const redirect = redirectTarget(fields.get("success_action_redirect") ?? fields.get("redirect"));
  if (redirect) {
    const sep = redirect.includes("?") ? "&" : "?";
    return rawResponse({
      status: 303,
      headers: { ...h, location: `${redirect}${sep}bucket=${encodeURIComponent(b.name)}&key=${encodeURIComponent(key)}&etag=${encodeURIComponent(v.etag)}` },
    });
  }
  const status = fields.get("success_action_status");
  // S3's PostResponse carries no namespace (unlike its API replies): clients read <Key> unqualified.
  if (status === "201")
    return rawResponse({
      status: 201,
      headers: { ...h, "content-type": "application/xml" },
      body: `${XML_DECL}\n${buildXml({ PostResponse: { Location: location, Bucket: b.name, Key: key, ETag: v.etag } }, false)}`,
    });
  if (status === "200") return rawResponse({ status: 200, headers: { ...h, "content-length": "0" } });
  return rawResponse({ status: 204, headers: h });
}

/**
 * Where success_action_redirect sends the browser. "If Amazon S3 cannot interpret the URL, it acts as if the field is
 * not present" (the POST form reference); one holding what no header carries (a newline, non-ASCII) goes out as the
 * URL parser writes it (percent-encoded, punycode host).
 */
function redirectTarget(redirect: string | undefined): string | undefined {
  if (!redirect) return undefined;
  let url: URL;
  try {
    url = new URL(redirect);
  } catch {
    return undefined;
  }
  return /[^\x20-\x7e]/.test(redirect) ? url.href : redirect;
}
