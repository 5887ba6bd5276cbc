// Replays of cloud-custodian's tests (tests/test_efs.py, test_ecr.py, test_lambda.py, test_ecs.py, test_cwl.py),
// whose placebo recordings (tests/data/placebo/<test>/<service>.<Operation>_<n>.json) are real AWS answers.
import { CreateFileSystemCommand, DescribeFileSystemPolicyCommand, EFSClient, PutFileSystemPolicyCommand } from "@aws-sdk/client-efs";
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  ListVersionsByFunctionCommand,
  GetLayerVersionCommand,
  LambdaClient,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
} from "@aws-sdk/client-lambda";
import {
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { ROLE, zip } from "./lambda-helpers.js";

const sim = useServer({}, (cfg) => ({ efs: new EFSClient(cfg), lambda: new LambdaClient(cfg), ecs: new ECSClient(cfg) }));

describe("cloud-custodian EFS", () => {
  // test_efs.py test_enable_secure_transport_with_no_policy: the recorded PutFileSystemPolicy answer holds the
  // policy re-serialized by EFS ("{\n  \"Version\" : \"2012-10-17\",\n  \"Statement\" : [ {\n ..."), not the text sent.
  it("PutFileSystemPolicy and DescribeFileSystemPolicy answer the policy in EFS's layout", async () => {
    const { FileSystemId } = await sim.efs.send(new CreateFileSystemCommand({ CreationToken: "c7n-secure-transport" }));
    const policy = {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "efs-disable-unencrpted-traffic-statement",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: "*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    };
    const expected =
      '{\n  "Version" : "2012-10-17",\n  "Statement" : [ {\n    "Sid" : "efs-disable-unencrpted-traffic-statement",\n' +
      '    "Effect" : "Deny",\n    "Principal" : {\n      "AWS" : "*"\n    },\n    "Action" : "*",\n    "Condition" : {\n' +
      '      "Bool" : {\n        "aws:SecureTransport" : "false"\n      }\n    }\n  } ]\n}';
    const put = await sim.efs.send(new PutFileSystemPolicyCommand({ FileSystemId, Policy: JSON.stringify(policy) }));
    expect(put).toMatchObject({ FileSystemId, Policy: expected });
    const got = await sim.efs.send(new DescribeFileSystemPolicyCommand({ FileSystemId }));
    expect(got.Policy).toBe(expected);
    expect(JSON.parse(got.Policy!)).toEqual(policy);
  });
});

describe("cloud-custodian Lambda", () => {
  // test_lambda.py test_post_finding: c7n's post-finding parses GetFunction's Code.Location as AWS's S3 URL and reads
  // S3ObjectVersion from its versionId query parameter (parse_qs(...)['versionId']; recorded 'Nupr9wOmyG9eZbta8NGFUV9lslQ5NI7m').
  it("GetFunction's and GetLayerVersion's code locations carry the package's versionId and still download it", async () => {
    const v1 = zip({ "index.py": "def handler(event, context):\n    return 1\n" });
    const v2 = zip({ "index.py": "def handler(event, context):\n    return 2\n" });
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "custodian-ec2-ssm-query",
        Runtime: "python3.12",
        Handler: "index.handler",
        Role: ROLE,
        Code: { ZipFile: v1 },
      }),
    );
    const first = new URL((await sim.lambda.send(new GetFunctionCommand({ FunctionName: "custodian-ec2-ssm-query" }))).Code!.Location!);
    const id1 = first.searchParams.get("versionId");
    expect(id1).toMatch(/^[A-Za-z0-9._]{32}$/);
    expect(Buffer.from(await (await fetch(first)).arrayBuffer()).equals(v1)).toBe(true);
    // The same package answers the same versionId; new code is a new snapshot with another one.
    const again = new URL((await sim.lambda.send(new GetFunctionCommand({ FunctionName: "custodian-ec2-ssm-query" }))).Code!.Location!);
    expect(again.searchParams.get("versionId")).toBe(id1);
    await sim.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "custodian-ec2-ssm-query", ZipFile: v2 }));
    const second = new URL((await sim.lambda.send(new GetFunctionCommand({ FunctionName: "custodian-ec2-ssm-query" }))).Code!.Location!);
    expect(second.searchParams.get("versionId")).toMatch(/^[A-Za-z0-9._]{32}$/);
    expect(second.searchParams.get("versionId")).not.toBe(id1);
    expect(Buffer.from(await (await fetch(second)).arrayBuffer()).equals(v2)).toBe(true);

    const layer = await sim.lambda.send(new PublishLayerVersionCommand({ LayerName: "test", Content: { ZipFile: v1 } }));
    const got = await sim.lambda.send(new GetLayerVersionCommand({ LayerName: "test", VersionNumber: layer.Version }));
    const loc = new URL(got.Content!.Location!);
    expect(loc.searchParams.get("versionId")).toMatch(/^[A-Za-z0-9._]{32}$/);
    expect(Buffer.from(await (await fetch(loc)).arrayBuffer()).equals(v1)).toBe(true);
  });
});

