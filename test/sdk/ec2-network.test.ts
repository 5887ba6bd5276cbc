import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  AcceptVpcPeeringConnectionCommand,
  DescribeSubnetsCommand,
  AssignIpv6AddressesCommand,
  AttachVpnGatewayCommand,
  CreateVpnGatewayCommand,
  DisableVgwRoutePropagationCommand,
  EnableVgwRoutePropagationCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  ModifySecurityGroupRulesCommand,
  UpdateSecurityGroupRuleDescriptionsIngressCommand,
  AssignPrivateIpAddressesCommand,
  AssociateVpcCidrBlockCommand,
  DescribeInstancesCommand,
  DisassociateVpcCidrBlockCommand,
  ModifySubnetAttributeCommand,
  RunInstancesCommand,
  AssociateDhcpOptionsCommand,
  CreateDhcpOptionsCommand,
  CreateEgressOnlyInternetGatewayCommand,
  CreateFlowLogsCommand,
  CreateManagedPrefixListCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateTransitGatewayCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  CreateVpcPeeringConnectionCommand,
  DeleteNetworkAclCommand,
  DeleteVpcEndpointsCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeDhcpOptionsCommand,
  DescribeFlowLogsCommand,
  DescribeManagedPrefixListsCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeTransitGatewaysCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  EC2Client,
  GetManagedPrefixListEntriesCommand,
  ModifyManagedPrefixListCommand,
  ReplaceNetworkAclAssociationCommand,
  ReplaceRouteTableAssociationCommand,
  waitUntilVpcPeeringConnectionExists,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg) }));

const vpc = async (CidrBlock: string) => (await sim.ec2.send(new CreateVpcCommand({ CidrBlock }))).Vpc!.VpcId!;

describe("network ACLs, DHCP options, egress-only gateways", () => {
  it("every VPC has a default ACL its subnets join; entries and associations follow AWS", async () => {
    const v = await vpc("10.1.0.0/16");
    const sub = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: v, CidrBlock: "10.1.1.0/24" }))).Subnet!.SubnetId!;
    const def = (
      await sim.ec2.send(
        new DescribeNetworkAclsCommand({
          Filters: [
            { Name: "vpc-id", Values: [v] },
            { Name: "default", Values: ["true"] },
          ],
        }),
      )
    ).NetworkAcls!;
    expect(def).toHaveLength(1);
    // Egress entries first, as AWS lists them.
    expect(def[0]!.Entries!.map((x) => [x.RuleNumber, x.Egress, x.RuleAction])).toEqual([
      [100, true, "allow"],
      [32767, true, "deny"],
      [100, false, "allow"],
      [32767, false, "deny"],
    ]);
    const assoc = def[0]!.Associations!.find((a) => a.SubnetId === sub)!;
    const acl = (await sim.ec2.send(new CreateNetworkAclCommand({ VpcId: v }))).NetworkAcl!;
    expect(acl.IsDefault).toBe(false);
    await sim.ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: acl.NetworkAclId!,
        RuleNumber: 110,
        Protocol: "6",
        RuleAction: "allow",
        Egress: false,
        CidrBlock: "0.0.0.0/0",
        PortRange: { From: 443, To: 443 },
      }),
    );
    await expectAwsError(
      sim.ec2.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: acl.NetworkAclId!,
          RuleNumber: 110,
          Protocol: "-1",
          RuleAction: "deny",
          Egress: false,
          CidrBlock: "10.0.0.0/8",
        }),
      ),
      { name: "NetworkAclEntryAlreadyExists", status: 400 },
    );
    const moved = await sim.ec2.send(
      new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc.NetworkAclAssociationId!, NetworkAclId: acl.NetworkAclId! }),
    );
    expect(moved.NewAssociationId).toMatch(/^aclassoc-/);
    await expectAwsError(sim.ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: acl.NetworkAclId! })), { name: "DependencyViolation", status: 400 });
    const byPort = await sim.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "entry.port-range.from", Values: ["443"] }] }));
    expect(byPort.NetworkAcls!.map((n) => n.NetworkAclId)).toEqual([acl.NetworkAclId]);
    await expectAwsError(sim.ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: ["acl-0123456789abcdef0"] })), {
      name: "InvalidNetworkAclID.NotFound",
      status: 400,
    });
  });

  it("DHCP options sets and egress-only internet gateways", async () => {
    const v = await vpc("10.2.0.0/16");
    const defaultSet = (await sim.ec2.send(new DescribeVpcsCommand({ VpcIds: [v] }))).Vpcs![0]!.DhcpOptionsId!;
    const all = (await sim.ec2.send(new DescribeDhcpOptionsCommand({ DhcpOptionsIds: [defaultSet] }))).DhcpOptions![0]!;
    expect(all.DhcpConfigurations!.find((c) => c.Key === "domain-name")!.Values![0]!.Value).toBe("ec2.internal");
    const d = (
      await sim.ec2.send(
        new CreateDhcpOptionsCommand({
          DhcpConfigurations: [
            { Key: "domain-name", Values: ["corp.example"] },
            { Key: "domain-name-servers", Values: ["10.2.0.2"] },
          ],
        }),
      )
    ).DhcpOptions!;
    await sim.ec2.send(new AssociateDhcpOptionsCommand({ VpcId: v, DhcpOptionsId: d.DhcpOptionsId! }));
    expect((await sim.ec2.send(new DescribeVpcsCommand({ VpcIds: [v] }))).Vpcs![0]!.DhcpOptionsId).toBe(d.DhcpOptionsId);
    const eigw = (await sim.ec2.send(new CreateEgressOnlyInternetGatewayCommand({ VpcId: v }))).EgressOnlyInternetGateway!;
    expect(eigw.Attachments).toEqual([{ State: "attached", VpcId: v }]);
    const rtb = (await sim.ec2.send(new CreateRouteTableCommand({ VpcId: v }))).RouteTable!.RouteTableId!;
    await sim.ec2.send(
      new CreateRouteCommand({ RouteTableId: rtb, DestinationIpv6CidrBlock: "::/0", EgressOnlyInternetGatewayId: eigw.EgressOnlyInternetGatewayId! }),
    );
    const routes = (await sim.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!.Routes!;
    expect(routes.find((r) => r.DestinationIpv6CidrBlock === "::/0")!.EgressOnlyInternetGatewayId).toBe(eigw.EgressOnlyInternetGatewayId);
  });
});

