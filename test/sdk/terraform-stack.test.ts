import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeSubscriptionFiltersCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  AssociateVpcCidrBlockCommand,
  CreateNetworkInterfaceCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeAddressesAttributeCommand,
  DescribeManagedPrefixListsCommand,
  DescribeNetworkInterfacePermissionsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSpotFleetRequestsCommand,
  DescribeTransitGatewayMulticastDomainsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
  SearchTransitGatewayMulticastGroupsCommand,
} from "@aws-sdk/client-ec2";
import { DescribeRepositoriesCommand, ECRClient } from "@aws-sdk/client-ecr";
import { DescribeServicesCommand, ECSClient, ListClustersCommand } from "@aws-sdk/client-ecs";
import { DescribeFileSystemsCommand, DescribeMountTargetsCommand, EFSClient } from "@aws-sdk/client-efs";
import { GetRoleCommand, IAMClient, ListAccountAliasesCommand, ListAttachedRolePoliciesCommand, ListRolesCommand, ListUsersCommand } from "@aws-sdk/client-iam";
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  GetAliasCommand,
  GetFunctionUrlConfigCommand,
  LambdaClient,
  ListFunctionsCommand,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
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
import { type AwsimServer, clientConfig, sshRsaKey, startServer, useServer } from "../helpers.js";
import { awsProvider, terraformAvailable, terraformDir, tf } from "../terraform.js";
import { zip } from "./lambda-helpers.js";

const enabled = terraformAvailable("the Terraform stack test");

const STACK = `
${awsProvider({ header: true })}
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
    // A change first: publishing an unchanged function returns version 1 again, and AWS refuses an alias's own version as a weight.
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "rb-fn", Description: "two" }));
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

/**
 * A third file (~130 resources): default VPC resources, standalone routes and associations, instances with
 * interfaces/credit/EBS blocks, AMIs registered/copied/made from an instance, snapshot copies, Spot requests,
 * EC2 and Spot fleets, capacity reservations, dedicated hosts, VPN routes, transit gateway route tables and
 * cross-region peering, traffic mirroring, IPAM pools, Instance Connect endpoints, account-level EC2 settings;
 * IAM certificates, SAML, MFA, SSH keys, service-linked roles; S3 notifications to Lambda, object copies,
 * directory buckets, every lifecycle rule form; Lambda arm64/SnapStart/VPC functions and invocations; an ECS
 * service with Service Connect and a circuit breaker; ECR replication and templates; Logs destinations,
 * account and index policies; a public DNS namespace; EFS replication. Its files are made in beforeAll.
 * Provider facts it works around (the same against AWS): an instance with ebs_block_device blocks reads an
 * aws_volume_attachment's volume as its own (so the attachment goes to another instance); aws_ecs_tag on a
 * managed cluster needs ignore_changes on its tags; a snapshot copy made while EBS encryption by default is
 * on is encrypted, and its encrypted/kms_key_id are not computed (so the account setting comes after it); an
 * EC2 fleet deleted with terminate_instances waits a fixed 5 minutes (so the fleet has no capacity).
 */
const STACK3 = `
${awsProvider({ alias: "west", region: "us-west-2", services: ["ec2", "ecr", "efs", "iam", "sts"] })}data "aws_caller_identity" "me3" {}
data "aws_availability_zones" "az3" { state = "available" }
data "aws_ami" "al3" {
  most_recent = true
  owners      = ["amazon"]
  filter {
    name   = "name"
    values = ["al2023-ami-*-x86_64"]
  }
}

