/**
 * Execute mode against AWS's documentation of the execution environment: the defined runtime environment
 * variables (configuration-envvars.html#configuration-envvars-runtime), the context object (python-context.html,
 * nodejs-context.html), the platform log lines (START/END/REPORT, INIT_START; JSON log format records) and the
 * runtimes' error payloads and types (Runtime.ImportModuleError, Runtime.UserCodeSyntaxError, Runtime.ExitError).
 */
import { CloudWatchLogsClient, DescribeLogStreamsCommand, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
  PublishVersionCommand,
  PutProvisionedConcurrencyConfigCommand,
  type CreateFunctionCommandInput,
} from "@aws-sdk/client-lambda";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { ROLE, zip } from "./lambda-helpers.js";

const hasPython = spawnSync("python3", ["--version"], { stdio: "ignore" }).status === 0;
const text = (p?: Uint8Array) => Buffer.from(p ?? []).toString();
const REQ = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const PY_ENV = `import os, time
def handler(event, context):
    t1 = context.get_remaining_time_in_millis()
    time.sleep(0.05)
    t2 = context.get_remaining_time_in_millis()
    cc = context.client_context
    context.log("logged via context\\n")
    return {
        "env": dict(os.environ),
        "ctx": {
            "function_name": context.function_name,
            "function_version": context.function_version,
            "invoked_function_arn": context.invoked_function_arn,
            "memory_limit_in_mb": context.memory_limit_in_mb,
            "aws_request_id": context.aws_request_id,
            "log_group_name": context.log_group_name,
            "log_stream_name": context.log_stream_name,
            "identity": [context.identity.cognito_identity_id, context.identity.cognito_identity_pool_id],
            "client_context": None if cc is None else {"custom": cc.custom, "env": cc.env, "app_title": cc.client and cc.client.app_title},
            "remaining": [t1, t2],
            "tenant_id": context.tenant_id,
        },
    }
`;

const NODE_ENV = `exports.handler = async (event, context) => {
  const t1 = context.getRemainingTimeInMillis();
  await new Promise((r) => setTimeout(r, 50));
  const t2 = context.getRemainingTimeInMillis();
  return {
    env: process.env,
    ctx: {
      functionName: context.functionName,
      functionVersion: context.functionVersion,
      invokedFunctionArn: context.invokedFunctionArn,
      memoryLimitInMB: context.memoryLimitInMB,
      awsRequestId: context.awsRequestId,
      logGroupName: context.logGroupName,
      logStreamName: context.logStreamName,
      identity: context.identity ?? null,
      clientContext: context.clientContext ?? null,
      callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop,
      remaining: [t1, t2],
    },
  };
};`;

