/**
 * EFS (REST-JSON, 2015-02-01): file systems (CreationToken idempotency), mount targets (one per zone,
 * subnets checked against EC2), access points, lifecycle / backup / file-system policies, tags (both tag
 * APIs). Lifecycle states reach "available" at once. Nothing is mounted: by design there is no NFS server.
 */
import { AwsError } from "../../protocols/aws-error.js";
import { ec2Id } from "../core/ids.js";
import { mergeTags } from "../core/tags.js";
import { rawResponse, type Ctx, type RestRoute, type ServiceDefinition } from "../core/types.js";

type Input = Record<string, any>;
type Tag = { Key: string; Value: string };

interface Fs {
  id: string;
  token: string;
  created: Date;
  performanceMode: string;
  throughputMode: string;
  provisioned?: number;
  encrypted: boolean;
  kmsKeyId?: string;
  az?: string;
  tags: Tag[];
  lifecycle: unknown[];
  backup: string;
  policy?: string;
}
interface Mt {
  id: string;
  fsId: string;
  subnetId: string;
  vpcId?: string;
  az?: string;
  ip: string;
  eni: string;
  groups: string[];
}
interface Ap {
  id: string;
  fsId: string;
  token: string;
  name?: string;
  tags: Tag[];
  posixUser?: unknown;
  rootDirectory?: unknown;
}
interface EfsState {
  accountId: string;
  region: string;
  fss: Map<string, Fs>;
  mts: Map<string, Mt>;
  aps: Map<string, Ap>;
}

const err = (code: string, message: string, status: number) => new AwsError(code, message, status, { extra: { ErrorCode: code } });
const E = {
  fsNotFound: (id: string) => err("FileSystemNotFound", `File system '${id}' does not exist.`, 404),
  mtNotFound: (id: string) => err("MountTargetNotFound", `Mount target '${id}' does not exist.`, 404),
  apNotFound: (id: string) => err("AccessPointNotFound", `Access point '${id}' does not exist.`, 404),
  bad: (m: string) => err("BadRequest", m, 400),
};

const st = (ctx: Ctx) => ctx.state<EfsState>();
const fsArn = (s: EfsState, id: string) => `arn:aws:elasticfilesystem:${s.region}:${s.accountId}:file-system/${id}`;

function getFs(s: EfsState, id: string): Fs {
  const f = s.fss.get(id);
  if (!f) throw E.fsNotFound(id);
  return f;
}

function fsView(s: EfsState, f: Fs) {
  const mts = [...s.mts.values()].filter((m) => m.fsId === f.id).length;
  return {
    OwnerId: s.accountId,
    CreationToken: f.token,
    FileSystemId: f.id,
    FileSystemArn: fsArn(s, f.id),
    CreationTime: f.created,
    LifeCycleState: "available",
    Name: f.tags.find((t) => t.Key === "Name")?.Value,
    NumberOfMountTargets: mts,
    SizeInBytes: { Value: 6144, ValueInIA: 0, ValueInStandard: 6144, ValueInArchive: 0 },
    PerformanceMode: f.performanceMode,
    Encrypted: f.encrypted,
    KmsKeyId: f.kmsKeyId,
    ThroughputMode: f.throughputMode,
    ProvisionedThroughputInMibps: f.provisioned,
    AvailabilityZoneName: f.az,
    Tags: f.tags,
    FileSystemProtection: { ReplicationOverwriteProtection: "ENABLED" },
  };
}

function page<T>(items: T[], v: Input, key: (t: T) => string) {
  const max = Number(v.MaxItems ?? v.MaxResults ?? 100);
  const start = (v.Marker ?? v.NextToken) ? items.findIndex((x) => key(x) > Buffer.from(String(v.Marker ?? v.NextToken), "base64url").toString()) : 0;
  const s = start < 0 ? items.length : start;
  const out = items.slice(s, s + max);
  return { items: out, next: s + max < items.length ? Buffer.from(key(out[out.length - 1]!)).toString("base64url") : undefined };
}

