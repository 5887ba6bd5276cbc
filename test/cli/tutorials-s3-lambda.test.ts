/**
 * AWS's getting-started tutorials for S3 and Lambda (aws-samples/sample-developer-tutorials, the AWS docs' function URL
 * tutorial, the custom runtime tutorial, the S3 static website tutorial) replayed with the aws CLI: the values each
 * script reads back with --query, and what the site's visitor gets.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
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

/** A GET on the bucket's website endpoint (Host <bucket>.s3-website-us-east-1.amazonaws.com), as a browser sends it: unsigned. */
function website(url: string, bucket: string, path: string): Promise<{ status: number; type: string; body: string; location?: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path, headers: { host: `${bucket}.s3-website-us-east-1.amazonaws.com` } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body, location: res.headers.location }));
    });
    req.on("error", reject);
    req.end();
  });
}

// The S3 user guide's static website tutorial under --enforce-iam: the site is private until the bucket policy grants
// everyone s3:GetObject; a missing page is 403 (the error document, with that status) until the policy grants
// s3:ListBucket too, then 404.
describe.skipIf(!hasAwsCli())("tutorials: S3 static website (--enforce-iam)", () => {
  const sim = useServer({ enforceIam: true });
  const cli = async (args: string[]) => {
    const r = await aws(sim.server, args);
    expect(r.code, `${args.slice(0, 2).join(" ")}: ${r.stderr}`).toBe(0);
    return r.json;
  };

  it("private, then public for GetObject, then 404 for a missing page once the policy grants s3:ListBucket", async () => {
    const b = "tutorial-website-bucket";
    const index = join(dir, "index.html");
    const error = join(dir, "error.html");
    writeFileSync(index, "<html><body>Hello</body></html>");
    writeFileSync(error, "<html><body>Oops</body></html>");
    await cli(["s3", "mb", `s3://${b}`]);
    await cli(["s3", "website", `s3://${b}/`, "--index-document", "index.html", "--error-document", "error.html"]);
    await cli(["s3", "cp", index, `s3://${b}/index.html`]);
    await cli(["s3", "cp", error, `s3://${b}/error.html`]);

    const before = await website(sim.server.url, b, "/");
    expect(before.status).toBe(403);
    expect(before.type).toMatch(/^text\/html/);
    expect(before.body).toContain("<h1>403 Forbidden</h1>");
    expect(before.body).toContain("<li>Code: AccessDenied</li>");
    // The error document is private too.
    expect(before.body).toMatch(/Custom Error Document<\/h3>\n<ul>\n<li>Code: AccessDenied<\/li>/);

    const statement = (action: string, resource: string) => ({ Effect: "Allow", Principal: "*", Action: action, Resource: resource });
    const policy = (...st: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: st });
    await cli(["s3api", "put-bucket-policy", "--bucket", b, "--policy", policy(statement("s3:GetObject", `arn:aws:s3:::${b}/*`))]);
    const page = await website(sim.server.url, b, "/");
    expect(page).toMatchObject({ status: 200, body: "<html><body>Hello</body></html>" });
    const missing = await website(sim.server.url, b, "/nope.html");
    expect(missing).toMatchObject({ status: 403, body: "<html><body>Oops</body></html>" });
    // The REST endpoint answers an anonymous GetObject of a missing key the same way.
    expect((await fetch(`${sim.server.url}/${b}/nope.html`)).status).toBe(403);

    await cli([
      "s3api",
      "put-bucket-policy",
      "--bucket",
      b,
      "--policy",
      policy(statement("s3:GetObject", `arn:aws:s3:::${b}/*`), statement("s3:ListBucket", `arn:aws:s3:::${b}`)),
    ]);
    expect(await website(sim.server.url, b, "/nope.html")).toMatchObject({ status: 404, body: "<html><body>Oops</body></html>" });
    expect((await fetch(`${sim.server.url}/${b}/nope.html`)).status).toBe(404);
    // The owner still reads its own objects through the API.
    expect((await aws(sim.server, ["s3api", "head-object", "--bucket", b, "--key", "index.html"])).json.ContentLength).toBe(31);
  });
});
