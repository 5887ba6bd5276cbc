/**
 * EC2 as the other SDK teams' integration tests (wave 2) assert it against real AWS, replayed against awsim:
 * aws-sdk-cpp tests/aws-cpp-sdk-ec2-integration-tests (EC2Tests, EC2PaginationIntegrationTest, EC2TestsDualStack) and
 * generated/smoke-tests/ec2, smithy-lang/smithy-rs aws/sdk/integration-tests/ec2 (waiters.rs, paginators.rs), and the
 * PHP/Go v1/Java v1 ec2.feature smoke scenarios. Each test names its source.
 */
import {
  AllocateAddressCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteInternetGatewayCommand,
  DeleteNatGatewayCommand,
  DeleteRouteCommand,
  DescribeRouteTablesCommand,
  DetachInternetGatewayCommand,
  TerminateInstancesCommand,
  DeleteSecurityGroupCommand,
  DescribeHostsCommand,
  DescribeInstancesCommand,
  DescribeRegionsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSpotFleetRequestsCommand,
  DescribeSpotPriceHistoryCommand,
  type DescribeSpotPriceHistoryCommandInput,
  EC2Client,
  paginateDescribeSpotPriceHistory,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  DescribeInstanceStatusCommand,
  waitUntilInstanceRunning,
  waitUntilInstanceStatusOk,
  waitUntilInstanceStopped,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: "ec2" }, (cfg, server) => ({
  ec2: new EC2Client(cfg),
  west: new EC2Client(clientConfig(server, { region: "us-west-2" })),
  north: new EC2Client(clientConfig(server, { region: "eu-north-1" })),
}));

/** A server whose instances take 800 ms per transition (pending → running, then the status checks). */
const slow = useServer({ transitionDelayMs: 800 }, (cfg) => ({ ec2: new EC2Client(cfg) }));

/** Every page of DescribeSpotPriceHistory, following NextToken by hand as the C++ test does. */
async function allPrices(input: DescribeSpotPriceHistoryCommandInput) {
  const prices = [];
  let pages = 0;
  let token: string | undefined;
  do {
    const r = await sim.ec2.send(new DescribeSpotPriceHistoryCommand({ ...input, NextToken: token }));
    expect(r.SpotPriceHistory!.length).toBeLessThanOrEqual(input.MaxResults!);
    prices.push(...r.SpotPriceHistory!);
    token = r.NextToken || undefined;
    pages++;
  } while (token && pages < 100);
  return { prices, pages, token };
}

