/** ECS capacity: capacity providers, container instances with EC2 placement, attributes. Real @aws-sdk/client-ecs. */
import {
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteAttributesCommand,
  DeleteCapacityProviderCommand,
  DeleteClusterCommand,
  DeregisterContainerInstanceCommand,
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListAttributesCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
  PutAttributesCommand,
  PutClusterCapacityProvidersCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateCapacityProviderCommand,
  UpdateContainerInstancesStateCommand,
  UpdateServiceCommand,
  paginateListContainerInstances,
  type ContainerInstance,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, startServer, type AwsimServer, useServer } from "../helpers.js";

let strict: AwsimServer;
let ecs: ECSClient;
const ARN = "arn:aws:ecs:us-east-1:000000000000";
const ASG = "arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:1234:autoScalingGroupName/asg-1";

afterAll(async () => {
  await strict.stop();
});
const sim = useServer({ reset: "ecs" });
beforeAll(async () => {
  strict = await startServer({ strict: true });
  ecs = new ECSClient(clientConfig(sim.server));
});

const res = (ci: ContainerInstance, name: string) => ci.remainingResources!.find((r) => r.name === name)!;

async function instance(cluster: string, opts: { cpu?: number; memory?: number; type?: string; az?: string } = {}) {
  const doc = JSON.stringify({
    instanceId: `i-${Math.random().toString(16).slice(2, 19).padEnd(17, "0")}`,
    instanceType: opts.type ?? "t3.medium",
    availabilityZone: opts.az ?? "us-east-1a",
  });
  const r = await ecs.send(
    new RegisterContainerInstanceCommand({
      cluster,
      instanceIdentityDocument: doc,
      totalResources: [
        { name: "CPU", type: "INTEGER", integerValue: opts.cpu ?? 1024 },
        { name: "MEMORY", type: "INTEGER", integerValue: opts.memory ?? 1024 },
      ],
    }),
  );
  return r.containerInstance!;
}

