import {
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkInsightsPathCommand,
  CreateRouteCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteNetworkInsightsAnalysisCommand,
  DeleteNetworkInsightsPathCommand,
  DescribeNetworkInsightsAnalysesCommand,
  DescribeNetworkInsightsPathsCommand,
  DescribeRouteTablesCommand,
  EC2Client,
  RunInstancesCommand,
  StartNetworkInsightsAnalysisCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { internetFacingInstance } from "./ec2-fixtures.js";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg) }));

const analyze = async (NetworkInsightsPathId: string) => {
  const started = (await sim.ec2.send(new StartNetworkInsightsAnalysisCommand({ NetworkInsightsPathId, ClientToken: `${Math.random()}` })))
    .NetworkInsightsAnalysis!;
  expect(started.Status).toBe("running");
  return (await sim.ec2.send(new DescribeNetworkInsightsAnalysesCommand({ NetworkInsightsAnalysisIds: [started.NetworkInsightsAnalysisId!] })))
    .NetworkInsightsAnalyses![0]!;
};

describe("Network Insights", () => {
  it("reachability between instances follows security groups", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.40.0.0/16" }))).Vpc!.VpcId!;
    const sub = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.40.1.0/24" }))).Subnet!.SubnetId!;
    const web = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "web", Description: "web", VpcId: vpc }))).GroupId!;
    const app = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "app", Description: "app", VpcId: vpc }))).GroupId!;
    const run = async (sg: string) =>
      (
        await sim.ec2.send(
          new RunInstancesCommand({
            ImageId: "ami-0abcdef1234567890",
            MinCount: 1,
            MaxCount: 1,
            InstanceType: "t3.micro",
            SubnetId: sub,
            SecurityGroupIds: [sg],
          }),
        )
      ).Instances![0]!.InstanceId!;
    const a = await run(web);
    const b = await run(app);
    const path = (
      await sim.ec2.send(
        new CreateNetworkInsightsPathCommand({
          Source: a,
          Destination: b,
          Protocol: "tcp",
          DestinationPort: 8080,
          ClientToken: "t1",
          TagSpecifications: [{ ResourceType: "network-insights-path", Tags: [{ Key: "n", Value: "web-app" }] }],
        }),
      )
    ).NetworkInsightsPath!;
    expect(path.NetworkInsightsPathId).toMatch(/^nip-[0-9a-f]{17}$/);
    expect(path.SourceArn).toBe(`arn:aws:ec2:us-east-1:000000000000:instance/${a}`);
    const blocked = await analyze(path.NetworkInsightsPathId!);
    expect(blocked.NetworkInsightsAnalysisId).toMatch(/^nia-[0-9a-f]{17}$/);
    expect(blocked.Status).toBe("succeeded");
    expect(blocked.NetworkPathFound).toBe(false);
    expect(blocked.Explanations![0]!.ExplanationCode).toBe("ENI_SG_RULES_MISMATCH");
    expect(blocked.Explanations![0]!.Direction).toBe("ingress");

    await sim.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: app,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: web }] }],
      }),
    );
    const open = await analyze(path.NetworkInsightsPathId!);
    expect(open.NetworkPathFound).toBe(true);
    expect(open.ForwardPathComponents!.map((c) => c.Component!.Id)).toEqual([a, b]);
    const found = await sim.ec2.send(
      new DescribeNetworkInsightsAnalysesCommand({ NetworkInsightsPathId: path.NetworkInsightsPathId!, Filters: [{ Name: "path-found", Values: ["true"] }] }),
    );
    expect(found.NetworkInsightsAnalyses!.map((x) => x.NetworkInsightsAnalysisId)).toEqual([open.NetworkInsightsAnalysisId]);

    await expectAwsError(sim.ec2.send(new DeleteNetworkInsightsPathCommand({ NetworkInsightsPathId: path.NetworkInsightsPathId! })), {
      name: "DependencyViolation",
      status: 400,
    });
    for (const x of [blocked, open]) await sim.ec2.send(new DeleteNetworkInsightsAnalysisCommand({ NetworkInsightsAnalysisId: x.NetworkInsightsAnalysisId! }));
    await sim.ec2.send(new DeleteNetworkInsightsPathCommand({ NetworkInsightsPathId: path.NetworkInsightsPathId! }));
    await expectAwsError(sim.ec2.send(new DescribeNetworkInsightsPathsCommand({ NetworkInsightsPathIds: [path.NetworkInsightsPathId!] })), {
      name: "InvalidNetworkInsightsPathId.NotFound",
      status: 400,
    });
  });

  it("internet gateway to an instance needs a route, a public address and an open port", async () => {
    const { vpc, igw, sg, i } = await internetFacingInstance(sim.ec2);
    const path = (
      await sim.ec2.send(
        new CreateNetworkInsightsPathCommand({
          Source: igw,
          Destination: i,
          Protocol: "tcp",
          FilterAtSource: { DestinationPortRange: { FromPort: 22, ToPort: 22 } },
          ClientToken: "t2",
        }),
      )
    ).NetworkInsightsPath!;
    expect(path.FilterAtSource!.DestinationPortRange).toEqual({ FromPort: 22, ToPort: 22 });
    const noRoute = await analyze(path.NetworkInsightsPathId!);
    expect([noRoute.NetworkPathFound, noRoute.Explanations![0]!.ExplanationCode]).toEqual([false, "NO_ROUTE_TO_DESTINATION"]);

    const rtb = (await sim.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpc] }] }))).RouteTables![0]!.RouteTableId!;
    await sim.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }));
    const closed = await analyze(path.NetworkInsightsPathId!);
    expect(closed.Explanations![0]!.ExplanationCode).toBe("ENI_SG_RULES_MISMATCH");
    await sim.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpProtocol: "tcp", FromPort: 22, ToPort: 22, CidrIp: "0.0.0.0/0" }));
    const ok = await analyze(path.NetworkInsightsPathId!);
    expect(ok.NetworkPathFound).toBe(true);
    expect(ok.ForwardPathComponents!.map((c) => c.Component!.Id)).toEqual([igw, i]);

    await expectAwsError(
      sim.ec2.send(new CreateNetworkInsightsPathCommand({ Source: "i-0123456789abcdef0", Destination: igw, Protocol: "tcp", ClientToken: "t3" })),
      {
        name: "InvalidInstanceID.NotFound",
        status: 400,
      },
    );
  });
});
