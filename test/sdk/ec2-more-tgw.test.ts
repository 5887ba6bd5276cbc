import {
  AcceptTransitGatewayPeeringAttachmentCommand,
  AssociateTransitGatewayRouteTableCommand,
  CreateCustomerGatewayCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateTransitGatewayCommand,
  CreateTransitGatewayPeeringAttachmentCommand,
  CreateTransitGatewayRouteCommand,
  CreateTransitGatewayRouteTableCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  CreateVpcCommand,
  CreateVpnConnectionCommand,
  CreateVpnConnectionRouteCommand,
  CreateVpnGatewayCommand,
  DeleteCustomerGatewayCommand,
  DeleteTagsCommand,
  DeleteTransitGatewayPeeringAttachmentCommand,
  DeleteTransitGatewayCommand,
  DeleteTransitGatewayRouteCommand,
  DeleteTransitGatewayRouteTableCommand,
  DeleteTransitGatewayVpcAttachmentCommand,
  DeleteVpnConnectionCommand,
  DescribeCustomerGatewaysCommand,
  DescribeTagsCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayPeeringAttachmentsCommand,
  DescribeTransitGatewayRouteTablesCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  DescribeVpnConnectionsCommand,
  DisableTransitGatewayRouteTablePropagationCommand,
  DisassociateTransitGatewayRouteTableCommand,
  EC2Client,
  EnableTransitGatewayRouteTablePropagationCommand,
  GetTransitGatewayRouteTableAssociationsCommand,
  GetTransitGatewayRouteTablePropagationsCommand,
  ModifyTransitGatewayVpcAttachmentCommand,
  ModifyVpnConnectionOptionsCommand,
  ModifyVpnTunnelOptionsCommand,
  ReplaceTransitGatewayRouteCommand,
  SearchTransitGatewayRoutesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

async function vpcWithSubnets(cidr: string) {
  const vpcId = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
  const base = cidr.split(".").slice(0, 2).join(".");
  const a = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `${base}.1.0/24`, AvailabilityZone: "us-east-1a" }))).Subnet!.SubnetId!;
  const b = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `${base}.2.0/24`, AvailabilityZone: "us-east-1b" }))).Subnet!.SubnetId!;
  const c = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `${base}.3.0/24`, AvailabilityZone: "us-east-1a" }))).Subnet!.SubnetId!;
  return { vpcId, a, b, c };
}

