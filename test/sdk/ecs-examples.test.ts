/**
 * ECS answers compared with AWS's documented examples (the aws CLI's examples/ecs/*.rst and botocore's
 * examples-1.json): which members are present, their defaults and formats, as AWS recorded them. Real
 * @aws-sdk/client-ecs.
 */
import {
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  CreateTaskSetCommand,
  DeleteAccountSettingCommand,
  DeleteAttributesCommand,
  DeregisterContainerInstanceCommand,
  DeleteCapacityProviderCommand,
  DeleteTaskSetCommand,
  DeleteClusterCommand,
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListAccountSettingsCommand,
  ListServiceDeploymentsCommand,
  PutClusterCapacityProvidersCommand,
  PutAccountSettingCommand,
  PutAccountSettingDefaultCommand,
  PutAttributesCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  ListServicesByNamespaceCommand,
  UpdateCapacityProviderCommand,
  UpdateClusterCommand,
  UpdateClusterSettingsCommand,
  UpdateContainerAgentCommand,
  UpdateServiceCommand,
  UpdateTaskSetCommand,
} from "@aws-sdk/client-ecs";
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateHttpNamespaceCommand, ListNamespacesCommand, ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { clientConfig, useServer } from "../helpers.js";

const t = useServer({ reset: true }, (cfg) => ({
  ecs: new ECSClient(cfg),
  iam: new IAMClient(cfg),
  sts: new STSClient(cfg),
  sd: new ServiceDiscoveryClient(cfg),
}));
const ARN = "arn:aws:ecs:us-east-1:000000000000";
const ASG = "arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:57ffcb94-11f0-4d6d-bf60-3bac5EXAMPLE:autoScalingGroupName/MyASG";

describe("clusters (create-cluster, describe-clusters, update-cluster-settings, delete-cluster)", () => {
  it("write operations answer statistics and tags as empty lists, attachments only when there are some", async () => {
    const c = (await t.ecs.send(new CreateClusterCommand({ clusterName: "MyCluster", settings: [{ name: "containerInsights", value: "enhanced" }] }))).cluster!;
    expect(c).toEqual({
      clusterArn: `${ARN}:cluster/MyCluster`,
      clusterName: "MyCluster",
      status: "ACTIVE",
      registeredContainerInstancesCount: 0,
      runningTasksCount: 0,
      pendingTasksCount: 0,
      activeServicesCount: 0,
      statistics: [],
      tags: [],
      settings: [{ name: "containerInsights", value: "enhanced" }],
      capacityProviders: [],
      defaultCapacityProviderStrategy: [],
    });
    const tagged = (
      await t.ecs.send(
        new CreateClusterCommand({
          clusterName: "Tagged",
          tags: [
            { key: "key1", value: "value1" },
            { key: "key2", value: "value2" },
          ],
        }),
      )
    ).cluster!;
    expect(tagged.tags).toEqual([
      { key: "key1", value: "value1" },
      { key: "key2", value: "value2" },
    ]);
    const u = (await t.ecs.send(new UpdateClusterSettingsCommand({ cluster: "MyCluster", settings: [{ name: "containerInsights", value: "enabled" }] })))
      .cluster!;
    expect(u.statistics).toEqual([]);
    expect(u.tags).toEqual([]);
    expect(u.settings).toEqual([{ name: "containerInsights", value: "enabled" }]);
    expect(u.attachments).toBeUndefined();
    const del = (await t.ecs.send(new DeleteClusterCommand({ cluster: "MyCluster" }))).cluster!;
    expect(del.status).toBe("INACTIVE");
    expect(del.statistics).toEqual([]);
    expect(del.tags).toEqual([]);
  });

  it("DescribeClusters answers statistics, tags and settings as empty lists unless included", async () => {
    await t.ecs.send(new CreateClusterCommand({ clusterName: "sampleCluster", tags: [{ key: "k", value: "v" }] }));
    const plain = (await t.ecs.send(new DescribeClustersCommand({ clusters: ["sampleCluster"] }))).clusters![0]!;
    expect(plain.statistics).toEqual([]);
    expect(plain.tags).toEqual([]);
    expect(plain.settings).toEqual([]);
    expect(plain.attachments).toBeUndefined();
    const withAttachments = (await t.ecs.send(new DescribeClustersCommand({ clusters: ["sampleCluster"], include: ["ATTACHMENTS"] }))).clusters![0]!;
    expect(withAttachments.attachments).toEqual([]);
    const all = (await t.ecs.send(new DescribeClustersCommand({ clusters: ["sampleCluster"], include: ["TAGS", "SETTINGS", "STATISTICS"] }))).clusters![0]!;
    expect(all.tags).toEqual([{ key: "k", value: "v" }]);
    expect(all.settings).toEqual([{ name: "containerInsights", value: "disabled" }]);
    expect(all.statistics!.map((s) => s.name)).toContain("runningEC2TasksCount");
  });
});

