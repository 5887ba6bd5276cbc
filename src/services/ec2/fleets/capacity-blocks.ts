/**
 * Capacity Blocks for ML. Offerings are computed, deterministically, for the instance types AWS sells Capacity
 * Blocks of (p4d, p4de, p5, p5e, p5en, p6-b200, p6-b300, trn1, trn2): durations of 1 to 14 days in 1-day steps
 * and up to 182 days in 7-day steps, 1 to 64 instances, starting within eight weeks and ending at 11:30 UTC,
 * up to six per search, in a zone of the Region picked from the offering; their prices are awsim's own
 * (a fixed hourly rate per instance type), not AWS's. PurchaseCapacityBlock turns an offering into a targeted
 * Capacity Reservation of type capacity-block (scheduled until its start, active, then expired; it can't be
 * modified or cancelled), and a Capacity Block that lists it. Extensions (offerings starting at the block's end,
 * purchase, history) move the end date. No UltraServer types are offered.
 */
import { createHash } from "node:crypto";
import type { Ctx } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { applyTagSpec, dryRun, int, list, select, setTag, tagsOf, zonesOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { stateAt, view as reservationView } from "../more/capacity.js";
import { moreOf, type CapacityReservationRec } from "../more/state.js";
import type { Ec2State, Tagged } from "../state.js";

const e = Ec2Errors.custom;
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const MAX_AHEAD = 8 * 7 * DAY;
const MAX_INSTANCES_PER_BLOCK = 64;
const MAX_INSTANCES = 256;

/** Instance types with Capacity Blocks, and awsim's hourly price per instance (USD). */
const TYPES: Record<string, number> = {
  "p4d.24xlarge": 11.8,
  "p4de.24xlarge": 14.7,
  "p5.4xlarge": 3.9,
  "p5.48xlarge": 31.5,
  "p5e.48xlarge": 34.6,
  "p5en.48xlarge": 36.2,
  "p6-b200.48xlarge": 45.6,
  "p6-b300.48xlarge": 58.1,
  "trn1.32xlarge": 9.8,
  "trn2.48xlarge": 26.4,
};

export interface OfferingRec {
  id: string;
  instanceType: string;
  count: number;
  az: string;
  start: Date;
  end: Date;
  hours: number;
  fee: string;
}

export interface CapacityBlockRec extends Tagged {
  id: string;
  seq: number;
  crIds: string[];
  az: string;
  start: Date;
  end: Date;
  created: Date;
}

export interface ExtensionRec {
  offeringId: string;
  crId: string;
  instanceType: string;
  count: number;
  az: string;
  hours: number;
  status: string;
  purchased: Date;
  start: Date;
  end: Date;
  fee: string;
}

export interface CapacityBlocksState {
  blocks: Map<string, CapacityBlockRec>;
  /** Offerings handed out by DescribeCapacityBlockOfferings / ...ExtensionOfferings, until purchased. */
  offerings: Map<string, OfferingRec & { crId?: string }>;
  extensions: ExtensionRec[];
}

type WithBlocks = Ec2State & { capacityBlocksState?: CapacityBlocksState };

export function blocksOf(s: Ec2State): CapacityBlocksState {
  const w = s as WithBlocks;
  w.capacityBlocksState ??= { blocks: new Map(), offerings: new Map(), extensions: [] };
  return w.capacityBlocksState;
}

export const blockNotFound = (id: string) => e("InvalidCapacityBlockId.NotFound", `The Capacity Block ID '${id}' does not exist`);
const offeringNotFound = (id: string) => Ec2Errors.invalidValue(`The Capacity Block offering ID '${id}' is not valid or is no longer available.`);
const crNotFound = (id: string) => e("InvalidCapacityReservationId.NotFound", `The capacity reservation ID '${id}' does not exist`);

/** 1-day steps up to 14 days, 7-day steps up to 182 days. */
function checkHours(hours: number, param: string): void {
  const ok = hours > 0 && (hours <= 14 * 24 ? hours % 24 === 0 : hours <= 182 * 24 && hours % (7 * 24) === 0);
  if (!ok)
    throw Ec2Errors.invalidValue(
      `Value (${hours}) for parameter ${param} is invalid. Specify the duration in 1-day increments up to 14 days, and in 7-day increments up to 182 days.`,
    );
}

/** The first 11:30 UTC at or after t. */
function nextEnd(t: number): number {
  const d = new Date(t);
  let at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 11, 30);
  if (at < t) at += DAY;
  return at;
}

const hash = (x: string) => createHash("sha256").update(x).digest();
const fee = (type: string, count: number, hours: number) => (TYPES[type]! * count * hours).toFixed(2);

