/**
 * Container instances (EC2 launch type capacity) and task placement on them. An instance's remaining
 * resources, runningTasksCount and pendingTasksCount are derived from the tasks placed on it, so they stay
 * true as tasks come and go. Placement checks attributes (memberOf, distinctInstance), CPU, MEMORY and host
 * PORTS, then orders candidates by the placement strategy (binpack, spread, random); what cannot be placed
 * is reported per instance with AWS's reasons (ATTRIBUTE, RESOURCE:CPU, RESOURCE:MEMORY, RESOURCE:PORTS).
 * The agent-side calls (Submit*StateChange, DiscoverPollEndpoint) are accepted as the ECS agent makes them.
 */
import type { Attribute, ContainerInstance, Failure, PlacementConstraint, PlacementStrategy, Resource, TaskDefinition, VersionInfo } from "@aws-sdk/client-ecs";
import { randomUUID } from "node:crypto";
import type { Ctx } from "../core/types.js";
import { ec2Id, hex, taskId } from "../core/ids.js";
import { paginate } from "../core/paginate.js";
import { check, ecsArn, findCluster, includes, nameOf, state, TAG_SPEC, tagsOut } from "./common.js";
import { envFor } from "./env.js";
import { EcsErrors } from "./errors.js";
import { evaluate, parseQuery, type Subject } from "./query.js";
import type { ClusterRec, EcsState, InstanceRec, Reserved } from "./state.js";
import { reconcile } from "./services.js";

const AGENT_VERSION = "1.89.0";

/** What a task definition (with task-level overrides) reserves on an instance. */
export function reservation(td: TaskDefinition, cpuOverride?: string, memoryOverride?: string): Reserved {
  const defs = td.containerDefinitions ?? [];
  const cpu = Number(cpuOverride ?? td.cpu) || defs.reduce((n, d) => n + (d.cpu ?? 0), 0);
  const memory = Number(memoryOverride ?? td.memory) || defs.reduce((n, d) => n + (d.memory ?? d.memoryReservation ?? 0), 0);
  const ports: number[] = [];
  const udpPorts: number[] = [];
  if (td.networkMode === "bridge" || td.networkMode === "host" || td.networkMode === undefined) {
    for (const d of defs)
      for (const p of d.portMappings ?? []) {
        const host = td.networkMode === "host" ? p.containerPort : p.hostPort;
        if (host) (p.protocol === "udp" ? udpPorts : ports).push(host);
      }
  }
  return { cpu, memory, ports, udpPorts };
}

export function findInstance(st: EcsState, c: ClusterRec, ref: string): InstanceRec | undefined {
  const inst = c.instances.get(nameOf(ref));
  if (!inst || (ref.startsWith("arn:") && inst.ci.containerInstanceArn !== ref)) return undefined;
  return inst;
}

const live = (st: EcsState, inst: InstanceRec) => {
  const out = [];
  for (const id of inst.tasks) {
    const t = st.tasks.get(id);
    if (t && t.task.lastStatus !== "STOPPED") out.push(t);
  }
  return out;
};

function registered(inst: InstanceRec, name: string): Resource | undefined {
  return inst.ci.registeredResources?.find((r) => r.name === name);
}

/** Remaining CPU/MEMORY/PORTS after the live tasks' reservations. */
export function remaining(st: EcsState, inst: InstanceRec): { cpu: number; memory: number; ports: Set<number>; udpPorts: Set<number> } {
  let cpu = registered(inst, "CPU")?.integerValue ?? 0;
  let memory = registered(inst, "MEMORY")?.integerValue ?? 0;
  const ports = new Set((registered(inst, "PORTS")?.stringSetValue ?? []).map(Number));
  const udpPorts = new Set((registered(inst, "PORTS_UDP")?.stringSetValue ?? []).map(Number));
  for (const t of live(st, inst)) {
    cpu -= t.reserved.cpu;
    memory -= t.reserved.memory;
    for (const p of t.reserved.ports) ports.add(p);
    for (const p of t.reserved.udpPorts) udpPorts.add(p);
  }
  return { cpu, memory, ports, udpPorts };
}

