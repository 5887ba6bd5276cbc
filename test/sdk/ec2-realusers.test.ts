/**
 * Code that real users run against EC2 and EFS in their own CI, replayed: what those tools rely on (client
 * tokens, errors they classify, states they wait for, filters they select by). Each test names its source.
 */
import { createHash } from "node:crypto";
import {
  AttachVolumeCommand,
  CopyImageCommand,
  CopyVolumesCommand,
  CreateFleetCommand,
  CreateImageCommand,
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DeregisterImageCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSnapshotsCommand,
  DescribeSpotInstanceRequestsCommand,
  DescribeSubnetsCommand,
  DescribeVolumeStatusCommand,
  DescribeVolumesCommand,
  DescribeVolumesModificationsCommand,
  DetachVolumeCommand,
  EC2Client,
  EnableImageDeprecationCommand,
  ModifyImageAttributeCommand,
  RegisterImageCommand,
  ModifyVolumeCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  waitUntilImageAvailable,
  waitUntilInstanceRunning,
  waitUntilInstanceStopped,
  waitUntilVolumeAvailable,
} from "@aws-sdk/client-ec2";
import { CreateInstanceProfileCommand, IAMClient } from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";
import { AMI, W } from "./ec2-fixtures.js";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg), iam: new IAMClient(cfg) }));

describe("client tokens", () => {
  // kubernetes-sigs/aws-ebs-csi-driver pkg/cloud/cloud.go CreateDisk: the token is sha256(volume name); a retry
  // must not make a second volume, a changed request is IdempotentParameterMismatch (the driver then moves to
  // "<name>-2"), and the token of a deleted volume stays spent.
  it("CreateVolume with a ClientToken: one volume per token, AWS's mismatch errors", async () => {
    const token = createHash("sha256").update("pvc-0a1b2c").digest("hex");
    const req = {
      AvailabilityZone: "us-east-1a",
      ClientToken: token,
      Size: 10,
      VolumeType: "gp3" as const,
      Encrypted: false,
      MultiAttachEnabled: false,
      TagSpecifications: [{ ResourceType: "volume" as const, Tags: [{ Key: "CSIVolumeName", Value: "pvc-0a1b2c" }] }],
    };
    const first = await sim.ec2.send(new CreateVolumeCommand(req));
    const again = await sim.ec2.send(new CreateVolumeCommand(req));
    expect(again.VolumeId).toBe(first.VolumeId);
    expect(again).toMatchObject({ Size: 10, VolumeType: "gp3", Tags: [{ Key: "CSIVolumeName", Value: "pvc-0a1b2c" }] });
    const named = await sim.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: "tag:CSIVolumeName", Values: ["pvc-0a1b2c"] }] }));
    expect(named.Volumes!.map((v) => v.VolumeId)).toEqual([first.VolumeId]);

    await expectAwsError(sim.ec2.send(new CreateVolumeCommand({ ...req, Size: 11 })), {
      name: "IdempotentParameterMismatch",
      status: 400,
      message: "Parameters on this idempotent request are inconsistent with parameters used in previous request(s)",
    });
    // Another token is another volume.
    const other = await sim.ec2.send(new CreateVolumeCommand({ ...req, ClientToken: `${token.slice(0, 60)}0000` }));
    expect(other.VolumeId).not.toBe(first.VolumeId);

    await sim.ec2.send(new DeleteVolumeCommand({ VolumeId: first.VolumeId! }));
    await expectAwsError(sim.ec2.send(new CreateVolumeCommand(req)), {
      name: "IdempotentParameterMismatch",
      status: 400,
      message: "The client token you have provided is associated with a resource that is already deleted. Please use a different client token.",
    });
  });

  // The EC2 idempotency guide (ec2-api-idempotency): RunInstances retried with its ClientToken launches nothing and
  // answers with the same reservation; a changed request is IdempotentParameterMismatch.
  it("RunInstances with a ClientToken: the same reservation, no second launch", async () => {
    const req = { ImageId: AMI, MinCount: 2, MaxCount: 2, InstanceType: "t3.micro" as const, ClientToken: "launch-0001" };
    const a = await sim.ec2.send(new RunInstancesCommand(req));
    const b = await sim.ec2.send(new RunInstancesCommand(req));
    expect(b.ReservationId).toBe(a.ReservationId);
    expect(b.Instances!.map((i) => i.InstanceId)).toEqual(a.Instances!.map((i) => i.InstanceId));
    expect(b.Instances![0]!.ClientToken).toBe("launch-0001");
    const all = await sim.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "client-token", Values: ["launch-0001"] }] }));
    expect(all.Reservations!.flatMap((r) => r.Instances!)).toHaveLength(2);
    await expectAwsError(sim.ec2.send(new RunInstancesCommand({ ...req, InstanceType: "t3.small" })), {
      name: "IdempotentParameterMismatch",
      status: 400,
      message: "Arguments on this idempotent request are inconsistent with arguments used in previous request(s).",
    });
    // Without a token (the SDK fills a fresh one) every call launches.
    const c = await sim.ec2.send(new RunInstancesCommand({ ...req, ClientToken: undefined }));
    expect(c.ReservationId).not.toBe(a.ReservationId);
  });
});

