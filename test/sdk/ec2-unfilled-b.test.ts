/**
 * Output members AWS returns that awsim left out (second half of EC2's operations, DescribeMacModificationTasks
 * onwards): NAT gateways, network interfaces, Site-to-Site VPN options, transit gateway options.
 */
import {
  AcceptVpcPeeringConnectionCommand,
  AllocateAddressCommand,
  AssociateVpcCidrBlockCommand,
  CreateCustomerGatewayCommand,
  CreateNatGatewayCommand,
  CreateNetworkInterfaceCommand,
  CreateSubnetCommand,
  CreateTransitGatewayCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  CreateVpcPeeringConnectionCommand,
  CreateVpnConnectionCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkInterfacesCommand,
  DescribeTransitGatewaysCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  DescribeVpnConnectionsCommand,
  EC2Client,
  GetLaunchTemplateDataCommand,
  ModifyTransitGatewayCommand,
  ModifyVpnTunnelOptionsCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

async function subnet(ipv6 = false) {
  const vpcId = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.7.0.0/16", AmazonProvidedIpv6CidrBlock: ipv6 }))).Vpc!.VpcId!;
  let Ipv6CidrBlock: string | undefined;
  if (ipv6) {
    const block = (await sim.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0]!.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock!;
    Ipv6CidrBlock = block.replace(/00::\/56$/, "01::/64");
  }
  const sub = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.7.1.0/24", AvailabilityZone: "us-east-1a", Ipv6CidrBlock }))).Subnet!;
  return { vpcId, subnetId: sub.SubnetId!, azId: sub.AvailabilityZoneId! };
}

describe("NAT gateways", () => {
  it("AvailabilityMode zonal, AttachedAppliances [], and the interface described with the gateway's id", async () => {
    const { subnetId } = await subnet();
    const alloc = (await sim.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }))).AllocationId!;
    const created = (await sim.ec2.send(new CreateNatGatewayCommand({ SubnetId: subnetId, AllocationId: alloc }))).NatGateway!;
    expect(created.AvailabilityMode).toBe("zonal");
    expect(created.AttachedAppliances).toBeUndefined();
    const nat = (await sim.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [created.NatGatewayId!] }))).NatGateways![0]!;
    expect(nat.AvailabilityMode).toBe("zonal");
    expect(nat.AttachedAppliances).toEqual([]);
    const eniId = nat.NatGatewayAddresses![0]!.NetworkInterfaceId!;
    const eni = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }))).NetworkInterfaces![0]!;
    expect(eni.Description).toBe(`Interface for NAT Gateway ${nat.NatGatewayId}`);
    expect(eni.InterfaceType).toBe("nat_gateway");
  });
});

describe("network interfaces", () => {
  it("RequesterId of the creator, AvailabilityZoneId, Ipv6Address and IsPrimaryIpv6", async () => {
    const { subnetId, azId } = await subnet(true);
    const created = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId, Ipv6AddressCount: 1 }))).NetworkInterface!;
    expect(created.RequesterId).toBe(created.OwnerId);
    expect(created.Ipv6Addresses).toEqual([{ Ipv6Address: created.Ipv6Address, IsPrimaryIpv6: false }]);
    const eni = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [created.NetworkInterfaceId!] }))).NetworkInterfaces![0]!;
    expect(eni.RequesterId).toBe(created.OwnerId);
    expect(eni.RequesterManaged).toBe(false);
    expect(eni.AvailabilityZoneId).toBe(azId);
    expect(eni.Ipv6Address).toMatch(/^2600:/);
    expect(eni.Ipv6Addresses).toEqual([{ Ipv6Address: eni.Ipv6Address, IsPrimaryIpv6: false }]);
    const byRequester = await sim.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "requester-id", Values: [created.OwnerId!] }] }));
    expect(byRequester.NetworkInterfaces!.map((x) => x.NetworkInterfaceId)).toEqual([created.NetworkInterfaceId]);
    // An interface without IPv6 addresses has no Ipv6Address.
    const plain = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId }))).NetworkInterface!;
    expect(plain.Ipv6Address).toBeUndefined();
    expect(plain.Ipv6Addresses).toEqual([]);
  });
});

