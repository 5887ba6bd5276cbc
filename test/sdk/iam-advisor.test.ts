import { ECSClient, ListClustersCommand } from "@aws-sdk/client-ecs";
import {
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DisableOutboundWebIdentityFederationCommand,
  EnableOrganizationsRootSessionsCommand,
  EnableOutboundWebIdentityFederationCommand,
  ListOrganizationsFeaturesCommand,
  GenerateServiceLastAccessedDetailsCommand,
  GetAccountSummaryCommand,
  GetOutboundWebIdentityFederationInfoCommand,
  GetServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsWithEntitiesCommand,
  IAMClient,
  ListPoliciesGrantingServiceAccessCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  SetSecurityTokenServicePreferencesCommand,
  AttachUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, GetWebIdentityTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const doc = (Action: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action, Resource: "*" }] });
const TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }] });

const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));

describe("access advisor", () => {
  it("reports the services a user's keys and a role's sessions actually used", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "dev" }));
    await sim.iam.send(new PutUserPolicyCommand({ UserName: "dev", PolicyName: "s3", PolicyDocument: doc("s3:*") }));
    await sim.iam.send(new AttachUserPolicyCommand({ UserName: "dev", PolicyArn: "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess" }));
    await sim.iam.send(new CreateGroupCommand({ GroupName: "team" }));
    await sim.iam.send(new AddUserToGroupCommand({ GroupName: "team", UserName: "dev" }));
    await sim.iam.send(new PutGroupPolicyCommand({ GroupName: "team", PolicyName: "logs", PolicyDocument: doc("logs:Get*") }));
    const k = (await sim.iam.send(new CreateAccessKeyCommand({ UserName: "dev" }))).AccessKey!;
    const credentials = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
    await new S3Client(clientConfig(sim.server, { credentials, forcePathStyle: true, region: "eu-west-1" })).send(new ListBucketsCommand({}));

    const job = (await sim.iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: "arn:aws:iam::000000000000:user/dev" }))).JobId!;
    const r = await sim.iam.send(new GetServiceLastAccessedDetailsCommand({ JobId: job }));
    expect(r.JobStatus).toBe("COMPLETED");
    expect(r.ServicesLastAccessed!.map((x) => x.ServiceNamespace)).toEqual(["ec2", "logs", "s3"]);
    const s3 = r.ServicesLastAccessed!.find((x) => x.ServiceNamespace === "s3")!;
    expect(s3).toMatchObject({
      ServiceName: "Amazon S3",
      LastAuthenticatedEntity: "arn:aws:iam::000000000000:user/dev",
      LastAuthenticatedRegion: "eu-west-1",
      TotalAuthenticatedEntities: 1,
    });
    expect(s3.LastAuthenticated).toBeInstanceOf(Date);
    expect(r.ServicesLastAccessed!.find((x) => x.ServiceNamespace === "ec2")!.LastAuthenticated).toBeUndefined();

    const groupJob = (await sim.iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: "arn:aws:iam::000000000000:group/team" }))).JobId!;
    const ents = await sim.iam.send(new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId: groupJob, ServiceNamespace: "s3" }));
    expect(ents.EntityDetailsList!.map((e) => [e.EntityInfo!.Name, e.EntityInfo!.Type, !!e.LastAuthenticated])).toEqual([["dev", "USER", true]]);

    await sim.iam.send(new CreateRoleCommand({ RoleName: "svc", AssumeRolePolicyDocument: TRUST }));
    await sim.iam.send(new PutRolePolicyCommand({ RoleName: "svc", PolicyName: "ecs", PolicyDocument: doc("ecs:List*") }));
    const c = (
      await new STSClient(clientConfig(sim.server)).send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/svc", RoleSessionName: "ecs-run" }))
    ).Credentials!;
    await new ECSClient(
      clientConfig(sim.server, { credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } }),
    ).send(new ListClustersCommand({}));
    const roleJob = (await sim.iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: "arn:aws:iam::000000000000:role/svc" }))).JobId!;
    const rr = (await sim.iam.send(new GetServiceLastAccessedDetailsCommand({ JobId: roleJob }))).ServicesLastAccessed!;
    expect(rr).toHaveLength(1);
    expect(rr[0]).toMatchObject({ ServiceNamespace: "ecs", LastAuthenticatedEntity: "arn:aws:iam::000000000000:role/svc", TotalAuthenticatedEntities: 1 });
  });

  it("ListPoliciesGrantingServiceAccess names inline, group and managed policies", async () => {
    const r = await sim.iam.send(
      new ListPoliciesGrantingServiceAccessCommand({ Arn: "arn:aws:iam::000000000000:user/dev", ServiceNamespaces: ["s3", "logs", "ec2", "sqs"] }),
    );
    expect(r.PoliciesGrantingServiceAccess).toEqual([
      { ServiceNamespace: "s3", Policies: [{ PolicyName: "s3", PolicyType: "INLINE", EntityType: "USER", EntityName: "dev" }] },
      { ServiceNamespace: "logs", Policies: [{ PolicyName: "logs", PolicyType: "INLINE", EntityType: "GROUP", EntityName: "team" }] },
      {
        ServiceNamespace: "ec2",
        Policies: [{ PolicyName: "AmazonEC2ReadOnlyAccess", PolicyType: "MANAGED", PolicyArn: "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess" }],
      },
      { ServiceNamespace: "sqs", Policies: [] },
    ]);
  });
});