describe("subnet launch options", () => {
  it("ModifySubnetAttribute's DNS64 and private DNS name options show in DescribeSubnets, filter, and apply to instances launched there", async () => {
    const v = await vpc("10.42.0.0/16");
    const sub = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: v, CidrBlock: "10.42.1.0/24" }))).Subnet!.SubnetId!;
    const subnet = async () => (await sim.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [sub] }))).Subnets![0]!;
    expect((await subnet()).PrivateDnsNameOptionsOnLaunch).toEqual({
      HostnameType: "ip-name",
      EnableResourceNameDnsARecord: false,
      EnableResourceNameDnsAAAARecord: false,
    });
    // Terraform's aws_subnet sets each with its own call.
    await sim.ec2.send(new ModifySubnetAttributeCommand({ SubnetId: sub, PrivateDnsHostnameTypeOnLaunch: "resource-name" }));
    await sim.ec2.send(new ModifySubnetAttributeCommand({ SubnetId: sub, EnableResourceNameDnsARecordOnLaunch: { Value: true } }));
    await sim.ec2.send(new ModifySubnetAttributeCommand({ SubnetId: sub, EnableDns64: { Value: true } }));
    const after = await subnet();
    expect(after.PrivateDnsNameOptionsOnLaunch).toEqual({
      HostnameType: "resource-name",
      EnableResourceNameDnsARecord: true,
      EnableResourceNameDnsAAAARecord: false,
    });
    expect(after.EnableDns64).toBe(true);
    const byFilter = await sim.ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: "private-dns-name-options-on-launch.hostname-type", Values: ["resource-name"] }] }),
    );
    expect(byFilter.Subnets!.map((x) => x.SubnetId)).toEqual([sub]);
    // An instance launched there takes the subnet's options: its private DNS name is its id's.
    const i = (await sim.ec2.send(new RunInstancesCommand({ ImageId: "ami-12345678", MinCount: 1, MaxCount: 1, SubnetId: sub }))).Instances![0]!;
    const d = (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [i.InstanceId!] }))).Reservations![0]!.Instances![0]!;
    expect(d.PrivateDnsNameOptions).toEqual({ HostnameType: "resource-name", EnableResourceNameDnsARecord: true, EnableResourceNameDnsAAAARecord: false });
    expect(d.PrivateDnsName).toBe(`${i.InstanceId}.ec2.internal`);
    const found = await sim.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "private-dns-name", Values: [`${i.InstanceId}.ec2.internal`] }] }));
    expect(found.Reservations!.flatMap((r) => r.Instances!).map((x) => x.InstanceId)).toEqual([i.InstanceId]);
    // Asked for at launch, the instance's own options win.
    const j = (
      await sim.ec2.send(
        new RunInstancesCommand({ ImageId: "ami-12345678", MinCount: 1, MaxCount: 1, SubnetId: sub, PrivateDnsNameOptions: { HostnameType: "ip-name" } }),
      )
    ).Instances![0]!;
    const dj = (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [j.InstanceId!] }))).Reservations![0]!.Instances![0]!;
    expect(dj.PrivateDnsName).toMatch(/^ip-10-42-1-\d+\.ec2\.internal$/);
  });
});

