/**
 * Subnet CIDR reservations (IPv4 and IPv6, prefix or explicit): a reservation lies inside its subnet's CIDR
 * block and overlaps no other reservation of the subnet. Addresses of a reserved IPv4 range are not picked
 * automatically (instances, network interfaces, NAT gateways, endpoints); they can still be named explicitly.
 * Automatic prefix delegation (Ipv4PrefixCount) takes its /28s from the subnet's "prefix" reservations first.
 */
import { ec2Id } from "../../core/ids.js";
import type { Ctx, Handler } from "../../core/types.js";
import { applyTagSpec, cidrContains, cidrOverlap, dropTags, dryRun, ipToString, parseCidr, required, select, tagList, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { ipv6Contains, parseIpv6Cidr } from "../ipv6.js";
import { getSubnet, reservedHold } from "../network.js";
import type { Ec2State, SubnetRec } from "../state.js";
import { addr, type AddrState, type SubnetCidrReservationRec } from "./state.js";

const e = Ec2Errors.custom;

const view = (s: Ec2State, r: SubnetCidrReservationRec) => ({
  subnetCidrReservationId: r.id,
  subnetId: r.subnetId,
  cidr: r.cidr,
  reservationType: r.type,
  ownerId: s.accountId,
  description: r.description,
  tagSet: tagList(r),
});

const v6Overlap = (a: string, b: string) => ipv6Contains(a, b) || ipv6Contains(b, a);

export function CreateSubnetCidrReservation(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  pruneReservations(s, a);
  const sub = getSubnet(s, required(input, "SubnetId"));
  const raw = required(input, "Cidr");
  const v4 = parseCidr(raw);
  const v6 = v4 ? undefined : parseIpv6Cidr(raw);
  if (!v4 && !v6) throw Ec2Errors.invalidValue(`Value (${raw}) for parameter cidr is invalid. This is not a valid CIDR block.`);
  let cidr = raw;
  if (v4) {
    cidr = `${[v4.base >>> 24, (v4.base >>> 16) & 255, (v4.base >>> 8) & 255, v4.base & 255].join(".")}/${v4.bits}`;
    if (cidr !== raw) throw Ec2Errors.invalidValue(`Value (${raw}) for parameter cidr is invalid. This is not a valid CIDR block.`);
    if (!cidrContains(sub.cidr, cidr)) throw e("InvalidSubnetCidrReservation.Range", `The CIDR '${raw}' is not within the CIDR block of subnet ${sub.id}.`);
  } else if (!sub.ipv6 || !ipv6Contains(sub.ipv6.cidr, raw))
    throw e("InvalidSubnetCidrReservation.Range", `The CIDR '${raw}' is not within an IPv6 CIDR block of subnet ${sub.id}.`);
  for (const r of a.cidrReservations.values()) {
    if (r.subnetId !== sub.id) continue;
    const clash = v4 ? !!parseCidr(r.cidr) && cidrOverlap(r.cidr, cidr) : !parseCidr(r.cidr) && v6Overlap(r.cidr, cidr);
    // AWS's answer, as quoted from a real CreateSubnetCidrReservation (terraform-provider-aws #45304).
    if (clash) throw Ec2Errors.invalidValue(`Reservation CIDR ${raw} has overlap with existing reserved CIDR block`);
  }
  dryRun(input);
  const r: SubnetCidrReservationRec = {
    id: ec2Id("scr"),
    subnetId: sub.id,
    cidr,
    type: String(input.ReservationType),
    description: input.Description,
    tags: new Map(),
  };
  a.cidrReservations.set(r.id, r);
  applyTagSpec(s, input, "subnet-cidr-reservation", r.id, r);
  return { subnetCidrReservation: view(s, r) };
}

export function DeleteSubnetCidrReservation(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  pruneReservations(s, a);
  const id = required(input, "SubnetCidrReservationId");
  const r = a.cidrReservations.get(id);
  if (!r) throw e("InvalidSubnetCidrReservationID.NotFound", `The subnetCidrReservation ID '${id}' does not exist`);
  dryRun(input);
  const out = view(s, r);
  dropTags(s, r.id, r);
  a.cidrReservations.delete(r.id);
  return { deletedSubnetCidrReservation: out };
}

export function GetSubnetCidrReservations(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  pruneReservations(s, a);
  const sub = getSubnet(s, required(input, "SubnetId"));
  dryRun(input);
  const r = select(
    [...a.cidrReservations.values()].filter((x) => x.subnetId === sub.id),
    input,
    { reservationType: (x) => x.type, "subnet-id": (x) => x.subnetId, "owner-id": () => s.accountId },
    (x) => x.id,
    { paginate: true, min: 5, max: 1000 },
  );
  return {
    subnetIpv4CidrReservationSet: r.items.filter((x) => parseCidr(x.cidr)).map((x) => view(s, x)),
    subnetIpv6CidrReservationSet: r.items.filter((x) => !parseCidr(x.cidr)).map((x) => view(s, x)),
    nextToken: r.nextToken,
  };
}

/** Reservations go with their subnet (DeleteSubnet is not this area's: they are dropped on the next look). */
export function pruneReservations(s: Ec2State, a: AddrState) {
  for (const r of [...a.cidrReservations.values()])
    if (!s.subnets.has(r.subnetId)) {
      dropTags(s, r.id, r);
      a.cidrReservations.delete(r.id);
    }
}

// ---------------------------------------------------------------- reserved ranges are not assigned automatically

/** Every IPv4 address written anywhere in a request (those stay assignable by hand). */
function addressesIn(v: unknown, out = new Set<string>()): Set<string> {
  if (typeof v === "string") {
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(v)) out.add(v);
  } else if (Array.isArray(v)) for (const x of v) addressesIn(x, out);
  else if (v && typeof v === "object" && !(v instanceof Date)) for (const x of Object.values(v)) addressesIn(x, out);
  return out;
}

