import {
  CancelCapacityReservationCommand,
  CreateTagsCommand,
  DescribeCapacityBlockExtensionHistoryCommand,
  DescribeCapacityBlockExtensionOfferingsCommand,
  DescribeCapacityBlockOfferingsCommand,
  DescribeCapacityBlocksCommand,
  DescribeCapacityBlockStatusCommand,
  CreateCapacityReservationCommand,
  DescribeCapacityReservationTopologyCommand,
  DescribeCapacityReservationsCommand,
  DescribeTagsCommand,
  EC2Client,
  ModifyCapacityReservationCommand,
  paginateDescribeCapacityBlockOfferings,
  PurchaseCapacityBlockCommand,
  PurchaseCapacityBlockExtensionCommand,
} from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it, vi } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));
afterEach(() => vi.useRealTimers());

const offerings = async (extra: Record<string, unknown> = {}) =>
  (await sim.ec2.send(new DescribeCapacityBlockOfferingsCommand({ InstanceType: "p5.48xlarge", InstanceCount: 4, CapacityDurationHours: 48, ...extra })))
    .CapacityBlockOfferings!;
const HOUR = 3600_000;

describe("Capacity Blocks", () => {
  it("offerings: durations, counts, 11:30 UTC ends, eight weeks ahead, stable ids, prices, pages", async () => {
    const now = Date.now();
    const list = await offerings();
    expect(list).toHaveLength(6);
    for (const o of list) {
      expect(o.CapacityBlockOfferingId).toMatch(/^cb-[0-9a-f]{17}$/);
      expect(o).toMatchObject({ InstanceType: "p5.48xlarge", InstanceCount: 4, CapacityBlockDurationHours: 48, CapacityBlockDurationMinutes: 0 });
      expect(o).toMatchObject({ CurrencyCode: "USD", Tenancy: "default", UpfrontFee: "6048.00" });
      expect(o.EndDate!.toISOString()).toMatch(/T11:30:00\.000Z$/);
      expect(o.EndDate!.getTime() - o.StartDate!.getTime()).toBe(48 * HOUR);
      expect(o.StartDate!.getTime()).toBeGreaterThanOrEqual(now - 1000);
      expect(["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"]).toContain(o.AvailabilityZone);
    }
    expect((await offerings()).map((o) => o.CapacityBlockOfferingId)).toEqual(list.map((o) => o.CapacityBlockOfferingId));
    // A later window, and an end before the second offering's end.
    const later = await offerings({ StartDateRange: new Date(now + 30 * 24 * HOUR) });
    expect(later[0]!.StartDate!.getTime()).toBeGreaterThanOrEqual(now + 30 * 24 * HOUR);
    expect(await offerings({ EndDateRange: list[1]!.EndDate })).toHaveLength(2);
    expect(await offerings({ StartDateRange: new Date(now + 60 * 24 * HOUR) })).toEqual([]);
    expect((await offerings({ CapacityDurationHours: 14 * 24 })).length).toBeGreaterThan(0);
    expect((await offerings({ CapacityDurationHours: 182 * 24 }))[0]!.CapacityBlockDurationHours).toBe(4368);
    // Only the Capacity Block instance types have offerings.
    expect(await offerings({ InstanceType: "m5.large" })).toEqual([]);
    for (const h of [0, 25, 15 * 24, 189 * 24])
      await expectAwsError(
        sim.ec2.send(new DescribeCapacityBlockOfferingsCommand({ InstanceType: "p5.48xlarge", InstanceCount: 1, CapacityDurationHours: h })),
        {
          name: "InvalidParameterValue",
          status: 400,
        },
      );
    await expectAwsError(
      sim.ec2.send(new DescribeCapacityBlockOfferingsCommand({ InstanceType: "p5.48xlarge", InstanceCount: 65, CapacityDurationHours: 24 })),
      {
        name: "InvalidParameterValue",
        status: 400,
      },
    );
    await expectAwsError(sim.ec2.send(new DescribeCapacityBlockOfferingsCommand({ InstanceType: "p5.48xlarge", CapacityDurationHours: 24 })), {
      name: "MissingParameter",
      status: 400,
    });
    const seen: string[] = [];
    for await (const p of paginateDescribeCapacityBlockOfferings(
      { client: sim.ec2, pageSize: 4 },
      { InstanceType: "p4d.24xlarge", InstanceCount: 2, CapacityDurationHours: 24 },
    )) {
      expect(p.CapacityBlockOfferings!.length).toBeLessThanOrEqual(4);
      seen.push(...p.CapacityBlockOfferings!.map((o) => o.CapacityBlockOfferingId!));
    }
    expect(seen).toHaveLength(6);
  });

  it("purchase makes a scheduled capacity-block reservation that can't be modified or cancelled; it turns active, then expired", async () => {
    const [o] = await offerings({ InstanceType: "trn2.48xlarge", InstanceCount: 2, CapacityDurationHours: 24 });
    const cr = (
      await sim.ec2.send(
        new PurchaseCapacityBlockCommand({
          CapacityBlockOfferingId: o!.CapacityBlockOfferingId,
          InstancePlatform: "Linux/UNIX",
          TagSpecifications: [{ ResourceType: "capacity-reservation", Tags: [{ Key: "team", Value: "ml" }] }],
        }),
      )
    ).CapacityReservation!;
    expect(cr.CapacityReservationId).toMatch(/^cr-[0-9a-f]{17}$/);
    expect(cr).toMatchObject({
      ReservationType: "capacity-block",
      InstanceType: "trn2.48xlarge",
      InstancePlatform: "Linux/UNIX",
      AvailabilityZone: o!.AvailabilityZone,
      TotalInstanceCount: 2,
      AvailableInstanceCount: 0,
      InstanceMatchCriteria: "targeted",
      EndDateType: "limited",
      State: "scheduled",
      StartDate: o!.StartDate,
      EndDate: o!.EndDate,
    });
    expect(cr.CapacityBlockId).toMatch(/^cb-[0-9a-f]{17}$/);
    expect(cr.Tags).toEqual(
      expect.arrayContaining([
        { Key: "team", Value: "ml" },
        { Key: "aws:ec2capacityreservation:incrementalRequestedQuantity", Value: "2" },
      ]),
    );
    await expectAwsError(
      sim.ec2.send(new PurchaseCapacityBlockCommand({ CapacityBlockOfferingId: o!.CapacityBlockOfferingId, InstancePlatform: "Linux/UNIX" })),
      {
        name: "InvalidParameterValue",
        status: 400,
      },
    );
    await expectAwsError(sim.ec2.send(new CancelCapacityReservationCommand({ CapacityReservationId: cr.CapacityReservationId })), {
      name: "UnsupportedOperation",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new ModifyCapacityReservationCommand({ CapacityReservationId: cr.CapacityReservationId, InstanceCount: 1 })), {
      name: "UnsupportedOperation",
      status: 400,
    });

    const blocks = (await sim.ec2.send(new DescribeCapacityBlocksCommand({ CapacityBlockIds: [cr.CapacityBlockId!] }))).CapacityBlocks!;
    expect(blocks).toEqual([
      expect.objectContaining({
        CapacityBlockId: cr.CapacityBlockId,
        CapacityReservationIds: [cr.CapacityReservationId],
        AvailabilityZone: o!.AvailabilityZone,
        StartDate: o!.StartDate,
        EndDate: o!.EndDate,
        State: "scheduled",
      }),
    ]);
    const status = (await sim.ec2.send(new DescribeCapacityBlockStatusCommand({}))).CapacityBlockStatuses!;
    expect(status).toEqual([
      {
        CapacityBlockId: cr.CapacityBlockId,
        InterconnectStatus: "ok",
        TotalCapacity: 2,
        TotalAvailableCapacity: 0,
        TotalUnavailableCapacity: 0,
        CapacityReservationStatuses: [
          { CapacityReservationId: cr.CapacityReservationId, TotalCapacity: 2, TotalAvailableCapacity: 0, TotalUnavailableCapacity: 0 },
        ],
      },
    ]);
    await sim.ec2.send(new CreateTagsCommand({ Resources: [cr.CapacityBlockId!], Tags: [{ Key: "phase", Value: "train" }] }));
    const tagged = await sim.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-type", Values: ["capacity-block"] }] }));
    expect(tagged.Tags!.map((t) => [t.ResourceId, t.Key, t.Value])).toEqual([[cr.CapacityBlockId, "phase", "train"]]);
    await expectAwsError(sim.ec2.send(new DescribeCapacityBlocksCommand({ CapacityBlockIds: ["cb-0123456789abcdef0"] })), {
      name: "InvalidCapacityBlockId.NotFound",
      status: 400,
    });

    // The clock moves into the block, then past its end.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(o!.StartDate!.getTime() + HOUR);
    const active = (await sim.ec2.send(new DescribeCapacityReservationsCommand({ CapacityReservationIds: [cr.CapacityReservationId!] })))
      .CapacityReservations![0]!;
    expect([active.State, active.AvailableInstanceCount]).toEqual(["active", 2]);
    expect((await sim.ec2.send(new DescribeCapacityBlockStatusCommand({}))).CapacityBlockStatuses![0]!.TotalAvailableCapacity).toBe(2);
    const byState = await sim.ec2.send(new DescribeCapacityBlocksCommand({ Filters: [{ Name: "state", Values: ["active"] }] }));
    expect(byState.CapacityBlocks!.map((b) => b.CapacityBlockId)).toEqual([cr.CapacityBlockId]);
    vi.setSystemTime(o!.EndDate!.getTime() + HOUR);
    expect((await sim.ec2.send(new DescribeCapacityBlocksCommand({}))).CapacityBlocks![0]!.State).toBe("expired");
  });

  it("extensions start at the block's end and move it; history lists them", async () => {
    const [o] = await offerings({ InstanceType: "p4d.24xlarge", InstanceCount: 1, CapacityDurationHours: 72 });
    const cr = (await sim.ec2.send(new PurchaseCapacityBlockCommand({ CapacityBlockOfferingId: o!.CapacityBlockOfferingId, InstancePlatform: "Linux/UNIX" })))
      .CapacityReservation!;
    const ext = (
      await sim.ec2.send(
        new DescribeCapacityBlockExtensionOfferingsCommand({ CapacityReservationId: cr.CapacityReservationId, CapacityBlockExtensionDurationHours: 24 }),
      )
    ).CapacityBlockExtensionOfferings!;
    expect(ext).toHaveLength(1);
    expect(ext[0]).toMatchObject({
      InstanceType: "p4d.24xlarge",
      InstanceCount: 1,
      AvailabilityZone: o!.AvailabilityZone,
      CapacityBlockExtensionStartDate: o!.EndDate,
      CapacityBlockExtensionEndDate: new Date(o!.EndDate!.getTime() + 24 * HOUR),
      CapacityBlockExtensionDurationHours: 24,
      UpfrontFee: "283.20",
    });
    const bought = (
      await sim.ec2.send(
        new PurchaseCapacityBlockExtensionCommand({
          CapacityReservationId: cr.CapacityReservationId,
          CapacityBlockExtensionOfferingId: ext[0]!.CapacityBlockExtensionOfferingId,
        }),
      )
    ).CapacityBlockExtensions!;
    expect(bought[0]).toMatchObject({ CapacityBlockExtensionStatus: "payment-succeeded", CapacityReservationId: cr.CapacityReservationId });
    const after = (await sim.ec2.send(new DescribeCapacityReservationsCommand({ CapacityReservationIds: [cr.CapacityReservationId!] })))
      .CapacityReservations![0]!;
    expect(after.EndDate).toEqual(new Date(o!.EndDate!.getTime() + 24 * HOUR));
    expect((await sim.ec2.send(new DescribeCapacityBlocksCommand({ CapacityBlockIds: [cr.CapacityBlockId!] }))).CapacityBlocks![0]!.EndDate).toEqual(
      after.EndDate,
    );
    // The offering was for the old end date.
    await expectAwsError(
      sim.ec2.send(
        new PurchaseCapacityBlockExtensionCommand({
          CapacityReservationId: cr.CapacityReservationId,
          CapacityBlockExtensionOfferingId: ext[0]!.CapacityBlockExtensionOfferingId,
        }),
      ),
      { name: "InvalidParameterValue", status: 400 },
    );
    const hist = await sim.ec2.send(
      new DescribeCapacityBlockExtensionHistoryCommand({ Filters: [{ Name: "capacity-reservation-id", Values: [cr.CapacityReservationId!] }] }),
    );
    expect(hist.CapacityBlockExtensions!.map((x) => x.CapacityBlockExtensionOfferingId)).toEqual([ext[0]!.CapacityBlockExtensionOfferingId]);
    await expectAwsError(
      sim.ec2.send(
        new DescribeCapacityBlockExtensionOfferingsCommand({ CapacityReservationId: "cr-0123456789abcdef0", CapacityBlockExtensionDurationHours: 24 }),
      ),
      { name: "InvalidCapacityReservationId.NotFound", status: 400 },
    );
  });

  it("reservation topology: network nodes for the topology instance types while active, none otherwise", async () => {
    const [o] = await offerings({ InstanceType: "p6-b200.48xlarge", InstanceCount: 1, CapacityDurationHours: 24 });
    const block = (
      await sim.ec2.send(new PurchaseCapacityBlockCommand({ CapacityBlockOfferingId: o!.CapacityBlockOfferingId, InstancePlatform: "Linux/UNIX" }))
    ).CapacityReservation!;
    const plain = (
      await sim.ec2.send(
        new CreateCapacityReservationCommand({ InstanceType: "m5.large", InstancePlatform: "Linux/UNIX", AvailabilityZone: "us-east-1a", InstanceCount: 1 }),
      )
    ).CapacityReservation!;
    const topo = async (input: Record<string, unknown> = {}) =>
      (await sim.ec2.send(new DescribeCapacityReservationTopologyCommand(input))).CapacityReservations!;
    const all = await topo();
    const byId = (id: string) => all.find((x) => x.CapacityReservationId === id)!;
    expect(byId(block.CapacityReservationId!)).toMatchObject({ State: "scheduled", InstanceType: "p6-b200.48xlarge", AvailabilityZone: o!.AvailabilityZone });
    expect(byId(block.CapacityReservationId!).NetworkNodes ?? []).toEqual([]);
    expect(byId(plain.CapacityReservationId!)).toMatchObject({ State: "active", AvailabilityZoneId: "use1-az1" });
    expect(byId(plain.CapacityReservationId!).NetworkNodes ?? []).toEqual([]);
    expect((await topo({ Filters: [{ Name: "instance-type", Values: ["p6-b*"] }] })).map((x) => x.CapacityReservationId)).toEqual([
      block.CapacityReservationId,
    ]);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(o!.StartDate!.getTime() + HOUR);
    const [active] = await topo({ CapacityReservationIds: [block.CapacityReservationId!] });
    expect(active!.State).toBe("active");
    expect(active!.NetworkNodes).toHaveLength(4);
    for (const n of active!.NetworkNodes!) expect(n).toMatch(/^nn-[0-9a-f]{17}$/);
    expect((await topo({ CapacityReservationIds: [block.CapacityReservationId!] }))[0]!.NetworkNodes).toEqual(active!.NetworkNodes);
    await expectAwsError(
      sim.ec2.send(new DescribeCapacityReservationTopologyCommand({ CapacityReservationIds: [block.CapacityReservationId!], MaxResults: 5 })),
      {
        name: "InvalidParameterCombination",
        status: 400,
      },
    );
    await expectAwsError(sim.ec2.send(new DescribeCapacityReservationTopologyCommand({ CapacityReservationIds: ["cr-0123456789abcdef0"] })), {
      name: "InvalidCapacityReservationId.NotFound",
      status: 400,
    });
  });
});
