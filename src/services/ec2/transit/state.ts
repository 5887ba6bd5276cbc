/**
 * State of the EC2 "transit" area (Instance Connect endpoints, transit gateway Connect attachments and
 * peers, policy tables, prefix list references, route table announcements, multicast domains, metering
 * policies, route servers, VPN concentrators). It hangs off the account/region's Ec2State as one own
 * property created on first use, so snapshots copy it with the rest of the EC2 state. Transit gateways,
 * their attachments and route tables and VPN connections stay where they are (../vpc-links.ts, ../more/).
 */
import type { Ctx } from "../../core/types.js";
import type { Ec2State, Tagged } from "../state.js";
import { moreOf, type MoreState } from "../more/state.js";
import { sync } from "../more/tgw.js";

export interface EiceRec extends Tagged {
  id: string;
  subnetId: string;
  vpcId: string;
  az: string;
  azId: string;
  groupIds: string[];
  preserveClientIp: boolean;
  ipAddressType: string;
  eniIds: string[];
  dnsLabel: string;
  state: string;
  created: Date;
  clientToken?: string;
}

/** The Connect part of a "connect" attachment (the attachment itself is in MoreState.tgwAttachments). */
export interface ConnectRec {
  attachmentId: string;
  transportId: string;
  protocol: string;
}

export interface ConnectPeerRec extends Tagged {
  id: string;
  attachmentId: string;
  tgwAddress: string;
  peerAddress: string;
  insideCidrs: string[];
  peerAsn: number;
  tgwAsn: number;
  state: string;
  created: Date;
}

export interface PolicyTableRec extends Tagged {
  id: string;
  tgwId: string;
  state: string;
  created: Date;
  /** attachment ids associated with the table */
  associations: Set<string>;
}

export interface PrefixListRefRec {
  rtbId: string;
  prefixListId: string;
  ownerId: string;
  attachmentId?: string;
  blackhole: boolean;
}

export interface AnnouncementRec extends Tagged {
  id: string;
  tgwId: string;
  rtbId: string;
  peeringAttachmentId: string;
  peerTgwId: string;
  direction: string;
  state: string;
  created: Date;
}

export interface MulticastMemberRec {
  group: string;
  eniId: string;
  member: boolean;
  source: boolean;
}

export interface MulticastDomainRec extends Tagged {
  id: string;
  tgwId: string;
  options: { Igmpv2Support: string; StaticSourcesSupport: string; AutoAcceptSharedAssociations: string };
  state: string;
  created: Date;
  /** `${attachmentId}|${subnetId}` → association */
  associations: Map<string, { attachmentId: string; subnetId: string; state: string }>;
  /** `${group}|${eniId}` → registration */
  groups: Map<string, MulticastMemberRec>;
}

export interface MeteringEntryRec {
  number: number;
  meteredAccount: string;
  rule: Record<string, string | undefined>;
  updated: Date;
}

export interface MeteringPolicyRec extends Tagged {
  id: string;
  tgwId: string;
  middleboxes: string[];
  state: string;
  updated: Date;
  entries: Map<number, MeteringEntryRec>;
}

export interface RouteServerRec extends Tagged {
  id: string;
  asn: number;
  state: string;
  persistRoutes: string;
  persistDuration?: number;
  sns: boolean;
  snsTopicArn?: string;
  /** the VPC it is associated with (at most one) */
  vpcId?: string;
  /** route table ids it propagates to */
  propagations: Set<string>;
  clientToken?: string;
}

export interface RouteServerEndpointRec extends Tagged {
  id: string;
  routeServerId: string;
  vpcId: string;
  subnetId: string;
  eniId: string;
  eniAddress: string;
  state: string;
  clientToken?: string;
}

export interface RouteServerPeerRec extends Tagged {
  id: string;
  endpointId: string;
  routeServerId: string;
  vpcId: string;
  subnetId: string;
  peerAddress: string;
  peerAsn: number;
  liveness: string;
  state: string;
}

