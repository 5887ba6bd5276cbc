/**
 * EC2 features AWS has retired or that no awsim resource reaches: Scheduled Instances (no longer for sale),
 * Elastic Graphics (end of life 8 January 2024), instance event start times (awsim schedules no events) and
 * a Capacity Reservation's resource groups (AWS Resource Groups is not in awsim). They answer as AWS does for
 * an account with none: empty lists with their filters and paging checked, and AWS's error codes for ids.
 */
import {
  CreateCapacityReservationCommand,
  DescribeElasticGpusCommand,
  DescribeScheduledInstanceAvailabilityCommand,
  DescribeScheduledInstancesCommand,
  EC2Client,
  GetGroupsForCapacityReservationCommand,
  ModifyInstanceEventStartTimeCommand,
  PurchaseScheduledInstancesCommand,
  RunInstancesCommand,
  RunScheduledInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { AMI } from "./ec2-fixtures.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("Scheduled Instances (no longer for sale)", () => {
  const window = { EarliestTime: new Date("2026-12-10T00:00:00Z"), LatestTime: new Date("2026-12-20T00:00:00Z") };

  it("no schedule is available and none is owned", async () => {
    const a = await sim.ec2.send(
      new DescribeScheduledInstanceAvailabilityCommand({
        FirstSlotStartTimeRange: window,
        Recurrence: { Frequency: "Weekly", Interval: 1, OccurrenceDays: [1] },
        MinSlotDurationInHours: 24,
        Filters: [{ Name: "instance-type", Values: ["c4.large"] }],
      }),
    );
    expect(a.ScheduledInstanceAvailabilitySet).toEqual([]);
    expect(a.NextToken).toBeUndefined();
    const d = await sim.ec2.send(new DescribeScheduledInstancesCommand({ Filters: [{ Name: "platform", Values: ["Linux/UNIX"] }], MaxResults: 5 }));
    expect(d.ScheduledInstanceSet).toEqual([]);
    expect(d.NextToken).toBeUndefined();
  });

  it("checks filters, windows, durations and paging", async () => {
    await expectAwsError(sim.ec2.send(new DescribeScheduledInstancesCommand({ Filters: [{ Name: "instance-state-name", Values: ["running"] }] })), {
      name: "InvalidParameterValue",
      status: 400,
      message: "The filter 'instance-state-name' is invalid",
    });
    await expectAwsError(sim.ec2.send(new DescribeScheduledInstancesCommand({ MaxResults: 1000 })), { name: "InvalidParameterValue", status: 400 });
    await expectAwsError(sim.ec2.send(new DescribeScheduledInstancesCommand({ NextToken: "not-a-token" })), { name: "InvalidParameterValue", status: 400 });
    const avail = (over: object) =>
      sim.ec2.send(
        new DescribeScheduledInstanceAvailabilityCommand({ FirstSlotStartTimeRange: window, Recurrence: { Frequency: "Daily", Interval: 1 }, ...over }),
      );
    await expectAwsError(avail({ FirstSlotStartTimeRange: { EarliestTime: window.LatestTime, LatestTime: window.EarliestTime } }), {
      name: "InvalidParameterValue",
      status: 400,
    });
    await expectAwsError(avail({ MinSlotDurationInHours: 8, MaxSlotDurationInHours: 4 }), { name: "InvalidParameterValue", status: 400 });
    await expectAwsError(avail({ MaxSlotDurationInHours: 1720 }), { name: "InvalidParameterValue", status: 400 });
    await expectAwsError(avail({ Recurrence: { Frequency: "Hourly" } }), { name: "InvalidParameterValue", status: 400 });
    await expectAwsError(avail({ Filters: [{ Name: "network-platform", Values: ["EC2-VPC"] }] }), { name: "InvalidParameterValue", status: 400 });
    expect((await avail({ MaxSlotDurationInHours: 1719, MinSlotDurationInHours: 4 })).ScheduledInstanceAvailabilitySet).toEqual([]);
    await expectAwsError(avail({ DryRun: true }), { name: "DryRunOperation", status: 412 });
  });

  it("no purchase token is valid and no Scheduled Instance exists", async () => {
    await expectAwsError(sim.ec2.send(new PurchaseScheduledInstancesCommand({ PurchaseRequests: [{ PurchaseToken: "eyJ2IjoiMSJ9", InstanceCount: 1 }] })), {
      name: "InvalidPurchaseToken.Malformed",
      status: 400,
      message: "The specified purchase token is not valid.",
    });
    const sci = "sci-1234-1234-1234-1234-123456789012";
    await expectAwsError(sim.ec2.send(new RunScheduledInstancesCommand({ ScheduledInstanceId: sci, LaunchSpecification: { ImageId: AMI } })), {
      name: "InvalidScheduledInstance",
      status: 400,
      message: "The specified Scheduled Instance does not exist.",
    });
    await expectAwsError(sim.ec2.send(new DescribeScheduledInstancesCommand({ ScheduledInstanceIds: [sci] })), {
      name: "InvalidScheduledInstance",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new RunScheduledInstancesCommand({ ScheduledInstanceId: sci, LaunchSpecification: { ImageId: AMI }, DryRun: true })), {
      name: "DryRunOperation",
      status: 412,
    });
  });
});

