/**
 * Account-level settings that RunInstances applies at launch:
 * - instance metadata defaults (ModifyInstanceMetadataDefaults): launch parameters (request or launch
 *   template) win, then the account default, then the AMI (ImdsSupport v2.0: tokens required, hop limit 2),
 *   then the built-in defaults;
 * - the default credit specification per burstable family (ModifyDefaultCreditSpecification);
 * - Allowed AMIs (EnableAllowedImagesSettings "enabled"): an AMI that is not the account's own and does not
 *   meet the criteria is not discoverable, so the launch fails with InvalidAMIID.NotFound (audit-mode launches);
 * - Dedicated Host placement: Placement.HostId targets one host, Tenancy "host" without a host id picks a host
 *   with auto-placement on; capacity is the host's vCPUs less those of the instances on it.
 */
import { Ec2Errors } from "../errors.js";
import type { Ec2State, ImageRec, InstanceRec } from "../state.js";
import { HOST_FAMILIES, typeVcpus } from "./hosts.js";
import { imageAllowed } from "./images.js";
import { extraOf, type HostRec, instanceExtra } from "./state.js";

type MetadataInput = { HttpTokens?: string; HttpPutResponseHopLimit?: number; HttpEndpoint?: string; InstanceMetadataTags?: string };

/** Metadata options by AWS's order of precedence; `builtIn` is the value without any account or AMI setting. */
export function launchMetadata<T extends { httpTokens: string; httpPutResponseHopLimit: number; httpEndpoint: string; instanceMetadataTags: string }>(
  s: Ec2State,
  request: MetadataInput | undefined,
  builtIn: T,
): T {
  const d = extraOf(s).metadataDefaults;
  const r = request ?? {};
  return {
    ...builtIn,
    httpTokens: r.HttpTokens ?? d.HttpTokens ?? builtIn.httpTokens,
    httpPutResponseHopLimit: r.HttpPutResponseHopLimit ?? d.HttpPutResponseHopLimit ?? builtIn.httpPutResponseHopLimit,
    httpEndpoint: r.HttpEndpoint ?? d.HttpEndpoint ?? builtIn.httpEndpoint,
    instanceMetadataTags: r.InstanceMetadataTags ?? d.InstanceMetadataTags ?? builtIn.instanceMetadataTags,
  };
}

/** The account's default CPU credit option for a burstable instance type (undefined when none is set). */
export function accountDefaultCredits(s: Ec2State, instanceType: string): string | undefined {
  return extraOf(s).defaultCredits.get(instanceType.split(".")[0]!);
}

/** Allowed AMIs in "enabled" state: images the account doesn't own must meet the criteria. */
export function checkImageAllowed(s: Ec2State, image: ImageRec, now: Date) {
  if (extraOf(s).allowedImages.state !== "enabled" || image.ownerId === s.accountId) return;
  if (imageAllowed(s, image, now) === false) throw Ec2Errors.amiNotFound([image.id]);
}

/** Stopped and terminated instances hold no host capacity (AWS: stop or terminate them before ReleaseHosts). */
const onHost = (i: InstanceRec) => {
  const end = i.target ?? i.state;
  return end !== "terminated" && end !== "stopped";
};

/** The instances occupying a host (not stopped or terminated). */
export function hostInstances(s: Ec2State, hostId: string): InstanceRec[] {
  const x = extraOf(s);
  return [...s.instances.values()].filter((i) => onHost(i) && x.instances.get(i.id)?.hostId === hostId);
}

const familyOf = (h: HostRec) => h.instanceFamily ?? h.instanceType!.split(".")[0]!;

/** vCPUs of a host still free for instances. */
export function hostFreeVcpus(s: Ec2State, h: HostRec): number {
  const used = hostInstances(s, h.id).reduce((n, i) => n + (typeVcpus(i.instanceType) ?? 0), 0);
  return HOST_FAMILIES[familyOf(h)]!.vcpus - used;
}

const supports = (h: HostRec, type: string) => (h.instanceType ? h.instanceType === type : familyOf(h) === type.split(".")[0]);

export interface HostPlan {
  /** Host per instance, in launch order. */
  hosts: string[];
  affinity?: string;
}

/**
 * Dedicated Host placement for `max` instances (at least `min`), or undefined when the launch is not on a host.
 * Throws AWS's errors: InvalidHostId.Malformed, InvalidHostID.NotFound, InvalidAffinity,
 * IncompatibleHostRequirements (no host that can take the type in the zone), InsufficientCapacityOnHost.
 */
