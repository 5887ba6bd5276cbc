/**
 * Public IPv4 pools (CreatePublicIpv4Pool, CIDRs provisioned from an IPAM pool of the public scope) and BYOIP
 * (ProvisionByoipCidr makes an IPv4 or IPv6 pool of the range; provisioned → advertised → provisioned by
 * Advertise/Withdraw; deprovisioned once no address of it is in use). The authorization message, when
 * given, must be `1|aws|<account>|<cidr>|<YYYYMMDD expiry>|SHA256|RSAPSS` for this account and range and
 * not expired; the signature cannot be checked against a real RDAP record and is only required. Elastic
 * IPs are allocated from a pool with AllocateAddress PublicIpv4Pool (AllocateAddress and DescribeAddresses
 * are wrapped around the EC2 handlers); an address belongs to the pool whose range holds it.
 */
import { ec2Id, hex as randomHex } from "../../core/ids.js";
import type { Ctx, Handler } from "../../core/types.js";
import { applyTagSpec, dropTags, dryRun, ipToString, list, parseCidr, required, select, tagList, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { AllocateIpamPoolCidr } from "../families/ipam.js";
import { fam } from "../families/state.js";
import { ipv6Contains, parseIpv6Cidr } from "../ipv6.js";
import type { Ec2State } from "../state.js";
import { addr, type AddrState, type ByoipCidrRec, type PublicPoolRec } from "./state.js";

const e = Ec2Errors.custom;
const poolNotFound = (id: string) => e("InvalidPublicIpv4PoolID.NotFound", `The public IPv4 pool ID '${id}' does not exist`);
const ipNum = (ip: string) => parseCidr(`${ip}/32`)?.base;

function rangeOf(cidr: string) {
  const c = parseCidr(cidr)!;
  return { first: c.base, last: c.base + 2 ** (32 - c.bits) - 1 };
}

/** Addresses of the account in use in a pool's ranges. */
function inUse(s: Ec2State, p: PublicPoolRec): number[] {
  const out: number[] = [];
  for (const a of s.addresses.values()) {
    const n = ipNum(a.publicIp);
    if (n !== undefined && [...p.ranges.values()].some((r) => n >= r.first && n <= r.last)) out.push(n);
  }
  return out;
}

export function poolOfAddress(a: AddrState, ip: string): PublicPoolRec | undefined {
  const n = ipNum(ip);
  if (n === undefined) return undefined;
  for (const p of a.publicPools.values()) for (const r of p.ranges.values()) if (n >= r.first && n <= r.last) return p;
  return undefined;
}

function rangeView(s: Ec2State, r: { first: number; last: number }) {
  const used = [...s.addresses.values()].filter((a) => {
    const n = ipNum(a.publicIp);
    return n !== undefined && n >= r.first && n <= r.last;
  }).length;
  const count = r.last - r.first + 1;
  return { firstAddress: ipToString(r.first), lastAddress: ipToString(r.last), addressCount: count, availableAddressCount: count - used };
}

function poolView(s: Ec2State, p: PublicPoolRec) {
  const ranges = [...p.ranges.values()].map((r) => rangeView(s, r));
  return {
    poolId: p.id,
    description: p.description,
    poolAddressRangeSet: ranges,
    totalAddressCount: ranges.reduce((n, r) => n + r.addressCount, 0),
    totalAvailableAddressCount: ranges.reduce((n, r) => n + r.availableAddressCount, 0),
    networkBorderGroup: p.networkBorderGroup,
    tagSet: tagList(p),
  };
}

function getPool(a: AddrState, id: string): PublicPoolRec {
  const p = a.publicPools.get(id);
  if (!p) throw poolNotFound(id);
  return p;
}

export function CreatePublicIpv4Pool(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  if (input.NetworkBorderGroup !== undefined && input.NetworkBorderGroup !== s.region)
    throw Ec2Errors.invalidValue(`The network border group ${input.NetworkBorderGroup} is not valid in ${s.region}.`);
  dryRun(input);
  const p: PublicPoolRec = { id: ec2Id("ipv4pool-ec2"), ranges: new Map(), networkBorderGroup: s.region, tags: new Map() };
  a.publicPools.set(p.id, p);
  applyTagSpec(s, input, "ipv4pool-ec2", p.id, p);
  return { poolId: p.id };
}

export function DeletePublicIpv4Pool(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const p = getPool(a, required(input, "PoolId"));
  if ([...a.byoipCidrs.values()].some((b) => b.poolId === p.id && b.state !== "deprovisioned"))
    throw e("IncorrectState", `The pool ${p.id} belongs to a BYOIP CIDR; deprovision the CIDR instead.`);
  if (p.ranges.size) throw e("IncorrectState", `The pool ${p.id} has provisioned CIDRs. Deprovision them first.`);
  dryRun(input);
  dropTags(s, p.id, p);
  a.publicPools.delete(p.id);
  return { returnValue: true };
}

export function ProvisionPublicIpv4PoolCidr(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const p = getPool(a, required(input, "PoolId"));
  const { f } = fam(ctx);
  const ipamPoolId = required(input, "IpamPoolId");
  const ip = f.pools.get(ipamPoolId);
  if (!ip) throw e("InvalidIpamPoolId.NotFound", `The ipam pool ID '${ipamPoolId}' does not exist`);
  if (f.scopes.get(ip.scopeId)?.type !== "public" || ip.addressFamily !== "ipv4")
    throw Ec2Errors.invalidValue(`The IPAM pool ${ip.id} must be an IPv4 pool in a public scope.`);
  if (ip.awsService !== undefined && ip.awsService !== "ec2") throw Ec2Errors.invalidValue(`The IPAM pool ${ip.id} must have the AWS service ec2.`);
  const bits = Number(input.NetmaskLength);
  if (bits < 24 || bits > 32) throw Ec2Errors.invalidValue(`Value (${bits}) for parameter NetmaskLength is invalid. Expecting a value between 24 and 32.`);
  dryRun(input);
  const out = AllocateIpamPoolCidr(ctx, { IpamPoolId: ip.id, NetmaskLength: bits, Description: `Public IPv4 pool ${p.id}` }) as {
    IpamPoolAllocation: { Cidr: string; IpamPoolAllocationId: string };
  };
  const alloc = ip.allocations.get(out.IpamPoolAllocation.IpamPoolAllocationId)!;
  Object.assign(alloc, { resourceType: "ec2-public-ipv4-pool", resourceId: p.id, resourceRegion: s.region });
  const r = { ...rangeOf(alloc.cidr), ipamPoolId: ip.id, allocationId: alloc.id };
  p.ranges.set(alloc.cidr, r);
  return { poolId: p.id, poolAddressRange: rangeView(s, r) };
}

export function DeprovisionPublicIpv4PoolCidr(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const p = getPool(a, required(input, "PoolId"));
  const cidr = required(input, "Cidr");
  const r = p.ranges.get(cidr);
  if (!r?.allocationId) throw Ec2Errors.invalidValue(`The CIDR ${cidr} is not provisioned to the pool ${p.id}.`);
  if (inUse(s, p).some((n) => n >= r.first && n <= r.last)) throw e("InvalidIPAddress.InUse", `Addresses of ${cidr} are allocated. Release them first.`);
  dryRun(input);
  const { f } = fam(ctx);
  f.pools.get(r.ipamPoolId!)?.allocations.delete(r.allocationId);
  p.ranges.delete(cidr);
  const addresses: string[] = [];
  for (let n = r.first; n <= r.last; n++) addresses.push(ipToString(n));
  return { poolId: p.id, deprovisionedAddressSet: addresses };
}

export function DescribePublicIpv4Pools(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const ids = list(input.PoolIds);
  for (const id of ids) getPool(a, id);
  const r = select(ids.length ? ids.map((id) => a.publicPools.get(id)!) : [...a.publicPools.values()], input, {}, (p) => p.id, {
    paginate: true,
    min: 1,
    max: 10,
  });
  return { publicIpv4PoolSet: r.items.map((p) => poolView(s, p)), nextToken: r.nextToken };
}

// ---------------------------------------------------------------- elastic IPs from a pool

/** AllocateAddress with PublicIpv4Pool (or Address) taken from one of this account's public IPv4 pools. */
export const allocateAddressWith =
  (base: Handler): Handler =>
  async (ctx, input: Input) => {
    const poolId = input.PublicIpv4Pool as string | undefined;
    if (!poolId || poolId === "amazon") return base(ctx, input);
    const { s, a } = addr(ctx);
    const p = getPool(a, poolId);
    const used = new Set(inUse(s, p));
    let ip: number | undefined;
    if (input.Address !== undefined) {
      ip = ipNum(String(input.Address));
      if (ip === undefined || ![...p.ranges.values()].some((r) => ip! >= r.first && ip! <= r.last))
        throw Ec2Errors.invalidValue(`The address ${input.Address} is not in the pool ${p.id}.`);
      if (used.has(ip)) throw e("InvalidAddress.InUse", `Address ${input.Address} is already allocated.`);
    } else
      for (const r of p.ranges.values()) {
        for (let n = r.first; n <= r.last && ip === undefined; n++) if (!used.has(n)) ip = n;
        if (ip !== undefined) break;
      }
    if (ip === undefined) throw e("InsufficientAddressCapacity", `The pool ${p.id} has no free addresses.`);
    const out = (await base(ctx, { ...input, PublicIpv4Pool: undefined, Address: undefined })) as Record<string, unknown> & { allocationId: string };
    const rec = s.addresses.get(out.allocationId)!;
    rec.publicIp = ipToString(ip);
    return { ...out, publicIp: rec.publicIp, publicIpv4Pool: p.id };
  };

/** DescribeAddresses naming the pool of addresses taken from this account's pools. */
export const describeAddressesWith =
  (base: Handler): Handler =>
  async (ctx, input: Input) => {
    const { a } = addr(ctx);
    const pools = list((input.Filters ?? []).find((x: { Name?: string }) => x?.Name === "public-ipv4-pool")?.Values);
    const rest = { ...input, Filters: (input.Filters ?? []).filter((x: { Name?: string }) => x?.Name !== "public-ipv4-pool") };
    const out = (await base(ctx, rest)) as { addressesSet: Array<Record<string, unknown>> };
    const rows = out.addressesSet.map((x) => ({ ...x, publicIpv4Pool: poolOfAddress(a, String(x.publicIp))?.id ?? "amazon" }));
    return { ...out, addressesSet: pools.length ? rows.filter((x) => pools.includes(x.publicIpv4Pool)) : rows };
  };

// ---------------------------------------------------------------- BYOIP

const PRIVATE_V4 = ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3"];

const byoipView = (b: ByoipCidrRec, a: AddrState) => ({
  cidr: b.cidr,
  description: b.description,
  asnAssociationSet: [...a.asnAssociations.values()].filter((x) => x.cidr === b.cidr).map((x) => ({ asn: x.asn, cidr: x.cidr, state: x.state })),
  statusMessage: b.statusMessage,
  state: b.state,
  networkBorderGroup: b.networkBorderGroup,
});

function getByoip(a: AddrState, cidr: string): ByoipCidrRec {
  const b = a.byoipCidrs.get(cidr);
  if (!b || b.state === "deprovisioned") throw e("InvalidByoipCidr.NotFound", `The BYOIP CIDR ${cidr} does not exist.`);
  return b;
}

const MAX_BYOIP_CIDRS = 5;

function checkAuthorization(s: Ec2State, cidr: string, ctxInput: { Message?: string; Signature?: string } | undefined, now: Date) {
  if (!ctxInput) return;
  const parts = String(ctxInput.Message ?? "").split("|");
  const bad = (why: string) => e("InvalidParameterValue", `The CIDR authorization context is invalid: ${why}`);
  if (parts.length !== 7 || parts[0] !== "1" || parts[1] !== "aws" || parts[5] !== "SHA256" || parts[6] !== "RSAPSS")
    throw bad("the message must be 1|aws|<account>|<cidr>|<YYYYMMDD>|SHA256|RSAPSS.");
  if (parts[2] !== s.accountId) throw bad(`the message is for account ${parts[2]}, not ${s.accountId}.`);
  if (parts[3] !== cidr) throw bad(`the message is for ${parts[3]}, not ${cidr}.`);
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(parts[4] ?? "");
  if (!m || new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59)) < now) throw bad("the message has expired.");
  if (!ctxInput.Signature) throw bad("the signature is missing.");
}

