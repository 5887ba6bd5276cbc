/** File systems and their settings: lifecycle, backup, policy, protection, replication, tags, account preferences. */
import { wholeSecond } from "../core/time.js"; // EFS reports its times in whole seconds
import { randomUUID } from "node:crypto";
import { cpSync, existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { awsManagedKmsKey } from "../core/arn.js";
import { mergeTags } from "../core/tags.js";
import { zonesOf } from "../ec2/common.js";
import { jacksonPretty } from "../ecr/repositories.js";
import type { Ctx } from "../core/types.js";
import {
  E,
  type EfsState,
  efsRoot,
  fsDirectory,
  err,
  type Fs,
  fsArn,
  getFs,
  type Input,
  newId,
  page,
  type Replication,
  removeFsDirectory,
  st,
  type Tag,
} from "./state.js";

const MIN_SIZE = 6144;

/** Bytes under a directory (metered size in execute mode). */
function du(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n += 4096 + du(p);
    else if (e.isFile()) n += statSync(p).size;
  }
  return n;
}

/**
 * A file system as DescribeFileSystems shows it: at least 6 KiB, with the time of the metering that found that
 * size (whole seconds). One being created has not been metered: CreateFileSystem answers 0 without a Timestamp.
 */
export function fsView(s: EfsState, f: Fs, now: Date, creating = false) {
  const root = efsRoot(s);
  const dir = root ? join(root, f.id) : undefined;
  const size = creating ? 0 : Math.max(MIN_SIZE, dir && existsSync(dir) ? du(dir) : 0);
  if (!creating && f.metered?.bytes !== size) f.metered = { at: wholeSecond(now), bytes: size };
  return {
    OwnerId: s.accountId,
    CreationToken: f.token,
    FileSystemId: f.id,
    FileSystemArn: fsArn(s, f.id),
    CreationTime: f.created,
    LifeCycleState: "available",
    Name: f.tags.find((t) => t.Key === "Name")?.Value,
    NumberOfMountTargets: [...s.mts.values()].filter((m) => m.fsId === f.id).length,
    SizeInBytes: { Value: size, Timestamp: creating ? undefined : f.metered?.at, ValueInIA: 0, ValueInStandard: size, ValueInArchive: 0 },
    PerformanceMode: f.performanceMode,
    Encrypted: f.encrypted,
    KmsKeyId: f.kmsKeyId,
    ThroughputMode: f.throughputMode,
    ProvisionedThroughputInMibps: f.provisioned,
    AvailabilityZoneName: f.az,
    AvailabilityZoneId: f.az ? zonesOf(s.region).find((z) => z.name === f.az)?.id : undefined,
    Tags: f.tags,
    FileSystemProtection: { ReplicationOverwriteProtection: f.protection },
  };
}

interface NewFs {
  token: string;
  performanceMode?: string;
  throughputMode?: string;
  provisioned?: number;
  encrypted?: boolean;
  kmsKeyId?: string;
  az?: string;
  backup?: boolean;
  tags?: Tag[];
}

function addFs(ctx: Ctx, s: EfsState, o: NewFs): Fs {
  const f: Fs = {
    id: newId(s, "fs"),
    token: o.token,
    created: wholeSecond(ctx.now()),
    performanceMode: o.performanceMode ?? "generalPurpose",
    throughputMode: o.throughputMode ?? "bursting",
    provisioned: o.throughputMode === "provisioned" ? o.provisioned : undefined,
    encrypted: o.encrypted === true,
    kmsKeyId: o.encrypted ? (o.kmsKeyId ?? awsManagedKmsKey("aws/elasticfilesystem", s.accountId, s.region)) : undefined,
    az: o.az,
    tags: o.tags ?? [],
    lifecycle: [],
    backup: (o.backup ?? o.az !== undefined) ? "ENABLED" : undefined,
    protection: "ENABLED",
  };
  s.fss.set(f.id, f);
  return f;
}

const DAY_MS = 86_400_000;

/**
 * EFS allows one throughput mode change or provisioned throughput decrease in 24 hours; increases are
 * unrestricted (knowledge-center/efs-max-throughput-mode-changes, with AWS's text as quoted in
 * ansible-collections/community.aws#2026: "... Wait until 2023-12-29T12:51:32Z UTC and try again.").
 */
function throttleThroughputChange(f: Fs, now: Date): void {
  if (f.throughputChangedAt && now.getTime() - f.throughputChangedAt.getTime() < DAY_MS) {
    const until = new Date(f.throughputChangedAt.getTime() + DAY_MS).toISOString().replace(/\.\d{3}Z$/, "Z");
    throw err(
      "TooManyRequests",
      `You have reached the maximum number of throughput mode changes or provisioned throughput value decreases. Wait until ${until} UTC and try again.`,
      429,
    );
  }
  f.throughputChangedAt = now;
}

