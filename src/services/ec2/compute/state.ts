/**
 * State of the EC2 "compute" area (snapshot locks, archive tiers, fast snapshot restores, import/export,
 * bundle, store and restore tasks, fast launch). It hangs off the account/region's Ec2State as one own
 * property created on first use, so snapshots and persistence copy it with the rest of the EC2 state.
 */
import type { Ctx } from "../../core/types.js";
import type { Ec2State, SubnetRec, Tagged } from "../state.js";

export interface SnapshotLockRec {
  snapshotId: string;
  mode: "governance" | "compliance";
  createdOn: Date;
  /** When the lock duration starts (the snapshot's completion for a pending snapshot). */
  durationStart: Date;
  duration?: number;
  expiresOn: Date;
  coolOffHours?: number;
  coolOffExpiresOn?: Date;
}

export interface SnapshotTierRec {
  snapshotId: string;
  tier: "standard" | "archive";
  lastOperation: string;
  lastStart: Date;
  archivalComplete?: Date;
  restoreExpiry?: Date;
}

export interface FsrRec {
  snapshotId: string;
  az: string;
  azId: string;
  state: string;
  enabling: Date;
  optimizing?: Date;
  enabled?: Date;
  disabling?: Date;
  disabled?: Date;
}

/** One import or export task (ImportImage, ImportSnapshot, ExportImage, CreateInstanceExportTask, ...). */
export interface TaskRec extends Tagged {
  id: string;
  kind: "import-image" | "import-snapshot" | "export-image" | "export-instance" | "bundle" | "conversion";
  status: string;
  statusMessage?: string;
  progress?: string;
  created: Date;
  updated: Date;
  description?: string;
  /** The kind's own fields, in the member names of its output shape. */
  data: Record<string, any>;
}

export interface StoreTaskRec {
  amiId: string;
  bucket: string;
  objectKey: string;
  start: Date;
  state: string;
  /** Date.now() when it started (InProgress until config.transitionDelayMs has passed). */
  since: number;
}

export interface FastLaunchRec {
  imageId: string;
  resourceType: string;
  snapshotConfiguration?: { TargetResourceCount?: number };
  launchTemplate?: { LaunchTemplateId?: string; LaunchTemplateName?: string; Version?: string };
  maxParallelLaunches: number;
  state: string;
  stateTransitionReason: string;
  stateTransitionTime: Date;
}

export interface InstanceOptionsRec {
  hostnameType?: string;
  enableResourceNameDnsARecord?: boolean;
  enableResourceNameDnsAAAARecord?: boolean;
  bandwidthWeighting?: string;
}

export interface EniPermissionRec extends Tagged {
  id: string;
  eniId: string;
  accountId?: string;
  service?: string;
  permission: string;
  state: string;
}

export interface ReplaceRootRec extends Tagged {
  id: string;
  instanceId: string;
  state: string;
  start: Date;
  complete?: Date;
  imageId?: string;
  snapshotId?: string;
  deleteReplaced: boolean;
  oldVolumeId: string;
  newVolumeId: string;
  since: number;
}

export interface FpgaImageRec extends Tagged {
  id: string;
  globalId: string;
  name?: string;
  description?: string;
  state: string;
  message?: string;
  created: Date;
  updated: Date;
  input: { Bucket: string; Key: string };
  loadUsers: Set<string>;
  loadAll: boolean;
  productCodes: string[];
  seq: number;
}

export interface TrunkAssocRec extends Tagged {
  id: string;
  branchId: string;
  trunkId: string;
  protocol: string;
  vlanId?: number;
  greKey?: number;
}

export interface UsageReportRec extends Tagged {
  id: string;
  imageId: string;
  resourceTypes: Array<{ ResourceType: string; ResourceTypeOptions?: Array<{ OptionName: string; OptionValues: string[] }> }>;
  accountIds?: string[];
  created: Date;
  entries: Array<{ ResourceType: string; AccountId: string; UsageCount: number }>;
}

export interface MacTaskRec extends Tagged {
  id: string;
  instanceId: string;
  type: "sip-modification" | "volume-ownership-delegation";
  sip?: Record<string, string>;
  start: Date;
  since: number;
}

/** A secondary network (CreateSecondaryNetwork): one IPv4 CIDR block, type rdma. */
export interface SecondaryNetworkRec extends Tagged {
  id: string;
  seq: number;
  type: string;
  cidr: string;
  assocId: string;
  /** Date.now() at creation: create-in-progress until config.transitionDelayMs has passed. */
  since: number;
  /** Date.now() at deletion: delete-in-progress, then delete-complete (listed for an hour). */
  deletedAt?: number;
  clientToken?: string;
}

/** A secondary subnet of a secondary network, in one zone; `used` holds the host offsets of its interfaces' addresses. */
export interface SecondarySubnetRec extends Tagged {
  id: string;
  seq: number;
  networkId: string;
  cidr: string;
  assocId: string;
  az: string;
  azId: string;
  since: number;
  deletedAt?: number;
  clientToken?: string;
  used: Set<number>;
}

