/**
 * Lambda control-plane answers replayed from LocalStack's AWS-validated snapshots of
 * tests/aws/services/lambda_/test_lambda_api.py (test_lambda_api.snapshot.json): function CRUD errors, versions,
 * aliases, event invoke configs, concurrency, permissions, tags, URL configs, code signing, layers and account
 * settings. Each test names the snapshot key it follows.
 */
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateCodeSigningConfigCommand,
  AddLayerVersionPermissionCommand,
  CreateFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetAccountSettingsCommand,
  InvokeCommand,
  PutFunctionConcurrencyCommand,
  GetLayerVersionPolicyCommand,
  RemoveLayerVersionPermissionCommand,
  DeleteFunctionUrlConfigCommand,
  DeleteLayerVersionCommand,
  GetFunctionUrlConfigCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  ListFunctionsCommand,
  ListLayersCommand,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
  UpdateFunctionUrlConfigCommand,
  CreateFunctionUrlConfigCommand,
  DeleteCodeSigningConfigCommand,
  DeleteFunctionCodeSigningConfigCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetCodeSigningConfigCommand,
  GetProvisionedConcurrencyConfigCommand,
  ListFunctionUrlConfigsCommand,
  ListFunctionsByCodeSigningConfigCommand,
  ListProvisionedConcurrencyConfigsCommand,
  PutFunctionCodeSigningConfigCommand,
  PutProvisionedConcurrencyConfigCommand,
  UpdateCodeSigningConfigCommand,
  UpdateFunctionConfigurationCommand,
  DeleteFunctionCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetAliasCommand,
  GetFunctionCodeSigningConfigCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionEventInvokeConfigCommand,
  GetPolicyCommand,
  LambdaClient,
  ListFunctionEventInvokeConfigsCommand,
  ListTagsCommand,
  PublishVersionCommand,
  PutFunctionEventInvokeConfigCommand,
  RemovePermissionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionEventInvokeConfigCommand,
} from "@aws-sdk/client-lambda";
import { describe, expect, it, vi } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { createPythonFunction, ROLE, zip } from "./lambda-helpers.js";

const ARN = "arn:aws:lambda:us-east-1:000000000000:function";
const CODE = "def handler(event, context):\n    return event\n";

