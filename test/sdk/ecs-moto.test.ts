/**
 * ECS scenarios replayed from public boto3 suites (moto's test_ecs), asserting AWS's answers: the facts
 * each test relies on are named beside it (AWS's CLI examples, AWS errors quoted in public issues).
 */
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTasksCommand,
  PutClusterCapacityProvidersCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateContainerInstancesStateCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, DescribeNetworkInterfacesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const container = { name: "hello_world", image: "docker/hello-world:latest", cpu: 1024, memory: 400 };

describe("ECS moto scenarios", () => {
  const sim = useServer({}, (cfg) => ({ ecs: new ECSClient(cfg), ec2: new EC2Client(cfg) }));
  beforeAll(async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "moto" }));
    await sim.ecs.send(new RegisterTaskDefinitionCommand({ family: "bridge-td", containerDefinitions: [container] }));
  });

  it("CreateService answers no events yet; DescribeServices shows them afterwards", async () => {
    // Every create-service example in AWS's CLI docs answers "events": [] (events are written afterwards).
    const s = (await sim.ecs.send(new CreateServiceCommand({ cluster: "moto", serviceName: "ev", taskDefinition: "bridge-td", desiredCount: 2 }))).service!;
    expect(s.events).toEqual([]);
    expect(s.loadBalancers).toEqual([]);
    expect(s.schedulingStrategy).toBe("REPLICA");
    expect(s.launchType).toBe("EC2");
    const d = (await sim.ecs.send(new DescribeServicesCommand({ cluster: "moto", services: ["ev"] }))).services![0]!;
    expect(d.events!.length).toBeGreaterThan(0);
  });

  it("a platform version with the EC2 launch type is refused, as AWS refuses it", async () => {
    // AWS: "InvalidParameterException: The platform version must be null when specifying an EC2 launch type."
    // (quoted from AWS in aws/amazon-ecs-cli#1040 and #1047).
    const message = "The platform version must be null when specifying an EC2 launch type.";
    await expectAwsError(
      sim.ecs.send(
        new CreateServiceCommand({
          cluster: "moto",
          serviceName: "pv",
          taskDefinition: "bridge-td",
          desiredCount: 1,
          launchType: "EC2",
          platformVersion: "1.4.0",
        }),
      ),
      { name: "InvalidParameterException", status: 400, message },
    );
    await expectAwsError(sim.ecs.send(new RunTaskCommand({ cluster: "moto", taskDefinition: "bridge-td", launchType: "EC2", platformVersion: "LATEST" })), {
      name: "InvalidParameterException",
      status: 400,
      message,
    });
  });

  it("a Fargate service needs a Fargate-compatible task definition, as RunTask does", async () => {
    await expectAwsError(
      sim.ecs.send(new CreateServiceCommand({ cluster: "moto", serviceName: "fg", taskDefinition: "bridge-td", desiredCount: 1, launchType: "FARGATE" })),
      { name: "InvalidParameterException", status: 400, message: "Task definition does not support launch_type FARGATE." },
    );
    const list = await sim.ecs.send(new DescribeServicesCommand({ cluster: "moto", services: ["fg"] }));
    // A missing name is answered as service/<name> (AWS's answer quoted in aws-actions/amazon-ecs-deploy-task-definition#312).
    expect(list.failures).toEqual([{ arn: "arn:aws:ecs:us-east-1:000000000000:service/fg", reason: "MISSING" }]);
  });

  it("Fargate task definitions refuse pidMode host and ipcMode", async () => {
    const fargate = {
      family: "fg-td",
      containerDefinitions: [{ name: "hello_world", image: "hello-world:latest", memory: 400 }],
      requiresCompatibilities: ["FARGATE" as const],
      networkMode: "awsvpc" as const,
      cpu: "256",
      memory: "512",
    };
    // AWS's message, quoted from a CloudFormation failure in aws/aws-cdk#29619.
    await expectAwsError(sim.ecs.send(new RegisterTaskDefinitionCommand({ ...fargate, pidMode: "host" })), {
      name: "ClientException",
      status: 400,
      message: "Tasks using the Fargate launch type do not support pidMode 'host'. The supported value for pidMode is 'task'.",
    });
    // AWS's message, quoted in cn-terraform/terraform-aws-ecs-fargate#2.
    await expectAwsError(sim.ecs.send(new RegisterTaskDefinitionCommand({ ...fargate, ipcMode: "host" })), {
      name: "ClientException",
      status: 400,
      message: "Tasks using the Fargate launch type do not support ipcMode.",
    });
    const ok = (await sim.ecs.send(new RegisterTaskDefinitionCommand({ ...fargate, pidMode: "task" }))).taskDefinition!;
    expect(ok.pidMode).toBe("task");
    expect(ok.compatibilities).toEqual(["EC2", "FARGATE", "MANAGED_INSTANCES"]);
  });

  it("task definitions keep every member the request and the model share", async () => {
    await sim.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "full",
        containerDefinitions: [container],
        proxyConfiguration: { type: "APPMESH", containerName: "hello_world" },
        inferenceAccelerators: [{ deviceName: "dn", deviceType: "eia2.medium" }],
        runtimePlatform: { cpuArchitecture: "X86_64", operatingSystemFamily: "LINUX" },
        ipcMode: "host",
        pidMode: "host",
        ephemeralStorage: { sizeInGiB: 123 },
        enableFaultInjection: true,
      }),
    );
    const td = (await sim.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "full" }))).taskDefinition!;
    expect(td.inferenceAccelerators).toEqual([{ deviceName: "dn", deviceType: "eia2.medium" }]);
    expect(td.enableFaultInjection).toBe(true);
    expect(td.proxyConfiguration).toEqual({ type: "APPMESH", containerName: "hello_world" });
    expect(td.runtimePlatform).toEqual({ cpuArchitecture: "X86_64", operatingSystemFamily: "LINUX" });
    expect([td.ipcMode, td.pidMode]).toEqual(["host", "host"]);
    expect(td.ephemeralStorage).toEqual({ sizeInGiB: 123 });
  });

  it("an EFS volume without a root directory is answered with rootDirectory /", async () => {
    // AWS reads "/" back for an unset root directory (hashicorp/terraform-provider-aws#26793 shows the state AWS returned).
    const volumes = [
      { name: "root", efsVolumeConfiguration: { fileSystemId: "fs-12345678", transitEncryption: "ENABLED" as const } },
      { name: "sub", efsVolumeConfiguration: { fileSystemId: "fs-12345678", rootDirectory: "/data" } },
    ];
    await sim.ecs.send(new RegisterTaskDefinitionCommand({ family: "efs", containerDefinitions: [container], volumes }));
    const td = (await sim.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "efs" }))).taskDefinition!;
    expect(td.volumes).toEqual([
      { name: "root", efsVolumeConfiguration: { fileSystemId: "fs-12345678", rootDirectory: "/", transitEncryption: "ENABLED" } },
      { name: "sub", efsVolumeConfiguration: { fileSystemId: "fs-12345678", rootDirectory: "/data" } },
    ]);
  });

  it("an awsvpc task's ENI is an EC2 network interface while the task lives", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    const subnet = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.0.0.0/18" }))).Subnet!.SubnetId!;
    const sg = (await sim.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: "task-sg", Description: "tasks" }))).GroupId!;
    await sim.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "vpc-td",
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: "256",
        memory: "512",
        containerDefinitions: [{ name: "app", image: "nginx" }],
      }),
    );
    const task = (
      await sim.ecs.send(
        new RunTaskCommand({
          cluster: "moto",
          taskDefinition: "vpc-td",
          launchType: "FARGATE",
          networkConfiguration: { awsvpcConfiguration: { subnets: [subnet], securityGroups: [sg] } },
        }),
      )
    ).tasks![0]!;
    const att = task.attachments![0]!;
    const detail = Object.fromEntries(att.details!.map((d) => [d.name, d.value]));
    const enis = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [detail.networkInterfaceId!] }))).NetworkInterfaces!;
    expect(enis).toHaveLength(1);
    expect(enis[0]).toMatchObject({
      SubnetId: subnet,
      VpcId: vpc,
      PrivateIpAddress: detail.privateIPv4Address,
      MacAddress: detail.macAddress,
      PrivateDnsName: detail.privateDnsName,
      RequesterManaged: true,
      Description: `arn:aws:ecs:us-east-1:000000000000:attachment/${att.id}`,
      Groups: [{ GroupId: sg, GroupName: "task-sg" }],
    });
    expect(detail.privateIPv4Address).toMatch(/^10\.0\./);
    expect(enis[0]!.Association).toBeUndefined();
    // assignPublicIp ENABLED: the task's public address is the interface's association (where users look it up).
    const pub = (
      await sim.ecs.send(
        new RunTaskCommand({
          cluster: "moto",
          taskDefinition: "vpc-td",
          launchType: "FARGATE",
          networkConfiguration: { awsvpcConfiguration: { subnets: [subnet], assignPublicIp: "ENABLED" } },
        }),
      )
    ).tasks![0]!;
    const pubEni = pub.attachments![0]!.details!.find((d) => d.name === "networkInterfaceId")!.value!;
    const [described] = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [pubEni] }))).NetworkInterfaces!;
    expect(described!.Association).toMatchObject({ PublicIp: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/), IpOwnerId: "amazon" });
    expect(described!.Groups).toEqual([{ GroupId: expect.stringMatching(/^sg-/), GroupName: "default" }]);
    await sim.ecs.send(new StopTaskCommand({ cluster: "moto", task: pub.taskArn! }));
    await sim.ecs.send(new StopTaskCommand({ cluster: "moto", task: task.taskArn! }));
    await expect
      .poll(async () => (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "subnet-id", Values: [subnet] }] }))).NetworkInterfaces)
      .toEqual([]);
  });

  it("a DAEMON service runs one task per ACTIVE container instance and refuses a desired count", async () => {
    await sim.ecs.send(new CreateClusterCommand({ clusterName: "daemons" }));
    const daemon = { cluster: "daemons", taskDefinition: "bridge-td", schedulingStrategy: "DAEMON" as const };
    // AWS's messages, quoted in kayac/ecspresso#17 and kayac/ecspresso#402.
    await expectAwsError(sim.ecs.send(new CreateServiceCommand({ ...daemon, serviceName: "d", desiredCount: 2 })), {
      name: "InvalidParameterException",
      status: 400,
      message: "The daemon scheduling strategy does not support a desired count for services. Remove the desired count value and try again",
    });
    await expectAwsError(
      sim.ecs.send(new CreateServiceCommand({ ...daemon, serviceName: "d", placementStrategy: [{ type: "spread", field: "instanceId" }] })),
      {
        name: "InvalidParameterException",
        status: 400,
        message: "The daemon scheduling strategy does not support placement strategies. Remove the placement strategy and try again",
      },
    );
    const created = (await sim.ecs.send(new CreateServiceCommand({ ...daemon, serviceName: "d" }))).service!;
    expect(created).toMatchObject({ schedulingStrategy: "DAEMON", desiredCount: 0 });
    const instance = async () =>
      (
        await sim.ecs.send(
          new RegisterContainerInstanceCommand({
            cluster: "daemons",
            instanceIdentityDocument: JSON.stringify({ instanceId: `i-${Math.random().toString(16).slice(2, 19).padEnd(17, "0")}`, instanceType: "m5.large" }),
          }),
        )
      ).containerInstance!.containerInstanceArn!;
    const [a, b] = [await instance(), await instance()];
    const svc = async () => (await sim.ecs.send(new DescribeServicesCommand({ cluster: "daemons", services: ["d"] }))).services![0]!;
    await expect.poll(async () => (await svc()).runningCount).toBe(2);
    expect((await svc()).desiredCount).toBe(2);
    for (const arn of [a, b])
      expect((await sim.ecs.send(new ListTasksCommand({ cluster: "daemons", containerInstance: arn, serviceName: "d" }))).taskArns).toHaveLength(1);
    await sim.ecs.send(new UpdateContainerInstancesStateCommand({ cluster: "daemons", containerInstances: [b], status: "DRAINING" }));
    await expect.poll(async () => [(await svc()).desiredCount, (await svc()).runningCount]).toEqual([1, 1]);
    await expectAwsError(sim.ecs.send(new UpdateServiceCommand({ cluster: "daemons", service: "d", desiredCount: 3 })), {
      name: "InvalidParameterException",
      status: 400,
      message: "The daemon scheduling strategy does not support a desired count for services. Remove the desired count value and try again",
    });
    // With a default capacity provider strategy, DAEMON needs --launch-type EC2 (aws/containers-roadmap#692 quotes the error).
    await sim.ecs.send(
      new PutClusterCapacityProvidersCommand({
        cluster: "daemons",
        capacityProviders: ["FARGATE"],
        defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }],
      }),
    );
    await expectAwsError(sim.ecs.send(new CreateServiceCommand({ ...daemon, serviceName: "d2" })), {
      name: "InvalidParameterException",
      status: 400,
      message: "Specifying a capacity provider strategy is not supported when you create a service using the DAEMON scheduling strategy.",
    });
    expect((await sim.ecs.send(new CreateServiceCommand({ ...daemon, serviceName: "d2", launchType: "EC2" }))).service!.launchType).toBe("EC2");
  });

  it("a container health check is answered with AWS's defaults filled in", async () => {
    const td = (
      await sim.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "hc",
          containerDefinitions: [
            { ...container, name: "a", healthCheck: { command: ["CMD-SHELL", "true"] } },
            { ...container, name: "b", healthCheck: { command: ["CMD", "true"], interval: 10, startPeriod: 20 } },
          ],
        }),
      )
    ).taskDefinition!;
    expect(td.containerDefinitions!.map((d) => d.healthCheck)).toEqual([
      { command: ["CMD-SHELL", "true"], interval: 30, timeout: 5, retries: 3 },
      { command: ["CMD", "true"], interval: 10, timeout: 5, retries: 3, startPeriod: 20 },
    ]);
  });
});
