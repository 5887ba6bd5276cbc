/**
 * VM Import/Export and AMI store/restore against awsim's own S3: ImportImage and ImportSnapshot read the disk
 * image object (UserBucket or an s3:// URL; InvalidParameter when it is missing or in another region) and
 * produce EBS snapshots and an AMI; ExportImage and CreateStoreImageTask write the image to a bucket as an
 * object (a small JSON manifest of its devices) that ImportImage/ImportSnapshot/CreateRestoreImageTask
 * turn back into an equivalent AMI. Tasks complete at once (after config.transitionDelayMs when it is set,
 * computed on read); CancelImportTask cancels a task still active. Task lists filter on task-state and tags
 * and paginate.
 */
import type { Ctx } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { wholeSecond } from "../../core/time.js";
import { applyTagSpec, dryRun, list, required, select, tagsOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { imageDevices, lookupImage, seedImages } from "../images.js";
import type { Ec2State, ImageDevice, ImageRec, SnapshotRec } from "../state.js";
import { awsEbsKeyArn, copySnapshotRec, getSnapshot } from "../volumes.js";
import { checkBucket, type DiskManifest, MANIFEST_KIND, parseManifest, parseS3Url, readObject, writeObject } from "./s3.js";
import { type ComputeState, cst, recordImageSource, type TaskRec } from "./state.js";

const e = Ec2Errors.custom;
const GIB = 1024 ** 3;
const FORMATS = ["OVA", "VHD", "VHDX", "VMDK", "RAW"];
const invalid = (message: string) => e("InvalidParameter", message);
const taskNotFound = (id: string) => e("InvalidConversionTaskId.Malformed", `The import task ID '${id}' does not exist`);

// ---------------------------------------------------------------- task lifecycle

/** The status a task shows now: final once config.transitionDelayMs has passed since it started. */
export function statusOf(t: TaskRec, delay: number, now = Date.now()): { status: string; active: boolean } {
  const active = t.status === "completed" && now - t.data.since < delay;
  return { status: active ? "active" : t.status, active };
}

export function newTask(
  c: ComputeState,
  kind: TaskRec["kind"],
  prefix: string,
  now: Date,
  description: string | undefined,
  data: Record<string, any>,
): TaskRec {
  const t: TaskRec = {
    id: ec2Id(prefix),
    kind,
    status: "completed",
    created: now,
    updated: now,
    description,
    data: { ...data, since: Date.now() },
    tags: new Map(),
  };
  c.tasks.set(t.id, t);
  return t;
}

export function tasksOf(c: ComputeState, kind: TaskRec["kind"], ids: string[], notFound: (id: string) => Error): TaskRec[] {
  for (const id of ids) if (c.tasks.get(id)?.kind !== kind) throw notFound(id);
  return ids.length ? [...new Set(ids)].map((id) => c.tasks.get(id)!) : [...c.tasks.values()].filter((t) => t.kind === kind);
}

function describeTasks(ctx: Ctx, input: Input, kind: TaskRec["kind"], ids: string[], notFound: (id: string) => Error, range: [number, number]) {
  dryRun(input);
  const { c } = cst(ctx);
  const delay = ctx.config.transitionDelayMs;
  return select(tasksOf(c, kind, ids, notFound), input, { "task-state": (t) => statusOf(t, delay).status }, (t) => t.id, {
    paginate: true,
    min: range[0],
    max: range[1],
  });
}

// ---------------------------------------------------------------- disks → snapshots → AMI

interface Disk {
  description?: string;
  deviceName?: string;
  format: string;
  sizeBytes: number;
  url?: string;
  userBucket?: { S3Bucket: string; S3Key: string };
  /** An existing snapshot given as the disk. */
  snapshot?: SnapshotRec;
  manifest?: DiskManifest;
}

function formatOf(given: unknown, key: string): string {
  if (given !== undefined && given !== "") {
    const f = String(given).toUpperCase();
    if (!FORMATS.includes(f)) throw invalid(`Invalid disk image format '${given}'. Valid values: ${FORMATS.join(", ")}.`);
    return f;
  }
  const ext = /\.([a-z0-9]+)$/i.exec(key)?.[1]?.toUpperCase();
  return ext && FORMATS.includes(ext) ? ext : ext === "IMG" ? "RAW" : "RAW";
}

async function readDisk(ctx: Ctx, s: Ec2State, d: Input, allowSnapshot: boolean): Promise<Disk> {
  if (allowSnapshot && d.SnapshotId) {
    const snap = getSnapshot(s, String(d.SnapshotId));
    return { description: d.Description, deviceName: d.DeviceName, format: "RAW", sizeBytes: snap.volumeSize * GIB, snapshot: snap };
  }
  let loc: { bucket: string; key: string };
  if (d.UserBucket?.S3Bucket && d.UserBucket?.S3Key) loc = { bucket: String(d.UserBucket.S3Bucket), key: String(d.UserBucket.S3Key) };
  else if (d.Url) loc = parseS3Url(String(d.Url));
  else throw invalid("The disk container must specify a UserBucket (S3Bucket and S3Key), a Url or a SnapshotId.");
  const obj = await readObject(ctx, loc.bucket, loc.key, s.region);
  const manifest = parseManifest(obj.body);
  return {
    description: d.Description,
    deviceName: d.DeviceName,
    format: formatOf(d.Format ?? manifest?.format, loc.key),
    sizeBytes: obj.size,
    url: d.Url,
    userBucket: d.UserBucket ? { S3Bucket: loc.bucket, S3Key: loc.key } : undefined,
    manifest,
  };
}

export const gib = (bytes: number) => Math.max(1, Math.ceil(bytes / GIB));

function kmsArnOf(s: Ec2State, key?: string): string {
  if (!key || key === "alias/aws/ebs") return awsEbsKeyArn(s);
  if (key.startsWith("arn:")) return key;
  return key.startsWith("alias/") ? `arn:aws:kms:${s.region}:${s.accountId}:${key}` : `arn:aws:kms:${s.region}:${s.accountId}:key/${key}`;
}

function newSnapshot(s: Ec2State, size: number, encrypted: boolean, kmsKeyId: string | undefined, description: string, now: Date): SnapshotRec {
  const x = copySnapshotRec(s, { volumeSize: size, encrypted }, description, now);
  if (encrypted) x.kmsKeyId = kmsArnOf(s, kmsKeyId ?? s.ebsDefaultKmsKeyId);
  return x;
}

const deviceName = (n: number) => (n === 0 ? "/dev/sda1" : `/dev/sd${String.fromCharCode(97 + n)}`);

function checkEncryption(input: Input): void {
  if (input.KmsKeyId !== undefined && input.Encrypted !== true)
    throw Ec2Errors.custom("InvalidParameterDependency", "The parameter [KmsKeyId] requires the parameter Encrypted to be set.");
}

function newImage(
  s: Ec2State,
  now: Date,
  o: { name: string; description: string; architecture: string; platform?: string; platformDetails: string; root: string; devices: ImageDevice[] },
): ImageRec {
  const img: ImageRec = {
    id: ec2Id("ami"),
    name: o.name,
    description: o.description,
    ownerId: s.accountId,
    architecture: o.architecture,
    platform: o.platform,
    platformDetails: o.platformDetails,
    creationDate: wholeSecond(now).toISOString(),
    isPublic: false,
    rootDeviceName: o.root,
    state: "available",
    blockDevices: o.devices,
    snapshotIds: o.devices.map((d) => d.snapshotId),
    tags: new Map(),
  };
  s.images.set(img.id, img);
  return img;
}

// ---------------------------------------------------------------- ImportImage

const ARCHITECTURES = ["i386", "x86_64", "arm64"];

const importImageView = (t: TaskRec, delay: number) => {
  const { status, active } = statusOf(t, delay);
  const d = t.data;
  return {
    ImportTaskId: t.id,
    Description: t.description,
    Architecture: d.Architecture,
    Encrypted: d.Encrypted,
    Hypervisor: d.Hypervisor,
    ImageId: active || status !== "completed" ? undefined : d.ImageId,
    KmsKeyId: d.KmsKeyId,
    LicenseType: d.LicenseType,
    Platform: d.Platform,
    Progress: active ? "50" : undefined,
    SnapshotDetails: (d.SnapshotDetails as Input[]).map((x) => ({
      ...x,
      SnapshotId: active ? undefined : x.SnapshotId,
      Status: active ? "active" : status === "completed" ? "completed" : status,
    })),
    Status: status,
    StatusMessage: active ? "converting" : t.statusMessage,
    Tags: tagsOf(t),
    LicenseSpecifications: d.LicenseSpecifications,
    UsageOperation: d.UsageOperation,
    BootMode: d.BootMode,
  };
};

export async function ImportImage(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  seedImages(s);
  const containers = (input.DiskContainers ?? []) as Input[];
  if (!containers.length) throw Ec2Errors.missing("DiskContainer");
  const arch = String(input.Architecture ?? "");
  if (arch && !ARCHITECTURES.includes(arch)) throw invalid(`Invalid architecture '${arch}'. Valid values: i386, x86_64, arm64.`);
  if (input.Platform !== undefined && input.Platform !== "Windows" && input.Platform !== "Linux")
    throw invalid(`Invalid platform '${input.Platform}'. Valid values: Windows, Linux.`);
  if (input.Hypervisor !== undefined && input.Hypervisor !== "xen") throw invalid(`Invalid hypervisor '${input.Hypervisor}'. Valid values: xen.`);
  if (input.BootMode === "uefi-preferred") throw invalid("The uefi-preferred boot mode isn't supported for importing images.");
  checkEncryption(input);
  const disks: Disk[] = [];
  for (const d of containers) disks.push(await readDisk(ctx, s, d, true));
  dryRun(input);
  const now = ctx.now();
  const manifest = disks.find((d) => d.manifest)?.manifest;
  const encrypted = input.Encrypted === true || s.ebsEncryptionByDefault;
  const platform = String(input.Platform ?? (manifest?.platform === "windows" ? "Windows" : "Linux"));
  const t = newTask(c, "import-image", "import-ami", now, input.Description, {});
  const devices: ImageDevice[] = [];
  const details: Input[] = [];
  for (const d of disks) {
    const sizes = d.manifest ? d.manifest.devices.map((x) => x.size) : [d.snapshot ? d.snapshot.volumeSize : gib(d.sizeBytes)];
    for (const size of sizes) {
      const snap = newSnapshot(s, size, encrypted || !!d.snapshot?.encrypted, input.KmsKeyId, `Created by AWS-VMImport service for ${t.id}`, now);
      const dev = devices.length === 0 ? (d.deviceName ?? deviceName(0)) : deviceName(devices.length);
      devices.push({ device: dev, snapshotId: snap.id, size, type: "gp2", deleteOnTermination: true, encrypted: snap.encrypted });
      details.push({
        Description: d.description,
        DeviceName: dev,
        DiskImageSize: d.sizeBytes,
        Format: d.format,
        SnapshotId: snap.id,
        Url: d.url,
        UserBucket: d.userBucket,
      });
    }
  }
  const img = newImage(s, now, {
    name: t.id,
    description: String(input.Description ?? manifest?.description ?? ""),
    architecture: arch || manifest?.architecture || "x86_64",
    platform: platform === "Windows" ? "windows" : undefined,
    platformDetails: platform === "Windows" ? "Windows BYOL" : "Linux/UNIX",
    root: devices[0]!.device,
    devices,
  });
  t.data = {
    ...t.data,
    Architecture: img.architecture,
    Encrypted: encrypted,
    Hypervisor: input.Hypervisor,
    ImageId: img.id,
    KmsKeyId: encrypted ? devices.length && s.snapshots.get(devices[0]!.snapshotId)?.kmsKeyId : undefined,
    LicenseType: String(input.LicenseType ?? "BYOL"),
    Platform: platform,
    SnapshotDetails: details,
    LicenseSpecifications: input.LicenseSpecifications,
    UsageOperation: input.UsageOperation,
    BootMode: input.BootMode,
  };
  applyTagSpec(s, input, "import-image-task", t.id, t);
  const v = importImageView(t, Number.POSITIVE_INFINITY);
  return {
    ...v,
    ImageId: undefined,
    Status: "active",
    StatusMessage: "pending",
    Progress: "1",
    SnapshotDetails: details.map((x) => ({ ...x, SnapshotId: undefined, Status: "active" })),
    BootMode: undefined,
  };
}

export function DescribeImportImageTasks(ctx: Ctx, input: Input) {
  const r = describeTasks(ctx, input, "import-image", list(input.ImportTaskIds), taskNotFound, [1, 500]);
  return { ImportImageTasks: r.items.map((t) => importImageView(t, ctx.config.transitionDelayMs)), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- ImportSnapshot

const importSnapshotView = (t: TaskRec, delay: number) => {
  const { status, active } = statusOf(t, delay);
  const d = t.data;
  return {
    ImportTaskId: t.id,
    Description: t.description,
    SnapshotTaskDetail: {
      ...d.detail,
      SnapshotId: active || status !== "completed" ? undefined : d.detail.SnapshotId,
      Status: status,
      StatusMessage: active ? "converting" : t.statusMessage,
      Progress: active ? "50" : undefined,
    },
    Tags: tagsOf(t),
  };
};

export async function ImportSnapshot(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  if (!input.DiskContainer) throw Ec2Errors.missing("DiskContainer");
  checkEncryption(input);
  const disk = await readDisk(ctx, s, input.DiskContainer, false);
  dryRun(input);
  const now = ctx.now();
  const encrypted = input.Encrypted === true || s.ebsEncryptionByDefault;
  const size = disk.manifest ? disk.manifest.devices[0]!.size : gib(disk.sizeBytes);
  const t = newTask(c, "import-snapshot", "import-snap", now, input.Description, {});
  const snap = newSnapshot(s, size, encrypted, input.KmsKeyId, `Created by AWS-VMImport service for ${t.id}`, now);
  t.data = {
    ...t.data,
    detail: {
      Description: disk.description,
      DiskImageSize: disk.sizeBytes,
      Encrypted: encrypted,
      Format: disk.format,
      KmsKeyId: snap.kmsKeyId,
      SnapshotId: snap.id,
      Url: disk.url,
      UserBucket: disk.userBucket,
    },
  };
  applyTagSpec(s, input, "import-snapshot-task", t.id, t);
  const v = importSnapshotView(t, Number.POSITIVE_INFINITY);
  return { ...v, SnapshotTaskDetail: { ...v.SnapshotTaskDetail, SnapshotId: undefined, Status: "active", StatusMessage: "pending", Progress: "0" } };
}

export function DescribeImportSnapshotTasks(ctx: Ctx, input: Input) {
  const r = describeTasks(ctx, input, "import-snapshot", list(input.ImportTaskIds), taskNotFound, [1, 500]);
  return { ImportSnapshotTasks: r.items.map((t) => importSnapshotView(t, ctx.config.transitionDelayMs)), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- CancelImportTask

export function CancelImportTask(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const id = required(input, "ImportTaskId");
  const t = c.tasks.get(id);
  if (!t || (t.kind !== "import-image" && t.kind !== "import-snapshot")) throw taskNotFound(id);
  const { status, active } = statusOf(t, ctx.config.transitionDelayMs);
  if (!active) throw e("IncorrectState", `The import task '${id}' is ${status} and can't be cancelled.`);
  dryRun(input);
  t.status = "deleted";
  t.statusMessage = input.CancelReason ? `User cancelled task: ${input.CancelReason}` : "User cancelled task";
  t.updated = ctx.now();
  // Nothing the task would have produced survives it.
  const snaps: string[] = t.kind === "import-image" ? (t.data.SnapshotDetails as Input[]).map((x) => String(x.SnapshotId)) : [String(t.data.detail.SnapshotId)];
  if (t.kind === "import-image") s.images.delete(t.data.ImageId);
  for (const sid of snaps) s.snapshots.delete(sid);
  return { ImportTaskId: id, PreviousState: "active", State: "deleting" };
}

// ---------------------------------------------------------------- ExportImage

function ownImage(s: Ec2State, id: string): ImageRec {
  seedImages(s);
  if (!/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) throw Ec2Errors.amiMalformed(id);
  const img = s.images.get(id);
  if (img?.state !== "available" || img.ownerId !== s.accountId) throw Ec2Errors.amiNotFound([id]);
  return img;
}

export function manifestOf(img: ImageRec, format: string, region?: string): DiskManifest {
  return {
    kind: MANIFEST_KIND,
    sourceImageId: img.id,
    sourceRegion: region,
    name: img.name,
    description: img.description,
    architecture: img.architecture,
    platform: img.platform,
    platformDetails: img.platformDetails,
    rootDeviceName: img.rootDeviceName,
    format,
    devices: imageDevices(img).map((d) => ({
      device: d.device,
      size: d.size,
      type: d.type,
      deleteOnTermination: d.deleteOnTermination,
      encrypted: d.encrypted,
    })),
  };
}

const exportImageView = (t: TaskRec, delay: number) => {
  const { status, active } = statusOf(t, delay);
  return {
    ExportImageTaskId: t.id,
    Description: t.description,
    ImageId: t.data.ImageId,
    Progress: active ? "50" : undefined,
    S3ExportLocation: t.data.S3ExportLocation,
    Status: status,
    StatusMessage: active ? "exporting" : t.statusMessage,
    Tags: tagsOf(t),
  };
};

export async function ExportImage(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const img = ownImage(s, required(input, "ImageId"));
  const format = required(input, "DiskImageFormat");
  const loc = input.S3ExportLocation ?? {};
  const bucket = String(loc.S3Bucket ?? "");
  if (!bucket) throw Ec2Errors.missing("S3ExportLocation.S3Bucket");
  await checkBucket(ctx, bucket, s.region);
  dryRun(input);
  const now = ctx.now();
  const t = newTask(c, "export-image", "export-ami", now, input.Description, {
    ImageId: img.id,
    DiskImageFormat: format,
    RoleName: input.RoleName ?? "vmimport",
    S3ExportLocation: { S3Bucket: bucket, S3Prefix: loc.S3Prefix },
  });
  const key = `${loc.S3Prefix ?? ""}${t.id}.${format.toLowerCase()}`;
  await writeObject(ctx, bucket, key, s.region, Buffer.from(JSON.stringify(manifestOf(img, format, s.region))));
  t.data.S3Key = key;
  applyTagSpec(s, input, "export-image-task", t.id, t);
  return {
    ...exportImageView(t, Number.POSITIVE_INFINITY),
    DiskImageFormat: format,
    RoleName: t.data.RoleName,
    Status: "active",
    StatusMessage: undefined,
    Progress: "0",
  };
}

export function DescribeExportImageTasks(ctx: Ctx, input: Input) {
  const r = describeTasks(
    ctx,
    input,
    "export-image",
    list(input.ExportImageTaskIds),
    // The EC2 error-code reference gives InvalidExportTaskID for export-ami- ids too (no separate export-image code exists).
    (id) => e("InvalidExportTaskID.NotFound", `The export task ID '${id}' does not exist`),
    [1, 500],
  );
  return { ExportImageTasks: r.items.map((t) => exportImageView(t, ctx.config.transitionDelayMs)), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- store and restore AMIs in S3

export async function CreateStoreImageTask(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const img = ownImage(s, required(input, "ImageId"));
  const bucket = required(input, "Bucket");
  await checkBucket(ctx, bucket, s.region);
  dryRun(input);
  const objectKey = `${img.id}.bin`;
  const tags = ((input.S3ObjectTags ?? []) as Input[]).map((x) => ({ Key: String(x.Key), Value: String(x.Value ?? "") }));
  await writeObject(ctx, bucket, objectKey, s.region, Buffer.from(JSON.stringify(manifestOf(img, "RAW", s.region))), tags);
  c.storeTasks.set(img.id, { amiId: img.id, bucket, objectKey, start: ctx.now(), state: "Completed", since: Date.now() });
  return { ObjectKey: objectKey };
}

export function DescribeStoreImageTasks(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, c } = cst(ctx);
  const ids = list(input.ImageIds);
  if (ids.length && input.MaxResults !== undefined) throw Ec2Errors.invalidCombination("The parameter ImageIds cannot be used with the parameter MaxResults");
  const missing = ids.filter((id) => !lookupImage(s, id));
  if (missing.length) throw Ec2Errors.amiNotFound(missing);
  const delay = ctx.config.transitionDelayMs;
  const stateOf = (x: { since?: number; state: string }) => (x.since !== undefined && Date.now() - x.since < delay ? "InProgress" : x.state);
  const items = [...c.storeTasks.values()]
    .filter((x) => !ids.length || ids.includes(x.amiId))
    .sort((a, b) => b.start.getTime() - a.start.getTime())
    .map((x) => ({ ...x, tags: s.images.get(x.amiId)?.tags ?? new Map<string, string>() }));
  const r = select(
    items,
    ids.length ? { ...input, Filters: undefined } : input,
    { "task-state": (x) => stateOf(x), bucket: (x) => x.bucket },
    (x) => `${x.start.toISOString()} ${x.amiId}`,
    { paginate: true, min: 1, max: 200 },
  );
  return {
    StoreImageTaskResults: r.items.map((x) => {
      const state = stateOf(x);
      return {
        AmiId: x.amiId,
        TaskStartTime: x.start,
        Bucket: x.bucket,
        S3objectKey: x.objectKey,
        ProgressPercentage: state === "InProgress" ? 50 : 100,
        StoreTaskState: state,
      };
    }),
    NextToken: r.nextToken,
  };
}

export async function CreateRestoreImageTask(ctx: Ctx, input: Input) {
  const { s } = cst(ctx);
  seedImages(s);
  const bucket = required(input, "Bucket");
  const key = required(input, "ObjectKey");
  const obj = await readObject(ctx, bucket, key, s.region);
  const m = parseManifest(obj.body);
  if (!m) throw invalid(`The S3 object 's3://${bucket}/${key}' is not an AMI stored by CreateStoreImageTask.`);
  const name = String(input.Name ?? m.name ?? key);
  const dup = [...s.images.values()].find((i) => i.ownerId === s.accountId && i.name === name);
  if (dup) throw Ec2Errors.amiNameDuplicate(name, dup.id);
  dryRun(input);
  const now = ctx.now();
  const devices: ImageDevice[] = [];
  const snaps: SnapshotRec[] = [];
  for (const d of m.devices) {
    const snap = newSnapshot(s, d.size, d.encrypted, undefined, `Restored from s3://${bucket}/${key}`, now);
    snaps.push(snap);
    devices.push({ device: d.device, snapshotId: snap.id, size: d.size, type: d.type, deleteOnTermination: d.deleteOnTermination, encrypted: snap.encrypted });
  }
  const img = newImage(s, now, {
    name,
    description: m.description ?? "",
    architecture: m.architecture,
    platform: m.platform,
    platformDetails: m.platformDetails,
    root: m.rootDeviceName,
    devices,
  });
  if (m.sourceImageId) recordImageSource(s, img.id, m.sourceImageId, m.sourceRegion ?? s.region);
  applyTagSpec(s, input, "image", img.id, img);
  for (const snap of snaps) applyTagSpec(s, input, "snapshot", snap.id, snap);
  return { ImageId: img.id };
}
