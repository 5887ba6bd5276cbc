/** EC2 answers as AWS was recorded answering: flow-log validation, CreateVolume's missing size, peering before acceptance, create answers. */
import {
  AcceptVpcPeeringConnectionCommand,
  CreateFlowLogsCommand,
  CreateLaunchTemplateCommand,
  CreateSecurityGroupCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  CreateVpcPeeringConnectionCommand,
  CreateVpnGatewayCommand,
  DescribeFlowLogsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  EC2Client,
  GetSecurityGroupsForVpcCommand,
} from "@aws-sdk/client-ec2";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const t = useServer({}, (cfg) => ({
  ec2: new EC2Client(cfg),
  west: new EC2Client({ ...cfg, region: "us-west-2" }),
  s3: new S3Client({ ...cfg, forcePathStyle: true }),
}));

const newVpc = async (cidr = "10.0.0.0/24") => (await t.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;

describe("flow logs to S3", () => {
  it("a flow log to a bucket has S3 destination options and the answer a client token", async () => {
    await t.s3.send(new CreateBucketCommand({ Bucket: "parity-flow-logs" }));
    const vpc = await newVpc();
    const r = await t.ec2.send(
      new CreateFlowLogsCommand({
        ResourceIds: [vpc],
        ResourceType: "VPC",
        LogDestinationType: "s3",
        LogDestination: "arn:aws:s3:::parity-flow-logs",
        TrafficType: "ALL",
      }),
    );
    expect(r.ClientToken).toBeTruthy();
    expect(r.Unsuccessful).toEqual([]);
    const [fl] = (await t.ec2.send(new DescribeFlowLogsCommand({ FlowLogIds: r.FlowLogIds }))).FlowLogs!;
    expect(fl!.DestinationOptions).toEqual({ FileFormat: "plain-text", HiveCompatiblePartitions: false, PerHourPartition: false });
    expect(fl).toMatchObject({ LogDestinationType: "s3", LogDestination: "arn:aws:s3:::parity-flow-logs", MaxAggregationInterval: 600, TrafficType: "ALL" });
    const sub = await t.ec2.send(
      new CreateFlowLogsCommand({
        ResourceIds: [vpc],
        ResourceType: "VPC",
        LogDestinationType: "s3",
        LogDestination: "arn:aws:s3:::parity-flow-logs/subfolder/",
        TrafficType: "ALL",
      }),
    );
    expect(sub.FlowLogIds).toHaveLength(1);
  });

  it("a missing bucket fails the resource, not the request", async () => {
    const vpc = await newVpc();
    const r = await t.ec2.send(
      new CreateFlowLogsCommand({
        ResourceIds: [vpc],
        ResourceType: "VPC",
        LogDestinationType: "s3",
        LogDestination: "arn:aws:s3:::parity-no-such-bucket",
        TrafficType: "ALL",
      }),
    );
    expect(r.FlowLogIds).toEqual([]);
    expect(r.Unsuccessful).toEqual([{ ResourceId: vpc, Error: { Code: "400", Message: "LogDestination: parity-no-such-bucket does not exist" } }]);
  });

  it("LogGroupName and LogDestination combinations have AWS's InvalidParameter messages", async () => {
    const vpc = await newVpc();
    const base = { ResourceIds: [vpc], ResourceType: "VPC" as const, LogDestinationType: "s3" as const, TrafficType: "ALL" as const };
    await expectAwsError(t.ec2.send(new CreateFlowLogsCommand({ ...base, LogDestination: "arn:aws:s3:::parity-flow-logs", LogGroupName: "test-group-name" })), {
      name: "InvalidParameter",
      status: 400,
      message: "Please only provide LogGroupName or only provide LogDestination.",
    });
    await expectAwsError(t.ec2.send(new CreateFlowLogsCommand(base)), {
      name: "InvalidParameter",
      status: 400,
      message: "LogDestination can't be empty if LogGroupName is not provided.",
    });
    await expectAwsError(t.ec2.send(new CreateFlowLogsCommand({ ...base, LogGroupName: "test" })), {
      name: "InvalidParameter",
      status: 400,
      message: "LogDestination type must be cloud-watch-logs if LogGroupName is provided.",
    });
  });
});

describe("volumes", () => {
  it("CreateVolume without a size or snapshot names size/snapshot", async () => {
    await expectAwsError(t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a" })), {
      name: "MissingParameter",
      status: 400,
      message: "The request must contain the parameter size/snapshot",
    });
  });
});

