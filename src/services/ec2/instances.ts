/**
 * Instances: RunInstances (default VPC, subnet addressing, ENI, tags, key, profile), the lifecycle
 * pending → running, stopping → stopped, shutting-down → terminated (instant, or after
 * config.transitionDelayMs, computed on read), Describe with filters, indexes and pagination.
 */
import type { Ctx } from "../core/types.js";
import { ec2Id } from "../core/ids.js";
import {
  applyTagSpec,
  bool,
  dropTags,
  dryRun,
  filters,
  int,
  list,
  privateDnsName,
  publicDnsName,
  randomPublicIp,
  required,
  select,
  setTag,
  st,
  tagList,
  zonesOf,
  type Input,
} from "./common.js";
import { Ec2Errors } from "./errors.js";
import { mergeLaunchTemplate } from "./launch-templates.js";
import { ensureImage, imageSnapshotId, ROOT_SIZE } from "./images.js";
import { INSTANCE_TYPES } from "./misc.js";
import { eniView, freeAddresses, getSubnet, newEni, releaseIp } from "./network.js";
import type { Ec2State, ImageRec, InstanceRec } from "./state.js";
import { checkVolumeSpec, instanceBlockDevices, newVolume, releaseInstanceVolumes, type VolumeSpec } from "./volumes.js";

const CODES: Record<string, number> = { pending: 0, running: 16, "shutting-down": 32, terminated: 48, stopping: 64, stopped: 80 };
const TERMINATED_RETENTION_MS = 60 * 60 * 1000;

/** Advance a transition whose delay has passed. */
export function stateOf(i: InstanceRec, delay: number, now = Date.now()): string {
  if (i.target && now - i.since >= delay) {
    i.state = i.target;
    i.target = undefined;
  }
  return i.state;
}

function transition(i: InstanceRec, from: string, to: string) {
  i.state = from;
  i.target = to;
  i.since = Date.now();
}

const gmt = (d: Date) =>
  d
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, " GMT");

function instanceView(s: Ec2State, i: InstanceRec, delay: number) {
  const state = stateOf(i, delay);
  const eni = s.enis.get(i.eniId);
  const live = state !== "terminated";
  return {
    instanceId: i.id,
    imageId: i.imageId,
    instanceState: { code: CODES[state], name: state },
    privateDnsName: live ? privateDnsName(s.region, i.privateIp) : "",
    dnsName: live && i.publicIp && state !== "stopped" ? publicDnsName(s.region, i.publicIp) : "",
    reason: i.stateTransitionReason,
    keyName: i.keyName,
    amiLaunchIndex: i.amiLaunchIndex,
    productCodes: [],
    instanceType: i.instanceType,
    launchTime: i.launchTime,
    placement: { availabilityZone: i.az, groupName: "", tenancy: "default", availabilityZoneId: zonesOf(s.region).find((z) => z.name === i.az)?.id },
    monitoring: { state: i.monitoring },
    subnetId: live ? i.subnetId : undefined,
    vpcId: live ? i.vpcId : undefined,
    privateIpAddress: live ? i.privateIp : undefined,
    ipAddress: live && state !== "stopped" && state !== "stopping" ? i.publicIp : undefined,
    sourceDestCheck: i.sourceDestCheck,
    groupSet: i.groups.map((g) => ({ groupId: g, groupName: s.sgs.get(g)?.name })),
    stateReason: i.stateReason,
    architecture: i.architecture,
    rootDeviceType: "ebs",
    rootDeviceName: i.rootDevice,
    blockDeviceMapping: live ? instanceBlockDevices(s, i) : [],
    virtualizationType: "hvm",
    clientToken: i.clientToken ?? "",
    tagSet: tagList(i),
    hypervisor: "xen",
    networkInterfaceSet:
      live && eni
        ? [
            {
              ...eniView(s, eni),
              attachment: {
                attachmentId: eni.attachment?.id,
                deviceIndex: 0,
                status: "attached",
                attachTime: i.launchTime,
                deleteOnTermination: true,
                networkCardIndex: 0,
              },
            },
          ]
        : [],
    iamInstanceProfile: i.iamInstanceProfile ? { arn: i.iamInstanceProfile, id: "AIPA" + i.id.slice(2, 19).toUpperCase() } : undefined,
    ebsOptimized: i.ebsOptimized,
    enaSupport: true,
    cpuOptions: { coreCount: 1, threadsPerCore: 2 },
    capacityReservationSpecification: { capacityReservationPreference: "open" },
    hibernationOptions: { configured: false },
    metadataOptions: {
      state: "applied",
      httpTokens: "required",
      httpPutResponseHopLimit: 2,
      httpEndpoint: "enabled",
      httpProtocolIpv6: "disabled",
      instanceMetadataTags: "disabled",
    },
    enclaveOptions: { enabled: false },
    bootMode: "uefi-preferred",
    platformDetails: s.images.get(i.imageId)?.platformDetails ?? "Linux/UNIX",
    usageOperation: "RunInstances",
    usageOperationUpdateTime: i.launchTime,
    privateDnsNameOptions: { hostnameType: "ip-name", enableResourceNameDnsARecord: false, enableResourceNameDnsAAAARecord: false },
    maintenanceOptions: { autoRecovery: "default" },
    currentInstanceBootMode: "legacy-bios",
  };
}

