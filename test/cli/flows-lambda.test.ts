/** Lambda as the aws CLI drives it: invoke --payload with --log-type Tail, update-function-code then `aws lambda wait function-updated-v2`, publish-version, list-versions-by-function paginated. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { aws, hasAwsCli, hasBoto3, useServer } from "../helpers.js";
import { ROLE, zip } from "../sdk/lambda-helpers.js";

const dir = mkdtempSync(join(tmpdir(), "awsim-flows-lambda-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// aws CLI v1 sends --payload as given; v2 needs --cli-binary-format raw-in-base64-out for the same.
let cliV2: boolean | undefined;
const v2 = () => (cliV2 ??= /^aws-cli\/2/.test(execFileSync("aws", ["--version"], { encoding: "utf8" })));

function invokeArgs(fn: string, payload: string, out: string, extra: string[] = []) {
  return ["lambda", "invoke", "--function-name", fn, ...(v2() ? ["--cli-binary-format", "raw-in-base64-out"] : []), "--payload", payload, ...extra, out];
}

describe.skipIf(!hasAwsCli())("lambda flows (execute mode)", () => {
  const sim = useServer({ execute: true });

  it("invoke with --log-type Tail, update-function-code + wait function-updated-v2, publish-version, paginated versions", async () => {
    const code = (v: string) => {
      const f = join(dir, `fn-${v}.zip`);
      writeFileSync(f, zip({ "index.js": `exports.handler = async (e) => { console.log("event", JSON.stringify(e)); return { v: "${v}", got: e }; };` }));
      return `fileb://${f}`;
    };
    const c = await aws(sim.server, [
      "lambda",
      "create-function",
      "--function-name",
      "flows-fn",
      "--runtime",
      "nodejs20.x",
      "--handler",
      "index.handler",
      "--role",
      ROLE,
      "--zip-file",
      code("one"),
    ]);
    expect(c.code, c.stderr).toBe(0);
    expect((await aws(sim.server, ["lambda", "wait", "function-active-v2", "--function-name", "flows-fn"])).code).toBe(0);
    const out = join(dir, "out.json");
    const inv = await aws(sim.server, invokeArgs("flows-fn", '{"a":1}', out, ["--log-type", "Tail"]));
    expect(inv.code, inv.stderr).toBe(0);
    expect(inv.json).toMatchObject({ StatusCode: 200, ExecutedVersion: "$LATEST" });
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual({ v: "one", got: { a: 1 } });
    const tail = Buffer.from(inv.json.LogResult, "base64").toString("utf8");
    // A cold start's INIT_START goes to CloudWatch only: the tail opens with START, as recorded against AWS.
    expect(tail).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/);
    expect(tail).toMatch(/\tINFO\tevent \{"a":1\}\n/);
    expect(tail).toMatch(
      /\nEND RequestId: [0-9a-f-]{36}\nREPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB/,
    );

    const up = await aws(sim.server, ["lambda", "update-function-code", "--function-name", "flows-fn", "--zip-file", code("two")]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.json.LastUpdateStatus).toMatch(/^(InProgress|Successful)$/);
    const wait = await aws(sim.server, ["lambda", "wait", "function-updated-v2", "--function-name", "flows-fn"]);
    expect(wait.code, wait.stderr).toBe(0);
    expect((await aws(sim.server, ["lambda", "get-function-configuration", "--function-name", "flows-fn"])).json.LastUpdateStatus).toBe("Successful");
    await aws(sim.server, invokeArgs("flows-fn", '{"b":2}', out));
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual({ v: "two", got: { b: 2 } });

    for (const n of ["1", "2", "3"]) {
      const pub = await aws(sim.server, ["lambda", "publish-version", "--function-name", "flows-fn", "--description", `v${n}`]);
      expect(pub.json).toMatchObject({ Version: n, Description: `v${n}` });
      // Publishing again with nothing changed returns the same version.
      if (n === "1") expect((await aws(sim.server, ["lambda", "publish-version", "--function-name", "flows-fn"])).json.Version).toBe("1");
      await aws(sim.server, ["lambda", "update-function-configuration", "--function-name", "flows-fn", "--description", `after ${n}`]);
      expect((await aws(sim.server, ["lambda", "wait", "function-updated-v2", "--function-name", "flows-fn"])).code).toBe(0);
    }
    const versions: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = (
        await aws(sim.server, [
          "lambda",
          "list-versions-by-function",
          "--function-name",
          "flows-fn",
          "--max-items",
          "2",
          ...(token ? ["--starting-token", token] : []),
        ])
      ).json;
      versions.push(...page.Versions.map((v: { Version: string }) => v.Version));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(versions).toEqual(["$LATEST", "1", "2", "3"]);
    expect(pages).toBe(2);
    await aws(sim.server, invokeArgs("flows-fn", "{}", out, ["--qualifier", "1"]));
    expect(JSON.parse(readFileSync(out, "utf8")).v).toBe("two");
    const missing = await aws(sim.server, invokeArgs("flows-none", "{}", out));
    expect(missing.code).toBe(255);
    expect(missing.stderr.trim()).toBe(
      "An error occurred (ResourceNotFoundException) when calling the Invoke operation: Function not found: arn:aws:lambda:us-east-1:000000000000:function:flows-none:$LATEST",
    );
  });
});

describe.skipIf(!hasAwsCli() || !hasBoto3())("lambda flows: a Python function that raises (execute mode)", () => {
  const sim = useServer({ execute: true });

  it("invoke answers FunctionError Unhandled with AWS's Python error document, and the tail has the [ERROR] line", async () => {
    const f = join(dir, "py-err.zip");
    writeFileSync(
      f,
      zip({ "index.py": 'def handler(event, context):\n    print("about to fail")\n    raise ValueError("bad input " + str(event.get("x")))\n' }),
    );
    const c = await aws(sim.server, [
      "lambda",
      "create-function",
      "--function-name",
      "py-err",
      "--runtime",
      "python3.12",
      "--handler",
      "index.handler",
      "--role",
      ROLE,
      "--zip-file",
      `fileb://${f}`,
    ]);
    expect(c.code, c.stderr).toBe(0);
    const out = join(dir, "py-err.json");
    const inv = await aws(sim.server, invokeArgs("py-err", '{"x":1}', out, ["--log-type", "Tail"]));
    expect(inv.code, inv.stderr).toBe(0);
    expect(inv.json).toMatchObject({ StatusCode: 200, FunctionError: "Unhandled" });
    const doc = JSON.parse(readFileSync(out, "utf8"));
    expect(Object.keys(doc)).toEqual(["errorMessage", "errorType", "requestId", "stackTrace"]);
    expect([doc.errorMessage, doc.errorType]).toEqual(["bad input 1", "ValueError"]);
    expect(doc.requestId).toMatch(/^[0-9a-f-]{36}$/);
    // traceback.format_list of the handler's frames only, as AWS's runtime gives them.
    expect(doc.stackTrace).toHaveLength(1);
    expect(doc.stackTrace[0]).toMatch(/^ {2}File ".*index\.py", line 3, in handler\n {4}raise ValueError\("bad input " \+ str\(event\.get\("x"\)\)\)\n$/);
    const tail = Buffer.from(inv.json.LogResult, "base64").toString("utf8");
    expect(tail).toContain("\nabout to fail\n");
    expect(tail).toMatch(
      /\nLAMBDA_WARNING: Unhandled exception\. [^\n]*\r\[ERROR\] ValueError: bad input 1\nTraceback \(most recent call last\):\n\u00a0{2}File ".*index\.py", line 3, in handler\n\u00a0{4}raise ValueError/,
    );
    const bad = join(dir, "py-bad.zip");
    writeFileSync(bad, zip({ "index.py": "x = 1\n" }));
    await aws(sim.server, [
      "lambda",
      "create-function",
      "--function-name",
      "py-nomod",
      "--runtime",
      "python3.12",
      "--handler",
      "nomod.handler",
      "--role",
      ROLE,
      "--zip-file",
      `fileb://${bad}`,
    ]);
    const inv2 = await aws(sim.server, invokeArgs("py-nomod", "{}", out));
    expect(inv2.json.FunctionError).toBe("Unhandled");
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual({
      errorMessage: "Unable to import module 'nomod': No module named 'nomod'",
      errorType: "Runtime.ImportModuleError",
      requestId: "",
      stackTrace: [],
    });
  });
});

describe.skipIf(!hasAwsCli())("lambda flows (--transition-delay)", () => {
  // Long enough for the next aws command to start on a loaded machine before the update completes.
  const sim = useServer({ transitionDelayMs: 4000 });

  it("publish-version right after update-function-code is refused until `aws lambda wait function-updated-v2`", async () => {
    const f = join(dir, "td.zip");
    writeFileSync(f, zip({ "index.js": "exports.handler = async () => 1;" }));
    const c = await aws(sim.server, [
      "lambda",
      "create-function",
      "--function-name",
      "td-fn",
      "--runtime",
      "nodejs20.x",
      "--handler",
      "index.handler",
      "--role",
      ROLE,
      "--zip-file",
      `fileb://${f}`,
    ]);
    expect([c.json.State, c.json.LastUpdateStatus]).toEqual(["Pending", undefined]);
    expect((await aws(sim.server, ["lambda", "wait", "function-active-v2", "--function-name", "td-fn"])).code).toBe(0);
    const up = await aws(sim.server, ["lambda", "update-function-code", "--function-name", "td-fn", "--zip-file", `fileb://${f}`]);
    expect([up.json.State, up.json.LastUpdateStatus]).toEqual(["Active", "InProgress"]);
    const early = await aws(sim.server, ["lambda", "publish-version", "--function-name", "td-fn"]);
    expect(early.code).toBe(255);
    expect(early.stderr.trim()).toBe(
      "An error occurred (ResourceConflictException) when calling the PublishVersion operation: The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:000000000000:function:td-fn",
    );
    const t0 = Date.now();
    expect((await aws(sim.server, ["lambda", "wait", "function-updated-v2", "--function-name", "td-fn"])).code).toBe(0);
    expect(Date.now() - t0).toBeGreaterThan(300);
    const pub = await aws(sim.server, ["lambda", "publish-version", "--function-name", "td-fn"]);
    expect(pub.code, pub.stderr).toBe(0);
    expect(pub.json.Version).toBe("1");
    expect((await aws(sim.server, ["lambda", "wait", "published-version-active", "--function-name", "td-fn", "--qualifier", "1"])).code).toBe(0);
    // Fake mode runs nothing: the answer is null, and the tail still has START/END/REPORT.
    const out = join(dir, "fake.json");
    const inv = await aws(sim.server, invokeArgs("td-fn", '{"a":1}', out, ["--log-type", "Tail", "--qualifier", "1"]));
    expect(inv.json).toMatchObject({ StatusCode: 200, ExecutedVersion: "1" });
    expect(readFileSync(out, "utf8")).toBe("null");
    expect(Buffer.from(inv.json.LogResult, "base64").toString("utf8")).toMatch(
      /^START RequestId: \S+ Version: 1\nEND RequestId: \S+\nREPORT RequestId: \S+\tDuration: /,
    );
  });
});
