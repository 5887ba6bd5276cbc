/**
 * XML encoding by shape (Query, EC2): element names from locationName (else the member name), lists
 * wrapped in `<member>` (or the list member's locationName; EC2's `<item>`) unless flattened, maps as
 * `<entry><key/><value/></entry>`, timestamps ISO 8601 (or the member's timestampFormat), booleans
 * `true`/`false`, blobs base64, unset members omitted.
 *
 * A handler may return members under their model names or under their wire names (locationName): both
 * are found, so handlers written before the models keep working while they migrate.
 */
import { Utf8Writer } from "../utf8.js";
import { escapeXml } from "../xml.js";
import { constants, type Holder, holderFor, lit } from "./lazy.js";
import type { ServiceModel, Shape } from "./types.js";

function scalarText(shape: Shape, v: unknown): string {
  if (shape.type === "timestamp") {
    const d = v instanceof Date ? v : typeof v === "number" ? new Date(v * 1000) : new Date(String(v));
    if (Number.isNaN(d.getTime())) return escapeXml(String(v));
    if (shape.timestampFormat === "unixTimestamp") return String(d.getTime() / 1000);
    if (shape.timestampFormat === "rfc822") return d.toUTCString();
    return d.toISOString();
  }
  if (shape.type === "blob") {
    if (Buffer.isBuffer(v) || v instanceof Uint8Array) return Buffer.from(v).toString("base64");
    return escapeXml(String(v));
  }
  if (typeof v === "string") return escapeXml(v);
  if (v instanceof Date) return v.toISOString();
  return escapeXml(String(v));
}

interface MemberPlan {
  name: string;
  /** The wire name (locationName), also looked up on legacy outputs. */
  alt: string | undefined;
  tag: string;
  shape: Shape;
  flattened: boolean;
}

/** Per shape, once: its members with their tags and shapes (no per-request Object.entries or lookups). */
const plans = new WeakMap<Shape, MemberPlan[]>();
function planOf(model: ServiceModel, shape: Shape): MemberPlan[] {
  let p = plans.get(shape);
  if (!p) {
    p = [];
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      const ms = model.shapes[ref.shape];
      if (!ms) continue;
      p.push({
        name,
        alt: ref.locationName && ref.locationName !== name ? ref.locationName : undefined,
        tag: ref.locationName ?? name,
        shape: ms,
        flattened: ref.flattened === true,
      });
    }
    plans.set(shape, p);
  }
  return p;
}

/**
 * Write the members of a structure value (its children) as UTF-8 XML into `w`. Each structure shape is
 * compiled once, on first use, into a function specialised to its members (see compileStructure); the bytes
 * are exactly Buffer.from() of writeMembersByPlan's text, which stays as the reference
 * (test/models/xml-compiled.test.ts).
 */
export function encodeMembers(model: ServiceModel, shape: Shape, value: unknown, w: XmlBytes, depth = 0): void {
  holderOf(model, shape).fn(value, depth, w);
}

/** encodeMembers as text, pushed onto `out`. */
export function writeMembers(model: ServiceModel, shape: Shape, value: unknown, out: string[], depth = 0): void {
  const w = new XmlBytes(1024);
  encodeMembers(model, shape, value, w, depth);
  if (w.pos > 0) out.push(w.toBuffer().toString("utf8"));
}

/** Per ASCII code: the text escapeXml writes for it, or undefined when the character stands for itself. */
const ENTITY: Array<string | undefined> = Array.from({ length: 128 }, (_, c) => {
  const e = ({ 38: "&amp;", 60: "&lt;", 62: "&gt;", 34: "&quot;", 39: "&apos;" } as Record<number, string>)[c];
  if (e) return e;
  return c < 32 && c !== 9 && c !== 10 && c !== 13 ? `&#${c};` : undefined;
});

