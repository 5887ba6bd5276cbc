import {
  CreateLaunchTemplateCommand,
  CreateSecondaryNetworkCommand,
  CreateSecondarySubnetCommand,
  CreateTagsCommand,
  DeleteSecondaryNetworkCommand,
  DeleteSecondarySubnetCommand,
  DescribeSecondaryInterfacesCommand,
  DescribeSecondaryNetworksCommand,
  DescribeSecondarySubnetsCommand,
  DescribeTagsCommand,
  EC2Client,
  paginateDescribeSecondaryNetworks,
  RunInstancesCommand,
  TerminateInstancesCommand,
  waitUntilSecondaryNetworkCreateComplete,
  waitUntilSecondaryNetworkDeleteComplete,
  waitUntilSecondarySubnetCreateComplete,
  waitUntilSecondarySubnetDeleteComplete,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, startServer, useServer } from "../helpers.js";
import { AMI, describeInstance, W } from "./ec2-fixtures.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

const tags = (ResourceType: string, Name: string) => [{ ResourceType: ResourceType as never, Tags: [{ Key: "Name", Value: Name }] }];
const network = async (cidr = "10.0.0.0/16", name = "net") =>
  (await sim.ec2.send(new CreateSecondaryNetworkCommand({ Ipv4CidrBlock: cidr, NetworkType: "rdma", TagSpecifications: tags("secondary-network", name) })))
    .SecondaryNetwork!;
const subnet = async (SecondaryNetworkId: string, cidr: string, extra: Record<string, unknown> = {}) =>
  (await sim.ec2.send(new CreateSecondarySubnetCommand({ SecondaryNetworkId, Ipv4CidrBlock: cidr, ...extra }))).SecondarySubnet!;
/** An instance type awsim does not list (any well-formed name launches); the listed ones have no secondary interfaces. */
const RDMA_TYPE = "p5en.48xlarge";

