/**
 * EFS mount targets in IPv6-only subnets (EC2 CreateSubnet Ipv6Native), as the CreateMountTarget API reference
 * documents IpAddressType: "IPV4_ONLY – Create mount target with IPv4 only subnet or dual-stack subnet. DUAL_STACK –
 * Create mount target with dual-stack subnet. IPV6_ONLY – Create mount target with IPv6 only subnet. Creating IPv6
 * mount target only ENI in dual-stack subnet is not supported." An IPV6_ONLY mount target answers "an IP address
 * (IpAddress or Ipv6Address)": its Ipv6Address only; its interface is requester-managed, with no IPv4 address.
 * AWS documents no message text for the refused combinations other than the dual-stack one; awsim's words are its own.
 */
import { CreateSubnetCommand, CreateVpcCommand, DescribeNetworkInterfacesCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CreateFileSystemCommand, CreateMountTargetCommand, DeleteMountTargetCommand, DescribeMountTargetsCommand, EFSClient } from "@aws-sdk/client-efs";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({}, (cfg) => ({ efs: new EFSClient(cfg), ec2: new EC2Client(cfg) }));

async function network(cidr: string) {
  const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: cidr, AmazonProvidedIpv6CidrBlock: true }))).Vpc!.VpcId!;
  const block = (await sim.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpc] }))).Vpcs![0]!.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock!;
  const six = (n: number) => block.replace(/00::\/56$/, `0${n}::/64`);
  const prefix = (n: number) => six(n).replace(/::\/64$/, ":");
  const v6only = async (n: number, az: string) =>
    (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, Ipv6Native: true, Ipv6CidrBlock: six(n), AvailabilityZone: az }))).Subnet!.SubnetId!;
  return { vpc, six, prefix, v6only };
}

