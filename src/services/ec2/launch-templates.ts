/**
 * Launch templates and their versions ($Latest/$Default, default version changes, version deletion),
 * and the resolution RunInstances uses (template data, overridden by the request).
 */
import type { Ctx } from "../core/types.js";
import { ec2Id } from "../core/ids.js";
import { applyTagSpec, dropTags, dryRun, list, select, st, tagList, type Input, onlyTagTypes } from "./common.js";
import { Ec2Errors } from "./errors.js";
import { extraOf } from "./extra/state.js";
import type { Ec2State, InstanceRec, LaunchTemplateRec } from "./state.js";
import { toWire } from "./wire-output.js";

const e = Ec2Errors.custom;
const nameNotFound = (name: string) =>
  e("InvalidLaunchTemplateName.NotFoundException", `The specified launch template, with template name ${name}, does not exist.`);
const idNotFound = (id: string) => e("InvalidLaunchTemplateId.NotFound", `The specified launch template, with template ID ${id}, does not exist.`);
const versionNotFound = (v: string) => e("InvalidLaunchTemplateId.VersionNotFound", `Could not find launch template version ${v}`);

/** The template named by id or name (exactly one of them). */
export function findTemplate(s: Ec2State, id?: string, name?: string): LaunchTemplateRec {
  if (id !== undefined && name !== undefined) throw Ec2Errors.invalidCombination("Only one of LaunchTemplateId or LaunchTemplateName may be specified");
  if (id !== undefined) {
    if (!/^lt-[0-9a-f]{17}$/.test(id)) throw e("InvalidLaunchTemplateId.Malformed", `The launch template ID '${id}' is malformed.`);
    const t = s.launchTemplates.get(id);
    if (!t) throw idNotFound(id);
    return t;
  }
  if (name !== undefined) {
    const t = [...s.launchTemplates.values()].find((x) => x.name === name);
    if (!t) throw nameNotFound(name);
    return t;
  }
  throw Ec2Errors.missing("LaunchTemplateId or LaunchTemplateName");
}

/** "$Latest", "$Default" or a number → the version number. */
export function versionOf(t: LaunchTemplateRec, v: string | undefined, notFound: (v: string) => Error = versionNotFound): number {
  if (v === undefined || v === "$Default") return t.defaultVersion;
  if (v === "$Latest") return t.latestVersion;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw Ec2Errors.invalidValue(`Invalid launch template version: ${v}`);
  if (!t.versions.has(n)) throw notFound(v);
  return n;
}

// AWS's answers (moto's tests recorded against AWS).
const ALL_TEMPLATES_USAGE =
  "To describe the launch template data for all your launch templates, for ‘--versions’ specify ‘$Latest’, ‘$Default’, or both, and omit ‘--launch-template-id’, ‘--launch-template-name’, and version numbers. To describe the launch template data for a specific launch template, specify ‘--launch-template-id’ or ‘--launch-template-name’, and for ‘--versions’ specify one or more of the following values: ‘$Latest’, ‘$Default’, or one or more version numbers.";
const describedVersionNotFound = (t: LaunchTemplateRec) => (v: string) =>
  e("InvalidLaunchTemplateId.VersionNotFound", `Could not find the specified version ${v} for the launch template with ID ${t.id}.`);
const defaultVersionNotFound = (v: string) =>
  e("InvalidLaunchTemplateId.VersionNotFound", `The launch template version ${v} is not found for the specified launch template.`);

const templateView = (t: LaunchTemplateRec) => ({
  launchTemplateId: t.id,
  launchTemplateName: t.name,
  createTime: t.createTime,
  createdBy: t.createdBy,
  defaultVersionNumber: t.defaultVersion,
  latestVersionNumber: t.latestVersion,
  // AWS leaves out an empty tag set, and shows the template as not managed by a service.
  tagSet: t.tags.size ? tagList(t) : undefined,
  operator: { managed: false },
});

function versionView(t: LaunchTemplateRec, n: number) {
  const v = t.versions.get(n)!;
  return {
    launchTemplateId: t.id,
    launchTemplateName: t.name,
    versionNumber: n,
    versionDescription: v.description,
    createTime: v.createTime,
    createdBy: t.createdBy,
    defaultVersion: n === t.defaultVersion,
    launchTemplateData: toWire("ResponseLaunchTemplateData", v.data) ?? {},
  };
}

