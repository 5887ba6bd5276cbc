/**
 * Services and their scheduler. A service keeps real task records: reconcile() starts and stops tasks so
 * the PRIMARY deployment reaches desiredCount, rolls old deployments out within minimumHealthyPercent /
 * maximumPercent, and replaces tasks that stop (with back-off for tasks that keep failing). Counts are
 * derived from the tasks, never stored apart from them. Fake mode converges within the request.
 */
import type {
  CapacityProviderStrategyItem,
  CreateServiceRequest,
  Deployment,
  DeploymentConfiguration,
  LoadBalancer,
  NetworkConfiguration,
  Service,
  ServiceEvent,
  ServiceRegistry,
  TaskDefinition,
} from "@aws-sdk/client-ecs";
import { randomUUID } from "node:crypto";
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import {
  callerArn,
  check,
  networkWithDefaults,
  ecsArn,
  findCluster,
  includes,
  nameOf,
  NETWORK_SPEC,
  PLACEMENT_CONSTRAINTS_SPEC,
  PLACEMENT_STRATEGY_SPEC,
  STRATEGY_SPEC,
  state,
  strategyWithDefaults,
  TAG_SPEC,
  tagsOut,
} from "./common.js";
import { EcsErrors } from "./errors.js";
import { envFor } from "./env.js";
import type { EcsEnv } from "./runtime-bridge.js";
import type { ClusterRec, EcsState, InstanceRec, ServiceRec, TaskRec } from "./state.js";
import { checkNetworkMode, checkPlatform, createTasks, planPlacement, requestStop, usesInstances } from "./tasks.js";
import { BUILT_IN, defaultStrategyUsable, validateStrategy } from "./capacity-providers.js";
import { daemonTargets, fitsOn, hasInstances, reservation } from "./container-instances.js";
import { checkConstraints } from "./query.js";
import {
  checkLifecycleHooks,
  completionHeld,
  deploymentCompleted,
  deploymentNumber,
  deploymentsOf,
  hooksSettled,
  recordDeployment,
  scaleUpHeld,
  type ServiceDeploymentRec,
} from "./service-deployments.js";
import { addTaskSet, reconcileTaskSets, refreshTaskSetCounts, usesTaskSets } from "./task-sets.js";
import { resolveTaskDefinition } from "./task-definitions.js";
import { checkVolumeConfigurations } from "./task-volumes.js";
import { deploymentDigests, pinDeploymentDigests } from "./image-digests.js";
import { isExpressService } from "./express.js";
import { checkServiceConnectNamespace, releaseServiceConnectResources, serviceConnectAnswered, serviceConnectResources } from "./service-connect.js";
import { registryRecordTypes } from "./service-registry.js";

const SERVICE_NAME = /^[a-zA-Z0-9_-]{1,255}$/;
const MAX_EVENTS = 100;

const deploymentId = () =>
  `ecs-svc/${Array.from({ length: 19 }, (_, i) => (i === 0 ? 1 + Math.floor(Math.random() * 9) : Math.floor(Math.random() * 10))).join("")}`;

function event(s: ServiceRec, message: string, now = new Date()) {
  const events = (s.service.events ??= []);
  events.unshift({ id: randomUUID(), createdAt: now, message } as ServiceEvent);
  if (events.length > MAX_EVENTS) events.length = MAX_EVENTS;
}

function newDeployment(
  s: Service,
  now: Date,
  td: string,
  network?: NetworkConfiguration,
  serviceConnect?: Deployment["serviceConnectConfiguration"],
): Deployment {
  const id = deploymentId();
  return {
    serviceConnectConfiguration: serviceConnect,
    id,
    status: "PRIMARY",
    taskDefinition: td,
    desiredCount: s.desiredCount,
    pendingCount: 0,
    runningCount: 0,
    failedTasks: 0,
    createdAt: now,
    updatedAt: now,
    launchType: s.launchType,
    capacityProviderStrategy: s.capacityProviderStrategy,
    // A deployment names the platform version LATEST resolved to (recorded: service LATEST, deployment 1.4.0).
    platformVersion: s.platformVersion === "LATEST" ? "1.4.0" : s.platformVersion,
    platformFamily: s.platformFamily,
    networkConfiguration: network,
    rolloutState: "IN_PROGRESS",
    rolloutStateReason: `ECS deployment ${id} in progress.`,
  };
}

function liveTasks(c: ClusterRec, depId: string | undefined): TaskRec[] {
  if (!depId) return [];
  const out: TaskRec[] = [];
  for (const id of c.byStartedBy.get(depId) ?? []) {
    const r = c.tasks.get(id);
    if (r && r.task.desiredStatus === "RUNNING") out.push(r);
  }
  return out;
}

/** Recompute deployment and service counts from the tasks. */
export function refreshCounts(c: ClusterRec, s: ServiceRec): void {
  let running = 0;
  let pending = 0;
  for (const d of s.service.deployments) {
    const tasks = liveTasks(c, d.id);
    d.runningCount = tasks.filter((t) => t.task.lastStatus === "RUNNING").length;
    d.pendingCount = tasks.length - d.runningCount;
    running += d.runningCount;
    pending += d.pendingCount;
  }
  s.service.runningCount = running;
  s.service.pendingCount = pending;
}

const reconciling = new WeakSet<ServiceRec>();
const again = new WeakSet<ServiceRec>();

/** Bring the service's tasks toward its deployments' goals; safe to call from any task event. */
export async function reconcile(env: EcsEnv, s: ServiceRec): Promise<void> {
  if (reconciling.has(s)) {
    again.add(s);
    return;
  }
  reconciling.add(s);
  try {
    do {
      again.delete(s);
      try {
        await reconcileOnce(env, s);
      } catch (e) {
        // Runs after requests end too: an error becomes a service event, never an unhandled rejection.
        event(s, `(service ${s.service.serviceName}) was unable to schedule tasks: ${e instanceof Error ? e.message : String(e)}`);
      }
    } while (again.has(s));
  } finally {
    reconciling.delete(s);
  }
}

