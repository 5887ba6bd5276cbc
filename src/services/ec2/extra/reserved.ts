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
  "t3.micro": [0.0104, 2],
  "t3.small": [0.0208, 2],
  "t3.medium": [0.0416, 2],
  "t3.large": [0.0832, 2],
  "m5.large": [0.096, 2],
  "m5.xlarge": [0.192, 4],
  "m6i.large": [0.096, 2],
  "c5.large": [0.085, 2],
  "c6i.large": [0.085, 2],
  "r5.large": [0.126, 2],
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
      "fixed-price": (o: Offering) => String(o.fixedPrice),
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
  const page = paginate(items, { maxResults: max, nextToken: input.NextToken, defaultMax: 100, key: (o) => o.id, invalidToken: Ec2Errors.invalidToken });
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
      duration: (r) => String(r.duration),
      end: (r) => r.end.toISOString(),
      "fixed-price": (r) => String(r.fixedPrice),
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
