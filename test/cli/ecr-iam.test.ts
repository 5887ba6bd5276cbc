/** The seed's ECR walkthrough and an IAM round trip with the real aws CLI. */
import { describe, expect, it } from "vitest";
import { aws, hasAwsCli, useServer } from "../helpers.js";

describe.skipIf(!hasAwsCli())("aws ecr / aws iam / aws servicediscovery", () => {
  const sim = useServer();

  it("ecr create-repository, describe-repositories, get-authorization-token", async () => {
    const c = await aws(sim.server, ["ecr", "create-repository", "--repository-name", "my-app"]);
    expect(c.json.repository.repositoryName).toBe("my-app");
    const d = await aws(sim.server, ["ecr", "describe-repositories", "--repository-names", "my-app"]);
    expect(d.json.repositories[0].repositoryName).toBe("my-app");
    const t = await aws(sim.server, ["ecr", "get-authorization-token"]);
    expect(Buffer.from(t.json.authorizationData[0].authorizationToken, "base64").toString()).toMatch(/^AWS:/);
  });

  it("iam create-role, attach a managed policy, list, and the NoSuchEntity error", async () => {
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    const r = await aws(sim.server, ["iam", "create-role", "--role-name", "fn", "--assume-role-policy-document", trust]);
    expect(r.json.Role.Arn).toBe("arn:aws:iam::000000000000:role/fn");
    await aws(sim.server, [
      "iam",
      "attach-role-policy",
      "--role-name",
      "fn",
      "--policy-arn",
      "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    ]);
    const a = await aws(sim.server, ["iam", "list-attached-role-policies", "--role-name", "fn"]);
    expect(a.json.AttachedPolicies[0].PolicyName).toBe("AWSLambdaBasicExecutionRole");
    const g = await aws(sim.server, ["iam", "get-role", "--role-name", "fn"]);
    expect(g.json.Role.AssumeRolePolicyDocument.Statement[0].Action).toBe("sts:AssumeRole");
    const missing = await aws(sim.server, ["iam", "get-role", "--role-name", "nope"]);
    expect(missing.stderr).toContain("NoSuchEntity");
  });

  it("servicediscovery create-http-namespace and get-operation", async () => {
    const op = await aws(sim.server, ["servicediscovery", "create-http-namespace", "--name", "cli-ns"]);
    const got = await aws(sim.server, ["servicediscovery", "get-operation", "--operation-id", op.json.OperationId]);
    expect(got.json.Operation.Status).toBe("SUCCESS");
  });
});
