/**
 * A development check of handler outputs against the model (AWSIM_CHECK_OUTPUT=1): members the model
 * does not declare (a misspelt name is silently dropped by the encoder and by every SDK) and values of
 * the wrong type. Problems are printed, one line each; the request is answered as usual.
 */
import type { MemberRef, ServiceModel, Shape } from "./types.js";

export function checkOutput(model: ServiceModel, shapeName: string, value: unknown, path = "", out: string[] = [], depth = 0): string[] {
  const shape = model.shapes[shapeName];
  if (!shape || value === undefined || value === null || depth > 30 || shape.document) return out;
  const bad = (what: string) => out.push(`${path || "."}: ${what}`);
  switch (shape.type) {
    case "structure": {
      if (typeof value !== "object" || Array.isArray(value)) return (bad(`expected a structure (${shapeName}), got ${typeof value}`), out);
      const members = shape.members ?? {};
      const byWire = new Map(Object.entries(members).map(([n, r]) => [r.locationName ?? n, n]));
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (k.startsWith("$") || v === undefined) continue;
        const name = Object.hasOwn(members, k) ? k : byWire.get(k);
        if (!name) {
          bad(`member ${k} is not in ${shapeName}`);
          continue;
        }
        checkOutput(model, members[name]!.shape, v, `${path}.${k}`, out, depth + 1);
      }
      return out;
    }
    case "list":
      if (!Array.isArray(value)) return (bad(`expected a list (${shapeName}), got ${typeof value}`), out);
      value.forEach((v, i) => checkOutput(model, shape.member!.shape, v, `${path}[${i}]`, out, depth + 1));
      return out;
    case "map":
      if (typeof value !== "object") return (bad(`expected a map (${shapeName})`), out);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) checkOutput(model, shape.value!.shape, v, `${path}{${k}}`, out, depth + 1);
      return out;
    case "string":
      if (typeof value !== "string") bad(`expected a string, got ${typeof value} ${JSON.stringify(value)?.slice(0, 40)}`);
      else if (shape.enum && !shape.enum.includes(value)) bad(`'${value}' is not in the enum of ${shapeName}`);
      return out;
    case "integer":
    case "long":
    case "double":
    case "float":
      if (typeof value !== "number") bad(`expected a number, got ${typeof value} ${JSON.stringify(value)?.slice(0, 40)}`);
      return out;
    case "boolean":
      if (typeof value !== "boolean") bad(`expected a boolean, got ${typeof value}`);
      return out;
    case "timestamp":
      if (!(value instanceof Date) && typeof value !== "number" && typeof value !== "string") bad("expected a timestamp");
      return out;
    default:
      return out;
  }
}

/**
 * The member paths `value` fills in `shapeName` (member names, `[]` for a list's items, `{}` for a map's values), and
 * `path=value` for the values of short enums, for AWSIM_FILLED_REPORT: the suite lists the output members no answer
 * of any test carried, and the enum values none took.
 */
export function filledPaths(model: ServiceModel, shapeName: string, value: unknown, into: Set<string>, path = "", depth = 0): Set<string> {
  const shape = model.shapes[shapeName];
  if (!shape || value === undefined || value === null || depth > 40 || shape.document) return into;
  if (shape.type === "structure" && typeof value === "object" && !Array.isArray(value)) {
    const members = shape.members ?? {};
    const byWire = new Map(Object.entries(members).map(([n, r]) => [r.locationName ?? n, n]));
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k.startsWith("$") || v === undefined || v === null) continue;
      const name = Object.hasOwn(members, k) ? k : byWire.get(k);
      if (!name) continue;
      into.add(`${path}.${name}`);
      filledPaths(model, members[name]!.shape, v, into, `${path}.${name}`, depth + 1);
    }
  } else if (shape.type === "list" && Array.isArray(value)) {
    for (const v of value) filledPaths(model, shape.member!.shape, v, into, `${path}[]`, depth + 1);
  } else if (shape.type === "map" && typeof value === "object") {
    for (const v of Object.values(value as Record<string, unknown>)) filledPaths(model, shape.value!.shape, v, into, `${path}{}`, depth + 1);
  } else if (typeof value === "string" && enumerable(shape)) into.add(`${path}=${value}`);
  return into;
}

