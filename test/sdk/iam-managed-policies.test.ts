/**
 * AWS managed policies as AWS's managed policy reference (docs.aws.amazon.com/aws-managed-policy/latest/reference/)
 * shows them: path, default version, description, creation/edit time and the default version's document.
 */
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  type Policy,
} from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const t = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));

interface Ref {
  path: string;
  version: string;
  description: string;
  /** "Creation time" and "Edited time" of the reference page (minute precision, UTC). */
  created: string;
  edited: string;
  statements?: unknown[];
}

// Copied from the reference pages (version, description, times, JSON policy document).
const REF: Record<string, Ref> = {
  AmazonECSTaskExecutionRolePolicy: {
    path: "/service-role/",
    version: "v1",
    description: "Provides access to other AWS service resources that are required to run Amazon ECS tasks",
    created: "2017-11-16T18:48",
    edited: "2017-11-16T18:48",
    statements: [
      {
        Effect: "Allow",
        Action: [
          "ecr:GetAuthorizationToken",
          "ecr:BatchCheckLayerAvailability",
          "ecr:GetDownloadUrlForLayer",
          "ecr:BatchGetImage",
          "logs:CreateLogStream",
          "logs:PutLogEvents",
        ],
        Resource: "*",
      },
    ],
  },
  AWSLambdaBasicExecutionRole: {
    path: "/service-role/",
    version: "v1",
    description: "Provides write permissions to CloudWatch Logs.",
    created: "2015-04-09T15:03",
    edited: "2015-04-09T15:03",
    statements: [{ Effect: "Allow", Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], Resource: "*" }],
  },
  AmazonEC2ContainerServiceRole: {
    path: "/service-role/",
    version: "v2",
    description: "Default policy for Amazon ECS service role.",
    created: "2015-04-09T16:14",
    edited: "2016-08-11T13:08",
    statements: [
      {
        Effect: "Allow",
        Action: [
          "ec2:AuthorizeSecurityGroupIngress",
          "ec2:Describe*",
          "elasticloadbalancing:DeregisterInstancesFromLoadBalancer",
          "elasticloadbalancing:DeregisterTargets",
          "elasticloadbalancing:Describe*",
          "elasticloadbalancing:RegisterInstancesWithLoadBalancer",
          "elasticloadbalancing:RegisterTargets",
        ],
        Resource: "*",
      },
    ],
  },
  PowerUserAccess: {
    path: "/",
    version: "v12",
    description: "Provides full access to AWS services and resources, but does not allow management of Users and groups.",
    created: "2015-02-06T18:39",
    edited: "2026-02-12T17:59",
    statements: [
      { Effect: "Allow", NotAction: ["iam:*", "organizations:*", "account:*"], Resource: "*" },
      {
        Effect: "Allow",
        Action: [
          "account:GetAccountInformation",
          "account:GetGovCloudAccountInformation",
          "account:GetPrimaryEmail",
          "account:ListRegions",
          "iam:CreateServiceLinkedRole",
          "iam:DeleteServiceLinkedRole",
          "iam:ListRoles",
          "organizations:DescribeEffectivePolicy",
          "organizations:DescribeOrganization",
        ],
        Resource: "*",
      },
    ],
  },
  IAMFullAccess: {
    path: "/",
    version: "v2",
    description: "Provides full access to IAM via the AWS Management Console.",
    created: "2015-02-06T18:40",
    edited: "2019-06-21T19:40",
    statements: [
      {
        Effect: "Allow",
        Action: [
          "iam:*",
          "organizations:DescribeAccount",
          "organizations:DescribeOrganization",
          "organizations:DescribeOrganizationalUnit",
          "organizations:DescribePolicy",
          "organizations:ListChildren",
          "organizations:ListParents",
          "organizations:ListPoliciesForTarget",
          "organizations:ListRoots",
          "organizations:ListPolicies",
          "organizations:ListTargetsForPolicy",
        ],
        Resource: "*",
      },
    ],
  },
  AmazonS3ReadOnlyAccess: {
    path: "/",
    version: "v3",
    description: "Provides read only access to all buckets via the AWS Management Console.",
    created: "2015-02-06T18:40",
    edited: "2023-08-10T21:31",
    statements: [{ Effect: "Allow", Action: ["s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*", "s3-object-lambda:List*"], Resource: "*" }],
  },
  AmazonSNSFullAccess: {
    path: "/",
    version: "v2",
    description: "Provides full access to Amazon SNS via the AWS Management Console.",
    created: "2015-02-06T18:41",
    edited: "2024-09-24T22:32",
    statements: [
      { Sid: "SNSFullAccess", Effect: "Allow", Action: "sns:*", Resource: "*" },
      {
        Sid: "SMSAccessViaSNS",
        Effect: "Allow",
        Action: [
          "sms-voice:DescribeVerifiedDestinationNumbers",
          "sms-voice:CreateVerifiedDestinationNumber",
          "sms-voice:SendDestinationNumberVerificationCode",
          "sms-voice:SendTextMessage",
          "sms-voice:DeleteVerifiedDestinationNumber",
          "sms-voice:VerifyDestinationNumber",
          "sms-voice:DescribeAccountAttributes",
          "sms-voice:DescribeSpendLimits",
          "sms-voice:DescribePhoneNumbers",
          "sms-voice:SetTextMessageSpendLimitOverride",
          "sms-voice:DescribeOptedOutNumbers",
          "sms-voice:DeleteOptedOutNumber",
        ],
        Resource: "*",
        Condition: { StringEquals: { "aws:CalledViaLast": "sns.amazonaws.com" } },
      },
    ],
  },
  AmazonEC2ReadOnlyAccess: {
    path: "/",
    version: "v5",
    description: "Provides read only access to Amazon EC2 via the AWS Management Console.",
    created: "2015-02-06T18:40",
    edited: "2026-02-12T18:03",
    statements: [
      { Effect: "Allow", Action: ["ec2:Describe*", "ec2:GetSecurityGroupsForVpc"], Resource: "*" },
      { Effect: "Allow", Action: "elasticloadbalancing:Describe*", Resource: "*" },
      { Effect: "Allow", Action: ["cloudwatch:ListMetrics", "cloudwatch:GetMetricStatistics", "cloudwatch:Describe*"], Resource: "*" },
      { Effect: "Allow", Action: "autoscaling:Describe*", Resource: "*" },
    ],
  },
  AmazonEC2ContainerServiceforEC2Role: {
    path: "/service-role/",
    version: "v10",
    description: "Default policy for the Amazon EC2 Role for Amazon EC2 Container Service.",
    created: "2015-03-19T18:45",
    edited: "2026-02-12T17:59",
  },
  AWSLambdaVPCAccessExecutionRole: {
    path: "/service-role/",
    version: "v3",
    description:
      "Provides minimum permissions for a Lambda function to execute while accessing a resource within a VPC - create, describe, delete network interfaces and write permissions to CloudWatch Logs. ",
    created: "2016-02-11T23:15",
    edited: "2024-01-05T22:38",
  },
  AmazonSSMManagedInstanceCore: {
    path: "/",
    version: "v2",
    description: "The policy for Amazon EC2 Role to enable AWS Systems Manager service core functionality.",
    created: "2019-03-15T17:22",
    edited: "2019-05-23T16:54",
  },
  AmazonElasticFileSystemReadOnlyAccess: {
    path: "/",
    version: "v9",
    description: "Provides read only access to Amazon EFS via the AWS Management Console.",
    created: "2015-05-27T16:25",
    edited: "2024-11-07T19:39",
  },
  ViewOnlyAccess: {
    path: "/job-function/",
    version: "v45",
    description: "This policy grants permissions to view resources and basic metadata across all AWS services.",
    created: "2016-11-10T17:20",
    edited: "2026-04-22T18:12",
  },
};

