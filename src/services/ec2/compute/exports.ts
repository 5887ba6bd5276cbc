/**
 * Instance export, volume import and the task lists around them, against awsim's own S3.
 * CreateInstanceExportTask exports only imported instances (launched from an AMI ImportImage produced),
 * with a single volume, as AWS requires (NotExportable / UnsupportedOperation otherwise), writing the disk
 * to the bucket; CancelExportTask cancels an active instance or image export and removes what it wrote.
 * ImportVolume reads the import manifest named by its URL from S3 and creates the EBS volume; conversion
 * tasks are listed and cancelled while active. Bundle tasks (instance store-backed Windows instances,
 * which awsim has none of) can't exist: the list is empty and named bundles are not found.
 */
import type { Ctx } from "../../core/types.js";
import { compileFilters } from "../../core/filters.js";
import { applyTagSpec, dryRun, filters, list, required, select, tagsOf, zonesOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { ensureImage } from "../images.js";
import { stateOf } from "../instances.js";
import { newVolume, removeVolume } from "../volumes.js";
import { instancesNamed } from "./instances.js";
import { checkBucket, deleteObject, parseS3Url, readObject, writeObject } from "./s3.js";
import { type ComputeState, cst, type TaskRec } from "./state.js";
import { manifestOf, newTask, statusOf } from "./tasks.js";

const e = Ec2Errors.custom;
const exportNotFound = (id: string) => e("InvalidExportTaskID.NotFound", `The export task ID '${id}' does not exist`);
const conversionNotFound = (id: string) => e("InvalidConversionTaskId.Malformed", `The conversion task ID '${id}' does not exist`);

// ---------------------------------------------------------------- instance export

function isImported(c: ComputeState, imageId: string): boolean {
  for (const t of c.tasks.values()) if (t.kind === "import-image" && t.status === "completed" && t.data.ImageId === imageId) return true;
  return false;
}

const exportView = (t: TaskRec, delay: number) => {
  const { status, active } = statusOf(t, delay);
  const state = status === "deleted" ? "cancelled" : active ? "active" : status;
  return {
    ExportTaskId: t.id,
    Description: t.description,
    ExportToS3Task: t.data.ExportToS3Task,
    InstanceExportDetails: t.data.InstanceExportDetails,
    State: state,
    StatusMessage: t.statusMessage,
    Tags: tagsOf(t),
  };
};

export async function CreateInstanceExportTask(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const [i] = instancesNamed(s, [required(input, "InstanceId")]);
  if (stateOf(i!, ctx.config.transitionDelayMs) === "terminated") throw Ec2Errors.notFound("Instance", "instance", [i!.id]);
  const target = required(input, "TargetEnvironment");
  const spec = input.ExportToS3Task ?? {};
  const bucket = String(spec.S3Bucket ?? "");
  if (!bucket) throw Ec2Errors.missing("ExportToS3Task.S3Bucket");
  if (!isImported(c, i!.imageId)) throw e("NotExportable", "Only imported instances can be exported.");
  if (i!.volumeIds.length > 1) throw e("UnsupportedOperation", "This instance has multiple volumes attached. Please remove additional volumes.");
  await checkBucket(ctx, bucket, s.region);
  dryRun(input);
  const format = String(spec.DiskImageFormat ?? "VMDK");
  const container = spec.ContainerFormat as string | undefined;
  const t = newTask(c, "export-instance", "export-i", ctx.now(), input.Description, {});
  const key = `${spec.S3Prefix ?? ""}${t.id}.${(container ?? format).toLowerCase()}`;
  t.data = {
    ...t.data,
    ExportToS3Task: { ContainerFormat: container, DiskImageFormat: format, S3Bucket: bucket, S3Key: key },
    InstanceExportDetails: { InstanceId: i!.id, TargetEnvironment: target },
  };
  const img = ensureImage(s, i!.imageId);
  await writeObject(ctx, bucket, key, s.region, Buffer.from(JSON.stringify({ ...manifestOf(img, format, s.region), sourceInstanceId: i!.id })));
  applyTagSpec(s, input, "export-instance-task", t.id, t);
  return { ExportTask: { ...exportView(t, Number.POSITIVE_INFINITY), State: "active" } };
}

export function DescribeExportTasks(ctx: Ctx, input: Input) {
  const { c } = cst(ctx);
  const ids = list(input.ExportTaskIds);
  for (const id of ids) if (c.tasks.get(id)?.kind !== "export-instance") throw exportNotFound(id);
  const items = ids.length ? [...new Set(ids)].map((id) => c.tasks.get(id)!) : [...c.tasks.values()].filter((t) => t.kind === "export-instance");
  const r = select(items, input, {}, (t) => t.id);
  return { ExportTasks: r.items.map((t) => exportView(t, ctx.config.transitionDelayMs)) };
}

export async function CancelExportTask(ctx: Ctx, input: Input) {
  const { c } = cst(ctx);
  const id = required(input, "ExportTaskId");
  const t = c.tasks.get(id);
  if (!t || (t.kind !== "export-instance" && t.kind !== "export-image")) throw exportNotFound(id);
  const { status, active } = statusOf(t, ctx.config.transitionDelayMs);
  if (!active) throw e("IncorrectState", `The export task '${id}' is ${status === "deleted" ? "cancelled" : status} and can't be cancelled.`);
  dryRun(input);
  t.status = "deleted";
  t.statusMessage = "Canceled by user";
  t.updated = ctx.now();
  const loc = t.kind === "export-instance" ? t.data.ExportToS3Task : { S3Bucket: t.data.S3ExportLocation.S3Bucket, S3Key: t.data.S3Key };
  await deleteObject(ctx, loc.S3Bucket, loc.S3Key);
  return {};
}

// ---------------------------------------------------------------- ImportVolume and conversion tasks

const conversionView = (t: TaskRec, delay: number) => {
  const { status, active } = statusOf(t, delay);
  const state = status === "deleted" ? "cancelled" : active ? "active" : status;
  const d = t.data.ImportVolume;
  return {
    ConversionTaskId: t.id,
    ExpirationTime: t.data.ExpirationTime,
    ImportVolume: {
      ...d,
      BytesConverted: state === "completed" ? d.Image.Size : 0,
      Volume: { ...d.Volume, Id: state === "completed" ? d.Volume.Id : undefined },
    },
    State: state,
    StatusMessage: t.statusMessage,
    Tags: tagsOf(t),
  };
};

export async function ImportVolume(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const zones = zonesOf(s.region);
  if (input.AvailabilityZone !== undefined && input.AvailabilityZoneId !== undefined)
    throw Ec2Errors.invalidCombination("Either AvailabilityZone or AvailabilityZoneId must be specified, but not both.");
  const zone = zones.find((z) => z.name === input.AvailabilityZone || z.id === input.AvailabilityZoneId);
  if (!zone) {
    if (input.AvailabilityZone === undefined && input.AvailabilityZoneId === undefined) throw Ec2Errors.missing("AvailabilityZone");
    throw Ec2Errors.invalidValue(`Invalid availability zone: [${input.AvailabilityZone ?? input.AvailabilityZoneId}]`);
  }
  const image = input.Image ?? {};
  const size = Number(input.Volume?.Size);
  const bytes = Number(image.Bytes);
  if (!Number.isInteger(size) || size < 1) throw Ec2Errors.invalidValue(`Value (${input.Volume?.Size}) for parameter Volume.Size is invalid.`);
  if (bytes > size * 1024 ** 3) throw Ec2Errors.invalidValue(`The volume size (${size} GiB) is smaller than the disk image (${bytes} bytes).`);
  const url = required(image, "ImportManifestUrl");
  const loc = parseS3Url(url);
  await readObject(ctx, loc.bucket, loc.key, s.region);
  dryRun(input);
  const now = ctx.now();
  const v = newVolume(s, zone.name, { size, type: "standard" }, now, "standard");
  const t = newTask(c, "conversion", "import-vol", now, input.Description, {
    ExpirationTime: new Date(now.getTime() + 30 * 86_400_000).toISOString(),
    ImportVolume: {
      AvailabilityZone: zone.name,
      AvailabilityZoneId: zone.id,
      Description: input.Description,
      Image: { Format: image.Format, ImportManifestUrl: url, Size: bytes },
      Volume: { Id: v.id, Size: size },
    },
  });
  return { ConversionTask: { ...conversionView(t, Number.POSITIVE_INFINITY), State: "active" } };
}

export function DescribeConversionTasks(ctx: Ctx, input: Input) {
  dryRun(input);
  const { c } = cst(ctx);
  const ids = list(input.ConversionTaskIds);
  for (const id of ids) if (c.tasks.get(id)?.kind !== "conversion") throw conversionNotFound(id);
  const items = ids.length ? [...new Set(ids)].map((id) => c.tasks.get(id)!) : [...c.tasks.values()].filter((t) => t.kind === "conversion");
  return { ConversionTasks: items.map((t) => conversionView(t, ctx.config.transitionDelayMs)) };
}

export function CancelConversionTask(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const id = required(input, "ConversionTaskId");
  const t = c.tasks.get(id);
  if (t?.kind !== "conversion") throw conversionNotFound(id);
  const { status, active } = statusOf(t, ctx.config.transitionDelayMs);
  // DeleteConversionTaskError: "The conversion task cannot be canceled." (EC2 error-code reference).
  if (!active) throw e("DeleteConversionTaskError", `The conversion task '${id}' is ${status === "deleted" ? "cancelled" : status} and can't be cancelled.`);
  dryRun(input);
  t.status = "deleted";
  t.statusMessage = input.ReasonMessage ? String(input.ReasonMessage) : "Canceled by user";
  const v = s.volumes.get(t.data.ImportVolume.Volume.Id);
  if (v) removeVolume(s, v);
  return { Return: true };
}

// ---------------------------------------------------------------- bundle tasks (none can exist)

const BUNDLE_FILTERS = ["bundle-id", "error-code", "error-message", "instance-id", "progress", "s3-bucket", "s3-prefix", "start-time", "state", "update-time"];

export function DescribeBundleTasks(_ctx: Ctx, input: Input) {
  compileFilters(filters(input), Object.fromEntries(BUNDLE_FILTERS.map((f) => [f, () => undefined])), {
    tags: tagsOf as never,
    unknownFilter: Ec2Errors.invalidFilter,
  });
  dryRun(input);
  const ids = list(input.BundleIds);
  if (ids.length) throw e("InvalidBundleID.NotFound", `The bundle task ID '${ids[0]}' does not exist`);
  return { BundleTasks: [] };
}

export function CancelBundleTask(_ctx: Ctx, input: Input) {
  const id = required(input, "BundleId");
  throw e("InvalidBundleID.NotFound", `The bundle task ID '${id}' does not exist`);
}
