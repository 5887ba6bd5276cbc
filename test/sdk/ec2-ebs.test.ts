import {
  AttachVolumeCommand,
  CopySnapshotCommand,
  CopyImageCommand,
  CreateImageCommand,
  DescribeImageAttributeCommand,
  ModifyImageAttributeCommand,
  RegisterImageCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  CreateSnapshotCommand,
  CreateSnapshotsCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumeAttributeCommand,
  DescribeVolumesCommand,
  DescribeVolumesModificationsCommand,
  DescribeVolumeStatusCommand,
  DetachVolumeCommand,
  DisableEbsEncryptionByDefaultCommand,
  EC2Client,
  EnableEbsEncryptionByDefaultCommand,
  GetEbsDefaultKmsKeyIdCommand,
  GetEbsEncryptionByDefaultCommand,
  ModifyInstanceAttributeCommand,
  ModifySnapshotAttributeCommand,
  ModifyVolumeCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  paginateDescribeVolumes,
  waitUntilSnapshotCompleted,
  waitUntilVolumeAvailable,
  waitUntilVolumeInUse,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";
import { W, runOne } from "./ec2-fixtures.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("EBS volumes", () => {
  it("create, describe with filters, attach, detach, delete, with AWS's errors", async () => {
    const v = await sim.ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: "us-east-1a",
        Size: 20,
        VolumeType: "gp3",
        TagSpecifications: [{ ResourceType: "volume", Tags: [{ Key: "Name", Value: "data" }] }],
      }),
    );
    expect(v.VolumeId).toMatch(/^vol-[0-9a-f]{17}$/);
    expect(v).toMatchObject({ Size: 20, VolumeType: "gp3", Iops: 3000, Throughput: 125, State: "creating", Encrypted: false });
    await waitUntilVolumeAvailable({ client: sim.ec2, ...W }, { VolumeIds: [v.VolumeId!] });
    const byTag = (await sim.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: "tag:Name", Values: ["data"] }] }))).Volumes!;
    expect(byTag.map((x) => x.VolumeId)).toEqual([v.VolumeId]);
    const gp2 = await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1b", Size: 100 }));
    expect(gp2).toMatchObject({ VolumeType: "gp2", Iops: 300 });

    const inst = await runOne(sim.ec2, { Placement: { AvailabilityZone: "us-east-1a" } });
    await expectAwsError(sim.ec2.send(new AttachVolumeCommand({ VolumeId: gp2.VolumeId!, InstanceId: inst.InstanceId!, Device: "/dev/sdf" })), {
      name: "InvalidVolume.ZoneMismatch",
      status: 400,
    });
    const att = await sim.ec2.send(new AttachVolumeCommand({ VolumeId: v.VolumeId!, InstanceId: inst.InstanceId!, Device: "/dev/sdf" }));
    expect(att).toMatchObject({ State: "attaching", Device: "/dev/sdf", InstanceId: inst.InstanceId });
    await waitUntilVolumeInUse({ client: sim.ec2, ...W }, { VolumeIds: [v.VolumeId!] });
    const attached = (await sim.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [inst.InstanceId!] }] }))).Volumes!;
    expect(attached.map((x) => x.Attachments![0]!.Device).sort()).toEqual(["/dev/sdf", "/dev/xvda"]);
    const d = (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [inst.InstanceId!] }))).Reservations![0]!.Instances![0]!;
    expect(d.BlockDeviceMappings!.map((b) => b.DeviceName)).toEqual(["/dev/xvda", "/dev/sdf"]);
    await expectAwsError(sim.ec2.send(new DeleteVolumeCommand({ VolumeId: v.VolumeId! })), { name: "VolumeInUse", status: 400 });
    await sim.ec2.send(new DetachVolumeCommand({ VolumeId: v.VolumeId! }));
    await expectAwsError(sim.ec2.send(new DetachVolumeCommand({ VolumeId: v.VolumeId! })), { name: "IncorrectState", status: 400 });
    await sim.ec2.send(new DeleteVolumeCommand({ VolumeId: v.VolumeId! }));
    const err = await expectAwsError(sim.ec2.send(new DescribeVolumesCommand({ VolumeIds: [v.VolumeId!] })), { name: "InvalidVolume.NotFound", status: 400 });
    expect(err.message).toBe(`The volume '${v.VolumeId}' does not exist.`);
    await expectAwsError(sim.ec2.send(new DescribeVolumesCommand({ VolumeIds: ["vol-nope"] })), { name: "InvalidVolumeID.Malformed", status: 400 });
    await expectAwsError(sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 2000, VolumeType: "standard" })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 10, VolumeType: "io2" })), {
      name: "MissingParameter",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 10, DryRun: true })), {
      name: "DryRunOperation",
      status: 412,
    });
  });

  it("RunInstances creates root and mapped volumes; DeleteOnTermination decides what termination removes", async () => {
    const inst = await runOne(sim.ec2, {
      BlockDeviceMappings: [
        { DeviceName: "/dev/xvda", Ebs: { VolumeSize: 30, VolumeType: "gp3" } },
        { DeviceName: "/dev/sdb", Ebs: { VolumeSize: 50, DeleteOnTermination: false, Encrypted: true } },
        { DeviceName: "/dev/sdc", Ebs: { VolumeSize: 5 } },
      ],
      TagSpecifications: [{ ResourceType: "volume", Tags: [{ Key: "owner", Value: "me" }] }],
    });
    const vols = (await sim.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [inst.InstanceId!] }] }))).Volumes!;
    const by = Object.fromEntries(vols.map((v) => [v.Attachments![0]!.Device!, v]));
    expect(by["/dev/xvda"]).toMatchObject({ Size: 30, VolumeType: "gp3", State: "in-use" });
    expect(by["/dev/xvda"]!.SnapshotId).toMatch(/^snap-/);
    expect(by["/dev/sdb"]).toMatchObject({ Size: 50, VolumeType: "gp2", Encrypted: true });
    expect(by["/dev/sdb"]!.KmsKeyId).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\//);
    expect(by["/dev/sdb"]!.Attachments![0]!.DeleteOnTermination).toBe(false);
    expect(vols.every((v) => v.Tags?.some((t) => t.Key === "owner"))).toBe(true);
    const bdm = (await sim.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: inst.InstanceId!, Attribute: "blockDeviceMapping" })))
      .BlockDeviceMappings!;
    expect(bdm).toHaveLength(3);
    // keep /dev/sdc too
    await sim.ec2.send(
      new ModifyInstanceAttributeCommand({
        InstanceId: inst.InstanceId!,
        BlockDeviceMappings: [{ DeviceName: "/dev/sdc", Ebs: { DeleteOnTermination: false } }],
      }),
    );
    await sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [inst.InstanceId!] }));
    const left = (await sim.ec2.send(new DescribeVolumesCommand({}))).Volumes!;
    expect(left.map((v) => v.VolumeId).sort()).toEqual([by["/dev/sdb"]!.VolumeId, by["/dev/sdc"]!.VolumeId].sort());
    expect(left.every((v) => v.State === "available" && v.Attachments!.length === 0)).toBe(true);
    await expectAwsError(runOne(sim.ec2, { BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { VolumeSize: 4 } }] }), {
      name: "InvalidParameterValue",
      status: 400,
    });
  });

  it("ModifyVolume, modifications, status, attribute and pagination", async () => {
    const ids: string[] = [];
    for (let n = 0; n < 7; n++) ids.push((await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 10 + n }))).VolumeId!);
    const pages: string[][] = [];
    for await (const p of paginateDescribeVolumes({ client: sim.ec2, pageSize: 5 }, {})) pages.push(p.Volumes!.map((v) => v.VolumeId!));
    expect(pages.map((p) => p.length)).toEqual([5, 2]);
    expect(pages.flat()).toEqual(ids);
    const m = await sim.ec2.send(new ModifyVolumeCommand({ VolumeId: ids[0]!, Size: 40, VolumeType: "gp3" }));
    expect(m.VolumeModification).toMatchObject({ ModificationState: "modifying", OriginalSize: 10, TargetSize: 40, TargetVolumeType: "gp3" });
    await expectAwsError(sim.ec2.send(new ModifyVolumeCommand({ VolumeId: ids[0]!, Size: 50 })), { name: "VolumeModificationRateExceeded", status: 400 });
    await expectAwsError(sim.ec2.send(new ModifyVolumeCommand({ VolumeId: ids[1]!, Size: 5 })), { name: "InvalidParameterValue", status: 400 });
    const mods = (await sim.ec2.send(new DescribeVolumesModificationsCommand({ VolumeIds: [ids[0]!] }))).VolumesModifications!;
    expect(mods[0]).toMatchObject({ VolumeId: ids[0], ModificationState: "completed", Progress: 100 });
    await expectAwsError(sim.ec2.send(new DescribeVolumesModificationsCommand({ VolumeIds: [ids[1]!] })), {
      name: "InvalidVolumeModification.NotFound",
      status: 400,
    });
    const v0 = (await sim.ec2.send(new DescribeVolumesCommand({ VolumeIds: [ids[0]!] }))).Volumes![0]!;
    expect(v0).toMatchObject({ Size: 40, VolumeType: "gp3", Iops: 3000 });
    const status = (await sim.ec2.send(new DescribeVolumeStatusCommand({ VolumeIds: [ids[0]!] }))).VolumeStatuses![0]!;
    expect(status.VolumeStatus!.Status).toBe("ok");
    const attr = await sim.ec2.send(new DescribeVolumeAttributeCommand({ VolumeId: ids[0]!, Attribute: "autoEnableIO" }));
    expect(attr.AutoEnableIO!.Value).toBe(false);
    const big = (await sim.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: "size", Values: ["15", "16"] }] }))).Volumes!;
    expect(big.map((v) => v.Size).sort()).toEqual([15, 16]);
  });
});