describe("capacity providers (create/describe/update/delete-capacity-provider)", () => {
  it("Describe without include TAGS answers tags []; Update answers UPDATE_IN_PROGRESS, Delete ACTIVE with DELETE_IN_PROGRESS", async () => {
    const created = (
      await t.ecs.send(
        new CreateCapacityProviderCommand({
          name: "MyCapacityProvider",
          autoScalingGroupProvider: {
            autoScalingGroupArn: ASG,
            managedScaling: { status: "ENABLED", targetCapacity: 100 },
            managedTerminationProtection: "ENABLED",
          },
          tags: [{ key: "environment", value: "production" }],
        }),
      )
    ).capacityProvider!;
    expect(created.autoScalingGroupProvider!.managedScaling).toEqual({
      status: "ENABLED",
      targetCapacity: 100,
      minimumScalingStepSize: 1,
      maximumScalingStepSize: 10000,
      instanceWarmupPeriod: 300,
    });
    const all = (await t.ecs.send(new DescribeCapacityProvidersCommand({}))).capacityProviders!;
    expect(all.map((p) => [p.name, p.tags])).toEqual([
      ["FARGATE", []],
      ["FARGATE_SPOT", []],
      ["MyCapacityProvider", []],
    ]);
    const tagged = (await t.ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: ["MyCapacityProvider"], include: ["TAGS"] })))
      .capacityProviders![0]!;
    expect(tagged.tags).toEqual([{ key: "environment", value: "production" }]);

    // put-cluster-capacity-providers: the scaling policy and managed draining hook attachments, the update in progress.
    await t.ecs.send(new CreateClusterCommand({ clusterName: "MyCluster" }));
    const put = (
      await t.ecs.send(
        new PutClusterCapacityProvidersCommand({
          cluster: "MyCluster",
          capacityProviders: ["MyCapacityProvider"],
          defaultCapacityProviderStrategy: [{ capacityProvider: "MyCapacityProvider", weight: 1 }],
        }),
      )
    ).cluster!;
    expect(put.attachmentsStatus).toBe("UPDATE_IN_PROGRESS");
    expect(put.defaultCapacityProviderStrategy).toEqual([{ capacityProvider: "MyCapacityProvider", weight: 1, base: 0 }]);
    expect(put.attachments!.map((a) => [a.type, a.status])).toEqual([
      ["as_policy", "CREATED"],
      ["managed_draining", "CREATED"],
    ]);
    expect(put.attachments![1]!.details).toEqual([
      { name: "capacityProviderName", value: "MyCapacityProvider" },
      { name: "autoScalingLifecycleHookName", value: "ecs-managed-draining-termination-hook" },
    ]);
    const described = (await t.ecs.send(new DescribeClustersCommand({ clusters: ["MyCluster"], include: ["ATTACHMENTS"] }))).clusters![0]!;
    expect(described.attachmentsStatus).toBe("UPDATE_COMPLETE");
    const cleared = (
      await t.ecs.send(new PutClusterCapacityProvidersCommand({ cluster: "MyCluster", capacityProviders: [], defaultCapacityProviderStrategy: [] }))
    ).cluster!;
    expect(cleared.capacityProviders).toEqual([]);
    expect(cleared.attachments!.map((a) => [a.type, a.status])).toEqual([
      ["as_policy", "DELETING"],
      ["managed_draining", "DELETING"],
    ]);
    expect((await t.ecs.send(new DescribeClustersCommand({ clusters: ["MyCluster"], include: ["ATTACHMENTS"] }))).clusters![0]!.attachments).toEqual([]);

    const up = (
      await t.ecs.send(
        new UpdateCapacityProviderCommand({
          name: "MyCapacityProvider",
          autoScalingGroupProvider: {
            managedScaling: { status: "DISABLED", targetCapacity: 50, minimumScalingStepSize: 2, maximumScalingStepSize: 30, instanceWarmupPeriod: 200 },
            managedTerminationProtection: "DISABLED",
            managedDraining: "DISABLED",
          },
        }),
      )
    ).capacityProvider!;
    expect(up.updateStatus).toBe("UPDATE_IN_PROGRESS");
    expect(up.autoScalingGroupProvider).toMatchObject({ managedScaling: { status: "ENABLED", targetCapacity: 100 }, managedDraining: "ENABLED" });
    const after = (await t.ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: ["MyCapacityProvider"] }))).capacityProviders![0]!;
    expect(after.updateStatus).toBe("UPDATE_COMPLETE");
    expect(after.autoScalingGroupProvider).toMatchObject({ managedScaling: { status: "DISABLED", targetCapacity: 50 }, managedDraining: "DISABLED" });

    // create-cluster with an Auto Scaling group provider: PROVISIONING while its scaling policy is set up.
    const withProvider = (
      await t.ecs.send(
        new CreateClusterCommand({
          clusterName: "WithProvider",
          capacityProviders: ["MyCapacityProvider"],
          defaultCapacityProviderStrategy: [{ capacityProvider: "MyCapacityProvider", weight: 1 }],
        }),
      )
    ).cluster!;
    expect(withProvider).toMatchObject({ status: "PROVISIONING", attachmentsStatus: "UPDATE_IN_PROGRESS", capacityProviders: ["MyCapacityProvider"] });
    expect((await t.ecs.send(new DescribeClustersCommand({ clusters: ["WithProvider"] }))).clusters![0]).toMatchObject({
      status: "ACTIVE",
      attachmentsStatus: "UPDATE_COMPLETE",
    });
    await t.ecs.send(new PutClusterCapacityProvidersCommand({ cluster: "WithProvider", capacityProviders: [], defaultCapacityProviderStrategy: [] }));

    const del = (await t.ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: `${ARN}:capacity-provider/MyCapacityProvider` }))).capacityProvider!;
    expect(del).toMatchObject({ name: "MyCapacityProvider", status: "ACTIVE", updateStatus: "DELETE_IN_PROGRESS" });
    const gone = (await t.ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: ["MyCapacityProvider"] }))).capacityProviders![0]!;
    expect(gone).toMatchObject({ status: "INACTIVE", updateStatus: "DELETE_COMPLETE" });
  });
});

