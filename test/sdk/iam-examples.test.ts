/** IAM as AWS's documented examples show it (aws CLI and botocore examples), beyond the recorded answers. */
import {
  AttachGroupPolicyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  UpdateAccountPasswordPolicyCommand,
  CreateServiceLinkedRoleCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  DeleteServiceLinkedRoleCommand,
  GetContextKeysForCustomPolicyCommand,
  GetContextKeysForPrincipalPolicyCommand,
  GenerateServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetServiceLinkedRoleDeletionStatusCommand,
  GetSSHPublicKeyCommand,
  GetUserCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListPoliciesCommand,
  PutUserPolicyCommand,
  ResetServiceSpecificCredentialCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
  UploadSSHPublicKeyCommand,
} from "@aws-sdk/client-iam";
import { createHash, createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sshRsaKey, useServer } from "../helpers.js";

const ACCOUNT = "000000000000";

describe("IAM documented examples", () => {
  const sim = useServer({ reset: "iam" }, (cfg) => ({ iam: new IAMClient(cfg) }));

  it("simulate-custom-policy: the matched statement's span and type, a date condition either way", async () => {
    const policy =
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';
    const run = async (when: string) =>
      (
        await sim.iam.send(
          new SimulateCustomPolicyCommand({
            PolicyInputList: [policy],
            ActionNames: ["dynamodb:CreateBackup"],
            ContextEntries: [{ ContextKeyName: "aws:CurrentTime", ContextKeyValues: [when], ContextKeyType: "date" }],
          }),
        )
      ).EvaluationResults;
    expect(await run("2019-04-25T11:00:00Z")).toEqual([
      {
        EvalActionName: "dynamodb:CreateBackup",
        EvalResourceName: "*",
        EvalDecision: "allowed",
        MatchedStatements: [
          {
            SourcePolicyId: "PolicyInputList.1",
            SourcePolicyType: "IAM Policy",
            StartPosition: { Line: 1, Column: 38 },
            EndPosition: { Line: 1, Column: 167 },
          },
        ],
        MissingContextValues: [],
      },
    ]);
    expect(await run("2014-04-25T11:00:00Z")).toEqual([
      { EvalActionName: "dynamodb:CreateBackup", EvalResourceName: "*", EvalDecision: "implicitDeny", MatchedStatements: [], MissingContextValues: [] },
    ]);
  });

  it("simulate-principal-policy: an inline policy's statement span in a pretty-printed document", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "alejandro" }));
    const doc = [
      "{",
      '    "Version": "2012-10-17",',
      '    "Statement": [',
      "        {",
      '            "Sid": "VisualEditor0",',
      '            "Effect": "Allow",',
      '            "Action": "codecommit:ListRepositories",',
      '            "Resource": "*"',
      "        }",
      "    ]",
      "}",
    ].join("\n");
    await sim.iam.send(new PutUserPolicyCommand({ UserName: "alejandro", PolicyName: "Grant-Access-To-CodeCommit-ListRepo", PolicyDocument: doc }));
    const PolicySourceArn = `arn:aws:iam::${ACCOUNT}:user/alejandro`;
    const r = await sim.iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn, ActionNames: ["codecommit:ListRepositories"] }));
    expect(r.EvaluationResults).toEqual([
      {
        EvalActionName: "codecommit:ListRepositories",
        EvalResourceName: "*",
        EvalDecision: "allowed",
        MatchedStatements: [
          {
            SourcePolicyId: "Grant-Access-To-CodeCommit-ListRepo",
            SourcePolicyType: "IAM Policy",
            StartPosition: { Line: 3, Column: 19 },
            EndPosition: { Line: 9, Column: 10 },
          },
        ],
        MissingContextValues: [],
      },
    ]);
    const denied = await sim.iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn,
        ActionNames: ["dynamodb:CreateBackup"],
        ContextEntries: [{ ContextKeyName: "aws:CurrentTime", ContextKeyValues: ["2018-04-25T11:00:00Z"], ContextKeyType: "date" }],
      }),
    );
    expect(denied.EvaluationResults).toEqual([
      { EvalActionName: "dynamodb:CreateBackup", EvalResourceName: "*", EvalDecision: "implicitDeny", MatchedStatements: [], MissingContextValues: [] },
    ]);
  });

  it("a resource policy's statements are 'Resource Policy', each starting where the previous one ended", async () => {
    const identity = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}';
    const resource =
      '{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"},{"Sid":"D","Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"*"}]}';
    const r = await sim.iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [identity],
        ResourcePolicy: resource,
        ActionNames: ["s3:DeleteObject"],
        ResourceArns: ["arn:aws:s3:::b/k"],
        CallerArn: `arn:aws:iam::${ACCOUNT}:user/someone`,
      }),
    );
    const result = r.EvaluationResults![0]!;
    expect(result.EvalDecision).toBe("explicitDeny");
    const firstEnd = resource.indexOf("},{") + 2;
    const deny = result.MatchedStatements!.find((m) => m.SourcePolicyId === "ResourcePolicy");
    expect(deny).toEqual({
      SourcePolicyId: "ResourcePolicy",
      SourcePolicyType: "Resource Policy",
      StartPosition: { Line: 1, Column: firstEnd },
      EndPosition: { Line: 1, Column: resource.length - 1 },
    });
    // The identity policy's only statement starts just after its array's "[" (0-based 36 → column 38).
    const allow = result.MatchedStatements!.find((m) => m.SourcePolicyId === "PolicyInputList.1");
    expect(allow).toMatchObject({ SourcePolicyType: "IAM Policy", StartPosition: { Line: 1, Column: 38 } });
  });

  it("simulating named resources also answers ResourceSpecificResults, one per resource", async () => {
    const policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]}';
    const r = await sim.iam.send(
      new SimulateCustomPolicyCommand({ PolicyInputList: [policy], ActionNames: ["s3:GetObject"], ResourceArns: ["arn:aws:s3:::bucket/*"] }),
    );
    const matched = [
      {
        SourcePolicyId: "PolicyInputList.1",
        SourcePolicyType: "IAM Policy",
        StartPosition: { Line: 1, Column: 38 },
        EndPosition: { Line: 1, Column: policy.length - 1 },
      },
    ];
    expect(r.EvaluationResults).toEqual([
      {
        EvalActionName: "s3:GetObject",
        EvalResourceName: "arn:aws:s3:::bucket/*",
        EvalDecision: "allowed",
        MatchedStatements: matched,
        MissingContextValues: [],
        ResourceSpecificResults: [
          { EvalResourceName: "arn:aws:s3:::bucket/*", EvalResourceDecision: "allowed", MatchedStatements: matched, MissingContextValues: [] },
        ],
      },
    ]);
    expect(r.IsTruncated).toBe(false);
  });

  it("get-context-keys-*: policy variables in resources before condition keys, as in the statement", async () => {
    const policy =
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}';
    const custom = await sim.iam.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: [policy] }));
    expect(custom.ContextKeyNames).toEqual(["aws:username", "aws:CurrentTime"]);
    await sim.iam.send(new CreateUserCommand({ UserName: "saanvi" }));
    await sim.iam.send(new PutUserPolicyCommand({ UserName: "saanvi", PolicyName: "p", PolicyDocument: policy }));
    const principal = await sim.iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/saanvi` }));
    expect(principal.ContextKeyNames).toEqual(["aws:username", "aws:CurrentTime"]);
  });

  it("get-user without a name, as the root: UserId, Arn and CreateDate only (no Path or UserName)", async () => {
    const root = (await sim.iam.send(new GetUserCommand({}))).User!;
    expect(Object.keys(root).sort()).toEqual(["Arn", "CreateDate", "UserId"]);
    expect(root).toMatchObject({ UserId: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root` });
    expect(root.CreateDate).toBeInstanceOf(Date);
  });

  it("create-service-linked-role for Lex: AWSServiceRoleForLexBots, answered as CreateRole answers", async () => {
    const created = await sim.iam.send(
      new CreateServiceLinkedRoleCommand({ AWSServiceName: "lex.amazonaws.com", Description: "My service-linked role to support Lex" }),
    );
    const role = created.Role!;
    expect(role.RoleName).toBe("AWSServiceRoleForLexBots");
    expect(role.Path).toBe("/aws-service-role/lex.amazonaws.com/");
    expect(role.Arn).toBe(`arn:aws:iam::${ACCOUNT}:role/aws-service-role/lex.amazonaws.com/AWSServiceRoleForLexBots`);
    expect(role.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Action: ["sts:AssumeRole"], Effect: "Allow", Principal: { Service: ["lex.amazonaws.com"] } }],
    });
    expect(Object.keys(role).sort()).toEqual(["Arn", "AssumeRolePolicyDocument", "CreateDate", "Path", "RoleId", "RoleName"]);
    const got = (await sim.iam.send(new GetRoleCommand({ RoleName: "AWSServiceRoleForLexBots" }))).Role!;
    expect(got.Description).toBe("My service-linked role to support Lex");
    expect(got.MaxSessionDuration).toBe(3600);
    const task = (await sim.iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: "AWSServiceRoleForLexBots" }))).DeletionTaskId!;
    expect(task).toMatch(/^task\/aws-service-role\/lex\.amazonaws\.com\/AWSServiceRoleForLexBots\/[0-9a-f-]{36}$/);
    expect((await sim.iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: task }))).Status).toBe("SUCCEEDED");
  });

  it("service-specific credentials: a 32-byte base64 password, user-at-account name, ACCA id", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "sofia" }));
    const c = (await sim.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "sofia", ServiceName: "codecommit.amazonaws.com" })))
      .ServiceSpecificCredential!;
    expect(c).toMatchObject({ ServiceName: "codecommit.amazonaws.com", ServiceUserName: `sofia-at-${ACCOUNT}`, UserName: "sofia", Status: "Active" });
    expect(c.ServiceSpecificCredentialId).toMatch(/^ACCA[A-Z2-7]{17}$/);
    expect(c.ServicePassword).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(c.ServicePassword!, "base64")).toHaveLength(32);
    const reset = (
      await sim.iam.send(new ResetServiceSpecificCredentialCommand({ UserName: "sofia", ServiceSpecificCredentialId: c.ServiceSpecificCredentialId }))
    ).ServiceSpecificCredential!;
    expect(reset.ServicePassword).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(reset.ServicePassword).not.toBe(c.ServicePassword);
  });

  it("AWS managed policies: ids in IAM's alphabet; PowerUserAccess is AWS's document (no IAM management)", async () => {
    const all = (await sim.iam.send(new ListPoliciesCommand({ Scope: "AWS", MaxItems: 1000 }))).Policies!;
    expect(all.length).toBeGreaterThan(5);
    for (const p of all) expect(p.PolicyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
    const arn = "arn:aws:iam::aws:policy/PowerUserAccess";
    const p = (await sim.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!;
    expect(p).toMatchObject({
      PolicyName: "PowerUserAccess",
      Path: "/",
      DefaultVersionId: "v12",
      IsAttachable: true,
      Description: "Provides full access to AWS services and resources, but does not allow management of Users and groups.",
    });
    const v = (await sim.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v12" }))).PolicyVersion!;
    const doc = JSON.parse(decodeURIComponent(v.Document!));
    expect(doc.Statement[0]).toEqual({ Effect: "Allow", NotAction: ["iam:*", "organizations:*", "account:*"], Resource: "*" });
    const r = await sim.iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [decodeURIComponent(v.Document!)],
        ActionNames: ["s3:GetObject", "iam:CreateUser", "iam:ListRoles", "organizations:DescribeOrganization"],
      }),
    );
    expect(r.EvaluationResults!.map((e) => e.EvalDecision)).toEqual(["allowed", "implicitDeny", "allowed", "allowed"]);
  });

  it("attach-group-policy with AdministratorAccess and SecurityAudit, listed as the example lists them", async () => {
    await sim.iam.send(new CreateGroupCommand({ GroupName: "Admins" }));
    for (const name of ["AdministratorAccess", "SecurityAudit"])
      await sim.iam.send(new AttachGroupPolicyCommand({ GroupName: "Admins", PolicyArn: `arn:aws:iam::aws:policy/${name}` }));
    const listed = await sim.iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: "Admins" }));
    expect(listed.AttachedPolicies).toEqual([
      { PolicyName: "AdministratorAccess", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
      { PolicyName: "SecurityAudit", PolicyArn: "arn:aws:iam::aws:policy/SecurityAudit" },
    ]);
    expect(listed.IsTruncated).toBe(false);
    const audit = (await sim.iam.send(new GetPolicyCommand({ PolicyArn: "arn:aws:iam::aws:policy/SecurityAudit" }))).Policy!;
    expect(audit).toMatchObject({ Path: "/", AttachmentCount: 1, IsAttachable: true });
    expect(audit.Description).toMatch(/^The security audit template grants access to read security configuration metadata\./);
    const doc = decodeURIComponent(
      (await sim.iam.send(new GetPolicyVersionCommand({ PolicyArn: audit.Arn, VersionId: audit.DefaultVersionId }))).PolicyVersion!.Document!,
    );
    const r = await sim.iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [doc],
        ActionNames: ["s3:GetBucketPolicy", "ec2:DescribeInstances", "s3:GetObject", "iam:CreateUser"],
      }),
    );
    expect(r.EvaluationResults!.map((e) => e.EvalDecision)).toEqual(["allowed", "allowed", "implicitDeny", "implicitDeny"]);
  });

  it("get-ssh-public-key: SSH answers the key as uploaded, PEM as a 'BEGIN PUBLIC KEY' block; an MD5 fingerprint", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "sofia" }));
    const { body, blob, jwk } = sshRsaKey("sofia@example");
    const up = (await sim.iam.send(new UploadSSHPublicKeyCommand({ UserName: "sofia", SSHPublicKeyBody: body }))).SSHPublicKey!;
    expect(up.SSHPublicKeyId).toMatch(/^APKA[A-Z2-7]{17}$/);
    expect(up.Fingerprint).toBe(createHash("md5").update(blob).digest("hex").match(/../g)!.join(":"));
    expect(up.Status).toBe("Active");
    const get = (Encoding: "SSH" | "PEM") => sim.iam.send(new GetSSHPublicKeyCommand({ UserName: "sofia", SSHPublicKeyId: up.SSHPublicKeyId, Encoding }));
    expect((await get("SSH")).SSHPublicKey!.SSHPublicKeyBody).toBe(body);
    const pem = (await get("PEM")).SSHPublicKey!.SSHPublicKeyBody!;
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PUBLIC KEY-----\n$/);
    expect(createPublicKey(pem).export({ format: "jwk" })).toMatchObject({ kty: "RSA", n: jwk.n, e: jwk.e });
  });

  it("get-service-last-accessed-details: AWS's service names, sorted by namespace, unused services with 0 entities", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "AWSExampleUser01" }));
    await sim.iam.send(
      new PutUserPolicyCommand({
        UserName: "AWSExampleUser01",
        PolicyName: "p",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:*", "iam:*"], Resource: "*" }] }),
      }),
    );
    const JobId = (await sim.iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: `arn:aws:iam::${ACCOUNT}:user/AWSExampleUser01` }))).JobId!;
    expect(JobId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const r = await sim.iam.send(new GetServiceLastAccessedDetailsCommand({ JobId }));
    expect(r).toMatchObject({ JobStatus: "COMPLETED", IsTruncated: false });
    expect(r.ServicesLastAccessed).toEqual([
      { ServiceName: "AWS Identity and Access Management", ServiceNamespace: "iam", TotalAuthenticatedEntities: 0 },
      { ServiceName: "Amazon S3", ServiceNamespace: "s3", TotalAuthenticatedEntities: 0 },
    ]);
  });

  it("get-credential-report: AWS's columns; the root's password columns are not_supported; next rotation from MaxPasswordAge", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "Bob" }));
    await sim.iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 8, RequireNumbers: true, MaxPasswordAge: 90 }));
    const login = (await sim.iam.send(new CreateLoginProfileCommand({ UserName: "Bob", Password: "h]6EszR}vJ*m1", PasswordResetRequired: true })))
      .LoginProfile!;
    expect((await sim.iam.send(new GenerateCredentialReportCommand({}))).State).toBe("STARTED");
    const report = await sim.iam.send(new GetCredentialReportCommand({}));
    expect(report.ReportFormat).toBe("text/csv");
    const [header, root, bob] = Buffer.from(report.Content!)
      .toString()
      .split("\n")
      .map((l) => l.split(","));
    expect(header).toEqual(
      "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated".split(
        ",",
      ),
    );
    expect(root!.slice(0, 2)).toEqual(["<root_account>", `arn:aws:iam::${ACCOUNT}:root`]);
    expect([root![3], root![5], root![6]]).toEqual(["not_supported", "not_supported", "not_supported"]);
    const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "+00:00");
    expect(bob!.slice(0, 8)).toEqual([
      "Bob",
      `arn:aws:iam::${ACCOUNT}:user/Bob`,
      bob![2],
      "true",
      "no_information",
      iso(login.CreateDate!),
      iso(new Date(login.CreateDate!.getTime() + 90 * 86_400_000)),
      "false",
    ]);
  });
});
