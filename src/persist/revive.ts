/**
 * After a restore or a restart: give ECS tasks what a copy cannot carry (the promise RunTask waits on, the
 * runner's record of them). Fake mode: tasks that were live are handed to the runner again (StopTask, service
 * scaling and reset keep working), with their describe output unchanged. Execute mode: processes are not
 * resurrected; every task that was not STOPPED is stopped with stopCode TaskFailedToStart and stoppedReason
 * "awsim restarted", and services' schedulers start replacements.
 */
import type { Simulator } from "../services/core/simulator.js";
import type { ClusterRec, EcsState, TaskRec } from "../services/ecs/state.js";

export const RESTART_REASON = "awsim restarted";

export async function reviveEcs(sim: Simulator): Promise<void> {
  const { envOf } = await import("../services/ecs/env.js");
  const { containerSpecs, makeListener, onRunEvent } = await import("../services/ecs/runtime-bridge.js");
  for (const st of sim.statesOf<EcsState>("ecs")) {
    const env = envOf(sim, st);
    for (const rec of st.tasks.values()) {
      if (typeof rec.settle !== "function") {
        rec.settle = () => undefined;
        rec.settled = Promise.resolve();
      }
      const t = rec.task;
      if (t.lastStatus === "STOPPED") continue;
      if (sim.config.execute) {
        const at = new Date();
        t.desiredStatus = "STOPPED";
        t.stopCode = "TaskFailedToStart";
        t.stoppedReason = RESTART_REASON;
        t.stoppingAt = at;
        onRunEvent(env, rec, new Map(), { type: "task-stopped", taskId: rec.id, at });
        continue;
      }
      const td = st.families.get(rec.family)?.find((d) => d.taskDefinitionArn === t.taskDefinitionArn);
      if (!td) continue;
      const version = t.version;
      sim.runner.start(containerSpecs(env, rec, td, t.overrides?.containerOverrides ?? []), makeListener(env, rec, new Map()));
      t.version = version;
    }
  }
}

/**
 * Fields a service derives from other state, left out of --persist's records of a scope written record by
 * record (so that no two records share an object, and a change costs its own record only) and rebuilt from
 * the records at start (`rebuildDerived`). `rest`: fields of the state; `entries`: fields of each value of a
 * top-level map.
 */
export const DERIVED: Record<string, { rest?: string[]; entries?: Record<string, string[]> }> = {
  // EC2: the terminated instances in termination order (instances.ts builds it when absent).
  ec2: { rest: ["terminatedQueue"] },
  // ECS: st.tasks holds every task; clusters index them (tasks.ts), st.stopped lists the STOPPED ones for retention.
  ecs: { rest: ["stopped"], entries: { clusters: ["tasks", "order", "byFamily", "byStartedBy", "byService"] } },
};

/**
 * Written in place of ClusterRec.tasks: a seq above every task of the cluster this one replaced (a cluster
 * deleted and created again) and at most that of this cluster's first task, so that the tasks of the old one
 * stay out. It stays true as the cluster changes, so a record written before later tasks is still right.
 */
const FROM_SEQ = "__awsimFromSeq";

/** What a record holds of `v`, an entry of top-level map `field` of state `st` of `svc`: v, or a shallow copy without its derived fields. */
export function entryForRecord(svc: string, st: unknown, field: string, v: unknown): unknown {
  const skip = DERIVED[svc]?.entries?.[field];
  if (!skip || v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(v));
  for (const k of Object.keys(v)) if (!skip.includes(k)) out[k] = (v as Record<string, unknown>)[k];
  if (svc === "ecs") {
    const first = (v as ClusterRec).tasks.values().next();
    out[FROM_SEQ] = first.done ? (st as EcsState).seq + 1 : first.value.seq;
  }
  return out;
}

/** A state read record by record: its derived fields built again, as the service keeps them. */
export function rebuildDerived(svc: string, st: Record<string, unknown>): void {
  if (svc === "ec2") delete st.terminatedQueue;
  if (svc !== "ecs") return;
  const s = st as unknown as EcsState;
  const from = new Map<string, number>();
  for (const c of s.clusters.values()) {
    const r = c as unknown as Record<string, unknown>;
    from.set(c.cluster.clusterName, typeof r[FROM_SEQ] === "number" ? (r[FROM_SEQ] as number) : 0);
    delete r[FROM_SEQ];
    c.tasks = new Map();
    c.byFamily = new Map();
    c.byStartedBy = new Map();
    c.byService = new Map();
    c.order = undefined;
  }
  const add = (m: Map<string, Set<string>>, key: string | undefined, id: string) => {
    if (key === undefined) return;
    let ids = m.get(key);
    if (!ids) m.set(key, (ids = new Set()));
    ids.add(id);
  };
  // Creation (seq) order: the order RunTask filled the clusters' maps and indexes in.
  const tasks = [...s.tasks.values()].sort((a, b) => a.seq - b.seq);
  for (const rec of tasks) {
    const c = s.clusters.get(rec.cluster);
    if (!c || rec.seq < from.get(rec.cluster)!) continue;
    c.tasks.set(rec.id, rec);
    add(c.byFamily, rec.family, rec.id);
    add(c.byStartedBy, rec.task.startedBy, rec.id);
    add(c.byService, rec.service, rec.id);
  }
  s.stopped = tasks.filter((t: TaskRec) => t.stoppedAtMs !== undefined).sort((a, b) => a.stoppedAtMs! - b.stoppedAtMs! || a.seq - b.seq);
}
