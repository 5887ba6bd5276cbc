/**
 * EC2 answers Terraform's hashicorp/aws provider depends on (found applying the third Terraform stack):
 * empty strings it sends for unset fields, the wire spellings AWS really uses, states its waiters wait for,
 * and what DescribeImages shows of an AMI registered without boot settings.
 */
import {
  CreateFleetCommand,
  CreateLaunchTemplateCommand,
  CreateManagedPrefixListCommand,
  CreateSnapshotCommand,
  CreateSubnetCommand,
  CreateTransitGatewayCommand,
  CreateTransitGatewayPeeringAttachmentCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  DeleteTransitGatewayPeeringAttachmentCommand,
  DescribeAvailabilityZonesCommand,
  DescribeFleetsCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeManagedPrefixListsCommand,
  DescribeSpotFleetRequestsCommand,
  DescribeTransitGatewayPeeringAttachmentsCommand,
  CreateVpcEndpointCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  ModifyVpcEndpointCommand,
  EC2Client,
  ModifyManagedPrefixListCommand,
  RegisterImageCommand,
  RequestSpotFleetCommand,
  RequestSpotInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { AMI } from "./ec2-fixtures.js";

const ROLE = "arn:aws:iam::000000000000:role/aws-ec2-spot-fleet-tagging-role";

describe("EC2 as Terraform reads and writes it", () => {
  const t = useServer({}, (cfg) => ({ ec2: new EC2Client(cfg), west: new EC2Client({ ...cfg, region: "us-west-2" }) }));

  it("RequestSpotInstances takes an empty SpotPrice as unset (the On-Demand price)", async () => {
    const r = await t.ec2.send(new RequestSpotInstancesCommand({ SpotPrice: "", LaunchSpecification: { ImageId: AMI, InstanceType: "t3.micro" } }));
    const req = r.SpotInstanceRequests![0]!;
    expect(Number(req.SpotPrice)).toBeGreaterThan(0);
    await expectAwsError(t.ec2.send(new RequestSpotInstancesCommand({ SpotPrice: "abc", LaunchSpecification: { ImageId: AMI } })), {
      name: "InvalidParameterValue",
      status: 400,
      message: "Invalid value 'abc' for spotPrice.",
    });
  });

  it("RequestSpotFleet takes ExcessCapacityTerminationPolicy 'Default', an empty zone and an empty SpotPrice", async () => {
    const vpc = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: "10.70.0.0/16" }))).Vpc!;
    const sub = (await t.ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId!, CidrBlock: "10.70.1.0/24", AvailabilityZone: "us-east-1b" }))).Subnet!;
    const { SpotFleetRequestId } = await t.ec2.send(
      new RequestSpotFleetCommand({
        SpotFleetRequestConfig: {
          IamFleetRole: ROLE,
          TargetCapacity: 1,
          ExcessCapacityTerminationPolicy: "Default" as never,
          LaunchSpecifications: [{ ImageId: AMI, InstanceType: "t3.micro", SubnetId: sub.SubnetId, SpotPrice: "", Placement: { AvailabilityZone: "" } }],
        },
      }),
    );
    const cfg = (await t.ec2.send(new DescribeSpotFleetRequestsCommand({ SpotFleetRequestIds: [SpotFleetRequestId!] }))).SpotFleetRequestConfigs![0]!;
    expect(cfg.SpotFleetRequestConfig!.ExcessCapacityTerminationPolicy).toBe("Default");
    expect(cfg.SpotFleetRequestState).toBe("active");
    // Values outside both spellings are still refused.
    await expectAwsError(
      t.ec2.send(
        new RequestSpotFleetCommand({
          SpotFleetRequestConfig: {
            IamFleetRole: ROLE,
            TargetCapacity: 1,
            ExcessCapacityTerminationPolicy: "Sometimes" as never,
            LaunchSpecifications: [{ ImageId: AMI }],
          },
        }),
      ),
      { name: "InvalidParameterValue", status: 400, message: /ExcessCapacityTerminationPolicy is invalid/ },
    );
  });

  it("a managed prefix list stays modify-complete after ModifyManagedPrefixList", async () => {
    const pl = (await t.ec2.send(new CreateManagedPrefixListCommand({ PrefixListName: "tf", AddressFamily: "IPv4", MaxEntries: 3 }))).PrefixList!;
    expect(pl.State).toBe("create-complete");
    const mod = await t.ec2.send(
      new ModifyManagedPrefixListCommand({ PrefixListId: pl.PrefixListId!, CurrentVersion: 1, AddEntries: [{ Cidr: "10.0.0.0/8" }] }),
    );
    expect(mod.PrefixList!.State).toBe("modify-complete");
    const read = (await t.ec2.send(new DescribeManagedPrefixListsCommand({ PrefixListIds: [pl.PrefixListId!] }))).PrefixLists![0]!;
    expect([read.State, read.Version]).toEqual(["modify-complete", 2]);
    // Entries and MaxEntries change in separate requests (Terraform makes two calls for that reason).
    await expectAwsError(
      t.ec2.send(new ModifyManagedPrefixListCommand({ PrefixListId: pl.PrefixListId!, MaxEntries: 5, AddEntries: [{ Cidr: "172.16.0.0/12" }] })),
      {
        name: "InvalidParameterCombination",
        status: 400,
        message: "You cannot modify the entries and the maximum entries for the prefix list in the same request.",
      },
    );
    const grown = (await t.ec2.send(new ModifyManagedPrefixListCommand({ PrefixListId: pl.PrefixListId!, MaxEntries: 5 }))).PrefixList!;
    expect([grown.MaxEntries, grown.Version]).toEqual([5, 2]);
  });

  it("DescribeFleets answers the default allocation strategies as lowestPrice with one Spot pool", async () => {
    const lt = (
      await t.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "tf-fleet", LaunchTemplateData: { ImageId: AMI, InstanceType: "t3.micro" } }))
    ).LaunchTemplate!;
    const { FleetId } = await t.ec2.send(
      new CreateFleetCommand({
        LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: lt.LaunchTemplateId, Version: "1" } }],
        TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: "spot" },
      }),
    );
    const f = (await t.ec2.send(new DescribeFleetsCommand({ FleetIds: [FleetId!] }))).Fleets![0]!;
    expect(f.SpotOptions!.AllocationStrategy).toBe("lowestPrice");
    expect(f.SpotOptions!.InstancePoolsToUseCount).toBe(1);
    expect(f.OnDemandOptions!.AllocationStrategy).toBe("lowestPrice");
  });

  it("a registered AMI shows no bootMode or imdsSupport unless it was given them", async () => {
    const vol = (await t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 8 }))).VolumeId!;
    const snap = (await t.ec2.send(new CreateSnapshotCommand({ VolumeId: vol }))).SnapshotId!;
    const reg = (name: string, extra = {}) =>
      t.ec2.send(
        new RegisterImageCommand({
          Name: name,
          RootDeviceName: "/dev/xvda",
          VirtualizationType: "hvm",
          BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: snap } }],
          ...extra,
        }),
      );
    const plain = (await reg("tf-plain")).ImageId!;
    const set = (await reg("tf-set", { BootMode: "uefi", ImdsSupport: "v2.0" })).ImageId!;
    const images = (await t.ec2.send(new DescribeImagesCommand({ ImageIds: [plain, set] }))).Images!;
    const byId = Object.fromEntries(images.map((i) => [i.ImageId, [i.BootMode, i.ImdsSupport]]));
    expect(byId[plain]).toEqual([undefined, undefined]);
    expect(byId[set]).toEqual(["uefi", "v2.0"]);
    const attr = async (ImageId: string, Attribute: "bootMode" | "imdsSupport") => {
      const out = await t.ec2.send(new DescribeImageAttributeCommand({ ImageId, Attribute }));
      return Attribute === "bootMode" ? out.BootMode?.Value : out.ImdsSupport?.Value;
    };
    expect([await attr(plain, "bootMode"), await attr(plain, "imdsSupport")]).toEqual([undefined, undefined]);
    expect([await attr(set, "bootMode"), await attr(set, "imdsSupport")]).toEqual(["uefi", "v2.0"]);
    const filtered = async (Name: string, value: string) =>
      (await t.ec2.send(new DescribeImagesCommand({ ImageIds: [plain, set], Filters: [{ Name, Values: [value] }] }))).Images!.map((i) => i.ImageId);
    expect(await filtered("imds-support", "v2.0")).toEqual([set]);
    expect(await filtered("boot-mode", "uefi")).toEqual([set]);
    // Catalogue images keep theirs.
    const cat = (await t.ec2.send(new DescribeImagesCommand({ ImageIds: [AMI] }))).Images![0]!;
    expect([cat.BootMode, cat.ImdsSupport]).toEqual(["uefi-preferred", "v2.0"]);
  });

  it("a transit gateway peering attachment has no Options unless asked, and stays described as deleted", async () => {
    const east = (await t.ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!;
    const west = (await t.west.send(new CreateTransitGatewayCommand({}))).TransitGateway!;
    const att = (
      await t.ec2.send(
        new CreateTransitGatewayPeeringAttachmentCommand({
          TransitGatewayId: east.TransitGatewayId!,
          PeerTransitGatewayId: west.TransitGatewayId!,
          PeerRegion: "us-west-2",
          PeerAccountId: "000000000000",
        }),
      )
    ).TransitGatewayPeeringAttachment!;
    expect(att.Options).toBeUndefined();
    const id = att.TransitGatewayAttachmentId!;
    await t.ec2.send(new DeleteTransitGatewayPeeringAttachmentCommand({ TransitGatewayAttachmentId: id }));
    for (const c of [t.ec2, t.west]) {
      const d = (await c.send(new DescribeTransitGatewayPeeringAttachmentsCommand({ TransitGatewayAttachmentIds: [id] }))).TransitGatewayPeeringAttachments!;
      expect(d.map((a) => a.State)).toEqual(["deleted"]);
    }
    await expectAwsError(t.ec2.send(new DeleteTransitGatewayPeeringAttachmentCommand({ TransitGatewayAttachmentId: id })), {
      name: "InvalidTransitGatewayAttachmentID.NotFound",
      status: 400,
    });
  });

  it("an interface VPC endpoint can start without subnets and get one later (aws_vpc_endpoint_subnet_association)", async () => {
    const vpc = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: "10.77.0.0/16" }))).Vpc!.VpcId!;
    const sub = (await t.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.77.1.0/24", AvailabilityZone: "us-east-1a" }))).Subnet!.SubnetId!;
    const e = (await t.ec2.send(new CreateVpcEndpointCommand({ VpcId: vpc, ServiceName: "com.amazonaws.us-east-1.logs", VpcEndpointType: "Interface" })))
      .VpcEndpoint!;
    expect([e.VpcEndpointType, e.SubnetIds, e.NetworkInterfaceIds]).toEqual(["Interface", [], []]);
    await t.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: e.VpcEndpointId!, AddSubnetIds: [sub] }));
    const after = (await t.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [e.VpcEndpointId!] }))).VpcEndpoints![0]!;
    expect(after.SubnetIds).toEqual([sub]);
    expect(after.NetworkInterfaceIds).toHaveLength(1);
  });

  it("an AWS service's ServiceDetail names its Region and zone ids (aws_vpc_endpoint_service builds its ARN from the Region)", async () => {
    const d = (await t.ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: ["com.amazonaws.us-east-1.s3"] }))).ServiceDetails!;
    const zones = (await t.ec2.send(new DescribeAvailabilityZonesCommand({ ZoneNames: ["us-east-1a", "us-east-1b", "us-east-1c"] }))).AvailabilityZones!;
    const ids = zones.map((z) => z.ZoneId!);
    expect(ids).toHaveLength(3);
    expect(d.map((x) => [x.ServiceType![0]!.ServiceType, x.ServiceRegion, x.AvailabilityZones, x.AvailabilityZoneIds])).toEqual([
      ["Gateway", "us-east-1", ["us-east-1a", "us-east-1b", "us-east-1c"], ids],
      ["Interface", "us-east-1", ["us-east-1a", "us-east-1b", "us-east-1c"], ids],
    ]);
  });
});
