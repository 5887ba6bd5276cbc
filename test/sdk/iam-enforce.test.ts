import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CreateRepositoryCommand, DescribeImagesCommand, ECRClient, ListImagesCommand, SetRepositoryPolicyCommand } from "@aws-sdk/client-ecr";
import { CreateClusterCommand, DeleteClusterCommand, ECSClient, ListClustersCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from "@aws-sdk/client-ecs";
import {
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  SimulatePrincipalPolicyCommand,
  TagRoleCommand,
} from "@aws-sdk/client-iam";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutBucketPolicyCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  AssumeRootCommand,
  DecodeAuthorizationMessageCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
} from "@aws-sdk/client-sts";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { GetFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { DescribeFileSystemsCommand, EFSClient } from "@aws-sdk/client-efs";
import { beforeAll, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, startServer, useServer, totp } from "../helpers.js";

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
let dev: Creds;
const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const s3 = (c: Creds) => new S3Client(clientConfig(srv.server, { credentials: c, forcePathStyle: true }));

const srv = useServer({ enforceIam: true }, (cfg) => ({ iam: new IAMClient(cfg) }));
beforeAll(async () => {
  await srv.iam.send(new CreateUserCommand({ UserName: "dev" }));
  const k = (await srv.iam.send(new CreateAccessKeyCommand({ UserName: "dev" }))).AccessKey!;
  dev = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
  await srv.iam.send(
    new PutUserPolicyCommand({
      UserName: "dev",
      PolicyName: "app-bucket",
      PolicyDocument: doc(
        { Effect: "Allow", Action: ["s3:CreateBucket", "s3:ListBucket", "s3:PutBucketPolicy"], Resource: "arn:aws:s3:::app" },
        { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::app/*" },
        { Effect: "Allow", Action: "ecs:List*", Resource: "*" },
      ),
    }),
  );
  await s3({ accessKeyId: "test", secretAccessKey: "test" }).send(new CreateBucketCommand({ Bucket: "other" }));
});

describe("--enforce-iam", () => {
  it("a user's identity policy allows its bucket and nothing else (S3 AccessDenied)", async () => {
    await s3(dev).send(new CreateBucketCommand({ Bucket: "app" }));
    await s3(dev).send(new PutObjectCommand({ Bucket: "app", Key: "a.txt", Body: "hi" }));
    expect(await (await s3(dev).send(new GetObjectCommand({ Bucket: "app", Key: "a.txt" }))).Body!.transformToString()).toBe("hi");
    await expectAwsError(s3(dev).send(new PutObjectCommand({ Bucket: "other", Key: "a.txt", Body: "hi" })), { name: "AccessDenied", status: 403 });
  });

  it("a wrong secret is SignatureDoesNotMatch in each protocol; the right one works", async () => {
    const wrong = { ...dev, secretAccessKey: `${dev.secretAccessKey.slice(0, -1)}${dev.secretAccessKey.endsWith("x") ? "y" : "x"}` };
    await expectAwsError(s3(wrong).send(new GetObjectCommand({ Bucket: "app", Key: "a.txt" })), { name: "SignatureDoesNotMatch", status: 403 });
    await expectAwsError(new STSClient(clientConfig(srv.server, { credentials: wrong })).send(new GetCallerIdentityCommand({})), {
      name: "SignatureDoesNotMatch",
      status: 403,
    });
    await expectAwsError(new ECSClient(clientConfig(srv.server, { credentials: wrong })).send(new ListClustersCommand({})), {
      name: "InvalidSignatureException",
      status: 400,
    });
    expect((await new STSClient(clientConfig(srv.server, { credentials: dev })).send(new GetCallerIdentityCommand({}))).Arn).toBe(
      "arn:aws:iam::000000000000:user/dev",
    );
  });

  it("JSON services answer AccessDeniedException with AWS's message", async () => {
    const ecs = new ECSClient(clientConfig(srv.server, { credentials: dev }));
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([]);
    await expectAwsError(ecs.send(new CreateClusterCommand({ clusterName: "x" })), {
      name: "AccessDeniedException",
      status: 400,
      message:
        "User: arn:aws:iam::000000000000:user/dev is not authorized to perform: ecs:CreateCluster on resource: * because no identity-based policy allows the ecs:CreateCluster action",
    });
  });

  it("a bucket policy Deny wins over the identity policy's Allow", async () => {
    await s3(dev).send(
      new PutBucketPolicyCommand({
        Bucket: "app",
        Policy: doc({
          Effect: "Deny",
          Principal: { AWS: "arn:aws:iam::000000000000:user/dev" },
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::app/secret/*",
        }),
      }),
    );
    await s3(dev).send(new PutObjectCommand({ Bucket: "app", Key: "secret/x", Body: "s" }));
    await expectAwsError(s3(dev).send(new GetObjectCommand({ Bucket: "app", Key: "secret/x" })), { name: "AccessDenied", status: 403 });
    await s3(dev).send(new GetObjectCommand({ Bucket: "app", Key: "a.txt" }));
  });

  it("AssumeRole: the trust policy decides; root may not assume roles; sessions get the role's permissions", async () => {
    await srv.iam.send(
      new CreateRoleCommand({
        RoleName: "reader",
        AssumeRolePolicyDocument: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:user/dev" }, Action: "sts:AssumeRole" }),
      }),
    );
    await srv.iam.send(
      new CreateRoleCommand({
        RoleName: "account-trust",
        AssumeRolePolicyDocument: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:root" }, Action: "sts:AssumeRole" }),
      }),
    );
    const read = (
      await srv.iam.send(
        new CreatePolicyCommand({ PolicyName: "read-app", PolicyDocument: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::app/*" }) }),
      )
    ).Policy!.Arn!;
    await srv.iam.send(new AttachRolePolicyCommand({ RoleName: "reader", PolicyArn: read }));
    const sts = new STSClient(clientConfig(srv.server, { credentials: dev }));
    const c = (await sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/reader", RoleSessionName: "s1" }))).Credentials!;
    await expectAwsError(sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/account-trust", RoleSessionName: "s2" })), {
      name: "AccessDenied",
      status: 403,
    });
    await expectAwsError(
      new STSClient(clientConfig(srv.server)).send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/reader", RoleSessionName: "s3" })),
      {
        name: "AccessDenied",
        status: 403,
        message: "Roles may not be assumed by root accounts.",
      },
    );
    const session = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    await s3(session).send(new GetObjectCommand({ Bucket: "app", Key: "a.txt" }));
    await expectAwsError(s3(session).send(new PutObjectCommand({ Bucket: "app", Key: "b.txt", Body: "x" })), { name: "AccessDenied", status: 403 });
    await expectAwsError(
      new STSClient(clientConfig(srv.server, { credentials: { ...session, sessionToken: "bogus" } })).send(new GetCallerIdentityCommand({})),
      {
        name: "InvalidClientTokenId",
        status: 403,
      },
    );
  });

  it("SimulatePrincipalPolicy agrees with enforcement", async () => {
    const cases: Array<[string, string, () => Promise<unknown>]> = [
      ["s3:PutObject", "arn:aws:s3:::app/t.txt", () => s3(dev).send(new PutObjectCommand({ Bucket: "app", Key: "t.txt", Body: "x" }))],
      ["s3:PutObject", "arn:aws:s3:::other/t.txt", () => s3(dev).send(new PutObjectCommand({ Bucket: "other", Key: "t.txt", Body: "x" }))],
      ["s3:GetObject", "arn:aws:s3:::app/t.txt", () => s3(dev).send(new GetObjectCommand({ Bucket: "app", Key: "t.txt" }))],
      ["ecs:ListClusters", "*", () => new ECSClient(clientConfig(srv.server, { credentials: dev })).send(new ListClustersCommand({}))],
      ["ecs:CreateCluster", "*", () => new ECSClient(clientConfig(srv.server, { credentials: dev })).send(new CreateClusterCommand({ clusterName: "y" }))],
    ];
    for (const [action, resource, call] of cases) {
      const sim = (
        await srv.iam.send(
          new SimulatePrincipalPolicyCommand({ PolicySourceArn: "arn:aws:iam::000000000000:user/dev", ActionNames: [action], ResourceArns: [resource] }),
        )
      ).EvaluationResults![0]!.EvalDecision;
      const allowed = await call().then(
        () => true,
        (e: Error) => {
          if (!/AccessDenied/.test(e.name)) throw e;
          return false;
        },
      );
      expect([action, resource, allowed]).toEqual([action, resource, sim === "allowed"]);
    }
  });
});

describe("trust policies under --enforce-iam", () => {
  it("sts:ExternalId, session tags (sts:TagSession, aws:PrincipalTag) and GitHub-style web identity conditions", async () => {
    const sts = new STSClient(clientConfig(srv.server, { credentials: dev }));
    await srv.iam.send(
      new CreateRoleCommand({
        RoleName: "vendor",
        AssumeRolePolicyDocument: doc(
          {
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::000000000000:user/dev" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "sts:ExternalId": "ext-123" } },
          },
          { Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:user/dev" }, Action: "sts:TagSession" },
        ),
      }),
    );
    await srv.iam.send(
      new PutRolePolicyCommand({
        RoleName: "vendor",
        PolicyName: "tagged-read",
        PolicyDocument: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { StringEquals: { "aws:PrincipalTag/team": "blue" } } }),
      }),
    );
    const arn = "arn:aws:iam::000000000000:role/vendor";
    await expectAwsError(sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "vendor-session" })), { name: "AccessDenied", status: 403 });
    const untagged = (await sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "vendor-session", ExternalId: "ext-123" }))).Credentials!;
    const tagged = (
      await sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "vendor-session", ExternalId: "ext-123", Tags: [{ Key: "team", Value: "blue" }] }))
    ).Credentials!;
    const as = (c: typeof tagged) => s3({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
    await as(tagged).send(new GetObjectCommand({ Bucket: "app", Key: "a.txt" }));
    await expectAwsError(as(untagged).send(new GetObjectCommand({ Bucket: "app", Key: "a.txt" })), { name: "AccessDenied", status: 403 });

    const host = "token.actions.githubusercontent.com";
    const provider = (await srv.iam.send(new CreateOpenIDConnectProviderCommand({ Url: `https://${host}`, ClientIDList: ["sts.amazonaws.com"] })))
      .OpenIDConnectProviderArn!;
    await srv.iam.send(
      new CreateRoleCommand({
        RoleName: "gha",
        AssumeRolePolicyDocument: doc({
          Effect: "Allow",
          Principal: { Federated: provider },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringEquals: { [`${host}:aud`]: "sts.amazonaws.com" }, StringLike: { [`${host}:sub`]: "repo:org/app:*" } },
        }),
      }),
    );
    const token = (sub: string) =>
      [{ alg: "RS256" }, { iss: `https://${host}`, sub, aud: "sts.amazonaws.com" }].map((x) => Buffer.from(JSON.stringify(x)).toString("base64url")).join(".") +
      ".c2ln";
    const web = (sub: string) =>
      new STSClient(clientConfig(srv.server)).send(
        new AssumeRoleWithWebIdentityCommand({ RoleArn: "arn:aws:iam::000000000000:role/gha", RoleSessionName: "gh", WebIdentityToken: token(sub) }),
      );
    expect((await web("repo:org/app:ref:refs/heads/main")).AssumedRoleUser!.Arn).toBe("arn:aws:sts::000000000000:assumed-role/gha/gh");
    await expectAwsError(web("repo:evil/app:ref:refs/heads/main"), {
      name: "AccessDenied",
      status: 403,
      message: "Not authorized to perform sts:AssumeRoleWithWebIdentity",
    });
  });
});

describe("expired session credentials", () => {
  it("answer ExpiredToken (Query) and ExpiredTokenException (JSON)", async () => {
    const c = (
      await new STSClient(clientConfig(srv.server)).send(
        new AssumeRootCommand({
          TargetPrincipal: "000000000000",
          TaskPolicyArn: { arn: "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials" },
          DurationSeconds: 0,
        }),
      )
    ).Credentials!;
    const expired = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    await expectAwsError(new STSClient(clientConfig(srv.server, { credentials: expired })).send(new GetCallerIdentityCommand({})), {
      name: "ExpiredToken",
      status: 403,
    });
    await expectAwsError(new ECSClient(clientConfig(srv.server, { credentials: expired })).send(new ListClustersCommand({})), {
      name: "ExpiredTokenException",
      status: 400,
    });
  });
});

describe("presigned URLs under --enforce-iam", () => {
  it("an S3 presigned GET works with the right secret and not with a wrong one", async () => {
    const url = await getSignedUrl(s3(dev), new GetObjectCommand({ Bucket: "app", Key: "a.txt" }), { expiresIn: 60 });
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("hi");
    const bad = await getSignedUrl(s3({ ...dev, secretAccessKey: "wrong" }), new GetObjectCommand({ Bucket: "app", Key: "a.txt" }), { expiresIn: 60 });
    const r = await fetch(bad);
    expect(r.status).toBe(403);
    const body = await r.text();
    expect(body).toContain("<Code>SignatureDoesNotMatch</Code>");
    expect(body).toMatch(/<StringToSign>AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-east-1\/s3\/aws4_request\n[0-9a-f]{64}<\/StringToSign>/);
    expect(body).toContain(`<AWSAccessKeyId>${dev.accessKeyId}</AWSAccessKeyId>`);
    const denied = await getSignedUrl(s3(dev), new GetObjectCommand({ Bucket: "other", Key: "a.txt" }), { expiresIn: 60 });
    expect((await fetch(denied)).status).toBe(403);
  });
});

describe("resource ARNs beyond S3", () => {
  it("log groups are authorized by their ARN", async () => {
    await srv.iam.send(
      new PutUserPolicyCommand({
        UserName: "dev",
        PolicyName: "logs",
        PolicyDocument: doc({
          Effect: "Allow",
          Action: ["logs:CreateLogGroup", "logs:CreateLogStream"],
          Resource: "arn:aws:logs:us-east-1:000000000000:log-group:/app/*",
        }),
      }),
    );
    const logs = new CloudWatchLogsClient(clientConfig(srv.server, { credentials: dev }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: "/app/web" }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: "/app/web", logStreamName: "s" }));
    await expectAwsError(logs.send(new CreateLogGroupCommand({ logGroupName: "/other" })), { name: "AccessDeniedException", status: 400 });
  });
});

describe("condition keys under --enforce-iam", () => {
  it("aws:RequestTag, aws:ResourceTag and s3:prefix", async () => {
    await srv.iam.send(new CreateUserCommand({ UserName: "abac" }));
    const k = (await srv.iam.send(new CreateAccessKeyCommand({ UserName: "abac" }))).AccessKey!;
    const creds = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
    await srv.iam.send(
      new PutUserPolicyCommand({
        UserName: "abac",
        PolicyName: "abac",
        PolicyDocument: doc(
          { Effect: "Allow", Action: "iam:CreateRole", Resource: "*", Condition: { StringEquals: { "aws:RequestTag/team": "blue" } } },
          { Effect: "Allow", Action: "iam:TagRole", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/team": "blue" } } },
          { Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::app", Condition: { StringLike: { "s3:prefix": "home/abac/*" } } },
        ),
      }),
    );
    const a = new IAMClient(clientConfig(srv.server, { credentials: creds }));
    const trust = doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" });
    await a.send(new CreateRoleCommand({ RoleName: "blue", AssumeRolePolicyDocument: trust, Tags: [{ Key: "team", Value: "blue" }] }));
    await expectAwsError(a.send(new CreateRoleCommand({ RoleName: "red", AssumeRolePolicyDocument: trust, Tags: [{ Key: "team", Value: "red" }] })), {
      name: "AccessDenied",
      status: 403,
    });
    await a.send(new TagRoleCommand({ RoleName: "blue", Tags: [{ Key: "env", Value: "dev" }] }));
    await srv.iam.send(new CreateRoleCommand({ RoleName: "green", AssumeRolePolicyDocument: trust }));
    await expectAwsError(a.send(new TagRoleCommand({ RoleName: "green", Tags: [{ Key: "env", Value: "dev" }] })), { name: "AccessDenied", status: 403 });
    await s3(creds).send(new ListObjectsV2Command({ Bucket: "app", Prefix: "home/abac/docs" }));
    await expectAwsError(s3(creds).send(new ListObjectsV2Command({ Bucket: "app", Prefix: "home/other/" })), { name: "AccessDenied", status: 403 });
  });
});

describe("ECS resources under --enforce-iam", () => {
  it("cluster ARNs and the ecs:cluster condition key", async () => {
    await srv.iam.send(
      new PutUserPolicyCommand({
        UserName: "dev",
        PolicyName: "ecs-dev",
        PolicyDocument: doc(
          { Effect: "Allow", Action: "ecs:CreateCluster", Resource: "*" },
          { Effect: "Allow", Action: "ecs:DeleteCluster", Resource: "arn:aws:ecs:us-east-1:000000000000:cluster/dev-*" },
          { Effect: "Allow", Action: "ecs:RegisterTaskDefinition", Resource: "*" },
          { Effect: "Allow", Action: "ecs:RunTask", Resource: "*", Condition: { ArnLike: { "ecs:cluster": "arn:aws:ecs:*:*:cluster/dev-*" } } },
        ),
      }),
    );
    const ecs = new ECSClient(clientConfig(srv.server, { credentials: dev }));
    await ecs.send(new CreateClusterCommand({ clusterName: "dev-a" }));
    await ecs.send(new CreateClusterCommand({ clusterName: "dev-b" }));
    await ecs.send(new CreateClusterCommand({ clusterName: "prod" }));
    await ecs.send(new DeleteClusterCommand({ cluster: "dev-b" }));
    await expectAwsError(ecs.send(new DeleteClusterCommand({ cluster: "prod" })), { name: "AccessDeniedException", status: 400 });
    await ecs.send(new RegisterTaskDefinitionCommand({ family: "t", containerDefinitions: [{ name: "c", image: "busybox" }] }));
    expect((await ecs.send(new RunTaskCommand({ cluster: "dev-a", taskDefinition: "t" }))).tasks).toHaveLength(1);
    await expectAwsError(ecs.send(new RunTaskCommand({ cluster: "prod", taskDefinition: "t" })), { name: "AccessDeniedException", status: 400 });
  });
});

describe("self-service IAM under --enforce-iam", () => {
  it("a policy on user/${aws:username} lets users manage their own keys and no one else's", async () => {
    await srv.iam.send(new CreateUserCommand({ UserName: "self" }));
    await srv.iam.send(new CreateUserCommand({ UserName: "someone" }));
    const k = (await srv.iam.send(new CreateAccessKeyCommand({ UserName: "self" }))).AccessKey!;
    await srv.iam.send(
      new PutUserPolicyCommand({
        UserName: "self",
        PolicyName: "own-keys",
        PolicyDocument: doc({ Effect: "Allow", Action: ["iam:*AccessKey*", "iam:GetUser"], Resource: "arn:aws:iam::*:user/${aws:username}" }),
      }),
    );
    const me = new IAMClient(clientConfig(srv.server, { credentials: { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! } }));
    expect((await me.send(new ListAccessKeysCommand({}))).AccessKeyMetadata).toHaveLength(1);
    expect((await me.send(new GetUserCommand({}))).User!.UserName).toBe("self");
    await expectAwsError(me.send(new ListAccessKeysCommand({ UserName: "someone" })), { name: "AccessDenied", status: 403 });
  });
});

describe("MFA under --enforce-iam", () => {
  it("aws:MultiFactorAuthPresent is true only for sessions from GetSessionToken with a valid code", async () => {
    await srv.iam.send(new CreateUserCommand({ UserName: "mfa" }));
    const k = (await srv.iam.send(new CreateAccessKeyCommand({ UserName: "mfa" }))).AccessKey!;
    const longTerm = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
    await srv.iam.send(
      new PutUserPolicyCommand({
        UserName: "mfa",
        PolicyName: "mfa-only",
        PolicyDocument: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }),
      }),
    );
    const dev0 = (await srv.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "mfa-phone" }))).VirtualMFADevice!;
    const seed = Buffer.from(dev0.Base32StringSeed!).toString();
    const t = Math.floor(Date.now() / 30_000);
    await srv.iam.send(
      new EnableMFADeviceCommand({
        UserName: "mfa",
        SerialNumber: dev0.SerialNumber!,
        AuthenticationCode1: totp(seed, t - 1),
        AuthenticationCode2: totp(seed, t),
      }),
    );
    await expectAwsError(s3(longTerm).send(new GetObjectCommand({ Bucket: "app", Key: "a.txt" })), { name: "AccessDenied", status: 403 });
    const c = (
      await new STSClient(clientConfig(srv.server, { credentials: longTerm })).send(
        new GetSessionTokenCommand({ SerialNumber: dev0.SerialNumber, TokenCode: totp(seed, Math.floor(Date.now() / 30_000)) }),
      )
    ).Credentials!;
    await s3({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }).send(
      new GetObjectCommand({ Bucket: "app", Key: "a.txt" }),
    );
  });
});

describe("REST-JSON under --enforce-iam", () => {
  it("Lambda paths with ARNs verify (double-encoded canonical URI) and denials are AccessDeniedException 403", async () => {
    await srv.iam.send(
      new PutUserPolicyCommand({
        UserName: "dev",
        PolicyName: "lambda-f",
        PolicyDocument: doc({ Effect: "Allow", Action: "lambda:GetFunction", Resource: "arn:aws:lambda:us-east-1:000000000000:function:f" }),
      }),
    );
    const lambda = new LambdaClient(clientConfig(srv.server, { credentials: dev }));
    await expectAwsError(lambda.send(new GetFunctionCommand({ FunctionName: "arn:aws:lambda:us-east-1:000000000000:function:f" })), {
      name: "ResourceNotFoundException",
      status: 404,
    });
    await expectAwsError(lambda.send(new GetFunctionCommand({ FunctionName: "arn:aws:lambda:us-east-1:000000000000:function:g" })), {
      name: "AccessDeniedException",
      status: 403,
    });
    await expectAwsError(new EFSClient(clientConfig(srv.server, { credentials: dev })).send(new DescribeFileSystemsCommand({})), {
      name: "AccessDeniedException",
      status: 403,
    });
  });
});

describe("service resource policies under --enforce-iam", () => {
  it("an ECR repository policy Deny wins over the user's Allow", async () => {
    const root = new ECRClient(clientConfig(srv.server));
    await root.send(new CreateRepositoryCommand({ repositoryName: "locked" }));
    await root.send(
      new SetRepositoryPolicyCommand({
        repositoryName: "locked",
        policyText: doc({ Effect: "Deny", Principal: { AWS: "arn:aws:iam::000000000000:user/dev" }, Action: "ecr:ListImages" }),
      }),
    );
    await srv.iam.send(
      new PutUserPolicyCommand({ UserName: "dev", PolicyName: "ecr", PolicyDocument: doc({ Effect: "Allow", Action: "ecr:*", Resource: "*" }) }),
    );
    const ecr = new ECRClient(clientConfig(srv.server, { credentials: dev }));
    await ecr.send(new DescribeImagesCommand({ repositoryName: "locked" }));
    await expectAwsError(ecr.send(new ListImagesCommand({ repositoryName: "locked" })), { name: "AccessDeniedException", status: 400 });
  });
});

describe("EC2 under --enforce-iam", () => {
  it("answers UnauthorizedOperation with a message DecodeAuthorizationMessage decodes", async () => {
    const ec2 = new EC2Client(clientConfig(srv.server, { credentials: dev }));
    const e = await expectAwsError(ec2.send(new DescribeVpcsCommand({})), { name: "UnauthorizedOperation", status: 403 });
    const encoded = /Encoded authorization failure message: (\S+)/.exec(e.message)![1]!;
    const decoded = JSON.parse(
      (await new STSClient(clientConfig(srv.server)).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded }))).DecodedMessage!,
    );
    expect(decoded).toMatchObject({ allowed: false, context: { principal: { arn: "arn:aws:iam::000000000000:user/dev" }, action: "ec2:DescribeVpcs" } });
  });
});

describe("--enforce-iam=strict", () => {
  it("keys that match no identity are rejected; --root-keys are the account root", async () => {
    const strict = await startServer({ enforceIam: "strict", rootKeys: ["AKIAROOTKEY000000001:rootsecret", "111122223333:other"] });
    try {
      const root = { accessKeyId: "AKIAROOTKEY000000001", secretAccessKey: "rootsecret" };
      expect((await new STSClient(clientConfig(strict, { credentials: root })).send(new GetCallerIdentityCommand({}))).Arn).toBe(
        "arn:aws:iam::000000000000:root",
      );
      const other = new STSClient(clientConfig(strict, { credentials: { accessKeyId: "111122223333", secretAccessKey: "other" } }));
      expect((await other.send(new GetCallerIdentityCommand({}))).Arn).toBe("arn:aws:iam::111122223333:root");
      await new IAMClient(clientConfig(strict, { credentials: root })).send(new CreateUserCommand({ UserName: "u" }));
      await expectAwsError(
        new IAMClient(clientConfig(strict, { credentials: { ...root, secretAccessKey: "wrong" } })).send(new CreateUserCommand({ UserName: "v" })),
        {
          name: "SignatureDoesNotMatch",
          status: 403,
        },
      );
      await expectAwsError(new STSClient(clientConfig(strict)).send(new GetCallerIdentityCommand({})), { name: "InvalidClientTokenId", status: 403 });
      await expectAwsError(new S3Client(clientConfig(strict, { forcePathStyle: true })).send(new CreateBucketCommand({ Bucket: "b" })), {
        name: "InvalidAccessKeyId",
        status: 403,
      });
    } finally {
      await strict.stop();
    }
  });
});
