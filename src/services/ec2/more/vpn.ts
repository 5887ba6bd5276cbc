/**
 * Customer gateways and Site-to-Site VPN connections (to a virtual private gateway or a transit gateway,
 * which then gets a "vpn" attachment), two tunnels each with outside addresses, inside /30 blocks and
 * pre-shared keys, the customer gateway configuration document, static routes. No tunnel comes up.
 * A new connection is pending and a deleted one (or a deleted customer gateway) deleting for
 * config.transitionDelayMs (computed on read; available / deleted at once in fake mode), as AWS's take minutes.
 */
import { randomBytes } from "node:crypto";
import type { Ctx } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { applyTagSpec, dropTags, dryRun, list, parseCidr, randomPublicIp, select, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import type { Ec2State } from "../state.js";
import { both, type CustomerGatewayRec, type MoreState, type TgwAttachmentRec, tombstones, type VpnConnectionRec } from "./state.js";
import { attachDefaults, ctxTgw, detachEverywhere, getTgw } from "./tgw.js";

const e = Ec2Errors.custom;
const tags = (r: { tags: Map<string, string> }) => [...r.tags].map(([Key, Value]) => ({ Key, Value }));
const cgwNotFound = (id: string) => e("InvalidCustomerGatewayID.NotFound", `The customerGateway ID '${id}' does not exist`);
const vpnNotFound = (id: string) => e("InvalidVpnConnectionID.NotFound", `The vpnConnection ID '${id}' does not exist`);

const deletedCgws = (m: MoreState, now: number, add?: CustomerGatewayRec) => tombstones((m.deletedCgws ??= new Map()), now, add);
const deletedVpns = (m: MoreState, now: number, add?: VpnConnectionRec) => tombstones((m.deletedVpns ??= new Map()), now, add);

/** A VPN connection's state now: pending until the transition delay has passed since its creation, deleting as long after its deletion. */
export function vpnState(v: VpnConnectionRec & { deletedAt?: number }, delayMs: number, now: number): string {
  if (v.deletedAt !== undefined) return now - v.deletedAt < delayMs ? "deleting" : "deleted";
  return v.state === "available" && now - v.createTime.getTime() < delayMs ? "pending" : v.state;
}

// ---------------------------------------------------------------- customer gateways

const cgwView = (g: CustomerGatewayRec, state = g.state) => ({
  CustomerGatewayId: g.id,
  BgpAsn: g.bgpAsn,
  BgpAsnExtended: Number(g.bgpAsn) > 2147483647 ? g.bgpAsn : undefined,
  IpAddress: g.ipAddress,
  Type: g.type,
  State: state,
  DeviceName: g.deviceName,
  CertificateArn: g.certificateArn,
  Tags: tags(g),
});

function getCgw(m: MoreState, id: string): CustomerGatewayRec {
  const g = m.cgws.get(id);
  if (!g) throw cgwNotFound(id);
  return g;
}

export function CreateCustomerGateway(ctx: Ctx, input: Input) {
  const { s, m } = both(ctx);
  const ip = input.IpAddress ?? input.PublicIp;
  if (ip !== undefined && !parseCidr(`${ip}/32`)) throw Ec2Errors.invalidValue(`Value (${ip}) for parameter ipAddress is invalid. Invalid Format.`);
  if (input.BgpAsn !== undefined && input.BgpAsnExtended !== undefined)
    throw Ec2Errors.invalidCombination("Only one of BgpAsn and BgpAsnExtended can be specified.");
  const asn = String(input.BgpAsnExtended ?? input.BgpAsn ?? 65000);
  dryRun(input);
  // AWS answers an identical request with the existing gateway.
  const same = [...m.cgws.values()].find((g) => g.ipAddress === String(ip ?? "") && g.bgpAsn === asn && g.type === input.Type && g.state === "available");
  if (same && !input.CertificateArn) return { CustomerGateway: cgwView(same) };
  const g: CustomerGatewayRec = {
    id: ec2Id("cgw"),
    bgpAsn: asn,
    ipAddress: String(ip ?? ""),
    type: String(input.Type),
    deviceName: input.DeviceName,
    certificateArn: input.CertificateArn,
    state: "available",
    tags: new Map(),
  };
  m.cgws.set(g.id, g);
  applyTagSpec(s, input, "customer-gateway", g.id, g);
  return { CustomerGateway: cgwView(g) };
}

export function DeleteCustomerGateway(ctx: Ctx, input: Input) {
  const { s, m } = both(ctx);
  const g = getCgw(m, String(input.CustomerGatewayId));
  const inUse = [...m.vpns.values()].find((v) => v.cgwId === g.id);
  if (inUse) throw e("IncorrectState", `The customer gateway ${g.id} is in use by VPN connection ${inUse.id}.`);
  dryRun(input);
  deletedCgws(m, ctx.now().getTime(), { ...g, tags: new Map(g.tags) });
  dropTags(s, g.id, g);
  m.cgws.delete(g.id);
  return {};
}

export function DescribeCustomerGateways(ctx: Ctx, input: Input) {
  dryRun(input);
  const { m } = both(ctx);
  const now = ctx.now().getTime();
  const gone = deletedCgws(m, now);
  // A deleted gateway is deleting for the transition delay, then deleted.
  const state = (g: CustomerGatewayRec & { deletedAt?: number }) =>
    g.deletedAt !== undefined && now - g.deletedAt < ctx.config.transitionDelayMs ? "deleting" : g.state;
  const ids = list(input.CustomerGatewayIds);
  for (const id of ids) if (!gone.has(id)) getCgw(m, id);
  const r = select(
    ids.length ? ids.map((id) => m.cgws.get(id) ?? gone.get(id)!) : [...m.cgws.values(), ...gone.values()],
    input,
    {
      "bgp-asn": (g) => g.bgpAsn,
      "customer-gateway-id": (g) => g.id,
      "ip-address": (g) => g.ipAddress,
      state,
      type: (g) => g.type,
    },
    (g) => g.id,
  );
  return { CustomerGateways: r.items.map((g) => cgwView(g, state(g))) };
}

// ---------------------------------------------------------------- VPN connections

const psk = () =>
  randomBytes(24)
    .toString("base64")
    .replace(/[^A-Za-z0-9]/g, "")
    .slice(0, 32)
    .replace(/^[0-9]/, "k");

function insideCidr(): string {
  const n = Math.floor(Math.random() * 16384) * 4;
  return `169.254.${(n >> 8) & 255}.${n & 255}/30`;
}

const hostOf = (cidr: string, k: number) => {
  const [ip] = cidr.split("/");
  const o = ip!.split(".").map(Number);
  o[3] = o[3]! + k;
  return o.join(".");
};

function configuration(s: Ec2State, m: MoreState, v: VpnConnectionRec): string {
  const cgw = m.cgws.get(v.cgwId);
  const vgw = v.vgwId ? s.vgws.get(v.vgwId) : undefined;
  const tgw = v.tgwId ? s.tgws.get(v.tgwId) : undefined;
  const awsAsn = vgw?.asn ?? tgw?.asn ?? 64512;
  const tunnel = (t: VpnConnectionRec["tunnels"][number]) => {
    const side = (ip: string, inside: string, asn: string | number) =>
      `<tunnel_outside_address><ip_address>${ip}</ip_address></tunnel_outside_address><tunnel_inside_address><ip_address>${inside}</ip_address><network_mask>255.255.255.252</network_mask><network_cidr>30</network_cidr></tunnel_inside_address>${
        v.staticRoutesOnly ? "" : `<bgp><asn>${asn}</asn><hold_time>10</hold_time></bgp>`
      }`;
    return (
      `<ipsec_tunnel><customer_gateway>${side(cgw?.ipAddress ?? "", hostOf(t.inside, 2), cgw?.bgpAsn ?? 65000)}</customer_gateway>` +
      `<vpn_gateway>${side(t.outside, hostOf(t.inside, 1), awsAsn)}</vpn_gateway>` +
      `<ike><authentication_protocol>sha1</authentication_protocol><encryption_protocol>aes-128-cbc</encryption_protocol><lifetime>28800</lifetime><perfect_forward_secrecy>group2</perfect_forward_secrecy><mode>main</mode><pre_shared_key>${t.psk}</pre_shared_key></ike>` +
      `<ipsec><protocol>esp</protocol><authentication_protocol>hmac-sha1-96</authentication_protocol><encryption_protocol>aes-128-cbc</encryption_protocol><lifetime>3600</lifetime><perfect_forward_secrecy>group2</perfect_forward_secrecy><mode>tunnel</mode><clear_df_bit>true</clear_df_bit><fragmentation_before_encryption>true</fragmentation_before_encryption><tcp_mss_adjustment>1379</tcp_mss_adjustment><dead_peer_detection><delay>10</delay><retries>3</retries></dead_peer_detection></ipsec></ipsec_tunnel>`
    );
  };
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<vpn_connection id="${v.id}"><customer_gateway_id>${v.cgwId}</customer_gateway_id>` +
    `<vpn_gateway_id>${v.vgwId ?? ""}</vpn_gateway_id><vpn_connection_type>${v.type}</vpn_connection_type>${v.tunnels.map(tunnel).join("")}</vpn_connection>`
  );
}

const vpnView = (s: Ec2State, m: MoreState, v: VpnConnectionRec, state = v.state) => ({
  VpnConnectionId: v.id,
  CustomerGatewayId: v.cgwId,
  VpnGatewayId: v.vgwId,
  TransitGatewayId: v.tgwId,
  Type: v.type,
  State: state,
  Category: v.category,
  GatewayAssociationState: "associated",
  CustomerGatewayConfiguration: state === "deleted" ? undefined : configuration(s, m, v),
  Options: {
    EnableAcceleration: v.options.EnableAcceleration ?? false,
    StaticRoutesOnly: v.staticRoutesOnly,
    // An IPv6 tunnel (TunnelInsideIpVersion ipv6) shows IPv6 network CIDRs ("::/0" by default) instead of the IPv4
    // ones (create-vpn-connection's IPv6 example).
    ...(v.options.TunnelInsideIpVersion === "ipv6"
      ? { LocalIpv6NetworkCidr: v.options.LocalIpv6NetworkCidr ?? "::/0", RemoteIpv6NetworkCidr: v.options.RemoteIpv6NetworkCidr ?? "::/0" }
      : { LocalIpv4NetworkCidr: v.options.LocalIpv4NetworkCidr ?? "0.0.0.0/0", RemoteIpv4NetworkCidr: v.options.RemoteIpv4NetworkCidr ?? "0.0.0.0/0" }),
    TransportTransitGatewayAttachmentId: v.options.TransportTransitGatewayAttachmentId,
    OutsideIpAddressType: v.options.OutsideIpAddressType ?? "PublicIpv4",
    TunnelInsideIpVersion: v.options.TunnelInsideIpVersion ?? "ipv4",
    TunnelBandwidth: v.options.TunnelBandwidth ?? "standard",
    TunnelOptions: v.tunnels.map((t, i) => ({
      OutsideIpAddress: t.outside,
      TunnelInsideCidr: t.inside,
      PreSharedKey: t.psk,
      ...pickTunnel(v.options.TunnelOptions?.[i]),
    })),
  },
  Routes: [...v.routes].map(([DestinationCidrBlock, State]) => ({ DestinationCidrBlock, Source: "Static", State })),
  VgwTelemetry: v.tunnels.map((t) => ({
    OutsideIpAddress: t.outside,
    Status: "DOWN",
    LastStatusChange: v.createTime,
    StatusMessage: "",
    AcceptedRouteCount: 0,
  })),
  Tags: tags(v),
});

function pickTunnel(t: Input | undefined) {
  if (!t) return {};
  const out: Input = {};
  const rename: Record<string, string> = { DPDTimeoutSeconds: "DpdTimeoutSeconds", DPDTimeoutAction: "DpdTimeoutAction", IKEVersions: "IkeVersions" };
  for (const k of [
    "TunnelInsideIpv6Cidr",
    "Phase1LifetimeSeconds",
    "Phase2LifetimeSeconds",
    "RekeyMarginTimeSeconds",
    "RekeyFuzzPercentage",
    "ReplayWindowSize",
    "DPDTimeoutSeconds",
    "DPDTimeoutAction",
    "StartupAction",
    "EnableTunnelLifecycleControl",
    "Phase1EncryptionAlgorithms",
    "Phase2EncryptionAlgorithms",
    "Phase1IntegrityAlgorithms",
    "Phase2IntegrityAlgorithms",
    "Phase1DHGroupNumbers",
    "Phase2DHGroupNumbers",
    "IKEVersions",
    "LogOptions",
  ])
    if (t[k] !== undefined) out[rename[k] ?? k] = t[k];
  return out;
}

function checkTunnel(t: Input): void {
  if (t.TunnelInsideCidr !== undefined) {
    const c = parseCidr(String(t.TunnelInsideCidr));
    if (c?.bits !== 30 || !String(t.TunnelInsideCidr).startsWith("169.254."))
      throw Ec2Errors.invalidValue(
        `The tunnel inside cidr ${t.TunnelInsideCidr} is invalid. A size /30 CIDR block from the 169.254.0.0/16 range must be specified.`,
      );
  }
  if (t.PreSharedKey !== undefined && !/^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$/.test(String(t.PreSharedKey)))
    throw Ec2Errors.invalidValue(
      "The pre-shared key is invalid: it must be 8 to 64 characters of letters, digits, periods and underscores, and cannot start with zero.",
    );
}

function getVpn(m: MoreState, id: string): VpnConnectionRec {
  const v = m.vpns.get(id);
  if (!v) throw vpnNotFound(id);
  return v;
}

export function CreateVpnConnection(ctx: Ctx, input: Input) {
  const { s, m } = ctxTgw(ctx);
  const cgw = getCgw(m, String(input.CustomerGatewayId));
  if (input.VpnGatewayId && input.TransitGatewayId)
    throw Ec2Errors.invalidCombination("The parameter VpnGatewayId cannot be used with the parameter TransitGatewayId");
  if (!input.VpnGatewayId && !input.TransitGatewayId && !input.VpnConcentratorId) throw Ec2Errors.missing("VpnGatewayId or TransitGatewayId");
  if (input.VpnConcentratorId) throw e("InvalidVpnConcentratorId.NotFound", `The VPN concentrator ID '${input.VpnConcentratorId}' does not exist`);
  if (input.VpnGatewayId && !s.vgws.has(String(input.VpnGatewayId)))
    throw e("InvalidVpnGatewayID.NotFound", `The vpnGateway ID '${input.VpnGatewayId}' does not exist`);
  const tgw = input.TransitGatewayId ? getTgw(s, String(input.TransitGatewayId)) : undefined;
  const options = (input.Options ?? {}) as Input;
  const tunnelOpts: Input[] = options.TunnelOptions ?? [];
  if (tunnelOpts.length > 2) throw Ec2Errors.invalidValue("A VPN connection has two tunnels; at most two TunnelOptions can be given.");
  for (const t of tunnelOpts) checkTunnel(t);
  dryRun(input);
  const v: VpnConnectionRec = {
    id: ec2Id("vpn"),
    cgwId: cgw.id,
    vgwId: input.VpnGatewayId,
    tgwId: tgw?.id,
    type: String(input.Type),
    state: "available",
    staticRoutesOnly: options.StaticRoutesOnly === true,
    options,
    routes: new Map(),
    tunnels: [0, 1].map((i) => ({
      outside: randomPublicIp(),
      inside: tunnelOpts[i]?.TunnelInsideCidr ?? insideCidr(),
      psk: tunnelOpts[i]?.PreSharedKey ?? psk(),
    })),
    createTime: ctx.now(),
    category: "VPN",
    tags: new Map(),
  };
  m.vpns.set(v.id, v);
  applyTagSpec(s, input, "vpn-connection", v.id, v);
  if (tgw) {
    const a: TgwAttachmentRec = {
      id: ec2Id("tgw-attach"),
      tgwId: tgw.id,
      resourceType: "vpn",
      resourceId: v.id,
      subnetIds: [],
      options: { DnsSupport: "disable", SecurityGroupReferencingSupport: "disable", Ipv6Support: "disable", ApplianceModeSupport: "disable" },
      state: "available",
      createTime: v.createTime,
      tags: new Map(),
    };
    m.tgwAttachments.set(a.id, a);
    v.attachmentId = a.id;
    attachDefaults(s, m, a);
  }
  return { VpnConnection: vpnView(s, m, v, "pending") };
}

export function DeleteVpnConnection(ctx: Ctx, input: Input) {
  const { s, m } = ctxTgw(ctx);
  const v = getVpn(m, String(input.VpnConnectionId));
  dryRun(input);
  if (v.attachmentId) {
    detachEverywhere(m, v.attachmentId);
    m.tgwAttachments.delete(v.attachmentId);
  }
  deletedVpns(m, ctx.now().getTime(), { ...v, tags: new Map(v.tags), attachmentId: undefined });
  dropTags(s, v.id, v);
  m.vpns.delete(v.id);
  return {};
}

export function DescribeVpnConnections(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, m } = ctxTgw(ctx);
  const now = ctx.now().getTime();
  const gone = deletedVpns(m, now);
  const state = (v: VpnConnectionRec) => vpnState(v, ctx.config.transitionDelayMs, now);
  const ids = list(input.VpnConnectionIds);
  for (const id of ids) if (!gone.has(id)) getVpn(m, id);
  const r = select(
    ids.length ? ids.map((id) => m.vpns.get(id) ?? gone.get(id)!) : [...m.vpns.values(), ...gone.values()],
    input,
    {
      "customer-gateway-configuration": (v) => configuration(s, m, v),
      "customer-gateway-id": (v) => v.cgwId,
      state,
      "option.static-routes-only": (v) => v.staticRoutesOnly,
      "route.destination-cidr-block": (v) => [...v.routes.keys()],
      "bgp-asn": (v) => m.cgws.get(v.cgwId)?.bgpAsn,
      type: (v) => v.type,
      "vpn-connection-id": (v) => v.id,
      "vpn-gateway-id": (v) => v.vgwId,
      "transit-gateway-id": (v) => v.tgwId,
    },
    (v) => v.id,
  );
  return { VpnConnections: r.items.map((v) => vpnView(s, m, v, state(v))) };
}

export function ModifyVpnConnection(ctx: Ctx, input: Input) {
  const { s, m } = ctxTgw(ctx);
  const v = getVpn(m, String(input.VpnConnectionId));
  const cgw = input.CustomerGatewayId ? getCgw(m, String(input.CustomerGatewayId)) : undefined;
  if (input.VpnGatewayId && input.TransitGatewayId)
    throw Ec2Errors.invalidCombination("The parameter VpnGatewayId cannot be used with the parameter TransitGatewayId");
  if (input.VpnGatewayId && !s.vgws.has(String(input.VpnGatewayId)))
    throw e("InvalidVpnGatewayID.NotFound", `The vpnGateway ID '${input.VpnGatewayId}' does not exist`);
  const tgw = input.TransitGatewayId ? getTgw(s, String(input.TransitGatewayId)) : undefined;
  dryRun(input);
  if (cgw) v.cgwId = cgw.id;
  if (input.VpnGatewayId || tgw) {
    if (v.attachmentId) {
      detachEverywhere(m, v.attachmentId);
      m.tgwAttachments.delete(v.attachmentId);
      v.attachmentId = undefined;
    }
    v.vgwId = input.VpnGatewayId;
    v.tgwId = tgw?.id;
    if (tgw) {
      const a: TgwAttachmentRec = {
        id: ec2Id("tgw-attach"),
        tgwId: tgw.id,
        resourceType: "vpn",
        resourceId: v.id,
        subnetIds: [],
        options: { DnsSupport: "disable", SecurityGroupReferencingSupport: "disable", Ipv6Support: "disable", ApplianceModeSupport: "disable" },
        state: "available",
        createTime: ctx.now(),
        tags: new Map(),
      };
      m.tgwAttachments.set(a.id, a);
      v.attachmentId = a.id;
      attachDefaults(s, m, a);
    }
  }
  return { VpnConnection: vpnView(s, m, v, "modifying") };
}

function routeChange(ctx: Ctx, input: Input, add: boolean) {
  const { m } = ctxTgw(ctx);
  const v = getVpn(m, String(input.VpnConnectionId));
  const cidr = String(input.DestinationCidrBlock);
  if (!parseCidr(cidr)) throw Ec2Errors.invalidValue(`Value (${cidr}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`);
  if (!v.staticRoutesOnly) throw e("InvalidVpnConnection.InvalidType", `The VPN connection ${v.id} does not use static routing.`);
  if (add) {
    if (v.routes.has(cidr)) throw e("RouteAlreadyExists", `The route identified by ${cidr} already exists.`);
    v.routes.set(cidr, "available");
  } else {
    if (!v.routes.has(cidr)) throw e("InvalidRoute.NotFound", `The route identified by ${cidr} does not exist.`);
    v.routes.delete(cidr);
  }
  return {};
}

export const CreateVpnConnectionRoute = (ctx: Ctx, input: Input) => routeChange(ctx, input, true);
export const DeleteVpnConnectionRoute = (ctx: Ctx, input: Input) => routeChange(ctx, input, false);

export function ModifyVpnConnectionOptions(ctx: Ctx, input: Input) {
  const { s, m } = ctxTgw(ctx);
  const v = getVpn(m, String(input.VpnConnectionId));
  for (const k of ["LocalIpv4NetworkCidr", "RemoteIpv4NetworkCidr"])
    if (input[k] !== undefined && !parseCidr(String(input[k])))
      throw Ec2Errors.invalidValue(`Value (${input[k]}) for parameter ${k} is invalid. This is not a valid CIDR block.`);
  dryRun(input);
  for (const k of ["LocalIpv4NetworkCidr", "RemoteIpv4NetworkCidr", "LocalIpv6NetworkCidr", "RemoteIpv6NetworkCidr", "TunnelBandwidth"])
    if (input[k] !== undefined) v.options[k] = input[k];
  return { VpnConnection: vpnView(s, m, v, "modifying") };
}

export function ModifyVpnTunnelOptions(ctx: Ctx, input: Input) {
  const { s, m } = ctxTgw(ctx);
  const v = getVpn(m, String(input.VpnConnectionId));
  const ip = String(input.VpnTunnelOutsideIpAddress);
  const i = v.tunnels.findIndex((t) => t.outside === ip);
  if (i < 0) throw Ec2Errors.invalidValue(`The VPN tunnel outside IP address ${ip} does not belong to VPN connection ${v.id}.`);
  const spec = (input.TunnelOptions ?? {}) as Input;
  checkTunnel(spec);
  dryRun(input);
  const tunnelOpts: Input[] = [...(v.options.TunnelOptions ?? [])];
  tunnelOpts[i] = { ...(tunnelOpts[i] ?? {}), ...spec };
  v.options = { ...v.options, TunnelOptions: tunnelOpts };
  if (spec.TunnelInsideCidr !== undefined) v.tunnels[i]!.inside = String(spec.TunnelInsideCidr);
  if (spec.PreSharedKey !== undefined) v.tunnels[i]!.psk = String(spec.PreSharedKey);
  return { VpnConnection: vpnView(s, m, v, "modifying") };
}
