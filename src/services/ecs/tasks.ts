/** Tasks: RunTask / StartTask (create records, start through the runtime), DescribeTasks, ListTasks, StopTask. */
import type {
  CapacityProviderStrategyItem,
  Failure,
  NetworkBinding,
  NetworkConfiguration,
  PlacementConstraint,
  PlacementStrategy,
  Tag,
  Task,
  TaskDefinition,
  TaskOverride,
} from "@aws-sdk/client-ecs";
import { randomUUID } from "node:crypto";
import type { Ctx } from "../core/types.js";
import { taskId } from "../core/ids.js";
import { decodeToken, encodeToken } from "../core/paginate.js";
import {
  check,
  cloneData,
  ecsArn,
  findCluster,
  includes,
  NETWORK_SPEC,
  OVERRIDES_SPEC,
  PLACEMENT_CONSTRAINTS_SPEC,
  PLACEMENT_STRATEGY_SPEC,
  STRATEGY_SPEC,
  state,
  TAG_SPEC,
} from "./common.js";
import { EcsErrors } from "./errors.js";
import { checkConstraints } from "./query.js";
import { containerSpecs, failToStart, logSinks, makeListener, TaskStartFailure, taskMounts, withScratchCleanup, type EcsEnv } from "./runtime-bridge.js";
import { BUILT_IN, defaultStrategyUsable, providerFor, validateStrategy } from "./capacity-providers.js";
import { attr, findInstance, fitsOn, hasInstances, placeTasks, reservation } from "./container-instances.js";
import type { ClusterRec, EcsState, InstanceRec, TaskRec } from "./state.js";
import { resolveTaskDefinition } from "./task-definitions.js";
import { imageDigests } from "./image-digests.js";
import { checkVolumeConfigurations, taskVolumes, type VolumeConfiguration } from "./task-volumes.js";
import { envFor } from "./env.js";
import { taskEni } from "./task-enis.js";

/** What RunTask, StartTask and the service scheduler pass for new tasks. */
interface TaskOptions {
  /** Tags from the task definition (TASK_DEFINITION) or the service (SERVICE) go onto each task. */
  propagateTags?: string;
  serviceTags?: Tag[];
  enableECSManagedTags?: boolean;
  launchType?: string;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  networkConfiguration?: NetworkConfiguration;
  overrides?: TaskOverride;
  group?: string;
  startedBy?: string;
  tags?: Tag[];
  enableExecuteCommand?: boolean;
  platformVersion?: string;
  /** Managed EBS volumes for the task definition's configuredAtLaunch volumes. */
  volumeConfigurations?: VolumeConfiguration[];
}

export interface NewTasks extends TaskOptions {
  cluster: ClusterRec;
  td: TaskDefinition;
  count: number;
  service?: string;
  /** The container instance of each task (EC2 placement), index by task. */
  instances?: InstanceRec[];
  /** Image digests a service deployment pinned (else resolved now). */
  imageDigests?: Map<string, string>;
}

/** Whether tasks of this launch type / strategy go to container instances (EC2 capacity). */
export function usesInstances(launchType: string | undefined, strategy: CapacityProviderStrategyItem[] | undefined): boolean {
  if (strategy?.length) return !strategy.some((s) => BUILT_IN.includes(s.capacityProvider!));
  return (launchType ?? "EC2") === "EC2";
}

/**
 * Where `count` new tasks go: onto container instances when the cluster has some (what does not fit comes
 * back as failures), else on awsim's virtual capacity (under --strict: AWS's error for a cluster without
 * instances).
 */
export function planPlacement(
  st: EcsState,
  strict: boolean,
  o: {
    cluster: ClusterRec;
    td: TaskDefinition;
    count: number;
    ec2: boolean;
    constraints?: PlacementConstraint[];
    strategy?: PlacementStrategy[];
    group: string;
    overrides?: TaskOverride;
  },
): { count: number; instances?: InstanceRec[]; failures: Failure[] } {
  if (!o.ec2) return { count: o.count, failures: [] };
  if (!hasInstances(o.cluster)) {
    if (strict) throw EcsErrors.invalidParameter("No Container Instances were found in your cluster.");
    return { count: o.count, failures: [] };
  }
  const p = placeTasks(st, o.cluster, o.td, o.count, {
    constraints: o.constraints,
    strategy: o.strategy,
    group: o.group,
    reserved: reservation(o.td, o.overrides?.cpu, o.overrides?.memory),
  });
  return { count: p.instances.length, instances: p.instances, failures: p.failures };
}

