/**
 * Scenarios from the Terraform AWS provider's acceptance tests (configs that ran against real AWS, whose
 * TestCheckResourceAttr expectations are what the provider read back there) that awsim answered differently:
 * each is checked with the SDKs (runs without terraform too) and applied as one Terraform stack that must
 * plan "No changes" and destroy clean.
 */
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  ListClustersCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import {
  CreateBucketCommand,
  GetBucketLoggingCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketLoggingCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { CreateHttpNamespaceCommand, GetOperationCommand, ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListFunctionsCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";
import { attachedProvider, awsProvider, terraformAvailable, terraformDir, tf } from "../terraform.js";
import { zip } from "./lambda-helpers.js";

const enabled = terraformAvailable("the Terraform acceptance scenarios");

describe("provider acceptance read-backs", () => {
  const t = useServer();

  it("ECS: a service keeps its availabilityZoneRebalancing, and a spread over host is answered as instanceId", async () => {
    const ecs = new ECSClient(clientConfig(t.server));
    await ecs.send(new CreateClusterCommand({ clusterName: "acc" }));
    await ecs.send(new RegisterTaskDefinitionCommand({ family: "acc", containerDefinitions: [{ name: "c", image: "busybox", memory: 64 }] }));
    const created = (
      await ecs.send(
        new CreateServiceCommand({
          cluster: "acc",
          serviceName: "s",
          taskDefinition: "acc",
          availabilityZoneRebalancing: "ENABLED",
          placementStrategy: [
            { type: "binpack", field: "memory" },
            { type: "spread", field: "host" },
          ],
        }),
      )
    ).service!;
    expect(created.availabilityZoneRebalancing).toBe("ENABLED");
    expect(created.placementStrategy).toEqual([
      { type: "binpack", field: "memory" },
      { type: "spread", field: "instanceId" },
    ]);
    const updated = (
      await ecs.send(
        new UpdateServiceCommand({
          cluster: "acc",
          service: "s",
          availabilityZoneRebalancing: "DISABLED",
          placementStrategy: [{ type: "spread", field: "host" }],
        }),
      )
    ).service!;
    expect(updated.availabilityZoneRebalancing).toBe("DISABLED");
    expect(updated.placementStrategy).toEqual([{ type: "spread", field: "instanceId" }]);
    // Left out of an update, it stays.
    await ecs.send(new UpdateServiceCommand({ cluster: "acc", service: "s", desiredCount: 0 }));
    expect((await ecs.send(new DescribeServicesCommand({ cluster: "acc", services: ["s"] }))).services![0]!.availabilityZoneRebalancing).toBe("DISABLED");
  });

  it("ECS: Service Connect services default their discoveryName to the portName and client aliases to discoveryName.namespace", async () => {
    const cfg = clientConfig(t.server);
    const ecs = new ECSClient(cfg);
    const sd = new ServiceDiscoveryClient(cfg);
    const op = (await sd.send(new CreateHttpNamespaceCommand({ Name: "acc-ns" }))).OperationId;
    const nsId = (await sd.send(new GetOperationCommand({ OperationId: op }))).Operation!.Targets!.NAMESPACE!;
    const nsArn = `arn:aws:servicediscovery:us-east-1:000000000000:namespace/${nsId}`;
    await ecs.send(new CreateClusterCommand({ clusterName: "acc-sc", serviceConnectDefaults: { namespace: nsArn } }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "acc-sc",
        networkMode: "bridge",
        containerDefinitions: [{ name: "web", image: "nginx", memory: 64, portMappings: [{ name: "http", containerPort: 8080, appProtocol: "http" }] }],
      }),
    );
    const created = (
      await ecs.send(
        new CreateServiceCommand({
          cluster: "acc-sc",
          serviceName: "web",
          taskDefinition: "acc-sc",
          serviceConnectConfiguration: { enabled: true, services: [{ portName: "http", clientAliases: [{ port: 8080 }] }] },
        }),
      )
    ).service!;
    expect(created.deployments![0]!.serviceConnectConfiguration).toEqual({
      enabled: true,
      namespace: nsArn,
      services: [{ portName: "http", discoveryName: "http", clientAliases: [{ port: 8080, dnsName: "http.acc-ns" }] }],
    });
    const updated = (
      await ecs.send(
        new UpdateServiceCommand({
          cluster: "acc-sc",
          service: "web",
          serviceConnectConfiguration: {
            enabled: true,
            namespace: nsArn,
            services: [{ portName: "http", discoveryName: "front", clientAliases: [{ port: 80 }, { port: 81, dnsName: "given.example" }] }],
          },
        }),
      )
    ).service!;
    expect(updated.deployments![0]!.serviceConnectConfiguration!.services).toEqual([
      {
        portName: "http",
        discoveryName: "front",
        clientAliases: [
          { port: 80, dnsName: "front.acc-ns" },
          { port: 81, dnsName: "given.example" },
        ],
      },
    ]);
  });
});

describe("provider acceptance read-backs: Lambda", () => {
  const t = useServer();

  it("Lambda: an update naming only SecurityGroupIds keeps the function's subnets (replace_security_groups_on_destroy)", async () => {
    const cfg = clientConfig(t.server);
    const ec2 = new EC2Client(cfg);
    const lambda = new LambdaClient(cfg);
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }))).Vpc!.VpcId!;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.9.1.0/24" }))).Subnet!.SubnetId!;
    const sg1 = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: "one", Description: "one" }))).GroupId!;
    const sg2 = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: "two", Description: "two" }))).GroupId!;
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: "acc-vpc",
        Role: "arn:aws:iam::000000000000:role/acc",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Code: { ZipFile: zip({ "index.js": "exports.handler = async () => 1;\n" }) },
        VpcConfig: { SubnetIds: [subnet], SecurityGroupIds: [sg1] },
      }),
    );
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: "acc-vpc" });
    const updated = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "acc-vpc", VpcConfig: { SecurityGroupIds: [sg2] } }));
    expect(updated.VpcConfig).toMatchObject({ SubnetIds: [subnet], SecurityGroupIds: [sg2], VpcId: vpc });
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: "acc-vpc" });
    // Subnets without security groups are still refused, and empty lists still detach the VPC.
    await expectAwsError(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "acc-vpc", VpcConfig: { SubnetIds: [subnet], SecurityGroupIds: [] } })),
      { name: "InvalidParameterValueException", status: 400, message: "SubnetIds and SecurityIds must coexist or be both empty list." },
    );
    const detached = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "acc-vpc", VpcConfig: { SubnetIds: [], SecurityGroupIds: [] } }));
    expect(detached.VpcConfig).toMatchObject({ SubnetIds: [], SecurityGroupIds: [] });
  });
});

