/**
 * EC2 operations no other test reached with a real client: route and ACL entry replacement, instance profile
 * replacement, volume/VPC/subnet/address/image/snapshot attribute changes, security group rule descriptions and
 * references, VPN and endpoint-service modifications, and the operations of retired features (Recycle Bin restores
 * without a Recycle Bin, Scheduled Instances, bundle tasks, EC2-Classic's ClassicLink). Each change is read back
 * with the matching Describe.
 */
import {
  AllocateAddressCommand,
  AssociateSubnetCidrBlockCommand,
  AttachClassicLinkVpcCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  AcceptVpcPeeringConnectionCommand,
  CancelBundleTaskCommand,
  CreateClientVpnEndpointCommand,
  CreateCustomerGatewayCommand,
  CreateImageCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateNetworkInterfaceCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  CreateSubnetCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  CreateVpcEndpointConnectionNotificationCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  CreateVpcPeeringConnectionCommand,
  CreateVpnConnectionCommand,
  CreateVpnGatewayCommand,
  DeleteSnapshotCommand,
  DescribeAddressesAttributeCommand,
  DescribeClassicLinkInstancesCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeImageAttributeCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupReferencesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSubnetsCommand,
  DescribeVolumeAttributeCommand,
  DescribeVpcClassicLinkCommand,
  DescribeVpcClassicLinkDnsSupportCommand,
  DescribeVpcEndpointConnectionNotificationsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcsCommand,
  DescribeVpnConnectionsCommand,
  DetachClassicLinkVpcCommand,
  DisableVpcClassicLinkCommand,
  DisableVpcClassicLinkDnsSupportCommand,
  DisassociateSubnetCidrBlockCommand,
  EC2Client,
  EnableVpcClassicLinkCommand,
  EnableVpcClassicLinkDnsSupportCommand,
  ModifyAddressAttributeCommand,
  ModifyImageAttributeCommand,
  ModifyInstanceEventStartTimeCommand,
  ModifySnapshotAttributeCommand,
  ModifyVolumeAttributeCommand,
  ModifyVpcEndpointConnectionNotificationCommand,
  ModifyVpcEndpointServicePayerResponsibilityCommand,
  ModifyVpcTenancyCommand,
  ModifyVpnConnectionCommand,
  PurchaseScheduledInstancesCommand,
  ReplaceIamInstanceProfileAssociationCommand,
  ReplaceNetworkAclEntryCommand,
  ReplaceRouteCommand,
  ResetAddressAttributeCommand,
  ResetImageAttributeCommand,
  ResetSnapshotAttributeCommand,
  RestoreImageFromRecycleBinCommand,
  RestoreSnapshotFromRecycleBinCommand,
  RestoreVolumeFromRecycleBinCommand,
  RunScheduledInstancesCommand,
  TerminateClientVpnConnectionsCommand,
  UpdateSecurityGroupRuleDescriptionsEgressCommand,
} from "@aws-sdk/client-ec2";
import { CreateInstanceProfileCommand, IAMClient } from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { describeInstance, runOne, vpcWithSubnet } from "./ec2-fixtures.js";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg), iam: new IAMClient(cfg) }));

const MISSING_RTB = "rtb-0123456789abcdef0";

