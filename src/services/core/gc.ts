/**
 * Memory back after a reset. The state a reset drops is garbage that V8 frees only at its next full GCs, and an
 * idle server may not run any for a long time: after bench/soak.mjs (200,000 requests, then reset) RSS stayed
 * 44% above its post-warm-up level for 40 s of idleness. One full GC is not enough (RSS stayed 21% above);
 * two in a row bring it back to within a few percent (measured: 1.4%). So a reset schedules two full GCs,
 * debounced (a test suite that resets before every test pays for them once per quiet second, not per reset)
 * and unref'd (they never keep the process alive).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let collect: (() => void) | null | undefined;
let timer: NodeJS.Timeout | undefined;

/** V8's full GC: globalThis.gc under --expose-gc, otherwise the same function taken from a fresh context. */
export function fullGc(): boolean {
  if (collect === undefined) {
    collect = typeof globalThis.gc === "function" ? globalThis.gc : null;
    if (!collect) {
      try {
        setFlagsFromString("--expose-gc");
        collect = runInNewContext("gc") as () => void;
        setFlagsFromString("--no-expose-gc");
      } catch {
        collect = null;
      }
    }
  }
  if (!collect) return false;
  collect();
  return true;
}

/** Two full GCs `ms` after the last call (the second gives the pages the first freed back to the system). */
export function gcSoon(ms = 1000): void {
  clearTimeout(timer);
  timer = setTimeout(() => {
    timer = undefined;
    if (fullGc()) fullGc();
  }, ms);
  timer.unref();
}