describe("capacity providers", () => {
  it("create, describe (with FARGATE built-ins), update, delete; AWS's errors", async () => {
    const cp = (
      await ecs.send(
        new CreateCapacityProviderCommand({
          name: "asg-cp",
          autoScalingGroupProvider: { autoScalingGroupArn: ASG, managedScaling: { status: "ENABLED", targetCapacity: 80 } },
          tags: [{ key: "team", value: "a" }],
        }),
      )
    ).capacityProvider!;
    expect(cp).toMatchObject({
      capacityProviderArn: `${ARN}:capacity-provider/asg-cp`,
      name: "asg-cp",
      status: "ACTIVE",
      type: "EC2_AUTOSCALING",
      autoScalingGroupProvider: {
        autoScalingGroupArn: ASG,
        managedScaling: { status: "ENABLED", targetCapacity: 80, minimumScalingStepSize: 1, maximumScalingStepSize: 10000, instanceWarmupPeriod: 300 },
        managedTerminationProtection: "DISABLED",
        managedDraining: "ENABLED",
      },
    });
    await expectAwsError(ecs.send(new CreateCapacityProviderCommand({ name: "asg-cp", autoScalingGroupProvider: { autoScalingGroupArn: `${ASG}x` } })), {
      name: "ClientException",
      status: 400,
      message: "The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.",
    });
    await expectAwsError(ecs.send(new CreateCapacityProviderCommand({ name: "other", autoScalingGroupProvider: { autoScalingGroupArn: ASG } })), {
      name: "ClientException",
      status: 400,
      message: /Auto Scaling group ARN is already being used/,
    });
    await expectAwsError(ecs.send(new CreateCapacityProviderCommand({ name: "fargate-x", autoScalingGroupProvider: { autoScalingGroupArn: `${ASG}y` } })), {
      name: "ClientException",
      status: 400,
    });

    const all = await ecs.send(new DescribeCapacityProvidersCommand({}));
    expect(all.capacityProviders!.map((p) => p.name)).toEqual(["FARGATE", "FARGATE_SPOT", "asg-cp"]);
    expect(all.capacityProviders![2]!.tags).toEqual([]);
    const some = await ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: ["asg-cp", "ghost"], include: ["TAGS"] }));
    expect(some.capacityProviders![0]!.tags).toEqual([{ key: "team", value: "a" }]);
    expect(some.failures).toEqual([{ arn: `${ARN}:capacity-provider/ghost`, reason: "MISSING" }]);
    const page = await ecs.send(new DescribeCapacityProvidersCommand({ maxResults: 2 }));
    expect(page.capacityProviders).toHaveLength(2);
    const rest = await ecs.send(new DescribeCapacityProvidersCommand({ maxResults: 2, nextToken: page.nextToken }));
    expect(rest.capacityProviders!.map((p) => p.name)).toEqual(["asg-cp"]);
    expect(rest.nextToken).toBeUndefined();

    const up = await ecs.send(
      new UpdateCapacityProviderCommand({
        name: "asg-cp",
        autoScalingGroupProvider: { managedScaling: { targetCapacity: 50 }, managedTerminationProtection: "ENABLED" },
      }),
    );
    // AWS answers the configuration before the update, UPDATE_IN_PROGRESS; Describe shows it applied.
    expect(up.capacityProvider!.autoScalingGroupProvider).toMatchObject({ managedScaling: { targetCapacity: 80 }, managedTerminationProtection: "DISABLED" });
    expect(up.capacityProvider!.updateStatus).toBe("UPDATE_IN_PROGRESS");
    const after = (await ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: ["asg-cp"] }))).capacityProviders![0]!;
    expect(after.autoScalingGroupProvider).toMatchObject({
      managedScaling: { status: "ENABLED", targetCapacity: 50 },
      managedTerminationProtection: "ENABLED",
    });
    expect(after.updateStatus).toBe("UPDATE_COMPLETE");

    await ecs.send(new CreateClusterCommand({ clusterName: "c1" }));
    await ecs.send(new PutClusterCapacityProvidersCommand({ cluster: "c1", capacityProviders: ["asg-cp"], defaultCapacityProviderStrategy: [] }));
    const failed = (await ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: "asg-cp" }))).capacityProvider!;
    expect(failed.status).toBe("ACTIVE");
    expect(failed.updateStatus).toBe("DELETE_FAILED");
    expect(failed.updateStatusReason).toMatch(/associated with cluster: c1/);
    await ecs.send(new PutClusterCapacityProvidersCommand({ cluster: "c1", capacityProviders: [], defaultCapacityProviderStrategy: [] }));
    const gone = (await ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: `${ARN}:capacity-provider/asg-cp` }))).capacityProvider!;
    expect(gone.status).toBe("ACTIVE");
    expect(gone.updateStatus).toBe("DELETE_IN_PROGRESS");
    expect((await ecs.send(new DescribeCapacityProvidersCommand({}))).capacityProviders!.map((p) => p.name)).toEqual(["FARGATE", "FARGATE_SPOT"]);
    expect((await ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: ["asg-cp"] }))).capacityProviders![0]!.status).toBe("INACTIVE");
    await expectAwsError(ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: "FARGATE" })), { name: "ClientException", status: 400 });
  });

  it("PutClusterCapacityProviders: default strategy used by RunTask; providers in use cannot be removed", async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: "f" }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "fg",
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "256",
        memory: "512",
        containerDefinitions: [{ name: "a", image: "busybox" }],
      }),
    );
    const c = (
      await ecs.send(
        new PutClusterCapacityProvidersCommand({
          cluster: "f",
          capacityProviders: ["FARGATE", "FARGATE_SPOT"],
          defaultCapacityProviderStrategy: [
            { capacityProvider: "FARGATE", base: 1, weight: 1 },
            { capacityProvider: "FARGATE_SPOT", weight: 1 },
          ],
        }),
      )
    ).cluster!;
    expect(c.capacityProviders).toEqual(["FARGATE", "FARGATE_SPOT"]);
    expect(c.defaultCapacityProviderStrategy).toEqual([
      { capacityProvider: "FARGATE", base: 1, weight: 1 },
      { capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 },
    ]);
    const net = { awsvpcConfiguration: { subnets: ["subnet-1"] } };
    const run = await ecs.send(new RunTaskCommand({ cluster: "f", taskDefinition: "fg", count: 3, networkConfiguration: net }));
    expect(run.tasks!.map((t) => t.capacityProviderName).sort()).toEqual(["FARGATE", "FARGATE", "FARGATE_SPOT"]);
    expect(run.tasks!.every((t) => t.launchType === undefined && t.platformVersion === "1.4.0")).toBe(true);

    await ecs.send(
      new CreateServiceCommand({
        cluster: "f",
        serviceName: "s",
        taskDefinition: "fg",
        desiredCount: 1,
        networkConfiguration: net,
        capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
      }),
    );
    const dflt = (
      await ecs.send(new CreateServiceCommand({ cluster: "f", serviceName: "d", taskDefinition: "fg", desiredCount: 4, networkConfiguration: net }))
    ).service!;
    expect(dflt.launchType).toBeUndefined();
    expect(dflt.capacityProviderStrategy).toEqual(c.defaultCapacityProviderStrategy);
    const dTasks = (await ecs.send(new ListTasksCommand({ cluster: "f", serviceName: "d" }))).taskArns!;
    const dDesc = (await ecs.send(new DescribeTasksCommand({ cluster: "f", tasks: dTasks }))).tasks!;
    // base 1 on FARGATE, then 1:1 by weight.
    expect(dDesc.map((t) => t.capacityProviderName).sort()).toEqual(["FARGATE", "FARGATE", "FARGATE_SPOT", "FARGATE_SPOT"]);
    await expectAwsError(
      ecs.send(new PutClusterCapacityProvidersCommand({ cluster: "f", capacityProviders: ["FARGATE"], defaultCapacityProviderStrategy: [] })),
      {
        name: "ResourceInUseException",
        status: 400,
        message: "The specified capacity provider is in use and cannot be removed.",
      },
    );
    await expectAwsError(
      ecs.send(
        new PutClusterCapacityProvidersCommand({
          cluster: "f",
          capacityProviders: ["FARGATE", "FARGATE_SPOT"],
          defaultCapacityProviderStrategy: [{ capacityProvider: "ghost", weight: 1 }],
        }),
      ),
      { name: "InvalidParameterException", status: 400 },
    );
    await ecs.send(new CreateCapacityProviderCommand({ name: "unassoc", autoScalingGroupProvider: { autoScalingGroupArn: ASG } }));
    await expectAwsError(
      ecs.send(new RunTaskCommand({ cluster: "f", taskDefinition: "fg", capacityProviderStrategy: [{ capacityProvider: "unassoc", weight: 1 }] })),
      {
        name: "InvalidParameterException",
        status: 400,
        message:
          "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.",
      },
    );
  });
});