describe("provider acceptance read-backs: Lambda environment", () => {
  const t = useServer();

  it("Lambda: an update to no environment variables leaves the function with no Environment", async () => {
    const lambda = new LambdaClient(clientConfig(t.server));
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: "acc-env",
        Role: "arn:aws:iam::000000000000:role/acc",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Code: { ZipFile: zip({ "index.js": "exports.handler = async () => 1;\n" }) },
        Environment: { Variables: { foo: "bar" } },
      }),
    );
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: "acc-env" });
    const cleared = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "acc-env", Environment: { Variables: {} } }));
    expect(cleared.Environment).toBeUndefined();
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: "acc-env" });
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "acc-env" }))).Environment).toBeUndefined();
    const again = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "acc-env", Environment: { Variables: { ab: "1" } } }));
    expect(again.Environment).toEqual({ Variables: { ab: "1" } });
  });
});

describe("provider acceptance read-backs: S3", () => {
  const t = useServer();

  it("S3: access logs of a partitioned key format go under SourceAccountId/SourceRegion/SourceBucket/YYYY/MM/DD/", async () => {
    const s3 = new S3Client({ ...clientConfig(t.server), forcePathStyle: true });
    for (const b of ["acc-src", "acc-simple", "acc-logs"]) await s3.send(new CreateBucketCommand({ Bucket: b }));
    await s3.send(
      new PutBucketLoggingCommand({
        Bucket: "acc-src",
        BucketLoggingStatus: {
          LoggingEnabled: { TargetBucket: "acc-logs", TargetPrefix: "p/", TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: "EventTime" } } },
        },
      }),
    );
    await s3.send(
      new PutBucketLoggingCommand({
        Bucket: "acc-simple",
        BucketLoggingStatus: { LoggingEnabled: { TargetBucket: "acc-logs", TargetPrefix: "s/", TargetObjectKeyFormat: { SimplePrefix: {} } } },
      }),
    );
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: "acc-src" }))).LoggingEnabled!.TargetObjectKeyFormat).toEqual({
      PartitionedPrefix: { PartitionDateSource: "EventTime" },
    });
    await s3.send(new PutObjectCommand({ Bucket: "acc-src", Key: "k", Body: "x" }));
    await s3.send(new PutObjectCommand({ Bucket: "acc-simple", Key: "k", Body: "x" }));
    const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: "acc-logs" }))).Contents ?? []).map((o) => o.Key!);
    const day = new Date().toISOString().slice(0, 10);
    const [y, m, d] = day.split("-");
    expect(keys.some((k) => k.startsWith(`p/000000000000/us-east-1/acc-src/${y}/${m}/${d}/${day}-`))).toBe(true);
    expect(keys.some((k) => /^s\/\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9A-F]{16}$/.test(k))).toBe(true);
  });
});