describe("local routes", () => {
  it("every route table has a local route per VPC CIDR block, IPv4 and IPv6, kept in step with the VPC's blocks", async () => {
    const created = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.40.0.0/16", AmazonProvidedIpv6CidrBlock: true }))).Vpc!;
    const v = created.VpcId!;
    const local = async (rtb: string) =>
      (await sim.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!.Routes!.filter((r) => r.GatewayId === "local");
    const main = (await sim.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [v] }] }))).RouteTables![0]!.RouteTableId!;
    const six = (await sim.ec2.send(new DescribeVpcsCommand({ VpcIds: [v] }))).Vpcs![0]!.Ipv6CidrBlockAssociationSet![0]!;
    expect(six.Ipv6CidrBlock).toMatch(/^[0-9a-f:]+::\/56$/);
    const active = { GatewayId: "local", Origin: "CreateRouteTable", State: "active" };
    expect(await local(main)).toEqual([
      { DestinationCidrBlock: "10.40.0.0/16", ...active },
      { DestinationIpv6CidrBlock: six.Ipv6CidrBlock, ...active },
    ]);
    // A secondary IPv4 block: a local route in the existing tables and in new ones.
    const second = (await sim.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: v, CidrBlock: "10.41.0.0/16" }))).CidrBlockAssociation!;
    const rtb = (await sim.ec2.send(new CreateRouteTableCommand({ VpcId: v }))).RouteTable!;
    expect(rtb.Routes).toEqual([
      { DestinationCidrBlock: "10.40.0.0/16", ...active },
      { DestinationCidrBlock: "10.41.0.0/16", ...active },
      { DestinationIpv6CidrBlock: six.Ipv6CidrBlock, ...active },
    ]);
    expect((await local(main)).map((r) => r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock)).toEqual(["10.40.0.0/16", six.Ipv6CidrBlock, "10.41.0.0/16"]);
    // Letting the blocks go removes their local routes everywhere.
    await sim.ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: six.AssociationId! }));
    await sim.ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: second.AssociationId! }));
    for (const t of [main, rtb.RouteTableId!]) expect(await local(t)).toEqual([{ DestinationCidrBlock: "10.40.0.0/16", ...active }]);
    // An IPv6 block associated later gets its local route too.
    const later = (await sim.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: v, AmazonProvidedIpv6CidrBlock: true }))).Ipv6CidrBlockAssociation!;
    const block = (await sim.ec2.send(new DescribeVpcsCommand({ VpcIds: [v] }))).Vpcs![0]!.Ipv6CidrBlockAssociationSet!.find(
      (b) => b.AssociationId === later.AssociationId,
    )!.Ipv6CidrBlock;
    for (const t of [main, rtb.RouteTableId!]) expect((await local(t)).map((r) => r.DestinationIpv6CidrBlock).filter(Boolean)).toEqual([block]);
  });
});

