/**
 * Task sets: services whose deploymentController is EXTERNAL or CODE_DEPLOY run their tasks in task
 * sets (CreateTaskSet, DescribeTaskSets, UpdateTaskSet scale, DeleteTaskSet, UpdateServicePrimaryTaskSet).
 * Each task set's tasks are real task records (startedBy = the task set id); the scheduler keeps
 * computedDesiredCount = ceil(desiredCount × scale%) of them running and derives the counts.
 */
import type { CapacityProviderStrategyItem, LoadBalancer, NetworkConfiguration, Scale, ServiceRegistry, Tag, TaskSet } from "@aws-sdk/client-ecs";
import type { Ctx } from "../core/types.js";
import { BUILT_IN } from "./capacity-providers.js";
import {
  check,
  ecsArn,
  findCluster,
  includes,
  NETWORK_SPEC,
  networkWithDefaults,
  STRATEGY_SPEC,
  state,
  strategyWithDefaults,
  TAG_SPEC,
  tagsOut,
} from "./common.js";
import { envFor } from "./env.js";
import { EcsErrors } from "./errors.js";
import type { EcsEnv } from "./runtime-bridge.js";
import { findService, reconcile } from "./services.js";
import type { ClusterRec, ServiceRec, TaskRec, TaskSetRec } from "./state.js";
import { resolveTaskDefinition } from "./task-definitions.js";
import { createTasks, planPlacement, requestStop, usesInstances } from "./tasks.js";

export const usesTaskSets = (s: ServiceRec) => s.service.deploymentController?.type === "EXTERNAL" || s.service.deploymentController?.type === "CODE_DEPLOY";

const taskSetId = () =>
  `ecs-svc/${Array.from({ length: 19 }, (_, i) => (i === 0 ? 1 + Math.floor(Math.random() * 9) : Math.floor(Math.random() * 10))).join("")}`;

function liveOf(c: ClusterRec, id: string): TaskRec[] {
  const out: TaskRec[] = [];
  for (const tid of c.byStartedBy.get(id) ?? []) {
    const r = c.tasks.get(tid);
    if (r && r.task.desiredStatus === "RUNNING") out.push(r);
  }
  return out;
}

function computed(s: ServiceRec, ts: TaskSetRec): number {
  if (ts.taskSet.status === "DRAINING") return 0;
  return Math.ceil(((s.service.desiredCount ?? 0) * (ts.taskSet.scale?.value ?? 100)) / 100);
}

/** Counts and stability of every task set, and the service totals, from the tasks. */
export function refreshTaskSetCounts(c: ClusterRec, s: ServiceRec, now = new Date()): void {
  let running = 0;
  let pending = 0;
  for (const ts of s.taskSets.values()) {
    const t = ts.taskSet;
    const live = liveOf(c, t.id);
    t.computedDesiredCount = computed(s, ts);
    t.runningCount = live.filter((x) => x.task.lastStatus === "RUNNING").length;
    t.pendingCount = live.length - t.runningCount;
    const steady = t.runningCount === t.computedDesiredCount && t.pendingCount === 0 ? "STEADY_STATE" : "STABILIZING";
    if (t.stabilityStatus !== steady) {
      t.stabilityStatus = steady;
      t.stabilityStatusAt = now;
    }
    running += t.runningCount;
    pending += t.pendingCount;
  }
  s.service.runningCount = running;
  s.service.pendingCount = pending;
  s.service.taskSets = [...s.taskSets.values()].map((ts) => {
    const { tags: _t, ...rest } = ts.taskSet;
    return rest;
  });
}

