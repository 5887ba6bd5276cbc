/** The plain request/response the codecs work on; Fastify stays at the socket. */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import { AwsError } from "./aws-error.js";

export interface RawRequest {
  method: string;
  /** The raw request target, still percent-encoded (path + "?" + query). */
  url: string;
  /** The raw path, still percent-encoded. */
  rawPath: string;
  /** The raw query string without "?", still percent-encoded ("" when absent). */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  /** The body as a stream; read it at most once (or use readBody). */
  stream: IncomingMessage;
  /** The service's request size limit; readBody applies it (from bodyLimitFor, worked out on first use). */
  bodyLimit?: BodyLimit;
}

/** A request body limit and the error the service answers when a body exceeds it. */
export interface BodyLimit {
  bytes: number;
  error: (size: number) => AwsError;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | number | string[]>;
  body?: string | Buffer | Readable;
}

const DEFAULT_LIMIT = 64 * 1024 * 1024;
const aborted = () => Object.assign(new Error("aborted"), { code: "ECONNRESET" });
const tooLarge = (limit: number) => new AwsError("RequestEntityTooLarge", `Request body must be less than ${limit} bytes`, 413);

const LAMBDA_SYNC = 6 * 1024 * 1024;
const LAMBDA_EVENT = 1024 * 1024;
/** Lambda's limit for requests carrying deployment packages inline (a 50 MB zip, base64 in JSON). */
const LAMBDA_OTHER = 70_167_211; // as AWS words it (CreateFunction, UpdateFunctionCode, PublishLayerVersion)
const lambdaTooLarge = (msg: string) => new AwsError("RequestEntityTooLargeException", msg, 413);
/** Generic cap for JSON, Query and EC2 bodies with no documented figure: far above any valid request. */
const GENERIC = 16 * 1024 * 1024;
/**
 * PutLogEvents: "The maximum batch size is 1,048,576 bytes" (messages in UTF-8 plus 26 bytes per event).
 * The exact batch rule belongs to the handler; a body this large (JSON escaping can grow a message at
 * most six-fold, and at most 10,000 events) cannot hold a valid batch, so it is refused unread.
 */
const LOGS_BODY = 8 * 1024 * 1024;

/**
 * The request size limit of the service a request is for, from what is known before the body is read
 * (X-Amz-Target, the REST path, the form content type). S3 reads its bodies as streams with its own limits.
 */
