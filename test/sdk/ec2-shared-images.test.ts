/**
 * AMIs shared between accounts: an account sees another account's AMI once it has launch permission (or the AMI is
 * public) — by id, with --owners <owner> and with --executable-users self — without the owner's tags, with the
 * owner's deprecation time, and can launch it; before it is shared, or after it is unshared, DescribeImages shows
 * nothing for its id and RunInstances answers AuthFailure. Snapshots shared by createVolumePermission likewise:
 * described, listed after the own ones, restorable, usable for volumes and copies.
 */
import {
  CancelImageLaunchPermissionCommand,
  CopySnapshotCommand,
  CreateImageCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeImageAttributeCommand,
  DescribeSnapshotsCommand,
  ModifySnapshotAttributeCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeImagesCommand,
  DescribeTagsCommand,
  EC2Client,
  EnableImageDeprecationCommand,
  ModifyImageAttributeCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";
import { AMI } from "./ec2-fixtures.js";

const OTHER = "111122223333";
const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));
const other = () => new EC2Client(clientConfig(sim.server, { credentials: { accessKeyId: OTHER, secretAccessKey: "x" } }));

async function ownImage(name: string): Promise<string> {
  const i = (await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
  const id = (await sim.ec2.send(new CreateImageCommand({ InstanceId: i, Name: name }))).ImageId!;
  await sim.ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: "team", Value: "owner" }] }));
  return id;
}

const ids = (r: { Images?: Array<{ ImageId?: string }> }) => (r.Images ?? []).map((i) => i.ImageId);

describe("AMIs shared with another account", () => {
  it("are invisible until shared, then listed, described and launchable; unsharing takes effect at once", async () => {
    const id = await ownImage("shared-one");
    const b = other();
    // Another account's AMI it may not use: described as nothing (no error, unlike an id nobody owns), and not launchable.
    expect(ids(await b.send(new DescribeImagesCommand({ ImageIds: [id] })))).toEqual([]);
    await expectAwsError(b.send(new DescribeImagesCommand({ ImageIds: ["ami-0123456789abcdef0"] })), { name: "InvalidAMIID.NotFound", status: 400 });
    await expectAwsError(b.send(new RunInstancesCommand({ ImageId: id, MinCount: 1, MaxCount: 1 })), {
      name: "AuthFailure",
      status: 400,
      message: `Not authorized for images: [${id}]`,
    });
    expect(ids(await b.send(new DescribeImagesCommand({ ExecutableUsers: ["self"] })))).not.toContain(id);

    await sim.ec2.send(new ModifyImageAttributeCommand({ ImageId: id, LaunchPermission: { Add: [{ UserId: OTHER }] } }));
    expect(ids(await b.send(new DescribeImagesCommand({ ExecutableUsers: ["self"] })))).toEqual([id]);
    expect(ids(await b.send(new DescribeImagesCommand({ Owners: ["000000000000"] })))).toEqual([id]);
    expect(ids(await b.send(new DescribeImagesCommand({ Owners: ["self"] })))).not.toContain(id);
    const seen = (await b.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0]!;
    expect(seen).toMatchObject({ ImageId: id, OwnerId: "000000000000", Name: "shared-one", Public: false, State: "available" });
    // Tags are the owner's own: the other account sees none.
    expect(seen.Tags ?? []).toEqual([]);
    expect((await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0]!.Tags).toEqual([{ Key: "team", Value: "owner" }]);
    const run = await b.send(new RunInstancesCommand({ ImageId: id, MinCount: 1, MaxCount: 1 }));
    expect(run.Instances![0]!.ImageId).toBe(id);
    // Launching did not make the AMI the other account's (no copy, no generic image under that id).
    expect((await b.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0]!.OwnerId).toBe("000000000000");
    // Only the owner describes its attributes.
    await expectAwsError(b.send(new DescribeImageAttributeCommand({ ImageId: id, Attribute: "launchPermission" })), {
      name: "AuthFailure",
      status: 400,
      message: `Not authorized for image:${id}`,
    });
    expect((await sim.ec2.send(new DescribeImageAttributeCommand({ ImageId: id, Attribute: "launchPermission" }))).LaunchPermissions).toEqual([
      { UserId: OTHER },
    ]);

    await sim.ec2.send(new ModifyImageAttributeCommand({ ImageId: id, LaunchPermission: { Remove: [{ UserId: OTHER }] } }));
    expect(ids(await b.send(new DescribeImagesCommand({ ImageIds: [id] })))).toEqual([]);
    expect(ids(await b.send(new DescribeImagesCommand({ ExecutableUsers: ["self"] })))).toEqual([]);
  });

  it("CancelImageLaunchPermission: the AMI no longer appears for the account that cancelled", async () => {
    const id = await ownImage("cancelled");
    const b = other();
    await sim.ec2.send(new ModifyImageAttributeCommand({ ImageId: id, LaunchPermission: { Add: [{ UserId: OTHER }] } }));
    expect(ids(await b.send(new DescribeImagesCommand({ ExecutableUsers: ["self"] })))).toEqual([id]);
    await b.send(new CancelImageLaunchPermissionCommand({ ImageId: id }));
    expect(ids(await b.send(new DescribeImagesCommand({ ExecutableUsers: ["self"] })))).toEqual([]);
    expect(ids(await b.send(new DescribeImagesCommand({ ImageIds: [id] })))).toEqual([]);
  });

  it("a public AMI of another account is listed for everyone with --executable-users all", async () => {
    const id = await ownImage("made-public");
    const b = other();
    await sim.ec2.send(new ModifyImageAttributeCommand({ ImageId: id, LaunchPermission: { Add: [{ Group: "all" }] } }));
    expect(ids(await b.send(new DescribeImagesCommand({ ExecutableUsers: ["all"], Owners: ["000000000000"] })))).toEqual([id]);
    expect((await b.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0]!.Public).toBe(true);
  });

  it("the owner's deprecation time shows to the other account (the listing rule once past: test/unit/ec2-shared-deprecation)", async () => {
    const id = await ownImage("to-deprecate");
    const b = other();
    await sim.ec2.send(new ModifyImageAttributeCommand({ ImageId: id, LaunchPermission: { Add: [{ UserId: OTHER }] } }));
    const at = new Date(Date.now() + 86_400_000);
    at.setUTCSeconds(0, 0);
    await sim.ec2.send(new EnableImageDeprecationCommand({ ImageId: id, DeprecateAt: at }));
    expect((await b.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0]!.DeprecationTime).toBe(at.toISOString());
    expect(ids(await b.send(new DescribeImagesCommand({ ExecutableUsers: ["self"] })))).toEqual([id]);
  });
});

