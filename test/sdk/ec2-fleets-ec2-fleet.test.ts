import {
  CreateFleetCommand,
  CreateLaunchTemplateCommand,
  CreateTagsCommand,
  DeleteFleetsCommand,
  DescribeFleetHistoryCommand,
  DescribeFleetInstancesCommand,
  DescribeFleetsCommand,
  DescribeInstancesCommand,
  DescribeSpotInstanceRequestsCommand,
  DescribeTagsCommand,
  DescribeVolumesCommand,
  EC2Client,
  ModifyFleetCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { beforeEach, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

let lt: string;
const AMI = "ami-0abcdef1234567890";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));
beforeEach(async () => {
  lt = (
    await sim.ec2.send(
      new CreateLaunchTemplateCommand({ LaunchTemplateName: `fleet-lt-${Date.now()}`, LaunchTemplateData: { ImageId: AMI, InstanceType: "t3.micro" } }),
    )
  ).LaunchTemplate!.LaunchTemplateId!;
});

const instancesOf = async (ids: string[]) =>
  (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }))).Reservations!.flatMap((r) => r.Instances!);

describe("EC2 Fleet", () => {
  it("instant fleet launches real instances, on-demand and spot, and reports them", async () => {
    const out = await sim.ec2.send(
      new CreateFleetCommand({
        Type: "instant",
        LaunchTemplateConfigs: [
          {
            LaunchTemplateSpecification: { LaunchTemplateId: lt, Version: "$Latest" },
            Overrides: [{ InstanceType: "t3.small", MaxPrice: "0.0001" }, { InstanceType: "m5.large" }],
          },
        ],
        TargetCapacitySpecification: { TotalTargetCapacity: 3, OnDemandTargetCapacity: 2, DefaultTargetCapacityType: "spot" },
        TagSpecifications: [
          { ResourceType: "instance", Tags: [{ Key: "app", Value: "web" }] },
          { ResourceType: "fleet", Tags: [{ Key: "team", Value: "a" }] },
          { ResourceType: "volume", Tags: [{ Key: "disk", Value: "root" }] },
        ],
      }),
    );
    expect(out.FleetId).toMatch(/^fleet-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const od = out.Instances!.find((g) => g.Lifecycle === "on-demand")!;
    const spot = out.Instances!.find((g) => g.Lifecycle === "spot")!;
    expect(od.InstanceIds).toHaveLength(2);
    expect(od.InstanceType).toBe("t3.small");
    expect(od.LaunchTemplateAndOverrides?.LaunchTemplateSpecification?.LaunchTemplateId).toBe(lt);
    expect(spot.InstanceIds).toHaveLength(1);
    expect(spot.InstanceType).toBe("m5.large");
    // the cheaper t3.small pool could not meet the Spot price with its MaxPrice, and is reported as an error
    expect(out.Errors).toEqual([
      expect.objectContaining({
        Lifecycle: "spot",
        ErrorCode: "SpotMaxPriceTooLow",
        LaunchTemplateAndOverrides: expect.objectContaining({ Overrides: expect.objectContaining({ InstanceType: "t3.small", MaxPrice: "0.0001" }) }),
      }),
    ]);
    const insts = await instancesOf([...od.InstanceIds!, ...spot.InstanceIds!]);
    expect(insts).toHaveLength(3);
    const spotInst = insts.find((i) => i.InstanceId === spot.InstanceIds![0])!;
    expect(spotInst.InstanceLifecycle).toBe("spot");
    expect(insts.find((i) => i.InstanceId === od.InstanceIds![0])!.InstanceLifecycle).toBeUndefined();
    for (const i of insts) {
      expect(i.Tags).toEqual(
        expect.arrayContaining([
          { Key: "app", Value: "web" },
          { Key: "aws:ec2:fleet-id", Value: out.FleetId },
        ]),
      );
    }
    const vols = await sim.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: "tag:disk", Values: ["root"] }] }));
    expect(vols.Volumes!.map((v) => v.Attachments![0]!.InstanceId).sort()).toEqual(insts.map((i) => i.InstanceId).sort());
    const spotOnly = await sim.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "instance-lifecycle", Values: ["spot"] }] }));
    expect(spotOnly.Reservations!.flatMap((r) => r.Instances!).map((i) => i.InstanceId)).toEqual(spot.InstanceIds);

    // instant fleets appear only when named
    expect((await sim.ec2.send(new DescribeFleetsCommand({}))).Fleets).toEqual([]);
    const f = (await sim.ec2.send(new DescribeFleetsCommand({ FleetIds: [out.FleetId!] }))).Fleets![0]!;
    expect(f).toMatchObject({
      FleetId: out.FleetId,
      FleetState: "active",
      Type: "instant",
      FulfilledCapacity: 3,
      FulfilledOnDemandCapacity: 2,
      TargetCapacitySpecification: { TotalTargetCapacity: 3, OnDemandTargetCapacity: 2, SpotTargetCapacity: 1, DefaultTargetCapacityType: "spot" },
      Tags: [{ Key: "team", Value: "a" }],
    });
    expect(f.Instances).toHaveLength(2);
    expect(f.Errors).toHaveLength(1);

    // the fleet id is taggable
    await sim.ec2.send(new CreateTagsCommand({ Resources: [out.FleetId!], Tags: [{ Key: "env", Value: "dev" }] }));
    const tags = await sim.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-type", Values: ["fleet"] }] }));
    expect(tags.Tags!.map((t) => t.Key).sort()).toEqual(["env", "team"]);

    // deleting an instant fleet terminates its instances
    await expectAwsError(sim.ec2.send(new DeleteFleetsCommand({ FleetIds: [out.FleetId!], TerminateInstances: false })), {
      name: "InvalidParameterCombination",
      status: 400,
    });
    const del = await sim.ec2.send(
      new DeleteFleetsCommand({ FleetIds: [out.FleetId!, "fleet-00000000-0000-0000-0000-000000000000", "bogus"], TerminateInstances: true }),
    );
    expect(del.SuccessfulFleetDeletions).toEqual([{ FleetId: out.FleetId, PreviousFleetState: "active", CurrentFleetState: "deleted_terminating" }]);
    expect(del.UnsuccessfulFleetDeletions!.map((x) => x.Error!.Code)).toEqual(["fleetIdDoesNotExist", "fleetIdMalformed"]);
    for (const i of await instancesOf(od.InstanceIds!)) expect(i.State!.Name).toMatch(/shutting-down|terminated/);
    expect((await sim.ec2.send(new DescribeFleetsCommand({ FleetIds: [out.FleetId!] }))).Fleets![0]!.FleetState).toBe("deleted");
  });

  it("instant fleet reports a launch failure per pool (bad AMI) and takes the next pool", async () => {
    const out = await sim.ec2.send(
      new CreateFleetCommand({
        Type: "instant",
        LaunchTemplateConfigs: [
          {
            LaunchTemplateSpecification: { LaunchTemplateId: lt, Version: "1" },
            Overrides: [
              { InstanceType: "t3.nano", ImageId: "ami-bad", Priority: 1 },
              { InstanceType: "t3.large", Priority: 2 },
            ],
          },
        ],
        OnDemandOptions: { AllocationStrategy: "prioritized" },
        TargetCapacitySpecification: { TotalTargetCapacity: 2, DefaultTargetCapacityType: "on-demand" },
      }),
    );
    expect(out.Errors![0]!.ErrorCode).toMatch(/^InvalidAMIID/);
    expect(out.Instances).toHaveLength(1);
    expect(out.Instances![0]).toMatchObject({ InstanceType: "t3.large", Lifecycle: "on-demand" });
    expect(out.Instances![0]!.InstanceIds).toHaveLength(2);
  });

  it("weighted capacity and instance requirements", async () => {
    const out = await sim.ec2.send(
      new CreateFleetCommand({
        Type: "instant",
        LaunchTemplateConfigs: [
          {
            LaunchTemplateSpecification: { LaunchTemplateId: lt, Version: "$Default" },
            Overrides: [{ InstanceRequirements: { VCpuCount: { Min: 4, Max: 4 }, MemoryMiB: { Min: 16384 } }, WeightedCapacity: 4 }],
          },
        ],
        TargetCapacitySpecification: { TotalTargetCapacity: 8, DefaultTargetCapacityType: "on-demand" },
      }),
    );
    expect(out.Instances).toHaveLength(1);
    expect(out.Instances![0]!.InstanceIds).toHaveLength(2);
    const [i] = await instancesOf(out.Instances![0]!.InstanceIds!.slice(0, 1));
    expect(i!.InstanceType).toBe(out.Instances![0]!.InstanceType);
    expect(i!.InstanceType).toMatch(/\.xlarge$/);
  });

  it("MaxTotalPrice caps the launch; vCPU capacity units weigh instances by their vCPUs", async () => {
    const capped = await sim.ec2.send(
      new CreateFleetCommand({
        Type: "instant",
        LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: lt, Version: "1" } }],
        OnDemandOptions: { MaxTotalPrice: "0.025" },
        TargetCapacitySpecification: { TotalTargetCapacity: 5, DefaultTargetCapacityType: "on-demand" },
      }),
    );
    expect(capped.Instances![0]!.InstanceIds).toHaveLength(2);
    const f = (await sim.ec2.send(new DescribeFleetsCommand({ FleetIds: [capped.FleetId!] }))).Fleets![0]!;
    expect(f.FulfilledCapacity).toBe(2);
    expect(f.OnDemandOptions?.MaxTotalPrice).toBe("0.025");

    const vcpu = await sim.ec2.send(
      new CreateFleetCommand({
        Type: "instant",
        LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: lt, Version: "1" } }],
        TargetCapacitySpecification: { TotalTargetCapacity: 4, DefaultTargetCapacityType: "on-demand", TargetCapacityUnitType: "vcpu" },
      }),
    );
    expect(vcpu.Instances![0]!.InstanceIds).toHaveLength(2);
  });

  it("maintain fleet keeps its capacity, modifies, reports instances and history, deletes", async () => {
    const start = new Date(Date.now() - 1000);
    const { FleetId } = await sim.ec2.send(
      new CreateFleetCommand({
        Type: "maintain",
        LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateName: undefined, LaunchTemplateId: lt, Version: "$Latest" } }],
        TargetCapacitySpecification: { TotalTargetCapacity: 2, SpotTargetCapacity: 1, DefaultTargetCapacityType: "on-demand" },
      }),
    );
    expect(FleetId).toBeDefined();
    const f = (await sim.ec2.send(new DescribeFleetsCommand({}))).Fleets!;
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ FleetState: "active", ActivityStatus: "fulfilled", FulfilledCapacity: 2, ExcessCapacityTerminationPolicy: "termination" });
    const act = (await sim.ec2.send(new DescribeFleetInstancesCommand({ FleetId }))).ActiveInstances!;
    expect(act).toHaveLength(2);
    const spot = act.find((a) => a.SpotInstanceRequestId)!;
    expect(spot.SpotInstanceRequestId).toMatch(/^sir-/);
    expect(
      (await sim.ec2.send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [spot.SpotInstanceRequestId!] }))).SpotInstanceRequests![0],
    ).toMatchObject({ State: "active", InstanceId: spot.InstanceId });

    // an instance terminated by hand is replaced
    await sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [act[0]!.InstanceId!] }));
    const after = (await sim.ec2.send(new DescribeFleetInstancesCommand({ FleetId }))).ActiveInstances!;
    expect(after).toHaveLength(2);
    expect(after.map((a) => a.InstanceId)).not.toContain(act[0]!.InstanceId);

    // scale up, then down (termination policy: the excess goes)
    expect((await sim.ec2.send(new ModifyFleetCommand({ FleetId, TargetCapacitySpecification: { TotalTargetCapacity: 4 } }))).Return).toBe(true);
    expect((await sim.ec2.send(new DescribeFleetInstancesCommand({ FleetId }))).ActiveInstances).toHaveLength(4);
    await sim.ec2.send(new ModifyFleetCommand({ FleetId, TargetCapacitySpecification: { TotalTargetCapacity: 1, SpotTargetCapacity: 0 } }));
    expect((await sim.ec2.send(new DescribeFleetInstancesCommand({ FleetId }))).ActiveInstances).toHaveLength(1);
    const page = await sim.ec2.send(new DescribeFleetInstancesCommand({ FleetId, Filters: [{ Name: "instance-type", Values: ["m5.large"] }] }));
    expect(page.ActiveInstances).toEqual([]);

    const hist = await sim.ec2.send(new DescribeFleetHistoryCommand({ FleetId, StartTime: start }));
    const subs = hist.HistoryRecords!.map((h) => `${h.EventType}:${h.EventInformation?.EventSubType}`);
    expect(subs).toEqual(
      expect.arrayContaining([
        "fleet-change:submitted",
        "fleet-change:active",
        "instance-change:launched",
        "instance-change:terminated",
        "fleet-change:modify_succeeded",
      ]),
    );
    const onlyFleet = await sim.ec2.send(new DescribeFleetHistoryCommand({ FleetId, StartTime: start, EventType: "fleet-change", MaxResults: 2 }));
    expect(onlyFleet.HistoryRecords).toHaveLength(2);
    expect(onlyFleet.NextToken).toBeDefined();

    const del = await sim.ec2.send(new DeleteFleetsCommand({ FleetIds: [FleetId!], TerminateInstances: false }));
    expect(del.SuccessfulFleetDeletions![0]!.CurrentFleetState).toBe("deleted_running");
    await expectAwsError(sim.ec2.send(new ModifyFleetCommand({ FleetId, TargetCapacitySpecification: { TotalTargetCapacity: 2 } })), {
      name: "FleetNotInModifiableState",
      status: 400,
    });
    const again = await sim.ec2.send(new DeleteFleetsCommand({ FleetIds: [FleetId!], TerminateInstances: true }));
    expect(again.UnsuccessfulFleetDeletions![0]!.Error!.Code).toBe("fleetNotInDeletableState");
    expect((await sim.ec2.send(new DescribeFleetsCommand({ Filters: [{ Name: "fleet-state", Values: ["deleted_running"] }] }))).Fleets).toHaveLength(1);
  });

  it("errors: unknown fleet, unknown template, dry run, bad targets", async () => {
    await expectAwsError(sim.ec2.send(new DescribeFleetsCommand({ FleetIds: ["fleet-00000000-0000-0000-0000-000000000000"] })), {
      name: "InvalidFleetId.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new DescribeFleetInstancesCommand({ FleetId: "fleet-00000000-0000-0000-0000-000000000000" })), {
      name: "InvalidFleetId.NotFound",
      status: 400,
    });
    await expectAwsError(
      sim.ec2.send(
        new CreateFleetCommand({
          LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: "lt-0123456789abcdef0", Version: "1" } }],
          TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: "on-demand" },
        }),
      ),
      { name: "InvalidLaunchTemplateId.NotFound", status: 400 },
    );
    await expectAwsError(
      sim.ec2.send(
        new CreateFleetCommand({
          DryRun: true,
          LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: lt, Version: "1" } }],
          TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: "on-demand" },
        }),
      ),
      { name: "DryRunOperation", status: 412 },
    );
    await expectAwsError(
      sim.ec2.send(
        new CreateFleetCommand({
          LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: lt, Version: "1" } }],
          TargetCapacitySpecification: { TotalTargetCapacity: 1, OnDemandTargetCapacity: 2 },
        }),
      ),
      { name: "InvalidParameterValue", status: 400 },
    );
    await expectAwsError(
      sim.ec2.send(
        new CreateFleetCommand({
          Type: "instant",
          LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: lt, Version: "1" } }],
          TargetCapacitySpecification: { TotalTargetCapacity: 20000, DefaultTargetCapacityType: "on-demand" },
        }),
      ),
      { name: "InvalidParameterValue", status: 400 },
    );
    const instant = await sim.ec2.send(
      new CreateFleetCommand({
        Type: "instant",
        ClientToken: "tok-1",
        LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: lt, Version: "1" } }],
        TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: "on-demand" },
      }),
    );
    const same = await sim.ec2.send(
      new CreateFleetCommand({
        Type: "instant",
        ClientToken: "tok-1",
        LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: lt, Version: "1" } }],
        TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: "on-demand" },
      }),
    );
    expect(same.FleetId).toBe(instant.FleetId);
    await expectAwsError(
      sim.ec2.send(
        new CreateFleetCommand({
          Type: "instant",
          ClientToken: "tok-1",
          LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: lt, Version: "1" } }],
          TargetCapacitySpecification: { TotalTargetCapacity: 2, DefaultTargetCapacityType: "on-demand" },
        }),
      ),
      { name: "IdempotentParameterMismatch", status: 400 },
    );
    expect(same.Instances![0]!.InstanceIds).toEqual(instant.Instances![0]!.InstanceIds);
    await expectAwsError(sim.ec2.send(new ModifyFleetCommand({ FleetId: instant.FleetId, TargetCapacitySpecification: { TotalTargetCapacity: 2 } })), {
      name: "FleetNotInModifiableState",
      message: `Fleet Request: ${instant.FleetId} is not a modifiable fleet request type.`,
      status: 400,
    });
  });
});
