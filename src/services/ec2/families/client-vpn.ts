/**
 * Client VPN endpoints: endpoints (pending-associate until a subnet is associated, then available), target
 * network associations (one subnet per zone, all in the endpoint's VPC; each adds its VPC's route), routes,
 * authorization rules, security groups, the OpenVPN client configuration. No client ever connects to the
 * simulator, so the connection list is empty.
 */
import type { Ctx } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { applyTagSpec, dropTags, dryRun, list, parseCidr, select, tagsOf, zonesOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { getSubnet, getVpc } from "../network.js";
import type { Ec2State } from "../state.js";
import { type ClientVpnRec, type FamState, fam } from "./state.js";

const e = Ec2Errors.custom;
const cvpnNotFound = (id: string) => e("InvalidClientVpnEndpointId.NotFound", `Endpoint ${id} does not exist`);

function getEndpoint(f: FamState, id: string): ClientVpnRec {
  const v = f.clientVpns.get(id);
  if (!v) throw cvpnNotFound(id);
  return v;
}

const isoSeconds = (d: Date) => d.toISOString().slice(0, 19);
const dnsName = (s: Ec2State, v: ClientVpnRec) => `*.${v.id}.prod.clientvpn.${s.region}.amazonaws.com`;
const status = (v: ClientVpnRec) => (v.associations.size ? "available" : "pending-associate");

function authView(a: Record<string, any>) {
  return {
    Type: a.Type,
    ActiveDirectory: a.ActiveDirectory ? { DirectoryId: a.ActiveDirectory.DirectoryId } : undefined,
    MutualAuthentication: a.MutualAuthentication ? { ClientRootCertificateChain: a.MutualAuthentication.ClientRootCertificateChainArn } : undefined,
    FederatedAuthentication: a.FederatedAuthentication
      ? { SamlProviderArn: a.FederatedAuthentication.SAMLProviderArn, SelfServiceSamlProviderArn: a.FederatedAuthentication.SelfServiceSAMLProviderArn }
      : undefined,
  };
}

const endpointView = (s: Ec2State, v: ClientVpnRec) => ({
  ClientVpnEndpointId: v.id,
  Description: v.description,
  Status: { Code: status(v), Message: status(v) === "pending-associate" ? "Pending target network association" : undefined },
  CreationTime: isoSeconds(v.created),
  DnsName: dnsName(s, v),
  ClientCidrBlock: v.clientCidr,
  DnsServers: v.dnsServers.length ? v.dnsServers : undefined,
  SplitTunnel: v.splitTunnel,
  VpnProtocol: "openvpn",
  TransportProtocol: v.transport,
  VpnPort: v.port,
  AssociatedTargetNetworks: [...v.associations.values()].map((a) => ({ NetworkId: a.subnetId, NetworkType: "vpc" })),
  ServerCertificateArn: v.serverCertificateArn,
  AuthenticationOptions: v.auth.map(authView),
  ConnectionLogOptions: v.log,
  Tags: tagsOf(v),
  SecurityGroupIds: v.groups,
  VpcId: v.vpcId,
  SelfServicePortalUrl: v.selfService === "enabled" ? `https://self-service.clientvpn.amazonaws.com/endpoints/${v.id}` : undefined,
  ClientConnectOptions: { Enabled: v.connect.Enabled, LambdaFunctionArn: v.connect.LambdaFunctionArn, Status: { Code: "applied" } },
  SessionTimeoutHours: v.sessionHours,
  ClientLoginBannerOptions: v.banner,
  ClientRouteEnforcementOptions: { Enforced: v.routeEnforcement },
  DisconnectOnSessionTimeout: v.disconnectOnTimeout,
  EndpointIpAddressType: "ipv4",
  TrafficIpAddressType: "ipv4",
});

const ACM = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/;

function checkClientCidr(c: string) {
  const p = parseCidr(c);
  if (!p || p.bits < 12 || p.bits > 22) throw Ec2Errors.invalidValue(`Invalid CIDR ${c}: the client CIDR block must be between /12 and /22.`);
}

function checkGroups(s: Ec2State, vpcId: string | undefined, groups: string[]) {
  for (const g of groups) {
    const sg = s.sgs.get(g);
    if (!sg) throw Ec2Errors.groupNotFound(g);
    if (vpcId && sg.vpcId !== vpcId) throw Ec2Errors.invalidValue(`Security group ${g} does not belong to VPC ${vpcId}.`);
  }
}

const defaultGroup = (s: Ec2State, vpcId: string) => [...s.sgs.values()].find((g) => g.vpcId === vpcId && g.name === "default")?.id;

export function CreateClientVpnEndpoint(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  if (input.ClientCidrBlock === undefined && !input.TransitGatewayConfiguration) throw Ec2Errors.missing("ClientCidrBlock");
  if (input.ClientCidrBlock !== undefined) checkClientCidr(String(input.ClientCidrBlock));
  if (!ACM.test(String(input.ServerCertificateArn))) throw Ec2Errors.invalidValue(`Certificate ${input.ServerCertificateArn} does not exist`);
  const auth: Array<Record<string, any>> = input.AuthenticationOptions ?? [];
  if (!auth.length || auth.length > 2) throw Ec2Errors.invalidValue("Between one and two authentication options must be specified.");
  const log = input.ConnectionLogOptions ?? {};
  if (log.Enabled === true && !log.CloudwatchLogGroup) throw Ec2Errors.missing("ConnectionLogOptions.CloudwatchLogGroup");
  const port = input.VpnPort ?? 443;
  if (port !== 443 && port !== 1194) throw Ec2Errors.invalidValue(`Invalid VPN port ${port}. Valid values are 443 and 1194.`);
  const vpcId = input.VpcId ? getVpc(s, String(input.VpcId)).id : undefined;
  const groups = list(input.SecurityGroupIds);
  if (groups.length && !vpcId) throw Ec2Errors.invalidCombination("VpcId must be specified with SecurityGroupIds.");
  checkGroups(s, vpcId, groups);
  const hours = input.SessionTimeoutHours ?? 24;
  if (![8, 10, 12, 24].includes(hours)) throw Ec2Errors.invalidValue(`Invalid SessionTimeoutHours ${hours}. Valid values are 8, 10, 12 and 24.`);
  dryRun(input);
  const v: ClientVpnRec = {
    id: ec2Id("cvpn-endpoint"),
    description: input.Description,
    clientCidr: input.ClientCidrBlock,
    serverCertificateArn: String(input.ServerCertificateArn),
    auth,
    log: { Enabled: log.Enabled === true, CloudwatchLogGroup: log.CloudwatchLogGroup, CloudwatchLogStream: log.CloudwatchLogStream },
    dnsServers: list(input.DnsServers),
    transport: input.TransportProtocol ?? "udp",
    port,
    splitTunnel: input.SplitTunnel === true,
    vpcId,
    groups: groups.length ? groups : vpcId ? [defaultGroup(s, vpcId)!].filter(Boolean) : [],
    selfService: input.SelfServicePortal ?? "disabled",
    connect: { Enabled: input.ClientConnectOptions?.Enabled === true, LambdaFunctionArn: input.ClientConnectOptions?.LambdaFunctionArn },
    banner: { Enabled: input.ClientLoginBannerOptions?.Enabled === true, BannerText: input.ClientLoginBannerOptions?.BannerText },
    routeEnforcement: input.ClientRouteEnforcementOptions?.Enforced === true,
    sessionHours: hours,
    disconnectOnTimeout: input.DisconnectOnSessionTimeout !== false,
    created: ctx.now(),
    associations: new Map(),
    routes: [],
    rules: [],
    tags: new Map(),
  };
  f.clientVpns.set(v.id, v);
  applyTagSpec(s, input, "client-vpn-endpoint", v.id, v);
  return { ClientVpnEndpointId: v.id, Status: { Code: "pending-associate" }, DnsName: dnsName(s, v) };
}

export function DescribeClientVpnEndpoints(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f } = fam(ctx);
  const ids = list(input.ClientVpnEndpointIds);
  for (const id of ids) getEndpoint(f, id);
  const r = select(
    ids.length ? ids.map((id) => f.clientVpns.get(id)!) : [...f.clientVpns.values()],
    input,
    { "endpoint-id": (v) => v.id, "transport-protocol": (v) => v.transport },
    (v) => v.id,
    { paginate: true },
  );
  return { ClientVpnEndpoints: r.items.map((v) => endpointView(s, v)), NextToken: r.nextToken };
}