/** An enum short enough that the values answers took are worth listing (states and kinds; not instance types). */
const enumerable = (shape: Shape) => shape.type === "string" && shape.enum !== undefined && shape.enum.length <= 60;

/** A parsed XML element (fast-xml-parser form). */
type XmlNode = Record<string, unknown> | string | undefined;
const asItems = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const xmlText = (v: unknown): string =>
  typeof v === "string" ? v : v && typeof v === "object" && "#text" in v ? String((v as Record<string, unknown>)["#text"]) : "";
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A scalar's text (an XML element's or a header's) against its shape: numbers, booleans, enums, body timestamps. */
function checkScalarText(shapeName: string, shape: Shape, text: string, path: string, out: string[], inHeader: boolean): void {
  const bad = (what: string) => out.push(`${path}: ${what}`);
  switch (shape.type) {
    case "integer":
    case "long":
      if (!/^-?\d+$/.test(text)) bad(`expected an integer, got '${text.slice(0, 40)}'`);
      return;
    case "double":
    case "float":
      if (Number.isNaN(Number(text)) || text.trim() === "") bad(`expected a number, got '${text.slice(0, 40)}'`);
      return;
    case "boolean":
      if (text !== "true" && text !== "false") bad(`expected true or false, got '${text.slice(0, 40)}'`);
      return;
    case "timestamp":
      if (!inHeader && !ISO_8601.test(text)) bad(`expected an ISO 8601 timestamp, got '${text.slice(0, 40)}'`);
      return;
    case "string":
      if (shape.enum && !shape.enum.includes(text)) bad(`'${text}' is not in the enum of ${shapeName}`);
      return;
    default:
      return;
  }
}

/**
 * An XML element against `shapeName` as REST-XML writes it (locationName, wrapped and flattened lists, map entries):
 * elements the shape does not declare and scalar texts of the wrong form go to `out`; member paths filled to `filled`.
 */
export function checkXmlElement(model: ServiceModel, shapeName: string, node: XmlNode, path: string, out: string[], filled?: Set<string>, depth = 0): void {
  const shape = model.shapes[shapeName];
  if (!shape || depth > 40) return;
  if (shape.type === "structure") {
    if (typeof node !== "object" || node === null) {
      if (xmlText(node) !== "") out.push(`${path || "."}: expected elements of ${shapeName}, got text`);
      return;
    }
    const byTag = new Map<string, [string, MemberRef, boolean]>();
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      if (ref.location || ref.xmlAttribute) continue;
      const tag = ref.locationName ?? name;
      const ms = model.shapes[ref.shape];
      const flat = ms?.type === "list" && (ms.flattened === true || ref.flattened === true);
      byTag.set(flat ? (ms.member!.locationName ?? tag) : tag, [name, ref, flat]);
    }
    for (const [tag, child] of Object.entries(node)) {
      if (tag.startsWith("@_") || tag === "#text") continue;
      const hit = byTag.get(tag);
      if (!hit) {
        out.push(`${path || "."}: element ${tag} is not in ${shapeName}`);
        continue;
      }
      const [name, ref, flat] = hit;
      filled?.add(`${path}.${name}`);
      if (flat) {
        const item = model.shapes[ref.shape]!.member!.shape;
        for (const x of asItems(child)) checkXmlElement(model, item, x as XmlNode, `${path}.${name}[]`, out, filled, depth + 1);
      } else {
        if (Array.isArray(child)) out.push(`${path}.${name}: element ${tag} repeated`);
        checkXmlElement(model, ref.shape, (Array.isArray(child) ? child[0] : child) as XmlNode, `${path}.${name}`, out, filled, depth + 1);
      }
    }
    return;
  }
  if (shape.type === "list") {
    if (typeof node !== "object" || node === null) return;
    const itemTag = shape.member!.locationName ?? "member";
    for (const [tag, child] of Object.entries(node)) {
      if (tag.startsWith("@_") || tag === "#text") continue;
      if (tag !== itemTag) out.push(`${path}: element ${tag} is not an item of ${shapeName} (${itemTag})`);
      else for (const x of asItems(child)) checkXmlElement(model, shape.member!.shape, x as XmlNode, `${path}[]`, out, filled, depth + 1);
    }
    return;
  }
  if (shape.type === "map") {
    if (typeof node !== "object" || node === null) return;
    const vt = shape.value?.locationName ?? "value";
    for (const e of asItems(node.entry)) {
      if (typeof e === "object" && e !== null)
        checkXmlElement(model, shape.value!.shape, (e as Record<string, unknown>)[vt] as XmlNode, `${path}{}`, out, filled, depth + 1);
    }
    return;
  }
  checkScalarText(shapeName, shape, xmlText(node), path, out, false);
  if (filled && enumerable(shape)) filled.add(`${path}=${xmlText(node)}`);
}

