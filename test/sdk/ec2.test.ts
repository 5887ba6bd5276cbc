import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AttachNetworkInterfaceCommand,
  DetachNetworkInterfaceCommand,
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateImageCommand,
  CreateInternetGatewayCommand,
  CreateKeyPairCommand,
  CreateNatGatewayCommand,
  CreateNetworkInterfaceCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteInternetGatewayCommand,
  DeleteKeyPairCommand,
  DeleteNatGatewayCommand,
  DeleteRouteCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteTagsCommand,
  DeleteVpcCommand,
  DeregisterImageCommand,
  DescribeAccountAttributesCommand,
  DescribeAddressesCommand,
  DescribeAvailabilityZonesCommand,
  DescribeImagesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstanceStatusCommand,
  DescribeInstanceTypesCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeKeyPairsCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRegionsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  DisassociateAddressCommand,
  EC2Client,
  GetConsoleOutputCommand,
  ImportKeyPairCommand,
  ModifyInstanceAttributeCommand,
  ModifyVpcAttributeCommand,
  RebootInstancesCommand,
  ReleaseAddressCommand,
  ReplaceRouteCommand,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  paginateDescribeInstances,
  waitUntilInstanceExists,
  waitUntilInstanceRunning,
  waitUntilInstanceStopped,
  waitUntilInstanceTerminated,
  waitUntilNatGatewayAvailable,
  waitUntilSubnetAvailable,
  waitUntilVpcAvailable,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, startServer, useServer } from "../helpers.js";
import { AMI, W } from "./ec2-fixtures.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

const run = async (extra: Record<string, unknown> = {}) =>
  (await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, InstanceType: "t3.small", ...extra }))).Instances!;

describe("the parlel EC2 example", () => {
  it('prints "running"', async () => {
    const c = new EC2Client({ endpoint: sim.server.url, region: "us-east-1", credentials: { accessKeyId: "parlel", secretAccessKey: "parlel" } });
    const r = await c.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, InstanceType: "t3.small" }));
    const id = r.Instances![0]!.InstanceId!;
    const d = await c.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    expect(d.Reservations![0]!.Instances![0]!.State!.Name).toBe("running");
  });
});

describe("a new account looks like a real one", () => {
  it("has a default VPC, subnets per zone, a default SG, main route table and IGW", async () => {
    const vpcs = (await sim.ec2.send(new DescribeVpcsCommand({}))).Vpcs!;
    expect(vpcs).toHaveLength(1);
    expect(vpcs[0]).toMatchObject({ CidrBlock: "172.31.0.0/16", IsDefault: true, State: "available", OwnerId: "000000000000" });
    expect(vpcs[0]!.VpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    const subnets = (await sim.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }))).Subnets!;
    expect(subnets.map((s) => s.AvailabilityZone).sort()).toEqual(["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"]);
    expect(subnets.every((s) => s.MapPublicIpOnLaunch && s.CidrBlock!.startsWith("172.31."))).toBe(true);
    const sgs = (await sim.ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ["default"] }))).SecurityGroups!;
    expect(sgs[0]!.VpcId).toBe(vpcs[0]!.VpcId);
    const rt = (await sim.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "association.main", Values: ["true"] }] }))).RouteTables!;
    expect(rt[0]!.Routes!.map((r) => r.DestinationCidrBlock)).toEqual(["172.31.0.0/16", "0.0.0.0/0"]);
    const igw = (await sim.ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [vpcs[0]!.VpcId!] }] })))
      .InternetGateways!;
    expect(igw).toHaveLength(1);
    const attrs = (await sim.ec2.send(new DescribeAccountAttributesCommand({ AttributeNames: ["default-vpc"] }))).AccountAttributes!;
    expect(attrs[0]!.AttributeValues![0]!.AttributeValue).toBe(vpcs[0]!.VpcId);
    const zones = (await sim.ec2.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones!;
    expect(zones[0]).toMatchObject({ ZoneName: "us-east-1a", ZoneId: "use1-az1", State: "available", RegionName: "us-east-1" });
    expect((await sim.ec2.send(new DescribeRegionsCommand({ RegionNames: ["eu-west-1"] }))).Regions).toEqual([
      { RegionName: "eu-west-1", Endpoint: "ec2.eu-west-1.amazonaws.com", OptInStatus: "opt-in-not-required" },
    ]);
  });
});

