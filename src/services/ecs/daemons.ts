/**
 * ECS Managed Daemons: daemon task definitions (revisions per family, like task definitions) and daemons
 * on Managed Instances capacity providers, each change recorded as a daemon revision and a daemon
 * deployment. AWS runs one daemon task on every instance it launches for those capacity providers; awsim
 * launches no managed instances, so a daemon has no instances to run on: its deployments complete with
 * zero running instances, and its revisions report totalRunningCount 0. In fake mode they complete at
 * once and a deleted daemon is gone at once; with config.transitionDelayMs a deployment is IN_PROGRESS
 * for that long (a newer deployment of the daemon STOPs it: "replaced by a new deployment") and a
 * deleted daemon stays DELETE_IN_PROGRESS for that long. Computed on read.
 */
import type {
  DaemonDeployment,
  DaemonDeploymentConfiguration,
  DaemonRevision,
  DaemonTaskDefinition,
  DaemonTaskDefinitionSummary,
  Tag,
} from "@aws-sdk/client-ecs";
import { AwsError } from "../../protocols/aws-error.js";
import { hex } from "../core/ids.js";
import { paginate } from "../core/paginate.js";
import type { Ctx } from "../core/types.js";
import { findCapacityProvider } from "./capacity-providers.js";
import { CONTAINER_DEFS_SPEC, callerArn, check, ecsArn, findCluster, state, TAG_SPEC, tagsOut } from "./common.js";
import { EcsErrors } from "./errors.js";
import type { EcsState } from "./state.js";

export interface DaemonRec {
  arn: string;
  name: string;
  cluster: string;
  clusterArn: string;
  status: "ACTIVE" | "DELETE_IN_PROGRESS";
  /** When DeleteDaemon ran: the daemon is gone once the transition delay has passed since. */
  deleteRequestedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
  revisionArn: string;
  deploymentArn: string;
  tags: Tag[];
  seq: number;
}

export interface DaemonDeploymentRec {
  d: DaemonDeployment & { daemonDeploymentArn: string };
  daemonArn: string;
  seq: number;
}

interface DaemonStore {
  families: Map<string, DaemonTaskDefinition[]>;
  tdTags: Map<string, Tag[]>;
  daemons: Map<string, DaemonRec>;
  deployments: Map<string, DaemonDeploymentRec>;
  revisions: Map<string, DaemonRevision>;
}

/** The state's daemon maps (top-level maps of EcsState, so --persist and snapshots carry them entry by entry). */
function store(st: EcsState): DaemonStore {
  return {
    families: (st.daemonTaskDefinitions ??= new Map()),
    tdTags: (st.daemonTaskDefinitionTags ??= new Map()),
    daemons: (st.daemons ??= new Map()),
    deployments: (st.daemonDeployments ??= new Map()),
    revisions: (st.daemonRevisions ??= new Map()),
  };
}

const notFound = () => new AwsError("DaemonNotFoundException", "The specified daemon does not exist.", 400);
const notActive = () => new AwsError("DaemonNotActiveException", "The specified daemon is not active.", 400);
const tdNotFound = () => EcsErrors.client("Unable to describe daemon task definition.");

/**
 * A deleted daemon task definition stays DELETE_IN_PROGRESS while a daemon still runs it ("existing daemons
 * that reference the deleted daemon task definition continue to run"), then becomes DELETED (after the
 * transition delay; at once in fake mode). Computed on read.
 */
function settle(st: EcsState, td: DaemonTaskDefinition, delayMs: number): DaemonTaskDefinition {
  if (td.status !== "DELETE_IN_PROGRESS" || Date.now() - (td.deleteRequestedAt?.getTime() ?? 0) < delayMs) return td;
  const s = store(st);
  prune(s, delayMs);
  const used = [...s.daemons.values()].some((d) => s.revisions.get(d.revisionArn)?.daemonTaskDefinitionArn === td.daemonTaskDefinitionArn);
  if (!used) td.status = "DELETED";
  return td;
}

