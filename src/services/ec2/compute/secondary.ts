/**
 * Secondary networks (type rdma), their secondary subnets and secondary interfaces. A network holds one IPv4
 * block (/12 to /28); its subnets lie inside it, in one zone each, without overlapping one another. Create
 * answers create-in-progress and the resource is create-complete on the next read (after
 * config.transitionDelayMs when set); Delete answers delete-in-progress, then delete-complete, and the deleted
 * resource stays listed for an hour (the SDK's SecondaryNetworkDeleteComplete / SecondarySubnetDeleteComplete
 * waiters read it). A network with live subnets, or a subnet with interfaces, is a DependencyViolation.
 * Secondary interfaces come to exist only through RunInstances (SecondaryInterfaces, also from a launch
 * template), one per network card, with addresses from the subnet (the first four and the last are reserved),
 * and are deleted with their instance. Instance types awsim's DescribeInstanceTypes lists do not support them.
 */
import type { Ctx } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import {
  applyTagSpec,
  dropTags,
  dryRun,
  ipToString,
  list,
  macAddress,
  parseCidr,
  requestedZone,
  select,
  tagsOf,
  zoneIdOf,
  zonesOf,
  type Input,
} from "../common.js";
import { Ec2Errors } from "../errors.js";
import type { Ec2State } from "../state.js";
import { computeOf, cst, type ComputeState, type SecondaryInterfaceRec, type SecondaryNetworkRec, type SecondarySubnetRec } from "./state.js";

const e = Ec2Errors.custom;
const RETENTION_MS = 60 * 60 * 1000;

export const networkNotFound = (id: string) => e("InvalidSecondaryNetworkId.NotFound", `The secondary network ID '${id}' does not exist`);
export const subnetNotFound = (id: string) => e("InvalidSecondarySubnetId.NotFound", `The secondary subnet ID '${id}' does not exist`);
export const interfaceNotFound = (id: string) => e("InvalidSecondaryInterfaceId.NotFound", `The secondary interface ID '${id}' does not exist`);
const notModifiable = (noun: string, id: string) => e("InvalidState", `The ${noun} '${id}' is not in a modifiable state.`);
const mismatch = () =>
  e("IdempotentParameterMismatch", "The client token you have provided is associated with a resource that is already deleted or has different parameters.");

const arn = (s: Ec2State, kind: string, id: string) => `arn:aws:ec2:${s.region}:${s.accountId}:${kind}/${id}`;

type Life = { since: number; deletedAt?: number };

/** The state a network or subnet shows now, and its CIDR association's. */
function lifeOf(x: Life, delay: number, now = Date.now()): { state: string; assoc: string } {
  if (x.deletedAt !== undefined)
    return now - x.deletedAt < delay ? { state: "delete-in-progress", assoc: "disassociating" } : { state: "delete-complete", assoc: "disassociated" };
  return now - x.since < delay ? { state: "create-in-progress", assoc: "associating" } : { state: "create-complete", assoc: "associated" };
}

/** Deleted networks and subnets are listed for an hour, then forgotten. */
function prune(s: Ec2State, c: ComputeState, now = Date.now()): void {
  for (const m of [c.secondaryNetworks, c.secondarySubnets] as Array<Map<string, SecondaryNetworkRec | SecondarySubnetRec>>)
    for (const [id, x] of m)
      if (x.deletedAt !== undefined && now - x.deletedAt > RETENTION_MS) {
        dropTags(s, id, x);
        m.delete(id);
      }
}

type LifeRec = Life & { id: string; seq: number; cidr: string; assocId: string; tags: Map<string, string> };

/** What DescribeSecondaryNetworks/Subnets list: the ids asked for (each must exist) or all, with their state now. */
function lifeRows<T extends LifeRec>(m: Map<string, T>, ids: string[], notFound: (id: string) => Error, delay: number) {
  for (const id of ids) if (!m.has(id)) throw notFound(id);
  return (ids.length ? [...new Set(ids)].map((id) => m.get(id)!) : [...m.values()]).map((x) => ({ x, life: lifeOf(x, delay), tags: x.tags }));
}

