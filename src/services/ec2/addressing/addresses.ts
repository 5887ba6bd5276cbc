/**
 * Elastic IP address transfers between accounts (EnableAddressTransfer offers a disassociated address for 7
 * days; AcceptAddressTransfer in the receiving account moves it there; DisableAddressTransfer withdraws the
 * offer), EC2-Classic moves (EC2-Classic is retired: every address is already in a VPC, none is moving; MoveAddressToVpc and
 * RestoreAddressToClassic stay unimplemented), the
 * account's managed resource visibility (no awsim resource is managed by a service operator, so the
 * setting hides nothing), and the service network / resource associations of VPC endpoints (awsim has no
 * VPC Lattice, so endpoints have none).
 */
import type { Ctx } from "../../core/types.js";
import { applyTagSpec, dryRun, list, required, select, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import type { AddressRec, Ec2State } from "../state.js";
import { addr, addrOf, type TransferRec } from "./state.js";

const e = Ec2Errors.custom;
const DAY = 24 * 3600 * 1000;

const transferView = (t: TransferRec) => ({
  publicIp: t.publicIp,
  allocationId: t.allocationId,
  transferAccountId: t.account,
  transferOfferExpirationTimestamp: t.expires,
  transferOfferAcceptedTimestamp: t.accepted,
  addressTransferStatus: t.status,
});

/** A pending offer past its expiry is disabled. */
function current(t: TransferRec, now: Date): TransferRec {
  if (t.status === "pending" && t.expires < now) t.status = "disabled";
  return t;
}

function getAddress(s: Ec2State, id: string): AddressRec {
  const a = s.addresses.get(id);
  if (!a) throw e("InvalidAllocationID.NotFound", `The allocation ID '${id}' does not exist`);
  return a;
}

export async function EnableAddressTransfer(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const eip = getAddress(s, required(input, "AllocationId"));
  const to = required(input, "TransferAccountId");
  if (!/^\d{12}$/.test(to)) throw Ec2Errors.invalidValue(`Value (${to}) for parameter transferAccountId is invalid.`);
  if (to === s.accountId) throw Ec2Errors.invalidValue("You cannot transfer an Elastic IP address to your own account.");
  if (eip.associationId) throw e("InvalidIPAddress.InUse", `Address ${eip.allocationId} is associated. Disassociate it before transferring it.`);
  const old = a.transfers.get(eip.allocationId);
  if (old && current(old, ctx.now()).status === "pending")
    throw e("InvalidParameterValue", `A transfer of ${eip.allocationId} to ${old.account} is already pending.`);
  dryRun(input);
  const t: TransferRec = {
    allocationId: eip.allocationId,
    publicIp: eip.publicIp,
    account: to,
    status: "pending",
    expires: new Date(ctx.now().getTime() + 7 * DAY),
  };
  a.transfers.set(eip.allocationId, t);
  const peer = addrOf(await ctx.stateOf<Ec2State>("ec2", s.region, to));
  peer.transfers.set(eip.allocationId, { ...t, from: s.accountId });
  return { addressTransfer: transferView(t) };
}

export async function DisableAddressTransfer(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const id = required(input, "AllocationId");
  const t = a.transfers.get(id);
  if (!t || t.from) throw e("InvalidAllocationID.NotFound", `The allocation ID '${id}' does not exist`);
  if (current(t, ctx.now()).status !== "pending") throw e("InvalidParameterValue", `There is no pending transfer of ${id}.`);
  dryRun(input);
  t.status = "disabled";
  const peer = addrOf(await ctx.stateOf<Ec2State>("ec2", s.region, t.account));
  peer.transfers.delete(id);
  return { addressTransfer: transferView(t) };
}

export async function AcceptAddressTransfer(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const ip = required(input, "Address");
  const t = [...a.transfers.values()].find((x) => x.from && x.publicIp === ip && current(x, ctx.now()).status === "pending");
  if (!t) throw e("InvalidAddress.NotFound", `Address '${ip}' not found.`);
  const src = await ctx.stateOf<Ec2State>("ec2", s.region, t.from!);
  const eip = src.addresses.get(t.allocationId);
  const offer = addrOf(src).transfers.get(t.allocationId);
  if (!eip || !offer || offer.status !== "pending") throw e("InvalidAddress.NotFound", `Address '${ip}' not found.`);
  if (eip.associationId) throw e("InvalidIPAddress.InUse", `Address ${ip} is associated in the transferring account.`);
  dryRun(input);
  for (const k of [...eip.tags.keys()]) src.tagIndex.get(k)?.get(eip.tags.get(k)!)?.delete(eip.allocationId);
  src.addresses.delete(eip.allocationId);
  const moved: AddressRec = { allocationId: eip.allocationId, publicIp: eip.publicIp, tags: new Map() };
  s.addresses.set(moved.allocationId, moved);
  applyTagSpec(s, input, "elastic-ip", moved.allocationId, moved);
  const now = ctx.now();
  Object.assign(offer, { status: "accepted", accepted: now });
  a.transfers.delete(t.allocationId);
  return { addressTransfer: transferView({ ...offer }) };
}

export function DescribeAddressTransfers(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  dryRun(input);
  const ids = list(input.AllocationIds);
  const now = ctx.now();
  const rows = [...a.transfers.values()]
    .map((t) => ({ t: current(t, now), tags: new Map<string, string>() }))
    .filter((x) => !ids.length || ids.includes(x.t.allocationId));
  const r = select(rows, { MaxResults: input.MaxResults, NextToken: input.NextToken }, {}, (x) => x.t.allocationId, { paginate: true, min: 5, max: 1000 });
  return { addressTransferSet: r.items.map((x) => transferView(x.t)), nextToken: r.nextToken };
}

// ---------------------------------------------------------------- EC2-Classic moves

export function DescribeMovingAddresses(ctx: Ctx, input: Input) {
  dryRun(input);
  const r = select(
    [] as Array<{ publicIp: string; moveStatus: string; tags: Map<string, string> }>,
    input,
    { "moving-status": (x) => x.moveStatus },
    (x) => x.publicIp,
    {
      paginate: true,
      min: 5,
      max: 1000,
    },
  );
  return { movingAddressStatusSet: r.items.map((x) => ({ moveStatus: x.moveStatus, publicIp: x.publicIp })), nextToken: r.nextToken };
}

// ---------------------------------------------------------------- managed resource visibility

export function GetManagedResourceVisibility(ctx: Ctx, input: Input) {
  dryRun(input);
  const { a } = addr(ctx);
  // "Hidden (default)" per the EC2 User Guide's managed resource visibility settings (example response: hidden).
  return { visibility: { defaultVisibility: a.managedResourceVisibility ?? "hidden" } };
}

export function ModifyManagedResourceVisibility(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  const v = required(input, "DefaultVisibility");
  dryRun(input);
  a.managedResourceVisibility = v;
  return { visibility: { defaultVisibility: v } };
}

// ---------------------------------------------------------------- VPC endpoint associations

export function DescribeVpcEndpointAssociations(ctx: Ctx, input: Input) {
  const { s } = addr(ctx);
  dryRun(input);
  const ids = list(input.VpcEndpointIds);
  const missing = ids.filter((id) => !s.vpces.has(id));
  if (missing.length) throw e("InvalidVpcEndpointId.NotFound", `The Vpc Endpoint Id '${missing.join(", ")}' does not exist`);
  const r = select(
    [] as Array<{ id: string; vpceId: string; tags: Map<string, string> }>,
    input,
    {
      "vpc-endpoint-id": (x) => x.vpceId,
      "associated-resource-accessibility": () => undefined,
      "association-id": (x) => x.id,
      "associated-resource-arn": () => undefined,
      "associated-resource-id": () => undefined,
      "service-network-arn": () => undefined,
      "resource-configuration-group-arn": () => undefined,
      "service-network-resource-association-id": () => undefined,
    },
    (x) => x.id,
    { paginate: true, min: 1, max: 100 },
  );
  return { vpcEndpointAssociationSet: r.items, nextToken: r.nextToken };
}