function pruneTerminated(s: Ec2State, now = Date.now()) {
  for (const [id, i] of s.instances) {
    if (i.terminatedAt !== undefined && now - i.terminatedAt > TERMINATED_RETENTION_MS) {
      dropTags(s, id, i);
      s.instances.delete(id);
    }
  }
}

export function RunInstances(ctx: Ctx, request: Input) {
  const s = st(ctx);
  const input = mergeLaunchTemplate(s, request);
  const imageId = required(input, "ImageId");
  const min =
    int(input.MinCount, "MinCount") ??
    (() => {
      throw Ec2Errors.missing("MinCount");
    })();
  const max =
    int(input.MaxCount, "MaxCount") ??
    (() => {
      throw Ec2Errors.missing("MaxCount");
    })();
  if (min < 1) throw Ec2Errors.invalidValue(`Value (${min}) for parameter minCount is invalid. Expected a positive integer.`);
  if (max < min) throw Ec2Errors.invalidValue(`Value (${max}) for parameter maxCount is invalid. Expected a value greater than or equal to minCount.`);
  const instanceType = String(input.InstanceType ?? "m1.small");
  if (!INSTANCE_TYPES.some((t) => t.name === instanceType) && !/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(instanceType))
    throw Ec2Errors.invalidInstanceType(instanceType);
  const image = ensureImage(s, imageId);
  if (input.KeyName && !s.keyPairs.has(String(input.KeyName))) throw Ec2Errors.keyPairNotFound(String(input.KeyName));
  const nic = (input.NetworkInterfaces ?? [])[0] as Input | undefined;
  const subnetId = input.SubnetId ?? nic?.SubnetId;
  // Without a subnet, the default subnet with the most free addresses (in the requested zone, if any).
  const subnet = subnetId
    ? getSubnet(s, String(subnetId))
    : [...s.subnets.values()]
        .filter((x) => x.vpcId === s.defaultVpcId && x.defaultForAz && (!input.Placement?.AvailabilityZone || x.az === input.Placement.AvailabilityZone))
        .sort((a, b) => a.used.size - b.used.size)[0];
  if (!subnet) throw Ec2Errors.custom("VPCIdNotSpecified", "No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.");
  let groups = [...list(input.SecurityGroupIds), ...list(nic?.Groups)];
  for (const name of list(input.SecurityGroups)) {
    const g = [...s.sgs.values()].find((x) => x.name === name && x.vpcId === subnet.vpcId);
    if (!g) throw Ec2Errors.groupNotFound(name);
    groups.push(g.id);
  }
  for (const g of groups) {
    const sg = s.sgs.get(g);
    if (!sg) throw Ec2Errors.groupNotFound(g);
    if (sg.vpcId !== subnet.vpcId) throw Ec2Errors.invalidValue(`Security group ${g} and subnet ${subnet.id} belong to different networks.`);
  }
  if (!groups.length) groups = [[...s.sgs.values()].find((g) => g.vpcId === subnet.vpcId && g.name === "default")!.id];
  const devices = blockDevices(s, input, image);
  dryRun(input);
  const free = freeAddresses(subnet);
  if (free < min)
    throw Ec2Errors.custom(
      "InsufficientFreeAddressesInSubnet",
      `There are not enough free addresses in subnet '${subnet.id}' to satisfy the requested number of instances.`,
    );
  const count = Math.min(max, free);
  const reservationId = ec2Id("r");
  const now = ctx.now();
  const publicIp = nic?.AssociatePublicIpAddress !== undefined ? bool(nic.AssociatePublicIpAddress) : subnet.mapPublicIpOnLaunch;
  const out: InstanceRec[] = [];
  for (let n = 0; n < count; n++) {
    const id = ec2Id("i");
    const eni = newEni(s, subnet, groups, "", n === 0 ? (input.PrivateIpAddress ?? nic?.PrivateIpAddress) : undefined);
    eni.attachment = { id: ec2Id("eni-attach"), instanceId: id, deviceIndex: 0, attachTime: now, deleteOnTermination: true };
    const typeInfo = INSTANCE_TYPES.find((t) => t.name === instanceType);
    const i: InstanceRec = {
      id,
      reservationId,
      seq: ++s.seq,
      imageId: image.id,
      instanceType,
      keyName: input.KeyName,
      launchTime: now,
      az: subnet.az,
      subnetId: subnet.id,
      vpcId: subnet.vpcId,
      privateIp: eni.privateIp,
      publicIp: publicIp ? randomPublicIp() : undefined,
      groups,
      state: "pending",
      target: "running",
      since: Date.now(),
      stateTransitionReason: "",
      userData: input.UserData,
      iamInstanceProfile:
        input.IamInstanceProfile?.Arn ??
        (input.IamInstanceProfile?.Name ? `arn:aws:iam::${s.accountId}:instance-profile/${input.IamInstanceProfile.Name}` : undefined),
      eniId: eni.id,
      amiLaunchIndex: n,
      clientToken: input.ClientToken,
      ebsOptimized: bool(input.EbsOptimized),
      sourceDestCheck: true,
      disableApiTermination: bool(input.DisableApiTermination),
      shutdownBehavior: String(input.InstanceInitiatedShutdownBehavior ?? "stop"),
      volumeIds: [],
      disableApiStop: input.DisableApiStop === true,
      rootDevice: image.rootDeviceName,
      architecture: typeInfo?.arch ?? image.architecture,
      monitoring: bool(input.Monitoring?.Enabled) ? "enabled" : "disabled",
      tags: new Map(),
    };
    s.instances.set(id, i);
    for (const d of devices) {
      const v = newVolume(s, subnet.az, d.spec, now, d.defaultType);
      if (d.snapshotId) v.snapshotId = d.snapshotId;
      v.state = "in-use";
      v.target = undefined;
      v.attachments.push({ instanceId: id, device: d.device, attachTime: now, deleteOnTermination: d.deleteOnTermination, state: "attached" });
      i.volumeIds.push(v.id);
      applyTagSpec(s, input, "volume", v.id, v);
    }
    applyTagSpec(s, input, "instance", id, i);
    for (const [k, v] of input.launchTemplateTags ?? []) setTag(s, id, i, k, v);
    applyTagSpec(s, input, "network-interface", eni.id, eni);
    out.push(i);
  }
  return {
    reservationId,
    ownerId: s.accountId,
    groupSet: [],
    instancesSet: out.map((i) => ({ ...instanceView(s, i, Infinity), instanceState: { code: 0, name: "pending" } })),
  };
}

