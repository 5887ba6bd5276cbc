/** Log groups: create, describe (prefix / pattern / pagination), delete, retention. */
import type { DescribeLogGroupsResponse, LogGroup as SdkLogGroup } from "@aws-sdk/client-cloudwatch-logs";
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import { check, findGroup, GROUP_NAME, LIMIT50, state } from "./common.js";
import { LogsErrors } from "./errors.js";
import { expireGroup } from "./retention.js";
import { groupArn, type LogGroup, type LogsState } from "./state.js";

export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export function createGroup(
  st: LogsState,
  name: string,
  now: number,
  opts: { tags?: Record<string, string>; kmsKeyId?: string; logGroupClass?: string } = {},
): LogGroup {
  if (st.groups.has(name)) throw LogsErrors.groupExists();
  const g: LogGroup = {
    name,
    creationTime: now,
    kmsKeyId: opts.kmsKeyId,
    logGroupClass: opts.logGroupClass ?? "STANDARD",
    tags: new Map(Object.entries(opts.tags ?? {})),
    streams: new Map(),
    metricFilters: new Map(),
    subscriptionFilters: new Map(),
  };
  st.groups.set(name, g);
  return g;
}

export function describeGroup(st: LogsState, g: LogGroup): SdkLogGroup {
  let storedBytes = 0;
  for (const s of g.streams.values()) storedBytes += s.storedBytes;
  const arn = groupArn(st, g.name);
  return {
    logGroupName: g.name,
    creationTime: g.creationTime,
    retentionInDays: g.retentionInDays,
    metricFilterCount: g.metricFilters.size,
    arn: `${arn}:*`,
    storedBytes,
    kmsKeyId: g.kmsKeyId,
    logGroupClass: g.logGroupClass as SdkLogGroup["logGroupClass"],
    logGroupArn: arn,
    dataProtectionStatus: g.dataProtectionPolicy ? "ACTIVATED" : undefined,
    deletionProtectionEnabled: g.deletionProtection ?? false,
    bearerTokenAuthenticationEnabled: g.bearerTokenAuthentication,
    inheritedProperties: st.accountPolicies.get("DATA_PROTECTION_POLICY")?.size ? ["ACCOUNT_DATA_PROTECTION"] : undefined,
  };
}

