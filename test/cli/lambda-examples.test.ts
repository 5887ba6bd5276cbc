/** The aws CLI's own Lambda examples (awscli/examples/lambda/*.rst), run as documented against awsim. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { aws, hasAwsCli, useServer } from "../helpers.js";
import { zip } from "../sdk/lambda-helpers.js";

describe.skipIf(!hasAwsCli())("aws lambda, as its documented examples run", () => {
  const dir = mkdtempSync(join(tmpdir(), "awsim-cli-lambda-examples-"));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const sim = useServer();
  const lambda = async (...args: string[]) => {
    const r = await aws(sim.server, ["lambda", ...args]);
    expect(r.code, r.stderr).toBe(0);
    return r.json;
  };

  it("create-function, publish-version, create-alias, put/get/list-provisioned-concurrency-config(s), delete-function by ARN and partial ARN", async () => {
    const file = join(dir, "my-function.zip");
    writeFileSync(file, zip({ "my-function.js": "exports.handler = async () => 'ok';" }));
    const role = "arn:aws:iam::123456789012:role/service-role/MyTestFunction-role-tges6bf4";
    const created = await lambda(
      "create-function",
      "--function-name",
      "my-function",
      "--runtime",
      "nodejs22.x",
      "--zip-file",
      `fileb://${file}`,
      "--handler",
      "my-function.handler",
      "--role",
      role,
    );
    expect(created).toMatchObject({
      TracingConfig: { Mode: "PassThrough" },
      FunctionName: "my-function",
      MemorySize: 128,
      FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:my-function",
      Version: "$LATEST",
      Role: role,
      Timeout: 3,
      Handler: "my-function.handler",
      Runtime: "nodejs22.x",
      Description: "",
    });
    expect(await lambda("publish-version", "--function-name", "my-function")).toMatchObject({
      Version: "1",
      FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:my-function:1",
    });
    await lambda("create-alias", "--function-name", "my-function", "--name", "BLUE", "--function-version", "1");
    const put = await lambda(
      "put-provisioned-concurrency-config",
      "--function-name",
      "my-function",
      "--qualifier",
      "BLUE",
      "--provisioned-concurrent-executions",
      "100",
    );
    expect(put).toMatchObject({ RequestedProvisionedConcurrentExecutions: 100, AllocatedProvisionedConcurrentExecutions: 0, Status: "IN_PROGRESS" });
    // "LastModified": "2019-12-31T20:28:49+0000": to the second.
    expect(put.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    expect(await lambda("get-provisioned-concurrency-config", "--function-name", "my-function", "--qualifier", "BLUE")).toEqual({
      RequestedProvisionedConcurrentExecutions: 100,
      AvailableProvisionedConcurrentExecutions: 100,
      AllocatedProvisionedConcurrentExecutions: 100,
      Status: "READY",
      LastModified: put.LastModified,
    });
    expect(await lambda("list-provisioned-concurrency-configs", "--function-name", "my-function")).toEqual({
      ProvisionedConcurrencyConfigs: [
        {
          FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:my-function:BLUE",
          RequestedProvisionedConcurrentExecutions: 100,
          AvailableProvisionedConcurrentExecutions: 100,
          AllocatedProvisionedConcurrentExecutions: 100,
          Status: "READY",
          LastModified: put.LastModified,
        },
      ],
    });
    // delete-function by ARN and by partial ARN: the current model gives the CLI a StatusCode to print (204).
    await lambda(
      "create-function",
      "--function-name",
      "other",
      "--runtime",
      "nodejs22.x",
      "--zip-file",
      `fileb://${file}`,
      "--handler",
      "x.handler",
      "--role",
      role,
    );
    expect(await lambda("delete-function", "--function-name", "arn:aws:lambda:us-east-1:000000000000:function:my-function")).toEqual({ StatusCode: 204 });
    expect(await lambda("delete-function", "--function-name", "000000000000:function:other")).toEqual({ StatusCode: 204 });
    expect(await lambda("list-functions")).toEqual({ Functions: [] });
  });
});
