/**
 * Logs Insights: StartQuery runs the query (parser.ts / engine.ts) over the named groups and time range
 * (epoch seconds, both ends inclusive) when it is started; GetQueryResults reports Scheduled → Running →
 * Complete, each step taking config.transitionDelayMs (0: Complete at once), with the results and
 * statistics. StopQuery cancels a query that has not finished. Query definitions are stored and listed.
 * GetLogRecord resolves the @ptr of a result row; GetLogGroupFields reports the discovered fields.
 */
import { callerArn } from "../core/arn.js";
import { randomUUID } from "node:crypto";
import type {
  DescribeQueriesResponse,
  DescribeQueryDefinitionsResponse,
  GetLogGroupFieldsResponse,
  GetLogRecordResponse,
  GetQueryResultsResponse,
  QueryStatus,
  StartQueryResponse,
} from "@aws-sdk/client-cloudwatch-logs";
import { AwsError } from "../../protocols/aws-error.js";
import { decodeToken, encodeToken, paginate } from "../core/paginate.js";
import type { Ctx } from "../core/types.js";
import { findGroup, state } from "./common.js";
import { LogsErrors } from "./errors.js";
import { eventRow, RAW_MESSAGE, render, runQuery, type Row } from "./insights/engine.js";
import { parseQuery } from "./insights/parser.js";
import { maskerFor } from "./policies.js";
import { expireGroup } from "./retention.js";
import type { LogGroup, LogsState, QueryRec } from "./state.js";

const MAX_CONCURRENT = 30;

function groupName(id: string): string {
  return id.startsWith("arn:") ? id.replace(/^arn:[^:]+:logs:[^:]*:\d*:log-group:/, "").replace(/:\*$/, "") : id;
}

function queryStatus(ctx: Ctx, q: QueryRec): QueryStatus {
  if (q.cancelled) return "Cancelled";
  const d = ctx.config.transitionDelayMs;
  if (!d) return "Complete";
  const elapsed = ctx.now().getTime() - q.createTime;
  return elapsed < d ? "Scheduled" : elapsed < 2 * d ? "Running" : "Complete";
}

/** A pointer to one event, as @ptr: opaque to clients, resolved by GetLogRecord. */
function pointer(group: string, stream: string, seq: number): string {
  return Buffer.from(JSON.stringify([group, stream, seq])).toString("base64url");
}

interface StartQueryInput {
  logGroupName?: string;
  logGroupNames?: string[];
  logGroupIdentifiers?: string[];
  startTime: number;
  endTime: number;
  queryString: string;
  limit?: number;
  queryLanguage?: string;
}

function resolveGroups(st: LogsState, v: StartQueryInput): LogGroup[] {
  const given = [v.logGroupName !== undefined, v.logGroupNames !== undefined, v.logGroupIdentifiers !== undefined].filter(Boolean).length;
  if (given === 0) throw LogsErrors.invalidParameter("Either logGroupName, logGroupNames or logGroupIdentifiers must be specified");
  if (given > 1) throw LogsErrors.invalidParameter("Only one of logGroupName, logGroupNames or logGroupIdentifiers can be specified");
  const ids = v.logGroupName !== undefined ? [v.logGroupName] : (v.logGroupNames ?? v.logGroupIdentifiers ?? []);
  if (ids.length > 50) throw LogsErrors.invalidParameter("The maximum number of log groups that can be queried is 50");
  return ids.map((id) => {
    if (String(id).startsWith("arn:") && String(id).endsWith("*"))
      throw LogsErrors.invalidParameter("A log group ARN in logGroupIdentifiers can't end with an asterisk (*).");
    const g = st.groups.get(groupName(String(id)));
    // AWS passes on the message of its internal call, that call's request id included (recorded).
    if (!g)
      throw LogsErrors.resourceNotFound(
        `Log group '${groupName(String(id))}' does not exist for account ID '${st.accountId}' (Service: AWSLogs; Status Code: 400; Error Code: ResourceNotFoundException; Request ID: ${randomUUID()}; Proxy: null)`,
      );
    return g;
  });
}