async function routesOf(rtb: string) {
  return (await sim.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!.Routes!;
}

describe("ReplaceRoute", () => {
  it("replaces a route's target; Describe shows only the new one", async () => {
    const { vpcId, subnetId } = await vpcWithSubnet(sim.ec2, "10.20.0.0/16");
    const rtb = (await sim.ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    const igw = (await sim.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await sim.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    await sim.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }));
    const eip = (await sim.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }))).AllocationId!;
    const nat = (await sim.ec2.send(new CreateNatGatewayCommand({ SubnetId: subnetId, AllocationId: eip }))).NatGateway!.NatGatewayId!;

    const out = await sim.ec2.send(new ReplaceRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: nat }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    const route = (await routesOf(rtb)).find((r) => r.DestinationCidrBlock === "0.0.0.0/0")!;
    expect(route).toMatchObject({ NatGatewayId: nat, Origin: "CreateRoute", State: "active" });
    expect(route.GatewayId).toBeUndefined();

    // Back to the internet gateway: the NAT gateway is gone from the route.
    await sim.ec2.send(new ReplaceRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }));
    const again = (await routesOf(rtb)).find((r) => r.DestinationCidrBlock === "0.0.0.0/0")!;
    expect(again.GatewayId).toBe(igw);
    expect(again.NatGatewayId).toBeUndefined();
    expect((await routesOf(rtb)).filter((r) => r.DestinationCidrBlock === "0.0.0.0/0")).toHaveLength(1);
  });

  it("replaces the local route's target with a network interface and restores it with LocalTarget", async () => {
    const { vpcId, subnetId } = await vpcWithSubnet(sim.ec2, "10.21.0.0/16");
    const rtb = (await sim.ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    const eni = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId }))).NetworkInterface!.NetworkInterfaceId!;

    // "aws ec2 replace-route --route-table-id ... --destination-cidr-block 10.0.0.0/16 --network-interface-id eni-..." (VPC user guide)
    await sim.ec2.send(new ReplaceRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "10.21.0.0/16", NetworkInterfaceId: eni }));
    const replaced = (await routesOf(rtb)).find((r) => r.DestinationCidrBlock === "10.21.0.0/16")!;
    expect(replaced.NetworkInterfaceId).toBe(eni);
    expect(replaced.GatewayId).toBeUndefined();
    expect(replaced.Origin).toBe("CreateRouteTable");

    await sim.ec2.send(new ReplaceRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "10.21.0.0/16", LocalTarget: true }));
    const restored = (await routesOf(rtb)).find((r) => r.DestinationCidrBlock === "10.21.0.0/16")!;
    expect(restored).toMatchObject({ GatewayId: "local", Origin: "CreateRouteTable", State: "active" });
    expect(restored.NetworkInterfaceId).toBeUndefined();

    // A gateway cannot take the local route (AWS: "This route only supports interface and instance targets").
    const igw = (await sim.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await sim.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    await expectAwsError(sim.ec2.send(new ReplaceRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "10.21.0.0/16", GatewayId: igw })), {
      name: "InvalidParameterValue",
      status: 400,
      message: "Route target is not supported. This route only supports interface and instance targets.",
    });
    expect((await routesOf(rtb)).find((r) => r.DestinationCidrBlock === "10.21.0.0/16")!.GatewayId).toBe("local");
  });

  it("answers AWS's errors: unknown table, no such route, unknown target, dry run", async () => {
    const { vpcId } = await vpcWithSubnet(sim.ec2, "10.22.0.0/16");
    const rtb = (await sim.ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    const igw = (await sim.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await sim.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    await expectAwsError(sim.ec2.send(new ReplaceRouteCommand({ RouteTableId: MISSING_RTB, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw })), {
      name: "InvalidRouteTableID.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new ReplaceRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw })), {
      name: "InvalidRoute.NotFound",
      status: 400,
      message: `no route with destination-cidr-block 0.0.0.0/0 in route table ${rtb}`,
    });
    await sim.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }));
    await expectAwsError(
      sim.ec2.send(new ReplaceRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: "nat-0123456789abcdef0" })),
      { name: "InvalidNatGatewayID.NotFound", status: 400 },
    );
    await expectAwsError(sim.ec2.send(new ReplaceRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw, DryRun: true })), {
      name: "DryRunOperation",
      status: 412,
    });
    expect((await routesOf(rtb)).find((r) => r.DestinationCidrBlock === "0.0.0.0/0")!.GatewayId).toBe(igw);
  });
});

describe("ReplaceNetworkAclEntry", () => {
  it("replaces one entry in place; the other direction and other rules stay", async () => {
    const { vpcId } = await vpcWithSubnet(sim.ec2, "10.23.0.0/16");
    const acl = (await sim.ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }))).NetworkAcl!.NetworkAclId!;
    const entry = { NetworkAclId: acl, RuleNumber: 100, RuleAction: "allow" as const, CidrBlock: "10.0.0.0/8" };
    await sim.ec2.send(new CreateNetworkAclEntryCommand({ ...entry, Protocol: "6", Egress: false, PortRange: { From: 80, To: 80 } }));
    await sim.ec2.send(new CreateNetworkAclEntryCommand({ ...entry, Protocol: "6", Egress: true, PortRange: { From: 443, To: 443 } }));

    await sim.ec2.send(
      new ReplaceNetworkAclEntryCommand({
        NetworkAclId: acl,
        RuleNumber: 100,
        Protocol: "17",
        RuleAction: "deny",
        Egress: false,
        CidrBlock: "192.168.0.0/16",
        PortRange: { From: 53, To: 53 },
      }),
    );
    const entries = (await sim.ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [acl] }))).NetworkAcls![0]!.Entries!;
    const ingress = entries.filter((x) => x.RuleNumber === 100 && !x.Egress);
    expect(ingress).toEqual([
      { RuleNumber: 100, Protocol: "17", RuleAction: "deny", Egress: false, CidrBlock: "192.168.0.0/16", PortRange: { From: 53, To: 53 } },
    ]);
    expect(entries.find((x) => x.RuleNumber === 100 && x.Egress)).toMatchObject({ Protocol: "6", RuleAction: "allow", PortRange: { From: 443, To: 443 } });
    expect(entries.filter((x) => x.RuleNumber === 32767)).toHaveLength(2);

    // All protocols (-1): the port range goes away.
    await sim.ec2.send(
      new ReplaceNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 100, Protocol: "-1", RuleAction: "allow", Egress: true, CidrBlock: "0.0.0.0/0" }),
    );
    const egress = (await sim.ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [acl] }))).NetworkAcls![0]!.Entries!.find(
      (x) => x.RuleNumber === 100 && x.Egress,
    )!;
    expect(egress).toEqual({ RuleNumber: 100, Protocol: "-1", RuleAction: "allow", Egress: true, CidrBlock: "0.0.0.0/0" });

    // An IPv6 ICMP rule in place of an IPv4 one.
    await sim.ec2.send(
      new ReplaceNetworkAclEntryCommand({
        NetworkAclId: acl,
        RuleNumber: 100,
        Protocol: "58",
        RuleAction: "allow",
        Egress: true,
        Ipv6CidrBlock: "::/0",
        IcmpTypeCode: { Type: -1, Code: -1 },
      }),
    );
    const v6 = (await sim.ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [acl] }))).NetworkAcls![0]!.Entries!.find(
      (x) => x.RuleNumber === 100 && x.Egress,
    )!;
    expect(v6).toEqual({ RuleNumber: 100, Protocol: "58", RuleAction: "allow", Egress: true, Ipv6CidrBlock: "::/0", IcmpTypeCode: { Type: -1, Code: -1 } });
  });

  it("answers AWS's errors for a missing ACL, a missing rule and a reserved rule number", async () => {
    const { vpcId } = await vpcWithSubnet(sim.ec2, "10.24.0.0/16");
    const acl = (await sim.ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }))).NetworkAcl!.NetworkAclId!;
    const base = { NetworkAclId: acl, RuleNumber: 100, Protocol: "-1", RuleAction: "allow" as const, Egress: false, CidrBlock: "0.0.0.0/0" };
    await expectAwsError(sim.ec2.send(new ReplaceNetworkAclEntryCommand({ ...base, NetworkAclId: "acl-0123456789abcdef0" })), {
      name: "InvalidNetworkAclID.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new ReplaceNetworkAclEntryCommand(base)), { name: "InvalidNetworkAclEntry.NotFound", status: 400 });
    // "Constraints: Positive integer from 1 to 32766. The range 32767 to 65535 is reserved for internal use."
    await expectAwsError(sim.ec2.send(new ReplaceNetworkAclEntryCommand({ ...base, RuleNumber: 32767 })), { name: "InvalidParameterValue", status: 400 });
  });
});