describe("secondary networks", () => {
  it("create answers create-in-progress, then create-complete; ids, ARN, association, tags", async () => {
    const n = await network("10.8.0.5/16", "prod");
    expect(n.SecondaryNetworkId).toMatch(/^sn-[0-9a-f]{17}$/);
    expect(n.SecondaryNetworkArn).toBe(`arn:aws:ec2:us-east-1:000000000000:secondary-network/${n.SecondaryNetworkId}`);
    expect(n.State).toBe("create-in-progress");
    expect(n.Type).toBe("rdma");
    expect(n.OwnerId).toBe("000000000000");
    expect(n.Ipv4CidrBlockAssociations).toEqual([
      { AssociationId: expect.stringMatching(/^sn-cidr-assoc-[0-9a-f]{17}$/), CidrBlock: "10.8.0.0/16", State: "associating" },
    ]);
    expect(n.Tags).toEqual([{ Key: "Name", Value: "prod" }]);
    await waitUntilSecondaryNetworkCreateComplete({ client: sim.ec2, ...W }, { SecondaryNetworkIds: [n.SecondaryNetworkId!] });
    const d = (await sim.ec2.send(new DescribeSecondaryNetworksCommand({ SecondaryNetworkIds: [n.SecondaryNetworkId!] }))).SecondaryNetworks![0]!;
    expect(d.State).toBe("create-complete");
    expect(d.Ipv4CidrBlockAssociations![0]!.State).toBe("associated");
  });

  it("CIDR sizes /12 to /28 only; idempotent client tokens; unknown ids", async () => {
    for (const cidr of ["10.0.0.0/11", "10.0.0.0/29", "10.0.0.0", "300.0.0.0/16"])
      await expectAwsError(sim.ec2.send(new CreateSecondaryNetworkCommand({ Ipv4CidrBlock: cidr, NetworkType: "rdma" })), {
        status: 400,
        name: "InvalidParameterValue",
      });
    for (const cidr of ["10.0.0.0/12", "10.0.0.0/28"]) expect((await network(cidr)).Ipv4CidrBlockAssociations![0]!.CidrBlock).toBe(cidr);
    const a = await sim.ec2.send(new CreateSecondaryNetworkCommand({ Ipv4CidrBlock: "10.1.0.0/16", NetworkType: "rdma", ClientToken: "tok-1" }));
    const b = await sim.ec2.send(new CreateSecondaryNetworkCommand({ Ipv4CidrBlock: "10.1.0.0/16", NetworkType: "rdma", ClientToken: "tok-1" }));
    expect(b.SecondaryNetwork!.SecondaryNetworkId).toBe(a.SecondaryNetwork!.SecondaryNetworkId);
    expect(b.ClientToken).toBe("tok-1");
    await expectAwsError(sim.ec2.send(new CreateSecondaryNetworkCommand({ Ipv4CidrBlock: "10.2.0.0/16", NetworkType: "rdma", ClientToken: "tok-1" })), {
      status: 400,
      name: "IdempotentParameterMismatch",
    });
    await expectAwsError(sim.ec2.send(new DescribeSecondaryNetworksCommand({ SecondaryNetworkIds: ["sn-0123456789abcdef0"] })), {
      status: 400,
      name: "InvalidSecondaryNetworkId.NotFound",
      message: "The secondary network ID 'sn-0123456789abcdef0' does not exist",
    });
    await expectAwsError(sim.ec2.send(new DeleteSecondaryNetworkCommand({ SecondaryNetworkId: "sn-0123456789abcdef0" })), {
      status: 400,
      name: "InvalidSecondaryNetworkId.NotFound",
    });
    await expectAwsError(sim.ec2.send(new CreateSecondaryNetworkCommand({ Ipv4CidrBlock: "10.3.0.0/16", NetworkType: "rdma", DryRun: true })), {
      name: "DryRunOperation",
      status: 412,
    });
  });

  it("subnets lie inside the network, do not overlap, pick a zone; DependencyViolation until they are deleted; waiters", async () => {
    const n = await network("10.20.0.0/16");
    const id = n.SecondaryNetworkId!;
    const s1 = await subnet(id, "10.20.1.0/24", { AvailabilityZoneId: "use1-az2", TagSpecifications: tags("secondary-subnet", "s1") });
    expect(s1.SecondarySubnetId).toMatch(/^ss-[0-9a-f]{17}$/);
    expect(s1.SecondarySubnetArn).toBe(`arn:aws:ec2:us-east-1:000000000000:secondary-subnet/${s1.SecondarySubnetId}`);
    expect(s1).toMatchObject({ AvailabilityZone: "us-east-1b", AvailabilityZoneId: "use1-az2", SecondaryNetworkId: id, SecondaryNetworkType: "rdma" });
    expect(s1.State).toBe("create-in-progress");
    expect(s1.Ipv4CidrBlockAssociations![0]).toMatchObject({ CidrBlock: "10.20.1.0/24", State: "associating" });
    expect(s1.Tags).toEqual([{ Key: "Name", Value: "s1" }]);
    await waitUntilSecondarySubnetCreateComplete({ client: sim.ec2, ...W }, { SecondarySubnetIds: [s1.SecondarySubnetId!] });
    const s2 = await subnet(id, "10.20.2.0/28", { AvailabilityZone: "us-east-1c" });
    expect(s2.AvailabilityZoneId).toBe("use1-az3");
    expect((await subnet(id, "10.20.3.0/24")).AvailabilityZone).toBe("us-east-1a");

    await expectAwsError(sim.ec2.send(new CreateSecondarySubnetCommand({ SecondaryNetworkId: id, Ipv4CidrBlock: "10.20.1.128/25" })), {
      status: 400,
      name: "InvalidParameterValue",
    });
    await expectAwsError(sim.ec2.send(new CreateSecondarySubnetCommand({ SecondaryNetworkId: id, Ipv4CidrBlock: "10.21.0.0/24" })), {
      status: 400,
      name: "InvalidParameterValue",
    });
    await expectAwsError(sim.ec2.send(new CreateSecondarySubnetCommand({ SecondaryNetworkId: id, Ipv4CidrBlock: "10.20.0.0/15" })), {
      status: 400,
      name: "InvalidParameterValue",
    });
    await expectAwsError(
      sim.ec2.send(
        new CreateSecondarySubnetCommand({
          SecondaryNetworkId: id,
          Ipv4CidrBlock: "10.20.9.0/24",
          AvailabilityZone: "us-east-1a",
          AvailabilityZoneId: "use1-az1",
        }),
      ),
      { status: 400, name: "InvalidParameterCombination" },
    );
    await expectAwsError(
      sim.ec2.send(new CreateSecondarySubnetCommand({ SecondaryNetworkId: id, Ipv4CidrBlock: "10.20.9.0/24", AvailabilityZone: "eu-west-1a" })),
      {
        status: 400,
        name: "InvalidParameterValue",
      },
    );
    await expectAwsError(sim.ec2.send(new CreateSecondarySubnetCommand({ SecondaryNetworkId: "sn-0123456789abcdef0", Ipv4CidrBlock: "10.20.9.0/24" })), {
      status: 400,
      name: "InvalidSecondaryNetworkId.NotFound",
    });

    await expectAwsError(sim.ec2.send(new DeleteSecondaryNetworkCommand({ SecondaryNetworkId: id })), { status: 400, name: "DependencyViolation" });
    const all = (await sim.ec2.send(new DescribeSecondarySubnetsCommand({ Filters: [{ Name: "secondary-network-id", Values: [id] }] }))).SecondarySubnets!;
    expect(all).toHaveLength(3);
    for (const x of all) {
      const del = (await sim.ec2.send(new DeleteSecondarySubnetCommand({ SecondarySubnetId: x.SecondarySubnetId!, ClientToken: "c" }))).SecondarySubnet!;
      expect(del.State).toBe("delete-in-progress");
      expect(del.Ipv4CidrBlockAssociations![0]!.State).toBe("disassociating");
    }
    await waitUntilSecondarySubnetDeleteComplete({ client: sim.ec2, ...W }, { SecondarySubnetIds: all.map((x) => x.SecondarySubnetId!) });
    await expectAwsError(sim.ec2.send(new DeleteSecondarySubnetCommand({ SecondarySubnetId: s1.SecondarySubnetId! })), {
      status: 400,
      name: "InvalidState",
      message: `The secondary subnet '${s1.SecondarySubnetId}' is not in a modifiable state.`,
    });
    // A deleted subnet's block is free again.
    await subnet(id, "10.20.1.0/24");
    await sim.ec2.send(new DeleteSecondarySubnetCommand({ SecondarySubnetId: (await subnet(id, "10.20.4.0/24")).SecondarySubnetId! }));
    const left = (
      await sim.ec2.send(
        new DescribeSecondarySubnetsCommand({
          Filters: [
            { Name: "secondary-network-id", Values: [id] },
            { Name: "state", Values: ["create-complete"] },
          ],
        }),
      )
    ).SecondarySubnets!;
    expect(left.map((x) => x.Ipv4CidrBlockAssociations![0]!.CidrBlock)).toEqual(["10.20.1.0/24"]);
    await sim.ec2.send(new DeleteSecondarySubnetCommand({ SecondarySubnetId: left[0]!.SecondarySubnetId! }));

    const del = (await sim.ec2.send(new DeleteSecondaryNetworkCommand({ SecondaryNetworkId: id }))).SecondaryNetwork!;
    expect(del.State).toBe("delete-in-progress");
    await waitUntilSecondaryNetworkDeleteComplete({ client: sim.ec2, ...W }, { SecondaryNetworkIds: [id] });
    await expectAwsError(sim.ec2.send(new DeleteSecondaryNetworkCommand({ SecondaryNetworkId: id })), { status: 400, name: "InvalidState" });
    await expectAwsError(sim.ec2.send(new CreateSecondarySubnetCommand({ SecondaryNetworkId: id, Ipv4CidrBlock: "10.20.1.0/24" })), {
      status: 400,
      name: "InvalidSecondaryNetworkId.NotFound",
    });
  });

  it("filters, tags through CreateTags/DescribeTags, and pagination", async () => {
    const a = await network("10.30.0.0/16", "alpha");
    const b = await network("10.31.0.0/20", "beta");
    const ids = async (Filters: Array<{ Name: string; Values: string[] }>) =>
      ((await sim.ec2.send(new DescribeSecondaryNetworksCommand({ Filters }))).SecondaryNetworks ?? []).map((x) => x.SecondaryNetworkId);
    expect(await ids([{ Name: "tag:Name", Values: ["beta"] }])).toEqual([b.SecondaryNetworkId]);
    expect(await ids([{ Name: "ipv4-cidr-block-association.cidr-block", Values: ["10.30.0.0/16"] }])).toEqual([a.SecondaryNetworkId]);
    expect(await ids([{ Name: "ipv4-cidr-block-association.association-id", Values: [b.Ipv4CidrBlockAssociations![0]!.AssociationId!] }])).toEqual([
      b.SecondaryNetworkId,
    ]);
    expect(await ids([{ Name: "secondary-network-arn", Values: [a.SecondaryNetworkArn!] }])).toEqual([a.SecondaryNetworkId]);
    expect(
      await ids([
        { Name: "secondary-network-id", Values: [a.SecondaryNetworkId!, b.SecondaryNetworkId!] },
        { Name: "type", Values: ["rdma"] },
      ]),
    ).toEqual([a.SecondaryNetworkId, b.SecondaryNetworkId]);
    expect(
      await ids([
        { Name: "secondary-network-id", Values: [a.SecondaryNetworkId!] },
        { Name: "owner-id", Values: ["111111111111"] },
      ]),
    ).toEqual([]);
    await expectAwsError(sim.ec2.send(new DescribeSecondaryNetworksCommand({ Filters: [{ Name: "vpc-id", Values: ["x"] }] })), {
      status: 400,
      name: "InvalidParameterValue",
      message: "The filter 'vpc-id' is invalid",
    });

    await sim.ec2.send(new CreateTagsCommand({ Resources: [a.SecondaryNetworkId!], Tags: [{ Key: "team", Value: "hpc" }] }));
    expect(await ids([{ Name: "tag-key", Values: ["team"] }])).toEqual([a.SecondaryNetworkId]);
    const t = await sim.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [a.SecondaryNetworkId!] }] }));
    expect(t.Tags!.map((x) => [x.ResourceType, x.Key, x.Value])).toEqual([
      ["secondary-network", "Name", "alpha"],
      ["secondary-network", "team", "hpc"],
    ]);
    await expectAwsError(sim.ec2.send(new CreateTagsCommand({ Resources: ["sn-0123456789abcdef0"], Tags: [{ Key: "k", Value: "v" }] })), {
      status: 400,
      name: "InvalidSecondaryNetworkId.NotFound",
    });

    for (let i = 0; i < 5; i++) await network(`10.${40 + i}.0.0/16`);
    const pages: number[] = [];
    const seen: string[] = [];
    for await (const p of paginateDescribeSecondaryNetworks({ client: sim.ec2, pageSize: 5 }, {})) {
      pages.push(p.SecondaryNetworks!.length);
      seen.push(...p.SecondaryNetworks!.map((x) => x.SecondaryNetworkId!));
    }
    expect(pages.length).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(a.SecondaryNetworkId);
    await expectAwsError(sim.ec2.send(new DescribeSecondaryNetworksCommand({ MaxResults: 1001 })), { status: 400, name: "InvalidParameterValue" });
  });
});

