/** EC2 scenarios replayed from moto's test suite (tests/test_ec2), asserting AWS's answers. */
import {
  AcceptVpcPeeringConnectionCommand,
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateDhcpOptionsCommand,
  CreateImageCommand,
  CreateInternetGatewayCommand,
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  CreateNetworkInterfaceCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVolumeCommand,
  CreateVpcEndpointCommand,
  CreateVpcPeeringConnectionCommand,
  CreateVpcCommand,
  DeregisterImageCommand,
  DescribeAddressesCommand,
  DescribeDhcpOptionsCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DisassociateRouteTableCommand,
  ImportKeyPairCommand,
  ModifyImageAttributeCommand,
  ModifyLaunchTemplateCommand,
  RejectVpcPeeringConnectionCommand,
  ReleaseAddressCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { CreateInstanceProfileCommand, IAMClient } from "@aws-sdk/client-iam";
import { expectAwsError, useServer } from "../helpers.js";
import { describeInstance, runOne } from "./ec2-fixtures.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({
  ec2: new EC2Client(cfg),
  tokyo: new EC2Client({ ...cfg, region: "ap-northeast-1" }),
  iam: new IAMClient(cfg),
}));

describe("instances (moto scenarios)", () => {
  it("RunInstances takes an IAM instance profile IAM knows, by name or ARN, and shows its real ARN and id", async () => {
    const profile = (await sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "web", Path: "/app/" }))).InstanceProfile!;
    for (const IamInstanceProfile of [{ Name: "web" }, { Arn: profile.Arn }]) {
      const i = await runOne(sim.ec2, { IamInstanceProfile });
      const expected = { Arn: profile.Arn, Id: profile.InstanceProfileId };
      expect(i.IamInstanceProfile).toEqual(expected);
      expect((await describeInstance(sim.ec2, i.InstanceId!)).IamInstanceProfile).toEqual(expected);
    }
    await expectAwsError(runOne(sim.ec2, { IamInstanceProfile: { Name: "absent" } }), {
      name: "InvalidParameterValue",
      status: 400,
      message: "Value (absent) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name",
    });
  });

  it("keeps HibernationOptions.Configured given at launch, and filters by it", async () => {
    const on = await runOne(sim.ec2, { HibernationOptions: { Configured: true } });
    const off = await runOne(sim.ec2, { HibernationOptions: { Configured: false } });
    expect((await describeInstance(sim.ec2, on.InstanceId!)).HibernationOptions).toEqual({ Configured: true });
    expect((await describeInstance(sim.ec2, off.InstanceId!)).HibernationOptions).toEqual({ Configured: false });
    const found = await sim.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "hibernation-options.configured", Values: ["true"] }] }));
    expect(found.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([on.InstanceId]);
  });

  it("a private address among the subnet's five reserved ones is refused with AWS's message", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.26.0.0/16" }))).Vpc!.VpcId!;
    const SubnetId = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.26.1.0/24" }))).Subnet!.SubnetId!;
    for (const ip of ["10.26.1.0", "10.26.1.3", "10.26.1.255"])
      await expectAwsError(runOne(sim.ec2, { NetworkInterfaces: [{ DeviceIndex: 0, SubnetId, PrivateIpAddress: ip }] }), {
        name: "InvalidParameterValue",
        status: 400,
        message: `Address ${ip} is in subnet's reserved address range`,
      });
    await expectAwsError(runOne(sim.ec2, { NetworkInterfaces: [{ DeviceIndex: 0, SubnetId, PrivateIpAddress: "10.26.2.5" }] }), {
      name: "InvalidParameterValue",
      status: 400,
      message: "Address 10.26.2.5 does not fall within the subnet's address range",
    });
    const i = await runOne(sim.ec2, { NetworkInterfaces: [{ DeviceIndex: 0, SubnetId, PrivateIpAddress: "10.26.1.4" }] });
    expect(i.PrivateIpAddress).toBe("10.26.1.4");
  });
});

