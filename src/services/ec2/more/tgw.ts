/**
 * Transit gateway attachments (VPC; VPN attachments come from VPN connections), route tables, static and
 * propagated routes, associations and propagations. Gateways themselves are in ../vpc-links.ts (s.tgws);
 * each gateway's default route table is materialised here on first use, and records of a deleted gateway go.
 */
import type { Ctx } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { applyTagSpec, cidrContains, dropTags, dryRun, list, otherAccountStates, parseCidr, select, tagList, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { getSubnet, getVpc } from "../network.js";
import { DeleteTransitGateway as baseDeleteTransitGateway, tgwEncryptionState } from "../vpc-links.js";
import type { Ec2State, TransitGatewayRec } from "../state.js";
import { both, moreOf, type MoreState, type TgwAttachmentRec, type TgwRouteTableRec, tombstones } from "./state.js";

const e = Ec2Errors.custom;
const tgwNotFound = (id: string) => e("InvalidTransitGatewayID.NotFound", `Transit Gateway ${id} was deleted or does not exist.`);
const attNotFound = (id: string, kind = "") =>
  e("InvalidTransitGatewayAttachmentID.NotFound", `Transit Gateway ${kind}Attachment ${id} was deleted or does not exist.`);
const rtbNotFound = (id: string) => e("InvalidRouteTableID.NotFound", `Transit Gateway Route Table ${id} was deleted or does not exist.`);
const PAGE = { paginate: true, min: 5, max: 1000 };

const enabled = (v: unknown) => v !== "disable";

/** Default route tables for gateways that have none yet; drop what belonged to deleted gateways. */
export function sync(s: Ec2State, m: MoreState): void {
  for (const g of s.tgws.values()) {
    if (m.tgwRouteTables.has(g.routeTableId)) continue;
    m.tgwRouteTables.set(g.routeTableId, {
      id: g.routeTableId,
      tgwId: g.id,
      state: "available",
      createTime: g.createTime,
      defaultAssociation: enabled(g.options.DefaultRouteTableAssociation),
      defaultPropagation: enabled(g.options.DefaultRouteTablePropagation),
      routes: new Map(),
      propagations: new Set(),
      tags: new Map(),
    });
  }
  for (const [id, r] of m.tgwRouteTables) if (!s.tgws.has(r.tgwId)) m.tgwRouteTables.delete(id);
  for (const [id, a] of m.tgwAttachments) if (!s.tgws.has(a.tgwId)) m.tgwAttachments.delete(id);
}

export function ctxTgw(ctx: Ctx) {
  const { s, m } = both(ctx);
  sync(s, m);
  return { s, m };
}

export function getTgw(s: Ec2State, id: string): TransitGatewayRec {
  const g = s.tgws.get(id);
  if (!g) throw tgwNotFound(id);
  return g;
}

/**
 * Keep a just-deleted attachment describable as "deleted" (AWS goes on listing it for a while, and Terraform's
 * delete waiters wait for that state); no route table association any more.
 */
export function rememberDeleted(m: MoreState, now: number, a: TgwAttachmentRec): void {
  deletedAtts(m, now, { ...a, tags: new Map(a.tags), association: undefined });
}

const deletedAtts = (m: MoreState, now: number, add?: TgwAttachmentRec) => tombstones((m.deletedTgwAttachments ??= new Map()), now, add);

/** Live attachments, then the recently deleted ones (only describe shows those). */
export function describable(m: MoreState, now: number): TgwAttachmentRec[] {
  const gone = deletedAtts(m, now);
  return gone.size ? [...m.tgwAttachments.values(), ...[...gone.values()].filter((a) => !m.tgwAttachments.has(a.id))] : [...m.tgwAttachments.values()];
}

/**
 * Another account's transit gateway of this Region, for a VPC attachment of this account's VPC. awsim has no AWS RAM,
 * so every gateway counts as shared with every account of the server.
 */
function sharedTgw(s: Ec2State, id: string): Ec2State | undefined {
  return otherAccountStates(s).find((o) => o.tgws.has(id));
}

/** VPC attachments of this account's VPCs to other accounts' gateways (they live with the gateway), deleted ones too. */
export function foreignVpcAttachments(s: Ec2State, now: number): TgwAttachmentRec[] {
  const out: TgwAttachmentRec[] = [];
  for (const o of otherAccountStates(s)) {
    const om = moreOf(o);
    sync(o, om);
    for (const a of describable(om, now)) if (a.vpcOwnerId === s.accountId) out.push(a);
  }
  return out;
}

/**
 * A VPC attachment the caller may act on: one to its own gateway (any VPC owner), or one of its VPCs' attachments to
 * another account's gateway. `o`/`om` are the gateway owner's state, where the record lives.
 */
export function findVpcAttachment(s: Ec2State, m: MoreState, id: string): { o: Ec2State; om: MoreState; a: TgwAttachmentRec } {
  const own = m.tgwAttachments.get(id);
  if (own) {
    if (own.resourceType !== "vpc") throw attNotFound(id, "VPC ");
    return { o: s, om: m, a: own };
  }
  for (const o of otherAccountStates(s)) {
    const om = moreOf(o);
    const a = om.tgwAttachments.get(id);
    if (a?.resourceType === "vpc" && a.vpcOwnerId === s.accountId) return { o, om, a };
  }
  throw attNotFound(id, "VPC ");
}

/** A write to another account's state goes through ctx.stateOf, which records the scope as touched (--persist). */
async function touch(ctx: Ctx, s: Ec2State, o: Ec2State): Promise<void> {
  if (o !== s) await ctx.stateOf("ec2", o.region, o.accountId);
}

function getAtt(m: MoreState, id: string, kind = ""): TgwAttachmentRec {
  const a = m.tgwAttachments.get(id);
  if (!a) throw attNotFound(id, kind);
  return a;
}

function getRtb(m: MoreState, id: string): TgwRouteTableRec {
  const r = m.tgwRouteTables.get(id);
  if (!r) throw rtbNotFound(id);
  return r;
}

/** A new attachment joins the gateway's default route table (association and propagation) unless disabled. */
export function attachDefaults(s: Ec2State, m: MoreState, a: TgwAttachmentRec): void {
  const g = getTgw(s, a.tgwId);
  const rtb = m.tgwRouteTables.get(g.routeTableId);
  if (!rtb) return;
  if (enabled(g.options.DefaultRouteTableAssociation)) a.association = rtb.id;
  if (enabled(g.options.DefaultRouteTablePropagation)) rtb.propagations.add(a.id);
}

/** Forget an attachment everywhere (associations, propagations; static routes to it become blackholes). */
export function detachEverywhere(m: MoreState, id: string): void {
  for (const r of m.tgwRouteTables.values()) {
    r.propagations.delete(id);
    for (const route of r.routes.values()) if (route.attachmentId === id) route.blackhole = true;
  }
}

const vpcAttView = (s: Ec2State, a: TgwAttachmentRec, state = a.state) => ({
  TransitGatewayAttachmentId: a.id,
  TransitGatewayId: a.tgwId,
  VpcId: a.resourceId,
  VpcOwnerId: a.vpcOwnerId ?? s.accountId,
  State: state,
  SubnetIds: a.subnetIds,
  CreationTime: a.createTime,
  Options: a.options,
  Tags: tagList(a).map(({ key, value }) => ({ Key: key, Value: value })),
});

const tags = (r: { tags: Map<string, string> }) => [...r.tags].map(([Key, Value]) => ({ Key, Value }));

export const attView = (s: Ec2State, a: TgwAttachmentRec) => ({
  TransitGatewayAttachmentId: a.id,
  TransitGatewayId: a.tgwId,
  TransitGatewayOwnerId: a.tgwOwnerId ?? s.accountId,
  ResourceOwnerId: a.vpcOwnerId ?? s.accountId,
  ResourceType: a.resourceType,
  ResourceId: a.resourceId,
  State: a.state,
  Association: a.association ? { TransitGatewayRouteTableId: a.association, State: "associated" } : undefined,
  CreationTime: a.createTime,
  Tags: tags(a),
});

const rtbView = (r: TgwRouteTableRec, state = r.state) => ({
  TransitGatewayRouteTableId: r.id,
  TransitGatewayId: r.tgwId,
  State: state,
  DefaultAssociationRouteTable: r.defaultAssociation,
  DefaultPropagationRouteTable: r.defaultPropagation,
  CreationTime: r.createTime,
  Tags: tags(r),
});

// ---------------------------------------------------------------- VPC attachments

const OPTION_DEFAULTS = { DnsSupport: "enable", SecurityGroupReferencingSupport: "enable", Ipv6Support: "disable", ApplianceModeSupport: "disable" };

function subnetsFor(s: Ec2State, vpcId: string, ids: string[]): string[] {
  const zones = new Set<string>();
  for (const id of ids) {
    const sn = getSubnet(s, id);
    if (sn.vpcId !== vpcId) throw Ec2Errors.invalidValue(`Subnet ${id} does not belong to VPC ${vpcId}.`);
    if (zones.has(sn.az)) throw e("DuplicateSubnetsInSameZone", `Duplicate Subnets for same AZ`);
    zones.add(sn.az);
  }
  return ids;
}

export async function CreateTransitGatewayVpcAttachment(ctx: Ctx, input: Input) {
  const { s, m } = ctxTgw(ctx);
  const tgwId = String(input.TransitGatewayId);
  // A gateway of another account: the attachment lives with the gateway, and waits for its owner's acceptance
  // unless the gateway auto-accepts shared attachments.
  const o = s.tgws.has(tgwId) ? s : (sharedTgw(s, tgwId) ?? s);
  const om = o === s ? m : moreOf(o);
  if (o !== s) sync(o, om);
  const g = getTgw(o, tgwId);
  const vpc = getVpc(s, String(input.VpcId));
  const subnetIds = subnetsFor(s, vpc.id, list(input.SubnetIds));
  const dead = ["deleted", "deleting", "rejected", "failed"];
  if ([...om.tgwAttachments.values()].some((a) => a.tgwId === g.id && a.resourceId === vpc.id && !dead.includes(a.state)))
    throw e("DuplicateTransitGatewayAttachment", `${g.id} has non-deleted Transit Gateway Attachments with same VPC ID.`);
  dryRun(input);
  const accepted = o === s || g.options.AutoAcceptSharedAttachments === "enable";
  await touch(ctx, s, o);
  const a: TgwAttachmentRec = {
    id: ec2Id("tgw-attach"),
    tgwId: g.id,
    resourceType: "vpc",
    resourceId: vpc.id,
    subnetIds,
    options: { ...OPTION_DEFAULTS, ...(input.Options ?? {}) },
    state: accepted ? "available" : "pendingAcceptance",
    createTime: ctx.now(),
    tags: new Map(),
    ...(o === s ? {} : { vpcOwnerId: s.accountId, tgwOwnerId: o.accountId }),
  };
  om.tgwAttachments.set(a.id, a);
  applyTagSpec(s, input, "transit-gateway-attachment", a.id, a);
  if (accepted) attachDefaults(o, om, a);
  return { TransitGatewayVpcAttachment: vpcAttView(s, a, "pending") };
}

export async function ModifyTransitGatewayVpcAttachment(ctx: Ctx, input: Input) {
  const { s, m } = ctxTgw(ctx);
  const { o, a } = findVpcAttachment(s, m, String(input.TransitGatewayAttachmentId));
  // The subnets are the VPC owner's.
  const vs = a.vpcOwnerId && a.vpcOwnerId !== s.accountId ? otherAccountStates(s).find((x) => x.accountId === a.vpcOwnerId) : s;
  if (!vs) throw attNotFound(a.id, "VPC ");
  const remove = new Set(list(input.RemoveSubnetIds));
  for (const id of remove) if (!a.subnetIds.includes(id)) throw Ec2Errors.invalidValue(`Subnet ${id} is not part of attachment ${a.id}.`);
  const next = [...a.subnetIds.filter((x) => !remove.has(x)), ...list(input.AddSubnetIds).filter((x) => !a.subnetIds.includes(x))];
  subnetsFor(vs, a.resourceId, next);
  if (!next.length) throw Ec2Errors.invalidValue("An attachment must have at least one subnet.");
  dryRun(input);
  await touch(ctx, s, o);
  a.subnetIds = next;
  a.options = { ...a.options, ...(input.Options ?? {}) };
  return { TransitGatewayVpcAttachment: vpcAttView(s, a, "modifying") };
}

export async function DeleteTransitGatewayVpcAttachment(ctx: Ctx, input: Input) {
  const { s, m } = ctxTgw(ctx);
  const { o, om, a } = findVpcAttachment(s, m, String(input.TransitGatewayAttachmentId));
  dryRun(input);
  await touch(ctx, s, o);
  detachEverywhere(om, a.id);
  dropTags(s, a.id, a);
  om.tgwAttachments.delete(a.id);
  rememberDeleted(om, ctx.now().getTime(), a);
  return { TransitGatewayVpcAttachment: vpcAttView(s, a, "deleting") };
}

export function DescribeTransitGatewayVpcAttachments(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, m } = ctxTgw(ctx);
  const ids = list(input.TransitGatewayAttachmentIds);
  const all = [...describable(m, ctx.now().getTime()), ...foreignVpcAttachments(s, ctx.now().getTime())].filter((a) => a.resourceType === "vpc");
  for (const id of ids) if (!all.some((a) => a.id === id)) throw attNotFound(id, "VPC ");
  const r = select(
    ids.length ? all.filter((a) => ids.includes(a.id)) : all,
    input,
    {
      state: (a) => a.state,
      "transit-gateway-attachment-id": (a) => a.id,
      "transit-gateway-id": (a) => a.tgwId,
      "vpc-id": (a) => a.resourceId,
    },
    (a) => a.id,
    PAGE,
  );
  return { TransitGatewayVpcAttachments: r.items.map((a) => vpcAttView(s, a)), NextToken: r.nextToken };
}