describe("cloud-custodian Lambda trim-versions", () => {
  // c7n's trim-versions deletes each unaliased version by its qualified FunctionArn; an alias is never a DeleteFunction
  // qualifier: AWS refuses it with InvalidParameterValueException (LocalStack's AWS-validated DeleteFunction, floci#2824).
  it("deletes versions by qualified ARN, refuses an aliased version and any alias qualifier", async () => {
    const code = (n: number) => zip({ "index.py": `def handler(event, context):\n    return ${n}\n` });
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "trim",
        Runtime: "python3.12",
        Handler: "index.handler",
        Role: ROLE,
        Code: { ZipFile: code(0) },
        Publish: true,
      }),
    );
    await sim.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "trim", ZipFile: code(1) }));
    const v2 = await sim.lambda.send(new PublishVersionCommand({ FunctionName: "trim" }));
    await sim.lambda.send(new CreateAliasCommand({ FunctionName: "trim", Name: "live", FunctionVersion: "2" }));
    await sim.lambda.send(new DeleteFunctionCommand({ FunctionName: v2.FunctionArn!.replace(/:2$/, ":1") }));
    await expectAwsError(sim.lambda.send(new DeleteFunctionCommand({ FunctionName: v2.FunctionArn! })), {
      name: "ResourceConflictException",
      status: 409,
      message: "Unable to delete version because the following aliases reference it: [live]",
    });
    for (const req of [{ FunctionName: "trim", Qualifier: "live" }, { FunctionName: "trim:live" }, { FunctionName: "no-such-function", Qualifier: "live" }])
      await expectAwsError(sim.lambda.send(new DeleteFunctionCommand(req)), {
        name: "InvalidParameterValueException",
        status: 400,
        message: "Deletion of aliases is not currently supported.",
      });
    // A version number that does not exist is still a 204.
    await sim.lambda.send(new DeleteFunctionCommand({ FunctionName: "trim", Qualifier: "9" }));
    expect((await sim.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: "trim" }))).Versions!.map((v) => v.Version)).toEqual(["$LATEST", "2"]);
  });
});

describe("cloud-custodian ECS", () => {
  // test_ecs.py test_task_definition_delete / _delete_permanently and c7n's ecs-task-definition delete action, which
  // deregisters and ignores only ClientException 'The specified task definition does not exist.' (a revision already gone).
  it("task definition delete flow: deregister, list by status, delete, and AWS's text for a missing revision", async () => {
    for (let i = 0; i < 2; i++)
      await sim.ecs.send(
        new RegisterTaskDefinitionCommand({ family: "test-delete-definition", containerDefinitions: [{ name: "db", image: "postgres:latest", memory: 128 }] }),
      );
    const arn2 = (await sim.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "test-delete-definition:2" }))).taskDefinition!.taskDefinitionArn!;
    expect(arn2).toMatch(/:task-definition\/test-delete-definition:2$/);
    const list = async (status: "ACTIVE" | "INACTIVE" | "DELETE_IN_PROGRESS") =>
      (await sim.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: "test-delete-definition", status }))).taskDefinitionArns;
    expect(await list("ACTIVE")).toEqual([arn2.replace(/:2$/, ":1")]);
    expect(await list("INACTIVE")).toEqual([arn2]);
    const del = await sim.ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: [arn2] }));
    expect(del.taskDefinitions!.map((t) => t.status)).toEqual(["DELETE_IN_PROGRESS"]);
    expect(await list("DELETE_IN_PROGRESS")).toEqual([arn2]);
    await expectAwsError(sim.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "test-delete-definition:9" })), {
      name: "ClientException",
      status: 400,
      message: "The specified task definition does not exist.",
    });
  });
});
