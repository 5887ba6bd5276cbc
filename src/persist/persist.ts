/**
 * --persist: the whole state is saved as the internal snapshot "_persist" under <dataDir>/snapshots when
 * the server stops gracefully (stop(), SIGINT, SIGTERM) and loaded when it starts. S3 body files in the
 * data directory that no restored object points at (left by a crash or by the previous run) are removed
 * at start.
 */
import { existsSync, readdirSync, unlinkSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Simulator } from "../services/core/simulator.js";
import { PERSIST_NAME, type SnapshotStore, walkFiles } from "./snapshots.js";

/** The user's cache directory + /awsim: $XDG_CACHE_HOME, ~/Library/Caches, %LOCALAPPDATA%, else ~/.cache. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === "win32") return join(env.LOCALAPPDATA || join(homedir(), "AppData", "Local"), "awsim");
  if (platform === "darwin") return join(homedir(), "Library", "Caches", "awsim");
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "awsim");
}

/** Load the persisted state (if any) and collect orphan S3 body files. Returns whether state was loaded. */
export async function loadPersisted(sim: Simulator, store: SnapshotStore): Promise<boolean> {
  const loaded = store.has(PERSIST_NAME);
  if (loaded) await store.restore(PERSIST_NAME);
  collectOrphans(sim);
  return loaded;
}

export async function savePersisted(store: SnapshotStore): Promise<void> {
  await store.save(PERSIST_NAME);
}

/** obj-* files directly under the data directory that no S3 object or upload part refers to. */
function collectOrphans(sim: Simulator): number {
  const dir = sim.config.dataDir;
  if (!dir || !existsSync(dir)) return 0;
  const live = new Set<string>();
  const scopes = sim.scopesOf("s3");
  if (scopes) walkFiles(new Map([["s3", new Map(scopes)]]), (o) => void live.add(o.path as string));
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