export function planHosts(
  s: Ec2State,
  placement: Record<string, unknown> | undefined,
  instanceType: string,
  az: string,
  min: number,
  max: number,
): HostPlan | undefined {
  const p = (placement ?? {}) as { Tenancy?: string; HostId?: string; Affinity?: string; HostResourceGroupArn?: string };
  const hostId = p.HostId || undefined;
  if (!hostId && p.Tenancy !== "host") return undefined;
  if (p.Tenancy !== undefined && p.Tenancy !== "host")
    throw Ec2Errors.invalidCombination(`Tenancy '${p.Tenancy}' cannot be used with a Dedicated Host. Specify the tenancy 'host'.`);
  if (p.Affinity !== undefined && p.Affinity !== "default" && p.Affinity !== "host")
    throw Ec2Errors.custom("InvalidAffinity", `The affinity value '${p.Affinity}' is not valid. Specify 'default' or 'host'.`);
  const x = extraOf(s);
  const need = typeVcpus(instanceType);
  if (hostId) {
    if (!/^h-[0-9a-f]{8}([0-9a-f]{9})?$/.test(hostId)) throw Ec2Errors.custom("InvalidHostId.Malformed", `Invalid id: "${hostId}" (expecting "h-...")`);
    const h = x.hosts.get(hostId);
    if (!h || h.state === "released") throw Ec2Errors.custom("InvalidHostID.NotFound", `The host ID '${hostId}' does not exist`);
    if (h.az !== az)
      throw Ec2Errors.invalidValue(`The Dedicated Host '${hostId}' is in the availability zone ${h.az}, not in the launch's availability zone ${az}.`);
    if (!need || !supports(h, instanceType))
      throw Ec2Errors.custom(
        "IncompatibleHostRequirements",
        `The instance type ${instanceType} is not supported by the Dedicated Host '${hostId}' (${h.instanceType ?? h.instanceFamily}).`,
      );
    const fit = Math.min(max, Math.floor(hostFreeVcpus(s, h) / need));
    if (fit < min)
      throw Ec2Errors.custom("InsufficientCapacityOnHost", `There is not enough capacity on the Dedicated Host '${hostId}' to launch the instance.`);
    return { hosts: Array(fit).fill(h.id), affinity: p.Affinity ?? "default" };
  }
  // Untargeted host-tenancy launch: hosts with auto-placement on, in the zone, that support the type.
  const candidates = [...x.hosts.values()]
    .filter((h) => h.state === "available" && h.autoPlacement === "on" && h.az === az && need && supports(h, instanceType))
    .sort((a, b) => a.seq - b.seq);
  if (!candidates.length || !need)
    throw Ec2Errors.custom(
      "IncompatibleHostRequirements",
      `There are no available or compatible Dedicated Hosts with auto-placement on for ${instanceType} in ${az}.`,
    );
  const hosts: string[] = [];
  for (const h of candidates) {
    let free = hostFreeVcpus(s, h);
    while (hosts.length < max && free >= need) {
      hosts.push(h.id);
      free -= need;
    }
  }
  if (hosts.length < min) throw Ec2Errors.custom("InsufficientCapacityOnHost", "There is not enough capacity on the Dedicated Hosts to launch the instances.");
  return { hosts, affinity: p.Affinity ?? "default" };
}

/** Record the host (and affinity) of a launched instance. */
export function placeOnHost(s: Ec2State, instanceId: string, plan: HostPlan, index: number) {
  const e = instanceExtra(extraOf(s), instanceId);
  e.hostId = plan.hosts[index];
  e.affinity = plan.affinity;
}

/** Placement fields of an instance on a host (for DescribeInstances). */
export function hostPlacementView(s: Ec2State, instanceId: string) {
  const e = extraOf(s).instances.get(instanceId);
  return e?.hostId ? { hostId: e.hostId, affinity: e.affinity } : {};
}

/**
 * The zone a host launch goes to when the request names no subnet or zone: the zone of the host named by
 * Placement.HostId, or for Tenancy "host" the zone of the first auto-placement host that takes the type.
 */