describe("subnets (moto scenarios)", () => {
  it("CreateSubnet answers a tag set (empty too); DescribeSubnets leaves out an empty one", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    const plain = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.0.0.0/24" }))).Subnet!;
    expect(plain.Tags).toEqual([]);
    const tagged = (
      await sim.ec2.send(
        new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.0.1.0/24", TagSpecifications: [{ ResourceType: "subnet", Tags: [{ Key: "k", Value: "v" }] }] }),
      )
    ).Subnet!;
    const described = (await sim.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [plain.SubnetId!, tagged.SubnetId!] }))).Subnets!;
    const byId = new Map(described.map((x) => [x.SubnetId, x]));
    expect(byId.get(plain.SubnetId)!.Tags).toBeUndefined();
    expect(byId.get(tagged.SubnetId)!.Tags).toEqual([{ Key: "k", Value: "v" }]);
  });

  it("places a subnet by AvailabilityZoneId and refuses a zone id of another region", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "172.31.0.0/16" }))).Vpc!.VpcId!;
    const sub = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "172.31.48.0/20", AvailabilityZoneId: "use1-az2" }))).Subnet!;
    expect([sub.AvailabilityZone, sub.AvailabilityZoneId]).toEqual(["us-east-1b", "use1-az2"]);
    await expectAwsError(sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "172.31.64.0/20", AvailabilityZoneId: "usw1-az1" })), {
      name: "InvalidParameterValue",
      status: 400,
      message:
        /^Value \(usw1-az1\) for parameter availabilityZoneId is invalid\. Subnets can currently only be created in the following availability zones: use1-az\d/,
    });
  });
});

describe("security groups (moto scenarios)", () => {
  const group = async (name: string) => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    return (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: "d", VpcId: vpc }))).GroupId!;
  };
  const ranges = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ CidrIp: `${from + i}.0.0.0/8` }));

  it("refuses a rule whose CIDR has no prefix length", async () => {
    const sg = await group("cidr");
    for (const [cidr, key] of [
      ["123.123.123.123", "IpRanges"],
      ["2001:db8::", "Ipv6Ranges"],
    ] as const) {
      const range = key === "IpRanges" ? { CidrIp: cidr } : { CidrIpv6: cidr };
      await expectAwsError(
        sim.ec2.send(
          new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, [key]: [range] }] }),
        ),
        { name: "InvalidParameterValue", status: 400, message: `CIDR block ${cidr} is malformed` },
      );
    }
    const g = (await sim.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [sg] }))).SecurityGroups![0]!;
    expect(g.IpPermissions).toEqual([]);
  });

  it("holds at most 60 inbound and 60 outbound rules per group", async () => {
    const sg = await group("limit");
    const limit = { name: "RulesPerSecurityGroupLimitExceeded", status: 400, message: "The maximum number of rules per security group has been reached." };
    await expectAwsError(
      sim.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: "-1", IpRanges: ranges(1, 61) }] })),
      limit,
    );
    await sim.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: "-1", IpRanges: ranges(1, 60) }] }));
    await expectAwsError(
      sim.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: "-1", IpRanges: ranges(100, 1) }] })),
      limit,
    );
    // Egress already holds the default 0.0.0.0/0 rule: 59 more fill it.
    await sim.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: "-1", IpRanges: ranges(1, 59) }] }));
    await expectAwsError(
      sim.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: "-1", IpRanges: ranges(100, 1) }] })),
      limit,
    );
    const g = (await sim.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [sg] }))).SecurityGroups![0]!;
    expect(g.IpPermissions![0]!.IpRanges).toHaveLength(60);
    expect(g.IpPermissionsEgress![0]!.IpRanges).toHaveLength(60);
  });

  it("a rule names a group of another VPC only once the two VPCs are peered", async () => {
    const vpcOf = async (cidr: string) => (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
    const [v1, v2] = [await vpcOf("10.250.0.0/16"), await vpcOf("10.251.0.0/16")];
    const sg1 = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "one", Description: "d", VpcId: v1 }))).GroupId!;
    const sg2 = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "two", Description: "d", VpcId: v2 }))).GroupId!;
    const IpPermissions = [{ IpProtocol: "tcp", FromPort: 31337, ToPort: 31337, UserIdGroupPairs: [{ GroupId: sg2 }] }];
    const apart = { name: "InvalidGroup.NotFound", status: 400, message: "You have specified two resources that belong to different networks." };
    await expectAwsError(sim.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg1, IpPermissions })), apart);
    await expectAwsError(sim.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: sg1, IpPermissions })), apart);
    const pcx = (await sim.ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: v1, PeerVpcId: v2 }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
    await expectAwsError(sim.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg1, IpPermissions })), apart);
    await sim.ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx }));
    await sim.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg1, IpPermissions }));
    const found = await sim.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "ip-permission.group-id", Values: [sg2] }] }));
    expect(found.SecurityGroups!.map((g) => g.GroupId)).toEqual([sg1]);
  });
});