function resources(cpu: number, memory: number, ports: string[], udp: string[]): Resource[] {
  return [
    { name: "CPU", type: "INTEGER", doubleValue: 0, longValue: 0, integerValue: cpu },
    { name: "MEMORY", type: "INTEGER", doubleValue: 0, longValue: 0, integerValue: memory },
    { name: "PORTS", type: "STRINGSET", doubleValue: 0, longValue: 0, integerValue: 0, stringSetValue: ports },
    { name: "PORTS_UDP", type: "STRINGSET", doubleValue: 0, longValue: 0, integerValue: 0, stringSetValue: udp },
  ];
}

export function instanceView(st: EcsState, inst: InstanceRec, include: { tags?: boolean; health?: boolean } = {}): ContainerInstance {
  const tasks = live(st, inst);
  const r = remaining(st, inst);
  const { tags, healthStatus, ...rest } = structuredClone(inst.ci);
  const out: ContainerInstance = {
    ...rest,
    runningTasksCount: tasks.filter((t) => t.task.lastStatus === "RUNNING").length,
    pendingTasksCount: tasks.filter((t) => t.task.lastStatus !== "RUNNING").length,
    // Registered ports first, in their order (recorded: 22, 2376, 2375, 51678, 51679), then the tasks'.
    remainingResources: resources(r.cpu, r.memory, [...r.ports].map(String), [...r.udpPorts].map(String)),
  };
  if (include.tags) out.tags = tags ?? [];
  if (include.health) out.healthStatus = healthStatus;
  return out;
}

export const attr = (inst: InstanceRec, name: string) => inst.ci.attributes?.find((a) => a.name === name)?.value;

function subjectOf(st: EcsState, inst: InstanceRec): Subject {
  return {
    attribute: (name) => {
      const a = inst.ci.attributes?.find((x) => x.name === name);
      return a ? (a.value ?? "") : undefined;
    },
    field: (name) =>
      ({
        agentConnected: inst.ci.agentConnected,
        agentVersion: inst.ci.versionInfo?.agentVersion,
        ec2InstanceId: inst.ci.ec2InstanceId,
        registeredAt: inst.ci.registeredAt?.toISOString(),
        runningTasksCount: live(st, inst).filter((t) => t.task.lastStatus === "RUNNING").length,
      })[name],
    taskGroups: () => new Set(live(st, inst).map((t) => t.task.group!)),
  };
}

export interface Placement {
  /** One instance per placed task. */
  instances: InstanceRec[];
  failures: Failure[];
}

/** Place up to `count` tasks on the cluster's ACTIVE instances. */
export function placeTasks(
  st: EcsState,
  c: ClusterRec,
  td: TaskDefinition,
  count: number,
  o: { constraints?: PlacementConstraint[]; strategy?: PlacementStrategy[]; group: string; reserved: Reserved },
): Placement {
  const constraints = [...(td.placementConstraints ?? []), ...(o.constraints ?? [])];
  const queries = constraints.filter((x) => x.type === "memberOf" && x.expression).map((x) => parseQuery(x.expression!));
  const distinct = constraints.some((x) => x.type === "distinctInstance");
  const placed: InstanceRec[] = [];
  const pendingOn = new Map<InstanceRec, Reserved[]>();
  const instances = [...c.instances.values()].filter((i) => i.ci.status !== "INACTIVE" && i.ci.status !== "DEREGISTERING");
  let failures: Failure[] = [];
  for (let n = 0; n < count; n++) {
    const fits: InstanceRec[] = [];
    failures = [];
    for (const inst of instances) {
      const reason = rejection(st, inst, queries, distinct, o, pendingOn.get(inst) ?? []);
      if (reason) failures.push({ arn: inst.ci.containerInstanceArn, reason });
      else fits.push(inst);
    }
    if (!fits.length) break;
    const chosen = choose(st, fits, o.strategy ?? [], o.group, pendingOn);
    placed.push(chosen);
    pendingOn.set(chosen, [...(pendingOn.get(chosen) ?? []), o.reserved]);
  }
  return { instances: placed, failures: placed.length === count ? [] : failures };
}

