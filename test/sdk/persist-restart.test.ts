/** --persist: state survives a graceful stop, and kill -9 right after successful answers. */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateClusterCommand,
  CreateExpressGatewayServiceCommand,
  CreateServiceCommand,
  DescribeDaemonTaskDefinitionCommand,
  DescribeExpressGatewayServiceCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterDaemonTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from "@aws-sdk/client-ecs";
import { type AwsimServer, clientConfig, startServer } from "../helpers.js";
import { observe, seed } from "./persist-helpers.js";

const ROOT = new URL("../../", import.meta.url).pathname;
// The bundle sits three levels below the repo root, as src/protocols/model/load.ts does, so models/ resolves.
const BUNDLE = join(ROOT, "node_modules/.cache/awsim-persist-test/cli.mjs");

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "awsim-persist-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("--persist in process", () => {
  it("every service's resources survive stop and start with equal describe outputs", async () => {
    const dataDir = tmp();
    const a = await startServer({ persist: true, dataDir });
    await seed(a);
    const before = await observe(a);
    // Present before the restart, so the comparison below cannot pass on two empty lists.
    expect([before.hosts, before.eventWindows, before.serviceDeployments, before.serviceRevisions].map((l) => (l as unknown[]).length)).toEqual([1, 1, 1, 1]);
    expect(before.metadataDefaults).toMatchObject({ HttpTokens: "required" });
    await a.stop();
    const b = await startServer({ persist: true, dataDir });
    expect(await observe(b)).toEqual(before);
    await b.stop();
  });

  it("ECS daemon task definitions and Express Mode services survive a restart", async () => {
    const dataDir = tmp();
    const look = async (server: AwsimServer) => {
      const ecs = new ECSClient(clientConfig(server));
      const td = (await ecs.send(new DescribeDaemonTaskDefinitionCommand({ daemonTaskDefinition: "agent" }))).daemonTaskDefinition!;
      const svc = (await ecs.send(new DescribeExpressGatewayServiceCommand({ serviceArn: "arn:aws:ecs:us-east-1:000000000000:service/default/web" }))).service!;
      return {
        td: [td.daemonTaskDefinitionArn, td.containerDefinitions?.[0]?.image],
        svc: [svc.serviceArn, svc.activeConfigurations?.[0]?.primaryContainer?.image],
      };
    };
    const a = await startServer({ persist: true, dataDir });
    const ecs = new ECSClient(clientConfig(a));
    await ecs.send(new RegisterDaemonTaskDefinitionCommand({ family: "agent", containerDefinitions: [{ name: "a", image: "agent:1" }] }));
    await ecs.send(
      new CreateExpressGatewayServiceCommand({
        serviceName: "web",
        executionRoleArn: "arn:aws:iam::000000000000:role/ecsTaskExecutionRole",
        infrastructureRoleArn: "arn:aws:iam::000000000000:role/ecsInfrastructureRole",
        primaryContainer: { image: "nginx:1" },
      }),
    );
    const before = await look(a);
    expect(before).toEqual({
      td: ["arn:aws:ecs:us-east-1:000000000000:daemon-task-definition/agent:1", "agent:1"],
      svc: ["arn:aws:ecs:us-east-1:000000000000:service/default/web", "nginx:1"],
    });
    await a.stop();
    const b = await startServer({ persist: true, dataDir });
    expect(await look(b)).toEqual(before);
    await b.stop();
  });

  it("execute mode: tasks that were running come back STOPPED (awsim restarted) and services replace them", async () => {
    const dataDir = tmp();
    const a = await startServer({ persist: true, dataDir, execute: true });
    const ecs = new ECSClient(clientConfig(a));
    await ecs.send(new CreateClusterCommand({ clusterName: "ex" }));
    const cmd = ["sh", "-c", "while :; do sleep 0.2; done"];
    await ecs.send(new RegisterTaskDefinitionCommand({ family: "ex", containerDefinitions: [{ name: "c", image: "x", command: cmd, memory: 64 }] }));
    const run = await ecs.send(new RunTaskCommand({ cluster: "ex", taskDefinition: "ex" }));
    await ecs.send(new CreateServiceCommand({ cluster: "ex", serviceName: "exs", taskDefinition: "ex", desiredCount: 1 }));
    await expect
      .poll(async () => (await ecs.send(new DescribeTasksCommand({ cluster: "ex", tasks: [run.tasks![0]!.taskArn!] }))).tasks![0]!.lastStatus, {
        timeout: 10_000,
      })
      .toBe("RUNNING");
    const before = (await ecs.send(new ListTasksCommand({ cluster: "ex", serviceName: "exs" }))).taskArns!;
    await a.stop();

    const b = await startServer({ persist: true, dataDir, execute: true });
    const ecs2 = new ECSClient(clientConfig(b));
    const t = (await ecs2.send(new DescribeTasksCommand({ cluster: "ex", tasks: [run.tasks![0]!.taskArn!, ...before] }))).tasks!;
    for (const x of t) {
      expect(x.lastStatus).toBe("STOPPED");
      expect(x.stopCode).toBe("TaskFailedToStart");
      expect(x.stoppedReason).toBe("awsim restarted");
    }
    await expect
      .poll(
        async () =>
          (await ecs2.send(new ListTasksCommand({ cluster: "ex", serviceName: "exs", desiredStatus: "RUNNING" }))).taskArns!.filter((x) => !before.includes(x))
            .length,
        { timeout: 10_000 },
      )
      .toBe(1);
    await b.stop();
  });

  it("files from an interrupted write are ignored and orphan S3 bodies collected", async () => {
    const dataDir = tmp();
    const a = await startServer({ persist: true, dataDir });
    await fetch(`${a.url}/keep`, { method: "PUT" });
    await a.stop();
    const { writeFileSync } = await import("node:fs");
    // An interrupted compaction's temp file, an orphan body, an orphan journal link.
    writeFileSync(join(dataDir, "state", "snap-7.v8.tmp"), "partial");
    writeFileSync(join(dataDir, "obj-orphan"), "orphan");
    writeFileSync(join(dataDir, "state", "bodies", "obj-gone"), "orphan");
    const b = await startServer({ persist: true, dataDir });
    expect((await fetch(`${b.url}/keep`, { method: "HEAD" })).status).toBe(200);
    expect(readdirSync(dataDir)).not.toContain("obj-orphan");
    expect(readdirSync(join(dataDir, "state"))).not.toContain("snap-7.v8.tmp");
    expect(readdirSync(join(dataDir, "state", "bodies"))).not.toContain("obj-gone");
    await b.stop();
  });

  it("refuses state of an unknown format version with one line", async () => {
    const { serialize } = await import("node:v8");
    const { writeFileSync } = await import("node:fs");
    const { frame } = await import("../../src/persist/log.js");
    // Version 2 layout (snapshot + log) written by a future version.
    const dataDir = tmp();
    mkdirSync(join(dataDir, "state"), { recursive: true });
    writeFileSync(join(dataDir, "state", "log-0.bin"), frame([serialize({ format: "awsim-state", version: 99, kind: "log", gen: 0 })]));
    await expect(startServer({ persist: true, dataDir })).rejects.toThrow(
      /log-0\.bin was written in state format version 99; this awsim reads versions 1 and 2 only/,
    );
    // Version 1 layout (one file per scope) with a version it never had.
    const old = tmp();
    mkdirSync(join(old, "state", "s3"), { recursive: true });
    writeFileSync(join(old, "state", "s3", "x.v8"), serialize({ format: "awsim-snapshot", version: 99, key: "*", state: {} }));
    await expect(startServer({ persist: true, dataDir: old })).rejects.toThrow(/state format version 99; this awsim reads versions 1 and 2 only/);
  });
});

