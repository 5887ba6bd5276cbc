/**
 * Lambda output members the rest of the suite never saw filled: the defaults AWS answers for Kafka event source
 * mappings and capacity providers, and the configured members Publish/Get/Delete answers echo.
 */
import {
  CreateAliasCommand,
  CreateCapacityProviderCommand,
  CreateEventSourceMappingCommand,
  CreateFunctionUrlConfigCommand,
  DeleteCapacityProviderCommand,
  DeleteEventSourceMappingCommand,
  GetAliasCommand,
  GetCapacityProviderCommand,
  GetEventSourceMappingCommand,
  GetFunctionConfigurationCommand,
  GetFunctionUrlConfigCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  GetRuntimeManagementConfigCommand,
  LambdaClient,
  ListCapacityProvidersCommand,
  ListEventSourceMappingsCommand,
  ListFunctionUrlConfigsCommand,
  ListLayerVersionsCommand,
  ListLayersCommand,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  PutRuntimeManagementConfigCommand,
  UpdateCapacityProviderCommand,
  UpdateEventSourceMappingCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionUrlConfigCommand,
} from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";
import { createNodeFunction, zip } from "./lambda-helpers.js";

const ACCOUNT = "000000000000";
const CODE = "exports.handler = async () => 1;";
const MSK = `arn:aws:kafka:us-east-1:${ACCOUNT}:cluster/orders/1a2b3c4d-1234-5678-9abc-def012345678-1`;
const strip = <T extends { $metadata?: unknown }>({ $metadata: _m, ...rest }: T) => rest;

