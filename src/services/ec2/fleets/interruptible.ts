/**
 * Interruptible Capacity Reservations: the owner of an active, open-ended reservation lends part of its unused
 * capacity to a new interruptible reservation (same type, platform, zone and tenancy) and later grows,
 * shrinks or reclaims it. The source's AvailableInstanceCount drops by the lent count; reducing the target to
 * zero cancels the interruptible reservation. Changes complete at once (status active, or canceled).
 */
import type { Ctx } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { applyTagSpec, dryRun, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { stateAt } from "../more/capacity.js";
import { moreOf, type CapacityReservationRec } from "../more/state.js";
import type { Ec2State } from "../state.js";
import { fl } from "./state.js";

const e = Ec2Errors.custom;

function source(s: Ec2State, id: string, now: Date): CapacityReservationRec {
  const r = moreOf(s).capacityReservations.get(id);
  if (!r) throw e("InvalidCapacityReservationId.NotFound", `The capacity reservation ID '${id}' does not exist`);
  if (r.interruptibleFrom) throw Ec2Errors.invalidValue(`The capacity reservation '${id}' is interruptible and cannot be a source reservation.`);
  const state = stateAt(r, now);
  if (state !== "active") throw e("InvalidCapacityReservationId.Unavailable", `The capacity reservation '${id}' is ${state}; it must be active.`);
  return r;
}

/** Unused capacity of a source: its count less what is already lent (instances do not consume reservations in awsim). */
const unused = (r: CapacityReservationRec) => r.total - (r.allocation?.status === "active" ? r.allocation.count : 0);

function checkCount(n: number, free: number, name: string) {
  if (!Number.isInteger(n) || n < 0 || n > 1000)
    throw Ec2Errors.invalidValue(`Value (${n}) for parameter ${name} is invalid. Expected an integer from 0 to 1000.`);
  if (n > free) throw Ec2Errors.invalidValue(`Only ${free} unused instances of the source capacity reservation can be allocated; ${n} were requested.`);
}

export function CreateInterruptibleCapacityReservationAllocation(ctx: Ctx, input: Input) {
  const { s } = fl(ctx);
  const now = ctx.now();
  const src = source(s, String(input.CapacityReservationId), now);
  if (src.endDateType !== "unlimited")
    throw Ec2Errors.invalidValue(`The capacity reservation '${src.id}' has an end date; only reservations without one can allocate interruptible capacity.`);
  if (src.allocation && src.allocation.status === "active") {
    if (input.ClientToken && (src.allocation as { token?: string }).token === input.ClientToken)
      return { SourceCapacityReservationId: src.id, TargetInstanceCount: src.allocation.target, Status: src.allocation.status, InterruptionType: "adhoc" };
    throw e("IncorrectState", `The capacity reservation '${src.id}' already has an interruptible allocation; modify or cancel it first.`);
  }
  const count = Number(input.InstanceCount);
  checkCount(count, unused(src), "InstanceCount");
  if (count < 1) throw Ec2Errors.invalidValue(`Value (${count}) for parameter InstanceCount is invalid. Expected a positive integer.`);
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
    interruptibleFrom: src.id,
    tags: new Map(),
  };
  moreOf(s).capacityReservations.set(r.id, r);
  applyTagSpec(s, input, "capacity-reservation", r.id, r);
  src.allocation = { reservationId: r.id, count, target: count, status: "active" };
  (src.allocation as { token?: string }).token = input.ClientToken;
  return { SourceCapacityReservationId: src.id, TargetInstanceCount: count, Status: "active", InterruptionType: "adhoc" };
}

export function UpdateInterruptibleCapacityReservationAllocation(ctx: Ctx, input: Input) {
  const { s } = fl(ctx);
  const now = ctx.now();
  const src = source(s, String(input.CapacityReservationId), now);
  const a = src.allocation;
  if (a?.status !== "active") throw Ec2Errors.invalidValue(`The capacity reservation '${src.id}' has no active interruptible allocation.`);
  const target = Number(input.TargetInstanceCount);
  checkCount(target, unused(src) + a.count, "TargetInstanceCount");
  dryRun(input);
  const r = moreOf(s).capacityReservations.get(a.reservationId);
  a.target = target;
  a.count = target;
  if (target === 0) {
    a.status = "canceled";
    if (r) r.state = "cancelled";
  } else if (r) r.total = target;
  return {
    InterruptibleCapacityReservationId: a.reservationId,
    SourceCapacityReservationId: src.id,
    InstanceCount: a.count,
    TargetInstanceCount: a.target,
    Status: a.status,
    InterruptionType: "adhoc",
  };
}
