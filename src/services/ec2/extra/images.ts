/**
 * AMI settings beyond the images module: deprecation, deregistration protection (with AWS's 24-hour
 * cooldown), DisableImage/EnableImage, image block public access, CancelImageLaunchPermission, and the
 * Recycle Bin listings (empty: no retention rules can exist without the Recycle Bin service).
 * DescribeImages, DescribeImageAttribute, ModifyImageAttribute and DeregisterImage of the images module
 * are wrapped to show and enforce what is kept here.
 */
import type { Ctx } from "../../core/types.js";
import { dryRun, int, list, required, select, st, tagsOf, zonesOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import * as base from "../images.js";
import {
  DeregisterImage as baseDeregisterImage,
  DescribeImages as baseDescribeImages,
  lookupImage,
  ownerState,
  publicDeprecationLimit,
  seedImages,
} from "../images.js";
import { stateOf } from "../instances.js";
import type { Ec2State, ImageRec } from "../state.js";
import { computeOf } from "../compute/state.js";
import { type AllowedImageCriterion, extraOf, imageExtra, xst } from "./state.js";

const AMI_RE = /^ami-[0-9a-f]{8}([0-9a-f]{9})?$/;
const COOLDOWN_MS = 24 * 60 * 60 * 1000;

/** An image visible to the caller (any state but deregistered), AWS's errors otherwise. */
function image(s: Ec2State, id: string, o: { owner?: boolean; any?: boolean } = {}): ImageRec {
  if (!AMI_RE.test(id)) throw Ec2Errors.amiMalformed(id);
  const img = lookupImage(s, id);
  if (!img || (!o.any && img.state !== "available")) throw Ec2Errors.amiNotFound([id]);
  if (o.owner && img.ownerId !== s.accountId) throw Ec2Errors.custom("AuthFailure", `Not authorized for image:${id}`);
  return img;
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, ".000Z");

function protectionView(s: Ec2State, id: string, now: Date): string {
  const e = extraOf(s).images.get(id);
  if (e?.protection) return e.protection;
  if (e?.protectedUntil && e.protectedUntil > now) return `disabled-until ${iso(e.protectedUntil)}`;
  return "disabled";
}

/** The last launch time of each image the account's instances were launched from (one pass over the instances). */
function lastLaunches(s: Ec2State): Map<string, Date> {
  const last = new Map<string, Date>();
  for (const i of s.instances.values()) {
    const t = last.get(i.imageId);
    if (!t || i.launchTime > t) last.set(i.imageId, i.launchTime);
  }
  return last;
}

// ---------------------------------------------------------------- wrappers of the images module

/** DescribeImages with deprecation, deregistration protection, last launch and copy source added. */
export async function DescribeImages(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const x = extraOf(s);
  const out = (await baseDescribeImages(ctx, input)) as { imagesSet: Array<Record<string, unknown>>; nextToken?: string };
  const now = ctx.now();
  if (input.IncludeDisabled !== true) out.imagesSet = out.imagesSet.filter((v) => v.imageState !== "disabled");
  // Allowed AMIs `enabled`: "only AMIs matching these criteria are discoverable" (the account's own always are).
  if (x.allowedImages.state === "enabled")
    out.imagesSet = out.imagesSet.filter((v) => {
      const img = lookupImage(s, String(v.imageId));
      return !img || imageAllowed(s, img, now) !== false;
    });
  const launches = lastLaunches(s);
  for (const v of out.imagesSet) {
    const id = String(v.imageId);
    const img = lookupImage(s, id);
    // An image another account shares carries that account's deprecation time.
    const owner = img && img.ownerId !== s.accountId ? ownerState(s, img) : undefined;
    const e = (owner ? extraOf(owner) : x).images.get(id);
    if (e?.deprecationTime) v.deprecationTime = iso(e.deprecationTime);
    v.deregistrationProtection = protectionView(s, id, now);
    const last = launches.get(id);
    if (last) v.lastLaunchedTime = iso(last);
    const allowed = img ? imageAllowed(s, img, now) : undefined;
    if (allowed !== undefined) v.imageAllowed = allowed;
  }
  return out;
}

/** DeregisterImage refuses a protected image (or one in its cooldown). */
export function DeregisterImage(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const id = required(input, "ImageId");
  const e = extraOf(s).images.get(id);
  const img = s.images.get(id);
  if (img && img.ownerId === s.accountId && e && (e.protection || (e.protectedUntil && e.protectedUntil > ctx.now())))
    throw Ec2Errors.custom("InvalidParameterValue", `The AMI ${id} can't be deregistered because deregistration protection is enabled for the AMI.`);
  const out = baseDeregisterImage(ctx, input);
  // Forget the image's extras, but remember that it was deregistered (DescribeImages by id answers nothing for it).
  extraOf(s).images.set(id, { deregistered: true });
  return out;
}

// ---------------------------------------------------------------- wrapped attribute operations

type Op = (ctx: Ctx, input: Input) => unknown;
const baseOp = (name: string) => (base as unknown as Record<string, Op | undefined>)[name];

/** DescribeImageAttribute with the real deregistration protection and last launch time. */
export async function DescribeImageAttribute(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const out = (await baseOp("DescribeImageAttribute")!(ctx, input)) as Record<string, unknown>;
  const id = String(input.ImageId);
  if (input.Attribute === "deregistrationProtection") out.deregistrationProtection = { value: protectionView(s, id, ctx.now()) };
  if (input.Attribute === "lastLaunchedTime") {
    const last = lastLaunches(s).get(id);
    out.lastLaunchedTime = last ? { value: iso(last) } : {};
  }
  return out;
}

/** ModifyImageAttribute refuses public sharing under image block public access. */
export function ModifyImageAttribute(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const groups = [...((input.LaunchPermission?.Add ?? []) as Array<{ Group?: string }>).map((p) => p.Group)];
  if (input.OperationType !== "remove") groups.push(...list(input.UserGroups));
  const img = s.images.get(String(input.ImageId));
  if (img && img.ownerId === s.accountId && groups.includes("all") && extraOf(s).imageBpa === "block-new-sharing")
    throw Ec2Errors.custom(
      "OperationNotPermitted",
      "You can’t publicly share this image because block public access for AMIs is enabled for this account. To publicly share the image, you must call the DisableImageBlockPublicAccess API.",
    );
  // ImdsSupport: "v2.0" marks the AMI as IMDSv2-only, and cannot be undone (Packer's imds_support sets it alone).
  const imds = (input.ImdsSupport as { Value?: string } | undefined)?.Value;
  if (imds === undefined) return baseOp("ModifyImageAttribute")!(ctx, input);
  if (imds !== "v2.0") throw Ec2Errors.invalidValue(`Value (${imds}) for parameter imdsSupport is invalid.`);
  const { ImdsSupport: _imds, ...rest } = input;
  const others = Object.keys(rest).some((k) => !["ImageId", "DryRun"].includes(k));
  if (!others) {
    const own = s.images.get(String(input.ImageId));
    if (!own) return baseOp("ModifyImageAttribute")!(ctx, rest); // AWS's errors for an unknown or foreign AMI
    if (own.ownerId !== s.accountId) throw Ec2Errors.custom("AuthFailure", `Not authorized for image:${own.id}`);
    dryRun(input);
  }
  const out = others ? baseOp("ModifyImageAttribute")!(ctx, rest) : {};
  const fw = computeOf(s).imageFirmware.get(String(input.ImageId));
  if (fw) fw.imdsSupport = "v2.0";
  return out;
}

/** Removes the caller's account from the launch permissions of an image another account shared with it. */
export function CancelImageLaunchPermission(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const id = required(input, "ImageId");
  if (!AMI_RE.test(id)) throw Ec2Errors.amiMalformed(id);
  dryRun(input);
  for (const other of ctx.sim.statesOf<Ec2State>("ec2")) {
    if (other.region !== s.region || other.accountId === s.accountId) continue;
    const users = (other.images.get(id) as { launchUsers?: Set<string> } | undefined)?.launchUsers;
    if (users?.has(s.accountId)) {
      users.delete(s.accountId);
      return { return: true };
    }
  }
  throw Ec2Errors.amiNotFound([id]);
}

// ---------------------------------------------------------------- deprecation, protection, disable

export function EnableImageDeprecation(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const id = required(input, "ImageId");
  const img = image(s, id, { owner: true, any: true });
  const at = input.DeprecateAt as Date;
  const now = ctx.now();
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw Ec2Errors.missing("DeprecateAt");
  if (at.getTime() <= now.getTime()) throw Ec2Errors.invalidValue("The deprecation time must be in the future.");
  if (at.getTime() > now.getTime() + 10 * 365.25 * 24 * 3600 * 1000) throw Ec2Errors.invalidValue("The deprecation time can't be more than 10 years from now.");
  // "The upper limit for DeprecateAt is 10 years from now, except for public AMIs, where the upper limit is 2 years
  // from the creation date." (EnableImageDeprecation API reference)
  if (img.isPublic && at.getTime() > publicDeprecationLimit(img.creationDate).getTime())
    throw Ec2Errors.invalidValue("The deprecation time of a public AMI can't be more than 2 years from its creation date.");
  dryRun(input);
  // AWS rounds the seconds to the nearest minute.
  imageExtra(extraOf(s), id).deprecationTime = new Date(Math.round(at.getTime() / 60000) * 60000);
  return { return: true };
}

export function DisableImageDeprecation(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const id = required(input, "ImageId");
  image(s, id, { owner: true, any: true });
  dryRun(input);
  const e = extraOf(s).images.get(id);
  if (e) e.deprecationTime = undefined;
  return { return: true };
}

export function EnableImageDeregistrationProtection(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const id = required(input, "ImageId");
  image(s, id, { owner: true, any: true });
  dryRun(input);
  const e = imageExtra(extraOf(s), id);
  e.protection = input.WithCooldown === true ? "enabled-with-cooldown" : "enabled-without-cooldown";
  e.protectedUntil = undefined;
  return { return: "true" };
}

export function DisableImageDeregistrationProtection(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const id = required(input, "ImageId");
  image(s, id, { owner: true, any: true });
  dryRun(input);
  const e = imageExtra(extraOf(s), id);
  if (e.protection === "enabled-with-cooldown") e.protectedUntil = new Date(ctx.now().getTime() + COOLDOWN_MS);
  e.protection = undefined;
  return { return: "true" };
}

export function DisableImage(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const id = required(input, "ImageId");
  const img = image(s, id, { owner: true, any: true });
  dryRun(input);
  const e = imageExtra(extraOf(s), id);
  e.disabled = true;
  img.state = "disabled";
  img.isPublic = false;
  (img as { launchUsers?: Set<string> }).launchUsers?.clear();
  return { return: true };
}

export function EnableImage(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const id = required(input, "ImageId");
  const img = image(s, id, { owner: true, any: true });
  dryRun(input);
  const e = imageExtra(extraOf(s), id);
  e.disabled = false;
  if (img.state === "disabled") img.state = "available";
  return { return: true };
}

// ---------------------------------------------------------------- image block public access

export function EnableImageBlockPublicAccess(ctx: Ctx, input: Input) {
  dryRun(input);
  xst(ctx).imageBpa = "block-new-sharing";
  return { imageBlockPublicAccessState: "block-new-sharing" };
}

export function DisableImageBlockPublicAccess(ctx: Ctx, input: Input) {
  dryRun(input);
  xst(ctx).imageBpa = "unblocked";
  return { imageBlockPublicAccessState: "unblocked" };
}

export function GetImageBlockPublicAccessState(ctx: Ctx, input: Input) {
  dryRun(input);
  return { imageBlockPublicAccessState: xst(ctx).imageBpa, managedBy: "account" };
}

// ---------------------------------------------------------------- Recycle Bin

/** Recycle Bin holds resources only under a retention rule (the Recycle Bin service, not simulated): always empty. */
function recycleBin(input: Input, key: string) {
  dryRun(input);
  const max = int(input.MaxResults, "MaxResults");
  if (max !== undefined && (max < 1 || max > 1000))
    throw Ec2Errors.invalidValue(`Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between 1 and 1000.`);
  if (input.NextToken) throw Ec2Errors.invalidToken(input.NextToken);
  return { [key]: [] };
}

export const ListImagesInRecycleBin = (_ctx: Ctx, input: Input) => recycleBin(input, "imageSet");
export const ListSnapshotsInRecycleBin = (_ctx: Ctx, input: Input) => recycleBin(input, "snapshotSet");
export const ListVolumesInRecycleBin = (_ctx: Ctx, input: Input) => recycleBin(input, "volumeSet");

// ---------------------------------------------------------------- Allowed AMIs

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether an image meets the account's Allowed AMIs criteria or is the account's own (undefined while the setting is disabled). */
export function imageAllowed(s: Ec2State, img: ImageRec, now: Date): boolean | undefined {
  const a = extraOf(s).allowedImages;
  if (a.state === "disabled") return undefined;
  // The account's own AMIs are never restricted by Allowed AMIs.
  if (img.ownerId === s.accountId) return true;
  const e = extraOf(s).images.get(img.id);
  const wild = (p: string) =>
    new RegExp(
      `^${p
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".")}$`,
    );
  return a.criteria.some((c) => {
    if (c.ImageProviders?.length) {
      const ok = c.ImageProviders.some((p) => (p === "amazon" ? img.ownerAlias === "amazon" : p === img.ownerId));
      if (!ok) return false;
    }
    if (c.ImageNames?.length && !c.ImageNames.some((n) => wild(n).test(img.name))) return false;
    if (c.MarketplaceProductCodes?.length) return false;
    const maxCreated = c.CreationDateCondition?.MaximumDaysSinceCreated;
    if (maxCreated !== undefined && now.getTime() - Date.parse(img.creationDate) > maxCreated * DAY_MS) return false;
    const maxDep = c.DeprecationTimeCondition?.MaximumDaysSinceDeprecated;
    if (maxDep !== undefined && e?.deprecationTime && now.getTime() - e.deprecationTime.getTime() > maxDep * DAY_MS) return false;
    return true;
  });
}

export function GetAllowedImagesSettings(ctx: Ctx, input: Input) {
  dryRun(input);
  const a = xst(ctx).allowedImages;
  return { state: a.state, imageCriterionSet: a.criteria, managedBy: "account" };
}

export function EnableAllowedImagesSettings(ctx: Ctx, input: Input) {
  const state = required(input, "AllowedImagesSettingsState");
  dryRun(input);
  xst(ctx).allowedImages.state = state;
  return { allowedImagesSettingsState: state };
}

export function DisableAllowedImagesSettings(ctx: Ctx, input: Input) {
  dryRun(input);
  xst(ctx).allowedImages.state = "disabled";
  return { allowedImagesSettingsState: "disabled" };
}

export function ReplaceImageCriteriaInAllowedImagesSettings(ctx: Ctx, input: Input) {
  const criteria = (input.ImageCriteria ?? []) as AllowedImageCriterion[];
  if (criteria.length > 10) throw Ec2Errors.invalidValue("You can specify up to 10 image criteria.");
  for (const c of criteria) {
    for (const p of c.ImageProviders ?? [])
      if (!["amazon", "aws-marketplace", "aws-backup-vault", "none"].includes(p) && !/^\d{12}$/.test(p))
        throw Ec2Errors.invalidValue(`Invalid image provider '${p}'. Valid values are amazon, aws-marketplace, aws-backup-vault, none, or an AWS account ID.`);
    if ((c.ImageProviders?.length ?? 0) > 200) throw Ec2Errors.invalidValue("You can specify up to 200 image providers per criterion.");
    if ((c.ImageNames?.length ?? 0) > 50) throw Ec2Errors.invalidValue("You can specify up to 50 image names per criterion.");
  }
  dryRun(input);
  xst(ctx).allowedImages.criteria = criteria.map((c) => ({
    ImageProviders: c.ImageProviders,
    MarketplaceProductCodes: c.MarketplaceProductCodes,
    ImageNames: c.ImageNames,
    DeprecationTimeCondition: c.DeprecationTimeCondition,
    CreationDateCondition: c.CreationDateCondition,
  }));
  return { ReturnValue: true };
}

// ---------------------------------------------------------------- DescribeInstanceImageMetadata

const STATE_CODES: Record<string, number> = { pending: 0, running: 16, "shutting-down": 32, terminated: 48, stopping: 64, stopped: 80 };

export function DescribeInstanceImageMetadata(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  seedImages(s);
  const delay = ctx.config.transitionDelayMs;
  const now = ctx.now();
  const ids = list(input.InstanceIds);
  for (const id of ids) {
    const i = s.instances.get(id);
    if (!i || stateOf(i, delay) === "terminated") throw Ec2Errors.notFound("Instance", "instance", [id]);
  }
  const items = ids.length ? ids.map((id) => s.instances.get(id)!) : [...s.instances.values()].filter((i) => stateOf(i, delay) !== "terminated");
  const zones = zonesOf(s.region);
  const r = select(
    items,
    input,
    {
      "availability-zone": (i) => i.az,
      "instance-id": (i) => i.id,
      "instance-state-name": (i) => stateOf(i, delay),
      "instance-type": (i) => i.instanceType,
      "launch-time": (i) => i.launchTime.toISOString(),
      "owner-id": () => s.accountId,
      "zone-id": (i) => zones.find((z) => z.name === i.az)?.id,
      "image-metadata.image-allowed": (i) => {
        const img = s.images.get(i.imageId);
        const a = img ? imageAllowed(s, img, now) : undefined;
        return a === undefined ? undefined : String(a);
      },
      "image-allowed": (i) => {
        const img = s.images.get(i.imageId);
        const a = img ? imageAllowed(s, img, now) : undefined;
        return a === undefined ? undefined : String(a);
      },
      "owner-alias": (i) => s.images.get(i.imageId)?.ownerAlias,
    },
    (i) => String(i.seq).padStart(12, "0"),
    { paginate: true, min: 1, max: 1000 },
  );
  return {
    instanceImageMetadataSet: r.items.map((i) => {
      const state = stateOf(i, delay);
      const img = s.images.get(i.imageId);
      const e = extraOf(s).images.get(i.imageId);
      return {
        InstanceId: i.id,
        InstanceType: i.instanceType,
        LaunchTime: i.launchTime,
        AvailabilityZone: i.az,
        ZoneId: zones.find((z) => z.name === i.az)?.id,
        State: { Code: STATE_CODES[state], Name: state },
        OwnerId: s.accountId,
        Tags: tagsOf(i),
        ImageMetadata: img
          ? {
              ImageId: img.id,
              Name: img.name,
              OwnerId: img.ownerId,
              State: img.state,
              ImageOwnerAlias: img.ownerAlias,
              CreationDate: img.creationDate,
              DeprecationTime: e?.deprecationTime ? iso(e.deprecationTime) : undefined,
              ImageAllowed: imageAllowed(s, img, now),
              IsPublic: img.isPublic,
            }
          : { ImageId: i.imageId },
        Operator: { Managed: false },
      };
    }),
    nextToken: r.nextToken,
  };
}
