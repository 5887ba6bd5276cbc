/**
 * Lambda and CloudWatch Logs as the other SDK teams' integration tests (run against real AWS) rely on them:
 * differences found by replaying aws-sdk-net, aws-sdk-cpp, aws-sdk-ruby, aws-sdk-php, smithy-rs, aws-sdk-java (v1)
 * and aws-sdk-go (v1) integration and smoke tests against awsim.
 */
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, GetLogEventsCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  AddPermissionCommand,
  GetEventSourceMappingCommand,
  GetPolicyCommand,
  InvokeCommand,
  LambdaClient,
  PublishVersionCommand,
  RemovePermissionCommand,
} from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { createNodeFunction } from "./lambda-helpers.js";

describe("Lambda Invoke ClientContext (smithy-rs aws/sdk/integration-tests/lambda naughty-strings-client-context.rs)", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  // test_client_context_field_against_naughty_strings_list: every naughty string sent as the client context of an
  // Invoke of a function that does not exist is InvalidRequestContentException, before the function is looked up.
  it("refuses a client context that is not base64 of a JSON object before looking the function up", async () => {
    const objectB64 = Buffer.from('{"System":"Windows"}').toString("base64");
    const notObjects = ["undefined", "hello", "1", "-1", "{}", '<>?:"{}|_+', "' OR 1=1 --", "$HOME", "%d", "null"];
    // Valid base64 whose content is JSON but not an object: null and [1].
    notObjects.push(Buffer.from("null").toString("base64"), Buffer.from("[1]").toString("base64"), `${objectB64}!`);
    for (const ClientContext of notObjects)
      await expectAwsError(sim.lambda.send(new InvokeCommand({ FunctionName: "testFunctionThatDoesNothing", ClientContext })), {
        name: "InvalidRequestContentException",
        status: 400,
        message: "Client context must be a valid Base64-encoded JSON object.",
      });
    // A base64 JSON object (padded or not) passes on to the lookup.
    for (const ClientContext of [objectB64, Buffer.from("{}").toString("base64").replace(/=+$/, "")])
      await expectAwsError(sim.lambda.send(new InvokeCommand({ FunctionName: "testFunctionThatDoesNothing", ClientContext })), {
        name: "ResourceNotFoundException",
        status: 404,
      });
  });
});

// Guards for what already held when the wave-2 SDK integration tests were replayed.
describe("Lambda and Logs as the C++, .NET, PHP and Ruby integration tests use them", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg), logs: new CloudWatchLogsClient(cfg) }));

  // aws-sdk-cpp FunctionTest.TestPermissions and aws-sdk-net LambdaTests.PolicyAndPermissionTest: a statement for a
  // published version names the version's ARN; removing the only statement leaves no policy.
  it("adds, reads and removes permissions on a function and on a version", async () => {
    const fn = await createNodeFunction(sim.lambda, "perm-fn", "exports.handler = async () => 1;");
    const added = JSON.parse(
      (
        await sim.lambda.send(
          new AddPermissionCommand({ FunctionName: "perm-fn", Action: "lambda:Invoke", Principal: "s3.amazonaws.com", StatementId: "12345" }),
        )
      ).Statement!,
    );
    expect(added.Sid).toBe("12345");
    expect(added.Resource).toContain("perm-fn");
    const policy = JSON.parse((await sim.lambda.send(new GetPolicyCommand({ FunctionName: "perm-fn" }))).Policy!);
    expect([policy.Statement[0].Sid, policy.Statement[0].Action]).toEqual(["12345", "lambda:Invoke"]);
    await sim.lambda.send(new RemovePermissionCommand({ FunctionName: "perm-fn", StatementId: "12345" }));
    await expectAwsError(sim.lambda.send(new GetPolicyCommand({ FunctionName: "perm-fn" })), { name: "ResourceNotFoundException", status: 404 });

    const { Version } = await sim.lambda.send(new PublishVersionCommand({ FunctionName: "perm-fn" }));
    const statement = (
      await sim.lambda.send(
        new AddPermissionCommand({
          FunctionName: "perm-fn",
          SourceAccount: "999999999999",
          SourceArn: "arn:aws:s3:::cloudtrail-999999999999",
          StatementId: "id1",
          Principal: "s3.amazonaws.com",
          Action: "lambda:InvokeFunction",
          Qualifier: Version,
        }),
      )
    ).Statement!;
    expect(statement).toContain(`${fn.FunctionArn}:${Version}`);
    expect((await sim.lambda.send(new GetPolicyCommand({ FunctionName: "perm-fn", Qualifier: Version }))).Policy).toContain(`${fn.FunctionArn}:${Version}`);
  });

  // aws-sdk-ruby gems/aws-sdk-lambda/features/client.feature and aws-sdk-php features/smoke/lambda: the smoke tests'
  // error codes and texts.
  it("answers the smoke tests' errors", async () => {
    await expectAwsError(sim.lambda.send(new GetEventSourceMappingCommand({ UUID: "deadbeef-e025-4d45-9da3-23813f5e7b65" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: /does not exist/,
    });
    await expectAwsError(sim.lambda.send(new InvokeCommand({ FunctionName: "bogus-function" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: /^Function not found/,
    });
    await expectAwsError(sim.logs.send(new GetLogEventsCommand({ logGroupName: "fakegroup", logStreamName: "fakestream" })), {
      name: "ResourceNotFoundException",
      status: 400,
      message: "The specified log group does not exist.",
    });
  });

  // aws-sdk-cpp CloudWatchLogsTests.PutLogEventsTests: the second PutLogEvents resends the first batch's events with
  // two newer ones; GetLogEvents from the head returns all six in timestamp order.
  it("returns events of two batches from the head in timestamp order", async () => {
    await sim.logs.send(new CreateLogGroupCommand({ logGroupName: "cpp-group" }));
    await sim.logs.send(new CreateLogStreamCommand({ logGroupName: "cpp-group", logStreamName: "testLogs" }));
    const t0 = Date.now() - 10_000;
    const events = [
      { timestamp: t0, message: "Test Message 1" },
      { timestamp: t0 + 1, message: "Test Message 2" },
    ];
    const first = await sim.logs.send(new PutLogEventsCommand({ logGroupName: "cpp-group", logStreamName: "testLogs", logEvents: events }));
    events.push({ timestamp: t0 + 5, message: "Test Message 3" }, { timestamp: t0 + 6, message: "Test Message 4" });
    const second = await sim.logs.send(
      new PutLogEventsCommand({ logGroupName: "cpp-group", logStreamName: "testLogs", logEvents: events, sequenceToken: first.nextSequenceToken }),
    );
    expect(second.rejectedLogEventsInfo).toBeUndefined();
    const got = await sim.logs.send(new GetLogEventsCommand({ logGroupName: "cpp-group", logStreamName: "testLogs", startFromHead: true }));
    expect(got.events!.map((e) => e.message)).toEqual([
      "Test Message 1",
      "Test Message 1",
      "Test Message 2",
      "Test Message 2",
      "Test Message 3",
      "Test Message 4",
    ]);
  });
});
