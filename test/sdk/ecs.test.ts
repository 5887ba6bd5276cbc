import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteClusterCommand,
  DeleteServiceCommand,
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListAccountSettingsCommand,
  ListClustersCommand,
  ListServicesCommand,
  ListTagsForResourceCommand,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  PutAccountSettingCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StartTaskCommand,
  StopTaskCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateClusterCommand,
  UpdateServiceCommand,
  paginateListTasks,
  waitUntilServicesInactive,
  waitUntilServicesStable,
  waitUntilTasksRunning,
  waitUntilTasksStopped,
} from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const ARN = "arn:aws:ecs:us-east-1:000000000000";

const sim = useServer({ reset: "ecs" }, (cfg) => ({ ecs: new ECSClient(cfg) }));

async function setup(cluster = "prod") {
  await sim.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  await sim.ecs.send(new RegisterTaskDefinitionCommand({ family: "web", containerDefinitions: [{ name: "nginx", image: "nginx:latest" }] }));
}

describe("the parlel seed example", () => {
  it('prints ["RUNNING","RUNNING"]', async () => {
    const ecs2 = new ECSClient({ endpoint: sim.server.url, region: "us-east-1", credentials: { accessKeyId: "parlel", secretAccessKey: "parlel" } });
    await ecs2.send(new CreateClusterCommand({ clusterName: "prod" }));
    await ecs2.send(new RegisterTaskDefinitionCommand({ family: "web", containerDefinitions: [{ name: "nginx", image: "nginx:latest" }] }));
    const run = await ecs2.send(new RunTaskCommand({ cluster: "prod", taskDefinition: "web", count: 2 }));
    expect(run.tasks!.map((t) => t.lastStatus)).toEqual(["RUNNING", "RUNNING"]);
  });
});

