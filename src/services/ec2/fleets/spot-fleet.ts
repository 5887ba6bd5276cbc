/**
 * Spot Fleet: RequestSpotFleet (launch specifications or launch templates; request or maintain; Spot and
 * On-Demand target capacity, weights and allocation strategies), DescribeSpotFleetRequests,
 * DescribeSpotFleetInstances, DescribeSpotFleetRequestHistory, ModifySpotFleetRequest and
 * CancelSpotFleetRequests. Instances are real (RunInstances), tagged aws:ec2spot:fleet-request-id, and each
 * Spot Instance has a one-time Spot request visible in DescribeSpotInstanceRequests.
 */
import { randomUUID } from "node:crypto";
import type { Ctx } from "../../core/types.js";
import { bool, dryRun, list, select, setTag, tagSpec, tagsOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import type { Ec2State } from "../state.js";
import { historyPage, price } from "./ec2-fleet.js";
import { checkSize, fill, sameRequest, fulfilled, liveInstances, poolsOfSpecs, poolsOfTemplates, refresh, shrink, terminate } from "./engine.js";
import { fl, type FleetRec } from "./state.js";

const e = Ec2Errors.custom;
export const sfrNotFound = (id: string) => e("InvalidSpotFleetRequestId.NotFound", `The spot fleet request ID '${id}' does not exist`);
const badConfig = (message: string) => e("InvalidSpotFleetRequestConfig", message);
const SFR = /^sfr-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function targets(total: number, onDemand: number) {
  if (!Number.isInteger(total) || total < 0) throw Ec2Errors.invalidValue(`Value (${total}) for parameter targetCapacity is invalid.`);
  if (onDemand < 0 || onDemand > total) throw Ec2Errors.invalidValue("OnDemandTargetCapacity must be between 0 and TargetCapacity.");
  return { total, onDemandTarget: onDemand, spotTarget: total - onDemand, defaultType: "spot" };
}

/** A subnet named together with a zone must be in that zone (AWS's message as quoted in terraform-provider-aws#30751). */
function subnetInZone(s: Ec2State, subnetIds: unknown, az: unknown) {
  // An empty zone is no zone (Terraform sends Placement.AvailabilityZone="" when availability_zone is unset).
  if (subnetIds === undefined || az === undefined || az === "") return;
  const ids = String(subnetIds)
    .split(",")
    .map((x) => x.trim());
  for (const id of ids) {
    const sub = s.subnets.get(id);
    if (sub && sub.az !== az) throw badConfig(`The specified Subnet: ${id} cannot be used with the specified Availability Zone: ${az}.`);
  }
}

export function RequestSpotFleet(ctx: Ctx, input: Input) {
  const { s, f: st } = fl(ctx);
  const c = (input.SpotFleetRequestConfig ?? {}) as Input;
  const now = ctx.now();
  if (c.ClientToken) {
    const prior = [...st.spotFleets.values()].find((x) => x.clientToken === c.ClientToken);
    if (prior) sameRequest(prior.original, c, c.ClientToken);
    if (prior) return { SpotFleetRequestId: prior.id };
  }
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(String(c.IamFleetRole ?? "")))
    throw badConfig(`Parameter: SpotFleetRequestConfig.IamFleetRole is invalid. '${c.IamFleetRole}' is not a valid role ARN.`);
  const specs = (c.LaunchSpecifications ?? []) as Input[];
  const configs = (c.LaunchTemplateConfigs ?? []) as Input[];
  if (specs.length && configs.length)
    throw badConfig("Parameter: SpotFleetRequestConfig.LaunchSpecifications and LaunchTemplateConfigs cannot both be specified.");
  if (!specs.length && !configs.length) throw badConfig("Parameter: SpotFleetRequestConfig.LaunchSpecifications or LaunchTemplateConfigs is required.");
  for (const sp of specs) if (!sp.ImageId) throw badConfig("Parameter: SpotFleetRequestConfig.LaunchSpecifications.ImageId is required.");
  for (const sp of specs) subnetInZone(s, sp.SubnetId, sp.Placement?.AvailabilityZone);
  for (const cfg of configs) for (const o of (cfg.Overrides ?? []) as Input[]) subnetInZone(s, o.SubnetId, o.AvailabilityZone);
  const type = String(c.Type ?? "maintain");
  if (type === "instant") throw badConfig("Parameter: SpotFleetRequestConfig.Type 'instant' is not supported by Spot Fleet.");
  const pools = specs.length ? poolsOfSpecs(s, specs, c.TargetCapacityUnitType) : poolsOfTemplates(s, configs, c.TargetCapacityUnitType);
  const t = targets(Number(c.TargetCapacity), Number(c.OnDemandTargetCapacity ?? 0));
  checkSize(pools, t.total);
  const validFrom = c.ValidFrom ? new Date(c.ValidFrom) : undefined;
  const validUntil = c.ValidUntil ? new Date(c.ValidUntil) : undefined;
  if (validUntil && validUntil <= now) throw badConfig("Parameter: SpotFleetRequestConfig.ValidUntil must be in the future.");
  if (validFrom && validUntil && validUntil <= validFrom) throw badConfig("Parameter: SpotFleetRequestConfig.ValidUntil must be after ValidFrom.");
  if (c.SpotPrice !== undefined && c.SpotPrice !== "" && !(Number(c.SpotPrice) > 0))
    throw badConfig(`Parameter: SpotFleetRequestConfig.SpotPrice '${c.SpotPrice}' is invalid.`);
  dryRun(input);
  const f: FleetRec = {
    id: `sfr-${randomUUID()}`,
    kind: "spot",
    type,
    state: "submitted",
    activity: "pending_fulfillment",
    createTime: now,
    clientToken: c.ClientToken,
    request: c,
    original: c,
    pools,
    ...t,
    unitType: c.TargetCapacityUnitType,
    excessPolicy: c.ExcessCapacityTerminationPolicy,
    spotAllocation: String(c.AllocationStrategy ?? "lowestPrice"),
    onDemandAllocation: String(c.OnDemandAllocationStrategy ?? "lowestPrice"),
    spotMaxTotalPrice: price(c.SpotMaxTotalPrice, "SpotMaxTotalPrice"),
    onDemandMaxTotalPrice: price(c.OnDemandMaxTotalPrice, "OnDemandMaxTotalPrice"),
    validFrom,
    validUntil,
    terminateWithExpiration: bool(c.TerminateInstancesWithExpiration),
    replaceUnhealthy: bool(c.ReplaceUnhealthyInstances),
    instances: [],
    errors: [],
    history: [{ time: now, type: "fleet-change", subType: "submitted" }],
    tags: new Map(),
  };
  st.spotFleets.set(f.id, f);
  for (const [k, v] of tagSpec(c, "spot-fleet-request")) setTag(s, f.id, f, k, v);
  refresh(ctx, s, f);
  return { SpotFleetRequestId: f.id };
}

