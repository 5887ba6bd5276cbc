/**
 * EC2 networking as AWS's own networking agents use it against real AWS, replayed: aws/amazon-vpc-cni-k8s
 * (pkg/awsutils/awsutils.go: ENIs with prefix delegation, the errors it classifies) and
 * kubernetes-sigs/aws-load-balancer-controller (pkg/networking: security group reconciliation, subnet discovery).
 * Each test names its source.
 */
import {
  AssignIpv6AddressesCommand,
  AssignPrivateIpAddressesCommand,
  AssociateSubnetCidrBlockCommand,
  AttachNetworkInterfaceCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCidrReservationCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DescribeAvailabilityZonesCommand,
  DeleteNetworkInterfaceCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  DetachNetworkInterfaceCommand,
  EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  UnassignIpv6AddressesCommand,
  UnassignPrivateIpAddressesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { AMI } from "./ec2-fixtures.js";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg) }));

/** A VPC with one subnet (of the given size) and a security group, and an m5.large node in it (3 ENIs, 10 IPv4 each). */
async function node(subnetCidr = "10.0.0.0/24") {
  const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
  const subnet = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: subnetCidr, AvailabilityZone: "us-east-1a" }))).Subnet!.SubnetId!;
  const sg = (await sim.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: "node", Description: "node" }))).GroupId!;
  const run = await sim.ec2.send(
    new RunInstancesCommand({ ImageId: AMI, InstanceType: "m5.large", MinCount: 1, MaxCount: 1, SubnetId: subnet, SecurityGroupIds: [sg] }),
  );
  return { vpc, subnet, sg, instance: run.Instances![0]!.InstanceId! };
}