const exited = (p: ChildProcess) => new Promise((r) => (p.exitCode !== null || p.signalCode !== null ? r(undefined) : p.once("exit", r)));

interface Child {
  proc: ChildProcess;
  url: string;
}

function startCli(dataDir: string, extra: string[] = [], env: Record<string, string> = {}): Promise<Child> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [BUNDLE, "--port", "0", "--log-level", "silent", "--persist", "--data-dir", dataDir, ...extra], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    proc.stdout!.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ proc, url: m[1]! });
    });
    proc.stderr!.on("data", (d) => (err += d));
    proc.on("exit", (code) => reject(new Error(`awsim exited ${code}: ${err}`)));
  });
}

describe("--persist across kill -9 (the CLI in a child process)", () => {
  beforeAll(async () => {
    const { build } = await import("rolldown");
    await build({
      input: join(ROOT, "src/cli.ts"),
      platform: "node",
      external: [/^[^./]/],
      logLevel: "silent",
      output: { file: BUNDLE, format: "esm", codeSplitting: false },
    });
  }, 120_000);

  // The third run compacts every ~200 KB of log, so the kill may land during or between compactions, and
  // also deletes: an acknowledged deletion must stay deleted.
  for (const [fsync, compact] of [
    ["batch", ""],
    ["never", ""],
    ["batch", "200000"],
  ] as const) {
    it(`every acknowledged PUT is intact after SIGKILL at a random moment (--fsync ${fsync}${compact ? ", frequent compaction, deletes" : ""})`, async () => {
      const dataDir = tmp();
      const first = await startCli(dataDir, ["--fsync", fsync], compact ? { AWSIM_PERSIST_COMPACT_BYTES: compact } : {});
      const deleted = new Set<string>();
      await fetch(`${first.url}/crash`, { method: "PUT" });
      const acked = new Map<string, string>();
      const t0 = Date.now();
      let stop = false;
      const worker = async (w: number) => {
        for (let i = 0; !stop; i++) {
          const key = `k-${w}-${i}`;
          // Mostly small bodies; every 7th above S3's in-memory threshold (a file in the data dir).
          const body = randomBytes(i % 7 === 0 ? 300 * 1024 : 100 + (i % 50) * 40);
          try {
            const r = await fetch(`${first.url}/crash/${key}`, { method: "PUT", body });
            if (r.status === 200) acked.set(key, createHash("md5").update(body).digest("hex"));
            if (compact && r.status === 200 && i % 4 === 1) {
              // A deletion cut by the kill may or may not have happened: the key is no longer checked.
              acked.delete(key);
              const d = await fetch(`${first.url}/crash/${key}`, { method: "DELETE" });
              if (d.status === 204) deleted.add(key);
            }
          } catch {
            return; // the server is gone
          }
        }
      };
      const workers = [0, 1, 2, 3, 4, 5].map(worker);
      // Kill at a random moment once the server is warm (a random number of PUTs acknowledged).
      const target = 30 + Math.floor(Math.random() * 60);
      while (acked.size < target && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 1 + Math.random() * 5));
      first.proc.kill("SIGKILL");
      stop = true;
      await Promise.all(workers);
      await exited(first.proc);
      expect(acked.size).toBeGreaterThanOrEqual(target);
      console.log(`--fsync ${fsync}: ${acked.size} PUTs acknowledged before SIGKILL`);

      const second = await startCli(dataDir);
      try {
        for (const key of deleted) expect((await fetch(`${second.url}/crash/${key}`, { method: "HEAD" })).status, key).toBe(404);
        for (const [key, md5] of acked) {
          const r = await fetch(`${second.url}/crash/${key}`);
          expect(r.status, key).toBe(200);
          expect(
            createHash("md5")
              .update(Buffer.from(await r.arrayBuffer()))
              .digest("hex"),
            key,
          ).toBe(md5);
        }
        // Nothing partial: every listed object (acknowledged or not) reads back whole.
        const list = await (await fetch(`${second.url}/crash?list-type=2&max-keys=1000`)).text();
        const keys = [...list.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]!);
        const sizes = [...list.matchAll(/<Size>(\d+)<\/Size>/g)].map((m) => Number(m[1]));
        expect(keys.length).toBeGreaterThanOrEqual(Math.min(acked.size, 1000));
        for (let i = 0; i < Math.min(keys.length, 200); i++) {
          const r = await fetch(`${second.url}/crash/${keys[i]}`);
          expect((await r.arrayBuffer()).byteLength).toBe(sizes[i]);
        }
      } finally {
        second.proc.kill("SIGTERM");
        await exited(second.proc);
      }
    }, 150_000);
  }
});
