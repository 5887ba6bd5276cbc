/**
 * Service deployments and revisions (ECS deployment controller): every new deployment of a service records
 * a service revision (its task definition and configuration) and a service deployment that moves
 * IN_PROGRESS → SUCCESSFUL when the deployment completes, STOPPED when a newer one supersedes it, and
 * ROLLBACK_IN_PROGRESS → ROLLBACK_SUCCESSFUL after StopServiceDeployment(ROLLBACK), which redeploys the
 * source revision. Counts in the summaries are derived from the deployment's tasks.
 */
import type { Deployment, ServiceDeployment, ServiceDeploymentBrief, ServiceRevision, ServiceRevisionSummary } from "@aws-sdk/client-ecs";
import { AwsError } from "../../protocols/aws-error.js";
import { randomInt } from "node:crypto";
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import { check, ecsArn, findCluster, state } from "./common.js";
import { envFor } from "./env.js";
import { EcsErrors } from "./errors.js";
import { rollbackTo } from "./services.js";
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

/** A new ECS deployment of a service: record its revision and service deployment; supersede the previous one. */
export function recordDeployment(st: EcsState, c: ClusterRec, s: ServiceRec, dep: Deployment, now: Date, rollbackOf?: ServiceDeploymentRec): void {
  const store = deploymentsOf(st);
  const svc = s.service;
  const revArn = ecsArn(st, `service-revision/${c.cluster.clusterName}/${svc.serviceName}/${revisionId()}`);
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

function view(st: EcsState, rec: ServiceDeploymentRec): ServiceDeployment {
  const c = st.clusters.get(rec.cluster);
  const s = c?.services.get(rec.service);
  const out = structuredClone(rec.sd);
  if (c && s && out.targetServiceRevision?.arn) out.targetServiceRevision = summary(c, s, out.targetServiceRevision.arn, st);
  return out;
}

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

export function ListServiceDeployments(ctx: Ctx, input: unknown) {
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

export function DescribeServiceDeployments(ctx: Ctx, input: unknown) {
  const v = check<{ serviceDeploymentArns: string[] }>(input, {
    serviceDeploymentArns: { type: "list", required: true, minLength: 1, maxLength: 20, items: {} },
  });
  const st = state(ctx);
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
  const c = st.clusters.get(rec.cluster);
  const s = c?.services.get(rec.service);
  const source = rec.sd.sourceServiceRevisions?.[0]?.arn;
  const sourceRev = source ? deploymentsOf(st).revisions.get(source) : undefined;
  const now = ctx.now();
  if ((v.stopType ?? "ROLLBACK") === "ROLLBACK" && c && s && sourceRev?.taskDefinition) {
    rec.sd.status = "ROLLBACK_IN_PROGRESS";
    rec.sd.rollback = { reason: "Service deployment rolled back by StopServiceDeployment.", startedAt: now, serviceRevisionArn: source };
    rec.sd.updatedAt = now;
    await rollbackTo(envFor(ctx), c, s, sourceRev.taskDefinition, rec);
  } else {
    rec.sd.status = "STOPPED";
    rec.sd.statusReason = "Service deployment stopped by StopServiceDeployment.";
    rec.sd.stoppedAt = now;
    rec.sd.updatedAt = now;
  }
  return { serviceDeploymentArn: rec.sd.serviceDeploymentArn };
}

/**
 * ContinueServiceDeployment answers a lifecycle hook that is waiting for a decision. awsim deployments run
 * no lifecycle hooks (blue/green hook targets are not invoked), so no hook ever waits: a known deployment
 * answers that the hook does not exist.
 */
export function ContinueServiceDeployment(ctx: Ctx, input: unknown) {
  const v = check<{ serviceDeploymentArn: string; hookId: string; action?: string }>(input, {
    serviceDeploymentArn: { required: true },
    hookId: { required: true },
    action: { enum: ["CONTINUE", "ROLLBACK"] },
  });
  const rec = deploymentsOf(state(ctx)).byArn.get(v.serviceDeploymentArn);
  if (!rec) throw new AwsError("ServiceDeploymentNotFoundException", "The service deployment does not exist.", 400);
  if (rec.sd.status !== "IN_PROGRESS")
    throw EcsErrors.invalidParameter(`The service deployment is in ${rec.sd.status} status and is not waiting on a lifecycle hook.`);
  throw EcsErrors.invalidParameter(`The lifecycle hook ${v.hookId} does not exist or is not waiting for a decision.`);
}
