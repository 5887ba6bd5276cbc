/**
 * Retention that really expires events: on every read of a group, events older than retentionInDays
 * (measured against ctx.now()) are removed from its streams, and storedBytes drops with them.
 */
import type { LogGroup } from "./state.js";

const DAY = 86_400_000;

/** Drop the expired prefix of every stream of the group (streams are sorted by timestamp). */
export function expireGroup(g: LogGroup, now: number): void {
  // The DELIVERY class keeps events for one day, whatever the retention setting.
  const days = g.logGroupClass === "DELIVERY" ? 1 : g.retentionInDays;
  if (!days) return;
  const cutoff = now - days * DAY;
  for (const s of g.streams.values()) {
    const arr = s.events;
    if (arr.length === 0 || arr[0]!.timestamp >= cutoff) continue;
    let n = 0;
    let bytes = 0;
    while (n < arr.length && arr[n]!.timestamp < cutoff) bytes += Buffer.byteLength(arr[n++]!.message) + 26;
    arr.splice(0, n);
    s.storedBytes = Math.max(0, s.storedBytes - bytes);
    s.dropped += n;
  }
}