describe("Elastic Graphics (end of life)", () => {
  it("lists no accelerators; ids are Malformed or NotFound", async () => {
    const r = await sim.ec2.send(new DescribeElasticGpusCommand({ Filters: [{ Name: "elastic-gpu-state", Values: ["ATTACHED"] }], MaxResults: 10 }));
    expect(r.ElasticGpuSet).toEqual([]);
    expect(r.NextToken).toBeUndefined();
    await expectAwsError(sim.ec2.send(new DescribeElasticGpusCommand({ ElasticGpuIds: ["egpu-0123456789abcdef0"] })), {
      name: "InvalidElasticGpuID.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new DescribeElasticGpusCommand({ ElasticGpuIds: ["gpu-1"] })), { name: "InvalidElasticGpuID.Malformed", status: 400 });
    await expectAwsError(sim.ec2.send(new DescribeElasticGpusCommand({ Filters: [{ Name: "state", Values: ["x"] }] })), {
      name: "InvalidParameterValue",
      status: 400,
    });
  });
});

describe("instance events and reservation groups", () => {
  it("ModifyInstanceEventStartTime finds the instance, then no event", async () => {
    const id = (await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, InstanceType: "t3.micro" }))).Instances![0]!.InstanceId!;
    const at = new Date("2026-12-20T00:00:00Z");
    await expectAwsError(
      sim.ec2.send(new ModifyInstanceEventStartTimeCommand({ InstanceId: id, InstanceEventId: "instance-event-0d59937288b749b32", NotBefore: at })),
      {
        name: "InvalidInstanceEventIDNotFound",
        status: 400,
        message: new RegExp(`instance-event-0d59937288b749b32.*${id}`),
      },
    );
    await expectAwsError(
      sim.ec2.send(
        new ModifyInstanceEventStartTimeCommand({ InstanceId: "i-0123456789abcdef0", InstanceEventId: "instance-event-0d59937288b749b32", NotBefore: at }),
      ),
      { name: "InvalidInstanceID.NotFound", status: 400 },
    );
    await expectAwsError(sim.ec2.send(new ModifyInstanceEventStartTimeCommand({ InstanceId: "web-1", InstanceEventId: "e", NotBefore: at })), {
      name: "InvalidInstanceID.Malformed",
      status: 400,
    });
  });

  it("GetGroupsForCapacityReservation: an existing reservation is in no group", async () => {
    const cr = (
      await sim.ec2.send(
        new CreateCapacityReservationCommand({ InstanceType: "t3.micro", InstancePlatform: "Linux/UNIX", AvailabilityZone: "us-east-1a", InstanceCount: 1 }),
      )
    ).CapacityReservation!.CapacityReservationId!;
    const r = await sim.ec2.send(new GetGroupsForCapacityReservationCommand({ CapacityReservationId: cr, MaxResults: 1 }));
    expect(r.CapacityReservationGroups).toEqual([]);
    expect(r.NextToken).toBeUndefined();
    await expectAwsError(sim.ec2.send(new GetGroupsForCapacityReservationCommand({ CapacityReservationId: "cr-0123456789abcdef0" })), {
      name: "InvalidCapacityReservationId.NotFound",
      status: 400,
      message: "The capacity reservation ID 'cr-0123456789abcdef0' does not exist",
    });
  });
});