async function reconcileOnce(env: EcsEnv, s: ServiceRec): Promise<void> {
  const c = env.st.clusters.get(s.cluster);
  const svc = s.service;
  if (!c || svc.status === "INACTIVE") return;
  if (usesTaskSets(s)) return reconcileTaskSets(env, s, c);
  const now = new Date();
  const primary = svc.deployments.find((d) => d.status === "PRIMARY");
  const daemon = svc.schedulingStrategy === "DAEMON" && svc.status === "ACTIVE" ? daemonTargetsOf(env, s, c, primary) : undefined;
  // A DAEMON service's desired count is its number of eligible container instances (AWS computes it).
  if (daemon) svc.desiredCount = daemon.length;
  const desired = svc.status === "DRAINING" ? 0 : (svc.desiredCount ?? 0);
  if (primary) primary.desiredCount = desired;
  const cfg = svc.deploymentConfiguration ?? {};
  const maxTotal = Math.max(desired, Math.floor((desired * (cfg.maximumPercent ?? 200)) / 100));
  const minHealthy = Math.ceil((desired * (cfg.minimumHealthyPercent ?? 100)) / 100);
  // Tasks on a DRAINING (or deregistered) container instance count as old: replaced within the deployment limits.
  const draining = (t: TaskRec) => t.instance !== undefined && c.instances.get(t.instance)?.ci.status !== "ACTIVE";
  const oldTasks = () => [...svc.deployments.filter((d) => d !== primary).flatMap((d) => liveTasks(c, d.id)), ...liveTasks(c, primary?.id).filter(draining)];
  const fresh = liveTasks(c, primary?.id).filter((t) => !draining(t));
  const old = oldTasks();

  if (fresh.length > desired) {
    const nowMs = now.getTime();
    const onTarget = (t: TaskRec) => daemon?.some((i) => i.id === t.instance) ?? false;
    const excess = fresh
      .filter((t) => !(t.protectedUntilMs !== undefined && t.protectedUntilMs > nowMs))
      .reverse()
      // A daemon first gives up the tasks on instances it no longer covers.
      .sort((a, b) => Number(onTarget(a)) - Number(onTarget(b)))
      .slice(0, fresh.length - desired);
    for (const t of excess) requestStop(env, t, `Scaling activity initiated by (deployment ${primary!.id})`, "ServiceSchedulerInitiated", now);
    if (excess.length) event(s, `(service ${svc.serviceName}) has stopped ${excess.length} running tasks: ${excess.map((t) => `(task ${t.id})`).join(" ")}.`);
  }
  // A PAUSE hook waiting before SCALE_UP: the new revision starts no task and the old one keeps all of its.
  const held = primary !== undefined && scaleUpHeld(env, primary.id!, now);
  const canStart = Math.min(desired - fresh.length, maxTotal - fresh.length - old.length);
  if (primary && canStart > 0 && !held && !s.retryTimer && primary.rolloutState !== "FAILED") {
    const td = resolveTaskDefinition(env.st, primary.taskDefinition!);
    const count = !td ? { count: 0 } : daemon ? daemonPlacement(env, s, td, daemon, fresh, canStart) : placeable(env, s, c, td, canStart);
    if (td && count.count > 0) {
      const recs = await createTasks(env, {
        cluster: c,
        td,
        count: count.count,
        instances: count.instances,
        launchType: svc.capacityProviderStrategy?.length ? undefined : svc.launchType,
        capacityProviderStrategy: svc.capacityProviderStrategy,
        networkConfiguration: primary.networkConfiguration,
        startedBy: primary.id,
        service: svc.serviceName,
        group: `service:${svc.serviceName}`,
        propagateTags: svc.propagateTags,
        serviceTags: svc.tags,
        enableECSManagedTags: svc.enableECSManagedTags,
        enableExecuteCommand: svc.enableExecuteCommand,
        platformVersion: svc.platformVersion,
        volumeConfigurations: primary.volumeConfigurations,
        imageDigests: deploymentDigests(env.st, primary.id),
      });
      event(s, `(service ${svc.serviceName}) has started ${recs.length} tasks: ${recs.map((t) => `(task ${t.id})`).join(" ")}.`);
    }
  }
  const freshRunning = liveTasks(c, primary?.id).filter((t) => !draining(t) && t.task.lastStatus === "RUNNING").length;
  const oldNow = oldTasks();
  const stoppable = Math.min(oldNow.length, oldNow.length + freshRunning - minHealthy);
  if (stoppable > 0 && !held) {
    const victims = oldNow.sort((a, b) => Number(a.task.lastStatus === "RUNNING") - Number(b.task.lastStatus === "RUNNING")).slice(0, stoppable);
    for (const t of victims) requestStop(env, t, `Scaling activity initiated by (deployment ${t.task.startedBy})`, "ServiceSchedulerInitiated", now);
    event(s, `(service ${svc.serviceName}) has stopped ${victims.length} running tasks: ${victims.map((t) => `(task ${t.id})`).join(" ")}.`);
  }
  svc.deployments = svc.deployments.filter((d) => d === primary || liveTasks(c, d.id).length > 0);
  refreshCounts(c, s);
  settle(env, s, primary, now);
}

/** A DAEMON service's instances: every ACTIVE one meeting the task definition's and the service's memberOf constraints. */
function daemonTargetsOf(env: EcsEnv, s: ServiceRec, c: ClusterRec, primary: Deployment | undefined): InstanceRec[] {
  const td = primary?.taskDefinition ? resolveTaskDefinition(env.st, primary.taskDefinition) : undefined;
  return td ? daemonTargets(env.st, c, [...(td.placementConstraints ?? []), ...(s.service.placementConstraints ?? [])]) : [];
}

/** One new task on each target instance that has none of this deployment's yet and has room for it. */
function daemonPlacement(env: EcsEnv, s: ServiceRec, td: TaskDefinition, targets: InstanceRec[], fresh: TaskRec[], wanted: number) {
  const o = { group: `service:${s.service.serviceName}`, reserved: reservation(td) };
  const instances = targets.filter((i) => !fresh.some((t) => t.instance === i.id) && fitsOn(env.st, i, td, o) === undefined).slice(0, wanted);
  return { count: instances.length, instances };
}

