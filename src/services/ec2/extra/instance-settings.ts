/**
 * Instance-level and account-level instance settings: instance metadata defaults, CPU options,
 * maintenance options, capacity reservation preferences, default credit specifications, instance
 * event windows and event notification tags, EC2 serial console access, and GetPasswordData (a real
 * RSA-encrypted Windows password for instances launched with an RSA key pair).
 */
import { constants, createPublicKey, publicEncrypt, randomBytes } from "node:crypto";
import type { Ctx } from "../../core/types.js";
import { hex } from "../../core/ids.js";
import { applyTagSpec, dropTags, dryRun, list, required, select, st, tagsOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { GetDefaultCreditSpecification as baseGetDefaultCreditSpecification } from "../instance-options.js";
import { stateOf } from "../instances.js";
import type { Ec2State, InstanceRec } from "../state.js";
import { type EventWindowRec, extraOf, instanceExtra, xst } from "./state.js";

export function liveInstance(ctx: Ctx, s: Ec2State, id: string): InstanceRec {
  if (!/^i-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) throw Ec2Errors.malformed("Instance", id);
  const i = s.instances.get(id);
  if (!i || stateOf(i, ctx.config.transitionDelayMs) === "terminated") throw Ec2Errors.notFound("Instance", "instance", [id]);
  return i;
}

function mustBeStopped(ctx: Ctx, i: InstanceRec, what: string) {
  if (stateOf(i, ctx.config.transitionDelayMs) !== "stopped")
    throw Ec2Errors.custom("IncorrectInstanceState", `The instance '${i.id}' is not in the 'stopped' state. ${what}`);
}

// ---------------------------------------------------------------- instance metadata defaults

export function GetInstanceMetadataDefaults(ctx: Ctx, input: Input) {
  dryRun(input);
  const d = xst(ctx).metadataDefaults;
  return { accountLevel: { ...d, ManagedBy: "account" } };
}

export function ModifyInstanceMetadataDefaults(ctx: Ctx, input: Input) {
  const hop = input.HttpPutResponseHopLimit as number | undefined;
  if (hop !== undefined && hop !== -1 && (hop < 1 || hop > 64))
    throw Ec2Errors.invalidValue(`The HttpPutResponseHopLimit value (${hop}) is invalid. Specify a value between 1 and 64, or -1 for no preference.`);
  if (
    input.HttpTokens === undefined &&
    hop === undefined &&
    input.HttpEndpoint === undefined &&
    input.InstanceMetadataTags === undefined &&
    input.HttpTokensEnforced === undefined
  )
    throw Ec2Errors.missing("HttpTokens");
  dryRun(input);
  const d = xst(ctx).metadataDefaults as Record<string, string | number | undefined>;
  for (const k of ["HttpTokens", "HttpEndpoint", "InstanceMetadataTags", "HttpTokensEnforced"]) {
    if (input[k] === undefined) continue;
    d[k] = input[k] === "no-preference" ? undefined : input[k];
  }
  if (hop !== undefined) d.HttpPutResponseHopLimit = hop === -1 ? undefined : hop;
  return { return: true };
}

// ---------------------------------------------------------------- per-instance options

export function ModifyInstanceCpuOptions(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const i = liveInstance(ctx, s, required(input, "InstanceId"));
  mustBeStopped(ctx, i, "Stop the instance before you modify its CPU options.");
  const core = input.CoreCount as number | undefined;
  const threads = input.ThreadsPerCore as number | undefined;
  if (threads !== undefined && threads !== 1 && threads !== 2)
    throw Ec2Errors.invalidValue(`Invalid value '${threads}' for ThreadsPerCore. Valid values are 1 and 2.`);
  if (core !== undefined && core < 1) throw Ec2Errors.invalidValue(`Invalid value '${core}' for CoreCount.`);
  dryRun(input);
  const e = instanceExtra(extraOf(s), i.id);
  if (core !== undefined) e.coreCount = core;
  if (threads !== undefined) e.threadsPerCore = threads;
  if (input.NestedVirtualization !== undefined) e.nestedVirtualization = input.NestedVirtualization;
  return { instanceId: i.id, coreCount: e.coreCount, threadsPerCore: e.threadsPerCore, nestedVirtualization: e.nestedVirtualization };
}

export function ModifyInstanceMaintenanceOptions(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const i = liveInstance(ctx, s, required(input, "InstanceId"));
  if (input.AutoRecovery === undefined && input.RebootMigration === undefined) throw Ec2Errors.missing("AutoRecovery");
  dryRun(input);
  const e = instanceExtra(extraOf(s), i.id);
  if (input.AutoRecovery !== undefined) e.autoRecovery = input.AutoRecovery;
  if (input.RebootMigration !== undefined) e.rebootMigration = input.RebootMigration;
  return { instanceId: i.id, autoRecovery: e.autoRecovery ?? "default", rebootMigration: e.rebootMigration ?? "default" };
}

export function ModifyInstanceCapacityReservationAttributes(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const i = liveInstance(ctx, s, required(input, "InstanceId"));
  const spec = input.CapacityReservationSpecification as Input | undefined;
  if (!spec) throw Ec2Errors.missing("CapacityReservationSpecification");
  if (spec.CapacityReservationPreference !== undefined && spec.CapacityReservationTarget !== undefined)
    throw Ec2Errors.invalidCombination("You can specify either CapacityReservationPreference or CapacityReservationTarget, but not both.");
  if (!spec.CapacityReservationPreference && !spec.CapacityReservationTarget) throw Ec2Errors.missing("CapacityReservationPreference");
  mustBeStopped(ctx, i, "Stop the instance before you modify its Capacity Reservation settings.");
  dryRun(input);
  instanceExtra(extraOf(s), i.id).capacityReservation = spec.CapacityReservationTarget
    ? { target: spec.CapacityReservationTarget }
    : { preference: spec.CapacityReservationPreference };
  return { return: true };
}

// ---------------------------------------------------------------- default credit specification

const DEFAULT_CREDITS: Record<string, string> = { t2: "standard", t3: "unlimited", t3a: "unlimited", t4g: "unlimited" };

export function ModifyDefaultCreditSpecification(ctx: Ctx, input: Input) {
  const family = required(input, "InstanceFamily");
  const credits = required(input, "CpuCredits");
  if (credits !== "standard" && credits !== "unlimited") throw Ec2Errors.invalidValue(`Invalid value '${credits}' for CpuCredits.`);
  dryRun(input);
  xst(ctx).defaultCredits.set(family, credits);
  return { instanceFamilyCreditSpecification: { instanceFamily: family, cpuCredits: credits } };
}

export function GetDefaultCreditSpecification(ctx: Ctx, input: Input) {
  const out = baseGetDefaultCreditSpecification(ctx, input) as { instanceFamilyCreditSpecification: { instanceFamily: string; cpuCredits: string } };
  const family = String(input.InstanceFamily);
  const set = xst(ctx).defaultCredits.get(family);
  out.instanceFamilyCreditSpecification.cpuCredits = set ?? DEFAULT_CREDITS[family] ?? out.instanceFamilyCreditSpecification.cpuCredits;
  return out;
}

// ---------------------------------------------------------------- instance event windows

const DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MAX_WINDOWS = 200;

function windowView(w: EventWindowRec) {
  return {
    InstanceEventWindowId: w.id,
    Name: w.name,
    TimeRanges: w.timeRanges.length ? w.timeRanges : undefined,
    CronExpression: w.cron,
    AssociationTarget: { InstanceIds: [...w.instanceIds], Tags: w.instanceTags, DedicatedHostIds: [...w.dedicatedHostIds] },
    State: w.state,
    Tags: tagsOf(w),
  };
}

function checkSchedule(input: Input) {
  const ranges = (input.TimeRanges ?? []) as EventWindowRec["timeRanges"];
  if (ranges.length && input.CronExpression !== undefined)
    throw Ec2Errors.invalidCombination("You can specify either TimeRanges or CronExpression, but not both.");
  let total = 0;
  for (const r of ranges) {
    for (const h of [r.StartHour, r.EndHour])
      if (h === undefined || h < 0 || h > 23) throw Ec2Errors.invalidValue(`Invalid hour '${h}'. Specify an hour from 0 to 23.`);
    if (!r.StartWeekDay || !r.EndWeekDay) throw Ec2Errors.missing("StartWeekDay");
    const start = DAYS.indexOf(r.StartWeekDay) * 24 + r.StartHour;
    let end = DAYS.indexOf(r.EndWeekDay) * 24 + r.EndHour;
    if (end <= start) end += 7 * 24;
    total += end - start;
  }
  if (ranges.length && total < 4) throw Ec2Errors.invalidValue("The event window must be at least 4 hours long.");
  if (input.CronExpression !== undefined) {
    const parts = String(input.CronExpression).trim().split(/\s+/);
    if (parts.length !== 5 || parts[2] !== "*" || parts[3] !== "*") throw Ec2Errors.invalidValue(`The cron expression '${input.CronExpression}' is not valid.`);
  }
  return ranges.map((r) => ({ StartWeekDay: r.StartWeekDay, StartHour: r.StartHour, EndWeekDay: r.EndWeekDay, EndHour: r.EndHour }));
}

function getWindow(ctx: Ctx, id: string): EventWindowRec {
  const w = xst(ctx).eventWindows.get(id);
  if (!w) throw Ec2Errors.custom("InvalidInstanceEventWindowID.NotFound", `The instance event window ID '${id}' does not exist`);
  return w;
}

export function CreateInstanceEventWindow(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const x = extraOf(s);
  const timeRanges = checkSchedule(input);
  if (x.eventWindows.size >= MAX_WINDOWS)
    throw Ec2Errors.custom("InstanceEventWindowLimitExceeded", `You've reached the limit of ${MAX_WINDOWS} event windows in this Region.`);
  dryRun(input);
  const w: EventWindowRec = {
    id: `iew-${hex(17)}`,
    name: input.Name,
    timeRanges,
    cron: input.CronExpression,
    instanceIds: new Set(),
    instanceTags: [],
    dedicatedHostIds: new Set(),
    state: "active",
    tags: new Map(),
  };
  x.eventWindows.set(w.id, w);
  applyTagSpec(s, input, "instance-event-window", w.id, w);
  return { instanceEventWindow: windowView(w) };
}

export function ModifyInstanceEventWindow(ctx: Ctx, input: Input) {
  const w = getWindow(ctx, required(input, "InstanceEventWindowId"));
  const timeRanges = checkSchedule(input);
  dryRun(input);
  if (input.Name !== undefined) w.name = input.Name;
  if (timeRanges.length) {
    w.timeRanges = timeRanges;
    w.cron = undefined;
  }
  if (input.CronExpression !== undefined) {
    w.cron = input.CronExpression;
    w.timeRanges = [];
  }
  return { instanceEventWindow: windowView(w) };
}

export function DeleteInstanceEventWindow(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const w = getWindow(ctx, required(input, "InstanceEventWindowId"));
  if (input.ForceDelete !== true && (w.instanceIds.size || w.instanceTags.length || w.dedicatedHostIds.size))
    throw Ec2Errors.custom(
      "InvalidInstanceEventWindow.InUse",
      `The instance event window '${w.id}' has associated targets. Disassociate them first or use ForceDelete.`,
    );
  dryRun(input);
  dropTags(s, w.id, w);
  extraOf(s).eventWindows.delete(w.id);
  return { instanceEventWindowState: { instanceEventWindowId: w.id, state: "deleting" } };
}

export function DescribeInstanceEventWindows(ctx: Ctx, input: Input) {
  dryRun(input);
  const x = xst(ctx);
  const ids = list(input.InstanceEventWindowIds);
  // "You cannot specify this parameter and the event window IDs parameter in the same call."
  if (ids.length && input.MaxResults !== undefined)
    throw Ec2Errors.invalidCombination("The parameter InstanceEventWindowIds cannot be used with the parameter MaxResults");
  for (const id of ids) getWindow(ctx, id);
  const items = ids.length ? ids.map((id) => x.eventWindows.get(id)!) : [...x.eventWindows.values()];
  const r = select(
    items,
    input,
    {
      "instance-event-window-id": (w) => w.id,
      name: (w) => w.name,
      state: (w) => w.state,
      "cron-expression": (w) => w.cron,
      "instance-id": (w) => [...w.instanceIds],
      "dedicated-host-id": (w) => [...w.dedicatedHostIds],
      "event-window-name": (w) => w.name,
      // The tags of the association target, as key=value (the API reference does not give the value's form).
      "instance-tag": (w) => w.instanceTags.map((t) => `${t.Key}=${t.Value}`),
      "instance-tag-key": (w) => w.instanceTags.map((t) => t.Key),
      "instance-tag-value": (w) => w.instanceTags.map((t) => t.Value),
    },
    (w) => w.id,
    { paginate: true, min: 20, max: 500 },
  );
  return { instanceEventWindowSet: r.items.map(windowView), nextToken: r.nextToken };
}

function target(input: Input) {
  const t = input.AssociationTarget as Input | undefined;
  if (!t) throw Ec2Errors.missing("AssociationTarget");
  const ids = list(t.InstanceIds);
  const tags = ((t.InstanceTags ?? []) as Array<{ Key?: string; Value?: string }>).map((x) => ({ Key: String(x.Key ?? ""), Value: String(x.Value ?? "") }));
  const hosts = list(t.DedicatedHostIds);
  if ([ids.length, tags.length, hosts.length].filter(Boolean).length !== 1)
    throw Ec2Errors.invalidCombination("Specify exactly one association target type: instance IDs, instance tags or Dedicated Host IDs.");
  return { ids, tags, hosts };
}

export function AssociateInstanceEventWindow(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const x = extraOf(s);
  const w = getWindow(ctx, required(input, "InstanceEventWindowId"));
  const t = target(input);
  for (const id of t.ids) liveInstance(ctx, s, id);
  for (const id of t.hosts) if (!x.hosts.has(id)) throw Ec2Errors.custom("InvalidHostID.NotFound", `The host ID '${id}' does not exist`);
  const kinds = [w.instanceIds.size && "ids", w.instanceTags.length && "tags", w.dedicatedHostIds.size && "hosts"].filter(Boolean);
  const want = t.ids.length ? "ids" : t.tags.length ? "tags" : "hosts";
  if (kinds.length && kinds[0] !== want) throw Ec2Errors.invalidCombination("An event window can be associated with only one type of target at a time.");
  for (const id of t.ids)
    for (const other of x.eventWindows.values())
      if (other !== w && other.instanceIds.has(id))
        throw Ec2Errors.invalidValue(`The instance '${id}' is already associated with the event window '${other.id}'.`);
  dryRun(input);
  for (const id of t.ids) w.instanceIds.add(id);
  for (const id of t.hosts) w.dedicatedHostIds.add(id);
  for (const tag of t.tags) if (!w.instanceTags.some((x) => x.Key === tag.Key && x.Value === tag.Value)) w.instanceTags.push(tag);
  return { instanceEventWindow: windowView(w) };
}

export function DisassociateInstanceEventWindow(ctx: Ctx, input: Input) {
  const w = getWindow(ctx, required(input, "InstanceEventWindowId"));
  const t = target(input);
  dryRun(input);
  for (const id of t.ids) w.instanceIds.delete(id);
  for (const id of t.hosts) w.dedicatedHostIds.delete(id);
  w.instanceTags = w.instanceTags.filter((x) => !t.tags.some((y) => y.Key === x.Key && y.Value === x.Value));
  return { instanceEventWindow: windowView(w) };
}

// ---------------------------------------------------------------- event notification attributes

const notificationView = (n: { includeAllTags: boolean; keys: Set<string> }) => ({
  instanceTagAttribute: { InstanceTagKeys: [...n.keys], IncludeAllTagsOfInstance: n.includeAllTags },
});

function tagAttribute(input: Input) {
  const a = input.InstanceTagAttribute as Input | undefined;
  if (!a) throw Ec2Errors.missing("InstanceTagAttribute");
  const keys = list(a.InstanceTagKeys);
  if (a.IncludeAllTagsOfInstance === undefined && !keys.length) throw Ec2Errors.missing("InstanceTagKeys");
  if (a.IncludeAllTagsOfInstance === true && keys.length)
    throw Ec2Errors.invalidCombination("You can specify either IncludeAllTagsOfInstance or InstanceTagKeys, but not both.");
  return { all: a.IncludeAllTagsOfInstance as boolean | undefined, keys };
}

export function RegisterInstanceEventNotificationAttributes(ctx: Ctx, input: Input) {
  const a = tagAttribute(input);
  dryRun(input);
  const n = xst(ctx).eventNotification;
  if (a.all !== undefined) n.includeAllTags = a.all;
  for (const k of a.keys) n.keys.add(k);
  return notificationView(n);
}

export function DeregisterInstanceEventNotificationAttributes(ctx: Ctx, input: Input) {
  const a = tagAttribute(input);
  dryRun(input);
  const n = xst(ctx).eventNotification;
  if (a.all === true) n.includeAllTags = false;
  for (const k of a.keys) n.keys.delete(k);
  return notificationView(n);
}

export function DescribeInstanceEventNotificationAttributes(ctx: Ctx, input: Input) {
  dryRun(input);
  return notificationView(xst(ctx).eventNotification);
}

// ---------------------------------------------------------------- serial console

export function EnableSerialConsoleAccess(ctx: Ctx, input: Input) {
  dryRun(input);
  xst(ctx).serialConsole = true;
  return { serialConsoleAccessEnabled: true };
}

export function DisableSerialConsoleAccess(ctx: Ctx, input: Input) {
  dryRun(input);
  xst(ctx).serialConsole = false;
  return { serialConsoleAccessEnabled: false };
}

export function GetSerialConsoleAccessStatus(ctx: Ctx, input: Input) {
  dryRun(input);
  return { serialConsoleAccessEnabled: xst(ctx).serialConsole, managedBy: "account" };
}

// ---------------------------------------------------------------- GetPasswordData

/** The RSA public key of an OpenSSH "ssh-rsa" line. */
function rsaKey(openssh: string) {
  const m = /^ssh-rsa ([A-Za-z0-9+/=]+)/.exec(openssh);
  if (!m) return undefined;
  const blob = Buffer.from(m[1]!, "base64");
  const parts: Buffer[] = [];
  for (let off = 0; off + 4 <= blob.length && parts.length < 3; ) {
    const n = blob.readUInt32BE(off);
    parts.push(blob.subarray(off + 4, off + 4 + n));
    off += 4 + n;
  }
  if (parts.length < 3) return undefined;
  const strip = (b: Buffer) => (b[0] === 0 ? b.subarray(1) : b);
  return createPublicKey({ key: { kty: "RSA", e: strip(parts[1]!).toString("base64url"), n: strip(parts[2]!).toString("base64url") }, format: "jwk" });
}

/**
 * Linux instances (and instances without a key pair) have no password: empty PasswordData, as AWS answers.
 * Windows instances launched with an RSA key pair get a random Administrator password encrypted with it
 * (PKCS#1 v1.5, base64), decryptable with the private key from CreateKeyPair.
 */
export function GetPasswordData(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const i = liveInstance(ctx, s, required(input, "InstanceId"));
  dryRun(input);
  const windows = s.images.get(i.imageId)?.platform === "windows";
  const key = i.keyName ? s.keyPairs.get(i.keyName) : undefined;
  const pub = windows && key?.type === "rsa" ? rsaKey(key.publicKey) : undefined;
  if (!pub) return { instanceId: i.id, timestamp: ctx.now(), passwordData: "" };
  // "If you try to retrieve the password before it's available, the output returns an empty string": not
  // while the instance is still pending (the transition delay after launch).
  if (stateOf(i, ctx.config.transitionDelayMs) === "pending") return { instanceId: i.id, timestamp: ctx.now(), passwordData: "" };
  // Kept with the instance's other settings, so the same password comes back after a restart (--persist).
  const extra = instanceExtra(extraOf(s), i.id);
  if (!extra.password) {
    const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!$%&()*;.?@";
    extra.password = [...randomBytes(32)].map((b) => alphabet[b % alphabet.length]).join("");
  }
  const password = extra.password;
  const data = publicEncrypt({ key: pub, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(password)).toString("base64");
  return { instanceId: i.id, timestamp: i.launchTime, passwordData: data };
}
