/**
 * A SigV4 Authorization header with a part that is no key=value pair (an access key with a space in it) is refused
 * outside S3 with IncompleteSignature, AWS's message quoting the part and the header (boto3#2280, aws-sdk-go#289,
 * aws-cli#4385; Hadoop S3A's ITestAssumeRole.testAssumeRoleBadInnerAuth expects it of STS). S3 keeps its own
 * AuthorizationHeaderMalformed.
 */
import { DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { ECSClient, ListClustersCommand } from "@aws-sdk/client-ecs";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsimServer } from "../../src/index.js";
import { clientConfig, expectAwsError, startServer } from "../helpers.js";

let server: AwsimServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

const spaced = () => ({ ...clientConfig(server), credentials: { accessKeyId: "not valid", secretAccessKey: "not secret" } });
const message = (svc: string) =>
  new RegExp(
    `^'valid/\\d{8}/us-east-1/${svc}/aws4_request' not a valid key=value pair \\(missing equal-sign\\) in Authorization header: 'AWS4-HMAC-SHA256 Credential=not valid/\\d{8}/us-east-1/${svc}/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}'\\.$`,
  );

describe("a SigV4 header part without '='", () => {
  it("STS (Query): IncompleteSignature 400", async () => {
    await expectAwsError(new STSClient(spaced()).send(new GetCallerIdentityCommand({})), { name: "IncompleteSignature", status: 400, message: message("sts") });
  });
  it("EC2: IncompleteSignature 400", async () => {
    await expectAwsError(new EC2Client(spaced()).send(new DescribeVpcsCommand({})), { name: "IncompleteSignature", status: 400, message: message("ec2") });
  });
  it("ECS (JSON): IncompleteSignatureException 400", async () => {
    await expectAwsError(new ECSClient(spaced()).send(new ListClustersCommand({})), {
      name: "IncompleteSignatureException",
      status: 400,
      message: message("ecs"),
    });
  });
  it("Lambda (REST-JSON): IncompleteSignatureException 400", async () => {
    await expectAwsError(new LambdaClient(spaced()).send(new ListFunctionsCommand({})), {
      name: "IncompleteSignatureException",
      status: 400,
      message: message("lambda"),
    });
  });
  it("a well-formed header is untouched", async () => {
    const out = await new STSClient(clientConfig(server)).send(new GetCallerIdentityCommand({}));
    expect(out.Account).toMatch(/^\d{12}$/);
  });
});
