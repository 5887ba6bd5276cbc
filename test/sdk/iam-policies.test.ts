import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteServiceLinkedRoleCommand,
  GetAccountAuthorizationDetailsCommand,
  GetContextKeysForCustomPolicyCommand,
  GetContextKeysForPrincipalPolicyCommand,
  GetGroupPolicyCommand,
  GetRoleCommand,
  GetServiceLinkedRoleDeletionStatusCommand,
  IAMClient,
  ListEntitiesForPolicyCommand,
  ListPolicyVersionsCommand,
  ListRoleTagsCommand,
  PutGroupPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
  TagRoleCommand,
} from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const t = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));

const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const TRUST = doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" });
const S3_ALL = doc({ Effect: "Allow", Action: "s3:*", Resource: "*" });

describe("IAM policy documents", () => {
  it("are validated with IAM's MalformedPolicyDocument messages", async () => {
    const cases: Array<[string, string]> = [
      ["{not json", "Syntax errors in policy."],
      [JSON.stringify({ Version: "2012-10-17" }), "Syntax errors in policy."],
      [JSON.stringify({ Version: "2013-01-01", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }), "Syntax errors in policy."],
      [doc({ Effect: "Permit", Action: "s3:*", Resource: "*" }), "Syntax errors in policy."],
      [doc({ Effect: "Allow", Resource: "*" }), "Policy statement must contain actions."],
      [doc({ Effect: "Allow", Action: "s3:*" }), "Policy statement must contain resources."],
      [doc({ Effect: "Allow", Action: "s3:*", Resource: "*", Principal: "*" }), "Policy document should not specify a principal."],
      [doc({ Effect: "Allow", Action: "GetObject", Resource: "*" }), "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."],
      [doc({ Effect: "Allow", Action: "s3:*", Resource: "bucket" }), 'Resource bucket must be in ARN format or "*".'],
      [doc({ Effect: "Allow", Action: "s3:*", Resource: "*", Condition: { StringEqualz: { "aws:username": "x" } } }), "Syntax errors in policy."],
      [
        doc({ Sid: "A", Effect: "Allow", Action: "s3:*", Resource: "*" }, { Sid: "A", Effect: "Deny", Action: "s3:*", Resource: "*" }),
        "Statement IDs (SID) in a single policy must be unique.",
      ],
    ];
    for (const [PolicyDocument, message] of cases)
      await expectAwsError(t.iam.send(new CreatePolicyCommand({ PolicyName: "bad", PolicyDocument })), {
        name: "MalformedPolicyDocumentException",
        status: 400,
        message,
      });
    await expectAwsError(
      t.iam.send(
        new CreateRoleCommand({
          RoleName: "r",
          AssumeRolePolicyDocument: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Resource: "*" }),
        }),
      ),
      { name: "MalformedPolicyDocumentException", status: 400, message: "Has prohibited field Resource" },
    );
    const big = doc(...Array.from({ length: 80 }, (_, i) => ({ Effect: "Allow", Action: `s3:GetObject${i}`, Resource: `arn:aws:s3:::bucket-${i}/*` })));
    await expectAwsError(t.iam.send(new CreatePolicyCommand({ PolicyName: "big", PolicyDocument: big })), {
      name: "LimitExceededException",
      status: 409,
      message: "Cannot exceed quota for PolicySize: 6144",
    });
  });

  it("trust policies: principals must be valid, and this account's users and roles must exist", async () => {
    const trust = (Principal: object) => doc({ Effect: "Allow", Principal, Action: "sts:AssumeRole" });
    await expectAwsError(
      t.iam.send(new CreateRoleCommand({ RoleName: "t1", AssumeRolePolicyDocument: trust({ AWS: "arn:aws:iam::000000000000:role/missing" }) })),
      {
        name: "MalformedPolicyDocumentException",
        status: 400,
        message: 'Invalid principal in policy: "AWS":"arn:aws:iam::000000000000:role/missing"',
      },
    );
    await expectAwsError(t.iam.send(new CreateRoleCommand({ RoleName: "t1", AssumeRolePolicyDocument: trust({ Service: "ec2" }) })), {
      name: "MalformedPolicyDocumentException",
      status: 400,
      message: 'Invalid principal in policy: "SERVICE":"ec2"',
    });
    await t.iam.send(new CreateUserCommand({ UserName: "trusted" }));
    const ok = trust({
      AWS: ["arn:aws:iam::000000000000:user/trusted", "123456789012", "arn:aws:iam::111111111111:role/elsewhere"],
      Service: "lambda.amazonaws.com",
    });
    expect((await t.iam.send(new CreateRoleCommand({ RoleName: "t1", AssumeRolePolicyDocument: ok }))).Role!.RoleName).toBe("t1");
  });

  it("managed policy versions: 5 at most, ids keep counting, default protected", async () => {
    const arn = (await t.iam.send(new CreatePolicyCommand({ PolicyName: "versions", PolicyDocument: S3_ALL }))).Policy!.Arn!;
    for (let i = 2; i <= 5; i++) await t.iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: S3_ALL }));
    await expectAwsError(t.iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: S3_ALL })), {
      name: "LimitExceededException",
      status: 409,
      message: "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
    });
    await t.iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v3" }));
    const v6 = await t.iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: S3_ALL, SetAsDefault: true }));
    expect(v6.PolicyVersion).toMatchObject({ VersionId: "v6", IsDefaultVersion: true });
    expect((await t.iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions!.map((v) => v.VersionId)).toEqual(["v6", "v5", "v4", "v2", "v1"]);
    await expectAwsError(t.iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v6" })), { name: "DeleteConflictException", status: 409 });
    await expectAwsError(t.iam.send(new DeletePolicyCommand({ PolicyArn: arn })), { name: "DeleteConflictException", status: 409 });
  });

  it("tags: keys case-insensitive, 50 at most", async () => {
    await t.iam.send(new CreateRoleCommand({ RoleName: "tagged", AssumeRolePolicyDocument: TRUST, Tags: [{ Key: "Env", Value: "dev" }] }));
    await expectAwsError(
      t.iam.send(
        new TagRoleCommand({
          RoleName: "tagged",
          Tags: [
            { Key: "team", Value: "a" },
            { Key: "TEAM", Value: "b" },
          ],
        }),
      ),
      { name: "InvalidInputException", status: 400, message: "Duplicate tag keys found. Please note that Tag keys are case insensitive." },
    );
    await t.iam.send(new TagRoleCommand({ RoleName: "tagged", Tags: [{ Key: "env", Value: "prod" }] }));
    expect((await t.iam.send(new ListRoleTagsCommand({ RoleName: "tagged" }))).Tags).toEqual([{ Key: "env", Value: "prod" }]);
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    await expectAwsError(t.iam.send(new TagRoleCommand({ RoleName: "tagged", Tags: many })), {
      name: "LimitExceededException",
      status: 409,
      message: "Cannot exceed quota for TagsPerRole: 50",
    });
  });

  it("permissions boundaries and service-linked roles", async () => {
    const arn = (
      await t.iam.send(new CreatePolicyCommand({ PolicyName: "boundary", PolicyDocument: doc({ Effect: "Allow", Action: "s3:Get*", Resource: "*" }) }))
    ).Policy!.Arn!;
    await t.iam.send(new CreateRoleCommand({ RoleName: "bounded", AssumeRolePolicyDocument: TRUST }));
    await t.iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: "bounded", PermissionsBoundary: arn }));
    expect((await t.iam.send(new GetRoleCommand({ RoleName: "bounded" }))).Role!.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: "Policy",
      PermissionsBoundaryArn: arn,
    });
    const ents = await t.iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, PolicyUsageFilter: "PermissionsBoundary" }));
    expect(ents.PolicyRoles!.map((r) => r.RoleName)).toEqual(["bounded"]);
    await t.iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: "bounded" }));
    expect((await t.iam.send(new GetRoleCommand({ RoleName: "bounded" }))).Role!.PermissionsBoundary).toBeUndefined();

    const slr = (await t.iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: "ecs.amazonaws.com" }))).Role!;
    expect(slr.Arn).toBe("arn:aws:iam::000000000000:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS");
    expect(decodeURIComponent(slr.AssumeRolePolicyDocument!)).toContain("ecs.amazonaws.com");
    await expectAwsError(t.iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: "ecs.amazonaws.com" })), {
      name: "InvalidInputException",
      status: 400,
    });
    await expectAwsError(t.iam.send(new DeleteRoleCommand({ RoleName: "AWSServiceRoleForECS" })), {
      name: "UnmodifiableEntityException",
      status: 400,
      message: "Cannot perform the operation on the protected role 'AWSServiceRoleForECS' - this role is only modifiable by AWS",
    });
    const task = (await t.iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: "AWSServiceRoleForECS" }))).DeletionTaskId!;
    expect(task).toMatch(/^task\/aws-service-role\/ecs\.amazonaws\.com\/AWSServiceRoleForECS\//);
    expect((await t.iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: task }))).Status).toBe("SUCCEEDED");
  });
});

