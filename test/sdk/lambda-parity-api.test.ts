/**
 * Lambda answers compared with responses recorded against AWS (function, alias, event invoke config,
 * concurrency and URL errors): codes, statuses and exact messages.
 */
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateEventSourceMappingCommand,
  ListEventSourceMappingsCommand,
  DeleteFunctionCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetFunctionCodeSigningConfigCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionEventInvokeConfigsCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutProvisionedConcurrencyConfigCommand,
  PutFunctionEventInvokeConfigCommand,
  RemovePermissionCommand,
  UpdateFunctionConfigurationCommand,
  UpdateFunctionEventInvokeConfigCommand,
} from "@aws-sdk/client-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { createNodeFunction } from "./lambda-helpers.js";

const ARN = "arn:aws:lambda:us-east-1:000000000000:function";
const MISMATCH = "The derived qualifier from the function name does not match the specified qualifier.";

describe("Lambda parity: function references", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));
  beforeAll(async () => {
    await createNodeFunction(sim.lambda, "ref-fn", "exports.handler = async () => 1;");
  });

  it("a qualifier in the name that differs from Qualifier is refused before the lookup; DeleteFunction refuses $LATEST", async () => {
    for (const Cmd of [DeleteFunctionCommand, GetFunctionCommand, GetFunctionConfigurationCommand]) {
      const e = await expectAwsError(sim.lambda.send(new Cmd({ FunctionName: `${ARN}:some-function:1`, Qualifier: "$LATEST" })), {
        name: "InvalidParameterValueException",
        status: 400,
        message: MISMATCH,
      });
      expect((e as unknown as { Type: string }).Type).toBe("User");
    }
    await expectAwsError(sim.lambda.send(new DeleteFunctionCommand({ FunctionName: `${ARN}:some-function:$LATEST`, Qualifier: "$LATEST" })), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "$LATEST version cannot be deleted without deleting the function.",
    });
    // The refused delete left the function alone.
    await expectAwsError(sim.lambda.send(new DeleteFunctionCommand({ FunctionName: `${ARN}:ref-fn:1`, Qualifier: "$LATEST" })), {
      name: "InvalidParameterValueException",
      status: 400,
      message: MISMATCH,
    });
    expect((await sim.lambda.send(new GetFunctionCommand({ FunctionName: "ref-fn" }))).Configuration?.FunctionName).toBe("ref-fn");
  });

  it("not-found messages: GetFunction names the qualifier it was given, DeleteFunction does not", async () => {
    for (const Cmd of [GetFunctionCommand, GetFunctionConfigurationCommand])
      await expectAwsError(sim.lambda.send(new Cmd({ FunctionName: `${ARN}:some-function:$LATEST`, Qualifier: "$LATEST" })), {
        name: "ResourceNotFoundException",
        status: 404,
        message: `Function not found: ${ARN}:some-function:$LATEST`,
      });
    await expectAwsError(sim.lambda.send(new GetFunctionCommand({ FunctionName: "ref-fn", Qualifier: "1221" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `Function not found: ${ARN}:ref-fn:1221`,
    });
    await expectAwsError(sim.lambda.send(new DeleteFunctionCommand({ FunctionName: "gone-fn", Qualifier: "1233" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `Function not found: ${ARN}:gone-fn`,
    });
  });

  it("a function ARN of another Region is not reachable, whatever the operation", async () => {
    const other = "arn:aws:lambda:eu-central-1:000000000000:function:ref-fn";
    const message = "Functions from 'eu-central-1' are not reachable in this region ('us-east-1')";
    for (const Cmd of [
      GetFunctionCommand,
      GetFunctionConfigurationCommand,
      GetFunctionUrlConfigCommand,
      GetPolicyCommand,
      GetFunctionCodeSigningConfigCommand,
      GetFunctionEventInvokeConfigCommand,
      GetFunctionConcurrencyCommand,
      DeleteFunctionCommand,
      InvokeCommand,
    ])
      await expectAwsError(sim.lambda.send(new Cmd({ FunctionName: other }) as GetFunctionCommand), {
        name: "ResourceNotFoundException",
        status: 404,
        message,
      });
    expect((await sim.lambda.send(new GetFunctionCommand({ FunctionName: "ref-fn" }))).Configuration?.FunctionName).toBe("ref-fn");
  });

  it("missing function: URL config says the resource does not exist, event invoke config names $LATEST", async () => {
    await expectAwsError(sim.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: "nope" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: "The resource you requested does not exist.",
    });
    await expectAwsError(sim.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: "nope" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `The function ${ARN}:nope:$LATEST doesn't have an EventInvokeConfig`,
    });
  });

  it("PutFunctionConcurrency: a missing function names $LATEST, a qualified name is refused", async () => {
    await expectAwsError(sim.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "doesnotexist", ReservedConcurrentExecutions: 1 })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `Function not found: ${ARN}:doesnotexist:$LATEST`,
    });
    await expectAwsError(sim.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: `${ARN}:ref-fn:1`, ReservedConcurrentExecutions: 1 })), {
      name: "InvalidParameterValueException",
      status: 400,
      message:
        "This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.",
    });
  });
});