/**
 * Run a handler that may pick private addresses automatically with the subnets' reserved IPv4 ranges held
 * back: they are marked used for the call (except addresses the request names), then given back.
 */
export const withReservedRanges =
  (base: Handler): Handler =>
  (ctx, input: Input) => {
    const { s, a } = addr(ctx);
    // Without reservations the handler runs as it is (no extra promise).
    if (!a.cidrReservations.size) return base(ctx, input);
    return withHeld(base, ctx, input, s, a);
  };

async function withHeld(base: Handler, ctx: Ctx, input: Input, s: Ec2State, a: AddrState) {
  pruneReservations(s, a);
  const named = addressesIn(input);
  const subs: SubnetRec[] = [];
  for (const r of a.cidrReservations.values()) {
    const sub = s.subnets.get(r.subnetId);
    const c = parseCidr(r.cidr);
    const sc = sub && parseCidr(sub.cidr);
    if (!sub || !c || !sc) continue;
    let hold = reservedHold.get(sub);
    if (!hold) {
      reservedHold.set(sub, (hold = { held: new Set(), prefix: [] }));
      subs.push(sub);
    }
    const first = c.base - sc.base;
    const size = 2 ** (32 - c.bits);
    // A "prefix" reservation is where automatic prefix delegation takes its /28s (network.ts allocatePrefix).
    if (r.type === "prefix") hold.prefix.push({ first, size });
    for (let off = first; off < first + size; off++) {
      if (sub.used.has(off) || named.has(ipToString(sc.base + off))) continue;
      sub.used.add(off);
      hold.held.add(off);
    }
  }
  try {
    return await base(ctx, input);
  } finally {
    // What a delegated prefix took out of the hold stays in use.
    for (const sub of subs) {
      for (const off of reservedHold.get(sub)!.held) sub.used.delete(off);
      reservedHold.delete(sub);
    }
  }
}
