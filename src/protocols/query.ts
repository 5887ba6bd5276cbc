/**
 * AWS Query (IAM, STS). Form-encoded body (or query string on GET): Action, Version and members.
 * Lists arrive as `X.member.N` (EC2: `X.N`), maps as `X.entry.N.key` / `X.entry.N.value`; values are
 * strings (handlers coerce through core/validate). Replies are
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
import type { ServiceDefinition } from "../services/core/types.js";
import { AwsError } from "./aws-error.js";

/**
 * Shared by Query and EC2: the operation must be in the model (else InvalidAction), have a handler (else
 * NotImplemented), and, for services that take model input, decode by shape and pass validation.
 */
export function decodeQueryOperation(def: ServiceDefinition, pairs: Array<[string, string]>, action: string, version: string | undefined, ec2: boolean) {
  const rt = modelRuntime(def.name);
  const om = Object.hasOwn(rt.model.operations, action) ? rt.model.operations[action] : undefined;
  if (!om) {
    throw ec2 ? new AwsError("InvalidAction", `The action ${action} is not valid for this web service.`, 400) : FrameworkErrors.invalidAction(action, version);
  }
  if (!Object.hasOwn(def.operations, action)) throw notImplemented(rt.model, action);
  if (!def.modelInput) return { operation: action, input: nestQueryParams(pairs, SKIP) };
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

type Tree = { [k: string]: Tree | string };

/** Turn flat `A.member.1.B` pairs into nested objects and arrays. */
export function nestQueryParams(pairs: Array<[string, string]>, skip: Set<string>): Record<string, unknown> {
  const root: Tree = {};
  for (const [key, value] of pairs) {
    if (skip.has(key)) continue;
    const parts = key.split(".");
    let node: Tree = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const p = parts[i]!;
      const next = node[p];
      if (typeof next !== "object") node[p] = {};
      node = node[p] as Tree;
    }
    const last = parts[parts.length - 1]!;
    if (typeof node[last] !== "object") node[last] = value;
  }
  return normalize(root) as Record<string, unknown>;
}

const isIndex = (k: string) => /^\d+$/.test(k);

function normalize(t: Tree | string): unknown {
  if (typeof t === "string") return t;
  const keys = Object.keys(t);
  if (keys.length > 0 && keys.every(isIndex)) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => normalize(t[k]!));
  }
  if (keys.length === 1 && keys[0] === "member") {
    const m = t.member!;
    if (typeof m === "object") return normalize(m);
    return [];
  }
  if (keys.length === 1 && keys[0] === "entry" && typeof t.entry === "object") {
    const entries = normalize(t.entry!) as unknown;
    if (Array.isArray(entries)) {
      const map: Record<string, unknown> = {};
      for (const e of entries as Array<Record<string, unknown>>) {
        if (e && typeof e === "object" && typeof e.key === "string") map[e.key] = e.value ?? "";
      }
      return map;
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = normalize(t[k]!);
  return out;
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
        Error: { Type: err.fault, Code: err.code, Message: err.message, ...(err.extra ?? {}) },
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