/** Forget the daemons whose deletion has completed (the transition delay has passed since DeleteDaemon). */
function prune(s: DaemonStore, delayMs: number): void {
  const now = Date.now();
  for (const [arn, d] of s.daemons) if (d.deleteRequestedAt && now - d.deleteRequestedAt.getTime() >= delayMs) s.daemons.delete(arn);
}

/**
 * A deployment as DescribeDaemonDeployments shows it now: IN_PROGRESS until the transition delay has passed
 * since it started (then SUCCESSFUL, finished when the delay ran out), unless a newer deployment stopped it.
 */
function deploymentView(r: DaemonDeploymentRec, delayMs: number): DaemonDeployment {
  const d = structuredClone(r.d);
  if (d.status !== "SUCCESSFUL") return d;
  const started = d.startedAt!.getTime();
  if (Date.now() - started < delayMs) {
    d.status = "IN_PROGRESS";
    d.finishedAt = undefined;
    if (d.circuitBreaker) d.circuitBreaker.status = "MONITORING";
    if (d.alarms?.status === "MONITORING_COMPLETE") d.alarms.status = "MONITORING";
  } else if (delayMs > 0) d.finishedAt = new Date(started + delayMs);
  return d;
}

/** family | family:revision | ARN → the daemon task definition (latest ACTIVE revision for a bare family; a named revision in any status). */
function resolveDaemonTd(st: EcsState, ref: string, delayMs = 0): DaemonTaskDefinition | undefined {
  let spec = ref;
  if (ref.startsWith("arn:")) {
    const m = /^arn:aws[\w-]*:ecs:([^:]+):(\d{12}):daemon-task-definition\/(.+)$/.exec(ref);
    if (!m || m[1] !== st.region || m[2] !== st.accountId) return undefined;
    spec = m[3]!;
  }
  const revs = store(st).families.get(spec.includes(":") ? spec.slice(0, spec.lastIndexOf(":")) : spec) ?? [];
  if (spec.includes(":")) {
    const td = revs[Number(spec.slice(spec.lastIndexOf(":") + 1)) - 1];
    return td && settle(st, td, delayMs);
  }
  for (let i = revs.length - 1; i >= 0; i--) if (revs[i]!.status === "ACTIVE") return revs[i];
  return undefined;
}

export function RegisterDaemonTaskDefinition(ctx: Ctx, input: unknown) {
  const v = check<DaemonTaskDefinition & { tags?: Tag[] }>(input, {
    family: { required: true },
    containerDefinitions: { ...CONTAINER_DEFS_SPEC, required: true },
    taskRoleArn: {},
    executionRoleArn: {},
    cpu: {},
    memory: {},
    volumes: { type: "list", items: { type: "structure", fields: { name: {} } } },
    tags: TAG_SPEC,
  });
  if (!/^[a-zA-Z0-9_-]{1,255}$/.test(v.family!)) {
    throw EcsErrors.client("Family contains invalid characters. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.");
  }
  const defs = v.containerDefinitions ?? [];
  if (defs.length === 0) throw EcsErrors.client("Container list cannot be empty.");
  const names = new Set<string>();
  for (const d of defs) {
    if (!d.name) throw EcsErrors.client("Container.name should not be null or empty.");
    if (!d.image) throw EcsErrors.client("Container.image should not be null or empty.");
    if (names.has(d.name)) throw EcsErrors.client("Duplicate container names are not allowed.");
    names.add(d.name);
  }
  const st = state(ctx);
  const s = store(st);
  const revs = s.families.get(v.family!) ?? [];
  const td: DaemonTaskDefinition = {
    daemonTaskDefinitionArn: ecsArn(st, `daemon-task-definition/${v.family}:${revs.length + 1}`),
    family: v.family,
    revision: revs.length + 1,
    taskRoleArn: v.taskRoleArn,
    executionRoleArn: v.executionRoleArn,
    containerDefinitions: defs.map((d) => ({ ...d, essential: d.essential ?? true, environment: d.environment ?? [], mountPoints: d.mountPoints ?? [] })),
    volumes: v.volumes ?? [],
    cpu: v.cpu,
    memory: v.memory,
    status: "ACTIVE",
    registeredAt: ctx.now(),
    registeredBy: callerArn(ctx, st.accountId, true),
  };
  revs.push(td);
  s.families.set(v.family!, revs);
  s.tdTags.set(td.daemonTaskDefinitionArn!, tagsOut(v.tags));
  return { daemonTaskDefinitionArn: td.daemonTaskDefinitionArn };
}