describe("instances", () => {
  it("RunInstances fills addresses from the subnet, tags, key, groups; the lifecycle and its waiters", async () => {
    await sim.ec2.send(new CreateKeyPairCommand({ KeyName: "ops" }));
    const [i] = await run({
      KeyName: "ops",
      MinCount: 2,
      MaxCount: 2,
      TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: "web" }] }],
    });
    expect(i!.InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
    expect(i!.State).toEqual({ Code: 0, Name: "pending" });
    expect(i!.PrivateIpAddress).toMatch(/^172\.31\./);
    expect(i!.PrivateDnsName).toBe(`ip-${i!.PrivateIpAddress!.replace(/\./g, "-")}.ec2.internal`);
    expect(i!.PublicIpAddress).toBeUndefined(); // AWS's answer has no public address yet: DescribeInstances shows it
    expect(i!.KeyName).toBe("ops");
    expect(i!.Tags).toEqual([{ Key: "Name", Value: "web" }]);
    expect(i!.SecurityGroups![0]!.GroupName).toBe("default");
    expect(i!.Placement!.AvailabilityZone).toMatch(/^us-east-1[a-f]$/);
    expect(i!.NetworkInterfaces![0]!.NetworkInterfaceId).toMatch(/^eni-/);
    const id = i!.InstanceId!;
    expect((await waitUntilInstanceExists({ client: sim.ec2, ...W }, { InstanceIds: [id] })).state).toBe("SUCCESS");
    expect((await waitUntilInstanceRunning({ client: sim.ec2, ...W }, { InstanceIds: [id] })).state).toBe("SUCCESS");
    expect((await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!.PublicIpAddress).toBeTruthy();
    const stop = (await sim.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }))).StoppingInstances![0]!;
    expect(stop).toMatchObject({ InstanceId: id, PreviousState: { Code: 16, Name: "running" }, CurrentState: { Code: 64, Name: "stopping" } });
    expect((await waitUntilInstanceStopped({ client: sim.ec2, ...W }, { InstanceIds: [id] })).state).toBe("SUCCESS");
    const stopped = (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
    expect(stopped.StateReason!.Code).toBe("Client.UserInitiatedShutdown");
    expect(stopped.StateTransitionReason).toMatch(/^User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)$/);
    await sim.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: "t3.large" } }));
    expect((await sim.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: "instanceType" }))).InstanceType!.Value).toBe("t3.large");
    const start = (await sim.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }))).StartingInstances![0]!;
    expect(start.CurrentState!.Name).toBe("pending");
    await sim.ec2.send(new RebootInstancesCommand({ InstanceIds: [id] }));
    const out = await sim.ec2.send(new GetConsoleOutputCommand({ InstanceId: id }));
    expect(Buffer.from(out.Output!, "base64").toString()).toContain(id);
    const term = (await sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }))).TerminatingInstances![0]!;
    expect(term.CurrentState!.Name).toBe("shutting-down");
    expect((await waitUntilInstanceTerminated({ client: sim.ec2, ...W }, { InstanceIds: [id] })).state).toBe("SUCCESS");
    await expectAwsError(sim.ec2.send(new StartInstancesCommand({ InstanceIds: [id] })), { name: "IncorrectInstanceState", status: 400 });
    const status = await sim.ec2.send(new DescribeInstanceStatusCommand({}));
    expect(status.InstanceStatuses!.map((s) => s.InstanceStatus!.Status)).toEqual(["ok"]);
  });

  it("a configured transition delay makes pending observable", async () => {
    const slow = await startServer({ transitionDelayMs: 1500 });
    try {
      const c = new EC2Client(clientConfig(slow));
      const id = (await c.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
      expect((await c.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!.State!.Name).toBe("pending");
      expect((await waitUntilInstanceRunning({ client: c, ...W }, { InstanceIds: [id] })).state).toBe("SUCCESS");
    } finally {
      await slow.stop();
    }
  });

  it("errors: malformed and unknown ids, malformed AMI, unknown AMI works, DryRun, bad MaxResults", async () => {
    await expectAwsError(sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-123"] })), { name: "InvalidInstanceID.Malformed", status: 400 });
    await expectAwsError(sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-0123456789abcdef0"] })), {
      name: "InvalidInstanceID.NotFound",
      status: 400,
      message: "The instance ID 'i-0123456789abcdef0' does not exist",
    });
    await expectAwsError(sim.ec2.send(new RunInstancesCommand({ ImageId: "ami-nope", MinCount: 1, MaxCount: 1 })), {
      name: "InvalidAMIID.Malformed",
      status: 400,
    });
    const [i] = await run({ ImageId: "ami-0123456789abcdef1" });
    expect(i!.ImageId).toBe("ami-0123456789abcdef1");
    expect((await sim.ec2.send(new DescribeImagesCommand({ ImageIds: ["ami-0123456789abcdef1"] }))).Images![0]!.PlatformDetails).toBe("Linux/UNIX");
    await expectAwsError(sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, DryRun: true })), {
      name: "DryRunOperation",
      status: 412,
      message: "Request would have succeeded, but DryRun flag is set.",
    });
    await expectAwsError(sim.ec2.send(new StopInstancesCommand({ InstanceIds: [i!.InstanceId!], DryRun: true })), { name: "DryRunOperation", status: 412 });
    expect((await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [i!.InstanceId!] }))).Reservations![0]!.Instances![0]!.State!.Name).toBe("running");
    await expectAwsError(sim.ec2.send(new DescribeInstancesCommand({ MaxResults: 2 })), { name: "InvalidParameterValue", status: 400 });
    await expectAwsError(sim.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "no-such-filter", Values: ["x"] }] })), {
      name: "InvalidParameterValue",
      status: 400,
      message: "The filter 'no-such-filter' is invalid",
    });
  });

  it("filters: state, type, tag:, tag-key, wildcards, vpc; pagination walks every instance once", async () => {
    const a = await run({ MinCount: 3, MaxCount: 3, TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "env", Value: "prod" }] }] });
    const b = await run({
      InstanceType: "m5.large",
      MinCount: 2,
      MaxCount: 2,
      TagSpecifications: [
        {
          ResourceType: "instance",
          Tags: [
            { Key: "env", Value: "dev" },
            { Key: "team", Value: "core" },
          ],
        },
      ],
    });
    await sim.ec2.send(new StopInstancesCommand({ InstanceIds: [a[0]!.InstanceId!] }));
    const ids = async (Filters: Array<{ Name: string; Values: string[] }>) =>
      ((await sim.ec2.send(new DescribeInstancesCommand({ Filters }))).Reservations ?? []).flatMap((r) => r.Instances!.map((i) => i.InstanceId)).sort();
    expect(await ids([{ Name: "tag:env", Values: ["prod"] }])).toEqual(a.map((i) => i.InstanceId).sort());
    expect(
      await ids([
        { Name: "tag:env", Values: ["p*"] },
        { Name: "instance-state-name", Values: ["running"] },
      ]),
    ).toEqual([a[1]!.InstanceId, a[2]!.InstanceId].sort());
    expect(await ids([{ Name: "instance-type", Values: ["m5.large"] }])).toEqual(b.map((i) => i.InstanceId).sort());
    expect(await ids([{ Name: "tag-key", Values: ["team"] }])).toEqual(b.map((i) => i.InstanceId).sort());
    expect(await ids([{ Name: "tag-value", Values: ["de?"] }])).toEqual(b.map((i) => i.InstanceId).sort());
    expect(await ids([{ Name: "instance-state-name", Values: ["stopped", "terminated"] }])).toEqual([a[0]!.InstanceId]);
    const seen: string[] = [];
    for await (const p of paginateDescribeInstances({ client: sim.ec2, pageSize: 5 }, {}))
      for (const r of p.Reservations ?? []) seen.push(...r.Instances!.map((i) => i.InstanceId!));
    expect(seen.sort()).toEqual([...a, ...b].map((i) => i.InstanceId).sort());
  });

  // Correctness at scale only: timings are measured by bench/ (never asserted in CI, which shares its cores).
  it("DescribeInstances with 10,000 instances and a tag filter pages that batch only", async () => {
    for (let n = 0; n < 10; n++)
      await run({ MinCount: 1000, MaxCount: 1000, TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "batch", Value: String(n) }] }] });
    const r = await sim.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "tag:batch", Values: ["7"] }], MaxResults: 50 }));
    const page = r.Reservations!.flatMap((x) => x.Instances!);
    expect(page).toHaveLength(50);
    expect(page.every((i) => i.Tags?.some((t) => t.Key === "batch" && t.Value === "7"))).toBe(true);
    expect(r.NextToken).toBeTruthy();
  }, 120_000);
});

