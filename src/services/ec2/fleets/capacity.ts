/**
 * Capacity Reservation Fleets (create, describe, modify, cancel) over the Capacity Reservations of
 * more/capacity.ts: the fleet reserves its whole target in its highest-priority instance type specification
 * (capacity is always available in awsim), one reservation per specification used. Also splitting a
 * reservation, moving instance capacity between two compatible reservations, and GetCapacityReservationUsage
 * (instances do not consume reservations in awsim, so usage lists no accounts).
 */
import type { Ctx } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { applyTagSpec, dryRun, list, select, tagsOf, zonesOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { INSTANCE_TYPES } from "../misc.js";
import { DescribeCapacityReservations, stateAt } from "../more/capacity.js";
import { moreOf, type CapacityReservationRec } from "../more/state.js";
import type { Ec2State } from "../state.js";
import { fl, type CapacityReservationFleetRec } from "./state.js";

const e = Ec2Errors.custom;
export const crfNotFound = (id: string) => e("InvalidCapacityReservationFleetId.NotFound", `The capacity reservation fleet ID '${id}' does not exist`);
const crNotFound = (id: string) => e("InvalidCapacityReservationId.NotFound", `The capacity reservation ID '${id}' does not exist`);

function fleetState(s: Ec2State, f: CapacityReservationFleetRec, now: Date): string {
  if (f.state === "active" && f.endDate && f.endDate <= now) f.state = "expired";
  void s;
  return f.state;
}

const crsOf = (s: Ec2State, f: CapacityReservationFleetRec) =>
  f.reservations
    .map((x) => ({ ...x, r: moreOf(s).capacityReservations.get(x.id) }))
    .filter((x): x is { id: string; spec: number; r: CapacityReservationRec } => !!x.r);

function fulfilledOf(s: Ec2State, f: CapacityReservationFleetRec, now: Date): number {
  return crsOf(s, f)
    .filter((x) => stateAt(x.r, now) === "active")
    .reduce((n, x) => n + x.r.total * f.specs[x.spec]!.Weight, 0);
}

function reservationsView(s: Ec2State, f: CapacityReservationFleetRec, now: Date) {
  return crsOf(s, f).map(({ spec, r }) => {
    const sp = f.specs[spec]!;
    const live = stateAt(r, now) === "active";
    return {
      CapacityReservationId: r.id,
      AvailabilityZoneId: zonesOf(s.region).find((z) => z.name === r.az)?.id,
      AvailabilityZone: r.az,
      InstanceType: r.instanceType,
      InstancePlatform: r.platform,
      TotalInstanceCount: r.total,
      FulfilledCapacity: live ? r.total * sp.Weight : 0,
      EbsOptimized: r.ebsOptimized,
      CreateDate: r.createTime,
      Weight: sp.Weight,
      Priority: sp.Priority,
    };
  });
}

function view(s: Ec2State, f: CapacityReservationFleetRec, now: Date) {
  return {
    CapacityReservationFleetId: f.id,
    CapacityReservationFleetArn: `arn:aws:ec2:${s.region}:${s.accountId}:capacity-reservation-fleet/${f.id}`,
    State: fleetState(s, f, now),
    TotalTargetCapacity: f.total,
    TotalFulfilledCapacity: fulfilledOf(s, f, now),
    Tenancy: f.tenancy,
    EndDate: f.endDate,
    CreateTime: f.createTime,
    InstanceMatchCriteria: f.matchCriteria,
    AllocationStrategy: f.allocationStrategy,
    InstanceTypeSpecifications: reservationsView(s, f, now),
    Tags: tagsOf(f),
  };
}

/** Specifications in the order the prioritized strategy uses them (lowest Priority number first). */
const byPriority = (f: CapacityReservationFleetRec) =>
  f.specs.map((_, i) => i).sort((a, b) => (f.specs[a]!.Priority ?? Number.MAX_SAFE_INTEGER) - (f.specs[b]!.Priority ?? Number.MAX_SAFE_INTEGER) || a - b);

/** Reserve (or release) capacity so the fleet's fulfilled capacity meets its target. */
function reconcile(s: Ec2State, f: CapacityReservationFleetRec, input: Input, now: Date): void {
  const m = moreOf(s);
  let have = fulfilledOf(s, f, now);
  const order = byPriority(f);
  if (have < f.total) {
    const i = order[0]!;
    const sp = f.specs[i]!;
    const count = Math.ceil((f.total - have) / sp.Weight);
    const existing = crsOf(s, f).find((x) => x.spec === i && stateAt(x.r, now) === "active");
    if (existing) existing.r.total += count;
    else {
      const zones = zonesOf(s.region);
      const az = sp.AvailabilityZone ?? zones.find((z) => z.id === sp.AvailabilityZoneId)?.name ?? zones[0]!.name;
      const r: CapacityReservationRec = {
        id: ec2Id("cr"),
        instanceType: sp.InstanceType,
        platform: sp.InstancePlatform,
        az,
        tenancy: f.tenancy,
        total: count,
        ebsOptimized: sp.EbsOptimized === true,
        ephemeralStorage: false,
        state: "active",
        startDate: now,
        endDate: f.endDate,
        endDateType: f.endDate ? "limited" : "unlimited",
        instanceMatchCriteria: f.matchCriteria,
        createTime: now,
        fleetId: f.id,
        tags: new Map(),
      };
      m.capacityReservations.set(r.id, r);
      applyTagSpec(s, input, "capacity-reservation", r.id, r);
      f.reservations.push({ id: r.id, spec: i });
    }
    return;
  }
  // Release from the lowest-priority reservations first, whole instances only, never below the target.
  for (const i of [...order].reverse()) {
    for (const x of crsOf(s, f).filter((y) => y.spec === i && stateAt(y.r, now) === "active")) {
      const w = f.specs[i]!.Weight;
      const drop = Math.min(x.r.total, Math.floor((have - f.total) / w));
      if (drop <= 0) continue;
      have -= drop * w;
      if (drop === x.r.total) x.r.state = "cancelled";
      else x.r.total -= drop;
    }
  }
}

export function CreateCapacityReservationFleet(ctx: Ctx, input: Input) {
  const { s, f: st } = fl(ctx);
  const now = ctx.now();
  if (input.ClientToken) {
    const prior = [...st.crFleets.values()].find((x) => x.clientToken === input.ClientToken);
    if (prior) {
      const { CapacityReservationFleetArn: _a, InstanceTypeSpecifications: fcr, ...v } = view(s, prior, now);
      return { ...v, FleetCapacityReservations: fcr };
    }
  }
  const strategy = String(input.AllocationStrategy ?? "prioritized");
  if (strategy !== "prioritized") throw Ec2Errors.invalidValue(`The allocation strategy '${strategy}' is not supported. Supported value: prioritized.`);
  const zones = zonesOf(s.region);
  const specs = ((input.InstanceTypeSpecifications ?? []) as Input[]).map((sp) => {
    if (!INSTANCE_TYPES.some((t) => t.name === sp.InstanceType)) throw Ec2Errors.invalidInstanceType(String(sp.InstanceType));
    if (sp.AvailabilityZone && sp.AvailabilityZoneId)
      throw Ec2Errors.invalidCombination("Only one of AvailabilityZone and AvailabilityZoneId can be specified.");
    if (sp.AvailabilityZone && !zones.some((z) => z.name === sp.AvailabilityZone))
      throw Ec2Errors.invalidValue(`Invalid availability zone: [${sp.AvailabilityZone}]`);
    if (sp.AvailabilityZoneId && !zones.some((z) => z.id === sp.AvailabilityZoneId))
      throw Ec2Errors.invalidValue(`Invalid availability zone: [${sp.AvailabilityZoneId}]`);
    if (!sp.AvailabilityZone && !sp.AvailabilityZoneId) throw Ec2Errors.missing("AvailabilityZone");
    return {
      InstanceType: String(sp.InstanceType),
      InstancePlatform: String(sp.InstancePlatform ?? "Linux/UNIX"),
      AvailabilityZone: sp.AvailabilityZone,
      AvailabilityZoneId: sp.AvailabilityZoneId,
      Weight: sp.Weight !== undefined ? Number(sp.Weight) : 1,
      Priority: sp.Priority,
      EbsOptimized: sp.EbsOptimized,
    };
  });
  if (!specs.length) throw Ec2Errors.missing("InstanceTypeSpecifications");
  const total = Number(input.TotalTargetCapacity);
  if (!Number.isInteger(total) || total < 1)
    throw Ec2Errors.invalidValue(`Value (${input.TotalTargetCapacity}) for parameter TotalTargetCapacity is invalid. Expected a positive integer.`);
  const endDate = input.EndDate ? new Date(input.EndDate) : undefined;
  if (endDate && endDate <= now) throw Ec2Errors.invalidValue(`The end date ${endDate.toISOString()} must be in the future.`);
  dryRun(input);
  const f: CapacityReservationFleetRec = {
    id: ec2Id("crf"),
    state: "active",
    total,
    fulfilled: 0,
    tenancy: String(input.Tenancy ?? "default"),
    endDate,
    createTime: now,
    matchCriteria: String(input.InstanceMatchCriteria ?? "open"),
    allocationStrategy: strategy,
    specs,
    reservations: [],
    clientToken: input.ClientToken,
    tags: new Map(),
  };
  st.crFleets.set(f.id, f);
  applyTagSpec(s, input, "capacity-reservation-fleet", f.id, f);
  reconcile(s, f, input, now);
  const { CapacityReservationFleetArn: _a, InstanceTypeSpecifications: fcr, ...v } = view(s, f, now);
  return { ...v, FleetCapacityReservations: fcr };
}

export function DescribeCapacityReservationFleets(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f: st } = fl(ctx);
  const now = ctx.now();
  const ids = list(input.CapacityReservationFleetIds);
  for (const id of ids) if (!st.crFleets.has(id)) throw crfNotFound(id);
  const page = select(
    ids.length ? ids.map((id) => st.crFleets.get(id)!) : [...st.crFleets.values()],
    input,
    {
      state: (f) => fleetState(s, f, now),
      "instance-match-criteria": (f) => f.matchCriteria,
      "allocation-strategy": (f) => f.allocationStrategy,
      tenancy: (f) => f.tenancy,
    },
    (f) => f.id,
    { paginate: true, min: 1, max: 100 },
  );
  return { CapacityReservationFleets: page.items.map((f) => view(s, f, now)), NextToken: page.nextToken };
}

