import { CreateSecurityGroupCommand, CreateVpcCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  CreateAccessPointCommand,
  CreateFileSystemCommand,
  CreateMountTargetCommand,
  CreateReplicationConfigurationCommand,
  CreateTagsCommand,
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  DeleteReplicationConfigurationCommand,
  DeleteTagsCommand,
  DescribeAccessPointsCommand,
  DescribeAccountPreferencesCommand,
  DescribeBackupPolicyCommand,
  DescribeFileSystemPolicyCommand,
  DescribeFileSystemsCommand,
  DescribeMountTargetSecurityGroupsCommand,
  DescribeMountTargetsCommand,
  DescribeReplicationConfigurationsCommand,
  EFSClient,
  ListTagsForResourceCommand,
  ModifyMountTargetSecurityGroupsCommand,
  PutAccountPreferencesCommand,
  PutBackupPolicyCommand,
  PutFileSystemPolicyCommand,
  PutLifecycleConfigurationCommand,
  UntagResourceCommand,
  UpdateFileSystemCommand,
  UpdateFileSystemProtectionCommand,
  paginateDescribeTags,
} from "@aws-sdk/client-efs";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const dataDir = mkdtempSync(join(tmpdir(), "awsim-efs-test-"));
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});
const sim = useServer({ dataDir }, (cfg) => ({ efs: new EFSClient(cfg), ec2: new EC2Client(cfg) }));

describe("EFS file system settings", () => {
  it("throughput, lifecycle rules, backup, policy, protection, tags", async () => {
    const fs = await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "settings" }));
    expect(fs).toMatchObject({ ThroughputMode: "bursting", LifeCycleState: "creating", FileSystemProtection: { ReplicationOverwriteProtection: "ENABLED" } });
    const id = fs.FileSystemId!;
    await expectAwsError(sim.efs.send(new CreateFileSystemCommand({ CreationToken: "x1", ThroughputMode: "provisioned" })), {
      name: "BadRequest",
      status: 400,
    });
    const up = await sim.efs.send(new UpdateFileSystemCommand({ FileSystemId: id, ThroughputMode: "provisioned", ProvisionedThroughputInMibps: 64 }));
    expect(up).toMatchObject({ ThroughputMode: "provisioned", ProvisionedThroughputInMibps: 64 });
    expect(up.$metadata.httpStatusCode).toBe(202);

    await expectAwsError(
      sim.efs.send(
        new PutLifecycleConfigurationCommand({
          FileSystemId: id,
          LifecyclePolicies: [{ TransitionToIA: "AFTER_30_DAYS", TransitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
        }),
      ),
      { name: "BadRequest", status: 400 },
    );
    await expectAwsError(
      sim.efs.send(new PutLifecycleConfigurationCommand({ FileSystemId: id, LifecyclePolicies: [{ TransitionToArchive: "AFTER_90_DAYS" }] })),
      {
        name: "BadRequest",
        status: 400,
      },
    );
    // One throughput mode change in 24 hours (knowledge-center/efs-max-throughput-mode-changes): a day later.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 25 * 3_600_000);
    await sim.efs.send(new UpdateFileSystemCommand({ FileSystemId: id, ThroughputMode: "elastic" }));
    vi.useRealTimers();
    const lc = await sim.efs.send(
      new PutLifecycleConfigurationCommand({
        FileSystemId: id,
        LifecyclePolicies: [{ TransitionToIA: "AFTER_30_DAYS" }, { TransitionToArchive: "AFTER_90_DAYS" }],
      }),
    );
    expect(lc.LifecyclePolicies).toEqual([{ TransitionToIA: "AFTER_30_DAYS" }, { TransitionToArchive: "AFTER_90_DAYS" }]);

    await expectAwsError(sim.efs.send(new DescribeBackupPolicyCommand({ FileSystemId: id })), { name: "PolicyNotFound", status: 404 });
    await sim.efs.send(new PutBackupPolicyCommand({ FileSystemId: id, BackupPolicy: { Status: "ENABLED" } }));
    expect((await sim.efs.send(new DescribeBackupPolicyCommand({ FileSystemId: id }))).BackupPolicy).toEqual({ Status: "ENABLED" });
    const oneZone = await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "onezone", AvailabilityZoneName: "us-east-1a" }));
    expect(oneZone.AvailabilityZoneId).toBe("use1-az1");
    expect((await sim.efs.send(new DescribeBackupPolicyCommand({ FileSystemId: oneZone.FileSystemId }))).BackupPolicy).toEqual({ Status: "ENABLED" });

    await expectAwsError(sim.efs.send(new DescribeFileSystemPolicyCommand({ FileSystemId: id })), { name: "PolicyNotFound", status: 404 });
    await expectAwsError(sim.efs.send(new PutFileSystemPolicyCommand({ FileSystemId: id, Policy: "not json" })), {
      name: "InvalidPolicyException",
      status: 400,
    });

    await expectAwsError(sim.efs.send(new UpdateFileSystemProtectionCommand({ FileSystemId: id, ReplicationOverwriteProtection: "REPLICATING" })), {
      name: "BadRequest",
      status: 400,
    });
    expect(
      (await sim.efs.send(new UpdateFileSystemProtectionCommand({ FileSystemId: id, ReplicationOverwriteProtection: "DISABLED" })))
        .ReplicationOverwriteProtection,
    ).toBe("DISABLED");

    await sim.efs.send(new CreateTagsCommand({ FileSystemId: id, Tags: ["c", "a", "b", "Name"].map((k) => ({ Key: k, Value: k.toUpperCase() })) }));
    const keys: string[] = [];
    for await (const p of paginateDescribeTags({ client: sim.efs, pageSize: 2 }, { FileSystemId: id })) keys.push(...p.Tags!.map((t) => t.Key!));
    expect(keys).toEqual(["c", "a", "b", "Name"]); // in the order added, as AWS's examples list them
    expect((await sim.efs.send(new DescribeFileSystemsCommand({ FileSystemId: id }))).FileSystems![0]!.Name).toBe("NAME");
    await sim.efs.send(new DeleteTagsCommand({ FileSystemId: id, TagKeys: ["a"] }));
    await sim.efs.send(new UntagResourceCommand({ ResourceId: id, TagKeys: ["b", "c"] }));
    const listed = await sim.efs.send(new ListTagsForResourceCommand({ ResourceId: id, MaxResults: 1 }));
    expect(listed.Tags).toEqual([{ Key: "Name", Value: "NAME" }]);
    expect(listed.NextToken).toBeUndefined();
  });

  it("account preferences choose the id length", async () => {
    expect((await sim.efs.send(new DescribeAccountPreferencesCommand({}))).ResourceIdPreference).toEqual({
      ResourceIdType: "LONG_ID",
      Resources: ["FILE_SYSTEM", "MOUNT_TARGET"],
    });
    const short = new EFSClient(clientConfig(sim.server, { region: "eu-west-1" }));
    await short.send(new PutAccountPreferencesCommand({ ResourceIdType: "SHORT_ID" }));
    expect((await short.send(new CreateFileSystemCommand({ CreationToken: "short" }))).FileSystemId).toMatch(/^fs-[0-9a-f]{8}$/);
    expect((await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "long" }))).FileSystemId).toMatch(/^fs-[0-9a-f]{17}$/);
  });
});

