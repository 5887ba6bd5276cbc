/** EC2 scenarios replayed from moto's test suite (tests/test_ec2, second half), asserting AWS's answers. */
import {
  AllocateHostsCommand,
  AssociateIamInstanceProfileCommand,
  AttachVpnGatewayCommand,
  CreateCustomerGatewayCommand,
  CreateFleetCommand,
  CreateFlowLogsCommand,
  CreateLaunchTemplateCommand,
  CreateManagedPrefixListCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  CreateVpnGatewayCommand,
  DeleteFlowLogsCommand,
  DeleteManagedPrefixListCommand,
  DeleteTagsCommand,
  DeleteVpnGatewayCommand,
  DescribeAvailabilityZonesCommand,
  DescribeFleetInstancesCommand,
  DescribeFleetsCommand,
  DescribeHostsCommand,
  DescribeInstanceTypesCommand,
  DescribeManagedPrefixListsCommand,
  DescribeRegionsCommand,
  DescribeReservedInstancesOfferingsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSpotInstanceRequestsCommand,
  DescribeTagsCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpnGatewaysCommand,
  DetachVpnGatewayCommand,
  EC2Client,
  RequestSpotInstancesCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { CreateInstanceProfileCommand, IAMClient } from "@aws-sdk/client-iam";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";
import { AMI } from "./ec2-fixtures.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("spot instance requests (moto scenarios)", () => {
  it("shows the default VPC's default security group when the launch specification names none", async () => {
    const id = (await sim.ec2.send(new RequestSpotInstancesCommand({ SpotPrice: "0.5", LaunchSpecification: { ImageId: AMI } }))).SpotInstanceRequests![0]!
      .SpotInstanceRequestId!;
    const def = (await sim.ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ["default"] }))).SecurityGroups![0]!;
    const spec = (await sim.ec2.send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [id] }))).SpotInstanceRequests![0]!.LaunchSpecification!;
    expect(spec.SecurityGroups).toEqual([{ GroupId: def.GroupId, GroupName: "default" }]);
  });

  it("reads back the launch specification's security group names, kernel and ramdisk", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    const sub = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.0.0.0/24" }))).Subnet!.SubnetId!;
    const g1 = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "g1", Description: "d", VpcId: vpc }))).GroupId!;
    const g2 = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "g2", Description: "d", VpcId: vpc }))).GroupId!;
    const id = (
      await sim.ec2.send(
        new RequestSpotInstancesCommand({
          SpotPrice: "0.5",
          ValidFrom: new Date(Date.now() + 86400_000),
          LaunchSpecification: { ImageId: AMI, InstanceType: "m1.small", SecurityGroups: ["g1", "g2"], KernelId: "aki-1", RamdiskId: "ari-1", SubnetId: sub },
        }),
      )
    ).SpotInstanceRequests![0]!.SpotInstanceRequestId!;
    const spec = (await sim.ec2.send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [id] }))).SpotInstanceRequests![0]!.LaunchSpecification!;
    expect(spec.SecurityGroups).toEqual([
      { GroupId: g1, GroupName: "g1" },
      { GroupId: g2, GroupName: "g2" },
    ]);
    expect([spec.KernelId, spec.RamdiskId, spec.SubnetId]).toEqual(["aki-1", "ari-1", sub]);
  });
});

describe("EC2 Fleet (moto scenarios)", () => {
  it("takes lowestPrice for the Spot and On-Demand allocation strategies, as Terraform's aws_ec2_fleet sends them", async () => {
    const lt = (
      await sim.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "fleet-lt", LaunchTemplateData: { ImageId: AMI, InstanceType: "t2.micro" } }))
    ).LaunchTemplate!.LaunchTemplateId!;
    const { FleetId } = await sim.ec2.send(
      new CreateFleetCommand({
        LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: lt, Version: "1" } }],
        TargetCapacitySpecification: { DefaultTargetCapacityType: "spot", OnDemandTargetCapacity: 1, SpotTargetCapacity: 2, TotalTargetCapacity: 3 },
        SpotOptions: { AllocationStrategy: "lowestPrice" as never },
        OnDemandOptions: { AllocationStrategy: "lowestPrice" as never },
        Type: "maintain",
      }),
    );
    const fleet = (await sim.ec2.send(new DescribeFleetsCommand({ FleetIds: [FleetId!] }))).Fleets![0]!;
    expect([fleet.SpotOptions?.AllocationStrategy, fleet.OnDemandOptions?.AllocationStrategy]).toEqual(["lowestPrice", "lowestPrice"]);
    expect((await sim.ec2.send(new DescribeFleetInstancesCommand({ FleetId }))).ActiveInstances).toHaveLength(3);
  });
});

