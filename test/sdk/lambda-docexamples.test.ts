/**
 * Lambda as AWS's own code examples drive it (awsdocs/aws-doc-sdk-examples): the JavaScript v3 "basic" scenario and
 * its integration test (javascriptv3/example_code/lambda) and the Python "getting started with functions" scenario
 * (python/example_code/lambda/scenario_getting_started_functions.py; gov2/lambda runs the same steps). Each test
 * replays the example's calls in execute mode with handlers written for the test, and asserts what the example reads.
 */
import { CreateRoleCommand, IAMClient, waitUntilRoleExists } from "@aws-sdk/client-iam";
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  paginateListFunctions,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActive,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdated,
} from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { zip } from "./lambda-helpers.js";

const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

const decode = (p: Uint8Array | undefined) => Buffer.from(p ?? []).toString();
const logs = (b64: string | undefined) => Buffer.from(b64 ?? "", "base64").toString();

describe("AWS's Lambda code examples in execute mode", () => {
  const t = useServer({ execute: true }, (cfg) => ({ lambda: new LambdaClient(cfg), iam: new IAMClient(cfg) }));
  const waiter = () => ({ client: t.lambda, maxWaitTime: 60, minDelay: 1, maxDelay: 1 });

  it("javascriptv3 basic scenario: an ES-module nodejs16.x arm64 function, Tail logs, code and configuration updates", async () => {
    const { lambda, iam } = t;
    const role = (await iam.send(new CreateRoleCommand({ RoleName: "lambda-scenarios-basic", AssumeRolePolicyDocument: TRUST }))).Role!;
    expect((await waitUntilRoleExists({ client: iam, maxWaitTime: 60 }, { RoleName: role.RoleName })).state).toBe("SUCCESS");
    const pkg = { "package.json": JSON.stringify({ name: "functions", type: "module", main: "index.js" }) };
    // func-math: the handler increments the first element of its input.
    await lambda.send(
      new CreateFunctionCommand({
        Code: { ZipFile: zip({ ...pkg, "index.js": "export const handler = async (input) => Number(input[0]) + 1;\n" }) },
        FunctionName: "func-math",
        Role: role.Arn,
        Architectures: ["arm64"],
        Handler: "index.handler",
        PackageType: "Zip",
        Runtime: "nodejs16.x",
      }),
    );
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: "func-math" }))).Configuration!.FunctionName).toBe("func-math");
    expect((await waitUntilFunctionActive(waiter(), { FunctionName: "func-math" })).state).toBe("SUCCESS");
    await lambda.send(new UpdateFunctionConfigurationCommand({ Environment: { Variables: { LOG_LEVEL: "0" } }, FunctionName: "func-math" }));

    const first = await lambda.send(new InvokeCommand({ FunctionName: "func-math", Payload: JSON.stringify("1"), LogType: "Tail" }));
    expect(decode(first.Payload)).toBe("2");
    expect(logs(first.LogResult)).toMatch(/^START RequestId: \S+ Version: \$LATEST\n[\s\S]*END RequestId: [\s\S]*REPORT RequestId: /);

    const names: string[] = [];
    for await (const page of paginateListFunctions({ client: lambda }, {})) names.push(...page.Functions!.map((f) => f.FunctionName!));
    expect(names).toContain("func-math");

    // func-update: a calculator that logs at LOG_LEVEL 0 and throws on bad input.
    const calculator = [
      "const ops = { add: (a, b) => a + b, subtract: (a, b) => a - b };",
      "export const handler = async (input) => {",
      "  if (!Array.isArray(input) || input.length !== 3 || !(input[0] in ops)) throw new Error(`Invalid arguments. Got: ${JSON.stringify(input)}`);",
      "  if (Number(process.env.LOG_LEVEL) <= 1) console.log(`Performing ${input[0]} operation on ${input[1]} and ${input[2]}`);",
      "  return ops[input[0]](Number(input[1]), Number(input[2]));",
      "};",
    ].join("\n");
    await lambda.send(
      new UpdateFunctionCodeCommand({
        ZipFile: zip({ ...pkg, "index.js": calculator }),
        FunctionName: "func-math",
        Architectures: ["arm64"],
      }),
    );
    expect((await waitUntilFunctionUpdated(waiter(), { FunctionName: "func-math" })).state).toBe("SUCCESS");
    const add = await lambda.send(new InvokeCommand({ FunctionName: "func-math", Payload: JSON.stringify(["add", "1", "1"]), LogType: "Tail" }));
    expect(decode(add.Payload)).toBe("2");
    expect(logs(add.LogResult)).toMatch(/\tINFO\tPerforming add operation on 1 and 1\n/);
    const bad = await lambda.send(new InvokeCommand({ FunctionName: "func-math", Payload: JSON.stringify(["nope"]), LogType: "Tail" }));
    expect(bad.FunctionError).toBe("Unhandled");
    expect(JSON.parse(decode(bad.Payload))).toMatchObject({ errorType: "Error", errorMessage: 'Invalid arguments. Got: ["nope"]' });

    await lambda.send(new DeleteFunctionCommand({ FunctionName: "func-math" }));
    await expectAwsError(lambda.send(new GetFunctionCommand({ FunctionName: "func-math" })), { name: "ResourceNotFoundException", status: 404 });
  });

  it("python getting-started scenario: Publish, function_active_v2, root-logger records in LogResult at LOG_LEVEL", async () => {
    const { lambda, iam } = t;
    const name = "doc_example_lambda_calculator";
    const role = (await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: TRUST }))).Role!;
    const basic = [
      "import logging",
      "logger = logging.getLogger()",
      "logger.setLevel(logging.INFO)",
      "def lambda_handler(event, context):",
      "    logger.info('Event: %s', event)",
      "    return {'result': event['number'] + 1}",
    ].join("\n");
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Description: "AWS Lambda doc example",
        Runtime: "python3.12",
        Role: role.Arn,
        Handler: `${name}.lambda_handler`,
        Code: { ZipFile: zip({ [`${name}.py`]: basic }) },
        Publish: true,
      }),
    );
    expect(created.Version).toBe("1");
    expect((await waitUntilFunctionActiveV2(waiter(), { FunctionName: name })).state).toBe("SUCCESS");
    const inc = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify({ action: "increment", number: 5 }) }));
    expect(JSON.parse(decode(inc.Payload))).toEqual({ result: 6 });
    expect(inc.LogResult).toBeUndefined();

    const calculator = [
      "import logging, os",
      "logger = logging.getLogger()",
      "def lambda_handler(event, context):",
      "    logger.setLevel(os.environ.get('LOG_LEVEL', logging.INFO))",
      "    logger.debug('Event: %s', event)",
      "    x, y = event.get('x'), event.get('y')",
      "    try:",
      "        result = x / y",
      "        logger.info('%s divided-by %s is %s', x, y, result)",
      "    except ZeroDivisionError:",
      "        result = None",
      '        logger.warning("I can\'t divide %s by 0!", x)',
      "    return {'result': result}",
    ].join("\n");
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zip({ [`${name}.py`]: calculator }) }));
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.LastUpdateStatus).toBe("Successful");
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: { LOG_LEVEL: "DEBUG" } } }));
    const div = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify({ action: "divided-by", x: 3, y: 0 }), LogType: "Tail" }));
    expect(JSON.parse(decode(div.Payload))).toEqual({ result: null });
    const tail = logs(div.LogResult);
    expect(tail).toMatch(/\[DEBUG\]\t\S+Z\t\S+\tEvent: \{'action': 'divided-by', 'x': 3, 'y': 0\}\n/);
    expect(tail).toMatch(/\[WARNING\]\t\S+Z\t\S+\tI can't divide 3 by 0!\n/);

    const listed: Array<{ FunctionName?: string; Description?: string; Runtime?: string; Handler?: string }> = [];
    for await (const page of paginateListFunctions({ client: lambda }, {})) listed.push(...page.Functions!);
    expect(listed.find((f) => f.FunctionName === name)).toMatchObject({
      Description: "AWS Lambda doc example",
      Runtime: "python3.12",
      Handler: `${name}.lambda_handler`,
    });
  });
});
