/** PutLogEvents (AWS's batch rules), GetLogEvents (tokens that work as AWS's), FilterLogEvents. */
import type {
  FilterLogEventsResponse,
  GetLogEventsResponse,
  PutLogEventsResponse,
  RejectedEntityInfo,
  RejectedLogEventsInfo,
} from "@aws-sdk/client-cloudwatch-logs";
import type { Ctx } from "../core/types.js";
import { decodeToken, encodeToken } from "../core/paginate.js";
import { insertEvents, type InputEvent } from "./api.js";
import { check, findGroup, findStream, GROUP_NAME, groupSpec, state, STREAM_NAME } from "./common.js";
import { LogsErrors } from "./errors.js";
import { compileFilterPattern } from "./filter-pattern.js";
import { maskerFor } from "./policies.js";
import { expireGroup } from "./retention.js";
import type { LogEvent, LogStream } from "./state.js";
import { sequenceToken } from "./streams.js";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const MAX_BATCH_BYTES = 1_048_576;

/**
 * "There are five allowed attributes (key names): Type, ResourceType, Identifier, Name, and Environment" (API
 * reference, Entity). The map's sizes and lengths are model constraints, checked before the handler. An entity
 * that names another key is rejected (RejectedEntityInfo, errorType InvalidKeyAttributes) and, as the reference
 * says, "when the entity is rejected, the events may still be accepted".
 */
const ENTITY_KEYS = new Set(["Type", "ResourceType", "Identifier", "Name", "Environment"]);

function rejectedEntity(entity: { keyAttributes?: Record<string, string> } | undefined): RejectedEntityInfo | undefined {
  const keys = Object.keys(entity?.keyAttributes ?? {});
  return keys.some((k) => !ENTITY_KEYS.has(k)) ? { errorType: "InvalidKeyAttributes" } : undefined;
}

