import {
  AllocateAddressCommand,
  AssignPrivateNatGatewayAddressCommand,
  AssociateNatGatewayAddressCommand,
  AssociateSecurityGroupVpcCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateNatGatewayCommand,
  CreateNetworkInterfaceCommand,
  RunInstancesCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCidrReservationCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcBlockPublicAccessExclusionCommand,
  CreateVpcCommand,
  CreateVpcPeeringConnectionCommand,
  AcceptVpcPeeringConnectionCommand,
  DeleteNatGatewayCommand,
  DeleteSubnetCidrReservationCommand,
  DeleteVpcBlockPublicAccessExclusionCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeAddressesCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupVpcAssociationsCommand,
  DescribeStaleSecurityGroupsCommand,
  DescribeTagsCommand,
  DescribeVpcBlockPublicAccessExclusionsCommand,
  DescribeVpcBlockPublicAccessOptionsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  DisassociateNatGatewayAddressCommand,
  DisassociateSecurityGroupVpcCommand,
  EC2Client,
  GetSecurityGroupsForVpcCommand,
  GetSubnetCidrReservationsCommand,
  ModifyVpcBlockPublicAccessExclusionCommand,
  ModifyVpcBlockPublicAccessOptionsCommand,
  ReleaseAddressCommand,
  UnassignPrivateNatGatewayAddressCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg) }));

async function network(cidr = "10.0.0.0/16") {
  const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!;
  const subnet = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId!, CidrBlock: cidr.replace("0.0/16", "1.0/24") }))).Subnet!;
  return { vpcId: vpc.VpcId!, subnetId: subnet.SubnetId! };
}
const eip = async () => (await sim.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }))).AllocationId!;