describe("clusters", () => {
  it("create, describe with include, list, update, delete", async () => {
    const c = (await sim.ecs.send(new CreateClusterCommand({ clusterName: "prod", tags: [{ key: "env", value: "p" }] }))).cluster!;
    expect(c.clusterArn).toBe(`${ARN}:cluster/prod`);
    expect(c.status).toBe("ACTIVE");
    expect(c.runningTasksCount).toBe(0);
    expect(c.settings).toEqual([{ name: "containerInsights", value: "disabled" }]);
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "dev" }));
    expect((await sim.ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([`${ARN}:cluster/dev`, `${ARN}:cluster/prod`]);

    const d = await sim.ecs.send(new DescribeClustersCommand({ clusters: ["prod", "ghost"], include: ["TAGS", "STATISTICS"] }));
    expect(d.clusters![0]!.tags).toEqual([{ key: "env", value: "p" }]);
    expect(d.clusters![0]!.statistics!.find((s) => s.name === "runningFargateTasksCount")!.value).toBe("0");
    expect(d.failures).toEqual([{ arn: `${ARN}:cluster/ghost`, reason: "MISSING" }]);
    expect((await sim.ecs.send(new DescribeClustersCommand({ clusters: ["dev"] }))).clusters![0]!.tags).toEqual([]);

    const u = await sim.ecs.send(new UpdateClusterCommand({ cluster: "prod", settings: [{ name: "containerInsights", value: "enabled" }] }));
    expect(u.cluster!.settings).toEqual([{ name: "containerInsights", value: "enabled" }]);

    const del = await sim.ecs.send(new DeleteClusterCommand({ cluster: `${ARN}:cluster/dev` }));
    expect(del.cluster!.status).toBe("INACTIVE");
    expect((await sim.ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([`${ARN}:cluster/prod`]);
    expect((await sim.ecs.send(new DescribeClustersCommand({ clusters: ["dev"] }))).clusters![0]!.status).toBe("INACTIVE");
  });

  it("counts are derived; DeleteCluster refuses while tasks or services are active", async () => {
    await setup();
    const run = await sim.ecs.send(new RunTaskCommand({ cluster: "prod", taskDefinition: "web", count: 3 }));
    expect((await sim.ecs.send(new DescribeClustersCommand({ clusters: ["prod"] }))).clusters![0]!.runningTasksCount).toBe(3);
    await expectAwsError(sim.ecs.send(new DeleteClusterCommand({ cluster: "prod" })), {
      name: "ClusterContainsTasksException",
      status: 400,
      message: "The Cluster cannot be deleted while Tasks are active.",
    });
    for (const t of run.tasks!) await sim.ecs.send(new StopTaskCommand({ cluster: "prod", task: t.taskArn! }));
    expect((await sim.ecs.send(new DescribeClustersCommand({ clusters: ["prod"] }))).clusters![0]!.runningTasksCount).toBe(0);
    await sim.ecs.send(new CreateServiceCommand({ cluster: "prod", serviceName: "s", taskDefinition: "web", desiredCount: 0 }));
    expect((await sim.ecs.send(new DescribeClustersCommand({ clusters: ["prod"] }))).clusters![0]!.activeServicesCount).toBe(1);
    await expectAwsError(sim.ecs.send(new DeleteClusterCommand({ cluster: "prod" })), { name: "ClusterContainsServicesException", status: 400 });
    await expectAwsError(sim.ecs.send(new DeleteClusterCommand({ cluster: "nope" })), {
      name: "ClusterNotFoundException",
      status: 400,
      message: "Cluster not found.",
    });
  });
});

describe("task definitions", () => {
  it("registers revisions per family with AWS's defaults, describes by family, family:rev and ARN", async () => {
    const r1 = (
      await sim.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "app",
          containerDefinitions: [{ name: "a", image: "busybox", portMappings: [{ containerPort: 80 }] }],
          tags: [{ key: "t", value: "1" }],
        }),
      )
    ).taskDefinition!;
    expect(r1.taskDefinitionArn).toBe(`${ARN}:task-definition/app:1`);
    expect(r1.revision).toBe(1);
    expect(r1.status).toBe("ACTIVE");
    expect(r1.networkMode).toBeUndefined(); // AWS leaves it out when not given (bridge applies)
    expect(r1.containerDefinitions![0]).toMatchObject({
      name: "a",
      image: "busybox",
      cpu: 0,
      essential: true,
      environment: [],
      mountPoints: [],
      volumesFrom: [],
    });
    expect(r1.containerDefinitions![0]!.portMappings).toEqual([{ containerPort: 80, protocol: "tcp" }]);
    expect(r1.registeredAt).toBeInstanceOf(Date);
    const r2 = (await sim.ecs.send(new RegisterTaskDefinitionCommand({ family: "app", containerDefinitions: [{ name: "a", image: "busybox:2" }] })))
      .taskDefinition!;
    expect(r2.revision).toBe(2);
    expect((await sim.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "app" }))).taskDefinition!.revision).toBe(2);
    expect((await sim.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "app:1" }))).taskDefinition!.containerDefinitions![0]!.image).toBe(
      "busybox",
    );
    const withTags = await sim.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: r1.taskDefinitionArn!, include: ["TAGS"] }));
    expect(withTags.tags).toEqual([{ key: "t", value: "1" }]);
    await expectAwsError(sim.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "ghost" })), {
      name: "ClientException",
      status: 400,
      message: "Unable to describe task definition.",
    });
  });

  it("Fargate rules: awsvpc, task cpu/memory and their valid combinations", async () => {
    const base = { family: "f", requiresCompatibilities: ["FARGATE" as const], containerDefinitions: [{ name: "a", image: "x" }] };
    await expectAwsError(sim.ecs.send(new RegisterTaskDefinitionCommand({ ...base, networkMode: "bridge", cpu: "256", memory: "512" })), {
      name: "ClientException",
      status: 400,
      message: "Fargate only supports network mode ‘awsvpc’.",
    });
    await expectAwsError(sim.ecs.send(new RegisterTaskDefinitionCommand({ ...base, networkMode: "awsvpc", memory: "512" })), {
      name: "ClientException",
      status: 400,
      message: "Fargate requires that 'cpu' be defined at the task level.",
    });
    await expectAwsError(sim.ecs.send(new RegisterTaskDefinitionCommand({ ...base, networkMode: "awsvpc", cpu: "256", memory: "4096" })), {
      name: "ClientException",
      status: 400,
      message: "No Fargate configuration exists for given values: 256 CPU, 4096 memory. See the Amazon ECS documentation for the valid values.",
    });
    const ok = (await sim.ecs.send(new RegisterTaskDefinitionCommand({ ...base, networkMode: "awsvpc", cpu: "1 vCPU", memory: "2 GB" }))).taskDefinition!;
    expect(ok.cpu).toBe("1024");
    expect(ok.memory).toBe("2048");
    expect(ok.compatibilities).toEqual(["EC2", "FARGATE", "MANAGED_INSTANCES"]);
    await expectAwsError(sim.ecs.send(new RegisterTaskDefinitionCommand({ family: "e", containerDefinitions: [] })), { name: "ClientException", status: 400 });
    await expectAwsError(sim.ecs.send(new RegisterTaskDefinitionCommand({ family: "e", containerDefinitions: [{ name: "a" }] })), {
      name: "ClientException",
      status: 400,
    });
  });

  it("deregister, delete, list with status/sort/pagination, families", async () => {
    for (let i = 0; i < 3; i++) await sim.ecs.send(new RegisterTaskDefinitionCommand({ family: "app", containerDefinitions: [{ name: "a", image: "x" }] }));
    await sim.ecs.send(new RegisterTaskDefinitionCommand({ family: "other", containerDefinitions: [{ name: "a", image: "x" }] }));
    const dereg = await sim.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "app:1" }));
    expect(dereg.taskDefinition!.status).toBe("INACTIVE");
    expect(dereg.taskDefinition!.deregisteredAt).toBeInstanceOf(Date);
    expect((await sim.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "app:1" }))).taskDefinition!.status).toBe("INACTIVE");
    expect((await sim.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: "app" }))).taskDefinitionArns).toEqual([
      `${ARN}:task-definition/app:2`,
      `${ARN}:task-definition/app:3`,
    ]);
    expect((await sim.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: "app", sort: "DESC" }))).taskDefinitionArns![0]).toBe(
      `${ARN}:task-definition/app:3`,
    );
    expect((await sim.ecs.send(new ListTaskDefinitionsCommand({ status: "INACTIVE" }))).taskDefinitionArns).toEqual([`${ARN}:task-definition/app:1`]);
    const p1 = await sim.ecs.send(new ListTaskDefinitionsCommand({ maxResults: 2 }));
    expect(p1.taskDefinitionArns).toHaveLength(2);
    const p2 = await sim.ecs.send(new ListTaskDefinitionsCommand({ maxResults: 2, nextToken: p1.nextToken }));
    expect(p2.taskDefinitionArns).toHaveLength(1);
    expect(p2.nextToken).toBeUndefined();
    expect((await sim.ecs.send(new ListTaskDefinitionFamiliesCommand({}))).families).toEqual(["app", "other"]);
    expect((await sim.ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: "ot" }))).families).toEqual(["other"]);

    const del = await sim.ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: ["app:1", "app:2"] }));
    expect(del.taskDefinitions!.map((t) => t.status)).toEqual(["DELETE_IN_PROGRESS"]);
    expect(del.failures![0]!.arn).toBe(`${ARN}:task-definition/app:2`);
    expect(del.failures![0]!.reason).toContain("still in ACTIVE status");
  });
});

