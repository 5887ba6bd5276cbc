/** Tags across resource types, regions, availability zones, account attributes, instance types. */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { modelRuntime } from "../../protocols/model/runtime.js";
import type { Shape } from "../../protocols/model/types.js";
import type { Ctx } from "../core/types.js";
import { bool, dryRun, foreignTagHolder, list, REGIONS, removeTag, select, setTag, st, zonesOf, type Input } from "./common.js";
import { Ec2Errors } from "./errors.js";
import { imageAt, lookupImage, seedImages } from "./images.js";
import { findRule } from "./security-groups.js";
import { getSnapshot, getVolume, sharedSnapshot } from "./volumes.js";
import type { Ec2State, Tagged } from "./state.js";

const RESOURCE_TYPES: Array<[string, string, (s: Ec2State) => Map<string, Tagged>]> = [
  ["i-", "instance", (s) => s.instances],
  ["vpc-", "vpc", (s) => s.vpcs],
  ["subnet-", "subnet", (s) => s.subnets],
  ["sg-", "security-group", (s) => s.sgs],
  ["igw-", "internet-gateway", (s) => s.igws],
  ["eipalloc-", "elastic-ip", (s) => s.addresses],
  ["nat-", "natgateway", (s) => s.nats],
  ["rtb-", "route-table", (s) => s.rtbs],
  ["eni-", "network-interface", (s) => s.enis],
  ["ami-", "image", (s) => s.images],
  ["vol-", "volume", (s) => s.volumes],
  ["snap-", "snapshot", (s) => s.snapshots],
  ["lt-", "launch-template", (s) => s.launchTemplates],
  ["acl-", "network-acl", (s) => s.nacls],
  ["dopt-", "dhcp-options", (s) => s.dhcpOptions],
  ["eigw-", "egress-only-internet-gateway", (s) => s.eigws],
  ["pcx-", "vpc-peering-connection", (s) => s.peerings],
  ["vpce-", "vpc-endpoint", (s) => s.vpces],
  ["pl-", "prefix-list", (s) => s.prefixLists],
  ["fl-", "vpc-flow-log", (s) => s.flowLogs],
  ["cagw-", "carrier-gateway", (s) => s.cagws],
  ["tgw-", "transit-gateway", (s) => s.tgws],
  ["vgw-", "vpn-gateway", (s) => s.vgws],
];

function resolve(s: Ec2State, id: string): { r: Tagged; type: string } {
  if (id.startsWith("key-")) {
    const k = [...s.keyPairs.values()].find((x) => x.id === id);
    if (k) return { r: k, type: "key-pair" };
  }
  // A public AMI can be tagged; the tags are the account's own (its copy of the image). So can an AMI or a snapshot
  // another account shares: this account's tags, kept apart from the owner's.
  if (id.startsWith("ami-") && imageAt(s, id) && !s.images.has(id)) return { r: foreignTagHolder(s, id), type: "image" };
  if (id.startsWith("snap-") && !s.snapshots.has(id) && sharedSnapshot(s, id)) return { r: foreignTagHolder(s, id), type: "snapshot" };
  if (id.startsWith("sgr-")) {
    const hit = findRule(s, id);
    if (!hit) throw Ec2Errors.custom("InvalidSecurityGroupRuleId.NotFound", `The security group rule ID '${id}' does not exist`);
    hit.r.tags ??= new Map();
    return { r: hit.r as Tagged, type: "security-group-rule" };
  }
  for (const [prefix, type, map] of RESOURCE_TYPES) {
    if (!id.startsWith(prefix)) continue;
    const r = map(s).get(id);
    if (r) return { r, type };
    if (prefix === "i-") throw Ec2Errors.notFound("Instance", "instance", [id]);
    if (prefix === "vpc-") throw Ec2Errors.notFound("Vpc", "vpc", [id]);
    if (prefix === "subnet-") throw Ec2Errors.notFound("Subnet", "subnet", [id]);
    if (prefix === "sg-") throw Ec2Errors.groupNotFound(id);
    if (prefix === "eni-") throw Ec2Errors.notFound("NetworkInterface", "networkInterface", [id]);
    if (prefix === "ami-") throw Ec2Errors.amiNotFound([id]);
    if (prefix === "vol-") getVolume(s, id);
    if (prefix === "snap-") getSnapshot(s, id);
    throw Ec2Errors.invalidId(id);
  }
  throw Ec2Errors.invalidId(id);
}