describe("NAT gateway secondary addresses", () => {
  it("public NAT: secondary EIPs at create and by AssociateNatGatewayAddress, disassociated and released with the gateway", async () => {
    const { subnetId } = await network();
    const [p, s1, s2] = [await eip(), await eip(), await eip()];
    const created = (await sim.ec2.send(new CreateNatGatewayCommand({ SubnetId: subnetId, AllocationId: p, SecondaryAllocationIds: [s1] }))).NatGateway!;
    const natId = created.NatGatewayId!;
    expect(created.NatGatewayAddresses).toHaveLength(2);
    const assoc = await sim.ec2.send(new AssociateNatGatewayAddressCommand({ NatGatewayId: natId, AllocationIds: [s2], PrivateIpAddresses: ["10.0.1.100"] }));
    expect(assoc.NatGatewayAddresses).toEqual([
      expect.objectContaining({
        AllocationId: s2,
        PrivateIp: "10.0.1.100",
        IsPrimary: false,
        Status: "associating",
        AssociationId: expect.stringMatching(/^eipassoc-/),
      }),
    ]);
    const nat = (await sim.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [natId] }))).NatGateways![0]!;
    expect(nat.NatGatewayAddresses!.map((x) => [x.AllocationId, x.IsPrimary, x.Status])).toEqual([
      [p, true, "succeeded"],
      [s1, false, "succeeded"],
      [s2, false, "succeeded"],
    ]);
    const eni = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [nat.NatGatewayAddresses![0]!.NetworkInterfaceId!] })))
      .NetworkInterfaces![0]!;
    expect(eni.PrivateIpAddresses!.map((x) => x.PrivateIpAddress)).toContain("10.0.1.100");
    const addrs = (await sim.ec2.send(new DescribeAddressesCommand({ AllocationIds: [s2] }))).Addresses![0]!;
    expect(addrs.PrivateIpAddress).toBe("10.0.1.100");
    await expectAwsError(sim.ec2.send(new ReleaseAddressCommand({ AllocationId: s2 })), { name: "InvalidIPAddress.InUse", status: 400 });
    await expectAwsError(sim.ec2.send(new AssociateNatGatewayAddressCommand({ NatGatewayId: natId, AllocationIds: [s1] })), {
      name: "Resource.AlreadyAssociated",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new AssignPrivateNatGatewayAddressCommand({ NatGatewayId: natId, PrivateIpAddressCount: 1 })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    const gone = await sim.ec2.send(
      new DisassociateNatGatewayAddressCommand({ NatGatewayId: natId, AssociationIds: [assoc.NatGatewayAddresses![0]!.AssociationId!] }),
    );
    expect(gone.NatGatewayAddresses![0]!.Status).toBe("disassociating");
    expect((await sim.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [natId] }))).NatGateways![0]!.NatGatewayAddresses).toHaveLength(2);
    await sim.ec2.send(new ReleaseAddressCommand({ AllocationId: s2 }));
    await sim.ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: natId }));
    expect((await sim.ec2.send(new DescribeAddressesCommand({ AllocationIds: [s1] }))).Addresses![0]!.AssociationId).toBeUndefined();
    await sim.ec2.send(new ReleaseAddressCommand({ AllocationId: s1 }));
  });

  it("private NAT: assign by count and by address, unassign; unknown gateways and addresses are errors", async () => {
    const { subnetId } = await network();
    const natId = (await sim.ec2.send(new CreateNatGatewayCommand({ SubnetId: subnetId, ConnectivityType: "private", SecondaryPrivateIpAddressCount: 2 })))
      .NatGateway!.NatGatewayId!;
    const a = await sim.ec2.send(new AssignPrivateNatGatewayAddressCommand({ NatGatewayId: natId, PrivateIpAddresses: ["10.0.1.50"] }));
    expect(a.NatGatewayAddresses).toEqual([expect.objectContaining({ PrivateIp: "10.0.1.50", Status: "assigning", IsPrimary: false })]);
    const nat = (await sim.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [natId] }))).NatGateways![0]!;
    expect(nat.NatGatewayAddresses).toHaveLength(4);
    await expectAwsError(sim.ec2.send(new AssignPrivateNatGatewayAddressCommand({ NatGatewayId: natId, PrivateIpAddresses: ["10.0.1.50"] })), {
      name: "InvalidIPAddress.InUse",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new AssignPrivateNatGatewayAddressCommand({ NatGatewayId: natId, PrivateIpAddressCount: 5 })), {
      name: "NatGatewayLimitExceeded",
      status: 400,
    });
    const u = await sim.ec2.send(new UnassignPrivateNatGatewayAddressCommand({ NatGatewayId: natId, PrivateIpAddresses: ["10.0.1.50"] }));
    expect(u.NatGatewayAddresses![0]!.Status).toBe("unassigning");
    expect((await sim.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [natId] }))).NatGateways![0]!.NatGatewayAddresses).toHaveLength(3);
    await expectAwsError(sim.ec2.send(new UnassignPrivateNatGatewayAddressCommand({ NatGatewayId: natId, PrivateIpAddresses: ["10.0.1.50"] })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new AssignPrivateNatGatewayAddressCommand({ NatGatewayId: "nat-0123456789abcdef0", PrivateIpAddressCount: 1 })), {
      name: "NatGatewayNotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new AssignPrivateNatGatewayAddressCommand({ NatGatewayId: natId, PrivateIpAddressCount: 1, DryRun: true })), {
      name: "DryRunOperation",
      status: 412,
    });
  });
});

