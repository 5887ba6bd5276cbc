/**
 * What a task or function mounts: the host directory behind an EFS file system (or an access point's
 * root directory within it), resolved as the EFS mount helper would. ECS (efsVolumeConfiguration) and
 * Lambda (FileSystemConfigs) call this in execute mode and bind the directory at the container path /
 * LocalMountPath, so every task and function that mounts the same file system shares its files.
 */
import { chownSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { SimHandle } from "../core/types.js";
import { type EfsState, fsDirectory } from "./state.js";

export interface EfsMountRequest {
  /** ECS: fileSystemId. Lambda gives only the access point ARN. */
  fileSystemId?: string;
  /** An access point id or ARN (ECS authorizationConfig.accessPointId, Lambda FileSystemConfigs[].Arn). */
  accessPoint?: string;
  /** ECS rootDirectory (must be "/" or absent with an access point). */
  rootDirectory?: string;
}

export interface EfsMount {
  hostPath: string;
  fileSystemId: string;
  /** The access point's POSIX user, which the mounting process acts as. */
  uid?: number;
  gid?: number;
}

/** The reason a mount fails, in the words ECS and Lambda use for it. */
export class EfsMountError extends Error {}

const AP_ARN = /^arn:aws[\w-]*:elasticfilesystem:([a-z0-9-]+):(\d{12}):access-point\/(fsap-[0-9a-f]+)$/;

export async function resolveEfsMount(sim: SimHandle, accountId: string, region: string, m: EfsMountRequest): Promise<EfsMount> {
  let apId = m.accessPoint;
  const arn = apId ? AP_ARN.exec(apId) : null;
  if (arn) {
    region = arn[1]!;
    accountId = arn[2]!;
    apId = arn[3]!;
  }
  const s = await sim.stateOf<EfsState>("efs", accountId, region);
  const ap = apId ? s.aps.get(apId) : undefined;
  if (apId && !ap) throw new EfsMountError(`Access point ${apId} does not exist.`);
  const fsId = m.fileSystemId ?? ap?.fsId;
  if (!fsId || !s.fss.has(fsId)) throw new EfsMountError(`File system ${fsId ?? "(none)"} does not exist.`);
  if (ap && ap.fsId !== fsId) throw new EfsMountError(`Access point ${ap.id} does not belong to file system ${fsId}.`);
  if (ap && m.rootDirectory && m.rootDirectory !== "/") throw new EfsMountError("The root directory must be omitted or set to / when an access point is used.");
  const sub = ap?.rootDirectory?.Path ?? m.rootDirectory ?? "/";
  const fsRoot = fsDirectory(s, fsId);
  const target = join(fsRoot, sub);
  if (!existsSync(target)) {
    const info = ap?.rootDirectory?.CreationInfo;
    if (ap && !info) throw new EfsMountError(`The access point's root directory ${sub} does not exist and the access point has no CreationInfo.`);
    mkdirSync(target, { recursive: true, mode: info ? Number.parseInt(info.Permissions, 8) : 0o755 });
    if (info && process.getuid?.() === 0) chownSync(target, info.OwnerUid, info.OwnerGid);
  }
  return { hostPath: target, fileSystemId: fsId, uid: ap?.posixUser?.Uid, gid: ap?.posixUser?.Gid };
}