export function DescribeTransitGatewayAttachments(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, m } = ctxTgw(ctx);
  const ids = list(input.TransitGatewayAttachmentIds);
  const all = [...describable(m, ctx.now().getTime()), ...foreignVpcAttachments(s, ctx.now().getTime())];
  const byId = new Map(all.map((a) => [a.id, a]));
  for (const id of ids) if (!byId.has(id)) throw attNotFound(id);
  const r = select(
    ids.length ? ids.map((id) => byId.get(id)!) : all,
    input,
    {
      "association.state": (a) => (a.association ? "associated" : undefined),
      "association.transit-gateway-route-table-id": (a) => a.association,
      "resource-id": (a) => a.resourceId,
      "resource-owner-id": (a) => a.vpcOwnerId ?? s.accountId,
      "resource-type": (a) => a.resourceType,
      state: (a) => a.state,
      "transit-gateway-attachment-id": (a) => a.id,
      "transit-gateway-id": (a) => a.tgwId,
      "transit-gateway-owner-id": (a) => a.tgwOwnerId ?? s.accountId,
    },
    (a) => a.id,
    PAGE,
  );
  return { TransitGatewayAttachments: r.items.map((a) => attView(s, a)), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- route tables

export function CreateTransitGatewayRouteTable(ctx: Ctx, input: Input) {
  const { s, m } = ctxTgw(ctx);
  const g = getTgw(s, String(input.TransitGatewayId));
  dryRun(input);
  const r: TgwRouteTableRec = {
    id: ec2Id("tgw-rtb"),
    tgwId: g.id,
    state: "available",
    createTime: ctx.now(),
    defaultAssociation: false,
    defaultPropagation: false,
    routes: new Map(),
    propagations: new Set(),
    tags: new Map(),
  };
  m.tgwRouteTables.set(r.id, r);
  applyTagSpec(s, input, "transit-gateway-route-table", r.id, r);
  return { TransitGatewayRouteTable: rtbView(r, "pending") };
}

export function DeleteTransitGatewayRouteTable(ctx: Ctx, input: Input) {
  const { s, m } = ctxTgw(ctx);
  const r = getRtb(m, String(input.TransitGatewayRouteTableId));
  if (r.defaultAssociation || r.defaultPropagation)
    throw e("IncorrectState", `Transit Gateway Route Table ${r.id} is the default route table of ${r.tgwId} and cannot be deleted.`);
  const assoc = [...m.tgwAttachments.values()].filter((a) => a.association === r.id);
  if (assoc.length) throw e("IncorrectState", `${r.id} has non-disassociated Transit Gateway Attachments: ${assoc.map((a) => a.id).join(", ")}.`);
  dryRun(input);
  dropTags(s, r.id, r);
  m.tgwRouteTables.delete(r.id);
  return { TransitGatewayRouteTable: rtbView(r, "deleting") };
}

export function DescribeTransitGatewayRouteTables(ctx: Ctx, input: Input) {
  dryRun(input);
  const { m } = ctxTgw(ctx);
  const ids = list(input.TransitGatewayRouteTableIds);
  for (const id of ids) getRtb(m, id);
  const r = select(
    ids.length ? ids.map((id) => m.tgwRouteTables.get(id)!) : [...m.tgwRouteTables.values()],
    input,
    {
      "default-association-route-table": (x) => x.defaultAssociation,
      "default-propagation-route-table": (x) => x.defaultPropagation,
      state: (x) => x.state,
      "transit-gateway-id": (x) => x.tgwId,
      "transit-gateway-route-table-id": (x) => x.id,
    },
    (x) => x.id,
    PAGE,
  );
  return { TransitGatewayRouteTables: r.items.map((x) => rtbView(x)), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- associations and propagations

function pair(ctx: Ctx, input: Input) {
  const { s, m } = ctxTgw(ctx);
  const r = getRtb(m, String(input.TransitGatewayRouteTableId));
  const a = getAtt(m, String(input.TransitGatewayAttachmentId));
  if (a.tgwId !== r.tgwId)
    throw Ec2Errors.invalidValue(`Transit Gateway Attachment ${a.id} and Transit Gateway Route Table ${r.id} belong to different transit gateways.`);
  return { s, m, r, a };
}

export function AssociateTransitGatewayRouteTable(ctx: Ctx, input: Input) {
  const { r, a } = pair(ctx, input);
  if (a.association) throw e("Resource.AlreadyAssociated", `Transit Gateway Attachment ${a.id} is already associated to a route table.`);
  dryRun(input);
  a.association = r.id;
  return {
    Association: {
      TransitGatewayRouteTableId: r.id,
      TransitGatewayAttachmentId: a.id,
      ResourceId: a.resourceId,
      ResourceType: a.resourceType,
      State: "associating",
    },
  };
}

export function DisassociateTransitGatewayRouteTable(ctx: Ctx, input: Input) {
  const { r, a } = pair(ctx, input);
  if (a.association !== r.id)
    throw e("InvalidAssociation.NotFound", `Transit Gateway Attachment ${a.id} is not associated with Transit Gateway Route Table ${r.id}.`);
  dryRun(input);
  a.association = undefined;
  return {
    Association: {
      TransitGatewayRouteTableId: r.id,
      TransitGatewayAttachmentId: a.id,
      ResourceId: a.resourceId,
      ResourceType: a.resourceType,
      State: "disassociating",
    },
  };
}

export function GetTransitGatewayRouteTableAssociations(ctx: Ctx, input: Input) {
  dryRun(input);
  const { m } = ctxTgw(ctx);
  const r = getRtb(m, String(input.TransitGatewayRouteTableId));
  const page = select(
    [...m.tgwAttachments.values()].filter((a) => a.association === r.id),
    input,
    { "resource-id": (a) => a.resourceId, "resource-type": (a) => a.resourceType, "transit-gateway-attachment-id": (a) => a.id },
    (a) => a.id,
    PAGE,
  );
  return {
    Associations: page.items.map((a) => ({ TransitGatewayAttachmentId: a.id, ResourceId: a.resourceId, ResourceType: a.resourceType, State: "associated" })),
    NextToken: page.nextToken,
  };
}

function propagation(ctx: Ctx, input: Input, on: boolean) {
  if (input.TransitGatewayAttachmentId === undefined) throw Ec2Errors.missing("TransitGatewayAttachmentId");
  const { r, a } = pair(ctx, input);
  if (on && r.propagations.has(a.id))
    throw e(
      "TransitGatewayRouteTablePropagation.Duplicate",
      `Transit Gateway Attachment ${a.id} is already propagating to Transit Gateway Route Table ${r.id}.`,
    );
  if (!on && !r.propagations.has(a.id))
    throw e("TransitGatewayRouteTablePropagation.NotFound", `Transit Gateway Attachment ${a.id} is not propagating to Transit Gateway Route Table ${r.id}.`);
  dryRun(input);
  if (on) r.propagations.add(a.id);
  else r.propagations.delete(a.id);
  return {
    Propagation: {
      TransitGatewayAttachmentId: a.id,
      ResourceId: a.resourceId,
      ResourceType: a.resourceType,
      TransitGatewayRouteTableId: r.id,
      State: on ? "enabling" : "disabling",
    },
  };
}

export const EnableTransitGatewayRouteTablePropagation = (ctx: Ctx, input: Input) => propagation(ctx, input, true);
export const DisableTransitGatewayRouteTablePropagation = (ctx: Ctx, input: Input) => propagation(ctx, input, false);

export function GetTransitGatewayRouteTablePropagations(ctx: Ctx, input: Input) {
  dryRun(input);
  const { m } = ctxTgw(ctx);
  const r = getRtb(m, String(input.TransitGatewayRouteTableId));
  const page = select(
    [...r.propagations].map((id) => m.tgwAttachments.get(id)).filter((a): a is TgwAttachmentRec => !!a),
    input,
    { "resource-id": (a) => a.resourceId, "resource-type": (a) => a.resourceType, "transit-gateway-attachment-id": (a) => a.id },
    (a) => a.id,
    PAGE,
  );
  return {
    TransitGatewayRouteTablePropagations: page.items.map((a) => ({
      TransitGatewayAttachmentId: a.id,
      ResourceId: a.resourceId,
      ResourceType: a.resourceType,
      State: "enabled",
    })),
    NextToken: page.nextToken,
  };
}

export function GetTransitGatewayAttachmentPropagations(ctx: Ctx, input: Input) {
  dryRun(input);
  const { m } = ctxTgw(ctx);
  const a = getAtt(m, String(input.TransitGatewayAttachmentId));
  const page = select(
    [...m.tgwRouteTables.values()].filter((r) => r.propagations.has(a.id)),
    input,
    { "transit-gateway-route-table-id": (r) => r.id },
    (r) => r.id,
    PAGE,
  );
  return {
    TransitGatewayAttachmentPropagations: page.items.map((r) => ({ TransitGatewayRouteTableId: r.id, State: "enabled" })),
    NextToken: page.nextToken,
  };
}

// ---------------------------------------------------------------- routes

interface RouteRow {
  cidr: string;
  type: "static" | "propagated";
  state: "active" | "blackhole";
  attachments: TgwAttachmentRec[];
  tags: Map<string, string>;
}

/** CIDRs an attachment propagates: a VPC's blocks, a VPN connection's static routes. */
function cidrsOf(s: Ec2State, m: MoreState, a: TgwAttachmentRec): string[] {
  if (a.resourceType === "vpc") {
    const v = s.vpcs.get(a.resourceId);
    return v ? [v.cidr, ...v.secondaryCidrs.map((c) => c.cidr)] : [];
  }
  const vpn = m.vpns.get(a.resourceId);
  return vpn ? [...vpn.routes.keys()] : [];
}

function routesOf(s: Ec2State, m: MoreState, r: TgwRouteTableRec): RouteRow[] {
  const rows = new Map<string, RouteRow>();
  for (const id of r.propagations) {
    const a = m.tgwAttachments.get(id);
    if (!a) continue;
    for (const cidr of cidrsOf(s, m, a)) {
      const row = rows.get(cidr);
      if (row) row.attachments.push(a);
      else rows.set(cidr, { cidr, type: "propagated", state: "active", attachments: [a], tags: new Map() });
    }
  }
  for (const [cidr, route] of r.routes) {
    const a = route.attachmentId ? m.tgwAttachments.get(route.attachmentId) : undefined;
    rows.set(cidr, {
      cidr,
      type: "static",
      state: route.blackhole || !a ? "blackhole" : "active",
      attachments: a && !route.blackhole ? [a] : [],
      tags: new Map(),
    });
  }
  return [...rows.values()].sort((x, y) => (x.cidr < y.cidr ? -1 : 1));
}

const routeView = (row: RouteRow) => ({
  DestinationCidrBlock: row.cidr,
  TransitGatewayAttachments: row.attachments.length
    ? row.attachments.map((a) => ({ ResourceId: a.resourceId, TransitGatewayAttachmentId: a.id, ResourceType: a.resourceType }))
    : undefined,
  Type: row.type,
  State: row.state,
});

function routeInput(ctx: Ctx, input: Input) {
  const { s, m } = ctxTgw(ctx);
  const r = getRtb(m, String(input.TransitGatewayRouteTableId));
  const cidr = String(input.DestinationCidrBlock);
  if (!parseCidr(cidr)) throw Ec2Errors.invalidValue(`Value (${cidr}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`);
  return { s, m, r, cidr };
}

function target(m: MoreState, r: TgwRouteTableRec, input: Input): { attachmentId?: string; blackhole: boolean } {
  const blackhole = input.Blackhole === true;
  if (blackhole && input.TransitGatewayAttachmentId)
    throw Ec2Errors.invalidCombination("Only one of TransitGatewayAttachmentId and Blackhole can be specified.");
  if (!blackhole && !input.TransitGatewayAttachmentId) throw Ec2Errors.missing("TransitGatewayAttachmentId");
  if (input.TransitGatewayAttachmentId) {
    const a = getAtt(m, String(input.TransitGatewayAttachmentId));
    if (a.tgwId !== r.tgwId) throw Ec2Errors.invalidValue(`Transit Gateway Attachment ${a.id} does not belong to ${r.tgwId}.`);
    return { attachmentId: a.id, blackhole: false };
  }
  return { blackhole: true };
}

export function CreateTransitGatewayRoute(ctx: Ctx, input: Input) {
  const { s, m, r, cidr } = routeInput(ctx, input);
  const t = target(m, r, input);
  if (r.routes.has(cidr)) throw e("RouteAlreadyExists", `Route ${cidr} already exists in Transit Gateway Route Table ${r.id}.`);
  dryRun(input);
  r.routes.set(cidr, t);
  return { Route: routeView(routesOf(s, m, r).find((x) => x.cidr === cidr)!) };
}

export function ReplaceTransitGatewayRoute(ctx: Ctx, input: Input) {
  const { s, m, r, cidr } = routeInput(ctx, input);
  const t = target(m, r, input);
  if (!r.routes.has(cidr)) throw e("InvalidRoute.NotFound", `No route with destination-cidr-block ${cidr} in Transit Gateway Route Table ${r.id}.`);
  dryRun(input);
  r.routes.set(cidr, t);
  return { Route: routeView(routesOf(s, m, r).find((x) => x.cidr === cidr)!) };
}

export function DeleteTransitGatewayRoute(ctx: Ctx, input: Input) {
  const { s, m, r, cidr } = routeInput(ctx, input);
  if (!r.routes.has(cidr)) throw e("InvalidRoute.NotFound", `No route with destination-cidr-block ${cidr} in Transit Gateway Route Table ${r.id}.`);
  dryRun(input);
  const row = routesOf(s, m, r).find((x) => x.cidr === cidr)!;
  r.routes.delete(cidr);
  return { Route: { ...routeView(row), State: "deleted" } };
}

export function SearchTransitGatewayRoutes(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, m } = ctxTgw(ctx);
  const r = getRtb(m, String(input.TransitGatewayRouteTableId));
  const searches = (input.Filters ?? []).filter((f: Input) => String(f?.Name).startsWith("route-search."));
  let rows = select(
    routesOf(s, m, r),
    { Filters: (input.Filters ?? []).filter((f: Input) => !String(f?.Name).startsWith("route-search.")) },
    {
      "attachment.transit-gateway-attachment-id": (x) => x.attachments.map((a) => a.id),
      "attachment.resource-id": (x) => x.attachments.map((a) => a.resourceId),
      "attachment.resource-type": (x) => x.attachments.map((a) => a.resourceType),
      "prefix-list-id": () => undefined,
      state: (x) => x.state,
      type: (x) => x.type,
    },
    (x) => x.cidr,
  ).items;
  // The route-search.* filters compare CIDRs.
  for (const f of searches) {
    const vals = list(f.Values);
    if (f.Name === "route-search.exact-match") rows = rows.filter((x) => vals.includes(x.cidr));
    else if (f.Name === "route-search.subnet-of-match") rows = rows.filter((x) => vals.some((v) => cidrContains(v, x.cidr)));
    else if (f.Name === "route-search.supernet-of-match") rows = rows.filter((x) => vals.some((v) => cidrContains(x.cidr, v)));
    else if (f.Name === "route-search.longest-prefix-match") {
      const cands = rows.filter((x) => vals.some((v) => cidrContains(x.cidr, v)));
      const best = Math.max(-1, ...cands.map((x) => parseCidr(x.cidr)!.bits));
      rows = cands.filter((x) => parseCidr(x.cidr)!.bits === best);
    } else throw Ec2Errors.invalidFilter(String(f.Name));
  }
  const max = input.MaxResults ?? 1000;
  if (max < 5 || max > 1000) throw Ec2Errors.invalidValue(`Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
  return { Routes: rows.slice(0, max).map(routeView), AdditionalRoutesAvailable: rows.length > max };
}

// ---------------------------------------------------------------- the gateway's options

const tgwView = (s: Ec2State, g: TransitGatewayRec) => ({
  TransitGatewayId: g.id,
  TransitGatewayArn: `arn:aws:ec2:${s.region}:${s.accountId}:transit-gateway/${g.id}`,
  State: "modifying",
  OwnerId: s.accountId,
  Description: g.description,
  CreationTime: g.createTime,
  Options: {
    AmazonSideAsn: g.asn,
    AutoAcceptSharedAttachments: g.options.AutoAcceptSharedAttachments ?? "disable",
    DefaultRouteTableAssociation: g.options.DefaultRouteTableAssociation ?? "enable",
    AssociationDefaultRouteTableId: g.routeTableId,
    DefaultRouteTablePropagation: g.options.DefaultRouteTablePropagation ?? "enable",
    PropagationDefaultRouteTableId: g.routeTableId,
    VpnEcmpSupport: g.options.VpnEcmpSupport ?? "enable",
    DnsSupport: g.options.DnsSupport ?? "enable",
    SecurityGroupReferencingSupport: g.options.SecurityGroupReferencingSupport ?? "disable",
    MulticastSupport: g.options.MulticastSupport ?? "disable",
    TransitGatewayCidrBlocks: g.options.TransitGatewayCidrBlocks,
    EncryptionSupport: { EncryptionState: tgwEncryptionState(g) },
  },
  Tags: tags(g),
});

/**
 * Description and options. The gateway has one default route table for association and propagation
 * (../vpc-links.ts reports one id for both): AssociationDefaultRouteTableId and
 * PropagationDefaultRouteTableId move it, and must agree when both are given.
 */
export function ModifyTransitGateway(ctx: Ctx, input: Input) {
  const { s, m } = ctxTgw(ctx);
  const g = getTgw(s, String(input.TransitGatewayId));
  const o = (input.Options ?? {}) as Input;
  const asn = o.AmazonSideAsn;
  if (asn !== undefined && !((asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294)))
    throw Ec2Errors.invalidValue(`Invalid value '${asn}' for AmazonSideAsn.`);
  const assocId = o.AssociationDefaultRouteTableId as string | undefined;
  const propId = o.PropagationDefaultRouteTableId as string | undefined;
  if (assocId && propId && assocId !== propId)
    throw Ec2Errors.invalidCombination("AssociationDefaultRouteTableId and PropagationDefaultRouteTableId must name the same route table.");
  const newDefault = assocId ?? propId;
  if (newDefault) {
    const r = getRtb(m, newDefault);
    if (r.tgwId !== g.id) throw Ec2Errors.invalidValue(`Transit Gateway Route Table ${r.id} does not belong to ${g.id}.`);
  }
  const cidrs = new Set<string>(list(g.options.TransitGatewayCidrBlocks));
  for (const c of list(o.AddTransitGatewayCidrBlocks)) {
    const p = parseCidr(c);
    if (p ? p.bits > 24 : !c.includes(":")) throw Ec2Errors.invalidValue(`The CIDR block ${c} is invalid: IPv4 blocks must be /24 or larger.`);
    cidrs.add(c);
  }
  for (const c of list(o.RemoveTransitGatewayCidrBlocks)) cidrs.delete(c);
  dryRun(input);
  if (input.Description !== undefined) g.description = input.Description;
  if (asn !== undefined) g.asn = asn;
  for (const k of [
    "VpnEcmpSupport",
    "DnsSupport",
    "SecurityGroupReferencingSupport",
    "AutoAcceptSharedAttachments",
    "DefaultRouteTableAssociation",
    "DefaultRouteTablePropagation",
    "EncryptionSupport",
  ])
    if (o[k] !== undefined) g.options[k] = o[k];
  g.options.TransitGatewayCidrBlocks = cidrs.size ? [...cidrs] : undefined;
  if (newDefault) g.routeTableId = newDefault;
  for (const r of m.tgwRouteTables.values()) {
    if (r.tgwId !== g.id) continue;
    r.defaultAssociation = r.id === g.routeTableId && enabled(g.options.DefaultRouteTableAssociation);
    r.defaultPropagation = r.id === g.routeTableId && enabled(g.options.DefaultRouteTablePropagation);
  }
  return { TransitGateway: tgwView(s, g) };
}

/** ../vpc-links.ts deletes the gateway; first, AWS refuses while attachments remain. */
export function DeleteTransitGateway(ctx: Ctx, input: Input) {
  const { s, m } = ctxTgw(ctx);
  const id = String(input.TransitGatewayId ?? "");
  const left = [...m.tgwAttachments.values()].filter((a) => a.tgwId === id && a.state !== "rejected");
  if (s.tgws.has(id) && left.length) throw e("IncorrectState", `${id} has non-deleted Transit Gateway Attachments: ${left.map((a) => a.id).join(", ")}.`);
  return baseDeleteTransitGateway(ctx, input);
}
