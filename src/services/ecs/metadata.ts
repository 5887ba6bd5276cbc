/**
 * The task metadata endpoint (v4) and container credentials that execute-mode tasks reach through
 * ECS_CONTAINER_METADATA_URI_V4 and AWS_CONTAINER_CREDENTIALS_FULL_URI. Served by admin.ts.
 */
import type { Container } from "@aws-sdk/client-ecs";
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
    Networks: (c.networkInterfaces ?? []).map((n) => ({ NetworkMode: "awsvpc", IPv4Addresses: [n.privateIpv4Address] })),
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

/** Credentials whose access key id is the account id, so SDK calls from the task land in its account. */
export function taskCredentials(st: EcsState, rec: TaskRec) {
  return {
    AccessKeyId: st.accountId,
    SecretAccessKey: "awsim",
    Token: `awsim-task-${rec.id}`,
    Expiration: new Date(Date.now() + 6 * 3600_000).toISOString(),
    RoleArn: `arn:aws:iam::${st.accountId}:role/ecsTaskRole`,
  };
}