export function StartQuery(ctx: Ctx, v: StartQueryInput): StartQueryResponse {
  const st = state(ctx);
  if ((v.queryLanguage ?? "CWLI") !== "CWLI") throw LogsErrors.invalidParameter(`Query language ${v.queryLanguage} is not supported by awsim`);
  const groups = resolveGroups(st, v);
  const delivery = groups.find((g) => g.logGroupClass === "DELIVERY");
  if (delivery) throw LogsErrors.invalidParameter(`Log group ${delivery.name} is in the DELIVERY log class, which does not support Logs Insights queries.`);
  if (typeof v.startTime !== "number" || typeof v.endTime !== "number") throw LogsErrors.invalidParameter("startTime and endTime are required");
  if (v.endTime < v.startTime) throw LogsErrors.invalidParameter("End time should not be before the start time");
  const cmds = parseQuery(String(v.queryString ?? ""));
  const running = [...st.queries.values()].filter((q) => {
    const s = queryStatus(ctx, q);
    return s === "Scheduled" || s === "Running";
  }).length;
  if (running >= MAX_CONCURRENT) throw LogsErrors.limitExceeded(`Account maximum query concurrency limit of [${MAX_CONCURRENT}] reached.`);
  const now = ctx.now().getTime();
  const [from, to] = queryWindow(v.startTime, v.endTime);
  checkWindow(groups, to, now);
  const started = performance.now();
  const rows: Row[] = [];
  let bytes = 0;
  for (const g of groups) {
    expireGroup(g, now);
    // Data protection applies to query results too; the unmask() function reveals the original.
    const mask = maskerFor(st, g);
    for (const s of g.streams.values()) {
      for (const e of s.events) {
        if (e.timestamp < from || e.timestamp > to) continue;
        bytes += Buffer.byteLength(e.message);
        const message = mask ? mask(e.message) : e.message;
        const row = eventRow(
          { group: g.name, stream: s.name, timestamp: e.timestamp, ingestionTime: e.ingestionTime, message, ptr: pointer(g.name, s.name, e.seq) },
          st.accountId,
        );
        if (message !== e.message) row[RAW_MESSAGE] = e.message;
        rows.push(row);
      }
    }
  }
  // Newest first, as Logs Insights scans.
  rows.sort((a, b) => (b["@timestamp"] as { ms: number }).ms - (a["@timestamp"] as { ms: number }).ms);
  const scanned = rows.length;
  const out = runQuery(cmds, rows, v.limit ?? 10000);
  const ran = Math.max(1, Math.round(performance.now() - started));
  const queryId = randomUUID();
  pruneQueries(st, now);
  st.queries.set(queryId, {
    queryId,
    // DescribeQueries shows a one-group query as AWS rewrote it (recorded): the source and the time range in ms first.
    queryString: v.logGroupName !== undefined ? `SOURCE "${groups[0]!.name}" START=${from} END=${to} | ${v.queryString}` : v.queryString,
    logGroupNames: groups.map((g) => g.name),
    createTime: now,
    results: out.rows,
    statistics: {
      recordsMatched: out.recordsMatched,
      recordsScanned: scanned,
      bytesScanned: bytes,
      logGroupsScanned: groups.length,
      estimatedRecordsSkipped: 0,
      estimatedBytesSkipped: 0,
    },
    queryLanguage: "CWLI",
    durationMs: ctx.config.transitionDelayMs || ran,
    userIdentity: callerArn(ctx, st.accountId, true),
    encryptionKey: st.queryResultKmsKeyId,
  });
  return { queryId };
}

/**
 * The time range in ms, both ends inclusive. The API reference documents epoch seconds, but AWS's own
 * code examples (javascriptv3 and python cloudwatch-logs large-query, whose recorded run finds logs)
 * send epoch milliseconds and get the logs of that range: a value too large to be a second count of a
 * four-digit year (after 9999-12-31T23:59:59Z) is read as milliseconds.
 */
function queryWindow(startTime: number, endTime: number): [number, number] {
  const ms = (t: number) => t > MAX_EPOCH_SECONDS;
  return [ms(startTime) ? startTime : startTime * 1000, ms(endTime) ? endTime : endTime * 1000 + 999];
}
const MAX_EPOCH_SECONDS = 253_402_300_799;

/**
 * A range that ends before any queried group existed, or before what retention keeps, is refused with
 * AWS's MalformedQueryException (the large-query examples test the message's prefix "Query's end date and time").
 */
function checkWindow(groups: LogGroup[], to: number, now: number): void {
  const outside = (g: LogGroup) => to < g.creationTime || (g.retentionInDays !== undefined && to < now - g.retentionInDays * 86_400_000);
  if (groups.length > 0 && groups.every(outside))
    throw new AwsError(
      "MalformedQueryException",
      "Query's end date and time is either before the log groups creation time or exceeds the log groups log retention settings",
      400,
    );
}

/** Results are kept 7 days, as AWS's; memory stays bounded at the newest 1,000 queries. */
function pruneQueries(st: LogsState, now: number): void {
  for (const [id, q] of st.queries) if (now - q.createTime > 7 * 86_400_000) st.queries.delete(id);
  const excess = st.queries.size - 999;
  if (excess > 0) for (const id of [...st.queries.keys()].slice(0, excess)) st.queries.delete(id);
}

function findQuery(ctx: Ctx, id: unknown): QueryRec {
  const q = state(ctx).queries.get(String(id));
  if (!q) throw LogsErrors.resourceNotFound("Query does not exist.");
  return q;
}