describe("Lambda parity: alias routing configs", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));
  beforeAll(async () => {
    await createNodeFunction(sim.lambda, "route-fn", "exports.handler = async () => 1;", { Publish: true });
    await sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "route-fn", Description: "two" }));
    await sim.lambda.send(new PublishVersionCommand({ FunctionName: "route-fn" }));
  });
  const alias = (FunctionVersion: string, weights?: Record<string, number>, FunctionName = "route-fn") =>
    sim.lambda.send(
      new CreateAliasCommand({
        FunctionName,
        Name: "custom",
        FunctionVersion,
        RoutingConfig: weights ? { AdditionalVersionWeights: weights } : undefined,
      }),
    );

  it("refuses two weights, the alias's own version, $LATEST with weights and missing versions, as AWS does", async () => {
    await expectAwsError(alias("1", { "1": 0.8, "2": 0.2 }), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "Number of items in AdditionalVersionWeights cannot be greater than 1",
    });
    await expectAwsError(alias("1", { "1": 0.5 }), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "Invalid function version 1. Function version 1 is already included in routing configuration.",
    });
    const latest = await expectAwsError(alias("$LATEST", { "1": 0.5 }), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "$LATEST is not supported for an alias pointing to more than 1 version",
    });
    // AWS's answer to this one carries no Type member.
    expect((latest as unknown as { Type?: string }).Type).toBeUndefined();
    await expectAwsError(alias("10"), { name: "ResourceNotFoundException", status: 404, message: `Function not found: ${ARN}:route-fn:10` });
    await expectAwsError(alias("1", { "10": 0.5 }), { name: "ResourceNotFoundException", status: 404, message: `Function not found: ${ARN}:route-fn:10` });
    await expectAwsError(alias("1", { "2": 0.5 }, "route-fn-unknown"), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `Function not found: ${ARN}:route-fn-unknown:1`,
    });
    // Weights out of range or keyed by $LATEST: AWS's validation text, Java doubles and every constraint listed.
    const values = "[Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]";
    for (const [w, shown] of [
      [2, "2.0"],
      [-1, "-1.0"],
    ] as const)
      await expectAwsError(alias("1", { "2": w }), {
        name: "ValidationException",
        status: 400,
        message: `1 validation error detected: Value '{2=${shown}}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: ${values}`,
      });
    await expectAwsError(alias("1", { $LATEST: 0.5 }), {
      name: "ValidationException",
      status: 400,
      message:
        "1 validation error detected: Value '{$LATEST=0.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+, Member must not be null]",
    });
    const ok = await alias("1", { "2": 0.5 });
    expect(ok.RoutingConfig).toEqual({ AdditionalVersionWeights: { "2": 0.5 } });
    await expectAwsError(alias("1", { "2": 0.5 }), {
      name: "ResourceConflictException",
      status: 409,
      message: `Alias already exists: ${ARN}:route-fn:custom`,
    });
  });
});

