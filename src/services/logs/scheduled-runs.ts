/**
 * Scheduled queries that run. awsim evaluates a scheduled query's schedule lazily, against the server
 * clock, whenever it is read (GetScheduledQuery, ListScheduledQueries, GetScheduledQueryHistory) or
 * updated: every trigger time of its scheduleExpression (`rate(N unit)`, AWS's six-field `cron(...)` or
 * standard five-field cron, in its timezone) since the last evaluation, within scheduleStartTime /
 * scheduleEndTime and while ENABLED, becomes a real Logs Insights query (StartQuery's engine; its queryId
 * answers GetQueryResults) over [trigger − startTimeOffset, trigger] (without startTimeOffset: the span
 * since the previous trigger). With an S3 destination, the results are written as a JSON file into the
 * bucket of this server at `<prefix>/<scheduled query name>/<queryId>.json` (AWS stores JSON files under the
 * given prefix; the file name is awsim's). Each run is a TriggerHistoryRecord (newest 1,000 kept).
 */
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import type { AwsError } from "../../protocols/aws-error.js";
import { state } from "./common.js";
import { LogsErrors } from "./errors.js";
import { putObject } from "./exports.js";
import { StartQuery } from "./queries.js";
import type { LogsState, Named } from "./state.js";

export interface TriggerRecord {
  queryId: string;
  executionStatus: "Running" | "InvalidQuery" | "Complete" | "Failed" | "Timeout";
  triggeredTimestamp: number;
  errorMessage?: string;
  destinations?: Array<{ destinationType: "S3"; destinationIdentifier: string; status: string; processedIdentifier?: string; errorMessage?: string }>;
}

const MAX_HISTORY = 1000;
const MINUTE = 60_000;
/** At most this far back is scanned for cron triggers in one evaluation (31 days of minutes). */
const MAX_CRON_SCAN = 31 * 24 * 60;

// ---------------------------------------------------------------- schedules

type FieldSet = Set<number> | "any";

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

function parseField(expr: string, min: number, max: number, names?: string[], nameBase = 0): FieldSet | undefined {
  if (expr === "*" || expr === "?") return "any";
  const out = new Set<number>();
  const val = (s: string) => {
    const i = names?.indexOf(s.toUpperCase()) ?? -1;
    return i >= 0 ? i + nameBase : /^\d+$/.test(s) ? Number(s) : Number.NaN;
  };
  for (const part of expr.split(",")) {
    const [range, stepS] = part.split("/") as [string, string | undefined];
    const step = stepS === undefined ? 1 : Number(stepS);
    if (!Number.isInteger(step) || step < 1) return undefined;
    let lo: number;
    let hi: number;
    if (range === "*") [lo, hi] = [min, max];
    else if (range.includes("-")) [lo, hi] = range.split("-").map(val) as [number, number];
    else {
      lo = val(range);
      hi = stepS === undefined ? lo : max;
    }
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < min || hi > max || lo > hi) return undefined;
    for (let x = lo; x <= hi; x += step) out.add(x);
  }
  return out;
}

interface Cron {
  minute: FieldSet;
  hour: FieldSet;
  dom: FieldSet;
  month: FieldSet;
  /** 0 = Sunday. */
  dow: FieldSet;
  year: FieldSet;
}

/** `cron(m h dom mon dow year)` (AWS: day-of-week 1-7 = SUN-SAT) or a standard five-field cron (0-7). */
function parseCron(expr: string): Cron | undefined {
  const inner = /^cron\((.*)\)$/.exec(expr.trim())?.[1] ?? expr;
  const f = inner.trim().split(/\s+/);
  if (f.length !== 5 && f.length !== 6) return undefined;
  const aws = f.length === 6 || expr.trim().startsWith("cron(");
  const dowRaw = aws ? parseField(f[4]!, 1, 7, DAYS, 1) : parseField(f[4]!, 0, 7, DAYS, 0);
  const dow: FieldSet | undefined = dowRaw === "any" || dowRaw === undefined ? dowRaw : new Set([...dowRaw].map((d) => (aws ? d - 1 : d % 7)));
  const c = {
    minute: parseField(f[0]!, 0, 59),
    hour: parseField(f[1]!, 0, 23),
    dom: parseField(f[2]!, 1, 31),
    month: parseField(f[3]!, 1, 12, MONTHS, 1),
    dow,
    year: f[5] === undefined ? "any" : parseField(f[5], 1970, 2199),
  };
  return Object.values(c).every((x) => x !== undefined) ? (c as Cron) : undefined;
}

