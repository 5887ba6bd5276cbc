/**
 * Lookup tables (CSV; fields and record counts from the header and rows), scheduled queries (validated
 * CWLI query; they run on their schedule: scheduled-runs.ts) and OpenSearch integrations (ACTIVE at once;
 * no collection is created).
 */
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import { state } from "./common.js";
import { AwsError } from "../../protocols/aws-error.js";
import { LogsErrors } from "./errors.js";
import { parseQuery } from "./insights/parser.js";
import { catchUp, catchUpAll } from "./scheduled-runs.js";
import type { LogsState, Named } from "./state.js";

const arnOf = (st: LogsState, kind: string, id: string) => `arn:aws:logs:${st.region}:${st.accountId}:${kind}:${id}`;
const exists = (what: string) => new AwsError("ResourceAlreadyExistsException", `The specified ${what} already exists`, 400);

// ---------------------------------------------------------------- lookup tables

function tableStats(body: string) {
  const lines = body.split(/\r?\n/).filter((l) => l !== "");
  if (lines.length === 0) throw LogsErrors.invalidParameter("The table body must contain a header row.");
  return { tableFields: lines[0]!.split(",").map((f) => f.trim()), recordsCount: lines.length - 1, sizeBytes: Buffer.byteLength(body) };
}

function findTable(st: LogsState, arn: unknown): Named {
  const name = String(arn ?? "").replace(/^arn:[^:]+:logs:[^:]*:\d*:lookup-table:/, "");
  const t = st.lookupTables.get(name);
  if (!t) throw LogsErrors.resourceNotFound("The specified lookup table does not exist.");
  return t;
}

function tableOut(t: Named) {
  return {
    lookupTableArn: t.arn,
    lookupTableName: t.name,
    description: t.description as string | undefined,
    tableFields: t.tableFields as string[],
    recordsCount: t.recordsCount as number,
    sizeBytes: t.sizeBytes as number,
    lastUpdatedTime: t.lastUpdatedTime as number,
    kmsKeyId: t.kmsKeyId as string | undefined,
  };
}

export function CreateLookupTable(
  ctx: Ctx,
  v: { lookupTableName: string; tableBody: string; description?: string; kmsKeyId?: string; tags?: Record<string, string> },
) {
  const st = state(ctx);
  if (st.lookupTables.has(v.lookupTableName)) throw exists("lookup table");
  const now = ctx.now().getTime();
  const t: Named = {
    name: v.lookupTableName,
    arn: arnOf(st, "lookup-table", v.lookupTableName),
    tags: new Map(Object.entries(v.tags ?? {})),
    description: v.description,
    kmsKeyId: v.kmsKeyId,
    tableBody: v.tableBody,
    lastUpdatedTime: now,
    ...tableStats(String(v.tableBody ?? "")),
  };
  st.lookupTables.set(t.name, t);
  return { lookupTableArn: t.arn, createdAt: now };
}

export function GetLookupTable(ctx: Ctx, v: { lookupTableArn: string }) {
  const t = findTable(state(ctx), v.lookupTableArn);
  const { tableFields: _f, recordsCount: _r, ...rest } = tableOut(t);
  return { ...rest, tableBody: t.tableBody as string };
}

export function DescribeLookupTables(ctx: Ctx, v: { lookupTableNamePrefix?: string; maxResults?: number; nextToken?: string }) {
  const all = [...state(ctx).lookupTables.values()]
    .filter((t) => v.lookupTableNamePrefix === undefined || t.name.startsWith(v.lookupTableNamePrefix))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const page = paginate(all, { maxResults: v.maxResults, nextToken: v.nextToken, defaultMax: 50, key: (t) => t.name, invalidToken: LogsErrors.invalidToken });
  return { lookupTables: page.items.map(tableOut), nextToken: page.nextToken };
}

export function UpdateLookupTable(ctx: Ctx, v: { lookupTableArn: string; tableBody: string; description?: string; kmsKeyId?: string }) {
  const t = findTable(state(ctx), v.lookupTableArn);
  Object.assign(t, tableStats(String(v.tableBody ?? "")), { tableBody: v.tableBody, lastUpdatedTime: ctx.now().getTime() });
  if (v.description !== undefined) t.description = v.description;
  if (v.kmsKeyId !== undefined) t.kmsKeyId = v.kmsKeyId;
  return { lookupTableArn: t.arn, lastUpdatedTime: t.lastUpdatedTime as number };
}

