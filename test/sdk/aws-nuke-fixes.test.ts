/**
 * Regressions found by running aws-nuke against awsim (test/cli/aws-nuke.test.ts), each with the JS SDK: what
 * aws-nuke's delete-then-list-again loop needs to see as AWS shows it.
 */
import * as ec2sdk from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const t = useServer({ reset: true }, (cfg) => ({ ec2: new ec2sdk.EC2Client(cfg) }));

describe("EC2", () => {
  it("a deleted default DHCP options set stays deleted; CreateVpc makes a new one", async () => {
    const { ec2 } = t;
    const all = async () => ((await ec2.send(new ec2sdk.DescribeDhcpOptionsCommand({}))).DhcpOptions ?? []).map((d) => d.DhcpOptionsId);
    const [dflt] = await all();
    expect(dflt).toMatch(/^dopt-/);
    const vpc = (await ec2.send(new ec2sdk.DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }))).Vpcs![0]!;
    expect(vpc.DhcpOptionsId).toBe(dflt);
    await ec2.send(new ec2sdk.AssociateDhcpOptionsCommand({ VpcId: vpc.VpcId, DhcpOptionsId: "default" }));
    await ec2.send(new ec2sdk.DeleteDhcpOptionsCommand({ DhcpOptionsId: dflt }));
    expect(await all()).toEqual([]);
    expect(await all()).toEqual([]);
    await expect(ec2.send(new ec2sdk.DescribeDhcpOptionsCommand({ DhcpOptionsIds: [dflt!] }))).rejects.toMatchObject({
      name: "InvalidDhcpOptionID.NotFound",
    });

    const created = (await ec2.send(new ec2sdk.CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }))).Vpc!;
    const [again, ...rest] = await all();
    expect(rest).toEqual([]);
    expect(again).not.toBe(dflt);
    expect(created.DhcpOptionsId).toBe(again);
    const set = (await ec2.send(new ec2sdk.DescribeDhcpOptionsCommand({ DhcpOptionsIds: [again!] }))).DhcpOptions![0]!;
    expect(set.DhcpConfigurations?.map((c) => [c.Key, c.Values?.map((v) => v.Value)])).toEqual([
      ["domain-name", ["ec2.internal"]],
      ["domain-name-servers", ["AmazonProvidedDNS"]],
    ]);
  });

  it("detaching an attachment that no longer exists: InvalidAttachmentID.NotFound in AWS's words", async () => {
    const { ec2 } = t;
    const image = (await ec2.send(new ec2sdk.DescribeImagesCommand({ Owners: ["amazon"], MaxResults: 5 }))).Images![0]!.ImageId!;
    const vpc = (await ec2.send(new ec2sdk.CreateVpcCommand({ CidrBlock: "10.7.0.0/16" }))).Vpc!.VpcId!;
    const subnet = (await ec2.send(new ec2sdk.CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.7.1.0/24" }))).Subnet!.SubnetId!;
    const inst = (await ec2.send(new ec2sdk.RunInstancesCommand({ ImageId: image, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, SubnetId: subnet })))
      .Instances![0]!.InstanceId!;
    const eni = (await ec2.send(new ec2sdk.CreateNetworkInterfaceCommand({ SubnetId: subnet }))).NetworkInterface!.NetworkInterfaceId!;
    const att = (await ec2.send(new ec2sdk.AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni, InstanceId: inst, DeviceIndex: 1 }))).AttachmentId!;
    // The instance goes, the interface (not deleted on termination) stays, its attachment is gone.
    await ec2.send(new ec2sdk.TerminateInstancesCommand({ InstanceIds: [inst] }));
    await expectAwsError(ec2.send(new ec2sdk.DetachNetworkInterfaceCommand({ AttachmentId: att, Force: true })), {
      name: "InvalidAttachmentID.NotFound",
      status: 400,
      message: `The interface attachment '${att}' does not exist.`,
    });
    await ec2.send(new ec2sdk.DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni }));
  });

  it("deleting a network interface disassociates its Elastic IP, which can then be released", async () => {
    const { ec2 } = t;
    const vpc = (await ec2.send(new ec2sdk.CreateVpcCommand({ CidrBlock: "10.8.0.0/16" }))).Vpc!.VpcId!;
    const subnet = (await ec2.send(new ec2sdk.CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.8.1.0/24" }))).Subnet!.SubnetId!;
    const eni = (await ec2.send(new ec2sdk.CreateNetworkInterfaceCommand({ SubnetId: subnet }))).NetworkInterface!.NetworkInterfaceId!;
    const alloc = (await ec2.send(new ec2sdk.AllocateAddressCommand({ Domain: "vpc" }))).AllocationId!;
    await ec2.send(new ec2sdk.AssociateAddressCommand({ AllocationId: alloc, NetworkInterfaceId: eni }));
    const address = async () => (await ec2.send(new ec2sdk.DescribeAddressesCommand({ AllocationIds: [alloc] }))).Addresses![0]!;
    expect(await address()).toMatchObject({ NetworkInterfaceId: eni, AssociationId: expect.stringMatching(/^eipassoc-/) });
    await expect(ec2.send(new ec2sdk.ReleaseAddressCommand({ AllocationId: alloc }))).rejects.toMatchObject({ name: "InvalidIPAddress.InUse" });

    await ec2.send(new ec2sdk.DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni }));
    const after = await address();
    expect([after.AssociationId, after.NetworkInterfaceId, after.PrivateIpAddress, after.InstanceId]).toEqual([undefined, undefined, undefined, undefined]);
    await ec2.send(new ec2sdk.ReleaseAddressCommand({ AllocationId: alloc }));
    expect((await ec2.send(new ec2sdk.DescribeAddressesCommand({}))).Addresses).toEqual([]);
  });
});
