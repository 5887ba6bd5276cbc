/**
 * "Every documented filter applies": for the Describe operations users hit most, two resources that differ in
 * the filtered attribute, and each documented filter selects the right one; then a walk over every filter name
 * the API reference documents (test/fixtures/ec2-documented-filters.json, generated from botocore's model) that
 * asserts none is rejected as unknown by an operation that answers.
 */
import { readFileSync } from "node:fs";
import { EC2 } from "@aws-sdk/client-ec2";
import { S3Client, CreateBucketCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";
import { AMI } from "./ec2-fixtures.js";

const sim = useServer({}, (cfg) => ({ ec2: new EC2(cfg), s3: new S3Client({ ...cfg, forcePathStyle: true }) }));

type Filter = { Name: string; Values: string[] };
type Pair = { A: string; B: string };
/** Which of the pair a filter selects. */
type Want = "A" | "B" | "both" | "none";

/** Per operation: the call (with its Filters member) and the ids it answers. */
const LISTERS: Record<string, (f: Filter[]) => Promise<string[]>> = {
  DescribeInstances: async (f) => ((await sim.ec2.describeInstances({ Filters: f })).Reservations ?? []).flatMap((r) => r.Instances!.map((i) => i.InstanceId!)),
  DescribeInstanceStatus: async (f) =>
    ((await sim.ec2.describeInstanceStatus({ Filters: f, IncludeAllInstances: true })).InstanceStatuses ?? []).map((x) => x.InstanceId!),
  DescribeVpcs: async (f) => ((await sim.ec2.describeVpcs({ Filters: f })).Vpcs ?? []).map((x) => x.VpcId!),
  DescribeSubnets: async (f) => ((await sim.ec2.describeSubnets({ Filters: f })).Subnets ?? []).map((x) => x.SubnetId!),
  DescribeSecurityGroups: async (f) => ((await sim.ec2.describeSecurityGroups({ Filters: f })).SecurityGroups ?? []).map((x) => x.GroupId!),
  DescribeSecurityGroupRules: async (f) => ((await sim.ec2.describeSecurityGroupRules({ Filters: f })).SecurityGroupRules ?? []).map((x) => x.GroupId!),
  DescribeNetworkInterfaces: async (f) => ((await sim.ec2.describeNetworkInterfaces({ Filters: f })).NetworkInterfaces ?? []).map((x) => x.NetworkInterfaceId!),
  DescribeRouteTables: async (f) => ((await sim.ec2.describeRouteTables({ Filters: f })).RouteTables ?? []).map((x) => x.RouteTableId!),
  DescribeInternetGateways: async (f) => ((await sim.ec2.describeInternetGateways({ Filters: f })).InternetGateways ?? []).map((x) => x.InternetGatewayId!),
  DescribeNatGateways: async (f) => ((await sim.ec2.describeNatGateways({ Filter: f })).NatGateways ?? []).map((x) => x.NatGatewayId!),
  DescribeVolumes: async (f) => ((await sim.ec2.describeVolumes({ Filters: f })).Volumes ?? []).map((x) => x.VolumeId!),
  DescribeSnapshots: async (f) => ((await sim.ec2.describeSnapshots({ Filters: f, OwnerIds: ["self"] })).Snapshots ?? []).map((x) => x.SnapshotId!),
  DescribeImages: async (f) => ((await sim.ec2.describeImages({ Filters: f, Owners: ["self"] })).Images ?? []).map((x) => x.ImageId!),
  DescribeKeyPairs: async (f) => ((await sim.ec2.describeKeyPairs({ Filters: f })).KeyPairs ?? []).map((x) => x.KeyPairId!),
  DescribeAddresses: async (f) => ((await sim.ec2.describeAddresses({ Filters: f })).Addresses ?? []).map((x) => x.AllocationId!),
  DescribeLaunchTemplates: async (f) => ((await sim.ec2.describeLaunchTemplates({ Filters: f })).LaunchTemplates ?? []).map((x) => x.LaunchTemplateId!),
  DescribeLaunchTemplateVersions: async (f) =>
    ((await sim.ec2.describeLaunchTemplateVersions({ LaunchTemplateId: ids.lt!.A, Filters: f })).LaunchTemplateVersions ?? []).map((x) =>
      String(x.VersionNumber),
    ),
  DescribeVpcEndpoints: async (f) => ((await sim.ec2.describeVpcEndpoints({ Filters: f })).VpcEndpoints ?? []).map((x) => x.VpcEndpointId!),
  DescribeVpcPeeringConnections: async (f) =>
    ((await sim.ec2.describeVpcPeeringConnections({ Filters: f })).VpcPeeringConnections ?? []).map((x) => x.VpcPeeringConnectionId!),
  DescribeNetworkAcls: async (f) => ((await sim.ec2.describeNetworkAcls({ Filters: f })).NetworkAcls ?? []).map((x) => x.NetworkAclId!),
  DescribeDhcpOptions: async (f) => ((await sim.ec2.describeDhcpOptions({ Filters: f })).DhcpOptions ?? []).map((x) => x.DhcpOptionsId!),
  DescribeManagedPrefixLists: async (f) => ((await sim.ec2.describeManagedPrefixLists({ Filters: f })).PrefixLists ?? []).map((x) => x.PrefixListId!),
  DescribeTags: async (f) => ((await sim.ec2.describeTags({ Filters: f })).Tags ?? []).map((x) => x.ResourceId!),
  DescribeInstanceTypes: async (f) => ((await sim.ec2.describeInstanceTypes({ Filters: f })).InstanceTypes ?? []).map((x) => x.InstanceType!),
  DescribeAvailabilityZones: async (f) => ((await sim.ec2.describeAvailabilityZones({ Filters: f })).AvailabilityZones ?? []).map((x) => x.ZoneName!),
  DescribeRegions: async (f) => ((await sim.ec2.describeRegions({ Filters: f, AllRegions: true })).Regions ?? []).map((x) => x.RegionName!),
  DescribeTransitGateways: async (f) => ((await sim.ec2.describeTransitGateways({ Filters: f })).TransitGateways ?? []).map((x) => x.TransitGatewayId!),
  DescribeTransitGatewayAttachments: async (f) =>
    ((await sim.ec2.describeTransitGatewayAttachments({ Filters: f })).TransitGatewayAttachments ?? []).map((x) => x.TransitGatewayAttachmentId!),
  DescribeTransitGatewayVpcAttachments: async (f) =>
    ((await sim.ec2.describeTransitGatewayVpcAttachments({ Filters: f })).TransitGatewayVpcAttachments ?? []).map((x) => x.TransitGatewayAttachmentId!),
  DescribeTransitGatewayRouteTables: async (f) =>
    ((await sim.ec2.describeTransitGatewayRouteTables({ Filters: f })).TransitGatewayRouteTables ?? []).map((x) => x.TransitGatewayRouteTableId!),
  DescribePrefixLists: async (f) => ((await sim.ec2.describePrefixLists({ Filters: f })).PrefixLists ?? []).map((x) => x.PrefixListName!),
};

/** The pair of resources of each operation, made in beforeAll. */
const ids: Record<string, Pair> = {};
/** Values read back after setup (addresses, fingerprints...). */
const v: Record<string, string> = {};

const tag = (ResourceType: string, Name: string) => [{ ResourceType: ResourceType as never, Tags: [{ Key: "Name", Value: Name }] }];

beforeAll(async () => {
  const ec2 = sim.ec2;
  const vpcA = (await ec2.createVpc({ CidrBlock: "10.1.0.0/16", TagSpecifications: tag("vpc", "a") })).Vpc!.VpcId!;
  const vpcB = (await ec2.createVpc({ CidrBlock: "10.2.0.0/16", TagSpecifications: tag("vpc", "b") })).Vpc!.VpcId!;
  const vpcC = (await ec2.createVpc({ CidrBlock: "10.3.0.0/16" })).Vpc!.VpcId!;
  ids.vpc = { A: vpcA, B: vpcB };
  const dopA = (await ec2.createDhcpOptions({ DhcpConfigurations: [{ Key: "domain-name", Values: ["a.example"] }] })).DhcpOptions!.DhcpOptionsId!;
  const dopB = (await ec2.createDhcpOptions({ DhcpConfigurations: [{ Key: "domain-name", Values: ["b.example"] }] })).DhcpOptions!.DhcpOptionsId!;
  await ec2.associateDhcpOptions({ VpcId: vpcB, DhcpOptionsId: dopB });
  ids.dop = { A: dopA, B: dopB };
  const subA = (await ec2.createSubnet({ VpcId: vpcA, CidrBlock: "10.1.1.0/24", AvailabilityZone: "us-east-1a" })).Subnet!.SubnetId!;
  const subB = (await ec2.createSubnet({ VpcId: vpcB, CidrBlock: "10.2.1.0/25", AvailabilityZone: "us-east-1b" })).Subnet!.SubnetId!;
  await ec2.modifySubnetAttribute({ SubnetId: subB, MapPublicIpOnLaunch: { Value: true } });
  ids.subnet = { A: subA, B: subB };
  const sgA = (await ec2.createSecurityGroup({ GroupName: "web-a", Description: "group a", VpcId: vpcA })).GroupId!;
  const sgB = (await ec2.createSecurityGroup({ GroupName: "web-b", Description: "group b", VpcId: vpcB })).GroupId!;
  await ec2.authorizeSecurityGroupIngress({
    GroupId: sgA,
    IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "10.0.0.0/8" }] }],
  });
  await ec2.authorizeSecurityGroupIngress({
    GroupId: sgB,
    IpPermissions: [{ IpProtocol: "udp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
  });
  ids.sg = { A: sgA, B: sgB };
  const kA = await ec2.createKeyPair({ KeyName: "key-a" });
  const kB = await ec2.createKeyPair({ KeyName: "key-b", KeyType: "ed25519" });
  ids.key = { A: kA.KeyPairId!, B: kB.KeyPairId! };
  v.fingerprintA = kA.KeyFingerprint!;
  const iA = (
    await ec2.runInstances({
      ImageId: AMI,
      MinCount: 1,
      MaxCount: 1,
      InstanceType: "t3.micro",
      SubnetId: subA,
      KeyName: "key-a",
      SecurityGroupIds: [sgA],
      TagSpecifications: tag("instance", "a"),
    })
  ).Instances![0]!;
  const iB = (
    await ec2.runInstances({ ImageId: AMI, MinCount: 1, MaxCount: 1, InstanceType: "t3.small", SubnetId: subB, KeyName: "key-b", SecurityGroupIds: [sgB] })
  ).Instances![0]!;
  await ec2.stopInstances({ InstanceIds: [iB.InstanceId!] });
  ids.instance = { A: iA.InstanceId!, B: iB.InstanceId! };
  v.ipA = iA.PrivateIpAddress!;
  ids.eni = { A: iA.NetworkInterfaces![0]!.NetworkInterfaceId!, B: iB.NetworkInterfaces![0]!.NetworkInterfaceId! };
  const eipA = await ec2.allocateAddress({ Domain: "vpc" });
  const eipB = await ec2.allocateAddress({ Domain: "vpc" });
  await ec2.associateAddress({ AllocationId: eipA.AllocationId!, InstanceId: iA.InstanceId! });
  ids.eip = { A: eipA.AllocationId!, B: eipB.AllocationId! };
  v.publicIpA = eipA.PublicIp!;
  const igwA = (await ec2.createInternetGateway({})).InternetGateway!.InternetGatewayId!;
  const igwB = (await ec2.createInternetGateway({})).InternetGateway!.InternetGatewayId!;
  await ec2.attachInternetGateway({ InternetGatewayId: igwA, VpcId: vpcA });
  ids.igw = { A: igwA, B: igwB };
  const rtA = (await ec2.createRouteTable({ VpcId: vpcA })).RouteTable!.RouteTableId!;
  const rtB = (await ec2.createRouteTable({ VpcId: vpcB })).RouteTable!.RouteTableId!;
  await ec2.associateRouteTable({ RouteTableId: rtA, SubnetId: subA });
  await ec2.createRoute({ RouteTableId: rtA, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igwA });
  ids.rtb = { A: rtA, B: rtB };
  const natEip = await ec2.allocateAddress({ Domain: "vpc" });
  const natA = (await ec2.createNatGateway({ SubnetId: subA, AllocationId: natEip.AllocationId! })).NatGateway!.NatGatewayId!;
  const natB = (await ec2.createNatGateway({ SubnetId: subB, ConnectivityType: "private" })).NatGateway!.NatGatewayId!;
  ids.nat = { A: natA, B: natB };
  const volA = (await ec2.createVolume({ AvailabilityZone: "us-east-1a", Size: 8, VolumeType: "gp3" })).VolumeId!;
  const volB = (await ec2.createVolume({ AvailabilityZone: "us-east-1b", Size: 20, VolumeType: "gp2", Encrypted: true })).VolumeId!;
  ids.vol = { A: volA, B: volB };
  const snapA = (await ec2.createSnapshot({ VolumeId: volA, Description: "snap a" })).SnapshotId!;
  const snapB = (await ec2.createSnapshot({ VolumeId: volB, Description: "snap b" })).SnapshotId!;
  ids.snap = { A: snapA, B: snapB };
  const amiA = (await ec2.createImage({ InstanceId: iA.InstanceId!, Name: "image-a" })).ImageId!;
  const amiB = (await ec2.createImage({ InstanceId: iB.InstanceId!, Name: "image-b", Description: "b" })).ImageId!;
  ids.ami = { A: amiA, B: amiB };
  const ltA = (
    await ec2.createLaunchTemplate({
      LaunchTemplateName: "lt-a",
      LaunchTemplateData: { ImageId: AMI, InstanceType: "t3.micro", MetadataOptions: { HttpTokens: "required", HttpEndpoint: "enabled" } },
    })
  ).LaunchTemplate!.LaunchTemplateId!;
  await ec2.createLaunchTemplateVersion({ LaunchTemplateId: ltA, LaunchTemplateData: { ImageId: AMI, InstanceType: "t3.small", EbsOptimized: true } });
  const ltB = (await ec2.createLaunchTemplate({ LaunchTemplateName: "lt-b", LaunchTemplateData: { ImageId: AMI } })).LaunchTemplate!.LaunchTemplateId!;
  ids.lt = { A: ltA, B: ltB };
  ids.ltv = { A: "1", B: "2" };
  const vpceA = (await ec2.createVpcEndpoint({ VpcId: vpcA, ServiceName: "com.amazonaws.us-east-1.s3", RouteTableIds: [rtA] })).VpcEndpoint!.VpcEndpointId!;
  const vpceB = (await ec2.createVpcEndpoint({ VpcId: vpcB, ServiceName: "com.amazonaws.us-east-1.dynamodb", RouteTableIds: [rtB] })).VpcEndpoint!
    .VpcEndpointId!;
  ids.vpce = { A: vpceA, B: vpceB };
  const pcxA = (await ec2.createVpcPeeringConnection({ VpcId: vpcA, PeerVpcId: vpcB })).VpcPeeringConnection!.VpcPeeringConnectionId!;
  const pcxB = (await ec2.createVpcPeeringConnection({ VpcId: vpcB, PeerVpcId: vpcC })).VpcPeeringConnection!.VpcPeeringConnectionId!;
  await ec2.acceptVpcPeeringConnection({ VpcPeeringConnectionId: pcxA });
  ids.pcx = { A: pcxA, B: pcxB };
  const acls = (await ec2.describeNetworkAcls({ Filters: [{ Name: "vpc-id", Values: [vpcA, vpcB] }] })).NetworkAcls!;
  ids.acl = { A: acls.find((a) => a.VpcId === vpcA)!.NetworkAclId!, B: acls.find((a) => a.VpcId === vpcB)!.NetworkAclId! };
  const plA = (await ec2.createManagedPrefixList({ PrefixListName: "pl-a", AddressFamily: "IPv4", MaxEntries: 5 })).PrefixList!.PrefixListId!;
  const plB = (await ec2.createManagedPrefixList({ PrefixListName: "pl-b", AddressFamily: "IPv6", MaxEntries: 5 })).PrefixList!.PrefixListId!;
  ids.pl = { A: plA, B: plB };
  const tgwA = (await ec2.createTransitGateway({ Description: "a" })).TransitGateway!.TransitGatewayId!;
  const tgwB = (await ec2.createTransitGateway({ Description: "b", Options: { AmazonSideAsn: 64513, DnsSupport: "disable", VpnEcmpSupport: "disable" } }))
    .TransitGateway!.TransitGatewayId!;
  ids.tgw = { A: tgwA, B: tgwB };
  const tgwAttA = (await ec2.createTransitGatewayVpcAttachment({ TransitGatewayId: tgwA, VpcId: vpcA, SubnetIds: [subA] })).TransitGatewayVpcAttachment!
    .TransitGatewayAttachmentId!;
  const tgwAttB = (await ec2.createTransitGatewayVpcAttachment({ TransitGatewayId: tgwB, VpcId: vpcB, SubnetIds: [subB] })).TransitGatewayVpcAttachment!
    .TransitGatewayAttachmentId!;
  ids.tgwAtt = { A: tgwAttA, B: tgwAttB };
  const tgwRtA = (await ec2.createTransitGatewayRouteTable({ TransitGatewayId: tgwA })).TransitGatewayRouteTable!.TransitGatewayRouteTableId!;
  const tgwRtB = (await ec2.createTransitGatewayRouteTable({ TransitGatewayId: tgwB })).TransitGatewayRouteTable!.TransitGatewayRouteTableId!;
  ids.tgwRt = { A: tgwRtA, B: tgwRtB };
  ids.awsPl = { A: "com.amazonaws.us-east-1.s3", B: "com.amazonaws.us-east-1.dynamodb" };
  ids.itype = { A: "t3.micro", B: "m7i.large" };
  ids.az = { A: "us-east-1a", B: "us-east-1b" };
  ids.region = { A: "us-east-1", B: "us-west-2" };
  ids.tags = { A: vpcA, B: iA.InstanceId! };
  const subnets = (await ec2.describeSubnets({ SubnetIds: [subA] })).Subnets!;
  v.freeA = String(subnets[0]!.AvailableIpAddressCount);
});

