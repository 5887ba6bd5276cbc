/**
 * Terraform with the real AWS provider against awsim: a stack with a VPC, subnets, an internet gateway,
 * a route table, a security group, a launch template, an instance with an extra EBS volume and an
 * Elastic IP applies, plans clean (no changes) and destroys. Skipped when terraform or a locally
 * mirrored hashicorp/aws provider is not on the machine (it would need the network).
 */
import { rmSync } from "node:fs";
import { DescribeAddressesCommand, DescribeInstancesCommand, DescribeVolumesCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientConfig, startServer, type AwsimServer } from "../helpers.js";
import { awsProvider, terraformAvailable, terraformDir, tf } from "../terraform.js";

const enabled = terraformAvailable("the Terraform test");

const STACK = `
${awsProvider({ header: true, services: ["ec2", "sts"], extra: ["  skip_requesting_account_id  = true"] })}resource "aws_vpc" "main" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_hostnames = true
  tags                 = { Name = "tf-main" }
}
resource "aws_subnet" "a" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.20.1.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}
resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.2.0/24"
  availability_zone = "us-east-1b"
}
resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }
}
resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.public.id
}
resource "aws_security_group" "web" {
  name        = "web"
  description = "web access"
  vpc_id      = aws_vpc.main.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_launch_template" "web" {
  name_prefix   = "web-"
  image_id      = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  metadata_options {
    http_tokens = "required"
  }
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 16
      volume_type = "gp3"
    }
  }
}
resource "aws_instance" "web" {
  subnet_id              = aws_subnet.a.id
  vpc_security_group_ids = [aws_security_group.web.id]
  launch_template {
    id      = aws_launch_template.web.id
    version = "$Latest"
  }
  tags = { Name = "tf-web" }
}
resource "aws_ebs_volume" "data" {
  availability_zone = "us-east-1a"
  size              = 10
  type              = "gp3"
}
resource "aws_volume_attachment" "data" {
  device_name = "/dev/sdf"
  volume_id   = aws_ebs_volume.data.id
  instance_id = aws_instance.web.id
}
resource "aws_eip" "web" {
  domain   = "vpc"
  instance = aws_instance.web.id
}
`;

let server: AwsimServer;
let ec2: EC2Client;
let dir: string;

const run = (args: string[]) => tf(dir, server.url, args);

describe.skipIf(!enabled)("terraform with the AWS provider", () => {
  beforeAll(async () => {
    server = await startServer();
    ec2 = new EC2Client(clientConfig(server));
    dir = terraformDir("awsim-tf-", { "main.tf": STACK });
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("applies a VPC stack with an instance, an extra volume and an Elastic IP, plans clean and destroys", { timeout: 900_000 }, async () => {
    const init = await run(["init"]);
    expect(init.code, init.out).toBe(0);
    const apply = await run(["apply", "-auto-approve"]);
    expect(apply.code, apply.out).toBe(0);
    expect(apply.out).toContain("Resources: 12 added");

    const inst = (await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "tag:Name", Values: ["tf-web"] }] }))).Reservations![0]!.Instances![0]!;
    expect(inst.State!.Name).toBe("running");
    expect(inst.InstanceType).toBe("t3.micro");
    const vols = (await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [inst.InstanceId!] }] }))).Volumes!;
    expect(vols.map((v) => [v.Attachments![0]!.Device, v.Size]).sort()).toEqual([
      ["/dev/sdf", 10],
      ["/dev/xvda", 16],
    ]);
    const eip = (await ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: "instance-id", Values: [inst.InstanceId!] }] }))).Addresses!;
    expect(eip).toHaveLength(1);

    const plan = await run(["plan", "-detailed-exitcode"]);
    expect(plan.code, plan.out).toBe(0);
    expect(plan.out).toContain("No changes");

    const destroy = await run(["destroy", "-auto-approve"]);
    expect(destroy.code, destroy.out).toBe(0);
    const vpcs = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs!;
    expect(vpcs.map((v) => v.IsDefault)).toEqual([true]);
    expect((await ec2.send(new DescribeVolumesCommand({}))).Volumes).toEqual([]);
  });
});
