/**
 * VPC Route Server: route servers (one VPC association each), endpoints (an EC2-managed network interface
 * in a subnet of that VPC), BGP peers on endpoints, and propagation to the VPC's route tables. No BGP
 * session comes up (peers report BgpStatus down), so the routing database holds no routes. Deletions go in
 * AWS's order: peers, endpoints, propagations and association, then the route server.
 */
import type { Ctx } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { applyTagSpec, cidrContains, dropTags, dryRun, list, parseCidr, select, tagsOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { getSubnet, getVpc, newEni, removeEni } from "../network.js";
import type { Ec2State } from "../state.js";
import { type RouteServerEndpointRec, type RouteServerPeerRec, type RouteServerRec, type TransitState, tr } from "./state.js";

const e = Ec2Errors.custom;
const PAGE = { paginate: true, min: 5, max: 1000 };

export const rsNotFound = (id: string) => e("InvalidRouteServerId.NotFound", `The route server ID '${id}' does not exist`);
export const rseNotFound = (id: string) => e("InvalidRouteServerEndpointId.NotFound", `The route server endpoint ID '${id}' does not exist`);
export const rspNotFound = (id: string) => e("InvalidRouteServerPeerId.NotFound", `The route server peer ID '${id}' does not exist`);

const persistState = (x: RouteServerRec) => (x.persistRoutes === "enable" ? "enabled" : "disabled");

const rsView = (x: RouteServerRec, state = x.state) => ({
  RouteServerId: x.id,
  AmazonSideAsn: x.asn,
  State: state,
  Tags: tagsOf(x),
  PersistRoutesState: persistState(x),
  PersistRoutesDuration: x.persistRoutes === "enable" ? x.persistDuration : undefined,
  SnsNotificationsEnabled: x.sns,
});

const rseView = (x: RouteServerEndpointRec, state = x.state) => ({
  RouteServerId: x.routeServerId,
  RouteServerEndpointId: x.id,
  VpcId: x.vpcId,
  SubnetId: x.subnetId,
  EniId: x.eniId,
  EniAddress: x.eniAddress,
  State: state,
  Tags: tagsOf(x),
});

const rspView = (t: TransitState, x: RouteServerPeerRec, state = x.state) => {
  const ep = t.routeServerEndpoints.get(x.endpointId);
  return {
    RouteServerPeerId: x.id,
    RouteServerEndpointId: x.endpointId,
    RouteServerId: x.routeServerId,
    VpcId: x.vpcId,
    SubnetId: x.subnetId,
    State: state,
    EndpointEniId: ep?.eniId,
    EndpointEniAddress: ep?.eniAddress,
    PeerAddress: x.peerAddress,
    BgpOptions: { PeerAsn: x.peerAsn, PeerLivenessDetection: x.liveness },
    BgpStatus: { Status: "down" },
    BfdStatus: x.liveness === "bfd" ? { Status: "down" } : undefined,
    Tags: tagsOf(x),
  };
};

function getRs(t: TransitState, id: string): RouteServerRec {
  const x = t.routeServers.get(id);
  if (!x) throw rsNotFound(id);
  return x;
}

function persistence(input: Input, current?: RouteServerRec) {
  const persist = String(input.PersistRoutes ?? current?.persistRoutes ?? "disable");
  const duration = input.PersistRoutesDuration ?? current?.persistDuration;
  if (input.PersistRoutesDuration !== undefined && persist !== "enable")
    throw Ec2Errors.invalidCombination("PersistRoutesDuration can only be specified when PersistRoutes is enable.");
  if ((persist === "enable" || persist === "reset") && duration === undefined) throw Ec2Errors.missing("PersistRoutesDuration");
  if (duration !== undefined && (duration < 1 || duration > 5))
    throw Ec2Errors.invalidValue(`Value (${duration}) for parameter PersistRoutesDuration is invalid. Valid values are from 1 to 5.`);
  return { persist: persist === "reset" ? "enable" : persist, duration: persist === "enable" || persist === "reset" ? duration : undefined };
}

export function CreateRouteServer(ctx: Ctx, input: Input) {
  const { s, t } = tr(ctx);
  if (input.ClientToken) {
    const same = [...t.routeServers.values()].find((x) => x.clientToken === input.ClientToken);
    if (same) return { RouteServer: rsView(same) };
  }
  const asn = Number(input.AmazonSideAsn);
  if (!Number.isInteger(asn) || asn < 1 || asn > 4294967295)
    throw Ec2Errors.invalidValue(`Invalid value '${input.AmazonSideAsn}' for AmazonSideAsn. Valid values are from 1 to 4294967295.`);
  const p = persistence(input);
  dryRun(input);
  const x: RouteServerRec = {
    id: ec2Id("rs"),
    asn,
    state: "available",
    persistRoutes: p.persist,
    persistDuration: p.duration,
    sns: input.SnsNotificationsEnabled === true,
    propagations: new Set(),
    clientToken: input.ClientToken,
    tags: new Map(),
  };
  t.routeServers.set(x.id, x);
  applyTagSpec(s, input, "route-server", x.id, x);
  return { RouteServer: rsView(x, "pending") };
}

export function ModifyRouteServer(ctx: Ctx, input: Input) {
  const { t } = tr(ctx);
  const x = getRs(t, String(input.RouteServerId));
  const p = persistence(input, x);
  dryRun(input);
  x.persistRoutes = p.persist;
  x.persistDuration = p.duration;
  if (input.SnsNotificationsEnabled !== undefined) x.sns = input.SnsNotificationsEnabled === true;
  return { RouteServer: rsView(x, "modifying") };
}

export function DeleteRouteServer(ctx: Ctx, input: Input) {
  const { s, t } = tr(ctx);
  const x = getRs(t, String(input.RouteServerId));
  if (x.vpcId) throw e("IncorrectState", `Route server ${x.id} is associated with VPC ${x.vpcId}; disassociate it first.`);
  dryRun(input);
  dropTags(s, x.id, x);
  t.routeServers.delete(x.id);
  return { RouteServer: rsView(x, "deleting") };
}

export function DescribeRouteServers(ctx: Ctx, input: Input) {
  dryRun(input);
  const { t } = tr(ctx);
  const ids = list(input.RouteServerIds);
  for (const id of ids) getRs(t, id);
  const r = select(
    ids.length ? ids.map((id) => t.routeServers.get(id)!) : [...t.routeServers.values()],
    input,
    {
      "route-server-id": (x) => x.id,
      "amazon-side-asn": (x) => String(x.asn),
      state: (x) => x.state,
      "persist-routes-state": (x) => persistState(x),
      "sns-notifications-enabled": (x) => x.sns,
    },
    (x) => x.id,
    PAGE,
  );
  return { RouteServers: r.items.map((x) => rsView(x)), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- associations and propagations

export function AssociateRouteServer(ctx: Ctx, input: Input) {
  const { s, t } = tr(ctx);
  const x = getRs(t, String(input.RouteServerId));
  const vpc = getVpc(s, String(input.VpcId));
  if (x.vpcId) throw e("Resource.AlreadyAssociated", `Route server ${x.id} is already associated with VPC ${x.vpcId}.`);
  const other = [...t.routeServers.values()].find((y) => y.vpcId === vpc.id);
  if (other) throw e("Resource.AlreadyAssociated", `VPC ${vpc.id} is already associated with route server ${other.id}.`);
  dryRun(input);
  x.vpcId = vpc.id;
  return { RouteServerAssociation: { RouteServerId: x.id, VpcId: vpc.id, State: "associating" } };
}

export function DisassociateRouteServer(ctx: Ctx, input: Input) {
  const { s, t } = tr(ctx);
  const x = getRs(t, String(input.RouteServerId));
  const vpc = getVpc(s, String(input.VpcId));
  if (x.vpcId !== vpc.id) throw e("InvalidAssociation.NotFound", `Route server ${x.id} is not associated with VPC ${vpc.id}.`);
  const eps = [...t.routeServerEndpoints.values()].filter((p) => p.routeServerId === x.id);
  if (eps.length) throw e("IncorrectState", `Route server ${x.id} has route server endpoints: ${eps.map((p) => p.id).join(", ")}.`);
  dryRun(input);
  x.vpcId = undefined;
  x.propagations.clear();
  return { RouteServerAssociation: { RouteServerId: x.id, VpcId: vpc.id, State: "disassociating" } };
}

export function GetRouteServerAssociations(ctx: Ctx, input: Input) {
  dryRun(input);
  const { t } = tr(ctx);
  const x = getRs(t, String(input.RouteServerId));
  return { RouteServerAssociations: x.vpcId ? [{ RouteServerId: x.id, VpcId: x.vpcId, State: "associated" }] : [] };
}

function propagationInput(ctx: Ctx, input: Input) {
  const { s, t } = tr(ctx);
  const x = getRs(t, String(input.RouteServerId));
  const id = String(input.RouteTableId);
  const rtb = s.rtbs.get(id);
  if (!rtb) throw Ec2Errors.notFound("RouteTable", "routeTable", [id]);
  return { x, rtb };
}

export function EnableRouteServerPropagation(ctx: Ctx, input: Input) {
  const { x, rtb } = propagationInput(ctx, input);
  if (x.vpcId !== rtb.vpcId) throw Ec2Errors.invalidValue(`Route table ${rtb.id} is not in the VPC associated with route server ${x.id}.`);
  if (x.propagations.has(rtb.id)) throw e("Resource.AlreadyAssociated", `Route server ${x.id} already propagates to route table ${rtb.id}.`);
  dryRun(input);
  x.propagations.add(rtb.id);
  return { RouteServerPropagation: { RouteServerId: x.id, RouteTableId: rtb.id, State: "pending" } };
}

export function DisableRouteServerPropagation(ctx: Ctx, input: Input) {
  const { x, rtb } = propagationInput(ctx, input);
  if (!x.propagations.has(rtb.id)) throw e("InvalidAssociation.NotFound", `Route server ${x.id} does not propagate to route table ${rtb.id}.`);
  dryRun(input);
  x.propagations.delete(rtb.id);
  return { RouteServerPropagation: { RouteServerId: x.id, RouteTableId: rtb.id, State: "deleting" } };
}

export function GetRouteServerPropagations(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, t } = tr(ctx);
  const x = getRs(t, String(input.RouteServerId));
  for (const id of [...x.propagations]) if (!s.rtbs.has(id)) x.propagations.delete(id);
  const rtbs = [...x.propagations].filter((id) => input.RouteTableId === undefined || id === input.RouteTableId);
  return { RouteServerPropagations: rtbs.map((RouteTableId) => ({ RouteServerId: x.id, RouteTableId, State: "available" })) };
}

/** Routes are learned over BGP sessions, and none comes up here: the database is empty. */
export function GetRouteServerRoutingDatabase(ctx: Ctx, input: Input) {
  dryRun(input);
  const { t } = tr(ctx);
  const x = getRs(t, String(input.RouteServerId));
  const none: Array<{ id: string; tags: Map<string, string> }> = [];
  const table = Object.fromEntries(
    [
      "route-status",
      "prefix",
      "as-paths",
      "med",
      "next-hop-ip",
      "route-server-endpoint-id",
      "route-server-peer-id",
      "route-table-id",
      "route-installation-status",
    ].map((k) => [k, () => undefined]),
  );
  select(none, input, table, (y) => y.id, PAGE);
  return { AreRoutesPersisted: x.persistRoutes === "enable", Routes: [] };
}

// ---------------------------------------------------------------- endpoints

function getRse(t: TransitState, id: string): RouteServerEndpointRec {
  const x = t.routeServerEndpoints.get(id);
  if (!x) throw rseNotFound(id);
  return x;
}

export function CreateRouteServerEndpoint(ctx: Ctx, input: Input) {
  const { s, t } = tr(ctx);
  if (input.ClientToken) {
    const same = [...t.routeServerEndpoints.values()].find((x) => x.clientToken === input.ClientToken);
    if (same) return { RouteServerEndpoint: rseView(same) };
  }
  const rs = getRs(t, String(input.RouteServerId));
  const sub = getSubnet(s, String(input.SubnetId));
  if (rs.vpcId !== sub.vpcId) throw Ec2Errors.invalidValue(`Route server ${rs.id} is not associated with the VPC of subnet ${sub.id} (${sub.vpcId}).`);
  dryRun(input);
  const id = ec2Id("rse");
  const eni = newEni(s, sub, [], `Route Server Endpoint ${id}`, undefined, "interface");
  eni.requesterManaged = true;
  const x: RouteServerEndpointRec = {
    id,
    routeServerId: rs.id,
    vpcId: sub.vpcId,
    subnetId: sub.id,
    eniId: eni.id,
    eniAddress: eni.privateIp,
    state: "available",
    clientToken: input.ClientToken,
    tags: new Map(),
  };
  t.routeServerEndpoints.set(id, x);
  applyTagSpec(s, input, "route-server-endpoint", id, x);
  return { RouteServerEndpoint: rseView(x, "pending") };
}

export function DeleteRouteServerEndpoint(ctx: Ctx, input: Input) {
  const { s, t } = tr(ctx);
  const x = getRse(t, String(input.RouteServerEndpointId));
  const peers = [...t.routeServerPeers.values()].filter((p) => p.endpointId === x.id);
  if (peers.length) throw e("IncorrectState", `Route server endpoint ${x.id} has route server peers: ${peers.map((p) => p.id).join(", ")}.`);
  dryRun(input);
  const eni = s.enis.get(x.eniId);
  if (eni) removeEni(s, eni);
  dropTags(s, x.id, x);
  t.routeServerEndpoints.delete(x.id);
  return { RouteServerEndpoint: rseView(x, "deleting") };
}

export function DescribeRouteServerEndpoints(ctx: Ctx, input: Input) {
  dryRun(input);
  const { t } = tr(ctx);
  const ids = list(input.RouteServerEndpointIds);
  for (const id of ids) getRse(t, id);
  const r = select(
    ids.length ? ids.map((id) => t.routeServerEndpoints.get(id)!) : [...t.routeServerEndpoints.values()],
    input,
    {
      "route-server-endpoint-id": (x) => x.id,
      "route-server-id": (x) => x.routeServerId,
      "vpc-id": (x) => x.vpcId,
      "subnet-id": (x) => x.subnetId,
      "eni-id": (x) => x.eniId,
      "eni-address": (x) => x.eniAddress,
      state: (x) => x.state,
    },
    (x) => x.id,
    PAGE,
  );
  return { RouteServerEndpoints: r.items.map((x) => rseView(x)), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- peers

function vpcCidrs(s: Ec2State, vpcId: string): string[] {
  const v = s.vpcs.get(vpcId);
  return v ? [v.cidr, ...v.secondaryCidrs.map((c) => c.cidr)] : [];
}

export function CreateRouteServerPeer(ctx: Ctx, input: Input) {
  const { s, t } = tr(ctx);
  const ep = getRse(t, String(input.RouteServerEndpointId));
  const rs = getRs(t, ep.routeServerId);
  const addr = String(input.PeerAddress);
  if (!parseCidr(`${addr}/32`)) throw Ec2Errors.invalidValue(`Value (${addr}) for parameter PeerAddress is invalid. An IPv4 address is expected.`);
  if (!vpcCidrs(s, ep.vpcId).some((c) => cidrContains(c, `${addr}/32`)))
    throw Ec2Errors.invalidValue(`The peer address ${addr} is not within the CIDR blocks of VPC ${ep.vpcId}.`);
  if (addr === ep.eniAddress) throw Ec2Errors.invalidValue(`The peer address ${addr} is the address of route server endpoint ${ep.id}.`);
  if ([...t.routeServerPeers.values()].some((p) => p.endpointId === ep.id && p.peerAddress === addr))
    throw e("InvalidParameterValue", `Route server endpoint ${ep.id} already has a peer with address ${addr}.`);
  const o = (input.BgpOptions ?? {}) as Input;
  const peerAsn = Number(o.PeerAsn);
  if (!Number.isInteger(peerAsn) || peerAsn < 1 || peerAsn > 4294967295)
    throw Ec2Errors.invalidValue(`Invalid value '${o.PeerAsn}' for PeerAsn. Valid values are from 1 to 4294967295.`);
  if (peerAsn === rs.asn) throw Ec2Errors.invalidValue(`The peer ASN ${peerAsn} must differ from the route server's ASN ${rs.asn}.`);
  dryRun(input);
  const x: RouteServerPeerRec = {
    id: ec2Id("rsp"),
    endpointId: ep.id,
    routeServerId: rs.id,
    vpcId: ep.vpcId,
    subnetId: ep.subnetId,
    peerAddress: addr,
    peerAsn,
    liveness: String(o.PeerLivenessDetection ?? "bgp-keepalive"),
    state: "available",
    tags: new Map(),
  };
  t.routeServerPeers.set(x.id, x);
  applyTagSpec(s, input, "route-server-peer", x.id, x);
  return { RouteServerPeer: rspView(t, x, "pending") };
}

export function DeleteRouteServerPeer(ctx: Ctx, input: Input) {
  const { s, t } = tr(ctx);
  const id = String(input.RouteServerPeerId);
  const x = t.routeServerPeers.get(id);
  if (!x) throw rspNotFound(id);
  dryRun(input);
  dropTags(s, x.id, x);
  t.routeServerPeers.delete(x.id);
  return { RouteServerPeer: rspView(t, x, "deleting") };
}

export function DescribeRouteServerPeers(ctx: Ctx, input: Input) {
  dryRun(input);
  const { t } = tr(ctx);
  const ids = list(input.RouteServerPeerIds);
  for (const id of ids) if (!t.routeServerPeers.has(id)) throw rspNotFound(id);
  const r = select(
    ids.length ? ids.map((id) => t.routeServerPeers.get(id)!) : [...t.routeServerPeers.values()],
    input,
    {
      "route-server-peer-id": (x) => x.id,
      "route-server-endpoint-id": (x) => x.endpointId,
      "route-server-id": (x) => x.routeServerId,
      "vpc-id": (x) => x.vpcId,
      "subnet-id": (x) => x.subnetId,
      "peer-address": (x) => x.peerAddress,
      "bgp-options.peer-asn": (x) => String(x.peerAsn),
      "bgp-options.peer-liveness-detection": (x) => x.liveness,
      "bgp-status.status": () => "down",
      state: (x) => x.state,
    },
    (x) => x.id,
    PAGE,
  );
  return { RouteServerPeers: r.items.map((x) => rspView(t, x)), NextToken: r.nextToken };
}
