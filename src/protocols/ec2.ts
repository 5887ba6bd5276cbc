/**
 * The EC2 protocol: Query-style requests (lists flattened without `.member.`: `InstanceId.1`,
 * `Filter.1.Value.1`), replies `<OpResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">` with
 * `<requestId>` first, no Result wrapper, every list `<xxxSet><item>…</item></xxxSet>`.
 * Errors `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`.
 */
import { FrameworkErrors } from "./aws-error.js";
import type { Codec } from "./codec.js";
import { decodeQueryOperation, readQueryRequest } from "./query.js";
import { buildXml, escapeXml, XML_DECL } from "./xml.js";
import { encodeMembers, XmlBytes } from "./model/xml.js";
import { modelRuntime } from "./model/runtime.js";

/** Per operation, the buffer size its next answer starts with (the last answer's size and an eighth). */
const sizeHints = new Map<string, number>();

export const ec2Codec: Codec = {
  async decode(req, def) {
    const pairs = await readQueryRequest(req);
    const action = pairs.find(([k]) => k === "Action")?.[1];
    if (!action) throw FrameworkErrors.missingAction();
    return decodeQueryOperation(def, pairs, action, undefined, true);
  },

  /** `<OpResponse xmlns><requestId/>members by shape</OpResponse>`. */
  encode(output, op, def, requestId) {
    const rt = modelRuntime(def.name);
    const om = rt.model.operations[op];
    // Small answers start in Node's shared buffer pool (under 4 KiB); large pages at their last size.
    const hint = sizeHints.get(op) ?? 0;
    const w = new XmlBytes(hint > 65536 ? hint : 2048);
    w.raw(`${XML_DECL}<${op}Response xmlns="${escapeXml(def.xmlns ?? "")}"><requestId>${requestId}</requestId>`);
    const shape = om?.output ? rt.model.shapes[om.output.shape] : undefined;
    if (shape) encodeMembers(rt.model, shape, output ?? {}, w);
    w.raw(`</${op}Response>`);
    // Start the next answer of this operation at about this one's size (no regrowth for large pages).
    if (sizeHints.size < 2000) sizeHints.set(op, Math.min(w.pos + (w.pos >>> 3), 16 << 20));
    return { status: 200, headers: { "content-type": "text/xml;charset=UTF-8", "x-amzn-requestid": requestId }, body: w.toBuffer() };
  },

  encodeError(err, _def, requestId) {
    const tree = { Response: { Errors: { Error: { Code: err.code, Message: err.message } }, RequestID: requestId } };
    return {
      status: err.status,
      headers: { "content-type": "text/xml;charset=UTF-8", "x-amzn-requestid": requestId, ...err.headers },
      body: buildXml(tree),
    };
  },
};