const SLEEP360 = [{ name: "sleep", image: "busybox", cpu: 10, command: ["sleep", "360"], memory: 10, essential: true }];
const NET = { awsvpcConfiguration: { subnets: ["subnet-12344321"], securityGroups: ["sg-12344321"], assignPublicIp: "ENABLED" as const } };

async function fargateTd(family: string) {
  await t.ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: "256",
      memory: "512",
      containerDefinitions: [{ name: "web", image: "nginx", portMappings: [{ containerPort: 80 }] }],
    }),
  );
}

describe("task definitions (register-task-definition, describe-task-definition)", () => {
  it("no networkMode given: none answered; compatibilities EXTERNAL, EC2; Describe answers tags [] without include", async () => {
    const reg = await t.ecs.send(new RegisterTaskDefinitionCommand({ family: "sleep360", containerDefinitions: SLEEP360 }));
    expect(reg.tags).toBeUndefined();
    const td = reg.taskDefinition!;
    expect(td.taskDefinitionArn).toBe(`${ARN}:task-definition/sleep360:1`);
    expect(td.networkMode).toBeUndefined();
    expect(td.compatibilities).toEqual(["EXTERNAL", "EC2"]);
    expect(td.containerDefinitions![0]).toMatchObject({ environment: [], mountPoints: [], portMappings: [], volumesFrom: [], essential: true });
    const d = await t.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "sleep360:1" }));
    expect(d.tags).toEqual([]);
    expect(d.taskDefinition!.networkMode).toBeUndefined();
    await fargateTd("fg");
    const fg = (await t.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "fg" }))).taskDefinition!;
    expect(fg.networkMode).toBe("awsvpc");
    expect(fg.compatibilities).toEqual(["EC2", "FARGATE", "MANAGED_INSTANCES"]);
    // Managed Instances take awsvpc, host and none, never bridge (explicit or by default).
    const host = await t.ecs.send(new RegisterTaskDefinitionCommand({ family: "hostmode", networkMode: "host", containerDefinitions: SLEEP360 }));
    expect(host.taskDefinition!.compatibilities).toEqual(["EXTERNAL", "EC2", "MANAGED_INSTANCES"]);
    const bridge = await t.ecs.send(new RegisterTaskDefinitionCommand({ family: "bridged", networkMode: "bridge", containerDefinitions: SLEEP360 }));
    expect(bridge.taskDefinition!.compatibilities).toEqual(["EXTERNAL", "EC2"]);
  });
});

