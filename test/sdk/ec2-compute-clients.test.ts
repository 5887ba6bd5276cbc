/** boto3 and the aws CLI against the EC2 "compute" area: monitoring, ENI attributes, snapshot lock/tier/FSR, VM import from S3. */
import { describe, expect, it } from "vitest";
import { aws, hasAwsCli, hasBoto3, python, useServer } from "../helpers.js";

const SCRIPT = `
import boto3, json, sys
from botocore.exceptions import ClientError
kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
ec2 = boto3.client("ec2", **kw)
s3 = boto3.client("s3", config=boto3.session.Config(s3={"addressing_style": "path"}), **kw)
out = {}
def code(f):
    try:
        f()
    except ClientError as e:
        return e.response["Error"]["Code"]
iid = ec2.run_instances(ImageId="ami-0abcdef1234567890", MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
out["monitor"] = ec2.monitor_instances(InstanceIds=[iid])["InstanceMonitorings"][0]["Monitoring"]["State"]
out["monitoring"] = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]["Monitoring"]["State"]
eni = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]["NetworkInterfaces"][0]["NetworkInterfaceId"]
out["eni_attachment"] = ec2.describe_network_interface_attribute(NetworkInterfaceId=eni, Attribute="attachment")["Attachment"]["InstanceId"] == iid
vol = ec2.create_volume(AvailabilityZone="us-east-1a", Size=2)["VolumeId"]
snap = ec2.create_snapshot(VolumeId=vol)["SnapshotId"]
out["lock"] = ec2.lock_snapshot(SnapshotId=snap, LockMode="governance", LockDuration=1)["LockState"]
out["locked"] = [s["SnapshotId"] for s in ec2.describe_locked_snapshots()["Snapshots"]] == [snap]
ec2.modify_snapshot_tier(SnapshotId=snap, StorageTier="archive")
out["tier"] = ec2.describe_snapshots(SnapshotIds=[snap])["Snapshots"][0]["StorageTier"]
out["fsr_missing"] = ec2.enable_fast_snapshot_restores(SourceSnapshotIds=["snap-0123456789abcdef0"], AvailabilityZones=["us-east-1a"])["Unsuccessful"][0]["FastSnapshotRestoreStateErrors"][0]["Error"]["Code"]
s3.create_bucket(Bucket="disks")
s3.put_object(Bucket="disks", Key="d.raw", Body=b"x" * 100)
task = ec2.import_snapshot(DiskContainer={"Format": "RAW", "UserBucket": {"S3Bucket": "disks", "S3Key": "d.raw"}})["ImportTaskId"]
ec2.get_waiter("snapshot_imported").wait(ImportTaskIds=[task], WaiterConfig={"Delay": 1, "MaxAttempts": 5})
out["imported"] = ec2.describe_import_snapshot_tasks(ImportTaskIds=[task])["ImportSnapshotTasks"][0]["SnapshotTaskDetail"]["Status"]
out["classiclink"] = code(lambda: ec2.describe_vpc_classic_link())
print(json.dumps(out))
`;

const sim = useServer({ reset: true });

describe.skipIf(!hasBoto3())("EC2 compute with boto3", () => {
  it("monitoring, ENI attributes, snapshot lock/tier/FSR, import from S3 with its waiter, ClassicLink", { timeout: 60_000 }, async () => {
    const out = await python(SCRIPT, [sim.server.url], { env: { ...process.env, AWS_CONFIG_FILE: "/dev/null" } });
    expect(JSON.parse(out)).toEqual({
      monitor: "pending",
      monitoring: "enabled",
      eni_attachment: true,
      lock: "governance",
      locked: true,
      tier: "archive",
      fsr_missing: "InvalidSnapshot.NotFound",
      imported: "completed",
      classiclink: "UnsupportedOperation",
    });
  });
});

describe.skipIf(!hasAwsCli())("EC2 compute with the aws CLI", () => {
  it("monitor-instances, lock-snapshot and describe-locked-snapshots, errors", { timeout: 90_000 }, async () => {
    const run = await aws(sim.server, ["ec2", "run-instances", "--image-id", "ami-0abcdef1234567890", "--count", "1"]);
    const iid = run.json.Instances[0].InstanceId as string;
    const mon = await aws(sim.server, ["ec2", "monitor-instances", "--instance-ids", iid]);
    expect(mon.json.InstanceMonitorings[0].Monitoring.State).toBe("pending");
    const vol = await aws(sim.server, ["ec2", "create-volume", "--availability-zone", "us-east-1a", "--size", "1"]);
    const snap = await aws(sim.server, ["ec2", "create-snapshot", "--volume-id", vol.json.VolumeId]);
    const lock = await aws(sim.server, [
      "ec2",
      "lock-snapshot",
      "--snapshot-id",
      snap.json.SnapshotId,
      "--lock-mode",
      "compliance",
      "--cool-off-period",
      "1",
      "--lock-duration",
      "2",
    ]);
    expect(lock.json.LockState).toBe("compliance-cooloff");
    const listed = await aws(sim.server, [
      "ec2",
      "describe-locked-snapshots",
      "--filters",
      "Name=lock-state,Values=compliance-cooloff",
      "--query",
      "Snapshots[].SnapshotId",
    ]);
    expect(listed.json).toEqual([snap.json.SnapshotId]);
    const bad = await aws(sim.server, ["ec2", "unmonitor-instances", "--instance-ids", "i-0123456789abcdef0"]);
    expect(bad.code).toBe(255);
    expect(bad.stderr).toContain("InvalidInstanceID.NotFound");
  });
});