/** The filters both share: the CIDR association and the owner. */
const assocFilters = <T extends LifeRec>(s: Ec2State) => ({
  "ipv4-cidr-block-association.association-id": (r: { x: T }) => r.x.assocId,
  "ipv4-cidr-block-association.cidr-block": (r: { x: T }) => r.x.cidr,
  "ipv4-cidr-block-association.state": (r: { life: { assoc: string } }) => r.life.assoc,
  "owner-id": () => s.accountId,
  state: (r: { life: { state: string } }) => r.life.state,
});
const bySeq = (r: { x: { seq: number } }) => String(r.x.seq).padStart(12, "0");

function networkView(s: Ec2State, x: SecondaryNetworkRec, life: { state: string; assoc: string }) {
  return {
    SecondaryNetworkId: x.id,
    SecondaryNetworkArn: arn(s, "secondary-network", x.id),
    OwnerId: s.accountId,
    Type: x.type,
    State: life.state,
    Ipv4CidrBlockAssociations: [{ AssociationId: x.assocId, CidrBlock: x.cidr, State: life.assoc }],
    Tags: tagsOf(x),
  };
}

function subnetView(s: Ec2State, c: ComputeState, x: SecondarySubnetRec, life: { state: string; assoc: string }) {
  return {
    SecondarySubnetId: x.id,
    SecondarySubnetArn: arn(s, "secondary-subnet", x.id),
    SecondaryNetworkId: x.networkId,
    SecondaryNetworkType: c.secondaryNetworks.get(x.networkId)?.type ?? "rdma",
    OwnerId: s.accountId,
    AvailabilityZoneId: x.azId,
    AvailabilityZone: x.az,
    Ipv4CidrBlockAssociations: [{ AssociationId: x.assocId, CidrBlock: x.cidr, State: life.assoc }],
    State: life.state,
    Tags: tagsOf(x),
  };
}

/** An IPv4 block of /12 to /28 in its canonical form (the network address), or InvalidParameterValue. */
function blockOf(cidr: string, what: string): string {
  const p = parseCidr(cidr);
  if (!p) throw Ec2Errors.invalidValue(`Value (${cidr}) for parameter ipv4CidrBlock is invalid. This is not a valid CIDR block.`);
  if (p.bits < 12 || p.bits > 28) throw Ec2Errors.invalidValue(`The ${what} CIDR block ${cidr} is invalid. The CIDR block size must be between /12 and /28.`);
  return `${ipToString(p.base)}/${p.bits}`;
}

function overlaps(a: string, b: string): boolean {
  const x = parseCidr(a)!;
  const y = parseCidr(b)!;
  const bits = Math.min(x.bits, y.bits);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (x.base & mask) >>> 0 === (y.base & mask) >>> 0;
}

function liveNetwork(c: ComputeState, id: string): SecondaryNetworkRec {
  const x = c.secondaryNetworks.get(id);
  if (!x || x.deletedAt !== undefined) throw networkNotFound(id);
  return x;
}

export function CreateSecondaryNetwork(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const cidr = blockOf(String(input.Ipv4CidrBlock), "secondary network");
  const type = String(input.NetworkType);
  if (input.ClientToken !== undefined) {
    const same = [...c.secondaryNetworks.values()].find((x) => x.clientToken === input.ClientToken);
    if (same) {
      if (same.deletedAt !== undefined || same.cidr !== cidr || same.type !== type) throw mismatch();
      return { SecondaryNetwork: networkView(s, same, lifeOf(same, ctx.config.transitionDelayMs)), ClientToken: input.ClientToken };
    }
  }
  dryRun(input);
  const x: SecondaryNetworkRec = {
    id: ec2Id("sn"),
    seq: ++s.seq,
    type,
    cidr,
    assocId: ec2Id("sn-cidr-assoc"),
    since: Date.now(),
    clientToken: input.ClientToken,
    tags: new Map(),
  };
  c.secondaryNetworks.set(x.id, x);
  applyTagSpec(s, input, "secondary-network", x.id, x);
  return { SecondaryNetwork: networkView(s, x, { state: "create-in-progress", assoc: "associating" }), ClientToken: input.ClientToken };
}

