/**
 * The compiled Query/EC2 XML encoders (writeMembers) must write exactly what the interpretive reference
 * (writeMembersByPlan) writes: for every output shape of the EC2 and Query models, over generated full
 * outputs under member names and under wire names, and over perturbed values (nulls, wrong types, Dates in
 * strings, invalid dates, markup and control characters, non-arrays for lists, sparse arrays), plus real
 * DescribeInstances answers of a running server.
 */
import { DescribeInstancesCommand, EC2Client, RunInstancesCommand, StopInstancesCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { ec2Codec } from "../../src/protocols/ec2.js";
import { encodeMembers, writeMembers, writeMembersByPlan, XmlBytes } from "../../src/protocols/model/xml.js";
import { clientConfig, startServer } from "../helpers.js";
import type { ServiceModel } from "../../src/protocols/model/types.js";
import { generate, generatedOutputs, model, perturb as perturbWith, rng } from "./gen.js";

const perturb = (v: unknown, r: () => number) => perturbWith(v, r, ODD, { sparse: 0.1 });

const ODD: unknown[] = [
  null,
  undefined,
  "",
  "a<b>&\"c'\u0001\u000b",
  "é 漢字 <&> \ud83d\ude00 '\u0002",
  "lone \ud800 & \udc00>",
  "x".repeat(5000),
  0,
  -1.5,
  Number.NaN,
  true,
  false,
  new Date(0),
  new Date(Number.NaN),
  new Date("2026-01-02T03:04:05.678Z"),
  {},
  [],
  ["x", null, 3],
  { a: 1 },
  Buffer.from("hi"),
  1_700_000_000,
  "2026-01-02T03:04:05Z",
];

/** The same value with each structure member under its wire name (locationName), as legacy handlers return. */
function wireNames(m: ServiceModel, shapeName: string, v: unknown): unknown {
  const shape = m.shapes[shapeName];
  if (!shape || v === null || typeof v !== "object") return v;
  if (shape.type === "list" && Array.isArray(v)) return v.map((x) => wireNames(m, shape.member!.shape, x));
  if (shape.type !== "structure") return v;
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const x = (v as Record<string, unknown>)[name];
    if (x !== undefined) out[ref.locationName ?? name] = wireNames(m, ref.shape, x);
  }
  return out;
}

/** [compiled, reference]: the compiled encoder's bytes and Buffer.from(reference text), as hex; or the error. */
function both(m: ServiceModel, shapeName: string, value: unknown): [string, string] {
  const shape = m.shapes[shapeName]!;
  const run = (f: () => Buffer) => {
    try {
      return f().toString("latin1");
    } catch (e) {
      return `threw ${(e as Error).name}: ${(e as Error).message}`;
    }
  };
  const fast = run(() => {
    const w = new XmlBytes(16);
    encodeMembers(m, shape, value, w);
    return w.toBuffer();
  });
  const ref = run(() => {
    const out: string[] = [];
    writeMembersByPlan(m, shape, value, out);
    return Buffer.from(out.join(""));
  });
  // The text API gives the same bytes too.
  const text = run(() => {
    const out: string[] = [];
    writeMembers(m, shape, value, out);
    return Buffer.from(out.join(""));
  });
  expect(text).toBe(fast);
  return [fast, ref];
}

describe.each(["ec2", "iam", "sts"])("%s: compiled XML encoders equal the reference", (svc) => {
  it("for every operation's output, generated, under wire names and perturbed", () => {
    const m = model(svc);
    const r = rng(12);
    let compared = 0;
    let nonEmpty = 0;
    for (const [op, shape, full] of generatedOutputs(m)) {
      const values = [full, wireNames(m, shape, full), perturb(full, r), perturb(wireNames(m, shape, full), r), perturb(full, r)];
      for (const v of values) {
        const [fast, ref] = both(m, shape, v);
        if (fast !== ref) expect({ op, fast }).toEqual({ op, fast: ref });
        compared++;
        if (ref.length > 0) nonEmpty++;
      }
    }
    expect(compared).toBeGreaterThan(50);
    expect(nonEmpty).toBeGreaterThan(compared / 2);
  });

  it("for odd top-level values and deep recursion", () => {
    const m = model(svc);
    const op = Object.keys(m.operations).find((o) => m.operations[o]!.output)!;
    for (const v of ODD) {
      const [fast, ref] = both(m, m.operations[op]!.output!.shape, v);
      expect(fast).toBe(ref);
    }
  });
});

describe("ec2: recursive shapes stop at the same depth", () => {
  it("a self-nesting structure", () => {
    const m = model("ec2");
    // Find a structure that (directly) holds a member of its own shape or a list of it.
    const name = Object.keys(m.shapes).find((n) => {
      const s = m.shapes[n]!;
      if (s.type !== "structure") return false;
      return Object.values(s.members ?? {}).some((ref) => ref.shape === n || m.shapes[ref.shape]?.member?.shape === n);
    });
    if (!name) return;
    const s = m.shapes[name]!;
    const [member, ref] = Object.entries(s.members!).find(([, r]) => r.shape === name || m.shapes[r.shape]?.member?.shape === name)!;
    const isList = ref.shape !== name;
    let v: Record<string, unknown> = {};
    for (let i = 0; i < 60; i++) v = { ...(generate(m, name, `d${i}`, 5) as object), [member]: isList ? [v] : v };
    const [fast, ref2] = both(m, name, v);
    expect(fast).toBe(ref2);
    expect(fast.length).toBeGreaterThan(0);
  });
});

describe("ec2: real answers", () => {
  it("RunInstances and DescribeInstances outputs of a server encode identically", async () => {
    const server = await startServer();
    const seen: Array<[string, unknown]> = [];
    const encode = ec2Codec.encode;
    ec2Codec.encode = (output, op, ...rest) => {
      seen.push([op, output]);
      return encode(output, op, ...rest);
    };
    try {
      const ec2 = new EC2Client(clientConfig(server));
      const run = await ec2.send(
        new RunInstancesCommand({
          ImageId: "ami-0abcdef1234567890",
          MinCount: 3,
          MaxCount: 3,
          TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: "a<b>&'\"" }] }],
        }),
      );
      await ec2.send(new StopInstancesCommand({ InstanceIds: [run.Instances![0]!.InstanceId!] }));
      const d = await ec2.send(new DescribeInstancesCommand({}));
      expect(d.Reservations?.[0]?.Instances?.[0]?.Tags).toEqual([{ Key: "Name", Value: "a<b>&'\"" }]);
    } finally {
      ec2Codec.encode = encode;
      await server.stop();
    }
    const m = model("ec2");
    const ops = seen.map(([op]) => op);
    expect(ops).toEqual(expect.arrayContaining(["RunInstances", "StopInstances", "DescribeInstances"]));
    for (const [op, output] of seen) {
      const [fast, ref] = both(m, m.operations[op]!.output!.shape, output);
      expect(fast).toBe(ref);
      expect(fast).toContain("<instanceId>i-");
    }
  });
});
