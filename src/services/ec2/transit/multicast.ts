/**
 * Transit gateway multicast domains (on a gateway created with MulticastSupport enable): subnet
 * associations of the gateway's VPC attachments, static group members and sources (network interfaces in
 * associated subnets, group addresses in 224.0.0.0/4 or ff00::/8), and the group search. Associations of
 * the owner's own attachments are accepted at once. Another account whose VPC is attached to the gateway may
 * associate its subnets with the domain (awsim has no AWS RAM: every domain counts as shared); that association
 * waits for the domain owner's acceptance unless the domain auto-accepts shared associations.
 */
import type { Ctx } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { applyTagSpec, cidrContains, dropTags, dryRun, list, otherAccountStates, parseCidr, select, tagsOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { moreOf, type MoreState, type TgwAttachmentRec } from "../more/state.js";
import { getTgw } from "../more/tgw.js";
import type { Ec2State } from "../state.js";
import { type MulticastDomainRec, type MulticastMemberRec, transitOf, tr } from "./state.js";
import { attNotFound, getAtt } from "./tgw.js";

const e = Ec2Errors.custom;
const PAGE = { paginate: true, min: 5, max: 1000 };

export const domainNotFound = (id: string) =>
  e("InvalidTransitGatewayMulticastDomainId.NotFound", `Transit Gateway Multicast Domain ${id} was deleted or does not exist.`);

const arn = (s: Ec2State, id: string) => `arn:aws:ec2:${s.region}:${s.accountId}:transit-gateway-multicast-domain/${id}`;

const view = (s: Ec2State, d: MulticastDomainRec, state = d.state) => ({
  TransitGatewayMulticastDomainId: d.id,
  TransitGatewayId: d.tgwId,
  TransitGatewayMulticastDomainArn: arn(s, d.id),
  OwnerId: s.accountId,
  Options: d.options,
  State: state,
  CreationTime: d.created,
  Tags: tagsOf(d),
});

function getDomain(ctx: Ctx, id: string) {
  const r = tr(ctx);
  const d = r.t.multicastDomains.get(id);
  if (!d) throw domainNotFound(id);
  return { ...r, d };
}

/**
 * A domain for a subnet association: the caller's own, or another account's of this Region (shared). `s` is the
 * domain owner's state, `own` the caller's; a write to another account's state goes through ctx.stateOf (--persist).
 */
async function sharedDomain(ctx: Ctx, id: string) {
  const own = tr(ctx);
  const mine = own.t.multicastDomains.get(id);
  if (mine) return { ...own, d: mine, own: own.s };
  for (const o of otherAccountStates(own.s)) {
    const d = transitOf(o).multicastDomains.get(id);
    if (!d) continue;
    await ctx.stateOf("ec2", o.region, o.accountId);
    return { s: o, m: moreOf(o), t: transitOf(o), d, own: own.s };
  }
  throw domainNotFound(id);
}

/** The account whose VPC (and subnets) an attachment attaches. */
const vpcOwner = (s: Ec2State, a: TgwAttachmentRec) => a.vpcOwnerId ?? s.accountId;

const en = (v: unknown, dflt: string) => (v === undefined ? dflt : String(v));

export function CreateTransitGatewayMulticastDomain(ctx: Ctx, input: Input) {
  const { s, t } = tr(ctx);
  const g = getTgw(s, String(input.TransitGatewayId));
  if (g.options.MulticastSupport !== "enable") throw Ec2Errors.invalidValue(`Transit Gateway ${g.id} does not have multicast support enabled.`);
  dryRun(input);
  const o = (input.Options ?? {}) as Input;
  const d: MulticastDomainRec = {
    id: ec2Id("tgw-mcast-domain"),
    tgwId: g.id,
    options: {
      Igmpv2Support: en(o.Igmpv2Support, "disable"),
      StaticSourcesSupport: en(o.StaticSourcesSupport, "disable"),
      AutoAcceptSharedAssociations: en(o.AutoAcceptSharedAssociations, "disable"),
    },
    state: "available",
    created: ctx.now(),
    associations: new Map(),
    groups: new Map(),
    tags: new Map(),
  };
  t.multicastDomains.set(d.id, d);
  applyTagSpec(s, input, "transit-gateway-multicast-domain", d.id, d);
  return { TransitGatewayMulticastDomain: view(s, d, "pending") };
}

export function DeleteTransitGatewayMulticastDomain(ctx: Ctx, input: Input) {
  const { s, t, d } = getDomain(ctx, String(input.TransitGatewayMulticastDomainId));
  if (d.associations.size)
    throw e(
      "IncorrectState",
      `${d.id} has non-disassociated Transit Gateway Attachments: ${[...new Set([...d.associations.values()].map((a) => a.attachmentId))].join(", ")}.`,
    );
  dryRun(input);
  dropTags(s, d.id, d);
  t.multicastDomains.delete(d.id);
  return { TransitGatewayMulticastDomain: view(s, d, "deleting") };
}

export function DescribeTransitGatewayMulticastDomains(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, t } = tr(ctx);
  const ids = list(input.TransitGatewayMulticastDomainIds);
  for (const id of ids) if (!t.multicastDomains.has(id)) throw domainNotFound(id);
  const r = select(
    ids.length ? ids.map((id) => t.multicastDomains.get(id)!) : [...t.multicastDomains.values()],
    input,
    { state: (d) => d.state, "transit-gateway-id": (d) => d.tgwId, "transit-gateway-multicast-domain-id": (d) => d.id },
    (d) => d.id,
    PAGE,
  );
  return { TransitGatewayMulticastDomains: r.items.map((d) => view(s, d)), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- associations

const assocOut = (s: Ec2State, d: MulticastDomainRec, a: TgwAttachmentRec, subnets: Array<{ SubnetId: string; State: string }>) => ({
  TransitGatewayMulticastDomainId: d.id,
  TransitGatewayAttachmentId: a.id,
  ResourceId: a.resourceId,
  ResourceType: a.resourceType,
  ResourceOwnerId: vpcOwner(s, a),
  Subnets: subnets,
});

function attachmentOf(m: MoreState, d: MulticastDomainRec, id: string, caller?: Ec2State, s?: Ec2State): TgwAttachmentRec {
  const a = getAtt(m, id);
  // Another account sees only its own VPCs' attachments to the domain owner's gateway.
  if (caller && s && caller !== s && a.vpcOwnerId !== caller.accountId) throw attNotFound(id);
  if (a.tgwId !== d.tgwId)
    throw Ec2Errors.invalidValue(`Transit Gateway Attachment ${a.id} and Transit Gateway Multicast Domain ${d.id} belong to different transit gateways.`);
  return a;
}

/** The state that holds an attachment's subnets (its VPC owner's: the caller's, or the domain owner's). */
const subnetState = (s: Ec2State, own: Ec2State, a: TgwAttachmentRec) =>
  vpcOwner(s, a) === own.accountId ? own : (otherAccountStates(s).find((o) => o.accountId === vpcOwner(s, a)) ?? s);

export async function AssociateTransitGatewayMulticastDomain(ctx: Ctx, input: Input) {
  const { s, m, d, own } = await sharedDomain(ctx, String(input.TransitGatewayMulticastDomainId));
  const a = attachmentOf(m, d, String(input.TransitGatewayAttachmentId), own, s);
  if (a.resourceType !== "vpc") throw Ec2Errors.invalidValue(`Transit Gateway Attachment ${a.id} is not a VPC attachment.`);
  const subnets = list(input.SubnetIds);
  if (!subnets.length) throw Ec2Errors.missing("SubnetIds");
  const ss = subnetState(s, own, a);
  for (const id of subnets) {
    if (!ss.subnets.has(id)) throw Ec2Errors.notFound("Subnet", "subnet", [id]);
    if (!a.subnetIds.includes(id)) throw Ec2Errors.invalidValue(`Subnet ${id} is not part of Transit Gateway Attachment ${a.id}.`);
    if ((d.associations.get(`${a.id}|${id}`)?.state ?? "rejected") !== "rejected")
      throw e("Resource.AlreadyAssociated", `Subnet ${id} is already associated with ${d.id}.`);
  }
  dryRun(input);
  // A consumer's association waits for the domain owner unless the domain auto-accepts shared associations.
  const pending = own !== s && d.options.AutoAcceptSharedAssociations !== "enable";
  const state = pending ? "pendingAcceptance" : "associated";
  for (const id of subnets) d.associations.set(`${a.id}|${id}`, { attachmentId: a.id, subnetId: id, state });
  return {
    Associations: assocOut(
      s,
      d,
      a,
      subnets.map((SubnetId) => ({ SubnetId, State: pending ? "pendingAcceptance" : "associating" })),
    ),
  };
}

export async function DisassociateTransitGatewayMulticastDomain(ctx: Ctx, input: Input) {
  const { s, m, d, own } = await sharedDomain(ctx, String(input.TransitGatewayMulticastDomainId));
  const a = attachmentOf(m, d, String(input.TransitGatewayAttachmentId), own, s);
  const subnets = list(input.SubnetIds);
  if (!subnets.length) throw Ec2Errors.missing("SubnetIds");
  for (const id of subnets)
    if (!d.associations.has(`${a.id}|${id}`)) throw e("InvalidAssociation.NotFound", `Subnet ${id} of ${a.id} is not associated with ${d.id}.`);
  dryRun(input);
  for (const id of subnets) {
    d.associations.delete(`${a.id}|${id}`);
    // Registrations of interfaces in that subnet go with it.
    for (const [k, g] of d.groups) if (s.enis.get(g.eniId)?.subnetId === id || !s.enis.has(g.eniId)) d.groups.delete(k);
  }
  return {
    Associations: assocOut(
      s,
      d,
      a,
      subnets.map((SubnetId) => ({ SubnetId, State: "disassociating" })),
    ),
  };
}

function decide(ctx: Ctx, input: Input, accept: boolean) {
  const { s, m, d } = getDomain(ctx, String(input.TransitGatewayMulticastDomainId ?? ""));
  const a = attachmentOf(m, d, String(input.TransitGatewayAttachmentId ?? ""));
  const subnets = list(input.SubnetIds);
  const rows = [...d.associations.values()].filter((x) => x.attachmentId === a.id && (!subnets.length || subnets.includes(x.subnetId)));
  for (const id of subnets)
    if (!rows.some((x) => x.subnetId === id)) throw e("InvalidAssociation.NotFound", `Subnet ${id} of ${a.id} is not associated with ${d.id}.`);
  for (const x of rows)
    if (x.state !== "pendingAcceptance")
      throw e("IncorrectState", `The association of subnet ${x.subnetId} with ${d.id} is ${x.state}, not pendingAcceptance.`);
  dryRun(input);
  for (const x of rows) x.state = accept ? "associated" : "rejected";
  return {
    Associations: assocOut(
      s,
      d,
      a,
      rows.map((x) => ({ SubnetId: x.subnetId, State: accept ? "associating" : "rejected" })),
    ),
  };
}

export const AcceptTransitGatewayMulticastDomainAssociations = (ctx: Ctx, input: Input) => decide(ctx, input, true);
export const RejectTransitGatewayMulticastDomainAssociations = (ctx: Ctx, input: Input) => decide(ctx, input, false);

export function GetTransitGatewayMulticastDomainAssociations(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, m, d } = getDomain(ctx, String(input.TransitGatewayMulticastDomainId));
  const rows = [...d.associations.entries()].map(([k, x]) => ({ k, x, a: m.tgwAttachments.get(x.attachmentId)!, tags: new Map<string, string>() }));
  const r = select(
    rows,
    input,
    {
      "resource-id": (y) => y.a.resourceId,
      "resource-type": (y) => y.a.resourceType,
      state: (y) => y.x.state,
      "subnet-id": (y) => y.x.subnetId,
      "transit-gateway-attachment-id": (y) => y.a.id,
    },
    (y) => y.k,
    PAGE,
  );
  return {
    MulticastDomainAssociations: r.items.map((y) => ({
      TransitGatewayAttachmentId: y.a.id,
      ResourceId: y.a.resourceId,
      ResourceType: y.a.resourceType,
      ResourceOwnerId: vpcOwner(s, y.a),
      Subnet: { SubnetId: y.x.subnetId, State: y.x.state },
    })),
    NextToken: r.nextToken,
  };
}

// ---------------------------------------------------------------- groups

function checkGroupIp(ip: string): void {
  const v4 = parseCidr(`${ip}/32`);
  const ok = v4 ? cidrContains("224.0.0.0/4", `${ip}/32`) : /^ff[0-9a-f]{2}:[0-9a-f:]*$/i.test(ip);
  if (!ok) throw Ec2Errors.invalidValue(`The group IP address ${ip} is not a valid multicast address.`);
}

function registration(ctx: Ctx, input: Input, kind: "member" | "source", on: boolean) {
  const { s, d } = getDomain(ctx, String(input.TransitGatewayMulticastDomainId));
  const group = input.GroupIpAddress === undefined ? undefined : String(input.GroupIpAddress);
  if (group !== undefined) checkGroupIp(group);
  if (on && group === undefined) throw Ec2Errors.missing("GroupIpAddress");
  const enis = list(input.NetworkInterfaceIds);
  for (const id of enis) {
    const eni = s.enis.get(id);
    if (!eni) throw Ec2Errors.notFound("NetworkInterface", "networkInterface", [id]);
    if (on && ![...d.associations.values()].some((x) => x.subnetId === eni.subnetId && x.state === "associated"))
      throw Ec2Errors.invalidValue(`Network interface ${id} is not in a subnet associated with ${d.id}.`);
  }
  dryRun(input);
  const done: string[] = [];
  for (const id of enis) {
    for (const [k, g] of d.groups) {
      if (g.eniId !== id || (group !== undefined && g.group !== group)) continue;
      if (!on) {
        if (kind === "member") g.member = false;
        else g.source = false;
        if (!g.member && !g.source) d.groups.delete(k);
        done.push(id);
      }
    }
    if (on) {
      const k = `${group}|${id}`;
      const g: MulticastMemberRec = d.groups.get(k) ?? { group: group!, eniId: id, member: false, source: false };
      if (kind === "member") g.member = true;
      else g.source = true;
      d.groups.set(k, g);
      done.push(id);
    }
  }
  const ids = [...new Set(done)];
  if (on)
    return {
      [kind === "member" ? "RegisteredMulticastGroupMembers" : "RegisteredMulticastGroupSources"]: {
        TransitGatewayMulticastDomainId: d.id,
        RegisteredNetworkInterfaceIds: ids,
        GroupIpAddress: group,
      },
    };
  return {
    [kind === "member" ? "DeregisteredMulticastGroupMembers" : "DeregisteredMulticastGroupSources"]: {
      TransitGatewayMulticastDomainId: d.id,
      DeregisteredNetworkInterfaceIds: ids,
      GroupIpAddress: group,
    },
  };
}

export const RegisterTransitGatewayMulticastGroupMembers = (ctx: Ctx, input: Input) => registration(ctx, input, "member", true);
export const RegisterTransitGatewayMulticastGroupSources = (ctx: Ctx, input: Input) => registration(ctx, input, "source", true);
export const DeregisterTransitGatewayMulticastGroupMembers = (ctx: Ctx, input: Input) => registration(ctx, input, "member", false);
export const DeregisterTransitGatewayMulticastGroupSources = (ctx: Ctx, input: Input) => registration(ctx, input, "source", false);

export function SearchTransitGatewayMulticastGroups(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, m, d } = getDomain(ctx, String(input.TransitGatewayMulticastDomainId));
  // A member and a source registration of one interface are two rows, as AWS lists them (CLI example
  // search-transit-gateway-multicast-groups; Terraform's aws_ec2_transit_gateway_multicast_group_member finds its
  // row with is-group-member=true and is-group-source=false).
  const rows = [...d.groups.entries()].flatMap(([k, g]) => {
    const eni = s.enis.get(g.eniId);
    const assoc = [...d.associations.values()].find((x) => x.subnetId === eni?.subnetId);
    const a = assoc ? m.tgwAttachments.get(assoc.attachmentId) : undefined;
    const row = (member: boolean) => ({ k: `${k}|${member ? "member" : "source"}`, g, member, eni, a, tags: new Map<string, string>() });
    return [...(g.member ? [row(true)] : []), ...(g.source ? [row(false)] : [])];
  });
  const r = select(
    rows,
    input,
    {
      "group-ip-address": (y) => y.g.group,
      "is-group-member": (y) => y.member,
      "is-group-source": (y) => !y.member,
      "member-type": (y) => (y.member ? "static" : undefined),
      "source-type": (y) => (y.member ? undefined : "static"),
      "resource-id": (y) => y.a?.resourceId,
      "resource-type": (y) => y.a?.resourceType,
      "subnet-id": (y) => y.eni?.subnetId,
      "transit-gateway-attachment-id": (y) => y.a?.id,
    },
    (y) => y.k,
    PAGE,
  );
  return {
    MulticastGroups: r.items.map((y) => ({
      GroupIpAddress: y.g.group,
      TransitGatewayAttachmentId: y.a?.id,
      SubnetId: y.eni?.subnetId,
      ResourceId: y.a?.resourceId,
      ResourceType: y.a?.resourceType,
      ResourceOwnerId: s.accountId,
      NetworkInterfaceId: y.g.eniId,
      GroupMember: y.member,
      GroupSource: !y.member,
      MemberType: y.member ? "static" : undefined,
      SourceType: y.member ? undefined : "static",
    })),
    NextToken: r.nextToken,
  };
}
