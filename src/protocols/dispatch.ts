/**
 * resolve → decode → handler(ctx, input) → encode | encodeError. The only place a request meets a
 * service. Anything thrown that is not an AwsError is logged and becomes a 500 without a stack.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import { AwsError, FrameworkErrors } from "./aws-error.js";
import type { Codec } from "./codec.js";
import { ec2Codec } from "./ec2.js";
import type { HttpResponse, RawRequest } from "./http.js";
import { jsonCodec } from "./json.js";
import { queryCodec, readQueryRequest } from "./query.js";
import { apiPreflight, withApiCors } from "./cors.js";
import { resolveRequest } from "./resolve.js";
import { missingEqualSign } from "./sigv4.js";
import { wholeSecond } from "../services/core/time.js";
import { queryMap } from "./model/rest.js";
import { checkOutput, checkXmlAnswer, filledPaths } from "./model/check.js";
import { modelRuntime, notImplemented } from "./model/runtime.js";
import type { ServiceModel } from "./model/types.js";
import { parseXml } from "./xml.js";
import { restJsonCodec } from "./rest-json.js";
import { restXmlCodec } from "./rest-xml.js";
import { CBOR_NAMESPACES, isRpcV2Cbor, rpcV2CborCodec } from "./rpcv2-cbor.js";
import { functionUrlTarget } from "../services/lambda/url-target.js";
import type { Simulator } from "../services/core/simulator.js";
import type { Ctx, Protocol, ServiceDefinition } from "../services/core/types.js";
import { serviceByApiVersion, serviceByName, type ServiceDescriptor } from "../services/index.js";
import { plainObjectRequest } from "../services/s3/plain-request.js";

export const CODECS: Record<Protocol, Codec> = {
  json: jsonCodec,
  query: queryCodec,
  ec2: ec2Codec,
  "rest-json": restJsonCodec,
  "rest-xml": restXmlCodec,
};

export interface DispatchResult {
  response: HttpResponse;
  service: string;
  operation: string;
  error?: unknown;
}

/** S3 request ids: 16 upper-case hex characters, unique per process (random prefix + counter). */
const idPrefix = randomBytes(4).toString("hex").toUpperCase();
let idSeq = 0;
const s3RequestId = () => idPrefix + (idSeq = (idSeq + 1) >>> 0).toString(16).toUpperCase().padStart(8, "0");

const CHECK_OUTPUT = process.env.AWSIM_CHECK_OUTPUT === "1";
/** Where AWSIM_CHECK_OUTPUT's findings go (appended, one line each; the test suite collects them), else stderr. */
const CHECK_OUTPUT_FILE = process.env.AWSIM_CHECK_OUTPUT_FILE;

/** Operations answered successfully in this process (recorded once each, so the suite can list those none of its tests reach). */
const answered = new Set<string>();
/** AWSIM_FILLED_REPORT (set by the suite's globalSetup): the output member paths answers filled, recorded once each. */
const FILLED = process.env.AWSIM_FILLED === "1";
const filled = new Set<string>();

function reportOutput(service: string, operation: string, output: unknown): void {
  if (CHECK_OUTPUT_FILE && !answered.has(`${service} ${operation}`)) {
    answered.add(`${service} ${operation}`);
    appendFileSync(CHECK_OUTPUT_FILE, `AWSIM_ANSWERED ${service} ${operation}\n`);
  }
  if (output === null || typeof output !== "object") return;
  const rt = modelRuntime(service);
  const shape = rt.model.operations[operation]?.output?.shape;
  if (!shape) return;
  if ((output as { $raw?: boolean }).$raw) {
    if (rt.model.metadata.protocol === "rest-xml") reportRawXml(service, operation, rt.model, shape, output as HttpResponse);
    return;
  }
  // A model output's `headers` are the ones a wrapper adds around the handler (S3's CORS answer), not a member.
  const members = (output as { $model?: boolean }).$model ? { ...(output as Record<string, unknown>), headers: undefined } : output;
  if (FILLED && CHECK_OUTPUT_FILE) {
    const lines: string[] = [];
    for (const p of filledPaths(rt.model, shape, members, new Set())) {
      const key = `${service} ${operation} ${p}`;
      if (filled.has(key)) continue;
      filled.add(key);
      lines.push(`AWSIM_FILLED ${key}\n`);
    }
    if (lines.length) appendFileSync(CHECK_OUTPUT_FILE, lines.join(""));
  }
  for (const p of checkOutput(rt.model, shape, members)) {
    const line = `AWSIM_CHECK_OUTPUT ${service} ${operation} ${p}\n`;
    if (CHECK_OUTPUT_FILE) appendFileSync(CHECK_OUTPUT_FILE, line);
    else process.stderr.write(line);
  }
}