export function bodyLimitFor(req: { method: string; rawPath: string; headers: IncomingHttpHeaders }): BodyLimit | undefined {
  if (req.method === "GET" || req.method === "HEAD") return undefined;
  const target = header(req, "x-amz-target");
  if (target) {
    if (target.startsWith("Logs_20140328.")) {
      return {
        bytes: LOGS_BODY,
        error: (n) => new AwsError("InvalidParameterException", `Upload too large: ${n} bytes exceeds limit of 1048576`, 400),
      };
    }
    return { bytes: GENERIC, error: () => tooLarge(GENERIC) };
  }
  const p = req.rawPath;
  if (/^\/20\d\d-\d\d-\d\d\/functions\/[^/]+\/invocations\/?$/.test(p) || /^\/2014-11-13\/functions\/[^/]+\/invoke-async\/?$/.test(p)) {
    if (p.startsWith("/2014-11-13/") || header(req, "x-amz-invocation-type") === "Event") {
      return {
        bytes: LAMBDA_EVENT,
        error: (n) => lambdaTooLarge(`${n} byte payload is too large for the Event invocation type (limit ${LAMBDA_EVENT} bytes)`),
      };
    }
    return { bytes: LAMBDA_SYNC, error: () => lambdaTooLarge(`Request must be smaller than ${LAMBDA_SYNC} bytes for the InvokeFunction operation`) };
  }
  // Deployment packages inline: "Request must be smaller than 70167211 bytes for the CreateFunction operation".
  const lambdaOp = /^\/2015-03-31\/functions\/?$/.test(p)
    ? "CreateFunction"
    : /^\/2015-03-31\/functions\/[^/]+\/code\/?$/.test(p)
      ? "UpdateFunctionCode"
      : /^\/2018-10-31\/layers\/[^/]+\/versions\/?$/.test(p)
        ? "PublishLayerVersion"
        : undefined;
  if (lambdaOp) return { bytes: LAMBDA_OTHER, error: () => lambdaTooLarge(`Request must be smaller than ${LAMBDA_OTHER} bytes for the ${lambdaOp} operation`) };
  if (/^\/20\d\d-\d\d-\d\d\//.test(p)) return { bytes: GENERIC, error: () => tooLarge(GENERIC) };
  const ct = header(req, "content-type") ?? "";
  if (req.method === "POST" && p === "/" && ct.startsWith("application/x-www-form-urlencoded")) {
    return { bytes: GENERIC, error: () => tooLarge(GENERIC) };
  }
  // The OCI registry API (/v2/, unsigned) keeps its own limits and errors.
  if ((p === "/v2" || p.startsWith("/v2/")) && req.headers.authorization === undefined) return undefined;
  // S3 (the fallback): object bodies are streamed; XML documents are read whole, each with its own size
  // limit, and too large a document is S3's MaxMessageLengthExceeded.
  return { bytes: DEFAULT_LIMIT, error: () => new AwsError("MaxMessageLengthExceeded", "Your request was too big.", 400) };
}

/**
 * Read a whole (small) body: JSON, Query and XML configuration bodies. A body over the limit (the
 * argument, else the request's service limit, else 64 MiB) is refused with the service's error as soon as
 * its declared Content-Length (or the bytes read so far) exceed it; nothing past the limit is kept.
 */
export function readBody(req: RawRequest, limit?: number): Promise<Buffer> {
  const cached = (req as RawRequest & { _body?: Promise<Buffer> })._body;
  if (cached) return cached;
  // Worked out here rather than per request: S3 object bodies (the hot path) never come through readBody.
  const bodyLimit = (req.bodyLimit ??= bodyLimitFor(req));
  const max = limit ?? bodyLimit?.bytes ?? DEFAULT_LIMIT;
  const fail = (n: number) => (bodyLimit ? bodyLimit.error(n) : tooLarge(max));
  const p = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const s = req.stream;
    if (s.readableEnded) return resolve(Buffer.alloc(0));
    // The client may have gone before the body is asked for (a service module loading, say): its events
    // have fired already, so settle now instead of waiting for them forever.
    if (s.destroyed) return reject(aborted());
    const declared = Number(header(req, "content-length"));
    if (Number.isFinite(declared) && declared > max) return reject(fail(declared));
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > max) {
        s.off("data", onData);
        s.off("end", onEnd);
        s.off("error", onError);
        chunks.length = 0;
        reject(fail(size));
        return;
      }
      chunks.push(c);
    };
    const onEnd = () => {
      s.off("close", onClose);
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    const onError = (e: Error) => reject(e);
    // 'close' follows every request; only one that ends before its body is an abort (no Error built otherwise).
    const onClose = () => {
      if (!s.readableEnded) reject(aborted());
    };
    s.on("data", onData);
    s.once("end", onEnd);
    s.once("error", onError);
    s.once("aborted", () => reject(aborted()));
    s.once("close", onClose);
  });
  (req as RawRequest & { _body?: Promise<Buffer> })._body = p;
  return p;
}

export function header(req: { headers: IncomingHttpHeaders }, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Parse a query string into ordered [key, value] pairs (application/x-www-form-urlencoded rules). */
export function parseQueryPairs(raw: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (!raw) return out;
  for (const part of raw.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? "" : part.slice(eq + 1);
    out.push([safeDecode(k.replace(/\+/g, " ")), safeDecode(v.replace(/\+/g, " "))]);
  }
  return out;
}

/** Percent-decoding that never throws (a malformed sequence is kept as it is). */
export function safeDecode(s: string): string {
  if (s.indexOf("%") < 0) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/%[0-9A-Fa-f]{2}/g, (m) => {
      try {
        return decodeURIComponent(m);
      } catch {
        return m;
      }
    });
  }
}
