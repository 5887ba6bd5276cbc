/**
 * Lambda Invoke behaviour replayed from scenarios recorded against AWS: LocalStack's AWS-validated snapshots
 * tests/aws/services/lambda_/test_lambda.snapshot.json (requests in test_lambda.py). Each test names the snapshot key it
 * follows. Functions run (execute mode) with python and nodejs handlers written after the recorded ones.
 */
import {
  CreateAliasCommand,
  InvokeCommand,
  type InvokeCommandOutput,
  LambdaClient,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { createNodeFunction, createPythonFunction, zip } from "./lambda-helpers.js";

const text = (r: InvokeCommandOutput) => Buffer.from(r.Payload ?? new Uint8Array()).toString("utf8");
const json = (r: InvokeCommandOutput) => JSON.parse(text(r));
const ARN = "arn:aws:lambda:us-east-1:000000000000:function:";

describe("Lambda recorded invoke scenarios (test_lambda.py), executed", () => {
  const sim = useServer({ execute: true }, (cfg) => ({ lambda: new LambdaClient(cfg) }));
  const invoke = (FunctionName: string, payload?: unknown, extra: Partial<ConstructorParameters<typeof InvokeCommand>[0]> = {}) =>
    sim.lambda.send(
      new InvokeCommand({
        FunctionName,
        ...(payload === undefined ? {} : { Payload: Buffer.from(typeof payload === "string" ? payload : JSON.stringify(payload)) }),
        ...extra,
      }),
    );

  // TestLambdaErrors::test_lambda_invoke_payload_encoding_error: bytes the AWS CLI v2 sends for an inline payload it took
  // for base64; AWS answers with its JSON parser's message, naming the offending byte and where it stands.
  it("test_lambda_invoke_payload_encoding_error[body] and [message]", async () => {
    await createPythonFunction(sim.lambda, "enc-fn", "def handler(event, context):\n    return event\n");
    const redacted = "\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: ";
    await expectAwsError(invoke("enc-fn", undefined, { Payload: Buffer.from("6e87729ee9b5d749ee9b6d74", "hex") }), {
      name: "InvalidRequestContentException",
      status: 400,
      message: `Could not parse request body into json: Could not parse payload into json: Invalid UTF-8 start byte 0x87${redacted}3]`,
    });
    await expectAwsError(invoke("enc-fn", undefined, { Payload: Buffer.from("99eb2c6a07a17a5968", "hex") }), {
      name: "InvalidRequestContentException",
      status: 400,
      message:
        "Could not parse request body into json: Could not parse payload into json: Unexpected character ((CTRL-CHAR, code 153)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')" +
        `${redacted}1]`,
    });
  });

  // TestLambdaBaseFeatures::test_lambda_too_large_response: a 7 MB result is refused as the function's error, and the
  // function answers the same the next time.
  it("test_lambda_too_large_response", async () => {
    await createPythonFunction(sim.lambda, "big-fn", 'def handler(event, context):\n    print("generating bytes")\n    return "a" * event["bytenum"]\n');
    for (let n = 0; n < 2; n++) {
      const r = await invoke("big-fn", { bytenum: 7 * 1024 * 1024 });
      expect([r.StatusCode, r.FunctionError, r.ExecutedVersion]).toEqual([200, "Unhandled", "$LATEST"]);
      expect(text(r)).toBe(
        JSON.stringify({
          errorMessage: "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
          errorType: "Function.ResponseSizeTooLarge",
        }),
      );
    }
  });

  // TestLambdaFeatures::test_invocation_with_qualifier: version 1 published at creation, invoked by Qualifier with
  // LogType Tail; the context as the handler sees it.
  it("test_invocation_with_qualifier", async () => {
    const handler = [
      "import logging",
      "logging.basicConfig(level=logging.INFO)",
      "LOGGER = logging.getLogger(__name__)",
      "LOGGER.setLevel(logging.INFO)",
      "def handler(event, context):",
      '    print("Lambda log message - print function", flush=True)',
      '    LOGGER.info("Lambda log message - logging module")',
      '    c = {"invoked_function_arn": context.invoked_function_arn, "function_version": context.function_version,',
      '         "function_name": context.function_name, "memory_limit_in_mb": context.memory_limit_in_mb,',
      '         "aws_request_id": context.aws_request_id, "log_group_name": context.log_group_name,',
      '         "log_stream_name": context.log_stream_name, "client_context": context.client_context}',
      '    return {"event": event, "context": c}',
      "",
    ].join("\n");
    const created = await createPythonFunction(sim.lambda, "qual-fn", handler, { Publish: true, Timeout: 10 });
    expect(created.Version).toBe("1");
    const r = await invoke("qual-fn", { foo: "bar with 'quotes\"" }, { Qualifier: "1", LogType: "Tail" });
    expect([r.StatusCode, r.ExecutedVersion, r.FunctionError]).toEqual([200, "1", undefined]);
    const body = json(r);
    const rid = body.context.aws_request_id;
    expect(body).toEqual({
      event: { foo: "bar with 'quotes\"" },
      context: {
        invoked_function_arn: `${ARN}qual-fn:1`,
        function_version: "1",
        function_name: "qual-fn",
        memory_limit_in_mb: "128",
        aws_request_id: rid,
        log_group_name: "/aws/lambda/qual-fn",
        log_stream_name: body.context.log_stream_name,
        client_context: null,
      },
    });
    const lines = Buffer.from(r.LogResult ?? "", "base64")
      .toString("utf8")
      .split("\n")
      .filter((l) => l && !l.startsWith("REPORT"));
    expect(lines.map((l) => l.replace(/\t\d{4}-\d\d-\d\dT[\d:.]+Z\t/, "\tdate\t"))).toEqual([
      `START RequestId: ${rid} Version: 1`,
      "Lambda log message - print function",
      `[INFO]\tdate\t${rid}\tLambda log message - logging module`,
      `END RequestId: ${rid}`,
    ]);
  });

  // TestLambdaFeatures::test_lambda_with_context: a nodejs20.x handler returning its context, with a client context.
  it("test_lambda_with_context: the nodejs context serializes in the runtime's member order", async () => {
    await createNodeFunction(
      sim.lambda,
      "ctx-node",
      'exports.handler = async (event, context) => { console.log("Node.js Lambda handler executing."); return { context }; };',
      {
        Runtime: "nodejs20.x",
        Timeout: 30,
      },
    );
    const cc = { custom: { foo: "bar" }, client: { snap: ["crackle", "pop"] }, env: { fizz: "buzz" } };
    const r = await invoke("ctx-node", {}, { ClientContext: Buffer.from(JSON.stringify(cc)).toString("base64") });
    expect([r.StatusCode, r.ExecutedVersion]).toEqual([200, "$LATEST"]);
    const c = json(r).context;
    expect(Object.keys(c)).toEqual([
      "callbackWaitsForEmptyEventLoop",
      "functionVersion",
      "functionName",
      "memoryLimitInMB",
      "logGroupName",
      "logStreamName",
      "clientContext",
      "invokedFunctionArn",
      "awsRequestId",
    ]);
    expect(c).toMatchObject({
      callbackWaitsForEmptyEventLoop: true,
      functionVersion: "$LATEST",
      functionName: "ctx-node",
      memoryLimitInMB: "128",
      logGroupName: "/aws/lambda/ctx-node",
      clientContext: cc,
      invokedFunctionArn: `${ARN}ctx-node`,
    });
  });

  // TestLambdaFeatures::test_invocation_type_request_response / _event / _dry_run / _no_return_payload and
  // test_lambda_invoke_no_timeout: an echo of {} is {}; a handler returning nothing answers "null"; Event answers 202
  // and DryRun 204, both with an empty payload and no ExecutedVersion.
  it("test_invocation_type_*: RequestResponse, Event, DryRun; a handler returning None answers null", async () => {
    await createPythonFunction(sim.lambda, "echo-py", "def handler(event, context):\n    print(event)\n    return event\n");
    await createNodeFunction(sim.lambda, "none-node", "exports.handler = async () => {};");
    const rr = await invoke("echo-py", "{}", { InvocationType: "RequestResponse" });
    expect([rr.StatusCode, rr.ExecutedVersion, text(rr)]).toEqual([200, "$LATEST", "{}"]);
    const ev = await invoke("echo-py", "{}", { InvocationType: "Event" });
    expect([ev.StatusCode, ev.ExecutedVersion, text(ev)]).toEqual([202, undefined, ""]);
    const dry = await invoke("echo-py", "{}", { InvocationType: "DryRun" });
    expect([dry.StatusCode, dry.ExecutedVersion, text(dry)]).toEqual([204, undefined, ""]);
    const none = await invoke("none-node", "{}");
    expect([none.StatusCode, none.ExecutedVersion, text(none)]).toEqual([200, "$LATEST", "null"]);
  });

  // TestLambdaFeatures::test_lambda_environment and TestLambdaBehavior::test_lambda_cache_local[python]: the handler
  // sees the function's variables; a warm environment keeps module state between invocations.
  it("test_lambda_environment / test_lambda_cache_local[python]", async () => {
    await createPythonFunction(
      sim.lambda,
      "env-py",
      'import os\ncounter = 0\ndef handler(event, context):\n    global counter\n    r = {"Hello": os.environ.get("Hello"), "counter": counter}\n    counter += 1\n    return r\n',
      { Environment: { Variables: { Hello: "World" } }, Timeout: 30 },
    );
    expect(json(await invoke("env-py", {}))).toEqual({ Hello: "World", counter: 0 });
    expect(json(await invoke("env-py", {}))).toEqual({ Hello: "World", counter: 1 });
  });

  // TestLambdaVersions::test_lambda_versions_with_code_changes and TestLambdaAliases::test_lambda_alias_moving: each
  // version runs its own code; the invoked ARN names the qualifier as given (the alias), the context the version.
  it("test_lambda_versions_with_code_changes / test_lambda_alias_moving", async () => {
    const code = (v: string) =>
      zip({
        "handler.py": `def handler(event, context):\n    return {"version_id": "${v}", "invoked_arn": context.invoked_function_arn, "version_from_ctx": context.function_version}\n`,
      });
    await createPythonFunction(sim.lambda, "ver-py", "", { Code: { ZipFile: code("version1") } });
    await sim.lambda.send(new PublishVersionCommand({ FunctionName: "ver-py" }));
    await sim.lambda.send(new CreateAliasCommand({ FunctionName: "ver-py", Name: "alias1", FunctionVersion: "1" }));
    await sim.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "ver-py", ZipFile: code("version2") }));
    const latest = await invoke("ver-py", {});
    expect([latest.ExecutedVersion, json(latest)]).toEqual(["$LATEST", { version_id: "version2", invoked_arn: `${ARN}ver-py`, version_from_ctx: "$LATEST" }]);
    const v1 = await invoke("ver-py", {}, { Qualifier: "1" });
    expect([v1.ExecutedVersion, json(v1)]).toEqual(["1", { version_id: "version1", invoked_arn: `${ARN}ver-py:1`, version_from_ctx: "1" }]);
    const alias = await invoke(`${ARN}ver-py:alias1`, {});
    expect([alias.ExecutedVersion, json(alias)]).toEqual(["1", { version_id: "version1", invoked_arn: `${ARN}ver-py:alias1`, version_from_ctx: "1" }]);
  });

  // TestLambdaVersions::test_lambda_handler_update: a new Handler takes effect on the next invocation.
  it("test_lambda_handler_update", async () => {
    await createPythonFunction(
      sim.lambda,
      "hup-py",
      'def handler(event, context):\n    return {"handler": "handler"}\ndef handler_two(event, context):\n    return {"handler": "handler_two"}\n',
    );
    expect(json(await invoke("hup-py", {}))).toEqual({ handler: "handler" });
    await sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "hup-py", Handler: "handler.handler_two" }));
    expect(json(await invoke("hup-py", {}))).toEqual({ handler: "handler_two" });
  });

  // TestLambdaErrors::test_lambda_handler_error and test_lambda_runtime_error: a Python exception in the handler and at
  // import; the payload's members come in this order, requestId empty for the import error.
  it("test_lambda_handler_error / test_lambda_runtime_error", async () => {
    await createPythonFunction(sim.lambda, "herr-py", 'def handler(event, context):\n    raise Exception("Handler fails")\n');
    const h = await invoke("herr-py");
    expect([h.StatusCode, h.FunctionError, h.ExecutedVersion]).toEqual([200, "Unhandled", "$LATEST"]);
    const hb = json(h);
    expect(Object.keys(hb)).toEqual(["errorMessage", "errorType", "requestId", "stackTrace"]);
    expect(hb).toMatchObject({ errorMessage: "Handler fails", errorType: "Exception", requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(hb.stackTrace).toHaveLength(1);
    expect(hb.stackTrace[0]).toMatch(/^ {2}File ".*handler\.py", line 2, in handler\n {4}raise Exception\("Handler fails"\)\n$/);

    await createPythonFunction(sim.lambda, "rerr-py", 'raise Exception("Runtime startup fails")\n');
    const e = await invoke("rerr-py");
    expect([e.StatusCode, e.FunctionError, e.ExecutedVersion]).toEqual([200, "Unhandled", "$LATEST"]);
    const eb = json(e);
    expect(Object.keys(eb)).toEqual(["errorMessage", "errorType", "requestId", "stackTrace"]);
    expect(eb).toMatchObject({ errorMessage: "Runtime startup fails", errorType: "Exception", requestId: "" });
    expect(eb.stackTrace.at(-1)).toMatch(/^ {2}File ".*handler\.py", line 1, in <module>\n {4}raise Exception\("Runtime startup fails"\)\n$/);
  });
});