function CreateFileSystem(ctx: Ctx, v: Input) {
  const s = st(ctx);
  const token = String(v.CreationToken ?? "");
  if (!token) throw E.bad("CreationToken is required");
  const dup = [...s.fss.values()].find((f) => f.token === token);
  if (dup)
    throw new AwsError("FileSystemAlreadyExists", "File system already exists with creation token " + token, 409, {
      extra: { ErrorCode: "FileSystemAlreadyExists", FileSystemId: dup.id },
    });
  const mode = String(v.ThroughputMode ?? "elastic");
  if (mode === "provisioned" && !v.ProvisionedThroughputInMibps) throw E.bad("ProvisionedThroughputInMibps is required when ThroughputMode is provisioned");
  const f: Fs = {
    id: ec2Id("fs"),
    token,
    created: ctx.now(),
    performanceMode: String(v.PerformanceMode ?? "generalPurpose"),
    throughputMode: mode,
    provisioned: v.ProvisionedThroughputInMibps,
    encrypted: v.Encrypted === true,
    kmsKeyId: v.Encrypted ? (v.KmsKeyId ?? `arn:aws:kms:${s.region}:${s.accountId}:key/${crypto.randomUUID()}`) : undefined,
    az: v.AvailabilityZoneName,
    tags: v.Tags ?? [],
    lifecycle: [],
    backup: v.Backup ? "ENABLED" : "DISABLED",
  };
  s.fss.set(f.id, f);
  return { ...fsView(s, f), LifeCycleState: "creating" };
}

function DescribeFileSystems(ctx: Ctx, v: Input) {
  const s = st(ctx);
  if (v.FileSystemId) return { FileSystems: [fsView(s, getFs(s, v.FileSystemId))] };
  const all = [...s.fss.values()].filter((f) => !v.CreationToken || f.token === v.CreationToken).sort((a, b) => (a.id < b.id ? -1 : 1));
  const p = page(all, v, (f) => f.id);
  return { FileSystems: p.items.map((f) => fsView(s, f)), Marker: v.Marker, NextMarker: p.next };
}

function UpdateFileSystem(ctx: Ctx, v: Input) {
  const s = st(ctx);
  const f = getFs(s, v.FileSystemId);
  if (v.ThroughputMode) f.throughputMode = v.ThroughputMode;
  if (v.ProvisionedThroughputInMibps !== undefined) f.provisioned = v.ProvisionedThroughputInMibps;
  return rawResponse({
    status: 202,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...fsView(s, f), CreationTime: f.created.getTime() / 1000 }),
  });
}

function DeleteFileSystem(ctx: Ctx, v: Input) {
  const s = st(ctx);
  const f = getFs(s, v.FileSystemId);
  const n = [...s.mts.values()].filter((m) => m.fsId === f.id).length;
  if (n) throw err("FileSystemInUse", `File system '${f.id}' still has ${n} mount targets.`, 409);
  s.fss.delete(f.id);
  for (const [id, a] of s.aps) if (a.fsId === f.id) s.aps.delete(id);
  return rawResponse({ status: 204, headers: {} });
}

function mtView(s: EfsState, m: Mt) {
  return {
    OwnerId: s.accountId,
    MountTargetId: m.id,
    FileSystemId: m.fsId,
    SubnetId: m.subnetId,
    LifeCycleState: "available",
    IpAddress: m.ip,
    NetworkInterfaceId: m.eni,
    AvailabilityZoneName: m.az,
    VpcId: m.vpcId,
  };
}