describe("route tables (moto scenarios)", () => {
  it("routes to an internet gateway only once it is attached to the route table's VPC", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    const rtb = (await sim.ec2.send(new CreateRouteTableCommand({ VpcId: vpc }))).RouteTable!.RouteTableId!;
    const igw = (await sim.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await expectAwsError(sim.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw })), {
      name: "InvalidParameterValue",
      status: 400,
      message: `route table ${rtb} and network gateway ${igw} belong to different networks`,
    });
    await sim.ec2.send(new AttachInternetGatewayCommand({ VpcId: vpc, InternetGatewayId: igw }));
    await sim.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }));
    const routes = (await sim.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!.Routes!;
    expect(routes.find((r) => r.DestinationCidrBlock === "0.0.0.0/0")).toMatchObject({ GatewayId: igw, State: "active", Origin: "CreateRoute" });
  });

  it("associates a route table with an internet gateway attached to its VPC (edge association)", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    const rtb = (await sim.ec2.send(new CreateRouteTableCommand({ VpcId: vpc }))).RouteTable!.RouteTableId!;
    const igw = (await sim.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await expectAwsError(sim.ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, GatewayId: igw })), { name: "InvalidParameterValue", status: 400 });
    await expectAwsError(sim.ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, GatewayId: "igw-0123456789abcdef0" })), {
      name: "InvalidInternetGatewayID.NotFound",
      status: 400,
      message: "The internetGateway ID 'igw-0123456789abcdef0' does not exist",
    });
    await sim.ec2.send(new AttachInternetGatewayCommand({ VpcId: vpc, InternetGatewayId: igw }));
    const assoc = await sim.ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, GatewayId: igw }));
    expect(assoc.AssociationState).toEqual({ State: "associated" });
    const found = await sim.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "association.gateway-id", Values: [igw] }] }));
    expect(found.RouteTables!.map((r) => r.RouteTableId)).toEqual([rtb]);
    expect(found.RouteTables![0]!.Associations).toEqual([
      { Main: false, RouteTableAssociationId: assoc.AssociationId, RouteTableId: rtb, GatewayId: igw, AssociationState: { State: "associated" } },
    ]);
    await sim.ec2.send(new DisassociateRouteTableCommand({ AssociationId: assoc.AssociationId }));
    expect((await sim.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!.Associations).toEqual([]);
  });
});

describe("elastic IP addresses (moto scenarios)", () => {
  it("DescribeAddresses by a public IP that is not allocated fails with InvalidAddress.NotFound", async () => {
    const a = await sim.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
    expect((await sim.ec2.send(new DescribeAddressesCommand({ PublicIps: [a.PublicIp!] }))).Addresses!.map((x) => x.AllocationId)).toEqual([a.AllocationId]);
    await sim.ec2.send(new ReleaseAddressCommand({ AllocationId: a.AllocationId }));
    await expectAwsError(sim.ec2.send(new DescribeAddressesCommand({ PublicIps: [a.PublicIp!] })), {
      name: "InvalidAddress.NotFound",
      status: 400,
      message: `Address '${a.PublicIp}' not found.`,
    });
  });
});

