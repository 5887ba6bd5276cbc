/** Operations of the EC2 "compute" area, spread into the EC2 operations table (ec2/index.ts). */
import type { Handler } from "../../core/types.js";
import type { TagHandlers } from "../tag-kinds.js";
import * as inst from "./instances.js";
import * as snap from "./snapshots.js";

export const operations: Record<string, Handler> = {
  MonitorInstances: inst.MonitorInstances,
  UnmonitorInstances: inst.UnmonitorInstances,
  ResetInstanceAttribute: inst.ResetInstanceAttribute,
  DescribeNetworkInterfaceAttribute: inst.DescribeNetworkInterfaceAttribute,
  ResetNetworkInterfaceAttribute: inst.ResetNetworkInterfaceAttribute,
  ...inst.classicLinkOperations,
  LockSnapshot: snap.LockSnapshot,
  UnlockSnapshot: snap.UnlockSnapshot,
  DescribeLockedSnapshots: snap.DescribeLockedSnapshots,
  ModifySnapshotTier: snap.ModifySnapshotTier,
  RestoreSnapshotTier: snap.RestoreSnapshotTier,
  DescribeSnapshotTierStatus: snap.DescribeSnapshotTierStatus,
  EnableFastSnapshotRestores: snap.EnableFastSnapshotRestores,
  DisableFastSnapshotRestores: snap.DisableFastSnapshotRestores,
  DescribeFastSnapshotRestores: snap.DescribeFastSnapshotRestores,
};

/** CreateTags/DeleteTags/DescribeTags for this area's resource kinds (kindTagOperations); other ids go on to base. */
export const tags = (base: TagHandlers): TagHandlers => base;
