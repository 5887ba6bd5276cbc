import { rmSync } from "node:fs";
import { CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeSubscriptionFiltersCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  AssociateVpcCidrBlockCommand,
  CreateNetworkInterfaceCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeNetworkInterfacesCommand,
  DescribeVpcsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { DescribeRepositoriesCommand, ECRClient } from "@aws-sdk/client-ecr";
import { DescribeServicesCommand, ECSClient, ListClustersCommand } from "@aws-sdk/client-ecs";
import { DescribeFileSystemsCommand, DescribeMountTargetsCommand, EFSClient } from "@aws-sdk/client-efs";
import { GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolesCommand, ListUsersCommand } from "@aws-sdk/client-iam";
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  GetAliasCommand,
  GetFunctionUrlConfigCommand,
  LambdaClient,
  ListFunctionsCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
} from "@aws-sdk/client-lambda";
import {
  CreateBucketCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  ListBucketsCommand,
  PutBucketNotificationConfigurationCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import {
  CreatePrivateDnsNamespaceCommand,
  CreateServiceCommand,
  GetOperationCommand,
  GetServiceCommand,
  ListNamespacesCommand,
  ListServicesCommand,
  ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientConfig, useServer } from "../helpers.js";
import { terraformAvailable, terraformDir, tf } from "../terraform.js";
import { zip } from "./lambda-helpers.js";

const enabled = terraformAvailable("the Terraform stack test");

const STACK = `
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
variable "endpoint" {}
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  s3_use_path_style           = true
  endpoints {
    ec2              = var.endpoint
    ecr              = var.endpoint
    ecs              = var.endpoint
    efs              = var.endpoint
    iam              = var.endpoint
    lambda           = var.endpoint
    logs             = var.endpoint
    s3               = var.endpoint
    servicediscovery = var.endpoint
    sts              = var.endpoint
  }
}

data "aws_caller_identity" "me" {}
data "aws_region" "cur" {}
resource "aws_s3_bucket" "b" {
  bucket = "tf-stack-bucket"
  tags   = { Team = "infra" }
}
resource "aws_s3_bucket_versioning" "b" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  bucket = aws_s3_bucket.b.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
    bucket_key_enabled = true
  }
}
resource "aws_s3_bucket_public_access_block" "b" {
  bucket                  = aws_s3_bucket.b.id
  block_public_acls       = true
  block_public_policy     = false
  ignore_public_acls      = true
  restrict_public_buckets = false
}
data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "AllowAccountRead"
    actions   = ["s3:GetObject"]
    resources = ["\${aws_s3_bucket.b.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::\${data.aws_caller_identity.me.account_id}:root"]
    }
  }
}
resource "aws_s3_bucket_policy" "b" {
  bucket     = aws_s3_bucket.b.id
  policy     = data.aws_iam_policy_document.bucket.json
  depends_on = [aws_s3_bucket_public_access_block.b]
}
resource "aws_s3_object" "o" {
  bucket       = aws_s3_bucket.b.id
  key          = "config/app.json"
  content      = jsonencode({ region = data.aws_region.cur.name })
  content_type = "application/json"
  tags         = { Kind = "config" }
  depends_on   = [aws_s3_bucket_versioning.b, aws_s3_bucket_server_side_encryption_configuration.b]
}
resource "aws_s3_bucket_lifecycle_configuration" "b" {
  bucket     = aws_s3_bucket.b.id
  depends_on = [aws_s3_bucket_versioning.b]
  rule {
    id     = "expire-logs"
    status = "Enabled"
    filter {
      prefix = "logs/"
    }
    expiration {
      days = 30
    }
    noncurrent_version_expiration {
      noncurrent_days = 7
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 3
    }
  }
  rule {
    id     = "archive"
    status = "Enabled"
    filter {
      and {
        prefix = "archive/"
        tags   = { tier = "cold" }
      }
    }
    transition {
      days          = 30
      storage_class = "GLACIER"
    }
  }
}

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}
data "aws_iam_policy_document" "ecs_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}
resource "aws_iam_role" "lambda" {
  name               = "tf-stack-lambda"
  path               = "/service/"
  description        = "lambda execution role"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
  tags               = { App = "stack" }
}
resource "aws_iam_role" "task" {
  name                 = "tf-stack-task"
  assume_role_policy   = data.aws_iam_policy_document.ecs_assume.json
  max_session_duration = 7200
}
data "aws_iam_policy_document" "logs_write" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["\${aws_cloudwatch_log_group.app.arn}:*"]
  }
}
resource "aws_iam_policy" "logs_write" {
  name        = "tf-stack-logs-write"
  description = "write app logs"
  policy      = data.aws_iam_policy_document.logs_write.json
  tags        = { App = "stack" }
}
resource "aws_iam_role_policy_attachment" "lambda_logs" {
  role       = aws_iam_role.lambda.name
  policy_arn = aws_iam_policy.logs_write.arn
}
resource "aws_iam_role_policy" "task_s3" {
  name = "s3-read"
  role = aws_iam_role.task.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:ListBucket"]
      Resource = [aws_s3_bucket.b.arn, "\${aws_s3_bucket.b.arn}/*"]
    }]
  })
}
resource "aws_iam_user" "ci" {
  name = "tf-stack-ci"
  path = "/ci/"
  tags = { Owner = "platform" }
}
resource "aws_iam_access_key" "ci" {
  user = aws_iam_user.ci.name
}
resource "aws_iam_instance_profile" "web" {
  name = "tf-stack-web"
  role = aws_iam_role.task.name
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/tf-stack/app"
  retention_in_days = 14
  tags              = { App = "stack" }
}
resource "aws_cloudwatch_log_metric_filter" "errors" {
  name           = "errors"
  log_group_name = aws_cloudwatch_log_group.app.name
  pattern        = "ERROR"
  metric_transformation {
    name      = "ErrorCount"
    namespace = "TfStack"
    value     = "1"
  }
}
resource "aws_lambda_function" "fn" {
  function_name    = "tf-stack-fn"
  role             = aws_iam_role.lambda.arn
  runtime          = "nodejs20.x"
  handler          = "index.handler"
  filename         = "fn.zip"
  source_code_hash = filebase64sha256("fn.zip")
  memory_size      = 256
  timeout          = 10
  publish          = true
  environment {
    variables = { STAGE = "test" }
  }
  tags = { App = "stack" }
}
resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.fn.function_name
  function_version = aws_lambda_function.fn.version
}
resource "aws_lambda_function_url" "live" {
  function_name      = aws_lambda_function.fn.function_name
  qualifier          = aws_lambda_alias.live.name
  authorization_type = "NONE"
}
resource "aws_lambda_permission" "logs" {
  statement_id  = "AllowCloudWatchLogs"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn.function_name
  principal     = "logs.amazonaws.com"
  source_arn    = "\${aws_cloudwatch_log_group.app.arn}:*"
}
resource "aws_cloudwatch_log_subscription_filter" "to_fn" {
  name            = "to-fn"
  log_group_name  = aws_cloudwatch_log_group.app.name
  filter_pattern  = "ERROR"
  destination_arn = aws_lambda_function.fn.arn
  depends_on      = [aws_lambda_permission.logs]
}

resource "aws_ecr_repository" "app" {
  name                 = "tf-stack/app"
  image_tag_mutability = "IMMUTABLE"
  force_delete         = true
  image_scanning_configuration {
    scan_on_push = true
  }
  tags = { App = "stack" }
}
resource "aws_ecr_lifecycle_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "keep 10"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = 10
      }
      action = { type = "expire" }
    }]
  })
}
data "aws_iam_policy_document" "ecr_pull" {
  statement {
    sid     = "Pull"
    actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::\${data.aws_caller_identity.me.account_id}:root"]
    }
  }
}
resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy     = data.aws_iam_policy_document.ecr_pull.json
}

data "aws_vpc" "default" {
  default = true
}
data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}
data "aws_availability_zones" "azs" {
  state = "available"
}
resource "aws_ecs_cluster" "main" {
  name = "tf-stack"
  setting {
    name  = "containerInsights"
    value = "enabled"
  }
  tags = { App = "stack" }
}
resource "aws_ecs_task_definition" "app" {
  family                   = "tf-stack-app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.task.arn
  task_role_arn            = aws_iam_role.task.arn
  container_definitions = jsonencode([{
    name         = "app"
    image        = "\${aws_ecr_repository.app.repository_url}:1.0"
    essential    = true
    portMappings = [{ containerPort = 8080, protocol = "tcp" }]
    environment  = [{ name = "STAGE", value = "test" }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.app.name
        "awslogs-region"        = data.aws_region.cur.name
        "awslogs-stream-prefix" = "app"
      }
    }
  }])
}
resource "aws_security_group" "svc" {
  name        = "tf-stack-svc"
  description = "service"
  vpc_id      = data.aws_vpc.default.id
  ingress {
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = [data.aws_vpc.default.cidr_block]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_ecs_service" "app" {
  name            = "app"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = data.aws_subnets.default.ids
    security_groups  = [aws_security_group.svc.id]
    assign_public_ip = true
  }
  service_registries {
    registry_arn = aws_service_discovery_service.app.arn
  }
}
resource "aws_efs_file_system" "data" {
  creation_token   = "tf-stack-data"
  encrypted        = true
  performance_mode = "generalPurpose"
  throughput_mode  = "bursting"
  tags             = { Name = "tf-stack-data" }
}
resource "aws_efs_mount_target" "data" {
  file_system_id  = aws_efs_file_system.data.id
  subnet_id       = data.aws_subnets.default.ids[0]
  security_groups = [aws_security_group.svc.id]
}
resource "aws_efs_access_point" "app" {
  file_system_id = aws_efs_file_system.data.id
  posix_user {
    uid = 1000
    gid = 1000
  }
  root_directory {
    path = "/app"
    creation_info {
      owner_uid   = 1000
      owner_gid   = 1000
      permissions = "750"
    }
  }
  tags = { App = "stack" }
}
resource "aws_service_discovery_private_dns_namespace" "ns" {
  name        = "stack.internal"
  description = "stack services"
  vpc         = data.aws_vpc.default.id
}
resource "aws_service_discovery_service" "app" {
  name = "app"
  dns_config {
    namespace_id   = aws_service_discovery_private_dns_namespace.ns.id
    routing_policy = "MULTIVALUE"
    dns_records {
      ttl  = 10
      type = "A"
    }
  }
  health_check_custom_config {
    failure_threshold = 1
  }
}

resource "aws_vpc" "main" {
  cidr_block           = "10.30.0.0/16"
  enable_dns_hostnames = true
  enable_dns_support   = true
  tags                 = { Name = "tf-stack" }
}
resource "aws_subnet" "a" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.30.1.0/24"
  availability_zone       = data.aws_availability_zones.azs.names[0]
  map_public_ip_on_launch = true
  tags                    = { Name = "tf-stack-a" }
}
resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.main.id
  tags   = { Name = "tf-stack" }
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }
  tags = { Name = "tf-stack-public" }
}
resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.public.id
}
resource "aws_security_group" "web" {
  name        = "tf-stack-web"
  description = "web"
  vpc_id      = aws_vpc.main.id
  ingress {
    description = "https"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }
  tags = { Name = "tf-stack-web" }
}
resource "aws_launch_template" "web" {
  name                   = "tf-stack-web"
  image_id               = "ami-0abcdef1234567890"
  instance_type          = "t3.micro"
  vpc_security_group_ids = [aws_security_group.web.id]
  iam_instance_profile {
    name = aws_iam_instance_profile.web.name
  }
  metadata_options {
    http_tokens = "required"
  }
  tag_specifications {
    resource_type = "instance"
    tags          = { Name = "tf-stack-web" }
  }
}
`;

/** What Terraform relies on when it reads back, checked with the SDKs (runs without terraform too). */
describe("read-backs Terraform depends on", () => {
  const t = useServer();

  it("Cloud Map: a service's DnsConfig names its namespace in GetService, not in ListServices", async () => {
    const sd = new ServiceDiscoveryClient(clientConfig(t.server));
    const { OperationId } = await sd.send(new CreatePrivateDnsNamespaceCommand({ Name: "rb.internal", Vpc: "vpc-12345678" }));
    const nsId = (await sd.send(new GetOperationCommand({ OperationId }))).Operation!.Targets!.NAMESPACE!;
    const created = (await sd.send(new CreateServiceCommand({ Name: "api", DnsConfig: { NamespaceId: nsId, DnsRecords: [{ Type: "A", TTL: 10 }] } }))).Service!;
    expect(created.DnsConfig).toEqual({ NamespaceId: nsId, RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "A", TTL: 10 }] });
    expect((await sd.send(new GetServiceCommand({ Id: created.Id }))).Service!.DnsConfig!.NamespaceId).toBe(nsId);
    const summary = (await sd.send(new ListServicesCommand({}))).Services!.find((x) => x.Id === created.Id)!;
    expect(summary.DnsConfig).toEqual({ RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "A", TTL: 10 }] });
  });

  it("Lambda: an alias created or updated with an empty RoutingConfig has none", async () => {
    const lambda = new LambdaClient(clientConfig(t.server));
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: "rb-fn",
        Role: "arn:aws:iam::000000000000:role/rb",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Code: { ZipFile: zip({ "index.js": "exports.handler = async () => 1;\n" }) },
      }),
    );
    const v1 = (await lambda.send(new PublishVersionCommand({ FunctionName: "rb-fn" }))).Version!;
    const created = await lambda.send(new CreateAliasCommand({ FunctionName: "rb-fn", Name: "live", FunctionVersion: v1, RoutingConfig: {} }));
    expect(created.RoutingConfig).toBeUndefined();
    expect((await lambda.send(new GetAliasCommand({ FunctionName: "rb-fn", Name: "live" }))).RoutingConfig).toBeUndefined();
    const v2 = (await lambda.send(new PublishVersionCommand({ FunctionName: "rb-fn", Description: "two" }))).Version!;
    const weighted = await lambda.send(
      new UpdateAliasCommand({ FunctionName: "rb-fn", Name: "live", RoutingConfig: { AdditionalVersionWeights: { [v2]: 0.25 } } }),
    );
    expect(weighted.RoutingConfig).toEqual({ AdditionalVersionWeights: { [v2]: 0.25 } });
    const cleared = await lambda.send(new UpdateAliasCommand({ FunctionName: "rb-fn", Name: "live", RoutingConfig: {} }));
    expect(cleared.RoutingConfig).toBeUndefined();
  });

  it("EC2: DescribeVpcs finds a VPC by a secondary CIDR's association id", async () => {
    const ec2 = new EC2Client(clientConfig(t.server));
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.70.0.0/16" }))).Vpc!.VpcId!;
    const assoc = (await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: "10.71.0.0/16" }))).CidrBlockAssociation!;
    const found = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "cidr-block-association.association-id", Values: [assoc.AssociationId!] }] })))
      .Vpcs!;
    expect(found.map((v) => v.VpcId)).toEqual([vpcId]);
    expect(found[0]!.CidrBlockAssociationSet!.map((a) => a.CidrBlock)).toEqual(["10.70.0.0/16", "10.71.0.0/16"]);
  });

  it("EC2: CreateNetworkInterface takes its addresses from PrivateIpAddresses", async () => {
    const ec2 = new EC2Client(clientConfig(t.server));
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.72.0.0/16" }))).Vpc!.VpcId!;
    const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.72.1.0/24" }))).Subnet!.SubnetId!;
    const eni = (
      await ec2.send(
        new CreateNetworkInterfaceCommand({
          SubnetId: subnetId,
          PrivateIpAddresses: [{ PrivateIpAddress: "10.72.1.20" }, { PrivateIpAddress: "10.72.1.10", Primary: true }],
          SecondaryPrivateIpAddressCount: 1,
        }),
      )
    ).NetworkInterface!;
    expect(eni.PrivateIpAddress).toBe("10.72.1.10");
    const read = (await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni.NetworkInterfaceId!] }))).NetworkInterfaces![0]!;
    const ips = read.PrivateIpAddresses!.map((a) => [a.PrivateIpAddress, a.Primary]);
    expect(ips.slice(0, 2)).toEqual([
      ["10.72.1.10", true],
      ["10.72.1.20", false],
    ]);
    expect(ips).toHaveLength(3);
    expect(ips[2]![1]).toBe(false);
  });

  it("S3: an empty NotificationConfiguration turns notifications off", async () => {
    const s3 = new S3Client({ ...clientConfig(t.server), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: "rb-bucket" }));
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: "rb-bucket", NotificationConfiguration: {} }));
    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: "rb-bucket" }));
    expect([got.LambdaFunctionConfigurations, got.QueueConfigurations, got.TopicConfigurations]).toEqual([undefined, undefined, undefined]);
  });
});

