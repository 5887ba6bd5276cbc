/**
 * Lambda answers compared with responses recorded against AWS: function URL and provisioned concurrency
 * errors, layers, tags, environment limits and the shapes of configurations in Get and List answers.
 */
import {
  AddLayerVersionPermissionCommand,
  AddPermissionCommand,
  CreateCodeSigningConfigCommand,
  DeleteCodeSigningConfigCommand,
  DeleteFunctionCodeSigningConfigCommand,
  GetCodeSigningConfigCommand,
  GetFunctionCodeSigningConfigCommand,
  ListFunctionsByCodeSigningConfigCommand,
  PutFunctionCodeSigningConfigCommand,
  UpdateCodeSigningConfigCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  DeleteAliasCommand,
  GetAccountSettingsCommand,
  DeleteFunctionUrlConfigCommand,
  DeleteLayerVersionCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetFunctionUrlConfigCommand,
  GetLayerVersionCommand,
  GetLayerVersionPolicyCommand,
  GetProvisionedConcurrencyConfigCommand,
  LambdaClient,
  ListFunctionUrlConfigsCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  ListVersionsByFunctionCommand,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  PutProvisionedConcurrencyConfigCommand,
  RemoveLayerVersionPermissionCommand,
  TagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  UpdateFunctionUrlConfigCommand,
} from "@aws-sdk/client-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { ROLE, createNodeFunction, zip } from "./lambda-helpers.js";

const ARN = "arn:aws:lambda:us-east-1:000000000000:function";
const LAYER = "arn:aws:lambda:us-east-1:000000000000:layer";
const CODE = "exports.handler = async () => 1;";
const invalid = (message: string) => ({ name: "InvalidParameterValueException", status: 400, message });
const notFound = (message: string) => ({ name: "ResourceNotFoundException", status: 404, message });

describe("Lambda parity: function URL configs", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));
  beforeAll(async () => {
    await createNodeFunction(sim.lambda, "url-fn", CODE);
    await sim.lambda.send(new PublishVersionCommand({ FunctionName: "url-fn" }));
    await sim.lambda.send(new CreateAliasCommand({ FunctionName: "url-fn", Name: "urlalias", FunctionVersion: "1" }));
  });
  const pattern = (q: string) =>
    `1 validation error detected: Value '${q}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)`;

  it("a version or $LATEST as Qualifier fails its pattern; a missing function or alias: Create/Update say the function does not exist, Get/Delete the resource", async () => {
    const ops = [
      {
        send: (a: Record<string, string>) => sim.lambda.send(new CreateFunctionUrlConfigCommand({ ...a, AuthType: "NONE" } as never)),
        missing: "Function does not exist",
      },
      {
        send: (a: Record<string, string>) => sim.lambda.send(new UpdateFunctionUrlConfigCommand({ ...a, AuthType: "AWS_IAM" } as never)),
        missing: "Function does not exist",
      },
      {
        send: (a: Record<string, string>) => sim.lambda.send(new GetFunctionUrlConfigCommand(a as never)),
        missing: "The resource you requested does not exist.",
      },
      {
        send: (a: Record<string, string>) => sim.lambda.send(new DeleteFunctionUrlConfigCommand(a as never)),
        missing: "The resource you requested does not exist.",
      },
    ];
    for (const op of ops) {
      await expectAwsError(op.send({ FunctionName: "doesnotexist" }), notFound(op.missing));
      await expectAwsError(op.send({ FunctionName: `${ARN}:doesnotexist` }), notFound(op.missing));
      await expectAwsError(op.send({ FunctionName: "url-fn", Qualifier: "v1" }), notFound(op.missing));
      for (const q of ["1", "2", "$LATEST"])
        await expectAwsError(op.send({ FunctionName: "url-fn", Qualifier: q }), { name: "ValidationException", status: 400, message: pattern(q) });
      await expectAwsError(op.send({ FunctionName: "doesnotexist", Qualifier: "1" }), { name: "ValidationException", status: 400, message: pattern("1") });
    }
    // Delete's answer to a mismatch is an internal failure on AWS; the others refuse it.
    for (const op of ops.slice(0, 3))
      await expectAwsError(
        op.send({ FunctionName: "url-fn:urlalias-doesnotmatch", Qualifier: "urlalias" }),
        invalid("The derived qualifier from the function name does not match the specified qualifier."),
      );
    await expectAwsError(sim.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: "doesnotexist" })), notFound("Function does not exist"));
  });

  it("Create and Update answer InvokeMode only when the request set it; Get always does", async () => {
    const c = await sim.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: "url-fn", AuthType: "NONE" }));
    expect(c.InvokeMode).toBeUndefined();
    expect(c.FunctionArn).toBe(`${ARN}:url-fn`);
    expect((await sim.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: "url-fn" }))).InvokeMode).toBe("BUFFERED");
    const u = await sim.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: "url-fn", AuthType: "AWS_IAM" }));
    expect(u.AuthType).toBe("AWS_IAM");
    expect(u.InvokeMode).toBeUndefined();
    const a = await sim.lambda.send(
      new CreateFunctionUrlConfigCommand({ FunctionName: "url-fn", Qualifier: "urlalias", AuthType: "NONE", InvokeMode: "BUFFERED" }),
    );
    expect(a).toMatchObject({ FunctionArn: `${ARN}:url-fn:urlalias`, InvokeMode: "BUFFERED" });
    // Once set, Update answers it even when the update does not name it.
    const moved = await sim.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: "url-fn", Qualifier: "urlalias", InvokeMode: "RESPONSE_STREAM" }));
    expect(moved.InvokeMode).toBe("RESPONSE_STREAM");
    const again = await sim.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: "url-fn", Qualifier: "urlalias", AuthType: "NONE" }));
    expect(again.InvokeMode).toBe("RESPONSE_STREAM");
  });
});

