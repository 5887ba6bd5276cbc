/**
 * Terminated instances stay describable for an hour, then go (pruned from a queue by termination time, not
 * by scanning every instance); the zone id and its filter come from the instance's zone; a subnet hands out
 * its lowest free address, freed addresses first.
 */
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, describe, expect, it, vi } from "vitest";
import { useServer } from "../helpers.js";
import { AMI } from "./ec2-fixtures.js";

const sim = useServer({}, (cfg) => ({ ec2: new EC2Client(cfg) }));
afterAll(() => {
  vi.useRealTimers();
});

const ids = async (filter?: { Name: string; Values: string[] }) =>
  ((await sim.ec2.send(new DescribeInstancesCommand(filter ? { Filters: [filter] } : {}))).Reservations ?? [])
    .flatMap((r) => r.Instances ?? [])
    .map((i) => i.InstanceId!)
    .sort();

describe("terminated instances", () => {
  it("are listed for an hour after termination, then pruned oldest first", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const run = await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 4, MaxCount: 4 }));
    const [a, b, c, d] = run.Instances!.map((i) => i.InstanceId!) as [string, string, string, string];
    await sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [a, b] }));
    expect(await ids()).toEqual([a, b, c, d].sort());
    vi.setSystemTime(Date.now() + 30 * 60 * 1000);
    await sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [c] }));
    vi.setSystemTime(Date.now() + 31 * 60 * 1000);
    // a and b terminated 61 minutes ago: gone; c 31 minutes ago: still there, terminated.
    expect(await ids()).toEqual([c, d].sort());
    const cv = (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [c] }))).Reservations![0]!.Instances![0]!;
    expect(cv.State).toEqual({ Code: 48, Name: "terminated" });
    vi.setSystemTime(Date.now() + 30 * 60 * 1000);
    expect(await ids()).toEqual([d]);
    vi.useRealTimers();
  });

  it("carry their zone id, and the availability-zone-id filter matches it", async () => {
    const run = await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: "us-east-1c" } }));
    const id = run.Instances![0]!.InstanceId!;
    const v = (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
    expect(v.Placement).toMatchObject({ AvailabilityZone: "us-east-1c", AvailabilityZoneId: "use1-az3" });
    expect(await ids({ Name: "availability-zone-id", Values: ["use1-az3"] })).toContain(id);
    expect(await ids({ Name: "availability-zone-id", Values: ["use1-az1"] })).not.toContain(id);
  });
});

describe("subnet addresses", () => {
  it("each launch takes the lowest free address; a terminated instance's address is taken again first", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.77.0.0/16" }))).Vpc!.VpcId!;
    const subnet = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.77.1.0/28" }))).Subnet!.SubnetId!;
    const launch = async (n: number) =>
      (await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: n, MaxCount: n, SubnetId: subnet }))).Instances!.map((i) => [
        i.InstanceId!,
        i.PrivateIpAddress!,
      ]);
    const first = await launch(3);
    expect(first.map(([, ip]) => ip)).toEqual(["10.77.1.4", "10.77.1.5", "10.77.1.6"]);
    await sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [first[1]![0]!, first[0]![0]!] }));
    const again = await launch(3);
    expect(again.map(([, ip]) => ip)).toEqual(["10.77.1.4", "10.77.1.5", "10.77.1.7"]);
  });
});
