import {
  AssociateIamInstanceProfileCommand,
  CreateDefaultSubnetCommand,
  CreateDefaultVpcCommand,
  CreatePlacementGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeSubnetsCommand,
  DisassociateIamInstanceProfileCommand,
  DeleteInternetGatewayCommand,
  DescribeInternetGatewaysCommand,
  DetachInternetGatewayCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeletePlacementGroupCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstanceCreditSpecificationsCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeNetworkInterfacesCommand,
  DescribePlacementGroupsCommand,
  DescribeVpcsCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  ModifyInstanceCreditSpecificationCommand,
  ModifyInstanceMetadataOptionsCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { CreateInstanceProfileCommand, IAMClient } from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";
import { AMI, describeInstance } from "./ec2-fixtures.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("instances in full", () => {
  it("launches with several network interfaces, secondary addresses and per-interface groups", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.7.0.0/16" }))).Vpc!.VpcId!;
    const a = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.7.1.0/24", AvailabilityZone: "us-east-1a" }))).Subnet!.SubnetId!;
    const b = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.7.2.0/24", AvailabilityZone: "us-east-1a" }))).Subnet!.SubnetId!;
    const sg = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "nic", Description: "nic", VpcId: vpc }))).GroupId!;
    const r = await sim.ec2.send(
      new RunInstancesCommand({
        ImageId: AMI,
        MinCount: 1,
        MaxCount: 1,
        InstanceType: "t3.micro",
        NetworkInterfaces: [
          { DeviceIndex: 0, SubnetId: a, PrivateIpAddress: "10.7.1.10", SecondaryPrivateIpAddressCount: 2, Groups: [sg] },
          { DeviceIndex: 1, SubnetId: b, DeleteOnTermination: false, Description: "second" },
        ],
      }),
    );
    const id = r.Instances![0]!.InstanceId!;
    const i = await describeInstance(sim.ec2, id);
    expect(i.PrivateIpAddress).toBe("10.7.1.10");
    const nics = i.NetworkInterfaces!.sort((x, y) => x.Attachment!.DeviceIndex! - y.Attachment!.DeviceIndex!);
    expect(nics).toHaveLength(2);
    expect(nics[0]!.PrivateIpAddresses!.map((p) => p.Primary)).toEqual([true, false, false]);
    expect(nics[0]!.Groups!.map((g) => g.GroupId)).toEqual([sg]);
    expect(nics[1]).toMatchObject({ SubnetId: b, Description: "second" });
    expect(nics[1]!.Attachment!.DeleteOnTermination).toBe(false);
    const byNic = await sim.ec2.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: "network-interface.addresses.private-ip-address", Values: [nics[0]!.PrivateIpAddresses![2]!.PrivateIpAddress!] }],
      }),
    );
    expect(byNic.Reservations!.flatMap((x) => x.Instances!).map((x) => x.InstanceId)).toEqual([id]);
    const secondary = nics[0]!.PrivateIpAddresses![1]!.PrivateIpAddress!;
    const eniBySecondary = await sim.ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "addresses.private-ip-address", Values: [secondary] }] }),
    );
    expect(eniBySecondary.NetworkInterfaces!.map((n) => n.NetworkInterfaceId)).toEqual([nics[0]!.NetworkInterfaceId]);
    const bySourceDest = await sim.ec2.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [
          { Name: "attachment.device-index", Values: ["1"] },
          { Name: "source-dest-check", Values: ["true"] },
        ],
      }),
    );
    expect(bySourceDest.NetworkInterfaces!.map((n) => n.NetworkInterfaceId)).toEqual([nics[1]!.NetworkInterfaceId]);
    const bySubnet = await sim.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "network-interface.subnet-id", Values: [b] }] }));
    expect(bySubnet.Reservations).toHaveLength(1);
    await expectAwsError(
      sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, SubnetId: a, NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: a }] })),
      { name: "InvalidParameterCombination", status: 400 },
    );
    await sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    const left = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "vpc-id", Values: [vpc] }] }))).NetworkInterfaces!;
    expect(left.map((n) => [n.SubnetId, n.Status])).toEqual([[b, "available"]]);
  });

  it("user data round-trips exactly as sent, and ModifyInstanceAttribute replaces it while stopped", async () => {
    const sent = Buffer.from("#!/bin/bash\necho 'hello'\n").toString("base64");
    const id = (await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, UserData: sent }))).Instances![0]!.InstanceId!;
    const got = await sim.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: "userData" }));
    expect(got.UserData!.Value).toBe(sent);
    await expectAwsError(sim.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, UserData: { Value: new TextEncoder().encode("x") } })), {
      name: "IncorrectInstanceState",
      status: 400,
    });
  });

  it("filters: source-dest-check, block-device-mapping, tenancy; isDefault on VPCs", async () => {
    const one = (await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
    const two = (await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
    await sim.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: two, SourceDestCheck: { Value: false } }));
    const ids = async (Name: string, Values: string[]) =>
      (await sim.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name, Values }] }))).Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId));
    expect(await ids("source-dest-check", ["false"])).toEqual([two]);
    expect(await ids("network-interface.source-dest-check", ["true"])).toEqual([one]);
    expect((await ids("block-device-mapping.device-name", ["/dev/xvda"])).sort()).toEqual([one, two].sort());
    const vol = (await describeInstance(sim.ec2, one)).BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    expect(await ids("block-device-mapping.volume-id", [vol])).toEqual([one]);
    expect((await ids("tenancy", ["default"])).length).toBe(2);
    await expectAwsError(sim.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "no-such-filter", Values: ["x"] }] })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    const def = (await sim.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "isDefault", Values: ["true"] }] }))).Vpcs!;
    expect(def).toHaveLength(1);
    expect(def[0]!.IsDefault).toBe(true);
  });

  it("placement groups, metadata options and CPU credits", async () => {
    const pg = await sim.ec2.send(new CreatePlacementGroupCommand({ GroupName: "tight", Strategy: "cluster" }));
    expect(pg.PlacementGroup).toMatchObject({ GroupName: "tight", State: "available", Strategy: "cluster" });
    expect(pg.PlacementGroup!.GroupId).toMatch(/^pg-/);
    await expectAwsError(sim.ec2.send(new CreatePlacementGroupCommand({ GroupName: "tight", Strategy: "cluster" })), {
      name: "InvalidPlacementGroup.Duplicate",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, Placement: { GroupName: "loose" } })), {
      name: "InvalidPlacementGroup.Unknown",
      status: 400,
    });
    const id = (
      await sim.ec2.send(
        new RunInstancesCommand({
          ImageId: AMI,
          MinCount: 1,
          MaxCount: 1,
          InstanceType: "t3.micro",
          Placement: { GroupName: "tight" },
          MetadataOptions: { HttpTokens: "optional", HttpPutResponseHopLimit: 1 },
          CreditSpecification: { CpuCredits: "standard" },
        }),
      )
    ).Instances![0]!.InstanceId!;
    const i = await describeInstance(sim.ec2, id);
    expect(i.Placement).toMatchObject({ GroupName: "tight", Tenancy: "default" });
    expect(i.MetadataOptions).toMatchObject({ HttpTokens: "optional", HttpPutResponseHopLimit: 1, HttpEndpoint: "enabled" });
    await expectAwsError(sim.ec2.send(new DeletePlacementGroupCommand({ GroupName: "tight" })), { name: "InvalidPlacementGroup.InUse", status: 400 });
    const groups = (await sim.ec2.send(new DescribePlacementGroupsCommand({ Filters: [{ Name: "strategy", Values: ["cluster"] }] }))).PlacementGroups!;
    expect(groups.map((g) => g.GroupName)).toEqual(["tight"]);

    const m = await sim.ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpTokens: "required", HttpPutResponseHopLimit: 3 }));
    expect(m.InstanceMetadataOptions).toMatchObject({ State: "pending", HttpTokens: "required", HttpPutResponseHopLimit: 3 });
    expect((await describeInstance(sim.ec2, id)).MetadataOptions).toMatchObject({ State: "applied", HttpTokens: "required" });

    const credits = await sim.ec2.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [id] }));
    expect(credits.InstanceCreditSpecifications).toEqual([{ InstanceId: id, CpuCredits: "standard" }]);
    const mod = await sim.ec2.send(
      new ModifyInstanceCreditSpecificationCommand({ InstanceCreditSpecifications: [{ InstanceId: id, CpuCredits: "unlimited" }] }),
    );
    expect(mod.SuccessfulInstanceCreditSpecifications).toEqual([{ InstanceId: id }]);
    expect((await sim.ec2.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [id] }))).InstanceCreditSpecifications![0]!.CpuCredits).toBe(
      "unlimited",
    );

    const offers = await sim.ec2.send(
      new DescribeInstanceTypeOfferingsCommand({ LocationType: "availability-zone", Filters: [{ Name: "instance-type", Values: ["t3.micro"] }] }),
    );
    expect(offers.InstanceTypeOfferings!.map((o) => o.Location)).toContain("us-east-1a");
  });
});

