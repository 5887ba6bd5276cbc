/** Security groups and their rules (ingress/egress, by IpPermissions or the flat CidrIp form, rule ids). */
import type { Ctx } from "../core/types.js";
import { ec2Id } from "../core/ids.js";
import { applyTagSpec, dropTags, dryRun, list, parseCidr, required, select, st, tagList, type Input, onlyTagTypes } from "./common.js";
import { Ec2Errors } from "./errors.js";
import type { Ec2State, Rule, SgRec } from "./state.js";
import { moreOf } from "./more/state.js";

export function createSecurityGroup(s: Ec2State, name: string, description: string, vpcId: string): SgRec {
  const sg: SgRec = {
    id: ec2Id("sg"),
    name,
    description,
    vpcId,
    ingress: [],
    egress: [{ id: ec2Id("sgr"), ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }],
    tags: new Map(),
  };
  s.sgs.set(sg.id, sg);
  return sg;
}

export function defaultRules(sgId: string): { ingress: Rule[] } {
  return { ingress: [{ id: ec2Id("sgr"), ipProtocol: "-1", groupId: sgId }] };
}

const proto = (p: unknown) => {
  const x = String(p ?? "").toLowerCase();
  return x === "6" ? "tcp" : x === "17" ? "udp" : x === "1" ? "icmp" : x === "all" ? "-1" : x;
};

/** Group rules into AWS's IpPermissions (one per protocol/port range). */
function permissions(s: Ec2State, rules: Rule[]) {
  const groups = new Map<
    string,
    { ipProtocol: string; fromPort?: number; toPort?: number; ipRanges: unknown[]; ipv6Ranges: unknown[]; groups: unknown[]; prefixListIds: unknown[] }
  >();
  for (const r of rules) {
    const k = r.ipProtocol === "-1" ? "-1" : `${r.ipProtocol}|${r.fromPort ?? -1}|${r.toPort ?? -1}`;
    let g = groups.get(k);
    if (!g)
      groups.set(
        k,
        (g = {
          ipProtocol: r.ipProtocol,
          fromPort: r.ipProtocol === "-1" ? undefined : r.fromPort,
          toPort: r.ipProtocol === "-1" ? undefined : r.toPort,
          ipRanges: [],
          ipv6Ranges: [],
          groups: [],
          prefixListIds: [],
        }),
      );
    if (r.cidrIpv4) g.ipRanges.push({ cidrIp: r.cidrIpv4, description: r.description });
    if (r.cidrIpv6) g.ipv6Ranges.push({ cidrIpv6: r.cidrIpv6, description: r.description });
    if (r.groupId) g.groups.push({ groupId: r.groupId, userId: s.accountId, description: r.description });
    if (r.prefixListId) g.prefixListIds.push({ prefixListId: r.prefixListId, description: r.description });
  }
  return [...groups.values()];
}

export const sgView = (s: Ec2State, g: SgRec) => ({
  groupId: g.id,
  groupName: g.name,
  groupDescription: g.description,
  vpcId: g.vpcId,
  ownerId: s.accountId,
  securityGroupArn: `arn:aws:ec2:${s.region}:${s.accountId}:security-group/${g.id}`,
  ipPermissions: permissions(s, g.ingress),
  ipPermissionsEgress: permissions(s, g.egress),
  tagSet: g.tags.size ? tagList(g) : undefined,
});

/**
 * AWS's InvalidGroupId.Malformed for an id that is no security group id: `Invalid id: "x" (expecting "sg-...")`
 * without the sg- prefix, `Invalid id: "sg-x"` with it (as AWS answered "tcp_elb_security_group" and
 * "sg-0f8c950bc7329a653,sg-06d4615187690e062", genevieve/leftovers#7 and ingenieux/beanstalker#126).
 */
export function checkGroupId(id: string): void {
  if (/^sg-[0-9a-f]{8,17}$/.test(id)) return;
  throw Ec2Errors.custom("InvalidGroupId.Malformed", id.startsWith("sg-") ? `Invalid id: "${id}"` : `Invalid id: "${id}" (expecting "sg-...")`);
}

export function findGroup(s: Ec2State, input: Input): SgRec {
  if (input.GroupId) {
    const g = s.sgs.get(String(input.GroupId));
    if (!g) {
      checkGroupId(String(input.GroupId));
      throw Ec2Errors.groupNotFound(String(input.GroupId));
    }
    return g;
  }
  const name = required(input, "GroupName");
  const g = [...s.sgs.values()].find((x) => x.name === name && x.vpcId === s.defaultVpcId);
  if (!g) throw Ec2Errors.custom("InvalidGroup.NotFound", `The security group '${name}' does not exist in default VPC '${s.defaultVpcId || "none"}'`);
  return g;
}