/** The ACTIVE instances that meet every memberOf constraint: where a DAEMON service keeps one task each. */
export function daemonTargets(st: EcsState, c: ClusterRec, constraints: PlacementConstraint[]): InstanceRec[] {
  const queries = constraints.filter((x) => x.type === "memberOf" && x.expression).map((x) => parseQuery(x.expression!));
  return [...c.instances.values()].filter((i) => i.ci.status === "ACTIVE" && queries.every((q) => evaluate(q, subjectOf(st, i))));
}

/** Why one instance cannot take a task (StartTask), or undefined when it can. */
export function fitsOn(st: EcsState, inst: InstanceRec, td: TaskDefinition, o: { group: string; reserved: Reserved }): string | undefined {
  const queries = (td.placementConstraints ?? []).filter((x) => x.type === "memberOf" && x.expression).map((x) => parseQuery(x.expression!));
  return rejection(st, inst, queries, false, o, []);
}

function rejection(
  st: EcsState,
  inst: InstanceRec,
  queries: ReturnType<typeof parseQuery>[],
  distinct: boolean,
  o: { group: string; reserved: Reserved },
  pending: Reserved[],
): string | undefined {
  if (inst.ci.status !== "ACTIVE") return "ATTRIBUTE";
  if (!inst.ci.agentConnected) return "AGENT";
  const subject = subjectOf(st, inst);
  if (queries.some((q) => !evaluate(q, subject))) return "ATTRIBUTE";
  if (distinct && (pending.length > 0 || live(st, inst).length > 0)) return "DistinctInstance placement constraint unsatisfied.";
  const r = remaining(st, inst);
  const want = [o.reserved, ...pending];
  if (want.reduce((a, x) => a + x.cpu, 0) > r.cpu) return "RESOURCE:CPU";
  if (want.reduce((a, x) => a + x.memory, 0) > r.memory) return "RESOURCE:MEMORY";
  const tcp = want.flatMap((x) => x.ports);
  if (tcp.some((p, i) => r.ports.has(p) || tcp.indexOf(p) !== i)) return "RESOURCE:PORTS";
  const udp = want.flatMap((x) => x.udpPorts);
  if (udp.some((p, i) => r.udpPorts.has(p) || udp.indexOf(p) !== i)) return "RESOURCE:PORTS_UDP";
  return undefined;
}

function choose(st: EcsState, fits: InstanceRec[], strategy: PlacementStrategy[], group: string, pendingOn: Map<InstanceRec, Reserved[]>): InstanceRec {
  let pool = fits;
  for (const s of strategy.length ? strategy : [{ type: "spread", field: "instanceId" } as PlacementStrategy]) {
    if (pool.length <= 1) break;
    if (s.type === "random") return pool[Math.floor(Math.random() * pool.length)]!;
    const score = (inst: InstanceRec): number => {
      if (s.type === "binpack") {
        const r = remaining(st, inst);
        const pend = pendingOn.get(inst) ?? [];
        return (s.field ?? "").toLowerCase() === "cpu" ? r.cpu - pend.reduce((a, x) => a + x.cpu, 0) : r.memory - pend.reduce((a, x) => a + x.memory, 0);
      }
      const field = (s.field ?? "instanceId").toLowerCase();
      const key = (i: InstanceRec) => (field === "instanceid" || field === "host" ? i.id : (attr(i, (s.field ?? "").replace(/^attribute:/, "")) ?? ""));
      const k = key(inst);
      let n = 0;
      for (const other of fits) {
        if (key(other) !== k) continue;
        n += live(st, other).filter((t) => t.task.group === group).length + (pendingOn.get(other)?.length ?? 0);
      }
      return n;
    };
    const best = Math.min(...pool.map(score));
    pool = pool.filter((i) => score(i) === best);
  }
  return pool[0]!;
}

