import {
  CreateAccessKeyCommand,
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  CreateUserCommand,
  GetAccessKeyLastUsedCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
} from "@aws-sdk/client-iam";
import {
  AssumeRoleCommand,
  AssumeRoleWithSAMLCommand,
  AssumeRoleWithWebIdentityCommand,
  AssumeRootCommand,
  DecodeAuthorizationMessageCommand,
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
} from "@aws-sdk/client-sts";
import { SignatureV4 } from "@smithy/signature-v4";
import { beforeAll, describe, expect, it } from "vitest";
import { aws, clientConfig, expectAwsError, hasAwsCli, useServer, Sha256 } from "../helpers.js";

const TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }] });

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const as = (c: Creds, region = "us-east-1") => ({
  sts: new STSClient(clientConfig(sim.server, { credentials: c, region })),
  iam: new IAMClient(clientConfig(sim.server, { credentials: c, region })),
});
const creds = (c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined): Creds => ({
  accessKeyId: c!.AccessKeyId!,
  secretAccessKey: c!.SecretAccessKey!,
  sessionToken: c!.SessionToken,
});
const jwt = (claims: object) => [{ alg: "RS256", typ: "JWT" }, claims].map((x) => Buffer.from(JSON.stringify(x)).toString("base64url")).join(".") + ".c2ln";

let alice: Creds;

const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg), sts: new STSClient(cfg) }));
beforeAll(async () => {
  await sim.iam.send(new CreateUserCommand({ UserName: "alice", Path: "/eng/" }));
  alice = creds((await sim.iam.send(new CreateAccessKeyCommand({ UserName: "alice" }))).AccessKey);
  await sim.iam.send(new CreateRoleCommand({ RoleName: "deployer", AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 7200 }));
});

