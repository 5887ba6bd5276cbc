/**
 * IPAM: IPAMs with their two default scopes and default resource discovery, custom scopes, pools (nested
 * through SourceIpamPoolId, with locales and allocation rules), CIDR provisioning (a child pool's CIDR is
 * carved from its source pool as an "ipam-pool" allocation), allocations that really carve CIDRs (lowest free
 * block of the asked size, AllowedCidrs/DisallowedCidrs, PreviewNextCidr), resource discoveries and their
 * associations. IPv4 and IPv6 alike. Transitions are instant (create-complete, provisioned).
 */
import type { Ctx } from "../../core/types.js";
import { ec2Id, hex } from "../../core/ids.js";
import { applyTagSpec, dropTags, dryRun, list, select, tagsOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import type { Ec2State } from "../state.js";
import {
  fam,
  type AllocationRec,
  type DiscoveryAssociationRec,
  type FamState,
  type IpamPoolRec,
  type IpamRec,
  type IpamScopeRec,
  type PoolCidrRec,
  type ResourceDiscoveryRec,
} from "./state.js";

const e = Ec2Errors.custom;
const notFound = (code: string, noun: string, id: string) => e(`${code}.NotFound`, `The ${noun} ID '${id}' does not exist`);
const ipamNotFound = (id: string) => notFound("InvalidIpamId", "ipam", id);
const scopeNotFound = (id: string) => notFound("InvalidIpamScopeId", "ipam scope", id);
const poolNotFound = (id: string) => notFound("InvalidIpamPoolId", "ipam pool", id);
const discoveryNotFound = (id: string) => notFound("InvalidIpamResourceDiscoveryId", "ipam resource discovery", id);
const assocNotFound = (id: string) => notFound("InvalidIpamResourceDiscoveryAssociationId", "ipam resource discovery association", id);
const incorrect = (msg: string) => e("IncorrectState", msg);

// ---------------------------------------------------------------- CIDR math (IPv4 and IPv6, BigInt)

interface Block {
  v6: boolean;
  base: bigint;
  bits: number;
}

function parseIp(ip: string): { v6: boolean; n: bigint } | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) {
    const o = v4.slice(1).map(Number);
    if (o.some((x) => x > 255)) return undefined;
    return { v6: false, n: o.reduce((a, x) => (a << 8n) | BigInt(x), 0n) };
  }
  if (!/^[0-9a-fA-F:]+$/.test(ip) || ip.split("::").length > 2) return undefined;
  const [head, tail] = ip.includes("::") ? ip.split("::") : [ip, undefined];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const missing = 8 - h.length - t.length;
  if ((tail === undefined && missing !== 0) || (tail !== undefined && missing < 1)) return undefined;
  const groups = [...h, ...Array(tail === undefined ? 0 : missing).fill("0"), ...t];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return { v6: true, n: groups.reduce((a, g) => (a << 16n) | BigInt(Number.parseInt(g, 16)), 0n) };
}

const width = (v6: boolean) => (v6 ? 128 : 32);

function parseBlock(c: string): Block | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(c ?? "");
  if (!m) return undefined;
  const ip = parseIp(m[1]!);
  const bits = Number(m[2]);
  if (!ip || bits > width(ip.v6)) return undefined;
  const host = (1n << BigInt(width(ip.v6) - bits)) - 1n;
  return { v6: ip.v6, base: ip.n & ~host, bits };
}