describe("snapshots and encryption by default", () => {
  it("CreateImage snapshots the instance's volumes; the image launches with them; its snapshots are in use until deregistered", async () => {
    const inst = await runOne(sim.ec2, { BlockDeviceMappings: [{ DeviceName: "/dev/sdb", Ebs: { VolumeSize: 12 } }] });
    const ami = (await sim.ec2.send(new CreateImageCommand({ InstanceId: inst.InstanceId!, Name: "baked-1" }))).ImageId!;
    const img = (await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [ami] }))).Images![0]!;
    const devs = Object.fromEntries(img.BlockDeviceMappings!.map((b) => [b.DeviceName, b.Ebs!]));
    expect(devs["/dev/xvda"]!.VolumeSize).toBe(8);
    expect(devs["/dev/sdb"]!.VolumeSize).toBe(12);
    const snapId = devs["/dev/sdb"]!.SnapshotId!;
    const snap = (await sim.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapId] }))).Snapshots![0]!;
    expect(snap.Description).toBe(`Created by CreateImage(${inst.InstanceId}) for ${ami}`);
    await expectAwsError(sim.ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapId })), { name: "InvalidSnapshot.InUse", status: 400 });
    const child = await runOne(sim.ec2, { ImageId: ami });
    const vols = (await sim.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [child.InstanceId!] }] }))).Volumes!;
    expect(vols.map((v) => [v.Attachments![0]!.Device, v.Size, v.SnapshotId]).sort()).toEqual(
      [
        ["/dev/sdb", 12, snapId],
        ["/dev/xvda", 8, devs["/dev/xvda"]!.SnapshotId],
      ].sort(),
    );
    await sim.ec2.send(new ModifyImageAttributeCommand({ ImageId: ami, LaunchPermission: { Add: [{ UserId: "123456789012" }] } }));
    const perms = await sim.ec2.send(new DescribeImageAttributeCommand({ ImageId: ami, Attribute: "launchPermission" }));
    expect(perms.LaunchPermissions).toEqual([{ UserId: "123456789012" }]);
    const west = new EC2Client(clientConfig(sim.server, { region: "us-west-2" }));
    const copy = (await west.send(new CopyImageCommand({ SourceRegion: "us-east-1", SourceImageId: ami, Name: "baked-copy" }))).ImageId!;
    const copied = (await west.send(new DescribeImagesCommand({ ImageIds: [copy] }))).Images![0]!;
    expect(copied.BlockDeviceMappings!.map((b) => b.Ebs!.VolumeSize).sort()).toEqual([12, 8]);
    const reg = (
      await sim.ec2.send(
        new RegisterImageCommand({
          Name: "from-snapshot",
          RootDeviceName: "/dev/xvda",
          BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: snapId } }],
        }),
      )
    ).ImageId!;
    expect((await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [reg] }))).Images![0]!.BlockDeviceMappings![0]!.Ebs!.SnapshotId).toBe(snapId);
    await sim.ec2.send(new DeregisterImageCommand({ ImageId: reg }));
    const dereg = await sim.ec2.send(new DeregisterImageCommand({ ImageId: ami, DeleteAssociatedSnapshots: true }));
    expect(dereg.DeleteSnapshotResults!.map((r) => r.SnapshotId).sort()).toEqual([devs["/dev/xvda"]!.SnapshotId, snapId].sort());
    await expectAwsError(sim.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapId] })), { name: "InvalidSnapshot.NotFound", status: 400 });
  });

  it("snapshots volumes, copies across regions, shares, restores and refuses bad ids", async () => {
    const v = await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 12 }));
    const snap = await sim.ec2.send(
      new CreateSnapshotCommand({
        VolumeId: v.VolumeId!,
        Description: "nightly",
        TagSpecifications: [{ ResourceType: "snapshot", Tags: [{ Key: "k", Value: "v" }] }],
      }),
    );
    expect(snap).toMatchObject({ State: "pending", VolumeSize: 12, Description: "nightly", OwnerId: "000000000000" });
    await waitUntilSnapshotCompleted({ client: sim.ec2, ...W }, { SnapshotIds: [snap.SnapshotId!] });
    const mine = (await sim.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ["self"], Filters: [{ Name: "tag:k", Values: ["v"] }] }))).Snapshots!;
    expect(mine.map((s) => s.SnapshotId)).toEqual([snap.SnapshotId]);
    expect(mine[0]).toMatchObject({ State: "completed", Progress: "100%", VolumeId: v.VolumeId });

    const restored = await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1b", SnapshotId: snap.SnapshotId! }));
    expect(restored).toMatchObject({ Size: 12, SnapshotId: snap.SnapshotId });
    await expectAwsError(sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1b", SnapshotId: snap.SnapshotId!, Size: 4 })), {
      name: "InvalidParameterValue",
      status: 400,
    });

    const west = new EC2Client(clientConfig(sim.server, { region: "us-west-2" }));
    const copy = await west.send(new CopySnapshotCommand({ SourceRegion: "us-east-1", SourceSnapshotId: snap.SnapshotId! }));
    await expectAwsError(west.send(new CopySnapshotCommand({ SourceRegion: "mars-north-9", SourceSnapshotId: snap.SnapshotId! })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    const described = (await west.send(new DescribeSnapshotsCommand({ SnapshotIds: [copy.SnapshotId!] }))).Snapshots![0]!;
    expect(described).toMatchObject({ VolumeSize: 12, Description: `[Copied ${snap.SnapshotId} from us-east-1]` });

    await sim.ec2.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: snap.SnapshotId!,
        Attribute: "createVolumePermission",
        OperationType: "add",
        UserIds: ["123456789012"],
      }),
    );
    const perms = await sim.ec2.send(new DescribeSnapshotAttributeCommand({ SnapshotId: snap.SnapshotId!, Attribute: "createVolumePermission" }));
    expect(perms.CreateVolumePermissions).toEqual([{ UserId: "123456789012" }]);

    await sim.ec2.send(new DeleteSnapshotCommand({ SnapshotId: snap.SnapshotId! }));
    const err = await expectAwsError(sim.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snap.SnapshotId!] })), {
      name: "InvalidSnapshot.NotFound",
      status: 400,
    });
    expect(err.message).toBe(`The snapshot '${snap.SnapshotId}' does not exist.`);
  });

  it("CreateSnapshots takes every volume of an instance, boot volume optional", async () => {
    const inst = await runOne(sim.ec2, { BlockDeviceMappings: [{ DeviceName: "/dev/sdb", Ebs: { VolumeSize: 9 } }] });
    const all = (await sim.ec2.send(new CreateSnapshotsCommand({ InstanceSpecification: { InstanceId: inst.InstanceId! }, Description: "set" }))).Snapshots!;
    expect(all.map((s) => s.VolumeSize).sort()).toEqual([8, 9]);
    const data = (await sim.ec2.send(new CreateSnapshotsCommand({ InstanceSpecification: { InstanceId: inst.InstanceId!, ExcludeBootVolume: true } })))
      .Snapshots!;
    expect(data.map((s) => s.VolumeSize)).toEqual([9]);
  });

  it("encryption by default encrypts new volumes with the aws/ebs key", async () => {
    expect((await sim.ec2.send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(false);
    expect((await sim.ec2.send(new GetEbsDefaultKmsKeyIdCommand({}))).KmsKeyId).toBe("alias/aws/ebs");
    await sim.ec2.send(new EnableEbsEncryptionByDefaultCommand({}));
    const v = await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 1 }));
    expect(v.Encrypted).toBe(true);
    expect(v.KmsKeyId).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f-]{36}$/);
    const inst = await runOne(sim.ec2);
    const root = (await sim.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [inst.InstanceId!] }] }))).Volumes![0]!;
    expect(root.Encrypted).toBe(true);
    await sim.ec2.send(new DisableEbsEncryptionByDefaultCommand({}));
    expect((await sim.ec2.send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(false);
  });
});