function offeringView(o: OfferingRec) {
  return {
    CapacityBlockOfferingId: o.id,
    InstanceType: o.instanceType,
    AvailabilityZone: o.az,
    InstanceCount: o.count,
    StartDate: o.start,
    EndDate: o.end,
    CapacityBlockDurationHours: o.hours,
    CapacityBlockDurationMinutes: 0,
    UpfrontFee: o.fee,
    CurrencyCode: "USD",
    Tenancy: "default",
    ZoneType: "availability-zone",
  };
}

export function DescribeCapacityBlockOfferings(ctx: Ctx, input: Input) {
  const s = ctx.state<Ec2State>();
  const b = blocksOf(s);
  const hours = Number(input.CapacityDurationHours);
  checkHours(hours, "capacityDurationHours");
  if (input.InstanceType === undefined && input.UltraserverType === undefined) throw Ec2Errors.missing("InstanceType");
  if (input.InstanceType !== undefined && input.UltraserverType !== undefined)
    throw Ec2Errors.invalidCombination("Specify either InstanceType or UltraserverType, not both.");
  const count = int(input.InstanceCount ?? input.UltraserverCount, "InstanceCount");
  if (count === undefined) throw Ec2Errors.missing(input.InstanceType !== undefined ? "InstanceCount" : "UltraserverCount");
  if (count < 1 || count > MAX_INSTANCES_PER_BLOCK)
    throw Ec2Errors.invalidValue(
      `Value (${count}) for parameter instanceCount is invalid. A Capacity Block can have 1 to ${MAX_INSTANCES_PER_BLOCK} instances.`,
    );
  const now = ctx.now().getTime();
  const from = Math.max(now, input.StartDateRange ? new Date(input.StartDateRange).getTime() : now);
  const until = input.EndDateRange ? new Date(input.EndDateRange).getTime() : Number.POSITIVE_INFINITY;
  if (until <= from) throw Ec2Errors.invalidValue("The end date range must be after the start date range.");
  dryRun(input);
  const type = input.InstanceType === undefined ? undefined : String(input.InstanceType);
  const found: OfferingRec[] = [];
  // No UltraServer types are offered, and only the Capacity Block instance types.
  if (type && TYPES[type] !== undefined) {
    const zones = zonesOf(s.region);
    for (let end = nextEnd(from + hours * HOUR); found.length < 6; end += DAY) {
      const start = end - hours * HOUR;
      if (start > now + MAX_AHEAD || end > until) break;
      const key = `${s.accountId}|${type}|${count}|${start}|${hours}`;
      const h = hash(key);
      const o: OfferingRec = {
        id: `cb-${h.toString("hex").slice(0, 17)}`,
        instanceType: type,
        count,
        az: zones[h.readUInt16BE(10) % zones.length]!.name,
        start: new Date(start),
        end: new Date(end),
        hours,
        fee: fee(type, count, hours),
      };
      if (!b.offerings.has(o.id)) b.offerings.set(o.id, o);
      found.push(o);
    }
  }
  const r = select(
    found.map((o) => ({ o, tags: new Map<string, string>() })),
    input,
    {},
    (x) => x.o.id,
    { paginate: true, min: 1, max: 1000 },
  );
  return { CapacityBlockOfferings: r.items.map((x) => offeringView(x.o)), NextToken: r.nextToken };
}

/** Instances of the account's Capacity Blocks that have not ended. */
function reservedInstances(s: Ec2State, now: Date): number {
  const m = moreOf(s);
  let n = 0;
  for (const r of m.capacityReservations.values()) if (r.capacityBlockId && ["scheduled", "active"].includes(stateAt(r, now))) n += r.total;
  return n;
}

export function PurchaseCapacityBlock(ctx: Ctx, input: Input) {
  const s = ctx.state<Ec2State>();
  const b = blocksOf(s);
  const m = moreOf(s);
  const id = String(input.CapacityBlockOfferingId);
  const o = b.offerings.get(id);
  if (!o || o.crId) throw offeringNotFound(id);
  const now = ctx.now();
  if (reservedInstances(s, now) + o.count > MAX_INSTANCES)
    throw e("ReservationCapacityExceeded", `You can have up to ${MAX_INSTANCES} instances across your Capacity Blocks.`);
  dryRun(input);
  b.offerings.delete(id);
  const block: CapacityBlockRec = {
    id: ec2Id("cb"),
    seq: ++s.seq,
    crIds: [],
    az: o.az,
    start: new Date(o.start),
    end: new Date(o.end),
    created: new Date(now),
    tags: new Map(),
  };
  const r: CapacityReservationRec = {
    id: ec2Id("cr"),
    instanceType: o.instanceType,
    platform: String(input.InstancePlatform),
    az: o.az,
    tenancy: "default",
    total: o.count,
    ebsOptimized: true,
    ephemeralStorage: false,
    state: "active",
    startDate: new Date(o.start),
    endDate: new Date(o.end),
    endDateType: "limited",
    instanceMatchCriteria: "targeted",
    createTime: now,
    capacityBlockId: block.id,
    tags: new Map(),
  };
  block.crIds.push(r.id);
  m.capacityReservations.set(r.id, r);
  b.blocks.set(block.id, block);
  applyTagSpec(s, input, "capacity-reservation", r.id, r);
  applyTagSpec(s, input, "capacity-block", block.id, block);
  // "You can see how many instances will be available in your Capacity Block by the tag value for the tag key
  // aws:ec2capacityreservation:incrementalRequestedQuantity." (User Guide, View Capacity Blocks)
  setTag(s, r.id, r, "aws:ec2capacityreservation:incrementalRequestedQuantity", String(o.count));
  return { CapacityReservation: reservationView(s, r, now) };
}

