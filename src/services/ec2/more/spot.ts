/**
 * Spot Instance requests and the Spot price history. A request whose maximum price is at least the current
 * Spot price is fulfilled at once: its instance is launched through RunInstances (so it appears in
 * DescribeInstances) and the request turns "active"; a lower price leaves it "open" (price-too-low). A
 * one-time request closes when its instance terminates. Prices are derived from the instance type's size,
 * stable per type, zone and six-hour window.
 */
import { createHash } from "node:crypto";
import type { Ctx } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { applyTagSpec, dryRun, list, select, zonesOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { RunInstances } from "../instances.js";
import { awsInstanceTypes, awsOfferings, INSTANCE_TYPES } from "../misc.js";
import type { Ec2State } from "../state.js";
import { both, moreOf, type MoreState, type SpotRequestRec } from "./state.js";

const e = Ec2Errors.custom;
const tags = (r: { tags: Map<string, string> }) => [...r.tags].map(([Key, Value]) => ({ Key, Value }));
const sirNotFound = (id: string) => e("InvalidSpotInstanceRequestID.NotFound", `The spot instance request ID '${id}' does not exist`);
const WINDOW = 6 * 3600 * 1000;
const PRODUCTS = ["Linux/UNIX", "Linux/UNIX (Amazon VPC)", "Windows", "Windows (Amazon VPC)"];

/** The On-Demand hourly price of a type, from its memory (about $0.0104 per GiB for general purpose). */
export function onDemand(type: string): number {
  const t = INSTANCE_TYPES.find((x) => x.name === type);
  const mib = t?.mem ?? (awsInstanceTypes().get(type)?.memoryInfo?.sizeInMiB as number | undefined);
  const gib = mib ? mib / 1024 : 8;
  const family = type.split(".")[0] ?? "";
  const factor = family.startsWith("c") ? 1.6 : family.startsWith("r") || family.startsWith("x") ? 0.65 : family.startsWith("t4g") ? 0.8 : 1;
  return Math.max(0.0042, 0.0104 * gib * factor);
}

/** The Spot price of a type in a zone at a time: 25 to 40% of On-Demand, fixed within a six-hour window. */
export function spotPrice(type: string, az: string, product: string, at: number): number {
  const bucket = Math.floor(at / WINDOW);
  const h = createHash("sha256").update(`${type}|${az}|${product}|${bucket}`).digest();
  const frac = 0.25 + (h.readUInt16BE(0) / 65535) * 0.15;
  const windows = product.startsWith("Windows") ? 1.8 : 1;
  return onDemand(type) * frac * windows;
}

const fmt = (p: number) => p.toFixed(6);

/**
 * Whether a zone has a Spot price for a type: a catalogue type everywhere; any other type AWS records
 * (t1.micro, ...) where AWS offers it in that zone and sells it as Spot.
 */
function spotOffered(region: string, zone: string, type: string): boolean {
  if (INSTANCE_TYPES.some((x) => x.name === type)) return true;
  const info = awsInstanceTypes().get(type);
  if (!(info?.supportedUsageClasses as string[] | undefined)?.includes("spot")) return false;
  const zones = awsOfferings(region);
  return !zones || (zones[zone] ?? []).includes(type);
}

/** The request's state now: a one-time request closes once its instance is terminated. */
function refresh(s: Ec2State, r: SpotRequestRec): void {
  if (r.state !== "active" || !r.instanceId) return;
  const i = s.instances.get(r.instanceId);
  if (i && i.state !== "terminated" && i.state !== "shutting-down") return;
  if (r.type === "one-time") {
    r.state = "closed";
    r.status = { code: "instance-terminated-by-user", message: "Spot Instance terminated due to user-initiated termination.", updateTime: new Date() };
  }
}

const view = (s: Ec2State, r: SpotRequestRec) => {
  const spec = r.launchSpecification;
  const groups: Array<{ GroupId?: string; GroupName?: string }> = list(spec.SecurityGroupIds).map((id) => ({ GroupId: id, GroupName: s.sgs.get(id)?.name }));
  const vpcId = spec.SubnetId ? s.subnets.get(String(spec.SubnetId))?.vpcId : undefined;
  for (const name of list(spec.SecurityGroups)) {
    const sg = [...s.sgs.values()].find((g) => g.name === name && (!vpcId || g.vpcId === vpcId));
    groups.push({ GroupId: sg?.id, GroupName: name });
  }
  // No group named: the request shows the VPC's default group, which its instance gets.
  if (!groups.length && !list(spec.NetworkInterfaces).length) {
    const home = vpcId ?? [...s.vpcs.values()].find((v) => v.isDefault)?.id;
    const sg = [...s.sgs.values()].find((g) => g.name === "default" && g.vpcId === home);
    if (sg) groups.push({ GroupId: sg.id, GroupName: sg.name });
  }
  return {
    SpotInstanceRequestId: r.id,
    SpotPrice: r.spotPrice,
    Type: r.type,
    State: r.state,
    Status: r.status,
    CreateTime: r.createTime,
    ValidFrom: r.validFrom,
    ValidUntil: r.validUntil,
    InstanceId: r.instanceId,
    LaunchedAvailabilityZone: r.instanceId ? r.az : undefined,
    LaunchedAvailabilityZoneId: r.instanceId ? zonesOf(s.region).find((z) => z.name === r.az)?.id : undefined,
    ProductDescription: "Linux/UNIX",
    InstanceInterruptionBehavior: r.interruptionBehavior,
    LaunchGroup: r.launchGroup,
    AvailabilityZoneGroup: r.availabilityZoneGroup,
    LaunchSpecification: {
      ImageId: spec.ImageId,
      InstanceType: spec.InstanceType,
      KeyName: spec.KeyName,
      KernelId: spec.KernelId,
      RamdiskId: spec.RamdiskId,
      SubnetId: spec.SubnetId,
      UserData: spec.UserData,
      EbsOptimized: spec.EbsOptimized ?? false,
      IamInstanceProfile: spec.IamInstanceProfile,
      BlockDeviceMappings: spec.BlockDeviceMappings,
      NetworkInterfaces: spec.NetworkInterfaces,
      Placement: spec.Placement ?? (r.az ? { AvailabilityZone: r.az } : undefined),
      Monitoring: { Enabled: spec.Monitoring?.Enabled === true },
      SecurityGroups: groups.length ? groups : undefined,
    },
    Tags: tags(r),
  };
};

function getSir(s: Ec2State, m: MoreState, id: string): SpotRequestRec {
  const r = m.spotRequests.get(id);
  if (!r) throw sirNotFound(id);
  refresh(s, r);
  return r;
}

export function RequestSpotInstances(ctx: Ctx, input: Input) {
  const { s, m } = both(ctx);
  const now = ctx.now();
  const spec = (input.LaunchSpecification ?? {}) as Input;
  if (!spec.ImageId) throw Ec2Errors.missing("LaunchSpecification.ImageId");
  const type = String(spec.InstanceType ?? "m1.small");
  const count = input.InstanceCount ?? 1;
  if (!Number.isInteger(count) || count < 1)
    throw Ec2Errors.invalidValue(`Value (${count}) for parameter instanceCount is invalid. Expected a positive integer.`);
  const reqType = String(input.Type ?? "one-time");
  const validFrom = input.ValidFrom ? new Date(input.ValidFrom) : undefined;
  const validUntil = input.ValidUntil ? new Date(input.ValidUntil) : undefined;
  if (validUntil && validUntil <= now) throw Ec2Errors.invalidValue("ValidUntil must be in the future.");
  if (validFrom && validUntil && validUntil <= validFrom) throw Ec2Errors.invalidValue("ValidUntil must be after ValidFrom.");
  const behaviour = String(input.InstanceInterruptionBehavior ?? "terminate");
  if (behaviour !== "terminate" && reqType !== "persistent")
    throw Ec2Errors.invalidCombination(`InstanceInterruptionBehavior '${behaviour}' requires a persistent Spot request.`);
  // An empty SpotPrice (Terraform sends one when spot_price is unset) means the default: the On-Demand price.
  const bid = input.SpotPrice !== undefined && input.SpotPrice !== "" ? Number(input.SpotPrice) : onDemand(type);
  if (!Number.isFinite(bid) || bid <= 0) throw Ec2Errors.invalidValue(`Invalid value '${input.SpotPrice}' for spotPrice.`);
  const run: Input = { ...spec, InstanceType: type, MinCount: 1, MaxCount: 1 };
  delete run.AddressingType;
  delete run.SecurityGroups;
  if (list(spec.SecurityGroups).length) run.SecurityGroups = list(spec.SecurityGroups);
  const zone = spec.Placement?.AvailabilityZone ?? (spec.SubnetId ? s.subnets.get(String(spec.SubnetId))?.az : undefined) ?? zonesOf(s.region)[0]!.name;
  const market = spotPrice(type, zone, "Linux/UNIX", now.getTime());
  const scheduled = validFrom !== undefined && validFrom > now;
  dryRun(input);
  const out: SpotRequestRec[] = [];
  for (let n = 0; n < count; n++) {
    const r: SpotRequestRec = {
      id: `sir-${createHash("sha256").update(ec2Id("sir")).digest("hex").slice(0, 8)}`,
      spotPrice: fmt(bid),
      type: reqType,
      state: "open",
      status: { code: "pending-evaluation", message: "Your Spot request has been submitted for review, and is pending evaluation.", updateTime: now },
      launchSpecification: structuredClone(spec),
      createTime: now,
      validFrom,
      validUntil,
      interruptionBehavior: behaviour,
      launchGroup: input.LaunchGroup,
      availabilityZoneGroup: input.AvailabilityZoneGroup,
      tags: new Map(),
    };
    if (scheduled)
      r.status = { code: "pending-evaluation", message: "Your Spot request has been submitted for review, and is pending evaluation.", updateTime: now };
    else if (bid < market)
      r.status = {
        code: "price-too-low",
        message: `Your Spot request price of ${r.spotPrice} is lower than the minimum required Spot request fulfillment price of ${fmt(market)}.`,
        updateTime: now,
      };
    else {
      const res = RunInstances(ctx, run) as { instancesSet: Array<{ instanceId: string; placement: { availabilityZone: string } }> };
      const inst = res.instancesSet[0]!;
      r.instanceId = inst.instanceId;
      r.az = inst.placement.availabilityZone;
      const rec = s.instances.get(inst.instanceId);
      if (rec) Object.assign(rec, { lifecycle: "spot", spotRequestId: r.id });
      r.state = "active";
      r.status = { code: "fulfilled", message: "Your Spot request is fulfilled.", updateTime: now };
    }
    m.spotRequests.set(r.id, r);
    applyTagSpec(s, input, "spot-instances-request", r.id, r);
    out.push(r);
  }
  return { SpotInstanceRequests: out.map((r) => view(s, r)) };
}

/** The launch specification's block device mappings and network interfaces (request member names). */
const bdms = (r: { launchSpecification: Input }) =>
  (Array.isArray(r.launchSpecification.BlockDeviceMappings) ? r.launchSpecification.BlockDeviceMappings : []) as Input[];
const nics = (r: { launchSpecification: Input }) =>
  (Array.isArray(r.launchSpecification.NetworkInterfaces) ? r.launchSpecification.NetworkInterfaces : []) as Input[];

export function DescribeSpotInstanceRequests(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, m } = both(ctx);
  const ids = list(input.SpotInstanceRequestIds);
  for (const id of ids) getSir(s, m, id);
  for (const r of m.spotRequests.values()) refresh(s, r);
  const page = select(
    ids.length ? ids.map((id) => m.spotRequests.get(id)!) : [...m.spotRequests.values()],
    input,
    {
      "availability-zone-group": (r) => r.availabilityZoneGroup,
      "create-time": (r) => r.createTime.toISOString(),
      "instance-id": (r) => r.instanceId,
      "launch-group": (r) => r.launchGroup,
      "launch.image-id": (r) => r.launchSpecification.ImageId,
      "launch.instance-type": (r) => r.launchSpecification.InstanceType,
      "launch.key-name": (r) => r.launchSpecification.KeyName,
      "launch.group-id": (r) => list(r.launchSpecification.SecurityGroupIds),
      "launch.monitoring-enabled": (r) => r.launchSpecification.Monitoring?.Enabled === true,
      "launched-availability-zone": (r) => (r.instanceId ? r.az : undefined),
      "product-description": () => "Linux/UNIX",
      "spot-instance-request-id": (r) => r.id,
      "spot-price": (r) => r.spotPrice,
      state: (r) => r.state,
      "status-code": (r) => r.status.code,
      "status-message": (r) => r.status.message,
      type: (r) => r.type,
      "valid-from": (r) => r.validFrom?.toISOString(),
      "valid-until": (r) => r.validUntil?.toISOString(),
      // No request records a fault: the fault filters match nothing.
      "fault-code": () => undefined,
      "fault-message": () => undefined,
      "launch.block-device-mapping.delete-on-termination": (r) => bdms(r).map((b) => (b?.Ebs ? String(b.Ebs.DeleteOnTermination ?? true) : undefined)),
      "launch.block-device-mapping.device-name": (r) => bdms(r).map((b) => b?.DeviceName),
      "launch.block-device-mapping.snapshot-id": (r) => bdms(r).map((b) => b?.Ebs?.SnapshotId),
      "launch.block-device-mapping.volume-size": (r) => bdms(r).map((b) => b?.Ebs?.VolumeSize),
      "launch.block-device-mapping.volume-type": (r) => bdms(r).map((b) => b?.Ebs?.VolumeType),
      "launch.group-name": (r) => list(r.launchSpecification.SecurityGroups),
      "launch.kernel-id": (r) => r.launchSpecification.KernelId,
      "launch.ramdisk-id": (r) => r.launchSpecification.RamdiskId,
      "launched-availability-zone-id": (r) => (r.instanceId ? zonesOf(s.region).find((z) => z.name === r.az)?.id : undefined),
      "network-interface.addresses.primary": (r) =>
        nics(r).flatMap((n) => ((n?.PrivateIpAddresses ?? []) as Input[]).map((a) => (a?.Primary === undefined ? undefined : String(a.Primary)))),
      "network-interface.delete-on-termination": (r) => nics(r).map((n) => (n?.DeleteOnTermination === undefined ? undefined : String(n.DeleteOnTermination))),
      "network-interface.description": (r) => nics(r).map((n) => n?.Description),
      "network-interface.device-index": (r) => nics(r).map((n) => n?.DeviceIndex),
      "network-interface.group-id": (r) => nics(r).flatMap((n) => list(n?.Groups)),
      "network-interface.network-interface-id": (r) => nics(r).map((n) => n?.NetworkInterfaceId),
      "network-interface.private-ip-address": (r) =>
        nics(r).flatMap((n) => [n?.PrivateIpAddress, ...((n?.PrivateIpAddresses ?? []) as Input[]).map((a) => a?.PrivateIpAddress)]),
      "network-interface.subnet-id": (r) => nics(r).map((n) => n?.SubnetId),
    },
    (r) => r.id,
    { paginate: true, min: 5, max: 1000 },
  );
  return { SpotInstanceRequests: page.items.map((r) => view(s, r)), NextToken: page.nextToken };
}

