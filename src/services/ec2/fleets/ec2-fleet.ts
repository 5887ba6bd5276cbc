/**
 * EC2 Fleet: CreateFleet (instant: one synchronous launch, its instances and errors in the answer; request:
 * launches its target once; maintain: keeps its target, replacing terminated instances on read),
 * DescribeFleets (instant fleets only when named), DeleteFleets (terminate or leave running), ModifyFleet
 * (maintain fleets: target capacity, excess capacity policy, launch template configs), DescribeFleetInstances
 * and DescribeFleetHistory.
 */
import { randomUUID } from "node:crypto";
import type { Ctx } from "../../core/types.js";
import { applyTagSpec, bool, dryRun, list, select, tagsOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import type { Ec2State } from "../state.js";
import { checkSize, fill, sameRequest, fulfilled, liveInstances, poolsOfTemplates, refresh, shrink, terminate } from "./engine.js";
import { fl, type FleetRec, type HistoryRec } from "./state.js";

const e = Ec2Errors.custom;
export const fleetNotFound = (id: string) => e("InvalidFleetId.NotFound", `The fleet ID '${id}' does not exist`);

/** On-Demand and Spot targets from a TargetCapacitySpecification (the rest goes to the default type). */
export function targets(t: Input, dflt: string) {
  const total = Number(t.TotalTargetCapacity);
  const od = Number(t.OnDemandTargetCapacity ?? 0);
  const spot = Number(t.SpotTargetCapacity ?? 0);
  if (!Number.isInteger(total) || total < 0) throw Ec2Errors.invalidValue(`Value (${t.TotalTargetCapacity}) for parameter TotalTargetCapacity is invalid.`);
  if (od < 0 || spot < 0) throw Ec2Errors.invalidValue("Target capacities must not be negative.");
  if (od + spot > total)
    throw Ec2Errors.invalidValue("The sum of OnDemandTargetCapacity and SpotTargetCapacity must be less than or equal to TotalTargetCapacity.");
  const type = String(t.DefaultTargetCapacityType ?? dflt);
  const rest = total - od - spot;
  return { total, onDemandTarget: od + (type === "spot" ? 0 : rest), spotTarget: spot + (type === "spot" ? rest : 0), defaultType: type };
}

/** A MaxTotalPrice: a positive decimal string, or undefined. */
export function price(v: unknown, name: string): number | undefined {
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw Ec2Errors.invalidValue(`Value (${v}) for parameter ${name} is invalid.`);
  return n;
}

function templateRef(s: Ec2State, f: FleetRec, pool: number) {
  const p = f.pools[pool]!;
  const lt = p.template;
  const rec = lt?.LaunchTemplateId
    ? s.launchTemplates.get(lt.LaunchTemplateId)
    : [...s.launchTemplates.values()].find((t) => t.name === lt?.LaunchTemplateName);
  const o = p.override;
  return {
    LaunchTemplateSpecification: {
      LaunchTemplateId: rec?.id ?? lt?.LaunchTemplateId,
      LaunchTemplateName: rec?.name ?? lt?.LaunchTemplateName,
      Version: lt?.Version,
    },
    Overrides: o
      ? {
          InstanceType: o.InstanceType,
          MaxPrice: o.MaxPrice,
          SubnetId: o.SubnetId,
          AvailabilityZone: o.AvailabilityZone,
          WeightedCapacity: o.WeightedCapacity,
          Priority: o.Priority,
          Placement: o.Placement?.GroupName ? { GroupName: o.Placement.GroupName } : undefined,
          InstanceRequirements: o.InstanceRequirements,
          ImageId: o.ImageId,
          AvailabilityZoneId: o.AvailabilityZoneId,
        }
      : undefined,
  };
}

/** Instances of an instant fleet grouped by pool, lifecycle and type; errors by pool and lifecycle. */
function launchedView(s: Ec2State, f: FleetRec) {
  const groups = new Map<string, { pool: number; lifecycle: string; type: string; ids: string[] }>();
  for (const x of f.instances) {
    const k = `${x.pool}|${x.lifecycle}|${x.instanceType}`;
    const g = groups.get(k) ?? { pool: x.pool, lifecycle: x.lifecycle, type: x.instanceType, ids: [] };
    g.ids.push(x.instanceId);
    groups.set(k, g);
  }
  return {
    Instances: [...groups.values()].map((g) => ({
      LaunchTemplateAndOverrides: templateRef(s, f, g.pool),
      Lifecycle: g.lifecycle,
      InstanceIds: g.ids,
      InstanceType: g.type,
    })),
    Errors: f.errors.map((x) => ({
      LaunchTemplateAndOverrides: templateRef(s, f, x.pool),
      Lifecycle: x.lifecycle,
      ErrorCode: x.code,
      ErrorMessage: x.message,
    })),
  };
}

function fleetView(ctx: Ctx, s: Ec2State, f: FleetRec) {
  const r = f.request;
  const t = r.TargetCapacitySpecification ?? {};
  const instant = f.type === "instant" ? launchedView(s, f) : undefined;
  const spot = r.SpotOptions ?? {};
  return {
    ActivityStatus: f.type === "instant" ? undefined : f.activity,
    CreateTime: f.createTime,
    FleetId: f.id,
    FleetState: f.state,
    ClientToken: f.clientToken,
    ExcessCapacityTerminationPolicy: f.type === "maintain" ? (f.excessPolicy ?? "termination") : undefined,
    FulfilledCapacity: fulfilled(s, ctx, f),
    FulfilledOnDemandCapacity: fulfilled(s, ctx, f, "on-demand"),
    LaunchTemplateConfigs: (r.LaunchTemplateConfigs ?? []).map((c: Input) => ({
      LaunchTemplateSpecification: c.LaunchTemplateSpecification,
      Overrides: (c.Overrides ?? []).map((o: Input) => ({ ...o, Placement: o.Placement?.GroupName ? { GroupName: o.Placement.GroupName } : undefined })),
    })),
    TargetCapacitySpecification: {
      TotalTargetCapacity: f.total,
      OnDemandTargetCapacity: f.onDemandTarget,
      SpotTargetCapacity: f.spotTarget,
      DefaultTargetCapacityType: f.defaultType,
      TargetCapacityUnitType: t.TargetCapacityUnitType,
    },
    TerminateInstancesWithExpiration: f.terminateWithExpiration,
    Type: f.type,
    ValidFrom: f.validFrom,
    ValidUntil: f.validUntil,
    ReplaceUnhealthyInstances: f.replaceUnhealthy,
    SpotOptions: {
      AllocationStrategy: f.spotAllocation,
      InstanceInterruptionBehavior: spot.InstanceInterruptionBehavior ?? "terminate",
      // The lowest-price strategy launches from one pool unless told otherwise (DescribeFleets shows 1).
      InstancePoolsToUseCount: spot.InstancePoolsToUseCount ?? (f.spotAllocation === "lowestPrice" || f.spotAllocation === "lowest-price" ? 1 : undefined),
      SingleInstanceType: spot.SingleInstanceType,
      SingleAvailabilityZone: spot.SingleAvailabilityZone,
      MinTargetCapacity: spot.MinTargetCapacity,
      MaxTotalPrice: spot.MaxTotalPrice,
      MaintenanceStrategies: spot.MaintenanceStrategies,
    },
    OnDemandOptions: { ...(r.OnDemandOptions ?? {}), AllocationStrategy: f.onDemandAllocation },
    Tags: tagsOf(f),
    Errors: instant?.Errors,
    Instances: instant?.Instances,
    Context: r.Context,
  };
}

export function CreateFleet(ctx: Ctx, input: Input) {
  const { s, f: st } = fl(ctx);
  const now = ctx.now();
  const type = String(input.Type ?? "maintain");
  if (input.ClientToken) {
    const prior = [...st.fleets.values()].find((x) => x.clientToken === input.ClientToken);
    if (prior) sameRequest(prior.original, input, input.ClientToken);
    if (prior) return type === "instant" ? { FleetId: prior.id, ...launchedView(s, prior) } : { FleetId: prior.id };
  }
  const configs = (input.LaunchTemplateConfigs ?? []) as Input[];
  if (configs.length > 50) throw Ec2Errors.invalidValue("The maximum number of launch template configurations is 50.");
  const pools = poolsOfTemplates(s, configs, input.TargetCapacitySpecification?.TargetCapacityUnitType);
  if (pools.length > 300) throw Ec2Errors.invalidValue("The maximum number of launch template overrides is 300.");
  const t = targets(input.TargetCapacitySpecification ?? {}, "on-demand");
  checkSize(pools, t.total);
  const validFrom = input.ValidFrom ? new Date(input.ValidFrom) : undefined;
  const validUntil = input.ValidUntil ? new Date(input.ValidUntil) : undefined;
  if (type === "instant" && (validFrom || validUntil))
    throw Ec2Errors.invalidCombination("ValidFrom and ValidUntil are not supported for fleets of type 'instant'.");
  if (validUntil && validUntil <= now) throw Ec2Errors.invalidValue("ValidUntil must be in the future.");
  if (validFrom && validUntil && validUntil <= validFrom) throw Ec2Errors.invalidValue("ValidUntil must be after ValidFrom.");
  if (input.ExcessCapacityTerminationPolicy !== undefined && type !== "maintain")
    throw Ec2Errors.invalidCombination("ExcessCapacityTerminationPolicy is supported only for fleets of type 'maintain'.");
  if (bool(input.ReplaceUnhealthyInstances) && type !== "maintain")
    throw Ec2Errors.invalidCombination("ReplaceUnhealthyInstances is supported only for fleets of type 'maintain'.");
  dryRun(input);
  const f: FleetRec = {
    id: `fleet-${randomUUID()}`,
    kind: "ec2",
    type,
    state: "submitted",
    activity: "pending_fulfillment",
    createTime: now,
    clientToken: input.ClientToken,
    request: input,
    original: input,
    pools,
    ...t,
    unitType: input.TargetCapacitySpecification?.TargetCapacityUnitType,
    excessPolicy: input.ExcessCapacityTerminationPolicy,
    // Unset, DescribeFleets answers lowestPrice (the API's own spelling of the default, which Terraform expects).
    spotAllocation: String(input.SpotOptions?.AllocationStrategy ?? "lowestPrice"),
    onDemandAllocation: String(input.OnDemandOptions?.AllocationStrategy ?? "lowestPrice"),
    spotMaxTotalPrice: price(input.SpotOptions?.MaxTotalPrice, "SpotOptions.MaxTotalPrice"),
    onDemandMaxTotalPrice: price(input.OnDemandOptions?.MaxTotalPrice, "OnDemandOptions.MaxTotalPrice"),
    validFrom,
    validUntil,
    terminateWithExpiration: bool(input.TerminateInstancesWithExpiration),
    replaceUnhealthy: bool(input.ReplaceUnhealthyInstances),
    instances: [],
    errors: [],
    history: [{ time: now, type: "fleet-change", subType: "submitted" }],
    tags: new Map(),
  };
  st.fleets.set(f.id, f);
  applyTagSpec(s, input, "fleet", f.id, f);
  if (type === "instant") {
    f.state = "active";
    fill(ctx, s, f);
    return { FleetId: f.id, ...launchedView(s, f) };
  }
  refresh(ctx, s, f);
  return { FleetId: f.id };
}

function getFleet(ctx: Ctx, id: string) {
  const { s, f: st } = fl(ctx);
  const f = st.fleets.get(id);
  if (!f) throw fleetNotFound(id);
  refresh(ctx, s, f);
  return { s, f };
}

export function DescribeFleets(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f: st } = fl(ctx);
  const ids = list(input.FleetIds);
  for (const id of ids) if (!st.fleets.has(id)) throw fleetNotFound(id);
  const items = ids.length ? ids.map((id) => st.fleets.get(id)!) : [...st.fleets.values()].filter((f) => f.type !== "instant");
  for (const f of items) refresh(ctx, s, f);
  const page = select(
    items,
    input,
    {
      "activity-status": (f) => f.activity,
      "excess-capacity-termination-policy": (f) => (f.type === "maintain" ? String((f.excessPolicy ?? "termination") === "termination") : undefined),
      "fleet-state": (f) => f.state,
      "replace-unhealthy-instances": (f) => String(f.replaceUnhealthy),
      type: (f) => f.type,
    },
    (f) => f.id,
    { paginate: true, min: 1, max: 1000 },
  );
  return { Fleets: page.items.map((f) => fleetView(ctx, s, f)), NextToken: page.nextToken };
}