# ---------------- EC2: default resources
resource "aws_default_vpc" "d" {}
resource "aws_default_subnet" "d" {
  availability_zone = data.aws_availability_zones.az3.names[0]
}
resource "aws_vpc" "v3" {
  cidr_block           = "10.40.0.0/16"
  enable_dns_hostnames = true
  tags                 = { Name = "tf3" }
}
resource "aws_subnet" "v3a" {
  vpc_id            = aws_vpc.v3.id
  cidr_block        = "10.40.1.0/24"
  availability_zone = data.aws_availability_zones.az3.names[0]
}
resource "aws_subnet" "v3b" {
  vpc_id            = aws_vpc.v3.id
  cidr_block        = "10.40.2.0/24"
  availability_zone = data.aws_availability_zones.az3.names[1]
}
resource "aws_internet_gateway" "v3" { vpc_id = aws_vpc.v3.id }
resource "aws_default_security_group" "v3" {
  vpc_id = aws_vpc.v3.id
  ingress {
    protocol  = -1
    self      = true
    from_port = 0
    to_port   = 0
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_default_route_table" "v3" {
  default_route_table_id = aws_vpc.v3.default_route_table_id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.v3.id
  }
  tags = { Name = "tf3-default" }
}
resource "aws_default_network_acl" "v3" {
  default_network_acl_id = aws_vpc.v3.default_network_acl_id
  subnet_ids             = [aws_subnet.v3a.id, aws_subnet.v3b.id]
  ingress {
    protocol   = -1
    rule_no    = 100
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
  egress {
    protocol   = -1
    rule_no    = 100
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
}
resource "aws_vpc" "v4" {
  cidr_block = "10.41.0.0/16"
  tags       = { Name = "tf3-v4" }
}
resource "aws_route_table" "v4main" { vpc_id = aws_vpc.v4.id }
resource "aws_main_route_table_association" "v4" {
  vpc_id         = aws_vpc.v4.id
  route_table_id = aws_route_table.v4main.id
}
resource "aws_route_table" "v3rt" { vpc_id = aws_vpc.v3.id }
resource "aws_route" "r" {
  route_table_id         = aws_route_table.v3rt.id
  destination_cidr_block = "10.99.0.0/16"
  gateway_id             = aws_internet_gateway.v3.id
}
resource "aws_vpc_ipv4_cidr_block_association" "sec" {
  vpc_id     = aws_vpc.v3.id
  cidr_block = "10.42.0.0/16"
}

# ---------------- EC2: instances, interfaces, images, volumes
resource "aws_security_group" "s3g" {
  name   = "tf3-sg"
  vpc_id = aws_vpc.v3.id
}
resource "aws_placement_group" "spread" {
  name         = "tf3-spread"
  strategy     = "spread"
  spread_level = "rack"
}
resource "aws_key_pair" "k3" {
  key_name   = "tf3"
  public_key = file("id.pub")
}
resource "aws_network_interface" "primary" {
  subnet_id       = aws_subnet.v3a.id
  private_ips     = ["10.40.1.10"]
  security_groups = [aws_security_group.s3g.id]
}
resource "aws_instance" "i3" {
  ami                                  = data.aws_ami.al3.id
  instance_type                        = "t3.micro"
  key_name                             = aws_key_pair.k3.key_name
  placement_group                      = aws_placement_group.spread.name
  user_data                            = "#!/bin/sh\\necho hello\\n"
  instance_initiated_shutdown_behavior = "terminate"
  network_interface {
    network_interface_id = aws_network_interface.primary.id
    device_index         = 0
  }
  credit_specification {
    cpu_credits = "unlimited"
  }
  ebs_block_device {
    device_name = "/dev/sdf"
    volume_size = 5
    volume_type = "gp3"
  }
  tags = { Name = "tf3-i3" }
}
resource "aws_eip" "e3" { domain = "vpc" }
# By the primary interface, not instance_id: i3 gets a second interface (below), and AWS refuses an association by
# instance to an instance with several (InvalidInstanceID) — a race on AWS too, whichever Terraform creates first.
resource "aws_eip_association" "e3" {
  allocation_id        = aws_eip.e3.id
  network_interface_id = aws_instance.i3.primary_network_interface_id
  depends_on           = [aws_internet_gateway.v3]
}
resource "aws_network_interface" "second" {
  subnet_id       = aws_subnet.v3a.id
  security_groups = [aws_security_group.s3g.id]
}
resource "aws_network_interface_attachment" "second" {
  instance_id          = aws_instance.i3.id
  network_interface_id = aws_network_interface.second.id
  device_index         = 1
}
resource "aws_ebs_volume" "v3" {
  availability_zone = data.aws_availability_zones.az3.names[0]
  size              = 8
  type              = "gp3"
}
# A separate instance: an instance with ebs_block_device blocks reads attached volumes back as its own
# (a provider limitation, the same against AWS), so aws_volume_attachment goes to an instance without them.
resource "aws_instance" "i4" {
  ami           = data.aws_ami.al3.id
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.v3a.id
}
resource "aws_volume_attachment" "va" {
  device_name = "/dev/sdh"
  volume_id   = aws_ebs_volume.v3.id
  instance_id = aws_instance.i4.id
}
resource "aws_ebs_snapshot" "s3" { volume_id = aws_ebs_volume.v3.id }
resource "aws_ebs_snapshot_copy" "sc" {
  source_snapshot_id = aws_ebs_snapshot.s3.id
  source_region      = "us-east-1"
  description        = "tf3 copy"
}
resource "aws_ami" "reg" {
  name                = "tf3-registered"
  virtualization_type = "hvm"
  root_device_name    = "/dev/xvda"
  ena_support         = true
  architecture        = "x86_64"
  ebs_block_device {
    device_name = "/dev/xvda"
    snapshot_id = aws_ebs_snapshot.s3.id
    volume_size = 8
  }
}
resource "aws_ami_copy" "c" {
  name              = "tf3-copy"
  source_ami_id     = aws_ami.reg.id
  source_ami_region = "us-east-1"
}
resource "aws_ami_from_instance" "fi" {
  name               = "tf3-from-instance"
  source_instance_id = aws_instance.i3.id
}
resource "aws_launch_template" "lt3" {
  name          = "tf3-lt"
  image_id      = data.aws_ami.al3.id
  instance_type = "t3.micro"
  network_interfaces {
    associate_public_ip_address = true
    delete_on_termination       = true
    device_index                = 0
    subnet_id                   = aws_subnet.v3b.id
    security_groups             = [aws_security_group.s3g.id]
  }
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size           = 20
      volume_type           = "gp3"
      delete_on_termination = true
      encrypted             = true
    }
  }
}
resource "aws_spot_instance_request" "spot" {
  ami                  = data.aws_ami.al3.id
  instance_type        = "t3.micro"
  subnet_id            = aws_subnet.v3b.id
  wait_for_fulfillment = true
}
resource "aws_launch_template" "fleet" {
  name          = "tf3-fleet"
  image_id      = data.aws_ami.al3.id
  instance_type = "t3.micro"
}
resource "aws_ec2_fleet" "f" {
  launch_template_config {
    launch_template_specification {
      launch_template_id = aws_launch_template.fleet.id
      version            = aws_launch_template.fleet.latest_version
    }
  }
  # No capacity: with terminate_instances = true the provider waits 5 minutes before it first checks a
  # deleted fleet (its own fixed delay, the same against AWS); without it, instances would outlive the stack.
  target_capacity_specification {
    default_target_capacity_type = "spot"
    total_target_capacity        = 0
  }
}
resource "aws_iam_role" "fleet" {
  name = "tf3-spot-fleet"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "spotfleet.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
resource "aws_spot_fleet_request" "sf" {
  iam_fleet_role                      = aws_iam_role.fleet.arn
  target_capacity                     = 1
  terminate_instances_with_expiration = true
  wait_for_fulfillment                = true
  launch_specification {
    ami           = data.aws_ami.al3.id
    instance_type = "t3.micro"
    subnet_id     = aws_subnet.v3b.id
  }
}
resource "aws_ec2_capacity_reservation" "cr" {
  instance_type     = "t3.micro"
  instance_platform = "Linux/UNIX"
  availability_zone = data.aws_availability_zones.az3.names[0]
  instance_count    = 1
}
resource "aws_ec2_host" "h" {
  instance_type     = "c5.large"
  availability_zone = data.aws_availability_zones.az3.names[0]
}
resource "aws_ec2_managed_prefix_list" "pl" {
  name           = "tf3-pl"
  address_family = "IPv4"
  max_entries    = 5
  entry {
    cidr        = "10.0.0.0/8"
    description = "ten"
  }
  entry {
    cidr = "192.168.0.0/16"
  }
}
resource "aws_ec2_managed_prefix_list" "pl2" {
  name           = "tf3-pl2"
  address_family = "IPv4"
  max_entries    = 3
}
resource "aws_ec2_managed_prefix_list_entry" "e" {
  prefix_list_id = aws_ec2_managed_prefix_list.pl2.id
  cidr           = "172.16.0.0/12"
  description    = "private"
}

# ---------------- EC2: VPN, transit gateway, peering
resource "aws_customer_gateway" "cg3" {
  bgp_asn    = 65001
  ip_address = "203.0.113.30"
  type       = "ipsec.1"
}
resource "aws_vpn_gateway" "vg3" { vpc_id = aws_vpc.v3.id }
resource "aws_vpn_connection" "vpn" {
  customer_gateway_id = aws_customer_gateway.cg3.id
  vpn_gateway_id      = aws_vpn_gateway.vg3.id
  type                = "ipsec.1"
  static_routes_only  = true
}
resource "aws_vpn_connection_route" "vr" {
  vpn_connection_id      = aws_vpn_connection.vpn.id
  destination_cidr_block = "192.168.10.0/24"
}
resource "aws_ec2_transit_gateway" "t3" {
  description                     = "tf3"
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
}
resource "aws_ec2_transit_gateway_vpc_attachment" "t3" {
  transit_gateway_id                              = aws_ec2_transit_gateway.t3.id
  vpc_id                                          = aws_vpc.v3.id
  subnet_ids                                      = [aws_subnet.v3a.id]
  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
}
resource "aws_ec2_transit_gateway_route_table" "rt" {
  transit_gateway_id = aws_ec2_transit_gateway.t3.id
}
resource "aws_ec2_transit_gateway_route_table_association" "a" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.t3.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.rt.id
}
resource "aws_ec2_transit_gateway_route_table_propagation" "p" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.t3.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.rt.id
}
resource "aws_ec2_transit_gateway_route" "r" {
  destination_cidr_block         = "10.77.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.t3.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.rt.id
}
resource "aws_ec2_transit_gateway" "west" {
  provider    = aws.west
  description = "tf3-west"
}
resource "aws_ec2_transit_gateway_peering_attachment" "peer" {
  peer_region             = "us-west-2"
  peer_transit_gateway_id = aws_ec2_transit_gateway.west.id
  transit_gateway_id      = aws_ec2_transit_gateway.t3.id
  tags                    = { Side = "requester" }
}
resource "aws_ec2_transit_gateway_peering_attachment_accepter" "peer" {
  provider                      = aws.west
  transit_gateway_attachment_id = aws_ec2_transit_gateway_peering_attachment.peer.id
  tags                          = { Side = "accepter" }
}
resource "aws_vpc_peering_connection" "p34" {
  vpc_id      = aws_vpc.v3.id
  peer_vpc_id = aws_vpc.v4.id
  auto_accept = true
}
resource "aws_vpc_peering_connection_options" "p34" {
  vpc_peering_connection_id = aws_vpc_peering_connection.p34.id
  accepter {
    allow_remote_vpc_dns_resolution = true
  }
  requester {
    allow_remote_vpc_dns_resolution = true
  }
}

