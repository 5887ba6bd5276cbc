/** VPCs, subnets, internet gateways, route tables and routes, NAT gateways, elastic IPs, network interfaces. */
import type { Ctx } from "../core/types.js";
import { eniDnsOptionsView } from "./compute/state.js";
import { ec2Id } from "../core/ids.js";
import {
  applyTagSpec,
  bool,
  cidrContains,
  cidrOverlap,
  dropTags,
  dryRun,
  ipToString,
  list,
  macAddress,
  parseCidr,
  privateDnsName,
  publicDnsName,
  randomPublicIp,
  required,
  select,
  st,
  tagList,
  zoneIdOf,
  zonesOf,
  type Input,
  onlyTagTypes,
} from "./common.js";
import { Ec2Errors } from "./errors.js";
import { addIpv6, addIpv6Prefixes, amazonIpv6Block, ipv6Address, setSubnetIpv6, subnetIpv6View, vpcCidrView, vpcIpv6View } from "./ipv6.js";
import { awsInstanceTypes } from "./misc.js";
import { addIpv6NaclEntries, associateDefaultNacl, defaultDhcp, dropSubnetFromNacls, dropVpcNacls, newNacl } from "./nacls.js";
import { createSecurityGroup, defaultRules } from "./security-groups.js";
import type { AddressRec, Ec2State, EniRec, IgwRec, NatRec, RouteRec, RtbRec, SubnetRec, VpcRec } from "./state.js";

// ---------------------------------------------------------------- builders (also used for the default VPC)

export function newVpc(s: Ec2State, cidr: string, isDefault: boolean): VpcRec {
  const v: VpcRec = {
    id: ec2Id("vpc"),
    cidr,
    isDefault,
    dhcpOptionsId: defaultDhcp(s).id,
    instanceTenancy: "default",
    enableDnsSupport: true,
    enableDnsHostnames: isDefault,
    cidrAssociationId: ec2Id("vpc-cidr-assoc"),
    secondaryCidrs: [],
    ipv6: [],
    enableNau: false,
    tags: new Map(),
  };
  s.vpcs.set(v.id, v);
  const rtb: RtbRec = {
    id: ec2Id("rtb"),
    vpcId: v.id,
    main: true,
    mainAssociationId: ec2Id("rtbassoc"),
    routes: [{ destinationCidrBlock: cidr, gatewayId: "local", origin: "CreateRouteTable", state: "active" }],
    associations: new Map(),
    tags: new Map(),
  };
  s.rtbs.set(rtb.id, rtb);
  newNacl(s, v.id, true);
  const sg = createSecurityGroup(s, "default", "default VPC security group", v.id);
  sg.ingress = defaultRules(sg.id).ingress;
  return v;
}

export function newSubnet(s: Ec2State, vpcId: string, cidr: string, az: string, defaultForAz: boolean): SubnetRec {
  const sub: SubnetRec = {
    id: ec2Id("subnet"),
    vpcId,
    cidr,
    az,
    defaultForAz,
    mapPublicIpOnLaunch: defaultForAz,
    assignIpv6: false,
    used: new Set(),
    tags: new Map(),
  };
  s.subnets.set(sub.id, sub);
  associateDefaultNacl(s, vpcId, sub.id);
  return sub;
}

export function createEc2State(accountId: string, region: string): Ec2State {
  const s: Ec2State = {
    accountId,
    region,
    seq: 0,
    instances: new Map(),
    vpcs: new Map(),
    subnets: new Map(),
    sgs: new Map(),
    igws: new Map(),
    addresses: new Map(),
    nats: new Map(),
    rtbs: new Map(),
    enis: new Map(),
    images: new Map(),
    keyPairs: new Map(),
    volumes: new Map(),
    launchTemplates: new Map(),
    placementGroups: new Map(),
    nacls: new Map(),
    dhcpOptions: new Map(),
    eigws: new Map(),
    peerings: new Map(),
    vpces: new Map(),
    prefixLists: new Map(),
    flowLogs: new Map(),
    cagws: new Map(),
    tgws: new Map(),
    vgws: new Map(),
    snapshots: new Map(),
    ebsEncryptionByDefault: false,
    tagIndex: new Map(),
    defaultVpcId: "",
  };
  defaultVpc(s);
  return s;
}

/** The default VPC: 172.31.0.0/16, a default /20 subnet per zone, an attached internet gateway and a default route. */
function defaultVpc(s: Ec2State): VpcRec {
  const vpc = newVpc(s, "172.31.0.0/16", true);
  s.defaultVpcId = vpc.id;
  zonesOf(s.region).forEach((z, i) => newSubnet(s, vpc.id, `172.31.${i * 16}.0/20`, z.name, true));
  const igw: IgwRec = { id: ec2Id("igw"), vpcId: vpc.id, tags: new Map() };
  s.igws.set(igw.id, igw);
  const main = [...s.rtbs.values()].find((r) => r.vpcId === vpc.id)!;
  main.routes.push({ destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id, origin: "CreateRoute", state: "active" });
  return vpc;
}

export function CreateDefaultVpc(ctx: Ctx, input: Input) {
  const s = st(ctx);
  if (s.defaultVpcId && s.vpcs.has(s.defaultVpcId))
    throw Ec2Errors.custom("DefaultVpcAlreadyExists", `A Default VPC already exists for this account in this region.`);
  dryRun(input);
  return { vpc: vpcView(s, defaultVpc(s)) };
}

export function CreateDefaultSubnet(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const vpc = s.vpcs.get(s.defaultVpcId);
  if (!vpc) throw Ec2Errors.custom("DefaultVpcDoesNotExist", "No default VPC exists for this account in this region.");
  const zones = zonesOf(s.region);
  const az = input.AvailabilityZone ?? zones.find((z) => z.id === input.AvailabilityZoneId)?.name;
  const n = zones.findIndex((z) => z.name === az);
  if (n < 0) throw Ec2Errors.invalidValue(`Value (${az}) for parameter availabilityZone is invalid.`);
  if ([...s.subnets.values()].some((x) => x.vpcId === vpc.id && x.az === az && x.defaultForAz))
    throw Ec2Errors.custom("DefaultSubnetAlreadyExistsInAvailabilityZone", `A Default Subnet already exists in availability zone ${az}.`);
  dryRun(input);
  let cidr = "";
  for (let i = 0; i < 16 && !cidr; i++) {
    const c = `172.31.${i * 16}.0/20`;
    if (![...s.subnets.values()].some((x) => x.vpcId === vpc.id && cidrOverlap(x.cidr, c))) cidr = c;
  }
  if (!cidr) throw Ec2Errors.custom("InsufficientCidrBlocks", "The default VPC has no free /20 block for a default subnet.");
  const sub = newSubnet(s, vpc.id, cidr, az!, true);
  return { subnet: subnetView(s, sub) };
}

/** The next free private address in a subnet (AWS reserves the first four and the last). */
/** Per subnet, an offset below which every address was in use at the last allocation (a search hint only). */
const freeFrom = new WeakMap<SubnetRec, number>();

/** A subnet's IPv4 CIDR, parsed once per subnet (and again only if its CIDR text changes). */
const parsedCidr = new WeakMap<SubnetRec, { text: string; base: number; bits: number }>();
function subnetCidr(sub: SubnetRec): { base: number; bits: number } {
  // An IPv6-only subnet has no IPv4 range to allocate from (its interfaces get IPv6 addresses only: newEni).
  if (sub.ipv6Native) throw Ec2Errors.invalidValue(`The subnet ${sub.id} does not have an IPv4 CIDR block.`);
  const p = parsedCidr.get(sub);
  if (p !== undefined && p.text === sub.cidr) return p;
  const c = parseCidr(sub.cidr)!;
  parsedCidr.set(sub, { text: sub.cidr, base: c.base, bits: c.bits });
  return c;
}

export function allocateIp(sub: SubnetRec, wanted?: string): string {
  const c = subnetCidr(sub);
  const size = 2 ** (32 - c.bits);
  if (wanted) {
    const w = parseCidr(`${wanted}/32`);
    const off = w ? w.base - c.base : -1;
    if (off < 0 || off >= size) throw Ec2Errors.invalidValue(`Address ${wanted} does not fall within the subnet's address range`);
    // The first four addresses and the last one are AWS's own; asking for one is this error (real RunInstances answers).
    if (off < 4 || off === size - 1) throw Ec2Errors.invalidValue(`Address ${wanted} is in subnet's reserved address range`);
    if (sub.used.has(off)) throw Ec2Errors.custom("InvalidIPAddress.InUse", `Address ${wanted} is in use.`);
    sub.used.add(off);
    return wanted;
  }
  // Scan from the lowest offset that may be free (all below it were in use when last seen), not from 4.
  let from = freeFrom.get(sub) ?? 4;
  if (sub.used.size < from - 4) from = 4; // an address below was freed behind releaseIp's back
  for (let off = from; off < size - 1; off++) {
    if (!sub.used.has(off)) {
      sub.used.add(off);
      freeFrom.set(sub, off + 1);
      return ipToString(c.base + off);
    }
  }
  if (from > 4) {
    freeFrom.delete(sub);
    return allocateIp(sub);
  }
  throw Ec2Errors.custom(
    "InsufficientFreeAddressesInSubnet",
    `There are not enough free addresses in subnet '${sub.id}' to satisfy the requested number of instances.`,
  );
}

/**
 * The free addresses of a subnet's CIDR reservations, held back (marked used) for one request by
 * subnet-cidr-reservations.ts, and the ranges of its "prefix" reservations: automatic prefix delegation takes whole
 * /28s of those first ("AWS assigns ... from the reserved CIDR ranges" for prefixes; amazon-vpc-cni-k8s#2749).
 */
export const reservedHold = new WeakMap<SubnetRec, { held: Set<number>; prefix: Array<{ first: number; size: number }> }>();

function reservedPrefix(sub: SubnetRec): number | undefined {
  const hold = reservedHold.get(sub);
  if (!hold) return undefined;
  for (const r of hold.prefix)
    for (let off = Math.ceil(r.first / 16) * 16; off + 16 <= r.first + r.size; off += 16)
      if ([...Array(16).keys()].every((i) => hold.held.has(off + i))) {
        for (let i = 0; i < 16; i++) hold.held.delete(off + i); // stays in sub.used: now the prefix's
        return off;
      }
  return undefined;
}

/** Addresses held back in a subnet's "prefix" reservations, usable by automatic prefix delegation only. */
function reservedForPrefixes(sub: SubnetRec): number {
  const hold = reservedHold.get(sub);
  if (!hold) return 0;
  let n = 0;
  for (const r of hold.prefix) for (let off = r.first; off < r.first + r.size; off++) if (hold.held.has(off)) n++;
  return n;
}

/**
 * A delegated IPv4 prefix: a free /28 of the subnet aligned on 16 addresses (neither the first nor the last /28, which
 * hold the addresses AWS reserves), marked in use. A subnet with too few free addresses answers InvalidParameterValue
 * "There aren't sufficient free Ipv4 addresses or prefixes"; enough addresses but no whole free /28 (fragmentation) is
 * InsufficientCidrBlocks (AWS's answers to CreateNetworkInterface/AssignPrivateIpAddresses, amazon-vpc-cni-k8s#1836, #3105).
 */
