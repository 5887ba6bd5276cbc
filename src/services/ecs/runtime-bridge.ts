/**
 * Where ECS meets the runtime: TaskSpec from a task definition + overrides (with the environment ECS
 * injects), and the RunEvent listener that moves a task through its lifecycle
 * PROVISIONING → PENDING → RUNNING → DEPROVISIONING → STOPPED. The same code serves fake and execute mode.
 */
import type { Container, ContainerDefinition, ContainerOverride, TaskDefinition } from "@aws-sdk/client-ecs";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SimHandle } from "../core/types.js";
import { type BindMount, privateMountsSupported, withBindMounts } from "../../runtime/mount-namespace.js";
import type { ContainerSpec, RunEvent, RunListener, TaskSpec } from "../../runtime/types.js";
import { EfsMountError, resolveEfsMount } from "../efs/mounts.js";
import { appendEvents } from "../logs/api.js";
import type { LogsState } from "../logs/state.js";
import { releaseTaskEnis } from "./task-enis.js";
import { releaseTaskVolumes } from "./task-volumes.js";
import { MAX_STOPPED_TASKS, MAX_TASK_OUTPUT_LINES, STOPPED_RETENTION_MS, type EcsState, type TaskRec } from "./state.js";

/** What outlives a request: the server and this account+region's ECS state. */
export interface EcsEnv {
  sim: SimHandle;
  st: EcsState;
  /** Called when a task first reaches RUNNING (service registries). */
  onTaskRunning(rec: TaskRec): void;
  /** Called when a task of a service stops (the scheduler replaces it). */
  onTaskStopped(rec: TaskRec): void;
}