describe("CreateCluster with capacity providers", () => {
  it("associates them as PutClusterCapacityProviders does; an unknown provider creates no cluster", async () => {
    const c = (
      await ecs.send(
        new CreateClusterCommand({
          clusterName: "cc",
          capacityProviders: ["FARGATE_SPOT"],
          defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
        }),
      )
    ).cluster!;
    expect(c.capacityProviders).toEqual(["FARGATE_SPOT"]);
    expect(c.defaultCapacityProviderStrategy).toEqual([{ capacityProvider: "FARGATE_SPOT", weight: 1, base: 0 }]);
    await expectAwsError(ecs.send(new CreateClusterCommand({ clusterName: "cc2", capacityProviders: ["ghost"] })), {
      name: "InvalidParameterException",
      status: 400,
    });
    expect((await ecs.send(new DescribeClustersCommand({ clusters: ["cc2"] }))).failures![0]!.reason).toBe("MISSING");
  });
});

describe("DescribeClusters include flags", () => {
  it("settings, configuration and capacity provider attachments only when asked for", async () => {
    await ecs.send(
      new CreateClusterCommand({
        clusterName: "inc",
        configuration: { executeCommandConfiguration: { logging: "DEFAULT" } },
        settings: [{ name: "containerInsights", value: "enabled" }],
      }),
    );
    await ecs.send(new CreateCapacityProviderCommand({ name: "asg-inc", autoScalingGroupProvider: { autoScalingGroupArn: ASG } }));
    const put = (
      await ecs.send(new PutClusterCapacityProvidersCommand({ cluster: "inc", capacityProviders: ["asg-inc"], defaultCapacityProviderStrategy: [] }))
    ).cluster!;
    expect(put.attachmentsStatus).toBe("UPDATE_IN_PROGRESS");
    const plain = (await ecs.send(new DescribeClustersCommand({ clusters: ["inc"] }))).clusters![0]!;
    expect(plain.settings).toEqual([]);
    expect(plain.configuration).toBeUndefined();
    expect(plain.attachments).toBeUndefined();
    const full = (await ecs.send(new DescribeClustersCommand({ clusters: ["inc"], include: ["SETTINGS", "CONFIGURATIONS", "ATTACHMENTS"] }))).clusters![0]!;
    expect(full.settings).toEqual([{ name: "containerInsights", value: "enabled" }]);
    expect(full.configuration).toEqual({ executeCommandConfiguration: { logging: "DEFAULT" } });
    expect(full.attachmentsStatus).toBe("UPDATE_COMPLETE");
    expect(full.attachments!.map((a) => a.type)).toEqual(["as_policy", "managed_draining"]);
    expect(full.attachments![0]).toMatchObject({ type: "as_policy", status: "CREATED" });
    expect(full.attachments![0]!.details).toContainEqual({ name: "capacityProviderName", value: "asg-inc" });
  });
});

