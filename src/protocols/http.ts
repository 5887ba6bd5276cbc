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
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | number | string[]>;
  body?: string | Buffer | Readable;
}

const DEFAULT_LIMIT = 64 * 1024 * 1024;

/** Read a whole (small) body: JSON, Query and XML configuration bodies. */
export function readBody(req: RawRequest, limit = DEFAULT_LIMIT): Promise<Buffer> {
  const cached = (req as RawRequest & { _body?: Promise<Buffer> })._body;
  if (cached) return cached;
  const p = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const s = req.stream;
    if (s.readableEnded) return resolve(Buffer.alloc(0));
    s.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        s.removeAllListeners("data");
        s.resume();
        reject(new AwsError("RequestEntityTooLarge", `Request body must be less than ${limit} bytes`, 413));
        return;
      }
      chunks.push(c);
    });
    s.once("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    s.once("error", reject);
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
