/**
 * Smithy RPC v2 CBOR, which CloudWatch Logs accepts beside AWS JSON 1.1 (the JS SDK's e2e test
 * clients/client-cloudwatch-logs/test/CloudWatchLogs.e2e.spec.ts selects it at runtime against AWS). A request is
 * `POST /service/<ServiceName>/operation/<Operation>` with `smithy-protocol: rpc-v2-cbor` and a CBOR body; replies
 * carry `smithy-protocol: rpc-v2-cbor` and `Content-Type: application/cbor`; errors are a CBOR map
 * `{"__type": "<namespace>#<Code>", "message": ...}` with the error's status. Input goes through the JSON
 * decoder and validator (see cbor.ts), so constraints and messages are the JSON protocol's.
 */
import { type AwsError, FrameworkErrors } from "./aws-error.js";
import { isRawOutput } from "../services/core/types.js";
import { CborError, decodeCbor, encodeCbor } from "./cbor.js";
import type { Codec } from "./codec.js";
import { readBody, type RawRequest } from "./http.js";
import { decodeJsonShape } from "./model/decode.js";
import { modelRuntime, notImplemented } from "./model/runtime.js";

/** The services that answer RPC v2 CBOR, with their Smithy namespace (error __type values are shape ids). */
export const CBOR_NAMESPACES: Record<string, string> = { logs: "com.amazonaws.cloudwatchlogs" };

/** Whether a request speaks RPC v2 CBOR (the header every client sends with it). */
export const isRpcV2Cbor = (req: { headers: RawRequest["headers"] }): boolean => req.headers["smithy-protocol"] === "rpc-v2-cbor";

const PATH = /^\/service\/([^/]+)\/operation\/([^/]+)$/;

const headers = (requestId: string): Record<string, string> => ({
  "smithy-protocol": "rpc-v2-cbor",
  "content-type": "application/cbor",
  "x-amzn-requestid": requestId,
});

export const rpcV2CborCodec: Codec = {
  async decode(req, def) {
    const m = PATH.exec(req.rawPath);
    if (req.method !== "POST" || !m || decodeURIComponent(m[1]!) !== def.targetPrefix)
      throw FrameworkErrors.unknownOperation(m ? decodeURIComponent(m[2]!) : "");
    const op = decodeURIComponent(m[2]!);
    const rt = modelRuntime(def.name);
    const om = Object.hasOwn(rt.model.operations, op) ? rt.model.operations[op] : undefined;
    if (!om) throw FrameworkErrors.unknownOperation(op);
    if (!Object.hasOwn(def.operations, op)) throw notImplemented(rt.model, op);
    const body = await readBody(req);
    let input: unknown = {};
    if (body.length > 0) {
      try {
        input = decodeCbor(body);
      } catch (e) {
        if (e instanceof CborError) throw FrameworkErrors.serialization();
        throw e;
      }
      if (typeof input !== "object" || input === null || Array.isArray(input)) throw FrameworkErrors.serialization();
    }
    if (!om.input) return { operation: op, input };
    input = decodeJsonShape(rt.model, input, om.input.shape);
    rt.validator.validate(om.input.shape, input);
    return { operation: op, input };
  },

  encode(output, _op, _def, requestId) {
    // An event-stream answer (Logs StartLiveTail): the handler gives the full response.
    if (isRawOutput(output)) {
      const { $raw: _r, ...res } = output;
      return { ...res, headers: { ...res.headers, "smithy-protocol": "rpc-v2-cbor" } };
    }
    return { status: 200, headers: headers(requestId), body: encodeCbor(output ?? {}) };
  },

  encodeError(err: AwsError, def, requestId) {
    const ns = def ? CBOR_NAMESPACES[def.name] : undefined;
    const body: Record<string, unknown> = { __type: ns ? `${ns}#${err.code}` : err.code, message: err.message };
    if (err.extra) Object.assign(body, err.extra);
    return {
      status: err.status,
      headers: { ...headers(requestId), "x-amzn-errortype": err.code, ...err.headers },
      body: encodeCbor(body),
    };
  },
};
