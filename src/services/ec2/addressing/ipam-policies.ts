/**
 * IPAM policies: allocation rules per locale and resource type (eip, alb, rds, rnat) naming the IPAM pools
 * public IPv4 addresses come from, enabled for the account (one at a time). With a policy enabled, an elastic
 * IP allocated from Amazon's pool in a Region with an eip rule is taken as a /32 from the first rule pool
 * with room; AllocateAddress IpamPoolId takes it from that pool directly. The address's IPAM allocation is
 * released with the address. Organization targets need AWS Organizations, which awsim does not have: a
 * policy has none and OrganizationTargetId is refused.
 */
import { hex } from "../../core/ids.js";
import type { Ctx, Handler } from "../../core/types.js";
import { applyTagSpec, dropTags, dryRun, list, required, select, tagList, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { AllocateIpamPoolCidr } from "../families/ipam.js";
import { fam } from "../families/state.js";
import type { Ec2State } from "../state.js";
import { addr, type AddrState, type IpamPolicyRec } from "./state.js";

const e = Ec2Errors.custom;
const policyNotFound = (id: string) => e("InvalidIpamPolicyId.NotFound", `The ipam policy ID '${id}' does not exist`);

const view = (s: Ec2State, p: IpamPolicyRec) => ({
  OwnerId: s.accountId,
  IpamPolicyId: p.id,
  IpamPolicyArn: p.arn,
  IpamPolicyRegion: s.region,
  State: "create-complete",
  Tags: tagList(p).map(({ key, value }) => ({ Key: key, Value: value })),
  IpamId: p.ipamId,
});

function getPolicy(a: AddrState, id: string): IpamPolicyRec {
  const p = a.ipamPolicies.get(id);
  if (!p) throw policyNotFound(id);
  return p;
}

function noOrganizations(input: Input) {
  if (input.OrganizationTargetId !== undefined)
    throw Ec2Errors.invalidValue(`The organization target ${input.OrganizationTargetId} does not exist: this account is not in an organization.`);
}

export function CreateIpamPolicy(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const { f } = fam(ctx);
  const ipamId = required(input, "IpamId");
  if (!f.ipams.has(ipamId)) throw e("InvalidIpamId.NotFound", `The ipam ID '${ipamId}' does not exist`);
  dryRun(input);
  const id = `ipam-policy-${hex(17)}`;
  const p: IpamPolicyRec = { id, arn: `arn:aws:ec2::${s.accountId}:ipam-policy/${id}`, ipamId, rules: new Map(), tags: new Map() };
  a.ipamPolicies.set(id, p);
  applyTagSpec(s, input, "ipam-policy", id, p);
  return { IpamPolicy: { ...view(s, p), State: "create-in-progress" } };
}

export function DeleteIpamPolicy(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const p = getPolicy(a, required(input, "IpamPolicyId"));
  if (a.enabledIpamPolicy === p.id) throw e("IncorrectState", `The IPAM policy ${p.id} is enabled. Disable it first.`);
  dryRun(input);
  dropTags(s, p.id, p);
  a.ipamPolicies.delete(p.id);
  return { IpamPolicy: { ...view(s, p), State: "delete-in-progress" } };
}

export function DescribeIpamPolicies(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  dryRun(input);
  const ids = list(input.IpamPolicyIds);
  for (const id of ids) getPolicy(a, id);
  const r = select(
    ids.length ? ids.map((id) => a.ipamPolicies.get(id)!) : [...a.ipamPolicies.values()],
    input,
    { "ipam-policy-id": (p) => p.id, "ipam-id": (p) => p.ipamId, state: () => "create-complete", "owner-id": () => s.accountId },
    (p) => p.id,
    { paginate: true, min: 5, max: 1000 },
  );
  return { IpamPolicies: r.items.map((p) => view(s, p)), NextToken: r.nextToken };
}

export function EnableIpamPolicy(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  const p = getPolicy(a, required(input, "IpamPolicyId"));
  noOrganizations(input);
  if (a.enabledIpamPolicy && a.enabledIpamPolicy !== p.id && a.ipamPolicies.has(a.enabledIpamPolicy))
    throw e("IncorrectState", `The IPAM policy ${a.enabledIpamPolicy} is already enabled for this account. Disable it first.`);
  dryRun(input);
  a.enabledIpamPolicy = p.id;
  return { IpamPolicyId: p.id };
}

export function DisableIpamPolicy(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  const p = getPolicy(a, required(input, "IpamPolicyId"));
  noOrganizations(input);
  if (a.enabledIpamPolicy !== p.id) throw e("IncorrectState", `The IPAM policy ${p.id} is not enabled.`);
  dryRun(input);
  a.enabledIpamPolicy = undefined;
  return { Return: true };
}

export function GetEnabledIpamPolicy(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  dryRun(input);
  const id = a.enabledIpamPolicy && a.ipamPolicies.has(a.enabledIpamPolicy) ? a.enabledIpamPolicy : undefined;
  return { IpamPolicyEnabled: !!id, IpamPolicyId: id, ManagedBy: id ? "account" : undefined };
}

const docView = (p: IpamPolicyRec, key: string) => {
  const [locale, resourceType] = key.split(" ");
  return {
    IpamPolicyId: p.id,
    Locale: locale,
    ResourceType: resourceType,
    AllocationRules: (p.rules.get(key) ?? []).map((SourceIpamPoolId) => ({ SourceIpamPoolId })),
  };
};

export function ModifyIpamPolicyAllocationRules(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  const { f } = fam(ctx);
  const p = getPolicy(a, required(input, "IpamPolicyId"));
  const locale = required(input, "Locale");
  const type = required(input, "ResourceType");
  const pools = ((input.AllocationRules ?? []) as Array<{ SourceIpamPoolId?: string }>).map((r) => String(r.SourceIpamPoolId ?? ""));
  for (const id of pools) {
    const pool = f.pools.get(id);
    if (!pool) throw e("InvalidIpamPoolId.NotFound", `The ipam pool ID '${id}' does not exist`);
    if (pool.ipamId !== p.ipamId) throw Ec2Errors.invalidValue(`The IPAM pool ${id} is not in the IPAM ${p.ipamId} of the policy.`);
    if (f.scopes.get(pool.scopeId)?.type !== "public" || pool.addressFamily !== "ipv4")
      throw Ec2Errors.invalidValue(`The IPAM pool ${id} must be an IPv4 pool of a public scope.`);
    if (pool.locale && pool.locale !== locale) throw Ec2Errors.invalidValue(`The IPAM pool ${id} has locale ${pool.locale}, not ${locale}.`);
  }
  dryRun(input);
  const key = `${locale} ${type}`;
  if (pools.length) p.rules.set(key, pools);
  else p.rules.delete(key);
  return { IpamPolicyDocument: docView(p, key) };
}

export function GetIpamPolicyAllocationRules(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  const p = getPolicy(a, required(input, "IpamPolicyId"));
  dryRun(input);
  const rows = [...p.rules.keys()]
    .filter((k) => (!input.Locale || k.split(" ")[0] === input.Locale) && (!input.ResourceType || k.split(" ")[1] === input.ResourceType))
    .map((k) => ({ k, tags: new Map<string, string>() }));
  const r = select(rows, input, { locale: (x) => x.k.split(" ")[0], "resource-type": (x) => x.k.split(" ")[1] }, (x) => x.k, {
    paginate: true,
    min: 5,
    max: 1000,
  });
  return { IpamPolicyDocuments: r.items.map((x) => docView(p, x.k)), NextToken: r.nextToken };
}

export function GetIpamPolicyOrganizationTargets(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  getPolicy(a, required(input, "IpamPolicyId"));
  dryRun(input);
  const r = select([] as Array<{ id: string; tags: Map<string, string> }>, input, { "organization-target-id": (x) => x.id }, (x) => x.id, {
    paginate: true,
    min: 5,
    max: 1000,
  });
  return { OrganizationTargets: r.items.map((x) => ({ OrganizationTargetId: x.id })), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- elastic IPs from IPAM pools

/** Take a /32 from the first of `pools` with room; undefined when none has. */
function allocate32(ctx: Ctx, pools: string[], strict: boolean): { ip: string; poolId: string; allocationId: string } | undefined {
  const { f } = fam(ctx);
  let last: unknown;
  for (const id of pools) {
    const pool = f.pools.get(id);
    if (!pool) throw e("InvalidIpamPoolId.NotFound", `The ipam pool ID '${id}' does not exist`);
    if (f.scopes.get(pool.scopeId)?.type !== "public" || pool.addressFamily !== "ipv4")
      throw Ec2Errors.invalidValue(`The IPAM pool ${id} must be an IPv4 pool of a public scope.`);
    try {
      const out = AllocateIpamPoolCidr(ctx, { IpamPoolId: id, NetmaskLength: 32 }) as { IpamPoolAllocation: { Cidr: string; IpamPoolAllocationId: string } };
      return { ip: out.IpamPoolAllocation.Cidr.split("/")[0]!, poolId: id, allocationId: out.IpamPoolAllocation.IpamPoolAllocationId };
    } catch (err) {
      last = err;
    }
  }
  if (strict && last) throw last;
  return undefined;
}

/** AllocateAddress with IpamPoolId, or under an enabled IPAM policy with an eip rule for this Region. */
export const allocateAddressWith =
  (base: Handler): Handler =>
  async (ctx, input: Input) => {
    const { s, a } = addr(ctx);
    let pools: string[] = [];
    if (input.IpamPoolId !== undefined) {
      if (input.PublicIpv4Pool !== undefined && input.PublicIpv4Pool !== "amazon")
        throw Ec2Errors.invalidCombination("IpamPoolId and PublicIpv4Pool cannot both be specified.");
      pools = [String(input.IpamPoolId)];
    } else if (input.PublicIpv4Pool === undefined || input.PublicIpv4Pool === "amazon") {
      const pol = a.enabledIpamPolicy ? a.ipamPolicies.get(a.enabledIpamPolicy) : undefined;
      pools = pol?.rules.get(`${s.region} eip`) ?? [];
    }
    if (!pools.length) return base(ctx, input);
    dryRun(input);
    const got = allocate32(ctx, pools, input.IpamPoolId !== undefined);
    if (!got) return base(ctx, input);
    const out = (await base(ctx, { ...input, IpamPoolId: undefined })) as Record<string, unknown> & { allocationId: string };
    const rec = s.addresses.get(out.allocationId)!;
    rec.publicIp = got.ip;
    const alloc = fam(ctx).f.pools.get(got.poolId)!.allocations.get(got.allocationId)!;
    Object.assign(alloc, { resourceType: "eip", resourceId: rec.allocationId, resourceRegion: s.region });
    return { ...out, publicIp: got.ip };
  };

/** ReleaseAddress also releases the address's IPAM pool allocation. */
export const releaseAddressWith =
  (base: Handler): Handler =>
  async (ctx, input: Input) => {
    const { s } = addr(ctx);
    const id = input.AllocationId ?? [...s.addresses.values()].find((x) => x.publicIp === input.PublicIp)?.allocationId;
    const out = await base(ctx, input);
    if (id && !s.addresses.has(String(id)))
      for (const p of fam(ctx).f.pools.values())
        for (const al of [...p.allocations.values()]) if (al.resourceType === "eip" && al.resourceId === id) p.allocations.delete(al.id);
    return out;
  };