describe("transit gateway attachments, route tables and routes", () => {
  it("attaches a VPC to the default route table, with propagated and static routes", async () => {
    const tgw = (await sim.ec2.send(new CreateTransitGatewayCommand({ Description: "hub" }))).TransitGateway!;
    const defaultRtb = tgw.Options!.AssociationDefaultRouteTableId!;
    const { vpcId, a, b, c } = await vpcWithSubnets("10.1.0.0/16");

    await expectAwsError(
      sim.ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: "tgw-0123456789abcdef0", VpcId: vpcId, SubnetIds: [a] })),
      {
        name: "InvalidTransitGatewayID.NotFound",
        status: 400,
        message: "Transit Gateway tgw-0123456789abcdef0 was deleted or does not exist.",
      },
    );
    await expectAwsError(
      sim.ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw.TransitGatewayId!, VpcId: vpcId, SubnetIds: [a, c] })),
      {
        name: "DuplicateSubnetsInSameZone",
        status: 400,
      },
    );
    await expectAwsError(
      sim.ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw.TransitGatewayId!, VpcId: vpcId, SubnetIds: [a], DryRun: true })),
      { name: "DryRunOperation", status: 412 },
    );

    const att = (
      await sim.ec2.send(
        new CreateTransitGatewayVpcAttachmentCommand({
          TransitGatewayId: tgw.TransitGatewayId!,
          VpcId: vpcId,
          SubnetIds: [a, b],
          TagSpecifications: [{ ResourceType: "transit-gateway-attachment", Tags: [{ Key: "Name", Value: "spoke" }] }],
        }),
      )
    ).TransitGatewayVpcAttachment!;
    expect(att.TransitGatewayAttachmentId).toMatch(/^tgw-attach-[0-9a-f]{17}$/);
    expect(att).toMatchObject({ State: "pending", VpcId: vpcId, SubnetIds: [a, b], Options: { DnsSupport: "enable", Ipv6Support: "disable" } });
    expect(att.Tags).toEqual([{ Key: "Name", Value: "spoke" }]);
    const attId = att.TransitGatewayAttachmentId!;

    await expectAwsError(
      sim.ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw.TransitGatewayId!, VpcId: vpcId, SubnetIds: [a] })),
      {
        name: "DuplicateTransitGatewayAttachment",
        status: 400,
      },
    );

    const vas = (await sim.ec2.send(new DescribeTransitGatewayVpcAttachmentsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] })))
      .TransitGatewayVpcAttachments!;
    expect(vas.map((x) => [x.TransitGatewayAttachmentId, x.State])).toEqual([[attId, "available"]]);
    const all = (await sim.ec2.send(new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [attId] }))).TransitGatewayAttachments!;
    expect(all[0]).toMatchObject({ ResourceType: "vpc", ResourceId: vpcId, Association: { TransitGatewayRouteTableId: defaultRtb, State: "associated" } });
    await expectAwsError(sim.ec2.send(new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: ["tgw-attach-0123456789abcdef0"] })), {
      name: "InvalidTransitGatewayAttachmentID.NotFound",
      status: 400,
      message: "Transit Gateway Attachment tgw-attach-0123456789abcdef0 was deleted or does not exist.",
    });

    const rtbs = (
      await sim.ec2.send(new DescribeTransitGatewayRouteTablesCommand({ Filters: [{ Name: "default-association-route-table", Values: ["true"] }] }))
    ).TransitGatewayRouteTables!;
    expect(rtbs.map((r) => r.TransitGatewayRouteTableId)).toEqual([defaultRtb]);
    expect(rtbs[0]).toMatchObject({ TransitGatewayId: tgw.TransitGatewayId, State: "available", DefaultPropagationRouteTable: true });

    // the VPC's block is propagated into the default table
    let routes = (
      await sim.ec2.send(new SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: defaultRtb, Filters: [{ Name: "type", Values: ["propagated"] }] }))
    ).Routes!;
    expect(routes).toEqual([
      {
        DestinationCidrBlock: "10.1.0.0/16",
        Type: "propagated",
        State: "active",
        TransitGatewayAttachments: [{ ResourceId: vpcId, TransitGatewayAttachmentId: attId, ResourceType: "vpc" }],
      },
    ]);

    const r = await sim.ec2.send(
      new CreateTransitGatewayRouteCommand({ TransitGatewayRouteTableId: defaultRtb, DestinationCidrBlock: "0.0.0.0/0", TransitGatewayAttachmentId: attId }),
    );
    expect(r.Route).toMatchObject({ DestinationCidrBlock: "0.0.0.0/0", Type: "static", State: "active" });
    await expectAwsError(
      sim.ec2.send(
        new CreateTransitGatewayRouteCommand({ TransitGatewayRouteTableId: defaultRtb, DestinationCidrBlock: "0.0.0.0/0", TransitGatewayAttachmentId: attId }),
      ),
      { name: "RouteAlreadyExists", status: 400, message: `Route 0.0.0.0/0 already exists in Transit Gateway Route Table ${defaultRtb}.` },
    );
    await sim.ec2.send(
      new CreateTransitGatewayRouteCommand({ TransitGatewayRouteTableId: defaultRtb, DestinationCidrBlock: "192.168.0.0/16", Blackhole: true }),
    );
    routes = (
      await sim.ec2.send(
        new SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: defaultRtb, Filters: [{ Name: "state", Values: ["active", "blackhole"] }] }),
      )
    ).Routes!;
    expect(routes.map((x) => [x.DestinationCidrBlock, x.Type, x.State])).toEqual([
      ["0.0.0.0/0", "static", "active"],
      ["10.1.0.0/16", "propagated", "active"],
      ["192.168.0.0/16", "static", "blackhole"],
    ]);
    const lpm = (
      await sim.ec2.send(
        new SearchTransitGatewayRoutesCommand({
          TransitGatewayRouteTableId: defaultRtb,
          Filters: [{ Name: "route-search.longest-prefix-match", Values: ["10.1.2.3/32"] }],
        }),
      )
    ).Routes!;
    expect(lpm.map((x) => x.DestinationCidrBlock)).toEqual(["10.1.0.0/16"]);
    const rep = await sim.ec2.send(
      new ReplaceTransitGatewayRouteCommand({
        TransitGatewayRouteTableId: defaultRtb,
        DestinationCidrBlock: "192.168.0.0/16",
        TransitGatewayAttachmentId: attId,
      }),
    );
    expect(rep.Route!.State).toBe("active");
    await sim.ec2.send(new DeleteTransitGatewayRouteCommand({ TransitGatewayRouteTableId: defaultRtb, DestinationCidrBlock: "192.168.0.0/16" }));
    await expectAwsError(
      sim.ec2.send(new DeleteTransitGatewayRouteCommand({ TransitGatewayRouteTableId: defaultRtb, DestinationCidrBlock: "192.168.0.0/16" })),
      {
        name: "InvalidRoute.NotFound",
        status: 400,
      },
    );

    // move the attachment to a custom route table
    const custom = (
      await sim.ec2.send(
        new CreateTransitGatewayRouteTableCommand({
          TransitGatewayId: tgw.TransitGatewayId!,
          TagSpecifications: [{ ResourceType: "transit-gateway-route-table", Tags: [{ Key: "k", Value: "v" }] }],
        }),
      )
    ).TransitGatewayRouteTable!;
    expect(custom).toMatchObject({ State: "pending", DefaultAssociationRouteTable: false, Tags: [{ Key: "k", Value: "v" }] });
    const customId = custom.TransitGatewayRouteTableId!;
    await expectAwsError(
      sim.ec2.send(new AssociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: customId, TransitGatewayAttachmentId: attId })),
      {
        name: "Resource.AlreadyAssociated",
        status: 400,
        message: `Transit Gateway Attachment ${attId} is already associated to a route table.`,
      },
    );
    await sim.ec2.send(new DisassociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: defaultRtb, TransitGatewayAttachmentId: attId }));
    const assoc = await sim.ec2.send(new AssociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: customId, TransitGatewayAttachmentId: attId }));
    expect(assoc.Association).toMatchObject({ TransitGatewayRouteTableId: customId, State: "associating", ResourceType: "vpc" });
    const assocs = (await sim.ec2.send(new GetTransitGatewayRouteTableAssociationsCommand({ TransitGatewayRouteTableId: customId }))).Associations!;
    expect(assocs).toEqual([{ TransitGatewayAttachmentId: attId, ResourceId: vpcId, ResourceType: "vpc", State: "associated" }]);
    await expectAwsError(sim.ec2.send(new DeleteTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: customId })), {
      name: "IncorrectState",
      status: 400,
    });

    await sim.ec2.send(new EnableTransitGatewayRouteTablePropagationCommand({ TransitGatewayRouteTableId: customId, TransitGatewayAttachmentId: attId }));
    await expectAwsError(
      sim.ec2.send(new EnableTransitGatewayRouteTablePropagationCommand({ TransitGatewayRouteTableId: customId, TransitGatewayAttachmentId: attId })),
      {
        name: "TransitGatewayRouteTablePropagation.Duplicate",
        status: 400,
      },
    );
    const props = (await sim.ec2.send(new GetTransitGatewayRouteTablePropagationsCommand({ TransitGatewayRouteTableId: customId })))
      .TransitGatewayRouteTablePropagations!;
    expect(props).toEqual([{ TransitGatewayAttachmentId: attId, ResourceId: vpcId, ResourceType: "vpc", State: "enabled" }]);
    await sim.ec2.send(new DisableTransitGatewayRouteTablePropagationCommand({ TransitGatewayRouteTableId: customId, TransitGatewayAttachmentId: attId }));
    await sim.ec2.send(new DisassociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: customId, TransitGatewayAttachmentId: attId }));
    await sim.ec2.send(new DeleteTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: customId }));
    await expectAwsError(sim.ec2.send(new DescribeTransitGatewayRouteTablesCommand({ TransitGatewayRouteTableIds: [customId] })), {
      name: "InvalidRouteTableID.NotFound",
      status: 400,
      message: `Transit Gateway Route Table ${customId} was deleted or does not exist.`,
    });

    const mod = await sim.ec2.send(
      new ModifyTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: attId, RemoveSubnetIds: [b], Options: { Ipv6Support: "enable" } }),
    );
    expect(mod.TransitGatewayVpcAttachment).toMatchObject({ SubnetIds: [a], Options: { Ipv6Support: "enable" } });

    await expectAwsError(sim.ec2.send(new DeleteTransitGatewayCommand({ TransitGatewayId: tgw.TransitGatewayId! })), {
      name: "IncorrectState",
      status: 400,
      message: `${tgw.TransitGatewayId} has non-deleted Transit Gateway Attachments: ${attId}.`,
    });
    const del = await sim.ec2.send(new DeleteTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: attId }));
    expect(del.TransitGatewayVpcAttachment!.State).toBe("deleting");
    // the static route to the deleted attachment is now a blackhole; the propagated route is gone
    routes = (
      await sim.ec2.send(
        new SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: defaultRtb, Filters: [{ Name: "state", Values: ["active", "blackhole"] }] }),
      )
    ).Routes!;
    expect(routes.map((x) => [x.DestinationCidrBlock, x.State])).toEqual([["0.0.0.0/0", "blackhole"]]);
    // AWS goes on describing a deleted attachment as "deleted" (Terraform's delete waiter waits for that state).
    const gone = await sim.ec2.send(new DescribeTransitGatewayVpcAttachmentsCommand({ TransitGatewayAttachmentIds: [attId] }));
    expect(gone.TransitGatewayVpcAttachments!.map((x) => [x.TransitGatewayAttachmentId, x.State])).toEqual([[attId, "deleted"]]);
    const any = await sim.ec2.send(new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [attId] }));
    expect(any.TransitGatewayAttachments!.map((x) => [x.State, x.ResourceType, x.Association])).toEqual([["deleted", "vpc", undefined]]);
    const live = await sim.ec2.send(new DescribeTransitGatewayAttachmentsCommand({ Filters: [{ Name: "state", Values: ["available"] }] }));
    expect(live.TransitGatewayAttachments!.map((x) => x.TransitGatewayAttachmentId)).not.toContain(attId);
    await expectAwsError(sim.ec2.send(new DeleteTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: attId })), {
      name: "InvalidTransitGatewayAttachmentID.NotFound",
      status: 400,
    });
    await sim.ec2.send(new DeleteTransitGatewayCommand({ TransitGatewayId: tgw.TransitGatewayId! }));
    await expectAwsError(sim.ec2.send(new DescribeTransitGatewayRouteTablesCommand({ TransitGatewayRouteTableIds: [defaultRtb] })), {
      name: "InvalidRouteTableID.NotFound",
      status: 400,
    });
  });

  it("paginates attachments with MaxResults and NextToken", async () => {
    const tgwId = (await sim.ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
    for (let i = 0; i < 6; i++) {
      const { vpcId, a } = await vpcWithSubnets(`10.${10 + i}.0.0/16`);
      await sim.ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgwId, VpcId: vpcId, SubnetIds: [a] }));
    }
    const p1 = await sim.ec2.send(new DescribeTransitGatewayAttachmentsCommand({ MaxResults: 5 }));
    expect(p1.TransitGatewayAttachments).toHaveLength(5);
    const p2 = await sim.ec2.send(new DescribeTransitGatewayAttachmentsCommand({ MaxResults: 5, NextToken: p1.NextToken }));
    expect(p2.TransitGatewayAttachments).toHaveLength(1);
    expect(p2.NextToken).toBeUndefined();
    await expectAwsError(sim.ec2.send(new DescribeTransitGatewayAttachmentsCommand({ MaxResults: 2 })), { name: "InvalidParameterValue", status: 400 });
    await expectAwsError(sim.ec2.send(new DescribeTransitGatewayAttachmentsCommand({ Filters: [{ Name: "bogus", Values: ["x"] }] })), {
      name: "InvalidParameterValue",
      status: 400,
    });
  });
});