describe("client tokens of other creates", () => {
  // The EC2 idempotency guide lists CreateLaunchTemplate, CreateNetworkInterface, CreateNatGateway ... as taking a
  // ClientToken; the SDKs fill it, and a retried request (same token) must not create a second resource.
  it("CreateLaunchTemplate and CreateNetworkInterface retried with their token create one resource", async () => {
    const lt = { LaunchTemplateName: "karpenter.k8s.aws/retried", ClientToken: "lt-token-1", LaunchTemplateData: { ImageId: AMI } };
    const a = await sim.ec2.send(new CreateLaunchTemplateCommand(lt));
    const b = await sim.ec2.send(new CreateLaunchTemplateCommand(lt));
    expect(b.LaunchTemplate!.LaunchTemplateId).toBe(a.LaunchTemplate!.LaunchTemplateId);
    // Without the token the name is taken.
    await expectAwsError(sim.ec2.send(new CreateLaunchTemplateCommand({ ...lt, ClientToken: undefined })), {
      name: "InvalidLaunchTemplateName.AlreadyExistsException",
      status: 400,
    });
    const subnetId = (await sim.ec2.send(new DescribeSubnetsCommand({}))).Subnets![0]!.SubnetId!;
    const eni = { SubnetId: subnetId, Description: "trunk", ClientToken: "eni-token-1" };
    const x = await sim.ec2.send(new CreateNetworkInterfaceCommand(eni));
    const y = await sim.ec2.send(new CreateNetworkInterfaceCommand(eni));
    expect(y.NetworkInterface!.NetworkInterfaceId).toBe(x.NetworkInterface!.NetworkInterfaceId);
    const listed = await sim.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "description", Values: ["trunk"] }] }));
    expect(listed.NetworkInterfaces!.map((n) => n.NetworkInterfaceId)).toEqual([x.NetworkInterface!.NetworkInterfaceId]);
    await expectAwsError(sim.ec2.send(new CreateNetworkInterfaceCommand({ ...eni, Description: "other" })), {
      name: "IdempotentParameterMismatch",
      status: 400,
    });
  });
});

describe("EBS CSI driver's IOPS limits and volume initialization", () => {
  // kubernetes-sigs/aws-ebs-csi-driver pkg/cloud/cloud.go getVolumeLimits: a DryRun CreateVolume with too many IOPS
  // tells the driver each type's maximum ("volume iops.*is too high.*maximum is (\d+)" for gp3 and io1, "(\d+)K IOPS"
  // for io2); tests/e2e/requires_aws_api.go then expects a gp3 volume of 16001 IOPS not to be capped at 16000.
  it("reports the maximum IOPS the driver parses, and keeps gp3 IOPS above 16000", async () => {
    const dry = (VolumeType: "gp3" | "io1" | "io2", Size: number, Iops: number) =>
      sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size, VolumeType, Iops, DryRun: true }));
    await expectAwsError(dry("gp3", 1000, 200000), {
      name: "InvalidParameterValue",
      status: 400,
      message: "Volume iops of 200000 is too high; maximum is 80000",
    });
    await expectAwsError(dry("io1", 4000, 2147483647), {
      name: "InvalidParameterValue",
      status: 400,
      message: "Volume iops of 2147483647 is too high; maximum is 64000",
    });
    await expectAwsError(dry("io2", 4, 2147483647), {
      name: "InvalidParameterCombination",
      status: 400,
      message: "io2 volumes configured with greater than 64 TiB or 256K IOPS or 1000:1 IOPS:GB ratio are not supported",
    });
    const big = await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 34, VolumeType: "gp3", Iops: 16001 }));
    expect(big.Iops).toBe(16001);
  });

  // tests/e2e/requires_aws_api.go "volume from a snapshot with initialization rate and blockAttachUntilInitialized":
  // DescribeVolumes shows VolumeInitializationRate, DescribeVolumeStatus an "initialization-state" detail "completed".
  it("a volume from a snapshot keeps its VolumeInitializationRate and reports its initialization", async () => {
    const src = await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 10, VolumeType: "gp3" }));
    await waitUntilVolumeAvailable({ client: sim.ec2, ...W }, { VolumeIds: [src.VolumeId!] });
    const snap = await sim.ec2.send(new CreateSnapshotCommand({ VolumeId: src.VolumeId! }));
    const restored = await sim.ec2.send(
      new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", SnapshotId: snap.SnapshotId!, VolumeType: "gp3", VolumeInitializationRate: 200 }),
    );
    await waitUntilVolumeAvailable({ client: sim.ec2, ...W }, { VolumeIds: [restored.VolumeId!] });
    const vol = (await sim.ec2.send(new DescribeVolumesCommand({ VolumeIds: [restored.VolumeId!] }))).Volumes![0]!;
    expect(vol.VolumeInitializationRate).toBe(200);
    const status = (await sim.ec2.send(new DescribeVolumeStatusCommand({ VolumeIds: [restored.VolumeId!] }))).VolumeStatuses!;
    expect(status).toHaveLength(1);
    expect(status[0]!.VolumeStatus!.Details).toContainEqual({ Name: "initialization-state", Status: "completed" });
    expect(status[0]!.InitializationStatusDetails).toEqual({ InitializationType: "provisioned-rate", Progress: 100, EstimatedTimeToCompleteInSeconds: 0 });
    // An empty volume has nothing to initialize.
    const plain = (await sim.ec2.send(new DescribeVolumeStatusCommand({ VolumeIds: [src.VolumeId!] }))).VolumeStatuses![0]!;
    expect(plain.VolumeStatus!.Details!.map((d) => d.Name)).toEqual(["io-enabled", "io-performance"]);
    expect(plain.InitializationStatusDetails).toBeUndefined();
  });
});

