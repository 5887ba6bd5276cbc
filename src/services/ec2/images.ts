/** AMIs (a seeded catalogue; any well-formed id works in RunInstances) and key pairs (real RSA / ED25519 keys). */
import { createHash, createPublicKey, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import type { Ctx } from "../core/types.js";
import { ec2Id } from "../core/ids.js";
import { wholeSecond } from "../core/time.js";
import {
  applyTagSpec,
  bool,
  dropTags,
  dryRun,
  knownRegion,
  list,
  foreignTagsOf,
  otherAccountStates,
  required,
  select,
  st,
  tagList,
  type Input,
  onlyTagTypes,
} from "./common.js";
import { Ec2Errors } from "./errors.js";
import { computeOf, recordImageSource } from "./compute/state.js";
import { imageAllowed } from "./extra/images.js";
import { extraOf, imageExtra } from "./extra/state.js";
import { stateOf } from "./instances.js";
import type { Ec2State, ImageDevice, ImageRec, KeyPairRec } from "./state.js";
import { copySnapshotRec, getSnapshot, instanceBlockDevices, snapshotVolume } from "./volumes.js";

const AMAZON = "137112412989";
const CANONICAL = "099720109477";
const MICROSOFT = "801119661308";
const DEBIAN = "136693071363";

const CATALOGUE: Array<Omit<ImageRec, "tags" | "state" | "isPublic">> = [
  {
    id: "ami-0abcdef1234567890",
    name: "al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64",
    description: "Amazon Linux 2023 AMI 2023.6.20241212.0 x86_64 HVM kernel-6.1",
    ownerId: AMAZON,
    ownerAlias: "amazon",
    architecture: "x86_64",
    platformDetails: "Linux/UNIX",
    creationDate: "2024-12-12T00:00:00.000Z",
    rootDeviceName: "/dev/xvda",
  },
  {
    id: "ami-0c02fb55956c7d316",
    name: "amzn2-ami-kernel-5.10-hvm-2.0.20241217.0-x86_64-gp2",
    description: "Amazon Linux 2 Kernel 5.10 AMI 2.0.20241217.0 x86_64 HVM gp2",
    ownerId: AMAZON,
    ownerAlias: "amazon",
    architecture: "x86_64",
    platformDetails: "Linux/UNIX",
    creationDate: "2024-12-17T00:00:00.000Z",
    rootDeviceName: "/dev/xvda",
  },
  {
    id: "ami-0f9fc25dd2506cf6d",
    name: "al2023-ami-2023.6.20241212.0-kernel-6.1-arm64",
    description: "Amazon Linux 2023 AMI 2023.6.20241212.0 arm64 HVM kernel-6.1",
    ownerId: AMAZON,
    ownerAlias: "amazon",
    architecture: "arm64",
    platformDetails: "Linux/UNIX",
    creationDate: "2024-12-12T00:00:00.000Z",
    rootDeviceName: "/dev/xvda",
  },
  {
    id: "ami-0e2c8caa4b6378d8c",
    name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241206",
    description: "Canonical, Ubuntu, 24.04, amd64 noble image",
    ownerId: CANONICAL,
    architecture: "x86_64",
    platformDetails: "Linux/UNIX",
    creationDate: "2024-12-06T00:00:00.000Z",
    rootDeviceName: "/dev/sda1",
  },
  {
    id: "ami-005fc0f236362e99f",
    name: "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20241206",
    description: "Canonical, Ubuntu, 22.04 LTS, amd64 jammy image",
    ownerId: CANONICAL,
    architecture: "x86_64",
    platformDetails: "Linux/UNIX",
    creationDate: "2024-12-06T00:00:00.000Z",
    rootDeviceName: "/dev/sda1",
  },
  {
    id: "ami-064519b8c76274859",
    name: "debian-12-amd64-20241201-1949",
    description: "Debian 12 (20241201-1949)",
    ownerId: DEBIAN,
    architecture: "x86_64",
    platformDetails: "Linux/UNIX",
    creationDate: "2024-12-01T00:00:00.000Z",
    rootDeviceName: "/dev/xvda",
  },
  {
    id: "ami-05b4ded3ceb71e470",
    name: "Windows_Server-2022-English-Full-Base-2024.12.13",
    description: "Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon",
    ownerId: MICROSOFT,
    ownerAlias: "amazon",
    architecture: "x86_64",
    platform: "windows",
    platformDetails: "Windows",
    creationDate: "2024-12-13T00:00:00.000Z",
    rootDeviceName: "/dev/sda1",
  },
];

/** Root volume size (GiB) of every catalogue image, and the id of the snapshot behind it. */
export const ROOT_SIZE = 8;
const snapshotIds = new Map<string, string>();
/** A pure function of the image id, remembered (RunInstances asks for it on every launch). */
export function imageSnapshotId(imageId: string): string {
  let id = snapshotIds.get(imageId);
  if (id === undefined) {
    id = `snap-${createHash("md5").update(imageId).digest("hex").slice(0, 17)}`;
    if (snapshotIds.size < 10_000) snapshotIds.set(imageId, id);
  }
  return id;
}

/** An image's block devices: its own (CreateImage), or the catalogue's root snapshot. */
export function imageDevices(i: ImageRec): ImageDevice[] {
  return (
    i.blockDevices ?? [
      // gp3 at its baseline, as Amazon Linux 2023's AMIs show it ("Iops": 3000, "Throughput": 125).
      {
        device: i.rootDeviceName,
        snapshotId: imageSnapshotId(i.id),
        size: ROOT_SIZE,
        type: "gp3",
        deleteOnTermination: true,
        encrypted: false,
        iops: 3000,
        throughput: 125,
      },
    ]
  );
}

/** An image's block device mappings as DescribeImages shows them: its EBS devices, then its instance store mappings. */
function imageMappings(i: ImageRec) {
  return [
    ...imageDevices(i).map((b) => ({
      deviceName: b.device,
      // An empty volume's mapping has no SnapshotId.
      ebs: {
        deleteOnTermination: b.deleteOnTermination,
        iops: b.iops,
        snapshotId: b.snapshotId || undefined,
        volumeSize: b.size,
        volumeType: b.type,
        throughput: b.throughput,
        encrypted: b.encrypted,
      },
      virtualName: undefined as string | undefined,
    })),
    ...(i.ephemeral ?? []).map((m) => ({ deviceName: m.device, ebs: undefined, virtualName: m.virtualName })),
  ];
}

/** The IOPS and throughput a block device mapping of a new AMI provisions for a device of `type` (as given). */
const provisioned = (type: string, iops: number | undefined, throughput: number | undefined) => ({
  iops: ["gp3", "io1", "io2"].includes(type) ? iops : undefined,
  throughput: type === "gp3" ? throughput : undefined,
});

/** Instance store mappings (VirtualName) of a RegisterImage/CreateImage request. */
const ephemeralOf = (mappings: Input[], skip: Set<string>) =>
  mappings
    .filter((m) => m.VirtualName && !m.Ebs && m.NoDevice === undefined && !skip.has(String(m.DeviceName)))
    .map((m) => ({ device: String(m.DeviceName), virtualName: String(m.VirtualName) }));

export function seedImages(s: Ec2State): void {
  if (s.images.size) return;
  for (const c of CATALOGUE) s.images.set(c.id, { ...c, isPublic: true, state: "available", tags: new Map() });
}

const publicByRegion = new Map<string, Map<string, ImageRec>>();

/**
 * AWS's public Amazon Linux and ECS-optimized AMIs of a region, with the ids AWS gives them there (about 1,100 per
 * region, from models/ec2-public-images.jsonl.gz, a line per region: only the regions asked about are parsed and
 * kept). They are shared and never changed: an account gets its own copy of one
 * when it launches or tags it (imageAt), so that they cost an account's state (and --persist's journal) nothing
 * until used.
 */
function publicImages(region: string): Map<string, ImageRec> {
  let m = publicByRegion.get(region);
  if (m) return m;
  // One line per region, ["region",[rows]]: find the region's line, parse only that.
  const text = gunzipSync(readFileSync(new URL("../../../models/ec2-public-images.jsonl.gz", import.meta.url))).toString("latin1");
  const at = text.indexOf(`\n["${region}",`);
  const line = at < 0 ? undefined : text.slice(at + 1, text.indexOf("\n", at + 1));
  const rows = line
    ? (JSON.parse(Buffer.from(line, "latin1").toString("utf8")) as [string, Array<[string, string, string, string, string, string, string]>])[1]
    : [];
  m = new Map();
  for (const [id, name, description, ownerId, architecture, rootDeviceName, creationDate] of rows)
    m.set(id, {
      id,
      name,
      description,
      ownerId,
      ownerAlias: "amazon",
      architecture,
      platformDetails: "Linux/UNIX",
      creationDate,
      rootDeviceName,
      isPublic: true,
      state: "available",
      tags: new Map(),
    });
  publicByRegion.set(region, m);
  return m;
}

/** An image by id for reading: the account's own (or its copy of a public one), else AWS's public one of the region,
 * else one another account of the region shares with this one. */
export function lookupImage(s: Ec2State, id: string): ImageRec | undefined {
  seedImages(s);
  return s.images.get(id) ?? publicImages(s.region).get(id) ?? sharedImage(s, id);
}

/** Whether an account's own image is visible to another account: made public, or shared with it by launch permission. */
const sharedTo = (owner: Ec2State, img: ImageRec | undefined, accountId: string): img is ImageRec =>
  !!img && img.ownerId === owner.accountId && img.state === "available" && (img.isPublic || !!img.launchUsers?.has(accountId));

/**
 * An AMI another account of the region owns and shares with this one (or with everyone). What this account sees is a
 * view: the owner's image without the owner's tags (tags are per account), never a copy kept here, so that the
 * owner's unsharing or deregistering takes effect at once.
 */
function sharedImage(s: Ec2State, id: string): ImageRec | undefined {
  for (const o of otherAccountStates(s)) {
    const img = Map.prototype.get.call(o.images, id) as ImageRec | undefined;
    if (sharedTo(o, img, s.accountId)) return { ...img, tags: foreignTagsOf(s, id) };
  }
  return undefined;
}

/** Every AMI other accounts of the region share with this one, as sharedImage's views; with the owner's deprecation time. */
export function sharedImages(s: Ec2State): Array<{ img: ImageRec; owner: Ec2State }> {
  const out: Array<{ img: ImageRec; owner: Ec2State }> = [];
  for (const o of otherAccountStates(s))
    for (const img of Map.prototype.values.call(o.images) as MapIterator<ImageRec>)
      if (sharedTo(o, img, s.accountId)) out.push({ img: { ...img, tags: foreignTagsOf(s, img.id) }, owner: o });
  return out;
}

/** Whether another account of the region owns an AMI by this id that it does not share with this account. */
function hiddenImage(s: Ec2State, id: string): boolean {
  return otherAccountStates(s).some((o) => {
    const img = Map.prototype.get.call(o.images, id) as ImageRec | undefined;
    return img?.ownerId === o.accountId && !sharedTo(o, img, s.accountId);
  });
}

/** The account that owns a shared image's state, for its owner-side settings (deprecation). */
export function ownerState(s: Ec2State, img: ImageRec): Ec2State | undefined {
  return img.ownerId === s.accountId ? s : otherAccountStates(s).find((o) => o.accountId === img.ownerId);
}

/** An image by id for use (a launch, tags): a public one the account had not used becomes the account's copy (an image
 * another account shares stays that account's). */
export function imageAt(s: Ec2State, id: string): ImageRec | undefined {
  const img = lookupImage(s, id);
  if (!img || s.images.has(id) || !publicImages(s.region).has(id)) return img;
  const copy = { ...img, tags: new Map<string, string>() };
  s.images.set(id, copy);
  return copy;
}

/** An image for RunInstances: the catalogue's, or a generic Linux image for any well-formed id. */
/** An AMI by id; an id awsim has not seen is described as a generic Linux image of `arch` (the launching type's). */
export function ensureImage(s: Ec2State, id: string, arch = "x86_64"): ImageRec {
  if (!/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) throw Ec2Errors.amiMalformed(id);
  let img = imageAt(s, id);
  if (!img && extraOf(s).images.get(id)?.deregistered) throw Ec2Errors.custom("InvalidAMIID.Unavailable", `The image id '[${id}]' is no longer available`);
  // Another account's AMI that is not shared with this one: AWS's AuthFailure (only ids nobody owns get a generic image).
  if (!img && hiddenImage(s, id)) throw Ec2Errors.custom("AuthFailure", `Not authorized for images: [${id}]`);
  if (!img) {
    img = {
      id,
      name: `awsim-generic-linux-${id}`,
      description: "Generic Linux image (described by awsim for an AMI id it had not seen)",
      ownerId: AMAZON,
      ownerAlias: "amazon",
      architecture: arch,
      platformDetails: "Linux/UNIX",
      creationDate: "2024-01-01T00:00:00.000Z",
      rootDeviceName: "/dev/xvda",
      isPublic: true,
      state: "available",
      tags: new Map(),
    };
    s.images.set(id, img);
  }
  if (img.state !== "available") throw Ec2Errors.amiNotFound([id]);
  return img;
}

const str = (v: boolean | undefined) => (v === undefined ? undefined : String(v));

const imageView = (i: ImageRec) => ({
  imageId: i.id,
  imageLocation: `${i.ownerAlias ?? i.ownerId}/${i.name}`,
  imageState: i.state,
  imageOwnerId: i.ownerId,
  imageOwnerAlias: i.ownerAlias,
  creationDate: i.creationDate,
  isPublic: i.isPublic,
  architecture: i.architecture,
  imageType: "machine",
  platform: i.platform,
  platformDetails: i.platformDetails,
  usageOperation: i.platform === "windows" ? "RunInstances:0002" : "RunInstances",
  name: i.name,
  description: i.description,
  rootDeviceType: "ebs",
  rootDeviceName: i.rootDeviceName,
  blockDeviceMapping: imageMappings(i),
  virtualizationType: i.virtualizationType ?? "hvm",
  hypervisor: "xen",
  enaSupport: true,
  sriovNetSupport: "simple",
  bootMode: "uefi-preferred",
  imdsSupport: "v2.0",
  sourceInstanceId: i.sourceInstanceId,
  tagSet: i.tags.size ? tagList(i) : undefined,
});

export function DescribeImages(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  seedImages(s);
  const ids = list(input.ImageIds);
  for (const id of ids) if (!/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) throw Ec2Errors.amiMalformed(id);
  // "Recently deregistered images ... return empty results. After all instances that reference a deregistered AMI are
  // terminated, specifying the ID of the image will eventually return an error" (DescribeImages): while an instance
  // launched from it remains, a deregistered image is just left out of the answer.
  const gone = (id: string) =>
    !s.images.has(id) &&
    extraOf(s).images.get(id)?.deregistered === true &&
    [...s.instances.values()].some((i) => i.imageId === id && i.state !== "terminated");
  // Another account's AMI that is not shared with this one exists but is not this account's to see: DescribeImages
  // leaves it out of the answer (RunInstances answers AuthFailure for it), unlike an id nobody owns.
  const hidden = (id: string) => !lookupImage(s, id) && hiddenImage(s, id);
  const missing = ids.filter((id) => !gone(id) && !hidden(id) && lookupImage(s, id)?.state !== "available");
  if (missing.length) throw Ec2Errors.amiNotFound(missing);
  let items: ImageRec[];
  if (ids.length) items = ids.filter((id) => !gone(id) && !hidden(id)).map((id) => lookupImage(s, id)!);
  else {
    items = [...s.images.values()];
    for (const [id, i] of publicImages(s.region)) if (!s.images.has(id)) items.push(i);
    // What other accounts share; one they deprecated is left out unless IncludeDeprecated ("AMI owners continue to see
    // deprecated AMIs", the others do not unless they name its id or ask for deprecated ones).
    const now = ctx.now().getTime();
    for (const { img, owner } of sharedImages(s)) {
      const dep = extraOf(owner).images.get(img.id)?.deprecationTime;
      if (!s.images.has(img.id) && (input.IncludeDeprecated === true || !dep || dep.getTime() > now)) items.push(img);
    }
  }
  const owners = list(input.Owners);
  if (owners.length)
    items = items.filter((i) =>
      owners.some((o) =>
        o === "self" ? i.ownerId === s.accountId : o === "amazon" ? i.ownerAlias === "amazon" : o === "aws-marketplace" ? false : i.ownerId === o,
      ),
    );
  const exec = list(input.ExecutableUsers);
  if (exec.length)
    items = items.filter((i) =>
      // "all": the public AMIs; an account id (or "self"): the AMIs shared with that account explicitly.
      exec.some((e) => (e === "all" ? i.isPublic : !!i.launchUsers?.has(e === "self" ? s.accountId : e))),
    );
  const r = select(
    items,
    input,
    {
      "image-id": (i) => i.id,
      name: (i) => i.name,
      description: (i) => i.description,
      "owner-id": (i) => i.ownerId,
      "owner-alias": (i) => i.ownerAlias,
      architecture: (i) => i.architecture,
      state: (i) => i.state,
      "is-public": (i) => String(i.isPublic),
      platform: (i) => i.platform,
      "platform-details": (i) => i.platformDetails,
      "root-device-type": () => "ebs",
      "root-device-name": (i) => i.rootDeviceName,
      "virtualization-type": (i) => i.virtualizationType ?? "hvm",
      "image-type": () => "machine",
      hypervisor: () => "xen",
      "creation-date": (i) => i.creationDate,
      "block-device-mapping.device-name": (i) => imageDevices(i).map((b) => b.device),
      "block-device-mapping.snapshot-id": (i) => imageDevices(i).map((b) => b.snapshotId),
      "block-device-mapping.volume-size": (i) => imageDevices(i).map((b) => b.size),
      "block-device-mapping.volume-type": (i) => imageDevices(i).map((b) => b.type),
      "block-device-mapping.encrypted": (i) => imageDevices(i).map((b) => String(b.encrypted)),
      "block-device-mapping.delete-on-termination": (i) => imageDevices(i).map((b) => String(b.deleteOnTermination)),
      "ena-support": () => "true",
      "sriov-net-support": () => "simple",
      "source-instance-id": (i) => i.sourceInstanceId,
      // A registered AMI has only the boot settings it was given; catalogue AMIs have both.
      "imds-support": (i) => {
        const f = computeOf(s).imageFirmware.get(i.id);
        return f?.registered ? f.imdsSupport : "v2.0";
      },
      "boot-mode": (i) => {
        const f = computeOf(s).imageFirmware.get(i.id);
        return f?.bootMode ?? (f?.registered ? undefined : "uefi-preferred");
      },
      "kernel-id": () => undefined,
      "ramdisk-id": () => undefined,
      "product-code": () => undefined,
      "product-code.type": () => undefined,
      "state-reason-code": () => undefined,
      "state-reason-message": () => undefined,
      "manifest-location": (i) => `${i.ownerAlias ?? i.ownerId}/${i.name}`,
      "usage-operation": (i) => (i.platform === "windows" ? "RunInstances:0002" : "RunInstances"),
      "free-tier-eligible": () => undefined,
      "image-allowed": (i) => str(imageAllowed(s, i, ctx.now())),
      "source-image-id": (i) => computeOf(s).imageSources.get(i.id)?.imageId,
      "source-image-region": (i) => computeOf(s).imageSources.get(i.id)?.region,
    },
    (i) => i.id,
    { paginate: true },
  );
  // "The ID [and Region] of the source AMI ... only appears if the AMI was created using CreateImage, CopyImage, or
  // CreateRestoreImageTask" (Image.SourceImageId / SourceImageRegion): the sources those operations recorded.
  const sources = computeOf(s).imageSources;
  const view = (i: ImageRec) => {
    const src = sources.get(i.id);
    return { ...imageView(i), sourceImageId: src?.imageId, sourceImageRegion: src?.region };
  };
  return { imagesSet: r.items.map(view), nextToken: r.nextToken };
}

export function CreateImage(ctx: Ctx, input: Input) {
  // The image and its snapshots are what CreateImage tags.
  onlyTagTypes(input, "image", "snapshot");
  const s = st(ctx);
  seedImages(s);
  const instanceId = required(input, "InstanceId");
  const name = required(input, "Name");
  const inst = s.instances.get(instanceId);
  if (!inst || stateOf(inst, ctx.config.transitionDelayMs) === "terminated") throw Ec2Errors.notFound("Instance", "instance", [instanceId]);
  const dup = [...s.images.values()].find((i) => i.ownerId === s.accountId && i.name === name);
  if (dup) throw Ec2Errors.amiNameDuplicate(name, dup.id);
  if (!/^[A-Za-z0-9()[\] ./\-'@_]{3,128}$/.test(name))
    throw Ec2Errors.invalidValue(`AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'`);
  dryRun(input);
  const src = s.images.get(inst.imageId);
  const id = ec2Id("ami");
  const mappings = (input.BlockDeviceMappings ?? []) as Input[];
  const excluded = new Set(mappings.filter((m) => m.NoDevice !== undefined).map((m) => String(m.DeviceName)));
  const given = new Map(mappings.filter((m) => m.Ebs && m.NoDevice === undefined).map((m) => [String(m.DeviceName), m.Ebs as Input]));
  const blockDevices: ImageDevice[] = [];
  const attached = instanceBlockDevices(s, inst);
  for (const b of attached) {
    if (excluded.has(b.deviceName)) continue;
    const v = s.volumes.get(b.ebs.volumeId)!;
    const snap = snapshotVolume(s, v, `Created by CreateImage(${inst.id}) for ${id}`, ctx.now());
    applyTagSpec(s, input, "snapshot", snap.id, snap);
    // An instance's own volume keeps its size, type and encryption; only DeleteOnTermination may change (CreateImage's API reference).
    const asked = given.get(b.deviceName)?.DeleteOnTermination;
    blockDevices.push({
      device: b.deviceName,
      snapshotId: snap.id,
      size: v.size,
      type: v.type,
      deleteOnTermination: asked !== undefined ? asked === true : b.ebs.deleteOnTermination,
      encrypted: v.encrypted,
    });
  }
  // Mappings for devices the instance does not have add volumes to the AMI (empty, or from a snapshot), as Packer's
  // ami_block_device_mappings do; VirtualName mappings add instance store volumes.
  const onInstance = new Set(attached.map((b) => b.deviceName));
  for (const [device, ebs] of given) {
    if (onInstance.has(device)) continue;
    const snap = ebs.SnapshotId ? getSnapshot(s, String(ebs.SnapshotId)) : undefined;
    const size = (ebs.VolumeSize as number | undefined) ?? snap?.volumeSize;
    if (size === undefined) throw Ec2Errors.missing("size/snapshot");
    blockDevices.push({
      device,
      snapshotId: snap?.id ?? "",
      size,
      type: String(ebs.VolumeType ?? "gp2"),
      deleteOnTermination: ebs.DeleteOnTermination !== false,
      encrypted: snap?.encrypted ?? ebs.Encrypted === true,
      ...provisioned(String(ebs.VolumeType ?? "gp2"), ebs.Iops as number | undefined, ebs.Throughput as number | undefined),
    });
  }
  const ephemeral = ephemeralOf(mappings, onInstance);
  const img: ImageRec = {
    id,
    blockDevices,
    snapshotIds: blockDevices.map((b) => b.snapshotId).filter(Boolean),
    ephemeral: ephemeral.length ? ephemeral : undefined,
    name,
    description: String(input.Description ?? ""),
    ownerId: s.accountId,
    architecture: inst.architecture,
    platform: src?.platform,
    platformDetails: src?.platformDetails ?? "Linux/UNIX",
    creationDate: wholeSecond(ctx.now()).toISOString(), // AWS shows whole seconds (".000Z")
    isPublic: false,
    rootDeviceName: inst.rootDevice,
    state: "available",
    sourceInstanceId: inst.id,
    tags: new Map(),
  };
  s.images.set(img.id, img);
  recordImageSource(s, img.id, inst.imageId, s.region);
  applyTagSpec(s, input, "image", img.id, img);
  return { imageId: img.id };
}

export function DeregisterImage(ctx: Ctx, input: Input) {
  const s = st(ctx);
  seedImages(s);
  const id = required(input, "ImageId");
  if (!/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) throw Ec2Errors.amiMalformed(id);
  const img = s.images.get(id);
  if (!img && extraOf(s).images.get(id)?.deregistered) throw Ec2Errors.custom("InvalidAMIID.Unavailable", `The image id '[${id}]' is no longer available`);
  if (img?.state !== "available") throw Ec2Errors.amiNotFound([id]);
  if (img.ownerId !== s.accountId) throw Ec2Errors.custom("AuthFailure", `Not authorized for image:${id}`);
  dryRun(input);
  dropTags(s, id, img);
  s.images.delete(id);
  imageExtra(extraOf(s), id).deregistered = true;
  const deleted = [];
  if (input.DeleteAssociatedSnapshots === true)
    for (const snapId of img.snapshotIds ?? []) {
      const snap = s.snapshots.get(snapId);
      if (!snap) continue;
      if ([...s.images.values()].some((o) => o.snapshotIds?.includes(snapId))) {
        deleted.push({ snapshotId: snapId, returnCode: "skipped" });
        continue;
      }
      dropTags(s, snapId, snap);
      s.snapshots.delete(snapId);
      deleted.push({ snapshotId: snapId, returnCode: "success" });
    }
  return { return: true, deleteSnapshotResultSet: deleted };
}

// ---------------------------------------------------------------- key pairs

const colonHex = (b: Buffer) => b.toString("hex").match(/../g)!.join(":");

const keyView = (k: KeyPairRec, withPublic: boolean) => ({
  keyPairId: k.id,
  keyName: k.name,
  keyType: k.type,
  keyFingerprint: k.fingerprint,
  publicKey: withPublic ? k.publicKey : undefined,
  createTime: k.createTime,
  tagSet: tagList(k),
});

/** The OpenSSH public key line for a Node public key object. */
function opensshPublic(pub: ReturnType<typeof createPublicKey>, type: string, name: string): string {
  const str = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  const mpint = (b64: string) => {
    let b = Buffer.from(b64, "base64url");
    if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
    return str(b);
  };
  const jwk = pub.export({ format: "jwk" }) as { n?: string; e?: string; x?: string };
  const blob =
    type === "rsa"
      ? Buffer.concat([str(Buffer.from("ssh-rsa")), mpint(jwk.e!), mpint(jwk.n!)])
      : Buffer.concat([str(Buffer.from("ssh-ed25519")), str(Buffer.from(jwk.x!, "base64url"))]);
  return `${type === "rsa" ? "ssh-rsa" : "ssh-ed25519"} ${blob.toString("base64")} ${name}`;
}

export function CreateKeyPair(ctx: Ctx, input: Input) {
  onlyTagTypes(input, "key-pair");
  const s = st(ctx);
  const name = required(input, "KeyName");
  const type = String(input.KeyType ?? "rsa");
  if (type !== "rsa" && type !== "ed25519") throw Ec2Errors.invalidValue(`Invalid value '${type}' for keyType.`);
  if (s.keyPairs.has(name)) throw Ec2Errors.keyPairDuplicate(name);
  dryRun(input);
  let material: string;
  let fingerprint: string;
  let publicKey: string;
  if (type === "rsa") {
    const { privateKey, publicKey: pub } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    material = privateKey.export({ type: "pkcs1", format: "pem" }) as string;
    fingerprint = colonHex(
      createHash("sha1")
        .update(privateKey.export({ type: "pkcs8", format: "der" }))
        .digest(),
    );
    publicKey = opensshPublic(pub, "rsa", name);
  } else {
    const { privateKey, publicKey: pub } = generateKeyPairSync("ed25519");
    material = privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    publicKey = opensshPublic(pub, "ed25519", name);
    fingerprint =
      createHash("sha256")
        .update(Buffer.from(publicKey.split(" ")[1]!, "base64"))
        .digest("base64")
        .replace(/=+$/, "") + "=";
  }
  const k: KeyPairRec = { id: ec2Id("key"), name, type, fingerprint, publicKey, createTime: ctx.now(), tags: new Map() };
  s.keyPairs.set(name, k);
  applyTagSpec(s, input, "key-pair", k.id, k);
  return { keyName: name, keyFingerprint: fingerprint, keyMaterial: material.trim(), keyPairId: k.id, tagSet: k.tags.size ? tagList(k) : undefined };
}

/** An OpenSSH (`ssh-rsa AAAA... comment`) or RFC 4716 (`---- BEGIN SSH2 PUBLIC KEY ----`) public key: its type and
 * wire blob, and for RSA its DER SubjectPublicKeyInfo. Undefined when it is neither, or names another algorithm. */
function parsePublicKey(text: string): { type: "rsa" | "ed25519"; blob: Buffer; der?: Buffer } | undefined {
  let b64: string | undefined;
  const openssh = /^ssh-(?:rsa|ed25519) ([A-Za-z0-9+/=]+)(?:\s|$)/.exec(text);
  if (openssh) b64 = openssh[1];
  else {
    const lines = text.split(/\r?\n/).map((l) => l.trim());
    if (lines[0] !== "---- BEGIN SSH2 PUBLIC KEY ----" || lines.at(-1) !== "---- END SSH2 PUBLIC KEY ----") return undefined;
    const body: string[] = [];
    let continued = false;
    for (const l of lines.slice(1, -1)) {
      // Header lines ("Comment: ...") and their backslash continuations come before the key.
      if (continued || /^[A-Za-z0-9-]+:/.test(l)) continued = l.endsWith("\\");
      else body.push(l);
    }
    b64 = body.join("");
    if (!/^[A-Za-z0-9+/=]+$/.test(b64)) return undefined;
  }
  const blob = Buffer.from(b64!, "base64");
  const fields: Buffer[] = [];
  for (let at = 0; at + 4 <= blob.length && fields.length < 3; ) {
    const n = blob.readUInt32BE(at);
    if (at + 4 + n > blob.length) return undefined;
    fields.push(blob.subarray(at + 4, at + 4 + n));
    at += 4 + n;
  }
  const name = fields[0]?.toString("latin1");
  if (name === "ssh-ed25519" && fields[1]?.length === 32) return { type: "ed25519", blob };
  if (name !== "ssh-rsa" || fields.length < 3) return undefined;
  const url = (b: Buffer) => (b[0] === 0 ? b.subarray(1) : b).toString("base64url");
  try {
    const key = createPublicKey({ key: { kty: "RSA", e: url(fields[1]!), n: url(fields[2]!) }, format: "jwk" });
    return { type: "rsa", blob, der: key.export({ type: "spki", format: "der" }) };
  } catch {
    return undefined;
  }
}

export function ImportKeyPair(ctx: Ctx, input: Input) {
  onlyTagTypes(input, "key-pair");
  const s = st(ctx);
  const name = required(input, "KeyName");
  if (!input.PublicKeyMaterial) throw Ec2Errors.missing("PublicKeyMaterial");
  let text = Buffer.from(input.PublicKeyMaterial).toString("utf8").trim();
  // Clients that base64-encode the key text themselves send it encoded twice.
  if (!/^(ssh-(rsa|ed25519) |---- BEGIN SSH2 PUBLIC KEY ----)/.test(text)) text = Buffer.from(text, "base64").toString("utf8").trim();
  const parsed = parsePublicKey(text);
  if (!parsed) throw Ec2Errors.keyFormat();
  if (s.keyPairs.has(name)) throw Ec2Errors.keyPairDuplicate(name);
  dryRun(input);
  const { type, blob } = parsed;
  const material = `ssh-${type} ${blob.toString("base64")}`;
  // RSA: MD5 of the DER (SubjectPublicKeyInfo) public key, what `openssl pkey -pubout -outform DER | openssl md5 -c`
  // prints and AWS's user guide says to compare with; ED25519: OpenSSH's SHA-256.
  const fingerprint =
    type === "rsa" ? colonHex(createHash("md5").update(parsed.der!).digest()) : createHash("sha256").update(blob).digest("base64").replace(/=+$/, "") + "=";
  const k: KeyPairRec = { id: ec2Id("key"), name, type, fingerprint, publicKey: material, createTime: ctx.now(), tags: new Map() };
  s.keyPairs.set(name, k);
  applyTagSpec(s, input, "key-pair", k.id, k);
  // Like CreateKeyPair's, the answer has a tag set only when tags were given (DescribeKeyPairs shows Tags []).
  return { keyName: name, keyFingerprint: fingerprint, keyPairId: k.id, tagSet: k.tags.size ? tagList(k) : undefined };
}

export function DescribeKeyPairs(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const names = list(input.KeyNames);
  const ids = list(input.KeyPairIds);
  let items = [...s.keyPairs.values()];
  for (const n of names) if (!s.keyPairs.has(n)) throw Ec2Errors.keyPairNotFound(n);
  if (names.length) items = items.filter((k) => names.includes(k.name));
  for (const id of ids) if (!items.some((k) => k.id === id)) throw Ec2Errors.custom("InvalidKeyPair.NotFound", `The key pair '${id}' does not exist`);
  if (ids.length) items = items.filter((k) => ids.includes(k.id));
  const r = select(
    items,
    input,
    { "key-name": (k) => k.name, "key-pair-id": (k) => k.id, fingerprint: (k) => k.fingerprint, "key-type": (k) => k.type },
    (k) => k.name,
  );
  return { keySet: r.items.map((k) => keyView(k, bool(input.IncludePublicKey))) };
}

export function DeleteKeyPair(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const k = input.KeyName ? s.keyPairs.get(String(input.KeyName)) : [...s.keyPairs.values()].find((x) => x.id === input.KeyPairId);
  if (!input.KeyName && !input.KeyPairId) throw Ec2Errors.missing("KeyName");
  if (k) {
    dropTags(s, k.id, k);
    s.keyPairs.delete(k.name);
  }
  return { return: true, keyPairId: k?.id };
}

// ---------------------------------------------------------------- image attributes, copies, registration

function ownImage(s: Ec2State, id: string): ImageRec {
  if (!/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) throw Ec2Errors.amiMalformed(id);
  const img = lookupImage(s, id);
  if (img?.state !== "available") throw Ec2Errors.amiNotFound([id]);
  return img;
}

export function DescribeImageAttribute(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const img = ownImage(s, required(input, "ImageId"));
  // Only the owner describes an AMI's attributes: AWS answers anyone else so, for a shared or a public AMI alike.
  if (img.ownerId !== s.accountId) throw Ec2Errors.custom("AuthFailure", `Not authorized for image:${img.id}`);
  const attr = required(input, "Attribute");
  dryRun(input);
  const v = (value: unknown) => ({ value });
  const orgs = extraOf(s).images.get(img.id);
  const perms = () => [
    ...(img.isPublic ? [{ group: "all" }] : []),
    ...[...(img.launchUsers ?? [])].map((userId) => ({ userId })),
    ...(orgs?.launchOrgs ?? []).map((organizationArn) => ({ organizationArn })),
    ...(orgs?.launchOus ?? []).map((organizationalUnitArn) => ({ organizationalUnitArn })),
  ];
  const map: Record<string, () => Record<string, unknown>> = {
    description: () => ({ description: v(img.description) }),
    kernel: () => ({ kernel: {} }),
    ramdisk: () => ({ ramdisk: {} }),
    launchPermission: () => ({ launchPermission: perms() }),
    productCodes: () => ({ productCodes: [] }),
    blockDeviceMapping: () => ({
      blockDeviceMapping: imageMappings(img),
    }),
    sriovNetSupport: () => ({ sriovNetSupport: v("simple") }),
    bootMode: () => ({ bootMode: v("uefi-preferred") }),
    imdsSupport: () => ({ imdsSupport: v("v2.0") }),
    deregistrationProtection: () => ({ deregistrationProtection: v("disabled") }),
    lastLaunchedTime: () => ({ lastLaunchedTime: {} }),
    tpmSupport: () => ({ tpmSupport: {} }),
    uefiData: () => ({ uefiData: {} }),
  };
  const f = map[attr];
  if (!f) throw Ec2Errors.invalidValue(`Value (${attr}) for parameter attribute is invalid. Unknown attribute.`);
  return { imageId: img.id, ...f() };
}

export function ModifyImageAttribute(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const img = ownImage(s, required(input, "ImageId"));
  if (img.ownerId !== s.accountId) throw Ec2Errors.custom("AuthFailure", `Not authorized for image:${img.id}`);
  const desc = input.Description?.Value ?? (input.Attribute === "description" ? input.Value : undefined);
  type Perm = { Group?: string; UserId?: string; OrganizationArn?: string; OrganizationalUnitArn?: string };
  const add: Perm[] = [...(input.LaunchPermission?.Add ?? [])];
  const remove: Perm[] = [...(input.LaunchPermission?.Remove ?? [])];
  const flat: Perm[] = [
    ...list(input.UserIds).map((UserId) => ({ UserId })),
    ...list(input.UserGroups).map((Group) => ({ Group })),
    ...list(input.OrganizationArns).map((OrganizationArn) => ({ OrganizationArn })),
    ...list(input.OrganizationalUnitArns).map((OrganizationalUnitArn) => ({ OrganizationalUnitArn })),
  ];
  if (flat.length) (input.OperationType === "remove" ? remove : add).push(...flat);
  if (desc === undefined && !add.length && !remove.length) throw Ec2Errors.missing("Attribute");
  for (const p of [...add, ...remove]) {
    if (p.Group !== undefined && p.Group !== "all") throw Ec2Errors.invalidValue(`Invalid group '${p.Group}'`);
    // "check that it is in the form of an AWS account ID, without hyphens" (EC2 error codes, InvalidAMIAttributeItemValue).
    if (p.UserId !== undefined && !/^\d{12}$/.test(String(p.UserId)))
      throw Ec2Errors.custom("InvalidAMIAttributeItemValue", `Invalid attribute item value "${p.UserId}" for userId item type.`);
  }
  dryRun(input);
  if (desc !== undefined) img.description = String(desc);
  img.launchUsers ??= new Set();
  const x = imageExtra(extraOf(s), img.id);
  const put = (l: string[] | undefined, v: string) => (l?.includes(v) ? l : [...(l ?? []), v]);
  for (const p of add) {
    if (p.Group === "all" && !img.isPublic) {
      img.isPublic = true;
      // "By default, the deprecation date of all public AMIs is set to two years from the AMI creation date. You can
      // set the deprecation date to earlier than two years." (EC2 User Guide, Deprecate an AMI)
      const limit = publicDeprecationLimit(img.creationDate);
      if (!x.deprecationTime || x.deprecationTime.getTime() > limit.getTime()) x.deprecationTime = limit;
    }
    if (p.UserId) img.launchUsers.add(p.UserId);
    if (p.OrganizationArn) x.launchOrgs = put(x.launchOrgs, p.OrganizationArn);
    if (p.OrganizationalUnitArn) x.launchOus = put(x.launchOus, p.OrganizationalUnitArn);
  }
  for (const p of remove) {
    if (p.Group === "all") img.isPublic = false;
    if (p.UserId) img.launchUsers.delete(p.UserId);
    if (p.OrganizationArn) x.launchOrgs = x.launchOrgs?.filter((o) => o !== p.OrganizationArn);
    if (p.OrganizationalUnitArn) x.launchOus = x.launchOus?.filter((o) => o !== p.OrganizationalUnitArn);
  }
  return {};
}

/** The latest deprecation time of a public AMI: two years after its creation. */
export function publicDeprecationLimit(creationDate: string): Date {
  const d = new Date(creationDate);
  d.setUTCFullYear(d.getUTCFullYear() + 2);
  return d;
}

export function ResetImageAttribute(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const img = ownImage(s, required(input, "ImageId"));
  if (required(input, "Attribute") !== "launchPermission") throw Ec2Errors.invalidValue(`Value (${input.Attribute}) for parameter attribute is invalid.`);
  dryRun(input);
  img.isPublic = false;
  img.launchUsers = new Set();
  const x = extraOf(s).images.get(img.id);
  if (x) x.launchOrgs = x.launchOus = undefined;
  return {};
}

export async function CopyImage(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const sourceRegion = knownRegion(required(input, "SourceRegion"), "sourceRegion");
  const src = sourceRegion === s.region ? s : await ctx.stateOf<Ec2State>("ec2", sourceRegion);
  const from = ownImage(src, required(input, "SourceImageId"));
  const name = required(input, "Name");
  const dup = [...s.images.values()].find((i) => i.ownerId === s.accountId && i.name === name);
  if (dup) throw Ec2Errors.amiNameDuplicate(name, dup.id);
  dryRun(input);
  seedImages(s);
  const id = ec2Id("ami");
  const encrypted = input.Encrypted === true;
  const blockDevices = imageDevices(from).map((b) => {
    if (!b.snapshotId) return { ...b, encrypted: b.encrypted || encrypted };
    // The copy's snapshots use the KmsKeyId asked for; an encrypted snapshot copied in its Region keeps its key.
    const kmsKeyId = (input.KmsKeyId as string | undefined) ?? (src === s ? src.snapshots.get(b.snapshotId)?.kmsKeyId : undefined);
    const snap = copySnapshotRec(
      s,
      { volumeSize: b.size, encrypted: b.encrypted || encrypted, kmsKeyId },
      `Copied for DestinationAmi ${id} from SourceAmi ${from.id}`,
      ctx.now(),
    );
    return { ...b, snapshotId: snap.id, encrypted: b.encrypted || encrypted };
  });
  const img: ImageRec = {
    ...from,
    id,
    name,
    description: input.Description ?? from.description,
    ownerId: s.accountId,
    ownerAlias: undefined,
    isPublic: false,
    creationDate: wholeSecond(ctx.now()).toISOString(), // AWS shows whole seconds (".000Z")
    blockDevices,
    snapshotIds: blockDevices.map((b) => b.snapshotId).filter(Boolean),
    launchUsers: new Set(),
    tags: new Map(),
  };
  s.images.set(id, img);
  recordImageSource(s, id, from.id, sourceRegion);
  if (input.CopyImageTags === true) for (const [k, v] of from.tags) img.tags.set(k, v);
  applyTagSpec(s, input, "image", id, img);
  return { imageId: id };
}

export function RegisterImage(ctx: Ctx, input: Input) {
  const s = st(ctx);
  seedImages(s);
  const name = required(input, "Name");
  const dup = [...s.images.values()].find((i) => i.ownerId === s.accountId && i.name === name);
  if (dup) throw Ec2Errors.amiNameDuplicate(name, dup.id);
  const root = String(input.RootDeviceName ?? "/dev/xvda");
  const blockDevices: ImageDevice[] = [];
  for (const m of (input.BlockDeviceMappings ?? []) as Input[]) {
    if (!m.Ebs) continue;
    const snapId = m.Ebs.SnapshotId as string | undefined;
    const snap = snapId ? getSnapshot(s, snapId) : undefined;
    if (!snap && m.DeviceName === root) throw Ec2Errors.invalidValue(`The root device ${root} must have a snapshot.`);
    blockDevices.push({
      device: String(m.DeviceName),
      snapshotId: snap?.id ?? "",
      size: m.Ebs.VolumeSize ?? snap?.volumeSize ?? 8,
      type: m.Ebs.VolumeType ?? "gp2",
      deleteOnTermination: m.Ebs.DeleteOnTermination !== false,
      encrypted: snap?.encrypted ?? m.Ebs.Encrypted === true,
      ...provisioned(String(m.Ebs.VolumeType ?? "gp2"), m.Ebs.Iops as number | undefined, m.Ebs.Throughput as number | undefined),
    });
  }
  if (!blockDevices.some((b) => b.device === root)) throw Ec2Errors.invalidValue(`The root device ${root} is not in the block device mapping.`);
  const ephemeral = ephemeralOf((input.BlockDeviceMappings ?? []) as Input[], new Set());
  // VirtualizationType is hvm or paravirtual (RegisterImage reference; the model types it as a plain string).
  const virtualization = input.VirtualizationType as string | undefined;
  if (virtualization !== undefined && virtualization !== "hvm" && virtualization !== "paravirtual")
    throw Ec2Errors.invalidValue(`Value (${virtualization}) for parameter virtualizationType is invalid. Valid values are hvm and paravirtual.`);
  dryRun(input);
  const img: ImageRec = {
    id: ec2Id("ami"),
    name,
    virtualizationType: virtualization,
    description: String(input.Description ?? ""),
    ownerId: s.accountId,
    architecture: String(input.Architecture ?? "x86_64"),
    platformDetails: "Linux/UNIX",
    creationDate: wholeSecond(ctx.now()).toISOString(), // AWS shows whole seconds (".000Z")
    isPublic: false,
    rootDeviceName: root,
    state: "available",
    blockDevices,
    snapshotIds: blockDevices.map((b) => b.snapshotId).filter(Boolean),
    ephemeral: ephemeral.length ? ephemeral : undefined,
    tags: new Map(),
  };
  s.images.set(img.id, img);
  applyTagSpec(s, input, "image", img.id, img);
  return { imageId: img.id };
}