describe("tasks (run-task, describe-tasks)", () => {
  it("overrides list every container by name; an EC2 task without task-level sizes answers the containers' sums", async () => {
    await t.ecs.send(new CreateClusterCommand({}));
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "two",
        containerDefinitions: [
          { name: "a", image: "busybox", cpu: 10, memory: 300 },
          { name: "b", image: "busybox", cpu: 20, memoryReservation: 100 },
        ],
      }),
    );
    const task = (await t.ecs.send(new RunTaskCommand({ taskDefinition: "two", overrides: { containerOverrides: [{ name: "b", command: ["echo", "hi"] }] } })))
      .tasks![0]!;
    expect(task.overrides).toEqual({
      containerOverrides: [{ name: "a" }, { name: "b", command: ["echo", "hi"] }],
      inferenceAcceleratorOverrides: [],
    });
    expect(task.cpu).toBe("30");
    expect(task.memory).toBe("400");
    expect(task.group).toBe("family:two");
    expect(task.attributes).toEqual([{ name: "ecs.cpu-architecture", value: "x86_64" }]);
    const described = (await t.ecs.send(new DescribeTasksCommand({ tasks: [task.taskArn!] }))).tasks![0]!;
    expect(described.overrides!.containerOverrides).toEqual([{ name: "a" }, { name: "b", command: ["echo", "hi"] }]);
  });

  it("a Fargate task answers platformVersion 1.4.0 and both ephemeralStorage and fargateEphemeralStorage of 20 GiB", async () => {
    await t.ecs.send(new CreateClusterCommand({}));
    await fargateTd("webserver");
    const task = (await t.ecs.send(new RunTaskCommand({ taskDefinition: "webserver", launchType: "FARGATE", networkConfiguration: NET }))).tasks![0]!;
    expect(task).toMatchObject({
      cpu: "256",
      memory: "512",
      platformVersion: "1.4.0",
      platformFamily: "Linux",
      ephemeralStorage: { sizeInGiB: 20 },
      fargateEphemeralStorage: { sizeInGiB: 20 },
      overrides: { containerOverrides: [{ name: "web" }], inferenceAcceleratorOverrides: [] },
    });
  });
});