describe("volume clones", () => {
  // kubernetes-sigs/aws-ebs-csi-driver clones a PVC with CopyVolumes (a retried request carries the same token) and
  // finds the copy again by its CSIVolumeName tag: one copy, and DescribeVolumes names its source.
  it("CopyVolumes with a ClientToken copies once; the copy shows its SourceVolumeId", async () => {
    const src = await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 10, VolumeType: "gp3" }));
    const req = {
      SourceVolumeId: src.VolumeId!,
      Size: 20,
      VolumeType: "gp3" as const,
      ClientToken: "clone-pvc-1",
      TagSpecifications: [{ ResourceType: "volume" as const, Tags: [{ Key: "CSIVolumeName", Value: "pvc-clone" }] }],
    };
    const a = await sim.ec2.send(new CopyVolumesCommand(req));
    const b = await sim.ec2.send(new CopyVolumesCommand(req));
    expect(b.Volumes!.map((v) => v.VolumeId)).toEqual(a.Volumes!.map((v) => v.VolumeId));
    const found = await sim.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: "tag:CSIVolumeName", Values: ["pvc-clone"] }] }));
    expect(found.Volumes!.map((v) => [v.VolumeId, v.SourceVolumeId, v.Size])).toEqual([[a.Volumes![0]!.VolumeId, src.VolumeId, 20]]);
  });
});

describe("Spot Instances", () => {
  // hashicorp/packer-plugin-amazon builder/common/step_run_spot_instance.go: a launch template with spot market
  // options, CreateFleet of type instant, then DescribeInstances' SpotInstanceRequestId is tagged with spot_tags
  // (hashicorp/packer#7941: the instance is how Packer finds the request of an instant fleet).
  it("an instant fleet's Spot Instance has its Spot request, which takes tags", async () => {
    await sim.ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: "packer-fleet-launch-template-abc1234",
        VersionDescription: "template generated by packer for launching spot instances",
        LaunchTemplateData: {
          ImageId: AMI,
          InstanceMarketOptions: { MarketType: "spot", SpotOptions: {} },
          BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { VolumeSize: 8, VolumeType: "gp2", DeleteOnTermination: true } }],
          TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: "Packer Builder" }] }],
        },
      }),
    );
    const fleet = await sim.ec2.send(
      new CreateFleetCommand({
        Type: "instant",
        LaunchTemplateConfigs: [
          {
            LaunchTemplateSpecification: { LaunchTemplateName: "packer-fleet-launch-template-abc1234", Version: "1" },
            Overrides: [{ InstanceType: "t3.micro" }],
          },
        ],
        ReplaceUnhealthyInstances: false,
        TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: "spot" },
      }),
    );
    const id = fleet.Instances![0]!.InstanceIds![0]!;
    const inst = (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
    expect(inst.InstanceLifecycle).toBe("spot");
    expect(inst.SpotInstanceRequestId).toMatch(/^sir-[0-9a-z]{8}$/);
    await sim.ec2.send(new CreateTagsCommand({ Resources: [inst.SpotInstanceRequestId!], Tags: [{ Key: "spot", Value: "yes" }] }));
    const sir = (await sim.ec2.send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [inst.SpotInstanceRequestId!] })))
      .SpotInstanceRequests![0]!;
    expect(sir).toMatchObject({ State: "active", Type: "one-time", InstanceId: id, Status: { Code: "fulfilled" } });
    expect(sir.Tags).toContainEqual({ Key: "spot", Value: "yes" });
  });

  // RunInstances with InstanceMarketOptions (Terraform's instance_market_options, Karpenter-style launch templates):
  // the instance is a Spot Instance with a one-time request that closes when the instance terminates.
  it("RunInstances with spot market options launches a Spot Instance with its request", async () => {
    const run = await sim.ec2.send(
      new RunInstancesCommand({
        ImageId: AMI,
        InstanceType: "t3.micro",
        MinCount: 1,
        MaxCount: 1,
        InstanceMarketOptions: { MarketType: "spot", SpotOptions: { SpotInstanceType: "one-time" } },
      }),
    );
    const launched = run.Instances![0]!;
    expect(launched.InstanceLifecycle).toBe("spot");
    expect(launched.SpotInstanceRequestId).toMatch(/^sir-/);
    const spot = await sim.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "instance-lifecycle", Values: ["spot"] }] }));
    expect(spot.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([launched.InstanceId]);
    const sir = async () =>
      (await sim.ec2.send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [launched.SpotInstanceRequestId!] }))).SpotInstanceRequests![0]!;
    expect(await sir()).toMatchObject({ State: "active", InstanceId: launched.InstanceId, Status: { Code: "fulfilled" } });
    await expectAwsError(
      sim.ec2.send(
        new RunInstancesCommand({
          ImageId: AMI,
          InstanceType: "t3.micro",
          MinCount: 1,
          MaxCount: 1,
          InstanceMarketOptions: { MarketType: "spot", SpotOptions: { MaxPrice: "0.0001" } },
        }),
      ),
      {
        name: "SpotMaxPriceTooLow",
        status: 400,
        message: /^Your Spot request price of 0\.000100 is lower than the minimum required Spot request fulfillment price of /,
      },
    );
    await sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [launched.InstanceId!] }));
    expect(await sir()).toMatchObject({ State: "closed", Status: { Code: "instance-terminated-by-user" } });
  });
});

