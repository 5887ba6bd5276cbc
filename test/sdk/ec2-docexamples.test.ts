/**
 * AWS's own EC2 code examples (awsdocs/aws-doc-sdk-examples) replayed against awsim: the call sequences of
 * javascriptv3/example_code/ec2/scenarios/steps.js (the basics scenario), its actions/, and
 * python/example_code/ec2 (scenario_get_started_instances.py with elastic_ip.py, security_group.py),
 * re-typed here; each test names the step it comes from. The SSM public-parameter lookup of the AMI is
 * replaced by the seeded Amazon Linux 2 image (awsim has no SSM), the checkip.amazonaws.com call by a
 * documentation address.
 */
import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  DeleteKeyPairCommand,
  DeleteSecurityGroupCommand,
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DisassociateAddressCommand,
  EC2Client,
  paginateDescribeImages,
  paginateDescribeInstances,
  paginateDescribeInstanceTypes,
  ReleaseAddressCommand,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  waitUntilInstanceRunning,
  waitUntilInstanceStatusOk,
  waitUntilInstanceStopped,
  waitUntilInstanceTerminated,
  type Instance,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const t = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));
const AMZN2 = "ami-0c02fb55956c7d316";

async function describeOne(id: string): Promise<Instance> {
  return (await t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
}

describe("javascriptv3 ec2 scenarios/steps.js (basics scenario)", () => {
  it("runs key pair → security group → image → instance type → instance → stop/start → elastic IP → clean up", async () => {
    const ec2 = t.ec2;
    const { KeyMaterial, KeyPairId } = await ec2.send(new CreateKeyPairCommand({ KeyName: "ec2-example-key-pair" }));
    expect(KeyMaterial).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(KeyPairId).toMatch(/^key-[0-9a-f]{17}$/);
    await expectAwsError(ec2.send(new CreateKeyPairCommand({ KeyName: "ec2-example-key-pair" })), { name: "InvalidKeyPair.Duplicate", status: 400 });

    const { GroupId } = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: "ec2-scenario-sg", Description: "A security group for the Amazon EC2 example." }),
    );
    await expectAwsError(ec2.send(new CreateSecurityGroupCommand({ GroupName: "ec2-scenario-sg", Description: "x" })), {
      name: "InvalidGroup.Duplicate",
      status: 400,
    });
    const auth = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "203.0.113.5/32" }] }],
      }),
    );
    expect(auth.Return).toBe(true);

    const images = [];
    for await (const page of paginateDescribeImages({ client: ec2 }, { ImageIds: [AMZN2] })) images.push(...(page.Images ?? []));
    expect(images.map((i) => [i.ImageId, i.Architecture])).toEqual([[AMZN2, "x86_64"]]);
    expect(images[0]!.Description).toBeTruthy();

    const types = [];
    for await (const page of paginateDescribeInstanceTypes(
      { client: ec2, pageSize: 25 },
      {
        Filters: [
          { Name: "processor-info.supported-architecture", Values: [images[0]!.Architecture!] },
          { Name: "instance-type", Values: ["*.micro", "*.small"] },
        ],
      },
    ))
      types.push(...page.InstanceTypes!);
    expect(types.length).toBeGreaterThan(0);
    for (const it of types) {
      expect(it.InstanceType).toMatch(/\.(micro|small)$/);
      expect(it.ProcessorInfo!.SupportedArchitectures).toContain("x86_64");
      expect(it.MemoryInfo!.SizeInMiB).toBeGreaterThan(0);
    }

    const { Instances } = await ec2.send(
      new RunInstancesCommand({
        KeyName: "ec2-example-key-pair",
        SecurityGroupIds: [GroupId!],
        ImageId: AMZN2,
        InstanceType: types[0]!.InstanceType,
        MinCount: 1,
        MaxCount: 1,
      }),
    );
    const id = Instances![0]!.InstanceId!;
    expect((await waitUntilInstanceStatusOk({ client: ec2, maxWaitTime: 60 }, { InstanceIds: [id] })).state).toBe("SUCCESS");
    const found: Instance[] = [];
    for await (const page of paginateDescribeInstances({ client: ec2 }, { InstanceIds: [id] })) for (const r of page.Reservations!) found.push(...r.Instances!);
    expect(found).toHaveLength(1);
    const firstIp = found[0]!.PublicIpAddress;
    expect(firstIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(found[0]!.KeyName).toBe("ec2-example-key-pair");

    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect((await waitUntilInstanceStopped({ client: ec2, maxWaitTime: 60 }, { InstanceIds: [id] })).state).toBe("SUCCESS");
    await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    expect((await waitUntilInstanceStatusOk({ client: ec2, maxWaitTime: 60 }, { InstanceIds: [id] })).state).toBe("SUCCESS");
    expect((await describeOne(id)).PublicIpAddress).not.toBe(firstIp);

    const { AllocationId, PublicIp } = await ec2.send(new AllocateAddressCommand({}));
    const { AssociationId } = await ec2.send(new AssociateAddressCommand({ AllocationId, InstanceId: id }));
    expect(AssociationId).toMatch(/^eipassoc-/);
    expect((await describeOne(id)).PublicIpAddress).toBe(PublicIp);

    await ec2.send(new DisassociateAddressCommand({ AssociationId }));
    await ec2.send(new ReleaseAddressCommand({ AllocationId }));
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect((await waitUntilInstanceTerminated({ client: ec2, maxWaitTime: 60 }, { InstanceIds: [id] })).state).toBe("SUCCESS");
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId }));
    await ec2.send(new DeleteKeyPairCommand({ KeyName: "ec2-example-key-pair" }));
  });

  it("the errors each step catches by name", async () => {
    const ec2 = t.ec2;
    // maybeDeleteKeyPair catches MissingParameter; maybeDeleteSecurityGroup and authorizeSecurityGroupIngress InvalidGroupId.Malformed.
    await expectAwsError(ec2.send(new DeleteKeyPairCommand({})), { name: "MissingParameter", status: 400 });
    await expectAwsError(ec2.send(new DeleteSecurityGroupCommand({ GroupId: "bogus" })), {
      name: "InvalidGroupId.Malformed",
      status: 400,
      message: 'Invalid id: "bogus" (expecting "sg-...")',
    });
    // associateIp / maybeReleaseAddress catch InvalidAllocationID.NotFound, maybeDisassociateAddress InvalidAssociationID.NotFound.
    await expectAwsError(ec2.send(new ReleaseAddressCommand({ AllocationId: "eipalloc-0123456789abcdef0" })), {
      name: "InvalidAllocationID.NotFound",
      status: 400,
    });
    await expectAwsError(ec2.send(new DisassociateAddressCommand({ AssociationId: "eipassoc-0123456789abcdef0" })), {
      name: "InvalidAssociationID.NotFound",
      status: 400,
    });
    // actions/describe-addresses.js catches InvalidAllocationID.NotFound.
    await expectAwsError(ec2.send(new DescribeAddressesCommand({ AllocationIds: ["eipalloc-0123456789abcdef0"] })), {
      name: "InvalidAllocationID.NotFound",
      status: 400,
    });
  });
});