/** The root volume from the image, overridden or extended by BlockDeviceMappings. */
function blockDevices(s: Ec2State, input: Input, image: ImageRec) {
  const rootSnapshot = imageSnapshotId(image.id);
  const devices = new Map<string, { device: string; spec: VolumeSpec; defaultType: string; deleteOnTermination: boolean; snapshotId?: string }>();
  devices.set(image.rootDeviceName, {
    device: image.rootDeviceName,
    spec: { size: ROOT_SIZE },
    defaultType: "gp3",
    deleteOnTermination: true,
    snapshotId: rootSnapshot,
  });
  for (const m of (input.BlockDeviceMappings ?? []) as Input[]) {
    const device = String(m.DeviceName ?? "");
    if (!device) throw Ec2Errors.missing("BlockDeviceMapping.DeviceName");
    if (m.NoDevice !== undefined) {
      if (device === image.rootDeviceName) throw Ec2Errors.invalidValue(`The device '${device}' is the root device and cannot be removed.`);
      devices.delete(device);
      continue;
    }
    if (!m.Ebs) continue;
    const ebs = m.Ebs as Input;
    const root = device === image.rootDeviceName;
    if (root && ebs.VolumeSize !== undefined && ebs.VolumeSize < ROOT_SIZE)
      throw Ec2Errors.invalidValue(`Volume of size ${ebs.VolumeSize}GB is smaller than snapshot '${rootSnapshot}', expect size >= ${ROOT_SIZE}GB`);
    const spec: VolumeSpec = {
      size: ebs.VolumeSize ?? (root ? ROOT_SIZE : undefined),
      type: ebs.VolumeType,
      iops: ebs.Iops,
      throughput: ebs.Throughput,
      snapshotId: root ? undefined : ebs.SnapshotId,
      encrypted: ebs.Encrypted,
      kmsKeyId: ebs.KmsKeyId,
    };
    const defaultType = root ? "gp3" : "gp2";
    checkVolumeSpec(s, spec, defaultType);
    devices.set(device, { device, spec, defaultType, deleteOnTermination: ebs.DeleteOnTermination !== false, snapshotId: root ? rootSnapshot : undefined });
  }
  return [...devices.values()];
}