export function allocatePrefix(sub: SubnetRec, wanted?: string): string {
  const c = subnetCidr(sub);
  const size = 2 ** (32 - c.bits);
  const free = (off: number) => off >= 4 && off + 15 < size - 1 && ![...Array(16).keys()].some((i) => sub.used.has(off + i));
  const take = (off: number) => {
    for (let i = 0; i < 16; i++) sub.used.add(off + i);
    return `${ipToString(c.base + off)}/28`;
  };
  if (wanted) {
    const w = parseCidr(wanted) ?? { base: c.base - 1, bits: 0 };
    const off = w.base - c.base;
    if (w.bits !== 28 || off < 0 || off >= size || `${ipToString(w.base)}/28` !== wanted)
      throw Ec2Errors.invalidValue(`The prefix ${wanted} is not a valid /28 IPv4 prefix of subnet ${sub.id}.`);
    if (!free(off)) throw Ec2Errors.custom("InvalidIPAddress.InUse", `Address ${wanted} is in use.`);
    return take(off);
  }
  const reserved = reservedPrefix(sub);
  if (reserved !== undefined) return `${ipToString(c.base + reserved)}/28`;
  for (let off = 16; off + 16 < size; off += 16) if (free(off)) return take(off);
  throw Ec2Errors.custom("InsufficientCidrBlocks", "The specified subnet does not have enough free cidr blocks to satisfy the request.");
}

export function releasePrefix(sub: SubnetRec | undefined, prefix: string): void {
  if (!sub) return;
  const w = parseCidr(prefix);
  if (!w) return;
  const off = w.base - subnetCidr(sub).base;
  for (let i = 0; i < 16; i++) sub.used.delete(off + i);
  if (off >= 4 && off < (freeFrom.get(sub) ?? 4)) freeFrom.set(sub, off);
}

/**
 * AWS's answer when a subnet has fewer free addresses than an interface request needs: `count` addresses, and
 * `prefixes` /28s (16 each, which may also come from "prefix" reservations).
 */
export function needAddresses(sub: SubnetRec, count: number, prefixes = 0): void {
  const free = freeAddresses(sub);
  const prefixFree = prefixes ? reservedForPrefixes(sub) : 0;
  if (free < count || free + prefixFree < count + 16 * prefixes) throw Ec2Errors.invalidValue("There aren't sufficient free Ipv4 addresses or prefixes");
}

/**
 * The number of IPv4 addresses an attached interface may hold (its instance type's Ipv4AddressesPerInterface; each
 * delegated prefix takes one slot), or undefined when unattached or the type is unknown.
 */
export function ipv4SlotLimit(s: Ec2State, e: EniRec): { limit: number; type: string } | undefined {
  const inst = e.attachment ? s.instances.get(e.attachment.instanceId) : undefined;
  const limit = inst ? awsInstanceTypes().get(inst.instanceType)?.networkInfo?.ipv4AddressesPerInterface : undefined;
  return inst && typeof limit === "number" ? { limit, type: inst.instanceType } : undefined;
}

export const ipv4Slots = (e: EniRec) => 1 + e.secondaryIps.length + (e.ipv4Prefixes?.length ?? 0);

/**
 * Delete an interface and give its addresses back: private ones to the subnet, Elastic IPs associated with it to the
 * account, unassociated ("Deleting a network interface releases all attributes associated with the interface and
 * releases any private IP addresses or Elastic IP addresses to be used by another instance", EC2 User Guide, Delete a
 * network interface). An address left associated could never be released (aws-nuke's EC2Address retried forever).
 */
export function removeEni(s: Ec2State, eni: EniRec): void {
  const sub = s.subnets.get(eni.subnetId);
  for (const ip of [eni.privateIp, ...eni.secondaryIps]) releaseIp(sub, ip);
  for (const p of eni.ipv4Prefixes ?? []) releasePrefix(sub, p);
  for (const a of s.addresses.values()) if (a.eniId === eni.id) a.associationId = a.instanceId = a.eniId = a.privateIp = undefined;
  dropTags(s, eni.id, eni);
  s.enis.delete(eni.id);
}

export function freeAddresses(sub: SubnetRec): number {
  if (sub.ipv6Native) return 0; // an IPv6-only subnet has no IPv4 addresses
  return 2 ** (32 - subnetCidr(sub).bits) - 5 - sub.used.size;
}

export function releaseIp(sub: SubnetRec | undefined, ip: string): void {
  if (!sub) return;
  const c = parseCidr(sub.cidr);
  const w = parseCidr(`${ip}/32`);
  if (!c || !w) return;
  const off = w.base - c.base;
  sub.used.delete(off);
  if (off >= 4 && off < (freeFrom.get(sub) ?? 4)) freeFrom.set(sub, off);
}

/**
 * A new interface with its primary private IPv4 address. In an IPv6-only subnet (Ipv6Native) it has none ("privateIp"
 * is ""): "The EC2 instances launched in the IPv6-only subnet and the Elastic Network Interfaces (ENI) attached to them
 * are assigned an IPv6 address ... from the IPv6 CIDR block of your subnet. These instances do not require private IPv4
 * addresses" (AWS, "Introducing IPv6-only subnets and EC2 instances"), so it gets one IPv6 address instead, which a
 * request naming its own IPv6 addresses replaces (ipv6OnlyRequest).
 */
export function newEni(s: Ec2State, sub: SubnetRec, groups: string[], description: string, ip?: string, interfaceType = "interface"): EniRec {
  const eni: EniRec = {
    id: ec2Id("eni"),
    subnetId: sub.id,
    vpcId: sub.vpcId,
    az: sub.az,
    description,
    privateIp: sub.ipv6Native && ip === undefined ? "" : allocateIp(sub, ip),
    secondaryIps: [],
    ipv6Ips: sub.ipv6Native ? [ipv6Address(sub)] : [],
    sourceDestCheck: true,
    groups: [...groups],
    mac: macAddress(),
    interfaceType,
    requesterManaged: false,
    tags: new Map(),
  };
  s.enis.set(eni.id, eni);
  return eni;
}

/**
 * The IPv6 addresses a request asks for on a new interface (explicit ones or a count): in an IPv6-only subnet they
 * replace the one newEni gave it, and asking for none still leaves it that one (it has no other address).
 */
export function ipv6OnlyRequest(sub: SubnetRec, eni: EniRec, explicit: string[], count: number): void {
  if (sub.ipv6Native && eni.ipv6Ips.length === 1 && (explicit.length || count)) eni.ipv6Ips = [];
}

/** An interface's private IPv4 addresses (none in an IPv6-only subnet). */
export const ipv4Of = (e: EniRec) => (e.privateIp ? [e.privateIp, ...e.secondaryIps] : e.secondaryIps);

// ---------------------------------------------------------------- lookups

export function getVpc(s: Ec2State, id: string): VpcRec {
  const v = s.vpcs.get(id);
  if (!v) {
    if (!/^vpc-[0-9a-f]{8,17}$/.test(id)) throw Ec2Errors.malformed("Vpc", id);
    throw Ec2Errors.notFound("Vpc", "vpc", [id]);
  }
  return v;
}

export function getSubnet(s: Ec2State, id: string): SubnetRec {
  const v = s.subnets.get(id);
  if (!v) {
    if (!/^subnet-[0-9a-f]{8,17}$/.test(id)) throw Ec2Errors.malformed("Subnet", id);
    throw Ec2Errors.notFound("Subnet", "subnet", [id]);
  }
  return v;
}

function getOr<T>(m: Map<string, T>, id: string, kind: string, noun: string): T {
  const v = m.get(id);
  if (!v) throw Ec2Errors.notFound(kind, noun, [id]);
  return v;
}

function byIds<T>(m: Map<string, T>, ids: string[], kind: string, noun: string): T[] {
  if (ids.length === 0) return [...m.values()];
  const missing = ids.filter((i) => !m.has(i));
  if (missing.length) throw Ec2Errors.notFound(kind, noun, missing);
  return ids.map((i) => m.get(i)!);
}

// ---------------------------------------------------------------- VPCs

const vpcView = (s: Ec2State, v: VpcRec) => ({
  vpcId: v.id,
  ownerId: s.accountId,
  state: "available",
  cidrBlock: v.cidr,
  cidrBlockAssociationSet: vpcCidrView(v),
  ipv6CidrBlockAssociationSet: vpcIpv6View(s, v),
  dhcpOptionsId: v.dhcpOptionsId,
  instanceTenancy: v.instanceTenancy,
  isDefault: v.isDefault,
  tagSet: tagList(v),
  blockPublicAccessStates: { internetGatewayBlockMode: "off" },
});

