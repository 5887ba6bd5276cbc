/**
 * IAM and STS output members the suite never saw filled: Bedrock API keys (service-specific credentials with an
 * alias and a secret), STS AssumeRoot's SourceIdentity and GetDelegatedAccessToken's PackedPolicySize.
 */
import {
  AcceptDelegationRequestCommand,
  AddRoleToInstanceProfileCommand,
  AssociateDelegationRequestCommand,
  CreateAccessKeyCommand,
  CreateDelegationRequestCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  GetAccountAuthorizationDetailsCommand,
  IAMClient,
  ListServiceSpecificCredentialsCommand,
  PutUserPolicyCommand,
  ResetServiceSpecificCredentialCommand,
  SendDelegationTokenCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, AssumeRootCommand, GetDelegatedAccessTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { clientConfig, useServer } from "../helpers.js";

const ACCOUNT = "000000000000";

describe("IAM and STS members filled as AWS fills them", () => {
  const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg), sts: new STSClient(cfg) }));
  afterEach(() => vi.useRealTimers());

  it("a Bedrock API key answers ServiceCredentialAlias and an ABSK ServiceCredentialSecret, no user name or password", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "bedrock-api-user" }));
    const before = Math.floor(Date.now() / 1000) * 1000;
    const c = (
      await sim.iam.send(
        new CreateServiceSpecificCredentialCommand({ UserName: "bedrock-api-user", ServiceName: "bedrock.amazonaws.com", CredentialAgeDays: 30 }),
      )
    ).ServiceSpecificCredential!;
    expect(c).toMatchObject({
      ServiceName: "bedrock.amazonaws.com",
      ServiceCredentialAlias: `bedrock-api-user-at-${ACCOUNT}`,
      UserName: "bedrock-api-user",
      Status: "Active",
    });
    expect(c.ServiceUserName).toBeUndefined();
    expect(c.ServicePassword).toBeUndefined();
    expect(c.ServiceSpecificCredentialId).toMatch(/^ACCA[A-Z2-7]{17}$/);
    expect(c.ExpirationDate!.getTime() - c.CreateDate!.getTime()).toBe(30 * 86_400_000);
    expect(c.CreateDate!.getTime()).toBeGreaterThanOrEqual(before);
    // The key is "ABSK" and base64 of "<alias>:<secret>".
    expect(c.ServiceCredentialSecret).toMatch(/^ABSK[A-Za-z0-9+/]+=*$/);
    const decoded = Buffer.from(c.ServiceCredentialSecret!.slice(4), "base64").toString();
    expect(decoded).toMatch(new RegExp(`^bedrock-api-user-at-${ACCOUNT}:[A-Za-z0-9+/]{60}$`));

    // Listed with the alias and expiry, never the secret.
    const listed = (await sim.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: "bedrock-api-user" }))).ServiceSpecificCredentials!;
    expect(listed).toEqual([
      {
        UserName: "bedrock-api-user",
        Status: "Active",
        ServiceCredentialAlias: `bedrock-api-user-at-${ACCOUNT}`,
        CreateDate: c.CreateDate,
        ExpirationDate: c.ExpirationDate,
        ServiceSpecificCredentialId: c.ServiceSpecificCredentialId,
        ServiceName: "bedrock.amazonaws.com",
      },
    ]);

    // Reset generates a new key under the same alias.
    const reset = (
      await sim.iam.send(
        new ResetServiceSpecificCredentialCommand({ UserName: "bedrock-api-user", ServiceSpecificCredentialId: c.ServiceSpecificCredentialId }),
      )
    ).ServiceSpecificCredential!;
    expect(reset.ServiceCredentialAlias).toBe(c.ServiceCredentialAlias);
    expect(reset.ServiceCredentialSecret).toMatch(/^ABSK/);
    expect(reset.ServiceCredentialSecret).not.toBe(c.ServiceCredentialSecret);
    expect(reset.ServicePassword).toBeUndefined();

    // Past its ExpirationDate the key lists as Expired.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 31 * 86_400_000 });
    const later = (await sim.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: "bedrock-api-user" }))).ServiceSpecificCredentials!;
    expect(later[0]!.Status).toBe("Expired");
  });

  it("a key without CredentialAgeDays never expires; CodeCommit credentials keep their user name and password", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "both" }));
    const key = (await sim.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "both", ServiceName: "bedrock.amazonaws.com" })))
      .ServiceSpecificCredential!;
    expect(key.ExpirationDate).toBeUndefined();
    expect(key.ServiceCredentialAlias).toBe(`both-at-${ACCOUNT}`);
    const git = (await sim.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "both", ServiceName: "codecommit.amazonaws.com" })))
      .ServiceSpecificCredential!;
    expect(git.ServiceUserName).toBe(`both-at-${ACCOUNT}`);
    expect(git.ServicePassword).toBeTruthy();
    expect(git.ServiceCredentialAlias).toBeUndefined();
    expect(git.ServiceCredentialSecret).toBeUndefined();
  });

  it("GetAccountAuthorizationDetails lists a role's instance profiles with the role but without its Description", async () => {
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    await sim.iam.send(new CreateRoleCommand({ RoleName: "described-ec2", Path: "/my-path/", AssumeRolePolicyDocument: trust, Description: "testing role" }));
    await sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "described-ip" }));
    await sim.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "described-ip", RoleName: "described-ec2" }));
    const details = await sim.iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ["Role"] }));
    const role = details.RoleDetailList!.find((r) => r.RoleName === "described-ec2")!;
    const nested = role.InstanceProfileList![0]!.Roles![0]!;
    expect(Object.keys(nested).sort()).toEqual(["Arn", "AssumeRolePolicyDocument", "CreateDate", "Path", "RoleId", "RoleName"]);
    expect(nested.Path).toBe("/my-path/");
  });

  it("AssumeRoot answers the calling session's SourceIdentity and keeps it", async () => {
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity"] }],
    });
    await sim.iam.send(new CreateRoleCommand({ RoleName: "root-tasks", AssumeRolePolicyDocument: trust }));
    const plain = await sim.sts.send(
      new AssumeRootCommand({ TargetPrincipal: "222233334444", TaskPolicyArn: { arn: "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials" } }),
    );
    expect(plain.SourceIdentity).toBeUndefined();

    const role = await sim.sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/root-tasks`, RoleSessionName: "ops", SourceIdentity: "jdoe" }),
    );
    const c = role.Credentials!;
    const asRole = new STSClient(
      clientConfig(sim.server, { credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken } }),
    );
    const root = await asRole.send(
      new AssumeRootCommand({ TargetPrincipal: "222233334444", TaskPolicyArn: { arn: "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials" } }),
    );
    expect(root.SourceIdentity).toBe("jdoe");
  });

  it("GetDelegatedAccessToken answers the PackedPolicySize of the request's permission policy", async () => {
    const PARTNER = "111111111111";
    const CUSTOMER = "222222222222";
    const iamAs = (accessKeyId: string, secretAccessKey = "x") => new IAMClient(clientConfig(sim.server, { credentials: { accessKeyId, secretAccessKey } }));
    const partner = iamAs(PARTNER);
    const customer = iamAs(CUSTOMER);
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:ListBucket", "s3:GetObject"], Resource: "*" }] };
    const template = (await partner.send(new CreatePolicyCommand({ PolicyName: "template", PolicyDocument: JSON.stringify(policy) }))).Policy!.Arn!;
    await customer.send(new CreateUserCommand({ UserName: "approver" }));
    await customer.send(
      new PutUserPolicyCommand({
        UserName: "approver",
        PolicyName: "all",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
      }),
    );
    const k = (await customer.send(new CreateAccessKeyCommand({ UserName: "approver" }))).AccessKey!;
    const approver = iamAs(k.AccessKeyId!, k.SecretAccessKey!);
    const topic = `arn:aws:sns:us-east-1:${PARTNER}:delegation-updates`;
    const id = (
      await partner.send(
        new CreateDelegationRequestCommand({
          OwnerAccountId: CUSTOMER,
          Description: "read logs",
          Permissions: { PolicyTemplateArn: template },
          RequestorWorkflowId: "wf-packed",
          NotificationChannel: topic,
          SessionDuration: 1800,
        }),
      )
    ).DelegationRequestId!;
    await approver.send(new AssociateDelegationRequestCommand({ DelegationRequestId: id }));
    await approver.send(new AcceptDelegationRequestCommand({ DelegationRequestId: id }));
    await approver.send(new SendDelegationTokenCommand({ DelegationRequestId: id }));
    const notes = (await (await fetch(`${sim.server.url}/_awsim/iam/delegation-notifications?topicArn=${encodeURIComponent(topic)}`)).json()) as {
      notifications: Array<{ delegationRequestId: string; exchangeToken?: string }>;
    };
    const token = notes.notifications.filter((n) => n.delegationRequestId === id).at(-1)!.exchangeToken!;
    const sts = new STSClient(clientConfig(sim.server, { credentials: { accessKeyId: PARTNER, secretAccessKey: "x" } }));
    const traded = await sts.send(new GetDelegatedAccessTokenCommand({ TradeInToken: token }));
    expect(traded.AssumedPrincipal).toBe(`arn:aws:iam::${CUSTOMER}:user/approver`);
    // The same policy as an AssumeRole session policy packs to the same percentage.
    await sim.iam.send(
      new CreateRoleCommand({
        RoleName: "packed",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }],
        }),
      }),
    );
    const assumed = await sim.sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/packed`, RoleSessionName: "packed", Policy: JSON.stringify(policy) }),
    );
    expect(traded.PackedPolicySize).toBeGreaterThan(0);
    expect(traded.PackedPolicySize).toBe(assumed.PackedPolicySize);
  });
});