/**
 * The task's "ecs.cpu-architecture" attribute: on Fargate the task definition's runtimePlatform (ARM64 runs on
 * Graviton: "arm64", as DescribeTasks answers for such tasks), on a container instance that instance's own.
 */
function cpuArchitecture(td: TaskDefinition, inst: InstanceRec | undefined, fargate: boolean): string {
  if (inst) return attr(inst, "ecs.cpu-architecture") ?? "x86_64";
  return fargate && td.runtimePlatform?.cpuArchitecture === "ARM64" ? "arm64" : "x86_64";
}

function addIndex(m: Map<string, Set<string>>, key: string | undefined, id: string) {
  if (key === undefined) return;
  let s = m.get(key);
  if (!s) m.set(key, (s = new Set()));
  s.add(id);
}

/** Create task records and start them through the runtime. */
export async function createTasks(env: EcsEnv, o: NewTasks): Promise<TaskRec[]> {
  const st = env.st;
  const now = new Date();
  const recs: TaskRec[] = [];
  const reserved = reservation(o.td, o.overrides?.cpu, o.overrides?.memory);
  const perProvider = o.capacityProviderStrategy?.length ? providerCounts(o) : undefined;
  const digests = o.imageDigests ?? (await imageDigests(env, o.td));
  // A Fargate task's storage: the RunTask/StartTask override, else the task definition's, else 20 GiB; encrypted with
  // the cluster's fargateEphemeralStorageKmsKeyId when it has one (AWS's blog "Securing Amazon ECS workloads on AWS
  // Fargate with customer managed keys" shows it in DescribeTasks).
  const ephemeralGiB = o.overrides?.ephemeralStorage?.sizeInGiB ?? o.td.ephemeralStorage?.sizeInGiB ?? 20;
  const ephemeralKey = o.cluster.cluster.configuration?.managedStorageConfiguration?.fargateEphemeralStorageKmsKeyId;
  for (let i = 0; i < o.count; i++) {
    const id = taskId();
    const provider = perProvider ? providerFor(o.capacityProviderStrategy!, perProvider) : undefined;
    if (provider) perProvider!.set(provider, (perProvider!.get(provider) ?? 0) + 1);
    const fargate = o.launchType === "FARGATE" || BUILT_IN.includes(provider ?? "");
    const inst = o.instances?.[i];
    const taskArn = ecsArn(st, `task/${o.cluster.cluster.clusterName}/${id}`);
    const eni = o.td.networkMode === "awsvpc" ? await taskEni(env, o.networkConfiguration) : undefined;
    const az = (inst && attr(inst, "ecs.availability-zone")) ?? eni?.az ?? `${st.region}a`;
    const tags = taskTags(st, o);
    const volumes = await taskVolumes(env, {
      configs: o.volumeConfigurations,
      az,
      taskTags: tags,
      tdTags: st.taskDefTags.get(o.td.taskDefinitionArn!),
      serviceTags: o.serviceTags,
    });
    const task: TaskRec["task"] = {
      taskArn,
      clusterArn: o.cluster.cluster.clusterArn,
      taskDefinitionArn: o.td.taskDefinitionArn,
      containerInstanceArn: inst?.ci.containerInstanceArn,
      overrides: taskOverrides(o.td, o.overrides),
      lastStatus: "PROVISIONING",
      desiredStatus: "RUNNING",
      // Without task-level sizes AWS answers the containers' sums (recorded: cpu "10", memory "300").
      cpu: o.overrides?.cpu ?? o.td.cpu ?? (fargate ? undefined : String(reserved.cpu)),
      memory: o.overrides?.memory ?? o.td.memory ?? (fargate ? undefined : String(reserved.memory)),
      containers: (o.td.containerDefinitions ?? []).map((d) => ({
        containerArn: ecsArn(st, `container/${o.cluster.cluster.clusterName}/${id}/${randomUUID()}`),
        taskArn,
        name: d.name,
        image: d.image,
        imageDigest: digests.get(d.name!),
        lastStatus: "PENDING",
        networkBindings: bindings(o.td, d.name!),
        networkInterfaces: eni ? [{ attachmentId: eni.attachment.id, privateIpv4Address: eni.ip, ipv6Address: eni.ipv6 }] : [],
        healthStatus: "UNKNOWN",
        cpu: String(d.cpu ?? 0),
        memory: d.memory !== undefined ? String(d.memory) : undefined,
        memoryReservation: d.memoryReservation !== undefined ? String(d.memoryReservation) : undefined,
      })),
      startedBy: o.startedBy,
      version: 1,
      connectivity: undefined,
      createdAt: now,
      group: o.group ?? (o.service ? `service:${o.service}` : `family:${o.td.family}`),
      launchType: o.capacityProviderStrategy?.length ? undefined : ((o.launchType ?? "EC2") as Task["launchType"]),
      capacityProviderName: provider,
      platformVersion: fargate ? (o.platformVersion && o.platformVersion !== "LATEST" ? o.platformVersion : "1.4.0") : undefined,
      platformFamily: fargate ? "Linux" : undefined,
      attachments: [...(eni ? [eni.attachment] : []), ...volumes],
      availabilityZone: az,
      healthStatus: "UNKNOWN",
      tags,
      enableExecuteCommand: o.enableExecuteCommand ?? false,
      ephemeralStorage: fargate ? { sizeInGiB: ephemeralGiB } : undefined,
      fargateEphemeralStorage: fargate ? { sizeInGiB: ephemeralGiB, ...(ephemeralKey ? { kmsKeyId: ephemeralKey } : {}) } : undefined,
      attributes: [{ name: "ecs.cpu-architecture", value: cpuArchitecture(o.td, inst, fargate) }],
    };
    let settle!: () => void;
    const settled = new Promise<void>((r) => (settle = r));
    const rec: TaskRec = {
      seq: ++st.seq,
      task,
      id,
      cluster: o.cluster.cluster.clusterName,
      family: o.td.family!,
      service: o.service,
      settled,
      settle,
      output: [],
      essential: new Map((o.td.containerDefinitions ?? []).map((d) => [d.name!, d.essential !== false])),
      // Each task its own copy (--persist writes each task as its own record).
      reserved: { ...reserved, ports: [...reserved.ports], udpPorts: [...reserved.udpPorts] },
      instance: inst?.id,
    };
    inst?.tasks.add(id);
    st.tasks.set(id, rec);
    o.cluster.tasks.set(id, rec);
    o.cluster.order?.push(rec);
    addIndex(o.cluster.byFamily, rec.family, id);
    addIndex(o.cluster.byStartedBy, o.startedBy, id);
    addIndex(o.cluster.byService, o.service, id);
    recs.push(rec);
  }
  for (const rec of recs) {
    const sinks = env.sim.config.execute ? await logSinks(env, rec, o.td) : new Map();
    let listener = makeListener(env, rec, sinks);
    let mounts: Awaited<ReturnType<typeof taskMounts>>["mounts"] | undefined;
    if (env.sim.config.execute)
      try {
        const m = await taskMounts(env, o.td, rec.id);
        mounts = m.mounts;
        listener = withScratchCleanup(listener, m.scratch);
      } catch (e) {
        if (!(e instanceof TaskStartFailure)) throw e;
        // The task stops right after it is created, as ECS reports a failed volume setup.
        const reason = e.message;
        setTimeout(() => failToStart(rec, listener, reason), 10).unref();
        continue;
      }
    env.sim.runner.start(containerSpecs(env, rec, o.td, o.overrides?.containerOverrides ?? [], mounts), listener);
  }
  return recs;
}