describe("EFS replication", () => {
  it("to a new file system in another region, and to an existing one with protection disabled", async () => {
    const src = (await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "repl-src", ThroughputMode: "elastic" }))).FileSystemId!;
    const created = await sim.efs.send(new CreateReplicationConfigurationCommand({ SourceFileSystemId: src, Destinations: [{ Region: "us-west-2" }] }));
    expect(created).toMatchObject({ SourceFileSystemId: src, SourceFileSystemRegion: "us-east-1", SourceFileSystemOwnerId: "000000000000" });
    const dest = created.Destinations![0]!;
    expect(dest).toMatchObject({ Region: "us-west-2", Status: "ENABLING" });
    const west = new EFSClient(clientConfig(sim.server, { region: "us-west-2" }));
    const dfs = (await west.send(new DescribeFileSystemsCommand({ FileSystemId: dest.FileSystemId }))).FileSystems![0]!;
    expect(dfs).toMatchObject({ Encrypted: true, ThroughputMode: "elastic", FileSystemProtection: { ReplicationOverwriteProtection: "REPLICATING" } });
    expect(
      (await west.send(new DescribeReplicationConfigurationsCommand({ FileSystemId: dest.FileSystemId }))).Replications![0]!.Destinations![0]!.Status,
    ).toBe("ENABLED");
    await expectAwsError(west.send(new UpdateFileSystemProtectionCommand({ FileSystemId: dest.FileSystemId, ReplicationOverwriteProtection: "ENABLED" })), {
      name: "ReplicationAlreadyExists",
      status: 409,
    });
    await expectAwsError(sim.efs.send(new CreateReplicationConfigurationCommand({ SourceFileSystemId: src, Destinations: [{ Region: "eu-west-1" }] })), {
      name: "ConflictException",
      status: 409,
    });
    await expectAwsError(sim.efs.send(new DeleteFileSystemCommand({ FileSystemId: src })), { name: "FileSystemInUse", status: 409 });
    await sim.efs.send(new DeleteReplicationConfigurationCommand({ SourceFileSystemId: src }));
    await expectAwsError(sim.efs.send(new DescribeReplicationConfigurationsCommand({ FileSystemId: src })), { name: "ReplicationNotFound", status: 404 });
    expect((await west.send(new DescribeFileSystemsCommand({ FileSystemId: dest.FileSystemId }))).FileSystems![0]!.FileSystemProtection).toEqual({
      ReplicationOverwriteProtection: "ENABLED",
    });

    const existing = (await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "repl-existing" }))).FileSystemId!;
    await expectAwsError(sim.efs.send(new CreateReplicationConfigurationCommand({ SourceFileSystemId: src, Destinations: [{ FileSystemId: existing }] })), {
      name: "ConflictException",
      status: 409,
    });
    await sim.efs.send(new UpdateFileSystemProtectionCommand({ FileSystemId: existing, ReplicationOverwriteProtection: "DISABLED" }));
    await sim.efs.send(new CreateReplicationConfigurationCommand({ SourceFileSystemId: src, Destinations: [{ FileSystemId: existing }] }));
    const all = await sim.efs.send(new DescribeReplicationConfigurationsCommand({}));
    expect(all.Replications!.map((r) => [r.SourceFileSystemId, r.Destinations![0]!.FileSystemId])).toEqual([[src, existing]]);
    await sim.efs.send(new DeleteReplicationConfigurationCommand({ SourceFileSystemId: src }));
  });
});

