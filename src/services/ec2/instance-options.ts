/** Placement groups, instance metadata options, CPU credit specifications and instance type offerings. */
import type { Ctx } from "../core/types.js";
import { ec2Id } from "../core/ids.js";
import { applyTagSpec, dropTags, dryRun, list, required, select, st, tagList, zonesOf, type Input } from "./common.js";
import { Ec2Errors } from "./errors.js";
import { modifyHostPlacement } from "./extra/launch-defaults.js";
import { extraOf, instanceExtra } from "./extra/state.js";
import { checkPartition, creditsFor, leastUsedPartition, placementGroupById, stateOf } from "./instances.js";
import { awsOfferings, INSTANCE_TYPES } from "./misc.js";
import type { Ec2State, InstanceRec, PlacementGroupRec } from "./state.js";

const e = Ec2Errors.custom;

function instance(s: Ec2State, id: string): InstanceRec {
  const i = s.instances.get(id);
  if (!i || i.state === "terminated") {
    if (!/^i-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) throw Ec2Errors.malformed("Instance", id);
    throw Ec2Errors.notFound("Instance", "instance", [id]);
  }
  return i;
}

// ---------------------------------------------------------------- placement groups

const pgView = (s: Ec2State, g: PlacementGroupRec) => ({
  groupName: g.name,
  state: "available",
  strategy: g.strategy,
  partitionCount: g.partitionCount,
  groupId: g.id,
  tagSet: g.tags.size ? tagList(g) : undefined,
  groupArn: `arn:aws:ec2:${s.region}:${s.accountId}:placement-group/${g.name}`,
  spreadLevel: g.spreadLevel,
});

export function CreatePlacementGroup(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const name = required(input, "GroupName");
  if (s.placementGroups.has(name)) throw e("InvalidPlacementGroup.Duplicate", `The Placement Group '${name}' already exists.`);
  const strategy = String(input.Strategy ?? "cluster");
  if (input.PartitionCount !== undefined && strategy !== "partition")
    throw Ec2Errors.invalidCombination("The parameter partitionCount is only valid for the partition strategy.");
  if (input.PartitionCount !== undefined && (input.PartitionCount < 1 || input.PartitionCount > 7))
    throw Ec2Errors.invalidValue(`Value (${input.PartitionCount}) for parameter partitionCount is invalid. Expecting a value between 1 and 7.`);
  dryRun(input);
  const g: PlacementGroupRec = {
    id: ec2Id("pg"),
    name,
    strategy,
    partitionCount: strategy === "partition" ? (input.PartitionCount ?? 2) : undefined,
    spreadLevel: strategy === "spread" ? String(input.SpreadLevel ?? "rack") : undefined,
    tags: new Map(),
  };
  s.placementGroups.set(name, g);
  applyTagSpec(s, input, "placement-group", g.id, g);
  return { placementGroup: pgView(s, g) };
}

export function DeletePlacementGroup(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const name = required(input, "GroupName");
  const g = s.placementGroups.get(name);
  if (!g) throw e("InvalidPlacementGroup.Unknown", `The Placement Group '${name}' is unknown.`);
  const delay = ctx.config.transitionDelayMs;
  if ([...s.instances.values()].some((i) => i.placementGroup === name && stateOf(i, delay) !== "terminated"))
    throw e("InvalidPlacementGroup.InUse", `The placement group '${name}' is in use and may not be deleted.`);
  dryRun(input);
  dropTags(s, g.id, g);
  s.placementGroups.delete(name);
  return { return: true };
}

export function DescribePlacementGroups(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const names = list(input.GroupNames);
  const ids = list(input.GroupIds);
  for (const n of names) if (!s.placementGroups.has(n)) throw e("InvalidPlacementGroup.Unknown", `The Placement Group '${n}' is unknown.`);
  const all = [...s.placementGroups.values()];
  for (const id of ids) if (!all.some((g) => g.id === id)) throw e("InvalidPlacementGroup.Unknown", `The Placement Group '${id}' is unknown.`);
  const items = all.filter((g) => (!names.length || names.includes(g.name)) && (!ids.length || ids.includes(g.id)));
  const r = select(
    items,
    input,
    {
      "group-name": (g) => g.name,
      "group-arn": (g) => `arn:aws:ec2:${s.region}:${s.accountId}:placement-group/${g.name}`,
      "spread-level": (g) => g.spreadLevel,
      state: () => "available",
      strategy: (g) => g.strategy,
    },
    (g) => g.name,
  );
  return { placementGroupSet: r.items.map((g) => pgView(s, g)) };
}

