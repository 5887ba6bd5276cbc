/**
 * Function URLs served on the awsim port: a request whose Host is <url-id>.lambda-url.<region>.localhost
 * (or .on.aws), or whose path starts with /_lambda-url/<url-id>/, invokes the function with the payload
 * format 2.0 event and maps its result to the HTTP response (statusCode, headers, cookies, body,
 * isBase64Encoded; any other JSON result is a 200 application/json body). AuthType NONE needs a policy
 * statement allowing lambda:InvokeFunctionUrl to principal * with lambda:FunctionUrlAuthType NONE (else 403);
 * AWS_IAM needs a SigV4-signed request (the signature itself is not verified). CORS from the URL config:
 * preflights are answered without invoking, and allowed origins get Access-Control-* headers.
 */
import { randomUUID } from "node:crypto";
import { PassThrough } from "node:stream";
import { AwsError } from "../../protocols/aws-error.js";
import { readBody, type HttpResponse, type RawRequest } from "../../protocols/http.js";
import { parseAuthorizationHeader, parsePresignedCredential } from "../../protocols/sigv4.js";
import type { Ctx, ServiceDefinition, SimHandle } from "../core/types.js";
import type { LambdaRuntimeState } from "./common.js";
import { execute, start, type Outcome } from "./invoke.js";
import type { FunctionRec, UrlConfigRec } from "./state.js";
import { safe, type Target } from "./url-target.js";

interface Sim extends SimHandle {
  loaded(name: string): ServiceDefinition | undefined;
  stateFor<S>(def: ServiceDefinition, accountId: string, region: string): S;
}

function find(sim: Sim, urlId: string): { s: LambdaRuntimeState; f: FunctionRec; q: string; u: UrlConfigRec } | undefined {
  for (const s of sim.statesOf<LambdaRuntimeState>("lambda"))
    for (const f of s.functions.values()) for (const [q, u] of f.urlConfigs) if (u.urlId === urlId) return { s, f, q, u };
  return undefined;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { "content-type": "application/json", "x-amzn-requestid": randomUUID(), ...headers },
  body: JSON.stringify(body),
});

/** AWS's answer to a public (AuthType NONE) URL call the function's policy does not allow. */
const URL_FORBIDDEN = "Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html";

function allowsPublic(f: FunctionRec): boolean {
  return f.policy.some((p) => {
    const actions = ([] as unknown[]).concat(p.Action);
    const cond = (p.Condition as { StringEquals?: Record<string, string> } | undefined)?.StringEquals;
    return (
      p.Effect === "Allow" &&
      (p.Principal === "*" || (p.Principal as { AWS?: string })?.AWS === "*") &&
      actions.some((a) => a === "lambda:InvokeFunctionUrl" || a === "lambda:*") &&
      cond?.["lambda:FunctionUrlAuthType"] === "NONE"
    );
  });
}

function corsHeaders(u: UrlConfigRec, origin: string | undefined): Record<string, string> {
  const c = u.Cors as
    | { AllowOrigins?: string[]; AllowMethods?: string[]; AllowHeaders?: string[]; ExposeHeaders?: string[]; MaxAge?: number; AllowCredentials?: boolean }
    | undefined;
  if (!c || !origin) return {};
  const origins = c.AllowOrigins ?? [];
  if (!origins.includes("*") && !origins.includes(origin)) return {};
  const h: Record<string, string> = { "access-control-allow-origin": origins.includes("*") && !c.AllowCredentials ? "*" : origin };
  if (c.ExposeHeaders?.length) h["access-control-expose-headers"] = c.ExposeHeaders.join(",");
  if (c.AllowCredentials) h["access-control-allow-credentials"] = "true";
  h.vary = "Origin";
  return h;
}

const TEXTUAL = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|.*\+(json|xml))/i;

/** requestContext.authorizer.iam of an AWS_IAM URL: who signed the request. */
function iamAuthorizer(sim: Sim, req: RawRequest, s: LambdaRuntimeState) {
  const auth = req.headers.authorization;
  const scope = parseAuthorizationHeader(Array.isArray(auth) ? auth[0] : auth) ?? (req.rawQuery ? parsePresignedCredential(req.rawQuery) : undefined);
  const key = scope?.accessKeyId ?? "";
  const who = key ? sim.identify(key) : undefined;
  const accountId = who?.accountId ?? (/^\d{12}$/.test(key) ? key : s.accountId);
  return {
    accessKey: key,
    accountId,
    callerId: who?.userId ?? accountId,
    cognitoIdentity: null,
    principalOrgId: null,
    userArn: who?.arn ?? `arn:aws:iam::${accountId}:root`,
    userId: who?.userId ?? accountId,
  };
}