describe("EFS mount targets, access points, directories", () => {
  it("security groups from EC2, IPs from the subnet, access point filters, a real directory per file system", async () => {
    const fs = (await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "net" }))).FileSystemId!;
    const subnets = (await sim.ec2.send(new DescribeSubnetsCommand({}))).Subnets!;
    const vpcId = subnets[0]!.VpcId!;
    const sg = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "efs-sg", Description: "efs", VpcId: vpcId }))).GroupId!;
    const otherVpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }))).Vpc!.VpcId!;
    const foreign = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "other", Description: "x", VpcId: otherVpc }))).GroupId!;
    await expectAwsError(sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: subnets[0]!.SubnetId, SecurityGroups: [foreign] })), {
      name: "SecurityGroupNotFound",
      status: 400,
    });
    const mt = await sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: subnets[0]!.SubnetId }));
    expect(mt.VpcId).toBe(vpcId);
    const defaultSg = (await sim.efs.send(new DescribeMountTargetSecurityGroupsCommand({ MountTargetId: mt.MountTargetId }))).SecurityGroups!;
    expect(defaultSg).toHaveLength(1);
    await sim.efs.send(new ModifyMountTargetSecurityGroupsCommand({ MountTargetId: mt.MountTargetId, SecurityGroups: [sg] }));
    expect((await sim.efs.send(new DescribeMountTargetSecurityGroupsCommand({ MountTargetId: mt.MountTargetId }))).SecurityGroups).toEqual([sg]);
    await expectAwsError(
      sim.efs.send(new ModifyMountTargetSecurityGroupsCommand({ MountTargetId: mt.MountTargetId, SecurityGroups: ["sg-0123456789abcdef0"] })),
      {
        name: "SecurityGroupNotFound",
        status: 400,
      },
    );
    const fs2 = (await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "net2" }))).FileSystemId!;
    await expectAwsError(sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs2, SubnetId: subnets[0]!.SubnetId, IpAddress: mt.IpAddress })), {
      name: "IpAddressInUse",
      status: 409,
    });
    await expectAwsError(sim.efs.send(new DescribeMountTargetsCommand({})), { name: "BadRequest", status: 400 });

    const ap = await sim.efs.send(
      new CreateAccessPointCommand({ FileSystemId: fs, ClientToken: "ap-1", RootDirectory: { Path: "/shared" }, PosixUser: { Uid: 1000, Gid: 1000 } }),
    );
    await expectAwsError(sim.efs.send(new CreateAccessPointCommand({ FileSystemId: fs, ClientToken: "ap-1" })), {
      name: "AccessPointAlreadyExists",
      status: 409,
    });
    expect((await sim.efs.send(new DescribeMountTargetsCommand({ AccessPointId: ap.AccessPointId }))).MountTargets!.map((m) => m.MountTargetId)).toEqual([
      mt.MountTargetId,
    ]);
    await expectAwsError(sim.efs.send(new DescribeAccessPointsCommand({ FileSystemId: fs, AccessPointId: ap.AccessPointId })), {
      name: "BadRequest",
      status: 400,
    });

    // The directory behind the file system (under the data dir): what a writer puts there is what the file system meters.
    const dir = join(dataDir, "efs", "000000000000", "us-east-1", fs, "shared");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "data.bin"), Buffer.alloc(100_000));
    const size = (await sim.efs.send(new DescribeFileSystemsCommand({ FileSystemId: fs }))).FileSystems![0]!.SizeInBytes!.Value!;
    expect(size).toBeGreaterThanOrEqual(100_000);
    await expectAwsError(sim.efs.send(new DeleteFileSystemCommand({ FileSystemId: fs })), { name: "FileSystemInUse", status: 409 });
    expect((await sim.ec2.send(new DescribeVpcsCommand({ VpcIds: [otherVpc] }))).Vpcs).toHaveLength(1);
    await sim.efs.send(new DeleteMountTargetCommand({ MountTargetId: mt.MountTargetId }));
    await sim.efs.send(new DeleteFileSystemCommand({ FileSystemId: fs }));
    expect(existsSync(dir)).toBe(false);
  });
});