describe("with --transition-delay", () => {
  it("networks and subnets stay create-in-progress / delete-in-progress until the delay has passed; the waiters wait", async () => {
    const slow = await startServer({ transitionDelayMs: 1500 });
    try {
      const ec2 = new EC2Client(clientConfig(slow));
      const id = (await ec2.send(new CreateSecondaryNetworkCommand({ Ipv4CidrBlock: "10.0.0.0/16", NetworkType: "rdma" }))).SecondaryNetwork!
        .SecondaryNetworkId!;
      const read = async () => (await ec2.send(new DescribeSecondaryNetworksCommand({ SecondaryNetworkIds: [id] }))).SecondaryNetworks![0]!;
      expect((await read()).State).toBe("create-in-progress");
      expect((await read()).Ipv4CidrBlockAssociations![0]!.State).toBe("associating");
      await waitUntilSecondaryNetworkCreateComplete({ client: ec2, ...W }, { SecondaryNetworkIds: [id] });
      expect((await read()).Ipv4CidrBlockAssociations![0]!.State).toBe("associated");
      await ec2.send(new DeleteSecondaryNetworkCommand({ SecondaryNetworkId: id }));
      expect((await read()).State).toBe("delete-in-progress");
      await waitUntilSecondaryNetworkDeleteComplete({ client: ec2, ...W }, { SecondaryNetworkIds: [id] });
      expect((await read()).Ipv4CidrBlockAssociations![0]!.State).toBe("disassociated");
    } finally {
      await slow.stop();
    }
  });
});