const instanceFilters = (s: Ec2State, delay: number) => ({
  "instance-id": (i: InstanceRec) => i.id,
  "instance-state-name": (i: InstanceRec) => stateOf(i, delay),
  "instance-state-code": (i: InstanceRec) => CODES[stateOf(i, delay)],
  "instance-type": (i: InstanceRec) => i.instanceType,
  "image-id": (i: InstanceRec) => i.imageId,
  "vpc-id": (i: InstanceRec) => i.vpcId,
  "subnet-id": (i: InstanceRec) => i.subnetId,
  "availability-zone": (i: InstanceRec) => i.az,
  "private-ip-address": (i: InstanceRec) => i.privateIp,
  "ip-address": (i: InstanceRec) => i.publicIp,
  "private-dns-name": (i: InstanceRec) => privateDnsName(s.region, i.privateIp),
  "dns-name": (i: InstanceRec) => (i.publicIp ? publicDnsName(s.region, i.publicIp) : undefined),
  "key-name": (i: InstanceRec) => i.keyName,
  "reservation-id": (i: InstanceRec) => i.reservationId,
  "owner-id": () => s.accountId,
  "instance.group-id": (i: InstanceRec) => i.groups,
  "instance.group-name": (i: InstanceRec) => i.groups.map((g) => s.sgs.get(g)?.name),
  "group-id": (i: InstanceRec) => i.groups,
  "group-name": (i: InstanceRec) => i.groups.map((g) => s.sgs.get(g)?.name),
  architecture: (i: InstanceRec) => i.architecture,
  "launch-time": (i: InstanceRec) => i.launchTime.toISOString(),
  "ami-launch-index": (i: InstanceRec) => i.amiLaunchIndex,
  "client-token": (i: InstanceRec) => i.clientToken,
  "network-interface.network-interface-id": (i: InstanceRec) => i.eniId,
  "network-interface.subnet-id": (i: InstanceRec) => i.subnetId,
  "network-interface.vpc-id": (i: InstanceRec) => i.vpcId,
  "iam-instance-profile.arn": (i: InstanceRec) => i.iamInstanceProfile,
  "root-device-type": () => "ebs",
  "root-device-name": (i: InstanceRec) => i.rootDevice,
  hypervisor: () => "xen",
  "virtualization-type": () => "hvm",
  tenancy: () => "default",
  "monitoring-state": (i: InstanceRec) => i.monitoring,
  "placement-group-name": () => "",
  "platform-details": (i: InstanceRec) => s.images.get(i.imageId)?.platformDetails ?? "Linux/UNIX",
  "state-reason-code": (i: InstanceRec) => i.stateReason?.code,
});