describe("EC2 as the other SDKs' integration tests expect", () => {
  // aws-sdk-cpp EC2PaginationIntegrationTest TestSpotPriceHistoryPagination / MultipleIteration / ManualPaginationWithNextToken
  it("DescribeSpotPriceHistory pages by MaxResults to the same prices, and through a day's history", async () => {
    const input = { AvailabilityZone: "us-east-1a", ProductDescriptions: ["Linux/UNIX (Amazon VPC)"], InstanceTypes: ["t1.micro" as const] };
    const ten = await allPrices({ ...input, StartTime: new Date(Date.now() - 1), MaxResults: 10 });
    const five = await allPrices({ ...input, StartTime: new Date(Date.now() - 1), MaxResults: 5 });
    expect(ten.prices.length).toBeGreaterThanOrEqual(1);
    expect(five.prices.length).toBe(ten.prices.length);
    const day = await allPrices({ ...input, StartTime: new Date(Date.now() - 86_400_000), MaxResults: 3 });
    expect(day.token).toBeUndefined();
    expect(day.prices.length).toBeGreaterThanOrEqual(ten.prices.length);
    for (const p of day.prices) expect(p).toMatchObject({ AvailabilityZone: "us-east-1a", InstanceType: "t1.micro" });
  });

  // smithy-rs integration-tests/ec2/tests/paginators.rs (awslabs/aws-sdk-rust#391, #405): the paginator stops after
  // a page with no further token
  it("the DescribeSpotPriceHistory paginator ends after its last page", async () => {
    const pages = [];
    const input = { InstanceTypes: ["g5.48xlarge" as const], ProductDescriptions: ["Linux/UNIX"], AvailabilityZone: "eu-north-1a" };
    for await (const page of paginateDescribeSpotPriceHistory({ client: sim.north }, input)) {
      pages.push(page);
      if (pages.length > 5) break;
    }
    expect(pages).toHaveLength(1);
    expect(pages[0]!.NextToken).toBeUndefined();
  });

  // smithy-rs integration-tests/ec2/tests/waiters.rs waiters_success (recorded against us-west-2)
  it("StartInstances of a stopped instance answers pending after stopped (80); InstanceStatusOk then succeeds", async () => {
    const run = await sim.west.send(new RunInstancesCommand({ ImageId: "ami-12345678", MinCount: 1, MaxCount: 1, InstanceType: "t3.micro" }));
    const id = run.Instances![0]!.InstanceId!;
    await sim.west.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await waitUntilInstanceStopped({ client: sim.west, maxWaitTime: 30, minDelay: 1 }, { InstanceIds: [id] });
    const start = await sim.west.send(new StartInstancesCommand({ InstanceIds: [id] }));
    expect(start.StartingInstances).toEqual([{ InstanceId: id, CurrentState: { Code: 0, Name: "pending" }, PreviousState: { Code: 80, Name: "stopped" } }]);
    const ok = await waitUntilInstanceStatusOk({ client: sim.west, maxWaitTime: 30, minDelay: 1 }, { InstanceIds: [id] });
    expect(ok.state).toBe("SUCCESS");
  });

  // aws-sdk-cpp EC2Tests CreateSecurityGroup (and its DeleteSecurityGroup / WaitOnSecurityGroupState helpers), DescribeSpotFleet
  it("a security group made by name in the default VPC is described, deleted by name, then InvalidGroup.NotFound", async () => {
    const name = "CppSDKIntegrationTestSecurityGroup1234";
    const missing = await expectAwsError(sim.ec2.send(new DeleteSecurityGroupCommand({ GroupName: name })), { name: "InvalidGroup.NotFound", status: 400 });
    expect(missing.message).toMatch(new RegExp(`^The security group '${name}' does not exist in default VPC 'vpc-[0-9a-f]+'$`));
    const created = await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: "A dummy description" }));
    const d = await sim.ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: [name] }));
    expect(d.SecurityGroups?.map((g) => [g.GroupId, g.GroupName, g.Description])).toEqual([[created.GroupId, name, "A dummy description"]]);
    await sim.ec2.send(new DeleteSecurityGroupCommand({ GroupName: name }));
    await expectAwsError(sim.ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: [name] })), { name: "InvalidGroup.NotFound", status: 400 });
    expect((await sim.ec2.send(new DescribeSpotFleetRequestsCommand({}))).SpotFleetRequestConfigs).toEqual([]);
  });

  // aws-sdk-cpp EC2TestsDualStack TestDualStackEndpoint; generated/smoke-tests/ec2 EC2SmokeTests; aws-sdk-php
  // features/smoke/ec2/ec2.feature
  it("DescribeHosts and DescribeRegions succeed; DescribeInstances of i-12345678 fails with its message", async () => {
    expect((await sim.ec2.send(new DescribeHostsCommand({}))).Hosts).toEqual([]);
    expect((await sim.west.send(new DescribeRegionsCommand({}))).Regions?.length).toBeGreaterThan(10);
    await expectAwsError(sim.west.send(new DescribeInstancesCommand({ InstanceIds: ["i-12345678"] })), {
      name: "InvalidInstanceID.NotFound",
      status: 400,
      message: "The instance ID 'i-12345678' does not exist",
    });
  });

  // aws-sdk-net NetStandard IntegrationTests/EC2/EC2TestHelper.deleteTestVpcAsync: IGWs are detached and deleted
  // before each route whose GatewayId is not "local" is deleted. A route whose target is gone is a blackhole (the
  // model's Route.State: "the specified gateway isn't attached to the VPC, or the specified NAT instance has been
  // terminated"), and it can still be deleted.
  it("routes to a detached gateway, a deleted NAT gateway or a terminated instance are blackholes", async () => {
    const vpcId = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    const subnetId = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.0.1.0/24" }))).Subnet!.SubnetId!;
    const igw = (await sim.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await sim.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    const rtb = (await sim.ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    const eip = await sim.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
    const nat = (await sim.ec2.send(new CreateNatGatewayCommand({ SubnetId: subnetId, AllocationId: eip.AllocationId }))).NatGateway!.NatGatewayId!;
    const run = await sim.ec2.send(new RunInstancesCommand({ ImageId: "ami-12345678", MinCount: 1, MaxCount: 1, SubnetId: subnetId }));
    const instance = run.Instances![0]!.InstanceId!;
    await sim.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }));
    await sim.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "10.1.0.0/16", NatGatewayId: nat }));
    await sim.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "10.2.0.0/16", InstanceId: instance }));
    const states = async () => {
      const t = (await sim.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!;
      return Object.fromEntries(t.Routes!.map((r) => [r.DestinationCidrBlock, r.State]));
    };
    expect(await states()).toEqual({ "10.0.0.0/16": "active", "0.0.0.0/0": "active", "10.1.0.0/16": "active", "10.2.0.0/16": "active" });
    await sim.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    expect((await states())["0.0.0.0/0"]).toBe("blackhole");
    const byState = await sim.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "route.state", Values: ["blackhole"] }] }));
    expect(byState.RouteTables?.map((t) => t.RouteTableId)).toEqual([rtb]);
    await sim.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw }));
    await sim.ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: nat }));
    await sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [instance] }));
    expect(await states()).toEqual({ "10.0.0.0/16": "active", "0.0.0.0/0": "blackhole", "10.1.0.0/16": "blackhole", "10.2.0.0/16": "blackhole" });
    await sim.ec2.send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0" }));
    expect(Object.keys(await states())).toEqual(["10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16"]);
  });

  // smithy-rs integration-tests/ec2/tests/instance-status-ok-waiter-success.json (recorded against AWS): right after
  // StartInstances DescribeInstanceStatus answers no status (the instance is pending), then the running instance's
  // system and instance checks are "initializing" (reachability "initializing") for a while, then "ok" ("passed").
  it("under a transition delay a running instance's status checks are initializing before ok", async () => {
    const id = (await slow.ec2.send(new RunInstancesCommand({ ImageId: "ami-12345678", MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
    expect((await slow.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }))).InstanceStatuses).toEqual([]);
    await waitUntilInstanceRunning({ client: slow.ec2, maxWaitTime: 10, minDelay: 0.1, maxDelay: 0.1 }, { InstanceIds: [id] });
    const early = (await slow.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }))).InstanceStatuses![0]!;
    expect(early.InstanceState).toEqual({ Code: 16, Name: "running" });
    const initializing = { Status: "initializing", Details: [{ Name: "reachability", Status: "initializing" }] };
    expect([early.SystemStatus, early.InstanceStatus]).toEqual([initializing, initializing]);
    const filtered = await slow.ec2.send(new DescribeInstanceStatusCommand({ Filters: [{ Name: "instance-status.status", Values: ["initializing"] }] }));
    expect(filtered.InstanceStatuses?.map((x) => x.InstanceId)).toEqual([id]);
    const ok = await waitUntilInstanceStatusOk({ client: slow.ec2, maxWaitTime: 10, minDelay: 0.1, maxDelay: 0.1 }, { InstanceIds: [id] });
    expect(ok.state).toBe("SUCCESS");
    const later = (await slow.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }))).InstanceStatuses![0]!;
    expect(later.InstanceStatus).toEqual({ Status: "ok", Details: [{ Name: "reachability", Status: "passed" }] });
  });
});