async function CreateMountTarget(ctx: Ctx, v: Input) {
  const s = st(ctx);
  const f = getFs(s, v.FileSystemId);
  const ec2 = await ctx.stateOf<{ subnets: Map<string, { id: string; vpcId: string; az: string; cidr: string }> }>("ec2");
  const sub = ec2.subnets.get(String(v.SubnetId));
  if (!sub) throw err("SubnetNotFound", `The subnet ID '${v.SubnetId}' does not exist`, 400);
  const others = [...s.mts.values()].filter((m) => m.fsId === f.id);
  if (others.some((m) => m.az === sub.az)) throw err("MountTargetConflict", "mount target already exists in this AZ", 409);
  if (others.some((m) => m.vpcId !== sub.vpcId)) throw err("MountTargetConflict", "All mount targets of a file system must be in the same VPC", 409);
  const base = sub.cidr.split("/")[0]!.split(".").map(Number);
  const m: Mt = {
    id: ec2Id("fsmt"),
    fsId: f.id,
    subnetId: sub.id,
    vpcId: sub.vpcId,
    az: sub.az,
    ip: v.IpAddress ?? `${base[0]}.${base[1]}.${base[2]}.${10 + others.length}`,
    eni: ec2Id("eni"),
    groups: v.SecurityGroups ?? [],
  };
  s.mts.set(m.id, m);
  return { ...mtView(s, m), LifeCycleState: "creating" };
}

function DescribeMountTargets(ctx: Ctx, v: Input) {
  const s = st(ctx);
  if (v.MountTargetId) {
    const m = s.mts.get(v.MountTargetId);
    if (!m) throw E.mtNotFound(v.MountTargetId);
    return { MountTargets: [mtView(s, m)] };
  }
  if (!v.FileSystemId && !v.AccessPointId) throw E.bad("FileSystemId, MountTargetId or AccessPointId is required");
  const fsId = v.FileSystemId ?? s.aps.get(v.AccessPointId)?.fsId;
  if (v.FileSystemId) getFs(s, v.FileSystemId);
  const p = page(
    [...s.mts.values()].filter((m) => m.fsId === fsId),
    v,
    (m) => m.id,
  );
  return { MountTargets: p.items.map((m) => mtView(s, m)), Marker: v.Marker, NextMarker: p.next };
}

function getMt(s: EfsState, id: string) {
  const m = s.mts.get(id);
  if (!m) throw E.mtNotFound(id);
  return m;
}

function DeleteMountTarget(ctx: Ctx, v: Input) {
  const s = st(ctx);
  s.mts.delete(getMt(s, v.MountTargetId).id);
  return rawResponse({ status: 204, headers: {} });
}

const DescribeMountTargetSecurityGroups = (ctx: Ctx, v: Input) => ({ SecurityGroups: getMt(st(ctx), v.MountTargetId).groups });
function ModifyMountTargetSecurityGroups(ctx: Ctx, v: Input) {
  getMt(st(ctx), v.MountTargetId).groups = v.SecurityGroups ?? [];
  return rawResponse({ status: 204, headers: {} });
}

function apView(s: EfsState, a: Ap) {
  return {
    ClientToken: a.token,
    Name: a.tags.find((t) => t.Key === "Name")?.Value,
    Tags: a.tags,
    AccessPointId: a.id,
    AccessPointArn: `arn:aws:elasticfilesystem:${s.region}:${s.accountId}:access-point/${a.id}`,
    FileSystemId: a.fsId,
    PosixUser: a.posixUser,
    RootDirectory: a.rootDirectory ?? { Path: "/" },
    OwnerId: s.accountId,
    LifeCycleState: "available",
  };
}

function CreateAccessPoint(ctx: Ctx, v: Input) {
  const s = st(ctx);
  getFs(s, v.FileSystemId);
  const a: Ap = {
    id: ec2Id("fsap"),
    fsId: v.FileSystemId,
    token: String(v.ClientToken ?? ""),
    tags: v.Tags ?? [],
    posixUser: v.PosixUser,
    rootDirectory: v.RootDirectory,
  };
  s.aps.set(a.id, a);
  return apView(s, a);
}

function DescribeAccessPoints(ctx: Ctx, v: Input) {
  const s = st(ctx);
  if (v.AccessPointId) {
    const a = s.aps.get(v.AccessPointId);
    if (!a) throw E.apNotFound(v.AccessPointId);
    return { AccessPoints: [apView(s, a)] };
  }
  if (v.FileSystemId) getFs(s, v.FileSystemId);
  const p = page(
    [...s.aps.values()].filter((a) => !v.FileSystemId || a.fsId === v.FileSystemId),
    v,
    (a) => a.id,
  );
  return { AccessPoints: p.items.map((a) => apView(s, a)), NextToken: p.next };
}

