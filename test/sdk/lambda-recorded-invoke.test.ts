/**
 * Lambda invoke behaviour replayed from scenarios recorded against AWS (LocalStack's AWS-validated snapshots of
 * tests/aws/services/lambda_/test_lambda.py); each test names the snapshot key it follows.
 */
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  InvokeCommand,
  LambdaClient,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  PutProvisionedConcurrencyConfigCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { createPythonFunction, ROLE, zip } from "./lambda-helpers.js";

const THROTTLED = { name: "TooManyRequestsException", status: 429, message: "Rate Exceeded." };

describe("Lambda recorded invoke scenarios: concurrency", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));
  const create = (FunctionName: string) =>
    sim.lambda.send(
      new CreateFunctionCommand({ FunctionName, Runtime: "python3.12", Role: ROLE, Handler: "handler.handler", Code: { ZipFile: zip({ "handler.py": "" }) } }),
    );

  // TestLambdaConcurrency::test_reserved_provisioned_overlap: "reserved_equals_provisioned_latest_invoke_exc",
  // "reserved_equals_provisioned_another_provisioned_exc"; test_lambda_concurrency_block: "invoke_latest_first_exc", "invoke_v1_after_block".
  it("provisioned concurrency takes its share of the reservation: other qualifiers are throttled, further configs refused", async () => {
    await create("overlap");
    const v1 = (await sim.lambda.send(new PublishVersionCommand({ FunctionName: "overlap" }))).Version!;
    await sim.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "overlap", Qualifier: v1, ProvisionedConcurrentExecutions: 2 }));
    await sim.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "overlap", ReservedConcurrentExecutions: 2 }));
    const e = await expectAwsError(sim.lambda.send(new InvokeCommand({ FunctionName: "overlap" })), THROTTLED);
    expect((e as unknown as { Reason?: string }).Reason).toBe("ReservedFunctionConcurrentInvocationLimitExceeded");
    expect((await sim.lambda.send(new InvokeCommand({ FunctionName: "overlap", Qualifier: v1 }))).ExecutedVersion).toBe(v1);

    await sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "overlap", Timeout: 10 }));
    const v2 = (await sim.lambda.send(new PublishVersionCommand({ FunctionName: "overlap" }))).Version!;
    await expectAwsError(
      sim.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "overlap", Qualifier: v2, ProvisionedConcurrentExecutions: 1 })),
      {
        name: "InvalidParameterValueException",
        status: 400,
        message: "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function",
      },
    );
    // Re-putting the same config replaces it rather than adding to it.
    const again = await sim.lambda.send(
      new PutProvisionedConcurrencyConfigCommand({ FunctionName: "overlap", Qualifier: v1, ProvisionedConcurrentExecutions: 2 }),
    );
    expect(again.RequestedProvisionedConcurrentExecutions).toBe(2);
  });

  it("a reservation larger than the provisioned total leaves the rest to unprovisioned qualifiers", async () => {
    await create("room");
    const v1 = (await sim.lambda.send(new PublishVersionCommand({ FunctionName: "room" }))).Version!;
    await sim.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "room", Qualifier: v1, ProvisionedConcurrentExecutions: 1 }));
    await sim.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "room", ReservedConcurrentExecutions: 2 }));
    expect((await sim.lambda.send(new InvokeCommand({ FunctionName: "room" }))).StatusCode).toBe(200);
  });
});

