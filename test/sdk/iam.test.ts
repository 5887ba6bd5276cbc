import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  AddUserToGroupCommand,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  GetGroupCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListInstanceProfilesForRoleCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagRoleCommand,
  paginateListRoles,
  waitUntilRoleExists,
} from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const POLICY = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] });

const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));

describe("IAM", () => {
  it("roles: create, get (URL-encoded trust policy), list paginated, tags, errors", async () => {
    const r = (
      await sim.iam.send(new CreateRoleCommand({ RoleName: "app", Path: "/svc/", AssumeRolePolicyDocument: TRUST, Tags: [{ Key: "team", Value: "core" }] }))
    ).Role!;
    expect(r.Arn).toBe("arn:aws:iam::000000000000:role/svc/app");
    expect(r.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(r.CreateDate).toBeInstanceOf(Date);
    const got = (await sim.iam.send(new GetRoleCommand({ RoleName: "app" }))).Role!;
    expect(decodeURIComponent(got.AssumeRolePolicyDocument!)).toBe(TRUST);
    expect(got.MaxSessionDuration).toBe(3600);
    expect((await waitUntilRoleExists({ client: sim.iam, maxWaitTime: 5, minDelay: 1 }, { RoleName: "app" })).state).toBe("SUCCESS");
    await expectAwsError(sim.iam.send(new CreateRoleCommand({ RoleName: "app", AssumeRolePolicyDocument: TRUST })), {
      name: "EntityAlreadyExistsException",
      status: 409,
      message: "Role with name app already exists.",
    });
    await expectAwsError(sim.iam.send(new GetRoleCommand({ RoleName: "nope" })), {
      name: "NoSuchEntityException",
      status: 404,
      message: "The role with name nope cannot be found.",
    });
    await expectAwsError(sim.iam.send(new CreateRoleCommand({ RoleName: "bad", AssumeRolePolicyDocument: "{not json" })), {
      name: "MalformedPolicyDocumentException",
      status: 400,
    });
    for (let i = 0; i < 5; i++) await sim.iam.send(new CreateRoleCommand({ RoleName: `r${i}`, AssumeRolePolicyDocument: TRUST }));
    const names: string[] = [];
    for await (const p of paginateListRoles({ client: sim.iam, pageSize: 2 }, {})) names.push(...p.Roles!.map((x) => x.RoleName!));
    expect(names).toEqual(["app", "r0", "r1", "r2", "r3", "r4"]);
    await sim.iam.send(new TagRoleCommand({ RoleName: "app", Tags: [{ Key: "env", Value: "prod" }] }));
    expect((await sim.iam.send(new ListRoleTagsCommand({ RoleName: "app" }))).Tags).toEqual([
      { Key: "team", Value: "core" },
      { Key: "env", Value: "prod" },
    ]);
  });

  it("inline and managed policies, versions, attachments, DeleteConflict", async () => {
    await sim.iam.send(new CreateRoleCommand({ RoleName: "p", AssumeRolePolicyDocument: TRUST }));
    await sim.iam.send(new PutRolePolicyCommand({ RoleName: "p", PolicyName: "inline", PolicyDocument: POLICY }));
    expect((await sim.iam.send(new ListRolePoliciesCommand({ RoleName: "p" }))).PolicyNames).toEqual(["inline"]);
    expect(decodeURIComponent((await sim.iam.send(new GetRolePolicyCommand({ RoleName: "p", PolicyName: "inline" }))).PolicyDocument!)).toBe(POLICY);
    const pol = (await sim.iam.send(new CreatePolicyCommand({ PolicyName: "read", PolicyDocument: POLICY }))).Policy!;
    expect(pol.Arn).toBe("arn:aws:iam::000000000000:policy/read");
    expect(pol.DefaultVersionId).toBe("v1");
    const v2 = await sim.iam.send(
      new CreatePolicyVersionCommand({ PolicyArn: pol.Arn, PolicyDocument: POLICY.replace("GetObject", "PutObject"), SetAsDefault: true }),
    );
    expect(v2.PolicyVersion!.VersionId).toBe("v2");
    expect(decodeURIComponent((await sim.iam.send(new GetPolicyVersionCommand({ PolicyArn: pol.Arn, VersionId: "v2" }))).PolicyVersion!.Document!)).toContain(
      "PutObject",
    );
    await sim.iam.send(new AttachRolePolicyCommand({ RoleName: "p", PolicyArn: pol.Arn }));
    await sim.iam.send(new AttachRolePolicyCommand({ RoleName: "p", PolicyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" }));
    expect((await sim.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "p" }))).AttachedPolicies!.map((x) => x.PolicyName).sort()).toEqual([
      "AmazonECSTaskExecutionRolePolicy",
      "read",
    ]);
    expect((await sim.iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: pol.Arn }))).PolicyRoles!.map((x) => x.RoleName)).toEqual(["p"]);
    expect((await sim.iam.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies!.map((x) => x.PolicyName)).toEqual(["read"]);
    expect((await sim.iam.send(new ListPoliciesCommand({ Scope: "AWS", PathPrefix: "/service-role/" }))).Policies!.length).toBeGreaterThan(2);
    await expectAwsError(sim.iam.send(new DeleteRoleCommand({ RoleName: "p" })), { name: "DeleteConflictException", status: 409 });
    await expectAwsError(sim.iam.send(new DeletePolicyCommand({ PolicyArn: pol.Arn })), { name: "DeleteConflictException", status: 409 });
    await sim.iam.send(new DetachRolePolicyCommand({ RoleName: "p", PolicyArn: pol.Arn }));
    await expectAwsError(sim.iam.send(new DetachRolePolicyCommand({ RoleName: "p", PolicyArn: pol.Arn })), { name: "NoSuchEntityException", status: 404 });
  });

  it("instance profiles, users, access keys, groups", async () => {
    await sim.iam.send(new CreateRoleCommand({ RoleName: "ec2", AssumeRolePolicyDocument: TRUST }));
    const ip = (await sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "ec2-profile" }))).InstanceProfile!;
    expect(ip.Arn).toBe("arn:aws:iam::000000000000:instance-profile/ec2-profile");
    await sim.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "ec2-profile", RoleName: "ec2" }));
    expect((await sim.iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: "ec2" }))).InstanceProfiles![0]!.Roles![0]!.RoleName).toBe("ec2");
    await expectAwsError(sim.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "ec2-profile", RoleName: "ec2" })), {
      name: "LimitExceededException",
      status: 409,
    });
    await expectAwsError(sim.iam.send(new DeleteRoleCommand({ RoleName: "ec2" })), { name: "DeleteConflictException", status: 409 });
    await sim.iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: "ec2-profile", RoleName: "ec2" }));
    await sim.iam.send(new DeleteRoleCommand({ RoleName: "ec2" }));
    const u = (await sim.iam.send(new CreateUserCommand({ UserName: "alice" }))).User!;
    expect(u.UserId).toMatch(/^AIDA/);
    const key = (await sim.iam.send(new CreateAccessKeyCommand({ UserName: "alice" }))).AccessKey!;
    expect(key.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(key.SecretAccessKey).toHaveLength(40);
    await sim.iam.send(new CreateGroupCommand({ GroupName: "devs" }));
    await sim.iam.send(new AddUserToGroupCommand({ GroupName: "devs", UserName: "alice" }));
    expect((await sim.iam.send(new GetGroupCommand({ GroupName: "devs" }))).Users!.map((x) => x.UserName)).toEqual(["alice"]);
    expect((await sim.iam.send(new GetUserCommand({}))).User!.Arn).toBe("arn:aws:iam::000000000000:root");
  });
});
