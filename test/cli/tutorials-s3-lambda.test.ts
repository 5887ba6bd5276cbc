/**
 * AWS's getting-started tutorials for S3 and Lambda (aws-samples/sample-developer-tutorials, the AWS docs' function URL
 * tutorial) replayed with the aws CLI: the values each script reads back with --query.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { aws, hasAwsCli, useServer } from "../helpers.js";
import { ROLE, zip } from "../sdk/lambda-helpers.js";

const dir = mkdtempSync(join(tmpdir(), "awsim-tutorials-s3-lambda-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