/** How many of `wanted` tasks the cluster can take now (EC2 placement on container instances), with an event when not all. */
function placeable(env: EcsEnv, s: ServiceRec, c: ClusterRec, td: TaskDefinition, wanted: number): { count: number; instances?: InstanceRec[] } {
  const svc = s.service;
  const ec2 = usesInstances(svc.launchType, svc.capacityProviderStrategy);
  const unable = (reason: string) =>
    event(
      s,
      `(service ${svc.serviceName}) was unable to place a task because no container instance met all of its requirements. ${reason} For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`,
    );
  if (ec2 && !hasInstances(c) && env.sim.config.strict) {
    unable("Reason: No Container Instances were found in your cluster.");
    return { count: 0 };
  }
  const plan = planPlacement(env.st, false, {
    cluster: c,
    td,
    count: wanted,
    ec2,
    constraints: svc.placementConstraints,
    strategy: svc.placementStrategy,
    group: `service:${svc.serviceName}`,
  });
  if (plan.count < wanted) {
    const closest = plan.failures[0];
    const what: Record<string, string> = { "RESOURCE:CPU": "CPU units", "RESOURCE:MEMORY": "memory", "RESOURCE:PORTS": "ports", "RESOURCE:PORTS_UDP": "ports" };
    unable(
      closest && what[closest.reason!]
        ? `The closest matching (container-instance ${closest.arn!.split("/").pop()}) has insufficient ${what[closest.reason!]} available.`
        : closest
          ? `The closest matching (container-instance ${closest.arn!.split("/").pop()}) is missing an attribute required by your task.`
          : "Reason: No Container Instances were found in your cluster.",
    );
  }
  return plan;
}

function settle(env: EcsEnv, s: ServiceRec, primary: Deployment | undefined, now: Date) {
  const svc = s.service;
  if (svc.status === "DRAINING" && svc.runningCount === 0 && svc.pendingCount === 0) {
    svc.status = "INACTIVE";
    s.inactiveAtMs = now.getTime();
    return;
  }
  if (!primary) return;
  const stable = svc.deployments.length === 1 && primary.runningCount === primary.desiredCount && primary.pendingCount === 0;
  if (stable && primary.rolloutState === "IN_PROGRESS" && !stabilized(env, s, primary, now)) return;
  // A PAUSE hook waiting at a later stage holds the completion.
  if (stable && primary.rolloutState === "IN_PROGRESS" && completionHeld(env, primary.id!, now)) return;
  if (stable && primary.rolloutState === "IN_PROGRESS") {
    primary.rolloutState = "COMPLETED";
    primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
    primary.updatedAt = now;
    deploymentCompleted(env.st, primary.id!, now);
    event(s, `(service ${svc.serviceName}) (deployment ${primary.id}) deployment completed.`, now);
    event(s, `(service ${svc.serviceName}) has reached a steady state.`, now);
  } else if (!stable && primary.rolloutState === "COMPLETED" && svc.deployments.length > 1) {
    primary.rolloutState = "IN_PROGRESS";
  }
}

/** In execute mode a deployment completes only once its tasks have stayed RUNNING for a moment (as ECS waits for steady state). */
const STABILIZE_MS = 1500;
function stabilized(env: EcsEnv, s: ServiceRec, primary: Deployment, now: Date): boolean {
  if (!env.sim.config.execute) return true;
  const c = env.st.clusters.get(s.cluster);
  let youngest = 0;
  for (const t of c ? liveTasks(c, primary.id) : []) youngest = Math.max(youngest, t.task.startedAt?.getTime() ?? now.getTime());
  const wait = youngest + STABILIZE_MS - now.getTime();
  if (wait <= 0) return true;
  if (!s.settleTimer) {
    s.settleTimer = setTimeout(() => {
      s.settleTimer = undefined;
      void reconcile(env, s);
    }, wait);
    s.settleTimer.unref();
  }
  return false;
}

/** A service task reached RUNNING: the rollout can move on (stop old tasks, complete the deployment). */
export function onServiceTaskRunning(env: EcsEnv, rec: TaskRec): void {
  const s = env.st.clusters.get(rec.cluster)?.services.get(rec.service!);
  if (s && s.service.status !== "INACTIVE") void reconcile(env, s);
}

/** A service task stopped: replace it (with back-off when tasks keep failing). */
export function onServiceTaskStopped(env: EcsEnv, rec: TaskRec): void {
  const c = env.st.clusters.get(rec.cluster);
  const s = c?.services.get(rec.service!);
  if (!c || !s || s.service.status === "INACTIVE") return;
  const t = rec.task;
  const ranMs = t.startedAt && t.stoppedAt ? t.stoppedAt.getTime() - t.startedAt.getTime() : 0;
  const crashed = t.stopCode === "TaskFailedToStart" || (t.stopCode === "EssentialContainerExited" && (t.containers ?? []).some((x) => x.exitCode !== 0));
  if (crashed && ranMs < 10_000) {
    s.failures++;
    const dep = s.service.deployments.find((d) => d.id === t.startedBy);
    if (dep) {
      dep.failedTasks = (dep.failedTasks ?? 0) + 1;
      if (circuitBreaker(env, c, s, dep)) return;
    }
  } else s.failures = 0;
  if (s.failures > 0 && !s.retryTimer && s.service.status === "ACTIVE") {
    const delay = Math.min(1000 * 2 ** (s.failures - 1), 30_000);
    s.retryTimer = setTimeout(() => {
      s.retryTimer = undefined;
      void reconcile(env, s);
    }, delay);
    s.retryTimer.unref();
  }
  void reconcile(env, s);
}

/**
 * The deployment circuit breaker: when a PRIMARY deployment in progress reaches its failed-task threshold
 * (half the desired count, at least 3, at most 200) it FAILS; with rollback on, the last deployment that
 * completed is deployed again, else the scheduler stops launching tasks for it. True when it tripped.
 */
function circuitBreaker(env: EcsEnv, c: ClusterRec, s: ServiceRec, dep: Deployment): boolean {
  const svc = s.service;
  const cb = svc.deploymentConfiguration?.deploymentCircuitBreaker;
  const sd = deploymentsOf(env.st).byDeploymentId.get(dep.id!);
  if (sd?.sd.deploymentCircuitBreaker && sd.deploymentId === dep.id) sd.sd.deploymentCircuitBreaker.failureCount = dep.failedTasks;
  if (!cb?.enable || dep.status !== "PRIMARY" || dep.rolloutState !== "IN_PROGRESS") return false;
  const threshold = Math.min(200, Math.max(3, Math.ceil((svc.desiredCount ?? 0) / 2)));
  if ((dep.failedTasks ?? 0) < threshold) return false;
  const now = new Date();
  dep.rolloutState = "FAILED";
  dep.rolloutStateReason = "ECS deployment circuit breaker: tasks failed to start.";
  dep.updatedAt = now;
  event(s, `(service ${svc.serviceName}) (deployment ${dep.id}) deployment failed: tasks failed to start.`, now);
  if (sd?.sd.deploymentCircuitBreaker) sd.sd.deploymentCircuitBreaker.status = "TRIGGERED";
  clearTimeout(s.retryTimer);
  s.retryTimer = undefined;
  const source = sd?.sd.sourceServiceRevisions?.[0]?.arn;
  const previous = source ? deploymentsOf(env.st).revisions.get(source)?.taskDefinition : undefined;
  if (cb.rollback && previous && sd) {
    sd.sd.status = "ROLLBACK_IN_PROGRESS";
    sd.sd.rollback = { reason: "ECS deployment circuit breaker: tasks failed to start.", startedAt: now, serviceRevisionArn: source };
    sd.sd.updatedAt = now;
    void rollbackTo(env, c, s, previous, sd);
  } else if (sd) {
    sd.sd.status = "STOPPED";
    sd.sd.statusReason = "ECS deployment circuit breaker: tasks failed to start.";
    sd.sd.stoppedAt = now;
    sd.sd.updatedAt = now;
  }
  return true;
}

