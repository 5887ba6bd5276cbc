/** Log group tags: the ARN-based TagResource family and the older name-based TagLogGroup family. */
import { AwsError } from "../../protocols/aws-error.js";
import type { Ctx } from "../core/types.js";
import { check, findGroup, GROUP_NAME, state } from "./common.js";
import { LogsErrors } from "./errors.js";

const TAGS = { type: "map", required: true } as const;

/** Any taggable Logs resource by ARN: log groups, destinations, delivery sources/destinations, deliveries, anomaly detectors. */
function groupByArn(ctx: Ctx, arn: string): { tags: Map<string, string> } {
  const m = /^arn:[^:]+:logs:([^:]*):(\d*):([a-z-]+):(.+?)(:\*)?$/.exec(arn);
  const st = state(ctx);
  if (!m || m[1] !== st.region || m[2] !== st.accountId) throw LogsErrors.resourceNotFound("The specified resource does not exist.");
  const id = m[4]!;
  const holder =
    m[3] === "log-group"
      ? st.groups.get(id)
      : m[3] === "destination"
        ? st.destinations.get(id)
        : m[3] === "delivery-source"
          ? st.deliverySources.get(id)
          : m[3] === "delivery-destination"
            ? st.deliveryDestinations.get(id)
            : m[3] === "delivery"
              ? st.deliveries.get(id)
              : m[3] === "anomaly-detector"
                ? st.anomalyDetectors.get(arn)
                : m[3] === "lookup-table"
                  ? st.lookupTables.get(id)
                  : m[3] === "scheduled-query"
                    ? st.scheduledQueries.get(id)
                    : undefined;
  if (!holder) throw LogsErrors.resourceNotFound("The specified resource does not exist.");
  return holder;
}

/**
 * Over 50 tags in all: TagResource answers TooManyTagsException ("A resource can have no more than 50 tags.", with the
 * resource's name), the older TagLogGroup, which documents no such error, InvalidParameterException.
 */
function setTags(g: { tags: Map<string, string> }, tags: Record<string, string>, resourceArn?: string) {
  const merged = new Map(g.tags);
  for (const [k, v] of Object.entries(tags)) merged.set(k, v);
  const message = "A resource can have no more than 50 tags.";
  if (merged.size > 50 && resourceArn !== undefined) throw new AwsError("TooManyTagsException", message, 400, { extra: { resourceName: resourceArn } });
  if (merged.size > 50) throw LogsErrors.invalidParameter(message);
  g.tags = merged;
}

export function TagResource(ctx: Ctx, input: unknown) {
  const v = check<{ resourceArn: string; tags: Record<string, string> }>(input, { resourceArn: { required: true, minLength: 1, maxLength: 1011 }, tags: TAGS });
  setTags(groupByArn(ctx, v.resourceArn), v.tags, v.resourceArn);
  return {};
}

export function UntagResource(ctx: Ctx, input: unknown) {
  const v = check<{ resourceArn: string; tagKeys: string[] }>(input, {
    resourceArn: { required: true, minLength: 1, maxLength: 1011 },
    tagKeys: { type: "list", required: true, minLength: 0, maxLength: 50 },
  });
  const g = groupByArn(ctx, v.resourceArn);
  for (const k of v.tagKeys) g.tags.delete(k);
  return {};
}

export function ListTagsForResource(ctx: Ctx, input: unknown) {
  const v = check<{ resourceArn: string }>(input, { resourceArn: { required: true, minLength: 1, maxLength: 1011 } });
  return { tags: Object.fromEntries(groupByArn(ctx, v.resourceArn).tags) };
}

export function TagLogGroup(ctx: Ctx, input: unknown) {
  const v = check<{ logGroupName: string; tags: Record<string, string> }>(input, { logGroupName: { ...GROUP_NAME, required: true }, tags: TAGS });
  setTags(findGroup(state(ctx), v), v.tags);
  return {};
}

export function UntagLogGroup(ctx: Ctx, input: unknown) {
  const v = check<{ logGroupName: string; tags: string[] }>(input, {
    logGroupName: { ...GROUP_NAME, required: true },
    tags: { type: "list", required: true, minLength: 1 },
  });
  const g = findGroup(state(ctx), v);
  for (const k of v.tags) g.tags.delete(k);
  return {};
}

export function ListTagsLogGroup(ctx: Ctx, input: unknown) {
  const v = check<{ logGroupName: string }>(input, { logGroupName: { ...GROUP_NAME, required: true } });
  return { tags: Object.fromEntries(findGroup(state(ctx), v).tags) };
}