describe("ReplaceIamInstanceProfileAssociation", () => {
  it("swaps the profile under a new association id; DescribeInstances and the association list show the new one", async () => {
    const a = (await sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "web" }))).InstanceProfile!;
    const b = (await sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "batch", Path: "/jobs/" }))).InstanceProfile!;
    const i = await runOne(sim.ec2, { IamInstanceProfile: { Name: "web" } });
    const before = (await sim.ec2.send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: "instance-id", Values: [i.InstanceId!] }] })))
      .IamInstanceProfileAssociations![0]!;
    expect(before.IamInstanceProfile).toEqual({ Arn: a.Arn, Id: a.InstanceProfileId });

    const r = (
      await sim.ec2.send(new ReplaceIamInstanceProfileAssociationCommand({ AssociationId: before.AssociationId!, IamInstanceProfile: { Name: "batch" } }))
    ).IamInstanceProfileAssociation!;
    expect(r.AssociationId).toMatch(/^iip-assoc-[0-9a-f]{17}$/);
    expect(r.AssociationId).not.toBe(before.AssociationId);
    expect(r).toMatchObject({ InstanceId: i.InstanceId, State: "associating", IamInstanceProfile: { Arn: b.Arn, Id: b.InstanceProfileId } });
    expect(b.Arn).toBe("arn:aws:iam::000000000000:instance-profile/jobs/batch");

    const listed = (await sim.ec2.send(new DescribeIamInstanceProfileAssociationsCommand({ AssociationIds: [r.AssociationId!] })))
      .IamInstanceProfileAssociations!;
    expect(listed).toEqual([
      expect.objectContaining({ AssociationId: r.AssociationId, State: "associated", IamInstanceProfile: { Arn: b.Arn, Id: b.InstanceProfileId } }),
    ]);
    expect((await describeInstance(sim.ec2, i.InstanceId!)).IamInstanceProfile).toEqual({ Arn: b.Arn, Id: b.InstanceProfileId });
    // The association's time is its own, not the launch's.
    expect(before.Timestamp!.getTime()).toBe(i.LaunchTime!.getTime());
    expect(listed[0]!.Timestamp!.getTime()).toBeGreaterThan(i.LaunchTime!.getTime());

    // By ARN too.
    const back = (await sim.ec2.send(new ReplaceIamInstanceProfileAssociationCommand({ AssociationId: r.AssociationId!, IamInstanceProfile: { Arn: a.Arn } })))
      .IamInstanceProfileAssociation!;
    expect(back.IamInstanceProfile).toEqual({ Arn: a.Arn, Id: a.InstanceProfileId });
    expect((await describeInstance(sim.ec2, i.InstanceId!)).IamInstanceProfile).toEqual({ Arn: a.Arn, Id: a.InstanceProfileId });

    // The replaced association is gone; an unknown profile is refused and changes nothing.
    await expectAwsError(
      sim.ec2.send(new ReplaceIamInstanceProfileAssociationCommand({ AssociationId: r.AssociationId!, IamInstanceProfile: { Name: "batch" } })),
      { name: "InvalidAssociationID.NotFound", status: 400 },
    );
    await expectAwsError(
      sim.ec2.send(new ReplaceIamInstanceProfileAssociationCommand({ AssociationId: back.AssociationId!, IamInstanceProfile: { Name: "nope" } })),
      {
        name: "InvalidParameterValue",
        status: 400,
        message: "Value (nope) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name",
      },
    );
    expect((await describeInstance(sim.ec2, i.InstanceId!)).IamInstanceProfile!.Arn).toBe(a.Arn);
  });
});

