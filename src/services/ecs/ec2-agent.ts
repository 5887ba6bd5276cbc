/**
 * The ECS container agent of EC2 instances: an instance launched with user data that sets ECS_CLUSTER (the
 * `echo ECS_CLUSTER=name >> /etc/ecs/ecs.config` of AWS's getting-started guides) registers as a container
 * instance of that cluster once it is running, with its instance type's CPU (1,024 units a vCPU) and memory,
 * AZ, AMI and architecture, as the agent does at boot. An instance of one of AWS's ECS-optimized AMIs without
 * ECS_CLUSTER checks into the default cluster, which its agent creates when the account has none. Registration
 * happens when ECS is next asked about container instances, clusters or placement; an instance is registered once
 * (a deregistered one stays deregistered), and only into an existing ACTIVE cluster or the default one. Such an
 * instance's agent disconnects while the EC2 instance is stopped, and ECS deregisters it when the EC2 instance
 * is terminated, as AWS does. The tasks on an instance that stops or terminates stop with AWS's reason
 * "Host EC2 (instance i-...) stopped." / "... terminated." (stop code TerminationNotice for a terminated host, as
 * recorded; Airflow's EcsRunTaskOperator fails a task on exactly these reasons).
 */
import type { Ctx } from "../core/types.js";
// instances.js before misc.js: the EC2 modules' import cycle initializes in this order.
import { stateOf } from "../ec2/instances.js";
import { INSTANCE_TYPES } from "../ec2/misc.js";
import type { Ec2State, ImageRec } from "../ec2/state.js";
import { CreateCluster } from "./clusters.js";
import { state } from "./common.js";
import { DeregisterContainerInstance, RegisterContainerInstance } from "./container-instances.js";
import { envFor } from "./env.js";
import type { InstanceRec } from "./state.js";
import { requestStop } from "./tasks.js";

