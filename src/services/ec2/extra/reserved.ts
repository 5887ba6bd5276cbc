/**
 * Reserved Instances: a small catalogue of offerings (regional and zonal; common instance types; Linux
 * and Windows; standard and convertible; No/Partial/All Upfront; 1 and 3 years) priced from on-demand
 * rates, purchases (queued with a future PurchaseTime, retired when their term ends, computed on
 * read), DescribeReservedInstances with filters, DeleteQueuedReservedInstances. No Marketplace listings
 * exist (selling needs a registered seller account), so DescribeReservedInstancesListings is empty.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Ctx } from "../../core/types.js";
import { paginate } from "../../core/paginate.js";
import { compileFilters } from "../../core/filters.js";
import { dryRun, filters, int, list, required, select, st, tagsOf, zonesOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import type { Ec2State } from "../state.js";
import { extraOf, type ReservedRec } from "./state.js";

/** On-demand Linux price per hour (us-east-1) and vCPUs. */
const TYPES: Record<string, [number, number]> = {
  "t2.nano": [0.0058, 1],
  "t2.micro": [0.0116, 1],
  "t2.small": [0.023, 1],
  "t2.medium": [0.0464, 2],
  "t2.large": [0.0928, 2],
  "t3.nano": [0.0052, 2],
  "t3.micro": [0.0104, 2],
  "t3.small": [0.0208, 2],
  "t3.medium": [0.0416, 2],
  "t3.large": [0.0832, 2],
  "t3.xlarge": [0.1664, 4],
  "t3.2xlarge": [0.3328, 8],
  "t4g.micro": [0.0084, 2],
  "t4g.small": [0.0168, 2],
  "t4g.medium": [0.0336, 2],
  "m5.large": [0.096, 2],
  "m5.xlarge": [0.192, 4],
  "m5.2xlarge": [0.384, 8],
  "m6i.large": [0.096, 2],
  "c5.large": [0.085, 2],
  "c5.xlarge": [0.17, 4],
  "c6i.large": [0.085, 2],
  "r5.large": [0.126, 2],
  "r5.xlarge": [0.252, 4],
  "r6i.large": [0.126, 2],
};
const PRODUCTS = ["Linux/UNIX", "Windows"];
const ONE_YEAR = 31536000;
const THREE_YEARS = 94608000;
/** Effective rate as a share of on-demand, by class, term and payment option. */
const RATE: Record<string, Record<number, Record<string, number>>> = {
  standard: {
    [ONE_YEAR]: { "No Upfront": 0.63, "Partial Upfront": 0.6, "All Upfront": 0.59 },
    [THREE_YEARS]: { "No Upfront": 0.45, "Partial Upfront": 0.41, "All Upfront": 0.39 },
  },
  convertible: {
    [ONE_YEAR]: { "No Upfront": 0.73, "Partial Upfront": 0.7, "All Upfront": 0.69 },
    [THREE_YEARS]: { "No Upfront": 0.54, "Partial Upfront": 0.5, "All Upfront": 0.48 },
  },
};

export interface Offering {
  id: string;
  instanceType: string;
  productDescription: string;
  offeringClass: string;
  offeringType: string;
  duration: number;
  fixedPrice: number;
  hourly: number;
  az?: string;
  azId?: string;
  scope: string;
}

const round = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;