/** Instances named by id (Malformed / NotFound as AWS), or all. */
function named(s: Ec2State, ids: string[]): InstanceRec[] {
  for (const id of ids) if (!/^i-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) throw Ec2Errors.malformed("Instance", id);
  const missing = ids.filter((id) => !s.instances.has(id));
  if (missing.length) throw Ec2Errors.notFound("Instance", "instance", missing);
  return ids.map((id) => s.instances.get(id)!);
}

/** Use the tag index to narrow the candidates when a tag:<key> filter has plain values. */
function candidates(s: Ec2State, input: Input): Iterable<InstanceRec> {
  for (const f of filters(input)) {
    if (!f.Name?.startsWith("tag:") || !f.Values?.length || f.Values.some((v) => /[*?]/.test(v))) continue;
    const byValue = s.tagIndex.get(f.Name.slice(4));
    const out: InstanceRec[] = [];
    for (const v of f.Values)
      for (const id of byValue?.get(v) ?? []) {
        const i = s.instances.get(id);
        if (i) out.push(i);
      }
    return out.sort((a, b) => a.seq - b.seq);
  }
  return s.instances.values();
}

export function DescribeInstances(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  pruneTerminated(s);
  const ids = list(input.InstanceIds);
  if (ids.length && input.MaxResults !== undefined)
    throw Ec2Errors.invalidCombination("The parameter instancesSet cannot be used with the parameter maxResults");
  const delay = ctx.config.transitionDelayMs;
  const r = select(ids.length ? named(s, ids) : candidates(s, input), input, instanceFilters(s, delay), (i) => String(i.seq).padStart(12, "0"), {
    paginate: true,
  });
  const reservations = new Map<string, InstanceRec[]>();
  for (const i of r.items) {
    const list = reservations.get(i.reservationId) ?? [];
    list.push(i);
    reservations.set(i.reservationId, list);
  }
  return {
    reservationSet: [...reservations].map(([id, is]) => ({
      reservationId: id,
      ownerId: s.accountId,
      groupSet: [],
      instancesSet: is.map((i) => instanceView(s, i, delay)),
    })),
    nextToken: r.nextToken,
  };
}

function change(ctx: Ctx, input: Input, fn: (i: InstanceRec, delay: number) => void) {
  const s = st(ctx);
  const ids = list(input.InstanceIds);
  if (!ids.length) throw Ec2Errors.missing("InstanceId");
  const targets = named(s, ids);
  const delay = ctx.config.transitionDelayMs;
  const before = targets.map((i) => stateOf(i, delay));
  for (const i of targets) fn(i, delay);
  dryRun(input);
  return {
    instancesSet: targets.map((i, n) => ({
      instanceId: i.id,
      previousState: { code: CODES[before[n]!], name: before[n] },
      currentState: { code: CODES[i.state], name: i.state },
    })),
  };
}

export function StopInstances(ctx: Ctx, input: Input) {
  const pending: Array<() => void> = [];
  const out = change(ctx, input, (i) => {
    const cur = i.state;
    if (cur === "terminated" || cur === "shutting-down") throw Ec2Errors.incorrectState(i.id, "stopped");
    if (i.disableApiStop)
      throw Ec2Errors.custom(
        "OperationNotPermitted",
        `The instance '${i.id}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.`,
      );
    if (cur === "stopped" || cur === "stopping") return;
    pending.push(() => {
      transition(i, "stopping", "stopped");
      i.stateTransitionReason = `User initiated (${gmt(ctx.now())})`;
      i.stateReason = { code: "Client.UserInitiatedShutdown", message: "Client.UserInitiatedShutdown: User initiated shutdown" };
    });
  });
  pending.forEach((f) => f());
  return {
    instancesSet: out.instancesSet.map((x) => ({
      ...x,
      currentState: { code: CODES[st(ctx).instances.get(x.instanceId)!.state], name: st(ctx).instances.get(x.instanceId)!.state },
    })),
  };
}

