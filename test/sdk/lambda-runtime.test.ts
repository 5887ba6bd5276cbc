import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  InvokeCommand,
  InvokeWithResponseStreamCommand,
  LambdaClient,
  PublishLayerVersionCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionUrlConfigCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { SignatureV4 } from "@smithy/signature-v4";
import { spawnSync } from "node:child_process";
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { alive, clientConfig, expectAwsError, useServer, Sha256 } from "../helpers.js";
import { ROLE, zip } from "./lambda-helpers.js";

const hasCurl = spawnSync("curl", ["--version"], { stdio: "ignore" }).status === 0;
const text = (p?: Uint8Array) => Buffer.from(p ?? []).toString();

const BOOTSTRAP = `#!/bin/bash
set -euo pipefail
echo "cold start in $$"
API="http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  HEADERS=$(mktemp)
  EVENT=$(curl -sS -D "$HEADERS" "$API/invocation/next")
  REQUEST_ID=$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  DEADLINE=$(grep -i '^Lambda-Runtime-Deadline-Ms:' "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  rm -f "$HEADERS"
  echo "handling $REQUEST_ID"
  if [ "$EVENT" = '{"fail":true}' ]; then
    curl -sS -o /dev/null -X POST -H "Lambda-Runtime-Function-Error-Type: Unhandled" "$API/invocation/$REQUEST_ID/error" -d '{"errorMessage":"asked to fail","errorType":"Custom"}'
  else
    curl -sS -o /dev/null -X POST "$API/invocation/$REQUEST_ID/response" -d "{\\"event\\":$EVENT,\\"pid\\":$$,\\"handler\\":\\"$_HANDLER\\",\\"deadline\\":$DEADLINE,\\"root\\":\\"$LAMBDA_TASK_ROOT\\"}"
  fi
done
`;

