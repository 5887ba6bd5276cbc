/** Task definitions: register (revisions per family, validation, Fargate cpu/memory rules), describe, list, deregister, delete. */
import type { Compatibility, ContainerDefinition, Tag, TaskDefinition, Volume } from "@aws-sdk/client-ecs";
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import { CONTAINER_DEFS_SPEC, callerArn, check, ecsArn, includes, state, TAG_SPEC, tagsOut } from "./common.js";
import { EcsErrors } from "./errors.js";
import { checkConstraints } from "./query.js";
import type { EcsState } from "./state.js";

/** Valid Fargate memory (MiB) per cpu unit count. */
const FARGATE: Record<string, number[]> = {
  "256": [512, 1024, 2048],
  "512": range(1024, 4096, 1024),
  "1024": range(2048, 8192, 1024),
  "2048": range(4096, 16384, 1024),
  "4096": range(8192, 30720, 1024),
  "8192": range(16384, 61440, 4096),
  "16384": range(32768, 122880, 8192),
};

function range(a: number, b: number, step: number): number[] {
  const out: number[] = [];
  for (let x = a; x <= b; x += step) out.push(x);
  return out;
}

/** "1 vCPU" → "1024", "2 GB" → "2048", "512" → "512". */
export function normalizeUnits(v: string | undefined, kind: "cpu" | "memory"): string | undefined {
  if (v === undefined) return undefined;
  const m = /^\s*([\d.]+)\s*(vcpu|gb|mb)?\s*$/i.exec(v);
  if (!m) return v;
  const n = Number(m[1]);
  const unit = m[2]?.toLowerCase();
  if (kind === "cpu" && unit === "vcpu") return String(Math.round(n * 1024));
  if (kind === "memory" && unit === "gb") return String(Math.round(n * 1024));
  return String(Math.round(n));
}

const FAMILY = /^[a-zA-Z0-9_-]{1,255}$/;

function validateContainers(defs: ContainerDefinition[], strict: boolean, fargate: boolean, taskMemory?: string) {
  if (!Array.isArray(defs) || defs.length === 0) throw EcsErrors.client("Container list cannot be empty.");
  const names = new Set<string>();
  for (const d of defs) {
    if (!d || typeof d !== "object") throw EcsErrors.client("Container definition is not valid.");
    if (!d.name) throw EcsErrors.client("Container.name should not be null or empty.");
    if (!/^[a-zA-Z0-9_-]{1,255}$/.test(d.name))
      throw EcsErrors.client(
        `Container name '${d.name}' is invalid. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.`,
      );
    if (!d.image) throw EcsErrors.client("Container.image should not be null or empty.");
    if (names.has(d.name)) throw EcsErrors.client("Duplicate container names are not allowed.");
    names.add(d.name);
    if (strict && !fargate && taskMemory === undefined && d.memory === undefined && d.memoryReservation === undefined) {
      throw EcsErrors.client(`Invalid setting for container '${d.name}'. At least one of 'memory' or 'memoryReservation' must be specified.`);
    }
    if (d.memory !== undefined && d.memoryReservation !== undefined && d.memoryReservation > d.memory) {
      throw EcsErrors.client(`Invalid setting for container '${d.name}'. 'memoryReservation' must be less than or equal to 'memory'.`);
    }
  }
  for (const d of defs)
    for (const dep of d.dependsOn ?? [])
      if (!names.has(dep.containerName!)) throw EcsErrors.client(`Container '${dep.containerName}' referenced in dependsOn of '${d.name}' does not exist.`);
}

/** Maximum containers in one task definition (a quota AWS does not raise). */
const MAX_CONTAINERS = 10;

/**
 * The rules AWS applies across a task definition's containers, with its messages as quoted from RegisterTaskDefinition
 * (aws/amazon-ecs-cli#184, klothoplatform/klotho#892, aws/amazon-ecs-cli#1014, aws/aws-cdk#24629, pulumi/pulumi-awsx#1220,
 * boto/boto3#2436, aws/aws-cdk#8762, aws/amazon-ecs-agent#1220).
 */