function DeleteAccessPoint(ctx: Ctx, v: Input) {
  const s = st(ctx);
  if (!s.aps.delete(v.AccessPointId)) throw E.apNotFound(v.AccessPointId);
  return rawResponse({ status: 204, headers: {} });
}

function PutLifecycleConfiguration(ctx: Ctx, v: Input) {
  const f = getFs(st(ctx), v.FileSystemId);
  f.lifecycle = v.LifecyclePolicies ?? [];
  return { LifecyclePolicies: f.lifecycle };
}
const DescribeLifecycleConfiguration = (ctx: Ctx, v: Input) => ({ LifecyclePolicies: getFs(st(ctx), v.FileSystemId).lifecycle });
function PutBackupPolicy(ctx: Ctx, v: Input) {
  const f = getFs(st(ctx), v.FileSystemId);
  f.backup = v.BackupPolicy?.Status ?? "DISABLED";
  return { BackupPolicy: { Status: f.backup } };
}
const DescribeBackupPolicy = (ctx: Ctx, v: Input) => ({ BackupPolicy: { Status: getFs(st(ctx), v.FileSystemId).backup } });
function PutFileSystemPolicy(ctx: Ctx, v: Input) {
  const f = getFs(st(ctx), v.FileSystemId);
  try {
    JSON.parse(String(v.Policy));
  } catch {
    throw err("InvalidPolicyException", "Policy is not valid JSON", 400);
  }
  f.policy = String(v.Policy);
  return { FileSystemId: f.id, Policy: f.policy };
}
function DescribeFileSystemPolicy(ctx: Ctx, v: Input) {
  const f = getFs(st(ctx), v.FileSystemId);
  if (!f.policy) throw err("PolicyNotFound", "No file system policy is set.", 404);
  return { FileSystemId: f.id, Policy: f.policy };
}
function DeleteFileSystemPolicy(ctx: Ctx, v: Input) {
  getFs(st(ctx), v.FileSystemId).policy = undefined;
  return {};
}

function taggable(s: EfsState, id: string): { tags: Tag[] } {
  const r = s.fss.get(id) ?? s.aps.get(id);
  if (!r) throw id.startsWith("fsap-") ? E.apNotFound(id) : E.fsNotFound(id);
  return r;
}
function merge(r: { tags: Tag[] }, tags: Tag[]) {
  r.tags = mergeTags(r.tags, tags);
}
function TagResource(ctx: Ctx, v: Input) {
  merge(taggable(st(ctx), v.ResourceId), v.Tags ?? []);
  return {};
}
function UntagResource(ctx: Ctx, v: Input) {
  const r = taggable(st(ctx), v.ResourceId);
  const keys = new Set(([] as string[]).concat(v.tagKeys ?? []));
  r.tags = r.tags.filter((t) => !keys.has(t.Key));
  return {};
}
const ListTagsForResource = (ctx: Ctx, v: Input) => ({ Tags: taggable(st(ctx), v.ResourceId).tags });
function CreateTags(ctx: Ctx, v: Input) {
  merge(getFs(st(ctx), v.FileSystemId), v.Tags ?? []);
  return rawResponse({ status: 204, headers: {} });
}
function DeleteTags(ctx: Ctx, v: Input) {
  const f = getFs(st(ctx), v.FileSystemId);
  const keys = new Set<string>(v.TagKeys ?? []);
  f.tags = f.tags.filter((t) => !keys.has(t.Key));
  return rawResponse({ status: 204, headers: {} });
}
const DescribeTags = (ctx: Ctx, v: Input) => ({ Tags: getFs(st(ctx), v.FileSystemId).tags });