describe("ModifyVolumeAttribute", () => {
  it("sets autoEnableIO; DescribeVolumeAttribute reads it back", async () => {
    const v = (await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 8 }))).VolumeId!;
    const read = async () => (await sim.ec2.send(new DescribeVolumeAttributeCommand({ VolumeId: v, Attribute: "autoEnableIO" }))).AutoEnableIO?.Value;
    expect(await read()).toBe(false);
    await sim.ec2.send(new ModifyVolumeAttributeCommand({ VolumeId: v, AutoEnableIO: { Value: true } }));
    expect(await read()).toBe(true);
    await sim.ec2.send(new ModifyVolumeAttributeCommand({ VolumeId: v, AutoEnableIO: { Value: false } }));
    expect(await read()).toBe(false);
    await expectAwsError(sim.ec2.send(new ModifyVolumeAttributeCommand({ VolumeId: "vol-0123456789abcdef0", AutoEnableIO: { Value: true } })), {
      name: "InvalidVolume.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new ModifyVolumeAttributeCommand({ VolumeId: v, AutoEnableIO: { Value: true }, DryRun: true })), {
      name: "DryRunOperation",
      status: 412,
    });
    expect(await read()).toBe(false);
  });
});

describe("ModifyVpcTenancy", () => {
  it("turns a dedicated VPC to default and refuses anything else", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.25.0.0/16", InstanceTenancy: "dedicated" }))).Vpc!.VpcId!;
    const tenancy = async () => (await sim.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpc] }))).Vpcs![0]!.InstanceTenancy;
    expect(await tenancy()).toBe("dedicated");
    const r = await sim.ec2.send(new ModifyVpcTenancyCommand({ VpcId: vpc, InstanceTenancy: "default" }));
    expect(r.ReturnValue).toBe(true);
    expect(await tenancy()).toBe("default");
    // "You can change the instance tenancy attribute of a VPC to default only."
    await expectAwsError(sim.ec2.send(new ModifyVpcTenancyCommand({ VpcId: vpc, InstanceTenancy: "dedicated" as "default" })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    expect(await tenancy()).toBe("default");
    await expectAwsError(sim.ec2.send(new ModifyVpcTenancyCommand({ VpcId: "vpc-0123456789abcdef0", InstanceTenancy: "default" })), {
      name: "InvalidVpcID.NotFound",
      status: 400,
    });
  });
});

describe("DisassociateSubnetCidrBlock", () => {
  it("removes a subnet's IPv6 block; the subnet no longer lists it as associated and can take it again", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.26.0.0/16", AmazonProvidedIpv6CidrBlock: true }))).Vpc!.VpcId!;
    const v6 = (await sim.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpc] }))).Vpcs![0]!.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock!;
    const block = v6.replace(/::\/56$/, "::/64");
    const sub = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.26.1.0/24", Ipv6CidrBlock: block }))).Subnet!;
    const assoc = sub.Ipv6CidrBlockAssociationSet![0]!;
    expect(assoc.Ipv6CidrBlock).toBe(block);

    const r = await sim.ec2.send(new DisassociateSubnetCidrBlockCommand({ AssociationId: assoc.AssociationId! }));
    expect(r.SubnetId).toBe(sub.SubnetId);
    expect(r.Ipv6CidrBlockAssociation).toMatchObject({
      AssociationId: assoc.AssociationId,
      Ipv6CidrBlock: block,
      Ipv6CidrBlockState: { State: "disassociating" },
    });
    const after = (await sim.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [sub.SubnetId!] }))).Subnets![0]!;
    expect((after.Ipv6CidrBlockAssociationSet ?? []).filter((x) => x.Ipv6CidrBlockState?.State === "associated")).toEqual([]);
    expect(after.AssignIpv6AddressOnCreation).toBe(false);

    await expectAwsError(sim.ec2.send(new DisassociateSubnetCidrBlockCommand({ AssociationId: assoc.AssociationId! })), {
      name: "InvalidSubnetCidrBlockAssociationID.NotFound",
      status: 400,
    });
    const again = await sim.ec2.send(new AssociateSubnetCidrBlockCommand({ SubnetId: sub.SubnetId!, Ipv6CidrBlock: block }));
    expect(again.Ipv6CidrBlockAssociation!.Ipv6CidrBlock).toBe(block);
  });
});