describe("Lambda parity: a function URL outlives its alias", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  it("after the alias is deleted its URL answers 403 with AWS's troubleshooting message", async () => {
    await createNodeFunction(sim.lambda, "url-alias-fn", CODE, { Publish: true });
    await sim.lambda.send(new CreateAliasCommand({ FunctionName: "url-alias-fn", Name: "live", FunctionVersion: "1" }));
    const { FunctionUrl } = await sim.lambda.send(
      new CreateFunctionUrlConfigCommand({ FunctionName: "url-alias-fn", Qualifier: "live", AuthType: "NONE", InvokeMode: "BUFFERED" }),
    );
    const id = /^http:\/\/([a-z0-9]{32})\./.exec(FunctionUrl!)![1];
    await sim.lambda.send(new DeleteAliasCommand({ FunctionName: "url-alias-fn", Name: "live" }));
    const r = await fetch(`${sim.server.url}/_lambda-url/${id}/`);
    expect(r.status).toBe(403);
    expect(r.headers.get("x-amzn-errortype")).toBe("AccessDeniedException");
    expect(await r.json()).toEqual({
      Message: "Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html",
    });
  });
});

describe("Lambda parity: provisioned concurrency", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));
  beforeAll(async () => {
    await createNodeFunction(sim.lambda, "pc-fn", CODE);
    await sim.lambda.send(new PublishVersionCommand({ FunctionName: "pc-fn" }));
    await sim.lambda.send(new CreateAliasCommand({ FunctionName: "pc-fn", Name: "live", FunctionVersion: "1" }));
  });
  const get = (FunctionName: string, Qualifier: string) => sim.lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName, Qualifier }));
  const put = (Qualifier: string, FunctionName = "pc-fn") =>
    sim.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName, Qualifier, ProvisionedConcurrentExecutions: 1 }));

  it("missing aliases, versions and functions; $LATEST; deleting a config that is not there succeeds", async () => {
    await expectAwsError(get("pc-fn", "1"), { name: "ProvisionedConcurrencyConfigNotFoundException", status: 404 });
    await expectAwsError(get("doesnotexist", "noalias"), notFound(`Cannot find alias arn: ${ARN}:doesnotexist:noalias`));
    await expectAwsError(get("pc-fn", "noalias"), notFound(`Cannot find alias arn: ${ARN}:pc-fn:noalias`));
    await expectAwsError(get("pc-fn", "10"), notFound(`Function not found: ${ARN}:pc-fn:10`));
    await expectAwsError(get("pc-fn", "$LATEST"), invalid("The function resource provided must be an alias or a published version."));
    await expectAwsError(
      sim.lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: "doesnotexist", Qualifier: "1" })),
      notFound(`Function not found: ${ARN}:doesnotexist:1`),
    );
    await sim.lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: "pc-fn", Qualifier: "1" }));
    await expectAwsError(put("$LATEST"), invalid("Provisioned Concurrency Configs cannot be applied to unpublished function versions."));
    await expectAwsError(put("noalias", "doesnotexist"), notFound(`Cannot find alias arn: ${ARN}:doesnotexist:noalias`));
    await expectAwsError(put("1", "doesnotexist"), notFound(`Function not found: ${ARN}:doesnotexist:1`));
  });

  it("Put answers the allocation starting (202, IN_PROGRESS, nothing allocated); a version and an alias on it cannot both have one", async () => {
    const onVersion = await put("1");
    expect(onVersion).toMatchObject({
      Status: "IN_PROGRESS",
      RequestedProvisionedConcurrentExecutions: 1,
      AllocatedProvisionedConcurrentExecutions: 0,
      AvailableProvisionedConcurrentExecutions: 0,
    });
    expect(onVersion.$metadata.httpStatusCode).toBe(202);
    await expectAwsError(put("live"), {
      name: "ResourceConflictException",
      status: 409,
      message: "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version",
    });
    await sim.lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: "pc-fn", Qualifier: "1" }));
    await put("live");
    await expectAwsError(put("1"), { name: "ResourceConflictException", status: 409, message: "Version is pointed by a Provisioned Concurrency alias" });
    await sim.lambda.send(new DeleteAliasCommand({ FunctionName: "pc-fn", Name: "live" }));
    await expectAwsError(get("pc-fn", "live"), notFound(`Cannot find alias arn: ${ARN}:pc-fn:live`));
  });
});

