/** EC2 scenarios replayed from moto's test suite (tests/test_ec2), asserting AWS's answers. */
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";
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
