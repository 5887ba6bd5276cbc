import {
  ApplySecurityGroupsToClientVpnTargetNetworkCommand,
  AssociateClientVpnTargetNetworkCommand,
  AuthorizeClientVpnIngressCommand,
  CreateClientVpnEndpointCommand,
  CreateClientVpnRouteCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteClientVpnEndpointCommand,
  DeleteClientVpnRouteCommand,
  DescribeClientVpnAuthorizationRulesCommand,
  DescribeClientVpnConnectionsCommand,
  DescribeClientVpnEndpointsCommand,
  DescribeClientVpnRoutesCommand,
  DescribeClientVpnTargetNetworksCommand,
  DisassociateClientVpnTargetNetworkCommand,
  EC2Client,
  ExportClientVpnClientCertificateRevocationListCommand,
  ImportClientVpnClientCertificateRevocationListCommand,
  ExportClientVpnClientConfigurationCommand,
  ModifyClientVpnEndpointCommand,
  RevokeClientVpnIngressCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const CERT = "arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg) }));

const create = (extra: Record<string, unknown> = {}) =>
  sim.ec2.send(
    new CreateClientVpnEndpointCommand({
      ClientCidrBlock: "172.16.0.0/22",
      ServerCertificateArn: CERT,
      AuthenticationOptions: [{ Type: "certificate-authentication", MutualAuthentication: { ClientRootCertificateChainArn: CERT } }],
      ConnectionLogOptions: { Enabled: false },
      ...extra,
    }),
  );

describe("Client VPN", () => {
  it("endpoint lifecycle: associate, routes, authorization rules, disassociate, delete", async () => {
    const c = await create({ Description: "vpn", TagSpecifications: [{ ResourceType: "client-vpn-endpoint", Tags: [{ Key: "t", Value: "1" }] }] });
    expect(c.ClientVpnEndpointId).toMatch(/^cvpn-endpoint-[0-9a-f]{17}$/);
    expect(c.Status!.Code).toBe("pending-associate");
    expect(c.DnsName).toBe(`*.${c.ClientVpnEndpointId}.prod.clientvpn.us-east-1.amazonaws.com`);
    const id = c.ClientVpnEndpointId!;
    const d = (await sim.ec2.send(new DescribeClientVpnEndpointsCommand({ ClientVpnEndpointIds: [id] }))).ClientVpnEndpoints![0]!;
    expect([d.VpnPort, d.TransportProtocol, d.VpnProtocol, d.SplitTunnel, d.SessionTimeoutHours]).toEqual([443, "udp", "openvpn", false, 24]);
    expect(d.AuthenticationOptions![0]!.MutualAuthentication!.ClientRootCertificateChain).toBe(CERT);
    expect(d.Tags).toEqual([{ Key: "t", Value: "1" }]);

    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.20.0.0/16" }))).Vpc!.VpcId!;
    const subA = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.20.1.0/24", AvailabilityZone: "us-east-1a" }))).Subnet!.SubnetId!;
    const subA2 = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.20.2.0/24", AvailabilityZone: "us-east-1a" }))).Subnet!.SubnetId!;
    const as = await sim.ec2.send(new AssociateClientVpnTargetNetworkCommand({ ClientVpnEndpointId: id, SubnetId: subA }));
    expect(as.AssociationId).toMatch(/^cvpn-assoc-[0-9a-f]{17}$/);
    expect(as.Status!.Code).toBe("associating");
    await expectAwsError(sim.ec2.send(new AssociateClientVpnTargetNetworkCommand({ ClientVpnEndpointId: id, SubnetId: subA2 })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    const after = (await sim.ec2.send(new DescribeClientVpnEndpointsCommand({ ClientVpnEndpointIds: [id] }))).ClientVpnEndpoints![0]!;
    expect(after.Status!.Code).toBe("available");
    expect(after.VpcId).toBe(vpc);
    expect(after.SecurityGroupIds).toHaveLength(1);
    const tn = (await sim.ec2.send(new DescribeClientVpnTargetNetworksCommand({ ClientVpnEndpointId: id }))).ClientVpnTargetNetworks!;
    expect(tn.map((x) => [x.TargetNetworkId, x.VpcId, x.Status!.Code, x.AvailabilityZones])).toEqual([[subA, vpc, "associated", ["us-east-1a"]]]);

    await sim.ec2.send(
      new CreateClientVpnRouteCommand({ ClientVpnEndpointId: id, DestinationCidrBlock: "0.0.0.0/0", TargetVpcSubnetId: subA, Description: "internet" }),
    );
    await expectAwsError(
      sim.ec2.send(new CreateClientVpnRouteCommand({ ClientVpnEndpointId: id, DestinationCidrBlock: "0.0.0.0/0", TargetVpcSubnetId: subA })),
      {
        name: "InvalidClientVpnDuplicateRoute",
        status: 400,
        message: "Route already exists",
      },
    );
    const routes = (await sim.ec2.send(new DescribeClientVpnRoutesCommand({ ClientVpnEndpointId: id }))).Routes!;
    expect(routes.map((r) => [r.DestinationCidr, r.TargetSubnet, r.Origin, r.Status!.Code])).toEqual([
      ["10.20.0.0/16", subA, "associate", "active"],
      ["0.0.0.0/0", subA, "add-route", "active"],
    ]);
    const added = await sim.ec2.send(new DescribeClientVpnRoutesCommand({ ClientVpnEndpointId: id, Filters: [{ Name: "origin", Values: ["add-route"] }] }));
    expect(added.Routes).toHaveLength(1);

    await sim.ec2.send(new AuthorizeClientVpnIngressCommand({ ClientVpnEndpointId: id, TargetNetworkCidr: "10.20.0.0/16", AuthorizeAllGroups: true }));
    await sim.ec2.send(new AuthorizeClientVpnIngressCommand({ ClientVpnEndpointId: id, TargetNetworkCidr: "0.0.0.0/0", AccessGroupId: "admins" }));
    const rules = (await sim.ec2.send(new DescribeClientVpnAuthorizationRulesCommand({ ClientVpnEndpointId: id }))).AuthorizationRules!;
    expect(rules.map((r) => [r.DestinationCidr, r.AccessAll, r.GroupId])).toEqual([
      ["10.20.0.0/16", true, ""],
      ["0.0.0.0/0", false, "admins"],
    ]);
    await sim.ec2.send(new RevokeClientVpnIngressCommand({ ClientVpnEndpointId: id, TargetNetworkCidr: "0.0.0.0/0", AccessGroupId: "admins" }));
    await expectAwsError(
      sim.ec2.send(new RevokeClientVpnIngressCommand({ ClientVpnEndpointId: id, TargetNetworkCidr: "0.0.0.0/0", AccessGroupId: "admins" })),
      {
        name: "InvalidClientVpnEndpointAuthorizationRuleNotFound",
        status: 400,
      },
    );
    expect((await sim.ec2.send(new DescribeClientVpnConnectionsCommand({ ClientVpnEndpointId: id }))).Connections).toEqual([]);
    const cfg = (await sim.ec2.send(new ExportClientVpnClientConfigurationCommand({ ClientVpnEndpointId: id }))).ClientConfiguration!;
    expect(cfg).toContain(`remote ${id}.prod.clientvpn.us-east-1.amazonaws.com 443`);
    expect(cfg).toContain("proto udp");

    const sg = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "vpn", Description: "vpn", VpcId: vpc }))).GroupId!;
    expect(
      (await sim.ec2.send(new ApplySecurityGroupsToClientVpnTargetNetworkCommand({ ClientVpnEndpointId: id, VpcId: vpc, SecurityGroupIds: [sg] })))
        .SecurityGroupIds,
    ).toEqual([sg]);
    await sim.ec2.send(
      new ModifyClientVpnEndpointCommand({
        ClientVpnEndpointId: id,
        VpnPort: 1194,
        SplitTunnel: true,
        DnsServers: { Enabled: true, CustomDnsServers: ["10.20.0.2"] },
      }),
    );
    const mod = (await sim.ec2.send(new DescribeClientVpnEndpointsCommand({ ClientVpnEndpointIds: [id] }))).ClientVpnEndpoints![0]!;
    expect([mod.VpnPort, mod.SplitTunnel, mod.DnsServers, mod.SecurityGroupIds]).toEqual([1194, true, ["10.20.0.2"], [sg]]);

    await expectAwsError(sim.ec2.send(new DeleteClientVpnEndpointCommand({ ClientVpnEndpointId: id })), { name: "IncorrectState", status: 400 });
    await sim.ec2.send(new DeleteClientVpnRouteCommand({ ClientVpnEndpointId: id, DestinationCidrBlock: "0.0.0.0/0", TargetVpcSubnetId: subA }));
    await expectAwsError(sim.ec2.send(new DeleteClientVpnRouteCommand({ ClientVpnEndpointId: id, DestinationCidrBlock: "0.0.0.0/0" })), {
      name: "InvalidClientVpnRouteNotFound",
      status: 400,
    });
    await sim.ec2.send(new DisassociateClientVpnTargetNetworkCommand({ ClientVpnEndpointId: id, AssociationId: as.AssociationId! }));
    expect((await sim.ec2.send(new DescribeClientVpnRoutesCommand({ ClientVpnEndpointId: id }))).Routes).toEqual([]);
    expect((await sim.ec2.send(new DeleteClientVpnEndpointCommand({ ClientVpnEndpointId: id }))).Status!.Code).toBe("deleting");
    await expectAwsError(sim.ec2.send(new DescribeClientVpnEndpointsCommand({ ClientVpnEndpointIds: [id] })), {
      name: "InvalidClientVpnEndpointId.NotFound",
      status: 400,
    });
  });

  it("validates the endpoint's settings", async () => {
    await expectAwsError(create({ ClientCidrBlock: "172.16.0.0/24" }), { name: "InvalidParameterValue", status: 400 });
    await expectAwsError(create({ VpnPort: 8443 }), { name: "InvalidParameterValue", status: 400 });
    await expectAwsError(create({ DryRun: true }), { name: "DryRunOperation", status: 412 });
    await create({ TransportProtocol: "tcp" });
    await create();
    const id = (await create()).ClientVpnEndpointId!;
    expect(
      (await sim.ec2.send(new ExportClientVpnClientCertificateRevocationListCommand({ ClientVpnEndpointId: id }))).CertificateRevocationList,
    ).toBeUndefined();
    const crl = "-----BEGIN X509 CRL-----\nMIIBszCBnAIBATANBgkqhkiG9w0BAQsFADAPMQ0wCwYDVQQDDARyb290Fw0yNDAx\n-----END X509 CRL-----\n";
    await sim.ec2.send(new ImportClientVpnClientCertificateRevocationListCommand({ ClientVpnEndpointId: id, CertificateRevocationList: crl }));
    const out = await sim.ec2.send(new ExportClientVpnClientCertificateRevocationListCommand({ ClientVpnEndpointId: id }));
    expect([out.CertificateRevocationList, out.Status!.Code]).toEqual([crl, "active"]);
    await expectAwsError(
      sim.ec2.send(new ImportClientVpnClientCertificateRevocationListCommand({ ClientVpnEndpointId: id, CertificateRevocationList: "nope" })),
      {
        name: "InvalidParameterValue",
        status: 400,
      },
    );
    const tcp = await sim.ec2.send(new DescribeClientVpnEndpointsCommand({ Filters: [{ Name: "transport-protocol", Values: ["tcp"] }] }));
    expect(tcp.ClientVpnEndpoints).toHaveLength(1);
  });
});
