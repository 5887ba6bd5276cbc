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
  zoneIdOf,
  zonesOf,
  requestedZone,
  type Input,
} from "./common.js";
import { Ec2Errors } from "./errors.js";
import { IdempotencyErrors, priorRequest, rememberRequest } from "./idempotency.js";
import { spotMarket, spotMarketRequests } from "./more/spot.js";
import { addIpv6 } from "./ipv6.js";
import { mergeLaunchTemplate } from "./launch-templates.js";
import { ensureImage, imageDevices } from "./images.js";
import { awsCpuTopology, awsInstanceTypes, awsOfferings, cpuTopology, INSTANCE_TYPES, xenType } from "./misc.js";
import { extraOf, instanceExtra, type InstanceExtra } from "./extra/state.js";
import { allocateIp, eniView, freeAddresses, getSubnet, ipv4Of, ipv6OnlyRequest, newEni, publicAssociation, removeEni } from "./network.js";
import type { Ec2State, EniRec, ImageRec, InstanceRec, SubnetRec } from "./state.js";
import { instanceFirmwareView, instanceOptionsView, launchFirmware, setLaunchOptions } from "./compute/state.js";
import { attachSecondaryInterfaces, planSecondaryInterfaces, releaseSecondaryInterfaces, secondaryInterfacesView } from "./compute/secondary.js";
import {
  accountDefaultCredits,
  checkImageAllowed,
  hostPlacementView,
  hostZone,
  launchMetadata,
  placeOnHost,
  planHosts,
  restartOnHost,
} from "./extra/launch-defaults.js";
import { checkVolumeSpec, instanceBlockDevices, newVolume, releaseInstanceVolumes, type VolumeSpec } from "./volumes.js";

/** The instance types awsim knows, by name (built once from the constant table). */
/** Instance types by name, built on first use: misc.ts and this module import each other (through images.ts), so
 * INSTANCE_TYPES may not be initialised yet while this module is first evaluated. */
let typesByName: Map<string, (typeof INSTANCE_TYPES)[number]> | undefined;
const TYPE_BY_NAME = {
  get: (name: string) => (typesByName ??= new Map(INSTANCE_TYPES.map((t) => [t.name, t]))).get(name),
  has: (name: string) => TYPE_BY_NAME.get(name) !== undefined,
};
const TYPE_NAME = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

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

/** Parts of every instance's view that never change (shared, read-only; the encoder only reads them). */
const FIXED = Object.freeze({
  productCodes: Object.freeze([]) as never[],
  capacityReservationSpecification: Object.freeze({ capacityReservationPreference: "open" }),
  hibernationOptions: Object.freeze({ configured: false }),
  enclaveOptions: Object.freeze({ enabled: false }),
  maintenanceOptions: Object.freeze({ autoRecovery: "default", rebootMigration: "default" }),
  networkPerformanceOptions: Object.freeze({ bandwidthWeighting: "default" }),
  operator: Object.freeze({ managed: false }),
});

function instanceView(s: Ec2State, i: InstanceRec, delay: number) {
  const state = stateOf(i, delay);
  const live = state !== "terminated";
  const host = hostPlacementView(s, i.id) as { hostId?: string; affinity?: string };
  const options = instanceOptionsView(s, i.id);
  const fw = instanceFirmwareView(s, i.id);
  const extra = extraOf(s).instances.get(i.id);
  return {
    instanceId: i.id,
    imageId: i.imageId,
    instanceState: { code: CODES[state], name: state },
    privateDnsName: live ? instanceDnsName(s, i) : "",
    dnsName: live && i.publicIp && state !== "stopped" ? publicDnsName(s.region, i.publicIp) : "",
    reason: i.stateTransitionReason,
    keyName: i.keyName,
    amiLaunchIndex: i.amiLaunchIndex,
    productCodes: FIXED.productCodes,
    instanceType: i.instanceType,
    launchTime: i.launchTime,
    placement: {
      availabilityZone: i.az,
      groupName: i.placementGroup ?? "",
      groupId: i.placementGroup ? s.placementGroups.get(i.placementGroup)?.id : undefined,
      partitionNumber: i.placementGroup ? i.placementPartition : undefined,
      tenancy: i.tenancy,
      availabilityZoneId: zoneIdOf(s.region, i.az),
      hostId: host.hostId,
      affinity: host.affinity,
    },
    monitoring: { state: i.monitoring },
    subnetId: live ? i.subnetId : undefined,
    vpcId: live ? i.vpcId : undefined,
    privateIpAddress: live ? i.privateIp || undefined : undefined,
    ipAddress: live && state !== "stopped" && state !== "stopping" ? i.publicIp : undefined,
    ipv6Address: live ? s.enis.get(i.eniId)?.ipv6Ips[0] : undefined,
    sourceDestCheck: i.sourceDestCheck,
    groupSet: i.groups.map((g) => ({ groupId: g, groupName: s.sgs.get(g)?.name })),
    stateReason: i.stateReason,
    architecture: i.architecture,
    rootDeviceType: "ebs",
    rootDeviceName: i.rootDevice,
    blockDeviceMapping: live ? instanceBlockDevices(s, i) : [],
    virtualizationType: s.images.get(i.imageId)?.virtualizationType ?? "hvm",
    clientToken: i.clientToken ?? "",
    tagSet: i.tags.size ? tagList(i) : undefined,
    hypervisor: "xen",
    networkInterfaceSet: live ? instanceEnisView(s, i) : [],
    iamInstanceProfile: i.iamInstanceProfile ? { arn: i.iamInstanceProfile, id: extra?.iamProfileId ?? "AIPA" + i.id.slice(2, 19).toUpperCase() } : undefined,
    ebsOptimized: ebsOptimizedOf(i),
    enaSupport: true,
    cpuOptions: cpuOptionsOf(s, i),
    capacityReservationSpecification: capacityReservationOf(extra),
    hibernationOptions: extra?.hibernation ? { configured: true } : FIXED.hibernationOptions,
    metadataOptions: { state: "applied", ...i.metadata },
    enclaveOptions: extra?.enclave ? { enabled: true } : FIXED.enclaveOptions,
    bootMode: fw ? fw.bootMode : "uefi-preferred",
    // "windows" for Windows instances, otherwise absent (the Instance.Platform reference).
    platform: s.images.get(i.imageId)?.platform === "windows" ? "windows" : undefined,
    platformDetails: s.images.get(i.imageId)?.platformDetails ?? "Linux/UNIX",
    usageOperation: "RunInstances",
    usageOperationUpdateTime: i.launchTime,
    privateDnsNameOptions: options.privateDnsNameOptions,
    networkPerformanceOptions: options.networkPerformanceOptions ?? FIXED.networkPerformanceOptions,
    maintenanceOptions:
      extra?.autoRecovery || extra?.rebootMigration
        ? { autoRecovery: extra.autoRecovery ?? "default", rebootMigration: extra.rebootMigration ?? "default" }
        : FIXED.maintenanceOptions,
    currentInstanceBootMode: currentBootMode(i, fw),
    operator: FIXED.operator,
    tpmSupport: fw?.tpmSupport,
    instanceLifecycle: i.lifecycle,
    spotInstanceRequestId: i.spotRequestId,
    secondaryInterfaceSet: live ? secondaryInterfacesView(s, i.id) : undefined,
  };
}

/**
 * The boot mode an instance runs in: its AMI's UEFI (or NitroTPM) choice, else uefi-preferred, which is UEFI
 * on Nitro and Graviton types and legacy BIOS on Xen types (T2, M1).
 */
