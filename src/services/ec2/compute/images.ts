/**
 * AMI operations over the images of ec2/state.ts: Windows fast launch (own Windows AMIs; the launch template
 * must exist; enabled at once, disabled and forgotten on DisableFastLaunch or when the AMI goes) and
 * DescribeImageReferences (the account's instances and launch-template versions that use the images, with
 * the state-name and version-depth options; ssm:Parameter and Image Builder recipes are not modelled and
 * never reference anything).
 */
import type { Ctx } from "../../core/types.js";
import { paginate } from "../../core/paginate.js";
import { ec2Id } from "../../core/ids.js";
import { applyTagSpec, dropTags, dryRun, int, list, required, select, tagsOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { lookupImage } from "../images.js";
import { stateOf } from "../instances.js";
import { findTemplate, versionOf } from "../launch-templates.js";
import type { Ec2State, ImageRec } from "../state.js";
import { computeOf, cst, type ComputeState, type FastLaunchRec, type UsageReportRec } from "./state.js";

const AMI_ID = /^ami-[0-9a-f]{8}([0-9a-f]{9})?$/;

function imagesNamed(s: Ec2State, ids: string[]): ImageRec[] {
  for (const id of ids) if (!AMI_ID.test(id)) throw Ec2Errors.amiMalformed(id);
  const missing = ids.filter((id) => lookupImage(s, id)?.state !== "available");
  if (missing.length) throw Ec2Errors.amiNotFound(missing);
  return ids.map((id) => lookupImage(s, id)!);
}

// ---------------------------------------------------------------- Windows fast launch

function pruneFastLaunch(s: Ec2State, c: ComputeState): void {
  for (const id of c.fastLaunch.keys()) if (s.images.get(id)?.state !== "available") c.fastLaunch.delete(id);
}

const fastLaunchView = (s: Ec2State, f: FastLaunchRec, state = f.state) => ({
  ImageId: f.imageId,
  ResourceType: f.resourceType,
  SnapshotConfiguration: f.snapshotConfiguration,
  LaunchTemplate: f.launchTemplate,
  MaxParallelLaunches: f.maxParallelLaunches,
  OwnerId: s.accountId,
  State: state,
  StateTransitionReason: f.stateTransitionReason,
  StateTransitionTime: f.stateTransitionTime,
});

export function EnableFastLaunch(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const [img] = imagesNamed(s, [required(input, "ImageId")]);
  if (img!.ownerId !== s.accountId && !img!.launchUsers?.has(s.accountId)) throw Ec2Errors.amiNotFound([img!.id]);
  if (img!.platform !== "windows") throw Ec2Errors.invalidValue(`Windows fast launch is supported only for Windows AMIs; ${img!.id} is not a Windows AMI.`);
  const resourceType = String(input.ResourceType ?? "snapshot");
  if (resourceType !== "snapshot") throw Ec2Errors.invalidValue(`Value (${resourceType}) for parameter ResourceType is invalid. Supported values: snapshot.`);
  const max = input.MaxParallelLaunches ?? 6;
  if (max < 6) throw Ec2Errors.invalidValue(`Value (${max}) for parameter MaxParallelLaunches is invalid. The value must be 6 or greater.`);
  let launchTemplate: FastLaunchRec["launchTemplate"];
  if (input.LaunchTemplate) {
    const lt = input.LaunchTemplate as Input;
    const t = findTemplate(s, lt.LaunchTemplateId, lt.LaunchTemplateName);
    versionOf(t, lt.Version);
    launchTemplate = { LaunchTemplateId: t.id, LaunchTemplateName: t.name, Version: String(lt.Version) };
  }
  dryRun(input);
  const now = ctx.now();
  const old = c.fastLaunch.get(img!.id);
  const f: FastLaunchRec = {
    imageId: img!.id,
    resourceType,
    snapshotConfiguration:
      input.SnapshotConfiguration?.TargetResourceCount !== undefined
        ? { TargetResourceCount: input.SnapshotConfiguration.TargetResourceCount }
        : old?.snapshotConfiguration,
    launchTemplate: launchTemplate ?? old?.launchTemplate,
    maxParallelLaunches: max,
    state: "enabled",
    stateTransitionReason: "Client.UserInitiated",
    stateTransitionTime: now,
  };
  c.fastLaunch.set(img!.id, f);
  return fastLaunchView(s, f, old ? "enabled" : "enabling");
}

export function DisableFastLaunch(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const [img] = imagesNamed(s, [required(input, "ImageId")]);
  const f = c.fastLaunch.get(img!.id);
  if (!f) throw Ec2Errors.invalidValue(`Windows fast launch is not enabled for image ${img!.id}.`);
  dryRun(input);
  c.fastLaunch.delete(img!.id);
  return { ...fastLaunchView(s, f, "disabling"), StateTransitionTime: ctx.now() };
}

export function DescribeFastLaunchImages(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, c } = cst(ctx);
  const ids = list(input.ImageIds);
  if (ids.length) imagesNamed(s, ids);
  pruneFastLaunch(s, c);
  const items = [...c.fastLaunch.values()].filter((f) => !ids.length || ids.includes(f.imageId)).map((f) => ({ ...f, tags: new Map<string, string>() }));
  const r = select(items, input, { "resource-type": (f) => f.resourceType, "owner-id": () => s.accountId, state: (f) => f.state }, (f) => f.imageId, {
    paginate: true,
    min: 0,
    max: 200,
  });
  return { FastLaunchImages: r.items.map((f) => fastLaunchView(s, f)), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- image references

const RESOURCE_TYPES = ["ec2:Instance", "ec2:LaunchTemplate", "ssm:Parameter", "imagebuilder:ImageRecipe", "imagebuilder:ContainerRecipe"];

export function DescribeImageReferences(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const images = imagesNamed(s, list(input.ImageIds));
  const requested = (input.ResourceTypes ?? []) as Input[];
  if (!requested.length && input.IncludeAllResourceTypes !== true) throw Ec2Errors.missing("IncludeAllResourceTypes or ResourceTypes");
  const opts = new Map<string, Input[]>();
  for (const t of input.IncludeAllResourceTypes === true ? RESOURCE_TYPES.map((ResourceType) => ({ ResourceType })) : []) opts.set(t.ResourceType, []);
  for (const t of requested) {
    if (!RESOURCE_TYPES.includes(t.ResourceType)) throw Ec2Errors.invalidValue(`Value (${t.ResourceType}) for parameter ResourceType is invalid.`);
    opts.set(t.ResourceType, t.ResourceTypeOptions ?? []);
  }
  const option = (type: string, name: string) => (opts.get(type) ?? []).find((o) => o.OptionName === name)?.OptionValues as string[] | undefined;
  const max = int(input.MaxResults, "MaxResults");
  dryRun(input);
  const wanted = new Set(images.map((i) => i.id));
  const refs: Array<{ ImageId: string; ResourceType: string; Arn: string }> = [];
  if (opts.has("ec2:Instance")) {
    const states = option("ec2:Instance", "state-name");
    for (const i of [...s.instances.values()].sort((a, b) => a.seq - b.seq))
      if (wanted.has(i.imageId) && (!states?.length || states.includes(stateOf(i, ctx.config.transitionDelayMs))))
        refs.push({ ImageId: i.imageId, ResourceType: "ec2:Instance", Arn: `arn:aws:ec2:${s.region}:${s.accountId}:instance/${i.id}` });
  }
  if (opts.has("ec2:LaunchTemplate")) {
    const depthRaw = option("ec2:LaunchTemplate", "version-depth")?.[0];
    const depth = depthRaw === undefined ? 10 : Number(depthRaw);
    if (!Number.isInteger(depth) || depth < 1 || depth > 10000)
      throw Ec2Errors.invalidValue(`Value (${depthRaw}) for option version-depth is invalid. Valid values: integers between 1 and 10000.`);
    for (const t of s.launchTemplates.values()) {
      const versions = [...t.versions.keys()].sort((a, b) => b - a).slice(0, depth);
      const used = new Set(versions.map((v) => t.versions.get(v)!.data.ImageId).filter((id): id is string => !!id && wanted.has(id)));
      for (const id of used)
        refs.push({ ImageId: id, ResourceType: "ec2:LaunchTemplate", Arn: `arn:aws:ec2:${s.region}:${s.accountId}:launch-template/${t.id}` });
    }
  }
  if (max === undefined && !input.NextToken) return { ImageReferences: refs };
  const page = paginate(refs, {
    maxResults: max,
    nextToken: input.NextToken,
    defaultMax: 1000,
    key: (r) => `${r.ResourceType} ${r.Arn} ${r.ImageId}`,
    invalidToken: () => Ec2Errors.invalidToken(input.NextToken),
  });
  return { ImageReferences: page.items, NextToken: page.nextToken };
}

const st = (ctx: Ctx) => cst(ctx).s;

// ---------------------------------------------------------------- ancestry

/** The chain from an AMI back to its root, following the sources CreateImage, CopyImage and CreateRestoreImageTask recorded. */
export async function GetImageAncestry(ctx: Ctx, input: Input) {
  const { s } = cst(ctx);
  const [first] = imagesNamed(s, [required(input, "ImageId")]);
  dryRun(input);
  const entries = [];
  const seen = new Set<string>();
  let cur: { img: ImageRec; state: Ec2State } | undefined = { img: first!, state: s };
  while (cur && !seen.has(`${cur.state.region}/${cur.img.id}`)) {
    seen.add(`${cur.state.region}/${cur.img.id}`);
    const src = computeOf(cur.state).imageSources.get(cur.img.id);
    entries.push({
      CreationDate: new Date(cur.img.creationDate),
      ImageId: cur.img.id,
      ImageOwnerAlias: cur.img.ownerAlias,
      SourceImageId: src?.imageId,
      SourceImageRegion: src?.region,
    });
    if (!src) break;
    const next: Ec2State = src.region === cur.state.region ? cur.state : await ctx.stateOf<Ec2State>("ec2", src.region);
    const parent = lookupImage(next, src.imageId);
    cur = parent ? { img: parent, state: next } : undefined;
  }
  return { ImageAncestryEntries: entries };
}

// ---------------------------------------------------------------- image usage reports (other accounts' use of an own AMI)

const reportNotFound = (id: string) => Ec2Errors.custom("InvalidImageUsageReportId.NotFound", `The image usage report ID '${id}' does not exist`);

const reportView = (r: UsageReportRec) => ({
  ImageId: r.imageId,
  ReportId: r.id,
  ResourceTypes: r.resourceTypes,
  AccountIds: r.accountIds,
  State: "available",
  CreationTime: r.created,
  Tags: tagsOf(r),
});

export function CreateImageUsageReport(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const [img] = imagesNamed(s, [required(input, "ImageId")]);
  if (img!.ownerId !== s.accountId) throw Ec2Errors.amiNotFound([img!.id]);
  const types = (input.ResourceTypes ?? []) as Input[];
  if (!types.length) throw Ec2Errors.missing("ResourceType");
  let depth = 20;
  for (const t of types) {
    if (t.ResourceType !== "ec2:Instance" && t.ResourceType !== "ec2:LaunchTemplate")
      throw Ec2Errors.invalidValue(`Value (${t.ResourceType}) for parameter ResourceType is invalid. Valid values: ec2:Instance, ec2:LaunchTemplate.`);
    for (const o of (t.ResourceTypeOptions ?? []) as Input[]) {
      if (t.ResourceType !== "ec2:LaunchTemplate" || o.OptionName !== "version-depth")
        throw Ec2Errors.invalidValue(`The option ${o.OptionName} is not valid for resource type ${t.ResourceType}.`);
      depth = Number(list(o.OptionValues)[0]);
      if (!Number.isInteger(depth) || depth < 1 || depth > 10000)
        throw Ec2Errors.invalidValue(`Value (${list(o.OptionValues)[0]}) for option version-depth is invalid. Valid values: integers between 1 and 10000.`);
    }
  }
  const accounts = list(input.AccountIds);
  dryRun(input);
  const wanted = new Set(types.map((t) => String(t.ResourceType)));
  const entries: UsageReportRec["entries"] = [];
  for (const other of ctx.sim.statesOf<Ec2State>("ec2")) {
    if (other.region !== s.region || other.accountId === s.accountId || (accounts.length && !accounts.includes(other.accountId))) continue;
    if (wanted.has("ec2:Instance")) {
      const n = [...other.instances.values()].filter((i) => i.imageId === img!.id && stateOf(i, ctx.config.transitionDelayMs) !== "terminated").length;
      if (n) entries.push({ ResourceType: "ec2:Instance", AccountId: other.accountId, UsageCount: n });
    }
    if (wanted.has("ec2:LaunchTemplate")) {
      const n = [...other.launchTemplates.values()].filter((t) =>
        [...t.versions.keys()]
          .sort((a, b) => b - a)
          .slice(0, depth)
          .some((v) => t.versions.get(v)!.data.ImageId === img!.id),
      ).length;
      if (n) entries.push({ ResourceType: "ec2:LaunchTemplate", AccountId: other.accountId, UsageCount: n });
    }
  }
  const r: UsageReportRec = {
    id: ec2Id("amiur"),
    imageId: img!.id,
    resourceTypes: types.map((t) => ({ ResourceType: t.ResourceType, ResourceTypeOptions: t.ResourceTypeOptions })),
    accountIds: accounts.length ? accounts : undefined,
    created: ctx.now(),
    entries,
    tags: new Map(),
  };
  c.usageReports.set(r.id, r);
  applyTagSpec(s, input, "image-usage-report", r.id, r);
  return { ReportId: r.id };
}

function reportsNamed(s: Ec2State, c: ComputeState, input: Input): UsageReportRec[] {
  for (const id of c.usageReports.keys()) if (s.images.get(c.usageReports.get(id)!.imageId)?.state !== "available") c.usageReports.delete(id);
  const ids = list(input.ReportIds);
  for (const id of ids) if (!c.usageReports.has(id)) throw reportNotFound(id);
  const images = list(input.ImageIds);
  return [...c.usageReports.values()].filter((r) => (!ids.length || ids.includes(r.id)) && (!images.length || images.includes(r.imageId)));
}

export function DescribeImageUsageReports(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, c } = cst(ctx);
  const r = select(reportsNamed(s, c, input), input, { "creation-time": (x) => x.created.toISOString(), state: () => "available" }, (x) => x.id, {
    paginate: true,
    min: 1,
    max: 1000,
  });
  return { ImageUsageReports: r.items.map(reportView), NextToken: r.nextToken };
}

export function DescribeImageUsageReportEntries(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, c } = cst(ctx);
  const rows = reportsNamed(s, c, input).flatMap((r) =>
    r.entries.map((e) => ({ ...e, ReportId: r.id, ImageId: r.imageId, ReportCreationTime: r.created, tags: new Map<string, string>() })),
  );
  const r = select(
    rows,
    input,
    { "account-id": (x) => x.AccountId, "creation-time": (x) => x.ReportCreationTime.toISOString(), "resource-type": (x) => x.ResourceType },
    (x) => `${x.ReportId} ${x.AccountId} ${x.ResourceType}`,
    { paginate: true, min: 1, max: 1000 },
  );
  return { ImageUsageReportEntries: r.items.map(({ tags: _t, ...x }) => x), NextToken: r.nextToken };
}

export function DeleteImageUsageReport(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const id = required(input, "ReportId");
  const r = c.usageReports.get(id);
  if (!r) throw reportNotFound(id);
  dryRun(input);
  dropTags(s, r.id, r);
  c.usageReports.delete(id);
  return { Return: true };
}