export function ModifyClientVpnEndpoint(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const v = getEndpoint(f, String(input.ClientVpnEndpointId));
  if (input.ServerCertificateArn !== undefined && !ACM.test(String(input.ServerCertificateArn)))
    throw Ec2Errors.invalidValue(`Certificate ${input.ServerCertificateArn} does not exist`);
  if (input.VpnPort !== undefined && input.VpnPort !== 443 && input.VpnPort !== 1194)
    throw Ec2Errors.invalidValue(`Invalid VPN port ${input.VpnPort}. Valid values are 443 and 1194.`);
  if (input.SessionTimeoutHours !== undefined && ![8, 10, 12, 24].includes(input.SessionTimeoutHours))
    throw Ec2Errors.invalidValue(`Invalid SessionTimeoutHours ${input.SessionTimeoutHours}. Valid values are 8, 10, 12 and 24.`);
  const vpcId = input.VpcId !== undefined ? getVpc(s, String(input.VpcId)).id : v.vpcId;
  if (vpcId !== v.vpcId && v.associations.size) throw Ec2Errors.invalidValue("The VPC cannot be changed while target networks are associated.");
  const groups = input.SecurityGroupIds !== undefined ? list(input.SecurityGroupIds) : undefined;
  if (groups) checkGroups(s, vpcId, groups);
  const log = input.ConnectionLogOptions;
  if (log?.Enabled === true && !log.CloudwatchLogGroup) throw Ec2Errors.missing("ConnectionLogOptions.CloudwatchLogGroup");
  dryRun(input);
  if (input.ServerCertificateArn !== undefined) v.serverCertificateArn = String(input.ServerCertificateArn);
  if (log) v.log = { Enabled: log.Enabled === true, CloudwatchLogGroup: log.CloudwatchLogGroup, CloudwatchLogStream: log.CloudwatchLogStream };
  if (input.DnsServers) v.dnsServers = input.DnsServers.Enabled === false ? [] : list(input.DnsServers.CustomDnsServers);
  if (input.VpnPort !== undefined) v.port = input.VpnPort;
  if (input.Description !== undefined) v.description = input.Description;
  if (input.SplitTunnel !== undefined) v.splitTunnel = input.SplitTunnel === true;
  if (vpcId !== v.vpcId) {
    v.vpcId = vpcId;
    v.groups = groups ?? (vpcId ? [defaultGroup(s, vpcId)!].filter(Boolean) : []);
  } else if (groups) v.groups = groups;
  if (input.SelfServicePortal !== undefined) v.selfService = input.SelfServicePortal;
  if (input.ClientConnectOptions)
    v.connect = { Enabled: input.ClientConnectOptions.Enabled === true, LambdaFunctionArn: input.ClientConnectOptions.LambdaFunctionArn };
  if (input.ClientLoginBannerOptions)
    v.banner = { Enabled: input.ClientLoginBannerOptions.Enabled === true, BannerText: input.ClientLoginBannerOptions.BannerText };
  if (input.ClientRouteEnforcementOptions) v.routeEnforcement = input.ClientRouteEnforcementOptions.Enforced === true;
  if (input.SessionTimeoutHours !== undefined) v.sessionHours = input.SessionTimeoutHours;
  if (input.DisconnectOnSessionTimeout !== undefined) v.disconnectOnTimeout = input.DisconnectOnSessionTimeout === true;
  return { Return: true };
}