# ---------------- EC2: flow logs, mirroring, IPAM, EICE, tags, account settings
resource "aws_s3_bucket" "flow3" {
  bucket        = "tf3-flow-logs"
  force_destroy = true
}
resource "aws_flow_log" "s3" {
  vpc_id               = aws_vpc.v3.id
  traffic_type         = "REJECT"
  log_destination_type = "s3"
  log_destination      = aws_s3_bucket.flow3.arn
}
resource "aws_ec2_traffic_mirror_filter" "f" {
  description      = "tf3"
  network_services = ["amazon-dns"]
}
resource "aws_ec2_traffic_mirror_filter_rule" "r" {
  traffic_mirror_filter_id = aws_ec2_traffic_mirror_filter.f.id
  destination_cidr_block   = "10.0.0.0/8"
  source_cidr_block        = "0.0.0.0/0"
  rule_number              = 1
  rule_action              = "accept"
  traffic_direction        = "ingress"
  protocol                 = 6
  destination_port_range {
    from_port = 443
    to_port   = 443
  }
}
resource "aws_network_interface" "mirror_target" {
  subnet_id = aws_subnet.v3b.id
}
resource "aws_ec2_traffic_mirror_target" "t" {
  description          = "tf3"
  network_interface_id = aws_network_interface.mirror_target.id
}
resource "aws_ec2_traffic_mirror_session" "s" {
  network_interface_id     = aws_instance.i3.primary_network_interface_id
  session_number           = 1
  traffic_mirror_filter_id = aws_ec2_traffic_mirror_filter.f.id
  traffic_mirror_target_id = aws_ec2_traffic_mirror_target.t.id
}
resource "aws_vpc_ipam" "ipam" {
  description = "tf3"
  operating_regions {
    region_name = "us-east-1"
  }
}
resource "aws_vpc_ipam_pool" "pool" {
  address_family = "ipv4"
  ipam_scope_id  = aws_vpc_ipam.ipam.private_default_scope_id
  locale         = "us-east-1"
}
resource "aws_vpc_ipam_pool_cidr" "c" {
  ipam_pool_id = aws_vpc_ipam_pool.pool.id
  cidr         = "172.20.0.0/16"
}
resource "aws_vpc_ipam_pool_cidr_allocation" "a" {
  ipam_pool_id = aws_vpc_ipam_pool.pool.id
  cidr         = "172.20.0.0/24"
  depends_on   = [aws_vpc_ipam_pool_cidr.c]
}
resource "aws_ec2_instance_connect_endpoint" "eice" {
  subnet_id          = aws_subnet.v3b.id
  security_group_ids = [aws_security_group.s3g.id]
}
resource "aws_ec2_tag" "t" {
  resource_id = aws_default_vpc.d.default_route_table_id
  key         = "Owner"
  value       = "tf3"
}
# Account-wide: made after the snapshot copy, whose encrypted/kms_key_id are not computed by the provider
# (a copy made while encryption by default is on is encrypted, on AWS too).
resource "aws_ebs_encryption_by_default" "e" {
  enabled    = true
  depends_on = [aws_ebs_snapshot_copy.sc]
}
resource "aws_ec2_serial_console_access" "s" { enabled = true }
resource "aws_ec2_image_block_public_access" "b" { state = "block-new-sharing" }

# ---------------- IAM
resource "aws_iam_policy" "p3" {
  name = "tf3-shared"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "ec2:Describe*", Resource = "*" }]
  })
}
resource "aws_iam_user" "u3" { name = "tf3-user" }
resource "aws_iam_group" "g3" { name = "tf3-group" }
resource "aws_iam_group_policy" "gp" {
  name  = "inline"
  group = aws_iam_group.g3.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:ListAllMyBuckets", Resource = "*" }]
  })
}
resource "aws_iam_role" "r3" {
  name = "tf3-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  inline_policy {
    name = "logs"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = "*" }]
    })
  }
  inline_policy {
    name = "ec2"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface"], Resource = "*" }]
    })
  }
  managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
}
resource "aws_iam_policy_attachment" "pa" {
  name       = "tf3-attach"
  users      = [aws_iam_user.u3.name]
  groups     = [aws_iam_group.g3.name]
  roles      = [aws_iam_role.fleet.name]
  policy_arn = aws_iam_policy.p3.arn
}
resource "aws_iam_user_ssh_key" "k" {
  username   = aws_iam_user.u3.name
  encoding   = "SSH"
  public_key = file("id.pub")
}
resource "aws_iam_virtual_mfa_device" "mfa" {
  virtual_mfa_device_name = "tf3-mfa"
}
resource "aws_iam_server_certificate" "c" {
  name             = "tf3-cert"
  certificate_body = file("cert.pem")
  private_key      = file("key.pem")
}
resource "aws_iam_signing_certificate" "sc" {
  user_name        = aws_iam_user.u3.name
  certificate_body = file("cert.pem")
}
resource "aws_iam_service_linked_role" "eb" {
  aws_service_name = "elasticbeanstalk.amazonaws.com"
}
resource "aws_iam_saml_provider" "saml" {
  name                   = "tf3-idp"
  saml_metadata_document = file("saml.xml")
}
resource "aws_iam_service_specific_credential" "cc" {
  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.u3.name
}
resource "aws_iam_account_alias" "a" { account_alias = "tf3-alias" }

