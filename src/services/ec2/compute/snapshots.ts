/**
 * EBS snapshot lock (governance and compliance modes, cooling-off periods, durations or expiry dates, the
 * modifications each lock state allows), the archive tier (archive, temporary and permanent restores,
 * re-archiving when a temporary restore lapses, computed on read) and fast snapshot restores per zone.
 * They act on the snapshots of ec2/state.ts; records of deleted snapshots disappear with them.
 */
import type { Ctx } from "../../core/types.js";
import { dryRun, list, required, select, tagsOf, zonesOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import type { Ec2State, SnapshotRec } from "../state.js";
import { getSnapshot } from "../volumes.js";
import { type ComputeState, cst, type FsrRec, type SnapshotLockRec, type SnapshotTierRec, tierNow } from "./state.js";

const e = Ec2Errors.custom;
const DAY = 86_400_000;
const HOUR = 3_600_000;

function snapStatus(x: SnapshotRec, delay: number, now = Date.now()): string {
  if (x.target && now - x.since >= delay) {
    x.state = x.target;
    x.target = undefined;
  }
  return x.state;
}

function ownSnapshot(s: Ec2State, id: string): SnapshotRec {
  const x = getSnapshot(s, id);
  if (x.ownerId !== s.accountId) throw e("UnauthorizedOperation", "You are not authorized to perform this operation.");
  return x;
}

/** Drop records of snapshots that no longer exist. */
function prune(s: Ec2State, c: ComputeState): void {
  for (const id of c.locks.keys()) if (!s.snapshots.has(id)) c.locks.delete(id);
  for (const id of c.tiers.keys()) if (!s.snapshots.has(id)) c.tiers.delete(id);
  for (const [k, f] of c.fsr) if (!s.snapshots.has(f.snapshotId)) c.fsr.delete(k);
}

// ---------------------------------------------------------------- lock

export function lockState(l: SnapshotLockRec, now = Date.now()): string {
  if (l.expiresOn.getTime() <= now) return "expired";
  if (l.mode === "compliance" && l.coolOffExpiresOn && l.coolOffExpiresOn.getTime() > now) return "compliance-cooloff";
  return l.mode;
}

const lockView = (s: Ec2State, l: SnapshotLockRec) => ({
  OwnerId: s.accountId,
  SnapshotId: l.snapshotId,
  LockState: lockState(l),
  LockDuration: l.duration,
  CoolOffPeriod: l.coolOffHours,
  CoolOffPeriodExpiresOn: l.coolOffExpiresOn,
  LockCreatedOn: l.createdOn,
  LockDurationStartTime: l.durationStart,
  LockExpiresOn: l.expiresOn,
});

export function LockSnapshot(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const x = ownSnapshot(s, required(input, "SnapshotId"));
  const mode = required(input, "LockMode") as "governance" | "compliance";
  const duration = input.LockDuration as number | undefined;
  const expiration = input.ExpirationDate as Date | undefined;
  const coolOff = input.CoolOffPeriod as number | undefined;
  if ((duration === undefined) === (expiration === undefined))
    throw Ec2Errors.invalidCombination("You must specify either LockDuration or ExpirationDate, but not both.");
  if (mode === "governance" && coolOff !== undefined)
    throw Ec2Errors.invalidCombination("CoolOffPeriod can be specified only when locking a snapshot in compliance mode.");
  const now = ctx.now();
  if (expiration && expiration.getTime() <= now.getTime()) throw Ec2Errors.invalidValue("ExpirationDate must be in the future.");
  const old = c.locks.get(x.id);
  const oldState = old ? lockState(old, now.getTime()) : undefined;
  const durationStart = old && oldState !== "expired" ? old.durationStart : now;
  const expiresOn = expiration ?? new Date(durationStart.getTime() + duration! * DAY);
  if (old && oldState === "compliance") {
    if (mode !== "compliance") throw e("IncorrectState", `The lock mode of snapshot ${x.id} can't be changed after its cooling-off period has expired.`);
    if (coolOff !== undefined) throw Ec2Errors.invalidCombination(`Snapshot ${x.id} is locked in compliance mode and its cooling-off period has expired.`);
    if (expiresOn.getTime() < old.expiresOn.getTime())
      throw e("IncorrectState", `The lock duration of snapshot ${x.id} can only be increased after its cooling-off period has expired.`);
  }
  dryRun(input);
  const keepCoolOff = old && oldState === "compliance-cooloff" && mode === "compliance" && coolOff === undefined;
  const l: SnapshotLockRec = {
    snapshotId: x.id,
    mode,
    createdOn: old && oldState !== "expired" ? old.createdOn : now,
    durationStart,
    duration: expiration ? undefined : duration,
    expiresOn,
    coolOffHours: keepCoolOff ? old!.coolOffHours : mode === "compliance" ? coolOff : undefined,
    coolOffExpiresOn: keepCoolOff
      ? old!.coolOffExpiresOn
      : mode === "compliance" && coolOff !== undefined
        ? new Date(now.getTime() + coolOff * HOUR)
        : undefined,
  };
  c.locks.set(x.id, l);
  const { OwnerId: _o, ...out } = lockView(s, l);
  return out;
}

export function UnlockSnapshot(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const x = ownSnapshot(s, required(input, "SnapshotId"));
  const l = c.locks.get(x.id);
  if (!l) throw e("IncorrectState", `Snapshot ${x.id} is not locked.`);
  if (lockState(l) === "compliance")
    throw e("IncorrectState", `Snapshot ${x.id} is locked in compliance mode and its cooling-off period has expired; it can't be unlocked.`);
  dryRun(input);
  c.locks.delete(x.id);
  return { SnapshotId: x.id };
}

export function DescribeLockedSnapshots(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, c } = cst(ctx);
  prune(s, c);
  const ids = list(input.SnapshotIds);
  for (const id of ids) getSnapshot(s, id);
  const wanted = new Set(ids);
  const items = [...c.locks.values()].filter((l) => !wanted.size || wanted.has(l.snapshotId)).map((l) => ({ ...l, tags: new Map<string, string>() }));
  const r = select(items, input, { "lock-state": (l) => lockState(l) }, (l) => l.snapshotId, { paginate: true, min: 5, max: 1000 });
  return { Snapshots: r.items.map((l) => lockView(s, l)), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- archive tier

function tierRec(c: ComputeState, id: string): SnapshotTierRec | undefined {
  const t = c.tiers.get(id);
  return t ? tierNow(t) : undefined;
}

export function ModifySnapshotTier(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const x = ownSnapshot(s, required(input, "SnapshotId"));
  if (input.StorageTier !== undefined && input.StorageTier !== "archive")
    throw Ec2Errors.invalidValue(`Value (${input.StorageTier}) for parameter StorageTier is invalid. Valid values: archive.`);
  if (snapStatus(x, ctx.config.transitionDelayMs) !== "completed")
    throw e("IncorrectState", `Snapshot ${x.id} is not in the completed state and can't be archived.`);
  const t = tierRec(c, x.id);
  if (t?.tier === "archive") throw e("IncorrectState", `Snapshot ${x.id} is already in the archive tier.`);
  if ([...c.fsr.values()].some((f) => f.snapshotId === x.id && f.state !== "disabled"))
    throw e("IncorrectState", `Snapshot ${x.id} has fast snapshot restore enabled and can't be archived.`);
  dryRun(input);
  const now = ctx.now();
  c.tiers.set(x.id, { snapshotId: x.id, tier: "archive", lastOperation: "archival-completed", lastStart: now, archivalComplete: now });
  return { SnapshotId: x.id, TieringStartTime: now };
}

export function RestoreSnapshotTier(ctx: Ctx, input: Input) {
  const { s, c } = cst(ctx);
  const x = ownSnapshot(s, required(input, "SnapshotId"));
  const permanent = input.PermanentRestore === true;
  const days = input.TemporaryRestoreDays as number | undefined;
  if (permanent && days !== undefined) throw Ec2Errors.invalidCombination("TemporaryRestoreDays can't be specified with PermanentRestore.");
  if (!permanent && days === undefined) throw Ec2Errors.missing("TemporaryRestoreDays");
  const t = tierRec(c, x.id);
  const temporarilyRestored = t?.tier === "standard" && !!t.restoreExpiry;
  if (!t || (t.tier !== "archive" && !temporarilyRestored)) throw e("IncorrectState", `Snapshot ${x.id} is not in the archive tier.`);
  dryRun(input);
  const now = ctx.now();
  t.tier = "standard";
  t.lastStart = now;
  if (permanent) {
    t.lastOperation = "permanent-restore-completed";
    t.restoreExpiry = undefined;
    t.archivalComplete = undefined;
  } else {
    t.lastOperation = "temporary-restore-completed";
    t.restoreExpiry = new Date(now.getTime() + days! * DAY);
  }
  return { SnapshotId: x.id, RestoreStartTime: now, RestoreDuration: permanent ? undefined : days, IsPermanentRestore: permanent };
}

export function DescribeSnapshotTierStatus(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, c } = cst(ctx);
  prune(s, c);
  const own = [...s.snapshots.values()].filter((x) => x.ownerId === s.accountId).sort((a, b) => a.seq - b.seq);
  const r = select(
    own,
    input,
    {
      "snapshot-id": (x) => x.id,
      "volume-id": (x) => x.volumeId,
      "last-tiering-operation": (x) => tierRec(c, x.id)?.lastOperation,
    },
    (x) => String(x.seq).padStart(12, "0"),
    { paginate: true, min: 1, max: 1000 },
  );
  const delay = ctx.config.transitionDelayMs;
  return {
    SnapshotTierStatuses: r.items.map((x) => {
      const t = tierRec(c, x.id);
      return {
        SnapshotId: x.id,
        VolumeId: x.volumeId,
        Status: snapStatus(x, delay),
        OwnerId: x.ownerId,
        Tags: tagsOf(x),
        StorageTier: t?.tier ?? "standard",
        LastTieringStartTime: t?.lastStart,
        LastTieringProgress: t ? 100 : undefined,
        LastTieringOperationStatus: t?.lastOperation,
        ArchivalCompleteTime: t?.archivalComplete,
        RestoreExpiryTime: t?.restoreExpiry,
      };
    }),
    NextToken: r.nextToken,
  };
}

// ---------------------------------------------------------------- fast snapshot restores

function zonesAsked(s: Ec2State, input: Input): Array<{ name: string; id: string }> {
  const names = list(input.AvailabilityZones);
  const ids = list(input.AvailabilityZoneIds);
  if (names.length && ids.length)
    throw Ec2Errors.invalidCombination("Either AvailabilityZone or AvailabilityZoneId must be specified in the request, but not both.");
  if (!names.length && !ids.length) throw Ec2Errors.missing("AvailabilityZone");
  const zones = zonesOf(s.region);
  return names.length
    ? names.map((n) => {
        const z = zones.find((x) => x.name === n);
        if (!z)
          throw Ec2Errors.invalidValue(
            `Value (${n}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${zones.map((x) => x.name).join(", ")}.`,
          );
        return z;
      })
    : ids.map((i) => {
        const z = zones.find((x) => x.id === i);
        if (!z) throw Ec2Errors.invalidValue(`Value (${i}) for parameter availabilityZoneId is invalid.`);
        return z;
      });
}

const fsrView = (s: Ec2State, f: FsrRec, state = f.state) => ({
  SnapshotId: f.snapshotId,
  AvailabilityZone: f.az,
  AvailabilityZoneId: f.azId,
  State: state,
  StateTransitionReason: state === "disabled" || state === "disabling" ? "Client.UserInitiated" : "Client.UserInitiated - Lifecycle state transition",
  OwnerId: s.accountId,
  EnablingTime: f.enabling,
  OptimizingTime: f.optimizing,
  EnabledTime: f.enabled,
  DisablingTime: f.disabling,
  DisabledTime: f.disabled,
});

function fsrChange(ctx: Ctx, input: Input, enable: boolean) {
  const { s, c } = cst(ctx);
  const zones = zonesAsked(s, input);
  const ids = list(input.SourceSnapshotIds);
  if (!ids.length) throw Ec2Errors.missing("SourceSnapshotId");
  dryRun(input);
  prune(s, c);
  const now = ctx.now();
  const Successful: unknown[] = [];
  const Unsuccessful: unknown[] = [];
  for (const id of ids) {
    const x = s.snapshots.get(id);
    const problem = !x
      ? { Code: "InvalidSnapshot.NotFound", Message: `The snapshot '${id}' does not exist.` }
      : enable && c.tiers.get(id) && tierNow(c.tiers.get(id)!).tier === "archive"
        ? { Code: "IncorrectState", Message: `Snapshot ${id} is in the archive tier.` }
        : undefined;
    if (problem) {
      Unsuccessful.push({
        SnapshotId: id,
        FastSnapshotRestoreStateErrors: zones.map((z) => ({ AvailabilityZone: z.name, AvailabilityZoneId: z.id, Error: problem })),
      });
      continue;
    }
    for (const z of zones) {
      const key = `${id} ${z.name}`;
      let f = c.fsr.get(key);
      if (enable) {
        if (!f || f.state === "disabled" || f.state === "disabling") {
          f = { snapshotId: id, az: z.name, azId: z.id, state: "enabled", enabling: now, optimizing: now, enabled: now };
          c.fsr.set(key, f);
          Successful.push(fsrView(s, f, "enabling"));
        } else Successful.push(fsrView(s, f));
      } else {
        if (f && f.state !== "disabled") {
          f.state = "disabled";
          f.disabling = now;
          f.disabled = now;
          Successful.push(fsrView(s, f, "disabling"));
        } else Successful.push({ SnapshotId: id, AvailabilityZone: z.name, AvailabilityZoneId: z.id, State: "disabled", OwnerId: s.accountId });
      }
    }
  }
  return { Successful, Unsuccessful };
}

export const EnableFastSnapshotRestores = (ctx: Ctx, input: Input) => fsrChange(ctx, input, true);
export const DisableFastSnapshotRestores = (ctx: Ctx, input: Input) => fsrChange(ctx, input, false);

export function DescribeFastSnapshotRestores(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, c } = cst(ctx);
  prune(s, c);
  const items = [...c.fsr.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, f]) => ({ key, f, tags: new Map<string, string>() }));
  const r = select(
    items,
    input,
    {
      "availability-zone": (x) => x.f.az,
      "availability-zone-id": (x) => x.f.azId,
      "owner-id": () => s.accountId,
      "snapshot-id": (x) => x.f.snapshotId,
      state: (x) => x.f.state,
    },
    (x) => x.key,
    { paginate: true, min: 0, max: 200 },
  );
  return { FastSnapshotRestores: r.items.map((x) => fsrView(s, x.f)), NextToken: r.nextToken };
}
