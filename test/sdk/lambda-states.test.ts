import {
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  GetEventSourceMappingCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { ROLE, zip } from "./lambda-helpers.js";

describe("Lambda function states under --transition-delay", () => {
  const sim = useServer({ transitionDelayMs: 1200 }, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  it("Pending until created, InProgress while updating; invokes and updates meanwhile are refused; the waiters see the transitions", async () => {
    const created = await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "slow",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: ROLE,
        Code: { ZipFile: zip({ "index.js": "" }) },
      }),
    );
    expect(created).toMatchObject({ State: "Pending", StateReasonCode: "Creating" });
    await expectAwsError(sim.lambda.send(new InvokeCommand({ FunctionName: "slow" })), {
      name: "ResourceConflictException",
      status: 409,
      message: "The operation cannot be performed at this time. The function is currently in the following state: Pending",
    });
    expect((await waitUntilFunctionActiveV2({ client: sim.lambda, maxWaitTime: 10, minDelay: 1, maxDelay: 1 }, { FunctionName: "slow" })).state).toBe(
      "SUCCESS",
    );
    expect((await sim.lambda.send(new InvokeCommand({ FunctionName: "slow" }))).StatusCode).toBe(200);
    const u = await sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "slow", Timeout: 10 }));
    expect(u).toMatchObject({ State: "Active", LastUpdateStatus: "InProgress", Timeout: 10 });
    await expectAwsError(sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "slow", Timeout: 20 })), {
      name: "ResourceConflictException",
      status: 409,
      message: "The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:000000000000:function:slow",
    });
    expect((await waitUntilFunctionUpdatedV2({ client: sim.lambda, maxWaitTime: 10, minDelay: 1, maxDelay: 1 }, { FunctionName: "slow" })).state).toBe(
      "SUCCESS",
    );
    expect((await sim.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "slow" }))).LastUpdateStatus).toBe("Successful");

    const m = await sim.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "slow", EventSourceArn: "arn:aws:sqs:us-east-1:000000000000:q" }));
    expect((await sim.lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID }))).State).toBe("Creating");
    await new Promise((r) => setTimeout(r, 1300));
    expect((await sim.lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID }))).State).toBe("Enabled");
  });
});
