import {
  type _InstanceType,
  CancelCapacityReservationCommand,
  CancelSpotInstanceRequestsCommand,
  CreateCapacityReservationCommand,
  DescribeCapacityReservationsCommand,
  DescribeInstancesCommand,
  DescribeSpotInstanceRequestsCommand,
  DescribeSpotPriceHistoryCommand,
  EC2Client,
  ModifyCapacityReservationCommand,
  RequestSpotInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { AMI } from "./ec2-fixtures.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("capacity reservations", () => {
  it("creates, describes, modifies and cancels", async () => {
    const cr = (
      await sim.ec2.send(
        new CreateCapacityReservationCommand({
          InstanceType: "t3.micro",
          InstancePlatform: "Linux/UNIX",
          AvailabilityZone: "us-east-1a",
          InstanceCount: 2,
          TagSpecifications: [{ ResourceType: "capacity-reservation", Tags: [{ Key: "team", Value: "a" }] }],
        }),
      )
    ).CapacityReservation!;
    expect(cr.CapacityReservationId).toMatch(/^cr-[0-9a-f]{17}$/);
    expect(cr).toMatchObject({
      State: "active",
      TotalInstanceCount: 2,
      AvailableInstanceCount: 2,
      AvailabilityZoneId: "use1-az1",
      EndDateType: "unlimited",
      InstanceMatchCriteria: "open",
      Tenancy: "default",
      OwnerId: "000000000000",
      CapacityReservationArn: `arn:aws:ec2:us-east-1:000000000000:capacity-reservation/${cr.CapacityReservationId}`,
      Tags: [{ Key: "team", Value: "a" }],
    });
    await expectAwsError(
      sim.ec2.send(
        new CreateCapacityReservationCommand({
          InstanceType: "t3.micro",
          InstancePlatform: "Linux/UNIX",
          AvailabilityZone: "us-east-1a",
          InstanceCount: 1,
          EndDateType: "limited",
        }),
      ),
      { name: "MissingParameter", status: 400 },
    );
    await expectAwsError(
      sim.ec2.send(
        new CreateCapacityReservationCommand({
          InstanceType: "t3.micro",
          InstancePlatform: "Linux/UNIX",
          AvailabilityZone: "us-east-1a",
          InstanceCount: 1,
          DryRun: true,
        }),
      ),
      { name: "DryRunOperation", status: 412 },
    );

    const end = new Date(Date.now() + 86400_000);
    expect(
      (
        await sim.ec2.send(
          new ModifyCapacityReservationCommand({ CapacityReservationId: cr.CapacityReservationId!, InstanceCount: 3, EndDate: end, EndDateType: "limited" }),
        )
      ).Return,
    ).toBe(true);
    const d = (await sim.ec2.send(new DescribeCapacityReservationsCommand({ CapacityReservationIds: [cr.CapacityReservationId!] }))).CapacityReservations![0]!;
    expect(d).toMatchObject({ TotalInstanceCount: 3, EndDateType: "limited" });
    expect(Math.abs(d.EndDate!.getTime() - end.getTime())).toBeLessThan(1000);

    const byType = (await sim.ec2.send(new DescribeCapacityReservationsCommand({ Filters: [{ Name: "instance-type", Values: ["t3.large"] }] })))
      .CapacityReservations!;
    expect(byType).toEqual([]);

    await sim.ec2.send(new CancelCapacityReservationCommand({ CapacityReservationId: cr.CapacityReservationId! }));
    const c = (await sim.ec2.send(new DescribeCapacityReservationsCommand({ Filters: [{ Name: "state", Values: ["cancelled"] }] }))).CapacityReservations!;
    expect(c.map((x) => [x.CapacityReservationId, x.AvailableInstanceCount])).toEqual([[cr.CapacityReservationId, 0]]);
    await expectAwsError(sim.ec2.send(new ModifyCapacityReservationCommand({ CapacityReservationId: cr.CapacityReservationId!, InstanceCount: 1 })), {
      name: "InvalidCapacityReservationId.Unavailable",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new DescribeCapacityReservationsCommand({ CapacityReservationIds: ["cr-0123456789abcdef0"] })), {
      name: "InvalidCapacityReservationId.NotFound",
      status: 400,
    });
  });

  it("paginates", async () => {
    for (let i = 0; i < 3; i++)
      await sim.ec2.send(
        new CreateCapacityReservationCommand({ InstanceType: "t3.small", InstancePlatform: "Linux/UNIX", AvailabilityZone: "us-east-1b", InstanceCount: 1 }),
      );
    const p1 = await sim.ec2.send(new DescribeCapacityReservationsCommand({ MaxResults: 2 }));
    expect(p1.CapacityReservations).toHaveLength(2);
    const p2 = await sim.ec2.send(new DescribeCapacityReservationsCommand({ MaxResults: 2, NextToken: p1.NextToken }));
    expect(p2.CapacityReservations).toHaveLength(1);
    expect(p2.NextToken).toBeUndefined();
  });
});

