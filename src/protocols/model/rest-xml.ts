/**
 * REST-XML by shape (S3): request members bound by location (uri labels incl. greedy keys, querystring,
 * headers, `x-amz-meta-` style prefix maps, the payload: a blob body or an XML document) and XML documents
 * read and written by shape (locationName, wrapped and flattened lists, maps, xmlAttribute members,
 * xmlNamespace, timestamps ISO 8601 in bodies and RFC 822 in headers). The parser underneath rejects
 * DOCTYPE and external entities and decodes the five entities and numeric character references.
 */
import type { IncomingHttpHeaders } from "node:http";
import { escapeXml, parseXml, XML_DECL } from "../xml.js";
import { scalarFromText } from "./decode.js";
import { headerText } from "./rest.js";
import type { MemberRef, OperationModel, ServiceModel, Shape } from "./types.js";

type XNode = Record<string, unknown> | string | undefined;

const asList = (v: unknown): unknown[] => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]);
const textOf = (v: unknown): string =>
  typeof v === "string" ? v : v && typeof v === "object" && "#text" in v ? String((v as Record<string, unknown>)["#text"]) : "";

/** A parsed XML element (fast-xml-parser form) → a typed value of `shapeName`. */
export function xmlToShape(model: ServiceModel, node: XNode, shapeName: string, member = "", depth = 0): unknown {
  const shape = model.shapes[shapeName];
  if (!shape || depth > 40) return undefined;
  switch (shape.type) {
    case "structure": {
      if (typeof node !== "object" || node === null) return {};
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const tag = ref.locationName ?? name;
        if (ref.xmlAttribute) {
          const a = node[`@_${tag.includes(":") ? tag.slice(tag.indexOf(":") + 1) : tag}`];
          if (a !== undefined) out[name] = scalarFromText(String(a), model.shapes[ref.shape]!, name);
          continue;
        }
        const ms = model.shapes[ref.shape];
        if (!ms) continue;
        if (ms.type === "list" && (ms.flattened || ref.flattened)) {
          const itemTag = ms.member!.locationName ?? tag;
          const items = asList(node[itemTag]);
          if (items.length) out[name] = items.map((x) => xmlToShape(model, x as XNode, ms.member!.shape, name, depth + 1));
          continue;
        }
        const child = node[tag];
        if (child === undefined) continue;
        out[name] = xmlToShape(model, (Array.isArray(child) ? child[0] : child) as XNode, ref.shape, name, depth + 1);
      }
      return out;
    }
    case "list": {
      if (typeof node !== "object" || node === null) return [];
      const itemTag = shape.member!.locationName ?? "member";
      return asList(node[itemTag]).map((x) => xmlToShape(model, x as XNode, shape.member!.shape, member, depth + 1));
    }
    case "map": {
      if (typeof node !== "object" || node === null) return {};
      const kt = shape.key?.locationName ?? "key";
      const vt = shape.value?.locationName ?? "value";
      const out: Record<string, unknown> = {};
      for (const e of asList(node.entry)) {
        if (typeof e !== "object" || e === null) continue;
        const k = textOf((e as Record<string, unknown>)[kt]);
        out[k] = xmlToShape(model, (e as Record<string, unknown>)[vt] as XNode, shape.value!.shape, member, depth + 1);
      }
      return out;
    }
    default:
      return scalarFromText(textOf(node), shape, member);
  }
}

/** Parse an XML document and read its root element as `shapeName`. */
export function xmlDocumentToShape(model: ServiceModel, body: Buffer, shapeName: string): unknown {
  const doc = parseXml(body.toString("utf8"));
  const rootName = Object.keys(doc).find((k) => !k.startsWith("?"));
  return xmlToShape(model, rootName ? (doc[rootName] as XNode) : undefined, shapeName);
}

/** Bind a REST-XML request's parts to the input shape's members. */
export function decodeRestXmlInput(
  model: ServiceModel,
  op: OperationModel,
  labels: Record<string, string>,
  query: Map<string, string[]>,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Record<string, unknown> {
  const shape = op.input ? model.shapes[op.input.shape] : undefined;
  if (!shape) return {};
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const ms = model.shapes[ref.shape]!;
    const wire = ref.locationName ?? name;
    if (ref.location === "uri") {
      if (labels[wire] !== undefined) out[name] = scalarFromText(labels[wire]!, ms, name);
    } else if (ref.location === "querystring") {
      const vals = query.get(wire);
      if (vals) out[name] = ms.type === "list" ? vals.map((v) => scalarFromText(v, model.shapes[ms.member!.shape]!, name)) : scalarFromText(vals[0]!, ms, name);
    } else if (ref.location === "header") {
      const h = headers[wire.toLowerCase()];
      if (h === undefined) continue;
      const text = Array.isArray(h) ? h.join(", ") : h;
      out[name] = ms.type === "list" ? text.split(",").map((s) => s.trim()) : scalarFromText(text, ms, name, true);
    } else if (ref.location === "headers") {
      const prefix = wire.toLowerCase();
      const map: Record<string, string> = {};
      for (const [k, v] of Object.entries(headers))
        if (k.startsWith(prefix) && v !== undefined) map[k.slice(prefix.length)] = Array.isArray(v) ? v.join(", ") : v;
      if (Object.keys(map).length) out[name] = map;
    }
  }
  if (shape.payload && body.length > 0) {
    const ref = shape.members![shape.payload]!;
    const ps = model.shapes[ref.shape]!;
    out[shape.payload] = ps.type === "blob" ? body : ps.type === "string" ? body.toString("utf8") : xmlDocumentToShape(model, body, ref.shape);
  }
  return out;
}

