/**
 * The JSON codec's serializer (toJson) must write exactly what JSON.stringify with the codec's replacer
 * writes (toJsonByReplacer), and throw where it throws: over generated full outputs of every operation of
 * the JSON services, perturbed values, and the odd cases JSON.stringify defines.
 */
import { describe, expect, it } from "vitest";
import { toJson, toJsonByReplacer, toJsonBytes } from "../../src/protocols/json.js";
import { generatedOutputs, model, perturb as perturbWith, rng } from "../models/gen.js";

class Point {
  x = 1;
  y = undefined;
  get z() {
    return 3;
  }
}
const withToJson = { a: 1, toJSON: () => ({ replaced: true }) };
const nullProto = Object.assign(Object.create(null) as object, { b: 2, c: [1] });
const arrWithToJson = Object.assign([1, 2], { toJSON: () => "arr" });
const sparse = [1, 2, 3];
delete sparse[1]; // a hole serializes as null

const ODD: unknown[] = [
  null,
  undefined,
  "",
  'a"b\\c\n\t\u0001\u001f\u007f\u2028\u2029',
  "\ud800 lone",
  "pair \ud83d\ude00",
  "é ä 漢字",
  'mixed é\u0001"\\ \ud83d\ude00 \udc00 end',
  "y".repeat(3000),
  'back\\slash then "quote',
  "tab\there",
  0,
  -0,
  -1.5,
  1e21,
  5e-7,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  new Date(0),
  new Date(1_700_000_000_123),
  new Date(Number.NaN),
  {},
  [],
  sparse,
  [undefined, () => 1, Symbol("s")],
  { u: undefined, f: () => 1, s: Symbol("s"), n: null },
  { 2: "two", 1: "one", b: "b", a: "a" },
  Buffer.from("hi"),
  new Uint8Array([1, 2, 250]),
  new Uint8Array(Buffer.from("abcdef")).subarray(2, 4),
  new Float32Array([1.5]),
  new Map([["k", 1]]),
  new Set([1]),
  new Point(),
  withToJson,
  nullProto,
  arrWithToJson,
  new String("boxed"),
  new Number(4),
  new Boolean(false),
  /re/g,
  new Error("e"),
];

const perturb = (v: unknown, r: () => number) => perturbWith(v, r, ODD, { p: 0.1, extra: 0.05 });

function same(v: unknown): void {
  let ref: unknown;
  let fast: unknown;
  try {
    ref = toJsonByReplacer(v);
  } catch (e) {
    ref = `threw ${(e as Error).name}: ${(e as Error).message}`;
  }
  try {
    fast = toJson(v);
  } catch (e) {
    fast = `threw ${(e as Error).name}: ${(e as Error).message}`;
  }
  expect(fast).toBe(ref);
  // The bytes the codec sends are Buffer.from(the reference text), from a buffer that has to grow.
  if (typeof ref === "string" && !ref.startsWith("threw")) expect(toJsonBytes(v, 8)!.equals(Buffer.from(ref))).toBe(true);
  if (ref === undefined) expect(toJsonBytes(v)).toBeUndefined();
}

describe.each(["ecs", "ecr", "logs", "servicediscovery", "efs", "lambda"])("%s: toJson equals JSON.stringify with the replacer", (svc) => {
  it("for every operation's generated output, as is and perturbed", () => {
    const m = model(svc);
    const r = rng(7);
    let n = 0;
    for (const [, , full] of generatedOutputs(m)) {
      same(full);
      same(perturb(full, r));
      same(perturb(full, r));
      n++;
    }
    expect(n).toBeGreaterThan(5);
  });
});

describe("toJson: odd values", () => {
  it("each odd value alone, in an object and in an array", () => {
    for (const v of ODD) {
      same(v);
      same({ k: v, after: 1 });
      same([v, 2]);
    }
  });

  it("cycles throw as JSON.stringify does, deep nesting is still written", () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = a;
    same(a);
    expect(() => toJson(a)).toThrow(TypeError);
    let deep: unknown = { leaf: new Date(5000) };
    for (let i = 0; i < 300; i++) deep = i % 2 ? { d: deep } : [deep];
    same(deep);
    expect(toJson(deep)).toContain('{"leaf":5}');
    same({ big: 10n });
  });
});