# ---------------- S3
resource "aws_s3_bucket" "n3" {
  bucket        = "tf3-notify"
  force_destroy = true
}
resource "aws_lambda_permission" "s3" {
  statement_id  = "AllowS3"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.arm.function_name
  principal     = "s3.amazonaws.com"
  source_arn    = aws_s3_bucket.n3.arn
}
resource "aws_s3_bucket_notification" "n3" {
  bucket = aws_s3_bucket.n3.id
  lambda_function {
    lambda_function_arn = aws_lambda_function.arm.arn
    events              = ["s3:ObjectCreated:*"]
    filter_prefix       = "uploads/"
    filter_suffix       = ".json"
  }
  depends_on = [aws_lambda_permission.s3]
}
resource "aws_s3_object" "src3" {
  bucket  = aws_s3_bucket.n3.id
  key     = "seed/data.txt"
  content = "hello tf3"
}
resource "aws_s3_object_copy" "cp" {
  bucket = aws_s3_bucket.n3.id
  key    = "copies/data.txt"
  source = "\${aws_s3_bucket.n3.id}/\${aws_s3_object.src3.key}"
}
resource "aws_s3_directory_bucket" "dir" {
  bucket = "tf3-dir--use1-az4--x-s3"
  location {
    name = "use1-az4"
  }
}
resource "aws_s3_bucket" "lock3" {
  bucket        = "tf3-lock-later"
  force_destroy = true
}
resource "aws_s3_bucket_versioning" "lock3" {
  bucket = aws_s3_bucket.lock3.id
  versioning_configuration { status = "Enabled" }
}
resource "aws_s3_bucket_object_lock_configuration" "lock3" {
  bucket = aws_s3_bucket.lock3.id
  rule {
    default_retention {
      mode  = "COMPLIANCE"
      years = 1
    }
  }
  depends_on = [aws_s3_bucket_versioning.lock3]
}
resource "aws_s3_bucket_lifecycle_configuration" "all" {
  bucket     = aws_s3_bucket.lock3.id
  depends_on = [aws_s3_bucket_versioning.lock3]
  rule {
    id     = "transitions"
    status = "Enabled"
    filter {
      prefix = "t/"
    }
    transition {
      days          = 30
      storage_class = "STANDARD_IA"
    }
    transition {
      days          = 90
      storage_class = "GLACIER"
    }
    expiration {
      days = 365
    }
  }
  rule {
    id     = "noncurrent"
    status = "Enabled"
    filter {}
    noncurrent_version_transition {
      noncurrent_days           = 30
      newer_noncurrent_versions = 2
      storage_class             = "GLACIER_IR"
    }
    noncurrent_version_expiration {
      noncurrent_days           = 90
      newer_noncurrent_versions = 3
    }
  }
  rule {
    id     = "abort"
    status = "Enabled"
    filter {
      prefix = ""
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
  rule {
    id     = "tag"
    status = "Disabled"
    filter {
      tag {
        key   = "tmp"
        value = "yes"
      }
    }
    expiration {
      days = 1
    }
  }
  rule {
    id     = "size"
    status = "Enabled"
    filter {
      object_size_greater_than = 1024
    }
    transition {
      days          = 0
      storage_class = "INTELLIGENT_TIERING"
    }
  }
  rule {
    id     = "and"
    status = "Enabled"
    filter {
      and {
        prefix                   = "logs/"
        tags                     = { a = "1", b = "2" }
        object_size_greater_than = 100
        object_size_less_than    = 1000000
      }
    }
    expiration {
      days = 400
    }
  }
  rule {
    id     = "markers"
    status = "Enabled"
    filter {
      prefix = "m/"
    }
    expiration {
      expired_object_delete_marker = true
    }
  }
  rule {
    id     = "date"
    status = "Enabled"
    filter {
      prefix = "old/"
    }
    expiration {
      date = "2030-01-01T00:00:00Z"
    }
  }
}

# ---------------- Lambda
resource "aws_lambda_function" "arm" {
  function_name    = "tf3-arm"
  role             = aws_iam_role.r3.arn
  runtime          = "nodejs20.x"
  handler          = "index.handler"
  filename         = "fn.zip"
  source_code_hash = filebase64sha256("fn.zip")
  architectures    = ["arm64"]
  publish          = true
}
resource "aws_lambda_alias" "arm" {
  name             = "prod"
  function_name    = aws_lambda_function.arm.function_name
  function_version = aws_lambda_function.arm.version
}
resource "aws_lambda_function_event_invoke_config" "alias" {
  function_name          = aws_lambda_function.arm.function_name
  qualifier              = aws_lambda_alias.arm.name
  maximum_retry_attempts = 0
}
resource "aws_lambda_runtime_management_config" "rm" {
  function_name     = aws_lambda_function.arm.function_name
  update_runtime_on = "FunctionUpdate"
}
resource "aws_lambda_invocation" "inv" {
  function_name = aws_lambda_function.arm.function_name
  input         = jsonencode({ hello = "tf3" })
}
resource "aws_lambda_function" "java" {
  function_name = "tf3-java"
  role          = aws_iam_role.r3.arn
  runtime       = "java21"
  handler       = "example.Handler::handleRequest"
  filename      = "java.zip"
  memory_size   = 512
  publish       = true
  snap_start {
    apply_on = "PublishedVersions"
  }
}
resource "aws_lambda_function" "vpc" {
  function_name = "tf3-vpc"
  role          = aws_iam_role.r3.arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "fn.zip"
  vpc_config {
    subnet_ids         = [aws_subnet.v3a.id, aws_subnet.v3b.id]
    security_group_ids = [aws_security_group.s3g.id]
  }
}
resource "aws_lambda_layer_version" "l3" {
  layer_name = "tf3-layer"
  filename   = "fn.zip"
}
resource "aws_lambda_layer_version_permission" "lp" {
  layer_name     = aws_lambda_layer_version.l3.layer_arn
  version_number = aws_lambda_layer_version.l3.version
  principal      = "*"
  action         = "lambda:GetLayerVersion"
  statement_id   = "public"
}

# ---------------- ECS
resource "aws_cloudwatch_log_group" "exec" { name = "/tf3/exec" }
resource "aws_ecs_cluster" "c3" {
  name = "tf3"
  configuration {
    execute_command_configuration {
      logging = "OVERRIDE"
      log_configuration {
        cloud_watch_log_group_name = aws_cloudwatch_log_group.exec.name
        s3_bucket_name             = aws_s3_bucket.flow3.id
        s3_key_prefix              = "exec"
      }
    }
  }
  service_connect_defaults {
    namespace = aws_service_discovery_http_namespace.sc.arn
  }
  # aws_ecs_tag below adds a tag Terraform does not manage here (as the provider documents).
  lifecycle {
    ignore_changes = [tags]
  }
}
resource "aws_ecs_tag" "t" {
  resource_arn = aws_ecs_cluster.c3.arn
  key          = "Owner"
  value        = "tf3"
}
resource "aws_ecs_account_setting_default" "lat" {
  name  = "taskLongArnFormat"
  value = "enabled"
}
resource "aws_service_discovery_http_namespace" "sc" { name = "tf3-sc" }
resource "aws_efs_file_system" "fs3" {
  creation_token = "tf3"
  encrypted      = true
}
resource "aws_efs_access_point" "ap3" {
  file_system_id = aws_efs_file_system.fs3.id
}
resource "aws_efs_mount_target" "mt3" {
  file_system_id  = aws_efs_file_system.fs3.id
  subnet_id       = aws_subnet.v3a.id
  ip_address      = "10.40.1.200"
  security_groups = [aws_security_group.s3g.id]
}
resource "aws_efs_file_system" "fs3r" {
  creation_token = "tf3-replicated"
}
resource "aws_efs_replication_configuration" "rep" {
  source_file_system_id = aws_efs_file_system.fs3r.id
  destination {
    region = "us-west-2"
  }
}
resource "aws_ecs_task_definition" "td3" {
  family                   = "tf3-full"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.r3.arn
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "ARM64"
  }
  volume {
    name = "data"
    efs_volume_configuration {
      file_system_id     = aws_efs_file_system.fs3.id
      root_directory     = "/"
      transit_encryption = "ENABLED"
      authorization_config {
        access_point_id = aws_efs_access_point.ap3.id
        iam             = "ENABLED"
      }
    }
  }
  container_definitions = jsonencode([
    {
      name                   = "web"
      image                  = "nginx:1.27"
      cpu                    = 256
      memory                 = 512
      memoryReservation      = 256
      essential              = true
      command                = ["nginx", "-g", "daemon off;"]
      entryPoint             = ["/docker-entrypoint.sh"]
      workingDirectory       = "/srv"
      user                   = "101"
      readonlyRootFilesystem = false
      portMappings           = [{ name = "http", containerPort = 80, hostPort = 80, protocol = "tcp", appProtocol = "http" }]
      environment            = [{ name = "B", value = "2" }, { name = "A", value = "1" }]
      secrets                = [{ name = "TOKEN", valueFrom = "arn:aws:ssm:us-east-1:000000000000:parameter/token" }]
      mountPoints            = [{ sourceVolume = "data", containerPath = "/data", readOnly = false }]
      ulimits                = [{ name = "nofile", softLimit = 1024, hardLimit = 4096 }]
      dockerLabels           = { team = "web" }
      healthCheck = {
        command     = ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]
        interval    = 30
        timeout     = 5
        retries     = 3
        startPeriod = 10
      }
      linuxParameters = {
        initProcessEnabled = true
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.exec.name
          "awslogs-region"        = "us-east-1"
          "awslogs-stream-prefix" = "web"
        }
      }
      dependsOn = [{ containerName = "sidecar", condition = "START" }]
    },
    {
      name             = "sidecar"
      image            = "busybox"
      essential        = false
      command          = ["sleep", "3600"]
      stopTimeout      = 30
      startTimeout     = 60
      interactive      = true
      pseudoTerminal   = true
      systemControls   = [{ namespace = "net.core.somaxconn", value = "1024" }]
      environmentFiles = [{ value = "arn:aws:s3:::tf3-flow-logs/app.env", type = "s3" }]
      volumesFrom      = [{ sourceContainer = "web", readOnly = true }]
      restartPolicy    = { enabled = true, ignoredExitCodes = [0], restartAttemptPeriod = 60 }
      linuxParameters  = { capabilities = { add = ["SYS_PTRACE"] } }
    },
    {
      name      = "log-router"
      image     = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable"
      essential = true
      firelensConfiguration = {
        type    = "fluentbit"
        options = { "enable-ecs-log-metadata" = "true" }
      }
      repositoryCredentials = { credentialsParameter = "arn:aws:secretsmanager:us-east-1:000000000000:secret:registry-AbCdEf" }
    }
  ])
  ephemeral_storage {
    size_in_gib = 30
  }
}
resource "aws_ecs_service" "s3svc" {
  name                               = "tf3-svc"
  cluster                            = aws_ecs_cluster.c3.id
  task_definition                    = aws_ecs_task_definition.td3.arn
  desired_count                      = 1
  launch_type                        = "FARGATE"
  deployment_maximum_percent         = 150
  deployment_minimum_healthy_percent = 50
  enable_execute_command             = true
  propagate_tags                     = "SERVICE"
  network_configuration {
    subnets         = [aws_subnet.v3a.id, aws_subnet.v3b.id]
    security_groups = [aws_security_group.s3g.id]
  }
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
  deployment_controller {
    type = "ECS"
  }
  service_connect_configuration {
    enabled   = true
    namespace = aws_service_discovery_http_namespace.sc.arn
    service {
      port_name      = "http"
      discovery_name = "web"
      client_alias {
        port     = 80
        dns_name = "web.tf3"
      }
    }
  }
  tags = { App = "tf3" }
}