export function CreateTags(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const ids = list(input.Resources);
  if (!ids.length) throw Ec2Errors.missing("ResourceId");
  const tags: Array<{ Key?: string; Value?: string }> = input.Tags ?? [];
  if (!tags.length) throw Ec2Errors.missing("Tag");
  const targets = ids.map((id) => resolve(s, id));
  for (const t of tags) {
    if (!t.Key || String(t.Key).length > 128) throw Ec2Errors.invalidValue(`Tag key '${t.Key ?? ""}' is invalid`);
    // AWS's text (CreateTags since 2018: aws-samples/AWS-Automated-Daily-Instance-AMI-Snapshots#7, cluster-api-provider-aws#5461).
    if (String(t.Key).toLowerCase().startsWith("aws:"))
      throw Ec2Errors.invalidValue(`Value ( ${t.Key} ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use`);
    if (String(t.Value ?? "").length > 256) throw Ec2Errors.invalidValue(`Tag value for key '${t.Key}' is too long`);
  }
  for (const { r } of targets)
    if (new Set([...r.tags.keys(), ...tags.map((t) => String(t.Key))]).size > 50)
      throw Ec2Errors.custom("TagLimitExceeded", "The maximum number of Tags for a resource has been reached.");
  dryRun(input);
  targets.forEach(({ r }, n) => tags.forEach((t) => setTag(s, ids[n]!, r, String(t.Key), String(t.Value ?? ""))));
  return { return: true };
}

export function DeleteTags(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const ids = list(input.Resources);
  if (!ids.length) throw Ec2Errors.missing("ResourceId");
  const targets = ids.map((id) => resolve(s, id));
  dryRun(input);
  const tags: Array<{ Key?: string; Value?: string }> = input.Tags ?? [];
  targets.forEach(({ r }, n) => {
    const keys: Array<{ Key?: string; Value?: string }> = tags.length ? tags : [...r.tags.keys()].map((Key) => ({ Key }));
    for (const t of keys) removeTag(s, ids[n]!, r, String(t.Key), t.Value === undefined ? undefined : String(t.Value));
  });
  return { return: true };
}

export function DescribeTags(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  seedImages(s);
  const rows: Array<{ resourceId: string; resourceType: string; key: string; value: string; tags: Map<string, string> }> = [];
  const push = (id: string, type: string, r: Tagged) =>
    r.tags.forEach((value, key) => rows.push({ resourceId: id, resourceType: type, key, value, tags: new Map() }));
  for (const [, type, map] of RESOURCE_TYPES) for (const [id, r] of map(s)) push(id, type, r);
  for (const k of s.keyPairs.values()) push(k.id, "key-pair", k);
  // This account's tags on AMIs and snapshots other accounts share with it (while they are shared).
  for (const [id, t] of s.foreignTags ?? [])
    if (id.startsWith("ami-") ? !s.images.has(id) && lookupImage(s, id) : !s.snapshots.has(id) && sharedSnapshot(s, id))
      push(id, id.startsWith("ami-") ? "image" : "snapshot", t);
  for (const g of s.sgs.values()) for (const r of [...g.ingress, ...g.egress]) if (r.tags?.size) push(r.id, "security-group-rule", r as Tagged);
  rows.sort((a, b) => (a.resourceId + a.key < b.resourceId + b.key ? -1 : 1));
  const r = select(
    rows,
    input,
    {
      key: (x) => x.key,
      value: (x) => x.value,
      "resource-id": (x) => x.resourceId,
      "resource-type": (x) => x.resourceType,
    },
    (x) => `${x.resourceId}\u0000${x.key}`,
    { paginate: true, min: 5, max: 1000 },
  );
  return { tagSet: r.items.map(({ resourceId, resourceType, key, value }) => ({ resourceId, resourceType, key, value })), nextToken: r.nextToken };
}

