/** The process runner, driven directly through the TaskRunner interface. */
import { afterEach, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config.js";
import { ProcessRunner } from "../../src/runtime/process-runner.js";
import type { ContainerSpec, RunEvent } from "../../src/runtime/types.js";
import { alive } from "../helpers.js";

let runner: ProcessRunner;
afterEach(async () => {
  await runner?.stopAll();
});

const c = (name: string, argv: string[], extra: Partial<ContainerSpec> = {}): ContainerSpec => ({
  name,
  argv,
  env: {},
  essential: true,
  stopTimeoutSec: 30,
  ...extra,
});

function run(containers: ContainerSpec[], id = `t${Math.random().toString(16).slice(2)}`) {
  runner ??= new ProcessRunner(defaultConfig());
  const events: RunEvent[] = [];
  let stopped!: () => void;
  const done = new Promise<void>((r) => (stopped = r));
  runner.start({ id, containers }, (e) => {
    events.push(e);
    if (e.type === "task-stopped") stopped();
  });
  const waitFor = async (pred: (e: RunEvent) => boolean, ms = 10_000) => {
    const t0 = Date.now();
    while (!events.some(pred)) {
      if (Date.now() - t0 > ms) throw new Error(`timeout; events: ${JSON.stringify(events)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { id, events, done, waitFor };
}

describe("ProcessRunner", () => {
  runner = new ProcessRunner(defaultConfig());

  it("runs a command, reports its output lines and exit code 0", async () => {
    const t = run([c("app", ["sh", "-c", "echo hello; echo oops >&2; printf 'no newline'"])]);
    await t.done;
    const out = t.events.filter((e) => e.type === "output") as Extract<RunEvent, { type: "output" }>[];
    expect(out.map((e) => [e.stream, e.line]).sort()).toEqual([
      ["stderr", "oops"],
      ["stdout", "hello"],
      ["stdout", "no newline"],
    ]);
    const exit = t.events.find((e) => e.type === "container-exited") as Extract<RunEvent, { type: "container-exited" }>;
    expect(exit.exitCode).toBe(0);
    expect(t.events[0]!.type).toBe("container-started");
    expect(t.events[t.events.length - 1]!.type).toBe("task-stopped");
  });

  it("reports a failing exit code and env/cwd as given", async () => {
    const t = run([c("app", ["sh", "-c", 'echo "$GREETING in $(pwd)"; exit 3'], { env: { GREETING: "hi" }, cwd: "/tmp" })]);
    await t.done;
    expect((t.events.find((e) => e.type === "output") as { line: string }).line).toBe("hi in /tmp");
    expect((t.events.find((e) => e.type === "container-exited") as { exitCode: number }).exitCode).toBe(3);
  });

  it("a missing binary cannot start: no exit code, CannotStartContainerError", async () => {
    const t = run([c("app", ["definitely-not-a-binary-xyz"])]);
    await t.done;
    expect(t.events.some((e) => e.type === "container-started")).toBe(false);
    const exit = t.events.find((e) => e.type === "container-exited") as Extract<RunEvent, { type: "container-exited" }>;
    expect(exit.exitCode).toBeUndefined();
    expect(exit.reason).toMatch(/^CannotStartContainerError: .*executable file not found in \$PATH/);
  });

  it("stop sends SIGTERM to the process group (handled: the exit code is the process's)", async () => {
    const t = run([c("app", ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.05; done"])]);
    await t.waitFor((e) => e.type === "container-started");
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    await runner.stop(t.id);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect((t.events.find((e) => e.type === "container-exited") as { exitCode: number }).exitCode).toBe(0);
  });

  it("SIGKILL after stopTimeout for a process that ignores SIGTERM (exit code 137)", async () => {
    const t = run([c("app", ["sh", "-c", "trap '' TERM; while :; do sleep 0.05; done"], { stopTimeoutSec: 1 })]);
    await t.waitFor((e) => e.type === "container-started");
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    await runner.stop(t.id);
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(4000);
    expect((t.events.find((e) => e.type === "container-exited") as { exitCode: number }).exitCode).toBe(137);
  });

  it("a container without a command runs until stopped", async () => {
    const t = run([c("web", [])]);
    await t.waitFor((e) => e.type === "container-started");
    expect(runner.running()).toBeGreaterThan(0);
    await runner.stop(t.id);
    expect((t.events.find((e) => e.type === "container-exited") as { exitCode: number }).exitCode).toBe(0);
  });

  it("dependsOn: SUCCESS waits for the dependency's exit 0; a failed dependency means never", async () => {
    const t = run([
      c("app", ["sh", "-c", "echo app"], { dependsOn: [{ containerName: "init", condition: "SUCCESS" }] }),
      c("init", ["sh", "-c", "sleep 0.2; echo init"], { essential: false }),
    ]);
    await t.done;
    const lines = (t.events.filter((e) => e.type === "output") as { line: string }[]).map((e) => e.line);
    expect(lines).toEqual(["init", "app"]);

    const f = run([
      c("app", ["sh", "-c", "echo app"], { dependsOn: [{ containerName: "init", condition: "SUCCESS" }] }),
      c("init", ["sh", "-c", "exit 1"], { essential: false }),
    ]);
    await f.done;
    const appExit = f.events.find((e) => e.type === "container-exited" && e.container === "app") as { reason?: string; exitCode?: number };
    expect(appExit.exitCode).toBeUndefined();
    expect(appExit.reason).toMatch(/DependencyConditionNotMet/);
  });

  it("health checks report HEALTHY and UNHEALTHY; HEALTHY dependencies start after", async () => {
    const t = run([
      c("db", ["sh", "-c", "sleep 0.3; touch ready; sleep 30"], {
        healthCheck: { command: ["CMD-SHELL", "test -f ready"], intervalSec: 0.1, timeoutSec: 2, retries: 3, startPeriodSec: 0 },
      }),
      c("app", ["sh", "-c", "echo up"], { dependsOn: [{ containerName: "db", condition: "HEALTHY" }] }),
    ]);
    await t.waitFor((e) => e.type === "output" && e.line === "up");
    const idx = (pred: (e: RunEvent) => boolean) => t.events.findIndex(pred);
    expect(idx((e) => e.type === "container-health" && e.status === "HEALTHY")).toBeLessThan(idx((e) => e.type === "output"));
    await runner.stop(t.id);

    const u = run([c("svc", ["sleep", "30"], { healthCheck: { command: ["CMD", "false"], intervalSec: 0.05, timeoutSec: 1, retries: 2, startPeriodSec: 0 } })]);
    await u.waitFor((e) => e.type === "container-health" && e.status === "UNHEALTHY");
    await runner.stop(u.id);
  });

  it("stopAll leaves no process behind, grandchildren included", async () => {
    const pids: number[] = [];
    const tasks = [0, 1, 2].map(() => run([c("app", ["sh", "-c", "sleep 100 & echo $!; wait"])]));
    for (const t of tasks) {
      await t.waitFor((e) => e.type === "output");
      pids.push(Number((t.events.find((e) => e.type === "output") as { line: string }).line));
      pids.push((t.events.find((e) => e.type === "container-started") as { pid: number }).pid);
    }
    expect(pids.every(alive)).toBe(true);
    await runner.stopAll();
    await new Promise((r) => setTimeout(r, 50));
    expect(pids.filter(alive)).toEqual([]);
    expect(runner.running()).toBe(0);
  });

  it("100 tasks at once do not stall the event loop", async () => {
    const r = new ProcessRunner(defaultConfig({ maxConcurrentTasks: 8 }));
    let stopped = 0;
    const all = new Promise<void>((resolve) => {
      for (let i = 0; i < 100; i++)
        r.start({ id: `bulk${i}`, containers: [c("x", ["true"])] }, (e) => e.type === "task-stopped" && ++stopped === 100 && resolve());
    });
    // A stall is time the process spent busy between two ticks: the wall-clock gap, bounded by the CPU time this
    // process used in it. On a loaded machine (the suite's workers share two cores) a gap can also be time the
    // process was not scheduled at all, which says nothing about the runner.
    let maxLag = 0;
    let maxGap = 0;
    let last = performance.now();
    let lastCpu = process.cpuUsage();
    const timer = setInterval(() => {
      const now = performance.now();
      const cpu = process.cpuUsage(lastCpu);
      const gap = now - last - 10;
      maxGap = Math.max(maxGap, gap);
      maxLag = Math.max(maxLag, Math.min(gap, (cpu.user + cpu.system) / 1000 - 10));
      last = now;
      lastCpu = process.cpuUsage();
    }, 10);
    await all;
    clearInterval(timer);
    expect(stopped).toBe(100);
    expect(maxLag, `longest gap ${maxGap.toFixed(0)} ms`).toBeLessThan(500);
    await r.stopAll();
  });
});