export function DeleteSecondaryNetwork(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  prune(s, c);
  const id = String(input.SecondaryNetworkId);
  const x = c.secondaryNetworks.get(id);
  if (!x) throw networkNotFound(id);
  if (x.deletedAt !== undefined) throw notModifiable("secondary network", id);
  if ([...c.secondarySubnets.values()].some((n) => n.networkId === id && n.deletedAt === undefined))
    throw Ec2Errors.dependency(`The secondary network '${id}' has dependencies and cannot be deleted.`);
  dryRun(input);
  x.deletedAt = Date.now();
  return { SecondaryNetwork: networkView(s, x, { state: "delete-in-progress", assoc: "disassociating" }), ClientToken: input.ClientToken };
}

export function DescribeSecondaryNetworks(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, c } = cst(ctx);
  prune(s, c);
  const rows = lifeRows(c.secondaryNetworks, list(input.SecondaryNetworkIds), networkNotFound, ctx.config.transitionDelayMs);
  const r = select(
    rows,
    input,
    {
      ...assocFilters<SecondaryNetworkRec>(s),
      "secondary-network-id": (r) => r.x.id,
      "secondary-network-arn": (r) => arn(s, "secondary-network", r.x.id),
      type: (r) => r.x.type,
    },
    bySeq,
    { paginate: true, min: 5, max: 1000 },
  );
  return { SecondaryNetworks: r.items.map((r) => networkView(s, r.x, r.life)), NextToken: r.nextToken };
}

/** The zone of a new secondary subnet: AvailabilityZone or AvailabilityZoneId (not both), else the region's first. */
function zoneFor(s: Ec2State, input: Input): { name: string; id: string } {
  const zones = zonesOf(s.region);
  return (
    requestedZone(
      s.region,
      input.AvailabilityZone,
      input.AvailabilityZoneId,
      (az) =>
        `Value (${az}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${zones.map((z) => z.name).join(", ")}.`,
    ) ?? zones[0]!
  );
}

export function CreateSecondarySubnet(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  prune(s, c);
  const net = liveNetwork(c, String(input.SecondaryNetworkId));
  const cidr = blockOf(String(input.Ipv4CidrBlock), "secondary subnet");
  const zone = zoneFor(s, input);
  if (input.ClientToken !== undefined) {
    const same = [...c.secondarySubnets.values()].find((x) => x.clientToken === input.ClientToken);
    if (same) {
      if (same.deletedAt !== undefined || same.cidr !== cidr || same.networkId !== net.id || same.az !== zone.name) throw mismatch();
      return { SecondarySubnet: subnetView(s, c, same, lifeOf(same, ctx.config.transitionDelayMs)), ClientToken: input.ClientToken };
    }
  }
  const p = parseCidr(cidr)!;
  const n = parseCidr(net.cidr)!;
  if (p.bits < n.bits || !overlaps(cidr, net.cidr))
    throw Ec2Errors.invalidValue(`The CIDR block ${cidr} is not within the CIDR block ${net.cidr} of secondary network ${net.id}.`);
  const clash = [...c.secondarySubnets.values()].find((x) => x.networkId === net.id && x.deletedAt === undefined && overlaps(x.cidr, cidr));
  if (clash) throw Ec2Errors.invalidValue(`The CIDR block ${cidr} overlaps with the CIDR block ${clash.cidr} of secondary subnet ${clash.id}.`);
  dryRun(input);
  const x: SecondarySubnetRec = {
    id: ec2Id("ss"),
    seq: ++s.seq,
    networkId: net.id,
    cidr,
    assocId: ec2Id("ss-cidr-assoc"),
    az: zone.name,
    azId: zone.id,
    since: Date.now(),
    clientToken: input.ClientToken,
    used: new Set(),
    tags: new Map(),
  };
  c.secondarySubnets.set(x.id, x);
  applyTagSpec(s, input, "secondary-subnet", x.id, x);
  return { SecondarySubnet: subnetView(s, c, x, { state: "create-in-progress", assoc: "associating" }), ClientToken: input.ClientToken };
}