describe("Lambda members the suite never saw filled", () => {
  const sim = useServer({ reset: "lambda" }, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  it("Kafka mappings answer their consumer group: the mapping's UUID unless the request names one, kept by updates", async () => {
    await createNodeFunction(sim.lambda, "consumer", CODE);
    const msk = await sim.lambda.send(
      new CreateEventSourceMappingCommand({ FunctionName: "consumer", EventSourceArn: MSK, Topics: ["orders"], StartingPosition: "LATEST" }),
    );
    expect(msk.AmazonManagedKafkaEventSourceConfig).toEqual({ ConsumerGroupId: msk.UUID });
    expect(msk.SelfManagedKafkaEventSourceConfig).toBeUndefined();
    expect((await sim.lambda.send(new GetEventSourceMappingCommand({ UUID: msk.UUID }))).AmazonManagedKafkaEventSourceConfig).toEqual({
      ConsumerGroupId: msk.UUID,
    });

    const self = await sim.lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: "consumer",
        SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ["broker-1:9092"] } },
        Topics: ["orders"],
        StartingPosition: "TRIM_HORIZON",
      }),
    );
    expect(self.SelfManagedKafkaEventSourceConfig).toEqual({ ConsumerGroupId: self.UUID });
    expect(self.AmazonManagedKafkaEventSourceConfig).toBeUndefined();

    const named = await sim.lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: "consumer",
        EventSourceArn: MSK,
        Topics: ["payments"],
        StartingPosition: "LATEST",
        AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: "payments-group" },
      }),
    );
    expect(named.AmazonManagedKafkaEventSourceConfig).toEqual({ ConsumerGroupId: "payments-group" });
    // An update of the Kafka config (its schema registry) keeps the group id, which cannot change.
    const registry = { SchemaRegistryURI: "https://registry.example.com", EventRecordFormat: "JSON" as const };
    const updated = await sim.lambda.send(
      new UpdateEventSourceMappingCommand({ UUID: named.UUID, AmazonManagedKafkaEventSourceConfig: { SchemaRegistryConfig: registry } }),
    );
    expect(updated.AmazonManagedKafkaEventSourceConfig).toEqual({ ConsumerGroupId: "payments-group", SchemaRegistryConfig: registry });

    const listed = (await sim.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: "consumer" }))).EventSourceMappings ?? [];
    expect(listed.find((m) => m.UUID === msk.UUID)?.AmazonManagedKafkaEventSourceConfig).toEqual({ ConsumerGroupId: msk.UUID });
    expect(listed.find((m) => m.UUID === self.UUID)?.SelfManagedKafkaEventSourceConfig).toEqual({ ConsumerGroupId: self.UUID });

    // Other sources have no consumer group.
    const sqs = await sim.lambda.send(
      new CreateEventSourceMappingCommand({ FunctionName: "consumer", EventSourceArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs` }),
    );
    expect(sqs.AmazonManagedKafkaEventSourceConfig).toBeUndefined();
    expect(sqs.SelfManagedKafkaEventSourceConfig).toBeUndefined();
  });

  it("capacity providers answer the x86_64 instance requirement and the Auto scaling mode AWS defaults to", async () => {
    const base = {
      VpcConfig: { SubnetIds: ["subnet-0123456789abcdef0"], SecurityGroupIds: ["sg-0123456789abcdef0"] },
      PermissionsConfig: { CapacityProviderOperatorRoleArn: `arn:aws:iam::${ACCOUNT}:role/operator` },
    };
    const created = (await sim.lambda.send(new CreateCapacityProviderCommand({ CapacityProviderName: "plain", ...base }))).CapacityProvider;
    expect(created?.InstanceRequirements).toEqual({ Architectures: ["x86_64"] });
    expect(created?.CapacityProviderScalingConfig).toEqual({ ScalingMode: "Auto" });
    const got = (await sim.lambda.send(new GetCapacityProviderCommand({ CapacityProviderName: "plain" }))).CapacityProvider;
    expect(got?.InstanceRequirements).toEqual({ Architectures: ["x86_64"] });
    expect(got?.CapacityProviderScalingConfig).toEqual({ ScalingMode: "Auto" });

    // Given members are kept; a requirement without Architectures still answers x86_64.
    const policies = [{ PredefinedMetricType: "LambdaCapacityProviderAverageCPUUtilization" as const, TargetValue: 60 }];
    const tuned = (
      await sim.lambda.send(
        new CreateCapacityProviderCommand({
          CapacityProviderName: "tuned",
          ...base,
          InstanceRequirements: { ExcludedInstanceTypes: ["m5.8xlarge"] },
          CapacityProviderScalingConfig: { ScalingMode: "Manual", MaxVCpuCount: 64, ScalingPolicies: policies },
          KmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        }),
      )
    ).CapacityProvider;
    expect(tuned?.InstanceRequirements).toEqual({ ExcludedInstanceTypes: ["m5.8xlarge"], Architectures: ["x86_64"] });
    expect(tuned?.CapacityProviderScalingConfig).toEqual({ ScalingMode: "Manual", MaxVCpuCount: 64, ScalingPolicies: policies });
    expect(tuned?.KmsKeyArn).toBe(`arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`);

    // An update naming only the vCPU ceiling is back in the Auto mode.
    const updated = (
      await sim.lambda.send(new UpdateCapacityProviderCommand({ CapacityProviderName: "tuned", CapacityProviderScalingConfig: { MaxVCpuCount: 32 } }))
    ).CapacityProvider;
    expect(updated?.CapacityProviderScalingConfig).toEqual({ ScalingMode: "Auto", MaxVCpuCount: 32 });

    const listed = (await sim.lambda.send(new ListCapacityProvidersCommand({}))).CapacityProviders ?? [];
    expect(
      listed.map((c) => [c.CapacityProviderArn?.split(":").pop(), c.InstanceRequirements?.Architectures, c.CapacityProviderScalingConfig?.ScalingMode]),
    ).toEqual([
      ["plain", ["x86_64"], "Auto"],
      ["tuned", ["x86_64"], "Auto"],
    ]);
    const deleted = (await sim.lambda.send(new DeleteCapacityProviderCommand({ CapacityProviderName: "plain" }))).CapacityProvider;
    expect(deleted?.State).toBe("Deleting");
    expect(deleted?.InstanceRequirements).toEqual({ Architectures: ["x86_64"] });
  });

  it("PublishVersion and GetFunctionConfiguration echo layers, DLQ, KMS key, file systems and JSON log levels", async () => {
    const layer = await sim.lambda.send(
      new PublishLayerVersionCommand({
        LayerName: "shared",
        Content: { ZipFile: zip({ "nodejs/x.js": "1" }) },
        CompatibleArchitectures: ["arm64", "x86_64"],
        LicenseInfo: "MIT",
      }),
    );
    const settings = {
      Layers: [layer.LayerVersionArn!],
      DeadLetterConfig: { TargetArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:dlq` },
      KMSKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      FileSystemConfigs: [{ Arn: `arn:aws:elasticfilesystem:us-east-1:${ACCOUNT}:access-point/fsap-0123456789abcdef0`, LocalMountPath: "/mnt/data" }],
      LoggingConfig: { LogFormat: "JSON" as const, ApplicationLogLevel: "DEBUG" as const },
    };
    await createNodeFunction(sim.lambda, "configured", CODE, settings);
    const expected = {
      Layers: [{ Arn: layer.LayerVersionArn, CodeSize: layer.Content?.CodeSize }],
      DeadLetterConfig: settings.DeadLetterConfig,
      KMSKeyArn: settings.KMSKeyArn,
      FileSystemConfigs: settings.FileSystemConfigs,
      LoggingConfig: { LogFormat: "JSON", ApplicationLogLevel: "DEBUG", SystemLogLevel: "INFO", LogGroup: "/aws/lambda/configured" },
    };
    const published = await sim.lambda.send(new PublishVersionCommand({ FunctionName: "configured" }));
    expect(published).toMatchObject({ Version: "1", ...expected });
    expect(await sim.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "configured" }))).toMatchObject({ Version: "$LATEST", ...expected });
    expect(await sim.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "configured", Qualifier: "1" }))).toMatchObject({
      Version: "1",
      ...expected,
    });

    // The layer version answers its architectures and license wherever it is described.
    const layerView = { CompatibleArchitectures: ["arm64", "x86_64"], LicenseInfo: "MIT" };
    expect(await sim.lambda.send(new GetLayerVersionCommand({ LayerName: "shared", VersionNumber: 1 }))).toMatchObject(layerView);
    expect(await sim.lambda.send(new GetLayerVersionByArnCommand({ Arn: layer.LayerVersionArn }))).toMatchObject(layerView);
    expect((await sim.lambda.send(new ListLayerVersionsCommand({ LayerName: "shared" }))).LayerVersions?.[0]).toMatchObject(layerView);
    expect((await sim.lambda.send(new ListLayersCommand({}))).Layers?.[0]?.LatestMatchingVersion).toMatchObject(layerView);
  });

  it("DeleteEventSourceMapping answers the whole mapping as Get does, configured members included", async () => {
    await createNodeFunction(sim.lambda, "reader", CODE);
    const mapping = await sim.lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: "reader",
        EventSourceArn: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/clicks`,
        StartingPosition: "AT_TIMESTAMP",
        StartingPositionTimestamp: new Date("2025-01-02T03:04:05Z"),
        FilterCriteria: { Filters: [{ Pattern: '{"data":{"kind":["click"]}}' }] },
        DestinationConfig: { OnFailure: { Destination: `arn:aws:sqs:us-east-1:${ACCOUNT}:failed` } },
        MetricsConfig: { Metrics: ["EventCount"] },
        KMSKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        ParallelizationFactor: 2,
      }),
    );
    expect(mapping).toMatchObject({
      FilterCriteria: { Filters: [{ Pattern: '{"data":{"kind":["click"]}}' }] },
      DestinationConfig: { OnFailure: { Destination: `arn:aws:sqs:us-east-1:${ACCOUNT}:failed` } },
      MetricsConfig: { Metrics: ["EventCount"] },
      ParallelizationFactor: 2,
    });
    expect(mapping.StartingPositionTimestamp?.toISOString()).toBe("2025-01-02T03:04:05.000Z");
    const got = strip(await sim.lambda.send(new GetEventSourceMappingCommand({ UUID: mapping.UUID })));
    const deleted = strip(await sim.lambda.send(new DeleteEventSourceMappingCommand({ UUID: mapping.UUID })));
    expect(deleted).toEqual({ ...got, State: "Deleting" });

    // An MQ mapping echoes its queues and credentials; SQS scaling too.
    const mq = await sim.lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: "reader",
        EventSourceArn: `arn:aws:mq:us-east-1:${ACCOUNT}:broker:orders:b-0123abcd-4567-89ef-0123-456789abcdef`,
        Queues: ["orders"],
        SourceAccessConfigurations: [{ Type: "BASIC_AUTH", URI: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:mq-AbCdEf` }],
      }),
    );
    expect(mq).toMatchObject({ Queues: ["orders"], SourceAccessConfigurations: [{ Type: "BASIC_AUTH" }] });
    const sqs = await sim.lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: "reader",
        EventSourceArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:q`,
        ScalingConfig: { MaximumConcurrency: 5 },
      }),
    );
    expect((await sim.lambda.send(new GetEventSourceMappingCommand({ UUID: sqs.UUID }))).ScalingConfig).toEqual({ MaximumConcurrency: 5 });
  });

  it("function URL CORS, alias routing and a Manual runtime version answer what was set", async () => {
    await createNodeFunction(sim.lambda, "web", CODE);
    const cors = {
      AllowCredentials: true,
      AllowHeaders: ["x-custom"],
      AllowMethods: ["GET", "POST"],
      AllowOrigins: ["https://example.com"],
      ExposeHeaders: ["x-trace"],
      MaxAge: 300,
    };
    expect((await sim.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: "web", AuthType: "NONE", Cors: cors }))).Cors).toEqual(cors);
    expect((await sim.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: "web" }))).Cors).toEqual(cors);
    const narrower = { ...cors, AllowCredentials: false, ExposeHeaders: ["x-other"] };
    expect((await sim.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: "web", Cors: narrower }))).Cors).toEqual(narrower);
    expect((await sim.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: "web" }))).FunctionUrlConfigs?.[0]?.Cors).toEqual(narrower);

    await sim.lambda.send(new PublishVersionCommand({ FunctionName: "web" }));
    await sim.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: "web", ZipFile: zip({ "index.js": "exports.handler = async () => 2;" }), Publish: true }),
    );
    const routing = { AdditionalVersionWeights: { "2": 0.25 } };
    expect(
      (await sim.lambda.send(new CreateAliasCommand({ FunctionName: "web", Name: "live", FunctionVersion: "1", RoutingConfig: routing }))).RoutingConfig,
    ).toEqual(routing);
    expect((await sim.lambda.send(new GetAliasCommand({ FunctionName: "web", Name: "live" }))).RoutingConfig).toEqual(routing);

    const runtimeVersion = "arn:aws:lambda:us-east-1::runtime:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const put = await sim.lambda.send(
      new PutRuntimeManagementConfigCommand({ FunctionName: "web", UpdateRuntimeOn: "Manual", RuntimeVersionArn: runtimeVersion }),
    );
    expect(put.RuntimeVersionArn).toBe(runtimeVersion);
    expect(await sim.lambda.send(new GetRuntimeManagementConfigCommand({ FunctionName: "web" }))).toMatchObject({
      UpdateRuntimeOn: "Manual",
      RuntimeVersionArn: runtimeVersion,
    });
  });
});