describe("UpdateSecurityGroupRuleDescriptionsEgress", () => {
  it("updates an outbound rule's description by permission and by rule id", async () => {
    const { vpcId } = await vpcWithSubnet(sim.ec2, "10.27.0.0/16");
    const g = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "egress", Description: "d", VpcId: vpcId }))).GroupId!;
    const perm = { IpProtocol: "tcp", FromPort: 443, ToPort: 443 };
    await sim.ec2.send(
      new AuthorizeSecurityGroupEgressCommand({ GroupId: g, IpPermissions: [{ ...perm, IpRanges: [{ CidrIp: "10.0.0.0/8", Description: "old" }] }] }),
    );
    await sim.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: g, IpPermissions: [{ ...perm, IpRanges: [{ CidrIp: "10.0.0.0/8", Description: "in" }] }] }),
    );
    const rules = async () => (await sim.ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [g] }] }))).SecurityGroupRules!;
    const egressRule = (await rules()).find((r) => r.IsEgress && r.CidrIpv4 === "10.0.0.0/8")!;

    const r = await sim.ec2.send(
      new UpdateSecurityGroupRuleDescriptionsEgressCommand({
        GroupId: g,
        IpPermissions: [{ ...perm, IpRanges: [{ CidrIp: "10.0.0.0/8", Description: "new" }] }],
      }),
    );
    expect(r.Return).toBe(true);
    expect((await rules()).find((x) => x.SecurityGroupRuleId === egressRule.SecurityGroupRuleId)!.Description).toBe("new");
    expect((await rules()).find((x) => !x.IsEgress && x.CidrIpv4 === "10.0.0.0/8")!.Description).toBe("in");

    await sim.ec2.send(
      new UpdateSecurityGroupRuleDescriptionsEgressCommand({
        GroupId: g,
        SecurityGroupRuleDescriptions: [{ SecurityGroupRuleId: egressRule.SecurityGroupRuleId!, Description: "by id" }],
      }),
    );
    expect((await rules()).find((x) => x.SecurityGroupRuleId === egressRule.SecurityGroupRuleId)!.Description).toBe("by id");

    // A rule that is not there, an inbound rule's id, an unknown group.
    await expectAwsError(
      sim.ec2.send(
        new UpdateSecurityGroupRuleDescriptionsEgressCommand({
          GroupId: g,
          IpPermissions: [{ ...perm, IpRanges: [{ CidrIp: "172.16.0.0/12", Description: "x" }] }],
        }),
      ),
      { name: "InvalidPermission.NotFound", status: 400 },
    );
    const inboundId = (await rules()).find((x) => !x.IsEgress)!.SecurityGroupRuleId!;
    await expectAwsError(
      sim.ec2.send(
        new UpdateSecurityGroupRuleDescriptionsEgressCommand({
          GroupId: g,
          SecurityGroupRuleDescriptions: [{ SecurityGroupRuleId: inboundId, Description: "x" }],
        }),
      ),
      { name: "InvalidSecurityGroupRuleId.NotFound", status: 400 },
    );
    await expectAwsError(
      sim.ec2.send(
        new UpdateSecurityGroupRuleDescriptionsEgressCommand({
          GroupId: "sg-0123456789abcdef0",
          IpPermissions: [{ ...perm, IpRanges: [{ CidrIp: "10.0.0.0/8" }] }],
        }),
      ),
      { name: "InvalidGroup.NotFound", status: 400 },
    );
  });
});

describe("DescribeSecurityGroupReferences", () => {
  it("lists the peered VPCs whose groups reference a group", async () => {
    const a = (await vpcWithSubnet(sim.ec2, "10.28.0.0/16")).vpcId;
    const b = (await vpcWithSubnet(sim.ec2, "10.29.0.0/16")).vpcId;
    const pcx = (await sim.ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
    await sim.ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx }));
    const ga = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "a", Description: "a", VpcId: a }))).GroupId!;
    const gb = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "b", Description: "b", VpcId: b }))).GroupId!;
    const gb2 = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "b2", Description: "b2", VpcId: b }))).GroupId!;
    const lonely = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "c", Description: "c", VpcId: a }))).GroupId!;
    for (const g of [gb, gb2])
      await sim.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: g,
          IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, UserIdGroupPairs: [{ GroupId: ga, VpcPeeringConnectionId: pcx }] }],
        }),
      );

    const refs = (await sim.ec2.send(new DescribeSecurityGroupReferencesCommand({ GroupId: [ga, lonely] }))).SecurityGroupReferenceSet!;
    // One entry per referencing VPC, however many of its groups name the group.
    expect(refs).toEqual([{ GroupId: ga, ReferencingVpcId: b, VpcPeeringConnectionId: pcx }]);
    expect((await sim.ec2.send(new DescribeSecurityGroupReferencesCommand({ GroupId: [lonely] }))).SecurityGroupReferenceSet).toEqual([]);
    await expectAwsError(sim.ec2.send(new DescribeSecurityGroupReferencesCommand({ GroupId: ["sg-0123456789abcdef0"] })), {
      name: "InvalidGroup.NotFound",
      status: 400,
    });
  });
});

