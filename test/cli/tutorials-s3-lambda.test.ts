/**
 * AWS's getting-started tutorials for S3 and Lambda (aws-samples/sample-developer-tutorials, the AWS docs' function URL
 * tutorial, the custom runtime tutorial) replayed with the aws CLI: the values each script reads back with --query.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { aws, hasAwsCli, useServer } from "../helpers.js";
import { ROLE, zip } from "../sdk/lambda-helpers.js";

const dir = mkdtempSync(join(tmpdir(), "awsim-tutorials-s3-lambda-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hasCurl = () => {
  try {
    execFileSync("curl", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(!hasAwsCli())("tutorials: S3 and Lambda", () => {
  const sim = useServer();
  const cli = async (args: string[]) => {
    const r = await aws(sim.server, args);
    expect(r.code, `${args.slice(0, 2).join(" ")}: ${r.stderr}`).toBe(0);
    return r.json;
  };

  it("function URL tutorial: add-permission --invoked-via-function-url grants lambda:InvokeFunction only through the URL", async () => {
    const code = join(dir, "url.zip");
    writeFileSync(code, zip({ "index.mjs": "export const handler = async () => ({ statusCode: 200, body: 'ok' });" }));
    await cli([
      "lambda",
      "create-function",
      "--function-name",
      "url-tut",
      "--runtime",
      "nodejs22.x",
      "--handler",
      "index.handler",
      "--role",
      ROLE,
      "--zip-file",
      `fileb://${code}`,
    ]);
    const url = await cli(["lambda", "create-function-url-config", "--function-name", "url-tut", "--auth-type", "NONE"]);
    expect(url.AuthType).toBe("NONE");
    const a = await cli([
      "lambda",
      "add-permission",
      "--function-name",
      "url-tut",
      "--statement-id",
      "FunctionURLAllowPublicAccess",
      "--action",
      "lambda:InvokeFunctionUrl",
      "--principal",
      "*",
      "--function-url-auth-type",
      "NONE",
    ]);
    expect(JSON.parse(a.Statement).Condition).toEqual({ StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } });
    const b = await cli([
      "lambda",
      "add-permission",
      "--function-name",
      "url-tut",
      "--statement-id",
      "FunctionURLInvokeAllowPublicAccess",
      "--action",
      "lambda:InvokeFunction",
      "--principal",
      "*",
      "--invoked-via-function-url",
    ]);
    const stmt = JSON.parse(b.Statement);
    expect(stmt).toEqual({
      Sid: "FunctionURLInvokeAllowPublicAccess",
      Effect: "Allow",
      Principal: "*",
      Action: "lambda:InvokeFunction",
      Resource: "arn:aws:lambda:us-east-1:000000000000:function:url-tut",
      Condition: { Bool: { "lambda:InvokedViaFunctionUrl": "true" } },
    });
    const policy = JSON.parse((await cli(["lambda", "get-policy", "--function-name", "url-tut"])).Policy);
    expect(policy.Statement.map((s: { Sid: string; Condition: unknown }) => [s.Sid, Object.keys(s.Condition as object)])).toEqual([
      ["FunctionURLAllowPublicAccess", ["StringEquals"]],
      ["FunctionURLInvokeAllowPublicAccess", ["Bool"]],
    ]);
    // --no-invoked-via-function-url (false) adds no condition.
    const c = await cli([
      "lambda",
      "add-permission",
      "--function-name",
      "url-tut",
      "--statement-id",
      "plain",
      "--action",
      "lambda:InvokeFunction",
      "--principal",
      "123456789012",
      "--no-invoked-via-function-url",
    ]);
    expect(JSON.parse(c.Statement).Condition).toBeUndefined();
  });
});

// The Lambda developer guide's "Building a custom runtime" tutorial: a bash bootstrap that uses bash under #!/bin/sh
// (set -euo pipefail, source, function f ()), as /bin/sh is bash on Amazon Linux; first in the function's package,
// then moved to a layer.
const BOOTSTRAP = `#!/bin/sh
set -euo pipefail
source $LAMBDA_TASK_ROOT/"$(echo $_HANDLER | cut -d. -f1).sh"
while true
do
  HEADERS="$(mktemp)"
  EVENT_DATA=$(curl -sS -LD "$HEADERS" "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")
  REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  RESPONSE=$($(echo "$_HANDLER" | cut -d. -f2) "$EVENT_DATA")
  curl -sS "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response" -d "$RESPONSE"
done
`;
const FUNCTION_SH = `function handler () {
  EVENT_DATA=$1
  echo "$EVENT_DATA" 1>&2;
  RESPONSE="Echoing request: '$EVENT_DATA'"
  echo $RESPONSE
}
`;

describe.skipIf(!hasAwsCli() || !hasCurl())("tutorials: Lambda custom runtime (execute mode)", () => {
  const sim = useServer({ execute: true });
  const cli = async (args: string[]) => {
    const r = await aws(sim.server, args);
    expect(r.code, `${args.slice(0, 2).join(" ")}: ${r.stderr}`).toBe(0);
    return r.json;
  };
  const invoke = async () => {
    const out = join(dir, "response.txt");
    const r = await cli(["lambda", "invoke", "--function-name", "bash-runtime", "--payload", '{"text":"Hello"}', "--log-type", "Tail", out]);
    return { r, body: readFileSync(out, "utf8"), tail: Buffer.from(r.LogResult ?? "", "base64").toString("utf8") };
  };

  it("a #!/bin/sh bash bootstrap answers, in the function's package and then from a layer", async () => {
    const file = (name: string, files: Record<string, string>) => {
      const f = join(dir, name);
      writeFileSync(f, zip(files));
      return `fileb://${f}`;
    };
    await cli([
      "lambda",
      "create-function",
      "--function-name",
      "bash-runtime",
      "--zip-file",
      file("function.zip", { bootstrap: BOOTSTRAP, "function.sh": FUNCTION_SH }),
      "--handler",
      "function.handler",
      "--runtime",
      "provided.al2023",
      "--role",
      ROLE,
    ]);
    await cli(["lambda", "wait", "function-active-v2", "--function-name", "bash-runtime"]);
    const one = await invoke();
    expect(one.r.FunctionError, one.body).toBeUndefined();
    expect(one.r.StatusCode).toBe(200);
    expect(one.body).toBe(`Echoing request: '{"text":"Hello"}'`);
    expect(one.tail).toContain('\n{"text":"Hello"}\n');

    const layer = await cli(["lambda", "publish-layer-version", "--layer-name", "bash-runtime", "--zip-file", file("runtime.zip", { bootstrap: BOOTSTRAP })]);
    await cli(["lambda", "update-function-configuration", "--function-name", "bash-runtime", "--layers", layer.LayerVersionArn]);
    await cli(["lambda", "wait", "function-updated-v2", "--function-name", "bash-runtime"]);
    await cli(["lambda", "update-function-code", "--function-name", "bash-runtime", "--zip-file", file("function-only.zip", { "function.sh": FUNCTION_SH })]);
    await cli(["lambda", "wait", "function-updated-v2", "--function-name", "bash-runtime"]);
    const two = await invoke();
    expect(two.r.FunctionError, two.body).toBeUndefined();
    expect(two.body).toBe(`Echoing request: '{"text":"Hello"}'`);
  });
});
