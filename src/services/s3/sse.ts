/**
 * Server-side encryption as S3 reports it: SSE-S3 (AES256), SSE-KMS (aws:kms, aws:kms:dsse; key id,
 * encryption context, bucket key) and SSE-C (customer keys: AES256 only, key MD5 checked, the same key
 * required to read, HEAD or copy the object). The bucket's default encryption applies when a write names
 * none. awsim serves plain HTTP and accepts SSE-C over it (AWS refuses SSE-C without TLS); SSE-C bodies
 * are stored encrypted under the customer key (ssec.ts), of which only the MD5 is kept.
 */
import { createHash, randomBytes } from "node:crypto";
import { AwsError } from "../../protocols/aws-error.js";
import { awsManagedKmsKey } from "../core/arn.js";
import { header } from "../../protocols/http.js";
import { S3Errors } from "./errors.js";
import type { S3Input } from "./route.js";
import type { Bucket, Sse } from "./state.js";

const SSE_HEADER = "x-amz-server-side-encryption";
const KMS_KEY_HEADER = "x-amz-server-side-encryption-aws-kms-key-id";
const CONTEXT_HEADER = "x-amz-server-side-encryption-context";
const BUCKET_KEY_HEADER = "x-amz-server-side-encryption-bucket-key-enabled";
const ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

const isKms = (a: string) => a === "aws:kms" || a === "aws:kms:dsse";

/** A key id as S3 echoes it: an ARN for a bare key id or alias. */
export function kmsKeyArn(keyId: string | undefined, accountId: string, region: string): string {
  if (!keyId) return awsManagedKmsKey("aws/s3", accountId, region);
  if (keyId.startsWith("arn:")) return keyId;
  if (keyId.startsWith("alias/")) return `arn:aws:kms:${region}:${accountId}:${keyId}`;
  return `arn:aws:kms:${region}:${accountId}:key/${keyId}`;
}

/** The three header names of each customer-key prefix, built once (constant keys keep header lookups cheap). */
const CUSTOMER_HEADERS: Record<string, [string, string, string]> = {};

/**
 * The customer key a request carries under `prefix` (x-amz-server-side-encryption-customer- or
 * x-amz-copy-source-server-side-encryption-customer-), validated as S3 validates it; undefined when absent.
 */
export function customerKey(input: S3Input, prefix = "x-amz-server-side-encryption-customer-"): string | undefined {
  const names = (CUSTOMER_HEADERS[prefix] ??= [`${prefix}algorithm`, `${prefix}key`, `${prefix}key-md5`]);
  const alg = header(input.req, names[0]);
  const key = header(input.req, names[1]);
  const md5 = header(input.req, names[2]);
  if (alg === undefined && key === undefined && md5 === undefined) return undefined;
  const arg = prefix.startsWith("x-amz-copy-source") ? "x-amz-copy-source-server-side-encryption" : SSE_HEADER;
  if (alg === undefined)
    throw S3Errors.invalidArgument(
      "Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.",
      arg,
      "null",
    );
  // AWS names x-amz-server-side-encryption here, whichever header carried the algorithm (a 2017 capture:
  // ArgumentName x-amz-server-side-encryption, ArgumentValue the algorithm sent).
  if (alg !== "AES256") throw S3Errors.invalidEncryptionAlgorithm(SSE_HEADER, alg);
  if (key === undefined)
    throw S3Errors.invalidArgument(
      "Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.",
      arg,
      "null",
    );
  const raw = /^[A-Za-z0-9+/]*={0,2}$/.test(key) ? Buffer.from(key, "base64") : Buffer.alloc(0);
  if (raw.length !== 32) throw S3Errors.invalidArgument("The secret key was invalid for the specified algorithm.", arg, "null");
  const actual = createHash("md5").update(raw).digest("base64");
  if (md5 === undefined)
    throw S3Errors.invalidArgument(
      "Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.",
      arg,
      "null",
    );
  if (md5 !== actual) throw S3Errors.invalidArgument("The calculated MD5 hash of the key did not match the hash that was provided.", arg, "null");
  return actual;
}

const KEY_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/i;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(?:key\/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})|alias\/.+)$/i;
/** A KMS key id S3 can resolve: a key id, a multi-Region key id, an alias, or the ARN of one (awsim has no KMS to ask). */
const wellFormedKeyId = (id: string) => KEY_ID.test(id) || KEY_ARN.test(id) || /^alias\/[a-zA-Z0-9/_-]+$/.test(id);

/**
 * The encryption a write asks for (headers, else the bucket default); undefined means S3's default SSE-S3.
 * Under --strict a key id that cannot name a KMS key is KMS.NotFoundException, as S3 answers.
 */