function checkThroughput(mode: string | undefined, provisioned: unknown, performanceMode?: string): void {
  if (mode === "provisioned" && provisioned === undefined) throw E.bad("ProvisionedThroughputInMibps is required when ThroughputMode is provisioned.");
  if (mode !== undefined && mode !== "provisioned" && provisioned !== undefined)
    throw E.bad("ProvisionedThroughputInMibps can only be specified when ThroughputMode is provisioned.");
  if (mode === "elastic" && performanceMode === "maxIO")
    throw E.bad("Elastic throughput mode is not supported for file systems using the Max I/O performance mode.");
}

const LIFECYCLE_ORDER = [
  "AFTER_1_DAY",
  "AFTER_7_DAYS",
  "AFTER_14_DAYS",
  "AFTER_30_DAYS",
  "AFTER_60_DAYS",
  "AFTER_90_DAYS",
  "AFTER_180_DAYS",
  "AFTER_270_DAYS",
  "AFTER_365_DAYS",
];

function checkLifecycle(f: Fs, policies: Array<Record<string, string>>): void {
  const seen = new Set<string>();
  for (const p of policies) {
    const keys = Object.keys(p).filter((k) => p[k] !== undefined);
    // AWS's text when one object names two transitions (cloudposse/terraform-aws-efs#103, aws/aws-cdk#19058).
    if (keys.length !== 1) throw E.bad("One or more LifecyclePolicy objects specified are malformed.");
    if (seen.has(keys[0]!)) throw E.bad(`The LifecyclePolicies array contains more than one ${keys[0]} policy.`);
    seen.add(keys[0]!);
  }
  const ia = policies.find((p) => p.TransitionToIA)?.TransitionToIA;
  const archive = policies.find((p) => p.TransitionToArchive)?.TransitionToArchive;
  if (archive) {
    if (f.throughputMode !== "elastic" || f.performanceMode !== "generalPurpose")
      throw E.bad(
        "The Archive storage class is available only for file systems that use the Elastic throughput mode and the General Purpose performance mode.",
      );
    if (ia && LIFECYCLE_ORDER.indexOf(archive) <= LIFECYCLE_ORDER.indexOf(ia)) throw E.bad("TransitionToArchive must be later than TransitionToIA.");
  }
}

/**
 * Mirror the source file system's directory onto the destination's (when the source has one: execute
 * mode or a data dir). EFS replicates continuously; awsim does it when a replication is created or described.
 */
async function syncReplica(ctx: Ctx, r: Replication): Promise<void> {
  const src = await ctx.stateOf<EfsState>("efs", r.sourceRegion, r.sourceAccount);
  const root = efsRoot(src);
  const from = root ? join(root, r.sourceId) : undefined;
  if (!from || !existsSync(from)) return;
  const dst = await ctx.stateOf<EfsState>("efs", r.dest.region, r.dest.account);
  const to = fsDirectory(dst, r.dest.fsId);
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
  // The source and the destination each keep their own copy of the configuration (they may live in other scopes).
  const at = ctx.now();
  r.lastReplicated = at;
  const a = src.fss.get(r.sourceId)?.replication;
  const b = dst.fss.get(r.dest.fsId)?.replication;
  if (a && a.dest.fsId === r.dest.fsId) a.lastReplicated = at;
  if (b && b.sourceId === r.sourceId) b.lastReplicated = at;
}

function replicationView(r: Replication, status = "ENABLED") {
  return {
    SourceFileSystemId: r.sourceId,
    SourceFileSystemRegion: r.sourceRegion,
    SourceFileSystemArn: fsArn({ region: r.sourceRegion, accountId: r.sourceAccount }, r.sourceId),
    OriginalSourceFileSystemArn: fsArn({ region: r.sourceRegion, accountId: r.sourceAccount }, r.sourceId),
    CreationTime: r.created,
    SourceFileSystemOwnerId: r.sourceAccount,
    Destinations: [
      {
        Status: status,
        FileSystemId: r.dest.fsId,
        Region: r.dest.region,
        OwnerId: r.dest.account,
        RoleArn: r.dest.roleArn,
        LastReplicatedTimestamp: r.lastReplicated,
      },
    ],
  };
}

function tagsOf(s: EfsState, id: unknown): { tags: Tag[] } {
  const raw = String(id ?? "");
  const key = raw.startsWith("arn:") ? (raw.split("/").pop() ?? "") : raw;
  const r = s.fss.get(key) ?? s.aps.get(key);
  if (!r) throw key.startsWith("fsap-") ? E.apNotFound(raw) : E.fsNotFound(raw);
  return r;
}

