/**
 * Destinations (the cross-account subscription targets): PutDestination creates or updates one (the
 * role must exist in IAM), PutDestinationPolicy sets its access policy, DescribeDestinations lists by
 * prefix with pagination, DeleteDestination removes it. A subscription filter whose destination targets
 * a Lambda function delivers to that function (ingest.ts).
 */
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import { state } from "./common.js";
import { LogsErrors } from "./errors.js";
import type { Destination } from "./state.js";

function describe(d: Destination) {
  return {
    destinationName: d.destinationName,
    targetArn: d.targetArn,
    roleArn: d.roleArn,
    accessPolicy: d.accessPolicy,
    arn: d.arn,
    creationTime: d.creationTime,
  };
}

export async function PutDestination(ctx: Ctx, v: { destinationName: string; targetArn: string; roleArn: string; tags?: Record<string, string> }) {
  const st = state(ctx);
  if (!/^arn:[^:]+:(kinesis|firehose|lambda|logs):/.test(String(v.targetArn))) throw LogsErrors.invalidParameter("Invalid target ARN.");
  const role = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(String(v.roleArn));
  const iam = role ? await ctx.stateOf<{ roles: Map<string, unknown> }>("iam", undefined, role[1]) : undefined;
  if (!role || !iam?.roles.has(role[2]!)) throw LogsErrors.invalidParameter(`Invalid role ARN: ${v.roleArn}`);
  const existing = st.destinations.get(v.destinationName);
  const d: Destination = existing ?? {
    destinationName: v.destinationName,
    targetArn: v.targetArn,
    roleArn: v.roleArn,
    arn: `arn:aws:logs:${st.region}:${st.accountId}:destination:${v.destinationName}`,
    creationTime: ctx.now().getTime(),
    tags: new Map(Object.entries(v.tags ?? {})),
  };
  d.targetArn = v.targetArn;
  d.roleArn = v.roleArn;
  st.destinations.set(v.destinationName, d);
  return { destination: describe(d) };
}

export function PutDestinationPolicy(ctx: Ctx, v: { destinationName: string; accessPolicy: string; forceUpdate?: boolean }) {
  const d = state(ctx).destinations.get(String(v.destinationName));
  if (!d) throw LogsErrors.resourceNotFound("The specified destination does not exist.");
  try {
    JSON.parse(String(v.accessPolicy));
  } catch {
    throw LogsErrors.invalidParameter("Invalid access policy: the policy must be valid JSON.");
  }
  d.accessPolicy = v.accessPolicy;
  return {};
}

export function DescribeDestinations(ctx: Ctx, v: { DestinationNamePrefix?: string; nextToken?: string; limit?: number }) {
  const all = [...state(ctx).destinations.values()]
    .filter((d) => v.DestinationNamePrefix === undefined || d.destinationName.startsWith(v.DestinationNamePrefix))
    .sort((a, b) => (a.destinationName < b.destinationName ? -1 : 1));
  const page = paginate(all, {
    maxResults: v.limit,
    nextToken: v.nextToken,
    defaultMax: 50,
    key: (d) => d.destinationName,
    invalidToken: LogsErrors.invalidToken,
  });
  return { destinations: page.items.map(describe), nextToken: page.nextToken };
}

export function DeleteDestination(ctx: Ctx, v: { destinationName: string }) {
  if (!state(ctx).destinations.delete(String(v.destinationName))) throw LogsErrors.resourceNotFound("The specified destination does not exist.");
  return {};
}
