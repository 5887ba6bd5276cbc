import {
  CreateCoipPoolCommand,
  CreateCustomerGatewayCommand,
  CreateLocalGatewayRouteTableCommand,
  CreateLocalGatewayRouteTableVpcAssociationCommand,
  CreateTransitGatewayCommand,
  CreateVpnConcentratorCommand,
  CreateVpnConnectionCommand,
  DeleteCoipPoolCommand,
  DeleteLocalGatewayVirtualInterfaceCommand,
  DeleteVpnConcentratorCommand,
  DeleteVpnConnectionCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeVpnConcentratorsCommand,
  DescribeVpnConnectionsCommand,
  EC2Client,
  GetActiveVpnTunnelStatusCommand,
  GetVpnTunnelReplacementStatusCommand,
  ModifyVpnTunnelCertificateCommand,
  ReplaceVpnTunnelCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg) }));

async function vpn(certificate = false) {
  const tgw = (await sim.ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
  const cgw = (
    await sim.ec2.send(
      new CreateCustomerGatewayCommand({
        Type: "ipsec.1",
        BgpAsn: 65010,
        ...(certificate
          ? { CertificateArn: "arn:aws:acm-pca:us-east-1:000000000000:certificate-authority/1234/certificate/abcd" }
          : { IpAddress: "203.0.113.10" }),
      }),
    )
  ).CustomerGateway!.CustomerGatewayId!;
  const v = (await sim.ec2.send(new CreateVpnConnectionCommand({ Type: "ipsec.1", CustomerGatewayId: cgw, TransitGatewayId: tgw }))).VpnConnection!;
  return { tgw, cgw, v };
}

describe("VPN tunnels", () => {
  it("tunnel status, replacement and its maintenance record, certificate rotation", async () => {
    const { tgw, cgw, v } = await vpn();
    const ip = v.Options!.TunnelOptions![0]!.OutsideIpAddress!;
    const status = await sim.ec2.send(new GetActiveVpnTunnelStatusCommand({ VpnConnectionId: v.VpnConnectionId, VpnTunnelOutsideIpAddress: ip }));
    expect(status.ActiveVpnTunnelStatus).toEqual({ ProvisioningStatus: "available" });
    await expectAwsError(sim.ec2.send(new GetActiveVpnTunnelStatusCommand({ VpnConnectionId: v.VpnConnectionId, VpnTunnelOutsideIpAddress: "198.51.100.1" })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new GetActiveVpnTunnelStatusCommand({ VpnConnectionId: "vpn-0123456789abcdef0", VpnTunnelOutsideIpAddress: ip })), {
      name: "InvalidVpnConnectionID.NotFound",
      status: 400,
    });
    const before = await sim.ec2.send(new GetVpnTunnelReplacementStatusCommand({ VpnConnectionId: v.VpnConnectionId, VpnTunnelOutsideIpAddress: ip }));
    expect([before.TransitGatewayId, before.CustomerGatewayId, before.VpnTunnelOutsideIpAddress]).toEqual([tgw, cgw, ip]);
    expect(before.MaintenanceDetails).toEqual({ PendingMaintenance: "None" });
    expect((await sim.ec2.send(new ReplaceVpnTunnelCommand({ VpnConnectionId: v.VpnConnectionId, VpnTunnelOutsideIpAddress: ip }))).Return).toBe(true);
    const after = await sim.ec2.send(new GetVpnTunnelReplacementStatusCommand({ VpnConnectionId: v.VpnConnectionId, VpnTunnelOutsideIpAddress: ip }));
    expect(after.MaintenanceDetails!.LastMaintenanceApplied).toBeInstanceOf(Date);
    await expectAwsError(sim.ec2.send(new ModifyVpnTunnelCertificateCommand({ VpnConnectionId: v.VpnConnectionId, VpnTunnelOutsideIpAddress: ip })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    const cert = await vpn(true);
    const certIp = cert.v.Options!.TunnelOptions![1]!.OutsideIpAddress!;
    const mod = await sim.ec2.send(new ModifyVpnTunnelCertificateCommand({ VpnConnectionId: cert.v.VpnConnectionId, VpnTunnelOutsideIpAddress: certIp }));
    expect(mod.VpnConnection!.VpnConnectionId).toBe(cert.v.VpnConnectionId);
    expect(mod.VpnConnection!.State).toBe("modifying");
  });

  it("VPN concentrators attach to a transit gateway", async () => {
    const tgw = (await sim.ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
    await expectAwsError(sim.ec2.send(new CreateVpnConcentratorCommand({ Type: "ipsec.1" })), { name: "MissingParameter", status: 400 });
    await expectAwsError(sim.ec2.send(new CreateVpnConcentratorCommand({ Type: "ipsec.1", TransitGatewayId: "tgw-0123456789abcdef0" })), {
      name: "InvalidTransitGatewayID.NotFound",
      status: 400,
    });
    const c = (
      await sim.ec2.send(
        new CreateVpnConcentratorCommand({
          Type: "ipsec.1",
          TransitGatewayId: tgw,
          TagSpecifications: [{ ResourceType: "vpn-concentrator", Tags: [{ Key: "site", Value: "many" }] }],
        }),
      )
    ).VpnConcentrator!;
    expect(c.State).toBe("pending");
    expect(c.Tags).toEqual([{ Key: "site", Value: "many" }]);
    const att = (await sim.ec2.send(new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [c.TransitGatewayAttachmentId!] })))
      .TransitGatewayAttachments![0]!;
    expect([att.ResourceType, att.ResourceId, att.TransitGatewayId]).toEqual(["vpn-concentrator", c.VpnConcentratorId, tgw]);
    const d = await sim.ec2.send(new DescribeVpnConcentratorsCommand({ Filters: [{ Name: "transit-gateway-id", Values: [tgw] }] }));
    expect(d.VpnConcentrators!.map((x) => [x.VpnConcentratorId, x.State])).toEqual([[c.VpnConcentratorId, "available"]]);
    const cgw = (await sim.ec2.send(new CreateCustomerGatewayCommand({ Type: "ipsec.1", BgpAsn: 65020, IpAddress: "203.0.113.20" }))).CustomerGateway!
      .CustomerGatewayId!;
    await expectAwsError(
      sim.ec2.send(
        new CreateVpnConnectionCommand({
          Type: "ipsec.1",
          CustomerGatewayId: cgw,
          VpnConcentratorId: c.VpnConcentratorId,
          Options: { StaticRoutesOnly: true },
        }),
      ),
      { name: "InvalidParameterCombination", status: 400 },
    );
    const v = (await sim.ec2.send(new CreateVpnConnectionCommand({ Type: "ipsec.1", CustomerGatewayId: cgw, VpnConcentratorId: c.VpnConcentratorId })))
      .VpnConnection!;
    expect(v.VpnConcentratorId).toBe(c.VpnConcentratorId);
    expect(v.TransitGatewayId).toBe(tgw);
    expect((await sim.ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [v.VpnConnectionId!] }))).VpnConnections![0]!.VpnConcentratorId).toBe(
      c.VpnConcentratorId,
    );
    // The connection rides on the concentrator's attachment: no attachment of its own.
    expect((await sim.ec2.send(new DescribeTransitGatewayAttachmentsCommand({}))).TransitGatewayAttachments!.map((a) => a.ResourceType)).toEqual([
      "vpn-concentrator",
    ]);
    await expectAwsError(sim.ec2.send(new DeleteVpnConcentratorCommand({ VpnConcentratorId: c.VpnConcentratorId })), { name: "IncorrectState", status: 400 });
    await sim.ec2.send(new DeleteVpnConnectionCommand({ VpnConnectionId: v.VpnConnectionId }));
    expect((await sim.ec2.send(new DeleteVpnConcentratorCommand({ VpnConcentratorId: c.VpnConcentratorId }))).Return).toBe(true);
    expect((await sim.ec2.send(new DescribeTransitGatewayAttachmentsCommand({}))).TransitGatewayAttachments).toEqual([]);
    await expectAwsError(sim.ec2.send(new DescribeVpnConcentratorsCommand({ VpnConcentratorIds: [c.VpnConcentratorId!] })), {
      name: "InvalidVpnConcentratorId.NotFound",
      status: 400,
    });
  });
});