describe("network interfaces (moto scenarios)", () => {
  it("CreateNetworkInterface assigns the IPv6 addresses asked for, by address and by count", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.1.0.0/16", AmazonProvidedIpv6CidrBlock: true }))).Vpc!.VpcId!;
    const v4only = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.1.64.0/18" }))).Subnet!.SubnetId!;
    await expectAwsError(sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: v4only, Ipv6AddressCount: 1 })), {
      name: "InvalidParameterValue",
      status: 400,
      message: `The subnet ${v4only} does not have an IPv6 CIDR block.`,
    });
    const block = (await sim.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpc] }))).Vpcs![0]!.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock!;
    const sub64 = block.replace("/56", "/64");
    const subnet = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.1.0.0/18", Ipv6CidrBlock: sub64 }))).Subnet!.SubnetId!;
    const fixed = `${sub64.split("/")[0]}10`;
    const one = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet, Ipv6Addresses: [{ Ipv6Address: fixed }] }))).NetworkInterface!;
    const two = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet, Ipv6AddressCount: 2 }))).NetworkInterface!;
    const described = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [one.NetworkInterfaceId!, two.NetworkInterfaceId!] })))
      .NetworkInterfaces!;
    const byId = new Map(described.map((n) => [n.NetworkInterfaceId, n.Ipv6Addresses!.map((a) => a.Ipv6Address)]));
    expect(byId.get(one.NetworkInterfaceId)).toEqual([fixed]);
    expect(byId.get(two.NetworkInterfaceId)).toHaveLength(2);
    await expectAwsError(sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet, Ipv6Addresses: [{ Ipv6Address: fixed }] })), {
      name: "InvalidIPAddress.InUse",
      status: 400,
    });
  });

  it("refuses a security group of another VPC", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.2.0.0/16" }))).Vpc!.VpcId!;
    const subnet = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.2.0.0/24" }))).Subnet!.SubnetId!;
    const other = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "elsewhere", Description: "default VPC" }))).GroupId!;
    await expectAwsError(sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet, Groups: [other] })), {
      name: "InvalidParameter",
      status: 400,
      message: `Security group ${other} and subnet ${subnet} belong to different networks.`,
    });
  });
});

describe("key pairs (moto scenarios)", () => {
  // An RSA public key, in OpenSSH form and as an RFC 4716 file.
  const blob =
    "AAAAB3NzaC1yc2EAAAADAQABAAABAQDusXfgTE4eBP50NglSzCSEGnIL6+cr6m3H6cZANOQ+P1o/W4BdtcAL3sor4iGi7SOeJgo8kweyMQrhrt6HaKGgromRiz37LQx4YIAcBi4Zd023mO/V7Rc2Chh18mWgLSmA6ng+j37ip6452zxtv0jHAz9pJolbKBpJzbZlPN45ZCTk9ck0fSVHRl6VRSSPQcpqi65XpRf+35zNOCGCc1mAOOTmw59Q2a6A3t8mL7r91aM5q6QOQm219lctFM8O7HRJnDgmhGpnjRwE1LyKktWTbgFZ4SNWU2XqusUO07jKuSxzPumXBeU+JEtx0J1tqZwJlpGt2R+0qN7nKnPl2+hx";
  const rfc4716 = ["---- BEGIN SSH2 PUBLIC KEY ----", 'Comment: "2048-bit RSA"', ...(blob.match(/.{1,70}/g) ?? []), "---- END SSH2 PUBLIC KEY ----", ""].join(
    "\n",
  );
  // MD5 of the DER public key: `openssl pkey -pubin -outform DER | openssl md5 -c`, as AWS's user guide compares.
  const md5Der = "6a:49:07:1c:7e:bd:d2:bd:96:25:fe:b5:74:83:ae:fd";

  it("imports an OpenSSH or RFC 4716 RSA key with the MD5 fingerprint of its DER public key", async () => {
    const a = await sim.ec2.send(new ImportKeyPairCommand({ KeyName: "openssh", PublicKeyMaterial: Buffer.from(`ssh-rsa ${blob} me@host`) }));
    const b = await sim.ec2.send(new ImportKeyPairCommand({ KeyName: "rfc4716", PublicKeyMaterial: Buffer.from(rfc4716) }));
    expect([a.KeyFingerprint, b.KeyFingerprint]).toEqual([md5Der, md5Der]);
    const listed = (await sim.ec2.send(new DescribeKeyPairsCommand({ KeyNames: ["rfc4716"], IncludePublicKey: true }))).KeyPairs![0]!;
    expect(listed).toMatchObject({ KeyName: "rfc4716", KeyFingerprint: md5Der, KeyType: "rsa" });
    expect(listed.PublicKey).toContain(`ssh-rsa ${blob}`);
    await expectAwsError(sim.ec2.send(new ImportKeyPairCommand({ KeyName: "junk", PublicKeyMaterial: Buffer.from("garbage") })), {
      name: "InvalidKey.Format",
      status: 400,
      message: "Key is not in valid OpenSSH public key format",
    });
  });
});