describe("Lambda execute mode: the Runtime API, warm instances, layers, concurrency, async", () => {
  const sim = useServer({ execute: true }, (cfg) => ({ lambda: new LambdaClient(cfg), logs: new CloudWatchLogsClient(cfg) }));

  const reports = async (group: string) =>
    ((await sim.logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: "REPORT" }))).events ?? []).map((e) => e.message!);

  it.skipIf(!hasCurl)("a provided.al2023 bash bootstrap answers through the Runtime API; the warm instance is reused", async () => {
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "bash",
        Runtime: "provided.al2023",
        Handler: "function.handler",
        Role: ROLE,
        Code: { ZipFile: zip({ bootstrap: BOOTSTRAP }) },
      }),
    );
    const t0 = Date.now();
    const r1 = await sim.lambda.send(new InvokeCommand({ FunctionName: "bash", Payload: Buffer.from('{"n":1}'), LogType: "Tail" }));
    expect(r1.FunctionError).toBeUndefined();
    const o1 = JSON.parse(text(r1.Payload));
    expect(o1.event).toEqual({ n: 1 });
    expect(o1.handler).toBe("function.handler");
    expect(o1.deadline).toBeGreaterThan(t0 + 2000);
    const tail1 = Buffer.from(r1.LogResult!, "base64").toString();
    expect(tail1).toMatch(/cold start in \d+\nSTART RequestId: [0-9a-f-]+ Version: \$LATEST\nhandling [0-9a-f-]+\nEND RequestId/);
    expect(tail1).toMatch(/REPORT RequestId: .*Init Duration: [\d.]+ ms/);
    const r2 = await sim.lambda.send(new InvokeCommand({ FunctionName: "bash", Payload: Buffer.from('{"n":2}'), LogType: "Tail" }));
    const o2 = JSON.parse(text(r2.Payload));
    expect(o2.pid).toBe(o1.pid);
    expect(Buffer.from(r2.LogResult!, "base64").toString()).not.toMatch(/Init Duration|cold start/);
    const e = await sim.lambda.send(new InvokeCommand({ FunctionName: "bash", Payload: Buffer.from('{"fail":true}') }));
    expect(e.FunctionError).toBe("Unhandled");
    expect(JSON.parse(text(e.Payload))).toEqual({ errorMessage: "asked to fail", errorType: "Custom" });
    const rep = await reports("/aws/lambda/bash");
    expect(rep).toHaveLength(3);
    expect(rep.filter((m) => m.includes("Init Duration"))).toHaveLength(1);

    await sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "bash", Environment: { Variables: { XY: "1" } } }));
    const r3 = await sim.lambda.send(new InvokeCommand({ FunctionName: "bash", Payload: Buffer.from("{}") }));
    expect(JSON.parse(text(r3.Payload)).pid).not.toBe(o1.pid);
  });

  it.skipIf(!hasCurl)("an Image function whose command speaks the Runtime API stays warm; after a timeout the next invoke is cold", async () => {
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "imgapi",
        PackageType: "Image",
        Role: ROLE,
        Timeout: 1,
        Code: { ImageUri: "local/runtime:latest" },
        ImageConfig: {
          EntryPoint: ["bash", "-c"],
          Command: [BOOTSTRAP.replace('echo "handling', 'sleep "$(echo "$EVENT" | grep -o "[0-9]*" || echo 0)"; echo "handling')],
        },
      }),
    );
    const a = JSON.parse(text((await sim.lambda.send(new InvokeCommand({ FunctionName: "imgapi", Payload: Buffer.from('{"s":0}') }))).Payload));
    const b = JSON.parse(text((await sim.lambda.send(new InvokeCommand({ FunctionName: "imgapi", Payload: Buffer.from('{"s":0}') }))).Payload));
    expect(b.pid).toBe(a.pid);
    const t = await sim.lambda.send(new InvokeCommand({ FunctionName: "imgapi", Payload: Buffer.from('{"s":3}') }));
    expect(t.FunctionError).toBe("Unhandled");
    expect(JSON.parse(text(t.Payload))).toEqual({
      errorType: "Sandbox.Timedout",
      errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/),
    });
    const c = await sim.lambda.send(new InvokeCommand({ FunctionName: "imgapi", Payload: Buffer.from('{"s":0}'), LogType: "Tail" }));
    expect(JSON.parse(text(c.Payload)).pid).not.toBe(a.pid);
    expect(Buffer.from(c.LogResult!, "base64").toString()).toMatch(/Init Duration/);
  });

  it("a provided function without a bootstrap fails with Runtime.InvalidEntrypoint", async () => {
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "nobootstrap",
        Runtime: "provided.al2",
        Handler: "x",
        Role: ROLE,
        Code: { ZipFile: zip({ "readme.txt": "hi" }) },
      }),
    );
    const r = await sim.lambda.send(new InvokeCommand({ FunctionName: "nobootstrap" }));
    expect(r.FunctionError).toBe("Unhandled");
    expect(JSON.parse(text(r.Payload)).errorType).toBe("Runtime.InvalidEntrypoint");
  });

  it("a node handler keeps module state in its warm instance and reads its layer under /opt", async () => {
    const layer = await sim.lambda.send(
      new PublishLayerVersionCommand({
        LayerName: "shared",
        Content: { ZipFile: zip({ "nodejs/node_modules/greet/index.js": "module.exports = (n) => 'hello ' + n;", "data/motd.txt": "from the layer" }) },
      }),
    );
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "counter",
        Runtime: "nodejs20.x",
        Handler: "app.handler",
        Role: ROLE,
        Layers: [layer.LayerVersionArn!],
        Code: {
          ZipFile: zip({
            "app.js": `const fs = require("fs"); const path = require("path"); const greet = require("greet"); let n = 0;
exports.handler = async (event, ctx) => {
  const opt = process.env.__AWSIM_OPT;
  return { n: ++n, greeting: greet(event.name), motd: fs.readFileSync(path.join(opt, "data/motd.txt"), "utf8"), opt, left: ctx.getRemainingTimeInMillis() > 0, cc: ctx.clientContext };
};`,
          }),
        },
      }),
    );
    const a = JSON.parse(text((await sim.lambda.send(new InvokeCommand({ FunctionName: "counter", Payload: Buffer.from('{"name":"ann"}') }))).Payload));
    const clientContext = Buffer.from(JSON.stringify({ custom: { k: "v" } })).toString("base64");
    const b = JSON.parse(
      text(
        (await sim.lambda.send(new InvokeCommand({ FunctionName: "counter", Payload: Buffer.from('{"name":"bob"}'), ClientContext: clientContext }))).Payload,
      ),
    );
    expect(a).toMatchObject({ n: 1, greeting: "hello ann", motd: "from the layer", left: true });
    expect(b).toMatchObject({ n: 2, greeting: "hello bob", cc: { custom: { k: "v" } } });
    if (process.platform === "linux" && process.getuid?.() === 0) expect(a.opt).toBe("/opt");
  });

  it("a streamifyResponse handler streams: InvokeWithResponseStream gets its chunks as written; Invoke gets them buffered", async () => {
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "streamer",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: ROLE,
        Code: {
          ZipFile: zip({
            "index.js": `exports.handler = awslambda.streamifyResponse(async (event, stream) => {
  for (let i = 0; i < 3; i++) { stream.write("part" + i + ";"); await new Promise((r) => setTimeout(r, 400)); }
  if (event.fail) throw new Error("broke mid-stream");
  stream.end();
});`,
          }),
        },
      }),
    );
    const r = await sim.lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: "streamer", Payload: Buffer.from("{}"), LogType: "Tail" }));
    const chunks: Array<{ at: number; text: string }> = [];
    let complete: { ErrorCode?: string; LogResult?: string } | undefined;
    for await (const ev of r.EventStream!) {
      if (ev.PayloadChunk) chunks.push({ at: Date.now(), text: text(ev.PayloadChunk.Payload) });
      if (ev.InvokeComplete) complete = ev.InvokeComplete;
    }
    expect(chunks.map((c) => c.text).join("")).toBe("part0;part1;part2;");
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    // Written 400 ms apart (800 ms from the first to the last): a wide margin, since a loaded machine may deliver
    // the first chunk late or two together.
    expect(chunks[chunks.length - 1]!.at - chunks[0]!.at).toBeGreaterThanOrEqual(300);
    expect(complete!.ErrorCode).toBeUndefined();
    expect(Buffer.from(complete!.LogResult!, "base64").toString()).toMatch(/REPORT RequestId/);
    const b = await sim.lambda.send(new InvokeCommand({ FunctionName: "streamer", Payload: Buffer.from("{}") }));
    expect(text(b.Payload)).toBe("part0;part1;part2;");
    const f = await sim.lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: "streamer", Payload: Buffer.from('{"fail":true}') }));
    let failed: { ErrorCode?: string; ErrorDetails?: string } | undefined;
    for await (const ev of f.EventStream!) if (ev.InvokeComplete) failed = ev.InvokeComplete;
    expect(failed).toMatchObject({ ErrorCode: "Error", ErrorDetails: "broke mid-stream" });
  });

  it("a python handler imports from its layer's python/ directory; logging lines carry level, time and request id", async () => {
    if (spawnSync("python3", ["--version"], { stdio: "ignore" }).status !== 0) return;
    const layer = await sim.lambda.send(
      new PublishLayerVersionCommand({ LayerName: "pyhelpers", Content: { ZipFile: zip({ "python/helper.py": "def shout(s):\n    return s.upper()\n" }) } }),
    );
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "pylog",
        Runtime: "python3.12",
        Handler: "main.handler",
        Role: ROLE,
        Layers: [layer.LayerVersionArn!],
        Code: {
          ZipFile: zip({
            "main.py":
              "import logging\nfrom helper import shout\ndef handler(e, c):\n    print('plain print')\n    logging.warning('careful %s', c.aws_request_id)\n    return shout(e['w'])\n",
          }),
        },
      }),
    );
    const r = await sim.lambda.send(new InvokeCommand({ FunctionName: "pylog", Payload: Buffer.from('{"w":"hey"}'), LogType: "Tail" }));
    expect(JSON.parse(text(r.Payload))).toBe("HEY");
    const tail = Buffer.from(r.LogResult!, "base64").toString();
    expect(tail).toMatch(/\nplain print\n/);
    expect(tail).toMatch(/\n\[WARNING\]\t\d{4}-\d\d-\d\dT[\d:.]+Z\t([0-9a-f-]{36})\tcareful \1\n/);
  });

  it("a function calls awsim as its execution role's session (boto3 GetCallerIdentity from inside a python handler)", async () => {
    if (spawnSync("python3", ["-c", "import boto3"], { stdio: "ignore" }).status !== 0) return;
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "whoami",
        Runtime: "python3.12",
        Handler: "app.handler",
        Role: "arn:aws:iam::000000000000:role/service/exec-role",
        Timeout: 30,
        Code: { ZipFile: zip({ "app.py": "import boto3\ndef handler(e, c):\n    return boto3.client('sts').get_caller_identity()['Arn']\n" }) },
      }),
    );
    const r = await sim.lambda.send(new InvokeCommand({ FunctionName: "whoami" }));
    expect(r.FunctionError, text(r.Payload)).toBeUndefined();
    expect(JSON.parse(text(r.Payload))).toBe("arn:aws:sts::000000000000:assumed-role/exec-role/whoami");
  });

  it("reserved concurrency is enforced against invocations in flight (429 TooManyRequestsException)", async () => {
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "slow1",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: ROLE,
        Code: { ZipFile: zip({ "index.js": "exports.handler = () => new Promise((r) => setTimeout(() => r('done'), 700));" }) },
      }),
    );
    await sim.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "slow1", ReservedConcurrentExecutions: 1 }));
    const first = sim.lambda.send(new InvokeCommand({ FunctionName: "slow1" }));
    await new Promise((r) => setTimeout(r, 150));
    await expectAwsError(sim.lambda.send(new InvokeCommand({ FunctionName: "slow1" })), { name: "TooManyRequestsException", status: 429 });
    expect(text((await first).Payload)).toBe('"done"');
  });

  it("InvocationType Event runs the function later: OnSuccess destination; retries then OnFailure", async () => {
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "dest",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: ROLE,
        Code: { ZipFile: zip({ "index.js": "exports.handler = async (e) => { console.log('record', JSON.stringify(e)); return 1; };" }) },
      }),
    );
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "async",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: ROLE,
        Code: { ZipFile: zip({ "index.js": "exports.handler = async (e) => ({ got: e.v });" }) },
      }),
    );
    await sim.lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: "async",
        DestinationConfig: { OnSuccess: { Destination: "arn:aws:lambda:us-east-1:000000000000:function:dest" } },
      }),
    );
    const r = await sim.lambda.send(new InvokeCommand({ FunctionName: "async", InvocationType: "Event", Payload: Buffer.from('{"v":7}') }));
    expect(r.StatusCode).toBe(202);
    let record: { requestContext: { condition: string }; responsePayload: unknown; requestPayload: unknown } | undefined;
    for (let i = 0; i < 100 && !record; i++) {
      await new Promise((res) => setTimeout(res, 100));
      const ev = await sim.logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/dest", filterPattern: "record" })).catch(() => undefined);
      const m = ev?.events?.[0]?.message;
      if (m) record = JSON.parse(m.slice(m.indexOf("record ") + "record ".length));
    }
    expect(record).toMatchObject({ requestContext: { condition: "Success" }, requestPayload: { v: 7 }, responsePayload: { got: 7 } });

    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "asyncfail",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: ROLE,
        Code: { ZipFile: zip({ "index.js": "exports.handler = async () => { throw new RangeError('out of range'); };" }) },
      }),
    );
    await sim.lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: "asyncfail",
        MaximumRetryAttempts: 1,
        DestinationConfig: { OnFailure: { Destination: "arn:aws:lambda:us-east-1:000000000000:function:dest" } },
      }),
    );
    await sim.lambda.send(new InvokeCommand({ FunctionName: "asyncfail", InvocationType: "Event", Payload: Buffer.from('{"v":8}') }));
    let failure: { requestContext: { condition: string; approximateInvokeCount: number }; responsePayload: { errorType: string } } | undefined;
    for (let i = 0; i < 100 && !failure; i++) {
      await new Promise((res) => setTimeout(res, 100));
      const ev = await sim.logs
        .send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/dest", filterPattern: "RetriesExhausted" }))
        .catch(() => undefined);
      const m = ev?.events?.[0]?.message;
      if (m) failure = JSON.parse(m.slice(m.indexOf("record ") + "record ".length));
    }
    expect(failure).toMatchObject({
      requestContext: { condition: "RetriesExhausted", approximateInvokeCount: 2 },
      responsePayload: { errorType: "RangeError" },
    });
    expect((await reports("/aws/lambda/asyncfail")).length).toBe(2);
  });

  it("a function URL is served on the awsim port: payload format 2.0 event, mapped response, 403 without the public policy, CORS", async () => {
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "web",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: ROLE,
        Code: {
          ZipFile: zip({
            "index.js": `exports.handler = async (e) => e.rawPath === "/plain" ? { ok: true } : ({
  statusCode: 201, headers: { "x-echo": e.requestContext.http.method }, cookies: ["a=1", "b=2"],
  body: JSON.stringify({ path: e.rawPath, q: e.queryStringParameters, body: e.body, b64: e.isBase64Encoded, v: e.version, route: e.routeKey, cookies: e.cookies, account: e.requestContext.accountId, time: e.requestContext.time })
});`,
          }),
        },
      }),
    );
    const { FunctionUrl } = await sim.lambda.send(
      new CreateFunctionUrlConfigCommand({
        FunctionName: "web",
        AuthType: "NONE",
        Cors: { AllowOrigins: ["https://app.example"], AllowMethods: ["POST"], MaxAge: 60 },
      }),
    );
    const id = /^http:\/\/([a-z0-9]{32})\.lambda-url\.us-east-1\.localhost:\d+\/$/.exec(FunctionUrl!)![1];
    const pathForm = `${sim.server.url}/_lambda-url/${id}`;
    const denied = await fetch(`${pathForm}/x`);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({
      Message: "Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html",
    });
    await sim.lambda.send(
      new AddPermissionCommand({ FunctionName: "web", StatementId: "url", Action: "lambda:InvokeFunctionUrl", Principal: "*", FunctionUrlAuthType: "NONE" }),
    );
    const r = await fetch(`${pathForm}/items/7?x=1&y=two`, {
      method: "POST",
      body: "hello",
      headers: { "content-type": "text/plain", cookie: "s=9", origin: "https://app.example" },
    });
    expect(r.status).toBe(201);
    expect(r.headers.get("x-echo")).toBe("POST");
    expect(r.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(r.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(await r.json()).toEqual({
      path: "/items/7",
      q: { x: "1", y: "two" },
      body: "hello",
      b64: false,
      v: "2.0",
      route: "$default",
      cookies: ["s=9"],
      account: "anonymous",
      time: expect.stringMatching(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/),
    });
    const plain = await fetch(`${pathForm}/plain`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-type")).toBe("application/json");
    expect(await plain.json()).toEqual({ ok: true });
    const pre = await fetch(`${pathForm}/`, { method: "OPTIONS", headers: { origin: "https://app.example", "access-control-request-method": "POST" } });
    expect(pre.status).toBe(200);
    expect(pre.headers.get("access-control-allow-methods")).toBe("POST");
    expect(pre.headers.get("access-control-max-age")).toBe("60");
    // The host form (what FunctionUrl names): curl and browsers resolve *.localhost to loopback; Node does not, so send the Host header.
    const u = new URL(FunctionUrl!);
    const viaHost = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port: Number(u.port), path: "/plain", headers: { host: u.host } }, (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode!, body }));
      });
      req.on("error", reject);
      req.end();
    });
    expect(viaHost).toEqual({ status: 200, body: '{"ok":true}' });

    await sim.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: "web", AuthType: "AWS_IAM" }));
    expect((await fetch(`${pathForm}/x`)).status).toBe(403);
    const signer = new SignatureV4({
      service: "lambda",
      region: "us-east-1",
      credentials: { accessKeyId: "111122223333", secretAccessKey: "s" },
      sha256: Sha256,
    });
    const target = new URL(`${pathForm}/signed`);
    const signed = await signer.sign({
      method: "GET",
      protocol: "http:",
      hostname: target.hostname,
      port: Number(target.port),
      path: target.pathname,
      query: {},
      headers: { host: target.host },
    });
    const ok = await fetch(target, { headers: signed.headers });
    expect(ok.status).toBe(201);
    expect((await ok.json()).account).toBe("111122223333");
  });

  it("a RESPONSE_STREAM function URL streams the body after the HttpResponseStream prelude", async () => {
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "sse",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: ROLE,
        Code: {
          ZipFile: zip({
            "index.js": `exports.handler = awslambda.streamifyResponse(async (event, stream) => {
  stream = awslambda.HttpResponseStream.from(stream, { statusCode: 202, headers: { "content-type": "text/event-stream" }, cookies: ["k=v"] });
  for (let i = 0; i < 3; i++) { stream.write("data: " + i + "\\n\\n"); await new Promise((r) => setTimeout(r, 150)); }
  stream.end();
});`,
          }),
        },
      }),
    );
    const { FunctionUrl } = await sim.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: "sse", AuthType: "NONE", InvokeMode: "RESPONSE_STREAM" }));
    await sim.lambda.send(
      new AddPermissionCommand({ FunctionName: "sse", StatementId: "url", Action: "lambda:InvokeFunctionUrl", Principal: "*", FunctionUrlAuthType: "NONE" }),
    );
    const id = /^http:\/\/([a-z0-9]{32})\./.exec(FunctionUrl!)![1];
    const r = await fetch(`${sim.server.url}/_lambda-url/${id}/events`);
    expect(r.status).toBe(202);
    expect(r.headers.get("content-type")).toBe("text/event-stream");
    expect(r.headers.getSetCookie()).toEqual(["k=v"]);
    const parts: string[] = [];
    for await (const c of r.body as unknown as AsyncIterable<Uint8Array>) parts.push(Buffer.from(c).toString());
    expect(parts.join("")).toBe("data: 0\n\ndata: 1\n\ndata: 2\n\n");
    expect(parts.length).toBeGreaterThanOrEqual(2);
  });

  it.skipIf(process.platform !== "linux" || process.getuid?.() !== 0)(
    "two functions mounting one EFS access point share its files at LocalMountPath, as the access point's POSIX user",
    async () => {
      const { EFSClient, CreateFileSystemCommand, CreateAccessPointCommand } = await import("@aws-sdk/client-efs");
      const efs = new EFSClient(clientConfig(sim.server));
      const fs = await efs.send(new CreateFileSystemCommand({ CreationToken: "lambda-shared" }));
      const ap = await efs.send(
        new CreateAccessPointCommand({
          FileSystemId: fs.FileSystemId,
          PosixUser: { Uid: 1000, Gid: 1000 },
          RootDirectory: { Path: "/lambda", CreationInfo: { OwnerUid: 1000, OwnerGid: 1000, Permissions: "755" } },
        }),
      );
      const mk = (name: string, body: string) =>
        sim.lambda.send(
          new CreateFunctionCommand({
            FunctionName: name,
            Runtime: "nodejs20.x",
            Handler: "index.handler",
            Role: ROLE,
            FileSystemConfigs: [{ Arn: ap.AccessPointArn!, LocalMountPath: "/mnt/shared" }],
            Code: { ZipFile: zip({ "index.js": `const fs = require("fs"); exports.handler = async (e) => { ${body} };` }) },
          }),
        );
      await mk("writer", 'fs.writeFileSync("/mnt/shared/note.txt", e.text); return process.getuid();');
      await mk("reader", 'return fs.readFileSync("/mnt/shared/note.txt", "utf8");');
      const w = await sim.lambda.send(new InvokeCommand({ FunctionName: "writer", Payload: Buffer.from('{"text":"shared via EFS"}') }));
      expect(w.FunctionError, text(w.Payload)).toBeUndefined();
      expect(JSON.parse(text(w.Payload))).toBe(1000);
      const r = await sim.lambda.send(new InvokeCommand({ FunctionName: "reader" }));
      expect(JSON.parse(text(r.Payload))).toBe("shared via EFS");
    },
  );

  it("reset stops every warm instance (no process left behind)", async () => {
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "pid",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: ROLE,
        Code: { ZipFile: zip({ "index.js": "exports.handler = async () => process.pid;" }) },
      }),
    );
    const pid = JSON.parse(text((await sim.lambda.send(new InvokeCommand({ FunctionName: "pid" }))).Payload)) as number;
    expect(alive(pid)).toBe(true);
    await sim.server.reset();
    expect(alive(pid)).toBe(false);
  });
});