export function CreateLaunchTemplate(ctx: Ctx, input: Input) {
  onlyTagTypes(input, "launch-template");
  const s = st(ctx);
  const name = String(input.LaunchTemplateName);
  if ([...s.launchTemplates.values()].some((t) => t.name === name))
    throw e("InvalidLaunchTemplateName.AlreadyExistsException", "Launch template name already in use.");
  const data = (input.LaunchTemplateData ?? {}) as Input;
  dryRun(input);
  const now = ctx.now();
  const t: LaunchTemplateRec = {
    id: ec2Id("lt"),
    seq: ++s.seq,
    name,
    createTime: now,
    createdBy: `arn:aws:iam::${s.accountId}:root`,
    defaultVersion: 1,
    latestVersion: 1,
    versions: new Map([[1, { description: input.VersionDescription, createTime: now, data }]]),
    tags: new Map(),
  };
  s.launchTemplates.set(t.id, t);
  applyTagSpec(s, input, "launch-template", t.id, t);
  return { launchTemplate: templateView(t) };
}

export function CreateLaunchTemplateVersion(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const t = findTemplate(s, input.LaunchTemplateId, input.LaunchTemplateName);
  let data = (input.LaunchTemplateData ?? {}) as Input;
  if (input.SourceVersion !== undefined) {
    const base = t.versions.get(versionOf(t, String(input.SourceVersion)))!.data;
    data = { ...base, ...data };
  }
  if (t.versions.size >= 10000) throw e("LaunchTemplateVersionLimitExceeded", "You have reached the maximum number of launch template versions.");
  dryRun(input);
  const n = ++t.latestVersion;
  t.versions.set(n, { description: input.VersionDescription, createTime: ctx.now(), data });
  return { launchTemplateVersion: versionView(t, n) };
}

export function ModifyLaunchTemplate(ctx: Ctx, input: Input) {
  const s = st(ctx);
  if (input.LaunchTemplateId !== undefined && input.LaunchTemplateName !== undefined)
    throw Ec2Errors.invalidCombination("Either provide launch template ID or launch template name to modify the template.");
  const t = findTemplate(s, input.LaunchTemplateId, input.LaunchTemplateName);
  const next = input.DefaultVersion !== undefined ? versionOf(t, String(input.DefaultVersion), defaultVersionNotFound) : undefined;
  dryRun(input);
  if (next !== undefined) t.defaultVersion = next;
  return { launchTemplate: templateView(t) };
}

export function DeleteLaunchTemplate(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const t = findTemplate(s, input.LaunchTemplateId, input.LaunchTemplateName);
  dryRun(input);
  const view = templateView(t);
  dropTags(s, t.id, t);
  s.launchTemplates.delete(t.id);
  return { launchTemplate: view };
}

export function DescribeLaunchTemplates(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const ids = list(input.LaunchTemplateIds);
  const names = list(input.LaunchTemplateNames);
  if ((ids.length || names.length) && input.MaxResults !== undefined)
    throw Ec2Errors.invalidCombination("The parameter launchTemplateIds or launchTemplateNames cannot be used with the parameter maxResults");
  let items = [...s.launchTemplates.values()].sort((a, b) => a.seq - b.seq);
  if (names.some((n) => ![...s.launchTemplates.values()].some((t) => t.name === n)))
    throw e("InvalidLaunchTemplateName.NotFoundException", "At least one of the launch templates specified in the request does not exist.");
  if (ids.length || names.length)
    items = [...ids.map((id) => findTemplate(s, id)), ...names.map((n) => findTemplate(s, undefined, n))].filter((t, i, all) => all.indexOf(t) === i);
  const r = select(
    items,
    input,
    {
      "create-time": (t) => t.createTime.toISOString(),
      "launch-template-name": (t) => t.name,
    },
    (t) => String(t.seq).padStart(12, "0"),
    { paginate: true, min: 1, max: 200 },
  );
  return { launchTemplates: r.items.map(templateView), nextToken: r.nextToken };
}