export function PutLogEvents(ctx: Ctx, input: unknown): PutLogEventsResponse {
  const v = check<{ logGroupName: string; logStreamName: string; logEvents: InputEvent[]; entity?: { keyAttributes?: Record<string, string> } }>(input, {
    logGroupName: { ...GROUP_NAME, required: true },
    logStreamName: { ...STREAM_NAME, required: true },
    logEvents: {
      type: "list",
      required: true,
      minLength: 1,
      maxLength: 10000,
      items: { type: "structure", fields: { timestamp: { type: "long", required: true, min: 0 }, message: { required: true, minLength: 1 } } },
    },
    sequenceToken: { minLength: 1 },
  });
  const st = state(ctx);
  const stream = findStream(findGroup(st, v), v.logStreamName);
  const g = st.groups.get(v.logGroupName)!;
  const events = v.logEvents;
  let bytes = 0;
  for (let i = 0; i < events.length; i++) {
    bytes += Buffer.byteLength(events[i]!.message) + 26;
    if (i > 0 && events[i]!.timestamp < events[i - 1]!.timestamp) {
      throw LogsErrors.invalidParameter("Log events in a single PutLogEvents request must be in chronological order.");
    }
  }
  if (bytes > MAX_BATCH_BYTES) throw LogsErrors.invalidParameter(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
  const now = ctx.now().getTime();
  const tooOld = now - 14 * DAY;
  const expired = g.retentionInDays ? now - g.retentionInDays * DAY : -Infinity;
  const tooNew = now + 2 * HOUR;
  // tooOldLogEventEndIndex and expiredLogEventEndIndex are exclusive ends (AWS answers a batch of one
  // too-old event with {"tooOldLogEventEndIndex":1}, aws/aws-for-fluent-bit#523); tooNewLogEventStartIndex is inclusive.
  const info: RejectedLogEventsInfo = {};
  const accepted: InputEvent[] = [];
  events.forEach((e, i) => {
    if (e.timestamp > tooNew) {
      if (info.tooNewLogEventStartIndex === undefined) info.tooNewLogEventStartIndex = i;
    } else if (e.timestamp < expired) info.expiredLogEventEndIndex = i + 1;
    else if (e.timestamp < tooOld) info.tooOldLogEventEndIndex = i + 1;
    else accepted.push(e);
  });
  // "For valid events (within 14 days in the past to 2 hours in future), the time span in a single batch
  // cannot exceed 24 hours": rejected events do not count.
  if (accepted.length && accepted[accepted.length - 1]!.timestamp - accepted[0]!.timestamp > DAY) {
    throw LogsErrors.invalidParameter("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
  }
  insertEvents(st, stream, accepted, now, g);
  return {
    nextSequenceToken: sequenceToken(stream),
    rejectedLogEventsInfo: Object.keys(info).length ? info : undefined,
    rejectedEntityInfo: rejectedEntity(v.entity),
  };
}

// ---------------------------------------------------------------- GetLogEvents

/** "Each page returned can contain up to 1 MB of log events or up to 10,000 log events" (message bytes + 26 each, as ingestion counts). */
const MAX_PAGE_BYTES = 1_048_576;

/** How many events, from index start stepping by dir up to (not including) end, fit in one page; at least one. */
function fitPage(arr: LogEvent[], start: number, end: number, dir: 1 | -1): number {
  let bytes = 0;
  let n = 0;
  for (let i = start; i !== end; i += dir) {
    bytes += Buffer.byteLength(arr[i]!.message) + 26;
    if (bytes > MAX_PAGE_BYTES && n > 0) break;
    n++;
  }
  return n;
}

/** A position between events: (timestamp, seq). Tokens look like AWS's: f/<56 digits>/s and b/<56 digits>/s. */
type Pos = { ts: number; seq: number };
const ZERO: Pos = { ts: 0, seq: 0 };
const fmt = (dir: "f" | "b", p: Pos) => `${dir}/${String(p.ts).padStart(24, "0")}${String(p.seq).padStart(32, "0")}/s`;

function parseLogToken(t: string): { dir: "f" | "b"; pos: Pos } {
  const m = /^([fb])\/(\d{24})(\d{32})\/s$/.exec(t);
  if (!m) throw LogsErrors.invalidParameter("The specified nextToken is invalid.");
  return { dir: m[1] as "f" | "b", pos: { ts: Number(m[2]), seq: Number(m[3]) } };
}

const after = (e: LogEvent, p: Pos) => e.timestamp > p.ts || (e.timestamp === p.ts && e.seq > p.seq);

/** First index in [lo, hi) whose event satisfies pred (pred monotonic false→true). */
function search(arr: LogEvent[], lo: number, hi: number, pred: (e: LogEvent) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(arr[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function GetLogEvents(ctx: Ctx, input: unknown): GetLogEventsResponse {
  const v = check<{
    logGroupName?: string;
    logGroupIdentifier?: string;
    logStreamName: string;
    startTime?: number;
    endTime?: number;
    nextToken?: string;
    limit?: number;
    startFromHead?: boolean;
    unmask?: boolean;
  }>(
    input,
    groupSpec({
      logStreamName: { ...STREAM_NAME, required: true },
      startTime: { type: "long", min: 0 },
      endTime: { type: "long", min: 0 },
      nextToken: { minLength: 1 },
      limit: { type: "integer", min: 1, max: 10000 },
      startFromHead: { type: "boolean" },
    }),
  );
  const st = state(ctx);
  const grp = findGroup(st, v);
  expireGroup(grp, ctx.now().getTime());
  const mask = v.unmask === true ? undefined : maskerFor(st, grp);
  const s: LogStream = findStream(grp, v.logStreamName);
  const arr = s.events;
  const lo = v.startTime === undefined ? 0 : search(arr, 0, arr.length, (e) => e.timestamp >= v.startTime!);
  const hi = v.endTime === undefined ? arr.length : search(arr, lo, arr.length, (e) => e.timestamp >= v.endTime!);
  const limit = v.limit ?? 10000;
  let from: number;
  let to: number;
  const token = v.nextToken ? parseLogToken(v.nextToken) : undefined;
  if (token?.dir === "f") {
    from = search(arr, lo, hi, (e) => after(e, token.pos));
    to = Math.min(hi, from + limit);
  } else if (token?.dir === "b") {
    to = search(arr, lo, hi, (e) => after(e, token.pos) || (e.timestamp === token.pos.ts && e.seq === token.pos.seq));
    from = Math.max(lo, to - limit);
  } else if (v.startFromHead) {
    from = lo;
    to = Math.min(hi, lo + limit);
  } else {
    to = hi;
    from = Math.max(lo, hi - limit);
  }
  // A page holds at most 1 MB of events: cut from the far end of the direction read.
  if (token?.dir === "b" || (!token && !v.startFromHead)) from = to - fitPage(arr, to - 1, from - 1, -1);
  else to = from + fitPage(arr, from, to, 1);
  const page = arr.slice(from, to);
  if (page.length === 0) {
    const pos = token?.pos ?? ZERO;
    return {
      events: [],
      nextForwardToken: token?.dir === "f" ? v.nextToken : fmt("f", pos),
      nextBackwardToken: token?.dir === "b" ? v.nextToken : fmt("b", pos),
    };
  }
  const first = page[0]!;
  const last = page[page.length - 1]!;
  return {
    events: page.map((e) => ({ timestamp: e.timestamp, message: mask ? mask(e.message) : e.message, ingestionTime: e.ingestionTime })),
    nextForwardToken: fmt("f", { ts: last.timestamp, seq: last.seq }),
    nextBackwardToken: fmt("b", { ts: first.timestamp, seq: first.seq }),
  };
}

// ---------------------------------------------------------------- FilterLogEvents

export function FilterLogEvents(ctx: Ctx, input: unknown): FilterLogEventsResponse {
  const v = check<{
    logGroupName?: string;
    logGroupIdentifier?: string;
    logStreamNames?: string[];
    logStreamNamePrefix?: string;
    startTime?: number;
    endTime?: number;
    filterPattern?: string;
    nextToken?: string;
    limit?: number;
    unmask?: boolean;
  }>(
    input,
    groupSpec({
      logStreamNames: { type: "list", minLength: 1, maxLength: 100, items: { ...STREAM_NAME } },
      logStreamNamePrefix: { ...STREAM_NAME },
      startTime: { type: "long", min: 0 },
      endTime: { type: "long", min: 0 },
      filterPattern: { maxLength: 1024 },
      nextToken: { minLength: 1 },
      limit: { type: "integer", min: 1, max: 10000 },
      interleaved: { type: "boolean" },
    }),
  );
  if (v.logStreamNames && v.logStreamNamePrefix !== undefined) {
    throw LogsErrors.invalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
  }
  const st = state(ctx);
  const g = findGroup(st, v);
  expireGroup(g, ctx.now().getTime());
  const mask = v.unmask === true ? undefined : maskerFor(st, g);
  const match = compileFilterPattern(v.filterPattern);
  let after: Pos = { ts: -1, seq: -1 };
  if (v.nextToken) {
    const t = decodeToken<Pos>(v.nextToken);
    if (!t || typeof t.ts !== "number" || typeof t.seq !== "number") throw LogsErrors.invalidToken();
    after = t;
  }
  const names = v.logStreamNames ? new Set(v.logStreamNames) : undefined;
  // AWS rejects the whole request when any named stream does not exist (percona/rds_exporter halves its
  // batches of RDSOSMetrics streams to find the missing one: "The specified log stream does not exist.").
  if (names) for (const n of names) if (!g.streams.has(n)) throw LogsErrors.streamNotFound();
  const hits: Array<{ stream: string; e: LogEvent }> = [];
  for (const s of g.streams.values()) {
    if (names && !names.has(s.name)) continue;
    if (v.logStreamNamePrefix !== undefined && !s.name.startsWith(v.logStreamNamePrefix)) continue;
    for (const e of s.events) {
      if (v.startTime !== undefined && e.timestamp < v.startTime) continue;
      if (v.endTime !== undefined && e.timestamp > v.endTime) continue;
      if (e.timestamp < after.ts || (e.timestamp === after.ts && e.seq <= after.seq)) continue;
      if (match(e.message)) hits.push({ stream: s.name, e });
    }
  }
  hits.sort((a, b) => a.e.timestamp - b.e.timestamp || a.e.seq - b.e.seq);
  const limit = v.limit ?? 10000;
  const events = hits.slice(0, limit).map((h) => h.e);
  const page = hits.slice(0, fitPage(events, 0, events.length, 1));
  const last = page[page.length - 1];
  return {
    events: page.map(({ stream, e }) => ({
      logStreamName: stream,
      timestamp: e.timestamp,
      message: mask ? mask(e.message) : e.message,
      ingestionTime: e.ingestionTime,
      eventId: `${String(e.timestamp).padStart(20, "0")}${String(e.seq).padStart(36, "0")}`,
    })),
    searchedLogStreams: [],
    // AWS answers a nextToken with every page that has events, the last one too; the request after it answers no
    // events and no token (aws-amplify/aws-sdk-android#2483). Airflow's Glue hook keeps that token to read only
    // newer events on its next poll ("if the response is empty there is no nextToken in it").
    nextToken: last ? encodeToken({ ts: last.e.timestamp, seq: last.e.seq }) : undefined,
  };
}