function fmt(b: Block): string {
  if (!b.v6) return `${[24n, 16n, 8n, 0n].map((s) => (b.base >> s) & 255n).join(".")}/${b.bits}`;
  const g = Array.from({ length: 8 }, (_, i) => Number((b.base >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1;
  let len = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > len && j - i > 1) [best, len] = [i, j - i];
    i = j;
  }
  const hexs = g.map((x) => x.toString(16));
  const s = best < 0 ? hexs.join(":") : `${hexs.slice(0, best).join(":")}::${hexs.slice(best + len).join(":")}`;
  return `${s}/${b.bits}`;
}

const size = (b: Block) => 1n << BigInt(width(b.v6) - b.bits);
const contains = (o: Block, i: Block) => o.v6 === i.v6 && i.bits >= o.bits && i.base >= o.base && i.base + size(i) <= o.base + size(o);
const overlaps = (a: Block, b: Block) => a.v6 === b.v6 && a.base < b.base + size(b) && b.base < a.base + size(a);

/** Lowest block of /bits inside one of `outer` that overlaps none of `used`. */
function firstFree(outer: Block[], used: Block[], bits: number): Block | undefined {
  const sorted = [...outer].sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  for (const o of sorted) {
    if (bits < o.bits) continue;
    const step = 1n << BigInt(width(o.v6) - bits);
    let cur = o.base;
    const end = o.base + size(o);
    while (cur + step <= end) {
      const cand: Block = { v6: o.v6, base: cur, bits };
      const hit = used.find((u) => overlaps(u, cand));
      if (!hit) return cand;
      // jump past the blocking range, aligned to the step
      const past = hit.base + size(hit);
      cur = past > cur ? ((past + step - 1n) / step) * step : cur + step;
    }
  }
  return undefined;
}

function block(c: unknown, name = "Cidr"): Block {
  const b = parseBlock(String(c));
  if (!b) throw Ec2Errors.invalidValue(`The ${name} '${c}' is invalid.`);
  return b;
}

// ---------------------------------------------------------------- views

const arn = (s: Ec2State, kind: string, id: string) => `arn:aws:ec2::${s.accountId}:${kind}/${id}`;

const ipamView = (s: Ec2State, f: FamState, i: IpamRec) => ({
  OwnerId: s.accountId,
  IpamId: i.id,
  IpamArn: i.arn,
  IpamRegion: s.region,
  PublicDefaultScopeId: i.publicScopeId,
  PrivateDefaultScopeId: i.privateScopeId,
  ScopeCount: [...f.scopes.values()].filter((x) => x.ipamId === i.id).length,
  Description: i.description,
  OperatingRegions: i.operatingRegions.map((RegionName) => ({ RegionName })),
  State: i.state,
  Tags: tagsOf(i),
  DefaultResourceDiscoveryId: i.defaultDiscoveryId,
  DefaultResourceDiscoveryAssociationId: i.defaultDiscoveryAssociationId,
  ResourceDiscoveryAssociationCount: [...f.discoveryAssociations.values()].filter((a) => a.ipamId === i.id).length,
  Tier: i.tier,
  EnablePrivateGua: i.enablePrivateGua,
  MeteredAccount: "ipam-owner",
});

const scopeView = (s: Ec2State, f: FamState, x: IpamScopeRec) => ({
  OwnerId: s.accountId,
  IpamScopeId: x.id,
  IpamScopeArn: x.arn,
  IpamArn: arn(s, "ipam", x.ipamId),
  IpamRegion: s.region,
  IpamScopeType: x.type,
  IsDefault: x.isDefault,
  Description: x.description,
  PoolCount: [...f.pools.values()].filter((p) => p.scopeId === x.id).length,
  State: x.state,
  Tags: tagsOf(x),
  ExternalAuthorityConfiguration: x.externalAuthority,
});

const externalAuthority = (v: Input | undefined) =>
  v ? { Type: v.Type as string | undefined, ExternalResourceIdentifier: v.ExternalResourceIdentifier as string | undefined } : undefined;

function depth(f: FamState, p: IpamPoolRec): number {
  let d = 1;
  for (let cur = p; cur.sourcePoolId && f.pools.get(cur.sourcePoolId); cur = f.pools.get(cur.sourcePoolId)!) d++;
  return d;
}

const poolView = (s: Ec2State, f: FamState, p: IpamPoolRec) => {
  const scope = f.scopes.get(p.scopeId);
  return {
    OwnerId: s.accountId,
    IpamPoolId: p.id,
    SourceIpamPoolId: p.sourcePoolId,
    IpamPoolArn: p.arn,
    IpamScopeArn: scope?.arn,
    IpamScopeType: scope?.type,
    IpamArn: arn(s, "ipam", p.ipamId),
    IpamRegion: s.region,
    Locale: p.locale ?? "None",
    PoolDepth: depth(f, p),
    State: p.state,
    Description: p.description,
    AutoImport: p.autoImport,
    PubliclyAdvertisable: p.publiclyAdvertisable,
    AddressFamily: p.addressFamily,
    AllocationMinNetmaskLength: p.minNetmask,
    AllocationMaxNetmaskLength: p.maxNetmask,
    AllocationDefaultNetmaskLength: p.defaultNetmask,
    AllocationResourceTags: p.allocationTags,
    Tags: tagsOf(p),
    AwsService: p.awsService,
    PublicIpSource: p.publicIpSource,
  };
};

const poolCidrView = (c: PoolCidrRec) => ({ Cidr: c.cidr, State: c.state, IpamPoolCidrId: c.id, NetmaskLength: c.netmaskLength });

const allocView = (a: AllocationRec & { tags?: Map<string, string> }) => ({
  Cidr: a.cidr,
  IpamPoolAllocationId: a.id,
  Description: a.description,
  ResourceId: a.resourceId,
  ResourceType: a.resourceType,
  ResourceRegion: a.resourceRegion,
  ResourceOwner: a.resourceOwner,
  Tags: a.tags ? tagsOf(a as { tags: Map<string, string> }) : undefined,
});

const discoveryView = (s: Ec2State, d: ResourceDiscoveryRec) => ({
  OwnerId: s.accountId,
  IpamResourceDiscoveryId: d.id,
  IpamResourceDiscoveryArn: d.arn,
  IpamResourceDiscoveryRegion: s.region,
  Description: d.description,
  OperatingRegions: d.operatingRegions.map((RegionName) => ({ RegionName })),
  IsDefault: d.isDefault,
  State: d.state,
  Tags: tagsOf(d),
});

const assocView = (s: Ec2State, a: DiscoveryAssociationRec) => ({
  OwnerId: s.accountId,
  IpamResourceDiscoveryAssociationId: a.id,
  IpamResourceDiscoveryAssociationArn: a.arn,
  IpamResourceDiscoveryId: a.discoveryId,
  IpamId: a.ipamId,
  IpamArn: arn(s, "ipam", a.ipamId),
  IpamRegion: s.region,
  IsDefault: a.isDefault,
  ResourceDiscoveryStatus: "active",
  State: a.state,
  Tags: tagsOf(a),
});

// ---------------------------------------------------------------- IPAMs

function regionsOf(s: Ec2State, input: Array<{ RegionName?: string }> | undefined): string[] {
  return [...new Set([s.region, ...(input ?? []).map((r) => String(r.RegionName))])];
}

function getIpam(f: FamState, id: string): IpamRec {
  const i = f.ipams.get(id);
  if (!i) throw ipamNotFound(id);
  return i;
}

export function CreateIpam(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  dryRun(input);
  const id = ec2Id("ipam");
  const mkScope = (type: string): IpamScopeRec => {
    const sid = ec2Id("ipam-scope");
    return { id: sid, arn: arn(s, "ipam-scope", sid), ipamId: id, type, isDefault: true, state: "create-complete", tags: new Map() };
  };
  const pub = mkScope("public");
  const priv = mkScope("private");
  const discoId = `ipam-res-disco-${hex(17)}`;
  const assocId = `ipam-res-disco-assoc-${hex(17)}`;
  const i: IpamRec = {
    id,
    arn: arn(s, "ipam", id),
    description: input.Description,
    operatingRegions: regionsOf(s, input.OperatingRegions),
    publicScopeId: pub.id,
    privateScopeId: priv.id,
    defaultDiscoveryId: discoId,
    defaultDiscoveryAssociationId: assocId,
    tier: input.Tier ?? "advanced",
    state: "create-complete",
    enablePrivateGua: input.EnablePrivateGua === true,
    tags: new Map(),
  };
  f.ipams.set(id, i);
  f.scopes.set(pub.id, pub);
  f.scopes.set(priv.id, priv);
  f.discoveries.set(discoId, {
    id: discoId,
    arn: arn(s, "ipam-resource-discovery", discoId),
    operatingRegions: [...i.operatingRegions],
    isDefault: true,
    state: "create-complete",
    tags: new Map(),
  });
  f.discoveryAssociations.set(assocId, {
    id: assocId,
    arn: arn(s, "ipam-resource-discovery-association", assocId),
    ipamId: id,
    discoveryId: discoId,
    isDefault: true,
    state: "associate-complete",
    tags: new Map(),
  });
  applyTagSpec(s, input, "ipam", id, i);
  return { Ipam: { ...ipamView(s, f, i), State: "create-in-progress" } };
}

export function DescribeIpams(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f } = fam(ctx);
  const ids = list(input.IpamIds);
  for (const id of ids) getIpam(f, id);
  const r = select(
    ids.length ? ids.map((id) => f.ipams.get(id)!) : [...f.ipams.values()],
    input,
    {
      "ipam-id": (i) => i.id,
      "ipam-arn": (i) => i.arn,
      "ipam-region": () => s.region,
      "owner-id": () => s.accountId,
      description: (i) => i.description,
      state: (i) => i.state,
      tier: (i) => i.tier,
      "operating-region": (i) => i.operatingRegions,
    },
    (i) => i.id,
    { paginate: true },
  );
  return { Ipams: r.items.map((i) => ipamView(s, f, i)), NextToken: r.nextToken };
}

