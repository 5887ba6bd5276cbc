/**
 * More instance, interface and volume operations on the records of ec2/state.ts: hostname options and
 * bandwidth weighting (DescribeInstances shows both), status reports and diagnostic interrupts (running
 * instances only), network interface permissions (granted at once, gone when deleted), root volume
 * replacement (from the launch state, a snapshot of the root volume, or an AMI: a new root volume is
 * attached and the old one detached or deleted), volume copies and EnableVolumeIO.
 */
import { createHash } from "node:crypto";
import { paginate } from "../../core/paginate.js";
import type { Ctx } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { applyTagSpec, dryRun, list, required, select, st, tagsOf, zonesOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { ensureImage, imageDevices } from "../images.js";
import { stateOf } from "../instances.js";
import { typesFor } from "../fleets/engine.js";
import { INSTANCE_TYPES } from "../misc.js";
import type { Ec2State, InstanceRec } from "../state.js";
import { getSnapshot, getVolume, newVolume, removeVolume, volumeView } from "../volumes.js";
import { eniNamed, instancesNamed } from "./instances.js";
import { computeOf, cst, type EniPermissionRec, type MacTaskRec, type ReplaceRootRec, type TrunkAssocRec } from "./state.js";

const e = Ec2Errors.custom;

function liveInstance(ctx: Ctx, s: Ec2State, id: string): InstanceRec {
  const [i] = instancesNamed(s, [id]);
  if (stateOf(i!, ctx.config.transitionDelayMs) === "terminated") throw Ec2Errors.notFound("Instance", "instance", [id]);
  return i!;
}

// ---------------------------------------------------------------- hostname and network performance options

export function ModifyPrivateDnsNameOptions(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const i = liveInstance(ctx, s, required(input, "InstanceId"));
  if (input.PrivateDnsHostnameType === undefined && input.EnableResourceNameDnsARecord === undefined && input.EnableResourceNameDnsAAAARecord === undefined)
    throw Ec2Errors.missing("PrivateDnsHostnameType");
  if (input.EnableResourceNameDnsAAAARecord === true && !s.enis.get(i.eniId)?.ipv6Ips.length && !s.subnets.get(i.subnetId)?.ipv6)
    throw Ec2Errors.invalidValue(`DNS AAAA records can't be enabled for instance ${i.id}: its subnet has no IPv6 CIDR block.`);
  dryRun(input);
  const c = computeOf(s);
  const o = c.instanceOptions.get(i.id) ?? {};
  if (input.PrivateDnsHostnameType !== undefined) o.hostnameType = input.PrivateDnsHostnameType;
  if (input.EnableResourceNameDnsARecord !== undefined) o.enableResourceNameDnsARecord = input.EnableResourceNameDnsARecord === true;
  if (input.EnableResourceNameDnsAAAARecord !== undefined) o.enableResourceNameDnsAAAARecord = input.EnableResourceNameDnsAAAARecord === true;
  c.instanceOptions.set(i.id, o);
  return { Return: true };
}

export function ModifyInstanceNetworkPerformanceOptions(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const i = liveInstance(ctx, s, required(input, "InstanceId"));
  const weighting = required(input, "BandwidthWeighting");
  dryRun(input);
  const c = computeOf(s);
  c.instanceOptions.set(i.id, { ...c.instanceOptions.get(i.id), bandwidthWeighting: weighting });
  return { InstanceId: i.id, BandwidthWeighting: weighting };
}

export function ModifyPublicIpDnsNameOptions(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const eni = eniNamed(s, required(input, "NetworkInterfaceId"));
  const type = required(input, "HostnameType");
  if (type !== "public-ipv4-dns-name" && !eni.ipv6Ips.length)
    throw Ec2Errors.invalidValue(`The hostname type ${type} requires an IPv6 address on network interface ${eni.id}.`);
  dryRun(input);
  computeOf(s).eniDnsOptions.set(eni.id, type);
  return { Successful: true };
}

// ---------------------------------------------------------------- status reports and diagnostic interrupts

export function ReportInstanceStatus(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const targets = instancesNamed(s, list(input.Instances));
  for (const i of targets)
    if (stateOf(i, ctx.config.transitionDelayMs) !== "running") throw e("IncorrectInstanceState", `The instance '${i.id}' is not in the 'running' state.`);
  if (input.StartTime && input.EndTime && input.EndTime.getTime() < input.StartTime.getTime())
    throw Ec2Errors.invalidValue("The end time must be after the start time.");
  dryRun(input);
  return { Return: true };
}

export function SendDiagnosticInterrupt(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const i = liveInstance(ctx, s, required(input, "InstanceId"));
  if (stateOf(i, ctx.config.transitionDelayMs) !== "running") throw e("IncorrectInstanceState", `The instance '${i.id}' is not in the 'running' state.`);
  dryRun(input);
  return {};
}

// ---------------------------------------------------------------- network interface permissions

// The code Terraform's aws_network_interface_permission (acceptance-tested against AWS) reads as "gone", for
// Describe (its destroy waiter polls until it) and Delete alike.
const permNotFound = (id: string) => e("InvalidPermissionID.NotFound", `The network interface permission ID '${id}' does not exist`);

const permView = (p: EniPermissionRec) => ({
  NetworkInterfacePermissionId: p.id,
  NetworkInterfaceId: p.eniId,
  AwsAccountId: p.accountId,
  AwsService: p.service,
  Permission: p.permission,
  // Upper case, as AWS answers it (CLI example create-network-interface-permission: "GRANTED"; Terraform's
  // aws_network_interface_permission waits for GRANTED), though the model's enum is lower case.
  PermissionState: { State: p.state.toUpperCase() },
});

export function CreateNetworkInterfacePermission(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const eni = eniNamed(s, required(input, "NetworkInterfaceId"));
  const account = input.AwsAccountId as string | undefined;
  if ((account === undefined) === (input.AwsService === undefined))
    throw Ec2Errors.invalidCombination("Specify either AwsAccountId or AwsService, but not both.");
  if (input.AwsService !== undefined) throw Ec2Errors.invalidValue("The parameter AwsService is not supported.");
  if (!/^\d{12}$/.test(String(account))) throw Ec2Errors.invalidValue(`Value (${account}) for parameter awsAccountId is invalid.`);
  const permission = required(input, "Permission");
  if ([...c.eniPermissions.values()].some((p) => p.eniId === eni.id && p.accountId === account && p.permission === permission))
    throw e("InvalidPermission.Duplicate", `The permission '${permission}' for account '${account}' already exists on network interface '${eni.id}'.`);
  dryRun(input);
  const p: EniPermissionRec = { id: ec2Id("eni-perm"), eniId: eni.id, accountId: account, permission, state: "granted", tags: new Map() };
  c.eniPermissions.set(p.id, p);
  return { InterfacePermission: permView(p) };
}

export function DeleteNetworkInterfacePermission(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const id = required(input, "NetworkInterfacePermissionId");
  const p = c.eniPermissions.get(id);
  if (!p) throw permNotFound(id);
  const eni = s.enis.get(p.eniId);
  const owner = eni?.attachment ? s.instances.get(eni.attachment.instanceId) : undefined;
  if (p.permission === "INSTANCE-ATTACH" && eni?.attachment && !owner && input.Force !== true)
    throw e(
      "OperationNotPermitted",
      `The network interface ${p.eniId} is attached to an instance of account ${p.accountId}; use Force to remove the permission.`,
    );
  dryRun(input);
  c.eniPermissions.delete(id);
  return { Return: true };
}

export function DescribeNetworkInterfacePermissions(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  for (const [id, p] of c.eniPermissions) if (!s.enis.has(p.eniId)) c.eniPermissions.delete(id);
  const ids = list(input.NetworkInterfacePermissionIds);
  for (const id of ids) if (!c.eniPermissions.has(id)) throw permNotFound(id);
  const items = ids.length ? [...new Set(ids)].map((id) => c.eniPermissions.get(id)!) : [...c.eniPermissions.values()];
  // "If this parameter is not specified, up to 50 results are returned by default."
  const r = select(
    items,
    { ...input, MaxResults: input.MaxResults ?? (ids.length ? undefined : 50) },
    {
      "network-interface-permission.network-interface-permission-id": (p) => p.id,
      "network-interface-permission.network-interface-id": (p) => p.eniId,
      "network-interface-permission.aws-account-id": (p) => p.accountId,
      "network-interface-permission.aws-service": (p) => p.service,
      "network-interface-permission.permission": (p) => p.permission,
    },
    (p) => p.id,
    { paginate: true, min: 5, max: 255 },
  );
  return { NetworkInterfacePermissions: r.items.map(permView), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- volumes

export function EnableVolumeIO(ctx: Ctx, input: Input) {
  const s = st(ctx);
  getVolume(s, required(input, "VolumeId"));
  dryRun(input);
  return { Return: true };
}

export function CopyVolumes(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const src = getVolume(s, required(input, "SourceVolumeId"));
  if (input.Size !== undefined && input.Size < src.size)
    throw Ec2Errors.invalidValue(
      `The size of the volume copy (${input.Size} GiB) must be equal to or greater than the size of the source volume (${src.size} GiB).`,
    );
  const spec = {
    size: input.Size ?? src.size,
    type: input.VolumeType ?? "gp2",
    iops: input.Iops,
    throughput: input.Throughput,
    encrypted: src.encrypted || undefined,
    kmsKeyId: src.encrypted ? src.kmsKeyId : undefined,
    multiAttach: input.MultiAttachEnabled,
  };
  dryRun(input);
  const v = newVolume(s, src.az, spec, ctx.now());
  v.sourceVolumeId = src.id;
  applyTagSpec(s, input, "volume", v.id, v);
  return { Volumes: [{ ...volumeView(s, v, Number.POSITIVE_INFINITY), status: "creating" }] };
}

// ---------------------------------------------------------------- root volume replacement

const rootView = (t: ReplaceRootRec, delay: number) => {
  const done = Date.now() - t.since >= delay;
  return {
    ReplaceRootVolumeTaskId: t.id,
    InstanceId: t.instanceId,
    TaskState: done ? t.state : "in-progress",
    StartTime: t.start.toISOString(),
    CompleteTime: done ? t.complete?.toISOString() : undefined,
    Tags: tagsOf(t),
    ImageId: t.imageId,
    SnapshotId: t.snapshotId,
    DeleteReplacedRootVolume: t.deleteReplaced,
  };
};

export function CreateReplaceRootVolumeTask(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const i = liveInstance(ctx, s, required(input, "InstanceId"));
  if (stateOf(i, ctx.config.transitionDelayMs) !== "running") throw e("IncorrectInstanceState", `The instance '${i.id}' is not in the 'running' state.`);
  if (input.SnapshotId !== undefined && input.ImageId !== undefined)
    throw Ec2Errors.invalidCombination("The parameters SnapshotId and ImageId can't be used together.");
  const oldRoot = i.volumeIds.map((id) => s.volumes.get(id)).find((v) => v?.attachments.some((a) => a.instanceId === i.id && a.device === i.rootDevice));
  if (!oldRoot) throw e("IncorrectState", `The instance '${i.id}' has no root volume attached.`);
  const snap = input.SnapshotId !== undefined ? getSnapshot(s, String(input.SnapshotId)) : undefined;
  // The snapshot must be of a root volume the instance has had (the current one or one an earlier task replaced);
  // AWS's message as quoted from a real CreateReplaceRootVolumeTask.
  const pastRoots = new Set([oldRoot.id, ...[...c.rootTasks.values()].filter((t) => t.instanceId === i.id).map((t) => t.oldVolumeId)]);
  if (snap && !pastRoots.has(snap.volumeId ?? ""))
    throw Ec2Errors.invalidValue(
      `Invalid snapshot for root volume for virt ${i.id}. The snapshot should be of one of the root volumes attached to the instance in the past`,
    );
  const image = input.ImageId !== undefined ? ensureImage(s, String(input.ImageId)) : undefined;
  if (image && image.architecture !== i.architecture)
    throw Ec2Errors.invalidValue(`The architecture of image '${image.id}' (${image.architecture}) does not match instance '${i.id}' (${i.architecture}).`);
  const launch = imageDevices(image ?? ensureImage(s, i.imageId)).find((d) => d.device === (image?.rootDeviceName ?? i.rootDevice));
  dryRun(input);
  const now = ctx.now();
  const root = oldRoot.attachments.find((a) => a.instanceId === i.id)!;
  const size = snap ? snap.volumeSize : Math.max(launch?.size ?? oldRoot.size, 1);
  const v = newVolume(
    s,
    oldRoot.az,
    {
      size,
      type: oldRoot.type === "standard" ? "standard" : oldRoot.type,
      iops: oldRoot.type === "gp2" ? undefined : oldRoot.iops,
      throughput: oldRoot.throughput,
      snapshotId: snap?.id,
      encrypted: oldRoot.encrypted || undefined,
      kmsKeyId: oldRoot.encrypted ? oldRoot.kmsKeyId : undefined,
    },
    now,
  );
  if (!snap && launch?.snapshotId) v.snapshotId = launch.snapshotId;
  v.state = "in-use";
  v.target = undefined;
  v.attachments.push({ instanceId: i.id, device: i.rootDevice, attachTime: now, deleteOnTermination: root.deleteOnTermination, state: "attached" });
  for (const [k, val] of oldRoot.tags) v.tags.set(k, val);
  oldRoot.attachments = oldRoot.attachments.filter((a) => a.instanceId !== i.id);
  const deleteReplaced = input.DeleteReplacedRootVolume === true;
  if (deleteReplaced) removeVolume(s, oldRoot);
  else if (!oldRoot.attachments.length) oldRoot.state = "available";
  i.volumeIds = [v.id, ...i.volumeIds.filter((id) => id !== oldRoot.id)];
  const t: ReplaceRootRec = {
    id: ec2Id("replacevol"),
    instanceId: i.id,
    state: "succeeded",
    start: now,
    complete: now,
    imageId: image?.id,
    snapshotId: snap?.id,
    deleteReplaced,
    oldVolumeId: oldRoot.id,
    newVolumeId: v.id,
    since: Date.now(),
    tags: new Map(),
  };
  c.rootTasks.set(t.id, t);
  applyTagSpec(s, input, "replace-root-volume-task", t.id, t);
  return { ReplaceRootVolumeTask: { ...rootView(t, Number.POSITIVE_INFINITY), TaskState: "pending", CompleteTime: undefined } };
}

export function DescribeReplaceRootVolumeTasks(ctx: Ctx, input: Input) {
  const { c } = cst(ctx);
  const ids = list(input.ReplaceRootVolumeTaskIds);
  for (const id of ids) if (!c.rootTasks.has(id)) throw e("InvalidReplaceRootVolumeTaskId.NotFound", `The replace root volume task ID '${id}' does not exist`);
  dryRun(input);
  const items = ids.length ? [...new Set(ids)].map((id) => c.rootTasks.get(id)!) : [...c.rootTasks.values()];
  const r = select(items, input, { "instance-id": (t) => t.instanceId }, (t) => t.id, { paginate: true, min: 1, max: 50 });
  return { ReplaceRootVolumeTasks: r.items.map((t) => rootView(t, ctx.config.transitionDelayMs)), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- instance types from requirements

export function GetInstanceTypesFromInstanceRequirements(_ctx: Ctx, input: Input) {
  dryRun(input);
  const archs = list(input.ArchitectureTypes);
  const virt = list(input.VirtualizationTypes);
  const req = (input.InstanceRequirements ?? {}) as Input;
  if (req.VCpuCount?.Max !== undefined && req.VCpuCount.Max < req.VCpuCount.Min)
    throw Ec2Errors.invalidValue("The maximum VCpuCount must be greater than or equal to the minimum.");
  if (req.MemoryMiB?.Max !== undefined && req.MemoryMiB.Max < req.MemoryMiB.Min)
    throw Ec2Errors.invalidValue("The maximum MemoryMiB must be greater than or equal to the minimum.");
  const byName = new Map(INSTANCE_TYPES.map((t) => [t.name, t]));
  const perVcpu = req.MemoryGiBPerVCpu as { Min?: number; Max?: number } | undefined;
  const names = (virt.includes("hvm") ? typesFor(req) : [])
    .filter((n) => {
      const t = byName.get(n)!;
      const ratio = t.mem / 1024 / t.vcpu;
      return (
        (!archs.length || archs.includes(t.arch) || (t.arch === "x86_64" && archs.includes("x86_64_mac"))) &&
        (!perVcpu || ((perVcpu.Min === undefined || ratio >= perVcpu.Min) && (perVcpu.Max === undefined || ratio <= perVcpu.Max)))
      );
    })
    .sort();
  const page = paginate(
    names.map((InstanceType) => ({ InstanceType })),
    {
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
      defaultMax: 1000,
      key: (x) => x.InstanceType,
      invalidToken: () => Ec2Errors.invalidToken(input.NextToken),
    },
  );
  return { InstanceTypes: page.items, NextToken: page.nextToken };
}

// ---------------------------------------------------------------- trunk interface associations

const assocNotFound = (id: string) => e("InvalidAssociationID.NotFound", `The association ID '${id}' does not exist`);

const trunkView = (a: TrunkAssocRec) => ({
  AssociationId: a.id,
  BranchInterfaceId: a.branchId,
  TrunkInterfaceId: a.trunkId,
  InterfaceProtocol: a.protocol,
  VlanId: a.vlanId,
  GreKey: a.greKey,
  Tags: tagsOf(a),
});

function pruneTrunks(s: Ec2State, c: ReturnType<typeof computeOf>): void {
  for (const [id, a] of c.trunkAssociations) if (!s.enis.has(a.branchId) || !s.enis.has(a.trunkId)) c.trunkAssociations.delete(id);
}

export function AssociateTrunkInterface(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const trunk = eniNamed(s, required(input, "TrunkInterfaceId"));
  const branch = eniNamed(s, required(input, "BranchInterfaceId"));
  if (trunk.interfaceType !== "trunk") throw Ec2Errors.invalidValue(`The network interface ${trunk.id} is not a trunk network interface.`);
  if (branch.interfaceType !== "branch") throw Ec2Errors.invalidValue(`The network interface ${branch.id} is not a branch network interface.`);
  if (branch.vpcId !== trunk.vpcId) throw Ec2Errors.invalidValue(`The network interfaces ${trunk.id} and ${branch.id} belong to different VPCs.`);
  const vlan = input.VlanId as number | undefined;
  const gre = input.GreKey as number | undefined;
  if ((vlan === undefined) === (gre === undefined)) throw Ec2Errors.invalidCombination("Specify either VlanId or GreKey, but not both.");
  if (vlan !== undefined && (vlan < 1 || vlan > 4094)) throw Ec2Errors.invalidValue(`Value (${vlan}) for parameter VlanId is invalid. Valid values: 1-4094.`);
  pruneTrunks(s, c);
  const all = [...c.trunkAssociations.values()];
  if (all.some((a) => a.branchId === branch.id))
    throw Ec2Errors.alreadyAssociated(`The network interface ${branch.id} is already associated with a trunk network interface.`);
  if (vlan !== undefined && all.some((a) => a.trunkId === trunk.id && a.vlanId === vlan))
    throw Ec2Errors.invalidValue(`VLAN ${vlan} is already in use on trunk network interface ${trunk.id}.`);
  dryRun(input);
  const a: TrunkAssocRec = {
    id: ec2Id("trunk-assoc"),
    branchId: branch.id,
    trunkId: trunk.id,
    protocol: vlan !== undefined ? "VLAN" : "GRE",
    vlanId: vlan,
    greKey: gre,
    tags: new Map(),
  };
  c.trunkAssociations.set(a.id, a);
  return { InterfaceAssociation: trunkView(a), ClientToken: input.ClientToken };
}

export function DisassociateTrunkInterface(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  pruneTrunks(s, c);
  const id = required(input, "AssociationId");
  if (!c.trunkAssociations.has(id)) throw assocNotFound(id);
  dryRun(input);
  c.trunkAssociations.delete(id);
  return { Return: true, ClientToken: input.ClientToken };
}

export function DescribeTrunkInterfaceAssociations(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, c } = cst(ctx);
  pruneTrunks(s, c);
  const ids = list(input.AssociationIds);
  for (const id of ids) if (!c.trunkAssociations.has(id)) throw assocNotFound(id);
  const items = ids.length ? [...new Set(ids)].map((id) => c.trunkAssociations.get(id)!) : [...c.trunkAssociations.values()];
  const r = select(
    items,
    input,
    {
      "gre-key": (a) => a.greKey,
      "interface-protocol": (a) => a.protocol,
    },
    (a) => a.id,
    { paginate: true, min: 5, max: 255 },
  );
  return { InterfaceAssociations: r.items.map(trunkView), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- product codes

/** awsim's instances carry no product codes (no Marketplace AMIs), so no code is ever associated with one. */
export function ConfirmProductInstance(ctx: Ctx, input: Input) {
  const s = st(ctx);
  liveInstance(ctx, s, required(input, "InstanceId"));
  required(input, "ProductCode");
  dryRun(input);
  return { Return: false };
}

// ---------------------------------------------------------------- instance topology

/** Instance types EC2 topology supports, with the depth of their network-node chain. */
const TOPOLOGY: Array<[RegExp, number]> = [
  [/^(g6e|g7e|hpc7g|hpc7a)\.\w+$/, 3],
  [/^(hpc6a\.48xlarge|hpc6id\.32xlarge|hpc8a\.96xlarge)$/, 3],
  [/^(p3dn\.24xlarge|p4d\.24xlarge|p4de\.24xlarge|p5\.48xlarge|p5e\.48xlarge|p5en\.48xlarge|p6e-gb200\.36xlarge)$/, 3],
  [/^(trn1\.2xlarge|trn1\.32xlarge|trn1n\.32xlarge|trn2\.48xlarge|trn2u\.48xlarge)$/, 3],
  [/^(p6-b200\.48xlarge|p6-b300\.48xlarge)$/, 4],
];

/** The depth of the network-node chain of an instance type EC2 topology supports (undefined when unsupported). */
export const topologyDepth = (type: string) => TOPOLOGY.find(([re]) => re.test(type))?.[1];

export const nodeId = (...parts: Array<string | number>) => `nn-${createHash("sha256").update(parts.join("/")).digest("hex").slice(0, 17)}`;

/**
 * A stable tree per zone: instances of one placement group share their upper nodes, and consecutive
 * launches fill the lowest node four at a time, so related instances are close as on real hardware.
 */
function networkNodes(s: Ec2State, i: InstanceRec, depth: number): string[] {
  const group = i.placementGroup ?? `~${Math.floor(i.seq / 64)}`;
  const nodes = [nodeId(s.accountId, i.az, "spine"), nodeId(s.accountId, i.az, group, "aggregation")];
  if (depth === 4) nodes.push(nodeId(s.accountId, i.az, group, Math.floor(i.seq / 16), "block"));
  nodes.push(nodeId(s.accountId, i.az, group, Math.floor(i.seq / 4), "leaf"));
  return nodes;
}

export function DescribeInstanceTopology(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const ids = list(input.InstanceIds);
  if (ids.length && input.MaxResults !== undefined)
    throw Ec2Errors.invalidCombination("The parameter InstanceIds cannot be used with the parameter MaxResults");
  const groups = list(input.GroupNames);
  for (const g of groups) if (!s.placementGroups.has(g)) throw e("InvalidPlacementGroup.Unknown", `The Placement Group '${g}' is unknown.`);
  const named = ids.length ? instancesNamed(s, ids) : [...s.instances.values()].sort((a, b) => a.seq - b.seq);
  dryRun(input);
  const delay = ctx.config.transitionDelayMs;
  const depthOf = (t: string) => TOPOLOGY.find(([re]) => re.test(t))?.[1];
  const zones = zonesOf(s.region);
  const items = named.filter(
    (i) => depthOf(i.instanceType) !== undefined && stateOf(i, delay) === "running" && (!groups.length || groups.includes(i.placementGroup ?? "")),
  );
  const r = select(
    items,
    { ...input, MaxResults: input.MaxResults ?? (ids.length ? undefined : 20) },
    {
      "availability-zone": (i) => i.az,
      "instance-type": (i) => i.instanceType,
      "zone-id": (i) => zones.find((z) => z.name === i.az)?.id,
    },
    (i) => String(i.seq).padStart(12, "0"),
    { paginate: true, min: 1, max: 100 },
  );
  return {
    Instances: r.items.map((i) => ({
      InstanceId: i.id,
      InstanceType: i.instanceType,
      GroupName: i.placementGroup,
      NetworkNodes: networkNodes(s, i, depthOf(i.instanceType)!),
      AvailabilityZone: i.az,
      ZoneId: zones.find((z) => z.name === i.az)?.id,
    })),
    NextToken: r.nextToken,
  };
}

// ---------------------------------------------------------------- Mac instances: SIP and volume ownership tasks

const isMac = (type: string) => /^mac/.test(type);
const isAppleSilicon = (type: string) => /^mac(2|-m)/.test(type);

function macInstance(ctx: Ctx, s: Ec2State, id: string): InstanceRec {
  const i = liveInstance(ctx, s, id);
  if (!isMac(i.instanceType)) throw Ec2Errors.invalidValue(`The instance ${i.id} (${i.instanceType}) is not an EC2 Mac instance.`);
  if (stateOf(i, ctx.config.transitionDelayMs) !== "running") throw e("IncorrectInstanceState", `The instance '${i.id}' is not in the 'running' state.`);
  return i;
}

function checkMacCredentials(raw: unknown): void {
  let creds: Record<string, unknown> | undefined;
  try {
    creds = JSON.parse(String(raw)) as Record<string, unknown>;
  } catch {
    creds = undefined;
  }
  if (!creds || typeof creds !== "object" || typeof creds.rootVolumeUsername !== "string" || typeof creds.rootVolumepassword !== "string")
    throw Ec2Errors.invalidValue(
      'MacCredentials must be JSON of the form {"internalDiskPassword":"...","rootVolumeUsername":"...","rootVolumepassword":"..."}.',
    );
}

const macView = (t: MacTaskRec, delay: number) => ({
  InstanceId: t.instanceId,
  MacModificationTaskId: t.id,
  MacSystemIntegrityProtectionConfig: t.sip,
  StartTime: t.start,
  Tags: tagsOf(t),
  TaskState: Date.now() - t.since < delay ? "in-progress" : "successful",
  TaskType: t.type,
});

function newMacTask(ctx: Ctx, input: Input, i: InstanceRec, type: MacTaskRec["type"], sip?: Record<string, string>) {
  const { s, c } = cst(ctx);
  if ([...c.macTasks.values()].some((t) => t.instanceId === i.id && Date.now() - t.since < ctx.config.transitionDelayMs))
    throw e("IncorrectState", `The instance ${i.id} already has a Mac modification task in progress.`);
  dryRun(input);
  const t: MacTaskRec = { id: ec2Id("macmodification"), instanceId: i.id, type, sip, start: ctx.now(), since: Date.now(), tags: new Map() };
  c.macTasks.set(t.id, t);
  applyTagSpec(s, input, "mac-modification-task", t.id, t);
  return { MacModificationTask: { ...macView(t, Number.POSITIVE_INFINITY), TaskState: "pending" } };
}

export function CreateMacSystemIntegrityProtectionModificationTask(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const i = macInstance(ctx, s, required(input, "InstanceId"));
  const status = required(input, "MacSystemIntegrityProtectionStatus");
  if (isAppleSilicon(i.instanceType)) {
    if (input.MacCredentials === undefined) throw Ec2Errors.missing("MacCredentials");
    checkMacCredentials(input.MacCredentials);
  }
  const overrides = (input.MacSystemIntegrityProtectionConfiguration ?? {}) as Record<string, string>;
  const sip: Record<string, string> = { Status: status };
  for (const k of ["AppleInternal", "BaseSystem", "DebuggingRestrictions", "DTraceRestrictions", "FilesystemProtections", "KextSigning", "NvramProtections"])
    sip[k] = overrides[k] ?? status;
  return newMacTask(ctx, input, i, "sip-modification", sip);
}

export function CreateDelegateMacVolumeOwnershipTask(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const i = macInstance(ctx, s, required(input, "InstanceId"));
  if (!isAppleSilicon(i.instanceType))
    throw Ec2Errors.invalidValue(`Volume ownership delegation is supported only on Apple silicon Mac instances; ${i.id} is ${i.instanceType}.`);
  checkMacCredentials(required(input, "MacCredentials"));
  return newMacTask(ctx, input, i, "volume-ownership-delegation");
}

export function DescribeMacModificationTasks(ctx: Ctx, input: Input) {
  dryRun(input);
  const { c } = cst(ctx);
  const ids = list(input.MacModificationTaskIds);
  for (const id of ids) if (!c.macTasks.has(id)) throw e("InvalidMacModificationTaskId.NotFound", `The Mac modification task ID '${id}' does not exist`);
  const delay = ctx.config.transitionDelayMs;
  const items = ids.length ? [...new Set(ids)].map((id) => c.macTasks.get(id)!) : [...c.macTasks.values()];
  const r = select(
    items,
    input,
    {
      "instance-id": (t) => t.instanceId,
      "task-state": (t) => macView(t, delay).TaskState,
      "mac-system-integrity-protection-configuration.sip-status": (t) => t.sip?.Status,
      "start-time": (t) => t.start.toISOString(),
      "task-type": (t) => t.type,
    },
    (t) => t.id,
    { paginate: true, min: 5, max: 500 },
  );
  return { MacModificationTasks: r.items.map((t) => macView(t, delay)), NextToken: r.nextToken };
}