// From the provider's internal/service/ecs/service_test.go and cluster_test.go (literal names for rName).
const ECS = `
data "aws_availability_zones" "available" {
  state = "available"
}
resource "aws_vpc" "acc" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "acc" {
  count             = 2
  vpc_id            = aws_vpc.acc.id
  availability_zone = data.aws_availability_zones.available.names[count.index]
  cidr_block        = cidrsubnet(aws_vpc.acc.cidr_block, 8, count.index)
}
resource "aws_security_group" "acc" {
  name   = "acc"
  vpc_id = aws_vpc.acc.id
}
resource "aws_service_discovery_http_namespace" "acc" {
  name = "acc-ns"
}
resource "aws_ecs_cluster" "acc" {
  name = "acc"
  service_connect_defaults {
    namespace = aws_service_discovery_http_namespace.acc.arn
  }
}
resource "aws_ecs_task_definition" "mongo" {
  family                = "acc-mongo"
  container_definitions = jsonencode([{ cpu = 128, essential = true, image = "mongo:latest", memory = 128, name = "mongodb" }])
}
resource "aws_ecs_task_definition" "nginx" {
  family       = "acc-nginx"
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name         = "test-nginx"
    image        = "nginx"
    cpu          = 10
    memory       = 512
    essential    = true
    portMappings = [{ name = "nginx-http", containerPort = 8080, protocol = "tcp", appProtocol = "http" }]
  }])
}
# TestAccECSService_PlacementStrategy_basic (multiplacementStrategy)
resource "aws_ecs_service" "multi" {
  name            = "multi"
  cluster         = aws_ecs_cluster.acc.id
  task_definition = aws_ecs_task_definition.mongo.arn
  desired_count   = 1
  ordered_placement_strategy {
    type  = "binpack"
    field = "memory"
  }
  ordered_placement_strategy {
    field = "host"
    type  = "spread"
  }
}
# TestAccECSService_AvailabilityZoneRebalancing
resource "aws_ecs_service" "azreb" {
  name                          = "azreb"
  cluster                       = aws_ecs_cluster.acc.id
  task_definition               = aws_ecs_task_definition.mongo.arn
  availability_zone_rebalancing = "ENABLED"
}
# TestAccECSService_ServiceConnect_ingressPortOverride
resource "aws_ecs_service" "sc" {
  name            = "sc"
  cluster         = aws_ecs_cluster.acc.id
  task_definition = aws_ecs_task_definition.nginx.arn
  desired_count   = 1
  network_configuration {
    subnets          = aws_subnet.acc[*].id
    security_groups  = [aws_security_group.acc.id]
    assign_public_ip = false
  }
  service_connect_configuration {
    enabled   = true
    namespace = aws_service_discovery_http_namespace.acc.arn
    service {
      client_alias {
        port = 8080
      }
      port_name = "nginx-http"
    }
  }
}
`;

// internal/service/lambda/function_test.go (TestAccLambdaFunction_VPC_replaceSGWithCustom) and
// internal/service/s3/bucket_logging_test.go (TestAccS3BucketLogging_withTargetObjectKeyFormat).
const LAMBDA_S3 = `
resource "aws_iam_role" "fn" {
  name = "acc-fn"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Action = "sts:AssumeRole", Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}
resource "aws_security_group" "fn" {
  name   = "acc-fn"
  vpc_id = aws_vpc.acc.id
}
resource "aws_security_group" "fn_replacement" {
  name   = "acc-fn-replacement"
  vpc_id = aws_vpc.acc.id
}
resource "aws_lambda_function" "vpc" {
  filename      = "fn.zip"
  function_name = "acc-vpc"
  role          = aws_iam_role.fn.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  vpc_config {
    subnet_ids         = [aws_subnet.acc[0].id]
    security_group_ids = [aws_security_group.fn.id]
  }
  replace_security_groups_on_destroy = true
  replacement_security_group_ids     = [aws_security_group.fn_replacement.id]
  environment {
    variables = { foo = "bar" }
  }
}
resource "aws_s3_bucket" "src" {
  bucket = "acc-log-src"
}
resource "aws_s3_bucket" "logs" {
  bucket        = "acc-log-target"
  force_destroy = true
}
resource "aws_s3_bucket_logging" "src" {
  bucket        = aws_s3_bucket.src.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "log/"
  target_object_key_format {
    partitioned_prefix {
      partition_date_source = "EventTime"
    }
  }
}
`;