/** The instances a cluster can place on, or undefined when it has none (tasks then run on virtual capacity). */
export function hasInstances(c: ClusterRec): boolean {
  for (const i of c.instances.values()) if (i.ci.status !== "INACTIVE") return true;
  return false;
}

const RESOURCE_SPEC = {
  type: "list",
  items: {
    type: "structure",
    fields: {
      name: {},
      type: {},
      doubleValue: { type: "double" },
      longValue: { type: "long" },
      integerValue: { type: "integer" },
      stringSetValue: { type: "list", items: {} },
    },
  },
} as const;

const ATTRIBUTES_SPEC = {
  type: "list",
  items: { type: "structure", fields: { name: { required: true }, value: {}, targetType: { enum: ["container-instance"] }, targetId: {} } },
} as const;

function defaultAttributes(instanceType: string, az: string, amiId: string, arch: string): Attribute[] {
  const names = [
    "com.amazonaws.ecs.capability.logging-driver.awslogs",
    "com.amazonaws.ecs.capability.logging-driver.json-file",
    "com.amazonaws.ecs.capability.docker-remote-api.1.44",
    "com.amazonaws.ecs.capability.privileged-container",
    "com.amazonaws.ecs.capability.ecr-auth",
    "com.amazonaws.ecs.capability.task-iam-role",
    "ecs.capability.execution-role-awslogs",
    "ecs.capability.execution-role-ecr-pull",
    "ecs.capability.container-health-check",
    "ecs.capability.task-eni",
    "ecs.capability.secrets.asm.environment-variables",
  ];
  return [
    ...names.map((name) => ({ name })),
    { name: "ecs.ami-id", value: amiId },
    { name: "ecs.availability-zone", value: az },
    { name: "ecs.instance-type", value: instanceType },
    { name: "ecs.os-type", value: "linux" },
    { name: "ecs.os-family", value: "LINUX" },
    { name: "ecs.cpu-architecture", value: arch },
  ];
}