describe("Site-to-Site VPN options", () => {
  async function cgw() {
    return (await sim.ec2.send(new CreateCustomerGatewayCommand({ Type: "ipsec.1", BgpAsn: 65000, PublicIp: "203.0.113.12" }))).CustomerGateway!
      .CustomerGatewayId!;
  }

  it("an IPv6 tunnel shows the IPv6 network CIDRs (::/0) instead of the IPv4 ones", async () => {
    const tgw = (await sim.ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
    const created = (
      await sim.ec2.send(
        new CreateVpnConnectionCommand({
          Type: "ipsec.1",
          CustomerGatewayId: await cgw(),
          TransitGatewayId: tgw,
          Options: { TunnelInsideIpVersion: "ipv6", TunnelOptions: [{ StartupAction: "start" }, { StartupAction: "start" }] },
        }),
      )
    ).VpnConnection!;
    expect(created.Options).toMatchObject({ LocalIpv6NetworkCidr: "::/0", RemoteIpv6NetworkCidr: "::/0", TunnelInsideIpVersion: "ipv6" });
    expect(created.Options!.LocalIpv4NetworkCidr).toBeUndefined();
    expect(created.Options!.RemoteIpv4NetworkCidr).toBeUndefined();
    expect(created.Options!.TunnelOptions!.map((t) => t.StartupAction)).toEqual(["start", "start"]);
  });

  it("echoes LogOptions given at creation and by ModifyVpnTunnelOptions", async () => {
    const tgw = (await sim.ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
    const logGroupArn = "arn:aws:logs:us-east-1:000000000000:log-group:vpn";
    const created = (
      await sim.ec2.send(
        new CreateVpnConnectionCommand({
          Type: "ipsec.1",
          CustomerGatewayId: await cgw(),
          TransitGatewayId: tgw,
          Options: { TunnelOptions: [{ LogOptions: { CloudWatchLogOptions: { LogEnabled: true, LogGroupArn: logGroupArn, LogOutputFormat: "json" } } }] },
        }),
      )
    ).VpnConnection!;
    expect(created.Options!.LocalIpv4NetworkCidr).toBe("0.0.0.0/0");
    expect(created.Options!.LocalIpv6NetworkCidr).toBeUndefined();
    const [first, second] = created.Options!.TunnelOptions!;
    expect(first!.LogOptions).toEqual({ CloudWatchLogOptions: { LogEnabled: true, LogGroupArn: logGroupArn, LogOutputFormat: "json" } });
    expect(second!.LogOptions).toBeUndefined();
    await sim.ec2.send(
      new ModifyVpnTunnelOptionsCommand({
        VpnConnectionId: created.VpnConnectionId!,
        VpnTunnelOutsideIpAddress: second!.OutsideIpAddress!,
        TunnelOptions: { LogOptions: { CloudWatchLogOptions: { LogEnabled: false } } },
      }),
    );
    const d = (await sim.ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [created.VpnConnectionId!] }))).VpnConnections![0]!;
    expect(d.Options!.TunnelOptions!.map((t) => t.LogOptions)).toEqual([
      { CloudWatchLogOptions: { LogEnabled: true, LogGroupArn: logGroupArn, LogOutputFormat: "json" } },
      { CloudWatchLogOptions: { LogEnabled: false } },
    ]);
  });
});