describe("services (create-service, update-service)", () => {
  it("a Fargate service: the service-linked roleArn, healthCheckGracePeriodSeconds 0, deployments name platform 1.4.0", async () => {
    await t.ecs.send(new CreateClusterCommand({ clusterName: "MyCluster" }));
    await fargateTd("sample-fargate");
    const s = (
      await t.ecs.send(
        new CreateServiceCommand({
          cluster: "MyCluster",
          serviceName: "MyService",
          taskDefinition: "sample-fargate:1",
          desiredCount: 2,
          launchType: "FARGATE",
          platformVersion: "LATEST",
          networkConfiguration: NET,
          tags: [{ key: "key1", value: "value1" }],
        }),
      )
    ).service!;
    expect(s.roleArn).toBe("arn:aws:iam::000000000000:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS");
    expect(s.healthCheckGracePeriodSeconds).toBe(0);
    expect(s.platformVersion).toBe("LATEST");
    expect(s.deployments![0]!.platformVersion).toBe("1.4.0");
    expect(s.deployments![0]!.rolloutStateReason).toMatch(/^ECS deployment ecs-svc\/\d{19} (in progress|completed)\.$/);
    expect(s.tags).toEqual([{ key: "key1", value: "value1" }]);
    // (The CLI example predates deployment strategies; answers recorded since show ROLLING with no bake time.)
    expect(s.deploymentConfiguration).toEqual({
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      strategy: "ROLLING",
      bakeTimeInMinutes: 0,
    });
    await fargateTd("sample-fargate");
    const u = (await t.ecs.send(new UpdateServiceCommand({ cluster: "MyCluster", service: "MyService", taskDefinition: "sample-fargate" }))).service!;
    expect(u.deployments!.every((d) => d.platformVersion === "1.4.0")).toBe(true);
    expect(u.deployments![0]!.rolloutStateReason).toContain(u.deployments![0]!.id!);
  });

  it("an EC2 bridge service has no roleArn and, created without tags, names none; a role name becomes a role ARN", async () => {
    await t.ecs.send(new CreateClusterCommand({ clusterName: "MyCluster" }));
    await t.ecs.send(new RegisterTaskDefinitionCommand({ family: "sleep360", containerDefinitions: SLEEP360 }));
    const s = (
      await t.ecs.send(new CreateServiceCommand({ cluster: "MyCluster", serviceName: "ecs-simple-service", taskDefinition: "sleep360", desiredCount: 1 }))
    ).service!;
    expect(s.roleArn).toBeUndefined();
    expect(s.tags).toBeUndefined();
    expect(s.launchType).toBe("EC2");
    expect(s.schedulingStrategy).toBe("REPLICA");
    expect(s.enableECSManagedTags).toBe(false);
    expect(s.propagateTags).toBe("NONE");
    const ext = (
      await t.ecs.send(new CreateServiceCommand({ cluster: "MyCluster", serviceName: "ext", deploymentController: { type: "EXTERNAL" }, desiredCount: 1 }))
    ).service!;
    expect(ext.roleArn).toBe("arn:aws:iam::000000000000:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS");
    expect(ext.deployments).toEqual([]);
    expect(ext.taskSets).toEqual([]);
    // The load balancer's container must map its port (AWS: "The container sleep did not have a container port 80 defined.").
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({ family: "sleep360-web", containerDefinitions: [{ ...SLEEP360[0]!, portMappings: [{ containerPort: 80 }] }] }),
    );
    const lb = (
      await t.ecs.send(
        new CreateServiceCommand({
          cluster: "MyCluster",
          serviceName: "elb",
          taskDefinition: "sleep360-web",
          desiredCount: 0,
          role: "ecsServiceRole",
          loadBalancers: [{ loadBalancerName: "EC2Contai-EcsElast-123456789012", containerName: "sleep", containerPort: 80 }],
        }),
      )
    ).service!;
    expect(lb.roleArn).toBe("arn:aws:iam::000000000000:role/ecsServiceRole");
  });
});