function currentBootMode(i: InstanceRec, fw: { bootMode: string; current: string } | undefined): string {
  if (fw && fw.bootMode !== "uefi-preferred") return fw.current;
  if (fw?.current === "uefi") return "uefi";
  return xenType(i.instanceType) ? "legacy-bios" : "uefi";
}

/** EBS optimisation: asked for, or the default of the (Nitro) instance types that are EBS-optimized by default. */
const ebsOptimizedOf = (i: InstanceRec) => !!i.ebsOptimized || (TYPE_BY_NAME.has(i.instanceType) && !xenType(i.instanceType));

/** Capacity Reservation settings: "open" unless ModifyInstanceCapacityReservationAttributes changed them. */
function capacityReservationOf(extra: InstanceExtra | undefined) {
  const c = extra?.capacityReservation;
  if (!c) return FIXED.capacityReservationSpecification;
  if (c.target)
    return {
      capacityReservationTarget: {
        capacityReservationId: c.target.CapacityReservationId,
        capacityReservationResourceGroupArn: c.target.CapacityReservationResourceGroupArn,
      },
    };
  return { capacityReservationPreference: c.preference };
}

/** CPU options: the instance type's default topology unless RunInstances or ModifyInstanceCpuOptions set them. */
function cpuOptionsOf(s: Ec2State, i: InstanceRec) {
  const t = TYPE_BY_NAME.get(i.instanceType);
  const d = t ? cpuTopology(t) : awsCpuTopology(i.instanceType);
  const e = extraOf(s).instances.get(i.id);
  return { coreCount: e?.coreCount ?? d.cores, threadsPerCore: e?.threadsPerCore ?? d.threads };
}

/** An instance's attached interfaces as its networkInterfaceSet shows them (no zone, tags, requester or owner; the model's Instance* shapes lack the attachment's instance, the association's ids and the DNS name options). */
function instanceEnisView(s: Ec2State, i: InstanceRec) {
  const out: Array<Record<string, unknown>> = [];
  for (const id of i.eniIds) {
    const e = s.enis.get(id);
    if (!e?.attachment) continue;
    const v: Record<string, unknown> = eniView(s, e);
    v.availabilityZone = undefined;
    v.availabilityZoneId = undefined;
    v.tagSet = undefined;
    v.requesterManaged = v.requesterId = v.ipv6Address = undefined;
    v.attachment = { ...(v.attachment as object), instanceOwnerId: undefined, instanceId: undefined };
    // InstanceNetworkInterfaceAssociation names no allocation or association id; the instance view has no DNS name options.
    const assoc = (a: unknown) => (a ? { ...(a as object), allocationId: undefined, associationId: undefined } : undefined);
    v.association = assoc(v.association);
    v.privateIpAddressesSet = (v.privateIpAddressesSet as Array<Record<string, unknown>>).map((p) => ({ ...p, association: assoc(p.association) }));
    v.publicIpDnsNameOptions = undefined;
    out.push(v);
  }
  return out;
}

/** Terminated instances, oldest termination first (built from the instances when the state has none yet). */
function terminatedQueue(s: Ec2State): InstanceRec[] {
  if (!s.terminatedQueue) {
    s.terminatedQueue = [...s.instances.values()].filter((i) => i.terminatedAt !== undefined).sort((a, b) => a.terminatedAt! - b.terminatedAt!);
  }
  return s.terminatedQueue;
}

function pruneTerminated(s: Ec2State, now = Date.now()) {
  const q = terminatedQueue(s);
  let n = 0;
  while (n < q.length && now - q[n]!.terminatedAt! > TERMINATED_RETENTION_MS) n++;
  if (n === 0) return;
  for (const i of q.splice(0, n)) {
    if (s.instances.get(i.id) !== i) continue;
    dropTags(s, i.id, i);
    s.instances.delete(i.id);
  }
}

/**
 * RunInstances as the API serves it: an IamInstanceProfile (by name or ARN) must be one IAM knows, AWS answers
 * InvalidParameterValue otherwise; the instance shows the profile's real ARN (with its path) and id.
 */
export async function RunInstancesOperation(ctx: Ctx, request: Input) {
  // A retry with the request's ClientToken launches nothing: the first answer again, with the instances' states now.
  const s = st(ctx);
  const prior = priorRequest(s, "RunInstances", request, IdempotencyErrors.arguments);
  if (prior) {
    dryRun(request);
    return replayLaunch(s, prior.answer as string, prior.ids, ctx.config.transitionDelayMs ?? 0);
  }
  const market = spotMarket(s, request, request.LaunchTemplate ? templateOrNothing(s, request) : undefined);
  const answer = await launchWithProfile(ctx, request);
  if (market) {
    const sirs = spotMarketRequests(
      s,
      answer.instancesSet.map((i) => String(i.instanceId)),
      market,
      ctx.now(),
    );
    for (const v of answer.instancesSet as Array<Record<string, unknown>>) {
      v.instanceLifecycle = "spot";
      v.spotInstanceRequestId = sirs.get(String(v.instanceId));
    }
  }
  rememberRequest(
    s,
    "RunInstances",
    request,
    answer.instancesSet.map((i) => String(i.instanceId)),
    answer.reservationId,
  );
  return answer;
}

/** The launch template's data under the request (undefined when the template is unknown: RunInstances says so). */
function templateOrNothing(s: Ec2State, request: Input): Input | undefined {
  try {
    return mergeLaunchTemplate(s, request);
  } catch {
    return undefined;
  }
}

/** The first launch's answer again (its instances still known), each instance in its state now. */
function replayLaunch(s: Ec2State, reservationId: string, ids: string[], delay: number): ReturnType<typeof RunInstances> {
  const known = ids.map((id) => s.instances.get(id)).filter((i): i is InstanceRec => i !== undefined);
  const answer = launchAnswer(s, reservationId, known);
  for (const v of answer.instancesSet) {
    const state = stateOf(s.instances.get(String(v.instanceId))!, delay);
    v.instanceState = { code: CODES[state], name: state };
    if (state !== "pending") v.stateReason = undefined;
  }
  return answer;
}

async function launchWithProfile(ctx: Ctx, request: Input) {
  await loadIamProfiles(ctx);
  return RunInstances(ctx, request);
}

type IamProfile = { name: string; arn: string; id: string };
const IAM_PROFILES = Symbol("ec2.iamProfiles");

/**
 * IAM's instance profiles, read once for a request that launches (RunInstances, CreateFleet, RequestSpotFleet,
 * RequestSpotInstances): the launch's profile (the request's or its launch template's) must be one IAM knows.
 */
export async function loadIamProfiles(ctx: Ctx): Promise<void> {
  const iam = await ctx.stateOf<{ profiles?: Map<string, IamProfile> }>("iam").catch(() => undefined);
  (ctx as unknown as Record<symbol, IamProfile[]>)[IAM_PROFILES] = [...(iam?.profiles?.values() ?? [])];
}

/** The launch with its instance profile resolved to IAM's ARN and id (AWS's InvalidParameterValue for an unknown one). */
function withIamProfile(ctx: Ctx, input: Input): Input {
  const known = (ctx as unknown as Record<symbol, IamProfile[] | undefined>)[IAM_PROFILES];
  const p = input.IamInstanceProfile as { Arn?: string; Name?: string } | undefined;
  if (!known || (!p?.Arn && !p?.Name) || input.iamProfileId) return input;
  const profile = known.find((x) => (p.Arn ? x.arn === p.Arn : x.name === p.Name));
  if (!profile)
    throw Ec2Errors.invalidValue(
      p.Arn
        ? `Value (${p.Arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`
        : `Value (${p.Name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`,
    );
  return { ...input, IamInstanceProfile: { Arn: profile.arn }, iamProfileId: profile.id };
}

