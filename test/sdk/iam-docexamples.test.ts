import {
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  CreateServiceLinkedRoleCommand,
  DeleteServiceLinkedRoleCommand,
  DetachRolePolicyCommand,
  EnableMFADeviceCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetServiceLinkedRoleDeletionStatusCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { CreateBucketCommand, ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer, totp } from "../helpers.js";

const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

describe("python/example_code/sts/assume_role_mfa.py under --enforce-iam", () => {
  const t = useServer({ enforceIam: true }, (cfg) => ({ iam: new IAMClient(cfg) }));

  it("a role whose trust policy requires MFA is refused without a code and assumed with SerialNumber and TokenCode", async () => {
    const { iam } = t;
    const user = (await iam.send(new CreateUserCommand({ UserName: "demo-assume-role-user" }))).User!;
    const dev = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "demo-assume-role-mfa" }))).VirtualMFADevice!;
    const seed = Buffer.from(dev.Base32StringSeed!).toString();
    const step = Math.floor(Date.now() / 30_000);
    await iam.send(
      new EnableMFADeviceCommand({
        UserName: user.UserName,
        SerialNumber: dev.SerialNumber,
        AuthenticationCode1: totp(seed, step - 1),
        AuthenticationCode2: totp(seed, step),
      }),
    );
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: user.UserName }))).AccessKey!;
    const role = (
      await iam.send(
        new CreateRoleCommand({
          RoleName: "demo-assume-role-role",
          AssumeRolePolicyDocument: doc({
            Effect: "Allow",
            Principal: { AWS: user.Arn },
            Action: "sts:AssumeRole",
            Condition: { Bool: { "aws:MultiFactorAuthPresent": true } },
          }),
        }),
      )
    ).Role!;
    const policy = (
      await iam.send(
        new CreatePolicyCommand({
          PolicyName: "demo-assume-role-policy",
          PolicyDocument: doc({ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "arn:aws:s3:::*" }),
        }),
      )
    ).Policy!;
    await iam.send(new AttachRolePolicyCommand({ RoleName: role.RoleName, PolicyArn: policy.Arn }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: user.UserName,
        PolicyName: "demo-assume-role-user-policy",
        PolicyDocument: doc({ Effect: "Allow", Action: "sts:AssumeRole", Resource: role.Arn }),
      }),
    );
    const sts = new STSClient(clientConfig(t.server, { credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } }));

    // try_to_assume_role_without_mfa: the example expects the error code AccessDenied.
    // AWS words it without a reason: "User: <arn> is not authorized to perform: sts:AssumeRole on resource: <role arn>".
    await expectAwsError(sts.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: "demo-sts-session" })), {
      name: "AccessDenied",
      status: 403,
      message: `User: ${user.Arn} is not authorized to perform: sts:AssumeRole on resource: ${role.Arn}`,
    });
    // A wrong code is refused too.
    const now = Math.floor(Date.now() / 30_000);
    const wrong = ["000000", "111111"].find((c) => ![now - 1, now, now + 1].some((w) => totp(seed, w) === c))!;
    await expectAwsError(
      sts.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: "demo-sts-session", SerialNumber: dev.SerialNumber, TokenCode: wrong })),
      { name: "AccessDenied", status: 403 },
    );

    // list_buckets_from_assumed_role_with_mfa: the code from the device gets the role's credentials.
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: role.Arn,
        RoleSessionName: "demo-sts-session",
        SerialNumber: dev.SerialNumber,
        TokenCode: totp(seed, Math.floor(Date.now() / 30_000)),
      }),
    );
    expect(out.AssumedRoleUser!.Arn).toBe("arn:aws:sts::000000000000:assumed-role/demo-assume-role-role/demo-sts-session");
    const c = out.Credentials!;
    const who = await new STSClient(
      clientConfig(t.server, { credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } }),
    ).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(out.AssumedRoleUser!.Arn);
  });
});

