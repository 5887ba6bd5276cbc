/**
 * Account-level EC2 settings of a region: EC2 serial console access, block public access for AMIs and for
 * EBS snapshots, and the instance metadata defaults. Stored and reported; they do not yet change how
 * images and snapshots are shared or how new instances are configured.
 */
import type { Ctx } from "../../core/types.js";
import { dryRun, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { type AccountSettings, both } from "./state.js";

function settings(ctx: Ctx): AccountSettings {
  const { m } = both(ctx);
  m.settings ??= { serialConsole: false, imageBlockPublicAccess: "unblocked", snapshotBlockPublicAccess: "unblocked", metadataDefaults: {} };
  return m.settings;
}

export function GetSerialConsoleAccessStatus(ctx: Ctx, input: Input) {
  dryRun(input);
  return { SerialConsoleAccessEnabled: settings(ctx).serialConsole, ManagedBy: "account" };
}

function serial(ctx: Ctx, input: Input, on: boolean) {
  const s = settings(ctx);
  dryRun(input);
  s.serialConsole = on;
  return { SerialConsoleAccessEnabled: on };
}

export const EnableSerialConsoleAccess = (ctx: Ctx, input: Input) => serial(ctx, input, true);
export const DisableSerialConsoleAccess = (ctx: Ctx, input: Input) => serial(ctx, input, false);

export function GetImageBlockPublicAccessState(ctx: Ctx, input: Input) {
  dryRun(input);
  return { ImageBlockPublicAccessState: settings(ctx).imageBlockPublicAccess, ManagedBy: "account" };
}

export function EnableImageBlockPublicAccess(ctx: Ctx, input: Input) {
  const s = settings(ctx);
  dryRun(input);
  s.imageBlockPublicAccess = String(input.ImageBlockPublicAccessState);
  return { ImageBlockPublicAccessState: s.imageBlockPublicAccess };
}

export function DisableImageBlockPublicAccess(ctx: Ctx, input: Input) {
  const s = settings(ctx);
  dryRun(input);
  s.imageBlockPublicAccess = "unblocked";
  return { ImageBlockPublicAccessState: "unblocked" };
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

export function GetInstanceMetadataDefaults(ctx: Ctx, input: Input) {
  dryRun(input);
  const d = settings(ctx).metadataDefaults;
  return { AccountLevel: { ...d, ManagedBy: "account" } };
}

/** "no-preference" (or -1 for the hop limit) clears a default. */
export function ModifyInstanceMetadataDefaults(ctx: Ctx, input: Input) {
  const s = settings(ctx);
  const hop = input.HttpPutResponseHopLimit;
  if (hop !== undefined && hop !== -1 && (hop < 1 || hop > 64))
    throw Ec2Errors.invalidValue(`Value (${hop}) for parameter HttpPutResponseHopLimit is invalid. Expected a value between 1 and 64, or -1.`);
  const keys = ["HttpTokens", "HttpEndpoint", "InstanceMetadataTags", "HttpTokensEnforced"] as const;
  if (hop === undefined && keys.every((k) => input[k] === undefined))
    throw Ec2Errors.missing("HttpTokens, HttpPutResponseHopLimit, HttpEndpoint or InstanceMetadataTags");
  dryRun(input);
  const d = s.metadataDefaults;
  for (const k of keys) {
    if (input[k] === undefined) continue;
    if (input[k] === "no-preference") delete d[k];
    else d[k] = String(input[k]);
  }
  if (hop === -1) delete d.HttpPutResponseHopLimit;
  else if (hop !== undefined) d.HttpPutResponseHopLimit = hop;
  return { Return: true };
}
