/**
 * Lambda compared with AWS's documented examples (the aws CLI's examples and botocore's examples-1.json):
 * the fields each answer carries, their defaults and formats, beyond the example's own data.
 */
import {
  CreateAliasCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  LambdaClient,
  ListProvisionedConcurrencyConfigsCommand,
  PublishVersionCommand,
  PutProvisionedConcurrencyConfigCommand,
} from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";
import { createNodeFunction } from "./lambda-helpers.js";

const CODE = "exports.handler = async () => 'ok';";

describe("Lambda as AWS's documented examples show it", () => {
  const sim = useServer({}, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  it("provisioned concurrency configs carry LastModified to the second (2019-12-31T20:28:49+0000)", async () => {
    await createNodeFunction(sim.lambda, "pc-fn", CODE);
    const v = await sim.lambda.send(new PublishVersionCommand({ FunctionName: "pc-fn" }));
    await sim.lambda.send(new CreateAliasCommand({ FunctionName: "pc-fn", Name: "BLUE", FunctionVersion: v.Version }));
    const put = await sim.lambda.send(
      new PutProvisionedConcurrencyConfigCommand({ FunctionName: "pc-fn", Qualifier: "BLUE", ProvisionedConcurrentExecutions: 10 }),
    );
    const seconds = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/;
    expect(put).toMatchObject({ RequestedProvisionedConcurrentExecutions: 10, AllocatedProvisionedConcurrentExecutions: 0, Status: "IN_PROGRESS" });
    expect(put.LastModified).toMatch(seconds);
    const got = await sim.lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: "pc-fn", Qualifier: "BLUE" }));
    expect(got).toMatchObject({
      RequestedProvisionedConcurrentExecutions: 10,
      AvailableProvisionedConcurrentExecutions: 10,
      AllocatedProvisionedConcurrentExecutions: 10,
      Status: "READY",
      LastModified: put.LastModified,
    });
    const list = await sim.lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: "pc-fn" }));
    expect(list.ProvisionedConcurrencyConfigs?.map((c) => [c.FunctionArn, c.LastModified])).toEqual([
      ["arn:aws:lambda:us-east-1:000000000000:function:pc-fn:BLUE", put.LastModified],
    ]);
    // A function's own LastModified keeps its milliseconds.
    const cfg = await sim.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "pc-fn" }));
    expect(cfg.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  });
});