/** A task's overrides as AWS answers them: one containerOverrides entry per container (just its name when none was given). */
function taskOverrides(td: TaskDefinition, given: TaskOverride | undefined): TaskOverride {
  const asked = given?.containerOverrides ?? [];
  const names = new Set((td.containerDefinitions ?? []).map((d) => d.name));
  return {
    ...(given ?? {}),
    containerOverrides: [
      ...(td.containerDefinitions ?? []).map((d) => asked.find((x) => x.name === d.name) ?? { name: d.name }),
      ...asked.filter((x) => !names.has(x.name)),
    ],
    inferenceAcceleratorOverrides: given?.inferenceAcceleratorOverrides ?? [],
  };
}

/** Live tasks per capacity provider among the service's tasks (none for standalone tasks). */
function providerCounts(o: NewTasks): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of o.service ? (o.cluster.byService.get(o.service) ?? []) : []) {
    const t = o.cluster.tasks.get(id)?.task;
    if (t?.capacityProviderName && t.desiredStatus === "RUNNING") counts.set(t.capacityProviderName, (counts.get(t.capacityProviderName) ?? 0) + 1);
  }
  return counts;
}

/** Host port bindings of a bridge/host-mode container (dynamic host ports from the ephemeral range). */
function bindings(td: TaskDefinition, name: string): NetworkBinding[] {
  if (td.networkMode === "awsvpc" || td.networkMode === "none") return [];
  const d = td.containerDefinitions?.find((x) => x.name === name);
  return (d?.portMappings ?? []).map((p) => ({
    bindIP: "0.0.0.0",
    containerPort: p.containerPort,
    hostPort: td.networkMode === "host" ? p.containerPort : p.hostPort || 32768 + Math.floor(Math.random() * 28000),
    protocol: p.protocol ?? "tcp",
  }));
}

