/**
 * REST protocols from the model: a router built from every operation's http.method and requestUri
 * (labels `{Name}`, greedy `{Name+}`, literal query keys after `?`), the input bound by location
 * (uri, querystring, header, headers prefix maps, payload, JSON body) and the output written the same
 * way (status code, headers, payload or JSON body; timestamps per protocol and timestampFormat).
 */
import type { IncomingHttpHeaders } from "node:http";
import { AwsError } from "../aws-error.js";
import { parseQueryPairs, safeDecode } from "../http.js";
import { decodeJsonShape, scalarFromText, WireTypeError } from "./decode.js";
import type { MemberRef, OperationModel, ServiceModel, Shape } from "./types.js";

interface Route {
  op: OperationModel;
  segments: Array<{ literal: string } | { label: string; greedy: boolean }>;
  /** Literal query keys of the requestUri (`?acl`, `?list-type=2`). */
  query: Array<[string, string | undefined]>;
  /** Required querystring members (uploadId tells ListParts from GetObject). */
  memberQuery: string[];
  /** Required header members (e.g. x-amz-copy-source tells UploadPartCopy from UploadPart). */
  headers: string[];
  score: number;
}

export interface RestMatch {
  op: OperationModel;
  labels: Record<string, string>;
}

const splitPath = (p: string): string[] => {
  const parts = trimSlash(p).split("/").slice(1);
  return parts.length === 1 && parts[0] === "" ? [] : parts;
};

export class RestRouter {
  private readonly byMethod = new Map<string, Route[]>();

  constructor(model: ServiceModel) {
    for (const op of Object.values(model.operations)) {
      const [path, qs] = op.http.requestUri.split("?", 2) as [string, string | undefined];
      const segments = splitPath(path).map((s) => {
        const m = /^\{(\w+)(\+)?\}$/.exec(s);
        return m ? { label: m[1]!, greedy: m[2] === "+" } : { literal: s };
      });
      const query: Route["query"] = qs
        ? qs.split("&").map((p) => (p.includes("=") ? (p.split("=", 2) as [string, string]) : ([p, undefined] as [string, undefined])))
        : [];
      const headers: string[] = [];
      const memberQuery: string[] = [];
      const input = op.input ? model.shapes[op.input.shape] : undefined;
      for (const name of input?.required ?? []) {
        const ref = input!.members?.[name];
        if (ref?.location === "querystring" && ref.locationName) memberQuery.push(ref.locationName);
        if (ref?.location === "header" && ref.locationName) headers.push(ref.locationName.toLowerCase());
      }
      const literals = segments.filter((s) => "literal" in s).length;
      const greedy = segments.some((s) => "greedy" in s && s.greedy);
      const deprecated = (op as OperationModel & { deprecated?: boolean }).deprecated === true;
      const score = literals * 100 + (query.length + memberQuery.length + headers.length) * 10 + segments.length - (greedy ? 50 : 0) - (deprecated ? 5 : 0);
      const route: Route = { op, segments, query, memberQuery, headers, score };
      const list = this.byMethod.get(op.http.method) ?? [];
      list.push(route);
      this.byMethod.set(op.http.method, list);
    }
    for (const list of this.byMethod.values()) list.sort((a, b) => b.score - a.score);
  }

  /**
   * The operation for a request: path segments and the requestUri's literal query keys must match; among
   * those, one whose required querystring members and headers are all present wins (most specific
   * first), else the most specific one ignoring them (its validation then names what is missing).
   */
  match(method: string, rawPath: string, query: Map<string, string[]>, headers: Record<string, unknown> = {}): RestMatch | undefined {
    const routes = this.byMethod.get(method);
    if (!routes) return undefined;
    const parts = splitPath(rawPath);
    let loose: RestMatch | undefined;
    for (const r of routes) {
      const labels = matchSegments(r.segments, parts);
      if (!labels) continue;
      if (!r.query.every(([k, v]) => query.has(k) && (v === undefined || query.get(k)![0] === v))) continue;
      if (r.memberQuery.every((k) => query.has(k)) && r.headers.every((h) => headers[h] !== undefined)) return { op: r.op, labels };
      loose ??= { op: r.op, labels };
    }
    return loose;
  }
}

const trimSlash = (p: string) => (p.length > 1 && p.endsWith("/") ? p.slice(0, -1) : p);

function matchSegments(segs: Route["segments"], parts: string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    if ("literal" in s) {
      if (parts[i] !== s.literal) return undefined;
      continue;
    }
    if (s.greedy) {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.join("/") === "") return undefined;
      labels[s.label] = rest.map(safeDecode).join("/");
      return labels;
    }
    if (parts[i] === undefined || parts[i] === "") return undefined;
    labels[s.label] = safeDecode(parts[i]!);
  }
  return parts.length === segs.length ? labels : undefined;
}

export function queryMap(rawQuery: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const [k, v] of parseQueryPairs(rawQuery)) {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
  }
  return m;
}