/** Headers S3 answers carry beside their output shapes' members (the bucket's region: on listings too, as AWS does). */
const PROTOCOL_HEADERS = new Set(["x-amz-request-id", "x-amz-id-2", "x-amz-bucket-region"]);

/**
 * A REST-XML answer (status, headers, an XML body) against the operation's output shape: x-amz-* headers the shape
 * does not declare, header values of the wrong form, and the body's elements (checkXmlElement).
 */
export function checkXmlAnswer(
  model: ServiceModel,
  shapeName: string,
  headers: Record<string, string | number | string[]>,
  doc: Record<string, unknown> | undefined,
  filled?: Set<string>,
): string[] {
  const out: string[] = [];
  const shape = model.shapes[shapeName];
  if (!shape?.members) return out;
  const byHeader = new Map<string, [string, MemberRef]>();
  const prefixes: Array<[string, string]> = [];
  for (const [name, ref] of Object.entries(shape.members)) {
    if (ref.location === "header") byHeader.set((ref.locationName ?? name).toLowerCase(), [name, ref]);
    if (ref.location === "headers") prefixes.push([(ref.locationName ?? "").toLowerCase(), name]);
  }
  for (const [h, v] of Object.entries(headers)) {
    const lower = h.toLowerCase();
    const hit = byHeader.get(lower);
    if (hit) {
      filled?.add(`.${hit[0]}`);
      if (enumerable(model.shapes[hit[1].shape]!)) filled?.add(`.${hit[0]}=${String(v)}`);
      checkScalarText(hit[1].shape, model.shapes[hit[1].shape]!, String(v), `header ${lower}`, out, true);
      continue;
    }
    const prefix = prefixes.find(([p]) => p && lower.startsWith(p));
    if (prefix) filled?.add(`.${prefix[1]}`);
    else if (lower.startsWith("x-amz-") && !PROTOCOL_HEADERS.has(lower)) out.push(`header ${lower} is not in ${shapeName}`);
  }
  if (!doc) return out;
  const root = Object.keys(doc).find((k) => !k.startsWith("?"));
  if (!root) return out;
  const payload = shape.payload ? shape.members[shape.payload] : undefined;
  if (payload) {
    if (model.shapes[payload.shape]?.type !== "structure") return out;
    filled?.add(`.${shape.payload}`);
    checkXmlElement(model, payload.shape, doc[root] as XmlNode, `.${shape.payload}`, out, filled);
  } else if (typeof doc[root] !== "object" && shape.members[root] && !shape.members[root].location) {
    // A document whose root is the one member (GetBucketLocation's <LocationConstraint>).
    filled?.add(`.${root}`);
    checkXmlElement(model, shape.members[root].shape, doc[root] as XmlNode, `.${root}`, out, filled);
  } else checkXmlElement(model, shapeName, doc[root] as XmlNode, "", out, filled);
  return out;
}