describe("networking", () => {
  it("VPC, subnet, IGW, route table, routes, associations, with their dependency errors and waiters", async () => {
    const vpc = (
      await sim.ec2.send(
        new CreateVpcCommand({ CidrBlock: "10.0.0.0/16", TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Name", Value: "main" }] }] }),
      )
    ).Vpc!;
    expect((await waitUntilVpcAvailable({ client: sim.ec2, ...W }, { VpcIds: [vpc.VpcId!] })).state).toBe("SUCCESS");
    await expectAwsError(sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/8" })), { name: "InvalidVpc.Range", status: 400 });
    const sub = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1b" }))).Subnet!;
    expect(sub).toMatchObject({
      VpcId: vpc.VpcId,
      CidrBlock: "10.0.1.0/24",
      AvailabilityZone: "us-east-1b",
      AvailableIpAddressCount: 251,
      DefaultForAz: false,
    });
    expect((await waitUntilSubnetAvailable({ client: sim.ec2, ...W }, { SubnetIds: [sub.SubnetId!] })).state).toBe("SUCCESS");
    await expectAwsError(sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: "10.0.1.128/25" })), {
      name: "InvalidSubnet.Conflict",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: "192.168.0.0/24" })), {
      name: "InvalidSubnet.Range",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new CreateSubnetCommand({ VpcId: "vpc-0123456789abcdef0", CidrBlock: "10.0.2.0/24" })), {
      name: "InvalidVpcID.NotFound",
      status: 400,
    });
    const igw = (await sim.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!;
    await sim.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw.InternetGatewayId, VpcId: vpc.VpcId }));
    await expectAwsError(sim.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw.InternetGatewayId })), {
      name: "DependencyViolation",
      status: 400,
    });
    const rtb = (await sim.ec2.send(new CreateRouteTableCommand({ VpcId: vpc.VpcId }))).RouteTable!;
    await sim.ec2.send(new CreateRouteCommand({ RouteTableId: rtb.RouteTableId, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw.InternetGatewayId }));
    await expectAwsError(
      sim.ec2.send(new CreateRouteCommand({ RouteTableId: rtb.RouteTableId, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw.InternetGatewayId })),
      { name: "RouteAlreadyExists", status: 400 },
    );
    const assoc = await sim.ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb.RouteTableId, SubnetId: sub.SubnetId }));
    expect(assoc.AssociationId).toMatch(/^rtbassoc-/);
    const rt = (await sim.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "association.subnet-id", Values: [sub.SubnetId!] }] }))).RouteTables!;
    expect(rt[0]!.Routes!.map((r) => [r.DestinationCidrBlock, r.GatewayId])).toEqual([
      ["10.0.0.0/16", "local"],
      ["0.0.0.0/0", igw.InternetGatewayId],
    ]);
    await expectAwsError(sim.ec2.send(new DeleteVpcCommand({ VpcId: vpc.VpcId })), {
      name: "DependencyViolation",
      status: 400,
      message: `The vpc '${vpc.VpcId}' has dependencies and cannot be deleted.`,
    });
    await expectAwsError(sim.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw.InternetGatewayId, VpcId: "vpc-0123456789abcdef0" })), {
      name: "Gateway.NotAttached",
      status: 400,
    });
    await sim.ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpc.VpcId, EnableDnsHostnames: { Value: true } }));
    expect((await sim.ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpc.VpcId, Attribute: "enableDnsHostnames" }))).EnableDnsHostnames!.Value).toBe(true);
    await sim.ec2.send(new DeleteRouteCommand({ RouteTableId: rtb.RouteTableId, DestinationCidrBlock: "0.0.0.0/0" }));
    await expectAwsError(
      sim.ec2.send(new ReplaceRouteCommand({ RouteTableId: rtb.RouteTableId, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw.InternetGatewayId })),
      { name: "InvalidRoute.NotFound", status: 400 },
    );
    await sim.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw.InternetGatewayId, VpcId: vpc.VpcId }));
    await sim.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw.InternetGatewayId }));
    await sim.ec2.send(new DeleteSubnetCommand({ SubnetId: sub.SubnetId }));
    await expectAwsError(sim.ec2.send(new DeleteVpcCommand({ VpcId: vpc.VpcId })), { name: "DependencyViolation", status: 400 });
  });

  it("elastic IPs, NAT gateways and network interfaces", async () => {
    const [i] = await run();
    const eip = await sim.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
    expect(eip.AllocationId).toMatch(/^eipalloc-[0-9a-f]{17}$/);
    const assoc = await sim.ec2.send(new AssociateAddressCommand({ AllocationId: eip.AllocationId, InstanceId: i!.InstanceId }));
    expect(assoc.AssociationId).toMatch(/^eipassoc-/);
    const inst = (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [i!.InstanceId!] }))).Reservations![0]!.Instances![0]!;
    expect(inst.PublicIpAddress).toBe(eip.PublicIp);
    expect((await sim.ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: "instance-id", Values: [i!.InstanceId!] }] }))).Addresses![0]!.PublicIp).toBe(
      eip.PublicIp,
    );
    await expectAwsError(sim.ec2.send(new ReleaseAddressCommand({ AllocationId: eip.AllocationId })), { name: "InvalidIPAddress.InUse", status: 400 });
    await sim.ec2.send(new DisassociateAddressCommand({ AssociationId: assoc.AssociationId }));
    await sim.ec2.send(new ReleaseAddressCommand({ AllocationId: eip.AllocationId }));
    const eip2 = await sim.ec2.send(new AllocateAddressCommand({}));
    const sub = i!.SubnetId!;
    const nat = (await sim.ec2.send(new CreateNatGatewayCommand({ SubnetId: sub, AllocationId: eip2.AllocationId }))).NatGateway!;
    expect(nat.State).toBe("pending");
    expect((await waitUntilNatGatewayAvailable({ client: sim.ec2, ...W }, { NatGatewayIds: [nat.NatGatewayId!] })).state).toBe("SUCCESS");
    expect(
      (await sim.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [nat.NatGatewayId!] }))).NatGateways![0]!.NatGatewayAddresses![0]!.PublicIp,
    ).toBe(eip2.PublicIp);
    await sim.ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: nat.NatGatewayId }));
    expect(
      (await sim.ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: "state", Values: ["deleted"] }] }))).NatGateways!.map((n) => n.NatGatewayId),
    ).toEqual([nat.NatGatewayId]);
    const eni = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: sub, Description: "extra" }))).NetworkInterface!;
    expect(eni.Status).toBe("pending"); // AWS answers a new interface pending
    await sim.ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterfaceId, InstanceId: i!.InstanceId, DeviceIndex: 1 }));
    const d = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [i!.InstanceId!] }] })))
      .NetworkInterfaces!;
    expect(d.map((x) => x.Attachment!.DeviceIndex).sort()).toEqual([0, 1]);
    // Detached, the interface is available again and shows its last attachment as "detached" (what waiters poll for).
    const attachmentId = d.find((x) => x.NetworkInterfaceId === eni.NetworkInterfaceId)!.Attachment!.AttachmentId!;
    await sim.ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: attachmentId }));
    const gone = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "attachment.attachment-id", Values: [attachmentId] }] })))
      .NetworkInterfaces!;
    expect(gone.map((x) => [x.NetworkInterfaceId, x.Status, x.Attachment?.Status])).toEqual([[eni.NetworkInterfaceId, "available", "detached"]]);
    await expectAwsError(sim.ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: attachmentId })), {
      name: "InvalidAttachmentID.NotFound",
      status: 400,
    });
  });

  it("security groups: create, rules, duplicates, revoke, rule listing, delete rules", async () => {
    const g = await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "web", Description: "web tier" }));
    await expectAwsError(sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "web", Description: "again" })), {
      name: "InvalidGroup.Duplicate",
      status: 400,
    });
    const auth = await sim.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: g.GroupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0", Description: "https" }] }],
      }),
    );
    expect(auth.SecurityGroupRules![0]!.SecurityGroupRuleId).toMatch(/^sgr-/);
    await expectAwsError(
      sim.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: g.GroupId, IpProtocol: "tcp", FromPort: 443, ToPort: 443, CidrIp: "0.0.0.0/0" })),
      { name: "InvalidPermission.Duplicate", status: 400 },
    );
    const other = await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "app", Description: "app" }));
    await sim.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: other.GroupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: g.GroupId }] }],
      }),
    );
    await sim.ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: g.GroupId,
        IpPermissions: [{ IpProtocol: "udp", FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: "10.0.0.0/8" }] }],
      }),
    );
    const found = (await sim.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "ip-permission.from-port", Values: ["443"] }] }))).SecurityGroups!;
    expect(found.map((x) => x.GroupId)).toEqual([g.GroupId]);
    expect(found[0]!.IpPermissions![0]!.IpRanges).toEqual([{ CidrIp: "0.0.0.0/0", Description: "https" }]);
    expect(found[0]!.IpPermissionsEgress!.length).toBe(2);
    const rules = (await sim.ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [g.GroupId!] }] }))).SecurityGroupRules!;
    expect(rules.filter((r) => !r.IsEgress).map((r) => r.FromPort)).toEqual([443]);
    await expectAwsError(sim.ec2.send(new DeleteSecurityGroupCommand({ GroupId: g.GroupId })), { name: "DependencyViolation", status: 400 });
    await sim.ec2.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: g.GroupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      }),
    );
    // A default VPC's group: an unmatched rule is no error, it comes back in UnknownIpPermissions (the API reference).
    const again = await sim.ec2.send(
      new RevokeSecurityGroupIngressCommand({ GroupId: g.GroupId, IpProtocol: "tcp", FromPort: 443, ToPort: 443, CidrIp: "0.0.0.0/0" }),
    );
    expect(again.UnknownIpPermissions).toEqual([
      { IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] },
    ]);
    await sim.ec2.send(new DeleteSecurityGroupCommand({ GroupId: other.GroupId }));
    await sim.ec2.send(new DeleteSecurityGroupCommand({ GroupId: g.GroupId }));
    const def = (await sim.ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ["default"] }))).SecurityGroups![0]!;
    await expectAwsError(sim.ec2.send(new DeleteSecurityGroupCommand({ GroupId: def.GroupId })), { name: "CannotDelete", status: 400 });
    await expectAwsError(sim.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-0123456789abcdef0"] })), {
      name: "InvalidGroup.NotFound",
      status: 400,
    });
  });
});