function partsIn(ms: number, tz: string): { minute: number; hour: number; dom: number; month: number; dow: number; year: number } {
  if (tz === "UTC") {
    const d = new Date(ms);
    return { minute: d.getUTCMinutes(), hour: d.getUTCHours(), dom: d.getUTCDate(), month: d.getUTCMonth() + 1, dow: d.getUTCDay(), year: d.getUTCFullYear() };
  }
  const p = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      weekday: "short",
    })
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  return {
    minute: Number(p.minute),
    hour: Number(p.hour),
    dom: Number(p.day),
    month: Number(p.month),
    dow: DAYS.indexOf(String(p.weekday).toUpperCase()),
    year: Number(p.year),
  };
}

const inSet = (s: FieldSet, x: number) => s === "any" || s.has(x);

function cronMatches(c: Cron, ms: number, tz: string): boolean {
  const p = partsIn(ms, tz);
  if (!inSet(c.minute, p.minute) || !inSet(c.hour, p.hour) || !inSet(c.month, p.month) || !inSet(c.year, p.year)) return false;
  // Both day fields restricted: either matches (cron's rule); one "any": the other decides.
  if (c.dom !== "any" && c.dow !== "any") return inSet(c.dom, p.dom) || inSet(c.dow, p.dow);
  return inSet(c.dom, p.dom) && inSet(c.dow, p.dow);
}

function validZone(tz: string): string {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return tz;
  } catch {
    return "UTC";
  }
}

/** Trigger times in (after, until], oldest first. */
export function triggersBetween(q: Named, after: number, until: number): number[] {
  const expr = String(q.scheduleExpression ?? "").trim();
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expr);
  const out: number[] = [];
  if (rate) {
    const unit = rate[2]!.startsWith("minute") ? MINUTE : rate[2]!.startsWith("hour") ? 60 * MINUTE : 1440 * MINUTE;
    const period = Number(rate[1]) * unit;
    if (period <= 0) return out;
    const anchor = Math.max(Number(q.creationTime ?? 0), Number(q.scheduleStartTime ?? 0));
    let k = Math.max(1, Math.floor((after - anchor) / period) + 1);
    for (let t = anchor + k * period; t <= until; t = anchor + ++k * period) if (t > after) out.push(t);
    return out;
  }
  const cron = parseCron(expr);
  if (!cron) return out;
  const tz = validZone(String(q.timezone ?? "UTC"));
  let t = (Math.floor(after / MINUTE) + 1) * MINUTE;
  t = Math.max(t, (Math.floor(until / MINUTE) - MAX_CRON_SCAN) * MINUTE);
  for (; t <= until; t += MINUTE) if (cronMatches(cron, t, tz)) out.push(t);
  return out;
}

// ---------------------------------------------------------------- runs

function s3Target(q: Named): { bucket: string; prefix: string; uri: string } | undefined {
  const uri = (q.destinationConfiguration as { s3Configuration?: { destinationIdentifier?: string } } | undefined)?.s3Configuration?.destinationIdentifier;
  const m = uri ? /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri) : null;
  return m ? { bucket: m[1]!, prefix: m[2]!.replace(/\/+$/, ""), uri: uri! } : undefined;
}

