/** EC2 networking and EBS answers as AWS's documented and recorded examples show them: which fields an answer carries, and when. */
import {
  AllocateAddressCommand,
  AssociateVpcCidrBlockCommand,
  AuthorizeSecurityGroupIngressCommand,
  CopySnapshotCommand,
  CreateLaunchTemplateCommand,
  CreateNatGatewayCommand,
  CreateNetworkAclEntryCommand,
  CreateNetworkInterfaceCommand,
  CreatePlacementGroupCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  CreateSubnetCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  DeleteLaunchTemplateCommand,
  DescribeAccountAttributesCommand,
  DescribeAddressesCommand,
  DescribeInstanceStatusCommand,
  DescribeLaunchTemplatesCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribePlacementGroupsCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";
import { runOne, vpcWithSubnet } from "./ec2-fixtures.js";

const t = useServer({}, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("security groups", () => {
  it("AuthorizeSecurityGroupIngress answers rules without an empty tag set; DescribeSecurityGroupRules shows Tags []", async () => {
    const { vpcId } = await vpcWithSubnet(t.ec2, "10.60.0.0/16");
    const sg = (await t.ec2.send(new CreateSecurityGroupCommand({ GroupName: "web", Description: "web", VpcId: vpcId }))).GroupId!;
    const r = await t.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: sg,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "203.0.113.0/24" }] }],
      }),
    );
    expect(r.Return).toBe(true);
    const [rule] = r.SecurityGroupRules!;
    expect(rule).toEqual({
      SecurityGroupRuleId: expect.stringMatching(/^sgr-[0-9a-f]{17}$/),
      GroupId: sg,
      GroupOwnerId: "000000000000",
      IsEgress: false,
      IpProtocol: "tcp",
      FromPort: 22,
      ToPort: 22,
      CidrIpv4: "203.0.113.0/24",
      SecurityGroupRuleArn: `arn:aws:ec2:us-east-1:000000000000:security-group-rule/${rule!.SecurityGroupRuleId}`,
    });
    const described = (await t.ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [rule!.SecurityGroupRuleId!] }))).SecurityGroupRules!;
    expect(described[0]!.Tags).toEqual([]);
    const tagged = await t.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: sg,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
        TagSpecifications: [{ ResourceType: "security-group-rule", Tags: [{ Key: "Name", Value: "https" }] }],
      }),
    );
    expect(tagged.SecurityGroupRules![0]!.Tags).toEqual([{ Key: "Name", Value: "https" }]);
  });

  it("DescribeSecurityGroups leaves out an untagged group's tag set", async () => {
    const { vpcId } = await vpcWithSubnet(t.ec2, "10.61.0.0/16");
    const groups = (await t.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }))).SecurityGroups!;
    expect(groups.map((g) => g.GroupName)).toEqual(["default"]);
    expect(groups[0]!.Tags).toBeUndefined();
    expect(groups[0]!.Description).toBe("default VPC security group");
  });
});

describe("NAT gateways and elastic IPs", () => {
  it("CreateNatGateway answers the elastic IP associating and no empty tag set; DescribeNatGateways the addresses", async () => {
    const { subnetId } = await vpcWithSubnet(t.ec2, "10.62.0.0/16");
    const alloc = (await t.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }))).AllocationId!;
    const r = await t.ec2.send(new CreateNatGatewayCommand({ SubnetId: subnetId, AllocationId: alloc }));
    expect(r.ClientToken).toBeTruthy();
    expect(r.NatGateway!.State).toBe("pending");
    expect(r.NatGateway!.ConnectivityType).toBe("public");
    expect(r.NatGateway!.NatGatewayAddresses).toEqual([{ AllocationId: alloc, IsPrimary: true, Status: "associating" }]);
    expect(r.NatGateway!.Tags).toBeUndefined();
    const [nat] = (await t.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [r.NatGateway!.NatGatewayId!] }))).NatGateways!;
    expect(nat!.NatGatewayAddresses![0]).toMatchObject({
      AllocationId: alloc,
      IsPrimary: true,
      Status: "succeeded",
      PrivateIp: expect.stringMatching(/^10\.62\.0\./),
    });
    const [addr] = (await t.ec2.send(new DescribeAddressesCommand({ AllocationIds: [alloc] }))).Addresses!;
    expect(addr!.Tags).toBeUndefined();
    expect(addr).toMatchObject({
      AllocationId: alloc,
      Domain: "vpc",
      PublicIpv4Pool: "amazon",
      NetworkInterfaceId: nat!.NatGatewayAddresses![0]!.NetworkInterfaceId,
    });
    const tagged = await t.ec2.send(
      new CreateNatGatewayCommand({
        SubnetId: subnetId,
        ConnectivityType: "private",
        TagSpecifications: [{ ResourceType: "natgateway", Tags: [{ Key: "Name", Value: "private" }] }],
      }),
    );
    expect(tagged.NatGateway!.Tags).toEqual([{ Key: "Name", Value: "private" }]);
  });
});

