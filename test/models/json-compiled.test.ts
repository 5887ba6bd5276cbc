/**
 * The compiled AWS JSON output encoders (encodeJsonOutput) must write exactly the reference's bytes,
 * toJsonByReplacer(awsJsonOf(...)): for every output shape of the four AWS JSON models, over generated full
 * outputs and perturbed ones (nulls, wrong types, Dates, bytes, odd strings, non-arrays for lists, sparse arrays,
 * members the model does not have), recursion, and the answers of a running server.
 */
import { CreateClusterCommand, DescribeTasksCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { jsonCodec, toJsonByReplacer } from "../../src/protocols/json.js";
import { awsJsonOf, encodeJsonOutput } from "../../src/protocols/model/json-encode.js";
import type { ServiceModel } from "../../src/protocols/model/types.js";
import { clientConfig, startServer } from "../helpers.js";
import { generatedOutputs, model, perturb as perturbWith, rng } from "./gen.js";

const perturb = (v: unknown, r: () => number) => perturbWith(v, r, ODD, { sparse: 0.1, extra: 0.1 });

const ODD: unknown[] = [
  null,
  undefined,
  "",
  'a"b\\c\n\u0001\u2028 é 漢字 \ud83d\ude00 \ud800',
  "x".repeat(3000),
  0,
  -0,
  -1.5,
  1e21,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  new Date(0),
  new Date(Number.NaN),
  new Date("2026-01-02T03:04:05.678Z"),
  {},
  [],
  ["x", null, 3, undefined],
  { a: 1, extra: [null] },
  Buffer.from("hi"),
  new Uint8Array([1, 2, 3]),
  () => 1,
  Symbol("s"),
  1_700_000_000,
  "2026-01-02T03:04:05Z",
];

/** [compiled, reference] as latin1 text of the bytes (or the error thrown). */
function both(m: ServiceModel, shapeName: string, value: unknown): [string, string] {
  const run = (f: () => Buffer | undefined) => {
    try {
      return f()?.toString("latin1") ?? "(none)";
    } catch (e) {
      return `threw ${(e as Error).name}: ${(e as Error).message}`;
    }
  };
  const fast = run(() => encodeJsonOutput(m, shapeName, value, 16));
  const ref = run(() => {
    const shape = m.shapes[shapeName]!;
    const walkable = typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
    if (!walkable || shape.document) return undefined;
    const text = toJsonByReplacer(awsJsonOf(m, value, shapeName));
    return text === undefined ? undefined : Buffer.from(text);
  });
  return [fast, ref];
}

describe.each(["ecs", "logs", "ecr", "servicediscovery"])("%s: compiled JSON encoders equal the reference", (svc) => {
  it("for every operation's output, generated and perturbed", () => {
    const m = model(svc);
    const r = rng(7);
    let compared = 0;
    for (const [op, shape, full] of generatedOutputs(m)) {
      for (const v of [full, perturb(full, r), perturb(full, r), perturb(full, r)]) {
        const [fast, ref] = both(m, shape, v);
        if (fast !== ref) expect({ op, fast }).toEqual({ op, fast: ref });
        compared++;
      }
      // The generated output round-trips: the JSON holds every generated member, nothing else.
      const parsed = JSON.parse(encodeJsonOutput(m, shape, full)!.toString("utf8"));
      expect(Object.keys(parsed).sort(), op).toEqual(Object.keys(full as object).sort());
    }
    expect(compared).toBeGreaterThan(100);
  });

  it("for odd top-level values", () => {
    const m = model(svc);
    const op = Object.keys(m.operations).find((o) => m.operations[o]!.output)!;
    for (const v of ODD) {
      const [fast, ref] = both(m, m.operations[op]!.output!.shape, v);
      expect(fast).toBe(ref);
    }
  });
});

describe("ecs: what the model does not have is not sent", () => {
  it("unmodelled members, nulls and functions are left out; model order; documents as given", () => {
    const m = model("ecs");
    const out = encodeJsonOutput(m, "DescribeClustersResponse", {
      failures: [{ reason: "MISSING", arn: "a", internal: 1 }],
      clusters: [{ status: "ACTIVE", clusterName: "c", secret: "s", tags: null, registeredContainerInstancesCount: 0, f: () => 1 }],
    })!.toString("utf8");
    expect(out).toBe('{"clusters":[{"clusterName":"c","status":"ACTIVE","registeredContainerInstancesCount":0}],"failures":[{"arn":"a","reason":"MISSING"}]}');
  });

  it("a recursion deeper than 100 falls back to the reference, with the same bytes", () => {
    const m = model("ecs");
    // HookDetails is a document: whatever it holds is written as given, Dates as epoch seconds.
    const hook = { a: [1, { b: new Date(1000) }], c: null };
    const [fast, ref] = both(m, "DeploymentLifecycleHook", { hookDetails: hook });
    expect(fast).toBe(ref);
    let deep: unknown = "end";
    for (let i = 0; i < 150; i++) deep = [deep];
    const [f2, r2] = both(m, "DeploymentLifecycleHook", { hookDetails: deep });
    expect(f2).toBe(r2);
    expect(f2).toMatch(/^\{"hookDetails":\[{150}"end"/);
    // A structure that holds itself, 150 levels deep.
    const rec: ServiceModel = {
      metadata: { apiVersion: "x", protocol: "json", serviceId: "x", endpointPrefix: "x" },
      operations: {},
      shapes: {
        Node: { type: "structure", members: { name: { shape: "S" }, child: { shape: "Node" }, at: { shape: "T" } } },
        S: { type: "string" },
        T: { type: "timestamp" },
      },
    };
    let node: Record<string, unknown> = { name: "leaf" };
    for (let i = 0; i < 150; i++) node = { child: node, name: `n${i}`, at: new Date(i * 1000), extra: i };
    const [f3, r3] = both(rec, "Node", node);
    expect(f3).toBe(r3);
    expect(f3.startsWith('{"name":"n149","child":{"name":"n148","child":')).toBe(true);
    const [f4, r4] = both(rec, "Node", { child: { child: { name: "x", at: 1.5 } } });
    expect(f4).toBe(r4);
    expect(f4).toBe('{"child":{"child":{"name":"x","at":1.5}}}');
  });
});

describe("ecs: real answers", () => {
  it("RunTask and DescribeTasks outputs of a server encode identically, and the SDK reads them", async () => {
    const server = await startServer();
    const seen: Array<[string, unknown]> = [];
    const encode = jsonCodec.encode;
    jsonCodec.encode = (output, op, ...rest) => {
      seen.push([op, output]);
      return encode(output, op, ...rest);
    };
    try {
      const ecs = new ECSClient(clientConfig(server));
      await ecs.send(new CreateClusterCommand({ clusterName: "j" }));
      await ecs.send(new RegisterTaskDefinitionCommand({ family: "j", containerDefinitions: [{ name: "c", image: "busybox", memory: 64 }] }));
      const run = await ecs.send(new RunTaskCommand({ cluster: "j", taskDefinition: "j", count: 2, tags: [{ key: "k", value: "é +/=@" }] }));
      const d = await ecs.send(new DescribeTasksCommand({ cluster: "j", tasks: run.tasks!.map((t) => t.taskArn!), include: ["TAGS"] }));
      expect(d.tasks?.map((t) => t.tags)).toEqual([[{ key: "k", value: "é +/=@" }], [{ key: "k", value: "é +/=@" }]]);
      expect(d.tasks?.[0]?.createdAt).toBeInstanceOf(Date);
    } finally {
      jsonCodec.encode = encode;
      await server.stop();
    }
    const m = model("ecs");
    expect(seen.map(([op]) => op)).toEqual(expect.arrayContaining(["RunTask", "DescribeTasks"]));
    for (const [op, output] of seen) {
      const [fast, ref] = both(m, m.operations[op]!.output!.shape, output);
      expect(fast).toBe(ref);
    }
  });
});