export function ModifyIpam(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const i = getIpam(f, String(input.IpamId));
  const remove = (input.RemoveOperatingRegions ?? []).map((r: { RegionName?: string }) => String(r.RegionName));
  if (remove.includes(s.region)) throw Ec2Errors.invalidValue(`You cannot remove the IPAM's home Region ${s.region} from its operating Regions.`);
  dryRun(input);
  if (input.Description !== undefined) i.description = input.Description;
  if (input.Tier !== undefined) i.tier = input.Tier;
  if (input.EnablePrivateGua !== undefined) i.enablePrivateGua = input.EnablePrivateGua === true;
  i.operatingRegions = regionsOf(s, [...i.operatingRegions.map((RegionName) => ({ RegionName })), ...(input.AddOperatingRegions ?? [])]).filter(
    (r) => !remove.includes(r),
  );
  return { Ipam: ipamView(s, f, i) };
}

export function DeleteIpam(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const i = getIpam(f, String(input.IpamId));
  const pools = [...f.pools.values()].filter((p) => p.ipamId === i.id);
  const customScopes = [...f.scopes.values()].filter((x) => x.ipamId === i.id && !x.isDefault);
  if (input.Cascade !== true && (pools.length || customScopes.length))
    throw incorrect(`The IPAM ${i.id} has scopes or pools. Delete them first, or use Cascade.`);
  dryRun(input);
  const view = { ...ipamView(s, f, i), State: "delete-in-progress" };
  for (const p of pools) removePool(s, f, p);
  for (const [id, x] of f.scopes) if (x.ipamId === i.id) dropTags(s, id, x), f.scopes.delete(id);
  for (const [id, a] of f.discoveryAssociations)
    if (a.ipamId === i.id) {
      if (a.isDefault) f.discoveries.delete(a.discoveryId);
      dropTags(s, id, a);
      f.discoveryAssociations.delete(id);
    }
  dropTags(s, i.id, i);
  f.ipams.delete(i.id);
  return { Ipam: view };
}

// ---------------------------------------------------------------- scopes

function getScope(f: FamState, id: string): IpamScopeRec {
  const x = f.scopes.get(id);
  if (!x) throw scopeNotFound(id);
  return x;
}

export function CreateIpamScope(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const i = getIpam(f, String(input.IpamId));
  dryRun(input);
  const id = ec2Id("ipam-scope");
  const x: IpamScopeRec = {
    id,
    arn: arn(s, "ipam-scope", id),
    ipamId: i.id,
    type: "private",
    isDefault: false,
    description: input.Description,
    state: "create-complete",
    tags: new Map(),
    externalAuthority: externalAuthority(input.ExternalAuthorityConfiguration),
  };
  f.scopes.set(id, x);
  applyTagSpec(s, input, "ipam-scope", id, x);
  return { IpamScope: { ...scopeView(s, f, x), State: "create-in-progress" } };
}