describe("network interfaces", () => {
  it("CreateNetworkInterface answers the interface pending; DescribeNetworkInterfaces shows it available", async () => {
    const { subnetId } = await vpcWithSubnet(t.ec2, "10.63.0.0/16");
    const eni = (await t.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId, Description: "my network interface" }))).NetworkInterface!;
    expect(eni.Status).toBe("pending");
    expect(eni.TagSet).toEqual([]);
    const [d] = (await t.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni.NetworkInterfaceId!] }))).NetworkInterfaces!;
    expect(d!.Status).toBe("available");
  });
});

describe("instance status", () => {
  it("names the zone id and has no Events without scheduled events", async () => {
    const i = await runOne(t.ec2);
    const [st] = (await t.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [i.InstanceId!] }))).InstanceStatuses!;
    expect(st!.AvailabilityZone).toBe(i.Placement!.AvailabilityZone);
    expect(st!.AvailabilityZoneId).toMatch(/^use1-az\d$/);
    expect(st!.Events).toBeUndefined();
    expect(st!.AttachedEbsStatus).toEqual({ Status: "ok", Details: [{ Name: "reachability", Status: "passed" }] });
  });
});

describe("EBS", () => {
  it("CreateVolume answers a tag set (empty too) and no attachment list; DescribeVolumes leaves out empty tags and FastRestored", async () => {
    const v = await t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 80, VolumeType: "gp2" }));
    expect(v.State).toBe("creating");
    expect(v.Tags).toEqual([]);
    expect(v.Attachments).toBeUndefined();
    expect(v.FastRestored).toBeUndefined();
    expect(v.Iops).toBe(240);
    const [d] = (await t.ec2.send(new DescribeVolumesCommand({ VolumeIds: [v.VolumeId!] }))).Volumes!;
    expect(d!.Tags).toBeUndefined();
    expect(d!.FastRestored).toBeUndefined();
    expect(d!.Attachments).toEqual([]);
    expect(d!.MultiAttachEnabled).toBe(false);
  });

  it("CopySnapshot answers the snapshot id without an empty tag set", async () => {
    const vol = (await t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 8 }))).VolumeId!;
    const snap = (await t.ec2.send(new CreateSnapshotCommand({ VolumeId: vol }))).SnapshotId!;
    const copy = await t.ec2.send(new CopySnapshotCommand({ SourceRegion: "us-east-1", SourceSnapshotId: snap }));
    expect(copy.SnapshotId).toMatch(/^snap-[0-9a-f]{17}$/);
    expect(copy.Tags).toBeUndefined();
  });
});

