/**
 * Decoding by shape: wire values → typed input keyed by the model's member names (the @aws-sdk input
 * types): numbers for integer/long/double/float, booleans, Date for timestamps, Buffer for blobs, arrays
 * for lists, plain objects for maps.
 *
 * - Query (IAM, STS): members by locationName (else member name), lists `X.member.N` (or the member's
 *   locationName; flattened: `X.N`), maps `X.entry.N.key/value` (names from the key/value locationNames).
 * - EC2: members by queryName, else locationName with its first letter upper-cased, else member name;
 *   every list flattened `X.N`.
 * - JSON: the parsed body checked against the shape; a value of the wrong JSON type is a
 *   SerializationException, as AWS's JSON services answer.
 */
import { AwsError } from "../aws-error.js";
import type { MemberRef, ServiceModel, Shape } from "./types.js";

type Tree = { [k: string]: Tree | string };

/** Flat `A.b.1.C=v` pairs → a tree of string leaves (prototype-free: wire keys never reach Object.prototype). */
export function pairsToTree(pairs: Array<[string, string]>): Tree {
  const root: Tree = Object.create(null);
  for (const [key, value] of pairs) {
    const parts = key.split(".");
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const p = parts[i]!;
      let next = node[p];
      if (typeof next !== "object") {
        next = Object.create(null) as Tree;
        // A scalar already at this name (e.g. the empty-list marker `X=`) yields to the nested form.
        node[p] = next;
      }
      node = next;
    }
    const last = parts[parts.length - 1]!;
    if (typeof node[last] !== "object") node[last] = value;
  }
  return root;
}

/** The numbered children of a list/map node, in index order. */
function indexed(node: Tree | string | undefined): Array<Tree | string> {
  if (node === undefined || typeof node === "string") return [];
  const keys = Object.keys(node).filter((k) => /^\d+$/.test(k));
  keys.sort((a, b) => Number(a) - Number(b));
  return keys.map((k) => node[k]!);
}

/** A text value (Query/EC2 form, uri label, query string, header, XML text) that is not of its member's type. */
export class WireTypeError extends Error {
  constructor(
    readonly member: string,
    readonly value: string,
    readonly expected: string,
  ) {
    super(`${member}: '${value}' is not ${expected}`);
  }
}