/** ECS_CLUSTER=name as user data writes it into /etc/ecs/ecs.config (echo, heredoc, export), quoted or not. */
const ECS_CLUSTER_RE = /\bECS_CLUSTER\s*=\s*["']?([A-Za-z0-9_-]{1,255})/;

/** The cluster an instance's user data configures the agent for (base64 as EC2 stores it, or plain text). */
export function agentCluster(userData: string | undefined): string | undefined {
  if (!userData) return undefined;
  const text = /^[A-Za-z0-9+/=\s]+$/.test(userData) ? Buffer.from(userData, "base64").toString("utf8") : userData;
  return (ECS_CLUSTER_RE.exec(text) ?? ECS_CLUSTER_RE.exec(userData))?.[1];
}

/** The account that owns AWS's ECS-optimized AMIs (Amazon Linux 2 and 2023, models/ec2-public-images.jsonl.gz). */
const ECS_AMI_OWNER = "591542846629";

/**
 * The cluster an instance's agent checks into: its user data's ECS_CLUSTER, else "default" for an instance of an
 * ECS-optimized AMI (the agent's default; other AMIs run no agent). Kept per EC2 instance while its user data is the
 * same (every ECS request looks at every instance). The image is read untracked, as the instances are.
 */
const parsed = new WeakMap<object, { userData: string | undefined; cluster: string | undefined }>();
function clusterOf(ec2: Ec2State, i: { userData?: string; imageId: string }): string | undefined {
  const hit = parsed.get(i);
  if (hit && hit.userData === i.userData) return hit.cluster;
  const image = Map.prototype.get.call(ec2.images, i.imageId) as ImageRec | undefined;
  const cluster = agentCluster(i.userData) ?? (image?.ownerId === ECS_AMI_OWNER ? "default" : undefined);
  parsed.set(i, { userData: i.userData, cluster });
  return cluster;
}

/**
 * EC2's instances read without telling --persist's journal: looking is not changing, and an iteration it saw would
 * make the next commit rewrite every instance record (hundreds of KB per ECS request with a few hundred instances).
 */
const instancesOf = (ec2: Ec2State) => Map.prototype.values.call(ec2.instances) as MapIterator<Ec2State["instances"] extends Map<string, infer V> ? V : never>;
const instanceById = (ec2: Ec2State, id: string) => Map.prototype.get.call(ec2.instances, id) as ReturnType<Ec2State["instances"]["get"]>;

type ClusterOf<S extends { clusters: Map<string, unknown> }> = S["clusters"] extends Map<string, infer V> ? V : never;

/**
 * Follow the EC2 state of the instances the agent registered: disconnected while stopped, their tasks stopped when
 * the host goes down, deregistered when terminated. Cheap when no cluster has such instances (DescribeTasks and
 * ListTasks run it, so Airflow's waiters see a host's tasks stop).
 */
export async function followAgentHosts(ctx: Ctx): Promise<void> {
  const st = state(ctx);
  // Clusters are read untracked too; a cluster whose agent state changes is fetched with get(), which tells the journal.
  const clusters = () => Map.prototype.values.call(st.clusters) as MapIterator<ClusterOf<typeof st>>;
  let any = false;
  for (const c of clusters()) for (const inst of c.instances.values()) any ||= inst.agent === true && inst.ci.status !== "INACTIVE";
  if (!any) return;
  const ec2 = await ctx.stateOf<Ec2State>("ec2");
  for (const c of clusters()) {
    if (c.cluster.status !== "ACTIVE") continue;
    for (const inst of c.instances.values()) {
      const i = inst.agent && inst.ci.status !== "INACTIVE" ? instanceById(ec2, inst.ci.ec2InstanceId ?? "") : undefined;
      if (!i) continue;
      const now = stateOf(i, ctx.config.transitionDelayMs);
      const gone = now === "terminated" || now === "shutting-down";
      if (gone || now === "stopping" || now === "stopped") stopHostTasks(ctx, inst, i.id, gone);
      if (gone) DeregisterContainerInstance(ctx, { cluster: c.cluster.clusterName, containerInstance: inst.id, force: true });
      else if (inst.ci.agentConnected !== (now === "running")) {
        st.clusters.get(c.cluster.clusterName);
        inst.ci.agentConnected = now === "running";
      }
    }
  }
}

/** Register the running EC2 instances whose agent is configured for an ACTIVE cluster and not registered yet. */
export async function adoptAgentInstances(ctx: Ctx): Promise<void> {
  await followAgentHosts(ctx);
  const st = state(ctx);
  const ec2 = await ctx.stateOf<Ec2State>("ec2");
  const clusters = () => Map.prototype.values.call(st.clusters) as MapIterator<ClusterOf<typeof st>>;
  let known: Set<string> | undefined;
  for (const i of instancesOf(ec2)) {
    const cluster = clusterOf(ec2, i);
    if (!cluster) continue;
    // The agent checks into an existing cluster, except the default one, which it creates when the account has none:
    // "your account receives a default cluster when you launch your first container instance" (CreateCluster).
    const active = (Map.prototype.get.call(st.clusters, cluster) as ClusterOf<typeof st> | undefined)?.cluster.status === "ACTIVE";
    if (!active && cluster !== "default") continue;
    if (stateOf(i, ctx.config.transitionDelayMs) !== "running") continue;
    known ??= new Set([...clusters()].flatMap((c) => [...c.instances.values()].map((x) => x.ci.ec2InstanceId ?? "")));
    if (known.has(i.id)) continue;
    known.add(i.id);
    if (!active) await CreateCluster(ctx, { clusterName: cluster });
    const type = INSTANCE_TYPES.find((t) => t.name === i.instanceType);
    const doc = {
      instanceId: i.id,
      availabilityZone: i.az,
      instanceType: i.instanceType,
      imageId: i.imageId,
      architecture: i.architecture,
      privateIp: i.privateIp,
      region: ctx.region,
      accountId: ctx.accountId,
    };
    const { containerInstance } = RegisterContainerInstance(ctx, {
      cluster,
      instanceIdentityDocument: JSON.stringify(doc),
      totalResources: type
        ? [
            { name: "CPU", type: "INTEGER", integerValue: type.vcpu * 1024 },
            { name: "MEMORY", type: "INTEGER", integerValue: type.mem },
          ]
        : undefined,
    });
    const rec = st.clusters.get(cluster)?.instances.get(containerInstance.containerInstanceArn?.split("/").pop() ?? "");
    if (rec) rec.agent = true;
  }
}

/** The live tasks of a container instance whose EC2 instance went down stop with AWS's host reason. */
function stopHostTasks(ctx: Ctx, inst: InstanceRec, instanceId: string, terminated: boolean): void {
  const st = state(ctx);
  const now = new Date();
  for (const id of inst.tasks) {
    const rec = st.tasks.get(id);
    if (!rec || rec.task.lastStatus === "STOPPED" || rec.task.desiredStatus === "STOPPED") continue;
    // The stop code of a task on a stopped (not terminated) host is unrecorded: none is given.
    requestStop(
      envFor(ctx),
      rec,
      `Host EC2 (instance ${instanceId}) ${terminated ? "terminated" : "stopped"}.`,
      terminated ? "TerminationNotice" : undefined,
      now,
    );
  }
}

/** A handler that first follows the agent hosts' EC2 state (tasks on a host that went down stop). */
export const withAgentHosts =
  <I, O>(h: (ctx: Ctx, input: I) => O) =>
  async (ctx: Ctx, input: I): Promise<Awaited<O>> => {
    await followAgentHosts(ctx);
    return await h(ctx, input);
  };

/** A handler that first lets running instances' agents register. */
export const withAgents =
  <I, O>(h: (ctx: Ctx, input: I) => O) =>
  async (ctx: Ctx, input: I): Promise<Awaited<O>> => {
    await adoptAgentInstances(ctx);
    return await h(ctx, input);
  };