export function findService(c: ClusterRec, ref: string): ServiceRec | undefined {
  const s = c.services.get(nameOf(ref));
  if (!s || (ref.startsWith("arn:") && s.service.serviceArn !== ref)) return undefined;
  return s;
}

/**
 * A service as AWS answers it: the revisions its deployments run, the service deployment of its PRIMARY deployment
 * (currentServiceDeployment; a rollback stays in the service deployment it rolls back) and who manages it
 * (resourceManagementType CUSTOMER, ECS for an Express service: recorded create-service and describe-services answers).
 */
function serviceView(st: EcsState, s: ServiceRec, withTags: boolean): Service {
  const { tags, ...rest } = s.service;
  const view: Service = structuredClone(withTags ? { ...rest, tags } : rest);
  const primary = s.service.deployments?.find((d) => d.status === "PRIMARY");
  const sd = primary?.id ? deploymentsOf(st).byDeploymentId.get(primary.id) : undefined;
  if (sd) view.currentServiceDeployment = sd.sd.serviceDeploymentArn;
  view.resourceManagementType = isExpressService(st, s.service.serviceArn!) ? "ECS" : "CUSTOMER";
  // The revisions its deployments run, with their task counts (a revision's id is its deployment's number).
  const current = (s.service.deployments ?? []).flatMap((d) => {
    const num = deploymentNumber(d.id);
    if (!num || (d.status !== "PRIMARY" && d.status !== "ACTIVE")) return [];
    const arn = `${s.service.serviceArn.replace(":service/", ":service-revision/")}/${num}`;
    return [{ arn, requestedTaskCount: d.desiredCount ?? 0, runningTaskCount: d.runningCount ?? 0, pendingTaskCount: d.pendingCount ?? 0 }];
  });
  if (current.length) view.currentServiceRevisions = current;
  return view;
}

const SERVICE_COMMON_SPEC = {
  cluster: {},
  taskDefinition: {},
  capacityProviderStrategy: STRATEGY_SPEC,
  networkConfiguration: NETWORK_SPEC,
  placementConstraints: PLACEMENT_CONSTRAINTS_SPEC,
  placementStrategy: PLACEMENT_STRATEGY_SPEC,
  loadBalancers: {
    type: "list",
    items: { type: "structure", fields: { targetGroupArn: {}, loadBalancerName: {}, containerName: {}, containerPort: { type: "integer" } } },
  },
  serviceRegistries: {
    type: "list",
    items: { type: "structure", fields: { registryArn: {}, port: { type: "integer" }, containerName: {}, containerPort: { type: "integer" } } },
  },
  deploymentConfiguration: {
    type: "structure",
    fields: {
      maximumPercent: { type: "integer" },
      minimumHealthyPercent: { type: "integer" },
      deploymentCircuitBreaker: { type: "structure", fields: { enable: { type: "boolean" }, rollback: { type: "boolean" } } },
      alarms: { type: "structure", fields: { alarmNames: { type: "list", items: {} }, enable: { type: "boolean" }, rollback: { type: "boolean" } } },
    },
  },
  deploymentController: { type: "structure", fields: { type: { enum: ["ECS", "CODE_DEPLOY", "EXTERNAL"] } } },
  platformVersion: {},
  role: {},
  clientToken: {},
  healthCheckGracePeriodSeconds: { type: "integer" },
  enableECSManagedTags: { type: "boolean" },
  enableExecuteCommand: { type: "boolean" },
  propagateTags: { enum: ["TASK_DEFINITION", "SERVICE", "NONE"] },
  serviceConnectConfiguration: {
    type: "structure",
    fields: { enabled: { type: "boolean" }, namespace: {}, services: { type: "list", items: { type: "structure" } } },
  },
  volumeConfigurations: { type: "list", items: { type: "structure" } },
  vpcLatticeConfigurations: { type: "list", items: { type: "structure" } },
} as const;

/**
 * A spread strategy's field "host" has the same effect as "instanceId" (API reference, PlacementStrategy) and
 * AWS answers it as instanceId (the Terraform provider's acceptance test TestAccECSService_PlacementStrategy_basic).
 */
function spreadHostAsInstanceId<T extends { type?: string; field?: string }>(list: T[] | undefined): T[] | undefined {
  return list?.map((x) => (x.type === "spread" && x.field === "host" ? { ...x, field: "instanceId" } : x));
}

type CreateInput = CreateServiceRequest & { serviceName: string };

/** What a DAEMON service may not be given, with AWS's messages (quoted from AWS in ecspresso#17, ecspresso#402). */
function checkDaemon(v: { desiredCount?: number; placementStrategy?: unknown[] }): void {
  if (v.desiredCount !== undefined)
    throw EcsErrors.invalidParameter(
      "The daemon scheduling strategy does not support a desired count for services. Remove the desired count value and try again",
    );
  if (v.placementStrategy?.length)
    throw EcsErrors.invalidParameter("The daemon scheduling strategy does not support placement strategies. Remove the placement strategy and try again");
}

/**
 * A load balancer names a container of the task definition and one of its mapped ports, as AWS answers CreateService
 * (aws/amazon-ecs-cli#359, aws/amazon-ecs-agent#1276, boltops-tools/ufo#114, pulumi/pulumi-aws#3095,
 * cloudcomponents/cdk-constructs#67).
 */
function checkLoadBalancers(td: TaskDefinition | undefined, lbs: LoadBalancer[] | undefined): void {
  if (!td) return;
  for (const lb of lbs ?? []) {
    if (!lb.containerName) throw EcsErrors.invalidParameter("Container Name can not be blank.");
    const container = td.containerDefinitions?.find((d) => d.name === lb.containerName);
    if (!container) throw EcsErrors.invalidParameter(`The container ${lb.containerName} does not exist in the task definition.`);
    if (lb.containerPort !== undefined && !(container.portMappings ?? []).some((p) => p.containerPort === lb.containerPort))
      throw EcsErrors.invalidParameter(`The container ${lb.containerName} did not have a container port ${lb.containerPort} defined.`);
  }
}