export function CancelSpotInstanceRequests(ctx: Ctx, input: Input) {
  const { s, m } = both(ctx);
  const ids = list(input.SpotInstanceRequestIds);
  for (const id of ids) getSir(s, m, id);
  dryRun(input);
  const now = ctx.now();
  const out = ids.map((id) => {
    const r = m.spotRequests.get(id)!;
    if (r.state === "open" || r.state === "active") {
      r.state = "cancelled";
      r.status = r.instanceId
        ? {
            code: "request-canceled-and-instance-running",
            message: "Spot Instance request is canceled, but the Spot Instance is still running.",
            updateTime: now,
          }
        : { code: "canceled-before-fulfillment", message: "Your Spot request was canceled before it was fulfilled.", updateTime: now };
    }
    return { SpotInstanceRequestId: r.id, State: r.state };
  });
  return { CancelledSpotInstanceRequests: out };
}

export function DescribeSpotPriceHistory(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s } = both(ctx);
  const now = ctx.now().getTime();
  const end = input.EndTime ? new Date(input.EndTime).getTime() : now;
  const start = input.StartTime ? new Date(input.StartTime).getTime() : Math.min(end, now);
  if (start > end) throw Ec2Errors.invalidValue("The start time must be before the end time.");
  const zones = zonesOf(s.region);
  if (input.AvailabilityZone && !zones.some((z) => z.name === input.AvailabilityZone))
    throw Ec2Errors.invalidValue(`Invalid availability zone: [${input.AvailabilityZone}]`);
  const types = list(input.InstanceTypes);
  for (const t of types) if (!INSTANCE_TYPES.some((x) => x.name === t) && !awsInstanceTypes().has(t)) throw Ec2Errors.invalidInstanceType(t);
  // Product descriptions are a filter: one that names no product has no price history (and is not echoed back).
  const asked = list(input.ProductDescriptions);
  const products = asked.length ? PRODUCTS.filter((p) => asked.includes(p)) : PRODUCTS;
  const rows: Array<Record<string, any> & { tags: Map<string, string> }> = [];
  // Each six-hour window whose price was in force between start and end, newest first.
  const last = Math.floor(Math.min(end, now) / WINDOW);
  const first = Math.floor(start / WINDOW);
  for (let b = last; b >= first && b > last - 360; b--) {
    const at = b * WINDOW;
    for (const z of zones) {
      if (input.AvailabilityZone && z.name !== input.AvailabilityZone) continue;
      if (input.AvailabilityZoneId && z.id !== input.AvailabilityZoneId) continue;
      for (const t of types.length ? types : INSTANCE_TYPES.map((x) => x.name)) {
        if (!spotOffered(s.region, z.name, t)) continue;
        for (const p of products)
          rows.push({
            AvailabilityZone: z.name,
            InstanceType: t,
            ProductDescription: p,
            SpotPrice: fmt(spotPrice(t, z.name, p, at)),
            Timestamp: new Date(at),
            tags: new Map(),
          });
      }
    }
  }
  const page = select(
    rows,
    { ...input, MaxResults: input.MaxResults ?? 1000 },
    {
      "availability-zone": (x) => x.AvailabilityZone,
      "instance-type": (x) => x.InstanceType,
      "product-description": (x) => x.ProductDescription,
      "spot-price": (x) => x.SpotPrice,
      timestamp: (x) => (x.Timestamp as Date).toISOString(),
      "availability-zone-id": (x) => zones.find((z) => z.name === x.AvailabilityZone)?.id,
    },
    (x) => `${x.Timestamp.getTime()}|${x.AvailabilityZone}|${x.InstanceType}|${x.ProductDescription}`,
    { paginate: true, min: 1, max: 1000 },
  );
  return { SpotPriceHistory: page.items.map(({ tags: _t, ...x }) => x), NextToken: page.nextToken };
}