export function RunInstances(ctx: Ctx, request: Input) {
  const s = st(ctx);
  const merged = normalizePlacement(s, mergeLaunchTemplate(s, request));
  // A Dedicated Host launch without a subnet or zone goes to the zone of its host.
  const hostAz = hostZone(s, merged.Placement, String(merged.InstanceType ?? ""));
  const input = withIamProfile(
    ctx,
    hostAz && !merged.Placement?.AvailabilityZone ? { ...merged, Placement: { ...merged.Placement, AvailabilityZone: hostAz } } : merged,
  );
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
  const typeInfo = TYPE_BY_NAME.get(instanceType);
  if (!typeInfo && !TYPE_NAME.test(instanceType)) throw Ec2Errors.invalidInstanceType(instanceType);
  const supported: string[] | undefined =
    awsInstanceTypes().get(instanceType)?.processorInfo?.supportedArchitectures ?? (typeInfo ? [typeInfo.arch] : undefined);
  const typeArch = supported?.find((a) => a !== "i386") ?? supported?.[0];
  const image = ensureImage(s, imageId, typeArch === "arm64" ? "arm64" : "x86_64");
  // Mac types (x86_64_mac/arm64_mac) launch from any image: awsim's catalogue has no macOS AMI.
  if (supported && !supported.includes(image.architecture) && !supported.some((a) => a.endsWith("_mac")))
    throw Ec2Errors.invalidValue(
      `The architecture '${typeArch}' of the specified instance type does not match the architecture '${image.architecture}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.`,
    );
  checkImageAllowed(s, image, ctx.now());
  if (input.KeyName && !s.keyPairs.has(String(input.KeyName))) throw Ec2Errors.keyPairNotFound(String(input.KeyName));
  const plan = planInterfaces(s, input);
  const subnet = plan[0]!.subnet;
  checkOffered(s.region, instanceType, subnet.az);
  // A type without IPv6 support (networkInfo.ipv6Supported false: m1, m3, ...) cannot be given IPv6 addresses, nor launch
  // into an IPv6-only subnet, where the interface has nothing else (AWS's answer, karpenter-provider-aws#2975). (A
  // subnet's AssignIpv6AddressOnCreation alone is not checked: awsim keeps giving such a type its address.)
  const asksIpv6 = (x: Input | undefined) => x !== undefined && (list(x.Ipv6Addresses).length > 0 || Number(x.Ipv6AddressCount ?? 0) > 0);
  if (
    awsInstanceTypes().get(instanceType)?.networkInfo?.ipv6Supported === false &&
    (asksIpv6(input) ||
      ((input.NetworkInterfaces ?? []) as Input[]).some((n) => n.NetworkInterfaceId === undefined && asksIpv6(n)) ||
      plan.some((p) => !p.existing && p.subnet.ipv6Native))
  )
    throw Ec2Errors.custom("UnsupportedOperation", `IPv6 addresses are not supported on ${instanceType}`);
  const groups = plan[0]!.groups;
  const placement = placementOf(s, input, subnet);
  const devices = blockDevices(s, input, image);
  const hostPlan = planHosts(s, input.Placement, instanceType, subnet.az, min, max);
  const secondary = planSecondaryInterfaces(s, input, subnet.az, instanceType, typeInfo !== undefined, max);
  // "You can't enable Amazon Web Services Nitro Enclaves and hibernation on the same instance" (RunInstances reference).
  if (input.EnclaveOptions?.Enabled === true && input.HibernationOptions?.Configured === true)
    throw Ec2Errors.invalidCombination("You can't enable Nitro Enclaves and hibernation on the same instance.");
  dryRun(input);
  // An IPv6-only subnet needs no IPv4 address per instance (its /64 never runs out).
  const free = subnet.ipv6Native ? max : freeAddresses(subnet);
  if (free < min)
    throw Ec2Errors.custom(
      "InsufficientFreeAddressesInSubnet",
      `There are not enough free addresses in subnet '${subnet.id}' to satisfy the requested number of instances.`,
    );
  const count = Math.min(max, free, hostPlan ? hostPlan.hosts.length : max);
  const reservationId = ec2Id("r");
  const now = ctx.now();
  const assoc = plan[0]!.associatePublicIp;
  const publicIp = assoc !== undefined ? assoc : subnet.mapPublicIpOnLaunch;
  const out: InstanceRec[] = [];
  for (let n = 0; n < count; n++) {
    const id = ec2Id("i");
    const enis: EniRec[] = [];
    const eniIds: string[] = [];
    for (const p of plan) {
      const eni = p.existing ?? newEni(s, p.subnet, p.groups, p.description, n === 0 ? p.ip : undefined);
      if (!p.existing) {
        if (n === 0) for (const ip of p.secondaryIps) eni.secondaryIps.push(allocateIp(p.subnet, ip));
        for (let k = 0; k < p.secondaryCount; k++) eni.secondaryIps.push(allocateIp(p.subnet));
        ipv6OnlyRequest(p.subnet, eni, n === 0 ? p.ipv6 : [], p.ipv6Count);
        if (n === 0 ? p.ipv6.length || p.ipv6Count : p.ipv6Count) addIpv6(s, eni, n === 0 ? p.ipv6 : [], p.ipv6Count);
      }
      eni.attachment = { id: ec2Id("eni-attach"), instanceId: id, deviceIndex: p.deviceIndex, attachTime: now, deleteOnTermination: p.deleteOnTermination };
      enis.push(eni);
      eniIds.push(eni.id);
    }
    const eni = enis[0]!;
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
      autoPublicIp: publicIp || undefined,
      groups: [...groups],
      state: "pending",
      target: "running",
      since: Date.now(),
      stateTransitionReason: "",
      userData: input.UserData,
      iamInstanceProfile:
        input.IamInstanceProfile?.Arn ??
        (input.IamInstanceProfile?.Name ? `arn:aws:iam::${s.accountId}:instance-profile/${input.IamInstanceProfile.Name}` : undefined),
      iamAssociationId: input.IamInstanceProfile?.Arn || input.IamInstanceProfile?.Name ? ec2Id("iip-assoc") : undefined,
      eniId: eni.id,
      eniIds,
      metadata: launchMetadata(s, input.MetadataOptions, {
        httpTokens: "required",
        httpPutResponseHopLimit: 2,
        httpEndpoint: "enabled",
        httpProtocolIpv6: input.MetadataOptions?.HttpProtocolIpv6 ?? "disabled",
        instanceMetadataTags: "disabled",
      }),
      cpuCredits: creditsFor(instanceType, input.CreditSpecification?.CpuCredits ?? accountDefaultCredits(s, instanceType)),
      tenancy: hostPlan ? "host" : placement.tenancy,
      placementGroup: placement.groupName,
      placementPartition: placement.partition ?? leastUsedPartition(s, placement.groupName),
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
    if (hostPlan) placeOnHost(s, id, hostPlan, n);
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
    setLaunchOptions(s, id, input, subnet);
    if (input.iamProfileId) instanceExtra(extraOf(s), id).iamProfileId = String(input.iamProfileId);
    const cpu = input.CpuOptions as { CoreCount?: number; ThreadsPerCore?: number } | undefined;
    if (cpu?.CoreCount !== undefined || cpu?.ThreadsPerCore !== undefined) {
      const e = instanceExtra(extraOf(s), id);
      e.coreCount = cpu.CoreCount;
      e.threadsPerCore = cpu.ThreadsPerCore;
    }
    if (input.HibernationOptions?.Configured === true) instanceExtra(extraOf(s), id).hibernation = true;
    if (input.EnclaveOptions?.Enabled === true) instanceExtra(extraOf(s), id).enclave = true;
    if (input.MaintenanceOptions?.AutoRecovery !== undefined) instanceExtra(extraOf(s), id).autoRecovery = String(input.MaintenanceOptions.AutoRecovery);
    launchFirmware(s, id, image.id);
    attachSecondaryInterfaces(s, input, secondary, id, now);
    for (const [k, v] of input.launchTemplateTags ?? []) setTag(s, id, i, k, v);
    for (const e of enis) if (!plan.find((p) => p.existing === e)) applyTagSpec(s, input, "network-interface", e.id, e);
    out.push(i);
  }
  return launchAnswer(s, reservationId, out);
}