export function ModifyInstancePlacement(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const i = instance(s, required(input, "InstanceId"));
  // Affinity alone can change in any state; host, tenancy and placement group need a stopped instance.
  const affinityOnly =
    input.Affinity !== undefined && [input.HostId, input.Tenancy, input.GroupName, input.GroupId, input.PartitionNumber].every((v) => v === undefined);
  if (!affinityOnly && stateOf(i, ctx.config.transitionDelayMs) !== "stopped")
    throw e("IncorrectInstanceState", `The instance '${i.id}' is not in the 'stopped' state.`);
  if (input.GroupName !== undefined && input.GroupName !== "" && !s.placementGroups.has(input.GroupName))
    throw e("InvalidPlacementGroup.Unknown", `The Placement Group '${input.GroupName}' is unknown.`);
  if (input.GroupId && input.GroupName) throw Ec2Errors.invalidCombination("The parameter groupName cannot be used with the parameter groupId");
  const groupName: string | undefined = input.GroupId ? placementGroupById(s, String(input.GroupId)).name : input.GroupName;
  const target = groupName === undefined ? i.placementGroup : groupName || undefined;
  const partition = checkPartition(s, target, input.PartitionNumber);
  const host = modifyHostPlacement(s, i, input);
  dryRun(input);
  if (groupName !== undefined || partition !== undefined) {
    const moved = target !== i.placementGroup;
    i.placementGroup = target;
    i.placementPartition = partition ?? (moved ? leastUsedPartition(s, target, i.id) : i.placementPartition);
  }
  host();
  return { return: true };
}

// ---------------------------------------------------------------- metadata options

export function ModifyInstanceMetadataOptions(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const i = instance(s, required(input, "InstanceId"));
  const hop = input.HttpPutResponseHopLimit;
  if (hop !== undefined && (hop < 1 || hop > 64))
    throw Ec2Errors.invalidValue(`The HttpPutResponseHopLimit value (${hop}) is invalid. Specify a value between 1 and 64.`);
  dryRun(input);
  const m = i.metadata;
  if (input.HttpTokens !== undefined) m.httpTokens = input.HttpTokens;
  if (hop !== undefined) m.httpPutResponseHopLimit = hop;
  if (input.HttpEndpoint !== undefined) m.httpEndpoint = input.HttpEndpoint;
  if (input.HttpProtocolIpv6 !== undefined) m.httpProtocolIpv6 = input.HttpProtocolIpv6;
  if (input.InstanceMetadataTags !== undefined) m.instanceMetadataTags = input.InstanceMetadataTags;
  return { instanceId: i.id, instanceMetadataOptions: { state: "pending", ...m } };
}

// ---------------------------------------------------------------- credit specifications

export function DescribeInstanceCreditSpecifications(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const ids = list(input.InstanceIds);
  // "You cannot specify this parameter and the instance IDs parameter in the same call."
  if (ids.length && input.MaxResults !== undefined)
    throw Ec2Errors.invalidCombination("The parameter InstanceIds cannot be used with the parameter MaxResults");
  const delay = ctx.config.transitionDelayMs;
  const items = ids.length ? ids.map((id) => instance(s, id)) : [...s.instances.values()].filter((i) => i.cpuCredits && stateOf(i, delay) !== "terminated");
  const r = select(items, input, { "instance-id": (i) => i.id }, (i) => String(i.seq).padStart(12, "0"), { paginate: true, min: 5, max: 1000 });
  return {
    instanceCreditSpecificationSet: r.items.filter((i) => i.cpuCredits).map((i) => ({ instanceId: i.id, cpuCredits: i.cpuCredits })),
    nextToken: r.nextToken,
  };
}

export function ModifyInstanceCreditSpecification(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const ok: unknown[] = [];
  const failed: unknown[] = [];
  for (const spec of (input.InstanceCreditSpecifications ?? []) as Input[]) {
    const id = String(spec.InstanceId);
    const i = s.instances.get(id);
    const credits = String(spec.CpuCredits ?? "");
    if (!i || i.state === "terminated")
      failed.push({ instanceId: id, error: { code: "InvalidInstanceID.NotFound", message: `The instance ID '${id}' does not exist` } });
    else if (!creditsFor(i.instanceType))
      failed.push({ instanceId: id, error: { code: "IncorrectInstanceState", message: `The instance '${id}' is not a burstable performance instance.` } });
    else if (credits !== "standard" && credits !== "unlimited")
      failed.push({ instanceId: id, error: { code: "InvalidParameterValue", message: `Invalid value '${credits}' for CpuCredits.` } });
    else {
      i.cpuCredits = credits;
      ok.push({ instanceId: id });
    }
  }
  return { successfulInstanceCreditSpecificationSet: ok, unsuccessfulInstanceCreditSpecificationSet: failed };
}

export function GetDefaultCreditSpecification(ctx: Ctx, input: Input) {
  dryRun(input);
  const family = required(input, "InstanceFamily");
  return { instanceFamilyCreditSpecification: { instanceFamily: family, cpuCredits: family === "t2" ? "standard" : "unlimited" } };
}

// ---------------------------------------------------------------- instance type offerings

