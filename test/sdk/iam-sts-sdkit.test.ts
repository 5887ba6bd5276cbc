/**
 * IAM and STS as the SDK teams' own integration tests (run against real AWS) rely on them: differences found by
 * replaying botocore tests/integration, aws-cli tests/integration, aws-sdk-go-v2 integrationtest, aws-sdk-js-v3
 * client e2e tests and aws-sdk-java-v2 services/{iam,sts}/src/it against awsim.
 */
import {
  AddRoleToInstanceProfileCommand,
  AddUserToGroupCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetGroupCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  ListGroupsCommand,
  ListInstanceProfilesCommand,
  ListPoliciesCommand,
  ListRolesCommand,
  ListSigningCertificatesCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  UploadSigningCertificateCommand,
} from "@aws-sdk/client-iam";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

// Self-signed RSA certificates made for these tests: one valid only in 2010, one valid only from 2090.
const EXPIRED =
  "-----BEGIN CERTIFICATE-----\nMIICuDCCAaCgAwIBAgIUOUKCUYgQTRYfDXM72szvNa5XbJEwDQYJKoZIhvcNAQEL\nBQAwFjEUMBIGA1UEAwwLYXdzaW0tc2RraXQwHhcNMTAwMTAxMDAwMDAwWhcNMTEw\nMTAxMDAwMDAwWjAWMRQwEgYDVQQDDAthd3NpbS1zZGtpdDCCASIwDQYJKoZIhvcN\nAQEBBQADggEPADCCAQoCggEBAIxsKPeUTUlj+n7fI6S+XLpg0X9WYW8FJJybadpf\nrv4O86cYQffOcuw/eYOsA/CUD2ogw8O8BiWSEs64w873I+TlxL815E1qe7/nlHv/\ndwvEcUcCIurfMLb9CtJJDocldZy82Je/rj2ci6gwtgEHomRXdpFHcRE8EDG5gMma\nqurPZTPCFCQtQ5KtiwQe9wyRaXMb3DYxpac8RjSpe2MTjeSxYTEYRne7K92RflQp\ndnPdhDnVH8X9ON2yGoNoKrCajucMaV1n6LsiM8vUsKY2UB8HLpgkdOAJtPQSQ2q4\nXId4SSoGdrI0GCt19lzTk0OB0azPbweMeeFseSnYbIZ/kv0CAwEAATANBgkqhkiG\n9w0BAQsFAAOCAQEAVy+51vwLVTQBM4mm+Vf6YetoXMm8lVGYuCnhG/pHqpuyvPu/\nTuIy7NS82jGmpGEC/QUmmBTXw9mJRYFDzCwmADlmsp2fQN6IU8UgUWLjhRDVYVpo\nlzvjtq1y7XVswmH9p2VUoH5lYPRuXjM6wqYO4YN9Kbj07j8lfeCq7hYh+yAQb5kU\nYP4yxvJGNupHwoCa/mxSLnkijyfopsKK/NgVJNOzPtNi1EBSN5Lv5b7tlUSrL5vi\n2mwf+aOGMszis281Fn7lCbzVP11GvL2bhiZtQUaNWe0yaM+LRuoqhdGKtiSl49tg\ndy5hQU3JC8rEeCJnKjO0Jc4x0WGn3mM22ci5uw==\n-----END CERTIFICATE-----\n";
