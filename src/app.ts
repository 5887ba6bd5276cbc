/**
 * buildApp(sim): the HTTP server. AWS traffic never meets Fastify's request pipeline: the server's own
 * request handler sends every request except awsim's admin endpoints (/_awsim/*, /_parlel/*) straight
 * to dispatch(), so no Fastify default (415 for unknown content types, body limits, 404 pages, URL or
 * parameter errors) can answer a client in a non-AWS shape. Bodies stay raw streams, the URL is parsed by
 * us, and start-up does not grow with the number of operations.
 *
 * Connection hygiene: an answer sent before the request body was read whole drains the rest (when the
 * remainder is declared and at most DRAIN_LIMIT) or goes out with `Connection: close`, so a kept-alive
 * socket is never left stalled behind an unread body. A client that goes away mid-request is logged at
 * debug, one line.
 */
import Fastify, { type FastifyInstance } from "fastify";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { pipeline, type Readable } from "node:stream";
import { registerAdmin } from "./admin.js";
import type { Logger } from "./log.js";
import { dispatch, type DispatchResult } from "./protocols/dispatch.js";
import type { HttpResponse, RawRequest } from "./protocols/http.js";
import type { Simulator } from "./services/core/simulator.js";

/** The most unread request body drained to keep a connection alive after an early answer. */
export const DRAIN_LIMIT = 8 * 1024 * 1024;
/** After an early answer with `Connection: close`, the most bytes swallowed before the socket is cut. */
const LINGER_LIMIT = 64 * 1024 * 1024;

const isAdminPath = (url: string) => url.startsWith("/_awsim/") || url.startsWith("/_parlel/");

export function buildApp(sim: Simulator, log: Logger): FastifyInstance {
  let fastifyHandler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const app = Fastify({
    logger: false,
    exposeHeadRoutes: false,
    forceCloseConnections: true,
    requestIdHeader: false,
    serverFactory: (handler) => {
      fastifyHandler = handler;
      return createAwsServer(sim, log, (req, res) => fastifyHandler!(req, res));
    },
    // Parser errors are answered by createAwsServer's own listener, on the main and the extra ports alike.
    clientErrorHandler: () => undefined,
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (_req, _payload, done) => done(null, undefined));
  // Only awsim's own endpoints reach Fastify; its errors there keep the admin shape ({"error": ...}).
  app.setNotFoundHandler((req, reply) => void reply.code(404).send({ error: `no awsim endpoint ${req.method} ${req.url.split("?")[0]}` }));
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) log.error("admin endpoint failed", err);
    void reply.code(status).send({ error: status >= 500 ? "internal error" : err.message });
  });
  registerAdmin(app, sim);
  return app;
}

/**
 * An HTTP server answering AWS traffic (the main port, and each --also-listen port): admin paths to
 * `admin`, everything else to dispatch; parser errors in AWS shapes. requestTimeout 0: multi-GB S3
 * uploads take longer than Node's default 5 minutes. keepAliveTimeout 120 s: longer than the clients' own
 * idle limits (Go's transport drops idle connections after 90 s, the Java SDK after 60 s), so a client
 * never picks an idle connection at the moment the server closes it (the request then fails on a
 * closed connection: an error where retries are off, a retry where they are on).
 */
