/**
 * AWS Query (IAM, STS). Form-encoded body (or query string on GET): Action, Version and members.
 * Lists arrive as `X.member.N` (EC2: `X.N`), maps as `X.entry.N.key` / `X.entry.N.value`; the model
 * decoder turns them into typed input keyed by member names. Replies are
 * `<OpResponse xmlns><OpResult>…</OpResult><ResponseMetadata><RequestId/></ResponseMetadata></OpResponse>`,
 * lists as `<member>`. Errors `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 */
import { FrameworkErrors } from "./aws-error.js";
import type { Codec } from "./codec.js";
import { parseQueryPairs, readBody, type RawRequest } from "./http.js";
import { buildXml, escapeXml, toXmlTree, XML_DECL } from "./xml.js";
import { writeMembers } from "./model/xml.js";
import { decodeQueryShape, pairsToTree, WireTypeError } from "./model/decode.js";
import { modelRuntime, notImplemented, typeError } from "./model/runtime.js";
import { isRawOutput, type ServiceDefinition } from "../services/core/types.js";
import { AwsError } from "./aws-error.js";

/**
 * Shared by Query and EC2: the operation must be in the model (else InvalidAction), have a handler (else
 * NotImplemented), decode by shape and pass validation.
 */
export function decodeQueryOperation(def: ServiceDefinition, pairs: Array<[string, string]>, action: string, version: string | undefined, ec2: boolean) {
  const rt = modelRuntime(def.name);
  const om = Object.hasOwn(rt.model.operations, action) ? rt.model.operations[action] : undefined;
  if (!om) {
    throw ec2 ? new AwsError("InvalidAction", `The action ${action} is not valid for this web service.`, 400) : FrameworkErrors.invalidAction(action, version);
  }
  if (!Object.hasOwn(def.operations, action)) throw notImplemented(rt.model, action);
  if (!om.input) return { operation: action, input: {} };
  let input: Record<string, unknown>;
  try {
    input = decodeQueryShape(rt.model, pairsToTree(pairs.filter(([k]) => !SKIP.has(k))), om.input.shape, ec2);
  } catch (e) {
    if (e instanceof WireTypeError) throw typeError(def.name, e.member, e.value, e.expected);
    throw e;
  }
  rt.validator.validate(om.input.shape, input);
  return { operation: action, input };
}

/** Read Action/Version and the members from a Query request (POST form body or GET query string). */
export async function readQueryRequest(req: RawRequest): Promise<Array<[string, string]>> {
  const pairs = parseQueryPairs(req.rawQuery).filter(([k]) => !k.startsWith("X-Amz-"));
  if (req.method === "POST") {
    const body = await readBody(req);
    pairs.push(...parseQueryPairs(body.toString("utf8")));
  }
  return pairs;
}

const SKIP = new Set(["Action", "Version"]);

export const queryCodec: Codec = {
  async decode(req, def) {
    const pairs = await readQueryRequest(req);
    const action = pairs.find(([k]) => k === "Action")?.[1];
    const version = pairs.find(([k]) => k === "Version")?.[1];
    if (!action) throw FrameworkErrors.missingAction();
    return decodeQueryOperation(def, pairs, action, version, false);
  },

  /** `<OpResponse xmlns><OpResult>members by shape</OpResult><ResponseMetadata/></OpResponse>`. */
  encode(output, op, def, requestId) {
    // A handler that answers in another form (STS's JSON for Accept: application/json) gives the full response.
    if (isRawOutput(output)) {
      const { $raw: _r, ...res } = output;
      return res;
    }
    const rt = modelRuntime(def.name);
    const om = rt.model.operations[op];
    const out: string[] = [XML_DECL, `<${op}Response xmlns="${escapeXml(def.xmlns ?? rt.model.metadata.xmlNamespace ?? "")}">`];
    const shape = om?.output ? rt.model.shapes[om.output.shape] : undefined;
    if (shape) {
      const wrapper = om!.output!.resultWrapper ?? `${op}Result`;
      out.push(`<${wrapper}>`);
      writeMembers(rt.model, shape, output ?? {}, out);
      out.push(`</${wrapper}>`);
    }
    out.push(`<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${op}Response>`);
    return { status: 200, headers: { "content-type": "text/xml", "x-amzn-requestid": requestId }, body: out.join("") };
  },

  encodeError(err, def, requestId) {
    const tree = {
      ErrorResponse: {
        "@_xmlns": def?.xmlns,
        // An error AWS sends without a message (IAM's ReportNotPresent) has no <Message> element.
        Error: { Type: err.fault, Code: err.code, Message: err.message === "" ? undefined : err.message, ...(err.extra ?? {}) },
        RequestId: requestId,
      },
    };
    return {
      status: err.status,
      headers: { "content-type": "text/xml", "x-amzn-requestid": requestId, ...err.headers },
      body: buildXml(toXmlTree(tree, "member") as Record<string, unknown>),
    };
  },
};
