import {
  CreateNetworkInterfaceCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DescribeClassicLinkInstancesCommand,
  DescribeFastSnapshotRestoresCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeLockedSnapshotsCommand,
  DescribeNetworkInterfaceAttributeCommand,
  DescribeSnapshotsCommand,
  DescribeSnapshotTierStatusCommand,
  DescribeVpcClassicLinkCommand,
  DisableFastSnapshotRestoresCommand,
  EC2Client,
  EnableFastSnapshotRestoresCommand,
  EnableVpcClassicLinkCommand,
  LockSnapshotCommand,
  ModifyInstanceAttributeCommand,
  ModifyNetworkInterfaceAttributeCommand,
  ModifySnapshotTierCommand,
  MonitorInstancesCommand,
  ResetInstanceAttributeCommand,
  ResetNetworkInterfaceAttributeCommand,
  RestoreSnapshotTierCommand,
  StopInstancesCommand,
  UnlockSnapshotCommand,
  UnmonitorInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { describeInstance, runOne } from "./ec2-fixtures.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

const snapshot = async () => {
  const v = await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 8 }));
  return (await sim.ec2.send(new CreateSnapshotCommand({ VolumeId: v.VolumeId!, Description: "s" }))).SnapshotId!;
};

describe("instance monitoring and attributes", () => {
  it("MonitorInstances / UnmonitorInstances change the monitoring state DescribeInstances shows", async () => {
    const i = await runOne(sim.ec2);
    expect(i.Monitoring?.State).toBe("disabled");
    const on = await sim.ec2.send(new MonitorInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    expect(on.InstanceMonitorings).toEqual([{ InstanceId: i.InstanceId, Monitoring: { State: "pending" } }]);
    expect((await describeInstance(sim.ec2, i.InstanceId!)).Monitoring?.State).toBe("enabled");
    const filtered = await sim.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "monitoring-state", Values: ["enabled"] }] }));
    expect(filtered.Reservations!.flatMap((r) => r.Instances!.map((x) => x.InstanceId))).toEqual([i.InstanceId]);
    const off = await sim.ec2.send(new UnmonitorInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    expect(off.InstanceMonitorings![0]!.Monitoring?.State).toBe("disabling");
    expect((await describeInstance(sim.ec2, i.InstanceId!)).Monitoring?.State).toBe("disabled");

    await expectAwsError(sim.ec2.send(new MonitorInstancesCommand({ InstanceIds: ["i-0123456789abcdef0"] })), {
      name: "InvalidInstanceID.NotFound",
      status: 400,
      message: "The instance ID 'i-0123456789abcdef0' does not exist",
    });
    await expectAwsError(sim.ec2.send(new MonitorInstancesCommand({ InstanceIds: [i.InstanceId!], DryRun: true })), { name: "DryRunOperation", status: 412 });
    expect((await describeInstance(sim.ec2, i.InstanceId!)).Monitoring?.State).toBe("disabled");
  });

  it("ResetInstanceAttribute resets sourceDestCheck at any time and kernel only when stopped", async () => {
    const i = await runOne(sim.ec2);
    await sim.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: i.InstanceId!, SourceDestCheck: { Value: false } }));
    expect((await describeInstance(sim.ec2, i.InstanceId!)).SourceDestCheck).toBe(false);
    await sim.ec2.send(new ResetInstanceAttributeCommand({ InstanceId: i.InstanceId!, Attribute: "sourceDestCheck" }));
    expect((await describeInstance(sim.ec2, i.InstanceId!)).SourceDestCheck).toBe(true);
    const eni = (await describeInstance(sim.ec2, i.InstanceId!)).NetworkInterfaces![0]!;
    expect(eni.SourceDestCheck).toBe(true);

    await expectAwsError(sim.ec2.send(new ResetInstanceAttributeCommand({ InstanceId: i.InstanceId!, Attribute: "kernel" })), {
      name: "IncorrectInstanceState",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new ResetInstanceAttributeCommand({ InstanceId: i.InstanceId!, Attribute: "instanceType" })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    await sim.ec2.send(new StopInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    await sim.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: i.InstanceId!, Kernel: { Value: "aki-12345678" } }));
    const before = await sim.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: i.InstanceId!, Attribute: "kernel" }));
    expect(before.KernelId?.Value).toBe("aki-12345678");
    await sim.ec2.send(new ResetInstanceAttributeCommand({ InstanceId: i.InstanceId!, Attribute: "kernel" }));
    const after = await sim.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: i.InstanceId!, Attribute: "kernel" }));
    expect(after.KernelId?.Value).toBeUndefined();
  });

  it("DescribeNetworkInterfaceAttribute and ResetNetworkInterfaceAttribute", async () => {
    const i = await runOne(sim.ec2);
    const eniId = i.NetworkInterfaces![0]!.NetworkInterfaceId!;
    const eni = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: i.SubnetId!, Description: "extra" }))).NetworkInterface!;
    const d = await sim.ec2.send(new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni.NetworkInterfaceId!, Attribute: "description" }));
    expect(d).toMatchObject({ NetworkInterfaceId: eni.NetworkInterfaceId, Description: { Value: "extra" } });
    const g = await sim.ec2.send(new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni.NetworkInterfaceId!, Attribute: "groupSet" }));
    expect(g.Groups).toEqual(eni.Groups);
    const att = await sim.ec2.send(new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Attribute: "attachment" }));
    expect(att.Attachment).toMatchObject({ InstanceId: i.InstanceId, DeviceIndex: 0, Status: "attached", DeleteOnTermination: true });
    const none = await sim.ec2.send(new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni.NetworkInterfaceId!, Attribute: "attachment" }));
    expect(none.Attachment).toBeUndefined();

    await sim.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, SourceDestCheck: { Value: false } }));
    const sdc = await sim.ec2.send(new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Attribute: "sourceDestCheck" }));
    expect(sdc.SourceDestCheck?.Value).toBe(false);
    expect((await describeInstance(sim.ec2, i.InstanceId!)).SourceDestCheck).toBe(false);
    await sim.ec2.send(new ResetNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, SourceDestCheck: "true" }));
    const reset = await sim.ec2.send(new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Attribute: "sourceDestCheck" }));
    expect(reset.SourceDestCheck?.Value).toBe(true);
    expect((await describeInstance(sim.ec2, i.InstanceId!)).SourceDestCheck).toBe(true);

    await expectAwsError(
      sim.ec2.send(new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: "eni-0123456789abcdef0", Attribute: "description" })),
      {
        name: "InvalidNetworkInterfaceID.NotFound",
        status: 400,
        message: "The networkInterface ID 'eni-0123456789abcdef0' does not exist",
      },
    );
  });

  it("ClassicLink answers UnsupportedOperation (EC2-Classic is retired)", async () => {
    const i = await runOne(sim.ec2);
    for (const p of [
      sim.ec2.send(new DescribeVpcClassicLinkCommand({})),
      sim.ec2.send(new EnableVpcClassicLinkCommand({ VpcId: i.VpcId! })),
      sim.ec2.send(new DescribeClassicLinkInstancesCommand({})),
    ])
      await expectAwsError(p, { name: "UnsupportedOperation", status: 400, message: "The functionality you requested is not available in this region." });
  });
});