describe("spot instance requests", () => {
  it("fulfils a request with an instance visible in DescribeInstances; closes when it terminates", async () => {
    const req = (
      await sim.ec2.send(
        new RequestSpotInstancesCommand({
          InstanceCount: 1,
          LaunchSpecification: { ImageId: AMI, InstanceType: "t3.micro" },
          TagSpecifications: [{ ResourceType: "spot-instances-request", Tags: [{ Key: "Name", Value: "worker" }] }],
        }),
      )
    ).SpotInstanceRequests!;
    expect(req).toHaveLength(1);
    const r = req[0]!;
    expect(r.SpotInstanceRequestId).toMatch(/^sir-[0-9a-z]{8}$/);
    expect(r).toMatchObject({ State: "active", Type: "one-time", Status: { Code: "fulfilled" }, Tags: [{ Key: "Name", Value: "worker" }] });
    expect(r.InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
    const inst = (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [r.InstanceId!] }))).Reservations![0]!.Instances![0]!;
    expect(inst.InstanceType).toBe("t3.micro");

    const byInstance = (await sim.ec2.send(new DescribeSpotInstanceRequestsCommand({ Filters: [{ Name: "instance-id", Values: [r.InstanceId!] }] })))
      .SpotInstanceRequests!;
    expect(byInstance.map((x) => x.SpotInstanceRequestId)).toEqual([r.SpotInstanceRequestId]);

    await sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [r.InstanceId!] }));
    const after = (await sim.ec2.send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [r.SpotInstanceRequestId!] })))
      .SpotInstanceRequests![0]!;
    expect(after).toMatchObject({ State: "closed", Status: { Code: "instance-terminated-by-user" } });
  });

  it("leaves a low bid open, cancels it, and rejects unknown ids", async () => {
    const r = (await sim.ec2.send(new RequestSpotInstancesCommand({ SpotPrice: "0.000001", LaunchSpecification: { ImageId: AMI, InstanceType: "t3.large" } })))
      .SpotInstanceRequests![0]!;
    expect(r).toMatchObject({ State: "open", Status: { Code: "price-too-low" } });
    expect(r.InstanceId).toBeUndefined();
    const c = await sim.ec2.send(new CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [r.SpotInstanceRequestId!] }));
    expect(c.CancelledSpotInstanceRequests).toEqual([{ SpotInstanceRequestId: r.SpotInstanceRequestId, State: "cancelled" }]);
    const d = (await sim.ec2.send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [r.SpotInstanceRequestId!] }))).SpotInstanceRequests![0]!;
    expect(d.Status!.Code).toBe("canceled-before-fulfillment");
    await expectAwsError(sim.ec2.send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: ["sir-abcdefgh"] })), {
      name: "InvalidSpotInstanceRequestID.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new RequestSpotInstancesCommand({ DryRun: true, LaunchSpecification: { ImageId: AMI, InstanceType: "t3.micro" } })), {
      name: "DryRunOperation",
      status: 412,
    });
    await expectAwsError(
      sim.ec2.send(new RequestSpotInstancesCommand({ Type: "one-time", InstanceInterruptionBehavior: "stop", LaunchSpecification: { ImageId: AMI } })),
      {
        name: "InvalidParameterCombination",
        status: 400,
      },
    );
    expect((await sim.ec2.send(new DescribeSpotInstanceRequestsCommand({}))).SpotInstanceRequests).toHaveLength(1);
  });

  it("describes the spot price history, filtered and paginated", async () => {
    const now = Date.now();
    const h = (
      await sim.ec2.send(
        new DescribeSpotPriceHistoryCommand({
          InstanceTypes: ["t3.micro"],
          ProductDescriptions: ["Linux/UNIX"],
          AvailabilityZone: "us-east-1a",
          StartTime: new Date(now - 86400_000),
          EndTime: new Date(now),
        }),
      )
    ).SpotPriceHistory!;
    expect(h.length).toBeGreaterThanOrEqual(4);
    expect(h.length).toBeLessThanOrEqual(5);
    for (const x of h) {
      expect(x).toMatchObject({ InstanceType: "t3.micro", ProductDescription: "Linux/UNIX", AvailabilityZone: "us-east-1a" });
      expect(Number(x.SpotPrice)).toBeGreaterThan(0);
    }
    // same window, same price
    const again = (
      await sim.ec2.send(
        new DescribeSpotPriceHistoryCommand({ InstanceTypes: ["t3.micro"], ProductDescriptions: ["Linux/UNIX"], AvailabilityZone: "us-east-1a" }),
      )
    ).SpotPriceHistory!;
    expect(again[0]!.SpotPrice).toBe(h[0]!.SpotPrice);
    // A product description that names no product is a filter matching nothing (never echoed back as a product).
    const none = await sim.ec2.send(
      new DescribeSpotPriceHistoryCommand({ InstanceTypes: ["t3.micro"], ProductDescriptions: ["fz-not-a-product"], AvailabilityZone: "us-east-1a" }),
    );
    expect(none.SpotPriceHistory).toEqual([]);
    const mixed = await sim.ec2.send(
      new DescribeSpotPriceHistoryCommand({
        InstanceTypes: ["t3.micro"],
        ProductDescriptions: ["Windows", "fz-not-a-product"],
        AvailabilityZone: "us-east-1a",
      }),
    );
    expect(new Set(mixed.SpotPriceHistory!.map((x) => x.ProductDescription))).toEqual(new Set(["Windows"]));
    const p1 = await sim.ec2.send(new DescribeSpotPriceHistoryCommand({ InstanceTypes: ["t3.micro", "t3.small"], MaxResults: 5 }));
    expect(p1.SpotPriceHistory).toHaveLength(5);
    const p2 = await sim.ec2.send(new DescribeSpotPriceHistoryCommand({ InstanceTypes: ["t3.micro", "t3.small"], MaxResults: 5, NextToken: p1.NextToken }));
    expect(p2.SpotPriceHistory![0]).not.toEqual(p1.SpotPriceHistory![0]);
    // An unknown type on purpose: the SDK's enum is narrower than what the wire carries.
    await expectAwsError(sim.ec2.send(new DescribeSpotPriceHistoryCommand({ InstanceTypes: ["zz.huge" as _InstanceType] })), {
      name: "InvalidParameterValue",
      status: 400,
    });
  });
});
