import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { CreateRoleCommand, IAMClient, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const sim = useServer({}, (cfg) => ({ sts: new STSClient(cfg) }));

describe("STS", () => {
  it("GetCallerIdentity answers the default account's root", async () => {
    const r = await sim.sts.send(new GetCallerIdentityCommand({}));
    expect(r.Account).toBe("000000000000");
    expect(r.Arn).toBe("arn:aws:iam::000000000000:root");
    expect(r.UserId).toBe("000000000000");
    expect(r.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a 12-digit access key id selects that account", async () => {
    const c = new STSClient(clientConfig(sim.server, { credentials: { accessKeyId: "111122223333", secretAccessKey: "x" } }));
    const r = await c.send(new GetCallerIdentityCommand({}));
    expect(r.Account).toBe("111122223333");
    expect(r.Arn).toBe("arn:aws:iam::111122223333:root");
  });

  it("AssumeRole mints credentials that identify as the assumed role", async () => {
    const r = await sim.sts.send(
      new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:role/app/deployer", RoleSessionName: "ci-run", DurationSeconds: 900 }),
    );
    expect(r.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(r.Credentials?.SecretAccessKey).toHaveLength(40);
    expect(r.Credentials?.SessionToken).toBeTruthy();
    const ttl = r.Credentials!.Expiration!.getTime() - Date.now();
    expect(ttl).toBeGreaterThan(850_000);
    expect(ttl).toBeLessThan(905_000);
    expect(r.AssumedRoleUser?.Arn).toBe("arn:aws:sts::123456789012:assumed-role/deployer/ci-run");
    expect(r.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[0-9A-F]+:ci-run$/);

    const as = new STSClient(
      clientConfig(sim.server, {
        credentials: { accessKeyId: r.Credentials!.AccessKeyId!, secretAccessKey: r.Credentials!.SecretAccessKey!, sessionToken: r.Credentials!.SessionToken! },
      }),
    );
    const who = await as.send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe("arn:aws:sts::123456789012:assumed-role/deployer/ci-run");
    expect(who.Account).toBe("123456789012");
  });

  it("AssumeRole validates its input with AWS's ValidationError", async () => {
    const e = await expectAwsError(
      sim.sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:role/x", RoleSessionName: "s", DurationSeconds: 10 })),
      {
        name: "ValidationError",
        status: 400,
      },
    );
    // The framework's validator orders the errors; both must be there.
    expect(e.message).toMatch(/^2 validation errors detected: /);
    expect(e.message).toContain("Value 's' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2");
    expect(e.message).toContain("Value '10' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
  });

  it("GetSessionToken defaults to 12 hours", async () => {
    const r = await sim.sts.send(new GetSessionTokenCommand({}));
    const ttl = r.Credentials!.Expiration!.getTime() - Date.now();
    expect(Math.round(ttl / 3600_000)).toBe(12);
  });
  it("another account's role: its trust policy decides, in the default mode too", async () => {
    const owner = "444455556666";
    const as = (accessKeyId: string) => clientConfig(sim.server, { credentials: { accessKeyId, secretAccessKey: "x" } });
    const iam = new IAMClient(as(owner));
    const trust = (statement: object) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
    const role = await iam.send(
      new CreateRoleCommand({
        RoleName: "shared",
        AssumeRolePolicyDocument: trust({
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:root" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "sts:ExternalId": "ext-1" } },
        }),
      }),
    );
    const roleArn = role.Role!.Arn!;
    const trusted = new STSClient(as("111122223333"));
    const other = new STSClient(as("777788889999"));
    // Trusted account with the external id the trust policy requires.
    const ok = await trusted.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "s1", ExternalId: "ext-1" }));
    expect(ok.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${owner}:assumed-role/shared/s1`);
    // Without the external id, or from an account the policy does not name: AccessDenied, worded as AWS words it.
    const noExt = await expectAwsError(trusted.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "s1" })), { name: "AccessDenied", status: 403 });
    expect(noExt.message).toBe(`User: arn:aws:iam::111122223333:root is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    await expectAwsError(other.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "s1", ExternalId: "ext-1" })), {
      name: "AccessDenied",
      status: 403,
    });
    // The owner's own account keeps the default mode's open access; a role awsim does not know is still assumable.
    const self = await new STSClient(as(owner)).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "own" }));
    expect(self.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${owner}:assumed-role/shared/own`);
    const unknown = await other.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${owner}:role/not-in-iam`, RoleSessionName: "s1" }));
    expect(unknown.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${owner}:assumed-role/not-in-iam/s1`);
    // A role session of the trusted account is allowed by a statement naming the account; an explicit Deny wins.
    const chain = new STSClient(
      clientConfig(sim.server, {
        credentials: {
          accessKeyId: ok.Credentials!.AccessKeyId!,
          secretAccessKey: ok.Credentials!.SecretAccessKey!,
          sessionToken: ok.Credentials!.SessionToken!,
        },
      }),
    );
    const back = await trusted.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::111122223333:role/any`, RoleSessionName: "s2" }));
    expect(back.AssumedRoleUser?.Arn).toBe("arn:aws:sts::111122223333:assumed-role/any/s2");
    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: "shared",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" },
            { Effect: "Deny", Principal: { AWS: "arn:aws:iam::777788889999:root" }, Action: "sts:AssumeRole" },
          ],
        }),
      }),
    );
    await expectAwsError(other.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "s1" })), { name: "AccessDenied", status: 403 });
    const anyone = await new STSClient(as("121212121212")).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "s3" }));
    expect(anyone.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${owner}:assumed-role/shared/s3`);
    // The session of the owner's role assumed from 111122223333 belongs to the owner's account: same account, open.
    const again = await chain.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "again" }));
    expect(again.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${owner}:assumed-role/shared/again`);
  });
  it("a trust policy naming a role (with its path) lets that role's sessions assume it; another role's sessions are refused", async () => {
    const as = (accessKeyId: string, secretAccessKey = "x", sessionToken?: string) =>
      clientConfig(sim.server, { credentials: { accessKeyId, secretAccessKey, sessionToken } });
    const trustOf = (principal: string) =>
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole" }] });
    const b = new IAMClient(as("121234345656"));
    for (const RoleName of ["deployer", "other"])
      await b.send(new CreateRoleCommand({ RoleName, Path: "/ci/", AssumeRolePolicyDocument: trustOf("arn:aws:iam::121234345656:root") }));
    await new IAMClient(as("989876765454")).send(
      new CreateRoleCommand({ RoleName: "target", AssumeRolePolicyDocument: trustOf("arn:aws:iam::121234345656:role/ci/deployer") }),
    );
    const session = async (role: string) =>
      (await new STSClient(as("121234345656")).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::121234345656:role/ci/${role}`, RoleSessionName: "s1" })))
        .Credentials!;
    const d = await session("deployer");
    const chained = await new STSClient(as(d.AccessKeyId!, d.SecretAccessKey!, d.SessionToken!)).send(
      new AssumeRoleCommand({ RoleArn: "arn:aws:iam::989876765454:role/target", RoleSessionName: "s2" }),
    );
    expect(chained.AssumedRoleUser?.Arn).toBe("arn:aws:sts::989876765454:assumed-role/target/s2");
    const o = await session("other");
    await expectAwsError(
      new STSClient(as(o.AccessKeyId!, o.SecretAccessKey!, o.SessionToken!)).send(
        new AssumeRoleCommand({ RoleArn: "arn:aws:iam::989876765454:role/target", RoleSessionName: "s2" }),
      ),
      { name: "AccessDenied", status: 403 },
    );
  });
});