describe("flow logs (moto scenarios)", () => {
  it("refuses a CloudWatch Logs destination without a role and an aggregation interval other than 60 or 600", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    await expectAwsError(sim.ec2.send(new CreateFlowLogsCommand({ ResourceType: "VPC", ResourceIds: [vpc], TrafficType: "ALL", LogGroupName: "g" })), {
      name: "InvalidParameter",
      status: 400,
      message: "DeliverLogsPermissionArn can't be empty if LogDestinationType is cloud-watch-logs.",
    });
    const role = "arn:aws:iam::123456789012:role/flow";
    await expectAwsError(
      sim.ec2.send(
        new CreateFlowLogsCommand({
          ResourceType: "VPC",
          ResourceIds: [vpc],
          TrafficType: "ALL",
          LogGroupName: "g",
          DeliverLogsPermissionArn: role,
          MaxAggregationInterval: 10,
        }),
      ),
      { name: "InvalidParameter", status: 400, message: "Invalid Flow Log Max Aggregation Interval." },
    );
  });

  it("reports unknown flow log ids on delete as unsuccessful items with AWS's message", async () => {
    const out = await sim.ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: ["fl-1a2b3c4d", "fl-2b3c4d5e"] }));
    const message = "These flow log ids in the input list are not found: [TotalCount: 2] fl-1a2b3c4d fl-2b3c4d5e";
    expect(out.Unsuccessful).toEqual([
      { ResourceId: "fl-1a2b3c4d", Error: { Code: "InvalidFlowLogId.NotFound", Message: message } },
      { ResourceId: "fl-2b3c4d5e", Error: { Code: "InvalidFlowLogId.NotFound", Message: message } },
    ]);
  });
});

describe("customer and virtual private gateways (moto scenarios)", () => {
  it("answers CreateCustomerGateway with an available gateway", async () => {
    const g = (await sim.ec2.send(new CreateCustomerGatewayCommand({ Type: "ipsec.1", IpAddress: "205.251.242.54", BgpAsn: 65534 }))).CustomerGateway!;
    expect([g.State, g.Type, g.BgpAsn, g.IpAddress]).toEqual(["available", "ipsec.1", "65534", "205.251.242.54"]);
  });

  it("keeps a detached attachment listed as detached, and a deleted gateway as deleted", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    const id = (await sim.ec2.send(new CreateVpnGatewayCommand({ Type: "ipsec.1" }))).VpnGateway!.VpnGatewayId!;
    const describe = async () => (await sim.ec2.send(new DescribeVpnGatewaysCommand({ VpnGatewayIds: [id] }))).VpnGateways![0]!;
    await sim.ec2.send(new AttachVpnGatewayCommand({ VpnGatewayId: id, VpcId: vpc }));
    expect((await describe()).VpcAttachments).toEqual([{ State: "attached", VpcId: vpc }]);
    await sim.ec2.send(new DetachVpnGatewayCommand({ VpnGatewayId: id, VpcId: vpc }));
    expect((await describe()).VpcAttachments).toEqual([{ State: "detached", VpcId: vpc }]);
    const detached = await sim.ec2.send(new DescribeVpnGatewaysCommand({ Filters: [{ Name: "attachment.state", Values: ["detached"] }] }));
    expect(detached.VpnGateways!.map((g) => g.VpnGatewayId)).toEqual([id]);
    await sim.ec2.send(new DeleteVpnGatewayCommand({ VpnGatewayId: id }));
    expect((await describe()).State).toBe("deleted");
    await expectAwsError(sim.ec2.send(new AttachVpnGatewayCommand({ VpnGatewayId: id, VpcId: vpc })), {
      name: "InvalidVpnGatewayID.NotFound",
      status: 400,
      message: `The vpnGateway ID '${id}' does not exist`,
    });
  });
});