describe("snapshots shared with another account", () => {
  it("are described, listed (own first), restorable and usable for volumes and copies once shared; not before", async () => {
    const vol = (await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 8 }))).VolumeId!;
    const snap = (
      await sim.ec2.send(new CreateSnapshotCommand({ VolumeId: vol, TagSpecifications: [{ ResourceType: "snapshot", Tags: [{ Key: "k", Value: "v" }] }] }))
    ).SnapshotId!;
    const b = other();
    const own = (
      await b.send(new CreateSnapshotCommand({ VolumeId: (await b.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 4 }))).VolumeId! }))
    ).SnapshotId!;
    const snapIds = async (input: object) => ((await b.send(new DescribeSnapshotsCommand(input))).Snapshots ?? []).map((x) => x.SnapshotId);
    await expectAwsError(b.send(new DescribeSnapshotsCommand({ SnapshotIds: [snap] })), { name: "InvalidSnapshot.NotFound", status: 400 });
    await expectAwsError(b.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", SnapshotId: snap })), {
      name: "InvalidSnapshot.NotFound",
      status: 400,
    });
    expect(await snapIds({})).toEqual([own]);

    await sim.ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: snap, Attribute: "createVolumePermission", OperationType: "add", UserIds: [OTHER] }));
    const seen = (await b.send(new DescribeSnapshotsCommand({ SnapshotIds: [snap] }))).Snapshots![0]!;
    expect(seen).toMatchObject({ SnapshotId: snap, OwnerId: "000000000000", VolumeSize: 8 });
    expect(seen.Tags ?? []).toEqual([]);
    expect(await snapIds({})).toEqual([own, snap]);
    expect(await snapIds({ RestorableByUserIds: ["self"] })).toEqual([own, snap]);
    expect(await snapIds({ OwnerIds: ["000000000000"] })).toEqual([snap]);
    expect(await snapIds({ OwnerIds: ["self"] })).toEqual([own]);
    // Pages walk both: the own snapshot, then the shared one.
    const first = await b.send(new DescribeSnapshotsCommand({ MaxResults: 5 }));
    expect(first.Snapshots!.map((x) => x.SnapshotId)).toEqual([own, snap]);
    const v = await b.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", SnapshotId: snap }));
    expect([v.SnapshotId, v.Size]).toEqual([snap, 8]);
    const copy = (await b.send(new CopySnapshotCommand({ SourceRegion: "us-east-1", SourceSnapshotId: snap }))).SnapshotId!;
    expect((await b.send(new DescribeSnapshotsCommand({ SnapshotIds: [copy] }))).Snapshots![0]!.OwnerId).toBe(OTHER);

    await sim.ec2.send(
      new ModifySnapshotAttributeCommand({ SnapshotId: snap, Attribute: "createVolumePermission", OperationType: "remove", UserIds: [OTHER] }),
    );
    await expectAwsError(b.send(new DescribeSnapshotsCommand({ SnapshotIds: [snap] })), { name: "InvalidSnapshot.NotFound", status: 400 });
    expect(await snapIds({ OwnerIds: ["000000000000"] })).toEqual([]);
  });
});