export function CreateSecurityGroup(ctx: Ctx, input: Input) {
  onlyTagTypes(input, "security-group");
  dryRun(input);
  const s = st(ctx);
  const name = required(input, "GroupName");
  const description = required(input, "Description");
  const vpcId = input.VpcId ? String(input.VpcId) : s.defaultVpcId;
  if (!s.vpcs.has(vpcId)) throw Ec2Errors.notFound("Vpc", "vpc", [vpcId]);
  if (name.toLowerCase().startsWith("sg-")) throw Ec2Errors.invalidValue("Group names may not be in the format sg-*.");
  if ([...s.sgs.values()].some((g) => g.vpcId === vpcId && g.name === name)) throw Ec2Errors.groupDuplicate(name, vpcId);
  const g = createSecurityGroup(s, name, description, vpcId);
  applyTagSpec(s, input, "security-group", g.id, g);
  // No tag set in the answer when no tags were given (recorded).
  return { groupId: g.id, securityGroupArn: `arn:aws:ec2:${s.region}:${s.accountId}:security-group/${g.id}`, tagSet: g.tags.size ? tagList(g) : undefined };
}

export function DeleteSecurityGroup(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const g = findGroup(s, input);
  if (g.name === "default") throw Ec2Errors.cannotDelete(g.id);
  const inUse =
    [...s.instances.values()].some((i) => i.state !== "terminated" && i.groups.includes(g.id)) ||
    [...s.enis.values()].some((e) => e.groups.includes(g.id)) ||
    [...s.sgs.values()].some((o) => o !== g && [...o.ingress, ...o.egress].some((r) => r.groupId === g.id));
  if (inUse) throw Ec2Errors.dependency(`resource ${g.id} has a dependent object`);
  dropTags(s, g.id, g);
  s.sgs.delete(g.id);
  return { return: true, groupId: g.id };
}

/** IpPermissions.N or the flat CidrIp/IpProtocol/FromPort/ToPort form → rules. */
function rulesFrom(s: Ec2State, input: Input): Rule[] {
  const perms: Input[] = input.IpPermissions ?? [];
  if (!perms.length && input.SourceSecurityGroupName && !input.IpProtocol && !input.CidrIp) {
    // "[Default VPC] The name of the source security group. ... Creates rules that grant full ICMP, UDP, and TCP
    // access" (the API reference): three rules naming the group.
    const pair = [{ GroupName: input.SourceSecurityGroupName }];
    perms.push(
      { IpProtocol: "icmp", FromPort: -1, ToPort: -1, UserIdGroupPairs: pair },
      { IpProtocol: "tcp", FromPort: 0, ToPort: 65535, UserIdGroupPairs: pair },
      { IpProtocol: "udp", FromPort: 0, ToPort: 65535, UserIdGroupPairs: pair },
    );
  } else if (!perms.length && (input.IpProtocol || input.CidrIp || input.SourceSecurityGroupName)) {
    perms.push({
      IpProtocol: input.IpProtocol ?? "-1",
      FromPort: input.FromPort,
      ToPort: input.ToPort,
      IpRanges: input.CidrIp ? [{ CidrIp: input.CidrIp }] : [],
    });
  }
  const out: Rule[] = [];
  for (const p of perms) {
    const ipProtocol = proto(p.IpProtocol);
    if (!["tcp", "udp", "icmp", "icmpv6", "-1"].includes(ipProtocol) && !/^\d+$/.test(ipProtocol))
      throw Ec2Errors.invalidValue(`Invalid value '${p.IpProtocol}' for IP protocol. Unknown protocol.`);
    const fromPort = p.FromPort !== undefined ? Number(p.FromPort) : undefined;
    const toPort = p.ToPort !== undefined ? Number(p.ToPort) : undefined;
    if ((ipProtocol === "tcp" || ipProtocol === "udp") && (fromPort === undefined || toPort === undefined)) throw Ec2Errors.missing("FromPort");
    const base = { ipProtocol, fromPort: ipProtocol === "-1" ? -1 : fromPort, toPort: ipProtocol === "-1" ? -1 : toPort };
    for (const r of p.IpRanges ?? []) {
      if (!parseCidr(String(r.CidrIp))) throw Ec2Errors.invalidValue(`CIDR block ${r.CidrIp} is malformed`);
      out.push({ id: "", ...base, cidrIpv4: String(r.CidrIp), description: r.Description });
    }
    for (const r of p.Ipv6Ranges ?? []) {
      if (!IPV6_CIDR.test(String(r.CidrIpv6))) throw Ec2Errors.invalidValue(`CIDR block ${r.CidrIpv6} is malformed`);
      out.push({ id: "", ...base, cidrIpv6: String(r.CidrIpv6), description: r.Description });
    }
    for (const r of p.UserIdGroupPairs ?? []) {
      const gid = r.GroupId ? String(r.GroupId) : [...s.sgs.values()].find((g) => g.name === r.GroupName)?.id;
      if (!gid || !s.sgs.has(gid)) throw Ec2Errors.groupNotFound(String(r.GroupId ?? r.GroupName));
      out.push({ id: "", ...base, groupId: gid, description: r.Description });
    }
    for (const r of p.PrefixListIds ?? []) out.push({ id: "", ...base, prefixListId: String(r.PrefixListId), description: r.Description });
  }
  return out;
}

