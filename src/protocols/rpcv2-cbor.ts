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
import type { RawRequest } from "./http.js";
import { decodeDocumentInput } from "./json.js";
import { awsJsonOf, outputShape } from "./model/json-encode.js";
import { modelRuntime } from "./model/runtime.js";

/** The services that answer RPC v2 CBOR, with their Smithy namespace (error __type values are shape ids). */
export const CBOR_NAMESPACES: Record<string, string> = { logs: "com.amazonaws.cloudwatchlogs" };

/** Whether a request speaks RPC v2 CBOR (the header every client sends with it). */
export const isRpcV2Cbor = (req: { headers: RawRequest["headers"] }): boolean => req.headers["smithy-protocol"] === "rpc-v2-cbor";

const PATH = /^\/service\/([^/]+)\/operation\/([^/]+)$/;

const parseCbor = (body: Buffer): unknown => {
  try {
    return decodeCbor(body);
  } catch (e) {
    if (e instanceof CborError) throw FrameworkErrors.serialization();
    throw e;
  }
};

const headers = (requestId: string): Record<string, string> => ({
  "smithy-protocol": "rpc-v2-cbor",
  "content-type": "application/cbor",
  "x-amzn-requestid": requestId,
});

export const rpcV2CborCodec: Codec = {
  decode(req, def) {
    const m = PATH.exec(req.rawPath);
    if (req.method !== "POST" || !m || decodeURIComponent(m[1]!) !== def.targetPrefix)
      throw FrameworkErrors.unknownOperation(m ? decodeURIComponent(m[2]!) : "");
    return decodeDocumentInput(req, def, decodeURIComponent(m[2]!), parseCbor);
  },

  encode(output, op, def, requestId) {
    // An event-stream answer (Logs StartLiveTail): the handler gives the full response.
    if (isRawOutput(output)) {
      const { $raw: _r, ...res } = output;
      return { ...res, headers: { ...res.headers, "smithy-protocol": "rpc-v2-cbor" } };
    }
    // The output shape's members only, as the AWS JSON codec sends them (model/json-encode.ts).
    const model = modelRuntime(def.name).model;
    const shape = outputShape(model, op);
    const shaped = shape && output !== undefined && output !== null ? awsJsonOf(model, output, shape) : output;
    return { status: 200, headers: headers(requestId), body: encodeCbor(shaped ?? {}) };
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
