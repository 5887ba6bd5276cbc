/**
 * Security groups across VPCs: associating a group with other VPCs of the region (it can then be used
 * there), GetSecurityGroupsForVpc (the VPC's own groups and those associated with it), and
 * DescribeStaleSecurityGroups (rules that reference a group which no longer exists or sits in a VPC no
 * longer peered with the rule's VPC). With config.transitionDelayMs an association is associating, and a
 * disassociation disassociating, for that long (computed on read); in fake mode both are done at once.
 */
import type { Ctx } from "../../core/types.js";
import { dryRun, required, select, tagList, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { getVpc } from "../network.js";
import { findGroup } from "../security-groups.js";
import type { Ec2State, Rule, SgRec } from "../state.js";
import { addr, type AddrState, type SgVpcAssociationRec } from "./state.js";

const e = Ec2Errors.custom;
const key = (groupId: string, vpcId: string) => `${groupId} ${vpcId}`;

/** Associations of groups or VPCs that were deleted since go with them, and so do finished disassociations. */
function prune(ctx: Ctx, s: Ec2State, a: AddrState) {
  const now = ctx.now().getTime();
  for (const [k, x] of a.sgVpcAssociations)
    if (!s.sgs.has(x.groupId) || !s.vpcs.has(x.vpcId) || (x.leaving && now - (x.since ?? 0) >= ctx.config.transitionDelayMs)) a.sgVpcAssociations.delete(k);
}

/** An association's state now. */
function stateNow(ctx: Ctx, x: SgVpcAssociationRec): string {
  if (x.leaving) return "disassociating";
  return ctx.now().getTime() - (x.since ?? 0) < ctx.config.transitionDelayMs ? "associating" : x.state;
}

export function AssociateSecurityGroupVpc(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  prune(ctx, s, a);
  const g = findGroup(s, { GroupId: required(input, "GroupId") });
  const vpc = getVpc(s, required(input, "VpcId"));
  if (g.vpcId === vpc.id) throw Ec2Errors.invalidValue(`Security group ${g.id} already belongs to VPC ${vpc.id}.`);
  if (g.name === "default") throw Ec2Errors.invalidValue(`The default security group ${g.id} cannot be associated with another VPC.`);
  if (a.sgVpcAssociations.has(key(g.id, vpc.id))) throw Ec2Errors.alreadyAssociated(`Security group ${g.id} is already associated with VPC ${vpc.id}.`);
  dryRun(input);
  a.sgVpcAssociations.set(key(g.id, vpc.id), { groupId: g.id, vpcId: vpc.id, state: "associated", since: ctx.now().getTime() });
  return { state: "associating" };
}

export function DisassociateSecurityGroupVpc(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  prune(ctx, s, a);
  const g = findGroup(s, { GroupId: required(input, "GroupId") });
  const vpc = getVpc(s, required(input, "VpcId"));
  const assoc = a.sgVpcAssociations.get(key(g.id, vpc.id));
  if (!assoc || assoc.leaving) throw e("InvalidSecurityGroupVpcAssociation.NotFound", `Security group ${g.id} is not associated with VPC ${vpc.id}.`);
  const inUse =
    [...s.enis.values()].some((x) => x.vpcId === vpc.id && x.groups.includes(g.id)) ||
    [...s.instances.values()].some((i) => i.state !== "terminated" && i.vpcId === vpc.id && i.groups.includes(g.id));
  if (inUse) throw Ec2Errors.dependency(`Security group ${g.id} is in use by network interfaces in VPC ${vpc.id}.`);
  dryRun(input);
  Object.assign(assoc, { leaving: true, since: ctx.now().getTime() });
  prune(ctx, s, a);
  return { state: "disassociating" };
}

export function DescribeSecurityGroupVpcAssociations(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  prune(ctx, s, a);
  dryRun(input);
  const rows = [...a.sgVpcAssociations.values()].map((x) => ({ ...x, state: stateNow(ctx, x), tags: new Map<string, string>() }));
  const r = select(
    rows,
    input,
    {
      "group-id": (x) => x.groupId,
      "vpc-id": (x) => x.vpcId,
      "vpc-owner-id": () => s.accountId,
      "group-owner-id": () => s.accountId,
      state: (x) => x.state,
    },
    (x) => key(x.groupId, x.vpcId),
    { paginate: true, min: 5, max: 1000 },
  );
  return {
    securityGroupVpcAssociationSet: r.items.map((x: SgVpcAssociationRec) => ({
      groupId: x.groupId,
      vpcId: x.vpcId,
      vpcOwnerId: s.accountId,
      state: x.state,
      groupOwnerId: s.accountId,
    })),
    nextToken: r.nextToken,
  };
}

export function GetSecurityGroupsForVpc(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  prune(ctx, s, a);
  const vpc = getVpc(s, required(input, "VpcId"));
  dryRun(input);
  const associated = new Set([...a.sgVpcAssociations.values()].filter((x) => x.vpcId === vpc.id).map((x) => x.groupId));
  const groups = [...s.sgs.values()].filter((g) => g.vpcId === vpc.id || associated.has(g.id));
  const r = select(
    groups,
    input,
    {
      "group-id": (g) => g.id,
      description: (g) => g.description,
      "group-name": (g) => g.name,
      "owner-id": () => s.accountId,
      "primary-vpc-id": (g) => g.vpcId,
    },
    (g) => g.id,
    { paginate: true, min: 5, max: 1000 },
  );
  return {
    securityGroupForVpcSet: r.items.map((g) => ({
      description: g.description,
      groupName: g.name,
      ownerId: s.accountId,
      groupId: g.id,
      tagSet: tagList(g),
      primaryVpcId: g.vpcId,
    })),
    nextToken: r.nextToken,
  };
}

// ---------------------------------------------------------------- stale groups

/** Is a rule of a group in `vpcId` that references `groupId` stale? */
function stale(s: Ec2State, vpcId: string, groupId: string): boolean {
  const ref = s.sgs.get(groupId);
  if (!ref) return true;
  if (ref.vpcId === vpcId) return false;
  const { a } = { a: (s as Ec2State & { addressingState?: AddrState }).addressingState };
  if (a?.sgVpcAssociations.has(key(ref.id, vpcId))) return false;
  return ![...s.peerings.values()].some(
    (p) =>
      p.status === "active" &&
      ((p.requester.vpcId === vpcId && p.accepter.vpcId === ref.vpcId) || (p.accepter.vpcId === vpcId && p.requester.vpcId === ref.vpcId)),
  );
}

function stalePermissions(s: Ec2State, g: SgRec, rules: Rule[]) {
  const out = new Map<string, { ipProtocol: string; fromPort?: number; toPort?: number; groups: Array<Record<string, unknown>> }>();
  for (const r of rules) {
    if (!r.groupId || !stale(s, g.vpcId, r.groupId)) continue;
    const k = `${r.ipProtocol}|${r.fromPort}|${r.toPort}`;
    let p = out.get(k);
    if (!p)
      out.set(
        k,
        (p = {
          ipProtocol: r.ipProtocol,
          fromPort: r.ipProtocol === "-1" ? undefined : r.fromPort,
          toPort: r.ipProtocol === "-1" ? undefined : r.toPort,
          groups: [],
        }),
      );
    const ref = s.sgs.get(r.groupId);
    p.groups.push({
      groupId: r.groupId,
      userId: s.accountId,
      description: r.description,
      vpcId: ref?.vpcId,
      peeringStatus: ref ? "deleted" : undefined,
    });
  }
  return [...out.values()];
}

export function DescribeStaleSecurityGroups(ctx: Ctx, input: Input) {
  const { s } = addr(ctx);
  const vpc = getVpc(s, required(input, "VpcId"));
  dryRun(input);
  const rows = [...s.sgs.values()]
    .filter((g) => g.vpcId === vpc.id)
    .map((g) => ({ g, ingress: stalePermissions(s, g, g.ingress), egress: stalePermissions(s, g, g.egress), tags: new Map<string, string>() }))
    .filter((x) => x.ingress.length || x.egress.length);
  const r = select(rows, { MaxResults: input.MaxResults, NextToken: input.NextToken }, {}, (x) => x.g.id, { paginate: true, min: 5, max: 255 });
  return {
    staleSecurityGroupSet: r.items.map((x) => ({
      description: x.g.description,
      groupId: x.g.id,
      groupName: x.g.name,
      staleIpPermissions: x.ingress,
      staleIpPermissionsEgress: x.egress,
      vpcId: x.g.vpcId,
    })),
    nextToken: r.nextToken,
  };
}