const NOT_YET_VALID =
  "-----BEGIN CERTIFICATE-----\nMIICvDCCAaSgAwIBAgIUVOih3ioWzDHYZSEr0GfBXkzUsagwDQYJKoZIhvcNAQEL\nBQAwFjEUMBIGA1UEAwwLYXdzaW0tc2RraXQwIhgPMjA5MDAxMDEwMDAwMDBaGA8y\nMDkxMDEwMTAwMDAwMFowFjEUMBIGA1UEAwwLYXdzaW0tc2RraXQwggEiMA0GCSqG\nSIb3DQEBAQUAA4IBDwAwggEKAoIBAQCMbCj3lE1JY/p+3yOkvly6YNF/VmFvBSSc\nm2naX67+DvOnGEH3znLsP3mDrAPwlA9qIMPDvAYlkhLOuMPO9yPk5cS/NeRNanu/\n55R7/3cLxHFHAiLq3zC2/QrSSQ6HJXWcvNiXv649nIuoMLYBB6JkV3aRR3ERPBAx\nuYDJmqrqz2UzwhQkLUOSrYsEHvcMkWlzG9w2MaWnPEY0qXtjE43ksWExGEZ3uyvd\nkX5UKXZz3YQ51R/F/TjdshqDaCqwmo7nDGldZ+i7IjPL1LCmNlAfBy6YJHTgCbT0\nEkNquFyHeEkqBnayNBgrdfZc05NDgdGsz28HjHnhbHkp2GyGf5L9AgMBAAEwDQYJ\nKoZIhvcNAQELBQADggEBABUuhCb5VIzM3rLxeRPoFjhd+k11OohW22HY/W71pkdS\nMw8cBV2ZepDZKWmTIBXNKXAckWIgJV00yb/V3m9r6DLM/jTSWfvox41pLy0+eupT\ntLAE2g244Z9hSCpVoaZBvwyYH6ACMZof4u63hXXJZIc9lxjvZlUoP9FmosuKe1j+\nuyzqjTXzthYShfsmjSyEctchSbtI2HHzgSyTkZuRv6mRg4KWDRAzusf+jdPk5OcS\nZZ1++xBq0neEakgffaK1WhBUAyne+Qajlws0UIiJjEwYGwUVFoKHJBn/7n6fREqw\nnw+9uWksM77K0Oc1INe07RuOyf++G5lgCXD5WVZ8BFI=\n-----END CERTIFICATE-----\n";

describe("IAM signing certificates (aws-sdk-java-v2 CertsIntegrationTest)", () => {
  const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));

  // testMalformedCertificateException: an expired certificate is refused with MalformedCertificateException
  // (the API reference: "the certificate was malformed or expired").
  it("refuses an expired or not yet valid certificate as MalformedCertificate and stores nothing", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "certs-user", Path: "/IntegrationTests/IAM/" }));
    for (const body of [EXPIRED, NOT_YET_VALID]) {
      await expectAwsError(sim.iam.send(new UploadSigningCertificateCommand({ UserName: "certs-user", CertificateBody: body })), {
        name: "MalformedCertificateException",
        status: 400,
        message: `Certificate ${body.trim()} is malformed.`,
      });
    }
    expect((await sim.iam.send(new ListSigningCertificatesCommand({ UserName: "certs-user" }))).Certificates).toEqual([]);
  });
});

