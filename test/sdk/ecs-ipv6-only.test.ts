/**
 * awsvpc tasks in IPv6-only subnets (EC2 CreateSubnet Ipv6Native). Amazon ECS Developer Guide, "Using a VPC in
 * IPv6-only mode" (task networking for Fargate, EC2 and Managed Instances): "In an IPv6-only configuration, your Amazon
 * ECS tasks communicate exclusively over IPv6 ... create subnets that include only an IPv6 CIDR block." The task's
 * interface has one IPv6 address and no IPv4 one: its container network interface shows ipv6Address (the API's
 * NetworkInterface "The private IPv6 address for the network interface") and no privateIpv4Address; the attachment's
 * details carry no privateIPv4Address or privateDnsName.
 */
import { CreateSubnetCommand, CreateVpcCommand, DescribeNetworkInterfacesCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeTasksCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from "@aws-sdk/client-ecs";
import {
  CreateHttpNamespaceCommand,
  CreateServiceCommand as CreateSdServiceCommand,
  DiscoverInstancesCommand,
  GetOperationCommand,
  ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const sim = useServer({}, (cfg) => ({
  ecs: new ECSClient(cfg),
  ec2: new EC2Client(cfg),
  sd: new ServiceDiscoveryClient({ ...cfg, disableHostPrefix: true }),
}));

async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() - t0 > ms) throw new Error(`timeout: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function network(cidr: string) {
  const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: cidr, AmazonProvidedIpv6CidrBlock: true }))).Vpc!.VpcId!;
  const block = (await sim.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpc] }))).Vpcs![0]!.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock!;
  const six = (n: number) => block.replace(/00::\/56$/, `0${n}::/64`);
  const prefix = (n: number) => six(n).replace(/::\/64$/, ":");
  const v6only = async (n: number, az: string) =>
    (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, Ipv6Native: true, Ipv6CidrBlock: six(n), AvailabilityZone: az }))).Subnet!.SubnetId!;
  return { vpc, prefix, v6only };
}

async function fargateFamily(cluster: string, family: string) {
  await sim.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  await sim.ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: "256",
      memory: "512",
      containerDefinitions: [{ name: "a", image: "busybox", portMappings: [{ containerPort: 8080 }] }],
    }),
  );
}

describe("awsvpc tasks in IPv6-only subnets", () => {
  it("a Fargate task gets an IPv6-only interface: ipv6Address, no IPv4 address in the attachment, the containers or EC2", async () => {
    const { vpc, prefix, v6only } = await network("10.71.0.0/16");
    const sub = await v6only(1, "us-east-1b");
    await fargateFamily("v6", "v6");
    const task = (
      await sim.ecs.send(
        new RunTaskCommand({
          cluster: "v6",
          taskDefinition: "v6",
          launchType: "FARGATE",
          networkConfiguration: { awsvpcConfiguration: { subnets: [sub] } },
        }),
      )
    ).tasks![0]!;
    expect(task.availabilityZone).toBe("us-east-1b");
    const att = task.attachments![0]!;
    expect(att.type).toBe("ElasticNetworkInterface");
    expect(att.details!.map((d) => d.name)).toEqual(["subnetId", "networkInterfaceId", "macAddress"]);
    const detail = (name: string) => att.details!.find((d) => d.name === name)?.value;
    expect(detail("subnetId")).toBe(sub);
    const ni = task.containers![0]!.networkInterfaces!;
    expect(ni).toHaveLength(1);
    expect(ni[0]!.attachmentId).toBe(att.id);
    expect(ni[0]!.privateIpv4Address).toBeUndefined();
    expect(ni[0]!.ipv6Address!.startsWith(prefix(1))).toBe(true);

    const eni = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [detail("networkInterfaceId")!] }))).NetworkInterfaces![0]!;
    expect(eni.VpcId).toBe(vpc);
    expect(eni.SubnetId).toBe(sub);
    expect(eni.RequesterManaged).toBe(true);
    expect(eni.MacAddress).toBe(detail("macAddress"));
    expect(eni.PrivateIpAddress).toBeUndefined();
    expect(eni.Ipv6Addresses!.map((a) => a.Ipv6Address)).toEqual([ni[0]!.ipv6Address]);
    expect(eni.Description).toBe(`arn:aws:ecs:us-east-1:000000000000:attachment/${att.id}`);

    const described = (await sim.ecs.send(new DescribeTasksCommand({ cluster: "v6", tasks: [task.taskArn!] }))).tasks![0]!;
    expect(described.containers![0]!.networkInterfaces).toEqual(ni);
    expect(described.attachments![0]!.details).toEqual(att.details);

    // The interface goes when the task stops.
    await sim.ecs.send(new StopTaskCommand({ cluster: "v6", task: task.taskArn! }));
    await until(
      () => sim.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "subnet-id", Values: [sub] }] })),
      (r) => r.NetworkInterfaces!.length === 0,
    );
  });

  it("each task in an IPv6-only subnet has its own IPv6 address; assignPublicIp ENABLED gives no public IPv4 address", async () => {
    const { v6only } = await network("10.72.0.0/16");
    const sub = await v6only(1, "us-east-1a");
    await fargateFamily("v6-many", "v6-many");
    const tasks = (
      await sim.ecs.send(
        new RunTaskCommand({
          cluster: "v6-many",
          taskDefinition: "v6-many",
          launchType: "FARGATE",
          count: 3,
          networkConfiguration: { awsvpcConfiguration: { subnets: [sub], assignPublicIp: "ENABLED" } },
        }),
      )
    ).tasks!;
    const addrs = tasks.map((t) => t.containers![0]!.networkInterfaces![0]!.ipv6Address);
    expect(new Set(addrs).size).toBe(3);
    const enis = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "subnet-id", Values: [sub] }] }))).NetworkInterfaces!;
    expect(enis).toHaveLength(3);
    expect(enis.map((e) => e.Association)).toEqual([undefined, undefined, undefined]);
    expect(enis.flatMap((e) => e.Ipv6Addresses!.map((a) => a.Ipv6Address)).sort()).toEqual([...addrs].sort());
  });

  it("a service's IPv6-only tasks register in Cloud Map with AWS_INSTANCE_IPV6 (no AWS_INSTANCE_IPV4)", async () => {
    const { v6only } = await network("10.73.0.0/16");
    const sub = await v6only(1, "us-east-1a");
    await fargateFamily("v6-svc", "v6-svc");
    const op = await sim.sd.send(new CreateHttpNamespaceCommand({ Name: "v6shop" }));
    const nsId = (await sim.sd.send(new GetOperationCommand({ OperationId: op.OperationId }))).Operation!.Targets!.NAMESPACE!;
    const reg = (await sim.sd.send(new CreateSdServiceCommand({ Name: "api", NamespaceId: nsId }))).Service!;
    await sim.ecs.send(
      new CreateServiceCommand({
        cluster: "v6-svc",
        serviceName: "api",
        taskDefinition: "v6-svc",
        launchType: "FARGATE",
        desiredCount: 1,
        networkConfiguration: { awsvpcConfiguration: { subnets: [sub] } },
        serviceRegistries: [{ registryArn: reg.Arn, containerName: "a", containerPort: 8080 }],
      }),
    );
    const found = await until(
      () => sim.sd.send(new DiscoverInstancesCommand({ NamespaceName: "v6shop", ServiceName: "api" })),
      (r) => r.Instances!.length === 1,
    );
    const attrs = found.Instances![0]!.Attributes!;
    expect(attrs.AWS_INSTANCE_IPV4).toBeUndefined();
    const enis = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "subnet-id", Values: [sub] }] }))).NetworkInterfaces!;
    expect(enis).toHaveLength(1);
    expect(attrs.AWS_INSTANCE_IPV6).toBe(enis[0]!.Ipv6Addresses![0]!.Ipv6Address);
    expect(attrs.AWS_INSTANCE_PORT).toBe("8080");
  });

  it("an IPv4 subnet's task keeps its IPv4 details (privateDnsName, privateIPv4Address) and no ipv6Address", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.74.0.0/16" }))).Vpc!.VpcId!;
    const sub = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.74.1.0/24" }))).Subnet!.SubnetId!;
    await fargateFamily("v4", "v4");
    const task = (
      await sim.ecs.send(
        new RunTaskCommand({
          cluster: "v4",
          taskDefinition: "v4",
          launchType: "FARGATE",
          networkConfiguration: { awsvpcConfiguration: { subnets: [sub] } },
        }),
      )
    ).tasks![0]!;
    expect(task.attachments![0]!.details!.map((d) => d.name)).toEqual(["subnetId", "networkInterfaceId", "macAddress", "privateDnsName", "privateIPv4Address"]);
    const ni = task.containers![0]!.networkInterfaces![0]!;
    expect(ni.privateIpv4Address).toMatch(/^10\.74\.1\.\d+$/);
    expect(ni.ipv6Address).toBeUndefined();
  });
});