/**
 * RunInstances with InstanceMarketOptions MarketType "spot" (the request's or its launch template's): the
 * maximum price (the On-Demand price by default) must reach the Spot price, and each instance launched is a
 * Spot Instance with its own Spot request (one-time unless SpotInstanceType says persistent), as
 * DescribeInstances (InstanceLifecycle, SpotInstanceRequestId) and DescribeSpotInstanceRequests show.
 */
export function spotMarket(s: Ec2State, request: Input, merged: Input | undefined): { options: Input; max: number } | undefined {
  const market = (request.InstanceMarketOptions ?? merged?.InstanceMarketOptions) as Input | undefined;
  if (market?.MarketType !== "spot") return undefined;
  const options = (market.SpotOptions ?? {}) as Input;
  const type = String(request.InstanceType ?? merged?.InstanceType ?? "m1.small");
  const max = options.MaxPrice !== undefined && options.MaxPrice !== "" ? Number(options.MaxPrice) : onDemand(type);
  if (!Number.isFinite(max) || max <= 0) throw Ec2Errors.invalidValue(`Invalid value '${options.MaxPrice}' for spotPrice.`);
  const type0 = String(options.SpotInstanceType ?? "one-time");
  const behaviour = String(options.InstanceInterruptionBehavior ?? "terminate");
  if (behaviour !== "terminate" && type0 !== "persistent")
    throw Ec2Errors.invalidCombination(`InstanceInterruptionBehavior '${behaviour}' requires a persistent Spot request.`);
  const placement = (request.Placement ?? merged?.Placement) as Input | undefined;
  const subnetId = request.SubnetId ?? (request.NetworkInterfaces as Input[] | undefined)?.[0]?.SubnetId ?? merged?.SubnetId;
  const zone = placement?.AvailabilityZone || (subnetId ? s.subnets.get(String(subnetId))?.az : undefined) || zonesOf(s.region)[0]!.name;
  const price = spotPrice(type, zone, "Linux/UNIX", Date.now());
  if (max < price)
    throw e("SpotMaxPriceTooLow", `Your Spot request price of ${fmt(max)} is lower than the minimum required Spot request fulfillment price of ${fmt(price)}.`);
  return { options, max };
}