describe("amazon-vpc-cni-k8s: ENIs, secondary addresses and prefix delegation", () => {
  // awsutils.go createENI (ENABLE_PREFIX_DELEGATION): CreateNetworkInterface with Ipv4PrefixCount, then attachENI on
  // a free device index of network card 0, ModifyNetworkInterfaceAttribute DeleteOnTermination, AllocIPAddresses
  // with Ipv4PrefixCount, DeallocPrefixAddresses with Ipv4Prefixes. The prefixes were ignored (no Ipv4Prefixes) and
  // AssignPrivateIpAddresses with only Ipv4PrefixCount was MissingParameter.
  it("delegates /28 prefixes on create and assign, shows them on the ENI and the instance, and frees them", async () => {
    const n = await node();
    const before = (await sim.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [n.subnet] }))).Subnets![0]!.AvailableIpAddressCount!;
    const created = await sim.ec2.send(
      new CreateNetworkInterfaceCommand({
        Description: `aws-K8S-${n.instance}`,
        Groups: [n.sg],
        SubnetId: n.subnet,
        Ipv4PrefixCount: 1,
        TagSpecifications: [{ ResourceType: "network-interface", Tags: [{ Key: "node.k8s.amazonaws.com/instance_id", Value: n.instance }] }],
      }),
    );
    const eni = created.NetworkInterface!;
    expect(eni.Ipv4Prefixes).toHaveLength(1);
    const [first] = eni.Ipv4Prefixes!;
    expect(first!.Ipv4Prefix).toMatch(/^10\.0\.0\.\d+\/28$/);
    expect(Number(first!.Ipv4Prefix!.split(".")[3]!.split("/")[0]) % 16).toBe(0);
    // The primary address and the 16 addresses of the prefix leave the subnet.
    expect((await sim.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [n.subnet] }))).Subnets![0]!.AvailableIpAddressCount).toBe(before - 17);

    const att = await sim.ec2.send(
      new AttachNetworkInterfaceCommand({ DeviceIndex: 1, InstanceId: n.instance, NetworkInterfaceId: eni.NetworkInterfaceId, NetworkCardIndex: 0 }),
    );
    expect(att.NetworkCardIndex).toBe(0);
    await sim.ec2.send(
      new ModifyNetworkInterfaceAttributeCommand({
        NetworkInterfaceId: eni.NetworkInterfaceId,
        Attachment: { AttachmentId: att.AttachmentId, DeleteOnTermination: true },
      }),
    );

    const assigned = await sim.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni.NetworkInterfaceId, Ipv4PrefixCount: 2 }));
    expect(assigned.AssignedIpv4Prefixes).toHaveLength(2);
    expect(assigned.AssignedPrivateIpAddresses).toEqual([]);
    const all = [first!.Ipv4Prefix, ...assigned.AssignedIpv4Prefixes!.map((p) => p.Ipv4Prefix)];
    expect(new Set(all).size).toBe(3);

    // GetIPv4PrefixesFromEC2 reads DescribeNetworkInterfaces; the load balancer controller's resolveViaNodeENIs
    // reads the instance's NetworkInterfaces[].Ipv4Prefixes.
    const d = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni.NetworkInterfaceId!] }))).NetworkInterfaces![0]!;
    expect(d.Ipv4Prefixes!.map((p) => p.Ipv4Prefix)).toEqual(all);
    expect(d.Attachment).toMatchObject({ DeviceIndex: 1, NetworkCardIndex: 0, DeleteOnTermination: true, Status: "attached" });
    const inst = (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [n.instance] }))).Reservations![0]!.Instances![0]!;
    const onInstance = inst.NetworkInterfaces!.find((x) => x.NetworkInterfaceId === eni.NetworkInterfaceId)!;
    expect(onInstance.Ipv4Prefixes!.map((p) => p.Ipv4Prefix)).toEqual(all);

    await sim.ec2.send(new UnassignPrivateIpAddressesCommand({ NetworkInterfaceId: eni.NetworkInterfaceId, Ipv4Prefixes: [all[1]!] }));
    const after = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni.NetworkInterfaceId!] }))).NetworkInterfaces![0]!;
    expect(after.Ipv4Prefixes!.map((p) => p.Ipv4Prefix)).toEqual([all[0], all[2]]);
    await expectAwsError(sim.ec2.send(new UnassignPrivateIpAddressesCommand({ NetworkInterfaceId: eni.NetworkInterfaceId, Ipv4Prefixes: [all[1]!] })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    // A freed prefix is delegated again.
    const again = await sim.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni.NetworkInterfaceId, Ipv4PrefixCount: 1 }));
    expect(again.AssignedIpv4Prefixes![0]!.Ipv4Prefix).toBe(all[1]);
  });

  // Explicit prefixes (CreateNetworkInterface Ipv4Prefixes, AssignPrivateIpAddresses Ipv4Prefixes): a prefix in use is
  // refused, and one not on a /28 boundary of the subnet is InvalidParameterValue.
  it("explicit /28 prefixes: delegated as asked, refused when taken or misaligned", async () => {
    const n = await node("10.0.4.0/24");
    const eni = await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: n.subnet, Ipv4Prefixes: [{ Ipv4Prefix: "10.0.4.48/28" }] }));
    expect(eni.NetworkInterface!.Ipv4Prefixes).toEqual([{ Ipv4Prefix: "10.0.4.48/28" }]);
    const id = eni.NetworkInterface!.NetworkInterfaceId!;
    await expectAwsError(sim.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: id, Ipv4Prefixes: ["10.0.4.48/28"] })), {
      name: "InvalidIPAddress.InUse",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: id, Ipv4Prefixes: ["10.0.4.65/28"] })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    const out = await sim.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: id, Ipv4Prefixes: ["10.0.4.64/28"] }));
    expect(out.AssignedIpv4Prefixes).toEqual([{ Ipv4Prefix: "10.0.4.64/28" }]);
    // A prefix's addresses are not handed out as single addresses.
    const other = await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: n.subnet, SecondaryPrivateIpAddressCount: 60 }));
    const ips = other.NetworkInterface!.PrivateIpAddresses!.map((p) => Number(p.PrivateIpAddress!.split(".")[3]));
    expect(ips.some((x) => x >= 48 && x < 80)).toBe(false);
  });

  // amazon-vpc-cni-k8s#2749 (a maintainer on EC2's behaviour): prefix delegation "starts by trying to get a /28 prefix
  // from a subnet CIDR reservation space" (a "prefix" reservation, as EKS's docs recommend); single addresses never
  // come from a reservation, nor prefixes from an "explicit" one. Prefixes ignored reservations.
  it("automatic prefixes come from the subnet's prefix reservation; addresses and explicit reservations are left alone", async () => {
    const n = await node("10.0.5.0/24");
    await sim.ec2.send(new CreateSubnetCidrReservationCommand({ SubnetId: n.subnet, Cidr: "10.0.5.128/27", ReservationType: "prefix" }));
    await sim.ec2.send(new CreateSubnetCidrReservationCommand({ SubnetId: n.subnet, Cidr: "10.0.5.16/28", ReservationType: "explicit" }));
    const eni = await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: n.subnet, Ipv4PrefixCount: 2, SecondaryPrivateIpAddressCount: 20 }));
    expect(eni.NetworkInterface!.Ipv4Prefixes).toEqual([{ Ipv4Prefix: "10.0.5.128/28" }, { Ipv4Prefix: "10.0.5.144/28" }]);
    const last = eni.NetworkInterface!.PrivateIpAddresses!.map((p) => Number(p.PrivateIpAddress!.split(".")[3]));
    expect(last.some((x) => (x >= 16 && x < 32) || (x >= 128 && x < 160))).toBe(false);
    // The reservation is used up: the next prefix comes from the rest of the subnet, outside the explicit reservation.
    const more = await sim.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni.NetworkInterface!.NetworkInterfaceId, Ipv4PrefixCount: 1 }));
    const next = Number(more.AssignedIpv4Prefixes![0]!.Ipv4Prefix!.split(".")[3]!.split("/")[0]);
    expect(next === 16 || (next >= 128 && next < 160)).toBe(false);
    // 251 usable - the node's 1 - the ENI's 21 - 3 prefixes of 16.
    expect((await sim.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [n.subnet] }))).Subnets![0]!.AvailableIpAddressCount).toBe(251 - 1 - 21 - 48);
  });

  // awsutils.go AllocIPAddresses caps the count at the type's Ipv4AddressesPerInterface - 1, because AWS refuses more
  // with PrivateIpAddressLimitExceeded "Number of private addresses will exceed limit." (amazon-vpc-cni-k8s#989).
  it("an attached ENI holds at most its type's Ipv4AddressesPerInterface addresses and prefixes", async () => {
    const n = await node();
    const eni = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: n.subnet, Groups: [n.sg], SecondaryPrivateIpAddressCount: 8 })))
      .NetworkInterface!.NetworkInterfaceId!;
    await sim.ec2.send(new AttachNetworkInterfaceCommand({ DeviceIndex: 1, InstanceId: n.instance, NetworkInterfaceId: eni }));
    const limit = { name: "PrivateIpAddressLimitExceeded", status: 400, message: "Number of private addresses will exceed limit." };
    await expectAwsError(sim.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 2 })), limit);
    await sim.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 1 }));
    await expectAwsError(sim.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, Ipv4PrefixCount: 1 })), limit);
    const d = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] }))).NetworkInterfaces![0]!;
    expect(d.PrivateIpAddresses).toHaveLength(10);
  });

  // awsutils.go attachENI: AttachmentLimitExceeded "Interface count 4 exceeds the limit for m5.large" (the CNI and
  // Cilium stop growing the pool on it: amazon-vpc-cni-k8s#36, cilium#8830); an ENI with more addresses than the type
  // allows per interface is InvalidInterface.IpAddressLimitExceeded (cilium#9730). A fourth ENI was attached.
  it("attaching past the type's limits is AWS's AttachmentLimitExceeded / InvalidInterface.IpAddressLimitExceeded", async () => {
    const n = await node();
    const make = async (extra = 0) =>
      (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: n.subnet, Groups: [n.sg], SecondaryPrivateIpAddressCount: extra }))).NetworkInterface!
        .NetworkInterfaceId!;
    const big = await make(10);
    await expectAwsError(sim.ec2.send(new AttachNetworkInterfaceCommand({ DeviceIndex: 1, InstanceId: n.instance, NetworkInterfaceId: big })), {
      name: "InvalidInterface.IpAddressLimitExceeded",
      status: 400,
      message: `Address count 11 on ${big.replace("eni-", "interface-")} exceeds the limit for m5.large`,
    });
    await sim.ec2.send(new AttachNetworkInterfaceCommand({ DeviceIndex: 1, InstanceId: n.instance, NetworkInterfaceId: await make() }));
    await sim.ec2.send(new AttachNetworkInterfaceCommand({ DeviceIndex: 2, InstanceId: n.instance, NetworkInterfaceId: await make() }));
    const fourth = await make();
    await expectAwsError(sim.ec2.send(new AttachNetworkInterfaceCommand({ DeviceIndex: 3, InstanceId: n.instance, NetworkInterfaceId: fourth })), {
      name: "AttachmentLimitExceeded",
      status: 400,
      message: "Interface count 4 exceeds the limit for m5.large",
    });
    const d = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [fourth] }))).NetworkInterfaces![0]!;
    expect(d.Status).toBe("available");
    expect(d.Attachment).toBeUndefined();
  });

  // awsutils.go tryCreateNetworkInterface / AllocIPAddresses: a full subnet answers InvalidParameterValue "There aren't
  // sufficient free Ipv4 addresses or prefixes" (amazon-vpc-cni-k8s#3105; AWS support's answer quoted in cilium#31016),
  // and a request that fails takes no address: a /28 (11 usable) fitted 10 secondaries after a refused 11.
  it("subnet exhaustion: AWS's error, nothing leaked by the refused request, InsufficientCidrBlocks for a prefix", async () => {
    const n = await node("10.0.1.0/27"); // 27 usable, the node holds 1
    const full = { name: "InvalidParameterValue", status: 400, message: "There aren't sufficient free Ipv4 addresses or prefixes" };
    await expectAwsError(sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: n.subnet, SecondaryPrivateIpAddressCount: 26 })), full);
    expect((await sim.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [n.subnet] }))).Subnets![0]!.AvailableIpAddressCount).toBe(26);
    // 26 addresses are free, but neither /28 of a /27 can be delegated: each holds addresses AWS reserves.
    await expectAwsError(sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: n.subnet, Ipv4PrefixCount: 1 })), {
      name: "InsufficientCidrBlocks",
      status: 400,
      message: "The specified subnet does not have enough free cidr blocks to satisfy the request.",
    });
    expect((await sim.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [n.subnet] }))).Subnets![0]!.AvailableIpAddressCount).toBe(26);
    const eni = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: n.subnet, SecondaryPrivateIpAddressCount: 24 }))).NetworkInterface!;
    expect(eni.PrivateIpAddresses).toHaveLength(25);
    await expectAwsError(
      sim.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni.NetworkInterfaceId, SecondaryPrivateIpAddressCount: 2 })),
      full,
    );
    await sim.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni.NetworkInterfaceId, SecondaryPrivateIpAddressCount: 1 }));
    expect((await sim.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [n.subnet] }))).Subnets![0]!.AvailableIpAddressCount).toBe(0);
  });

  // awsutils.go AllocIPv6Prefixes: AssignIpv6Addresses with Ipv6PrefixCount 1 on an IPv6 node's ENI; the prefix was
  // never given (AssignedIpv6Prefixes empty).
  it("IPv6 prefix delegation: a /80 of the subnet's /64, shown on the ENI and unassignable", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.2.0.0/16", AmazonProvidedIpv6CidrBlock: true }))).Vpc!.VpcId!;
    const block = (await sim.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpc] }))).Vpcs![0]!.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock!;
    const subnet = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.2.0.0/24" }))).Subnet!.SubnetId!;
    const sixtyFour = block.replace("/56", "/64");
    await sim.ec2.send(new AssociateSubnetCidrBlockCommand({ SubnetId: subnet, Ipv6CidrBlock: sixtyFour }));
    const eni = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet, Ipv6AddressCount: 1 }))).NetworkInterface!.NetworkInterfaceId!;
    const out = await sim.ec2.send(new AssignIpv6AddressesCommand({ NetworkInterfaceId: eni, Ipv6PrefixCount: 1 }));
    expect(out.AssignedIpv6Addresses).toEqual([]);
    expect(out.AssignedIpv6Prefixes).toHaveLength(1);
    const prefix = out.AssignedIpv6Prefixes![0]!;
    expect(prefix).toMatch(/\/80$/);
    expect(prefix.startsWith(sixtyFour.replace("::/64", ":"))).toBe(true);
    const d = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] }))).NetworkInterfaces![0]!;
    expect(d.Ipv6Prefixes).toEqual([{ Ipv6Prefix: prefix }]);
    const un = await sim.ec2.send(new UnassignIpv6AddressesCommand({ NetworkInterfaceId: eni, Ipv6Prefixes: [prefix] }));
    expect(un.UnassignedIpv6Prefixes).toEqual([prefix]);
    const d2 = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] }))).NetworkInterfaces![0]!;
    expect(d2.Ipv6Prefixes).toBeUndefined();
  });

  // awsutils.go DescribeAllENIs / getENIAttachmentID / deleteENI: InvalidNetworkInterfaceID.NotFound, whose message the
  // CNI parses for the missing ID (badENIID matches '([a-zA-Z0-9-]+)'; its unit test quotes AWS's text "The
  // networkInterface ID 'eni-00000088' does not exist"); TagENI's CreateTags on a deleted ENI is the same error.
  it("a missing ENI is AWS's InvalidNetworkInterfaceID.NotFound text, from Describe, Delete and CreateTags", async () => {
    const n = await node();
    const eni = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: n.subnet, Groups: [n.sg] }))).NetworkInterface!.NetworkInterfaceId!;
    const att = await sim.ec2.send(new AttachNetworkInterfaceCommand({ DeviceIndex: 1, InstanceId: n.instance, NetworkInterfaceId: eni }));
    // deleteENI right after a detach that has not finished: AWS's "currently in use" (amazon-vpc-cni-k8s#1399).
    await expectAwsError(sim.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni })), {
      name: "InvalidParameterValue",
      status: 400,
      message: `Network interface '${eni}' is currently in use.`,
    });
    await sim.ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: att.AttachmentId }));
    await sim.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni }));
    // The CNI skips the primary ENI (IsPrimaryENI); detaching it is AWS's OperationNotPermitted naming device and card.
    const primary = (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [n.instance] }))).Reservations![0]!.Instances![0]!.NetworkInterfaces!.find(
      (x) => x.Attachment?.DeviceIndex === 0,
    )!;
    await expectAwsError(sim.ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: primary.Attachment!.AttachmentId })), {
      name: "OperationNotPermitted",
      status: 400,
      message: "The network interface at device index 0 and networkCard index 0 cannot be detached.",
    });
    const missing = { name: "InvalidNetworkInterfaceID.NotFound", status: 400, message: `The networkInterface ID '${eni}' does not exist` };
    await expectAwsError(sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] })), missing);
    await expectAwsError(sim.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni })), missing);
    await expectAwsError(sim.ec2.send(new CreateTagsCommand({ Resources: [eni], Tags: [{ Key: "node.k8s.amazonaws.com/createdAt", Value: "x" }] })), missing);
  });
});