describe("Lambda parity: event invoke configs", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));
  beforeAll(async () => {
    await createNodeFunction(sim.lambda, "eic-fn", "exports.handler = async () => 1;");
    await createNodeFunction(sim.lambda, "eic-other", "exports.handler = async () => 1;");
    await sim.lambda.send(new PublishVersionCommand({ FunctionName: "eic-fn" }));
    await sim.lambda.send(new CreateAliasCommand({ FunctionName: "eic-fn", Name: "eventinvokealias", FunctionVersion: "1" }));
  });
  const put = (input: Record<string, unknown>) => sim.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: "eic-fn", ...input }));
  const noFunction = { name: "ResourceNotFoundException", status: 404, message: "The function doesn't exist." };

  it("Put: a missing function or alias does not exist; nothing to set is refused first", async () => {
    await expectAwsError(put({ FunctionName: "doesnotexist", MaximumRetryAttempts: 1 }), noFunction);
    await expectAwsError(put({ FunctionName: `${ARN}:doesnotexist`, MaximumRetryAttempts: 1 }), noFunction);
    await expectAwsError(put({ Qualifier: "eventinvokealiasdoesnotexist", MaximumRetryAttempts: 1 }), noFunction);
    await expectAwsError(put({ FunctionName: "doesnotexist" }), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "You must specify at least one of error handling or destination setting.",
    });
  });

  it("Put: destinations must be another existing function or a supported service", async () => {
    await expectAwsError(put({ DestinationConfig: { OnSuccess: { Destination: `${ARN}:doesnotexist` } } }), {
      name: "InvalidParameterValueException",
      status: 400,
      message: `The destination ARN ${ARN}:doesnotexist is invalid.`,
    });
    await expectAwsError(put({ DestinationConfig: { OnSuccess: { Destination: `${ARN}:eic-fn` } } }), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "You can't specify the function as a destination for itself.",
    });
    const iam = "arn:aws:iam:us-east-1:000000000000:function:eic-fn";
    await expectAwsError(put({ DestinationConfig: { OnSuccess: { Destination: iam } } }), {
      name: "InvalidParameterValueException",
      status: 400,
      message: `The provided destination config DestinationConfig(onSuccess=OnSuccess(destination=${iam}), onFailure=null) is invalid.`,
    });
    const ok = await put({ DestinationConfig: { OnSuccess: { Destination: `${ARN}:eic-other` } } });
    expect(ok.DestinationConfig).toEqual({ OnSuccess: { Destination: `${ARN}:eic-other` }, OnFailure: {} });
    expect(ok.FunctionArn).toBe(`${ARN}:eic-fn:$LATEST`);
  });

  it("qualifier in the name and Qualifier must agree", async () => {
    for (const [FunctionName, Qualifier] of [
      [`${ARN}:eic-fn:eventinvokealias`, "eventinvokealiasdoesnotexist"],
      ["eic-fn:1", "$LATEST"],
      ["eic-fn:$LATEST", "1"],
      ["eic-fn:1", "eventinvokealias"],
    ])
      await expectAwsError(put({ FunctionName, Qualifier, MaximumRetryAttempts: 1 }), {
        name: "InvalidParameterValueException",
        status: 400,
        message: MISMATCH,
      });
    const alias = await put({ FunctionName: "eic-fn:eventinvokealias", Qualifier: "eventinvokealias", MaximumRetryAttempts: 1 });
    expect(alias.FunctionArn).toBe(`${ARN}:eic-fn:eventinvokealias`);
  });

  it("Update needs an existing config; Get/Delete of a missing one name the qualified ARN; List of a missing function does not exist", async () => {
    await sim.lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: "eic-fn", Qualifier: "eventinvokealias" }));
    await expectAwsError(
      sim.lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: `${ARN}:eic-fn:eventinvokealias`, MaximumRetryAttempts: 0 })),
      {
        name: "ResourceNotFoundException",
        status: 404,
        message: `The function ${ARN}:eic-fn:eventinvokealias doesn't have an EventInvokeConfig`,
      },
    );
    await expectAwsError(sim.lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: "doesnotexist", MaximumRetryAttempts: 0 })), noFunction);
    await expectAwsError(sim.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: "eic-fn", Qualifier: "doesnotexist" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `The function ${ARN}:eic-fn:doesnotexist doesn't have an EventInvokeConfig`,
    });
    await expectAwsError(sim.lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: "doesnotexist" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `The function ${ARN}:doesnotexist:$LATEST doesn't have an EventInvokeConfig`,
    });
    await expectAwsError(sim.lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: "doesnotexist" })), noFunction);
  });
});