describe("account settings and who did it (put-account-setting, list-account-settings, delete-account-setting)", () => {
  it("an IAM user's setting is its own; listing without effectiveSettings names only the principal's own settings", async () => {
    const user = `u${Date.now()}`;
    await t.iam.send(new CreateUserCommand({ UserName: user }));
    const key = (await t.iam.send(new CreateAccessKeyCommand({ UserName: user }))).AccessKey!;
    const asUser = new ECSClient(clientConfig(t.server, { credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } }));
    const userArn = `arn:aws:iam::000000000000:user/${user}`;
    const put = (await asUser.send(new PutAccountSettingCommand({ name: "containerInsights", value: "enhanced" }))).setting!;
    expect(put).toEqual({ name: "containerInsights", value: "enhanced", principalArn: userArn, type: "user" });
    const def = (await t.ecs.send(new PutAccountSettingDefaultCommand({ name: "serviceLongArnFormat", value: "enabled" }))).setting!;
    expect(def.principalArn).toBe("arn:aws:iam::000000000000:root");
    await t.ecs.send(new PutAccountSettingCommand({ name: "serviceLongArnFormat", value: "enabled", principalArn: "arn:aws:iam::000000000000:user/MyUser" }));
    const mine = (await t.ecs.send(new ListAccountSettingsCommand({ principalArn: "arn:aws:iam::000000000000:user/MyUser" }))).settings!;
    expect(mine.map((x) => [x.name, x.principalArn])).toEqual([["serviceLongArnFormat", "arn:aws:iam::000000000000:user/MyUser"]]);
    const users = (await asUser.send(new ListAccountSettingsCommand({}))).settings!;
    expect(users.map((x) => [x.name, x.value])).toEqual([["containerInsights", "enhanced"]]);
    const eff = (await asUser.send(new ListAccountSettingsCommand({ effectiveSettings: true, name: "serviceLongArnFormat" }))).settings!;
    expect(eff.map((x) => x.value)).toEqual(["enabled"]);
    // The user's own containerInsights setting applies to the clusters it creates.
    const c = (await asUser.send(new CreateClusterCommand({ clusterName: "byUser" }))).cluster!;
    expect(c.settings).toEqual([{ name: "containerInsights", value: "enhanced" }]);
    const del = (await t.ecs.send(new DeleteAccountSettingCommand({ name: "serviceLongArnFormat", principalArn: "arn:aws:iam::000000000000:user/MyUser" })))
      .setting!;
    expect(del).toMatchObject({ name: "serviceLongArnFormat", value: "enabled", principalArn: "arn:aws:iam::000000000000:user/MyUser" });
    expect((await t.ecs.send(new ListAccountSettingsCommand({ principalArn: "arn:aws:iam::000000000000:user/MyUser" }))).settings).toEqual([]);
  });

  it("registeredBy names an assumed role's session, a service's createdBy its role", async () => {
    const role = (
      await t.iam.send(
        new CreateRoleCommand({
          RoleName: `demo-role-${Date.now()}`,
          AssumeRolePolicyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:root" }, Action: "sts:AssumeRole" }],
          }),
        }),
      )
    ).Role!;
    const creds = (await t.sts.send(new AssumeRoleCommand({ RoleArn: role.Arn!, RoleSessionName: "jane-doe" }))).Credentials!;
    const asRole = new ECSClient(
      clientConfig(t.server, {
        credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! },
      }),
    );
    const td = (await asRole.send(new RegisterTaskDefinitionCommand({ family: "hello_world", containerDefinitions: SLEEP360 }))).taskDefinition!;
    expect(td.registeredBy).toBe(`arn:aws:sts::000000000000:assumed-role/${role.RoleName}/jane-doe`);
    await asRole.send(new CreateClusterCommand({}));
    const s = (await asRole.send(new CreateServiceCommand({ serviceName: "svc", taskDefinition: "hello_world", desiredCount: 0 }))).service!;
    expect(s.createdBy).toBe(role.Arn);
    const root = (await t.ecs.send(new RegisterTaskDefinitionCommand({ family: "hello_world", containerDefinitions: SLEEP360 }))).taskDefinition!;
    expect(root.registeredBy).toBe("arn:aws:iam::000000000000:root");
  });
});

describe("task sets (create-task-set, update-task-set)", () => {
  it("no scale given: 0 PERCENT and no tasks; assignPublicIp DISABLED filled in; tags only when given", async () => {
    await t.ecs.send(new CreateClusterCommand({ clusterName: "MyCluster" }));
    await t.ecs.send(new CreateServiceCommand({ cluster: "MyCluster", serviceName: "MyService", deploymentController: { type: "EXTERNAL" }, desiredCount: 2 }));
    await t.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "MyTaskDefinition",
        networkMode: "awsvpc",
        containerDefinitions: [{ name: "web", image: "nginx", memory: 128 }],
      }),
    );
    const ts = (
      await t.ecs.send(
        new CreateTaskSetCommand({
          cluster: "MyCluster",
          service: "MyService",
          taskDefinition: "MyTaskDefinition:1",
          networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-12344321"], securityGroups: ["sg-12344321"] } },
        }),
      )
    ).taskSet!;
    expect(ts.scale).toEqual({ value: 0, unit: "PERCENT" });
    expect(ts.computedDesiredCount).toBe(0);
    expect(ts.runningCount).toBe(0);
    expect(ts.launchType).toBe("EC2");
    expect(ts.networkConfiguration).toEqual({
      awsvpcConfiguration: { subnets: ["subnet-12344321"], securityGroups: ["sg-12344321"], assignPublicIp: "DISABLED" },
    });
    expect(ts.loadBalancers).toEqual([]);
    expect(ts.serviceRegistries).toEqual([]);
    expect(ts.tags).toBeUndefined();
    const up = (
      await t.ecs.send(new UpdateTaskSetCommand({ cluster: "MyCluster", service: "MyService", taskSet: ts.taskSetArn!, scale: { value: 50, unit: "PERCENT" } }))
    ).taskSet!;
    expect(up.scale).toEqual({ value: 50, unit: "PERCENT" });
    expect(up.computedDesiredCount).toBe(1);
    expect(up.tags).toBeUndefined();
    const del = (await t.ecs.send(new DeleteTaskSetCommand({ cluster: "MyCluster", service: "MyService", taskSet: ts.id!, force: true }))).taskSet!;
    expect(del).toMatchObject({ status: "DRAINING", computedDesiredCount: 0, scale: { value: 50, unit: "PERCENT" } });
    expect(del.tags).toBeUndefined();
  });
});