describe("ModifyAddressAttribute and ResetAddressAttribute", () => {
  it("set and reset an Elastic IP's reverse DNS record as AWS's CLI examples show", async () => {
    const { AllocationId: id, PublicIp: ip } = await sim.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
    const m = (await sim.ec2.send(new ModifyAddressAttributeCommand({ AllocationId: id!, DomainName: "example.com" }))).Address!;
    // The answer shows the record in force and the pending update (modify-address-attribute example).
    expect(m).toMatchObject({ PublicIp: ip, AllocationId: id, PtrRecordUpdate: { Value: "example.com.", Status: "PENDING" } });
    // Before a record of its own, the address has AWS's public DNS name.
    const dflt = `ec2-${ip!.replaceAll(".", "-")}.compute-1.amazonaws.com.`;
    expect(m.PtrRecord).toBe(dflt);
    const read = async () => (await sim.ec2.send(new DescribeAddressesAttributeCommand({ AllocationIds: [id!], Attribute: "domain-name" }))).Addresses![0]!;
    expect(await read()).toMatchObject({ PublicIp: ip, AllocationId: id, PtrRecord: "example.com." });

    const r = (await sim.ec2.send(new ResetAddressAttributeCommand({ AllocationId: id!, Attribute: "domain-name" }))).Address!;
    expect(r).toMatchObject({ PublicIp: ip, AllocationId: id, PtrRecord: "example.com.", PtrRecordUpdate: { Status: "PENDING" } });
    expect(r.PtrRecordUpdate!.Value).toBe(dflt);
    // Reset, the address has no domain-name attribute left to list (Terraform's aws_eip_domain_name waits for this).
    expect((await sim.ec2.send(new DescribeAddressesAttributeCommand({ AllocationIds: [id!], Attribute: "domain-name" }))).Addresses).toEqual([]);

    for (const p of [
      sim.ec2.send(new ModifyAddressAttributeCommand({ AllocationId: "eipalloc-0123456789abcdef0", DomainName: "example.com" })),
      sim.ec2.send(new ResetAddressAttributeCommand({ AllocationId: "eipalloc-0123456789abcdef0", Attribute: "domain-name" })),
    ])
      await expectAwsError(p, { name: "InvalidAllocationID.NotFound", status: 400 });
    await expectAwsError(sim.ec2.send(new ModifyAddressAttributeCommand({ AllocationId: id!, DomainName: "example.org", DryRun: true })), {
      name: "DryRunOperation",
      status: 412,
    });
  });
});

describe("ResetImageAttribute and ResetSnapshotAttribute", () => {
  it("reset an AMI's launch permissions", async () => {
    const i = await runOne(sim.ec2);
    const ami = (await sim.ec2.send(new CreateImageCommand({ InstanceId: i.InstanceId!, Name: "reset-me" }))).ImageId!;
    await sim.ec2.send(new ModifyImageAttributeCommand({ ImageId: ami, LaunchPermission: { Add: [{ UserId: "123456789012" }] } }));
    const perms = async () => (await sim.ec2.send(new DescribeImageAttributeCommand({ ImageId: ami, Attribute: "launchPermission" }))).LaunchPermissions;
    expect(await perms()).toEqual([{ UserId: "123456789012" }]);
    await sim.ec2.send(new ResetImageAttributeCommand({ ImageId: ami, Attribute: "launchPermission" }));
    expect(await perms()).toEqual([]);
    await expectAwsError(sim.ec2.send(new ResetImageAttributeCommand({ ImageId: "ami-0123456789abcdef9", Attribute: "launchPermission" })), {
      name: "InvalidAMIID.NotFound",
      status: 400,
    });
  });

  it("reset a snapshot's createVolumePermission", async () => {
    const v = (await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 8 }))).VolumeId!;
    const snap = (await sim.ec2.send(new CreateSnapshotCommand({ VolumeId: v }))).SnapshotId!;
    await sim.ec2.send(
      new ModifySnapshotAttributeCommand({ SnapshotId: snap, Attribute: "createVolumePermission", OperationType: "add", UserIds: ["123456789012"] }),
    );
    const perms = async () =>
      (await sim.ec2.send(new DescribeSnapshotAttributeCommand({ SnapshotId: snap, Attribute: "createVolumePermission" }))).CreateVolumePermissions;
    expect(await perms()).toEqual([{ UserId: "123456789012" }]);
    await sim.ec2.send(new ResetSnapshotAttributeCommand({ SnapshotId: snap, Attribute: "createVolumePermission" }));
    expect(await perms()).toEqual([]);
    await expectAwsError(sim.ec2.send(new ResetSnapshotAttributeCommand({ SnapshotId: "snap-0123456789abcdef0", Attribute: "createVolumePermission" })), {
      name: "InvalidSnapshot.NotFound",
      status: 400,
    });
  });
});

