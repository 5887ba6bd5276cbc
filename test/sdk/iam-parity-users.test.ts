/** IAM users: answers recorded against real AWS (removing a non-member, an unknown key's last use). */
import {
  AddUserToGroupCommand,
  CreateGroupCommand,
  CreateUserCommand,
  GetAccessKeyLastUsedCommand,
  GetGroupCommand,
  IAMClient,
  RemoveUserFromGroupCommand,
} from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

describe("IAM users parity", () => {
  const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));

  it("RemoveUserFromGroup of a user who is not (or no longer) a member succeeds", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "member" }));
    await sim.iam.send(new CreateGroupCommand({ GroupName: "team" }));
    await sim.iam.send(new AddUserToGroupCommand({ GroupName: "team", UserName: "member" }));
    await sim.iam.send(new RemoveUserFromGroupCommand({ GroupName: "team", UserName: "member" }));
    const again = await sim.iam.send(new RemoveUserFromGroupCommand({ GroupName: "team", UserName: "member" }));
    expect(again.$metadata.httpStatusCode).toBe(200);
    expect((await sim.iam.send(new GetGroupCommand({ GroupName: "team" }))).Users).toEqual([]);
    // An unknown user or group is still NoSuchEntity.
    await expectAwsError(sim.iam.send(new RemoveUserFromGroupCommand({ GroupName: "nonexistent-group", UserName: "member" })), {
      name: "NoSuchEntityException",
      status: 404,
      message: "The group with name nonexistent-group cannot be found.",
    });
    // The user is looked up first: both unknown answers the user.
    await expectAwsError(sim.iam.send(new RemoveUserFromGroupCommand({ GroupName: "non-existent-group", UserName: "any-user" })), {
      name: "NoSuchEntityException",
      status: 404,
      message: "The user with name any-user cannot be found.",
    });
    await expectAwsError(sim.iam.send(new AddUserToGroupCommand({ GroupName: "team", UserName: "nonexistent-user" })), {
      name: "NoSuchEntityException",
      status: 404,
      message: "The user with name nonexistent-user cannot be found.",
    });
  });

  it("GetAccessKeyLastUsed of an unknown key id is AccessDenied naming the caller", async () => {
    await expectAwsError(sim.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: "AKIAIOSFODNN7EXAMPLE" })), {
      name: "AccessDenied",
      status: 403,
      message: "User: arn:aws:iam::000000000000:root is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key AKIAIOSFODNN7EXAMPLE",
    });
  });
});