const arnOf = (name: string) => `arn:aws:iam::aws:policy${REF[name]!.path}${name}`;
const minute = (d: Date | undefined) => d!.toISOString().slice(0, 16);

describe("AWS managed policies (AWS's managed policy reference)", () => {
  it("GetPolicy answers each policy's path, default version, description, dates and no attachments", async () => {
    for (const [name, ref] of Object.entries(REF)) {
      const p = (await t.iam.send(new GetPolicyCommand({ PolicyArn: arnOf(name) }))).Policy!;
      expect({ name: p.PolicyName, path: p.Path, version: p.DefaultVersionId, description: p.Description }).toEqual({
        name,
        path: ref.path,
        version: ref.version,
        description: ref.description,
      });
      expect([minute(p.CreateDate), minute(p.UpdateDate)]).toEqual([ref.created, ref.edited]);
      expect(p.AttachmentCount).toBe(0);
      expect(p.IsAttachable).toBe(true);
      expect(p.PolicyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
    }
  });

  it("GetPolicyVersion returns the reference's document for the default version (URL-encoded, as IAM sends it)", async () => {
    for (const [name, ref] of Object.entries(REF)) {
      if (!ref.statements) continue;
      const v = (await t.iam.send(new GetPolicyVersionCommand({ PolicyArn: arnOf(name), VersionId: ref.version }))).PolicyVersion!;
      expect(v.IsDefaultVersion).toBe(true);
      expect(v.Document).not.toContain("{");
      expect(JSON.parse(decodeURIComponent(v.Document!))).toEqual({ Version: "2012-10-17", Statement: ref.statements });
      expect(minute(v.CreateDate)).toBe(ref.edited);
    }
  });

  it("ListPolicyVersions lists the default version; an unknown version id is NoSuchEntity", async () => {
    const arn = arnOf("AmazonECSTaskExecutionRolePolicy");
    const vs = (await t.iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions!;
    expect(vs.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([["v1", true]]);
    await expectAwsError(t.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v2" })), {
      name: "NoSuchEntityException",
      status: 404,
      message: `Policy ${arn} version v2 does not exist or is not attachable.`,
    });
  });

  it("attaching counts in AttachmentCount; detaching takes it back", async () => {
    await t.iam.send(new CreateRoleCommand({ RoleName: "mp-exec", AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [] }) }));
    const arn = arnOf("AmazonECSTaskExecutionRolePolicy");
    await t.iam.send(new AttachRolePolicyCommand({ RoleName: "mp-exec", PolicyArn: arn }));
    expect((await t.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.AttachmentCount).toBe(1);
    await t.iam.send(new DetachRolePolicyCommand({ RoleName: "mp-exec", PolicyArn: arn }));
    expect((await t.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.AttachmentCount).toBe(0);
  });

  it("ListPolicies Scope=AWS lists every AWS managed policy and paginates with MaxItems/Marker; Scope=Local does not", async () => {
    const seen: Policy[] = [];
    let Marker: string | undefined;
    let pages = 0;
    do {
      const r = await t.iam.send(new ListPoliciesCommand({ Scope: "AWS", MaxItems: 100, Marker }));
      expect(r.Policies!.length).toBeLessThanOrEqual(100);
      seen.push(...r.Policies!);
      Marker = r.IsTruncated ? r.Marker : undefined;
      if (r.IsTruncated) expect(r.Marker).toBeTruthy();
      pages++;
    } while (Marker && pages < 100);
    const arns = seen.map((p) => p.Arn!);
    expect(new Set(arns).size).toBe(arns.length);
    // AWS publishes well over a thousand; the data awsim serves holds 1,485.
    expect(arns.length).toBeGreaterThan(1400);
    expect(pages).toBe(Math.ceil(arns.length / 100));
    for (const name of Object.keys(REF)) expect(arns).toContain(arnOf(name));
    for (const arn of [
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
      "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
      "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
      "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
      "arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy",
    ])
      expect(arns).toContain(arn);
    // In the order AWS creates them: the oldest first.
    const created = seen.map((p) => p.CreateDate!.getTime());
    expect(created).toEqual([...created].sort((a, b) => a - b));
    const first = await t.iam.send(new ListPoliciesCommand({ Scope: "AWS", MaxItems: 1000 }));
    const second = await t.iam.send(new ListPoliciesCommand({ Scope: "AWS", MaxItems: 1000, Marker: first.Marker }));
    expect(first.IsTruncated).toBe(true);
    expect(second.IsTruncated).toBe(false);
    expect([...first.Policies!, ...second.Policies!].map((p) => p.Arn)).toEqual(arns);
    const local = (await t.iam.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies!.map((p) => p.Arn);
    expect(local.filter((a) => a!.startsWith("arn:aws:iam::aws:"))).toEqual([]);
    const jobs = (await t.iam.send(new ListPoliciesCommand({ Scope: "AWS", PathPrefix: "/job-function/" }))).Policies!;
    expect(jobs.map((p) => p.PolicyName)).toContain("ViewOnlyAccess");
    expect(jobs.every((p) => p.Path === "/job-function/")).toBe(true);
  });

  it("any AWS managed policy attaches, with its path, default version and document (AmazonSSMManagedInstanceCore)", async () => {
    await t.iam.send(new CreateRoleCommand({ RoleName: "mp-ssm", AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [] }) }));
    const arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";
    await t.iam.send(new AttachRolePolicyCommand({ RoleName: "mp-ssm", PolicyArn: arn }));
    const p = (await t.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!;
    expect(p).toMatchObject({ PolicyName: "AmazonSSMManagedInstanceCore", Path: "/", DefaultVersionId: "v2", AttachmentCount: 1, IsAttachable: true });
    expect(p.CreateDate!.toISOString()).toBe("2019-03-15T17:22:12.000Z");
    expect(p.UpdateDate!.toISOString()).toBe("2019-05-23T16:54:21.000Z");
    const doc = (await t.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v2" }))).PolicyVersion!.Document!;
    const statements = JSON.parse(decodeURIComponent(doc)).Statement as Array<{ Action: string[] }>;
    expect(statements.flatMap((s) => s.Action)).toEqual(
      expect.arrayContaining(["ssm:UpdateInstanceInformation", "ssmmessages:CreateControlChannel", "ec2messages:GetMessages"]),
    );
    expect(Object.keys(JSON.parse(decodeURIComponent(doc)))).toEqual(["Version", "Statement"]);
  });

  it("a service-linked role's policy does not attach to a customer role: PolicyNotAttachable", async () => {
    await t.iam.send(new CreateRoleCommand({ RoleName: "mp-slr", AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [] }) }));
    const arn = "arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy";
    await expectAwsError(t.iam.send(new AttachRolePolicyCommand({ RoleName: "mp-slr", PolicyArn: arn })), {
      name: "PolicyNotAttachableException",
      status: 400,
      message: "Cannot attach a Service Role Policy to a Customer Role.",
    });
    expect((await t.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.AttachmentCount).toBe(0);
  });

  it("an AWS managed policy awsim does not serve is NoSuchEntity, as any unknown AWS policy", async () => {
    await t.iam.send(new CreateRoleCommand({ RoleName: "mp-none", AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [] }) }));
    const arn = "arn:aws:iam::aws:policy/NoSuchAwsManagedPolicy";
    await expectAwsError(t.iam.send(new AttachRolePolicyCommand({ RoleName: "mp-none", PolicyArn: arn })), {
      name: "NoSuchEntityException",
      status: 404,
      message: `Policy ${arn} does not exist or is not attachable.`,
    });
    await expectAwsError(t.iam.send(new GetPolicyCommand({ PolicyArn: arn })), { name: "NoSuchEntityException", status: 404 });
  });
});