/** A REST-XML handler's own HTTP answer (S3 writes most of its XML itself) against the model: headers and body. */
function reportRawXml(service: string, operation: string, model: ServiceModel, shape: string, res: HttpResponse): void {
  if (res.status < 200 || res.status > 299) return;
  const payload = model.shapes[shape]?.payload;
  const payloadShape = payload ? model.shapes[model.shapes[shape]!.members![payload]!.shape] : undefined;
  const body = typeof res.body === "string" || Buffer.isBuffer(res.body) ? res.body : undefined;
  const xmlBody = (payloadShape === undefined || payloadShape.type === "structure") && /xml/.test(String(res.headers["content-type"] ?? ""));
  const found: string[] = [];
  let doc: Record<string, unknown> | undefined;
  // (Bodies over 1 MiB are not parsed: the check runs on every answer of the suite.)
  if (xmlBody && body?.length && body.length <= 1 << 20) {
    try {
      doc = parseXml(body.toString());
    } catch {
      found.push(".: the body is not XML");
    }
  }
  const paths = new Set<string>();
  found.push(...checkXmlAnswer(model, shape, res.headers, doc, FILLED ? paths : undefined));
  const lines = found.map((p) => `AWSIM_CHECK_OUTPUT ${service} ${operation} ${p}\n`);
  for (const p of paths) {
    const key = `${service} ${operation} ${p}`;
    if (filled.has(key)) continue;
    filled.add(key);
    lines.push(`AWSIM_FILLED ${key}\n`);
  }
  if (!lines.length) return;
  if (CHECK_OUTPUT_FILE) appendFileSync(CHECK_OUTPUT_FILE, lines.join(""));
  else process.stderr.write(lines.join(""));
}

const isSigV4 = (req: RawRequest) => String(req.headers.authorization ?? "").startsWith("AWS4-") || req.rawQuery.includes("X-Amz-Credential=");