export function DescribeInstanceTypeOfferings(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const type = String(input.LocationType ?? "region");
  if (!["region", "availability-zone", "availability-zone-id", "outpost"].includes(type))
    throw Ec2Errors.invalidValue(`Invalid value '${type}' for LocationType`);
  const locations =
    type === "region"
      ? [s.region]
      : type === "availability-zone"
        ? zonesOf(s.region).map((z) => z.name)
        : type === "availability-zone-id"
          ? zonesOf(s.region).map((z) => z.id)
          : [];
  // AWS's offerings where its data covers the region (an id location takes its zone's list), else the catalogue.
  const offers = awsOfferings(s.region);
  const zoneName = new Map(zonesOf(s.region).map((z) => [z.id, z.name]));
  const typesAt = (location: string): string[] => {
    if (!offers) return INSTANCE_TYPES.map((t) => t.name);
    if (type === "region") return offers[""] ?? [];
    return offers[type === "availability-zone-id" ? (zoneName.get(location) ?? "") : location] ?? [];
  };
  const rows = locations.flatMap((location) =>
    typesAt(location).map((instanceType) => ({ instanceType, locationType: type, location, tags: new Map<string, string>() })),
  );
  const r = select(rows, input, { location: (x) => x.location, "instance-type": (x) => x.instanceType }, (x) => `${x.location}/${x.instanceType}`, {
    paginate: true,
    min: 5,
    max: 1000,
  });
  return { instanceTypeOfferingSet: r.items.map(({ tags: _t, ...x }) => x), nextToken: r.nextToken };
}

// ---------------------------------------------------------------- IAM instance profile associations

/** The profile named (by ARN or name) must exist in IAM: AWS answers InvalidParameterValue otherwise. */
async function existingProfile(ctx: Ctx, p: Input | undefined): Promise<{ arn: string; id: string }> {
  if (!p?.Arn && !p?.Name) throw Ec2Errors.missing("IamInstanceProfile");
  const iam = await ctx.stateOf<{ profiles?: Map<string, { name: string; arn: string; id: string }> }>("iam").catch(() => undefined);
  const profile = [...(iam?.profiles?.values() ?? [])].find((x) => (p.Arn ? x.arn === p.Arn : x.name === p.Name));
  if (!profile)
    throw Ec2Errors.invalidValue(
      p?.Arn
        ? `Value (${p.Arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`
        : `Value (${p?.Name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`,
    );
  return profile;
}

/** Give an instance a profile (IAM's ARN and id, as DescribeInstances shows them) under a new association id. */
function associate(s: Ec2State, i: InstanceRec, profile: { arn: string; id: string } | undefined, now: Date): void {
  i.iamInstanceProfile = profile?.arn;
  i.iamAssociationId = profile ? ec2Id("iip-assoc") : undefined;
  if (profile) Object.assign(instanceExtra(extraOf(s), i.id), { iamProfileId: profile.id, iamAssociatedAt: now });
  else {
    const x = extraOf(s).instances.get(i.id);
    if (x) x.iamProfileId = x.iamAssociatedAt = undefined;
  }
}

const assocView = (s: Ec2State, i: InstanceRec, state = "associated") => ({
  associationId: i.iamAssociationId,
  instanceId: i.id,
  iamInstanceProfile: { arn: i.iamInstanceProfile, id: extraOf(s).instances.get(i.id)?.iamProfileId ?? `AIPA${i.id.slice(2, 19).toUpperCase()}` },
  state,
  timestamp: extraOf(s).instances.get(i.id)?.iamAssociatedAt ?? i.launchTime,
});

function byAssociation(s: Ec2State, id: string): InstanceRec {
  for (const i of s.instances.values()) if (i.iamAssociationId === id && i.state !== "terminated") return i;
  throw e("InvalidAssociationID.NotFound", `An association with ID ${id} could not be found.`);
}

export async function AssociateIamInstanceProfile(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const i = instance(s, required(input, "InstanceId"));
  if (i.iamInstanceProfile) throw e("IncorrectState", `There is an existing association for instance ${i.id}`);
  associate(s, i, await existingProfile(ctx, input.IamInstanceProfile), ctx.now());
  return { iamInstanceProfileAssociation: assocView(s, i, "associating") };
}

export function DisassociateIamInstanceProfile(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const i = byAssociation(s, required(input, "AssociationId"));
  const view = assocView(s, i, "disassociating");
  associate(s, i, undefined, ctx.now());
  return { iamInstanceProfileAssociation: view };
}

export async function ReplaceIamInstanceProfileAssociation(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const i = byAssociation(s, required(input, "AssociationId"));
  associate(s, i, await existingProfile(ctx, input.IamInstanceProfile), ctx.now());
  return { iamInstanceProfileAssociation: assocView(s, i, "associating") };
}

export function DescribeIamInstanceProfileAssociations(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const ids = list(input.AssociationIds);
  const items = ids.length ? ids.map((id) => byAssociation(s, id)) : [...s.instances.values()].filter((i) => i.iamAssociationId && i.state !== "terminated");
  const r = select(items, input, { "instance-id": (i) => i.id, state: () => "associated" }, (i) => String(i.seq).padStart(12, "0"), {
    paginate: true,
    min: 5,
    max: 1000,
  });
  return { iamInstanceProfileAssociationSet: r.items.map((i) => assocView(s, i)), nextToken: r.nextToken };
}