describe("Lambda parity: layers", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));
  const layerZip = zip({ "nodejs/lib.js": "module.exports = 1;" });
  beforeAll(async () => {
    await createNodeFunction(sim.lambda, "layer-fn", CODE);
    for (let i = 0; i < 2; i++) await sim.lambda.send(new PublishLayerVersionCommand({ LayerName: "lib", Content: { ZipFile: layerZip } }));
  });

  it("a version below 1 is refused; the policy operations name the missing layer version", async () => {
    for (const VersionNumber of [0, -1])
      await expectAwsError(sim.lambda.send(new GetLayerVersionCommand({ LayerName: "lib", VersionNumber })), invalid("Layer Version Cannot be less than 1"));
    await expectAwsError(
      sim.lambda.send(new DeleteLayerVersionCommand({ LayerName: "lib", VersionNumber: 0 })),
      invalid("Layer Version Cannot be less than 1"),
    );
    await expectAwsError(
      sim.lambda.send(new GetLayerVersionPolicyCommand({ LayerName: "lib", VersionNumber: 1 })),
      notFound("No policy is associated with the given resource."),
    );
    const perm = { StatementId: "s1", Action: "lambda:GetLayerVersion", Principal: "*" };
    for (const [LayerName, VersionNumber] of [
      ["lib-doesnotexist", 1],
      ["lib", 3],
    ] as const) {
      const message = `Layer version ${LAYER}:${LayerName}:${VersionNumber} does not exist.`;
      await expectAwsError(sim.lambda.send(new AddLayerVersionPermissionCommand({ LayerName, VersionNumber, ...perm })), notFound(message));
      await expectAwsError(sim.lambda.send(new GetLayerVersionPolicyCommand({ LayerName, VersionNumber })), notFound(message));
      await expectAwsError(sim.lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName, VersionNumber, StatementId: "s1" })), notFound(message));
    }
    await sim.lambda.send(new AddLayerVersionPermissionCommand({ LayerName: "lib", VersionNumber: 1, ...perm }));
    const wrongRevision = "The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id";
    await expectAwsError(
      sim.lambda.send(new AddLayerVersionPermissionCommand({ LayerName: "lib", VersionNumber: 1, ...perm, StatementId: "s2", RevisionId: "wrong" })),
      { name: "PreconditionFailedException", status: 412, message: wrongRevision },
    );
    await expectAwsError(
      sim.lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: "lib", VersionNumber: 1, StatementId: "s1", RevisionId: "wrong" })),
      {
        name: "PreconditionFailedException",
        status: 412,
        message: wrongRevision,
      },
    );
  });

  it("a function takes one version of a layer, from its own Region", async () => {
    const layers = (Layers: string[]) => sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "layer-fn", Layers }));
    const twice = (a: string, b: string) =>
      invalid(`Two different versions of the same layer are not allowed to be referenced in the same function. ${a} and ${b} are versions of the same layer.`);
    await expectAwsError(layers([`${LAYER}:lib:1`, `${LAYER}:lib:2`]), twice(`${LAYER}:lib:1`, `${LAYER}:lib:2`));
    await expectAwsError(layers([`${LAYER}:lib:1`, `${LAYER}:lib:1`]), twice(`${LAYER}:lib:1`, `${LAYER}:lib:1`));
    await expectAwsError(layers([`${LAYER}:lib:9`]), invalid(`Layer version ${LAYER}:lib:9 does not exist.`));
    await expectAwsError(
      sim.lambda.send(
        new CreateFunctionCommand({
          FunctionName: "other-region-layer",
          Runtime: "nodejs22.x",
          Role: ROLE,
          Handler: "index.handler",
          Code: { ZipFile: zip({ "index.js": CODE }) },
          Layers: ["arn:aws:lambda:eu-west-1:000000000000:layer:lib:1"],
        }),
      ),
      invalid("Layers are not in the same region as the function. Layers are expected to be in region us-east-1."),
    );
  });
});

