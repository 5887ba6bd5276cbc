/**
 * Lambda control-plane answers replayed from scenarios recorded against AWS (LocalStack's AWS-validated
 * snapshots of tests/aws/services/lambda_/test_lambda_api.py); each test names the snapshot key it follows.
 */
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  type CreateFunctionCommandInput,
  type Runtime,
  CreateFunctionUrlConfigCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  ListAliasesCommand,
  ListTagsCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  TagResourceCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { createPythonFunction, ROLE, zip } from "./lambda-helpers.js";

describe("Lambda recorded API scenarios", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  // TestLambdaImages::test_lambda_image_and_image_config_crud, "update-function-code-delete-imageconfig-response"
  // and "get-function-config-response-after-delete-imageconfig": ImageConfig {} removes the image config.
  it("UpdateFunctionConfiguration with an empty ImageConfig drops ImageConfigResponse", async () => {
    const created = await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "img-cfg",
        Role: ROLE,
        PackageType: "Image",
        Code: { ImageUri: "000000000000.dkr.ecr.us-east-1.amazonaws.com/repo:latest" },
        ImageConfig: { EntryPoint: ["sh"], Command: ["-c", "echo test"], WorkingDirectory: "/app1" },
      }),
    );
    expect(created.ImageConfigResponse).toEqual({ ImageConfig: { EntryPoint: ["sh"], Command: ["-c", "echo test"], WorkingDirectory: "/app1" } });
    // A partial ImageConfig replaces the whole one (EntryPoint is gone), as recorded in "update-function-code-response".
    const partial = await sim.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: "img-cfg", ImageConfig: { Command: ["-c", "echo test1"], WorkingDirectory: "/app1" } }),
    );
    expect(partial.ImageConfigResponse).toEqual({ ImageConfig: { Command: ["-c", "echo test1"], WorkingDirectory: "/app1" } });
    const cleared = await sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "img-cfg", ImageConfig: {} }));
    expect(cleared).not.toHaveProperty("ImageConfigResponse");
    expect(await sim.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "img-cfg" }))).not.toHaveProperty("ImageConfigResponse");
    const got = await sim.lambda.send(new GetFunctionCommand({ FunctionName: "img-cfg" }));
    expect(got.Configuration).not.toHaveProperty("ImageConfigResponse");
    expect(got.Code?.RepositoryType).toBe("ECR");
  });

  const py = (FunctionName: string, extra: Partial<CreateFunctionCommandInput> = {}) =>
    createPythonFunction(sim.lambda, FunctionName, "def handler(e, c):\n    return e\n", extra);
  // TestRuntimeValidation::test_create_deprecated_function_runtime_with_validation_enabled[*], "deprecation_error".
  it("a runtime past its block-create date is refused at creation and update, naming the runtime to use", async () => {
    const recorded: [string, string][] = [
      ["python3.7", "python3.12"],
      ["java8", "java21"],
      ["go1.x", "provided.al2023"],
      ["provided", "provided.al2023"],
      ["ruby2.7", "ruby3.2"],
      ["nodejs14.x", "nodejs20.x"],
      ["nodejs12.x", "nodejs18.x"],
      ["dotnetcore3.1", "dotnet6"],
    ];
    for (const [Runtime, next] of recorded)
      await expectAwsError(py(`old-${Runtime.replace(/\W/g, "")}`, { Runtime: Runtime as Runtime }), {
        name: "InvalidParameterValueException",
        status: 400,
        message: `The runtime parameter of ${Runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (${next}) while creating or updating functions.`,
      });
    await py("old-update");
    await expectAwsError(sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "old-update", Runtime: "python3.7" })), {
      name: "InvalidParameterValueException",
      status: 400,
      message:
        "The runtime parameter of python3.7 is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (python3.12) while creating or updating functions.",
    });
  });

  // TestLambdaBehavior::test_mixed_architecture (test_lambda.py): "update_function_code_response" moves to arm64 and
  // names another RuntimeVersionArn (<resource:3>, where the x86_64 function had <resource:2>).
  it("an arm64 function runs another runtime version than an x86_64 one of the same runtime", async () => {
    const created = await py("arch-move");
    const moved = await sim.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: "arch-move", ZipFile: zip({ "handler.py": "" }), Architectures: ["arm64"] }),
    );
    expect(moved.Architectures).toEqual(["arm64"]);
    const x86 = created.RuntimeVersionConfig?.RuntimeVersionArn;
    const arm = moved.RuntimeVersionConfig?.RuntimeVersionArn;
    expect(x86).toMatch(/^arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/);
    expect(arm).toMatch(/^arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/);
    expect(arm).not.toBe(x86);
    // Stable per runtime and architecture.
    expect((await py("arch-arm", { Architectures: ["arm64"] })).RuntimeVersionConfig?.RuntimeVersionArn).toBe(arm);
  });

  const logging = async (FunctionName: string, LoggingConfig: Record<string, string>) =>
    (await sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName, LoggingConfig }))).LoggingConfig;

  // TestLoggingConfig::test_function_advanced_logging_configuration "updated_config", test_advanced_logging_configuration_format_switch
  // "updated_config"/"updated_config_v2", test_function_partial_advanced_logging_configuration_update[partial_config3].
  it("UpdateFunctionConfiguration changes only the LoggingConfig members it names; back to Text drops the levels", async () => {
    await py("log-json", { LoggingConfig: { LogFormat: "JSON" } });
    expect(await logging("log-json", { LogGroup: "cool_lambda" })).toEqual({
      ApplicationLogLevel: "INFO",
      LogFormat: "JSON",
      LogGroup: "cool_lambda",
      SystemLogLevel: "INFO",
    });
    expect((await sim.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "log-json" }))).LoggingConfig?.LogGroup).toBe("cool_lambda");

    await py("log-switch");
    expect(await logging("log-switch", { LogFormat: "JSON" })).toEqual({
      ApplicationLogLevel: "INFO",
      LogFormat: "JSON",
      LogGroup: "/aws/lambda/log-switch",
      SystemLogLevel: "INFO",
    });
    expect(await logging("log-switch", { LogFormat: "Text" })).toEqual({ LogFormat: "Text", LogGroup: "/aws/lambda/log-switch" });

    await py("log-partial");
    expect(await logging("log-partial", { LogGroup: "cool_lambda" })).toEqual({ LogFormat: "Text", LogGroup: "cool_lambda" });
    expect(await logging("log-partial", { LogFormat: "JSON", SystemLogLevel: "DEBUG" })).toEqual({
      ApplicationLogLevel: "INFO",
      LogFormat: "JSON",
      LogGroup: "cool_lambda",
      SystemLogLevel: "DEBUG",
    });
  });
});

