/**
 * Bridge until the model-driven decoder serves EC2 (`modelInput: true`): the EC2 codec hands over the
 * request keyed by WIRE names as nested strings (`InstanceId: ["i-1"]`, `Filter: [{Name, Value}]`);
 * this turns it into the model's MEMBER names, typed (`InstanceIds`, `Filters: [{Name, Values}]`,
 * numbers, booleans, Dates, Buffers), as the @aws-sdk/client-ec2 input types. Wire name of a member:
 * its queryName, else its locationName with the first letter upper-cased, else the member name (the
 * EC2 protocol rule, lists always flattened as `Name.N`).
 */
import { readFileSync } from "node:fs";
import type { Ctx, Handler } from "../core/types.js";
import { Ec2Errors } from "./errors.js";

interface ShapeRef {
  shape: string;
  locationName?: string;
  queryName?: string;
}
interface Shape {
  type: string;
  members?: Record<string, ShapeRef>;
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
}
interface Model {
  operations: Record<string, { input?: { shape: string } }>;
  shapes: Record<string, Shape>;
}

let model: Model | undefined;
const loadModel = (): Model => (model ??= JSON.parse(readFileSync(new URL("../../../models/ec2.json", import.meta.url), "utf8")) as Model);

const wireName = (name: string, ref: ShapeRef) => ref.queryName ?? (ref.locationName ? ref.locationName[0]!.toUpperCase() + ref.locationName.slice(1) : name);

function convert(m: Model, ref: ShapeRef, v: unknown, path: string): unknown {
  const shape = m.shapes[ref.shape]!;
  const bad = () => Ec2Errors.invalidValue(`Invalid value for parameter ${path}`);
  switch (shape.type) {
    case "structure": {
      if (typeof v !== "object" || v === null || Array.isArray(v)) throw bad();
      const src = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, mref] of Object.entries(shape.members ?? {})) {
        const w = src[wireName(name, mref)];
        if (w !== undefined) out[name] = convert(m, mref, w, name);
      }
      return out;
    }
    case "list": {
      const arr = Array.isArray(v) ? v : typeof v === "object" && v !== null ? Object.values(v) : [v];
      return arr.filter((x) => x !== undefined).map((x) => convert(m, shape.member!, x, path));
    }
    case "map": {
      if (typeof v !== "object" || v === null) throw bad();
      const out: Record<string, unknown> = {};
      for (const e of Array.isArray(v) ? v : Object.values(v)) {
        const entry = e as Record<string, unknown>;
        if (entry && typeof entry.key === "string") out[entry.key] = convert(m, shape.value!, entry.value ?? "", path);
      }
      return out;
    }
    default: {
      if (typeof v !== "string") throw bad();
      switch (shape.type) {
        case "integer":
        case "long":
        case "float":
        case "double": {
          const n = Number(v);
          if (v.trim() === "" || !Number.isFinite(n)) throw Ec2Errors.invalidValue(`Invalid value '${v}' for ${path}`);
          return n;
        }
        case "boolean":
          if (!/^(true|false)$/i.test(v)) throw Ec2Errors.invalidValue(`Invalid value '${v}' for ${path}`);
          return v.toLowerCase() === "true";
        case "timestamp": {
          const d = /^\d+(\.\d+)?$/.test(v) ? new Date(Number(v) * 1000) : new Date(v);
          if (Number.isNaN(d.getTime())) throw Ec2Errors.invalidValue(`Invalid value '${v}' for ${path}`);
          return d;
        }
        case "blob":
          return Buffer.from(v, "base64");
        default:
          return v;
      }
    }
  }
}

/** An operation's wire-keyed input → member-keyed typed input. */
export function memberInput(operation: string, wire: unknown): Record<string, unknown> {
  const m = loadModel();
  const ref = m.operations[operation]?.input;
  if (!ref) return {};
  return convert(m, ref, wire ?? {}, operation) as Record<string, unknown>;
}

/** Wrap every handler of a table so it receives member-keyed typed input. */
export function withMemberInput(ops: Record<string, Handler>): Record<string, Handler> {
  const out: Record<string, Handler> = {};
  for (const [name, h] of Object.entries(ops)) out[name] = (ctx: Ctx, input: unknown) => h(ctx, memberInput(name, input));
  return out;
}