export function GetQueryResults(ctx: Ctx, v: { queryId: string; maxItems?: number; nextToken?: string }): GetQueryResultsResponse {
  const q = findQuery(ctx, v.queryId);
  const status = queryStatus(ctx, q);
  q.seen = true;
  const done = status === "Complete";
  const zero = { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0, logGroupsScanned: 0, estimatedRecordsSkipped: 0, estimatedBytesSkipped: 0 };
  if (!done) return { queryLanguage: "CWLI", results: [], statistics: zero, status, encryptionKey: q.encryptionKey };
  let start = 0;
  if (v.nextToken !== undefined) {
    const t = decodeToken<{ q: string; i: number }>(v.nextToken);
    if (!t || t.q !== q.queryId || typeof t.i !== "number" || t.i < 0) throw LogsErrors.invalidToken();
    start = t.i;
  }
  const size = v.maxItems ? v.maxItems : q.results.length;
  const end = start + size;
  return {
    queryLanguage: "CWLI",
    results: q.results.slice(start, end),
    statistics: q.statistics,
    status,
    encryptionKey: q.encryptionKey,
    nextToken: end < q.results.length ? encodeToken({ q: q.queryId, i: end }) : undefined,
  };
}

export function StopQuery(ctx: Ctx, v: { queryId: string }) {
  const q = findQuery(ctx, v.queryId);
  const s = queryStatus(ctx, q);
  // Without a transition delay a query completes at once, but until its status has been read it counts as
  // still running: on AWS a query runs for a while, and a StopQuery sent right after StartQuery cancels it
  // (aws-sdk-pandas' test_query_cancelled retries StartQuery + StopQuery until one does).
  const unseen = s === "Complete" && !ctx.config.transitionDelayMs && !q.seen;
  // "If the query has already ended, the operation returns an error" (API reference); clients match this text.
  if (s !== "Scheduled" && s !== "Running" && !unseen) throw LogsErrors.invalidParameter("Query is not in Running or Scheduled state");
  q.cancelled = true;
  q.results = [];
  return { success: true };
}

export function DescribeQueries(
  ctx: Ctx,
  v: { logGroupName?: string; status?: string; maxResults?: number; nextToken?: string; queryLanguage?: string },
): DescribeQueriesResponse {
  const st = state(ctx);
  if (v.logGroupName !== undefined) findGroup(st, { logGroupName: v.logGroupName });
  const all = [...st.queries.values()]
    .map((q) => ({ q, status: queryStatus(ctx, q) }))
    .filter(({ q, status }) => (v.logGroupName === undefined || q.logGroupNames.includes(v.logGroupName)) && (v.status === undefined || status === v.status))
    .filter(({ q }) => v.queryLanguage === undefined || q.queryLanguage === v.queryLanguage)
    .sort((a, b) => b.q.createTime - a.q.createTime || (a.q.queryId < b.q.queryId ? -1 : 1));
  const page = paginate(all, {
    maxResults: v.maxResults,
    nextToken: v.nextToken,
    defaultMax: 1000,
    key: (x) => `${String(1e15 - x.q.createTime).padStart(16, "0")}/${x.q.queryId}`,
    invalidToken: LogsErrors.invalidToken,
  });
  for (const { q } of page.items) q.seen = true;
  return {
    queries: page.items.map(({ q, status }) => ({
      queryId: q.queryId,
      queryString: q.queryString,
      status,
      createTime: q.createTime,
      logGroupName: q.logGroupNames[0],
      queryLanguage: "CWLI",
      // The run's statistics (bytes scanned, duration, who ran it; the API reference's example shows all three) are absent
      // when nothing was scanned: recorded for a Complete query over an empty group, which carried none of them.
      ...(status === "Complete" && q.statistics.bytesScanned > 0
        ? { bytesScanned: q.statistics.bytesScanned, queryDuration: q.durationMs, userIdentity: q.userIdentity }
        : {}),
    })),
    nextToken: page.nextToken,
  };
}

// ---------------------------------------------------------------- query definitions

const MAX_DEFINITIONS = 1000;

export function PutQueryDefinition(
  ctx: Ctx,
  v: { name: string; queryDefinitionId?: string; logGroupNames?: string[]; queryString: string; parameters?: unknown[]; queryLanguage?: string },
) {
  const st = state(ctx);
  parseQueryIfCwli(v.queryString, v.queryLanguage);
  let id = v.queryDefinitionId;
  if (id !== undefined) {
    if (!st.queryDefinitions.has(id)) throw LogsErrors.resourceNotFound("Query definition does not exist.");
  } else {
    if (st.queryDefinitions.size >= MAX_DEFINITIONS) throw LogsErrors.limitExceeded("Resource limit exceeded.");
    id = randomUUID();
  }
  st.queryDefinitions.set(id, {
    queryDefinitionId: id,
    name: v.name,
    queryString: v.queryString,
    logGroupNames: v.logGroupNames,
    parameters: v.parameters,
    queryLanguage: v.queryLanguage ?? "CWLI",
    lastModified: ctx.now().getTime(),
  });
  return { queryDefinitionId: id };
}