describe("images, key pairs, tags, instance types", () => {
  it("DescribeImages honours Owners and filters; CreateImage / DeregisterImage", async () => {
    const amazon = (await sim.ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] }))).Images!;
    expect(amazon.some((i) => i.ImageId === AMI)).toBe(true);
    const ubuntu = (await sim.ec2.send(new DescribeImagesCommand({ Owners: ["099720109477"], Filters: [{ Name: "name", Values: ["ubuntu/images/*noble*"] }] })))
      .Images!;
    expect(ubuntu).toHaveLength(1);
    expect(ubuntu[0]!.Architecture).toBe("x86_64");
    const [i] = await run();
    const img = await sim.ec2.send(new CreateImageCommand({ InstanceId: i!.InstanceId, Name: "my-image" }));
    const mine = (await sim.ec2.send(new DescribeImagesCommand({ Owners: ["self"] }))).Images!;
    expect(mine.map((x) => [x.ImageId, x.Name, x.OwnerId, x.Public])).toEqual([[img.ImageId, "my-image", "000000000000", false]]);
    await expectAwsError(sim.ec2.send(new CreateImageCommand({ InstanceId: i!.InstanceId, Name: "my-image" })), {
      name: "InvalidAMIName.Duplicate",
      status: 400,
    });
    await sim.ec2.send(new DeregisterImageCommand({ ImageId: img.ImageId }));
    await expectAwsError(sim.ec2.send(new DescribeImagesCommand({ ImageIds: [img.ImageId!] })), { name: "InvalidAMIID.NotFound", status: 400 });
  });

  it("key pairs: real RSA and ED25519 keys, import, duplicates, delete", async () => {
    const rsa = await sim.ec2.send(new CreateKeyPairCommand({ KeyName: "rsa" }));
    expect(rsa.KeyMaterial).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(rsa.KeyFingerprint).toMatch(/^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
    expect(rsa.KeyPairId).toMatch(/^key-[0-9a-f]{17}$/);
    const ed = await sim.ec2.send(new CreateKeyPairCommand({ KeyName: "ed", KeyType: "ed25519" }));
    expect(ed.KeyMaterial).toMatch(/PRIVATE KEY-----/);
    await expectAwsError(sim.ec2.send(new CreateKeyPairCommand({ KeyName: "rsa" })), { name: "InvalidKeyPair.Duplicate", status: 400 });
    const pub = (await sim.ec2.send(new DescribeKeyPairsCommand({ KeyNames: ["rsa"], IncludePublicKey: true }))).KeyPairs![0]!.PublicKey!;
    expect(pub).toMatch(/^ssh-rsa AAAA/);
    const imp = await sim.ec2.send(new ImportKeyPairCommand({ KeyName: "imported", PublicKeyMaterial: Buffer.from(pub) }));
    expect(imp.KeyFingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect((await sim.ec2.send(new DescribeKeyPairsCommand({}))).KeyPairs!.map((k) => k.KeyName).sort()).toEqual(["ed", "imported", "rsa"]);
    await sim.ec2.send(new DeleteKeyPairCommand({ KeyName: "ed" }));
    await expectAwsError(sim.ec2.send(new DescribeKeyPairsCommand({ KeyNames: ["ed"] })), { name: "InvalidKeyPair.NotFound", status: 400 });
  });

  it("CreateTags / DeleteTags / DescribeTags across resource types", async () => {
    const [i] = await run();
    const vpcId = (await sim.ec2.send(new DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;
    await sim.ec2.send(
      new CreateTagsCommand({
        Resources: [i!.InstanceId!, vpcId],
        Tags: [
          { Key: "env", Value: "test" },
          { Key: "owner", Value: "me" },
        ],
      }),
    );
    const t = (await sim.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "key", Values: ["env"] }] }))).Tags!;
    expect(t.map((x) => [x.ResourceType, x.Value]).sort()).toEqual([
      ["instance", "test"],
      ["vpc", "test"],
    ]);
    await sim.ec2.send(new DeleteTagsCommand({ Resources: [i!.InstanceId!], Tags: [{ Key: "env" }] }));
    expect((await sim.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [i!.InstanceId!] }] }))).Tags!.map((x) => x.Key)).toEqual([
      "owner",
    ]);
    await expectAwsError(sim.ec2.send(new CreateTagsCommand({ Resources: ["i-0123456789abcdef0"], Tags: [{ Key: "a", Value: "b" }] })), {
      name: "InvalidInstanceID.NotFound",
      status: 400,
    });
  });

  it("DescribeInstanceTypes with filters", async () => {
    const r = await sim.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ["t3.micro", "m7g.large"] }));
    const byName = Object.fromEntries(r.InstanceTypes!.map((t) => [t.InstanceType, t]));
    expect(byName["t3.micro"]!.VCpuInfo!.DefaultVCpus).toBe(2);
    expect(byName["t3.micro"]!.MemoryInfo!.SizeInMiB).toBe(1024);
    expect(byName["m7g.large"]!.ProcessorInfo!.SupportedArchitectures).toEqual(["arm64"]);
    const arm = await sim.ec2.send(new DescribeInstanceTypesCommand({ Filters: [{ Name: "processor-info.supported-architecture", Values: ["arm64"] }] }));
    expect(arm.InstanceTypes!.every((t) => t.ProcessorInfo!.SupportedArchitectures![0] === "arm64")).toBe(true);
  });
});