/** The scheduler for task-set services: each task set toward its computed count; drained sets go away. */
export async function reconcileTaskSets(env: EcsEnv, s: ServiceRec, c: ClusterRec): Promise<void> {
  const now = new Date();
  for (const ts of [...s.taskSets.values()]) {
    const t = ts.taskSet;
    const want = s.service.status === "DRAINING" ? 0 : computed(s, ts);
    const live = liveOf(c, t.id);
    if (live.length > want) {
      for (const x of live.slice(want).reverse()) requestStop(env, x, `Scaling activity initiated by (deployment ${t.id})`, "ServiceSchedulerInitiated", now);
    } else if (live.length < want) {
      const td = resolveTaskDefinition(env.st, t.taskDefinition!);
      if (!td) continue;
      const plan = planPlacement(env.st, false, {
        cluster: c,
        td,
        count: want - live.length,
        ec2: usesInstances(t.launchType, t.capacityProviderStrategy),
        constraints: s.service.placementConstraints,
        strategy: s.service.placementStrategy,
        group: `service:${s.service.serviceName}`,
      });
      if (plan.count > 0)
        await createTasks(env, {
          cluster: c,
          td,
          count: plan.count,
          instances: plan.instances,
          launchType: t.capacityProviderStrategy?.length ? undefined : t.launchType,
          capacityProviderStrategy: t.capacityProviderStrategy,
          networkConfiguration: t.networkConfiguration,
          startedBy: t.id,
          service: s.service.serviceName,
          group: `service:${s.service.serviceName}`,
          propagateTags: s.service.propagateTags,
          serviceTags: s.service.tags,
          enableECSManagedTags: s.service.enableECSManagedTags,
          enableExecuteCommand: s.service.enableExecuteCommand,
          platformVersion: t.platformVersion,
        });
    }
    if (t.status === "DRAINING" && liveOf(c, t.id).length === 0) s.taskSets.delete(t.id);
  }
  refreshTaskSetCounts(c, s, now);
  if (s.service.status === "DRAINING" && s.service.runningCount === 0 && s.service.pendingCount === 0) {
    s.service.status = "INACTIVE";
    s.inactiveAtMs = now.getTime();
  }
}

export interface NewTaskSet {
  taskDefinition: string;
  externalId?: string;
  launchType?: string;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  platformVersion?: string;
  networkConfiguration?: NetworkConfiguration;
  loadBalancers?: LoadBalancer[];
  serviceRegistries?: ServiceRegistry[];
  scale?: Scale;
  tags?: Tag[];
  status?: string;
  startedBy?: string;
}

/** Add a task set record to a service (CreateTaskSet, and CODE_DEPLOY services' initial PRIMARY set). */
export function addTaskSet(env: EcsEnv, c: ClusterRec, s: ServiceRec, o: NewTaskSet, now: Date): TaskSetRec {
  const id = taskSetId();
  const launchType = o.capacityProviderStrategy?.length ? undefined : ((o.launchType ?? s.service.launchType ?? "EC2") as TaskSet["launchType"]);
  const fargate = launchType === "FARGATE" || o.capacityProviderStrategy?.some((x) => BUILT_IN.includes(x.capacityProvider!));
  const rec: TaskSetRec = {
    service: s.service.serviceName,
    taskSet: {
      id,
      taskSetArn: ecsArn(env.st, `task-set/${c.cluster.clusterName}/${s.service.serviceName}/${id}`),
      serviceArn: s.service.serviceArn,
      clusterArn: c.cluster.clusterArn,
      startedBy: o.startedBy,
      externalId: o.externalId,
      status: o.status ?? "ACTIVE",
      taskDefinition: o.taskDefinition,
      computedDesiredCount: 0,
      pendingCount: 0,
      runningCount: 0,
      createdAt: now,
      updatedAt: now,
      launchType,
      capacityProviderStrategy: strategyWithDefaults(o.capacityProviderStrategy),
      platformVersion: fargate ? (o.platformVersion ?? "LATEST") : undefined,
      platformFamily: fargate ? "Linux" : undefined,
      networkConfiguration: networkWithDefaults(o.networkConfiguration),
      loadBalancers: o.loadBalancers ?? [],
      serviceRegistries: o.serviceRegistries ?? [],
      scale: { value: o.scale?.value ?? 100, unit: o.scale?.unit ?? "PERCENT" },
      stabilityStatus: "STABILIZING",
      stabilityStatusAt: now,
      tags: tagsOut(o.tags),
    },
  };
  s.taskSets.set(id, rec);
  return rec;
}

