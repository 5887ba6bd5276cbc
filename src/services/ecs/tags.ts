/** TagResource / UntagResource / ListTagsForResource over clusters, task definitions, tasks and services. */
import type { Tag } from "@aws-sdk/client-ecs";
import type { Ctx } from "../core/types.js";
import { check, state, TAG_SPEC } from "./common.js";
import { daemonTagsOf } from "./daemons.js";
import { EcsErrors } from "./errors.js";
import type { EcsState } from "./state.js";

/** The live tag list of the resource an ARN names (mutable), or ResourceNotFoundException. */
function tagsOf(st: EcsState, arn: string): { get(): Tag[]; set(t: Tag[]): void } {
  const m = /^arn:aws[\w-]*:ecs:([^:]+):(\d{12}):([a-z-]+)\/(.+)$/.exec(arn);
  if (!m) throw EcsErrors.invalidParameter("Invalid Arn");
  if (m[1] !== st.region || m[2] !== st.accountId) throw EcsErrors.resourceNotFound();
  const [, , , kind, rest] = m;
  const parts = rest!.split("/");
  switch (kind) {
    case "cluster": {
      const c = st.clusters.get(parts[0]!);
      if (!c) throw EcsErrors.resourceNotFound();
      // A deleted (INACTIVE) cluster: what AWS answers ListTagsForResource/TagResource (seen in terraform-provider-aws's acceptance runs).
      if (c.cluster.status !== "ACTIVE") throw EcsErrors.clusterInactive();
      return { get: () => c.cluster.tags ?? [], set: (t) => (c.cluster.tags = t) };
    }
    case "task-definition": {
      if (!st.taskDefTags.has(arn)) throw EcsErrors.resourceNotFound();
      return { get: () => st.taskDefTags.get(arn)!, set: (t) => st.taskDefTags.set(arn, t) };
    }
    case "task": {
      const rec = st.tasks.get(parts[parts.length - 1]!);
      if (!rec) throw EcsErrors.resourceNotFound();
      return { get: () => rec.task.tags ?? [], set: (t) => (rec.task.tags = t) };
    }
    case "service": {
      const c = parts.length > 1 ? st.clusters.get(parts[0]!) : undefined;
      const s = c?.services.get(parts[parts.length - 1]!);
      if (!s || s.service.status === "INACTIVE") throw EcsErrors.resourceNotFound();
      return { get: () => s.service.tags ?? [], set: (t) => (s.service.tags = t) };
    }
    case "capacity-provider": {
      const cp = st.capacityProviders.get(parts[0]!);
      if (!cp || cp.status === "INACTIVE") throw EcsErrors.resourceNotFound();
      return { get: () => cp.tags ?? [], set: (t) => (cp.tags = t) };
    }
    case "container-instance": {
      const inst = parts.length > 1 ? st.clusters.get(parts[0]!)?.instances.get(parts[parts.length - 1]!) : undefined;
      if (!inst || inst.ci.status === "INACTIVE") throw EcsErrors.resourceNotFound();
      return { get: () => inst.ci.tags ?? [], set: (t) => (inst.ci.tags = t) };
    }
    case "task-set": {
      const s = st.clusters.get(parts[0]!)?.services.get(parts[1] ?? "");
      const ts = s?.taskSets.get(parts.slice(2).join("/"));
      if (!ts) throw EcsErrors.resourceNotFound();
      return { get: () => ts.taskSet.tags ?? [], set: (t) => (ts.taskSet.tags = t) };
    }
    case "daemon":
    case "daemon-task-definition": {
      const r = daemonTagsOf(st, arn);
      if (!r) throw EcsErrors.resourceNotFound();
      return r;
    }
    default:
      throw EcsErrors.resourceNotFound();
  }
}

export function TagResource(ctx: Ctx, input: unknown) {
  const v = check<{ resourceArn: string; tags: Tag[] }>(input, { resourceArn: { required: true }, tags: { ...TAG_SPEC, required: true } });
  const r = tagsOf(state(ctx), v.resourceArn);
  const m = new Map(r.get().map((t) => [t.key, t.value]));
  for (const t of v.tags) m.set(t.key, t.value ?? "");
  if (m.size > 50) throw EcsErrors.invalidParameter("The maximum number of tags for a resource is 50.");
  r.set([...m].map(([key, value]) => ({ key, value })));
  return {};
}

export function UntagResource(ctx: Ctx, input: unknown) {
  const v = check<{ resourceArn: string; tagKeys: string[] }>(input, { resourceArn: { required: true }, tagKeys: { type: "list", required: true } });
  const r = tagsOf(state(ctx), v.resourceArn);
  const drop = new Set(v.tagKeys);
  r.set(r.get().filter((t) => !drop.has(t.key!)));
  return {};
}

export function ListTagsForResource(ctx: Ctx, input: unknown) {
  const v = check<{ resourceArn: string }>(input, { resourceArn: { required: true } });
  return { tags: tagsOf(state(ctx), v.resourceArn).get() };
}