export function DescribeDaemonTaskDefinition(ctx: Ctx, input: unknown) {
  const v = check<{ daemonTaskDefinition: string }>(input, { daemonTaskDefinition: { required: true } });
  const td = resolveDaemonTd(state(ctx), v.daemonTaskDefinition, ctx.config.transitionDelayMs);
  if (!td) throw tdNotFound();
  return { daemonTaskDefinition: structuredClone(td) };
}

export function DeleteDaemonTaskDefinition(ctx: Ctx, input: unknown) {
  const v = check<{ daemonTaskDefinition: string }>(input, { daemonTaskDefinition: { required: true } });
  const st = state(ctx);
  if (!v.daemonTaskDefinition.includes(":") || v.daemonTaskDefinition.endsWith(":")) throw EcsErrors.client("Revision is missing.");
  const td = resolveDaemonTd(st, v.daemonTaskDefinition);
  if (!td) throw tdNotFound();
  // A definition daemons still run can be deleted: they keep running it (it stays DELETE_IN_PROGRESS until none
  // does, see settle()); no new daemon or deployment can use it (CreateDaemon / UpdateDaemon need ACTIVE).
  if (td.status === "ACTIVE") {
    td.status = "DELETE_IN_PROGRESS";
    td.deleteRequestedAt = ctx.now();
  }
  return { daemonTaskDefinitionArn: td.daemonTaskDefinitionArn };
}

export function ListDaemonTaskDefinitions(ctx: Ctx, input: unknown) {
  const v = check<{ familyPrefix?: string; family?: string; revision?: string; status?: string; sort?: string; maxResults?: number; nextToken?: string }>(
    input,
    {
      familyPrefix: {},
      family: {},
      revision: { enum: ["LAST_REGISTERED"] },
      status: { enum: ["ACTIVE", "DELETE_IN_PROGRESS", "ALL"] },
      sort: { enum: ["ASC", "DESC"] },
      maxResults: { type: "integer", min: 1, max: 100 },
      nextToken: {},
    },
  );
  if (v.family !== undefined && v.familyPrefix !== undefined) throw EcsErrors.invalidParameter("family and familyPrefix cannot both be specified.");
  const st = state(ctx);
  const s = store(st);
  const status = v.status ?? "ACTIVE";
  let out: DaemonTaskDefinitionSummary[] = [];
  for (const family of [...s.families.keys()].sort()) {
    if (v.family !== undefined && family !== v.family) continue;
    if (v.familyPrefix !== undefined && !family.startsWith(v.familyPrefix)) continue;
    let revs = s.families
      .get(family)!
      .map((td) => settle(st, td, ctx.config.transitionDelayMs))
      .filter((td) => status === "ALL" || td.status === status);
    if (v.revision === "LAST_REGISTERED") revs = revs.slice(-1);
    for (const td of revs)
      out.push({
        arn: td.daemonTaskDefinitionArn,
        registeredAt: td.registeredAt,
        registeredBy: td.registeredBy,
        deleteRequestedAt: td.deleteRequestedAt,
        status: td.status,
      });
  }
  if (v.sort === "DESC") out = out.reverse();
  const page = paginate(out, { maxResults: v.maxResults, nextToken: v.nextToken, defaultMax: 100, key: (x) => x.arn!, invalidToken: EcsErrors.invalidToken });
  return { daemonTaskDefinitions: page.items, nextToken: page.nextToken };
}

