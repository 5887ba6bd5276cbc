import {
  CancelImageLaunchPermissionCommand,
  CreateImageCommand,
  DeregisterImageCommand,
  DescribeExportImageTasksCommand,
  DescribeFastLaunchImagesCommand,
  DescribeImportImageTasksCommand,
  DescribeImportSnapshotTasksCommand,
  DescribeStoreImageTasksCommand,
  RestoreImageFromRecycleBinCommand,
  RestoreSnapshotFromRecycleBinCommand,
  RestoreVolumeFromRecycleBinCommand,
  DescribeInstanceImageMetadataCommand,
  DisableAllowedImagesSettingsCommand,
  EnableAllowedImagesSettingsCommand,
  GetAllowedImagesSettingsCommand,
  ReplaceImageCriteriaInAllowedImagesSettingsCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DisableImageBlockPublicAccessCommand,
  DisableImageCommand,
  DisableImageDeprecationCommand,
  DisableImageDeregistrationProtectionCommand,
  EC2Client,
  EnableImageBlockPublicAccessCommand,
  EnableImageCommand,
  EnableImageDeprecationCommand,
  EnableImageDeregistrationProtectionCommand,
  GetImageBlockPublicAccessStateCommand,
  ListImagesInRecycleBinCommand,
  ListSnapshotsInRecycleBinCommand,
  ListVolumesInRecycleBinCommand,
  ModifyImageAttributeCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";
import { AMI } from "./ec2-fixtures.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

async function ownImage(name = "my-image") {
  const inst = (await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, InstanceType: "t3.micro" }))).Instances![0]!;
  const { ImageId } = await sim.ec2.send(new CreateImageCommand({ InstanceId: inst.InstanceId!, Name: name }));
  return ImageId!;
}

