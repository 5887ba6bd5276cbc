/**
 * The fleet engine shared by EC2 Fleet (CreateFleet) and Spot Fleet (RequestSpotFleet): capacity pools from
 * launch templates / launch specifications and their overrides (InstanceRequirements resolved against the
 * instance types awsim knows), allocation (lowest price, prioritized, diversified) and launches through
 * RunInstances, so every fleet instance is a real instance in DescribeInstances. Spot capacity launches when
 * the pool's maximum price is at least the current Spot price (more/spot.ts); otherwise the pool fails with
 * SpotMaxPriceTooLow. Fleets of type maintain top their capacity up again on read.
 */
import { AwsError } from "../../../protocols/aws-error.js";
import type { Ctx } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { wildcard } from "../../core/filters.js";
import { setTag, tagSpec, zonesOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { RunInstances, stateOf, TerminateInstances } from "../instances.js";
import { findTemplate, versionOf } from "../launch-templates.js";
import { INSTANCE_TYPES } from "../misc.js";
import { onDemand, spotPrice } from "../more/spot.js";
import { moreOf, type SpotRequestRec } from "../more/state.js";
import type { Ec2State } from "../state.js";
import type { FleetInstanceRec, FleetRec, PoolRec } from "./state.js";

export const fmtPrice = (p: number) => p.toFixed(6);

/** The same client token with different parameters: AWS's IdempotentParameterMismatch. */
export function sameRequest(prior: unknown, input: Input, token: string): void {
  const strip = (x: unknown) => JSON.stringify(x, (k, v) => (k === "DryRun" ? undefined : v));
  if (strip(prior) !== strip(input))
    throw Ec2Errors.custom("IdempotentParameterMismatch", `The client token '${token}' has already been used with a request that had different parameters.`);
}

/** The EC2 Fleet / Spot Fleet quota: target capacity of at most 10,000 instances per fleet. */
export function checkSize(pools: PoolRec[], total: number): void {
  const minWeight = Math.min(...pools.map((p) => p.weight), Number.POSITIVE_INFINITY);
  const instances = pools.length ? Math.ceil(total / minWeight) : 0;
  if (instances > 10000)
    throw Ec2Errors.invalidValue(`The target capacity (${total}) requires up to ${instances} instances, more than the limit of 10000 instances per fleet.`);
}

/** Instance types matching InstanceRequirements (vCPUs, memory, allowed/excluded names, burstable), cheapest first. */
export function typesFor(req: Input): string[] {
  const range = (v: number, r?: { Min?: number; Max?: number }) => !r || ((r.Min === undefined || v >= r.Min) && (r.Max === undefined || v <= r.Max));
  const allowed = ((req.AllowedInstanceTypes ?? []) as string[]).map(wildcard);
  const excluded = ((req.ExcludedInstanceTypes ?? []) as string[]).map(wildcard);
  const burst = String(req.BurstablePerformance ?? "excluded");
  const arm = (t: { arch: string }) => t.arch === "arm64";
  const makers = (req.CpuManufacturers ?? []) as string[];
  return INSTANCE_TYPES.filter(
    (t) =>
      range(t.vcpu, req.VCpuCount) &&
      range(t.mem, req.MemoryMiB) &&
      (!allowed.length || allowed.some((w) => w.test(t.name))) &&
      !excluded.some((w) => w.test(t.name)) &&
      (burst === "included" || (burst === "required" ? !!t.burst : !t.burst)) &&
      (!makers.length || makers.includes(arm(t) ? "amazon-web-services" : t.name.split(".")[0]!.endsWith("a") ? "amd" : "intel")),
  )
    .map((t) => t.name)
    .sort((a, b) => onDemand(a) - onDemand(b));
}

/** The template's data (after version resolution) for a pool. */
function templateData(s: Ec2State, t: PoolRec["template"]): Input {
  if (!t) return {};
  const lt = findTemplate(s, t.LaunchTemplateId, t.LaunchTemplateName);
  return lt.versions.get(versionOf(lt, t.Version))!.data as Input;
}

/** Pools of EC2 Fleet / Spot Fleet LaunchTemplateConfigs: one per override (or the template alone). */
export function poolsOfTemplates(s: Ec2State, configs: Input[], unitType?: string): PoolRec[] {
  const pools: PoolRec[] = [];
  for (const c of configs) {
    const spec = (c.LaunchTemplateSpecification ?? {}) as Input;
    const template = { LaunchTemplateId: spec.LaunchTemplateId, LaunchTemplateName: spec.LaunchTemplateName, Version: spec.Version };
    const data = templateData(s, template);
    const overrides = (c.Overrides ?? []) as Input[];
    for (const o of overrides.length ? overrides : [undefined]) pools.push(pool(s, { template, override: o }, data, unitType));
  }
  return pools;
}

/** Pools of Spot Fleet LaunchSpecifications. */
export function poolsOfSpecs(s: Ec2State, specs: Input[], unitType?: string): PoolRec[] {
  return specs.map((spec) => pool(s, { spec, override: { WeightedCapacity: spec.WeightedCapacity, MaxPrice: spec.SpotPrice } }, spec, unitType));
}

function pool(s: Ec2State, p: { template?: PoolRec["template"]; spec?: Input; override?: Input }, data: Input, unitType?: string): PoolRec {
  const o = p.override ?? {};
  const req = (o.InstanceRequirements ?? (o.InstanceType ? undefined : data.InstanceRequirements)) as Input | undefined;
  const types = o.InstanceType ? [String(o.InstanceType)] : req ? typesFor(req) : [String(data.InstanceType ?? "m1.small")];
  if (o.SubnetId !== undefined && !s.subnets.has(String(o.SubnetId)))
    throw Ec2Errors.custom("InvalidSubnetID.NotFound", `The subnet ID '${o.SubnetId}' does not exist`);
  // With a vCPU or memory capacity unit, an unweighted pool counts each instance's vCPUs or MiB.
  const info = INSTANCE_TYPES.find((t) => t.name === types[0]);
  const unit = unitType === "vcpu" ? info?.vcpu : unitType === "memory-mib" ? info?.mem : undefined;
  const weight = o.WeightedCapacity !== undefined ? Number(o.WeightedCapacity) : (unit ?? 1);
  if (!(weight > 0)) throw Ec2Errors.invalidValue(`Value (${o.WeightedCapacity}) for parameter WeightedCapacity is invalid. Expected a positive number.`);
  return { ...p, types, weight, priority: o.Priority !== undefined ? Number(o.Priority) : Number.MAX_SAFE_INTEGER };
}

/** The zone a pool launches into (override, subnet, placement, or the region's first zone). */
function zoneOf(s: Ec2State, p: PoolRec, data: Input): string {
  const o = p.override ?? {};
  const subnet = o.SubnetId ?? p.spec?.SubnetId ?? data.SubnetId ?? data.NetworkInterfaces?.[0]?.SubnetId;
  return (
    o.AvailabilityZone ??
    o.Placement?.AvailabilityZone ??
    (subnet ? s.subnets.get(String(String(subnet).split(",")[0]))?.az : undefined) ??
    p.spec?.Placement?.AvailabilityZone ??
    data.Placement?.AvailabilityZone ??
    zonesOf(s.region)[0]!.name
  );
}

const live = (s: Ec2State, ctx: Ctx, id: string) => {
  const i = s.instances.get(id);
  if (!i) return false;
  const st = stateOf(i, ctx.config.transitionDelayMs ?? 0);
  return st === "pending" || st === "running";
};

export const liveInstances = (s: Ec2State, ctx: Ctx, f: FleetRec) => f.instances.filter((x) => live(s, ctx, x.instanceId));

export function fulfilled(s: Ec2State, ctx: Ctx, f: FleetRec, lifecycle?: "spot" | "on-demand"): number {
  return liveInstances(s, ctx, f)
    .filter((x) => !lifecycle || x.lifecycle === lifecycle)
    .reduce((n, x) => n + x.weight, 0);
}

function order(s: Ec2State, f: FleetRec, lifecycle: "spot" | "on-demand", now: number): number[] {
  const idx = f.pools.map((_, i) => i);
  const price = (i: number) => {
    const p = f.pools[i]!;
    const t = p.types[0]!;
    return (lifecycle === "spot" ? spotPrice(t, zoneOf(s, p, templateSafe(s, p)), "Linux/UNIX", now) : onDemand(t)) / p.weight;
  };
  const strategy = lifecycle === "spot" ? f.spotAllocation : f.onDemandAllocation;
  if (strategy === "prioritized" || strategy === "capacity-optimized-prioritized" || strategy === "capacityOptimizedPrioritized")
    return idx.sort((a, b) => f.pools[a]!.priority - f.pools[b]!.priority || a - b);
  return idx.sort((a, b) => price(a) - price(b) || a - b);
}

function templateSafe(s: Ec2State, p: PoolRec): Input {
  try {
    return p.template ? templateData(s, p.template) : (p.spec ?? {});
  } catch {
    return {};
  }
}

/** The RunInstances request for `count` instances of a pool. */
function runInput(s: Ec2State, f: FleetRec, p: PoolRec, type: string, count: number): Input {
  const o = p.override ?? {};
  const run: Input = { MinCount: 1, MaxCount: count, InstanceType: type };
  if (p.template) run.LaunchTemplate = p.template;
  if (p.spec) {
    const { SecurityGroups, WeightedCapacity: _w, SpotPrice: _p, TagSpecifications, InstanceRequirements: _r, AddressingType: _a, Placement, ...rest } = p.spec;
    Object.assign(run, rest);
    if (SecurityGroups?.length) run.SecurityGroupIds = (SecurityGroups as Input[]).map((g) => g.GroupId).filter(Boolean);
    if (Placement) run.Placement = { AvailabilityZone: Placement.AvailabilityZone, GroupName: Placement.GroupName, Tenancy: Placement.Tenancy };
    run.TagSpecifications = TagSpecifications;
    if (typeof run.SubnetId === "string") run.SubnetId = run.SubnetId.split(",")[0]!.trim();
  }
  if (o.SubnetId) run.SubnetId = String(o.SubnetId).split(",")[0]!.trim();
  if (o.ImageId) run.ImageId = o.ImageId;
  if (o.Placement || o.AvailabilityZone)
    run.Placement = { ...(run.Placement ?? {}), ...(o.Placement ?? {}), ...(o.AvailabilityZone ? { AvailabilityZone: o.AvailabilityZone } : {}) };
  if (o.BlockDeviceMappings) run.BlockDeviceMappings = o.BlockDeviceMappings;
  if (f.kind === "ec2" && f.type === "instant") {
    // An instant fleet tags what it launches (instances, their volumes and interfaces) from its own TagSpecifications.
    const specs = ["instance", "volume", "network-interface"].flatMap((type) => {
      const tags = tagSpec(f.request, type);
      return tags.length ? [{ ResourceType: type, Tags: tags.map(([Key, Value]) => ({ Key, Value })) }] : [];
    });
    if (specs.length) run.TagSpecifications = specs;
  }
  if (run.SubnetId && run.Placement?.AvailabilityZone && s.subnets.get(run.SubnetId)?.az !== run.Placement.AvailabilityZone)
    delete run.Placement.AvailabilityZone;
  subnetIntoInterfaces(run, p.template ? templateSafe(s, p) : run);
  return run;
}

/**
 * A template (or specification) that describes network interfaces takes the override's subnet on its primary
 * interface: EC2 Fleet launches Karpenter's templates (interfaces with groups, no subnet) into each override's
 * SubnetId, where RunInstances itself refuses an instance-level subnet beside interfaces.
 */
function subnetIntoInterfaces(run: Input, data: Input): void {
  const nics = data.NetworkInterfaces as Input[] | undefined;
  if (!run.SubnetId || !Array.isArray(nics) || !nics.length) return;
  const primary = (n: Input) => (n.DeviceIndex ?? 0) === 0 && (n.NetworkCardIndex ?? 0) === 0;
  run.NetworkInterfaces = nics.map((n) => (primary(n) && !n.NetworkInterfaceId ? { ...n, SubnetId: run.SubnetId } : n));
  delete run.SubnetId;
}

/** Launch up to `count` instances in a pool; an AWS error or a Spot price above the maximum fails the pool. */
function launch(ctx: Ctx, s: Ec2State, f: FleetRec, i: number, count: number, lifecycle: "spot" | "on-demand"): FleetInstanceRec[] {
  const p = f.pools[i]!;
  const type = p.types[0];
  const now = ctx.now();
  if (!type) throw new AwsError("InvalidParameterValue", "No instance type matches the specified instance requirements.", 400);
  const data = templateSafe(s, p);
  const zone = zoneOf(s, p, data);
  let max: number | undefined;
  if (lifecycle === "spot") {
    // An empty price is no price (Terraform sends SpotPrice="" in a launch specification without spot_price).
    const set = (v: unknown) => (v === "" ? undefined : v);
    const given = set(p.override?.MaxPrice) ?? set(p.override?.SpotPrice) ?? set(f.request.SpotPrice) ?? set(data.InstanceMarketOptions?.SpotOptions?.MaxPrice);
    max = given !== undefined ? Number(given) : onDemand(type);
    const market = spotPrice(type, zone, "Linux/UNIX", now.getTime());
    if (max < market)
      throw new AwsError(
        "SpotMaxPriceTooLow",
        `Your Spot request price of ${fmtPrice(max)} is lower than the minimum required Spot request fulfillment price of ${fmtPrice(market)}.`,
        400,
      );
  }
  const price = lifecycle === "spot" ? spotPrice(type, zone, "Linux/UNIX", now.getTime()) : onDemand(type);
  const budget = lifecycle === "spot" ? f.spotMaxTotalPrice : f.onDemandMaxTotalPrice;
  if (budget !== undefined) {
    // MaxTotalPrice: stop launching once the hourly price of the fleet's instances would exceed it.
    const spent = liveInstances(s, ctx, f)
      .filter((x) => x.lifecycle === lifecycle)
      .reduce((n, x) => n + x.price, 0);
    count = Math.min(count, Math.floor((budget - spent) / price + 1e-9));
    if (count <= 0) return [];
  }
  const res = RunInstances(ctx, runInput(s, f, p, type, count)) as { instancesSet: Array<{ instanceId: string }> };
  const out: FleetInstanceRec[] = [];
  for (const { instanceId } of res.instancesSet) {
    const inst = s.instances.get(instanceId)!;
    if (f.kind === "ec2") setTag(s, instanceId, inst, "aws:ec2:fleet-id", f.id);
    else setTag(s, instanceId, inst, "aws:ec2spot:fleet-request-id", f.id);
    let sir: string | undefined;
    if (lifecycle === "spot") {
      inst.lifecycle = "spot";
      // Every fleet's Spot Instance has its Spot request, an instant fleet's too (Packer's spot builder tags it).
      sir = spotRequest(s, inst.id, type, inst.az, max!, f, now).id;
      inst.spotRequestId = sir;
    }
    out.push({ instanceId, pool: i, instanceType: type, lifecycle, spotRequestId: sir, weight: p.weight, price });
    f.history.push({
      time: now,
      type: "instance-change",
      subType: "launched",
      instanceId,
      description: `{"instanceType":"${type}","image":"${inst.imageId}","productDescription":"Linux/UNIX","availabilityZone":"${inst.az}"}`,
    });
  }
  return out;
}

/** The one-time Spot request behind a fleet's Spot Instance (visible in DescribeSpotInstanceRequests). */
function spotRequest(s: Ec2State, instanceId: string, type: string, az: string, max: number, f: FleetRec, now: Date): SpotRequestRec {
  const inst = s.instances.get(instanceId)!;
  const r: SpotRequestRec = {
    id: `sir-${ec2Id("x").slice(2, 10)}`,
    spotPrice: fmtPrice(max),
    type: "one-time",
    state: "active",
    status: { code: "fulfilled", message: "Your Spot request is fulfilled.", updateTime: now },
    launchSpecification: {
      ImageId: inst.imageId,
      InstanceType: type,
      KeyName: inst.keyName,
      SubnetId: inst.subnetId,
      SecurityGroupIds: [...inst.groups],
      Placement: { AvailabilityZone: az },
    },
    instanceId,
    az,
    createTime: now,
    interruptionBehavior: "terminate",
    tags: new Map(),
  };
  moreOf(s).spotRequests.set(r.id, r);
  setTag(s, r.id, r, f.kind === "ec2" ? "aws:ec2:fleet-id" : "aws:ec2spot:fleet-request-id", f.id);
  return r;
}

/** Launch toward the target of one lifecycle; pool failures are recorded and the next pool is tried. */
function fillLifecycle(ctx: Ctx, s: Ec2State, f: FleetRec, lifecycle: "spot" | "on-demand", need: number): void {
  if (need <= 0) return;
  const now = ctx.now();
  const pools = order(s, f, lifecycle, now.getTime());
  const failed = new Set<number>();
  const diversified = lifecycle === "spot" && f.spotAllocation === "diversified";
  let k = 0;
  let guard = 0;
  while (need > 0 && failed.size < pools.length && guard++ < 1000) {
    const candidates = pools.filter((i) => !failed.has(i));
    const i = diversified ? candidates[k++ % candidates.length]! : candidates[0]!;
    const p = f.pools[i]!;
    const count = diversified ? 1 : Math.min(1000, Math.ceil(need / p.weight));
    try {
      const got = launch(ctx, s, f, i, count, lifecycle);
      f.instances.push(...got);
      need -= got.reduce((n, x) => n + x.weight, 0);
      if (!got.length) failed.add(i);
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      failed.add(i);
      // A maintain fleet retries on every read: record each distinct failure once.
      const known = f.errors.find((x) => x.pool === i && x.lifecycle === lifecycle && x.code === err.code);
      if (known) known.message = err.message;
      else {
        f.errors.push({ pool: i, lifecycle, code: err.code, message: err.message });
        f.history.push({ time: now, type: "service-error", subType: "launchSpecUnusable", description: `${err.code}: ${err.message}` });
      }
    }
  }
}

/** Launch what the fleet lacks. Request fleets launch their target once; maintain fleets replace lost capacity. */
export function fill(ctx: Ctx, s: Ec2State, f: FleetRec): void {
  const launched = (l: "spot" | "on-demand") =>
    f.type === "maintain" ? fulfilled(s, ctx, f, l) : f.instances.filter((x) => x.lifecycle === l).reduce((n, x) => n + x.weight, 0);
  fillLifecycle(ctx, s, f, "on-demand", f.onDemandTarget - launched("on-demand"));
  fillLifecycle(ctx, s, f, "spot", f.spotTarget - launched("spot"));
  status(ctx, s, f);
}

export function status(ctx: Ctx, s: Ec2State, f: FleetRec): void {
  const have = fulfilled(s, ctx, f);
  const before = f.activity;
  f.activity = have >= f.total ? "fulfilled" : f.errors.length && !f.instances.length ? "error" : "pending_fulfillment";
  if (f.activity !== before && f.activity === "fulfilled")
    f.history.push({ time: ctx.now(), type: "fleet-change", subType: "progress", description: "All target capacity is fulfilled." });
}

/** Bring a request up to date on read: maintain fleets replace terminated instances while active. */
export function refresh(ctx: Ctx, s: Ec2State, f: FleetRec): void {
  const now = ctx.now();
  if (f.state === "active" && f.validUntil && f.validUntil <= now) {
    f.state = f.kind === "ec2" ? "deleted" : "cancelled";
    f.history.push({ time: f.validUntil, type: "fleet-change", subType: "expired" });
    if (f.terminateWithExpiration) terminate(ctx, s, f);
    return;
  }
  if ((f.state === "submitted" || f.state === "active") && (!f.validFrom || f.validFrom <= now)) {
    // A request fleet places its one-time request when it becomes active; a maintain fleet keeps its target.
    if (f.state === "submitted") {
      f.state = "active";
      f.history.push({ time: now, type: "fleet-change", subType: "active" });
      fill(ctx, s, f);
    } else if (f.type === "maintain") fill(ctx, s, f);
    else status(ctx, s, f);
  }
  if (f.state === "deleted_running" || f.state === "deleted_terminating" || f.state === "cancelled_running" || f.state === "cancelled_terminating") {
    if (!liveInstances(s, ctx, f).length) {
      f.state = f.kind === "ec2" ? "deleted" : "cancelled";
      f.history.push({ time: now, type: "fleet-change", subType: f.state });
    }
  }
}

/** Terminate the fleet's live instances (TerminateInstances, so volumes and interfaces go too). */
export function terminate(ctx: Ctx, s: Ec2State, f: FleetRec): void {
  const ids = liveInstances(s, ctx, f)
    .map((x) => x.instanceId)
    .filter((id) => !s.instances.get(id)?.disableApiTermination);
  if (!ids.length) return;
  TerminateInstances(ctx, { InstanceIds: ids });
  for (const id of ids) f.history.push({ time: ctx.now(), type: "instance-change", subType: "terminated", instanceId: id });
}

/** Excess capacity after a target decrease: terminate the newest instances of a lifecycle when the policy says so. */
export function shrink(ctx: Ctx, s: Ec2State, f: FleetRec): void {
  for (const l of ["on-demand", "spot"] as const) {
    const target = l === "spot" ? f.spotTarget : f.onDemandTarget;
    let have = fulfilled(s, ctx, f, l);
    const mine = liveInstances(s, ctx, f)
      .filter((x) => x.lifecycle === l && !s.instances.get(x.instanceId)?.disableApiTermination)
      .reverse();
    for (const x of mine) {
      if (have - x.weight < target) break;
      TerminateInstances(ctx, { InstanceIds: [x.instanceId] });
      f.history.push({ time: ctx.now(), type: "instance-change", subType: "terminated", instanceId: x.instanceId });
      have -= x.weight;
    }
  }
}