describe("Lambda parity: tags, environment, code", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));
  beforeAll(async () => {
    await createNodeFunction(sim.lambda, "tag-fn", CODE);
  });

  it("tags: not on versions or aliases, not empty, at most 50", async () => {
    const notOnQualified = invalid("Tags on function aliases and versions are not supported. Please specify a function ARN.");
    await expectAwsError(sim.lambda.send(new TagResourceCommand({ Resource: `${ARN}:tag-fn:1`, Tags: { a: "b" } })), notOnQualified);
    await expectAwsError(sim.lambda.send(new TagResourceCommand({ Resource: `${ARN}:tag-fn:$LATEST`, Tags: { a: "b" } })), notOnQualified);
    await expectAwsError(
      sim.lambda.send(new TagResourceCommand({ Resource: `${ARN}:tag-fn`, Tags: {} })),
      invalid("An error occurred and the request cannot be processed."),
    );
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${i}_key`, `${i}_value`]));
    await expectAwsError(
      sim.lambda.send(new TagResourceCommand({ Resource: `${ARN}:tag-fn`, Tags: many(51) })),
      invalid("Number of tags exceeds resource tag limit."),
    );
    await sim.lambda.send(new TagResourceCommand({ Resource: `${ARN}:tag-fn`, Tags: many(50) }));
    await expectAwsError(
      sim.lambda.send(new TagResourceCommand({ Resource: `${ARN}:tag-fn`, Tags: { extra: "1" } })),
      invalid("Number of tags exceeds resource tag limit."),
    );
    expect(Object.keys((await sim.lambda.send(new ListTagsCommand({ Resource: `${ARN}:tag-fn` }))).Tags ?? {})).toHaveLength(50);
  });

  it("environment variables take 4 KB as JSON; an empty set is echoed", async () => {
    const big = "x".repeat(4097);
    await expectAwsError(
      createNodeFunction(sim.lambda, "env-big", CODE, { Environment: { Variables: { SMALL_VAR: "ok", LARGE_VAR: big } } }),
      invalid(
        `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: {"SMALL_VAR":"ok","LARGE_VAR":"${big}"}`,
      ),
    );
    await createNodeFunction(sim.lambda, "env-near", CODE, { Environment: { Variables: { LARGE_VAR: "x".repeat(4000) } } });
    const empty = await createNodeFunction(sim.lambda, "env-empty", CODE, { Environment: { Variables: {} } });
    expect(empty.Environment).toEqual({ Variables: {} });
    expect((await sim.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "env-empty" }))).Environment).toEqual({ Variables: {} });
    expect((await sim.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "tag-fn" }))).Environment).toBeUndefined();
  });

  it("a package that is not a zip is refused; an Image function's code update needs an ImageUri", async () => {
    await expectAwsError(
      sim.lambda.send(
        new CreateFunctionCommand({
          FunctionName: "bad-zip",
          Runtime: "nodejs22.x",
          Role: ROLE,
          Handler: "index.handler",
          Code: { ZipFile: Buffer.from("not a zip") },
        }),
      ),
      invalid("Could not unzip uploaded file. Please check your file, then try to upload again."),
    );
    await sim.lambda.send(new CreateFunctionCommand({ FunctionName: "img-fn", PackageType: "Image", Role: ROLE, Code: { ImageUri: "repo/img:latest" } }));
    await expectAwsError(
      sim.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "img-fn", ZipFile: zip({ "index.js": CODE }) })),
      invalid("Please provide ImageUri when updating a function with packageType Image."),
    );
  });
});

describe("Lambda parity: configuration shapes", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));
  beforeAll(async () => {
    await createNodeFunction(sim.lambda, "shape-fn", CODE, { Publish: true });
    await sim.lambda.send(new CreateAliasCommand({ FunctionName: "shape-fn", Name: "live", FunctionVersion: "1" }));
  });
  const STATE_FIELDS = [
    "State",
    "StateReason",
    "StateReasonCode",
    "LastUpdateStatus",
    "LastUpdateStatusReason",
    "LastUpdateStatusReasonCode",
    "RuntimeVersionConfig",
  ];

  it("Get names the qualifier asked for in FunctionArn ($LATEST, the alias) and reports a runtime version", async () => {
    const plain = await sim.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "shape-fn" }));
    expect(plain.FunctionArn).toBe(`${ARN}:shape-fn`);
    expect(plain.RuntimeVersionConfig?.RuntimeVersionArn).toMatch(/^arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/);
    expect((await sim.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "shape-fn", Qualifier: "$LATEST" }))).FunctionArn).toBe(
      `${ARN}:shape-fn:$LATEST`,
    );
    const alias = await sim.lambda.send(new GetFunctionCommand({ FunctionName: "shape-fn", Qualifier: "live" }));
    expect(alias.Configuration).toMatchObject({ FunctionArn: `${ARN}:shape-fn:live`, Version: "1" });
  });

  it("ListFunctions and ListVersionsByFunction answer the subset without state or runtime version; listed $LATEST is qualified", async () => {
    const versions = (await sim.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: "shape-fn" }))).Versions!;
    expect(versions.map((v) => v.FunctionArn)).toEqual([`${ARN}:shape-fn:$LATEST`, `${ARN}:shape-fn:1`]);
    const all = (await sim.lambda.send(new ListFunctionsCommand({ FunctionVersion: "ALL" }))).Functions!;
    expect(all.map((v) => v.FunctionArn)).toEqual([`${ARN}:shape-fn:$LATEST`, `${ARN}:shape-fn:1`]);
    const plain = (await sim.lambda.send(new ListFunctionsCommand({}))).Functions!;
    expect(plain.map((v) => v.FunctionArn)).toEqual([`${ARN}:shape-fn`]);
    for (const c of [...versions, ...all, ...plain]) for (const k of STATE_FIELDS) expect(c, k).not.toHaveProperty(k);
  });
});

describe("Lambda parity: creating and updating functions", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));
  const create = (FunctionName: string, extra: Record<string, unknown> = {}) =>
    sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName,
        Runtime: "nodejs22.x",
        Role: ROLE,
        Handler: "index.handler",
        Code: { ZipFile: zip({ "index.js": CODE }) },
        ...extra,
      }),
    );

  it("a function may be created by ARN or partial ARN; other Regions are unreachable, other accounts denied, long names refused", async () => {
    expect((await create(`${ARN}:by-arn`)).FunctionArn).toBe(`${ARN}:by-arn`);
    expect((await create("000000000000:function:by-partial")).FunctionName).toBe("by-partial");
    await expectAwsError(create("arn:aws:lambda:ap-southeast-1:000000000000:function:x"), {
      name: "ResourceNotFoundException",
      status: 404,
      message: "Functions from 'ap-southeast-1' are not reachable in this region ('us-east-1')",
    });
    await expectAwsError(create("arn:aws:lambda:us-east-1:123456789012:function:x"), { name: "AccessDeniedException", status: 403 });
    const long = "a".repeat(65);
    await expectAwsError(
      create(long),
      invalid(`1 validation error detected: Value '${long}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`),
    );
  });

  it("an unknown runtime is InvalidParameterValueException with AWS's list of runtimes", async () => {
    const list =
      "[nodejs20.x, provided.al2023, python3.12, java17, nodejs16.x, dotnet8, python3.10, java11, python3.11, dotnet6, java21, nodejs18.x, provided.al2, java8.al2, ruby3.2, python3.8, python3.9]";
    for (const runtime of ["non-existent-runtime", "PYTHON3.9"])
      await expectAwsError(
        create("bad-runtime", { Runtime: runtime }),
        invalid(`Value ${runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: ${list} or be a valid ARN`),
      );
    await create("good-runtime");
    await expectAwsError(
      sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "good-runtime", Runtime: "non-existent-runtime" as never })),
      invalid(`Value non-existent-runtime at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: ${list} or be a valid ARN`),
    );
  });

  it("list members are worded as AWS words them (architectures, layers, compatible runtimes)", async () => {
    await expectAwsError(create("arch", { Architectures: ["X86_64"] }), {
      name: "ValidationException",
      status: 400,
      message:
        "1 validation error detected: Value '[X86_64]' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]",
    });
    await expectAwsError(create("layer-arn", { Layers: [`${LAYER}:l1`] }), {
      name: "ValidationException",
      status: 400,
      message: `1 validation error detected: Value '[${LAYER}:l1]' at 'layers' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 140, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+, Member must not be null]`,
    });
    await expectAwsError(
      sim.lambda.send(
        new PublishLayerVersionCommand({
          LayerName: "bad-compat",
          Content: { ZipFile: zip({ "a.txt": "a" }) },
          CompatibleRuntimes: ["invalidruntime" as never],
          CompatibleArchitectures: ["invalidarch" as never],
        }),
      ),
      {
        name: "ValidationException",
        status: 400,
        message:
          "2 validation errors detected: Value '[invalidruntime]' at 'compatibleRuntimes' failed to satisfy constraint: Member must satisfy enum value set: [nodejs20.x, provided.al2023, python3.12, java17, nodejs16.x, dotnet8, python3.10, java11, python3.11, dotnet6, java21, nodejs18.x, provided.al2, java8.al2, ruby3.2, python3.8, python3.9]; Value '[invalidarch]' at 'compatibleArchitectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]",
      },
    );
  });

  it("at most 5 layers; SnapStart only for runtimes that have it", async () => {
    await sim.lambda.send(new PublishLayerVersionCommand({ LayerName: "six", Content: { ZipFile: zip({ "a.txt": "a" }) } }));
    const six = Array.from({ length: 6 }, (_, i) => `${LAYER}:l${i}:1`);
    await expectAwsError(create("six-layers", { Layers: six }), invalid("Cannot reference more than 5 layers."));
    await expectAwsError(
      create("snap", { Runtime: "python3.9", SnapStart: { ApplyOn: "PublishedVersions" } }),
      invalid("python3.9 is not supported for SnapStart enabled functions."),
    );
    const java = await create("snap-java", { Runtime: "java21", Handler: "x.Handler", SnapStart: { ApplyOn: "PublishedVersions" } });
    expect(java.SnapStart).toEqual({ ApplyOn: "PublishedVersions", OptimizationStatus: "Off" });
  });

  it("an update without subnets leaves an empty VpcConfig; a Zip function's code update takes no ImageUri", async () => {
    await create("vpc-fn", { VpcConfig: { SubnetIds: ["subnet-1"], SecurityGroupIds: ["sg-1"] } });
    const u = await sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "vpc-fn", VpcConfig: { SubnetIds: [], SecurityGroupIds: [] } }));
    expect(u.VpcConfig).toEqual({ SubnetIds: [], SecurityGroupIds: [], VpcId: "", Ipv6AllowedForDualStack: false });
    await expectAwsError(
      sim.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "vpc-fn", ImageUri: "repo/img:latest" })),
      invalid("Please don't provide ImageUri when updating a function with packageType Zip."),
    );
  });

  it("a package declaring more than 250 MB unzipped is refused", async () => {
    const big = zip({ "index.js": CODE });
    // Declare 262144001 uncompressed bytes in the central directory entry.
    const cd = big.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    big.writeUInt32LE(262144001, cd + 24);
    await expectAwsError(create("too-big", { Code: { ZipFile: big } }), invalid("Unzipped size must be smaller than 262144000 bytes"));
  });

  it("provisioned concurrency comes from the unreserved pool, which keeps 100", async () => {
    await create("pc-limits", { Publish: true });
    const put = (n: number) =>
      sim.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "pc-limits", Qualifier: "1", ProvisionedConcurrentExecutions: n }));
    const over = await expectAwsError(
      put(1001),
      invalid("Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [1000]."),
    );
    expect((over as unknown as { Type?: string }).Type).toBeUndefined();
    await expectAwsError(
      put(901),
      invalid("Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100]."),
    );
  });
});