describe("managed prefix lists (moto scenarios)", () => {
  it("keeps describing a deleted prefix list as delete-complete beside a live one", async () => {
    const make = async (name: string) =>
      (await sim.ec2.send(new CreateManagedPrefixListCommand({ PrefixListName: name, MaxEntries: 2, AddressFamily: "IPv4" }))).PrefixList!.PrefixListId!;
    const [a, b] = [await make("one"), await make("two")];
    await sim.ec2.send(new DeleteManagedPrefixListCommand({ PrefixListId: a }));
    const lists = (await sim.ec2.send(new DescribeManagedPrefixListsCommand({ PrefixListIds: [a, b] }))).PrefixLists!;
    expect(lists.map((p) => [p.PrefixListId, p.State])).toEqual([
      [a, "delete-complete"],
      [b, "create-complete"],
    ]);
    const all = (await sim.ec2.send(new DescribeManagedPrefixListsCommand({ Filters: [{ Name: "prefix-list-name", Values: ["one"] }] }))).PrefixLists!;
    expect(all.map((p) => p.State)).toEqual(["delete-complete"]);
  });
});

describe("dedicated hosts (moto scenarios)", () => {
  it("tags a host with CreateTags, lists it in DescribeTags and untags it", async () => {
    const [id] = (await sim.ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", InstanceType: "m5.large", Quantity: 1 }))).HostIds!;
    await sim.ec2.send(new CreateTagsCommand({ Resources: [id!], Tags: [{ Key: "k1", Value: "v1" }] }));
    expect((await sim.ec2.send(new DescribeHostsCommand({ HostIds: [id!] }))).Hosts![0]!.Tags).toEqual([{ Key: "k1", Value: "v1" }]);
    const tags = await sim.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [id!] }] }));
    expect(tags.Tags).toEqual([{ Key: "k1", ResourceId: id, ResourceType: "dedicated-host", Value: "v1" }]);
    await sim.ec2.send(new DeleteTagsCommand({ Resources: [id!], Tags: [{ Key: "k1" }] }));
    expect((await sim.ec2.send(new DescribeHostsCommand({ HostIds: [id!] }))).Hosts![0]!.Tags ?? []).toEqual([]);
    await expectAwsError(sim.ec2.send(new CreateTagsCommand({ Resources: ["h-0123456789abcdef0"], Tags: [{ Key: "k", Value: "v" }] })), {
      name: "InvalidHostID.NotFound",
      status: 400,
    });
  });
});

describe("regions (moto scenarios)", () => {
  it("lists the opt-in Regions as not-opted-in only with AllRegions", async () => {
    const enabled = (await sim.ec2.send(new DescribeRegionsCommand({}))).Regions!;
    expect(enabled.every((r) => r.OptInStatus === "opt-in-not-required" && r.Endpoint === `ec2.${r.RegionName}.amazonaws.com`)).toBe(true);
    expect(enabled.map((r) => r.RegionName)).not.toContain("af-south-1");
    const all = (await sim.ec2.send(new DescribeRegionsCommand({ AllRegions: true }))).Regions!;
    expect(all.find((r) => r.RegionName === "af-south-1")?.OptInStatus).toBe("not-opted-in");
    expect(all.length).toBeGreaterThan(enabled.length);
    const optIn = await sim.ec2.send(new DescribeRegionsCommand({ AllRegions: true, Filters: [{ Name: "opt-in-status", Values: ["not-opted-in"] }] }));
    expect(optIn.Regions!.map((r) => r.RegionName)).toContain("me-south-1");
    expect(optIn.Regions!.some((r) => r.RegionName === "us-east-1")).toBe(false);
  });
});

describe("instance types (moto scenarios)", () => {
  it("describes named types and refuses unknown ones with InvalidInstanceType", async () => {
    const types = (await sim.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ["t3.nano", "t2.micro", "t2.large"] }))).InstanceTypes!;
    expect(types.map((t) => t.InstanceType).sort()).toEqual(["t2.large", "t2.micro", "t3.nano"]);
    const large = types.find((t) => t.InstanceType === "t2.large")!;
    expect([large.VCpuInfo?.DefaultVCpus, large.MemoryInfo?.SizeInMiB, large.BurstablePerformanceSupported]).toEqual([2, 8192, true]);
    expect(types.every((t) => (t.MemoryInfo?.SizeInMiB ?? 0) > 0)).toBe(true);
    await expectAwsError(sim.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ["t1.non_existent" as never] })), {
      name: "InvalidInstanceType",
      status: 400,
      message: "The following supplied instance types do not exist: [t1.non_existent]",
    });
  });
});

