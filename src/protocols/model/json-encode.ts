/**
 * AWS JSON output encoding by shape: a structure writes its modelled members, in model order, under their wire
 * names; members the model does not have, and null or undefined ones, are not sent (AWS's answers carry no
 * others, and the SDKs read no others). Lists write their items (a missing item as null), maps their entries
 * (null values left out), scalars their JSON value; timestamps (Dates as epoch seconds), blobs (base64),
 * documents and any value whose type is not its shape's are written as the generic writer writes them
 * (json-write.ts: JSON.stringify's text with the AWS JSON forms of Dates and bytes).
 *
 * awsJsonOf gives the value to stringify: the reference. The encoder actually used compiles each structure shape
 * once, on first use, into a function with its members' property loads and key bytes written out, writing
 * straight into one buffer; its bytes equal toJsonByReplacer(awsJsonOf(...)) (test/models/json-compiled.test.ts).
 */
import { jsonWrite, toJsonByReplacer, UNUSUAL } from "../json-write.js";
import { Utf8Writer } from "../utf8.js";
import { constants, type Holder, holderFor, lit } from "./lazy.js";
import type { ServiceModel, Shape } from "./types.js";

/** Left out of an object and written null in a list, as JSON.stringify does. */
const skipped = (v: unknown): boolean => v === undefined || v === null || typeof v === "function" || typeof v === "symbol";

/** A value a structure or map shape walks: an object that is not an array, a Date or bytes. */
const walkable = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array);

/** The wire name of each member, in model order. */
const memberList = (shape: Shape): Array<[string, string, string]> =>
  Object.entries(shape.members ?? {})
    .filter(([, ref]) => !ref.location)
    .map(([name, ref]) => [name, ref.locationName ?? name, ref.shape]);

/** The JSON value the encoding of `value` as `shapeName` stands for (the reference; see the file's comment). */
export function awsJsonOf(model: ServiceModel, value: unknown, shapeName: string, depth = 0): unknown {
  const shape = model.shapes[shapeName];
  if (!shape || depth > 100) return value;
  switch (shape.type) {
    case "structure": {
      if (shape.document || !walkable(value)) return value;
      const out = Object.create(null) as Record<string, unknown>;
      for (const [name, wire, ms] of memberList(shape)) {
        const x = value[name];
        if (!skipped(x)) out[wire] = awsJsonOf(model, x, ms, depth + 1);
      }
      return out;
    }
    case "list":
      if (!Array.isArray(value)) return value;
      return Array.from(value, (x) => (skipped(x) ? null : awsJsonOf(model, x, shape.member!.shape, depth + 1)));
    case "map": {
      if (!walkable(value)) return value;
      const out = Object.create(null) as Record<string, unknown>;
      for (const k of Object.keys(value)) {
        const x = value[k];
        if (!skipped(x)) out[k] = awsJsonOf(model, x, shape.value!.shape, depth + 1);
      }
      return out;
    }
    default:
      return value;
  }
}

type StructFn = (o: Record<string, unknown>, d: number, w: Utf8Writer) => void;
const holders = new WeakMap<Shape, Holder<StructFn>>();
const holderOf = (model: ServiceModel, shape: Shape): Holder<StructFn> => holderFor(holders, model, shape, compileStructure);

/** The generic writer for a value that is not its shape's type (or has no shape of its own to follow). */
function gen(w: Utf8Writer, v: unknown, d: number): void {
  if (!jsonWrite(w, v, d)) w.raw("null");
}

const WALKABLE = (v: string) => `(typeof ${v} === "object" && !Array.isArray(${v}) && !(${v} instanceof Date) && !(${v} instanceof Uint8Array))`;
const SKIPPED = (v: string) => `(${v} === undefined || ${v} === null || typeof ${v} === "function" || typeof ${v} === "symbol")`;