/**
 * A registry takes a port or a container name and port, not both (trussworks/terraform-aws-ecs-service#344), and no
 * container port for a Cloud Map service without SRV records (telia-oss/terraform-aws-ecs-fargate#36).
 */
async function checkRegistries(env: EcsEnv, registries: ServiceRegistry[] | undefined): Promise<void> {
  for (const r of registries ?? []) {
    if (r.port !== undefined && (r.containerName !== undefined || r.containerPort !== undefined))
      throw EcsErrors.invalidParameter("Specify a value for either 'port' or the 'containerName' and 'containerPort' combination, but not both");
    const types = r.containerPort !== undefined ? await registryRecordTypes(env, r.registryArn) : undefined;
    if (types && !types.includes("SRV"))
      throw EcsErrors.invalidParameter("The values specified for serviceRegistries do not require a value for 'containerPort'. Remove the value and retry.");
  }
}

/**
 * "For create service requests, when no value is specified for AvailabilityZoneRebalancing, Amazon ECS defaults the
 * value to ENABLED" (CreateService, since June 30, 2025) for services compatible with it; "services that are not
 * compatible — such as those using the binpack placement strategy — will default to false" (AWS's announcement).
 * Daemon services and the EXTERNAL launch type have no Availability Zones to balance.
 */
function defaultRebalancing(v: CreateInput): "ENABLED" | "DISABLED" {
  const incompatible = v.schedulingStrategy === "DAEMON" || v.launchType === "EXTERNAL" || (v.placementStrategy ?? []).some((p) => p.type === "binpack");
  return incompatible ? "DISABLED" : "ENABLED";
}

export async function CreateService(ctx: Ctx, input: unknown) {
  const v = check<CreateInput>(input, {
    ...SERVICE_COMMON_SPEC,
    serviceName: { required: true },
    taskDefinition: {},
    desiredCount: { type: "integer", min: 0 },
    launchType: { enum: ["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"] },
    schedulingStrategy: { enum: ["REPLICA", "DAEMON"] },
    tags: TAG_SPEC,
    propagateTags: { enum: ["TASK_DEFINITION", "SERVICE", "NONE"] },
  });
  if (!SERVICE_NAME.test(v.serviceName))
    throw EcsErrors.invalidParameter("Service name can only contain alphanumeric characters, hyphens, and underscores and must be up to 255 characters long.");
  const st = state(ctx);
  const c = findCluster(st, v.cluster);
  const existing = c.services.get(v.serviceName);
  // The clientToken "ensures the idempotency of the request": a retry of the request that created it answers the service.
  if (existing && existing.service.status !== "INACTIVE" && v.clientToken !== undefined && existing.clientToken === v.clientToken)
    return { service: serviceView(st, existing, false) };
  if (existing && existing.service.status !== "INACTIVE") throw EcsErrors.invalidParameter("Creation of service was not idempotent.");
  const controller = v.deploymentController?.type ?? "ECS";
  // hashicorp/terraform-provider-aws#27362 (an empty taskDefinition), terraform-aws-modules/terraform-aws-ecs#278 and
  // aws/aws-cdk#6245 (one given to an EXTERNAL service, whose task sets carry theirs).
  if (v.taskDefinition === "") throw EcsErrors.invalidParameter("Family should not be null or empty.");
  if (v.taskDefinition !== undefined && controller === "EXTERNAL") throw EcsErrors.invalidParameter("TaskDefinition must be blank.");
  if (!v.taskDefinition && controller !== "EXTERNAL") throw EcsErrors.invalidParameter("TaskDefinition must be specified.");
  const td = v.taskDefinition !== undefined ? resolveTaskDefinition(st, v.taskDefinition) : undefined;
  if (v.taskDefinition !== undefined && td?.status !== "ACTIVE") throw EcsErrors.taskDefinitionNotFound();
  if (v.launchType && v.capacityProviderStrategy?.length)
    throw EcsErrors.invalidParameter("Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.");
  if (v.schedulingStrategy === "DAEMON") checkDaemon(v);
  if (v.capacityProviderStrategy?.length) validateStrategy(st, v.capacityProviderStrategy, c.cluster.capacityProviders, ctx.config.strict);
  checkConstraints(v.placementConstraints);
  checkLifecycleHooks(v.deploymentConfiguration);
  // No launch type and no strategy: the cluster's default capacity provider strategy applies.
  const strategy = v.capacityProviderStrategy?.length
    ? strategyWithDefaults(v.capacityProviderStrategy)
    : !v.launchType && c.cluster.defaultCapacityProviderStrategy?.length
      ? c.cluster.defaultCapacityProviderStrategy
      : undefined;
  // AWS refuses it for a cluster's default strategy too (aws/containers-roadmap#692); --launch-type EC2 avoids it.
  if (v.schedulingStrategy === "DAEMON" && strategy)
    throw EcsErrors.invalidParameter(
      "Specifying a capacity provider strategy is not supported when you create a service using the DAEMON scheduling strategy.",
    );
  if (strategy && !v.capacityProviderStrategy?.length) defaultStrategyUsable(strategy);
  const fargate = v.launchType === "FARGATE" || strategy?.some((x) => BUILT_IN.includes(x.capacityProvider!));
  if (fargate && td && !td.compatibilities?.includes("FARGATE")) throw EcsErrors.invalidParameter("Task definition does not support launch_type FARGATE.");
  if (td) await checkVolumeConfigurations(envFor(ctx), td, v.volumeConfigurations);
  if (v.launchType === "EC2" && v.platformVersion !== undefined) throw EcsErrors.platformVersionWithEc2();
  checkPlatform(td, !!fargate, v.platformVersion);
  checkNetworkMode(td, v.networkConfiguration, fargate || ctx.config.strict);
  checkLoadBalancers(td, v.loadBalancers);
  await checkRegistries(envFor(ctx), v.serviceRegistries);
  await checkServiceConnectNamespace(ctx, v.serviceConnectConfiguration);
  v.networkConfiguration = networkWithDefaults(v.networkConfiguration);
  const now = ctx.now();
  // An ECS-controlled service answers the ROLLING strategy and a bake time of 0 unless given (recorded
  // create-service and describe-services answers).
  const cfg: DeploymentConfiguration = {
    deploymentCircuitBreaker: { enable: false, rollback: false },
    maximumPercent: 200,
    minimumHealthyPercent: 100,
    ...(controller === "ECS" ? { strategy: "ROLLING" as const, bakeTimeInMinutes: 0 } : {}),
    ...(v.deploymentConfiguration ?? {}),
  };
  const service: ServiceRec["service"] = {
    serviceArn: ecsArn(st, `service/${c.cluster.clusterName}/${v.serviceName}`),
    serviceName: v.serviceName,
    clusterArn: c.cluster.clusterArn,
    loadBalancers: v.loadBalancers ?? [],
    serviceRegistries: v.serviceRegistries ?? [],
    status: "ACTIVE",
    desiredCount: v.schedulingStrategy === "DAEMON" ? 0 : (v.desiredCount ?? 0),
    runningCount: 0,
    pendingCount: 0,
    launchType: strategy ? undefined : (v.launchType ?? "EC2"),
    capacityProviderStrategy: strategy,
    platformVersion: fargate ? (v.platformVersion ?? "LATEST") : undefined,
    platformFamily: fargate ? "Linux" : undefined,
    taskDefinition: td?.taskDefinitionArn,
    deploymentConfiguration: cfg,
    deployments: [],
    roleArn: serviceRole(st.accountId, v.role, controller, td, v.loadBalancers),
    events: [],
    createdAt: now,
    placementConstraints: v.placementConstraints ?? [],
    placementStrategy: spreadHostAsInstanceId(v.placementStrategy) ?? [],
    networkConfiguration: v.networkConfiguration,
    healthCheckGracePeriodSeconds: v.healthCheckGracePeriodSeconds ?? 0,
    schedulingStrategy: v.schedulingStrategy ?? "REPLICA",
    deploymentController: v.deploymentController ?? { type: "ECS" },
    tags: tagsOut(v.tags),
    createdBy: callerArn(ctx, st.accountId),
    enableECSManagedTags: v.enableECSManagedTags ?? false,
    propagateTags: v.propagateTags ?? "NONE",
    enableExecuteCommand: v.enableExecuteCommand ?? false,
    availabilityZoneRebalancing: v.availabilityZoneRebalancing ?? defaultRebalancing(v),
  };
  const rec: ServiceRec = { service, cluster: c.cluster.clusterName, failures: 0, taskSets: new Map(), clientToken: v.clientToken };
  if (controller === "ECS") {
    const sc = await serviceConnectAnswered(ctx, v.serviceConnectConfiguration, c.cluster.serviceConnectDefaults?.namespace);
    service.deployments = [newDeployment(service, now, td!.taskDefinitionArn!, v.networkConfiguration, sc)];
    service.deployments[0]!.volumeConfigurations = v.volumeConfigurations;
    service.deployments[0]!.vpcLatticeConfigurations = v.vpcLatticeConfigurations;
    service.deployments[0]!.serviceConnectResources = await serviceConnectResources(ctx, sc);
    recordDeployment(st, c, rec, service.deployments[0]!, now);
    await pinDeploymentDigests(envFor(ctx), service.deployments[0]!.id!, td);
  } else if (controller === "CODE_DEPLOY") {
    addTaskSet(
      envFor(ctx),
      c,
      rec,
      {
        taskDefinition: td!.taskDefinitionArn!,
        status: "PRIMARY",
        launchType: v.launchType,
        capacityProviderStrategy: strategy,
        platformVersion: v.platformVersion,
        networkConfiguration: v.networkConfiguration,
        loadBalancers: v.loadBalancers,
        serviceRegistries: v.serviceRegistries,
      },
      now,
    );
  }
  c.services.set(v.serviceName, rec);
  await reconcile(envFor(ctx), rec);
  // CreateService names tags only when some were given (recorded). ECS writes service events after it
  // answers, so the answer carries none (every create-service example in AWS's CLI docs: "events": []).
  // Nor does it name the service deployment yet (a recorded create-service answer has no currentServiceDeployment).
  const { currentServiceDeployment: _csd, ...created } = serviceView(st, rec, (service.tags?.length ?? 0) > 0);
  return { service: { ...created, events: [] } };
}