export function DescribeIpamScopes(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f } = fam(ctx);
  const ids = list(input.IpamScopeIds);
  for (const id of ids) getScope(f, id);
  const r = select(
    ids.length ? ids.map((id) => f.scopes.get(id)!) : [...f.scopes.values()],
    input,
    {
      "ipam-scope-id": (x) => x.id,
      "ipam-scope-arn": (x) => x.arn,
      "ipam-arn": (x) => arn(s, "ipam", x.ipamId),
      "ipam-id": (x) => x.ipamId,
      "ipam-region": () => s.region,
      "ipam-scope-type": (x) => x.type,
      "is-default": (x) => x.isDefault,
      description: (x) => x.description,
      state: (x) => x.state,
      "owner-id": () => s.accountId,
    },
    (x) => x.id,
    { paginate: true },
  );
  return { IpamScopes: r.items.map((x) => scopeView(s, f, x)), NextToken: r.nextToken };
}

export function ModifyIpamScope(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const x = getScope(f, String(input.IpamScopeId));
  dryRun(input);
  if (input.Description !== undefined) x.description = input.Description;
  if (input.ExternalAuthorityConfiguration) x.externalAuthority = externalAuthority(input.ExternalAuthorityConfiguration);
  if (input.RemoveExternalAuthorityConfiguration === true) x.externalAuthority = undefined;
  return { IpamScope: scopeView(s, f, x) };
}

export function DeleteIpamScope(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const x = getScope(f, String(input.IpamScopeId));
  if (x.isDefault) throw Ec2Errors.invalidValue(`The default scope ${x.id} cannot be deleted.`);
  if ([...f.pools.values()].some((p) => p.scopeId === x.id)) throw incorrect(`The IPAM scope ${x.id} has pools. Delete them first.`);
  dryRun(input);
  const view = { ...scopeView(s, f, x), State: "delete-in-progress" };
  dropTags(s, x.id, x);
  f.scopes.delete(x.id);
  return { IpamScope: view };
}

// ---------------------------------------------------------------- pools

function getPool(f: FamState, id: string): IpamPoolRec {
  const p = f.pools.get(id);
  if (!p) throw poolNotFound(id);
  return p;
}

const reqTags = (t: Array<{ Key?: string; Value?: string }> | undefined) => (t ?? []).map((x) => ({ Key: String(x.Key ?? ""), Value: String(x.Value ?? "") }));

function checkNetmasks(p: { addressFamily: string; minNetmask?: number; maxNetmask?: number; defaultNetmask?: number }) {
  const w = p.addressFamily === "ipv6" ? 128 : 32;
  for (const [n, v] of [
    ["AllocationMinNetmaskLength", p.minNetmask],
    ["AllocationMaxNetmaskLength", p.maxNetmask],
    ["AllocationDefaultNetmaskLength", p.defaultNetmask],
  ] as const)
    if (v !== undefined && (v < 0 || v > w)) throw Ec2Errors.invalidValue(`${n} must be between 0 and ${w}.`);
  if (p.minNetmask !== undefined && p.maxNetmask !== undefined && p.minNetmask > p.maxNetmask)
    throw Ec2Errors.invalidValue("AllocationMinNetmaskLength must be less than or equal to AllocationMaxNetmaskLength.");
  if (
    p.defaultNetmask !== undefined &&
    ((p.minNetmask !== undefined && p.defaultNetmask < p.minNetmask) || (p.maxNetmask !== undefined && p.defaultNetmask > p.maxNetmask))
  )
    throw Ec2Errors.invalidValue("AllocationDefaultNetmaskLength must be between AllocationMinNetmaskLength and AllocationMaxNetmaskLength.");
}

export function CreateIpamPool(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const scope = getScope(f, String(input.IpamScopeId));
  const ipam = getIpam(f, scope.ipamId);
  const family = String(input.AddressFamily);
  let source: IpamPoolRec | undefined;
  if (input.SourceIpamPoolId) {
    source = getPool(f, String(input.SourceIpamPoolId));
    if (source.scopeId !== scope.id) throw Ec2Errors.invalidValue(`The source pool ${source.id} must be in the same scope as the pool.`);
    if (source.addressFamily !== family) throw Ec2Errors.invalidValue(`The source pool ${source.id} has a different address family.`);
    if (source.locale && input.Locale && input.Locale !== source.locale)
      throw Ec2Errors.invalidValue(`The locale ${input.Locale} must match the locale of the source pool (${source.locale}).`);
  }
  if (input.Locale && !ipam.operatingRegions.includes(String(input.Locale)))
    throw Ec2Errors.invalidValue(`The locale ${input.Locale} is not one of the IPAM's operating Regions.`);
  if (input.PubliclyAdvertisable !== undefined && !(family === "ipv6" && scope.type === "public" && input.PublicIpSource !== "amazon"))
    throw Ec2Errors.invalidCombination("The request can only contain PubliclyAdvertisable if the AddressFamily is IPv6 and PublicIpSource is byoip.");
  const p: IpamPoolRec = {
    id: ec2Id("ipam-pool"),
    arn: "",
    ipamId: ipam.id,
    scopeId: scope.id,
    sourcePoolId: source?.id,
    locale: input.Locale ?? source?.locale,
    addressFamily: family,
    description: input.Description,
    autoImport: input.AutoImport === true,
    publiclyAdvertisable: family === "ipv6" && scope.type === "public" ? input.PubliclyAdvertisable !== false : undefined,
    minNetmask: input.AllocationMinNetmaskLength ?? 0,
    maxNetmask: input.AllocationMaxNetmaskLength ?? (family === "ipv6" ? 128 : 32),
    defaultNetmask: input.AllocationDefaultNetmaskLength,
    allocationTags: reqTags(input.AllocationResourceTags),
    awsService: input.AwsService,
    publicIpSource: scope.type === "public" ? (input.PublicIpSource ?? "byoip") : undefined,
    state: "create-complete",
    cidrs: new Map(),
    allocations: new Map(),
    tags: new Map(),
  };
  checkNetmasks(p);
  dryRun(input);
  p.arn = arn(s, "ipam-pool", p.id);
  f.pools.set(p.id, p);
  applyTagSpec(s, input, "ipam-pool", p.id, p);
  return { IpamPool: { ...poolView(s, f, p), State: "create-in-progress" } };
}