/** The XML writer: Utf8Writer's raw() for markup, text() for escaped text (escapeXml's output, as bytes). */
export class XmlBytes extends Utf8Writer {
  text(s: string): void {
    const n = s.length;
    this.room(n * 6);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        p += buf.write(escapeXml(s.slice(i)), p, "utf8");
        break;
      }
      const e = ENTITY[c];
      if (e === undefined) buf[p++] = c;
      else for (let j = 0; j < e.length; j++) buf[p++] = e.charCodeAt(j);
    }
    this.pos = p;
  }

  /** A string element: `open`, the value's text (escaped; scalarText when not a string), `close`; tags as bytes made once. */
  strEl(open: Uint8Array, v: unknown, close: Uint8Array, shape: Shape): void {
    this.bytes(open);
    if (typeof v === "string") this.text(v);
    else this.raw(scalarText(shape, v));
    this.bytes(close);
  }

  /** A number element: `open`, the number (scalarText when not a number), `close`; tags as bytes made once. */
  numEl(open: Uint8Array, v: unknown, close: Uint8Array, shape: Shape): void {
    this.bytes(open);
    this.raw(typeof v === "number" ? "" + v : scalarText(shape, v));
    this.bytes(close);
  }
}

/** The interpretive encoder over member plans: the reference the compiled encoders must equal. */
export function writeMembersByPlan(model: ServiceModel, shape: Shape, value: unknown, out: string[], depth = 0): void {
  if (typeof value !== "object" || value === null || depth > 40) return;
  const o = value as Record<string, unknown>;
  const plan = planOf(model, shape);
  for (let i = 0; i < plan.length; i++) {
    const m = plan[i]!;
    let v = o[m.name];
    if ((v === undefined || v === null) && m.alt !== undefined) v = o[m.alt];
    if (v === undefined || v === null) continue;
    writeElement(model, m.shape, m.tag, v, out, depth + 1, m.flattened);
  }
}