describe("account, placement groups, network ACLs, launch templates", () => {
  it("DescribeAccountAttributes lists the attributes in AWS's order", async () => {
    const attrs = (await t.ec2.send(new DescribeAccountAttributesCommand({}))).AccountAttributes!;
    expect(attrs.map((a) => a.AttributeName)).toEqual([
      "vpc-max-security-groups-per-interface",
      "max-instances",
      "supported-platforms",
      "default-vpc",
      "max-elastic-ips",
      "vpc-max-elastic-ips",
    ]);
  });

  it("placement groups have no tag set unless tagged", async () => {
    const pg = (await t.ec2.send(new CreatePlacementGroupCommand({ GroupName: "examples-cluster", Strategy: "cluster" }))).PlacementGroup!;
    expect(pg).toEqual({
      GroupName: "examples-cluster",
      State: "available",
      Strategy: "cluster",
      GroupId: expect.stringMatching(/^pg-[0-9a-f]{17}$/),
      GroupArn: "arn:aws:ec2:us-east-1:000000000000:placement-group/examples-cluster",
    });
    const [d] = (await t.ec2.send(new DescribePlacementGroupsCommand({ GroupNames: ["examples-cluster"] }))).PlacementGroups!;
    expect(d!.Tags).toBeUndefined();
  });

  it("network ACL entries list egress rules first, each by rule number", async () => {
    const { vpcId } = await vpcWithSubnet(t.ec2, "10.64.0.0/16");
    const [acl] = (await t.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }))).NetworkAcls!;
    await t.ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: acl!.NetworkAclId!,
        RuleNumber: 50,
        Protocol: "6",
        RuleAction: "allow",
        Egress: false,
        CidrBlock: "10.0.0.0/8",
        PortRange: { From: 22, To: 22 },
      }),
    );
    const [d] = (await t.ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [acl!.NetworkAclId!] }))).NetworkAcls!;
    expect(d!.Entries!.map((e) => [e.Egress, e.RuleNumber])).toEqual([
      [true, 100],
      [true, 32767],
      [false, 50],
      [false, 100],
      [false, 32767],
    ]);
  });

  it("launch templates show Operator and no empty tag set; DeleteLaunchTemplate answers the tags it had", async () => {
    const lt = (await t.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "examples-lt", LaunchTemplateData: { InstanceType: "t3.micro" } })))
      .LaunchTemplate!;
    expect(lt.Tags).toBeUndefined();
    expect(lt.Operator).toEqual({ Managed: false });
    expect(lt.CreatedBy).toBe("arn:aws:iam::000000000000:root");
    const [d] = (await t.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [lt.LaunchTemplateId!] }))).LaunchTemplates!;
    expect(d!.Tags).toBeUndefined();
    const tagged = (
      await t.ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: "examples-lt-tagged",
          LaunchTemplateData: { InstanceType: "t3.micro" },
          TagSpecifications: [{ ResourceType: "launch-template", Tags: [{ Key: "purpose", Value: "production" }] }],
        }),
      )
    ).LaunchTemplate!;
    const deleted = (await t.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: tagged.LaunchTemplateId! }))).LaunchTemplate!;
    expect(deleted.Tags).toEqual([{ Key: "purpose", Value: "production" }]);
  });
});

describe("Amazon-provided IPv6 blocks", () => {
  it("CreateVpc answers the block associating and empty; DescribeVpcs shows it associated", async () => {
    const vpc = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: "10.65.0.0/16", AmazonProvidedIpv6CidrBlock: true }))).Vpc!;
    expect(vpc.Ipv6CidrBlockAssociationSet).toEqual([
      {
        AssociationId: expect.stringMatching(/^vpc-cidr-assoc-[0-9a-f]{17}$/),
        Ipv6CidrBlock: "",
        Ipv6CidrBlockState: { State: "associating" },
        Ipv6Pool: "Amazon",
        NetworkBorderGroup: "us-east-1",
      },
    ]);
    const [d] = (await t.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpc.VpcId!] }))).Vpcs!;
    expect(d!.Ipv6CidrBlockAssociationSet![0]).toMatchObject({
      AssociationId: vpc.Ipv6CidrBlockAssociationSet![0]!.AssociationId,
      Ipv6CidrBlock: expect.stringMatching(/::\/56$/),
      Ipv6CidrBlockState: { State: "associated" },
    });
  });

  it("CreateSubnet answers its IPv6 block associating; DescribeSubnets shows it associated", async () => {
    const vpc = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: "10.67.0.0/16", AmazonProvidedIpv6CidrBlock: true }))).Vpc!.VpcId!;
    const v6 = (await t.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpc] }))).Vpcs![0]!.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock!;
    const block = v6.replace("::/56", "::/64");
    const sub = (await t.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.67.0.0/24", Ipv6CidrBlock: block }))).Subnet!;
    expect(sub.Ipv6CidrBlockAssociationSet![0]).toMatchObject({ Ipv6CidrBlock: block, Ipv6CidrBlockState: { State: "associating" } });
    const [d] = (await t.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [sub.SubnetId!] }))).Subnets!;
    expect(d!.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlockState).toEqual({ State: "associated" });
  });

  it("AssociateVpcCidrBlock answers only the association of an Amazon-provided block", async () => {
    const vpc = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: "10.66.0.0/16" }))).Vpc!.VpcId!;
    const r = await t.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpc, AmazonProvidedIpv6CidrBlock: true }));
    expect(r.VpcId).toBe(vpc);
    expect(r.Ipv6CidrBlockAssociation).toEqual({
      AssociationId: expect.stringMatching(/^vpc-cidr-assoc-[0-9a-f]{17}$/),
      Ipv6CidrBlockState: { State: "associating" },
      NetworkBorderGroup: "us-east-1",
    });
  });
});
