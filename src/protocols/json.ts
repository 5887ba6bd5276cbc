/**
 * AWS JSON 1.0 / 1.1. Operation from X-Amz-Target "<prefix>.<Operation>", input the JSON body.
 * Replies carry the same Content-Type, `{}` for empty outputs, unset members omitted.
 * Errors: status 4xx/5xx, `x-amzn-ErrorType: <Code>` and `{"__type": "<Code>", "message": "..."}` (`Message` where the
 * error shape names its member so).
 */
import { AwsError, FrameworkErrors } from "./aws-error.js";
import { isRawOutput } from "../services/core/types.js";
import type { Codec } from "./codec.js";
import { readBody } from "./http.js";
import { decodeJsonShape } from "./model/decode.js";
import { modelRuntime, notImplemented } from "./model/runtime.js";

const ctype = (v?: string) => `application/x-amz-json-${v ?? "1.1"}`;

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
 * The same text as toJsonByReplacer, written by a serializer that needs no replacer call per value (about
 * a third less CPU on a DescribeTasks answer). Anything it does not handle the common way (a toJSON method
 * other than Date's, boxed primitives, BigInt, nesting deeper than 100, so also cycles) sends the whole
 * value to the reference, so the text and the errors are always JSON.stringify's
 * (test/unit/json-encode.test.ts compares them).
 */
export function toJson(o: unknown): string {
  try {
    const s = jsonValue(o, 0);
    return s === undefined ? (undefined as unknown as string) : s;
  } catch (e) {
    if (e === UNUSUAL) return toJsonByReplacer(o);
    throw e;
  }
}

const UNUSUAL = new Error("not for the fast JSON path");
/** Characters JSON.stringify escapes (quote, backslash, controls) or checks (surrogates). */
const JSON_SPECIAL = /["\\\u0000-\u001f\ud800-\udfff]/;
const jsonString = (s: string): string => (JSON_SPECIAL.test(s) ? JSON.stringify(s) : `"${s}"`);

function jsonValue(v: unknown, depth: number): string | undefined {
  switch (typeof v) {
    case "string":
      return jsonString(v);
    case "number":
      return Number.isFinite(v) ? `${v}` : "null";
    case "boolean":
      return v ? "true" : "false";
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
    case "object":
      break;
    default:
      throw UNUSUAL;
  }
  if (v === null) return "null";
  if (depth > 100) throw UNUSUAL;
  if (Array.isArray(v)) {
    if (typeof (v as { toJSON?: unknown }).toJSON === "function") throw UNUSUAL;
    if (v.length === 0) return "[]";
    let s = "[";
    for (let i = 0; i < v.length; i++) {
      const x = jsonValue(v[i], depth + 1);
      s += i === 0 ? (x ?? "null") : `,${x ?? "null"}`;
    }
    return `${s}]`;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    if (v instanceof Date) {
      const t = v.getTime() / 1000;
      return Number.isFinite(t) ? `${t}` : "null";
    }
    if (v instanceof Uint8Array) return `"${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64")}"`;
    if (typeof (v as { toJSON?: unknown }).toJSON === "function" || v instanceof String || v instanceof Number || v instanceof Boolean) throw UNUSUAL;
    return jsonMembers(v as Record<string, unknown>, Object.keys(v), depth);
  }
  const o = v as Record<string, unknown>;
  if (typeof o.toJSON === "function") throw UNUSUAL;
  let s = "{";
  for (const k in o) {
    const x = jsonValue(o[k], depth + 1);
    if (x === undefined) continue;
    s += s.length === 1 ? `${jsonString(k)}:${x}` : `,${jsonString(k)}:${x}`;
  }
  return `${s}}`;
}

function jsonMembers(o: Record<string, unknown>, keys: string[], depth: number): string {
  let s = "{";
  for (const k of keys) {
    const x = jsonValue(o[k], depth + 1);
    if (x === undefined) continue;
    s += s.length === 1 ? `${jsonString(k)}:${x}` : `,${jsonString(k)}:${x}`;
  }
  return `${s}}`;
}

/**
 * The key of an error's message: the error shape's own member name. Cloud Map models `Message` and the Go
 * SDK reads the modelled member case-sensitively (a `message` key leaves its typed error without one).
 */
function messageKey(service: string | undefined, code: string): string {
  if (!service) return "message";
  const shapes = modelRuntime(service).model.shapes;
  const shape = Object.hasOwn(shapes, code) ? shapes[code] : undefined;
  return shape?.members && Object.hasOwn(shape.members, "Message") && !Object.hasOwn(shape.members, "message") ? "Message" : "message";
}

export const jsonCodec: Codec = {
  async decode(req, def, dc) {
    if (req.method !== "POST") throw new AwsError("UnknownOperationException", "", 404);
    const op = dc.target ?? "";
    const rt = modelRuntime(def.name);
    const om = Object.hasOwn(rt.model.operations, op) ? rt.model.operations[op] : undefined;
    if (!om) throw FrameworkErrors.unknownOperation(op);
    if (!Object.hasOwn(def.operations, op)) throw notImplemented(rt.model, op);
    const body = await readBody(req);
    let input: unknown = {};
    if (body.length > 0) {
      try {
        input = JSON.parse(body.toString("utf8"));
      } catch {
        throw FrameworkErrors.serialization();
      }
      if (typeof input !== "object" || input === null || Array.isArray(input)) throw FrameworkErrors.serialization();
    }
    if (!om.input) return { operation: op, input };
    input = decodeJsonShape(rt.model, input, om.input.shape);
    rt.validator.validate(om.input.shape, input);
    return { operation: op, input };
  },

  encode(output, _op, def, requestId) {
    // An event-stream answer (Logs StartLiveTail): the handler gives the full response.
    if (isRawOutput(output)) {
      const { $raw: _r, ...res } = output;
      return res;
    }
    return {
      status: 200,
      headers: { "content-type": ctype(def.jsonVersion), "x-amzn-requestid": requestId },
      body: output === undefined || output === null ? "{}" : toJson(output),
    };
  },

  encodeError(err, def, requestId) {
    const body: Record<string, unknown> = { __type: err.code, [messageKey(def?.name, err.code)]: err.message };
    if (err.extra) Object.assign(body, err.extra);
    return {
      status: err.status,
      headers: {
        "content-type": ctype(def?.jsonVersion),
        "x-amzn-requestid": requestId,
        "x-amzn-errortype": err.code,
        ...err.headers,
      },
      body: JSON.stringify(body),
    };
  },
};
