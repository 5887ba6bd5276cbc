import {
  CancelBundleTaskCommand,
  CancelExportTaskCommand,
  CancelConversionTaskCommand,
  CancelImportTaskCommand,
  CreateInstanceExportTaskCommand,
  DescribeBundleTasksCommand,
  DescribeConversionTasksCommand,
  DescribeExportTasksCommand,
  DescribeVolumesCommand,
  ImportVolumeCommand,
  waitUntilConversionTaskCompleted,
  waitUntilExportTaskCompleted,
  CreateImageCommand,
  CreateRestoreImageTaskCommand,
  CreateStoreImageTaskCommand,
  CreateTagsCommand,
  DescribeExportImageTasksCommand,
  DescribeImagesCommand,
  DescribeImportImageTasksCommand,
  DescribeImportSnapshotTasksCommand,
  DescribeSnapshotsCommand,
  DescribeStoreImageTasksCommand,
  DescribeTagsCommand,
  EC2Client,
  ExportImageCommand,
  ImportImageCommand,
  ImportSnapshotCommand,
  RunInstancesCommand,
  waitUntilSnapshotImported,
  waitUntilStoreImageTaskComplete,
} from "@aws-sdk/client-ec2";
import { CreateBucketCommand, GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { beforeEach, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, startServer, useServer } from "../helpers.js";
import { AMI, W } from "./ec2-fixtures.js";

const BUCKET = "vm-images";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg), s3: new S3Client({ ...cfg, forcePathStyle: true }) }));
beforeEach(async () => {
  await sim.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

const put = (Key: string, Body: Buffer | string) => sim.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
const ownImage = async () => {
  const i = (
    await sim.ec2.send(
      new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, BlockDeviceMappings: [{ DeviceName: "/dev/sdf", Ebs: { VolumeSize: 20 } }] }),
    )
  ).Instances![0]!;
  return (await sim.ec2.send(new CreateImageCommand({ InstanceId: i.InstanceId!, Name: "web-base", Description: "base image" }))).ImageId!;
};

