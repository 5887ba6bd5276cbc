/**
 * Task scale-in protection (protected service tasks are skipped by scale-in), ExecuteCommand (answers as
 * AWS does without a Session Manager agent) and ListServicesByNamespace (Service Connect namespaces).
 */
import type { Failure, ProtectedTask } from "@aws-sdk/client-ecs";
import { AwsError } from "../../protocols/aws-error.js";
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import { check, ecsArn, findCluster, nameOf, state } from "./common.js";
import { EcsErrors } from "./errors.js";
import { namespaceNames } from "./service-connect.js";
import type { ClusterRec, EcsState, TaskRec } from "./state.js";
import { findTask } from "./tasks.js";

function protection(rec: TaskRec, nowMs: number): ProtectedTask {
  const on = rec.protectedUntilMs !== undefined && rec.protectedUntilMs > nowMs;
  return { taskArn: rec.task.taskArn, protectionEnabled: on, expirationDate: on ? new Date(rec.protectedUntilMs!) : undefined };
}

function lookup(st: EcsState, c: ClusterRec, refs: string[]): { found: TaskRec[]; failures: Failure[] } {
  const found: TaskRec[] = [];
  const failures: Failure[] = [];
  for (const ref of refs) {
    const rec = findTask(st, c, ref);
    const arn = ref.startsWith("arn:") ? ref : ecsArn(st, `task/${c.cluster.clusterName}/${ref}`);
    if (!rec) failures.push({ arn, reason: "MISSING" });
    else if (!rec.service) failures.push({ arn: rec.task.taskArn, reason: "TASK_NOT_VALID", detail: "The task is not part of an Amazon ECS service." });
    else found.push(rec);
  }
  return { found, failures };
}

export function UpdateTaskProtection(ctx: Ctx, input: unknown) {
  const v = check<{ cluster: string; tasks: string[]; protectionEnabled: boolean; expiresInMinutes?: number }>(input, {
    cluster: { required: true },
    tasks: { type: "list", required: true, items: {} },
    protectionEnabled: { type: "boolean", required: true },
    expiresInMinutes: { type: "integer" },
  });
  if (v.tasks.length > 10) throw EcsErrors.invalidParameter("Tasks cannot have more than 10 elements.");
  if (v.expiresInMinutes !== undefined && (v.expiresInMinutes < 1 || v.expiresInMinutes > 2880)) {
    throw EcsErrors.invalidParameter("expiresInMinutes must be between 1 and 2880.");
  }
  const st = state(ctx);
  const c = findCluster(st, v.cluster);
  const nowMs = ctx.now().getTime();
  const { found, failures } = lookup(st, c, v.tasks);
  for (const rec of found) {
    if (v.protectionEnabled && rec.task.lastStatus !== "STOPPED") rec.protectedUntilMs = nowMs + (v.expiresInMinutes ?? 120) * 60_000;
    else rec.protectedUntilMs = undefined;
  }
  return { protectedTasks: found.map((r) => protection(r, nowMs)), failures };
}

export function GetTaskProtection(ctx: Ctx, input: unknown) {
  const v = check<{ cluster: string; tasks?: string[] }>(input, { cluster: { required: true }, tasks: { type: "list", items: {} } });
  const st = state(ctx);
  const c = findCluster(st, v.cluster);
  const nowMs = ctx.now().getTime();
  const { found, failures } = lookup(st, c, v.tasks ?? []);
  return { protectedTasks: found.map((r) => protection(r, nowMs)), failures };
}

export function ExecuteCommand(ctx: Ctx, input: unknown) {
  const v = check<{ cluster?: string; container?: string; command: string; interactive: boolean; task: string }>(input, {
    cluster: {},
    container: {},
    command: { required: true },
    interactive: { type: "boolean", required: true },
    task: { required: true },
  });
  const st = state(ctx);
  const c = findCluster(st, v.cluster);
  // A bare task id is 32 (or, for older tasks, 36) characters: AWS refuses another length (Mic-U/ecsher#56).
  if (!v.task.startsWith("arn:") && v.task.length !== 32 && v.task.length !== 36) throw EcsErrors.invalidParameter("task length should be one of [32,36]");
  const rec = findTask(st, c, v.task);
  if (!rec) throw EcsErrors.taskNotFound();
  if (!v.interactive) throw EcsErrors.invalidParameter("Interactive is the only mode supported currently.");
  const containers = rec.task.containers ?? [];
  if (v.container === undefined && containers.length > 1) {
    throw EcsErrors.invalidParameter("The container name must be specified when the task has more than one container.");
  }
  if (v.container !== undefined && !containers.some((x) => x.name === v.container)) {
    throw EcsErrors.invalidParameter(`The container ${v.container} does not exist in the task.`);
  }
  if (!rec.task.enableExecuteCommand || rec.task.lastStatus !== "RUNNING") {
    throw EcsErrors.invalidParameter(
      "The execute command failed because execute command was not enabled when the task was run or the execute command agent isn’t running. Wait and try again or run a new task with execute command enabled and try again.",
    );
  }
  // awsim runs no Session Manager agent in the task, so the session cannot be opened.
  throw new AwsError("TargetNotConnectedException", "The execute command failed due to an internal error. Try again later.", 400);
}

export async function ListServicesByNamespace(ctx: Ctx, input: unknown) {
  const v = check<{ namespace: string; maxResults?: number; nextToken?: string }>(input, {
    namespace: { required: true },
    maxResults: { type: "integer", min: 1, max: 100 },
    nextToken: {},
  });
  const st = state(ctx);
  // The namespace by name, id or ARN, whichever way a service or its cluster's default names it.
  const names = await namespaceNames(ctx, v.namespace);
  names.add(nameOf(v.namespace));
  const same = (ns: string | undefined) => ns !== undefined && (names.has(ns) || names.has(nameOf(ns)));
  const arns: string[] = [];
  for (const c of st.clusters.values()) {
    if (c.cluster.status !== "ACTIVE") continue;
    for (const s of c.services.values()) {
      if (s.service.status !== "ACTIVE") continue;
      const sc = s.service.deployments.find((d) => d.status === "PRIMARY")?.serviceConnectConfiguration;
      if (sc?.enabled && same(sc.namespace ?? c.cluster.serviceConnectDefaults?.namespace)) arns.push(s.service.serviceArn);
    }
  }
  arns.sort();
  const page = paginate(arns, { maxResults: v.maxResults, nextToken: v.nextToken, defaultMax: 10, key: (a) => a, invalidToken: EcsErrors.invalidToken });
  return { serviceArns: page.items, nextToken: page.nextToken };
}