describe("AMI settings", () => {
  it("deprecation shows in DescribeImages (rounded to the minute) and can be cancelled", async () => {
    const id = await ownImage();
    const at = new Date(Date.now() + 86400_000);
    at.setUTCSeconds(10, 0);
    expect((await sim.ec2.send(new EnableImageDeprecationCommand({ ImageId: id, DeprecateAt: at }))).Return).toBe(true);
    let img = (await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0]!;
    const rounded = new Date(Math.round(at.getTime() / 60000) * 60000).toISOString();
    expect(img.DeprecationTime).toBe(rounded);
    await sim.ec2.send(new DisableImageDeprecationCommand({ ImageId: id }));
    img = (await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0]!;
    expect(img.DeprecationTime).toBeUndefined();
    await expectAwsError(sim.ec2.send(new EnableImageDeprecationCommand({ ImageId: id, DeprecateAt: new Date(Date.now() - 60_000) })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new EnableImageDeprecationCommand({ ImageId: AMI, DeprecateAt: at })), { name: "AuthFailure", status: 400 });
    await expectAwsError(sim.ec2.send(new EnableImageDeprecationCommand({ ImageId: "ami-12345678901234567", DeprecateAt: at })), {
      name: "InvalidAMIID.NotFound",
      status: 400,
    });
  });

  it("a public AMI is deprecated two years after its creation at the latest (EC2 User Guide, Deprecate an AMI)", async () => {
    const id = await ownImage("public-one");
    const created = new Date((await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0]!.CreationDate!);
    const limit = new Date(created);
    limit.setUTCFullYear(limit.getUTCFullYear() + 2);
    // Private with a later deprecation date, then public: the date comes down to the limit.
    const later = new Date(Date.now() + 5 * 365 * 86400_000);
    later.setUTCSeconds(0, 0);
    await sim.ec2.send(new EnableImageDeprecationCommand({ ImageId: id, DeprecateAt: later }));
    await sim.ec2.send(new ModifyImageAttributeCommand({ ImageId: id, LaunchPermission: { Add: [{ Group: "all" }] } }));
    let img = (await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0]!;
    expect(img.Public).toBe(true);
    expect(img.DeprecationTime).toBe(limit.toISOString());
    // While public, an earlier date is accepted and a later one refused.
    await expectAwsError(sim.ec2.send(new EnableImageDeprecationCommand({ ImageId: id, DeprecateAt: later })), { name: "InvalidParameterValue", status: 400 });
    const sooner = new Date(Date.now() + 30 * 86400_000);
    sooner.setUTCSeconds(0, 0);
    await sim.ec2.send(new EnableImageDeprecationCommand({ ImageId: id, DeprecateAt: sooner }));
    img = (await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0]!;
    expect(img.DeprecationTime).toBe(sooner.toISOString());
    // A public AMI with no deprecation date gets the default one.
    const other = await ownImage("public-two");
    await sim.ec2.send(new ModifyImageAttributeCommand({ ImageId: other, LaunchPermission: { Add: [{ Group: "all" }] } }));
    img = (await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [other] }))).Images![0]!;
    const otherLimit = new Date(img.CreationDate!);
    otherLimit.setUTCFullYear(otherLimit.getUTCFullYear() + 2);
    expect(img.DeprecationTime).toBe(otherLimit.toISOString());
  });

  it("deregistration protection blocks DeregisterImage, with a 24-hour cooldown when asked", async () => {
    const id = await ownImage();
    expect((await sim.ec2.send(new EnableImageDeregistrationProtectionCommand({ ImageId: id }))).Return).toBe("true");
    expect((await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0]!.DeregistrationProtection).toBe("enabled-without-cooldown");
    const attr = await sim.ec2.send(new DescribeImageAttributeCommand({ ImageId: id, Attribute: "deregistrationProtection" }));
    expect(attr.DeregistrationProtection?.Value).toBe("enabled-without-cooldown");
    await expectAwsError(sim.ec2.send(new DeregisterImageCommand({ ImageId: id })), { name: "InvalidParameterValue", status: 400 });
    await sim.ec2.send(new DisableImageDeregistrationProtectionCommand({ ImageId: id }));
    expect((await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0]!.DeregistrationProtection).toBe("disabled");

    const cool = await ownImage("cooled");
    await sim.ec2.send(new EnableImageDeregistrationProtectionCommand({ ImageId: cool, WithCooldown: true }));
    expect((await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [cool] }))).Images![0]!.DeregistrationProtection).toBe("enabled-with-cooldown");
    await sim.ec2.send(new DisableImageDeregistrationProtectionCommand({ ImageId: cool }));
    expect((await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [cool] }))).Images![0]!.DeregistrationProtection).toMatch(
      /^disabled-until \d{4}-\d\d-\d\dT/,
    );
    await expectAwsError(sim.ec2.send(new DeregisterImageCommand({ ImageId: cool })), { name: "InvalidParameterValue", status: 400 });
    expect((await sim.ec2.send(new DeregisterImageCommand({ ImageId: id }))).Return).toBe(true);
  });

  it("DisableImage hides the image and makes it private; EnableImage brings it back", async () => {
    const id = await ownImage();
    await sim.ec2.send(new ModifyImageAttributeCommand({ ImageId: id, LaunchPermission: { Add: [{ Group: "all" }] } }));
    expect((await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0]!.Public).toBe(true);
    expect((await sim.ec2.send(new DisableImageCommand({ ImageId: id }))).Return).toBe(true);
    const mine = (await sim.ec2.send(new DescribeImagesCommand({ Owners: ["self"] }))).Images!;
    expect(mine.map((i) => i.ImageId)).not.toContain(id);
    const withDisabled = (await sim.ec2.send(new DescribeImagesCommand({ Owners: ["self"], IncludeDisabled: true }))).Images!;
    expect(withDisabled.find((i) => i.ImageId === id)).toMatchObject({ State: "disabled", Public: false });
    await expectAwsError(sim.ec2.send(new RunInstancesCommand({ ImageId: id, MinCount: 1, MaxCount: 1 })), { name: "InvalidAMIID.NotFound", status: 400 });
    await sim.ec2.send(new EnableImageCommand({ ImageId: id }));
    expect((await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0]).toMatchObject({ State: "available", Public: false });
  });

  it("image block public access refuses public sharing", async () => {
    expect((await sim.ec2.send(new GetImageBlockPublicAccessStateCommand({}))).ImageBlockPublicAccessState).toBe("unblocked");
    expect(
      (await sim.ec2.send(new EnableImageBlockPublicAccessCommand({ ImageBlockPublicAccessState: "block-new-sharing" }))).ImageBlockPublicAccessState,
    ).toBe("block-new-sharing");
    expect(await sim.ec2.send(new GetImageBlockPublicAccessStateCommand({}))).toMatchObject({
      ImageBlockPublicAccessState: "block-new-sharing",
      ManagedBy: "account",
    });
    const id = await ownImage();
    const err = await expectAwsError(sim.ec2.send(new ModifyImageAttributeCommand({ ImageId: id, LaunchPermission: { Add: [{ Group: "all" }] } })), {
      name: "OperationNotPermitted",
      status: 400,
    });
    expect(err.message).toContain("block public access for AMIs is enabled");
    // Sharing with an account is still allowed.
    await sim.ec2.send(new ModifyImageAttributeCommand({ ImageId: id, LaunchPermission: { Add: [{ UserId: "111122223333" }] } }));
    expect((await sim.ec2.send(new DisableImageBlockPublicAccessCommand({}))).ImageBlockPublicAccessState).toBe("unblocked");
    await sim.ec2.send(new ModifyImageAttributeCommand({ ImageId: id, LaunchPermission: { Add: [{ Group: "all" }] } }));
    expect((await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0]!.Public).toBe(true);
  });

  it("CancelImageLaunchPermission removes the caller from an image another account shared", async () => {
    const id = await ownImage();
    await sim.ec2.send(new ModifyImageAttributeCommand({ ImageId: id, LaunchPermission: { Add: [{ UserId: "111122223333" }] } }));
    const other = new EC2Client(clientConfig(sim.server, { credentials: { accessKeyId: "111122223333", secretAccessKey: "x" } }));
    const { $metadata } = await other.send(new CancelImageLaunchPermissionCommand({ ImageId: id }));
    expect($metadata.httpStatusCode).toBe(200);
    const perms = await sim.ec2.send(new DescribeImageAttributeCommand({ ImageId: id, Attribute: "launchPermission" }));
    expect(perms.LaunchPermissions).toEqual([]);
    await expectAwsError(other.send(new CancelImageLaunchPermissionCommand({ ImageId: id })), { name: "InvalidAMIID.NotFound", status: 400 });
  });

  it("last launched time and the (empty) Recycle Bin", async () => {
    const id = await ownImage();
    expect((await sim.ec2.send(new DescribeImageAttributeCommand({ ImageId: id, Attribute: "lastLaunchedTime" }))).LastLaunchedTime?.Value).toBeUndefined();
    await sim.ec2.send(new RunInstancesCommand({ ImageId: id, MinCount: 1, MaxCount: 1 }));
    const last = (await sim.ec2.send(new DescribeImageAttributeCommand({ ImageId: id, Attribute: "lastLaunchedTime" }))).LastLaunchedTime?.Value;
    expect(Date.now() - Date.parse(last!)).toBeLessThan(60_000);
    await sim.ec2.send(new DeregisterImageCommand({ ImageId: id }));
    expect((await sim.ec2.send(new ListImagesInRecycleBinCommand({}))).Images).toEqual([]);
    expect((await sim.ec2.send(new ListSnapshotsInRecycleBinCommand({}))).Snapshots).toEqual([]);
    expect((await sim.ec2.send(new ListVolumesInRecycleBinCommand({}))).Volumes).toEqual([]);
  });

  it("Allowed AMIs settings mark images allowed or not", async () => {
    expect(await sim.ec2.send(new GetAllowedImagesSettingsCommand({}))).toMatchObject({ State: "disabled", ImageCriteria: [], ManagedBy: "account" });
    expect((await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [AMI] }))).Images![0]!.ImageAllowed).toBeUndefined();
    expect((await sim.ec2.send(new EnableAllowedImagesSettingsCommand({ AllowedImagesSettingsState: "audit-mode" }))).AllowedImagesSettingsState).toBe(
      "audit-mode",
    );
    const r = await sim.ec2.send(
      new ReplaceImageCriteriaInAllowedImagesSettingsCommand({ ImageCriteria: [{ ImageProviders: ["amazon"], ImageNames: ["al2023-ami-*"] }] }),
    );
    expect(r.ReturnValue).toBe(true);
    const got = await sim.ec2.send(new GetAllowedImagesSettingsCommand({}));
    expect(got.State).toBe("audit-mode");
    expect(got.ImageCriteria).toEqual([{ ImageProviders: ["amazon"], ImageNames: ["al2023-ami-*"] }]);
    const imgs = (await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [AMI, "ami-0e2c8caa4b6378d8c", "ami-0c02fb55956c7d316"] }))).Images!;
    const allowed = Object.fromEntries(imgs.map((i) => [i.ImageId, i.ImageAllowed]));
    expect(allowed).toEqual({ [AMI]: true, "ami-0e2c8caa4b6378d8c": false, "ami-0c02fb55956c7d316": false });
    // Enabled: only AMIs that meet the criteria are discoverable.
    await sim.ec2.send(new EnableAllowedImagesSettingsCommand({ AllowedImagesSettingsState: "enabled" }));
    const visible = (await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [AMI, "ami-0e2c8caa4b6378d8c", "ami-0c02fb55956c7d316"] }))).Images!;
    expect(visible.map((i) => [i.ImageId, i.ImageAllowed])).toEqual([[AMI, true]]);
    await expectAwsError(sim.ec2.send(new ReplaceImageCriteriaInAllowedImagesSettingsCommand({ ImageCriteria: [{ ImageProviders: ["bogus"] }] })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    expect((await sim.ec2.send(new DisableAllowedImagesSettingsCommand({}))).AllowedImagesSettingsState).toBe("disabled");
  });

  it("DescribeInstanceImageMetadata reports each instance's AMI", async () => {
    const id = await ownImage();
    const inst = (await sim.ec2.send(new RunInstancesCommand({ ImageId: id, MinCount: 1, MaxCount: 1, InstanceType: "t3.small" }))).Instances![0]!;
    const md = (await sim.ec2.send(new DescribeInstanceImageMetadataCommand({ InstanceIds: [inst.InstanceId!] }))).InstanceImageMetadata!;
    expect(md).toHaveLength(1);
    expect(md[0]).toMatchObject({
      InstanceId: inst.InstanceId,
      InstanceType: "t3.small",
      OwnerId: "000000000000",
      State: { Name: "running", Code: 16 },
      ImageMetadata: { ImageId: id, Name: "my-image", OwnerId: "000000000000", State: "available", IsPublic: false },
    });
    const all = (await sim.ec2.send(new DescribeInstanceImageMetadataCommand({ Filters: [{ Name: "instance-type", Values: ["t3.micro"] }] })))
      .InstanceImageMetadata!;
    expect(all.map((m) => m.ImageMetadata?.ImageId)).toEqual([AMI]);
    await sim.ec2.send(new DeregisterImageCommand({ ImageId: id }));
    const gone = (await sim.ec2.send(new DescribeInstanceImageMetadataCommand({ InstanceIds: [inst.InstanceId!] }))).InstanceImageMetadata![0]!;
    expect(gone.ImageMetadata).toEqual({ ImageId: id });
  });

  it("no import/export/store/fast-launch tasks exist; nothing to restore from the Recycle Bin", async () => {
    expect((await sim.ec2.send(new DescribeImportImageTasksCommand({ Filters: [{ Name: "task-state", Values: ["active"] }] }))).ImportImageTasks).toEqual([]);
    expect((await sim.ec2.send(new DescribeImportSnapshotTasksCommand({}))).ImportSnapshotTasks).toEqual([]);
    expect((await sim.ec2.send(new DescribeExportImageTasksCommand({}))).ExportImageTasks).toEqual([]);
    expect((await sim.ec2.send(new DescribeStoreImageTasksCommand({ ImageIds: [AMI] }))).StoreImageTaskResults).toEqual([]);
    expect((await sim.ec2.send(new DescribeFastLaunchImagesCommand({}))).FastLaunchImages).toEqual([]);
    await expectAwsError(sim.ec2.send(new DescribeImportImageTasksCommand({ Filters: [{ Name: "nope", Values: ["x"] }] })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new DescribeStoreImageTasksCommand({ ImageIds: ["ami-12345678901234567"] })), {
      name: "InvalidAMIID.NotFound",
      status: 400,
    });
    const id = await ownImage();
    await sim.ec2.send(new DeregisterImageCommand({ ImageId: id }));
    await expectAwsError(sim.ec2.send(new RestoreImageFromRecycleBinCommand({ ImageId: id })), { name: "InvalidAMIID.NotFound", status: 400 });
    await expectAwsError(sim.ec2.send(new RestoreSnapshotFromRecycleBinCommand({ SnapshotId: "snap-0123456789abcdef0" })), {
      name: "InvalidSnapshot.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new RestoreVolumeFromRecycleBinCommand({ VolumeId: "vol-0123456789abcdef0" })), {
      name: "InvalidVolume.NotFound",
      status: 400,
    });
  });
});
