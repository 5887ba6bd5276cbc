import {
  AddLayerVersionPermissionCommand,
  CreateCapacityProviderCommand,
  DeleteCapacityProviderCommand,
  GetCapacityProviderCommand,
  GetFunctionScalingConfigCommand,
  ListCapacityProvidersCommand,
  ListFunctionVersionsByCapacityProviderCommand,
  PutFunctionScalingConfigCommand,
  UpdateFunctionConfigurationCommand,
  CreateCodeSigningConfigCommand,
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  DeleteCodeSigningConfigCommand,
  DeleteEventSourceMappingCommand,
  DeleteFunctionCodeSigningConfigCommand,
  DeleteFunctionConcurrencyCommand,
  DeleteFunctionUrlConfigCommand,
  DeleteLayerVersionCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetCodeSigningConfigCommand,
  GetEventSourceMappingCommand,
  GetFunctionCodeSigningConfigCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  GetFunctionRecursionConfigCommand,
  GetFunctionUrlConfigCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  GetLayerVersionPolicyCommand,
  GetProvisionedConcurrencyConfigCommand,
  GetRuntimeManagementConfigCommand,
  InvokeAsyncCommand,
  InvokeCommand,
  InvokeWithResponseStreamCommand,
  LambdaClient,
  ListCodeSigningConfigsCommand,
  ListEventSourceMappingsCommand,
  ListFunctionEventInvokeConfigsCommand,
  ListFunctionUrlConfigsCommand,
  ListFunctionsByCodeSigningConfigCommand,
  ListLayerVersionsCommand,
  ListLayersCommand,
  ListProvisionedConcurrencyConfigsCommand,
  ListTagsCommand,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  PutFunctionCodeSigningConfigCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  PutFunctionRecursionConfigCommand,
  PutProvisionedConcurrencyConfigCommand,
  PutRuntimeManagementConfigCommand,
  RemoveLayerVersionPermissionCommand,
  TagResourceCommand,
  UpdateAliasCommand,
  CreateAliasCommand,
  UpdateCodeSigningConfigCommand,
  UpdateEventSourceMappingCommand,
  UpdateFunctionEventInvokeConfigCommand,
  UpdateFunctionUrlConfigCommand,
  paginateListEventSourceMappings,
  paginateListLayerVersions,
  waitUntilFunctionActiveV2,
  waitUntilFunctionExists,
  waitUntilFunctionUpdatedV2,
  waitUntilPublishedVersionActive,
} from "@aws-sdk/client-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";
import { ROLE, zip } from "./lambda-helpers.js";