describe("Karpenter's launches", () => {
  // aws/karpenter-provider-aws pkg/providers/instance/instance.go launchInstance: a launch template whose network
  // interface has the node security groups but no subnet, CreateFleet instant with "$Latest" and overrides that
  // name the subnet (and image) per instance type; then Get (instance id + instance-state-name filter) and List
  // (tag-key filters).
  it("CreateFleet puts each override's subnet on the template's primary network interface", async () => {
    const subnets = (await sim.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }))).Subnets!;
    const sg = await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "karpenter-node", Description: "nodes", VpcId: subnets[0]!.VpcId }));
    await sim.ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: "karpenter.k8s.aws/1234567890",
        LaunchTemplateData: {
          ImageId: AMI,
          BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { Encrypted: true, VolumeSize: 20, VolumeType: "gp3", DeleteOnTermination: true } }],
          MetadataOptions: { HttpEndpoint: "enabled", HttpProtocolIpv6: "disabled", HttpPutResponseHopLimit: 1, HttpTokens: "required" },
          NetworkInterfaces: [{ AssociatePublicIpAddress: false, DeviceIndex: 0, NetworkCardIndex: 0, Groups: [sg.GroupId!], InterfaceType: "interface" }],
        },
      }),
    );
    const tags = [
      { Key: "karpenter.sh/nodepool", Value: "default" },
      { Key: "eks:eks-cluster-name", Value: "c1" },
    ];
    const fleet = await sim.ec2.send(
      new CreateFleetCommand({
        Type: "instant",
        LaunchTemplateConfigs: [
          {
            LaunchTemplateSpecification: { LaunchTemplateName: "karpenter.k8s.aws/1234567890", Version: "$Latest" },
            Overrides: [{ InstanceType: "m5.large", SubnetId: subnets[1]!.SubnetId, ImageId: AMI }],
          },
        ],
        TargetCapacitySpecification: { DefaultTargetCapacityType: "on-demand", TotalTargetCapacity: 1 },
        OnDemandOptions: { AllocationStrategy: "lowest-price" },
        TagSpecifications: [
          { ResourceType: "instance", Tags: tags },
          { ResourceType: "volume", Tags: tags },
          { ResourceType: "fleet", Tags: tags },
        ],
      }),
    );
    expect(fleet.Errors).toEqual([]);
    const id = fleet.Instances![0]!.InstanceIds![0]!;
    const live = ["pending", "running", "stopping", "stopped", "shutting-down"];
    const get = await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id], Filters: [{ Name: "instance-state-name", Values: live }] }));
    const inst = get.Reservations![0]!.Instances![0]!;
    expect(inst).toMatchObject({ SubnetId: subnets[1]!.SubnetId, InstanceType: "m5.large", Placement: { AvailabilityZone: subnets[1]!.AvailabilityZone } });
    expect(inst.PublicIpAddress).toBeUndefined();
    expect(inst.NetworkInterfaces![0]!.Groups).toEqual([{ GroupId: sg.GroupId, GroupName: "karpenter-node" }]);
    const list = await sim.ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: "tag-key", Values: ["karpenter.sh/nodepool"] },
          { Name: "tag:eks:eks-cluster-name", Values: ["c1"] },
          { Name: "instance-state-name", Values: live },
        ],
      }),
    );
    expect(list.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([id]);
    await sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    const gone = await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id], Filters: [{ Name: "instance-state-name", Values: live }] }));
    expect(gone.Reservations).toEqual([]);
    // The node role's instance profile in the template must exist in IAM: each pool fails with AWS's error
    // (Packer's spot step retries CreateFleet on "Invalid IAM Instance Profile name"), and once IAM has it the
    // instance shows the profile's ARN and id.
    await sim.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateName: "karpenter.k8s.aws/1234567890",
        SourceVersion: "1",
        LaunchTemplateData: { IamInstanceProfile: { Name: "KarpenterNodeInstanceProfile" } },
      }),
    );
    const withProfile = {
      Type: "instant" as const,
      LaunchTemplateConfigs: [
        {
          LaunchTemplateSpecification: { LaunchTemplateName: "karpenter.k8s.aws/1234567890", Version: "$Latest" },
          Overrides: [{ InstanceType: "m5.large" as const, SubnetId: subnets[1]!.SubnetId }],
        },
      ],
      TargetCapacitySpecification: { DefaultTargetCapacityType: "on-demand" as const, TotalTargetCapacity: 1 },
    };
    const refused = await sim.ec2.send(new CreateFleetCommand(withProfile));
    expect(refused.Instances).toEqual([]);
    expect(refused.Errors!.map((e) => [e.ErrorCode, e.ErrorMessage])).toEqual([
      ["InvalidParameterValue", "Value (KarpenterNodeInstanceProfile) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name"],
    ]);
    const profile = (await sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "KarpenterNodeInstanceProfile", Path: "/karpenter/" })))
      .InstanceProfile!;
    const launched = await sim.ec2.send(new CreateFleetCommand(withProfile));
    const node = launched.Instances![0]!.InstanceIds![0]!;
    const described = (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [node] }))).Reservations![0]!.Instances![0]!;
    expect(described.IamInstanceProfile).toEqual({ Arn: profile.Arn, Id: profile.InstanceProfileId });
    // An override whose subnet is in a zone that does not offer the type fails with Unsupported, which Karpenter
    // (pkg/errors unfulfillableCapacityErrorCodes) records as an unavailable offering; the next override launches.
    const east1e = subnets.find((x) => x.AvailabilityZone === "us-east-1e")!;
    const mixed = await sim.ec2.send(
      new CreateFleetCommand({
        ...withProfile,
        LaunchTemplateConfigs: [
          {
            LaunchTemplateSpecification: { LaunchTemplateName: "karpenter.k8s.aws/1234567890", Version: "$Latest" },
            Overrides: [
              { InstanceType: "m5.large", SubnetId: east1e.SubnetId, Priority: 1 },
              { InstanceType: "m5.large", SubnetId: subnets[0]!.SubnetId, Priority: 2 },
            ],
          },
        ],
        OnDemandOptions: { AllocationStrategy: "prioritized" },
      }),
    );
    expect(mixed.Errors!.map((e) => [e.ErrorCode, e.ErrorMessage])).toEqual([
      [
        "Unsupported",
        "Your requested instance type (m5.large) is not supported in your requested Availability Zone (us-east-1e). Please retry your request by not specifying an Availability Zone or choosing us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1f.",
      ],
    ]);
    expect(mixed.Instances![0]!.LaunchTemplateAndOverrides!.Overrides!.SubnetId).toBe(subnets[0]!.SubnetId);
    // A template Karpenter's cache still names but EC2 no longer has: the whole request fails with the error it retries on.
    await expectAwsError(
      sim.ec2.send(
        new CreateFleetCommand({
          Type: "instant",
          LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateName: "karpenter.k8s.aws/gone", Version: "$Latest" } }],
          TargetCapacitySpecification: { DefaultTargetCapacityType: "on-demand", TotalTargetCapacity: 1 },
        }),
      ),
      { name: "InvalidLaunchTemplateName.NotFoundException", status: 400 },
    );
  });
});

