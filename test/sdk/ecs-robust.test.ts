/**
 * ECS handlers survive any JSON value in any member: for every operation with a handler, each member path
 * of its input shape (from the committed model, three levels deep) is set to values of the wrong type on
 * top of a plausible request. No answer may be a 5xx, and every error is an AWS JSON error.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import ecsDef from "../../src/services/ecs/index.js";
import { useServer } from "../helpers.js";

interface Shape {
  type: string;
  members?: Record<string, { shape: string }>;
  member?: { shape: string };
  value?: { shape: string };
}
const model = JSON.parse(readFileSync(new URL("../../models/ecs.json", import.meta.url), "utf8")) as {
  operations: Record<string, { input?: { shape: string } }>;
  shapes: Record<string, Shape>;
};

/** Member paths of a shape: ["cluster"], ["overrides", "containerOverrides", 0, "command"], ... */
function paths(shapeName: string, depth: number, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const s = model.shapes[shapeName]!;
  if (s.type !== "structure" || depth === 0) return [];
  const out: Array<Array<string | number>> = [];
  for (const [name, m] of Object.entries(s.members ?? {})) {
    const p = [...prefix, name];
    out.push(p);
    const inner = model.shapes[m.shape]!;
    if (inner.type === "structure") out.push(...paths(m.shape, depth - 1, p));
    else if (inner.type === "list" && model.shapes[inner.member!.shape]!.type === "structure") out.push(...paths(inner.member!.shape, depth - 1, [...p, 0]));
  }
  return out;
}

function setPath(base: Record<string, unknown>, path: Array<string | number>, value: unknown): Record<string, unknown> {
  const root = structuredClone(base);
  let cur: Record<string | number, unknown> = root;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    const nextIsIndex = typeof path[i + 1] === "number";
    const existing = cur[k];
    if (typeof existing !== "object" || existing === null) cur[k] = nextIsIndex ? [] : {};
    cur = cur[k] as Record<string | number, unknown>;
  }
  cur[path[path.length - 1]!] = value;
  return root;
}

/** Plausible values for common members, so requests reach the handler's deeper code. */
const BASE: Record<string, unknown> = {
  cluster: "fz",
  taskDefinition: "fz",
  family: "fz",
  service: "fzs",
  serviceName: "fzs2",
  containerDefinitions: [{ name: "c", image: "busybox", memory: 64 }],
  name: "fzcp",
  capacityProvider: "fzcp",
  task: "t",
  tasks: ["t"],
};

const BAD: unknown[] = [7, "x", { k: [1] }, [{ x: null }]];

const sim = useServer();

async function call(op: string, body: unknown): Promise<{ status: number; text: string }> {
  const r = await fetch(sim.server.url, {
    method: "POST",
    headers: { "x-amz-target": `AmazonEC2ContainerServiceV20141113.${op}`, "content-type": "application/x-amz-json-1.1" },
    body: JSON.stringify(body),
  });
  return { status: r.status, text: await r.text() };
}

describe("unknown task definitions (issue 11)", () => {
  const j = async (op: string, body: unknown) => {
    const r = await call(op, body);
    return { status: r.status, body: JSON.parse(r.text) as { __type?: string; message?: string } };
  };
  it("RunTask/StartTask/CreateService/UpdateService: ClientException TaskDefinition not found.; Describe: Unable to describe task definition.; Deregister: The specified task definition does not exist.", async () => {
    await call("CreateCluster", { clusterName: "tdx" });
    await call("RegisterTaskDefinition", { family: "real", containerDefinitions: [{ name: "c", image: "busybox", memory: 64 }] });
    await call("CreateService", { cluster: "tdx", serviceName: "s", taskDefinition: "real", desiredCount: 0 });
    const notFound = { status: 400, body: { __type: "ClientException", message: "TaskDefinition not found." } };
    expect(await j("RunTask", { cluster: "tdx", taskDefinition: "ghost" })).toEqual(notFound);
    expect(await j("RunTask", { cluster: "tdx", taskDefinition: "real:9" })).toEqual(notFound);
    expect(await j("StartTask", { cluster: "tdx", taskDefinition: "ghost", containerInstances: ["x"] })).toEqual(notFound);
    expect(await j("CreateService", { cluster: "tdx", serviceName: "s2", taskDefinition: "ghost" })).toEqual(notFound);
    expect(await j("UpdateService", { cluster: "tdx", service: "s", taskDefinition: "ghost:1" })).toEqual(notFound);
    const unable = { status: 400, body: { __type: "ClientException", message: "Unable to describe task definition." } };
    expect(await j("DescribeTaskDefinition", { taskDefinition: "real:7" })).toEqual(unable);
    // DeregisterTaskDefinition has its own text (cloud-custodian and grucloud match it against AWS).
    expect(await j("DeregisterTaskDefinition", { taskDefinition: "real:7" })).toEqual({
      status: 400,
      body: { __type: "ClientException", message: "The specified task definition does not exist." },
    });
  });
});

describe("ECS robustness", () => {
  it("no handler answers 5xx to a wrong-typed member anywhere", async () => {
    await call("CreateCluster", { clusterName: "fz" });
    await call("RegisterTaskDefinition", { family: "fz", containerDefinitions: [{ name: "c", image: "busybox", memory: 64 }] });
    await call("CreateService", { cluster: "fz", serviceName: "fzs", taskDefinition: "fz", desiredCount: 1 });
    const bad: string[] = [];
    let sent = 0;
    for (const op of Object.keys(ecsDef.operations)) {
      const input = model.operations[op]?.input?.shape;
      if (!input) continue;
      const members = Object.keys(model.shapes[input]!.members ?? {});
      const base = Object.fromEntries(members.filter((m) => m in BASE).map((m) => [m, BASE[m]]));
      const bodies: unknown[] = [base];
      for (const p of paths(input, 3)) for (const v of BAD) bodies.push(setPath(base, p, v));
      const results = await Promise.all(bodies.map((b) => call(op, b)));
      sent += results.length;
      results.forEach((r, i) => {
        if (r.status >= 500 && r.status !== 501) bad.push(`${op} ${JSON.stringify(bodies[i])} -> ${r.status} ${r.text.slice(0, 200)}`);
        else if (r.status >= 400) expect(r.text).toMatch(/"__type"/);
      });
    }
    expect(sent).toBeGreaterThan(1000);
    expect(bad.slice(0, 20)).toEqual([]);
  }, 60_000);
});