export function DeleteSecondarySubnet(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  prune(s, c);
  const id = String(input.SecondarySubnetId);
  const x = c.secondarySubnets.get(id);
  if (!x) throw subnetNotFound(id);
  if (x.deletedAt !== undefined) throw notModifiable("secondary subnet", id);
  if ([...c.secondaryInterfaces.values()].some((i) => i.subnetId === id))
    throw Ec2Errors.dependency(`The secondary subnet '${id}' has dependencies and cannot be deleted.`);
  dryRun(input);
  x.deletedAt = Date.now();
  return { SecondarySubnet: subnetView(s, c, x, { state: "delete-in-progress", assoc: "disassociating" }), ClientToken: input.ClientToken };
}

export function DescribeSecondarySubnets(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, c } = cst(ctx);
  prune(s, c);
  const rows = lifeRows(c.secondarySubnets, list(input.SecondarySubnetIds), subnetNotFound, ctx.config.transitionDelayMs);
  const r = select(
    rows,
    input,
    {
      ...assocFilters<SecondarySubnetRec>(s),
      "secondary-network-id": (r) => r.x.networkId,
      "secondary-network-type": (r) => c.secondaryNetworks.get(r.x.networkId)?.type ?? "rdma",
      "secondary-subnet-id": (r) => r.x.id,
      "secondary-subnet-arn": (r) => arn(s, "secondary-subnet", r.x.id),
    },
    bySeq,
    { paginate: true, min: 5, max: 1000 },
  );
  return { SecondarySubnets: r.items.map((r) => subnetView(s, c, r.x, r.life)), NextToken: r.nextToken };
}

function interfaceView(s: Ec2State, c: ComputeState, x: SecondaryInterfaceRec) {
  return {
    AvailabilityZone: x.az,
    AvailabilityZoneId: zoneIdOf(s.region, x.az),
    Attachment: {
      AttachmentId: x.attachment.id,
      AttachTime: x.attachment.attachTime,
      DeleteOnTermination: true,
      DeviceIndex: x.attachment.deviceIndex,
      InstanceId: x.attachment.instanceId,
      InstanceOwnerId: s.accountId,
      NetworkCardIndex: x.attachment.networkCardIndex,
      Status: "attached",
    },
    MacAddress: x.mac,
    OwnerId: s.accountId,
    PrivateIpv4Addresses: x.ips.map((PrivateIpAddress) => ({ PrivateIpAddress })),
    SecondaryInterfaceId: x.id,
    SecondaryInterfaceArn: arn(s, "secondary-interface", x.id),
    SecondaryInterfaceType: x.type,
    SecondarySubnetId: x.subnetId,
    SecondaryNetworkId: x.networkId,
    SecondaryNetworkType: c.secondaryNetworks.get(x.networkId)?.type ?? "rdma",
    SourceDestCheck: true,
    Status: "in-use",
    Tags: tagsOf(x),
  };
}

