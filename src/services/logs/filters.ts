/**
 * Metric filters (applied to events as they arrive, see ingest.ts; TestMetricFilter runs the same matcher)
 * and subscription filters (two per group; Lambda destinations need a function policy that lets
 * logs.amazonaws.com invoke them; a role, where given, must exist in IAM).
 */
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import { check, findGroup, GROUP_NAME, state } from "./common.js";
import { LogsErrors } from "./errors.js";
import { compileFilterPattern, splitFields } from "./filter-pattern.js";
import { findDestination, type Transformation } from "./ingest.js";
import type { LogsState, SubscriptionFilter } from "./state.js";

const FILTER_NAME = { minLength: 1, maxLength: 512, pattern: /^[^:*]*$/ } as const;

const MAX_METRIC_FILTERS = 100;

export function PutMetricFilter(ctx: Ctx, input: unknown) {
  const v = check<{
    logGroupName: string;
    filterName: string;
    filterPattern: string;
    metricTransformations: Transformation[];
    applyOnTransformedLogs?: boolean;
    fieldSelectionCriteria?: string;
    emitSystemFieldDimensions?: string[];
  }>(input, {
    logGroupName: { ...GROUP_NAME, required: true },
    filterName: { ...FILTER_NAME, required: true },
    filterPattern: { required: true, maxLength: 1024 },
    metricTransformations: { type: "list", required: true, minLength: 1, maxLength: 1 },
  });
  compileFilterPattern(v.filterPattern);
  const g = findGroup(state(ctx), v);
  if (g.logGroupClass !== "STANDARD") {
    throw LogsErrors.invalidParameter(`Metric filters are not supported for log groups in the ${g.logGroupClass} log class.`);
  }
  for (const t of v.metricTransformations) {
    if (t === null || typeof t !== "object" || typeof t.metricName !== "string" || typeof t.metricNamespace !== "string" || typeof t.metricValue !== "string") {
      throw LogsErrors.invalidParameter("metricName, metricNamespace and metricValue are required in a metric transformation.");
    }
    if (t.defaultValue !== undefined && t.dimensions && Object.keys(t.dimensions).length) {
      throw LogsErrors.invalidParameter("A metric filter with dimensions cannot have a default value.");
    }
    if (t.dimensions && Object.keys(t.dimensions).length > 3) throw LogsErrors.invalidParameter("A metric filter can have at most 3 dimensions.");
    if (!/^(\$\.?\S+|-?\d+(\.\d+)?)$/.test(t.metricValue.trim())) throw LogsErrors.invalidParameter(`Invalid metric value: ${t.metricValue}`);
  }
  if (!g.metricFilters.has(v.filterName) && g.metricFilters.size >= MAX_METRIC_FILTERS) throw LogsErrors.limitExceeded("Resource limit exceeded.");
  g.metricFilters.set(v.filterName, {
    filterName: v.filterName,
    filterPattern: v.filterPattern,
    metricTransformations: v.metricTransformations.map((t) => ({ ...t, unit: t.unit })),
    creationTime: ctx.now().getTime(),
    logGroupName: g.name,
    applyOnTransformedLogs: v.applyOnTransformedLogs ?? false,
    fieldSelectionCriteria: v.fieldSelectionCriteria,
    emitSystemFieldDimensions: v.emitSystemFieldDimensions,
  });
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
  if ((v.metricName === undefined) !== (v.metricNamespace === undefined)) {
    throw LogsErrors.invalidParameter("If you specify metricName or metricNamespace, you must specify both.");
  }
  const st = state(ctx);
  const groups = v.logGroupName !== undefined ? [findGroup(st, v)] : [...st.groups.values()];
  const all = groups
    .flatMap((g) => [...g.metricFilters.values()])
    .filter((f) => v.logGroupName === undefined || v.filterNamePrefix === undefined || f.filterName.startsWith(v.filterNamePrefix))
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
  v.logEventMessages.forEach((m, i) => {
    if (typeof m !== "string") {
      throw LogsErrors.invalidParameter(
        `1 validation error detected: Value '${JSON.stringify(m)}' at 'logEventMessages.${i + 1}.member' failed to satisfy constraint: Member must be a string`,
      );
    }
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

/** Whether a function's resource policy lets the Logs service invoke it. */
function allowsLogs(policy: Array<Record<string, unknown>>): boolean {
  return policy.some((p) => {
    const principal = p.Principal as { Service?: string | string[]; AWS?: string } | string | undefined;
    const services = typeof principal === "string" ? [principal] : ([] as string[]).concat(principal?.Service ?? [], principal?.AWS === "*" ? ["*"] : []);
    const actions = ([] as string[]).concat((p.Action as string | string[]) ?? []);
    return (
      p.Effect !== "Deny" &&
      services.some((s) => s === "*" || /^logs(\.[a-z0-9-]+)?\.amazonaws\.com$/.test(s)) &&
      actions.some((a) => a === "*" || a === "lambda:*" || a === "lambda:InvokeFunction")
    );
  });
}

async function checkDestination(ctx: Ctx, st: LogsState, destinationArn: string, roleArn: string | undefined): Promise<void> {
  const lambda = /^arn:[^:]+:lambda:([^:]*):(\d*):function:([^:]+)/.exec(destinationArn);
  if (lambda) {
    const ls = await ctx.stateOf<{ functions: Map<string, { policy: Array<Record<string, unknown>> }> }>(
      "lambda",
      lambda[1] || st.region,
      lambda[2] || st.accountId,
    );
    const f = ls.functions.get(lambda[3]!);
    if (!f || !allowsLogs(f.policy)) {
      throw LogsErrors.invalidParameter("Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.");
    }
    return;
  }
  if (/^arn:[^:]+:logs:[^:]*:\d*:destination:.+$/.test(destinationArn)) {
    if (!findDestination(st, destinationArn)) throw LogsErrors.resourceNotFound("The specified destination does not exist.");
    return;
  }
  if (!/^arn:[^:]+:(kinesis|firehose):/.test(destinationArn)) throw LogsErrors.invalidParameter("Invalid destination ARN.");
  if (roleArn === undefined) {
    const vendor = /^arn:[^:]+:([^:]+):/.exec(destinationArn)![1];
    throw LogsErrors.invalidParameter(`destinationArn for vendor ${vendor} cannot be used without roleArn`);
  }
}

async function checkRole(ctx: Ctx, roleArn: string | undefined): Promise<void> {
  if (roleArn === undefined) return;
  const m = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  const iam = m ? await ctx.stateOf<{ roles: Map<string, unknown> }>("iam", undefined, m[1]) : undefined;
  if (!m || !iam?.roles.has(m[2]!)) {
    throw LogsErrors.invalidParameter("Could not deliver test message to specified destination. Check if the destination is valid.");
  }
}

export async function PutSubscriptionFilter(ctx: Ctx, input: unknown) {
  const v = check<{
    logGroupName: string;
    filterName: string;
    filterPattern: string;
    destinationArn: string;
    roleArn?: string;
    distribution?: string;
    applyOnTransformedLogs?: boolean;
    emitSystemFields?: string[];
    fieldSelectionCriteria?: string;
  }>(input, {
    logGroupName: { ...GROUP_NAME, required: true },
    filterName: { ...FILTER_NAME, required: true },
    filterPattern: { required: true, maxLength: 1024 },
    destinationArn: { required: true, minLength: 1 },
    distribution: { enum: ["Random", "ByLogStream"] },
  });
  compileFilterPattern(v.filterPattern);
  const st = state(ctx);
  // Checked before the log group exists (recorded from AWS): another account's function needs a Logs destination.
  const lambdaAccount = /^arn:[^:]+:lambda:[^:]*:(\d+):function:/.exec(v.destinationArn)?.[1];
  if (lambdaAccount !== undefined && lambdaAccount !== st.accountId) {
    throw LogsErrors.accessDenied(
      "Cross-account lambda invocation passing is not allowed. You must use DestinationPolicies to create cross account lambda triggers.",
    );
  }
  const g = findGroup(st, v);
  if (!g.subscriptionFilters.has(v.filterName) && g.subscriptionFilters.size >= 2) {
    throw LogsErrors.limitExceeded("Resource limit exceeded.");
  }
  await checkDestination(ctx, st, v.destinationArn, v.roleArn);
  await checkRole(ctx, v.roleArn);
  const f: SubscriptionFilter = {
    filterName: v.filterName,
    logGroupName: g.name,
    filterPattern: v.filterPattern,
    destinationArn: v.destinationArn,
    roleArn: v.roleArn,
    distribution: v.distribution ?? "ByLogStream",
    applyOnTransformedLogs: v.applyOnTransformedLogs ?? false,
    emitSystemFields: v.emitSystemFields,
    fieldSelectionCriteria: v.fieldSelectionCriteria,
    creationTime: ctx.now().getTime(),
  };
  // A Lambda destination gets no CONTROL_MESSAGE: only the matching events reach the function (recorded from AWS:
  // a function subscribed with an empty pattern logged exactly the two events put, test_put_subscription_filter_lambda).
  g.subscriptionFilters.set(v.filterName, f);
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
  const all = [...g.subscriptionFilters.values()]
    .filter((f) => v.filterNamePrefix === undefined || f.filterName.startsWith(v.filterNamePrefix))
    .sort((a, b) => (a.filterName < b.filterName ? -1 : 1));
  const page = paginate(all, {
    maxResults: v.limit,
    nextToken: v.nextToken,
    defaultMax: 50,
    key: (f) => f.filterName,
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