describe("subnet CIDR reservations", () => {
  it("reserve inside the subnet, no overlaps, list by type, tag, delete", async () => {
    const { subnetId } = await network();
    const r = (
      await sim.ec2.send(
        new CreateSubnetCidrReservationCommand({
          SubnetId: subnetId,
          Cidr: "10.0.1.16/28",
          ReservationType: "prefix",
          Description: "pods",
          TagSpecifications: [{ ResourceType: "subnet-cidr-reservation", Tags: [{ Key: "team", Value: "k8s" }] }],
        }),
      )
    ).SubnetCidrReservation!;
    expect(r).toEqual(
      expect.objectContaining({ SubnetId: subnetId, Cidr: "10.0.1.16/28", ReservationType: "prefix", OwnerId: "000000000000", Description: "pods" }),
    );
    expect(r.SubnetCidrReservationId).toMatch(/^scr-[0-9a-f]{17}$/);
    expect(r.Tags).toEqual([{ Key: "team", Value: "k8s" }]);
    await sim.ec2.send(new CreateSubnetCidrReservationCommand({ SubnetId: subnetId, Cidr: "10.0.1.64/27", ReservationType: "explicit" }));
    await expectAwsError(sim.ec2.send(new CreateSubnetCidrReservationCommand({ SubnetId: subnetId, Cidr: "10.0.1.16/29", ReservationType: "explicit" })), {
      name: "InvalidParameterValue",
      status: 400,
      message: "Reservation CIDR 10.0.1.16/29 has overlap with existing reserved CIDR block",
    });
    await expectAwsError(sim.ec2.send(new CreateSubnetCidrReservationCommand({ SubnetId: subnetId, Cidr: "10.0.2.0/28", ReservationType: "explicit" })), {
      name: "InvalidSubnetCidrReservation.Range",
      status: 400,
    });
    await expectAwsError(
      sim.ec2.send(new CreateSubnetCidrReservationCommand({ SubnetId: "subnet-0123456789abcdef0", Cidr: "10.0.1.0/28", ReservationType: "explicit" })),
      { name: "InvalidSubnetID.NotFound", status: 400 },
    );
    const all = await sim.ec2.send(new GetSubnetCidrReservationsCommand({ SubnetId: subnetId }));
    expect(all.SubnetIpv4CidrReservations!.map((x) => x.Cidr).sort()).toEqual(["10.0.1.16/28", "10.0.1.64/27"]);
    expect(all.SubnetIpv6CidrReservations).toEqual([]);
    const prefix = await sim.ec2.send(new GetSubnetCidrReservationsCommand({ SubnetId: subnetId, Filters: [{ Name: "reservationType", Values: ["prefix"] }] }));
    expect(prefix.SubnetIpv4CidrReservations!.map((x) => x.Cidr)).toEqual(["10.0.1.16/28"]);
    const tagged = await sim.ec2.send(new GetSubnetCidrReservationsCommand({ SubnetId: subnetId, Filters: [{ Name: "tag:team", Values: ["k8s"] }] }));
    expect(tagged.SubnetIpv4CidrReservations).toHaveLength(1);
    const tags = await sim.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [r.SubnetCidrReservationId!] }] }));
    expect(tags.Tags).toEqual([{ ResourceId: r.SubnetCidrReservationId, ResourceType: "subnet-cidr-reservation", Key: "team", Value: "k8s" }]);
    const d = await sim.ec2.send(new DeleteSubnetCidrReservationCommand({ SubnetCidrReservationId: r.SubnetCidrReservationId! }));
    expect(d.DeletedSubnetCidrReservation!.Cidr).toBe("10.0.1.16/28");
    await expectAwsError(sim.ec2.send(new DeleteSubnetCidrReservationCommand({ SubnetCidrReservationId: r.SubnetCidrReservationId! })), {
      name: "InvalidSubnetCidrReservationID.NotFound",
      status: 400,
    });
  });
});

describe("reserved ranges are not assigned automatically", () => {
  it("network interfaces and instances skip a reserved range unless the address is named", async () => {
    const { subnetId } = await network();
    await sim.ec2.send(new CreateSubnetCidrReservationCommand({ SubnetId: subnetId, Cidr: "10.0.1.0/28", ReservationType: "explicit" }));
    const auto = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId }))).NetworkInterface!;
    expect(auto.PrivateIpAddress).toBe("10.0.1.16");
    const named = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId, PrivateIpAddress: "10.0.1.5" }))).NetworkInterface!;
    expect(named.PrivateIpAddress).toBe("10.0.1.5");
    const i = (await sim.ec2.send(new RunInstancesCommand({ ImageId: "ami-0abcdef1234567890", MinCount: 1, MaxCount: 1, SubnetId: subnetId }))).Instances![0]!;
    expect(i.PrivateIpAddress).toBe("10.0.1.17");
  });
});