function validateAcrossContainers(defs: ContainerDefinition[], networkMode: string, cpu: string | undefined, memory: string | undefined, strict: boolean) {
  if (defs.length > MAX_CONTAINERS) throw EcsErrors.client("Too many containers.");
  const byName = new Map(defs.map((d) => [d.name!, d]));
  const hostPorts = new Set<string>();
  for (const d of defs) {
    checkLogConfiguration(d, strict);
    // labd/ecs-deplojo#26, aws-observability/aws-otel-collector#1359.
    if (networkMode === "awsvpc" && d.hostname !== undefined) throw EcsErrors.client("hostname is not supported on container when networkMode=awsvpc.");
    if (networkMode === "awsvpc" && d.links?.length) throw EcsErrors.client("Links are not supported when networkMode=awsvpc.");
    for (const p of d.portMappings ?? []) {
      if (p.containerPort === undefined && p.containerPortRange === undefined)
        throw EcsErrors.client(`Invalid 'containerPort' setting for container '${d.name}'.`);
      if (networkMode === "awsvpc" && p.hostPort !== undefined && p.hostPort !== 0 && p.containerPort !== undefined && p.hostPort !== p.containerPort)
        throw EcsErrors.client("When networkMode=awsvpc, the host ports and container ports in port mappings must match.");
      const host = p.hostPort ?? (networkMode === "awsvpc" || networkMode === "host" ? p.containerPort : undefined);
      if (!host) continue;
      const key = `${(p.protocol ?? "tcp").toUpperCase()} host port '${host}'`;
      if (hostPorts.has(key)) throw EcsErrors.client(`${key} is mapped multiple times in task.`);
      hostPorts.add(key);
    }
    for (const dep of d.dependsOn ?? []) {
      const target = byName.get(dep.containerName!);
      if ((dep.condition === "SUCCESS" || dep.condition === "COMPLETE") && (target?.essential ?? true))
        throw EcsErrors.client("A dependency container with SUCCESS or COMPLETE condition cannot be an essential container");
    }
    if (memory !== undefined && /^\d+$/.test(memory) && d.memory !== undefined && d.memory > Number(memory))
      throw EcsErrors.client(`The 'memory' setting for container '${d.name}' is greater than for the task.`);
  }
  if (cpu !== undefined && defs.reduce((sum, d) => sum + (d.cpu ?? 0), 0) > Number(cpu))
    throw EcsErrors.client("The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.");
}

/**
 * awslogs needs its group and region ("Log driver awslogs requires options: awslogs-region, awslogs-group"). The region
 * is required only under --strict, since the seed's walkthrough registers awslogs without one (logs go to the task's region).
 */
function checkLogConfiguration(d: ContainerDefinition, strict: boolean) {
  const lc = d.logConfiguration;
  if (lc?.logDriver !== "awslogs") return;
  const opts = lc.options ?? {};
  const missing = ["awslogs-region", "awslogs-group"].filter((k) => opts[k] === undefined && (k !== "awslogs-region" || strict));
  if (missing.length) throw EcsErrors.client(`Log driver awslogs requires options: ${missing.join(", ")}`);
}

function withDefaults(d: ContainerDefinition, networkMode: string): ContainerDefinition {
  return {
    ...d,
    cpu: d.cpu ?? 0,
    portMappings: (d.portMappings ?? []).map((p) => ({
      ...p,
      hostPort: p.hostPort ?? (networkMode === "awsvpc" || networkMode === "host" ? p.containerPort : undefined),
      protocol: p.protocol ?? "tcp",
    })),
    essential: d.essential ?? true,
    environment: d.environment ?? [],
    mountPoints: d.mountPoints ?? [],
    volumesFrom: d.volumesFrom ?? [],
    systemControls: d.systemControls ?? [],
    // AWS answers a health check with its defaults filled in: interval 30, timeout 5, retries 3
    // (terraform-aws-modules/terraform-aws-ecs#148 shows them read back; startPeriod stays unset).
    healthCheck: d.healthCheck
      ? { ...d.healthCheck, interval: d.healthCheck.interval ?? 30, timeout: d.healthCheck.timeout ?? 5, retries: d.healthCheck.retries ?? 3 }
      : undefined,
  };
}

/** An EFS volume without a root directory mounts the file system's root: AWS answers it as "/". */
function withVolumeDefaults(vol: Volume): Volume {
  const efs = vol.efsVolumeConfiguration;
  if (!efs || efs.rootDirectory !== undefined) return vol;
  return { ...vol, efsVolumeConfiguration: { ...efs, rootDirectory: "/" } };
}

