/**
 * Transit gateway features over the gateways, attachments and route tables of ../vpc-links.ts and ../more/:
 * acceptance of VPC attachments (another account's VPC attached to the gateway waits for the owner's
 * acceptance unless the gateway auto-accepts shared attachments), Client VPN attachments (no Client VPN
 * endpoint attaches to a transit gateway here, so none exists), Connect attachments over a VPC transport attachment and their GRE/BGP peers, policy tables,
 * prefix list references, route table announcements over peering attachments, and metering policies.
 */
import type { Ctx, Handler } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { applyTagSpec, cidrContains, dropTags, dryRun, ipToString, list, parseCidr, select, tagsOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { moreOperations } from "../more/index.js";
import type { MoreState, TgwAttachmentRec, TgwRouteTableRec } from "../more/state.js";
import { attachDefaults, detachEverywhere, getTgw } from "../more/tgw.js";
import type { Ec2State } from "../state.js";
import { getPrefixList } from "../vpc-links.js";
import { type ConnectPeerRec, type MeteringPolicyRec, type PolicyTableRec, type TransitState, tr } from "./state.js";

const e = Ec2Errors.custom;
const PAGE = { paginate: true, min: 5, max: 1000 };

export const attNotFound = (id: string, kind = "") =>
  e("InvalidTransitGatewayAttachmentID.NotFound", `Transit Gateway ${kind}Attachment ${id} was deleted or does not exist.`);
const rtbNotFound = (id: string) => e("InvalidRouteTableID.NotFound", `Transit Gateway Route Table ${id} was deleted or does not exist.`);
export const peerNotFound = (id: string) =>
  e("InvalidTransitGatewayConnectPeerID.NotFound", `Transit Gateway Connect Peer ${id} was deleted or does not exist.`);
export const policyTableNotFound = (id: string) =>
  e("InvalidTransitGatewayPolicyTableId.NotFound", `Transit Gateway Policy Table ${id} was deleted or does not exist.`);
export const announcementNotFound = (id: string) =>
  e("InvalidTransitGatewayRouteTableAnnouncementId.NotFound", `Transit Gateway Route Table Announcement ${id} was deleted or does not exist.`);
export const meteringNotFound = (id: string) =>
  e("InvalidTransitGatewayMeteringPolicyId.NotFound", `Transit Gateway Metering Policy ${id} was deleted or does not exist.`);

export function getAtt(m: MoreState, id: string, kind = ""): TgwAttachmentRec {
  const a = m.tgwAttachments.get(id);
  if (!a) throw attNotFound(id, kind);
  return a;
}

function getRtb(m: MoreState, id: string): TgwRouteTableRec {
  const r = m.tgwRouteTables.get(id);
  if (!r) throw rtbNotFound(id);
  return r;
}

/** An id list of a Describe: every id must exist. */
function named<T>(map: Map<string, T>, ids: string[], missing: (id: string) => Error): T[] | undefined {
  if (!ids.length) return undefined;
  return ids.map((id) => {
    const x = map.get(id);
    if (!x) throw missing(id);
    return x;
  });
}

// ---------------------------------------------------------------- acceptance

const vpcAttView = (s: Ec2State, a: TgwAttachmentRec, state = a.state) => ({
  TransitGatewayAttachmentId: a.id,
  TransitGatewayId: a.tgwId,
  VpcId: a.resourceId,
  VpcOwnerId: a.vpcOwnerId ?? s.accountId,
  State: state,
  SubnetIds: a.subnetIds,
  CreationTime: a.createTime,
  Options: a.options,
  Tags: tagsOf(a),
});

function vpcAttachmentDecision(ctx: Ctx, input: Input, accept: boolean) {
  const { s, m } = tr(ctx);
  const a = getAtt(m, String(input.TransitGatewayAttachmentId), "VPC ");
  if (a.resourceType !== "vpc") throw attNotFound(a.id, "VPC ");
  if (a.state !== "pendingAcceptance")
    throw e("IncorrectState", `Transit Gateway Attachment ${a.id} is in ${a.state} state, and cannot be ${accept ? "accepted" : "rejected"}.`);
  dryRun(input);
  if (accept) {
    a.state = "available";
    attachDefaults(s, m, a);
    return { TransitGatewayVpcAttachment: vpcAttView(s, a, "pending") };
  }
  a.state = "rejected";
  return { TransitGatewayVpcAttachment: vpcAttView(s, a, "rejecting") };
}

export const AcceptTransitGatewayVpcAttachment = (ctx: Ctx, input: Input) => vpcAttachmentDecision(ctx, input, true);
export const RejectTransitGatewayVpcAttachment = (ctx: Ctx, input: Input) => vpcAttachmentDecision(ctx, input, false);

/** No Client VPN endpoint attaches to a transit gateway in awsim: every id names no Client VPN attachment. */
function clientVpnAttachment(ctx: Ctx, input: Input) {
  tr(ctx);
  throw attNotFound(String(input.TransitGatewayAttachmentId), "Client VPN ");
}
export const AcceptTransitGatewayClientVpnAttachment = clientVpnAttachment;
export const RejectTransitGatewayClientVpnAttachment = clientVpnAttachment;
export const DeleteTransitGatewayClientVpnAttachment = clientVpnAttachment;

// ---------------------------------------------------------------- Connect attachments

const connectView = (t: TransitState, a: TgwAttachmentRec, state = a.state) => {
  const c = t.connects.get(a.id)!;
  return {
    TransitGatewayAttachmentId: a.id,
    TransportTransitGatewayAttachmentId: c.transportId,
    TransitGatewayId: a.tgwId,
    State: state,
    CreationTime: a.createTime,
    Options: { Protocol: c.protocol },
    Tags: tagsOf(a),
  };
};

function getConnect(m: MoreState, t: TransitState, id: string): TgwAttachmentRec {
  const a = m.tgwAttachments.get(id);
  if (!a || !t.connects.has(id)) throw attNotFound(id, "Connect ");
  return a;
}

export function CreateTransitGatewayConnect(ctx: Ctx, input: Input) {
  const { s, m, t } = tr(ctx);
  const transport = getAtt(m, String(input.TransportTransitGatewayAttachmentId));
  if (transport.resourceType !== "vpc")
    throw Ec2Errors.invalidValue(`Transport Transit Gateway Attachment ${transport.id} must be a VPC or Direct Connect gateway attachment.`);
  if (transport.state !== "available") throw e("IncorrectState", `Transport Transit Gateway Attachment ${transport.id} is not in available state.`);
  dryRun(input);
  const a: TgwAttachmentRec = {
    id: ec2Id("tgw-attach"),
    tgwId: transport.tgwId,
    resourceType: "connect" as TgwAttachmentRec["resourceType"],
    resourceId: transport.id,
    subnetIds: [],
    options: { DnsSupport: "disable", SecurityGroupReferencingSupport: "disable", Ipv6Support: "disable", ApplianceModeSupport: "disable" },
    state: "available",
    createTime: ctx.now(),
    tags: new Map(),
  };
  m.tgwAttachments.set(a.id, a);
  t.connects.set(a.id, { attachmentId: a.id, transportId: transport.id, protocol: String(input.Options?.Protocol ?? "gre") });
  applyTagSpec(s, input, "transit-gateway-attachment", a.id, a);
  attachDefaults(s, m, a);
  return { TransitGatewayConnect: connectView(t, a, "pending") };
}

export function DeleteTransitGatewayConnect(ctx: Ctx, input: Input) {
  const { s, m, t } = tr(ctx);
  const a = getConnect(m, t, String(input.TransitGatewayAttachmentId));
  const peers = [...t.connectPeers.values()].filter((p) => p.attachmentId === a.id);
  if (peers.length) throw e("IncorrectState", `${a.id} has non-deleted Transit Gateway Connect Peers: ${peers.map((p) => p.id).join(", ")}.`);
  dryRun(input);
  const view = connectView(t, a, "deleting");
  detachEverywhere(m, a.id);
  for (const p of t.policyTables.values()) p.associations.delete(a.id);
  dropTags(s, a.id, a);
  m.tgwAttachments.delete(a.id);
  t.connects.delete(a.id);
  return { TransitGatewayConnect: view };
}

export function DescribeTransitGatewayConnects(ctx: Ctx, input: Input) {
  dryRun(input);
  const { m, t } = tr(ctx);
  const all = [...t.connects.keys()].map((id) => m.tgwAttachments.get(id)!);
  const ids = list(input.TransitGatewayAttachmentIds);
  for (const id of ids) getConnect(m, t, id);
  const r = select(
    ids.length ? all.filter((a) => ids.includes(a.id)) : all,
    input,
    {
      "options.protocol": (a) => t.connects.get(a.id)!.protocol,
      state: (a) => a.state,
      "transit-gateway-attachment-id": (a) => a.id,
      "transit-gateway-id": (a) => a.tgwId,
      "transport-transit-gateway-attachment-id": (a) => t.connects.get(a.id)!.transportId,
    },
    (a) => a.id,
    PAGE,
  );
  return { TransitGatewayConnects: r.items.map((a) => connectView(t, a)), NextToken: r.nextToken };
}

/** A VPC attachment under a Connect attachment cannot go first (then ../more/ deletes it). */
export function DeleteTransitGatewayVpcAttachment(ctx: Ctx, input: Input) {
  const { t } = tr(ctx);
  const id = String(input.TransitGatewayAttachmentId ?? "");
  const over = [...t.connects.values()].filter((c) => c.transportId === id);
  if (over.length) throw e("IncorrectState", `${id} has non-deleted Transit Gateway Connect Attachments: ${over.map((c) => c.attachmentId).join(", ")}.`);
  return (moreOperations.DeleteTransitGatewayVpcAttachment as Handler)(ctx, input);
}

/** An attachment is associated with a policy table or a route table, not both (then ../more/ associates it). */
export function AssociateTransitGatewayRouteTable(ctx: Ctx, input: Input) {
  const { t } = tr(ctx);
  const id = String(input.TransitGatewayAttachmentId ?? "");
  const pt = [...t.policyTables.values()].find((p) => p.associations.has(id));
  if (pt)
    throw e("Resource.AlreadyAssociated", `Transit Gateway Attachment ${id} is associated with Transit Gateway Policy Table ${pt.id}; disassociate it first.`);
  return (moreOperations.AssociateTransitGatewayRouteTable as Handler)(ctx, input);
}

/** A gateway with policy tables, multicast domains or metering policies cannot be deleted (then ../more/ checks attachments). */
export function DeleteTransitGateway(ctx: Ctx, input: Input) {
  const { s, t } = tr(ctx);
  const id = String(input.TransitGatewayId ?? "");
  if (s.tgws.has(id)) {
    const left = [
      ...[...t.policyTables.values()].filter((x) => x.tgwId === id).map((x) => x.id),
      ...[...t.multicastDomains.values()].filter((x) => x.tgwId === id).map((x) => x.id),
      ...[...t.meteringPolicies.values()].filter((x) => x.tgwId === id).map((x) => x.id),
    ];
    if (left.length) throw e("IncorrectState", `${id} has non-deleted resources: ${left.join(", ")}.`);
  }
  return (moreOperations.DeleteTransitGateway as Handler)(ctx, input);
}

// ---------------------------------------------------------------- Connect peers

/** Inside /29 blocks AWS reserves. */
const RESERVED_INSIDE = ["169.254.0.0/29", "169.254.1.0/29", "169.254.2.0/29", "169.254.3.0/29", "169.254.4.0/29", "169.254.5.0/29", "169.254.169.248/29"];

const peerView = (p: ConnectPeerRec, state = p.state) => {
  const v4 = p.insideCidrs.find((c) => parseCidr(c));
  const base = v4 ? parseCidr(v4)!.base : 0;
  return {
    TransitGatewayAttachmentId: p.attachmentId,
    TransitGatewayConnectPeerId: p.id,
    State: state,
    CreationTime: p.created,
    ConnectPeerConfiguration: {
      TransitGatewayAddress: p.tgwAddress,
      PeerAddress: p.peerAddress,
      InsideCidrBlocks: p.insideCidrs,
      Protocol: "gre",
      // The first address of the inside block is the appliance's; the second and third are the gateway's two BGP peers.
      BgpConfigurations: v4
        ? [2, 3].map((k) => ({
            TransitGatewayAsn: p.tgwAsn,
            PeerAsn: p.peerAsn,
            TransitGatewayAddress: ipToString(base + k),
            PeerAddress: ipToString(base + 1),
            BgpStatus: "down",
          }))
        : [],
    },
    Tags: tagsOf(p),
  };
};

function validIp(ip: string): boolean {
  return !!parseCidr(`${ip}/32`) || /^[0-9a-fA-F:]+$/.test(ip);
}

function insideCidrs(t: TransitState, tgwId: string, m: MoreState, cidrs: string[]): string[] {
  const v4 = cidrs.filter((c) => !c.includes(":"));
  const v6 = cidrs.filter((c) => c.includes(":"));
  if (v4.length !== 1 || v6.length > 1)
    throw Ec2Errors.invalidValue("InsideCidrBlocks must contain one IPv4 /29 block from 169.254.0.0/16 and at most one IPv6 /125 block from fd00::/8.");
  const c = parseCidr(v4[0]!);
  if (c?.bits !== 29 || !v4[0]!.startsWith("169.254."))
    throw Ec2Errors.invalidValue(`The inside CIDR block ${v4[0]} is invalid. A size /29 CIDR block from the 169.254.0.0/16 range must be specified.`);
  if (RESERVED_INSIDE.includes(`${ipToString(c.base)}/29`)) throw Ec2Errors.invalidValue(`The inside CIDR block ${v4[0]} is reserved and cannot be used.`);
  if (v6.length && !/^fd[0-9a-f]{2}:[0-9a-f:]*\/125$/i.test(v6[0]!))
    throw Ec2Errors.invalidValue(`The inside CIDR block ${v6[0]} is invalid. A size /125 CIDR block from the fd00::/8 range must be specified.`);
  for (const p of t.connectPeers.values()) {
    if (m.tgwAttachments.get(p.attachmentId)?.tgwId !== tgwId) continue;
    const clash = p.insideCidrs.find((x) => cidrs.some((y) => y.toLowerCase() === x.toLowerCase()));
    if (clash) throw Ec2Errors.invalidValue(`The inside CIDR block ${clash} is already in use by Transit Gateway Connect Peer ${p.id}.`);
  }
  return [`${ipToString(c.base)}/29`, ...v6];
}

/** The gateway's address: given (inside one of its CIDR blocks) or the first free one of its first IPv4 block. */
function gatewayAddress(s: Ec2State, t: TransitState, tgwId: string, given: string | undefined, v6: boolean): string {
  const blocks = list(s.tgws.get(tgwId)?.options.TransitGatewayCidrBlocks);
  if (!blocks.length)
    throw Ec2Errors.invalidValue(`Transit Gateway ${tgwId} has no CIDR blocks; add one with ModifyTransitGateway before creating a Connect peer.`);
  const used = new Set([...t.connectPeers.values()].map((p) => p.tgwAddress));
  if (given !== undefined) {
    const inside = blocks.some((b) =>
      parseCidr(b) && parseCidr(`${given}/32`) ? parseCidr(b)!.base === (parseCidr(`${given}/32`)!.base & maskOf(b)) >>> 0 : false,
    );
    if (!inside && !given.includes(":")) throw Ec2Errors.invalidValue(`The transit gateway address ${given} is not within the CIDR blocks of ${tgwId}.`);
    if (used.has(given)) throw Ec2Errors.invalidValue(`The transit gateway address ${given} is already in use.`);
    return given;
  }
  if (v6) throw Ec2Errors.missing("TransitGatewayAddress");
  for (const b of blocks) {
    const c = parseCidr(b);
    if (!c) continue;
    for (let i = 0; i < 2 ** (32 - c.bits); i++) {
      const ip = ipToString(c.base + i);
      if (!used.has(ip)) return ip;
    }
  }
  throw e("InsufficientFreeAddressesInSubnet", `No free address is left in the CIDR blocks of ${tgwId}.`);
}

function maskOf(cidr: string): number {
  const bits = parseCidr(cidr)!.bits;
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

export function CreateTransitGatewayConnectPeer(ctx: Ctx, input: Input) {
  const { s, m, t } = tr(ctx);
  const a = getConnect(m, t, String(input.TransitGatewayAttachmentId));
  const g = getTgw(s, a.tgwId);
  if ([...t.connectPeers.values()].filter((p) => p.attachmentId === a.id).length >= 4)
    throw e("TransitGatewayConnectPeerLimitExceeded", `Transit Gateway Connect Attachment ${a.id} already has the maximum of 4 Connect peers.`);
  const peerAddress = String(input.PeerAddress);
  if (!validIp(peerAddress)) throw Ec2Errors.invalidValue(`Value (${peerAddress}) for parameter PeerAddress is invalid.`);
  const cidrs = insideCidrs(t, g.id, m, list(input.InsideCidrBlocks));
  const tgwAddress = gatewayAddress(s, t, g.id, input.TransitGatewayAddress, peerAddress.includes(":"));
  if (tgwAddress.includes(":") !== peerAddress.includes(":"))
    throw Ec2Errors.invalidValue("The peer address and the transit gateway address must be of the same IP address family.");
  const peerAsn = Number(input.BgpOptions?.PeerAsn ?? g.asn);
  dryRun(input);
  const p: ConnectPeerRec = {
    id: ec2Id("tgw-connect-peer"),
    attachmentId: a.id,
    tgwAddress,
    peerAddress,
    insideCidrs: cidrs,
    peerAsn,
    tgwAsn: g.asn,
    state: "available",
    created: ctx.now(),
    tags: new Map(),
  };
  t.connectPeers.set(p.id, p);
  applyTagSpec(s, input, "transit-gateway-connect-peer", p.id, p);
  return { TransitGatewayConnectPeer: peerView(p, "pending") };
}

export function DeleteTransitGatewayConnectPeer(ctx: Ctx, input: Input) {
  const { s, t } = tr(ctx);
  const id = String(input.TransitGatewayConnectPeerId);
  const p = t.connectPeers.get(id);
  if (!p) throw peerNotFound(id);
  dryRun(input);
  dropTags(s, p.id, p);
  t.connectPeers.delete(p.id);
  return { TransitGatewayConnectPeer: peerView(p, "deleting") };
}

export function DescribeTransitGatewayConnectPeers(ctx: Ctx, input: Input) {
  dryRun(input);
  const { t } = tr(ctx);
  const r = select(
    named(t.connectPeers, list(input.TransitGatewayConnectPeerIds), peerNotFound) ?? [...t.connectPeers.values()],
    input,
    { state: (p) => p.state, "transit-gateway-attachment-id": (p) => p.attachmentId, "transit-gateway-connect-peer-id": (p) => p.id },
    (p) => p.id,
    PAGE,
  );
  return { TransitGatewayConnectPeers: r.items.map((p) => peerView(p)), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- policy tables

const ptView = (p: PolicyTableRec, state = p.state) => ({
  TransitGatewayPolicyTableId: p.id,
  TransitGatewayId: p.tgwId,
  State: state,
  CreationTime: p.created,
  Tags: tagsOf(p),
});

function getPolicyTable(t: TransitState, id: string): PolicyTableRec {
  const p = t.policyTables.get(id);
  if (!p) throw policyTableNotFound(id);
  return p;
}

export function CreateTransitGatewayPolicyTable(ctx: Ctx, input: Input) {
  const { s, t } = tr(ctx);
  const g = getTgw(s, String(input.TransitGatewayId));
  dryRun(input);
  const p: PolicyTableRec = { id: ec2Id("tgw-ptb"), tgwId: g.id, state: "available", created: ctx.now(), associations: new Set(), tags: new Map() };
  t.policyTables.set(p.id, p);
  applyTagSpec(s, input, "transit-gateway-policy-table", p.id, p);
  return { TransitGatewayPolicyTable: ptView(p, "pending") };
}

export function DeleteTransitGatewayPolicyTable(ctx: Ctx, input: Input) {
  const { s, t } = tr(ctx);
  const p = getPolicyTable(t, String(input.TransitGatewayPolicyTableId));
  if (p.associations.size) throw e("IncorrectState", `${p.id} has non-disassociated Transit Gateway Attachments: ${[...p.associations].join(", ")}.`);
  dryRun(input);
  dropTags(s, p.id, p);
  t.policyTables.delete(p.id);
  return { TransitGatewayPolicyTable: ptView(p, "deleting") };
}

export function DescribeTransitGatewayPolicyTables(ctx: Ctx, input: Input) {
  dryRun(input);
  const { t } = tr(ctx);
  const r = select(
    named(t.policyTables, list(input.TransitGatewayPolicyTableIds), policyTableNotFound) ?? [...t.policyTables.values()],
    input,
    { state: (p) => p.state, "transit-gateway-id": (p) => p.tgwId, "transit-gateway-policy-table-id": (p) => p.id },
    (p) => p.id,
    PAGE,
  );
  return { TransitGatewayPolicyTables: r.items.map((p) => ptView(p)), NextToken: r.nextToken };
}

function policyPair(ctx: Ctx, input: Input) {
  const { m, t } = tr(ctx);
  const p = getPolicyTable(t, String(input.TransitGatewayPolicyTableId));
  const a = getAtt(m, String(input.TransitGatewayAttachmentId));
  if (a.tgwId !== p.tgwId)
    throw Ec2Errors.invalidValue(`Transit Gateway Attachment ${a.id} and Transit Gateway Policy Table ${p.id} belong to different transit gateways.`);
  return { t, p, a };
}

const ptAssoc = (p: PolicyTableRec, a: TgwAttachmentRec, state: string) => ({
  TransitGatewayPolicyTableId: p.id,
  TransitGatewayAttachmentId: a.id,
  ResourceId: a.resourceId,
  ResourceType: a.resourceType,
  State: state,
});

export function AssociateTransitGatewayPolicyTable(ctx: Ctx, input: Input) {
  const { t, p, a } = policyPair(ctx, input);
  const other = [...t.policyTables.values()].find((x) => x.associations.has(a.id));
  if (other) throw e("Resource.AlreadyAssociated", `Transit Gateway Attachment ${a.id} is already associated with Transit Gateway Policy Table ${other.id}.`);
  if (a.association)
    throw e(
      "Resource.AlreadyAssociated",
      `Transit Gateway Attachment ${a.id} is associated with Transit Gateway Route Table ${a.association}; disassociate it first.`,
    );
  dryRun(input);
  p.associations.add(a.id);
  return { Association: ptAssoc(p, a, "associating") };
}

export function DisassociateTransitGatewayPolicyTable(ctx: Ctx, input: Input) {
  const { p, a } = policyPair(ctx, input);
  if (!p.associations.has(a.id))
    throw e("InvalidAssociation.NotFound", `Transit Gateway Attachment ${a.id} is not associated with Transit Gateway Policy Table ${p.id}.`);
  dryRun(input);
  p.associations.delete(a.id);
  return { Association: ptAssoc(p, a, "disassociating") };
}

export function GetTransitGatewayPolicyTableAssociations(ctx: Ctx, input: Input) {
  dryRun(input);
  const { m, t } = tr(ctx);
  const p = getPolicyTable(t, String(input.TransitGatewayPolicyTableId));
  const r = select(
    [...p.associations].map((id) => m.tgwAttachments.get(id)!).filter(Boolean),
    input,
    {
      "resource-id": (a) => a.resourceId,
      "resource-type": (a) => a.resourceType,
      "transit-gateway-attachment-id": (a) => a.id,
      state: () => "associated",
    },
    (a) => a.id,
    PAGE,
  );
  return { Associations: r.items.map((a) => ptAssoc(p, a, "associated")), NextToken: r.nextToken };
}

/** Policy rules come from an AWS Cloud WAN network policy; no core network exists here, so a table has none. */
export function GetTransitGatewayPolicyTableEntries(ctx: Ctx, input: Input) {
  dryRun(input);
  const { t } = tr(ctx);
  getPolicyTable(t, String(input.TransitGatewayPolicyTableId));
  const none: Array<{ id: string; tags: Map<string, string> }> = [];
  select(
    none,
    input,
    Object.fromEntries(
      [
        "policy-rule-number",
        "source-cidr-block",
        "source-port-range",
        "destination-cidr-block",
        "destination-port-range",
        "protocol",
        "meta-data-key",
        "meta-data-value",
        "target-route-table-id",
      ].map((k) => [k, () => undefined]),
    ),
    (x) => x.id,
    PAGE,
  );
  return { TransitGatewayPolicyTableEntries: [] };
}

// ---------------------------------------------------------------- prefix list references

interface RefRow {
  key: string;
  rtbId: string;
  prefixListId: string;
  ownerId: string;
  blackhole: boolean;
  att?: TgwAttachmentRec;
  tags: Map<string, string>;
}

const refView = (r: RefRow, state = "available") => ({
  TransitGatewayRouteTableId: r.rtbId,
  PrefixListId: r.prefixListId,
  PrefixListOwnerId: r.ownerId,
  State: state,
  Blackhole: r.blackhole,
  TransitGatewayAttachment: r.att ? { TransitGatewayAttachmentId: r.att.id, ResourceType: r.att.resourceType, ResourceId: r.att.resourceId } : undefined,
});

function refInput(ctx: Ctx, input: Input) {
  const { s, m, t } = tr(ctx);
  const rtb = getRtb(m, String(input.TransitGatewayRouteTableId));
  const pl = getPrefixList(s, String(input.PrefixListId));
  if (pl.ownerId === "AWS") throw Ec2Errors.invalidValue(`AWS-managed prefix list ${pl.id} cannot be referenced in a transit gateway route table.`);
  const blackhole = input.Blackhole === true;
  let att: TgwAttachmentRec | undefined;
  if (input.TransitGatewayAttachmentId !== undefined) {
    if (blackhole) throw Ec2Errors.invalidCombination("Only one of TransitGatewayAttachmentId and Blackhole can be specified.");
    att = getAtt(m, String(input.TransitGatewayAttachmentId));
    if (att.tgwId !== rtb.tgwId) throw Ec2Errors.invalidValue(`Transit Gateway Attachment ${att.id} does not belong to ${rtb.tgwId}.`);
  } else if (!blackhole) throw Ec2Errors.missing("TransitGatewayAttachmentId");
  return { m, t, rtb, pl, att, blackhole, key: `${rtb.id}|${pl.id}` };
}

const row = (m: MoreState, key: string, r: TransitState["prefixListRefs"] extends Map<string, infer V> ? V : never): RefRow => ({
  key,
  rtbId: r.rtbId,
  prefixListId: r.prefixListId,
  ownerId: r.ownerId,
  blackhole: r.blackhole,
  att: r.attachmentId ? m.tgwAttachments.get(r.attachmentId) : undefined,
  tags: new Map(),
});

export function CreateTransitGatewayPrefixListReference(ctx: Ctx, input: Input) {
  const { m, t, rtb, pl, att, blackhole, key } = refInput(ctx, input);
  if (t.prefixListRefs.has(key))
    throw e("InvalidTransitGatewayPrefixListReference.Duplicate", `Prefix list ${pl.id} is already referenced in Transit Gateway Route Table ${rtb.id}.`);
  dryRun(input);
  const r = { rtbId: rtb.id, prefixListId: pl.id, ownerId: pl.ownerId, attachmentId: att?.id, blackhole };
  t.prefixListRefs.set(key, r);
  return { TransitGatewayPrefixListReference: refView(row(m, key, r), "pending") };
}

export function ModifyTransitGatewayPrefixListReference(ctx: Ctx, input: Input) {
  const { m, t, rtb, pl, att, blackhole, key } = refInput(ctx, input);
  const r = t.prefixListRefs.get(key);
  if (!r) throw e("InvalidTransitGatewayPrefixListReference.NotFound", `Prefix list ${pl.id} is not referenced in Transit Gateway Route Table ${rtb.id}.`);
  dryRun(input);
  r.attachmentId = att?.id;
  r.blackhole = blackhole;
  return { TransitGatewayPrefixListReference: refView(row(m, key, r), "modifying") };
}

export function DeleteTransitGatewayPrefixListReference(ctx: Ctx, input: Input) {
  const { m, t } = tr(ctx);
  const rtb = getRtb(m, String(input.TransitGatewayRouteTableId));
  const key = `${rtb.id}|${input.PrefixListId}`;
  const r = t.prefixListRefs.get(key);
  if (!r)
    throw e(
      "InvalidTransitGatewayPrefixListReference.NotFound",
      `Prefix list ${input.PrefixListId} is not referenced in Transit Gateway Route Table ${rtb.id}.`,
    );
  dryRun(input);
  t.prefixListRefs.delete(key);
  return { TransitGatewayPrefixListReference: refView(row(m, key, r), "deleting") };
}

export function GetTransitGatewayPrefixListReferences(ctx: Ctx, input: Input) {
  dryRun(input);
  const { m, t } = tr(ctx);
  const rtb = getRtb(m, String(input.TransitGatewayRouteTableId));
  const rows = [...t.prefixListRefs].filter(([, r]) => r.rtbId === rtb.id).map(([k, r]) => row(m, k, r));
  const r = select(
    rows,
    input,
    {
      "attachment.resource-id": (x) => x.att?.resourceId,
      "attachment.resource-type": (x) => x.att?.resourceType,
      "attachment.transit-gateway-attachment-id": (x) => x.att?.id,
      "is-blackhole": (x) => x.blackhole,
      "prefix-list-id": (x) => x.prefixListId,
      "prefix-list-owner-id": (x) => x.ownerId,
      state: () => "available",
    },
    (x) => x.key,
    PAGE,
  );
  return { TransitGatewayPrefixListReferences: r.items.map((x) => refView(x)), NextToken: r.nextToken };
}

interface RouteOut {
  DestinationCidrBlock: string;
  PrefixListId?: string;
  TransitGatewayAttachments?: Array<{ ResourceId: string; TransitGatewayAttachmentId: string; ResourceType: string }>;
  Type: string;
  State: string;
}

/** The routes a prefix list reference puts in its table: one static route per entry of the list. */
function prefixListRoutes(s: Ec2State, m: MoreState, t: TransitState, rtbId: string): RouteOut[] {
  const out: RouteOut[] = [];
  for (const r of t.prefixListRefs.values()) {
    if (r.rtbId !== rtbId) continue;
    const pl = s.prefixLists.get(r.prefixListId);
    const a = r.attachmentId ? m.tgwAttachments.get(r.attachmentId) : undefined;
    for (const cidr of pl?.entries.keys() ?? [])
      out.push({
        DestinationCidrBlock: cidr,
        PrefixListId: r.prefixListId,
        TransitGatewayAttachments: a ? [{ ResourceId: a.resourceId, TransitGatewayAttachmentId: a.id, ResourceType: a.resourceType }] : undefined,
        Type: "static",
        State: r.blackhole || !a ? "blackhole" : "active",
      });
  }
  return out;
}

function matchRoute(x: RouteOut, name: string, vals: string[]): boolean {
  const atts = x.TransitGatewayAttachments ?? [];
  switch (name) {
    case "attachment.transit-gateway-attachment-id":
      return atts.some((a) => vals.includes(a.TransitGatewayAttachmentId));
    case "attachment.resource-id":
      return atts.some((a) => vals.includes(a.ResourceId));
    case "attachment.resource-type":
      return atts.some((a) => vals.includes(a.ResourceType));
    case "prefix-list-id":
      return x.PrefixListId !== undefined && vals.includes(x.PrefixListId);
    case "state":
      return vals.includes(x.State);
    case "type":
      return vals.includes(x.Type);
    case "route-search.exact-match":
      return vals.includes(x.DestinationCidrBlock);
    case "route-search.subnet-of-match":
      return vals.some((v) => cidrContains(v, x.DestinationCidrBlock));
    case "route-search.supernet-of-match":
    case "route-search.longest-prefix-match":
      return vals.some((v) => cidrContains(x.DestinationCidrBlock, v));
    default:
      return true;
  }
}

/**
 * ../more/tgw.ts searches static and propagated routes; the routes of prefix list references join them
 * (a static route or propagated route for the same CIDR wins), filtered alike.
 */
export async function SearchTransitGatewayRoutes(ctx: Ctx, input: Input) {
  const { s, m, t } = tr(ctx);
  const filters: Array<{ Name?: string; Values?: string[] }> = input.Filters ?? [];
  const plFilter = filters.filter((f) => f?.Name === "prefix-list-id");
  const base = (await (moreOperations.SearchTransitGatewayRoutes as Handler)(ctx, {
    ...input,
    Filters: filters.filter((f) => f?.Name !== "prefix-list-id"),
    MaxResults: 1000,
  })) as { Routes: RouteOut[] };
  const max = input.MaxResults ?? 1000;
  const seen = new Set(base.Routes.map((r) => r.DestinationCidrBlock));
  let pl = prefixListRoutes(s, m, t, String(input.TransitGatewayRouteTableId)).filter((r) => !seen.has(r.DestinationCidrBlock));
  for (const f of filters) pl = pl.filter((r) => matchRoute(r, String(f?.Name), list(f?.Values)));
  const lpm = filters.find((f) => f?.Name === "route-search.longest-prefix-match");
  let rows = plFilter.length ? pl : [...base.Routes, ...pl];
  if (lpm) {
    const best = Math.max(-1, ...rows.map((r) => parseCidr(r.DestinationCidrBlock)?.bits ?? -1));
    rows = rows.filter((r) => (parseCidr(r.DestinationCidrBlock)?.bits ?? -1) === best);
  }
  rows.sort((a, b) => (a.DestinationCidrBlock < b.DestinationCidrBlock ? -1 : 1));
  return { Routes: rows.slice(0, max), AdditionalRoutesAvailable: rows.length > max };
}

// ---------------------------------------------------------------- route table announcements

const annView = (x: TransitState["announcements"] extends Map<string, infer V> ? V : never, state = x.state) => ({
  TransitGatewayRouteTableAnnouncementId: x.id,
  TransitGatewayId: x.tgwId,
  PeerTransitGatewayId: x.peerTgwId,
  PeeringAttachmentId: x.peeringAttachmentId,
  AnnouncementDirection: x.direction,
  TransitGatewayRouteTableId: x.rtbId,
  State: state,
  CreationTime: x.created,
  Tags: tagsOf(x),
});

export function CreateTransitGatewayRouteTableAnnouncement(ctx: Ctx, input: Input) {
  const { s, m, t } = tr(ctx);
  const rtb = getRtb(m, String(input.TransitGatewayRouteTableId));
  const a = getAtt(m, String(input.PeeringAttachmentId));
  if (a.resourceType !== "peering" || !a.peering) throw Ec2Errors.invalidValue(`Transit Gateway Attachment ${a.id} is not a peering attachment.`);
  if (a.tgwId !== rtb.tgwId) throw Ec2Errors.invalidValue(`Transit Gateway Attachment ${a.id} does not belong to ${rtb.tgwId}.`);
  if (a.state !== "available") throw e("IncorrectState", `Transit Gateway Peering Attachment ${a.id} is in ${a.state} state.`);
  if ([...t.announcements.values()].some((x) => x.rtbId === rtb.id && x.peeringAttachmentId === a.id))
    throw e("IncorrectState", `Transit Gateway Route Table ${rtb.id} is already announced over ${a.id}.`);
  dryRun(input);
  const far = a.peering.side === "requester" ? a.peering.accepter : a.peering.requester;
  const x = {
    id: ec2Id("tgw-rtb-ann"),
    tgwId: rtb.tgwId,
    rtbId: rtb.id,
    peeringAttachmentId: a.id,
    peerTgwId: far.tgwId,
    direction: "outgoing",
    state: "available",
    created: ctx.now(),
    tags: new Map<string, string>(),
  };
  t.announcements.set(x.id, x);
  applyTagSpec(s, input, "transit-gateway-route-table-announcement", x.id, x);
  return { TransitGatewayRouteTableAnnouncement: annView(x, "pending") };
}

export function DeleteTransitGatewayRouteTableAnnouncement(ctx: Ctx, input: Input) {
  const { s, t } = tr(ctx);
  const id = String(input.TransitGatewayRouteTableAnnouncementId);
  const x = t.announcements.get(id);
  if (!x) throw announcementNotFound(id);
  dryRun(input);
  dropTags(s, x.id, x);
  t.announcements.delete(x.id);
  return { TransitGatewayRouteTableAnnouncement: annView(x, "deleting") };
}

export function DescribeTransitGatewayRouteTableAnnouncements(ctx: Ctx, input: Input) {
  dryRun(input);
  const { t } = tr(ctx);
  const r = select(
    named(t.announcements, list(input.TransitGatewayRouteTableAnnouncementIds), announcementNotFound) ?? [...t.announcements.values()],
    input,
    {
      "transit-gateway-id": (x) => x.tgwId,
      "peer-transit-gateway-id": (x) => x.peerTgwId,
      "peer-core-network-id": () => undefined,
      "peering-attachment-id": (x) => x.peeringAttachmentId,
      "transit-gateway-route-table-id": (x) => x.rtbId,
      "transit-gateway-route-table-announcement-id": (x) => x.id,
      "announcement-direction": (x) => x.direction,
      state: (x) => x.state,
    },
    (x) => x.id,
    PAGE,
  );
  return { TransitGatewayRouteTableAnnouncements: r.items.map((x) => annView(x)), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- metering policies

const mpView = (p: MeteringPolicyRec, state = p.state) => ({
  TransitGatewayMeteringPolicyId: p.id,
  TransitGatewayId: p.tgwId,
  MiddleboxAttachmentIds: p.middleboxes,
  State: state,
  UpdateEffectiveAt: p.updated,
  Tags: tagsOf(p),
});

function getMetering(t: TransitState, id: string): MeteringPolicyRec {
  const p = t.meteringPolicies.get(id);
  if (!p) throw meteringNotFound(id);
  return p;
}

function middleboxes(m: MoreState, tgwId: string, ids: string[]): string[] {
  for (const id of ids) {
    const a = getAtt(m, id);
    if (a.tgwId !== tgwId) throw Ec2Errors.invalidValue(`Transit Gateway Attachment ${a.id} does not belong to ${tgwId}.`);
  }
  return ids;
}

export function CreateTransitGatewayMeteringPolicy(ctx: Ctx, input: Input) {
  const { s, m, t } = tr(ctx);
  const g = getTgw(s, String(input.TransitGatewayId));
  if ([...t.meteringPolicies.values()].some((p) => p.tgwId === g.id))
    throw e("TransitGatewayMeteringPolicyLimitExceeded", `Transit Gateway ${g.id} already has a metering policy.`);
  const mids = middleboxes(m, g.id, list(input.MiddleboxAttachmentIds));
  dryRun(input);
  const p: MeteringPolicyRec = {
    id: ec2Id("tgw-mp"),
    tgwId: g.id,
    middleboxes: mids,
    state: "available",
    updated: ctx.now(),
    entries: new Map(),
    tags: new Map(),
  };
  t.meteringPolicies.set(p.id, p);
  applyTagSpec(s, input, "transit-gateway-metering-policy", p.id, p);
  return { TransitGatewayMeteringPolicy: mpView(p, "pending") };
}

export function ModifyTransitGatewayMeteringPolicy(ctx: Ctx, input: Input) {
  const { m, t } = tr(ctx);
  const p = getMetering(t, String(input.TransitGatewayMeteringPolicyId));
  const add = middleboxes(m, p.tgwId, list(input.AddMiddleboxAttachmentIds));
  const remove = list(input.RemoveMiddleboxAttachmentIds);
  for (const id of remove) if (!p.middleboxes.includes(id)) throw Ec2Errors.invalidValue(`Transit Gateway Attachment ${id} is not a middlebox of ${p.id}.`);
  dryRun(input);
  p.middleboxes = [...p.middleboxes.filter((x) => !remove.includes(x)), ...add.filter((x) => !p.middleboxes.includes(x))];
  p.updated = ctx.now();
  return { TransitGatewayMeteringPolicy: mpView(p, "modifying") };
}

export function DeleteTransitGatewayMeteringPolicy(ctx: Ctx, input: Input) {
  const { s, t } = tr(ctx);
  const p = getMetering(t, String(input.TransitGatewayMeteringPolicyId));
  dryRun(input);
  dropTags(s, p.id, p);
  t.meteringPolicies.delete(p.id);
  return { TransitGatewayMeteringPolicy: mpView(p, "deleting") };
}

export function DescribeTransitGatewayMeteringPolicies(ctx: Ctx, input: Input) {
  dryRun(input);
  const { t } = tr(ctx);
  const r = select(
    named(t.meteringPolicies, list(input.TransitGatewayMeteringPolicyIds), meteringNotFound) ?? [...t.meteringPolicies.values()],
    input,
    { "transit-gateway-id": (p) => p.tgwId, "transit-gateway-metering-policy-id": (p) => p.id, state: (p) => p.state },
    (p) => p.id,
    PAGE,
  );
  return { TransitGatewayMeteringPolicies: r.items.map((p) => mpView(p)), NextToken: r.nextToken };
}

const entryView = (x: MeteringPolicyRec["entries"] extends Map<number, infer V> ? V : never, state = "available") => ({
  PolicyRuleNumber: String(x.number),
  MeteredAccount: x.meteredAccount,
  State: state,
  UpdatedAt: x.updated,
  UpdateEffectiveAt: x.updated,
  MeteringPolicyRule: x.rule,
});

const RULE_KEYS = [
  "SourceTransitGatewayAttachmentId",
  "SourceTransitGatewayAttachmentType",
  "SourceCidrBlock",
  "SourcePortRange",
  "DestinationTransitGatewayAttachmentId",
  "DestinationTransitGatewayAttachmentType",
  "DestinationCidrBlock",
  "DestinationPortRange",
  "Protocol",
];

export function CreateTransitGatewayMeteringPolicyEntry(ctx: Ctx, input: Input) {
  const { m, t } = tr(ctx);
  const p = getMetering(t, String(input.TransitGatewayMeteringPolicyId));
  const n = Number(input.PolicyRuleNumber);
  if (p.entries.has(n)) throw e("InvalidParameterValue", `A metering policy entry with rule number ${n} already exists in ${p.id}.`);
  for (const k of ["SourceTransitGatewayAttachmentId", "DestinationTransitGatewayAttachmentId"])
    if (input[k] !== undefined) {
      const a = getAtt(m, String(input[k]));
      if (a.tgwId !== p.tgwId) throw Ec2Errors.invalidValue(`Transit Gateway Attachment ${a.id} does not belong to ${p.tgwId}.`);
    }
  for (const k of ["SourceCidrBlock", "DestinationCidrBlock"])
    if (input[k] !== undefined && !parseCidr(String(input[k])) && !String(input[k]).includes(":"))
      throw Ec2Errors.invalidValue(`Value (${input[k]}) for parameter ${k} is invalid. This is not a valid CIDR block.`);
  dryRun(input);
  const rule: Record<string, string | undefined> = {};
  for (const k of RULE_KEYS) if (input[k] !== undefined) rule[k] = String(input[k]);
  const x = { number: n, meteredAccount: String(input.MeteredAccount), rule, updated: ctx.now() };
  p.entries.set(n, x);
  return { TransitGatewayMeteringPolicyEntry: entryView(x) };
}

export function DeleteTransitGatewayMeteringPolicyEntry(ctx: Ctx, input: Input) {
  const { t } = tr(ctx);
  const p = getMetering(t, String(input.TransitGatewayMeteringPolicyId));
  const n = Number(input.PolicyRuleNumber);
  const x = p.entries.get(n);
  if (!x) throw e("InvalidParameterValue", `No metering policy entry with rule number ${n} exists in ${p.id}.`);
  dryRun(input);
  p.entries.delete(n);
  return { TransitGatewayMeteringPolicyEntry: entryView(x, "deleted") };
}

export function GetTransitGatewayMeteringPolicyEntries(ctx: Ctx, input: Input) {
  dryRun(input);
  const { t } = tr(ctx);
  const p = getMetering(t, String(input.TransitGatewayMeteringPolicyId));
  const rows = [...p.entries.values()].sort((a, b) => a.number - b.number).map((x) => ({ ...x, tags: new Map<string, string>() }));
  const r = select(
    rows,
    input,
    {
      "policy-rule-number": (x) => String(x.number),
      "metered-account": (x) => x.meteredAccount,
      state: () => "available",
      "source-transit-gateway-attachment-id": (x) => x.rule.SourceTransitGatewayAttachmentId,
      "source-transit-gateway-attachment-type": (x) => x.rule.SourceTransitGatewayAttachmentType,
      "source-cidr-block": (x) => x.rule.SourceCidrBlock,
      "source-port-range": (x) => x.rule.SourcePortRange,
      "destination-transit-gateway-attachment-id": (x) => x.rule.DestinationTransitGatewayAttachmentId,
      "destination-transit-gateway-attachment-type": (x) => x.rule.DestinationTransitGatewayAttachmentType,
      "destination-cidr-block": (x) => x.rule.DestinationCidrBlock,
      "destination-port-range": (x) => x.rule.DestinationPortRange,
      protocol: (x) => x.rule.Protocol,
    },
    (x) => String(x.number).padStart(6, "0"),
    PAGE,
  );
  return { TransitGatewayMeteringPolicyEntries: r.items.map((x) => entryView(x)), NextToken: r.nextToken };
}
