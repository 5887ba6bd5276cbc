/** ECS task sets (EXTERNAL / CODE_DEPLOY controllers), task protection, ExecuteCommand, ListServicesByNamespace. */
import {
  ContinueServiceDeploymentCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  CreateTaskSetCommand,
  DeleteServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  RegisterContainerInstanceCommand,
  StopServiceDeploymentCommand,
  DeleteTaskSetCommand,
  DescribeServicesCommand,
  DescribeTaskSetsCommand,
  ECSClient,
  ExecuteCommandCommand,
  GetTaskProtectionCommand,
  ListServicesByNamespaceCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
  UpdateServicePrimaryTaskSetCommand,
  UpdateTaskProtectionCommand,
  UpdateTaskSetCommand,
  waitUntilServicesInactive,
  UpdateClusterCommand,
} from "@aws-sdk/client-ecs";
import { beforeEach, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const ARN = "arn:aws:ecs:us-east-1:000000000000";

const sim = useServer({ reset: "ecs" }, (cfg) => ({ ecs: new ECSClient(cfg) }));
beforeEach(async () => {
  await sim.ecs.send(new CreateClusterCommand({ clusterName: "c" }));
  await sim.ecs.send(new RegisterTaskDefinitionCommand({ family: "app", containerDefinitions: [{ name: "a", image: "x", memory: 64 }] }));
  await sim.ecs.send(new RegisterTaskDefinitionCommand({ family: "app", containerDefinitions: [{ name: "a", image: "y", memory: 64 }] }));
});

const running = async (service: string) => (await sim.ecs.send(new ListTasksCommand({ cluster: "c", serviceName: service }))).taskArns!;

describe("task sets", () => {
  it("EXTERNAL: create, scale, make primary, delete; tasks are real records and counts derive from them", async () => {
    await sim.ecs.send(new CreateServiceCommand({ cluster: "c", serviceName: "ext", desiredCount: 4, deploymentController: { type: "EXTERNAL" } }));
    const blue = (
      await sim.ecs.send(
        new CreateTaskSetCommand({ cluster: "c", service: "ext", taskDefinition: "app:1", externalId: "blue", scale: { value: 100, unit: "PERCENT" } }),
      )
    ).taskSet!;
    expect(blue.id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(blue.taskSetArn).toBe(`${ARN}:task-set/c/ext/${blue.id}`);
    expect(blue).toMatchObject({
      status: "ACTIVE",
      computedDesiredCount: 4,
      runningCount: 4,
      stabilityStatus: "STEADY_STATE",
      externalId: "blue",
      taskDefinition: `${ARN}:task-definition/app:1`,
    });
    const green = (
      await sim.ecs.send(new CreateTaskSetCommand({ cluster: "c", service: "ext", taskDefinition: "app:2", scale: { value: 50, unit: "PERCENT" } }))
    ).taskSet!;
    expect(green.computedDesiredCount).toBe(2);
    expect(await running("ext")).toHaveLength(6);

    const primary = (await sim.ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: "c", service: "ext", primaryTaskSet: green.taskSetArn! }))).taskSet!;
    expect(primary.status).toBe("PRIMARY");
    await sim.ecs.send(new UpdateTaskSetCommand({ cluster: "c", service: "ext", taskSet: green.id!, scale: { value: 100, unit: "PERCENT" } }));
    await sim.ecs.send(new UpdateTaskSetCommand({ cluster: "c", service: "ext", taskSet: blue.id!, scale: { value: 0, unit: "PERCENT" } }));
    const sets = await sim.ecs.send(new DescribeTaskSetsCommand({ cluster: "c", service: "ext", taskSets: [blue.id!, green.taskSetArn!, "ecs-svc/0"] }));
    expect(sets.taskSets!.map((t) => [t.status, t.runningCount])).toEqual([
      ["ACTIVE", 0],
      ["PRIMARY", 4],
    ]);
    expect(sets.failures).toEqual([{ arn: "ecs-svc/0", reason: "MISSING" }]);
    const svc = (await sim.ecs.send(new DescribeServicesCommand({ cluster: "c", services: ["ext"] }))).services![0]!;
    expect(svc.runningCount).toBe(4);
    expect(svc.taskDefinition).toBe(`${ARN}:task-definition/app:2`);
    expect(svc.taskSets!.map((t) => t.id)).toEqual([blue.id, green.id]);

    await sim.ecs.send(new DeleteTaskSetCommand({ cluster: "c", service: "ext", taskSet: blue.id! }));
    expect((await sim.ecs.send(new DescribeTaskSetsCommand({ cluster: "c", service: "ext" }))).taskSets!.map((t) => t.id)).toEqual([green.id]);
    await expectAwsError(sim.ecs.send(new DeleteTaskSetCommand({ cluster: "c", service: "ext", taskSet: green.id! })), {
      name: "InvalidParameterException",
      status: 400,
    });
    await sim.ecs.send(new DeleteTaskSetCommand({ cluster: "c", service: "ext", taskSet: green.id!, force: true }));
    expect(await running("ext")).toEqual([]);
    await expectAwsError(sim.ecs.send(new UpdateTaskSetCommand({ cluster: "c", service: "ext", taskSet: "ecs-svc/1", scale: { value: 1 } })), {
      name: "TaskSetNotFoundException",
      status: 400,
    });
    await expectAwsError(sim.ecs.send(new UpdateServiceCommand({ cluster: "c", service: "ext", taskDefinition: "app:1" })), {
      name: "InvalidParameterException",
      status: 400,
    });
  });

  it("CODE_DEPLOY services start with a PRIMARY task set; ECS services refuse task sets; delete drains to INACTIVE", async () => {
    await sim.ecs.send(
      new CreateServiceCommand({ cluster: "c", serviceName: "cd", taskDefinition: "app:1", desiredCount: 2, deploymentController: { type: "CODE_DEPLOY" } }),
    );
    const svc = (await sim.ecs.send(new DescribeServicesCommand({ cluster: "c", services: ["cd"] }))).services![0]!;
    expect(svc.taskSets).toHaveLength(1);
    expect(svc.taskSets![0]).toMatchObject({ status: "PRIMARY", runningCount: 2, computedDesiredCount: 2 });
    expect(svc.deployments).toEqual([]);
    await sim.ecs.send(new CreateServiceCommand({ cluster: "c", serviceName: "plain", taskDefinition: "app", desiredCount: 0 }));
    await expectAwsError(sim.ecs.send(new CreateTaskSetCommand({ cluster: "c", service: "plain", taskDefinition: "app" })), {
      name: "InvalidParameterException",
      status: 400,
      message: "Amazon ECS only supports task set management on services configured to use external deployment controllers.",
    });
    await expectAwsError(sim.ecs.send(new CreateTaskSetCommand({ cluster: "c", service: "cd", taskDefinition: "ghost" })), {
      name: "ClientException",
      status: 400,
      message: "TaskDefinition not found.",
    });
    await sim.ecs.send(new DeleteServiceCommand({ cluster: "c", service: "cd", force: true }));
    await waitUntilServicesInactive({ client: sim.ecs, maxWaitTime: 10, minDelay: 1 }, { cluster: "c", services: ["cd"] });
  });
});