export function RegisterTaskDefinition(ctx: Ctx, input: unknown) {
  const v = check<TaskDefinition & { tags?: Tag[] }>(input, {
    family: { required: true },
    containerDefinitions: { ...CONTAINER_DEFS_SPEC, required: true },
    taskRoleArn: {},
    executionRoleArn: {},
    volumes: { type: "list", items: { type: "structure", fields: { name: {} } } },
    placementConstraints: { type: "list", items: { type: "structure", fields: { type: {}, expression: {} } } },
    pidMode: {},
    ipcMode: {},
    networkMode: { enum: ["bridge", "host", "awsvpc", "none"] },
    requiresCompatibilities: { type: "list", items: { enum: ["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"] } },
    tags: TAG_SPEC,
    cpu: {},
    memory: {},
  });
  if (!FAMILY.test(v.family!))
    throw EcsErrors.client("Family contains invalid characters. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.");
  const requires = v.requiresCompatibilities ?? [];
  const fargate = requires.includes("FARGATE");
  const cpu = normalizeUnits(v.cpu, "cpu");
  const memory = normalizeUnits(v.memory, "memory");
  // oranmoshai/ecsServiceRestart#2: an empty task cpu is refused.
  if (cpu !== undefined && !/^\d+$/.test(cpu)) throw EcsErrors.invalidParameter("Invalid 'cpu' setting for task.");
  const networkMode = v.networkMode ?? (fargate ? "awsvpc" : "bridge");
  if (fargate) {
    if (v.networkMode !== undefined && v.networkMode !== "awsvpc") throw EcsErrors.client("Fargate only supports network mode ‘awsvpc’.");
    if (v.pidMode === "host")
      throw EcsErrors.client("Tasks using the Fargate launch type do not support pidMode 'host'. The supported value for pidMode is 'task'.");
    if (v.ipcMode !== undefined) throw EcsErrors.client("Tasks using the Fargate launch type do not support ipcMode.");
    if (cpu === undefined) throw EcsErrors.client("Fargate requires that 'cpu' be defined at the task level.");
    if (memory === undefined) throw EcsErrors.client("Fargate requires that 'memory' be defined at the task level.");
    if (!FARGATE[cpu]?.includes(Number(memory))) {
      throw EcsErrors.client(
        `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`,
      );
    }
    const awslogs = v.containerDefinitions!.some((d) => d.logConfiguration?.logDriver === "awslogs");
    if (ctx.config.strict && awslogs && !v.executionRoleArn)
      throw EcsErrors.client("Fargate requires task definition to have execution role ARN to support log driver awslogs.");
    // hashicorp/terraform-provider-aws#3051, jenkinsci/amazon-ecs-plugin#62: pulling from ECR needs the execution role
    // (under --strict, like the awslogs rule: awsim pulls nothing with it).
    const ecr = v.containerDefinitions!.some((d) => /^\d{12}\.dkr\.ecr\./.test(d.image ?? ""));
    if (ctx.config.strict && ecr && !v.executionRoleArn)
      throw EcsErrors.client("Fargate requires task definition to have execution role ARN to support ECR images.");
  }
  validateContainers(v.containerDefinitions!, ctx.config.strict, fargate, memory);
  validateAcrossContainers(v.containerDefinitions!, networkMode, cpu, memory, ctx.config.strict);
  // sil-org/ecs-deploy#166: secrets are fetched with the execution role.
  if (!v.executionRoleArn && v.containerDefinitions!.some((d) => d.secrets?.length))
    throw EcsErrors.client("When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.");
  // cloudposse/terraform-aws-ecs-alb-service-task#185: a volume is host, Docker, EFS or FSx, one of them.
  const kinds = ["host", "dockerVolumeConfiguration", "efsVolumeConfiguration", "fsxWindowsFileServerVolumeConfiguration"] as const;
  if ((v.volumes ?? []).some((vol) => kinds.filter((k) => vol[k] !== undefined).length > 1))
    throw EcsErrors.client("When the volume parameter is specified, only one volume configuration type should be used.");
  checkConstraints(v.placementConstraints);
  const st = state(ctx);
  const revisions = st.families.get(v.family!) ?? [];
  const revision = revisions.length + 1;
  // AWS lists EXTERNAL before EC2 (recorded), FARGATE after it.
  const compat: Compatibility[] = networkMode === "awsvpc" ? ["EC2"] : ["EXTERNAL", "EC2"];
  if (networkMode === "awsvpc" && cpu !== undefined && FARGATE[cpu]?.includes(Number(memory))) compat.push("FARGATE");
  // Managed Instances run tasks in the awsvpc, host and none network modes, and no task definition without one
  // (developer guide, "task networking for Amazon ECS Managed Instances"; API reference,
  // ManagedInstancesNetworkConfiguration): describe-task-definition answers recorded in 2026 list it last.
  if (networkMode !== "bridge") compat.push("MANAGED_INSTANCES");
  const td: TaskDefinition = {
    taskDefinitionArn: ecsArn(st, `task-definition/${v.family}:${revision}`),
    containerDefinitions: v.containerDefinitions!.map((d) => withDefaults(d, networkMode)),
    family: v.family,
    taskRoleArn: v.taskRoleArn,
    executionRoleArn: v.executionRoleArn,
    // Not given: absent, as AWS answers (the task runs in bridge mode); Fargate's awsvpc is filled in.
    networkMode: (v.networkMode ?? (fargate ? "awsvpc" : undefined)) as TaskDefinition["networkMode"],
    revision,
    volumes: (v.volumes ?? []).map(withVolumeDefaults),
    status: "ACTIVE",
    requiresAttributes: [],
    placementConstraints: v.placementConstraints ?? [],
    compatibilities: compat,
    runtimePlatform: v.runtimePlatform,
    requiresCompatibilities: v.requiresCompatibilities,
    cpu,
    memory,
    pidMode: v.pidMode,
    ipcMode: v.ipcMode,
    proxyConfiguration: v.proxyConfiguration,
    inferenceAccelerators: v.inferenceAccelerators,
    ephemeralStorage: v.ephemeralStorage,
    enableFaultInjection: v.enableFaultInjection,
    registeredAt: ctx.now(),
    registeredBy: callerArn(ctx, st.accountId, true),
  };
  revisions.push(td);
  st.families.set(v.family!, revisions);
  const tags = tagsOut(v.tags);
  st.taskDefTags.set(td.taskDefinitionArn!, tags);
  // Tags are named only when some were given (AWS's examples answer none).
  return { taskDefinition: td, tags: tags.length ? tags : undefined };
}