describe("peering, endpoints, prefix lists, flow logs, gateways", () => {
  it("peering: request, routes blackholed until accepted, accept, delete; overlapping CIDRs fail", async () => {
    const a = await vpc("10.10.0.0/16");
    const b = await vpc("10.11.0.0/16");
    const p = (await sim.ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b }))).VpcPeeringConnection!;
    expect(p.VpcPeeringConnectionId).toMatch(/^pcx-/);
    await waitUntilVpcPeeringConnectionExists({ client: sim.ec2, maxWaitTime: 10, minDelay: 1 }, { VpcPeeringConnectionIds: [p.VpcPeeringConnectionId!] });
    const rtb = (await sim.ec2.send(new CreateRouteTableCommand({ VpcId: a }))).RouteTable!.RouteTableId!;
    await sim.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "10.11.0.0/16", VpcPeeringConnectionId: p.VpcPeeringConnectionId! }));
    const routeState = async () =>
      (await sim.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!.Routes!.find((r) => r.VpcPeeringConnectionId)!.State;
    expect(await routeState()).toBe("blackhole");
    const pending = (await sim.ec2.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [p.VpcPeeringConnectionId!] })))
      .VpcPeeringConnections![0]!;
    expect(pending.Status).toEqual({ Code: "pending-acceptance", Message: "Pending Acceptance by 000000000000" });
    const acc = await sim.ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: p.VpcPeeringConnectionId! }));
    expect(acc.VpcPeeringConnection!.Status!.Code).toBe("active");
    expect(acc.VpcPeeringConnection!.AccepterVpcInfo).toMatchObject({ VpcId: b, CidrBlock: "10.11.0.0/16" });
    expect(await routeState()).toBe("active");
    await expectAwsError(sim.ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: p.VpcPeeringConnectionId! })), {
      name: "InvalidStateTransition",
      status: 400,
    });
    await sim.ec2.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: p.VpcPeeringConnectionId! }));
    const gone = await sim.ec2.send(new DescribeVpcPeeringConnectionsCommand({ Filters: [{ Name: "status-code", Values: ["deleted"] }] }));
    expect(gone.VpcPeeringConnections!.map((x) => x.VpcPeeringConnectionId)).toEqual([p.VpcPeeringConnectionId]);
    const overlap = (await sim.ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: await vpc("10.10.0.0/20") }))).VpcPeeringConnection!;
    const failed = (await sim.ec2.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [overlap.VpcPeeringConnectionId!] })))
      .VpcPeeringConnections![0]!;
    expect(failed.Status!.Code).toBe("failed");
  });

  it("gateway endpoints add prefix-list routes; interface endpoints get an ENI per subnet", async () => {
    const v = await vpc("10.3.0.0/16");
    const rtb = (await sim.ec2.send(new CreateRouteTableCommand({ VpcId: v }))).RouteTable!.RouteTableId!;
    const gw = (await sim.ec2.send(new CreateVpcEndpointCommand({ VpcId: v, ServiceName: "com.amazonaws.us-east-1.s3", RouteTableIds: [rtb] }))).VpcEndpoint!;
    expect(gw).toMatchObject({ VpcEndpointType: "Gateway", State: "available", RouteTableIds: [rtb] });
    const pl = (await sim.ec2.send(new DescribeManagedPrefixListsCommand({ Filters: [{ Name: "prefix-list-name", Values: ["com.amazonaws.us-east-1.s3"] }] })))
      .PrefixLists![0]!;
    const routes = (await sim.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!.Routes!;
    expect(routes.find((r) => r.DestinationPrefixListId === pl.PrefixListId)!.GatewayId).toBe(gw.VpcEndpointId);

    const sub = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: v, CidrBlock: "10.3.1.0/24" }))).Subnet!.SubnetId!;
    const ifc = (
      await sim.ec2.send(
        new CreateVpcEndpointCommand({ VpcId: v, VpcEndpointType: "Interface", ServiceName: "com.amazonaws.us-east-1.logs", SubnetIds: [sub] }),
      )
    ).VpcEndpoint!;
    expect(ifc.NetworkInterfaceIds).toHaveLength(1);
    const eni = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ifc.NetworkInterfaceIds! }))).NetworkInterfaces![0]!;
    expect(eni).toMatchObject({ InterfaceType: "vpc_endpoint", RequesterManaged: true, SubnetId: sub });
    await expectAwsError(sim.ec2.send(new CreateVpcEndpointCommand({ VpcId: v, ServiceName: "com.amazonaws.us-east-1.nope" })), {
      name: "InvalidServiceName",
      status: 400,
    });
    const del = await sim.ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [gw.VpcEndpointId!, ifc.VpcEndpointId!, "vpce-0123456789abcdef0"] }));
    expect(del.Unsuccessful!.map((u) => u.ResourceId)).toEqual(["vpce-0123456789abcdef0"]);
    expect((await sim.ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints).toEqual([]);
    const after = (await sim.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!.Routes!;
    expect(after.some((r) => r.DestinationPrefixListId)).toBe(false);
  });

  it("managed prefix lists version their entries", async () => {
    const pl = (
      await sim.ec2.send(
        new CreateManagedPrefixListCommand({ PrefixListName: "office", AddressFamily: "IPv4", MaxEntries: 2, Entries: [{ Cidr: "10.0.0.0/8" }] }),
      )
    ).PrefixList!;
    expect(pl).toMatchObject({ Version: 1, MaxEntries: 2, OwnerId: "000000000000" });
    const m = await sim.ec2.send(
      new ModifyManagedPrefixListCommand({ PrefixListId: pl.PrefixListId!, CurrentVersion: 1, AddEntries: [{ Cidr: "192.168.0.0/16" }] }),
    );
    expect(m.PrefixList!.Version).toBe(2);
    await expectAwsError(
      sim.ec2.send(new ModifyManagedPrefixListCommand({ PrefixListId: pl.PrefixListId!, CurrentVersion: 1, AddEntries: [{ Cidr: "172.16.0.0/12" }] })),
      { name: "PrefixListVersionMismatch", status: 400 },
    );
    const entries = (await sim.ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: pl.PrefixListId! }))).Entries!;
    expect(entries.map((x) => x.Cidr).sort()).toEqual(["10.0.0.0/8", "192.168.0.0/16"]);
  });

  it("flow logs create their CloudWatch Logs group; transit gateways and main route table replacement", async () => {
    const v = await vpc("10.4.0.0/16");
    const fl = await sim.ec2.send(
      new CreateFlowLogsCommand({
        ResourceIds: [v, "vpc-0123456789abcdef0"],
        ResourceType: "VPC",
        TrafficType: "ALL",
        LogGroupName: "/vpc/flow",
        DeliverLogsPermissionArn: "arn:aws:iam::000000000000:role/flow",
      }),
    );
    expect(fl.FlowLogIds).toHaveLength(1);
    expect(fl.Unsuccessful!.map((u) => u.ResourceId)).toEqual(["vpc-0123456789abcdef0"]);
    const d = (await sim.ec2.send(new DescribeFlowLogsCommand({ Filter: [{ Name: "resource-id", Values: [v] }] }))).FlowLogs!;
    expect(d[0]).toMatchObject({ LogGroupName: "/vpc/flow", TrafficType: "ALL", FlowLogStatus: "ACTIVE", LogDestinationType: "cloud-watch-logs" });
    const logs = new CloudWatchLogsClient(clientConfig(sim.server));
    const groups = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/vpc/flow" }))).logGroups!;
    expect(groups.map((g) => g.logGroupName)).toEqual(["/vpc/flow"]);

    const tgw = (await sim.ec2.send(new CreateTransitGatewayCommand({ Description: "hub" }))).TransitGateway!;
    expect(tgw.Options!.AmazonSideAsn).toBe(64512);
    expect((await sim.ec2.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [tgw.TransitGatewayId!] }))).TransitGateways![0]!.State).toBe(
      "available",
    );

    const main = (
      await sim.ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [
            { Name: "vpc-id", Values: [v] },
            { Name: "association.main", Values: ["true"] },
          ],
        }),
      )
    ).RouteTables![0]!;
    const other = (await sim.ec2.send(new CreateRouteTableCommand({ VpcId: v }))).RouteTable!.RouteTableId!;
    const r = await sim.ec2.send(
      new ReplaceRouteTableAssociationCommand({ AssociationId: main.Associations![0]!.RouteTableAssociationId!, RouteTableId: other }),
    );
    const now = (
      await sim.ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [
            { Name: "vpc-id", Values: [v] },
            { Name: "association.main", Values: ["true"] },
          ],
        }),
      )
    ).RouteTables![0]!;
    expect(now.RouteTableId).toBe(other);
    expect(now.Associations![0]!.RouteTableAssociationId).toBe(r.NewAssociationId);
  });
});

