/** IAM / STS as users drive them with the aws CLI: login profiles, assume-role then calling with the returned credentials, the policy simulator, the credential report. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { aws, hasAwsCli, useServer } from "../helpers.js";

describe.skipIf(!hasAwsCli())("IAM / STS CLI flows", () => {
  const sim = useServer();

  it("create-login-profile, and again: EntityAlreadyExists", async () => {
    await aws(sim.server, ["iam", "create-user", "--user-name", "flows-user"]);
    const lp = await aws(sim.server, ["iam", "create-login-profile", "--user-name", "flows-user", "--password", "Pa55word!xyz", "--password-reset-required"]);
    expect(lp.code, lp.stderr).toBe(0);
    expect(lp.json.LoginProfile).toMatchObject({ UserName: "flows-user", PasswordResetRequired: true });
    expect(lp.json.LoginProfile.CreateDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    const again = await aws(sim.server, ["iam", "create-login-profile", "--user-name", "flows-user", "--password", "Pa55word!xyz"]);
    expect(again.code).toBe(255);
    expect(again.stderr.trim()).toBe(
      "An error occurred (EntityAlreadyExists) when calling the CreateLoginProfile operation: Login Profile for user flows-user already exists.",
    );
    const nouser = await aws(sim.server, ["iam", "create-login-profile", "--user-name", "flows-nobody", "--password", "Pa55word!xyz"]);
    expect(nouser.stderr.trim()).toBe(
      "An error occurred (NoSuchEntity) when calling the CreateLoginProfile operation: The user with name flows-nobody cannot be found.",
    );
  });

  it("assume-role, then get-caller-identity and other calls with AWS_SESSION_TOKEN", async () => {
    await aws(sim.server, [
      "iam",
      "create-role",
      "--role-name",
      "flows-admin",
      "--assume-role-policy-document",
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}',
    ]);
    const ar = await aws(sim.server, [
      "sts",
      "assume-role",
      "--role-arn",
      "arn:aws:iam::000000000000:role/flows-admin",
      "--role-session-name",
      "sess1",
      "--duration-seconds",
      "900",
    ]);
    expect(ar.code, ar.stderr).toBe(0);
    const { Credentials: c, AssumedRoleUser: u } = ar.json;
    expect(u.Arn).toBe("arn:aws:sts::000000000000:assumed-role/flows-admin/sess1");
    expect(u.AssumedRoleId).toMatch(/^AROA[A-Z0-9]{17}:sess1$/);
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(Date.parse(c.Expiration) - Date.now()).toBeGreaterThan(800_000);
    expect(Date.parse(c.Expiration) - Date.now()).toBeLessThanOrEqual(900_000);
    const env = { AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken };
    const who = await aws(sim.server, ["sts", "get-caller-identity"], { env });
    expect(who.json).toEqual({ UserId: u.AssumedRoleId, Account: "000000000000", Arn: u.Arn });
    expect((await aws(sim.server, ["s3api", "list-buckets"], { env })).code).toBe(0);
    const getUser = await aws(sim.server, ["iam", "get-user"], { env });
    expect(getUser.code).toBe(255);
    expect(getUser.stderr.trim()).toBe(
      "An error occurred (ValidationError) when calling the GetUser operation: Must specify userName when calling with non-User credentials",
    );
    // The caller identity of the test keys themselves is the account root.
    expect((await aws(sim.server, ["sts", "get-caller-identity"])).json.Arn).toBe("arn:aws:iam::000000000000:root");
  });

  it("a profile with role_arn + source_profile: the CLI assumes the role itself", async () => {
    await aws(sim.server, [
      "iam",
      "create-role",
      "--role-name",
      "flows-profile",
      "--assume-role-policy-document",
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}',
    ]);
    const dir = mkdtempSync(join(tmpdir(), "awsim-flows-profile-"));
    try {
      writeFileSync(
        join(dir, "config"),
        "[default]\nregion = us-east-1\n[profile admin]\nrole_arn = arn:aws:iam::000000000000:role/flows-profile\nsource_profile = default\nrole_session_name = cli-sess\n",
      );
      writeFileSync(join(dir, "credentials"), "[default]\naws_access_key_id = test\naws_secret_access_key = test\n");
      // HOME too: the CLI caches assumed-role credentials in ~/.aws/cli/cache, which another server would not know.
      const env = {
        HOME: dir,
        AWS_CONFIG_FILE: join(dir, "config"),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
        AWS_ACCESS_KEY_ID: "",
        AWS_SECRET_ACCESS_KEY: "",
      };
      const who = await aws(sim.server, ["sts", "get-caller-identity", "--profile", "admin"], { env: { ...env, AWS_ENDPOINT_URL: sim.server.url } });
      expect(who.code, who.stderr).toBe(0);
      expect(who.json.Arn).toBe("arn:aws:sts::000000000000:assumed-role/flows-profile/cli-sess");
      expect(who.json.UserId).toMatch(/^AROA[A-Z0-9]{17}:cli-sess$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("simulate-principal-policy evaluates the role's policies", async () => {
    await aws(sim.server, [
      "iam",
      "create-role",
      "--role-name",
      "flows-reader",
      "--assume-role-policy-document",
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
    ]);
    await aws(sim.server, [
      "iam",
      "put-role-policy",
      "--role-name",
      "flows-reader",
      "--policy-name",
      "read",
      "--policy-document",
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:ListBucket"],"Resource":"*"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::secret/*"}]}',
    ]);
    const sim1 = await aws(sim.server, [
      "iam",
      "simulate-principal-policy",
      "--policy-source-arn",
      "arn:aws:iam::000000000000:role/flows-reader",
      "--action-names",
      "s3:GetObject",
      "s3:PutObject",
      "s3:ListBucket",
      "--resource-arns",
      "arn:aws:s3:::secret/x",
    ]);
    expect(sim1.code, sim1.stderr).toBe(0);
    expect(sim1.json.EvaluationResults.map((r: { EvalActionName: string; EvalDecision: string }) => [r.EvalActionName, r.EvalDecision])).toEqual([
      ["s3:GetObject", "explicitDeny"],
      ["s3:PutObject", "implicitDeny"],
      ["s3:ListBucket", "allowed"],
    ]);
  });

  it("generate-credential-report until COMPLETE, then get-credential-report as CSV", async () => {
    await aws(sim.server, ["iam", "create-user", "--user-name", "flows-csv"]);
    const first = await aws(sim.server, ["iam", "generate-credential-report"]);
    expect(first.json.State).toMatch(/^(STARTED|INPROGRESS|COMPLETE)$/);
    let state = first.json.State;
    for (let i = 0; i < 20 && state !== "COMPLETE"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = (await aws(sim.server, ["iam", "generate-credential-report"])).json.State;
    }
    expect(state).toBe("COMPLETE");
    const rep = await aws(sim.server, ["iam", "get-credential-report"]);
    expect(rep.json.ReportFormat).toBe("text/csv");
    const csv = Buffer.from(rep.json.Content, "base64").toString("utf8").trim().split("\n");
    expect(csv[0]!.split(",").slice(0, 5)).toEqual(["user", "arn", "user_creation_time", "password_enabled", "password_last_used"]);
    expect(csv[0]!.split(",")).toHaveLength(22);
    expect(csv[1]).toMatch(/^<root_account>,arn:aws:iam::000000000000:root,/);
    const row = csv.find((l) => l.startsWith("flows-csv,"))!.split(",");
    expect(row.slice(0, 2)).toEqual(["flows-csv", "arn:aws:iam::000000000000:user/flows-csv"]);
    expect(row[2]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect(row[3]).toBe("false");
  });
});
