/** EFS against AWS's documented examples (the aws CLI's efs/*.rst and botocore's examples-1.json): fields, defaults, formats, order. */
import {
  CreateFileSystemCommand,
  CreateMountTargetCommand,
  CreateTagsCommand,
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  DeleteTagsCommand,
  DescribeFileSystemsCommand,
  DescribeLifecycleConfigurationCommand,
  DescribeMountTargetSecurityGroupsCommand,
  DescribeMountTargetsCommand,
  DescribeTagsCommand,
  EFSClient,
  ListTagsForResourceCommand,
  ModifyMountTargetSecurityGroupsCommand,
  PutLifecycleConfigurationCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-efs";
import { CreateSecurityGroupCommand, DescribeSubnetsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const sim = useServer({ reset: true }, (cfg) => ({ efs: new EFSClient(cfg), ec2: new EC2Client(cfg) }));

describe("EFS documented examples", () => {
  it("create-file-system: creating, not yet metered (size 0, no Timestamp), whole-second CreationTime, the account's default KMS key", async () => {
    const fs = await sim.efs.send(
      new CreateFileSystemCommand({
        CreationToken: "console-d7f56c5f",
        PerformanceMode: "generalPurpose",
        ThroughputMode: "bursting",
        Encrypted: true,
        Tags: [{ Key: "Name", Value: "my-file-system" }],
      }),
    );
    expect(fs.LifeCycleState).toBe("creating");
    expect(fs.Name).toBe("my-file-system");
    expect(fs.NumberOfMountTargets).toBe(0);
    expect(fs.SizeInBytes).toEqual({ Value: 0, ValueInIA: 0, ValueInStandard: 0, ValueInArchive: 0 });
    expect(fs.CreationTime!.getTime() % 1000).toBe(0);
    expect(fs.Encrypted).toBe(true);
    expect(fs.KmsKeyId).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(fs.ThroughputMode).toBe("bursting");
    expect(fs.Tags).toEqual([{ Key: "Name", Value: "my-file-system" }]);

    // Every file system encrypted without a KmsKeyId uses the same AWS managed key (aws/elasticfilesystem).
    const other = await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "tokenstring", Encrypted: true, Backup: true }));
    expect(other.KmsKeyId).toBe(fs.KmsKeyId);
    const plain = await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "plain" }));
    expect(plain.Encrypted).toBe(false);
    expect(plain.KmsKeyId).toBeUndefined();
  });

  it("describe-file-systems: available, 6 KiB metered with the metering Timestamp in whole seconds", async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const { FileSystemId } = await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "d", Encrypted: true }));
    const [d] = (await sim.efs.send(new DescribeFileSystemsCommand({ FileSystemId }))).FileSystems!;
    expect(d!.LifeCycleState).toBe("available");
    expect(d!.SizeInBytes!.Value).toBe(6144);
    expect(d!.SizeInBytes!.ValueInStandard).toBe(6144);
    expect(d!.SizeInBytes!.ValueInIA).toBe(0);
    expect(d!.SizeInBytes!.Timestamp).toBeInstanceOf(Date);
    expect(d!.SizeInBytes!.Timestamp!.getTime() % 1000).toBe(0);
    expect(d!.SizeInBytes!.Timestamp!.getTime()).toBeGreaterThanOrEqual(before);
    expect(d!.CreationTime!.getTime() % 1000).toBe(0);
    // The Timestamp is the metering's, not the request's: an unchanged size keeps it.
    await new Promise((r) => setTimeout(r, 1100));
    const [again] = (await sim.efs.send(new DescribeFileSystemsCommand({ FileSystemId }))).FileSystems!;
    expect(again!.SizeInBytes).toEqual(d!.SizeInBytes);
  });

  it("tag-resource / describe-tags / list-tags-for-resource: tags listed in the order they were added", async () => {
    const { FileSystemId } = await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "t", Tags: [{ Key: "Name", Value: "my-file-system" }] }));
    await sim.efs.send(new TagResourceCommand({ ResourceId: FileSystemId, Tags: [{ Key: "Department", Value: "Business Intelligence" }] }));
    const want = [
      { Key: "Name", Value: "my-file-system" },
      { Key: "Department", Value: "Business Intelligence" },
    ];
    expect((await sim.efs.send(new DescribeTagsCommand({ FileSystemId }))).Tags).toEqual(want);
    expect((await sim.efs.send(new ListTagsForResourceCommand({ ResourceId: FileSystemId }))).Tags).toEqual(want);
    expect((await sim.efs.send(new DescribeFileSystemsCommand({ FileSystemId }))).FileSystems![0]!.Tags).toEqual(want);

    // Pages follow the same order.
    await sim.efs.send(new CreateTagsCommand({ FileSystemId, Tags: [{ Key: "A", Value: "1" }] }));
    const p1 = await sim.efs.send(new ListTagsForResourceCommand({ ResourceId: FileSystemId, MaxResults: 2 }));
    expect(p1.Tags!.map((t) => t.Key)).toEqual(["Name", "Department"]);
    const p2 = await sim.efs.send(new ListTagsForResourceCommand({ ResourceId: FileSystemId, MaxResults: 2, NextToken: p1.NextToken }));
    expect(p2.Tags!.map((t) => t.Key)).toEqual(["A"]);
    expect(p2.NextToken).toBeUndefined();

    await sim.efs.send(new UntagResourceCommand({ ResourceId: FileSystemId, TagKeys: ["Department"] }));
    await sim.efs.send(new DeleteTagsCommand({ FileSystemId, TagKeys: ["A"] }));
    expect((await sim.efs.send(new DescribeTagsCommand({ FileSystemId }))).Tags).toEqual([{ Key: "Name", Value: "my-file-system" }]);
  });

  it("create-mount-target / describe-mount-targets / security groups / lifecycle / deletes", async () => {
    const { FileSystemId } = await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "mt" }));
    const subnet = (await sim.ec2.send(new DescribeSubnetsCommand({}))).Subnets![0]!;
    const sg = await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "efs-mt", Description: "efs", VpcId: subnet.VpcId }));
    const { $metadata, ...mt } = await sim.efs.send(new CreateMountTargetCommand({ FileSystemId, SubnetId: subnet.SubnetId, SecurityGroups: [sg.GroupId!] }));
    expect($metadata.httpStatusCode).toBe(200);
    expect(mt).toMatchObject({
      OwnerId: "000000000000",
      FileSystemId,
      SubnetId: subnet.SubnetId,
      LifeCycleState: "creating",
      AvailabilityZoneId: subnet.AvailabilityZoneId,
      AvailabilityZoneName: subnet.AvailabilityZone,
      VpcId: subnet.VpcId,
    });
    expect(mt.MountTargetId).toMatch(/^fsmt-[0-9a-f]{17}$/);
    expect(mt.NetworkInterfaceId).toMatch(/^eni-[0-9a-f]{17}$/);
    expect(mt.IpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

    const described = (await sim.efs.send(new DescribeMountTargetsCommand({ MountTargetId: mt.MountTargetId }))).MountTargets!;
    expect(described).toEqual([{ ...mt, LifeCycleState: "available" }]);
    expect((await sim.efs.send(new DescribeFileSystemsCommand({ FileSystemId }))).FileSystems![0]!.NumberOfMountTargets).toBe(1);
    expect((await sim.efs.send(new DescribeMountTargetSecurityGroupsCommand({ MountTargetId: mt.MountTargetId }))).SecurityGroups).toEqual([sg.GroupId]);
    const sg2 = await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "efs-mt2", Description: "efs", VpcId: subnet.VpcId }));
    await sim.efs.send(new ModifyMountTargetSecurityGroupsCommand({ MountTargetId: mt.MountTargetId, SecurityGroups: [sg2.GroupId!] }));
    expect((await sim.efs.send(new DescribeMountTargetSecurityGroupsCommand({ MountTargetId: mt.MountTargetId }))).SecurityGroups).toEqual([sg2.GroupId]);

    const put = await sim.efs.send(new PutLifecycleConfigurationCommand({ FileSystemId, LifecyclePolicies: [{ TransitionToIA: "AFTER_30_DAYS" }] }));
    expect(put.LifecyclePolicies).toEqual([{ TransitionToIA: "AFTER_30_DAYS" }]);
    expect((await sim.efs.send(new DescribeLifecycleConfigurationCommand({ FileSystemId }))).LifecyclePolicies).toEqual([{ TransitionToIA: "AFTER_30_DAYS" }]);

    const delMt = await sim.efs.send(new DeleteMountTargetCommand({ MountTargetId: mt.MountTargetId }));
    expect(delMt.$metadata.httpStatusCode).toBe(204);
    const delFs = await sim.efs.send(new DeleteFileSystemCommand({ FileSystemId }));
    expect(delFs.$metadata.httpStatusCode).toBe(204);
  });
});
