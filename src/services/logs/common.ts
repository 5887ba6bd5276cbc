/** Shared Logs helpers: input specs, group/stream lookups, pagination tokens. */
import type { Ctx } from "../core/types.js";
import { validate, type Spec } from "../core/validate.js";
import { LogsErrors } from "./errors.js";
import type { LogGroup, LogStream, LogsState } from "./state.js";

export const V = { code: "InvalidParameterException" };

export const GROUP_NAME = { minLength: 1, maxLength: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/ } as const;
export const STREAM_NAME = { minLength: 1, maxLength: 512, pattern: /^[^:*]*$/ } as const;
export const LIMIT50 = { type: "integer", min: 1, max: 50 } as const;

export function check<T>(input: unknown, spec: Spec): T {
  return validate<T>(input, spec, V);
}

export const state = (ctx: Ctx) => ctx.state<LogsState>();

/** logGroupName or logGroupIdentifier (name or ARN) → the group. */
export function findGroup(st: LogsState, input: { logGroupName?: string; logGroupIdentifier?: string }): LogGroup {
  if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined) {
    throw LogsErrors.invalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
  }
  let name = input.logGroupName ?? input.logGroupIdentifier;
  if (name === undefined) throw LogsErrors.invalidParameter("Should provide either a logGroupName or logGroupIdentifier.");
  if (name.startsWith("arn:")) name = name.replace(/^arn:[^:]+:logs:[^:]*:\d*:log-group:/, "").replace(/:\*$/, "");
  const g = st.groups.get(name);
  if (!g) throw LogsErrors.groupNotFound();
  return g;
}

export function findStream(g: LogGroup, name: string): LogStream {
  const s = g.streams.get(name);
  if (!s) throw LogsErrors.streamNotFound();
  return s;
}

export function groupSpec(extra: Spec = {}): Spec {
  return { logGroupName: { ...GROUP_NAME }, logGroupIdentifier: { minLength: 1, maxLength: 2048 }, ...extra };
}
