/**
 * The one configured XML builder and parser (fast-xml-parser). Escaping is on for output; the parser
 * decodes only the five predefined XML entities and numeric references, never DOCTYPE entities.
 */
import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  suppressEmptyNode: false,
  suppressBooleanAttributes: false,
  processEntities: true,
  format: false,
});

const parser = new XMLParser({
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

export const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';

/** Build XML text from a tree already shaped for the builder (see toXmlTree). */
export function buildXml(tree: Record<string, unknown>, declaration = true): string {
  const body = builder.build(tree) as string;
  return declaration ? XML_DECL + body : body;
}

/** Parse XML text; throws on malformed input (callers map that to their protocol's error). */
export function parseXml(text: string): Record<string, any> {
  const trimmed = text.trim();
  if (!trimmed.startsWith("<")) throw new Error("not XML");
  if (/<!DOCTYPE|<!ENTITY/i.test(trimmed)) throw new Error("DOCTYPE not allowed");
  const valid = XMLValidator.validate(trimmed);
  if (valid !== true) throw new Error("malformed XML");
  return parser.parse(trimmed) as Record<string, any>;
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