export function createAwsServer(sim: Simulator, log: Logger, admin: (req: IncomingMessage, res: ServerResponse) => void): Server {
  const server = createServer({ requestTimeout: 0, keepAliveTimeout: 120_000 }, (req, res) => {
    if (req.url !== undefined && req.url.charCodeAt(0) !== 47 /* / */) originForm(req);
    if (isAdminPath(req.url ?? "")) {
      // Admin endpoints read no body: a content type they would reject (415) is dropped instead.
      delete req.headers["content-type"];
      return admin(req, res);
    }
    void handleAws(sim, log, req, res);
  });
  server.on("clientError", (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => clientError(err, socket, log));
  return server;
}

/**
 * A request target in absolute form (`GET http://bucket.localhost:4566/key HTTP/1.1`, as clients send through an
 * HTTP proxy pointed at awsim): servers must accept it (RFC 9112 section 3.2.2), and the target's authority is the
 * request's host (section 3.3). It becomes origin form, with that Host.
 */
function originForm(req: IncomingMessage): void {
  const m = /^https?:\/\/([^/?#]*)/i.exec(req.url!);
  if (!m) return;
  const rest = req.url!.slice(m[0].length);
  req.url = rest.startsWith("/") ? rest : `/${rest}`;
  if (m[1]) req.headers.host = m[1];
}

async function handleAws(sim: Simulator, log: Logger, raw: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const url = raw.url ?? "/";
  const q = url.indexOf("?");
  const req: RawRequest = {
    method: raw.method ?? "GET",
    url,
    rawPath: q < 0 ? url : url.slice(0, q),
    rawQuery: q < 0 ? "" : url.slice(q + 1),
    headers: raw.headers,
    stream: raw,
  };
  let result: DispatchResult;
  try {
    result = await dispatch(sim, req);
  } catch (e) {
    // dispatch() answers every error itself; this is the last line of defence, never a stack on the wire.
    result = { response: lastResort(req), service: "unknown", operation: "", error: e };
  }
  if (result.error) {
    if (clientGone(raw, res, result.error)) log.debug(`${result.service} ${result.operation || "-"}: client disconnected before the request was complete`);
    else log.error(`${result.service} ${result.operation || "-"} failed`, result.error);
  }
  // --persist: a successful mutation is on disk before it is answered (src/persist/journal.ts).
  if (sim.journal && !result.error) {
    try {
      await sim.journal.afterRequest(result.operation, result.response.status, started);
    } catch (e) {
      log.error(`${result.service} ${result.operation}: could not persist the change`, e);
      result = { response: lastResort(req), service: result.service, operation: result.operation, error: e };
    }
  }
  if (res.destroyed || raw.socket?.destroyed) {
    // A request carried out whose answer cannot be sent: a client that retries it does it twice.
    if (!result.error)
      log.warn(`${result.service} ${result.operation || "-"}: done, but the client's connection closed before its answer (${result.response.status})`);
    return;
  }
  const { response } = result;
  settleBody(raw, res);
  if (log.enabled("info")) {
    const ms = (performance.now() - started).toFixed(1);
    log.info(`${result.service} ${result.operation || "-"} ${response.status} ${ms}ms`);
  }
  send(raw, res, response, log, result);
}

/** Write the response: strings and Buffers with a Content-Length, streams piped (chunked when no length). */
function send(raw: IncomingMessage, res: ServerResponse, response: HttpResponse, log: Logger, result: DispatchResult): void {
  // One writeHead with the whole header object: cheaper than a setHeader per header (no per-name map).
  const headers = lowerKeys(response.headers);
  const body = response.body;
  const status = response.status;
  try {
    if (body === undefined || body === null) {
      // As Fastify did: no Content-Length on 204/304; an explicit 0 on other empty non-HEAD answers.
      if (status === 204 || status === 304) delete headers["content-length"];
      else if (raw.method !== "HEAD") headers["content-length"] = "0";
      res.writeHead(status, headers).end();
      return;
    }
    if (typeof body === "string" || Buffer.isBuffer(body)) {
      const buf = typeof body === "string" ? Buffer.from(body) : body;
      if (headers["content-type"] === undefined) headers["content-type"] = "application/octet-stream";
      if (raw.method !== "HEAD") headers["content-length"] = buf.length;
      res.writeHead(status, headers).end(raw.method === "HEAD" ? undefined : buf);
      return;
    }
    if (raw.method === "HEAD") {
      (body as Readable).destroy();
      res.writeHead(status, headers).end();
      return;
    }
    res.writeHead(status, headers);
    const streamed = (err?: Error | null) => {
      if (err && !clientGone(raw, res, err)) log.error(`${result.service} ${result.operation || "-"} response stream failed`, err);
      else if (err) log.debug(`${result.service} ${result.operation || "-"}: client disconnected during the response`);
    };
    if (selfSending(body)) body.sendTo(res, streamed);
    else pipeline(body as Readable, res, streamed);
  } catch (e) {
    log.error(`${result.service} ${result.operation || "-"} could not send its answer`, e);
    if (!res.headersSent) {
      res.statusCode = 500;
      res.end();
    } else res.destroy();
  }
}

/** Whether a header name has an upper-case ASCII letter (a scan: cheaper than toLowerCase and a compare per name). */
function hasUpper(k: string): boolean {
  for (let i = 0; i < k.length; i++) {
    const c = k.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
  }
  return false;
}

/** Header names as one lower-case set (handlers write lower case; a mixed-case name is folded, last wins). */
function lowerKeys(h: HttpResponse["headers"]): HttpResponse["headers"] {
  for (const k in h) {
    if (hasUpper(k)) {
      const out: HttpResponse["headers"] = {};
      for (const j in h) out[j.toLowerCase()] = h[j]!;
      return out;
    }
  }
  return h;
}

/**
 * The request body was not read whole before the answer: drain the rest when its declared size is small,
 * otherwise answer with `Connection: close` (still swallowing what arrives, up to a bound, so the client
 * reads the answer instead of a reset).
 */
function settleBody(raw: IncomingMessage, res: ServerResponse): void {
  if (raw.complete || raw.readableEnded) return;
  raw.unpipe();
  const declared = Number(raw.headers["content-length"]);
  const drainable = !raw.destroyed && Number.isFinite(declared) && declared <= DRAIN_LIMIT && raw.headers["transfer-encoding"] === undefined;
  if (!drainable) {
    res.setHeader("connection", "close");
    res.shouldKeepAlive = false;
  }
  if (raw.destroyed) return;
  let swallowed = 0;
  const limit = drainable ? DRAIN_LIMIT : LINGER_LIMIT;
  raw.on("data", (c: Buffer) => {
    swallowed += c.length;
    if (swallowed > limit) raw.socket?.destroy();
  });
  raw.on("error", () => undefined);
  raw.resume();
}

/** True when the error is the client going away (reset, abort, premature close), not a fault of awsim. */
/** A body that writes itself to the answer, reusing its buffers (S3's object ranges, blobs.ts BlobRange). */
interface SelfSending {
  /** Nothing has read from it yet. */
  readonly untouched: boolean;
  sendTo(res: ServerResponse, done: (err?: Error) => void): void;
}
const selfSending = (b: unknown): b is SelfSending => typeof (b as SelfSending).sendTo === "function" && (b as SelfSending).untouched === true;

function clientGone(raw: IncomingMessage, res: ServerResponse, err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ECONNRESET" || code === "EPIPE" || code === "ERR_STREAM_PREMATURE_CLOSE" || code === "ECONNABORTED") return true;
  if (err instanceof Error && err.message === "aborted") return true;
  return (raw.socket?.destroyed ?? false) || (res.destroyed && !res.writableFinished) || (raw.destroyed && !raw.complete);
}

/** An answer when dispatch itself threw: the S3-style XML error unless the request looks like JSON. */
function lastResort(req: RawRequest): HttpResponse {
  if (req.headers["x-amz-target"]) {
    return {
      status: 500,
      headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": "InternalFailure" },
      body: JSON.stringify({ __type: "InternalFailure", message: "The request processing has failed because of an unknown error, exception or failure." }),
    };
  }
  return {
    status: 500,
    headers: { "content-type": "application/xml" },
    body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>`,
  };
}

const STATUS_TEXT: Record<number, string> = { 400: "Bad Request", 408: "Request Timeout", 431: "Request Header Fields Too Large" };

/**
 * Errors Node's HTTP parser raises before a request exists (malformed request line or headers, headers over
 * the size limit, timeouts): an AWS-shaped error, then the socket is closed. JSON when the bytes seen carry
 * an X-Amz-Target header, the XML error shape otherwise. A reset is logged at debug.
 */
function clientError(err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket, log: Logger): void {
  if (err.code === "ECONNRESET" || err.code === "HPE_INVALID_EOF_STATE" || socket.destroyed) {
    // The client closed its side mid-request: nobody is left to answer.
    log.debug(`client disconnected (${err.code ?? err.message})`);
    socket.destroy();
    return;
  }
  log.debug(`client error ${err.code ?? ""}: ${err.message}`);
  let status = 400;
  let code = "BadRequest";
  let message = "The request could not be parsed.";
  if (err.code === "HPE_HEADER_OVERFLOW") {
    status = 400;
    code = "RequestHeaderSectionTooLarge";
    message = "Your request header section exceeds the maximum allowed size.";
  } else if (err.code === "ERR_HTTP_REQUEST_TIMEOUT") {
    status = 408;
    code = "RequestTimeout";
    message = "Your socket connection to the server was not read from or written to within the timeout period.";
  }
  // Which protocol's envelope: sniffed from the bytes seen (the request never got far enough to be resolved).
  const seen = err.rawPacket ? err.rawPacket.subarray(0, 64 * 1024).toString("latin1") : "";
  const json = /\r\nx-amz-target:/i.test(seen) || /^[A-Z]+ \/20\d\d-\d\d-\d\d\//.test(seen);
  const line = seen.slice(0, seen.indexOf("\r\n") >>> 0);
  const ec2 = !json && (/\/ec2\/aws4_request/i.test(seen) || /[?&]Version=2016-11-15(&|\s|$)/.test(line));
  const query = !json && !ec2 && (/\r\ncontent-type:\s*application\/x-www-form-urlencoded/i.test(seen) || /^GET \/\?(.*&)?Action=/.test(line));
  const body = json
    ? JSON.stringify({ __type: code, message })
    : ec2
      ? `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>`
      : query
        ? `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
        : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  const type = json ? "application/x-amz-json-1.1" : query ? "text/xml" : "application/xml";
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `${json ? `x-amzn-ErrorType: ${code}\r\n` : ""}Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroySoon?.();
  setTimeout(() => socket.destroy(), 1000).unref();
}