describe("security groups across VPCs", () => {
  it("associate a group with another VPC; GetSecurityGroupsForVpc lists it; disassociate", async () => {
    const a = await network("10.0.0.0/16");
    const b = await network("10.1.0.0/16");
    const g = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "web", Description: "web", VpcId: a.vpcId }))).GroupId!;
    expect((await sim.ec2.send(new AssociateSecurityGroupVpcCommand({ GroupId: g, VpcId: b.vpcId }))).State).toBe("associating");
    await expectAwsError(sim.ec2.send(new AssociateSecurityGroupVpcCommand({ GroupId: g, VpcId: b.vpcId })), {
      name: "Resource.AlreadyAssociated",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new AssociateSecurityGroupVpcCommand({ GroupId: g, VpcId: "vpc-0123456789abcdef0" })), {
      name: "InvalidVpcID.NotFound",
      status: 400,
    });
    const assoc = (await sim.ec2.send(new DescribeSecurityGroupVpcAssociationsCommand({ Filters: [{ Name: "group-id", Values: [g] }] })))
      .SecurityGroupVpcAssociations!;
    expect(assoc).toEqual([{ GroupId: g, VpcId: b.vpcId, VpcOwnerId: "000000000000", GroupOwnerId: "000000000000", State: "associated" }]);
    const forB = (await sim.ec2.send(new GetSecurityGroupsForVpcCommand({ VpcId: b.vpcId }))).SecurityGroupForVpcs!;
    expect(forB.map((x) => [x.GroupName, x.PrimaryVpcId]).sort()).toEqual([
      ["default", b.vpcId],
      ["web", a.vpcId],
    ]);
    const filtered = (await sim.ec2.send(new GetSecurityGroupsForVpcCommand({ VpcId: b.vpcId, Filters: [{ Name: "primary-vpc-id", Values: [a.vpcId] }] })))
      .SecurityGroupForVpcs!;
    expect(filtered.map((x) => x.GroupId)).toEqual([g]);
    expect((await sim.ec2.send(new DisassociateSecurityGroupVpcCommand({ GroupId: g, VpcId: b.vpcId }))).State).toBe("disassociating");
    expect((await sim.ec2.send(new GetSecurityGroupsForVpcCommand({ VpcId: b.vpcId }))).SecurityGroupForVpcs!.map((x) => x.GroupName)).toEqual(["default"]);
    await expectAwsError(sim.ec2.send(new DisassociateSecurityGroupVpcCommand({ GroupId: g, VpcId: b.vpcId })), {
      name: "InvalidSecurityGroupVpcAssociation.NotFound",
      status: 400,
    });
  });

  it("a rule that references a group across a peering goes stale when the peering is deleted", async () => {
    const a = await network("10.0.0.0/16");
    const b = await network("10.1.0.0/16");
    const pcx = (await sim.ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: a.vpcId, PeerVpcId: b.vpcId }))).VpcPeeringConnection!
      .VpcPeeringConnectionId!;
    await sim.ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx }));
    const ga = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "app", Description: "app", VpcId: a.vpcId }))).GroupId!;
    const gb = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "db", Description: "db", VpcId: b.vpcId }))).GroupId!;
    await sim.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: ga,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: gb }] }],
      }),
    );
    expect((await sim.ec2.send(new DescribeStaleSecurityGroupsCommand({ VpcId: a.vpcId }))).StaleSecurityGroupSet).toEqual([]);
    await sim.ec2.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx }));
    const stale = (await sim.ec2.send(new DescribeStaleSecurityGroupsCommand({ VpcId: a.vpcId }))).StaleSecurityGroupSet!;
    expect(stale).toHaveLength(1);
    expect(stale[0]).toEqual(
      expect.objectContaining({
        GroupId: ga,
        GroupName: "app",
        VpcId: a.vpcId,
        StaleIpPermissions: [
          expect.objectContaining({ IpProtocol: "tcp", FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [expect.objectContaining({ GroupId: gb })] }),
        ],
      }),
    );
    await expectAwsError(sim.ec2.send(new DescribeStaleSecurityGroupsCommand({ VpcId: "vpc-0123456789abcdef0" })), {
      name: "InvalidVpcID.NotFound",
      status: 400,
    });
  });
});