describe("Lambda parity: account settings", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  it("TotalCodeSize counts $LATEST, every published version and every layer version", async () => {
    const total = async () => (await sim.lambda.send(new GetAccountSettingsCommand({}))).AccountUsage!.TotalCodeSize!;
    const t0 = await total();
    const fn = await createNodeFunction(sim.lambda, "size-fn", CODE);
    const size = fn.CodeSize!;
    expect((await total()) - t0).toBe(size);
    await sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "size-fn", Description: "config only" }));
    expect((await total()) - t0).toBe(size);
    await sim.lambda.send(new PublishVersionCommand({ FunctionName: "size-fn" }));
    expect((await total()) - t0).toBe(2 * size);
    const layer = await sim.lambda.send(new PublishLayerVersionCommand({ LayerName: "size-layer", Content: { ZipFile: zip({ "a.txt": "layer" }) } }));
    expect((await total()) - t0).toBe(2 * size + layer.Content!.CodeSize!);
  });
});

describe("Lambda parity: code signing configs", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  it("a missing config: 'can not be found' when named, CodeSigningConfigNotFoundException when attached; no config is an empty answer", async () => {
    await createNodeFunction(sim.lambda, "csc-fn", CODE);
    const { CodeSigningConfig: c } = await sim.lambda.send(
      new CreateCodeSigningConfigCommand({
        AllowedPublishers: { SigningProfileVersionArns: ["arn:aws:signer:us-east-1:000000000000:/signing-profiles/test"] },
        CodeSigningPolicies: { UntrustedArtifactOnDeployment: "Enforce" },
      }),
    );
    const bad = `${c!.CodeSigningConfigArn!.slice(0, -1)}x`;
    const named = notFound(`The Lambda code signing configuration ${bad} can not be found.`);
    const gone = await expectAwsError(sim.lambda.send(new GetCodeSigningConfigCommand({ CodeSigningConfigArn: bad })), named);
    expect((gone as unknown as { Type?: string }).Type).toBeUndefined();
    await expectAwsError(sim.lambda.send(new DeleteCodeSigningConfigCommand({ CodeSigningConfigArn: bad })), named);
    await expectAwsError(sim.lambda.send(new UpdateCodeSigningConfigCommand({ CodeSigningConfigArn: bad, Description: "d" })), named);
    await expectAwsError(sim.lambda.send(new ListFunctionsByCodeSigningConfigCommand({ CodeSigningConfigArn: bad })), named);
    const attach = {
      name: "CodeSigningConfigNotFoundException",
      status: 404,
      message: `The code signing configuration cannot be found. Check that the provided configuration is not deleted: ${bad}.`,
    };
    await expectAwsError(sim.lambda.send(new PutFunctionCodeSigningConfigCommand({ FunctionName: "csc-fn", CodeSigningConfigArn: bad })), attach);
    await expectAwsError(
      sim.lambda.send(new PutFunctionCodeSigningConfigCommand({ FunctionName: "csc-test-doesnotexist", CodeSigningConfigArn: bad })),
      attach,
    );
    await expectAwsError(
      sim.lambda.send(new PutFunctionCodeSigningConfigCommand({ FunctionName: "csc-test-doesnotexist", CodeSigningConfigArn: c!.CodeSigningConfigArn })),
      notFound(`Function not found: ${ARN}:csc-test-doesnotexist`),
    );
    const none = await sim.lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: "csc-fn" }));
    expect([none.CodeSigningConfigArn, none.FunctionName]).toEqual([undefined, undefined]);
    await sim.lambda.send(new DeleteFunctionCodeSigningConfigCommand({ FunctionName: "csc-fn" }));
  });
});