/** The Regions disabled until an account opts in (AWS's list of opt-in Regions). */
const OPT_IN_REGIONS = [
  "af-south-1",
  "ap-east-1",
  "ap-south-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-7",
  "ca-west-1",
  "eu-central-2",
  "eu-south-1",
  "eu-south-2",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
];

export function DescribeRegions(ctx: Ctx, input: Input) {
  dryRun(input);
  const names = list(input.RegionNames);
  for (const n of names) if (!REGIONS.includes(n) && !OPT_IN_REGIONS.includes(n)) throw Ec2Errors.custom("InvalidParameterValue", `Invalid region name: ${n}`);
  // AllRegions adds the Regions an account must opt in to, shown as not opted in.
  const all = bool(input.AllRegions) ? [...REGIONS, ...OPT_IN_REGIONS] : REGIONS;
  const rows = (names.length ? names : all).map((n) => ({
    regionName: n,
    regionEndpoint: `ec2.${n}.amazonaws.com`,
    optInStatus: REGIONS.includes(n) ? "opt-in-not-required" : "not-opted-in",
    tags: new Map(),
  }));
  const r = select(
    rows,
    input,
    { "region-name": (x) => x.regionName, endpoint: (x) => x.regionEndpoint, "opt-in-status": (x) => x.optInStatus },
    (x) => x.regionName,
  );
  return { regionInfo: r.items.map(({ tags: _t, ...x }) => x) };
}

/**
 * Each Region's long name and where its Availability Zones are (the EC2 User Guide's "AWS Availability Zones" tables:
 * "Virginia, United States of America" is the sub-geography Virginia of the geography United States of America).
 */
const REGION_GEOGRAPHY: Record<string, [longName: string, geography: string, subGeography?: string]> = {
  "us-east-1": ["US East (N. Virginia)", "United States of America", "Virginia"],
  "us-east-2": ["US East (Ohio)", "United States of America", "Ohio"],
  "us-west-1": ["US West (N. California)", "United States of America", "California"],
  "us-west-2": ["US West (Oregon)", "United States of America", "Oregon"],
  "ca-central-1": ["Canada (Central)", "Canada"],
  "eu-west-1": ["Europe (Ireland)", "Ireland"],
  "eu-west-2": ["Europe (London)", "United Kingdom"],
  "eu-west-3": ["Europe (Paris)", "France"],
  "eu-central-1": ["Europe (Frankfurt)", "Germany"],
  "eu-north-1": ["Europe (Stockholm)", "Sweden"],
  "ap-south-1": ["Asia Pacific (Mumbai)", "India"],
  "ap-northeast-1": ["Asia Pacific (Tokyo)", "Japan"],
  "ap-northeast-2": ["Asia Pacific (Seoul)", "South Korea"],
  "ap-northeast-3": ["Asia Pacific (Osaka)", "Japan"],
  "ap-southeast-1": ["Asia Pacific (Singapore)", "Singapore"],
  "ap-southeast-2": ["Asia Pacific (Sydney)", "Australia"],
  "sa-east-1": ["South America (S\u00e3o Paulo)", "Brazil"],
};

