/**
 * Site-to-Site VPN extras over the VPN connections of ../more/vpn.ts: tunnel status (provisioned, never
 * negotiated: no IKE peer ever connects, so no negotiated algorithms are reported), tunnel replacement and
 * its maintenance status, tunnel certificate rotation (certificate-based customer gateways only), and VPN
 * concentrators (a transit gateway attachment of type vpn-concentrator) with the BGP VPN connections on them.
 */
import type { Ctx, Handler } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { applyTagSpec, dropTags, dryRun, list, select, tagsOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { moreOperations } from "../more/index.js";
import type { MoreState, TgwAttachmentRec, VpnConnectionRec } from "../more/state.js";
import { attachDefaults, detachEverywhere, getTgw } from "../more/tgw.js";
import { vpnState } from "../more/vpn.js";
import { type TransitState, type VpnConcentratorRec, tr } from "./state.js";

const e = Ec2Errors.custom;

const vpnNotFound = (id: string) => e("InvalidVpnConnectionID.NotFound", `The vpnConnection ID '${id}' does not exist`);
export const concentratorNotFound = (id: string) => e("InvalidVpnConcentratorId.NotFound", `The VPN concentrator ID '${id}' does not exist`);

function tunnel(m: MoreState, input: Input): { v: VpnConnectionRec; ip: string; i: number } {
  const id = String(input.VpnConnectionId);
  const v = m.vpns.get(id);
  if (!v) throw vpnNotFound(id);
  const ip = String(input.VpnTunnelOutsideIpAddress);
  const i = v.tunnels.findIndex((t) => t.outside === ip);
  if (i < 0) throw Ec2Errors.invalidValue(`The VPN tunnel outside IP address ${ip} does not belong to VPN connection ${v.id}.`);
  return { v, ip, i };
}

export function GetActiveVpnTunnelStatus(ctx: Ctx, input: Input) {
  const { m } = tr(ctx);
  tunnel(m, input);
  dryRun(input);
  return { ActiveVpnTunnelStatus: { ProvisioningStatus: "available" } };
}

const maintenanceKey = (v: VpnConnectionRec, ip: string) => `${v.id}|${ip}`;

export function GetVpnTunnelReplacementStatus(ctx: Ctx, input: Input) {
  const { m, t } = tr(ctx);
  const { v, ip } = tunnel(m, input);
  dryRun(input);
  const rec = t.tunnelMaintenance.get(maintenanceKey(v, ip));
  return {
    VpnConnectionId: v.id,
    TransitGatewayId: v.tgwId,
    CustomerGatewayId: v.cgwId,
    VpnGatewayId: v.vgwId,
    VpnTunnelOutsideIpAddress: ip,
    MaintenanceDetails: { PendingMaintenance: "None", LastMaintenanceApplied: rec?.lastApplied },
  };
}

/** The tunnel endpoint is replaced (same outside address, same options); the replacement is recorded as applied maintenance. */
export function ReplaceVpnTunnel(ctx: Ctx, input: Input) {
  const { m, t } = tr(ctx);
  const { v, ip } = tunnel(m, input);
  const state = vpnState(v, ctx.config.transitionDelayMs, ctx.now().getTime());
  if (state !== "available") throw e("IncorrectState", `VPN connection ${v.id} is in ${state} state.`);
  dryRun(input);
  const k = maintenanceKey(v, ip);
  t.tunnelMaintenance.set(k, { ...t.tunnelMaintenance.get(k), lastApplied: ctx.now() });
  return { Return: true };
}

export async function ModifyVpnTunnelCertificate(ctx: Ctx, input: Input) {
  const { m, t } = tr(ctx);
  const { v, ip } = tunnel(m, input);
  if (!m.cgws.get(v.cgwId)?.certificateArn)
    throw Ec2Errors.invalidValue(`VPN connection ${v.id} does not use certificate-based authentication: its customer gateway has no certificate.`);
  dryRun(input);
  const k = maintenanceKey(v, ip);
  t.tunnelMaintenance.set(k, { ...t.tunnelMaintenance.get(k), certificateRotated: ctx.now() });
  const out = await DescribeVpnConnections(ctx, { VpnConnectionIds: [v.id] });
  return { VpnConnection: { ...out.VpnConnections[0], State: "modifying" } };
}

// ---------------------------------------------------------------- VPN concentrators

const view = (x: VpnConcentratorRec, state = x.state) => ({
  VpnConcentratorId: x.id,
  State: state,
  TransitGatewayId: x.tgwId,
  TransitGatewayAttachmentId: x.attachmentId,
  Type: x.type,
  Tags: tagsOf(x),
});

function getConcentrator(t: TransitState, id: string): VpnConcentratorRec {
  const x = t.vpnConcentrators.get(id);
  if (!x) throw concentratorNotFound(id);
  return x;
}

export function CreateVpnConcentrator(ctx: Ctx, input: Input) {
  const { s, m, t } = tr(ctx);
  if (input.TransitGatewayId === undefined) throw Ec2Errors.missing("TransitGatewayId");
  const g = getTgw(s, String(input.TransitGatewayId));
  dryRun(input);
  const id = ec2Id("vcn");
  const a: TgwAttachmentRec = {
    id: ec2Id("tgw-attach"),
    tgwId: g.id,
    resourceType: "vpn-concentrator" as TgwAttachmentRec["resourceType"],
    resourceId: id,
    subnetIds: [],
    options: { DnsSupport: "disable", SecurityGroupReferencingSupport: "disable", Ipv6Support: "disable", ApplianceModeSupport: "disable" },
    state: "available",
    createTime: ctx.now(),
    tags: new Map(),
  };
  m.tgwAttachments.set(a.id, a);
  attachDefaults(s, m, a);
  const x: VpnConcentratorRec = { id, type: String(input.Type), tgwId: g.id, attachmentId: a.id, state: "available", tags: new Map() };
  t.vpnConcentrators.set(id, x);
  applyTagSpec(s, input, "vpn-concentrator", id, x);
  return { VpnConcentrator: view(x, "pending") };
}

/** A VPN connection on a concentrator rides on the concentrator's transit gateway attachment (BGP routing only). */
export async function CreateVpnConnection(ctx: Ctx, input: Input) {
  const more = moreOperations.CreateVpnConnection as Handler;
  if (input.VpnConcentratorId === undefined) return more(ctx, input);
  const { m, t } = tr(ctx);
  const c = getConcentrator(t, String(input.VpnConcentratorId));
  if (input.VpnGatewayId !== undefined || input.TransitGatewayId !== undefined)
    throw Ec2Errors.invalidCombination("The parameter VpnConcentratorId cannot be used with the parameters VpnGatewayId or TransitGatewayId");
  if (input.Options?.StaticRoutesOnly === true)
    throw Ec2Errors.invalidCombination("VPN connections on a VPN concentrator use dynamic routing (BGP); StaticRoutesOnly cannot be true.");
  const out = (await more(ctx, { ...input, VpnConcentratorId: undefined, TransitGatewayId: c.tgwId })) as { VpnConnection: Input };
  const v = m.vpns.get(String(out.VpnConnection.VpnConnectionId));
  if (v?.attachmentId) {
    detachEverywhere(m, v.attachmentId);
    m.tgwAttachments.delete(v.attachmentId);
    v.attachmentId = undefined;
  }
  if (v) t.concentratorVpns.set(v.id, c.id);
  return { VpnConnection: { ...out.VpnConnection, VpnConcentratorId: c.id } };
}

/** ../more/vpn.ts describes the connections; those on a concentrator name it. */
export async function DescribeVpnConnections(ctx: Ctx, input: Input) {
  const { t } = tr(ctx);
  const out = (await (moreOperations.DescribeVpnConnections as Handler)(ctx, input)) as { VpnConnections: Input[] };
  return {
    ...out,
    VpnConnections: out.VpnConnections.map((v) => {
      const c = t.concentratorVpns.get(String(v.VpnConnectionId));
      return c ? { ...v, VpnConcentratorId: c } : v;
    }),
  };
}

export function DeleteVpnConcentrator(ctx: Ctx, input: Input) {
  const { s, m, t } = tr(ctx);
  const x = getConcentrator(t, String(input.VpnConcentratorId));
  const vpns = [...t.concentratorVpns].filter(([, c]) => c === x.id).map(([v]) => v);
  if (vpns.length) throw e("IncorrectState", `VPN concentrator ${x.id} has VPN connections: ${vpns.join(", ")}.`);
  dryRun(input);
  if (x.attachmentId) {
    detachEverywhere(m, x.attachmentId);
    for (const p of t.policyTables.values()) p.associations.delete(x.attachmentId);
    m.tgwAttachments.delete(x.attachmentId);
  }
  dropTags(s, x.id, x);
  t.vpnConcentrators.delete(x.id);
  return { Return: true };
}

export function DescribeVpnConcentrators(ctx: Ctx, input: Input) {
  dryRun(input);
  const { t } = tr(ctx);
  const ids = list(input.VpnConcentratorIds);
  for (const id of ids) getConcentrator(t, id);
  const r = select(
    ids.length ? ids.map((id) => t.vpnConcentrators.get(id)!) : [...t.vpnConcentrators.values()],
    input,
    {
      "vpn-concentrator-id": (x) => x.id,
      state: (x) => x.state,
      "transit-gateway-id": (x) => x.tgwId,
      "transit-gateway-attachment-id": (x) => x.attachmentId,
      type: (x) => x.type,
    },
    (x) => x.id,
    { paginate: true, min: 200, max: 1000 },
  );
  return { VpnConcentrators: r.items.map((x) => view(x)), NextToken: r.nextToken };
}
