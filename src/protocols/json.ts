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
import { encodeJsonOutput, outputShape } from "./model/json-encode.js";
import { modelRuntime, notImplemented } from "./model/runtime.js";
import { toJsonBytes } from "./json-write.js";

const ctype = (v?: string) => `application/x-amz-json-${v ?? "1.1"}`;

export { toJson, toJsonByReplacer, toJsonBytes } from "./json-write.js";

/** Per service and operation, the buffer size a large answer starts with (the last large one's and an eighth). */
const sizeHints = new Map<string, number>();

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
      const size = hint > 65536 ? hint : 2048;
      const model = modelRuntime(def.name).model;
      const shape = outputShape(model, op);
      body = (shape && encodeJsonOutput(model, shape, output, size)) || toJsonBytes(output, size);
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
