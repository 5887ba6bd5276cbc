/**
 * XML in and out. Escaping is on for output; the parser (fast-xml-parser)
 * decodes only the five predefined XML entities and numeric references, never DOCTYPE entities.
 */
import { createRequire } from "node:module";
import type { XMLParser as XMLParserType } from "fast-xml-parser";

/**
 * The parser is loaded on first use (start-up stays near zero). Output is built by buildXml below: a
 * small serializer over the same tree shape fast-xml-parser's builder takes ("@_" attributes, "#text",
 * arrays repeat their element), escaping every text and attribute value.
 */
let parserInstance: XMLParserType | undefined;
let validator: { validate(x: string): true | object } | undefined;
function parserOf(): { parser: XMLParserType; validator: { validate(x: string): true | object } } {
  if (!parserInstance) {
    const fxp = createRequire(import.meta.url)("fast-xml-parser") as typeof import("fast-xml-parser");
    parserInstance = new fxp.XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "@_",
      removeNSPrefix: true,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: false,
      processEntities: true,
      htmlEntities: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
    });
    validator = fxp.XMLValidator;
  }
  return { parser: parserInstance, validator: validator! };
}

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
/** XML 1.0 escaping; characters XML cannot carry (control characters other than tab/CR/LF) become references. */
const NEEDS_ESCAPE = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
export function escapeXml(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(/[&<>"']/g, (c) => ESC[c]!).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * XML already rendered (whole elements, escaped), written as it is in place of the member it stands for:
 * for hot listings that render their entries directly (each such renderer is tested against buildXml).
 */
export class XmlFragment {
  constructor(readonly xml: string) {}
}

/** Serialize one element into `out` (no intermediate arrays): Dates as ISO 8601, booleans/numbers as text. */
function element(name: string, v: unknown, out: string[]): void {
  if (v === undefined || v === null) return;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) element(name, v[i], out);
    return;
  }
  if (v instanceof XmlFragment) {
    out.push(v.xml);
    return;
  }
  if (typeof v !== "object") {
    out.push(`<${name}>${typeof v === "string" ? escapeXml(v) : String(v)}</${name}>`);
    return;
  }
  if (v instanceof Date) {
    out.push(`<${name}>${v.toISOString()}</${name}>`);
    return;
  }
  const o = v as Record<string, unknown>;
  let attrs = "";
  let text = "";
  for (const k in o) {
    const x = o[k];
    if (x === undefined || x === null) continue;
    if (k.charCodeAt(0) === 64 && k.charCodeAt(1) === 95) attrs += ` ${k.slice(2)}="${escapeXml(String(x))}"`;
    else if (k === "#text") text += escapeXml(String(x));
  }
  out.push(`<${name}${attrs}>${text}`);
  for (const k in o) {
    if (k === "#text" || (k.charCodeAt(0) === 64 && k.charCodeAt(1) === 95)) continue;
    element(k, o[k], out);
  }
  out.push(`</${name}>`);
}

export const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';

/** Build XML text from a tree already shaped for the builder (see toXmlTree). */
export function buildXml(tree: Record<string, unknown>, declaration = true): string {
  const out: string[] = declaration ? [XML_DECL] : [];
  for (const [k, v] of Object.entries(tree)) element(k, v, out);
  return out.join("");
}

/** Parse XML text; throws on malformed input (callers map that to their protocol's error). */
export function parseXml(text: string): Record<string, any> {
  const trimmed = text.trim();
  if (!trimmed.startsWith("<")) throw new Error("not XML");
  if (/<!DOCTYPE|<!ENTITY/i.test(trimmed)) throw new Error("DOCTYPE not allowed");
  const { parser, validator: v } = parserOf();
  if (v.validate(trimmed) !== true) throw new Error("malformed XML");
  if (trimmed.indexOf("&#") < 0) return parser.parse(trimmed) as Record<string, any>;
  // A referenced carriage return (`&#13;`, as S3 asks keys holding one to be written) stays a carriage return:
  // it crosses the parser's line-end normalization as a stand-in, restored after parsing.
  const crRef = !trimmed.includes(CR_STANDIN) && /&#(?:13|x0*[dD]);/.test(trimmed);
  const doc = parser.parse(numericRefs(trimmed, crRef)) as Record<string, any>;
  return crRef ? (restoreCr(doc) as Record<string, any>) : doc;
}

/** A noncharacter no request carries, standing for a referenced CR while the parser runs. */
const CR_STANDIN = "\uFDD0";
function restoreCr(v: unknown): unknown {
  if (typeof v === "string") return v.includes(CR_STANDIN) ? v.replaceAll(CR_STANDIN, "\r") : v;
  if (Array.isArray(v)) return v.map(restoreCr);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k in v) out[k] = restoreCr((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

const MARKUP: Record<number, string> = { 38: "&amp;", 60: "&lt;", 62: "&gt;", 34: "&quot;", 39: "&apos;" };

/**
 * Numeric character references (`&#34;`, `&#x22;`), which XML 1.0 allows anywhere in text and attribute
 * values and Go's encoding/xml writes for quotes, become their characters before parsing (the parser
 * decodes only the five named entities); the markup characters stay escaped so the document keeps its
 * structure. A reference to a character XML cannot carry is malformed.
 */
function numericRefs(xml: string, crStandIn = false): string {
  return xml.replace(/&#(x[0-9a-fA-F]+|[0-9]+);/g, (_m, ref: string) => {
    const cp = ref[0] === "x" ? Number.parseInt(ref.slice(1), 16) : Number.parseInt(ref, 10);
    if (!(cp === 9 || cp === 10 || cp === 13 || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff))) {
      throw new Error("malformed XML: invalid character reference");
    }
    if (cp === 13 && crStandIn) return CR_STANDIN;
    return MARKUP[cp] ?? String.fromCodePoint(cp);
  });
}

/**
 * Convert a handler's plain output into the builder's tree: arrays become repeated `listTag` children
 * (`member` for Query, `item` for EC2), Dates ISO 8601, booleans "true"/"false"; null/undefined dropped.
 * An object key "@_name" is kept as an attribute.
 */
export function toXmlTree(value: unknown, listTag: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    return value.length === 0 ? "" : { [listTag]: value.map((v) => toXmlTree(v, listTag)) };
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const t = toXmlTree(v, listTag);
      if (t !== undefined) out[k] = t;
    }
    return out;
  }
  return String(value);
}

/** Make a parsed XML value into an array (the parser gives a single child as an object). */
export function asArray<T>(v: T | T[] | undefined): T[] {
  if (v === undefined || v === null || (v as unknown) === "") return [];
  return Array.isArray(v) ? v : [v];
}
