/**
 * REST-XML (S3). The service routes the raw request itself (bucket from Host or path, key, sub-resource
 * query parameters) and its handlers return full HTTP responses. Every reply carries x-amz-request-id and
 * x-amz-id-2; errors are `<Error><Code/><Message/>…<RequestId/><HostId/></Error>` with the same ids, and
 * HEAD errors have no body.
 */
import { randomBytes } from "node:crypto";
import { AwsError } from "./aws-error.js";
import type { Codec } from "./codec.js";
import { isRawOutput } from "../services/core/types.js";
import { buildXml, toXmlTree } from "./xml.js";

/** x-amz-id-2 values: a random per-process base with a counter folded in (no entropy call per request). */
const hostBase = randomBytes(48);
let hostSeq = 0;
export function hostId(): string {
  hostBase.writeUInt32BE((hostSeq = (hostSeq + 1) >>> 0), 44);
  return hostBase.toString("base64");
}

export const restXmlCodec: Codec = {
  async decode(req, def, dc) {
    if (!def.route) throw new AwsError("NotImplemented", "A header you provided implies functionality that is not implemented", 501);
    return def.route(req, { accountId: dc.accountId, region: dc.region });
  },

  encode(output, _op, _def, requestId) {
    const ids = { "x-amz-request-id": requestId, "x-amz-id-2": hostId() };
    if (isRawOutput(output)) {
      const { $raw: _r, ...res } = output;
      return { ...res, headers: { ...ids, ...res.headers } };
    }
    return {
      status: 200,
      headers: { ...ids, "content-type": "application/xml" },
      body: buildXml(toXmlTree(output ?? {}, "member") as Record<string, unknown>),
    };
  },

  encodeError(err, _def, requestId, req) {
    const hid = hostId();
    const headers = { "x-amz-request-id": requestId, "x-amz-id-2": hid, ...err.headers };
    if (req.method === "HEAD" || err.status === 304) return { status: err.status, headers };
    const tree = { Error: { Code: err.code, Message: err.message, ...(err.extra ?? {}), RequestId: requestId, HostId: hid } };
    return {
      status: err.status,
      headers: { ...headers, "content-type": "application/xml" },
      body: buildXml(toXmlTree(tree, "member") as Record<string, unknown>),
    };
  },
};
