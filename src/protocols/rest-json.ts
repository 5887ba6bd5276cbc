/**
 * REST-JSON (Lambda, EFS). The route table maps method + path template to an operation; input is the
 * path parameters, query parameters and JSON body merged (headers under `$headers`).
 * Errors: `x-amzn-ErrorType: <Code>` and `{"Type": "User"|"Service", "message": "...", "Message": "..."}`.
 */
import { AwsError, FrameworkErrors } from "./aws-error.js";
import { toJson } from "./json.js";
import type { Codec } from "./codec.js";
import { parseQueryPairs, readBody, safeDecode, type HttpResponse } from "./http.js";
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

export const restJsonCodec: Codec = {
  async decode(req, def) {
    const hit = matchRoute(def, req.method, req.rawPath);
    if (!hit) throw new AwsError("UnknownOperationException", `No operation matches ${req.method} ${req.rawPath}`, 404);
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of parseQueryPairs(req.rawQuery)) {
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    const buf = await readBody(req);
    let body: Record<string, unknown> = {};
    const ct = String(req.headers["content-type"] ?? "");
    if (buf.length > 0 && !hit.route.rawBody && (ct === "" || ct.includes("json"))) {
      try {
        const parsed: unknown = JSON.parse(buf.toString("utf8"));
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
        else throw new Error("not an object");
      } catch {
        throw FrameworkErrors.serialization();
      }
    }
    return {
      operation: hit.route.operation,
      input: { ...query, ...body, ...hit.params, $headers: req.headers, $query: query, $body: buf },
    };
  },

  encode(output, _operation, def, requestId, req): HttpResponse {
    if (isRawOutput(output)) {
      const { $raw: _r, ...res } = output;
      const headers: HttpResponse["headers"] = { "x-amzn-requestid": requestId, ...res.headers };
      return { ...res, headers };
    }
    const status = matchRoute(def, req.method, req.rawPath)?.route.status ?? 200;
    return {
      status,
      headers: { "content-type": "application/json", "x-amzn-requestid": requestId },
      body: status === 204 ? "" : output === undefined || output === null ? "{}" : toJson(output),
    };
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