describe("snapshot lock, archive tier and fast snapshot restores", () => {
  it("governance and compliance locks with cooling-off periods", async () => {
    const id = await snapshot();
    const g = await sim.ec2.send(new LockSnapshotCommand({ SnapshotId: id, LockMode: "governance", LockDuration: 2 }));
    expect(g).toMatchObject({ SnapshotId: id, LockState: "governance", LockDuration: 2 });
    expect(g.LockExpiresOn!.getTime() - g.LockDurationStartTime!.getTime()).toBe(2 * 86_400_000);
    const listed = await sim.ec2.send(new DescribeLockedSnapshotsCommand({ SnapshotIds: [id] }));
    expect(listed.Snapshots!.map((x) => [x.SnapshotId, x.LockState, x.OwnerId])).toEqual([[id, "governance", "000000000000"]]);

    // governance → compliance with a cooling-off period, which still allows unlocking
    const c = await sim.ec2.send(new LockSnapshotCommand({ SnapshotId: id, LockMode: "compliance", CoolOffPeriod: 24, LockDuration: 3 }));
    expect(c.LockState).toBe("compliance-cooloff");
    expect(c.CoolOffPeriodExpiresOn!.getTime() - c.LockCreatedOn!.getTime()).toBeGreaterThanOrEqual(24 * 3_600_000 - 1000);
    const byState = await sim.ec2.send(new DescribeLockedSnapshotsCommand({ Filters: [{ Name: "lock-state", Values: ["compliance-cooloff"] }] }));
    expect(byState.Snapshots!.map((x) => x.SnapshotId)).toEqual([id]);
    await sim.ec2.send(new UnlockSnapshotCommand({ SnapshotId: id }));
    expect((await sim.ec2.send(new DescribeLockedSnapshotsCommand({}))).Snapshots).toEqual([]);

    // compliance without cooling-off: only longer durations, no unlock
    const other = await snapshot();
    await sim.ec2.send(new LockSnapshotCommand({ SnapshotId: other, LockMode: "compliance", LockDuration: 5 }));
    await expectAwsError(sim.ec2.send(new UnlockSnapshotCommand({ SnapshotId: other })), { name: "IncorrectState", status: 400 });
    await expectAwsError(sim.ec2.send(new LockSnapshotCommand({ SnapshotId: other, LockMode: "compliance", LockDuration: 1 })), {
      name: "IncorrectState",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new LockSnapshotCommand({ SnapshotId: other, LockMode: "governance", LockDuration: 9 })), {
      name: "IncorrectState",
      status: 400,
    });
    const longer = await sim.ec2.send(new LockSnapshotCommand({ SnapshotId: other, LockMode: "compliance", LockDuration: 10 }));
    expect(longer.LockState).toBe("compliance");

    await expectAwsError(sim.ec2.send(new LockSnapshotCommand({ SnapshotId: id, LockMode: "governance" })), {
      name: "InvalidParameterCombination",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new LockSnapshotCommand({ SnapshotId: id, LockMode: "governance", LockDuration: 1, CoolOffPeriod: 2 })), {
      name: "InvalidParameterCombination",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new LockSnapshotCommand({ SnapshotId: "snap-0123456789abcdef0", LockMode: "governance", LockDuration: 1 })), {
      name: "InvalidSnapshot.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new UnlockSnapshotCommand({ SnapshotId: id })), { name: "IncorrectState", status: 400 });
  });

  it("archive, temporary and permanent restore, shown by DescribeSnapshots and DescribeSnapshotTierStatus", async () => {
    const id = await snapshot();
    const plain = await snapshot();
    const m = await sim.ec2.send(new ModifySnapshotTierCommand({ SnapshotId: id, StorageTier: "archive" }));
    expect(m.SnapshotId).toBe(id);
    expect(m.TieringStartTime).toBeInstanceOf(Date);
    const d = (await sim.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }))).Snapshots![0]!;
    expect(d.StorageTier).toBe("archive");
    const archived = await sim.ec2.send(new DescribeSnapshotsCommand({ Filters: [{ Name: "storage-tier", Values: ["archive"] }] }));
    expect(archived.Snapshots!.map((x) => x.SnapshotId)).toEqual([id]);
    const tiers = await sim.ec2.send(new DescribeSnapshotTierStatusCommand({}));
    const t = tiers.SnapshotTierStatuses!.find((x) => x.SnapshotId === id)!;
    expect(t).toMatchObject({ StorageTier: "archive", LastTieringOperationStatus: "archival-completed", Status: "completed" });
    expect(tiers.SnapshotTierStatuses!.find((x) => x.SnapshotId === plain)!.StorageTier).toBe("standard");
    await expectAwsError(sim.ec2.send(new ModifySnapshotTierCommand({ SnapshotId: id })), { name: "IncorrectState", status: 400 });
    await expectAwsError(sim.ec2.send(new RestoreSnapshotTierCommand({ SnapshotId: plain, PermanentRestore: true })), { name: "IncorrectState", status: 400 });
    await expectAwsError(sim.ec2.send(new RestoreSnapshotTierCommand({ SnapshotId: id })), { name: "MissingParameter", status: 400 });

    const tmp = await sim.ec2.send(new RestoreSnapshotTierCommand({ SnapshotId: id, TemporaryRestoreDays: 3 }));
    expect(tmp).toMatchObject({ SnapshotId: id, RestoreDuration: 3, IsPermanentRestore: false });
    const restored = (await sim.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }))).Snapshots![0]!;
    expect(restored.StorageTier).toBe("standard");
    expect(restored.RestoreExpiryTime!.getTime() - tmp.RestoreStartTime!.getTime()).toBe(3 * 86_400_000);
    const byOp = await sim.ec2.send(
      new DescribeSnapshotTierStatusCommand({ Filters: [{ Name: "last-tiering-operation", Values: ["temporary-restore-completed"] }] }),
    );
    expect(byOp.SnapshotTierStatuses!.map((x) => x.SnapshotId)).toEqual([id]);
    const perm = await sim.ec2.send(new RestoreSnapshotTierCommand({ SnapshotId: id, PermanentRestore: true }));
    expect(perm.IsPermanentRestore).toBe(true);
    const done = (await sim.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }))).Snapshots![0]!;
    expect([done.StorageTier, done.RestoreExpiryTime]).toEqual(["standard", undefined]);
  });

  it("fast snapshot restores per zone: enable, describe with filters, disable; records go with the snapshot", async () => {
    const id = await snapshot();
    const en = await sim.ec2.send(
      new EnableFastSnapshotRestoresCommand({ SourceSnapshotIds: [id, "snap-0123456789abcdef0"], AvailabilityZones: ["us-east-1a", "us-east-1b"] }),
    );
    expect(en.Successful!.map((x) => [x.SnapshotId, x.AvailabilityZone, x.State])).toEqual([
      [id, "us-east-1a", "enabling"],
      [id, "us-east-1b", "enabling"],
    ]);
    expect(en.Unsuccessful![0]!.SnapshotId).toBe("snap-0123456789abcdef0");
    expect(en.Unsuccessful![0]!.FastSnapshotRestoreStateErrors![0]!.Error!.Code).toBe("InvalidSnapshot.NotFound");
    const all = await sim.ec2.send(new DescribeFastSnapshotRestoresCommand({}));
    expect(all.FastSnapshotRestores!.map((x) => [x.AvailabilityZone, x.State, x.AvailabilityZoneId])).toEqual([
      ["us-east-1a", "enabled", "use1-az1"],
      ["us-east-1b", "enabled", "use1-az2"],
    ]);
    await expectAwsError(sim.ec2.send(new ModifySnapshotTierCommand({ SnapshotId: id, StorageTier: "archive" })), { name: "IncorrectState", status: 400 });
    const fast = await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", SnapshotId: id }));
    const slow = await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1c", SnapshotId: id }));
    expect([fast.FastRestored, slow.FastRestored]).toEqual([true, undefined]); // AWS shows FastRestored only when true
    const dis = await sim.ec2.send(new DisableFastSnapshotRestoresCommand({ SourceSnapshotIds: [id], AvailabilityZones: ["us-east-1a"] }));
    expect(dis.Successful!.map((x) => x.State)).toEqual(["disabling"]);
    const enabled = await sim.ec2.send(new DescribeFastSnapshotRestoresCommand({ Filters: [{ Name: "state", Values: ["enabled"] }] }));
    expect(enabled.FastSnapshotRestores!.map((x) => x.AvailabilityZone)).toEqual(["us-east-1b"]);
    await expectAwsError(
      sim.ec2.send(new EnableFastSnapshotRestoresCommand({ SourceSnapshotIds: [id], AvailabilityZones: ["us-east-1a"], AvailabilityZoneIds: ["use1-az1"] })),
      { name: "InvalidParameterCombination", status: 400 },
    );
    await sim.ec2.send(new DeleteSnapshotCommand({ SnapshotId: id }));
    expect((await sim.ec2.send(new DescribeFastSnapshotRestoresCommand({}))).FastSnapshotRestores).toEqual([]);
  });
});
