/**
 * Transit gateway peering attachments between two gateways (any region and account this server holds).
 * The requester's side reads "initiatingRequest" then "pendingAcceptance"; the accepter's side (the same
 * attachment id, in the peer account and region) reads "pendingAcceptance" until it accepts or rejects.
 * Either side may delete. Peering attachments take static routes and associations, not propagation.
 */
import type { Ctx } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { applyTagSpec, dropTags, dryRun, list, REGIONS, select, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import type { Ec2State } from "../state.js";
import { moreOf, type TgwAttachmentRec } from "./state.js";
import { ctxTgw, describable, detachEverywhere, getTgw, rememberDeleted, sync } from "./tgw.js";

const e = Ec2Errors.custom;
const tags = (r: { tags: Map<string, string> }) => [...r.tags].map(([Key, Value]) => ({ Key, Value }));
const attNotFound = (id: string) => e("InvalidTransitGatewayAttachmentID.NotFound", `Transit Gateway Attachment ${id} was deleted or does not exist.`);

const STATUS: Record<string, string> = {
  initiatingRequest: "Initiating Request.",
  pendingAcceptance: "Pending Acceptance.",
  available: "Available",
  rejected: "Rejected",
  deleting: "Deleting",
  deleted: "Deleted",
};

const view = (a: TgwAttachmentRec, state = a.state) => {
  const p = a.peering!;
  const info = (x: typeof p.requester) => ({ TransitGatewayId: x.tgwId, OwnerId: x.ownerId, Region: x.region });
  return {
    TransitGatewayAttachmentId: a.id,
    RequesterTgwInfo: info(p.requester),
    AccepterTgwInfo: info(p.accepter),
    // Options only when the request gave them (Terraform's options block is not computed).
    Options: p.dynamicRouting ? { DynamicRouting: p.dynamicRouting } : undefined,
    Status: { Code: state, Message: STATUS[state] ?? state },
    State: state,
    CreationTime: a.createTime,
    Tags: tags(a),
  };
};

function getPeering(s: Ec2State, id: string): TgwAttachmentRec {
  const m = moreOf(s);
  const a = m.tgwAttachments.get(id);
  if (a?.resourceType !== "peering") throw attNotFound(id);
  return a;
}

/** The other side's state and record (undefined when it is gone). */
async function otherSide(ctx: Ctx, a: TgwAttachmentRec): Promise<{ s: Ec2State; a?: TgwAttachmentRec }> {
  const p = a.peering!;
  const far = p.side === "requester" ? p.accepter : p.requester;
  const s = await ctx.stateOf<Ec2State>("ec2", far.region, far.ownerId);
  const m = moreOf(s);
  sync(s, m);
  return { s, a: m.tgwAttachments.get(a.id) };
}

export async function CreateTransitGatewayPeeringAttachment(ctx: Ctx, input: Input) {
  const { s, m } = ctxTgw(ctx);
  const g = getTgw(s, String(input.TransitGatewayId));
  const region = String(input.PeerRegion);
  const owner = String(input.PeerAccountId);
  if (!REGIONS.includes(region)) throw Ec2Errors.invalidValue(`Invalid value '${region}' for PeerRegion.`);
  if (!/^\d{12}$/.test(owner)) throw Ec2Errors.invalidValue(`Invalid value '${owner}' for PeerAccountId.`);
  const peerState = await ctx.stateOf<Ec2State>("ec2", region, owner);
  const peerId = String(input.PeerTransitGatewayId);
  if (!peerState.tgws.has(peerId)) throw e("InvalidTransitGatewayID.NotFound", `Transit Gateway ${peerId} was deleted or does not exist.`);
  if (peerId === g.id) throw Ec2Errors.invalidValue("A transit gateway cannot peer with itself.");
  const live = (x: TgwAttachmentRec) => x.resourceType === "peering" && !["rejected", "deleted", "deleting", "failed"].includes(x.state);
  if ([...m.tgwAttachments.values()].some((x) => live(x) && x.tgwId === g.id && x.resourceId === peerId))
    throw e("DuplicateTransitGatewayAttachment", `${g.id} has non-deleted Transit Gateway Attachments with same peer ${peerId}.`);
  dryRun(input);
  const peering = {
    requester: { tgwId: g.id, ownerId: s.accountId, region: s.region },
    accepter: { tgwId: peerId, ownerId: owner, region },
    dynamicRouting: input.Options?.DynamicRouting as string | undefined,
  };
  const now = ctx.now();
  const mine: TgwAttachmentRec = {
    id: ec2Id("tgw-attach"),
    tgwId: g.id,
    resourceType: "peering",
    resourceId: peerId,
    subnetIds: [],
    options: { DnsSupport: "disable", SecurityGroupReferencingSupport: "disable", Ipv6Support: "disable", ApplianceModeSupport: "disable" },
    state: "pendingAcceptance",
    createTime: now,
    peering: { side: "requester", ...peering },
    tags: new Map(),
  };
  m.tgwAttachments.set(mine.id, mine);
  applyTagSpec(s, input, "transit-gateway-attachment", mine.id, mine);
  const pm = moreOf(peerState);
  sync(peerState, pm);
  pm.tgwAttachments.set(mine.id, {
    ...mine,
    tgwId: peerId,
    resourceId: g.id,
    peering: { side: "accepter", ...peering },
    tags: new Map(),
  });
  return { TransitGatewayPeeringAttachment: view(mine, "initiatingRequest") };
}

async function decide(ctx: Ctx, input: Input, accept: boolean) {
  const { s } = ctxTgw(ctx);
  const a = getPeering(s, String(input.TransitGatewayAttachmentId));
  if (a.peering!.side !== "accepter")
    throw e("IncorrectState", `Transit Gateway Attachment ${a.id} can only be ${accept ? "accepted" : "rejected"} by the accepter.`);
  if (a.state !== "pendingAcceptance") throw e("IncorrectState", `Transit Gateway Attachment ${a.id} is in invalid state ${a.state}.`);
  dryRun(input);
  const next = accept ? "available" : "rejected";
  const far = await otherSide(ctx, a);
  a.state = next;
  if (far.a) far.a.state = next;
  return { TransitGatewayPeeringAttachment: view(a, accept ? "pending" : "rejecting") };
}

export const AcceptTransitGatewayPeeringAttachment = (ctx: Ctx, input: Input) => decide(ctx, input, true);
export const RejectTransitGatewayPeeringAttachment = (ctx: Ctx, input: Input) => decide(ctx, input, false);

export async function DeleteTransitGatewayPeeringAttachment(ctx: Ctx, input: Input) {
  const { s } = ctxTgw(ctx);
  const a = getPeering(s, String(input.TransitGatewayAttachmentId));
  dryRun(input);
  const far = await otherSide(ctx, a);
  const now = ctx.now().getTime();
  for (const [st, rec] of [[s, a] as const, [far.s, far.a] as const]) {
    if (!rec) continue;
    const mm = moreOf(st);
    detachEverywhere(mm, rec.id);
    dropTags(st, rec.id, rec);
    mm.tgwAttachments.delete(rec.id);
    rememberDeleted(mm, now, rec);
  }
  return { TransitGatewayPeeringAttachment: view(a, "deleting") };
}

export function DescribeTransitGatewayPeeringAttachments(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, m } = ctxTgw(ctx);
  const ids = list(input.TransitGatewayAttachmentIds);
  const all = describable(m, ctx.now().getTime()).filter((a) => a.resourceType === "peering");
  for (const id of ids) if (!all.some((a) => a.id === id)) throw attNotFound(id);
  const page = select(
    ids.length ? all.filter((a) => ids.includes(a.id)) : all,
    input,
    {
      "transit-gateway-attachment-id": (a) => a.id,
      "local-owner-id": () => s.accountId,
      "remote-owner-id": (a) => (a.peering!.side === "requester" ? a.peering!.accepter.ownerId : a.peering!.requester.ownerId),
      state: (a) => a.state,
      "transit-gateway-id": (a) => [a.peering!.requester.tgwId, a.peering!.accepter.tgwId],
    },
    (a) => a.id,
    { paginate: true, min: 5, max: 1000 },
  );
  return { TransitGatewayPeeringAttachments: page.items.map((a) => view(a)), NextToken: page.nextToken };
}
