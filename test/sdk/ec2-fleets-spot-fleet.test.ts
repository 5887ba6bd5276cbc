import {
  CancelSpotFleetRequestsCommand,
  CreateLaunchTemplateCommand,
  DeleteSpotDatafeedSubscriptionCommand,
  DescribeInstancesCommand,
  DescribeSpotDatafeedSubscriptionCommand,
  DescribeSpotFleetInstancesCommand,
  DescribeSpotFleetRequestHistoryCommand,
  DescribeSpotFleetRequestsCommand,
  DescribeSpotInstanceRequestsCommand,
  DescribeSubnetsCommand,
  CreateSpotDatafeedSubscriptionCommand,
  EC2Client,
  ModifySpotFleetRequestCommand,
  RequestSpotFleetCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const AMI = "ami-0abcdef1234567890";
const ROLE = "arn:aws:iam::000000000000:role/aws-ec2-spot-fleet-tagging-role";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

const active = async (id: string) => (await sim.ec2.send(new DescribeSpotFleetInstancesCommand({ SpotFleetRequestId: id }))).ActiveInstances!;

describe("Spot Fleet", () => {
  it("requests, describes, replaces lost capacity, modifies, reports history and cancels", async () => {
    const start = new Date(Date.now() - 1000);
    const { SpotFleetRequestId: id } = await sim.ec2.send(
      new RequestSpotFleetCommand({
        SpotFleetRequestConfig: {
          IamFleetRole: ROLE,
          TargetCapacity: 4,
          OnDemandTargetCapacity: 1,
          AllocationStrategy: "diversified",
          LaunchSpecifications: [
            { ImageId: AMI, InstanceType: "t3.small", TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "role", Value: "worker" }] }] },
            { ImageId: AMI, InstanceType: "m5.large", WeightedCapacity: 2 },
          ],
          TagSpecifications: [{ ResourceType: "spot-fleet-request", Tags: [{ Key: "team", Value: "a" }] }],
        },
      }),
    );
    expect(id).toMatch(/^sfr-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const cfg = (await sim.ec2.send(new DescribeSpotFleetRequestsCommand({ SpotFleetRequestIds: [id!] }))).SpotFleetRequestConfigs![0]!;
    expect(cfg).toMatchObject({
      SpotFleetRequestId: id,
      SpotFleetRequestState: "active",
      ActivityStatus: "fulfilled",
      Tags: [{ Key: "team", Value: "a" }],
      SpotFleetRequestConfig: {
        TargetCapacity: 4,
        OnDemandTargetCapacity: 1,
        FulfilledCapacity: 4,
        OnDemandFulfilledCapacity: 1,
        Type: "maintain",
        IamFleetRole: ROLE,
      },
    });
    const inst = await active(id!);
    const spotIds = inst.filter((x) => x.SpotInstanceRequestId).map((x) => x.InstanceId!);
    expect(inst.length).toBeGreaterThanOrEqual(3);
    expect(spotIds.length).toBeGreaterThanOrEqual(2);
    // diversified: both pools are used for Spot
    expect(new Set(inst.filter((x) => x.SpotInstanceRequestId).map((x) => x.InstanceType)).size).toBe(2);
    const described = (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: spotIds }))).Reservations!.flatMap((r) => r.Instances!);
    for (const i of described) {
      expect(i.InstanceLifecycle).toBe("spot");
      expect(i.Tags).toEqual(expect.arrayContaining([{ Key: "aws:ec2spot:fleet-request-id", Value: id }]));
    }
    const sirs = await sim.ec2.send(new DescribeSpotInstanceRequestsCommand({ Filters: [{ Name: "instance-id", Values: spotIds }] }));
    expect(sirs.SpotInstanceRequests!.map((r) => r.State)).toEqual(spotIds.map(() => "active"));

    await sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [spotIds[0]!] }));
    const after = await active(id!);
    expect(after.map((x) => x.InstanceId)).not.toContain(spotIds[0]);
    expect((await sim.ec2.send(new DescribeSpotFleetRequestsCommand({}))).SpotFleetRequestConfigs![0]!.SpotFleetRequestConfig!.FulfilledCapacity).toBe(4);

    expect((await sim.ec2.send(new ModifySpotFleetRequestCommand({ SpotFleetRequestId: id, TargetCapacity: 1, OnDemandTargetCapacity: 1 }))).Return).toBe(true);
    const one = await active(id!);
    expect(one).toHaveLength(1);
    expect(one[0]!.SpotInstanceRequestId).toBeUndefined();

    const hist = await sim.ec2.send(new DescribeSpotFleetRequestHistoryCommand({ SpotFleetRequestId: id, StartTime: start }));
    expect(hist.HistoryRecords!.map((h) => `${h.EventType}:${h.EventInformation?.EventSubType}`)).toEqual(
      expect.arrayContaining([
        "fleetRequestChange:submitted",
        "fleetRequestChange:active",
        "instanceChange:launched",
        "instanceChange:terminated",
        "fleetRequestChange:modify_successful",
      ]),
    );
    const onlyInst = await sim.ec2.send(new DescribeSpotFleetRequestHistoryCommand({ SpotFleetRequestId: id, StartTime: start, EventType: "instanceChange" }));
    expect(onlyInst.HistoryRecords!.every((h) => h.EventType === "instanceChange" && h.EventInformation?.InstanceId)).toBe(true);

    const cancel = await sim.ec2.send(
      new CancelSpotFleetRequestsCommand({ SpotFleetRequestIds: [id!, "sfr-00000000-0000-0000-0000-000000000000"], TerminateInstances: true }),
    );
    expect(cancel.SuccessfulFleetRequests).toEqual([
      { SpotFleetRequestId: id, PreviousSpotFleetRequestState: "active", CurrentSpotFleetRequestState: "cancelled_terminating" },
    ]);
    expect(cancel.UnsuccessfulFleetRequests![0]!.Error!.Code).toBe("fleetRequestIdDoesNotExist");
    const gone = (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [one[0]!.InstanceId!] }))).Reservations![0]!.Instances![0]!;
    expect(gone.State!.Name).toMatch(/shutting-down|terminated/);
    expect((await sim.ec2.send(new DescribeSpotFleetRequestsCommand({ SpotFleetRequestIds: [id!] }))).SpotFleetRequestConfigs![0]!.SpotFleetRequestState).toBe(
      "cancelled",
    );
    const again = await sim.ec2.send(new CancelSpotFleetRequestsCommand({ SpotFleetRequestIds: [id!], TerminateInstances: false }));
    expect(again.UnsuccessfulFleetRequests![0]!.Error!.Code).toBe("fleetRequestNotInCancellableState");
    await expectAwsError(sim.ec2.send(new ModifySpotFleetRequestCommand({ SpotFleetRequestId: id, TargetCapacity: 2 })), {
      name: "FleetNotInModifiableState",
      status: 400,
    });
  });

  it("launch templates, request type, a price too low, and errors", async () => {
    const lt = (await sim.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "sf-lt", LaunchTemplateData: { ImageId: AMI } }))).LaunchTemplate!;
    const { SpotFleetRequestId: id } = await sim.ec2.send(
      new RequestSpotFleetCommand({
        SpotFleetRequestConfig: {
          IamFleetRole: ROLE,
          Type: "request",
          TargetCapacity: 2,
          SpotPrice: "0.00001",
          LaunchTemplateConfigs: [
            { LaunchTemplateSpecification: { LaunchTemplateName: "sf-lt", Version: "$Latest" }, Overrides: [{ InstanceType: "c5.large" }] },
          ],
        },
      }),
    );
    const cfg = (await sim.ec2.send(new DescribeSpotFleetRequestsCommand({ SpotFleetRequestIds: [id!] }))).SpotFleetRequestConfigs![0]!;
    expect(cfg.ActivityStatus).toBe("error");
    expect(cfg.SpotFleetRequestConfig!.FulfilledCapacity).toBe(0);
    expect(cfg.SpotFleetRequestConfig!.LaunchTemplateConfigs![0]!.LaunchTemplateSpecification!.LaunchTemplateName).toBe(lt.LaunchTemplateName);
    expect(await active(id!)).toEqual([]);
    const info = await sim.ec2.send(new DescribeSpotFleetRequestHistoryCommand({ SpotFleetRequestId: id, StartTime: new Date(0), EventType: "information" }));
    expect(info.HistoryRecords![0]!.EventInformation!.EventDescription).toMatch(/^SpotMaxPriceTooLow/);
    await expectAwsError(sim.ec2.send(new ModifySpotFleetRequestCommand({ SpotFleetRequestId: id, TargetCapacity: 3 })), {
      name: "FleetNotInModifiableState",
      status: 400,
      message: `Fleet Request: ${id} is not a modifiable fleet request type.`,
    });

    await expectAwsError(
      sim.ec2.send(
        new RequestSpotFleetCommand({ SpotFleetRequestConfig: { IamFleetRole: "nope", TargetCapacity: 1, LaunchSpecifications: [{ ImageId: AMI }] } }),
      ),
      { name: "InvalidSpotFleetRequestConfig", status: 400 },
    );
    await expectAwsError(sim.ec2.send(new RequestSpotFleetCommand({ SpotFleetRequestConfig: { IamFleetRole: ROLE, TargetCapacity: 1 } })), {
      name: "InvalidSpotFleetRequestConfig",
      status: 400,
    });
    await expectAwsError(
      sim.ec2.send(
        new RequestSpotFleetCommand({
          DryRun: true,
          SpotFleetRequestConfig: { IamFleetRole: ROLE, TargetCapacity: 1, LaunchSpecifications: [{ ImageId: AMI }] },
        }),
      ),
      { name: "DryRunOperation", status: 412 },
    );
    await expectAwsError(sim.ec2.send(new DescribeSpotFleetRequestsCommand({ SpotFleetRequestIds: ["sfr-00000000-0000-0000-0000-000000000000"] })), {
      name: "InvalidSpotFleetRequestId.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new DescribeSpotFleetInstancesCommand({ SpotFleetRequestId: "sfr-00000000-0000-0000-0000-000000000000" })), {
      name: "InvalidSpotFleetRequestId.NotFound",
      status: 400,
    });
    const sub = (await sim.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "availability-zone", Values: ["us-east-1a"] }] }))).Subnets![0]!;
    await expectAwsError(
      sim.ec2.send(
        new RequestSpotFleetCommand({
          SpotFleetRequestConfig: {
            IamFleetRole: ROLE,
            TargetCapacity: 1,
            LaunchSpecifications: [{ ImageId: AMI, SubnetId: sub.SubnetId, Placement: { AvailabilityZone: "us-east-1b" } }],
          },
        }),
      ),
      {
        name: "InvalidSpotFleetRequestConfig",
        status: 400,
        message: `The specified Subnet: ${sub.SubnetId} cannot be used with the specified Availability Zone: us-east-1b.`,
      },
    );
    // pagination
    for (let n = 0; n < 2; n++)
      await sim.ec2.send(
        new RequestSpotFleetCommand({
          SpotFleetRequestConfig: { IamFleetRole: ROLE, TargetCapacity: 1, LaunchSpecifications: [{ ImageId: AMI, InstanceType: "t3.nano" }] },
        }),
      );
    const p1 = await sim.ec2.send(new DescribeSpotFleetRequestsCommand({ MaxResults: 2 }));
    expect(p1.SpotFleetRequestConfigs).toHaveLength(2);
    const p2 = await sim.ec2.send(new DescribeSpotFleetRequestsCommand({ MaxResults: 2, NextToken: p1.NextToken }));
    expect(p2.SpotFleetRequestConfigs).toHaveLength(1);
    expect(p2.NextToken).toBeUndefined();
  });
});