describe("service deployments and revisions (list/describe-service-deployments, describe-service-revisions)", () => {
  it("deployment ARNs end in a 21-character id; revisions name container images and Service Connect off, no empty lists", async () => {
    await t.ecs.send(new CreateClusterCommand({ clusterName: "example-cluster" }));
    await fargateTd("webserver");
    await t.ecs.send(
      new CreateServiceCommand({
        cluster: "example-cluster",
        serviceName: "example-service",
        taskDefinition: "webserver",
        desiredCount: 1,
        launchType: "FARGATE",
        networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-0d0eab1bb38d5ca64"] } },
      }),
    );
    const svc = (await t.ecs.send(new DescribeServicesCommand({ cluster: "example-cluster", services: ["example-service"] }))).services![0]!;
    expect(svc.networkConfiguration!.awsvpcConfiguration!.assignPublicIp).toBe("DISABLED");
    const list = (await t.ecs.send(new ListServiceDeploymentsCommand({ cluster: "example-cluster", service: "example-service" }))).serviceDeployments!;
    expect(list).toHaveLength(1);
    expect(list[0]!.serviceDeploymentArn).toMatch(new RegExp(`^${ARN}:service-deployment/example-cluster/example-service/[A-Za-z0-9]{21}$`));
    expect(list[0]!.status).toBe("SUCCESSFUL");
    const sd = (await t.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [list[0]!.serviceDeploymentArn!] }))).serviceDeployments![0]!;
    expect(sd.sourceServiceRevisions).toEqual([]);
    expect(sd.targetServiceRevision).toMatchObject({ requestedTaskCount: 1, runningTaskCount: 1, pendingTaskCount: 0 });
    const rev = (await t.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [sd.targetServiceRevision!.arn!] }))).serviceRevisions![0]!;
    expect(rev.serviceRevisionArn).toMatch(new RegExp(`^${ARN}:service-revision/example-cluster/example-service/\\d{19}$`));
    expect(rev.containerImages).toEqual([{ containerName: "web", image: "nginx" }]);
    expect(rev.serviceConnectConfiguration).toEqual({ enabled: false });
    expect(rev.platformVersion).toBe("1.4.0");
    expect(rev.guardDutyEnabled).toBe(false);
    expect(rev.loadBalancers).toBeUndefined();
    expect(rev.serviceRegistries).toBeUndefined();
  });
});

describe("container instances and attributes (describe-container-instances, update-container-agent, put/delete-attributes)", () => {
  async function register(cluster: string) {
    return (
      await t.ecs.send(
        new RegisterContainerInstanceCommand({
          cluster,
          instanceIdentityDocument: JSON.stringify({ instanceId: "i-0123456789abcdef0", instanceType: "c5.large", availabilityZone: "us-east-1c" }),
          totalResources: [
            { name: "CPU", type: "INTEGER", integerValue: 2048 },
            { name: "MEMORY", type: "INTEGER", integerValue: 3955 },
          ],
          versionInfo: { agentVersion: "1.0.0", agentHash: "4023248", dockerVersion: "DockerVersion: 1.5.0" },
        }),
      )
    ).containerInstance!;
  }

  it("reserved ports in the agent's order; UpdateContainerAgent answers PENDING; a deleted attribute names its value", async () => {
    await t.ecs.send(new CreateClusterCommand({ clusterName: "update" }));
    const ci = await register("update");
    const d = (await t.ecs.send(new DescribeContainerInstancesCommand({ cluster: "update", containerInstances: [ci.containerInstanceArn!] })))
      .containerInstances![0]!;
    for (const list of [d.registeredResources!, d.remainingResources!]) {
      expect(list.find((r) => r.name === "PORTS")).toEqual({
        name: "PORTS",
        type: "STRINGSET",
        doubleValue: 0,
        longValue: 0,
        integerValue: 0,
        stringSetValue: ["22", "2376", "2375", "51678", "51679"],
      });
    }
    const agent = (await t.ecs.send(new UpdateContainerAgentCommand({ cluster: "update", containerInstance: ci.containerInstanceArn! }))).containerInstance!;
    expect(agent.agentUpdateStatus).toBe("PENDING");
    expect(agent.versionInfo!.agentVersion).toBe("1.0.0");
    const after = (await t.ecs.send(new DescribeContainerInstancesCommand({ cluster: "update", containerInstances: [ci.containerInstanceArn!] })))
      .containerInstances![0]!;
    expect(after.agentUpdateStatus).toBe("UPDATED");
    expect(after.versionInfo!.agentVersion).not.toBe("1.0.0");

    await t.ecs.send(new PutAttributesCommand({ cluster: "update", attributes: [{ name: "stack", value: "production", targetId: ci.containerInstanceArn! }] }));
    const del = await t.ecs.send(new DeleteAttributesCommand({ cluster: "update", attributes: [{ name: "stack", targetId: ci.containerInstanceArn! }] }));
    expect(del.attributes).toEqual([{ name: "stack", value: "production", targetType: "container-instance", targetId: ci.containerInstanceArn }]);

    const gone = (await t.ecs.send(new DeregisterContainerInstanceCommand({ cluster: "update", containerInstance: ci.containerInstanceArn!, force: true })))
      .containerInstance!;
    expect(gone).toMatchObject({ status: "INACTIVE", agentConnected: true, runningTasksCount: 0, attachments: [] });
    const later = (await t.ecs.send(new DescribeContainerInstancesCommand({ cluster: "update", containerInstances: [ci.containerInstanceArn!] })))
      .containerInstances![0]!;
    expect(later).toMatchObject({ status: "INACTIVE", agentConnected: false });
  });
});