describe("transit gateways", () => {
  it("Options.EncryptionSupport: disabled, enabled once ModifyTransitGateway enables it", async () => {
    const created = (await sim.ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!;
    expect(created.Options!.EncryptionSupport).toEqual({ EncryptionState: "disabled" });
    const id = created.TransitGatewayId!;
    const d = (await sim.ec2.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [id] }))).TransitGateways![0]!;
    expect(d.Options!.EncryptionSupport).toEqual({ EncryptionState: "disabled" });
    const m = (await sim.ec2.send(new ModifyTransitGatewayCommand({ TransitGatewayId: id, Options: { EncryptionSupport: "enable" } }))).TransitGateway!;
    expect(m.Options!.EncryptionSupport).toEqual({ EncryptionState: "enabled" });
    const after = (await sim.ec2.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [id] }))).TransitGateways![0]!;
    expect(after.Options!.EncryptionSupport).toEqual({ EncryptionState: "enabled" });
  });
});

describe("VPC peering connections", () => {
  it("CidrBlockSet lists every IPv4 block and Ipv6CidrBlockSet the IPv6 blocks of each side", async () => {
    const a = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.20.0.0/16", AmazonProvidedIpv6CidrBlock: true }))).Vpc!.VpcId!;
    await sim.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: a, CidrBlock: "10.21.0.0/16" }));
    const b = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.30.0.0/16" }))).Vpc!.VpcId!;
    const v6 = (await sim.ec2.send(new DescribeVpcsCommand({ VpcIds: [a] }))).Vpcs![0]!.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock!;
    const id = (await sim.ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
    await sim.ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    const p = (await sim.ec2.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [id] }))).VpcPeeringConnections![0]!;
    expect(p.RequesterVpcInfo!.CidrBlockSet).toEqual([{ CidrBlock: "10.20.0.0/16" }, { CidrBlock: "10.21.0.0/16" }]);
    expect(p.RequesterVpcInfo!.Ipv6CidrBlockSet).toEqual([{ Ipv6CidrBlock: v6 }]);
    expect(p.AccepterVpcInfo!.CidrBlockSet).toEqual([{ CidrBlock: "10.30.0.0/16" }]);
    expect(p.AccepterVpcInfo!.Ipv6CidrBlockSet).toBeUndefined();
  });
});

describe("VPC endpoints", () => {
  it("an interface endpoint names its service's region (ServiceRegion); a gateway endpoint does not", async () => {
    const { vpcId, subnetId } = await subnet();
    const created = (
      await sim.ec2.send(
        new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: "com.amazonaws.us-east-1.ec2", VpcEndpointType: "Interface", SubnetIds: [subnetId] }),
      )
    ).VpcEndpoint!;
    expect(created.ServiceRegion).toBe("us-east-1");
    const gw = (await sim.ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: "com.amazonaws.us-east-1.s3", VpcEndpointType: "Gateway" })))
      .VpcEndpoint!;
    const d = (await sim.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [created.VpcEndpointId!, gw.VpcEndpointId!] }))).VpcEndpoints!;
    expect(Object.fromEntries(d.map((x) => [x.VpcEndpointType, x.ServiceRegion]))).toEqual({ Interface: "us-east-1", Gateway: undefined });
  });
});

describe("GetLaunchTemplateData", () => {
  it("carries the instance's tags, Capacity Reservation preference, credit option and hibernation option", async () => {
    const { subnetId } = await subnet();
    const i = (
      await sim.ec2.send(
        new RunInstancesCommand({
          ImageId: "ami-0abcdef1234567890",
          InstanceType: "t3.micro",
          MinCount: 1,
          MaxCount: 1,
          SubnetId: subnetId,
          TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: "web" }] }],
        }),
      )
    ).Instances![0]!;
    const d = (await sim.ec2.send(new GetLaunchTemplateDataCommand({ InstanceId: i.InstanceId! }))).LaunchTemplateData!;
    expect(d.TagSpecifications).toEqual([{ ResourceType: "instance", Tags: [{ Key: "Name", Value: "web" }] }]);
    expect(d.CapacityReservationSpecification).toEqual({ CapacityReservationPreference: "open" });
    expect(d.CreditSpecification).toEqual({ CpuCredits: "unlimited" });
    expect(d.HibernationOptions).toEqual({ Configured: false });
  });
});