# ---------------- ECR
resource "aws_ecr_replication_configuration" "rep" {
  replication_configuration {
    rule {
      destination {
        region      = "us-west-2"
        registry_id = data.aws_caller_identity.me3.account_id
      }
      repository_filter {
        filter      = "prod"
        filter_type = "PREFIX_MATCH"
      }
    }
  }
}
resource "aws_ecr_repository_creation_template" "t" {
  prefix               = "tf3"
  description          = "tf3 template"
  image_tag_mutability = "IMMUTABLE"
  applied_for          = ["PULL_THROUGH_CACHE", "REPLICATION"]
  encryption_configuration {
    encryption_type = "AES256"
  }
  resource_tags = { Team = "tf3" }
}
resource "aws_ecr_registry_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Replicate"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::\${data.aws_caller_identity.me3.account_id}:root" }
      Action    = ["ecr:ReplicateImage"]
      Resource  = "arn:aws:ecr:us-east-1:\${data.aws_caller_identity.me3.account_id}:repository/*"
    }]
  })
}

# ---------------- Logs
resource "aws_cloudwatch_log_group" "idx" { name = "/tf3/indexed" }
resource "aws_cloudwatch_log_account_policy" "dp" {
  policy_name = "tf3-dp"
  policy_type = "DATA_PROTECTION_POLICY"
  policy_document = jsonencode({
    Name    = "ACCOUNT_DATA_PROTECTION_POLICY"
    Version = "2021-06-01"
    Statement = [
      { Sid = "audit", DataIdentifier = ["arn:aws:dataprotection::aws:data-identifier/EmailAddress"], Operation = { Audit = { FindingsDestination = {} } } },
      { Sid = "redact", DataIdentifier = ["arn:aws:dataprotection::aws:data-identifier/EmailAddress"], Operation = { Deidentify = { MaskConfig = {} } } }
    ]
  })
}
resource "aws_cloudwatch_log_index_policy" "ip" {
  log_group_name  = aws_cloudwatch_log_group.idx.name
  policy_document = jsonencode({ Fields = ["eventName", "requestId"] })
}