describe("AMIs (moto scenarios)", () => {
  it("CreateImage tags the image and its snapshots, and refuses another resource type", async () => {
    const inst = await runOne(sim.ec2);
    await expectAwsError(
      sim.ec2.send(
        new CreateImageCommand({
          InstanceId: inst.InstanceId,
          Name: "bad-tags",
          TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "k", Value: "v" }] }],
        }),
      ),
      { name: "InvalidParameterValue", status: 400, message: "'instance' is not a valid taggable resource type for this operation." },
    );
    const tags = [{ Key: "OS_Version", Value: "AWS Linux 2" }];
    const image = (
      await sim.ec2.send(new CreateImageCommand({ InstanceId: inst.InstanceId, Name: "good-tags", TagSpecifications: [{ ResourceType: "image", Tags: tags }] }))
    ).ImageId!;
    expect((await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [image] }))).Images![0]!.Tags).toEqual(tags);
  });

  it("launch permissions take organization and organizational unit ARNs", async () => {
    const inst = await runOne(sim.ec2);
    const image = (await sim.ec2.send(new CreateImageCommand({ InstanceId: inst.InstanceId, Name: "org-shared" }))).ImageId!;
    const org = "arn:aws:organizations::123456789012:organization/o-abcdefghij";
    const ou = "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefgh34";
    await sim.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, Attribute: "launchPermission", OperationType: "add", OrganizationArns: [org] }));
    await sim.ec2.send(
      new ModifyImageAttributeCommand({ ImageId: image, LaunchPermission: { Add: [{ OrganizationalUnitArn: ou }, { UserId: "111122223333" }] } }),
    );
    const perms = async () => (await sim.ec2.send(new DescribeImageAttributeCommand({ ImageId: image, Attribute: "launchPermission" }))).LaunchPermissions;
    expect(await perms()).toEqual([{ UserId: "111122223333" }, { OrganizationArn: org }, { OrganizationalUnitArn: ou }]);
    await sim.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, Attribute: "launchPermission", OperationType: "remove", OrganizationArns: [org] }));
    expect(await perms()).toEqual([{ UserId: "111122223333" }, { OrganizationalUnitArn: ou }]);
  });

  it("a deregistered image an instance still runs from is left out of DescribeImages by id; deregistering it again is InvalidAMIID.Unavailable", async () => {
    const inst = await runOne(sim.ec2);
    const image = (await sim.ec2.send(new CreateImageCommand({ InstanceId: inst.InstanceId, Name: "short-lived" }))).ImageId!;
    await runOne(sim.ec2, { ImageId: image });
    const unused = (await sim.ec2.send(new CreateImageCommand({ InstanceId: inst.InstanceId, Name: "never-launched" }))).ImageId!;
    await sim.ec2.send(new DeregisterImageCommand({ ImageId: image }));
    await sim.ec2.send(new DeregisterImageCommand({ ImageId: unused }));
    expect((await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [image] }))).Images).toEqual([]);
    expect((await sim.ec2.send(new DescribeImagesCommand({ Owners: ["self"] }))).Images!.map((i) => i.ImageId)).not.toContain(image);
    await expectAwsError(sim.ec2.send(new DescribeImagesCommand({ ImageIds: [unused] })), { name: "InvalidAMIID.NotFound", status: 400 });
    await expectAwsError(sim.ec2.send(new DeregisterImageCommand({ ImageId: image })), { name: "InvalidAMIID.Unavailable", status: 400 });
  });

  it("ExecutableUsers finds the AMIs shared with an account; launch permissions take only 12-digit account ids", async () => {
    const inst = await runOne(sim.ec2);
    const image = (await sim.ec2.send(new CreateImageCommand({ InstanceId: inst.InstanceId, Name: "shared-image" }))).ImageId!;
    await sim.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, Attribute: "launchPermission", OperationType: "add", UserIds: ["123456789011"] }));
    const shared = async (account: string) => (await sim.ec2.send(new DescribeImagesCommand({ ExecutableUsers: [account] }))).Images!.map((i) => i.ImageId);
    expect(await shared("123456789011")).toEqual([image]);
    expect(await shared("113355789012")).toEqual([]);
    expect((await shared("all")).length).toBeGreaterThan(0);
    expect(await shared("all")).not.toContain(image);
    for (const bad of ["12345678901A", "1234567890123", "12345678901"])
      await expectAwsError(
        sim.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, Attribute: "launchPermission", OperationType: "add", UserIds: ["123456789022", bad] })),
        { name: "InvalidAMIAttributeItemValue", status: 400 },
      );
    expect(await shared("123456789022")).toEqual([]);
  });
});