describe("security groups per interface", () => {
  // aws-load-balancer-controller#682: a sixth group on an instance's interface is SecurityGroupsPerInterfaceLimitExceeded;
  // amazon-vpc-resource-controller-k8s#583: CreateNetworkInterface with 7 groups is InvalidParameterValue "user <account>
  // exceeded limit 5 on the number of interface security group memberships". awsim took any number.
  it("an interface takes at most 5 security groups, with AWS's answer on create and on modify", async () => {
    const n = await node();
    const groups = [n.sg];
    for (let i = 0; i < 5; i++)
      groups.push((await sim.ec2.send(new CreateSecurityGroupCommand({ VpcId: n.vpc, GroupName: `extra-${i}`, Description: "x" }))).GroupId!);
    await expectAwsError(sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: n.subnet, Groups: groups })), {
      name: "InvalidParameterValue",
      status: 400,
      message: /^user \d{12} exceeded limit 5 on the number of interface security group memberships$/,
    });
    const eni = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: n.subnet, Groups: groups.slice(0, 5) }))).NetworkInterface!;
    expect(eni.Groups).toHaveLength(5);
    await expectAwsError(sim.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni.NetworkInterfaceId, Groups: groups })), {
      name: "SecurityGroupsPerInterfaceLimitExceeded",
      status: 400,
      message: "The maximum number of security groups per interface has been reached.",
    });
  });
});