const DEPLOYMENT_CONFIG = {
  type: "structure",
  fields: {
    drainPercent: { type: "double", min: 0, max: 100 },
    alarms: { type: "structure", fields: { alarmNames: { type: "list", items: {} }, enable: { type: "boolean" } } },
    bakeTimeInMinutes: { type: "integer" },
  },
} as const;

interface DaemonInput {
  daemonName: string;
  clusterArn?: string;
  daemonArn: string;
  daemonTaskDefinitionArn: string;
  capacityProviderArns: string[];
  deploymentConfiguration?: DaemonDeploymentConfiguration;
  tags?: Tag[];
  propagateTags?: "DAEMON" | "NONE";
  enableECSManagedTags?: boolean;
  enableExecuteCommand?: boolean;
}

const DAEMON_SPEC = {
  daemonTaskDefinitionArn: { required: true },
  capacityProviderArns: { type: "list", required: true, minLength: 1, items: {} },
  deploymentConfiguration: DEPLOYMENT_CONFIG,
  propagateTags: { enum: ["DAEMON", "NONE"] },
  enableECSManagedTags: { type: "boolean" },
  enableExecuteCommand: { type: "boolean" },
} as const;

/** Record a revision and a (completed) deployment for a daemon's new configuration. */
function deploy(ctx: Ctx, d: DaemonRec, v: DaemonInput, tdArn: string, providers: string[]): void {
  const st = state(ctx);
  const s = store(st);
  const now = ctx.now();
  const previous = s.revisions.get(d.revisionArn);
  const td = resolveDaemonTd(st, tdArn)!;
  const revisionArn = ecsArn(st, `daemon-revision/${d.cluster}/${d.name}/${hex(20)}`);
  s.revisions.set(revisionArn, {
    daemonRevisionArn: revisionArn,
    clusterArn: d.clusterArn,
    daemonArn: d.arn,
    daemonTaskDefinitionArn: td.daemonTaskDefinitionArn,
    createdAt: now,
    containerImages: (td.containerDefinitions ?? []).map((c) => ({ containerName: c.name, image: c.image })),
    propagateTags: v.propagateTags ?? previous?.propagateTags ?? "NONE",
    enableECSManagedTags: v.enableECSManagedTags ?? previous?.enableECSManagedTags ?? false,
    enableExecuteCommand: v.enableExecuteCommand ?? previous?.enableExecuteCommand ?? false,
  });
  // "STOPPED - Amazon ECS has stopped the deployment because it ... was replaced by a new deployment."
  const current = s.deployments.get(d.deploymentArn);
  if (current && deploymentView(current, ctx.config.transitionDelayMs).status === "IN_PROGRESS") {
    current.d.status = "STOPPED";
    current.d.stoppedAt = now;
    current.d.finishedAt = undefined;
  }
  const deploymentArn = ecsArn(st, `daemon-deployment/${d.cluster}/${d.name}/${hex(20)}`);
  const revisionDetail = (arn: string) => ({
    arn,
    capacityProviders: providers.map((p) => ({ arn: p, runningInstanceCount: 0, drainingInstanceCount: 0 })),
    totalRunningInstanceCount: 0,
    totalDrainingInstanceCount: 0,
  });
  s.deployments.set(deploymentArn, {
    daemonArn: d.arn,
    seq: ++st.seq,
    d: {
      daemonDeploymentArn: deploymentArn,
      clusterArn: d.clusterArn,
      status: "SUCCESSFUL",
      targetDaemonRevision: revisionDetail(revisionArn),
      sourceDaemonRevisions: previous ? [revisionDetail(previous.daemonRevisionArn!)] : [],
      circuitBreaker: { status: "MONITORING_COMPLETE", failureCount: 0, threshold: 0 },
      alarms: v.deploymentConfiguration?.alarms?.enable
        ? { status: "MONITORING_COMPLETE", alarmNames: v.deploymentConfiguration.alarms.alarmNames ?? [], triggeredAlarmNames: [] }
        : { status: "DISABLED" },
      deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, ...(v.deploymentConfiguration ?? {}) },
      createdAt: now,
      startedAt: now,
      finishedAt: now,
    },
  });
  d.revisionArn = revisionArn;
  d.deploymentArn = deploymentArn;
  d.updatedAt = now;
}