describe("STS validation (aws-sdk-js-v3 clients/client-sts/test/sts-features.e2e.spec.ts)", () => {
  const sim = useServer({}, (cfg) => ({ sts: new STSClient(cfg) }));

  // "should contain validation error for invalid session token duration": below the model's 900 seconds.
  it("answers GetSessionToken with DurationSeconds 60 with a ValidationError", async () => {
    await expectAwsError(sim.sts.send(new GetSessionTokenCommand({ DurationSeconds: 60 })), {
      name: "ValidationError",
      status: 400,
      message: "1 validation error detected: Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    });
  });
});

describe("IAM listing under --enforce-iam (botocore/aws-cli test_credentials TestAssumeRoleCredentials)", () => {
  const sim = useServer({ enforceIam: true }, (cfg) => ({ iam: new IAMClient(cfg), sts: new STSClient(cfg) }));
  type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  const as = (credentials: Creds) => ({
    iam: new IAMClient(clientConfig(sim.server, { credentials })),
    sts: new STSClient(clientConfig(sim.server, { credentials })),
    s3: new S3Client(clientConfig(sim.server, { credentials, forcePathStyle: true })),
  });
  const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

  // test_recursive_assume_role: user → middle role → final role with AmazonS3ReadOnlyAccess; the final session lists
  // buckets and is refused ListGroups with AccessDenied, the denial naming the listed path as AWS names it.
  it("chains two AssumeRoles to an S3 read-only session that may not list groups", async () => {
    const account = (await sim.sts.send(new GetCallerIdentityCommand({}))).Account!;
    const trust = doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "sts:AssumeRole" });
    const assumePolicy = async (name: string, roleArn: string) =>
      (await sim.iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: doc({ Effect: "Allow", Resource: roleArn, Action: "sts:AssumeRole" }) })))
        .Policy!.Arn!;
    const final = (await sim.iam.send(new CreateRoleCommand({ RoleName: "botocoretest-final", AssumeRolePolicyDocument: trust }))).Role!;
    await sim.iam.send(new AttachRolePolicyCommand({ RoleName: final.RoleName, PolicyArn: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" }));
    const middle = (await sim.iam.send(new CreateRoleCommand({ RoleName: "botocoretest-middle", AssumeRolePolicyDocument: trust }))).Role!;
    await sim.iam.send(new AttachRolePolicyCommand({ RoleName: middle.RoleName, PolicyArn: await assumePolicy("assume-final", final.Arn!) }));
    await sim.iam.send(new CreateUserCommand({ UserName: "botocoretest-user" }));
    await sim.iam.send(new AttachUserPolicyCommand({ UserName: "botocoretest-user", PolicyArn: await assumePolicy("assume-middle", middle.Arn!) }));
    const key = (await sim.iam.send(new CreateAccessKeyCommand({ UserName: "botocoretest-user" }))).AccessKey!;

    const hop = async (c: Creds, roleArn: string): Promise<Creds> => {
      const r = (await as(c).sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "botocore-session-1" }))).Credentials!;
      return { accessKeyId: r.AccessKeyId!, secretAccessKey: r.SecretAccessKey!, sessionToken: r.SessionToken! };
    };
    const session = as(await hop(await hop({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }, middle.Arn!), final.Arn!));
    expect((await session.s3.send(new ListBucketsCommand({}))).$metadata.httpStatusCode).toBe(200);
    await expectAwsError(session.iam.send(new ListGroupsCommand({})), {
      name: "AccessDenied",
      status: 403,
      message: `User: arn:aws:sts::${account}:assumed-role/botocoretest-final/botocore-session-1 is not authorized to perform: iam:ListGroups on resource: arn:aws:iam::${account}:group/ because no identity-based policy allows the iam:ListGroups action`,
    });
  });

  it("authorizes ListUsers, ListRoles, ListGroups, ListInstanceProfiles and ListPolicies on the path listed", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "lister" }));
    const k = (await sim.iam.send(new CreateAccessKeyCommand({ UserName: "lister" }))).AccessKey!;
    const lister = as({ accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! });
    await sim.iam.send(new CreateUserCommand({ UserName: "abc-1", Path: "/division_abc/" }));
    await sim.iam.send(
      new PutUserPolicyCommand({
        UserName: "lister",
        PolicyName: "list-division",
        PolicyDocument: doc({
          Effect: "Allow",
          Action: ["iam:ListUsers", "iam:ListRoles"],
          Resource: ["arn:aws:iam::000000000000:user/division_abc/*", "arn:aws:iam::000000000000:role/division_abc/*"],
        }),
      }),
    );
    const users = await lister.iam.send(new ListUsersCommand({ PathPrefix: "/division_abc/" }));
    expect(users.Users!.map((u) => u.UserName)).toEqual(["abc-1"]);
    expect((await lister.iam.send(new ListRolesCommand({ PathPrefix: "/division_abc/" }))).Roles).toEqual([]);
    const denied = (action: string, resource: string) =>
      `User: arn:aws:iam::000000000000:user/lister is not authorized to perform: iam:${action} on resource: ${resource} because no identity-based policy allows the iam:${action} action`;
    await expectAwsError(lister.iam.send(new ListUsersCommand({})), {
      name: "AccessDenied",
      status: 403,
      message: denied("ListUsers", "arn:aws:iam::000000000000:user/"),
    });
    await expectAwsError(lister.iam.send(new ListRolesCommand({ PathPrefix: "/other/" })), {
      name: "AccessDenied",
      status: 403,
      message: denied("ListRoles", "arn:aws:iam::000000000000:role/other/"),
    });
    await expectAwsError(lister.iam.send(new ListPoliciesCommand({})), { name: "AccessDenied", status: 403, message: denied("ListPolicies", "policy path /") });
    await expectAwsError(lister.iam.send(new ListInstanceProfilesCommand({ PathPrefix: "/karpenter/" })), {
      name: "AccessDenied",
      status: 403,
      message: denied("ListInstanceProfiles", "arn:aws:iam::000000000000:instance-profile/karpenter/"),
    });
    await expectAwsError(lister.iam.send(new ListGroupsCommand({ PathPrefix: "/division_abc/" })), {
      name: "AccessDenied",
      status: 403,
      message: denied("ListGroups", "arn:aws:iam::000000000000:group/division_abc/"),
    });
  });
  // What the botocore/aws-cli credential tests do to set up (attach policies, create roles and users), by a user
  // allowed only on the entities: authorized on the role, group or instance profile acted on, and refused with
  // IAM's own wording of the resource ("role <name>", "group <name>", "policy <arn>").
  it("authorizes IAM operations on the entity acted on and words denials as IAM does", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "operator" }));
    const k = (await sim.iam.send(new CreateAccessKeyCommand({ UserName: "operator" }))).AccessKey!;
    const op = as({ accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! }).iam;
    const trust = doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" });
    await sim.iam.send(new CreateRoleCommand({ RoleName: "app", Path: "/svc/", AssumeRolePolicyDocument: trust }));
    await sim.iam.send(new CreateGroupCommand({ GroupName: "admins" }));
    await sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "web" }));
    await sim.iam.send(
      new PutUserPolicyCommand({
        UserName: "operator",
        PolicyName: "entities",
        PolicyDocument: doc(
          { Effect: "Allow", Action: "iam:AttachRolePolicy", Resource: "arn:aws:iam::000000000000:role/svc/app" },
          { Effect: "Allow", Action: "iam:AddUserToGroup", Resource: "arn:aws:iam::000000000000:group/admins" },
          { Effect: "Allow", Action: "iam:AddRoleToInstanceProfile", Resource: "arn:aws:iam::000000000000:instance-profile/web" },
          { Effect: "Allow", Action: "iam:PassRole", Resource: "*" },
        ),
      }),
    );
    await op.send(new AttachRolePolicyCommand({ RoleName: "app", PolicyArn: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" }));
    await op.send(new AddUserToGroupCommand({ GroupName: "admins", UserName: "operator" }));
    await op.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "web", RoleName: "app" }));

    const denied = async (p: Promise<unknown>, action: string, resource: string) =>
      expectAwsError(p, {
        name: "AccessDenied",
        status: 403,
        message: `User: arn:aws:iam::000000000000:user/operator is not authorized to perform: iam:${action} on resource: ${resource} because no identity-based policy allows the iam:${action} action`,
      });
    await denied(op.send(new GetRoleCommand({ RoleName: "app" })), "GetRole", "role app");
    await denied(op.send(new GetGroupCommand({ GroupName: "admins" })), "GetGroup", "group admins");
    await denied(op.send(new GetUserCommand({})), "GetUser", "user operator");
    await denied(
      op.send(new GetPolicyCommand({ PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" })),
      "GetPolicy",
      "policy arn:aws:iam::aws:policy/ReadOnlyAccess",
    );
    await denied(
      op.send(new CreatePolicyCommand({ PolicyName: "mine", PolicyDocument: doc({ Effect: "Allow", Action: "s3:*", Resource: "*" }) })),
      "CreatePolicy",
      "policy mine",
    );
    await denied(
      op.send(new CreateRoleCommand({ RoleName: "new-role", Path: "/service-role/", AssumeRolePolicyDocument: trust })),
      "CreateRole",
      "arn:aws:iam::000000000000:role/service-role/new-role",
    );
  });
});