/** A secondary interface, made by RunInstances (SecondaryInterfaces) and deleted with its instance. */
export interface SecondaryInterfaceRec extends Tagged {
  id: string;
  seq: number;
  subnetId: string;
  networkId: string;
  az: string;
  mac: string;
  ips: string[];
  type: string;
  attachment: { id: string; instanceId: string; deviceIndex: number; networkCardIndex: number; attachTime: Date };
}

/** The boot settings RegisterImage gave an AMI (BootMode, TpmSupport, UefiData), carried to its instances and copies. */
export interface FirmwareRec {
  bootMode?: string;
  tpmSupport?: string;
  uefiData?: string;
  /** An AMI made by RegisterImage (or copied from one): DescribeImages shows only the boot settings it was given. */
  registered?: boolean;
  /** RegisterImage's ImdsSupport (v2.0), shown only when given. */
  imdsSupport?: string;
  /** An instance's NitroTPM endorsement keys, made on first request: key type → base64 DER (SubjectPublicKeyInfo) and TPMT_PUBLIC. */
  ek?: Record<string, { der: string; tpmt: string }>;
}

export interface ComputeState {
  /** AMI id → its boot settings */
  imageFirmware: Map<string, FirmwareRec>;
  /** instance id → the boot settings of its AMI and its variable store and TPM keys */
  instanceFirmware: Map<string, FirmwareRec>;
  secondaryNetworks: Map<string, SecondaryNetworkRec>;
  secondarySubnets: Map<string, SecondarySubnetRec>;
  secondaryInterfaces: Map<string, SecondaryInterfaceRec>;
  /** instance id → its secondary interface ids (DescribeInstances reads it per instance) */
  secondaryByInstance: Map<string, string[]>;
  macTasks: Map<string, MacTaskRec>;
  /** AMI id → the AMI it was made from (CreateImage, CopyImage, CreateRestoreImageTask) */
  imageSources: Map<string, { imageId: string; region: string }>;
  usageReports: Map<string, UsageReportRec>;
  trunkAssociations: Map<string, TrunkAssocRec>;
  fpgaImages: Map<string, FpgaImageRec>;
  /** network interface id → public hostname type (ModifyPublicIpDnsNameOptions) */
  eniDnsOptions: Map<string, string>;
  rootTasks: Map<string, ReplaceRootRec>;
  /** instance id → hostname and network performance options */
  instanceOptions: Map<string, InstanceOptionsRec>;
  eniPermissions: Map<string, EniPermissionRec>;
  locks: Map<string, SnapshotLockRec>;
  tiers: Map<string, SnapshotTierRec>;
  /** `${snapshotId} ${az}` → state */
  fsr: Map<string, FsrRec>;
  tasks: Map<string, TaskRec>;
  /** AMI id → its latest store task */
  storeTasks: Map<string, StoreTaskRec>;
  fastLaunch: Map<string, FastLaunchRec>;
}

const KEYS: Array<keyof ComputeState> = [
  "imageFirmware",
  "instanceFirmware",
  "secondaryNetworks",
  "secondarySubnets",
  "secondaryInterfaces",
  "secondaryByInstance",
  "macTasks",
  "imageSources",
  "usageReports",
  "trunkAssociations",
  "fpgaImages",
  "eniDnsOptions",
  "rootTasks",
  "instanceOptions",
  "eniPermissions",
  "locks",
  "tiers",
  "fsr",
  "tasks",
  "storeTasks",
  "fastLaunch",
];

type WithCompute = Ec2State & { computeState?: ComputeState };

export function computeOf(s: Ec2State): ComputeState {
  const w = s as WithCompute;
  const c = (w.computeState ??= {} as ComputeState);
  for (const k of KEYS) c[k] ??= new Map() as never;
  return c;
}

export const cst = (ctx: Ctx): { s: Ec2State; c: ComputeState } => {
  const s = ctx.state<Ec2State>();
  return { s, c: computeOf(s) };
};

/** A tier record as of now: a temporary restore whose period has lapsed is archived again. */
export function tierNow(t: SnapshotTierRec, now = Date.now()): SnapshotTierRec {
  if (t.tier === "standard" && t.restoreExpiry && t.restoreExpiry.getTime() <= now) {
    t.tier = "archive";
    t.lastOperation = "archival-completed";
    t.lastStart = t.restoreExpiry;
    t.archivalComplete = t.restoreExpiry;
    t.restoreExpiry = undefined;
  }
  return t;
}

/** The storage tier a snapshot is in (DescribeSnapshots shows it and filters on it). */
export function snapshotTier(s: Ec2State, id: string): { tier: string; restoreExpiryTime?: Date } {
  const t = (s as WithCompute).computeState?.tiers?.get(id);
  if (!t) return { tier: "standard" };
  tierNow(t);
  return { tier: t.tier, restoreExpiryTime: t.restoreExpiry };
}

