/** `aws ecs` against awsim: the main flows in fake mode, and the seed's execute-mode walkthrough. */
import { describe, expect, it } from "vitest";
import { aws, hasAwsCli, useServer } from "../helpers.js";

const CONTAINERS = JSON.stringify([
  {
    name: "app",
    image: "alpine",
    command: ["echo", "hello from ecs"],
    logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/my-task", "awslogs-stream-prefix": "ecs" } },
  },
]);

describe.skipIf(!hasAwsCli())("aws ecs (fake mode)", () => {
  const sim = useServer();

  it("clusters, task definitions, tasks and services", async () => {
    expect((await aws(sim.server, ["ecs", "create-cluster", "--cluster-name", "dev"])).json.cluster.status).toBe("ACTIVE");
    const td = await aws(sim.server, ["ecs", "register-task-definition", "--family", "web", "--container-definitions", '[{"name":"nginx","image":"nginx"}]']);
    expect(td.json.taskDefinition.revision).toBe(1);
    const run = await aws(sim.server, ["ecs", "run-task", "--cluster", "dev", "--task-definition", "web", "--count", "2"]);
    expect(run.json.tasks.map((t: { lastStatus: string }) => t.lastStatus)).toEqual(["RUNNING", "RUNNING"]);
    const list = await aws(sim.server, ["ecs", "list-tasks", "--cluster", "dev"]);
    expect(list.json.taskArns).toHaveLength(2);
    const stop = await aws(sim.server, ["ecs", "stop-task", "--cluster", "dev", "--task", run.json.tasks[0].taskArn, "--reason", "bye"]);
    expect(stop.json.task.lastStatus).toBe("STOPPED");
    expect(stop.json.task.stoppedReason).toBe("bye");
    const svc = await aws(sim.server, [
      "ecs",
      "create-service",
      "--cluster",
      "dev",
      "--service-name",
      "api",
      "--task-definition",
      "web",
      "--desired-count",
      "2",
    ]);
    expect(svc.json.service.runningCount).toBe(2);
    const waited = await aws(sim.server, ["ecs", "wait", "services-stable", "--cluster", "dev", "--services", "api"]);
    expect(waited.code).toBe(0);
    const desc = await aws(sim.server, ["ecs", "describe-services", "--cluster", "dev", "--services", "api", "ghost"]);
    expect(desc.json.services[0].deployments[0].rolloutState).toBe("COMPLETED");
    expect(desc.json.failures[0].reason).toBe("MISSING");
  });

  it("pagination through the CLI and errors", async () => {
    await aws(sim.server, ["ecs", "create-cluster", "--cluster-name", "pg"]);
    await aws(sim.server, ["ecs", "register-task-definition", "--family", "p", "--container-definitions", '[{"name":"a","image":"a"}]']);
    for (let i = 0; i < 3; i++) await aws(sim.server, ["ecs", "run-task", "--cluster", "pg", "--task-definition", "p", "--count", "10"]);
    const all = await aws(sim.server, ["ecs", "list-tasks", "--cluster", "pg", "--page-size", "7"]);
    expect(all.json.taskArns).toHaveLength(30);
    expect(new Set(all.json.taskArns).size).toBe(30);
    const err = await aws(sim.server, ["ecs", "describe-services", "--cluster", "nope", "--services", "x"]);
    expect(err.code).toBe(255);
    expect(err.stderr).toContain("ClusterNotFoundException");
  });
});

describe.skipIf(!hasAwsCli())("the seed's execute-mode walkthrough", () => {
  const sim = useServer({ execute: true });

  it("create-cluster, register-task-definition, run-task, describe-tasks, filter-log-events", async () => {
    expect((await aws(sim.server, ["ecs", "create-cluster", "--cluster-name", "my-cluster"])).json.cluster.clusterName).toBe("my-cluster");
    const td = await aws(sim.server, [
      "ecs",
      "register-task-definition",
      "--family",
      "my-task",
      "--requires-compatibilities",
      "FARGATE",
      "--network-mode",
      "awsvpc",
      "--cpu",
      "256",
      "--memory",
      "512",
      "--container-definitions",
      CONTAINERS,
    ]);
    expect(td.json.taskDefinition).toMatchObject({ family: "my-task", revision: 1 });
    const run = await aws(sim.server, [
      "ecs",
      "run-task",
      "--cluster",
      "my-cluster",
      "--task-definition",
      "my-task",
      "--count",
      "1",
      "--launch-type",
      "FARGATE",
      "--network-configuration",
      "awsvpcConfiguration={subnets=[subnet-12345]}",
    ]);
    expect(run.code).toBe(0);
    const arn = run.json.tasks[0].taskArn;
    expect(["RUNNING", "STOPPED", "DEPROVISIONING"]).toContain(run.json.tasks[0].lastStatus);
    const waited = await aws(sim.server, ["ecs", "wait", "tasks-stopped", "--cluster", "my-cluster", "--tasks", arn]);
    expect(waited.code).toBe(0);
    const desc = await aws(sim.server, ["ecs", "describe-tasks", "--cluster", "my-cluster", "--tasks", arn]);
    expect(desc.json.tasks[0].lastStatus).toBe("STOPPED");
    expect(desc.json.tasks[0].containers[0].exitCode).toBe(0);
    const logs = await aws(sim.server, ["logs", "filter-log-events", "--log-group-name", "/ecs/my-task"]);
    expect(logs.json.events.map((e: { message: string }) => e.message)).toEqual(["hello from ecs"]);
  });
});