describe("IPv6 and extra CIDR blocks", () => {
  it("VPC /56, subnet /64, instances with IPv6 addresses, secondary IPv4 blocks", async () => {
    const v = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.5.0.0/16", AmazonProvidedIpv6CidrBlock: true }))).Vpc!.VpcId!;
    const block = (await sim.ec2.send(new DescribeVpcsCommand({ VpcIds: [v] }))).Vpcs![0]!.Ipv6CidrBlockAssociationSet![0]!;
    expect(block.Ipv6CidrBlock).toMatch(/^2600:1f18:[0-9a-f]+:[0-9a-f]{1,2}00::\/56$/);
    expect(block.Ipv6CidrBlockState!.State).toBe("associated");
    const prefix = block.Ipv6CidrBlock!.replace(/00::\/56$/, "");
    const sub = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: v, CidrBlock: "10.5.1.0/24", Ipv6CidrBlock: `${prefix}01::/64` }))).Subnet!;
    expect(sub.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock).toBe(`${prefix}01::/64`);
    await expectAwsError(sim.ec2.send(new CreateSubnetCommand({ VpcId: v, CidrBlock: "10.5.2.0/24", Ipv6CidrBlock: "2001:db8::/64" })), {
      name: "InvalidSubnet.Range",
      status: 400,
    });
    await sim.ec2.send(new ModifySubnetAttributeCommand({ SubnetId: sub.SubnetId!, AssignIpv6AddressOnCreation: { Value: true } }));
    const inst = (await sim.ec2.send(new RunInstancesCommand({ ImageId: "ami-0abcdef1234567890", MinCount: 1, MaxCount: 1, SubnetId: sub.SubnetId! })))
      .Instances![0]!;
    const d = (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [inst.InstanceId!] }))).Reservations![0]!.Instances![0]!;
    const v6 = d.NetworkInterfaces![0]!.Ipv6Addresses![0]!.Ipv6Address!;
    expect(v6.startsWith(`${prefix}01:`)).toBe(true);
    expect(d.Ipv6Address).toBe(v6);
    const byV6 = await sim.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "network-interface.ipv6-addresses.ipv6-address", Values: [v6] }] }));
    expect(byV6.Reservations).toHaveLength(1);
    const eni = d.NetworkInterfaces![0]!.NetworkInterfaceId!;
    const more = await sim.ec2.send(new AssignIpv6AddressesCommand({ NetworkInterfaceId: eni, Ipv6AddressCount: 2 }));
    expect(more.AssignedIpv6Addresses).toHaveLength(2);
    const priv = await sim.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 1 }));
    expect(priv.AssignedPrivateIpAddresses![0]!.PrivateIpAddress).toMatch(/^10\.5\.1\./);

    const second = await sim.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: v, CidrBlock: "10.6.0.0/16" }));
    expect(second.CidrBlockAssociation!.CidrBlock).toBe("10.6.0.0/16");
    const sub2 = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: v, CidrBlock: "10.6.1.0/24" }))).Subnet!;
    expect(sub2.CidrBlock).toBe("10.6.1.0/24");
    const byBlock = await sim.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "cidr-block-association.cidr-block", Values: ["10.6.0.0/16"] }] }));
    expect(byBlock.Vpcs!.map((x) => x.VpcId)).toEqual([v]);
    await expectAwsError(sim.ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: second.CidrBlockAssociation!.AssociationId! })), {
      name: "InvalidCidrBlock.InUse",
      status: 400,
    });
  });
});

