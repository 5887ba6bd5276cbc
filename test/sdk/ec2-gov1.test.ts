/** EC2 differences the Go SDK v1 flows (test/go/v1services) found, checked with the JS SDK. */
import {
  AttachNetworkInterfaceCommand,
  CreateNetworkInterfaceCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  DescribeRouteTablesCommand,
  EC2Client,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
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

describe("EC2 routes to an instance (the in-tree Kubernetes AWS provider's kubenet routes)", () => {
  it("go to the instance's interface and name both, with the owner; an instance with two interfaces needs the interface named", async () => {
    const vpc = await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.88.0.0/16" }));
    const vpcId = vpc.Vpc?.VpcId ?? "";
    const sub = await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.88.1.0/24", AvailabilityZone: "us-east-1a" }));
    const subnetId = sub.Subnet?.SubnetId ?? "";
    const run = await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: "t3.micro", MinCount: 2, MaxCount: 2, SubnetId: subnetId }));
    const [one, two] = run.Instances ?? [];
    const rtb = await sim.ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
    const RouteTableId = rtb.RouteTable?.RouteTableId ?? "";
    await sim.ec2.send(new CreateRouteCommand({ RouteTableId, DestinationCidrBlock: "100.96.1.0/24", InstanceId: one?.InstanceId }));
    // An interface attached to an instance: the route names the instance as well.
    const eni = await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId }));
    const eniId = eni.NetworkInterface?.NetworkInterfaceId ?? "";
    await sim.ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eniId, InstanceId: two?.InstanceId, DeviceIndex: 1 }));
    await sim.ec2.send(new CreateRouteCommand({ RouteTableId, DestinationCidrBlock: "100.96.2.0/24", NetworkInterfaceId: eniId }));
    const out = await sim.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [RouteTableId] }));
    const routes = out.RouteTables?.[0].Routes ?? [];
    expect(routes.find((r) => r.DestinationCidrBlock === "100.96.1.0/24")).toMatchObject({
      InstanceId: one?.InstanceId,
      InstanceOwnerId: "000000000000",
      NetworkInterfaceId: one?.NetworkInterfaces?.[0].NetworkInterfaceId,
      Origin: "CreateRoute",
      State: "active",
    });
    expect(routes.find((r) => r.DestinationCidrBlock === "100.96.2.0/24")).toMatchObject({
      InstanceId: two?.InstanceId,
      InstanceOwnerId: "000000000000",
      NetworkInterfaceId: eniId,
    });
    const filtered = await sim.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "route.instance-id", Values: [two?.InstanceId ?? ""] }] }));
    expect(filtered.RouteTables?.map((r) => r.RouteTableId)).toEqual([RouteTableId]);
    const err = await expectAwsError(
      sim.ec2.send(new CreateRouteCommand({ RouteTableId, DestinationCidrBlock: "100.96.3.0/24", InstanceId: two?.InstanceId })),
      {
        name: "InvalidInstanceID",
        status: 400,
      },
    );
    expect(err.message).toBe(
      `There are multiple interfaces attached to instance '${two?.InstanceId}'. Please specify an interface ID for the operation instead.`,
    );
  });
});