function parseIdentity(doc: string | undefined): Record<string, unknown> {
  if (doc === undefined) return {};
  try {
    const v = JSON.parse(doc) as unknown;
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw EcsErrors.client("The instance identity document is not valid.");
}

export function RegisterContainerInstance(ctx: Ctx, input: unknown) {
  const v = check<{
    cluster?: string;
    instanceIdentityDocument?: string;
    instanceIdentityDocumentSignature?: string;
    totalResources?: Resource[];
    versionInfo?: VersionInfo;
    containerInstanceArn?: string;
    attributes?: Attribute[];
    platformDevices?: ContainerInstance["attachments"];
    tags?: [];
  }>(input, {
    cluster: {},
    instanceIdentityDocument: {},
    instanceIdentityDocumentSignature: {},
    totalResources: RESOURCE_SPEC,
    versionInfo: { type: "structure", fields: { agentVersion: {}, agentHash: {}, dockerVersion: {} } },
    containerInstanceArn: {},
    attributes: ATTRIBUTES_SPEC,
    platformDevices: { type: "list", items: { type: "structure", fields: { id: { required: true }, type: { required: true } } } },
    tags: TAG_SPEC,
  });
  const st = state(ctx);
  const c = findCluster(st, v.cluster);
  const doc = parseIdentity(v.instanceIdentityDocument);
  const str = (x: unknown, d: string) => (typeof x === "string" && x ? x : d);
  const ec2InstanceId = str(doc.instanceId, ec2Id("i"));
  const az = str(doc.availabilityZone, `${st.region}a`);
  const instanceType = str(doc.instanceType, "t3.medium");
  const total = v.totalResources;
  const num = (name: string, d: number) => total?.find((r) => r.name === name)?.integerValue ?? d;
  const set = (name: string, d: string[]) => total?.find((r) => r.name === name)?.stringSetValue ?? d;
  const existing =
    (v.containerInstanceArn !== undefined ? findInstance(st, c, v.containerInstanceArn) : undefined) ??
    [...c.instances.values()].find((i) => i.ci.ec2InstanceId === ec2InstanceId && i.ci.status !== "INACTIVE");
  if (v.containerInstanceArn !== undefined && !existing) throw EcsErrors.containerInstanceNotFound();
  // aws/amazon-ecs-agent#583: a deregistered instance cannot register again under its ARN.
  if (v.containerInstanceArn !== undefined && existing?.ci.status === "INACTIVE") throw EcsErrors.client(`Container instance ${existing.id} is inactive.`);
  const id = existing?.id ?? taskId();
  const custom = (v.attributes ?? []).map((a) => ({ name: a.name, value: a.value }));
  // The identity document's "architecture" ("x86_64" or "arm64" on Graviton) is the instance's CPU architecture.
  const arch = doc.architecture === "arm64" ? "arm64" : "x86_64";
  const attributes = defaultAttributes(instanceType, az, str(doc.imageId, `ami-${hex(17)}`), arch);
  for (const a of custom) {
    const i = attributes.findIndex((x) => x.name === a.name);
    if (i >= 0) attributes[i] = a;
    else attributes.push(a);
  }
  const now = ctx.now();
  const ci: InstanceRec["ci"] = {
    containerInstanceArn: ecsArn(st, `container-instance/${c.cluster.clusterName}/${id}`),
    ec2InstanceId,
    version: (existing?.ci.version ?? 0) + 1,
    versionInfo: { agentVersion: AGENT_VERSION, agentHash: hex(8), dockerVersion: "DockerVersion: 25.0.8", ...(v.versionInfo ?? {}) },
    registeredResources: resources(num("CPU", 2048), num("MEMORY", 3943), set("PORTS", ["22", "2376", "2375", "51678", "51679"]), set("PORTS_UDP", [])),
    status: "ACTIVE",
    agentConnected: true,
    attributes,
    registeredAt: existing?.ci.registeredAt ?? now,
    attachments: [],
    tags: tagsOut(v.tags ?? existing?.ci.tags),
    healthStatus: { overallStatus: "OK", details: [{ type: "CONTAINER_RUNTIME", status: "OK", lastUpdated: now, lastStatusChange: now }] },
  };
  const inst: InstanceRec = existing ?? { seq: ++st.seq, id, cluster: c.cluster.clusterName, ci, tasks: new Set() };
  inst.ci = ci;
  c.instances.set(id, inst);
  rescheduleServices(ctx, c);
  return { containerInstance: instanceView(st, inst, { tags: true }) };
}

export function DeregisterContainerInstance(ctx: Ctx, input: unknown) {
  const v = check<{ cluster?: string; containerInstance: string; force?: boolean }>(input, {
    cluster: {},
    containerInstance: { required: true },
    force: { type: "boolean" },
  });
  const st = state(ctx);
  const c = findCluster(st, v.cluster);
  const inst = findInstance(st, c, v.containerInstance);
  if (!inst || inst.ci.status === "INACTIVE") throw EcsErrors.containerInstanceNotFound();
  const tasks = live(st, inst);
  if (tasks.length && !v.force) throw EcsErrors.invalidParameter("Found running tasks on the instance.");
  inst.ci.status = "INACTIVE";
  inst.ci.version += 1;
  // AWS answers INACTIVE with the agent still connected (recorded); it disconnects right after.
  const answer = instanceView(st, inst, { tags: true });
  inst.ci.agentConnected = false;
  // Its service tasks are replaced elsewhere (the scheduler treats them as draining).
  rescheduleServices(ctx, c);
  return { containerInstance: answer };
}

export function DescribeContainerInstances(ctx: Ctx, input: unknown) {
  const v = check<{ cluster?: string; containerInstances: string[]; include?: string[] }>(input, {
    cluster: {},
    containerInstances: { type: "list", required: true, items: {} },
    include: { type: "list", items: { enum: ["TAGS", "CONTAINER_INSTANCE_HEALTH"] } },
  });
  const st = state(ctx);
  const c = findCluster(st, v.cluster);
  // traefik/traefik#3625.
  if (v.containerInstances.length > 100) throw EcsErrors.invalidParameter("instanceIds can have at most 100 items.");
  const containerInstances: ContainerInstance[] = [];
  const failures: Failure[] = [];
  for (const ref of v.containerInstances) {
    const inst = findInstance(st, c, ref);
    if (inst) containerInstances.push(instanceView(st, inst, { tags: includes(v, "TAGS"), health: includes(v, "CONTAINER_INSTANCE_HEALTH") }));
    else failures.push({ arn: ref.startsWith("arn:") ? ref : ecsArn(st, `container-instance/${c.cluster.clusterName}/${ref}`), reason: "MISSING" });
  }
  return { containerInstances, failures };
}

export function ListContainerInstances(ctx: Ctx, input: unknown) {
  const v = check<{ cluster?: string; filter?: string; status?: string; maxResults?: number; nextToken?: string }>(input, {
    cluster: {},
    filter: {},
    nextToken: {},
    status: { enum: ["ACTIVE", "DRAINING", "REGISTERING", "DEREGISTERING", "REGISTRATION_FAILED"] },
    maxResults: { type: "integer", min: 1, max: 100 },
  });
  const st = state(ctx);
  const c = findCluster(st, v.cluster);
  const q = v.filter ? parseQuery(v.filter) : undefined;
  const out = [...c.instances.values()].filter(
    (i) => (v.status ? i.ci.status === v.status : i.ci.status !== "INACTIVE") && (!q || evaluate(q, subjectOf(st, i))),
  );
  const page = paginate(out, {
    maxResults: v.maxResults,
    nextToken: v.nextToken,
    defaultMax: 100,
    key: (i) => String(i.seq).padStart(12, "0"),
    invalidToken: EcsErrors.invalidToken,
  });
  return { containerInstanceArns: page.items.map((i) => i.ci.containerInstanceArn), nextToken: page.nextToken };
}

export function UpdateContainerInstancesState(ctx: Ctx, input: unknown) {
  const v = check<{ cluster?: string; containerInstances: string[]; status: string }>(input, {
    cluster: {},
    containerInstances: { type: "list", required: true, items: {} },
    status: { required: true, enum: ["ACTIVE", "DRAINING", "REGISTERING", "DEREGISTERING", "REGISTRATION_FAILED"] },
  });
  if (v.status !== "ACTIVE" && v.status !== "DRAINING")
    throw EcsErrors.invalidParameter("Container instances status can only be updated to ACTIVE or DRAINING.");
  // minamijoyo/myaws#25.
  if (v.containerInstances.length > 10) throw EcsErrors.invalidParameter("instanceIds can have at most 10 items.");
  const st = state(ctx);
  const c = findCluster(st, v.cluster);
  const containerInstances: ContainerInstance[] = [];
  const failures: Failure[] = [];
  for (const ref of v.containerInstances) {
    const inst = findInstance(st, c, ref);
    if (!inst || inst.ci.status === "INACTIVE") {
      failures.push({ arn: ref.startsWith("arn:") ? ref : ecsArn(st, `container-instance/${c.cluster.clusterName}/${ref}`), reason: "MISSING" });
      continue;
    }
    if (inst.ci.status !== v.status) {
      inst.ci.status = v.status;
      inst.ci.version += 1;
    }
    containerInstances.push(instanceView(st, inst));
  }
  // DRAINING: service tasks there are replaced within minimumHealthyPercent/maximumPercent; ACTIVE: new capacity.
  rescheduleServices(ctx, c);
  return { containerInstances, failures };
}

/** New capacity: services with tasks still to place try again. */
function rescheduleServices(ctx: Ctx, c: ClusterRec): void {
  const env = envFor(ctx);
  for (const s of c.services.values()) if (s.service.status === "ACTIVE") void reconcile(env, s);
}

export function UpdateContainerAgent(ctx: Ctx, input: unknown) {
  const v = check<{ cluster?: string; containerInstance: string }>(input, { cluster: {}, containerInstance: { required: true } });
  const st = state(ctx);
  const c = findCluster(st, v.cluster);
  const inst = findInstance(st, c, v.containerInstance);
  if (!inst || inst.ci.status === "INACTIVE") throw EcsErrors.containerInstanceNotFound();
  if (inst.ci.versionInfo?.agentVersion === AGENT_VERSION) throw EcsErrors.noUpdateAvailable();
  // AWS answers the instance as it was with agentUpdateStatus PENDING (recorded); the update completes at once.
  inst.ci.agentUpdateStatus = "PENDING";
  const answer = instanceView(st, inst);
  inst.ci.versionInfo = { ...inst.ci.versionInfo, agentVersion: AGENT_VERSION };
  inst.ci.agentUpdateStatus = "UPDATED";
  inst.ci.version += 1;
  return { containerInstance: answer };
}

export function DiscoverPollEndpoint(ctx: Ctx, input: unknown) {
  const v = check<{ containerInstance?: string; cluster?: string; zoneId?: string }>(input, { containerInstance: {}, cluster: {}, zoneId: {} });
  void v;
  const host = `ecs-a-1.${ctx.region}.amazonaws.com`;
  return {
    endpoint: `https://${host}/`,
    telemetryEndpoint: `https://ecs-t-1.${ctx.region}.amazonaws.com/`,
    serviceConnectEndpoint: `https://ecs-sc.${ctx.region}.api.aws`,
  };
}

/** The agent reports a task's state; awsim's own runner owns task state, so the report is acknowledged. */
export function SubmitTaskStateChange(ctx: Ctx, input: unknown) {
  const v = check<{ cluster?: string; task?: string }>(input, {
    cluster: {},
    task: {},
    status: {},
    reason: {},
    containers: { type: "list", items: { type: "structure" } },
    attachments: { type: "list", items: { type: "structure" } },
    managedAgents: { type: "list", items: { type: "structure" } },
  });
  findCluster(state(ctx), v.cluster);
  return { acknowledgment: randomUUID() };
}

export function SubmitContainerStateChange(ctx: Ctx, input: unknown) {
  const v = check<{ cluster?: string }>(input, {
    cluster: {},
    task: {},
    containerName: {},
    runtimeId: {},
    status: {},
    exitCode: { type: "integer" },
    reason: {},
    networkBindings: { type: "list", items: { type: "structure" } },
  });
  findCluster(state(ctx), v.cluster);
  return { acknowledgment: randomUUID() };
}

export function SubmitAttachmentStateChanges(ctx: Ctx, input: unknown) {
  const v = check<{ cluster?: string }>(input, {
    cluster: {},
    attachments: { type: "list", required: true, items: { type: "structure", fields: { attachmentArn: { required: true }, status: { required: true } } } },
  });
  findCluster(state(ctx), v.cluster);
  return { acknowledgment: randomUUID() };
}

/** Attributes: container-instance targets (by ARN, or id with the cluster). */
function attributeTarget(st: EcsState, c: ClusterRec, a: Attribute): InstanceRec {
  if (a.targetType !== undefined && a.targetType !== "container-instance") throw EcsErrors.invalidParameter("Invalid targetType.");
  if (!a.targetId) throw EcsErrors.invalidParameter("targetId is required.");
  const inst = findInstance(st, c, a.targetId);
  if (!inst || inst.ci.status === "INACTIVE") throw EcsErrors.targetNotFound(a.targetId);
  return inst;
}

const ATTR_NAME = /^[a-zA-Z0-9_./\\-]{1,128}$/;
const ATTR_VALUE = /^[a-zA-Z0-9_.@/\\: -]{1,128}$/;
const isCustom = (name: string | undefined) => !name?.startsWith("ecs.") && !name?.startsWith("com.amazonaws.ecs.");

export function PutAttributes(ctx: Ctx, input: unknown) {
  const v = check<{ cluster?: string; attributes: Attribute[] }>(input, { cluster: {}, attributes: { ...ATTRIBUTES_SPEC, required: true } });
  const st = state(ctx);
  const c = findCluster(st, v.cluster);
  const targets = v.attributes.map((a) => attributeTarget(st, c, a));
  for (const inst of new Set(targets)) {
    const names = new Set((inst.ci.attributes ?? []).map((x) => x.name).filter(isCustom));
    v.attributes.forEach((a, i) => targets[i] === inst && isCustom(a.name) && names.add(a.name));
    if (names.size > 10) throw EcsErrors.attributeLimit();
  }
  for (const a of v.attributes) {
    if (!ATTR_NAME.test(a.name!) || (a.value !== undefined && !ATTR_VALUE.test(a.value))) {
      throw EcsErrors.invalidParameter(`Attribute name or value is invalid: ${a.name}`);
    }
  }
  v.attributes.forEach((a, i) => {
    const inst = targets[i]!;
    const list = (inst.ci.attributes ??= []);
    const j = list.findIndex((x) => x.name === a.name);
    const next = { name: a.name, value: a.value };
    if (j >= 0) list[j] = next;
    else list.push(next);
    inst.ci.version += 1;
  });
  return { attributes: v.attributes.map((a, i) => ({ ...a, targetType: "container-instance", targetId: targets[i]!.ci.containerInstanceArn })) };
}

export function DeleteAttributes(ctx: Ctx, input: unknown) {
  const v = check<{ cluster?: string; attributes: Attribute[] }>(input, { cluster: {}, attributes: { ...ATTRIBUTES_SPEC, required: true } });
  const st = state(ctx);
  const c = findCluster(st, v.cluster);
  const targets = v.attributes.map((a) => attributeTarget(st, c, a));
  // AWS answers each deleted attribute with the value it had (recorded), though the request names none.
  const values = v.attributes.map((a, i) => (targets[i]!.ci.attributes ?? []).find((x) => x.name === a.name)?.value);
  v.attributes.forEach((a, i) => {
    const inst = targets[i]!;
    inst.ci.attributes = (inst.ci.attributes ?? []).filter((x) => x.name !== a.name);
    inst.ci.version += 1;
  });
  return {
    attributes: v.attributes.map((a, i) => ({
      ...a,
      value: a.value ?? values[i],
      targetType: "container-instance",
      targetId: targets[i]!.ci.containerInstanceArn,
    })),
  };
}

export function ListAttributes(ctx: Ctx, input: unknown) {
  const v = check<{ cluster?: string; targetType: string; attributeName?: string; attributeValue?: string; maxResults?: number; nextToken?: string }>(input, {
    cluster: {},
    targetType: { required: true, enum: ["container-instance"] },
    attributeName: {},
    attributeValue: {},
    maxResults: { type: "integer", min: 1, max: 100 },
    nextToken: {},
  });
  if (v.attributeValue !== undefined && v.attributeName === undefined) {
    throw EcsErrors.invalidParameter("Attribute name must be specified when attribute value is specified.");
  }
  const st = state(ctx);
  const c = findCluster(st, v.cluster);
  const out: Array<Attribute & { key: string }> = [];
  for (const inst of c.instances.values()) {
    if (inst.ci.status === "INACTIVE") continue;
    for (const a of inst.ci.attributes ?? []) {
      if (v.attributeName !== undefined && a.name !== v.attributeName) continue;
      if (v.attributeValue !== undefined && a.value !== v.attributeValue) continue;
      out.push({ ...a, targetType: "container-instance", targetId: inst.ci.containerInstanceArn, key: `${String(inst.seq).padStart(12, "0")}|${a.name}` });
    }
  }
  const page = paginate(out, { maxResults: v.maxResults, nextToken: v.nextToken, defaultMax: 100, key: (a) => a.key, invalidToken: EcsErrors.invalidToken });
  return { attributes: page.items.map(({ key: _k, ...a }) => a), nextToken: page.nextToken };
}