describe("VM import", () => {
  it("ImportImage reads the disk from S3 and completes into an AMI with its snapshots", async () => {
    await put("disks/vm.vmdk", Buffer.alloc(3000, 1));
    const r = await sim.ec2.send(
      new ImportImageCommand({
        Description: "my vm",
        DiskContainers: [{ Description: "root", Format: "vmdk", UserBucket: { S3Bucket: BUCKET, S3Key: "disks/vm.vmdk" } }],
        LicenseType: "BYOL",
        TagSpecifications: [{ ResourceType: "import-image-task", Tags: [{ Key: "team", Value: "infra" }] }],
      }),
    );
    expect(r.ImportTaskId).toMatch(/^import-ami-[0-9a-f]{17}$/);
    expect([r.Status, r.StatusMessage]).toEqual(["active", "pending"]);
    expect(r.Tags).toEqual([{ Key: "team", Value: "infra" }]);

    const t = (await sim.ec2.send(new DescribeImportImageTasksCommand({ ImportTaskIds: [r.ImportTaskId!] }))).ImportImageTasks![0]!;
    expect(t).toMatchObject({ Status: "completed", Description: "my vm", Platform: "Linux", LicenseType: "BYOL", Architecture: "x86_64" });
    expect(t.SnapshotDetails).toHaveLength(1);
    const d = t.SnapshotDetails![0]!;
    expect(d).toMatchObject({ Format: "VMDK", DiskImageSize: 3000, Status: "completed", UserBucket: { S3Bucket: BUCKET, S3Key: "disks/vm.vmdk" } });
    const img = (await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [t.ImageId!] }))).Images![0]!;
    expect(img).toMatchObject({ Name: r.ImportTaskId, State: "available", OwnerId: "000000000000", RootDeviceName: "/dev/sda1" });
    expect(img.BlockDeviceMappings![0]!.Ebs).toMatchObject({ SnapshotId: d.SnapshotId, VolumeSize: 1 });
    const snap = (await sim.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [d.SnapshotId!] }))).Snapshots![0]!;
    expect(snap.Description).toBe(`Created by AWS-VMImport service for ${r.ImportTaskId}`);

    const byState = await sim.ec2.send(new DescribeImportImageTasksCommand({ Filters: [{ Name: "task-state", Values: ["completed"] }] }));
    expect(byState.ImportImageTasks!.map((x) => x.ImportTaskId)).toEqual([r.ImportTaskId]);
    await sim.ec2.send(new CreateTagsCommand({ Resources: [r.ImportTaskId!], Tags: [{ Key: "k", Value: "v" }] }));
    const tags = await sim.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [r.ImportTaskId!] }] }));
    expect(tags.Tags!.map((x) => [x.Key, x.ResourceType])).toEqual([
      ["k", "import-image-task"],
      ["team", "import-image-task"],
    ]);
    await expectAwsError(sim.ec2.send(new CancelImportTaskCommand({ ImportTaskId: r.ImportTaskId! })), { name: "IncorrectState", status: 400 });
  });

  it("ImportImage and ImportSnapshot answer InvalidParameter when the object or bucket is missing", async () => {
    await expectAwsError(
      sim.ec2.send(new ImportImageCommand({ DiskContainers: [{ Format: "vmdk", UserBucket: { S3Bucket: BUCKET, S3Key: "missing.vmdk" } }] })),
      {
        name: "InvalidParameter",
        status: 400,
      },
    );
    await expectAwsError(sim.ec2.send(new ImportSnapshotCommand({ DiskContainer: { Format: "raw", Url: "s3://no-such-bucket/disk.raw" } })), {
      name: "InvalidParameter",
      status: 400,
    });
    await put("disk.raw", "x");
    await expectAwsError(sim.ec2.send(new ImportImageCommand({ DiskContainers: [{ Format: "qcow2", Url: `s3://${BUCKET}/disk.raw` }] })), {
      name: "InvalidParameter",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new ImportImageCommand({ DiskContainers: [{ Url: `s3://${BUCKET}/disk.raw` }], DryRun: true })), {
      name: "DryRunOperation",
      status: 412,
    });
    expect((await sim.ec2.send(new DescribeImportImageTasksCommand({}))).ImportImageTasks).toEqual([]);
    await expectAwsError(sim.ec2.send(new DescribeImportImageTasksCommand({ ImportTaskIds: ["import-ami-0123456789abcdef0"] })), {
      name: "InvalidConversionTaskId.Malformed",
      status: 400,
    });
  });

  it("ImportSnapshot produces a snapshot of the disk's size; the SnapshotImported waiter completes", async () => {
    await put("big.raw", Buffer.alloc(5 * 1024 * 1024));
    const r = await sim.ec2.send(
      new ImportSnapshotCommand({
        Description: "data disk",
        DiskContainer: { Format: "RAW", UserBucket: { S3Bucket: BUCKET, S3Key: "big.raw" } },
        Encrypted: true,
      }),
    );
    expect(r.ImportTaskId).toMatch(/^import-snap-[0-9a-f]{17}$/);
    expect(r.SnapshotTaskDetail!.Status).toBe("active");
    await waitUntilSnapshotImported({ client: sim.ec2, ...W }, { ImportTaskIds: [r.ImportTaskId!] });
    const t = (await sim.ec2.send(new DescribeImportSnapshotTasksCommand({ ImportTaskIds: [r.ImportTaskId!] }))).ImportSnapshotTasks![0]!;
    expect(t.SnapshotTaskDetail).toMatchObject({ Status: "completed", Format: "RAW", DiskImageSize: 5 * 1024 * 1024, Encrypted: true });
    const snap = (await sim.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [t.SnapshotTaskDetail!.SnapshotId!] }))).Snapshots![0]!;
    expect(snap).toMatchObject({ VolumeSize: 1, Encrypted: true, State: "completed" });
  });
});