describe("secondary interfaces", () => {
  it("RunInstances attaches them; DescribeInstances and DescribeSecondaryInterfaces show them; termination deletes them", async () => {
    const n = await network("10.50.0.0/16");
    const s1 = await subnet(n.SecondaryNetworkId!, "10.50.1.0/28", { AvailabilityZone: "us-east-1a" });
    const s2 = await subnet(n.SecondaryNetworkId!, "10.50.2.0/24", { AvailabilityZone: "us-east-1a" });
    const run = await sim.ec2.send(
      new RunInstancesCommand({
        ImageId: AMI,
        MinCount: 1,
        MaxCount: 1,
        InstanceType: RDMA_TYPE,
        Placement: { AvailabilityZone: "us-east-1a" },
        SecondaryInterfaces: [
          { SecondarySubnetId: s1.SecondarySubnetId, NetworkCardIndex: 1, PrivateIpAddresses: [{ PrivateIpAddress: "10.50.1.9" }] },
          { SecondarySubnetId: s2.SecondarySubnetId, NetworkCardIndex: 2, DeviceIndex: 0, PrivateIpAddressCount: 2 },
        ],
        TagSpecifications: tags("secondary-interface", "rdma0"),
      }),
    );
    const inst = run.Instances![0]!;
    expect(inst.SecondaryInterfaces).toHaveLength(2);
    const d = await describeInstance(sim.ec2, inst.InstanceId!);
    const [x1, x2] = d.SecondaryInterfaces!;
    expect(x1).toMatchObject({
      SecondarySubnetId: s1.SecondarySubnetId,
      SecondaryNetworkId: n.SecondaryNetworkId,
      InterfaceType: "secondary",
      Status: "in-use",
      SourceDestCheck: true,
      OwnerId: "000000000000",
      PrivateIpAddresses: [{ PrivateIpAddress: "10.50.1.9" }],
      Attachment: { DeleteOnTermination: true, DeviceIndex: 0, NetworkCardIndex: 1, Status: "attached" },
    });
    expect(x1!.SecondaryInterfaceId).toMatch(/^si-[0-9a-f]{17}$/);
    expect(x1!.Attachment!.AttachmentId).toMatch(/^si-attach-[0-9a-f]{17}$/);
    expect(x1!.MacAddress).toMatch(/^02(:[0-9a-f]{2}){5}$/);
    expect(x2!.PrivateIpAddresses).toEqual([{ PrivateIpAddress: "10.50.2.4" }, { PrivateIpAddress: "10.50.2.5" }]);

    const list = (await sim.ec2.send(new DescribeSecondaryInterfacesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [inst.InstanceId!] }] })))
      .SecondaryInterfaces!;
    expect(list.map((x) => x.SecondaryInterfaceId)).toEqual([x1!.SecondaryInterfaceId, x2!.SecondaryInterfaceId]);
    expect(list[0]).toMatchObject({
      AvailabilityZone: "us-east-1a",
      AvailabilityZoneId: "use1-az1",
      SecondaryInterfaceArn: `arn:aws:ec2:us-east-1:000000000000:secondary-interface/${x1!.SecondaryInterfaceId}`,
      SecondaryInterfaceType: "secondary",
      SecondaryNetworkType: "rdma",
      PrivateIpv4Addresses: [{ PrivateIpAddress: "10.50.1.9" }],
      Tags: [{ Key: "Name", Value: "rdma0" }],
      Attachment: { InstanceId: inst.InstanceId, InstanceOwnerId: "000000000000", NetworkCardIndex: 1 },
    });
    const by = async (Name: string, Values: string[]) =>
      ((await sim.ec2.send(new DescribeSecondaryInterfacesCommand({ Filters: [{ Name, Values }] }))).SecondaryInterfaces ?? []).map(
        (x) => x.SecondaryInterfaceId,
      );
    expect(await by("private-ipv4-addresses.private-ip-address", ["10.50.2.5"])).toEqual([x2!.SecondaryInterfaceId]);
    expect(await by("secondary-subnet-id", [s1.SecondarySubnetId!])).toEqual([x1!.SecondaryInterfaceId]);
    expect(await by("status", ["available"])).toEqual([]);
    await expectAwsError(sim.ec2.send(new DescribeSecondaryInterfacesCommand({ SecondaryInterfaceIds: ["si-0123456789abcdef0"] })), {
      status: 400,
      name: "InvalidSecondaryInterfaceId.NotFound",
    });

    // The address is taken; the subnet cannot go while the interface is in it.
    await expectAwsError(
      sim.ec2.send(
        new RunInstancesCommand({
          ImageId: AMI,
          MinCount: 1,
          MaxCount: 1,
          InstanceType: RDMA_TYPE,
          Placement: { AvailabilityZone: "us-east-1a" },
          SecondaryInterfaces: [{ SecondarySubnetId: s1.SecondarySubnetId, PrivateIpAddresses: [{ PrivateIpAddress: "10.50.1.9" }] }],
        }),
      ),
      { status: 400, name: "InvalidIPAddress.InUse" },
    );
    await expectAwsError(sim.ec2.send(new DeleteSecondarySubnetCommand({ SecondarySubnetId: s1.SecondarySubnetId! })), {
      status: 400,
      name: "DependencyViolation",
    });

    await sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [inst.InstanceId!] }));
    expect(await by("attachment.instance-id", [inst.InstanceId!])).toEqual([]);
    expect((await describeInstance(sim.ec2, inst.InstanceId!)).SecondaryInterfaces).toBeUndefined();
    await sim.ec2.send(new DeleteSecondarySubnetCommand({ SecondarySubnetId: s1.SecondarySubnetId! }));
  });

  it("checks the subnet, zone, instance type, cards and addresses before launching anything; launch templates carry them", async () => {
    // us-east-1c: AWS offers p5en.48xlarge in us-east-1a and us-east-1c only (DescribeInstanceTypeOfferings).
    const n = await network("10.60.0.0/16");
    const sb = await subnet(n.SecondaryNetworkId!, "10.60.1.0/28", { AvailabilityZone: "us-east-1c" });
    const launch = (extra: Record<string, unknown>, SecondaryInterfaces: unknown[]) =>
      sim.ec2.send(
        new RunInstancesCommand({
          ImageId: AMI,
          MinCount: 1,
          MaxCount: 1,
          InstanceType: RDMA_TYPE,
          Placement: { AvailabilityZone: "us-east-1c" },
          ...extra,
          SecondaryInterfaces: SecondaryInterfaces as never,
        }),
      );
    const before = (await sim.ec2.send(new DescribeSecondaryInterfacesCommand({}))).SecondaryInterfaces?.length ?? 0;
    await expectAwsError(launch({}, [{ SecondarySubnetId: "ss-0123456789abcdef0" }]), { status: 400, name: "InvalidSecondarySubnetId.NotFound" });
    await expectAwsError(launch({ InstanceType: "m5.large" }, [{ SecondarySubnetId: sb.SecondarySubnetId }]), { status: 400, name: "InvalidParameterValue" });
    await expectAwsError(launch({ Placement: { AvailabilityZone: "us-east-1a" } }, [{ SecondarySubnetId: sb.SecondarySubnetId }]), {
      status: 400,
      name: "InvalidParameterValue",
    });
    await expectAwsError(
      launch({}, [
        { SecondarySubnetId: sb.SecondarySubnetId, NetworkCardIndex: 1 },
        { SecondarySubnetId: sb.SecondarySubnetId, NetworkCardIndex: 1 },
      ]),
      { status: 400, name: "InvalidParameterValue" },
    );
    await expectAwsError(
      launch({}, [{ SecondarySubnetId: sb.SecondarySubnetId, PrivateIpAddresses: [{ PrivateIpAddress: "10.60.1.4" }], PrivateIpAddressCount: 1 }]),
      {
        status: 400,
        name: "InvalidParameterCombination",
      },
    );
    for (const ip of ["10.60.1.1", "10.60.1.15", "10.60.2.4"])
      await expectAwsError(launch({}, [{ SecondarySubnetId: sb.SecondarySubnetId, PrivateIpAddresses: [{ PrivateIpAddress: ip }] }]), {
        status: 400,
        name: "InvalidParameterValue",
      });
    await expectAwsError(launch({}, [{ SecondarySubnetId: sb.SecondarySubnetId, DeleteOnTermination: false }]), { status: 400, name: "InvalidParameterValue" });
    // A /28 has 11 usable addresses: 12 instances of one address each do not fit.
    await expectAwsError(launch({ MinCount: 12, MaxCount: 12 }, [{ SecondarySubnetId: sb.SecondarySubnetId }]), {
      status: 400,
      name: "InsufficientFreeAddressesInSubnet",
    });
    expect((await sim.ec2.send(new DescribeSecondaryInterfacesCommand({}))).SecondaryInterfaces?.length ?? 0).toBe(before);

    const lt = (
      await sim.ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: "rdma",
          LaunchTemplateData: {
            ImageId: AMI,
            InstanceType: RDMA_TYPE,
            SecondaryInterfaces: [{ SecondarySubnetId: sb.SecondarySubnetId, NetworkCardIndex: 3 }],
          },
        }),
      )
    ).LaunchTemplate!;
    const many = await sim.ec2.send(
      new RunInstancesCommand({
        MinCount: 3,
        MaxCount: 3,
        LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplateId },
        Placement: { AvailabilityZone: "us-east-1c" },
      }),
    );
    const ips = many.Instances!.map((i) => i.SecondaryInterfaces![0]!.PrivateIpAddresses![0]!.PrivateIpAddress);
    expect(ips).toEqual(["10.60.1.4", "10.60.1.5", "10.60.1.6"]);
    expect(many.Instances!.every((i) => i.SecondaryInterfaces![0]!.Attachment!.NetworkCardIndex === 3)).toBe(true);
  });
});
