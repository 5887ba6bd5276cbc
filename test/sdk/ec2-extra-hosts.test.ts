import {
  AllocateHostsCommand,
  AcceptReservedInstancesExchangeQuoteCommand,
  DeleteQueuedReservedInstancesCommand,
  DescribeReservedInstancesModificationsCommand,
  GetReservedInstancesExchangeQuoteCommand,
  ModifyReservedInstancesCommand,
  DescribeHostReservationOfferingsCommand,
  DescribeHostReservationsCommand,
  GetHostReservationPurchasePreviewCommand,
  PurchaseHostReservationCommand,
  DescribeAggregateIdFormatCommand,
  DescribeCoipPoolsCommand,
  DescribeHostsCommand,
  DescribeIdentityIdFormatCommand,
  DescribeIdFormatCommand,
  DescribeLocalGatewayRouteTablesCommand,
  DescribeLocalGatewaysCommand,
  DescribeLocalGatewayVirtualInterfacesCommand,
  DescribeMacHostsCommand,
  DescribePrincipalIdFormatCommand,
  DescribeReservedInstancesCommand,
  DescribeReservedInstancesListingsCommand,
  DescribeReservedInstancesOfferingsCommand,
  EC2Client,
  GetCoipPoolUsageCommand,
  ModifyHostsCommand,
  ModifyIdentityIdFormatCommand,
  ModifyIdFormatCommand,
  PurchaseReservedInstancesOfferingCommand,
  ReleaseHostsCommand,
  SearchLocalGatewayRoutesCommand,
  paginateDescribeReservedInstancesOfferings,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("Dedicated Hosts", () => {
  it("allocate (idempotent), describe with filters, modify, release", async () => {
    const a = await sim.ec2.send(
      new AllocateHostsCommand({
        AvailabilityZone: "us-east-1a",
        InstanceType: "m5.large",
        Quantity: 2,
        ClientToken: "tok-1",
        TagSpecifications: [{ ResourceType: "dedicated-host", Tags: [{ Key: "env", Value: "prod" }] }],
      }),
    );
    expect(a.HostIds).toHaveLength(2);
    for (const id of a.HostIds!) expect(id).toMatch(/^h-[0-9a-f]{17}$/);
    expect(
      (await sim.ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", InstanceType: "m5.large", Quantity: 2, ClientToken: "tok-1" }))).HostIds,
    ).toEqual(a.HostIds);
    const fam = (await sim.ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1b", InstanceFamily: "c5" }))).HostIds![0]!;
    const h = (await sim.ec2.send(new DescribeHostsCommand({ HostIds: [a.HostIds![0]!] }))).Hosts![0]!;
    expect(h).toMatchObject({
      HostId: a.HostIds![0],
      State: "available",
      AvailabilityZone: "us-east-1a",
      AvailabilityZoneId: "use1-az1",
      AutoPlacement: "off",
      HostRecovery: "off",
      HostMaintenance: "on",
      AllowsMultipleInstanceTypes: "off",
      HostProperties: { Cores: 48, InstanceType: "m5.large", Sockets: 2, TotalVCpus: 96 },
      AvailableCapacity: { AvailableVCpus: 96, AvailableInstanceCapacity: [{ InstanceType: "m5.large", AvailableCapacity: 48, TotalCapacity: 48 }] },
      Instances: [],
      Tags: [{ Key: "env", Value: "prod" }],
    });
    expect(h.AllocationTime).toBeInstanceOf(Date);
    const c5 = (await sim.ec2.send(new DescribeHostsCommand({ HostIds: [fam] }))).Hosts![0]!;
    expect(c5.AllowsMultipleInstanceTypes).toBe("on");
    expect(c5.AvailableCapacity?.AvailableInstanceCapacity?.find((c) => c.InstanceType === "c5.large")?.TotalCapacity).toBe(36);
    const byTag = await sim.ec2.send(new DescribeHostsCommand({ Filter: [{ Name: "tag:env", Values: ["prod"] }] }));
    expect(byTag.Hosts!.map((x) => x.HostId).sort()).toEqual([...a.HostIds!].sort());
    const page = await sim.ec2.send(new DescribeHostsCommand({ MaxResults: 5, Filter: [{ Name: "instance-type", Values: ["m5.large"] }] }));
    expect(page.Hosts).toHaveLength(2);

    const m = await sim.ec2.send(new ModifyHostsCommand({ HostIds: [a.HostIds![0]!, "h-0123456789abcdef0"], AutoPlacement: "on" }));
    expect(m.Successful).toEqual([a.HostIds![0]]);
    expect(m.Unsuccessful![0]!.ResourceId).toBe("h-0123456789abcdef0");
    expect((await sim.ec2.send(new DescribeHostsCommand({ Filter: [{ Name: "auto-placement", Values: ["on"] }] }))).Hosts!.map((x) => x.HostId)).toEqual([
      a.HostIds![0],
    ]);

    const r = await sim.ec2.send(new ReleaseHostsCommand({ HostIds: [a.HostIds![1]!] }));
    expect(r.Successful).toEqual([a.HostIds![1]]);
    const released = (await sim.ec2.send(new DescribeHostsCommand({ HostIds: [a.HostIds![1]!] }))).Hosts![0]!;
    expect(released.State).toBe("released");
    expect(released.ReleaseTime).toBeInstanceOf(Date);
    expect((await sim.ec2.send(new ReleaseHostsCommand({ HostIds: [a.HostIds![1]!] }))).Unsuccessful).toHaveLength(1);

    await expectAwsError(sim.ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", InstanceType: "m5.large", InstanceFamily: "m5" })), {
      name: "InvalidParameterCombination",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-9z", InstanceType: "m5.large" })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new DescribeHostsCommand({ HostIds: ["h-0123456789abcdef0"] })), { name: "InvalidHostID.NotFound", status: 400 });
  });

  it("Mac hosts", async () => {
    const id = (await sim.ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", InstanceType: "mac2.metal" }))).HostIds![0]!;
    await sim.ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", InstanceType: "m5.large" }));
    const mac = await sim.ec2.send(new DescribeMacHostsCommand({}));
    expect(mac.MacHosts!.map((x) => x.HostId)).toEqual([id]);
    expect(mac.MacHosts![0]!.MacOSLatestSupportedVersions!.length).toBeGreaterThan(0);
  });
});

describe("host reservations", () => {
  it("offerings, purchase preview, purchase, describe; reserved hosts can't be released", async () => {
    const offers = (await sim.ec2.send(new DescribeHostReservationOfferingsCommand({ Filter: [{ Name: "instance-family", Values: ["m5"] }] }))).OfferingSet!;
    expect(offers).toHaveLength(6);
    const o = offers.find((x) => x.PaymentOption === "AllUpfront" && x.Duration === 31536000)!;
    expect(o.OfferingId).toMatch(/^hro-[0-9a-f]{17}$/);
    expect(Number(o.UpfrontPrice)).toBeGreaterThan(10000);
    expect(o.HourlyPrice).toBe("0.000");
    const paged = await sim.ec2.send(new DescribeHostReservationOfferingsCommand({ MaxResults: 5 }));
    expect(paged.OfferingSet).toHaveLength(5);
    expect(paged.NextToken).toBeTruthy();

    const hosts = (await sim.ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", InstanceType: "m5.large", Quantity: 2 }))).HostIds!;
    const c5 = (await sim.ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", InstanceFamily: "c5" }))).HostIds!;
    const preview = await sim.ec2.send(new GetHostReservationPurchasePreviewCommand({ OfferingId: o.OfferingId!, HostIdSet: hosts }));
    expect(preview.TotalUpfrontPrice).toBe((Number(o.UpfrontPrice) * 2).toFixed(3));
    expect(preview.Purchase![0]).toMatchObject({ InstanceFamily: "m5", PaymentOption: "AllUpfront", HostIdSet: hosts });
    await expectAwsError(sim.ec2.send(new GetHostReservationPurchasePreviewCommand({ OfferingId: o.OfferingId!, HostIdSet: c5 })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    const p = await sim.ec2.send(new PurchaseHostReservationCommand({ OfferingId: o.OfferingId!, HostIdSet: hosts, ClientToken: "buy-1" }));
    const rid = p.Purchase![0]!.HostReservationId!;
    expect(rid).toMatch(/^hr-[0-9a-f]{17}$/);
    expect(
      (await sim.ec2.send(new PurchaseHostReservationCommand({ OfferingId: o.OfferingId!, HostIdSet: hosts, ClientToken: "buy-1" }))).Purchase![0]!
        .HostReservationId,
    ).toBe(rid);
    const rs = (await sim.ec2.send(new DescribeHostReservationsCommand({}))).HostReservationSet!;
    expect(rs).toHaveLength(1);
    expect(rs[0]).toMatchObject({ HostReservationId: rid, Count: 2, State: "active", InstanceFamily: "m5", OfferingId: o.OfferingId });
    expect((await sim.ec2.send(new DescribeHostsCommand({ HostIds: [hosts[0]!] }))).Hosts![0]!.HostReservationId).toBe(rid);
    const rel = await sim.ec2.send(new ReleaseHostsCommand({ HostIds: [hosts[0]!] }));
    expect(rel.Successful).toEqual([]);
    expect(rel.Unsuccessful![0]!.ResourceId).toBe(hosts[0]);
  });
});

describe("ID formats", () => {
  it("long IDs everywhere; settings kept per principal", async () => {
    const all = (await sim.ec2.send(new DescribeIdFormatCommand({}))).Statuses!;
    expect(all.length).toBeGreaterThan(20);
    expect(all.every((s) => s.UseLongIds === true)).toBe(true);
    expect((await sim.ec2.send(new DescribeIdFormatCommand({ Resource: "instance" }))).Statuses).toEqual([{ Resource: "instance", UseLongIds: true }]);
    await sim.ec2.send(new ModifyIdFormatCommand({ Resource: "vpc", UseLongIds: false }));
    expect((await sim.ec2.send(new DescribeIdFormatCommand({ Resource: "vpc" }))).Statuses).toEqual([{ Resource: "vpc", UseLongIds: false }]);
    expect((await sim.ec2.send(new DescribeAggregateIdFormatCommand({}))).UseLongIdsAggregated).toBe(false);

    const user = "arn:aws:iam::000000000000:user/alice";
    await sim.ec2.send(new ModifyIdentityIdFormatCommand({ PrincipalArn: user, Resource: "subnet", UseLongIds: false }));
    const u = (await sim.ec2.send(new DescribeIdentityIdFormatCommand({ PrincipalArn: user }))).Statuses!;
    expect(u.find((s) => s.Resource === "subnet")?.UseLongIds).toBe(false);
    expect(u.find((s) => s.Resource === "vpc")?.UseLongIds).toBe(false); // inherited from the root user
    expect(u.find((s) => s.Resource === "volume")?.UseLongIds).toBe(true);
    const principals = (await sim.ec2.send(new DescribePrincipalIdFormatCommand({ Resources: ["subnet"] }))).Principals!;
    expect(principals).toEqual([
      { Arn: "arn:aws:iam::000000000000:root", Statuses: [{ Resource: "subnet", UseLongIds: true }] },
      { Arn: user, Statuses: [{ Resource: "subnet", UseLongIds: false }] },
    ]);
    await expectAwsError(sim.ec2.send(new DescribeIdFormatCommand({ Resource: "banana" })), { name: "InvalidParameterValue", status: 400 });
    await expectAwsError(sim.ec2.send(new DescribeIdentityIdFormatCommand({ PrincipalArn: "nope" })), { name: "InvalidParameterValue", status: 400 });
  });
});

describe("Reserved Instances", () => {
  it("offerings catalogue with filters and pagination; purchase; describe; queued deletion", async () => {
    const offers = (
      await sim.ec2.send(
        new DescribeReservedInstancesOfferingsCommand({
          InstanceType: "m5.large",
          ProductDescription: "Linux/UNIX",
          OfferingClass: "standard",
          OfferingType: "All Upfront",
          MinDuration: 31536000,
          MaxDuration: 31536000,
          Filters: [{ Name: "scope", Values: ["Region"] }],
        }),
      )
    ).ReservedInstancesOfferings!;
    expect(offers).toHaveLength(1);
    const o = offers[0]!;
    expect(o).toMatchObject({
      InstanceType: "m5.large",
      Duration: 31536000,
      Scope: "Region",
      CurrencyCode: "USD",
      InstanceTenancy: "default",
      Marketplace: false,
    });
    expect(o.FixedPrice).toBeGreaterThan(400);
    expect(o.ReservedInstancesOfferingId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    const zonal = (await sim.ec2.send(new DescribeReservedInstancesOfferingsCommand({ AvailabilityZone: "us-east-1b", InstanceType: "t3.micro" })))
      .ReservedInstancesOfferings!;
    expect(new Set(zonal.map((z) => z.Scope))).toEqual(new Set(["Region", "Availability Zone"]));
    expect(zonal.filter((z) => z.Scope === "Availability Zone").every((z) => z.AvailabilityZone === "us-east-1b")).toBe(true);
    let pages = 0;
    let total = 0;
    for await (const p of paginateDescribeReservedInstancesOfferings({ client: sim.ec2, pageSize: 50 }, { InstanceType: "t3.micro" })) {
      pages++;
      total += p.ReservedInstancesOfferings!.length;
    }
    expect(pages).toBeGreaterThan(1);
    expect(total).toBe(24 + 6 * 12);

    const { ReservedInstancesId } = await sim.ec2.send(
      new PurchaseReservedInstancesOfferingCommand({ ReservedInstancesOfferingId: o.ReservedInstancesOfferingId!, InstanceCount: 2 }),
    );
    const ri = (await sim.ec2.send(new DescribeReservedInstancesCommand({ ReservedInstancesIds: [ReservedInstancesId!] }))).ReservedInstances![0]!;
    expect(ri).toMatchObject({ InstanceCount: 2, State: "active", InstanceType: "m5.large", FixedPrice: o.FixedPrice, OfferingType: "All Upfront" });
    expect(ri.End!.getTime() - ri.Start!.getTime()).toBe(31536000 * 1000);

    const later = new Date(Date.now() + 7 * 86400_000);
    const q = await sim.ec2.send(
      new PurchaseReservedInstancesOfferingCommand({ ReservedInstancesOfferingId: o.ReservedInstancesOfferingId!, InstanceCount: 1, PurchaseTime: later }),
    );
    expect(
      (await sim.ec2.send(new DescribeReservedInstancesCommand({ Filters: [{ Name: "state", Values: ["queued"] }] }))).ReservedInstances!.map(
        (r) => r.ReservedInstancesId,
      ),
    ).toEqual([q.ReservedInstancesId]);
    const del = await sim.ec2.send(new DeleteQueuedReservedInstancesCommand({ ReservedInstancesIds: [q.ReservedInstancesId!, ReservedInstancesId!] }));
    expect(del.SuccessfulQueuedPurchaseDeletions).toEqual([{ ReservedInstancesId: q.ReservedInstancesId }]);
    expect(del.FailedQueuedPurchaseDeletions![0]!.Error?.Code).toBe("reserved-instances-not-in-queued-state");

    await expectAwsError(sim.ec2.send(new PurchaseReservedInstancesOfferingCommand({ ReservedInstancesOfferingId: "nope", InstanceCount: 1 })), {
      name: "InvalidReservedInstancesOfferingId",
      status: 400,
    });
    await expectAwsError(
      sim.ec2.send(
        new PurchaseReservedInstancesOfferingCommand({
          ReservedInstancesOfferingId: o.ReservedInstancesOfferingId!,
          InstanceCount: 1,
          LimitPrice: { Amount: 1 },
        }),
      ),
      { name: "ReservedInstancesLimitPriceExceeded", status: 400 },
    );
    expect((await sim.ec2.send(new DescribeReservedInstancesListingsCommand({}))).ReservedInstancesListings).toEqual([]);
  });
});

describe("Reserved Instance modifications and exchanges", () => {
  const offering = async (type: string, cls: "standard" | "convertible", payment: "No Upfront" | "All Upfront" = "No Upfront") =>
    (
      await sim.ec2.send(
        new DescribeReservedInstancesOfferingsCommand({
          InstanceType: type as never,
          OfferingClass: cls,
          OfferingType: payment,
          ProductDescription: "Linux/UNIX",
          MaxDuration: 31536000,
          Filters: [{ Name: "scope", Values: ["Region"] }],
        }),
      )
    ).ReservedInstancesOfferings![0]!.ReservedInstancesOfferingId!;

  it("split a regional RI into smaller sizes of the same footprint", async () => {
    const { ReservedInstancesId } = await sim.ec2.send(
      new PurchaseReservedInstancesOfferingCommand({ ReservedInstancesOfferingId: await offering("m5.xlarge", "standard"), InstanceCount: 1 }),
    );
    await expectAwsError(
      sim.ec2.send(
        new ModifyReservedInstancesCommand({
          ReservedInstancesIds: [ReservedInstancesId!],
          TargetConfigurations: [{ InstanceType: "m5.large", InstanceCount: 1 }],
        }),
      ),
      { name: "InvalidParameterValue", status: 400 },
    );
    const { ReservedInstancesModificationId } = await sim.ec2.send(
      new ModifyReservedInstancesCommand({
        ReservedInstancesIds: [ReservedInstancesId!],
        TargetConfigurations: [{ InstanceType: "m5.large", InstanceCount: 2, Scope: "Region" }],
        ClientToken: "mod-1",
      }),
    );
    const mod = (
      await sim.ec2.send(new DescribeReservedInstancesModificationsCommand({ ReservedInstancesModificationIds: [ReservedInstancesModificationId!] }))
    ).ReservedInstancesModifications![0]!;
    expect(mod).toMatchObject({ Status: "fulfilled", ClientToken: "mod-1", ReservedInstancesIds: [{ ReservedInstancesId }] });
    const newId = mod.ModificationResults![0]!.ReservedInstancesId!;
    expect(mod.ModificationResults![0]!.TargetConfiguration).toMatchObject({ InstanceType: "m5.large", InstanceCount: 2, Scope: "Region" });
    const ris = (await sim.ec2.send(new DescribeReservedInstancesCommand({ ReservedInstancesIds: [ReservedInstancesId!, newId] }))).ReservedInstances!;
    expect(Object.fromEntries(ris.map((r) => [r.ReservedInstancesId, r.State]))).toEqual({ [ReservedInstancesId!]: "retired", [newId]: "active" });
  });

  it("exchange a convertible RI for one of equal or greater value", async () => {
    const { ReservedInstancesId } = await sim.ec2.send(
      new PurchaseReservedInstancesOfferingCommand({ ReservedInstancesOfferingId: await offering("m5.large", "convertible"), InstanceCount: 1 }),
    );
    const target = await offering("r5.large", "convertible");
    const q = await sim.ec2.send(
      new GetReservedInstancesExchangeQuoteCommand({
        ReservedInstanceIds: [ReservedInstancesId!],
        TargetConfigurations: [{ OfferingId: target, InstanceCount: 1 }],
      }),
    );
    expect(q.IsValidExchange).toBe(true);
    expect(Number(q.TargetConfigurationValueRollup!.RemainingTotalValue)).toBeGreaterThanOrEqual(Number(q.ReservedInstanceValueRollup!.RemainingTotalValue));
    const cheap = await offering("t3.micro", "convertible");
    const bad = await sim.ec2.send(
      new GetReservedInstancesExchangeQuoteCommand({
        ReservedInstanceIds: [ReservedInstancesId!],
        TargetConfigurations: [{ OfferingId: cheap, InstanceCount: 1 }],
      }),
    );
    expect(bad.IsValidExchange).toBe(false);
    expect(bad.ValidationFailureReason).toBeTruthy();
    const std = (
      await sim.ec2.send(
        new PurchaseReservedInstancesOfferingCommand({ ReservedInstancesOfferingId: await offering("m5.large", "standard"), InstanceCount: 1 }),
      )
    ).ReservedInstancesId!;
    expect(
      (await sim.ec2.send(new GetReservedInstancesExchangeQuoteCommand({ ReservedInstanceIds: [std], TargetConfigurations: [{ OfferingId: target }] })))
        .IsValidExchange,
    ).toBe(false);
    const { ExchangeId } = await sim.ec2.send(
      new AcceptReservedInstancesExchangeQuoteCommand({
        ReservedInstanceIds: [ReservedInstancesId!],
        TargetConfigurations: [{ OfferingId: target, InstanceCount: 1 }],
      }),
    );
    expect(ExchangeId).toMatch(/^riex-/);
    const active = (
      await sim.ec2.send(new DescribeReservedInstancesCommand({ Filters: [{ Name: "state", Values: ["active"] }], OfferingClass: "convertible" }))
    ).ReservedInstances!;
    expect(active.map((r) => r.InstanceType)).toEqual(["r5.large"]);
  });
});

describe("Outposts resources (none without an Outpost)", () => {
  it("empty lists, filters validated, named ids not found", async () => {
    expect((await sim.ec2.send(new DescribeLocalGatewaysCommand({ Filters: [{ Name: "state", Values: ["available"] }] }))).LocalGateways).toEqual([]);
    expect((await sim.ec2.send(new DescribeLocalGatewayRouteTablesCommand({}))).LocalGatewayRouteTables).toEqual([]);
    expect((await sim.ec2.send(new DescribeLocalGatewayVirtualInterfacesCommand({}))).LocalGatewayVirtualInterfaces).toEqual([]);
    expect((await sim.ec2.send(new DescribeCoipPoolsCommand({}))).CoipPools).toEqual([]);
    await expectAwsError(sim.ec2.send(new DescribeLocalGatewaysCommand({ Filters: [{ Name: "bogus", Values: ["x"] }] })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new DescribeLocalGatewaysCommand({ LocalGatewayIds: ["lgw-0123456789abcdef0"] })), {
      name: "InvalidLocalGatewayID.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new SearchLocalGatewayRoutesCommand({ LocalGatewayRouteTableId: "lgw-rtb-0123456789abcdef0" })), {
      name: "InvalidLocalGatewayRouteTableID.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new GetCoipPoolUsageCommand({ PoolId: "ipv4pool-coip-0123456789abcdef0" })), {
      name: "InvalidCoipPoolID.NotFound",
      status: 400,
    });
  });
});