export function ProvisionByoipCidr(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const cidr = required(input, "Cidr");
  const v4 = parseCidr(cidr);
  const v6 = v4 ? undefined : parseIpv6Cidr(cidr);
  if (!v4 && !v6) throw Ec2Errors.invalidValue(`The CIDR ${cidr} is invalid.`);
  const advertisable = input.PubliclyAdvertisable !== false;
  if (v4) {
    if (ipToString(v4.base) !== cidr.split("/")[0]) throw Ec2Errors.invalidValue(`The CIDR ${cidr} is invalid.`);
    if (v4.bits > 24) throw Ec2Errors.invalidValue(`The CIDR ${cidr} is too specific: the most specific IPv4 prefix you can bring is /24.`);
    if (PRIVATE_V4.some((p) => cidrOverlapsV4(p, cidr))) throw Ec2Errors.invalidValue(`The CIDR ${cidr} is not a publicly routable range.`);
  } else if (v6!.bits > (advertisable ? 48 : 56))
    throw Ec2Errors.invalidValue(`The CIDR ${cidr} is too specific: the most specific IPv6 prefix is /${advertisable ? 48 : 56}.`);
  const existing = a.byoipCidrs.get(cidr);
  if (existing && existing.state !== "deprovisioned") throw Ec2Errors.invalidValue(`The CIDR ${cidr} is already provisioned.`);
  if (v4 && [...a.byoipCidrs.values()].some((b) => b.state !== "deprovisioned" && parseCidr(b.cidr) && cidrOverlapsV4(b.cidr, cidr)))
    throw Ec2Errors.invalidValue(`The CIDR ${cidr} overlaps a CIDR already provisioned.`);
  checkAuthorization(s, cidr, input.CidrAuthorizationContext, ctx.now());
  // EC2 User Guide (BYOIP quotas): five IPv4 and IPv6 ranges per Region; AWS's error as quoted in
  // awsdocs/amazon-ec2-user-guide#231.
  if ([...a.byoipCidrs.values()].filter((b) => b.state !== "deprovisioned").length >= MAX_BYOIP_CIDRS)
    throw e("ResourceLimitExceeded", "The number of BYOIP CIDRs for this account has reached the maximum allowed limit.");
  dryRun(input);
  let poolId: string;
  if (v4) {
    const p: PublicPoolRec = {
      id: ec2Id("ipv4pool-ec2"),
      description: input.Description,
      ranges: new Map([[cidr, rangeOf(cidr)]]),
      networkBorderGroup: s.region,
      tags: new Map(),
    };
    a.publicPools.set(p.id, p);
    applyTagSpec(s, { TagSpecifications: input.PoolTagSpecifications }, "ipv4pool-ec2", p.id, p);
    poolId = p.id;
  } else {
    const p = { id: ec2Id("ipv6pool-ec2"), description: input.Description, cidrs: [cidr], tags: new Map<string, string>() };
    a.ipv6Pools.set(p.id, p);
    applyTagSpec(s, { TagSpecifications: input.PoolTagSpecifications }, "ipv6pool-ec2", p.id, p);
    poolId = p.id;
  }
  const b: ByoipCidrRec = {
    cidr,
    description: input.Description,
    state: advertisable ? "provisioned" : "provisioned-not-publicly-advertisable",
    advertisable,
    poolId,
    networkBorderGroup: String(input.NetworkBorderGroup ?? s.region),
  };
  a.byoipCidrs.set(cidr, b);
  return { byoipCidr: { ...byoipView(b, a), state: "pending-provision" } };
}

