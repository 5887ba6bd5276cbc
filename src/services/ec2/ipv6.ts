/**
 * IPv6 and extra CIDR blocks: Amazon-provided /56 blocks on VPCs, /64 blocks on subnets, secondary IPv4
 * blocks, IPv6 and secondary private addresses on network interfaces; VPC tenancy and the
 * network-address-usage-metrics attribute.
 */
import { randomBytes } from "node:crypto";
import type { Ctx } from "../core/types.js";
import { ec2Id } from "../core/ids.js";
import { cidrOverlap, dryRun, ipToString, list, parseCidr, required, st, type Input } from "./common.js";
import { Ec2Errors } from "./errors.js";
import { addIpv6NaclEntries } from "./nacls.js";
import {
  SGS_PER_INTERFACE,
  addLocalRoute,
  allocateIp,
  allocatePrefix,
  getSubnet,
  getVpc,
  ipv4SlotLimit,
  ipv4Slots,
  needAddresses,
  releaseIp,
  releasePrefix,
  removeLocalRoute,
} from "./network.js";
import type { Ec2State, EniRec, SubnetRec, VpcRec } from "./state.js";

const e = Ec2Errors.custom;

/** An IPv6 address or block → its 8 groups as numbers (undefined when malformed). */
export function ipv6Groups(addr: string): number[] | undefined {
  const [head, tail, ...rest] = addr.toLowerCase().split("::");
  if (rest.length) return undefined;
  const part = (x: string | undefined) => (x ? x.split(":") : []);
  const h = part(head);
  const t = part(tail);
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  if (fill < 0 || (tail === undefined && h.length !== 8)) return undefined;
  const groups = [...h, ...Array(fill).fill("0"), ...t];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => Number.parseInt(g, 16));
}

const fmt = (g: number[]) =>
  g
    .map((x) => x.toString(16))
    .join(":")
    .replace(/(^|:)0(:0)+(:|$)/, "::")
    .replace(/:{3,}/, "::");

export function parseIpv6Cidr(c: string): { groups: number[]; bits: number } | undefined {
  const m = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(c);
  if (!m || Number(m[2]) > 128) return undefined;
  const groups = ipv6Groups(m[1]!);
  return groups ? { groups, bits: Number(m[2]) } : undefined;
}

/** Does block `outer` contain block `inner` (both IPv6 CIDRs)? */
export function ipv6Contains(outer: string, inner: string): boolean {
  const a = parseIpv6Cidr(outer);
  const b = parseIpv6Cidr(inner);
  if (!a || !b || b.bits < a.bits) return false;
  for (let bit = 0; bit < a.bits; bit++) {
    const gi = Math.floor(bit / 16);
    const mask = 1 << (15 - (bit % 16));
    if ((a.groups[gi]! & mask) !== (b.groups[gi]! & mask)) return false;
  }
  return true;
}

export function amazonIpv6Block(): string {
  const r = randomBytes(3);
  return `2600:1f18:${r.readUInt16BE(0).toString(16)}:${((1 + (r[2]! % 255)) << 8).toString(16)}::/56`;
}

/** A random address in a subnet's /64. */
export function ipv6Address(sub: SubnetRec): string {
  const p = parseIpv6Cidr(sub.ipv6!.cidr)!;
  const r = randomBytes(8);
  const groups = [...p.groups.slice(0, 4), r.readUInt16BE(0), r.readUInt16BE(2), r.readUInt16BE(4), r.readUInt16BE(6)];
  return fmt(groups);
}

export const vpcIpv6View = (s: Ec2State, v: VpcRec) =>
  v.ipv6.map((b) => ({
    associationId: b.associationId,
    ipv6CidrBlock: b.cidr,
    ipv6CidrBlockState: { state: "associated" },
    networkBorderGroup: s.region,
    ipv6Pool: "Amazon",
    ipSource: "amazon",
    ipv6AddressAttribute: "public",
  }));

export const vpcCidrView = (v: VpcRec) => [
  { associationId: v.cidrAssociationId, cidrBlock: v.cidr, cidrBlockState: { state: "associated" } },
  ...v.secondaryCidrs.map((c) => ({ associationId: c.associationId, cidrBlock: c.cidr, cidrBlockState: { state: "associated" } })),
];

export const subnetIpv6View = (x: SubnetRec) =>
  x.ipv6
    ? [
        {
          associationId: x.ipv6.associationId,
          ipv6CidrBlock: x.ipv6.cidr,
          ipv6CidrBlockState: { state: "associated" },
          ipSource: "amazon",
          ipv6AddressAttribute: "public",
        },
      ]
    : [];

