/**
 * Amazon ECS-managed EBS volumes: a task definition volume marked `configuredAtLaunch`, given a
 * `volumeConfigurations` entry at RunTask, StartTask, CreateService or UpdateService. Each task gets a new EC2
 * volume in its Availability Zone (size, type, IOPS, throughput, encryption, snapshot and tags as asked), named by
 * an `AmazonElasticBlockStorage` attachment with the details the model documents (roleArn, deleteOnTermination,
 * volumeName, volumeId), and the volume is deleted when the task stops unless its termination policy keeps it.
 * EC2 DescribeVolumes shows it in-use while the task runs (the instance it is attached to is AWS's, not the
 * account's, so no attachment is listed). Airflow's EcsRunTaskOperator passes these as `volume_configurations`.
 */
import type { Attachment, ServiceVolumeConfiguration, Task, TaskDefinition, TaskVolumeConfiguration } from "@aws-sdk/client-ecs";
import { randomUUID } from "node:crypto";
import { AwsError } from "../../protocols/aws-error.js";
import { setTag } from "../ec2/common.js";
import type { Ec2State } from "../ec2/state.js";
import { checkVolumeSpec, newVolume, removeVolume, type VolumeSpec } from "../ec2/volumes.js";
import { EcsErrors } from "./errors.js";
import type { EcsEnv } from "./runtime-bridge.js";

export type VolumeConfiguration = TaskVolumeConfiguration | ServiceVolumeConfiguration;

const ATTACHMENT = "AmazonElasticBlockStorage";

function spec(c: VolumeConfiguration): VolumeSpec {
  const m = c.managedEBSVolume!;
  return {
    size: m.sizeInGiB,
    type: m.volumeType ?? "gp3",
    iops: m.iops,
    throughput: m.throughput,
    snapshotId: m.snapshotId,
    encrypted: m.encrypted,
    kmsKeyId: m.kmsKeyId,
  };
}

/**
 * Check the configurations against the task definition before any task is created: each names a volume the task
 * definition configures at launch (AWS's message, quoted in go-to-k/cdkd#811), and its EBS settings would make an
 * EC2 volume (a size or a snapshot, sizes per type, IOPS and throughput: EC2's checks and messages).
 */
export async function checkVolumeConfigurations(env: EcsEnv, td: TaskDefinition, configs: VolumeConfiguration[] | undefined): Promise<void> {
  if (!configs?.length) return;
  const ec2 = await env.sim.stateOf<Ec2State>("ec2", env.st.accountId, env.st.region);
  for (const c of configs) {
    if (!td.volumes?.some((v) => v.name === c.name && v.configuredAtLaunch === true))
      throw EcsErrors.invalidParameter("Volume configuration provided but no matching configuredAtLaunch volume found in task definition.");
    if (!c.managedEBSVolume) continue;
    // How AWS answers settings EC2 would refuse is unrecorded: awsim refuses them up front, in EC2's words.
    try {
      checkVolumeSpec(ec2, spec(c), "gp3");
    } catch (e) {
      if (e instanceof AwsError) throw EcsErrors.invalidParameter(e.message);
      throw e;
    }
  }
}

/** Create the volumes of one new task in its zone; returns the task's EBS attachments. */
export async function taskVolumes(
  env: EcsEnv,
  o: { configs: VolumeConfiguration[] | undefined; az: string; taskTags: Task["tags"]; tdTags: Task["tags"]; serviceTags?: Task["tags"] },
): Promise<Attachment[]> {
  if (!o.configs?.length) return [];
  const ec2 = await env.sim.stateOf<Ec2State>("ec2", env.st.accountId, env.st.region);
  const out: Attachment[] = [];
  for (const c of o.configs) {
    const m = c.managedEBSVolume;
    if (!m) continue;
    const vol = newVolume(ec2, o.az, spec(c), new Date(), "gp3");
    vol.state = "in-use";
    vol.target = undefined;
    for (const ts of m.tagSpecifications ?? []) {
      const propagated = ts.propagateTags === "TASK_DEFINITION" ? o.tdTags : ts.propagateTags === "SERVICE" ? o.serviceTags : undefined;
      for (const t of [...(propagated ?? []), ...(ts.tags ?? [])]) if (t.key !== undefined) setTag(ec2, vol.id, vol, t.key, t.value ?? "");
    }
    const keep = "terminationPolicy" in m && m.terminationPolicy?.deleteOnTermination === false;
    out.push({
      id: randomUUID(),
      type: ATTACHMENT,
      status: "ATTACHED",
      details: [
        { name: "roleArn", value: m.roleArn },
        { name: "deleteOnTermination", value: String(!keep) },
        { name: "volumeName", value: c.name },
        { name: "volumeId", value: vol.id },
      ],
    });
  }
  return out;
}

/** A stopped task's managed volumes: deleted, or left available when its termination policy keeps them. */
export async function releaseTaskVolumes(env: EcsEnv, task: Task): Promise<void> {
  const atts = (task.attachments ?? []).filter((a) => a.type === ATTACHMENT);
  if (!atts.length) return;
  const ec2 = await env.sim.stateOf<Ec2State>("ec2", env.st.accountId, env.st.region);
  for (const a of atts) {
    const detail = (name: string) => a.details?.find((d) => d.name === name)?.value;
    const vol = ec2.volumes.get(detail("volumeId") ?? "");
    if (vol?.state !== "in-use") continue;
    if (detail("deleteOnTermination") === "false") vol.state = "available";
    else removeVolume(ec2, vol);
  }
}