const RUN_SPEC = {
  cluster: {},
  taskDefinition: { required: true },
  count: { type: "integer" },
  launchType: { enum: ["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"] },
  capacityProviderStrategy: STRATEGY_SPEC,
  networkConfiguration: NETWORK_SPEC,
  overrides: OVERRIDES_SPEC,
  placementConstraints: PLACEMENT_CONSTRAINTS_SPEC,
  placementStrategy: PLACEMENT_STRATEGY_SPEC,
  group: { maxLength: 255 },
  startedBy: { maxLength: 128 },
  platformVersion: {},
  referenceId: {},
  clientToken: {},
  propagateTags: { enum: ["TASK_DEFINITION", "SERVICE", "NONE"] },
  enableECSManagedTags: { type: "boolean" },
  tags: TAG_SPEC,
  enableExecuteCommand: { type: "boolean" },
  volumeConfigurations: { type: "list", items: { type: "structure" } },
} as const;

type RunInput = TaskOptions & {
  clientToken?: string;
  propagateTags?: string;
  placementConstraints?: PlacementConstraint[];
  placementStrategy?: PlacementStrategy[];
  cluster?: string;
  taskDefinition: string;
  count?: number;
  containerInstances?: string[];
};

/** The per-task options a RunTask/StartTask request carries. */
const taskOptions = (v: RunInput): TaskOptions => ({
  networkConfiguration: v.networkConfiguration,
  overrides: v.overrides,
  group: v.group,
  startedBy: v.startedBy,
  tags: v.tags,
  enableExecuteCommand: v.enableExecuteCommand,
  platformVersion: v.platformVersion,
  propagateTags: v.propagateTags,
  enableECSManagedTags: v.enableECSManagedTags,
  volumeConfigurations: v.volumeConfigurations,
});

/** A new task's tags: propagated ones, then the request's, then ECS managed tags. */
function taskTags(st: EcsState, o: NewTasks): Tag[] {
  const m = new Map<string, string>();
  const add = (tags: Tag[] | undefined) => {
    for (const t of tags ?? []) if (t.key !== undefined) m.set(t.key, t.value ?? "");
  };
  if (o.propagateTags === "TASK_DEFINITION") add(st.taskDefTags.get(o.td.taskDefinitionArn!));
  if (o.propagateTags === "SERVICE") add(o.serviceTags);
  add(o.tags);
  if (o.enableECSManagedTags) {
    m.set("aws:ecs:clusterName", o.cluster.cluster.clusterName);
    if (o.service) m.set("aws:ecs:serviceName", o.service);
  }
  return [...m].map(([key, value]) => ({ key, value }));
}