/**
 * A second file of the same stack: resources the first leaves out (placement partitions, NAT and egress-only
 * gateways, network ACLs, endpoints, DHCP options, flow logs, peering, transit gateway attachments, VPN gateways;
 * IAM groups, OIDC and login profiles; every S3 bucket sub-resource Terraform has; Lambda layers, provisioned
 * concurrency; Logs policies and query definitions; ECR registry settings; ECS capacity providers; Cloud Map HTTP
 * namespaces and instances; EFS policies). Written to find where awsim's answers make Terraform plan a change.
 */
const STACK2 = `
data "aws_region" "here" {}
data "aws_availability_zones" "az" { state = "available" }

# ---------------- EC2
resource "aws_vpc" "v" {
  cidr_block                       = "10.20.0.0/16"
  enable_dns_hostnames             = true
  assign_generated_ipv6_cidr_block = true
  tags                             = { Name = "tf2" }
}
resource "aws_subnet" "a2" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.20.1.0/24"
  availability_zone = data.aws_availability_zones.az.names[0]
  ipv6_cidr_block   = cidrsubnet(aws_vpc.v.ipv6_cidr_block, 8, 1)
  assign_ipv6_address_on_creation = true
}
resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.20.2.0/24"
  availability_zone = data.aws_availability_zones.az.names[1]
}
resource "aws_internet_gateway" "gw2" { vpc_id = aws_vpc.v.id }
resource "aws_egress_only_internet_gateway" "eigw" { vpc_id = aws_vpc.v.id }
resource "aws_eip" "nat" { domain = "vpc" }
resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.a2.id
  depends_on    = [aws_internet_gateway.gw2]
}
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
  route {
    ipv6_cidr_block        = "::/0"
    egress_only_gateway_id = aws_egress_only_internet_gateway.eigw.id
  }
}
resource "aws_route_table_association" "b" {
  subnet_id      = aws_subnet.b.id
  route_table_id = aws_route_table.private.id
}
resource "aws_network_acl" "acl" {
  vpc_id     = aws_vpc.v.id
  subnet_ids = [aws_subnet.b.id]
  ingress {
    protocol   = "tcp"
    rule_no    = 100
    action     = "allow"
    cidr_block = "10.0.0.0/8"
    from_port  = 443
    to_port    = 443
  }
  egress {
    protocol   = "-1"
    rule_no    = 100
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
}
resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.v.id
  service_name    = "com.amazonaws.us-east-1.s3"
  route_table_ids = [aws_route_table.private.id]
}
resource "aws_vpc_dhcp_options" "d" {
  domain_name         = "corp.internal"
  domain_name_servers = ["AmazonProvidedDNS"]
}
resource "aws_vpc_dhcp_options_association" "d" {
  vpc_id          = aws_vpc.v.id
  dhcp_options_id = aws_vpc_dhcp_options.d.id
}
resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.v.id
}
resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.app.id
  cidr_ipv4         = "10.0.0.0/8"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}
resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.app.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}
resource "aws_network_interface" "eni" {
  subnet_id       = aws_subnet.b.id
  private_ips     = ["10.20.2.50"]
  security_groups = [aws_security_group.app.id]
}
resource "aws_key_pair" "k" {
  key_name   = "tf2"
  public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFtT0RGraicN99iTJvz7Ojkf9ayMUT922+Csfp6najQt root@vm"
}
resource "aws_placement_group" "pg" {
  name            = "tf2-parts"
  strategy        = "partition"
  partition_count = 3
}
data "aws_ami" "al" {
  most_recent = true
  owners      = ["amazon"]
  filter {
    name   = "name"
    values = ["al2023-ami-*-x86_64"]
  }
}
resource "aws_instance" "p" {
  ami                          = data.aws_ami.al.id
  instance_type                = "t3.micro"
  subnet_id                    = aws_subnet.a2.id
  key_name                     = aws_key_pair.k.key_name
  placement_group              = aws_placement_group.pg.name
  placement_partition_number   = 2
  vpc_security_group_ids       = [aws_security_group.app.id]
  metadata_options {
    http_tokens = "required"
  }
  root_block_device {
    volume_size = 12
    volume_type = "gp3"
  }
  tags = { Name = "tf2-p" }
}
resource "aws_ebs_volume" "d" {
  availability_zone = data.aws_availability_zones.az.names[0]
  size              = 4
  type              = "gp3"
}
resource "aws_ebs_snapshot" "s" { volume_id = aws_ebs_volume.d.id }
resource "aws_flow_log" "f" {
  vpc_id               = aws_vpc.v.id
  traffic_type         = "ALL"
  log_destination_type = "cloud-watch-logs"
  log_destination      = aws_cloudwatch_log_group.flow.arn
  iam_role_arn         = aws_iam_role.flow.arn
}
resource "aws_vpc_peering_connection" "peer" {
  vpc_id      = aws_vpc.v.id
  peer_vpc_id = aws_vpc.other.id
  auto_accept = true
}
resource "aws_vpc" "other" { cidr_block = "10.30.0.0/16" }
resource "aws_ec2_transit_gateway" "tgw" { description = "tf2" }
resource "aws_ec2_transit_gateway_vpc_attachment" "att" {
  transit_gateway_id = aws_ec2_transit_gateway.tgw.id
  vpc_id             = aws_vpc.v.id
  subnet_ids         = [aws_subnet.a2.id]
}
resource "aws_customer_gateway" "cgw" {
  bgp_asn    = 65000
  ip_address = "203.0.113.12"
  type       = "ipsec.1"
}
resource "aws_vpn_gateway" "vgw" { vpc_id = aws_vpc.v.id }
resource "aws_launch_template" "lt" {
  name_prefix   = "tf2-"
  image_id      = data.aws_ami.al.id
  instance_type = "t3.small"
  tag_specifications {
    resource_type = "instance"
    tags          = { Role = "worker" }
  }
}

# ---------------- IAM
resource "aws_iam_role" "flow" {
  name = "tf2-flow"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "vpc-flow-logs.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
resource "aws_iam_role" "lambda2" {
  name = "tf2-lambda"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  max_session_duration = 7200
  path                 = "/svc/"
}
resource "aws_iam_group" "devs" { name = "tf2-devs" }
resource "aws_iam_user" "u" {
  name = "tf2-user"
  tags = { Team = "a" }
}
resource "aws_iam_group_membership" "m" {
  name  = "tf2-m"
  group = aws_iam_group.devs.name
  users = [aws_iam_user.u.name]
}
resource "aws_iam_user_policy" "p" {
  name = "inline"
  user = aws_iam_user.u.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
  })
}
resource "aws_iam_group_policy_attachment" "ro" {
  group      = aws_iam_group.devs.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
resource "aws_iam_openid_connect_provider" "gh" {
  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
}
resource "aws_iam_user_login_profile" "lp" {
  user                    = aws_iam_user.u.name
  password_reset_required = true
}
resource "aws_iam_account_password_policy" "pp" {
  minimum_password_length = 14
  require_symbols         = true
}

# ---------------- S3
resource "aws_s3_bucket" "site" { bucket = "tf2-site" }
resource "aws_s3_bucket_ownership_controls" "site" {
  bucket = aws_s3_bucket.site.id
  rule { object_ownership = "BucketOwnerPreferred" }
}
resource "aws_s3_bucket_acl" "site" {
  depends_on = [aws_s3_bucket_ownership_controls.site]
  bucket     = aws_s3_bucket.site.id
  acl        = "private"
}
resource "aws_s3_bucket_cors_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  cors_rule {
    allowed_methods = ["GET", "PUT"]
    allowed_origins = ["https://example.org"]
    allowed_headers = ["*"]
    expose_headers  = ["ETag"]
    max_age_seconds = 300
  }
}
resource "aws_s3_bucket_website_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  index_document { suffix = "index.html" }
  error_document { key = "error.html" }
}
resource "aws_s3_bucket" "logs" {
  bucket        = "tf2-logs"
  force_destroy = true
}
resource "aws_s3_bucket_logging" "site" {
  bucket        = aws_s3_bucket.site.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "site/"
}
resource "aws_s3_bucket_request_payment_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  payer  = "Requester"
}
resource "aws_s3_bucket_accelerate_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  status = "Enabled"
}
resource "aws_s3_bucket" "locked" {
  bucket              = "tf2-locked"
  object_lock_enabled = true
}
resource "aws_s3_bucket_object_lock_configuration" "locked" {
  bucket = aws_s3_bucket.locked.id
  rule {
    default_retention {
      mode = "GOVERNANCE"
      days = 1
    }
  }
}
resource "aws_s3_bucket_intelligent_tiering_configuration" "it" {
  bucket = aws_s3_bucket.site.id
  name   = "all"
  tiering {
    access_tier = "DEEP_ARCHIVE_ACCESS"
    days        = 180
  }
}
resource "aws_s3_bucket_metric" "m" {
  bucket = aws_s3_bucket.site.id
  name   = "everything"
}
resource "aws_s3_bucket_inventory" "inv" {
  bucket                   = aws_s3_bucket.site.id
  name                     = "weekly"
  included_object_versions = "All"
  schedule { frequency = "Weekly" }
  destination {
    bucket {
      format     = "CSV"
      bucket_arn = aws_s3_bucket.logs.arn
    }
  }
}
resource "aws_s3_bucket_analytics_configuration" "an" {
  bucket = aws_s3_bucket.site.id
  name   = "whole"
}
resource "aws_s3_bucket" "src" { bucket = "tf2-src" }
resource "aws_s3_bucket" "dst" { bucket = "tf2-dst" }
resource "aws_s3_bucket_versioning" "src" {
  bucket = aws_s3_bucket.src.id
  versioning_configuration { status = "Enabled" }
}
resource "aws_s3_bucket_versioning" "dst" {
  bucket = aws_s3_bucket.dst.id
  versioning_configuration { status = "Enabled" }
}
resource "aws_s3_bucket_replication_configuration" "r" {
  depends_on = [aws_s3_bucket_versioning.src, aws_s3_bucket_versioning.dst]
  role       = aws_iam_role.lambda2.arn
  bucket     = aws_s3_bucket.src.id
  rule {
    id     = "all"
    status = "Enabled"
    filter {}
    delete_marker_replication { status = "Disabled" }
    destination {
      bucket        = aws_s3_bucket.dst.arn
      storage_class = "STANDARD"
    }
  }
}

# ---------------- Lambda
resource "aws_lambda_layer_version" "lib" {
  layer_name          = "tf2-lib"
  filename            = "layer.zip"
  compatible_runtimes = ["nodejs20.x"]
}
resource "aws_lambda_function" "fn2" {
  function_name = "tf2-fn"
  role          = aws_iam_role.lambda2.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "fn.zip"
  source_code_hash = filebase64sha256("fn.zip")
  layers        = [aws_lambda_layer_version.lib.arn]
  memory_size   = 256
  timeout       = 15
  publish       = true
  environment { variables = { MODE = "tf" } }
  tracing_config { mode = "Active" }
  ephemeral_storage { size = 1024 }
  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.fn.name
    application_log_level = "INFO"
    system_log_level = "INFO"
  }
}
resource "aws_lambda_function_event_invoke_config" "eic" {
  function_name                = aws_lambda_function.fn2.function_name
  maximum_retry_attempts       = 1
  maximum_event_age_in_seconds = 600
}
resource "aws_lambda_provisioned_concurrency_config" "pc" {
  function_name                     = aws_lambda_function.fn2.function_name
  qualifier                         = aws_lambda_function.fn2.version
  provisioned_concurrent_executions = 2
}
resource "aws_lambda_function_recursion_config" "rc" {
  function_name  = aws_lambda_function.fn2.function_name
  recursive_loop = "Allow"
}

# ---------------- Logs
resource "aws_cloudwatch_log_group" "flow" {
  name              = "/tf2/flow"
  retention_in_days = 7
}
resource "aws_cloudwatch_log_group" "fn" {
  name              = "/tf2/fn"
  retention_in_days = 14
  tags              = { App = "fn" }
}
resource "aws_cloudwatch_log_stream" "s" {
  name           = "manual"
  log_group_name = aws_cloudwatch_log_group.fn.name
}
resource "aws_cloudwatch_query_definition" "q" {
  name            = "tf2/errors"
  log_group_names = [aws_cloudwatch_log_group.fn.name]
  query_string    = "fields @timestamp, @message | filter @message like /ERROR/"
}
resource "aws_cloudwatch_log_resource_policy" "rp" {
  policy_name = "tf2"
  policy_document = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "es.amazonaws.com" }, Action = ["logs:PutLogEvents", "logs:CreateLogStream"], Resource = "arn:aws:logs:*" }]
  })
}
resource "aws_cloudwatch_log_data_protection_policy" "dp" {
  log_group_name = aws_cloudwatch_log_group.fn.name
  policy_document = jsonencode({
    Name    = "dp"
    Version = "2021-06-01"
    Statement = [
      { Sid = "audit", DataIdentifier = ["arn:aws:dataprotection::aws:data-identifier/EmailAddress"], Operation = { Audit = { FindingsDestination = {} } } },
      { Sid = "redact", DataIdentifier = ["arn:aws:dataprotection::aws:data-identifier/EmailAddress"], Operation = { Deidentify = { MaskConfig = {} } } }
    ]
  })
}

# ---------------- ECR / ECS / Cloud Map / EFS
resource "aws_ecr_repository" "r" {
  name                 = "tf2/app"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration { scan_on_push = true }
  encryption_configuration { encryption_type = "AES256" }
}
resource "aws_ecr_registry_scanning_configuration" "sc" {
  scan_type = "BASIC"
  rule {
    scan_frequency = "SCAN_ON_PUSH"
    repository_filter {
      filter      = "*"
      filter_type = "WILDCARD"
    }
  }
}
resource "aws_ecr_pull_through_cache_rule" "ptc" {
  ecr_repository_prefix = "ecr-public"
  upstream_registry_url = "public.ecr.aws"
}
resource "aws_ecs_cluster" "c" {
  name = "tf2"
  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}
resource "aws_ecs_cluster_capacity_providers" "cp" {
  cluster_name       = aws_ecs_cluster.c.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]
  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
    base              = 1
  }
}
resource "aws_service_discovery_http_namespace" "h" { name = "tf2-http" }
resource "aws_service_discovery_service" "h" {
  name         = "api"
  namespace_id = aws_service_discovery_http_namespace.h.id
}
resource "aws_service_discovery_instance" "i" {
  instance_id = "i1"
  service_id  = aws_service_discovery_service.h.id
  attributes  = { AWS_INSTANCE_IPV4 = "10.0.0.5", color = "blue" }
}
resource "aws_efs_file_system" "fs" {
  creation_token   = "tf2"
  performance_mode = "generalPurpose"
  throughput_mode  = "elastic"
  encrypted        = true
  lifecycle_policy { transition_to_ia = "AFTER_30_DAYS" }
}
resource "aws_efs_backup_policy" "b" {
  file_system_id = aws_efs_file_system.fs.id
  backup_policy { status = "ENABLED" }
}
resource "aws_efs_file_system_policy" "p" {
  file_system_id = aws_efs_file_system.fs.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "elasticfilesystem:ClientMount", Resource = aws_efs_file_system.fs.arn, Condition = { Bool = { "aws:SecureTransport" = "true" } } }]
  })
}
`;