/**
 * The service's roleArn as AWS answers it: the role given (a name becomes a role ARN), else the ECS
 * service-linked role when ECS manages networking or load balancers for it (awsvpc, load balancers, an
 * EXTERNAL controller), else none (recorded in AWS's create-service examples).
 */
function serviceRole(
  accountId: string,
  role: string | undefined,
  controller: string,
  td: TaskDefinition | undefined,
  lbs: CreateServiceRequest["loadBalancers"],
): string | undefined {
  if (role) return role.startsWith("arn:") ? role : `arn:aws:iam::${accountId}:role/${role}`;
  if (td?.networkMode === "awsvpc" || lbs?.length || controller === "EXTERNAL")
    return `arn:aws:iam::${accountId}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`;
  return undefined;
}

export function DescribeServices(ctx: Ctx, input: unknown) {
  const v = check<{ cluster?: string; services: string[]; include?: string[] }>(input, {
    cluster: {},
    services: { type: "list", required: true, items: {} },
    include: { type: "list", items: { enum: ["TAGS"] } },
  });
  const st = state(ctx);
  // remind101/empire#468, structurely/ecs-autoscale#32, aws/aws-toolkit-vscode#2362.
  if (v.services.length > 10) throw EcsErrors.invalidParameter("service names can have at most 10 items.");
  checkServiceIdentifiers(v.cluster, v.services);
  const c = findCluster(st, v.cluster);
  const services: Service[] = [];
  const failures: Array<{ arn: string; reason: string }> = [];
  for (const ref of v.services) {
    const s = findService(c, ref);
    // A name AWS cannot find comes back as service/<name>, without the cluster (AWS's answer quoted in
    // aws-actions/amazon-ecs-deploy-task-definition#312: "arn:aws:ecs:us-east-2:…:service/pawebapp-service is MISSING").
    if (!s) failures.push({ arn: ref.startsWith("arn:") ? ref : ecsArn(st, `service/${ref}`), reason: "MISSING" });
    else {
      if (usesTaskSets(s)) refreshTaskSetCounts(c, s);
      else refreshCounts(c, s);
      services.push(serviceView(st, s, includes(v, "TAGS")));
    }
  }
  return { services, failures };
}

/**
 * DescribeServices reads its identifiers before looking anything up: a cluster name outside ECS's pattern
 * (awslabs/amazon-ecs-nodejs-microservices#18) and a service ARN of another cluster than the one asked
 * (aws/aws-toolkit-vscode#2915, docker/compose-cli#2086: without a cluster, the default) are InvalidParameterException.
 */