function text(shape: Shape, v: unknown): string {
  if (shape.type === "timestamp") {
    const d = v instanceof Date ? v : new Date(String(v));
    return shape.timestampFormat === "rfc822" ? d.toUTCString() : shape.timestampFormat === "unixTimestamp" ? String(d.getTime() / 1000) : d.toISOString();
  }
  if (shape.type === "blob") return Buffer.isBuffer(v) || v instanceof Uint8Array ? Buffer.from(v).toString("base64") : escapeXml(String(v));
  return escapeXml(String(v));
}

function writeValue(model: ServiceModel, shape: Shape, tag: string, v: unknown, out: string[], flattened: boolean, ns: string, depth: number): void {
  if (v === undefined || v === null || depth > 40) return;
  if (shape.type === "structure") {
    const attrs: string[] = [];
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      if (!ref.xmlAttribute) continue;
      const x = (v as Record<string, unknown>)[name];
      if (x !== undefined && x !== null) attrs.push(` ${ref.locationName ?? name}="${escapeXml(String(x))}"`);
    }
    const xsi = shape.members && Object.values(shape.members).some((r) => r.xmlAttribute && (r.locationName ?? "").startsWith("xsi:"));
    out.push(`<${tag}${ns}${xsi ? ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' : ""}${attrs.join("")}>`);
    writeStructMembers(model, shape, v, out, depth);
    out.push(`</${tag}>`);
    return;
  }
  if (shape.type === "list") {
    if (!Array.isArray(v)) return;
    const ms = model.shapes[shape.member!.shape]!;
    if (flattened || shape.flattened) {
      for (const x of v) writeValue(model, ms, shape.member!.locationName ?? tag, x, out, false, "", depth + 1);
      return;
    }
    out.push(`<${tag}${ns}>`);
    for (const x of v) writeValue(model, ms, shape.member!.locationName ?? "member", x, out, false, "", depth + 1);
    out.push(`</${tag}>`);
    return;
  }
  if (shape.type === "map") {
    const kt = shape.key?.locationName ?? "key";
    const vt = shape.value?.locationName ?? "value";
    const vs = model.shapes[shape.value!.shape]!;
    out.push(`<${tag}${ns}>`);
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      out.push(`<entry><${kt}>${escapeXml(k)}</${kt}>`);
      writeValue(model, vs, vt, x, out, false, "", depth + 1);
      out.push("</entry>");
    }
    out.push(`</${tag}>`);
    return;
  }
  out.push(`<${tag}${ns}>${text(shape, v)}</${tag}>`);
}

function writeStructMembers(model: ServiceModel, shape: Shape, v: unknown, out: string[], depth: number): void {
  if (typeof v !== "object" || v === null) return;
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    if (ref.location || ref.xmlAttribute) continue;
    const x = (v as Record<string, unknown>)[name];
    const ms = model.shapes[ref.shape];
    if (x === undefined || x === null || !ms) continue;
    writeValue(model, ms, ref.locationName ?? name, x, out, ref.flattened === true, "", depth + 1);
  }
}

/** Header members of an output (incl. prefix maps), as response headers. */
export function restXmlHeaders(model: ServiceModel, shape: Shape, output: Record<string, unknown>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const v = output[name];
    if (v === undefined || v === null) continue;
    if (ref.location === "header") {
      const ms = model.shapes[ref.shape];
      const t =
        ms?.type === "timestamp" && !ms.timestampFormat ? (v instanceof Date ? v : new Date(String(v))).toUTCString() : headerText(model, ref as MemberRef, v);
      if (t !== undefined) headers[(ref.locationName ?? name).toLowerCase()] = t;
    } else if (ref.location === "headers") {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) headers[`${(ref.locationName ?? "").toLowerCase()}${k}`] = String(x);
    }
  }
  return headers;
}

/**
 * The XML body of an output: the payload member's document when the shape has one, else the body
 * members under `rootName` (S3's root names — ListBucketResult, ... — are not in the model, so the caller
 * gives it). Undefined when there is no XML body.
 */
export function restXmlBody(model: ServiceModel, shape: Shape, output: Record<string, unknown>, rootName: string, xmlns?: string): string | Buffer | undefined {
  const ns = xmlns ? ` xmlns="${xmlns}"` : "";
  if (shape.payload) {
    const ref = shape.members![shape.payload]!;
    const ps = model.shapes[ref.shape]!;
    const v = output[shape.payload];
    if (v === undefined || v === null) return undefined;
    if (ps.type === "blob") return Buffer.isBuffer(v) ? v : Buffer.from(v as Uint8Array);
    if (ps.type === "string") return String(v);
    const out = [XML_DECL, "\n"];
    writeValue(model, ps, ref.locationName ?? rootName, v, out, false, ns, 0);
    return out.join("");
  }
  const hasBody = Object.values(shape.members ?? {}).some((r) => !r.location);
  if (!hasBody) return undefined;
  // S3 puts a newline after the declaration (its raw bodies: "<?xml ...?>\n<ListBucketResult ...").
  const out = [XML_DECL, "\n", `<${rootName}${ns}>`];
  writeStructMembers(model, shape, output, out, 0);
  out.push(`</${rootName}>`);
  return out.join("");
}