const IPV6_CIDR = /^(?=.*:)[0-9a-fA-F:.]{2,45}\/(12[0-8]|1[01]\d|\d{1,2})$/;

/** AWS's default quota: 60 inbound and 60 outbound rules per group, counted apart for IPv4 and IPv6; a rule
 * naming a group or prefix list counts in both. */
const RULES_PER_GROUP = 60;
function checkRuleLimit(rules: Rule[]) {
  const v4 = rules.filter((r) => !r.cidrIpv6).length;
  const v6 = rules.filter((r) => !r.cidrIpv4).length;
  if (v4 > RULES_PER_GROUP || v6 > RULES_PER_GROUP)
    throw Ec2Errors.custom("RulesPerSecurityGroupLimitExceeded", "The maximum number of rules per security group has been reached.");
}

const same = (a: Rule, b: Rule) =>
  a.ipProtocol === b.ipProtocol &&
  (a.fromPort ?? -1) === (b.fromPort ?? -1) &&
  (a.toPort ?? -1) === (b.toPort ?? -1) &&
  a.cidrIpv4 === b.cidrIpv4 &&
  a.cidrIpv6 === b.cidrIpv6 &&
  a.groupId === b.groupId &&
  a.prefixListId === b.prefixListId;

const describeRule = (r: Rule) =>
  `peer: ${r.cidrIpv4 ?? r.cidrIpv6 ?? r.groupId ?? r.prefixListId}, ${r.ipProtocol === "-1" ? "ALL" : r.ipProtocol.toUpperCase()}, from port: ${r.fromPort}, to port: ${r.toPort}, ALLOW`;

function ruleView(s: Ec2State, g: SgRec, r: Rule, egress: boolean) {
  return {
    securityGroupRuleId: r.id,
    groupId: g.id,
    groupOwnerId: s.accountId,
    isEgress: egress,
    ipProtocol: r.ipProtocol,
    fromPort: r.fromPort ?? -1,
    toPort: r.toPort ?? -1,
    cidrIpv4: r.cidrIpv4,
    cidrIpv6: r.cidrIpv6,
    prefixListId: r.prefixListId,
    referencedGroupInfo: r.groupId ? { groupId: r.groupId, userId: s.accountId } : undefined,
    description: r.description,
    securityGroupRuleArn: `arn:aws:ec2:${s.region}:${s.accountId}:security-group-rule/${r.id}`,
    tagSet: r.tags ? tagList({ tags: r.tags }) : [],
  };
}

/**
 * A rule may name a group of another VPC only when the two VPCs can reach each other: an active peering
 * connection, or attachments to one transit gateway. Otherwise AWS answers InvalidGroup.NotFound "You have
 * specified two resources that belong to different networks." (real AuthorizeSecurityGroupIngress/Egress answers).
 */