export function AssociateVpcCidrBlock(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const v = getVpc(s, required(input, "VpcId"));
  if (input.AmazonProvidedIpv6CidrBlock === true || input.Ipv6CidrBlock !== undefined) {
    if (v.ipv6.length) throw Ec2Errors.invalidValue(`The vpc ${v.id} already has an IPv6 CIDR block associated with it.`);
    if (input.Ipv6CidrBlock !== undefined && !parseIpv6Cidr(input.Ipv6CidrBlock))
      throw Ec2Errors.invalidValue(`Value (${input.Ipv6CidrBlock}) for parameter ipv6CidrBlock is invalid.`);
    const b = { associationId: ec2Id("vpc-cidr-assoc"), cidr: input.Ipv6CidrBlock ?? amazonIpv6Block() };
    v.ipv6.push(b);
    addLocalRoute(s, v.id, b.cidr);
    addIpv6NaclEntries(s, v.id);
    if (input.Ipv6CidrBlock !== undefined)
      return { vpcId: v.id, ipv6CidrBlockAssociation: { ...vpcIpv6View(s, v)[0], ipv6CidrBlockState: { state: "associating" } } };
    // An Amazon-provided block is allocated after the answer, which names only the association (AWS's example).
    return {
      vpcId: v.id,
      ipv6CidrBlockAssociation: { associationId: b.associationId, ipv6CidrBlockState: { state: "associating" }, networkBorderGroup: s.region },
    };
  }
  const cidr = required(input, "CidrBlock");
  const c = parseCidr(cidr);
  if (!c) throw Ec2Errors.invalidValue(`Value (${cidr}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
  if (c.bits < 16 || c.bits > 28) throw Ec2Errors.vpcRange(cidr);
  const norm = `${ipToString(c.base)}/${c.bits}`;
  if ([v.cidr, ...v.secondaryCidrs.map((x) => x.cidr)].some((x) => cidrOverlap(x, norm)))
    throw e("InvalidVpc.Range", `The CIDR '${cidr}' conflicts with another CIDR block of ${v.id}.`);
  if (v.secondaryCidrs.length >= 4) throw e("CidrLimitExceeded", `This network '${v.id}' has met its maximum number of allowed CIDRs: 5`);
  dryRun(input);
  const assoc = { associationId: ec2Id("vpc-cidr-assoc"), cidr: norm };
  v.secondaryCidrs.push(assoc);
  addLocalRoute(s, v.id, norm);
  return { vpcId: v.id, cidrBlockAssociation: { associationId: assoc.associationId, cidrBlock: norm, cidrBlockState: { state: "associating" } } };
}

export function DisassociateVpcCidrBlock(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const id = required(input, "AssociationId");
  for (const v of s.vpcs.values()) {
    if (v.cidrAssociationId === id)
      throw e("OperationNotPermitted", `The vpc CIDR block with association ID ${id} may not be disassociated. It is the primary IPv4 CIDR block of the VPC`);
    const b6 = v.ipv6.find((b) => b.associationId === id);
    if (b6) {
      if ([...s.subnets.values()].some((x) => x.vpcId === v.id && x.ipv6))
        throw e("InvalidCidrBlock.InUse", `The vpc ${v.id} currently has a subnet within CIDR block ${b6.cidr}`);
      dryRun(input);
      v.ipv6 = v.ipv6.filter((b) => b !== b6);
      removeLocalRoute(s, v.id, b6.cidr);
      return { vpcId: v.id, ipv6CidrBlockAssociation: { associationId: id, ipv6CidrBlock: b6.cidr, ipv6CidrBlockState: { state: "disassociating" } } };
    }
    const b4 = v.secondaryCidrs.find((b) => b.associationId === id);
    if (b4) {
      if ([...s.subnets.values()].some((x) => x.vpcId === v.id && cidrOverlap(x.cidr, b4.cidr)))
        throw e("InvalidCidrBlock.InUse", `The vpc ${v.id} currently has a subnet within CIDR block ${b4.cidr}`);
      dryRun(input);
      v.secondaryCidrs = v.secondaryCidrs.filter((b) => b !== b4);
      removeLocalRoute(s, v.id, b4.cidr);
      return { vpcId: v.id, cidrBlockAssociation: { associationId: id, cidrBlock: b4.cidr, cidrBlockState: { state: "disassociating" } } };
    }
  }
  throw e("InvalidVpcCidrBlockAssociationID.NotFound", `The vpc CIDR block association ID '${id}' does not exist`);
}

/** Check and attach a /64 to a subnet (CreateSubnet and AssociateSubnetCidrBlock). */
export function setSubnetIpv6(s: Ec2State, sub: SubnetRec, cidr: string): void {
  const v = s.vpcs.get(sub.vpcId)!;
  const p = parseIpv6Cidr(cidr);
  if (!p) throw Ec2Errors.invalidValue(`Value (${cidr}) for parameter ipv6CidrBlock is invalid.`);
  if (p.bits !== 64) throw e("InvalidSubnet.Range", `The IPv6 CIDR '${cidr}' is invalid. Subnet IPv6 CIDR blocks must be /64.`);
  if (!v.ipv6.some((b) => ipv6Contains(b.cidr, cidr))) throw e("InvalidSubnet.Range", `The IPv6 CIDR '${cidr}' is invalid.`);
  if ([...s.subnets.values()].some((x) => x !== sub && x.ipv6 && ipv6Contains(x.ipv6.cidr, cidr)))
    throw e("InvalidSubnet.Conflict", `The IPv6 CIDR '${cidr}' conflicts with another subnet`);
  sub.ipv6 = { associationId: ec2Id("subnet-cidr-assoc"), cidr: cidr.toLowerCase() };
}

export function AssociateSubnetCidrBlock(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const sub = getSubnet(s, required(input, "SubnetId"));
  if (sub.ipv6) throw Ec2Errors.invalidValue(`The subnet ${sub.id} already has an IPv6 CIDR block associated with it.`);
  setSubnetIpv6(s, sub, required(input, "Ipv6CidrBlock"));
  return { subnetId: sub.id, ipv6CidrBlockAssociation: { ...subnetIpv6View(sub)[0], ipv6CidrBlockState: { state: "associating" } } };
}

export function DisassociateSubnetCidrBlock(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const id = required(input, "AssociationId");
  const sub = [...s.subnets.values()].find((x) => x.ipv6?.associationId === id);
  if (!sub) throw e("InvalidSubnetCidrBlockAssociationID.NotFound", `The subnet CIDR block with association ID '${id}' does not exist`);
  if ([...s.enis.values()].some((x) => x.subnetId === sub.id && x.ipv6Ips.length))
    throw e("InvalidCidrBlock.InUse", `The subnet ${sub.id} has IPv6 addresses in use.`);
  const view = { ...subnetIpv6View(sub)[0], ipv6CidrBlockState: { state: "disassociating" } };
  sub.ipv6 = undefined;
  sub.assignIpv6 = false;
  return { subnetId: sub.id, ipv6CidrBlockAssociation: view };
}

// ---------------------------------------------------------------- interface addresses

function getEni(s: Ec2State, id: string): EniRec {
  const x = s.enis.get(id);
  if (!x) throw Ec2Errors.notFound("NetworkInterface", "networkInterface", [id]);
  return x;
}

/** Give an interface IPv6 addresses (explicit, or a count from its subnet's /64). */
export function addIpv6(s: Ec2State, eni: EniRec, explicit: string[], count: number): string[] {
  const sub = s.subnets.get(eni.subnetId)!;
  if ((explicit.length || count) && !sub.ipv6) throw Ec2Errors.invalidValue(`The subnet ${sub.id} does not have an IPv6 CIDR block.`);
  const added: string[] = [];
  for (const ip of explicit) {
    if (!ipv6Contains(sub.ipv6!.cidr, `${ip}/128`)) throw Ec2Errors.invalidValue(`Address ${ip} does not fall within the subnet's address range`);
    if ([...s.enis.values()].some((x) => x.ipv6Ips.includes(ip))) throw e("InvalidIPAddress.InUse", `Address ${ip} is in use.`);
    added.push(ip);
  }
  for (let i = 0; i < count; i++) added.push(ipv6Address(sub));
  eni.ipv6Ips.push(...added);
  return added;
}