export function DeleteClientVpnEndpoint(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const v = getEndpoint(f, String(input.ClientVpnEndpointId));
  if (v.associations.size) throw e("IncorrectState", `Endpoint ${v.id} has associated target networks. Disassociate them first.`);
  dryRun(input);
  dropTags(s, v.id, v);
  f.clientVpns.delete(v.id);
  return { Status: { Code: "deleting" } };
}

// ---------------------------------------------------------------- target networks

export function AssociateClientVpnTargetNetwork(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const v = getEndpoint(f, String(input.ClientVpnEndpointId));
  if (input.SubnetId === undefined) throw Ec2Errors.missing("SubnetId");
  const sub = getSubnet(s, String(input.SubnetId));
  if (v.vpcId && sub.vpcId !== v.vpcId) throw Ec2Errors.invalidValue(`Subnet ${sub.id} does not belong to VPC ${v.vpcId} of endpoint ${v.id}.`);
  for (const a of v.associations.values()) {
    if (a.subnetId === sub.id) throw e("InvalidClientVpnDuplicateAssociation", `Subnet ${sub.id} is already associated with ${v.id}.`);
    if (a.az === sub.az) throw Ec2Errors.invalidValue(`A subnet in availability zone ${sub.az} is already associated with ${v.id}.`);
  }
  const vpc = getVpc(s, sub.vpcId);
  if (v.clientCidr && parseCidr(v.clientCidr) && [vpc.cidr, ...vpc.secondaryCidrs.map((c) => c.cidr)].some((c) => overlap(c, v.clientCidr!)))
    throw Ec2Errors.invalidValue(`The client CIDR ${v.clientCidr} overlaps with the VPC CIDR ${vpc.cidr}.`);
  dryRun(input);
  if (!v.vpcId) {
    v.vpcId = vpc.id;
    if (!v.groups.length) v.groups = [defaultGroup(s, vpc.id)!].filter(Boolean);
  }
  const id = ec2Id("cvpn-assoc");
  v.associations.set(id, { id, subnetId: sub.id, vpcId: vpc.id, az: sub.az });
  v.routes.push({ cidr: vpc.cidr, subnetId: sub.id, origin: "associate", type: "Nat" });
  return { AssociationId: id, Status: { Code: "associating" } };
}