/** Bind a REST-JSON request's parts to the input shape's members. */
export function decodeRestJsonInput(
  model: ServiceModel,
  op: OperationModel,
  labels: Record<string, string>,
  query: Map<string, string[]>,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Record<string, unknown> {
  const shapeName = op.input?.shape;
  const shape = shapeName ? model.shapes[shapeName] : undefined;
  if (!shape) return {};
  const members = Object.entries(shape.members ?? {});
  const out: Record<string, unknown> = {};
  const bound = new Set<string>();
  const payloadName = shape.payload;
  let queryMapMember: [string, MemberRef] | undefined;
  for (const [name, ref] of members) {
    const ms = model.shapes[ref.shape]!;
    const wire = ref.locationName ?? name;
    switch (ref.location) {
      case "uri":
        if (labels[wire] !== undefined) out[name] = scalarFromText(labels[wire]!, ms, name);
        break;
      case "querystring": {
        if (ms.type === "map") {
          queryMapMember = [name, ref];
          break;
        }
        bound.add(wire);
        const vals = query.get(wire);
        if (!vals) break;
        out[name] = ms.type === "list" ? vals.map((v) => scalarFromText(v, model.shapes[ms.member!.shape]!, name)) : scalarFromText(vals[0]!, ms, name);
        break;
      }
      case "header": {
        const h = headers[wire.toLowerCase()];
        if (h === undefined) break;
        const text = Array.isArray(h) ? h.join(", ") : h;
        if (ms.type === "list")
          out[name] = text
            .split(",")
            .map((s) => s.trim())
            .filter((s) => s !== "");
        else if (ref.jsonvalue || (ms as Shape & { jsonvalue?: boolean }).jsonvalue) {
          try {
            out[name] = JSON.parse(Buffer.from(text, "base64").toString("utf8"));
          } catch {
            throw new WireTypeError(name, text, "base64-encoded JSON");
          }
        } else out[name] = scalarFromText(text, ms, name, true);
        break;
      }
      case "headers": {
        const prefix = wire.toLowerCase();
        const map: Record<string, string> = {};
        for (const [k, v] of Object.entries(headers))
          if (k.startsWith(prefix) && v !== undefined) map[k.slice(prefix.length)] = Array.isArray(v) ? v.join(", ") : v;
        if (Object.keys(map).length > 0) out[name] = map;
        break;
      }
      default:
        break;
    }
  }
  if (queryMapMember) {
    const [name, ref] = queryMapMember;
    const ms = model.shapes[ref.shape]!;
    const listValued = model.shapes[ms.value!.shape]?.type === "list";
    const map: Record<string, string | string[]> = {};
    for (const [k, v] of query) if (!bound.has(k)) map[k] = listValued ? v : v[0]!;
    if (Object.keys(map).length > 0) out[name] = map;
  }
  if (payloadName) {
    const ref = shape.members![payloadName]!;
    const ps = model.shapes[ref.shape]!;
    if (ps.type === "blob") {
      if (body.length > 0) out[payloadName] = body;
    } else if (ps.type === "string") {
      if (body.length > 0) out[payloadName] = body.toString("utf8");
    } else if (body.length > 0) {
      out[payloadName] = decodeJsonShape(model, parseJsonBody(body), ref.shape);
    }
  } else if (body.length > 0) {
    const parsed = parseJsonBody(body);
    const decoded = decodeJsonShape(model, parsed, shapeName!) as Record<string, unknown>;
    for (const [name, ref] of members) if (!ref.location && decoded[name] !== undefined) out[name] = decoded[name];
  }
  return out;
}

function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new AwsError("SerializationException", "Start of structure or map found where not expected.", 400);
  }
}

/** JSON text for a value of `shapeName`: model names (locationName), timestamps as epoch seconds (or timestampFormat), blobs base64. */
export function jsonOf(model: ServiceModel, value: unknown, shapeName: string): unknown {
  const shape = model.shapes[shapeName];
  if (value === undefined || value === null || !shape) return undefined;
  switch (shape.type) {
    case "structure": {
      if (typeof value !== "object") return undefined;
      const src = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        if (ref.location) continue;
        const v = jsonOf(model, src[name], ref.shape);
        if (v !== undefined) out[ref.locationName ?? name] = v;
      }
      return out;
    }
    case "list":
      return Array.isArray(value) ? value.map((v) => jsonOf(model, v, shape.member!.shape) ?? null) : undefined;
    case "map": {
      if (typeof value !== "object") return undefined;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const x = jsonOf(model, v, shape.value!.shape);
        if (x !== undefined) out[k] = x;
      }
      return out;
    }
    case "timestamp": {
      const d = value instanceof Date ? value : typeof value === "number" ? new Date(value * 1000) : new Date(String(value));
      if (shape.timestampFormat === "iso8601") return d.toISOString();
      if (shape.timestampFormat === "rfc822") return d.toUTCString();
      return d.getTime() / 1000;
    }
    case "blob":
      return Buffer.isBuffer(value) || value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value;
    default:
      return value;
  }
}

/** Header text for a value bound to a header. */
export function headerText(model: ServiceModel, ref: MemberRef, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const shape = model.shapes[ref.shape];
  if (ref.jsonvalue || (shape as (Shape & { jsonvalue?: boolean }) | undefined)?.jsonvalue) return Buffer.from(JSON.stringify(value)).toString("base64");
  if (shape?.type === "timestamp") {
    const d = value instanceof Date ? value : new Date(String(value));
    return shape.timestampFormat === "iso8601" ? d.toISOString() : shape.timestampFormat === "unixTimestamp" ? String(d.getTime() / 1000) : d.toUTCString();
  }
  if (Array.isArray(value)) return value.join(",");
  if (Buffer.isBuffer(value)) return value.toString("base64");
  return String(value);
}