export function DescribeIpamPools(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f } = fam(ctx);
  const ids = list(input.IpamPoolIds);
  for (const id of ids) getPool(f, id);
  const r = select(
    ids.length ? ids.map((id) => f.pools.get(id)!) : [...f.pools.values()],
    input,
    {
      "ipam-pool-id": (p) => p.id,
      "ipam-pool-arn": (p) => p.arn,
      "ipam-scope-id": (p) => p.scopeId,
      "ipam-scope-arn": (p) => f.scopes.get(p.scopeId)?.arn,
      "ipam-scope-type": (p) => f.scopes.get(p.scopeId)?.type,
      "ipam-arn": (p) => arn(s, "ipam", p.ipamId),
      "ipam-id": (p) => p.ipamId,
      "source-ipam-pool-id": (p) => p.sourcePoolId,
      description: (p) => p.description,
      locale: (p) => p.locale ?? "None",
      "address-family": (p) => p.addressFamily,
      state: (p) => p.state,
      "auto-import": (p) => p.autoImport,
      "publicly-advertisable": (p) => p.publiclyAdvertisable,
      "pool-depth": (p) => depth(f, p),
      "owner-id": () => s.accountId,
      "allocation-resource-tag-key": (p) => p.allocationTags.map((t) => t.Key),
      "aws-service": (p) => p.awsService,
    },
    (p) => p.id,
    { paginate: true },
  );
  return { IpamPools: r.items.map((p) => poolView(s, f, p)), NextToken: r.nextToken };
}

export function ModifyIpamPool(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const p = getPool(f, String(input.IpamPoolId));
  if (input.ClearAllocationDefaultNetmaskLength === true && input.AllocationDefaultNetmaskLength !== undefined)
    throw Ec2Errors.invalidCombination("AllocationDefaultNetmaskLength and ClearAllocationDefaultNetmaskLength cannot be specified together.");
  const next = {
    addressFamily: p.addressFamily,
    minNetmask: input.AllocationMinNetmaskLength ?? p.minNetmask,
    maxNetmask: input.AllocationMaxNetmaskLength ?? p.maxNetmask,
    defaultNetmask: input.ClearAllocationDefaultNetmaskLength === true ? undefined : (input.AllocationDefaultNetmaskLength ?? p.defaultNetmask),
  };
  checkNetmasks(next);
  const keys = [
    "Description",
    "AutoImport",
    "AllocationMinNetmaskLength",
    "AllocationMaxNetmaskLength",
    "AllocationDefaultNetmaskLength",
    "ClearAllocationDefaultNetmaskLength",
  ];
  if (!keys.some((k) => input[k] !== undefined) && !input.AddAllocationResourceTags?.length && !input.RemoveAllocationResourceTags?.length)
    throw Ec2Errors.invalidCombination("The request must contain a modification to the ipam pool");
  dryRun(input);
  if (input.Description !== undefined) p.description = input.Description;
  if (input.AutoImport !== undefined) p.autoImport = input.AutoImport === true;
  Object.assign(p, { minNetmask: next.minNetmask, maxNetmask: next.maxNetmask, defaultNetmask: next.defaultNetmask });
  const rm = reqTags(input.RemoveAllocationResourceTags);
  p.allocationTags = p.allocationTags.filter((t) => !rm.some((r) => r.Key === t.Key && r.Value === t.Value));
  for (const t of reqTags(input.AddAllocationResourceTags)) if (!p.allocationTags.some((x) => x.Key === t.Key && x.Value === t.Value)) p.allocationTags.push(t);
  return { IpamPool: poolView(s, f, p) };
}

/** Blocks in use in a pool: allocations (CIDRs of child pools included). */
const usedBlocks = (p: IpamPoolRec) => [...p.allocations.values()].map((a) => parseBlock(a.cidr)!);
const provisioned = (p: IpamPoolRec) => [...p.cidrs.values()].filter((c) => c.state === "provisioned").map((c) => parseBlock(c.cidr)!);

function removePool(s: Ec2State, f: FamState, p: IpamPoolRec) {
  if (p.sourcePoolId) {
    const src = f.pools.get(p.sourcePoolId);
    if (src) for (const [id, a] of src.allocations) if (a.resourceId === p.id) src.allocations.delete(id);
  }
  dropTags(s, p.id, p);
  f.pools.delete(p.id);
}

