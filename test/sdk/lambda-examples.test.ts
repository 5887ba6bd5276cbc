/**
 * Lambda compared with AWS's documented examples (the aws CLI's examples and botocore's examples-1.json):
 * the fields each answer carries, their defaults and formats, beyond the example's own data.
 */
import {
  AddLayerVersionPermissionCommand,
  AddPermissionCommand,
  CreateAliasCommand,
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetAccountSettingsCommand,
  GetEventSourceMappingCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  GetLayerVersionPolicyCommand,
  GetPolicyCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  LambdaClient,
  ListAliasesCommand,
  ListLayersCommand,
  ListLayerVersionsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  ListVersionsByFunctionCommand,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  PutProvisionedConcurrencyConfigCommand,
  UpdateEventSourceMappingCommand,
  UpdateFunctionConfigurationCommand,
  UpdateFunctionEventInvokeConfigCommand,
} from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";
import { createNodeFunction, zip } from "./lambda-helpers.js";

const CODE = "exports.handler = async () => 'ok';";

describe("Lambda as AWS's documented examples show it", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  it("provisioned concurrency configs carry LastModified to the second (2019-12-31T20:28:49+0000)", async () => {
    await createNodeFunction(sim.lambda, "pc-fn", CODE);
    const v = await sim.lambda.send(new PublishVersionCommand({ FunctionName: "pc-fn" }));
    await sim.lambda.send(new CreateAliasCommand({ FunctionName: "pc-fn", Name: "BLUE", FunctionVersion: v.Version }));
    const put = await sim.lambda.send(
      new PutProvisionedConcurrencyConfigCommand({ FunctionName: "pc-fn", Qualifier: "BLUE", ProvisionedConcurrentExecutions: 10 }),
    );
    const seconds = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/;
    expect(put).toMatchObject({ RequestedProvisionedConcurrentExecutions: 10, AllocatedProvisionedConcurrentExecutions: 0, Status: "IN_PROGRESS" });
    expect(put.LastModified).toMatch(seconds);
    const got = await sim.lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: "pc-fn", Qualifier: "BLUE" }));
    expect(got).toMatchObject({
      RequestedProvisionedConcurrentExecutions: 10,
      AvailableProvisionedConcurrentExecutions: 10,
      AllocatedProvisionedConcurrentExecutions: 10,
      Status: "READY",
      LastModified: put.LastModified,
    });
    const list = await sim.lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: "pc-fn" }));
    expect(list.ProvisionedConcurrencyConfigs?.map((c) => [c.FunctionArn, c.LastModified])).toEqual([
      ["arn:aws:lambda:us-east-1:000000000000:function:pc-fn:BLUE", put.LastModified],
    ]);
    // A function's own LastModified keeps its milliseconds.
    const cfg = await sim.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "pc-fn" }));
    expect(cfg.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  });

  const ARN = "arn:aws:lambda:us-east-1:000000000000:function";
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  const MILLIS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/;

  it("create-function, update-function-configuration, publish-version and list-versions-by-function answer the documented defaults and ARNs", async () => {
    const c = await createNodeFunction(sim.lambda, "doc-fn", CODE);
    expect(c).toMatchObject({
      FunctionName: "doc-fn",
      FunctionArn: `${ARN}:doc-fn`,
      Version: "$LATEST",
      Description: "",
      Timeout: 3,
      MemorySize: 128,
      TracingConfig: { Mode: "PassThrough" },
      PackageType: "Zip",
      Architectures: ["x86_64"],
      EphemeralStorage: { Size: 512 },
      SnapStart: { ApplyOn: "None", OptimizationStatus: "Off" },
      LoggingConfig: { LogFormat: "Text", LogGroup: "/aws/lambda/doc-fn" },
    });
    expect(c.RevisionId).toMatch(UUID);
    expect(c.LastModified).toMatch(MILLIS);
    expect(c.RuntimeVersionConfig?.RuntimeVersionArn).toMatch(/^arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/);
    // No VPC was ever attached: no VpcConfig (no Environment, no Layers either).
    expect(c.VpcConfig).toBeUndefined();
    expect(c.Environment).toBeUndefined();
    const u = await sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "doc-fn", MemorySize: 256 }));
    expect(u).toMatchObject({ MemorySize: 256, Version: "$LATEST", FunctionArn: `${ARN}:doc-fn` });
    const v1 = await sim.lambda.send(new PublishVersionCommand({ FunctionName: "doc-fn", Description: "new version" }));
    expect(v1).toMatchObject({ Version: "1", FunctionArn: `${ARN}:doc-fn:1`, Description: "new version", MemorySize: 256 });
    const two = await sim.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "doc-fn:1" }));
    expect(two).toMatchObject({ Version: "1", FunctionArn: `${ARN}:doc-fn:1` });
    const versions = await sim.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: "doc-fn" }));
    expect(versions.Versions?.map((x) => [x.Version, x.FunctionArn, x.Description])).toEqual([
      ["$LATEST", `${ARN}:doc-fn:$LATEST`, ""],
      ["1", `${ARN}:doc-fn:1`, "new version"],
    ]);
    await sim.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "doc-fn", ReservedConcurrentExecutions: 100 }));
    const got = await sim.lambda.send(new GetFunctionCommand({ FunctionName: "doc-fn" }));
    expect(got.Concurrency).toEqual({ ReservedConcurrentExecutions: 100 });
    expect(got.Code?.RepositoryType).toBe("S3");
    expect(got.Configuration?.Version).toBe("$LATEST");
    const settings = await sim.lambda.send(new GetAccountSettingsCommand({}));
    expect(settings.AccountLimit).toEqual({
      TotalCodeSize: 80530636800,
      CodeSizeUnzipped: 262144000,
      CodeSizeZipped: 52428800,
      ConcurrentExecutions: 1000,
      UnreservedConcurrentExecutions: 900,
    });
  });

  it("aliases, permissions and policies are shaped as the examples show", async () => {
    await createNodeFunction(sim.lambda, "perm-fn", CODE);
    for (const d of ["a", "b"]) {
      await sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "perm-fn", Description: d }));
      await sim.lambda.send(new PublishVersionCommand({ FunctionName: "perm-fn" }));
    }
    const live = await sim.lambda.send(
      new CreateAliasCommand({ FunctionName: "perm-fn", Name: "LIVE", FunctionVersion: "1", Description: "alias for live version of function" }),
    );
    expect(live).toMatchObject({ AliasArn: `${ARN}:perm-fn:LIVE`, Name: "LIVE", FunctionVersion: "1", Description: "alias for live version of function" });
    expect(live.RevisionId).toMatch(UUID);
    expect(live.RoutingConfig).toBeUndefined();
    await sim.lambda.send(
      new CreateAliasCommand({ FunctionName: "perm-fn", Name: "BLUE", FunctionVersion: "2", RoutingConfig: { AdditionalVersionWeights: { "1": 0.7 } } }),
    );
    const aliases = await sim.lambda.send(new ListAliasesCommand({ FunctionName: "perm-fn" }));
    expect(aliases.Aliases?.map((a) => [a.Name, a.RoutingConfig])).toEqual([
      ["BLUE", { AdditionalVersionWeights: { "1": 0.7 } }],
      ["LIVE", undefined],
    ]);
    const s3 = await sim.lambda.send(
      new AddPermissionCommand({
        FunctionName: "perm-fn",
        StatementId: "s3",
        Action: "lambda:InvokeFunction",
        Principal: "s3.amazonaws.com",
        SourceAccount: "123456789012",
        SourceArn: "arn:aws:s3:::my-bucket-1xpuxmplzrlbh",
      }),
    );
    // The Statement is a JSON string, keys in AWS's order.
    expect(s3.Statement).toBe(
      `{"Sid":"s3","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"${ARN}:perm-fn","Condition":{"StringEquals":{"AWS:SourceAccount":"123456789012"},"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::my-bucket-1xpuxmplzrlbh"}}}`,
    );
    const x = await sim.lambda.send(
      new AddPermissionCommand({
        FunctionName: "perm-fn",
        Qualifier: "1",
        StatementId: "xaccount",
        Action: "lambda:InvokeFunction",
        Principal: "223456789012",
      }),
    );
    expect(x.Statement).toBe(
      `{"Sid":"xaccount","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::223456789012:root"},"Action":"lambda:InvokeFunction","Resource":"${ARN}:perm-fn:1"}`,
    );
    const policy = await sim.lambda.send(new GetPolicyCommand({ FunctionName: "perm-fn", Qualifier: "1" }));
    expect(JSON.parse(policy.Policy ?? "")).toEqual({ Version: "2012-10-17", Id: "default", Statement: [JSON.parse(x.Statement ?? "")] });
    expect(policy.RevisionId).toMatch(UUID);
  });

  it("an SQS event source mapping goes Creating, Enabled, Updating, Deleting with USER_INITIATED and epoch LastModified", async () => {
    await createNodeFunction(sim.lambda, "esm-fn", CODE);
    const queue = "arn:aws:sqs:us-east-1:000000000000:mySQSqueue";
    const c = await sim.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "esm-fn", BatchSize: 5, EventSourceArn: queue }));
    expect(c).toMatchObject({ BatchSize: 5, EventSourceArn: queue, FunctionArn: `${ARN}:esm-fn`, State: "Creating", StateTransitionReason: "USER_INITIATED" });
    expect(c.UUID).toMatch(UUID);
    expect(c.LastModified).toBeInstanceOf(Date);
    expect(c.StartingPosition).toBeUndefined();
    const g = await sim.lambda.send(new GetEventSourceMappingCommand({ UUID: c.UUID }));
    expect(g).toMatchObject({ State: "Enabled", StateTransitionReason: "USER_INITIATED", BatchSize: 5 });
    const u = await sim.lambda.send(new UpdateEventSourceMappingCommand({ UUID: c.UUID, BatchSize: 8 }));
    expect(u).toMatchObject({ State: "Updating", BatchSize: 8 });
    const d = await sim.lambda.send(new DeleteEventSourceMappingCommand({ UUID: c.UUID }));
    expect(d).toMatchObject({ State: "Deleting", BatchSize: 8, UUID: c.UUID });
  });

  it("event invoke configs name $LATEST and always carry both destinations", async () => {
    await createNodeFunction(sim.lambda, "eic-fn", CODE);
    const put = await sim.lambda.send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: "eic-fn", MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 0 }),
    );
    expect(put).toMatchObject({
      FunctionArn: `${ARN}:eic-fn:$LATEST`,
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnSuccess: {}, OnFailure: {} },
    });
    expect(put.LastModified).toBeInstanceOf(Date);
    const destination = "arn:aws:sqs:us-east-1:000000000000:destination";
    const up = await sim.lambda.send(
      new UpdateFunctionEventInvokeConfigCommand({ FunctionName: "eic-fn", DestinationConfig: { OnFailure: { Destination: destination } } }),
    );
    expect(up).toMatchObject({
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnSuccess: {}, OnFailure: { Destination: destination } },
    });
  });

  it("layer versions, layer listings and layer version policies are shaped as the examples show", async () => {
    const content = zip({ "python/m.py": "x = 1" });
    const p = await sim.lambda.send(
      new PublishLayerVersionCommand({
        LayerName: "my-layer",
        Description: "My Python layer",
        LicenseInfo: "MIT",
        Content: { ZipFile: content },
        CompatibleRuntimes: ["python3.10", "python3.11"],
      }),
    );
    expect(p).toMatchObject({
      LayerArn: "arn:aws:lambda:us-east-1:000000000000:layer:my-layer",
      LayerVersionArn: "arn:aws:lambda:us-east-1:000000000000:layer:my-layer:1",
      Description: "My Python layer",
      Version: 1,
      LicenseInfo: "MIT",
      CompatibleRuntimes: ["python3.10", "python3.11"],
      Content: { CodeSize: content.length },
    });
    expect(p.CreatedDate).toMatch(MILLIS);
    expect(p.Content?.CodeSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    await sim.lambda.send(
      new PublishLayerVersionCommand({ LayerName: "my-layer", Description: "My layer", Content: { ZipFile: content }, CompatibleRuntimes: ["python3.11"] }),
    );
    const versions = await sim.lambda.send(new ListLayerVersionsCommand({ LayerName: "my-layer" }));
    expect(versions.LayerVersions?.map((v) => [v.Version, v.Description, v.LicenseInfo])).toEqual([
      [2, "My layer", undefined],
      [1, "My Python layer", "MIT"],
    ]);
    const layers = await sim.lambda.send(new ListLayersCommand({ CompatibleRuntime: "python3.10" }));
    expect(layers.Layers).toEqual([
      {
        LayerName: "my-layer",
        LayerArn: "arn:aws:lambda:us-east-1:000000000000:layer:my-layer",
        LatestMatchingVersion: {
          LayerVersionArn: "arn:aws:lambda:us-east-1:000000000000:layer:my-layer:1",
          Version: 1,
          Description: "My Python layer",
          CreatedDate: p.CreatedDate,
          CompatibleRuntimes: ["python3.10", "python3.11"],
          LicenseInfo: "MIT",
        },
      },
    ]);
    const perm = await sim.lambda.send(
      new AddLayerVersionPermissionCommand({
        LayerName: "my-layer",
        VersionNumber: 1,
        StatementId: "xaccount",
        Action: "lambda:GetLayerVersion",
        Principal: "223456789012",
      }),
    );
    expect(perm.Statement).toBe(
      '{"Sid":"xaccount","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::223456789012:root"},"Action":"lambda:GetLayerVersion","Resource":"arn:aws:lambda:us-east-1:000000000000:layer:my-layer:1"}',
    );
    const policy = await sim.lambda.send(new GetLayerVersionPolicyCommand({ LayerName: "my-layer", VersionNumber: 1 }));
    expect(JSON.parse(policy.Policy ?? "")).toEqual({ Version: "2012-10-17", Id: "default", Statement: [JSON.parse(perm.Statement ?? "")] });
    expect(policy.RevisionId).toBe(perm.RevisionId);
  });

  it("invoke answers ExecutedVersion synchronously and 202 alone for an Event invocation", async () => {
    await createNodeFunction(sim.lambda, "inv-fn", CODE);
    await sim.lambda.send(new PublishVersionCommand({ FunctionName: "inv-fn" }));
    const sync = await sim.lambda.send(new InvokeCommand({ FunctionName: "inv-fn", Payload: Buffer.from('{ "name": "Bob" }') }));
    expect([sync.StatusCode, sync.ExecutedVersion]).toEqual([200, "$LATEST"]);
    const one = await sim.lambda.send(new InvokeCommand({ FunctionName: "inv-fn", Qualifier: "1", Payload: Buffer.from("{}") }));
    expect([one.StatusCode, one.ExecutedVersion]).toEqual([200, "1"]);
    const event = await sim.lambda.send(new InvokeCommand({ FunctionName: "inv-fn", InvocationType: "Event", Payload: Buffer.from("{}") }));
    expect([event.StatusCode, event.ExecutedVersion]).toEqual([202, undefined]);
  });

  it("a layer version shared with add-layer-version-permission is read from the account it was shared with", async () => {
    const owner = new LambdaClient(clientConfig(sim.server, { credentials: { accessKeyId: "223456789012", secretAccessKey: "x" } }));
    const content = zip({ "python/shared.py": "y = 2" });
    const p = await owner.send(new PublishLayerVersionCommand({ LayerName: "shared-layer", Description: "shared", Content: { ZipFile: content } }));
    expect(p.LayerVersionArn).toBe("arn:aws:lambda:us-east-1:223456789012:layer:shared-layer:1");
    // Not shared yet: AWS's AccessDeniedException names the caller and the version.
    const denied =
      "User: arn:aws:iam::000000000000:root is not authorized to perform: lambda:GetLayerVersion on resource: arn:aws:lambda:us-east-1:223456789012:layer:shared-layer:1 because no resource-based policy allows the lambda:GetLayerVersion action";
    await expectAwsError(sim.lambda.send(new GetLayerVersionByArnCommand({ Arn: p.LayerVersionArn })), {
      name: "AccessDeniedException",
      status: 403,
      message: denied,
    });
    await expectAwsError(createNodeFunction(sim.lambda, "uses-shared", CODE, { Layers: [p.LayerVersionArn ?? ""] }), {
      name: "AccessDeniedException",
      status: 403,
      message: denied,
    });
    await owner.send(
      new AddLayerVersionPermissionCommand({
        LayerName: "shared-layer",
        VersionNumber: 1,
        StatementId: "xaccount",
        Action: "lambda:GetLayerVersion",
        Principal: "000000000000",
      }),
    );
    // Shared: a function may use it, and its configuration names the layer's size (as list-functions' example shows).
    const fn = await createNodeFunction(sim.lambda, "uses-shared", CODE, { Layers: [p.LayerVersionArn ?? ""] });
    expect(fn.Layers).toEqual([{ Arn: p.LayerVersionArn, CodeSize: content.length }]);
    const got = await sim.lambda.send(new GetLayerVersionByArnCommand({ Arn: p.LayerVersionArn }));
    expect(got).toMatchObject({
      LayerArn: "arn:aws:lambda:us-east-1:223456789012:layer:shared-layer",
      LayerVersionArn: p.LayerVersionArn,
      Description: "shared",
      Version: 1,
      Content: { CodeSha256: p.Content?.CodeSha256, CodeSize: content.length },
    });
    expect(got.Content?.Location).toContain("/223456789012/us-east-1/layer/shared-layer/1.zip");
    expect(Buffer.from(await (await fetch(got.Content?.Location ?? "")).arrayBuffer())).toEqual(content);
    const byName = await sim.lambda.send(
      new GetLayerVersionCommand({ LayerName: "arn:aws:lambda:us-east-1:223456789012:layer:shared-layer", VersionNumber: 1 }),
    );
    expect(byName.LayerVersionArn).toBe(p.LayerVersionArn);
    // A version the owner did not share (or does not have) stays denied; this account's own layer of that name is not it.
    await sim.lambda.send(new PublishLayerVersionCommand({ LayerName: "shared-layer", Content: { ZipFile: content } }));
    await expectAwsError(sim.lambda.send(new GetLayerVersionByArnCommand({ Arn: "arn:aws:lambda:us-east-1:223456789012:layer:shared-layer:2" })), {
      name: "AccessDeniedException",
      status: 403,
    });
  });
});