describe("EBS volumes (moto scenarios)", () => {
  it("refuses a KmsKeyId without Encrypted with AWS's InvalidParameterDependency", async () => {
    const dependency = { name: "InvalidParameterDependency", status: 400, message: "The parameter [KmsKeyId] requires the parameter Encrypted to be set." };
    await expectAwsError(sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 10, KmsKeyId: "alias/aws/ebs" })), dependency);
    await expectAwsError(
      sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 10, Encrypted: false, KmsKeyId: "alias/aws/ebs" })),
      dependency,
    );
    const v = await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 10, Encrypted: true, KmsKeyId: "alias/aws/ebs" }));
    expect(v.Encrypted).toBe(true);
  });

  it("a launch mapping with a throughput for a volume type other than gp3 is InvalidBlockDeviceMapping naming the device", async () => {
    for (const [DeviceName, Ebs] of [
      ["/dev/xvda", { VolumeType: "gp2", Throughput: 300 }],
      ["/dev/sdf", { VolumeSize: 10, VolumeType: "io1", Iops: 300, Throughput: 300 }],
    ] as const)
      await expectAwsError(runOne(sim.ec2, { BlockDeviceMappings: [{ DeviceName, Ebs }] }), {
        name: "InvalidBlockDeviceMapping",
        status: 400,
        message: `throughput cannot be specified with the volumeType of device '${DeviceName}'`,
      });
    const i = await runOne(sim.ec2, { BlockDeviceMappings: [{ DeviceName: "/dev/sdf", Ebs: { VolumeSize: 10, VolumeType: "gp3", Throughput: 300 } }] });
    expect(i.InstanceId).toMatch(/^i-/);
  });
});

describe("tag specifications (moto scenarios)", () => {
  it("an operation creating one kind of resource refuses TagSpecifications of another kind", async () => {
    const tags = [{ Key: "k", Value: "v" }];
    await expectAwsError(
      sim.ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: "tagged",
          LaunchTemplateData: { ImageId: "ami-0abcdef1234567890" },
          TagSpecifications: [{ ResourceType: "instance", Tags: tags }],
        }),
      ),
      { name: "InvalidParameterValue", status: 400, message: "'instance' is not a valid taggable resource type for this operation." },
    );
    await expectAwsError(sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16", TagSpecifications: [{ ResourceType: "subnet", Tags: tags }] })), {
      name: "InvalidParameterValue",
      status: 400,
      message: "'subnet' is not a valid taggable resource type for this operation.",
    });
    expect((await sim.ec2.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates).toEqual([]);
    // The launch template's own kind tags it; instance tags belong in LaunchTemplateData.
    await sim.ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: "tagged",
        LaunchTemplateData: { ImageId: "ami-0abcdef1234567890", TagSpecifications: [{ ResourceType: "instance", Tags: tags }] },
        TagSpecifications: [{ ResourceType: "launch-template", Tags: tags }],
      }),
    );
    expect((await sim.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ["tagged"] }))).LaunchTemplates![0]!.Tags).toEqual(tags);
  });
});