describe("VM export and AMI store/restore", () => {
  it("ExportImage writes the image to S3; importing that object gives back an equivalent AMI", async () => {
    const ami = await ownImage();
    const r = await sim.ec2.send(
      new ExportImageCommand({ ImageId: ami, DiskImageFormat: "VMDK", S3ExportLocation: { S3Bucket: BUCKET, S3Prefix: "exports/" }, Description: "out" }),
    );
    expect(r.ExportImageTaskId).toMatch(/^export-ami-[0-9a-f]{17}$/);
    const t = (await sim.ec2.send(new DescribeExportImageTasksCommand({ ExportImageTaskIds: [r.ExportImageTaskId!] }))).ExportImageTasks![0]!;
    expect(t).toMatchObject({ Status: "completed", ImageId: ami, S3ExportLocation: { S3Bucket: BUCKET, S3Prefix: "exports/" } });
    await expectAwsError(sim.ec2.send(new DescribeExportImageTasksCommand({ ExportImageTaskIds: ["export-ami-0123456789abcdef0"] })), {
      name: "InvalidExportTaskID.NotFound",
      status: 400,
    });
    const key = `exports/${r.ExportImageTaskId}.vmdk`;
    const obj = await sim.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(JSON.parse(await obj.Body!.transformToString()).sourceImageId).toBe(ami);

    const imp = await sim.ec2.send(new ImportImageCommand({ DiskContainers: [{ UserBucket: { S3Bucket: BUCKET, S3Key: key } }] }));
    const done = (await sim.ec2.send(new DescribeImportImageTasksCommand({ ImportTaskIds: [imp.ImportTaskId!] }))).ImportImageTasks![0]!;
    expect(done.SnapshotDetails!.map((x) => x.Format)).toEqual(["VMDK", "VMDK"]);
    const img = (await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [done.ImageId!] }))).Images![0]!;
    expect(img.BlockDeviceMappings!.map((b) => b.Ebs?.VolumeSize)).toEqual([8, 20]);

    await expectAwsError(sim.ec2.send(new ExportImageCommand({ ImageId: ami, DiskImageFormat: "RAW", S3ExportLocation: { S3Bucket: "no-such-bucket" } })), {
      name: "InvalidParameter",
      status: 400,
    });
    await expectAwsError(
      sim.ec2.send(new ExportImageCommand({ ImageId: "ami-0123456789abcdef0", DiskImageFormat: "RAW", S3ExportLocation: { S3Bucket: BUCKET } })),
      { name: "InvalidAMIID.NotFound", status: 400 },
    );
  });

  it("CreateStoreImageTask stores the AMI as <ami>.bin; CreateRestoreImageTask restores it under a new name", async () => {
    const ami = await ownImage();
    const r = await sim.ec2.send(new CreateStoreImageTaskCommand({ ImageId: ami, Bucket: BUCKET, S3ObjectTags: [{ Key: "k", Value: "v" }] }));
    expect(r.ObjectKey).toBe(`${ami}.bin`);
    await waitUntilStoreImageTaskComplete({ client: sim.ec2, ...W }, { ImageIds: [ami] });
    const tasks = await sim.ec2.send(new DescribeStoreImageTasksCommand({ Filters: [{ Name: "bucket", Values: [BUCKET] }] }));
    expect(tasks.StoreImageTaskResults!.map((x) => [x.AmiId, x.S3objectKey, x.StoreTaskState, x.ProgressPercentage])).toEqual([
      [ami, `${ami}.bin`, "Completed", 100],
    ]);
    const tagging = await sim.s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: r.ObjectKey! }));
    expect(tagging.TagSet).toEqual([{ Key: "k", Value: "v" }]);

    await expectAwsError(sim.ec2.send(new CreateRestoreImageTaskCommand({ Bucket: BUCKET, ObjectKey: r.ObjectKey! })), {
      name: "InvalidAMIName.Duplicate",
      status: 400,
    });
    const restored = await sim.ec2.send(
      new CreateRestoreImageTaskCommand({
        Bucket: BUCKET,
        ObjectKey: r.ObjectKey!,
        Name: "web-restored",
        TagSpecifications: [{ ResourceType: "image", Tags: [{ Key: "restored", Value: "yes" }] }],
      }),
    );
    const img = (await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [restored.ImageId!] }))).Images![0]!;
    expect(img).toMatchObject({ Name: "web-restored", Description: "base image", State: "available", Tags: [{ Key: "restored", Value: "yes" }] });
    expect(img.BlockDeviceMappings!.map((b) => [b.DeviceName, b.Ebs?.VolumeSize])).toEqual([
      ["/dev/xvda", 8],
      ["/dev/sdf", 20],
    ]);
    await put("junk.bin", "not an ami");
    await expectAwsError(sim.ec2.send(new CreateRestoreImageTaskCommand({ Bucket: BUCKET, ObjectKey: "junk.bin" })), { name: "InvalidParameter", status: 400 });
    await expectAwsError(sim.ec2.send(new CreateStoreImageTaskCommand({ ImageId: ami, Bucket: "no-such-bucket" })), { name: "InvalidParameter", status: 400 });
  });

  it("with a transition delay, an import is active until the delay passes and can be cancelled", async () => {
    const slow = await startServer({ transitionDelayMs: 60_000 });
    try {
      const c2 = new EC2Client(clientConfig(slow));
      const s32 = new S3Client(clientConfig(slow, { forcePathStyle: true }));
      await s32.send(new CreateBucketCommand({ Bucket: BUCKET }));
      await s32.send(new PutObjectCommand({ Bucket: BUCKET, Key: "d.raw", Body: "disk" }));
      const r = await c2.send(new ImportImageCommand({ DiskContainers: [{ Url: `s3://${BUCKET}/d.raw` }] }));
      const t = (await c2.send(new DescribeImportImageTasksCommand({ ImportTaskIds: [r.ImportTaskId!] }))).ImportImageTasks![0]!;
      expect([t.Status, t.ImageId]).toEqual(["active", undefined]);
      const cancel = await c2.send(new CancelImportTaskCommand({ ImportTaskId: r.ImportTaskId!, CancelReason: "no longer needed" }));
      expect(cancel).toMatchObject({ ImportTaskId: r.ImportTaskId, PreviousState: "active", State: "deleting" });
      const after = (await c2.send(new DescribeImportImageTasksCommand({ ImportTaskIds: [r.ImportTaskId!] }))).ImportImageTasks![0]!;
      expect(after.Status).toBe("deleted");
      expect((await c2.send(new DescribeImagesCommand({ Owners: ["self"] }))).Images).toEqual([]);
    } finally {
      await slow.stop();
    }
  });

  it("CreateInstanceExportTask exports imported instances only; the ExportTaskCompleted waiter completes", async () => {
    const plain = (await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1 }))).Instances![0]!;
    const spec = { DiskImageFormat: "VMDK" as const, ContainerFormat: "ova" as const, S3Bucket: BUCKET, S3Prefix: "vms/" };
    await expectAwsError(
      sim.ec2.send(new CreateInstanceExportTaskCommand({ InstanceId: plain.InstanceId!, TargetEnvironment: "vmware", ExportToS3Task: spec })),
      {
        name: "NotExportable",
        status: 400,
        message: "Only imported instances can be exported.",
      },
    );
    await put("vm.vmdk", Buffer.alloc(100));
    const imp = await sim.ec2.send(new ImportImageCommand({ DiskContainers: [{ UserBucket: { S3Bucket: BUCKET, S3Key: "vm.vmdk" } }] }));
    const ami = (await sim.ec2.send(new DescribeImportImageTasksCommand({ ImportTaskIds: [imp.ImportTaskId!] }))).ImportImageTasks![0]!.ImageId!;
    const i = (await sim.ec2.send(new RunInstancesCommand({ ImageId: ami, MinCount: 1, MaxCount: 1 }))).Instances![0]!;
    const r = await sim.ec2.send(
      new CreateInstanceExportTaskCommand({ InstanceId: i.InstanceId!, TargetEnvironment: "vmware", ExportToS3Task: spec, Description: "to vmware" }),
    );
    const id = r.ExportTask!.ExportTaskId!;
    expect(id).toMatch(/^export-i-[0-9a-f]{17}$/);
    expect(r.ExportTask).toMatchObject({ State: "active", InstanceExportDetails: { InstanceId: i.InstanceId, TargetEnvironment: "vmware" } });
    await waitUntilExportTaskCompleted({ client: sim.ec2, ...W }, { ExportTaskIds: [id] });
    const t = (await sim.ec2.send(new DescribeExportTasksCommand({ ExportTaskIds: [id] }))).ExportTasks![0]!;
    expect(t.ExportToS3Task).toEqual({ ContainerFormat: "ova", DiskImageFormat: "VMDK", S3Bucket: BUCKET, S3Key: `vms/${id}.ova` });
    expect((await sim.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `vms/${id}.ova` }))).ContentLength).toBeGreaterThan(0);
    await expectAwsError(sim.ec2.send(new CancelExportTaskCommand({ ExportTaskId: id })), { name: "IncorrectState", status: 400 });
    await expectAwsError(sim.ec2.send(new DescribeExportTasksCommand({ ExportTaskIds: ["export-i-0123456789abcdef0"] })), {
      name: "InvalidExportTaskID.NotFound",
      status: 400,
    });
  });

  it("ImportVolume reads the manifest from S3 and creates the volume; conversion tasks and bundle tasks are listed", async () => {
    await put("manifests/disk.xml", "<manifest/>");
    const r = await sim.ec2.send(
      new ImportVolumeCommand({
        AvailabilityZone: "us-east-1c",
        Image: { Format: "RAW", Bytes: 1024 ** 3, ImportManifestUrl: `${sim.server.url}/${BUCKET}/manifests/disk.xml?X-Amz-Expires=3600` },
        Volume: { Size: 2 },
        Description: "legacy disk",
      }),
    );
    const id = r.ConversionTask!.ConversionTaskId!;
    expect(r.ConversionTask!.State).toBe("active");
    await waitUntilConversionTaskCompleted({ client: sim.ec2, ...W }, { ConversionTaskIds: [id] });
    const t = (await sim.ec2.send(new DescribeConversionTasksCommand({ ConversionTaskIds: [id] }))).ConversionTasks![0]!;
    expect(t.ImportVolume).toMatchObject({
      AvailabilityZone: "us-east-1c",
      Description: "legacy disk",
      BytesConverted: 1024 ** 3,
      Image: { Format: "RAW", Size: 1024 ** 3 },
    });
    const vol = (await sim.ec2.send(new DescribeVolumesCommand({ VolumeIds: [t.ImportVolume!.Volume!.Id!] }))).Volumes![0]!;
    expect([vol.Size, vol.AvailabilityZone, vol.State]).toEqual([2, "us-east-1c", "available"]);
    await expectAwsError(
      sim.ec2.send(
        new ImportVolumeCommand({
          AvailabilityZone: "us-east-1a",
          Image: { Format: "RAW", Bytes: 10, ImportManifestUrl: `https://${BUCKET}.s3.amazonaws.com/nope.xml` },
          Volume: { Size: 1 },
        }),
      ),
      { name: "InvalidParameter", status: 400 },
    );
    expect((await sim.ec2.send(new DescribeBundleTasksCommand({}))).BundleTasks).toEqual([]);
    await expectAwsError(sim.ec2.send(new CancelBundleTaskCommand({ BundleId: "bun-12345678" })), { name: "InvalidBundleID.NotFound", status: 400 });
  });

  it("with a transition delay, exports and conversions can be cancelled while active", async () => {
    const slow = await startServer({ transitionDelayMs: 60_000 });
    try {
      const c2 = new EC2Client(clientConfig(slow));
      const s32 = new S3Client(clientConfig(slow, { forcePathStyle: true }));
      await s32.send(new CreateBucketCommand({ Bucket: BUCKET }));
      const i = (await c2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1 }))).Instances![0]!;
      const ami = (await c2.send(new CreateImageCommand({ InstanceId: i.InstanceId!, Name: "slow-image" }))).ImageId!;
      const ex = await c2.send(new ExportImageCommand({ ImageId: ami, DiskImageFormat: "RAW", S3ExportLocation: { S3Bucket: BUCKET } }));
      await c2.send(new CancelExportTaskCommand({ ExportTaskId: ex.ExportImageTaskId! }));
      const t = (await c2.send(new DescribeExportImageTasksCommand({ ExportImageTaskIds: [ex.ExportImageTaskId!] }))).ExportImageTasks![0]!;
      expect(t.Status).toBe("deleted");
      await expectAwsError(s32.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${ex.ExportImageTaskId}.raw` })), { name: "NotFound", status: 404 });

      await s32.send(new PutObjectCommand({ Bucket: BUCKET, Key: "m.xml", Body: "<manifest/>" }));
      const cv = await c2.send(
        new ImportVolumeCommand({
          AvailabilityZone: "us-east-1a",
          Image: { Format: "VMDK", Bytes: 5, ImportManifestUrl: `s3://${BUCKET}/m.xml` },
          Volume: { Size: 1 },
        }),
      );
      await c2.send(new CancelConversionTaskCommand({ ConversionTaskId: cv.ConversionTask!.ConversionTaskId!, ReasonMessage: "changed my mind" }));
      const after = (await c2.send(new DescribeConversionTasksCommand({}))).ConversionTasks![0]!;
      expect([after.State, after.StatusMessage]).toEqual(["cancelled", "changed my mind"]);
      await expectAwsError(c2.send(new CancelConversionTaskCommand({ ConversionTaskId: cv.ConversionTask!.ConversionTaskId! })), {
        name: "DeleteConversionTaskError",
        status: 400,
      });
    } finally {
      await slow.stop();
    }
  });
});
