/** IAM's not-found, already-exists, delete-conflict and quota errors with AWS's exact codes, statuses and messages. */
import {
  AddRoleToInstanceProfileCommand,
  AddUserToGroupCommand,
  AttachRolePolicyCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteRoleCommand,
  GetGroupCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  IAMClient,
} from "@aws-sdk/client-iam";
import { beforeAll, describe, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const DOC = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] });

describe("IAM error messages", () => {
  const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));
  beforeAll(async () => {
    await sim.iam.send(new CreateRoleCommand({ RoleName: "err-role", AssumeRolePolicyDocument: TRUST }));
    await sim.iam.send(new CreateUserCommand({ UserName: "err-user" }));
    await sim.iam.send(new CreateGroupCommand({ GroupName: "err-group" }));
  });

  it("NoSuchEntity (404) for a missing role, user, group, policy, inline policy and instance profile", async () => {
    const missing = async (p: Promise<unknown>, message: string) => expectAwsError(p, { name: "NoSuchEntityException", status: 404, message });
    await missing(sim.iam.send(new GetRoleCommand({ RoleName: "nope" })), "The role with name nope cannot be found.");
    await missing(sim.iam.send(new GetUserCommand({ UserName: "nope" })), "The user with name nope cannot be found.");
    await missing(sim.iam.send(new GetGroupCommand({ GroupName: "nope" })), "The group with name nope cannot be found.");
    await missing(
      sim.iam.send(new GetPolicyCommand({ PolicyArn: "arn:aws:iam::000000000000:policy/nope" })),
      "Policy arn:aws:iam::000000000000:policy/nope was not found.",
    );
    await missing(
      sim.iam.send(new AttachRolePolicyCommand({ RoleName: "err-role", PolicyArn: "arn:aws:iam::000000000000:policy/nope" })),
      "Policy arn:aws:iam::000000000000:policy/nope does not exist or is not attachable.",
    );
    await missing(sim.iam.send(new GetRolePolicyCommand({ RoleName: "err-role", PolicyName: "nope" })), "The role policy with name nope cannot be found.");
    await missing(sim.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: "nope" })), "Instance Profile nope cannot be found.");
  });

  it("EntityAlreadyExists (409)", async () => {
    await expectAwsError(sim.iam.send(new CreateRoleCommand({ RoleName: "err-role", AssumeRolePolicyDocument: TRUST })), {
      name: "EntityAlreadyExistsException",
      status: 409,
      message: "Role with name err-role already exists.",
    });
    await expectAwsError(sim.iam.send(new CreateUserCommand({ UserName: "err-user" })), {
      name: "EntityAlreadyExistsException",
      status: 409,
      message: "User with name err-user already exists.",
    });
  });

  it("DeleteConflict (409) and LimitExceeded (409)", async () => {
    await sim.iam.send(new AddUserToGroupCommand({ GroupName: "err-group", UserName: "err-user" }));
    await expectAwsError(sim.iam.send(new DeleteGroupCommand({ GroupName: "err-group" })), {
      name: "DeleteConflictException",
      status: 409,
      message: "Cannot delete entity, must remove users from group first.",
    });
    await sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "err-ip" }));
    await sim.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "err-ip", RoleName: "err-role" }));
    await expectAwsError(sim.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "err-ip", RoleName: "err-role" })), {
      name: "LimitExceededException",
      status: 409,
      message: "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1",
    });
    await expectAwsError(sim.iam.send(new DeleteRoleCommand({ RoleName: "err-role" })), {
      name: "DeleteConflictException",
      status: 409,
      message: "Cannot delete entity, must remove roles from instance profile first.",
    });
    const arns: string[] = [];
    for (let i = 0; i < 11; i++) arns.push((await sim.iam.send(new CreatePolicyCommand({ PolicyName: `err-p${i}`, PolicyDocument: DOC }))).Policy!.Arn!);
    for (const arn of arns.slice(0, 10)) await sim.iam.send(new AttachRolePolicyCommand({ RoleName: "err-role", PolicyArn: arn }));
    await expectAwsError(sim.iam.send(new AttachRolePolicyCommand({ RoleName: "err-role", PolicyArn: arns[10] })), {
      name: "LimitExceededException",
      status: 409,
      message: "Cannot exceed quota for PoliciesPerRole: 10",
    });
  });
});
