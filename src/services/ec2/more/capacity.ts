/**
 * On-Demand Capacity Reservations: create (active at once, or scheduled with a future StartDate), describe,
 * modify (count, end date, match criteria), cancel (kept as "cancelled"). A limited reservation whose end
 * date has passed reads as "expired". Instances do not consume reservations (AvailableInstanceCount = total).
 */
import type { Ctx } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { applyTagSpec, dryRun, list, select, zonesOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { INSTANCE_TYPES } from "../misc.js";
import type { Ec2State } from "../state.js";
import { both, type CapacityReservationRec } from "./state.js";

const e = Ec2Errors.custom;
const tags = (r: { tags: Map<string, string> }) => [...r.tags].map(([Key, Value]) => ({ Key, Value }));
const crNotFound = (id: string) => e("InvalidCapacityReservationId.NotFound", `The capacity reservation ID '${id}' does not exist`);

export function stateAt(r: CapacityReservationRec, now: Date): string {
  if (r.state !== "active" && r.state !== "scheduled") return r.state;
  if (r.endDateType === "limited" && r.endDate && r.endDate <= now) return "expired";
  if (r.startDate > now) return "scheduled";
  return "active";
}

export const view = (s: Ec2State, r: CapacityReservationRec, now: Date) => {
  const state = stateAt(r, now);
  const live = state === "active";
  return {
    CapacityReservationId: r.id,
    OwnerId: s.accountId,
    CapacityReservationArn: `arn:aws:ec2:${s.region}:${s.accountId}:capacity-reservation/${r.id}`,
    AvailabilityZoneId: zonesOf(s.region).find((z) => z.name === r.az)?.id,
    InstanceType: r.instanceType,
    InstancePlatform: r.platform,
    AvailabilityZone: r.az,
    Tenancy: r.tenancy,
    TotalInstanceCount: r.total,
    AvailableInstanceCount: live ? r.total - (r.allocation?.status === "active" ? r.allocation.count : 0) : 0,
    EbsOptimized: r.ebsOptimized,
    EphemeralStorage: r.ephemeralStorage,
    State: state,
    StartDate: r.startDate,
    EndDate: r.endDate,
    EndDateType: r.endDateType,
    InstanceMatchCriteria: r.instanceMatchCriteria,
    CreateDate: r.createTime,
    OutpostArn: r.outpostArn,
    PlacementGroupArn: r.placementGroupArn,
    CapacityReservationFleetId: r.fleetId,
    UnusedReservationBillingOwnerId: r.billingOwnerId,
    Interruptible: r.interruptibleFrom ? true : undefined,
    InterruptionInfo: r.interruptibleFrom ? { SourceCapacityReservationId: r.interruptibleFrom, InterruptionType: "adhoc" } : undefined,
    InterruptibleCapacityAllocation: r.allocation
      ? {
          InstanceCount: r.allocation.count,
          TargetInstanceCount: r.allocation.target,
          Status: r.allocation.status,
          InterruptibleCapacityReservationId: r.allocation.reservationId,
          InterruptionType: "adhoc",
        }
      : undefined,
    ReservationType: r.capacityBlockId ? "capacity-block" : "default",
    CapacityBlockId: r.capacityBlockId,
    DeliveryPreference: "fixed",
    Tags: tags(r),
  };
};

function endDates(input: Input, now: Date, current?: { endDateType: string; endDate?: Date }) {
  const type = String(input.EndDateType ?? (input.EndDate !== undefined ? "limited" : (current?.endDateType ?? "unlimited")));
  const end: Date | undefined = input.EndDate !== undefined ? new Date(input.EndDate) : type === "limited" ? current?.endDate : undefined;
  if (type === "unlimited" && input.EndDate !== undefined) throw Ec2Errors.invalidCombination("EndDate cannot be specified when EndDateType is 'unlimited'.");
  if (type === "limited" && !end) throw Ec2Errors.missing("EndDate");
  if (end && end <= now) throw Ec2Errors.invalidValue(`The end date ${end.toISOString()} must be in the future.`);
  return { endDateType: type, endDate: type === "limited" ? end : undefined };
}

export function CreateCapacityReservation(ctx: Ctx, input: Input) {
  const { s, m } = both(ctx);
  const now = ctx.now();
  const zones = zonesOf(s.region);
  const zone = input.AvailabilityZone
    ? zones.find((z) => z.name === input.AvailabilityZone)
    : input.AvailabilityZoneId
      ? zones.find((z) => z.id === input.AvailabilityZoneId)
      : undefined;
  if (!input.AvailabilityZone && !input.AvailabilityZoneId) throw Ec2Errors.missing("AvailabilityZone");
  if (!zone) throw Ec2Errors.invalidValue(`Invalid availability zone: [${input.AvailabilityZone ?? input.AvailabilityZoneId}]`);
  if (input.AvailabilityZone && input.AvailabilityZoneId)
    throw Ec2Errors.invalidCombination("Only one of AvailabilityZone and AvailabilityZoneId can be specified.");
  if (!INSTANCE_TYPES.some((t) => t.name === input.InstanceType)) throw Ec2Errors.invalidInstanceType(String(input.InstanceType));
  const count = Number(input.InstanceCount);
  if (!Number.isInteger(count) || count < 1)
    throw Ec2Errors.invalidValue(`Value (${input.InstanceCount}) for parameter instanceCount is invalid. Expected a positive integer.`);
  const ends = endDates(input, now);
  const start = input.StartDate ? new Date(input.StartDate) : now;
  if (ends.endDate && ends.endDate <= start) throw Ec2Errors.invalidValue("The end date must be after the start date.");
  dryRun(input);
  if (input.ClientToken) {
    const prior = [...m.capacityReservations.values()].find((r) => (r as CapacityReservationRec & { token?: string }).token === input.ClientToken);
    if (prior) return { CapacityReservation: view(s, prior, now) };
  }
  const r: CapacityReservationRec & { token?: string } = {
    id: ec2Id("cr"),
    instanceType: String(input.InstanceType),
    platform: String(input.InstancePlatform),
    az: zone.name,
    tenancy: String(input.Tenancy ?? "default"),
    total: count,
    ebsOptimized: input.EbsOptimized === true,
    ephemeralStorage: input.EphemeralStorage === true,
    state: "active",
    startDate: start,
    ...ends,
    instanceMatchCriteria: String(input.InstanceMatchCriteria ?? "open"),
    createTime: now,
    outpostArn: input.OutpostArn,
    placementGroupArn: input.PlacementGroupArn,
    token: input.ClientToken,
    tags: new Map(),
  };
  m.capacityReservations.set(r.id, r);
  applyTagSpec(s, input, "capacity-reservation", r.id, r);
  return { CapacityReservation: view(s, r, now) };
}

function getCr(ctx: Ctx, id: string) {
  const { s, m } = both(ctx);
  const r = m.capacityReservations.get(id);
  if (!r) throw crNotFound(id);
  return { s, m, r };
}

export function DescribeCapacityReservations(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, m } = both(ctx);
  const now = ctx.now();
  const ids = list(input.CapacityReservationIds);
  for (const id of ids) if (!m.capacityReservations.has(id)) throw crNotFound(id);
  const page = select(
    ids.length ? ids.map((id) => m.capacityReservations.get(id)!) : [...m.capacityReservations.values()],
    input,
    {
      "instance-type": (r) => r.instanceType,
      "owner-id": () => s.accountId,
      "availability-zone-id": (r) => zonesOf(s.region).find((z) => z.name === r.az)?.id,
      "instance-platform": (r) => r.platform,
      "availability-zone": (r) => r.az,
      tenancy: (r) => r.tenancy,
      "outpost-arn": (r) => r.outpostArn,
      state: (r) => stateAt(r, now),
      "start-date": (r) => r.startDate.toISOString(),
      "end-date": (r) => r.endDate?.toISOString(),
      "end-date-type": (r) => r.endDateType,
      "instance-match-criteria": (r) => r.instanceMatchCriteria,
      "placement-group-arn": (r) => r.placementGroupArn,
    },
    (r) => r.id,
    { paginate: true, min: 1, max: 1000 },
  );
  return { CapacityReservations: page.items.map((r) => view(s, r, now)), NextToken: page.nextToken };
}

