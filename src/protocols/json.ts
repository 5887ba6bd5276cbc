/**
 * AWS JSON 1.0 / 1.1. Operation from X-Amz-Target "<prefix>.<Operation>", input the JSON body.
 * Replies carry the same Content-Type, `{}` for empty outputs, unset members omitted.
 * Errors: status 4xx/5xx, `x-amzn-ErrorType: <Code>` and `{"__type": "<Code>", "message": "..."}`.
 */
import { AwsError, FrameworkErrors } from "./aws-error.js";
import type { Codec } from "./codec.js";
import { readBody } from "./http.js";

const ctype = (v?: string) => `application/x-amz-json-${v ?? "1.1"}`;

/** Dates go out as epoch seconds (fractional allowed), the AWS JSON timestamp format. */
function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? raw.getTime() / 1000 : value;
}

export const toJson = (o: unknown): string => JSON.stringify(o, replacer);

export const jsonCodec: Codec = {
  async decode(req, def, dc) {
    if (req.method !== "POST") throw new AwsError("UnknownOperationException", "", 404);
    const op = dc.target ?? "";
    if (!op || !Object.hasOwn(def.operations, op)) throw FrameworkErrors.unknownOperation(op);
    const body = await readBody(req);
    if (body.length === 0) return { operation: op, input: {} };
    let input: unknown;
    try {
      input = JSON.parse(body.toString("utf8"));
    } catch {
      throw FrameworkErrors.serialization();
    }
    if (typeof input !== "object" || input === null || Array.isArray(input)) throw FrameworkErrors.serialization();
    return { operation: op, input };
  },

  encode(output, _op, def, requestId) {
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
