/** --execute mode: ECS tasks as real processes, output into CloudWatch Logs, services replacing crashed tasks. */
import { CloudWatchLogsClient, FilterLogEventsCommand, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ContainerDefinition,
  type Task,
  waitUntilTasksStopped,
} from "@aws-sdk/client-ecs";
import { spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { alive, clientConfig, startServer, useServer } from "../helpers.js";

let n = 0;

const sim = useServer({ execute: true }, (cfg) => ({ ecs: new ECSClient(cfg), logs: new CloudWatchLogsClient(cfg) }));
beforeAll(async () => {
  await sim.ecs.send(new CreateClusterCommand({ clusterName: "x" }));
});

const awslogs = (group: string) => ({
  logDriver: "awslogs" as const,
  options: { "awslogs-group": group, "awslogs-stream-prefix": "ecs", "awslogs-create-group": "true" },
});

async function run(containers: ContainerDefinition[], extra: Record<string, unknown> = {}): Promise<Task> {
  const family = `f${++n}`;
  await sim.ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: containers }));
  return (await sim.ecs.send(new RunTaskCommand({ cluster: "x", taskDefinition: family, ...extra }))).tasks![0]!;
}

async function until(taskArn: string, pred: (t: Task) => boolean, ms = 15_000): Promise<Task> {
  const t0 = Date.now();
  for (;;) {
    const t = (await sim.ecs.send(new DescribeTasksCommand({ cluster: "x", tasks: [taskArn] }))).tasks![0]!;
    if (pred(t)) return t;
    if (Date.now() - t0 > ms) throw new Error(`timeout: ${JSON.stringify({ lastStatus: t.lastStatus, containers: t.containers })}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const stopped = (arn: string) => until(arn, (t) => t.lastStatus === "STOPPED");

describe("ECS tasks as real processes", () => {
  it("an echo exits 0: STOPPED with exitCode 0 and its line in CloudWatch Logs", async () => {
    const t = await run([{ name: "app", image: "alpine", command: ["echo", "hello from ecs"], logConfiguration: awslogs("/ecs/echo") }]);
    const w = await waitUntilTasksStopped({ client: sim.ecs, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { cluster: "x", tasks: [t.taskArn!] });
    expect(w.state).toBe("SUCCESS");
    const s = await stopped(t.taskArn!);
    expect(s.containers![0]!.exitCode).toBe(0);
    expect(s.stopCode).toBe("EssentialContainerExited");
    expect(s.stoppedReason).toBe("Essential container in task exited");
    const id = t.taskArn!.split("/").pop();
    const ev = await sim.logs.send(new FilterLogEventsCommand({ logGroupName: "/ecs/echo" }));
    expect(ev.events!.map((e) => [e.logStreamName, e.message])).toEqual([[`ecs/app/${id}`, "hello from ecs"]]);
  });

  it("a failing command reports exit code 1; a missing binary fails to start", async () => {
    const f = await run([{ name: "app", image: "x", command: ["sh", "-c", "echo bad >&2; exit 1"] }]);
    expect((await stopped(f.taskArn!)).containers![0]!.exitCode).toBe(1);
    const m = await run([{ name: "app", image: "x", command: ["no-such-binary-awsim"] }]);
    const s = await stopped(m.taskArn!);
    expect(s.stopCode).toBe("TaskFailedToStart");
    expect(s.stoppedReason).toMatch(/^CannotStartContainerError: .*executable file not found in \$PATH/);
    expect(s.containers![0]!.exitCode).toBeUndefined();
  });

  it("environment: task definition + overrides + what ECS injects; workingDirectory", async () => {
    const t = await run(
      [
        {
          name: "app",
          image: "x",
          command: ["sh", "-c", 'echo "$A $B $AWS_REGION $AWS_EXECUTION_ENV $(pwd)"'],
          environment: [
            { name: "A", value: "1" },
            { name: "B", value: "2" },
          ],
          workingDirectory: "/tmp",
          logConfiguration: awslogs("/ecs/env"),
        },
      ],
      { overrides: { containerOverrides: [{ name: "app", environment: [{ name: "B", value: "over" }] }] } },
    );
    await stopped(t.taskArn!);
    const ev = await sim.logs.send(new FilterLogEventsCommand({ logGroupName: "/ecs/env" }));
    expect(ev.events![0]!.message).toBe("1 over us-east-1 AWS_ECS_EC2 /tmp");
  });

  it("a long-running task: RUNNING until StopTask; SIGTERM honoured", async () => {
    const t = await run([
      { name: "app", image: "x", command: ["sh", "-c", "trap 'echo bye; exit 0' TERM; while :; do sleep 0.05; done"], logConfiguration: awslogs("/ecs/long") },
    ]);
    expect(t.lastStatus).toBe("RUNNING");
    await new Promise((r) => setTimeout(r, 300));
    expect((await sim.ecs.send(new DescribeTasksCommand({ cluster: "x", tasks: [t.taskArn!] }))).tasks![0]!.lastStatus).toBe("RUNNING");
    const stop = (await sim.ecs.send(new StopTaskCommand({ cluster: "x", task: t.taskArn! }))).task!;
    expect(stop.desiredStatus).toBe("STOPPED");
    const s = await stopped(t.taskArn!);
    expect(s.stopCode).toBe("UserInitiated");
    expect(s.containers![0]!.exitCode).toBe(0);
    const ev = await sim.logs.send(new FilterLogEventsCommand({ logGroupName: "/ecs/long" }));
    expect(ev.events!.map((e) => e.message)).toContain("bye");
  });

  it("SIGKILL after the container's stopTimeout for a process that ignores SIGTERM", async () => {
    const t = await run([{ name: "app", image: "x", command: ["sh", "-c", "trap '' TERM; while :; do sleep 0.05; done"], stopTimeout: 1 }]);
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    await sim.ecs.send(new StopTaskCommand({ cluster: "x", task: t.taskArn! }));
    const s = await stopped(t.taskArn!);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(s.containers![0]!.exitCode).toBe(137);
  });

  it("essential vs non-essential containers", async () => {
    const a = await run([
      { name: "main", image: "x", command: ["sh", "-c", "sleep 0.3; exit 3"] },
      { name: "sidecar", image: "x", command: ["sleep", "30"], essential: false },
    ]);
    const s = await stopped(a.taskArn!);
    const byName = Object.fromEntries(s.containers!.map((c) => [c.name, c.exitCode]));
    expect(byName.main).toBe(3);
    expect(byName.sidecar).toBe(143);
    expect(s.stoppedReason).toBe("Essential container in task exited");

    const b = await run([
      { name: "main", image: "x", command: ["sleep", "30"] },
      { name: "oneshot", image: "x", command: ["true"], essential: false },
    ]);
    await until(b.taskArn!, (t) => t.containers!.find((c) => c.name === "oneshot")!.lastStatus === "STOPPED");
    expect((await sim.ecs.send(new DescribeTasksCommand({ cluster: "x", tasks: [b.taskArn!] }))).tasks![0]!.lastStatus).toBe("RUNNING");
    await sim.ecs.send(new StopTaskCommand({ cluster: "x", task: b.taskArn! }));
    await stopped(b.taskArn!);
  });

  it("dependsOn: the app starts after its init container succeeded", async () => {
    const t = await run([
      {
        name: "app",
        image: "x",
        command: ["sh", "-c", "echo app"],
        dependsOn: [{ containerName: "init", condition: "SUCCESS" }],
        logConfiguration: awslogs("/ecs/deps"),
      },
      { name: "init", image: "x", command: ["sh", "-c", "sleep 0.2; echo init"], essential: false, logConfiguration: awslogs("/ecs/deps") },
    ]);
    await stopped(t.taskArn!);
    const ev = await sim.logs.send(new FilterLogEventsCommand({ logGroupName: "/ecs/deps" }));
    expect(ev.events!.map((e) => e.message)).toEqual(["init", "app"]);
  });

  it("the task metadata endpoint answers with the task's real JSON", async () => {
    const script =
      "fetch(process.env.ECS_CONTAINER_METADATA_URI_V4 + '/task').then(r => r.json()).then(j => console.log(j.TaskARN + ' ' + j.Containers[0].Name + ' ' + j.KnownStatus))";
    const t = await run([{ name: "meta", image: "node", command: [process.execPath, "-e", script], logConfiguration: awslogs("/ecs/meta") }]);
    await stopped(t.taskArn!);
    const ev = await sim.logs.send(
      new GetLogEventsCommand({ logGroupName: "/ecs/meta", logStreamName: `ecs/meta/${t.taskArn!.split("/").pop()}`, startFromHead: true }),
    );
    expect(ev.events![0]!.message).toBe(`${t.taskArn} meta RUNNING`);
  });

  it("a service replaces a crashed task and says so in its events", async () => {
    await sim.ecs.send(
      new RegisterTaskDefinitionCommand({ family: "crashy", containerDefinitions: [{ name: "c", image: "x", command: ["sh", "-c", "sleep 0.3; exit 1"] }] }),
    );
    await sim.ecs.send(new CreateServiceCommand({ cluster: "x", serviceName: "crashy", taskDefinition: "crashy", desiredCount: 1 }));
    const t0 = Date.now();
    let svc;
    for (;;) {
      svc = (await sim.ecs.send(new DescribeServicesCommand({ cluster: "x", services: ["crashy"] }))).services![0]!;
      const started = svc.events!.filter((e) => /has started 1 tasks/.test(e.message!)).length;
      if (started >= 2) break;
      if (Date.now() - t0 > 15_000) throw new Error(JSON.stringify(svc.events));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(svc.deployments![0]!.failedTasks).toBeGreaterThanOrEqual(1);
    const stoppedTasks = (await sim.ecs.send(new ListTasksCommand({ cluster: "x", serviceName: "crashy", desiredStatus: "STOPPED" }))).taskArns!;
    expect(stoppedTasks.length).toBeGreaterThanOrEqual(1);
  });
});

describe("no orphans", () => {
  it("stop() kills every process the server started", async () => {
    const s2 = await startServer({ execute: true });
    const e2 = new ECSClient(clientConfig(s2));
    const l2 = new CloudWatchLogsClient(clientConfig(s2));
    await e2.send(new CreateClusterCommand({ clusterName: "o" }));
    await e2.send(
      new RegisterTaskDefinitionCommand({
        family: "o",
        containerDefinitions: [{ name: "a", image: "x", command: ["sh", "-c", "sleep 300 & echo $$ $!; wait"], logConfiguration: awslogs("/o") }],
      }),
    );
    await e2.send(new RunTaskCommand({ cluster: "o", taskDefinition: "o", count: 3 }));
    let pids: number[] = [];
    for (let i = 0; i < 100 && pids.length < 6; i++) {
      await new Promise((r) => setTimeout(r, 50));
      pids = ((await l2.send(new FilterLogEventsCommand({ logGroupName: "/o" }))).events ?? []).flatMap((e) => e.message!.split(" ").map(Number));
    }
    expect(pids).toHaveLength(6);
    expect(pids.every(alive)).toBe(true);
    await s2.stop();
    await new Promise((r) => setTimeout(r, 100));
    expect(pids.filter(alive)).toEqual([]);
  });
});

describe("no orphans on reset and on SIGTERM of the awsim command", () => {
  it("reset() kills every process", async () => {
    const s2 = await startServer({ execute: true });
    try {
      const e2 = new ECSClient(clientConfig(s2));
      const l2 = new CloudWatchLogsClient(clientConfig(s2));
      await e2.send(new CreateClusterCommand({ clusterName: "r" }));
      await e2.send(
        new RegisterTaskDefinitionCommand({
          family: "r",
          containerDefinitions: [{ name: "a", image: "x", command: ["sh", "-c", "sleep 300 & echo $$ $!; wait"], logConfiguration: awslogs("/r") }],
        }),
      );
      await e2.send(new RunTaskCommand({ cluster: "r", taskDefinition: "r", count: 2 }));
      let pids: number[] = [];
      for (let i = 0; i < 100 && pids.length < 4; i++) {
        await new Promise((r) => setTimeout(r, 50));
        pids = ((await l2.send(new FilterLogEventsCommand({ logGroupName: "/r" }))).events ?? []).flatMap((ev) => ev.message!.split(" ").map(Number));
      }
      expect(pids).toHaveLength(4);
      await s2.reset();
      await new Promise((r) => setTimeout(r, 100));
      expect(pids.filter(alive)).toEqual([]);
    } finally {
      await s2.stop();
    }
  });

  it("SIGTERM to `awsim --execute` kills its tasks' processes", async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const cli = spawn(
      process.execPath,
      [new URL("../../dist/cli.js", import.meta.url).pathname, "--execute", "--port", String(port), "--log-level", "silent"],
      { stdio: "ignore" },
    );
    try {
      const url = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 200; i++) {
        if (
          await fetch(`${url}/_awsim/health`).then(
            (r) => r.ok,
            () => false,
          )
        )
          break;
        await new Promise((r) => setTimeout(r, 25));
      }
      const e3 = new ECSClient(clientConfig({ url }));
      const l3 = new CloudWatchLogsClient(clientConfig({ url }));
      await e3.send(new CreateClusterCommand({ clusterName: "t" }));
      await e3.send(
        new RegisterTaskDefinitionCommand({
          family: "t",
          containerDefinitions: [{ name: "a", image: "x", command: ["sh", "-c", "sleep 300 & echo $$ $!; wait"], logConfiguration: awslogs("/t") }],
        }),
      );
      await e3.send(new RunTaskCommand({ cluster: "t", taskDefinition: "t" }));
      let pids: number[] = [];
      for (let i = 0; i < 100 && pids.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 50));
        pids = ((await l3.send(new FilterLogEventsCommand({ logGroupName: "/t" }))).events ?? []).flatMap((ev) => ev.message!.split(" ").map(Number));
      }
      expect(pids).toHaveLength(2);
      cli.kill("SIGTERM");
      await new Promise((r) => cli.once("exit", r));
      await new Promise((r) => setTimeout(r, 100));
      expect(pids.filter(alive)).toEqual([]);
    } finally {
      if (cli.exitCode === null) cli.kill("SIGKILL");
    }
  });
});