function prepareRun(ctx: Ctx, v: RunInput) {
  const st = state(ctx);
  const cluster = findCluster(st, v.cluster);
  const td = resolveTaskDefinition(st, v.taskDefinition);
  if (!td) throw EcsErrors.taskDefinitionNotFound();
  if (td.status !== "ACTIVE") throw EcsErrors.taskDefinitionInactive("InvalidParameterException");
  if (v.launchType && v.capacityProviderStrategy?.length) {
    throw EcsErrors.invalidParameter("Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.");
  }
  const strategy = v.capacityProviderStrategy?.length
    ? v.capacityProviderStrategy
    : v.launchType
      ? undefined
      : cluster.cluster.defaultCapacityProviderStrategy?.length
        ? cluster.cluster.defaultCapacityProviderStrategy
        : undefined;
  checkConstraints(v.placementConstraints);
  if (v.capacityProviderStrategy?.length) validateStrategy(state(ctx), v.capacityProviderStrategy, cluster.cluster.capacityProviders, ctx.config.strict);
  else if (strategy) defaultStrategyUsable(strategy);
  const fargate = v.launchType === "FARGATE" || strategy?.some((c) => BUILT_IN.includes(c.capacityProvider!));
  if (fargate && !td.compatibilities?.includes("FARGATE")) throw EcsErrors.invalidParameter("Task definition does not support launch_type FARGATE.");
  if (v.launchType === "EC2" && v.platformVersion !== undefined) throw EcsErrors.platformVersionWithEc2();
  checkPlatform(td, !!fargate, v.platformVersion);
  checkNetworkMode(td, v.networkConfiguration, fargate || ctx.config.strict);
  // boto/boto3#3173: ECS Exec needs a task role, from the task definition or the overrides (an empty one is none).
  if (v.enableExecuteCommand === true && !v.overrides?.taskRoleArn && !td.taskRoleArn)
    throw EcsErrors.invalidParameter(
      "The execute command failed because a valid task role is not being used. Specify a valid task role in your task definition or as a task override and try again.",
    );
  if (v.networkConfiguration?.awsvpcConfiguration && !v.networkConfiguration.awsvpcConfiguration.subnets?.length) {
    throw EcsErrors.invalidParameter("subnets can not be empty.");
  }
  for (const o of v.overrides?.containerOverrides ?? []) {
    if (!td.containerDefinitions?.some((d) => d.name === o.name))
      throw EcsErrors.invalidParameter(`Container Overrides contains invalid container name: ${o.name}`);
  }
  return { cluster, td, strategy };
}

/**
 * awsvpc tasks need their network configuration (outside Fargate only under --strict: awsim's virtual capacity gives
 * them one); other network modes refuse one, as AWS answers RunTask and CreateService (fabfuel/ecs-deploy#133,
 * aws-actions/amazon-ecs-deploy-task-definition#616, ansible-collections/community.aws#1145, DataDog/test-infra-definitions#57).
 */
export function checkNetworkMode(td: TaskDefinition | undefined, network: NetworkConfiguration | undefined, requireAwsvpc: boolean): void {
  if (!td) return;
  if (td.networkMode === "awsvpc") {
    if (!network?.awsvpcConfiguration && requireAwsvpc)
      throw EcsErrors.invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  } else if (network?.awsvpcConfiguration) {
    throw EcsErrors.invalidParameter("Network Configuration is not valid for the given networkMode of this task definition.");
  }
}

/** Fargate's platform versions; LATEST is 1.4.0. */
const PLATFORM_VERSIONS = ["LATEST", "1.4.0", "1.3.0", "1.2.0", "1.1.0", "1.0.0"];

/**
 * A Fargate platform version AWS does not know is PlatformUnknownException ("1.4" in jenkinsci/amazon-ecs-plugin#218);
 * EFS volumes need platform 1.4.0, earlier ones answer PlatformTaskDefinitionIncompatibilityException
 * (ansible-collections/community.aws#136, CircleCI-Public/aws-ecs-orb#121).
 */
export function checkPlatform(td: TaskDefinition | undefined, fargate: boolean, platformVersion: string | undefined): void {
  if (!fargate || platformVersion === undefined) return;
  if (!PLATFORM_VERSIONS.includes(platformVersion)) throw EcsErrors.platformUnknown();
  const efs = td?.volumes?.some((vol) => vol.efsVolumeConfiguration !== undefined);
  if (efs && platformVersion !== "LATEST" && platformVersion !== "1.4.0") throw EcsErrors.platformIncompatible();
}

/** In execute mode RunTask answers once the processes started (bounded), as the seed's walkthrough shows. */
async function settleBriefly(ctx: Ctx, recs: TaskRec[]): Promise<void> {
  if (!ctx.config.execute) return;
  await Promise.race([Promise.all(recs.map((r) => r.settled)), new Promise((r) => setTimeout(r, 2000).unref())]);
}

/**
 * RunTask's clientToken ("an identifier that you provide to ensure the idempotency of the request"; the SDKs fill it
 * in, and send it again when they retry): a request repeating a recent token answers the tasks the first one started
 * instead of starting more. The latest 10,000 tokens of an account and Region are remembered, in memory only.
 */