describe("VPC peering (moto scenarios)", () => {
  it("a cross-region request is rejected only in the accepter's region", async () => {
    const mine = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.90.0.0/16" }))).Vpc!.VpcId!;
    const theirs = (await sim.tokyo.send(new CreateVpcCommand({ CidrBlock: "10.20.0.0/16" }))).Vpc!.VpcId!;
    const pcx = (await sim.ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: mine, PeerVpcId: theirs, PeerRegion: "ap-northeast-1" })))
      .VpcPeeringConnection!.VpcPeeringConnectionId!;
    await expectAwsError(sim.ec2.send(new RejectVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx })), {
      name: "OperationNotPermitted",
      status: 400,
      message: /must be accepted or rejected in region ap-northeast-1/,
    });
    const status = async () =>
      (await sim.ec2.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [pcx] }))).VpcPeeringConnections![0]!.Status!.Code;
    expect(await status()).toBe("pending-acceptance");
    expect((await sim.tokyo.send(new RejectVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx }))).Return).toBe(true);
    expect(await status()).toBe("rejected");
  });
});

describe("VPC endpoints (moto scenarios)", () => {
  it("an interface endpoint lists its regional DNS name and one zonal name per Availability Zone", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    const a = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a" }))).Subnet!.SubnetId!;
    const b = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.0.2.0/24", AvailabilityZone: "us-east-1b" }))).Subnet!.SubnetId!;
    const ep = (
      await sim.ec2.send(
        new CreateVpcEndpointCommand({ VpcId: vpc, ServiceName: "com.amazonaws.us-east-1.ssm", VpcEndpointType: "Interface", SubnetIds: [a, b] }),
      )
    ).VpcEndpoint!;
    const names = (await sim.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [ep.VpcEndpointId!] }))).VpcEndpoints![0]!.DnsEntries!.map(
      (d) => d.DnsName,
    );
    expect(names).toHaveLength(3);
    const [regional, ...zonal] = names;
    expect(regional).toMatch(new RegExp(`^${ep.VpcEndpointId}-[0-9a-z]{8}\\.ssm\\.us-east-1\\.vpce\\.amazonaws\\.com$`));
    const prefix = regional!.split(".")[0];
    expect(zonal.sort()).toEqual([`${prefix}-us-east-1a.ssm.us-east-1.vpce.amazonaws.com`, `${prefix}-us-east-1b.ssm.us-east-1.vpce.amazonaws.com`]);
  });

  it("S3 is two AWS endpoint services: a Gateway one under its own DNS name and an Interface one under vpce", async () => {
    const out = await sim.ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: ["com.amazonaws.us-east-1.s3"] }));
    expect(out.ServiceNames).toEqual(["com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.s3"]);
    expect(out.ServiceDetails!.map((d) => [d.ServiceType, d.BaseEndpointDnsNames])).toEqual([
      [[{ ServiceType: "Gateway" }], ["s3.us-east-1.amazonaws.com"]],
      [[{ ServiceType: "Interface" }], ["s3.us-east-1.vpce.amazonaws.com"]],
    ]);
    const iface = await sim.ec2.send(
      new DescribeVpcEndpointServicesCommand({
        Filters: [
          { Name: "service-type", Values: ["Interface"] },
          { Name: "service-name", Values: ["com.amazonaws.us-east-1.s3"] },
        ],
      }),
    );
    expect(iface.ServiceNames).toEqual(["com.amazonaws.us-east-1.s3"]);
    expect(iface.ServiceDetails![0]).toMatchObject({ ServiceType: [{ ServiceType: "Interface" }], Owner: "amazon", Tags: [] });
    expect(iface.ServiceDetails![0]!.ServiceId).not.toBe(out.ServiceDetails![0]!.ServiceId);
  });
});