export function DeleteLookupTable(ctx: Ctx, v: { lookupTableArn: string }) {
  const st = state(ctx);
  st.lookupTables.delete(findTable(st, v.lookupTableArn).name);
  return {};
}

// ---------------------------------------------------------------- scheduled queries

interface ScheduledQueryInput {
  name?: string;
  identifier?: string;
  description?: string;
  queryLanguage: string;
  queryString: string;
  logGroupIdentifiers?: string[];
  scheduleExpression: string;
  timezone?: string;
  startTimeOffset?: number;
  destinationConfiguration?: unknown;
  scheduleStartTime?: number;
  scheduleEndTime?: number;
  executionRoleArn: string;
  state?: string;
  tags?: Record<string, string>;
}

function checkSchedule(v: ScheduledQueryInput) {
  const expr = String(v.scheduleExpression ?? "").trim();
  const bareCron = expr.split(/\s+/).length >= 5 && expr.split(/\s+/).length <= 6 && /^[\d*?/,\-A-Za-z#L W]+$/.test(expr);
  if (!/^(cron\(.+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/.test(expr) && !bareCron) {
    throw LogsErrors.validation(`Invalid schedule expression: ${v.scheduleExpression}`);
  }
  if ((v.queryLanguage ?? "CWLI") === "CWLI") parseQuery(String(v.queryString ?? ""));
}

function findScheduled(st: LogsState, id: unknown): Named {
  const name = String(id ?? "").replace(/^arn:[^:]+:logs:[^:]*:\d*:scheduled-query:/, "");
  const q = st.scheduledQueries.get(name);
  if (!q) throw LogsErrors.notFound("The specified scheduled query does not exist.");
  return q;
}

function scheduledOut(q: Named) {
  const { name, arn, tags: _t, history: _h, evaluatedUntil: _e, ...rest } = q;
  return { ...(rest as Record<string, unknown>), name, scheduledQueryArn: arn };
}

const FIELDS = [
  "description",
  "queryLanguage",
  "queryString",
  "logGroupIdentifiers",
  "scheduleExpression",
  "timezone",
  "startTimeOffset",
  "destinationConfiguration",
  "scheduleStartTime",
  "scheduleEndTime",
  "executionRoleArn",
] as const;

export function CreateScheduledQuery(ctx: Ctx, v: ScheduledQueryInput) {
  const st = state(ctx);
  checkSchedule(v);
  if (st.scheduledQueries.has(String(v.name))) throw LogsErrors.conflict(`A scheduled query named ${v.name} already exists.`);
  const now = ctx.now().getTime();
  const q: Named = { name: String(v.name), arn: arnOf(st, "scheduled-query", String(v.name)), tags: new Map(Object.entries(v.tags ?? {})) };
  for (const f of FIELDS) if (v[f] !== undefined) q[f] = v[f];
  Object.assign(q, { state: v.state ?? "ENABLED", timezone: v.timezone ?? "UTC", creationTime: now, lastUpdatedTime: now });
  st.scheduledQueries.set(q.name, q);
  return { scheduledQueryArn: q.arn, state: q.state as never };
}

export async function GetScheduledQuery(ctx: Ctx, v: { identifier: string }) {
  const st = state(ctx);
  const q = findScheduled(st, v.identifier);
  await catchUp(ctx, st, q);
  return scheduledOut(q);
}

export async function ListScheduledQueries(ctx: Ctx, v: { maxResults?: number; nextToken?: string; state?: string }) {
  await catchUpAll(ctx);
  const all = [...state(ctx).scheduledQueries.values()].filter((q) => v.state === undefined || q.state === v.state).sort((a, b) => (a.name < b.name ? -1 : 1));
  const page = paginate(all, {
    maxResults: v.maxResults,
    nextToken: v.nextToken,
    defaultMax: 50,
    key: (q) => q.name,
    invalidToken: LogsErrors.invalidTokenValidation,
  });
  return {
    scheduledQueries: page.items.map((q) => ({
      scheduledQueryArn: q.arn,
      name: q.name,
      state: q.state as never,
      scheduleExpression: q.scheduleExpression as string,
      timezone: q.timezone as string,
      destinationConfiguration: q.destinationConfiguration as never,
      creationTime: q.creationTime as number,
      lastUpdatedTime: q.lastUpdatedTime as number,
      lastTriggeredTime: q.lastTriggeredTime as number | undefined,
      lastExecutionStatus: q.lastExecutionStatus as never,
    })),
    nextToken: page.nextToken,
  };
}

export async function UpdateScheduledQuery(ctx: Ctx, v: ScheduledQueryInput) {
  const st = state(ctx);
  const q = findScheduled(st, v.identifier);
  checkSchedule(v);
  await catchUp(ctx, st, q);
  for (const f of FIELDS) if (v[f] !== undefined) q[f] = v[f];
  if (v.state !== undefined) q.state = v.state;
  q.lastUpdatedTime = ctx.now().getTime();
  return scheduledOut(q);
}

export function DeleteScheduledQuery(ctx: Ctx, v: { identifier: string }) {
  const st = state(ctx);
  st.scheduledQueries.delete(findScheduled(st, v.identifier).name);
  return {};
}

// ---------------------------------------------------------------- integrations

export function PutIntegration(
  ctx: Ctx,
  v: { integrationName: string; integrationType: string; resourceConfig: { openSearchResourceConfig?: Record<string, unknown> } },
) {
  const st = state(ctx);
  if (st.integrations.has(v.integrationName)) throw LogsErrors.invalidParameter(`An integration named ${v.integrationName} already exists.`);
  if (!v.resourceConfig?.openSearchResourceConfig)
    throw LogsErrors.validation("resourceConfig.openSearchResourceConfig is required for an OPENSEARCH integration.");
  st.integrations.set(v.integrationName, { integrationName: v.integrationName, integrationType: v.integrationType, resourceConfig: v.resourceConfig });
  return { integrationName: v.integrationName, integrationStatus: "ACTIVE" as const };
}

export function GetIntegration(ctx: Ctx, v: { integrationName: string }) {
  const i = state(ctx).integrations.get(String(v.integrationName));
  if (!i) throw LogsErrors.resourceNotFound("The specified integration does not exist.");
  const cfg = (i.resourceConfig as { openSearchResourceConfig: Record<string, unknown> }).openSearchResourceConfig;
  return {
    integrationName: i.integrationName as string,
    integrationType: "OPENSEARCH" as const,
    integrationStatus: "ACTIVE" as const,
    integrationDetails: {
      openSearchIntegrationDetails: {
        dataSource: { dataSourceName: i.integrationName as string, status: { status: "ACTIVE" as const } },
        accessPolicy: { policyName: `${i.integrationName}-access`, status: { status: "ACTIVE" as const } },
        ...(cfg.applicationArn ? { application: { applicationArn: cfg.applicationArn as string, status: { status: "ACTIVE" as const } } } : {}),
      },
    },
  };
}

export function ListIntegrations(ctx: Ctx, v: { integrationNamePrefix?: string; integrationType?: string; integrationStatus?: string }) {
  const all = [...state(ctx).integrations.values()]
    .filter((i) => v.integrationNamePrefix === undefined || String(i.integrationName).startsWith(v.integrationNamePrefix))
    .filter(
      (i) => (v.integrationType === undefined || v.integrationType === "OPENSEARCH") && (v.integrationStatus === undefined || v.integrationStatus === "ACTIVE"),
    );
  return {
    integrationSummaries: all.map((i) => ({
      integrationName: i.integrationName as string,
      integrationType: "OPENSEARCH" as const,
      integrationStatus: "ACTIVE" as const,
    })),
  };
}

export function DeleteIntegration(ctx: Ctx, v: { integrationName: string }) {
  if (!state(ctx).integrations.delete(String(v.integrationName))) throw LogsErrors.resourceNotFound("The specified integration does not exist.");
  return {};
}
