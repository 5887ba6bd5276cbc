/** EC2 scenarios replayed from moto's test suite (tests/test_ec2), asserting AWS's answers. */
import { CreateSubnetCommand, CreateVpcCommand, DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { describeInstance, runOne } from "./ec2-fixtures.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("instances (moto scenarios)", () => {
  it("keeps HibernationOptions.Configured given at launch, and filters by it", async () => {
    const on = await runOne(sim.ec2, { HibernationOptions: { Configured: true } });
    const off = await runOne(sim.ec2, { HibernationOptions: { Configured: false } });
    expect((await describeInstance(sim.ec2, on.InstanceId!)).HibernationOptions).toEqual({ Configured: true });
    expect((await describeInstance(sim.ec2, off.InstanceId!)).HibernationOptions).toEqual({ Configured: false });
    const found = await sim.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "hibernation-options.configured", Values: ["true"] }] }));
    expect(found.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([on.InstanceId]);
  });
});

describe("subnets (moto scenarios)", () => {
  it("places a subnet by AvailabilityZoneId and refuses a zone id of another region", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "172.31.0.0/16" }))).Vpc!.VpcId!;
    const sub = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "172.31.48.0/20", AvailabilityZoneId: "use1-az2" }))).Subnet!;
    expect([sub.AvailabilityZone, sub.AvailabilityZoneId]).toEqual(["us-east-1b", "use1-az2"]);
    await expectAwsError(sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "172.31.64.0/20", AvailabilityZoneId: "usw1-az1" })), {
      name: "InvalidParameterValue",
      status: 400,
      message:
        /^Value \(usw1-az1\) for parameter availabilityZoneId is invalid\. Subnets can currently only be created in the following availability zones: use1-az\d/,
    });
  });
});