export function parseTimestamp(s: string): Date | undefined {
  if (/^-?\d+(\.\d+)?$/.test(s)) return new Date(Number(s) * 1000);
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * A scalar's text → its typed value. Timestamps are ISO 8601 or epoch seconds, except in headers where
 * the default format is RFC 822 (an HTTP date); booleans are `true`/`false`; blobs base64.
 */
export function scalarFromText(raw: string, shape: Shape, member: string, inHeader = false): unknown {
  switch (shape.type) {
    case "integer":
    case "long": {
      const t = raw.trim();
      if (!/^[-+]?\d+$/.test(t)) throw new WireTypeError(member, raw, "an integer");
      return Number(t);
    }
    case "double":
    case "float": {
      const n = Number(raw);
      if (raw.trim() === "" || Number.isNaN(n)) throw new WireTypeError(member, raw, "a number");
      return n;
    }
    case "boolean": {
      const l = raw.trim().toLowerCase();
      if (l === "true") return true;
      if (l === "false") return false;
      throw new WireTypeError(member, raw, "a boolean");
    }
    case "timestamp": {
      const d = inHeader && shape.timestampFormat !== "iso8601" && shape.timestampFormat !== "unixTimestamp" ? new Date(raw) : parseTimestamp(raw.trim());
      if (!d || Number.isNaN(d.getTime())) throw new WireTypeError(member, raw, "a timestamp");
      return d;
    }
    case "blob":
      return Buffer.from(raw, "base64");
    default:
      return raw;
  }
}

export function decodeQueryShape(model: ServiceModel, tree: Tree, shapeName: string, ec2: boolean): Record<string, unknown> {
  const shape = model.shapes[shapeName];
  if (!shape) return {};
  return decodeStruct(model, tree, shape, ec2, 0);
}

function wireName(name: string, ref: MemberRef, ec2: boolean): string {
  if (ec2) {
    if (ref.queryName) return ref.queryName;
    if (ref.locationName) return ref.locationName.charAt(0).toUpperCase() + ref.locationName.slice(1);
    return name;
  }
  return ref.locationName ?? name;
}

/** Per shape, once per protocol flavour: its members with their wire names (no per-request entries or name building). */
type StructPlan = Array<{ name: string; ref: MemberRef; wire: string }>;
const structPlans = { ec2: new WeakMap<Shape, StructPlan>(), query: new WeakMap<Shape, StructPlan>() };
function structPlan(shape: Shape, ec2: boolean): StructPlan {
  const cache = ec2 ? structPlans.ec2 : structPlans.query;
  let p = cache.get(shape);
  if (!p) {
    p = Object.entries(shape.members ?? {}).map(([name, ref]) => ({ name, ref, wire: wireName(name, ref, ec2) }));
    cache.set(shape, p);
  }
  return p;
}

function decodeStruct(model: ServiceModel, node: Tree, shape: Shape, ec2: boolean, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (depth > 30) return out;
  const plan = structPlan(shape, ec2);
  for (let i = 0; i < plan.length; i++) {
    const m = plan[i]!;
    const child = node[m.wire];
    if (child === undefined) continue;
    const v = decodeValue(model, child, m.ref, ec2, depth + 1, m.name);
    if (v !== undefined) out[m.name] = v;
  }
  return out;
}

function decodeValue(model: ServiceModel, node: Tree | string, ref: MemberRef, ec2: boolean, depth: number, member: string): unknown {
  const shape = model.shapes[ref.shape];
  if (!shape) return undefined;
  switch (shape.type) {
    case "structure":
      return typeof node === "object" ? decodeStruct(model, node, shape, ec2, depth) : undefined;
    case "list": {
      if (typeof node === "string") {
        // The SDKs send `Filters: []` as an empty `Filter=`; EC2 refuses that one (aws-sdk-js-v3#6063, kubernetes#22788).
        if (ec2 && node === "" && ref.shape === "FilterList") throw new AwsError("InvalidParameterValue", "The filter 'null' is invalid", 400);
        return node === "" ? [] : undefined;
      }
      const m = shape.member!;
      const flat = ec2 || shape.flattened || ref.flattened;
      const items = flat ? indexed(node) : indexed(node[m.locationName ?? "member"]);
      const out: unknown[] = [];
      for (const it of items) {
        const v = decodeValue(model, it, m, ec2, depth + 1, member);
        if (v !== undefined) out.push(v);
      }
      return out;
    }
    case "map": {
      if (typeof node === "string") return node === "" ? {} : undefined;
      const entries = shape.flattened || ref.flattened ? indexed(node) : indexed(node.entry);
      const kn = shape.key?.locationName ?? "key";
      const vn = shape.value?.locationName ?? "value";
      const out: Record<string, unknown> = {};
      for (const e of entries) {
        if (typeof e !== "object") continue;
        const k = e[kn];
        if (typeof k !== "string") continue;
        const raw = e[vn];
        out[k] = raw === undefined ? "" : decodeValue(model, raw, shape.value!, ec2, depth + 1, member);
      }
      return out;
    }
    default:
      return typeof node === "string" ? scalarFromText(node, shape, member) : undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// JSON

const serial = (m: string) => new AwsError("SerializationException", m, 400);

const NUM_NAMES: Record<string, string> = { integer: "an Integer", long: "a Long", double: "a Double", float: "a Float", boolean: "a Boolean" };

function tokenOf(v: unknown): string {
  if (typeof v === "string") return "STRING_VALUE";
  if (typeof v === "number") return "NUMBER_VALUE";
  if (v === true) return "TRUE_VALUE";
  if (v === false) return "FALSE_VALUE";
  return "VALUE";
}

/** Per structure shape, once: [member name, wire name, shape name]. */
const jsonPlans = new WeakMap<Shape, Array<{ name: string; wire: string; shape: string }>>();
function jsonPlan(shape: Shape) {
  let p = jsonPlans.get(shape);
  if (!p) {
    p = Object.entries(shape.members ?? {}).map(([name, ref]) => ({ name, wire: ref.locationName ?? name, shape: ref.shape }));
    jsonPlans.set(shape, p);
  }
  return p;
}

/**
 * Check a parsed JSON value against its shape and convert in place where the typed form differs from
 * JSON (timestamps → Date, blobs → Buffer); nulls are dropped. Member names follow locationName when the
 * model gives one.
 */
export function decodeJsonShape(model: ServiceModel, value: unknown, shapeName: string, depth = 0): unknown {
  const shape = model.shapes[shapeName];
  if (!shape || depth > 60) return value;
  if (shape.document) return value;
  switch (shape.type) {
    case "structure": {
      if (typeof value !== "object" || value === null) throw serial(`${tokenOf(value)} can not be converted to a Structure`);
      if (Array.isArray(value)) throw serial("Start of list found where not expected");
      const src = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const m of jsonPlan(shape)) {
        const x = src[m.wire];
        if (x === null || x === undefined || !Object.hasOwn(src, m.wire)) continue;
        out[m.name] = decodeJsonShape(model, x, m.shape, depth + 1);
      }
      return out;
    }
    case "list": {
      if (!Array.isArray(value)) {
        if (typeof value === "object" && value !== null) throw serial("Start of structure or map found where not expected.");
        throw serial(`${tokenOf(value)} can not be converted to a List`);
      }
      const m = shape.member!.shape;
      return value.filter((x) => x !== null && x !== undefined).map((x) => decodeJsonShape(model, x, m, depth + 1));
    }
    case "map": {
      if (typeof value !== "object" || value === null) throw serial(`${tokenOf(value)} can not be converted to a Map`);
      if (Array.isArray(value)) throw serial("Start of list found where not expected");
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(value as Record<string, unknown>)) {
        if (x === null || x === undefined) continue;
        out[k] = decodeJsonShape(model, x, shape.value!.shape, depth + 1);
      }
      return out;
    }
    case "string":
      if (typeof value === "string") return value;
      break;
    case "integer":
    case "long":
      if (typeof value === "number" && Number.isFinite(value)) return Math.trunc(value);
      break;
    case "double":
    case "float":
      if (typeof value === "number") return value;
      break;
    case "boolean":
      if (typeof value === "boolean") return value;
      break;
    case "timestamp":
      if (typeof value === "number" && Number.isFinite(value)) return new Date(value * 1000);
      if (typeof value === "string") {
        const d = parseTimestamp(value);
        if (d) return d;
      }
      break;
    case "blob":
      if (typeof value === "string") return Buffer.from(value, "base64");
      break;
  }
  if (typeof value === "object" && value !== null) {
    throw serial(Array.isArray(value) ? "Start of list found where not expected" : "Start of structure or map found where not expected.");
  }
  const target = NUM_NAMES[shape.type] ?? (shape.type === "timestamp" ? "a Timestamp" : shape.type === "blob" ? "a ByteBuffer" : "a String");
  throw serial(`${tokenOf(value)} can not be converted to ${target}`);
}