export function DescribeAvailabilityZones(ctx: Ctx, input: Input) {
  dryRun(input);
  const region = ctx.region;
  const [longName, geography, sub] = REGION_GEOGRAPHY[region] ?? [];
  // An Availability Zone's group is "<region>-zg-1", long name "<Region's long name> 1" (e.g. us-east-2-zg-1, US East
  // (Ohio) 1: DescribeAvailabilityZones' group-name and group-long-name filters, the User Guide's example answer).
  const zones = zonesOf(region).map((z) => ({
    zoneName: z.name,
    zoneId: z.id,
    zoneState: "available",
    regionName: region,
    groupName: `${region}-zg-1`,
    networkBorderGroup: region,
    optInStatus: "opt-in-not-required",
    zoneType: "availability-zone",
    groupLongName: longName ? `${longName} 1` : undefined,
    geographySet: geography ? [{ name: geography }] : undefined,
    subGeographySet: sub ? [{ name: sub }] : undefined,
    messageSet: [],
    tags: new Map(),
  }));
  const names = list(input.ZoneNames);
  const ids = list(input.ZoneIds);
  // An unknown name or id is an error, not an empty answer (aws-load-balancer-controller's az_info_provider relies
  // on it); the first unknown one in request order is named.
  for (const n of names) if (!zones.some((z) => z.zoneName === n)) throw Ec2Errors.invalidValue(`Invalid availability zone: [${n}]`);
  for (const id of ids) if (!zones.some((z) => z.zoneId === id)) throw Ec2Errors.invalidValue(`Invalid availability zone-id: [${id}]`);
  const base = zones.filter((z) => (!names.length || names.includes(z.zoneName)) && (!ids.length || ids.includes(z.zoneId)));
  const r = select(
    base,
    input,
    {
      "zone-name": (z) => z.zoneName,
      "zone-id": (z) => z.zoneId,
      state: (z) => z.zoneState,
      "region-name": (z) => z.regionName,
      "group-name": (z) => z.groupName,
      "zone-type": (z) => z.zoneType,
      "opt-in-status": (z) => z.optInStatus,
      "network-border-group": (z) => z.networkBorderGroup,
      "group-long-name": (z) => z.groupLongName,
      message: () => undefined,
      // Availability Zones have no parent zone (only Local and Wavelength Zones do).
      "parent-zone-id": () => undefined,
      "parent-zone-name": () => undefined,
    },
    (z) => z.zoneName,
  );
  return { availabilityZoneInfo: r.items.map(({ tags: _t, ...z }) => z) };
}

export function DescribeAccountAttributes(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  // In the order AWS lists them.
  const attrs: Record<string, string[]> = {
    "vpc-max-security-groups-per-interface": ["5"],
    "max-instances": ["20"],
    "supported-platforms": ["VPC"],
    "default-vpc": [s.defaultVpcId || "none"],
    "max-elastic-ips": ["5"],
    "vpc-max-elastic-ips": ["5"],
  };
  const wanted = list(input.AttributeNames);
  return {
    accountAttributeSet: Object.entries(attrs)
      .filter(([k]) => !wanted.length || wanted.includes(k))
      .map(([attributeName, values]) => ({ attributeName, attributeValueSet: values.map((attributeValue) => ({ attributeValue })) })),
  };
}