function offeringId(parts: string[]): string {
  const h = createHash("md5").update(parts.join("|")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const CATALOGUES = new WeakMap<Ec2State, Offering[]>();

/** The region's offerings: regional ones, then one set per availability zone. */
export function catalogue(s: Ec2State): Offering[] {
  let all = CATALOGUES.get(s);
  if (all) return all;
  all = [];
  const scopes: Array<{ az?: string; azId?: string }> = [{}, ...zonesOf(s.region).map((z) => ({ az: z.name, azId: z.id }))];
  for (const sc of scopes)
    for (const [type, [linux, vcpus]] of Object.entries(TYPES))
      for (const product of PRODUCTS)
        for (const cls of ["standard", "convertible"])
          for (const duration of [ONE_YEAR, THREE_YEARS])
            for (const payment of ["No Upfront", "Partial Upfront", "All Upfront"]) {
              if (cls === "convertible" && sc.az) continue;
              const od = product === "Windows" ? linux + 0.046 * vcpus : linux;
              const hours = duration / 3600;
              const effective = od * RATE[cls]![duration]![payment]!;
              const fixed = payment === "All Upfront" ? effective * hours : payment === "Partial Upfront" ? (effective * hours) / 2 : 0;
              const hourly = payment === "All Upfront" ? 0 : payment === "Partial Upfront" ? effective / 2 : effective;
              all.push({
                id: offeringId([s.region, sc.az ?? "", type, product, cls, String(duration), payment]),
                instanceType: type,
                productDescription: product,
                offeringClass: cls,
                offeringType: payment,
                duration,
                fixedPrice: Math.round(fixed),
                hourly: round(hourly, 4),
                az: sc.az,
                azId: sc.azId,
                scope: sc.az ? "Availability Zone" : "Region",
              });
            }
  CATALOGUES.set(s, all);
  return all;
}

const offeringView = (o: Offering) => ({
  ReservedInstancesOfferingId: o.id,
  InstanceType: o.instanceType,
  AvailabilityZone: o.az,
  AvailabilityZoneId: o.azId,
  Duration: o.duration,
  UsagePrice: 0,
  FixedPrice: o.fixedPrice,
  ProductDescription: o.productDescription,
  CurrencyCode: "USD",
  InstanceTenancy: "default",
  Marketplace: false,
  OfferingClass: o.offeringClass,
  OfferingType: o.offeringType,
  PricingDetails: [],
  RecurringCharges: o.hourly > 0 || o.offeringType !== "All Upfront" ? [{ Amount: o.hourly, Frequency: "Hourly" }] : [],
  Scope: o.scope,
});

/** A price as a filter value: as AWS writes it (a whole price with ".0", e.g. "0.0") and as plainly written ("0"). */
const price = (n: number) => (Number.isInteger(n) ? [n.toFixed(1), String(n)] : [String(n)]);

export function DescribeReservedInstancesOfferings(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  if (input.AvailabilityZone !== undefined && !zonesOf(s.region).some((z) => z.name === input.AvailabilityZone))
    throw Ec2Errors.invalidValue(`Invalid availability zone: [${input.AvailabilityZone}]`);
  const ids = list(input.ReservedInstancesOfferingIds);
  let items = catalogue(s).filter((o) => {
    if (ids.length) return ids.includes(o.id);
    if (input.AvailabilityZone !== undefined && o.az !== undefined && o.az !== input.AvailabilityZone) return false;
    if (input.AvailabilityZoneId !== undefined && o.azId !== undefined && o.azId !== input.AvailabilityZoneId) return false;
    if (input.InstanceType !== undefined && o.instanceType !== input.InstanceType) return false;
    if (input.ProductDescription !== undefined && o.productDescription !== String(input.ProductDescription).replace(" (Amazon VPC)", "")) return false;
    if (input.OfferingClass !== undefined && o.offeringClass !== input.OfferingClass) return false;
    if (input.OfferingType !== undefined && o.offeringType !== input.OfferingType) return false;
    if (input.MinDuration !== undefined && o.duration < input.MinDuration) return false;
    if (input.MaxDuration !== undefined && o.duration > input.MaxDuration) return false;
    if (input.InstanceTenancy !== undefined && input.InstanceTenancy !== "default") return false;
    return true;
  });
  const pred = compileFilters(
    filters(input),
    {
      "availability-zone": (o: Offering) => o.az,
      "availability-zone-id": (o: Offering) => o.azId,
      duration: (o: Offering) => String(o.duration),
      "fixed-price": (o: Offering) => price(o.fixedPrice),
      "instance-type": (o: Offering) => o.instanceType,
      marketplace: () => "false",
      "product-description": (o: Offering) => o.productDescription,
      "reserved-instances-offering-id": (o: Offering) => o.id,
      scope: (o: Offering) => o.scope,
      "usage-price": () => "0.0",
    },
    { unknownFilter: Ec2Errors.invalidFilter },
  );
  items = items.filter(pred);
  const max = int(input.MaxResults, "MaxResults");
  if (max !== undefined && (max < 1 || max > 100))
    throw Ec2Errors.invalidValue(`Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between 1 and 100.`);
  const page = paginate(items, {
    maxResults: max,
    nextToken: input.NextToken,
    defaultMax: 100,
    key: (o) => o.id,
    invalidToken: () => Ec2Errors.invalidToken(input.NextToken),
  });
  return { reservedInstancesOfferingsSet: page.items.map(offeringView), nextToken: page.nextToken };
}

function stateOfRi(r: ReservedRec, now: Date): string {
  if (r.state === "queued" && r.start <= now) r.state = "active";
  if (r.state === "active" && r.end <= now) r.state = "retired";
  return r.state;
}

export function PurchaseReservedInstancesOffering(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const x = extraOf(s);
  const id = required(input, "ReservedInstancesOfferingId");
  const count = input.InstanceCount as number;
  const o = catalogue(s).find((c) => c.id === id);
  if (!o) throw Ec2Errors.custom("InvalidReservedInstancesOfferingId", `The specified reserved instances offering id(s) do not exist: [${id}]`);
  if (!Number.isInteger(count) || count < 1) throw Ec2Errors.invalidValue(`Invalid value '${count}' for instanceCount. It must be at least 1.`);
  if (input.LimitPrice?.Amount !== undefined && o.fixedPrice * count > input.LimitPrice.Amount)
    throw Ec2Errors.custom(
      "ReservedInstancesLimitPriceExceeded",
      `The total upfront price (${o.fixedPrice * count}) exceeds the limit price (${input.LimitPrice.Amount}).`,
    );
  const now = ctx.now();
  const at = input.PurchaseTime as Date | undefined;
  if (at && at.getTime() > now.getTime() + 3 * 365 * 24 * 3600 * 1000)
    throw Ec2Errors.invalidValue("The purchase time can be at most three years in the future.");
  dryRun(input);
  const start = at && at > now ? at : now;
  const r: ReservedRec = {
    id: randomUUID(),
    seq: ++x.seq,
    offeringId: o.id,
    instanceType: o.instanceType,
    az: o.az,
    scope: o.scope,
    productDescription: o.productDescription,
    instanceTenancy: "default",
    offeringClass: o.offeringClass,
    offeringType: o.offeringType,
    duration: o.duration,
    fixedPrice: o.fixedPrice,
    usagePrice: 0,
    hourly: o.hourly,
    count,
    start,
    end: new Date(start.getTime() + o.duration * 1000),
    state: at && at > now ? "queued" : "active",
    purchaseTime: now,
    tags: new Map(),
  };
  x.reserved.set(r.id, r);
  return { reservedInstancesId: r.id };
}

export function DescribeReservedInstances(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const x = extraOf(s);
  const now = ctx.now();
  const ids = list(input.ReservedInstancesIds);
  const missing = ids.filter((id) => !x.reserved.has(id));
  if (missing.length) throw Ec2Errors.custom("InvalidReservedInstancesId.NotFound", `Reserved Instances ${missing.join(", ")} not found`);
  let items = ids.length ? ids.map((id) => x.reserved.get(id)!) : [...x.reserved.values()];
  if (input.OfferingClass !== undefined) items = items.filter((r) => r.offeringClass === input.OfferingClass);
  if (input.OfferingType !== undefined) items = items.filter((r) => r.offeringType === input.OfferingType);
  const r = select(
    items,
    input,
    {
      "availability-zone": (r) => r.az,
      "availability-zone-id": (r) => (r.az ? zonesOf(s.region).find((z) => z.name === r.az)?.id : undefined),
      duration: (r) => String(r.duration),
      end: (r) => r.end.toISOString(),
      "fixed-price": (r) => price(r.fixedPrice),
      "instance-type": (r) => r.instanceType,
      scope: (r) => r.scope,
      "product-description": (r) => r.productDescription,
      "reserved-instances-id": (r) => r.id,
      start: (r) => r.start.toISOString(),
      state: (r) => stateOfRi(r, now),
      "usage-price": () => "0.0",
    },
    (r) => r.id,
  );
  const zones = zonesOf(s.region);
  return {
    reservedInstancesSet: r.items.map((r) => ({
      ReservedInstancesId: r.id,
      InstanceType: r.instanceType,
      AvailabilityZone: r.az,
      AvailabilityZoneId: r.az ? zones.find((z) => z.name === r.az)?.id : undefined,
      Start: r.start,
      End: r.end,
      Duration: r.duration,
      UsagePrice: 0,
      FixedPrice: r.fixedPrice,
      InstanceCount: r.count,
      ProductDescription: r.productDescription,
      State: stateOfRi(r, now),
      CurrencyCode: "USD",
      InstanceTenancy: r.instanceTenancy,
      OfferingClass: r.offeringClass,
      OfferingType: r.offeringType,
      RecurringCharges: r.offeringType !== "All Upfront" ? [{ Amount: r.hourly, Frequency: "Hourly" }] : [],
      Scope: r.scope,
      Tags: tagsOf(r),
    })),
  };
}

export function DeleteQueuedReservedInstances(ctx: Ctx, input: Input) {
  dryRun(input);
  const x = extraOf(st(ctx));
  const now = ctx.now();
  const ok: unknown[] = [];
  const failed: unknown[] = [];
  for (const id of list(input.ReservedInstancesIds)) {
    const r = x.reserved.get(id);
    if (!r) failed.push({ ReservedInstancesId: id, Error: { Code: "reserved-instances-id-invalid", Message: `Reserved Instances ${id} not found` } });
    else if (stateOfRi(r, now) !== "queued")
      failed.push({
        ReservedInstancesId: id,
        Error: { Code: "reserved-instances-not-in-queued-state", Message: `Reserved Instances ${id} is not in queued state` },
      });
    else {
      r.state = "queued-deleted";
      ok.push({ ReservedInstancesId: id });
    }
  }
  return { successfulQueuedPurchaseDeletionSet: ok, failedQueuedPurchaseDeletionSet: failed };
}

export function DescribeReservedInstancesListings(ctx: Ctx, input: Input) {
  const x = extraOf(st(ctx));
  if (input.ReservedInstancesId !== undefined && !x.reserved.has(input.ReservedInstancesId))
    throw Ec2Errors.custom("InvalidReservedInstancesId.NotFound", `Reserved Instances ${input.ReservedInstancesId} not found`);
  const r = select(
    [...x.listings.values()],
    input,
    {
      "reserved-instances-id": (l) => l.reservedInstancesId,
      "reserved-instances-listing-id": (l) => l.id,
      status: (l) => l.status,
      "status-message": (l) => l.statusMessage,
    },
    (l) => l.id,
  );
  return { reservedInstancesListingsSet: r.items.filter((l) => !input.ReservedInstancesListingId || l.id === input.ReservedInstancesListingId) };
}

// ---------------------------------------------------------------- modifications

const SIZE_UNITS: Record<string, number> = {
  nano: 0.25,
  micro: 0.5,
  small: 1,
  medium: 2,
  large: 4,
  xlarge: 8,
  "2xlarge": 16,
  "4xlarge": 32,
  "8xlarge": 64,
  "12xlarge": 96,
  "16xlarge": 128,
  "24xlarge": 192,
};
const units = (type: string, count: number) => (SIZE_UNITS[type.split(".")[1]!] ?? 0) * count;
const family = (type: string) => type.split(".")[0];

function riOf(x: ReturnType<typeof extraOf>, id: string, now: Date): ReservedRec {
  const r = x.reserved.get(id);
  if (!r) throw Ec2Errors.custom("InvalidReservedInstancesId.NotFound", `Reserved Instances ${id} not found`);
  if (stateOfRi(r, now) !== "active") throw Ec2Errors.invalidValue(`Reserved Instances ${id} is not in the active state.`);
  return r;
}

function newRi(x: ReturnType<typeof extraOf>, from: ReservedRec, o: Partial<ReservedRec>, now: Date): ReservedRec {
  const r: ReservedRec = { ...from, ...o, id: randomUUID(), seq: ++x.seq, start: now, state: "active", purchaseTime: now, tags: new Map() };
  x.reserved.set(r.id, r);
  return r;
}

export function ModifyReservedInstances(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const x = extraOf(s);
  const now = ctx.now();
  if (input.ClientToken) {
    const prior = [...x.riModifications.values()].find((m) => m.clientToken === input.ClientToken);
    if (prior) return { reservedInstancesModificationId: prior.id };
  }
  const sources = list(input.ReservedInstancesIds).map((id) => riOf(x, id, now));
  const targets = (input.TargetConfigurations ?? []) as Array<Record<string, any>>;
  if (!sources.length) throw Ec2Errors.missing("ReservedInstancesIds");
  if (!targets.length) throw Ec2Errors.missing("TargetConfigurations");
  const fam = family(sources[0]!.instanceType);
  const product = sources[0]!.productDescription;
  if (sources.some((r) => family(r.instanceType) !== fam || r.productDescription !== product || r.end.getTime() !== sources[0]!.end.getTime()))
    throw Ec2Errors.invalidValue("The Reserved Instances to modify must have the same instance family, platform and end date.");
  const zones = zonesOf(s.region);
  let before = 0;
  let after = 0;
  for (const r of sources) before += units(r.instanceType, r.count);
  for (const t of targets) {
    const type = String(t.InstanceType ?? sources[0]!.instanceType);
    if (family(type) !== fam) throw Ec2Errors.invalidValue(`The instance type ${type} is not in the instance family ${fam} of the Reserved Instances.`);
    if (t.Scope === "Availability Zone" && !zones.some((z) => z.name === t.AvailabilityZone))
      throw Ec2Errors.invalidValue(`Invalid availability zone: [${t.AvailabilityZone}]`);
    if (type !== sources[0]!.instanceType && product !== "Linux/UNIX")
      throw Ec2Errors.invalidValue("Only Linux/UNIX Reserved Instances can change instance size.");
    after += units(type, Number(t.InstanceCount ?? 1));
  }
  if (before !== after)
    throw Ec2Errors.invalidValue(`The requested configuration's footprint (${after} units) does not match that of the Reserved Instances (${before} units).`);
  const results = targets.map((t) => {
    const scope = t.Scope ?? (t.AvailabilityZone ? "Availability Zone" : "Region");
    const az = scope === "Region" ? undefined : t.AvailabilityZone;
    const cfg = {
      InstanceType: t.InstanceType ?? sources[0]!.instanceType,
      InstanceCount: Number(t.InstanceCount ?? 1),
      Platform: t.Platform ?? sources[0]!.productDescription,
      Scope: scope,
      AvailabilityZone: az,
      AvailabilityZoneId: az ? zones.find((z) => z.name === az)?.id : undefined,
    };
    const r = newRi(x, sources[0]!, { instanceType: cfg.InstanceType, count: cfg.InstanceCount, scope, az }, now);
    return { ReservedInstancesId: r.id, TargetConfiguration: cfg };
  });
  for (const r of sources) {
    r.state = "retired";
    r.end = now;
  }
  const m = {
    id: `rimod-${randomUUID()}`,
    clientToken: input.ClientToken,
    createDate: now,
    effectiveDate: now,
    sourceIds: sources.map((r) => r.id),
    results,
    status: "fulfilled",
  };
  x.riModifications.set(m.id, m);
  return { reservedInstancesModificationId: m.id };
}

export function DescribeReservedInstancesModifications(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const x = extraOf(s);
  const ids = list(input.ReservedInstancesModificationIds);
  const missing = ids.filter((id) => !x.riModifications.has(id));
  if (missing.length)
    throw Ec2Errors.custom("InvalidReservedInstancesModificationId.NotFound", `Reserved Instances modification ${missing.join(", ")} not found`);
  type M = ReturnType<typeof x.riModifications.get> & {};
  const items = (ids.length ? ids.map((id) => x.riModifications.get(id)!) : [...x.riModifications.values()]) as M[];
  const pred = compileFilters(
    filters(input),
    {
      "client-token": (m: M) => m.clientToken,
      "create-date": (m: M) => m.createDate.toISOString(),
      "effective-date": (m: M) => m.effectiveDate.toISOString(),
      "modification-result.reserved-instances-id": (m: M) => m.results.map((r) => r.ReservedInstancesId),
      "modification-result.target-configuration.availability-zone": (m: M) => m.results.map((r) => String(r.TargetConfiguration.AvailabilityZone ?? "")),
      "modification-result.target-configuration.availability-zone-id": (m: M) =>
        m.results.map((r) => {
          const az = r.TargetConfiguration.AvailabilityZone;
          return az ? zonesOf(s.region).find((z) => z.name === az)?.id : undefined;
        }),
      "modification-result.target-configuration.instance-count": (m: M) => m.results.map((r) => String(r.TargetConfiguration.InstanceCount)),
      "modification-result.target-configuration.instance-type": (m: M) => m.results.map((r) => String(r.TargetConfiguration.InstanceType)),
      "reserved-instances-id": (m: M) => m.sourceIds,
      "reserved-instances-modification-id": (m: M) => m.id,
      status: (m: M) => m.status,
      "status-message": () => undefined,
      "update-date": (m: M) => m.effectiveDate.toISOString(),
    },
    { unknownFilter: Ec2Errors.invalidFilter },
  );
  const page = paginate(items.filter(pred), {
    nextToken: input.NextToken,
    defaultMax: 1000,
    key: (m) => m.id,
    invalidToken: () => Ec2Errors.invalidToken(input.NextToken),
  });
  return {
    reservedInstancesModificationsSet: page.items.map((m) => ({
      ClientToken: m.clientToken,
      CreateDate: m.createDate,
      EffectiveDate: m.effectiveDate,
      ModificationResults: m.results,
      ReservedInstancesIds: m.sourceIds.map((ReservedInstancesId) => ({ ReservedInstancesId })),
      ReservedInstancesModificationId: m.id,
      Status: m.status,
      UpdateDate: m.effectiveDate,
    })),
    nextToken: page.nextToken,
  };
}

// ---------------------------------------------------------------- convertible exchanges

const money = (n: number) => n.toFixed(2);

function exchangeQuote(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const x = extraOf(s);
  const now = ctx.now();
  const sources = list(input.ReservedInstanceIds).map((id) => riOf(x, id, now));
  if (!sources.length) throw Ec2Errors.missing("ReservedInstanceIds");
  let failure: string | undefined;
  if (sources.some((r) => r.offeringClass !== "convertible")) failure = "Only Convertible Reserved Instances can be exchanged.";
  const rows = sources.map((r) => {
    const remainingHours = Math.max(0, (r.end.getTime() - now.getTime()) / 3600000);
    const totalHours = r.duration / 3600;
    const upfront = (r.fixedPrice * r.count * remainingHours) / totalHours;
    const hourly = r.hourly * r.count;
    return { r, hourly, upfront, total: upfront + hourly * remainingHours };
  });
  const srcTotal = rows.reduce((a, b) => a + b.total, 0);
  const srcUpfront = rows.reduce((a, b) => a + b.upfront, 0);
  const srcHourly = rows.reduce((a, b) => a + b.hourly, 0);
  const targets = ((input.TargetConfigurations ?? []) as Array<{ OfferingId?: string; InstanceCount?: number }>).map((t) => {
    const o = catalogue(s).find((c) => c.id === t.OfferingId);
    if (!o) throw Ec2Errors.custom("InvalidReservedInstancesOfferingId", `The specified reserved instances offering id(s) do not exist: [${t.OfferingId}]`);
    if (o.offeringClass !== "convertible") failure ??= "The target offerings must be Convertible Reserved Instance offerings.";
    const unit = o.fixedPrice + (o.hourly * o.duration) / 3600;
    const count = t.InstanceCount ?? Math.max(1, Math.ceil(srcTotal / unit));
    return { o, count, upfront: o.fixedPrice * count, hourly: o.hourly * count, total: unit * count };
  });
  if (!targets.length) failure ??= "Specify at least one target configuration.";
  const tgtTotal = targets.reduce((a, b) => a + b.total, 0);
  if (!failure && tgtTotal + 0.005 < srcTotal)
    failure = "The target configuration's value must be equal to or greater than the value of the Reserved Instances being exchanged.";
  const longest = Math.max(...targets.map((t) => t.o.duration), 0);
  return {
    s,
    x,
    now,
    sources,
    targets,
    failure,
    out: {
      currencyCode: "USD",
      isValidExchange: !failure,
      outputReservedInstancesWillExpireAt: longest ? new Date(now.getTime() + longest * 1000) : undefined,
      paymentDue: money(Math.max(0, targets.reduce((a, b) => a + b.upfront, 0) - srcUpfront)),
      reservedInstanceValueRollup: { HourlyPrice: money(srcHourly), RemainingTotalValue: money(srcTotal), RemainingUpfrontValue: money(srcUpfront) },
      reservedInstanceValueSet: rows.map((row) => ({
        ReservedInstanceId: row.r.id,
        ReservationValue: { HourlyPrice: money(row.hourly), RemainingTotalValue: money(row.total), RemainingUpfrontValue: money(row.upfront) },
      })),
      targetConfigurationValueRollup: {
        HourlyPrice: money(targets.reduce((a, b) => a + b.hourly, 0)),
        RemainingTotalValue: money(tgtTotal),
        RemainingUpfrontValue: money(targets.reduce((a, b) => a + b.upfront, 0)),
      },
      targetConfigurationValueSet: targets.map((t) => ({
        TargetConfiguration: { OfferingId: t.o.id, InstanceCount: t.count },
        ReservationValue: { HourlyPrice: money(t.hourly), RemainingTotalValue: money(t.total), RemainingUpfrontValue: money(t.upfront) },
      })),
      validationFailureReason: failure,
    },
  };
}

export function GetReservedInstancesExchangeQuote(ctx: Ctx, input: Input) {
  const q = exchangeQuote(ctx, input);
  dryRun(input);
  return q.out;
}

export function AcceptReservedInstancesExchangeQuote(ctx: Ctx, input: Input) {
  const q = exchangeQuote(ctx, input);
  if (q.failure) throw Ec2Errors.invalidValue(q.failure);
  dryRun(input);
  for (const t of q.targets) {
    const o = t.o;
    newRi(
      q.x,
      q.sources[0]!,
      {
        offeringId: o.id,
        instanceType: o.instanceType,
        az: o.az,
        scope: o.scope,
        productDescription: o.productDescription,
        offeringClass: o.offeringClass,
        offeringType: o.offeringType,
        duration: o.duration,
        fixedPrice: o.fixedPrice,
        hourly: o.hourly,
        count: t.count,
        end: new Date(q.now.getTime() + o.duration * 1000),
      },
      q.now,
    );
  }
  for (const r of q.sources) {
    r.state = "retired";
    r.end = q.now;
  }
  return { exchangeId: `riex-${randomUUID()}` };
}