export function ModifyCapacityReservationFleet(ctx: Ctx, input: Input) {
  const { s, f: st } = fl(ctx);
  const now = ctx.now();
  const id = String(input.CapacityReservationFleetId);
  const f = st.crFleets.get(id);
  if (!f) throw crfNotFound(id);
  const state = fleetState(s, f, now);
  if (state !== "active" && state !== "partially_fulfilled")
    throw e("InvalidCapacityReservationFleetId.Unavailable", `The capacity reservation fleet '${id}' is ${state} and cannot be modified.`);
  if (input.EndDate !== undefined && input.RemoveEndDate === true) throw Ec2Errors.invalidCombination("EndDate and RemoveEndDate cannot both be specified.");
  const endDate = input.EndDate !== undefined ? new Date(input.EndDate) : undefined;
  if (endDate && endDate <= now) throw Ec2Errors.invalidValue(`The end date ${endDate.toISOString()} must be in the future.`);
  const total = input.TotalTargetCapacity !== undefined ? Number(input.TotalTargetCapacity) : undefined;
  if (total !== undefined && (!Number.isInteger(total) || total < 1))
    throw Ec2Errors.invalidValue(`Value (${input.TotalTargetCapacity}) for parameter TotalTargetCapacity is invalid. Expected a positive integer.`);
  dryRun(input);
  if (endDate || input.RemoveEndDate === true) {
    f.endDate = endDate;
    for (const { r } of crsOf(s, f)) {
      r.endDate = endDate;
      r.endDateType = endDate ? "limited" : "unlimited";
    }
  }
  if (total !== undefined) {
    f.total = total;
    reconcile(s, f, {}, now);
  }
  return { Return: true };
}