describe("customer gateways and VPN connections", () => {
  it("creates a VPN to a virtual private gateway with two tunnels and static routes", async () => {
    const cgw = (
      await sim.ec2.send(
        new CreateCustomerGatewayCommand({
          Type: "ipsec.1",
          BgpAsn: 65010,
          IpAddress: "203.0.113.12",
          TagSpecifications: [{ ResourceType: "customer-gateway", Tags: [{ Key: "Name", Value: "office" }] }],
        }),
      )
    ).CustomerGateway!;
    expect(cgw.CustomerGatewayId).toMatch(/^cgw-[0-9a-f]{17}$/);
    expect(cgw).toMatchObject({ BgpAsn: "65010", IpAddress: "203.0.113.12", Type: "ipsec.1", Tags: [{ Key: "Name", Value: "office" }] });
    const described = (await sim.ec2.send(new DescribeCustomerGatewaysCommand({ Filters: [{ Name: "ip-address", Values: ["203.0.113.12"] }] })))
      .CustomerGateways!;
    expect(described.map((g) => [g.CustomerGatewayId, g.State])).toEqual([[cgw.CustomerGatewayId, "available"]]);
    await expectAwsError(sim.ec2.send(new DescribeCustomerGatewaysCommand({ CustomerGatewayIds: ["cgw-0123456789abcdef0"] })), {
      name: "InvalidCustomerGatewayID.NotFound",
      status: 400,
      message: "The customerGateway ID 'cgw-0123456789abcdef0' does not exist",
    });

    const vgwId = (await sim.ec2.send(new CreateVpnGatewayCommand({ Type: "ipsec.1" }))).VpnGateway!.VpnGatewayId!;
    await expectAwsError(
      sim.ec2.send(new CreateVpnConnectionCommand({ Type: "ipsec.1", CustomerGatewayId: cgw.CustomerGatewayId!, VpnGatewayId: "vgw-0123456789abcdef0" })),
      { name: "InvalidVpnGatewayID.NotFound", status: 400 },
    );
    const vpn = (
      await sim.ec2.send(
        new CreateVpnConnectionCommand({
          Type: "ipsec.1",
          CustomerGatewayId: cgw.CustomerGatewayId!,
          VpnGatewayId: vgwId,
          Options: { StaticRoutesOnly: true, TunnelOptions: [{ TunnelInsideCidr: "169.254.10.0/30", PreSharedKey: "sharedkey_123" }] },
        }),
      )
    ).VpnConnection!;
    expect(vpn.VpnConnectionId).toMatch(/^vpn-[0-9a-f]{17}$/);
    expect(vpn).toMatchObject({ State: "pending", VpnGatewayId: vgwId, Options: { StaticRoutesOnly: true } });
    expect(vpn.Options!.TunnelOptions).toHaveLength(2);
    expect(vpn.Options!.TunnelOptions![0]).toMatchObject({ TunnelInsideCidr: "169.254.10.0/30", PreSharedKey: "sharedkey_123" });
    expect(vpn.VgwTelemetry!.map((t) => t.Status)).toEqual(["DOWN", "DOWN"]);
    expect(vpn.CustomerGatewayConfiguration).toContain("<tunnel_inside_address><ip_address>169.254.10.1</ip_address>");
    expect(vpn.CustomerGatewayConfiguration).toContain("<pre_shared_key>sharedkey_123</pre_shared_key>");

    await expectAwsError(
      sim.ec2.send(
        new CreateVpnConnectionCommand({
          Type: "ipsec.1",
          CustomerGatewayId: cgw.CustomerGatewayId!,
          VpnGatewayId: vgwId,
          Options: { TunnelOptions: [{ TunnelInsideCidr: "10.0.0.0/30" }] },
        }),
      ),
      { name: "InvalidParameterValue", status: 400 },
    );

    await sim.ec2.send(new CreateVpnConnectionRouteCommand({ VpnConnectionId: vpn.VpnConnectionId!, DestinationCidrBlock: "192.168.10.0/24" }));
    const d = (await sim.ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [vpn.VpnConnectionId!] }))).VpnConnections![0]!;
    expect(d.State).toBe("available");
    expect(d.Routes).toEqual([{ DestinationCidrBlock: "192.168.10.0/24", Source: "Static", State: "available" }]);
    const byRoute = (
      await sim.ec2.send(new DescribeVpnConnectionsCommand({ Filters: [{ Name: "route.destination-cidr-block", Values: ["192.168.10.0/24"] }] }))
    ).VpnConnections!;
    expect(byRoute).toHaveLength(1);

    const outside = d.Options!.TunnelOptions![1]!.OutsideIpAddress!;
    const mod = await sim.ec2.send(
      new ModifyVpnTunnelOptionsCommand({
        VpnConnectionId: vpn.VpnConnectionId!,
        VpnTunnelOutsideIpAddress: outside,
        TunnelOptions: { TunnelInsideCidr: "169.254.20.4/30", DPDTimeoutSeconds: 40, IKEVersions: [{ Value: "ikev2" }] },
      }),
    );
    expect(mod.VpnConnection!.State).toBe("modifying");
    await expectAwsError(
      sim.ec2.send(
        new ModifyVpnTunnelOptionsCommand({
          VpnConnectionId: vpn.VpnConnectionId!,
          VpnTunnelOutsideIpAddress: "192.0.2.1",
          TunnelOptions: { DPDTimeoutSeconds: 30 },
        }),
      ),
      { name: "InvalidParameterValue", status: 400 },
    );
    await sim.ec2.send(new ModifyVpnConnectionOptionsCommand({ VpnConnectionId: vpn.VpnConnectionId!, RemoteIpv4NetworkCidr: "10.0.0.0/8" }));
    const d2 = (await sim.ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [vpn.VpnConnectionId!] }))).VpnConnections![0]!;
    expect(d2.Options!.RemoteIpv4NetworkCidr).toBe("10.0.0.0/8");
    expect(d2.Options!.TunnelOptions![1]).toMatchObject({
      OutsideIpAddress: outside,
      TunnelInsideCidr: "169.254.20.4/30",
      DpdTimeoutSeconds: 40,
      IkeVersions: [{ Value: "ikev2" }],
    });
    expect(d2.CustomerGatewayConfiguration).toContain("<ip_address>169.254.20.5</ip_address>");

    await expectAwsError(sim.ec2.send(new DeleteCustomerGatewayCommand({ CustomerGatewayId: cgw.CustomerGatewayId! })), {
      name: "IncorrectState",
      status: 400,
    });
    await sim.ec2.send(new DeleteVpnConnectionCommand({ VpnConnectionId: vpn.VpnConnectionId! }));
    // A deleted connection and customer gateway stay listed with state "deleted" for a while, as in AWS.
    const gone = (await sim.ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [vpn.VpnConnectionId!] }))).VpnConnections![0]!;
    expect([gone.State, gone.CustomerGatewayConfiguration]).toEqual(["deleted", undefined]);
    await sim.ec2.send(new DeleteCustomerGatewayCommand({ CustomerGatewayId: cgw.CustomerGatewayId! }));
    expect((await sim.ec2.send(new DescribeCustomerGatewaysCommand({}))).CustomerGateways!.map((g) => g.State)).toEqual(["deleted"]);
  });

  it("a VPN to a transit gateway gets a vpn attachment that propagates its static routes", async () => {
    const tgw = (await sim.ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!;
    const rtb = tgw.Options!.AssociationDefaultRouteTableId!;
    const cgwId = (await sim.ec2.send(new CreateCustomerGatewayCommand({ Type: "ipsec.1", BgpAsn: 65000, IpAddress: "198.51.100.7" }))).CustomerGateway!
      .CustomerGatewayId!;
    const vpn = (
      await sim.ec2.send(
        new CreateVpnConnectionCommand({
          Type: "ipsec.1",
          CustomerGatewayId: cgwId,
          TransitGatewayId: tgw.TransitGatewayId!,
          Options: { StaticRoutesOnly: true },
        }),
      )
    ).VpnConnection!;
    expect(vpn.TransitGatewayId).toBe(tgw.TransitGatewayId);
    const atts = (await sim.ec2.send(new DescribeTransitGatewayAttachmentsCommand({ Filters: [{ Name: "resource-type", Values: ["vpn"] }] })))
      .TransitGatewayAttachments!;
    expect(atts).toHaveLength(1);
    expect(atts[0]).toMatchObject({ ResourceId: vpn.VpnConnectionId, State: "available", Association: { TransitGatewayRouteTableId: rtb } });
    await sim.ec2.send(new CreateVpnConnectionRouteCommand({ VpnConnectionId: vpn.VpnConnectionId!, DestinationCidrBlock: "172.20.0.0/16" }));
    const routes = (
      await sim.ec2.send(
        new SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: rtb, Filters: [{ Name: "attachment.resource-type", Values: ["vpn"] }] }),
      )
    ).Routes!;
    expect(routes.map((r) => [r.DestinationCidrBlock, r.Type])).toEqual([["172.20.0.0/16", "propagated"]]);
    await sim.ec2.send(new DeleteVpnConnectionCommand({ VpnConnectionId: vpn.VpnConnectionId! }));
    expect((await sim.ec2.send(new DescribeTransitGatewayAttachmentsCommand({}))).TransitGatewayAttachments).toEqual([]);
  });
});

