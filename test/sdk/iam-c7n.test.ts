/**
 * IAM and STS as cloud-custodian's tests recorded them against real AWS (tests/data/placebo/<test>/iam.*.json,
 * replayed by tests/test_iam.py and tests/test_account.py).
 */
import { CreateUserCommand, DeleteLoginProfileCommand, DeleteUserCommand, GetLoginProfileCommand, IAMClient, ListUsersCommand } from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

describe("IAM as cloud-custodian recorded it", () => {
  const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));

  // test_iam_user_delete: c7n's delete action removes the console password first and ignores NoSuchEntity.
  it("DeleteLoginProfile of a user without a password answers AWS's own wording", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "alice", Path: "/test/" }));
    await expectAwsError(sim.iam.send(new DeleteLoginProfileCommand({ UserName: "alice" })), {
      name: "NoSuchEntityException",
      status: 404,
      message: "Cannot find Login Profile for User alice",
    });
    await expectAwsError(sim.iam.send(new GetLoginProfileCommand({ UserName: "alice" })), {
      name: "NoSuchEntityException",
      status: 404,
      message: "Login Profile for User alice cannot be found.",
    });
    await sim.iam.send(new DeleteUserCommand({ UserName: "alice" }));
    expect((await sim.iam.send(new ListUsersCommand({ PathPrefix: "/test/" }))).Users).toEqual([]);
  });
});
