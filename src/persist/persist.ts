/**
 * --persist helpers: the default data directory, and orphan collection at start (S3 body files in the
 * data directory that no loaded object points at, left by a crash between writing a body and committing
 * the state that refers to it). The state itself is kept by journal.ts.
 */
import { existsSync, readdirSync, unlinkSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Simulator } from "../services/core/simulator.js";
import type { Blob, S3State } from "../services/s3/state.js";

/** The user's cache directory + /awsim: $XDG_CACHE_HOME, ~/Library/Caches, %LOCALAPPDATA%, else ~/.cache. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === "win32") return join(env.LOCALAPPDATA || join(homedir(), "AppData", "Local"), "awsim");
  if (platform === "darwin") return join(homedir(), "Library", "Caches", "awsim");
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "awsim");
}

/** After the journal loaded: remove orphan S3 body files. */
export function collectOrphansAtStart(sim: Simulator): number {
  return collectOrphans(sim);
}

/** obj-* files directly under the data directory that no S3 object or upload part refers to. */
function collectOrphans(sim: Simulator): number {
  const dir = sim.config.dataDir;
  if (!dir || !existsSync(dir)) return 0;
  const live = new Set<string>();
  const add = (b: Blob | undefined): void => {
    if (!b) return;
    if (b.kind === "file") live.add(b.path);
    else if (b.kind === "multi") for (const p of b.parts) add(p.blob);
  };
  // S3's object maps directly (Map's own iterators: --persist's tracked maps must not see a read of every key).
  const values = <V>(m: Map<unknown, V>) => Map.prototype.values.call(m) as IterableIterator<V>;
  for (const st of sim.statesOf<S3State>("s3"))
    for (const b of values(st.buckets)) {
      for (const e of values(b.objects)) for (const v of e.versions) add(v.blob);
      for (const u of values(b.uploads)) for (const p of values(u.parts)) add(p.blob);
    }
  let n = 0;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith("obj-")) continue;
    const p = join(dir, name);
    if (live.has(p)) continue;
    try {
      unlinkSync(p);
      n++;
    } catch {
      /* gone already */
    }
  }
  return n;
}
