/** IAM roles and instance profiles: answers recorded against real AWS (fields per operation, trust-policy and ARN errors). */
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  ListInstanceProfilesCommand,
  ListRolesCommand,
  PutRolePermissionsBoundaryCommand,
  RemoveRoleFromInstanceProfileCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleDescriptionCommand,
} from "@aws-sdk/client-iam";
import { beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const DOC = JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::example_bucket" } });
const trust = (stmt: object) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, ...stmt }] });

describe("IAM roles parity", () => {
  const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));
  let boundary: string;
  beforeAll(async () => {
    boundary = (await sim.iam.send(new CreatePolicyCommand({ PolicyName: "boundary-policy-0001", PolicyDocument: DOC }))).Policy!.Arn!;
  });

  it("CreateRole answers without Description, MaxSessionDuration or RoleLastUsed; GetRole has them; ListRoles no boundary or tags", async () => {
    const created = await sim.iam.send(
      new CreateRoleCommand({
        RoleName: "bounded",
        AssumeRolePolicyDocument: TRUST,
        Description: "Role with permissions boundary",
        PermissionsBoundary: boundary,
        Tags: [{ Key: "test", Value: "value" }],
      }),
    );
    expect(Object.keys(created.Role!).sort()).toEqual(
      ["Arn", "AssumeRolePolicyDocument", "CreateDate", "Path", "PermissionsBoundary", "RoleId", "RoleName", "Tags"].sort(),
    );
    // AWS answers "Policy" here, though the model's enum says PermissionsBoundaryPolicy.
    expect(created.Role!.PermissionsBoundary).toEqual({ PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: boundary });
    const got = (await sim.iam.send(new GetRoleCommand({ RoleName: "bounded" }))).Role!;
    expect(got.Description).toBe("Role with permissions boundary");
    expect(got.MaxSessionDuration).toBe(3600);
    expect(got.RoleLastUsed).toEqual({});
    expect(got.PermissionsBoundary?.PermissionsBoundaryType).toBe("Policy");
    const listed = (await sim.iam.send(new ListRolesCommand({}))).Roles!.find((r) => r.RoleName === "bounded")!;
    expect(Object.keys(listed).sort()).toEqual(
      ["Arn", "AssumeRolePolicyDocument", "CreateDate", "Description", "MaxSessionDuration", "Path", "RoleId", "RoleName"].sort(),
    );
  });

  it("UpdateRoleDescription answers the role without MaxSessionDuration or RoleLastUsed", async () => {
    await sim.iam.send(new CreateRoleCommand({ RoleName: "described", AssumeRolePolicyDocument: TRUST }));
    const r = (await sim.iam.send(new UpdateRoleDescriptionCommand({ RoleName: "described", Description: "via update_role_description" }))).Role!;
    expect(r.Description).toBe("via update_role_description");
    expect(r.MaxSessionDuration).toBeUndefined();
    expect(r.RoleLastUsed).toBeUndefined();
  });

  it("a user's permissions boundary is also of type Policy", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "bounded-user", PermissionsBoundary: boundary }));
    expect((await sim.iam.send(new GetUserCommand({ UserName: "bounded-user" }))).User!.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: "Policy",
      PermissionsBoundaryArn: boundary,
    });
  });

  it("trust policy errors: invalid JSON, a non-AssumeRole action, a Resource", async () => {
    await sim.iam.send(new CreateRoleCommand({ RoleName: "trusting", AssumeRolePolicyDocument: TRUST }));
    const bad = (doc: string, message: string) =>
      expectAwsError(sim.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "trusting", PolicyDocument: doc })), {
        name: "MalformedPolicyDocumentException",
        status: 400,
        message,
      });
    await bad("not valid json", "This policy contains invalid Json");
    await bad(trust({ Action: "sts:InvalidAction" }), "AssumeRole policy may only specify STS AssumeRole actions.");
    await bad(trust({ Action: "sts:AssumeRole", Resource: "arn:aws:s3:::example_bucket" }), "Has prohibited field Resource");
    await expectAwsError(sim.iam.send(new CreateRoleCommand({ RoleName: "bad-trust", AssumeRolePolicyDocument: trust({ Action: "s3:GetObject" }) })), {
      name: "MalformedPolicyDocumentException",
      status: 400,
      message: "AssumeRole policy may only specify STS AssumeRole actions.",
    });
    // The other actions a trust policy may name, and wildcards over them, are accepted.
    await sim.iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: "trusting",
        PolicyDocument: trust({ Action: ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"] }),
      }),
    );
    await sim.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "trusting", PolicyDocument: trust({ Action: "sts:*" }) }));
  });

  it("attaching something that is no ARN is a ValidationError; a boundary that is no policy ARN is InvalidInput", async () => {
    await sim.iam.send(new CreateRoleCommand({ RoleName: "attaching", AssumeRolePolicyDocument: TRUST }));
    await expectAwsError(sim.iam.send(new AttachRolePolicyCommand({ RoleName: "attaching", PolicyArn: "longpolicynamebutnoarn" })), {
      name: "ValidationError",
      status: 400,
      message: "ARN longpolicynamebutnoarn is not valid.",
    });
    await expectAwsError(
      sim.iam.send(new AttachRolePolicyCommand({ RoleName: "attaching", PolicyArn: "arn:aws:iam::000000000000:policy/nonexistent-policy" })),
      {
        name: "NoSuchEntityException",
        status: 404,
        message: "Policy arn:aws:iam::000000000000:policy/nonexistent-policy does not exist or is not attachable.",
      },
    );
    const invalid = "arn:aws:iam::000000000000:not_a_policy/invalid";
    for (const p of [
      sim.iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: "attaching", PermissionsBoundary: invalid })),
      sim.iam.send(new CreateRoleCommand({ RoleName: "attaching-2", AssumeRolePolicyDocument: TRUST, PermissionsBoundary: invalid })),
    ])
      await expectAwsError(p, { name: "InvalidInputException", status: 400, message: `ARN ${invalid} is not valid.` });
    await expectAwsError(
      sim.iam.send(
        new PutRolePermissionsBoundaryCommand({ RoleName: "attaching", PermissionsBoundary: "arn:aws:iam::000000000000:policy/nonexistent-policy" }),
      ),
      {
        name: "NoSuchEntityException",
        status: 404,
        message: "Scope ARN: arn:aws:iam::000000000000:policy/nonexistent-policy does not exist or is not attachable.",
      },
    );
  });

  it("instance profiles: Tags [] on Get only, roles without MaxSessionDuration, removing a role that is not in it", async () => {
    const created = await sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "profile-1", Path: "/pp/" }));
    expect(created.InstanceProfile!.Tags).toBeUndefined();
    expect((await sim.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: "profile-1" }))).InstanceProfile!.Tags).toEqual([]);
    await sim.iam.send(new CreateRoleCommand({ RoleName: "profiled", AssumeRolePolicyDocument: TRUST }));
    await expectAwsError(sim.iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: "profile-1", RoleName: "profiled" })), {
      name: "NoSuchEntityException",
      status: 404,
      message: "Role profiled in Instance Profile profile-1 cannot be found.",
    });
    await expectAwsError(sim.iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: "profile-1", RoleName: "nonexistent-role" })), {
      name: "NoSuchEntityException",
      status: 404,
      message: "The role with name nonexistent-role cannot be found.",
    });
    await sim.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "profile-1", RoleName: "profiled" }));
    const got = (await sim.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: "profile-1" }))).InstanceProfile!;
    expect(Object.keys(got.Roles![0]!).sort()).toEqual(["Arn", "AssumeRolePolicyDocument", "CreateDate", "Path", "RoleId", "RoleName"]);
    const listed = (await sim.iam.send(new ListInstanceProfilesCommand({ PathPrefix: "/pp/" }))).InstanceProfiles!;
    expect(listed.map((p) => p.InstanceProfileName)).toEqual(["profile-1"]);
    expect(listed[0]!.Tags).toBeUndefined();
    expect(listed[0]!.Roles![0]!.MaxSessionDuration).toBeUndefined();
  });
});
