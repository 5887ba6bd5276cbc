import {
  CreatePlacementGroupCommand,
  DescribeInstancesCommand,
  EC2Client,
  ModifyInstancePlacementCommand,
  RunInstancesCommand,
  StopInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { AMI } from "./ec2-fixtures.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

const placementOf = async (ids: string[]) =>
  (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }))).Reservations!.flatMap((r) => r.Instances!).map((i) => i.Placement!);

describe("instance placement", () => {
  it("spreads a partition group's instances over its partitions, honours PartitionNumber and GroupId, and filters by partition", async () => {
    const g = (await sim.ec2.send(new CreatePlacementGroupCommand({ GroupName: "parts", Strategy: "partition", PartitionCount: 3 }))).PlacementGroup!;
    const run = await sim.ec2.send(
      new RunInstancesCommand({ ImageId: AMI, MinCount: 4, MaxCount: 4, InstanceType: "t3.micro", Placement: { GroupName: "parts" } }),
    );
    const ids = run.Instances!.map((i) => i.InstanceId!);
    expect(run.Instances!.map((i) => i.Placement!.PartitionNumber)).toEqual([1, 2, 3, 1]);
    const placed = await placementOf(ids);
    expect(placed.map((p) => [p.GroupName, p.GroupId, p.PartitionNumber])).toEqual(ids.map((_, k) => ["parts", g.GroupId, [1, 2, 3, 1][k]]));

    // By group id, into a chosen partition.
    const third = await sim.ec2.send(
      new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, Placement: { GroupId: g.GroupId, PartitionNumber: 3 } }),
    );
    expect(third.Instances![0]!.Placement).toMatchObject({ GroupName: "parts", GroupId: g.GroupId, PartitionNumber: 3 });

    const inThree = await sim.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "placement-partition-number", Values: ["3"] }] }));
    expect(inThree.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId)).sort()).toEqual([ids[2], third.Instances![0]!.InstanceId].sort());

    // A stopped instance moves to another partition.
    await sim.ec2.send(new StopInstancesCommand({ InstanceIds: [ids[0]!] }));
    await sim.ec2.send(new ModifyInstancePlacementCommand({ InstanceId: ids[0]!, PartitionNumber: 2 }));
    expect((await placementOf([ids[0]!]))[0]!.PartitionNumber).toBe(2);
    // Out of the group: no partition any more.
    await sim.ec2.send(new ModifyInstancePlacementCommand({ InstanceId: ids[0]!, GroupName: "" }));
    const out = (await placementOf([ids[0]!]))[0]!;
    expect([out.GroupName, out.GroupId, out.PartitionNumber]).toEqual(["", undefined, undefined]);
  });

  it("refuses what AWS refuses", async () => {
    await sim.ec2.send(new CreatePlacementGroupCommand({ GroupName: "two", Strategy: "partition" }));
    await sim.ec2.send(new CreatePlacementGroupCommand({ GroupName: "spread", Strategy: "spread" }));
    const launch = (Placement: Record<string, unknown>) => sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, Placement }));
    await expectAwsError(launch({ GroupName: "two", PartitionNumber: 3 }), {
      name: "InvalidParameterValue",
      status: 400,
      message: /partitionNumber.*between 1 and 2/,
    });
    await expectAwsError(launch({ GroupName: "spread", PartitionNumber: 1 }), { name: "InvalidParameterValue", status: 400 });
    await expectAwsError(launch({ PartitionNumber: 1 }), { name: "InvalidParameterValue", status: 400 });
    await expectAwsError(launch({ GroupId: "pg-0123456789abcdef0" }), { name: "InvalidPlacementGroup.Unknown", status: 400 });
    await expectAwsError(launch({ GroupName: "two", GroupId: "pg-0123456789abcdef0" }), { name: "InvalidParameterCombination", status: 400 });
    await expectAwsError(launch({ AvailabilityZone: "us-east-1z" }), {
      name: "InvalidParameterValue",
      status: 400,
      message: "Invalid availability zone: [us-east-1z]",
    });
    await expectAwsError(launch({ AvailabilityZone: "us-east-1a", AvailabilityZoneId: "use1-az1" }), { name: "InvalidParameterCombination", status: 400 });
  });

  it("launches by availability zone id", async () => {
    const r = await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, Placement: { AvailabilityZoneId: "use1-az2" } }));
    expect(r.Instances![0]!.Placement).toMatchObject({ AvailabilityZone: "us-east-1b", AvailabilityZoneId: "use1-az2" });
    // Empty strings are unset, as Terraform sends them.
    const e = await sim.ec2.send(
      new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: "", GroupName: "", GroupId: "" } }),
    );
    expect(e.Instances![0]!.Placement!.GroupName).toBe("");
  });
});