function event(
  req: RawRequest,
  t: Target,
  s: LambdaRuntimeState,
  body: Buffer,
  requestId: string,
  trace: string,
  iam: ReturnType<typeof iamAuthorizer> | undefined,
) {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && k !== "cookie") headers[k] = Array.isArray(v) ? v.join(",") : v;
  // The front end's forwarding headers and the trace id, as AWS adds them (TestLambdaURL::test_lambda_url_echo_http_fixture_default).
  const sourceIp = req.stream.socket?.remoteAddress ?? "127.0.0.1";
  headers["x-amzn-trace-id"] ??= trace;
  headers["x-forwarded-for"] ??= sourceIp;
  headers["x-forwarded-port"] ??= String(req.stream.socket?.localPort ?? 80);
  headers["x-forwarded-proto"] ??= (req.stream.socket as { encrypted?: boolean } | undefined)?.encrypted ? "https" : "http";
  const query: Record<string, string> = {};
  for (const pair of req.rawQuery ? req.rawQuery.split("&") : []) {
    const [k, v = ""] = pair.split("=");
    const key = safe(k!);
    query[key] = query[key] !== undefined ? `${query[key]},${safe(v)}` : safe(v);
  }
  const cookies = String(req.headers.cookie ?? "")
    .split(";")
    .map((c) => c.trim())
    .filter(Boolean);
  const ct = String(req.headers["content-type"] ?? "");
  const b64 = body.length > 0 && !TEXTUAL.test(ct);
  const now = new Date();
  const host = String(req.headers.host ?? "");
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: t.path,
    rawQueryString: req.rawQuery,
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(req.rawQuery ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: iam ? iam.accountId : "anonymous",
      ...(iam ? { authorizer: { iam } } : {}),
      apiId: t.urlId,
      domainName: host,
      domainPrefix: t.urlId,
      http: {
        method: req.method,
        path: t.path,
        protocol: `HTTP/${req.stream.httpVersion ?? "1.1"}`,
        sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId,
      routeKey: "$default",
      stage: "$default",
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: b64 ? body.toString("base64") : body.toString("utf8") } : {}),
    pathParameters: null,
    isBase64Encoded: b64,
    stageVariables: null,
  };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** requestContext.time as AWS writes it: 12/Mar/2020:19:03:58 +0000. */
function clfTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** Map a function's result (payload format 2.0) to the HTTP response. */
function mapResult(payload: Buffer, extra: Record<string, string>): HttpResponse {
  let r: unknown;
  try {
    r = JSON.parse(payload.toString("utf8"));
  } catch {
    r = undefined;
  }
  if (r && typeof r === "object" && !Array.isArray(r) && "statusCode" in r) {
    const o = r as { statusCode: number | string; headers?: Record<string, string>; cookies?: string[]; body?: unknown; isBase64Encoded?: boolean };
    const headers: HttpResponse["headers"] = { "content-type": "application/json", ...extra };
    for (const [k, v] of Object.entries(o.headers ?? {})) headers[k.toLowerCase()] = String(v);
    if (o.cookies?.length) headers["set-cookie"] = o.cookies.map(String);
    const text = o.body === undefined || o.body === null ? "" : typeof o.body === "string" ? o.body : JSON.stringify(o.body);
    // A numeric string is a status too (TestLambdaURL::test_lambda_url_headers_and_status: "418").
    const code =
      typeof o.statusCode === "string" && /^\d+$/.test(o.statusCode) ? Number(o.statusCode) : Number.isInteger(o.statusCode) ? Number(o.statusCode) : 0;
    const status = code >= 100 && code <= 599 ? code : 502;
    return { status, headers, body: o.isBase64Encoded ? Buffer.from(text, "base64") : Buffer.from(text) };
  }
  // Any other result is the body: a string as itself, other JSON re-serialized compactly (recorded against AWS, 2025).
  const body = typeof r === "string" ? Buffer.from(r) : r === undefined || r === null ? payload : Buffer.from(JSON.stringify(r));
  return { status: 200, headers: { "content-type": "application/json", ...extra }, body };
}