describe("default VPC and instance profiles", () => {
  it("CreateDefaultVpc recreates a deleted default VPC; CreateDefaultSubnet fills a zone", async () => {
    await expectAwsError(sim.ec2.send(new CreateDefaultVpcCommand({})), { name: "DefaultVpcAlreadyExists", status: 400 });
    const vpc = (await sim.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }))).Vpcs![0]!.VpcId!;
    for (const sub of (await sim.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpc] }] }))).Subnets!)
      await sim.ec2.send(new DeleteSubnetCommand({ SubnetId: sub.SubnetId! }));
    for (const g of (await sim.ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [vpc] }] }))).InternetGateways!) {
      await sim.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: g.InternetGatewayId!, VpcId: vpc }));
      await sim.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: g.InternetGatewayId! }));
    }
    await sim.ec2.send(new DeleteVpcCommand({ VpcId: vpc }));
    const fresh = (await sim.ec2.send(new CreateDefaultVpcCommand({}))).Vpc!;
    expect(fresh).toMatchObject({ CidrBlock: "172.31.0.0/16", IsDefault: true });
    const subs = (await sim.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [fresh.VpcId!] }] }))).Subnets!;
    expect(subs).toHaveLength(6);
    await sim.ec2.send(new DeleteSubnetCommand({ SubnetId: subs.find((x) => x.AvailabilityZone === "us-east-1c")!.SubnetId! }));
    const again = (await sim.ec2.send(new CreateDefaultSubnetCommand({ AvailabilityZone: "us-east-1c" }))).Subnet!;
    expect(again).toMatchObject({ DefaultForAz: true, AvailabilityZone: "us-east-1c", MapPublicIpOnLaunch: true });
    await expectAwsError(sim.ec2.send(new CreateDefaultSubnetCommand({ AvailabilityZone: "us-east-1c" })), {
      name: "DefaultSubnetAlreadyExistsInAvailabilityZone",
      status: 400,
    });
  });

  it("instance profile associations", async () => {
    await new IAMClient(clientConfig(sim.server)).send(new CreateInstanceProfileCommand({ InstanceProfileName: "app" }));
    const id = (await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
    const a = (await sim.ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Name: "app" } })))
      .IamInstanceProfileAssociation!;
    expect(a).toMatchObject({ InstanceId: id, State: "associating", IamInstanceProfile: { Arn: "arn:aws:iam::000000000000:instance-profile/app" } });
    await expectAwsError(sim.ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Name: "other" } })), {
      name: "IncorrectState",
      status: 400,
    });
    const listed = await sim.ec2.send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: "instance-id", Values: [id] }] }));
    expect(listed.IamInstanceProfileAssociations!.map((x) => x.AssociationId)).toEqual([a.AssociationId]);
    expect((await describeInstance(sim.ec2, id)).IamInstanceProfile!.Arn).toBe("arn:aws:iam::000000000000:instance-profile/app");
    await sim.ec2.send(new DisassociateIamInstanceProfileCommand({ AssociationId: a.AssociationId! }));
    expect((await describeInstance(sim.ec2, id)).IamInstanceProfile).toBeUndefined();
  });
});
