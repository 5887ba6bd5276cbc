/**
 * The generic JSON writer: JSON.stringify's text (with Dates as epoch seconds and bytes as base64, the AWS JSON
 * forms) written as UTF-8 straight into a buffer. The model-driven encoder (model/json-encode.ts) uses it for
 * documents and for values whose type is not their shape's.
 */
import { Utf8Writer } from "./utf8.js";

/** Dates go out as epoch seconds (fractional allowed), the AWS JSON timestamp format. */
function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (raw instanceof Date) return raw.getTime() / 1000;
  if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("base64");
  return value;
}

/** The reference encoding: JSON.stringify with the replacer (Dates as epoch seconds, bytes as base64). */
export const toJsonByReplacer = (o: unknown): string => JSON.stringify(o, replacer);

/**
 * The bytes of toJsonByReplacer's text (UTF-8), written straight into a buffer by a serializer that needs
 * no replacer call per value and builds no string (about half the CPU on a DescribeTasks answer, with the
 * encoding to bytes). Anything it does not handle the common way (a toJSON method other than Date's, boxed
 * primitives, BigInt, nesting deeper than 100, so also cycles) sends the whole value to the reference, so
 * the bytes and the errors are always JSON.stringify's (test/unit/json-encode.test.ts compares them).
 * undefined when the value has no JSON form (undefined, a function, a symbol), as JSON.stringify.
 */
export function toJsonBytes(o: unknown, sizeHint = 2048): Buffer | undefined {
  const w = new Utf8Writer(sizeHint);
  try {
    if (!jsonWrite(w, o, 0)) return undefined;
  } catch (e) {
    if (e !== UNUSUAL) throw e;
    const text = toJsonByReplacer(o);
    return text === undefined ? undefined : Buffer.from(text);
  }
  return w.toBuffer();
}

/** toJsonBytes as text. */
export function toJson(o: unknown): string {
  return toJsonBytes(o)?.toString("utf8") as string;
}

export const UNUSUAL = new Error("not for the fast JSON path");

/** Whether a value is left out of an object (and written null in an array), as JSON.stringify does. */
const skipped = (v: unknown): boolean => v === undefined || typeof v === "function" || typeof v === "symbol";

/** Write v's JSON; false (nothing written) when it has none. */
export function jsonWrite(w: Utf8Writer, v: unknown, depth: number): boolean {
  switch (typeof v) {
    case "string":
      w.jsonString(v);
      return true;
    case "number":
      w.raw(Number.isFinite(v) ? `${v}` : "null");
      return true;
    case "boolean":
      w.raw(v ? "true" : "false");
      return true;
    case "undefined":
    case "function":
    case "symbol":
      return false;
    case "object":
      break;
    default:
      throw UNUSUAL;
  }
  if (v === null) {
    w.raw("null");
    return true;
  }
  if (depth > 100) throw UNUSUAL;
  if (Array.isArray(v)) {
    if (typeof (v as { toJSON?: unknown }).toJSON === "function") throw UNUSUAL;
    w.raw("[");
    for (let i = 0; i < v.length; i++) {
      if (i > 0) w.raw(",");
      if (!jsonWrite(w, v[i], depth + 1)) w.raw("null");
    }
    w.raw("]");
    return true;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    if (v instanceof Date) {
      const t = v.getTime() / 1000;
      w.raw(Number.isFinite(t) ? `${t}` : "null");
      return true;
    }
    if (v instanceof Uint8Array) {
      w.raw(`"${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64")}"`);
      return true;
    }
    if (typeof (v as { toJSON?: unknown }).toJSON === "function" || v instanceof String || v instanceof Number || v instanceof Boolean) throw UNUSUAL;
    const o = v as Record<string, unknown>;
    w.raw("{");
    let first = true;
    for (const k of Object.keys(o)) first = jsonMember(w, k, o[k], depth, first);
    w.raw("}");
    return true;
  }
  const o = v as Record<string, unknown>;
  if (typeof o.toJSON === "function") throw UNUSUAL;
  w.raw("{");
  let first = true;
  for (const k in o) first = jsonMember(w, k, o[k], depth, first);
  w.raw("}");
  return true;
}

/** One `"key":value` of an object (skipped values write nothing); returns whether nothing was written yet. */
function jsonMember(w: Parameters<typeof jsonWrite>[0], k: string, x: unknown, depth: number, first: boolean): boolean {
  if (skipped(x)) return first;
  if (!first) w.raw(",");
  w.jsonString(k);
  w.raw(":");
  jsonWrite(w, x, depth + 1);
  return false;
}