export async function dispatch(sim: Simulator, req: RawRequest): Promise<DispatchResult> {
  // Plain object requests (most S3 traffic) skip resolve and routing, which would decide the same (plain-request.ts).
  const m = req.method;
  if (
    (m === "GET" || m === "HEAD" || m === "PUT") &&
    req.rawQuery === "" &&
    !sim.config.strict &&
    !sim.config.enforceIam &&
    sim.config.plainObjectRequests !== false
  ) {
    const plain = plainObjectRequest(req, sim.config.defaultAccountId, sim.config.defaultRegion);
    const def = plain && sim.loaded("s3");
    if (def) return run(sim, req, S3_DESC, restXmlCodec, def, s3RequestId(), plain.operation, plain.input, plain);
  }
  const functionUrl = functionUrlTarget(req);
  if (functionUrl) return import("../services/lambda/url-server.js").then((m) => m.serveFunctionUrl(sim, req, functionUrl));
  if (req.method === "OPTIONS") {
    const pre = apiPreflight(req);
    if (pre) return { response: pre.response, service: pre.service, operation: "" };
  }
  // The OCI distribution API of ECR's registries (docker push/pull) on the same port; a SigV4-signed
  // request to /v2/... is S3 path-style for a bucket named "v2".
  // The OCI registry's /v2/ (Basic or Bearer auth, or none); a SigV4- or S3 SigV2-signed /v2 is a bucket called "v2".
  if ((req.rawPath === "/v2" || req.rawPath.startsWith("/v2/")) && !isSigV4(req) && !String(req.headers.authorization ?? "").startsWith("AWS "))
    return (await import("../services/ecr/oci.js")).serveRegistry(sim, req);
  const resolved = resolveRequest(req, { accountId: sim.config.defaultAccountId, region: sim.config.defaultRegion });
  let desc: ServiceDescriptor | undefined = resolved.service;
  if (resolved.byFormAction) {
    let pairs: Array<[string, string]>;
    try {
      pairs = await readQueryRequest(req);
    } catch (e) {
      const err = e instanceof AwsError ? e : FrameworkErrors.internal();
      return {
        response: withApiCors(queryCodec.encodeError(err, undefined, randomUUID(), req), req, "unknown"),
        service: "unknown",
        operation: "",
        error: e instanceof AwsError ? undefined : e,
      };
    }
    const version = pairs.find(([k]) => k === "Version")?.[1];
    desc = version ? serviceByApiVersion(version) : undefined;
    if (!desc) {
      const requestId = randomUUID();
      const action = pairs.find(([k]) => k === "Action")?.[1];
      const err = action ? FrameworkErrors.invalidAction(action, version) : FrameworkErrors.missingAction();
      return { response: withApiCors(queryCodec.encodeError(err, undefined, requestId, req), req, "unknown"), service: "unknown", operation: action ?? "" };
    }
  }
  if (!desc) {
    const requestId = randomUUID();
    const err = FrameworkErrors.unknownOperation(resolved.target ?? "");
    return {
      response: withApiCors(jsonCodec.encodeError(err, undefined, requestId, req), req, "unknown"),
      service: "unknown",
      operation: resolved.target ?? "",
    };
  }

  // Smithy RPC v2 CBOR, for the services that accept it beside their own protocol (CloudWatch Logs).
  const codec = isRpcV2Cbor(req) && Object.hasOwn(CBOR_NAMESPACES, desc.name) ? rpcV2CborCodec : CODECS[desc.protocol];
  const requestId = desc.protocol === "rest-xml" ? s3RequestId() : randomUUID();
  let def: ServiceDefinition | undefined;
  let decoded: { operation: string; input: unknown };
  try {
    def = sim.loaded(desc.name) ?? (await sim.load(desc));
    if (desc.protocol !== "rest-xml") {
      const auth = req.headers.authorization;
      const malformed = typeof auth === "string" ? missingEqualSign(auth) : undefined;
      if (malformed !== undefined)
        throw new AwsError(desc.protocol === "query" || desc.protocol === "ec2" ? "IncompleteSignature" : "IncompleteSignatureException", malformed, 400);
    }
    // Awaited only when a promise: S3's routing and most handlers of reads answer synchronously.
    const pending = codec.decode(req, def, { target: resolved.target, requestId, accountId: resolved.accountId, region: resolved.region });
    decoded = pending instanceof Promise ? await pending : pending;
  } catch (e) {
    return failed(e, req, desc, codec, def, requestId, resolved.target ?? "");
  }
  return run(sim, req, desc, codec, def, requestId, decoded.operation, decoded.input, resolved);
}

/** The S3 descriptor, for plain object requests (which skip resolve and routing). */
const S3_DESC = serviceByName("s3")!;