function cidrOverlapsV4(x: string, y: string) {
  const a = parseCidr(x)!;
  const b = parseCidr(y)!;
  const endA = a.base + 2 ** (32 - a.bits);
  const endB = b.base + 2 ** (32 - b.bits);
  return a.base < endB && b.base < endA;
}

export function AdvertiseByoipCidr(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  const b = getByoip(a, required(input, "Cidr"));
  if (!b.advertisable) throw e("IncorrectState", `The CIDR ${b.cidr} was provisioned as not publicly advertisable.`);
  if (b.state !== "provisioned" && b.state !== "advertised") throw e("IncorrectState", `The CIDR ${b.cidr} is in the ${b.state} state.`);
  dryRun(input);
  if (input.Asn !== undefined && !a.asnAssociations.has(`${input.Asn} ${b.cidr}`))
    throw Ec2Errors.invalidValue(`The ASN ${input.Asn} is not associated with ${b.cidr}.`);
  b.state = "advertised";
  return { byoipCidr: { ...byoipView(b, a), state: "pending-advertising" } };
}

export function WithdrawByoipCidr(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  const b = getByoip(a, required(input, "Cidr"));
  if (b.state !== "advertised") throw e("IncorrectState", `The CIDR ${b.cidr} is not advertised.`);
  dryRun(input);
  b.state = "provisioned";
  return { byoipCidr: { ...byoipView(b, a), state: "pending-withdrawal" } };
}