/** Serve one function URL request (never throws). */
export async function serveFunctionUrl(
  sim: Sim,
  req: RawRequest,
  t: Target,
): Promise<{ response: HttpResponse; service: string; operation: string; error?: unknown }> {
  const out = (response: HttpResponse, error?: unknown) => ({ response, service: "lambda", operation: "InvokeFunctionUrl", error });
  if (t.code) return { response: download(sim, t.code), service: "lambda", operation: "GetCode" };
  const hit = find(sim, t.urlId);
  const def = sim.loaded("lambda");
  // An unknown URL id answers 403 AccessDeniedException with a null message (TestLambdaURL::test_lambda_url_non_existing_url).
  if (!hit || !def) return out(json(403, { Message: null }, { "x-amzn-errortype": "AccessDeniedException" }));
  const { s, f, q, u } = hit;
  const origin = req.headers.origin as string | undefined;
  const cors = corsHeaders(u, origin);
  // The URL of a deleted alias stays; AWS answers its calls 403 (recorded against AWS, 2025).
  if (q !== "$LATEST" && !f.aliases.has(q)) return out(json(403, { Message: URL_FORBIDDEN }, { "x-amzn-errortype": "AccessDeniedException", ...cors }));
  if (req.method === "OPTIONS" && origin && req.headers["access-control-request-method"]) {
    const c = (u.Cors ?? {}) as { AllowMethods?: string[]; AllowHeaders?: string[]; MaxAge?: number };
    const h: Record<string, string> = { ...cors };
    if (Object.keys(cors).length) {
      if (c.AllowMethods?.length) h["access-control-allow-methods"] = c.AllowMethods.join(",");
      if (c.AllowHeaders?.length) h["access-control-allow-headers"] = c.AllowHeaders.join(",");
      if (c.MaxAge !== undefined) h["access-control-max-age"] = String(c.MaxAge);
    }
    return out({ status: 200, headers: { "x-amzn-requestid": randomUUID(), ...h }, body: "" });
  }
  const signed = Boolean(req.headers.authorization) || /(?:^|&)X-Amz-Signature=/.test(req.rawQuery);
  if (u.AuthType === "AWS_IAM" ? !signed : !allowsPublic(f))
    return out(json(403, { Message: u.AuthType === "AWS_IAM" ? "Forbidden" : URL_FORBIDDEN }, { "x-amzn-errortype": "AccessDeniedException", ...cors }));
  const requestId = randomUUID();
  if (u.AuthType === "AWS_IAM" && sim.config.enforceIam) {
    // --enforce-iam: the signature is verified and lambda:InvokeFunctionUrl authorized (identity and function policies).
    try {
      const { enforce } = await import("../iam/enforce.js");
      const scope = parseAuthorizationHeader(String(req.headers.authorization ?? "")) ?? (req.rawQuery ? parsePresignedCredential(req.rawQuery) : undefined);
      const caller = scope?.accessKeyId ? sim.identify(scope.accessKeyId) : undefined;
      const input = { FunctionName: f.name, ...(q !== "$LATEST" ? { Qualifier: q } : {}) };
      await enforce(sim, {
        req,
        protocol: "rest-json",
        service: "lambda",
        operation: "InvokeFunctionUrl",
        input,
        accountId: s.accountId,
        region: s.region,
        accessKeyId: scope?.accessKeyId,
        caller,
      });
    } catch (e) {
      if (e instanceof AwsError) return out(json(403, { Message: "Forbidden" }, { "x-amzn-errortype": "AccessDeniedException", ...cors }));
      return out(json(500, { Message: "Internal Server Error" }, cors), e);
    }
  }
  try {
    const body = await readBody(req, 6 * 1024 * 1024);
    const ctx = urlCtx(sim, def, req, s, requestId);
    const trace = `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${requestId.replace(/-/g, "").slice(0, 24)}`;
    const ev = Buffer.from(JSON.stringify(event(req, t, s, body, requestId, trace, u.AuthType === "AWS_IAM" ? iamAuthorizer(sim, req, s) : undefined)));
    const qualifier = q === "$LATEST" ? undefined : q;
    const extra0 = { "x-amzn-requestid": requestId, ...cors };
    let result: Outcome;
    const streamMode = u.InvokeMode === "RESPONSE_STREAM";
    // The function runs under the request id the URL answers in x-amzn-RequestId (TestRequestIdHandling::test_request_id_invoke_url).
    if (streamMode) {
      const started = await start(ctx, f, qualifier, ev, undefined, requestId);
      if (started.stream) return out(await streamed(started.stream, extra0));
      result = started;
    } else result = await execute(ctx, f, qualifier, ev, undefined, requestId);
    const extra = {
      "x-amzn-requestid": requestId,
      "x-amzn-trace-id": trace,
      ...cors,
    };
    // A function error answers 502 with the bare text "Internal Server Error" (TestLambdaURL::test_lambda_url_invocation_exception).
    if (result.functionError) return out({ status: 502, headers: { "content-type": "application/json", ...extra }, body: "Internal Server Error" });
    // RESPONSE_STREAM with a handler that returns its result: the result's JSON is the body as it is, not mapped to
    // an HTTP response (TestLambdaURL::test_lambda_url_echo_invoke[RESPONSE_STREAM] reads its "body" key).
    if (streamMode) return out({ status: 200, headers: { "content-type": "application/json", ...extra }, body: result.payload });
    return out(mapResult(result.payload, extra));
  } catch (e) {
    if (e instanceof AwsError) {
      if (e.status === 429) return out(json(429, { Message: "Rate Exceeded." }, { "x-amzn-errortype": e.code, ...cors }));
      return out(json(e.status, { Message: e.message }, { "x-amzn-errortype": e.code, ...cors }));
    }
    return out(json(500, { Message: "Internal Server Error" }, cors), e);
  }
}

