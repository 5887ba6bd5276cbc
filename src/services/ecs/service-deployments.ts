/**
 * Service deployments and revisions (ECS deployment controller): every new deployment of a service records
 * a service revision (its task definition and configuration) and a service deployment that moves
 * IN_PROGRESS → SUCCESSFUL when the deployment completes, STOPPED when a newer one supersedes it, and
 * ROLLBACK_IN_PROGRESS → ROLLBACK_SUCCESSFUL after StopServiceDeployment(ROLLBACK), which redeploys the
 * source revision. Counts in the summaries are derived from the deployment's tasks.
 *
 * PAUSE lifecycle hooks (deploymentConfiguration.lifecycleHooks): a deployment that replaces a revision and has
 * such hooks walks the lifecycle stages (lifecycleStage). At a stage with PAUSE hooks it waits, IN_PROGRESS, each
 * hook AWAITING_ACTION with an ecs-pause-… hookId, expiresAt and timeoutAction, until ContinueServiceDeployment
 * CONTINUEs (the next stage) or ROLLBACKs (the source revision, as StopServiceDeployment does), or the hook's
 * timeout (default 1440 minutes, action ROLLBACK) applies its action. Waiting before SCALE_UP starts no task of
 * the new revision; waiting after it holds the deployment's completion.
 *
 * AWS_LAMBDA hooks ("Lambda hooks for Amazon ECS service deployments", developer guide) wait the same way, each
 * IN_PROGRESS with its targetArn, while ECS invokes the hookTargetArn function with the documented event (executionId,
 * lifecycleStage, resourceArn, executionDetails with the traffic weights, hookDetails) through awsim's own Lambda
 * (the path S3 notifications take). Its answer decides: hookStatus SUCCEEDED goes on, FAILED rolls back, IN_PROGRESS
 * invokes it again after callBackDelay seconds (default 30) with the hookDetails it returned merged in; anything else
 * (no function, a function error, no valid hookStatus) rolls back. In fake mode Lambda answers null, so such a hook
 * fails and the deployment rolls back at once (UpdateService and the deployment reads wait for the answer).
 */
import type {
  Deployment,
  DeploymentConfiguration,
  DeploymentLifecycleHook,
  DeploymentLifecycleHookDetail,
  ServiceDeployment,
  ServiceDeploymentBrief,
  ServiceRevision,
  ServiceRevisionSummary,
} from "@aws-sdk/client-ecs";
import { AwsError } from "../../protocols/aws-error.js";
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import { check, ecsArn, findCluster, state } from "./common.js";
import { envFor } from "./env.js";
import { EcsErrors } from "./errors.js";
import type { EcsEnv } from "./runtime-bridge.js";
import { reconcile, rollbackTo } from "./services.js";
import { resolveTaskDefinition } from "./task-definitions.js";
import type { ClusterRec, EcsState, ServiceRec } from "./state.js";

export interface ServiceDeploymentRec {
  sd: ServiceDeployment & { serviceDeploymentArn: string; status: string };
  cluster: string;
  service: string;
  /** The ECS deployment (ecs-svc/...) that carries the target revision, and the rollback one if any. */
  deploymentId: string;
  rollbackId?: string;
  seq: number;
  /** AWS_LAMBDA hook executions by hookId: the hook (its index in lifecycleHooks), its stage, the hookDetails to send. */
  lambdaHooks?: Record<string, { hook: number; stage: string; hookDetails?: unknown }>;
}

export type ServiceRevisionRec = ServiceRevision & { deploymentId: string };

export interface DeploymentsState {
  byArn: Map<string, ServiceDeploymentRec>;
  /** ECS deployment id (and rollback deployment id) → its service deployment: an index of byArn, not kept. */
  byDeploymentId: Map<string, ServiceDeploymentRec>;
  revisions: Map<string, ServiceRevisionRec>;
}

/** byDeploymentId per byArn map, built again after a restart or a restore (a new map) from its records. */
const indexes = new WeakMap<Map<string, ServiceDeploymentRec>, Map<string, ServiceDeploymentRec>>();