export function writeSse(input: S3Input, b: Bucket, strict = false): Sse | undefined {
  const req = input.req;
  const alg = header(req, SSE_HEADER);
  const keyId = header(req, KMS_KEY_HEADER);
  const ctxHeader = header(req, CONTEXT_HEADER);
  const bucketKey = header(req, BUCKET_KEY_HEADER);
  const customer = customerKey(input);
  if (customer !== undefined) {
    if (alg !== undefined || keyId !== undefined)
      throw S3Errors.invalidArgument(
        "Server Side Encryption with Customer provided key is incompatible with the encryption method specified",
        SSE_HEADER,
        alg ?? "null",
      );
    // BlockedEncryptionTypes SSE-C: writes with customer keys are refused (reads of existing objects still work).
    if (b.blockSseC) throw S3Errors.accessDenied();
    return { algorithm: "AES256", customerMd5: customer };
  }
  if (alg === undefined) {
    if (keyId !== undefined)
      throw S3Errors.invalidArgument(
        "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
        SSE_HEADER,
        "null",
      );
    if (ctxHeader !== undefined)
      throw S3Errors.invalidArgument(
        "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
        SSE_HEADER,
        "null",
      );
    const d = b.defaultSse;
    if (!d) return undefined;
    const bk = bucketKey !== undefined ? bucketKey.toLowerCase() === "true" : d.bucketKey;
    // A bucket key applies to SSE-KMS only: AWS does not echo BucketKeyEnabled for an SSE-S3 default.
    if (!isKms(d.algorithm)) return undefined;
    return { algorithm: d.algorithm, kmsKeyId: kmsKeyArn(d.kmsKeyId, b.owner, b.region), bucketKey: bk || undefined };
  }
  if (!ALGORITHMS.includes(alg)) throw S3Errors.invalidArgument("The encryption method specified is not supported", SSE_HEADER, alg);
  if (!isKms(alg)) {
    if (keyId !== undefined || ctxHeader !== undefined)
      throw S3Errors.invalidArgument(
        "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
        SSE_HEADER,
        alg,
      );
    return alg === "AES256" && !bucketKey ? undefined : { algorithm: alg, bucketKey: bucketKey?.toLowerCase() === "true" || undefined };
  }
  if (ctxHeader !== undefined) {
    let ok = false;
    try {
      const parsed = JSON.parse(Buffer.from(ctxHeader, "base64").toString("utf8"));
      ok = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) && Object.values(parsed).every((x) => typeof x === "string");
    } catch {
      ok = false;
    }
    if (!ok)
      throw S3Errors.invalidArgument(
        "The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map",
        CONTEXT_HEADER,
        ctxHeader,
      );
  }
  if (strict && keyId !== undefined && !wellFormedKeyId(keyId)) throw new AwsError("KMS.NotFoundException", `Invalid keyId '${keyId}'`, 400);
  // A key ARN names its region; a key of another region cannot encrypt this bucket's objects.
  const arnRegion = keyId?.startsWith("arn:") ? keyId.split(":")[3] : undefined;
  if (strict && arnRegion !== undefined && arnRegion !== b.region) throw new AwsError("KMS.NotFoundException", `Invalid arn ${arnRegion}`, 400);
  const fromDefault = b.defaultSse && isKms(b.defaultSse.algorithm) ? b.defaultSse.kmsKeyId : undefined;
  return {
    algorithm: alg,
    kmsKeyId: kmsKeyArn(keyId ?? fromDefault, b.owner, b.region),
    context: ctxHeader,
    bucketKey: bucketKey !== undefined ? bucketKey.toLowerCase() === "true" || undefined : b.defaultSse?.bucketKey,
  };
}

/** Response headers that report an object's (or upload's) encryption. */
export function sseHeaders(sse: Sse | undefined, withContext = false): Record<string, string> {
  if (!sse) return { [SSE_HEADER]: "AES256" };
  if (sse.customerMd5) return { "x-amz-server-side-encryption-customer-algorithm": "AES256", "x-amz-server-side-encryption-customer-key-md5": sse.customerMd5 };
  const h: Record<string, string> = { [SSE_HEADER]: sse.algorithm };
  if (sse.kmsKeyId) h[KMS_KEY_HEADER] = sse.kmsKeyId;
  if (withContext && sse.context) h[CONTEXT_HEADER] = sse.context;
  if (sse.bucketKey) h[BUCKET_KEY_HEADER] = "true";
  return h;
}

/** Reads (GET, HEAD, attributes, copy source, select): the SSE-C key must be the object's, and only then. */
export function checkReadKey(sse: Sse | undefined, input: S3Input, copySource = false): void {
  const prefix = copySource ? "x-amz-copy-source-server-side-encryption-customer-" : "x-amz-server-side-encryption-customer-";
  const given = customerKey(input, prefix);
  const stored = sse?.customerMd5;
  if (stored === undefined) {
    if (given !== undefined) throw S3Errors.invalidRequest("The encryption parameters are not applicable to this object.");
    return;
  }
  if (given === undefined)
    throw S3Errors.invalidRequest(
      "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.",
    );
  if (given !== stored) throw S3Errors.wrongCustomerKey();
}

/** UploadPart / UploadPartCopy: parts of an SSE-C upload carry the upload's key; other uploads carry none. */
export function checkPartKey(sse: Sse | undefined, input: S3Input): void {
  const given = customerKey(input);
  const stored = sse?.customerMd5;
  if (stored === undefined) {
    if (given !== undefined)
      throw S3Errors.invalidRequest(
        "The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters.",
      );
    return;
  }
  if (given === undefined)
    throw S3Errors.invalidRequest(
      "The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters.",
    );
  if (given !== stored) throw S3Errors.invalidRequest("The provided encryption parameters did not match the ones used originally.");
}

/**
 * The ETag of an object written by one request (PutObject, a POST form, CopyObject): objects encrypted with SSE-C
 * or SSE-KMS (DSSE-KMS too) have ETags that are not an MD5 digest of their data (the API reference's Object.ETag);
 * awsim gives them random ones, so the same bytes written twice differ, as S3A's conditional-overwrite tests rely on.
 * An empty object keeps the empty MD5 (S3A's ITestS3AMiscOperations: 0-byte files share their checksum, encrypted or not).
 */
export function opaqueEtag(sse: Sse | undefined, size: number): boolean {
  return sse !== undefined && size > 0 && (sse.customerMd5 !== undefined || sse.algorithm !== "AES256");
}

export const randomEtag = (): string => `"${randomBytes(16).toString("hex")}"`;
