/**
 * Recycle Bin restores: nothing can be restored from the (always empty) Recycle Bin. (Image and snapshot
 * import/export/store tasks and fast launch live in ../compute/.)
 */
import type { Ctx } from "../../core/types.js";
import { dryRun, required, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";

export function RestoreImageFromRecycleBin(_ctx: Ctx, input: Input) {
  const id = required(input, "ImageId");
  if (!/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) throw Ec2Errors.amiMalformed(id);
  dryRun(input);
  throw Ec2Errors.amiNotFound([id]);
}

export function RestoreSnapshotFromRecycleBin(_ctx: Ctx, input: Input) {
  const id = required(input, "SnapshotId");
  if (!/^snap-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) throw Ec2Errors.custom("InvalidSnapshotID.Malformed", `Invalid id: "${id}" (expecting "snap-...")`);
  dryRun(input);
  throw Ec2Errors.custom("InvalidSnapshot.NotFound", `The snapshot '${id}' does not exist in the Recycle Bin.`);
}

export function RestoreVolumeFromRecycleBin(_ctx: Ctx, input: Input) {
  const id = required(input, "VolumeId");
  if (!/^vol-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) throw Ec2Errors.custom("InvalidVolumeID.Malformed", `Invalid id: "${id}" (expecting "vol-...")`);
  dryRun(input);
  throw Ec2Errors.custom("InvalidVolume.NotFound", `The volume '${id}' does not exist in the Recycle Bin.`);
}