/** One run at trigger time t: a real Insights query, its results delivered to S3 when configured. */
async function runOnce(ctx: Ctx, st: LogsState, q: Named, t: number, previous: number | undefined): Promise<TriggerRecord> {
  const at: Ctx = Object.create(ctx, { now: { value: () => new Date(t) } });
  const offset = q.startTimeOffset !== undefined ? Number(q.startTimeOffset) * 1000 : t - (previous ?? Number(q.creationTime ?? t));
  const rec: TriggerRecord = { queryId: "", executionStatus: "Complete", triggeredTimestamp: t };
  try {
    const { queryId } = StartQuery(at, {
      logGroupIdentifiers: (q.logGroupIdentifiers as string[] | undefined) ?? [],
      startTime: Math.floor((t - Math.max(0, offset)) / 1000),
      endTime: Math.floor(t / 1000),
      queryString: String(q.queryString),
      queryLanguage: String(q.queryLanguage ?? "CWLI"),
    });
    rec.queryId = queryId!;
  } catch (e) {
    const err = e as AwsError;
    rec.queryId = `${q.name}-${t}`;
    rec.executionStatus = err.code === "MalformedQueryException" ? "InvalidQuery" : "Failed";
    rec.errorMessage = err.message;
    return rec;
  }
  const target = s3Target(q);
  if (target) {
    const rows = st.queries.get(rec.queryId)?.results ?? [];
    const body = Buffer.from(JSON.stringify(rows.map((r) => Object.fromEntries(r.map((f) => [f.field, f.value])))));
    const key = `${target.prefix ? `${target.prefix}/` : ""}${q.name}/${rec.queryId}.json`;
    const s3 = await ctx.stateOf<{ buckets: Map<string, unknown> }>("s3");
    const code = s3.buckets.has(target.bucket) && st.sim ? await putObject(st, target.bucket, key, body) : 0;
    rec.destinations = [
      code >= 200 && code < 300
        ? { destinationType: "S3", destinationIdentifier: target.uri, status: "COMPLETE", processedIdentifier: `s3://${target.bucket}/${key}` }
        : {
            destinationType: "S3",
            destinationIdentifier: target.uri,
            status: "CLIENT_ERROR",
            errorMessage: `The specified bucket does not exist: ${target.bucket}`,
          },
    ];
  }
  return rec;
}

/** Run every trigger due since the last evaluation (newest MAX_HISTORY at most); then remember now. */
export async function catchUp(ctx: Ctx, st: LogsState, q: Named): Promise<void> {
  const now = ctx.now().getTime();
  const from = Number(q.evaluatedUntil ?? q.creationTime ?? now);
  q.evaluatedUntil = now;
  if (q.state !== "ENABLED" || now <= from) return;
  const start = Math.max(from, Number(q.scheduleStartTime ?? 0) - 1);
  const end = q.scheduleEndTime !== undefined ? Math.min(now, Number(q.scheduleEndTime)) : now;
  const times = triggersBetween(q, start, end).slice(-MAX_HISTORY);
  const history = (q.history as TriggerRecord[] | undefined) ?? [];
  let previous = history.at(-1)?.triggeredTimestamp;
  for (const t of times) {
    history.push(await runOnce(ctx, st, q, t, previous));
    previous = t;
  }
  if (history.length > MAX_HISTORY) history.splice(0, history.length - MAX_HISTORY);
  q.history = history;
  const last = history.at(-1);
  if (last) {
    q.lastTriggeredTime = last.triggeredTimestamp;
    q.lastExecutionStatus = last.executionStatus;
  }
}

export async function catchUpAll(ctx: Ctx): Promise<void> {
  const st = state(ctx);
  for (const q of st.scheduledQueries.values()) await catchUp(ctx, st, q);
}

export async function GetScheduledQueryHistory(
  ctx: Ctx,
  v: { identifier: string; startTime: number; endTime: number; executionStatuses?: string[]; maxResults?: number; nextToken?: string },
) {
  const st = state(ctx);
  const name = String(v.identifier ?? "").replace(/^arn:[^:]+:logs:[^:]*:\d*:scheduled-query:/, "");
  const q = st.scheduledQueries.get(name);
  if (!q) throw LogsErrors.notFound("The specified scheduled query does not exist.");
  if (v.startTime > v.endTime) throw LogsErrors.validation("startTime must be less than or equal to endTime");
  await catchUp(ctx, st, q);
  const statuses = v.executionStatuses?.length ? new Set(v.executionStatuses) : undefined;
  const records = ((q.history as TriggerRecord[] | undefined) ?? [])
    .filter((r) => r.triggeredTimestamp >= v.startTime && r.triggeredTimestamp <= v.endTime && (!statuses || statuses.has(r.executionStatus)))
    .reverse();
  const page = paginate(records, {
    maxResults: v.maxResults,
    nextToken: v.nextToken,
    defaultMax: 50,
    key: (r) => `${String(Number.MAX_SAFE_INTEGER - r.triggeredTimestamp).padStart(16, "0")}:${r.queryId}`,
    invalidToken: LogsErrors.invalidTokenValidation,
  });
  return { name: q.name, scheduledQueryArn: q.arn, triggerHistory: page.items, nextToken: page.nextToken };
}