export function CreateLogGroup(ctx: Ctx, input: unknown) {
  const v = check<{ logGroupName: string; kmsKeyId?: string; tags?: Record<string, string>; logGroupClass?: string; deletionProtectionEnabled?: boolean }>(
    input,
    {
      logGroupName: { ...GROUP_NAME, required: true },
      kmsKeyId: { maxLength: 256 },
      tags: { type: "map" },
      logGroupClass: { enum: ["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"] },
    },
  );
  if (/^aws\//i.test(v.logGroupName)) throw LogsErrors.invalidParameter("Log groups starting with AWS/ are reserved for AWS.");
  const g = createGroup(state(ctx), v.logGroupName, ctx.now().getTime(), v);
  if (v.deletionProtectionEnabled === true) g.deletionProtection = true;
  return {};
}

export function DescribeLogGroups(ctx: Ctx, input: unknown): DescribeLogGroupsResponse {
  const v = check<{
    logGroupNamePrefix?: string;
    logGroupNamePattern?: string;
    limit?: number;
    nextToken?: string;
    logGroupClass?: string;
    logGroupIdentifiers?: string[];
  }>(input, {
    logGroupNamePrefix: { ...GROUP_NAME },
    logGroupNamePattern: { maxLength: 512, pattern: /^[.\-_/#A-Za-z0-9]*$/ },
    limit: LIMIT50,
    nextToken: { minLength: 1 },
    logGroupClass: { enum: ["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"] },
  });
  if (v.logGroupNamePrefix !== undefined && v.logGroupNamePattern !== undefined) {
    throw LogsErrors.invalidParameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
  }
  if (v.logGroupIdentifiers !== undefined && (v.logGroupNamePrefix !== undefined || v.logGroupNamePattern !== undefined)) {
    throw LogsErrors.invalidParameter("logGroupIdentifiers is mutually exclusive with logGroupNamePrefix and logGroupNamePattern.");
  }
  const st = state(ctx);
  const wanted = v.logGroupIdentifiers
    ? new Set(
        v.logGroupIdentifiers.map((id) =>
          String(id)
            .replace(/^arn:[^:]+:logs:[^:]*:\d*:log-group:/, "")
            .replace(/:\*$/, ""),
        ),
      )
    : undefined;
  const pattern = v.logGroupNamePattern?.toLowerCase();
  const groups = [...st.groups.values()]
    .filter(
      (g) =>
        (v.logGroupNamePrefix === undefined || g.name.startsWith(v.logGroupNamePrefix)) && (pattern === undefined || g.name.toLowerCase().includes(pattern)),
    )
    .filter((g) => v.logGroupClass === undefined || g.logGroupClass === v.logGroupClass)
    .filter((g) => wanted === undefined || wanted.has(g.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const page = paginate(groups, { maxResults: v.limit, nextToken: v.nextToken, defaultMax: 50, key: (g) => g.name, invalidToken: LogsErrors.invalidToken });
  for (const g of page.items) expireGroup(g, ctx.now().getTime());
  // The API reference says a logGroupNamePattern answer carries only arn, creationTime and logGroupName; AWS
  // (recorded 2026) also sends logGroupArn, logGroupClass and metricFilterCount, but no storedBytes or
  // deletionProtectionEnabled.
  if (v.logGroupNamePattern !== undefined) {
    return {
      logGroups: page.items.map((g) => {
        const d = describeGroup(st, g);
        return {
          logGroupName: d.logGroupName,
          creationTime: d.creationTime,
          metricFilterCount: d.metricFilterCount,
          arn: d.arn,
          logGroupClass: d.logGroupClass,
          logGroupArn: d.logGroupArn,
        };
      }),
      nextToken: page.nextToken,
    };
  }
  return { logGroups: page.items.map((g) => describeGroup(st, g)), nextToken: page.nextToken };
}

export function DeleteLogGroup(ctx: Ctx, input: unknown) {
  const v = check<{ logGroupName: string }>(input, { logGroupName: { ...GROUP_NAME, required: true } });
  const st = state(ctx);
  const g = findGroup(st, v);
  // "you receive a ValidationException with the message: ..." (CloudWatch Logs User Guide, Protecting log groups from deletion)
  if (g.deletionProtection) throw LogsErrors.validation("Cannot delete log group with deletion protection enabled. Disable deletion protection first.");
  st.groups.delete(v.logGroupName);
  st.indexPolicies.delete(v.logGroupName);
  st.transformers.delete(v.logGroupName);
  for (const [k, p] of st.resourcePolicies)
    if (p.policyScope === "RESOURCE" && String(p.resourceArn).replace(/:\*$/, "").endsWith(`:log-group:${g.name}`)) st.resourcePolicies.delete(k);
  return {};
}

export function PutRetentionPolicy(ctx: Ctx, input: unknown) {
  const v = check<{ logGroupName: string; retentionInDays: number }>(input, {
    logGroupName: { ...GROUP_NAME, required: true },
    retentionInDays: { type: "integer", required: true },
  });
  if (!RETENTION_DAYS.includes(v.retentionInDays)) {
    throw LogsErrors.invalidParameter(
      `1 validation error detected: Value '${v.retentionInDays}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(", ")}]`,
    );
  }
  findGroup(state(ctx), v).retentionInDays = v.retentionInDays;
  return {};
}

export function DeleteRetentionPolicy(ctx: Ctx, input: unknown) {
  const v = check<{ logGroupName: string }>(input, { logGroupName: { ...GROUP_NAME, required: true } });
  findGroup(state(ctx), v).retentionInDays = undefined;
  return {};
}