export function DeleteIpamPool(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const p = getPool(f, String(input.IpamPoolId));
  const children = [...f.pools.values()].filter((c) => c.sourcePoolId === p.id);
  if (children.length) throw incorrect(`The IPAM pool ${p.id} has child pools (${children.map((c) => c.id).join(", ")}). Delete them first.`);
  if (input.Cascade !== true) {
    if ([...p.allocations.values()].length) throw incorrect(`The IPAM pool ${p.id} has allocations. Release them first, or use Cascade.`);
    if ([...p.cidrs.values()].some((c) => c.state === "provisioned"))
      throw incorrect(`The IPAM pool ${p.id} has provisioned CIDRs. Deprovision them first, or use Cascade.`);
  }
  dryRun(input);
  const view = { ...poolView(s, f, p), State: "delete-in-progress" };
  removePool(s, f, p);
  return { IpamPool: view };
}

// ---------------------------------------------------------------- CIDRs

export function ProvisionIpamPoolCidr(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const p = getPool(f, String(input.IpamPoolId));
  const scope = f.scopes.get(p.scopeId)!;
  const v6 = p.addressFamily === "ipv6";
  if (input.Cidr === undefined && input.NetmaskLength === undefined) throw Ec2Errors.missing("Cidr or NetmaskLength");
  if (input.Cidr !== undefined && input.NetmaskLength !== undefined)
    throw Ec2Errors.invalidCombination("The request can contain either Cidr or NetmaskLength, not both.");
  const source = p.sourcePoolId ? f.pools.get(p.sourcePoolId) : undefined;
  let b: Block | undefined;
  if (input.Cidr !== undefined) {
    b = block(input.Cidr);
    if (b.v6 !== v6) throw Ec2Errors.invalidValue(`The CIDR ${input.Cidr} does not match the pool's address family (${p.addressFamily}).`);
  } else {
    if (!source) throw Ec2Errors.invalidCombination("NetmaskLength can only be used for pools with a source pool.");
    const n = Number(input.NetmaskLength);
    if (n < 0 || n > width(v6)) throw Ec2Errors.invalidValue(`NetmaskLength must be between 0 and ${width(v6)}.`);
    b = firstFree(provisioned(source), usedBlocks(source), n);
    if (!b) throw e("InsufficientCidrBlocks", `The source pool ${source.id} does not have enough free space for a /${n}.`);
  }
  if (scope.type === "public" && !source && p.publicIpSource !== "amazon" && !input.CidrAuthorizationContext)
    throw Ec2Errors.invalidCombination("The request must contain a CIDR Authorization Context");
  for (const c of p.cidrs.values())
    if (c.state === "provisioned" && overlaps(parseBlock(c.cidr)!, b))
      throw Ec2Errors.invalidValue(`The CIDR ${fmt(b)} overlaps with ${c.cidr} already provisioned to the pool.`);
  if (source) {
    if (!provisioned(source).some((o) => contains(o, b!)))
      throw Ec2Errors.invalidValue(`The CIDR ${fmt(b)} is not within a CIDR provisioned to the source pool ${source.id}.`);
    if (usedBlocks(source).some((u) => overlaps(u, b!)))
      throw Ec2Errors.invalidValue(`The CIDR ${fmt(b)} overlaps with an allocation in the source pool ${source.id}.`);
  }
  dryRun(input);
  const cidr = fmt(b);
  const rec: PoolCidrRec = { id: `ipam-pool-cidr-${hex(33)}`, cidr, state: "provisioned", netmaskLength: b.bits };
  p.cidrs.set(cidr, rec);
  if (source) {
    const id = `ipam-pool-alloc-${hex(33)}`;
    source.allocations.set(id, { id, cidr, resourceType: "ipam-pool", resourceId: p.id, resourceOwner: s.accountId, resourceRegion: p.locale ?? s.region });
  }
  return { IpamPoolCidr: { ...poolCidrView(rec), State: "pending-provision" } };
}

export function DeprovisionIpamPoolCidr(ctx: Ctx, input: Input) {
  const { f } = fam(ctx);
  const p = getPool(f, String(input.IpamPoolId));
  if (input.Cidr === undefined) throw Ec2Errors.missing("Cidr");
  const b = block(input.Cidr);
  const rec = p.cidrs.get(fmt(b));
  if (rec?.state !== "provisioned") throw e("InvalidIpamPoolCidr.NotFound", `The CIDR ${input.Cidr} is not provisioned to the pool ${p.id}.`);
  if (usedBlocks(p).some((u) => overlaps(u, b))) throw incorrect(`The CIDR ${rec.cidr} has allocations. Release them before deprovisioning.`);
  dryRun(input);
  p.cidrs.delete(rec.cidr);
  if (p.sourcePoolId) {
    const src = f.pools.get(p.sourcePoolId);
    if (src) for (const [id, a] of src.allocations) if (a.resourceId === p.id && a.cidr === rec.cidr) src.allocations.delete(id);
  }
  return { IpamPoolCidr: { ...poolCidrView(rec), State: "pending-deprovision" } };
}

export function GetIpamPoolCidrs(ctx: Ctx, input: Input) {
  dryRun(input);
  const { f } = fam(ctx);
  const p = getPool(f, String(input.IpamPoolId));
  const rows = [...p.cidrs.values()].map((c) => ({ ...c, tags: new Map<string, string>() }));
  const r = select(rows, input, { cidr: (c) => c.cidr, state: (c) => c.state, "netmask-length": (c) => c.netmaskLength }, (c) => c.id, { paginate: true });
  return { IpamPoolCidrs: r.items.map(poolCidrView), NextToken: r.nextToken };
}

