/** ECS helpers: ARNs, reference resolution, validation options. */
import type { Tag } from "@aws-sdk/client-ecs";
import type { Ctx } from "../core/types.js";
import { validate, type Spec } from "../core/validate.js";
import { AwsError } from "../../protocols/aws-error.js";
import { EcsErrors } from "./errors.js";
import type { ClusterRec, EcsState } from "./state.js";

export const state = (ctx: Ctx) => ctx.state<EcsState>();

export function check<T>(input: unknown, spec: Spec): T {
  return validate<T>(input, spec, { code: "InvalidParameterException" });
}

export const ecsArn = (st: EcsState, resource: string) => `arn:aws:ecs:${st.region}:${st.accountId}:${resource}`;

/** The last path segment of a name-or-ARN reference. */
export function nameOf(ref: string): string {
  if (!ref.startsWith("arn:")) return ref;
  const i = ref.lastIndexOf("/");
  return i < 0 ? ref : ref.slice(i + 1);
}

/** A cluster reference (name or ARN, default "default") → the ACTIVE cluster, or ClusterNotFoundException. */
export function findCluster(st: EcsState, ref: string | undefined): ClusterRec {
  if (ref !== undefined && typeof ref !== "string") throw new AwsError("SerializationException", "STRING_VALUE can not be converted to a String", 400);
  const name = ref === undefined || ref === "" ? "default" : ref.startsWith("arn:") ? clusterNameFromArn(st, ref) : ref;
  const c = name === undefined ? undefined : st.clusters.get(name);
  if (c?.cluster.status !== "ACTIVE") throw EcsErrors.clusterNotFound();
  return c;
}

function clusterNameFromArn(st: EcsState, arn: string): string | undefined {
  const m = /^arn:aws[\w-]*:ecs:([^:]+):(\d{12}):cluster\/(.+)$/.exec(arn);
  if (!m || m[1] !== st.region || m[2] !== st.accountId) return undefined;
  return m[3];
}

export function tagsOut(tags: Tag[] | undefined): Tag[] {
  return (tags ?? []).map((t) => ({ key: t.key, value: t.value }));
}

export const TAG_SPEC = {
  type: "list",
  maxLength: 50,
  items: { type: "structure", fields: { key: { required: true, minLength: 1, maxLength: 128 }, value: { maxLength: 256 } } },
} as const;

export function includes(input: { include?: string[] }, what: string): boolean {
  return Array.isArray(input.include) && input.include.includes(what);
}