function serviceFor(ctx: Ctx, v: { cluster: string; service: string }): { c: ClusterRec; s: ServiceRec } {
  const c = findCluster(state(ctx), v.cluster);
  const s = findService(c, v.service);
  if (!s) throw EcsErrors.serviceNotFound();
  if (s.service.status !== "ACTIVE") throw EcsErrors.serviceNotActive();
  if (!usesTaskSets(s)) {
    throw EcsErrors.invalidParameter("Amazon ECS only supports task set management on services configured to use external deployment controllers.");
  }
  return { c, s };
}

function findTaskSet(s: ServiceRec, ref: string): TaskSetRec | undefined {
  const id = ref.startsWith("arn:") ? ref.split("/").slice(-2).join("/") : ref;
  const ts = s.taskSets.get(id);
  if (!ts || (ref.startsWith("arn:") && ts.taskSet.taskSetArn !== ref)) return undefined;
  return ts;
}

/** A task set as AWS answers it: tags when asked for (DescribeTaskSets include TAGS), else only when it has some (recorded). */
function view(ts: TaskSetRec, withTags?: boolean): TaskSet {
  const { tags, ...rest } = structuredClone(ts.taskSet);
  return (withTags ?? (tags?.length ?? 0) > 0) ? { ...rest, tags } : rest;
}

const SCALE = { type: "structure", fields: { value: { type: "double", min: 0, max: 100 }, unit: { enum: ["PERCENT"] } } } as const;

export async function CreateTaskSet(ctx: Ctx, input: unknown) {
  const v = check<NewTaskSet & { cluster: string; service: string }>(input, {
    cluster: { required: true },
    service: { required: true },
    taskDefinition: { required: true },
    externalId: {},
    launchType: { enum: ["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"] },
    capacityProviderStrategy: STRATEGY_SPEC,
    platformVersion: {},
    networkConfiguration: NETWORK_SPEC,
    loadBalancers: { type: "list", items: { type: "structure" } },
    serviceRegistries: { type: "list", items: { type: "structure" } },
    scale: SCALE,
    clientToken: {},
    tags: TAG_SPEC,
  });
  const st = state(ctx);
  const { c, s } = serviceFor(ctx, v);
  const td = resolveTaskDefinition(st, v.taskDefinition);
  if (td?.status !== "ACTIVE") throw EcsErrors.taskDefinitionNotFound();
  if (v.launchType && v.capacityProviderStrategy?.length) {
    throw EcsErrors.invalidParameter("Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.");
  }
  // aws-samples/ecs-bg-external-controller#6: a service holds at most 5 task sets (deployments).
  if (s.taskSets.size >= 5)
    throw EcsErrors.invalidParameter(`${s.taskSets.size} deployments exist on the service. Unable to create new TaskSet since this exceeds the maximum limit.`);
  const env = envFor(ctx);
  // Without a scale, a new task set runs none of the service's tasks (recorded: scale 0 PERCENT).
  const scale = { value: v.scale?.value ?? 0, unit: v.scale?.unit ?? "PERCENT" } as Scale;
  const ts = addTaskSet(env, c, s, { ...v, scale, taskDefinition: td.taskDefinitionArn!, startedBy: undefined }, ctx.now());
  await reconcile(env, s);
  return { taskSet: view(ts) };
}