export function CancelCapacityReservationFleets(ctx: Ctx, input: Input) {
  const { s, f: st } = fl(ctx);
  const now = ctx.now();
  dryRun(input);
  const ok: Input[] = [];
  const failed: Input[] = [];
  for (const id of list(input.CapacityReservationFleetIds)) {
    const f = st.crFleets.get(id);
    if (!f) {
      failed.push({
        CapacityReservationFleetId: id,
        CancelCapacityReservationFleetError: {
          Code: "InvalidCapacityReservationFleetId.NotFound",
          Message: `The capacity reservation fleet ID '${id}' does not exist`,
        },
      });
      continue;
    }
    const previous = fleetState(s, f, now);
    if (previous === "cancelled" || previous === "expired" || previous === "failed") {
      failed.push({
        CapacityReservationFleetId: id,
        CancelCapacityReservationFleetError: {
          Code: "InvalidCapacityReservationFleetId.Unavailable",
          Message: `The capacity reservation fleet '${id}' is ${previous} and cannot be cancelled.`,
        },
      });
      continue;
    }
    f.state = "cancelled";
    for (const { r } of crsOf(s, f)) if (stateAt(r, now) === "active" || stateAt(r, now) === "scheduled") r.state = "cancelled";
    ok.push({ CapacityReservationFleetId: id, PreviousFleetState: previous, CurrentFleetState: "cancelled" });
  }
  return { SuccessfulFleetCancellations: ok, FailedFleetCancellations: failed };
}

