/**
 * ECS output members awsim used to leave out where AWS answers them: a service's deployment strategy defaults,
 * currentServiceDeployment and resourceManagementType, a deleted task definition's deleteRequestedAt, a Fargate task's
 * ephemeral storage (override size, the cluster's KMS key) and the ECS Exec managed agent of each container.
 */
import {
  CreateClusterCommand,
  CreateExpressGatewayServiceCommand,
  CreateServiceCommand,
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { beforeEach, describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const ARN = "arn:aws:ecs:us-east-1:000000000000";
const NET = { awsvpcConfiguration: { subnets: ["subnet-1"] } };
const KEY = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const sim = useServer({ reset: "ecs" }, (cfg) => ({ ecs: new ECSClient(cfg) }));

beforeEach(async () => {
  await sim.ecs.send(new CreateClusterCommand({ clusterName: "c" }));
  await sim.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: "web",
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: "256",
      memory: "512",
      taskRoleArn: "arn:aws:iam::000000000000:role/task",
      containerDefinitions: [
        { name: "app", image: "nginx", portMappings: [{ containerPort: 80 }] },
        { name: "side", image: "busybox", essential: false },
      ],
    }),
  );
});

describe("services", () => {
  it("answer AWS's deployment strategy defaults and resourceManagementType CUSTOMER", async () => {
    const created = (
      await sim.ecs.send(
        new CreateServiceCommand({ cluster: "c", serviceName: "s", taskDefinition: "web", desiredCount: 1, launchType: "FARGATE", networkConfiguration: NET }),
      )
    ).service!;
    // As a recorded create-service answer: ROLLING with bake time 0, and no currentServiceDeployment yet.
    expect(created.deploymentConfiguration).toEqual({
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      strategy: "ROLLING",
      bakeTimeInMinutes: 0,
    });
    expect(created.resourceManagementType).toBe("CUSTOMER");
    expect(created.currentServiceDeployment).toBeUndefined();
    const described = (await sim.ecs.send(new DescribeServicesCommand({ cluster: "c", services: ["s"] }))).services![0]!;
    expect(described.deploymentConfiguration?.strategy).toBe("ROLLING");
    expect(described.deploymentConfiguration?.bakeTimeInMinutes).toBe(0);
    expect(described.resourceManagementType).toBe("CUSTOMER");
  });

  it("keep a strategy and bake time that were given", async () => {
    const created = (
      await sim.ecs.send(
        new CreateServiceCommand({
          cluster: "c",
          serviceName: "bg",
          taskDefinition: "web",
          desiredCount: 0,
          launchType: "FARGATE",
          networkConfiguration: NET,
          deploymentConfiguration: { strategy: "BLUE_GREEN", bakeTimeInMinutes: 5 },
        }),
      )
    ).service!;
    expect(created.deploymentConfiguration).toMatchObject({ strategy: "BLUE_GREEN", bakeTimeInMinutes: 5, maximumPercent: 200 });
  });

  it("name their current service deployment in DescribeServices and UpdateService", async () => {
    await sim.ecs.send(
      new CreateServiceCommand({ cluster: "c", serviceName: "s", taskDefinition: "web", desiredCount: 1, launchType: "FARGATE", networkConfiguration: NET }),
    );
    const [first] = (await sim.ecs.send(new ListServiceDeploymentsCommand({ cluster: "c", service: "s" }))).serviceDeployments!;
    expect(first!.serviceDeploymentArn).toMatch(new RegExp(`^${ARN}:service-deployment/c/s/[0-9A-Za-z]{21}$`));
    const described = (await sim.ecs.send(new DescribeServicesCommand({ cluster: "c", services: ["s"] }))).services![0]!;
    expect(described.currentServiceDeployment).toBe(first!.serviceDeploymentArn);

    const updated = (await sim.ecs.send(new UpdateServiceCommand({ cluster: "c", service: "s", forceNewDeployment: true }))).service!;
    const [latest] = (await sim.ecs.send(new ListServiceDeploymentsCommand({ cluster: "c", service: "s" }))).serviceDeployments!;
    expect(latest!.serviceDeploymentArn).not.toBe(first!.serviceDeploymentArn);
    expect(updated.currentServiceDeployment).toBe(latest!.serviceDeploymentArn);
    const sd = (await sim.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [updated.currentServiceDeployment!] })))
      .serviceDeployments![0]!;
    expect(sd.targetServiceRevision?.arn).toBe(updated.currentServiceRevisions!.find((r) => r.arn?.endsWith(updated.deployments![0]!.id!.split("/")[1]!))?.arn);
  });

  it("answer a capacity provider strategy with weight and base 0 where they were left out", async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "cp", capacityProviders: ["FARGATE", "FARGATE_SPOT"] }));
    const created = (
      await sim.ecs.send(
        new CreateServiceCommand({
          cluster: "cp",
          serviceName: "s",
          taskDefinition: "web",
          desiredCount: 1,
          networkConfiguration: NET,
          capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }],
        }),
      )
    ).service!;
    expect(created.capacityProviderStrategy).toEqual([{ capacityProvider: "FARGATE", weight: 1, base: 0 }]);
    expect(created.deployments![0]!.capacityProviderStrategy).toEqual([{ capacityProvider: "FARGATE", weight: 1, base: 0 }]);
    const updated = (
      await sim.ecs.send(
        new UpdateServiceCommand({
          cluster: "cp",
          service: "s",
          forceNewDeployment: true,
          capacityProviderStrategy: [
            { capacityProvider: "FARGATE_SPOT", weight: 2 },
            { capacityProvider: "FARGATE", base: 1 },
          ],
        }),
      )
    ).service!;
    const expected = [
      { capacityProvider: "FARGATE_SPOT", weight: 2, base: 0 },
      { capacityProvider: "FARGATE", weight: 0, base: 1 },
    ];
    expect(updated.capacityProviderStrategy).toEqual(expected);
    expect(updated.deployments![0]!.capacityProviderStrategy).toEqual(expected);
  });

  it("of Express Mode are managed by ECS", async () => {
    const svc = (
      await sim.ecs.send(
        new CreateExpressGatewayServiceCommand({
          serviceName: "xp",
          executionRoleArn: "arn:aws:iam::000000000000:role/exec",
          infrastructureRoleArn: "arn:aws:iam::000000000000:role/infra",
          primaryContainer: { image: "nginx:1" },
        }),
      )
    ).service!;
    const described = (await sim.ecs.send(new DescribeServicesCommand({ cluster: "default", services: [svc.serviceArn!] }))).services![0]!;
    expect(described.resourceManagementType).toBe("ECS");
  });
});