function overlap(a: string, b: string) {
  const x = parseCidr(a)!;
  const y = parseCidr(b)!;
  const bits = Math.min(x.bits, y.bits);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (x.base & mask) >>> 0 === (y.base & mask) >>> 0;
}

export function DisassociateClientVpnTargetNetwork(ctx: Ctx, input: Input) {
  const { f } = fam(ctx);
  const v = getEndpoint(f, String(input.ClientVpnEndpointId));
  const a = v.associations.get(String(input.AssociationId));
  if (!a) throw e("InvalidClientVpnAssociationId.NotFound", `Association ${input.AssociationId} does not exist`);
  dryRun(input);
  v.associations.delete(a.id);
  v.routes = v.routes.filter((r) => r.subnetId !== a.subnetId);
  return { AssociationId: a.id, Status: { Code: "disassociating" } };
}

export function DescribeClientVpnTargetNetworks(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f } = fam(ctx);
  const v = getEndpoint(f, String(input.ClientVpnEndpointId));
  const ids = list(input.AssociationIds);
  const rows = [...v.associations.values()].filter((a) => !ids.length || ids.includes(a.id)).map((a) => ({ ...a, tags: new Map<string, string>() }));
  const r = select(rows, input, { "association-id": (a) => a.id, "target-network-id": (a) => a.subnetId, "vpc-id": (a) => a.vpcId }, (a) => a.id, {
    paginate: true,
  });
  const zoneId = (az: string) => zonesOf(s.region).find((z) => z.name === az)?.id;
  return {
    ClientVpnTargetNetworks: r.items.map((a) => ({
      AssociationId: a.id,
      VpcId: a.vpcId,
      TargetNetworkId: a.subnetId,
      ClientVpnEndpointId: v.id,
      Status: { Code: "associated" },
      SecurityGroups: v.groups,
      AvailabilityZones: [a.az],
      AvailabilityZoneIds: [zoneId(a.az)].filter((z): z is string => z !== undefined),
    })),
    NextToken: r.nextToken,
  };
}

export function ApplySecurityGroupsToClientVpnTargetNetwork(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const v = getEndpoint(f, String(input.ClientVpnEndpointId));
  const vpc = getVpc(s, String(input.VpcId));
  if (v.vpcId && v.vpcId !== vpc.id) throw Ec2Errors.invalidValue(`Endpoint ${v.id} is associated with VPC ${v.vpcId}, not ${vpc.id}.`);
  const groups = list(input.SecurityGroupIds);
  checkGroups(s, vpc.id, groups);
  dryRun(input);
  v.vpcId = vpc.id;
  v.groups = groups;
  return { SecurityGroupIds: groups };
}

// ---------------------------------------------------------------- routes

