/**
 * ListLogGroups (name regex pattern, class, tag filters; up to 1,000 per page), ListLogGroupsForQuery,
 * and field index policies (per log group; DescribeIndexPolicies also lists the account-level
 * FIELD_INDEX_POLICY, as AWS does).
 */
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import { state } from "./common.js";
import { matchesDataSources } from "./data-sources.js";
import { LogsErrors } from "./errors.js";
import { eventRow } from "./insights/engine.js";
import { groupByIdentifier } from "./policies.js";
import { groupArn } from "./state.js";

export function ListLogGroups(
  ctx: Ctx,
  v: {
    logGroupNamePattern?: string;
    logGroupClass?: string;
    logGroupTags?: Array<{ key: string; values?: string[] }>;
    dataSources?: Array<{ name: string; type?: string }>;
    limit?: number;
    nextToken?: string;
  },
) {
  const st = state(ctx);
  let re: RegExp | undefined;
  if (v.logGroupNamePattern !== undefined) {
    try {
      re = new RegExp(v.logGroupNamePattern);
    } catch {
      throw LogsErrors.invalidParameter(`Invalid logGroupNamePattern: ${v.logGroupNamePattern}`);
    }
  }
  const all = [...st.groups.values()]
    .filter((g) => (re === undefined || re.test(g.name)) && (v.logGroupClass === undefined || g.logGroupClass === v.logGroupClass))
    .filter((g) => (v.logGroupTags ?? []).every((t) => g.tags.has(t.key) && (!t.values?.length || t.values.includes(g.tags.get(t.key)!))))
    .filter((g) => matchesDataSources(st, g, v.dataSources))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const page = paginate(all, { maxResults: v.limit, nextToken: v.nextToken, defaultMax: 50, key: (g) => g.name, invalidToken: LogsErrors.invalidToken });
  return {
    logGroups: page.items.map((g) => ({ logGroupName: g.name, logGroupArn: groupArn(st, g.name), logGroupClass: g.logGroupClass as never })),
    nextToken: page.nextToken,
  };
}

export function ListLogGroupsForQuery(ctx: Ctx, v: { queryId: string; maxResults?: number; nextToken?: string }) {
  const st = state(ctx);
  const q = st.queries.get(String(v.queryId));
  if (!q) throw LogsErrors.resourceNotFound("Query does not exist.");
  const arns = q.logGroupNames.map((n) => groupArn(st, n));
  const page = paginate(arns, { maxResults: v.maxResults, nextToken: v.nextToken, defaultMax: 50, key: (a) => a, invalidToken: LogsErrors.invalidToken });
  return { logGroupIdentifiers: page.items, nextToken: page.nextToken };
}

// ---------------------------------------------------------------- field index policies

export function PutIndexPolicy(ctx: Ctx, v: { logGroupIdentifier: string; policyDocument: string }) {
  const st = state(ctx);
  const g = groupByIdentifier(st, v.logGroupIdentifier);
  let doc: { Fields?: unknown };
  try {
    doc = JSON.parse(String(v.policyDocument));
  } catch {
    throw LogsErrors.invalidParameter("Invalid policy document: the policy document must be valid JSON.");
  }
  if (!Array.isArray(doc.Fields)) throw LogsErrors.invalidParameter("A field index policy must contain a Fields list.");
  const policy = {
    logGroupIdentifier: groupArn(st, g.name),
    policyDocument: v.policyDocument,
    lastUpdateTime: ctx.now().getTime(),
    policyName: "Default",
    source: "LOG_GROUP",
  };
  st.indexPolicies.set(g.name, policy);
  return { indexPolicy: policy };
}

export function DescribeIndexPolicies(ctx: Ctx, v: { logGroupIdentifiers: string[]; nextToken?: string }) {
  const st = state(ctx);
  const out: Array<Record<string, unknown>> = [];
  for (const id of Array.isArray(v.logGroupIdentifiers) ? v.logGroupIdentifiers : []) {
    const g = groupByIdentifier(st, id);
    const own = st.indexPolicies.get(g.name);
    if (own) out.push(own);
    else {
      for (const p of st.accountPolicies.get("FIELD_INDEX_POLICY")?.values() ?? []) {
        out.push({
          logGroupIdentifier: groupArn(st, g.name),
          policyDocument: p.policyDocument,
          lastUpdateTime: p.lastUpdatedTime,
          policyName: p.policyName,
          source: "ACCOUNT",
        });
      }
    }
  }
  if (v.nextToken !== undefined) throw LogsErrors.invalidToken();
  return { indexPolicies: out };
}

export function DeleteIndexPolicy(ctx: Ctx, v: { logGroupIdentifier: string }) {
  const st = state(ctx);
  const g = groupByIdentifier(st, v.logGroupIdentifier);
  if (!st.indexPolicies.delete(g.name)) throw LogsErrors.resourceNotFound("The specified index policy does not exist.");
  return {};
}

/** The fields a group indexes (its own policy, else the account's) with the time range of events carrying each. */
export function DescribeFieldIndexes(ctx: Ctx, v: { logGroupIdentifiers: string[]; nextToken?: string }) {
  const st = state(ctx);
  const out: Array<Record<string, unknown>> = [];
  for (const id of Array.isArray(v.logGroupIdentifiers) ? v.logGroupIdentifiers : []) {
    const g = groupByIdentifier(st, id);
    const docs = st.indexPolicies.has(g.name)
      ? [st.indexPolicies.get(g.name)!.policyDocument]
      : [...(st.accountPolicies.get("FIELD_INDEX_POLICY")?.values() ?? [])].map((p) => p.policyDocument);
    const fields = new Set<string>();
    for (const d of docs) {
      try {
        for (const f of (JSON.parse(String(d)) as { Fields?: unknown[] }).Fields ?? []) if (typeof f === "string") fields.add(f);
      } catch {
        // stored documents are valid JSON
      }
    }
    for (const field of fields) {
      let first: number | undefined;
      let last: number | undefined;
      for (const s of g.streams.values()) {
        for (const e of s.events) {
          if (!e.message.includes(`"${field.split(".").pop()}"`)) continue;
          const row = eventRow(
            { group: g.name, stream: s.name, timestamp: e.timestamp, ingestionTime: e.ingestionTime, message: e.message, ptr: "" },
            st.accountId,
          );
          if (row[field] === undefined) continue;
          first = first === undefined ? e.timestamp : Math.min(first, e.timestamp);
          last = last === undefined ? e.timestamp : Math.max(last, e.timestamp);
        }
      }
      out.push({
        logGroupIdentifier: groupArn(st, g.name),
        fieldIndexName: field,
        lastScanTime: ctx.now().getTime(),
        firstEventTime: first,
        lastEventTime: last,
        type: "FIELD_INDEX",
      });
    }
  }
  if (v.nextToken !== undefined) throw LogsErrors.invalidToken();
  return { fieldIndexes: out };
}