/** family | family:revision | ARN → the task definition (latest ACTIVE revision for a bare family). */
export function resolveTaskDefinition(st: EcsState, ref: string): TaskDefinition | undefined {
  let spec = ref;
  if (ref.startsWith("arn:")) {
    const m = /^arn:aws[\w-]*:ecs:([^:]+):(\d{12}):task-definition\/(.+)$/.exec(ref);
    if (!m || m[1] !== st.region || m[2] !== st.accountId) return undefined;
    spec = m[3]!;
  }
  const colon = spec.lastIndexOf(":");
  if (colon > 0) {
    const revs = st.families.get(spec.slice(0, colon));
    const n = Number(spec.slice(colon + 1));
    if (!Number.isInteger(n)) return undefined;
    const td = revs?.[n - 1];
    return td && td.status !== "DELETE_IN_PROGRESS" ? td : undefined;
  }
  const revs = st.families.get(spec) ?? [];
  for (let i = revs.length - 1; i >= 0; i--) if (revs[i]!.status === "ACTIVE") return revs[i];
  return undefined;
}

export function DescribeTaskDefinition(ctx: Ctx, input: unknown) {
  const v = check<{ taskDefinition: string; include?: string[] }>(input, {
    taskDefinition: { required: true },
    include: { type: "list", items: { enum: ["TAGS"] } },
  });
  const st = state(ctx);
  const td = resolveTaskDefinition(st, v.taskDefinition);
  if (!td) throw EcsErrors.unableToDescribeTaskDefinition();
  // Without include TAGS, AWS answers an empty tag list (recorded).
  return { taskDefinition: td, tags: includes(v, "TAGS") ? (st.taskDefTags.get(td.taskDefinitionArn!) ?? []) : [] };
}