describe("EFS mount targets in IPv6-only subnets", () => {
  it("IPV6_ONLY in an IPv6-only subnet: Ipv6Address and no IpAddress, in CreateMountTarget, DescribeMountTargets and the interface", async () => {
    const { vpc, prefix, v6only } = await network("10.61.0.0/16");
    const sub = await v6only(1, "us-east-1a");
    const fs = (await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "v6-only" }))).FileSystemId!;
    const mt = await sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: sub, IpAddressType: "IPV6_ONLY" }));
    expect(mt.IpAddress).toBeUndefined();
    expect(mt.Ipv6Address!.startsWith(prefix(1))).toBe(true);
    expect(mt.LifeCycleState).toBe("creating");
    expect(mt.SubnetId).toBe(sub);
    expect(mt.VpcId).toBe(vpc);
    expect(mt.AvailabilityZoneName).toBe("us-east-1a");

    const described = (await sim.efs.send(new DescribeMountTargetsCommand({ FileSystemId: fs }))).MountTargets!;
    expect(described).toHaveLength(1);
    expect(described[0]!.IpAddress).toBeUndefined();
    expect(described[0]!.Ipv6Address).toBe(mt.Ipv6Address);
    expect(described[0]!.NetworkInterfaceId).toBe(mt.NetworkInterfaceId);

    const eni = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [mt.NetworkInterfaceId!] }))).NetworkInterfaces![0]!;
    expect(eni.RequesterManaged).toBe(true);
    expect(eni.SubnetId).toBe(sub);
    expect(eni.PrivateIpAddress).toBeUndefined();
    expect(eni.PrivateIpAddresses ?? []).toEqual([]);
    expect(eni.Ipv6Addresses!.map((a) => a.Ipv6Address)).toEqual([mt.Ipv6Address]);

    // Deleting the mount target deletes its interface.
    await sim.efs.send(new DeleteMountTargetCommand({ MountTargetId: mt.MountTargetId! }));
    const left = await sim.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "subnet-id", Values: [sub] }] }));
    expect(left.NetworkInterfaces).toEqual([]);
  });

  it("IPV6_ONLY with an Ipv6Address takes that address; one outside the subnet or in use is refused", async () => {
    const { prefix, v6only } = await network("10.62.0.0/16");
    const sub = await v6only(1, "us-east-1a");
    const other = await v6only(2, "us-east-1b");
    const fs = (await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "v6-explicit" }))).FileSystemId!;
    const wanted = `${prefix(1)}:abcd`;
    const mt = await sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: sub, IpAddressType: "IPV6_ONLY", Ipv6Address: wanted }));
    expect(mt.Ipv6Address).toBe(wanted);
    expect(mt.IpAddress).toBeUndefined();
    const eni = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [mt.NetworkInterfaceId!] }))).NetworkInterfaces![0]!;
    expect(eni.Ipv6Addresses!.map((a) => a.Ipv6Address)).toEqual([wanted]);

    const fs2 = (await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "v6-explicit-2" }))).FileSystemId!;
    await expectAwsError(sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs2, SubnetId: other, IpAddressType: "IPV6_ONLY", Ipv6Address: wanted })), {
      name: "BadRequest",
      status: 400,
      message: `IPv6 address '${wanted}' is not in the subnet's available range.`,
    });
    await expectAwsError(sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs2, SubnetId: sub, IpAddressType: "IPV6_ONLY", Ipv6Address: wanted })), {
      name: "IpAddressInUse",
      status: 409,
      message: `IP address '${wanted}' is already in use.`,
    });
    // A refused request leaves no interface behind.
    const enis = await sim.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "subnet-id", Values: [sub, other] }] }));
    expect(enis.NetworkInterfaces!.map((e) => e.NetworkInterfaceId)).toEqual([mt.NetworkInterfaceId]);
  });

  it("IPV4_ONLY (the default) and DUAL_STACK are refused in an IPv6-only subnet, as is an IpAddress for IPV6_ONLY", async () => {
    const { v6only } = await network("10.63.0.0/16");
    const sub = await v6only(1, "us-east-1a");
    const fs = (await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "v6-refused" }))).FileSystemId!;
    await expectAwsError(sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: sub })), {
      name: "BadRequest",
      status: 400,
      message: `The subnet '${sub}' is IPv6-only; a IPV4_ONLY mount target needs an IPv4 CIDR block.`,
    });
    await expectAwsError(sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: sub, IpAddressType: "IPV4_ONLY" })), {
      name: "BadRequest",
      status: 400,
      message: `The subnet '${sub}' is IPv6-only; a IPV4_ONLY mount target needs an IPv4 CIDR block.`,
    });
    await expectAwsError(sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: sub, IpAddressType: "DUAL_STACK" })), {
      name: "BadRequest",
      status: 400,
      message: `The subnet '${sub}' is IPv6-only; a DUAL_STACK mount target needs an IPv4 CIDR block.`,
    });
    await expectAwsError(sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: sub, IpAddressType: "IPV6_ONLY", IpAddress: "10.63.1.10" })), {
      name: "BadRequest",
      status: 400,
      message: "IP address '10.63.1.10' is not in the subnet's available range.",
    });
    const enis = await sim.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "subnet-id", Values: [sub] }] }));
    expect(enis.NetworkInterfaces).toEqual([]);
    expect((await sim.efs.send(new DescribeMountTargetsCommand({ FileSystemId: fs }))).MountTargets).toEqual([]);
  });

  it("IPV6_ONLY is refused in an IPv4-only subnet and in a dual-stack one", async () => {
    const { vpc, six } = await network("10.64.0.0/16");
    const v4 = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.64.1.0/24" }))).Subnet!.SubnetId!;
    const dual = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.64.2.0/24", Ipv6CidrBlock: six(2) }))).Subnet!.SubnetId!;
    const fs = (await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "v6-elsewhere" }))).FileSystemId!;
    await expectAwsError(sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: v4, IpAddressType: "IPV6_ONLY" })), {
      name: "BadRequest",
      status: 400,
      message: `The subnet '${v4}' has no IPv6 CIDR block; a IPV6_ONLY mount target needs one.`,
    });
    await expectAwsError(sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: dual, IpAddressType: "IPV6_ONLY" })), {
      name: "BadRequest",
      status: 400,
      message: "Creating IPv6 mount target only ENI in dual-stack subnet is not supported.",
    });
  });

  it("a file system's mount targets may mix an IPv6-only subnet with a dual-stack one in another zone of the VPC", async () => {
    const { vpc, six, prefix, v6only } = await network("10.65.0.0/16");
    const sub = await v6only(1, "us-east-1a");
    const dual = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.65.2.0/24", Ipv6CidrBlock: six(2), AvailabilityZone: "us-east-1b" })))
      .Subnet!.SubnetId!;
    const fs = (await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "v6-mixed" }))).FileSystemId!;
    const a = await sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: sub, IpAddressType: "IPV6_ONLY" }));
    const b = await sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: dual, IpAddressType: "DUAL_STACK" }));
    expect(a.IpAddress).toBeUndefined();
    expect(b.IpAddress).toMatch(/^10\.65\.2\.\d+$/);
    expect(b.Ipv6Address!.startsWith(prefix(2))).toBe(true);
    // A second mount target in the IPv6-only subnet's zone is still a conflict.
    await expectAwsError(sim.efs.send(new CreateMountTargetCommand({ FileSystemId: fs, SubnetId: sub, IpAddressType: "IPV6_ONLY" })), {
      name: "MountTargetConflict",
      status: 409,
    });
  });
});