// TestLambdaMultiAccounts (test_lambda.py): a function's resource-based policy granting another account lets that
// account's credentials use the function by its ARN (get, configuration, invoke, concurrency, aliases, tags, publish,
// delete); without a grant AWS answers AccessDeniedException.
describe("Lambda recorded cross-account scenarios", () => {
  const sim = useServer({}, (cfg) => ({
    primary: new LambdaClient(cfg),
    secondary: new LambdaClient({ ...cfg, credentials: { accessKeyId: "111111111111", secretAccessKey: "secret" } }),
  }));

  it("another account reaches a function by ARN once its policy grants that account", async () => {
    const created = await sim.primary.send(
      new CreateFunctionCommand({
        FunctionName: "shared",
        Runtime: "python3.12",
        Role: ROLE,
        Handler: "handler.handler",
        Code: { ZipFile: zip({ "handler.py": "def handler(e, c):\n    return e\n" }) },
      }),
    );
    const arn = created.FunctionArn!;
    await expectAwsError(sim.secondary.send(new GetFunctionCommand({ FunctionName: arn })), {
      name: "AccessDeniedException",
      status: 403,
      message: `User: arn:aws:iam::111111111111:root is not authorized to perform: lambda:GetFunction on resource: ${arn} because no resource-based policy allows the lambda:GetFunction action`,
    });
    await sim.primary.send(new AddPermissionCommand({ FunctionName: "shared", StatementId: "xacct", Principal: "111111111111", Action: "lambda:*" }));

    expect((await sim.secondary.send(new GetFunctionCommand({ FunctionName: arn }))).Configuration?.FunctionArn).toBe(arn);
    expect((await sim.secondary.send(new GetFunctionConfigurationCommand({ FunctionName: arn }))).FunctionName).toBe("shared");
    expect((await sim.secondary.send(new InvokeCommand({ FunctionName: arn }))).StatusCode).toBe(200);
    await sim.secondary.send(new PutFunctionConcurrencyCommand({ FunctionName: arn, ReservedConcurrentExecutions: 1 }));
    await sim.secondary.send(new DeleteFunctionConcurrencyCommand({ FunctionName: arn }));
    await sim.secondary.send(new CreateAliasCommand({ FunctionName: arn, FunctionVersion: "$LATEST", Name: "alias-x" }));
    await sim.secondary.send(new UpdateAliasCommand({ FunctionName: arn, Name: "alias-x", Description: "from the other account" }));
    const aliases = await sim.secondary.send(new ListAliasesCommand({ FunctionName: arn }));
    expect(aliases.Aliases?.map((a) => [a.Name, a.Description])).toEqual([["alias-x", "from the other account"]]);
    await sim.secondary.send(new DeleteAliasCommand({ FunctionName: arn, Name: "alias-x" }));
    await sim.secondary.send(new TagResourceCommand({ Resource: arn, Tags: { foo: "bar" } }));
    expect((await sim.secondary.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({ foo: "bar" });
    expect((await sim.primary.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({ foo: "bar" });
    expect((await sim.secondary.send(new PublishVersionCommand({ FunctionName: arn }))).Version).toBe("1");

    // The function's name alone is the caller's own account's function.
    await expectAwsError(sim.secondary.send(new GetFunctionCommand({ FunctionName: "shared" })), { name: "ResourceNotFoundException", status: 404 });
    await sim.secondary.send(new DeleteFunctionCommand({ FunctionName: arn }));
    await expectAwsError(sim.primary.send(new GetFunctionCommand({ FunctionName: "shared" })), { name: "ResourceNotFoundException", status: 404 });
  });
});

describe("Lambda cross-account grants to one identity", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg), cfg }));

  it("a grant naming another account's role lets that role's sessions in, not the account's other identities", async () => {
    const fn = await sim.lambda.send(
      new CreateFunctionCommand({ FunctionName: "to-role", Runtime: "python3.12", Role: ROLE, Handler: "h.h", Code: { ZipFile: zip({ "h.py": "" }) } }),
    );
    await sim.lambda.send(
      new AddPermissionCommand({
        FunctionName: "to-role",
        StatementId: "role-only",
        Principal: "arn:aws:iam::222233334444:role/app/invoker",
        Action: "lambda:GetFunction",
      }),
    );
    const as = (accessKeyId: string, secretAccessKey = "x", sessionToken?: string) =>
      ({ ...sim.cfg, credentials: { accessKeyId, secretAccessKey, sessionToken } }) as typeof sim.cfg;
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::222233334444:root" }, Action: "sts:AssumeRole" }] };
    await new IAMClient(as("222233334444")).send(
      new CreateRoleCommand({ RoleName: "invoker", Path: "/app/", AssumeRolePolicyDocument: JSON.stringify(trust) }),
    );
    const c = (
      await new STSClient(as("222233334444")).send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::222233334444:role/app/invoker", RoleSessionName: "run" }))
    ).Credentials!;
    const viaRole = new LambdaClient(as(c.AccessKeyId!, c.SecretAccessKey!, c.SessionToken!));
    expect((await viaRole.send(new GetFunctionCommand({ FunctionName: fn.FunctionArn! }))).Configuration?.FunctionName).toBe("to-role");
    // The account's root is not the role, and the grant covers GetFunction only.
    await expectAwsError(new LambdaClient(as("222233334444")).send(new GetFunctionCommand({ FunctionName: fn.FunctionArn! })), {
      name: "AccessDeniedException",
      status: 403,
    });
    await expectAwsError(viaRole.send(new GetFunctionConfigurationCommand({ FunctionName: fn.FunctionArn! })), { name: "AccessDeniedException", status: 403 });
  });
});

describe("Lambda recorded function URL validation", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  // TestLambdaURL::test_lambda_url_invalid_invoke_mode, "invoke_function_invalid_invoke_type": AWS lists the enum
  // as RESPONSE_STREAM, BUFFERED.
  it("an unknown InvokeMode is a ValidationException listing AWS's order of the modes", async () => {
    await sim.lambda.send(
      new CreateFunctionCommand({ FunctionName: "url-mode", Runtime: "python3.12", Role: ROLE, Handler: "h.h", Code: { ZipFile: zip({ "h.py": "" }) } }),
    );
    await expectAwsError(sim.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: "url-mode", AuthType: "NONE", InvokeMode: "UNKNOWN" as never })), {
      name: "ValidationException",
      status: 400,
      message:
        "1 validation error detected: Value 'UNKNOWN' at 'invokeMode' failed to satisfy constraint: Member must satisfy enum value set: [RESPONSE_STREAM, BUFFERED]",
    });
  });
});
