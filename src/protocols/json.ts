/**
 * AWS JSON 1.0 / 1.1. Operation from X-Amz-Target "<prefix>.<Operation>", input the JSON body.
 * Replies carry the same Content-Type, `{}` for empty outputs, unset members omitted.
 * Errors: status 4xx/5xx, `x-amzn-ErrorType: <Code>` and `{"__type": "<Code>", "message": "..."}`.
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

export const toJson = (o: unknown): string => JSON.stringify(o, replacer);

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
    const body: Record<string, unknown> = { __type: err.code, message: err.message };
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
