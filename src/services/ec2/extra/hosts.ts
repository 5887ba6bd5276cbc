/**
 * Dedicated Hosts: AllocateHosts (by instance type or family, idempotent on ClientToken), DescribeHosts
 * with filters and pagination, ModifyHosts, ReleaseHosts (released hosts stay visible in state
 * "released"), DescribeMacHosts. Host properties and capacity follow each family's host (sockets,
 * cores, vCPUs); RunInstances places instances on hosts (launch-defaults.ts), and DescribeHosts shows them
 * with the capacity they leave.
 */
import type { Ctx } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { createHash } from "node:crypto";
import { applyTagSpec, dryRun, int, list, select, st, tagsOf, zonesOf, type Input } from "../common.js";
import { paginate } from "../../core/paginate.js";
import { compileFilters } from "../../core/filters.js";
import { Ec2Errors } from "../errors.js";
import type { Ec2State } from "../state.js";
import { hostFreeVcpus, hostInstances } from "./launch-defaults.js";
import { extraOf, type HostRec, type HostReservationRec } from "./state.js";

/** Host hardware per family: sockets, physical cores, vCPUs. */
export const HOST_FAMILIES: Record<string, { sockets: number; cores: number; vcpus: number; sizes: string[]; mac?: string[] }> = {
  m5: { sockets: 2, cores: 48, vcpus: 96, sizes: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"] },
  c5: { sockets: 2, cores: 36, vcpus: 72, sizes: ["large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "12xlarge", "18xlarge"] },
  r5: { sockets: 2, cores: 48, vcpus: 96, sizes: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"] },
  m6i: { sockets: 2, cores: 64, vcpus: 128, sizes: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"] },
  c6i: { sockets: 2, cores: 64, vcpus: 128, sizes: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"] },
  r6i: { sockets: 2, cores: 64, vcpus: 128, sizes: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"] },
  m6g: { sockets: 1, cores: 64, vcpus: 64, sizes: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"] },
  c7g: { sockets: 1, cores: 64, vcpus: 64, sizes: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"] },
  mac1: { sockets: 1, cores: 6, vcpus: 12, sizes: ["metal"], mac: ["15.2", "14.7.2", "13.7.2"] },
  mac2: { sockets: 1, cores: 8, vcpus: 8, sizes: ["metal"], mac: ["15.2", "14.7.2", "13.7.2"] },
};

const SIZE_VCPUS: Record<string, number> = {
  medium: 1,
  large: 2,
  xlarge: 4,
  "2xlarge": 8,
  "4xlarge": 16,
  "8xlarge": 32,
  "9xlarge": 36,
  "12xlarge": 48,
  "16xlarge": 64,
  "18xlarge": 72,
  "24xlarge": 96,
  "32xlarge": 128,
};

export function typeVcpus(type: string): number | undefined {
  const [family, size] = type.split(".");
  const f = HOST_FAMILIES[family!];
  if (!f?.sizes.includes(size!)) return undefined;
  return size === "metal" ? f.vcpus : SIZE_VCPUS[size!];
}

function hostView(s: Ec2State, h: HostRec) {
  const family = h.instanceFamily ?? h.instanceType!.split(".")[0]!;
  const f = HOST_FAMILIES[family]!;
  const zone = zonesOf(s.region).find((z) => z.name === h.az);
  const free = hostFreeVcpus(s, h);
  const capacity = h.instanceType
    ? [
        {
          InstanceType: h.instanceType,
          AvailableCapacity: Math.floor(free / typeVcpus(h.instanceType)!),
          TotalCapacity: Math.floor(f.vcpus / typeVcpus(h.instanceType)!),
        },
      ]
    : f.sizes.map((size) => {
        const per = typeVcpus(`${family}.${size}`) ?? f.vcpus;
        return { InstanceType: `${family}.${size}`, AvailableCapacity: Math.floor(free / per), TotalCapacity: Math.floor(f.vcpus / per) };
      });
  return {
    HostId: h.id,
    AutoPlacement: h.autoPlacement,
    AvailabilityZone: h.az,
    AvailabilityZoneId: zone?.id,
    AvailableCapacity: h.state === "available" ? { AvailableInstanceCapacity: capacity, AvailableVCpus: free } : undefined,
    ClientToken: h.clientToken,
    HostReservationId: h.reservationId,
    HostProperties: { Cores: f.cores, InstanceType: h.instanceType, InstanceFamily: h.instanceFamily, Sockets: f.sockets, TotalVCpus: f.vcpus },
    Instances: hostInstances(s, h.id).map((i) => ({ InstanceId: i.id, InstanceType: i.instanceType, OwnerId: s.accountId })),
    State: h.state,
    AllocationTime: h.allocationTime,
    ReleaseTime: h.releaseTime,
    Tags: tagsOf(h),
    HostRecovery: h.hostRecovery,
    AllowsMultipleInstanceTypes: h.instanceFamily ? "on" : "off",
    OwnerId: s.accountId,
    MemberOfServiceLinkedResourceGroup: false,
    HostMaintenance: h.hostMaintenance,
  };
}

function checkTypeOrFamily(input: Input) {
  if ((input.InstanceType === undefined) === (input.InstanceFamily === undefined))
    throw Ec2Errors.invalidCombination("Specify either an instance type or an instance family, but not both.");
  if (input.InstanceType !== undefined && typeVcpus(String(input.InstanceType)) === undefined)
    throw Ec2Errors.invalidValue(`Invalid value '${input.InstanceType}' for InstanceType. Dedicated Hosts are not supported for this instance type.`);
  if (input.InstanceFamily !== undefined && !HOST_FAMILIES[String(input.InstanceFamily)])
    throw Ec2Errors.invalidValue(`Invalid value '${input.InstanceFamily}' for InstanceFamily. Dedicated Hosts are not supported for this instance family.`);
}

export function AllocateHosts(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const x = extraOf(s);
  const zones = zonesOf(s.region);
  const zone =
    input.AvailabilityZoneId !== undefined ? zones.find((z) => z.id === input.AvailabilityZoneId) : zones.find((z) => z.name === input.AvailabilityZone);
  if (input.AvailabilityZone === undefined && input.AvailabilityZoneId === undefined) throw Ec2Errors.missing("AvailabilityZone");
  if (input.AvailabilityZone !== undefined && input.AvailabilityZoneId !== undefined)
    throw Ec2Errors.invalidCombination("Only one of AvailabilityZone or AvailabilityZoneId can be specified.");
  if (!zone) throw Ec2Errors.invalidValue(`Invalid availability zone: [${input.AvailabilityZone ?? input.AvailabilityZoneId}]`);
  checkTypeOrFamily(input);
  const family = String(input.InstanceFamily ?? String(input.InstanceType).split(".")[0]);
  if (HOST_FAMILIES[family]!.mac && input.HostRecovery === "on") throw Ec2Errors.invalidValue("Host recovery is not supported for Mac Dedicated Hosts.");
  const quantity = input.Quantity ?? 1;
  if (quantity < 1) throw Ec2Errors.invalidValue(`Invalid value '${quantity}' for Quantity. Quantity must be at least 1.`);
  if (input.AssetIds !== undefined || input.OutpostArn !== undefined)
    throw Ec2Errors.invalidValue("The specified Outpost ARN is not valid or is not available to your account.");
  if (input.ClientToken) {
    const prior = [...x.hosts.values()].filter((h) => h.clientToken === input.ClientToken);
    if (prior.length) return { hostIdSet: prior.map((h) => h.id) };
  }
  const live = [...x.hosts.values()].filter((h) => h.state !== "released").length;
  if (live + quantity > 50) throw Ec2Errors.custom("HostLimitExceeded", "You have requested more Dedicated Hosts than your current limit allows.");
  const ids: string[] = [];
  for (let n = 0; n < quantity; n++) {
    const h: HostRec = {
      id: ec2Id("h"),
      seq: ++x.seq,
      az: zone.name,
      instanceType: input.InstanceType,
      instanceFamily: input.InstanceFamily,
      autoPlacement: input.AutoPlacement ?? "off",
      hostRecovery: input.HostRecovery ?? "off",
      hostMaintenance: input.HostMaintenance ?? "on",
      state: "available",
      allocationTime: ctx.now(),
      clientToken: input.ClientToken,
      tags: new Map(),
    };
    x.hosts.set(h.id, h);
    applyTagSpec(s, input, "dedicated-host", h.id, h);
    ids.push(h.id);
  }
  return { hostIdSet: ids };
}

const failure = (id: string, code: string, message: string) => ({ resourceId: id, error: { code, message } });

export function ReleaseHosts(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const x = extraOf(s);
  const ok: string[] = [];
  const failed: unknown[] = [];
  for (const id of list(input.HostIds)) {
    const h = x.hosts.get(id);
    if (!h || h.state === "released") failed.push(failure(id, "Client.InvalidHostID.NotFound", `The host ID '${id}' does not exist`));
    else if (hostInstances(s, id).length)
      failed.push(failure(id, "Client.InvalidHost.Occupied", `Host '${id}' has running instances. Stop or terminate them before releasing the host.`));
    else if (h.reservationId)
      failed.push(failure(id, "Client.InvalidHost.Reserved", `Host '${id}' is associated with host reservation '${h.reservationId}' and can't be released.`));
    else {
      h.state = "released";
      h.releaseTime = ctx.now();
      ok.push(id);
    }
  }
  return { successful: ok, unsuccessful: failed };
}

export function ModifyHosts(ctx: Ctx, input: Input) {
  const x = extraOf(st(ctx));
  if (
    input.AutoPlacement === undefined &&
    input.HostRecovery === undefined &&
    input.HostMaintenance === undefined &&
    input.InstanceType === undefined &&
    input.InstanceFamily === undefined
  )
    throw Ec2Errors.missing("AutoPlacement");
  if (input.InstanceType !== undefined || input.InstanceFamily !== undefined) checkTypeOrFamily(input);
  const ok: string[] = [];
  const failed: unknown[] = [];
  for (const id of list(input.HostIds)) {
    const h = x.hosts.get(id);
    if (!h || h.state === "released") {
      failed.push(failure(id, "Client.InvalidHostID.NotFound", `The host ID '${id}' does not exist`));
      continue;
    }
    const family = h.instanceFamily ?? h.instanceType!.split(".")[0];
    const newFamily = input.InstanceFamily ?? (input.InstanceType !== undefined ? String(input.InstanceType).split(".")[0] : family);
    if (newFamily !== family) {
      failed.push(failure(id, "Client.InvalidParameterValue", `The instance family of host '${id}' (${family}) can't be changed to ${newFamily}.`));
      continue;
    }
    if (input.AutoPlacement !== undefined) h.autoPlacement = input.AutoPlacement;
    if (input.HostRecovery !== undefined) h.hostRecovery = input.HostRecovery;
    if (input.HostMaintenance !== undefined) h.hostMaintenance = input.HostMaintenance;
    if (input.InstanceType !== undefined) {
      h.instanceType = input.InstanceType;
      h.instanceFamily = undefined;
    }
    if (input.InstanceFamily !== undefined) {
      h.instanceFamily = input.InstanceFamily;
      h.instanceType = undefined;
    }
    ok.push(id);
  }
  return { successful: ok, unsuccessful: failed };
}

export function DescribeHosts(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const x = extraOf(s);
  const ids = list(input.HostIds);
  if (ids.length && input.MaxResults !== undefined) throw Ec2Errors.invalidCombination("The parameters HostIds and MaxResults cannot be used together.");
  const missing = ids.filter((id) => !x.hosts.has(id));
  if (missing.length)
    throw Ec2Errors.custom(
      "InvalidHostID.NotFound",
      missing.length > 1 ? `The host IDs '${missing.join(", ")}' do not exist` : `The host ID '${missing[0]}' does not exist`,
    );
  const items = ids.length ? ids.map((id) => x.hosts.get(id)!) : [...x.hosts.values()];
  const r = select(
    items,
    input,
    {
      "auto-placement": (h) => h.autoPlacement,
      "availability-zone": (h) => h.az,
      "client-token": (h) => h.clientToken,
      "host-reservation-id": (h) => h.reservationId,
      "instance-type": (h) => h.instanceType,
      state: (h) => h.state,
      "host-id": (h) => h.id,
      "instance-family": (h) => h.instanceFamily ?? h.instanceType?.split(".")[0],
    },
    (h) => String(h.seq).padStart(10, "0"),
    { paginate: true, min: 5, max: 500 },
  );
  return { hostSet: r.items.map((h) => hostView(s, h)), nextToken: r.nextToken };
}

export function DescribeMacHosts(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const x = extraOf(s);
  const ids = list(input.HostIds);
  const mac = (h: HostRec) => HOST_FAMILIES[h.instanceFamily ?? h.instanceType!.split(".")[0]!]!.mac;
  const missing = ids.filter((id) => !x.hosts.has(id));
  if (missing.length) throw Ec2Errors.custom("InvalidHostID.NotFound", `The host ID '${missing[0]}' does not exist`);
  const items = (ids.length ? ids.map((id) => x.hosts.get(id)!) : [...x.hosts.values()]).filter((h) => mac(h) && h.state !== "released");
  const r = select(items, input, { "availability-zone": (h) => h.az, "instance-type": (h) => h.instanceType }, (h) => String(h.seq).padStart(10, "0"), {
    paginate: true,
    min: 5,
    max: 500,
  });
  return { macHostSet: r.items.map((h) => ({ HostId: h.id, MacOSLatestSupportedVersions: mac(h) })), nextToken: r.nextToken };
}

// ---------------------------------------------------------------- host reservations

/** On-demand price per host-hour (us-east-1) for each family. */
const HOST_PRICES: Record<string, number> = {
  m5: 5.069,
  c5: 4.488,
  r5: 6.653,
  m6i: 6.758,
  c6i: 5.984,
  r6i: 8.87,
  m6g: 2.71,
  c7g: 2.553,
  mac1: 1.083,
  mac2: 0.65,
};
const PAYMENT_SHARE: Record<number, Record<string, number>> = {
  31536000: { NoUpfront: 0.7, PartialUpfront: 0.66, AllUpfront: 0.64 },
  94608000: { NoUpfront: 0.49, PartialUpfront: 0.45, AllUpfront: 0.43 },
};

interface HostOffering {
  id: string;
  family: string;
  paymentOption: string;
  duration: number;
  hourly: number;
  upfront: number;
}

const HOST_OFFERINGS: HostOffering[] = Object.entries(HOST_PRICES).flatMap(([family, od]) =>
  Object.entries(PAYMENT_SHARE).flatMap(([d, shares]) =>
    Object.entries(shares).map(([paymentOption, share]) => {
      const duration = Number(d);
      const effective = od * share;
      const hours = duration / 3600;
      const upfront = paymentOption === "AllUpfront" ? effective * hours : paymentOption === "PartialUpfront" ? (effective * hours) / 2 : 0;
      const hourly = paymentOption === "AllUpfront" ? 0 : paymentOption === "PartialUpfront" ? effective / 2 : effective;
      const id = `hro-${createHash("md5").update(`${family}|${duration}|${paymentOption}`).digest("hex").slice(0, 17)}`;
      return { id, family, paymentOption, duration, hourly: Math.round(hourly * 1000) / 1000, upfront: Math.round(upfront) };
    }),
  ),
);

const money = (n: number) => (Math.round(n * 1000) / 1000).toFixed(3);

function pageSize(input: Input) {
  const max = int(input.MaxResults, "MaxResults");
  if (max !== undefined && (max < 5 || max > 500))
    throw Ec2Errors.invalidValue(`Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between 5 and 500.`);
  return max;
}

export function DescribeHostReservationOfferings(_ctx: Ctx, input: Input) {
  const pred = compileFilters(
    (input.Filter ?? []) as Array<{ Name?: string; Values?: string[] }>,
    { "instance-family": (o: HostOffering) => o.family, "payment-option": (o: HostOffering) => o.paymentOption },
    { unknownFilter: Ec2Errors.invalidFilter },
  );
  const items = HOST_OFFERINGS.filter(
    (o) =>
      pred(o) &&
      (input.OfferingId === undefined || o.id === input.OfferingId) &&
      (input.MinDuration === undefined || o.duration >= input.MinDuration) &&
      (input.MaxDuration === undefined || o.duration <= input.MaxDuration),
  );
  const page = paginate(items, {
    maxResults: pageSize(input),
    nextToken: input.NextToken,
    defaultMax: 500,
    key: (o) => o.id,
    invalidToken: () => Ec2Errors.invalidToken(input.NextToken),
  });
  return {
    offeringSet: page.items.map((o) => ({
      CurrencyCode: "USD",
      Duration: o.duration,
      HourlyPrice: money(o.hourly),
      InstanceFamily: o.family,
      OfferingId: o.id,
      PaymentOption: o.paymentOption,
      UpfrontPrice: money(o.upfront),
    })),
    nextToken: page.nextToken,
  };
}

function quote(s: Ec2State, input: Input) {
  const x = extraOf(s);
  const o = HOST_OFFERINGS.find((c) => c.id === input.OfferingId);
  if (!o) throw Ec2Errors.custom("InvalidHostReservationOfferingId.Malformed", `The host reservation offering ID '${input.OfferingId}' is not valid.`);
  const ids = list(input.HostIdSet);
  if (!ids.length) throw Ec2Errors.missing("HostIdSet");
  for (const id of ids) {
    const h = x.hosts.get(id);
    if (!h || h.state === "released") throw Ec2Errors.custom("InvalidHostID.NotFound", `The host ID '${id}' does not exist`);
    const family = h.instanceFamily ?? h.instanceType!.split(".")[0];
    if (family !== o.family) throw Ec2Errors.invalidValue(`The host '${id}' (${family}) doesn't match the instance family of the offering (${o.family}).`);
    if (h.reservationId) throw Ec2Errors.invalidValue(`The host '${id}' is already associated with host reservation '${h.reservationId}'.`);
  }
  return { o, ids };
}

const purchaseView = (o: HostOffering, ids: string[], reservationId?: string) => ({
  CurrencyCode: "USD",
  Duration: o.duration,
  HostIdSet: ids,
  HostReservationId: reservationId,
  HourlyPrice: money(o.hourly * ids.length),
  InstanceFamily: o.family,
  PaymentOption: o.paymentOption,
  UpfrontPrice: money(o.upfront * ids.length),
});

export function GetHostReservationPurchasePreview(ctx: Ctx, input: Input) {
  const { o, ids } = quote(st(ctx), input);
  return {
    currencyCode: "USD",
    purchase: [purchaseView(o, ids)],
    totalHourlyPrice: money(o.hourly * ids.length),
    totalUpfrontPrice: money(o.upfront * ids.length),
  };
}

export function PurchaseHostReservation(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const x = extraOf(s);
  if (input.ClientToken) {
    const prior = [...x.hostReservations.values()].find((r) => r.clientToken === input.ClientToken);
    if (prior) {
      const o = HOST_OFFERINGS.find((c) => c.id === prior.offeringId)!;
      return {
        clientToken: prior.clientToken,
        currencyCode: "USD",
        purchase: [purchaseView(o, prior.hostIds, prior.id)],
        totalHourlyPrice: money(prior.hourly),
        totalUpfrontPrice: money(prior.upfront),
      };
    }
  }
  const { o, ids } = quote(s, input);
  const limit = input.LimitPrice !== undefined ? Number(input.LimitPrice) : undefined;
  if (limit !== undefined && o.upfront * ids.length > limit)
    throw Ec2Errors.invalidValue(`The total upfront price (${money(o.upfront * ids.length)}) exceeds the limit price (${input.LimitPrice}).`);
  const now = ctx.now();
  const r: HostReservationRec = {
    id: `hr-${createHash("md5").update(`${now.getTime()}|${Math.random()}`).digest("hex").slice(0, 17)}`,
    seq: ++x.seq,
    offeringId: o.id,
    family: o.family,
    paymentOption: o.paymentOption,
    duration: o.duration,
    hourly: o.hourly * ids.length,
    upfront: o.upfront * ids.length,
    hostIds: ids,
    start: now,
    end: new Date(now.getTime() + o.duration * 1000),
    clientToken: input.ClientToken,
    tags: new Map(),
  };
  x.hostReservations.set(r.id, r);
  for (const id of ids) x.hosts.get(id)!.reservationId = r.id;
  applyTagSpec(s, input, "host-reservation", r.id, r);
  return {
    clientToken: input.ClientToken,
    currencyCode: "USD",
    purchase: [purchaseView(o, ids, r.id)],
    totalHourlyPrice: money(r.hourly),
    totalUpfrontPrice: money(r.upfront),
  };
}

export function DescribeHostReservations(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const x = extraOf(s);
  const now = ctx.now();
  const ids = list(input.HostReservationIdSet);
  const state = (r: HostReservationRec) => (r.end <= now ? "retired" : "active");
  const items = ids.length ? [...x.hostReservations.values()].filter((r) => ids.includes(r.id)) : [...x.hostReservations.values()];
  const r = select(
    items,
    input,
    { "instance-family": (r) => r.family, "payment-option": (r) => r.paymentOption, state },
    (r) => String(r.seq).padStart(10, "0"),
    { paginate: true, min: 5, max: 500 },
  );
  dryRun(input);
  return {
    hostReservationSet: r.items.map((r) => ({
      Count: r.hostIds.length,
      CurrencyCode: "USD",
      Duration: r.duration,
      End: r.end,
      HostIdSet: r.hostIds,
      HostReservationId: r.id,
      HourlyPrice: money(r.hourly),
      InstanceFamily: r.family,
      OfferingId: r.offeringId,
      PaymentOption: r.paymentOption,
      Start: r.start,
      State: state(r),
      UpfrontPrice: money(r.upfront),
      Tags: tagsOf(r),
    })),
    nextToken: r.nextToken,
  };
}