const PRELUDE_TYPE = "application/vnd.awslambda.http-integration-response";

/**
 * RESPONSE_STREAM: the body goes out as the function writes it. With awslambda.HttpResponseStream.from the
 * stream starts with a JSON prelude (statusCode, headers, cookies) ended by 8 NUL bytes.
 */
async function streamed(s: NonNullable<Outcome["stream"]>, extra: Record<string, string>): Promise<HttpResponse> {
  const body = new PassThrough();
  const it = (s.body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let status = 200;
  const headers: HttpResponse["headers"] = { "content-type": s.contentType ?? "application/octet-stream", ...extra };
  if (s.contentType === PRELUDE_TYPE) {
    headers["content-type"] = "application/octet-stream";
    let buf = Buffer.alloc(0);
    let end = -1;
    while (end < 0) {
      const n = await it.next();
      if (n.done) break;
      buf = Buffer.concat([buf, n.value]);
      end = buf.indexOf(Buffer.alloc(8));
    }
    const preludeText = end < 0 ? buf.toString("utf8") : buf.subarray(0, end).toString("utf8");
    try {
      const p = JSON.parse(preludeText || "{}") as { statusCode?: number; headers?: Record<string, string>; cookies?: string[] };
      if (Number.isInteger(p.statusCode)) status = p.statusCode!;
      for (const [k, v] of Object.entries(p.headers ?? {})) headers[k.toLowerCase()] = String(v);
      if (p.cookies?.length) headers["set-cookie"] = p.cookies.map(String);
    } catch {
      /* not a prelude: treat it as body */
    }
    if (end >= 0 && buf.length > end + 8) body.write(buf.subarray(end + 8));
  }
  void (async () => {
    for (;;) {
      const n = await it.next();
      if (n.done) break;
      body.write(n.value);
    }
    await s.done;
    body.end();
  })().catch(() => body.destroy());
  return { status, headers, body };
}

function download(sim: Sim, c: NonNullable<Target["code"]>): HttpResponse {
  const s = sim.statesOf<LambdaRuntimeState>("lambda").find((x) => x.accountId === c.accountId && x.region === c.region);
  let zip: Buffer | undefined;
  if (c.kind === "layer") zip = s?.layers.get(c.name)?.versions.get(Number(c.version))?.zip;
  else {
    const f = s?.functions.get(c.name);
    zip = c.version === "$LATEST" ? f?.zip : f?.versions.find((v) => v.version === c.version)?.snapshot.zip;
  }
  if (!zip)
    return {
      status: 404,
      headers: { "content-type": "application/xml" },
      body: "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>",
    };
  return { status: 200, headers: { "content-type": "application/zip", "content-length": String(zip.length) }, body: zip };
}

function urlCtx(sim: Sim, def: ServiceDefinition, req: RawRequest, s: LambdaRuntimeState, requestId: string): Ctx {
  return {
    requestId,
    accountId: s.accountId,
    region: s.region,
    service: "lambda",
    operation: "InvokeFunctionUrl",
    headers: req.headers,
    now: () => new Date(),
    config: sim.config,
    sim,
    state<S>() {
      return s as unknown as S;
    },
    stateOf<S>(service: string, r = s.region, a = s.accountId) {
      return sim.stateOf<S>(service, a, r);
    },
  } as Ctx;
}
