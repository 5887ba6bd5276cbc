/**
 * The in-process Logs API other services use to write output (ECS awslogs in execute mode, Lambda):
 * the same rules as PutLogEvents, without the HTTP round trip.
 */
import { LogsErrors } from "./errors.js";
import { createGroup } from "./groups.js";
import { afterIngest } from "./ingest.js";
import { MAX_EVENTS_PER_STREAM, type LogEvent, type LogGroup, type LogStream, type LogsState } from "./state.js";
import { createStream } from "./streams.js";

export interface InputEvent {
  timestamp: number;
  message: string;
}

export function ensureGroup(st: LogsState, name: string, now = Date.now()): LogGroup {
  return st.groups.get(name) ?? createGroup(st, name, now);
}

export function ensureStream(g: LogGroup, name: string, now = Date.now()): LogStream {
  return g.streams.get(name) ?? createStream(g, name, now);
}

/** Insert events (already validated) into a stream, keeping it sorted by (timestamp, seq) and bounded. */
export function insertEvents(st: LogsState, s: LogStream, events: InputEvent[], now: number, g?: LogGroup): void {
  const inserted: LogEvent[] = [];
  for (const e of events) {
    const ev: LogEvent = { timestamp: e.timestamp, message: e.message, ingestionTime: now, seq: ++st.seq };
    inserted.push(ev);
    const arr = s.events;
    if (arr.length === 0 || arr[arr.length - 1]!.timestamp <= ev.timestamp) arr.push(ev);
    else {
      let lo = 0;
      let hi = arr.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (arr[mid]!.timestamp <= ev.timestamp) lo = mid + 1;
        else hi = mid;
      }
      arr.splice(lo, 0, ev);
    }
    s.storedBytes += Buffer.byteLength(e.message) + 26;
    s.firstEventTimestamp = s.firstEventTimestamp === undefined ? ev.timestamp : Math.min(s.firstEventTimestamp, ev.timestamp);
    s.lastEventTimestamp = s.lastEventTimestamp === undefined ? ev.timestamp : Math.max(s.lastEventTimestamp, ev.timestamp);
    s.lastIngestionTime = now;
  }
  const cap = st.sim?.config.maxLogEventsPerStream ?? MAX_EVENTS_PER_STREAM;
  const excess = cap > 0 ? s.events.length - cap : 0;
  if (excess > 0) {
    s.events.splice(0, excess);
    s.dropped += excess;
  }
  if (g) afterIngest(st, g, s.name, inserted);
}

/**
 * Append output lines to group/stream. With createGroup false a missing group is an error (as the awslogs
 * driver without awslogs-create-group), otherwise group and stream are created on first use.
 */
export function appendEvents(st: LogsState, o: { group: string; stream: string; events: InputEvent[]; createGroup?: boolean; now?: number }): void {
  const now = o.now ?? Date.now();
  let g = st.groups.get(o.group);
  if (!g) {
    if (o.createGroup === false) throw LogsErrors.groupNotFound();
    g = createGroup(st, o.group, now);
  }
  const s = ensureStream(g, o.stream, now);
  insertEvents(st, s, o.events, now, g);
}