describe("Lambda recorded API scenarios (2)", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  // TestLambdaFunction::test_ops_on_nonexisting_version[get_function_event_invoke_config]
  it("test_ops_on_nonexisting_version: a missing version has no EventInvokeConfig", async () => {
    await createPythonFunction(sim.lambda, "nev-fn", CODE);
    await expectAwsError(sim.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: "nev-fn", Qualifier: "1221" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `The function ${ARN}:nev-fn:1221 doesn't have an EventInvokeConfig`,
    });
    await expectAwsError(sim.lambda.send(new GetFunctionCommand({ FunctionName: "nev-fn", Qualifier: "1221" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `Function not found: ${ARN}:nev-fn:1221`,
    });
  });

  // TestLambdaFunction::test_delete_on_nonexisting_version
  it("test_delete_on_nonexisting_version: DeleteFunction of a missing function names no qualifier", async () => {
    for (const Qualifier of [undefined, "1"])
      await expectAwsError(sim.lambda.send(new DeleteFunctionCommand({ FunctionName: "dnv-missing", Qualifier })), {
        name: "ResourceNotFoundException",
        status: 404,
        message: `Function not found: ${ARN}:dnv-missing`,
      });
  });

  // TestLambdaFunction::test_ops_on_nonexisting_fn[get_function_code_signing_config|get_function_concurrency]
  it("test_ops_on_nonexisting_fn: code signing config and concurrency name the unqualified function", async () => {
    const message = `Function not found: ${ARN}:nonexisting-fn`;
    await expectAwsError(sim.lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: "nonexisting-fn" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message,
    });
    await expectAwsError(sim.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: "nonexisting-fn" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message,
    });
  });

  // TestLambdaFunction::test_get_function_wrong_region[get_function_code_signing_config|get_function_event_invoke_config|get_function_concurrency]
  it("test_get_function_wrong_region: code signing, event invoke config and concurrency refuse another Region", async () => {
    const FunctionName = "arn:aws:lambda:eu-west-1:000000000000:function:wr-fn";
    const message = "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')";
    for (const cmd of [
      new GetFunctionCodeSigningConfigCommand({ FunctionName }),
      new GetFunctionEventInvokeConfigCommand({ FunctionName }),
      new GetFunctionConcurrencyCommand({ FunctionName }),
    ])
      await expectAwsError(sim.lambda.send(cmd as never), { name: "ResourceNotFoundException", status: 404, message });
  });

  // TestLambdaVersions::test_publish_with_wrong_sha256 and test_publish_with_wrong_revisionid
  it("test_publish_with_wrong_sha256 / test_publish_with_wrong_revisionid", async () => {
    const created = await createPythonFunction(sim.lambda, "pub-wrong", CODE);
    await expectAwsError(sim.lambda.send(new PublishVersionCommand({ FunctionName: "pub-wrong", CodeSha256: "somenonexistentsha256" })), {
      name: "InvalidParameterValueException",
      status: 400,
      message: `CodeSHA256 (somenonexistentsha256) is different from current CodeSHA256 in $LATEST (${created.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
    });
    await expectAwsError(sim.lambda.send(new PublishVersionCommand({ FunctionName: "pub-wrong", RevisionId: "wrong" })), {
      name: "PreconditionFailedException",
      status: 412,
      message: "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
    });
    const published = await sim.lambda.send(new PublishVersionCommand({ FunctionName: "pub-wrong", CodeSha256: created.CodeSha256 }));
    expect(published.$metadata.httpStatusCode).toBe(201);
    expect(published.Version).toBe("1");
  });

  // TestLambdaAlias::test_alias_lifecycle and test_notfound_and_invalid_routingconfigs
  it("test_notfound_and_invalid_routingconfigs: weights, missing versions and functions, existing and missing aliases", async () => {
    await createPythonFunction(sim.lambda, "alias-rc", CODE, { Publish: true, Environment: { Variables: { testenv: "staging" } } });
    await sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "alias-rc", Environment: { Variables: { testenv: "prod" } } }));
    expect((await sim.lambda.send(new PublishVersionCommand({ FunctionName: "alias-rc" }))).Version).toBe("2");
    await expectAwsError(sim.lambda.send(new GetFunctionCommand({ FunctionName: "alias-rc", Qualifier: "aliasdoesnotexist" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `Function not found: ${ARN}:alias-rc:aliasdoesnotexist`,
    });
    await expectAwsError(
      sim.lambda.send(
        new CreateAliasCommand({ FunctionName: "alias-rc", Name: "a1", FunctionVersion: "1", RoutingConfig: { AdditionalVersionWeights: { "2": 2 } } }),
      ),
      {
        name: "ValidationException",
        status: 400,
        message:
          "1 validation error detected: Value '{2=2.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]",
      },
    );
    await expectAwsError(
      sim.lambda.send(
        new CreateAliasCommand({ FunctionName: "alias-rc", Name: "a1", FunctionVersion: "1", RoutingConfig: { AdditionalVersionWeights: { "2": -1 } } }),
      ),
      {
        name: "ValidationException",
        status: 400,
        message:
          "1 validation error detected: Value '{2=-1.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]",
      },
    );
    await expectAwsError(
      sim.lambda.send(
        new CreateAliasCommand({ FunctionName: "alias-rc", Name: "a1", FunctionVersion: "1", RoutingConfig: { AdditionalVersionWeights: { $LATEST: 0.5 } } }),
      ),
      {
        name: "ValidationException",
        status: 400,
        message:
          "1 validation error detected: Value '{$LATEST=0.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+, Member must not be null]",
      },
    );
    await expectAwsError(
      sim.lambda.send(
        new CreateAliasCommand({
          FunctionName: "alias-rc-unknown",
          Name: "a1",
          FunctionVersion: "1",
          RoutingConfig: { AdditionalVersionWeights: { "2": 0.5 } },
        }),
      ),
      { name: "ResourceNotFoundException", status: 404, message: `Function not found: ${ARN}:alias-rc-unknown:1` },
    );
    const empty = await sim.lambda.send(
      new CreateAliasCommand({ FunctionName: "alias-rc", Name: "custom-empty-routingconfig", FunctionVersion: "1", RoutingConfig: {} }),
    );
    expect(empty.$metadata.httpStatusCode).toBe(201);
    expect(empty).not.toHaveProperty("RoutingConfig");
    expect(empty.Description).toBe("");
    await sim.lambda.send(
      new CreateAliasCommand({ FunctionName: "alias-rc", Name: "custom", FunctionVersion: "1", RoutingConfig: { AdditionalVersionWeights: { "2": 0.5 } } }),
    );
    await expectAwsError(sim.lambda.send(new CreateAliasCommand({ FunctionName: "alias-rc", Name: "custom", FunctionVersion: "1" })), {
      name: "ResourceConflictException",
      status: 409,
      message: `Alias already exists: ${ARN}:alias-rc:custom`,
    });
    await expectAwsError(sim.lambda.send(new GetAliasCommand({ FunctionName: "alias-rc", Name: "non-existent" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `Cannot find alias arn: ${ARN}:alias-rc:non-existent`,
    });
    const got = await sim.lambda.send(new GetAliasCommand({ FunctionName: "alias-rc", Name: "custom" }));
    expect(got.RoutingConfig).toEqual({ AdditionalVersionWeights: { "2": 0.5 } });
  });

  // TestLambdaTag::test_tag_nonexisting_resource
  it("test_tag_nonexisting_resource: tag, untag and list of a deleted function", async () => {
    const created = await createPythonFunction(sim.lambda, "tag-gone", CODE);
    await sim.lambda.send(new DeleteFunctionCommand({ FunctionName: "tag-gone" }));
    const message = `Function not found: ${ARN}:tag-gone`;
    const Resource = created.FunctionArn!;
    await expectAwsError(sim.lambda.send(new TagResourceCommand({ Resource, Tags: { a: "b" } })), { name: "ResourceNotFoundException", status: 404, message });
    await expectAwsError(sim.lambda.send(new UntagResourceCommand({ Resource, TagKeys: ["a"] })), { name: "ResourceNotFoundException", status: 404, message });
    await expectAwsError(sim.lambda.send(new ListTagsCommand({ Resource })), { name: "ResourceNotFoundException", status: 404, message });
  });

  // TestLambdaTag::test_tag_lifecycle
  it("test_tag_lifecycle", async () => {
    const created = await createPythonFunction(sim.lambda, "tag-life", CODE);
    const Resource = created.FunctionArn!;
    const t = await sim.lambda.send(new TagResourceCommand({ Resource, Tags: { A: "tag-a" } }));
    expect(t.$metadata.httpStatusCode).toBe(204);
    await sim.lambda.send(new TagResourceCommand({ Resource, Tags: { B: "tag-b", C: "tag-c" } }));
    await sim.lambda.send(new TagResourceCommand({ Resource, Tags: { C: "tag-c-newsuffix", D: "tag-d" } }));
    expect((await sim.lambda.send(new ListTagsCommand({ Resource }))).Tags).toEqual({ A: "tag-a", B: "tag-b", C: "tag-c-newsuffix", D: "tag-d" });
    const u = await sim.lambda.send(new UntagResourceCommand({ Resource, TagKeys: ["A"] }));
    expect(u.$metadata.httpStatusCode).toBe(204);
    await sim.lambda.send(new UntagResourceCommand({ Resource, TagKeys: ["B", "C"] }));
    await sim.lambda.send(new UntagResourceCommand({ Resource, TagKeys: ["F"] }));
    expect((await sim.lambda.send(new ListTagsCommand({ Resource }))).Tags).toEqual({ D: "tag-d" });
    await sim.lambda.send(new UntagResourceCommand({ Resource, TagKeys: ["D", "F"] }));
    expect((await sim.lambda.send(new ListTagsCommand({ Resource }))).Tags).toEqual({});
  });

  // TestLambdaEventInvokeConfig::test_lambda_eventinvokeconfig_exceptions
  it("test_lambda_eventinvokeconfig_exceptions", async () => {
    await createPythonFunction(sim.lambda, "eic-fn", CODE);
    const p1 = await sim.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: "eic-fn", DestinationConfig: { OnSuccess: {} } }));
    expect(p1.DestinationConfig).toEqual({ OnFailure: {}, OnSuccess: {} });
    expect(p1).not.toHaveProperty("MaximumRetryAttempts");
    await expectAwsError(
      sim.lambda.send(
        new PutFunctionEventInvokeConfigCommand({
          FunctionName: "eic-fn",
          DestinationConfig: { OnSuccess: { Destination: `arn:aws:iam:us-east-1:000000000000:function:eic-fn` } },
        }),
      ),
      {
        name: "InvalidParameterValueException",
        status: 400,
        message: `The provided destination config DestinationConfig(onSuccess=OnSuccess(destination=arn:aws:iam:us-east-1:000000000000:function:eic-fn), onFailure=null) is invalid.`,
      },
    );
    // "put_destination_invalid_arn_pattern" (2023) quotes an older pattern than today's model: only the code is compared.
    await expectAwsError(
      sim.lambda.send(
        new PutFunctionEventInvokeConfigCommand({
          FunctionName: "eic-fn",
          DestinationConfig: { OnFailure: { Destination: `arn:aws:_-/!lambda:us-east-1:000000000000:function:eic-fn` } },
        }),
      ),
      {
        name: "ValidationException",
        status: 400,
        message:
          /^1 validation error detected: Value 'arn:aws:_-\/!lambda:us-east-1:000000000000:function:eic-fn' at 'destinationConfig.onFailure.destination' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
      },
    );
    await sim.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: "eic-fn", MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 }));
    const over = await sim.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: "eic-fn", MaximumRetryAttempts: 0 }));
    expect(over.MaximumRetryAttempts).toBe(0);
    expect(over).not.toHaveProperty("MaximumEventAgeInSeconds");
    await sim.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: "eic-fn", MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 }));
    const upd = await sim.lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: "eic-fn", MaximumRetryAttempts: 0 }));
    expect(upd.MaximumEventAgeInSeconds).toBe(60);
    expect(upd.MaximumRetryAttempts).toBe(0);
    expect(upd.DestinationConfig).toEqual({ OnFailure: {}, OnSuccess: {} });
    await sim.lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: "eic-fn" }));
    await expectAwsError(sim.lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: "eic-fn" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `The function ${ARN}:eic-fn:$LATEST doesn't have an EventInvokeConfig`,
    });
    await expectAwsError(sim.lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: "doesnotexist" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `The function ${ARN}:doesnotexist:$LATEST doesn't have an EventInvokeConfig`,
    });
    await expectAwsError(sim.lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: "doesnotexist" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: "The function doesn't exist.",
    });
    await expectAwsError(sim.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: "eic-fn", Qualifier: "doesnotexist" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `The function ${ARN}:eic-fn:doesnotexist doesn't have an EventInvokeConfig`,
    });
    await expectAwsError(sim.lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: "doesnotexist", MaximumRetryAttempts: 1 })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: "The function doesn't exist.",
    });
    await expectAwsError(sim.lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: "eic-fn", MaximumRetryAttempts: 1 })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `The function ${ARN}:eic-fn:$LATEST doesn't have an EventInvokeConfig`,
    });
  });

  // TestLambdaPermissions::test_remove_multi_permissions
  it("test_remove_multi_permissions", async () => {
    await createPythonFunction(sim.lambda, "perm-multi", CODE);
    await sim.lambda.send(
      new AddPermissionCommand({ FunctionName: "perm-multi", StatementId: "s3", Action: "lambda:InvokeFunction", Principal: "s3.amazonaws.com" }),
    );
    await sim.lambda.send(
      new AddPermissionCommand({
        FunctionName: "perm-multi",
        StatementId: "sqs",
        Action: "lambda:InvokeFunction",
        Principal: "sqs.amazonaws.com",
        SourceArn: "arn:aws:s3:::b",
      }),
    );
    await sim.lambda.send(new RemovePermissionCommand({ FunctionName: "perm-multi", StatementId: "sqs" }));
    await expectAwsError(sim.lambda.send(new RemovePermissionCommand({ FunctionName: "perm-multi", StatementId: "non-existent" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: "Statement non-existent is not found in resource policy.",
    });
    const pol = JSON.parse((await sim.lambda.send(new GetPolicyCommand({ FunctionName: "perm-multi" }))).Policy!);
    expect(pol.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(["s3"]);
    await sim.lambda.send(new RemovePermissionCommand({ FunctionName: "perm-multi", StatementId: "s3" }));
    await expectAwsError(sim.lambda.send(new GetPolicyCommand({ FunctionName: "perm-multi" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: "The resource you requested does not exist.",
    });
  });

  // TestCodeSigningConfig::test_code_signing_not_found_excs
  it("test_code_signing_not_found_excs", async () => {
    const csc = await sim.lambda.send(
      new CreateCodeSigningConfigCommand({
        AllowedPublishers: { SigningProfileVersionArns: ["arn:aws:signer:us-east-1:000000000000:/signing-profiles/test"] },
      }),
    );
    const arn = csc.CodeSigningConfig!.CodeSigningConfigArn!;
    const invalid = `${arn.slice(0, -3)}xyz`;
    const cscMissing = `The Lambda code signing configuration ${invalid} can not be found.`;
    await expectAwsError(sim.lambda.send(new DeleteCodeSigningConfigCommand({ CodeSigningConfigArn: invalid })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: cscMissing,
    });
    await expectAwsError(sim.lambda.send(new GetCodeSigningConfigCommand({ CodeSigningConfigArn: invalid })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: cscMissing,
    });
    await expectAwsError(sim.lambda.send(new UpdateCodeSigningConfigCommand({ CodeSigningConfigArn: invalid, Description: "x" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: cscMissing,
    });
    await expectAwsError(sim.lambda.send(new UpdateCodeSigningConfigCommand({ CodeSigningConfigArn: invalid })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: cscMissing,
    });
    await expectAwsError(sim.lambda.send(new ListFunctionsByCodeSigningConfigCommand({ CodeSigningConfigArn: invalid })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: cscMissing,
    });
    const noupdate = await sim.lambda.send(new UpdateCodeSigningConfigCommand({ CodeSigningConfigArn: arn }));
    expect(noupdate.$metadata.httpStatusCode).toBe(200);
    expect(noupdate.CodeSigningConfig?.CodeSigningConfigArn).toBe(arn);
    const fnMissing = `Function not found: ${ARN}:csc-test-doesnotexist`;
    await expectAwsError(sim.lambda.send(new DeleteFunctionCodeSigningConfigCommand({ FunctionName: "csc-test-doesnotexist" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: fnMissing,
    });
    await expectAwsError(sim.lambda.send(new PutFunctionCodeSigningConfigCommand({ FunctionName: "csc-test-doesnotexist", CodeSigningConfigArn: arn })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: fnMissing,
    });
    await expectAwsError(sim.lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: "csc-test-doesnotexist" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: fnMissing,
    });
    const cscNotFound = `The code signing configuration cannot be found. Check that the provided configuration is not deleted: ${invalid}.`;
    await expectAwsError(sim.lambda.send(new PutFunctionCodeSigningConfigCommand({ FunctionName: "csc-test-doesnotexist", CodeSigningConfigArn: invalid })), {
      name: "CodeSigningConfigNotFoundException",
      status: 404,
      message: cscNotFound,
    });
    await createPythonFunction(sim.lambda, "csc-fn", CODE);
    await expectAwsError(sim.lambda.send(new PutFunctionCodeSigningConfigCommand({ FunctionName: "csc-fn", CodeSigningConfigArn: invalid })), {
      name: "CodeSigningConfigNotFoundException",
      status: 404,
      message: cscNotFound,
    });
    const none = await sim.lambda.send(new DeleteFunctionCodeSigningConfigCommand({ FunctionName: "csc-fn" }));
    expect(none.$metadata.httpStatusCode).toBe(204);
    const fnWithout = await sim.lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: "csc-fn" }));
    expect(fnWithout.$metadata.httpStatusCode).toBe(200);
    expect(fnWithout.CodeSigningConfigArn).toBeUndefined();
    expect((await sim.lambda.send(new ListFunctionsByCodeSigningConfigCommand({ CodeSigningConfigArn: arn }))).FunctionArns).toEqual([]);
  });

  // TestLambdaTags::test_tag_exceptions and test_tag_limits
  it("test_tag_exceptions / test_tag_limits", async () => {
    const created = await createPythonFunction(sim.lambda, "tag-exc", CODE);
    const Resource = created.FunctionArn!;
    await expectAwsError(sim.lambda.send(new TagResourceCommand({ Resource: "arn:aws:something", Tags: { a: "b" } })), {
      name: "ValidationException",
      status: 400,
      message:
        /^1 validation error detected: Value 'arn:aws:something' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
    });
    await expectAwsError(sim.lambda.send(new TagResourceCommand({ Resource: `${ARN}:doesnotexist`, Tags: { a: "b" } })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `Function not found: ${ARN}:doesnotexist`,
    });
    await expectAwsError(sim.lambda.send(new TagResourceCommand({ Resource: `${Resource}:alias`, Tags: { a: "b" } })), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "Tags on function aliases and versions are not supported. Please specify a function ARN.",
    });
    expect((await sim.lambda.send(new ListTagsCommand({ Resource }))).Tags).toEqual({});
    expect((await sim.lambda.send(new UntagResourceCommand({ Resource, TagKeys: ["somekey"] }))).$metadata.httpStatusCode).toBe(204);
    await expectAwsError(sim.lambda.send(new UntagResourceCommand({ Resource, TagKeys: [] })), {
      name: "ValidationException",
      status: 400,
      message: "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null",
    });
    await expectAwsError(sim.lambda.send(new TagResourceCommand({ Resource, Tags: {} })), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "An error occurred and the request cannot be processed.",
    });
    const tags = (n: number, from = 0) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${i + from}_key`, `${i + from}_value`]));
    await expectAwsError(sim.lambda.send(new TagResourceCommand({ Resource, Tags: tags(51) })), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "Number of tags exceeds resource tag limit.",
    });
    await sim.lambda.send(new TagResourceCommand({ Resource, Tags: tags(50) }));
    expect(Object.keys((await sim.lambda.send(new GetFunctionCommand({ FunctionName: "tag-exc" }))).Tags!)).toHaveLength(50);
    await expectAwsError(sim.lambda.send(new TagResourceCommand({ Resource, Tags: { a_key: "a_value" } })), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "Number of tags exceeds resource tag limit.",
    });
  });

  // TestLambdaProvisionedConcurrency::test_provisioned_concurrency_exceptions and test_lambda_provisioned_lifecycle
  it("test_provisioned_concurrency_exceptions", async () => {
    await createPythonFunction(sim.lambda, "pc-exc", CODE);
    await sim.lambda.send(new PublishVersionCommand({ FunctionName: "pc-exc" }));
    const nf = (message: string) => ({ name: "ResourceNotFoundException", status: 404, message });
    const get = (FunctionName: string, Qualifier: string) => sim.lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName, Qualifier }));
    const del = (FunctionName: string, Qualifier: string) => sim.lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName, Qualifier }));
    const put = (FunctionName: string, Qualifier: string, n = 1) =>
      sim.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName, Qualifier, ProvisionedConcurrentExecutions: n }));
    await expectAwsError(get("pc-exc", "1"), {
      name: "ProvisionedConcurrencyConfigNotFoundException",
      status: 404,
      message: "No Provisioned Concurrency Config found for this function",
    });
    await expectAwsError(get("doesnotexist", "noalias"), nf(`Cannot find alias arn: ${ARN}:doesnotexist:noalias`));
    await expectAwsError(get("pc-exc", "noalias"), nf(`Cannot find alias arn: ${ARN}:pc-exc:noalias`));
    await expectAwsError(get("pc-exc", "10"), nf(`Function not found: ${ARN}:pc-exc:10`));
    const latest = { name: "InvalidParameterValueException", status: 400, message: "The function resource provided must be an alias or a published version." };
    await expectAwsError(get("pc-exc", "$LATEST"), latest);
    expect((await sim.lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: "pc-exc" }))).ProvisionedConcurrencyConfigs).toEqual([]);
    await expectAwsError(
      sim.lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: "doesnotexist" })),
      nf(`Function not found: ${ARN}:doesnotexist`),
    );
    await expectAwsError(del("doesnotexist", "1"), nf(`Function not found: ${ARN}:doesnotexist:1`));
    await expectAwsError(del("pc-exc", "noalias"), nf(`Cannot find alias arn: ${ARN}:pc-exc:noalias`));
    await expectAwsError(del("pc-exc", "10"), nf(`Function not found: ${ARN}:pc-exc:10`));
    await expectAwsError(del("pc-exc", "$LATEST"), latest);
    expect((await del("pc-exc", "1")).$metadata.httpStatusCode).toBe(204);
    await expectAwsError(put("pc-exc", "1", 0), {
      name: "ValidationException",
      status: 400,
      message:
        "1 validation error detected: Value '0' at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 1",
    });
    await expectAwsError(put("doesnotexist", "noalias"), nf(`Cannot find alias arn: ${ARN}:doesnotexist:noalias`));
    await expectAwsError(put("doesnotexist", "1"), nf(`Function not found: ${ARN}:doesnotexist:1`));
    await expectAwsError(put("pc-exc", "doesnotexist"), nf(`Cannot find alias arn: ${ARN}:pc-exc:doesnotexist`));
    await expectAwsError(put("pc-exc", "10"), nf(`Function not found: ${ARN}:pc-exc:10`));
    await expectAwsError(put("pc-exc", "$LATEST"), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "Provisioned Concurrency Configs cannot be applied to unpublished function versions.",
    });
  });

  // TestLambdaUrl::test_url_config_exceptions and test_url_config_list_paging
  it("test_url_config_exceptions / test_url_config_list_paging", async () => {
    await createPythonFunction(sim.lambda, "url-exc", CODE);
    await sim.lambda.send(new PublishVersionCommand({ FunctionName: "url-exc" }));
    await sim.lambda.send(new CreateAliasCommand({ FunctionName: "url-exc", Name: "urlalias", FunctionVersion: "1" }));
    const fnMissing = { name: "ResourceNotFoundException", status: 404, message: "Function does not exist" };
    const pattern = (q: string) => ({
      name: "ValidationException",
      status: 400,
      message: `1 validation error detected: Value '${q}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)`,
    });
    const create = (FunctionName: string, Qualifier?: string) =>
      sim.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName, Qualifier, AuthType: "NONE" }));
    await expectAwsError(create("doesnotexist"), fnMissing);
    await expectAwsError(create(`${ARN}:doesnotexist`), fnMissing);
    await expectAwsError(create("doesnotexist", "1"), pattern("1"));
    await expectAwsError(create("url-exc", "2"), pattern("2"));
    await expectAwsError(create("url-exc", "$LATEST"), pattern("$LATEST"));
    await expectAwsError(create("url-exc", "urlalias-doesnotexist"), fnMissing);
    await expectAwsError(create(`${ARN}:url-exc:urlalias`, "other"), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "The derived qualifier from the function name does not match the specified qualifier.",
    });
    await expectAwsError(sim.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: "doesnotexist" })), fnMissing);
    expect((await sim.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: "url-exc" }))).FunctionUrlConfigs).toEqual([]);
    const onFn = await create("url-exc");
    expect(onFn.FunctionArn).toBe(`${ARN}:url-exc`);
    const onAlias = await create("url-exc", "urlalias");
    expect(onAlias.FunctionArn).toBe(`${ARN}:url-exc:urlalias`);
    const listed = (await sim.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: "url-exc" }))).FunctionUrlConfigs!;
    expect(listed.map((c) => [c.FunctionArn, c.InvokeMode, c.AuthType])).toEqual([
      [`${ARN}:url-exc`, "BUFFERED", "NONE"],
      [`${ARN}:url-exc:urlalias`, "BUFFERED", "NONE"],
    ]);
    await expectAwsError(create("url-exc"), {
      name: "ResourceConflictException",
      status: 409,
      message: `Failed to create function url config for [functionArn = ${ARN}:url-exc]. Error message:  FunctionUrlConfig exists for this Lambda function`,
    });
  });

  // TestLambdaUrl::test_url_config_exceptions: Update and Delete
  it("test_url_config_exceptions: UpdateFunctionUrlConfig and DeleteFunctionUrlConfig", async () => {
    await createPythonFunction(sim.lambda, "url-exc2", CODE);
    await sim.lambda.send(new PublishVersionCommand({ FunctionName: "url-exc2" }));
    await sim.lambda.send(new CreateAliasCommand({ FunctionName: "url-exc2", Name: "urlalias", FunctionVersion: "1" }));
    const pattern = (q: string) => ({
      name: "ValidationException",
      status: 400,
      message: `1 validation error detected: Value '${q}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)`,
    });
    const gone = { name: "ResourceNotFoundException", status: 404, message: "The resource you requested does not exist." };
    const fnMissing = { name: "ResourceNotFoundException", status: 404, message: "Function does not exist" };
    const del = (FunctionName: string, Qualifier?: string) => sim.lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName, Qualifier }));
    const upd = (FunctionName: string, Qualifier?: string) =>
      sim.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName, Qualifier, AuthType: "NONE" }));
    await expectAwsError(del("doesnotexist"), gone);
    await expectAwsError(del(`${ARN}:doesnotexist`), gone);
    await expectAwsError(del("doesnotexist", "1"), pattern("1"));
    await expectAwsError(del("url-exc2", "2"), pattern("2"));
    await expectAwsError(del("url-exc2", "urlalias-doesnotexist"), gone);
    await expectAwsError(del("url-exc2", "$LATEST"), pattern("$LATEST"));
    await expectAwsError(del("url-exc2"), gone);
    await expectAwsError(upd("doesnotexist"), fnMissing);
    await expectAwsError(upd(`${ARN}:doesnotexist`), fnMissing);
    await expectAwsError(upd("doesnotexist", "1"), pattern("1"));
    await expectAwsError(upd("url-exc2", "urlalias-doesnotexist"), fnMissing);
    await expectAwsError(upd(`${ARN}:url-exc2:urlalias`, "other"), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "The derived qualifier from the function name does not match the specified qualifier.",
    });
    await expectAwsError(upd("url-exc2", "$LATEST"), pattern("$LATEST"));
    await expectAwsError(upd("url-exc2"), gone);
    await expectAwsError(sim.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: "url-exc2" })), gone);
  });

  // TestLambdaPermissions::test_permission_exceptions
  it("test_permission_exceptions", async () => {
    await createPythonFunction(sim.lambda, "perm-exc", CODE);
    const add = (extra: Record<string, string>) =>
      sim.lambda.send(
        new AddPermissionCommand({ FunctionName: "perm-exc", StatementId: "s3", Action: "lambda:InvokeFunction", Principal: "s3.amazonaws.com", ...extra }),
      );
    await expectAwsError(add({ StatementId: "example.com" }), {
      name: "ValidationException",
      status: 400,
      message:
        "1 validation error detected: Value 'example.com' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)",
    });
    await expectAwsError(add({ FunctionName: "perm-exc:$LATEST" }), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "We currently do not support adding policies for $LATEST.",
    });
    await expectAwsError(add({ Principal: "invalid.nonaws.com" }), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "The provided principal was invalid. Please check the principal and try again.",
    });
    await expectAwsError(sim.lambda.send(new GetPolicyCommand({ FunctionName: "doesnotexist" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `Function not found: ${ARN}:doesnotexist`,
    });
    await expectAwsError(sim.lambda.send(new GetPolicyCommand({ FunctionName: "perm-exc", Qualifier: "42" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: "The resource you requested does not exist.",
    });
    await expectAwsError(add({ FunctionName: "doesnotexist" }), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `Function not found: ${ARN}:doesnotexist`,
    });
    await expectAwsError(sim.lambda.send(new RemovePermissionCommand({ FunctionName: "perm-exc", StatementId: "s3" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: "No policy is associated with the given resource.",
    });
    await expectAwsError(add({ Qualifier: "alias-doesnotexist" }), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `Cannot find alias arn: ${ARN}:perm-exc:alias-doesnotexist`,
    });
    await expectAwsError(add({ Qualifier: "42" }), { name: "ResourceNotFoundException", status: 404, message: `Function not found: ${ARN}:perm-exc:42` });
    // "add_permission_fn_qualifier_invalid" (2023) quotes an older pattern than today's model: the start is compared.
    await expectAwsError(add({ Qualifier: "invalid-qualifier-with-?-char" }), {
      name: "ValidationException",
      status: 400,
      message:
        /^1 validation error detected: Value 'invalid-qualifier-with-\?-char' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
    });
    await expectAwsError(add({ Qualifier: "valid-with-$-but-doesnotexist" }), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `Function not found: ${ARN}:perm-exc:valid-with-$-but-doesnotexist`,
    });
    await add({});
    await expectAwsError(add({}), {
      name: "ResourceConflictException",
      status: 409,
      message: "The statement id (s3) provided already exists. Please provide a new statement id, or remove the existing statement.",
    });
    await expectAwsError(sim.lambda.send(new RemovePermissionCommand({ FunctionName: "doesnotexist", StatementId: "s3" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `No policy found for: ${ARN}:doesnotexist`,
    });
    await expectAwsError(sim.lambda.send(new RemovePermissionCommand({ FunctionName: "perm-exc", StatementId: "s3", Qualifier: "alias-doesnotexist" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `Cannot find alias arn: ${ARN}:perm-exc:alias-doesnotexist`,
    });
  });

  // TestLambdaFunction::test_list_functions: an unknown FunctionVersion is refused.
  it("test_list_functions: FunctionVersion takes only ALL", async () => {
    await expectAwsError(sim.lambda.send(new ListFunctionsCommand({ FunctionVersion: "invalid" as never })), {
      name: "ValidationException",
      status: 400,
      message: "1 validation error detected: Value 'invalid' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]",
    });
  });

  // TestLambdaLayer::test_layer_exceptions
  it("test_layer_exceptions", async () => {
    const layerZip = zip({ "python/x.py": "X = 1\n" });
    const published = await sim.lambda.send(
      new PublishLayerVersionCommand({
        LayerName: "layer-exc",
        Content: { ZipFile: layerZip },
        CompatibleRuntimes: ["python3.12"],
        CompatibleArchitectures: ["x86_64"],
      }),
    );
    expect(published.$metadata.httpStatusCode).toBe(201);
    expect(published.Description).toBe("");
    await expectAwsError(sim.lambda.send(new ListLayersCommand({ CompatibleArchitecture: "archdoesnotexist" as never })), {
      name: "ValidationException",
      status: 400,
      message:
        "1 validation error detected: Value 'archdoesnotexist' at 'compatibleArchitecture' failed to satisfy constraint: Member must satisfy enum value set: [x86_64, arm64]",
    });
    expect((await sim.lambda.send(new ListLayerVersionsCommand({ LayerName: "layer-doesnotexist" }))).LayerVersions).toEqual([]);
    const gone = { name: "ResourceNotFoundException", status: 404, message: "The resource you requested does not exist." };
    const below = { name: "InvalidParameterValueException", status: 400, message: "Layer Version Cannot be less than 1" };
    await expectAwsError(sim.lambda.send(new GetLayerVersionCommand({ LayerName: "layer-doesnotexist", VersionNumber: 1 })), gone);
    await expectAwsError(sim.lambda.send(new GetLayerVersionCommand({ LayerName: "layer-exc", VersionNumber: -1 })), below);
    await expectAwsError(sim.lambda.send(new GetLayerVersionCommand({ LayerName: "layer-exc", VersionNumber: 0 })), below);
    await expectAwsError(sim.lambda.send(new GetLayerVersionCommand({ LayerName: "layer-exc", VersionNumber: 2 })), gone);
    // "get_layer_version_by_arn_exc_invalidarn" quotes the 2024 model's pattern; today's differs: the code and the start are compared.
    await expectAwsError(sim.lambda.send(new GetLayerVersionByArnCommand({ Arn: published.LayerArn })), {
      name: "ValidationException",
      status: 400,
      message:
        /^1 validation error detected: Value 'arn:aws:lambda:us-east-1:000000000000:layer:layer-exc' at 'arn' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
    });
    await expectAwsError(sim.lambda.send(new GetLayerVersionByArnCommand({ Arn: `${published.LayerArn}:2` })), gone);
    for (const [LayerName, VersionNumber] of [
      ["layer-doesnotexist", 1],
      ["layer-exc", 2],
      ["layer-exc", 1],
      ["layer-exc", 1],
    ] as const)
      expect((await sim.lambda.send(new DeleteLayerVersionCommand({ LayerName, VersionNumber }))).$metadata.httpStatusCode).toBe(204);
    await expectAwsError(sim.lambda.send(new DeleteLayerVersionCommand({ LayerName: "layer-exc", VersionNumber: -1 })), below);
    const empty = await sim.lambda.send(
      new PublishLayerVersionCommand({ LayerName: "layer-exc-empty", Content: { ZipFile: layerZip }, CompatibleRuntimes: [], CompatibleArchitectures: [] }),
    );
    expect(empty.CompatibleRuntimes).toEqual([]);
    expect(empty.CompatibleArchitectures).toEqual([]);
  });

  // TestLambdaPermissions::test_lambda_permission_revisions and test_lambda_permission_fn_versioning
  it("test_lambda_permission_revisions: a stale RevisionId is refused by AddPermission and RemovePermission", async () => {
    await createPythonFunction(sim.lambda, "perm-rev", CODE);
    const stale = {
      name: "PreconditionFailedException",
      status: 412,
      message: "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
    };
    const base = { FunctionName: "perm-rev", Action: "lambda:InvokeFunction", Principal: "s3.amazonaws.com", SourceArn: "arn:aws:s3:::b" };
    await expectAwsError(sim.lambda.send(new AddPermissionCommand({ ...base, StatementId: "s3", RevisionId: "wrong" })), stale);
    await sim.lambda.send(new AddPermissionCommand({ ...base, StatementId: "s3" }));
    await expectAwsError(sim.lambda.send(new RemovePermissionCommand({ FunctionName: "perm-rev", StatementId: "s3", RevisionId: "wrong" })), stale);
    await sim.lambda.send(new PublishVersionCommand({ FunctionName: "perm-rev" }));
    await expectAwsError(sim.lambda.send(new GetPolicyCommand({ FunctionName: "perm-rev", Qualifier: "1" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: "The resource you requested does not exist.",
    });
    await sim.lambda.send(new CreateAliasCommand({ FunctionName: "perm-rev", Name: "permission-alias", FunctionVersion: "1" }));
    await expectAwsError(sim.lambda.send(new AddPermissionCommand({ ...base, StatementId: "s3", Qualifier: "permission-alias", RevisionId: "wrong" })), stale);
    const onAlias = await sim.lambda.send(new AddPermissionCommand({ ...base, StatementId: "s3", Qualifier: "permission-alias" }));
    expect(JSON.parse(onAlias.Statement!).Resource).toBe(`${ARN}:perm-rev:permission-alias`);
  });

  // TestLambdaLayer::test_layer_policy_exceptions
  it("test_layer_policy_exceptions", async () => {
    const layer = await sim.lambda.send(new PublishLayerVersionCommand({ LayerName: "layer-pol", Content: { ZipFile: zip({ "python/x.py": "X = 1\n" }) } }));
    await expectAwsError(sim.lambda.send(new GetLayerVersionPolicyCommand({ LayerName: "layer-pol", VersionNumber: 1 })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: "No policy is associated with the given resource.",
    });
    const stmt = { LayerName: "layer-pol", VersionNumber: 1, StatementId: "s1", Action: "lambda:GetLayerVersion", Principal: "*" };
    const added = await sim.lambda.send(new AddLayerVersionPermissionCommand(stmt));
    expect(added.$metadata.httpStatusCode).toBe(201);
    expect(JSON.parse(added.Statement!)).toEqual({
      Sid: "s1",
      Effect: "Allow",
      Principal: "*",
      Action: "lambda:GetLayerVersion",
      Resource: layer.LayerVersionArn,
    });
    await expectAwsError(sim.lambda.send(new AddLayerVersionPermissionCommand({ ...stmt, StatementId: "s2", Action: "*" })), {
      name: "ValidationException",
      status: 400,
      message:
        "1 validation error detected: Value '*' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: lambda:GetLayerVersion",
    });
    await expectAwsError(sim.lambda.send(new AddLayerVersionPermissionCommand(stmt)), {
      name: "ResourceConflictException",
      status: 409,
      message: "The statement id (s1) provided already exists. Please provide a new statement id, or remove the existing statement.",
    });
    const staleLayer = {
      name: "PreconditionFailedException",
      status: 412,
      message: "The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id",
    };
    await expectAwsError(sim.lambda.send(new AddLayerVersionPermissionCommand({ ...stmt, StatementId: "s2", RevisionId: "wrong" })), staleLayer);
    const missing = (arn: string) => ({ name: "ResourceNotFoundException", status: 404, message: `Layer version ${arn} does not exist.` });
    const base = "arn:aws:lambda:us-east-1:000000000000:layer";
    for (const [LayerName, VersionNumber, arn] of [
      ["layer-pol-doesnotexist", 1, `${base}:layer-pol-doesnotexist:1`],
      ["layer-pol", 2, `${base}:layer-pol:2`],
    ] as const) {
      await expectAwsError(sim.lambda.send(new AddLayerVersionPermissionCommand({ ...stmt, LayerName, VersionNumber, StatementId: "s2" })), missing(arn));
      await expectAwsError(sim.lambda.send(new GetLayerVersionPolicyCommand({ LayerName, VersionNumber })), missing(arn));
      await expectAwsError(sim.lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName, VersionNumber, StatementId: "s1" })), missing(arn));
    }
    await expectAwsError(sim.lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: "layer-pol", VersionNumber: 1, StatementId: "doesnotexist" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: "Statement doesnotexist is not found in resource policy.",
    });
    await expectAwsError(
      sim.lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: "layer-pol", VersionNumber: 1, StatementId: "s1", RevisionId: "wrong" })),
      staleLayer,
    );
  });

  // TestLambdaEventInvokeConfig::test_lambda_eventinvokeconfig_lifecycle
  it("test_lambda_eventinvokeconfig_lifecycle: Put replaces, Update merges, versions have their own", async () => {
    await createPythonFunction(sim.lambda, "eic-life", CODE);
    const r0 = await sim.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: "eic-life", MaximumRetryAttempts: 0 }));
    expect(r0).toMatchObject({ FunctionArn: `${ARN}:eic-life:$LATEST`, MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: {}, OnSuccess: {} } });
    const r60 = await sim.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: "eic-life", MaximumEventAgeInSeconds: 60 }));
    expect(r60.MaximumEventAgeInSeconds).toBe(60);
    expect(r60).not.toHaveProperty("MaximumRetryAttempts");
    const same = await sim.lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: "eic-life", MaximumEventAgeInSeconds: 60 }));
    expect(same).not.toHaveProperty("MaximumRetryAttempts");
    const upd = await sim.lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: "eic-life", MaximumRetryAttempts: 1 }));
    expect(upd).toMatchObject({ MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 1 });
    const latest = await sim.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: "eic-life", Qualifier: "$LATEST" }));
    expect(latest).toMatchObject({ FunctionArn: `${ARN}:eic-life:$LATEST`, MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 1 });
    await sim.lambda.send(new PublishVersionCommand({ FunctionName: "eic-life" }));
    await expectAwsError(sim.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: "eic-life", Qualifier: "1" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `The function ${ARN}:eic-life:1 doesn't have an EventInvokeConfig`,
    });
    const v1 = await sim.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: "eic-life", Qualifier: "1", MaximumEventAgeInSeconds: 120 }));
    expect(v1).toMatchObject({ FunctionArn: `${ARN}:eic-life:1`, MaximumEventAgeInSeconds: 120 });
    await sim.lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: "eic-life" }));
    const listed = await sim.lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: "eic-life" }));
    expect(listed.FunctionEventInvokeConfigs?.map((c) => [c.FunctionArn, c.MaximumEventAgeInSeconds, c.MaximumRetryAttempts])).toEqual([
      [`${ARN}:eic-life:1`, 120, undefined],
    ]);
  });

  // TestLambdaAlias::test_alias_naming: a date is a valid alias name, a number is not.
  it("test_alias_naming", async () => {
    await createPythonFunction(sim.lambda, "alias-naming", CODE, { Publish: true });
    const dated = await sim.lambda.send(
      new CreateAliasCommand({ FunctionName: "alias-naming", Name: "2024-01-02", FunctionVersion: "1", Description: "custom-alias" }),
    );
    expect(dated).toMatchObject({ AliasArn: `${ARN}:alias-naming:2024-01-02`, Name: "2024-01-02", FunctionVersion: "1", Description: "custom-alias" });
    expect((await sim.lambda.send(new GetAliasCommand({ FunctionName: "alias-naming", Name: "2024-01-02" }))).RevisionId).toBe(dated.RevisionId);
    await expectAwsError(sim.lambda.send(new CreateAliasCommand({ FunctionName: "alias-naming", Name: "2024", FunctionVersion: "1" })), {
      name: "ValidationException",
      status: 400,
      message:
        "1 validation error detected: Value '2024' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)",
    });
  });

  // TestLambdaFunction::test_invalid_invoke
  it("test_invalid_invoke: a malformed function name fails the pattern", async () => {
    await expectAwsError(sim.lambda.send(new InvokeCommand({ FunctionName: "arn:aws:lambda:us-east-1:123400000000@function:myfn" })), {
      name: "ValidationException",
      status: 400,
      message:
        /^1 validation error detected: Value 'arn:aws:lambda:us-east-1:123400000000@function:myfn' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
    });
  });

  // TestLambdaReservedConcurrency::test_function_concurrency and TestLambdaAccountSettings::test_account_settings
  it("test_function_concurrency / test_account_settings", async () => {
    await createPythonFunction(sim.lambda, "conc-fn", CODE);
    expect(
      (await sim.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "conc-fn", ReservedConcurrentExecutions: 0 }))).ReservedConcurrentExecutions,
    ).toBe(0);
    expect(
      (await sim.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "conc-fn", ReservedConcurrentExecutions: 1 }))).ReservedConcurrentExecutions,
    ).toBe(1);
    expect((await sim.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: "conc-fn" }))).ReservedConcurrentExecutions).toBe(1);
    expect((await sim.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: "conc-fn" }))).$metadata.httpStatusCode).toBe(204);
    const after = await sim.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: "conc-fn" }));
    expect(after.$metadata.httpStatusCode).toBe(200);
    expect(after.ReservedConcurrentExecutions).toBeUndefined();
    const settings = await sim.lambda.send(new GetAccountSettingsCommand({}));
    expect(Object.keys(settings.AccountLimit!).sort()).toEqual([
      "CodeSizeUnzipped",
      "CodeSizeZipped",
      "ConcurrentExecutions",
      "TotalCodeSize",
      "UnreservedConcurrentExecutions",
    ]);
    expect(Object.keys(settings.AccountUsage!).sort()).toEqual(["FunctionCount", "TotalCodeSize"]);
  });
});

