import {
  CancelCapacityReservationFleetsCommand,
  CreateCapacityReservationBySplittingCommand,
  CreateCapacityReservationCommand,
  CreateCapacityReservationFleetCommand,
  CreateInterruptibleCapacityReservationAllocationCommand,
  DescribeCapacityReservationFleetsCommand,
  DescribeCapacityReservationsCommand,
  EC2Client,
  GetCapacityReservationUsageCommand,
  ModifyCapacityReservationFleetCommand,
  MoveCapacityReservationInstancesCommand,
  UpdateInterruptibleCapacityReservationAllocationCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

const cr = async (count: number, type = "m5.large") =>
  (
    await sim.ec2.send(
      new CreateCapacityReservationCommand({ InstanceType: type, InstancePlatform: "Linux/UNIX", AvailabilityZone: "us-east-1a", InstanceCount: count }),
    )
  ).CapacityReservation!.CapacityReservationId!;

describe("Capacity Reservation Fleets", () => {
  it("create reserves the target in the top-priority spec, modify scales and dates, cancel cancels the reservations", async () => {
    const out = await sim.ec2.send(
      new CreateCapacityReservationFleetCommand({
        TotalTargetCapacity: 8,
        InstanceTypeSpecifications: [
          { InstanceType: "m5.large", InstancePlatform: "Linux/UNIX", AvailabilityZone: "us-east-1a", Weight: 1, Priority: 2 },
          { InstanceType: "m5.xlarge", InstancePlatform: "Linux/UNIX", AvailabilityZoneId: "use1-az2", Weight: 2, Priority: 1 },
        ],
        TagSpecifications: [
          { ResourceType: "capacity-reservation-fleet", Tags: [{ Key: "team", Value: "a" }] },
          { ResourceType: "capacity-reservation", Tags: [{ Key: "from", Value: "fleet" }] },
        ],
      }),
    );
    expect(out.CapacityReservationFleetId).toMatch(/^crf-[0-9a-f]{17}$/);
    expect(out).toMatchObject({
      State: "active",
      TotalTargetCapacity: 8,
      TotalFulfilledCapacity: 8,
      AllocationStrategy: "prioritized",
      Tenancy: "default",
      InstanceMatchCriteria: "open",
      Tags: [{ Key: "team", Value: "a" }],
    });
    expect(out.FleetCapacityReservations).toHaveLength(1);
    const res = out.FleetCapacityReservations![0]!;
    expect(res).toMatchObject({
      InstanceType: "m5.xlarge",
      AvailabilityZone: "us-east-1b",
      AvailabilityZoneId: "use1-az2",
      TotalInstanceCount: 4,
      FulfilledCapacity: 8,
      Weight: 2,
      Priority: 1,
    });
    const described = (await sim.ec2.send(new DescribeCapacityReservationsCommand({ CapacityReservationIds: [res.CapacityReservationId!] })))
      .CapacityReservations![0]!;
    expect(described).toMatchObject({
      State: "active",
      TotalInstanceCount: 4,
      CapacityReservationFleetId: out.CapacityReservationFleetId,
      Tags: [{ Key: "from", Value: "fleet" }],
    });

    const id = out.CapacityReservationFleetId!;
    await sim.ec2.send(new ModifyCapacityReservationFleetCommand({ CapacityReservationFleetId: id, TotalTargetCapacity: 12 }));
    let f = (await sim.ec2.send(new DescribeCapacityReservationFleetsCommand({ CapacityReservationFleetIds: [id] }))).CapacityReservationFleets![0]!;
    expect(f).toMatchObject({
      TotalTargetCapacity: 12,
      TotalFulfilledCapacity: 12,
      CapacityReservationFleetArn: `arn:aws:ec2:us-east-1:000000000000:capacity-reservation-fleet/${id}`,
    });
    expect(f.InstanceTypeSpecifications![0]!.TotalInstanceCount).toBe(6);
    const end = new Date(Date.now() + 7 * 86400_000);
    await sim.ec2.send(new ModifyCapacityReservationFleetCommand({ CapacityReservationFleetId: id, TotalTargetCapacity: 4, EndDate: end }));
    f = (await sim.ec2.send(new DescribeCapacityReservationFleetsCommand({}))).CapacityReservationFleets![0]!;
    expect(f.TotalFulfilledCapacity).toBe(4);
    expect(f.EndDate!.getTime()).toBe(end.getTime());
    const r2 = (await sim.ec2.send(new DescribeCapacityReservationsCommand({ CapacityReservationIds: [res.CapacityReservationId!] })))
      .CapacityReservations![0]!;
    expect(r2).toMatchObject({ TotalInstanceCount: 2, EndDateType: "limited" });
    await expectAwsError(sim.ec2.send(new ModifyCapacityReservationFleetCommand({ CapacityReservationFleetId: id, EndDate: end, RemoveEndDate: true })), {
      name: "InvalidParameterCombination",
      status: 400,
    });
    expect(
      (await sim.ec2.send(new DescribeCapacityReservationFleetsCommand({ Filters: [{ Name: "state", Values: ["cancelled"] }] }))).CapacityReservationFleets,
    ).toEqual([]);

    const cancel = await sim.ec2.send(new CancelCapacityReservationFleetsCommand({ CapacityReservationFleetIds: [id, "crf-0123456789abcdef0"] }));
    expect(cancel.SuccessfulFleetCancellations).toEqual([{ CapacityReservationFleetId: id, PreviousFleetState: "active", CurrentFleetState: "cancelled" }]);
    expect(cancel.FailedFleetCancellations![0]!.CancelCapacityReservationFleetError!.Code).toBe("InvalidCapacityReservationFleetId.NotFound");
    expect(
      (await sim.ec2.send(new DescribeCapacityReservationsCommand({ CapacityReservationIds: [res.CapacityReservationId!] }))).CapacityReservations![0]!.State,
    ).toBe("cancelled");
    await expectAwsError(sim.ec2.send(new ModifyCapacityReservationFleetCommand({ CapacityReservationFleetId: id, TotalTargetCapacity: 2 })), {
      name: "InvalidCapacityReservationFleetId.Unavailable",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new DescribeCapacityReservationFleetsCommand({ CapacityReservationFleetIds: ["crf-0123456789abcdef0"] })), {
      name: "InvalidCapacityReservationFleetId.NotFound",
      status: 400,
    });
  });
});

describe("Capacity Reservation splitting, moving and usage", () => {
  it("splits, moves between compatible reservations, and reports usage", async () => {
    const a = await cr(5);
    const split = await sim.ec2.send(
      new CreateCapacityReservationBySplittingCommand({
        SourceCapacityReservationId: a,
        InstanceCount: 2,
        TagSpecifications: [{ ResourceType: "capacity-reservation", Tags: [{ Key: "k", Value: "v" }] }],
      }),
    );
    expect(split.InstanceCount).toBe(2);
    expect(split.SourceCapacityReservation).toMatchObject({ CapacityReservationId: a, TotalInstanceCount: 3 });
    const b = split.DestinationCapacityReservation!;
    expect(b).toMatchObject({
      TotalInstanceCount: 2,
      InstanceType: "m5.large",
      AvailabilityZone: "us-east-1a",
      State: "active",
      Tags: [{ Key: "k", Value: "v" }],
    });
    await expectAwsError(sim.ec2.send(new CreateCapacityReservationBySplittingCommand({ SourceCapacityReservationId: a, InstanceCount: 3 })), {
      name: "InvalidParameterValue",
      status: 400,
    });

    const moved = await sim.ec2.send(
      new MoveCapacityReservationInstancesCommand({
        SourceCapacityReservationId: a,
        DestinationCapacityReservationId: b.CapacityReservationId!,
        InstanceCount: 1,
      }),
    );
    expect(moved.SourceCapacityReservation!.TotalInstanceCount).toBe(2);
    expect(moved.DestinationCapacityReservation!.TotalInstanceCount).toBe(3);
    const other = await cr(2, "c5.large");
    await expectAwsError(
      sim.ec2.send(new MoveCapacityReservationInstancesCommand({ SourceCapacityReservationId: a, DestinationCapacityReservationId: other, InstanceCount: 1 })),
      { name: "InvalidParameterValue", status: 400 },
    );
    await expectAwsError(
      sim.ec2.send(
        new MoveCapacityReservationInstancesCommand({
          SourceCapacityReservationId: a,
          DestinationCapacityReservationId: "cr-0123456789abcdef0",
          InstanceCount: 1,
        }),
      ),
      { name: "InvalidCapacityReservationId.NotFound", status: 400 },
    );

    const usage = await sim.ec2.send(new GetCapacityReservationUsageCommand({ CapacityReservationId: a }));
    expect(usage).toMatchObject({
      CapacityReservationId: a,
      InstanceType: "m5.large",
      TotalInstanceCount: 2,
      AvailableInstanceCount: 2,
      State: "active",
      InstanceUsages: [],
    });
    await expectAwsError(sim.ec2.send(new GetCapacityReservationUsageCommand({ CapacityReservationId: "cr-0123456789abcdef0" })), {
      name: "InvalidCapacityReservationId.NotFound",
      status: 400,
    });
  });
});

describe("interruptible Capacity Reservations", () => {
  it("allocates unused capacity, updates, reclaims to zero", async () => {
    const src = await cr(5);
    const out = await sim.ec2.send(
      new CreateInterruptibleCapacityReservationAllocationCommand({
        CapacityReservationId: src,
        InstanceCount: 3,
        TagSpecifications: [{ ResourceType: "capacity-reservation", Tags: [{ Key: "lend", Value: "yes" }] }],
      }),
    );
    expect(out).toEqual(expect.objectContaining({ SourceCapacityReservationId: src, TargetInstanceCount: 3, Status: "active", InterruptionType: "adhoc" }));
    const s1 = (await sim.ec2.send(new DescribeCapacityReservationsCommand({ CapacityReservationIds: [src] }))).CapacityReservations![0]!;
    expect(s1.AvailableInstanceCount).toBe(2);
    const alloc = s1.InterruptibleCapacityAllocation!;
    expect(alloc).toMatchObject({ InstanceCount: 3, TargetInstanceCount: 3, Status: "active", InterruptionType: "adhoc" });
    const ir = (await sim.ec2.send(new DescribeCapacityReservationsCommand({ CapacityReservationIds: [alloc.InterruptibleCapacityReservationId!] })))
      .CapacityReservations![0]!;
    expect(ir).toMatchObject({
      Interruptible: true,
      TotalInstanceCount: 3,
      InstanceType: "m5.large",
      InterruptionInfo: { SourceCapacityReservationId: src, InterruptionType: "adhoc" },
      Tags: [{ Key: "lend", Value: "yes" }],
    });
    await expectAwsError(sim.ec2.send(new CreateInterruptibleCapacityReservationAllocationCommand({ CapacityReservationId: src, InstanceCount: 1 })), {
      name: "IncorrectState",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new UpdateInterruptibleCapacityReservationAllocationCommand({ CapacityReservationId: src, TargetInstanceCount: 6 })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    const up = await sim.ec2.send(new UpdateInterruptibleCapacityReservationAllocationCommand({ CapacityReservationId: src, TargetInstanceCount: 5 }));
    expect(up).toMatchObject({
      InstanceCount: 5,
      TargetInstanceCount: 5,
      Status: "active",
      InterruptibleCapacityReservationId: alloc.InterruptibleCapacityReservationId,
    });
    expect((await sim.ec2.send(new GetCapacityReservationUsageCommand({ CapacityReservationId: src }))).AvailableInstanceCount).toBe(0);
    const zero = await sim.ec2.send(new UpdateInterruptibleCapacityReservationAllocationCommand({ CapacityReservationId: src, TargetInstanceCount: 0 }));
    expect(zero.Status).toBe("canceled");
    expect(
      (await sim.ec2.send(new DescribeCapacityReservationsCommand({ CapacityReservationIds: [alloc.InterruptibleCapacityReservationId!] })))
        .CapacityReservations![0]!.State,
    ).toBe("cancelled");
    expect(
      (await sim.ec2.send(new DescribeCapacityReservationsCommand({ CapacityReservationIds: [src] }))).CapacityReservations![0]!.AvailableInstanceCount,
    ).toBe(5);
    // a reservation with an end date cannot lend
    const limited = (
      await sim.ec2.send(
        new CreateCapacityReservationCommand({
          InstanceType: "m5.large",
          InstancePlatform: "Linux/UNIX",
          AvailabilityZone: "us-east-1a",
          InstanceCount: 2,
          EndDateType: "limited",
          EndDate: new Date(Date.now() + 86400_000),
        }),
      )
    ).CapacityReservation!.CapacityReservationId!;
    await expectAwsError(sim.ec2.send(new CreateInterruptibleCapacityReservationAllocationCommand({ CapacityReservationId: limited, InstanceCount: 1 })), {
      name: "InvalidParameterValue",
      status: 400,
    });
  });
});