/** A saved query that does not compile: PutQueryDefinition declares InvalidParameterException, not StartQuery's MalformedQueryException. */
function parseQueryIfCwli(q: string, lang?: string) {
  if ((lang ?? "CWLI") !== "CWLI") return;
  try {
    parseQuery(String(q ?? ""));
  } catch (e) {
    if (e instanceof AwsError && e.code === "MalformedQueryException") throw LogsErrors.invalidParameter(e.message);
    throw e;
  }
}

export function DescribeQueryDefinitions(
  ctx: Ctx,
  v: { queryDefinitionNamePrefix?: string; maxResults?: number; nextToken?: string; queryLanguage?: string },
): DescribeQueryDefinitionsResponse {
  const all = [...state(ctx).queryDefinitions.values()]
    .filter((d) => v.queryDefinitionNamePrefix === undefined || d.name.startsWith(v.queryDefinitionNamePrefix))
    .filter((d) => v.queryLanguage === undefined || d.queryLanguage === v.queryLanguage)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.queryDefinitionId < b.queryDefinitionId ? -1 : 1));
  const page = paginate(all, {
    maxResults: v.maxResults,
    nextToken: v.nextToken,
    defaultMax: 1000,
    key: (d) => `${d.name}\u0000${d.queryDefinitionId}`,
    invalidToken: LogsErrors.invalidToken,
  });
  return {
    queryDefinitions: page.items.map((d) => ({
      queryDefinitionId: d.queryDefinitionId,
      name: d.name,
      queryString: d.queryString,
      logGroupNames: d.logGroupNames,
      parameters: d.parameters as never,
      queryLanguage: d.queryLanguage as never,
      lastModified: d.lastModified,
    })),
    nextToken: page.nextToken,
  };
}

export function DeleteQueryDefinition(ctx: Ctx, v: { queryDefinitionId: string }) {
  const st = state(ctx);
  if (!st.queryDefinitions.delete(String(v.queryDefinitionId))) throw LogsErrors.resourceNotFound("Query definition does not exist.");
  return { success: true };
}

// ---------------------------------------------------------------- records and fields

export function GetLogRecord(ctx: Ctx, v: { logRecordPointer: string; unmask?: boolean }): GetLogRecordResponse {
  const st = state(ctx);
  let ref: unknown;
  try {
    ref = JSON.parse(Buffer.from(String(v.logRecordPointer), "base64url").toString("utf8"));
  } catch {
    ref = undefined;
  }
  if (!Array.isArray(ref) || ref.length !== 3) throw LogsErrors.invalidParameter("The specified log record pointer is invalid.");
  const [group, stream, seq] = ref as [string, string, number];
  const g = st.groups.get(group);
  const s = g?.streams.get(stream);
  const e = s?.events.find((x) => x.seq === seq);
  if (!g || !s || !e) throw LogsErrors.resourceNotFound("The specified log record does not exist.");
  const mask = v.unmask === true ? undefined : maskerFor(st, g);
  const row = eventRow(
    { group, stream, timestamp: e.timestamp, ingestionTime: e.ingestionTime, message: mask ? mask(e.message) : e.message, ptr: String(v.logRecordPointer) },
    st.accountId,
  );
  const logRecord: Record<string, string> = {};
  for (const [k, val] of Object.entries(row)) {
    const r = k === "@timestamp" || k === "@ingestionTime" ? String((val as { ms: number }).ms) : render(val);
    if (r !== undefined && k !== "@ptr") logRecord[k] = r;
  }
  logRecord["@logStream"] = stream;
  return { logRecord };
}

export function GetLogGroupFields(ctx: Ctx, v: { logGroupName?: string; logGroupIdentifier?: string; time?: number }): GetLogGroupFieldsResponse {
  const st = state(ctx);
  const g = findGroup(st, v);
  expireGroup(g, ctx.now().getTime());
  const counts = new Map<string, number>();
  let total = 0;
  for (const s of g.streams.values()) {
    for (const e of s.events.slice(-1000)) {
      total++;
      const row = eventRow(
        { group: g.name, stream: s.name, timestamp: e.timestamp, ingestionTime: e.ingestionTime, message: e.message, ptr: "" },
        st.accountId,
      );
      for (const k of Object.keys(row)) if (k !== "@ptr" && k !== "@log") counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  return {
    logGroupFields: [...counts.entries()].map(([name, n]) => ({ name, percent: Math.round((n / Math.max(1, total)) * 100) })),
  };
}