function compileStructure(model: ServiceModel, shape: Shape): StructFn {
  const { values: consts, ref: k, prelude } = constants();
  let vars = 0;
  /** Code writing the JSON of the (not skipped) value in variable `v`, of shape `es`, at depth expression `d`. */
  const elem = (es: Shape | undefined, v: string, d: string): string => {
    switch (es?.type) {
      case "structure":
        if (es.document) return `gen(w, ${v}, ${d});`;
        return `if (${WALKABLE(v)}) ${k(holderOf(model, es))}.fn(${v}, ${d}, w); else gen(w, ${v}, ${d});`;
      case "list": {
        const x = `x${vars++}`;
        const i = `i${vars++}`;
        const item = elem(model.shapes[es.member!.shape], x, `${d} + 1`);
        return (
          `if (Array.isArray(${v})) { w.byte(91); for (let ${i} = 0; ${i} < ${v}.length; ${i}++) { if (${i} > 0) w.byte(44); ` +
          `const ${x} = ${v}[${i}]; if ${SKIPPED(x)} w.raw("null"); else { ${item} } } w.byte(93); } else gen(w, ${v}, ${d});`
        );
      }
      case "map": {
        const x = `x${vars++}`;
        const key = `q${vars++}`;
        const f = `f${vars++}`;
        const value = elem(model.shapes[es.value!.shape], x, `${d} + 1`);
        return (
          `if (${WALKABLE(v)}) { w.byte(123); let ${f} = true; for (const ${key} of Object.keys(${v})) { const ${x} = ${v}[${key}]; ` +
          `if ${SKIPPED(x)} continue; if (!${f}) w.byte(44); ${f} = false; w.jsonString(${key}); w.byte(58); ${value} } w.byte(125); } else gen(w, ${v}, ${d});`
        );
      }
      case "string":
        return `if (typeof ${v} === "string") w.jsonString(${v}); else gen(w, ${v}, ${d});`;
      case "integer":
      case "long":
      case "float":
      case "double":
        return `if (typeof ${v} === "number" && Number.isFinite(${v})) w.raw("" + ${v}); else gen(w, ${v}, ${d});`;
      case "boolean":
        return `if (${v} === true) w.bytes(${k(Buffer.from("true"))}); else if (${v} === false) w.bytes(${k(Buffer.from("false"))}); else gen(w, ${v}, ${d});`;
      default:
        return `gen(w, ${v}, ${d});`;
    }
  };
  let body = "";
  for (const [name, wire, ms] of memberList(shape)) {
    const first = k(Buffer.from(`${JSON.stringify(wire)}:`));
    const next = k(Buffer.from(`,${JSON.stringify(wire)}:`));
    body += `{ const v = o[${lit(name)}]; if (!${SKIPPED("v")}) { w.bytes(f ? ${first} : ${next}); f = false; ${elem(model.shapes[ms], "v", "d + 1")} } }\n`;
  }
  const src = `${prelude()}\n` + `return function encode(o, d, w) {\n if (d > 100) throw UNUSUAL;\n w.byte(123);\n let f = true;\n${body} w.byte(125);\n};`;
  return new Function("K", "gen", "UNUSUAL", src)(consts, gen, UNUSUAL) as StructFn;
}

/** The output shape of an operation of the model, if it has one. */
export function outputShape(model: ServiceModel, op: string): string | undefined {
  return Object.hasOwn(model.operations, op) ? model.operations[op]!.output?.shape : undefined;
}

/**
 * The output of an operation as AWS JSON bytes (exactly Buffer.from(toJsonByReplacer(awsJsonOf(...)))); a value
 * that is not an object goes to the generic writer. `sizeHint`: the buffer's first size.
 */
export function encodeJsonOutput(model: ServiceModel, shapeName: string, value: unknown, sizeHint = 2048): Buffer | undefined {
  const shape = model.shapes[shapeName];
  if (shape?.type !== "structure" || shape.document || !walkable(value)) return undefined;
  const w = new Utf8Writer(sizeHint);
  try {
    holderOf(model, shape).fn(value, 0, w);
  } catch (e) {
    if (e !== UNUSUAL) throw e;
    return Buffer.from(toJsonByReplacer(awsJsonOf(model, value, shapeName)));
  }
  return w.toBuffer();
}