describe("Lambda parity: permissions", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));
  beforeAll(async () => {
    await createNodeFunction(sim.lambda, "perm-fn", "exports.handler = async () => 1;");
  });
  const S3 = "arn:aws:s3:::test-bucket";
  const add = (input: Record<string, unknown> = {}) =>
    sim.lambda.send(
      new AddPermissionCommand({
        FunctionName: "perm-fn",
        Action: "lambda:InvokeFunction",
        StatementId: "s3",
        Principal: "s3.amazonaws.com",
        SourceArn: S3,
        ...input,
      }),
    );
  const policy = async (Qualifier?: string) => {
    const p = await sim.lambda.send(new GetPolicyCommand({ FunctionName: "perm-fn", Qualifier }));
    return { statements: JSON.parse(p.Policy!).Statement as Array<{ Sid: string; Resource: string }>, revision: p.RevisionId! };
  };

  it("refuses $LATEST, mismatched qualifiers and principals outside AWS; names what is missing", async () => {
    await expectAwsError(add({ FunctionName: "perm-fn:alias-not-42", Qualifier: "42" }), {
      name: "InvalidParameterValueException",
      status: 400,
      message: MISMATCH,
    });
    await expectAwsError(add({ FunctionName: "perm-fn:$LATEST", Qualifier: "$LATEST" }), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "We currently do not support adding policies for $LATEST.",
    });
    await expectAwsError(add({ StatementId: "lambda", Principal: "invalid.nonaws.com", SourceArn: undefined, SourceAccount: "000000000000" }), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "The provided principal was invalid. Please check the principal and try again.",
    });
    const nf = (message: string) => ({ name: "ResourceNotFoundException", status: 404, message });
    await expectAwsError(sim.lambda.send(new GetPolicyCommand({ FunctionName: "doesnotexist" })), nf(`Function not found: ${ARN}:doesnotexist`));
    await expectAwsError(sim.lambda.send(new GetPolicyCommand({ FunctionName: "perm-fn", Qualifier: "77" })), nf("The resource you requested does not exist."));
    await expectAwsError(add({ FunctionName: "doesnotexist" }), nf(`Function not found: ${ARN}:doesnotexist`));
    await expectAwsError(
      sim.lambda.send(new RemovePermissionCommand({ FunctionName: "perm-fn", StatementId: "s3" })),
      nf("No policy is associated with the given resource."),
    );
    await expectAwsError(add({ FunctionName: "perm-fn:alias-doesnotexist" }), nf(`Cannot find alias arn: ${ARN}:perm-fn:alias-doesnotexist`));
    await expectAwsError(add({ Qualifier: "42" }), nf(`Function not found: ${ARN}:perm-fn:42`));
    await expectAwsError(add({ Qualifier: "valid-with-$-but-doesnotexist" }), nf(`Function not found: ${ARN}:perm-fn:valid-with-$-but-doesnotexist`));
    await expectAwsError(
      sim.lambda.send(new RemovePermissionCommand({ FunctionName: "doesnotexist", StatementId: "s3" })),
      nf(`No policy found for: ${ARN}:doesnotexist`),
    );
    await expectAwsError(
      sim.lambda.send(new RemovePermissionCommand({ FunctionName: "perm-fn", StatementId: "s3", Qualifier: "alias-doesnotexist" })),
      nf(`Cannot find alias arn: ${ARN}:perm-fn:alias-doesnotexist`),
    );
  });

  it("each version and alias has a policy and a revision of its own; publishing changes $LATEST's revision", async () => {
    await add();
    const first = await policy();
    expect(first.statements.map((x) => x.Resource)).toEqual([`${ARN}:perm-fn`]);
    await sim.lambda.send(new PublishVersionCommand({ FunctionName: "perm-fn" }));
    const afterPublish = await policy();
    expect(afterPublish.statements).toEqual(first.statements);
    expect(afterPublish.revision).not.toBe(first.revision);
    await expectAwsError(sim.lambda.send(new GetPolicyCommand({ FunctionName: "perm-fn", Qualifier: "1" })), {
      name: "ResourceNotFoundException",
      status: 404,
    });
    // The same statement id again, on version 1: a policy of its own, whose revision is the version's.
    await add({ FunctionName: "perm-fn:1", Qualifier: "1" });
    const v1 = await policy("1");
    expect(v1.statements.map((x) => x.Resource)).toEqual([`${ARN}:perm-fn:1`]);
    expect((await sim.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "perm-fn", Qualifier: "1" }))).RevisionId).toBe(v1.revision);
    await sim.lambda.send(new CreateAliasCommand({ FunctionName: "perm-fn", Name: "permission-alias", FunctionVersion: "1" }));
    await expectAwsError(add({ FunctionName: "perm-fn:permission-alias", Qualifier: "permission-alias", RevisionId: "wrong" }), {
      name: "PreconditionFailedException",
      status: 412,
      message: "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
    });
    await add({ FunctionName: "perm-fn:permission-alias", Qualifier: "permission-alias" });
    expect((await policy("permission-alias")).statements.map((x) => x.Resource)).toEqual([`${ARN}:perm-fn:permission-alias`]);
    expect((await policy()).revision).toBe(afterPublish.revision);
    await add({ StatementId: "s3_2", RevisionId: afterPublish.revision });
    expect((await policy()).statements.map((x) => x.Sid)).toEqual(["s3", "s3_2"]);
    // Adding permissions is no change to publish.
    expect((await sim.lambda.send(new PublishVersionCommand({ FunctionName: "perm-fn" }))).Version).toBe("1");
  });

  it("conditions come in AWS's order: StringEquals (URL auth type, org, account), then ArnLike", async () => {
    const r = await add({
      StatementId: "urlPermission",
      Action: "lambda:InvokeFunctionUrl",
      Principal: "*",
      SourceAccount: "000000000000",
      PrincipalOrgID: "o-1234567890",
      FunctionUrlAuthType: "NONE",
    });
    expect(r.Statement).toBe(
      JSON.stringify({
        Sid: "urlPermission",
        Effect: "Allow",
        Principal: "*",
        Action: "lambda:InvokeFunctionUrl",
        Resource: `${ARN}:perm-fn`,
        Condition: {
          StringEquals: { "lambda:FunctionUrlAuthType": "NONE", "aws:PrincipalOrgID": "o-1234567890", "AWS:SourceAccount": "000000000000" },
          ArnLike: { "AWS:SourceArn": S3 },
        },
      }),
    );
  });
});

