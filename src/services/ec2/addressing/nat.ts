/**
 * Secondary addresses of NAT gateways: elastic IPs (each with a secondary private address) on public NAT
 * gateways, private addresses on private ones. Secondary private addresses live on the gateway's network
 * interface; secondary EIPs are associated with it. CreateNatGateway (SecondaryAllocationIds,
 * SecondaryPrivateIpAddresses/Count), DescribeNatGateways and DeleteNatGateway are wrapped around the EC2
 * handlers so the gateway's whole address set shows and is released with it. A gateway has at most 8 IPv4
 * addresses (the primary and 7 secondaries).
 */
import { ec2Id } from "../../core/ids.js";
import type { Ctx, Handler } from "../../core/types.js";
import { dryRun, list, required, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { allocateIp, natState, releaseIp } from "../network.js";
import type { AddressRec, Ec2State, NatRec } from "../state.js";
import { addr, type AddrState, type NatSecondaryRec } from "./state.js";

const e = Ec2Errors.custom;
const MAX_ADDRESSES = 8;

function getNat(ctx: Ctx, s: Ec2State, id: string): NatRec {
  const n = s.nats.get(id);
  if (!n || natState(n, ctx.config.transitionDelayMs) === "deleted") throw e("NatGatewayNotFound", `The Nat Gateway ${id} was not found`);
  return n;
}

function available(ctx: Ctx, n: NatRec) {
  const state = natState(n, ctx.config.transitionDelayMs);
  if (state !== "available" && state !== "pending")
    throw e("InvalidNatGatewayState", `The NAT gateway ${n.id} is in the ${state} state and cannot be modified.`);
}

const secondaries = (a: AddrState, id: string) => {
  let x = a.natSecondaries.get(id);
  if (!x) a.natSecondaries.set(id, (x = []));
  return x;
};

function getEip(s: Ec2State, id: string): AddressRec {
  const x = s.addresses.get(id);
  if (!x) throw e("InvalidAllocationID.NotFound", `The allocation ID '${id}' does not exist`);
  return x;
}

const view = (n: NatRec, x: NatSecondaryRec, status: string) => ({
  allocationId: x.allocationId,
  networkInterfaceId: n.eniId,
  privateIp: x.privateIp,
  publicIp: x.publicIp,
  associationId: x.associationId,
  isPrimary: false,
  status,
});

function checkCount(a: AddrState, n: NatRec, adding: number) {
  if (1 + secondaries(a, n.id).length + adding > MAX_ADDRESSES)
    throw e("NatGatewayLimitExceeded", `The NAT gateway ${n.id} cannot have more than ${MAX_ADDRESSES} IPv4 addresses.`);
}

/** Give the NAT gateway's interface new secondary private addresses (explicit ones, or `count` free ones). */
function newPrivateIps(s: Ec2State, n: NatRec, explicit: string[], count: number): string[] {
  const eni = s.enis.get(n.eniId);
  const sub = s.subnets.get(n.subnetId);
  if (!sub) throw Ec2Errors.notFound("Subnet", "subnet", [n.subnetId]);
  const out: string[] = [];
  try {
    for (const ip of explicit) out.push(allocateIp(sub, ip));
    for (let i = 0; i < count; i++) out.push(allocateIp(sub));
  } catch (err) {
    for (const ip of out) releaseIp(sub, ip);
    throw err;
  }
  eni?.secondaryIps.push(...out);
  return out;
}

function dropPrivateIp(s: Ec2State, n: NatRec, ip: string) {
  const eni = s.enis.get(n.eniId);
  if (eni) eni.secondaryIps = eni.secondaryIps.filter((x) => x !== ip);
  releaseIp(s.subnets.get(n.subnetId), ip);
}

function associateEips(s: Ec2State, a: AddrState, n: NatRec, allocationIds: string[], privateIps: string[]) {
  if (n.connectivityType !== "public")
    throw Ec2Errors.invalidValue(`Elastic IP addresses can only be associated with a public NAT gateway; ${n.id} is private.`);
  if (privateIps.length && privateIps.length !== allocationIds.length)
    throw Ec2Errors.invalidValue("The number of private IP addresses must match the number of allocation IDs.");
  if (new Set(allocationIds).size !== allocationIds.length) throw Ec2Errors.invalidValue("Duplicate allocation IDs are not allowed.");
  const eips = allocationIds.map((id) => getEip(s, id));
  for (const x of eips) if (x.associationId) throw Ec2Errors.alreadyAssociated(`Elastic IP address ${x.allocationId} is already associated`);
  checkCount(a, n, eips.length);
  const ips = newPrivateIps(s, n, privateIps, privateIps.length ? 0 : eips.length);
  const added: NatSecondaryRec[] = eips.map((x, i) => {
    const rec: NatSecondaryRec = { privateIp: ips[i]!, allocationId: x.allocationId, publicIp: x.publicIp, associationId: ec2Id("eipassoc") };
    Object.assign(x, { associationId: rec.associationId, eniId: n.eniId, privateIp: rec.privateIp, instanceId: undefined });
    return rec;
  });
  secondaries(a, n.id).push(...added);
  return added;
}

function assignPrivate(s: Ec2State, a: AddrState, n: NatRec, explicit: string[], count: number | undefined) {
  if (n.connectivityType !== "private")
    throw Ec2Errors.invalidValue(`Secondary private IP addresses can only be assigned to a private NAT gateway; ${n.id} is public.`);
  if (explicit.length && count !== undefined) throw Ec2Errors.invalidCombination("Specify either PrivateIpAddresses or PrivateIpAddressCount, not both.");
  if (!explicit.length && count === undefined) throw Ec2Errors.missing("PrivateIpAddresses or PrivateIpAddressCount");
  checkCount(a, n, explicit.length || count || 0);
  const added = newPrivateIps(s, n, explicit, count ?? 0).map((privateIp) => ({ privateIp }));
  secondaries(a, n.id).push(...added);
  return added;
}

export function AssociateNatGatewayAddress(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const n = getNat(ctx, s, required(input, "NatGatewayId"));
  available(ctx, n);
  dryRun(input);
  const added = associateEips(s, a, n, list(input.AllocationIds), list(input.PrivateIpAddresses));
  return { natGatewayId: n.id, natGatewayAddressSet: added.map((x) => view(n, x, "associating")) };
}

export function DisassociateNatGatewayAddress(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const n = getNat(ctx, s, required(input, "NatGatewayId"));
  available(ctx, n);
  const ids = list(input.AssociationIds);
  const mine = secondaries(a, n.id);
  const primary = n.allocationId ? s.addresses.get(n.allocationId)?.associationId : undefined;
  for (const id of ids) {
    if (id === primary) throw Ec2Errors.invalidValue(`The association ${id} is the primary address of ${n.id} and cannot be disassociated.`);
    if (!mine.some((x) => x.associationId === id)) throw e("InvalidAssociationID.NotFound", `The association ID '${id}' does not exist`);
  }
  dryRun(input);
  const gone = mine.filter((x) => x.associationId && ids.includes(x.associationId));
  for (const x of gone) {
    const eip = x.allocationId ? s.addresses.get(x.allocationId) : undefined;
    if (eip) eip.associationId = eip.eniId = eip.privateIp = undefined;
    dropPrivateIp(s, n, x.privateIp);
  }
  a.natSecondaries.set(
    n.id,
    mine.filter((x) => !gone.includes(x)),
  );
  return { natGatewayId: n.id, natGatewayAddressSet: gone.map((x) => view(n, x, "disassociating")) };
}

export function AssignPrivateNatGatewayAddress(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const n = getNat(ctx, s, required(input, "NatGatewayId"));
  available(ctx, n);
  dryRun(input);
  const added = assignPrivate(s, a, n, list(input.PrivateIpAddresses), input.PrivateIpAddressCount);
  return { natGatewayId: n.id, natGatewayAddressSet: added.map((x) => view(n, x, "assigning")) };
}

export function UnassignPrivateNatGatewayAddress(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const n = getNat(ctx, s, required(input, "NatGatewayId"));
  available(ctx, n);
  const ips = list(input.PrivateIpAddresses);
  const mine = secondaries(a, n.id);
  for (const ip of ips) {
    if (ip === n.privateIp) throw Ec2Errors.invalidValue(`The address ${ip} is the primary address of ${n.id} and cannot be unassigned.`);
    const x = mine.find((y) => y.privateIp === ip);
    if (!x) throw Ec2Errors.invalidValue(`The private IP address ${ip} is not assigned to ${n.id}.`);
    if (x.associationId) throw Ec2Errors.invalidValue(`The private IP address ${ip} is associated with an Elastic IP address; disassociate it first.`);
  }
  dryRun(input);
  const gone = mine.filter((x) => ips.includes(x.privateIp));
  for (const x of gone) dropPrivateIp(s, n, x.privateIp);
  a.natSecondaries.set(
    n.id,
    mine.filter((x) => !gone.includes(x)),
  );
  return { natGatewayId: n.id, natGatewayAddressSet: gone.map((x) => view(n, x, "unassigning")) };
}

// ---------------------------------------------------------------- wrappers of the EC2 NAT gateway handlers

type NatView = { natGatewayId: string; natGatewayAddressSet?: Array<Record<string, unknown>> };

function withSecondaries(s: Ec2State, a: AddrState, g: NatView, status = "succeeded"): NatView {
  const n = s.nats.get(g.natGatewayId);
  if (!n) return g;
  const primary = (g.natGatewayAddressSet ?? []).map((x) => ({
    ...x,
    associationId: x.associationId ?? (n.allocationId ? s.addresses.get(n.allocationId)?.associationId : undefined),
  }));
  if (n.state === "deleted" || n.state === "deleting") return { ...g, natGatewayAddressSet: primary };
  return { ...g, natGatewayAddressSet: [...primary, ...(a.natSecondaries.get(n.id) ?? []).map((x) => view(n, x, status))] };
}

/** CreateNatGateway with SecondaryAllocationIds / SecondaryPrivateIpAddresses / SecondaryPrivateIpAddressCount. */
export const createNatGatewayWith =
  (base: Handler): Handler =>
  async (ctx, input: Input) => {
    const eips = list(input.SecondaryAllocationIds);
    const ips = list(input.SecondaryPrivateIpAddresses);
    const count = input.SecondaryPrivateIpAddressCount as number | undefined;
    if (!eips.length && !ips.length && count === undefined) return base(ctx, input);
    const { s, a } = addr(ctx);
    const publicNat = String(input.ConnectivityType ?? "public") === "public";
    if (eips.length && !publicNat) throw Ec2Errors.invalidValue("SecondaryAllocationIds can only be specified for a public NAT gateway.");
    if (!eips.length && publicNat)
      throw Ec2Errors.invalidValue("Secondary private IP addresses of a public NAT gateway are given with SecondaryAllocationIds.");
    if (count !== undefined && ips.length) throw Ec2Errors.invalidCombination("Specify either SecondaryPrivateIpAddresses or SecondaryPrivateIpAddressCount.");
    if (1 + Math.max(eips.length, ips.length, count ?? 0) > MAX_ADDRESSES)
      throw e("NatGatewayLimitExceeded", `A NAT gateway cannot have more than ${MAX_ADDRESSES} IPv4 addresses.`);
    for (const id of eips) {
      const x = getEip(s, id);
      if (x.associationId || id === input.AllocationId) throw Ec2Errors.addressInUse(id);
    }
    const rest: Input = { ...input, SecondaryAllocationIds: undefined, SecondaryPrivateIpAddresses: undefined, SecondaryPrivateIpAddressCount: undefined };
    const out = (await base(ctx, rest)) as { natGateway: NatView & { state?: string }; clientToken?: string };
    const n = s.nats.get(out.natGateway.natGatewayId)!;
    try {
      if (eips.length) associateEips(s, a, n, eips, ips);
      else assignPrivate(s, a, n, ips, count);
    } catch (err) {
      // undo the gateway the base handler made, so a failed create leaves nothing behind
      const eni = s.enis.get(n.eniId);
      if (eni) s.enis.delete(eni.id);
      releaseIp(s.subnets.get(n.subnetId), n.privateIp);
      const p = n.allocationId ? s.addresses.get(n.allocationId) : undefined;
      if (p) p.associationId = p.eniId = p.privateIp = undefined;
      s.nats.delete(n.id);
      throw err;
    }
    return { ...out, natGateway: withSecondaries(s, a, out.natGateway, eips.length ? "associating" : "assigning") };
  };

export const describeNatGatewaysWith =
  (base: Handler): Handler =>
  async (ctx, input: Input) => {
    const out = (await base(ctx, input)) as { natGatewaySet: NatView[]; nextToken?: string };
    const { s, a } = addr(ctx);
    return { ...out, natGatewaySet: out.natGatewaySet.map((g) => withSecondaries(s, a, g)) };
  };

/** DeleteNatGateway also gives back the secondary addresses (EIPs disassociated, private addresses freed). */
export const deleteNatGatewayWith =
  (base: Handler): Handler =>
  async (ctx, input: Input) => {
    const out = await base(ctx, input);
    const { s, a } = addr(ctx);
    const n = s.nats.get(String(input.NatGatewayId));
    if (n) {
      for (const x of a.natSecondaries.get(n.id) ?? []) {
        const eip = x.allocationId ? s.addresses.get(x.allocationId) : undefined;
        if (eip && eip.associationId === x.associationId) eip.associationId = eip.eniId = eip.privateIp = undefined;
        releaseIp(s.subnets.get(n.subnetId), x.privateIp);
      }
      a.natSecondaries.delete(n.id);
    }
    return out;
  };