describe("task protection", () => {
  it("protected service tasks survive scale-in; standalone tasks are TASK_NOT_VALID; unknown are MISSING", async () => {
    await sim.ecs.send(new CreateServiceCommand({ cluster: "c", serviceName: "s", taskDefinition: "app", desiredCount: 3 }));
    const tasks = await running("s");
    const keep = tasks[2]!;
    const up = await sim.ecs.send(new UpdateTaskProtectionCommand({ cluster: "c", tasks: [keep], protectionEnabled: true, expiresInMinutes: 60 }));
    expect(up.protectedTasks![0]!.protectionEnabled).toBe(true);
    const exp = up.protectedTasks![0]!.expirationDate!.getTime();
    expect(exp - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(exp - Date.now()).toBeLessThanOrEqual(60 * 60_000);
    await sim.ecs.send(new UpdateServiceCommand({ cluster: "c", service: "s", desiredCount: 1 }));
    expect(await running("s")).toEqual([keep]);

    const solo = (await sim.ecs.send(new RunTaskCommand({ cluster: "c", taskDefinition: "app" }))).tasks![0]!.taskArn!;
    const got = await sim.ecs.send(new GetTaskProtectionCommand({ cluster: "c", tasks: [keep, solo, "ghost"] }));
    expect(got.protectedTasks).toEqual([{ taskArn: keep, protectionEnabled: true, expirationDate: new Date(exp) }]);
    expect(got.failures!.map((f) => [f.arn, f.reason])).toEqual([
      [solo, "TASK_NOT_VALID"],
      [`${ARN}:task/c/ghost`, "MISSING"],
    ]);
    const off = await sim.ecs.send(new UpdateTaskProtectionCommand({ cluster: "c", tasks: [keep], protectionEnabled: false }));
    expect(off.protectedTasks).toEqual([{ taskArn: keep, protectionEnabled: false }]);
  });
});

describe("ExecuteCommand and ListServicesByNamespace", () => {
  it("ExecuteCommand answers as AWS does without an exec agent", async () => {
    const plain = (await sim.ecs.send(new RunTaskCommand({ cluster: "c", taskDefinition: "app" }))).tasks![0]!.taskArn!;
    await expectAwsError(sim.ecs.send(new ExecuteCommandCommand({ cluster: "c", task: plain, command: "ls", interactive: true })), {
      name: "InvalidParameterException",
      status: 400,
      message: /execute command was not enabled when the task was run/,
    });
    // ECS Exec needs a task role (AWS refuses it without one: boto/boto3#3173).
    const overrides = { taskRoleArn: "arn:aws:iam::000000000000:role/exec" };
    const enabled = (await sim.ecs.send(new RunTaskCommand({ cluster: "c", taskDefinition: "app", enableExecuteCommand: true, overrides }))).tasks![0]!
      .taskArn!;
    await expectAwsError(sim.ecs.send(new ExecuteCommandCommand({ cluster: "c", task: enabled, command: "ls", interactive: true })), {
      name: "TargetNotConnectedException",
      status: 400,
    });
    await expectAwsError(sim.ecs.send(new ExecuteCommandCommand({ cluster: "c", task: "ghost", command: "ls", interactive: true })), {
      name: "InvalidParameterException",
      status: 400,
    });
  });

  it("ListServicesByNamespace lists Service Connect services of a namespace, paginated", async () => {
    // A service's Service Connect namespace must exist (AWS: NamespaceNotFoundException); a cluster default creates it.
    for (const namespace of ["other", "shop"]) await sim.ecs.send(new UpdateClusterCommand({ cluster: "c", serviceConnectDefaults: { namespace } }));
    for (const name of ["a", "b", "z"])
      await sim.ecs.send(
        new CreateServiceCommand({
          cluster: "c",
          serviceName: name,
          taskDefinition: "app",
          desiredCount: 0,
          serviceConnectConfiguration: { enabled: true, namespace: name === "z" ? "other" : "shop" },
        }),
      );
    const p1 = await sim.ecs.send(new ListServicesByNamespaceCommand({ namespace: "shop", maxResults: 1 }));
    expect(p1.serviceArns).toEqual([`${ARN}:service/c/a`]);
    const p2 = await sim.ecs.send(new ListServicesByNamespaceCommand({ namespace: "shop", maxResults: 1, nextToken: p1.nextToken }));
    expect(p2.serviceArns).toEqual([`${ARN}:service/c/b`]);
    expect(p2.nextToken).toBeUndefined();
  });
});

describe("service deployments and revisions", () => {
  it("each deployment records a revision; SUCCESSFUL when complete; ROLLBACK redeploys the source revision", async () => {
    await sim.ecs.send(new RegisterContainerInstanceCommand({ cluster: "c", totalResources: [{ name: "MEMORY", type: "INTEGER", integerValue: 500 }] }));
    await sim.ecs.send(new RegisterTaskDefinitionCommand({ family: "huge", containerDefinitions: [{ name: "h", image: "x", memory: 4000 }] }));
    await sim.ecs.send(new CreateServiceCommand({ cluster: "c", serviceName: "s", taskDefinition: "app:1", desiredCount: 2 }));
    await sim.ecs.send(new UpdateServiceCommand({ cluster: "c", service: "s", taskDefinition: "huge" }));
    const list = (await sim.ecs.send(new ListServiceDeploymentsCommand({ cluster: "c", service: "s" }))).serviceDeployments!;
    expect(list.map((d) => d.status)).toEqual(["IN_PROGRESS", "SUCCESSFUL"]);
    expect(list[0]!.serviceDeploymentArn).toMatch(/^arn:aws:ecs:us-east-1:000000000000:service-deployment\/c\/s\/\w+$/);
    const onlyDone = await sim.ecs.send(new ListServiceDeploymentsCommand({ cluster: "c", service: "s", status: ["SUCCESSFUL"] }));
    expect(onlyDone.serviceDeployments).toHaveLength(1);
    const page = await sim.ecs.send(new ListServiceDeploymentsCommand({ cluster: "c", service: "s", maxResults: 1 }));
    expect(page.serviceDeployments).toHaveLength(1);
    expect(
      (await sim.ecs.send(new ListServiceDeploymentsCommand({ cluster: "c", service: "s", maxResults: 1, nextToken: page.nextToken }))).serviceDeployments![0]!
        .status,
    ).toBe("SUCCESSFUL");

    const d = await sim.ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [list[0]!.serviceDeploymentArn!, `${ARN}:service-deployment/c/s/nope`] }),
    );
    const sd = d.serviceDeployments![0]!;
    expect(sd.targetServiceRevision).toMatchObject({ requestedTaskCount: 2, runningTaskCount: 0 });
    expect(sd.sourceServiceRevisions![0]).toMatchObject({ runningTaskCount: 2 });
    expect(d.failures).toEqual([{ arn: `${ARN}:service-deployment/c/s/nope`, reason: "MISSING" }]);
    const revs = await sim.ecs.send(
      new DescribeServiceRevisionsCommand({ serviceRevisionArns: [sd.targetServiceRevision!.arn!, sd.sourceServiceRevisions![0]!.arn!] }),
    );
    expect(revs.serviceRevisions!.map((r) => r.taskDefinition)).toEqual([`${ARN}:task-definition/huge:1`, `${ARN}:task-definition/app:1`]);

    await sim.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: sd.serviceDeploymentArn!, stopType: "ROLLBACK" }));
    const after = (await sim.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [sd.serviceDeploymentArn!] }))).serviceDeployments![0]!;
    expect(after.status).toBe("ROLLBACK_SUCCESSFUL");
    const svc = (await sim.ecs.send(new DescribeServicesCommand({ cluster: "c", services: ["s"] }))).services![0]!;
    expect(svc.taskDefinition).toBe(`${ARN}:task-definition/app:1`);
    expect(svc.deployments).toHaveLength(1);
    expect(svc.runningCount).toBe(2);
    await expectAwsError(sim.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: sd.serviceDeploymentArn! })), {
      name: "ConflictException",
      status: 400,
    });
    await expectAwsError(sim.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: sd.serviceDeploymentArn!, hookId: "h1" })), {
      name: "InvalidParameterException",
      status: 400,
    });
    await expectAwsError(sim.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: `${ARN}:service-deployment/c/s/nope`, hookId: "h1" })), {
      name: "ServiceDeploymentNotFoundException",
      status: 400,
    });
  });
});

