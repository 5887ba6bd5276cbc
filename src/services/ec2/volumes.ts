/**
 * EBS: volumes (create → available, attach → in-use, modifications, status, attributes), the root and
 * block-device-mapping volumes RunInstances creates, snapshots (create, copy across regions, per-instance
 * sets, create-volume permissions) and encryption by default. Transitions are instant unless
 * config.transitionDelayMs is set (then computed on read).
 */
import { createHash } from "node:crypto";
import type { Ctx } from "../core/types.js";
import { ec2Id } from "../core/ids.js";
import {
  applyTagSpec,
  dropTags,
  dryRun,
  foreignTagsOf,
  knownRegion,
  list,
  otherAccountStates,
  required,
  select,
  st,
  tagList,
  zonesOf,
  type Input,
  onlyTagTypes,
} from "./common.js";
import { Ec2Errors } from "./errors.js";
import type { Ec2State, InstanceRec, SnapshotRec, VolumeRec } from "./state.js";
import { fastRestored, snapshotTier } from "./compute/state.js";
import { IdempotencyErrors, priorRequest, rememberRequest } from "./idempotency.js";

const e = Ec2Errors.custom;
const volNotFound = (ids: string[]) =>
  e("InvalidVolume.NotFound", ids.length > 1 ? `The volumes '${ids.join(", ")}' do not exist.` : `The volume '${ids[0]}' does not exist.`);
const snapNotFound = (ids: string[]) =>
  e("InvalidSnapshot.NotFound", ids.length > 1 ? `The snapshots '${ids.join(", ")}' do not exist.` : `The snapshot '${ids[0]}' does not exist.`);
const ID = (prefix: string) => new RegExp(`^${prefix}-[0-9a-f]{8}([0-9a-f]{9})?$`);

/** Size limits (GiB) per volume type. */
const SIZES: Record<string, [number, number]> = {
  standard: [1, 1024],
  gp2: [1, 16384],
  gp3: [1, 65536],
  io1: [4, 16384],
  io2: [4, 65536],
  st1: [125, 16384],
  sc1: [125, 16384],
};

// ---------------------------------------------------------------- state helpers

function advance<T extends { state: string; target?: string; since: number }>(r: T, delay: number, now = Date.now()): string {
  if (r.target && now - r.since >= delay) {
    r.state = r.target;
    r.target = undefined;
  }
  return r.state;
}

export const volState = (v: VolumeRec, delay: number) => advance(v, delay);