// ---------------------------------------------------------------- splitting, moving, usage

function getCr(s: Ec2State, id: string): CapacityReservationRec {
  const r = moreOf(s).capacityReservations.get(id);
  if (!r) throw crNotFound(id);
  return r;
}

const one = async (ctx: Ctx, id: string) =>
  ((await DescribeCapacityReservations(ctx, { CapacityReservationIds: [id] })) as { CapacityReservations: Input[] }).CapacityReservations[0];

function mustBeActive(r: CapacityReservationRec, now: Date): void {
  if (r.allocation?.status === "active")
    throw Ec2Errors.invalidValue(`The capacity reservation '${r.id}' has an interruptible allocation; reclaim it before splitting or moving capacity.`);
  const state = stateAt(r, now);
  if (state !== "active") throw e("InvalidCapacityReservationId.Unavailable", `The capacity reservation '${r.id}' is ${state}; it must be active.`);
}

export async function CreateCapacityReservationBySplitting(ctx: Ctx, input: Input) {
  const { s } = fl(ctx);
  const now = ctx.now();
  const src = getCr(s, String(input.SourceCapacityReservationId));
  mustBeActive(src, now);
  const count = Number(input.InstanceCount);
  if (!Number.isInteger(count) || count < 1 || count >= src.total)
    throw Ec2Errors.invalidValue(
      `Value (${input.InstanceCount}) for parameter InstanceCount is invalid. It must be at least 1 and less than the source reservation's instance count (${src.total}).`,
    );
  dryRun(input);
  const r: CapacityReservationRec = {
    ...src,
    id: ec2Id("cr"),
    total: count,
    createTime: now,
    startDate: now,
    fleetId: undefined,
    billingOwnerId: undefined,
    allocation: undefined,
    tags: new Map(),
  };
  src.total -= count;
  moreOf(s).capacityReservations.set(r.id, r);
  applyTagSpec(s, input, "capacity-reservation", r.id, r);
  return { SourceCapacityReservation: await one(ctx, src.id), DestinationCapacityReservation: await one(ctx, r.id), InstanceCount: count };
}

export async function MoveCapacityReservationInstances(ctx: Ctx, input: Input) {
  const { s } = fl(ctx);
  const now = ctx.now();
  const src = getCr(s, String(input.SourceCapacityReservationId));
  const dst = getCr(s, String(input.DestinationCapacityReservationId));
  mustBeActive(src, now);
  mustBeActive(dst, now);
  if (src.id === dst.id) throw Ec2Errors.invalidValue("The source and destination Capacity Reservations must be different.");
  if (src.instanceType !== dst.instanceType || src.platform !== dst.platform || src.az !== dst.az || src.tenancy !== dst.tenancy)
    throw Ec2Errors.invalidValue("The source and destination Capacity Reservations must have the same instance type, platform, Availability Zone and tenancy.");
  const count = Number(input.InstanceCount);
  if (!Number.isInteger(count) || count < 1 || count >= src.total)
    throw Ec2Errors.invalidValue(
      `Value (${input.InstanceCount}) for parameter InstanceCount is invalid. It must be at least 1 and less than the source reservation's instance count (${src.total}).`,
    );
  dryRun(input);
  src.total -= count;
  dst.total += count;
  return { SourceCapacityReservation: await one(ctx, src.id), DestinationCapacityReservation: await one(ctx, dst.id), InstanceCount: count };
}

export function GetCapacityReservationUsage(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s } = fl(ctx);
  const r = getCr(s, String(input.CapacityReservationId));
  const state = stateAt(r, ctx.now());
  return {
    CapacityReservationId: r.id,
    InstanceType: r.instanceType,
    TotalInstanceCount: r.total,
    AvailableInstanceCount: state === "active" ? r.total - (r.allocation?.status === "active" ? r.allocation.count : 0) : 0,
    State: state,
    InstanceUsages: [],
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
  };
}