/**
 * RunInstances: the hostname and network performance options asked for at launch; what is not asked for comes from
 * the subnet's private DNS name options on launch (ModifySubnetAttribute).
 */
export function setLaunchOptions(s: Ec2State, instanceId: string, input: Record<string, any>, subnet?: SubnetRec): void {
  const dns = input.PrivateDnsNameOptions;
  const perf = input.NetworkPerformanceOptions;
  const fromSubnet = subnet && (subnet.hostnameType !== undefined || subnet.dnsA !== undefined || subnet.dnsAAAA !== undefined);
  if (!dns && !perf && !fromSubnet) return;
  computeOf(s).instanceOptions.set(instanceId, {
    hostnameType: dns?.HostnameType ?? subnet?.hostnameType,
    enableResourceNameDnsARecord: dns?.EnableResourceNameDnsARecord ?? subnet?.dnsA,
    enableResourceNameDnsAAAARecord: dns?.EnableResourceNameDnsAAAARecord ?? subnet?.dnsAAAA,
    bandwidthWeighting: perf?.BandwidthWeighting,
  });
}

/** DescribeInstances: privateDnsNameOptions and networkPerformanceOptions (wire names). */
export function instanceOptionsView(s: Ec2State, instanceId: string) {
  const o = (s as WithCompute).computeState?.instanceOptions?.get(instanceId);
  return {
    privateDnsNameOptions: {
      hostnameType: o?.hostnameType ?? "ip-name",
      enableResourceNameDnsARecord: o?.enableResourceNameDnsARecord ?? false,
      enableResourceNameDnsAAAARecord: o?.enableResourceNameDnsAAAARecord ?? false,
    },
    networkPerformanceOptions: o?.bandwidthWeighting ? { bandwidthWeighting: o.bandwidthWeighting } : undefined,
  };
}

/** DescribeNetworkInterfaces: publicIpDnsNameOptions once ModifyPublicIpDnsNameOptions set a hostname type (wire names). */
export function eniDnsOptionsView(s: Ec2State, eniId: string, publicIp: string | undefined) {
  const type = (s as WithCompute).computeState?.eniDnsOptions?.get(eniId);
  if (!type) return undefined;
  const eni = s.enis.get(eniId);
  const inst = eni?.attachment ? s.instances.get(eni.attachment.instanceId) : undefined;
  const ip = publicIp ?? (inst && inst.eniId === eniId ? inst.publicIp : undefined);
  const host = ip ? `ec2-${ip.replace(/\./g, "-")}` : undefined;
  const domain = s.region === "us-east-1" ? "compute-1.amazonaws.com" : `${s.region}.compute.amazonaws.com`;
  return { dnsHostnameType: type, publicIpv4DnsName: host ? `${host}.${domain}` : undefined };
}

/** CreateImage / CopyImage / CreateRestoreImageTask: remember the source AMI (GetImageAncestry follows it). */
export function recordImageSource(s: Ec2State, imageId: string, sourceImageId: string, sourceRegion: string): void {
  computeOf(s).imageSources.set(imageId, { imageId: sourceImageId, region: sourceRegion });
}

/** DescribeVolumes: whether a volume was created from its snapshot while fast snapshot restore was enabled in its zone. */
export function fastRestored(s: Ec2State, snapshotId: string, az: string, created: Date): boolean {
  const f = (s as WithCompute).computeState?.fsr?.get(`${snapshotId} ${az}`);
  if (!f?.enabled) return false;
  const at = created.getTime();
  return f.enabled.getTime() <= at && (!f.disabled || f.disabled.getTime() > at);
}

/** RunInstances: a new instance gets its AMI's boot settings and its own copy of the variable store. */
export function launchFirmware(s: Ec2State, instanceId: string, imageId: string): void {
  const f = (s as WithCompute).computeState?.imageFirmware?.get(imageId);
  if (f && (f.bootMode || f.tpmSupport || f.uefiData))
    computeOf(s).instanceFirmware.set(instanceId, { bootMode: f.bootMode, tpmSupport: f.tpmSupport, uefiData: f.uefiData });
}

/** DescribeInstances: bootMode, currentInstanceBootMode and tpmSupport of an instance launched from a registered AMI (undefined otherwise). */
export function instanceFirmwareView(s: Ec2State, instanceId: string): { bootMode: string; current: string; tpmSupport?: string } | undefined {
  const f = (s as WithCompute).computeState?.instanceFirmware?.get(instanceId);
  if (!f) return undefined;
  const bootMode = f.bootMode ?? "uefi-preferred";
  return { bootMode, current: bootMode === "uefi" || f.tpmSupport ? "uefi" : "legacy-bios", tpmSupport: f.tpmSupport };
}