export function hostZone(s: Ec2State, placement: Record<string, unknown> | undefined, instanceType: string): string | undefined {
  const id = placement?.HostId;
  const hosts = extraOf(s).hosts;
  if (typeof id === "string" && id) {
    const h = hosts.get(id);
    return h && h.state !== "released" ? h.az : undefined;
  }
  if (placement?.Tenancy !== "host") return undefined;
  return [...hosts.values()].filter((h) => h.state === "available" && h.autoPlacement === "on" && supports(h, instanceType)).sort((a, b) => a.seq - b.seq)[0]
    ?.az;
}

/**
 * StartInstances of a stopped instance with host tenancy: back on its host when it has room; with affinity
 * "default" (or no host yet) otherwise on a host with auto-placement on in the zone; else
 * InsufficientCapacityOnHost (IncompatibleHostRequirements when it had no host and none fits). `claimed` holds the vCPUs taken by earlier instances of the same call.
 * Returns the change to apply once every instance of the call has been checked (undefined: not on a host).
 */
export function restartOnHost(s: Ec2State, i: InstanceRec, claimed: Map<string, number>): (() => void) | undefined {
  const x = extraOf(s);
  const e = instanceExtra(x, i.id);
  if (!e.hostId && i.tenancy !== "host") return undefined;
  const need = typeVcpus(i.instanceType) ?? Number.POSITIVE_INFINITY;
  const fits = (h: HostRec | undefined): h is HostRec => !!h && h.state === "available" && hostFreeVcpus(s, h) - (claimed.get(h.id) ?? 0) >= need;
  const current = e.hostId ? x.hosts.get(e.hostId) : undefined;
  let chosen = fits(current) ? current : undefined;
  if (!chosen && e.affinity !== "host")
    chosen = [...x.hosts.values()]
      .filter((h) => h.autoPlacement === "on" && h.az === i.az && supports(h, i.instanceType))
      .sort((a, b) => a.seq - b.seq)
      .find(fits);
  if (!chosen && !e.hostId)
    throw Ec2Errors.custom(
      "IncompatibleHostRequirements",
      `There are no available or compatible Dedicated Hosts with auto-placement on for ${i.instanceType} in ${i.az}.`,
    );
  if (!chosen)
    throw Ec2Errors.custom("InsufficientCapacityOnHost", `There is not enough capacity on the Dedicated Host '${e.hostId}' to start the instance ${i.id}.`);
  claimed.set(chosen.id, (claimed.get(chosen.id) ?? 0) + need);
  const hostId = chosen.id;
  return () => {
    e.hostId = hostId;
  };
}

/**
 * ModifyInstancePlacement's host fields: HostId (an existing host in the instance's zone that takes its type;
 * implies tenancy host), Affinity, Tenancy (leaving "host" drops the host). Validates, then returns the change.
 */
export function modifyHostPlacement(s: Ec2State, i: InstanceRec, input: { HostId?: string; Affinity?: string; Tenancy?: string }): () => void {
  const x = extraOf(s);
  const hostId = input.HostId || undefined;
  if (hostId) {
    if (!/^h-[0-9a-f]{8}([0-9a-f]{9})?$/.test(hostId)) throw Ec2Errors.custom("InvalidHostId.Malformed", `Invalid id: "${hostId}" (expecting "h-...")`);
    const h = x.hosts.get(hostId);
    if (!h || h.state === "released") throw Ec2Errors.custom("InvalidHostID.NotFound", `The host ID '${hostId}' does not exist`);
    if (h.az !== i.az || !typeVcpus(i.instanceType) || !supports(h, i.instanceType))
      throw Ec2Errors.custom(
        "IncompatibleHostRequirements",
        `The Dedicated Host '${hostId}' (${h.instanceType ?? h.instanceFamily} in ${h.az}) can't take the instance ${i.id} (${i.instanceType} in ${i.az}).`,
      );
    if (input.Tenancy !== undefined && input.Tenancy !== "host")
      throw Ec2Errors.invalidCombination(`Tenancy '${input.Tenancy}' cannot be used with a Dedicated Host. Specify the tenancy 'host'.`);
  }
  return () => {
    const e = instanceExtra(x, i.id);
    if (hostId) {
      e.hostId = hostId;
      i.tenancy = "host";
    }
    if (input.Tenancy !== undefined) {
      i.tenancy = input.Tenancy;
      if (input.Tenancy !== "host") e.hostId = undefined;
    }
    if (input.Affinity !== undefined) e.affinity = input.Affinity;
    else if (e.hostId && !e.affinity) e.affinity = "default";
  };
}
