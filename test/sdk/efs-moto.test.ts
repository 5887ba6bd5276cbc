/**
 * EFS scenarios of the kind public boto3 suites replay (file systems, mount targets, access points, policies,
 * tags), where awsim differed from AWS. Each assertion names where the AWS fact comes from. Real
 * @aws-sdk/client-efs and @aws-sdk/client-ec2.
 */
import { CreateSecurityGroupCommand, DescribeNetworkInterfacesCommand, DescribeSubnetsCommand, EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import {
  CreateFileSystemCommand,
  CreateMountTargetCommand,
  DeleteMountTargetCommand,
  EFSClient,
  ModifyMountTargetSecurityGroupsCommand,
} from "@aws-sdk/client-efs";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const t = useServer({ reset: true }, (cfg) => ({ efs: new EFSClient(cfg), ec2: new EC2Client(cfg) }));

describe("mount targets", () => {
  // API reference, MountTargetDescription NetworkInterfaceId: "The ID of the network interface that Amazon EFS
  // created when it created the mount target." EC2 shows that interface, with the mount target's address and
  // security groups, until the mount target is deleted.
  it("the mount target's network interface is an EC2 interface with its address and groups", async () => {
    const { FileSystemId } = await t.efs.send(new CreateFileSystemCommand({ CreationToken: "eni" }));
    const subnet = (await t.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }))).Subnets![0]!;
    const mt = await t.efs.send(new CreateMountTargetCommand({ FileSystemId, SubnetId: subnet.SubnetId }));
    const eniOf = async () =>
      (await t.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "subnet-id", Values: [subnet.SubnetId!] }] }))).NetworkInterfaces ?? [];
    const [eni] = (await eniOf()).filter((n) => n.NetworkInterfaceId === mt.NetworkInterfaceId);
    expect(eni).toMatchObject({ PrivateIpAddress: mt.IpAddress, SubnetId: subnet.SubnetId, VpcId: mt.VpcId, RequesterManaged: true });
    expect(eni?.Description).toContain(mt.MountTargetId);

    const sg = await t.ec2.send(new CreateSecurityGroupCommand({ GroupName: "nfs", Description: "nfs", VpcId: mt.VpcId }));
    await t.efs.send(new ModifyMountTargetSecurityGroupsCommand({ MountTargetId: mt.MountTargetId, SecurityGroups: [sg.GroupId!] }));
    expect((await eniOf()).find((n) => n.NetworkInterfaceId === mt.NetworkInterfaceId)?.Groups?.map((g) => g.GroupId)).toEqual([sg.GroupId]);

    // The address is the interface's: an instance launched in the subnet gets another one.
    const run = await t.ec2.send(new RunInstancesCommand({ ImageId: "ami-12345678", MinCount: 1, MaxCount: 1, SubnetId: subnet.SubnetId }));
    expect(run.Instances?.[0]?.PrivateIpAddress).not.toBe(mt.IpAddress);

    await t.efs.send(new DeleteMountTargetCommand({ MountTargetId: mt.MountTargetId }));
    expect((await eniOf()).some((n) => n.NetworkInterfaceId === mt.NetworkInterfaceId)).toBe(false);
  });

  it("a requested address outside the subnet or among its reserved five is BadRequest; one inside is taken", async () => {
    const { FileSystemId } = await t.efs.send(new CreateFileSystemCommand({ CreationToken: "ips" }));
    const subnet = (await t.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }))).Subnets![0]!;
    const base = subnet.CidrBlock!.split("/")[0]!.split(".").map(Number);
    const at = (n: number) => [base[0], base[1], base[2], base[3]! + n].join(".");
    for (const IpAddress of ["192.0.2.10", at(1)])
      await expectAwsError(t.efs.send(new CreateMountTargetCommand({ FileSystemId, SubnetId: subnet.SubnetId, IpAddress })), {
        name: "BadRequest",
        status: 400,
        message: `IP address '${IpAddress}' is not in the subnet's available range.`,
      });
    const ok = await t.efs.send(new CreateMountTargetCommand({ FileSystemId, SubnetId: subnet.SubnetId, IpAddress: at(40) }));
    expect(ok.IpAddress).toBe(at(40));
  });
});