describe("keys map to identities", () => {
  it("an IAM user's access key answers GetCallerIdentity as that user", async () => {
    const who = await as(alice).sts.send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe("arn:aws:iam::000000000000:user/eng/alice");
    expect(who.Account).toBe("000000000000");
    expect(who.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect((await as(alice).iam.send(new GetUserCommand({}))).User!.UserName).toBe("alice");
  });

  it("CreateAccessKey and ListAccessKeys without UserName act on the calling user; 2 keys at most", async () => {
    const a = as(alice).iam;
    const k = (await a.send(new CreateAccessKeyCommand({}))).AccessKey!;
    expect(k.UserName).toBe("alice");
    expect(k.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    const list = (await a.send(new ListAccessKeysCommand({}))).AccessKeyMetadata!;
    expect(list.map((x) => x.AccessKeyId).sort()).toEqual([alice.accessKeyId, k.AccessKeyId].sort());
    await expectAwsError(a.send(new CreateAccessKeyCommand({})), {
      name: "LimitExceededException",
      status: 409,
      message: "Cannot exceed quota for AccessKeysPerUser: 2",
    });
  });

  it("access key last used records the service and region", async () => {
    await as(alice).sts.send(new GetCallerIdentityCommand({}));
    const r = await sim.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: alice.accessKeyId }));
    expect(r.UserName).toBe("alice");
    expect(r.AccessKeyLastUsed!.ServiceName).toBe("sts");
    expect(r.AccessKeyLastUsed!.Region).toBe("us-east-1");
    expect(r.AccessKeyLastUsed!.LastUsedDate).toBeInstanceOf(Date);
  });

  it("AssumeRole returns ASIA keys that resolve to the assumed role; the role's id and last use", async () => {
    const role = (await sim.iam.send(new GetRoleCommand({ RoleName: "deployer" }))).Role!;
    const r = await as(alice).sts.send(new AssumeRoleCommand({ RoleArn: role.Arn!, RoleSessionName: "ci", DurationSeconds: 7200 }));
    expect(r.Credentials!.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(r.AssumedRoleUser!.AssumedRoleId).toBe(`${role.RoleId}:ci`);
    const session = as(creds(r.Credentials));
    const who = await session.sts.send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Arn: "arn:aws:sts::000000000000:assumed-role/deployer/ci", UserId: `${role.RoleId}:ci`, Account: "000000000000" });
    expect((await sim.iam.send(new GetRoleCommand({ RoleName: "deployer" }))).Role!.RoleLastUsed!.Region).toBe("us-east-1");
    await expectAwsError(session.iam.send(new CreateAccessKeyCommand({})), {
      name: "ValidationError",
      status: 400,
      message: "Must specify userName when calling with non-User credentials",
    });
    await expectAwsError(session.sts.send(new AssumeRoleCommand({ RoleArn: role.Arn!, RoleSessionName: "chain", DurationSeconds: 3601 })), {
      name: "ValidationError",
      status: 400,
      message: "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
    });
    await expectAwsError(session.sts.send(new GetSessionTokenCommand({})), { name: "AccessDenied", status: 403 });
    await expectAwsError(sim.sts.send(new AssumeRoleCommand({ RoleArn: role.Arn!, RoleSessionName: "long", DurationSeconds: 7201 })), {
      name: "ValidationError",
      status: 400,
      message: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    });
  });

  it("ARNs follow the partition of the region", async () => {
    const cn = await new STSClient(clientConfig(sim.server, { region: "cn-north-1" })).send(new GetCallerIdentityCommand({}));
    expect(cn.Arn).toBe("arn:aws-cn:iam::000000000000:root");
    const gov = await new STSClient(clientConfig(sim.server, { region: "us-gov-west-1" })).send(new GetCallerIdentityCommand({}));
    expect(gov.Arn).toBe("arn:aws-us-gov:iam::000000000000:root");
    const fed = await new STSClient(clientConfig(sim.server, { region: "cn-north-1" })).send(new GetFederationTokenCommand({ Name: "bob" }));
    expect(fed.FederatedUser!.Arn).toBe("arn:aws-cn:sts::000000000000:federated-user/bob");
  });

  it("a user's key works in its own account", async () => {
    const other = new IAMClient(clientConfig(sim.server, { credentials: { accessKeyId: "111122223333", secretAccessKey: "x" } }));
    await other.send(new CreateUserCommand({ UserName: "carol" }));
    const k = creds((await other.send(new CreateAccessKeyCommand({ UserName: "carol" }))).AccessKey);
    const who = await as(k).sts.send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe("arn:aws:iam::111122223333:user/carol");
    expect((await as(k).iam.send(new GetUserCommand({}))).User!.Arn).toBe("arn:aws:iam::111122223333:user/carol");
    expect((await sim.sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: k.accessKeyId }))).Account).toBe("111122223333");
  });

  it("GetAccessKeyInfo decodes the account from any current-format key id", async () => {
    expect((await sim.sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: "ASIAY34FZKBOKMUTVV7A" }))).Account).toBe("609629065308");
    expect((await sim.sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: alice.accessKeyId }))).Account).toBe("000000000000");
  });

  it("GetSessionToken keeps the user's identity; GetFederationToken makes a federated user", async () => {
    const t = await as(alice).sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    expect((await as(creds(t.Credentials)).sts.send(new GetCallerIdentityCommand({}))).Arn).toBe("arn:aws:iam::000000000000:user/eng/alice");
    const f = await as(alice).sts.send(
      new GetFederationTokenCommand({
        Name: "dave",
        Policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }),
      }),
    );
    expect(f.FederatedUser).toEqual({ FederatedUserId: "000000000000:dave", Arn: "arn:aws:sts::000000000000:federated-user/dave" });
    expect(f.PackedPolicySize).toBeGreaterThan(0);
    const who = await as(creds(f.Credentials)).sts.send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Arn: "arn:aws:sts::000000000000:federated-user/dave", UserId: "000000000000:dave" });
    await expectAwsError(as(alice).sts.send(new GetFederationTokenCommand({ Name: "xy", Policy: "{not json" })), {
      name: "MalformedPolicyDocumentException",
      status: 400,
    });
  });

  it("AssumeRoleWithWebIdentity reads the token's subject, audience and issuer", async () => {
    await sim.iam.send(new CreateOpenIDConnectProviderCommand({ Url: "https://token.actions.githubusercontent.com", ClientIDList: ["sts.amazonaws.com"] }));
    const token = jwt({
      iss: "https://token.actions.githubusercontent.com",
      sub: "repo:org/app:ref:refs/heads/main",
      aud: "sts.amazonaws.com",
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    const r = await new STSClient(clientConfig(sim.server)).send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: "arn:aws:iam::000000000000:role/deployer", RoleSessionName: "gha", WebIdentityToken: token }),
    );
    expect(r.SubjectFromWebIdentityToken).toBe("repo:org/app:ref:refs/heads/main");
    expect(r.Audience).toBe("sts.amazonaws.com");
    expect(r.Provider).toBe("arn:aws:iam::000000000000:oidc-provider/token.actions.githubusercontent.com");
    expect((await as(creds(r.Credentials)).sts.send(new GetCallerIdentityCommand({}))).Arn).toBe("arn:aws:sts::000000000000:assumed-role/deployer/gha");
    await expectAwsError(
      sim.sts.send(
        new AssumeRoleWithWebIdentityCommand({ RoleArn: "arn:aws:iam::000000000000:role/deployer", RoleSessionName: "gha", WebIdentityToken: "not-a-jwt" }),
      ),
      { name: "InvalidIdentityTokenException", status: 400 },
    );
    const wrongAud = jwt({ iss: "https://token.actions.githubusercontent.com", sub: "x", aud: "other" });
    await expectAwsError(
      sim.sts.send(
        new AssumeRoleWithWebIdentityCommand({ RoleArn: "arn:aws:iam::000000000000:role/deployer", RoleSessionName: "gha", WebIdentityToken: wrongAud }),
      ),
      { name: "InvalidIdentityTokenException", status: 400, message: "Incorrect token audience" },
    );
  });

  it("AssumeRoleWithSAML reads issuer, subject, recipient and the RoleSessionName attribute", async () => {
    const metadata = `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com"></EntityDescriptor>`;
    const provider = (await sim.iam.send(new CreateSAMLProviderCommand({ Name: "corp", SAMLMetadataDocument: metadata.padEnd(1000, " ") }))).SAMLProviderArn!;
    const assertion = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><saml:Issuer>https://idp.example.com</saml:Issuer><saml:Assertion><saml:Issuer>https://idp.example.com</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">jdoe</saml:NameID><saml:SubjectConfirmation><saml:SubjectConfirmationData Recipient="https://signin.aws.amazon.com/saml" NotOnOrAfter="${new Date(Date.now() + 300_000).toISOString()}"/></saml:SubjectConfirmation></saml:Subject><saml:AttributeStatement><saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml:AttributeValue>jdoe@example.com</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>`;
    const r = await sim.sts.send(
      new AssumeRoleWithSAMLCommand({
        RoleArn: "arn:aws:iam::000000000000:role/deployer",
        PrincipalArn: provider,
        SAMLAssertion: Buffer.from(assertion).toString("base64"),
      }),
    );
    expect(r).toMatchObject({ Subject: "jdoe", SubjectType: "persistent", Issuer: "https://idp.example.com", Audience: "https://signin.aws.amazon.com/saml" });
    expect(r.AssumedRoleUser!.Arn).toBe("arn:aws:sts::000000000000:assumed-role/deployer/jdoe@example.com");
    expect(r.NameQualifier).toMatch(/^[A-Za-z0-9+/]{27}=$/);
  });

  it("AssumeRoot answers as the target account's root; DecodeAuthorizationMessage rejects foreign messages", async () => {
    const r = await sim.sts.send(
      new AssumeRootCommand({ TargetPrincipal: "222233334444", TaskPolicyArn: { arn: "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials" } }),
    );
    expect((await as(creds(r.Credentials)).sts.send(new GetCallerIdentityCommand({}))).Arn).toBe("arn:aws:iam::222233334444:root");
    await expectAwsError(sim.sts.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: "garbage" })), {
      name: "InvalidAuthorizationMessageException",
      status: 400,
    });
  });
});

describe("presigned GetCallerIdentity (the EKS token form)", () => {
  it("answers for the key in X-Amz-Credential", async () => {
    const signer = new SignatureV4({ service: "sts", region: "us-east-1", credentials: alice, sha256: Sha256 });
    const url = new URL(sim.server.url);
    const req = await signer.presign(
      {
        method: "GET",
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path: "/",
        query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
        headers: { host: url.host },
      },
      { expiresIn: 60 },
    );
    const qs = new URLSearchParams(req.query as Record<string, string>).toString();
    const body = await (await fetch(`${sim.server.url}/?${qs}`)).text();
    expect(body).toContain("<Arn>arn:aws:iam::000000000000:user/eng/alice</Arn>");
  });
});

describe.skipIf(!hasAwsCli())("aws CLI with IAM user keys", () => {
  it("sts get-caller-identity answers the user", async () => {
    const r = await aws(sim.server, ["sts", "get-caller-identity"], {
      env: { AWS_ACCESS_KEY_ID: alice.accessKeyId, AWS_SECRET_ACCESS_KEY: alice.secretAccessKey },
    });
    expect(r.json.Arn).toBe("arn:aws:iam::000000000000:user/eng/alice");
  });
});