/** [operation, pair, filter name, values, which of the pair it selects]. */
type Case = [string, string, string, string[], Want];
const CASES: Case[] = [
  ["DescribeInstances", "instance", "instance-type", ["t3.micro"], "A"],
  ["DescribeInstances", "instance", "instance-state-name", ["stopped"], "B"],
  ["DescribeInstances", "instance", "instance-state-code", ["16"], "A"],
  ["DescribeInstances", "instance", "subnet-id", ["@subnet.B"], "B"],
  ["DescribeInstances", "instance", "vpc-id", ["@vpc.A"], "A"],
  ["DescribeInstances", "instance", "key-name", ["key-b"], "B"],
  ["DescribeInstances", "instance", "availability-zone", ["us-east-1a"], "A"],
  ["DescribeInstances", "instance", "availability-zone-id", ["use1-az*"], "both"],
  ["DescribeInstances", "instance", "instance.group-id", ["@sg.B"], "B"],
  ["DescribeInstances", "instance", "instance.group-name", ["web-a"], "A"],
  ["DescribeInstances", "instance", "private-ip-address", ["$ipA"], "A"],
  ["DescribeInstances", "instance", "network-interface.private-ip-address", ["$ipA"], "A"],
  ["DescribeInstances", "instance", "network-interface.subnet-id", ["@subnet.B"], "B"],
  ["DescribeInstances", "instance", "network-interface.addresses.association.public-ip", ["$publicIpA"], "A"],
  ["DescribeInstances", "instance", "network-interface.association.allocation-id", ["@eip.A"], "A"],
  ["DescribeInstances", "instance", "network-interface.tag-key", ["nope"], "none"],
  ["DescribeInstances", "instance", "ip-address", ["*"], "A"],
  ["DescribeInstances", "instance", "dns-name", ["ec2-*"], "A"],
  ["DescribeInstances", "instance", "private-dns-name-options.enable-resource-name-dns-a-record", ["false"], "both"],
  ["DescribeInstances", "instance", "image-id", [AMI], "both"],
  ["DescribeInstances", "instance", "launch-index", ["0"], "both"],
  ["DescribeInstances", "instance", "platform", ["windows"], "none"],
  ["DescribeInstances", "instance", "metadata-options.state", ["applied"], "both"],
  ["DescribeInstances", "instance", "private-dns-name-options.hostname-type", ["ip-name"], "both"],
  ["DescribeInstances", "instance", "block-device-mapping.device-name", ["/dev/xvda"], "both"],
  ["DescribeInstances", "instance", "tag:Name", ["a"], "A"],
  ["DescribeInstanceStatus", "instance", "instance-state-name", ["running"], "A"],
  ["DescribeInstanceStatus", "instance", "availability-zone", ["us-east-1b"], "B"],
  ["DescribeInstanceStatus", "instance", "availability-zone-id", ["use1-az*"], "both"],
  ["DescribeInstanceStatus", "instance", "event.code", ["system-reboot"], "none"],
  ["DescribeVpcs", "vpc", "cidr", ["10.1.0.0/16"], "A"],
  ["DescribeVpcs", "vpc", "cidr-block-association.cidr-block", ["10.2.0.0/16"], "B"],
  ["DescribeVpcs", "vpc", "dhcp-options-id", ["@dop.B"], "B"],
  ["DescribeVpcs", "vpc", "is-default", ["false"], "both"],
  ["DescribeVpcs", "vpc", "state", ["available"], "both"],
  ["DescribeVpcs", "vpc", "tag:Name", ["b"], "B"],
  ["DescribeSubnets", "subnet", "cidr-block", ["10.1.1.0/24"], "A"],
  ["DescribeSubnets", "subnet", "availability-zone", ["us-east-1b"], "B"],
  ["DescribeSubnets", "subnet", "vpc-id", ["@vpc.A"], "A"],
  ["DescribeSubnets", "subnet", "map-public-ip-on-launch", ["true"], "B"],
  ["DescribeSubnets", "subnet", "default-for-az", ["false"], "both"],
  ["DescribeSubnets", "subnet", "available-ip-address-count", ["$freeA"], "A"],
  ["DescribeSubnets", "subnet", "enable-dns64", ["false"], "both"],
  ["DescribeSubnets", "subnet", "private-dns-name-options-on-launch.hostname-type", ["ip-name"], "both"],
  ["DescribeSubnets", "subnet", "outpost-arn", ["*"], "none"],
  ["DescribeSecurityGroups", "sg", "group-name", ["web-b"], "B"],
  ["DescribeSecurityGroups", "sg", "description", ["group a"], "A"],
  ["DescribeSecurityGroups", "sg", "vpc-id", ["@vpc.B"], "B"],
  ["DescribeSecurityGroups", "sg", "ip-permission.from-port", ["22"], "A"],
  ["DescribeSecurityGroups", "sg", "ip-permission.protocol", ["udp"], "B"],
  ["DescribeSecurityGroups", "sg", "ip-permission.cidr", ["10.0.0.0/8"], "A"],
  ["DescribeSecurityGroups", "sg", "egress.ip-permission.cidr", ["0.0.0.0/0"], "both"],
  ["DescribeSecurityGroupRules", "sg", "group-id", ["@sg.A"], "A"],
  ["DescribeNetworkInterfaces", "eni", "subnet-id", ["@subnet.A"], "A"],
  ["DescribeNetworkInterfaces", "eni", "attachment.instance-id", ["@instance.B"], "B"],
  ["DescribeNetworkInterfaces", "eni", "availability-zone", ["us-east-1b"], "B"],
  ["DescribeNetworkInterfaces", "eni", "availability-zone-id", ["use1-az*"], "both"],
  ["DescribeNetworkInterfaces", "eni", "group-name", ["web-a"], "A"],
  ["DescribeNetworkInterfaces", "eni", "association.public-ip", ["$publicIpA"], "A"],
  ["DescribeNetworkInterfaces", "eni", "status", ["in-use"], "both"],
  ["DescribeNetworkInterfaces", "eni", "private-ip-address", ["$ipA"], "A"],
  ["DescribeRouteTables", "rtb", "association.subnet-id", ["@subnet.A"], "A"],
  ["DescribeRouteTables", "rtb", "route.gateway-id", ["@igw.A"], "A"],
  ["DescribeRouteTables", "rtb", "route.destination-cidr-block", ["10.2.0.0/16"], "B"],
  ["DescribeRouteTables", "rtb", "vpc-id", ["@vpc.B"], "B"],
  ["DescribeRouteTables", "rtb", "association.main", ["true"], "none"],
  ["DescribeInternetGateways", "igw", "attachment.vpc-id", ["@vpc.A"], "A"],
  ["DescribeInternetGateways", "igw", "attachment.state", ["available"], "A"],
  ["DescribeInternetGateways", "igw", "internet-gateway-id", ["@igw.B"], "B"],
  ["DescribeNatGateways", "nat", "subnet-id", ["@subnet.B"], "B"],
  ["DescribeNatGateways", "nat", "vpc-id", ["@vpc.A"], "A"],
  ["DescribeNatGateways", "nat", "state", ["available"], "both"],
  ["DescribeVolumes", "vol", "size", ["8"], "A"],
  ["DescribeVolumes", "vol", "volume-type", ["gp2"], "B"],
  ["DescribeVolumes", "vol", "availability-zone", ["us-east-1a"], "A"],
  ["DescribeVolumes", "vol", "encrypted", ["true"], "B"],
  ["DescribeVolumes", "vol", "status", ["available"], "both"],
  ["DescribeSnapshots", "snap", "volume-id", ["@vol.A"], "A"],
  ["DescribeSnapshots", "snap", "description", ["snap b"], "B"],
  ["DescribeSnapshots", "snap", "volume-size", ["20"], "B"],
  ["DescribeSnapshots", "snap", "encrypted", ["false"], "A"],
  ["DescribeSnapshots", "snap", "status", ["completed"], "both"],
  ["DescribeImages", "ami", "name", ["image-a"], "A"],
  ["DescribeImages", "ami", "source-instance-id", ["@instance.B"], "B"],
  ["DescribeImages", "ami", "description", ["b"], "B"],
  ["DescribeImages", "ami", "is-public", ["false"], "both"],
  ["DescribeImages", "ami", "source-image-id", [AMI], "both"],
  ["DescribeImages", "ami", "block-device-mapping.device-name", ["/dev/xvda"], "both"],
  ["DescribeKeyPairs", "key", "key-name", ["key-b"], "B"],
  ["DescribeKeyPairs", "key", "fingerprint", ["$fingerprintA"], "A"],
  ["DescribeKeyPairs", "key", "key-pair-id", ["@key.A"], "A"],
  ["DescribeAddresses", "eip", "instance-id", ["@instance.A"], "A"],
  ["DescribeAddresses", "eip", "public-ip", ["$publicIpA"], "A"],
  ["DescribeAddresses", "eip", "domain", ["vpc"], "both"],
  ["DescribeAddresses", "eip", "allocation-id", ["@eip.B"], "B"],
  ["DescribeLaunchTemplates", "lt", "launch-template-name", ["lt-b"], "B"],
  ["DescribeLaunchTemplateVersions", "ltv", "instance-type", ["t3.small"], "B"],
  ["DescribeLaunchTemplateVersions", "ltv", "is-default-version", ["true"], "A"],
  ["DescribeLaunchTemplateVersions", "ltv", "http-tokens", ["required"], "A"],
  ["DescribeLaunchTemplateVersions", "ltv", "http-endpoint", ["enabled"], "A"],
  ["DescribeLaunchTemplateVersions", "ltv", "ebs-optimized", ["true"], "B"],
  ["DescribeVpcEndpoints", "vpce", "service-name", ["com.amazonaws.us-east-1.s3"], "A"],
  ["DescribeVpcEndpoints", "vpce", "vpc-id", ["@vpc.B"], "B"],
  ["DescribeVpcEndpoints", "vpce", "vpc-endpoint-type", ["Gateway"], "both"],
  ["DescribeVpcEndpoints", "vpce", "service-region", ["us-east-1"], "both"],
  ["DescribeVpcPeeringConnections", "pcx", "requester-vpc-info.vpc-id", ["@vpc.B"], "B"],
  ["DescribeVpcPeeringConnections", "pcx", "accepter-vpc-info.cidr-block", ["10.2.0.0/16"], "A"],
  ["DescribeVpcPeeringConnections", "pcx", "status-code", ["active"], "A"],
  ["DescribeNetworkAcls", "acl", "vpc-id", ["@vpc.A"], "A"],
  ["DescribeNetworkAcls", "acl", "default", ["true"], "both"],
  ["DescribeNetworkAcls", "acl", "association.subnet-id", ["@subnet.B"], "B"],
  ["DescribeDhcpOptions", "dop", "key", ["domain-name"], "both"],
  ["DescribeDhcpOptions", "dop", "value", ["a.example"], "A"],
  ["DescribeManagedPrefixLists", "pl", "prefix-list-name", ["pl-b"], "B"],
  ["DescribeManagedPrefixLists", "pl", "prefix-list-id", ["@pl.A"], "A"],
  ["DescribeTags", "tags", "resource-type", ["instance"], "B"],
  ["DescribeTags", "tags", "resource-id", ["@vpc.A"], "A"],
  ["DescribeTags", "tags", "key", ["Name"], "both"],
  ["DescribeInstanceTypes", "itype", "burstable-performance-supported", ["true"], "A"],
  ["DescribeInstanceTypes", "itype", "memory-info.size-in-mib", ["1024"], "A"],
  ["DescribeInstanceTypes", "itype", "vcpu-info.default-vcpus", ["2"], "both"],
  ["DescribeInstanceTypes", "itype", "processor-info.supported-architecture", ["x86_64"], "both"],
  ["DescribeInstanceTypes", "itype", "current-generation", ["true"], "both"],
  ["DescribeInstanceTypes", "itype", "free-tier-eligible", ["true"], "A"],
  ["DescribeInstanceTypes", "itype", "supported-usage-class", ["spot"], "both"],
  ["DescribeInstanceTypes", "itype", "bare-metal", ["true"], "none"],
  ["DescribeAvailabilityZones", "az", "zone-name", ["us-east-1b"], "B"],
  ["DescribeAvailabilityZones", "az", "zone-id", ["use1-az1"], "A"],
  ["DescribeAvailabilityZones", "az", "state", ["available"], "both"],
  ["DescribeAvailabilityZones", "az", "parent-zone-name", ["*"], "none"],
  ["DescribeRegions", "region", "region-name", ["us-west-2"], "B"],
  ["DescribeRegions", "region", "endpoint", ["ec2.us-east-1.amazonaws.com"], "A"],
  ["DescribeTransitGateways", "tgw", "options.amazon-side-asn", ["64513"], "B"],
  ["DescribeTransitGateways", "tgw", "options.dns-support", ["enable"], "A"],
  ["DescribeTransitGateways", "tgw", "options.vpn-ecmp-support", ["disable"], "B"],
  ["DescribeTransitGateways", "tgw", "options.default-route-table-association", ["enable"], "both"],
  ["DescribeTransitGateways", "tgw", "state", ["available"], "both"],
  ["DescribeTransitGatewayAttachments", "tgwAtt", "transit-gateway-id", ["@tgw.B"], "B"],
  ["DescribeTransitGatewayAttachments", "tgwAtt", "resource-id", ["@vpc.A"], "A"],
  ["DescribeTransitGatewayAttachments", "tgwAtt", "resource-type", ["vpc"], "both"],
  ["DescribeTransitGatewayVpcAttachments", "tgwAtt", "vpc-id", ["@vpc.B"], "B"],
  ["DescribeTransitGatewayVpcAttachments", "tgwAtt", "transit-gateway-attachment-id", ["@tgwAtt.A"], "A"],
  ["DescribeTransitGatewayRouteTables", "tgwRt", "transit-gateway-id", ["@tgw.A"], "A"],
  ["DescribeTransitGatewayRouteTables", "tgwRt", "transit-gateway-route-table-id", ["@tgwRt.B"], "B"],
  ["DescribePrefixLists", "awsPl", "prefix-list-name", ["*.s3"], "A"],
];