function checkSameNetwork(s: Ec2State, g: SgRec, otherId: string) {
  const other = s.sgs.get(otherId);
  if (!other?.vpcId || !g.vpcId || other.vpcId === g.vpcId) return;
  const pair = [g.vpcId, other.vpcId].sort().join(" ");
  const peered = [...s.peerings.values()].some((p) => p.status === "active" && [p.requester.vpcId, p.accepter.vpcId].sort().join(" ") === pair);
  if (peered) return;
  const tgwsOf = (vpcId: string) =>
    new Set(
      [...moreOf(s).tgwAttachments.values()].filter((a) => a.resourceType === "vpc" && a.resourceId === vpcId && a.state !== "deleted").map((a) => a.tgwId),
    );
  const mine = tgwsOf(g.vpcId);
  if ([...tgwsOf(other.vpcId)].some((t) => mine.has(t))) return;
  throw Ec2Errors.custom("InvalidGroup.NotFound", "You have specified two resources that belong to different networks.");
}

function authorize(ctx: Ctx, input: Input, egress: boolean) {
  dryRun(input);
  const s = st(ctx);
  const g = findGroup(s, input);
  const rules = rulesFrom(s, input);
  if (!rules.length) throw Ec2Errors.missing("IpPermissions");
  for (const r of rules) if (r.groupId) checkSameNetwork(s, g, r.groupId);
  const target = egress ? g.egress : g.ingress;
  for (const r of rules) {
    if (target.some((x) => same(x, r)) || rules.filter((x) => same(x, r)).length > 1) throw Ec2Errors.permissionDuplicate(describeRule(r));
  }
  checkRuleLimit([...target, ...rules]);
  for (const r of rules) {
    const rule: Rule = { ...r, id: ec2Id("sgr"), tags: new Map() };
    target.push(rule);
    applyTagSpec(s, input, "security-group-rule", rule.id, rule as Rule & { tags: Map<string, string> });
  }
  // The answer has no tag set for rules created without tags (DescribeSecurityGroupRules shows an empty one).
  const created = target.slice(-rules.length).map((r) => ({ ...ruleView(s, g, r, egress), tagSet: r.tags?.size ? tagList({ tags: r.tags }) : undefined }));
  return { return: true, securityGroupRuleSet: created };
}

function revoke(ctx: Ctx, input: Input, egress: boolean) {
  dryRun(input);
  const s = st(ctx);
  const g = findGroup(s, input);
  const target = egress ? g.egress : g.ingress;
  const ids = list(input.SecurityGroupRuleIds);
  const asked = ids.length ? [] : rulesFrom(s, input);
  let victims = ids.length ? ids.map((id) => target.find((r) => r.id === id)) : asked.map((r) => target.find((x) => same(x, r)));
  // "For a default VPC, if the values you specify do not match the existing rule's values, no error is returned, and
  // the output describes the security group rules that were not revoked. For a non-default VPC ... an
  // InvalidPermission.NotFound client error is returned, and no rules are revoked." (the API reference)
  const unknown = !ids.length && g.vpcId && s.vpcs.get(g.vpcId)?.isDefault ? asked.filter((_, i) => !victims[i]) : [];
  if (unknown.length) victims = victims.filter((v) => v);
  if (victims.some((v) => !v)) throw Ec2Errors.permissionNotFound();
  const drop = new Set(victims.map((v) => v!.id));
  const kept = target.filter((r) => !drop.has(r.id));
  if (egress) g.egress = kept;
  else g.ingress = kept;
  return {
    return: true,
    unknownIpPermissionSet: unknown.length ? permissions(s, unknown) : undefined,
    revokedSecurityGroupRuleSet: victims.map((r) => ({
      securityGroupRuleId: r!.id,
      groupId: g.id,
      isEgress: egress,
      ipProtocol: r!.ipProtocol,
      fromPort: r!.fromPort,
      toPort: r!.toPort,
      cidrIpv4: r!.cidrIpv4,
      cidrIpv6: r!.cidrIpv6,
      prefixListId: r!.prefixListId,
      referencedGroupId: r!.groupId,
      description: r!.description,
    })),
  };
}

export const AuthorizeSecurityGroupIngress = (ctx: Ctx, input: Input) => authorize(ctx, input, false);
export const AuthorizeSecurityGroupEgress = (ctx: Ctx, input: Input) => authorize(ctx, input, true);
export const RevokeSecurityGroupIngress = (ctx: Ctx, input: Input) => revoke(ctx, input, false);
export const RevokeSecurityGroupEgress = (ctx: Ctx, input: Input) => revoke(ctx, input, true);