export function DeleteFleets(ctx: Ctx, input: Input) {
  const { s, f: st } = fl(ctx);
  const ids = list(input.FleetIds);
  const known = ids.map((id) => st.fleets.get(id)).filter((f): f is FleetRec => !!f);
  const instant = known.filter((f) => f.type === "instant");
  if (instant.length > 25) throw Ec2Errors.invalidValue("You can delete up to 25 fleets of type instant in a single request.");
  if (known.length - instant.length > 100) throw Ec2Errors.invalidValue("You can delete up to 100 fleets of type maintain or request in a single request.");
  const term = input.TerminateInstances === true;
  if (instant.length && !term)
    throw Ec2Errors.invalidCombination(
      "For fleets of type 'instant', TerminateInstances must be true: a deleted instant fleet with running instances is not supported.",
    );
  dryRun(input);
  const ok: Input[] = [];
  const failed: Input[] = [];
  const now = ctx.now();
  for (const id of ids) {
    const f = st.fleets.get(id);
    if (!f) {
      const malformed = !/^fleet-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id);
      failed.push({
        FleetId: id,
        Error: malformed
          ? { Code: "fleetIdMalformed", Message: `The fleet ID '${id}' is malformed` }
          : { Code: "fleetIdDoesNotExist", Message: `The fleet ID '${id}' does not exist` },
      });
      continue;
    }
    refresh(ctx, s, f);
    if (f.state.startsWith("deleted")) {
      failed.push({ FleetId: id, Error: { Code: "fleetNotInDeletableState", Message: `The fleet '${id}' is in the ${f.state} state and cannot be deleted` } });
      continue;
    }
    const previous = f.state;
    const running = liveInstances(s, ctx, f).length > 0;
    f.state = !running ? "deleted" : term ? "deleted_terminating" : "deleted_running";
    f.history.push({ time: now, type: "fleet-change", subType: f.state });
    if (term) terminate(ctx, s, f);
    ok.push({ FleetId: id, PreviousFleetState: previous, CurrentFleetState: f.state });
  }
  return { SuccessfulFleetDeletions: ok, UnsuccessfulFleetDeletions: failed };
}