describe("Lambda control plane beyond functions (fake mode)", () => {
  const code = zip({ "index.js": "exports.handler = async () => 1;" });
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));
  beforeAll(async () => {
    await sim.lambda.send(
      new CreateFunctionCommand({ FunctionName: "fn", Runtime: "nodejs20.x", Handler: "index.handler", Role: ROLE, Code: { ZipFile: code } }),
    );
    await sim.lambda.send(new CreateFunctionCommand({ FunctionName: "img", PackageType: "Image", Role: ROLE, Code: { ImageUri: "repo:latest" } }));
  });

  it("code signing configs: CRUD, attach to functions, GetFunctionCodeSigningConfig answers for every Zip function", async () => {
    // No config attached: AWS answers an empty document (recorded against AWS).
    const none = await sim.lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: "fn" }));
    expect([none.CodeSigningConfigArn, none.FunctionName]).toEqual([undefined, undefined]);
    const got = await sim.lambda.send(new GetFunctionCommand({ FunctionName: "fn" }));
    expect(got.Code!.RepositoryType).toBe("S3");
    expect(Buffer.from(await (await fetch(got.Code!.Location!)).arrayBuffer()).equals(code)).toBe(true);
    await expectAwsError(sim.lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: "img" })), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "Code signing is not supported for functions created with container images.",
    });
    const profile = "arn:aws:signer:us-east-1:000000000000:/signing-profiles/p/abcdefghij";
    const { CodeSigningConfig: c } = await sim.lambda.send(
      new CreateCodeSigningConfigCommand({ Description: "d", AllowedPublishers: { SigningProfileVersionArns: [profile] } }),
    );
    expect(c!.CodeSigningConfigId).toMatch(/^csc-[a-z0-9]{17}$/);
    expect(c!.CodeSigningConfigArn).toBe(`arn:aws:lambda:us-east-1:000000000000:code-signing-config:${c!.CodeSigningConfigId}`);
    expect(c!.CodeSigningPolicies).toEqual({ UntrustedArtifactOnDeployment: "Warn" });
    const arn = c!.CodeSigningConfigArn!;
    const upd = await sim.lambda.send(
      new UpdateCodeSigningConfigCommand({ CodeSigningConfigArn: arn, CodeSigningPolicies: { UntrustedArtifactOnDeployment: "Enforce" } }),
    );
    expect(upd.CodeSigningConfig!.CodeSigningPolicies!.UntrustedArtifactOnDeployment).toBe("Enforce");
    expect((await sim.lambda.send(new GetCodeSigningConfigCommand({ CodeSigningConfigArn: arn }))).CodeSigningConfig!.Description).toBe("d");
    expect((await sim.lambda.send(new ListCodeSigningConfigsCommand({}))).CodeSigningConfigs!.map((x) => x.CodeSigningConfigArn)).toEqual([arn]);
    await sim.lambda.send(new PutFunctionCodeSigningConfigCommand({ FunctionName: "fn", CodeSigningConfigArn: arn }));
    expect((await sim.lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: "fn" }))).CodeSigningConfigArn).toBe(arn);
    expect((await sim.lambda.send(new ListFunctionsByCodeSigningConfigCommand({ CodeSigningConfigArn: arn }))).FunctionArns).toEqual([
      "arn:aws:lambda:us-east-1:000000000000:function:fn",
    ]);
    await expectAwsError(sim.lambda.send(new DeleteCodeSigningConfigCommand({ CodeSigningConfigArn: arn })), {
      name: "ResourceConflictException",
      status: 409,
    });
    await sim.lambda.send(new DeleteFunctionCodeSigningConfigCommand({ FunctionName: "fn" }));
    await sim.lambda.send(new DeleteCodeSigningConfigCommand({ CodeSigningConfigArn: arn }));
    await expectAwsError(sim.lambda.send(new GetCodeSigningConfigCommand({ CodeSigningConfigArn: arn })), { name: "ResourceNotFoundException", status: 404 });
  });

  it("layers: publish versions, get (by name and ARN), list with filters and pagination, policies, delete; functions reference them", async () => {
    const layerZip = zip({ "nodejs/node_modules/greet/index.js": "module.exports = 'hi';" });
    const v1 = await sim.lambda.send(new PublishLayerVersionCommand({ LayerName: "lib", Content: { ZipFile: layerZip }, CompatibleRuntimes: ["nodejs20.x"] }));
    expect(v1).toMatchObject({
      Version: 1,
      LayerArn: "arn:aws:lambda:us-east-1:000000000000:layer:lib",
      LayerVersionArn: "arn:aws:lambda:us-east-1:000000000000:layer:lib:1",
    });
    expect(v1.Content!.CodeSize).toBe(layerZip.length);
    expect(Buffer.from(await (await fetch(v1.Content!.Location!)).arrayBuffer()).equals(layerZip)).toBe(true);
    expect(v1.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT.*\+0000$/);
    const v2 = await sim.lambda.send(new PublishLayerVersionCommand({ LayerName: "lib", Content: { ZipFile: layerZip }, CompatibleRuntimes: ["python3.12"] }));
    await sim.lambda.send(new PublishLayerVersionCommand({ LayerName: "lib", Content: { ZipFile: layerZip }, CompatibleRuntimes: ["python3.12"] }));
    expect(v2.Version).toBe(2);
    expect((await sim.lambda.send(new GetLayerVersionCommand({ LayerName: "lib", VersionNumber: 2 }))).CompatibleRuntimes).toEqual(["python3.12"]);
    expect((await sim.lambda.send(new GetLayerVersionByArnCommand({ Arn: v1.LayerVersionArn }))).Version).toBe(1);
    const versions: number[] = [];
    for await (const p of paginateListLayerVersions({ client: sim.lambda, pageSize: 2 }, { LayerName: "lib" }))
      versions.push(...p.LayerVersions!.map((x) => x.Version!));
    expect(versions).toEqual([3, 2, 1]);
    expect(
      (await sim.lambda.send(new ListLayerVersionsCommand({ LayerName: "lib", CompatibleRuntime: "nodejs20.x" }))).LayerVersions!.map((x) => x.Version),
    ).toEqual([1]);
    const layers = await sim.lambda.send(new ListLayersCommand({ CompatibleRuntime: "nodejs20.x" }));
    expect(layers.Layers).toHaveLength(1);
    expect(layers.Layers![0]!.LatestMatchingVersion!.Version).toBe(1);
    const perm = await sim.lambda.send(
      new AddLayerVersionPermissionCommand({ LayerName: "lib", VersionNumber: 1, StatementId: "all", Action: "lambda:GetLayerVersion", Principal: "*" }),
    );
    expect(JSON.parse(perm.Statement!)).toMatchObject({ Sid: "all", Principal: "*", Resource: v1.LayerVersionArn });
    expect(JSON.parse((await sim.lambda.send(new GetLayerVersionPolicyCommand({ LayerName: "lib", VersionNumber: 1 }))).Policy!).Statement).toHaveLength(1);
    await sim.lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: "lib", VersionNumber: 1, StatementId: "all" }));
    await expectAwsError(sim.lambda.send(new GetLayerVersionPolicyCommand({ LayerName: "lib", VersionNumber: 1 })), {
      name: "ResourceNotFoundException",
      status: 404,
    });

    const f = await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "withlayer",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: ROLE,
        Code: { ZipFile: code },
        Layers: [v1.LayerVersionArn!],
      }),
    );
    expect(f.Layers).toEqual([{ Arn: v1.LayerVersionArn, CodeSize: layerZip.length }]);
    await expectAwsError(
      sim.lambda.send(
        new CreateFunctionCommand({
          FunctionName: "badlayer",
          Runtime: "nodejs20.x",
          Handler: "index.handler",
          Role: ROLE,
          Code: { ZipFile: code },
          Layers: [`${v1.LayerArn}:99`],
        }),
      ),
      { name: "InvalidParameterValueException", status: 400 },
    );
    await sim.lambda.send(new DeleteLayerVersionCommand({ LayerName: "lib", VersionNumber: 3 }));
    await expectAwsError(sim.lambda.send(new GetLayerVersionCommand({ LayerName: "lib", VersionNumber: 3 })), {
      name: "ResourceNotFoundException",
      status: 404,
    });
    expect((await sim.lambda.send(new PublishLayerVersionCommand({ LayerName: "lib", Content: { ZipFile: layerZip } }))).Version).toBe(4);
  });

  it("event source mappings: AWS's defaults and states, filters, pagination, update, tags, delete", async () => {
    const sqs = "arn:aws:sqs:us-east-1:000000000000:q";
    const created = await sim.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "fn", EventSourceArn: sqs }));
    expect(created).toMatchObject({
      State: "Creating",
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
      EventSourceArn: sqs,
      FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:fn",
    });
    expect(created.LastModified).toBeInstanceOf(Date);
    expect(created.EventSourceMappingArn).toBe(`arn:aws:lambda:us-east-1:000000000000:event-source-mapping:${created.UUID}`);
    const got = await sim.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
    expect(got.State).toBe("Enabled");
    await expectAwsError(sim.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "fn", EventSourceArn: sqs })), {
      name: "ResourceConflictException",
      status: 409,
    });
    const kin = await sim.lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: "fn",
        EventSourceArn: "arn:aws:kinesis:us-east-1:000000000000:stream/s",
        StartingPosition: "LATEST",
        Enabled: false,
      }),
    );
    expect(kin).toMatchObject({
      BatchSize: 100,
      ParallelizationFactor: 1,
      MaximumRetryAttempts: -1,
      StartingPosition: "LATEST",
      LastProcessingResult: "No records processed",
    });
    expect((await sim.lambda.send(new GetEventSourceMappingCommand({ UUID: kin.UUID }))).State).toBe("Disabled");
    const upd = await sim.lambda.send(new UpdateEventSourceMappingCommand({ UUID: kin.UUID, Enabled: true, BatchSize: 50 }));
    expect(upd).toMatchObject({ State: "Enabling", BatchSize: 50 });
    expect((await sim.lambda.send(new GetEventSourceMappingCommand({ UUID: kin.UUID }))).State).toBe("Enabled");
    const uuids: string[] = [];
    for await (const p of paginateListEventSourceMappings({ client: sim.lambda, pageSize: 1 }, { FunctionName: "fn" }))
      uuids.push(...p.EventSourceMappings!.map((m) => m.UUID!));
    expect(uuids.sort()).toEqual([created.UUID, kin.UUID].sort());
    expect((await sim.lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: sqs }))).EventSourceMappings!.map((m) => m.UUID)).toEqual([
      created.UUID,
    ]);
    await sim.lambda.send(new TagResourceCommand({ Resource: created.EventSourceMappingArn, Tags: { team: "a" } }));
    expect((await sim.lambda.send(new ListTagsCommand({ Resource: created.EventSourceMappingArn }))).Tags).toEqual({ team: "a" });
    expect((await sim.lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }))).State).toBe("Deleting");
    await expectAwsError(sim.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID })), { name: "ResourceNotFoundException", status: 404 });
    await expectAwsError(sim.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "nope", EventSourceArn: sqs })), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "Function does not exist",
    });
  });

  it("function URL configs: create, get, update, list, delete; one per qualifier", async () => {
    const c = await sim.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: "fn", AuthType: "NONE", Cors: { AllowOrigins: ["*"] } }));
    expect(c.FunctionUrl).toMatch(/^http:\/\/[a-z0-9]{32}\.lambda-url\.us-east-1\.localhost:\d+\/$/);
    expect(c).toMatchObject({ AuthType: "NONE", FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:fn" });
    expect(c.InvokeMode).toBeUndefined(); // AWS answers InvokeMode to Create only when the request set it
    await expectAwsError(sim.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: "fn", AuthType: "NONE" })), {
      name: "ResourceConflictException",
      status: 409,
    });
    const u = await sim.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: "fn", AuthType: "AWS_IAM" }));
    expect(u.AuthType).toBe("AWS_IAM");
    expect(u.FunctionUrl).toBe(c.FunctionUrl);
    expect((await sim.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: "fn" }))).LastModifiedTime).toBeTruthy();
    expect((await sim.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: "fn" }))).FunctionUrlConfigs).toHaveLength(1);
    await sim.lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: "fn" }));
    await expectAwsError(sim.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: "fn" })), { name: "ResourceNotFoundException", status: 404 });
  });

  it("versions, aliases with routing, provisioned concurrency, event invoke, recursion and runtime management configs", async () => {
    const v1 = await sim.lambda.send(new PublishVersionCommand({ FunctionName: "fn" }));
    expect(
      (await waitUntilPublishedVersionActive({ client: sim.lambda, maxWaitTime: 5, minDelay: 1 }, { FunctionName: "fn", Qualifier: v1.Version })).state,
    ).toBe("SUCCESS");
    expect((await waitUntilFunctionUpdatedV2({ client: sim.lambda, maxWaitTime: 5, minDelay: 1 }, { FunctionName: "fn" })).state).toBe("SUCCESS");
    expect((await waitUntilFunctionExists({ client: sim.lambda, maxWaitTime: 5, minDelay: 1 }, { FunctionName: "fn" })).state).toBe("SUCCESS");
    expect((await waitUntilFunctionActiveV2({ client: sim.lambda, maxWaitTime: 5, minDelay: 1 }, { FunctionName: "fn" })).state).toBe("SUCCESS");
    await sim.lambda.send(new CreateAliasCommand({ FunctionName: "fn", Name: "live", FunctionVersion: v1.Version }));
    const a = await sim.lambda.send(new UpdateAliasCommand({ FunctionName: "fn", Name: "live", Description: "now" }));
    expect(a).toMatchObject({ Description: "now", FunctionVersion: "1" });
    await expectAwsError(
      sim.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "fn", Qualifier: "$LATEST", ProvisionedConcurrentExecutions: 1 })),
      {
        name: "InvalidParameterValueException",
        status: 400,
      },
    );
    const pc = await sim.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "fn", Qualifier: "live", ProvisionedConcurrentExecutions: 2 }));
    expect(pc.RequestedProvisionedConcurrentExecutions).toBe(2);
    expect(await sim.lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: "fn", Qualifier: "live" }))).toMatchObject({
      Status: "READY",
      AvailableProvisionedConcurrentExecutions: 2,
    });
    const list = await sim.lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: "fn" }));
    expect(list.ProvisionedConcurrencyConfigs!.map((x) => x.FunctionArn)).toEqual(["arn:aws:lambda:us-east-1:000000000000:function:fn:live"]);
    await sim.lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: "fn", Qualifier: "live" }));
    await expectAwsError(sim.lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: "fn", Qualifier: "live" })), {
      name: "ProvisionedConcurrencyConfigNotFoundException",
      status: 404,
    });

    await expectAwsError(sim.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: "fn" })), { name: "ResourceNotFoundException", status: 404 });
    const eic = await sim.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: "fn", MaximumRetryAttempts: 1 }));
    expect(eic).toMatchObject({ FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:fn:$LATEST", MaximumRetryAttempts: 1 });
    expect(eic.LastModified).toBeInstanceOf(Date);
    const eu = await sim.lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: "fn", MaximumEventAgeInSeconds: 60 }));
    expect(eu).toMatchObject({ MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 60 });
    expect((await sim.lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: "fn" }))).FunctionEventInvokeConfigs).toHaveLength(1);

    expect((await sim.lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName: "fn" }))).RecursiveLoop).toBe("Terminate");
    await sim.lambda.send(new PutFunctionRecursionConfigCommand({ FunctionName: "fn", RecursiveLoop: "Allow" }));
    expect((await sim.lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName: "fn" }))).RecursiveLoop).toBe("Allow");

    expect((await sim.lambda.send(new GetRuntimeManagementConfigCommand({ FunctionName: "fn" }))).UpdateRuntimeOn).toBe("Auto");
    await sim.lambda.send(new PutRuntimeManagementConfigCommand({ FunctionName: "fn", UpdateRuntimeOn: "FunctionUpdate" }));
    expect((await sim.lambda.send(new GetRuntimeManagementConfigCommand({ FunctionName: "fn" }))).UpdateRuntimeOn).toBe("FunctionUpdate");
    expect((await sim.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "fn", Qualifier: "live" }))).Version).toBe("1");
  });

  it("reserved concurrency 0 throttles with 429; InvokeAsync 202; InvokeWithResponseStream ends with InvokeComplete", async () => {
    await sim.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "fn", ReservedConcurrentExecutions: 0 }));
    const e = await expectAwsError(sim.lambda.send(new InvokeCommand({ FunctionName: "fn" })), {
      name: "TooManyRequestsException",
      status: 429,
      message: "Rate Exceeded.",
    });
    expect((e as unknown as { Reason?: string }).Reason).toBe("ReservedFunctionConcurrentInvocationLimitExceeded");
    await sim.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: "fn" }));
    expect((await sim.lambda.send(new InvokeAsyncCommand({ FunctionName: "fn", InvokeArgs: Buffer.from("{}") }))).Status).toBe(202);
    const s = await sim.lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: "fn", Payload: Buffer.from("{}") }));
    const events: string[] = [];
    let body = "";
    for await (const ev of s.EventStream!) {
      if (ev.PayloadChunk) body += Buffer.from(ev.PayloadChunk.Payload!).toString();
      if (ev.InvokeComplete) events.push("complete");
    }
    expect(body).toBe("null");
    expect(events).toEqual(["complete"]);
  });

  it("configuration members are stored and echoed (VPC, tracing, DLQ, logging, file systems, SnapStart); the log group follows LoggingConfig", async () => {
    const { EC2Client, CreateVpcCommand, CreateSubnetCommand } = await import("@aws-sdk/client-ec2");
    const ec2 = new EC2Client(clientConfig(sim.server));
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }));
    const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId, CidrBlock: "10.9.1.0/24" }));
    const f = await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "configured",
        Runtime: "python3.12",
        Handler: "app.handler",
        Role: ROLE,
        Code: { ZipFile: code },
        VpcConfig: { SubnetIds: [subnet.Subnet!.SubnetId!], SecurityGroupIds: ["sg-12345678"] },
        TracingConfig: { Mode: "Active" },
        DeadLetterConfig: { TargetArn: "arn:aws:sqs:us-east-1:000000000000:dlq" },
        LoggingConfig: { LogFormat: "JSON", LogGroup: "/custom/group" },
        SnapStart: { ApplyOn: "PublishedVersions" },
      }),
    );
    expect(f.VpcConfig).toMatchObject({ SubnetIds: [subnet.Subnet!.SubnetId], SecurityGroupIds: ["sg-12345678"], VpcId: vpc.Vpc!.VpcId });
    expect(f.TracingConfig).toEqual({ Mode: "Active" });
    expect(f.DeadLetterConfig).toEqual({ TargetArn: "arn:aws:sqs:us-east-1:000000000000:dlq" });
    expect(f.LoggingConfig).toEqual({ LogFormat: "JSON", ApplicationLogLevel: "INFO", SystemLogLevel: "INFO", LogGroup: "/custom/group" });
    expect(f.SnapStart).toEqual({ ApplyOn: "PublishedVersions", OptimizationStatus: "Off" });
    await expectAwsError(
      sim.lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: "configured",
          Environment: { Variables: { AWS_REGION: "x", OK_VAR: "1", AWS_SESSION_TOKEN: "t" } },
        }),
      ),
      {
        name: "InvalidParameterValueException",
        status: 400,
        message:
          "Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION, AWS_SESSION_TOKEN",
      },
    );
    const u = await sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "configured", TracingConfig: { Mode: "PassThrough" } }));
    expect(u.TracingConfig).toEqual({ Mode: "PassThrough" });
    expect(u.VpcConfig!.VpcId).toBe(vpc.Vpc!.VpcId);
    await sim.lambda.send(new InvokeCommand({ FunctionName: "configured" }));
    const { CloudWatchLogsClient, FilterLogEventsCommand } = await import("@aws-sdk/client-cloudwatch-logs");
    const ev = await new CloudWatchLogsClient(clientConfig(sim.server)).send(new FilterLogEventsCommand({ logGroupName: "/custom/group" }));
    // LogFormat JSON: the system log events are JSON records.
    expect(ev.events!.map((e) => JSON.parse(e.message!).type)).toEqual(["platform.start", "platform.report"]);
  });

  it("capacity providers and function scaling configs", async () => {
    const c = await sim.lambda.send(
      new CreateCapacityProviderCommand({
        CapacityProviderName: "cp1",
        VpcConfig: { SubnetIds: ["subnet-1"], SecurityGroupIds: ["sg-1"] },
        PermissionsConfig: { CapacityProviderOperatorRoleArn: ROLE },
      }),
    );
    expect(c.CapacityProvider).toMatchObject({ CapacityProviderArn: "arn:aws:lambda:us-east-1:000000000000:capacity-provider:cp1", State: "Pending" });
    expect((await sim.lambda.send(new GetCapacityProviderCommand({ CapacityProviderName: "cp1" }))).CapacityProvider!.State).toBe("Active");
    expect((await sim.lambda.send(new ListCapacityProvidersCommand({ State: "Active" }))).CapacityProviders).toHaveLength(1);
    await sim.lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: "fn",
        CapacityProviderConfig: { LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: c.CapacityProvider!.CapacityProviderArn } },
      }),
    );
    const used = await sim.lambda.send(new ListFunctionVersionsByCapacityProviderCommand({ CapacityProviderName: "cp1" }));
    expect(used.FunctionVersions).toEqual([{ FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:fn:$LATEST", State: "Active" }]);
    await expectAwsError(sim.lambda.send(new DeleteCapacityProviderCommand({ CapacityProviderName: "cp1" })), {
      name: "ResourceConflictException",
      status: 409,
    });
    await sim.lambda.send(
      new PutFunctionScalingConfigCommand({
        FunctionName: "fn",
        Qualifier: "1",
        FunctionScalingConfig: { MinExecutionEnvironments: 1, MaxExecutionEnvironments: 3 },
      }),
    );
    expect((await sim.lambda.send(new GetFunctionScalingConfigCommand({ FunctionName: "fn", Qualifier: "1" }))).RequestedFunctionScalingConfig).toEqual({
      MinExecutionEnvironments: 1,
      MaxExecutionEnvironments: 3,
    });
  });

  it("an alias's AdditionalVersionWeights decide which version runs (X-Amz-Executed-Version)", async () => {
    await sim.lambda.send(
      new CreateFunctionCommand({ FunctionName: "weighted", Runtime: "nodejs20.x", Handler: "index.handler", Role: ROLE, Code: { ZipFile: code } }),
    );
    const v1 = await sim.lambda.send(new PublishVersionCommand({ FunctionName: "weighted" }));
    await sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "weighted", Description: "second" }));
    const v2 = await sim.lambda.send(new PublishVersionCommand({ FunctionName: "weighted" }));
    expect([v1.Version, v2.Version]).toEqual(["1", "2"]);
    await sim.lambda.send(
      new CreateAliasCommand({ FunctionName: "weighted", Name: "canary", FunctionVersion: "1", RoutingConfig: { AdditionalVersionWeights: { "2": 0.5 } } }),
    );
    const seen = new Set<string>();
    for (let i = 0; i < 40 && seen.size < 2; i++)
      seen.add((await sim.lambda.send(new InvokeCommand({ FunctionName: "weighted", Qualifier: "canary" }))).ExecutedVersion!);
    expect([...seen].sort()).toEqual(["1", "2"]);
    await sim.lambda.send(new UpdateAliasCommand({ FunctionName: "weighted", Name: "canary", RoutingConfig: { AdditionalVersionWeights: {} } }));
    for (let i = 0; i < 5; i++) expect((await sim.lambda.send(new InvokeCommand({ FunctionName: "weighted", Qualifier: "canary" }))).ExecutedVersion).toBe("1");
    await expectAwsError(
      sim.lambda.send(new UpdateAliasCommand({ FunctionName: "weighted", Name: "canary", RoutingConfig: { AdditionalVersionWeights: { "9": 0.1 } } })),
      { name: "ResourceNotFoundException", status: 404 },
    );
  });
});
