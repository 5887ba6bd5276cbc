/**
 * EFS (REST-JSON, 2015-02-01): file systems (CreationToken idempotency, throughput and performance rules,
 * One Zone), mount targets (in EC2 subnets: one per zone, same VPC, IPs allocated from the subnet, security
 * groups checked against EC2), access points, lifecycle configuration (one transition per policy, Archive
 * rules), backup policy, file-system policy, replication overwrite protection, replication configurations
 * (a new or existing destination file system, in this or another region/account of this server), account
 * preferences (LONG_ID/SHORT_ID ids), tags (both tag APIs). Lifecycle states reach "available" at once.
 * Each file system can be a real directory under the data dir (`fsDirectory`), which execute mode uses to
 * share files between tasks and functions that mount it; SizeInBytes then meters that directory.
 * Gaps: there is no NFS server; replication does not copy data between directories.
 */
import type { RestRoute, ServiceDefinition } from "../core/types.js";
import { fileSystemOps } from "./file-systems.js";
import { networkOps } from "./network.js";
import { createEfsState, disposeEfs, type EfsState } from "./state.js";

export { type EfsState, fsDirectory } from "./state.js";

const P = "/2015-02-01";
const routes: RestRoute[] = [
  { method: "POST", path: `${P}/file-systems`, operation: "CreateFileSystem", status: 201 },
  { method: "GET", path: `${P}/file-systems/replication-configurations`, operation: "DescribeReplicationConfigurations" },
  { method: "GET", path: `${P}/file-systems`, operation: "DescribeFileSystems" },
  { method: "PUT", path: `${P}/file-systems/{FileSystemId}`, operation: "UpdateFileSystem", status: 202 },
  { method: "DELETE", path: `${P}/file-systems/{FileSystemId}`, operation: "DeleteFileSystem", status: 204 },
  { method: "PUT", path: `${P}/file-systems/{FileSystemId}/lifecycle-configuration`, operation: "PutLifecycleConfiguration" },
  { method: "GET", path: `${P}/file-systems/{FileSystemId}/lifecycle-configuration`, operation: "DescribeLifecycleConfiguration" },
  { method: "PUT", path: `${P}/file-systems/{FileSystemId}/backup-policy`, operation: "PutBackupPolicy" },
  { method: "GET", path: `${P}/file-systems/{FileSystemId}/backup-policy`, operation: "DescribeBackupPolicy" },
  { method: "PUT", path: `${P}/file-systems/{FileSystemId}/policy`, operation: "PutFileSystemPolicy" },
  { method: "GET", path: `${P}/file-systems/{FileSystemId}/policy`, operation: "DescribeFileSystemPolicy" },
  { method: "DELETE", path: `${P}/file-systems/{FileSystemId}/policy`, operation: "DeleteFileSystemPolicy" },
  { method: "PUT", path: `${P}/file-systems/{FileSystemId}/protection`, operation: "UpdateFileSystemProtection" },
  { method: "POST", path: `${P}/file-systems/{SourceFileSystemId}/replication-configuration`, operation: "CreateReplicationConfiguration" },
  { method: "DELETE", path: `${P}/file-systems/{SourceFileSystemId}/replication-configuration`, operation: "DeleteReplicationConfiguration", status: 204 },
  { method: "GET", path: `${P}/account-preferences`, operation: "DescribeAccountPreferences" },
  { method: "PUT", path: `${P}/account-preferences`, operation: "PutAccountPreferences" },
  { method: "POST", path: `${P}/mount-targets`, operation: "CreateMountTarget" },
  { method: "GET", path: `${P}/mount-targets`, operation: "DescribeMountTargets" },
  { method: "DELETE", path: `${P}/mount-targets/{MountTargetId}`, operation: "DeleteMountTarget", status: 204 },
  { method: "GET", path: `${P}/mount-targets/{MountTargetId}/security-groups`, operation: "DescribeMountTargetSecurityGroups" },
  { method: "PUT", path: `${P}/mount-targets/{MountTargetId}/security-groups`, operation: "ModifyMountTargetSecurityGroups", status: 204 },
  { method: "POST", path: `${P}/access-points`, operation: "CreateAccessPoint" },
  { method: "GET", path: `${P}/access-points`, operation: "DescribeAccessPoints" },
  { method: "DELETE", path: `${P}/access-points/{AccessPointId}`, operation: "DeleteAccessPoint", status: 204 },
  { method: "POST", path: `${P}/resource-tags/{ResourceId}`, operation: "TagResource" },
  { method: "DELETE", path: `${P}/resource-tags/{ResourceId}`, operation: "UntagResource" },
  { method: "GET", path: `${P}/resource-tags/{ResourceId}`, operation: "ListTagsForResource" },
  { method: "POST", path: `${P}/create-tags/{FileSystemId}`, operation: "CreateTags", status: 204 },
  { method: "POST", path: `${P}/delete-tags/{FileSystemId}`, operation: "DeleteTags", status: 204 },
  { method: "GET", path: `${P}/tags/{FileSystemId}`, operation: "DescribeTags" },
];

/**
 * Until the model-driven router binds querystring members by name, map the two querystring location names
 * that differ from their member names; numbers in the querystring arrive as strings and are read with Number().
 */
const QUERY_NAMES: Record<string, Record<string, string>> = {
  UntagResource: { tagKeys: "TagKeys" },
  DeleteReplicationConfiguration: { deletionMode: "DeletionMode" },
};

const operations = { ...fileSystemOps, ...networkOps };
for (const [op, names] of Object.entries(QUERY_NAMES)) {
  const h = operations[op]!;
  operations[op] = (ctx, v) => {
    const input = { ...v };
    for (const [loc, member] of Object.entries(names)) if (input[member] === undefined && input[loc] !== undefined) input[member] = input[loc];
    return h(ctx, input);
  };
}

const efs: ServiceDefinition<EfsState> = {
  name: "efs",
  protocol: "rest-json",
  routes,
  createState: createEfsState,
  dispose: disposeEfs,
  counts: (s) => ({ fileSystems: s.fss.size, mountTargets: s.mts.size, accessPoints: s.aps.size }),
  operations,
};

export default efs;