describe("tags on these resources", () => {
  it("CreateTags, DeleteTags and DescribeTags work alongside other EC2 resources", async () => {
    const tgwId = (await sim.ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
    const rtbId = (await sim.ec2.send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: tgwId }))).TransitGatewayRouteTable!
      .TransitGatewayRouteTableId!;
    const cgwId = (await sim.ec2.send(new CreateCustomerGatewayCommand({ Type: "ipsec.1", BgpAsn: 65000, IpAddress: "198.51.100.9" }))).CustomerGateway!
      .CustomerGatewayId!;
    await sim.ec2.send(new CreateTagsCommand({ Resources: [rtbId, cgwId, tgwId], Tags: [{ Key: "env", Value: "prod" }] }));
    const rt = (await sim.ec2.send(new DescribeTransitGatewayRouteTablesCommand({ Filters: [{ Name: "tag:env", Values: ["prod"] }] })))
      .TransitGatewayRouteTables!;
    expect(rt.map((r) => r.TransitGatewayRouteTableId)).toEqual([rtbId]);
    const all = (await sim.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "key", Values: ["env"] }] }))).Tags!;
    expect(all.map((x) => [x.ResourceId, x.ResourceType]).sort()).toEqual(
      [
        [cgwId, "customer-gateway"],
        [tgwId, "transit-gateway"],
        [rtbId, "transit-gateway-route-table"],
      ].sort(),
    );
    const p1 = await sim.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "key", Values: ["env"] }], MaxResults: 5 }));
    expect(p1.Tags).toHaveLength(3);
    await sim.ec2.send(new DeleteTagsCommand({ Resources: [cgwId], Tags: [{ Key: "env" }] }));
    expect((await sim.ec2.send(new DescribeCustomerGatewaysCommand({ CustomerGatewayIds: [cgwId] }))).CustomerGateways![0]!.Tags).toEqual([]);
    await expectAwsError(sim.ec2.send(new CreateTagsCommand({ Resources: ["cgw-0123456789abcdef0"], Tags: [{ Key: "a", Value: "b" }] })), {
      name: "InvalidCustomerGatewayID.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new CreateTagsCommand({ Resources: [rtbId], Tags: [{ Key: "aws:x", Value: "b" }] })), {
      name: "InvalidParameterValue",
      status: 400,
    });
  });
});