/** "You can't modify or cancel a Capacity Block." (API reference, CancelCapacityReservation) */
const blockFixed = (r: CapacityReservationRec) => {
  if (r.capacityBlockId) throw e("UnsupportedOperation", `The capacity reservation '${r.id}' is a Capacity Block, which can't be modified or cancelled.`);
};

export function ModifyCapacityReservation(ctx: Ctx, input: Input) {
  const { r } = getCr(ctx, String(input.CapacityReservationId));
  blockFixed(r);
  const now = ctx.now();
  const state = stateAt(r, now);
  if (state !== "active" && state !== "scheduled")
    throw e("InvalidCapacityReservationId.Unavailable", `The capacity reservation '${r.id}' is ${state} and cannot be modified.`);
  if (input.InstanceCount !== undefined && (!Number.isInteger(input.InstanceCount) || input.InstanceCount < 1))
    throw Ec2Errors.invalidValue(`Value (${input.InstanceCount}) for parameter instanceCount is invalid. Expected a positive integer.`);
  const touchesEnd = input.EndDate !== undefined || input.EndDateType !== undefined;
  const ends = touchesEnd ? endDates(input, now, r) : undefined;
  dryRun(input);
  if (input.InstanceCount !== undefined) r.total = input.InstanceCount;
  if (ends) Object.assign(r, ends);
  if (input.InstanceMatchCriteria !== undefined) r.instanceMatchCriteria = String(input.InstanceMatchCriteria);
  return { Return: true };
}

export function CancelCapacityReservation(ctx: Ctx, input: Input) {
  const { r } = getCr(ctx, String(input.CapacityReservationId));
  blockFixed(r);
  const state = stateAt(r, ctx.now());
  if (state !== "active" && state !== "scheduled")
    throw e("InvalidCapacityReservationId.Unavailable", `The capacity reservation '${r.id}' is ${state} and cannot be cancelled.`);
  dryRun(input);
  r.state = "cancelled";
  return { Return: true };
}
