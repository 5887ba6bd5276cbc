/** The seed's ECR walkthrough and an IAM round trip with the real aws CLI. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aws, hasAwsCli, startServer, type AwsimServer } from "../helpers.js";

describe.skipIf(!hasAwsCli())("aws ecr / aws iam / aws servicediscovery", () => {
  let server: AwsimServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.stop());

  it("ecr create-repository, describe-repositories, get-authorization-token", async () => {
    const c = await aws(server, ["ecr", "create-repository", "--repository-name", "my-app"]);
    expect(c.json.repository.repositoryName).toBe("my-app");
    const d = await aws(server, ["ecr", "describe-repositories", "--repository-names", "my-app"]);
    expect(d.json.repositories[0].repositoryName).toBe("my-app");
    const t = await aws(server, ["ecr", "get-authorization-token"]);
    expect(Buffer.from(t.json.authorizationData[0].authorizationToken, "base64").toString()).toMatch(/^AWS:/);
  });

  it("iam create-role, attach a managed policy, list, and the NoSuchEntity error", async () => {
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    const r = await aws(server, ["iam", "create-role", "--role-name", "fn", "--assume-role-policy-document", trust]);
    expect(r.json.Role.Arn).toBe("arn:aws:iam::000000000000:role/fn");
    await aws(server, ["iam", "attach-role-policy", "--role-name", "fn", "--policy-arn", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]);
    const a = await aws(server, ["iam", "list-attached-role-policies", "--role-name", "fn"]);
    expect(a.json.AttachedPolicies[0].PolicyName).toBe("AWSLambdaBasicExecutionRole");
    const g = await aws(server, ["iam", "get-role", "--role-name", "fn"]);
    expect(g.json.Role.AssumeRolePolicyDocument.Statement[0].Action).toBe("sts:AssumeRole");
    const missing = await aws(server, ["iam", "get-role", "--role-name", "nope"]);
    expect(missing.stderr).toContain("NoSuchEntity");
  });

  it("servicediscovery create-http-namespace and get-operation", async () => {
    const op = await aws(server, ["servicediscovery", "create-http-namespace", "--name", "cli-ns"]);
    const got = await aws(server, ["servicediscovery", "get-operation", "--operation-id", op.json.OperationId]);
    expect(got.json.Operation.Status).toBe("SUCCESS");
  });
});