const runTokens = new WeakMap<object, Map<string, { arns: string[]; failures: unknown[] }>>();
const RUN_TOKENS_KEPT = 10_000;

export async function RunTask(ctx: Ctx, input: unknown) {
  const v = check<RunInput>(input, RUN_SPEC);
  const count = v.count ?? 1;
  if (count < 1 || count > 10) throw EcsErrors.invalidParameter("Count must be between 1 and 10.");
  const st = state(ctx);
  let tokens = runTokens.get(st);
  const token = typeof v.clientToken === "string" ? v.clientToken : undefined;
  const seen = token !== undefined ? tokens?.get(token) : undefined;
  if (seen) {
    const tasks = seen.arns.map((arn) => st.tasks.get(arn.slice(arn.lastIndexOf("/") + 1))?.task).filter((t) => t !== undefined);
    return { tasks: tasks.map((t) => cloneData(t)), failures: cloneData(seen.failures) };
  }
  const { cluster, td, strategy } = prepareRun(ctx, v);
  await checkVolumeConfigurations(envFor(ctx), td, v.volumeConfigurations);
  const launchType = strategy ? undefined : (v.launchType ?? "EC2");
  const plan = planPlacement(state(ctx), ctx.config.strict, {
    cluster,
    td,
    count,
    ec2: usesInstances(launchType, strategy),
    constraints: v.placementConstraints,
    strategy: v.placementStrategy,
    group: v.group ?? `family:${td.family}`,
    overrides: v.overrides,
  });
  const recs = plan.count
    ? await createTasks(envFor(ctx), {
        cluster,
        td,
        count: plan.count,
        ...taskOptions(v),
        launchType,
        capacityProviderStrategy: strategy,
        instances: plan.instances,
      })
    : [];
  await settleBriefly(ctx, recs);
  if (token !== undefined) {
    if (!tokens) runTokens.set(st, (tokens = new Map()));
    tokens.set(token, { arns: recs.map((r) => r.task.taskArn!), failures: cloneData(plan.failures) });
    if (tokens.size > RUN_TOKENS_KEPT) tokens.delete(tokens.keys().next().value!);
  }
  return { tasks: recs.map((r) => cloneData(r.task)), failures: plan.failures };
}

export async function StartTask(ctx: Ctx, input: unknown) {
  const v = check<RunInput>(input, { ...RUN_SPEC, containerInstances: { type: "list", required: true, minLength: 1, maxLength: 10, items: {} } });
  const st = state(ctx);
  const { cluster, td } = prepareRun(ctx, v);
  await checkVolumeConfigurations(envFor(ctx), td, v.volumeConfigurations);
  const recs: TaskRec[] = [];
  const failures: Failure[] = [];
  const reserved = reservation(td, v.overrides?.cpu, v.overrides?.memory);
  for (const ref of v.containerInstances!) {
    const inst = findInstance(st, cluster, ref);
    if (!inst || inst.ci.status === "INACTIVE") {
      failures.push({ arn: ref.startsWith("arn:") ? ref : ecsArn(st, `container-instance/${cluster.cluster.clusterName}/${ref}`), reason: "MISSING" });
      continue;
    }
    const reason = fitsOn(st, inst, td, { group: v.group ?? `family:${td.family}`, reserved });
    if (reason) {
      failures.push({ arn: inst.ci.containerInstanceArn, reason });
      continue;
    }
    recs.push(...(await createTasks(envFor(ctx), { cluster, td, count: 1, ...taskOptions(v), launchType: "EC2", instances: [inst] })));
  }
  await settleBriefly(ctx, recs);
  return { tasks: recs.map((r) => cloneData(r.task)), failures };
}

/** A task reference (ARN or id) within a cluster. */
export function findTask(st: EcsState, cluster: ClusterRec, ref: string): TaskRec | undefined {
  const id = ref.startsWith("arn:") ? ref.slice(ref.lastIndexOf("/") + 1) : ref;
  const rec = st.tasks.get(id);
  if (!rec || rec.cluster !== cluster.cluster.clusterName) return undefined;
  if (ref.startsWith("arn:") && rec.task.taskArn !== ref && !isShortArn(rec, ref)) return undefined;
  return rec;
}

