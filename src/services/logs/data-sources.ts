/**
 * Data sources: the categorization of log groups by originating source (name, type and format) that
 * GetLogFields, ListAggregateLogGroupSummaries and ListLogGroups' dataSources filter use. A log group's
 * data source is what AWS documents for custom sources: the log group tags `cw:datasource:name` and
 * `cw:datasource:type`; its format is OCSF when its transformer converts to OCSF (parseToOCSF).
 * Log groups without those tags have no data source (awsim's AWS services vend no logs that AWS
 * would categorize), so they are in no summary and no data source's fields.
 * GetLogFields reports the fields the Insights engine discovers in the events of the data source's log
 * groups (JSON fields with their types, nested objects as struct fields, arrays with their element type).
 */
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import { state } from "./common.js";
import { LogsErrors } from "./errors.js";
import { expireGroup } from "./retention.js";
import type { LogGroup, LogsState } from "./state.js";

export const DATA_SOURCE_NAME_TAG = "cw:datasource:name";
export const DATA_SOURCE_TYPE_TAG = "cw:datasource:type";

export interface DataSourceOf {
  name: string;
  type?: string;
  format?: string;
}

export function dataSourceOf(st: LogsState, g: LogGroup): DataSourceOf | undefined {
  const name = g.tags.get(DATA_SOURCE_NAME_TAG);
  if (!name) return undefined;
  const processors = (st.transformers.get(g.name)?.transformerConfig as Array<Record<string, unknown>> | undefined) ?? [];
  const ocsf = processors.some((p) => p && typeof p === "object" && "parseToOCSF" in p);
  return { name, type: g.tags.get(DATA_SOURCE_TYPE_TAG) || undefined, format: ocsf ? "OCSF" : undefined };
}

/** The dataSources filter of ListLogGroups / ListAggregateLogGroupSummaries: any filter matches (name, and type when given). */
export function matchesDataSources(st: LogsState, g: LogGroup, filters: Array<{ name: string; type?: string }> | undefined): boolean {
  if (!filters?.length) return true;
  const ds = dataSourceOf(st, g);
  if (!ds) return false;
  return filters.some((f) => f.name === ds.name && (f.type === undefined || f.type === ds.type));
}

function namePattern(p: string | undefined): RegExp | undefined {
  if (p === undefined) return undefined;
  try {
    return new RegExp(p);
  } catch {
    throw LogsErrors.invalidParameter(`Invalid logGroupNamePattern: ${p}`);
  }
}

export function ListAggregateLogGroupSummaries(
  ctx: Ctx,
  v: {
    logGroupNamePattern?: string;
    logGroupClass?: string;
    dataSources?: Array<{ name: string; type?: string }>;
    groupBy: "DATA_SOURCE_NAME_TYPE_AND_FORMAT" | "DATA_SOURCE_NAME_AND_TYPE";
    limit?: number;
    nextToken?: string;
  },
) {
  const st = state(ctx);
  const re = namePattern(v.logGroupNamePattern);
  const withFormat = v.groupBy === "DATA_SOURCE_NAME_TYPE_AND_FORMAT";
  const buckets = new Map<string, { ids: Array<{ key: string; value: string }>; count: number }>();
  for (const g of st.groups.values()) {
    if (re && !re.test(g.name)) continue;
    if (v.logGroupClass !== undefined && g.logGroupClass !== v.logGroupClass) continue;
    if (!matchesDataSources(st, g, v.dataSources)) continue;
    const ds = dataSourceOf(st, g);
    if (!ds) continue;
    const ids = [{ key: "dataSource.Name", value: ds.name }];
    if (ds.type !== undefined) ids.push({ key: "dataSource.Type", value: ds.type });
    if (withFormat && ds.format !== undefined) ids.push({ key: "dataSource.Format", value: ds.format });
    const key = JSON.stringify(ids);
    const b = buckets.get(key) ?? { ids, count: 0 };
    b.count++;
    buckets.set(key, b);
  }
  const all = [...buckets.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const page = paginate(all, { maxResults: v.limit, nextToken: v.nextToken, defaultMax: 50, key: ([k]) => k, invalidToken: LogsErrors.invalidToken });
  return {
    aggregateLogGroupSummaries: page.items.map(([, b]) => ({ logGroupCount: b.count, groupingIdentifiers: b.ids })),
    nextToken: page.nextToken,
  };
}

// ---------------------------------------------------------------- GetLogFields

/** A discovered field's type, merged over every event it appears in. */
interface FieldType {
  type: string;
  element?: FieldType;
  fields?: Map<string, FieldType>;
}

function typeOf(v: unknown): FieldType {
  if (v === null || v === undefined) return { type: "string" };
  if (typeof v === "boolean") return { type: "boolean" };
  if (typeof v === "number") return { type: Number.isInteger(v) ? "long" : "double" };
  if (Array.isArray(v)) {
    let element: FieldType | undefined;
    for (const x of v) element = element ? merge(element, typeOf(x)) : typeOf(x);
    return { type: "array", element: element ?? { type: "string" } };
  }
  if (typeof v === "object") {
    const fields = new Map<string, FieldType>();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) fields.set(k, typeOf(x));
    return { type: "struct", fields };
  }
  return { type: "string" };
}