export function DeregisterTaskDefinition(ctx: Ctx, input: unknown) {
  const v = check<{ taskDefinition: string }>(input, { taskDefinition: { required: true } });
  const st = state(ctx);
  if (!v.taskDefinition.includes(":")) throw EcsErrors.client("Revision is missing.");
  const td = resolveTaskDefinition(st, v.taskDefinition);
  // Not DescribeTaskDefinition's "Unable to describe task definition.": the tools that deregister against AWS match this
  // text to ignore a revision already gone (cloud-custodian's ecs-task-definition delete, grucloud's destroy).
  if (!td) throw EcsErrors.client("The specified task definition does not exist.");
  if (td.status === "ACTIVE") {
    td.status = "INACTIVE";
    td.deregisteredAt = ctx.now();
  }
  return { taskDefinition: td };
}

export function DeleteTaskDefinitions(ctx: Ctx, input: unknown) {
  const v = check<{ taskDefinitions: string[] }>(input, { taskDefinitions: { type: "list", required: true, minLength: 1, maxLength: 10, items: {} } });
  const st = state(ctx);
  const taskDefinitions: TaskDefinition[] = [];
  const failures: Array<{ arn: string; reason: string }> = [];
  for (const ref of v.taskDefinitions) {
    const td = ref.includes(":") ? resolveTaskDefinition(st, ref) : undefined;
    if (!td) failures.push({ arn: ref, reason: "The specified task definition does not exist. Specify a valid account, family, revision and try again." });
    else if (td.status === "ACTIVE")
      failures.push({
        arn: td.taskDefinitionArn!,
        reason: "The specified task definition is still in ACTIVE status. Please deregister the target and try again.",
      });
    else {
      td.status = "DELETE_IN_PROGRESS";
      td.deleteRequestedAt ??= ctx.now();
      taskDefinitions.push(td);
    }
  }
  return { taskDefinitions, failures };
}

export function ListTaskDefinitions(ctx: Ctx, input: unknown) {
  const v = check<{ familyPrefix?: string; status?: string; sort?: string; maxResults?: number; nextToken?: string }>(input, {
    familyPrefix: {},
    nextToken: {},
    status: { enum: ["ACTIVE", "INACTIVE", "DELETE_IN_PROGRESS"] },
    sort: { enum: ["ASC", "DESC"] },
    maxResults: { type: "integer", min: 1, max: 100 },
  });
  const st = state(ctx);
  const status = v.status ?? "ACTIVE";
  const families = v.familyPrefix !== undefined ? [v.familyPrefix] : [...st.families.keys()].sort();
  let arns: string[] = [];
  for (const f of families) for (const td of st.families.get(f) ?? []) if (td.status === status) arns.push(td.taskDefinitionArn!);
  if (v.sort === "DESC") arns = arns.reverse();
  const page = paginate(arns, { maxResults: v.maxResults, nextToken: v.nextToken, defaultMax: 100, key: (a) => a, invalidToken: EcsErrors.invalidToken });
  return { taskDefinitionArns: page.items, nextToken: page.nextToken };
}

export function ListTaskDefinitionFamilies(ctx: Ctx, input: unknown) {
  const v = check<{ familyPrefix?: string; status?: string; maxResults?: number; nextToken?: string }>(input, {
    familyPrefix: {},
    nextToken: {},
    status: { enum: ["ACTIVE", "INACTIVE", "ALL"] },
    maxResults: { type: "integer", min: 1, max: 100 },
  });
  const st = state(ctx);
  // "By default, both ACTIVE and INACTIVE task definition families are listed."
  const status = v.status ?? "ALL";
  const families = [...st.families.entries()]
    .filter(([f]) => v.familyPrefix === undefined || f.startsWith(v.familyPrefix))
    .filter(([, revs]) => {
      const active = revs.some((r) => r.status === "ACTIVE");
      return status === "ALL" || (status === "ACTIVE" ? active : !active);
    })
    .map(([f]) => f)
    .sort();
  const page = paginate(families, { maxResults: v.maxResults, nextToken: v.nextToken, defaultMax: 100, key: (a) => a, invalidToken: EcsErrors.invalidToken });
  return { families: page.items, nextToken: page.nextToken };
}
