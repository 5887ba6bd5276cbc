/**
 * Bind mounts for a process, without containers: the process runs under `unshare -m` in a private mount
 * namespace where a shell binds each host directory at its path, then execs the process. Only root on Linux
 * can do this (probed once). A path under /mnt gets a private tmpfs /mnt first, so the host's /mnt is
 * untouched; a missing path elsewhere is created on the host (an empty directory) to mount over.
 */
import { spawnSync } from "node:child_process";

export interface BindMount {
  hostPath: string;
  /** Where the process sees it (ECS containerPath). */
  path: string;
  readOnly?: boolean;
}

let supported: boolean | undefined;

/** True when private mount namespaces with bind mounts work here (root on Linux with util-linux unshare). */
export function privateMountsSupported(): boolean {
  supported ??=
    process.platform === "linux" &&
    process.getuid?.() === 0 &&
    spawnSync("unshare", ["-m", "--propagation", "private", "sh", "-c", "mount -t tmpfs awsim-probe /mnt && umount /mnt"], { stdio: "ignore", timeout: 5000 })
      .status === 0;
  return supported;
}

const sq = (x: string) => `'${x.replace(/'/g, "'\\''")}'`;

/** argv wrapped so that the process sees each mount (call only when privateMountsSupported()). */
export function withBindMounts(argv: string[], mounts: BindMount[]): string[] {
  if (!mounts.length || !argv.length) return argv;
  const steps = ["set -e"];
  if (mounts.some((m) => m.path === "/mnt" || m.path.startsWith("/mnt/"))) steps.push("mount -t tmpfs -o mode=755 awsim-mnt /mnt");
  for (const m of mounts) {
    steps.push(`mkdir -p ${sq(m.path)}`, `mount --bind ${sq(m.hostPath)} ${sq(m.path)}`);
    if (m.readOnly) steps.push(`mount -o remount,bind,ro ${sq(m.path)}`);
  }
  steps.push('exec "$@"');
  return ["unshare", "-m", "--propagation", "private", "sh", "-c", steps.join("\n"), "sh", ...argv];
}