/** RunInstances' answer for the instances of one launch, as AWS gives it at launch. */
function launchAnswer(s: Ec2State, reservationId: string, out: InstanceRec[]) {
  return {
    reservationId,
    ownerId: s.accountId,
    groupSet: [],
    instancesSet: out.map((i) => {
      const v: Record<string, unknown> = instanceView(s, i, Infinity);
      // The answer shows the launch as AWS gives it: pending, metadata options pending, interfaces attaching,
      // no volumes or public address yet, no tag set without tags, no billing or hibernation details.
      v.instanceState = { code: 0, name: "pending" };
      v.stateReason = { code: "pending", message: "pending" };
      v.metadataOptions = { ...(v.metadataOptions as object), state: "pending" };
      v.blockDeviceMapping = [];
      v.dnsName = "";
      v.ipAddress = undefined;
      v.hibernationOptions = undefined;
      v.platformDetails = undefined;
      v.usageOperation = undefined;
      v.usageOperationUpdateTime = undefined;
      v.networkPerformanceOptions = undefined;
      v.operator = undefined;
      for (const n of v.networkInterfaceSet as Array<Record<string, unknown>>) {
        n.attachment = { ...(n.attachment as object), status: "attaching" };
        n.operator = undefined;
        if (n.association && (n.association as { ipOwnerId?: string }).ipOwnerId === "amazon") {
          n.association = undefined;
          n.privateIpAddressesSet = (n.privateIpAddressesSet as Array<Record<string, unknown>>).map((p) => ({ ...p, association: undefined }));
        }
      }
      return v as ReturnType<typeof instanceView>;
    }),
  };
}

interface NicPlan {
  deviceIndex: number;
  ipv6: string[];
  ipv6Count: number;
  subnet: SubnetRec;
  groups: string[];
  ip?: string;
  secondaryIps: string[];
  secondaryCount: number;
  description: string;
  deleteOnTermination: boolean;
  associatePublicIp?: boolean;
  existing?: EniRec;
}

/** Security group ids and names → ids in a VPC (the VPC's default group when none). */
function resolveGroups(s: Ec2State, ids: string[], names: string[], subnet: SubnetRec): string[] {
  const groups = [...ids];
  for (const name of names) {
    const g = [...s.sgs.values()].find((x) => x.name === name && x.vpcId === subnet.vpcId);
    if (!g) throw Ec2Errors.groupNotFound(name);
    groups.push(g.id);
  }
  for (const g of groups) {
    const sg = s.sgs.get(g);
    if (!sg) throw Ec2Errors.groupNotFound(g);
    if (sg.vpcId !== subnet.vpcId) throw Ec2Errors.custom("InvalidParameter", `Security group ${g} and subnet ${subnet.id} belong to different networks.`);
  }
  return groups.length ? [...new Set(groups)] : [[...s.sgs.values()].find((g) => g.vpcId === subnet.vpcId && g.name === "default")!.id];
}

/** The interfaces an instance launches with: NetworkInterfaces, or one from SubnetId / the default subnet. */
/** The Region's zones that offer an instance type (AWS's DescribeInstanceTypeOfferings); undefined when AWS's records have none. */
export function offeredZones(region: string, type: string): string[] | undefined {
  // AWS's records do not change while awsim runs: each answer is computed once (a launch asks twice, and the
  // records list hundreds of types per zone).
  const key = `${region}\u0000${type}`;
  if (offeredMemo.has(key)) return offeredMemo.get(key);
  const offers = awsOfferings(region);
  const zones = offers
    ? zonesOf(region)
        .map((z) => z.name)
        .filter((z) => offers[z]?.includes(type))
    : [];
  const answer = zones.length ? zones : undefined;
  if (offeredMemo.size < 100_000) offeredMemo.set(key, answer);
  return answer;
}
const offeredMemo = new Map<string, string[] | undefined>();

/** AWS's Unsupported answer for a type the launch's zone does not offer (Karpenter counts it as an unavailable offering). */
function checkOffered(region: string, type: string, az: string): void {
  const zones = offeredZones(region, type);
  if (zones && !zones.includes(az))
    throw Ec2Errors.custom(
      "Unsupported",
      `Your requested instance type (${type}) is not supported in your requested Availability Zone (${az}). Please retry your request by not specifying an Availability Zone or choosing ${zones.join(", ")}.`,
    );
}

function planInterfaces(s: Ec2State, input: Input): NicPlan[] {
  const nics = (input.NetworkInterfaces ?? []) as Input[];
  if (!nics.length) {
    // Without a subnet, the default subnet with the most free addresses (in the requested zone, if any), in a zone
    // that offers the instance type.
    const offered = offeredZones(s.region, String(input.InstanceType ?? "m1.small"));
    const defaults = [...s.subnets.values()].filter(
      (x) => x.vpcId === s.defaultVpcId && x.defaultForAz && (!input.Placement?.AvailabilityZone || x.az === input.Placement.AvailabilityZone),
    );
    const usable = input.Placement?.AvailabilityZone || !offered ? defaults : defaults.filter((x) => offered.includes(x.az));
    const subnet = input.SubnetId ? getSubnet(s, String(input.SubnetId)) : (usable.length ? usable : defaults).sort((a, b) => a.used.size - b.used.size)[0];
    if (!subnet) throw Ec2Errors.custom("VPCIdNotSpecified", "No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.");
    return [
      {
        deviceIndex: 0,
        subnet,
        groups: resolveGroups(s, list(input.SecurityGroupIds), list(input.SecurityGroups), subnet),
        ip: input.PrivateIpAddress,
        ipv6: input.Ipv6Addresses ? list(input.Ipv6Addresses.map((x: Input) => x.Ipv6Address)) : [],
        ipv6Count: Number(input.Ipv6AddressCount ?? (subnet.assignIpv6 ? 1 : 0)),
        secondaryIps: [],
        secondaryCount: 0,
        description: "",
        deleteOnTermination: true,
      },
    ];
  }
  if (input.SubnetId !== undefined)
    throw Ec2Errors.invalidCombination("Network interfaces and an instance-level subnet ID may not be specified on the same request");
  if (list(input.SecurityGroupIds).length || list(input.SecurityGroups).length)
    throw Ec2Errors.invalidCombination("Network interfaces and an instance-level security groups may not be specified on the same request");
  if (nics.length > 1 && nics.some((n) => n.AssociatePublicIpAddress === true))
    throw Ec2Errors.invalidCombination("The associatePublicIPAddress parameter cannot be specified when launching with multiple network interfaces.");
  const seen = new Set<number>();
  const plan = nics.map((n) => {
    if (n.DeviceIndex === undefined) throw Ec2Errors.invalidValue("Each network interface requires a device index.");
    if (seen.has(n.DeviceIndex)) throw Ec2Errors.invalidValue("Each network interface requires a unique device index.");
    seen.add(n.DeviceIndex);
    let existing: EniRec | undefined;
    if (n.NetworkInterfaceId !== undefined) {
      existing = s.enis.get(String(n.NetworkInterfaceId));
      if (!existing) throw Ec2Errors.notFound("NetworkInterface", "networkInterface", [String(n.NetworkInterfaceId)]);
      if (existing.attachment) throw Ec2Errors.eniInUse(existing.id);
      if ((input.MaxCount ?? 1) > 1) throw Ec2Errors.invalidValue("Network interfaces can only be attached to one instance; MaxCount must be 1.");
    }
    const subnet = existing ? s.subnets.get(existing.subnetId)! : n.SubnetId ? getSubnet(s, String(n.SubnetId)) : undefined;
    if (!subnet) throw Ec2Errors.missing("NetworkInterface.SubnetId");
    const addrs = (n.PrivateIpAddresses ?? []) as Input[];
    const primary = n.PrivateIpAddress ?? addrs.find((a) => a.Primary === true)?.PrivateIpAddress;
    return {
      deviceIndex: Number(n.DeviceIndex),
      subnet,
      groups: existing ? existing.groups : resolveGroups(s, list(n.Groups), [], subnet),
      ip: primary,
      ipv6: list((n.Ipv6Addresses ?? []).map((x: Input) => x.Ipv6Address)),
      ipv6Count: Number(n.Ipv6AddressCount ?? (subnet.assignIpv6 && !existing ? 1 : 0)),
      secondaryIps: addrs.filter((a) => a.PrivateIpAddress !== primary).map((a) => String(a.PrivateIpAddress)),
      secondaryCount: Number(n.SecondaryPrivateIpAddressCount ?? 0),
      description: String(n.Description ?? ""),
      deleteOnTermination: existing ? false : n.DeleteOnTermination !== false,
      associatePublicIp: n.AssociatePublicIpAddress,
      existing,
    };
  });
  plan.sort((a, b) => a.deviceIndex - b.deviceIndex);
  if (plan[0]!.deviceIndex !== 0) throw Ec2Errors.invalidValue("A network interface with device index 0 is required.");
  for (const p of plan)
    if (p.subnet.az !== plan[0]!.subnet.az)
      throw Ec2Errors.invalidValue(`The subnets of all network interfaces must be in the same availability zone (${plan[0]!.subnet.az}).`);
  return plan;
}