/** The state's service deployments and revisions (top-level maps of EcsState, so --persist carries them). */
export function deploymentsOf(st: EcsState): DeploymentsState {
  const byArn = (st.serviceDeployments ??= new Map());
  let byDeploymentId = indexes.get(byArn);
  if (!byDeploymentId) {
    byDeploymentId = new Map();
    for (const rec of byArn.values()) {
      byDeploymentId.set(rec.deploymentId, rec);
      if (rec.rollbackId) byDeploymentId.set(rec.rollbackId, rec);
    }
    indexes.set(byArn, byDeploymentId);
  }
  return { byArn, byDeploymentId, revisions: (st.serviceRevisions ??= new Map()) };
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** A service deployment's id: 21 letters and digits (recorded: ejGvqq2ilnbKT9qj0vLJe). */
const serviceDeploymentId = () => Array.from({ length: 21 }, () => BASE62[randomInt(62)]).join("");

const revisionId = () => Array.from({ length: 19 }, (_, i) => (i === 0 ? 1 + Math.floor(Math.random() * 9) : Math.floor(Math.random() * 10))).join("");

function summary(c: ClusterRec, s: ServiceRec, arn: string, st: EcsState): ServiceRevisionSummary {
  const rev = deploymentsOf(st).revisions.get(arn);
  const dep = s.service.deployments.find((d) => d.id === rev?.deploymentId);
  void c;
  return { arn, requestedTaskCount: dep?.desiredCount ?? 0, runningTaskCount: dep?.runningCount ?? 0, pendingTaskCount: dep?.pendingCount ?? 0 };
}

/**
 * A revision and a service deployment keep what the service was when the deployment began: copies, so an
 * UpdateService changing the service in place leaves them as they were (and --persist writes them as records
 * of their own, sharing no object with the service's).
 */
const copy = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

/** An ECS deployment's number (ecs-svc/<number>): its service revision's id. */
export const deploymentNumber = (id: string | undefined) => /^ecs-svc\/(\d+)$/.exec(id ?? "")?.[1];

/** A new ECS deployment of a service: record its revision and service deployment; supersede the previous one. */
export function recordDeployment(st: EcsState, c: ClusterRec, s: ServiceRec, dep: Deployment, now: Date, rollbackOf?: ServiceDeploymentRec): void {
  const store = deploymentsOf(st);
  const svc = s.service;
  // A revision's id is its ECS deployment's number (ecs-svc/3541978090126952138 → service-revision/…/3541978090126952138,
  // as AWS's CreateService answers show), so the service's currentServiceRevisions can name it.
  const revArn = ecsArn(st, `service-revision/${c.cluster.clusterName}/${svc.serviceName}/${deploymentNumber(dep.id) ?? revisionId()}`);
  store.revisions.set(revArn, {
    serviceRevisionArn: revArn,
    serviceArn: svc.serviceArn,
    clusterArn: c.cluster.clusterArn,
    taskDefinition: dep.taskDefinition,
    capacityProviderStrategy: copy(dep.capacityProviderStrategy),
    launchType: dep.launchType,
    platformVersion: dep.platformVersion,
    platformFamily: dep.platformFamily,
    // Empty lists are left out, Service Connect is named even when off (recorded).
    loadBalancers: svc.loadBalancers?.length ? copy(svc.loadBalancers) : undefined,
    serviceRegistries: svc.serviceRegistries?.length ? copy(svc.serviceRegistries) : undefined,
    networkConfiguration: copy(dep.networkConfiguration),
    serviceConnectConfiguration: copy(dep.serviceConnectConfiguration) ?? { enabled: false },
    vpcLatticeConfigurations: dep.vpcLatticeConfigurations?.length ? copy(dep.vpcLatticeConfigurations) : undefined,
    // The image each container runs; the digest ECS resolved is added once known (image-digests.ts).
    containerImages: (resolveTaskDefinition(st, dep.taskDefinition!)?.containerDefinitions ?? []).map((d) => ({ containerName: d.name, image: d.image })),
    guardDutyEnabled: false,
    createdAt: now,
    deploymentId: dep.id!,
  });
  if (rollbackOf) {
    rollbackOf.rollbackId = dep.id;
    store.byDeploymentId.set(dep.id!, rollbackOf);
    return;
  }
  const previous = [...store.byArn.values()].filter((r) => r.cluster === c.cluster.clusterName && r.service === svc.serviceName);
  const sources: ServiceRevisionSummary[] = [];
  for (const p of previous) {
    if (p.sd.status === "IN_PROGRESS" || p.sd.status === "PENDING") {
      p.sd.status = "STOPPED";
      p.sd.statusReason = "Service deployment stopped because a newer service deployment started.";
      p.sd.stoppedAt = now;
      p.sd.updatedAt = now;
      disarm(p.sd.serviceDeploymentArn);
    }
  }
  for (const d of svc.deployments) {
    const rev = [...store.revisions.values()].find((r) => r.deploymentId === d.id);
    if (rev && d.id !== dep.id) sources.push(summary(c, s, rev.serviceRevisionArn!, st));
  }
  const arn = ecsArn(st, `service-deployment/${c.cluster.clusterName}/${svc.serviceName}/${serviceDeploymentId()}`);
  const rec: ServiceDeploymentRec = {
    cluster: c.cluster.clusterName,
    service: svc.serviceName,
    deploymentId: dep.id!,
    seq: ++st.seq,
    sd: {
      serviceDeploymentArn: arn,
      serviceArn: svc.serviceArn,
      clusterArn: c.cluster.clusterArn,
      createdAt: now,
      startedAt: now,
      updatedAt: now,
      sourceServiceRevisions: sources,
      targetServiceRevision: { arn: revArn },
      status: "IN_PROGRESS",
      deploymentConfiguration: copy(svc.deploymentConfiguration),
      deploymentCircuitBreaker: svc.deploymentConfiguration?.deploymentCircuitBreaker?.enable
        ? { status: "MONITORING", failureCount: 0, threshold: Math.min(200, Math.max(3, Math.ceil((svc.desiredCount ?? 0) * 0.5))) }
        : { status: "DISABLED", failureCount: 0, threshold: 0 },
      alarms: svc.deploymentConfiguration?.alarms?.enable
        ? { status: "MONITORING", alarmNames: [...(svc.deploymentConfiguration.alarms.alarmNames ?? [])], triggeredAlarmNames: [] }
        : { status: "DISABLED" },
    },
  };
  if (sources.length > 0 && stagedHooks(rec).length > 0) enter(rec, sources.length > 1 ? "RECONCILE_SERVICE" : "PRE_SCALE_UP", now);
  store.byArn.set(arn, rec);
  store.byDeploymentId.set(dep.id!, rec);
}

/** The service's PRIMARY ECS deployment completed. */
export function deploymentCompleted(st: EcsState, depId: string, now: Date): void {
  const rec = deploymentsOf(st).byDeploymentId.get(depId);
  if (!rec) return;
  if (rec.sd.status === "IN_PROGRESS" && rec.deploymentId === depId) {
    rec.sd.status = "SUCCESSFUL";
    rec.sd.statusReason = undefined;
  } else if (rec.sd.status === "ROLLBACK_IN_PROGRESS" && rec.rollbackId === depId) {
    rec.sd.status = "ROLLBACK_SUCCESSFUL";
    rec.sd.rollback = { ...(rec.sd.rollback ?? {}), reason: rec.sd.rollback?.reason ?? "Rolled back by StopServiceDeployment." };
  } else return;
  rec.sd.finishedAt = now;
  rec.sd.updatedAt = now;
}

/**
 * The lifecycle stages in order (ServiceDeploymentLifecycleStage, with PRE_PRODUCTION_TRAFFIC_SHIFT, a stage of
 * DeploymentLifecycleHookStage). RECONCILE_SERVICE happens only when the deployment starts with more than one
 * service revision ACTIVE (API reference, DeploymentLifecycleHook.lifecycleStages).
 */
const STAGES = [
  "RECONCILE_SERVICE",
  "PRE_SCALE_UP",
  "SCALE_UP",
  "POST_SCALE_UP",
  "TEST_TRAFFIC_SHIFT",
  "POST_TEST_TRAFFIC_SHIFT",
  "PRE_PRODUCTION_TRAFFIC_SHIFT",
  "PRODUCTION_TRAFFIC_SHIFT",
  "POST_PRODUCTION_TRAFFIC_SHIFT",
  "BAKE_TIME",
  "CLEAN_UP",
];
const SCALE_UP = STAGES.indexOf("SCALE_UP");
/** "PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT stages" (DeploymentLifecycleHook). */
const NO_PAUSE_STAGES = ["TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT"];
/** DeploymentLifecycleHookTimeoutConfiguration's defaults. */
const DEFAULT_TIMEOUT_MINUTES = 1440;
const DEFAULT_TIMEOUT_ACTION = "ROLLBACK";
/** "By default, the delay is 30 seconds" before an IN_PROGRESS Lambda hook is invoked again (Lambda hooks, developer guide). */
const DEFAULT_CALLBACK_DELAY_SECONDS = 30;
/** Lambda hooks' timeoutConfiguration.timeoutInMinutes: "Valid range: 1 to 1,440 (24 hours)" (Lambda hooks, developer guide). */
const LAMBDA_MAX_TIMEOUT_MINUTES = 1440;

/** The rules AWS documents for deploymentConfiguration.lifecycleHooks (CreateService, UpdateService). */
export function checkLifecycleHooks(cfg: DeploymentConfiguration | undefined): void {
  for (const h of cfg?.lifecycleHooks ?? []) {
    const type = h.targetType ?? "AWS_LAMBDA";
    if (!h.lifecycleStages?.length) throw EcsErrors.invalidParameter("lifecycleStages must be provided when configuring a deployment lifecycle hook.");
    if (type === "AWS_LAMBDA" && !h.hookTargetArn)
      throw EcsErrors.invalidParameter("hookTargetArn must be provided when configuring an AWS_LAMBDA lifecycle hook.");
    const bad = type === "PAUSE" ? h.lifecycleStages.find((x) => NO_PAUSE_STAGES.includes(x)) : undefined;
    if (bad) throw EcsErrors.invalidParameter(`PAUSE hooks cannot be configured at the ${bad} lifecycle stage; it is only valid for AWS_LAMBDA hooks.`);
    if (type === "AWS_LAMBDA" && (h.timeoutConfiguration?.timeoutInMinutes ?? 0) > LAMBDA_MAX_TIMEOUT_MINUTES)
      throw EcsErrors.invalidParameter(`timeoutInMinutes must be between 1 and ${LAMBDA_MAX_TIMEOUT_MINUTES} for an AWS_LAMBDA lifecycle hook.`);
  }
}

/** A hook's type: AWS_LAMBDA when not given (the only kind before PAUSE hooks came). */
const typeOf = (h: DeploymentLifecycleHook) => h.targetType ?? "AWS_LAMBDA";
const stagedHooks = (rec: ServiceDeploymentRec) =>
  (rec.sd.deploymentConfiguration?.lifecycleHooks ?? []).filter((h) => ["PAUSE", "AWS_LAMBDA"].includes(typeOf(h)));
const awaiting = (rec: ServiceDeploymentRec) => (rec.sd.lifecycleHookDetails ?? []).filter((d) => d.status === "AWAITING_ACTION");
/** Hooks the deployment waits on: PAUSE hooks AWAITING_ACTION, Lambda hooks IN_PROGRESS. */
const pending = (rec: ServiceDeploymentRec) => (rec.sd.lifecycleHookDetails ?? []).filter((d) => d.status === "AWAITING_ACTION" || d.status === "IN_PROGRESS");

/**
 * The deployment reaches a stage: its hooks there (if any) wait, each with its own hookId: a PAUSE hook for an action,
 * a Lambda hook (IN_PROGRESS, its function's ARN as targetArn) for its function's answer. A Lambda hook's hookId is
 * its event's executionId ("The unique identifier for this hook execution", as the developer guide names both).
 */
function enter(rec: ServiceDeploymentRec, stage: string, now: Date): void {
  rec.sd.lifecycleStage = stage as ServiceDeployment["lifecycleStage"];
  rec.sd.updatedAt = now;
  const all = rec.sd.deploymentConfiguration?.lifecycleHooks ?? [];
  const hooks = stagedHooks(rec).filter((h) => h.lifecycleStages?.includes(stage as never));
  if (!hooks.length) return;
  rec.sd.lifecycleHookDetails = hooks.map((h): DeploymentLifecycleHookDetail => {
    const timing = {
      expiresAt: new Date(now.getTime() + (h.timeoutConfiguration?.timeoutInMinutes ?? DEFAULT_TIMEOUT_MINUTES) * 60_000),
      timeoutAction: h.timeoutConfiguration?.action ?? DEFAULT_TIMEOUT_ACTION,
    };
    if (typeOf(h) === "PAUSE")
      return { hookId: `ecs-pause-${randomBytes(32).toString("base64url")}`, targetType: "PAUSE", status: "AWAITING_ACTION", ...timing };
    const hookId = randomUUID();
    (rec.lambdaHooks ??= {})[hookId] = { hook: all.indexOf(h), stage, hookDetails: copy(h.hookDetails) };
    return { hookId, targetType: "AWS_LAMBDA", targetArn: h.hookTargetArn, status: "IN_PROGRESS", ...timing };
  });
}

/** The in-progress deployment of this ECS deployment that walks lifecycle stages, if any. */
function staged(st: EcsState, depId: string): ServiceDeploymentRec | undefined {
  const rec = deploymentsOf(st).byDeploymentId.get(depId);
  return rec && rec.deploymentId === depId && rec.sd.status === "IN_PROGRESS" && rec.sd.lifecycleStage ? rec : undefined;
}

/** Walk the stages while no hook waits: up to SCALE_UP until the new revision's tasks are up, then to the end. */
function proceed(env: EcsEnv, rec: ServiceDeploymentRec, scaled: boolean, now: Date): "waiting" | "scaling" | "done" {
  for (;;) {
    if (pending(rec).length) {
      armTimeout(env, rec);
      startLambdaHooks(env, rec);
      return "waiting";
    }
    const i = STAGES.indexOf(rec.sd.lifecycleStage!);
    if (i === SCALE_UP && !scaled) return "scaling";
    if (i === STAGES.length - 1) return "done";
    enter(rec, STAGES[i + 1]!, now);
  }
}

/** The scheduler starts no task of this deployment (and stops none of the older ones) while it waits before SCALE_UP. */
export function scaleUpHeld(env: EcsEnv, depId: string, now: Date): boolean {
  const rec = staged(env.st, depId);
  return !!rec && proceed(env, rec, false, now) === "waiting" && STAGES.indexOf(rec.sd.lifecycleStage!) < SCALE_UP;
}

/** The deployment's tasks are up: it completes once it has passed its remaining stages. */
export function completionHeld(env: EcsEnv, depId: string, now: Date): boolean {
  const rec = staged(env.st, depId);
  return !!rec && proceed(env, rec, true, now) === "waiting";
}

/** Roll a deployment back to its source revision (StopServiceDeployment, a ROLLBACK hook action); false when it has none. */
async function rollBack(env: EcsEnv, rec: ServiceDeploymentRec, reason: string, now: Date): Promise<boolean> {
  const c = env.st.clusters.get(rec.cluster);
  const s = c?.services.get(rec.service);
  const source = rec.sd.sourceServiceRevisions?.[0]?.arn;
  const sourceRev = source ? deploymentsOf(env.st).revisions.get(source) : undefined;
  if (!c || !s || !sourceRev?.taskDefinition) return false;
  rec.sd.status = "ROLLBACK_IN_PROGRESS";
  rec.sd.rollback = { reason, startedAt: now, serviceRevisionArn: source };
  rec.sd.updatedAt = now;
  await rollbackTo(env, c, s, sourceRev.taskDefinition, rec);
  return true;
}

function stop(rec: ServiceDeploymentRec, reason: string, now: Date): void {
  rec.sd.status = "STOPPED";
  rec.sd.statusReason = reason;
  rec.sd.stoppedAt = now;
  rec.sd.updatedAt = now;
}

/** A waiting hook gets its answer (ContinueServiceDeployment, or its timeout): the deployment goes on or rolls back. */
async function resolveHook(env: EcsEnv, rec: ServiceDeploymentRec, hook: DeploymentLifecycleHookDetail, action: string, status: string, reason: string) {
  const now = new Date();
  hook.status = status as DeploymentLifecycleHookDetail["status"];
  rec.sd.updatedAt = now;
  if (!pending(rec).length || action === "ROLLBACK") disarm(rec.sd.serviceDeploymentArn);
  if (action === "ROLLBACK") {
    if (!(await rollBack(env, rec, reason, now))) stop(rec, reason, now);
    return;
  }
  const s = env.st.clusters.get(rec.cluster)?.services.get(rec.service);
  if (s) await reconcile(env, s);
}

/** Hooks past their expiresAt take their timeoutAction: on a timer, and checked again when deployments are read. */
async function expire(env: EcsEnv, rec: ServiceDeploymentRec, now: Date): Promise<void> {
  for (const hook of pending(rec)) {
    if (rec.sd.status !== "IN_PROGRESS" || !pending(rec).includes(hook) || hook.expiresAt!.getTime() > now.getTime()) continue;
    await resolveHook(env, rec, hook, hook.timeoutAction ?? DEFAULT_TIMEOUT_ACTION, "TIMED_OUT", `Lifecycle hook ${hook.hookId} timed out.`);
  }
}

async function expireDue(env: EcsEnv, now: Date): Promise<void> {
  for (const rec of deploymentsOf(env.st).byArn.values()) if (rec.sd.status === "IN_PROGRESS" && rec.sd.lifecycleStage) await expire(env, rec, now);
}

/** Service deployment ARN → the timer of its waiting hooks' earliest expiry (not state: armed again when waiting is seen). */
const timers = new Map<string, NodeJS.Timeout>();

function disarm(arn: string): void {
  clearTimeout(timers.get(arn));
  timers.delete(arn);
  for (const [hookId, x] of executions) if (x.arn === arn) clearTimeout(x.timer), executions.delete(hookId);
}

function armTimeout(env: EcsEnv, rec: ServiceDeploymentRec): void {
  const arn = rec.sd.serviceDeploymentArn;
  if (timers.has(arn)) return;
  const at = Math.min(...pending(rec).map((d) => d.expiresAt!.getTime()));
  const timer = setTimeout(
    () => {
      timers.delete(arn);
      if (deploymentsOf(env.st).byArn.get(arn) === rec) void expire(env, rec, new Date()).catch(() => undefined);
    },
    Math.min(Math.max(0, at - Date.now()), 2 ** 31 - 1),
  );
  timer.unref();
  timers.set(arn, timer);
}

/** Lambda hook executions under way by hookId (an invocation running, or its callBackDelay timer): not state, started again when seen. */
const executions = new Map<string, { arn: string; timer?: NodeJS.Timeout }>();
/** Each server's hook invocations running now, which fake mode waits for before it answers. */
const inflight = new WeakMap<EcsEnv, Set<Promise<void>>>();

/** Start invoking the deployment's IN_PROGRESS Lambda hooks that nothing invokes yet. */
function startLambdaHooks(env: EcsEnv, rec: ServiceDeploymentRec): void {
  for (const d of rec.sd.lifecycleHookDetails ?? []) {
    if (d.targetType !== "AWS_LAMBDA" || d.status !== "IN_PROGRESS" || executions.has(d.hookId!)) continue;
    executions.set(d.hookId!, { arn: rec.sd.serviceDeploymentArn });
    runHook(env, rec, d);
  }
}

function runHook(env: EcsEnv, rec: ServiceDeploymentRec, d: DeploymentLifecycleHookDetail): void {
  let set = inflight.get(env);
  if (!set) inflight.set(env, (set = new Set()));
  const p: Promise<void> = invokeHook(env, rec, d)
    .catch(() => undefined)
    .finally(() => set.delete(p));
  set.add(p);
}

/** Fake mode: wait until the hook invocations started so far (and those their answers start) have been answered. */
export async function hooksSettled(env: EcsEnv): Promise<void> {
  for (let set = inflight.get(env); set?.size; ) await Promise.all([...set]);
}

/**
 * The event ECS sends (Lambda hooks, "Lifecycle payloads"): test traffic weights at TEST_TRAFFIC_SHIFT (green 100, blue 0),
 * production weights at PRE_PRODUCTION_TRAFFIC_SHIFT (green 0, blue 100) and PRODUCTION_TRAFFIC_SHIFT (green 100, blue 0),
 * empty maps at the other stages; hookDetails only when there are some.
 */
function hookEvent(rec: ServiceDeploymentRec, d: DeploymentLifecycleHookDetail, stage: string, hookDetails: unknown) {
  const green = rec.sd.targetServiceRevision!.arn!;
  const blue = rec.sd.sourceServiceRevisions?.[0]?.arn;
  const weights = (g: number) => ({ [green]: g, ...(blue ? { [blue]: 100 - g } : {}) });
  return {
    executionId: d.hookId,
    lifecycleStage: stage,
    resourceArn: rec.sd.serviceDeploymentArn,
    executionDetails: {
      serviceArn: rec.sd.serviceArn,
      targetServiceRevisionArn: green,
      testTrafficWeights: stage === "TEST_TRAFFIC_SHIFT" ? weights(100) : {},
      productionTrafficWeights: stage === "PRE_PRODUCTION_TRAFFIC_SHIFT" ? weights(0) : stage === "PRODUCTION_TRAFFIC_SHIFT" ? weights(100) : {},
    },
    ...(hookDetails === undefined || hookDetails === null ? {} : { hookDetails }),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Invoke a Lambda hook's function once and act on its answer: SUCCEEDED continues, IN_PROGRESS invokes it again after
 * callBackDelay seconds with the returned hookDetails merged into those it had, anything else fails the hook and rolls back.
 */
async function invokeHook(env: EcsEnv, rec: ServiceDeploymentRec, d: DeploymentLifecycleHookDetail): Promise<void> {
  const hookId = d.hookId!;
  const live = () =>
    deploymentsOf(env.st).byArn.get(rec.sd.serviceDeploymentArn) === rec &&
    rec.sd.status === "IN_PROGRESS" &&
    d.status === "IN_PROGRESS" &&
    !!rec.sd.lifecycleHookDetails?.includes(d);
  const exec = rec.lambdaHooks?.[hookId];
  if (!live() || !exec) return void executions.delete(hookId);
  let answer: Record<string, unknown> | undefined;
  try {
    answer = await callFunction(env, d.targetArn ?? "", JSON.stringify(hookEvent(rec, d, exec.stage, exec.hookDetails)));
  } catch {
    answer = undefined;
  }
  if (!live()) return void executions.delete(hookId);
  if (answer?.hookStatus === "IN_PROGRESS") {
    if (isObject(answer.hookDetails)) exec.hookDetails = { ...(isObject(exec.hookDetails) ? exec.hookDetails : {}), ...answer.hookDetails };
    const delay = typeof answer.callBackDelay === "number" && answer.callBackDelay >= 0 ? answer.callBackDelay : DEFAULT_CALLBACK_DELAY_SECONDS;
    const timer = setTimeout(() => runHook(env, rec, d), Math.min(delay * 1000, 2 ** 31 - 1));
    timer.unref();
    executions.set(hookId, { arn: rec.sd.serviceDeploymentArn, timer });
    return;
  }
  executions.delete(hookId);
  if (answer?.hookStatus === "SUCCEEDED") await resolveHook(env, rec, d, "CONTINUE", "SUCCEEDED", "");
  else await resolveHook(env, rec, d, "ROLLBACK", "FAILED", `Lifecycle hook ${hookId} failed.`);
}

/** Invoke the hook's function (Lambda's own path) and answer its JSON object; undefined for no function, an error or no object. */
async function callFunction(env: EcsEnv, arn: string, payload: string): Promise<Record<string, unknown> | undefined> {
  const { invokeByArn } = await import("../lambda/invoke.js");
  const out = await invokeByArn(env.sim, arn, Buffer.from(payload));
  if (!out || out.functionError) return undefined;
  try {
    const v: unknown = JSON.parse(out.payload.toString("utf8"));
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function view(st: EcsState, rec: ServiceDeploymentRec): ServiceDeployment {
  const c = st.clusters.get(rec.cluster);
  const s = c?.services.get(rec.service);
  const out = structuredClone(rec.sd);
  if (c && s && out.targetServiceRevision?.arn) out.targetServiceRevision = summary(c, s, out.targetServiceRevision.arn, st);
  // PRE_PRODUCTION_TRAFFIC_SHIFT is a stage hooks run at, not one of ServiceDeploymentLifecycleStage's values: the
  // deployment reads as having finished the test traffic shift and not yet begun the production one.
  if ((out.lifecycleStage as string) === "PRE_PRODUCTION_TRAFFIC_SHIFT") out.lifecycleStage = "POST_TEST_TRAFFIC_SHIFT";
  return out;
}

/** Fake mode answers deployments with their Lambda hooks answered (instant and deterministic, as its tasks are). */
const settled = (ctx: Ctx) => (ctx.config.execute ? undefined : hooksSettled(envFor(ctx)));

const STATUSES = [
  "PENDING",
  "SUCCESSFUL",
  "STOPPED",
  "STOP_REQUESTED",
  "IN_PROGRESS",
  "ROLLBACK_REQUESTED",
  "ROLLBACK_IN_PROGRESS",
  "ROLLBACK_SUCCESSFUL",
  "ROLLBACK_FAILED",
];

export async function ListServiceDeployments(ctx: Ctx, input: unknown) {
  const v = check<{
    service: string;
    cluster?: string;
    status?: string[];
    createdAt?: { after?: number | Date; before?: number | Date };
    maxResults?: number;
    nextToken?: string;
  }>(input, {
    service: { required: true },
    cluster: {},
    status: { type: "list", items: { enum: STATUSES } },
    createdAt: { type: "structure", fields: { after: { type: "timestamp" }, before: { type: "timestamp" } } },
    maxResults: { type: "integer", min: 1, max: 100 },
    nextToken: {},
  });
  const st = state(ctx);
  const c = findCluster(st, v.cluster);
  await settled(ctx);
  await expireDue(envFor(ctx), ctx.now());
  const name = v.service.slice(v.service.lastIndexOf("/") + 1);
  const s = c.services.get(name);
  if (!s) throw EcsErrors.serviceNotFound();
  const ms = (t: number | Date | undefined) => (t === undefined ? undefined : t instanceof Date ? t.getTime() : typeof t === "number" ? t * 1000 : Number.NaN);
  const after = ms(v.createdAt?.after);
  const before = ms(v.createdAt?.before);
  const wanted = v.status?.length ? v.status : undefined;
  const recs = [...deploymentsOf(st).byArn.values()]
    .filter((r) => r.cluster === c.cluster.clusterName && r.service === name)
    .filter((r) => !wanted || wanted.includes(r.sd.status))
    .filter((r) => (after === undefined || r.sd.createdAt!.getTime() >= after) && (before === undefined || r.sd.createdAt!.getTime() <= before))
    .sort((a, b) => b.seq - a.seq);
  const page = paginate(recs, {
    maxResults: v.maxResults,
    nextToken: v.nextToken,
    defaultMax: 20,
    key: (r) => String(1e12 - r.seq).padStart(13, "0"),
    invalidToken: EcsErrors.invalidToken,
  });
  const serviceDeployments: ServiceDeploymentBrief[] = page.items.map((r) => ({
    serviceDeploymentArn: r.sd.serviceDeploymentArn,
    serviceArn: r.sd.serviceArn,
    clusterArn: r.sd.clusterArn,
    startedAt: r.sd.startedAt,
    createdAt: r.sd.createdAt,
    finishedAt: r.sd.finishedAt,
    targetServiceRevisionArn: r.sd.targetServiceRevision?.arn,
    status: r.sd.status as ServiceDeploymentBrief["status"],
    statusReason: r.sd.statusReason,
  }));
  return { serviceDeployments, nextToken: page.nextToken };
}

export async function DescribeServiceDeployments(ctx: Ctx, input: unknown) {
  const v = check<{ serviceDeploymentArns: string[] }>(input, {
    serviceDeploymentArns: { type: "list", required: true, minLength: 1, maxLength: 20, items: {} },
  });
  const st = state(ctx);
  await settled(ctx);
  await expireDue(envFor(ctx), ctx.now());
  const out: ServiceDeployment[] = [];
  const failures: Array<{ arn: string; reason: string }> = [];
  for (const arn of v.serviceDeploymentArns) {
    const rec = deploymentsOf(st).byArn.get(arn);
    if (rec) out.push(view(st, rec));
    else failures.push({ arn, reason: "MISSING" });
  }
  return { serviceDeployments: out, failures };
}

export function DescribeServiceRevisions(ctx: Ctx, input: unknown) {
  const v = check<{ serviceRevisionArns: string[] }>(input, { serviceRevisionArns: { type: "list", required: true, minLength: 1, maxLength: 20, items: {} } });
  const st = state(ctx);
  const out: ServiceRevision[] = [];
  const failures: Array<{ arn: string; reason: string }> = [];
  for (const arn of v.serviceRevisionArns) {
    const rev = deploymentsOf(st).revisions.get(arn);
    if (rev) {
      const { deploymentId: _d, ...wire } = structuredClone(rev);
      out.push(wire);
    } else failures.push({ arn, reason: "MISSING" });
  }
  return { serviceRevisions: out, failures };
}

export async function StopServiceDeployment(ctx: Ctx, input: unknown) {
  const v = check<{ serviceDeploymentArn: string; stopType?: string }>(input, {
    serviceDeploymentArn: { required: true },
    stopType: { enum: ["ABORT", "ROLLBACK"] },
  });
  const st = state(ctx);
  const rec = deploymentsOf(st).byArn.get(v.serviceDeploymentArn);
  if (!rec) throw new AwsError("ServiceDeploymentNotFoundException", "The service deployment does not exist.", 400);
  if (rec.sd.status !== "IN_PROGRESS" && rec.sd.status !== "PENDING") {
    throw new AwsError("ConflictException", `The service deployment is in ${rec.sd.status} status and cannot be stopped.`, 400);
  }
  const now = ctx.now();
  disarm(rec.sd.serviceDeploymentArn);
  const rolledBack =
    (v.stopType ?? "ROLLBACK") === "ROLLBACK" && (await rollBack(envFor(ctx), rec, "Service deployment rolled back by StopServiceDeployment.", now));
  if (!rolledBack) stop(rec, "Service deployment stopped by StopServiceDeployment.", now);
  return { serviceDeploymentArn: rec.sd.serviceDeploymentArn };
}

/**
 * ContinueServiceDeployment answers a PAUSE hook AWAITING_ACTION of an IN_PROGRESS deployment: CONTINUE (the
 * default) moves it to its next stage, ROLLBACK rolls it back to the source revision (API reference). A hook id
 * that is not waiting, or a deployment no longer in progress, is InvalidParameterException (AWS documents no message).
 */
export async function ContinueServiceDeployment(ctx: Ctx, input: unknown) {
  const v = check<{ serviceDeploymentArn: string; hookId: string; action?: string }>(input, {
    serviceDeploymentArn: { required: true },
    hookId: { required: true },
    action: { enum: ["CONTINUE", "ROLLBACK"] },
  });
  const env = envFor(ctx);
  const rec = deploymentsOf(env.st).byArn.get(v.serviceDeploymentArn);
  if (!rec) throw new AwsError("ServiceDeploymentNotFoundException", "The service deployment does not exist.", 400);
  await expire(env, rec, ctx.now());
  if (rec.sd.status !== "IN_PROGRESS")
    throw EcsErrors.invalidParameter(`The service deployment is in ${rec.sd.status} status and is not waiting on a lifecycle hook.`);
  const hook = awaiting(rec).find((d) => d.hookId === v.hookId);
  if (!hook) throw EcsErrors.invalidParameter(`The lifecycle hook ${v.hookId} does not exist or is not waiting for a decision.`);
  const action = v.action ?? "CONTINUE";
  await resolveHook(env, rec, hook, action, action === "CONTINUE" ? "SUCCEEDED" : "FAILED", "Service deployment rolled back by ContinueServiceDeployment.");
  await settled(ctx);
  return { serviceDeploymentArn: rec.sd.serviceDeploymentArn };
}
