/**
 * The task metadata endpoint (v4) and container credentials that execute-mode tasks reach through
 * ECS_CONTAINER_METADATA_URI_V4 and AWS_CONTAINER_CREDENTIALS_FULL_URI. Served by admin.ts.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Container } from "@aws-sdk/client-ecs";
import { secretAccessKey } from "../core/ids.js";
import { accountKeyId } from "../iam/state.js";
import type { EcsState, TaskRec } from "./state.js";

export function findTaskAnywhere(states: EcsState[], id: string): { st: EcsState; rec: TaskRec } | undefined {
  for (const st of states) {
    const rec = st.tasks.get(id);
    if (rec) return { st, rec };
  }
  return undefined;
}

function containerMeta(rec: TaskRec, c: Container) {
  return {
    DockerId: c.runtimeId ?? `${rec.id}-${c.name}`,
    Name: c.name,
    DockerName: `ecs-${rec.family}-${c.name}`,
    Image: c.image,
    ImageID: `sha256:${"0".repeat(64)}`,
    Labels: {
      "com.amazonaws.ecs.cluster": rec.task.clusterArn,
      "com.amazonaws.ecs.container-name": c.name,
      "com.amazonaws.ecs.task-arn": rec.task.taskArn,
      "com.amazonaws.ecs.task-definition-family": rec.family,
    },
    DesiredStatus: rec.task.desiredStatus,
    KnownStatus: c.lastStatus,
    Limits: { CPU: Number(c.cpu ?? 0), Memory: c.memory ? Number(c.memory) : undefined },
    CreatedAt: rec.task.createdAt?.toISOString(),
    StartedAt: rec.task.startedAt?.toISOString(),
    Type: "NORMAL",
    ContainerARN: c.containerArn,
    ExitCode: c.exitCode,
    Health: c.healthStatus && c.healthStatus !== "UNKNOWN" ? { status: c.healthStatus } : undefined,
    // An IPv6-only task's network lists IPv6Addresses alone (amazon-ecs-agent#4649).
    Networks: (c.networkInterfaces ?? []).map((n) => ({
      NetworkMode: "awsvpc",
      IPv4Addresses: n.privateIpv4Address ? [n.privateIpv4Address] : undefined,
      IPv6Addresses: n.ipv6Address ? [n.ipv6Address] : undefined,
    })),
  };
}

export function taskMetadata(rec: TaskRec) {
  const t = rec.task;
  const [family, revision] = (t.taskDefinitionArn ?? "").split("/").pop()!.split(":");
  return {
    Cluster: t.clusterArn,
    TaskARN: t.taskArn,
    Family: family,
    Revision: revision,
    DesiredStatus: t.desiredStatus,
    KnownStatus: t.lastStatus,
    Limits: { CPU: t.cpu ? Number(t.cpu) / 1024 : undefined, Memory: t.memory ? Number(t.memory) : undefined },
    PullStartedAt: t.pullStartedAt?.toISOString(),
    PullStoppedAt: t.pullStoppedAt?.toISOString(),
    AvailabilityZone: t.availabilityZone,
    LaunchType: t.launchType,
    Containers: (t.containers ?? []).map((c) => containerMeta(rec, c)),
  };
}

export function containerMetadata(rec: TaskRec, name: string) {
  const c = rec.task.containers?.find((x) => x.name === name);
  return c ? containerMeta(rec, c) : undefined;
}

/** The task role: the RunTask override, else the task definition's. */
function taskRoleOf(st: EcsState, rec: TaskRec): string | undefined {
  if (rec.task.overrides?.taskRoleArn) return rec.task.overrides.taskRoleArn;
  const m = /:task-definition\/([^:]+):(\d+)$/.exec(rec.task.taskDefinitionArn ?? "");
  return m ? st.families.get(m[1]!)?.[Number(m[2]) - 1]?.taskRoleArn : undefined;
}

/**
 * The container credentials of a task: with a task role, temporary ASIA keys of an assumed-role session named
 * after the task id (arn:aws:sts::<account>:assumed-role/<role>/<task id>, as ECS gives tasks; ECS's service
 * definition maps the keys to that principal, so --enforce-iam holds the task to the role's policies). Without
 * one, keys whose id is the account id, so SDK calls from the task land in its account.
 */
export function taskCredentials(st: EcsState, rec: TaskRec, roleId?: (roleArn: string) => string | undefined) {
  const role = taskRoleOf(st, rec);
  if (!role) {
    return {
      AccessKeyId: st.accountId,
      SecretAccessKey: "awsim",
      Token: `awsim-task-${rec.id}`,
      Expiration: new Date(Date.now() + 6 * 3600_000).toISOString(),
    };
  }
  let c = st.taskCredentials.get(rec.id);
  if (!c || c.roleArn !== role || c.expiration.getTime() - Date.now() < 15 * 60_000) {
    c = {
      accessKeyId: accountKeyId("ASIA", st.accountId),
      secretAccessKey: secretAccessKey(),
      sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(300).toString("base64")}`,
      expiration: new Date(Date.now() + 6 * 3600_000),
      roleArn: role,
    };
    const m = /^arn:([\w-]+):iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(role);
    const id = roleId?.(role) ?? `AROA${createHash("sha256").update(role).digest("hex").slice(0, 17).toUpperCase()}`;
    if (st.taskCredentials.get(rec.id)) st.sessions.delete(st.taskCredentials.get(rec.id)!.accessKeyId);
    st.sessions.set(c.accessKeyId, {
      accountId: m?.[2] ?? st.accountId,
      arn: `arn:${m?.[1] ?? "aws"}:sts::${m?.[2] ?? st.accountId}:assumed-role/${m?.[3] ?? "unknown"}/${rec.id}`,
      userId: `${id}:${rec.id}`,
      kind: "assumed-role",
      roleArn: role,
      expiration: c.expiration,
      secret: c.secretAccessKey,
      sessionToken: c.sessionToken,
    });
    st.taskCredentials.set(rec.id, c);
  }
  return { RoleArn: role, AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, Token: c.sessionToken, Expiration: c.expiration.toISOString() };
}
