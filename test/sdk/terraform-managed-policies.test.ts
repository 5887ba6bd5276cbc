/**
 * Terraform with the real hashicorp/aws provider and AWS managed policies outside the commonly attached few: an EC2
 * instance role with AmazonSSMManagedInstanceCore and CloudWatchAgentServerPolicy found by name through the
 * `aws_iam_policy` data source (which pages through ListPolicies), an EKS cluster role with AmazonEKSClusterPolicy,
 * plan clean, destroy (PolicyNotAttachable for a service-linked role's policy is in iam-managed-policies.test.ts).
 * The same stack looks up AWS's public AMIs with `aws_ami` (owners, name patterns, most_recent).
 */
import { GetPolicyCommand, IAMClient, ListAttachedRolePoliciesCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsimServer, clientConfig, startServer } from "../helpers.js";
import { attachedProvider, awsProvider, terraformAvailable, terraformDir, tf } from "../terraform.js";

const enabled = terraformAvailable("the Terraform AWS managed policy stack");

const TRUST = (service: string) =>
  `jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "${service}" }, Action = "sts:AssumeRole" }] })`;

const STACK = `${awsProvider({ header: true, services: ["ec2", "iam", "sts"] })}
# AWS's public AMIs (ec2-public-images.test.ts): lookups by owner and name pattern, newest by CreationDate.
data "aws_ami" "al2" {
  most_recent = true
  owners      = ["amazon"]
  filter {
    name   = "name"
    values = ["amzn2-ami-hvm-*-x86_64-gp2"]
  }
  filter {
    name   = "virtualization-type"
    values = ["hvm"]
  }
}

data "aws_ami" "ecs" {
  most_recent = true
  owners      = ["amazon"]
  filter {
    name   = "name"
    values = ["al2023-ami-ecs-hvm-*-kernel-6.1-x86_64"]
  }
}

output "al2" {
  value = data.aws_ami.al2.id
}

output "ecs" {
  value = "\${data.aws_ami.ecs.id} \${data.aws_ami.ecs.name}"
}

data "aws_iam_policy" "ssm" {
  name = "AmazonSSMManagedInstanceCore"
}

data "aws_iam_policy" "cwagent" {
  arn = "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"
}

resource "aws_iam_role" "node" {
  name               = "tf-node"
  assume_role_policy = ${TRUST("ec2.amazonaws.com")}
}

resource "aws_iam_role_policy_attachment" "ssm" {
  role       = aws_iam_role.node.name
  policy_arn = data.aws_iam_policy.ssm.arn
}

resource "aws_iam_role_policy_attachment" "cwagent" {
  role       = aws_iam_role.node.name
  policy_arn = data.aws_iam_policy.cwagent.arn
}

resource "aws_iam_instance_profile" "node" {
  name = "tf-node"
  role = aws_iam_role.node.name
}

resource "aws_iam_role" "eks" {
  name               = "tf-eks"
  assume_role_policy = ${TRUST("eks.amazonaws.com")}
}

resource "aws_iam_role_policy_attachment" "eks" {
  role       = aws_iam_role.eks.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"
}

output "ssm_arn" {
  value = data.aws_iam_policy.ssm.arn
}

output "ssm_policy" {
  value = data.aws_iam_policy.ssm.policy
}
`;

describe.skipIf(!enabled)("terraform: AWS managed policies", () => {
  let server: AwsimServer;
  let iam: IAMClient;
  let provider: Awaited<ReturnType<typeof attachedProvider>> | undefined;
  beforeAll(async () => {
    server = await startServer();
    iam = new IAMClient(clientConfig(server));
  });
  afterAll(async () => {
    provider?.stop();
    await server?.stop();
  });

  it("finds them by name, attaches them, plans no changes and destroys", { timeout: 300_000 }, async () => {
    const dir = terraformDir("awsim-tf-mp-", { "main.tf": STACK });
    provider = await attachedProvider(dir);
    const init = await tf(dir, server.url, ["init"]);
    expect(init.code, init.out).toBe(0);
    const apply = await tf(dir, server.url, ["apply", "-auto-approve"], provider!.reattach);
    expect(apply.code, apply.out).toBe(0);
    expect(apply.out).toContain('ssm_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"');
    expect(apply.out).toContain("ssm:UpdateInstanceInformation");
    expect(apply.out).toContain('al2 = "ami-02b9a589195146a8f"');
    expect(apply.out).toContain('ecs = "ami-0aae19d30bab785d3 al2023-ami-ecs-hvm-2023.0.20260226-kernel-6.1-x86_64"');

    const attached = (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "tf-node" }))).AttachedPolicies!.map((p) => p.PolicyName).sort();
    expect(attached).toEqual(["AmazonSSMManagedInstanceCore", "CloudWatchAgentServerPolicy"]);
    const eks = (await iam.send(new GetPolicyCommand({ PolicyArn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy" }))).Policy!;
    expect(eks.AttachmentCount).toBe(1);

    const plan = await tf(dir, server.url, ["plan", "-detailed-exitcode"], provider!.reattach);
    expect(plan.code, plan.out).toBe(0);
    const destroy = await tf(dir, server.url, ["destroy", "-auto-approve"], provider!.reattach);
    expect(destroy.code, destroy.out).toBe(0);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy" }))).Policy!.AttachmentCount).toBe(0);
  });
});
