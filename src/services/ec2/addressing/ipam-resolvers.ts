/**
 * IPAM prefix list resolvers: rules (static CIDRs, CIDRs provisioned to IPAM pools, IPAM resource CIDRs of a
 * scope, narrowed by equals / not-equals / subnet-of conditions) resolve to a set of CIDRs; each time the set
 * changes a new version is recorded. Resolution runs whenever a resolver or target is looked at (IPAM's
 * periodic evaluation, done on read). Targets keep a managed prefix list in sync with the latest version or a
 * desired one: its entries are replaced (a new prefix list version) or the target is sync-failed when the
 * list is too small or of another address family.
 */
import { hex } from "../../core/ids.js";
import type { Ctx } from "../../core/types.js";
import { applyTagSpec, cidrContains, dropTags, dryRun, list, parseCidr, required, select, tagList, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { fam } from "../families/state.js";
import { ipv6Contains } from "../ipv6.js";
import type { Ec2State } from "../state.js";
import { computeScope } from "./ipam-resources.js";
import { setPrefixListEntries } from "./prefix-lists.js";
import { addr, addrOf, type AddrState, type ResolverRec, type ResolverTargetRec } from "./state.js";

const e = Ec2Errors.custom;
const resolverNotFound = (id: string) => e("InvalidIpamPrefixListResolverId.NotFound", `The IPAM prefix list resolver ID '${id}' does not exist`);
const targetNotFound = (id: string) => e("InvalidIpamPrefixListResolverTargetId.NotFound", `The IPAM prefix list resolver target ID '${id}' does not exist`);

type Condition = {
  Operation?: string;
  IpamPoolId?: string;
  ResourceId?: string;
  ResourceOwner?: string;
  ResourceRegion?: string;
  ResourceTag?: { Key?: string; Value?: string };
  Cidr?: string;
};
type Rule = { RuleType?: string; StaticCidr?: string; IpamScopeId?: string; ResourceType?: string; Conditions?: Condition[] };

const isV4 = (c: string) => !!parseCidr(c);
const within = (inner: string, outer: string) => (isV4(inner) ? isV4(outer) && cidrContains(outer, inner) : !isV4(outer) && ipv6Contains(outer, inner));

interface Item {
  cidr: string;
  poolId?: string;
  resourceId?: string;
  owner?: string;
  region?: string;
  tags: Map<string, string>;
}

function holds(c: Condition, x: Item): boolean {
  let v: boolean;
  if (c.IpamPoolId !== undefined) v = x.poolId === c.IpamPoolId;
  else if (c.ResourceId !== undefined) v = x.resourceId === c.ResourceId;
  else if (c.ResourceOwner !== undefined) v = x.owner === c.ResourceOwner;
  else if (c.ResourceRegion !== undefined) v = x.region === c.ResourceRegion;
  else if (c.ResourceTag?.Key !== undefined)
    v = x.tags.has(c.ResourceTag.Key) && (c.ResourceTag.Value === undefined || x.tags.get(c.ResourceTag.Key) === c.ResourceTag.Value);
  else if (c.Cidr !== undefined) v = c.Operation === "subnet-of" ? within(x.cidr, c.Cidr) : x.cidr === c.Cidr;
  else v = true;
  return c.Operation === "not-equals" ? !v : v;
}

function checkRules(ctx: Ctx, ipamId: string, family: string, rules: Rule[]) {
  const { f } = fam(ctx);
  for (const r of rules) {
    if (r.RuleType === "static-cidr") {
      if (!r.StaticCidr) throw Ec2Errors.missing("StaticCidr");
      const v4 = isV4(r.StaticCidr);
      if (!v4 && !/^[0-9a-fA-F:]+\/\d{1,3}$/.test(r.StaticCidr)) throw Ec2Errors.invalidValue(`The CIDR ${r.StaticCidr} is invalid.`);
      if (v4 !== (family === "ipv4")) throw Ec2Errors.invalidValue(`The CIDR ${r.StaticCidr} does not match the resolver's address family (${family}).`);
    }
    if (r.RuleType === "ipam-resource-cidr") {
      if (!r.IpamScopeId) throw Ec2Errors.missing("IpamScopeId");
      const scope = f.scopes.get(r.IpamScopeId);
      if (!scope) throw e("InvalidIpamScopeId.NotFound", `The ipam scope ID '${r.IpamScopeId}' does not exist`);
      if (scope.ipamId !== ipamId) throw Ec2Errors.invalidValue(`The IPAM scope ${scope.id} is not in the IPAM ${ipamId}.`);
    }
    for (const c of r.Conditions ?? [])
      if (c.IpamPoolId !== undefined && !f.pools.has(c.IpamPoolId)) throw e("InvalidIpamPoolId.NotFound", `The ipam pool ID '${c.IpamPoolId}' does not exist`);
  }
}

async function resolveCidrs(ctx: Ctx, r: ResolverRec): Promise<string[]> {
  const { f } = fam(ctx);
  const out = new Set<string>();
  const v4 = r.family === "ipv4";
  for (const rule of r.rules as Rule[]) {
    let items: Item[] = [];
    if (rule.RuleType === "static-cidr" && rule.StaticCidr) items = [{ cidr: rule.StaticCidr, tags: new Map() }];
    else if (rule.RuleType === "ipam-pool-cidr") {
      for (const p of f.pools.values())
        if (p.ipamId === r.ipamId)
          for (const c of p.cidrs.values()) if (c.state === "provisioned") items.push({ cidr: c.cidr, poolId: p.id, region: p.locale, tags: p.tags });
    } else if (rule.RuleType === "ipam-resource-cidr" && rule.IpamScopeId) {
      const scope = f.scopes.get(rule.IpamScopeId);
      if (scope)
        items = (await computeScope(ctx, scope))
          .filter((c) => !rule.ResourceType || c.x.type === rule.ResourceType)
          .map((c) => ({ cidr: c.x.cidr, poolId: c.poolId, resourceId: c.x.id, owner: c.x.owner, region: c.x.region, tags: c.x.tags }));
    }
    for (const x of items) if (isV4(x.cidr) === v4 && (rule.Conditions ?? []).every((c) => holds(c, x))) out.add(x.cidr);
  }
  return [...out].sort();
}

const latest = (r: ResolverRec) => Math.max(0, ...r.versions.keys());

/** Resolve a resolver (a new version when its CIDRs changed) and sync its targets. */
async function sync(ctx: Ctx, s: Ec2State, a: AddrState, r: ResolverRec) {
  const cidrs = await resolveCidrs(ctx, r);
  const last = r.versions.get(latest(r));
  if (!last || last.join(",") !== cidrs.join(",")) r.versions.set(latest(r) + 1, cidrs);
  for (const t of a.resolverTargets.values()) if (t.resolverId === r.id) await syncTarget(ctx, s, r, t);
}

async function syncTarget(ctx: Ctx, s: Ec2State, r: ResolverRec, t: ResolverTargetRec) {
  const version = t.trackLatest ? latest(r) : (t.desired ?? latest(r));
  if (t.lastSynced === version && t.state === "sync-complete") return;
  const cidrs = r.versions.get(version);
  const ps = t.region === s.region ? s : await ctx.stateOf<Ec2State>("ec2", t.region, s.accountId);
  const pl = ps.prefixLists.get(t.prefixListId);
  const fail = (message: string) => {
    t.state = "sync-failed";
    t.message = message;
  };
  if (!cidrs) return fail(`Version ${version} of ${r.id} does not exist.`);
  if (!pl) return fail(`The prefix list ${t.prefixListId} does not exist.`);
  if ((pl.addressFamily === "IPv4") !== (r.family === "ipv4")) return fail(`The prefix list ${pl.id} is ${pl.addressFamily}; the resolver is ${r.family}.`);
  if (cidrs.length > pl.maxEntries) return fail(`Version ${version} has ${cidrs.length} CIDRs; the prefix list ${pl.id} holds at most ${pl.maxEntries}.`);
  const current = [...pl.entries.keys()].sort().join(",");
  if (current !== cidrs.join(",")) setPrefixListEntries(ps, addrOf(ps), pl, new Map(cidrs.map((c) => [c, pl.entries.get(c) ?? ""])));
  t.lastSynced = version;
  t.state = "sync-complete";
  t.message = undefined;
}

const resolverView = (s: Ec2State, r: ResolverRec) => ({
  OwnerId: s.accountId,
  IpamPrefixListResolverId: r.id,
  IpamPrefixListResolverArn: r.arn,
  IpamArn: `arn:aws:ec2::${s.accountId}:ipam/${r.ipamId}`,
  IpamRegion: s.region,
  Description: r.description,
  AddressFamily: r.family,
  State: "create-complete",
  Tags: tagList(r).map(({ key, value }) => ({ Key: key, Value: value })),
  LastVersionCreationStatus: "success",
});

function getResolver(a: AddrState, id: string): ResolverRec {
  const r = a.resolvers.get(id);
  if (!r) throw resolverNotFound(id);
  return r;
}

export async function CreateIpamPrefixListResolver(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const { f } = fam(ctx);
  const ipamId = required(input, "IpamId");
  if (!f.ipams.has(ipamId)) throw e("InvalidIpamId.NotFound", `The ipam ID '${ipamId}' does not exist`);
  const family = required(input, "AddressFamily");
  const rules = (input.Rules ?? []) as Rule[];
  checkRules(ctx, ipamId, family, rules);
  dryRun(input);
  const id = `ipam-prefix-list-resolver-${hex(17)}`;
  const r: ResolverRec = {
    id,
    arn: `arn:aws:ec2::${s.accountId}:ipam-prefix-list-resolver/${id}`,
    ipamId,
    description: input.Description,
    family,
    rules,
    versions: new Map(),
    tags: new Map(),
  };
  a.resolvers.set(id, r);
  applyTagSpec(s, input, "ipam-prefix-list-resolver", id, r);
  await sync(ctx, s, a, r);
  return { IpamPrefixListResolver: { ...resolverView(s, r), State: "create-in-progress" } };
}

export async function ModifyIpamPrefixListResolver(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const r = getResolver(a, required(input, "IpamPrefixListResolverId"));
  if (input.Rules !== undefined) checkRules(ctx, r.ipamId, r.family, input.Rules as Rule[]);
  dryRun(input);
  if (input.Description !== undefined) r.description = input.Description;
  if (input.Rules !== undefined) r.rules = input.Rules;
  await sync(ctx, s, a, r);
  return { IpamPrefixListResolver: { ...resolverView(s, r), State: "modify-in-progress" } };
}

export function DeleteIpamPrefixListResolver(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const r = getResolver(a, required(input, "IpamPrefixListResolverId"));
  if ([...a.resolverTargets.values()].some((t) => t.resolverId === r.id))
    throw Ec2Errors.dependency(`The IPAM prefix list resolver ${r.id} has targets. Delete them first.`);
  dryRun(input);
  dropTags(s, r.id, r);
  a.resolvers.delete(r.id);
  return { IpamPrefixListResolver: { ...resolverView(s, r), State: "delete-in-progress" } };
}

export async function DescribeIpamPrefixListResolvers(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  dryRun(input);
  const ids = list(input.IpamPrefixListResolverIds);
  for (const id of ids) getResolver(a, id);
  const rows = ids.length ? ids.map((id) => a.resolvers.get(id)!) : [...a.resolvers.values()];
  for (const r of rows) await sync(ctx, s, a, r);
  const res = select(
    rows,
    input,
    {
      "ipam-prefix-list-resolver-id": (r) => r.id,
      "ipam-id": (r) => r.ipamId,
      "address-family": (r) => r.family,
      description: (r) => r.description,
      state: () => "create-complete",
    },
    (r) => r.id,
    { paginate: true, min: 5, max: 1000 },
  );
  return { IpamPrefixListResolvers: res.items.map((r) => resolverView(s, r)), NextToken: res.nextToken };
}

export function GetIpamPrefixListResolverRules(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  const r = getResolver(a, required(input, "IpamPrefixListResolverId"));
  dryRun(input);
  const rows = (r.rules as Rule[]).map((x, i) => ({ x, i, tags: new Map<string, string>() }));
  const res = select(
    rows,
    input,
    {
      "rule-type": (y) => y.x.RuleType,
      "static-cidr": (y) => y.x.StaticCidr,
      "ipam-scope-id": (y) => y.x.IpamScopeId,
      "resource-type": (y) => y.x.ResourceType,
    },
    (y) => String(y.i).padStart(6, "0"),
    { paginate: true, min: 5, max: 1000 },
  );
  return { Rules: res.items.map((y) => y.x), NextToken: res.nextToken };
}

export async function GetIpamPrefixListResolverVersions(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const r = getResolver(a, required(input, "IpamPrefixListResolverId"));
  dryRun(input);
  await sync(ctx, s, a, r);
  const wanted = list(input.IpamPrefixListResolverVersions).map(Number);
  const rows = [...r.versions.keys()].filter((v) => !wanted.length || wanted.includes(v)).map((v) => ({ v, tags: new Map<string, string>() }));
  const res = select(rows, input, { version: (y) => String(y.v) }, (y) => String(y.v).padStart(12, "0"), { paginate: true, min: 5, max: 1000 });
  return { IpamPrefixListResolverVersions: res.items.map((y) => ({ Version: y.v })), NextToken: res.nextToken };
}

export async function GetIpamPrefixListResolverVersionEntries(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const r = getResolver(a, required(input, "IpamPrefixListResolverId"));
  await sync(ctx, s, a, r);
  const v = Number(input.IpamPrefixListResolverVersion);
  const cidrs = r.versions.get(v);
  if (!cidrs) throw Ec2Errors.invalidValue(`Version ${v} of the IPAM prefix list resolver ${r.id} does not exist.`);
  dryRun(input);
  const rows = cidrs.map((cidr) => ({ cidr, tags: new Map<string, string>() }));
  const res = select(rows, { MaxResults: input.MaxResults, NextToken: input.NextToken }, {}, (y) => y.cidr, { paginate: true, min: 5, max: 1000 });
  return { Entries: res.items.map((y) => ({ Cidr: y.cidr })), NextToken: res.nextToken };
}

// ---------------------------------------------------------------- targets

const targetView = (s: Ec2State, t: ResolverTargetRec) => ({
  IpamPrefixListResolverTargetId: t.id,
  IpamPrefixListResolverTargetArn: t.arn,
  IpamPrefixListResolverId: t.resolverId,
  OwnerId: s.accountId,
  PrefixListId: t.prefixListId,
  PrefixListRegion: t.region,
  DesiredVersion: t.desired,
  LastSyncedVersion: t.lastSynced,
  TrackLatestVersion: t.trackLatest,
  StateMessage: t.message,
  State: t.state,
  Tags: tagList(t).map(({ key, value }) => ({ Key: key, Value: value })),
});

function getTarget(a: AddrState, id: string): ResolverTargetRec {
  const t = a.resolverTargets.get(id);
  if (!t) throw targetNotFound(id);
  return t;
}

export async function CreateIpamPrefixListResolverTarget(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const r = getResolver(a, required(input, "IpamPrefixListResolverId"));
  const plId = required(input, "PrefixListId");
  const region = required(input, "PrefixListRegion");
  const ps = region === s.region ? s : await ctx.stateOf<Ec2State>("ec2", region, s.accountId);
  const pl = ps.prefixLists.get(plId);
  if (!pl) throw e("InvalidPrefixListID.NotFound", `The prefix list ID '${plId}' does not exist`);
  if (pl.ownerId === "AWS") throw Ec2Errors.invalidValue(`The prefix list ${plId} is AWS-managed.`);
  if ([...a.resolverTargets.values()].some((t) => t.prefixListId === plId && t.region === region))
    throw Ec2Errors.invalidValue(`The prefix list ${plId} is already the target of a resolver.`);
  const track = input.TrackLatestVersion === true;
  if (!track && input.DesiredVersion === undefined) throw Ec2Errors.missing("DesiredVersion");
  dryRun(input);
  const id = `ipam-prefix-list-resolver-target-${hex(17)}`;
  const t: ResolverTargetRec = {
    id,
    arn: `arn:aws:ec2::${s.accountId}:ipam-prefix-list-resolver-target/${id}`,
    resolverId: r.id,
    prefixListId: plId,
    region,
    desired: input.DesiredVersion === undefined ? undefined : Number(input.DesiredVersion),
    trackLatest: track,
    state: "create-complete",
    tags: new Map(),
  };
  a.resolverTargets.set(id, t);
  applyTagSpec(s, input, "ipam-prefix-list-resolver-target", id, t);
  await sync(ctx, s, a, r);
  return { IpamPrefixListResolverTarget: { ...targetView(s, t), State: "create-in-progress" } };
}

export async function ModifyIpamPrefixListResolverTarget(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const t = getTarget(a, required(input, "IpamPrefixListResolverTargetId"));
  dryRun(input);
  if (input.DesiredVersion !== undefined) t.desired = Number(input.DesiredVersion);
  if (input.TrackLatestVersion !== undefined) t.trackLatest = input.TrackLatestVersion === true;
  t.state = "modify-complete";
  const r = a.resolvers.get(t.resolverId);
  if (r) await sync(ctx, s, a, r);
  return { IpamPrefixListResolverTarget: { ...targetView(s, t), State: "modify-in-progress" } };
}

export function DeleteIpamPrefixListResolverTarget(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const t = getTarget(a, required(input, "IpamPrefixListResolverTargetId"));
  dryRun(input);
  dropTags(s, t.id, t);
  a.resolverTargets.delete(t.id);
  return { IpamPrefixListResolverTarget: { ...targetView(s, t), State: "delete-in-progress" } };
}

export async function DescribeIpamPrefixListResolverTargets(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  dryRun(input);
  const ids = list(input.IpamPrefixListResolverTargetIds);
  for (const id of ids) getTarget(a, id);
  if (input.IpamPrefixListResolverId) getResolver(a, String(input.IpamPrefixListResolverId));
  for (const r of a.resolvers.values()) await sync(ctx, s, a, r);
  const rows = (ids.length ? ids.map((id) => a.resolverTargets.get(id)!) : [...a.resolverTargets.values()]).filter(
    (t) => !input.IpamPrefixListResolverId || t.resolverId === input.IpamPrefixListResolverId,
  );
  const res = select(
    rows,
    input,
    {
      "ipam-prefix-list-resolver-target-id": (t) => t.id,
      "ipam-prefix-list-resolver-id": (t) => t.resolverId,
      "prefix-list-id": (t) => t.prefixListId,
      "prefix-list-region": (t) => t.region,
      state: (t) => t.state,
    },
    (t) => t.id,
    { paginate: true, min: 5, max: 1000 },
  );
  return { IpamPrefixListResolverTargets: res.items.map((t) => targetView(s, t)), NextToken: res.nextToken };
}