function providerArns(ctx: Ctx, refs: string[], cluster: { capacityProviders?: string[] }): string[] {
  const st = state(ctx);
  return refs.map((ref) => {
    const cp = findCapacityProvider(st, ref);
    if (!cp) throw EcsErrors.invalidParameter(`The specified capacity provider '${ref}' does not exist.`);
    if (cp.type !== "MANAGED_INSTANCES") {
      throw new AwsError("UnsupportedFeatureException", "ECS Managed Daemons is only supported for Amazon ECS Managed Instances Capacity Providers.", 400);
    }
    if (!(cluster.capacityProviders ?? []).includes(cp.name)) {
      throw EcsErrors.invalidParameter(`The specified capacity provider '${cp.name}' is not associated with the cluster.`);
    }
    return cp.capacityProviderArn;
  });
}

function findDaemon(ctx: Ctx, arn: string): DaemonRec {
  const s = store(state(ctx));
  prune(s, ctx.config.transitionDelayMs);
  const d = s.daemons.get(arn);
  if (!d) throw notFound();
  return d;
}

export function CreateDaemon(ctx: Ctx, input: unknown) {
  const v = check<DaemonInput>(input, { ...DAEMON_SPEC, daemonName: { required: true }, clusterArn: {}, tags: TAG_SPEC, clientToken: {} });
  if (!/^[a-zA-Z0-9_-]{1,255}$/.test(v.daemonName)) {
    throw EcsErrors.invalidParameter("Daemon name can only contain alphanumeric characters, hyphens, and underscores and must be up to 255 characters long.");
  }
  const st = state(ctx);
  const c = findCluster(st, v.clusterArn);
  const td = resolveDaemonTd(st, v.daemonTaskDefinitionArn);
  if (td?.status !== "ACTIVE") throw tdNotFound();
  const providers = providerArns(ctx, v.capacityProviderArns, c.cluster);
  const arn = ecsArn(st, `daemon/${c.cluster.clusterName}/${v.daemonName}`);
  prune(store(st), ctx.config.transitionDelayMs);
  if (store(st).daemons.has(arn)) throw EcsErrors.invalidParameter("Creation of daemon was not idempotent.");
  const now = ctx.now();
  const d: DaemonRec = {
    arn,
    name: v.daemonName,
    cluster: c.cluster.clusterName,
    clusterArn: c.cluster.clusterArn,
    status: "ACTIVE",
    createdAt: now,
    updatedAt: now,
    revisionArn: "",
    deploymentArn: "",
    tags: tagsOut(v.tags),
    seq: ++st.seq,
  };
  deploy(ctx, d, v, td.daemonTaskDefinitionArn!, providers);
  store(st).daemons.set(arn, d);
  return { daemonArn: arn, status: d.status, createdAt: d.createdAt, deploymentArn: d.deploymentArn };
}

export function UpdateDaemon(ctx: Ctx, input: unknown) {
  const v = check<DaemonInput>(input, { ...DAEMON_SPEC, daemonArn: { required: true } });
  const st = state(ctx);
  const d = findDaemon(ctx, v.daemonArn);
  if (d.status !== "ACTIVE") throw notActive();
  const td = resolveDaemonTd(st, v.daemonTaskDefinitionArn);
  if (td?.status !== "ACTIVE") throw tdNotFound();
  const c = findCluster(st, d.clusterArn);
  deploy(ctx, d, v, td.daemonTaskDefinitionArn!, providerArns(ctx, v.capacityProviderArns, c.cluster));
  return { daemonArn: d.arn, status: d.status, createdAt: d.createdAt, updatedAt: d.updatedAt, deploymentArn: d.deploymentArn };
}