/**
 * Give an interface delegated IPv6 /80 prefixes from its subnet's /64 (explicit ones, or a count of fresh ones).
 * Prefix delegation is how amazon-vpc-cni-k8s gives IPv6 pods addresses (AssignIpv6Addresses Ipv6PrefixCount 1).
 */
export function addIpv6Prefixes(s: Ec2State, eni: EniRec, explicit: string[], count: number): string[] {
  const sub = s.subnets.get(eni.subnetId)!;
  if ((explicit.length || count) && !sub.ipv6) throw Ec2Errors.invalidValue(`The subnet ${sub.id} does not have an IPv6 CIDR block.`);
  const taken = new Set([...s.enis.values()].filter((x) => x.subnetId === sub.id).flatMap((x) => x.ipv6Prefixes ?? []));
  const added: string[] = [];
  for (const p of explicit) {
    const q = parseIpv6Cidr(p) ?? { groups: [], bits: 0 };
    if (q.bits !== 80 || !ipv6Contains(sub.ipv6!.cidr, p)) throw Ec2Errors.invalidValue(`The prefix ${p} is not a valid /80 IPv6 prefix of subnet ${sub.id}.`);
    const norm = `${fmt(q.groups)}/80`;
    if (taken.has(norm)) throw e("InvalidIPAddress.InUse", `Address ${p} is in use.`);
    taken.add(norm);
    added.push(norm);
  }
  const base = parseIpv6Cidr(sub.ipv6?.cidr ?? "::/64")!.groups.slice(0, 4);
  while (added.length < explicit.length + count) {
    const p = `${fmt([...base, randomBytes(2).readUInt16BE(0), 0, 0, 0])}/80`;
    if (taken.has(p)) continue;
    taken.add(p);
    added.push(p);
  }
  eni.ipv6Prefixes = [...(eni.ipv6Prefixes ?? []), ...added];
  return added;
}