describe("operations awsim has nothing for: Recycle Bin restores, instance events, Scheduled Instances, bundle tasks", () => {
  it("restores from the Recycle Bin find nothing (awsim keeps no retention rules, so deletes are final)", async () => {
    const v = (await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 8 }))).VolumeId!;
    const snap = (await sim.ec2.send(new CreateSnapshotCommand({ VolumeId: v }))).SnapshotId!;
    await sim.ec2.send(new DeleteSnapshotCommand({ SnapshotId: snap }));
    await expectAwsError(sim.ec2.send(new RestoreSnapshotFromRecycleBinCommand({ SnapshotId: snap })), { name: "InvalidSnapshot.NotFound", status: 400 });
    await expectAwsError(sim.ec2.send(new RestoreImageFromRecycleBinCommand({ ImageId: "ami-0123456789abcdef9" })), {
      name: "InvalidAMIID.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new RestoreVolumeFromRecycleBinCommand({ VolumeId: "vol-0123456789abcdef0" })), {
      name: "InvalidVolume.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new RestoreVolumeFromRecycleBinCommand({ VolumeId: "volume-1" })), { name: "InvalidVolumeID.Malformed", status: 400 });
  });

  it("ModifyInstanceEventStartTime finds the instance and no event", async () => {
    const i = await runOne(sim.ec2);
    const when = new Date(Date.now() + 86_400_000);
    await expectAwsError(
      sim.ec2.send(
        new ModifyInstanceEventStartTimeCommand({ InstanceId: i.InstanceId!, InstanceEventId: "instance-event-0123456789abcdef0", NotBefore: when }),
      ),
      { name: "InvalidInstanceEventIDNotFound", status: 400 },
    );
    await expectAwsError(
      sim.ec2.send(
        new ModifyInstanceEventStartTimeCommand({ InstanceId: "i-0123456789abcdef0", InstanceEventId: "instance-event-0123456789abcdef0", NotBefore: when }),
      ),
      { name: "InvalidInstanceID.NotFound", status: 400 },
    );
  });

  it("Scheduled Instances can no longer be bought or run; no bundle task exists", async () => {
    await expectAwsError(sim.ec2.send(new PurchaseScheduledInstancesCommand({ PurchaseRequests: [{ PurchaseToken: "token", InstanceCount: 1 }] })), {
      name: "InvalidPurchaseToken.Malformed",
      status: 400,
    });
    await expectAwsError(
      sim.ec2.send(
        new RunScheduledInstancesCommand({
          ScheduledInstanceId: "sci-1234-1234-1234-1234-123456789012",
          LaunchSpecification: { ImageId: "ami-0123456789abcdef9" },
        }),
      ),
      { name: "InvalidScheduledInstance", status: 400 },
    );
    await expectAwsError(sim.ec2.send(new CancelBundleTaskCommand({ BundleId: "bun-0123456789abcdef0" })), { name: "InvalidBundleID.NotFound", status: 400 });
  });
});

describe("ModifyVpnConnection", () => {
  it("moves a connection to another virtual private gateway and customer gateway", async () => {
    const cgw = (await sim.ec2.send(new CreateCustomerGatewayCommand({ Type: "ipsec.1", BgpAsn: 65000, IpAddress: "203.0.113.10" }))).CustomerGateway!
      .CustomerGatewayId!;
    const cgw2 = (await sim.ec2.send(new CreateCustomerGatewayCommand({ Type: "ipsec.1", BgpAsn: 65001, IpAddress: "203.0.113.11" }))).CustomerGateway!
      .CustomerGatewayId!;
    const vgw = (await sim.ec2.send(new CreateVpnGatewayCommand({ Type: "ipsec.1" }))).VpnGateway!.VpnGatewayId!;
    const vgw2 = (await sim.ec2.send(new CreateVpnGatewayCommand({ Type: "ipsec.1" }))).VpnGateway!.VpnGatewayId!;
    const vpn = (await sim.ec2.send(new CreateVpnConnectionCommand({ Type: "ipsec.1", CustomerGatewayId: cgw, VpnGatewayId: vgw }))).VpnConnection!
      .VpnConnectionId!;

    const r = (await sim.ec2.send(new ModifyVpnConnectionCommand({ VpnConnectionId: vpn, VpnGatewayId: vgw2 }))).VpnConnection!;
    expect(r).toMatchObject({ VpnConnectionId: vpn, VpnGatewayId: vgw2, CustomerGatewayId: cgw });
    await sim.ec2.send(new ModifyVpnConnectionCommand({ VpnConnectionId: vpn, CustomerGatewayId: cgw2 }));
    const d = (await sim.ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [vpn] }))).VpnConnections![0]!;
    expect(d).toMatchObject({ VpnConnectionId: vpn, VpnGatewayId: vgw2, CustomerGatewayId: cgw2, State: "available" });

    await expectAwsError(sim.ec2.send(new ModifyVpnConnectionCommand({ VpnConnectionId: "vpn-0123456789abcdef0", VpnGatewayId: vgw })), {
      name: "InvalidVpnConnectionID.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new ModifyVpnConnectionCommand({ VpnConnectionId: vpn, VpnGatewayId: "vgw-0123456789abcdef0" })), {
      name: "InvalidVpnGatewayID.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new ModifyVpnConnectionCommand({ VpnConnectionId: vpn, CustomerGatewayId: "cgw-0123456789abcdef0" })), {
      name: "InvalidCustomerGatewayID.NotFound",
      status: 400,
    });
  });
});