describe("termination and stop protection", () => {
  it("refuses to terminate or stop a protected instance until the attribute is cleared", async () => {
    const inst = await runOne(sim.ec2, { DisableApiTermination: true, DisableApiStop: true });
    const id = inst.InstanceId!;
    const t = await expectAwsError(sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] })), { name: "OperationNotPermitted", status: 400 });
    expect(t.message).toBe(`The instance '${id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`);
    const s = await expectAwsError(sim.ec2.send(new StopInstancesCommand({ InstanceIds: [id] })), { name: "OperationNotPermitted", status: 400 });
    expect(s.message).toBe(`The instance '${id}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.`);
    const stopAttr = await sim.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: "disableApiStop" }));
    expect(stopAttr.DisableApiStop!.Value).toBe(true);
    await sim.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiStop: { Value: false } }));
    await sim.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await expectAwsError(sim.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Attribute: "disableApiTermination" })), {
      name: "MissingParameter",
      status: 400,
    });
    await sim.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Attribute: "disableApiTermination", Value: "false" }));
    await sim.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: "t3.large" } }));
    const type = await sim.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: "instanceType" }));
    expect(type.InstanceType!.Value).toBe("t3.large");
    await sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  });

  it("changing the type of a running instance is IncorrectInstanceState", async () => {
    const inst = await runOne(sim.ec2);
    const e = await expectAwsError(sim.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: inst.InstanceId!, InstanceType: { Value: "t3.large" } })), {
      name: "IncorrectInstanceState",
      status: 400,
    });
    expect(e.message).toBe(`The instance '${inst.InstanceId}' is not in the 'stopped' state.`);
    await sim.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: inst.InstanceId!, SourceDestCheck: { Value: false } }));
    const sd = await sim.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: inst.InstanceId!, Attribute: "sourceDestCheck" }));
    expect(sd.SourceDestCheck!.Value).toBe(false);
  });
});