function placementOf(s: Ec2State, input: Input, subnet: SubnetRec) {
  const p = (input.Placement ?? {}) as Input;
  if (p.AvailabilityZone && p.AvailabilityZone !== subnet.az)
    throw Ec2Errors.invalidValue(
      `Value (${p.AvailabilityZone}) for parameter availabilityZone is invalid. Subnet '${subnet.id}' is in the availability zone ${subnet.az}`,
    );
  const vpcTenancy = s.vpcs.get(subnet.vpcId)?.instanceTenancy ?? "default";
  const tenancy = String(p.Tenancy ?? (vpcTenancy === "dedicated" ? "dedicated" : "default"));
  if (p.GroupName && !s.placementGroups.has(String(p.GroupName)))
    throw Ec2Errors.custom("InvalidPlacementGroup.Unknown", `The Placement Group '${p.GroupName}' is unknown.`);
  const groupName = (p.GroupName || undefined) as string | undefined;
  return { tenancy, groupName, partition: checkPartition(s, groupName, p.PartitionNumber) };
}

/**
 * Placement by zone id or group id, resolved to the zone and group names the rest of the launch uses; each
 * pair is one or the other ("you can specify AvailabilityZone or AvailabilityZoneId, but not both"; likewise
 * GroupName or GroupId).
 */
function normalizePlacement(s: Ec2State, input: Input): Input {
  const p = input.Placement as Input | undefined;
  if (!p) return input;
  const out: Input = { ...p };
  const zone = requestedZone(s.region, p.AvailabilityZone, p.AvailabilityZoneId);
  if (zone) out.AvailabilityZone = zone.name;
  delete out.AvailabilityZoneId;
  if (p.GroupId !== undefined && p.GroupId !== "") {
    if (p.GroupName) throw Ec2Errors.invalidCombination("The parameter groupName cannot be used with the parameter groupId");
    out.GroupName = placementGroupById(s, String(p.GroupId)).name;
    delete out.GroupId;
  }
  return { ...input, Placement: out };
}

export function placementGroupById(s: Ec2State, id: string) {
  for (const g of s.placementGroups.values()) if (g.id === id) return g;
  throw Ec2Errors.custom("InvalidPlacementGroup.Unknown", `The Placement Group '${id}' is unknown.`);
}

/** A requested partition number: only in a partition placement group, and one of its partitions. */
export function checkPartition(s: Ec2State, groupName: string | undefined, n: unknown): number | undefined {
  if (n === undefined) return undefined;
  const g = groupName ? s.placementGroups.get(groupName) : undefined;
  if (g?.strategy !== "partition")
    throw Ec2Errors.invalidValue("The partition number can only be specified for a placement group with the partition strategy.");
  const num = Number(n);
  if (!Number.isInteger(num) || num < 1 || num > (g.partitionCount ?? 2))
    throw Ec2Errors.invalidValue(`Value (${n}) for parameter partitionNumber is invalid. Expecting a value between 1 and ${g.partitionCount ?? 2}.`);
  return num;
}

/** Without a partition number EC2 spreads a partition group's instances evenly: the partition with fewest live instances. */
export function leastUsedPartition(s: Ec2State, groupName: string | undefined, except?: string): number | undefined {
  const g = groupName ? s.placementGroups.get(groupName) : undefined;
  if (g?.strategy !== "partition") return undefined;
  const counts = new Array<number>((g.partitionCount ?? 2) + 1).fill(0);
  for (const i of s.instances.values())
    if (i.placementGroup === g.name && i.id !== except && i.state !== "terminated" && i.placementPartition) counts[i.placementPartition]!++;
  let best = 1;
  for (let k = 2; k < counts.length; k++) if (counts[k]! < counts[best]!) best = k;
  return best;
}

/** Burstable families earn CPU credits: T2 standard by default, T3/T3a/T4g unlimited. */
export function creditsFor(type: string, requested?: string): string | undefined {
  if (!/^t[234]/.test(type)) return undefined;
  return requested ?? (type.startsWith("t2.") ? "standard" : "unlimited");
}

