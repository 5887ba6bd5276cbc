/**
 * The plain object request, decided in one pass: a GET, HEAD or PUT of `/bucket/key` on a loopback host, signed
 * with the SigV4 header in the form every SDK sends, with no query string and none of the headers that would make
 * any other rule apply (CORS, copy source, request payer, an X-Amz-Target). For such a request resolve.ts would pick
 * S3 from the credential scope and route.ts would find GetObject / HeadObject / PutObject with the bucket and key
 * exactly as written; this answers the same {operation, input} without their general work (most S3 traffic is
 * requests like these).
 * Anything else (and everything under --strict or --enforce-iam) takes the general path. Kept small: dispatch
 * imports it at start-up. test/sdk/s3-plain-request.test.ts compares both paths' answers.
 */
import type { RawRequest } from "../../protocols/http.js";
import { parseAuthorizationHeader } from "../../protocols/sigv4.js";
import type { S3Input } from "./route.js";

/** Hosts that name no bucket: path-style addressing (route.ts's bucketFromHost answers undefined for them). */
export const PLAIN_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?$/;
/**
 * /bucket/key with a valid general purpose bucket name and a key of characters that need no decoding (no `%`, no
 * `+`): safeDecode would return both as they are.
 */
const PLAIN_PATH = /^\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/([A-Za-z0-9._~!$'()*,;=:@-][A-Za-z0-9._~!$'()*,;=:@/-]*)$/;
/** The SDKs' SigV4 header: three components, each key=value (route.ts's checks and sigv4.ts's accept it as it is). */
const SDK_SIGV4 = /^AWS4-HMAC-SHA256 Credential=[^/,\s]+\/[^/,\s]*\/[^/,\s]*\/s3\/aws4_request, ?SignedHeaders=[^,\s]*, ?Signature=[^,\s]*$/;
/** x-amz-content-sha256 values route.ts's checkPayloadHash accepts: the payload kinds and a SHA-256 digest. */
const PAYLOAD =
  /^(?:UNSIGNED-PAYLOAD|STREAMING-(?:UNSIGNED-PAYLOAD-TRAILER|AWS4-HMAC-SHA256-PAYLOAD(?:-TRAILER)?|AWS4-ECDSA-P256-SHA256-PAYLOAD(?:-TRAILER)?)|[0-9a-fA-F]{64})$/;
const ACCOUNT_RE = /^\d{12}$/;

const OPERATION = { GET: "GetObject", HEAD: "HeadObject", PUT: "PutObject" } as const;

export interface PlainRequest {
  operation: (typeof OPERATION)[keyof typeof OPERATION];
  input: S3Input;
  accountId: string;
  region: string;
  accessKeyId: string;
}

/** The request's {operation, input} and scope if it is a plain object request (the caller checked method and query). */
export function plainObjectRequest(req: RawRequest, defaultAccountId: string, defaultRegion: string): PlainRequest | undefined {
  const h = req.headers;
  const host = h.host;
  const auth = h.authorization;
  if (typeof host !== "string" || !PLAIN_HOST.test(host) || typeof auth !== "string" || !SDK_SIGV4.test(auth)) return undefined;
  const m = PLAIN_PATH.exec(req.rawPath);
  // "/s3/..." is the /s3 path prefix to route.ts, and --x-s3 names a directory bucket (sessions, zonal rules).
  if (!m || m[1] === "s3" || m[1]!.endsWith("--x-s3")) return undefined;
  const sha = h["x-amz-content-sha256"];
  if (sha !== undefined && (typeof sha !== "string" || !PAYLOAD.test(sha))) return undefined;
  if (h.origin !== undefined || h["x-amz-target"] !== undefined || h["x-amz-copy-source"] !== undefined || h["x-amz-request-payer"] !== undefined)
    return undefined;
  const scope = parseAuthorizationHeader(auth);
  if (!scope) return undefined;
  const method = req.method as keyof typeof OPERATION;
  const bucket = m[1]!;
  const key = m[2]!;
  return {
    operation: OPERATION[method],
    input: { bucket, key, query: {}, req, method, resource: `/${bucket}/${key}` },
    accountId: ACCOUNT_RE.test(scope.accessKeyId) ? scope.accessKeyId : defaultAccountId,
    region: scope.region || defaultRegion,
    accessKeyId: scope.accessKeyId,
  };
}
