/** STS as AWS's documented examples show it (aws CLI and botocore examples), beyond the recorded answers. */
import { DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  DecodeAuthorizationMessageCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
} from "@aws-sdk/client-sts";
import { beforeAll, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const ACCOUNT = "000000000000";
const jwt = (claims: object) => [{ alg: "RS256", typ: "JWT" }, claims].map((x) => Buffer.from(JSON.stringify(x)).toString("base64url")).join(".") + ".c2ln";
const trust = (principal: object, action: string) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: principal, Action: action }] });

describe("STS documented examples", () => {
  const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg), sts: new STSClient(cfg) }));
  let bob: STSClient;
  beforeAll(async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "DevAdmin" }));
    const k = (await sim.iam.send(new CreateAccessKeyCommand({ UserName: "DevAdmin" }))).AccessKey!;
    bob = new STSClient(clientConfig(sim.server, { credentials: { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! } }));
    await sim.iam.send(
      new CreateRoleCommand({
        RoleName: "FederatedWebIdentityRole",
        AssumeRolePolicyDocument: trust({ Federated: "www.amazon.com" }, "sts:AssumeRoleWithWebIdentity"),
      }),
    );
    await sim.iam.send(
      new CreateRoleCommand({ RoleName: "xaccounts3access", AssumeRolePolicyDocument: trust({ AWS: `arn:aws:iam::${ACCOUNT}:root` }, "sts:AssumeRole") }),
    );
  });

  it("assume-role-with-web-identity: Provider is the ProviderId of an OAuth 2.0 provider, else the OIDC provider's ARN", async () => {
    const token = jwt({
      iss: "https://www.amazon.com",
      sub: "amzn1.account.AF6RHO7KZU5XRVQJGXK6HB56KR2A",
      aud: "client.5498841531868486423.1548@apps.example.com",
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    const RoleArn = `arn:aws:iam::${ACCOUNT}:role/FederatedWebIdentityRole`;
    const r = await sim.sts.send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn, RoleSessionName: "app1", WebIdentityToken: token, ProviderId: "www.amazon.com", DurationSeconds: 3600 }),
    );
    expect(r.Provider).toBe("www.amazon.com");
    expect(r.SubjectFromWebIdentityToken).toBe("amzn1.account.AF6RHO7KZU5XRVQJGXK6HB56KR2A");
    expect(r.Audience).toBe("client.5498841531868486423.1548@apps.example.com");
    const roleId = (await sim.iam.send(new GetRoleCommand({ RoleName: "FederatedWebIdentityRole" }))).Role!.RoleId;
    expect(r.AssumedRoleUser).toEqual({ AssumedRoleId: `${roleId}:app1`, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/FederatedWebIdentityRole/app1` });
    // An OIDC ID token (no ProviderId): AWS names the IAM OIDC provider by its ARN, never the raw issuer URL.
    const oidc = await sim.sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn, RoleSessionName: "app1", WebIdentityToken: token }));
    expect(oidc.Provider).toBe(`arn:aws:iam::${ACCOUNT}:oidc-provider/www.amazon.com`);
    expect(oidc.PackedPolicySize).toBeUndefined();
  });

  it("get-caller-identity as an IAM user; assume-role; get-session-token and get-federation-token as that user", async () => {
    const me = await bob.send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/DevAdmin` });
    expect(me.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);

    const assumed = await sim.sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/xaccounts3access`, RoleSessionName: "s3-access-example" }),
    );
    const roleId = (await sim.iam.send(new GetRoleCommand({ RoleName: "xaccounts3access" }))).Role!.RoleId;
    expect(assumed.AssumedRoleUser).toEqual({
      AssumedRoleId: `${roleId}:s3-access-example`,
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/xaccounts3access/s3-access-example`,
    });
    expect(assumed.Credentials!.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(assumed.PackedPolicySize).toBeUndefined();

    const before = Date.now();
    const session = await bob.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    expect(Object.keys(session.Credentials!).sort()).toEqual(["AccessKeyId", "Expiration", "SecretAccessKey", "SessionToken"]);
    expect(session.Credentials!.Expiration!.getTime() - before).toBeGreaterThan(895_000);
    expect(session.Credentials!.Expiration!.getTime() - before).toBeLessThanOrEqual(901_000);

    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "ec2:Describe*", Resource: "*" },
        { Effect: "Allow", Action: "elasticloadbalancing:Describe*", Resource: "*" },
        { Effect: "Allow", Action: ["cloudwatch:ListMetrics", "cloudwatch:GetMetricStatistics", "cloudwatch:Describe*"], Resource: "*" },
        { Effect: "Allow", Action: "autoscaling:Describe*", Resource: "*" },
      ],
    });
    const fed = await bob.send(
      new GetFederationTokenCommand({
        Name: "Bob",
        Policy: policy,
        PolicyArns: [{ arn: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" }],
        DurationSeconds: 900,
      }),
    );
    expect(fed.FederatedUser).toEqual({ FederatedUserId: `${ACCOUNT}:Bob`, Arn: `arn:aws:sts::${ACCOUNT}:federated-user/Bob` });
    expect(fed.PackedPolicySize).toBeGreaterThan(0);
    expect(fed.PackedPolicySize).toBeLessThanOrEqual(100);
  });
});

describe("decode-authorization-message (under --enforce-iam)", () => {
  const sim = useServer({ enforceIam: true }, (cfg) => ({ iam: new IAMClient(cfg), sts: new STSClient(cfg) }));

  it("decodes to AWS's shape: explicitDeny, the denying statement, and the request context with its principal", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "chain-user" }));
    const deny = { Sid: "VisualEditor0", Effect: "Deny", Action: "ec2:DescribeVpcs", Resource: "*" };
    await sim.iam.send(
      new PutUserPolicyCommand({
        UserName: "chain-user",
        PolicyName: "p",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ec2:*", Resource: "*" }, deny] }),
      }),
    );
    const k = (await sim.iam.send(new CreateAccessKeyCommand({ UserName: "chain-user" }))).AccessKey!;
    const ec2 = new EC2Client(clientConfig(sim.server, { credentials: { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! } }));
    const e = await expectAwsError(ec2.send(new DescribeVpcsCommand({})), { name: "UnauthorizedOperation", status: 403 });
    const encoded = /Encoded authorization failure message: (\S+)/.exec(e.message)![1]!;
    const decoded = JSON.parse((await sim.sts.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded }))).DecodedMessage!);
    const user = (await sim.iam.send(new GetUserCommand({ UserName: "chain-user" }))).User!;
    expect(decoded).toEqual({
      allowed: false,
      explicitDeny: true,
      matchedStatements: {
        items: [
          {
            statementId: "VisualEditor0",
            effect: "DENY",
            principals: { items: [] },
            principalGroups: { items: [] },
            actions: { items: [{ value: "ec2:DescribeVpcs" }] },
            resources: { items: [{ value: "*" }] },
            conditions: { items: [] },
          },
        ],
      },
      failures: { items: [] },
      context: {
        principal: { id: user.UserId, name: "chain-user", arn: `arn:aws:iam::${ACCOUNT}:user/chain-user` },
        action: "ec2:DescribeVpcs",
        resource: "*",
        conditions: { items: [] },
      },
    });
  });
});