describe("javascriptv3 ec2 actions/describe-security-groups.js", () => {
  it("a malformed group id is InvalidGroupId.Malformed (the error the example catches), an unknown one InvalidGroup.NotFound", async () => {
    await expectAwsError(t.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ["bad"] })), {
      name: "InvalidGroupId.Malformed",
      status: 400,
      message: 'Invalid id: "bad" (expecting "sg-...")',
    });
    // With the sg- prefix AWS leaves out the hint (ingenieux/beanstalker#126: a comma-joined pair of ids).
    await expectAwsError(t.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-0f8c950bc7329a653,sg-06d4615187690e062"] })), {
      name: "InvalidGroupId.Malformed",
      status: 400,
      message: 'Invalid id: "sg-0f8c950bc7329a653,sg-06d4615187690e062"',
    });
    await expectAwsError(t.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-0123456789abcdef0"] })), {
      name: "InvalidGroup.NotFound",
      status: 400,
      message: "The security group 'sg-0123456789abcdef0' does not exist",
    });
    const all = await t.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [] }));
    expect(all.SecurityGroups!.map((g) => g.GroupName)).toContain("default");
  });
});

describe("python ec2 elastic_ip.py disassociate", () => {
  it("an instance launched with a public IPv4 address gets a new one when its elastic IP is disassociated", async () => {
    // elastic_ip.py: "When the association is removed, the instance is assigned a new public IP address."
    const id = (await t.ec2.send(new RunInstancesCommand({ ImageId: AMZN2, InstanceType: "t2.micro", MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
    await waitUntilInstanceRunning({ client: t.ec2, maxWaitTime: 60 }, { InstanceIds: [id] });
    const launched = (await describeOne(id)).PublicIpAddress;
    expect(launched).toBeTruthy();
    const { AllocationId, PublicIp } = await t.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
    const { AssociationId } = await t.ec2.send(new AssociateAddressCommand({ AllocationId, InstanceId: id }));
    expect((await describeOne(id)).PublicIpAddress).toBe(PublicIp);
    await t.ec2.send(new DisassociateAddressCommand({ AssociationId }));
    const after = (await describeOne(id)).PublicIpAddress;
    expect(after).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(after).not.toBe(PublicIp);
    expect(after).not.toBe(launched);
    const addr = (await t.ec2.send(new DescribeAddressesCommand({ AllocationIds: [AllocationId!] }))).Addresses![0]!;
    expect(addr.AssociationId).toBeUndefined();
    expect(addr.InstanceId).toBeUndefined();
  });

  it("an instance launched without a public address has none again after the disassociation", async () => {
    const subnet = (await t.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }))).Subnets![0]!.SubnetId;
    const id = (
      await t.ec2.send(
        new RunInstancesCommand({
          ImageId: AMZN2,
          InstanceType: "t2.micro",
          MinCount: 1,
          MaxCount: 1,
          NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnet, AssociatePublicIpAddress: false }],
        }),
      )
    ).Instances![0]!.InstanceId!;
    await waitUntilInstanceRunning({ client: t.ec2, maxWaitTime: 60 }, { InstanceIds: [id] });
    expect((await describeOne(id)).PublicIpAddress).toBeUndefined();
    const { AllocationId, PublicIp } = await t.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
    const { AssociationId } = await t.ec2.send(new AssociateAddressCommand({ AllocationId, InstanceId: id }));
    expect((await describeOne(id)).PublicIpAddress).toBe(PublicIp);
    await t.ec2.send(new DisassociateAddressCommand({ AssociationId }));
    expect((await describeOne(id)).PublicIpAddress).toBeUndefined();
  });
});