describe("container instances and EC2 placement", () => {
  it("register, describe (failures MISSING, TAGS, health), list with filter and status, pagination", async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: "ec2" }));
    const a = await instance("ec2", { type: "m5.large", az: "us-east-1b" });
    expect(a.containerInstanceArn).toMatch(/^arn:aws:ecs:us-east-1:000000000000:container-instance\/ec2\/[0-9a-f]{32}$/);
    expect(a.status).toBe("ACTIVE");
    expect(a.agentConnected).toBe(true);
    expect(a.ec2InstanceId).toMatch(/^i-/);
    expect(res(a, "CPU").integerValue).toBe(1024);
    expect(a.attributes).toEqual(
      expect.arrayContaining([
        { name: "ecs.instance-type", value: "m5.large" },
        { name: "ecs.availability-zone", value: "us-east-1b" },
      ]),
    );
    const b = await instance("ec2");
    const d = await ecs.send(
      new DescribeContainerInstancesCommand({ cluster: "ec2", containerInstances: [a.containerInstanceArn!, "ghost"], include: ["CONTAINER_INSTANCE_HEALTH"] }),
    );
    expect(d.containerInstances![0]!.healthStatus!.overallStatus).toBe("OK");
    expect(d.containerInstances![0]!.tags).toBeUndefined();
    expect(d.failures).toEqual([{ arn: `${ARN}:container-instance/ec2/ghost`, reason: "MISSING" }]);
    expect((await ecs.send(new DescribeClustersCommand({ clusters: ["ec2"] }))).clusters![0]!.registeredContainerInstancesCount).toBe(2);

    const filtered = await ecs.send(new ListContainerInstancesCommand({ cluster: "ec2", filter: "attribute:ecs.instance-type == m5.large" }));
    expect(filtered.containerInstanceArns).toEqual([a.containerInstanceArn]);
    const matched = await ecs.send(
      new ListContainerInstancesCommand({ cluster: "ec2", filter: "attribute:ecs.instance-type =~ t3.* or attribute:ecs.availability-zone in [us-east-1b]" }),
    );
    expect(matched.containerInstanceArns).toHaveLength(2);
    const seen: string[] = [];
    for await (const p of paginateListContainerInstances({ client: ecs, pageSize: 1 }, { cluster: "ec2" })) seen.push(...p.containerInstanceArns!);
    expect(seen).toEqual([a.containerInstanceArn, b.containerInstanceArn]);

    await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: "ec2", containerInstances: [b.containerInstanceArn!], status: "DRAINING" }));
    expect((await ecs.send(new ListContainerInstancesCommand({ cluster: "ec2", status: "DRAINING" }))).containerInstanceArns).toEqual([b.containerInstanceArn]);
    await expectAwsError(ecs.send(new DeleteClusterCommand({ cluster: "ec2" })), { name: "ClusterContainsContainerInstancesException", status: 400 });
    const dereg = await ecs.send(new DeregisterContainerInstanceCommand({ cluster: "ec2", containerInstance: b.containerInstanceArn! }));
    expect(dereg.containerInstance!.status).toBe("INACTIVE");
    expect((await ecs.send(new ListContainerInstancesCommand({ cluster: "ec2" }))).containerInstanceArns).toEqual([a.containerInstanceArn]);
  });

  it("RunTask places by CPU, MEMORY and host PORTS; remainingResources and counts follow the tasks; failures name the reason", async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: "ec2" }));
    const a = await instance("ec2", { cpu: 1024, memory: 1000 });
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "web",
        containerDefinitions: [{ name: "w", image: "nginx", cpu: 256, memory: 400, portMappings: [{ containerPort: 80, hostPort: 8080 }] }],
      }),
    );
    await ecs.send(new RegisterTaskDefinitionCommand({ family: "big", containerDefinitions: [{ name: "b", image: "x", cpu: 128, memory: 350 }] }));
    const r1 = await ecs.send(new RunTaskCommand({ cluster: "ec2", taskDefinition: "web" }));
    expect(r1.failures).toEqual([]);
    expect(r1.tasks![0]!.containerInstanceArn).toBe(a.containerInstanceArn);
    expect(r1.tasks![0]!.containers![0]!.networkBindings).toEqual([{ bindIP: "0.0.0.0", containerPort: 80, hostPort: 8080, protocol: "tcp" }]);
    let ci = (await ecs.send(new DescribeContainerInstancesCommand({ cluster: "ec2", containerInstances: [a.containerInstanceArn!] }))).containerInstances![0]!;
    expect(res(ci, "CPU").integerValue).toBe(768);
    expect(res(ci, "MEMORY").integerValue).toBe(600);
    expect(res(ci, "PORTS").stringSetValue).toContain("8080");
    expect(ci.runningTasksCount).toBe(1);

    const clash = await ecs.send(new RunTaskCommand({ cluster: "ec2", taskDefinition: "web" }));
    expect(clash.tasks).toEqual([]);
    expect(clash.failures).toEqual([{ arn: a.containerInstanceArn, reason: "RESOURCE:PORTS" }]);
    const two = await ecs.send(new RunTaskCommand({ cluster: "ec2", taskDefinition: "big", count: 2 }));
    expect(two.tasks).toHaveLength(1);
    expect(two.failures).toEqual([{ arn: a.containerInstanceArn, reason: "RESOURCE:MEMORY" }]);

    await ecs.send(new StopTaskCommand({ cluster: "ec2", task: r1.tasks![0]!.taskArn! }));
    ci = (await ecs.send(new DescribeContainerInstancesCommand({ cluster: "ec2", containerInstances: [a.containerInstanceArn!] }))).containerInstances![0]!;
    expect(res(ci, "MEMORY").integerValue).toBe(650);
    expect(res(ci, "PORTS").stringSetValue).not.toContain("8080");
    expect(ci.runningTasksCount).toBe(1);
    expect((await ecs.send(new ListTasksCommand({ cluster: "ec2", containerInstance: a.containerInstanceArn }))).taskArns).toEqual([two.tasks![0]!.taskArn]);
  });

  it("placement constraints (memberOf, distinctInstance) and strategies (binpack, spread)", async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: "ec2" }));
    const small = await instance("ec2", { type: "t3.small", memory: 2000 });
    const large = await instance("ec2", { type: "m5.large", memory: 4000 });
    await ecs.send(new RegisterTaskDefinitionCommand({ family: "t", containerDefinitions: [{ name: "t", image: "x", memory: 500 }] }));
    const only = await ecs.send(
      new RunTaskCommand({
        cluster: "ec2",
        taskDefinition: "t",
        count: 2,
        placementConstraints: [{ type: "memberOf", expression: "attribute:ecs.instance-type == m5.large" }],
      }),
    );
    expect(only.tasks!.map((t) => t.containerInstanceArn)).toEqual([large.containerInstanceArn, large.containerInstanceArn]);
    const none = await ecs.send(
      new RunTaskCommand({
        cluster: "ec2",
        taskDefinition: "t",
        placementConstraints: [{ type: "memberOf", expression: "attribute:ecs.instance-type == c5.xlarge" }],
      }),
    );
    expect(none.failures!.map((f) => f.reason)).toEqual(["ATTRIBUTE", "ATTRIBUTE"]);
    const packed = await ecs.send(
      new RunTaskCommand({ cluster: "ec2", taskDefinition: "t", count: 2, placementStrategy: [{ type: "binpack", field: "memory" }] }),
    );
    expect(packed.tasks!.map((t) => t.containerInstanceArn)).toEqual([small.containerInstanceArn, small.containerInstanceArn]);
    const spread = await ecs.send(
      new RunTaskCommand({ cluster: "ec2", taskDefinition: "t", count: 2, group: "g", placementStrategy: [{ type: "spread", field: "instanceId" }] }),
    );
    expect(new Set(spread.tasks!.map((t) => t.containerInstanceArn)).size).toBe(2);
    await expectAwsError(
      ecs.send(
        new RunTaskCommand({ cluster: "ec2", taskDefinition: "t", placementConstraints: [{ type: "memberOf", expression: "attribute:ecs.instance-type ==" }] }),
      ),
      { name: "InvalidParameterException", status: 400 },
    );
    await expectAwsError(
      ecs.send(
        new CreateServiceCommand({
          cluster: "ec2",
          serviceName: "bad",
          taskDefinition: "t",
          placementConstraints: [{ type: "memberOf", expression: "(a == b" }],
        }),
      ),
      { name: "InvalidParameterException", status: 400 },
    );
    const distinct = await ecs.send(
      new RunTaskCommand({ cluster: "ec2", taskDefinition: "t", count: 1, placementConstraints: [{ type: "distinctInstance" }] }),
    );
    expect(distinct.tasks).toEqual([]);
    expect(distinct.failures).toHaveLength(2);
  });

  it("services place on instances, wait for capacity, and move off a DRAINING instance", async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: "ec2" }));
    const a = await instance("ec2", { memory: 1000 });
    await ecs.send(new RegisterTaskDefinitionCommand({ family: "svc", containerDefinitions: [{ name: "s", image: "x", memory: 400 }] }));
    await ecs.send(new CreateServiceCommand({ cluster: "ec2", serviceName: "s", taskDefinition: "svc", desiredCount: 3 }));
    let s = (await ecs.send(new DescribeServicesCommand({ cluster: "ec2", services: ["s"] }))).services![0]!;
    expect(s.runningCount).toBe(2);
    expect(s.events!.some((e) => /unable to place a task.*insufficient memory available/.test(e.message!))).toBe(true);
    const b = await instance("ec2", { memory: 1000 });
    s = (await ecs.send(new DescribeServicesCommand({ cluster: "ec2", services: ["s"] }))).services![0]!;
    expect(s.runningCount).toBe(3);
    await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: "ec2", containerInstances: [a.containerInstanceArn!], status: "DRAINING" }));
    await ecs.send(new UpdateServiceCommand({ cluster: "ec2", service: "s", desiredCount: 2 }));
    const tasks = (await ecs.send(new ListTasksCommand({ cluster: "ec2", serviceName: "s" }))).taskArns!;
    expect(tasks).toHaveLength(2);
    expect((await ecs.send(new ListTasksCommand({ cluster: "ec2", containerInstance: b.containerInstanceArn }))).taskArns).toHaveLength(2);
    await expectAwsError(ecs.send(new DeregisterContainerInstanceCommand({ cluster: "ec2", containerInstance: b.containerInstanceArn! })), {
      name: "InvalidParameterException",
      status: 400,
    });
  });

  it("under --strict a cluster without container instances refuses EC2 tasks", async () => {
    const e = new ECSClient(clientConfig(strict));
    await e.send(new CreateClusterCommand({ clusterName: "empty" }));
    await e.send(new RegisterTaskDefinitionCommand({ family: "t", containerDefinitions: [{ name: "t", image: "x", memory: 64 }] }));
    await expectAwsError(e.send(new RunTaskCommand({ cluster: "empty", taskDefinition: "t" })), {
      name: "InvalidParameterException",
      status: 400,
      message: "No Container Instances were found in your cluster.",
    });
  });
});