describe("security group rules", () => {
  it("rule ids, tags on rules, ModifySecurityGroupRules, description updates, references across peered VPCs", async () => {
    const v = await vpc("10.8.0.0/16");
    const g = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "app", Description: "app", VpcId: v }))).GroupId!;
    const peer = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "peer", Description: "peer", VpcId: v }))).GroupId!;
    const auth = await sim.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: g,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "10.0.0.0/8" }] }],
        TagSpecifications: [{ ResourceType: "security-group-rule", Tags: [{ Key: "purpose", Value: "http" }] }],
      }),
    );
    const rule = auth.SecurityGroupRules![0]!;
    expect(rule.SecurityGroupRuleId).toMatch(/^sgr-/);
    expect(rule.Tags).toEqual([{ Key: "purpose", Value: "http" }]);
    const tagged = await sim.ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "tag:purpose", Values: ["http"] }] }));
    expect(tagged.SecurityGroupRules!.map((r) => r.SecurityGroupRuleId)).toEqual([rule.SecurityGroupRuleId]);
    await sim.ec2.send(
      new ModifySecurityGroupRulesCommand({
        GroupId: g,
        SecurityGroupRules: [
          {
            SecurityGroupRuleId: rule.SecurityGroupRuleId!,
            SecurityGroupRule: { IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, ReferencedGroupId: peer, Description: "from peer" },
          },
        ],
      }),
    );
    const after = (await sim.ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [rule.SecurityGroupRuleId!] }))).SecurityGroupRules![0]!;
    expect(after).toMatchObject({ FromPort: 8080, ToPort: 8080, Description: "from peer", ReferencedGroupInfo: { GroupId: peer } });
    await sim.ec2.send(
      new UpdateSecurityGroupRuleDescriptionsIngressCommand({
        GroupId: g,
        SecurityGroupRuleDescriptions: [{ SecurityGroupRuleId: rule.SecurityGroupRuleId!, Description: "renamed" }],
      }),
    );
    const sg = (await sim.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [g] }))).SecurityGroups![0]!;
    expect(sg.IpPermissions![0]!.UserIdGroupPairs![0]).toMatchObject({ GroupId: peer, Description: "renamed" });
    await expectAwsError(
      sim.ec2.send(
        new ModifySecurityGroupRulesCommand({ GroupId: g, SecurityGroupRules: [{ SecurityGroupRuleId: "sgr-0123456789abcdef0", SecurityGroupRule: {} }] }),
      ),
      { name: "InvalidSecurityGroupRuleId.NotFound", status: 400 },
    );
  });
});