export function ModifyFleet(ctx: Ctx, input: Input) {
  const { s, f } = getFleet(ctx, String(input.FleetId));
  // EC2 Fleet shares Spot Fleet's FleetNotInModifiableState (callers of ModifyFleet handle that code); messages unconfirmed.
  if (f.type !== "maintain") throw e("FleetNotInModifiableState", `Fleet Request: ${f.id} is not a modifiable fleet request type.`);
  if (f.state !== "active") throw e("FleetNotInModifiableState", `The fleet '${f.id}' is in the ${f.state} state and cannot be modified.`);
  if (input.TargetCapacitySpecification === undefined && input.LaunchTemplateConfigs === undefined && input.ExcessCapacityTerminationPolicy === undefined)
    throw Ec2Errors.missing("TargetCapacitySpecification");
  const pools = input.LaunchTemplateConfigs !== undefined ? poolsOfTemplates(s, input.LaunchTemplateConfigs) : undefined;
  const t = input.TargetCapacitySpecification
    ? targets({ DefaultTargetCapacityType: f.defaultType, ...input.TargetCapacitySpecification }, f.defaultType)
    : undefined;
  checkSize(pools ?? f.pools, t?.total ?? f.total);
  dryRun(input);
  const now = ctx.now();
  f.history.push({ time: now, type: "fleet-change", subType: "modify_in_progress" });
  if (input.ExcessCapacityTerminationPolicy !== undefined) f.excessPolicy = String(input.ExcessCapacityTerminationPolicy);
  if (pools) {
    f.pools = pools;
    f.request = { ...f.request, LaunchTemplateConfigs: input.LaunchTemplateConfigs };
    // Instances keep their place in the history; new ones launch from the new pools.
    for (const x of f.instances) x.pool = Math.min(x.pool, pools.length - 1);
  }
  if (t) {
    Object.assign(f, t);
    f.request = { ...f.request, TargetCapacitySpecification: { ...f.request.TargetCapacitySpecification, ...input.TargetCapacitySpecification } };
  }
  if ((f.excessPolicy ?? "termination") === "termination") shrink(ctx, s, f);
  fill(ctx, s, f);
  f.history.push({ time: now, type: "fleet-change", subType: "modify_succeeded" });
  return { Return: true };
}