export function containerSpecs(env: EcsEnv, rec: TaskRec, td: TaskDefinition, overrides: ContainerOverride[], mounts?: Map<string, BindMount[]>): TaskSpec {
  const st = env.st;
  const url = env.sim.url();
  const containers: ContainerSpec[] = (td.containerDefinitions ?? []).map((d: ContainerDefinition) => {
    const o = overrides.find((x) => x.name === d.name) ?? {};
    const command = o.command ?? d.command ?? [];
    const own = mounts?.get(d.name!);
    const argv = own?.length ? withBindMounts([...(d.entryPoint ?? []), ...command], own) : [...(d.entryPoint ?? []), ...command];
    const env: Record<string, string> = {};
    for (const kv of d.environment ?? []) if (kv.name) env[kv.name] = kv.value ?? "";
    for (const kv of o.environment ?? []) if (kv.name) env[kv.name] = kv.value ?? "";
    const meta = `${url}/_awsim/ecs/metadata/${rec.id}/${encodeURIComponent(d.name!)}`;
    Object.assign(env, {
      AWS_REGION: st.region,
      AWS_DEFAULT_REGION: st.region,
      AWS_EXECUTION_ENV: rec.task.launchType === "FARGATE" ? "AWS_ECS_FARGATE" : "AWS_ECS_EC2",
      ECS_CONTAINER_METADATA_URI_V4: meta,
      ECS_CONTAINER_METADATA_URI: meta,
      AWS_ENDPOINT_URL: url,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${url}/_awsim/ecs/credentials/${rec.id}`,
      ECS_AGENT_URI: `${url}/_awsim/ecs/agent/${rec.id}`,
    });
    const hc = d.healthCheck;
    return {
      name: d.name!,
      argv,
      env,
      cwd: d.workingDirectory,
      essential: d.essential !== false,
      stopTimeoutSec: d.stopTimeout ?? 30,
      dependsOn: d.dependsOn?.map((x) => ({ containerName: x.containerName!, condition: x.condition! })),
      healthCheck: hc?.command?.length
        ? { command: hc.command, intervalSec: hc.interval ?? 30, timeoutSec: hc.timeout ?? 5, retries: hc.retries ?? 3, startPeriodSec: hc.startPeriod ?? 0 }
        : undefined,
    };
  });
  return { id: rec.id, containers };
}

/** A task that cannot start (its volumes cannot be mounted): what ECS reports as the stoppedReason. */
export class TaskStartFailure extends Error {}

/**
 * Execute mode: the directories each container mounts (mountPoints → volumes). EFS volumes resolve to the file
 * system's directory (rootDirectory or access point) through resolveEfsMount, so every task and function that
 * mounts the same file system shares its files; host volumes bind their sourcePath; a volume without a source
 * path (or a task-scoped Docker volume) is a fresh directory the task's containers share, removed when the task
 * stops. Mounts need a private mount namespace (root on Linux): without one an EFS volume fails the task, other
 * volumes are left unmounted.
 */
export async function taskMounts(env: EcsEnv, td: TaskDefinition, taskId: string): Promise<{ mounts: Map<string, BindMount[]>; scratch: string[] }> {
  const out = new Map<string, BindMount[]>();
  const scratch: string[] = [];
  try {
    await resolveMounts(env, td, taskId, out, scratch);
  } catch (e) {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { mounts: out, scratch };
}

async function resolveMounts(env: EcsEnv, td: TaskDefinition, taskId: string, out: Map<string, BindMount[]>, scratch: string[]): Promise<void> {
  const hostOf = new Map<string, string | undefined>();
  const efsFailure = (m: string) => new TaskStartFailure(`ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: ${m}`);
  for (const d of td.containerDefinitions ?? []) {
    for (const mp of d.mountPoints ?? []) {
      const vol = td.volumes?.find((v) => v.name === mp.sourceVolume);
      if (!vol?.name || !mp.containerPath) continue;
      if (!hostOf.has(vol.name)) {
        let host: string | undefined;
        const efs = vol.efsVolumeConfiguration;
        if (efs) {
          if (!privateMountsSupported()) throw efsFailure("awsim mounts EFS volumes in a private mount namespace, which needs root on Linux");
          try {
            const m = await resolveEfsMount(env.sim, env.st.accountId, env.st.region, {
              fileSystemId: efs.fileSystemId,
              rootDirectory: efs.rootDirectory,
              accessPoint: efs.authorizationConfig?.accessPointId,
            });
            host = m.hostPath;
          } catch (e) {
            if (e instanceof EfsMountError) throw efsFailure(e.message);
            throw e;
          }
        } else if (vol.host?.sourcePath) {
          if (privateMountsSupported()) host = vol.host.sourcePath;
        } else if (privateMountsSupported() && (vol.dockerVolumeConfiguration?.scope ?? "task") === "task") {
          // A bind mount without a source path (or a task-scoped Docker volume): storage the task's containers share, gone with the task.
          host = mkdtempSync(join(tmpdir(), `awsim-ecs-${taskId}-`));
          chmodSync(host, 0o777);
          scratch.push(host);
        }
        hostOf.set(vol.name, host);
      }
      const host = hostOf.get(vol.name);
      if (host === undefined) continue;
      const list = out.get(d.name!) ?? [];
      list.push({ hostPath: host, path: mp.containerPath, readOnly: mp.readOnly });
      out.set(d.name!, list);
    }
  }
}

/** A listener that also removes the task's scratch volumes once it has stopped. */
export function withScratchCleanup(listener: RunListener, scratch: string[]): RunListener {
  if (!scratch.length) return listener;
  return (e) => {
    listener(e);
    if (e.type === "task-stopped") for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  };
}

/** Report a task that never started: each container stopped with the reason, then the task (TaskFailedToStart). */
export function failToStart(rec: TaskRec, listener: RunListener, reason: string): void {
  const at = new Date();
  for (const c of rec.task.containers ?? []) listener({ type: "container-exited", taskId: rec.id, container: c.name!, reason, at });
  listener({ type: "task-stopped", taskId: rec.id, at });
}

function bump(rec: TaskRec) {
  rec.task.version += 1;
}

/** awslogs routing for a container, resolved once per task: (line, at) → written to CloudWatch Logs. */
export async function logSinks(env: EcsEnv, rec: TaskRec, td: TaskDefinition): Promise<Map<string, (line: string, at: Date) => void>> {
  const sinks = new Map<string, (line: string, at: Date) => void>();
  for (const d of td.containerDefinitions ?? []) {
    const lc = d.logConfiguration;
    if (lc?.logDriver !== "awslogs" || !lc.options?.["awslogs-group"]) continue;
    const region = lc.options["awslogs-region"] ?? env.st.region;
    const logs = await env.sim.stateOf<LogsState>("logs", env.st.accountId, region);
    const prefix = lc.options["awslogs-stream-prefix"];
    const group = lc.options["awslogs-group"];
    const stream = prefix ? `${prefix}/${d.name}/${rec.id}` : `${d.name}/${rec.id}`;
    const create = lc.options["awslogs-create-group"] === "true" || !env.sim.config.strict;
    // The awslogs driver creates the container's stream as the container starts, before any output (a task that
    // prints nothing still has its empty stream: Airflow's EcsRunTaskOperator reads its last line from it).
    try {
      appendEvents(logs, { group, stream, events: [], createGroup: create });
    } catch {
      /* group missing under --strict, as below */
    }
    sinks.set(d.name!, (line, at) => {
      try {
        appendEvents(logs, { group, stream, events: [{ timestamp: at.getTime(), message: line }], createGroup: create });
      } catch {
        /* group missing under --strict: the line is dropped, as the awslogs driver would */
      }
    });
  }
  return sinks;
}

export function makeListener(env: EcsEnv, rec: TaskRec, sinks: Map<string, (line: string, at: Date) => void>) {
  return (e: RunEvent) => onRunEvent(env, rec, sinks, e);
}

function container(rec: TaskRec, name: string): Container | undefined {
  return rec.task.containers?.find((c) => c.name === name);
}

export function onRunEvent(env: EcsEnv, rec: TaskRec, sinks: Map<string, (line: string, at: Date) => void>, e: RunEvent): void {
  const t = rec.task;
  switch (e.type) {
    case "container-started": {
      const c = container(rec, e.container);
      if (c) {
        c.lastStatus = "RUNNING";
        c.runtimeId = `${rec.id}-${e.pid ?? 0}`;
        // With ECS Exec on, each container reports its managed agent (DescribeTasks answers quoted in ECS Exec guides:
        // lastStartedAt, name ExecuteCommandAgent, lastStatus RUNNING).
        if (t.enableExecuteCommand) c.managedAgents = [{ lastStartedAt: e.at, name: "ExecuteCommandAgent", lastStatus: "RUNNING" }];
      }
      if (t.lastStatus === "PROVISIONING") {
        t.lastStatus = "PENDING";
        t.pullStartedAt = e.at;
        t.pullStoppedAt = e.at;
      }
      const essentialsUp = (t.containers ?? []).every((x) => x.lastStatus !== "PENDING" || !isEssential(rec, x.name!));
      if (essentialsUp && t.lastStatus === "PENDING" && t.desiredStatus === "RUNNING") {
        t.lastStatus = "RUNNING";
        t.startedAt = e.at;
        t.connectivity = "CONNECTED";
        t.connectivityAt = e.at;
        rec.settle();
        env.onTaskRunning(rec);
      }
      bump(rec);
      return;
    }
    case "output": {
      const sink = sinks.get(e.container);
      if (sink) sink(e.line, e.at);
      else {
        rec.output.push(`${e.container} ${e.stream}: ${e.line}`);
        if (rec.output.length > MAX_TASK_OUTPUT_LINES) rec.output.splice(0, rec.output.length - MAX_TASK_OUTPUT_LINES);
      }
      return;
    }
    case "container-health": {
      const c = container(rec, e.container);
      if (c) c.healthStatus = e.status;
      const checked = (t.containers ?? []).filter((x) => isEssential(rec, x.name!) && x.healthStatus && x.healthStatus !== "UNKNOWN");
      t.healthStatus = checked.some((x) => x.healthStatus === "UNHEALTHY") ? "UNHEALTHY" : checked.length ? "HEALTHY" : "UNKNOWN";
      bump(rec);
      return;
    }
    case "container-exited": {
      const c = container(rec, e.container);
      if (c) {
        c.lastStatus = "STOPPED";
        if (e.exitCode !== undefined) c.exitCode = e.exitCode;
        if (e.reason) c.reason = e.reason;
      }
      if (t.desiredStatus === "RUNNING" && isEssential(rec, e.container)) {
        const failedToStart = e.exitCode === undefined && /^(CannotStartContainerError|ResourceInitializationError)/.test(e.reason ?? "");
        t.desiredStatus = "STOPPED";
        t.stopCode = failedToStart ? "TaskFailedToStart" : "EssentialContainerExited";
        t.stoppedReason = failedToStart ? e.reason : "Essential container in task exited";
        t.stoppingAt = e.at;
        t.lastStatus = t.lastStatus === "RUNNING" ? "DEPROVISIONING" : t.lastStatus;
        void env.sim.runner.stop(rec.id);
      }
      bump(rec);
      return;
    }
    case "task-stopped": {
      if (t.lastStatus === "STOPPED") return;
      for (const c of t.containers ?? []) c.lastStatus = "STOPPED";
      if (t.desiredStatus !== "STOPPED") {
        t.desiredStatus = "STOPPED";
        t.stopCode ??= "EssentialContainerExited";
        t.stoppedReason ??= "Essential container in task exited";
        t.stoppingAt ??= e.at;
      }
      t.lastStatus = "STOPPED";
      t.stoppedAt = e.at;
      t.executionStoppedAt = e.at;
      t.pullStartedAt ??= undefined;
      for (const a of t.attachments ?? []) a.status = "DELETED";
      // Runs after requests end too: a failure here must never become an unhandled rejection.
      releaseTaskEnis(env, t).catch(() => {});
      releaseTaskVolumes(env, t).catch(() => {});
      bump(rec);
      rec.stoppedAtMs = e.at.getTime();
      env.st.stopped.push(rec);
      rec.settle();
      pruneStopped(env.st, e.at.getTime());
      env.onTaskStopped(rec);
      return;
    }
  }
}

function isEssential(rec: TaskRec, name: string): boolean {
  return rec.essential.get(name) !== false;
}

/** Keep STOPPED tasks describable for an hour, bounded in number. */
export function pruneStopped(st: EcsState, now: number): void {
  let drop = 0;
  while (drop < st.stopped.length && (now - st.stopped[drop]!.stoppedAtMs! > STOPPED_RETENTION_MS || st.stopped.length - drop > MAX_STOPPED_TASKS)) drop++;
  if (drop === 0) return;
  for (const rec of st.stopped.splice(0, drop)) forgetTask(st, rec);
}

export function forgetTask(st: EcsState, rec: TaskRec): void {
  st.tasks.delete(rec.id);
  const c = st.clusters.get(rec.cluster);
  if (!c) return;
  c.tasks.delete(rec.id);
  c.byFamily.get(rec.family)?.delete(rec.id);
  if (rec.task.startedBy) c.byStartedBy.get(rec.task.startedBy)?.delete(rec.id);
  if (rec.service) c.byService.get(rec.service)?.delete(rec.id);
  if (rec.instance) c.instances.get(rec.instance)?.tasks.delete(rec.id);
}