describe("Lambda recorded API scenarios (2) under --transition-delay", () => {
  // A delay no test waits out: the answers given while $LATEST is being created or updated.
  const sim = useServer({ transitionDelayMs: 60_000 }, (cfg) => ({ lambda: new LambdaClient(cfg) }));
  const pending = { State: "Pending", StateReason: "The function is being created.", StateReasonCode: "Creating" };

  // TestLambdaVersions::test_publish_version_on_create, "create_response": version 1, Pending.
  it("test_publish_version_on_create: CreateFunction with Publish answers version 1 Pending", async () => {
    const created = await createPythonFunction(sim.lambda, "pub-create", CODE, { Publish: true });
    expect(created).toMatchObject({ ...pending, Version: "1", FunctionArn: `${ARN}:pub-create` });
    expect(created).not.toHaveProperty("LastUpdateStatus");
  });

  // TestLambdaVersions::test_publish_with_update: UpdateFunctionCode with Publish answers the new version, Pending
  // ("update_function_code_result", "get_function_version_result"); $LATEST is Active with its update InProgress.
  it("test_publish_with_update: UpdateFunctionCode with Publish answers the new version Pending", async () => {
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "pub-upd",
        Runtime: "python3.12",
        Role: ROLE,
        Handler: "handler.handler",
        Code: { ZipFile: zip({ "handler.py": CODE }) },
      }),
    );
    // Two minutes later, as far as the server knows: the creation is done, the update below is in progress.
    const realNow = Date.now.bind(Date);
    const clock = vi.spyOn(Date, "now").mockImplementation(() => realNow() + 120_000);
    try {
      const r = await sim.lambda.send(
        new UpdateFunctionCodeCommand({ FunctionName: "pub-upd", ZipFile: zip({ "handler.py": `${CODE}# v2\n` }), Publish: true }),
      );
      expect(r.$metadata.httpStatusCode).toBe(200);
      expect(r).toMatchObject({ ...pending, FunctionArn: `${ARN}:pub-upd:1`, Version: "1" });
      expect(r).not.toHaveProperty("LastUpdateStatus");
      const version = await sim.lambda.send(new GetFunctionCommand({ FunctionName: "pub-upd", Qualifier: "1" }));
      expect(version.Configuration).toMatchObject({ ...pending, FunctionArn: `${ARN}:pub-upd:1`, CodeSha256: r.CodeSha256 });
      expect(version.Configuration).not.toHaveProperty("LastUpdateStatus");
      const latest = await sim.lambda.send(new GetFunctionCommand({ FunctionName: "pub-upd", Qualifier: "$LATEST" }));
      expect(latest.Configuration).toMatchObject({
        State: "Active",
        LastUpdateStatus: "InProgress",
        LastUpdateStatusReason: "The function is being created.",
        LastUpdateStatusReasonCode: "Creating",
        CodeSha256: r.CodeSha256,
      });
    } finally {
      clock.mockRestore();
    }
  });
});