describe("hibernation", () => {
  // apache/airflow amazon provider, system test example_ec2.py: EC2HibernateInstanceOperator stops an instance
  // launched with HibernationOptions Configured (StopInstances Hibernate=true) and waits for "stopped"; the state
  // reason says hibernation (AWS's documented Client.UserInitiatedHibernate, the state-reason-code filter the EC2
  // guide uses to check it). An instance launched without it cannot hibernate (aws-solutions/instance-scheduler-on-aws#510).
  it("StopInstances Hibernate: the hibernate state reason, AWS's error for an instance not configured", async () => {
    const launch = (configured: boolean) =>
      sim.ec2.send(
        new RunInstancesCommand({ ImageId: AMI, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, HibernationOptions: { Configured: configured } }),
      );
    const yes = (await launch(true)).Instances![0]!.InstanceId!;
    const no = (await launch(false)).Instances![0]!.InstanceId!;
    await waitUntilInstanceRunning({ client: sim.ec2, ...W }, { InstanceIds: [yes, no] });
    await expectAwsError(sim.ec2.send(new StopInstancesCommand({ InstanceIds: [no], Hibernate: true })), {
      name: "UnsupportedHibernationConfiguration",
      status: 400,
      message: `The instance can't be hibernated because it was not configured at launch for hibernation: ${no}`,
    });
    await sim.ec2.send(new StopInstancesCommand({ InstanceIds: [yes], Hibernate: true }));
    await waitUntilInstanceStopped({ client: sim.ec2, ...W }, { InstanceIds: [yes] });
    const hibernated = await sim.ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: "state-reason-code", Values: ["Client.UserInitiatedHibernate"] }] }),
    );
    const inst = hibernated.Reservations!.flatMap((r) => r.Instances!);
    expect(inst.map((i) => i.InstanceId)).toEqual([yes]);
    expect(inst[0]!.StateReason).toEqual({ Code: "Client.UserInitiatedHibernate", Message: "Client.UserInitiatedHibernate: User initiated hibernate" });
    // The one that could not hibernate still runs; a plain stop is a user-initiated shutdown.
    await sim.ec2.send(new StopInstancesCommand({ InstanceIds: [no] }));
    const stopped = (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [no] }))).Reservations![0]!.Instances![0]!;
    expect(stopped.StateReason?.Code).toBe("Client.UserInitiatedShutdown");
  });
});

