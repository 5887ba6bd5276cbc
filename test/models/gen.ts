/**
 * Values generated from the models for the model tests: a full input or output of a shape (every member,
 * lists of two, maps of two entries, nested structures to a bounded depth), and a normal form for
 * comparing what the SDK sent or parsed with what awsim decoded or encoded.
 */
import { loadModel } from "../../src/protocols/model/load.js";
import type { ServiceModel, Shape } from "../../src/protocols/model/types.js";

export const SDK: Record<string, { pkg: string; client: string }> = {
  ecs: { pkg: "@aws-sdk/client-ecs", client: "ECSClient" },
  ec2: { pkg: "@aws-sdk/client-ec2", client: "EC2Client" },
  s3: { pkg: "@aws-sdk/client-s3", client: "S3Client" },
  ecr: { pkg: "@aws-sdk/client-ecr", client: "ECRClient" },
  logs: { pkg: "@aws-sdk/client-cloudwatch-logs", client: "CloudWatchLogsClient" },
  servicediscovery: { pkg: "@aws-sdk/client-servicediscovery", client: "ServiceDiscoveryClient" },
  iam: { pkg: "@aws-sdk/client-iam", client: "IAMClient" },
  sts: { pkg: "@aws-sdk/client-sts", client: "STSClient" },
  efs: { pkg: "@aws-sdk/client-efs", client: "EFSClient" },
  lambda: { pkg: "@aws-sdk/client-lambda", client: "LambdaClient" },
};

export const model = (name: string): ServiceModel => loadModel(name);

const FIXED = new Date("2024-05-06T07:08:09.000Z");

/** A value for `shapeName`; `seed` varies strings so list items differ. */
export function generate(m: ServiceModel, shapeName: string, seed: string, depth = 0, opts: { forHeader?: boolean; plain?: boolean } = {}): unknown {
  const shape = m.shapes[shapeName];
  if (!shape) return undefined;
  switch (shape.type) {
    case "structure": {
      if (depth > 5 || shape.eventstream || shape.exception) return undefined;
      const out: Record<string, unknown> = {};
      const entries = Object.entries(shape.members ?? {});
      for (const [name, ref] of entries) {
        const ms = m.shapes[ref.shape];
        if (!ms || ms.eventstream || ms.streaming || ref.streaming) continue;
        if (ref.location === "headers" || ref.location === "statusCode") continue;
        if (ms.type === "structure" && depth >= 4) continue;
        const v = generate(m, ref.shape, `${seed}${name.slice(0, 3)}`, depth + 1, { forHeader: ref.location === "header", plain: opts.plain });
        if (v !== undefined) out[name] = v;
        if (shape.union && v !== undefined) break;
      }
      return out;
    }
    case "list": {
      const a = generate(m, shape.member!.shape, `${seed}1`, depth + 1, opts);
      const b = generate(m, shape.member!.shape, `${seed}2`, depth + 1, opts);
      return [a, b].filter((x) => x !== undefined);
    }
    case "map": {
      const keyShape = m.shapes[shape.key!.shape];
      const keys = keyShape?.enum?.length ? keyShape.enum.slice(0, 2) : ["ka", "kb"];
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        const v = generate(m, shape.value!.shape, `${seed}${k}`, depth + 1, { plain: opts.plain });
        if (v !== undefined) out[k] = v;
      }
      return out;
    }
    case "string":
      if (shape.enum?.length) return shape.enum[0];
      if (opts.plain) return `v${seed.toLowerCase().replace(/[^a-z0-9]/g, "")}`.slice(0, Math.max(3, Math.min(shape.max ?? 40, 40)));
      return opts.forHeader ? `v-${seed}` : `v-${seed} ä&<+/=`;
    case "integer":
    case "long":
      return Math.max(shape.min ?? 0, Math.min(shape.max ?? 1_000_000, 7));
    case "double":
    case "float":
      return 2.5;
    case "boolean":
      return true;
    case "timestamp":
      return FIXED;
    case "blob":
      return new Uint8Array(Buffer.from(`blob-${seed}`));
    default:
      return undefined;
  }
}

/**
 * JSON-comparable form: Dates → epoch ms, bytes → base64, keys sorted; undefined, empty lists and empty
 * structures dropped (the Query and EC2 wire forms cannot carry them), $metadata removed.
 */
export function normal(v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date) return v.getTime();
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  if (Array.isArray(v)) {
    const a = v.map(normal).filter((x) => x !== undefined);
    return a.length ? a : undefined;
  }
  if (typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as Record<string, unknown>).sort()) {
      if (k.startsWith("$")) continue;
      const n = normal((v as Record<string, unknown>)[k]);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}

/** The first difference between two normal forms, as a path and both sides. */
export function firstDiff(a: unknown, b: unknown, path = ""): string | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  if (typeof a === "object" && a && typeof b === "object" && b) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  return `${path || "."}: ${JSON.stringify(a)?.slice(0, 200)} ≠ ${JSON.stringify(b)?.slice(0, 200)}`;
}

/** Operations whose wire form the generic tests skip, with the reason. */
export function skipReason(m: ServiceModel, op: string): string | undefined {
  const o = m.operations[op]!;
  const has = (name: string | undefined, pred: (s: Shape) => boolean) => {
    if (!name) return false;
    const s = m.shapes[name];
    if (!s) return false;
    if (pred(s)) return true;
    return Object.values(s.members ?? {}).some((r) => pred(m.shapes[r.shape]!) || r.streaming === true);
  };
  if (has(o.output?.shape, (s) => s.eventstream === true)) return "event stream output";
  if (has(o.input?.shape, (s) => s.eventstream === true)) return "event stream input";
  return undefined;
}

/** A deterministic PRNG (mulberry32) for perturbing generated values. */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A generated value perturbed for the encoder tests: each node is kept or, with probability `p`, replaced by one of
 * `odd`; arrays grow two holes with probability `sparse`; plain objects gain a member `odd<depth>` holding an odd
 * value with probability `extra`.
 */
export function perturb(v: unknown, r: () => number, odd: unknown[], opts: { p?: number; sparse?: number; extra?: number } = {}, depth = 0): unknown {
  const { p = 0.12, sparse = 0, extra = 0 } = opts;
  const pick = () => odd[Math.floor(r() * odd.length)];
  if (r() < p) return pick();
  if (Array.isArray(v)) {
    const a = v.map((x) => perturb(x, r, odd, opts, depth + 1));
    if (r() < sparse) a.length += 2;
    return a;
  }
  if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = perturb(x, r, odd, opts, depth + 1);
    if (r() < extra) o[`odd${depth}`] = pick();
    return o;
  }
  return v;
}

/** Each operation of a model that has an output: its name, output shape and a full generated output. */
export function* generatedOutputs(m: ServiceModel): Generator<[string, string, unknown]> {
  for (const op of Object.keys(m.operations)) {
    const out = m.operations[op]!.output;
    if (out) yield [op, out.shape, generate(m, out.shape, "o", 0)];
  }
}