export function DescribeFleetInstances(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f } = getFleet(ctx, String(input.FleetId));
  const rows = liveInstances(s, ctx, f).map((x) => ({ ...x, tags: new Map<string, string>() }));
  const page = select(rows, input, { "instance-type": (x) => x.instanceType }, (x) => x.instanceId, { paginate: true, min: 1, max: 1000 });
  return {
    FleetId: f.id,
    ActiveInstances: page.items.map((x) => ({
      InstanceId: x.instanceId,
      InstanceType: x.instanceType,
      SpotInstanceRequestId: x.spotRequestId,
      InstanceHealth: "healthy",
    })),
    NextToken: page.nextToken,
  };
}

/** History records since StartTime, optionally of one event type, paged. */
export function historyPage(ctx: Ctx, recs: HistoryRec[], input: Input, typeName: (t: string) => string) {
  const start = new Date(input.StartTime);
  if (Number.isNaN(start.getTime())) throw Ec2Errors.invalidValue(`Invalid value '${input.StartTime}' for StartTime.`);
  const rows = recs
    .map((r, n) => ({ ...r, n, type: typeName(r.type), tags: new Map<string, string>() }))
    .filter((r) => r.time >= start && (!input.EventType || r.type === input.EventType));
  const page = select(rows, { MaxResults: input.MaxResults, NextToken: input.NextToken }, {}, (r) => String(r.n).padStart(8, "0"), {
    paginate: true,
    min: 1,
    max: 1000,
  });
  return {
    HistoryRecords: page.items.map((r) => ({
      EventInformation: { EventSubType: r.subType, EventDescription: r.description, InstanceId: r.instanceId },
      EventType: r.type,
      Timestamp: r.time,
    })),
    LastEvaluatedTime: ctx.now(),
    NextToken: page.nextToken,
    StartTime: start,
  };
}

export function DescribeFleetHistory(ctx: Ctx, input: Input) {
  dryRun(input);
  const { f } = getFleet(ctx, String(input.FleetId));
  return { FleetId: f.id, ...historyPage(ctx, f.history, input, (t) => t) };
}