describe("EBS CSI driver's volume calls", () => {
  // kubernetes-sigs/aws-ebs-csi-driver pkg/cloud/cloud.go: CreateDisk (gp3 with throughput), AttachDisk (a device
  // name in use is InvalidParameterValue "already in use", which the driver marks as a likely bad name), DetachDisk
  // (IncorrectState / InvalidAttachment.NotFound / InvalidVolume.NotFound mean "not found"), ResizeOrModifyDisk
  // (DescribeVolumesModifications: InvalidVolumeModification.NotFound for a volume never modified).
  it("creates, attaches, detaches and modifies with the errors the driver classifies", async () => {
    await expectAwsError(sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 10, VolumeType: "gp3", Throughput: 1000 })), {
      name: "InvalidParameterValue",
      status: 400,
      message: "Throughput (MiBps) to iops ratio of 0.333333 is too high; maximum is 0.250000 MiBps per iops",
    });
    const vol = await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 10, VolumeType: "gp3", Iops: 4000, Throughput: 1000 }));
    expect(vol).toMatchObject({ Iops: 4000, Throughput: 1000 });
    await expectAwsError(sim.ec2.send(new DescribeVolumesModificationsCommand({ VolumeIds: [vol.VolumeId!] })), {
      name: "InvalidVolumeModification.NotFound",
      status: 400,
      message: `Modification for volume '${vol.VolumeId}' does not exist.`,
    });
    const other = await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 10, VolumeType: "gp3" }));
    const run = await sim.ec2.send(
      new RunInstancesCommand({ ImageId: AMI, InstanceType: "m5.large", MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: "us-east-1a" } }),
    );
    const node = run.Instances![0]!.InstanceId!;
    await waitUntilInstanceRunning({ client: sim.ec2, ...W }, { InstanceIds: [node] });
    await sim.ec2.send(new AttachVolumeCommand({ VolumeId: vol.VolumeId!, InstanceId: node, Device: "/dev/xvdaa" }));
    await expectAwsError(sim.ec2.send(new AttachVolumeCommand({ VolumeId: other.VolumeId!, InstanceId: node, Device: "/dev/xvdaa" })), {
      name: "InvalidParameterValue",
      status: 400,
      message: /already in use/,
    });
    await expectAwsError(sim.ec2.send(new DetachVolumeCommand({ VolumeId: other.VolumeId!, InstanceId: node })), { name: "IncorrectState", status: 400 });
    await expectAwsError(sim.ec2.send(new DetachVolumeCommand({ VolumeId: vol.VolumeId!, InstanceId: "i-0123456789abcdef0" })), {
      name: "InvalidAttachment.NotFound",
      status: 400,
    });
    // Throughput beyond 0.25 MiB/s per IOPS is refused on modification too; a valid one is "modifying", then done.
    await expectAwsError(sim.ec2.send(new ModifyVolumeCommand({ VolumeId: other.VolumeId!, Throughput: 1000 })), {
      name: "InvalidParameterValue",
      status: 400,
      message: /^Throughput \(MiBps\) to iops ratio of 0\.333333 is too high/,
    });
    const mod = await sim.ec2.send(new ModifyVolumeCommand({ VolumeId: other.VolumeId!, Size: 20, Iops: 6000, Throughput: 500 }));
    expect(mod.VolumeModification).toMatchObject({ ModificationState: "modifying", TargetSize: 20, TargetIops: 6000, TargetThroughput: 500 });
    const mods = await sim.ec2.send(new DescribeVolumesModificationsCommand({ VolumeIds: [other.VolumeId!] }));
    expect(["optimizing", "completed"]).toContain(mods.VolumesModifications![0]!.ModificationState);
    await sim.ec2.send(new DetachVolumeCommand({ VolumeId: vol.VolumeId!, InstanceId: node }));
    await waitUntilVolumeAvailable({ client: sim.ec2, ...W }, { VolumeIds: [vol.VolumeId!] });
    await sim.ec2.send(new DeleteVolumeCommand({ VolumeId: vol.VolumeId! }));
    await expectAwsError(sim.ec2.send(new DetachVolumeCommand({ VolumeId: vol.VolumeId!, InstanceId: node })), { name: "InvalidVolume.NotFound", status: 400 });
  });
});