export function DescribeTaskSets(ctx: Ctx, input: unknown) {
  const v = check<{ cluster: string; service: string; taskSets?: string[]; include?: string[] }>(input, {
    cluster: { required: true },
    service: { required: true },
    taskSets: { type: "list", items: {} },
    include: { type: "list", items: { enum: ["TAGS"] } },
  });
  const st = state(ctx);
  const c = findCluster(st, v.cluster);
  const s = findService(c, v.service);
  if (!s) throw EcsErrors.serviceNotFound();
  if (!usesTaskSets(s)) {
    throw EcsErrors.invalidParameter("Amazon ECS only supports task set management on services configured to use external deployment controllers.");
  }
  refreshTaskSetCounts(c, s);
  const withTags = includes(v, "TAGS");
  if (!v.taskSets?.length) return { taskSets: [...s.taskSets.values()].map((t) => view(t, withTags)), failures: [] };
  const taskSets: TaskSet[] = [];
  const failures: Array<{ arn: string; reason: string }> = [];
  // boto/boto3#3895: a task's ARN given as a task set is no task set identifier at all.
  if (v.taskSets.some((ref) => ref.startsWith("arn:") && !/^arn:[^:]+:ecs:[^:]*:[^:]*:task-set\//.test(ref)))
    throw EcsErrors.invalidParameter("Task Set Identifier is invalid");
  for (const ref of v.taskSets) {
    const ts = findTaskSet(s, ref);
    if (ts) taskSets.push(view(ts, withTags));
    else failures.push({ arn: ref, reason: "MISSING" });
  }
  return { taskSets, failures };
}

export async function UpdateTaskSet(ctx: Ctx, input: unknown) {
  const v = check<{ cluster: string; service: string; taskSet: string; scale: Scale }>(input, {
    cluster: { required: true },
    service: { required: true },
    taskSet: { required: true },
    scale: { ...SCALE, required: true },
  });
  const { s } = serviceFor(ctx, v);
  const ts = findTaskSet(s, v.taskSet);
  if (!ts) throw EcsErrors.taskSetNotFound();
  ts.taskSet.scale = { value: v.scale.value ?? ts.taskSet.scale?.value ?? 100, unit: v.scale.unit ?? "PERCENT" };
  ts.taskSet.updatedAt = ctx.now();
  await reconcile(envFor(ctx), s);
  return { taskSet: view(ts) };
}

export async function DeleteTaskSet(ctx: Ctx, input: unknown) {
  const v = check<{ cluster: string; service: string; taskSet: string; force?: boolean }>(input, {
    cluster: { required: true },
    service: { required: true },
    taskSet: { required: true },
    force: { type: "boolean" },
  });
  const { s } = serviceFor(ctx, v);
  const ts = findTaskSet(s, v.taskSet);
  if (!ts) throw EcsErrors.taskSetNotFound();
  if (!v.force && (ts.taskSet.scale?.value ?? 0) > 0 && (ts.taskSet.runningCount ?? 0) + (ts.taskSet.pendingCount ?? 0) > 0) {
    throw EcsErrors.invalidParameter(
      "The task set cannot be deleted because it has not been scaled down to zero. Use the force parameter to delete it anyway.",
    );
  }
  ts.taskSet.status = "DRAINING";
  ts.taskSet.updatedAt = ctx.now();
  ts.taskSet.computedDesiredCount = 0; // a draining task set keeps no tasks (AWS answers 0)
  const snapshot = view(ts);
  await reconcile(envFor(ctx), s);
  return { taskSet: snapshot };
}

export async function UpdateServicePrimaryTaskSet(ctx: Ctx, input: unknown) {
  const v = check<{ cluster: string; service: string; primaryTaskSet: string }>(input, {
    cluster: { required: true },
    service: { required: true },
    primaryTaskSet: { required: true },
  });
  const { s } = serviceFor(ctx, v);
  const ts = findTaskSet(s, v.primaryTaskSet);
  if (!ts || ts.taskSet.status === "DRAINING") throw EcsErrors.taskSetNotFound();
  const now = ctx.now();
  for (const other of s.taskSets.values())
    if (other !== ts && other.taskSet.status === "PRIMARY") {
      other.taskSet.status = "ACTIVE";
      other.taskSet.updatedAt = now;
    }
  ts.taskSet.status = "PRIMARY";
  ts.taskSet.updatedAt = now;
  s.service.taskDefinition = ts.taskSet.taskDefinition;
  await reconcile(envFor(ctx), s);
  return { taskSet: view(ts) };
}
