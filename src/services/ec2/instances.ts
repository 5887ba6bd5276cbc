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
  st,
  tagList,
  zonesOf,
  type Input,
} from "./common.js";
import { Ec2Errors } from "./errors.js";
import { ensureImage } from "./images.js";
import { INSTANCE_TYPES } from "./misc.js";
import { eniView, freeAddresses, getSubnet, newEni, releaseIp } from "./network.js";
import type { Ec2State, InstanceRec } from "./state.js";

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
    blockDeviceMapping: live
      ? [{ deviceName: i.rootDevice, ebs: { volumeId: i.volumeId, status: "attached", attachTime: i.launchTime, deleteOnTermination: true } }]
      : [],
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

export function RunInstances(ctx: Ctx, input: Input) {
  const s = st(ctx);
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
      volumeId: ec2Id("vol"),
      rootDevice: image.rootDeviceName,
      architecture: typeInfo?.arch ?? image.architecture,
      monitoring: bool(input.Monitoring?.Enabled) ? "enabled" : "disabled",
      tags: new Map(),
    };
    s.instances.set(id, i);
    applyTagSpec(s, input, "instance", id, i);
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
  const map: Record<string, unknown> = {
    instanceType: v(i!.instanceType),
    kernel: {},
    ramdisk: {},
    userData: i!.userData ? v(i!.userData) : {},
    disableApiTermination: v(i!.disableApiTermination),
    disableApiStop: v(false),
    instanceInitiatedShutdownBehavior: v(i!.shutdownBehavior),
    rootDeviceName: v(i!.rootDevice),
    blockDeviceMapping: [
      { deviceName: i!.rootDevice, ebs: { volumeId: i!.volumeId, status: "attached", attachTime: i!.launchTime, deleteOnTermination: true } },
    ],
    productCodes: [],
    sourceDestCheck: v(i!.sourceDestCheck),
    groupSet: i!.groups.map((g) => ({ groupId: g, groupName: s.sgs.get(g)?.name })),
    ebsOptimized: v(i!.ebsOptimized),
    sriovNetSupport: {},
    enaSupport: v(true),
    enclaveOptions: { enabled: false },
  };
  return { instanceId: i!.id, [attr]: map[attr] };
}

export function ModifyInstanceAttribute(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const [i] = named(s, [required(input, "InstanceId")]);
  dryRun(input);
  const delay = ctx.config.transitionDelayMs;
  const val = (x: Input | undefined) => (x && typeof x === "object" ? x.Value : x);
  if (input.InstanceType !== undefined || input.Attribute === "instanceType") {
    if (stateOf(i!, delay) !== "stopped") throw Ec2Errors.incorrectState(i!.id, "modified");
    i!.instanceType = String(val(input.InstanceType) ?? input.Value);
  }
  if (input.DisableApiTermination !== undefined) i!.disableApiTermination = bool(val(input.DisableApiTermination));
  if (input.SourceDestCheck !== undefined) i!.sourceDestCheck = bool(val(input.SourceDestCheck));
  if (input.InstanceInitiatedShutdownBehavior !== undefined) i!.shutdownBehavior = String(val(input.InstanceInitiatedShutdownBehavior));
  if (input.UserData?.Value !== undefined) i!.userData = Buffer.from(input.UserData.Value).toString("base64");
  if (input.EbsOptimized !== undefined) i!.ebsOptimized = bool(val(input.EbsOptimized));
  const groups = list(input.Groups);
  if (groups.length) {
    for (const g of groups) if (!s.sgs.has(g)) throw Ec2Errors.groupNotFound(g);
    i!.groups = groups;
    const eni = s.enis.get(i!.eniId);
    if (eni) eni.groups = groups;
  }
  return { return: true };
}
