/**
 * Lambda and CloudWatch Logs as the other SDK teams' integration tests (run against real AWS) rely on them:
 * differences found by replaying aws-sdk-net, aws-sdk-cpp, aws-sdk-ruby, aws-sdk-php, smithy-rs, aws-sdk-java (v1)
 * and aws-sdk-go (v1) integration and smoke tests against awsim.
 */
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { describe, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

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