export function DescribeSecurityGroups(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  let items = [...s.sgs.values()];
  const ids = list(input.GroupIds);
  const names = list(input.GroupNames);
  if (ids.length) {
    const missing = ids.filter((i) => !s.sgs.has(i));
    for (const id of missing) checkGroupId(id);
    if (missing.length) throw Ec2Errors.groupNotFound(missing[0]!);
    items = ids.map((i) => s.sgs.get(i)!);
  }
  if (names.length) {
    items = items.filter((g) => names.includes(g.name) && (ids.length || g.vpcId === s.defaultVpcId));
    const missing = names.filter((n) => !items.some((g) => g.name === n));
    if (missing.length) throw Ec2Errors.custom("InvalidGroup.NotFound", `The security group '${missing[0]}' does not exist in default VPC '${s.defaultVpcId}'`);
  }
  const perm = (rules: (g: SgRec) => Rule[], f: (r: Rule) => unknown) => (g: SgRec) => rules(g).map((r) => f(r) as string);
  const ing = (g: SgRec) => g.ingress;
  const eg = (g: SgRec) => g.egress;
  const r = select(
    items,
    input,
    {
      "group-id": (g) => g.id,
      "group-name": (g) => g.name,
      description: (g) => g.description,
      "vpc-id": (g) => g.vpcId,
      "owner-id": () => s.accountId,
      "ip-permission.cidr": perm(ing, (r) => r.cidrIpv4),
      "ip-permission.ipv6-cidr": perm(ing, (r) => r.cidrIpv6),
      "ip-permission.from-port": perm(ing, (r) => r.fromPort),
      "ip-permission.to-port": perm(ing, (r) => r.toPort),
      "ip-permission.protocol": perm(ing, (r) => r.ipProtocol),
      "ip-permission.group-id": perm(ing, (r) => r.groupId),
      "ip-permission.group-name": perm(ing, (r) => (r.groupId ? s.sgs.get(r.groupId)?.name : undefined)),
      "ip-permission.prefix-list-id": perm(ing, (r) => r.prefixListId),
      "ip-permission.user-id": perm(ing, (r) => (r.groupId ? s.accountId : undefined)),
      "egress.ip-permission.cidr": perm(eg, (r) => r.cidrIpv4),
      "egress.ip-permission.ipv6-cidr": perm(eg, (r) => r.cidrIpv6),
      "egress.ip-permission.from-port": perm(eg, (r) => r.fromPort),
      "egress.ip-permission.to-port": perm(eg, (r) => r.toPort),
      "egress.ip-permission.protocol": perm(eg, (r) => r.ipProtocol),
      "egress.ip-permission.group-id": perm(eg, (r) => r.groupId),
      "egress.ip-permission.prefix-list-id": perm(eg, (r) => r.prefixListId),
      "egress.ip-permission.group-name": perm(eg, (r) => (r.groupId ? s.sgs.get(r.groupId)?.name : undefined)),
      "egress.ip-permission.user-id": perm(eg, (r) => (r.groupId ? s.accountId : undefined)),
    },
    (g) => g.id,
    { paginate: true },
  );
  return { securityGroupInfo: r.items.map((g) => sgView(s, g)), nextToken: r.nextToken };
}

export function DescribeSecurityGroupRules(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const all = [...s.sgs.values()].flatMap((g) => [
    ...g.ingress.map((r) => ({ g, r, egress: false, tags: r.tags ?? new Map<string, string>() })),
    ...g.egress.map((r) => ({ g, r, egress: true, tags: r.tags ?? new Map<string, string>() })),
  ]);
  const ids = list(input.SecurityGroupRuleIds);
  const items = ids.length ? all.filter((x) => ids.includes(x.r.id)) : all;
  if (ids.length && items.length !== ids.length)
    throw Ec2Errors.custom(
      "InvalidSecurityGroupRuleId.NotFound",
      `The security group rule ID '${ids.find((i) => !items.some((x) => x.r.id === i))}' does not exist`,
    );
  const r = select(items, input, { "group-id": (x) => x.g.id, "security-group-rule-id": (x) => x.r.id }, (x) => x.r.id, { paginate: true, min: 5, max: 1000 });
  return { securityGroupRuleSet: r.items.map((x) => ruleView(s, x.g, x.r, x.egress)), nextToken: r.nextToken };
}

/** A rule by id across every group (for tags and ModifySecurityGroupRules). */
export function findRule(s: Ec2State, id: string): { g: SgRec; r: Rule; egress: boolean } | undefined {
  for (const g of s.sgs.values()) {
    const i = g.ingress.find((r) => r.id === id);
    if (i) return { g, r: i, egress: false };
    const e = g.egress.find((r) => r.id === id);
    if (e) return { g, r: e, egress: true };
  }
  return undefined;
}

