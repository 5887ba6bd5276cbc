/**
 * Validation from the model, through a real server and the real SDK: one violation per constraint kind,
 * answered with the error code and message form each service uses.
 */
import { CreateRepositoryCommand, ECRClient } from "@aws-sdk/client-ecr";
import { CloudWatchLogsClient, CreateLogGroupCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { EC2Client, TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { CreateRoleCommand, CreateUserCommand, IAMClient, ListRolesCommand, TagRoleCommand } from "@aws-sdk/client-iam";
import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));

const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

async function raw(path: string, headers: Record<string, string>, body: string) {
  const r = await fetch(sim.server.url + path, {
    method: "POST",
    headers: { authorization: "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/x/aws4_request", ...headers },
    body,
  });
  return { status: r.status, text: await r.text() };
}

describe("model validation", () => {
  it("length (IAM ValidationError, lowerCamel member path)", async () => {
    const name = "r".repeat(65);
    await expectAwsError(sim.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: TRUST })), {
      name: "ValidationError",
      status: 400,
      // IAM's messages name no value (recorded against AWS in 2026).
      message: "1 validation error detected: Value at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64",
    });
  });

  it("pattern, and several violations in one message", async () => {
    await expectAwsError(sim.iam.send(new CreateUserCommand({ UserName: "bad name!" })), {
      name: "ValidationError",
      status: 400,
      message: "1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    });
    const e = await expectAwsError(sim.iam.send(new CreateRoleCommand({ RoleName: "r".repeat(65), AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 10 })), {
      name: "ValidationError",
      status: 400,
    });
    expect(e.message).toMatch(
      /^2 validation errors detected: Value at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600; Value at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64$/,
    );
  });

  it("value range and list members (tags.N.member.key)", async () => {
    await expectAwsError(sim.iam.send(new ListRolesCommand({ MaxItems: 0 })), {
      name: "ValidationError",
      status: 400,
      message: "1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
    });
    await expectAwsError(sim.iam.send(new TagRoleCommand({ RoleName: "x", Tags: [{ Key: "k".repeat(129), Value: "v" }] })), {
      name: "ValidationError",
      status: 400,
      message: "1 validation error detected: Value at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128",
    });
  });

  it("required member and list size (Logs InvalidParameterException)", async () => {
    const logs = new CloudWatchLogsClient(clientConfig(sim.server));
    await expectAwsError(logs.send(new CreateLogGroupCommand({} as never)), {
      name: "InvalidParameterException",
      status: 400,
      message: "1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null",
    });
    await expectAwsError(logs.send(new PutLogEventsCommand({ logGroupName: "g", logStreamName: "s", logEvents: [] })), {
      name: "InvalidParameterException",
      status: 400,
      message: "1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1",
    });
  });

  it("enum (Lambda ValidationException)", async () => {
    const lambda = new LambdaClient(clientConfig(sim.server));
    const e = await expectAwsError(
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: "f",
          PackageType: "Tarball" as never,
          Role: "arn:aws:iam::000000000000:role/r",
          Handler: "h",
          Code: { ZipFile: new Uint8Array([1]) },
        }),
      ),
      { name: "ValidationException", status: 400 },
    );
    // (An unknown Runtime is Lambda's own InvalidParameterValueException: test/sdk/lambda-parity-config.test.ts.)
    expect(e.message).toBe(
      "1 validation error detected: Value 'Tarball' at 'packageType' failed to satisfy constraint: Member must satisfy enum value set: [Zip, Image]",
    );
  });

  it("ECR's own form", async () => {
    const ecr = new ECRClient(clientConfig(sim.server));
    const e = await expectAwsError(ecr.send(new CreateRepositoryCommand({ repositoryName: "Upper/Case" })), { name: "InvalidParameterException", status: 400 });
    expect(e.message).toMatch(/^Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '.+''$/);
  });

  it("EC2: a missing parameter is MissingParameter naming the wire parameter", async () => {
    const ec2 = new EC2Client(clientConfig(sim.server));
    await expectAwsError(ec2.send(new TerminateInstancesCommand({} as never)), {
      name: "MissingParameter",
      status: 400,
      message: "The request must contain the parameter InstanceId",
    });
  });

  it("types: a string where JSON declares an integer is a SerializationException; Query values that are not numbers are rejected", async () => {
    const r = await raw(
      "/",
      { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AmazonEC2ContainerServiceV20141113.ListClusters" },
      JSON.stringify({ maxResults: "ten" }),
    );
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toEqual({ __type: "SerializationException", message: "STRING_VALUE can not be converted to an Integer" });
    const q = await raw("/", { "content-type": "application/x-www-form-urlencoded" }, "Action=ListRoles&Version=2010-05-08&MaxItems=ten");
    expect(q.status).toBe(400);
    expect(q.text).toContain("<Code>ValidationError</Code>");
  });
});
