/**
 * The Lambda Runtime API (2018-06-01) for one function instance, served on loopback: a runtime polls
 * GET /runtime/invocation/next (held open until an invocation arrives) and answers with
 * POST /runtime/invocation/{id}/response or /error, or reports POST /runtime/init/error. Knows no service:
 * the caller queues invocations with invoke() and learns the outcome from the promise.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { PassThrough, type Readable } from "node:stream";

export interface Invocation {
  requestId: string;
  payload: Buffer;
  /** Epoch milliseconds; without it, the deadline is timeoutMs after the runtime receives the invocation. */
  deadlineMs?: number;
  timeoutMs?: number;
  /** Called when the runtime receives the invocation (its GET /next answered): the invoke phase starts. */
  onDeliver?: (at: number) => void;
  functionArn: string;
  traceId?: string;
  clientContext?: string;
  cognitoIdentity?: string;
}

export type InvocationResult =
  | { kind: "response"; body: Buffer }
  | { kind: "error"; body: Buffer; errorType?: string }
  /** The runtime sent a response over the size limit. */
  | { kind: "too-large"; size: number }
  /**
   * A streamed response (Lambda-Runtime-Function-Response-Mode: streaming): the body as it arrives;
   * `done` settles when it ends, with the error the runtime reported in the trailers, if any.
   */
  | { kind: "stream"; stream: Readable; contentType?: string; done: Promise<{ errorType?: string; errorBody?: Buffer }> };

/** Lambda's maximum synchronous response payload. */
export const MAX_RESPONSE_BYTES = 6291556;
const PREFIX = "/2018-06-01/runtime";

interface Pending {
  inv: Invocation;
  resolve: (r: InvocationResult) => void;
  reject: (e: Error) => void;
}

export class RuntimeApi {
  /** host:port, the value of AWS_LAMBDA_RUNTIME_API. */
  address = "";
  /** True once the runtime has asked for its first invocation (it speaks the Runtime API). */
  polled = false;
  /** Called on POST /runtime/init/error. */
  onInitError?: (body: Buffer, errorType?: string) => void;
  /** Called on the first GET /next (initialisation finished). */
  onReady?: () => void;
  private readonly server: Server;
  private readonly queue: Pending[] = [];
  private parked?: ServerResponse;
  private current?: Pending;

  private constructor() {
    this.server = createServer(
      (req, res) => void this.handle(req, res).catch(() => this.reply(res, 500, { errorMessage: "internal error", errorType: "ServiceException" })),
    );
    this.server.keepAliveTimeout = 0;
    this.server.headersTimeout = 0;
    this.server.requestTimeout = 0;
  }

  static async start(host = "127.0.0.1"): Promise<RuntimeApi> {
    const api = new RuntimeApi();
    await new Promise<void>((resolve, reject) => {
      api.server.once("error", reject);
      api.server.listen(0, host, () => resolve());
    });
    api.address = `${host}:${(api.server.address() as AddressInfo).port}`;
    return api;
  }

