/**
 * Account-level settings of this area: Infrastructure Performance metric subscriptions (enable, disable,
 * describe; the latency data itself is AWS's and is not simulated) and EC2 Capacity Manager (enable/disable,
 * organizations access, monitored tag keys, data export configurations into buckets that exist in awsim's S3;
 * no export file is delivered, so each export stays "pending").
 */
import type { Ctx } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { applyTagSpec, dryRun, list, REGIONS, select, tagsOf, zonesOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { fl, type FleetsState } from "./state.js";

const e = Ec2Errors.custom;

// ---------------------------------------------------------------- network performance subscriptions

/** A Region code or an Availability Zone id of a known Region. */
function location(v: unknown, name: string): string {
  const x = String(v ?? "");
  if (!x) throw Ec2Errors.missing(name);
  if (REGIONS.includes(x) || REGIONS.some((r) => zonesOf(r).some((z) => z.id === x))) return x;
  throw Ec2Errors.invalidValue(`Value (${x}) for parameter ${name} is invalid. Expected a Region code or an Availability Zone ID.`);
}

function subKey(input: Input) {
  const Source = location(input.Source, "Source");
  const Destination = location(input.Destination, "Destination");
  if (Source === Destination) throw Ec2Errors.invalidValue("Source and Destination must be different.");
  const Metric = String(input.Metric ?? "aggregate-latency");
  const Statistic = String(input.Statistic ?? "p50");
  return { key: `${Source}|${Destination}|${Metric}|${Statistic}`, sub: { Source, Destination, Metric, Statistic, Period: "five-minutes" } };
}

export function EnableAwsNetworkPerformanceMetricSubscription(ctx: Ctx, input: Input) {
  const { f } = fl(ctx);
  const { key, sub } = subKey(input);
  dryRun(input);
  if (!f.perfSubscriptions.has(key)) f.perfSubscriptions.set(key, sub);
  return { Output: true };
}

export function DisableAwsNetworkPerformanceMetricSubscription(ctx: Ctx, input: Input) {
  const { f } = fl(ctx);
  const { key } = subKey(input);
  dryRun(input);
  return { Output: f.perfSubscriptions.delete(key) };
}

export function DescribeAwsNetworkPerformanceMetricSubscriptions(ctx: Ctx, input: Input) {
  dryRun(input);
  const { f } = fl(ctx);
  const rows = [...f.perfSubscriptions.entries()].map(([k, v]) => ({ k, ...v, tags: new Map<string, string>() }));
  const page = select(
    rows,
    input,
    { source: (x) => x.Source, destination: (x) => x.Destination, metric: (x) => x.Metric, statistic: (x) => x.Statistic, period: (x) => x.Period },
    (x) => x.k,
    { paginate: true, min: 0, max: 100 },
  );
  return { Subscriptions: page.items.map(({ k: _k, tags: _t, ...x }) => x), NextToken: page.nextToken };
}

// ---------------------------------------------------------------- Capacity Manager

type Manager = NonNullable<FleetsState["manager"]>;

function manager(f: FleetsState): Manager {
  f.manager ??= { enabled: false, organizationsAccess: false, tagKeys: new Map(), exports: new Map() };
  return f.manager;
}

const status = (m: Manager) => ({ CapacityManagerStatus: m.enabled ? "enabled" : "disabled", OrganizationsAccess: m.organizationsAccess });

export function EnableCapacityManager(ctx: Ctx, input: Input) {
  const m = manager(fl(ctx).f);
  dryRun(input);
  if (!m.enabled) {
    m.enabled = true;
    m.enabledAt = ctx.now();
  }
  if (input.OrganizationsAccess !== undefined) m.organizationsAccess = input.OrganizationsAccess === true;
  return status(m);
}

export function DisableCapacityManager(ctx: Ctx, input: Input) {
  const m = manager(fl(ctx).f);
  dryRun(input);
  m.enabled = false;
  m.enabledAt = undefined;
  m.organizationsAccess = false;
  return status(m);
}

export function GetCapacityManagerAttributes(ctx: Ctx, input: Input) {
  dryRun(input);
  const m = manager(fl(ctx).f);
  return {
    ...status(m),
    DataExportCount: m.exports.size,
    IngestionStatus: m.enabled ? "ingestion-complete" : undefined,
  };
}

function mustBeEnabled(m: Manager) {
  if (!m.enabled) throw e("InvalidParameterValue", "Capacity Manager is not enabled for this account in this Region. Enable it with EnableCapacityManager.");
}

export function UpdateCapacityManagerOrganizationsAccess(ctx: Ctx, input: Input) {
  const m = manager(fl(ctx).f);
  mustBeEnabled(m);
  dryRun(input);
  m.organizationsAccess = input.OrganizationsAccess === true;
  return status(m);
}

const tagKeyView = (k: string, since: Date) => ({ TagKey: k, Status: "activated", CapacityManagerProvided: false, EarliestDatapointTimestamp: since });

export function UpdateCapacityManagerMonitoredTagKeys(ctx: Ctx, input: Input) {
  const m = manager(fl(ctx).f);
  mustBeEnabled(m);
  const on = list(input.ActivateTagKeys);
  const off = list(input.DeactivateTagKeys);
  const both = on.filter((k) => off.includes(k));
  if (both.length) throw Ec2Errors.invalidCombination(`Tag keys cannot be both activated and deactivated: ${both.join(", ")}`);
  if (!on.length && !off.length) throw Ec2Errors.missing("ActivateTagKeys");
  dryRun(input);
  const now = ctx.now();
  for (const k of on) if (!m.tagKeys.has(k)) m.tagKeys.set(k, now);
  for (const k of off) m.tagKeys.delete(k);
  return {
    CapacityManagerTagKeys: [
      ...on.map((k) => tagKeyView(k, m.tagKeys.get(k)!)),
      ...off.map((k) => ({ TagKey: k, Status: "deactivating", CapacityManagerProvided: false })),
    ],
  };
}

export function GetCapacityManagerMonitoredTagKeys(ctx: Ctx, input: Input) {
  dryRun(input);
  const m = manager(fl(ctx).f);
  const rows = [...m.tagKeys].map(([k, since]) => ({ k, since, tags: new Map<string, string>() }));
  const page = select(rows, { MaxResults: input.MaxResults, NextToken: input.NextToken }, {}, (x) => x.k, { paginate: true, min: 1, max: 1000 });
  return { CapacityManagerTagKeys: page.items.map((x) => tagKeyView(x.k, x.since)), NextToken: page.nextToken };
}

export const exportNotFound = (id: string) => e("InvalidCapacityManagerDataExportId.NotFound", `The Capacity Manager data export ID '${id}' does not exist`);

export async function CreateCapacityManagerDataExport(ctx: Ctx, input: Input) {
  const { s, f } = fl(ctx);
  const m = manager(f);
  mustBeEnabled(m);
  if (input.ClientToken) {
    const prior = [...m.exports.values()].find((x) => x.clientToken === input.ClientToken);
    if (prior) return { CapacityManagerDataExportId: prior.id };
  }
  const bucket = String(input.S3BucketName);
  const s3 = await ctx.stateOf<{ buckets: Map<string, { region?: string }> }>("s3");
  const b = s3?.buckets?.get(bucket);
  if (!b) throw Ec2Errors.invalidValue(`The specified bucket does not exist: ${bucket}`);
  if (b.region && b.region !== s.region) throw Ec2Errors.invalidValue(`The S3 bucket ${bucket} must be in the same Region as Capacity Manager (${s.region}).`);
  dryRun(input);
  const x = {
    id: ec2Id("cmde"),
    bucket,
    prefix: input.S3BucketPrefix as string | undefined,
    schedule: String(input.Schedule),
    format: String(input.OutputFormat),
    created: ctx.now(),
    clientToken: input.ClientToken as string | undefined,
    tags: new Map<string, string>(),
  };
  m.exports.set(x.id, x);
  applyTagSpec(s, input, "capacity-manager-data-export", x.id, x);
  return { CapacityManagerDataExportId: x.id };
}

export function DeleteCapacityManagerDataExport(ctx: Ctx, input: Input) {
  const m = manager(fl(ctx).f);
  const id = String(input.CapacityManagerDataExportId);
  if (!m.exports.has(id)) throw exportNotFound(id);
  dryRun(input);
  m.exports.delete(id);
  return { CapacityManagerDataExportId: id };
}

export function DescribeCapacityManagerDataExports(ctx: Ctx, input: Input) {
  dryRun(input);
  const m = manager(fl(ctx).f);
  const ids = list(input.CapacityManagerDataExportIds);
  for (const id of ids) if (!m.exports.has(id)) throw exportNotFound(id);
  const page = select(
    ids.length ? ids.map((id) => m.exports.get(id)!) : [...m.exports.values()],
    input,
    {
      "s3-bucket-name": (x) => x.bucket,
      schedule: (x) => x.schedule,
      "output-format": (x) => x.format,
      "latest-delivery-status": () => "pending",
      "create-time": (x) => x.created.toISOString(),
    },
    (x) => x.id,
    { paginate: true, min: 1, max: 1000 },
  );
  return {
    CapacityManagerDataExports: page.items.map((x) => ({
      CapacityManagerDataExportId: x.id,
      S3BucketName: x.bucket,
      S3BucketPrefix: x.prefix,
      Schedule: x.schedule,
      OutputFormat: x.format,
      CreateTime: x.created,
      LatestDeliveryStatus: "pending",
      Tags: tagsOf(x),
    })),
    NextToken: page.nextToken,
  };
}