let dir: string;

describe.skipIf(!enabled)("terraform stack across all ten services", () => {
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const t = useServer();
  beforeAll(() => {
    dir = terraformDir("awsim-tf-stack-", {
      "main.tf": STACK,
      "fn.zip": zip({ "index.js": "exports.handler = async (event) => ({ ok: true, event });\n" }),
      "extra.tf": STACK2,
      "layer.zip": zip({ "nodejs/lib.js": "module.exports = 1;\n" }),
    });
  });

  it("applies, plans with no changes and destroys", { timeout: 900_000 }, async () => {
    const init = await tf(dir, t.server.url, ["init"]);
    expect(init.code, init.out).toBe(0);
    const apply = await tf(dir, t.server.url, ["apply", "-auto-approve", "-parallelism=30"]);
    expect(apply.code, apply.out).toBe(0);
    expect(apply.out).toMatch(/Resources: \d+ added, 0 changed, 0 destroyed/);

    // What was written is really there, read back with the SDKs.
    const cfg = clientConfig(t.server);
    const s3 = new S3Client({ ...cfg, forcePathStyle: true });
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: "tf-stack-bucket" }))).Status).toBe("Enabled");
    const obj = await s3.send(new GetObjectCommand({ Bucket: "tf-stack-bucket", Key: "config/app.json" }));
    expect(JSON.parse(await obj.Body!.transformToString())).toEqual({ region: "us-east-1" });
    expect(obj.ServerSideEncryption).toBe("AES256");
    const iam = new IAMClient(cfg);
    const role = (await iam.send(new GetRoleCommand({ RoleName: "tf-stack-lambda" }))).Role!;
    expect(role.Path).toBe("/service/");
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "tf-stack-lambda" }))).AttachedPolicies!.map((p) => p.PolicyName)).toEqual([
      "tf-stack-logs-write",
    ]);
    const logs = new CloudWatchLogsClient(cfg);
    const group = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/tf-stack/" }))).logGroups!;
    expect(group.map((g) => [g.logGroupName, g.retentionInDays])).toEqual([["/tf-stack/app", 14]]);
    const subs = (await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: "/tf-stack/app" }))).subscriptionFilters!;
    expect(subs.map((f) => f.destinationArn)).toEqual(["arn:aws:lambda:us-east-1:000000000000:function:tf-stack-fn"]);
    const lambda = new LambdaClient(cfg);
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: "tf-stack-fn", Name: "live" }));
    expect(alias.FunctionVersion).toBe("1");
    expect((await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: "tf-stack-fn", Qualifier: "live" }))).AuthType).toBe("NONE");
    const ecr = new ECRClient(cfg);
    expect((await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ["tf-stack/app"] }))).repositories![0]!.imageTagMutability).toBe("IMMUTABLE");
    const ecs = new ECSClient(cfg);
    const svc = (await ecs.send(new DescribeServicesCommand({ cluster: "tf-stack", services: ["app"] }))).services![0]!;
    expect([svc.status, svc.launchType, svc.desiredCount, svc.serviceRegistries!.length]).toEqual(["ACTIVE", "FARGATE", 1, 1]);
    const efs = new EFSClient(cfg);
    const fs = (await efs.send(new DescribeFileSystemsCommand({ CreationToken: "tf-stack-data" }))).FileSystems![0]!;
    expect(fs.Encrypted).toBe(true);
    expect((await efs.send(new DescribeMountTargetsCommand({ FileSystemId: fs.FileSystemId }))).MountTargets!.map((m) => m.LifeCycleState)).toEqual([
      "available",
    ]);
    const sd = new ServiceDiscoveryClient(cfg);
    const sdService = (await sd.send(new GetServiceCommand({ Id: svc.serviceRegistries![0]!.registryArn!.split("/").pop()! }))).Service!;
    expect(sdService.Name).toBe("app");
    const ec2 = new EC2Client(cfg);
    expect((await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:Name", Values: ["tf-stack"] }] }))).Vpcs!.map((v) => v.CidrBlock)).toEqual([
      "10.30.0.0/16",
    ]);

    // Reading everything back must match what was written: no changes planned.
    const plan = await tf(dir, t.server.url, ["plan", "-detailed-exitcode", "-parallelism=30"]);
    expect(plan.code, plan.out).toBe(0);
    expect(plan.out).toContain("No changes");

    const destroy = await tf(dir, t.server.url, ["destroy", "-auto-approve", "-parallelism=30", "-refresh=false"]);
    expect(destroy.code, destroy.out).toBe(0);
    expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    expect((await iam.send(new ListRolesCommand({ PathPrefix: "/service/" }))).Roles).toEqual([]);
    expect((await iam.send(new ListUsersCommand({ PathPrefix: "/ci/" }))).Users).toEqual([]);
    expect((await lambda.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/tf-stack/" }))).logGroups).toEqual([]);
    expect((await ecr.send(new DescribeRepositoriesCommand({}))).repositories).toEqual([]);
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([]);
    expect((await efs.send(new DescribeFileSystemsCommand({}))).FileSystems).toEqual([]);
    expect((await sd.send(new ListNamespacesCommand({}))).Namespaces).toEqual([]);
    expect((await ec2.send(new DescribeVpcsCommand({}))).Vpcs!.map((v) => v.IsDefault)).toEqual([true]);
  });
});
