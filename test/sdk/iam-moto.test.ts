/** IAM scenarios replayed from moto's suite where awsim answered differently from AWS (AWS facts from aws_verified tests and AWS's docs). */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
} from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const DOC = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListBucket", Resource: "*" }] });

describe("IAM (moto scenarios)", () => {
  const sim = useServer({ reset: "iam" }, (cfg) => ({ iam: new IAMClient(cfg) }));

  it("CreatePolicy does not echo the Description; GetPolicy shows it, ListPolicies does not", async () => {
    const created = (
      await sim.iam.send(
        new CreatePolicyCommand({
          PolicyName: "described",
          Path: "/d/",
          PolicyDocument: DOC,
          Description: "test description",
          Tags: [{ Key: "k", Value: "v" }],
        }),
      )
    ).Policy!;
    expect(created.Description).toBeUndefined();
    expect(created.Tags).toEqual([{ Key: "k", Value: "v" }]);
    const got = (await sim.iam.send(new GetPolicyCommand({ PolicyArn: created.Arn }))).Policy!;
    expect(got.Description).toBe("test description");
    const listed = (await sim.iam.send(new ListPoliciesCommand({ PathPrefix: "/d/" }))).Policies!;
    expect(listed.map((p) => [p.PolicyName, p.Description, p.Tags])).toEqual([["described", undefined, undefined]]);
  });

  it("Application Auto Scaling's service-linked roles are named <family>_<resource>", async () => {
    const names: Record<string, string> = {
      "custom-resource.application-autoscaling.amazonaws.com": "AWSServiceRoleForApplicationAutoScaling_CustomResource",
      "dynamodb.application-autoscaling.amazonaws.com": "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable",
      "lambda.application-autoscaling.amazonaws.com": "AWSServiceRoleForApplicationAutoScaling_LambdaConcurrency",
      "elasticache.application-autoscaling.amazonaws.com": "AWSServiceRoleForApplicationAutoScaling_ElastiCacheRG",
    };
    for (const [service, name] of Object.entries(names)) {
      const role = (await sim.iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: service }))).Role!;
      expect(role.RoleName).toBe(name);
      expect(role.Path).toBe(`/aws-service-role/${service}/`);
      expect((await sim.iam.send(new GetRoleCommand({ RoleName: name }))).Role!.Arn).toBe(`arn:aws:iam::000000000000:role/aws-service-role/${service}/${name}`);
    }
    const suffixed = (
      await sim.iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: "custom-resource.application-autoscaling.amazonaws.com", CustomSuffix: "x" }))
    ).Role!;
    expect(suffixed.RoleName).toBe("AWSServiceRoleForApplicationAutoScaling_CustomResource_x");
  });

  it("AWS managed policies that EKS node groups and Lambda event sources attach exist, with AWS's documents", async () => {
    await sim.iam.send(new CreateRoleCommand({ RoleName: "nodes", AssumeRolePolicyDocument: TRUST }));
    const arns = [
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
      "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
      "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
      "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
      "arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess",
    ];
    for (const PolicyArn of arns) await sim.iam.send(new AttachRolePolicyCommand({ RoleName: "nodes", PolicyArn }));
    const attached = (await sim.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "nodes" }))).AttachedPolicies!;
    expect(attached.map((p) => p.PolicyArn).sort()).toEqual([...arns].sort());
    const worker = (await sim.iam.send(new GetPolicyCommand({ PolicyArn: arns[0] }))).Policy!;
    expect([worker.PolicyName, worker.Path, worker.DefaultVersionId, worker.AttachmentCount, worker.IsAttachable]).toEqual([
      "AmazonEKSWorkerNodePolicy",
      "/",
      "v3",
      1,
      true,
    ]);
    const v = (await sim.iam.send(new GetPolicyVersionCommand({ PolicyArn: arns[0], VersionId: "v3" }))).PolicyVersion!;
    const doc = JSON.parse(decodeURIComponent(v.Document!));
    expect(doc.Statement[0].Action).toContain("eks:DescribeCluster");
    expect(v.IsDefaultVersion).toBe(true);
    const lambdaRole = "arn:aws:iam::aws:policy/service-role/AWSLambdaRole";
    const lv = (await sim.iam.send(new GetPolicyVersionCommand({ PolicyArn: lambdaRole, VersionId: "v1" }))).PolicyVersion!;
    expect(JSON.parse(decodeURIComponent(lv.Document!))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: ["*"] }],
    });
    const kinesis = (await sim.iam.send(new GetPolicyCommand({ PolicyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole" }))).Policy!;
    expect([kinesis.DefaultVersionId, kinesis.Description]).toEqual([
      "v2",
      "Provides list and read access to Kinesis streams and write permissions to CloudWatch logs.",
    ]);
  });

  it("the EMR service-role policies attach and detach; OnlyAttached lists what is attached; detaching again is NoSuchEntity", async () => {
    await sim.iam.send(new CreateRoleCommand({ RoleName: "emr", AssumeRolePolicyDocument: TRUST }));
    const emr = "arn:aws:iam::aws:policy/service-role/AmazonElasticMapReduceRole";
    const ec2 = "arn:aws:iam::aws:policy/service-role/AmazonElasticMapReduceforEC2Role";
    const ct = "arn:aws:iam::aws:policy/service-role/AWSControlTowerServiceRolePolicy";
    for (const PolicyArn of [emr, ec2, ct]) await sim.iam.send(new AttachRolePolicyCommand({ RoleName: "emr", PolicyArn }));
    const attached = (await sim.iam.send(new ListPoliciesCommand({ OnlyAttached: true }))).Policies!;
    // Listed in the order the policies were created, as AWS's recorded answers show (not by ARN).
    expect(attached.map((p) => [p.PolicyName, p.Path, p.AttachmentCount])).toEqual([
      ["AmazonElasticMapReduceRole", "/service-role/", 1],
      ["AmazonElasticMapReduceforEC2Role", "/service-role/", 1],
      ["AWSControlTowerServiceRolePolicy", "/service-role/", 1],
    ]);
    expect((await sim.iam.send(new GetPolicyCommand({ PolicyArn: ec2 }))).Policy!.DefaultVersionId).toBe("v3");
    await sim.iam.send(new DetachRolePolicyCommand({ RoleName: "emr", PolicyArn: emr }));
    expect((await sim.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "emr" }))).AttachedPolicies!.map((p) => p.PolicyName)).toEqual([
      "AmazonElasticMapReduceforEC2Role",
      "AWSControlTowerServiceRolePolicy",
    ]);
    await expectAwsError(sim.iam.send(new DetachRolePolicyCommand({ RoleName: "emr", PolicyArn: emr })), {
      name: "NoSuchEntityException",
      status: 404,
      message: `Policy ${emr} was not found.`,
    });
  });
});