describe("aws-load-balancer-controller: security group rules", () => {
  // pkg/networking/security_group_reconciler.go revokes the rules it no longer wants, matching them by the
  // description labels it wrote; RevokeSecurityGroupIngress's RevokedSecurityGroupRules lacked the description and
  // the referenced group of a group-pair rule.
  it("RevokeSecurityGroupIngress answers each revoked rule with its source and description", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.3.0.0/16" }))).Vpc!.VpcId!;
    const backend = (await sim.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: "k8s-traffic-c1", Description: "backend" }))).GroupId!;
    const lb = (await sim.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: "k8s-lb", Description: "lb" }))).GroupId!;
    const label = "elbv2.k8s.aws/targetGroupBinding=shared";
    const perms = [
      { IpProtocol: "tcp", FromPort: 0, ToPort: 65535, UserIdGroupPairs: [{ GroupId: lb, Description: label }] },
      { IpProtocol: "tcp", FromPort: 443, ToPort: 443, Ipv6Ranges: [{ CidrIpv6: "::/0", Description: label }] },
    ];
    await sim.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: backend, IpPermissions: perms }));
    const out = await sim.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: backend, IpPermissions: perms }));
    expect(out.RevokedSecurityGroupRules).toMatchObject([
      { GroupId: backend, IsEgress: false, IpProtocol: "tcp", FromPort: 0, ToPort: 65535, ReferencedGroupId: lb, Description: label },
      { GroupId: backend, IsEgress: false, IpProtocol: "tcp", FromPort: 443, ToPort: 443, CidrIpv6: "::/0", Description: label },
    ]);
  });
});

