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
import { writeMembers } from "./model/xml.js";
import { modelRuntime } from "./model/runtime.js";

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
    const out: string[] = [XML_DECL, `<${op}Response xmlns="${escapeXml(def.xmlns ?? "")}"><requestId>${requestId}</requestId>`];
    const shape = om?.output ? rt.model.shapes[om.output.shape] : undefined;
    if (shape) writeMembers(rt.model, shape, output ?? {}, out);
    out.push(`</${op}Response>`);
    return { status: 200, headers: { "content-type": "text/xml;charset=UTF-8", "x-amzn-requestid": requestId }, body: out.join("") };
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