describe("attributes", () => {
  it("put, list with name/value filters and pagination, delete; unknown targets", async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: "ec2" }));
    const a = await instance("ec2");
    const b = await instance("ec2");
    const put = await ecs.send(
      new PutAttributesCommand({
        cluster: "ec2",
        attributes: [
          { name: "stack", value: "prod", targetId: a.containerInstanceArn },
          { name: "stack", value: "dev", targetType: "container-instance", targetId: b.containerInstanceArn!.split("/").pop() },
        ],
      }),
    );
    expect(put.attributes![1]).toEqual({ name: "stack", value: "dev", targetType: "container-instance", targetId: b.containerInstanceArn });
    const byValue = await ecs.send(
      new ListAttributesCommand({ cluster: "ec2", targetType: "container-instance", attributeName: "stack", attributeValue: "prod" }),
    );
    expect(byValue.attributes).toEqual([{ name: "stack", value: "prod", targetType: "container-instance", targetId: a.containerInstanceArn }]);
    const p1 = await ecs.send(new ListAttributesCommand({ cluster: "ec2", targetType: "container-instance", attributeName: "stack", maxResults: 1 }));
    expect(p1.attributes).toHaveLength(1);
    const p2 = await ecs.send(
      new ListAttributesCommand({ cluster: "ec2", targetType: "container-instance", attributeName: "stack", maxResults: 1, nextToken: p1.nextToken }),
    );
    expect(p2.attributes![0]!.value).toBe("dev");
    expect(p2.nextToken).toBeUndefined();
    const run = await ecs.send(new RegisterTaskDefinitionCommand({ family: "t", containerDefinitions: [{ name: "t", image: "x", memory: 64 }] }));
    expect(run.taskDefinition).toBeDefined();
    const placed = await ecs.send(
      new RunTaskCommand({ cluster: "ec2", taskDefinition: "t", placementConstraints: [{ type: "memberOf", expression: "attribute:stack == dev" }] }),
    );
    expect(placed.tasks![0]!.containerInstanceArn).toBe(b.containerInstanceArn);
    await ecs.send(new DeleteAttributesCommand({ cluster: "ec2", attributes: [{ name: "stack", targetId: a.containerInstanceArn }] }));
    expect((await ecs.send(new ListAttributesCommand({ cluster: "ec2", targetType: "container-instance", attributeName: "stack" }))).attributes).toHaveLength(
      1,
    );
    await expectAwsError(ecs.send(new PutAttributesCommand({ cluster: "ec2", attributes: [{ name: "x", value: "y", targetId: "ghost" }] })), {
      name: "TargetNotFoundException",
      status: 400,
    });
  });
});