describe("transit gateway peering", () => {
  it("requests in one region, accepts in the other, routes statically, deletes from either side", async () => {
    const west = new EC2Client(clientConfig(sim.server, { region: "us-west-2" }));
    const east = (await sim.ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!;
    const far = (await west.send(new CreateTransitGatewayCommand({}))).TransitGateway!;
    await expectAwsError(
      sim.ec2.send(
        new CreateTransitGatewayPeeringAttachmentCommand({
          TransitGatewayId: east.TransitGatewayId!,
          PeerTransitGatewayId: "tgw-0123456789abcdef0",
          PeerAccountId: "000000000000",
          PeerRegion: "us-west-2",
        }),
      ),
      { name: "InvalidTransitGatewayID.NotFound", status: 400 },
    );
    const req = (
      await sim.ec2.send(
        new CreateTransitGatewayPeeringAttachmentCommand({
          TransitGatewayId: east.TransitGatewayId!,
          PeerTransitGatewayId: far.TransitGatewayId!,
          PeerAccountId: "000000000000",
          PeerRegion: "us-west-2",
          TagSpecifications: [{ ResourceType: "transit-gateway-attachment", Tags: [{ Key: "Name", Value: "east-west" }] }],
        }),
      )
    ).TransitGatewayPeeringAttachment!;
    expect(req).toMatchObject({
      State: "initiatingRequest",
      RequesterTgwInfo: { TransitGatewayId: east.TransitGatewayId, Region: "us-east-1", OwnerId: "000000000000" },
      AccepterTgwInfo: { TransitGatewayId: far.TransitGatewayId, Region: "us-west-2" },
      Tags: [{ Key: "Name", Value: "east-west" }],
    });
    const id = req.TransitGatewayAttachmentId!;
    const pending = (await west.send(new DescribeTransitGatewayPeeringAttachmentsCommand({ TransitGatewayAttachmentIds: [id] })))
      .TransitGatewayPeeringAttachments!;
    expect(pending[0]!.State).toBe("pendingAcceptance");
    await expectAwsError(sim.ec2.send(new AcceptTransitGatewayPeeringAttachmentCommand({ TransitGatewayAttachmentId: id })), {
      name: "IncorrectState",
      status: 400,
    });
    await west.send(new AcceptTransitGatewayPeeringAttachmentCommand({ TransitGatewayAttachmentId: id }));
    const mine = (await sim.ec2.send(new DescribeTransitGatewayPeeringAttachmentsCommand({ Filters: [{ Name: "state", Values: ["available"] }] })))
      .TransitGatewayPeeringAttachments!;
    expect(mine.map((x) => x.TransitGatewayAttachmentId)).toEqual([id]);
    const att = (await sim.ec2.send(new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [id] }))).TransitGatewayAttachments![0]!;
    expect(att).toMatchObject({ ResourceType: "peering", ResourceId: far.TransitGatewayId, State: "available" });
    expect(att.Association).toBeUndefined();

    const rtb = east.Options!.AssociationDefaultRouteTableId!;
    await sim.ec2.send(
      new CreateTransitGatewayRouteCommand({ TransitGatewayRouteTableId: rtb, DestinationCidrBlock: "10.200.0.0/16", TransitGatewayAttachmentId: id }),
    );
    const routes = (
      await sim.ec2.send(new SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: rtb, Filters: [{ Name: "type", Values: ["static"] }] }))
    ).Routes!;
    expect(routes[0]!.TransitGatewayAttachments![0]).toMatchObject({ ResourceType: "peering", TransitGatewayAttachmentId: id });

    await west.send(new DeleteTransitGatewayPeeringAttachmentCommand({ TransitGatewayAttachmentId: id }));
    // Both sides go on describing it as deleted for a while, as AWS does; it can't be deleted again.
    const gone = (await sim.ec2.send(new DescribeTransitGatewayPeeringAttachmentsCommand({ TransitGatewayAttachmentIds: [id] })))
      .TransitGatewayPeeringAttachments!;
    expect(gone.map((a) => a.State)).toEqual(["deleted"]);
    await expectAwsError(sim.ec2.send(new DeleteTransitGatewayPeeringAttachmentCommand({ TransitGatewayAttachmentId: id })), {
      name: "InvalidTransitGatewayAttachmentID.NotFound",
      status: 400,
    });
  });
});