describe("python/example_code/iam/scenario_create_user_assume_role.py under --enforce-iam", () => {
  const t = useServer({ enforceIam: true }, (cfg) => ({ iam: new IAMClient(cfg), s3: new S3Client({ ...cfg, forcePathStyle: true }) }));

  it("the user is denied ListBuckets; the role allowed s3:ListAllMyBuckets on arn:aws:s3:::* lists them", async () => {
    const { iam } = t;
    await t.s3.send(new CreateBucketCommand({ Bucket: "demo-bucket" }));
    const user = (await iam.send(new CreateUserCommand({ UserName: "demo-user" }))).User!;
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: "demo-user" }))).AccessKey!;
    const userCreds = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    const role = (
      await iam.send(
        new CreateRoleCommand({
          RoleName: "demo-role",
          AssumeRolePolicyDocument: doc({ Effect: "Allow", Principal: { AWS: user.Arn }, Action: "sts:AssumeRole" }),
        }),
      )
    ).Role!;
    const policy = (
      await iam.send(
        new CreatePolicyCommand({
          PolicyName: "demo-policy",
          PolicyDocument: doc({ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "arn:aws:s3:::*" }),
        }),
      )
    ).Policy!;
    await iam.send(new AttachRolePolicyCommand({ RoleName: role.RoleName, PolicyArn: policy.Arn }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: "demo-user",
        PolicyName: "demo-user-policy",
        PolicyDocument: doc({ Effect: "Allow", Action: "sts:AssumeRole", Resource: role.Arn }),
      }),
    );
    // show_access_denied_without_role: the example expects the error code AccessDenied.
    await expectAwsError(new S3Client(clientConfig(t.server, { credentials: userCreds, forcePathStyle: true })).send(new ListBucketsCommand({})), {
      name: "AccessDenied",
      status: 403,
    });
    // list_buckets_from_assumed_role.
    const c = (
      await new STSClient(clientConfig(t.server, { credentials: userCreds })).send(
        new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: "AssumeRoleDemoSession" }),
      )
    ).Credentials!;
    const s3 = new S3Client(
      clientConfig(t.server, {
        credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
        forcePathStyle: true,
      }),
    );
    expect((await s3.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name)).toEqual(["demo-bucket"]);
  });
});

describe("AWS managed policies the examples attach", () => {
  const t = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));

  // python/example_code/iam/service_linked_roles.py: the demo reads list(role.attached_policies.all())[0] and prints
  // that policy's default version document; javascriptv3 and gov2 create the Elastic Beanstalk role the same way.
  it.each([
    ["elasticbeanstalk.amazonaws.com", "AWSServiceRoleForElasticBeanstalk", "AWSElasticBeanstalkServiceRolePolicy", "v6"],
    ["batch.amazonaws.com", "AWSServiceRoleForBatch", "BatchServiceRolePolicy", "v7"],
  ])("a service-linked role for %s comes with its service's managed policy attached", async (service, roleName, policyName, version) => {
    const { iam } = t;
    const role = (await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: service, Description: "Service-linked role demo." }))).Role!;
    expect(role.RoleName).toBe(roleName);
    expect((await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role!.Path).toBe(`/aws-service-role/${service}/`);
    const policyArn = `arn:aws:iam::aws:policy/aws-service-role/${policyName}`;
    const attached = (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies!;
    expect(attached).toEqual([{ PolicyName: policyName, PolicyArn: policyArn }]);
    const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }))).Policy!;
    expect(policy).toMatchObject({ Path: "/aws-service-role/", DefaultVersionId: version, AttachmentCount: 1 });
    expect(policy.Description).toBeTruthy();
    const v = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: policy.DefaultVersionId }))).PolicyVersion!;
    const document = JSON.parse(decodeURIComponent(v.Document!));
    expect(document.Version).toBe("2012-10-17");
    expect(document.Statement.length).toBeGreaterThan(0);
    // The role belongs to the service: its policy cannot be detached by the account.
    await expectAwsError(iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })), {
      name: "UnmodifiableEntityException",
      status: 400,
    });
    const { DeletionTaskId } = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: roleName }));
    expect((await iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId }))).Status).toBe("SUCCEEDED");
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }))).Policy!.AttachmentCount).toBe(0);
  });

  // javascriptv3/example_code/lambda/src/lambda-role-setup.ts attaches AWSLambdaRole and AmazonDynamoDBReadOnlyAccess.
  it("the Lambda tutorial's role gets AWSLambdaRole and AmazonDynamoDBReadOnlyAccess", async () => {
    const { iam } = t;
    await iam.send(
      new CreateRoleCommand({
        RoleName: "v3-lambda-tutorial-lambda-role",
        AssumeRolePolicyDocument: doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }),
      }),
    );
    for (const arn of ["arn:aws:iam::aws:policy/service-role/AWSLambdaRole", "arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess"])
      await iam.send(new AttachRolePolicyCommand({ RoleName: "v3-lambda-tutorial-lambda-role", PolicyArn: arn }));
    const ddb = (await iam.send(new GetPolicyCommand({ PolicyArn: "arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess" }))).Policy!;
    expect(ddb).toMatchObject({
      PolicyName: "AmazonDynamoDBReadOnlyAccess",
      Path: "/",
      DefaultVersionId: "v15",
      Description: "Provides read only access to Amazon DynamoDB via the AWS Management Console.",
      AttachmentCount: 1,
    });
    const v = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: ddb.Arn, VersionId: "v15" }))).PolicyVersion!;
    expect(JSON.parse(decodeURIComponent(v.Document!)).Statement[0].Action).toContain("dynamodb:GetItem");
  });
});