describe("DHCP options (moto scenarios)", () => {
  it("leaves out an empty tag set, as AWS's create and describe examples show", async () => {
    const d = (await sim.ec2.send(new CreateDhcpOptionsCommand({ DhcpConfigurations: [{ Key: "domain-name", Values: ["example.com"] }] }))).DhcpOptions!;
    expect(d.Tags).toBeUndefined();
    const listed = (await sim.ec2.send(new DescribeDhcpOptionsCommand({ DhcpOptionsIds: [d.DhcpOptionsId!] }))).DhcpOptions![0]!;
    expect(listed.Tags).toBeUndefined();
    expect(listed.DhcpConfigurations).toEqual([{ Key: "domain-name", Values: [{ Value: "example.com" }] }]);
  });

  it("refuses NTP servers that are not IPv4 addresses and an undocumented NetBIOS node type", async () => {
    const create = (Key: string, Values: string[]) => sim.ec2.send(new CreateDhcpOptionsCommand({ DhcpConfigurations: [{ Key, Values }] }));
    await expectAwsError(create("ntp-servers", ["f"]), { name: "InvalidParameterValue", status: 400 });
    await expectAwsError(create("ntp-servers", ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"]), { name: "InvalidParameterValue", status: 400 });
    await expectAwsError(create("netbios-node-type", ["0"]), { name: "InvalidParameterValue", status: 400 });
    const ok = (await create("netbios-node-type", ["2"])).DhcpOptions!;
    expect(ok.DhcpConfigurations).toEqual([{ Key: "netbios-node-type", Values: [{ Value: "2" }] }]);
    expect((await create("ntp-servers", ["169.254.169.123"])).DhcpOptions!.DhcpConfigurations![0]!.Values).toEqual([{ Value: "169.254.169.123" }]);
  });
});

describe("launch templates (moto's AWS-verified scenarios)", () => {
  const usage =
    "To describe the launch template data for all your launch templates, for ‘--versions’ specify ‘$Latest’, ‘$Default’, or both, and omit ‘--launch-template-id’, ‘--launch-template-name’, and version numbers. To describe the launch template data for a specific launch template, specify ‘--launch-template-id’ or ‘--launch-template-name’, and for ‘--versions’ specify one or more of the following values: ‘$Latest’, ‘$Default’, or one or more version numbers.";

  it("answers AWS's errors for versions, names and ids", async () => {
    const lt = (await sim.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "verified", LaunchTemplateData: { ImageId: "ami-12c6146b" } })))
      .LaunchTemplate!;
    await expectAwsError(sim.ec2.send(new DescribeLaunchTemplateVersionsCommand({})), { name: "MissingParameter", status: 400, message: usage });
    await expectAwsError(sim.ec2.send(new DescribeLaunchTemplateVersionsCommand({ Versions: ["1"] })), {
      name: "InvalidParameterValue",
      status: 400,
      message: usage,
    });
    expect((await sim.ec2.send(new DescribeLaunchTemplateVersionsCommand({ Versions: ["$Latest"] }))).LaunchTemplateVersions).toHaveLength(1);
    await expectAwsError(sim.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: "verified", Versions: ["3"] })), {
      name: "InvalidLaunchTemplateId.VersionNotFound",
      status: 400,
      message: `Could not find the specified version 3 for the launch template with ID ${lt.LaunchTemplateId}.`,
    });
    await expectAwsError(sim.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ["verified", "absent"] })), {
      name: "InvalidLaunchTemplateName.NotFoundException",
      status: 400,
      message: "At least one of the launch templates specified in the request does not exist.",
    });
    await expectAwsError(sim.ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateName: "verified", DefaultVersion: "2" })), {
      name: "InvalidLaunchTemplateId.VersionNotFound",
      status: 400,
      message: "The launch template version 2 is not found for the specified launch template.",
    });
    await expectAwsError(
      sim.ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: lt.LaunchTemplateId, LaunchTemplateName: "verified", DefaultVersion: "1" })),
      { name: "InvalidParameterCombination", status: 400, message: "Either provide launch template ID or launch template name to modify the template." },
    );
    await sim.ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: "verified", LaunchTemplateData: { ImageId: "ami-def456" } }));
    expect(
      (await sim.ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateName: "verified", DefaultVersion: "2" }))).LaunchTemplate!.DefaultVersionNumber,
    ).toBe(2);
  });
});