describe("aws-load-balancer-controller: revoking a rule that is not there", () => {
  // The controller revokes what DescribeSecurityGroups showed and handles InvalidPermission.NotFound. The API
  // reference: in a non-default VPC an unmatched rule is InvalidPermission.NotFound and nothing is revoked; in a
  // default VPC it is no error, the matched rules go and UnknownIpPermissions lists the rest (awsim always erred).
  it("InvalidPermission.NotFound in a non-default VPC, UnknownIpPermissions in the default VPC", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.7.0.0/16" }))).Vpc!.VpcId!;
    const mine = (await sim.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: "k8s-elb", Description: "elb" }))).GroupId!;
    const dflt = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "k8s-elb", Description: "elb in the default VPC" }))).GroupId!;
    const kept = { IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "10.0.0.0/8" }] };
    const gone = { IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "10.0.0.0/8" }] };
    for (const g of [mine, dflt]) await sim.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: g, IpPermissions: [kept] }));

    await expectAwsError(sim.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: mine, IpPermissions: [kept, gone] })), {
      name: "InvalidPermission.NotFound",
      status: 400,
      message: "The specified rule does not exist in this security group.",
    });
    expect((await sim.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [mine] }))).SecurityGroups![0]!.IpPermissions).toHaveLength(1);

    const out = await sim.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: dflt, IpPermissions: [kept, gone] }));
    expect(out.Return).toBe(true);
    expect(out.RevokedSecurityGroupRules!.map((r) => r.FromPort)).toEqual([80]);
    expect(out.UnknownIpPermissions).toMatchObject([{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "10.0.0.0/8" }] }]);
    expect((await sim.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [dflt] }))).SecurityGroups![0]!.IpPermissions).toEqual([]);
  });
});