/** Old-format task ARNs (task/<id>) still name the task. */
function isShortArn(rec: TaskRec, ref: string): boolean {
  return ref.endsWith(`:task/${rec.id}`);
}

function taskView(rec: TaskRec, withTags: boolean): Task {
  const { tags, ...rest } = rec.task;
  return withTags ? { ...rest, tags } : rest;
}

/**
 * A task ARN is read before the task is looked up: one that is not six colon-separated parts (two ARNs joined by a
 * newline, sil-org/ecs-deploy#312) or that names another account (aws-actions/amazon-ecs-deploy-task-definition#261)
 * is InvalidParameterException.
 */
function checkTaskArn(st: EcsState, ref: string): void {
  if (!ref.startsWith("arn:")) return;
  const parts = ref.split(":");
  if (parts.length !== 6) throw EcsErrors.invalidParameter("Invalid identifier: Unexpected number of separators");
  if (parts[4] !== st.accountId) throw EcsErrors.invalidParameter(`Identifier is for ${parts[4]}. Your accountId is ${st.accountId}`);
}

export function DescribeTasks(ctx: Ctx, input: unknown) {
  const v = check<{ cluster?: string; tasks: string[]; include?: string[] }>(input, {
    cluster: {},
    tasks: { type: "list", required: true, items: {} },
    include: { type: "list", items: { enum: ["TAGS"] } },
  });
  const st = state(ctx);
  const cluster = findCluster(st, v.cluster);
  if (v.tasks.length === 0) throw EcsErrors.invalidParameter("Tasks cannot be empty.");
  // sil-org/ecs-deploy#266, gchq/sleeper#555.
  if (v.tasks.length > 100) throw EcsErrors.invalidParameter("taskIds can have at most 100 items.");
  for (const ref of v.tasks) checkTaskArn(st, ref);
  const tasks: Task[] = [];
  const failures: Array<{ arn: string; reason: string }> = [];
  for (const ref of v.tasks) {
    const rec = findTask(st, cluster, ref);
    if (rec) tasks.push(taskView(rec, includes(v, "TAGS")));
    else failures.push({ arn: ref.startsWith("arn:") ? ref : ecsArn(st, `task/${cluster.cluster.clusterName}/${ref}`), reason: "MISSING" });
  }
  return { tasks, failures };
}