export function DescribeLaunchTemplateVersions(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const versions = list(input.Versions);
  const rows: Array<{ t: LaunchTemplateRec; n: number; tags: Map<string, string> }> = [];
  if (input.LaunchTemplateId === undefined && input.LaunchTemplateName === undefined) {
    // Across templates only $Latest / $Default may be named, and one of them must be.
    if (!versions.length) throw e("MissingParameter", ALL_TEMPLATES_USAGE);
    if (versions.some((v) => v !== "$Latest" && v !== "$Default")) throw Ec2Errors.invalidValue(ALL_TEMPLATES_USAGE);
    for (const t of [...s.launchTemplates.values()].sort((a, b) => a.seq - b.seq))
      for (const n of new Set(versions.length ? versions.map((v) => versionOf(t, v)) : [...t.versions.keys()])) rows.push({ t, n, tags: new Map() });
  } else {
    const t = findTemplate(s, input.LaunchTemplateId, input.LaunchTemplateName);
    const min = input.MinVersion !== undefined ? Number(input.MinVersion) : undefined;
    const max = input.MaxVersion !== undefined ? Number(input.MaxVersion) : undefined;
    const wanted = versions.length
      ? [...new Set(versions.map((v) => versionOf(t, v, describedVersionNotFound(t))))]
      : [...t.versions.keys()].sort((a, b) => a - b);
    for (const n of wanted) if ((min === undefined || n >= min) && (max === undefined || n <= max)) rows.push({ t, n, tags: new Map() });
  }
  const data = (x: { t: LaunchTemplateRec; n: number }) => x.t.versions.get(x.n)!.data;
  const r = select(
    rows,
    input,
    {
      "create-time": (x) => x.t.versions.get(x.n)!.createTime.toISOString(),
      "ebs-optimized": (x) => (data(x).EbsOptimized !== undefined ? String(data(x).EbsOptimized) : undefined),
      "iam-instance-profile": (x) => data(x).IamInstanceProfile?.Arn ?? data(x).IamInstanceProfile?.Name,
      "image-id": (x) => data(x).ImageId,
      "instance-type": (x) => data(x).InstanceType,
      "is-default-version": (x) => String(x.n === x.t.defaultVersion),
      "kernel-id": (x) => data(x).KernelId,
      "ram-disk-id": (x) => data(x).RamDiskId,
      "http-endpoint": (x) => data(x).MetadataOptions?.HttpEndpoint,
      "http-protocol-ipv4": (x) => data(x).MetadataOptions?.HttpProtocolIpv4,
      "http-tokens": (x) => data(x).MetadataOptions?.HttpTokens,
      "host-resource-group-arn": (x) => data(x).Placement?.HostResourceGroupArn,
      "license-configuration-arn": (x) => ((data(x).LicenseSpecifications ?? []) as Input[]).map((l) => l?.LicenseConfigurationArn),
      "network-card-index": (x) => ((data(x).NetworkInterfaces ?? []) as Input[]).map((n) => n?.NetworkCardIndex),
    },
    (x) => `${x.t.id}:${String(x.n).padStart(8, "0")}`,
    { paginate: true, min: 1, max: 200 },
  );
  return { launchTemplateVersionSet: r.items.map((x) => versionView(x.t, x.n)), nextToken: r.nextToken };
}

export function DeleteLaunchTemplateVersions(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const t = findTemplate(s, input.LaunchTemplateId, input.LaunchTemplateName);
  dryRun(input);
  const ok: unknown[] = [];
  const failed: unknown[] = [];
  for (const v of list(input.Versions)) {
    const n = Number(v);
    const base = { launchTemplateId: t.id, launchTemplateName: t.name, versionNumber: Number.isInteger(n) ? n : undefined };
    if (!Number.isInteger(n) || !t.versions.has(n))
      failed.push({ ...base, responseError: { code: "launchTemplateVersionDoesNotExist", message: "The specified launch template version does not exist." } });
    else if (n === t.defaultVersion)
      failed.push({
        ...base,
        responseError: {
          code: "launchTemplateVersionIsDefaultVersion",
          message: "Cannot delete the default version of a launch template. Use DeleteLaunchTemplate to delete the launch template.",
        },
      });
    else {
      t.versions.delete(n);
      ok.push(base);
    }
  }
  return { successfullyDeletedLaunchTemplateVersionSet: ok, unsuccessfullyDeletedLaunchTemplateVersionSet: failed };
}

/**
 * GetLaunchTemplateData's settings of the instance beyond its devices and interfaces, as AWS answers them: its tags
 * (as an instance tag specification), Capacity Reservation preference, credit option (burstable types) and
 * hibernation option. AWS's reserved (aws:) tags cannot go in a template and are left out.
 */