function view(ctx: Ctx, s: Ec2State, f: FleetRec) {
  const c = f.request;
  return {
    ActivityStatus: f.activity,
    CreateTime: f.createTime,
    SpotFleetRequestId: f.id,
    SpotFleetRequestState: f.state,
    Tags: tagsOf(f),
    SpotFleetRequestConfig: {
      ...c,
      AllocationStrategy: f.spotAllocation,
      OnDemandAllocationStrategy: f.onDemandAllocation,
      ExcessCapacityTerminationPolicy: f.excessPolicy ?? (f.type === "maintain" ? "Default" : undefined),
      FulfilledCapacity: fulfilled(s, ctx, f),
      OnDemandFulfilledCapacity: fulfilled(s, ctx, f, "on-demand"),
      TargetCapacity: f.total,
      OnDemandTargetCapacity: f.onDemandTarget,
      TerminateInstancesWithExpiration: f.terminateWithExpiration,
      ReplaceUnhealthyInstances: f.replaceUnhealthy,
      InstanceInterruptionBehavior: c.InstanceInterruptionBehavior ?? "terminate",
      Type: f.type,
      ClientToken: f.clientToken,
    },
  };
}

function getSfr(ctx: Ctx, id: string) {
  const { s, f: st } = fl(ctx);
  const f = st.spotFleets.get(id);
  if (!f) throw sfrNotFound(id);
  refresh(ctx, s, f);
  return { s, f };
}

export function DescribeSpotFleetRequests(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f: st } = fl(ctx);
  const ids = list(input.SpotFleetRequestIds);
  for (const id of ids) if (!st.spotFleets.has(id)) throw sfrNotFound(id);
  const items = ids.length ? ids.map((id) => st.spotFleets.get(id)!) : [...st.spotFleets.values()];
  for (const f of items) refresh(ctx, s, f);
  const page = select(items, { MaxResults: input.MaxResults, NextToken: input.NextToken }, {}, (f) => f.id, { paginate: true, min: 1, max: 1000 });
  return { SpotFleetRequestConfigs: page.items.map((f) => view(ctx, s, f)), NextToken: page.nextToken };
}