describe("Lambda recorded invoke scenarios: runtime exits (execute mode)", () => {
  const sim = useServer({ execute: true }, (cfg) => ({ lambda: new LambdaClient(cfg) }));
  const run = async (FunctionName: string, files: Record<string, string>, Handler = "handler.handler") => {
    await sim.lambda.send(new CreateFunctionCommand({ FunctionName, Runtime: "python3.12", Role: ROLE, Handler, Code: { ZipFile: zip(files) } }));
    const r = await sim.lambda.send(new InvokeCommand({ FunctionName }));
    return { r, body: JSON.parse(Buffer.from(r.Payload!).toString()) as Record<string, string> };
  };

  // TestLambdaErrors::test_lambda_handler_exit and test_lambda_runtime_exit, "invocation_error": sys.exit(0).
  it("a runtime that exits with status 0 gives no reason; another status is its error", async () => {
    const handlerExit = await run("hexit", { "handler.py": "import sys\n\ndef handler(event, context):\n    sys.exit(0)\n" });
    expect(handlerExit.r.FunctionError).toBe("Unhandled");
    expect(handlerExit.body.errorType).toBe("Runtime.ExitError");
    expect(handlerExit.body.errorMessage).toMatch(/^RequestId: [0-9a-f-]{36} Error: Runtime exited without providing a reason$/);
    const initExit = await run("iexit", { "rt.py": "import sys\n\nsys.exit(0)\n" }, "rt.handler");
    expect(initExit.body.errorMessage).toMatch(/^RequestId: [0-9a-f-]{36} Error: Runtime exited without providing a reason$/);
    const failing = await run("exit3", { "handler.py": "import sys\n\ndef handler(event, context):\n    sys.exit(3)\n" });
    expect(failing.body.errorMessage).toMatch(/^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3$/);
  });

  // TestLambdaErrors::test_lambda_runtime_wrapper_not_found, "invocation_error": AWS_LAMBDA_EXEC_WRAPPER=/idontexist.sh.
  it("AWS_LAMBDA_EXEC_WRAPPER runs before the runtime; a missing wrapper exits with status 127", async () => {
    const env = (FunctionName: string, wrapper: string, files: Record<string, string>) =>
      sim.lambda.send(
        new CreateFunctionCommand({
          FunctionName,
          Runtime: "python3.12",
          Role: ROLE,
          Handler: "handler.handler",
          Code: { ZipFile: zip(files) },
          Environment: { Variables: { AWS_LAMBDA_EXEC_WRAPPER: wrapper } },
        }),
      );
    await env("nowrap", "/idontexist.sh", { "handler.py": "def handler(event, context):\n    return event\n" });
    const missing = await sim.lambda.send(new InvokeCommand({ FunctionName: "nowrap" }));
    expect(missing.FunctionError).toBe("Unhandled");
    expect(Buffer.from(missing.Payload!).toString()).toMatch(
      /^\{"errorType":"Runtime\.ExitError","errorMessage":"RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 127"\}$/,
    );
    await env("wrapped", "/var/task/wrap.sh", {
      "handler.py": "import os\n\ndef handler(event, context):\n    return os.environ.get('WRAPPED')\n",
      "wrap.sh": '#!/bin/sh\nexport WRAPPED=yes\nexec "$@"\n',
    });
    const ok = await sim.lambda.send(new InvokeCommand({ FunctionName: "wrapped" }));
    expect(Buffer.from(ok.Payload!).toString()).toBe('"yes"');
  });

  // TestLambdaFeatures::test_invocation_with_logs[python3.10], "logs": a cold start's tail opens with START.
  it("LogType Tail of a cold start: START, the output, END, REPORT with Init Duration; no INIT_START line", async () => {
    await createPythonFunction(sim.lambda, "tailcold", "import json\n\ndef handler(event, context):\n    print(json.dumps(event))\n    return event\n");
    const r = await sim.lambda.send(new InvokeCommand({ FunctionName: "tailcold", Payload: Buffer.from("{}"), LogType: "Tail" }));
    const lines = Buffer.from(r.LogResult!, "base64")
      .toString()
      .split(/(?<=\n)/);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n$/);
    expect(lines[1]).toBe("{}\n");
    expect(lines[2]).toMatch(/^END RequestId: [0-9a-f-]{36}\n$/);
    expect(lines[3]).toMatch(
      /^REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms\t\n$/,
    );
  });

  // TestLambdaDLQ::test_dead_letter_queue "log_result" and TestLambdaFeatures::test_invocation_type_event_error "log_events":
  // Python's runtime warns of an unhandled exception, then writes the error record without a closing newline.
  it("a Python handler's unhandled exception: LAMBDA_WARNING, then the [ERROR] record running into END in the tail", async () => {
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "pyunhandled",
        Runtime: "python3.12",
        Role: ROLE,
        Handler: "handler.handler",
        Code: {
          ZipFile: zip({
            "handler.py":
              "def handler(event, context):\n    print('Lambda log message - print function')\n    raise Exception('Test exception (this is intentional)')\n",
          }),
        },
      }),
    );
    const r = await sim.lambda.send(new InvokeCommand({ FunctionName: "pyunhandled", LogType: "Tail" }));
    const lines = Buffer.from(r.LogResult!, "base64")
      .toString()
      .split(/\r\n|\r|\n/);
    expect(lines[1]).toBe("Lambda log message - print function");
    expect(lines[2]).toBe(
      "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. However, in rare cases, a Lambda runtime update can cause unexpected function behavior. For functions using managed runtimes, runtime updates can be triggered by a function change, or can be applied automatically. To determine if the runtime has been updated, check the runtime version in the INIT_START log entry. If this error correlates with a change in the runtime version, you may be able to mitigate this error by temporarily rolling back to the previous runtime version. For more information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html",
    );
    expect(lines[3]).toBe("[ERROR] Exception: Test exception (this is intentional)");
    expect(lines[4]).toBe("Traceback (most recent call last):");
    expect(lines[6]).toMatch(/^\u00a0{4}raise Exception\('Test exception \(this is intentional\)'\)END RequestId: [0-9a-f-]{36}$/);
  });

  // TestLambdaBehavior::test_lambda_init_environment, "lambda-init-inspection": X-Ray's variables are set without active tracing.
  it("the environment carries X-Ray's context-missing mode and daemon address; the function's own values win", async () => {
    const code = "import os\n\ndef handler(event, context):\n    return {k: v for k, v in os.environ.items() if 'XRAY' in k}\n";
    const plain = await run("xrayenv", { "handler.py": code });
    expect(plain.body).toEqual({
      AWS_XRAY_CONTEXT_MISSING: "LOG_ERROR",
      AWS_XRAY_DAEMON_ADDRESS: "127.0.0.1:2000",
      _AWS_XRAY_DAEMON_ADDRESS: "127.0.0.1",
      _AWS_XRAY_DAEMON_PORT: "2000",
    });
    await createPythonFunction(sim.lambda, "xrayown", code, { Environment: { Variables: { AWS_XRAY_CONTEXT_MISSING: "IGNORE_ERROR" } } });
    const own = await sim.lambda.send(new InvokeCommand({ FunctionName: "xrayown" }));
    expect(JSON.parse(Buffer.from(own.Payload!).toString()).AWS_XRAY_CONTEXT_MISSING).toBe("IGNORE_ERROR");
  });

  // TestLambdaRuntimesCommon::test_introspection_invoke[python3.10], "invocation_result_payload": a Text-format
  // function's environment names no log format or level; a JSON-format one tells its runtime to write JSON.
  it("AWS_LAMBDA_LOG_FORMAT and AWS_LAMBDA_LOG_LEVEL are set for JSON log format only", async () => {
    const code = "import os\n\ndef handler(event, context):\n    return {k: v for k, v in os.environ.items() if k.startswith('AWS_LAMBDA_LOG_')}\n";
    const text = await run("logtextenv", { "handler.py": code });
    expect(Object.keys(text.body).sort()).toEqual(["AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME"]);
    await createPythonFunction(sim.lambda, "logjsonenv", code, { LoggingConfig: { LogFormat: "JSON" } });
    const json = await sim.lambda.send(new InvokeCommand({ FunctionName: "logjsonenv" }));
    expect(JSON.parse(Buffer.from(json.Payload!).toString())).toMatchObject({ AWS_LAMBDA_LOG_FORMAT: "JSON", AWS_LAMBDA_LOG_LEVEL: "INFO" });
  });
});