describe("Lambda parity: event source mappings", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));
  beforeAll(async () => {
    await createNodeFunction(sim.lambda, "esm-fn", "exports.handler = async () => 1;", { Publish: true });
    await sim.lambda.send(new CreateAliasCommand({ FunctionName: "esm-fn", Name: "myalias", FunctionVersion: "1" }));
  });
  const Q = "arn:aws:sqs:us-east-1:000000000000:q";

  it("refuses a missing source, a missing function and a stream without a starting position", async () => {
    await expectAwsError(sim.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "esm-fn" })), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "Unrecognized event source.",
    });
    await expectAwsError(sim.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "doesnotexist", EventSourceArn: Q })), {
      name: "InvalidParameterValueException",
      status: 400,
      message: "Function does not exist",
    });
    await expectAwsError(
      sim.lambda.send(
        new CreateEventSourceMappingCommand({ FunctionName: "esm-fn", EventSourceArn: "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2024" }),
      ),
      {
        name: "InvalidParameterValueException",
        status: 400,
        message: "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.",
      },
    );
  });

  it("starting positions: not for queues, a timestamp only with AT_TIMESTAMP, no AT_TIMESTAMP for DynamoDB (recorded 2025)", async () => {
    const kinesis = "arn:aws:kinesis:us-east-1:000000000000:stream/s";
    const ddb = "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2025-02-17T16:33:01.784";
    const create = (EventSourceArn: string, StartingPosition: string, StartingPositionTimestamp?: Date) =>
      sim.lambda.send(
        new CreateEventSourceMappingCommand({ FunctionName: "esm-fn", EventSourceArn, StartingPosition: StartingPosition as never, StartingPositionTimestamp }),
      );
    const invalid = (message: string) => ({ name: "InvalidParameterValueException", status: 400, message });
    for (const arn of [kinesis, ddb, Q])
      await expectAwsError(create(arn, "0"), {
        name: "ValidationException",
        status: 400,
        message:
          "1 validation error detected: Value '0' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]",
      });
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const before = new Date(-now.getTime());
    for (const arn of [kinesis, ddb]) await expectAwsError(create(arn, "LATEST", now), invalid("Timestamp only valid with StartingPosition AT_TIMESTAMP"));
    await expectAwsError(
      create(kinesis, "AT_TIMESTAMP", before),
      invalid("Received Exception while reading from provided stream. class java.lang.Long can not be converted to a Timestamp"),
    );
    await expectAwsError(create(ddb, "AT_TIMESTAMP", before), invalid(`Unsupported starting position for arn type: ${ddb}`));
    for (const [pos, ts] of [
      ["LATEST", now],
      ["AT_TIMESTAMP", before],
    ] as const)
      await expectAwsError(create(`${Q}-pos`, pos, ts), invalid("StartingPosition is not valid for SQS event sources."));
  });

  it("listing by a function that does not exist lists nothing", async () => {
    expect((await sim.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: "doesnotexist" }))).EventSourceMappings).toEqual([]);
  });

  it("FunctionArn is qualified as the request named the function, $LATEST included", async () => {
    const names: Array<[string, string]> = [
      ["esm-fn", `${ARN}:esm-fn`],
      ["000000000000:function:esm-fn:$LATEST", `${ARN}:esm-fn:$LATEST`],
      ["000000000000:function:esm-fn:1", `${ARN}:esm-fn:1`],
      ["000000000000:function:esm-fn:myalias", `${ARN}:esm-fn:myalias`],
      [`${ARN}:esm-fn`, `${ARN}:esm-fn`],
      [`${ARN}:esm-fn:1`, `${ARN}:esm-fn:1`],
      [`${ARN}:esm-fn:myalias`, `${ARN}:esm-fn:myalias`],
    ];
    for (const [i, [FunctionName, arn]] of names.entries()) {
      const m = await sim.lambda.send(new CreateEventSourceMappingCommand({ FunctionName, EventSourceArn: `${Q}${i}` }));
      expect(m).toMatchObject({ FunctionArn: arn, State: "Creating", StateTransitionReason: "USER_INITIATED", BatchSize: 10 });
    }
    const stream = await sim.lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: "esm-fn",
        EventSourceArn: "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2024",
        StartingPosition: "TRIM_HORIZON",
      }),
    );
    expect(stream.StateTransitionReason).toBe("User action");
  });
});

describe("Lambda parity: invoke and concurrency answers (recorded 2025)", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  it("Invoke of a missing function names $LATEST; reserved concurrency may not go below provisioned", async () => {
    await expectAwsError(sim.lambda.send(new InvokeCommand({ FunctionName: "doesnotexist" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `Function not found: ${ARN}:doesnotexist:$LATEST`,
    });
    await createNodeFunction(sim.lambda, "rc-fn", "exports.handler = async () => 1;", { Publish: true });
    await sim.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "rc-fn", Qualifier: "1", ProvisionedConcurrentExecutions: 2 }));
    const e = await expectAwsError(sim.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "rc-fn", ReservedConcurrentExecutions: 1 })), {
      name: "InvalidParameterValueException",
      status: 400,
      message: " ReservedConcurrentExecutions  1 should not be lower than function's total provisioned concurrency [2].",
    });
    expect((e as unknown as { Type?: string }).Type).toBeUndefined();
    expect(
      (await sim.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "rc-fn", ReservedConcurrentExecutions: 2 }))).ReservedConcurrentExecutions,
    ).toBe(2);
  });
});