export function DeprovisionByoipCidr(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const b = getByoip(a, required(input, "Cidr"));
  if (b.state === "advertised") throw e("IncorrectState", `The CIDR ${b.cidr} is advertised. Withdraw it first.`);
  const pool = a.publicPools.get(b.poolId);
  if (pool && inUse(s, pool).length) throw e("InvalidIPAddress.InUse", `Addresses of ${b.cidr} are allocated. Release them first.`);
  dryRun(input);
  b.state = "deprovisioned";
  for (const m of [a.publicPools, a.ipv6Pools] as Array<Map<string, { tags: Map<string, string> }>>) {
    const p = m.get(b.poolId);
    if (p) {
      dropTags(s, b.poolId, p);
      m.delete(b.poolId);
    }
  }
  return { byoipCidr: { ...byoipView(b, a), state: "pending-deprovision" } };
}

export function DescribeByoipCidrs(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  dryRun(input);
  const rows = [...a.byoipCidrs.values()].map((b) => ({ b, tags: new Map<string, string>() }));
  const r = select(rows, { MaxResults: input.MaxResults, NextToken: input.NextToken }, {}, (x) => x.b.cidr, { paginate: true, min: 1, max: 100 });
  return { byoipCidrSet: r.items.map((x) => byoipView(x.b, a)), nextToken: r.nextToken };
}