describe("aws-load-balancer-controller: zones and subnet discovery", () => {
  // pkg/networking/az_info_provider.go FetchAZInfos: DescribeAvailabilityZones by the subnets' zone ids, for the zone
  // type; "fetchAZInfosFromAWS will error out first if some AZ is not found". An unknown id was an empty answer.
  it("DescribeAvailabilityZones by ZoneIds answers the zone type, and an unknown id or name is InvalidParameterValue", async () => {
    const out = await sim.ec2.send(new DescribeAvailabilityZonesCommand({ ZoneIds: ["use1-az1", "use1-az2"] }));
    expect(out.AvailabilityZones!.map((z) => [z.ZoneId, z.ZoneType])).toEqual([
      ["use1-az1", "availability-zone"],
      ["use1-az2", "availability-zone"],
    ]);
    await expectAwsError(sim.ec2.send(new DescribeAvailabilityZonesCommand({ ZoneIds: ["use1-az1", "use1-az99"] })), {
      name: "InvalidParameterValue",
      status: 400,
      message: "Invalid availability zone-id: [use1-az99]",
    });
    await expectAwsError(sim.ec2.send(new DescribeAvailabilityZonesCommand({ ZoneNames: ["us-east-1a", "us-east-1z", "us-east-1y"] })), {
      name: "InvalidParameterValue",
      status: 400,
      message: "Invalid availability zone: [us-east-1z]",
    });
  });

  // pkg/networking/subnet_resolver.go ResolveViaDiscovery: tag:kubernetes.io/role/elb with values "" or "1" (a tag
  // with an empty value matches ""), and the subnets' AvailableIpAddressCount against ELB's 8 free addresses.
  it("subnet discovery by role tag matches an empty tag value", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.6.0.0/16" }))).Vpc!.VpcId!;
    const make = async (cidr: string, az: string, tags: Array<{ Key: string; Value: string }>) =>
      (
        await sim.ec2.send(
          new CreateSubnetCommand({ VpcId: vpc, CidrBlock: cidr, AvailabilityZone: az, TagSpecifications: [{ ResourceType: "subnet", Tags: tags }] }),
        )
      ).Subnet!.SubnetId!;
    const a = await make("10.6.1.0/24", "us-east-1a", [{ Key: "kubernetes.io/role/elb", Value: "" }]);
    const b = await make("10.6.2.0/24", "us-east-1b", [
      { Key: "kubernetes.io/role/elb", Value: "1" },
      { Key: "kubernetes.io/cluster/c1", Value: "shared" },
    ]);
    await make("10.6.3.0/24", "us-east-1c", [{ Key: "kubernetes.io/role/internal-elb", Value: "1" }]);
    await make("10.6.4.0/24", "us-east-1d", [{ Key: "kubernetes.io/role/elb", Value: "0" }]);
    const found = await sim.ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: "tag:kubernetes.io/role/elb", Values: ["", "1"] },
          { Name: "vpc-id", Values: [vpc] },
        ],
      }),
    );
    expect(found.Subnets!.map((x) => x.SubnetId).sort()).toEqual([a, b].sort());
    expect(found.Subnets!.every((x) => x.AvailableIpAddressCount === 251 && x.AvailabilityZoneId?.startsWith("use1-az"))).toBe(true);
  });
});