function merge(a: FieldType, b: FieldType): FieldType {
  if (a.type === b.type) {
    if (a.type === "struct") {
      const fields = new Map(a.fields);
      for (const [k, t] of b.fields ?? []) fields.set(k, fields.has(k) ? merge(fields.get(k)!, t) : t);
      return { type: "struct", fields };
    }
    if (a.type === "array") return { type: "array", element: merge(a.element!, b.element!) };
    return a;
  }
  if ((a.type === "long" && b.type === "double") || (a.type === "double" && b.type === "long")) return { type: "double" };
  return { type: "string" };
}

function render(t: FieldType): Record<string, unknown> {
  return {
    type: t.type,
    element: t.element ? render(t.element) : undefined,
    fields: t.fields ? [...t.fields.entries()].map(([k, x]) => ({ logFieldName: k, logFieldType: render(x) })) : undefined,
  };
}

/** Events read per log group to discover fields (the newest ones), as GetLogGroupFields samples. */
const SAMPLE = 1000;

export function GetLogFields(ctx: Ctx, v: { dataSourceName: string; dataSourceType: string }) {
  const st = state(ctx);
  const groups = [...st.groups.values()].filter((g) => {
    const ds = dataSourceOf(st, g);
    return ds && ds.name === v.dataSourceName && ds.type === v.dataSourceType;
  });
  if (!groups.length) throw LogsErrors.resourceNotFound();
  const fields = new Map<string, FieldType>([
    ["@timestamp", { type: "timestamp" }],
    ["@message", { type: "string" }],
    ["@logStream", { type: "string" }],
    ["@log", { type: "string" }],
    ["@ingestionTime", { type: "timestamp" }],
  ]);
  const now = ctx.now().getTime();
  for (const g of groups) {
    expireGroup(g, now);
    for (const s of g.streams.values()) {
      for (const e of s.events.slice(-SAMPLE)) {
        const t = e.message.trimStart();
        if (!t.startsWith("{")) continue;
        let doc: unknown;
        try {
          doc = JSON.parse(e.message);
        } catch {
          continue;
        }
        if (!doc || typeof doc !== "object" || Array.isArray(doc)) continue;
        for (const [k, x] of Object.entries(doc as Record<string, unknown>)) {
          const ft = typeOf(x);
          fields.set(k, fields.has(k) ? merge(fields.get(k)!, ft) : ft);
        }
      }
    }
  }
  return { logFields: [...fields.entries()].map(([k, t]) => ({ logFieldName: k, logFieldType: render(t) })) };
}