describe("tasks", () => {
  it("RunTask fills what real ECS fills; StopTask stops with UserInitiated and no exit code", async () => {
    await setup();
    const before = Date.now();
    const t = (
      await sim.ecs.send(
        // ECS Exec needs a task role (AWS refuses it without one: boto/boto3#3173).
        new RunTaskCommand({
          cluster: "prod",
          taskDefinition: "web",
          startedBy: "me",
          tags: [{ key: "k", value: "v" }],
          enableExecuteCommand: true,
          overrides: { taskRoleArn: "arn:aws:iam::000000000000:role/exec" },
        }),
      )
    ).tasks![0]!;
    expect(t.taskArn).toMatch(new RegExp(`^${ARN}:task/prod/[0-9a-f]{32}$`));
    expect(t.clusterArn).toBe(`${ARN}:cluster/prod`);
    expect(t.taskDefinitionArn).toBe(`${ARN}:task-definition/web:1`);
    expect(t.lastStatus).toBe("RUNNING");
    expect(t.desiredStatus).toBe("RUNNING");
    expect(t.launchType).toBe("EC2");
    expect(t.group).toBe("family:web");
    expect(t.startedBy).toBe("me");
    expect(t.enableExecuteCommand).toBe(true);
    expect(t.version).toBeGreaterThan(1);
    expect(t.createdAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(t.startedAt).toBeInstanceOf(Date);
    const c = t.containers![0]!;
    expect(c.containerArn).toMatch(new RegExp(`^${ARN}:container/prod/`));
    expect(c).toMatchObject({ name: "nginx", image: "nginx:latest", lastStatus: "RUNNING", taskArn: t.taskArn });
    expect(c.exitCode).toBeUndefined();

    const stopped = (await sim.ecs.send(new StopTaskCommand({ cluster: "prod", task: t.taskArn!, reason: "done here" }))).task!;
    expect(stopped.lastStatus).toBe("STOPPED");
    expect(stopped.desiredStatus).toBe("STOPPED");
    expect(stopped.stoppedReason).toBe("done here");
    expect(stopped.stopCode).toBe("UserInitiated");
    expect(stopped.stoppedAt).toBeInstanceOf(Date);
    expect(stopped.containers![0]!.exitCode).toBeUndefined();
    const d = await sim.ecs.send(new DescribeTasksCommand({ cluster: "prod", tasks: [t.taskArn!, "0123456789abcdef0123456789abcdef"], include: ["TAGS"] }));
    expect(d.tasks![0]!.lastStatus).toBe("STOPPED");
    expect(d.tasks![0]!.tags).toEqual([{ key: "k", value: "v" }]);
    expect(d.failures).toEqual([{ arn: `${ARN}:task/prod/0123456789abcdef0123456789abcdef`, reason: "MISSING" }]);
  });

  it("awsvpc tasks get an ENI attachment; Fargate tasks a platform version", async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "f" }));
    await sim.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "fg",
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "256",
        memory: "512",
        containerDefinitions: [{ name: "app", image: "alpine" }],
      }),
    );
    await expectAwsError(sim.ecs.send(new RunTaskCommand({ cluster: "f", taskDefinition: "fg", launchType: "FARGATE" })), {
      name: "InvalidParameterException",
      status: 400,
      message: "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    });
    const t = (
      await sim.ecs.send(
        new RunTaskCommand({
          cluster: "f",
          taskDefinition: "fg",
          launchType: "FARGATE",
          networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-12345"] } },
        }),
      )
    ).tasks![0]!;
    expect(t.launchType).toBe("FARGATE");
    expect(t.platformVersion).toBe("1.4.0");
    expect(t.cpu).toBe("256");
    expect(t.memory).toBe("512");
    const eni = t.attachments![0]!;
    expect(eni.type).toBe("ElasticNetworkInterface");
    expect(eni.status).toBe("ATTACHED");
    const details = Object.fromEntries(eni.details!.map((d) => [d.name, d.value]));
    expect(details.subnetId).toBe("subnet-12345");
    expect(details.networkInterfaceId).toMatch(/^eni-[0-9a-f]{17}$/);
    expect(t.containers![0]!.networkInterfaces![0]!.privateIpv4Address).toBe(details.privateIPv4Address);
  });

  it("errors: unknown task definition, count, both launch type and strategy, missing task, missing cluster", async () => {
    await setup();
    await expectAwsError(sim.ecs.send(new RunTaskCommand({ cluster: "prod", taskDefinition: "ghost" })), {
      name: "ClientException",
      status: 400,
      message: "TaskDefinition not found.",
    });
    await expectAwsError(sim.ecs.send(new RunTaskCommand({ cluster: "prod", taskDefinition: "web", count: 11 })), {
      name: "InvalidParameterException",
      status: 400,
    });
    await expectAwsError(
      sim.ecs.send(
        new RunTaskCommand({ cluster: "prod", taskDefinition: "web", launchType: "EC2", capacityProviderStrategy: [{ capacityProvider: "FARGATE" }] }),
      ),
      {
        name: "InvalidParameterException",
        status: 400,
      },
    );
    await expectAwsError(sim.ecs.send(new RunTaskCommand({ cluster: "nope", taskDefinition: "web" })), { name: "ClusterNotFoundException", status: 400 });
    await expectAwsError(sim.ecs.send(new StopTaskCommand({ cluster: "prod", task: "0123456789abcdef0123456789abcdef" })), {
      name: "InvalidParameterException",
      status: 400,
      message: "The referenced task was not found.",
    });
  });

  it("StartTask places tasks on the named container instances", async () => {
    await setup();
    const a = (await sim.ecs.send(new RegisterContainerInstanceCommand({ cluster: "prod" }))).containerInstance!.containerInstanceArn!;
    const b = (await sim.ecs.send(new RegisterContainerInstanceCommand({ cluster: "prod" }))).containerInstance!.containerInstanceArn!;
    const r = await sim.ecs.send(new StartTaskCommand({ cluster: "prod", taskDefinition: "web", containerInstances: [a, b.split("/").pop()!, "ghost"] }));
    expect(r.tasks!.map((t) => t.containerInstanceArn)).toEqual([a, b]);
    expect(r.failures).toEqual([{ arn: `${ARN}:container-instance/prod/ghost`, reason: "MISSING" }]);
  });

  it("ListTasks filters by family, startedBy, desiredStatus; the paginator walks each task once", async () => {
    await setup();
    await sim.ecs.send(new RegisterTaskDefinitionCommand({ family: "job", containerDefinitions: [{ name: "j", image: "x" }] }));
    const runs: string[] = [];
    for (let i = 0; i < 5; i++)
      runs.push(
        ...(await sim.ecs.send(new RunTaskCommand({ cluster: "prod", taskDefinition: "web", count: 5, startedBy: i % 2 ? "odd" : "even" }))).tasks!.map(
          (t) => t.taskArn!,
        ),
      );
    const jobs = (await sim.ecs.send(new RunTaskCommand({ cluster: "prod", taskDefinition: "job", count: 2 }))).tasks!;
    await sim.ecs.send(new StopTaskCommand({ cluster: "prod", task: jobs[0]!.taskArn! }));
    expect((await sim.ecs.send(new ListTasksCommand({ cluster: "prod", family: "job" }))).taskArns).toEqual([jobs[1]!.taskArn]);
    expect((await sim.ecs.send(new ListTasksCommand({ cluster: "prod", family: "job", desiredStatus: "STOPPED" }))).taskArns).toEqual([jobs[0]!.taskArn]);
    expect((await sim.ecs.send(new ListTasksCommand({ cluster: "prod", startedBy: "odd" }))).taskArns).toHaveLength(10);
    const seen: string[] = [];
    for await (const p of paginateListTasks({ client: sim.ecs, pageSize: 7 }, { cluster: "prod", family: "web" })) seen.push(...p.taskArns!);
    expect(seen).toEqual(runs);
  });

  it("waiters: tasksRunning and tasksStopped", async () => {
    await setup();
    const t = (await sim.ecs.send(new RunTaskCommand({ cluster: "prod", taskDefinition: "web" }))).tasks![0]!;
    const running = await waitUntilTasksRunning({ client: sim.ecs, maxWaitTime: 30, minDelay: 1, maxDelay: 2 }, { cluster: "prod", tasks: [t.taskArn!] });
    expect(running.state).toBe("SUCCESS");
    await sim.ecs.send(new StopTaskCommand({ cluster: "prod", task: t.taskArn! }));
    const stopped = await waitUntilTasksStopped({ client: sim.ecs, maxWaitTime: 30, minDelay: 1, maxDelay: 2 }, { cluster: "prod", tasks: [t.taskArn!] });
    expect(stopped.state).toBe("SUCCESS");
  });
});