export function DescribeSecondaryInterfaces(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, c } = cst(ctx);
  const ids = list(input.SecondaryInterfaceIds);
  for (const id of ids) if (!c.secondaryInterfaces.has(id)) throw interfaceNotFound(id);
  const r = select(
    ids.length ? [...new Set(ids)].map((id) => c.secondaryInterfaces.get(id)!) : [...c.secondaryInterfaces.values()],
    input,
    {
      "attachment.attachment-id": (x) => x.attachment.id,
      "attachment.instance-id": (x) => x.attachment.instanceId,
      "attachment.instance-owner-id": () => s.accountId,
      "attachment.status": () => "attached",
      "private-ipv4-addresses.private-ip-address": (x) => x.ips,
      "owner-id": () => s.accountId,
      "secondary-interface-arn": (x) => arn(s, "secondary-interface", x.id),
      "secondary-interface-id": (x) => x.id,
      "secondary-interface-type": (x) => x.type,
      "secondary-network-id": (x) => x.networkId,
      "secondary-network-type": (x) => c.secondaryNetworks.get(x.networkId)?.type ?? "rdma",
      "secondary-subnet-id": (x) => x.subnetId,
      status: () => "in-use",
    },
    (x) => String(x.seq).padStart(12, "0"),
    { paginate: true, min: 5, max: 1000 },
  );
  return { SecondaryInterfaces: r.items.map((x) => interfaceView(s, c, x)), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- RunInstances

interface SecondarySpec {
  subnet: SecondarySubnetRec;
  ips: string[];
  count: number;
  deviceIndex: number;
  cardIndex: number;
  type: string;
}

/** Host offsets a subnet can give: the first four and the last address are reserved. */
function hostRange(cidr: string): { base: number; first: number; last: number } {
  const p = parseCidr(cidr)!;
  return { base: p.base, first: 4, last: 2 ** (32 - p.bits) - 2 };
}

function freeCount(x: SecondarySubnetRec): number {
  const r = hostRange(x.cidr);
  return r.last - r.first + 1 - x.used.size;
}

/**
 * RunInstances' SecondaryInterfaces, checked before anything is created: each names a live secondary subnet in
 * the instance's zone, one interface per network card, explicit addresses free and inside the subnet.
 * `knownType`: the instance type is one awsim lists (none of which supports secondary interfaces).
 */
export function planSecondaryInterfaces(s: Ec2State, input: Input, az: string, instanceType: string, knownType: boolean, count: number): SecondarySpec[] {
  const specs = (input.SecondaryInterfaces ?? []) as Input[];
  if (!specs.length) return [];
  if (knownType) throw Ec2Errors.invalidValue(`The instance type ${instanceType} does not support secondary interfaces.`);
  const c = computeOf(s);
  const cards = new Set<number>();
  return specs.map((sp) => {
    if (sp.SecondarySubnetId === undefined) throw Ec2Errors.missing("SecondaryInterface.SecondarySubnetId");
    const subnet = c.secondarySubnets.get(String(sp.SecondarySubnetId));
    if (!subnet || subnet.deletedAt !== undefined) throw subnetNotFound(String(sp.SecondarySubnetId));
    if (subnet.az !== az) throw Ec2Errors.invalidValue(`The secondary subnet ${subnet.id} is in ${subnet.az}, not in the instance's availability zone ${az}.`);
    if (sp.DeleteOnTermination === false) throw Ec2Errors.invalidValue("The only supported value for DeleteOnTermination of a secondary interface is true.");
    const ips = list((sp.PrivateIpAddresses ?? []).map((a: Input) => a?.PrivateIpAddress));
    if (ips.length && sp.PrivateIpAddressCount !== undefined)
      throw Ec2Errors.invalidCombination("You cannot specify both PrivateIpAddresses and PrivateIpAddressCount for a secondary interface.");
    if (ips.length && count > 1)
      throw Ec2Errors.invalidCombination("Secondary interface private IP addresses can only be specified when launching a single instance.");
    const card = Number(sp.NetworkCardIndex ?? 0);
    if (cards.has(card)) throw Ec2Errors.invalidValue(`Each network card can have only one secondary interface (network card index ${card}).`);
    cards.add(card);
    const r = hostRange(subnet.cidr);
    for (const ip of ips) {
      const p = parseCidr(`${ip}/32`);
      const off = p ? p.base - r.base : -1;
      if (!p || off < 0 || off > r.last + 1) throw Ec2Errors.invalidValue(`Address ${ip} does not fall within the subnet's address range`);
      if (off < r.first || off > r.last) throw Ec2Errors.invalidValue(`Address ${ip} is reserved and cannot be assigned.`);
      if (subnet.used.has(off)) throw Ec2Errors.addressInUse(ip);
    }
    const n = ips.length || Number(sp.PrivateIpAddressCount ?? 1);
    if (n < 1) throw Ec2Errors.invalidValue(`Value (${n}) for parameter privateIpAddressCount is invalid. Expected a positive integer.`);
    if (freeCount(subnet) < n * (ips.length ? 1 : count))
      throw e(
        "InsufficientFreeAddressesInSubnet",
        `There are not enough free addresses in subnet '${subnet.id}' to satisfy the requested number of instances.`,
      );
    return { subnet, ips, count: n, deviceIndex: Number(sp.DeviceIndex ?? 0), cardIndex: card, type: String(sp.InterfaceType ?? "secondary") };
  });
}

function allocate(x: SecondarySubnetRec, ip?: string): string {
  const r = hostRange(x.cidr);
  if (ip !== undefined) {
    x.used.add(parseCidr(`${ip}/32`)!.base - r.base);
    return ip;
  }
  for (let off = r.first; off <= r.last; off++)
    if (!x.used.has(off)) {
      x.used.add(off);
      return ipToString(r.base + off);
    }
  throw e("InsufficientFreeAddressesInSubnet", `There are not enough free addresses in subnet '${x.id}' to satisfy the requested number of instances.`);
}

/** RunInstances: the planned secondary interfaces of one new instance, attached to it. */
export function attachSecondaryInterfaces(s: Ec2State, input: Input, specs: SecondarySpec[], instanceId: string, now: Date): void {
  if (!specs.length) return;
  const c = computeOf(s);
  const ids: string[] = [];
  for (const sp of specs) {
    const ips = sp.ips.length ? sp.ips.map((ip) => allocate(sp.subnet, ip)) : Array.from({ length: sp.count }, () => allocate(sp.subnet));
    const x: SecondaryInterfaceRec = {
      id: ec2Id("si"),
      seq: ++s.seq,
      subnetId: sp.subnet.id,
      networkId: sp.subnet.networkId,
      az: sp.subnet.az,
      mac: macAddress(),
      ips,
      type: sp.type,
      attachment: { id: ec2Id("si-attach"), instanceId, deviceIndex: sp.deviceIndex, networkCardIndex: sp.cardIndex, attachTime: now },
      tags: new Map(),
    };
    c.secondaryInterfaces.set(x.id, x);
    applyTagSpec(s, input, "secondary-interface", x.id, x);
    ids.push(x.id);
  }
  c.secondaryByInstance.set(instanceId, ids);
}

type WithCompute = Ec2State & { computeState?: ComputeState };

/** DescribeInstances: the instance's secondaryInterfaceSet (wire names), undefined when it has none. */
export function secondaryInterfacesView(s: Ec2State, instanceId: string) {
  const c = (s as WithCompute).computeState;
  const ids = c?.secondaryByInstance?.get(instanceId);
  if (!ids) return undefined;
  const out: Array<Record<string, unknown>> = [];
  for (const id of ids) {
    const x = c!.secondaryInterfaces.get(id);
    if (!x) continue;
    out.push({
      attachment: {
        attachTime: x.attachment.attachTime,
        attachmentId: x.attachment.id,
        deleteOnTermination: true,
        deviceIndex: x.attachment.deviceIndex,
        status: "attached",
        networkCardIndex: x.attachment.networkCardIndex,
      },
      macAddress: x.mac,
      secondaryInterfaceId: x.id,
      ownerId: s.accountId,
      privateIpAddressSet: x.ips.map((privateIpAddress) => ({ privateIpAddress })),
      sourceDestCheck: true,
      status: "in-use",
      secondarySubnetId: x.subnetId,
      secondaryNetworkId: x.networkId,
      interfaceType: x.type,
    });
  }
  return out;
}

/** TerminateInstances: the instance's secondary interfaces are deleted and their addresses freed. */
export function releaseSecondaryInterfaces(s: Ec2State, instanceId: string): void {
  const c = (s as WithCompute).computeState;
  const ids = c?.secondaryByInstance?.get(instanceId);
  if (!ids) return;
  for (const id of ids) {
    const x = c!.secondaryInterfaces.get(id);
    if (!x) continue;
    const sub = c!.secondarySubnets.get(x.subnetId);
    if (sub) {
      const base = parseCidr(sub.cidr)!.base;
      for (const ip of x.ips) sub.used.delete(parseCidr(`${ip}/32`)!.base - base);
    }
    dropTags(s, id, x);
    c!.secondaryInterfaces.delete(id);
  }
  c!.secondaryByInstance.delete(instanceId);
}