export function AssignIpv6Addresses(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const eni = getEni(s, required(input, "NetworkInterfaceId"));
  const prefixes = list(input.Ipv6Prefixes);
  const prefixCount = Number(input.Ipv6PrefixCount ?? 0);
  const before = eni.ipv6Ips.length;
  const added = addIpv6(s, eni, list(input.Ipv6Addresses), Number(input.Ipv6AddressCount ?? 0));
  let addedPrefixes: string[];
  try {
    addedPrefixes = addIpv6Prefixes(s, eni, prefixes, prefixCount);
  } catch (err) {
    eni.ipv6Ips = eni.ipv6Ips.slice(0, before);
    throw err;
  }
  return { networkInterfaceId: eni.id, assignedIpv6Addresses: added, assignedIpv6PrefixSet: addedPrefixes };
}

export function UnassignIpv6Addresses(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const eni = getEni(s, required(input, "NetworkInterfaceId"));
  const ips = list(input.Ipv6Addresses);
  for (const ip of ips) if (!eni.ipv6Ips.includes(ip)) throw e("InvalidParameterValue", `Address ${ip} is not assigned to ${eni.id}`);
  const prefixes = list(input.Ipv6Prefixes);
  for (const p of prefixes) if (!eni.ipv6Prefixes?.includes(p)) throw e("InvalidParameterValue", `Prefix ${p} is not assigned to ${eni.id}`);
  eni.ipv6Ips = eni.ipv6Ips.filter((x) => !ips.includes(x));
  if (prefixes.length) eni.ipv6Prefixes = eni.ipv6Prefixes!.filter((x) => !prefixes.includes(x));
  return { networkInterfaceId: eni.id, unassignedIpv6Addresses: ips, unassignedIpv6PrefixSet: prefixes };
}

/**
 * Secondary addresses and delegated /28 prefixes. An attached interface holds at most its instance type's
 * Ipv4AddressesPerInterface (the primary, each secondary and each prefix take one): more is AWS's
 * PrivateIpAddressLimitExceeded "Number of private addresses will exceed limit." (amazon-vpc-cni-k8s#989).
 */