function checkServiceIdentifiers(cluster: string | undefined, services: string[]): void {
  const CLUSTER = /^[a-zA-Z0-9\-_]{1,255}$/;
  if (cluster && !cluster.startsWith("arn:") && !CLUSTER.test(cluster))
    throw EcsErrors.invalidParameter(`Cluster must match ^[a-zA-Z0-9\\-_]{1,255}$, but was ${cluster}`);
  const asked = !cluster ? "default" : cluster.startsWith("arn:") ? cluster.slice(cluster.indexOf("/") + 1) : cluster;
  for (const ref of services) {
    const m = /^arn:aws[\w-]*:ecs:[^:]*:\d*:service\/([^/]+)\/[^/]+$/.exec(ref);
    if (m && m[1] !== asked) throw EcsErrors.invalidParameter(`Invalid identifier: Identifier is for cluster ${m[1]}. Your cluster is ${asked}`);
  }
}

export function ListServices(ctx: Ctx, input: unknown) {
  const v = check<{
    cluster?: string;
    launchType?: string;
    schedulingStrategy?: string;
    resourceManagementType?: string;
    maxResults?: number;
    nextToken?: string;
  }>(input, {
    cluster: {},
    nextToken: {},
    launchType: { enum: ["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"] },
    schedulingStrategy: { enum: ["REPLICA", "DAEMON"] },
    resourceManagementType: { enum: ["CUSTOMER", "ECS"] },
    maxResults: { type: "integer", min: 1, max: 100 },
  });
  const st = state(ctx);
  const c = findCluster(st, v.cluster);
  const arns = [...c.services.values()]
    .filter((s) => s.service.status !== "INACTIVE")
    .filter((s) => v.launchType === undefined || s.service.launchType === v.launchType)
    .filter((s) => v.schedulingStrategy === undefined || s.service.schedulingStrategy === v.schedulingStrategy)
    // ECS: Express services (managed by ECS); CUSTOMER: the others.
    .filter((s) => v.resourceManagementType === undefined || isExpressService(st, s.service.serviceArn!) === (v.resourceManagementType === "ECS"))
    .map((s) => s.service.serviceArn)
    .sort();
  const page = paginate(arns, { maxResults: v.maxResults, nextToken: v.nextToken, defaultMax: 10, key: (a) => a, invalidToken: EcsErrors.invalidToken });
  return { serviceArns: page.items, nextToken: page.nextToken };
}

function sameStrategy(a: CapacityProviderStrategyItem[] | undefined, b: CapacityProviderStrategyItem[]): boolean {
  const key = (l: CapacityProviderStrategyItem[] | undefined) => JSON.stringify((l ?? []).map((i) => [i.capacityProvider, i.weight ?? 0, i.base ?? 0]));
  return key(a) === key(b);
}