describe("Packer's AMI build", () => {
  // hashicorp/packer-plugin-amazon builder/ebs/step_create_ami.go: CreateImage with ami_block_device_mappings
  // (an existing device's DeleteOnTermination, an extra empty volume, an instance store mapping) and tags for the
  // image and its snapshots; the AMI's snapshots are then read from DescribeImages (Ebs.SnapshotId), and cleanup
  // deregisters it before deleting them (a snapshot in use by an AMI is InvalidSnapshot.InUse).
  it("CreateImage applies ami_block_device_mappings and tags image and snapshots", async () => {
    const run = await sim.ec2.send(
      new RunInstancesCommand({
        ImageId: AMI,
        InstanceType: "t3.micro",
        MinCount: 1,
        MaxCount: 1,
        BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { VolumeSize: 10, VolumeType: "gp3", DeleteOnTermination: true } }],
      }),
    );
    const id = run.Instances![0]!.InstanceId!;
    await waitUntilInstanceRunning({ client: sim.ec2, ...W }, { InstanceIds: [id] });
    const tags = [{ Key: "Name", Value: "packer-build" }];
    const { ImageId } = await sim.ec2.send(
      new CreateImageCommand({
        InstanceId: id,
        Name: "packer-bdm-1",
        BlockDeviceMappings: [
          { DeviceName: "/dev/xvda", Ebs: { VolumeSize: 10, VolumeType: "gp3", DeleteOnTermination: false } },
          { DeviceName: "/dev/sdb", Ebs: { VolumeSize: 20, VolumeType: "gp3", DeleteOnTermination: true } },
          { DeviceName: "/dev/sdc", VirtualName: "ephemeral0" },
        ],
        TagSpecifications: [
          { ResourceType: "image", Tags: tags },
          { ResourceType: "snapshot", Tags: tags },
        ],
      }),
    );
    await waitUntilImageAvailable({ client: sim.ec2, ...W }, { ImageIds: [ImageId!] });
    const image = (await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!;
    expect(image.Tags).toEqual(tags);
    const [root, extra, store] = image.BlockDeviceMappings!;
    expect(root).toMatchObject({ DeviceName: "/dev/xvda", Ebs: { DeleteOnTermination: false, VolumeSize: 10, VolumeType: "gp3" } });
    expect(root!.Ebs!.SnapshotId).toMatch(/^snap-/);
    expect(extra).toEqual({ DeviceName: "/dev/sdb", Ebs: { DeleteOnTermination: true, VolumeSize: 20, VolumeType: "gp3", Encrypted: false } });
    expect(store).toEqual({ DeviceName: "/dev/sdc", VirtualName: "ephemeral0" });
    const snapshots = image.BlockDeviceMappings!.flatMap((b) => (b.Ebs?.SnapshotId ? [b.Ebs.SnapshotId] : []));
    const described = (await sim.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: snapshots }))).Snapshots!;
    expect(described.map((x) => x.Tags)).toEqual([tags]);
    await expectAwsError(sim.ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshots[0]! })), { name: "InvalidSnapshot.InUse", status: 400 });
    // An instance from the AMI gets both volumes, with the AMI's DeleteOnTermination.
    const next = (await sim.ec2.send(new RunInstancesCommand({ ImageId, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
    await waitUntilInstanceRunning({ client: sim.ec2, ...W }, { InstanceIds: [next] });
    const launched = (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [next] }))).Reservations![0]!.Instances![0]!;
    expect(launched.BlockDeviceMappings!.map((b) => [b.DeviceName, b.Ebs!.DeleteOnTermination])).toEqual([
      ["/dev/xvda", false],
      ["/dev/sdb", true],
    ]);
    // step_ami_region_copy: CopyImage into another Region with encryption under the Region's own KMS key.
    const west = new EC2Client({ ...clientConfig(sim.server), region: "us-west-2" });
    const key = "arn:aws:kms:us-west-2:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const copy = await west.send(
      new CopyImageCommand({ SourceImageId: ImageId, SourceRegion: "us-east-1", Name: "packer-bdm-1", Encrypted: true, KmsKeyId: key }),
    );
    await waitUntilImageAvailable({ client: west, ...W }, { ImageIds: [copy.ImageId!] });
    const copied = (await west.send(new DescribeImagesCommand({ ImageIds: [copy.ImageId!] }))).Images![0]!;
    const copiedSnap = copied.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
    const snap = (await west.send(new DescribeSnapshotsCommand({ SnapshotIds: [copiedSnap] }))).Snapshots![0]!;
    expect(snap).toMatchObject({ Encrypted: true, KmsKeyId: key, Description: `Copied for DestinationAmi ${copy.ImageId} from SourceAmi ${ImageId}` });
    await sim.ec2.send(new DeregisterImageCommand({ ImageId: ImageId! }));
    await sim.ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshots[0]! }));
  });
});

