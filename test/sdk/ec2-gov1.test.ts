/** EC2 differences the Go SDK v1 flows (test/go/v1services) found, checked with the JS SDK. */
import { DescribeInstancesCommand, EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";
import { AMI } from "./ec2-fixtures.js";

const WINDOWS = "ami-05b4ded3ceb71e470";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("EC2 instances' Platform", () => {
  it("is windows for a Windows AMI's instance and absent otherwise (RunInstances and DescribeInstances)", async () => {
    const win = await sim.ec2.send(new RunInstancesCommand({ ImageId: WINDOWS, InstanceType: "t3.medium", MinCount: 1, MaxCount: 1 }));
    const linux = await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1 }));
    expect(win.Instances?.[0].Platform).toBe("windows");
    expect(linux.Instances?.[0].Platform).toBeUndefined();
    const ids = [win.Instances?.[0].InstanceId ?? "", linux.Instances?.[0].InstanceId ?? ""];
    const out = await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
    const byId = new Map(out.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => [i.InstanceId, i]));
    expect(byId.get(ids[0])?.Platform).toBe("windows");
    expect(byId.get(ids[0])?.PlatformDetails).toBe("Windows");
    expect(byId.get(ids[1])?.Platform).toBeUndefined();
    const filtered = await sim.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "platform", Values: ["windows"] }] }));
    expect(filtered.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId)).toEqual([ids[0]]);
  });
});