export function CreateVpc(ctx: Ctx, input: Input) {
  onlyTagTypes(input, "vpc");
  dryRun(input);
  const cidr = required(input, "CidrBlock");
  const c = parseCidr(cidr);
  if (!c) throw Ec2Errors.invalidValue(`Value (${cidr}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
  if (c.bits < 16 || c.bits > 28) throw Ec2Errors.vpcRange(cidr);
  const s = st(ctx);
  const v = newVpc(s, `${ipToString(c.base)}/${c.bits}`, false);
  if (input.InstanceTenancy) v.instanceTenancy = String(input.InstanceTenancy);
  if (input.AmazonProvidedIpv6CidrBlock === true) {
    const b = { associationId: ec2Id("vpc-cidr-assoc"), cidr: amazonIpv6Block() };
    v.ipv6.push(b);
    addLocalRoute(s, v.id, b.cidr);
    addIpv6NaclEntries(s, v.id);
  }
  applyTagSpec(s, input, "vpc", v.id, v);
  // CreateVpc's answer has no tag set when no tags were given, and no block-public-access states (recorded).
  const view = vpcView(s, v);
  // An Amazon-provided IPv6 block is still being allocated: associating, with an empty block (AWS's example).
  const ipv6CidrBlockAssociationSet = v.ipv6.map((b) => ({
    associationId: b.associationId,
    ipv6CidrBlock: "",
    ipv6CidrBlockState: { state: "associating" },
    ipv6Pool: "Amazon",
    networkBorderGroup: s.region,
  }));
  return {
    vpc: { ...view, state: "pending", tagSet: v.tags.size ? view.tagSet : undefined, blockPublicAccessStates: undefined, ipv6CidrBlockAssociationSet },
  };
}

export function DescribeVpcs(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const r = select(
    byIds(s.vpcs, list(input.VpcIds), "Vpc", "vpc"),
    input,
    {
      "vpc-id": (v) => v.id,
      cidr: (v) => v.cidr,
      "cidr-block": (v) => v.cidr,
      "cidr-block-association.cidr-block": (v) => [v.cidr, ...v.secondaryCidrs.map((c) => c.cidr)],
      "ipv6-cidr-block-association.ipv6-cidr-block": (v) => v.ipv6.map((b) => b.cidr),
      "ipv6-cidr-block-association.association-id": (v) => v.ipv6.map((b) => b.associationId),
      "ipv6-cidr-block-association.state": (v) => v.ipv6.map(() => "associated"),
      "ipv6-cidr-block-association.ipv6-pool": (v) => v.ipv6.map(() => "Amazon"),
      "cidr-block-association.association-id": (v) => [v.cidrAssociationId, ...v.secondaryCidrs.map((c) => c.associationId)],
      "cidr-block-association.state": () => "associated",
      "dhcp-options-id": (v) => v.dhcpOptionsId,
      "is-default": (v) => String(v.isDefault),
      isDefault: (v) => String(v.isDefault),
      "owner-id": () => s.accountId,
      state: () => "available",
      "instance-tenancy": (v) => v.instanceTenancy,
    },
    (v) => v.id,
    { paginate: true },
  );
  return { vpcSet: r.items.map((v) => vpcView(s, v)), nextToken: r.nextToken };
}

export function DeleteVpc(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const v = getVpc(s, required(input, "VpcId"));
  const deps =
    [...s.subnets.values()].some((x) => x.vpcId === v.id) ||
    [...s.igws.values()].some((x) => x.vpcId === v.id) ||
    [...s.sgs.values()].some((x) => x.vpcId === v.id && x.name !== "default") ||
    [...s.rtbs.values()].some((x) => x.vpcId === v.id && !x.main) ||
    [...s.enis.values()].some((x) => x.vpcId === v.id) ||
    [...s.nats.values()].some((x) => x.vpcId === v.id && x.state !== "deleted") ||
    [...s.nacls.values()].some((x) => x.vpcId === v.id && !x.isDefault) ||
    [...s.eigws.values()].some((x) => x.vpcId === v.id) ||
    [...s.vpces.values()].some((x) => x.vpcId === v.id) ||
    [...s.vgws.values()].some((x) => x.vpcId === v.id) ||
    [...s.cagws.values()].some((x) => x.vpcId === v.id);
  if (deps) throw Ec2Errors.dependency(`The vpc '${v.id}' has dependencies and cannot be deleted.`);
  for (const [id, x] of s.sgs) if (x.vpcId === v.id) s.sgs.delete(id);
  for (const [id, x] of s.rtbs) if (x.vpcId === v.id) s.rtbs.delete(id);
  dropVpcNacls(s, v.id);
  dropTags(s, v.id, v);
  s.vpcs.delete(v.id);
  if (s.defaultVpcId === v.id) s.defaultVpcId = "";
  return { return: true };
}

export function ModifyVpcAttribute(ctx: Ctx, input: Input) {
  const v = getVpc(st(ctx), required(input, "VpcId"));
  if (input.EnableDnsSupport) v.enableDnsSupport = bool(input.EnableDnsSupport.Value);
  if (input.EnableNetworkAddressUsageMetrics) v.enableNau = bool(input.EnableNetworkAddressUsageMetrics.Value);
  if (input.EnableDnsHostnames) {
    if (bool(input.EnableDnsHostnames.Value) && !v.enableDnsSupport) throw Ec2Errors.invalidValue("Cannot enable DNS hostnames without DNS support.");
    v.enableDnsHostnames = bool(input.EnableDnsHostnames.Value);
  }
  return { return: true };
}

export function DescribeVpcAttribute(ctx: Ctx, input: Input) {
  dryRun(input);
  const v = getVpc(st(ctx), required(input, "VpcId"));
  const attr = required(input, "Attribute");
  if (attr === "enableDnsSupport") return { vpcId: v.id, enableDnsSupport: { value: v.enableDnsSupport } };
  if (attr === "enableDnsHostnames") return { vpcId: v.id, enableDnsHostnames: { value: v.enableDnsHostnames } };
  if (attr === "enableNetworkAddressUsageMetrics") return { vpcId: v.id, enableNetworkAddressUsageMetrics: { value: v.enableNau } };
  throw Ec2Errors.invalidValue(`Value (${attr}) for parameter attribute is invalid. Unknown attribute.`);
}

// ---------------------------------------------------------------- subnets

export const subnetView = (s: Ec2State, x: SubnetRec) => {
  // An IPv6-only subnet (Ipv6Native) has no IPv4 CIDR block and no IPv4 addresses to give.
  const c = parseCidr(x.cidr) ?? { bits: 32 };
  const zone = zonesOf(s.region).find((z) => z.name === x.az);
  return {
    subnetId: x.id,
    subnetArn: `arn:aws:ec2:${s.region}:${s.accountId}:subnet/${x.id}`,
    state: "available",
    vpcId: x.vpcId,
    cidrBlock: x.ipv6Native ? undefined : x.cidr,
    ipv6CidrBlockAssociationSet: subnetIpv6View(x),
    availableIpAddressCount: x.ipv6Native ? 0 : 2 ** (32 - c.bits) - 5 - x.used.size,
    availabilityZone: x.az,
    availabilityZoneId: zone?.id,
    defaultForAz: x.defaultForAz,
    mapPublicIpOnLaunch: x.mapPublicIpOnLaunch,
    mapCustomerOwnedIpOnLaunch: false,
    assignIpv6AddressOnCreation: x.assignIpv6,
    enableDns64: x.dns64 ?? false,
    ipv6Native: x.ipv6Native === true,
    ownerId: s.accountId,
    // AWS leaves out an empty tag set when describing a subnet (its describe-subnets example).
    tagSet: x.tags.size ? tagList(x) : undefined,
    privateDnsNameOptionsOnLaunch: {
      hostnameType: x.hostnameType ?? "ip-name",
      enableResourceNameDnsARecord: x.dnsA ?? false,
      enableResourceNameDnsAAAARecord: x.dnsAAAA ?? false,
    },
    blockPublicAccessStates: { internetGatewayBlockMode: "off" },
  };
};

export function CreateSubnet(ctx: Ctx, input: Input) {
  onlyTagTypes(input, "subnet");
  dryRun(input);
  const s = st(ctx);
  const vpc = getVpc(s, required(input, "VpcId"));
  if (input.Ipv6Native === true) return createIpv6OnlySubnet(s, vpc.id, input);
  const cidr = required(input, "CidrBlock");
  const c = parseCidr(cidr);
  if (!c) throw Ec2Errors.invalidValue(`Value (${cidr}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
  const norm = `${ipToString(c.base)}/${c.bits}`;
  if (c.bits < 16 || c.bits > 28 || ![vpc.cidr, ...vpc.secondaryCidrs.map((x) => x.cidr)].some((x) => cidrContains(x, norm))) throw Ec2Errors.subnetRange(cidr);
  if ([...s.subnets.values()].some((x) => x.vpcId === vpc.id && cidrOverlap(x.cidr, norm))) throw Ec2Errors.subnetConflict(cidr);
  return addSubnet(s, newSubnet(s, vpc.id, norm, subnetZone(s, input), false), input);
}

/** The Availability Zone a new subnet goes to (by name or id; the Region's first when none is given). */
function subnetZone(s: Ec2State, input: Input): string {
  const zones = zonesOf(s.region);
  if (!input.AvailabilityZone && input.AvailabilityZoneId !== undefined && !zones.some((z) => z.id === input.AvailabilityZoneId))
    throw Ec2Errors.invalidValue(
      `Value (${input.AvailabilityZoneId}) for parameter availabilityZoneId is invalid. Subnets can currently only be created in the following availability zones: ${zones.map((z) => z.id).join(", ")}.`,
    );
  const az = input.AvailabilityZone ? String(input.AvailabilityZone) : (zones.find((z) => z.id === input.AvailabilityZoneId)?.name ?? zones[0]!.name);
  if (!zones.some((z) => z.name === az))
    throw Ec2Errors.invalidValue(
      `Value (${az}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${zones.map((z) => z.name).join(", ")}.`,
    );
  return az;
}

/** A new subnet's IPv6 block (the subnet is dropped again if it is refused), tags, and CreateSubnet's answer. */
function addSubnet(s: Ec2State, sub: SubnetRec, input: Input) {
  if (input.Ipv6CidrBlock !== undefined) {
    try {
      setSubnetIpv6(s, sub, String(input.Ipv6CidrBlock));
    } catch (err) {
      dropSubnetFromNacls(s, sub.id);
      s.subnets.delete(sub.id);
      throw err;
    }
  }
  applyTagSpec(s, input, "subnet", sub.id, sub);
  // The answer shows an IPv6 block still associating (AWS's example); DescribeSubnets shows it associated.
  const view = subnetView(s, sub);
  const ipv6CidrBlockAssociationSet = view.ipv6CidrBlockAssociationSet.map((b) => ({ ...b, ipv6CidrBlockState: { state: "associating" } }));
  return { subnet: { ...view, state: "available", ipv6CidrBlockAssociationSet, tagSet: tagList(sub) } };
}

/**
 * CreateSubnet with Ipv6Native: an IPv6-only subnet. Its Ipv6CidrBlock is required and a CidrBlock is not supported
 * (CreateSubnet reference); its instances' DNS names are based on the instance ID (PrivateDnsNameOptionsOnLaunch:
 * "For IPv6 only subnets, an instance DNS name must be based on the instance ID").
 */
function createIpv6OnlySubnet(s: Ec2State, vpcId: string, input: Input) {
  if (input.CidrBlock !== undefined) throw Ec2Errors.invalidCombination("The CidrBlock parameter is not supported for an IPv6 only subnet.");
  if (input.Ipv6CidrBlock === undefined) throw Ec2Errors.missing("Ipv6CidrBlock");
  const sub = newSubnet(s, vpcId, "", subnetZone(s, input), false);
  sub.ipv6Native = true;
  sub.hostnameType = "resource-name";
  return addSubnet(s, sub, input);
}

export function DescribeSubnets(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const r = select(
    byIds(s.subnets, list(input.SubnetIds), "Subnet", "subnet"),
    input,
    {
      "subnet-id": (x) => x.id,
      "vpc-id": (x) => x.vpcId,
      "cidr-block": (x) => x.cidr,
      cidr: (x) => x.cidr,
      cidrBlock: (x) => x.cidr,
      "availability-zone": (x) => x.az,
      availabilityZone: (x) => x.az,
      "availability-zone-id": (x) => zonesOf(s.region).find((z) => z.name === x.az)?.id,
      "default-for-az": (x) => String(x.defaultForAz),
      defaultForAz: (x) => String(x.defaultForAz),
      "map-public-ip-on-launch": (x) => String(x.mapPublicIpOnLaunch),
      "assign-ipv6-address-on-creation": (x) => String(x.assignIpv6),
      "ipv6-cidr-block-association.ipv6-cidr-block": (x) => x.ipv6?.cidr,
      "ipv6-cidr-block-association.association-id": (x) => x.ipv6?.associationId,
      "ipv6-cidr-block-association.state": (x) => (x.ipv6 ? "associated" : undefined),
      "ipv6-native": (x) => String(x.ipv6Native === true),
      "owner-id": () => s.accountId,
      state: () => "available",
      "subnet-arn": (x) => `arn:aws:ec2:${s.region}:${s.accountId}:subnet/${x.id}`,
      "available-ip-address-count": (x) => subnetView(s, x).availableIpAddressCount,
      "customer-owned-ipv4-pool": () => undefined,
      "enable-dns64": (x) => String(subnetView(s, x).enableDns64),
      "enable-lni-at-device-index": () => undefined,
      "map-customer-owned-ip-on-launch": (x) => String(subnetView(s, x).mapCustomerOwnedIpOnLaunch),
      "outpost-arn": () => undefined,
      "private-dns-name-options-on-launch.hostname-type": (x) => subnetView(s, x).privateDnsNameOptionsOnLaunch.hostnameType,
      "private-dns-name-options-on-launch.enable-resource-name-dns-a-record": (x) =>
        String(subnetView(s, x).privateDnsNameOptionsOnLaunch.enableResourceNameDnsARecord),
      "private-dns-name-options-on-launch.enable-resource-name-dns-aaaa-record": (x) =>
        String(subnetView(s, x).privateDnsNameOptionsOnLaunch.enableResourceNameDnsAAAARecord),
    },
    (x) => x.id,
    { paginate: true },
  );
  return { subnetSet: r.items.map((x) => subnetView(s, x)), nextToken: r.nextToken };
}

export function DeleteSubnet(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const sub = getSubnet(s, required(input, "SubnetId"));
  if ([...s.enis.values()].some((e) => e.subnetId === sub.id) || [...s.instances.values()].some((i) => i.subnetId === sub.id && i.state !== "terminated")) {
    throw Ec2Errors.dependency(`The subnet '${sub.id}' has dependencies and cannot be deleted.`);
  }
  for (const r of s.rtbs.values()) for (const [a, sid] of r.associations) if (sid === sub.id) r.associations.delete(a);
  dropSubnetFromNacls(s, sub.id);
  dropTags(s, sub.id, sub);
  s.subnets.delete(sub.id);
  return { return: true };
}

export function ModifySubnetAttribute(ctx: Ctx, input: Input) {
  const sub = getSubnet(st(ctx), required(input, "SubnetId"));
  // "For IPv6 only subnets, an instance DNS name must be based on the instance ID" (PrivateDnsNameOptionsOnLaunch).
  if (sub.ipv6Native && input.PrivateDnsHostnameTypeOnLaunch !== undefined && input.PrivateDnsHostnameTypeOnLaunch !== "resource-name")
    throw Ec2Errors.invalidValue(`Subnet ${sub.id} is IPv6-only: an instance DNS name must be based on the instance ID (resource-name).`);
  if (input.MapPublicIpOnLaunch) sub.mapPublicIpOnLaunch = bool(input.MapPublicIpOnLaunch.Value);
  if (input.AssignIpv6AddressOnCreation) {
    if (bool(input.AssignIpv6AddressOnCreation.Value) && !sub.ipv6)
      throw Ec2Errors.invalidValue(`Subnet ${sub.id} does not have an IPv6 CIDR block, so IPv6 addresses cannot be assigned on creation.`);
    sub.assignIpv6 = bool(input.AssignIpv6AddressOnCreation.Value);
  }
  if (input.EnableDns64) sub.dns64 = bool(input.EnableDns64.Value);
  if (input.PrivateDnsHostnameTypeOnLaunch !== undefined) sub.hostnameType = String(input.PrivateDnsHostnameTypeOnLaunch);
  if (input.EnableResourceNameDnsARecordOnLaunch) sub.dnsA = bool(input.EnableResourceNameDnsARecordOnLaunch.Value);
  if (input.EnableResourceNameDnsAAAARecordOnLaunch) sub.dnsAAAA = bool(input.EnableResourceNameDnsAAAARecordOnLaunch.Value);
  return { return: true };
}

// ---------------------------------------------------------------- internet gateways

const igwView = (s: Ec2State, g: IgwRec) => ({
  internetGatewayId: g.id,
  ownerId: s.accountId,
  attachmentSet: g.vpcId ? [{ vpcId: g.vpcId, state: "available" }] : [],
  tagSet: tagList(g),
});

export function CreateInternetGateway(ctx: Ctx, input: Input) {
  onlyTagTypes(input, "internet-gateway");
  dryRun(input);
  const s = st(ctx);
  const g: IgwRec = { id: ec2Id("igw"), tags: new Map() };
  s.igws.set(g.id, g);
  applyTagSpec(s, input, "internet-gateway", g.id, g);
  return { internetGateway: igwView(s, g) };
}

function getIgw(s: Ec2State, id: string): IgwRec {
  const g = s.igws.get(id);
  if (!g) throw Ec2Errors.custom("InvalidInternetGatewayID.NotFound", `The internetGateway ID '${id}' does not exist`);
  return g;
}

export function AttachInternetGateway(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const g = getIgw(s, required(input, "InternetGatewayId"));
  const v = getVpc(s, required(input, "VpcId"));
  if (g.vpcId) throw Ec2Errors.alreadyAssociated(`resource ${g.id} is already attached to network ${g.vpcId}`);
  if ([...s.igws.values()].some((x) => x.vpcId === v.id)) throw Ec2Errors.alreadyAssociated(`resource ${v.id} already has an internet gateway attached`);
  g.vpcId = v.id;
  return { return: true };
}

export function DetachInternetGateway(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const g = getIgw(s, required(input, "InternetGatewayId"));
  const vpcId = required(input, "VpcId");
  if (g.vpcId !== vpcId) throw Ec2Errors.gatewayNotAttached(g.id, vpcId);
  g.vpcId = undefined;
  return { return: true };
}

export function DeleteInternetGateway(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const g = getIgw(s, required(input, "InternetGatewayId"));
  if (g.vpcId) throw Ec2Errors.dependency(`The internetGateway '${g.id}' has dependencies and cannot be deleted.`);
  dropTags(s, g.id, g);
  s.igws.delete(g.id);
  return { return: true };
}

export function DescribeInternetGateways(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const ids = list(input.InternetGatewayIds);
  for (const id of ids) getIgw(s, id);
  const r = select(
    ids.length ? ids.map((i) => s.igws.get(i)!) : [...s.igws.values()],
    input,
    {
      "internet-gateway-id": (g) => g.id,
      "attachment.vpc-id": (g) => g.vpcId,
      "attachment.state": (g) => (g.vpcId ? "available" : undefined),
      "owner-id": () => s.accountId,
    },
    (g) => g.id,
    { paginate: true },
  );
  return { internetGatewaySet: r.items.map((g) => igwView(s, g)), nextToken: r.nextToken };
}

// ---------------------------------------------------------------- route tables

/**
 * A route's state as DescribeRouteTables answers it: "blackhole" once its target is not available (the model's
 * Route.State: "the specified gateway isn't attached to the VPC, or the specified NAT instance has been terminated"):
 * an internet or virtual private gateway detached from the table's VPC or deleted, a NAT gateway deleted or failed,
 * an instance terminated, a deleted interface, egress-only or transit gateway, a peering no longer active.
 */
function routeState(s: Ec2State, r: RtbRec, x: RouteRec, delay: number): string {
  if (x.gatewayId === "local") return x.state;
  // A peering route follows the connection both ways (blackholed until it is accepted).
  if (x.vpcPeeringConnectionId) return s.peerings.get(x.vpcPeeringConnectionId)?.status === "active" ? "active" : "blackhole";
  const gone = (() => {
    if (x.gatewayId?.startsWith("igw-")) return s.igws.get(x.gatewayId)?.vpcId !== r.vpcId;
    if (x.gatewayId?.startsWith("vgw-")) return s.vgws.get(x.gatewayId)?.vpcId !== r.vpcId;
    if (x.natGatewayId) {
      const n = s.nats.get(x.natGatewayId);
      return !n || ["deleting", "deleted", "failed"].includes(natState(n, delay));
    }
    if (x.instanceId) {
      const i = s.instances.get(x.instanceId);
      return !i || [i.state, i.target].some((v) => v === "shutting-down" || v === "terminated");
    }
    if (x.networkInterfaceId) return !s.enis.has(x.networkInterfaceId);
    if (x.egressOnlyInternetGatewayId) return !s.eigws.has(x.egressOnlyInternetGatewayId);
    if (x.transitGatewayId) return !s.tgws.has(x.transitGatewayId);
    if (x.carrierGatewayId) return !s.cagws.has(x.carrierGatewayId);
    return false;
  })();
  return gone ? "blackhole" : x.state;
}

const rtbView = (s: Ec2State, r: RtbRec, delay: number) => ({
  routeTableId: r.id,
  vpcId: r.vpcId,
  ownerId: s.accountId,
  routeSet: r.routes.map((x) => ({
    ...x,
    destinationCidrBlock: x.destinationCidrBlock || undefined,
    instanceOwnerId: x.instanceId ? s.accountId : undefined,
    state: routeState(s, r, x, delay),
  })),
  associationSet: [
    ...(r.main ? [{ main: true, routeTableAssociationId: r.mainAssociationId, routeTableId: r.id, associationState: { state: "associated" } }] : []),
    ...[...r.associations].map(([a, target]) => ({
      main: false,
      routeTableAssociationId: a,
      routeTableId: r.id,
      subnetId: target.startsWith("subnet-") ? target : undefined,
      gatewayId: target.startsWith("subnet-") ? undefined : target,
      associationState: { state: "associated" },
    })),
  ],
  propagatingVgwSet: [...(r.propagatingVgws ?? [])].map((gatewayId) => ({ gatewayId })),
  tagSet: tagList(r),
});

function getRtb(s: Ec2State, id: string): RtbRec {
  const r = s.rtbs.get(id);
  if (!r) throw Ec2Errors.notFound("RouteTable", "routeTable", [id]);
  return r;
}

/**
 * A route table's local routes: one for each of its VPC's CIDR blocks, IPv4 (primary, then secondary) and IPv6
 * ("Every route table contains a local route for communication within the VPC ... IPv4 and IPv6 CIDR blocks", VPC
 * user guide, route tables).
 */
export function localRoutes(v: VpcRec): RouteRec[] {
  const local = { gatewayId: "local", origin: "CreateRouteTable", state: "active" };
  return [
    ...[v.cidr, ...v.secondaryCidrs.map((x) => x.cidr)].map((c) => ({ destinationCidrBlock: c, ...local })),
    ...v.ipv6.filter((b) => b.cidr).map((b) => ({ destinationCidrBlock: "", destinationIpv6CidrBlock: b.cidr, ...local })),
  ];
}

/** A new CIDR block of a VPC: its local route in every route table of the VPC. */
export function addLocalRoute(s: Ec2State, vpcId: string, cidr: string): void {
  const ipv6 = cidr.includes(":");
  for (const r of s.rtbs.values())
    if (r.vpcId === vpcId)
      r.routes.push({
        destinationCidrBlock: ipv6 ? "" : cidr,
        ...(ipv6 ? { destinationIpv6CidrBlock: cidr } : {}),
        gatewayId: "local",
        origin: "CreateRouteTable",
        state: "active",
      });
}

/** A CIDR block a VPC lets go: its local routes go too. */
export function removeLocalRoute(s: Ec2State, vpcId: string, cidr: string): void {
  for (const r of s.rtbs.values())
    if (r.vpcId === vpcId)
      r.routes = r.routes.filter((x) => !(x.origin === "CreateRouteTable" && (x.destinationCidrBlock === cidr || x.destinationIpv6CidrBlock === cidr)));
}

export function CreateRouteTable(ctx: Ctx, input: Input) {
  onlyTagTypes(input, "route-table");
  dryRun(input);
  const s = st(ctx);
  const v = getVpc(s, required(input, "VpcId"));
  const r: RtbRec = {
    id: ec2Id("rtb"),
    vpcId: v.id,
    main: false,
    routes: localRoutes(v),
    associations: new Map(),
    tags: new Map(),
  };
  s.rtbs.set(r.id, r);
  applyTagSpec(s, input, "route-table", r.id, r);
  // ClientToken: "Only returned if a client token was provided in the request" (CreateRouteTable's output).
  return { routeTable: rtbView(s, r, ctx.config.transitionDelayMs), clientToken: input.ClientToken };
}

export function DescribeRouteTables(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const r = select(
    byIds(s.rtbs, list(input.RouteTableIds), "RouteTable", "routeTable"),
    input,
    {
      "route-table-id": (x) => x.id,
      "vpc-id": (x) => x.vpcId,
      "association.main": (x) => (x.main ? "true" : x.associations.size ? "false" : undefined),
      "association.subnet-id": (x) => [...x.associations.values()].filter((t) => t.startsWith("subnet-")),
      "association.route-table-association-id": (x) => [...x.associations.keys(), ...(x.mainAssociationId ? [x.mainAssociationId] : [])],
      "association.route-table-id": (x) => x.id,
      "route.destination-cidr-block": (x) => x.routes.map((y) => y.destinationCidrBlock),
      "route.gateway-id": (x) => x.routes.map((y) => y.gatewayId),
      "route.nat-gateway-id": (x) => x.routes.map((y) => y.natGatewayId),
      "route.instance-id": (x) => x.routes.map((y) => y.instanceId),
      "route.destination-ipv6-cidr-block": (x) => x.routes.map((y) => y.destinationIpv6CidrBlock),
      "route.destination-prefix-list-id": (x) => x.routes.map((y) => y.destinationPrefixListId),
      "route.egress-only-internet-gateway-id": (x) => x.routes.map((y) => y.egressOnlyInternetGatewayId),
      "route.transit-gateway-id": (x) => x.routes.map((y) => y.transitGatewayId),
      "route.vpc-peering-connection-id": (x) => x.routes.map((y) => y.vpcPeeringConnectionId),
      "association.gateway-id": (x) => [...x.associations.values()].filter((t) => !t.startsWith("subnet-")),
      "propagating-vgw.gateway-id": (x) => [...(x.propagatingVgws ?? [])],
      "route.state": (x) => x.routes.map((y) => routeState(s, x, y, ctx.config.transitionDelayMs)),
      "route.origin": (x) => x.routes.map((y) => y.origin),
      "owner-id": () => s.accountId,
    },
    (x) => x.id,
    { paginate: true },
  );
  return { routeTableSet: r.items.map((x) => rtbView(s, x, ctx.config.transitionDelayMs)), nextToken: r.nextToken };
}

function routeTarget(s: Ec2State, input: Input, rtb: RtbRec) {
  const t = {
    gatewayId: input.GatewayId as string | undefined,
    natGatewayId: input.NatGatewayId as string | undefined,
    instanceId: input.InstanceId as string | undefined,
    networkInterfaceId: input.NetworkInterfaceId as string | undefined,
    vpcPeeringConnectionId: input.VpcPeeringConnectionId as string | undefined,
    egressOnlyInternetGatewayId: input.EgressOnlyInternetGatewayId as string | undefined,
    transitGatewayId: input.TransitGatewayId as string | undefined,
    carrierGatewayId: input.CarrierGatewayId as string | undefined,
  };
  if (input.VpcEndpointId) t.gatewayId = String(input.VpcEndpointId);
  // An internet gateway must be attached to the route table's VPC.
  if (t.gatewayId?.startsWith("igw-") && getIgw(s, t.gatewayId).vpcId !== rtb.vpcId)
    throw Ec2Errors.invalidValue(`route table ${rtb.id} and network gateway ${t.gatewayId} belong to different networks`);
  if (t.gatewayId?.startsWith("vgw-") && !s.vgws.has(t.gatewayId))
    throw Ec2Errors.custom("InvalidVpnGatewayID.NotFound", `The vpnGateway ID '${t.gatewayId}' does not exist`);
  if (t.gatewayId?.startsWith("vpce-") && !s.vpces.has(t.gatewayId))
    throw Ec2Errors.custom("InvalidVpcEndpointId.NotFound", `The VpcEndpoint Id '${t.gatewayId}' does not exist`);
  if (t.natGatewayId) getOr(s.nats, t.natGatewayId, "NatGateway", "NAT gateway");
  if (t.instanceId) {
    // A route to an instance goes to its network interface, which must be its only one (CreateRoute reference,
    // NetworkInterfaceId: "Exactly one interface must be attached when specifying an instance ID or it fails").
    const i = s.instances.get(t.instanceId);
    if (!i) throw Ec2Errors.notFound("Instance", "instance", [t.instanceId]);
    if (i.eniIds.length > 1) throw Ec2Errors.multipleInterfaces(i.id);
    t.networkInterfaceId = i.eniId;
  } else if (t.networkInterfaceId) {
    // A route to an attached interface names its instance too.
    t.instanceId = getOr(s.enis, t.networkInterfaceId, "NetworkInterface", "networkInterface").attachment?.instanceId;
  }
  if (t.vpcPeeringConnectionId && !s.peerings.has(t.vpcPeeringConnectionId))
    throw Ec2Errors.custom("InvalidVpcPeeringConnectionID.NotFound", `The vpcPeeringConnection ID '${t.vpcPeeringConnectionId}' does not exist`);
  if (t.egressOnlyInternetGatewayId && !s.eigws.has(t.egressOnlyInternetGatewayId))
    throw Ec2Errors.custom("InvalidGatewayID.NotFound", `The eigw ID '${t.egressOnlyInternetGatewayId}' does not exist`);
  if (t.transitGatewayId && !s.tgws.has(t.transitGatewayId))
    throw Ec2Errors.custom("InvalidTransitGatewayID.NotFound", `Transit Gateway ${t.transitGatewayId} was deleted or does not exist.`);
  if (t.carrierGatewayId && !s.cagws.has(t.carrierGatewayId))
    throw Ec2Errors.custom("InvalidCarrierGatewayID.NotFound", `The CarrierGateway ID '${t.carrierGatewayId}' does not exist`);
  if (!Object.values(t).some(Boolean)) throw Ec2Errors.missing("target");
  const peering = t.vpcPeeringConnectionId ? s.peerings.get(t.vpcPeeringConnectionId) : undefined;
  return { target: t, state: peering && peering.status !== "active" ? "blackhole" : "active" };
}

/** The destination of a route request: an IPv4 block, an IPv6 block or a prefix list. */
function destination(s: Ec2State, input: Input): { key: "destinationCidrBlock" | "destinationIpv6CidrBlock" | "destinationPrefixListId"; value: string } {
  if (input.DestinationCidrBlock !== undefined) {
    const dest = String(input.DestinationCidrBlock);
    if (!parseCidr(dest)) throw Ec2Errors.invalidValue(`Value (${dest}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`);
    return { key: "destinationCidrBlock", value: dest };
  }
  if (input.DestinationIpv6CidrBlock !== undefined) return { key: "destinationIpv6CidrBlock", value: String(input.DestinationIpv6CidrBlock).toLowerCase() };
  if (input.DestinationPrefixListId !== undefined) {
    const id = String(input.DestinationPrefixListId);
    if (!s.prefixLists.has(id)) throw Ec2Errors.custom("InvalidPrefixListID.NotFound", `The prefix list ID '${id}' does not exist`);
    return { key: "destinationPrefixListId", value: id };
  }
  throw Ec2Errors.missing("destinationCidrBlock");
}

const routeIndex = (r: RtbRec, d: ReturnType<typeof destination>) =>
  r.routes.findIndex((x) => (d.key === "destinationCidrBlock" ? x.destinationCidrBlock === d.value : x[d.key] === d.value));

function routeRec(d: ReturnType<typeof destination>, t: ReturnType<typeof routeTarget>): RouteRec {
  return { destinationCidrBlock: "", [d.key]: d.value, ...t.target, origin: "CreateRoute", state: t.state };
}

export function CreateRoute(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const r = getRtb(s, required(input, "RouteTableId"));
  const d = destination(s, input);
  if (routeIndex(r, d) >= 0) throw Ec2Errors.routeExists(d.value);
  r.routes.push(routeRec(d, routeTarget(s, input, r)));
  return { return: true };
}

export function ReplaceRoute(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const r = getRtb(s, required(input, "RouteTableId"));
  const d = destination(s, input);
  const i = routeIndex(r, d);
  if (i < 0) throw Ec2Errors.routeNotFound(d.value, r.id);
  const old = r.routes[i]!;
  const restore = input.LocalTarget === true || input.GatewayId === "local";
  // A VPC CIDR's local route takes a network interface (or an instance's) or a Gateway Load Balancer endpoint in
  // place of `local`, and LocalTarget restores it ("Replace or restore the target for a local route", VPC user
  // guide; gateway route tables). Any other target: AWS's "Route target is not supported. This route only supports
  // interface and instance targets."
  if (old.origin === "CreateRouteTable" && !restore && !input.NetworkInterfaceId && !input.InstanceId && !input.VpcEndpointId)
    throw Ec2Errors.invalidValue("Route target is not supported. This route only supports interface and instance targets.");
  r.routes[i] = { ...routeRec(d, routeTarget(s, restore ? { GatewayId: "local" } : input, r)), origin: old.origin };
  return { return: true };
}

export function DeleteRoute(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const r = getRtb(s, required(input, "RouteTableId"));
  const d = destination(s, input);
  const i = routeIndex(r, d);
  if (i < 0 || r.routes[i]!.gatewayId === "local") throw Ec2Errors.routeNotFound(d.value, r.id);
  r.routes.splice(i, 1);
  return { return: true };
}

/** Make a route table the VPC's main one (the association id of the main association changes). */
export function ReplaceRouteTableAssociation(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const assoc = required(input, "AssociationId");
  const target = getRtb(s, required(input, "RouteTableId"));
  const newId = ec2Id("rtbassoc");
  for (const r of s.rtbs.values()) {
    if (r.mainAssociationId === assoc) {
      if (r.vpcId !== target.vpcId) throw Ec2Errors.invalidValue(`Route table ${target.id} and association ${assoc} belong to different networks`);
      r.main = false;
      r.mainAssociationId = undefined;
      target.main = true;
      target.mainAssociationId = newId;
      return { newAssociationId: newId, associationState: { state: "associated" } };
    }
    const subnetId = r.associations.get(assoc);
    if (subnetId) {
      if (r.vpcId !== target.vpcId) throw Ec2Errors.invalidValue(`Route table ${target.id} and subnet ${subnetId} belong to different networks`);
      r.associations.delete(assoc);
      target.associations.set(newId, subnetId);
      return { newAssociationId: newId, associationState: { state: "associated" } };
    }
  }
  throw Ec2Errors.custom("InvalidAssociationID.NotFound", `The association ID '${assoc}' does not exist`);
}

export function AssociateRouteTable(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const r = getRtb(s, required(input, "RouteTableId"));
  if (input.SubnetId !== undefined && input.GatewayId !== undefined)
    throw Ec2Errors.invalidCombination("The parameter subnetId cannot be used with the parameter gatewayId");
  // An edge association: the route table takes the traffic entering the VPC through an internet or virtual private gateway.
  const target = input.GatewayId !== undefined ? edgeGateway(s, String(input.GatewayId), r) : getSubnet(s, required(input, "SubnetId"));
  if (target.vpcId !== r.vpcId) throw Ec2Errors.invalidValue(`Route table ${r.id} and subnet ${target.id} belong to different networks`);
  for (const x of s.rtbs.values())
    for (const sid of x.associations.values())
      if (sid === target.id) throw Ec2Errors.alreadyAssociated(`the specified association for route table ${x.id} conflicts with an existing association`);
  const id = ec2Id("rtbassoc");
  r.associations.set(id, target.id);
  return { associationId: id, associationState: { state: "associated" } };
}

/** The internet or virtual private gateway of an edge association; it must be attached to the route table's VPC. */
function edgeGateway(s: Ec2State, id: string, r: RtbRec): { id: string; vpcId?: string } {
  const g = id.startsWith("vgw-") ? s.vgws.get(id) : s.igws.get(id);
  if (!g)
    throw id.startsWith("vgw-")
      ? Ec2Errors.custom("InvalidVpnGatewayID.NotFound", `The vpnGateway ID '${id}' does not exist`)
      : Ec2Errors.custom("InvalidInternetGatewayID.NotFound", `The internetGateway ID '${id}' does not exist`);
  if (g.vpcId !== r.vpcId) throw Ec2Errors.invalidValue(`Route table ${r.id} and network gateway ${id} belong to different networks`);
  return g;
}

export function DisassociateRouteTable(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const id = required(input, "AssociationId");
  for (const r of s.rtbs.values()) if (r.associations.delete(id)) return { return: true };
  throw Ec2Errors.notFound("Association", "association", [id]);
}

export function DeleteRouteTable(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const r = getRtb(s, required(input, "RouteTableId"));
  if (r.main || r.associations.size) throw Ec2Errors.dependency(`The routeTable '${r.id}' has dependencies and cannot be deleted.`);
  dropTags(s, r.id, r);
  s.rtbs.delete(r.id);
  return { return: true };
}

// ---------------------------------------------------------------- elastic IPs

const addrView = (s: Ec2State, a: AddressRec) => ({
  publicIp: a.publicIp,
  allocationId: a.allocationId,
  domain: "vpc",
  associationId: a.associationId,
  instanceId: a.instanceId,
  networkInterfaceId: a.eniId,
  networkInterfaceOwnerId: a.eniId ? s.accountId : undefined,
  privateIpAddress: a.privateIp,
  publicIpv4Pool: "amazon",
  networkBorderGroup: s.region,
  tagSet: a.tags.size ? tagList(a) : undefined,
});

export function AllocateAddress(ctx: Ctx, input: Input) {
  onlyTagTypes(input, "elastic-ip");
  dryRun(input);
  const s = st(ctx);
  const a: AddressRec = { allocationId: ec2Id("eipalloc"), publicIp: randomPublicIp(), tags: new Map() };
  s.addresses.set(a.allocationId, a);
  applyTagSpec(s, input, "elastic-ip", a.allocationId, a);
  return { publicIp: a.publicIp, allocationId: a.allocationId, domain: "vpc", publicIpv4Pool: "amazon", networkBorderGroup: s.region };
}

function findAddress(s: Ec2State, input: Input): AddressRec {
  if (input.AllocationId) {
    const a = s.addresses.get(String(input.AllocationId));
    if (!a) throw Ec2Errors.custom("InvalidAllocationID.NotFound", `The allocation ID '${input.AllocationId}' does not exist`);
    return a;
  }
  const ip = required(input, "PublicIp");
  const a = [...s.addresses.values()].find((x) => x.publicIp === ip);
  if (!a) throw Ec2Errors.custom("InvalidAddress.NotFound", `Address '${ip}' not found.`);
  return a;
}

export function AssociateAddress(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const a = findAddress(s, input);
  let eni: EniRec | undefined;
  if (input.InstanceId) {
    const inst = s.instances.get(String(input.InstanceId));
    if (!inst || inst.state === "terminated") throw Ec2Errors.notFound("Instance", "instance", [String(input.InstanceId)]);
    // "The instance must have exactly one attached network interface" (AssociateAddress reference); AWS's answer
    // otherwise is quoted in terraform-provider-aws#6476, cilium#39654 and eureka#1167.
    if (inst.eniIds.length > 1) throw Ec2Errors.multipleInterfaces(inst.id);
    eni = s.enis.get(inst.eniId);
  } else if (input.NetworkInterfaceId) eni = getOr(s.enis, String(input.NetworkInterfaceId), "NetworkInterface", "networkInterface");
  else throw Ec2Errors.missing("InstanceId");
  if (a.associationId && input.AllowReassociation !== undefined && !bool(input.AllowReassociation))
    throw Ec2Errors.alreadyAssociated(`resource ${a.allocationId} is already associated with associate-id ${a.associationId}`);
  disassociate(s, a);
  a.associationId = ec2Id("eipassoc");
  a.eniId = eni!.id;
  a.instanceId = eni!.attachment?.instanceId;
  a.privateIp = eni!.privateIp;
  if (a.instanceId) {
    const inst = s.instances.get(a.instanceId)!;
    inst.publicIp = a.publicIp;
  }
  return { associationId: a.associationId };
}

function disassociate(s: Ec2State, a: AddressRec) {
  if (a.instanceId) {
    const inst = s.instances.get(a.instanceId);
    // AWS gives an instance that had an auto-assigned public IPv4 address a new one when the elastic IP leaves it
    // (EC2 User Guide, Elastic IP addresses); one launched without a public address goes back to none.
    if (inst && inst.publicIp === a.publicIp) inst.publicIp = inst.autoPublicIp && inst.eniId === a.eniId ? randomPublicIp() : undefined;
  }
  a.associationId = a.instanceId = a.eniId = a.privateIp = undefined;
}

export function DisassociateAddress(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const a = input.AssociationId ? [...s.addresses.values()].find((x) => x.associationId === input.AssociationId) : findAddress(s, input);
  if (!a) throw Ec2Errors.custom("InvalidAssociationID.NotFound", `The association ID '${input.AssociationId}' does not exist`);
  disassociate(s, a);
  return { return: true };
}

export function ReleaseAddress(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const a = findAddress(s, input);
  if (a.associationId) throw Ec2Errors.addressInUse(a.allocationId);
  dropTags(s, a.allocationId, a);
  s.addresses.delete(a.allocationId);
  return { return: true };
}

const addrAttrView = (a: AddressRec) => ({ publicIp: a.publicIp, allocationId: a.allocationId, ptrRecord: a.ptrRecord });

export function DescribeAddressesAttribute(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const ids = list(input.AllocationIds);
  const missing = ids.filter((i) => !s.addresses.has(i));
  if (missing.length) throw Ec2Errors.custom("InvalidAllocationID.NotFound", `The allocation IDs '${missing.join(", ")}' do not exist`);
  // Only addresses with a reverse DNS record of their own have the domain-name attribute: once reset, an address is
  // not listed (Terraform's aws_eip_domain_name waits, after ResetAddressAttribute, for an empty answer).
  const items = (ids.length ? ids.map((i) => s.addresses.get(i)!) : [...s.addresses.values()]).filter((a) => a.ptrRecord !== undefined);
  const r = select(items, input, {}, (a) => a.allocationId, { paginate: true, min: 1, max: 1000 });
  return { addressSet: r.items.map(addrAttrView), nextToken: r.nextToken };
}

/**
 * A reverse DNS change answers with the record in force and the update, PENDING (the modify- and
 * reset-address-attribute examples of AWS's CLI); fake mode applies it at once, so DescribeAddressesAttribute shows
 * the new record. An address without a record of its own has AWS's public DNS name.
 */
function ptrChange(s: Ec2State, a: AddressRec, next: string | undefined) {
  const dflt = `${publicDnsName(s.region, a.publicIp)}.`;
  const view = { ...addrAttrView(a), ptrRecord: a.ptrRecord ?? dflt, ptrRecordUpdate: { value: next ?? dflt, status: "PENDING" } };
  a.ptrRecord = next;
  return { address: view };
}

export function ModifyAddressAttribute(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const a = findAddress(s, { AllocationId: required(input, "AllocationId") });
  dryRun(input);
  return ptrChange(s, a, input.DomainName ? `${String(input.DomainName).replace(/\.$/, "")}.` : undefined);
}

export function ResetAddressAttribute(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const a = findAddress(s, { AllocationId: required(input, "AllocationId") });
  dryRun(input);
  return ptrChange(s, a, undefined);
}

export function DescribeAddresses(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  let items = [...s.addresses.values()];
  const ids = list(input.AllocationIds);
  const ips = list(input.PublicIps);
  if (ids.length) {
    const missing = ids.filter((i) => !s.addresses.has(i));
    if (missing.length) throw Ec2Errors.custom("InvalidAllocationID.NotFound", `The allocation IDs '${missing.join(", ")}' do not exist`);
    items = ids.map((i) => s.addresses.get(i)!);
  }
  if (ips.length) {
    const missing = ips.filter((ip) => !items.some((a) => a.publicIp === ip));
    if (missing.length) throw Ec2Errors.custom("InvalidAddress.NotFound", `Address '${missing[0]}' not found.`);
    items = items.filter((a) => ips.includes(a.publicIp));
  }
  const r = select(
    items,
    input,
    {
      "allocation-id": (a) => a.allocationId,
      "association-id": (a) => a.associationId,
      domain: () => "vpc",
      "instance-id": (a) => a.instanceId,
      "network-interface-id": (a) => a.eniId,
      "private-ip-address": (a) => a.privateIp,
      "public-ip": (a) => a.publicIp,
      "network-border-group": () => s.region,
      "network-interface-owner-id": (a) => (a.eniId ? s.accountId : undefined),
      "public-ipv4-pool": () => "amazon",
    },
    (a) => a.allocationId,
  );
  return { addressesSet: r.items.map((a) => addrView(s, a)) };
}

// ---------------------------------------------------------------- NAT gateways

export function natState(n: NatRec, delay: number, now = Date.now()): string {
  if (n.target && now - n.since >= delay) {
    n.state = n.target;
    n.target = undefined;
  }
  return n.state;
}

const natView = (s: Ec2State, n: NatRec, delay: number) => ({
  natGatewayId: n.id,
  subnetId: n.subnetId,
  vpcId: n.vpcId,
  state: natState(n, delay),
  createTime: n.createTime,
  deleteTime: n.deleteTime,
  connectivityType: n.connectivityType,
  // Every gateway here is zonal (one subnet); AWS names the mode, and DescribeNatGateways lists no attached appliances.
  availabilityMode: "zonal",
  attachedApplianceSet: [],
  natGatewayAddressSet: [
    { allocationId: n.allocationId, networkInterfaceId: n.eniId, privateIp: n.privateIp, publicIp: n.publicIp, isPrimary: true, status: "succeeded" },
  ],
  tagSet: tagList(n),
});

export function CreateNatGateway(ctx: Ctx, input: Input) {
  onlyTagTypes(input, "natgateway");
  dryRun(input);
  const s = st(ctx);
  const sub = getSubnet(s, required(input, "SubnetId"));
  const connectivityType = String(input.ConnectivityType ?? "public");
  let addr: AddressRec | undefined;
  if (connectivityType === "public") {
    addr = findAddress(s, { AllocationId: required(input, "AllocationId") });
    if (addr.associationId) throw Ec2Errors.addressInUse(addr.allocationId);
  }
  const natId = ec2Id("nat");
  // AWS describes the gateway's interface as "Interface for NAT Gateway nat-…".
  const eni = newEni(s, sub, [], `Interface for NAT Gateway ${natId}`, input.PrivateIpAddress, "nat_gateway");
  eni.requesterManaged = true;
  const n: NatRec = {
    id: natId,
    subnetId: sub.id,
    vpcId: sub.vpcId,
    allocationId: addr?.allocationId,
    connectivityType,
    state: "pending",
    target: "available",
    since: Date.now(),
    createTime: ctx.now(),
    eniId: eni.id,
    privateIp: eni.privateIp,
    publicIp: addr?.publicIp,
    tags: new Map(),
  };
  if (addr) Object.assign(addr, { associationId: ec2Id("eipassoc"), eniId: eni.id, privateIp: eni.privateIp });
  s.nats.set(n.id, n);
  applyTagSpec(s, input, "natgateway", n.id, n);
  const view = natView(s, n, ctx.config.transitionDelayMs + 1);
  // AWS's answer: a public gateway's elastic IP is still associating (no interface or addresses yet); no empty tag set.
  const natGatewayAddressSet = addr ? [{ allocationId: addr.allocationId, isPrimary: true, status: "associating" }] : view.natGatewayAddressSet;
  const natGateway = { ...view, state: "pending", natGatewayAddressSet, attachedApplianceSet: undefined, tagSet: n.tags.size ? view.tagSet : undefined };
  return { natGateway, clientToken: input.ClientToken };
}

export function DeleteNatGateway(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const n = getOr(s.nats, required(input, "NatGatewayId"), "NatGateway", "NAT gateway");
  if (natState(n, ctx.config.transitionDelayMs) !== "deleted") {
    n.state = "deleting";
    n.target = "deleted";
    n.since = Date.now();
    n.deleteTime = ctx.now();
    s.enis.delete(n.eniId);
    releaseIp(s.subnets.get(n.subnetId), n.privateIp);
    const a = n.allocationId ? s.addresses.get(n.allocationId) : undefined;
    if (a) a.associationId = a.eniId = a.privateIp = undefined;
  }
  return { natGatewayId: n.id };
}

export function DescribeNatGateways(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const d = ctx.config.transitionDelayMs;
  const ids = list(input.NatGatewayIds);
  // AWS: "NatGatewayNotFound: NAT gateway nat-... was not found" (the NatGatewayDeleted waiter counts it as deleted).
  const missing = ids.find((id) => !s.nats.has(id));
  if (missing) throw Ec2Errors.custom("NatGatewayNotFound", `NAT gateway ${missing} was not found`);
  const r = select(
    byIds(s.nats, ids, "NatGateway", "NAT gateway"),
    input,
    {
      "nat-gateway-id": (n) => n.id,
      state: (n) => natState(n, d),
      "subnet-id": (n) => n.subnetId,
      "vpc-id": (n) => n.vpcId,
    },
    (n) => n.id,
    { paginate: true },
  );
  return { natGatewaySet: r.items.map((n) => natView(s, n, d)), nextToken: r.nextToken };
}

// ---------------------------------------------------------------- network interfaces

/** An interface's private addresses: the primary (with its public association), then the secondaries. */
function privateIpsView(s: Ec2State, e: EniRec, association: object | undefined) {
  const out: Array<{ privateIpAddress: string; privateDnsName: string; primary: boolean; association?: object }> = e.privateIp
    ? [{ privateIpAddress: e.privateIp, privateDnsName: privateDnsName(s.region, e.privateIp), primary: true, association }]
    : [];
  for (const ip of e.secondaryIps) out.push({ privateIpAddress: ip, privateDnsName: privateDnsName(s.region, ip), primary: false });
  return out;
}

const addressOf = (s: Ec2State, e: EniRec) => {
  for (const a of s.addresses.values()) if (a.eniId === e.id) return a;
  return undefined;
};

/**
 * An interface's public IPv4 address: its elastic IP (owned by the account), else the address auto-assigned at
 * launch on an instance's primary interface (owner "amazon"), which the instance loses while stopped.
 */
export function publicAssociation(s: Ec2State, e: EniRec): { publicIp: string; ipOwnerId: string; allocationId?: string; associationId?: string } | undefined {
  const a = addressOf(s, e);
  if (a) return { publicIp: a.publicIp, ipOwnerId: s.accountId, allocationId: a.allocationId, associationId: a.associationId };
  if (e.publicIp) return { publicIp: e.publicIp, ipOwnerId: "amazon" };
  const i = e.attachment ? s.instances.get(e.attachment.instanceId) : undefined;
  if (!i?.publicIp || i.eniId !== e.id || i.state === "stopped" || i.state === "stopping" || i.state === "terminated") return undefined;
  return { publicIp: i.publicIp, ipOwnerId: "amazon" };
}

/** No service manages interfaces in awsim: every one is operator { managed: false }, as AWS shows. */
const ENI_OPERATOR = Object.freeze({ managed: false });

/**
 * An interface's status: "in-use" while attached to an instance, and always for a requester-managed one (a NAT
 * gateway's, a VPC endpoint's, an ECS task's, an EFS mount target's: the service that made it keeps it in use
 * until it deletes it), else "available".
 */
export const eniStatus = (e: EniRec) => (e.attachment || e.requesterManaged ? "in-use" : "available");

export const eniView = (s: Ec2State, e: EniRec) => {
  const assoc = publicAssociation(s, e);
  const association = assoc ? { ...assoc, publicDnsName: publicDnsName(s.region, assoc.publicIp) } : undefined;
  return {
    networkInterfaceId: e.id,
    subnetId: e.subnetId,
    vpcId: e.vpcId,
    availabilityZone: e.az,
    description: e.description,
    ownerId: s.accountId,
    requesterId: e.requesterId,
    requesterManaged: e.requesterManaged,
    status: eniStatus(e),
    macAddress: e.mac,
    privateIpAddress: e.privateIp || undefined,
    privateDnsName: e.privateIp ? privateDnsName(s.region, e.privateIp) : undefined,
    sourceDestCheck: e.sourceDestCheck,
    interfaceType: e.interfaceType,
    groupSet: e.groups.map((g) => ({ groupId: g, groupName: s.sgs.get(g)?.name })),
    attachment: attachmentView(s, e),
    association,
    privateIpAddressesSet: privateIpsView(s, e, association),
    // No address is made primary (EnablePrimaryIpv6 is not simulated): AWS shows isPrimaryIpv6 false on each, and the
    // interface's IPv6 address (ipv6Address) is its first one (create-network-interface's dual-stack example).
    ipv6AddressesSet: e.ipv6Ips.map((ipv6Address) => ({ ipv6Address, isPrimaryIpv6: false })),
    ipv6Address: e.ipv6Ips[0],
    ipv4PrefixSet: e.ipv4Prefixes?.length ? e.ipv4Prefixes.map((ipv4Prefix) => ({ ipv4Prefix })) : undefined,
    ipv6PrefixSet: e.ipv6Prefixes?.length ? e.ipv6Prefixes.map((ipv6Prefix) => ({ ipv6Prefix })) : undefined,
    publicIpDnsNameOptions: eniDnsOptionsView(s, e.id, assoc?.publicIp),
    tagSet: tagList(e),
    operator: ENI_OPERATOR,
    availabilityZoneId: zoneIdOf(s.region, e.az),
  };
};

/** AWS's default quota of security groups per network interface. */
export const SGS_PER_INTERFACE = 5;

export function CreateNetworkInterface(ctx: Ctx, input: Input) {
  onlyTagTypes(input, "network-interface");
  dryRun(input);
  const s = st(ctx);
  const sub = getSubnet(s, required(input, "SubnetId"));
  const groups = list(input.Groups);
  for (const g of groups) {
    const sg = s.sgs.get(g);
    if (!sg) throw Ec2Errors.groupNotFound(g);
    if (sg.vpcId !== sub.vpcId) throw Ec2Errors.custom("InvalidParameter", `Security group ${g} and subnet ${sub.id} belong to different networks.`);
  }
  // The default quota of security groups per interface (5): AWS's answer to CreateNetworkInterface beyond it
  // (amazon-vpc-resource-controller-k8s#583, creating a branch ENI with 7 groups).
  if (new Set(groups).size > SGS_PER_INTERFACE)
    throw Ec2Errors.invalidValue(`user ${s.accountId} exceeded limit ${SGS_PER_INTERFACE} on the number of interface security group memberships`);
  const ipv6 = ((input.Ipv6Addresses ?? []) as Array<{ Ipv6Address?: string }>).map((x) => String(x.Ipv6Address));
  // A subnet's AssignIpv6AddressOnCreation gives the interface one IPv6 address unless Ipv6AddressCount says otherwise
  // ("you can override that setting by specifying 0 as the IPv6 address count", CreateNetworkInterface reference).
  const asked = input.Ipv6Addresses !== undefined || input.Ipv6Prefixes !== undefined || input.Ipv6PrefixCount !== undefined;
  const ipv6Count = Number(input.Ipv6AddressCount ?? (sub.assignIpv6 && !asked ? 1 : 0));
  if ((ipv6.length || ipv6Count) && !sub.ipv6) throw Ec2Errors.invalidValue(`The subnet ${sub.id} does not have an IPv6 CIDR block.`);
  const def = [...s.sgs.values()].find((g) => g.vpcId === sub.vpcId && g.name === "default");
  // PrivateIpAddresses: the one marked Primary (else the first, unless PrivateIpAddress names it) is the primary, the rest secondaries.
  const specs = (Array.isArray(input.PrivateIpAddresses) ? input.PrivateIpAddresses : []) as Array<{ PrivateIpAddress?: string; Primary?: boolean }>;
  const primarySpec = input.PrivateIpAddress === undefined ? (specs.find((x) => x.Primary === true) ?? specs[0]) : undefined;
  const secondarySpecs = specs.filter((x) => x !== primarySpec && x.PrivateIpAddress);
  const secondaryCount = Number(input.SecondaryPrivateIpAddressCount ?? 0);
  const v4Prefixes = ((input.Ipv4Prefixes ?? []) as Array<{ Ipv4Prefix?: string }>).map((x) => String(x.Ipv4Prefix));
  const v4PrefixCount = Number(input.Ipv4PrefixCount ?? 0);
  const v6Prefixes = ((input.Ipv6Prefixes ?? []) as Array<{ Ipv6Prefix?: string }>).map((x) => String(x.Ipv6Prefix));
  const v6PrefixCount = Number(input.Ipv6PrefixCount ?? 0);
  if ((v6Prefixes.length || v6PrefixCount) && !sub.ipv6) throw Ec2Errors.invalidValue(`The subnet ${sub.id} does not have an IPv6 CIDR block.`);
  needAddresses(sub, (sub.ipv6Native ? 0 : 1) + secondarySpecs.length + secondaryCount, v4Prefixes.length + v4PrefixCount);
  const eni = newEni(
    s,
    sub,
    groups.length ? groups : def ? [def.id] : [],
    String(input.Description ?? ""),
    input.PrivateIpAddress ?? primarySpec?.PrivateIpAddress,
    input.InterfaceType ?? "interface",
  );
  try {
    for (const x of secondarySpecs) if (x.PrivateIpAddress !== eni.privateIp) eni.secondaryIps.push(allocateIp(sub, x.PrivateIpAddress));
    for (let i = 0; i < secondaryCount; i++) eni.secondaryIps.push(allocateIp(sub));
    if (v4Prefixes.length || v4PrefixCount) {
      eni.ipv4Prefixes = [];
      for (const p of v4Prefixes) eni.ipv4Prefixes.push(allocatePrefix(sub, p));
      for (let i = 0; i < v4PrefixCount; i++) eni.ipv4Prefixes.push(allocatePrefix(sub));
    }
    ipv6OnlyRequest(sub, eni, ipv6, ipv6Count);
    if (ipv6.length || ipv6Count) addIpv6(s, eni, ipv6, ipv6Count);
    if (v6Prefixes.length || v6PrefixCount) addIpv6Prefixes(s, eni, v6Prefixes, v6PrefixCount);
  } catch (err) {
    removeEni(s, eni);
    throw err;
  }
  eni.requesterId = ctx.caller?.userId ?? ctx.accountId;
  applyTagSpec(s, input, "network-interface", eni.id, eni);
  // AWS answers the new interface as pending; DescribeNetworkInterfaces shows it available.
  return { networkInterface: { ...eniView(s, eni), status: "pending" }, clientToken: input.ClientToken };
}

export function DescribeNetworkInterfaces(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  // "You cannot specify this parameter and the network interface IDs parameter in the same request."
  if (list(input.NetworkInterfaceIds).length && input.MaxResults !== undefined)
    throw Ec2Errors.invalidCombination("The parameter NetworkInterfaceIds cannot be used with the parameter MaxResults");
  const r = select(
    byIds(s.enis, list(input.NetworkInterfaceIds), "NetworkInterface", "networkInterface"),
    input,
    {
      "network-interface-id": (e) => e.id,
      "subnet-id": (e) => e.subnetId,
      "vpc-id": (e) => e.vpcId,
      "availability-zone": (e) => e.az,
      status: (e) => eniStatus(e),
      description: (e) => e.description,
      "private-ip-address": (e) => ipv4Of(e),
      "attachment.instance-id": (e) => e.attachment?.instanceId,
      "attachment.attachment-id": (e) => (e.attachment ?? e.detached)?.id,
      "attachment.status": (e) => (e.attachment ? "attached" : e.detached ? "detached" : undefined),
      "group-id": (e) => e.groups,
      "mac-address": (e) => e.mac,
      "owner-id": () => s.accountId,
      "requester-managed": (e) => String(e.requesterManaged),
      "interface-type": (e) => e.interfaceType,
      "addresses.primary": (e) => [...(e.privateIp ? ["true"] : []), ...e.secondaryIps.map(() => "false")],
      "addresses.private-ip-address": (e) => ipv4Of(e),
      "addresses.association.public-ip": (e) => publicAssociation(s, e)?.publicIp,
      "addresses.association.owner-id": (e) => publicAssociation(s, e)?.ipOwnerId,
      "association.public-ip": (e) => publicAssociation(s, e)?.publicIp,
      "association.allocation-id": (e) => addressOf(s, e)?.allocationId,
      "association.association-id": (e) => addressOf(s, e)?.associationId,
      "association.ip-owner-id": (e) => publicAssociation(s, e)?.ipOwnerId,
      "attachment.attach-time": (e) => e.attachment?.attachTime.toISOString(),
      "attachment.delete-on-termination": (e) => (e.attachment ? String(e.attachment.deleteOnTermination) : undefined),
      "attachment.device-index": (e) => e.attachment?.deviceIndex,
      "attachment.instance-owner-id": (e) => (e.attachment ? s.accountId : undefined),
      "group-name": (e) => e.groups.map((g) => s.sgs.get(g)?.name),
      "ipv6-addresses.ipv6-address": (e) => e.ipv6Ips,
      "private-dns-name": (e) => (e.privateIp ? privateDnsName(s.region, e.privateIp) : undefined),
      "source-dest-check": (e) => String(e.sourceDestCheck),
      "requester-id": (e) => e.requesterId,
      "operator.managed": () => "false",
      "operator.principal": () => undefined,
      "association.public-dns-name": (e) => {
        const ip = publicAssociation(s, e)?.publicIp;
        return ip ? publicDnsName(s.region, ip) : undefined;
      },
      "availability-zone-id": (e) => zonesOf(s.region).find((z) => z.name === e.az)?.id,
    },
    (e) => e.id,
    { paginate: true },
  );
  return { networkInterfaceSet: r.items.map((e) => eniView(s, e)), nextToken: r.nextToken };
}

export function AttachNetworkInterface(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const eni = getOr(s.enis, required(input, "NetworkInterfaceId"), "NetworkInterface", "networkInterface");
  const inst = s.instances.get(required(input, "InstanceId"));
  if (!inst || inst.state === "terminated") throw Ec2Errors.notFound("Instance", "instance", [String(input.InstanceId)]);
  if (eni.attachment) throw Ec2Errors.eniInUse(eni.id);
  const deviceIndex = Number(required(input, "DeviceIndex"));
  const card = Number(input.NetworkCardIndex ?? 0);
  const attached = inst.eniIds.map((id) => s.enis.get(id)).filter((e) => e?.attachment?.instanceId === inst.id) as EniRec[];
  if (attached.some((e) => e.attachment!.deviceIndex === deviceIndex && (e.attachment!.networkCardIndex ?? 0) === card)) {
    throw Ec2Errors.invalidValue(`Instance '${inst.id}' already has an interface attached at device index '${deviceIndex}'.`);
  }
  checkAttachLimits(inst.instanceType, eni, attached, card);
  eni.attachment = { id: ec2Id("eni-attach"), instanceId: inst.id, deviceIndex, attachTime: ctx.now(), deleteOnTermination: false, networkCardIndex: card };
  eni.detached = undefined;
  inst.eniIds.push(eni.id);
  return { attachmentId: eni.attachment.id, networkCardIndex: card };
}

/**
 * The instance type's interface limits, with AWS's answers (seen by amazon-vpc-cni-k8s and Cilium): one interface too
 * many on a network card is AttachmentLimitExceeded "Interface count N exceeds the limit for TYPE"; an interface holding
 * more addresses (and prefixes) than the type allows per interface is InvalidInterface.IpAddressLimitExceeded
 * "Address count N on interface-HEX exceeds the limit for TYPE". Types without AWS records have no limits here.
 */
function checkAttachLimits(type: string, eni: EniRec, attached: EniRec[], card: number): void {
  const info = awsInstanceTypes().get(type)?.networkInfo;
  if (!info) return;
  const onCard = attached.filter((e) => (e.attachment!.networkCardIndex ?? 0) === card).length + 1;
  const perCard = info.networkCards?.find((c: { networkCardIndex?: number }) => c.networkCardIndex === card)?.maximumNetworkInterfaces;
  const max = perCard ?? info.maximumNetworkInterfaces;
  if (typeof max === "number" && onCard > max) throw Ec2Errors.custom("AttachmentLimitExceeded", `Interface count ${onCard} exceeds the limit for ${type}`);
  const perInterface = info.ipv4AddressesPerInterface;
  if (typeof perInterface === "number" && ipv4Slots(eni) > perInterface)
    throw Ec2Errors.custom(
      "InvalidInterface.IpAddressLimitExceeded",
      `Address count ${ipv4Slots(eni)} on ${eni.id.replace(/^eni-/, "interface-")} exceeds the limit for ${type}`,
    );
}

/** An interface's attachment as DescribeNetworkInterfaces shows it: the current one, or the last one as "detached". */
function attachmentView(s: Ec2State, e: EniRec) {
  const a = e.attachment ?? e.detached;
  if (!a) return undefined;
  return {
    attachmentId: a.id,
    instanceId: a.instanceId,
    instanceOwnerId: s.accountId,
    deviceIndex: a.deviceIndex,
    status: e.attachment ? "attached" : "detached",
    attachTime: a.attachTime,
    deleteOnTermination: a.deleteOnTermination,
    networkCardIndex: a.networkCardIndex ?? 0,
  };
}

export function DetachNetworkInterface(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const id = required(input, "AttachmentId");
  const eni = [...s.enis.values()].find((e) => e.attachment?.id === id);
  // AWS's text: aws-nuke (resources/ec2-network-interfaces.go) matches it to go on and delete an interface whose
  // attachment went with its instance; serverless users quote it too ("The interface attachment '...' does not exist.").
  if (!eni) throw Ec2Errors.custom("InvalidAttachmentID.NotFound", `The interface attachment '${id}' does not exist.`);
  // AWS's text names the card too (console and API answers quoted by users; the CNI never detaches device 0 on card 0).
  if (eni.attachment!.deviceIndex === 0 && (eni.attachment!.networkCardIndex ?? 0) === 0)
    throw Ec2Errors.custom("OperationNotPermitted", "The network interface at device index 0 and networkCard index 0 cannot be detached.");
  const inst = s.instances.get(eni.attachment!.instanceId);
  if (inst) inst.eniIds = inst.eniIds.filter((x) => x !== eni.id);
  eni.detached = eni.attachment;
  eni.attachment = undefined;
  return { return: true };
}

export function DeleteNetworkInterface(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const eni = getOr(s.enis, required(input, "NetworkInterfaceId"), "NetworkInterface", "networkInterface");
  // A requester-managed interface is in use by the service that made it until that service deletes it. AWS answers
  // InvalidParameterValue here, not InvalidNetworkInterface.InUse (amazon-vpc-cni-k8s#1399's CloudTrail record of an
  // attached ENI; cloud-nuke#431 for a VPC endpoint's).
  if (eni.attachment || eni.requesterManaged) throw Ec2Errors.invalidValue(`Network interface '${eni.id}' is currently in use.`);
  removeEni(s, eni);
  return { return: true };
}