/** The account's AWS-managed EBS key (aws/ebs), stable per account and region. */
export function awsEbsKeyArn(s: Ec2State): string {
  const h = createHash("sha256").update(`${s.accountId}/${s.region}/aws/ebs`).digest("hex");
  return `arn:aws:kms:${s.region}:${s.accountId}:key/${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function kmsArn(s: Ec2State, key?: string): string {
  const k = key ?? s.ebsDefaultKmsKeyId ?? "alias/aws/ebs";
  if (k === "alias/aws/ebs") return awsEbsKeyArn(s);
  if (k.startsWith("arn:")) return k;
  if (k.startsWith("alias/")) return `arn:aws:kms:${s.region}:${s.accountId}:${k}`;
  return `arn:aws:kms:${s.region}:${s.accountId}:key/${k}`;
}

export interface VolumeSpec {
  size?: number;
  type?: string;
  iops?: number;
  throughput?: number;
  snapshotId?: string;
  encrypted?: boolean;
  kmsKeyId?: string;
  multiAttach?: boolean;
}

/** Validate a volume spec the way CreateVolume and RunInstances do; returns the resolved values. */
function resolveSpec(s: Ec2State, spec: VolumeSpec, defaultType: string) {
  const type = spec.type ?? defaultType;
  const snap = spec.snapshotId ? usableSnapshot(s, spec.snapshotId) : undefined;
  if (spec.size === undefined && !snap) throw Ec2Errors.missing("size/snapshot"); // AWS's parameter name (recorded)
  const size = spec.size ?? snap!.volumeSize;
  const [lo, hi] = SIZES[type] ?? [1, 16384];
  if (snap && size < snap.volumeSize)
    throw Ec2Errors.invalidValue(`Volume of size ${size}GB is smaller than snapshot '${snap.id}', expect size >= ${snap.volumeSize}GB`);
  if (size > hi) throw Ec2Errors.invalidValue(`Volume of ${size}GiB is too large for volume type ${type}; maximum is ${hi}GiB`);
  if (size < lo) throw Ec2Errors.invalidValue(`Volume of ${size}GiB is too small; minimum is ${lo}GiB`);
  if (spec.throughput !== undefined && type !== "gp3") throw Ec2Errors.invalidCombination(`The parameter throughput is not supported for ${type} volumes.`);
  let iops = spec.iops;
  if (iops !== undefined && !["gp3", "io1", "io2"].includes(type))
    throw Ec2Errors.invalidCombination(`The parameter iops is not supported for ${type} volumes.`);
  if ((type === "io1" || type === "io2") && iops === undefined) throw Ec2Errors.missing("iops");
  if (iops !== undefined) {
    // The highest IOPS of a type is reported before the IOPS:size ratio: the EBS CSI driver learns each type's
    // maximum from these answers (a DryRun CreateVolume), gp3 and io1 in one text, io2 in another.
    const max = type === "gp3" ? 80000 : type === "io1" ? 64000 : undefined;
    if (max !== undefined && iops > max) throw Ec2Errors.invalidValue(`Volume iops of ${iops} is too high; maximum is ${max}`);
    if (type === "io2" && (iops > 256000 || iops / size > 1000))
      throw Ec2Errors.invalidCombination("io2 volumes configured with greater than 64 TiB or 256K IOPS or 1000:1 IOPS:GB ratio are not supported");
    const ratio = type === "io1" ? 50 : 500;
    if (iops / size > ratio) throw Ec2Errors.invalidValue(`Iops to volume size ratio of ${(iops / size).toFixed(6)} is too high; maximum is ${ratio}`);
    if (type === "gp3" && iops < 3000) throw Ec2Errors.invalidValue(`The iops must be between 3000 and 80000 for gp3 volumes.`);
  }
  if (type === "gp3") iops ??= 3000;
  if (type === "gp2") iops = Math.min(16000, Math.max(100, 3 * size));
  const throughput = type === "gp3" ? (spec.throughput ?? 125) : undefined;
  // gp3 gives at most 0.25 MiB/s of throughput per provisioned IOPS (AWS's answer, runs-on/runs-on#260).
  if (throughput !== undefined && iops !== undefined && throughput / iops > 0.25)
    throw Ec2Errors.invalidValue(`Throughput (MiBps) to iops ratio of ${(throughput / iops).toFixed(6)} is too high; maximum is 0.250000 MiBps per iops`);
  if (spec.multiAttach && type !== "io1" && type !== "io2")
    throw Ec2Errors.invalidValue(`The specified volume type does not support Multi-Attach. Specify an io1 or io2 volume.`);
  const encrypted = spec.encrypted === true || s.ebsEncryptionByDefault || !!snap?.encrypted || spec.kmsKeyId !== undefined;
  if (spec.kmsKeyId !== undefined && spec.encrypted !== true)
    throw Ec2Errors.custom("InvalidParameterDependency", "The parameter [KmsKeyId] requires the parameter Encrypted to be set.");
  return {
    size,
    type,
    iops,
    throughput,
    snapshotId: snap?.id ?? "",
    encrypted,
    kmsKeyId: encrypted ? (spec.kmsKeyId ? kmsArn(s, spec.kmsKeyId) : (snap?.kmsKeyId ?? kmsArn(s))) : undefined,
    multiAttach: !!spec.multiAttach,
  };
}

export function newVolume(s: Ec2State, az: string, spec: VolumeSpec, now: Date, defaultType = "gp2"): VolumeRec {
  const r = resolveSpec(s, spec, defaultType);
  // The resolved values written out (not spread): the same fields in the same order, without a generic copy.
  const v: VolumeRec = {
    id: ec2Id("vol"),
    seq: ++s.seq,
    size: r.size,
    type: r.type,
    iops: r.iops,
    throughput: r.throughput,
    snapshotId: r.snapshotId,
    encrypted: r.encrypted,
    kmsKeyId: r.kmsKeyId,
    multiAttach: r.multiAttach,
    az,
    createTime: now,
    state: "creating",
    target: "available",
    since: Date.now(),
    attachments: [],
    autoEnableIO: false,
    tags: new Map(),
  };
  s.volumes.set(v.id, v);
  return v;
}

/** Check a block-device spec for RunInstances before anything is created. */
export function checkVolumeSpec(s: Ec2State, spec: VolumeSpec, defaultType: string): void {
  resolveSpec(s, spec, defaultType);
}

export function getVolume(s: Ec2State, id: string): VolumeRec {
  const v = s.volumes.get(id);
  if (!v) {
    if (!ID("vol").test(id)) throw e("InvalidVolumeID.Malformed", `Invalid id: "${id}" (expecting "vol-...")`);
    throw volNotFound([id]);
  }
  return v;
}

export function getSnapshot(s: Ec2State, id: string): SnapshotRec {
  const v = s.snapshots.get(id);
  if (!v) {
    if (!ID("snap").test(id)) throw e("InvalidSnapshotID.Malformed", `Invalid id: "${id}" (expecting "snap-...")`);
    throw snapNotFound([id]);
  }
  return v;
}

/** Whether an account's own snapshot is shared with another account (createVolumePermission, or public). */
const snapSharedTo = (owner: Ec2State, x: SnapshotRec | undefined, accountId: string): x is SnapshotRec =>
  !!x && x.ownerId === owner.accountId && (x.permissions.all || x.permissions.userIds.has(accountId));

/**
 * A snapshot another account of the Region shares with this one, as this account sees it: the owner's snapshot
 * without the owner's tags (tags are per account), read from the owner's state (so unsharing takes effect at once).
 */
export function sharedSnapshot(s: Ec2State, id: string): SnapshotRec | undefined {
  for (const o of otherAccountStates(s)) {
    const x = Map.prototype.get.call(o.snapshots, id) as SnapshotRec | undefined;
    if (snapSharedTo(o, x, s.accountId)) return { ...x, tags: foreignTagsOf(s, id) };
  }
  return undefined;
}

/** Every snapshot other accounts of the Region share with this one (views, as sharedSnapshot's), by owner and age. */
function sharedSnapshots(s: Ec2State): SnapshotRec[] {
  const out: SnapshotRec[] = [];
  for (const o of otherAccountStates(s).sort((a, b) => (a.accountId < b.accountId ? -1 : 1)))
    for (const x of bySeq(Map.prototype.values.call(o.snapshots) as MapIterator<SnapshotRec>))
      if (snapSharedTo(o, x, s.accountId)) out.push({ ...x, tags: foreignTagsOf(s, x.id) });
  return out;
}

/** A snapshot to use (a volume, a copy, an image): the account's own, or one another account shares with it. */
export function usableSnapshot(s: Ec2State, id: string): SnapshotRec {
  return s.snapshots.get(id) ?? sharedSnapshot(s, id) ?? getSnapshot(s, id);
}

export function removeVolume(s: Ec2State, v: VolumeRec): void {
  dropTags(s, v.id, v);
  s.volumes.delete(v.id);
}

/** Volumes of a terminating instance: deleted per DeleteOnTermination, the others detached. */
export function releaseInstanceVolumes(s: Ec2State, i: InstanceRec): void {
  for (const id of i.volumeIds) {
    const v = s.volumes.get(id);
    if (!v) continue;
    const a = v.attachments.find((x) => x.instanceId === i.id);
    v.attachments = v.attachments.filter((x) => x.instanceId !== i.id);
    if (a?.deleteOnTermination) removeVolume(s, v);
    else if (!v.attachments.length) v.state = "available";
  }
  i.volumeIds = [];
}

// ---------------------------------------------------------------- views

const attachmentView = (v: VolumeRec, a: VolumeRec["attachments"][number]) => ({
  attachTime: a.attachTime,
  device: a.device,
  instanceId: a.instanceId,
  status: a.state,
  volumeId: v.id,
  deleteOnTermination: a.deleteOnTermination,
});

export const volumeView = (s: Ec2State, v: VolumeRec, delay: number) => ({
  attachmentSet: v.attachments.map((a) => attachmentView(v, a)),
  availabilityZone: v.az,
  availabilityZoneId: zonesOf(s.region).find((z) => z.name === v.az)?.id,
  createTime: v.createTime,
  encrypted: v.encrypted,
  kmsKeyId: v.kmsKeyId,
  size: v.size,
  snapshotId: v.snapshotId,
  sourceVolumeId: v.sourceVolumeId,
  volumeInitializationRate: v.initializationRate,
  status: volState(v, delay),
  volumeId: v.id,
  iops: v.iops,
  // DescribeVolumes leaves out an empty tag set, and FastRestored unless the volume was fast-restored (recorded).
  tagSet: v.tags.size ? tagList(v) : undefined,
  volumeType: v.type,
  multiAttachEnabled: v.multiAttach,
  throughput: v.throughput,
  fastRestored: v.snapshotId && fastRestored(s, v.snapshotId, v.az, v.createTime) ? true : undefined,
});

/** An instance's blockDeviceMapping items, from its volumes. */
export function instanceBlockDevices(s: Ec2State, i: InstanceRec) {
  const out = [];
  for (const id of i.volumeIds) {
    const v = s.volumes.get(id);
    const a = v?.attachments.find((x) => x.instanceId === i.id);
    if (v && a)
      out.push({ deviceName: a.device, ebs: { volumeId: v.id, status: a.state, attachTime: a.attachTime, deleteOnTermination: a.deleteOnTermination } });
  }
  return out;
}

// ---------------------------------------------------------------- volumes

/** A retry may name another zone ("other than the Region or Availability Zone", ec2-api-idempotency). */
const TOKEN_ZONE = ["AvailabilityZone", "AvailabilityZoneId"];

export function CreateVolume(ctx: Ctx, input: Input) {
  onlyTagTypes(input, "volume");
  const s = st(ctx);
  const zones = zonesOf(s.region);
  const az = input.AvailabilityZone ?? zones.find((z) => z.id === input.AvailabilityZoneId)?.name;
  if (!az) throw Ec2Errors.missing("AvailabilityZone");
  // A missing size/snapshot is reported before the zone is checked (AWS's recorded answer for a foreign zone without Size).
  if (input.Size === undefined && !input.SnapshotId) throw Ec2Errors.missing("size/snapshot");
  if (!zones.some((z) => z.name === az)) throw Ec2Errors.invalidValue(`Invalid availability zone: [${az}]`);
  const spec: VolumeSpec = {
    size: input.Size,
    type: input.VolumeType,
    iops: input.Iops,
    throughput: input.Throughput,
    snapshotId: input.SnapshotId,
    encrypted: input.Encrypted,
    kmsKeyId: input.KmsKeyId,
    multiAttach: input.MultiAttachEnabled,
  };
  // A retry with the request's ClientToken answers with the volume it created (as it is now); the token of a
  // deleted volume stays spent (the EBS CSI driver's CreateDisk relies on both).
  const prior = priorRequest(s, "CreateVolume", input, IdempotencyErrors.parameters, TOKEN_ZONE);
  if (prior) {
    const was = s.volumes.get(prior.ids[0]!);
    if (!was) throw IdempotencyErrors.deleted();
    dryRun(input);
    return { ...volumeView(s, was, ctx.config.transitionDelayMs ?? 0), tagSet: tagList(was) };
  }
  checkVolumeSpec(s, spec, "gp2");
  dryRun(input);
  const v = newVolume(s, az, spec, ctx.now());
  if (input.VolumeInitializationRate !== undefined && v.snapshotId) v.initializationRate = input.VolumeInitializationRate;
  applyTagSpec(s, input, "volume", v.id, v);
  rememberRequest(s, "CreateVolume", input, [v.id], undefined, TOKEN_ZONE);
  // CreateVolume's answer: creating, no attachment list, and a tag set even when empty (recorded).
  return { ...volumeView(s, v, Infinity), status: "creating", attachmentSet: undefined, tagSet: tagList(v) };
}

const volumeFilters = (s: Ec2State, delay: number) => ({
  "attachment.attach-time": (v: VolumeRec) => v.attachments.map((a) => a.attachTime.toISOString()),
  "attachment.delete-on-termination": (v: VolumeRec) => v.attachments.map((a) => String(a.deleteOnTermination)),
  "attachment.device": (v: VolumeRec) => v.attachments.map((a) => a.device),
  "attachment.instance-id": (v: VolumeRec) => v.attachments.map((a) => a.instanceId),
  "attachment.status": (v: VolumeRec) => v.attachments.map((a) => a.state),
  "availability-zone": (v: VolumeRec) => v.az,
  "availability-zone-id": (v: VolumeRec) => zonesOf(s.region).find((z) => z.name === v.az)?.id,
  "create-time": (v: VolumeRec) => v.createTime.toISOString(),
  encrypted: (v: VolumeRec) => String(v.encrypted),
  "fast-restored": () => "false",
  "multi-attach-enabled": (v: VolumeRec) => String(v.multiAttach),
  "operator.managed": () => "false",
  "operator.principal": () => undefined,
  size: (v: VolumeRec) => v.size,
  "snapshot-id": (v: VolumeRec) => v.snapshotId,
  status: (v: VolumeRec) => volState(v, delay),
  "volume-id": (v: VolumeRec) => v.id,
  "volume-type": (v: VolumeRec) => v.type,
  iops: (v: VolumeRec) => v.iops,
  throughput: (v: VolumeRec) => v.throughput,
  "kms-key-id": (v: VolumeRec) => v.kmsKeyId,
});

function namedVolumes(s: Ec2State, ids: string[]): VolumeRec[] {
  for (const id of ids) if (!ID("vol").test(id)) throw e("InvalidVolumeID.Malformed", `Invalid id: "${id}" (expecting "vol-...")`);
  const missing = ids.filter((id) => !s.volumes.has(id));
  if (missing.length) throw volNotFound(missing);
  return [...new Set(ids)].map((id) => s.volumes.get(id)!);
}

const bySeq = <T extends { seq: number }>(xs: Iterable<T>) => [...xs].sort((a, b) => a.seq - b.seq);
const seqKey = (x: { seq: number }) => String(x.seq).padStart(12, "0");

export function DescribeVolumes(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const delay = ctx.config.transitionDelayMs;
  const ids = list(input.VolumeIds);
  if (ids.length && input.MaxResults !== undefined) throw Ec2Errors.invalidCombination("The parameter volumeSet cannot be used with the parameter maxResults");
  const r = select(ids.length ? namedVolumes(s, ids) : bySeq(s.volumes.values()), clampMax(input, 500), volumeFilters(s, delay), seqKey, {
    paginate: true,
    min: 5,
    max: 500,
  });
  return { volumeSet: r.items.map((v) => volumeView(s, v, delay)), nextToken: r.nextToken };
}

/** Operations whose MaxResults above the limit returns the limit rather than an error. */
function clampMax(input: Input, max: number): Input {
  return typeof input.MaxResults === "number" && input.MaxResults > max ? { ...input, MaxResults: max } : input;
}

export function DeleteVolume(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const v = getVolume(s, required(input, "VolumeId"));
  if (v.attachments.length) throw e("VolumeInUse", `Volume ${v.id} is currently attached to ${v.attachments[0]!.instanceId}`);
  dryRun(input);
  removeVolume(s, v);
  return { return: true };
}

function getInstance(s: Ec2State, id: string): InstanceRec {
  const i = s.instances.get(id);
  if (!i || i.state === "terminated") {
    if (!ID("i").test(id)) throw Ec2Errors.malformed("Instance", id);
    throw Ec2Errors.notFound("Instance", "instance", [id]);
  }
  return i;
}

export function AttachVolume(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const delay = ctx.config.transitionDelayMs;
  const v = getVolume(s, required(input, "VolumeId"));
  const i = getInstance(s, required(input, "InstanceId"));
  const device = required(input, "Device");
  if (!/^\/dev\/(sd[a-z][1-9]?|xvd[a-z]{1,2})$|^xvd[a-z]{1,2}$/.test(device))
    throw Ec2Errors.invalidValue(`Value (${device}) for parameter device is invalid. ${device} is not a valid EBS device name.`);
  if (v.az !== i.az) throw e("InvalidVolume.ZoneMismatch", `The volume '${v.id}' is not in the same availability zone as instance '${i.id}'`);
  const st0 = volState(v, delay);
  if (v.attachments.some((a) => a.instanceId === i.id) || (v.attachments.length && !v.multiAttach))
    throw e("VolumeInUse", `${v.id} is already attached to an instance`);
  if (st0 !== "available" && !(st0 === "in-use" && v.multiAttach)) throw e("IncorrectState", `vol '${v.id}' is not 'available'.`);
  if (instanceBlockDevices(s, i).some((b) => b.deviceName === device))
    throw Ec2Errors.invalidValue(`Invalid value '${device}' for unixDevice. Attachment point ${device} is already in use`);
  dryRun(input);
  const a = { instanceId: i.id, device, attachTime: ctx.now(), deleteOnTermination: false, state: "attached" };
  v.attachments.push(a);
  v.state = "in-use";
  v.target = undefined;
  i.volumeIds.push(v.id);
  // AttachVolume and DetachVolume answer without DeleteOnTermination (AWS's recorded answers).
  return { ...attachmentView(v, a), status: "attaching", deleteOnTermination: undefined };
}

export function DetachVolume(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const delay = ctx.config.transitionDelayMs;
  const v = getVolume(s, required(input, "VolumeId"));
  if (!v.attachments.length) throw e("IncorrectState", `Volume '${v.id}' is in the '${volState(v, delay)}' state.`);
  const a = input.InstanceId ? v.attachments.find((x) => x.instanceId === input.InstanceId) : v.attachments[0];
  if (!a || (input.Device && a.device !== input.Device))
    throw e("InvalidAttachment.NotFound", `Volume '${v.id}' can not be detached from '${input.InstanceId ?? ""}'`);
  const i = s.instances.get(a.instanceId)!;
  const running = i && !["stopped", "terminated"].includes(i.state);
  if (i && a.device === i.rootDevice && running) throw e("IncorrectState", `Unable to detach root volume '${v.id}' from instance '${i.id}'`);
  dryRun(input);
  v.attachments = v.attachments.filter((x) => x !== a);
  if (!v.attachments.length) v.state = "available";
  if (i) i.volumeIds = i.volumeIds.filter((x) => x !== v.id);
  return { ...attachmentView(v, a), status: "detaching", deleteOnTermination: undefined };
}

export function ModifyVolume(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const v = getVolume(s, required(input, "VolumeId"));
  const now = ctx.now();
  const last = v.modification;
  if (last && now.getTime() - last.startTime.getTime() < 6 * 3600 * 1000)
    throw e(
      "VolumeModificationRateExceeded",
      "You've reached the maximum modification rate per volume limit. Wait at least 6 hours between modifications per EBS volume.",
    );
  if (
    input.Size === undefined &&
    input.VolumeType === undefined &&
    input.Iops === undefined &&
    input.Throughput === undefined &&
    input.MultiAttachEnabled === undefined
  )
    throw Ec2Errors.missing("Size, VolumeType, Iops, Throughput or MultiAttachEnabled");
  if (input.Size !== undefined && input.Size < v.size) throw Ec2Errors.invalidValue(`New size cannot be smaller than existing size`);
  const type = input.VolumeType ?? v.type;
  const r = resolveSpec(
    s,
    {
      size: input.Size ?? v.size,
      type,
      iops: input.Iops ?? (type === v.type && type !== "gp2" ? v.iops : undefined),
      throughput: input.Throughput ?? (type === "gp3" && v.type === "gp3" ? v.throughput : undefined),
      multiAttach: input.MultiAttachEnabled ?? v.multiAttach,
      encrypted: v.encrypted,
      kmsKeyId: undefined,
    },
    type,
  );
  dryRun(input);
  const mod = {
    volumeId: v.id,
    state: "modifying",
    target: "completed",
    since: Date.now(),
    startTime: now,
    originalSize: v.size,
    originalIops: v.iops,
    originalVolumeType: v.type,
    originalThroughput: v.throughput,
    originalMultiAttachEnabled: v.multiAttach,
    targetSize: r.size,
    targetIops: r.iops,
    targetVolumeType: r.type,
    targetThroughput: r.throughput,
    targetMultiAttachEnabled: r.multiAttach,
  };
  Object.assign(v, { size: r.size, type: r.type, iops: r.iops, throughput: r.throughput, multiAttach: r.multiAttach, modification: mod });
  return { volumeModification: { ...modView(mod, Infinity), modificationState: "modifying", progress: 0, endTime: undefined } };
}

type ModRec = NonNullable<VolumeRec["modification"]>;

function modView(m: ModRec, delay: number) {
  const state = advance(m, delay);
  const { state: _s, target: _t, since, ...rest } = m;
  void since;
  return {
    ...rest,
    modificationState: state,
    progress: state === "completed" ? 100 : 0,
    endTime: state === "completed" ? new Date(m.startTime.getTime() + Math.min(delay, 1000)) : undefined,
  };
}

export function DescribeVolumesModifications(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const delay = ctx.config.transitionDelayMs;
  const ids = list(input.VolumeIds);
  let vols = ids.length ? namedVolumes(s, ids) : bySeq(s.volumes.values());
  for (const v of vols) if (ids.length && !v.modification) throw e("InvalidVolumeModification.NotFound", `Modification for volume '${v.id}' does not exist.`);
  vols = vols.filter((v) => v.modification);
  const r = select(
    vols,
    input,
    {
      "modification-state": (v) => advance(v.modification!, delay),
      "original-iops": (v) => v.modification!.originalIops,
      "original-size": (v) => v.modification!.originalSize,
      "original-volume-type": (v) => v.modification!.originalVolumeType,
      "original-multi-attach-enabled": (v) => String(v.modification!.originalMultiAttachEnabled),
      "start-time": (v) => v.modification!.startTime.toISOString(),
      "target-iops": (v) => v.modification!.targetIops,
      "target-size": (v) => v.modification!.targetSize,
      "target-volume-type": (v) => v.modification!.targetVolumeType,
      "target-multi-attach-enabled": (v) => String(v.modification!.targetMultiAttachEnabled),
      // The API reference spells these two in camel case; the kebab-case forms above are kept as well.
      originalMultiAttachEnabled: (v) => String(v.modification!.originalMultiAttachEnabled),
      targetMultiAttachEnabled: (v) => String(v.modification!.targetMultiAttachEnabled),
      "volume-id": (v) => v.id,
    },
    seqKey,
    { paginate: true, min: 5, max: 500 },
  );
  return { volumeModificationSet: r.items.map((v) => modView(v.modification!, delay)), nextToken: r.nextToken };
}

export function DescribeVolumeStatus(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const delay = ctx.config.transitionDelayMs;
  const ids = list(input.VolumeIds);
  const ok = (v: VolumeRec) => ["available", "in-use"].includes(volState(v, delay));
  // A volume made from a snapshot or copied from a volume is initialized (its blocks fetched): instantly here, so
  // "completed" once it exists (the EBS CSI driver's blockAttachUntilInitialized waits for it).
  const initialized = (v: VolumeRec) => !!(v.snapshotId || v.sourceVolumeId);
  const details = (v: VolumeRec) => [
    { name: "io-enabled", status: "passed" },
    { name: "io-performance", status: "not-applicable" },
    ...(initialized(v) ? [{ name: "initialization-state", status: "completed" }] : []),
  ];
  const r = select(
    ids.length ? namedVolumes(s, ids) : bySeq(s.volumes.values()),
    clampMax(input, 1000),
    {
      "availability-zone": (v) => v.az,
      "volume-status.status": (v) => (ok(v) ? "ok" : "insufficient-data"),
      "volume-status.details-name": (v) => details(v).map((d) => d.name),
      "volume-status.details-status": (v) => (ok(v) ? details(v).map((d) => d.status) : ["insufficient-data"]),
      "action.code": () => [],
      "action.description": () => [],
      "action.event-id": () => [],
      "event.description": () => [],
      "event.event-id": () => [],
      "event.event-type": () => [],
      "event.not-after": () => [],
      "event.not-before": () => [],
      // Not in the API reference, but AWS accepts it (aws-sdk-java EC2EbsIntegrationTest filters by it).
      "volume-id": (v) => v.id,
    },
    seqKey,
    { paginate: true, min: 5, max: 1000 },
  );
  return {
    volumeStatusSet: r.items.map((v) => ({
      volumeId: v.id,
      availabilityZone: v.az,
      availabilityZoneId: zonesOf(s.region).find((z) => z.name === v.az)?.id,
      volumeStatus: ok(v) ? { status: "ok", details: details(v) } : { status: "insufficient-data", details: [] },
      initializationStatusDetails:
        ok(v) && initialized(v)
          ? {
              initializationType: v.initializationRate !== undefined ? "provisioned-rate" : v.sourceVolumeId ? "volume-copy" : "default",
              progress: 100,
              // "Only available for volumes created with Amazon EBS Provisioned Rate for Volume Initialization."
              estimatedTimeToCompleteInSeconds: v.initializationRate !== undefined ? 0 : undefined,
            }
          : undefined,
      actionsSet: [],
      eventsSet: [],
      attachmentStatuses: v.attachments.map((a) => ({ instanceId: a.instanceId, ioPerformance: "not-applicable" })),
    })),
    nextToken: r.nextToken,
  };
}

export function DescribeVolumeAttribute(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const v = getVolume(s, required(input, "VolumeId"));
  const attr = required(input, "Attribute");
  dryRun(input);
  if (attr === "autoEnableIO") return { volumeId: v.id, autoEnableIO: { value: v.autoEnableIO } };
  if (attr === "productCodes") return { volumeId: v.id, productCodes: [] };
  throw Ec2Errors.invalidValue(`Value (${attr}) for parameter attribute is invalid. Unknown attribute.`);
}

export function ModifyVolumeAttribute(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const v = getVolume(s, required(input, "VolumeId"));
  if (input.AutoEnableIO?.Value === undefined) throw Ec2Errors.missing("AutoEnableIO");
  dryRun(input);
  v.autoEnableIO = input.AutoEnableIO.Value === true;
  return {};
}

// ---------------------------------------------------------------- snapshots

export const snapshotView = (s: Ec2State, x: SnapshotRec, delay: number) => {
  const state = advance(x, delay);
  return {
    snapshotId: x.id,
    volumeId: x.volumeId,
    status: state,
    startTime: x.startTime,
    completionTime: state === "completed" ? x.startTime : undefined,
    progress: state === "completed" ? "100%" : "0%",
    ownerId: x.ownerId,
    description: x.description,
    volumeSize: x.volumeSize,
    encrypted: x.encrypted,
    kmsKeyId: x.kmsKeyId,
    storageTier: snapshotTier(s, x.id).tier,
    restoreExpiryTime: snapshotTier(s, x.id).restoreExpiryTime,
    availabilityZone: undefined,
    tagSet: tagList(x),
  };
};

function newSnapshot(s: Ec2State, from: { volumeId: string; volumeSize: number; encrypted: boolean; kmsKeyId?: string }, description: string, now: Date) {
  const x: SnapshotRec = {
    id: ec2Id("snap"),
    seq: ++s.seq,
    ...from,
    description,
    ownerId: s.accountId,
    startTime: now,
    state: "pending",
    target: "completed",
    since: Date.now(),
    permissions: { userIds: new Set(), all: false },
    tags: new Map(),
  };
  s.snapshots.set(x.id, x);
  return x;
}

/** A snapshot with no source volume (image copies): encrypted with `kmsKeyId` if given, else the account's default EBS key. */
export function copySnapshotRec(s: Ec2State, from: { volumeSize: number; encrypted: boolean; kmsKeyId?: string }, description: string, now: Date): SnapshotRec {
  const kmsKeyId = from.encrypted ? kmsArn(s, from.kmsKeyId) : undefined;
  return newSnapshot(s, { volumeId: "vol-ffffffff", volumeSize: from.volumeSize, encrypted: from.encrypted, kmsKeyId }, description, now);
}

/** A completed-on-read snapshot of a volume (CreateSnapshot, CreateSnapshots, CreateImage). */
export function snapshotVolume(s: Ec2State, v: VolumeRec, description: string, now: Date): SnapshotRec {
  return newSnapshot(s, { volumeId: v.id, volumeSize: v.size, encrypted: v.encrypted, kmsKeyId: v.kmsKeyId }, description, now);
}

export function CreateSnapshot(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const v = getVolume(s, required(input, "VolumeId"));
  dryRun(input);
  const x = newSnapshot(s, { volumeId: v.id, volumeSize: v.size, encrypted: v.encrypted, kmsKeyId: v.kmsKeyId }, input.Description ?? "", ctx.now());
  applyTagSpec(s, input, "snapshot", x.id, x);
  return { ...snapshotView(s, x, Infinity), status: "pending", progress: "", completionTime: undefined };
}

export function CreateSnapshots(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const spec = input.InstanceSpecification ?? {};
  const i = getInstance(s, String(spec.InstanceId ?? required({}, "InstanceSpecification.InstanceId")));
  const excluded = new Set(list(spec.ExcludeDataVolumeIds));
  for (const id of excluded) getVolume(s, id);
  dryRun(input);
  const out = [];
  for (const b of instanceBlockDevices(s, i)) {
    if (excluded.has(b.ebs.volumeId) || (spec.ExcludeBootVolume === true && b.deviceName === i.rootDevice)) continue;
    const v = s.volumes.get(b.ebs.volumeId)!;
    const x = newSnapshot(s, { volumeId: v.id, volumeSize: v.size, encrypted: v.encrypted, kmsKeyId: v.kmsKeyId }, input.Description ?? "", ctx.now());
    applyTagSpec(s, input, "snapshot", x.id, x);
    if (input.CopyTagsFromSource === "volume") for (const [k, val] of v.tags) if (!x.tags.has(k)) x.tags.set(k, val);
    const view = snapshotView(s, x, Infinity);
    out.push({
      description: view.description,
      tagSet: tagList(x),
      encrypted: view.encrypted,
      volumeId: v.id,
      state: "pending",
      volumeSize: v.size,
      startTime: x.startTime,
      progress: "",
      ownerId: s.accountId,
      snapshotId: x.id,
    });
  }
  return { snapshotSet: out };
}

export async function CopySnapshot(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const sourceRegion = knownRegion(String(required(input, "SourceRegion")), "sourceRegion");
  const sourceId = required(input, "SourceSnapshotId");
  const src = sourceRegion === s.region ? s : await ctx.stateOf<Ec2State>("ec2", sourceRegion);
  const from = usableSnapshot(src, sourceId);
  if (input.KmsKeyId !== undefined && input.Encrypted !== true)
    throw Ec2Errors.custom("InvalidParameterDependency", "The parameter [KmsKeyId] requires the parameter Encrypted to be set.");
  dryRun(input);
  const encrypted = from.encrypted || input.Encrypted === true || s.ebsEncryptionByDefault;
  const x = newSnapshot(
    s,
    {
      volumeId: "vol-ffffffff",
      volumeSize: from.volumeSize,
      encrypted,
      kmsKeyId: encrypted ? (input.KmsKeyId ? kmsArn(s, input.KmsKeyId) : sourceRegion === s.region && from.kmsKeyId ? from.kmsKeyId : kmsArn(s)) : undefined,
    },
    input.Description ?? `[Copied ${from.id} from ${sourceRegion}]`,
    ctx.now(),
  );
  applyTagSpec(s, input, "snapshot", x.id, x);
  return { snapshotId: x.id, tagSet: x.tags.size ? tagList(x) : undefined };
}

export function DeleteSnapshot(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const x = getSnapshot(s, required(input, "SnapshotId"));
  if (x.ownerId !== s.accountId) throw e("UnauthorizedOperation", "You are not authorized to perform this operation.");
  for (const img of s.images.values())
    if (img.snapshotIds?.includes(x.id)) throw e("InvalidSnapshot.InUse", `The snapshot ${x.id} is currently in use by ${img.id}`);
  dryRun(input);
  dropTags(s, x.id, x);
  s.snapshots.delete(x.id);
  return { return: true };
}

export function DescribeSnapshots(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const delay = ctx.config.transitionDelayMs;
  const ids = list(input.SnapshotIds);
  if (ids.length && input.MaxResults !== undefined)
    throw Ec2Errors.invalidCombination("The parameter snapshotSet cannot be used with the parameter maxResults");
  for (const id of ids) if (!ID("snap").test(id)) throw e("InvalidSnapshotID.Malformed", `Invalid id: "${id}" (expecting "snap-...")`);
  const shared = new Map<string, SnapshotRec>();
  for (const id of ids) {
    const x = s.snapshots.has(id) ? undefined : sharedSnapshot(s, id);
    if (x) shared.set(id, x);
  }
  const missing = ids.filter((id) => !s.snapshots.has(id) && !shared.has(id));
  if (missing.length) throw snapNotFound(missing);
  // Without ids: the account's own snapshots and those other accounts share with it ("all snapshots you have create
  // volume permissions for"), the own ones first.
  let items = ids.length ? [...new Set(ids)].map((id) => s.snapshots.get(id) ?? shared.get(id)!) : [...bySeq(s.snapshots.values()), ...sharedSnapshots(s)];
  const owners = list(input.OwnerIds);
  if (owners.length) items = items.filter((x) => owners.some((o) => (o === "self" ? x.ownerId === s.accountId : o === x.ownerId)));
  const restorable = list(input.RestorableByUserIds);
  if (restorable.length)
    items = items.filter((x) =>
      restorable.some((u) => {
        const who = u === "self" ? s.accountId : u;
        return x.permissions.all || x.ownerId === who || x.permissions.userIds.has(who);
      }),
    );
  const r = select(
    items,
    clampMax(input, 1000),
    {
      description: (x) => x.description,
      encrypted: (x) => String(x.encrypted),
      "owner-alias": () => undefined,
      "owner-id": (x) => x.ownerId,
      progress: (x) => (advance(x, delay) === "completed" ? "100%" : "0%"),
      "snapshot-id": (x) => x.id,
      "start-time": (x) => x.startTime.toISOString(),
      status: (x) => advance(x, delay),
      "storage-tier": (x) => snapshotTier(s, x.id).tier,
      "transfer-type": () => "standard",
      "volume-id": (x) => x.volumeId,
      "volume-size": (x) => x.volumeSize,
      "kms-key-id": (x) => x.kmsKeyId,
    },
    // Another account's snapshot sorts after the own ones (its sequence number is its owner's).
    (x) => (x.ownerId === s.accountId ? seqKey(x) : `~${x.ownerId}|${seqKey(x)}`),
    { paginate: true, min: 5, max: 1000 },
  );
  return { snapshotSet: r.items.map((x) => snapshotView(s, x, delay)), nextToken: r.nextToken };
}

export function DescribeSnapshotAttribute(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const x = getSnapshot(s, required(input, "SnapshotId"));
  const attr = required(input, "Attribute");
  dryRun(input);
  if (attr === "productCodes") return { snapshotId: x.id, productCodes: [] };
  if (attr === "createVolumePermission")
    return {
      snapshotId: x.id,
      createVolumePermission: [...(x.permissions.all ? [{ group: "all" }] : []), ...[...x.permissions.userIds].map((userId) => ({ userId }))],
    };
  throw Ec2Errors.invalidValue(`Value (${attr}) for parameter attribute is invalid. Unknown attribute.`);
}

export function ModifySnapshotAttribute(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const x = getSnapshot(s, required(input, "SnapshotId"));
  if (input.Attribute !== undefined && input.Attribute !== "createVolumePermission")
    throw Ec2Errors.invalidValue(`Value (${input.Attribute}) for parameter attribute is invalid. Only createVolumePermission can be modified.`);
  const perm = input.CreateVolumePermission ?? {};
  const add: Array<{ Group?: string; UserId?: string }> = [...(perm.Add ?? [])];
  const remove: Array<{ Group?: string; UserId?: string }> = [...(perm.Remove ?? [])];
  const flat = [...list(input.UserIds).map((UserId) => ({ UserId })), ...list(input.GroupNames).map((Group) => ({ Group }))];
  if (input.OperationType === "remove") remove.push(...flat);
  else if (flat.length) {
    if (input.OperationType !== "add") throw Ec2Errors.missing("OperationType");
    add.push(...flat);
  }
  if (!add.length && !remove.length) throw Ec2Errors.missing("CreateVolumePermission");
  for (const p of [...add, ...remove]) {
    if (p.Group !== undefined && p.Group !== "all") throw Ec2Errors.invalidValue(`Value (${p.Group}) for parameter group is invalid. Only 'all' is supported.`);
    if (p.UserId !== undefined && !/^\d{12}$/.test(p.UserId)) throw Ec2Errors.invalidValue(`Value (${p.UserId}) for parameter userId is invalid.`);
  }
  if (x.encrypted && add.some((p) => p.Group === "all")) throw Ec2Errors.invalidValue(`Encrypted snapshots with EBS default key cannot be shared`);
  dryRun(input);
  for (const p of add) {
    if (p.Group === "all") x.permissions.all = true;
    if (p.UserId) x.permissions.userIds.add(p.UserId);
  }
  for (const p of remove) {
    if (p.Group === "all") x.permissions.all = false;
    if (p.UserId) x.permissions.userIds.delete(p.UserId);
  }
  return {};
}

export function ResetSnapshotAttribute(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const x = getSnapshot(s, required(input, "SnapshotId"));
  const attr = required(input, "Attribute");
  if (attr !== "createVolumePermission")
    throw Ec2Errors.invalidValue(`Value (${attr}) for parameter attribute is invalid. Only createVolumePermission can be reset.`);
  dryRun(input);
  x.permissions = { userIds: new Set(), all: false };
  return {};
}

// ---------------------------------------------------------------- encryption by default

export function EnableEbsEncryptionByDefault(ctx: Ctx, input: Input) {
  dryRun(input);
  st(ctx).ebsEncryptionByDefault = true;
  return { ebsEncryptionByDefault: true };
}

export function DisableEbsEncryptionByDefault(ctx: Ctx, input: Input) {
  dryRun(input);
  st(ctx).ebsEncryptionByDefault = false;
  return { ebsEncryptionByDefault: false };
}

export function GetEbsEncryptionByDefault(ctx: Ctx, input: Input) {
  dryRun(input);
  return { ebsEncryptionByDefault: st(ctx).ebsEncryptionByDefault, sseType: "sse-ebs" };
}

export function GetEbsDefaultKmsKeyId(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  return { kmsKeyId: s.ebsDefaultKmsKeyId ? kmsArn(s, s.ebsDefaultKmsKeyId) : "alias/aws/ebs" };
}

export function ModifyEbsDefaultKmsKeyId(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const key = required(input, "KmsKeyId");
  dryRun(input);
  s.ebsDefaultKmsKeyId = key;
  return { kmsKeyId: kmsArn(s, key) };
}

export function ResetEbsDefaultKmsKeyId(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  s.ebsDefaultKmsKeyId = undefined;
  return { kmsKeyId: "alias/aws/ebs" };
}