describe("VPC endpoint service notifications and payer responsibility", () => {
  const NLB = "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/my-nlb/0123456789abcdef";
  const TOPIC = "arn:aws:sns:us-east-1:000000000000:endpoint-events";

  it("ModifyVpcEndpointConnectionNotification changes the topic and events", async () => {
    const svc = (await sim.ec2.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [NLB] }))).ServiceConfiguration!.ServiceId!;
    const n = (
      await sim.ec2.send(
        new CreateVpcEndpointConnectionNotificationCommand({ ServiceId: svc, ConnectionNotificationArn: TOPIC, ConnectionEvents: ["Connect"] }),
      )
    ).ConnectionNotification!.ConnectionNotificationId!;
    const r = await sim.ec2.send(
      new ModifyVpcEndpointConnectionNotificationCommand({
        ConnectionNotificationId: n,
        ConnectionNotificationArn: `${TOPIC}-2`,
        ConnectionEvents: ["Accept", "Reject"],
      }),
    );
    expect(r.ReturnValue).toBe(true);
    const d = (await sim.ec2.send(new DescribeVpcEndpointConnectionNotificationsCommand({ ConnectionNotificationId: n }))).ConnectionNotificationSet![0]!;
    expect(d).toMatchObject({ ConnectionNotificationId: n, ServiceId: svc, ConnectionNotificationArn: `${TOPIC}-2`, ConnectionEvents: ["Accept", "Reject"] });

    await expectAwsError(
      sim.ec2.send(
        new ModifyVpcEndpointConnectionNotificationCommand({ ConnectionNotificationId: "vpce-nfn-0123456789abcdef0", ConnectionEvents: ["Accept"] }),
      ),
      { name: "InvalidConnectionNotification", status: 400 },
    );
  });

  it("ModifyVpcEndpointServicePayerResponsibility sets the payer", async () => {
    const svc = (await sim.ec2.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [NLB] }))).ServiceConfiguration!.ServiceId!;
    const r = await sim.ec2.send(new ModifyVpcEndpointServicePayerResponsibilityCommand({ ServiceId: svc, PayerResponsibility: "ServiceOwner" }));
    expect(r.ReturnValue).toBe(true);
    const d = (await sim.ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [svc] }))).ServiceConfigurations![0]!;
    expect(d.PayerResponsibility).toBe("ServiceOwner");
    await expectAwsError(
      sim.ec2.send(new ModifyVpcEndpointServicePayerResponsibilityCommand({ ServiceId: "vpce-svc-0123456789abcdef0", PayerResponsibility: "ServiceOwner" })),
      { name: "InvalidVpcEndpointServiceId.NotFound", status: 400 },
    );
  });
});

describe("TerminateClientVpnConnections", () => {
  it("terminates a user's connections (none are open in awsim) and refuses unknown ids", async () => {
    const cert = "arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555";
    const ep = (
      await sim.ec2.send(
        new CreateClientVpnEndpointCommand({
          ClientCidrBlock: "172.16.0.0/22",
          ServerCertificateArn: cert,
          AuthenticationOptions: [{ Type: "certificate-authentication", MutualAuthentication: { ClientRootCertificateChainArn: cert } }],
          ConnectionLogOptions: { Enabled: false },
        }),
      )
    ).ClientVpnEndpointId!;
    const r = await sim.ec2.send(new TerminateClientVpnConnectionsCommand({ ClientVpnEndpointId: ep, Username: "alice" }));
    expect(r).toMatchObject({ ClientVpnEndpointId: ep, Username: "alice", ConnectionStatuses: [] });
    await expectAwsError(
      sim.ec2.send(new TerminateClientVpnConnectionsCommand({ ClientVpnEndpointId: ep, ConnectionId: "cvpn-connection-0123456789abcdef0" })),
      {
        name: "InvalidClientVpnConnection.IdNotFound",
        status: 400,
      },
    );
    await expectAwsError(
      sim.ec2.send(new TerminateClientVpnConnectionsCommand({ ClientVpnEndpointId: "cvpn-endpoint-0123456789abcdef0", Username: "alice" })),
      {
        name: "InvalidClientVpnEndpointId.NotFound",
        status: 400,
      },
    );
  });
});

describe("ClassicLink (EC2-Classic retired on 15 August 2023)", () => {
  it("every ClassicLink operation answers UnsupportedOperation, as AWS does where EC2-Classic is not available", async () => {
    const { vpcId } = await vpcWithSubnet(sim.ec2, "10.30.0.0/16");
    const i = await runOne(sim.ec2);
    const calls = [
      sim.ec2.send(new AttachClassicLinkVpcCommand({ InstanceId: i.InstanceId!, VpcId: vpcId, Groups: ["sg-0123456789abcdef0"] })),
      sim.ec2.send(new DetachClassicLinkVpcCommand({ InstanceId: i.InstanceId!, VpcId: vpcId })),
      sim.ec2.send(new DescribeClassicLinkInstancesCommand({})),
      sim.ec2.send(new DescribeVpcClassicLinkCommand({ VpcIds: [vpcId] })),
      sim.ec2.send(new DescribeVpcClassicLinkDnsSupportCommand({ VpcIds: [vpcId] })),
      sim.ec2.send(new EnableVpcClassicLinkCommand({ VpcId: vpcId })),
      sim.ec2.send(new DisableVpcClassicLinkCommand({ VpcId: vpcId })),
      sim.ec2.send(new EnableVpcClassicLinkDnsSupportCommand({ VpcId: vpcId })),
      sim.ec2.send(new DisableVpcClassicLinkDnsSupportCommand({ VpcId: vpcId })),
    ];
    for (const p of calls)
      await expectAwsError(p, { name: "UnsupportedOperation", status: 400, message: "The functionality you requested is not available in this region." });
  });
});