export const INSTANCE_TYPES: Array<{ name: string; vcpu: number; mem: number; arch: string; burst?: boolean }> = [
  ...["nano:2:512", "micro:2:1024", "small:2:2048", "medium:2:4096", "large:2:8192", "xlarge:4:16384", "2xlarge:8:32768"].flatMap((x) => {
    const [size, vcpu, mem] = x.split(":");
    return [
      { name: `t3.${size}`, vcpu: Number(vcpu), mem: Number(mem), arch: "x86_64", burst: true },
      { name: `t3a.${size}`, vcpu: Number(vcpu), mem: Number(mem), arch: "x86_64", burst: true },
      { name: `t4g.${size}`, vcpu: Number(vcpu), mem: Number(mem), arch: "arm64", burst: true },
    ];
  }),
  { name: "t2.nano", vcpu: 1, mem: 512, arch: "x86_64", burst: true },
  { name: "t2.micro", vcpu: 1, mem: 1024, arch: "x86_64", burst: true },
  { name: "t2.small", vcpu: 1, mem: 2048, arch: "x86_64", burst: true },
  { name: "t2.medium", vcpu: 2, mem: 4096, arch: "x86_64", burst: true },
  { name: "t2.large", vcpu: 2, mem: 8192, arch: "x86_64", burst: true },
  { name: "t2.xlarge", vcpu: 4, mem: 16384, arch: "x86_64", burst: true },
  { name: "t2.2xlarge", vcpu: 8, mem: 32768, arch: "x86_64", burst: true },
  { name: "m1.small", vcpu: 1, mem: 1740, arch: "x86_64" },
  ...["large:2:8192", "xlarge:4:16384", "2xlarge:8:32768", "4xlarge:16:65536"].flatMap((x) => {
    const [size, vcpu, mem] = x.split(":");
    return [
      { name: `m5.${size}`, vcpu: Number(vcpu), mem: Number(mem), arch: "x86_64" },
      { name: `m6i.${size}`, vcpu: Number(vcpu), mem: Number(mem), arch: "x86_64" },
      { name: `m7i.${size}`, vcpu: Number(vcpu), mem: Number(mem), arch: "x86_64" },
      { name: `m6g.${size}`, vcpu: Number(vcpu), mem: Number(mem), arch: "arm64" },
      { name: `m7g.${size}`, vcpu: Number(vcpu), mem: Number(mem), arch: "arm64" },
      { name: `c5.${size}`, vcpu: Number(vcpu), mem: Number(mem) / 2, arch: "x86_64" },
      { name: `c6i.${size}`, vcpu: Number(vcpu), mem: Number(mem) / 2, arch: "x86_64" },
      { name: `c7g.${size}`, vcpu: Number(vcpu), mem: Number(mem) / 2, arch: "arm64" },
      { name: `r5.${size}`, vcpu: Number(vcpu), mem: Number(mem) * 2, arch: "x86_64" },
      { name: `r6i.${size}`, vcpu: Number(vcpu), mem: Number(mem) * 2, arch: "x86_64" },
    ];
  }),
];

/** Xen-era types (T2, M1): no ENA, NVMe or EBS optimisation, as DescribeInstanceTypes reports them. */
export const xenType = (name: string) => name.startsWith("t2.") || name.startsWith("m1.");

/**
 * A type's default cores and threads per core: one thread per core on T2 and M1 (no hyperthreading) and on
 * Graviton (arm64), two on the other x86 types with more than one vCPU (t3.micro: 1 core x 2 threads).
 */
export function cpuTopology(t: { name: string; vcpu: number; arch: string }): { cores: number; threads: number } {
  if (t.vcpu <= 1 || t.arch === "arm64" || xenType(t.name)) return { cores: t.vcpu, threads: 1 };
  return { cores: t.vcpu / 2, threads: 2 };
}

/**
 * The instance types AWS offers per region ("" key) and per zone name, from AWS's DescribeInstanceTypeOfferings
 * answers (models/ec2-instance-type-offerings.json.gz; see models/NOTICE), read on first use. Undefined for a
 * region the data does not cover.
 */
let awsOffers: Record<string, Record<string, string[]>> | undefined;
export function awsOfferings(region: string): Record<string, string[]> | undefined {
  awsOffers ??= JSON.parse(
    gunzipSync(readFileSync(new URL("../../../models/ec2-instance-type-offerings.json.gz", import.meta.url))).toString("utf8"),
  ) as Record<string, Record<string, string[]>>;
  return awsOffers[region];
}

/** The default topology AWS records for a type outside the catalogue (its data is read on first use). */
export function awsCpuTopology(name: string): { cores: number; threads: number } {
  const v = awsInstanceTypes().get(name)?.vCpuInfo;
  return v ? { cores: v.defaultCores, threads: v.defaultThreadsPerCore } : { cores: 1, threads: 2 };
}

/**
 * DescribeInstanceTypes answers from AWS's own records of every instance type (models/ec2-instance-types.json.gz,
 * AWS's DescribeInstanceTypes answers keyed by type; see models/NOTICE), read on first use and turned into the
 * wire names the EC2 encoder writes (each member's locationName) by walking the model's InstanceTypeInfo shape.
 */
