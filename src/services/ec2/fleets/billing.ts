/**
 * Billing of unused Capacity Reservation capacity to another account: the reservation's owner associates a
 * billing owner (a pending request, visible to both accounts), which accepts or rejects it; the owner can
 * cancel a pending request or revoke an accepted one (DisassociateCapacityReservationBillingOwner). The
 * accepted account shows as UnusedReservationBillingOwnerId on the reservation. Gap: AWS requires both
 * accounts to be in one AWS Organization; awsim has no Organizations, so any other account id is accepted.
 */
import type { Ctx } from "../../core/types.js";
import { dryRun, list, select, zonesOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { stateAt } from "../more/capacity.js";
import { moreOf } from "../more/state.js";
import type { Ec2State } from "../state.js";
import { fl, fleetsOf, type BillingRequestRec } from "./state.js";

const e = Ec2Errors.custom;
const crNotFound = (id: string) => e("InvalidCapacityReservationId.NotFound", `The capacity reservation ID '${id}' does not exist`);
const noRequest = (id: string) => e("InvalidParameterValue", `There is no pending billing request for capacity reservation '${id}'.`);

function ownCr(s: Ec2State, id: string) {
  const r = moreOf(s).capacityReservations.get(id);
  if (!r) throw crNotFound(id);
  return r;
}

export function AssociateCapacityReservationBillingOwner(ctx: Ctx, input: Input) {
  const { s, f } = fl(ctx);
  const r = ownCr(s, String(input.CapacityReservationId));
  const to = String(input.UnusedReservationBillingOwnerId);
  if (to === s.accountId) throw Ec2Errors.invalidValue("The billing owner must be an account other than the Capacity Reservation owner.");
  const state = stateAt(r, ctx.now());
  if (state !== "active" && state !== "scheduled")
    throw e(
      "InvalidCapacityReservationId.Unavailable",
      `The capacity reservation '${r.id}' is ${state}; billing can be assigned only for active reservations.`,
    );
  const cur = f.billing.get(r.id);
  if (cur && (cur.status === "pending" || cur.status === "accepted"))
    throw e("IncorrectState", `Capacity reservation '${r.id}' already has a ${cur.status} billing request for account ${cur.billingOwner}.`);
  dryRun(input);
  return (async () => {
    const other = fleetsOf(await ctx.stateOf<Ec2State>("ec2", s.region, to));
    f.billing.set(r.id, { crId: r.id, owner: s.accountId, billingOwner: to, status: "pending", updated: ctx.now() });
    other.billingInbox.set(r.id, s.accountId);
    return { Return: true };
  })();
}

export function DisassociateCapacityReservationBillingOwner(ctx: Ctx, input: Input) {
  const { s, f } = fl(ctx);
  const r = ownCr(s, String(input.CapacityReservationId));
  const cur = f.billing.get(r.id);
  if (!cur || cur.billingOwner !== input.UnusedReservationBillingOwnerId || (cur.status !== "pending" && cur.status !== "accepted"))
    throw Ec2Errors.invalidValue(
      `Capacity reservation '${r.id}' is not billed to, and has no pending request for, account ${input.UnusedReservationBillingOwnerId}.`,
    );
  dryRun(input);
  cur.status = cur.status === "pending" ? "cancelled" : "revoked";
  cur.updated = ctx.now();
  r.billingOwnerId = undefined;
  return { Return: true };
}

/** The pending request addressed to the calling account, with the owner's state. */
async function inbound(ctx: Ctx, id: string) {
  const { s, f } = fl(ctx);
  const owner = f.billingInbox.get(id);
  if (!owner) throw noRequest(id);
  const os = await ctx.stateOf<Ec2State>("ec2", s.region, owner);
  const req = fleetsOf(os).billing.get(id);
  if (!req || req.billingOwner !== s.accountId || req.status !== "pending") throw noRequest(id);
  return { os, req };
}

export async function AcceptCapacityReservationBillingOwnership(ctx: Ctx, input: Input) {
  const { os, req } = await inbound(ctx, String(input.CapacityReservationId));
  dryRun(input);
  req.status = "accepted";
  req.updated = ctx.now();
  const r = moreOf(os).capacityReservations.get(req.crId);
  if (r) r.billingOwnerId = req.billingOwner;
  return { Return: true };
}

export async function RejectCapacityReservationBillingOwnership(ctx: Ctx, input: Input) {
  const { req } = await inbound(ctx, String(input.CapacityReservationId));
  dryRun(input);
  req.status = "rejected";
  req.updated = ctx.now();
  return { Return: true };
}

export async function DescribeCapacityReservationBillingRequests(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f } = fl(ctx);
  const ids = list(input.CapacityReservationIds);
  const rows: Array<{ req: BillingRequestRec; os: Ec2State; tags: Map<string, string> }> = [];
  if (input.Role === "odcr-owner") for (const req of f.billing.values()) rows.push({ req, os: s, tags: new Map() });
  else
    for (const [id, owner] of f.billingInbox) {
      const os = await ctx.stateOf<Ec2State>("ec2", s.region, owner);
      const req = fleetsOf(os).billing.get(id);
      if (req && req.billingOwner === s.accountId) rows.push({ req, os, tags: new Map() });
    }
  const page = select(
    rows.filter((x) => !ids.length || ids.includes(x.req.crId)),
    input,
    {
      status: (x) => x.req.status,
      "requested-by": (x) => x.req.owner,
      "unused-reservation-billing-owner": (x) => x.req.billingOwner,
    },
    (x) => x.req.crId,
    { paginate: true, min: 1, max: 1000 },
  );
  return {
    CapacityReservationBillingRequests: page.items.map(({ req, os }) => {
      const r = moreOf(os).capacityReservations.get(req.crId);
      return {
        CapacityReservationId: req.crId,
        RequestedBy: req.owner,
        UnusedReservationBillingOwnerId: req.billingOwner,
        LastUpdateTime: req.updated,
        Status: req.status,
        StatusMessage: req.message,
        CapacityReservationInfo: r
          ? {
              InstanceType: r.instanceType,
              AvailabilityZone: r.az,
              AvailabilityZoneId: zonesOf(os.region).find((z) => z.name === r.az)?.id,
              Tenancy: r.tenancy,
            }
          : undefined,
      };
    }),
    NextToken: page.nextToken,
  };
}