export function AllocateIpamPoolCidr(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const p = getPool(f, String(input.IpamPoolId));
  const v6 = p.addressFamily === "ipv6";
  if (input.Cidr !== undefined && input.NetmaskLength !== undefined)
    throw Ec2Errors.invalidCombination("The request can contain either Cidr or NetmaskLength, not both.");
  const pro = provisioned(p);
  const used = usedBlocks(p);
  let b: Block | undefined;
  if (input.Cidr !== undefined) {
    b = block(input.Cidr);
    if (b.v6 !== v6) throw Ec2Errors.invalidValue(`The CIDR ${input.Cidr} does not match the pool's address family (${p.addressFamily}).`);
  }
  const bits = b?.bits ?? (input.NetmaskLength !== undefined ? Number(input.NetmaskLength) : p.defaultNetmask);
  if (bits === undefined) throw Ec2Errors.missing("Cidr or NetmaskLength");
  if ((p.minNetmask !== undefined && bits < p.minNetmask) || (p.maxNetmask !== undefined && bits > p.maxNetmask))
    throw Ec2Errors.invalidValue(`The netmask length /${bits} is outside the pool's allowed range (/${p.minNetmask} to /${p.maxNetmask}).`);
  if (b) {
    if (!pro.some((o) => contains(o, b!))) throw Ec2Errors.invalidValue(`The CIDR ${fmt(b)} is not within a CIDR provisioned to the pool ${p.id}.`);
    if (used.some((u) => overlaps(u, b!))) throw e("InvalidParameterValue", `The CIDR ${fmt(b)} overlaps with an existing allocation in the pool ${p.id}.`);
  } else {
    const allowed = list(input.AllowedCidrs).map((c) => block(c, "AllowedCidr"));
    const disallowed = list(input.DisallowedCidrs).map((c) => block(c, "DisallowedCidr"));
    const outer = allowed.length ? pro.flatMap((o) => allowed.filter((a) => overlaps(a, o)).map((a) => (contains(o, a) ? a : o))) : pro;
    b = firstFree(outer, [...used, ...disallowed], bits);
    if (!b) throw e("InsufficientCidrBlocks", `The pool ${p.id} does not have enough free space for a /${bits}.`);
  }
  const cidr = fmt(b);
  if (input.PreviewNextCidr === true) {
    dryRun(input);
    return { IpamPoolAllocation: { Cidr: cidr, ResourceType: "custom", ResourceOwner: s.accountId } };
  }
  dryRun(input);
  const id = `ipam-pool-alloc-${hex(33)}`;
  const a = { id, cidr, description: input.Description, resourceType: "custom", resourceOwner: s.accountId, tags: new Map<string, string>() };
  p.allocations.set(id, a);
  applyTagSpec(s, input, "ipam-pool-allocation", id, a);
  return { IpamPoolAllocation: allocView(a) };
}

export function ReleaseIpamPoolAllocation(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const p = getPool(f, String(input.IpamPoolId));
  const a = p.allocations.get(String(input.IpamPoolAllocationId));
  if (!a) throw e("InvalidIpamPoolAllocationId.NotFound", `The IPAM pool allocation (${input.IpamPoolAllocationId}) does not exist.`);
  const given = parseBlock(String(input.Cidr));
  if (!given || fmt(given) !== a.cidr) throw Ec2Errors.invalidValue(`The CIDR ${input.Cidr} does not match the allocation ${a.id} (${a.cidr}).`);
  if (a.resourceType !== "custom") throw Ec2Errors.invalidValue(`The allocation ${a.id} is for a ${a.resourceType} and cannot be released directly.`);
  dryRun(input);
  const t = a as AllocationRec & { tags?: Map<string, string> };
  if (t.tags) dropTags(s, a.id, t as { tags: Map<string, string> });
  p.allocations.delete(a.id);
  return { Success: true };
}