describe("Spot data feed", () => {
  it("subscribes into an existing bucket, describes and deletes", async () => {
    await expectAwsError(sim.ec2.send(new DescribeSpotDatafeedSubscriptionCommand({})), { name: "InvalidSpotDatafeed.NotFound", status: 400 });
    await expectAwsError(sim.ec2.send(new CreateSpotDatafeedSubscriptionCommand({ Bucket: "no-such-feed-bucket" })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    const s3 = new S3Client(clientConfig(sim.server, { forcePathStyle: true }));
    await s3.send(new CreateBucketCommand({ Bucket: "spot-feed-bucket" }));
    const sub = await sim.ec2.send(new CreateSpotDatafeedSubscriptionCommand({ Bucket: "spot-feed-bucket", Prefix: "feed/" }));
    expect(sub.SpotDatafeedSubscription).toEqual({ Bucket: "spot-feed-bucket", Prefix: "feed/", OwnerId: "000000000000", State: "Active" });
    expect((await sim.ec2.send(new DescribeSpotDatafeedSubscriptionCommand({}))).SpotDatafeedSubscription!.Bucket).toBe("spot-feed-bucket");
    await sim.ec2.send(new DeleteSpotDatafeedSubscriptionCommand({}));
    await expectAwsError(sim.ec2.send(new DeleteSpotDatafeedSubscriptionCommand({})), { name: "InvalidSpotDatafeed.NotFound", status: 400 });
  });
});