/** The root volume from the image, overridden or extended by BlockDeviceMappings. */
function blockDevices(s: Ec2State, input: Input, image: ImageRec) {
  type Dev = { device: string; spec: VolumeSpec; defaultType: string; deleteOnTermination: boolean; snapshotId?: string; minSize?: number };
  const devices = new Map<string, Dev>();
  for (const b of imageDevices(image))
    devices.set(b.device, {
      device: b.device,
      // The volume keeps the IOPS and throughput the image's mapping provisions (an io1/io2 mapping has to).
      spec: { size: b.size, type: b.type, iops: b.iops, throughput: b.throughput, encrypted: b.encrypted || undefined },
      defaultType: b.type,
      deleteOnTermination: b.deleteOnTermination,
      snapshotId: b.snapshotId,
      minSize: b.size,
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
    const fromImage = devices.get(device);
    if (fromImage?.minSize !== undefined && ebs.VolumeSize !== undefined && ebs.VolumeSize < fromImage.minSize)
      throw Ec2Errors.invalidValue(
        `Volume of size ${ebs.VolumeSize}GB is smaller than snapshot '${fromImage.snapshotId}', expect size >= ${fromImage.minSize}GB`,
      );
    // A mapping that keeps the image's volume type keeps the IOPS and throughput it does not override.
    const sameType = fromImage !== undefined && (ebs.VolumeType === undefined || ebs.VolumeType === fromImage.defaultType);
    const spec: VolumeSpec = {
      size: ebs.VolumeSize ?? fromImage?.minSize,
      type: ebs.VolumeType ?? (fromImage ? fromImage.defaultType : undefined),
      iops: ebs.Iops ?? (sameType ? fromImage.spec.iops : undefined),
      throughput: ebs.Throughput ?? (sameType ? fromImage.spec.throughput : undefined),
      snapshotId: fromImage ? undefined : ebs.SnapshotId,
      encrypted: ebs.Encrypted ?? fromImage?.spec.encrypted,
      kmsKeyId: ebs.KmsKeyId,
    };
    const defaultType = fromImage?.defaultType ?? "gp2";
    // At launch a throughput for a volume type without one is a mapping error naming the device (real RunInstances answers).
    if (spec.throughput !== undefined && (spec.type ?? defaultType) !== "gp3")
      throw Ec2Errors.custom("InvalidBlockDeviceMapping", `throughput cannot be specified with the volumeType of device '${device}'`);
    checkVolumeSpec(s, spec, defaultType);
    devices.set(device, {
      device,
      spec,
      defaultType,
      deleteOnTermination: ebs.DeleteOnTermination ?? fromImage?.deleteOnTermination ?? true,
      snapshotId: fromImage?.snapshotId,
    });
  }
  return [...devices.values()];
}

const showsPublic = (state: string) => state !== "stopped" && state !== "stopping" && state !== "terminated";

const instanceFilters = (s: Ec2State, delay: number) => ({
  "instance-id": (i: InstanceRec) => i.id,
  "instance-state-name": (i: InstanceRec) => stateOf(i, delay),
  "instance-state-code": (i: InstanceRec) => CODES[stateOf(i, delay)],
  "instance-type": (i: InstanceRec) => i.instanceType,
  "image-id": (i: InstanceRec) => i.imageId,
  "vpc-id": (i: InstanceRec) => i.vpcId,
  "subnet-id": (i: InstanceRec) => i.subnetId,
  "availability-zone": (i: InstanceRec) => i.az,
  "private-ip-address": (i: InstanceRec) => i.privateIp || undefined,
  // As DescribeInstances shows them: no public address or DNS name while stopped, none once terminated.
  "ip-address": (i: InstanceRec) => (showsPublic(stateOf(i, delay)) ? i.publicIp : undefined),
  "ipv6-address": (i: InstanceRec) => enisOf(s, i).flatMap((e) => e.ipv6Ips),
  "private-dns-name": (i: InstanceRec) => instanceDnsName(s, i),
  "dns-name": (i: InstanceRec) => (i.publicIp && showsPublic(stateOf(i, delay)) ? publicDnsName(s.region, i.publicIp) : undefined),
  "key-name": (i: InstanceRec) => i.keyName,
  "reservation-id": (i: InstanceRec) => i.reservationId,
  "owner-id": () => s.accountId,
  "instance.group-name": (i: InstanceRec) => i.groups.map((g) => s.sgs.get(g)?.name),
  "group-id": (i: InstanceRec) => i.groups,
  "group-name": (i: InstanceRec) => i.groups.map((g) => s.sgs.get(g)?.name),
  architecture: (i: InstanceRec) => i.architecture,
  "launch-time": (i: InstanceRec) => i.launchTime.toISOString(),
  "ami-launch-index": (i: InstanceRec) => i.amiLaunchIndex,
  "client-token": (i: InstanceRec) => i.clientToken,
  ...eniFilters(s),
  ...bdmFilters(s),
  "source-dest-check": (i: InstanceRec) => String(i.sourceDestCheck),
  "ebs-optimized": (i: InstanceRec) => String(ebsOptimizedOf(i)),
  "ena-support": (i: InstanceRec) => String(i.enaSupport !== false),
  "instance-initiated-shutdown-behavior": (i: InstanceRec) => i.shutdownBehavior,
  "instance-lifecycle": (i: InstanceRec) => i.lifecycle,
  "iam-instance-profile.id": (i: InstanceRec) =>
    i.iamInstanceProfile ? (extraOf(s).instances.get(i.id)?.iamProfileId ?? "AIPA" + i.id.slice(2, 19).toUpperCase()) : undefined,
  "iam-instance-profile.name": (i: InstanceRec) => i.iamInstanceProfile?.split("/").pop(),
  "metadata-options.http-tokens": (i: InstanceRec) => i.metadata.httpTokens,
  "metadata-options.http-put-response-hop-limit": (i: InstanceRec) => i.metadata.httpPutResponseHopLimit,
  "metadata-options.http-endpoint": (i: InstanceRec) => i.metadata.httpEndpoint,
  "metadata-options.http-protocol-ipv4": () => "enabled",
  "metadata-options.http-protocol-ipv6": (i: InstanceRec) => i.metadata.httpProtocolIpv6,
  "metadata-options.instance-metadata-tags": (i: InstanceRec) => i.metadata.instanceMetadataTags,
  "availability-zone-id": (i: InstanceRec) => zoneIdOf(s.region, i.az),
  "boot-mode": (i: InstanceRec) => instanceFirmwareView(s, i.id)?.bootMode ?? "uefi-preferred",
  "current-instance-boot-mode": (i: InstanceRec) => instanceFirmwareView(s, i.id)?.current ?? "legacy-bios",
  "hibernation-options.configured": (i: InstanceRec) => String(extraOf(s).instances.get(i.id)?.hibernation === true),
  "capacity-reservation-specification.capacity-reservation-target.capacity-reservation-id": () => undefined,
  "capacity-reservation-specification.capacity-reservation-target.capacity-reservation-resource-group-arn": () => undefined,
  "launch-index": (i: InstanceRec) => i.amiLaunchIndex,
  "metadata-options.state": () => "applied",
  "network-performance-options.bandwidth-weighting": (i: InstanceRec) =>
    instanceOptionsView(s, i.id).networkPerformanceOptions?.bandwidthWeighting ?? "default",
  "operator.managed": () => "false",
  "operator.principal": () => undefined,
  "outpost-arn": () => undefined,
  platform: (i: InstanceRec) => s.images.get(i.imageId)?.platform,
  "tpm-support": (i: InstanceRec) => instanceFirmwareView(s, i.id)?.tpmSupport,
  "usage-operation-update-time": (i: InstanceRec) => i.launchTime.toISOString(),
  "cpu-options.core-count": () => 1,
  "cpu-options.threads-per-core": () => 2,
  "capacity-reservation-specification.capacity-reservation-preference": () => "open",
  "enclave-options.enabled": (i: InstanceRec) => String(extraOf(s).instances.get(i.id)?.enclave === true),
  "maintenance-options.auto-recovery": (i: InstanceRec) => extraOf(s).instances.get(i.id)?.autoRecovery ?? "default",
  "placement-partition-number": (i: InstanceRec) => i.placementPartition,
  "private-dns-name-options.hostname-type": (i: InstanceRec) => instanceOptionsView(s, i.id).privateDnsNameOptions.hostnameType,
  "private-dns-name-options.enable-resource-name-dns-a-record": (i: InstanceRec) =>
    String(instanceOptionsView(s, i.id).privateDnsNameOptions.enableResourceNameDnsARecord),
  "private-dns-name-options.enable-resource-name-dns-aaaa-record": (i: InstanceRec) =>
    String(instanceOptionsView(s, i.id).privateDnsNameOptions.enableResourceNameDnsAAAARecord),
  "product-code": () => undefined,
  "product-code.type": () => undefined,
  "ramdisk-id": (i: InstanceRec) => i.ramdiskId,
  "kernel-id": (i: InstanceRec) => i.kernelId,
  reason: (i: InstanceRec) => i.stateTransitionReason,
  "requester-id": () => undefined,
  "spot-instance-request-id": (i: InstanceRec) => i.spotRequestId,
  "state-reason-message": (i: InstanceRec) => i.stateReason?.message,
  "usage-operation": () => "RunInstances",
  "host-id": (i: InstanceRec) => hostPlacementView(s, i.id).hostId,
  affinity: (i: InstanceRec) => hostPlacementView(s, i.id).affinity,
  "capacity-reservation-id": () => undefined,
  "instance.group-id": (i: InstanceRec) => i.groups,
  "iam-instance-profile.arn": (i: InstanceRec) => i.iamInstanceProfile,
  "root-device-type": () => "ebs",
  "root-device-name": (i: InstanceRec) => i.rootDevice,
  hypervisor: () => "xen",
  "virtualization-type": (i: InstanceRec) => s.images.get(i.imageId)?.virtualizationType ?? "hvm",
  tenancy: (i: InstanceRec) => i.tenancy,
  "monitoring-state": (i: InstanceRec) => i.monitoring,
  "placement-group-name": (i: InstanceRec) => i.placementGroup,
  "platform-details": (i: InstanceRec) => s.images.get(i.imageId)?.platformDetails ?? "Linux/UNIX",
  "state-reason-code": (i: InstanceRec) => i.stateReason?.code,
});

const enisOf = (s: Ec2State, i: InstanceRec) => i.eniIds.map((id) => s.enis.get(id)).filter((e): e is EniRec => !!e);

/** network-interface.* filters over every interface of an instance. */
function eniFilters(s: Ec2State) {
  const each =
    <T>(f: (e: EniRec) => T | T[]) =>
    (i: InstanceRec) =>
      enisOf(s, i).flatMap((e) => f(e) as T);
  const addrs = ipv4Of;
  const pub = (e: EniRec) => publicAssociation(s, e);
  const pubDns = (e: EniRec) => {
    const ip = pub(e)?.publicIp;
    return ip ? publicDnsName(s.region, ip) : "";
  };
  return {
    "network-interface.network-interface-id": each((e) => e.id),
    "network-interface.subnet-id": each((e) => e.subnetId),
    "network-interface.vpc-id": each((e) => e.vpcId),
    "network-interface.availability-zone": each((e) => e.az),
    "network-interface.description": each((e) => e.description),
    "network-interface.group-id": each((e) => e.groups),
    "network-interface.group-name": each((e) => e.groups.map((g) => s.sgs.get(g)?.name ?? "")),
    "network-interface.mac-address": each((e) => e.mac),
    "network-interface.owner-id": each(() => s.accountId),
    "network-interface.private-dns-name": each((e) => (e.privateIp ? privateDnsName(s.region, e.privateIp) : [])),
    "network-interface.requester-managed": each((e) => String(e.requesterManaged)),
    "network-interface.source-dest-check": each((e) => String(e.sourceDestCheck)),
    "network-interface.status": each((e) => (e.attachment ? "in-use" : "available")),
    "network-interface.interface-type": each((e) => e.interfaceType),
    "network-interface.attachment.attachment-id": each((e) => e.attachment?.id ?? ""),
    "network-interface.attachment.instance-id": each((e) => e.attachment?.instanceId ?? ""),
    "network-interface.attachment.instance-owner-id": each(() => s.accountId),
    "network-interface.attachment.device-index": each((e) => String(e.attachment?.deviceIndex ?? "")),
    "network-interface.attachment.status": each((e) => (e.attachment ? "attached" : "")),
    "network-interface.attachment.attach-time": each((e) => e.attachment?.attachTime.toISOString() ?? ""),
    "network-interface.attachment.delete-on-termination": each((e) => String(e.attachment?.deleteOnTermination ?? "")),
    "network-interface.addresses.private-ip-address": each(addrs),
    "network-interface.addresses.primary": each((e) => addrs(e).map((ip) => String(ip === e.privateIp))),
    "network-interface.addresses.association.public-ip": each((e) => pub(e)?.publicIp ?? ""),
    "network-interface.addresses.association.ip-owner-id": each((e) => pub(e)?.ipOwnerId ?? ""),
    "network-interface.association.public-ip": each((e) => pub(e)?.publicIp ?? ""),
    "network-interface.association.ip-owner-id": each((e) => pub(e)?.ipOwnerId ?? ""),
    "network-interface.association.allocation-id": each((e) => pub(e)?.allocationId ?? ""),
    "network-interface.association.association-id": each((e) => pub(e)?.associationId ?? ""),
    "network-interface.ipv6-addresses.ipv6-address": each((e) => e.ipv6Ips),
    "network-interface.ipv6-address": each((e) => e.ipv6Ips),
    "network-interface.addresses.association.allocation-id": each((e) => pub(e)?.allocationId ?? ""),
    "network-interface.addresses.association.association-id": each((e) => pub(e)?.associationId ?? ""),
    "network-interface.addresses.association.carrier-ip": each(() => []),
    "network-interface.addresses.association.customer-owned-ip": each(() => []),
    "network-interface.addresses.association.public-dns-name": each(pubDns),
    "network-interface.addresses.private-dns-name": each((e) => addrs(e).map((ip) => privateDnsName(s.region, ip))),
    "network-interface.association.carrier-ip": each(() => []),
    "network-interface.association.customer-owned-ip": each(() => []),
    "network-interface.association.public-dns-name": each(pubDns),
    "network-interface.attachment.network-card-index": each((e) => (e.attachment ? "0" : "")),
    "network-interface.deny-all-igw-traffic": each(() => "false"),
    "network-interface.ipv4-prefixes.ipv4-prefix": each(() => []),
    "network-interface.ipv6-addresses.is-primary-ipv6": each((e) => e.ipv6Ips.map(() => "false")),
    "network-interface.ipv6-native": each(() => "false"),
    "network-interface.ipv6-prefixes.ipv6-prefix": each(() => []),
    "network-interface.operator.managed": each(() => "false"),
    "network-interface.operator.principal": each(() => []),
    "network-interface.outpost-arn": each(() => []),
    "network-interface.private-ip-address": each(addrs),
    "network-interface.public-dns-name": each(pubDns),
    "network-interface.requester-id": each(() => []),
    "network-interface.tag-key": each((e) => [...e.tags.keys()]),
    "network-interface.tag-value": each((e) => [...e.tags.values()]),
  };
}

/** block-device-mapping.* filters over an instance's volumes. */
function bdmFilters(s: Ec2State) {
  const each =
    <T>(f: (b: ReturnType<typeof instanceBlockDevices>[number]) => T) =>
    (i: InstanceRec) =>
      instanceBlockDevices(s, i).map(f) as Array<string | number | boolean>;
  return {
    "block-device-mapping.attach-time": each((b) => b.ebs.attachTime.toISOString()),
    "block-device-mapping.delete-on-termination": each((b) => String(b.ebs.deleteOnTermination)),
    "block-device-mapping.device-name": each((b) => b.deviceName),
    "block-device-mapping.status": each((b) => b.ebs.status),
    "block-device-mapping.volume-id": each((b) => b.ebs.volumeId),
  };
}

/** Instances named by id (Malformed / NotFound as AWS), or all. An empty id (`InstanceId.1=`) is AWS's MissingParameter. */
export function named(s: Ec2State, ids: string[]): InstanceRec[] {
  if (ids.includes("")) throw Ec2Errors.missing("InstanceId");
  for (const id of ids) if (!/^i-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) throw Ec2Errors.malformed("Instance", id);
  const missing = ids.filter((id) => !s.instances.has(id));
  if (missing.length) throw Ec2Errors.notFound("Instance", "instance", missing);
  return ids.map((id) => s.instances.get(id)!);
}

/** Use the tag index to narrow the candidates when a tag:<key> filter has plain values. */
function candidates(s: Ec2State, input: Input): Iterable<InstanceRec> {
  for (const f of filters(input)) {
    if (!f.Name?.startsWith("tag:") || !f.Values?.length || f.Values.some((v) => /[*?\\]/.test(v))) continue;
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
    // Hibernation needs HibernationOptions.Configured at launch (AWS's answer otherwise, aws-solutions/instance-scheduler-on-aws#510).
    const hibernate = input.Hibernate === true;
    if (hibernate && extraOf(st(ctx)).instances.get(i.id)?.hibernation !== true)
      throw Ec2Errors.custom(
        "UnsupportedHibernationConfiguration",
        `The instance can't be hibernated because it was not configured at launch for hibernation: ${i.id}`,
      );
    if (cur === "stopped" || cur === "stopping") return;
    pending.push(() => {
      transition(i, "stopping", "stopped");
      i.stateTransitionReason = `User initiated (${gmt(ctx.now())})`;
      i.stateReason = hibernate
        ? { code: "Client.UserInitiatedHibernate", message: "Client.UserInitiatedHibernate: User initiated hibernate" }
        : { code: "Client.UserInitiatedShutdown", message: "Client.UserInitiatedShutdown: User initiated shutdown" };
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
  const claimed = new Map<string, number>();
  const out = change(ctx, input, (i) => {
    const cur = i.state;
    if (cur === "terminated" || cur === "shutting-down" || cur === "stopping") throw Ec2Errors.incorrectState(i.id, "started");
    if (cur === "running" || cur === "pending") return;
    const rehost = restartOnHost(st(ctx), i, claimed);
    pending.push(() => {
      rehost?.();
      // An auto-assigned public IPv4 address is released at stop: the instance starts with a new one (an elastic IP stays).
      const s = st(ctx);
      if (i.publicIp && ![...s.addresses.values()].some((a) => a.publicIp === i.publicIp)) i.publicIp = randomPublicIp();
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
      const q = terminatedQueue(s);
      i.terminatedAt = Date.now();
      q.push(i);
      if (q.length > 1 && q[q.length - 2]!.terminatedAt! > i.terminatedAt) q.sort((a, b) => a.terminatedAt! - b.terminatedAt!);
      for (const id of i.eniIds) {
        const eni = s.enis.get(id);
        if (!eni) continue;
        if (eni.attachment?.deleteOnTermination) removeEni(s, eni);
        else eni.attachment = undefined;
      }
      i.eniIds = [];
      releaseSecondaryInterfaces(s, i.id);
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

/**
 * The status checks of an instance: "not-applicable" unless it is running; under a transition delay, "initializing"
 * for one more delay after it reached running (AWS runs the reachability checks after boot: the smithy-rs EC2 waiter
 * test records running instances answering "initializing" before "ok"); then "ok".
 */
function statusChecks(i: InstanceRec, delay: number, now = Date.now()): "ok" | "initializing" | "not-applicable" {
  if (stateOf(i, delay, now) !== "running") return "not-applicable";
  return delay > 0 && now < i.since + 2 * delay ? "initializing" : "ok";
}

const CHECK_DETAIL = { ok: "passed", initializing: "initializing" } as const;

export function DescribeInstanceStatus(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const delay = ctx.config.transitionDelayMs;
  const ids = list(input.InstanceIds);
  // "You cannot specify this parameter and the instance IDs parameter in the same request."
  if (ids.length && input.MaxResults !== undefined)
    throw Ec2Errors.invalidCombination("The parameter instancesSet cannot be used with the parameter maxResults");
  const all = bool(input.IncludeAllInstances);
  const detail = (i: InstanceRec) => {
    const c = statusChecks(i, delay);
    return c === "not-applicable" ? undefined : CHECK_DETAIL[c];
  };
  const base = (ids.length ? named(s, ids) : [...s.instances.values()]).filter((i) => all || stateOf(i, delay) === "running");
  const r = select(
    base,
    input,
    {
      "instance-state-name": (i) => stateOf(i, delay),
      "instance-state-code": (i) => CODES[stateOf(i, delay)],
      "availability-zone": (i) => i.az,
      "instance-status.status": (i) => statusChecks(i, delay),
      "system-status.status": (i) => statusChecks(i, delay),
      "instance-status.reachability": (i) => detail(i),
      "system-status.reachability": (i) => detail(i),
      "attached-ebs-status.status": (i) => statusChecks(i, delay),
      "availability-zone-id": (i) => zoneIdOf(s.region, i.az),
      // No scheduled events are kept (eventsSet is empty): the event.* filters match nothing.
      "event.code": () => undefined,
      "event.description": () => undefined,
      "event.instance-event-id": () => undefined,
      "event.not-after": () => undefined,
      "event.not-before": () => undefined,
      "event.not-before-deadline": () => undefined,
      "operator.managed": () => "false",
      "operator.principal": () => undefined,
    },
    (i) => String(i.seq).padStart(12, "0"),
    { paginate: true },
  );
  return {
    instanceStatusSet: r.items.map((i) => {
      const state = stateOf(i, delay);
      const checks = statusChecks(i, delay);
      const status = (_name: string) =>
        checks === "not-applicable" ? { status: checks, details: [] } : { status: checks, details: [{ name: "reachability", status: CHECK_DETAIL[checks] }] };
      return {
        instanceId: i.id,
        availabilityZone: i.az,
        availabilityZoneId: zoneIdOf(s.region, i.az),
        instanceState: { code: CODES[state], name: state },
        systemStatus: status("system"),
        instanceStatus: status("instance"),
        attachedEbsStatus: status("ebs"),
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
    ebsOptimized: () => v(ebsOptimizedOf(x)),
    sriovNetSupport: () => (x.sriovNetSupport ? v(x.sriovNetSupport) : {}),
    enaSupport: () => v(x.enaSupport !== false),
    enclaveOptions: () => ({ enabled: extraOf(s).instances.get(x.id)?.enclave === true }),
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
      if (!TYPE_BY_NAME.has(t) && !TYPE_NAME.test(t)) throw Ec2Errors.invalidInstanceType(t);
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
    sourceDestCheck: () => {
      x.sourceDestCheck = flag(value);
      const eni = s.enis.get(x.eniId);
      if (eni) eni.sourceDestCheck = x.sourceDestCheck;
    },
    groupSet: () => {
      // The groups of the instance's one interface: refused on an instance with several (nixops-aws#55 quotes it).
      if (x.eniIds.length > 1) throw Ec2Errors.multipleInterfaces(x.id);
      const groups = list(value);
      for (const g of groups) {
        const sg = s.sgs.get(g);
        if (!sg) throw Ec2Errors.groupNotFound(g);
        if (sg.vpcId !== x.vpcId) throw Ec2Errors.invalidValue(`Security group ${g} and instance ${x.id} belong to different networks.`);
      }
      x.groups = groups;
      const eni = s.enis.get(x.eniId);
      if (eni) eni.groups = [...groups];
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

/** An instance's private DNS name: IP-based, or its id under the resource-name hostname type ("EC2 instance hostname types"). */
function instanceDnsName(s: Ec2State, i: InstanceRec): string {
  if (instanceOptionsView(s, i.id).privateDnsNameOptions.hostnameType !== "resource-name") return privateDnsName(s.region, i.privateIp);
  return s.region === "us-east-1" ? `${i.id}.ec2.internal` : `${i.id}.${s.region}.compute.internal`;
}