describe("Lambda recorded invoke scenarios: function URLs (execute mode)", () => {
  const sim = useServer({ execute: true }, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  // TestLambdaURL::test_lambda_url_non_existing_url: an unknown URL id is refused, not "not found".
  it("an unknown function URL answers 403 AccessDeniedException with a null message", async () => {
    const r = await fetch(`${sim.server.url}/_lambda-url/0123456789abcdefghijklmnopqrstuv/`);
    expect(r.status).toBe(403);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(r.headers.get("x-amzn-errortype")).toBe("AccessDeniedException");
    expect(await r.text()).toBe('{"Message":null}');
  });

  // TestLambdaURL::test_lambda_url_invocation_exception: an unhandled error answers 502 "Internal Server Error".
  it("a function error answers 502 with the bare text Internal Server Error", async () => {
    await createPythonFunction(sim.lambda, "urlboom", "def handler(event, context):\n    raise Exception('boom')\n");
    const { FunctionUrl } = await sim.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: "urlboom", AuthType: "NONE" }));
    await sim.lambda.send(
      new AddPermissionCommand({
        FunctionName: "urlboom",
        StatementId: "urlPermission",
        Action: "lambda:InvokeFunctionUrl",
        Principal: "*",
        FunctionUrlAuthType: "NONE",
      }),
    );
    const id = /^http:\/\/([a-z0-9]{32})\.lambda-url\./.exec(FunctionUrl!)![1];
    const r = await fetch(`${sim.server.url}/_lambda-url/${id}/`, { method: "POST", body: "{}", headers: { "user-agent": "python-requests/testing" } });
    expect(r.status).toBe(502);
    expect(await r.text()).toBe("Internal Server Error");
  });

  const publicUrl = async (FunctionName: string, extra: { InvokeMode?: "BUFFERED" | "RESPONSE_STREAM" } = {}) => {
    const { FunctionUrl } = await sim.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName, AuthType: "NONE", ...extra }));
    await sim.lambda.send(
      new AddPermissionCommand({ FunctionName, StatementId: "urlPermission", Action: "lambda:InvokeFunctionUrl", Principal: "*", FunctionUrlAuthType: "NONE" }),
    );
    return `${sim.server.url}/_lambda-url/${/^http:\/\/([a-z0-9]{32})\.lambda-url\./.exec(FunctionUrl!)![1]}`;
  };

  // TestLambdaURL::test_lambda_url_headers_and_status: the result's status, headers and body; "418" as a string is a status.
  it("a result's statusCode (a number or a numeric string), headers and body make the response", async () => {
    const code = "import json\n\ndef handler(event, context):\n    return json.loads(event['body'])\n";
    await createPythonFunction(sim.lambda, "urlecho", code);
    const url = `${await publicUrl("urlecho")}/custom_path/extend?test_param=test_value`;
    const post = (event: unknown) => fetch(url, { method: "POST", body: JSON.stringify(event), headers: { "content-type": "application/json" } });
    const created = await post({
      statusCode: 201,
      headers: { "Content-Type": "application/json", "My-Custom-Header": "Custom Value" },
      body: JSON.stringify({ message: "hello-world" }),
      isBase64Encoded: false,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("my-custom-header")).toBe("Custom Value");
    expect(await created.json()).toEqual({ message: "hello-world" });
    const teapot = await post({ statusCode: "418", body: "i'm a teapot", isBase64Encoded: false });
    expect(teapot.status).toBe(418);
    expect(await teapot.text()).toBe("i'm a teapot");
  });

  // TestLambdaURL::test_lambda_url_echo_http_fixture_default, "url_response": the event's headers carry the front
  // end's x-forwarded-for/-port/-proto and x-amzn-trace-id besides the caller's own.
  it("the event's headers carry the forwarding headers and the trace id", async () => {
    const code = "def handler(event, context):\n    return {'statusCode': 200, 'body': __import__('json').dumps(event['headers'])}\n";
    await createPythonFunction(sim.lambda, "urlhdrs", code);
    const url = await publicUrl("urlhdrs");
    const r = await fetch(`${url}/path/1?q=query`, {
      method: "POST",
      body: '{"foo": "bar"}',
      headers: { "content-type": "application/json", "ExTrA-HeadErs": "With WeiRd CapS" },
    });
    const headers = (await r.json()) as Record<string, string>;
    expect(headers["extra-headers"]).toBe("With WeiRd CapS");
    expect(headers["x-forwarded-proto"]).toBe("http");
    expect(headers["x-forwarded-port"]).toBe(new URL(sim.server.url).port);
    expect(headers["x-forwarded-for"]).toMatch(/127\.0\.0\.1|::1/);
    expect(headers["x-amzn-trace-id"]).toBe(r.headers.get("x-amzn-trace-id"));
  });

  // TestLambdaURL::test_lambda_url_echo_invoke[RESPONSE_STREAM]: a handler that returns its result (no streaming)
  // answers the result's JSON itself; BUFFERED maps it to the HTTP response.
  it("RESPONSE_STREAM with a returning handler answers the result's JSON as it is; one invocation", async () => {
    const js = "let n = 0;\nexports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ event, n: ++n }) });\n";
    for (const mode of ["BUFFERED", "RESPONSE_STREAM"] as const) {
      await sim.lambda.send(
        new CreateFunctionCommand({
          FunctionName: `urljs-${mode}`,
          Runtime: "nodejs20.x",
          Role: ROLE,
          Handler: "index.handler",
          Code: { ZipFile: zip({ "index.js": js }) },
        }),
      );
      const url = await publicUrl(`urljs-${mode}`, { InvokeMode: mode });
      const r = await fetch(`${url}/custom_path/extend?test_param=test_value`, { method: "POST", body: "text", headers: { "content-type": "text/plain" } });
      expect(r.status).toBe(200);
      const got = (await r.json()) as { statusCode?: number; body?: string; event?: { body: string; isBase64Encoded: boolean }; n?: number };
      const inner = mode === "BUFFERED" ? got : (JSON.parse(got.body!) as typeof got);
      if (mode === "RESPONSE_STREAM") expect(got.statusCode).toBe(200);
      expect(inner.event).toMatchObject({ body: "text", isBase64Encoded: false });
      expect(inner.n).toBe(1);
    }
  });
});