const P = "/2015-02-01";
const routes: RestRoute[] = [
  { method: "POST", path: `${P}/file-systems`, operation: "CreateFileSystem", status: 201 },
  { method: "GET", path: `${P}/file-systems`, operation: "DescribeFileSystems" },
  { method: "PUT", path: `${P}/file-systems/{FileSystemId}`, operation: "UpdateFileSystem", status: 202 },
  { method: "DELETE", path: `${P}/file-systems/{FileSystemId}`, operation: "DeleteFileSystem", status: 204 },
  { method: "PUT", path: `${P}/file-systems/{FileSystemId}/lifecycle-configuration`, operation: "PutLifecycleConfiguration" },
  { method: "GET", path: `${P}/file-systems/{FileSystemId}/lifecycle-configuration`, operation: "DescribeLifecycleConfiguration" },
  { method: "PUT", path: `${P}/file-systems/{FileSystemId}/backup-policy`, operation: "PutBackupPolicy" },
  { method: "GET", path: `${P}/file-systems/{FileSystemId}/backup-policy`, operation: "DescribeBackupPolicy" },
  { method: "PUT", path: `${P}/file-systems/{FileSystemId}/policy`, operation: "PutFileSystemPolicy" },
  { method: "GET", path: `${P}/file-systems/{FileSystemId}/policy`, operation: "DescribeFileSystemPolicy" },
  { method: "DELETE", path: `${P}/file-systems/{FileSystemId}/policy`, operation: "DeleteFileSystemPolicy" },
  { method: "POST", path: `${P}/mount-targets`, operation: "CreateMountTarget" },
  { method: "GET", path: `${P}/mount-targets`, operation: "DescribeMountTargets" },
  { method: "DELETE", path: `${P}/mount-targets/{MountTargetId}`, operation: "DeleteMountTarget", status: 204 },
  { method: "GET", path: `${P}/mount-targets/{MountTargetId}/security-groups`, operation: "DescribeMountTargetSecurityGroups" },
  { method: "PUT", path: `${P}/mount-targets/{MountTargetId}/security-groups`, operation: "ModifyMountTargetSecurityGroups", status: 204 },
  { method: "POST", path: `${P}/access-points`, operation: "CreateAccessPoint" },
  { method: "GET", path: `${P}/access-points`, operation: "DescribeAccessPoints" },
  { method: "DELETE", path: `${P}/access-points/{AccessPointId}`, operation: "DeleteAccessPoint", status: 204 },
  { method: "POST", path: `${P}/resource-tags/{ResourceId}`, operation: "TagResource" },
  { method: "DELETE", path: `${P}/resource-tags/{ResourceId}`, operation: "UntagResource" },
  { method: "GET", path: `${P}/resource-tags/{ResourceId}`, operation: "ListTagsForResource" },
  { method: "POST", path: `${P}/create-tags/{FileSystemId}`, operation: "CreateTags", status: 204 },
  { method: "POST", path: `${P}/delete-tags/{FileSystemId}`, operation: "DeleteTags", status: 204 },
  { method: "GET", path: `${P}/tags/{FileSystemId}`, operation: "DescribeTags" },
];

const efs: ServiceDefinition<EfsState> = {
  name: "efs",
  protocol: "rest-json",
  routes,
  createState: ({ accountId, region }) => ({ accountId, region, fss: new Map(), mts: new Map(), aps: new Map() }),
  counts: (s) => ({ fileSystems: s.fss.size, mountTargets: s.mts.size, accessPoints: s.aps.size }),
  operations: {
    CreateFileSystem,
    DescribeFileSystems,
    UpdateFileSystem,
    DeleteFileSystem,
    CreateMountTarget,
    DescribeMountTargets,
    DeleteMountTarget,
    DescribeMountTargetSecurityGroups,
    ModifyMountTargetSecurityGroups,
    CreateAccessPoint,
    DescribeAccessPoints,
    DeleteAccessPoint,
    PutLifecycleConfiguration,
    DescribeLifecycleConfiguration,
    PutBackupPolicy,
    DescribeBackupPolicy,
    PutFileSystemPolicy,
    DescribeFileSystemPolicy,
    DeleteFileSystemPolicy,
    TagResource,
    UntagResource,
    ListTagsForResource,
    CreateTags,
    DeleteTags,
    DescribeTags,
  },
};

export default efs;