export function DeleteDaemon(ctx: Ctx, input: unknown) {
  const v = check<{ daemonArn: string }>(input, { daemonArn: { required: true } });
  const d = findDaemon(ctx, v.daemonArn);
  if (d.status !== "ACTIVE") throw notActive();
  d.status = "DELETE_IN_PROGRESS";
  d.updatedAt = ctx.now();
  d.deleteRequestedAt = d.updatedAt;
  const out = { daemonArn: d.arn, status: d.status, createdAt: d.createdAt, updatedAt: d.updatedAt, deploymentArn: d.deploymentArn };
  // No daemon tasks to drain: the deletion completes at once in fake mode, after the transition delay otherwise.
  prune(store(state(ctx)), ctx.config.transitionDelayMs);
  return out;
}

export function DescribeDaemon(ctx: Ctx, input: unknown) {
  const v = check<{ daemonArn: string }>(input, { daemonArn: { required: true } });
  const d = findDaemon(ctx, v.daemonArn);
  const target = store(state(ctx)).deployments.get(d.deploymentArn)?.d.targetDaemonRevision;
  return {
    daemon: {
      daemonArn: d.arn,
      clusterArn: d.clusterArn,
      status: d.status,
      currentRevisions: [
        { arn: d.revisionArn, capacityProviders: (target?.capacityProviders ?? []).map((p) => ({ arn: p.arn, runningCount: 0 })), totalRunningCount: 0 },
      ],
      deploymentArn: d.deploymentArn,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    },
  };
}

export function ListDaemons(ctx: Ctx, input: unknown) {
  const v = check<{ clusterArn?: string; capacityProviderArns?: string[]; maxResults?: number; nextToken?: string }>(input, {
    clusterArn: {},
    capacityProviderArns: { type: "list", items: {} },
    maxResults: { type: "integer", min: 1, max: 100 },
    nextToken: {},
  });
  const st = state(ctx);
  const s = store(st);
  prune(s, ctx.config.transitionDelayMs);
  const cluster = v.clusterArn !== undefined ? findCluster(st, v.clusterArn).cluster.clusterName : undefined;
  const wanted = v.capacityProviderArns?.map((ref) => findCapacityProvider(st, ref, true)?.capacityProviderArn ?? ref);
  const out = [...s.daemons.values()]
    .filter((d) => cluster === undefined || d.cluster === cluster)
    .filter((d) => {
      if (!wanted?.length) return true;
      const cps = s.deployments.get(d.deploymentArn)?.d.targetDaemonRevision?.capacityProviders ?? [];
      return cps.some((p) => wanted.includes(p.arn!));
    })
    .sort((a, b) => a.seq - b.seq);
  const page = paginate(out, {
    maxResults: v.maxResults,
    nextToken: v.nextToken,
    defaultMax: 100,
    key: (d) => String(d.seq).padStart(12, "0"),
    invalidToken: EcsErrors.invalidToken,
  });
  return {
    daemonSummariesList: page.items.map((d) => ({ daemonArn: d.arn, status: d.status, createdAt: d.createdAt, updatedAt: d.updatedAt })),
    nextToken: page.nextToken,
  };
}

