/**
 * Loaded into the server by `bench/soak.mjs` when SOAK_GC=1 (`node --expose-gc --import bench/soak-gc.mjs`),
 * so no debug hook lives in awsim itself. On SIGUSR2: two full GCs, a heap snapshot when SOAK_SNAPSHOT_DIR is
 * set, then process.memoryUsage() and V8's committed/used size per heap space, written as JSON to $SOAK_GC_OUT
 * (atomically, via rename).
 */
import { renameSync, writeFileSync } from "node:fs";
import { getHeapSpaceStatistics, writeHeapSnapshot } from "node:v8";

const out = process.env.SOAK_GC_OUT;
const dir = process.env.SOAK_SNAPSHOT_DIR;
let n = 0;
process.on("SIGUSR2", () => {
  globalThis.gc?.();
  globalThis.gc?.();
  const snapshot = dir ? writeHeapSnapshot(`${dir}/soak-${++n}.heapsnapshot`) : undefined;
  const m = process.memoryUsage();
  // Committed vs used per V8 space: what the heap keeps beyond its live objects (the young generation above all).
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, [s.space_size, s.space_used_size]]));
  if (out) {
    writeFileSync(`${out}.tmp`, JSON.stringify({ ...m, spaces, snapshot }));
    renameSync(`${out}.tmp`, out);
  }
});