export function CreateClientVpnRoute(ctx: Ctx, input: Input) {
  const { f } = fam(ctx);
  const v = getEndpoint(f, String(input.ClientVpnEndpointId));
  const cidr = String(input.DestinationCidrBlock);
  const p = parseCidr(cidr);
  if (!p) throw Ec2Errors.invalidValue(`Invalid CIDR ${cidr}`);
  const target = String(input.TargetVpcSubnetId ?? "");
  const local = target === "local";
  if (!local && ![...v.associations.values()].some((a) => a.subnetId === target))
    throw Ec2Errors.invalidValue(`Subnet ${target} is not associated with Client VPN endpoint ${v.id}.`);
  if (v.routes.some((r) => r.cidr === cidr && r.subnetId === target)) throw e("InvalidClientVpnDuplicateRoute", "Route already exists");
  dryRun(input);
  v.routes.push({ cidr, subnetId: target, origin: "add-route", type: local ? "local" : "Nat", description: input.Description });
  return { Status: { Code: "creating" } };
}

export function DeleteClientVpnRoute(ctx: Ctx, input: Input) {
  const { f } = fam(ctx);
  const v = getEndpoint(f, String(input.ClientVpnEndpointId));
  const cidr = String(input.DestinationCidrBlock);
  const target = input.TargetVpcSubnetId;
  const hit = v.routes.filter((r) => r.cidr === cidr && (target === undefined || r.subnetId === target));
  if (!hit.length) throw e("InvalidClientVpnRouteNotFound", `Route with destination ${cidr} does not exist`);
  if (hit.some((r) => r.origin === "associate"))
    throw Ec2Errors.invalidValue("Routes created by a target network association are removed by disassociating the target network.");
  dryRun(input);
  v.routes = v.routes.filter((r) => !hit.includes(r));
  return { Status: { Code: "deleting" } };
}

export function DescribeClientVpnRoutes(ctx: Ctx, input: Input) {
  dryRun(input);
  const { f } = fam(ctx);
  const v = getEndpoint(f, String(input.ClientVpnEndpointId));
  const rows = v.routes.map((r) => ({ ...r, tags: new Map<string, string>() }));
  const r = select(
    rows,
    input,
    { "destination-cidr": (x) => x.cidr, origin: (x) => x.origin, "target-subnet": (x) => x.subnetId },
    (x) => `${x.cidr}|${x.subnetId}`,
    { paginate: true },
  );
  return {
    Routes: r.items.map((x) => ({
      ClientVpnEndpointId: v.id,
      DestinationCidr: x.cidr,
      TargetSubnet: x.subnetId,
      Type: x.type,
      Origin: x.origin,
      Status: { Code: "active" },
      Description: x.description,
    })),
    NextToken: r.nextToken,
  };
}

// ---------------------------------------------------------------- authorization rules

export function AuthorizeClientVpnIngress(ctx: Ctx, input: Input) {
  const { f } = fam(ctx);
  const v = getEndpoint(f, String(input.ClientVpnEndpointId));
  const cidr = String(input.TargetNetworkCidr);
  if (!parseCidr(cidr)) throw Ec2Errors.invalidValue(`Invalid CIDR ${cidr}`);
  const all = input.AuthorizeAllGroups === true;
  if (all === (input.AccessGroupId !== undefined)) throw Ec2Errors.invalidCombination("Specify either AccessGroupId or AuthorizeAllGroups.");
  if (v.rules.some((r) => r.cidr === cidr && r.all === all && r.groupId === input.AccessGroupId))
    throw e("InvalidClientVpnDuplicateAuthorizationRule", "Authorization rule already exists");
  dryRun(input);
  v.rules.push({ cidr, groupId: input.AccessGroupId, all, description: input.Description });
  return { Status: { Code: "authorizing" } };
}

export function RevokeClientVpnIngress(ctx: Ctx, input: Input) {
  const { f } = fam(ctx);
  const v = getEndpoint(f, String(input.ClientVpnEndpointId));
  const cidr = String(input.TargetNetworkCidr);
  const all = input.RevokeAllGroups === true;
  const hit = v.rules.filter((r) => r.cidr === cidr && (all ? true : r.groupId === input.AccessGroupId));
  if (!hit.length) throw e("InvalidClientVpnEndpointAuthorizationRuleNotFound", `Authorization rule for ${cidr} does not exist`);
  dryRun(input);
  v.rules = v.rules.filter((r) => !hit.includes(r));
  return { Status: { Code: "revoking" } };
}