function writeElement(model: ServiceModel, shape: Shape, tag: string, v: unknown, out: string[], depth: number, flattenedRef: boolean): void {
  switch (shape.type) {
    case "structure": {
      out.push(`<${tag}>`);
      writeMembersByPlan(model, shape, v, out, depth);
      out.push(`</${tag}>`);
      return;
    }
    case "list": {
      if (!Array.isArray(v)) return;
      const m = shape.member!;
      const ms = model.shapes[m.shape]!;
      if (shape.flattened || flattenedRef) {
        const itemTag = m.locationName ?? tag;
        for (const x of v) if (x !== undefined && x !== null) writeElement(model, ms, itemTag, x, out, depth + 1, false);
        return;
      }
      const itemTag = m.locationName ?? "member";
      out.push(`<${tag}>`);
      for (const x of v) if (x !== undefined && x !== null) writeElement(model, ms, itemTag, x, out, depth + 1, false);
      out.push(`</${tag}>`);
      return;
    }
    case "map": {
      if (typeof v !== "object") return;
      const kt = shape.key?.locationName ?? "key";
      const vt = shape.value?.locationName ?? "value";
      const vs = model.shapes[shape.value!.shape]!;
      const flat = shape.flattened || flattenedRef;
      if (!flat) out.push(`<${tag}>`);
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (x === undefined || x === null) continue;
        out.push(flat ? `<${tag}>` : "<entry>", `<${kt}>${escapeXml(k)}</${kt}>`);
        writeElement(model, vs, vt, x, out, depth + 1, false);
        out.push(flat ? `</${tag}>` : "</entry>");
      }
      if (!flat) out.push(`</${tag}>`);
      return;
    }
    default:
      if (typeof v === "string" && shape.type === "string") out.push(`<${tag}>${escapeXml(v)}</${tag}>`);
      else out.push(`<${tag}>${scalarText(shape, v)}</${tag}>`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Compiled encoders. writeMembersByPlan interprets a plan for every value: a WeakMap lookup per structure,
// a keyed (megamorphic) property load per member and per wire-name fallback, a switch per element and an
// array slot per string piece, then a join and a UTF-8 encoding of the whole text. Here each structure
// shape becomes, once, a JavaScript function with its members' property loads, tags and list/scalar
// handling written out (property loads inline-cached per member site), writing bytes straight into one
// buffer. Semantics mirror writeMembersByPlan/writeElement line for line (maps, rare in Query/EC2 outputs,
// and unusual scalar values go through the reference code).

type StructFn = (o: unknown, d: number, w: XmlBytes) => void;
const holders = new WeakMap<Shape, Holder<StructFn>>();
const holderOf = (model: ServiceModel, shape: Shape): Holder<StructFn> => holderFor(holders, model, shape, compileStructure);

/** A map element, through the reference code. */
function mapElement(model: ServiceModel, shape: Shape, tag: string, v: unknown, w: XmlBytes, depth: number, flattenedRef: boolean): void {
  const out: string[] = [];
  writeElement(model, shape, tag, v, out, depth, flattenedRef);
  w.raw(out.join(""));
}

function compileStructure(model: ServiceModel, shape: Shape): StructFn {
  const { values: consts, ref: k, prelude } = constants();
  let vars = 0;
  /** Code writing the element for the value in variable `v` at depth expression `d` into `w`. */
  const elem = (es: Shape, tag: string, v: string, d: string, flattenedRef: boolean): string => {
    // Tags are bytes made once (ASCII: element names), copied whole.
    const open = k(Buffer.from(`<${tag}>`, "latin1"));
    const close = k(Buffer.from(`</${tag}>`, "latin1"));
    switch (es.type) {
      case "structure":
        return `w.bytes(${open}); ${k(holderOf(model, es))}.fn(${v}, ${d}, w); w.bytes(${close});`;
      case "list": {
        const m = es.member!;
        const ms = model.shapes[m.shape]!;
        const x = `x${vars++}`;
        const i = `i${vars++}`;
        const flat = es.flattened || flattenedRef;
        const itemTag = flat ? (m.locationName ?? tag) : (m.locationName ?? "member");
        const body = `for (let ${i} = 0; ${i} < ${v}.length; ${i}++) { const ${x} = ${v}[${i}]; if (${x} !== undefined && ${x} !== null) { ${elem(ms, itemTag, x, `${d} + 1`, false)} } }`;
        return flat ? `if (Array.isArray(${v})) { ${body} }` : `if (Array.isArray(${v})) { w.bytes(${open}); ${body} w.bytes(${close}); }`;
      }
      case "map":
        return `mapElement(model, ${k(es)}, ${lit(tag)}, ${v}, w, ${d}, ${flattenedRef});`;
      case "string":
        return `w.strEl(${open}, ${v}, ${close}, ${k(es)});`;
      case "boolean":
        return `if (${v} === true) w.bytes(${k(Buffer.from(`<${tag}>true</${tag}>`, "latin1"))}); else if (${v} === false) w.bytes(${k(Buffer.from(`<${tag}>false</${tag}>`, "latin1"))}); else { w.bytes(${open}); w.raw(scalarText(${k(es)}, ${v})); w.bytes(${close}); }`;
      case "integer":
      case "long":
      case "float":
      case "double":
        return `w.numEl(${open}, ${v}, ${close}, ${k(es)});`;
      default:
        return `w.bytes(${open}); w.raw(scalarText(${k(es)}, ${v})); w.bytes(${close});`;
    }
  };
  let body = "";
  for (const m of planOf(model, shape)) {
    const get = `o[${lit(m.name)}]`;
    const alt = m.alt !== undefined ? ` if (v === undefined || v === null) v = o[${lit(m.alt)}];` : "";
    body += `{ let v = ${get};${alt} if (v !== undefined && v !== null) { ${elem(m.shape, m.tag, "v", "d + 1", m.flattened)} } }\n`;
  }
  const src = `${prelude()}\n` + `return function encode(o, d, w) {\n if (typeof o !== "object" || o === null || d > 40) return;\n${body}};`;
  return new Function("K", "scalarText", "mapElement", "model", src)(consts, scalarText, mapElement, model) as StructFn;
}
