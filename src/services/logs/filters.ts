/** Metric and subscription filters: stored and returned; TestMetricFilter runs the real pattern matcher. */
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import { check, findGroup, GROUP_NAME, state } from "./common.js";
import { LogsErrors } from "./errors.js";
import { compileFilterPattern, splitFields } from "./filter-pattern.js";

const FILTER_NAME = { minLength: 1, maxLength: 512, pattern: /^[^:*]*$/ } as const;

export function PutMetricFilter(ctx: Ctx, input: unknown) {
  const v = check<{ logGroupName: string; filterName: string; filterPattern: string; metricTransformations: unknown[] }>(input, {
    logGroupName: { ...GROUP_NAME, required: true },
    filterName: { ...FILTER_NAME, required: true },
    filterPattern: { required: true, maxLength: 1024 },
    metricTransformations: { type: "list", required: true, minLength: 1, maxLength: 1 },
  });
  compileFilterPattern(v.filterPattern);
  const g = findGroup(state(ctx), v);
  g.metricFilters.set(v.filterName, { ...v, creationTime: ctx.now().getTime() });
  return {};
}

export function DescribeMetricFilters(ctx: Ctx, input: unknown) {
  const v = check<{ logGroupName?: string; filterNamePrefix?: string; nextToken?: string; limit?: number; metricName?: string; metricNamespace?: string }>(
    input,
    {
      logGroupName: { ...GROUP_NAME },
      filterNamePrefix: { ...FILTER_NAME },
      nextToken: { minLength: 1 },
      limit: { type: "integer", min: 1, max: 50 },
    },
  );
  const st = state(ctx);
  const groups = v.logGroupName !== undefined ? [findGroup(st, v)] : [...st.groups.values()];
  const all = groups
    .flatMap((g) => [...g.metricFilters.values()])
    .filter((f) => v.filterNamePrefix === undefined || f.filterName.startsWith(v.filterNamePrefix))
    .filter(
      (f) =>
        v.metricName === undefined ||
        (f.metricTransformations as Array<{ metricName?: string; metricNamespace?: string }>).some((t) => t.metricName === v.metricName),
    )
    .filter(
      (f) =>
        v.metricNamespace === undefined ||
        (f.metricTransformations as Array<{ metricNamespace?: string }>).some((t) => t.metricNamespace === v.metricNamespace),
    )
    .sort((a, b) => (a.logGroupName + a.filterName < b.logGroupName + b.filterName ? -1 : 1));
  const page = paginate(all, {
    maxResults: v.limit,
    nextToken: v.nextToken,
    defaultMax: 50,
    key: (f) => f.logGroupName + "\u0000" + f.filterName,
    invalidToken: LogsErrors.invalidToken,
  });
  return { metricFilters: page.items, nextToken: page.nextToken };
}

export function DeleteMetricFilter(ctx: Ctx, input: unknown) {
  const v = check<{ logGroupName: string; filterName: string }>(input, {
    logGroupName: { ...GROUP_NAME, required: true },
    filterName: { ...FILTER_NAME, required: true },
  });
  const g = findGroup(state(ctx), v);
  if (!g.metricFilters.delete(v.filterName)) throw LogsErrors.resourceNotFound("The specified metric filter does not exist.");
  return {};
}

export function TestMetricFilter(_ctx: Ctx, input: unknown) {
  const v = check<{ filterPattern: string; logEventMessages: string[] }>(input, {
    filterPattern: { required: true, maxLength: 1024 },
    logEventMessages: { type: "list", required: true, minLength: 1, maxLength: 50 },
  });
  const match = compileFilterPattern(v.filterPattern);
  const delimited = v.filterPattern.trim().startsWith("[");
  const names = delimited
    ? v.filterPattern
        .trim()
        .slice(1, -1)
        .split(",")
        .map((f) => f.trim().split(/\s|=|!|<|>/)[0]!)
    : [];
  const matches = v.logEventMessages.flatMap((m, i) => {
    if (!match(m)) return [];
    const extractedValues: Record<string, string> = {};
    if (delimited && !names.includes("...")) splitFields(m).forEach((f, j) => names[j] && (extractedValues[`$${names[j]}`] = f));
    return [{ eventNumber: i + 1, eventMessage: m, extractedValues }];
  });
  return { matches };
}

export function PutSubscriptionFilter(ctx: Ctx, input: unknown) {
  const v = check<{ logGroupName: string; filterName: string; filterPattern: string; destinationArn: string; roleArn?: string; distribution?: string }>(input, {
    logGroupName: { ...GROUP_NAME, required: true },
    filterName: { ...FILTER_NAME, required: true },
    filterPattern: { required: true, maxLength: 1024 },
    destinationArn: { required: true, minLength: 1 },
    distribution: { enum: ["Random", "ByLogStream"] },
  });
  compileFilterPattern(v.filterPattern);
  const g = findGroup(state(ctx), v);
  if (!g.subscriptionFilters.has(v.filterName) && g.subscriptionFilters.size >= 2) {
    throw LogsErrors.limitExceeded("Resource limit exceeded.");
  }
  g.subscriptionFilters.set(v.filterName, { ...v, distribution: v.distribution ?? "ByLogStream", creationTime: ctx.now().getTime() });
  return {};
}

export function DescribeSubscriptionFilters(ctx: Ctx, input: unknown) {
  const v = check<{ logGroupName: string; filterNamePrefix?: string; nextToken?: string; limit?: number }>(input, {
    logGroupName: { ...GROUP_NAME, required: true },
    filterNamePrefix: { ...FILTER_NAME },
    nextToken: { minLength: 1 },
    limit: { type: "integer", min: 1, max: 50 },
  });
  const g = findGroup(state(ctx), v);
  const all = [...g.subscriptionFilters.values()].filter((f) => v.filterNamePrefix === undefined || String(f.filterName).startsWith(v.filterNamePrefix));
  const page = paginate(all, {
    maxResults: v.limit,
    nextToken: v.nextToken,
    defaultMax: 50,
    key: (f) => String(f.filterName),
    invalidToken: LogsErrors.invalidToken,
  });
  return { subscriptionFilters: page.items, nextToken: page.nextToken };
}

export function DeleteSubscriptionFilter(ctx: Ctx, input: unknown) {
  const v = check<{ logGroupName: string; filterName: string }>(input, {
    logGroupName: { ...GROUP_NAME, required: true },
    filterName: { ...FILTER_NAME, required: true },
  });
  const g = findGroup(state(ctx), v);
  if (!g.subscriptionFilters.delete(v.filterName)) throw LogsErrors.resourceNotFound("The specified subscription filter does not exist.");
  return {};
}