describe("Lambda recorded invoke scenarios: request ids (execute mode)", () => {
  const sim = useServer({ execute: true }, (cfg) => ({ lambda: new LambdaClient(cfg), logs: new CloudWatchLogsClient(cfg) }));
  const create = (FunctionName: string, code: string) => createPythonFunction(sim.lambda, FunctionName, code);
  const ends = async (fn: string, count: number) => {
    for (let i = 0; i < 100; i++) {
      const r = await sim.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn}` })).catch(() => undefined);
      const found = (r?.events ?? []).map((e) => e.message!.trimEnd()).filter((m) => m.startsWith("END"));
      if (found.length >= count) return found;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`fewer than ${count} END lines for ${fn}`);
  };

  // TestRequestIdHandling::test_request_id_invoke: the context's request id is the one Invoke answers.
  it("a synchronous invocation runs under Invoke's own request id", async () => {
    await create("reqid", "def handler(event, context):\n    return context.aws_request_id\n");
    const r = await sim.lambda.send(new InvokeCommand({ FunctionName: "reqid" }));
    expect(JSON.parse(Buffer.from(r.Payload!).toString())).toBe(r.$metadata.requestId);
    expect(await ends("reqid", 1)).toEqual([`END RequestId: ${r.$metadata.requestId}`]);
  });

  // TestRequestIdHandling::test_request_id_async_invoke_with_retry, "end_messages": both attempts, one request id.
  it("an asynchronous invocation and its retry run under the Invoke request id", async () => {
    await create("reqretry", "def handler(event, context):\n    raise Exception('fail')\n");
    await sim.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: "reqretry", MaximumRetryAttempts: 1 }));
    const r = await sim.lambda.send(new InvokeCommand({ FunctionName: "reqretry", InvocationType: "Event", Payload: Buffer.from('{"fail": 1}') }));
    expect(r.StatusCode).toBe(202);
    const id = r.$metadata.requestId!;
    expect(await ends("reqretry", 2)).toEqual([`END RequestId: ${id}`, `END RequestId: ${id}`]);
  });

  // TestLambdaDestinationSqs::test_assess_lambda_destination_invocation, "receive_message_result": the destination
  // record's requestContext.requestId is the function's own request id (here a Lambda destination).
  it("a destination record names the invocation's request id", async () => {
    await create("destsink", "import json\n\ndef handler(event, context):\n    print('record ' + json.dumps(event))\n");
    await create("destsrc", "def handler(event, context):\n    return {'id': context.aws_request_id}\n");
    await sim.lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: "destsrc",
        DestinationConfig: { OnSuccess: { Destination: "arn:aws:lambda:us-east-1:000000000000:function:destsink" } },
      }),
    );
    const r = await sim.lambda.send(new InvokeCommand({ FunctionName: "destsrc", InvocationType: "Event", Payload: Buffer.from("{}") }));
    let record: { requestContext: { requestId: string; condition: string }; responsePayload: { id: string } } | undefined;
    for (let i = 0; i < 100 && !record; i++) {
      await new Promise((res) => setTimeout(res, 100));
      const ev = await sim.logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/destsink", filterPattern: "record" })).catch(() => undefined);
      const m = ev?.events?.[0]?.message;
      if (m) record = JSON.parse(m.slice(m.indexOf("record ") + "record ".length));
    }
    expect(record?.requestContext).toMatchObject({ requestId: r.$metadata.requestId, condition: "Success" });
    expect(record?.responsePayload.id).toBe(r.$metadata.requestId);
  });

  // TestLambdaBaseFeatures::test_assume_role[1] and [2], "invoke-result-assumed-role-arn": the role session is the
  // function's name, with "@lambda_function" appended to a one-character name.
  it("the execution role's session is the function name; a one-character name gets @lambda_function", async () => {
    const js =
      "const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');\n" +
      "exports.handler = async () => (await new STSClient({}).send(new GetCallerIdentityCommand({}))).Arn;\n";
    for (const FunctionName of ["q", "zz"]) {
      await sim.lambda.send(
        new CreateFunctionCommand({
          FunctionName,
          Runtime: "nodejs20.x",
          Role: "arn:aws:iam::000000000000:role/lambda-autogenerated-c33a16ee",
          Handler: "index.handler",
          Timeout: 30,
          Code: { ZipFile: zip({ "index.js": js }) },
        }),
      );
      const r = await sim.lambda.send(new InvokeCommand({ FunctionName }));
      expect(r.FunctionError, Buffer.from(r.Payload!).toString()).toBeUndefined();
      const session = FunctionName.length === 1 ? `${FunctionName}@lambda_function` : FunctionName;
      expect(JSON.parse(Buffer.from(r.Payload!).toString())).toBe(`arn:aws:sts::000000000000:assumed-role/lambda-autogenerated-c33a16ee/${session}`);
    }
  });

  // TestRequestIdHandling::test_request_id_invoke_url: the URL's x-amzn-RequestId is the invocation's.
  it("a function URL call answers the invocation's request id", async () => {
    await create("requrl", "def handler(event, context):\n    return 'hi'\n");
    const { FunctionUrl } = await sim.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: "requrl", AuthType: "NONE" }));
    await sim.lambda.send(
      new AddPermissionCommand({
        FunctionName: "requrl",
        StatementId: "urlPermission",
        Action: "lambda:InvokeFunctionUrl",
        Principal: "*",
        FunctionUrlAuthType: "NONE",
      }),
    );
    const urlId = /^http:\/\/([a-z0-9]{32})\.lambda-url\./.exec(FunctionUrl!)![1];
    const r = await fetch(`${sim.server.url}/_lambda-url/${urlId}/custom_path/extend?test_param=test_value`, { method: "POST", body: "{'key':'value'}" });
    expect(await r.text()).toBe("hi");
    expect(await ends("requrl", 1)).toEqual([`END RequestId: ${r.headers.get("x-amzn-requestid")}`]);
  });
});
