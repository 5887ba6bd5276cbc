/**
 * Lambda's Node.js runtimes include the AWS SDK for JavaScript v3 (/var/runtime/node_modules on AWS): in
 * `--execute` mode a handler that does not bundle it still requires @aws-sdk/* and, with the AWS_ENDPOINT_URL
 * awsim gives functions, calls this server as the function's role.
 */
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";
import { createNodeFunction } from "./lambda-helpers.js";

const sim = useServer({ execute: true }, (cfg) => ({ lambda: new LambdaClient(cfg) }));

const CODE = `const { STSClient, GetCallerIdentityCommand } = require("@aws-sdk/client-sts");
exports.handler = async () => {
  const me = await new STSClient({}).send(new GetCallerIdentityCommand({}));
  return { account: me.Account, arn: me.Arn, paths: process.env.NODE_PATH.split(":").length };
};`;

describe("the SDK Lambda's Node.js runtimes provide", () => {
  it("an unbundled handler requires @aws-sdk/client-sts and calls awsim as its role", async () => {
    await createNodeFunction(sim.lambda, "sdk-in-runtime", CODE, { Timeout: 30 });
    const r = await sim.lambda.send(new InvokeCommand({ FunctionName: "sdk-in-runtime" }));
    const out = JSON.parse(Buffer.from(r.Payload!).toString());
    expect(r.FunctionError, JSON.stringify(out)).toBeUndefined();
    expect(out.account).toMatch(/^\d{12}$/);
    expect(out.arn).toContain("assumed-role/test-role/");
    expect(out.paths).toBe(4);
  }, 60_000);
});
