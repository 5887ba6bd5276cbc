import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from "@aws-sdk/client-sts";
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
});