export function ListTasks(ctx: Ctx, input: unknown) {
  const v = check<{
    cluster?: string;
    containerInstance?: string;
    family?: string;
    serviceName?: string;
    startedBy?: string;
    desiredStatus?: string;
    launchType?: string;
    maxResults?: number;
    nextToken?: string;
  }>(input, {
    cluster: {},
    containerInstance: {},
    family: {},
    serviceName: {},
    startedBy: {},
    nextToken: {},
    desiredStatus: { enum: ["RUNNING", "PENDING", "STOPPED"] },
    launchType: { enum: ["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"] },
    maxResults: { type: "integer", min: 1, max: 100 },
  });
  const st = state(ctx);
  const cluster = findCluster(st, v.cluster);
  // awslabs/ecs-task-kite#6: a family filter is a family name, no revision.
  if (v.family !== undefined && !/^[a-zA-Z0-9\-_]+$/.test(v.family)) throw EcsErrors.invalidParameter("family must match ^[a-zA-Z0-9\\-_]+$");
  // "When you specify startedBy as the filter, it must be the only filter that you use" (API reference); AWS answers
  // "cannot specify startedBy with other arguments" (family, launchType: aws/aws-sdk-go-v2#1893). The desired status
  // still applies to it.
  const others = ["family", "launchType", "serviceName", "containerInstance"] as const;
  if (v.startedBy !== undefined && others.some((k) => v[k] !== undefined)) throw EcsErrors.invalidParameter("cannot specify startedBy with other arguments");
  if (v.family !== undefined && v.serviceName !== undefined) throw EcsErrors.invalidParameter("Service name and family cannot both be specified.");
  const allIds = cluster.tasks.keys();
  let ids: Iterable<string> = allIds;
  if (v.serviceName !== undefined) {
    // A service the cluster does not have is ServiceNotFoundException "Service not found." (ListTasks' documented
    // error; turbot/steampipe-plugin-aws#1415 recorded it), not an empty list.
    const name = v.serviceName.slice(v.serviceName.lastIndexOf("/") + 1);
    if (!cluster.services.has(name)) throw EcsErrors.serviceNotFound();
    ids = cluster.byService.get(name) ?? [];
  } else if (v.family !== undefined) ids = cluster.byFamily.get(v.family) ?? [];
  else if (v.startedBy !== undefined) ids = cluster.byStartedBy.get(v.startedBy) ?? [];
  else if (v.containerInstance !== undefined) {
    const inst = findInstance(state(ctx), cluster, v.containerInstance);
    ids = inst ? inst.tasks : [];
  }
  const desired = v.desiredStatus ?? "RUNNING";
  // Every index iterates in creation (seq) order, so a page is a seek to the token's seq and a bounded walk.
  let from = 0;
  if (v.nextToken !== undefined && v.nextToken !== "") {
    const t = decodeToken<{ k?: unknown }>(v.nextToken);
    from = typeof t?.k === "string" ? Number(t.k) : Number.NaN;
    if (!Number.isInteger(from)) throw EcsErrors.invalidToken();
  }
  const max = v.maxResults ?? 100;
  const out: TaskRec[] = [];
  // Unfiltered, the walk starts at the token's task (binary search in seq order) instead of skipping there.
  const walk: Iterable<TaskRec | undefined> = ids === allIds ? tasksFrom(cluster, from) : recsOf(cluster, ids);
  for (const rec of walk) {
    if (!rec || rec.seq < from) continue;
    const t = rec.task;
    // ECS never sets a task's desired status to PENDING: that filter lists nothing (the API reference says so).
    if (t.desiredStatus !== desired) continue;
    if (v.startedBy !== undefined && t.startedBy !== v.startedBy) continue;
    if (v.launchType !== undefined && t.launchType !== v.launchType) continue;
    if (v.containerInstance !== undefined && t.containerInstanceArn !== v.containerInstance && !t.containerInstanceArn?.endsWith(`/${v.containerInstance}`))
      continue;
    out.push(rec);
    if (out.length > max) break;
  }
  const next = out.length > max ? out.pop() : undefined;
  return { taskArns: out.map((r) => r.task.taskArn), nextToken: next ? encodeToken({ i: 0, k: String(next.seq).padStart(12, "0") }) : undefined };
}

/** The cluster's tasks in seq order (creation order, the order of cluster.tasks), compacted when half are gone. */
function taskOrder(c: ClusterRec): TaskRec[] {
  let o = c.order;
  if (!o || o.length > 2 * c.tasks.size + 64) {
    o = [...c.tasks.values()].sort((a, b) => a.seq - b.seq);
    c.order = o;
  }
  return o;
}

/** The cluster's live tasks from the first whose seq is ≥ `from`, in seq order. */
function* tasksFrom(c: ClusterRec, from: number): Generator<TaskRec> {
  const o = taskOrder(c);
  let lo = 0;
  let hi = o.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (o[mid]!.seq < from) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < o.length; i++) {
    const rec = o[i]!;
    if (c.tasks.get(rec.id) === rec) yield rec;
  }
}

function* recsOf(c: ClusterRec, ids: Iterable<string>): Generator<TaskRec | undefined> {
  for (const id of ids) yield c.tasks.get(id);
}

/** Record the stop request, then let the runtime stop the processes (fake mode: at once). */
export function requestStop(env: EcsEnv, rec: TaskRec, reason: string, stopCode: Task["stopCode"], now: Date): void {
  const t = rec.task;
  if (t.desiredStatus === "STOPPED" || t.lastStatus === "STOPPED") return;
  t.desiredStatus = "STOPPED";
  t.stoppedReason = reason;
  t.stopCode = stopCode;
  t.stoppingAt = now;
  t.version += 1;
  void env.sim.runner.stop(rec.id);
}

export function StopTask(ctx: Ctx, input: unknown) {
  const v = check<{ cluster?: string; task: string; reason?: string }>(input, { cluster: {}, task: { required: true }, reason: { maxLength: 255 } });
  const st = state(ctx);
  const cluster = findCluster(st, v.cluster);
  const rec = findTask(st, cluster, v.task);
  if (!rec) throw EcsErrors.taskNotFound();
  requestStop(envFor(ctx), rec, v.reason ?? "Task stopped by user", "UserInitiated", ctx.now());
  return { task: cloneData(rec.task) };
}