function checkTags(tags: Tag[]): void {
  for (const t of tags) if (t.Key?.startsWith("aws:")) throw E.bad("Tag keys starting with 'aws:' are reserved.");
}

export const fileSystemOps: Record<string, (ctx: Ctx, v: Input) => unknown> = {
  CreateFileSystem(ctx, v) {
    const s = st(ctx);
    const token = String(v.CreationToken);
    const dup = [...s.fss.values()].find((f) => f.token === token);
    if (dup) throw err("FileSystemAlreadyExists", `File system '${dup.id}' already exists with creation token '${token}'`, 409, { FileSystemId: dup.id });
    checkThroughput(v.ThroughputMode, v.ProvisionedThroughputInMibps, v.PerformanceMode);
    if (v.AvailabilityZoneName && v.PerformanceMode === "maxIO") throw E.bad("One Zone file systems do not support the Max I/O performance mode.");
    if (v.KmsKeyId && v.Encrypted !== true) throw E.bad("KmsKeyId can only be specified for an encrypted file system.");
    checkTags(v.Tags ?? []);
    const f = addFs(ctx, s, {
      token,
      performanceMode: v.PerformanceMode,
      throughputMode: v.ThroughputMode,
      provisioned: v.ProvisionedThroughputInMibps,
      encrypted: v.Encrypted,
      kmsKeyId: v.KmsKeyId,
      az: v.AvailabilityZoneName,
      backup: v.Backup,
      tags: v.Tags,
    });
    return { ...fsView(s, f, ctx.now(), true), LifeCycleState: "creating" };
  },
  DescribeFileSystems(ctx, v) {
    const s = st(ctx);
    if (v.FileSystemId) return { FileSystems: [fsView(s, getFs(s, v.FileSystemId), ctx.now())] };
    const all = [...s.fss.values()].filter((f) => !v.CreationToken || f.token === v.CreationToken).sort((a, b) => (a.id < b.id ? -1 : 1));
    const p = page(all, v.Marker, v.MaxItems, 100, (f) => f.id);
    return { FileSystems: p.items.map((f) => fsView(s, f, ctx.now())), Marker: v.Marker, NextMarker: p.next };
  },
  UpdateFileSystem(ctx, v) {
    const s = st(ctx);
    const f = getFs(s, v.FileSystemId);
    const mode = v.ThroughputMode ?? f.throughputMode;
    checkThroughput(mode, v.ProvisionedThroughputInMibps ?? (mode === "provisioned" ? f.provisioned : undefined), f.performanceMode);
    const provisioned = mode === "provisioned" ? (v.ProvisionedThroughputInMibps ?? f.provisioned) : undefined;
    const restricted = mode !== f.throughputMode || (provisioned !== undefined && f.provisioned !== undefined && provisioned < f.provisioned);
    if (restricted) throttleThroughputChange(f, ctx.now());
    f.throughputMode = mode;
    f.provisioned = provisioned;
    return { ...fsView(s, f, ctx.now()), LifeCycleState: "updating" };
  },
  DeleteFileSystem(ctx, v) {
    const s = st(ctx);
    const f = getFs(s, v.FileSystemId);
    const n = [...s.mts.values()].filter((m) => m.fsId === f.id).length;
    // AWS's text (rebuy-de/aws-nuke#1203, 2024).
    if (n)
      throw err(
        "FileSystemInUse",
        `The file system '${f.id}' cannot be deleted because it has mount targets. You must delete the mount targets, and then try again.`,
        409,
      );
    if (f.replication) throw err("FileSystemInUse", `File system '${f.id}' is part of a replication configuration.`, 409);
    s.fss.delete(f.id);
    for (const [id, a] of s.aps) if (a.fsId === f.id) s.aps.delete(id);
    removeFsDirectory(s, f.id);
    return {};
  },
  PutLifecycleConfiguration(ctx, v) {
    const f = getFs(st(ctx), v.FileSystemId);
    const policies = (v.LifecyclePolicies ?? []) as Array<Record<string, string>>;
    checkLifecycle(f, policies);
    f.lifecycle = policies;
    return { LifecyclePolicies: f.lifecycle };
  },
  DescribeLifecycleConfiguration: (ctx, v) => ({ LifecyclePolicies: getFs(st(ctx), v.FileSystemId).lifecycle }),
  PutBackupPolicy(ctx, v) {
    const f = getFs(st(ctx), v.FileSystemId);
    const status = String(v.BackupPolicy?.Status);
    if (status !== "ENABLED" && status !== "DISABLED") throw E.validation("BackupPolicy Status must be ENABLED or DISABLED.");
    f.backup = status;
    return { BackupPolicy: { Status: f.backup } };
  },
  DescribeBackupPolicy(ctx, v) {
    const f = getFs(st(ctx), v.FileSystemId);
    if (!f.backup) throw err("PolicyNotFound", `No backup policy is associated with file system '${f.id}'.`, 404);
    return { BackupPolicy: { Status: f.backup } };
  },
  PutFileSystemPolicy(ctx, v) {
    const f = getFs(st(ctx), v.FileSystemId);
    let p: unknown;
    try {
      p = JSON.parse(String(v.Policy));
      if (typeof p !== "object" || p === null || !Array.isArray((p as { Statement?: unknown }).Statement ?? [])) throw new Error();
    } catch {
      throw err("InvalidPolicyException", "Policy is not a valid JSON policy document.", 400);
    }
    // EFS keeps and answers the policy re-serialized in the layout ECR uses too (cloud-custodian's recorded
    // PutFileSystemPolicy: "{\n  \"Version\" : \"2012-10-17\",\n  \"Statement\" : [ {\n ..."), not as sent
    f.policy = jacksonPretty(p);
    return { FileSystemId: f.id, Policy: f.policy };
  },
  DescribeFileSystemPolicy(ctx, v) {
    const f = getFs(st(ctx), v.FileSystemId);
    if (!f.policy) throw err("PolicyNotFound", `No file system policy is associated with file system '${f.id}'.`, 404);
    return { FileSystemId: f.id, Policy: f.policy };
  },
  DeleteFileSystemPolicy(ctx, v) {
    getFs(st(ctx), v.FileSystemId).policy = undefined;
    return {};
  },
  UpdateFileSystemProtection(ctx, v) {
    const f = getFs(st(ctx), v.FileSystemId);
    const want = String(v.ReplicationOverwriteProtection ?? f.protection);
    if (f.protection === "REPLICATING" && want !== "REPLICATING")
      // AWS's text (hashicorp/terraform-provider-aws#37790, 2024).
      throw err("ReplicationAlreadyExists", "ReplicationOverwriteProtection cannot be changed while the file system is a replication destination.", 409);
    if (want === "REPLICATING" && f.protection !== "REPLICATING") throw E.bad("ReplicationOverwriteProtection can't be set to REPLICATING.");
    f.protection = want as Fs["protection"];
    return { ReplicationOverwriteProtection: f.protection };
  },
  async CreateReplicationConfiguration(ctx, v) {
    const s = st(ctx);
    const src = getFs(s, v.SourceFileSystemId);
    const dests = (v.Destinations ?? []) as Array<{
      Region?: string;
      AvailabilityZoneName?: string;
      KmsKeyId?: string;
      FileSystemId?: string;
      RoleArn?: string;
    }>;
    if (dests.length !== 1) throw E.validation("Exactly one destination must be specified.");
    if (src.replication || src.protection === "REPLICATING")
      throw err("ConflictException", `File system '${src.id}' is already part of a replication configuration.`, 409);
    const d = dests[0]!;
    const region = d.Region ?? s.region;
    const account = d.RoleArn ? (/^arn:aws[\w-]*:iam::(\d{12}):/.exec(d.RoleArn)?.[1] ?? s.accountId) : s.accountId;
    const ds = await ctx.stateOf<EfsState>("efs", region, account);
    let dest: Fs;
    if (d.FileSystemId) {
      dest = getFs(ds, d.FileSystemId);
      if (dest.id === src.id && ds === s) throw E.validation("The source and destination file systems must be different.");
      if (dest.replication) throw err("ConflictException", `File system '${dest.id}' is already part of a replication configuration.`, 409);
      if (dest.protection !== "DISABLED")
        throw err("ConflictException", `Replication overwrite protection must be disabled on destination file system '${dest.id}'.`, 409);
    } else {
      dest = addFs(ctx, ds, {
        token: randomUUID(),
        performanceMode: src.performanceMode,
        throughputMode: src.throughputMode === "provisioned" ? "bursting" : src.throughputMode,
        encrypted: true,
        kmsKeyId: d.KmsKeyId,
        az: d.AvailabilityZoneName,
        backup: true,
      });
    }
    dest.protection = "REPLICATING";
    const r: Replication = {
      sourceId: src.id,
      sourceRegion: s.region,
      sourceAccount: s.accountId,
      created: wholeSecond(ctx.now()),
      dest: { fsId: dest.id, region, account, roleArn: d.RoleArn },
    };
    src.replication = r;
    dest.replication = structuredClone(r);
    await syncReplica(ctx, r);
    return replicationView(r, "ENABLING");
  },
  async DescribeReplicationConfigurations(ctx, v) {
    const s = st(ctx);
    let all: Replication[];
    if (v.FileSystemId) {
      const f = getFs(s, v.FileSystemId);
      if (!f.replication) throw E.replicationNotFound(f.id);
      all = [f.replication];
    } else {
      // A replication within this scope is held by its source and its destination: listed once.
      const seen = new Map<string, Replication>();
      for (const f of s.fss.values()) if (f.replication) seen.set(`${f.replication.sourceId}|${f.replication.dest.fsId}`, f.replication);
      all = [...seen.values()].sort((a, b) => (a.sourceId < b.sourceId ? -1 : 1));
    }
    const p = page(all, v.NextToken, v.MaxResults, 100, (r) => r.sourceId);
    for (const r of p.items) await syncReplica(ctx, r);
    return { Replications: p.items.map((r) => replicationView(r)), NextToken: p.next };
  },
  async DeleteReplicationConfiguration(ctx, v) {
    const s = st(ctx);
    const f = getFs(s, v.SourceFileSystemId);
    const r = f.replication;
    if (!r) throw E.replicationNotFound(f.id);
    const mode = String(v.DeletionMode ?? "ALL_CONFIGURATIONS");
    const sameScope = r.sourceRegion === r.dest.region && r.sourceAccount === r.dest.account;
    if (mode === "LOCAL_CONFIGURATION_ONLY" && sameScope) throw E.bad("LOCAL_CONFIGURATION_ONLY can't be used for a same-account, same-Region replication.");
    const srcState = await ctx.stateOf<EfsState>("efs", r.sourceRegion, r.sourceAccount);
    const destState = await ctx.stateOf<EfsState>("efs", r.dest.region, r.dest.account);
    const local = mode === "LOCAL_CONFIGURATION_ONLY";
    const src = srcState.fss.get(r.sourceId);
    const dest = destState.fss.get(r.dest.fsId);
    if (src && (!local || srcState === s)) src.replication = undefined;
    if (dest && (!local || destState === s)) {
      dest.replication = undefined;
      dest.protection = "ENABLED";
    }
    return {};
  },
  DescribeAccountPreferences: (ctx) => ({ ResourceIdPreference: { ResourceIdType: st(ctx).idType, Resources: ["FILE_SYSTEM", "MOUNT_TARGET"] } }),
  PutAccountPreferences(ctx, v) {
    const s = st(ctx);
    s.idType = v.ResourceIdType === "SHORT_ID" ? "SHORT_ID" : "LONG_ID";
    return { ResourceIdPreference: { ResourceIdType: s.idType, Resources: ["FILE_SYSTEM", "MOUNT_TARGET"] } };
  },
  TagResource(ctx, v) {
    const r = tagsOf(st(ctx), v.ResourceId);
    checkTags(v.Tags ?? []);
    r.tags = mergeTags(r.tags, v.Tags ?? []);
    return {};
  },
  UntagResource(ctx, v) {
    const r = tagsOf(st(ctx), v.ResourceId);
    const keys = new Set(([] as string[]).concat(v.TagKeys ?? []));
    r.tags = r.tags.filter((t) => !keys.has(t.Key));
    return {};
  },
  ListTagsForResource(ctx, v) {
    const tags = tagsOf(st(ctx), v.ResourceId).tags;
    // Tags list in the order they were added (AWS's documented examples), paged by the next tag's key.
    const p = page(tags, v.NextToken, v.MaxResults, 100, (t) => t.Key, false);
    return { Tags: p.items, NextToken: p.next };
  },
  CreateTags(ctx, v) {
    const f = getFs(st(ctx), v.FileSystemId);
    checkTags(v.Tags ?? []);
    f.tags = mergeTags(f.tags, v.Tags ?? []);
    return {};
  },
  DeleteTags(ctx, v) {
    const f = getFs(st(ctx), v.FileSystemId);
    const keys = new Set<string>(v.TagKeys ?? []);
    f.tags = f.tags.filter((t) => !keys.has(t.Key));
    return {};
  },
  DescribeTags(ctx, v) {
    const f = getFs(st(ctx), v.FileSystemId);
    // "Currently, this number is automatically set to 100, and other values are ignored" (MaxItems).
    const p = page(f.tags, v.Marker, undefined, 100, (t) => t.Key, false);
    return { Marker: v.Marker, Tags: p.items, NextMarker: p.next };
  },
};
