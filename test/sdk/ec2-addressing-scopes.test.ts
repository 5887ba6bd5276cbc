import {
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkInsightsAccessScopeCommand,
  CreateRouteCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteNetworkInsightsAccessScopeAnalysisCommand,
  DeleteNetworkInsightsAccessScopeCommand,
  DescribeNetworkInsightsAccessScopeAnalysesCommand,
  DescribeNetworkInsightsAccessScopesCommand,
  DescribeRouteTablesCommand,
  EC2Client,
  GetNetworkInsightsAccessScopeAnalysisFindingsCommand,
  GetNetworkInsightsAccessScopeContentCommand,
  RunInstancesCommand,
  StartNetworkInsightsAccessScopeAnalysisCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { internetFacingInstance } from "./ec2-fixtures.js";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("Network Access Analyzer", () => {
  it("finds instances reachable from the internet on port 22 once the route and the security group allow it", async () => {
    const { vpc, igw, sg, i } = await internetFacingInstance(sim.ec2);
    const created = await sim.ec2.send(
      new CreateNetworkInsightsAccessScopeCommand({
        ClientToken: "c1",
        MatchPaths: [
          {
            Source: { ResourceStatement: { ResourceTypes: ["AWS::EC2::InternetGateway"] } },
            Destination: { ResourceStatement: { Resources: [vpc] }, PacketHeaderStatement: { Protocols: ["tcp"], DestinationPorts: ["22"] } },
          },
        ],
        TagSpecifications: [{ ResourceType: "network-insights-access-scope", Tags: [{ Key: "k", Value: "v" }] }],
      }),
    );
    const scope = created.NetworkInsightsAccessScope!;
    expect(scope.NetworkInsightsAccessScopeId).toMatch(/^nis-[0-9a-f]{17}$/);
    expect(scope.Tags).toEqual([{ Key: "k", Value: "v" }]);
    const content = (await sim.ec2.send(new GetNetworkInsightsAccessScopeContentCommand({ NetworkInsightsAccessScopeId: scope.NetworkInsightsAccessScopeId! })))
      .NetworkInsightsAccessScopeContent!;
    expect(content.MatchPaths![0]!.Destination!.PacketHeaderStatement!.DestinationPorts).toEqual(["22"]);
    const run = async () => {
      const a = (
        await sim.ec2.send(
          new StartNetworkInsightsAccessScopeAnalysisCommand({ NetworkInsightsAccessScopeId: scope.NetworkInsightsAccessScopeId!, ClientToken: "x" }),
        )
      ).NetworkInsightsAccessScopeAnalysis!;
      expect(a.Status).toBe("running");
      return a.NetworkInsightsAccessScopeAnalysisId!;
    };
    const none = await run();
    const d = (await sim.ec2.send(new DescribeNetworkInsightsAccessScopeAnalysesCommand({ NetworkInsightsAccessScopeAnalysisIds: [none] })))
      .NetworkInsightsAccessScopeAnalyses![0]!;
    expect([d.Status, d.FindingsFound]).toEqual(["succeeded", "false"]);

    const rtb = (await sim.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpc] }] }))).RouteTables![0]!.RouteTableId!;
    await sim.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }));
    await sim.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpProtocol: "tcp", FromPort: 22, ToPort: 22, CidrIp: "0.0.0.0/0" }));
    const some = await run();
    const f = await sim.ec2.send(new GetNetworkInsightsAccessScopeAnalysisFindingsCommand({ NetworkInsightsAccessScopeAnalysisId: some }));
    expect(f.AnalysisStatus).toBe("succeeded");
    expect(f.AnalysisFindings).toHaveLength(1);
    expect(f.AnalysisFindings![0]!.FindingComponents!.map((c) => c.Component!.Id)).toEqual([igw, i]);
    const listed = (
      await sim.ec2.send(new DescribeNetworkInsightsAccessScopeAnalysesCommand({ NetworkInsightsAccessScopeId: scope.NetworkInsightsAccessScopeId! }))
    ).NetworkInsightsAccessScopeAnalyses!;
    expect(listed.map((x) => x.FindingsFound).sort()).toEqual(["false", "true"]);

    await expectAwsError(sim.ec2.send(new DeleteNetworkInsightsAccessScopeCommand({ NetworkInsightsAccessScopeId: scope.NetworkInsightsAccessScopeId! })), {
      name: "DependencyViolation",
      status: 400,
    });
    for (const id of [none, some]) await sim.ec2.send(new DeleteNetworkInsightsAccessScopeAnalysisCommand({ NetworkInsightsAccessScopeAnalysisId: id }));
    await sim.ec2.send(new DeleteNetworkInsightsAccessScopeCommand({ NetworkInsightsAccessScopeId: scope.NetworkInsightsAccessScopeId! }));
    expect((await sim.ec2.send(new DescribeNetworkInsightsAccessScopesCommand({}))).NetworkInsightsAccessScopes).toEqual([]);
    await expectAwsError(sim.ec2.send(new GetNetworkInsightsAccessScopeAnalysisFindingsCommand({ NetworkInsightsAccessScopeAnalysisId: some })), {
      name: "InvalidNetworkInsightsAccessScopeAnalysisId.NotFound",
      status: 400,
    });
  });

  it("exclude paths remove findings", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.42.0.0/16" }))).Vpc!.VpcId!;
    const sub = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.42.1.0/24" }))).Subnet!.SubnetId!;
    const sg = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "all", Description: "all", VpcId: vpc }))).GroupId!;
    await sim.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpProtocol: "-1", CidrIp: "10.42.0.0/16" }));
    const run = await sim.ec2.send(
      new RunInstancesCommand({ ImageId: "ami-0abcdef1234567890", MinCount: 2, MaxCount: 2, InstanceType: "t3.micro", SubnetId: sub, SecurityGroupIds: [sg] }),
    );
    const [a, b] = run.Instances!.map((x) => x.InstanceId!);
    const mk = async (exclude: boolean) =>
      (
        await sim.ec2.send(
          new CreateNetworkInsightsAccessScopeCommand({
            ClientToken: `t${exclude}`,
            MatchPaths: [{ Source: { ResourceStatement: { Resources: [a!] } }, Destination: { ResourceStatement: { Resources: [b!] } } }],
            ExcludePaths: exclude ? [{ Destination: { ResourceStatement: { Resources: [b!] } } }] : undefined,
          }),
        )
      ).NetworkInsightsAccessScope!.NetworkInsightsAccessScopeId!;
    const findings = async (scopeId: string) => {
      const id = (await sim.ec2.send(new StartNetworkInsightsAccessScopeAnalysisCommand({ NetworkInsightsAccessScopeId: scopeId, ClientToken: "y" })))
        .NetworkInsightsAccessScopeAnalysis!.NetworkInsightsAccessScopeAnalysisId!;
      return (await sim.ec2.send(new GetNetworkInsightsAccessScopeAnalysisFindingsCommand({ NetworkInsightsAccessScopeAnalysisId: id }))).AnalysisFindings!;
    };
    expect(await findings(await mk(false))).toHaveLength(1);
    expect(await findings(await mk(true))).toHaveLength(0);
    await expectAwsError(
      sim.ec2.send(new StartNetworkInsightsAccessScopeAnalysisCommand({ NetworkInsightsAccessScopeId: "nis-0123456789abcdef0", ClientToken: "z" })),
      {
        name: "InvalidNetworkInsightsAccessScopeId.NotFound",
        status: 400,
      },
    );
  });
});
