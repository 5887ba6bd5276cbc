import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetPolicyCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ListTagsCommand,
  PublishVersionCommand,
  TagResourceCommand,
  UpdateFunctionConfigurationCommand,
  paginateListFunctions,
  waitUntilFunctionActiveV2,
} from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { ROLE, zip } from "./lambda-helpers.js";

describe("Lambda control plane (fake mode)", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  it("create, get, list (paginated), update, publish, alias, tags, permissions, delete", async () => {
    const created = await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "f1",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: ROLE,
        Code: { ZipFile: zip({ "index.js": "exports.handler = async () => 1;" }) },
        Tags: { a: "1" },
      }),
    );
    expect(created).toMatchObject({
      FunctionName: "f1",
      FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:f1",
      State: "Active",
      Timeout: 3,
      MemorySize: 128,
      Version: "$LATEST",
      PackageType: "Zip",
    });
    expect(created.CodeSha256).toMatch(/=$/);
    expect((await waitUntilFunctionActiveV2({ client: sim.lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: "f1" })).state).toBe("SUCCESS");
    await expectAwsError(
      sim.lambda.send(
        new CreateFunctionCommand({ FunctionName: "f1", Runtime: "nodejs20.x", Handler: "i.h", Role: ROLE, Code: { ZipFile: zip({ "i.js": "" }) } }),
      ),
      {
        name: "ResourceConflictException",
        status: 409,
        message: "Function already exist: f1",
      },
    );
    for (let i = 2; i <= 5; i++)
      await sim.lambda.send(new CreateFunctionCommand({ FunctionName: `f${i}`, PackageType: "Image", Role: ROLE, Code: { ImageUri: "test:latest" } }));
    const names: string[] = [];
    for await (const p of paginateListFunctions({ client: sim.lambda, pageSize: 2 }, {})) names.push(...p.Functions!.map((f) => f.FunctionName!));
    expect(names).toEqual(["f1", "f2", "f3", "f4", "f5"]);
    const upd = await sim.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "f1", Timeout: 30, Environment: { Variables: { XY: "1" } } }));
    expect(upd.Timeout).toBe(30);
    const v = await sim.lambda.send(new PublishVersionCommand({ FunctionName: "f1" }));
    expect(v.Version).toBe("1");
    const alias = await sim.lambda.send(new CreateAliasCommand({ FunctionName: "f1", Name: "live", FunctionVersion: "1" }));
    expect(alias.AliasArn).toBe("arn:aws:lambda:us-east-1:000000000000:function:f1:live");
    expect((await sim.lambda.send(new GetFunctionCommand({ FunctionName: "f1", Qualifier: "live" }))).Configuration!.Version).toBe("1");
    await sim.lambda.send(new TagResourceCommand({ Resource: created.FunctionArn, Tags: { b: "2" } }));
    expect((await sim.lambda.send(new ListTagsCommand({ Resource: created.FunctionArn }))).Tags).toEqual({ a: "1", b: "2" });
    await sim.lambda.send(new AddPermissionCommand({ FunctionName: "f1", StatementId: "s3", Action: "lambda:InvokeFunction", Principal: "s3.amazonaws.com" }));
    expect(JSON.parse((await sim.lambda.send(new GetPolicyCommand({ FunctionName: "f1" }))).Policy!).Statement[0].Sid).toBe("s3");
    await sim.lambda.send(new DeleteFunctionCommand({ FunctionName: "f2" }));
    await expectAwsError(sim.lambda.send(new GetFunctionCommand({ FunctionName: "f2" })), {
      name: "ResourceNotFoundException",
      status: 404,
      message: "Function not found: arn:aws:lambda:us-east-1:000000000000:function:f2",
    });
    await expectAwsError(
      sim.lambda.send(
        new CreateFunctionCommand({ FunctionName: "bad", Role: "nope", Runtime: "nodejs20.x", Handler: "a.b", Code: { ZipFile: zip({ "a.js": "" }) } }),
      ),
      { name: "ValidationException", status: 400 },
    );
    expect((await sim.lambda.send(new ListFunctionsCommand({}))).Functions).toHaveLength(4);
  });

  it("Invoke in fake mode runs nothing and answers null; DryRun 204; Event 202", async () => {
    const r = await sim.lambda.send(new InvokeCommand({ FunctionName: "f1", Payload: Buffer.from('{"a":1}') }));
    expect(r.StatusCode).toBe(200);
    expect(Buffer.from(r.Payload!).toString()).toBe("null");
    expect((await sim.lambda.send(new InvokeCommand({ FunctionName: "f1", InvocationType: "DryRun" }))).StatusCode).toBe(204);
    expect((await sim.lambda.send(new InvokeCommand({ FunctionName: "f1", InvocationType: "Event" }))).StatusCode).toBe(202);
  });
});