describe("Lambda parity: function URL results (execute mode)", () => {
  const sim = useServer({ execute: true }, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  it("a string result is the body itself, other JSON is re-serialized compactly (recorded 2025)", async () => {
    await createNodeFunction(sim.lambda, "url-results", "exports.handler = async (e) => JSON.parse(e.body);");
    await sim.lambda.send(
      new AddPermissionCommand({
        FunctionName: "url-results",
        StatementId: "url",
        Action: "lambda:InvokeFunctionUrl",
        Principal: "*",
        FunctionUrlAuthType: "NONE",
      }),
    );
    const { FunctionUrl } = await sim.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: "url-results", AuthType: "NONE" }));
    const id = /^http:\/\/([a-z0-9]{32})\./.exec(FunctionUrl!)![1];
    for (const [result, body] of [
      ['"hello"', "hello"],
      ["3", "3"],
      ["3.1", "3.1"],
      ["true", "true"],
      ['["hello", 3, true]', '["hello",3,true]'],
      ['{"hello": "world"}', '{"hello":"world"}'],
    ]) {
      const r = await fetch(`${sim.server.url}/_lambda-url/${id}/`, { method: "POST", body: result });
      expect([r.status, r.headers.get("content-type"), await r.text()]).toEqual([200, "application/json", body]);
    }
  });
});