describe("managed and propagated tags", () => {
  it("tasks carry task definition / service tags and aws:ecs managed tags when asked", async () => {
    await sim.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "tagged",
        containerDefinitions: [{ name: "a", image: "x", memory: 64 }],
        tags: [{ key: "from", value: "td" }],
      }),
    );
    const t = (
      await sim.ecs.send(
        new RunTaskCommand({
          cluster: "c",
          taskDefinition: "tagged",
          propagateTags: "TASK_DEFINITION",
          enableECSManagedTags: true,
          tags: [{ key: "mine", value: "1" }],
        }),
      )
    ).tasks![0]!;
    const d = (await sim.ecs.send(new DescribeTasksCommand({ cluster: "c", tasks: [t.taskArn!], include: ["TAGS"] }))).tasks![0]!;
    expect(d.tags).toEqual([
      { key: "from", value: "td" },
      { key: "mine", value: "1" },
      { key: "aws:ecs:clusterName", value: "c" },
    ]);
    await sim.ecs.send(
      new CreateServiceCommand({
        cluster: "c",
        serviceName: "ts",
        taskDefinition: "app",
        desiredCount: 1,
        propagateTags: "SERVICE",
        enableECSManagedTags: true,
        tags: [{ key: "svc", value: "y" }],
      }),
    );
    const arn = (await running("ts"))[0]!;
    const st = (await sim.ecs.send(new DescribeTasksCommand({ cluster: "c", tasks: [arn], include: ["TAGS"] }))).tasks![0]!;
    expect(st.tags).toEqual([
      { key: "svc", value: "y" },
      { key: "aws:ecs:clusterName", value: "c" },
      { key: "aws:ecs:serviceName", value: "ts" },
    ]);
  });
});