describe("policy evaluation (Simulate*)", () => {
  it("SimulatePrincipalPolicy: group allow, inline explicit deny, boundary, conditions", async () => {
    await t.iam.send(new CreateUserCommand({ UserName: "sim" }));
    await t.iam.send(new CreateGroupCommand({ GroupName: "s3-users" }));
    await t.iam.send(new AddUserToGroupCommand({ GroupName: "s3-users", UserName: "sim" }));
    await t.iam.send(new PutGroupPolicyCommand({ GroupName: "s3-users", PolicyName: "all-s3", PolicyDocument: S3_ALL }));
    expect(decodeURIComponent((await t.iam.send(new GetGroupPolicyCommand({ GroupName: "s3-users", PolicyName: "all-s3" }))).PolicyDocument!)).toBe(S3_ALL);
    await t.iam.send(
      new PutUserPolicyCommand({
        UserName: "sim",
        PolicyName: "no-delete",
        PolicyDocument: doc({ Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*" }),
      }),
    );
    await t.iam.send(
      new PutUserPolicyCommand({
        UserName: "sim",
        PolicyName: "own-prefix",
        PolicyDocument: doc({
          Effect: "Allow",
          Action: "ec2:RunInstances",
          Resource: "*",
          Condition: { StringEquals: { "aws:RequestedRegion": ["eu-west-1", "eu-central-1"] }, Bool: { "aws:SecureTransport": "true" } },
        }),
      }),
    );
    await t.iam.send(new AttachUserPolicyCommand({ UserName: "sim", PolicyArn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" }));
    const PolicySourceArn = "arn:aws:iam::000000000000:user/sim";
    const run = async (ActionNames: string[], extra: object = {}) =>
      (await t.iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn, ActionNames, ...extra }))).EvaluationResults!;
    const r = await run(["s3:GetObject", "s3:DeleteBucket", "sqs:SendMessage", "iam:ListUsers"], { ResourceArns: ["arn:aws:s3:::b"] });
    expect(r.map((x) => [x.EvalActionName, x.EvalDecision])).toEqual([
      ["s3:GetObject", "allowed"],
      ["s3:DeleteBucket", "explicitDeny"],
      ["sqs:SendMessage", "implicitDeny"],
      ["iam:ListUsers", "allowed"],
    ]);
    expect(r[0]!.EvalResourceName).toBe("arn:aws:s3:::b");
    expect(r[0]!.MatchedStatements![0]).toMatchObject({ SourcePolicyId: "all-s3", SourcePolicyType: "IAM Policy" });
    expect(r[1]!.MatchedStatements![0]).toMatchObject({ SourcePolicyId: "no-delete", SourcePolicyType: "IAM Policy" });
    expect(r[3]!.MatchedStatements![0]).toMatchObject({ SourcePolicyId: "IAMReadOnlyAccess", SourcePolicyType: "IAM Policy" });

    const cond = (region: string, secure = "true") =>
      run(["ec2:RunInstances"], {
        ContextEntries: [
          { ContextKeyName: "aws:RequestedRegion", ContextKeyValues: [region], ContextKeyType: "string" },
          { ContextKeyName: "aws:SecureTransport", ContextKeyValues: [secure], ContextKeyType: "boolean" },
        ],
      });
    expect((await cond("eu-west-1"))[0]!.EvalDecision).toBe("allowed");
    expect((await cond("us-east-1"))[0]!.EvalDecision).toBe("implicitDeny");
    expect((await cond("eu-west-1", "false"))[0]!.EvalDecision).toBe("implicitDeny");
    const missing = (await run(["ec2:RunInstances"]))[0]!;
    expect(missing.EvalDecision).toBe("implicitDeny");
    expect(missing.MissingContextValues).toEqual(["aws:RequestedRegion", "aws:SecureTransport"]);
    expect((await t.iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn }))).ContextKeyNames!.sort()).toEqual([
      "aws:RequestedRegion",
      "aws:SecureTransport",
    ]);

    const boundary = (
      await t.iam.send(new CreatePolicyCommand({ PolicyName: "s3-read", PolicyDocument: doc({ Effect: "Allow", Action: "s3:Get*", Resource: "*" }) }))
    ).Policy!.Arn!;
    await t.iam.send(new PutUserPermissionsBoundaryCommand({ UserName: "sim", PermissionsBoundary: boundary }));
    const b = await run(["s3:GetObject", "s3:PutObject"]);
    expect(b.map((x) => x.EvalDecision)).toEqual(["allowed", "implicitDeny"]);
    expect(b[1]!.PermissionsBoundaryDecisionDetail).toEqual({ AllowedByPermissionsBoundary: false });
  });

  it("SimulateCustomPolicy: NotAction, wildcards, policy variables, condition operators, resource policies", async () => {
    const policy = doc(
      { Effect: "Allow", NotAction: "iam:*", Resource: "*" },
      { Effect: "Deny", Action: "s3:*", NotResource: ["arn:aws:s3:::home/${aws:username}/*"] },
      {
        Effect: "Deny",
        Action: "ec2:*",
        Resource: "*",
        Condition: { NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" }, "ForAnyValue:StringLike": { "aws:TagKeys": ["secret*"] } },
      },
      { Effect: "Deny", Action: "sqs:*", Resource: "*", Condition: { DateGreaterThan: { "aws:CurrentTime": "2030-01-01T00:00:00Z" } } },
      { Effect: "Deny", Action: "logs:*", Resource: "*", Condition: { NumericLessThanIfExists: { "s3:max-keys": "10" } } },
    );
    const sim = async (ActionNames: string[], ResourceArns: string[] | undefined, ctx: Record<string, string[]> = {}, extra: object = {}) =>
      (
        await t.iam.send(
          new SimulateCustomPolicyCommand({
            PolicyInputList: [policy],
            ActionNames,
            ResourceArns,
            ContextEntries: Object.entries(ctx).map(([ContextKeyName, ContextKeyValues]) => ({
              ContextKeyName,
              ContextKeyValues,
              ContextKeyType: "stringList",
            })),
            ...extra,
          }),
        )
      ).EvaluationResults!.map((x) => x.EvalDecision);
    expect(await sim(["iam:CreateUser", "lambda:Invoke"], undefined)).toEqual(["implicitDeny", "allowed"]);
    expect(await sim(["s3:GetObject"], ["arn:aws:s3:::home/ann/x", "arn:aws:s3:::home/bob/x"], { "aws:username": ["ann"] })).toEqual([
      "allowed",
      "explicitDeny",
    ]);
    expect(await sim(["ec2:RunInstances"], undefined, { "aws:SourceIp": ["192.168.1.1"], "aws:TagKeys": ["public", "secret-x"] })).toEqual(["explicitDeny"]);
    expect(await sim(["ec2:RunInstances"], undefined, { "aws:SourceIp": ["10.1.2.3"], "aws:TagKeys": ["secret-x"] })).toEqual(["allowed"]);
    expect(await sim(["sqs:SendMessage"], undefined, { "aws:CurrentTime": ["2031-06-01T00:00:00Z"] })).toEqual(["explicitDeny"]);
    expect(await sim(["sqs:SendMessage"], undefined, { "aws:CurrentTime": ["2029-06-01T00:00:00Z"] })).toEqual(["allowed"]);
    // ...IfExists: a missing key makes the condition true, so the Deny applies.
    expect(await sim(["logs:PutLogEvents"], undefined)).toEqual(["explicitDeny"]);
    expect(await sim(["logs:PutLogEvents"], undefined, { "s3:max-keys": ["50"] })).toEqual(["allowed"]);
    expect(await sim(["logs:PutLogEvents"], undefined, { "s3:max-keys": ["5"] })).toEqual(["explicitDeny"]);

    const bucketPolicy = doc({ Effect: "Deny", Principal: { AWS: "arn:aws:iam::000000000000:user/ann" }, Action: "s3:*", Resource: "arn:aws:s3:::home/*" });
    expect(
      await sim(
        ["s3:GetObject"],
        ["arn:aws:s3:::home/ann/x"],
        { "aws:username": ["ann"] },
        { ResourcePolicy: bucketPolicy, CallerArn: "arn:aws:iam::000000000000:user/ann" },
      ),
    ).toEqual(["explicitDeny"]);
    const keys = await t.iam.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: [policy] }));
    expect(keys.ContextKeyNames).toEqual(["aws:username", "aws:SourceIp", "aws:TagKeys", "aws:CurrentTime", "s3:max-keys"]);
    await expectAwsError(t.iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: ["{bad"], ActionNames: ["s3:GetObject"] })), {
      name: "InvalidInputException",
      status: 400,
      message: "Syntax errors in policy.",
    });
  });

  it("GetAccountAuthorizationDetails lists users, groups, roles and local policies with their documents", async () => {
    const r = await t.iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ["User", "LocalManagedPolicy"] }));
    expect(r.RoleDetailList).toEqual([]);
    const sim = r.UserDetailList!.find((u) => u.UserName === "sim")!;
    expect(sim.GroupList).toEqual(["s3-users"]);
    expect(sim.UserPolicyList!.map((p) => p.PolicyName).sort()).toEqual(["no-delete", "own-prefix"]);
    expect(sim.AttachedManagedPolicies).toEqual([{ PolicyName: "IAMReadOnlyAccess", PolicyArn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" }]);
    const p = r.Policies!.find((x) => x.PolicyName === "versions")!;
    expect(p.PolicyVersionList!.map((v) => v.VersionId)).toEqual(["v6", "v5", "v4", "v2", "v1"]);
    expect(decodeURIComponent(p.PolicyVersionList![0]!.Document!)).toBe(S3_ALL);
    const paged = await t.iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 1 }));
    expect(paged.IsTruncated).toBe(true);
    const next = await t.iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 1, Marker: paged.Marker }));
    expect(next.UserDetailList!.length + next.GroupDetailList!.length + next.RoleDetailList!.length + next.Policies!.length).toBe(1);
  });
});