  /** Queue an invocation; resolves with the runtime's answer. */
  invoke(inv: Invocation): Promise<InvocationResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ inv, resolve, reject });
      this.deliver();
    });
  }

  /** Abandon the current and queued invocations (the process died or timed out). */
  fail(reason: Error): void {
    const all = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    this.current = undefined;
    for (const p of all) p.reject(reason);
  }

  async close(): Promise<void> {
    this.fail(new Error("runtime closed"));
    this.parked?.destroy();
    this.parked = undefined;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private deliver(): void {
    if (!this.parked || this.current || !this.queue.length) return;
    const res = this.parked;
    this.parked = undefined;
    const p = this.queue.shift()!;
    this.current = p;
    const at = Date.now();
    p.inv.onDeliver?.(at);
    const h: Record<string, string> = {
      "content-type": "application/json",
      "lambda-runtime-aws-request-id": p.inv.requestId,
      "lambda-runtime-deadline-ms": String(p.inv.deadlineMs ?? at + (p.inv.timeoutMs ?? 0)),
      "lambda-runtime-invoked-function-arn": p.inv.functionArn,
      "lambda-runtime-trace-id":
        p.inv.traceId ??
        `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${p.inv.requestId.replace(/-/g, "").slice(0, 24)};Parent=0000000000000000;Sampled=0`,
    };
    if (p.inv.clientContext) h["lambda-runtime-client-context"] = p.inv.clientContext;
    if (p.inv.cognitoIdentity) h["lambda-runtime-cognito-identity"] = p.inv.cognitoIdentity;
    res.writeHead(200, h).end(p.inv.payload);
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    if (res.headersSent) return;
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  }

  private async readBody(req: IncomingMessage): Promise<Buffer | number> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length;
      if (size <= MAX_RESPONSE_BYTES) chunks.push(c);
    }
    return size > MAX_RESPONSE_BYTES ? size : Buffer.concat(chunks);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0]!;
    if (req.method === "GET" && path === `${PREFIX}/invocation/next`) {
      if (!this.polled) {
        this.polled = true;
        this.onReady?.();
      }
      this.parked?.destroy();
      this.parked = res;
      res.once("close", () => {
        if (this.parked === res) this.parked = undefined;
      });
      this.deliver();
      return;
    }
    if (req.method === "POST" && path === `${PREFIX}/init/error`) {
      const body = await this.readBody(req);
      this.reply(res, 202, { status: "OK" });
      this.onInitError?.(typeof body === "number" ? Buffer.alloc(0) : body, header(req, "lambda-runtime-function-error-type"));
      return;
    }
    const m = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (req.method === "POST" && m && m[2] === "response" && header(req, "lambda-runtime-function-response-mode") === "streaming") {
      const p = this.current;
      if (!p || p.inv.requestId !== decodeURIComponent(m[1]!))
        return this.reply(res, 400, { errorMessage: `Invalid request ID: "${m[1]}"`, errorType: "InvalidRequestID" });
      this.current = undefined;
      const stream = new PassThrough();
      const done = new Promise<{ errorType?: string; errorBody?: Buffer }>((resolve) => {
        req.once("end", () => {
          const errorType = req.trailers["lambda-runtime-function-error-type"];
          const body = req.trailers["lambda-runtime-function-error-body"];
          this.reply(res, 202, { status: "OK" });
          resolve(errorType ? { errorType, errorBody: body ? Buffer.from(body, "base64") : undefined } : {});
        });
        req.once("close", () => resolve({ errorType: "Runtime.StreamAborted" }));
      });
      req.pipe(stream);
      p.resolve({ kind: "stream", stream, contentType: header(req, "content-type"), done });
      void done.then(() => this.deliver());
      return;
    }
    if (req.method === "POST" && m) {
      const id = decodeURIComponent(m[1]!);
      const body = await this.readBody(req);
      const p = this.current;
      if (!p || p.inv.requestId !== id) return this.reply(res, 400, { errorMessage: `Invalid request ID: "${id}"`, errorType: "InvalidRequestID" });
      this.current = undefined;
      if (typeof body === "number") {
        this.reply(res, 413, { errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`, errorType: "RequestEntityTooLarge" });
        p.resolve({ kind: "too-large", size: body });
      } else {
        this.reply(res, 202, { status: "OK" });
        const result: InvocationResult =
          m[2] === "response" ? { kind: "response", body } : { kind: "error", body, errorType: header(req, "lambda-runtime-function-error-type") };
        // The function's output written before this request (a log line, the runtime's "Uncaught Exception") may
        // sit in its pipes, readable in this same turn of the event loop: settle after the turn, so the invocation's
        // log and LogResult tail hold it (they missed it now and then under load).
        setImmediate(() => p.resolve(result));
      }
      this.deliver();
      return;
    }
    this.reply(res, 404, { errorMessage: `Unknown path ${req.method} ${path}`, errorType: "InvalidRequest" });
  }
}

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};