describe("VPC Block Public Access", () => {
  it("options start off in default-state; modify reaches update-complete", async () => {
    const o = (await sim.ec2.send(new DescribeVpcBlockPublicAccessOptionsCommand({}))).VpcBlockPublicAccessOptions!;
    expect(o).toEqual(
      expect.objectContaining({
        AwsAccountId: "000000000000",
        AwsRegion: "us-east-1",
        State: "default-state",
        InternetGatewayBlockMode: "off",
        ExclusionsAllowed: "allowed",
      }),
    );
    const m = (await sim.ec2.send(new ModifyVpcBlockPublicAccessOptionsCommand({ InternetGatewayBlockMode: "block-ingress" }))).VpcBlockPublicAccessOptions!;
    expect(m.State).toBe("update-in-progress");
    const d = (await sim.ec2.send(new DescribeVpcBlockPublicAccessOptionsCommand({}))).VpcBlockPublicAccessOptions!;
    expect([d.State, d.InternetGatewayBlockMode]).toEqual(["update-complete", "block-ingress"]);
    expect(d.LastUpdateTimestamp).toBeInstanceOf(Date);
    const { vpcId, subnetId } = await network();
    expect((await sim.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0]!.BlockPublicAccessStates).toEqual({
      InternetGatewayBlockMode: "block-ingress",
    });
    expect((await sim.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }))).Subnets![0]!.BlockPublicAccessStates).toEqual({
      InternetGatewayBlockMode: "block-ingress",
    });
  });

  it("exclusions of VPCs and subnets: create, modify, filter, tag, delete", async () => {
    const { vpcId, subnetId } = await network();
    const x = (
      await sim.ec2.send(
        new CreateVpcBlockPublicAccessExclusionCommand({
          VpcId: vpcId,
          InternetGatewayExclusionMode: "allow-egress",
          TagSpecifications: [{ ResourceType: "vpc-block-public-access-exclusion", Tags: [{ Key: "k", Value: "v" }] }],
        }),
      )
    ).VpcBlockPublicAccessExclusion!;
    expect(x.ExclusionId).toMatch(/^vpcbpa-exclude-[0-9a-f]{17}$/);
    expect(x.ResourceArn).toBe(`arn:aws:ec2:us-east-1:000000000000:vpc/${vpcId}`);
    expect(x.State).toBe("create-in-progress");
    await expectAwsError(sim.ec2.send(new CreateVpcBlockPublicAccessExclusionCommand({ VpcId: vpcId, InternetGatewayExclusionMode: "allow-egress" })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    await expectAwsError(
      sim.ec2.send(new CreateVpcBlockPublicAccessExclusionCommand({ VpcId: vpcId, SubnetId: subnetId, InternetGatewayExclusionMode: "allow-egress" })),
      { name: "InvalidParameterCombination", status: 400 },
    );
    const sx = (await sim.ec2.send(new CreateVpcBlockPublicAccessExclusionCommand({ SubnetId: subnetId, InternetGatewayExclusionMode: "allow-bidirectional" })))
      .VpcBlockPublicAccessExclusion!;
    const m = await sim.ec2.send(
      new ModifyVpcBlockPublicAccessExclusionCommand({ ExclusionId: x.ExclusionId!, InternetGatewayExclusionMode: "allow-bidirectional" }),
    );
    expect(m.VpcBlockPublicAccessExclusion!.State).toBe("update-in-progress");
    const got = (await sim.ec2.send(new DescribeVpcBlockPublicAccessExclusionsCommand({ ExclusionIds: [x.ExclusionId!] }))).VpcBlockPublicAccessExclusions![0]!;
    expect([got.State, got.InternetGatewayExclusionMode, got.Tags]).toEqual(["update-complete", "allow-bidirectional", [{ Key: "k", Value: "v" }]]);
    await sim.ec2.send(new CreateTagsCommand({ Resources: [sx.ExclusionId!], Tags: [{ Key: "k", Value: "w" }] }));
    const byTag = (await sim.ec2.send(new DescribeVpcBlockPublicAccessExclusionsCommand({ Filters: [{ Name: "tag:k", Values: ["w"] }] })))
      .VpcBlockPublicAccessExclusions!;
    expect(byTag.map((y) => y.ExclusionId)).toEqual([sx.ExclusionId]);
    const del = await sim.ec2.send(new DeleteVpcBlockPublicAccessExclusionCommand({ ExclusionId: x.ExclusionId! }));
    expect(del.VpcBlockPublicAccessExclusion!.State).toBe("delete-in-progress");
    const after = (await sim.ec2.send(new DescribeVpcBlockPublicAccessExclusionsCommand({ Filters: [{ Name: "state", Values: ["delete-complete"] }] })))
      .VpcBlockPublicAccessExclusions!;
    expect(after.map((y) => [y.ExclusionId, y.DeletionTimestamp instanceof Date])).toEqual([[x.ExclusionId, true]]);
    await expectAwsError(sim.ec2.send(new DeleteVpcBlockPublicAccessExclusionCommand({ ExclusionId: x.ExclusionId! })), {
      name: "InvalidVpcBlockPublicAccessExclusionId.NotFound",
      status: 400,
    });
  });
});