// ---------------------------------------------------------------- IPv6 pools

export function DescribeIpv6Pools(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  dryRun(input);
  const ids = list(input.PoolIds);
  for (const id of ids) if (!a.ipv6Pools.has(id)) throw e("InvalidIpv6PoolID.NotFound", `The IPv6 pool ID '${id}' does not exist`);
  const r = select(ids.length ? ids.map((id) => a.ipv6Pools.get(id)!) : [...a.ipv6Pools.values()], input, {}, (p) => p.id, {
    paginate: true,
    min: 1,
    max: 1000,
  });
  void s;
  return {
    ipv6PoolSet: r.items.map((p) => ({
      poolId: p.id,
      description: p.description,
      poolCidrBlockSet: p.cidrs.map((c) => ({ poolCidrBlock: c })),
      tagSet: tagList(p),
    })),
    nextToken: r.nextToken,
  };
}

/** VPC IPv6 blocks taken from a BYOIP pool: awsim's VPCs get Amazon-provided blocks only, so a pool has none yet. */
export function GetAssociatedIpv6PoolCidrs(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const id = required(input, "PoolId");
  const p = a.ipv6Pools.get(id);
  if (!p) throw e("InvalidIpv6PoolID.NotFound", `The IPv6 pool ID '${id}' does not exist`);
  dryRun(input);
  const rows: Array<{ cidr: string; vpcId: string; tags: Map<string, string> }> = [];
  for (const v of s.vpcs.values())
    for (const c of v.ipv6) if (p.cidrs.some((pc) => ipv6Contains(pc, c.cidr))) rows.push({ cidr: c.cidr, vpcId: v.id, tags: new Map() });
  const r = select(rows, { MaxResults: input.MaxResults, NextToken: input.NextToken }, {}, (x) => x.cidr, { paginate: true, min: 1, max: 1000 });
  return { ipv6CidrAssociationSet: r.items.map((x) => ({ ipv6Cidr: x.cidr, associatedResource: x.vpcId })), nextToken: r.nextToken };
}

/** Move a BYOIPv4 CIDR out of its public IPv4 pool into a top-level IPv4 pool of an IPAM public scope. */
export function MoveByoipCidrToIpam(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const { f } = fam(ctx);
  const b = getByoip(a, required(input, "Cidr"));
  if (!parseCidr(b.cidr)) throw Ec2Errors.invalidValue("You cannot move an IPv6 CIDR to IPAM.");
  const poolId = required(input, "IpamPoolId");
  const owner = required(input, "IpamPoolOwner");
  const ip = f.pools.get(poolId);
  if (!ip || owner !== s.accountId) throw e("InvalidIpamPoolId.NotFound", `The ipam pool ID '${poolId}' does not exist`);
  if (f.scopes.get(ip.scopeId)?.type !== "public" || ip.addressFamily !== "ipv4" || ip.sourcePoolId)
    throw Ec2Errors.invalidValue(`The IPAM pool ${ip.id} must be a top-level IPv4 pool of a public scope.`);
  for (const c of ip.cidrs.values())
    if (c.state === "provisioned" && parseCidr(c.cidr) && cidrOverlapsV4(c.cidr, b.cidr))
      throw Ec2Errors.invalidValue(`The CIDR ${b.cidr} overlaps with ${c.cidr} already provisioned to the pool.`);
  const pool = a.publicPools.get(b.poolId);
  if (pool && inUse(s, pool).length) throw e("InvalidIPAddress.InUse", `Addresses of ${b.cidr} are allocated. Release them first.`);
  dryRun(input);
  if (pool) {
    dropTags(s, pool.id, pool);
    a.publicPools.delete(pool.id);
  }
  b.poolId = "";
  ip.cidrs.set(b.cidr, { id: `ipam-pool-cidr-${randomHex(33)}`, cidr: b.cidr, state: "provisioned", netmaskLength: parseCidr(b.cidr)!.bits });
  return { byoipCidr: byoipView(b, a) };
}