type TypeView = Record<string, any>;
let awsTypes: Map<string, TypeView> | undefined;
export function awsInstanceTypes(): Map<string, TypeView> {
  if (awsTypes) return awsTypes;
  const raw = JSON.parse(gunzipSync(readFileSync(new URL("../../../models/ec2-instance-types.json.gz", import.meta.url))).toString("utf8")) as Record<
    string,
    unknown
  >;
  const shapes = modelRuntime("ec2").model.shapes as Record<string, Shape>;
  const wire = (v: unknown, shapeName: string): unknown => {
    const sh = shapes[shapeName];
    if (!sh || v === null || v === undefined) return v;
    if (sh.type === "list" && Array.isArray(v)) return v.map((x) => wire(x, sh.member!.shape));
    if (sh.type === "structure" && typeof v === "object") {
      const out: TypeView = {};
      for (const [name, ref] of Object.entries(sh.members ?? {})) {
        const x = (v as Record<string, unknown>)[name];
        if (x !== undefined) out[ref.locationName ?? name.charAt(0).toLowerCase() + name.slice(1)] = wire(x, ref.shape);
      }
      return out;
    }
    return v;
  };
  awsTypes = new Map(
    Object.keys(raw)
      .sort()
      .map((k) => [k, wire(raw[k], "InstanceTypeInfo") as TypeView]),
  );
  return awsTypes;
}