resource "aws_iam_role" "logs_dest" {
  name = "tf3-logs-destination"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "logs.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
resource "aws_cloudwatch_log_destination" "d" {
  name       = "tf3-destination"
  role_arn   = aws_iam_role.logs_dest.arn
  target_arn = aws_lambda_function.arm.arn
}
resource "aws_cloudwatch_log_destination_policy" "d" {
  destination_name = aws_cloudwatch_log_destination.d.name
  access_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "111122223333" }, Action = "logs:PutSubscriptionFilter", Resource = aws_cloudwatch_log_destination.d.arn }]
  })
}
resource "aws_cloudwatch_log_delivery_destination" "dd" {
  name = "tf3-delivery-destination"
  delivery_destination_configuration {
    destination_resource_arn = aws_cloudwatch_log_group.idx.arn
  }
}

# ---------------- Cloud Map
resource "aws_service_discovery_public_dns_namespace" "pub" {
  name        = "tf3.example.com"
  description = "tf3 public"
}
resource "aws_service_discovery_service" "pub" {
  name = "www"
  dns_config {
    namespace_id   = aws_service_discovery_public_dns_namespace.pub.id
    routing_policy = "WEIGHTED"
    dns_records {
      ttl  = 60
      type = "CNAME"
    }
  }
  health_check_custom_config {
    failure_threshold = 1
  }
}
`;

/** An RSA public key in OpenSSH form (for aws_key_pair and aws_iam_user_ssh_key). */
/**
 * The fourth file: resources no other stack used, applied to find what their provider code needs (each found a
 * departure): security group and network ACL rules, an interface endpoint made without subnets, an interface
 * permission (GRANTED), an Elastic IP's domain name (its destroy waits for the reset
 * address to leave DescribeAddressesAttribute), multicast group member and source of one interface, a route server
 * with endpoint and peer, IAM group memberships and exclusive attachments, an SQS event source mapping with a filter.
 */
const STACK4 = `
data "aws_caller_identity" "r4" {}
resource "aws_vpc" "r4" {
  cidr_block = "10.40.0.0/16"
}
resource "aws_subnet" "r4" {
  vpc_id            = aws_vpc.r4.id
  cidr_block        = "10.40.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_security_group" "r4_a" {
  name   = "tf4-a"
  vpc_id = aws_vpc.r4.id
}
resource "aws_security_group" "r4_b" {
  name   = "tf4-b"
  vpc_id = aws_vpc.r4.id
}
resource "aws_security_group_rule" "r4_cidr" {
  type              = "ingress"
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8", "192.168.0.0/16"]
  ipv6_cidr_blocks  = ["::/0"]
  security_group_id = aws_security_group.r4_a.id
  description       = "https"
}
resource "aws_security_group_rule" "r4_sg" {
  type                     = "ingress"
  from_port                = 5432
  to_port                  = 5432
  protocol                 = "tcp"
  source_security_group_id = aws_security_group.r4_b.id
  security_group_id        = aws_security_group.r4_a.id
}
resource "aws_security_group_rule" "r4_icmp" {
  type              = "egress"
  from_port         = 8
  to_port           = 0
  protocol          = "icmp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = aws_security_group.r4_b.id
}
resource "aws_network_acl" "r4" {
  vpc_id = aws_vpc.r4.id
}
resource "aws_network_acl_rule" "r4" {
  network_acl_id = aws_network_acl.r4.id
  rule_number    = 210
  egress         = true
  protocol       = "icmp"
  rule_action    = "deny"
  cidr_block     = "0.0.0.0/0"
  icmp_type      = 8
  icmp_code      = -1
}
resource "aws_network_acl_association" "r4" {
  network_acl_id = aws_network_acl.r4.id
  subnet_id      = aws_subnet.r4.id
}
# An interface endpoint made without subnets (aws_vpc_endpoint_subnet_association would give it one, after a minute
# the provider always sleeps, so it is left to the SDK tests).
resource "aws_vpc_endpoint" "r4_logs" {
  vpc_id            = aws_vpc.r4.id
  service_name      = "com.amazonaws.us-east-1.logs"
  vpc_endpoint_type = "Interface"
}
resource "aws_vpc_endpoint_security_group_association" "r4" {
  vpc_endpoint_id             = aws_vpc_endpoint.r4_logs.id
  security_group_id           = aws_security_group.r4_a.id
  replace_default_association = false
}
resource "aws_network_interface" "r4" {
  subnet_id = aws_subnet.r4.id
}
resource "aws_network_interface_sg_attachment" "r4" {
  security_group_id    = aws_security_group.r4_b.id
  network_interface_id = aws_network_interface.r4.id
}
resource "aws_network_interface_permission" "r4" {
  network_interface_id = aws_network_interface.r4.id
  aws_account_id       = "111122223333"
  permission           = "INSTANCE-ATTACH"
}
resource "aws_eip" "r4" {
  domain = "vpc"
}
resource "aws_eip_domain_name" "r4" {
  allocation_id = aws_eip.r4.allocation_id
  domain_name   = "www.example.com"
}
resource "aws_ec2_transit_gateway" "r4" {
  multicast_support               = "enable"
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
}
resource "aws_ec2_transit_gateway_vpc_attachment" "r4" {
  transit_gateway_id                              = aws_ec2_transit_gateway.r4.id
  vpc_id                                          = aws_vpc.r4.id
  subnet_ids                                      = [aws_subnet.r4.id]
  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
}
resource "aws_ec2_transit_gateway_multicast_domain" "r4" {
  transit_gateway_id = aws_ec2_transit_gateway.r4.id
  igmpv2_support     = "enable"
}
resource "aws_ec2_transit_gateway_multicast_domain_association" "r4" {
  subnet_id                           = aws_subnet.r4.id
  transit_gateway_attachment_id       = aws_ec2_transit_gateway_vpc_attachment.r4.id
  transit_gateway_multicast_domain_id = aws_ec2_transit_gateway_multicast_domain.r4.id
}
# One interface both member and source of a group: two rows in SearchTransitGatewayMulticastGroups.
resource "aws_ec2_transit_gateway_multicast_group_member" "r4" {
  group_ip_address                    = "224.0.0.1"
  network_interface_id                = aws_network_interface.r4.id
  transit_gateway_multicast_domain_id = aws_ec2_transit_gateway_multicast_domain_association.r4.transit_gateway_multicast_domain_id
}
resource "aws_ec2_transit_gateway_multicast_group_source" "r4" {
  group_ip_address                    = "224.0.0.1"
  network_interface_id                = aws_network_interface.r4.id
  transit_gateway_multicast_domain_id = aws_ec2_transit_gateway_multicast_domain_association.r4.transit_gateway_multicast_domain_id
}
resource "aws_vpc_route_server" "r4" {
  amazon_side_asn = 65000
}
resource "aws_vpc_route_server_vpc_association" "r4" {
  route_server_id = aws_vpc_route_server.r4.route_server_id
  vpc_id          = aws_vpc.r4.id
}
resource "aws_vpc_route_server_endpoint" "r4" {
  route_server_id = aws_vpc_route_server.r4.route_server_id
  subnet_id       = aws_subnet.r4.id
  depends_on      = [aws_vpc_route_server_vpc_association.r4]
}
resource "aws_vpc_route_server_peer" "r4" {
  route_server_endpoint_id = aws_vpc_route_server_endpoint.r4.route_server_endpoint_id
  peer_address             = "10.40.1.100"
  bgp_options {
    peer_asn = 65001
  }
}
# Data sources read what this file made (and AWS's own services and offerings).
data "aws_vpc" "r4" {
  id = aws_vpc.r4.id
}
data "aws_subnet" "r4" {
  id = aws_subnet.r4.id
}
data "aws_security_groups" "r4" {
  filter {
    name   = "vpc-id"
    values = [aws_vpc.r4.id]
  }
  depends_on = [aws_security_group.r4_a, aws_security_group.r4_b]
}
data "aws_vpc_security_group_rules" "r4" {
  filter {
    name   = "group-id"
    values = [aws_security_group.r4_a.id]
  }
  depends_on = [aws_security_group_rule.r4_cidr, aws_security_group_rule.r4_sg]
}
data "aws_network_interface" "r4" {
  id = aws_network_interface_sg_attachment.r4.network_interface_id
}
data "aws_eip" "r4" {
  id = aws_eip_domain_name.r4.allocation_id
}
data "aws_ec2_transit_gateway_vpc_attachment" "r4" {
  id = aws_ec2_transit_gateway_vpc_attachment.r4.id
}
data "aws_vpc_endpoint_service" "r4_s3" {
  service      = "s3"
  service_type = "Gateway"
}
data "aws_ec2_instance_type_offering" "r4" {
  filter {
    name   = "instance-type"
    values = ["t3.micro", "t3.small"]
  }
  preferred_instance_types = ["t3.small", "t3.micro"]
}
data "aws_ec2_spot_price" "r4" {
  instance_type     = "t3.micro"
  availability_zone = "us-east-1a"
  filter {
    name   = "product-description"
    values = ["Linux/UNIX"]
  }
}
data "aws_iam_group" "r4" {
  group_name = one(aws_iam_user_group_membership.r4.groups)
}
data "aws_lambda_function" "r4" {
  function_name = aws_lambda_function.r4.function_name
}
output "r4_data" {
  value = {
    vpc_cidr       = data.aws_vpc.r4.cidr_block
    subnet_az      = data.aws_subnet.r4.availability_zone
    groups         = length(data.aws_security_groups.r4.ids)
    rules          = length(data.aws_vpc_security_group_rules.r4.ids)
    eni_groups     = length(data.aws_network_interface.r4.security_groups)
    eip_ptr        = data.aws_eip.r4.ptr_record
    tgw_attachment = data.aws_ec2_transit_gateway_vpc_attachment.r4.vpc_id == aws_vpc.r4.id
    s3_service_arn = data.aws_vpc_endpoint_service.r4_s3.arn
    offering       = data.aws_ec2_instance_type_offering.r4.instance_type
    group_users    = length(data.aws_iam_group.r4.users)
    fn_runtime     = data.aws_lambda_function.r4.runtime
  }
}
resource "aws_iam_user" "r4" {
  name = "tf4-user"
}
resource "aws_iam_group" "r4" {
  name = "tf4-group"
}
resource "aws_iam_user_group_membership" "r4" {
  user   = aws_iam_user.r4.name
  groups = [aws_iam_group.r4.name]
}
resource "aws_iam_policy" "r4" {
  name   = "tf4-policy"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:ListAllMyBuckets", Resource = "*" }] })
}
resource "aws_iam_user_policy_attachment" "r4" {
  user       = aws_iam_user.r4.name
  policy_arn = aws_iam_policy.r4.arn
}
resource "aws_iam_user_policy_attachments_exclusive" "r4" {
  user_name   = aws_iam_user.r4.name
  policy_arns = [aws_iam_user_policy_attachment.r4.policy_arn]
}
resource "aws_iam_role" "r4" {
  name               = "tf4-role"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_lambda_function" "r4" {
  function_name    = "tf4-fn"
  role             = aws_iam_role.r4.arn
  handler          = "index.handler"
  runtime          = "nodejs20.x"
  filename         = "fn.zip"
  source_code_hash = filebase64sha256("fn.zip")
}
resource "aws_lambda_event_source_mapping" "r4" {
  event_source_arn = "arn:aws:sqs:us-east-1:\${data.aws_caller_identity.r4.account_id}:tf4-queue"
  function_name    = aws_lambda_function.r4.arn
  batch_size       = 5
  filter_criteria {
    filter {
      pattern = jsonencode({ body = { kind = ["a"] } })
    }
  }
}
`;

const sshRsaPublicKey = () => `${sshRsaKey("tf3@awsim").body}\n`;

/** A self-signed certificate and its key, made with openssl, and SAML metadata naming the certificate. */
function certificateFiles(): Record<string, string> {
  const tmp = mkdtempSync(join(tmpdir(), "awsim-tf3-cert-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        join(tmp, "key.pem"),
        "-out",
        join(tmp, "cert.pem"),
        "-days",
        "30",
        "-subj",
        "/CN=tf3.example.com",
      ],
      { stdio: "ignore" },
    );
    const cert = readFileSync(join(tmp, "cert.pem"), "utf8");
    const der = cert.replace(/-----[A-Z ]+-----|\s/g, "");
    const saml = `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example.com/saml">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${der}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
`;
    return { "cert.pem": cert, "key.pem": readFileSync(join(tmp, "key.pem"), "utf8"), "saml.xml": saml };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

let dir: string;

describe.skipIf(!enabled)("terraform stack across all ten services", () => {
  // --persist: after the checks below the server restarts from its data directory, and the plan must still
  // find everything Terraform made (every service's state written and read back, not just what tests name).
  const dataDir = mkdtempSync(join(tmpdir(), "awsim-tf-stack-data-"));
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });
  const t = useServer({ persist: true, dataDir });
  beforeAll(() => {
    dir = terraformDir("awsim-tf-stack-", {
      "main.tf": STACK,
      "fn.zip": zip({ "index.js": "exports.handler = async (event) => ({ ok: true, event });\n" }),
      "extra.tf": STACK2,
      "layer.zip": zip({ "nodejs/lib.js": "module.exports = 1;\n" }),
      "extra3.tf": STACK3,
      "extra4.tf": STACK4,
      "java.zip": zip({ "example/Handler.class": "cafebabe" }),
      "id.pub": sshRsaPublicKey(),
      ...certificateFiles(),
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
    // The third file: an account alias, a prefix list grown by an entry resource, a Spot Fleet Terraform made.
    expect((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(["tf3-alias"]);
    const pl = (await ec2.send(new DescribeManagedPrefixListsCommand({ Filters: [{ Name: "prefix-list-name", Values: ["tf3-pl2"] }] }))).PrefixLists!;
    expect(pl.map((p) => [p.State, p.Version])).toEqual([["modify-complete", 2]]);
    const fleets = (await ec2.send(new DescribeSpotFleetRequestsCommand({}))).SpotFleetRequestConfigs!;
    expect(fleets.map((f) => [f.SpotFleetRequestState, f.SpotFleetRequestConfig!.ExcessCapacityTerminationPolicy])).toEqual([["active", "Default"]]);

    // The fourth file: the interface endpoint has no subnet, the permission is GRANTED, the
    // address has its domain name, and the interface is a member and a source of its group (two rows).
    const vpce = (await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: "service-name", Values: ["com.amazonaws.us-east-1.logs"] }] })))
      .VpcEndpoints!;
    expect(vpce.map((v) => [v.VpcEndpointType, v.SubnetIds!.length])).toEqual([["Interface", 0]]);
    const perms = (await ec2.send(new DescribeNetworkInterfacePermissionsCommand({}))).NetworkInterfacePermissions!;
    expect(perms.map((p) => [p.AwsAccountId, p.PermissionState?.State])).toEqual([["111122223333", "GRANTED"]]);
    const ptr = (await ec2.send(new DescribeAddressesAttributeCommand({ Attribute: "domain-name" }))).Addresses!;
    expect(ptr.map((a) => a.PtrRecord)).toEqual(["www.example.com."]);
    const domain = (await ec2.send(new DescribeTransitGatewayMulticastDomainsCommand({}))).TransitGatewayMulticastDomains![0]!;
    const rows = (await ec2.send(new SearchTransitGatewayMulticastGroupsCommand({ TransitGatewayMulticastDomainId: domain.TransitGatewayMulticastDomainId })))
      .MulticastGroups!;
    expect(rows.map((g) => [g.GroupIpAddress, g.GroupMember, g.GroupSource])).toEqual([
      ["224.0.0.1", true, false],
      ["224.0.0.1", false, true],
    ]);

    // The fourth file's data sources read those resources back (the state holds what they read).
    const state = JSON.parse(readFileSync(join(dir, "terraform.tfstate"), "utf8")) as { outputs: Record<string, { value: Record<string, unknown> }> };
    const r4 = state.outputs.r4_data!.value;
    expect(r4).toMatchObject({ vpc_cidr: "10.40.0.0/16", subnet_az: "us-east-1a", eip_ptr: "www.example.com.", tgw_attachment: true });
    expect(r4).toMatchObject({ groups: 3, rules: 4, eni_groups: 2, offering: "t3.small", group_users: 1, fn_runtime: "nodejs20.x" });
    expect(r4.s3_service_arn).toMatch(/^arn:aws:ec2:us-east-1:\d{12}:vpc-endpoint-service\/vpce-svc-[0-9a-f]{17}$/);

    // Restarted from --persist's files, reading everything back must match what was written: no changes planned.
    await t.server.stop();
    (t as { server: AwsimServer }).server = await startServer({ persist: true, dataDir });
    const plan = await tf(dir, t.server.url, ["plan", "-detailed-exitcode", "-parallelism=30"]);
    expect(plan.code, plan.out).toBe(0);
    expect(plan.out).toContain("No changes");

    const destroy = await tf(dir, t.server.url, ["destroy", "-auto-approve", "-parallelism=30", "-refresh=false"]);
    expect(destroy.code, destroy.out).toBe(0);
    // The clients above still point at the server before the restart.
    const now = clientConfig(t.server);
    expect((await new S3Client({ ...now, forcePathStyle: true }).send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    const iamNow = new IAMClient(now);
    expect((await iamNow.send(new ListRolesCommand({ PathPrefix: "/service/" }))).Roles).toEqual([]);
    expect((await iamNow.send(new ListUsersCommand({ PathPrefix: "/ci/" }))).Users).toEqual([]);
    expect((await new LambdaClient(now).send(new ListFunctionsCommand({}))).Functions).toEqual([]);
    expect((await new CloudWatchLogsClient(now).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/tf-stack/" }))).logGroups).toEqual([]);
    expect((await new ECRClient(now).send(new DescribeRepositoriesCommand({}))).repositories).toEqual([]);
    expect((await new ECSClient(now).send(new ListClustersCommand({}))).clusterArns).toEqual([]);
    expect((await new EFSClient(now).send(new DescribeFileSystemsCommand({}))).FileSystems).toEqual([]);
    expect((await new ServiceDiscoveryClient(now).send(new ListNamespacesCommand({}))).Namespaces).toEqual([]);
    expect((await new EC2Client(now).send(new DescribeVpcsCommand({}))).Vpcs!.map((v) => v.IsDefault)).toEqual([true]);
  });
});