describe("Packer's AMI attributes", () => {
  // hashicorp/packer-plugin-amazon builder/common/step_modify_ami_attributes.go sets imds_support with a
  // ModifyImageAttribute call carrying only ImdsSupport; TestAccBuilder_EbsBasicWithIMDSv2 then expects the AMI's
  // ImdsSupport to be "v2.0". TestAccBuilder_EbsEnableDeprecation expects DeprecationTime rounded to the minute.
  it("ModifyImageAttribute ImdsSupport alone marks the AMI IMDSv2; deprecation time is rounded to the minute", async () => {
    const vol = await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 8 }));
    await waitUntilVolumeAvailable({ client: sim.ec2, ...W }, { VolumeIds: [vol.VolumeId!] });
    const snap = await sim.ec2.send(new CreateSnapshotCommand({ VolumeId: vol.VolumeId! }));
    const { ImageId } = await sim.ec2.send(
      new RegisterImageCommand({
        Name: "packer-imds",
        Architecture: "x86_64",
        VirtualizationType: "hvm",
        RootDeviceName: "/dev/xvda",
        BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: snap.SnapshotId! } }],
      }),
    );
    expect((await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!.ImdsSupport).toBeUndefined();
    await sim.ec2.send(new ModifyImageAttributeCommand({ ImageId, ImdsSupport: { Value: "v2.0" } }));
    expect((await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!.ImdsSupport).toBe("v2.0");
    const attr = await sim.ec2.send(new DescribeImageAttributeCommand({ ImageId, Attribute: "imdsSupport" }));
    expect(attr.ImdsSupport).toEqual({ Value: "v2.0" });
    await sim.ec2.send(new EnableImageDeprecationCommand({ ImageId, DeprecateAt: new Date(Date.UTC(2030, 0, 2, 3, 4, 35)) }));
    expect((await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!.DeprecationTime).toBe("2030-01-02T03:05:00.000Z");
  });
});

describe("instance type offerings", () => {
  // AWS's answer seen by Terraform users (ned1313/Getting-Started-Terraform#44): t3.micro in us-east-1e.
  it("RunInstances in a zone that does not offer the type is Unsupported, naming the zones that do", async () => {
    const east1e = (await sim.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "availability-zone", Values: ["us-east-1e"] }] }))).Subnets![0]!;
    await expectAwsError(
      sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, SubnetId: east1e.SubnetId })),
      {
        name: "Unsupported",
        status: 400,
        message:
          "Your requested instance type (t3.micro) is not supported in your requested Availability Zone (us-east-1e). Please retry your request by not specifying an Availability Zone or choosing us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1f.",
      },
    );
    // t2.micro is offered there.
    const ok = await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: "t2.micro", MinCount: 1, MaxCount: 1, SubnetId: east1e.SubnetId }));
    expect(ok.Instances![0]!.Placement!.AvailabilityZone).toBe("us-east-1e");
    // Without a subnet or zone the launch goes to a default subnet whose zone offers the type.
    const zones = new Set<string>();
    for (let i = 0; i < 6; i++)
      zones.add(
        (await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1 }))).Instances![0]!.Placement!
          .AvailabilityZone!,
      );
    expect(zones.has("us-east-1e")).toBe(false);
  });
});

describe("reserved tag keys", () => {
  // Tools that copy a resource's tags (CloudFormation's aws:cloudformation:*) hit AWS's answers: RunInstances'
  // TagSpecifications (jcjorel/ec2-spot-converter#13) and CreateTags (kubernetes-sigs/cluster-api-provider-aws#5461).
  it("aws: tag keys are refused in TagSpecifications and CreateTags with AWS's texts", async () => {
    await expectAwsError(
      sim.ec2.send(
        new RunInstancesCommand({
          ImageId: AMI,
          InstanceType: "t3.micro",
          MinCount: 1,
          MaxCount: 1,
          TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "aws:cloudformation:stack-name", Value: "s" }] }],
        }),
      ),
      { name: "InvalidParameterValue", status: 400, message: "Tag keys starting with 'aws:' are reserved for internal use" },
    );
    const live = await sim.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "instance-state-name", Values: ["pending", "running"] }] }));
    expect(live.Reservations).toEqual([]);
    const vol = await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 1 }));
    await expectAwsError(sim.ec2.send(new CreateTagsCommand({ Resources: [vol.VolumeId!], Tags: [{ Key: "aws:autoscaling:groupName", Value: "g" }] })), {
      name: "InvalidParameterValue",
      status: 400,
      message: "Value ( aws:autoscaling:groupName ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use",
    });
  });
});