function instanceSettings(s: Ec2State, i: InstanceRec): Input {
  const extra = extraOf(s).instances.get(i.id);
  const tags = tagList(i).filter((x) => !x.key.toLowerCase().startsWith("aws:"));
  const cr = extra?.capacityReservation;
  return {
    TagSpecifications: tags.length ? [{ ResourceType: "instance", Tags: tags.map((x) => ({ Key: x.key, Value: x.value })) }] : undefined,
    CapacityReservationSpecification: cr?.target ? { CapacityReservationTarget: cr.target } : { CapacityReservationPreference: cr?.preference ?? "open" },
    CreditSpecification: i.cpuCredits ? { CpuCredits: i.cpuCredits } : undefined,
    HibernationOptions: { Configured: extra?.hibernation === true },
  };
}

export function GetLaunchTemplateData(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const i = s.instances.get(String(input.InstanceId));
  if (!i) throw Ec2Errors.notFound("Instance", "instance", [String(input.InstanceId)]);
  // As AWS answers: the instance's volumes and network interfaces (with their groups), not SecurityGroupIds.
  const blockDeviceMappings = [];
  for (const id of i.volumeIds) {
    const v = s.volumes.get(id);
    const a = v?.attachments.find((x) => x.instanceId === i.id);
    if (!v || !a) continue;
    blockDeviceMappings.push({
      DeviceName: a.device,
      Ebs: {
        DeleteOnTermination: a.deleteOnTermination,
        Encrypted: v.encrypted,
        Iops: v.iops,
        KmsKeyId: v.kmsKeyId,
        SnapshotId: v.snapshotId || undefined,
        VolumeSize: v.size,
        VolumeType: v.type,
        Throughput: v.throughput,
      },
    });
  }
  const networkInterfaces = [];
  for (const id of i.eniIds) {
    const e = s.enis.get(id);
    if (!e?.attachment) continue;
    const primary = e.id === i.eniId;
    networkInterfaces.push({
      AssociatePublicIpAddress: primary ? !!i.publicIp : undefined,
      DeleteOnTermination: e.attachment.deleteOnTermination,
      Description: e.description,
      DeviceIndex: e.attachment.deviceIndex,
      Groups: e.groups,
      Ipv6Addresses: e.ipv6Ips.map((Ipv6Address) => ({ Ipv6Address })),
      NetworkInterfaceId: e.id,
      PrivateIpAddress: e.privateIp,
      PrivateIpAddresses: [
        { Primary: true, PrivateIpAddress: e.privateIp },
        ...e.secondaryIps.map((PrivateIpAddress) => ({ Primary: false, PrivateIpAddress })),
      ],
      SubnetId: e.subnetId,
    });
  }
  const data: Input = {
    BlockDeviceMappings: blockDeviceMappings.length ? blockDeviceMappings : undefined,
    ImageId: i.imageId,
    InstanceType: i.instanceType,
    KeyName: i.keyName,
    NetworkInterfaces: networkInterfaces.length ? networkInterfaces : undefined,
    SecurityGroupIds: networkInterfaces.length ? undefined : i.groups,
    Monitoring: { Enabled: i.monitoring === "enabled" },
    Placement: { AvailabilityZone: i.az, GroupName: i.placementGroup ?? "", Tenancy: i.tenancy },
    DisableApiTermination: i.disableApiTermination,
    DisableApiStop: i.disableApiStop,
    InstanceInitiatedShutdownBehavior: i.shutdownBehavior,
    EbsOptimized: i.ebsOptimized,
    UserData: i.userData,
    IamInstanceProfile: i.iamInstanceProfile ? { Arn: i.iamInstanceProfile } : undefined,
    ...instanceSettings(s, i),
  };
  return { launchTemplateData: toWire("ResponseLaunchTemplateData", data) };
}

/** RunInstances with LaunchTemplate: the template version's data under the request's own values. */
export function mergeLaunchTemplate(s: Ec2State, input: Input): Input {
  const spec = input.LaunchTemplate as Input | undefined;
  if (!spec) return input;
  const t = findTemplate(s, spec.LaunchTemplateId, spec.LaunchTemplateName);
  const n = versionOf(t, spec.Version);
  const data = t.versions.get(n)!.data;
  const merged: Input = { ...data };
  for (const [k, v] of Object.entries(input)) if (v !== undefined && k !== "LaunchTemplate") merged[k] = v;
  merged.TagSpecifications = [...(data.TagSpecifications ?? []), ...(input.TagSpecifications ?? [])];
  merged.launchTemplateTags = [
    ["aws:ec2launchtemplate:id", t.id],
    ["aws:ec2launchtemplate:version", String(n)],
  ];
  return merged;
}
