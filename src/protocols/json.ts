/**
 * AWS JSON 1.0 / 1.1. Operation from X-Amz-Target "<prefix>.<Operation>", input the JSON body.
 * Replies carry the same Content-Type, `{}` for empty outputs, unset members omitted.
 * Errors: status 4xx/5xx, `x-amzn-ErrorType: <Code>` and `{"__type": "<Code>", "message": "..."}` (`Message` where the
 * error shape names its member so).
 */
import { AwsError, FrameworkErrors } from "./aws-error.js";
import { isRawOutput } from "../services/core/types.js";
import type { Codec, Decoded } from "./codec.js";
import { readBody, type RawRequest } from "./http.js";
import type { ServiceDefinition } from "../services/core/types.js";
import { decodeJsonShape } from "./model/decode.js";
import { modelRuntime, notImplemented } from "./model/runtime.js";
import { Utf8Writer } from "./utf8.js";

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

const UNUSUAL = new Error("not for the fast JSON path");

/** Per service and operation, the buffer size a large answer starts with (the last large one's and an eighth). */
const sizeHints = new Map<string, number>();

/** Whether a value is left out of an object (and written null in an array), as JSON.stringify does. */
const skipped = (v: unknown): boolean => v === undefined || typeof v === "function" || typeof v === "symbol";

/** Write v's JSON; false (nothing written) when it has none. */
function jsonWrite(w: Utf8Writer, v: unknown, depth: number): boolean {
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

/**
 * The input of a document-body operation (AWS JSON, RPC v2 CBOR): the operation must be the model's and have a
 * handler, the body (parsed by `parse`, which throws on malformed bytes) must be an object, then it is decoded to
 * the input shape and validated. `parse` failing or a non-object body is a SerializationException.
 */
export async function decodeDocumentInput(req: RawRequest, def: ServiceDefinition, op: string, parse: (body: Buffer) => unknown): Promise<Decoded> {
  const rt = modelRuntime(def.name);
  const om = Object.hasOwn(rt.model.operations, op) ? rt.model.operations[op] : undefined;
  if (!om) throw FrameworkErrors.unknownOperation(op);
  if (!Object.hasOwn(def.operations, op)) throw notImplemented(rt.model, op);
  const body = await readBody(req);
  let input: unknown = {};
  if (body.length > 0) {
    input = parse(body);
    if (typeof input !== "object" || input === null || Array.isArray(input)) throw FrameworkErrors.serialization();
  }
  if (!om.input) return { operation: op, input };
  input = decodeJsonShape(rt.model, input, om.input.shape);
  rt.validator.validate(om.input.shape, input);
  return { operation: op, input };
}

const parseJson = (body: Buffer): unknown => {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw FrameworkErrors.serialization();
  }
};

export const jsonCodec: Codec = {
  decode(req, def, dc) {
    if (req.method !== "POST") throw new AwsError("UnknownOperationException", "", 404);
    return decodeDocumentInput(req, def, dc.target ?? "", parseJson);
  },

  encode(output, op, def, requestId) {
    // An event-stream answer (Logs StartLiveTail): the handler gives the full response.
    if (isRawOutput(output)) {
      const { $raw: _r, ...res } = output;
      return res;
    }
    let body: Buffer | string | undefined = "{}";
    if (output !== undefined && output !== null) {
      // Small answers start in Node's buffer pool; large ones at about their operation's last size.
      const key = `${def.name}.${op}`;
      const hint = sizeHints.get(key) ?? 0;
      body = toJsonBytes(output, hint > 65536 ? hint : 2048);
      if (body && body.length > 65536) {
        if (sizeHints.size < 5000) sizeHints.set(key, Math.min(body.length + (body.length >>> 3), 16 << 20));
      } else if (hint) sizeHints.delete(key);
    }
    return { status: 200, headers: { "content-type": ctype(def.jsonVersion), "x-amzn-requestid": requestId }, body };
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
