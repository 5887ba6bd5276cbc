/**
 * EFS (REST-JSON, 2015-02-01): file systems (CreationToken idempotency, throughput and performance rules,
 * One Zone), mount targets (in EC2 subnets: one per zone, same VPC, IPs allocated from the subnet, security
 * groups checked against EC2), access points, lifecycle configuration (one transition per policy, Archive
 * rules), backup policy, file-system policy, replication overwrite protection, replication configurations
 * (a new or existing destination file system, in this or another region/account of this server), account
 * preferences (LONG_ID/SHORT_ID ids), tags (both tag APIs). Lifecycle states reach "available" at once.
 * Each file system can be a real directory under the data dir (`fsDirectory`; `resolveEfsMount` applies access
 * point roots, CreationInfo and POSIX users), which execute mode binds into tasks and functions that mount it,
 * so they share its files; SizeInBytes then meters that directory.
 * Replication mirrors the source directory onto the destination's when it is created or described.
 * Gaps: there is no NFS server; replication is not continuous (it happens on those calls).
 */
import type { ServiceDefinition } from "../core/types.js";
import { fileSystemOps } from "./file-systems.js";
import { networkOps } from "./network.js";
import { createEfsState, disposeEfs, type EfsState } from "./state.js";

export { type EfsMount, EfsMountError, type EfsMountRequest, resolveEfsMount } from "./mounts.js";
export { type EfsState, fsDirectory } from "./state.js";

const operations = { ...fileSystemOps, ...networkOps };

const efs: ServiceDefinition<EfsState> = {
  name: "efs",
  protocol: "rest-json",
  createState: createEfsState,
  dispose: disposeEfs,
  counts: (s) => ({ fileSystems: s.fss.size, mountTargets: s.mts.size, accessPoints: s.aps.size }),
  operations,
};

export default efs;
