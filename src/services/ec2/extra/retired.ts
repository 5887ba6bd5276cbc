/**
 * What AWS still answers for features it has retired or that no awsim resource can reach:
 *
 * - Scheduled Instances: "You can no longer purchase Scheduled Instances" (API reference), so no schedule is
 *   ever available, no purchase token is ever issued and no Scheduled Instance exists. The Describe operations
 *   validate their input and filters and answer empty lists; a purchase token is never valid
 *   (InvalidPurchaseToken.Malformed); every Scheduled Instance id is unknown (InvalidScheduledInstance).
 * - Elastic Graphics "reached end of life on January 8, 2024": no accelerator exists, DescribeElasticGpus is
 *   empty and an id is Malformed or NotFound.
 * - Scheduled instance events: awsim schedules none (DescribeInstanceStatus lists no events), so
 *   ModifyInstanceEventStartTime finds the instance and then no event (InvalidInstanceEventIDNotFound).
 * - Resource groups of a Capacity Reservation come from AWS Resource Groups, which awsim does not have: an
 *   existing reservation belongs to none.
 *
 * Codes from the EC2 API's error code list; messages are its descriptions where AWS's exact text is not known.
 */
import type { Ctx } from "../../core/types.js";
import { dryRun, int, list, required, select, st, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { named } from "../instances.js";
import { moreOf } from "../more/state.js";

const e = Ec2Errors.custom;
const scheduledNotFound = () => e("InvalidScheduledInstance", "The specified Scheduled Instance does not exist.");

/** The filters DescribeScheduledInstances and DescribeScheduledInstanceAvailability document (nothing ever matches). */
const SCHEDULE_FILTERS = { "availability-zone": () => "", "instance-type": () => "", platform: () => "" };

function timeOf(v: unknown, name: string): number | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  const t = v instanceof Date ? v.getTime() : Date.parse(String(v));
  if (Number.isNaN(t)) throw Ec2Errors.invalidValue(`Invalid value '${String(v)}' for ${name}`);
  return t;
}

export function DescribeScheduledInstanceAvailability(_ctx: Ctx, input: Input) {
  dryRun(input);
  const range = (input.FirstSlotStartTimeRange ?? {}) as Record<string, unknown>;
  // Both times are required members (the model checks them); their order is behaviour.
  const earliest = timeOf(range.EarliestTime, "FirstSlotStartTimeRange.EarliestTime") ?? 0;
  const latest = timeOf(range.LatestTime, "FirstSlotStartTimeRange.LatestTime") ?? 0;
  if (latest < earliest) throw Ec2Errors.invalidValue("FirstSlotStartTimeRange.LatestTime must not be earlier than EarliestTime");
  const rec = (input.Recurrence ?? {}) as Record<string, unknown>;
  // "Frequency: The frequency (Daily, Weekly, or Monthly)."
  if (rec.Frequency !== undefined && !["Daily", "Weekly", "Monthly"].includes(String(rec.Frequency)))
    throw Ec2Errors.invalidValue(`Invalid value '${String(rec.Frequency)}' for Recurrence.Frequency. Valid values: Daily, Weekly, Monthly`);
  const min = int(input.MinSlotDurationInHours, "MinSlotDurationInHours");
  const max = int(input.MaxSlotDurationInHours, "MaxSlotDurationInHours");
  // "MaxSlotDurationInHours: This value must be greater than MinSlotDurationInHours and less than 1,720."
  if (max !== undefined && (max >= 1720 || (min !== undefined && max <= min)))
    throw Ec2Errors.invalidValue("MaxSlotDurationInHours must be greater than MinSlotDurationInHours and less than 1,720");
  const page = select([] as Array<{ tags: Map<string, string> }>, input, SCHEDULE_FILTERS, () => "", { paginate: true, min: 5, max: 300 });
  return { ScheduledInstanceAvailabilitySet: page.items, NextToken: page.nextToken };
}

export function DescribeScheduledInstances(_ctx: Ctx, input: Input) {
  dryRun(input);
  if (list(input.ScheduledInstanceIds).length) throw scheduledNotFound();
  const range = (input.SlotStartTimeRange ?? {}) as Record<string, unknown>;
  timeOf(range.EarliestTime, "SlotStartTimeRange.EarliestTime");
  timeOf(range.LatestTime, "SlotStartTimeRange.LatestTime");
  const page = select([] as Array<{ tags: Map<string, string> }>, input, SCHEDULE_FILTERS, () => "", { paginate: true, min: 5, max: 300 });
  return { ScheduledInstanceSet: page.items, NextToken: page.nextToken };
}

export function PurchaseScheduledInstances(_ctx: Ctx, input: Input) {
  dryRun(input);
  // No schedule is ever offered, so no purchase token was issued: whatever is presented is not one.
  throw e("InvalidPurchaseToken.Malformed", "The specified purchase token is not valid.");
}

export function RunScheduledInstances(_ctx: Ctx, input: Input) {
  dryRun(input);
  required(input, "ScheduledInstanceId");
  throw scheduledNotFound();
}

export function DescribeElasticGpus(_ctx: Ctx, input: Input) {
  dryRun(input);
  for (const id of list(input.ElasticGpuIds)) {
    if (!/^egpu-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) throw Ec2Errors.malformed("ElasticGpu", id);
    throw e("InvalidElasticGpuID.NotFound", `The elastic gpu ID '${id}' does not exist`);
  }
  const page = select(
    [] as Array<{ tags: Map<string, string> }>,
    input,
    { "availability-zone": () => "", "elastic-gpu-health": () => "", "elastic-gpu-state": () => "", "elastic-gpu-type": () => "", "instance-id": () => "" },
    () => "",
    { paginate: true, min: 10, max: 1000 },
  );
  return { ElasticGpuSet: page.items, NextToken: page.nextToken };
}

export function ModifyInstanceEventStartTime(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  named(s, [required(input, "InstanceId")]);
  const eventId = String(input.InstanceEventId);
  throw e("InvalidInstanceEventIDNotFound", `The specified instance event ID '${eventId}' cannot be found for instance '${String(input.InstanceId)}'.`);
}

export function GetGroupsForCapacityReservation(ctx: Ctx, input: Input) {
  dryRun(input);
  const id = required(input, "CapacityReservationId");
  if (!moreOf(st(ctx)).capacityReservations.has(id)) throw e("InvalidCapacityReservationId.NotFound", `The capacity reservation ID '${id}' does not exist`);
  const page = select([] as Array<{ tags: Map<string, string> }>, input, {}, () => "", { paginate: true, min: 1, max: 1000 });
  return { CapacityReservationGroups: page.items, NextToken: page.nextToken };
}
