/**
 * Reset drops state and everything that still refers to it: nothing a request or a resource left behind keeps
 * the dropped state alive (found with bench/soak.mjs SOAK_GC=1 and heap snapshots; see bench/README.md).
 */
import { CreateClusterCommand, ECSClient, ListTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from "@aws-sdk/client-ecs";
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fullGc, gcSoon } from "../../src/services/core/gc.js";
import { clientConfig, startServer, type AwsimServer } from "../helpers.js";
import { ROLE, zip } from "./lambda-helpers.js";

describe("reset leaves nothing behind", () => {
  let server: AwsimServer;
  const health = async () => (await (await fetch(`${server.url}/_awsim/health`)).json()) as { runningTasks: number };
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server?.stop());

  it("resetting ECS alone releases its tasks from the task runner", async () => {
    const ecs = new ECSClient(clientConfig(server));
    await ecs.send(new CreateClusterCommand({}));
    await ecs.send(new RegisterTaskDefinitionCommand({ family: "leak", containerDefinitions: [{ name: "app", image: "busybox", memory: 64 }] }));
    for (let i = 0; i < 5; i++) await ecs.send(new RunTaskCommand({ taskDefinition: "leak", count: 10 }));
    expect((await ecs.send(new ListTasksCommand({ maxResults: 100 }))).taskArns).toHaveLength(50);
    expect((await health()).runningTasks).toBe(50);
    const r = await fetch(`${server.url}/_awsim/reset?service=ecs`, { method: "POST" });
    expect(r.status).toBe(200);
    expect((await health()).runningTasks).toBe(0);
    // The runner forgot them: ECS starts afresh and counts only new tasks.
    await ecs.send(new CreateClusterCommand({}));
    await ecs.send(new RegisterTaskDefinitionCommand({ family: "leak", containerDefinitions: [{ name: "app", image: "busybox", memory: 64 }] }));
    await ecs.send(new RunTaskCommand({ taskDefinition: "leak", count: 2 }));
    expect((await health()).runningTasks).toBe(2);
    await server.reset();
    expect((await health()).runningTasks).toBe(0);
  });

  it("reset cancels the timers of running durable executions (a year's timeout would hold the dropped state)", async () => {
    const lambda = new LambdaClient(clientConfig(server));
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: "durable-leak",
        Runtime: "nodejs22.x",
        Role: ROLE,
        Handler: "index.handler",
        Code: { ZipFile: zip({ "index.js": "exports.handler = async () => ({})" }) },
        DurableConfig: { ExecutionTimeout: 7777, RetentionPeriodInDays: 1 },
      }),
    );
    // The execution-timeout timer each execution arms (spied on, since unref'd timers are invisible otherwise).
    const spy = vi.spyOn(globalThis, "setTimeout");
    let armed: Array<NodeJS.Timeout & { _destroyed: boolean }>;
    try {
      for (let i = 0; i < 5; i++) {
        const inv = await lambda.send(new InvokeCommand({ FunctionName: "durable-leak:$LATEST", Payload: Buffer.from("{}"), DurableExecutionName: `e${i}` }));
        expect(inv.DurableExecutionArn).toContain(`/durable-execution/e${i}/`);
      }
      armed = spy.mock.calls.flatMap((c, i) => (c[1] === 7_777_000 ? [spy.mock.results[i]!.value] : []));
    } finally {
      spy.mockRestore();
    }
    expect(armed).toHaveLength(5);
    expect(armed.every((t) => !t._destroyed)).toBe(true);
    await server.reset("lambda");
    expect(armed.filter((t) => !t._destroyed)).toHaveLength(0);
  });

  it("the full GC a reset schedules (debounced) collects what nothing references any more", async () => {
    const tick = () => new Promise((r) => setImmediate(r));
    let dropped: { big: number[] } | undefined = { big: new Array(100_000).fill(1) };
    const ref = new WeakRef(dropped);
    dropped = undefined;
    await tick(); // a WeakRef's target lives until the end of the job that made it
    expect(fullGc()).toBe(true);
    expect(ref.deref()).toBeUndefined();
    let again: object | undefined = { big: new Array(100_000).fill(2) };
    const ref2 = new WeakRef(again);
    again = undefined;
    await tick();
    gcSoon(10);
    for (let i = 0; i < 100 && ref2.deref(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(ref2.deref()).toBeUndefined();
  });
});