describe("services", () => {
  it("keeps desiredCount real tasks, scales up and down, derives counts", async () => {
    await setup();
    const s = (await sim.ecs.send(new CreateServiceCommand({ cluster: "prod", serviceName: "api", taskDefinition: "web", desiredCount: 3 }))).service!;
    expect(s.serviceArn).toBe(`${ARN}:service/prod/api`);
    expect(s.status).toBe("ACTIVE");
    expect(s.runningCount).toBe(3);
    expect(s.deployments).toHaveLength(1);
    expect(s.deployments![0]).toMatchObject({ status: "PRIMARY", desiredCount: 3, runningCount: 3, pendingCount: 0, rolloutState: "COMPLETED" });
    expect(s.deployments![0]!.id).toMatch(/^ecs-svc\/\d{19}$/);
    // Events come after CreateService answers (AWS's create-service examples answer "events": []).
    expect(s.events).toEqual([]);
    const described = (await sim.ecs.send(new DescribeServicesCommand({ cluster: "prod", services: ["api"] }))).services![0]!;
    expect(described.events![0]!.message).toBe("(service api) has reached a steady state.");
    const tasks = (await sim.ecs.send(new ListTasksCommand({ cluster: "prod", serviceName: "api" }))).taskArns!;
    expect(tasks).toHaveLength(3);
    const d = (await sim.ecs.send(new DescribeTasksCommand({ cluster: "prod", tasks }))).tasks!;
    expect(d.every((t) => t.startedBy === s.deployments![0]!.id && t.group === "service:api")).toBe(true);

    await sim.ecs.send(new UpdateServiceCommand({ cluster: "prod", service: "api", desiredCount: 5 }));
    expect((await sim.ecs.send(new ListTasksCommand({ cluster: "prod", serviceName: "api" }))).taskArns).toHaveLength(5);
    const down = (await sim.ecs.send(new UpdateServiceCommand({ cluster: "prod", service: "api", desiredCount: 1 }))).service!;
    expect(down.runningCount).toBe(1);
    const stopped = await sim.ecs.send(new ListTasksCommand({ cluster: "prod", serviceName: "api", desiredStatus: "STOPPED" }));
    expect(stopped.taskArns).toHaveLength(4);
    const st = (await sim.ecs.send(new DescribeTasksCommand({ cluster: "prod", tasks: [stopped.taskArns![0]!] }))).tasks![0]!;
    expect(st.stopCode).toBe("ServiceSchedulerInitiated");
    expect((await sim.ecs.send(new DescribeClustersCommand({ clusters: ["prod"] }))).clusters![0]!.runningTasksCount).toBe(1);
  });

  it("a new task definition makes a new PRIMARY deployment that replaces the old tasks", async () => {
    await setup();
    await sim.ecs.send(new CreateServiceCommand({ cluster: "prod", serviceName: "api", taskDefinition: "web", desiredCount: 2 }));
    const oldTasks = (await sim.ecs.send(new ListTasksCommand({ cluster: "prod", serviceName: "api" }))).taskArns!;
    await sim.ecs.send(new RegisterTaskDefinitionCommand({ family: "web", containerDefinitions: [{ name: "nginx", image: "nginx:2" }] }));
    const u = (await sim.ecs.send(new UpdateServiceCommand({ cluster: "prod", service: "api", taskDefinition: "web:2" }))).service!;
    expect(u.taskDefinition).toBe(`${ARN}:task-definition/web:2`);
    expect(u.deployments).toHaveLength(1);
    expect(u.deployments![0]!.taskDefinition).toBe(`${ARN}:task-definition/web:2`);
    const now = (await sim.ecs.send(new ListTasksCommand({ cluster: "prod", serviceName: "api" }))).taskArns!;
    expect(now).toHaveLength(2);
    expect(now.some((a) => oldTasks.includes(a))).toBe(false);
    const stable = await waitUntilServicesStable({ client: sim.ecs, maxWaitTime: 30, minDelay: 1, maxDelay: 2 }, { cluster: "prod", services: ["api"] });
    expect(stable.state).toBe("SUCCESS");
  });

  it("describe/list/errors/delete (DRAINING then INACTIVE) and the inactive waiter", async () => {
    await setup();
    await sim.ecs.send(
      new CreateServiceCommand({ cluster: "prod", serviceName: "a", taskDefinition: "web", desiredCount: 1, tags: [{ key: "x", value: "y" }] }),
    );
    await sim.ecs.send(new CreateServiceCommand({ cluster: "prod", serviceName: "b", taskDefinition: "web", desiredCount: 0 }));
    await expectAwsError(sim.ecs.send(new CreateServiceCommand({ cluster: "prod", serviceName: "a", taskDefinition: "web", desiredCount: 1 })), {
      name: "InvalidParameterException",
      status: 400,
      message: "Creation of service was not idempotent.",
    });
    expect((await sim.ecs.send(new ListServicesCommand({ cluster: "prod" }))).serviceArns).toEqual([`${ARN}:service/prod/a`, `${ARN}:service/prod/b`]);
    const p = await sim.ecs.send(new ListServicesCommand({ cluster: "prod", maxResults: 1 }));
    expect(p.serviceArns).toHaveLength(1);
    expect(p.nextToken).toBeTruthy();
    const d = await sim.ecs.send(new DescribeServicesCommand({ cluster: "prod", services: ["a", "zzz"], include: ["TAGS"] }));
    expect(d.services![0]!.tags).toEqual([{ key: "x", value: "y" }]);
    expect(d.failures).toEqual([{ arn: `${ARN}:service/zzz`, reason: "MISSING" }]);
    await expectAwsError(sim.ecs.send(new UpdateServiceCommand({ cluster: "prod", service: "zzz", desiredCount: 1 })), {
      name: "ServiceNotFoundException",
      status: 400,
      message: "Service not found.",
    });
    await expectAwsError(sim.ecs.send(new DeleteServiceCommand({ cluster: "prod", service: "a" })), {
      name: "InvalidParameterException",
      status: 400,
      message: "The service cannot be stopped while it is scaled above 0.",
    });
    const del = (await sim.ecs.send(new DeleteServiceCommand({ cluster: "prod", service: "a", force: true }))).service!;
    expect(del.status).toBe("DRAINING");
    const w = await waitUntilServicesInactive({ client: sim.ecs, maxWaitTime: 30, minDelay: 1, maxDelay: 2 }, { cluster: "prod", services: ["a"] });
    expect(w.state).toBe("SUCCESS");
    expect((await sim.ecs.send(new DescribeServicesCommand({ cluster: "prod", services: ["a"] }))).services![0]!.status).toBe("INACTIVE");
    await expectAwsError(sim.ecs.send(new UpdateServiceCommand({ cluster: "prod", service: "a", desiredCount: 1 })), {
      name: "ServiceNotActiveException",
      status: 400,
    });
    expect((await sim.ecs.send(new ListServicesCommand({ cluster: "prod" }))).serviceArns).toEqual([`${ARN}:service/prod/b`]);
    expect((await sim.ecs.send(new ListTasksCommand({ cluster: "prod", serviceName: "a" }))).taskArns).toEqual([]);
  });
});