function blockState(s: Ec2State, x: CapacityBlockRec, now: Date): string {
  const r = moreOf(s).capacityReservations.get(x.crIds[0]!);
  return r ? stateAt(r, now) : "expired";
}

function blocksNamed(s: Ec2State, input: Input): CapacityBlockRec[] {
  const b = blocksOf(s);
  const ids = list(input.CapacityBlockIds);
  for (const id of ids) if (!b.blocks.has(id)) throw blockNotFound(id);
  return ids.length ? [...new Set(ids)].map((id) => b.blocks.get(id)!) : [...b.blocks.values()];
}

const azId = (s: Ec2State, az: string) => zonesOf(s.region).find((z) => z.name === az)?.id;

export function DescribeCapacityBlocks(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = ctx.state<Ec2State>();
  const now = ctx.now();
  const r = select(
    blocksNamed(s, input),
    input,
    {
      "capacity-block-id": (x) => x.id,
      "ultraserver-type": () => "instances",
      "availability-zone": (x) => x.az,
      "start-date": (x) => x.start.toISOString(),
      "end-date": (x) => x.end.toISOString(),
      "create-date": (x) => x.created.toISOString(),
      state: (x) => blockState(s, x, now),
      tags: (x) => [...x.tags].map(([k, v]) => `${k}=${v}`),
    },
    (x) => String(x.seq).padStart(12, "0"),
    { paginate: true, min: 1, max: 1000 },
  );
  return {
    CapacityBlocks: r.items.map((x) => ({
      CapacityBlockId: x.id,
      AvailabilityZone: x.az,
      AvailabilityZoneId: azId(s, x.az),
      CapacityReservationIds: x.crIds,
      StartDate: x.start,
      EndDate: x.end,
      CreateDate: x.created,
      State: blockState(s, x, now),
      Tags: tagsOf(x),
    })),
    NextToken: r.nextToken,
  };
}

export function DescribeCapacityBlockStatus(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = ctx.state<Ec2State>();
  const m = moreOf(s);
  const now = ctx.now();
  const r = select(blocksNamed(s, input), input, { "interconnect-status": () => "ok" }, (x) => String(x.seq).padStart(12, "0"), {
    paginate: true,
    min: 1,
    max: 1000,
  });
  return {
    CapacityBlockStatuses: r.items.map((x) => {
      const crs = x.crIds.map((id) => m.capacityReservations.get(id)).filter((c): c is CapacityReservationRec => !!c);
      // Before a block starts (and after it ends) none of its capacity can be launched into.
      const rows = crs.map((c) => ({
        CapacityReservationId: c.id,
        TotalCapacity: c.total,
        TotalAvailableCapacity: stateAt(c, now) === "active" ? c.total : 0,
        TotalUnavailableCapacity: 0,
      }));
      return {
        CapacityBlockId: x.id,
        InterconnectStatus: "ok",
        TotalCapacity: rows.reduce((n, c) => n + c.TotalCapacity, 0),
        TotalAvailableCapacity: rows.reduce((n, c) => n + c.TotalAvailableCapacity, 0),
        TotalUnavailableCapacity: 0,
        CapacityReservationStatuses: rows,
      };
    }),
    NextToken: r.nextToken,
  };
}

/** A Capacity Block reservation that can still be extended (scheduled or active). */
function extendable(ctx: Ctx, id: string): { s: Ec2State; r: CapacityReservationRec } {
  const s = ctx.state<Ec2State>();
  const r = moreOf(s).capacityReservations.get(id);
  if (!r) throw crNotFound(id);
  if (!r.capacityBlockId) throw Ec2Errors.invalidValue(`The capacity reservation '${id}' is not a Capacity Block; only Capacity Blocks can be extended.`);
  const state = stateAt(r, ctx.now());
  if (state !== "active" && state !== "scheduled")
    throw e("InvalidCapacityReservationId.Unavailable", `The capacity reservation '${id}' is ${state} and cannot be extended.`);
  return { s, r };
}