export function AssignPrivateIpAddresses(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const eni = getEni(s, required(input, "NetworkInterfaceId"));
  const sub = s.subnets.get(eni.subnetId)!;
  const explicit = list(input.PrivateIpAddresses);
  const count = Number(input.SecondaryPrivateIpAddressCount ?? 0);
  const prefixes = list(input.Ipv4Prefixes);
  const prefixCount = Number(input.Ipv4PrefixCount ?? 0);
  if (!explicit.length && !count && !prefixes.length && !prefixCount) throw Ec2Errors.missing("PrivateIpAddresses or SecondaryPrivateIpAddressCount");
  const limit = ipv4SlotLimit(s, eni);
  if (limit && ipv4Slots(eni) + explicit.length + count + prefixes.length + prefixCount > limit.limit)
    throw e("PrivateIpAddressLimitExceeded", "Number of private addresses will exceed limit.");
  dryRun(input);
  needAddresses(sub, explicit.filter((ip) => !eni.secondaryIps.includes(ip)).length + count, prefixes.length + prefixCount);
  const added: string[] = [];
  const addedPrefixes: string[] = [];
  try {
    for (const ip of explicit) added.push(allocateIp(sub, ip));
    for (let i = 0; i < count; i++) added.push(allocateIp(sub));
    for (const p of prefixes) addedPrefixes.push(allocatePrefix(sub, p));
    for (let i = 0; i < prefixCount; i++) addedPrefixes.push(allocatePrefix(sub));
  } catch (err) {
    for (const ip of added) releaseIp(sub, ip);
    for (const p of addedPrefixes) releasePrefix(sub, p);
    throw err;
  }
  eni.secondaryIps.push(...added);
  if (addedPrefixes.length) eni.ipv4Prefixes = [...(eni.ipv4Prefixes ?? []), ...addedPrefixes];
  return {
    networkInterfaceId: eni.id,
    assignedPrivateIpAddressesSet: added.map((privateIpAddress) => ({ privateIpAddress })),
    assignedIpv4PrefixSet: addedPrefixes.map((ipv4Prefix) => ({ ipv4Prefix })),
  };
}

export function UnassignPrivateIpAddresses(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const eni = getEni(s, required(input, "NetworkInterfaceId"));
  const ips = list(input.PrivateIpAddresses);
  for (const ip of ips)
    if (!eni.secondaryIps.includes(ip)) throw Ec2Errors.invalidValue(`Some of the specified addresses are not assigned to interface ${eni.id}`);
  const prefixes = list(input.Ipv4Prefixes);
  for (const p of prefixes)
    if (!eni.ipv4Prefixes?.includes(p)) throw Ec2Errors.invalidValue(`Some of the specified prefixes are not assigned to interface ${eni.id}`);
  dryRun(input);
  const sub = s.subnets.get(eni.subnetId);
  for (const ip of ips) releaseIp(sub, ip);
  for (const p of prefixes) releasePrefix(sub, p);
  eni.secondaryIps = eni.secondaryIps.filter((x) => !ips.includes(x));
  if (prefixes.length) eni.ipv4Prefixes = eni.ipv4Prefixes!.filter((x) => !prefixes.includes(x));
  return { return: true };
}

export function ModifyNetworkInterfaceAttribute(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const eni = getEni(s, required(input, "NetworkInterfaceId"));
  const groups = list(input.Groups);
  for (const g of groups) {
    const sg = s.sgs.get(g);
    if (!sg) throw Ec2Errors.groupNotFound(g);
    if (sg.vpcId !== eni.vpcId) throw Ec2Errors.invalidValue(`Security group ${g} and interface ${eni.id} belong to different networks.`);
  }
  // aws-load-balancer-controller#682: attaching a sixth group to an instance's interface.
  if (new Set(groups).size > SGS_PER_INTERFACE)
    throw e("SecurityGroupsPerInterfaceLimitExceeded", "The maximum number of security groups per interface has been reached.");
  if (input.Attachment && input.Attachment.AttachmentId !== eni.attachment?.id)
    throw e("InvalidAttachmentID.NotFound", `Interface attachment '${input.Attachment.AttachmentId}' not found.`);
  dryRun(input);
  if (groups.length) {
    eni.groups = groups;
    const inst = eni.attachment ? s.instances.get(eni.attachment.instanceId) : undefined;
    if (inst && inst.eniId === eni.id) inst.groups = [...groups];
  }
  if (input.SourceDestCheck?.Value !== undefined) {
    eni.sourceDestCheck = input.SourceDestCheck.Value === true;
    const inst = eni.attachment ? s.instances.get(eni.attachment.instanceId) : undefined;
    if (inst && inst.eniId === eni.id) inst.sourceDestCheck = eni.sourceDestCheck;
  }
  if (input.Description?.Value !== undefined) eni.description = String(input.Description.Value);
  if (input.Attachment?.DeleteOnTermination !== undefined && eni.attachment) eni.attachment.deleteOnTermination = input.Attachment.DeleteOnTermination === true;
  return { return: true };
}

// ---------------------------------------------------------------- VPC attributes

export function ModifyVpcTenancy(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const v = getVpc(s, required(input, "VpcId"));
  if (input.InstanceTenancy !== "default")
    throw Ec2Errors.invalidValue(`Value (${input.InstanceTenancy}) for parameter instanceTenancy is invalid. Only 'default' is supported.`);
  dryRun(input);
  v.instanceTenancy = "default";
  return { return: true };
}