describe("Lambda execute mode: runtime environment variables, context, platform logs and runtime errors as AWS documents them", () => {
  const sim = useServer({ execute: true }, (cfg) => ({ lambda: new LambdaClient(cfg), logs: new CloudWatchLogsClient(cfg) }));

  const create = (input: Partial<CreateFunctionCommandInput> & { FunctionName: string; files: Record<string, string> }) => {
    const { files, ...rest } = input;
    return sim.lambda.send(new CreateFunctionCommand({ Role: ROLE, Runtime: "nodejs20.x", Handler: "index.handler", Code: { ZipFile: zip(files) }, ...rest }));
  };
  const invoke = async (FunctionName: string, extra: { Qualifier?: string; Payload?: string; ClientContext?: string } = {}) => {
    const r = await sim.lambda.send(new InvokeCommand({ FunctionName, LogType: "Tail", ...extra, Payload: Buffer.from(extra.Payload ?? "{}") }));
    return { r, body: JSON.parse(text(r.Payload) || "null"), tail: Buffer.from(r.LogResult ?? "", "base64").toString() };
  };
  const events = async (group: string, stream: string) =>
    ((await sim.logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }))).events ?? []).map((e) => e.message!);

  it.skipIf(!hasPython)("python: the defined variables, the context object (qualified ARN, client context, identity) and per-invocation trace id", async () => {
    await create({ FunctionName: "pyenv", Runtime: "python3.12", Handler: "app.handler", MemorySize: 256, Timeout: 7, files: { "app.py": PY_ENV } });
    const v = await sim.lambda.send(new PublishVersionCommand({ FunctionName: "pyenv" }));
    const clientContext = Buffer.from(JSON.stringify({ client: { app_title: "demo" }, custom: { k: "v" }, env: { locale: "en" } })).toString("base64");
    const a = await invoke("pyenv", { Qualifier: v.Version, ClientContext: clientContext });
    expect(a.r.FunctionError, text(a.r.Payload)).toBeUndefined();
    const env = a.body.env as Record<string, string>;
    const ctx = a.body.ctx;
    const requestId = /START RequestId: (\S+)/.exec(a.tail)![1]!;
    expect(env).toMatchObject({
      _HANDLER: "app.handler",
      AWS_REGION: "us-east-1",
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_EXECUTION_ENV: "AWS_Lambda_python3.12",
      AWS_LAMBDA_FUNCTION_NAME: "pyenv",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "256",
      AWS_LAMBDA_FUNCTION_VERSION: "1",
      AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/pyenv",
      TZ: ":UTC",
      LANG: "en_US.UTF-8",
    });
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, "/");
    expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(new RegExp(`^${day}/\\[1\\][0-9a-f]{32}$`));
    expect(env.AWS_ACCESS_KEY_ID).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(env.AWS_SECRET_ACCESS_KEY).toHaveLength(40);
    expect(env.AWS_SESSION_TOKEN!.length).toBeGreaterThan(100);
    expect(env.AWS_LAMBDA_RUNTIME_API).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(env.LAMBDA_TASK_ROOT).toBeTruthy();
    expect(env.LAMBDA_RUNTIME_DIR).toBeTruthy();
    expect(env.LAMBDA_RUNTIME_DIR).not.toBe(env.LAMBDA_TASK_ROOT);
    expect(env.LD_LIBRARY_PATH!.split(":")).toEqual(expect.arrayContaining([env.LAMBDA_TASK_ROOT, `${env.LAMBDA_TASK_ROOT}/lib`]));
    expect(env._X_AMZN_TRACE_ID).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=(?!0{16})[0-9a-f]{16};Sampled=0$/);
    expect(env.AWS_LAMBDA_LOG_LEVEL).toBeUndefined();
    expect(ctx).toMatchObject({
      function_name: "pyenv",
      function_version: "1",
      invoked_function_arn: "arn:aws:lambda:us-east-1:000000000000:function:pyenv:1",
      memory_limit_in_mb: "256",
      aws_request_id: requestId,
      log_group_name: "/aws/lambda/pyenv",
      log_stream_name: env.AWS_LAMBDA_LOG_STREAM_NAME,
      identity: [null, null],
      client_context: { custom: { k: "v" }, env: { locale: "en" }, app_title: "demo" },
      tenant_id: null,
    });
    expect(a.tail).toContain("\nlogged via context\n");
    expect(ctx.remaining[0]).toBeLessThanOrEqual(7000);
    expect(ctx.remaining[0]).toBeGreaterThan(6000);
    expect(ctx.remaining[1]).toBeLessThan(ctx.remaining[0]);
    // The warm instance: a new trace id and request id per invocation; no client context this time.
    const b = await invoke("pyenv", { Qualifier: v.Version });
    expect(b.body.env.AWS_LAMBDA_LOG_STREAM_NAME).toBe(env.AWS_LAMBDA_LOG_STREAM_NAME);
    expect(b.body.env._X_AMZN_TRACE_ID).not.toBe(env._X_AMZN_TRACE_ID);
    expect(b.body.ctx.aws_request_id).not.toBe(requestId);
    expect(b.body.ctx.client_context).toBeNull();
    // Unqualified: the unqualified ARN and $LATEST.
    const c = await invoke("pyenv");
    expect(c.body.ctx).toMatchObject({ function_version: "$LATEST", invoked_function_arn: "arn:aws:lambda:us-east-1:000000000000:function:pyenv" });
    expect(c.body.env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
  });

  it("node: the context in camelCase (strings as the runtime gives them), identity and clientContext undefined without a caller's", async () => {
    await create({ FunctionName: "nodeenv", MemorySize: 512, Timeout: 5, TracingConfig: { Mode: "Active" }, files: { "index.js": NODE_ENV } });
    const a = await invoke("nodeenv", { Qualifier: "$LATEST" });
    const requestId = /START RequestId: (\S+)/.exec(a.tail)![1]!;
    expect(a.body.env).toMatchObject({
      _HANDLER: "index.handler",
      AWS_EXECUTION_ENV: "AWS_Lambda_nodejs20.x",
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "512",
      AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      TZ: ":UTC",
    });
    expect(a.body.env._X_AMZN_TRACE_ID).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=1$/);
    expect(a.body.env.NODE_PATH).toMatch(/\/nodejs\/node20\/node_modules:.*\/nodejs\/node_modules/);
    expect(a.body.ctx).toMatchObject({
      functionName: "nodeenv",
      functionVersion: "$LATEST",
      invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:nodeenv:$LATEST",
      memoryLimitInMB: "512",
      awsRequestId: requestId,
      logGroupName: "/aws/lambda/nodeenv",
      identity: null,
      clientContext: null,
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(a.body.ctx.remaining[0]).toBeLessThanOrEqual(5000);
    expect(a.body.ctx.remaining[1]).toBeLessThan(a.body.ctx.remaining[0]);
  });

  it("AWS_EXECUTION_ENV is not defined for OS-only runtimes (provided*); a published SnapStart version initializes as snap-start", async () => {
    await create({
      FunctionName: "osonly",
      Runtime: "provided.al2023",
      Handler: "x",
      files: {
        bootstrap: `#!/usr/bin/env python3
import json, os, urllib.request
api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
while True:
    r = urllib.request.urlopen(api + "/invocation/next")
    rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
    body = json.dumps({k: os.environ.get(k) for k in ("AWS_EXECUTION_ENV", "_HANDLER", "AWS_LAMBDA_FUNCTION_NAME", "_X_AMZN_TRACE_ID")}).encode()
    urllib.request.urlopen(urllib.request.Request(api + "/invocation/" + rid + "/response", data=body, method="POST")).read()
`,
      },
    });
    if (hasPython) {
      const a = await invoke("osonly");
      expect(a.body).toEqual({ AWS_EXECUTION_ENV: null, _HANDLER: "x", AWS_LAMBDA_FUNCTION_NAME: "osonly", _X_AMZN_TRACE_ID: null });
      // INIT_START goes to CloudWatch only; the LogResult tail opens with START (recorded against AWS).
      expect(a.tail).toMatch(/^START RequestId: /);
    }
    if (!hasPython) return;
    await create({
      FunctionName: "snappy",
      Runtime: "python3.12",
      Handler: "app.handler",
      SnapStart: { ApplyOn: "PublishedVersions" },
      files: { "app.py": "import os\ndef handler(e, c):\n    return os.environ['AWS_LAMBDA_INITIALIZATION_TYPE']\n" },
    });
    const v = await sim.lambda.send(new PublishVersionCommand({ FunctionName: "snappy" }));
    expect((await invoke("snappy", { Qualifier: v.Version })).body).toBe("snap-start");
    expect((await invoke("snappy")).body).toBe("on-demand");
    // Provisioned concurrency on an alias: its environments initialize as provisioned-concurrency.
    await create({ FunctionName: "pc", files: { "index.js": "exports.handler = async () => process.env.AWS_LAMBDA_INITIALIZATION_TYPE;" } });
    const pv = await sim.lambda.send(new PublishVersionCommand({ FunctionName: "pc" }));
    await sim.lambda.send(new CreateAliasCommand({ FunctionName: "pc", Name: "live", FunctionVersion: pv.Version }));
    await sim.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "pc", Qualifier: "live", ProvisionedConcurrentExecutions: 1 }));
    expect((await invoke("pc", { Qualifier: "live" })).body).toBe("provisioned-concurrency");
    expect((await invoke("pc", { Qualifier: pv.Version })).body).toBe("on-demand");
  });

  it("text logs: INIT_START on a cold start, START/END, REPORT with a trailing tab; every CloudWatch event ends with a newline", async () => {
    await create({
      FunctionName: "logtext",
      files: { "index.js": "exports.handler = async () => { console.log('hello'); console.log('two\\nlines'); return 1; };" },
    });
    const a = await invoke("logtext");
    const id = /START RequestId: (\S+)/.exec(a.tail)![1]!;
    expect(id).toMatch(REQ);
    expect(a.tail).toMatch(
      new RegExp(
        `^START RequestId: ${id} Version: \\$LATEST\\n` +
          `\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${id}\\tINFO\\thello\\n` +
          `\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${id}\\tINFO\\ttwo\\nlines\\n` +
          `END RequestId: ${id}\\n` +
          `REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d\\d ms\\t\\n$`,
      ),
    );
    // Billed Duration covers the init phase too (Lambda bills INIT since August 2025).
    const [, dur, billed, init] = /\tDuration: ([\d.]+) ms\tBilled Duration: (\d+) ms.*\tInit Duration: ([\d.]+) ms/.exec(a.tail)!;
    expect(Number(billed)).toBe(Math.max(1, Math.ceil(Number(dur) + Number(init))));
    const warm = await invoke("logtext");
    expect(warm.tail).not.toMatch(/INIT_START|Init Duration/);
    expect(warm.tail).toMatch(/\tMax Memory Used: \d+ MB\t\n$/);
    const stream = /^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/;
    const streams = await sim.logs.send(
      new (await import("@aws-sdk/client-cloudwatch-logs")).DescribeLogStreamsCommand({ logGroupName: "/aws/lambda/logtext" }),
    );
    const name = streams.logStreams![0]!.logStreamName!;
    expect(name).toMatch(stream);
    const msgs = await events("/aws/lambda/logtext", name);
    expect(msgs.every((m) => m.endsWith("\n"))).toBe(true);
    expect(msgs[0]).toMatch(/^INIT_START /);
    expect(msgs).toContain(`START RequestId: ${id} Version: $LATEST\n`);
    expect(msgs).toContain(`END RequestId: ${id}\n`);
    // A message with a newline is one event, as the runtime writes it.
    expect(msgs.filter((m) => /\tINFO\ttwo\nlines\n$/.test(m))).toHaveLength(2);
  });

  it("the init phase is not part of the invocation: a slow init doesn't eat the timeout, the deadline and Duration start after it", async () => {
    const code = `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1300);
exports.handler = async (e, context) => context.getRemainingTimeInMillis();`;
    await create({ FunctionName: "slowinit", Timeout: 1, files: { "index.js": code } });
    const a = await invoke("slowinit");
    expect(a.r.FunctionError, JSON.stringify(a.body)).toBeUndefined();
    expect(a.body).toBeGreaterThan(800);
    const [, dur, init] = /\tDuration: ([\d.]+) ms\t.*\tInit Duration: ([\d.]+) ms/.exec(a.tail)!;
    expect(Number(init)).toBeGreaterThanOrEqual(1300);
    expect(Number(dur)).toBeLessThan(500);
    // Each CloudWatch event carries the time it was written: INIT_START before the slow init, START after it.
    const streams = await sim.logs.send(new DescribeLogStreamsCommand({ logGroupName: "/aws/lambda/slowinit" }));
    const evs = (
      await sim.logs.send(
        new GetLogEventsCommand({ logGroupName: "/aws/lambda/slowinit", logStreamName: streams.logStreams![0]!.logStreamName!, startFromHead: true }),
      )
    ).events!;
    const at = (p: string) => evs.find((e) => e.message!.startsWith(p))!.timestamp!;
    expect(at("START") - at("INIT_START")).toBeGreaterThanOrEqual(1250);
    expect(at("REPORT")).toBeGreaterThanOrEqual(at("START"));
  });

  it("JSON log format: platform.initStart/start/report records, JSON application logs filtered at ApplicationLogLevel; SystemLogLevel WARN drops the platform records", async () => {
    const code =
      "exports.handler = async () => { console.debug('dbg'); console.info('inf'); console.warn('wrn'); console.error({ k: 1 }); console.error('failed %s', 'here', new RangeError('r')); return process.env.AWS_LAMBDA_LOG_LEVEL; };";
    await create({ FunctionName: "logjson", LoggingConfig: { LogFormat: "JSON", ApplicationLogLevel: "WARN" }, files: { "index.js": code } });
    const a = await invoke("logjson");
    expect(a.body).toBe("WARN");
    const recs = a.tail
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(recs.map((r) => r.type ?? r.level)).toEqual(["platform.initStart", "platform.start", "WARN", "ERROR", "ERROR", "platform.report"]);
    expect(recs[3].message).toEqual({ k: 1 });
    expect(recs[4]).toMatchObject({ message: expect.stringMatching(/^failed here RangeError: r/), errorType: "RangeError", errorMessage: "r" });
    const id = recs[1].record.requestId;
    expect(id).toMatch(REQ);
    expect(recs[0]).toEqual({
      time: expect.stringMatching(/Z$/),
      type: "platform.initStart",
      record: {
        initializationType: "on-demand",
        phase: "init",
        runtimeVersion: expect.stringMatching(/^nodejs:20\.v\d+$/),
        runtimeVersionArn: expect.stringMatching(/^arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/),
        functionName: "logjson",
        functionVersion: "$LATEST",
      },
    });
    expect(recs[1]).toEqual({ time: expect.any(String), type: "platform.start", record: { requestId: id, version: "$LATEST" } });
    expect(recs[2]).toEqual({ timestamp: expect.stringMatching(/Z$/), level: "WARN", requestId: id, message: "wrn" });
    expect(recs[5]).toEqual({
      time: expect.any(String),
      type: "platform.report",
      record: {
        requestId: id,
        metrics: {
          durationMs: expect.any(Number),
          billedDurationMs: expect.any(Number),
          memorySizeMB: 128,
          maxMemoryUsedMB: expect.any(Number),
          initDurationMs: expect.any(Number),
        },
        status: "success",
      },
    });
    await create({
      FunctionName: "logquiet",
      LoggingConfig: { LogFormat: "JSON", SystemLogLevel: "WARN" },
      files: { "index.js": "exports.handler = async () => { console.log('only me'); return 0; };" },
    });
    const q = await invoke("logquiet");
    expect(
      q.tail
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l).message),
    ).toEqual(["only me"]);
  });

  it.skipIf(!hasPython)(
    "JSON log format filters every output line at ApplicationLogLevel (a line without a level is INFO); errors are JSON ERROR records",
    async () => {
      const code = `import json, logging
def handler(event, context):
    print("plain print")
    print(json.dumps({"level": "debug", "msg": "own json debug"}))
    print(json.dumps({"level": "error", "msg": "own json error"}))
    logging.getLogger().info("info record")
    logging.getLogger().warning("warn record")
    raise RuntimeError("went wrong")
`;
      await create({
        FunctionName: "pyjson",
        Runtime: "python3.12",
        Handler: "app.handler",
        LoggingConfig: { LogFormat: "JSON", ApplicationLogLevel: "WARN" },
        files: { "app.py": code },
      });
      const r = await invoke("pyjson");
      expect(r.r.FunctionError).toBe("Unhandled");
      const recs = r.tail
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l));
      const app = recs.filter((x) => !x.type);
      expect(app.map((x) => x.msg ?? x.message ?? x.errorMessage)).toEqual(["own json error", "warn record", "went wrong"]);
      expect(app[1]).toMatchObject({ level: "WARNING", logger: "root", requestId: recs.find((x) => x.type === "platform.start").record.requestId });
      expect(app[2]).toMatchObject({
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
        level: "ERROR",
        errorType: "RuntimeError",
        errorMessage: "went wrong",
        stackTrace: [expect.stringContaining("app.py")],
      });
      await create({
        FunctionName: "nodejsonerr",
        LoggingConfig: { LogFormat: "JSON" },
        files: { "index.js": "exports.handler = async () => { throw new Error('json boom'); };" },
      });
      const n = await invoke("nodejsonerr");
      const rec = n.tail
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l))
        .find((x) => x.level === "ERROR");
      // The error itself is the record's message, as Node's runtime logs an Invoke Error in JSON format.
      expect(rec).toMatchObject({ message: { errorType: "Error", errorMessage: "json boom", stackTrace: expect.arrayContaining(["Error: json boom"]) } });
      expect(rec.requestId).toMatch(REQ);
    },
  );

  it("node errors: Invoke Error payload and log; a missing module is Runtime.ImportModuleError, a syntax error Runtime.UserCodeSyntaxError; REPORT Status on an exit", async () => {
    await create({ FunctionName: "nodethrow", files: { "index.js": "exports.handler = async () => { throw new TypeError('bad thing'); };" } });
    const t = await invoke("nodethrow");
    expect(t.r.FunctionError).toBe("Unhandled");
    expect(t.body).toEqual({
      errorType: "TypeError",
      errorMessage: "bad thing",
      trace: expect.arrayContaining([expect.stringMatching(/^TypeError: bad thing$/)]),
    });
    expect(t.tail).toMatch(/\tERROR\tInvoke Error \t\{"errorType":"TypeError","errorMessage":"bad thing","stack":\["TypeError: bad thing",/);

    await create({ FunctionName: "nomodule", files: { "other.js": "" } });
    const m = await invoke("nomodule");
    expect(m.r.FunctionError).toBe("Unhandled");
    expect(m.body).toMatchObject({
      errorType: "Runtime.ImportModuleError",
      errorMessage: "Error: Cannot find module 'index'\nRequire stack:\n- /var/runtime/index.mjs",
    });
    expect(m.tail).toMatch(/\tERROR\tUncaught Exception \t\{"errorType":"Runtime.ImportModuleError"/);
    expect(m.tail).toMatch(/\tStatus: error\tError Type: Runtime.ImportModuleError\t\n$/);

    // The simpler cases run concurrently: [function, files, expected body, extra CreateFunction members].
    const cases: Array<[string, Record<string, string>, unknown, Partial<CreateFunctionCommandInput>?]> = [
      [
        "nodedep",
        { "index.js": "const x = require('not-installed-dep');\nexports.handler = async () => x;" },
        {
          errorType: "Runtime.ImportModuleError",
          errorMessage: expect.stringMatching(
            /^Error: Cannot find module 'not-installed-dep'\nRequire stack:\n- \/.*\/index\.js\n- \/var\/runtime\/index\.mjs$/,
          ),
        },
      ],
      ["nodestr", { "index.js": "exports.handler = async () => { throw 'plain string'; };" }, { errorType: "string", errorMessage: "plain string", trace: [] }],
      [
        "nosyntax",
        { "index.js": "exports.handler = async () => {" },
        { errorType: "Runtime.UserCodeSyntaxError", errorMessage: expect.stringMatching(/^SyntaxError: /) },
      ],
      // The module is named up to the first dot; the rest is a property path.
      ["nested", { "lib/app.js": "exports.api = { v1: async () => 'nested ok' };" }, "nested ok", { Handler: "lib/app.api.v1" }],
      ["notfn", { "index.js": "exports.handler = 42;" }, { errorType: "Runtime.HandlerNotFound", errorMessage: "index.handler is not a function" }],
      ["noexport", { "index.js": "exports.other = 1;" }, { errorType: "Runtime.HandlerNotFound", errorMessage: "index.handler is undefined or not exported" }],
      // Node.js 24 runs no callback-based handler.
      [
        "cb24",
        { "index.js": "exports.handler = (e, c, cb) => cb(null, 1);" },
        {
          errorType: "Runtime.CallbackHandlerDeprecated",
          errorMessage: expect.stringMatching(/^ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node\.js 24\./),
        },
        { Runtime: "nodejs24.x" },
      ],
      [
        "bigint",
        { "index.js": "exports.handler = async () => ({ n: 1n });" },
        { errorType: "Runtime.JSONStringifyError", errorMessage: "Unable to stringify response body" },
      ],
    ];
    const bodies = await Promise.all(
      cases.map(async ([FunctionName, files, , extra]) => {
        await create({ FunctionName, files, ...extra });
        return (await invoke(FunctionName)).body;
      }),
    );
    cases.forEach(([name, , want], k) => expect(bodies[k], name).toEqual(typeof want === "string" ? want : expect.objectContaining(want as object)));

    // An exception thrown outside the handler's promise fails the invocation with its error and ends the instance.
    await create({
      FunctionName: "nodestray",
      files: {
        "index.js":
          "let n = 0; exports.handler = async (e) => { n++; if (e.throw) await new Promise(() => setTimeout(() => { throw new Error('stray ' + n); }, 10)); if (e.reject) { Promise.reject(new Error('dropped')); await new Promise((r) => setTimeout(r, 200)); } return n; };",
      },
    });
    const st = await invoke("nodestray", { Payload: '{"throw":true}' });
    expect(st.r.FunctionError).toBe("Unhandled");
    expect(st.body).toMatchObject({ errorType: "Error", errorMessage: "stray 1" });
    expect(st.tail).toMatch(/\tERROR\tUncaught Exception \t\{"errorType":"Error","errorMessage":"stray 1"/);
    expect((await invoke("nodestray")).body).toBe(1);
    const rj = await invoke("nodestray", { Payload: '{"reject":true}' });
    expect(rj.body).toMatchObject({ errorType: "Runtime.UnhandledPromiseRejection", errorMessage: "Error: dropped" });
    expect(rj.tail).toMatch(/\tERROR\tUnhandled Promise Rejection \t\{"errorType":"Runtime.UnhandledPromiseRejection"/);

    await create({ FunctionName: "nodeexit", files: { "index.js": "exports.handler = async () => { process.exit(3); };" } });
    const x = await invoke("nodeexit");
    const id = /START RequestId: (\S+)/.exec(x.tail)![1]!;
    expect(x.body).toEqual({ errorType: "Runtime.ExitError", errorMessage: `RequestId: ${id} Error: Runtime exited with error: exit status 3` });
    expect(x.tail).toContain(`\nRequestId: ${id} Error: Runtime exited with error: exit status 3\nRuntime.ExitError\nEND RequestId: ${id}\n`);
    expect(x.tail).toMatch(/\tStatus: error\tError Type: Runtime.ExitError\t\n$/);
  });

  it("node: a callback's answer waits for the empty event loop unless callbackWaitsForEmptyEventLoop is false; async handlers answer at once", async () => {
    const code = `let n = 0;
exports.handler = (event, context, callback) => {
  const t0 = Date.now();
  n++;
  if (event.noWait) context.callbackWaitsForEmptyEventLoop = false;
  setTimeout(() => {}, 400);
  callback(null, { n, t0 });
};`;
    await create({ FunctionName: "cbwait", Timeout: 5, files: { "index.js": code } });
    const t = async (payload: string) => {
      await invoke("cbwait", { Payload: '{"noWait":true}' }); // warm
      const at = Date.now();
      const r = await invoke("cbwait", { Payload: payload });
      return { ms: Date.now() - at, body: r.body, err: r.r.FunctionError };
    };
    const waited = await t("{}");
    expect(waited.err).toBeUndefined();
    expect(waited.ms).toBeGreaterThanOrEqual(380);
    const quick = await t('{"noWait":true}');
    expect(quick.ms).toBeLessThan(350);
    expect(quick.body.n).toBeGreaterThan(waited.body.n);
    // An interval never lets the loop empty: the invocation times out, as on AWS.
    await create({
      FunctionName: "cbforever",
      Timeout: 1,
      files: { "index.js": "exports.handler = (e, c, cb) => { setInterval(() => {}, 1000); cb(null, 'never sent'); };" },
    });
    expect((await invoke("cbforever")).body).toMatchObject({ errorType: "Sandbox.Timedout" });
    // Waiting for the timer would run into the 3 s timeout (Sandbox.Timedout, not "now"); the bound leaves room for a
    // cold start on a loaded machine.
    await create({ FunctionName: "asyncnow", files: { "index.js": "exports.handler = async () => { setTimeout(() => {}, 20000); return 'now'; };" } });
    const at = Date.now();
    expect((await invoke("asyncnow")).body).toBe("now");
    expect(Date.now() - at).toBeLessThan(2900);
  });

  it.skipIf(!hasPython)(
    "python errors: payload with requestId and stackTrace; import, syntax, handler and module-level errors with AWS's types and messages; timeout status",
    async () => {
      await create({
        FunctionName: "pythrow",
        Runtime: "python3.12",
        Handler: "lambda_function.lambda_handler",
        files: { "lambda_function.py": "def lambda_handler(event, context):\n    raise ValueError('nope')\n" },
      });
      const t = await invoke("pythrow");
      const id = /START RequestId: (\S+)/.exec(t.tail)![1]!;
      expect(t.r.FunctionError).toBe("Unhandled");
      expect(t.body).toEqual({
        errorMessage: "nope",
        errorType: "ValueError",
        requestId: id,
        stackTrace: [expect.stringMatching(/^ {2}File ".*lambda_function\.py", line 2, in lambda_handler\n {4}raise ValueError\('nope'\)\n$/)],
      });
      // As recorded against AWS (test_lambda_destinations test_dead_letter_queue "log_result"): the runtime's LAMBDA_WARNING
      // (ending with a carriage return), then the error record, which ends without a newline.
      expect(t.tail).toMatch(
        /\nLAMBDA_WARNING: Unhandled exception\. [^\n]*runtimes-update\.html\r\[ERROR\] ValueError: nope\nTraceback \(most recent call last\):\n\u00a0{2}File ".*lambda_function\.py", line 2, in lambda_handler\n\u00a0{4}raise ValueError\('nope'\)END RequestId: /,
      );

      const py = (FunctionName: string, files: Record<string, string>, Handler = "lambda_function.lambda_handler") =>
        create({ FunctionName, Runtime: "python3.12", Handler, files });
      // The timeout case runs meanwhile.
      const slow = (async () => {
        await sim.lambda.send(
          new CreateFunctionCommand({
            FunctionName: "pyslow",
            Runtime: "python3.12",
            Handler: "lambda_function.lambda_handler",
            Role: ROLE,
            Timeout: 1,
            Code: { ZipFile: zip({ "lambda_function.py": "import time\ndef lambda_handler(e, c):\n    time.sleep(5)\n" }) },
          }),
        );
        return invoke("pyslow");
      })();
      // The runtime's marshaller: a Decimal is the number it spells, text stays UTF-8 (python3.12), bytes go out raw; a set cannot be marshalled.
      await py("pymarshal", {
        "lambda_function.py":
          "from decimal import Decimal\ndef lambda_handler(e, c):\n    if e.get('raw'):\n        return b'raw bytes'\n    return {'n': Decimal('3'), 'f': Decimal('1.50'), 's': 'José'} if not e.get('set') else {1, 2}\n",
      });
      const mr = await sim.lambda.send(new InvokeCommand({ FunctionName: "pymarshal", Payload: Buffer.from("{}") }));
      expect(text(mr.Payload)).toBe('{"n": 3, "f": 1.50, "s": "José"}');
      const raw = await sim.lambda.send(new InvokeCommand({ FunctionName: "pymarshal", Payload: Buffer.from('{"raw":true}') }));
      expect(text(raw.Payload)).toBe("raw bytes");
      expect((await invoke("pymarshal", { Payload: '{"set":true}' })).body).toMatchObject({
        errorType: "Runtime.MarshalError",
        errorMessage: "Unable to marshal response: Object of type set is not JSON serializable",
      });

      await py("pyimport", { "lambda_function.py": "import not_installed_pkg\ndef lambda_handler(e, c):\n    return 1\n" });
      const i = await invoke("pyimport");
      expect(i.body).toEqual({
        errorMessage: "Unable to import module 'lambda_function': No module named 'not_installed_pkg'",
        errorType: "Runtime.ImportModuleError",
        requestId: "",
        stackTrace: [],
      });
      expect(i.tail).toMatch(/\[ERROR\] Runtime.ImportModuleError: Unable to import module 'lambda_function': No module named 'not_installed_pkg'\nTraceback/);
      expect(i.tail).toMatch(/\tStatus: error\tError Type: Runtime.ImportModuleError\t\n$/);
      // The error record ends without a newline (as AWS's runtime writes it), so the platform's INIT_REPORT follows at once.
      expect(i.tail).toMatch(
        /Traceback \(most recent call last\):INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError\nSTART RequestId: /,
      );

      const [syntax, missing, badname, modlevel] = await Promise.all(
        (
          [
            ["pysyntax", "def lambda_handler(e, c)\n    return 1\n"],
            ["pymissing", "def other(e, c):\n    return 1\n"],
            ["pybadname", "", "nodot"],
            ["pymodule", "raise KeyError('CONFIG')\ndef lambda_handler(e, c):\n    return 1\n"],
          ] as const
        ).map(async ([name, code, handler]) => {
          await py(name, { "lambda_function.py": code }, handler);
          return (await invoke(name)).body;
        }),
      );
      expect(syntax).toMatchObject({
        errorType: "Runtime.UserCodeSyntaxError",
        errorMessage: expect.stringMatching(/^Syntax error in module 'lambda_function': .*\(lambda_function\.py, line 1\)$/),
      });
      expect(missing).toMatchObject({ errorType: "Runtime.HandlerNotFound", errorMessage: "Handler 'lambda_handler' missing on module 'lambda_function'" });
      expect(badname).toMatchObject({
        errorType: "Runtime.MalformedHandlerName",
        errorMessage: "Bad handler 'nodot': not enough values to unpack (expected 2, got 1)",
      });
      expect(modlevel).toMatchObject({ errorType: "KeyError", errorMessage: "'CONFIG'", requestId: "" });

      const s = await slow;
      const sid = /START RequestId: (\S+)/.exec(s.tail)![1]!;
      expect(s.body).toEqual({ errorType: "Sandbox.Timedout", errorMessage: `RequestId: ${sid} Error: Task timed out after 1.00 seconds` });
      expect(s.tail).toMatch(new RegExp(`\\n\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z ${sid} Task timed out after 1\\.00 seconds\\nEND RequestId: ${sid}\\n`));
      expect(s.tail).toMatch(/\tStatus: timeout\t\n$/);
    },
  );

  it("reserved keys are refused in Environment with AWS's message", async () => {
    await expectAwsError(
      create({
        FunctionName: "reserved",
        files: { "index.js": "" },
        Environment: { Variables: { OK_KEY: "1", LAMBDA_TASK_ROOT: "x", AWS_LAMBDA_RUNTIME_API: "y" } },
      }),
      {
        name: "InvalidParameterValueException",
        status: 400,
        message:
          "Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: LAMBDA_TASK_ROOT, AWS_LAMBDA_RUNTIME_API",
      },
    );
  });
});