export function DescribeSpotFleetInstances(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f } = getSfr(ctx, String(input.SpotFleetRequestId));
  const rows = liveInstances(s, ctx, f).map((x) => ({ ...x, tags: new Map<string, string>() }));
  const page = select(rows, { MaxResults: input.MaxResults, NextToken: input.NextToken }, {}, (x) => x.instanceId, { paginate: true, min: 1, max: 1000 });
  return {
    SpotFleetRequestId: f.id,
    ActiveInstances: page.items.map((x) => ({
      InstanceId: x.instanceId,
      InstanceType: x.instanceType,
      SpotInstanceRequestId: x.spotRequestId,
      InstanceHealth: "healthy",
    })),
    NextToken: page.nextToken,
  };
}

const EVENT: Record<string, string> = { "fleet-change": "fleetRequestChange", "instance-change": "instanceChange", "service-error": "information" };

export function DescribeSpotFleetRequestHistory(ctx: Ctx, input: Input) {
  dryRun(input);
  const { f } = getSfr(ctx, String(input.SpotFleetRequestId));
  return { SpotFleetRequestId: f.id, ...historyPage(ctx, f.history, input, (t) => EVENT[t] ?? t) };
}

export function ModifySpotFleetRequest(ctx: Ctx, input: Input) {
  const { s, f } = getSfr(ctx, String(input.SpotFleetRequestId));
  // FleetNotInModifiableState (EC2 error-code reference: "must be in the active state to modify it"); the
  // non-maintain message is AWS's as quoted in jenkinsci/ec2-fleet-plugin#131.
  if (f.type !== "maintain") throw e("FleetNotInModifiableState", `Fleet Request: ${f.id} is not a modifiable fleet request type.`);
  if (f.state !== "active") throw e("FleetNotInModifiableState", `The Spot Fleet request '${f.id}' is in the ${f.state} state and cannot be modified.`);
  const pools = input.LaunchTemplateConfigs !== undefined ? poolsOfTemplates(s, input.LaunchTemplateConfigs, f.unitType) : undefined;
  if (pools && f.request.LaunchSpecifications?.length)
    throw badConfig("LaunchTemplateConfigs can be modified only for Spot Fleet requests that use launch templates.");
  const total = input.TargetCapacity !== undefined ? Number(input.TargetCapacity) : f.total;
  const t = targets(total, Number(input.OnDemandTargetCapacity ?? Math.min(f.onDemandTarget, total)));
  checkSize(pools ?? f.pools, t.total);
  dryRun(input);
  const now = ctx.now();
  f.history.push({ time: now, type: "fleet-change", subType: "modify_in_progress" });
  if (input.ExcessCapacityTerminationPolicy !== undefined) f.excessPolicy = String(input.ExcessCapacityTerminationPolicy);
  if (pools) {
    f.pools = pools;
    f.request = { ...f.request, LaunchTemplateConfigs: input.LaunchTemplateConfigs };
    for (const x of f.instances) x.pool = Math.min(x.pool, pools.length - 1);
  }
  Object.assign(f, t);
  f.request = { ...f.request, TargetCapacity: t.total, OnDemandTargetCapacity: t.onDemandTarget };
  if ((f.excessPolicy ?? "default") === "default") shrink(ctx, s, f);
  fill(ctx, s, f);
  f.history.push({ time: now, type: "fleet-change", subType: "modify_successful" });
  return { Return: true };
}

export function CancelSpotFleetRequests(ctx: Ctx, input: Input) {
  const { s, f: st } = fl(ctx);
  const ids = list(input.SpotFleetRequestIds);
  dryRun(input);
  const term = input.TerminateInstances === true;
  const ok: Input[] = [];
  const failed: Input[] = [];
  const now = ctx.now();
  for (const id of ids) {
    const f = st.spotFleets.get(id);
    if (!f) {
      failed.push({
        SpotFleetRequestId: id,
        Error: SFR.test(id)
          ? { Code: "fleetRequestIdDoesNotExist", Message: `The spot fleet request ID '${id}' does not exist` }
          : { Code: "fleetRequestIdMalformed", Message: `The spot fleet request ID '${id}' is malformed` },
      });
      continue;
    }
    refresh(ctx, s, f);
    if (f.state.startsWith("cancelled") || f.state === "failed") {
      failed.push({
        SpotFleetRequestId: id,
        Error: { Code: "fleetRequestNotInCancellableState", Message: `The spot fleet request '${id}' is in the ${f.state} state and cannot be cancelled` },
      });
      continue;
    }
    const previous = f.state;
    const running = liveInstances(s, ctx, f).length > 0;
    f.state = !running ? "cancelled" : term ? "cancelled_terminating" : "cancelled_running";
    f.history.push({ time: now, type: "fleet-change", subType: f.state });
    if (term) terminate(ctx, s, f);
    ok.push({ SpotFleetRequestId: id, PreviousSpotFleetRequestState: previous, CurrentSpotFleetRequestState: f.state });
  }
  return { SuccessfulFleetRequests: ok, UnsuccessfulFleetRequests: failed };
}