describe("tags and account settings", () => {
  it("tag, untag and list on clusters, task definitions, tasks and services", async () => {
    await setup();
    const task = (await sim.ecs.send(new RunTaskCommand({ cluster: "prod", taskDefinition: "web" }))).tasks![0]!;
    for (const arn of [`${ARN}:cluster/prod`, `${ARN}:task-definition/web:1`, task.taskArn!]) {
      await sim.ecs.send(
        new TagResourceCommand({
          resourceArn: arn,
          tags: [
            { key: "a", value: "1" },
            { key: "b", value: "2" },
          ],
        }),
      );
      await sim.ecs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["a"] }));
      expect((await sim.ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([{ key: "b", value: "2" }]);
    }
    await expectAwsError(sim.ecs.send(new ListTagsForResourceCommand({ resourceArn: `${ARN}:cluster/ghost` })), {
      name: "ResourceNotFoundException",
      status: 400,
    });
  });

  it("PutAccountSetting and ListAccountSettings", async () => {
    const p = await sim.ecs.send(new PutAccountSettingCommand({ name: "containerInsights", value: "enabled" }));
    expect(p.setting).toEqual({ name: "containerInsights", value: "enabled", principalArn: "arn:aws:iam::000000000000:root", type: "user" });
    const l = await sim.ecs.send(new ListAccountSettingsCommand({ name: "containerInsights" }));
    expect(l.settings!.map((s) => s.value)).toEqual(["enabled"]);
    const eff = await sim.ecs.send(new ListAccountSettingsCommand({ effectiveSettings: true, name: "taskLongArnFormat" }));
    expect(eff.settings![0]!.value).toBe("enabled");
  });
});

describe("scale", () => {
  // Correctness at scale only: timings are measured by bench/ (never asserted in CI, which shares its cores).
  it("ListTasks pages through 10,000 tasks exactly once each, DescribeTasks picks 100 of them", async () => {
    await setup();
    const arns: string[] = [];
    for (let i = 0; i < 1000; i++)
      arns.push(...(await sim.ecs.send(new RunTaskCommand({ cluster: "prod", taskDefinition: "web", count: 10 }))).tasks!.map((t) => t.taskArn!));
    expect(arns).toHaveLength(10_000);
    const listed: string[] = [];
    for await (const p of paginateListTasks({ client: sim.ecs, pageSize: 100 }, { cluster: "prod" })) listed.push(...p.taskArns!);
    expect(listed).toHaveLength(10_000);
    expect(new Set(listed)).toEqual(new Set(arns));
    const d = await sim.ecs.send(new DescribeTasksCommand({ cluster: "prod", tasks: arns.slice(5000, 5100) }));
    expect(d.tasks!.map((t) => t.taskArn).sort()).toEqual(arns.slice(5000, 5100).sort());
  }, 120_000);
});