describe("instance type and AMI architectures (steps.js getCompatibleInstanceTypes, python instance.py get_instance_types)", () => {
  it("RunInstances refuses an instance type whose architecture the AMI does not have, with AWS's InvalidParameterValue", async () => {
    // Both examples pick instance types by the image's architecture because AWS refuses a mismatch.
    await expectAwsError(t.ec2.send(new RunInstancesCommand({ ImageId: AMZN2, InstanceType: "t4g.micro", MinCount: 1, MaxCount: 1 })), {
      name: "InvalidParameterValue",
      status: 400,
      message:
        "The architecture 'arm64' of the specified instance type does not match the architecture 'x86_64' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.",
    });
    const arm = "ami-0f9fc25dd2506cf6d"; // awsim's Amazon Linux 2023 arm64 image
    await expectAwsError(t.ec2.send(new RunInstancesCommand({ ImageId: arm, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1 })), {
      name: "InvalidParameterValue",
      status: 400,
      message: /^The architecture 'x86_64' of the specified instance type does not match the architecture 'arm64' of the specified AMI\./,
    });
    const ok = (await t.ec2.send(new RunInstancesCommand({ ImageId: arm, InstanceType: "t4g.micro", MinCount: 1, MaxCount: 1 }))).Instances![0]!;
    expect(ok.Architecture).toBe("arm64");
  });

  it("an AMI id awsim has not seen takes the architecture of the type that first launches it", async () => {
    const id = "ami-0aaaaaaaaaaaaaaa1";
    const i = (await t.ec2.send(new RunInstancesCommand({ ImageId: id, InstanceType: "t4g.small", MinCount: 1, MaxCount: 1 }))).Instances![0]!;
    expect(i.Architecture).toBe("arm64");
    const img = [];
    for await (const page of paginateDescribeImages({ client: t.ec2 }, { ImageIds: [id] })) img.push(...page.Images!);
    expect(img[0]!.Architecture).toBe("arm64");
  });
});

describe("python ec2 ec2_basics/ec2_instance_management.py allow_security_group_ingress", () => {
  it("AuthorizeSecurityGroupIngress with only SourceSecurityGroupName grants full ICMP, UDP and TCP from that group", async () => {
    const target = (await t.ec2.send(new CreateSecurityGroupCommand({ GroupName: "no-ssh-group", Description: "Demo group that does not allow SSH." })))
      .GroupId!;
    const source = (await t.ec2.send(new CreateSecurityGroupCommand({ GroupName: "ssh-group", Description: "Demo group that allows SSH." }))).GroupId!;
    const r = await t.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: target, SourceSecurityGroupName: "ssh-group" }));
    expect(r.Return).toBe(true);
    const g = (await t.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [target] }))).SecurityGroups![0]!;
    const perms = g.IpPermissions!.map((p) => [p.IpProtocol, p.FromPort, p.ToPort, p.UserIdGroupPairs!.map((x) => x.GroupId)]);
    expect(perms.sort()).toEqual(
      [
        ["icmp", -1, -1, [source]],
        ["tcp", 0, 65535, [source]],
        ["udp", 0, 65535, [source]],
      ].sort(),
    );
    // The same form revokes what it granted.
    await t.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: target, SourceSecurityGroupName: "ssh-group" }));
    expect((await t.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [target] }))).SecurityGroups![0]!.IpPermissions).toEqual([]);
  });
});