describe("IAM instance profile associations (moto scenarios)", () => {
  it("refuses a profile IAM does not know, by name or by ARN", async () => {
    const id = (await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
    await expectAwsError(sim.ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Name: "fake" } })), {
      name: "InvalidParameterValue",
      status: 400,
      message: "Value (fake) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name",
    });
    const arn = "arn:aws:iam::123456789012:instance-profile/fake";
    await expectAwsError(sim.ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Arn: arn } })), {
      name: "InvalidParameterValue",
      status: 400,
      message: `Value (${arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`,
    });
    const profile = (await new IAMClient(clientConfig(sim.server)).send(new CreateInstanceProfileCommand({ InstanceProfileName: "real" }))).InstanceProfile!;
    const a = (await sim.ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Arn: profile.Arn } })))
      .IamInstanceProfileAssociation!;
    expect([a.State, a.IamInstanceProfile?.Arn]).toEqual(["associating", profile.Arn]);
  });
});

describe("availability zones (moto scenarios)", () => {
  it("names zone ids with AWS's region short forms, GovCloud included", async () => {
    const zoneIds = async (region: string) =>
      ((await new EC2Client({ ...clientConfig(sim.server), region }).send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones ?? []).map(
        (z) => z.ZoneId,
      );
    expect(await zoneIds("us-gov-west-1")).toEqual(["usgw1-az1", "usgw1-az2", "usgw1-az3"]);
    expect((await zoneIds("us-gov-east-1"))[0]).toBe("usge1-az1");
    expect((await zoneIds("ap-southeast-3"))[0]).toBe("apse3-az1");
    expect((await zoneIds("cn-northwest-1"))[0]).toBe("cnnw1-az1");
  });
});

describe("reserved instance offerings (moto scenarios)", () => {
  it("offers T2 types, filtered by type, zone and product", async () => {
    const byType = (
      await sim.ec2.send(new DescribeReservedInstancesOfferingsCommand({ Filters: [{ Name: "instance-type", Values: ["t2.micro"] }], MaxResults: 100 }))
    ).ReservedInstancesOfferings!;
    expect(byType.length).toBeGreaterThan(0);
    expect(byType.every((o) => o.InstanceType === "t2.micro")).toBe(true);
    const zonal = (
      await sim.ec2.send(
        new DescribeReservedInstancesOfferingsCommand({
          InstanceType: "t2.micro",
          Filters: [
            { Name: "availability-zone", Values: ["us-east-1a"] },
            { Name: "product-description", Values: ["Linux/UNIX"] },
          ],
        }),
      )
    ).ReservedInstancesOfferings!;
    expect(zonal.length).toBeGreaterThan(0);
    expect(zonal.every((o) => o.AvailabilityZone === "us-east-1a" && o.ProductDescription === "Linux/UNIX" && o.Scope === "Availability Zone")).toBe(true);
  });
});

describe("VPC endpoint services (moto scenarios)", () => {
  it("lists the AWS services infrastructure code commonly reaches privately (config, execute-api, elasticloadbalancing, ...)", async () => {
    const names = ["config", "execute-api", "elasticloadbalancing", "kinesis-streams", "states"].map((x) => `com.amazonaws.us-east-1.${x}`);
    const out = await sim.ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: names }));
    expect(out.ServiceNames).toEqual(names);
    const config = out.ServiceDetails!.find((d) => d.ServiceName === names[0])!;
    expect(config).toMatchObject({
      ServiceType: [{ ServiceType: "Interface" }],
      Owner: "amazon",
      BaseEndpointDnsNames: ["config.us-east-1.vpce.amazonaws.com"],
      PrivateDnsName: "config.us-east-1.amazonaws.com",
    });
    await expectAwsError(sim.ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: ["s3"] })), {
      name: "InvalidServiceName",
      status: 400,
      message: "The Vpc Endpoint Service 's3' does not exist",
    });
  });
});