/** The Spot request of each instance a spot-market RunInstances launched; the instances become Spot Instances. */
export function spotMarketRequests(s: Ec2State, ids: string[], market: { options: Input; max: number }, now: Date): Map<string, string> {
  const m = moreOf(s);
  const out = new Map<string, string>();
  for (const id of ids) {
    const inst = s.instances.get(id);
    if (!inst) continue;
    const r: SpotRequestRec = {
      id: `sir-${createHash("sha256").update(ec2Id("sir")).digest("hex").slice(0, 8)}`,
      spotPrice: fmt(market.max),
      type: String(market.options.SpotInstanceType ?? "one-time"),
      state: "active",
      status: { code: "fulfilled", message: "Your Spot request is fulfilled.", updateTime: now },
      launchSpecification: {
        ImageId: inst.imageId,
        InstanceType: inst.instanceType,
        KeyName: inst.keyName,
        SubnetId: inst.subnetId,
        SecurityGroupIds: [...inst.groups],
        Placement: { AvailabilityZone: inst.az },
      },
      instanceId: id,
      az: inst.az,
      createTime: now,
      validUntil: market.options.ValidUntil ? new Date(market.options.ValidUntil) : undefined,
      interruptionBehavior: String(market.options.InstanceInterruptionBehavior ?? "terminate"),
      tags: new Map(),
    };
    m.spotRequests.set(r.id, r);
    inst.lifecycle = "spot";
    inst.spotRequestId = r.id;
    out.set(id, r.id);
  }
  return out;
}