/** A decoded request: its handler (after identity and --enforce-iam), then the answer in the protocol's encoding. */
function run(
  sim: Simulator,
  req: RawRequest,
  desc: ServiceDescriptor,
  codec: Codec,
  def: ServiceDefinition,
  requestId: string,
  operation: string,
  input: unknown,
  resolved: { accountId: string; region: string; accessKeyId?: string },
): DispatchResult | Promise<DispatchResult> {
  // Synchronous unless --enforce-iam or the handler needs to wait: a promise returned from dispatch's async body costs
  // the caller extra microtask turns on every request.
  const fail = (e: unknown) => failed(e, req, desc, codec, def, requestId, operation);
  const finish = (output: unknown): DispatchResult => {
    if (CHECK_OUTPUT) reportOutput(desc.name, operation, output);
    const response = codec.encode(output, operation, def, requestId, req);
    return { response: desc.protocol === "rest-xml" ? response : withApiCors(response, req, desc.name), service: desc.name, operation };
  };
  const settle = (result: unknown): DispatchResult | Promise<DispatchResult> => {
    if (!(result instanceof Promise)) return finish(result);
    return result.then(finish).catch(fail);
  };
  try {
    const handler = operation === "NotImplemented" ? undefined : def.operations[operation];
    if (!handler) throw unhandled(def, desc.protocol, operation, req, input);
    const caller = resolved.accessKeyId
      ? sim.identify(resolved.accessKeyId, { service: desc.signingNames[0]!, region: resolved.region, at: new Date() })
      : undefined;
    const ctx = makeCtx(sim, def, req, requestId, caller?.accountId ?? resolved.accountId, resolved.region, operation);
    ctx.accessKeyId = resolved.accessKeyId;
    ctx.caller = caller;
    if (!sim.config.enforceIam) return settle(handler(ctx, input));
    return import("../services/iam/enforce.js")
      .then(({ enforce }) =>
        enforce(sim, {
          req,
          protocol: desc.protocol,
          service: desc.signingNames[0]!,
          operation,
          input: (input ?? {}) as Record<string, any>,
          accountId: ctx.accountId,
          region: resolved.region,
          accessKeyId: resolved.accessKeyId,
          caller,
        }),
      )
      .then(() => settle(handler(ctx, input)))
      .catch(fail);
  } catch (e) {
    return fail(e);
  }
}

/** Anything thrown becomes the protocol's error answer; what is not an AwsError is a 500 without a stack (and logged). */
function failed(
  e: unknown,
  req: RawRequest,
  desc: ServiceDescriptor,
  codec: Codec,
  def: ServiceDefinition | undefined,
  requestId: string,
  operation: string,
): DispatchResult {
  const err = e instanceof AwsError ? e : desc.protocol === "rest-xml" ? FrameworkErrors.internalError() : FrameworkErrors.internal();
  const response = codec.encodeError(err, def, requestId, req);
  return {
    response: desc.protocol === "rest-xml" ? response : withApiCors(response, req, desc.name),
    service: desc.name,
    operation,
    error: e instanceof AwsError ? undefined : e,
  };
}

/**
 * No handler: an operation of the model answers the documented 501 NotImplemented naming it (for S3 the
 * operation is found from the model's request URIs, path-style); anything else is an unknown operation.
 */
function unhandled(def: ServiceDefinition, protocol: Protocol, operation: string, req: RawRequest, input: unknown): AwsError {
  const rt = modelRuntime(def.name);
  let name = operation;
  if (protocol === "rest-xml") {
    const i = (input ?? {}) as { bucket?: string; key?: string };
    const path = i.bucket ? `/${encodeURIComponent(i.bucket)}${i.key !== undefined ? `/${i.key.split("/").map(encodeURIComponent).join("/")}` : ""}` : "/";
    name = rt.router().match(req.method, path, queryMap(req.rawQuery), req.headers)?.op.name ?? operation;
  }
  if (Object.hasOwn(rt.model.operations, name)) return notImplemented(rt.model, name);
  return FrameworkErrors.unknownOperation(operation);
}

function makeCtx(sim: Simulator, def: ServiceDefinition, req: RawRequest, requestId: string, accountId: string, region: string, operation: string): Ctx {
  let state: unknown;
  return {
    requestId,
    accountId,
    region,
    service: def.name,
    operation,
    headers: req.headers,
    now: def.wholeSecondClock ? () => wholeSecond() : () => new Date(),
    config: sim.config,
    sim,
    state<S>() {
      if (state === undefined) state = sim.stateFor<S>(def, accountId, region);
      return state as S;
    },
    stateOf<S>(service: string, r = region, a = accountId) {
      return sim.stateOf<S>(service, a, r);
    },
  };
}