describe("tags on what another account shares", () => {
  it("are the tagging account's own: the owner's stay hidden from it, its own from the owner; they go with the share", async () => {
    const id = await ownImage("tagged-share");
    const vol = (await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 8 }))).VolumeId!;
    const snap = (await sim.ec2.send(new CreateSnapshotCommand({ VolumeId: vol }))).SnapshotId!;
    const b = other();
    // Not shared yet: nothing to tag.
    await expectAwsError(b.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: "use", Value: "ci" }] })), {
      name: "InvalidAMIID.NotFound",
      status: 400,
    });
    await sim.ec2.send(new ModifyImageAttributeCommand({ ImageId: id, LaunchPermission: { Add: [{ UserId: OTHER }] } }));
    await sim.ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: snap, Attribute: "createVolumePermission", OperationType: "add", UserIds: [OTHER] }));

    await b.send(new CreateTagsCommand({ Resources: [id, snap], Tags: [{ Key: "use", Value: "ci" }] }));
    const seen = (await b.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0]!;
    expect(seen.Tags).toEqual([{ Key: "use", Value: "ci" }]);
    expect(ids(await b.send(new DescribeImagesCommand({ Filters: [{ Name: "tag:use", Values: ["ci"] }] })))).toEqual([id]);
    expect((await b.send(new DescribeSnapshotsCommand({ SnapshotIds: [snap] }))).Snapshots![0]!.Tags).toEqual([{ Key: "use", Value: "ci" }]);
    const tagRows = (await b.send(new DescribeTagsCommand({ Filters: [{ Name: "key", Values: ["use"] }] }))).Tags!;
    expect(tagRows.map((t) => [t.ResourceId, t.ResourceType, t.Value]).sort()).toEqual(
      [
        [id, "image", "ci"],
        [snap, "snapshot", "ci"],
      ].sort(),
    );
    // The owner sees only its own tags.
    const mine = (await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0]!;
    expect(mine.Tags).toEqual([{ Key: "team", Value: "owner" }]);
    expect((await sim.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snap] }))).Snapshots![0]!.Tags ?? []).toEqual([]);

    await b.send(new DeleteTagsCommand({ Resources: [snap], Tags: [{ Key: "use" }] }));
    expect((await b.send(new DescribeSnapshotsCommand({ SnapshotIds: [snap] }))).Snapshots![0]!.Tags ?? []).toEqual([]);
    // Unshared: the AMI and its tags are gone from the account's view.
    await sim.ec2.send(new ModifyImageAttributeCommand({ ImageId: id, LaunchPermission: { Remove: [{ UserId: OTHER }] } }));
    expect((await b.send(new DescribeTagsCommand({ Filters: [{ Name: "key", Values: ["use"] }] }))).Tags).toEqual([]);
    await expectAwsError(b.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: "use", Value: "again" }] })), {
      name: "InvalidAMIID.NotFound",
      status: 400,
    });
  });
});