export function DescribeCapacityBlockExtensionOfferings(ctx: Ctx, input: Input) {
  const hours = Number(input.CapacityBlockExtensionDurationHours);
  checkHours(hours, "capacityBlockExtensionDurationHours");
  const { s, r } = extendable(ctx, String(input.CapacityReservationId));
  dryRun(input);
  const b = blocksOf(s);
  const start = r.endDate!;
  const id = `cbe-${hash(`${s.accountId}|${r.id}|${start.getTime()}|${hours}`).toString("hex").slice(0, 17)}`;
  const o = {
    id,
    instanceType: r.instanceType,
    count: r.total,
    az: r.az,
    start,
    end: new Date(start.getTime() + hours * HOUR),
    hours,
    fee: fee(r.instanceType, r.total, hours),
    crId: r.id,
  };
  b.offerings.set(id, o);
  const page = select([{ o, tags: new Map<string, string>() }], input, {}, (x) => x.o.id, { paginate: true, min: 1, max: 1000 });
  return {
    CapacityBlockExtensionOfferings: page.items.map(({ o }) => ({
      CapacityBlockExtensionOfferingId: o.id,
      InstanceType: o.instanceType,
      InstanceCount: o.count,
      AvailabilityZone: o.az,
      AvailabilityZoneId: azId(s, o.az),
      StartDate: r.startDate,
      CapacityBlockExtensionStartDate: o.start,
      CapacityBlockExtensionEndDate: o.end,
      CapacityBlockExtensionDurationHours: o.hours,
      UpfrontFee: o.fee,
      CurrencyCode: "USD",
      Tenancy: r.tenancy,
      ZoneType: "availability-zone",
    })),
    NextToken: page.nextToken,
  };
}

function extensionView(s: Ec2State, x: ExtensionRec) {
  return {
    CapacityReservationId: x.crId,
    InstanceType: x.instanceType,
    InstanceCount: x.count,
    AvailabilityZone: x.az,
    AvailabilityZoneId: azId(s, x.az),
    CapacityBlockExtensionOfferingId: x.offeringId,
    CapacityBlockExtensionDurationHours: x.hours,
    CapacityBlockExtensionStatus: x.status,
    CapacityBlockExtensionPurchaseDate: x.purchased,
    CapacityBlockExtensionStartDate: x.start,
    CapacityBlockExtensionEndDate: x.end,
    UpfrontFee: x.fee,
    CurrencyCode: "USD",
    ZoneType: "availability-zone",
  };
}

export function PurchaseCapacityBlockExtension(ctx: Ctx, input: Input) {
  const { s, r } = extendable(ctx, String(input.CapacityReservationId));
  const b = blocksOf(s);
  const id = String(input.CapacityBlockExtensionOfferingId);
  const o = b.offerings.get(id);
  // An extension offering is for one reservation, from its current end date.
  if (!o || o.crId !== r.id || o.start.getTime() !== r.endDate!.getTime()) throw offeringNotFound(id);
  dryRun(input);
  b.offerings.delete(id);
  r.endDate = new Date(o.end);
  const block = b.blocks.get(r.capacityBlockId!);
  if (block) block.end = new Date(o.end);
  const x: ExtensionRec = {
    offeringId: id,
    crId: r.id,
    instanceType: r.instanceType,
    count: r.total,
    az: r.az,
    hours: o.hours,
    status: "payment-succeeded",
    purchased: ctx.now(),
    start: o.start,
    end: o.end,
    fee: o.fee,
  };
  b.extensions.push(x);
  return { CapacityBlockExtensions: [extensionView(s, x)] };
}

export function DescribeCapacityBlockExtensionHistory(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = ctx.state<Ec2State>();
  const m = moreOf(s);
  const ids = list(input.CapacityReservationIds);
  for (const id of ids) if (!m.capacityReservations.has(id)) throw crNotFound(id);
  const rows = blocksOf(s)
    .extensions.filter((x) => !ids.length || ids.includes(x.crId))
    .map((x, n) => ({ x, n, tags: new Map<string, string>() }));
  const r = select(
    rows,
    input,
    {
      "availability-zone": (y) => y.x.az,
      "availability-zone-id": (y) => azId(s, y.x.az),
      "capacity-block-extension-offering-id": (y) => y.x.offeringId,
      "capacity-block-extension-status": (y) => y.x.status,
      "capacity-reservation-id": (y) => y.x.crId,
      "instance-type": (y) => y.x.instanceType,
    },
    (y) => String(y.n).padStart(12, "0"),
    { paginate: true, min: 1, max: 1000 },
  );
  return { CapacityBlockExtensions: r.items.map((y) => extensionView(s, y.x)), NextToken: r.nextToken };
}
