/**
 * EC2 answers recorded against real AWS, replayed against awsim. Follows LocalStack's AWS-validated
 * tests/aws/services/ec2/test_ec2.snapshot.json (with the requests from test_ec2.py beside it); tests whose
 * recordings are replayed elsewhere (ec2-recorded.test.ts, ec2-parity.test.ts) are not repeated here.
 * Also: network interfaces and instances in IPv6-only (Ipv6Native) subnets, which AWS gives an IPv6 address and no
 * IPv4 one ("Introducing IPv6-only subnets and EC2 instances", AWS networking blog), and CreateNetworkInterface
 * honouring the subnet's AssignIpv6AddressOnCreation (CreateNetworkInterface reference, Ipv6AddressCount).
 */
import {
  AssociateRouteTableCommand,
  AttachVpnGatewayCommand,
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  CreateNetworkInterfaceCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpnGatewayCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeVpcsCommand,
  DescribeVpnGatewaysCommand,
  DisassociateRouteTableCommand,
  EC2Client,
  ModifyLaunchTemplateCommand,
  ModifySubnetAttributeCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { AMI } from "./ec2-fixtures.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

const LINUX = "ami-06c39ed6b42908a36";
const UBUNTU = "ami-03e08697c325f02ab";

describe("recorded EC2 answers (test_ec2.py)", () => {
  // tests/aws/services/ec2/test_ec2.py::TestEc2Integrations::test_create_route_table_association
  it("test_create_route_table_association", async () => {
    const vpcId = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    const subnetId = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.0.0.0/24" }))).Subnet!.SubnetId!;
    const rtb = (await sim.ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    const assoc = await sim.ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId: subnetId }));
    const associationId = assoc.AssociationId!;
    const tables = (await sim.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables!;
    expect(tables).toEqual([
      {
        Associations: [
          { Main: false, RouteTableAssociationId: associationId, RouteTableId: rtb, SubnetId: subnetId, AssociationState: { State: "associated" } },
        ],
        PropagatingVgws: [],
        RouteTableId: rtb,
        Routes: [{ DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local", Origin: "CreateRouteTable", State: "active" }],
        Tags: [],
        VpcId: vpcId,
        OwnerId: "000000000000",
      },
    ]);
    await sim.ec2.send(new DisassociateRouteTableCommand({ AssociationId: associationId }));
    const after = (await sim.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables!;
    expect(after.map((t) => t.Associations)).toEqual([[]]);
  });

  // tests/aws/services/ec2/test_ec2.py::TestEc2Integrations::test_describe_vpn_gateways_filter_by_vpc
  it("test_describe_vpn_gateways_filter_by_vpc", async () => {
    const vpcId = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    const created = await sim.ec2.send(new CreateVpnGatewayCommand({ AvailabilityZone: "us-east-1a", Type: "ipsec.1" }));
    const id = created.VpnGateway!.VpnGatewayId!;
    expect(created.VpnGateway).toEqual({ AmazonSideAsn: 64512, State: "available", Type: "ipsec.1", VpcAttachments: [], VpnGatewayId: id });
    await sim.ec2.send(new AttachVpnGatewayCommand({ VpcId: vpcId, VpnGatewayId: id }));
    const gateways = (await sim.ec2.send(new DescribeVpnGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [vpcId] }] }))).VpnGateways!;
    expect(gateways).toEqual([
      { AmazonSideAsn: 64512, State: "available", Tags: [], Type: "ipsec.1", VpcAttachments: [{ State: "attached", VpcId: vpcId }], VpnGatewayId: id },
    ]);
  });

  // tests/aws/services/ec2/test_ec2.py::TestEc2Integrations::test_modify_launch_template[id] and [name]
  it.each(["id", "name"])("test_modify_launch_template[%s]", async (idType) => {
    const name = `template-with-versions-${idType}`;
    const template = (await sim.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: name, LaunchTemplateData: { ImageId: LINUX } })))
      .LaunchTemplate!;
    const by = idType === "id" ? { LaunchTemplateId: template.LaunchTemplateId } : { LaunchTemplateName: name };
    const version = (await sim.ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateData: { ImageId: UBUNTU }, ...by }))).LaunchTemplateVersion!
      .VersionNumber!;
    expect(version).toBe(2);
    await sim.ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: template.LaunchTemplateId, DefaultVersion: String(version) }));
    const [described] = (await sim.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [template.LaunchTemplateId!] }))).LaunchTemplates!;
    expect(described!.DefaultVersionNumber).toBe(2);
  });

  // tests/aws/services/ec2/test_ec2.py::test_raise_modify_to_invalid_default_version
  it("test_raise_modify_to_invalid_default_version", async () => {
    const template = (
      await sim.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "my-first-launch-template", LaunchTemplateData: { ImageId: LINUX } }))
    ).LaunchTemplate!;
    await expectAwsError(sim.ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: template.LaunchTemplateId, DefaultVersion: "666" })), {
      name: "InvalidLaunchTemplateId.VersionNotFound",
      status: 400,
    });
  });

  // tests/aws/services/ec2/test_ec2.py::test_raise_when_launch_template_data_missing
  it("test_raise_when_launch_template_data_missing", async () => {
    await expectAwsError(sim.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "unique_name-1", LaunchTemplateData: {} })), {
      name: "MissingParameter",
      status: 400,
    });
  });

  // tests/aws/services/ec2/test_ec2.py::test_raise_duplicate_launch_template_name
  it("test_raise_duplicate_launch_template_name", async () => {
    await sim.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "name", LaunchTemplateData: { ImageId: LINUX } }));
    await expectAwsError(sim.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "name", LaunchTemplateData: { ImageId: LINUX } })), {
      name: "InvalidLaunchTemplateName.AlreadyExistsException",
      status: 400,
    });
  });
});