describe("Lambda Invoke in execute mode", () => {
  const sim = useServer({ execute: true }, (cfg) => ({ lambda: new LambdaClient(cfg), logs: new CloudWatchLogsClient(cfg) }));

  it("an Image function's command runs with its stdout as the response, and logs START/output/END/REPORT", async () => {
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "img",
        PackageType: "Image",
        Role: ROLE,
        Code: { ImageUri: "test:latest" },
        ImageConfig: { Command: ["echo", "hello from lambda"] },
      }),
    );
    const r = await sim.lambda.send(new InvokeCommand({ FunctionName: "img", LogType: "Tail" }));
    expect(Buffer.from(r.Payload!).toString()).toBe("hello from lambda\n");
    expect(r.FunctionError).toBeUndefined();
    expect(Buffer.from(r.LogResult!, "base64").toString()).toMatch(/^START RequestId: [0-9a-f-]+ Version: \$LATEST\n/);
    const ev = await sim.logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/img" }));
    const msgs = ev.events!.map((e) => e.message!);
    expect(msgs[0]).toMatch(/^START RequestId:/);
    expect(msgs[1]).toBe("hello from lambda\n");
    expect(msgs[2]).toMatch(/^END RequestId:/);
    expect(msgs[3]).toMatch(/^REPORT RequestId: .*Duration: [\d.]+ ms/);
  });

  it("a Node zip handler gets the event and returns JSON; errors are Unhandled; Timeout kills", async () => {
    const code = zip({
      "index.js":
        "exports.handler = async (event, context) => { console.log('got', event.n); return { doubled: event.n * 2, name: context.functionName, env: process.env.GREETING }; };",
    });
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "node",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: ROLE,
        Code: { ZipFile: code },
        Environment: { Variables: { GREETING: "hi" } },
      }),
    );
    const r = await sim.lambda.send(new InvokeCommand({ FunctionName: "node", Payload: Buffer.from(JSON.stringify({ n: 21 })) }));
    expect(JSON.parse(Buffer.from(r.Payload!).toString())).toEqual({ doubled: 42, name: "node", env: "hi" });
    const ev = await sim.logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/node", filterPattern: "got" }));
    expect(ev.events![0]!.message).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z\t[0-9a-f-]{36}\tINFO\tgot 21\n$/);

    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "boom",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: ROLE,
        Code: { ZipFile: zip({ "index.js": "exports.handler = async () => { throw new TypeError('bad input'); };" }) },
      }),
    );
    const e = await sim.lambda.send(new InvokeCommand({ FunctionName: "boom" }));
    expect(e.FunctionError).toBe("Unhandled");
    expect(JSON.parse(Buffer.from(e.Payload!).toString())).toMatchObject({ errorType: "TypeError", errorMessage: "bad input" });

    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "slow",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Timeout: 1,
        Role: ROLE,
        Code: { ZipFile: zip({ "index.js": "exports.handler = () => new Promise(() => setInterval(() => {}, 1000));" }) },
      }),
    );
    const t = await sim.lambda.send(new InvokeCommand({ FunctionName: "slow" }));
    expect(t.FunctionError).toBe("Unhandled");
    expect(JSON.parse(Buffer.from(t.Payload!).toString()).errorMessage).toMatch(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/);
  });
  it("a Python zip handler runs under python3 when python3 is installed", async () => {
    const { spawnSync } = await import("node:child_process");
    if (spawnSync("python3", ["--version"], { stdio: "ignore" }).status !== 0) return console.warn("skipping: python3 is not installed");
    const code = zip({ "app/main.py": "def handler(event, context):\n    return {'sum': event['a'] + event['b'], 'fn': context.function_name}\n" });
    await sim.lambda.send(
      new CreateFunctionCommand({ FunctionName: "py", Runtime: "python3.12", Handler: "app/main.handler", Role: ROLE, Code: { ZipFile: code } }),
    );
    const r = await sim.lambda.send(new InvokeCommand({ FunctionName: "py", Payload: Buffer.from(JSON.stringify({ a: 2, b: 3 })) }));
    expect(JSON.parse(Buffer.from(r.Payload!).toString())).toEqual({ sum: 5, fn: "py" });
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "pyerr",
        Runtime: "python3.12",
        Handler: "m.handler",
        Role: ROLE,
        Code: { ZipFile: zip({ "m.py": "def handler(e, c):\n    raise ValueError('nope')\n" }) },
      }),
    );
    const e = await sim.lambda.send(new InvokeCommand({ FunctionName: "pyerr" }));
    expect(e.FunctionError).toBe("Unhandled");
    expect(JSON.parse(Buffer.from(e.Payload!).toString())).toMatchObject({ errorType: "ValueError", errorMessage: "nope" });
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "pyset",
        Runtime: "python3.12",
        Handler: "m.handler",
        Role: ROLE,
        Code: { ZipFile: zip({ "m.py": "def handler(e, c):\n    return {1, 2}\n" }) },
      }),
    );
    const m = await sim.lambda.send(new InvokeCommand({ FunctionName: "pyset" }));
    expect(m.FunctionError).toBe("Unhandled");
    expect(JSON.parse(Buffer.from(m.Payload!).toString())).toMatchObject({
      errorType: "Runtime.MarshalError",
      errorMessage: "Unable to marshal response: Object of type set is not JSON serializable",
    });
  });
});