let dir = "";
let provider: Awaited<ReturnType<typeof attachedProvider>> | undefined;

/** The attribute values of every resource in the state (`terraform show -json`), by address. */
function resources(url: string): Record<string, Record<string, unknown>> {
  const out = execFileSync("terraform", ["show", "-json", "-no-color"], {
    cwd: dir,
    env: { ...process.env, TF_CLI_CONFIG_FILE: join(dir, "cli.tfrc"), TF_VAR_endpoint: url, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
  const all: Record<string, Record<string, unknown>> = {};
  for (const r of JSON.parse(out.toString()).values.root_module.resources) all[r.address] = r.values;
  return all;
}

describe.skipIf(!enabled)("terraform: provider acceptance scenarios", () => {
  afterAll(() => {
    provider?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const t = useServer();
  beforeAll(async () => {
    dir = terraformDir("awsim-tf-acc-", {
      "main.tf": awsProvider({ header: true }),
      "ecs.tf": ECS,
      "lambda-s3.tf": LAMBDA_S3,
      "fn.zip": zip({ "index.js": "exports.handler = async () => 1;\n" }),
    });
    provider = await attachedProvider(dir);
  });

  it("applies, reads back what AWS reads back, plans no changes and destroys", { timeout: 600_000 }, async () => {
    const init = await tf(dir, t.server.url, ["init"]);
    expect(init.code, init.out).toBe(0);
    const apply = await tf(dir, t.server.url, ["apply", "-auto-approve", "-parallelism=30"], provider!.reattach);
    expect(apply.code, apply.out).toBe(0);

    const state = resources(t.server.url);
    // ordered_placement_strategy.1.field: "instanceId"
    expect(state["aws_ecs_service.multi"]!.ordered_placement_strategy).toEqual([
      { type: "binpack", field: "memory" },
      { type: "spread", field: "instanceId" },
    ]);
    expect(state["aws_ecs_service.azreb"]!.availability_zone_rebalancing).toBe("ENABLED");
    // service_connect_configuration.0.service.0: discovery_name "nginx-http", client_alias.0.dns_name "nginx-http.<namespace>"
    const sc = (state["aws_ecs_service.sc"]!.service_connect_configuration as Array<{ service: Array<Record<string, unknown>> }>)[0]!.service[0]!;
    expect([sc.discovery_name, sc.port_name, sc.ingress_port_override, sc.client_alias]).toEqual([
      "nginx-http",
      "nginx-http",
      0,
      [{ dns_name: "nginx-http.acc-ns", port: 8080 }],
    ]);

    expect(state["aws_s3_bucket_logging.src"]!.target_object_key_format).toEqual([
      { partitioned_prefix: [{ partition_date_source: "EventTime" }], simple_prefix: [] },
    ]);

    // TestAccLambdaFunction_envVariables' last step: the environment block removed, nothing is left to read back.
    writeFileSync(join(dir, "lambda-s3.tf"), LAMBDA_S3.replace(/ {2}environment \{[^}]*\}\n {2}\}\n/, ""));
    const update = await tf(dir, t.server.url, ["apply", "-auto-approve", "-parallelism=30"], provider!.reattach);
    expect(update.code, update.out).toBe(0);
    expect(update.out).toMatch(/Resources: 0 added, 1 changed, 0 destroyed/);
    expect(resources(t.server.url)["aws_lambda_function.vpc"]!.environment).toEqual([]);

    const plan = await tf(dir, t.server.url, ["plan", "-detailed-exitcode", "-parallelism=30"], provider!.reattach);
    expect(plan.code, plan.out).toBe(0);
    expect(plan.out).toContain("No changes");

    const destroy = await tf(dir, t.server.url, ["destroy", "-auto-approve", "-parallelism=30", "-refresh=false"], provider!.reattach);
    expect(destroy.code, destroy.out).toBe(0);
    const ecs = new ECSClient(clientConfig(t.server));
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([]);
    // The function's security groups were swapped before it went (replace_security_groups_on_destroy).
    expect(destroy.out).toMatch(/aws_lambda_function\.vpc: Destruction complete/);
    expect((await new LambdaClient(clientConfig(t.server)).send(new ListFunctionsCommand({}))).Functions).toEqual([]);
    expect((await new S3Client({ ...clientConfig(t.server), forcePathStyle: true }).send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
  });
});