describe("IPv6-only subnets", () => {
  async function ipv6Only() {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.90.0.0/16", AmazonProvidedIpv6CidrBlock: true }))).Vpc!.VpcId!;
    const block = (await sim.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpc] }))).Vpcs![0]!.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock!;
    const six = (n: number) => block.replace(/00::\/56$/, `0${n}::/64`);
    const sub = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, Ipv6Native: true, Ipv6CidrBlock: six(1), AvailabilityZone: "us-east-1a" }))).Subnet!
      .SubnetId!;
    return { vpc, sub, prefix: six(1).replace(/::\/64$/, ":") };
  }

  it("CreateNetworkInterface in an IPv6-only subnet gives the interface one IPv6 address and no IPv4 one", async () => {
    const { sub, prefix } = await ipv6Only();
    const eni = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: sub }))).NetworkInterface!;
    expect(eni.PrivateIpAddress).toBeUndefined();
    expect(eni.PrivateDnsName).toBeUndefined();
    expect(eni.PrivateIpAddresses).toEqual([]);
    expect(eni.Ipv6Addresses).toHaveLength(1);
    expect(eni.Ipv6Addresses![0]!.Ipv6Address!.startsWith(prefix)).toBe(true);
    expect(eni.Ipv6Address).toBe(eni.Ipv6Addresses![0]!.Ipv6Address);
    const [d] = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni.NetworkInterfaceId!] }))).NetworkInterfaces!;
    expect(d!.Status).toBe("available");
    expect(d!.Ipv6Addresses).toEqual(eni.Ipv6Addresses);

    // Asking for addresses gives those (not one more); an IPv4 address cannot be had there.
    const two = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: sub, Ipv6AddressCount: 2 }))).NetworkInterface!;
    expect(two.Ipv6Addresses).toHaveLength(2);
    const wanted = `${prefix}:abcd`;
    const named = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: sub, Ipv6Addresses: [{ Ipv6Address: wanted }] }))).NetworkInterface!;
    expect(named.Ipv6Addresses!.map((x) => x.Ipv6Address)).toEqual([wanted]);
    await expectAwsError(sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: sub, PrivateIpAddress: "10.90.0.10" })), {
      name: "InvalidParameterValue",
      status: 400,
      message: `The subnet ${sub} does not have an IPv4 CIDR block.`,
    });
  });

  it("RunInstances in an IPv6-only subnet launches with an IPv6 address only and a resource-name DNS name", async () => {
    const { sub, prefix } = await ipv6Only();
    const [i] = (await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: "t3.micro", MinCount: 2, MaxCount: 2, SubnetId: sub }))).Instances!;
    const [d] = (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [i!.InstanceId!] }))).Reservations![0]!.Instances!;
    expect(d!.PrivateIpAddress).toBeUndefined();
    expect(d!.Ipv6Address!.startsWith(prefix)).toBe(true);
    expect(d!.PrivateDnsName).toBe(`${i!.InstanceId}.ec2.internal`);
    const [nic] = d!.NetworkInterfaces!;
    expect(nic!.PrivateIpAddresses).toEqual([]);
    expect(nic!.Ipv6Addresses!.map((x) => x.Ipv6Address)).toEqual([d!.Ipv6Address]);

    // A type without IPv6 support cannot launch there (AWS's answer in karpenter-provider-aws#2975).
    await expectAwsError(sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: "m3.medium", MinCount: 1, MaxCount: 1, SubnetId: sub })), {
      name: "UnsupportedOperation",
      status: 400,
      message: "IPv6 addresses are not supported on m3.medium",
    });
  });
});

describe("AssignIpv6AddressOnCreation", () => {
  it("CreateNetworkInterface in a subnet that assigns IPv6 addresses on creation gets one, unless Ipv6AddressCount is 0", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.91.0.0/16", AmazonProvidedIpv6CidrBlock: true }))).Vpc!.VpcId!;
    const block = (await sim.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpc] }))).Vpcs![0]!.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock!;
    const sub = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.91.1.0/24", Ipv6CidrBlock: block.replace(/00::\/56$/, "01::/64") })))
      .Subnet!.SubnetId!;
    await sim.ec2.send(new ModifySubnetAttributeCommand({ SubnetId: sub, AssignIpv6AddressOnCreation: { Value: true } }));
    const auto = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: sub }))).NetworkInterface!;
    expect(auto.Ipv6Addresses).toHaveLength(1);
    expect(auto.PrivateIpAddress).toMatch(/^10\.91\.1\.\d+$/);
    const none = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: sub, Ipv6AddressCount: 0 }))).NetworkInterface!;
    expect(none.Ipv6Addresses).toEqual([]);
  });
});