export function ListDaemonDeployments(ctx: Ctx, input: unknown) {
  const v = check<{
    daemonArn: string;
    status?: string[];
    createdAt?: { before?: Date | number; after?: Date | number };
    maxResults?: number;
    nextToken?: string;
  }>(input, {
    daemonArn: { required: true },
    status: { type: "list", items: {} },
    createdAt: { type: "structure", fields: { before: { type: "timestamp" }, after: { type: "timestamp" } } },
    maxResults: { type: "integer", min: 1, max: 100 },
    nextToken: {},
  });
  // The model declares no DaemonNotFoundException here (only ClusterNotFoundException): the daemon ARN's
  // cluster must exist; an unknown daemon in it has no deployments to list.
  const st = state(ctx);
  prune(store(st), ctx.config.transitionDelayMs);
  const d = store(st).daemons.get(v.daemonArn);
  if (!d) {
    const m = /^arn:aws[\w-]*:ecs:([^:]+):(\d{12}):daemon\/([^/]+)\/[^/]+$/.exec(v.daemonArn);
    if (!m || m[1] !== st.region || m[2] !== st.accountId) throw EcsErrors.clusterNotFound();
    findCluster(st, m[3]);
    return { daemonDeployments: [] };
  }
  const ms = (t: Date | number | undefined) => (t === undefined ? undefined : t instanceof Date ? t.getTime() : typeof t === "number" ? t * 1000 : Number.NaN);
  const after = ms(v.createdAt?.after);
  const before = ms(v.createdAt?.before);
  const out = [...store(state(ctx)).deployments.values()]
    .filter((r) => r.daemonArn === d.arn)
    .map((r) => ({ ...r, d: deploymentView(r, ctx.config.transitionDelayMs) as DaemonDeploymentRec["d"] }))
    .filter((r) => !v.status?.length || v.status.includes(r.d.status!))
    .filter((r) => (after === undefined || r.d.createdAt!.getTime() >= after) && (before === undefined || r.d.createdAt!.getTime() <= before))
    .sort((a, b) => b.seq - a.seq);
  const page = paginate(out, {
    maxResults: v.maxResults,
    nextToken: v.nextToken,
    defaultMax: 20,
    key: (r) => String(1e12 - r.seq).padStart(13, "0"),
    invalidToken: EcsErrors.invalidToken,
  });
  return {
    daemonDeployments: page.items.map((r) => ({
      daemonDeploymentArn: r.d.daemonDeploymentArn,
      daemonArn: r.daemonArn,
      clusterArn: r.d.clusterArn,
      status: r.d.status,
      statusReason: r.d.statusReason,
      targetDaemonRevisionArn: r.d.targetDaemonRevision?.arn,
      createdAt: r.d.createdAt,
      startedAt: r.d.startedAt,
      stoppedAt: r.d.stoppedAt,
      finishedAt: r.d.finishedAt,
    })),
    nextToken: page.nextToken,
  };
}

export function DescribeDaemonDeployments(ctx: Ctx, input: unknown) {
  const v = check<{ daemonDeploymentArns: string[] }>(input, {
    daemonDeploymentArns: { type: "list", required: true, minLength: 1, maxLength: 20, items: {} },
  });
  const s = store(state(ctx));
  const daemonDeployments: DaemonDeployment[] = [];
  const failures: Array<{ arn: string; reason: string }> = [];
  for (const arn of v.daemonDeploymentArns) {
    const r = s.deployments.get(arn);
    if (r) daemonDeployments.push(deploymentView(r, ctx.config.transitionDelayMs));
    else failures.push({ arn, reason: "MISSING" });
  }
  return { daemonDeployments, failures };
}

export function DescribeDaemonRevisions(ctx: Ctx, input: unknown) {
  const v = check<{ daemonRevisionArns: string[] }>(input, { daemonRevisionArns: { type: "list", required: true, minLength: 1, maxLength: 20, items: {} } });
  const s = store(state(ctx));
  const daemonRevisions: DaemonRevision[] = [];
  const failures: Array<{ arn: string; reason: string }> = [];
  for (const arn of v.daemonRevisionArns) {
    const r = s.revisions.get(arn);
    if (r) daemonRevisions.push(structuredClone(r));
    else failures.push({ arn, reason: "MISSING" });
  }
  return { daemonRevisions, failures };
}

/** The live tags of a daemon or daemon task definition ARN (TagResource / ListTagsForResource), if it exists. */
export function daemonTagsOf(st: EcsState, arn: string): { get(): Tag[]; set(t: Tag[]): void } | undefined {
  const s = store(st);
  const d = s.daemons.get(arn);
  if (d) return { get: () => d.tags, set: (t) => (d.tags = t) };
  if (s.tdTags.has(arn)) return { get: () => s.tdTags.get(arn)!, set: (t) => s.tdTags.set(arn, t) };
  return undefined;
}