export function ModifySecurityGroupRules(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const g = findGroup(s, input);
  const changes: Array<() => void> = [];
  for (const spec of (input.SecurityGroupRules ?? []) as Input[]) {
    const id = String(spec.SecurityGroupRuleId);
    const hit = findRule(s, id);
    if (!hit || hit.g !== g) throw Ec2Errors.custom("InvalidSecurityGroupRuleId.NotFound", `The security group rule ID '${id}' does not exist`);
    const x = (spec.SecurityGroupRule ?? {}) as Input;
    const ipProtocol = proto(x.IpProtocol ?? hit.r.ipProtocol);
    if (x.ReferencedGroupId !== undefined && !s.sgs.has(x.ReferencedGroupId)) throw Ec2Errors.groupNotFound(x.ReferencedGroupId);
    const next: Rule = {
      id,
      tags: hit.r.tags,
      ipProtocol,
      fromPort: ipProtocol === "-1" ? -1 : x.FromPort,
      toPort: ipProtocol === "-1" ? -1 : x.ToPort,
      cidrIpv4: x.CidrIpv4,
      cidrIpv6: x.CidrIpv6,
      prefixListId: x.PrefixListId,
      groupId: x.ReferencedGroupId,
      description: x.Description,
    };
    if (![next.cidrIpv4, next.cidrIpv6, next.prefixListId, next.groupId].some(Boolean))
      throw Ec2Errors.missing("CidrIpv4, CidrIpv6, PrefixListId or ReferencedGroupId");
    const list = hit.egress ? g.egress : g.ingress;
    if (list.some((o) => o !== hit.r && same(o, next))) throw Ec2Errors.permissionDuplicate(describeRule(next));
    changes.push(() => list.splice(list.indexOf(hit.r), 1, next));
  }
  dryRun(input);
  for (const c of changes) c();
  return { return: true };
}

function updateDescriptions(ctx: Ctx, input: Input, egress: boolean) {
  const s = st(ctx);
  const g = findGroup(s, input);
  const target = egress ? g.egress : g.ingress;
  const updates: Array<[Rule, string | undefined]> = [];
  for (const d of (input.SecurityGroupRuleDescriptions ?? []) as Input[]) {
    const r = target.find((x) => x.id === d.SecurityGroupRuleId);
    if (!r) throw Ec2Errors.custom("InvalidSecurityGroupRuleId.NotFound", `The security group rule ID '${d.SecurityGroupRuleId}' does not exist`);
    updates.push([r, d.Description]);
  }
  if ((input.IpPermissions ?? []).length)
    for (const wanted of rulesFrom(s, input)) {
      const r = target.find((x) => same(x, wanted));
      if (!r) throw Ec2Errors.permissionNotFound();
      updates.push([r, wanted.description]);
    }
  dryRun(input);
  for (const [r, d] of updates) r.description = d;
  return { return: true };
}

export const UpdateSecurityGroupRuleDescriptionsIngress = (ctx: Ctx, input: Input) => updateDescriptions(ctx, input, false);
export const UpdateSecurityGroupRuleDescriptionsEgress = (ctx: Ctx, input: Input) => updateDescriptions(ctx, input, true);

export function DescribeSecurityGroupReferences(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const ids = list(input.GroupId);
  for (const id of ids) if (!s.sgs.has(id)) throw Ec2Errors.groupNotFound(id);
  // "Describes the VPCs on the other side of a VPC peering ... connection that are referencing the security groups
  // you've specified": one entry per group and referencing VPC.
  const out = new Map<string, unknown>();
  for (const id of ids) {
    const g = s.sgs.get(id)!;
    for (const o of s.sgs.values()) {
      if (o.vpcId === g.vpcId || out.has(`${id} ${o.vpcId}`) || ![...o.ingress, ...o.egress].some((r) => r.groupId === id)) continue;
      const pcx = [...s.peerings.values()].find(
        (p) => p.status === "active" && [p.requester.vpcId, p.accepter.vpcId].includes(o.vpcId) && [p.requester.vpcId, p.accepter.vpcId].includes(g.vpcId),
      );
      out.set(`${id} ${o.vpcId}`, { groupId: id, referencingVpcId: o.vpcId, vpcPeeringConnectionId: pcx?.id });
    }
  }
  return { securityGroupReferenceSet: [...out.values()] };
}