describe("STS preferences and outbound web identity federation", () => {
  it("SetSecurityTokenServicePreferences shows in the account summary", async () => {
    await sim.iam.send(new SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: "v2Token" }));
    expect((await sim.iam.send(new GetAccountSummaryCommand({}))).SummaryMap!.GlobalEndpointTokenVersion).toBe(2);
  });

  it("GetWebIdentityToken signs a JWT for the caller once federation is enabled", async () => {
    const sts = new STSClient(clientConfig(sim.server));
    await expectAwsError(sim.iam.send(new GetOutboundWebIdentityFederationInfoCommand({})), { name: "FeatureDisabledException", status: 404 });
    await expectAwsError(sts.send(new GetWebIdentityTokenCommand({ Audience: ["https://api.example.com"], SigningAlgorithm: "RS256" })), {
      name: "OutboundWebIdentityFederationDisabledException",
      status: 403,
    });
    const issuer = (await sim.iam.send(new EnableOutboundWebIdentityFederationCommand({}))).IssuerIdentifier!;
    expect(issuer).toMatch(/^https:\/\/[0-9a-f-]{36}\.tokens\.sts\.global\.api\.aws$/);
    await expectAwsError(sim.iam.send(new EnableOutboundWebIdentityFederationCommand({})), { name: "FeatureEnabledException", status: 409 });
    expect((await sim.iam.send(new GetOutboundWebIdentityFederationInfoCommand({}))).JwtVendingEnabled).toBe(true);
    const t = await sts.send(new GetWebIdentityTokenCommand({ Audience: ["https://api.example.com"], SigningAlgorithm: "ES384", DurationSeconds: 120 }));
    const [h, p, sig] = t.WebIdentityToken!.split(".");
    expect(JSON.parse(Buffer.from(h!, "base64url").toString()).alg).toBe("ES384");
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString());
    expect(claims).toMatchObject({ iss: issuer, sub: "arn:aws:iam::000000000000:root", aud: "https://api.example.com" });
    expect(claims.exp - claims.iat).toBe(120);
    expect(Buffer.from(sig!, "base64url")).toHaveLength(96);
    await sim.iam.send(new DisableOutboundWebIdentityFederationCommand({}));
    await expectAwsError(sim.iam.send(new DisableOutboundWebIdentityFederationCommand({})), { name: "FeatureDisabledException", status: 404 });
  });
});

describe("centralized root access without AWS Organizations", () => {
  it("answers OrganizationNotFoundException, as IAM does for a standalone account", async () => {
    await expectAwsError(sim.iam.send(new ListOrganizationsFeaturesCommand({})), { name: "OrganizationNotFoundException", status: 400 });
    await expectAwsError(sim.iam.send(new EnableOrganizationsRootSessionsCommand({})), { name: "OrganizationNotFoundException", status: 400 });
  });
});