describe("task definitions", () => {
  it("DeleteTaskDefinitions answers when the delete was requested", async () => {
    await sim.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "web:1" }));
    const before = Date.now();
    const out = await sim.ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: ["web:1"] }));
    const td = out.taskDefinitions![0]!;
    expect(td.status).toBe("DELETE_IN_PROGRESS");
    expect(td.deleteRequestedAt).toBeInstanceOf(Date);
    expect(td.deleteRequestedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(td.deregisteredAt!.getTime()).toBeLessThanOrEqual(td.deleteRequestedAt!.getTime());
  });
});

describe("tasks", () => {
  it("a Fargate task's ephemeral storage takes the override's size and the cluster's KMS key", async () => {
    await sim.ecs.send(
      new CreateClusterCommand({ clusterName: "enc", configuration: { managedStorageConfiguration: { fargateEphemeralStorageKmsKeyId: KEY } } }),
    );
    const [task] = (
      await sim.ecs.send(
        new RunTaskCommand({
          cluster: "enc",
          taskDefinition: "web",
          launchType: "FARGATE",
          networkConfiguration: NET,
          overrides: { ephemeralStorage: { sizeInGiB: 30 } },
        }),
      )
    ).tasks!;
    expect(task!.ephemeralStorage).toEqual({ sizeInGiB: 30 });
    expect(task!.fargateEphemeralStorage).toEqual({ sizeInGiB: 30, kmsKeyId: KEY });
    const [described] = (await sim.ecs.send(new DescribeTasksCommand({ cluster: "enc", tasks: [task!.taskArn!] }))).tasks!;
    expect(described!.fargateEphemeralStorage).toEqual({ sizeInGiB: 30, kmsKeyId: KEY });

    // Without a key and an override: the task definition's size (20 GiB by default), no key.
    const [plain] = (await sim.ecs.send(new RunTaskCommand({ cluster: "c", taskDefinition: "web", launchType: "FARGATE", networkConfiguration: NET }))).tasks!;
    expect(plain!.fargateEphemeralStorage).toEqual({ sizeInGiB: 20 });
  });

  it("with ECS Exec on, each running container reports its ExecuteCommandAgent", async () => {
    const [task] = (
      await sim.ecs.send(
        new RunTaskCommand({ cluster: "c", taskDefinition: "web", launchType: "FARGATE", networkConfiguration: NET, enableExecuteCommand: true }),
      )
    ).tasks!;
    const [described] = (await sim.ecs.send(new DescribeTasksCommand({ cluster: "c", tasks: [task!.taskArn!] }))).tasks!;
    expect(described!.containers).toHaveLength(2);
    for (const c of described!.containers!) {
      expect(c.managedAgents).toEqual([{ name: "ExecuteCommandAgent", lastStatus: "RUNNING", lastStartedAt: expect.any(Date) }]);
    }
    const [off] = (await sim.ecs.send(new RunTaskCommand({ cluster: "c", taskDefinition: "web", launchType: "FARGATE", networkConfiguration: NET }))).tasks!;
    expect(off!.containers!.every((c) => c.managedAgents === undefined)).toBe(true);
  });
});

describe("cluster statistics", () => {
  it("count a service on the Fargate capacity providers as a Fargate service", async () => {
    const { PutClusterCapacityProvidersCommand, DescribeClustersCommand } = await import("@aws-sdk/client-ecs");
    await sim.ecs.send(
      new PutClusterCapacityProvidersCommand({ cluster: "c", capacityProviders: ["FARGATE", "FARGATE_SPOT"], defaultCapacityProviderStrategy: [] }),
    );
    await sim.ecs.send(
      new CreateServiceCommand({
        cluster: "c",
        serviceName: "spot",
        taskDefinition: "web",
        desiredCount: 1,
        capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
        networkConfiguration: NET,
      }),
    );
    await sim.ecs.send(
      new CreateServiceCommand({ cluster: "c", serviceName: "lt", taskDefinition: "web", desiredCount: 0, launchType: "FARGATE", networkConfiguration: NET }),
    );
    const c = (await sim.ecs.send(new DescribeClustersCommand({ clusters: ["c"], include: ["STATISTICS"] }))).clusters![0]!;
    const stat = (name: string) => c.statistics!.find((s) => s.name === name)?.value;
    expect(stat("activeFargateServiceCount")).toBe("2");
    expect(stat("activeEC2ServiceCount")).toBe("0");
    expect(c.activeServicesCount).toBe(2);
  });
});
