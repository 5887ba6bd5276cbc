/**
 * Block public access for EBS snapshots, an account setting of each region: stored and reported (it does
 * not yet stop snapshots from being shared publicly). Serial console, AMI block public access and the
 * instance metadata defaults are in ../extra.
 */
import type { Ctx } from "../../core/types.js";
import { dryRun, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { type AccountSettings, both } from "./state.js";

function settings(ctx: Ctx): AccountSettings {
  const { m } = both(ctx);
  m.settings ??= { snapshotBlockPublicAccess: "unblocked" };
  return m.settings;
}

export function GetSnapshotBlockPublicAccessState(ctx: Ctx, input: Input) {
  dryRun(input);
  return { State: settings(ctx).snapshotBlockPublicAccess, ManagedBy: "account" };
}

export function EnableSnapshotBlockPublicAccess(ctx: Ctx, input: Input) {
  const s = settings(ctx);
  if (input.State === "unblocked") throw Ec2Errors.invalidValue("Value (unblocked) for parameter State is invalid. Use DisableSnapshotBlockPublicAccess.");
  dryRun(input);
  s.snapshotBlockPublicAccess = String(input.State);
  return { State: s.snapshotBlockPublicAccess };
}

export function DisableSnapshotBlockPublicAccess(ctx: Ctx, input: Input) {
  const s = settings(ctx);
  dryRun(input);
  s.snapshotBlockPublicAccess = "unblocked";
  return { State: "unblocked" };
}