export function DescribeClientVpnAuthorizationRules(ctx: Ctx, input: Input) {
  dryRun(input);
  const { f } = fam(ctx);
  const v = getEndpoint(f, String(input.ClientVpnEndpointId));
  const rows = v.rules.map((x) => ({ ...x, tags: new Map<string, string>() }));
  const r = select(
    rows,
    input,
    { description: (x) => x.description, "destination-cidr": (x) => x.cidr, "group-id": (x) => x.groupId },
    (x) => `${x.cidr}|${x.groupId ?? "*"}`,
    { paginate: true },
  );
  return {
    AuthorizationRules: r.items.map((x) => ({
      ClientVpnEndpointId: v.id,
      Description: x.description,
      GroupId: x.groupId ?? "",
      AccessAll: x.all,
      DestinationCidr: x.cidr,
      Status: { Code: "active" },
    })),
    NextToken: r.nextToken,
  };
}

// ---------------------------------------------------------------- connections and configuration

export function DescribeClientVpnConnections(ctx: Ctx, input: Input) {
  dryRun(input);
  const { f } = fam(ctx);
  getEndpoint(f, String(input.ClientVpnEndpointId));
  const r = select(
    [] as Array<{ id: string; user: string; tags: Map<string, string> }>,
    input,
    { "connection-id": (x) => x.id, username: (x) => x.user },
    (x) => x.id,
    {
      paginate: true,
    },
  );
  return { Connections: r.items, NextToken: r.nextToken };
}

export function TerminateClientVpnConnections(ctx: Ctx, input: Input) {
  const { f } = fam(ctx);
  const v = getEndpoint(f, String(input.ClientVpnEndpointId));
  if (input.ConnectionId === undefined && input.Username === undefined) throw Ec2Errors.missing("ConnectionId or Username");
  if (input.ConnectionId !== undefined) throw e("InvalidClientVpnConnection.IdNotFound", `Connection ${input.ConnectionId} does not exist`);
  dryRun(input);
  return { ClientVpnEndpointId: v.id, Username: input.Username, ConnectionStatuses: [] };
}

export function ExportClientVpnClientConfiguration(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const v = getEndpoint(f, String(input.ClientVpnEndpointId));
  dryRun(input);
  const host = dnsName(s, v).slice(2);
  const lines = [
    "client",
    "dev tun",
    `proto ${v.transport}`,
    `remote ${host} ${v.port}`,
    "remote-random-hostname",
    "resolv-retry infinite",
    "nobind",
    "remote-cert-tls server",
    "cipher AES-256-GCM",
    "verb 3",
    `# server certificate: ${v.serverCertificateArn} (the simulator holds no certificate bodies; add its chain in a <ca> block)`,
    ...(v.auth.some((a) => a.Type === "federated-authentication") ? ["auth-user-pass", "auth-federate", "auth-retry interact", "auth-nocache"] : []),
    "reneg-sec 0",
    "",
  ];
  return { ClientConfiguration: lines.join("\n") };
}

// ---------------------------------------------------------------- certificate revocation list

const CRL = /^-----BEGIN X509 CRL-----[\s\S]+-----END X509 CRL-----\s*$/;

export function ImportClientVpnClientCertificateRevocationList(ctx: Ctx, input: Input) {
  const { f } = fam(ctx);
  const v = getEndpoint(f, String(input.ClientVpnEndpointId));
  const crl = String(input.CertificateRevocationList);
  if (!CRL.test(crl.trim())) throw Ec2Errors.invalidValue("The certificate revocation list is not a valid PEM-encoded X.509 CRL.");
  dryRun(input);
  v.crl = crl;
  return { Return: true };
}

export function ExportClientVpnClientCertificateRevocationList(ctx: Ctx, input: Input) {
  const { f } = fam(ctx);
  const v = getEndpoint(f, String(input.ClientVpnEndpointId));
  dryRun(input);
  return { CertificateRevocationList: v.crl, Status: v.crl ? { Code: "active" } : undefined };
}
