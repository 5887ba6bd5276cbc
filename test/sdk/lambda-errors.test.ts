/** Lambda's not-found and conflict errors with AWS's exact codes, statuses and messages. */
import {
  CreateAliasCommand,
  CreateEventSourceMappingCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetEventSourceMappingCommand,
  GetFunctionCommand,
  GetLayerVersionCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
} from "@aws-sdk/client-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { createNodeFunction } from "./lambda-helpers.js";

describe("Lambda error messages", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));
  const arn = "arn:aws:lambda:us-east-1:000000000000:function";
  beforeAll(async () => {
    await createNodeFunction(sim.lambda, "errs", "exports.handler = async () => 1;");
    await sim.lambda.send(new PublishVersionCommand({ FunctionName: "errs" }));
    await sim.lambda.send(new CreateAliasCommand({ FunctionName: "errs", Name: "live", FunctionVersion: "1" }));
  });

  it("missing function and version: Function not found: <arn>", async () => {
    await expectAwsError(sim.lambda.send(new GetFunctionCommand({ FunctionName: "nope" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `Function not found: ${arn}:nope`,
    });
    await expectAwsError(sim.lambda.send(new GetFunctionCommand({ FunctionName: "errs", Qualifier: "99" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `Function not found: ${arn}:errs:99`,
    });
  });

  it("GetAlias says Cannot find alias arn, UpdateAlias says Alias not found, DeleteAlias of a missing alias succeeds", async () => {
    await expectAwsError(sim.lambda.send(new GetAliasCommand({ FunctionName: "errs", Name: "gone" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `Cannot find alias arn: ${arn}:errs:gone`,
    });
    await expectAwsError(sim.lambda.send(new UpdateAliasCommand({ FunctionName: "errs", Name: "gone", Description: "x" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: `Alias not found: ${arn}:errs:gone`,
    });
    await sim.lambda.send(new DeleteAliasCommand({ FunctionName: "errs", Name: "gone" }));
    await expectAwsError(sim.lambda.send(new CreateAliasCommand({ FunctionName: "errs", Name: "live", FunctionVersion: "1" })), {
      name: "ResourceConflictException",
      status: 409,
      message: `Alias already exists: ${arn}:errs:live`,
    });
  });

  it("DeleteFunction of a version: 409 while an alias references it, 204 for a version that does not exist", async () => {
    await expectAwsError(sim.lambda.send(new DeleteFunctionCommand({ FunctionName: "errs", Qualifier: "1" })), {
      name: "ResourceConflictException",
      status: 409,
      message: "Unable to delete version because the following aliases reference it: [live]",
    });
    await sim.lambda.send(new DeleteFunctionCommand({ FunctionName: "errs", Qualifier: "42" }));
    const versions = await sim.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: "errs" }));
    expect(versions.Versions!.map((v) => v.Version)).toEqual(["$LATEST", "1"]);
  });

  it("a second mapping of the same source to the same function: 409 worded per source type", async () => {
    const sqs = "arn:aws:sqs:us-east-1:000000000000:errs-q";
    const kin = "arn:aws:kinesis:us-east-1:000000000000:stream/errs-s";
    const first = await sim.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "errs", EventSourceArn: sqs, Enabled: false }));
    await expectAwsError(sim.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "errs", EventSourceArn: sqs })), {
      name: "ResourceConflictException",
      status: 409,
      message: `An event source mapping with SQS arn (" ${sqs} ") and function (" errs ") already exists. Please update or delete the existing mapping with UUID ${first.UUID}`,
    });
    const stream = await sim.lambda.send(
      new CreateEventSourceMappingCommand({ FunctionName: "errs", EventSourceArn: kin, StartingPosition: "LATEST", Enabled: false }),
    );
    await expectAwsError(
      sim.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "errs", EventSourceArn: kin, StartingPosition: "LATEST", Enabled: false })),
      {
        name: "ResourceConflictException",
        status: 409,
        message: `The event source arn (" ${kin} ") and function (" errs ") provided mapping already exists. Please update or delete the existing mapping with UUID ${stream.UUID}`,
      },
    );
  });

  it("missing layer version and event source mapping: The resource you requested does not exist.", async () => {
    await expectAwsError(sim.lambda.send(new GetLayerVersionCommand({ LayerName: "nolayer", VersionNumber: 1 })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: "The resource you requested does not exist.",
    });
    await expectAwsError(sim.lambda.send(new GetEventSourceMappingCommand({ UUID: "00000000-0000-0000-0000-000000000000" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: "The resource you requested does not exist.",
    });
  });
});
