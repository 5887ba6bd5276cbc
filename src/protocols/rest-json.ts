/**
 * REST-JSON (Lambda, EFS). The route table maps method + path template to an operation; input is the
 * path parameters, query parameters and JSON body merged (headers under `$headers`).
 * Errors: `x-amzn-ErrorType: <Code>` and `{"Type": "User"|"Service", "message": "...", "Message": "..."}`.
 */
import { AwsError } from "./aws-error.js";
import type { Codec } from "./codec.js";
import { readBody, safeDecode, type HttpResponse } from "./http.js";
import { WireTypeError } from "./model/decode.js";
import { decodeRestJsonInput, headerText, jsonOf, queryMap } from "./model/rest.js";
import { modelRuntime, notImplemented, typeError } from "./model/runtime.js";
import type { RestRoute, ServiceDefinition } from "../services/core/types.js";
import { isRawOutput } from "../services/core/types.js";

interface Compiled {
  route: RestRoute;
  re: RegExp;
  names: string[];
}

const cache = new WeakMap<ServiceDefinition, Compiled[]>();

function compile(def: ServiceDefinition): Compiled[] {
  let c = cache.get(def);
  if (c) return c;
  c = (def.routes ?? []).map((route) => {
    const names: string[] = [];
    const src = route.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{(\w+)(\\\+)?\\?\}|\{(\w+)(\+)?\}/g, (_m, a, g1, b, g2) => {
      names.push(a ?? b);
      return g1 || g2 ? "(.+)" : "([^/]+)";
    });
    return { route, names, re: new RegExp(`^${src}/?$`) };
  });
  cache.set(def, c);
  return c;
}

export function matchRoute(def: ServiceDefinition, method: string, rawPath: string) {
  for (const c of compile(def)) {
    if (c.route.method !== method) continue;
    const m = c.re.exec(rawPath);
    if (!m) continue;
    const params: Record<string, string> = {};
    c.names.forEach((n, i) => (params[n] = safeDecode(m[i + 1]!)));
    return { route: c.route, params };
  }
  return undefined;
}

const bodyMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export const restJsonCodec: Codec = {
  /**
   * Route from the model (method + requestUri), bind members by location, validate. Legacy handlers that
   * still read raw names find the query parameters, JSON body and labels merged under their wire names,
   * and `$headers`, `$query`, `$body`.
   */
  async decode(req, def) {
    const rt = modelRuntime(def.name);
    const query = queryMap(req.rawQuery);
    const hit = rt.router().match(req.method, req.rawPath, query, req.headers);
    if (!hit) throw new AwsError("UnknownOperationException", `No operation matches ${req.method} ${req.rawPath}`, 404);
    const operation = hit.op.name;
    if (!Object.hasOwn(def.operations, operation)) throw notImplemented(rt.model, operation);
    const buf = bodyMethods.has(req.method) ? await readBody(req) : Buffer.alloc(0);
    let typed: Record<string, unknown>;
    try {
      typed = decodeRestJsonInput(rt.model, hit.op, hit.labels, query, req.headers, buf);
    } catch (e) {
      if (e instanceof WireTypeError) throw typeError(def.name, e.member, e.value, e.expected);
      throw e;
    }
    if (hit.op.input) rt.validator.validate(hit.op.input.shape, typed);
    const legacyQuery: Record<string, string | string[]> = {};
    for (const [k, v] of query) legacyQuery[k] = v.length === 1 ? v[0]! : v;
    let legacyBody: Record<string, unknown> = {};
    const payload = hit.op.input ? rt.model.shapes[hit.op.input.shape]?.payload : undefined;
    if (!payload && buf.length > 0) {
      try {
        const parsed: unknown = JSON.parse(buf.toString("utf8"));
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) legacyBody = parsed as Record<string, unknown>;
      } catch {
        /* the model decoder has already answered malformed JSON */
      }
    }
    return {
      operation,
      input: { ...legacyQuery, ...legacyBody, ...hit.labels, ...typed, $headers: req.headers, $query: legacyQuery, $body: buf },
    };
  },

  /** Status, header members and the payload or JSON body, all from the output shape. */
  encode(output, operation, def, requestId): HttpResponse {
    if (isRawOutput(output)) {
      const { $raw: _r, ...res } = output;
      const headers: HttpResponse["headers"] = { "x-amzn-requestid": requestId, ...res.headers };
      return { ...res, headers };
    }
    const rt = modelRuntime(def.name);
    const om = rt.model.operations[operation];
    let status = om?.http.responseCode ?? 200;
    const headers: HttpResponse["headers"] = { "content-type": "application/json", "x-amzn-requestid": requestId };
    const shape = om?.output ? rt.model.shapes[om.output.shape] : undefined;
    if (!shape || output === undefined || output === null) return { status, headers, body: status === 204 ? "" : "{}" };
    const o = output as Record<string, unknown>;
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      const v = o[name];
      if (v === undefined || v === null) continue;
      if (ref.location === "header") {
        const t = headerText(rt.model, ref, v);
        if (t !== undefined) headers[(ref.locationName ?? name).toLowerCase()] = t;
      } else if (ref.location === "headers") {
        for (const [k, x] of Object.entries(v as Record<string, unknown>)) headers[`${(ref.locationName ?? "").toLowerCase()}${k}`] = String(x);
      } else if (ref.location === "statusCode" && typeof v === "number") status = v;
    }
    if (shape.payload) {
      const ref = shape.members![shape.payload]!;
      const ps = rt.model.shapes[ref.shape]!;
      const v = o[shape.payload];
      if (ps.type === "blob" || ps.type === "string") {
        if (v !== undefined && v !== null) headers["content-type"] = ps.type === "blob" ? "application/octet-stream" : "text/plain";
        return {
          status,
          headers,
          body: v === undefined || v === null ? "" : Buffer.isBuffer(v) ? v : typeof v === "string" ? v : Buffer.from(v as Uint8Array),
        };
      }
      return { status, headers, body: JSON.stringify(jsonOf(rt.model, v, ref.shape) ?? {}) };
    }
    if (status === 204) return { status, headers, body: "" };
    return { status, headers, body: JSON.stringify(jsonOf(rt.model, output, om!.output!.shape) ?? {}) };
  },

  encodeError(err, _def, requestId) {
    const body: Record<string, unknown> = { Type: err.fault === "Sender" ? "User" : "Service", message: err.message, Message: err.message };
    if (err.extra) Object.assign(body, err.extra);
    return {
      status: err.status,
      headers: { "content-type": "application/json", "x-amzn-requestid": requestId, "x-amzn-errortype": err.code, ...err.headers },
      body: JSON.stringify(body),
    };
  },
};