export interface VpnConcentratorRec extends Tagged {
  id: string;
  type: string;
  tgwId?: string;
  attachmentId?: string;
  state: string;
}

export interface TransitState {
  eices: Map<string, EiceRec>;
  connects: Map<string, ConnectRec>;
  connectPeers: Map<string, ConnectPeerRec>;
  policyTables: Map<string, PolicyTableRec>;
  /** `${rtbId}|${prefixListId}` → reference */
  prefixListRefs: Map<string, PrefixListRefRec>;
  announcements: Map<string, AnnouncementRec>;
  multicastDomains: Map<string, MulticastDomainRec>;
  meteringPolicies: Map<string, MeteringPolicyRec>;
  routeServers: Map<string, RouteServerRec>;
  routeServerEndpoints: Map<string, RouteServerEndpointRec>;
  routeServerPeers: Map<string, RouteServerPeerRec>;
  vpnConcentrators: Map<string, VpnConcentratorRec>;
  /** VPN connection id → the VPN concentrator it terminates on */
  concentratorVpns: Map<string, string>;
  /** VPN tunnel (connection id|outside ip) → maintenance history */
  tunnelMaintenance: Map<string, { lastApplied?: Date; certificateRotated?: Date }>;
}

const KEYS: Array<keyof TransitState> = [
  "eices",
  "connects",
  "connectPeers",
  "policyTables",
  "prefixListRefs",
  "announcements",
  "multicastDomains",
  "meteringPolicies",
  "routeServers",
  "routeServerEndpoints",
  "routeServerPeers",
  "vpnConcentrators",
  "concentratorVpns",
  "tunnelMaintenance",
];

type WithTransit = Ec2State & { transitArea?: TransitState };

export function transitOf(s: Ec2State): TransitState {
  const w = s as WithTransit;
  const t = (w.transitArea ??= {} as TransitState);
  for (const k of KEYS) t[k] ??= new Map() as never;
  return t;
}

/** This area's state, with the transit gateway records of ../more/ (default route tables materialised). */
export function tr(ctx: Ctx): { s: Ec2State; m: MoreState; t: TransitState } {
  const s = ctx.state<Ec2State>();
  const m = moreOf(s);
  sync(s, m);
  const t = transitOf(s);
  // Records that hang off a deleted gateway or attachment go with it.
  for (const id of [...t.connects.keys()]) if (!m.tgwAttachments.has(id)) t.connects.delete(id);
  for (const [id, p] of t.connectPeers) if (!t.connects.has(p.attachmentId)) t.connectPeers.delete(id);
  for (const [id, p] of t.policyTables) {
    if (!s.tgws.has(p.tgwId)) t.policyTables.delete(id);
    else for (const a of p.associations) if (!m.tgwAttachments.has(a)) p.associations.delete(a);
  }
  for (const [k, r] of t.prefixListRefs) if (!m.tgwRouteTables.has(r.rtbId)) t.prefixListRefs.delete(k);
  for (const [id, a] of t.announcements) if (!m.tgwRouteTables.has(a.rtbId) || !m.tgwAttachments.has(a.peeringAttachmentId)) t.announcements.delete(id);
  for (const [id, d] of t.multicastDomains) {
    if (!s.tgws.has(d.tgwId)) t.multicastDomains.delete(id);
    else {
      for (const [k, a] of d.associations) if (!m.tgwAttachments.has(a.attachmentId)) d.associations.delete(k);
      for (const [k, g] of d.groups) if (!s.enis.has(g.eniId)) d.groups.delete(k);
    }
  }
  for (const [id, p] of t.meteringPolicies) if (!s.tgws.has(p.tgwId)) t.meteringPolicies.delete(id);
  for (const id of [...t.concentratorVpns.keys()]) if (!m.vpns.has(id)) t.concentratorVpns.delete(id);
  for (const x of t.routeServers.values())
    if (x.vpcId && !s.vpcs.has(x.vpcId)) {
      x.vpcId = undefined;
      x.propagations.clear();
    }
  return { s, m, t };
}