export function StartInstances(ctx: Ctx, input: Input) {
  const pending: Array<() => void> = [];
  const out = change(ctx, input, (i) => {
    const cur = i.state;
    if (cur === "terminated" || cur === "shutting-down" || cur === "stopping") throw Ec2Errors.incorrectState(i.id, "started");
    if (cur === "running" || cur === "pending") return;
    pending.push(() => {
      transition(i, "pending", "running");
      i.stateTransitionReason = "";
      i.stateReason = undefined;
    });
  });
  pending.forEach((f) => f());
  return {
    instancesSet: out.instancesSet.map((x) => ({
      ...x,
      currentState: { code: CODES[st(ctx).instances.get(x.instanceId)!.state], name: st(ctx).instances.get(x.instanceId)!.state },
    })),
  };
}

export function TerminateInstances(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const pending: Array<() => void> = [];
  const out = change(ctx, input, (i) => {
    if (i.disableApiTermination)
      throw Ec2Errors.custom(
        "OperationNotPermitted",
        `The instance '${i.id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
      );
    if (i.state === "terminated" || i.state === "shutting-down") return;
    pending.push(() => {
      transition(i, "shutting-down", "terminated");
      i.stateTransitionReason = `User initiated (${gmt(ctx.now())})`;
      i.stateReason = { code: "Client.UserInitiatedShutdown", message: "Client.UserInitiatedShutdown: User initiated shutdown" };
      i.terminatedAt = Date.now();
      const eni = s.enis.get(i.eniId);
      if (eni) {
        releaseIp(s.subnets.get(eni.subnetId), eni.privateIp);
        dropTags(s, eni.id, eni);
        s.enis.delete(eni.id);
      }
      for (const e of s.enis.values()) if (e.attachment?.instanceId === i.id) e.attachment = undefined;
      releaseInstanceVolumes(s, i);
      for (const a of s.addresses.values()) if (a.instanceId === i.id) a.associationId = a.instanceId = a.eniId = a.privateIp = undefined;
    });
  });
  pending.forEach((f) => f());
  return {
    instancesSet: out.instancesSet.map((x) => ({
      ...x,
      currentState: { code: CODES[s.instances.get(x.instanceId)!.state], name: s.instances.get(x.instanceId)!.state },
    })),
  };
}

export function RebootInstances(ctx: Ctx, input: Input) {
  change(ctx, input, (i) => {
    if (i.state === "terminated") throw Ec2Errors.incorrectState(i.id, "rebooted");
  });
  return { return: true };
}

export function DescribeInstanceStatus(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const delay = ctx.config.transitionDelayMs;
  const ids = list(input.InstanceIds);
  const all = bool(input.IncludeAllInstances);
  const base = (ids.length ? named(s, ids) : [...s.instances.values()]).filter((i) => all || stateOf(i, delay) === "running");
  const r = select(
    base,
    input,
    {
      "instance-state-name": (i) => stateOf(i, delay),
      "instance-state-code": (i) => CODES[stateOf(i, delay)],
      "availability-zone": (i) => i.az,
      "instance-status.status": (i) => (stateOf(i, delay) === "running" ? "ok" : "not-applicable"),
      "system-status.status": (i) => (stateOf(i, delay) === "running" ? "ok" : "not-applicable"),
      "instance-status.reachability": (i) => (stateOf(i, delay) === "running" ? "passed" : undefined),
      "system-status.reachability": (i) => (stateOf(i, delay) === "running" ? "passed" : undefined),
    },
    (i) => String(i.seq).padStart(12, "0"),
    { paginate: true },
  );
  return {
    instanceStatusSet: r.items.map((i) => {
      const state = stateOf(i, delay);
      const ok = state === "running";
      const status = (name: string) =>
        ok ? { status: "ok", details: [{ name: "reachability", status: "passed" }] } : { status: "not-applicable", details: [] };
      return {
        instanceId: i.id,
        availabilityZone: i.az,
        instanceState: { code: CODES[state], name: state },
        systemStatus: status("system"),
        instanceStatus: status("instance"),
        attachedEbsStatus: status("ebs"),
        eventsSet: [],
      };
    }),
    nextToken: r.nextToken,
  };
}

export function GetConsoleOutput(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const [i] = named(s, [required(input, "InstanceId")]);
  const text = `[    0.000000] Linux version 6.1.0-awsim (awsim@localhost)\r\n[    0.100000] Booting ${i!.id} (${i!.instanceType}) from ${i!.imageId}\r\ncloud-init: ${i!.id} is up\r\n`;
  return { instanceId: i!.id, timestamp: ctx.now(), output: Buffer.from(text).toString("base64") };
}

const ATTRIBUTES = [
  "instanceType",
  "kernel",
  "ramdisk",
  "userData",
  "disableApiTermination",
  "instanceInitiatedShutdownBehavior",
  "rootDeviceName",
  "blockDeviceMapping",
  "productCodes",
  "sourceDestCheck",
  "groupSet",
  "ebsOptimized",
  "sriovNetSupport",
  "enaSupport",
  "enclaveOptions",
  "disableApiStop",
];

export function DescribeInstanceAttribute(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const [i] = named(s, [required(input, "InstanceId")]);
  const attr = required(input, "Attribute");
  if (!ATTRIBUTES.includes(attr)) throw Ec2Errors.invalidValue(`Value (${attr}) for parameter attribute is invalid. Unknown attribute.`);
  const v = (value: unknown) => ({ value });
  const x = i!;
  const map: Record<string, () => unknown> = {
    instanceType: () => v(x.instanceType),
    kernel: () => (x.kernelId ? v(x.kernelId) : {}),
    ramdisk: () => (x.ramdiskId ? v(x.ramdiskId) : {}),
    userData: () => (x.userData ? v(x.userData) : {}),
    disableApiTermination: () => v(x.disableApiTermination),
    disableApiStop: () => v(x.disableApiStop),
    instanceInitiatedShutdownBehavior: () => v(x.shutdownBehavior),
    rootDeviceName: () => v(x.rootDevice),
    blockDeviceMapping: () => instanceBlockDevices(s, x),
    productCodes: () => [],
    sourceDestCheck: () => v(x.sourceDestCheck),
    groupSet: () => x.groups.map((g) => ({ groupId: g, groupName: s.sgs.get(g)?.name })),
    ebsOptimized: () => v(x.ebsOptimized),
    sriovNetSupport: () => (x.sriovNetSupport ? v(x.sriovNetSupport) : {}),
    enaSupport: () => v(x.enaSupport !== false),
    enclaveOptions: () => ({ enabled: false }),
  };
  return { instanceId: x.id, [attr]: map[attr]!() };
}

/** ModifyInstanceAttribute members → the attribute each sets and whether the instance must be stopped. */
const MODIFIABLE: Record<string, { member: string; stopped?: boolean }> = {
  instanceType: { member: "InstanceType", stopped: true },
  kernel: { member: "Kernel", stopped: true },
  ramdisk: { member: "Ramdisk", stopped: true },
  userData: { member: "UserData", stopped: true },
  disableApiTermination: { member: "DisableApiTermination" },
  disableApiStop: { member: "DisableApiStop" },
  instanceInitiatedShutdownBehavior: { member: "InstanceInitiatedShutdownBehavior" },
  sourceDestCheck: { member: "SourceDestCheck" },
  groupSet: { member: "Groups" },
  ebsOptimized: { member: "EbsOptimized", stopped: true },
  enaSupport: { member: "EnaSupport", stopped: true },
  sriovNetSupport: { member: "SriovNetSupport", stopped: true },
  blockDeviceMapping: { member: "BlockDeviceMappings" },
};

export function ModifyInstanceAttribute(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const [i] = named(s, [required(input, "InstanceId")]);
  const x = i!;
  const given = Object.entries(MODIFIABLE).filter(([, m]) => input[m.member] !== undefined);
  if (input.Attribute !== undefined) {
    if (!MODIFIABLE[input.Attribute]) throw Ec2Errors.invalidValue(`Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`);
    if (!given.some(([a]) => a === input.Attribute)) given.push([input.Attribute, MODIFIABLE[input.Attribute]!]);
  }
  if (!given.length) throw Ec2Errors.missing("Attribute");
  if (given.length > 1) throw Ec2Errors.invalidCombination(`Fields for multiple attribute types specified: ${given.map(([a]) => a).join(", ")}`);
  const [attr, spec] = given[0]!;
  const raw = input[spec.member];
  const value = raw !== undefined && raw !== null && typeof raw === "object" && !Array.isArray(raw) && "Value" in raw ? raw.Value : (raw ?? input.Value);
  if (value === undefined || value === null) throw Ec2Errors.missing("Value");
  const flag = (v: unknown) => v === true || String(v).toLowerCase() === "true";
  if (spec.stopped && stateOf(x, ctx.config.transitionDelayMs) !== "stopped")
    throw Ec2Errors.custom("IncorrectInstanceState", `The instance '${x.id}' is not in the 'stopped' state.`);
  const apply: Record<string, () => void> = {
    instanceType: () => {
      const t = String(value);
      if (!INSTANCE_TYPES.some((k) => k.name === t) && !/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(t)) throw Ec2Errors.invalidInstanceType(t);
      x.instanceType = t;
    },
    kernel: () => (x.kernelId = String(value)),
    ramdisk: () => (x.ramdiskId = String(value)),
    userData: () => (x.userData = Buffer.isBuffer(value) ? value.toString("base64") : String(value)),
    disableApiTermination: () => (x.disableApiTermination = flag(value)),
    disableApiStop: () => (x.disableApiStop = flag(value)),
    instanceInitiatedShutdownBehavior: () => {
      if (value !== "stop" && value !== "terminate")
        throw Ec2Errors.invalidValue(`Value (${value}) for parameter instanceInitiatedShutdownBehavior is invalid. Valid values are 'stop' and 'terminate'.`);
      x.shutdownBehavior = value;
    },
    sourceDestCheck: () => (x.sourceDestCheck = flag(value)),
    groupSet: () => {
      const groups = list(value);
      for (const g of groups) {
        const sg = s.sgs.get(g);
        if (!sg) throw Ec2Errors.groupNotFound(g);
        if (sg.vpcId !== x.vpcId) throw Ec2Errors.invalidValue(`Security group ${g} and instance ${x.id} belong to different networks.`);
      }
      x.groups = groups;
      const eni = s.enis.get(x.eniId);
      if (eni) eni.groups = groups;
    },
    ebsOptimized: () => (x.ebsOptimized = flag(value)),
    enaSupport: () => (x.enaSupport = flag(value)),
    sriovNetSupport: () => (x.sriovNetSupport = String(value)),
    blockDeviceMapping: () => {
      const changes: Array<() => void> = [];
      for (const m of (Array.isArray(value) ? value : []) as Input[]) {
        const dev = String(m.DeviceName ?? "");
        const vol = x.volumeIds.map((id) => s.volumes.get(id)).find((v) => v?.attachments.some((a) => a.instanceId === x.id && a.device === dev));
        if (!vol) throw Ec2Errors.invalidValue(`The device '${dev}' does not exist on instance '${x.id}'`);
        if (m.Ebs?.VolumeId !== undefined && m.Ebs.VolumeId !== vol.id)
          throw Ec2Errors.invalidValue(`The volume '${m.Ebs.VolumeId}' is not attached to '${x.id}' at '${dev}'`);
        if (m.Ebs?.DeleteOnTermination !== undefined)
          changes.push(() => {
            for (const a of vol.attachments) if (a.instanceId === x.id) a.deleteOnTermination = m.Ebs.DeleteOnTermination === true;
          });
      }
      for (const c of changes) c();
    },
  };
  dryRun(input);
  apply[attr]!();
  return { return: true };
}