describe("virtual private gateways", () => {
  it("attach to a VPC and propagate routes into its route tables", async () => {
    const v = await vpc("10.12.0.0/16");
    const g = (await sim.ec2.send(new CreateVpnGatewayCommand({ Type: "ipsec.1", AmazonSideAsn: 64600 }))).VpnGateway!;
    expect(g).toMatchObject({ State: "available", Type: "ipsec.1", AmazonSideAsn: 64600 });
    const rtb = (await sim.ec2.send(new CreateRouteTableCommand({ VpcId: v }))).RouteTable!.RouteTableId!;
    await expectAwsError(sim.ec2.send(new EnableVgwRoutePropagationCommand({ GatewayId: g.VpnGatewayId!, RouteTableId: rtb })), {
      name: "Gateway.NotAttached",
      status: 400,
    });
    await sim.ec2.send(new AttachVpnGatewayCommand({ VpcId: v, VpnGatewayId: g.VpnGatewayId! }));
    await sim.ec2.send(new EnableVgwRoutePropagationCommand({ GatewayId: g.VpnGatewayId!, RouteTableId: rtb }));
    const t = (await sim.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "propagating-vgw.gateway-id", Values: [g.VpnGatewayId!] }] })))
      .RouteTables!;
    expect(t.map((x) => [x.RouteTableId, x.PropagatingVgws])).toEqual([[rtb, [{ GatewayId: g.VpnGatewayId }]]]);
    await sim.ec2.send(new DisableVgwRoutePropagationCommand({ GatewayId: g.VpnGatewayId!, RouteTableId: rtb }));
    expect((await sim.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!.PropagatingVgws).toEqual([]);
  });
});