describe("launch templates", () => {
  it("a malformed name is InvalidLaunchTemplateName.MalformedException", async () => {
    await expectAwsError(
      t.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "some illegal name", LaunchTemplateData: { ImageId: "ami-06c39ed6b42908a36" } })),
      {
        name: "InvalidLaunchTemplateName.MalformedException",
        status: 400,
        message: "A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.",
      },
    );
  });
});

describe("VPC peering across regions", () => {
  it("before acceptance the accepter side shows owner, VPC and region only; once active, all of it", async () => {
    const a = await newVpc("192.168.1.0/24");
    const b = (await t.west.send(new CreateVpcCommand({ CidrBlock: "192.168.2.0/24" }))).Vpc!.VpcId!;
    const id = (await t.ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b, PeerRegion: "us-west-2" }))).VpcPeeringConnection!
      .VpcPeeringConnectionId!;
    const [pending] = (await t.west.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [id] }))).VpcPeeringConnections!;
    expect(pending!.Status).toEqual({ Code: "pending-acceptance", Message: "Pending Acceptance by 000000000000" });
    expect(pending!.AccepterVpcInfo).toEqual({ OwnerId: "000000000000", Region: "us-west-2", VpcId: b });
    expect(pending!.RequesterVpcInfo).toMatchObject({ CidrBlock: "192.168.1.0/24", CidrBlockSet: [{ CidrBlock: "192.168.1.0/24" }], Region: "us-east-1" });
    expect(pending!.ExpirationTime).toBeInstanceOf(Date);
    await t.west.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    const [active] = (await t.ec2.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [id] }))).VpcPeeringConnections!;
    expect(active!.Status).toEqual({ Code: "active", Message: "Active" });
    expect(active!.AccepterVpcInfo).toEqual({
      CidrBlock: "192.168.2.0/24",
      CidrBlockSet: [{ CidrBlock: "192.168.2.0/24" }],
      OwnerId: "000000000000",
      PeeringOptions: {
        AllowDnsResolutionFromRemoteVpc: false,
        AllowEgressFromLocalClassicLinkToRemoteVpc: false,
        AllowEgressFromLocalVpcToRemoteClassicLink: false,
      },
      Region: "us-west-2",
      VpcId: b,
    });
    expect(active!.ExpirationTime).toBeUndefined();
  });
});

describe("create answers", () => {
  it("CreateVpc, CreateSecurityGroup and CreateVpnGateway answer without an empty tag set; Describe keeps it", async () => {
    const vpc = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!;
    expect(vpc.Tags).toBeUndefined();
    expect(vpc.BlockPublicAccessStates).toBeUndefined();
    expect(vpc).toMatchObject({ State: "pending", IsDefault: false, InstanceTenancy: "default", Ipv6CidrBlockAssociationSet: [] });
    expect((await t.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpc.VpcId!] }))).Vpcs![0]!.Tags).toEqual([]);

    const sg = await t.ec2.send(new CreateSecurityGroupCommand({ GroupName: "parity-sg", Description: "Description for parity-sg", VpcId: vpc.VpcId }));
    expect(sg.Tags).toBeUndefined();
    expect(sg.SecurityGroupArn).toBe(`arn:aws:ec2:us-east-1:000000000000:security-group/${sg.GroupId}`);
    const groups = (await t.ec2.send(new GetSecurityGroupsForVpcCommand({ VpcId: vpc.VpcId }))).SecurityGroupForVpcs!;
    expect(groups.find((g) => g.GroupId === sg.GroupId)).toEqual({
      Description: "Description for parity-sg",
      GroupId: sg.GroupId,
      GroupName: "parity-sg",
      OwnerId: "000000000000",
      PrimaryVpcId: vpc.VpcId,
      Tags: [],
    });

    const tagged = await t.ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: "parity-sg-tagged",
        Description: "d",
        VpcId: vpc.VpcId,
        TagSpecifications: [{ ResourceType: "security-group", Tags: [{ Key: "k", Value: "v" }] }],
      }),
    );
    expect(tagged.Tags).toEqual([{ Key: "k", Value: "v" }]);

    const vgw = (await t.ec2.send(new CreateVpnGatewayCommand({ AvailabilityZone: "us-east-1a", Type: "ipsec.1" }))).VpnGateway!;
    expect(vgw.Tags).toBeUndefined();
    expect(vgw).toMatchObject({ AmazonSideAsn: 64512, State: "available", Type: "ipsec.1", VpcAttachments: [] });
  });
});