export async function UpdateService(ctx: Ctx, input: unknown) {
  const v = check<
    Service & {
      cluster?: string;
      service: string;
      taskDefinition?: string;
      forceNewDeployment?: boolean;
      serviceConnectConfiguration?: Deployment["serviceConnectConfiguration"];
      volumeConfigurations?: Deployment["volumeConfigurations"];
      vpcLatticeConfigurations?: Deployment["vpcLatticeConfigurations"];
    }
  >(input, {
    ...SERVICE_COMMON_SPEC,
    service: { required: true },
    desiredCount: { type: "integer", min: 0 },
    forceNewDeployment: { type: "boolean" },
  });
  const st = state(ctx);
  const c = findCluster(st, v.cluster);
  const s = findService(c, v.service);
  if (!s) throw EcsErrors.serviceNotFound();
  if (s.service.status !== "ACTIVE") throw EcsErrors.serviceNotActive();
  if (s.service.schedulingStrategy === "DAEMON") checkDaemon(v);
  if (v.capacityProviderStrategy?.length) validateStrategy(st, v.capacityProviderStrategy, c.cluster.capacityProviders, ctx.config.strict);
  checkConstraints(v.placementConstraints);
  checkLifecycleHooks(v.deploymentConfiguration);
  const svc = s.service;
  // reproio/ecs_deploy#74, kayac/ecspresso#481, pipe-cd/pipecd#6385, aws/aws-cdk#36563: a new or changed strategy
  // takes effect only through a new deployment.
  if (v.capacityProviderStrategy !== undefined && v.forceNewDeployment !== true && !sameStrategy(svc.capacityProviderStrategy, v.capacityProviderStrategy))
    throw EcsErrors.invalidParameter(
      "When switching from launch type to capacity provider strategy on an existing service, or making a change to a capacity provider strategy on a service that is already using one, you must force a new deployment.",
    );
  const now = ctx.now();
  let redeploy = v.forceNewDeployment === true;
  if (v.taskDefinition !== undefined && usesTaskSets(s)) {
    throw EcsErrors.invalidParameter(
      `Unable to update task definition on services with a ${svc.deploymentController?.type} deployment controller. Use ${svc.deploymentController?.type === "CODE_DEPLOY" ? "AWS CodeDeploy" : "task sets"} to trigger a new deployment.`,
    );
  }
  const nextTd = v.taskDefinition !== undefined ? resolveTaskDefinition(st, v.taskDefinition) : undefined;
  if (v.taskDefinition !== undefined && !nextTd) throw EcsErrors.taskDefinitionNotFound();
  if (nextTd && nextTd.status !== "ACTIVE") throw EcsErrors.taskDefinitionInactive("ClientException");
  // aws/aws-cli#6242, aws/aws-toolkit-jetbrains#3649: ECS Exec needs a task role in the task definition the service runs.
  // sil-org/ecs-deploy#134, buildkite-plugins/ecs-deploy-buildkite-plugin#34: a Fargate service's new task definition must support Fargate.
  if (nextTd && svc.launchType === "FARGATE" && !nextTd.compatibilities?.includes("FARGATE"))
    throw EcsErrors.invalidParameter("Task definition does not support launch_type FARGATE.");
  const execTd = nextTd ?? (svc.taskDefinition ? resolveTaskDefinition(st, svc.taskDefinition) : undefined);
  if (v.volumeConfigurations !== undefined && execTd) await checkVolumeConfigurations(envFor(ctx), execTd, v.volumeConfigurations);
  if (v.enableExecuteCommand === true && execTd && !execTd.taskRoleArn)
    throw EcsErrors.invalidParameter(
      "The service couldn't be updated because a valid taskRoleArn is not being used. Specify a valid task role in your task definition and try again.",
    );
  await checkServiceConnectNamespace(ctx, v.serviceConnectConfiguration);
  if (v.networkConfiguration !== undefined && svc.deploymentController?.type === "CODE_DEPLOY")
    // aws/terraform-provider-aws#8005 (the UpdateService answer in its TF_LOG output).
    throw EcsErrors.invalidParameter(
      "Unable to update network parameters on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.",
    );
  if (v.taskDefinition !== undefined) {
    const td = nextTd!;
    if (td.taskDefinitionArn !== svc.taskDefinition) redeploy = true;
    svc.taskDefinition = td.taskDefinitionArn;
  }
  if (v.networkConfiguration !== undefined) {
    svc.networkConfiguration = networkWithDefaults(v.networkConfiguration);
    redeploy = true;
  }
  if (v.desiredCount !== undefined) svc.desiredCount = v.desiredCount;
  if (v.deploymentConfiguration) svc.deploymentConfiguration = { ...svc.deploymentConfiguration, ...v.deploymentConfiguration };
  if (v.capacityProviderStrategy) svc.capacityProviderStrategy = strategyWithDefaults(v.capacityProviderStrategy);
  if (v.platformVersion) svc.platformVersion = v.platformVersion;
  if (v.healthCheckGracePeriodSeconds !== undefined) svc.healthCheckGracePeriodSeconds = v.healthCheckGracePeriodSeconds;
  if (v.enableExecuteCommand !== undefined) svc.enableExecuteCommand = v.enableExecuteCommand;
  // Recorded without a new deployment, as the API reference says.
  if (v.availabilityZoneRebalancing !== undefined) svc.availabilityZoneRebalancing = v.availabilityZoneRebalancing;
  if (v.enableECSManagedTags !== undefined) svc.enableECSManagedTags = v.enableECSManagedTags;
  if (v.propagateTags !== undefined) svc.propagateTags = v.propagateTags;
  if (v.loadBalancers) svc.loadBalancers = v.loadBalancers;
  if (v.serviceRegistries) svc.serviceRegistries = v.serviceRegistries;
  if (v.placementConstraints) svc.placementConstraints = v.placementConstraints;
  if (v.placementStrategy) svc.placementStrategy = spreadHostAsInstanceId(v.placementStrategy);
  if (v.serviceConnectConfiguration || v.volumeConfigurations !== undefined || v.vpcLatticeConfigurations !== undefined) redeploy = true;
  if (redeploy && !usesTaskSets(s)) {
    for (const d of svc.deployments) if (d.status === "PRIMARY") (d.status = "ACTIVE"), (d.updatedAt = now);
    const before = svc.deployments.find((d) => d.status === "ACTIVE");
    const previous = before?.serviceConnectConfiguration;
    const sc = await serviceConnectAnswered(ctx, v.serviceConnectConfiguration, c.cluster.serviceConnectDefaults?.namespace);
    svc.deployments.unshift(newDeployment(svc, now, svc.taskDefinition!, svc.networkConfiguration, sc ?? previous));
    svc.deployments[0]!.volumeConfigurations = v.volumeConfigurations ?? before?.volumeConfigurations;
    svc.deployments[0]!.vpcLatticeConfigurations = v.vpcLatticeConfigurations ?? before?.vpcLatticeConfigurations;
    svc.deployments[0]!.serviceConnectResources = await serviceConnectResources(ctx, sc ?? previous);
    recordDeployment(st, c, s, svc.deployments[0]!, now);
    await pinDeploymentDigests(envFor(ctx), svc.deployments[0]!.id!, resolveTaskDefinition(st, svc.taskDefinition!));
    s.failures = 0;
  }
  await reconcile(envFor(ctx), s);
  // Fake mode answers once the new deployment's Lambda lifecycle hooks (if any) have had their answer.
  if (!ctx.config.execute) await hooksSettled(envFor(ctx));
  return { service: serviceView(st, s, false) };
}

export async function DeleteService(ctx: Ctx, input: unknown) {
  const v = check<{ cluster?: string; service: string; force?: boolean }>(input, { cluster: {}, service: { required: true }, force: { type: "boolean" } });
  const st = state(ctx);
  const c = findCluster(st, v.cluster);
  const s = findService(c, v.service);
  if (!s || s.service.status === "INACTIVE") throw EcsErrors.serviceNotFound();
  if ((s.service.desiredCount ?? 0) > 0 && !v.force && s.service.schedulingStrategy !== "DAEMON") {
    throw EcsErrors.invalidParameter("The service cannot be stopped while it is scaled above 0.");
  }
  s.service.status = "DRAINING";
  s.service.desiredCount = 0;
  clearTimeout(s.retryTimer);
  s.retryTimer = undefined;
  const snapshot = serviceView(st, s, false);
  await reconcile(envFor(ctx), s);
  await releaseServiceConnectResources(ctx, st, s.service);
  return { service: snapshot };
}

/** StopServiceDeployment(ROLLBACK): deploy the source revision's task definition again. */
export async function rollbackTo(env: EcsEnv, c: ClusterRec, s: ServiceRec, taskDefinition: string, sd: ServiceDeploymentRec): Promise<void> {
  const svc = s.service;
  const now = new Date();
  for (const d of svc.deployments) if (d.status === "PRIMARY") (d.status = "ACTIVE"), (d.updatedAt = now);
  const active = svc.deployments.find((d) => d.status === "ACTIVE");
  const previous = active?.serviceConnectConfiguration;
  svc.taskDefinition = taskDefinition;
  svc.deployments.unshift(newDeployment(svc, now, taskDefinition, svc.networkConfiguration, previous));
  svc.deployments[0]!.serviceConnectResources = active?.serviceConnectResources;
  svc.deployments[0]!.volumeConfigurations = active?.volumeConfigurations;
  svc.deployments[0]!.vpcLatticeConfigurations = active?.vpcLatticeConfigurations;
  recordDeployment(env.st, c, s, svc.deployments[0]!, now, sd);
  await pinDeploymentDigests(env, svc.deployments[0]!.id!, resolveTaskDefinition(env.st, taskDefinition));
  s.failures = 0;
  clearTimeout(s.retryTimer);
  s.retryTimer = undefined;
  event(s, `(service ${svc.serviceName}) rolling back to ${taskDefinition}.`, now);
  await reconcile(env, s);
}

export function disposeServices(c: ClusterRec): void {
  for (const s of c.services.values()) {
    clearTimeout(s.settleTimer);
    s.settleTimer = undefined;
    clearTimeout(s.retryTimer);
    s.retryTimer = undefined;
  }
}