describe("Service Connect defaults (update-cluster --service-connect-defaults)", () => {
  it("a namespace name becomes its Cloud Map namespace's ARN (created when new) and an sc attachment; the old one DELETED", async () => {
    await t.ecs.send(new CreateClusterCommand({ clusterName: "ECS-project-update-cluster" }));
    const u = (await t.ecs.send(new UpdateClusterCommand({ cluster: "ECS-project-update-cluster", serviceConnectDefaults: { namespace: "test" } }))).cluster!;
    const namespaces = (await t.sd.send(new ListNamespacesCommand({}))).Namespaces!;
    const created = namespaces.find((n) => n.Name === "test")!;
    expect(created.Type).toBe("HTTP");
    expect(u.serviceConnectDefaults).toEqual({ namespace: created.Arn });
    expect(created.Arn).toMatch(/^arn:aws:servicediscovery:us-east-1:000000000000:namespace\/ns-[a-z2-7]{16}$/);
    expect(u.attachments!.map((a) => [a.type, a.status, a.details])).toEqual([["sc", "ATTACHED", []]]);

    await t.sd.send(new CreateHttpNamespaceCommand({ Name: "shop" }));
    const shop = (await t.sd.send(new ListNamespacesCommand({}))).Namespaces!.find((n) => n.Name === "shop")!;
    const again = (await t.ecs.send(new UpdateClusterCommand({ cluster: "ECS-project-update-cluster", serviceConnectDefaults: { namespace: "shop" } })))
      .cluster!;
    expect(again.serviceConnectDefaults).toEqual({ namespace: shop.Arn });
    expect(again.attachments!.map((a) => [a.type, a.status])).toEqual([
      ["sc", "DELETED"],
      ["sc", "ATTACHED"],
    ]);
    expect((await t.sd.send(new ListNamespacesCommand({}))).Namespaces!.filter((n) => n.Name === "shop")).toHaveLength(1);

    // A Service Connect service using the cluster's default is listed by the namespace's name or ARN.
    await t.ecs.send(new RegisterTaskDefinitionCommand({ family: "sc", containerDefinitions: SLEEP360 }));
    const svc = (
      await t.ecs.send(
        new CreateServiceCommand({
          cluster: "ECS-project-update-cluster",
          serviceName: "sc-svc",
          taskDefinition: "sc",
          desiredCount: 0,
          serviceConnectConfiguration: { enabled: true },
        }),
      )
    ).service!;
    expect((await t.ecs.send(new ListServicesByNamespaceCommand({ namespace: "shop" }))).serviceArns).toEqual([svc.serviceArn]);
    expect((await t.ecs.send(new ListServicesByNamespaceCommand({ namespace: shop.Arn! }))).serviceArns).toEqual([svc.serviceArn]);
    expect((await t.ecs.send(new ListServicesByNamespaceCommand({ namespace: "test" }))).serviceArns).toEqual([]);
  });
});