/** "@pair.A" → that id, "$name" → a value read back in setup. */
const resolve = (x: string) => (x.startsWith("@") ? ids[x.slice(1, -2)]![x.slice(-1) as "A" | "B"] : x.startsWith("$") ? v[x.slice(1)]! : x);

describe("documented filters select the right resource", () => {
  it.each(CASES)("%s %s: %s=%j selects %s", async (op, pair, name, values, want) => {
    const p = ids[pair]!;
    const got = new Set(await LISTERS[op]!([{ Name: name, Values: values.map(resolve) }]));
    const sel = [got.has(p.A) && "A", got.has(p.B) && "B"].filter(Boolean).join("");
    expect(sel || "none").toBe(want === "both" ? "AB" : want);
  });
});

describe("values as AWS writes them", () => {
  it("a backslash escapes a wildcard: \\*amazon\\?\\\\ is the literal string *amazon?\\", async () => {
    const note = async (Value: string) =>
      (await sim.ec2.createVpc({ CidrBlock: "10.20.0.0/16", TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Note", Value }] }] })).Vpc!.VpcId!;
    const literal = await note("*amazon?\\");
    const other = await note("Xamazon!\\");
    const find = async (v: string) => ((await sim.ec2.describeVpcs({ Filters: [{ Name: "tag:Note", Values: [v] }] })).Vpcs ?? []).map((x) => x.VpcId).sort();
    expect(await find("\\*amazon\\?\\\\")).toEqual([literal]);
    expect(await find("*amazon?\\\\")).toEqual([literal, other].sort());
    expect(await find("*amazon?\\")).toEqual([literal, other].sort());
  });

  it("fixed-price matches a whole price written as AWS writes it (0.0) or plainly (0)", async () => {
    const offers = async (v: string) =>
      (await sim.ec2.describeReservedInstancesOfferings({ InstanceType: "t3.micro", Filters: [{ Name: "fixed-price", Values: [v] }] }))
        .ReservedInstancesOfferings ?? [];
    const a = await offers("0.0");
    expect(a.length).toBeGreaterThan(0);
    expect(new Set(a.map((o) => o.FixedPrice))).toEqual(new Set([0]));
    expect((await offers("0")).map((o) => o.ReservedInstancesOfferingId)).toEqual(a.map((o) => o.ReservedInstancesOfferingId));
  });

  it("an empty Filter parameter is refused as AWS refuses it; a filter without values matches nothing", async () => {
    // Older SDKs sent `Filters: []` as an empty `Filter=` (aws-sdk-js-v3#6063, kubernetes#22788); AWS refuses it.
    const r = await fetch(sim.server.url, {
      method: "POST",
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=test/20261130/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=${"0".repeat(64)}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "Action=DescribeSnapshots&Version=2016-11-15&Filter=",
    });
    const xml = await r.text();
    expect([r.status, /<Code>(.*?)<\/Code>/.exec(xml)?.[1], /<Message>(.*?)<\/Message>/.exec(xml)?.[1]]).toEqual([
      400,
      "InvalidParameterValue",
      "The filter &apos;null&apos; is invalid",
    ]);
    // Today's SDKs leave an empty list out: every snapshot.
    expect((await sim.ec2.describeSnapshots({ Filters: [], OwnerIds: ["self"] })).Snapshots).toBeDefined();
    expect((await sim.ec2.describeSubnets({ Filters: [{ Name: "vpc-id" }] })).Subnets).toEqual([]);
    expect((await sim.ec2.describeSubnets({ Filters: [{ Name: "vpc-id", Values: [] }] })).Subnets).toEqual([]);
    expect((await sim.ec2.describeSubnets({})).Subnets!.length).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------- every documented name is known

const DOCUMENTED = JSON.parse(readFileSync(new URL("../fixtures/ec2-documented-filters.json", import.meta.url), "utf8")).operations as Record<
  string,
  { member: "Filters" | "Filter"; names: string[] }
>;

/** Operations that cannot be called with filters here, and why. */
const SKIP: Record<string, string> = {
  GetCoipPoolUsage: "needs a customer-owned IP pool, which only an Outpost has",
  SearchLocalGatewayRoutes: "needs a local gateway route table, which only an Outpost has",
  DescribeClassicLinkInstances: "EC2-Classic is retired: UnsupportedOperation, as AWS",
  DescribeVpcClassicLink: "EC2-Classic is retired: UnsupportedOperation, as AWS",
  DescribeScheduledInstanceAvailability: "needs a recurrence and a slot window; no filters to reach",
};

const lower = (op: string) => op[0]!.toLowerCase() + op.slice(1);

describe("every documented filter name is known", () => {
  it("no operation that answers rejects a documented filter name as unknown", async () => {
    const ec2 = sim.ec2 as unknown as Record<string, (input: object) => Promise<unknown>>;
    // Required members of the operations that take them: resources made here.
    const tgw = (await sim.ec2.createTransitGateway({ Options: { MulticastSupport: "enable" } })).TransitGateway!.TransitGatewayId!;
    const rtb = (await sim.ec2.createTransitGatewayRouteTable({ TransitGatewayId: tgw })).TransitGatewayRouteTable!.TransitGatewayRouteTableId!;
    const att = (await sim.ec2.createTransitGatewayVpcAttachment({ TransitGatewayId: tgw, VpcId: ids.vpc!.A, SubnetIds: [ids.subnet!.A] }))
      .TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
    const mcast = (await sim.ec2.createTransitGatewayMulticastDomain({ TransitGatewayId: tgw })).TransitGatewayMulticastDomain!
      .TransitGatewayMulticastDomainId!;
    await sim.s3.send(new CreateBucketCommand({ Bucket: "filters-export" }));
    const cert = "arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555";
    const cvpn = (
      await sim.ec2.createClientVpnEndpoint({
        ClientCidrBlock: "172.16.0.0/22",
        ServerCertificateArn: cert,
        AuthenticationOptions: [{ Type: "certificate-authentication", MutualAuthentication: { ClientRootCertificateChainArn: cert } }],
        ConnectionLogOptions: { Enabled: false },
      })
    ).ClientVpnEndpointId!;
    const fleet = (
      await sim.ec2.createFleet({
        Type: "maintain",
        LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: ids.lt!.A, Version: "1" } }],
        TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: "on-demand" },
      })
    ).FleetId!;
    const svc = (
      await sim.ec2.createVpcEndpointServiceConfiguration({
        NetworkLoadBalancerArns: ["arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/filters/0123456789abcdef"],
      })
    ).ServiceConfiguration!.ServiceId!;
    const required: Record<string, Record<string, string | string[]>> = {
      DescribeCapacityReservationBillingRequests: { Role: "odcr-owner" },
      DescribeClientVpnAuthorizationRules: { ClientVpnEndpointId: cvpn },
      DescribeClientVpnConnections: { ClientVpnEndpointId: cvpn },
      DescribeClientVpnRoutes: { ClientVpnEndpointId: cvpn },
      DescribeClientVpnTargetNetworks: { ClientVpnEndpointId: cvpn },
      DescribeFleetInstances: { FleetId: fleet },
      DescribeVpcEndpointServicePermissions: { ServiceId: svc },
      ExportTransitGatewayRoutes: { TransitGatewayRouteTableId: rtb, S3Bucket: "filters-export" },
      GetSecurityGroupsForVpc: { VpcId: ids.vpc!.A },
      GetSubnetCidrReservations: { SubnetId: ids.subnet!.A },
      GetTransitGatewayAttachmentPropagations: { TransitGatewayAttachmentId: att },
      GetTransitGatewayMulticastDomainAssociations: { TransitGatewayMulticastDomainId: mcast },
      GetTransitGatewayPrefixListReferences: { TransitGatewayRouteTableId: rtb },
      GetTransitGatewayRouteTableAssociations: { TransitGatewayRouteTableId: rtb },
      GetTransitGatewayRouteTablePropagations: { TransitGatewayRouteTableId: rtb },
      SearchTransitGatewayMulticastGroups: { TransitGatewayMulticastDomainId: mcast },
      SearchTransitGatewayRoutes: { TransitGatewayRouteTableId: rtb },
      // Without a template id or name, AWS needs $Latest or $Default (MissingParameter otherwise).
      DescribeLaunchTemplateVersions: { Versions: ["$Latest"] },
    };
    const rejected: string[] = [];
    const notImplemented: string[] = [];
    let checked = 0;
    for (const [op, d] of Object.entries(DOCUMENTED)) {
      if (SKIP[op]) continue;
      const call = (names: string[]) => ec2[lower(op)]!({ ...required[op], [d.member]: names.map((Name) => ({ Name, Values: ["no-such-value"] })) });
      try {
        await call(d.names);
        checked++;
      } catch (err) {
        const x = err as Error & { $metadata?: { httpStatusCode?: number } };
        if (x.$metadata?.httpStatusCode === 501) {
          notImplemented.push(op);
          continue;
        }
        // One name at a time, to name each one rejected.
        for (const n of d.names)
          await call([n]).catch((y: Error) => {
            rejected.push(`${op} ${n}: ${y.name}: ${y.message}`);
          });
      }
    }
    expect(rejected).toEqual([]);
    // Most of the documented operations answer (those still NotImplemented are listed by the coverage report).
    expect(checked).toBeGreaterThan(110);
    expect(notImplemented.length).toBeLessThan(20);
  });
});
