import {
  CreateAccessPointCommand,
  CreateFileSystemCommand,
  CreateMountTargetCommand,
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  DescribeAccessPointsCommand,
  DescribeFileSystemsCommand,
  DescribeLifecycleConfigurationCommand,
  DescribeMountTargetsCommand,
  EFSClient,
  ListTagsForResourceCommand,
  PutLifecycleConfigurationCommand,
  TagResourceCommand,
  paginateDescribeFileSystems,
} from "@aws-sdk/client-efs";
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({}, (cfg) => ({ efs: new EFSClient(cfg), ec2: new EC2Client(cfg) }));

describe("EFS", () => {
  it("file systems: create (idempotency token), describe, paginate, tags, lifecycle, delete rules", async () => {
    const fs = await sim.efs.send(
      new CreateFileSystemCommand({ CreationToken: "tok-1", PerformanceMode: "generalPurpose", Encrypted: true, Tags: [{ Key: "Name", Value: "data" }] }),
    );
    expect(fs.FileSystemId).toMatch(/^fs-[0-9a-f]{17}$/);
    expect(fs.FileSystemArn).toBe(`arn:aws:elasticfilesystem:us-east-1:000000000000:file-system/${fs.FileSystemId}`);
    expect(fs.Name).toBe("data");
    expect(fs.CreationTime).toBeInstanceOf(Date);
    await expectAwsError(sim.efs.send(new CreateFileSystemCommand({ CreationToken: "tok-1" })), { name: "FileSystemAlreadyExists", status: 409 });
    for (let i = 2; i <= 4; i++) await sim.efs.send(new CreateFileSystemCommand({ CreationToken: `tok-${i}` }));
    const ids: string[] = [];
    for await (const p of paginateDescribeFileSystems({ client: sim.efs, pageSize: 2 }, {})) ids.push(...p.FileSystems!.map((f) => f.FileSystemId!));
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
    const one = await sim.efs.send(new DescribeFileSystemsCommand({ FileSystemId: fs.FileSystemId }));
    expect(one.FileSystems![0]!.LifeCycleState).toBe("available");
    await sim.efs.send(new TagResourceCommand({ ResourceId: fs.FileSystemId, Tags: [{ Key: "team", Value: "core" }] }));
    expect((await sim.efs.send(new ListTagsForResourceCommand({ ResourceId: fs.FileSystemId }))).Tags).toEqual([
      { Key: "Name", Value: "data" },
      { Key: "team", Value: "core" },
    ]);
    await sim.efs.send(new PutLifecycleConfigurationCommand({ FileSystemId: fs.FileSystemId, LifecyclePolicies: [{ TransitionToIA: "AFTER_30_DAYS" }] }));
    expect((await sim.efs.send(new DescribeLifecycleConfigurationCommand({ FileSystemId: fs.FileSystemId }))).LifecyclePolicies).toEqual([
      { TransitionToIA: "AFTER_30_DAYS" },
    ]);
    await expectAwsError(sim.efs.send(new DescribeFileSystemsCommand({ FileSystemId: "fs-0123456789abcdef0" })), { name: "FileSystemNotFound", status: 404 });
  });

  it("mount targets (one per zone, in EC2 subnets), access points, FileSystemInUse", async () => {
    const fs = await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "mt" }));
    const subnets = (await sim.ec2.send(new DescribeSubnetsCommand({}))).Subnets!;
    const mt = await sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs.FileSystemId, SubnetId: subnets[0]!.SubnetId, SecurityGroups: [] }));
    expect(mt.MountTargetId).toMatch(/^fsmt-/);
    expect(mt.AvailabilityZoneName).toBe(subnets[0]!.AvailabilityZone);
    await expectAwsError(sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs.FileSystemId, SubnetId: subnets[0]!.SubnetId })), {
      name: "MountTargetConflict",
      status: 409,
    });
    await expectAwsError(sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs.FileSystemId, SubnetId: "subnet-0123456789abcdef0" })), {
      name: "SubnetNotFound",
      status: 400,
    });
    expect((await sim.efs.send(new DescribeMountTargetsCommand({ FileSystemId: fs.FileSystemId }))).MountTargets!.map((m) => m.MountTargetId)).toEqual([
      mt.MountTargetId,
    ]);
    const ap = await sim.efs.send(new CreateAccessPointCommand({ FileSystemId: fs.FileSystemId, ClientToken: "ap", RootDirectory: { Path: "/data" } }));
    expect((await sim.efs.send(new DescribeAccessPointsCommand({ FileSystemId: fs.FileSystemId }))).AccessPoints![0]!.AccessPointId).toBe(ap.AccessPointId);
    await expectAwsError(sim.efs.send(new DeleteFileSystemCommand({ FileSystemId: fs.FileSystemId })), { name: "FileSystemInUse", status: 409 });
    await sim.efs.send(new DeleteMountTargetCommand({ MountTargetId: mt.MountTargetId }));
    await sim.efs.send(new DeleteFileSystemCommand({ FileSystemId: fs.FileSystemId }));
  });
  it("mount target IpAddressType: DUAL_STACK takes an IPv6 address of a dual-stack subnet; IPv6 without an IPv6 subnet is refused", async () => {
    const ec2 = sim.ec2;
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.77.0.0/16", AmazonProvidedIpv6CidrBlock: true }))).Vpc!.VpcId!;
    const block = (await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpc] }))).Vpcs![0]!.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock!;
    const six = block.replace(/::\/56$/, "::/64");
    const dual = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.77.1.0/24", Ipv6CidrBlock: six }))).Subnet!.SubnetId!;
    const v4 = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.77.2.0/24" }))).Subnet!.SubnetId!;
    const fs = (await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "dual-stack" }))).FileSystemId!;
    await expectAwsError(sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: v4, IpAddressType: "DUAL_STACK" })), {
      name: "BadRequest",
      status: 400,
    });
    await expectAwsError(sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: dual, IpAddressType: "IPV6_ONLY" })), {
      name: "BadRequest",
      status: 400,
      message: "Creating IPv6 mount target only ENI in dual-stack subnet is not supported.",
    });
    const mt = await sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: dual, IpAddressType: "DUAL_STACK" }));
    expect(mt.IpAddress).toMatch(/^10\.77\.1\.\d+$/);
    expect(mt.Ipv6Address?.startsWith(six.replace(/::\/64$/, ":"))).toBe(true);
    const eni = (await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [mt.NetworkInterfaceId!] }))).NetworkInterfaces![0]!;
    expect(eni.Ipv6Addresses!.map((a) => a.Ipv6Address)).toEqual([mt.Ipv6Address]);
    const described = (await sim.efs.send(new DescribeMountTargetsCommand({ MountTargetId: mt.MountTargetId! }))).MountTargets![0]!;
    expect(described.Ipv6Address).toBe(mt.Ipv6Address);
    // Without IpAddressType, IPv4 only: no IPv6 address even in a dual-stack subnet.
    const fs2 = (await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "v4-only" }))).FileSystemId!;
    const plain = await sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs2, SubnetId: dual }));
    expect(plain.Ipv6Address).toBeUndefined();
  });
});