describe("local gateways (no Outpost exists)", () => {
  it("every write names a local gateway resource that does not exist", async () => {
    await expectAwsError(sim.ec2.send(new CreateLocalGatewayRouteTableCommand({ LocalGatewayId: "lgw-0123456789abcdef0" })), {
      name: "InvalidLocalGatewayID.NotFound",
      status: 400,
      message: "The local gateway ID 'lgw-0123456789abcdef0' does not exist",
    });
    await expectAwsError(
      sim.ec2.send(
        new CreateLocalGatewayRouteTableVpcAssociationCommand({ LocalGatewayRouteTableId: "lgw-rtb-0123456789abcdef0", VpcId: "vpc-0123456789abcdef0" }),
      ),
      { name: "InvalidLocalGatewayRouteTableID.NotFound", status: 400 },
    );
    await expectAwsError(sim.ec2.send(new CreateCoipPoolCommand({ LocalGatewayRouteTableId: "lgw-rtb-0123456789abcdef0" })), {
      name: "InvalidLocalGatewayRouteTableID.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new DeleteCoipPoolCommand({ CoipPoolId: "ipv4pool-coip-0123456789abcdef0" })), {
      name: "InvalidCoipPoolID.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new DeleteLocalGatewayVirtualInterfaceCommand({ LocalGatewayVirtualInterfaceId: "lgw-vif-0123456789abcdef0" })), {
      name: "InvalidLocalGatewayVirtualInterfaceID.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new CreateLocalGatewayRouteTableCommand({ LocalGatewayId: "lgw-0123456789abcdef0", DryRun: true })), {
      name: "DryRunOperation",
      status: 412,
    });
  });
});
