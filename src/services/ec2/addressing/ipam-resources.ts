/**
 * What IPAM sees of awsim's own resources, computed from the EC2 state of each operating Region of the IPAM
 * or resource discovery: VPC and subnet CIDRs (IPv4 in the private scope; Amazon-provided IPv6 blocks and
 * elastic IPs in the public scope), their usage, whether IPAM manages them (a pool allocation of the scope
 * made for that resource or exactly that CIDR), overlaps between resources of one kind, and CIDRs marked
 * unmonitored (ModifyIpamResourceCidr). Address history is what IPAM has sampled: each call that looks at
 * resources records the CIDRs it sees (first and last sample time); a CIDR gone since the previous sample
 * gets its end time then.
 */
import type { Ctx } from "../../core/types.js";
import { cidrOverlap, dryRun, list, parseCidr, required, select, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { type AllocationRec, fam, type FamState, type IpamScopeRec } from "../families/state.js";
import { ipv6Contains } from "../ipv6.js";
import { freeAddresses } from "../network.js";
import type { Ec2State, Tagged } from "../state.js";
import { addrOf, type IpamHistoryRec } from "./state.js";

const e = Ec2Errors.custom;

export interface ResourceCidr extends Tagged {
  region: string;
  owner: string;
  type: "vpc" | "subnet" | "eip";
  id: string;
  cidr: string;
  v6: boolean;
  vpcId?: string;
  subnetId?: string;
  azId?: string;
  usage: number;
  ipSource: string;
  name?: string;
}

/** The resource CIDRs of one Region's EC2 state. */
export function resourceCidrs(s: Ec2State): ResourceCidr[] {
  const out: ResourceCidr[] = [];
  const base = { region: s.region, owner: s.accountId };
  const subnetsOf = new Map<string, number>();
  for (const sub of s.subnets.values()) {
    const v4 = parseCidr(sub.cidr);
    if (!v4) continue; // an IPv6-only subnet has no IPv4 range
    const total = 2 ** (32 - v4.bits);
    subnetsOf.set(sub.vpcId, (subnetsOf.get(sub.vpcId) ?? 0) + total);
    const used = total - 5 - freeAddresses(sub);
    const common = { ...base, type: "subnet" as const, id: sub.id, vpcId: sub.vpcId, subnetId: sub.id, tags: sub.tags, name: sub.tags.get("Name") };
    out.push({ ...common, cidr: sub.cidr, v6: false, usage: Math.max(0, used) / Math.max(1, total - 5), ipSource: "none", azId: azIdOf(s, sub.az) });
    if (sub.ipv6) out.push({ ...common, cidr: sub.ipv6.cidr, v6: true, usage: 0, ipSource: "amazon", azId: azIdOf(s, sub.az) });
  }
  for (const v of s.vpcs.values()) {
    const common = { ...base, type: "vpc" as const, id: v.id, vpcId: v.id, tags: v.tags, name: v.tags.get("Name") };
    const size = [v.cidr, ...v.secondaryCidrs.map((c) => c.cidr)].reduce((n, c) => n + 2 ** (32 - parseCidr(c)!.bits), 0);
    for (const c of [v.cidr, ...v.secondaryCidrs.map((x) => x.cidr)])
      out.push({ ...common, cidr: c, v6: false, usage: Math.min(1, (subnetsOf.get(v.id) ?? 0) / size), ipSource: "none" });
    for (const c of v.ipv6) out.push({ ...common, cidr: c.cidr, v6: true, usage: 0, ipSource: "amazon" });
  }
  for (const a of s.addresses.values()) {
    const eni = a.eniId ? s.enis.get(a.eniId) : undefined;
    out.push({
      ...base,
      type: "eip",
      id: a.allocationId,
      cidr: `${a.publicIp}/32`,
      v6: false,
      vpcId: eni?.vpcId,
      subnetId: eni?.subnetId,
      usage: a.associationId ? 1 : 0,
      ipSource: "amazon",
      tags: a.tags,
      name: a.tags.get("Name"),
    });
  }
  return out;
}

function azIdOf(s: Ec2State, az: string): string | undefined {
  const letter = az.slice(s.region.length);
  const i = "abcdef".indexOf(letter);
  if (i < 0) return undefined;
  const [geo, dir, n] = s.region.split("-");
  const d: Record<string, string> = { east: "e", west: "w", north: "n", south: "s", central: "c", southeast: "se", northeast: "ne" };
  return `${geo}${d[dir ?? ""] ?? (dir ?? "").slice(0, 1)}${n ?? ""}-az${i + 1}`;
}

const overlap = (a: ResourceCidr, b: ResourceCidr) =>
  a.v6 === b.v6 && (a.v6 ? ipv6Contains(a.cidr, b.cidr) || ipv6Contains(b.cidr, a.cidr) : cidrOverlap(a.cidr, b.cidr));

/** Resource CIDRs of every operating Region of an IPAM (or discovery). */
async function regionCidrs(ctx: Ctx, s: Ec2State, regions: string[]): Promise<ResourceCidr[]> {
  const out: ResourceCidr[] = [];
  for (const r of regions) out.push(...resourceCidrs(r === s.region ? s : await ctx.stateOf<Ec2State>("ec2", r, s.accountId)));
  return out;
}

const inScope = (x: ResourceCidr, scope: IpamScopeRec) => (scope.type === "public" ? x.v6 || x.type === "eip" : !x.v6 && x.type !== "eip");
const ignoreKey = (scopeId: string, x: { id: string; cidr: string }) => `${scopeId} ${x.id} ${x.cidr}`;

function getScope(f: FamState, id: string): IpamScopeRec {
  const x = f.scopes.get(id);
  if (!x) throw e("InvalidIpamScopeId.NotFound", `The ipam scope ID '${id}' does not exist`);
  return x;
}

function poolFor(f: FamState, scope: IpamScopeRec, x: ResourceCidr): string | undefined {
  for (const p of f.pools.values()) {
    if (p.scopeId !== scope.id) continue;
    for (const a of p.allocations.values()) if (a.resourceId === x.id || (a.resourceType !== "ipam-pool" && a.cidr === x.cidr)) return p.id;
  }
  return undefined;
}

/** Record a sample of the resource CIDRs of a scope (address history). */
function sample(ctx: Ctx, s: Ec2State, scope: IpamScopeRec, rows: Computed[]) {
  const a = addrOf(s);
  const h = (a.ipamHistory ??= new Map<string, IpamHistoryRec[]>());
  const now = ctx.now();
  const seen = new Set<string>();
  for (const { x, compliance, overlapStatus } of rows) {
    const k = ignoreKey(scope.id, x);
    seen.add(k);
    const open = h.get(k)?.find((r) => !r.end);
    if (open) Object.assign(open, { last: now, name: x.name, compliance, overlap: overlapStatus });
    else {
      const list = h.get(k) ?? [];
      list.push({
        scopeId: scope.id,
        region: x.region,
        owner: x.owner,
        type: x.type,
        id: x.id,
        cidr: x.cidr,
        vpcId: x.vpcId,
        name: x.name,
        compliance,
        overlap: overlapStatus,
        start: now,
        last: now,
      });
      h.set(k, list);
    }
  }
  for (const [k, list] of h) if (k.startsWith(`${scope.id} `) && !seen.has(k)) for (const r of list) if (!r.end) r.end = now;
}

export interface Computed {
  x: ResourceCidr;
  scope: IpamScopeRec;
  poolId?: string;
  management: string;
  compliance: string;
  overlapStatus: string;
  tags: Map<string, string>;
}

export async function computeScope(ctx: Ctx, scope: IpamScopeRec): Promise<Computed[]> {
  const { s, f } = fam(ctx);
  const ipam = f.ipams.get(scope.ipamId);
  const rows = (await regionCidrs(ctx, s, ipam?.operatingRegions ?? [s.region])).filter((x) => inScope(x, scope));
  const ignored = addrOf(s).ipamIgnored ?? new Set<string>();
  const out = rows.map((x) => {
    const ig = ignored.has(ignoreKey(scope.id, x));
    const poolId = poolFor(f, scope, x);
    const overlapping = rows.some((y) => y !== x && y.type === x.type && y.id !== x.id && !ignored.has(ignoreKey(scope.id, y)) && overlap(x, y));
    return {
      x,
      scope,
      poolId,
      management: ig ? "ignored" : poolId ? "managed" : "unmanaged",
      compliance: ig ? "ignored" : poolId ? "compliant" : "unmanaged",
      overlapStatus: ig ? "ignored" : overlapping ? "overlapping" : "nonoverlapping",
      tags: x.tags,
    };
  });
  sample(ctx, s, scope, out);
  return out;
}

const resourceCidrView = (c: Computed) => ({
  IpamId: c.scope.ipamId,
  IpamScopeId: c.scope.id,
  IpamPoolId: c.poolId,
  ResourceRegion: c.x.region,
  ResourceOwnerId: c.x.owner,
  ResourceId: c.x.id,
  ResourceName: c.x.name,
  ResourceCidr: c.x.cidr,
  ResourceType: c.x.type,
  ResourceTags: [...c.x.tags].map(([Key, Value]) => ({ Key, Value })),
  IpUsage: c.x.usage,
  ComplianceStatus: c.compliance,
  ManagementState: c.management,
  OverlapStatus: c.overlapStatus,
  VpcId: c.x.vpcId,
  AvailabilityZoneId: c.x.azId,
});

export async function GetIpamResourceCidrs(ctx: Ctx, input: Input) {
  const { f } = fam(ctx);
  const scope = getScope(f, required(input, "IpamScopeId"));
  if (input.IpamPoolId && !f.pools.has(String(input.IpamPoolId)))
    throw e("InvalidIpamPoolId.NotFound", `The ipam pool ID '${input.IpamPoolId}' does not exist`);
  dryRun(input);
  const tag = input.ResourceTag as { Key?: string; Value?: string } | undefined;
  const rows = (await computeScope(ctx, scope)).filter(
    (c) =>
      (!input.IpamPoolId || c.poolId === input.IpamPoolId) &&
      (!input.ResourceId || c.x.id === input.ResourceId) &&
      (!input.ResourceType || c.x.type === input.ResourceType) &&
      (!input.ResourceOwner || c.x.owner === input.ResourceOwner) &&
      (!tag?.Key || (c.x.tags.has(tag.Key) && (tag.Value === undefined || c.x.tags.get(tag.Key) === tag.Value))),
  );
  const r = select(
    rows,
    input,
    {
      "management-state": (c) => c.management,
      "compliance-status": (c) => c.compliance,
      "overlap-status": (c) => c.overlapStatus,
      "resource-type": (c) => c.x.type,
      "resource-id": (c) => c.x.id,
      "resource-region": (c) => c.x.region,
      "resource-owner-id": (c) => c.x.owner,
      "resource-cidr": (c) => c.x.cidr,
      "vpc-id": (c) => c.x.vpcId,
      "ipam-pool-id": (c) => c.poolId,
    },
    (c) => `${c.x.type} ${c.x.id} ${c.x.cidr}`,
    { paginate: true, min: 5, max: 1000 },
  );
  return { IpamResourceCidrs: r.items.map(resourceCidrView), NextToken: r.nextToken };
}

export async function ModifyIpamResourceCidr(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const scope = getScope(f, required(input, "CurrentIpamScopeId"));
  const id = required(input, "ResourceId");
  const cidr = required(input, "ResourceCidr");
  const region = required(input, "ResourceRegion");
  if (input.DestinationIpamScopeId !== undefined) {
    const dest = getScope(f, String(input.DestinationIpamScopeId));
    if (dest.ipamId !== scope.ipamId || dest.type !== scope.type)
      throw Ec2Errors.invalidValue("The destination scope must be a scope of the same IPAM and of the same type.");
    throw e("UnsupportedOperation", "Moving resource CIDRs between scopes is only supported for resource CIDRs of AWS-managed resources.");
  }
  const rows = await computeScope(ctx, scope);
  const c = rows.find((x) => x.x.id === id && x.x.cidr === cidr && x.x.region === region);
  if (!c) throw e("InvalidIpamResourceCidr.NotFound", `The resource CIDR ${cidr} of ${id} was not found in scope ${scope.id}.`);
  dryRun(input);
  const a = addrOf(s);
  const ignored = (a.ipamIgnored ??= new Set());
  if (input.Monitored === false) ignored.add(ignoreKey(scope.id, c.x));
  else ignored.delete(ignoreKey(scope.id, c.x));
  const again = (await computeScope(ctx, scope)).find((x) => x.x.id === id && x.x.cidr === cidr)!;
  return { IpamResourceCidr: resourceCidrView(again) };
}

// ---------------------------------------------------------------- resource discoveries

function getDiscovery(f: FamState, id: string) {
  const d = f.discoveries.get(id);
  if (!d) throw e("InvalidIpamResourceDiscoveryId.NotFound", `The ipam resource discovery ID '${id}' does not exist`);
  return d;
}

function operatingRegion(d: { operatingRegions: string[]; id: string }, region: string) {
  if (!d.operatingRegions.includes(region)) throw Ec2Errors.invalidValue(`The region ${region} is not an operating region of resource discovery ${d.id}.`);
}

export async function GetIpamDiscoveredResourceCidrs(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const d = getDiscovery(f, required(input, "IpamResourceDiscoveryId"));
  const region = required(input, "ResourceRegion");
  operatingRegion(d, region);
  dryRun(input);
  const rows = await regionCidrs(ctx, s, [region]);
  const now = ctx.now();
  const r = select(
    rows,
    input,
    {
      "resource-id": (x) => x.id,
      "resource-type": (x) => x.type,
      "resource-cidr": (x) => x.cidr,
      "resource-owner-id": (x) => x.owner,
      "vpc-id": (x) => x.vpcId,
      "ip-source": (x) => x.ipSource,
    },
    (x) => `${x.type} ${x.id} ${x.cidr}`,
    { paginate: true, min: 5, max: 1000 },
  );
  return {
    IpamDiscoveredResourceCidrs: r.items.map((x) => ({
      IpamResourceDiscoveryId: d.id,
      ResourceRegion: x.region,
      ResourceId: x.id,
      ResourceOwnerId: x.owner,
      ResourceCidr: x.cidr,
      IpSource: x.ipSource,
      ResourceType: x.type,
      ResourceTags: [...x.tags].map(([Key, Value]) => ({ Key, Value })),
      IpUsage: x.usage,
      VpcId: x.vpcId,
      SubnetId: x.type === "subnet" ? x.id : x.subnetId,
      SampleTime: now,
      AvailabilityZoneId: x.azId,
    })),
    NextToken: r.nextToken,
  };
}

export function GetIpamDiscoveredAccounts(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const d = getDiscovery(f, required(input, "IpamResourceDiscoveryId"));
  const region = required(input, "DiscoveryRegion");
  operatingRegion(d, region);
  dryRun(input);
  const now = ctx.now();
  const rows = [{ accountId: s.accountId, tags: new Map<string, string>() }];
  const r = select(rows, input, { "account-id": (x) => x.accountId }, (x) => x.accountId, { paginate: true, min: 5, max: 1000 });
  return {
    IpamDiscoveredAccounts: r.items.map((x) => ({
      AccountId: x.accountId,
      DiscoveryRegion: region,
      LastAttemptedDiscoveryTime: now,
      LastSuccessfulDiscoveryTime: now,
    })),
    NextToken: r.nextToken,
  };
}

export async function GetIpamDiscoveredPublicAddresses(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const d = getDiscovery(f, required(input, "IpamResourceDiscoveryId"));
  const region = required(input, "AddressRegion");
  operatingRegion(d, region);
  dryRun(input);
  const rs = region === s.region ? s : await ctx.stateOf<Ec2State>("ec2", region, s.accountId);
  const now = ctx.now();
  const natByEni = new Map([...rs.nats.values()].map((n) => [n.eniId, n]));
  const rows: Array<Record<string, any> & Tagged> = [];
  for (const a of rs.addresses.values()) {
    const eni = a.eniId ? rs.enis.get(a.eniId) : undefined;
    const nat = a.eniId ? natByEni.get(a.eniId) : undefined;
    rows.push({
      tags: new Map(),
      Address: a.publicIp,
      AddressOwnerId: rs.accountId,
      AddressAllocationId: a.allocationId,
      AssociationStatus: a.associationId ? "associated" : "disassociated",
      AddressType: "amazon-owned-eip",
      Service: nat ? "nat-gateway" : undefined,
      ServiceResource: nat?.id,
      VpcId: eni?.vpcId,
      SubnetId: eni?.subnetId,
      NetworkInterfaceId: eni?.id,
      NetworkInterfaceDescription: eni?.description,
      InstanceId: a.instanceId,
      Tags: { EipTags: [...a.tags].map(([Key, Value]) => ({ Key, Value })) },
      NetworkBorderGroup: rs.region,
      SecurityGroups: eni?.groups.map((g) => ({ GroupId: g, GroupName: rs.sgs.get(g)?.name })),
    });
  }
  const eips = new Set([...rs.addresses.values()].map((a) => a.publicIp));
  for (const i of rs.instances.values()) {
    if (!i.publicIp || eips.has(i.publicIp) || i.state === "terminated") continue;
    rows.push({
      tags: new Map(),
      Address: i.publicIp,
      AddressOwnerId: rs.accountId,
      AssociationStatus: "associated",
      AddressType: "ec2-public-ip",
      VpcId: i.vpcId,
      SubnetId: i.subnetId,
      NetworkInterfaceId: i.eniId,
      InstanceId: i.id,
      NetworkBorderGroup: rs.region,
      SecurityGroups: i.groups.map((g) => ({ GroupId: g, GroupName: rs.sgs.get(g)?.name })),
    });
  }
  const r = select(
    rows,
    input,
    {
      address: (x) => x.Address,
      "address-type": (x) => x.AddressType,
      "association-status": (x) => x.AssociationStatus,
      "instance-id": (x) => x.InstanceId,
      "network-interface-id": (x) => x.NetworkInterfaceId,
      "vpc-id": (x) => x.VpcId,
      "subnet-id": (x) => x.SubnetId,
      "address-allocation-id": (x) => x.AddressAllocationId,
    },
    (x) => x.Address,
    { paginate: true, min: 5, max: 1000 },
  );
  return {
    IpamDiscoveredPublicAddresses: r.items.map(({ tags: _t, ...x }) => ({ ...x, IpamResourceDiscoveryId: d.id, AddressRegion: region, SampleTime: now })),
    OldestSampleTime: now,
    NextToken: r.nextToken,
  };
}

// ---------------------------------------------------------------- address history

export async function GetIpamAddressHistory(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const scope = getScope(f, required(input, "IpamScopeId"));
  const cidr = required(input, "Cidr");
  const v4 = parseCidr(cidr);
  if (!v4 && !/^[0-9a-fA-F:]+\/\d{1,3}$/.test(cidr)) throw Ec2Errors.invalidValue(`The CIDR ${cidr} is invalid.`);
  dryRun(input);
  await computeScope(ctx, scope);
  const start = input.StartTime instanceof Date ? input.StartTime : undefined;
  const end = input.EndTime instanceof Date ? input.EndTime : undefined;
  const rows: Array<Record<string, any> & Tagged> = [];
  for (const list of (addrOf(s).ipamHistory ?? new Map()).values())
    for (const h of list) {
      if (h.scopeId !== scope.id) continue;
      const hit = v4 ? !!parseCidr(h.cidr) && cidrOverlap(cidr, h.cidr) : !parseCidr(h.cidr) && (ipv6Contains(cidr, h.cidr) || ipv6Contains(h.cidr, cidr));
      if (!hit || (input.VpcId && h.vpcId !== input.VpcId)) continue;
      const last = h.end ?? h.last;
      if ((start && last < start) || (end && h.start > end)) continue;
      rows.push({ h, tags: new Map() });
    }
  // "Defaults to 100" results a page.
  const r = select(rows, { MaxResults: input.MaxResults ?? 100, NextToken: input.NextToken }, {}, (x) => `${x.h.id} ${x.h.cidr} ${x.h.start.getTime()}`, {
    paginate: true,
    min: 1,
    max: 1000,
  });
  return {
    HistoryRecords: r.items.map(({ h }) => ({
      ResourceOwnerId: h.owner,
      ResourceRegion: h.region,
      ResourceType: h.type,
      ResourceId: h.id,
      ResourceCidr: h.cidr,
      ResourceName: h.name,
      ResourceComplianceStatus: h.compliance,
      ResourceOverlapStatus: h.overlap,
      VpcId: h.vpcId,
      SampledStartTime: h.start,
      SampledEndTime: h.end,
    })),
    NextToken: r.nextToken,
  };
}

// ---------------------------------------------------------------- pool allocations

export function ModifyIpamPoolAllocation(ctx: Ctx, input: Input) {
  const { f } = fam(ctx);
  const id = required(input, "IpamPoolAllocationId");
  for (const p of f.pools.values()) {
    const a = p.allocations.get(id);
    if (!a) continue;
    dryRun(input);
    if (input.Description !== undefined) a.description = input.Description;
    const tags = (a as { tags?: Map<string, string> }).tags;
    return {
      IpamPoolAllocation: {
        Cidr: a.cidr,
        IpamPoolAllocationId: a.id,
        Description: a.description,
        ResourceId: a.resourceId,
        ResourceType: a.resourceType,
        ResourceRegion: a.resourceRegion,
        ResourceOwner: a.resourceOwner,
        Tags: tags ? [...tags].map(([Key, Value]) => ({ Key, Value })) : undefined,
      },
    };
  }
  throw e("InvalidIpamPoolAllocationId.NotFound", `The IPAM pool allocation (${id}) does not exist.`);
}

/** The allocations of every IPAM pool of this account and Region. */
export function DescribeIpamPoolAllocations(ctx: Ctx, input: Input) {
  const { f } = fam(ctx);
  dryRun(input);
  const rows: Array<{ a: AllocationRec & { tags?: Map<string, string> }; poolId: string; tags: Map<string, string> }> = [];
  for (const p of f.pools.values())
    for (const a of p.allocations.values()) rows.push({ a, poolId: p.id, tags: (a as { tags?: Map<string, string> }).tags ?? new Map() });
  const ids = list(input.IpamPoolAllocationIds);
  for (const id of ids)
    if (!rows.some((x) => x.a.id === id)) throw e("InvalidIpamPoolAllocationId.NotFound", `The IPAM pool allocation (${id}) does not exist.`);
  const r = select(
    ids.length ? rows.filter((x) => ids.includes(x.a.id)) : rows,
    input,
    {
      cidr: (x) => x.a.cidr,
      "ipam-pool-allocation-id": (x) => x.a.id,
      "ipam-pool-id": (x) => x.poolId,
      "resource-id": (x) => x.a.resourceId,
      "resource-type": (x) => x.a.resourceType,
      "resource-owner": (x) => x.a.resourceOwner,
      "resource-region": (x) => x.a.resourceRegion,
      description: (x) => x.a.description,
    },
    (x) => x.a.id,
    { paginate: true, min: 1000, max: 100000 },
  );
  return {
    IpamPoolAllocations: r.items.map(({ a }) => ({
      Cidr: a.cidr,
      IpamPoolAllocationId: a.id,
      Description: a.description,
      ResourceId: a.resourceId,
      ResourceType: a.resourceType,
      ResourceRegion: a.resourceRegion,
      ResourceOwner: a.resourceOwner,
      Tags: a.tags ? [...a.tags].map(([Key, Value]) => ({ Key, Value })) : undefined,
    })),
    NextToken: r.nextToken,
  };
}