export function GetIpamPoolAllocations(ctx: Ctx, input: Input) {
  dryRun(input);
  const { f } = fam(ctx);
  const p = getPool(f, String(input.IpamPoolId));
  let rows = [...p.allocations.values()].map((a) => ({ a, tags: (a as { tags?: Map<string, string> }).tags ?? new Map<string, string>() }));
  if (input.IpamPoolAllocationId) {
    rows = rows.filter((x) => x.a.id === input.IpamPoolAllocationId);
    if (!rows.length) throw e("InvalidIpamPoolAllocationId.NotFound", `The IPAM pool allocation (${input.IpamPoolAllocationId}) does not exist.`);
  }
  const r = select(
    rows,
    input,
    {
      cidr: (x) => x.a.cidr,
      "ipam-pool-allocation-id": (x) => x.a.id,
      "resource-id": (x) => x.a.resourceId,
      "resource-type": (x) => x.a.resourceType,
      "resource-owner": (x) => x.a.resourceOwner,
      description: (x) => x.a.description,
    },
    (x) => x.a.id,
    { paginate: true, min: 1000, max: 100000 },
  );
  return { IpamPoolAllocations: r.items.map((x) => allocView(x.a)), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- resource discoveries

function getDiscovery(f: FamState, id: string): ResourceDiscoveryRec {
  const d = f.discoveries.get(id);
  if (!d) throw discoveryNotFound(id);
  return d;
}

export function CreateIpamResourceDiscovery(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  dryRun(input);
  const id = `ipam-res-disco-${hex(17)}`;
  const d: ResourceDiscoveryRec = {
    id,
    arn: arn(s, "ipam-resource-discovery", id),
    description: input.Description,
    operatingRegions: regionsOf(s, input.OperatingRegions),
    isDefault: false,
    state: "create-complete",
    tags: new Map(),
  };
  f.discoveries.set(id, d);
  applyTagSpec(s, input, "ipam-resource-discovery", id, d);
  return { IpamResourceDiscovery: { ...discoveryView(s, d), State: "create-in-progress" } };
}

export function DescribeIpamResourceDiscoveries(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f } = fam(ctx);
  const ids = list(input.IpamResourceDiscoveryIds);
  for (const id of ids) getDiscovery(f, id);
  const r = select(
    ids.length ? ids.map((id) => f.discoveries.get(id)!) : [...f.discoveries.values()],
    input,
    {
      "ipam-resource-discovery-id": (d) => d.id,
      "ipam-resource-discovery-region": () => s.region,
      "is-default": (d) => d.isDefault,
      "owner-id": () => s.accountId,
      "operating-region": (d) => d.operatingRegions,
      state: (d) => d.state,
      description: (d) => d.description,
    },
    (d) => d.id,
    { paginate: true },
  );
  return { IpamResourceDiscoveries: r.items.map((d) => discoveryView(s, d)), NextToken: r.nextToken };
}

export function ModifyIpamResourceDiscovery(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const d = getDiscovery(f, String(input.IpamResourceDiscoveryId));
  const remove = (input.RemoveOperatingRegions ?? []).map((r: { RegionName?: string }) => String(r.RegionName));
  if (remove.includes(s.region)) throw Ec2Errors.invalidValue(`You cannot remove the resource discovery's home Region ${s.region} from its operating Regions.`);
  dryRun(input);
  if (input.Description !== undefined) d.description = input.Description;
  d.operatingRegions = regionsOf(s, [...d.operatingRegions.map((RegionName) => ({ RegionName })), ...(input.AddOperatingRegions ?? [])]).filter(
    (r) => !remove.includes(r),
  );
  return { IpamResourceDiscovery: discoveryView(s, d) };
}

export function DeleteIpamResourceDiscovery(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const d = getDiscovery(f, String(input.IpamResourceDiscoveryId));
  if (d.isDefault) throw Ec2Errors.invalidValue(`The default resource discovery ${d.id} is deleted with its IPAM.`);
  if ([...f.discoveryAssociations.values()].some((a) => a.discoveryId === d.id))
    throw incorrect(`The resource discovery ${d.id} is associated with an IPAM. Disassociate it first.`);
  dryRun(input);
  dropTags(s, d.id, d);
  f.discoveries.delete(d.id);
  return { IpamResourceDiscovery: { ...discoveryView(s, d), State: "delete-in-progress" } };
}

export function AssociateIpamResourceDiscovery(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const i = getIpam(f, String(input.IpamId));
  const d = getDiscovery(f, String(input.IpamResourceDiscoveryId));
  if ([...f.discoveryAssociations.values()].some((a) => a.ipamId === i.id && a.discoveryId === d.id))
    throw e("InvalidParameterValue", `The resource discovery ${d.id} is already associated with ${i.id}.`);
  dryRun(input);
  const id = `ipam-res-disco-assoc-${hex(17)}`;
  const a: DiscoveryAssociationRec = {
    id,
    arn: arn(s, "ipam-resource-discovery-association", id),
    ipamId: i.id,
    discoveryId: d.id,
    isDefault: false,
    state: "associate-complete",
    tags: new Map(),
  };
  f.discoveryAssociations.set(id, a);
  applyTagSpec(s, input, "ipam-resource-discovery-association", id, a);
  return { IpamResourceDiscoveryAssociation: { ...assocView(s, a), State: "associate-in-progress" } };
}

export function DisassociateIpamResourceDiscovery(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const id = String(input.IpamResourceDiscoveryAssociationId);
  const a = f.discoveryAssociations.get(id);
  if (!a) throw assocNotFound(id);
  if (a.isDefault) throw Ec2Errors.invalidValue(`The default resource discovery association ${a.id} cannot be disassociated.`);
  dryRun(input);
  dropTags(s, id, a);
  f.discoveryAssociations.delete(id);
  return { IpamResourceDiscoveryAssociation: { ...assocView(s, a), State: "disassociate-in-progress" } };
}

export function DescribeIpamResourceDiscoveryAssociations(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f } = fam(ctx);
  const ids = list(input.IpamResourceDiscoveryAssociationIds);
  for (const id of ids) if (!f.discoveryAssociations.has(id)) throw assocNotFound(id);
  const r = select(
    ids.length ? ids.map((id) => f.discoveryAssociations.get(id)!) : [...f.discoveryAssociations.values()],
    input,
    {
      "ipam-resource-discovery-association-id": (a) => a.id,
      "ipam-resource-discovery-id": (a) => a.discoveryId,
      "ipam-id": (a) => a.ipamId,
      "ipam-arn": (a) => arn(s, "ipam", a.ipamId),
      "is-default": (a) => a.isDefault,
      "owner-id": () => s.accountId,
      state: (a) => a.state,
      "resource-discovery-status": () => "active",
    },
    (a) => a.id,
    { paginate: true },
  );
  return { IpamResourceDiscoveryAssociations: r.items.map((a) => assocView(s, a)), NextToken: r.nextToken };
}