const str = (v: unknown) => (v === undefined ? undefined : String(v));
/** DescribeInstanceTypes filters (booleans as "true"/"false"); attributes the view does not show (awsim does not know them) match nothing. */
const INSTANCE_TYPE_FILTERS: Record<string, (v: TypeView) => string | number | undefined | Array<string | number>> = {
  "auto-recovery-supported": (v) => str(v.autoRecoverySupported),
  "bare-metal": (v) => str(v.bareMetal),
  "burstable-performance-supported": (v) => str(v.burstablePerformanceSupported),
  "current-generation": (v) => str(v.currentGeneration),
  "dedicated-hosts-supported": (v) => str(v.dedicatedHostsSupported),
  "ebs-info.attachment-limit-type": (v) => v.ebsInfo?.attachmentLimitType,
  "ebs-info.maximum-ebs-attachments": (v) => v.ebsInfo?.maximumEbsAttachments,
  "ebs-info.ebs-optimized-info.baseline-bandwidth-in-mbps": (v) => v.ebsInfo?.ebsOptimizedInfo?.baselineBandwidthInMbps,
  "ebs-info.ebs-optimized-info.baseline-iops": (v) => v.ebsInfo?.ebsOptimizedInfo?.baselineIops,
  "ebs-info.ebs-optimized-info.baseline-throughput-in-mbps": (v) => v.ebsInfo?.ebsOptimizedInfo?.baselineThroughputInMBps,
  "ebs-info.ebs-optimized-info.maximum-bandwidth-in-mbps": (v) => v.ebsInfo?.ebsOptimizedInfo?.maximumBandwidthInMbps,
  "ebs-info.ebs-optimized-info.maximum-iops": (v) => v.ebsInfo?.ebsOptimizedInfo?.maximumIops,
  "ebs-info.ebs-optimized-info.maximum-throughput-in-mbps": (v) => v.ebsInfo?.ebsOptimizedInfo?.maximumThroughputInMBps,
  "ebs-info.ebs-optimized-support": (v) => v.ebsInfo?.ebsOptimizedSupport,
  "ebs-info.encryption-support": (v) => v.ebsInfo?.encryptionSupport,
  "ebs-info.nvme-support": (v) => v.ebsInfo?.nvmeSupport,
  "free-tier-eligible": (v) => str(v.freeTierEligible),
  "hibernation-supported": (v) => str(v.hibernationSupported),
  hypervisor: (v) => v.hypervisor,
  "instance-storage-info.disk.count": (v) => v.instanceStorageInfo?.disks?.map((d: TypeView) => d.count),
  "instance-storage-info.disk.size-in-gb": (v) => v.instanceStorageInfo?.disks?.map((d: TypeView) => d.sizeInGB),
  "instance-storage-info.disk.type": (v) => v.instanceStorageInfo?.disks?.map((d: TypeView) => d.type),
  "instance-storage-info.encryption-support": (v) => v.instanceStorageInfo?.encryptionSupport,
  "instance-storage-info.nvme-support": (v) => v.instanceStorageInfo?.nvmeSupport,
  "instance-storage-info.total-size-in-gb": (v) => v.instanceStorageInfo?.totalSizeInGB,
  "instance-storage-supported": (v) => str(v.instanceStorageSupported),
  "instance-type": (v) => v.instanceType,
  "memory-info.size-in-mib": (v) => v.memoryInfo?.sizeInMiB,
  "network-info.bandwidth-weightings": () => undefined,
  "network-info.efa-info.maximum-efa-interfaces": (v) => v.networkInfo?.efaInfo?.maximumEfaInterfaces,
  "network-info.efa-supported": (v) => str(v.networkInfo?.efaSupported),
  "network-info.ena-support": (v) => v.networkInfo?.enaSupport,
  "network-info.flexible-ena-queues-support": (v) => v.networkInfo?.flexibleEnaQueuesSupport,
  "network-info.encryption-in-transit-supported": (v) => str(v.networkInfo?.encryptionInTransitSupported),
  "network-info.ipv4-addresses-per-interface": (v) => v.networkInfo?.ipv4AddressesPerInterface,
  "network-info.ipv6-addresses-per-interface": (v) => v.networkInfo?.ipv6AddressesPerInterface,
  "network-info.ipv6-supported": (v) => str(v.networkInfo?.ipv6Supported),
  "network-info.maximum-network-cards": (v) => v.networkInfo?.maximumNetworkCards,
  "network-info.maximum-network-interfaces": (v) => v.networkInfo?.maximumNetworkInterfaces,
  "network-info.network-performance": (v) => v.networkInfo?.networkPerformance,
  "nitro-enclaves-support": (v) => v.nitroEnclavesSupport,
  "nitro-tpm-support": (v) => v.nitroTpmSupport,
  "nitro-tpm-info.supported-versions": (v) => v.nitroTpmInfo?.supportedVersions,
  "processor-info.supported-architecture": (v) => v.processorInfo?.supportedArchitectures,
  "processor-info.sustained-clock-speed-in-ghz": (v) => v.processorInfo?.sustainedClockSpeedInGhz,
  "processor-info.supported-features": (v) => v.processorInfo?.supportedFeatures,
  "reboot-migration-support": (v) => v.rebootMigrationSupport,
  "supported-boot-mode": (v) => v.supportedBootModes,
  "supported-root-device-type": (v) => v.supportedRootDeviceTypes,
  "supported-usage-class": (v) => v.supportedUsageClasses,
  "supported-virtualization-type": (v) => v.supportedVirtualizationTypes,
  "vcpu-info.default-cores": (v) => v.vCpuInfo?.defaultCores,
  "vcpu-info.default-threads-per-core": (v) => v.vCpuInfo?.defaultThreadsPerCore,
  "vcpu-info.default-vcpus": (v) => v.vCpuInfo?.defaultVCpus,
  "vcpu-info.valid-cores": (v) => v.vCpuInfo?.validCores,
  "vcpu-info.valid-threads-per-core": (v) => v.vCpuInfo?.validThreadsPerCore,
};

export function DescribeInstanceTypes(ctx: Ctx, input: Input) {
  dryRun(input);
  const names = list(input.InstanceTypes);
  const all = awsInstanceTypes();
  const missing = names.filter((n) => !all.has(n));
  if (missing.length) throw Ec2Errors.custom("InvalidInstanceType", `The following supplied instance types do not exist: [${missing.join(", ")}]`);
  const rows = [...all.values()].filter((t) => !names.length || names.includes(t.instanceType)).map((view) => ({ view, tags: new Map<string, string>() }));
  const table = Object.fromEntries(Object.entries(INSTANCE_TYPE_FILTERS).map(([k, f]) => [k, (r: (typeof rows)[number]) => f(r.view)]));
  const r = select(rows, input, table, (t) => t.view.instanceType, { paginate: true, min: 5, max: 100 });
  return { instanceTypeSet: r.items.map((t) => t.view), nextToken: r.nextToken };
}
