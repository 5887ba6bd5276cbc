import {
  AcceptCapacityReservationBillingOwnershipCommand,
  AssociateCapacityReservationBillingOwnerCommand,
  CreateCapacityReservationCommand,
  DescribeCapacityReservationBillingRequestsCommand,
  DescribeCapacityReservationsCommand,
  DisassociateCapacityReservationBillingOwnerCommand,
  EC2Client,
  RejectCapacityReservationBillingOwnershipCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const PAYER = "111122223333";

const sim = useServer({ reset: "ec2" }, (cfg) => ({
  owner: new EC2Client(cfg),
  payer: new EC2Client({ ...cfg, credentials: { accessKeyId: PAYER, secretAccessKey: "x" } }),
}));

const newCr = async () =>
  (
    await sim.owner.send(
      new CreateCapacityReservationCommand({ InstanceType: "m5.large", InstancePlatform: "Linux/UNIX", AvailabilityZone: "us-east-1a", InstanceCount: 1 }),
    )
  ).CapacityReservation!.CapacityReservationId!;

describe("Capacity Reservation billing ownership", () => {
  it("associate → pending for both accounts → accept → billed; revoke", async () => {
    const cr = await newCr();
    expect(
      (await sim.owner.send(new AssociateCapacityReservationBillingOwnerCommand({ CapacityReservationId: cr, UnusedReservationBillingOwnerId: PAYER }))).Return,
    ).toBe(true);
    await expectAwsError(
      sim.owner.send(new AssociateCapacityReservationBillingOwnerCommand({ CapacityReservationId: cr, UnusedReservationBillingOwnerId: PAYER })),
      {
        name: "IncorrectState",
        status: 400,
      },
    );
    const mine = await sim.owner.send(new DescribeCapacityReservationBillingRequestsCommand({ Role: "odcr-owner" }));
    expect(mine.CapacityReservationBillingRequests).toEqual([
      expect.objectContaining({
        CapacityReservationId: cr,
        RequestedBy: "000000000000",
        UnusedReservationBillingOwnerId: PAYER,
        Status: "pending",
        CapacityReservationInfo: { InstanceType: "m5.large", AvailabilityZone: "us-east-1a", AvailabilityZoneId: "use1-az1", Tenancy: "default" },
      }),
    ]);
    const theirs = await sim.payer.send(
      new DescribeCapacityReservationBillingRequestsCommand({ Role: "unused-reservation-billing-owner", Filters: [{ Name: "status", Values: ["pending"] }] }),
    );
    expect(theirs.CapacityReservationBillingRequests!.map((r) => r.CapacityReservationId)).toEqual([cr]);
    expect((await sim.payer.send(new DescribeCapacityReservationBillingRequestsCommand({ Role: "odcr-owner" }))).CapacityReservationBillingRequests).toEqual(
      [],
    );

    await sim.payer.send(new AcceptCapacityReservationBillingOwnershipCommand({ CapacityReservationId: cr }));
    const r = (await sim.owner.send(new DescribeCapacityReservationsCommand({ CapacityReservationIds: [cr] }))).CapacityReservations![0]!;
    expect(r.UnusedReservationBillingOwnerId).toBe(PAYER);
    await expectAwsError(sim.payer.send(new RejectCapacityReservationBillingOwnershipCommand({ CapacityReservationId: cr })), {
      name: "InvalidParameterValue",
      status: 400,
    });

    await sim.owner.send(new DisassociateCapacityReservationBillingOwnerCommand({ CapacityReservationId: cr, UnusedReservationBillingOwnerId: PAYER }));
    expect(
      (await sim.owner.send(new DescribeCapacityReservationsCommand({ CapacityReservationIds: [cr] }))).CapacityReservations![0]!
        .UnusedReservationBillingOwnerId,
    ).toBeUndefined();
    expect(
      (await sim.payer.send(new DescribeCapacityReservationBillingRequestsCommand({ Role: "unused-reservation-billing-owner" })))
        .CapacityReservationBillingRequests![0]!.Status,
    ).toBe("revoked");
  });

  it("reject, cancel and errors", async () => {
    const cr = await newCr();
    await expectAwsError(
      sim.owner.send(new AssociateCapacityReservationBillingOwnerCommand({ CapacityReservationId: cr, UnusedReservationBillingOwnerId: "000000000000" })),
      {
        name: "InvalidParameterValue",
        status: 400,
      },
    );
    await expectAwsError(
      sim.owner.send(
        new AssociateCapacityReservationBillingOwnerCommand({ CapacityReservationId: "cr-0123456789abcdef0", UnusedReservationBillingOwnerId: PAYER }),
      ),
      {
        name: "InvalidCapacityReservationId.NotFound",
        status: 400,
      },
    );
    await sim.owner.send(new AssociateCapacityReservationBillingOwnerCommand({ CapacityReservationId: cr, UnusedReservationBillingOwnerId: PAYER }));
    await sim.payer.send(new RejectCapacityReservationBillingOwnershipCommand({ CapacityReservationId: cr }));
    expect(
      (await sim.owner.send(new DescribeCapacityReservationBillingRequestsCommand({ Role: "odcr-owner" }))).CapacityReservationBillingRequests![0]!.Status,
    ).toBe("rejected");
    await sim.owner.send(new AssociateCapacityReservationBillingOwnerCommand({ CapacityReservationId: cr, UnusedReservationBillingOwnerId: PAYER }));
    await sim.owner.send(new DisassociateCapacityReservationBillingOwnerCommand({ CapacityReservationId: cr, UnusedReservationBillingOwnerId: PAYER }));
    expect(
      (await sim.owner.send(new DescribeCapacityReservationBillingRequestsCommand({ Role: "odcr-owner", CapacityReservationIds: [cr] })))
        .CapacityReservationBillingRequests![0]!.Status,
    ).toBe("cancelled");
    await expectAwsError(sim.payer.send(new AcceptCapacityReservationBillingOwnershipCommand({ CapacityReservationId: cr })), {
      name: "InvalidParameterValue",
      status: 400,
    });
  });
});
