/** IAM stamps its resources in whole seconds, as AWS's answers and documented examples show (no milliseconds). */
import { CreateAccessKeyCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, ListUsersCommand } from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

describe("IAM timestamps", () => {
  const t = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));

  it("CreateDate of users, roles, policies and access keys has no milliseconds", async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const user = (await t.iam.send(new CreateUserCommand({ UserName: "clock" }))).User!;
    const role = (
      await t.iam.send(
        new CreateRoleCommand({
          RoleName: "clock",
          AssumeRolePolicyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }],
          }),
        }),
      )
    ).Role!;
    const policy = (
      await t.iam.send(
        new CreatePolicyCommand({
          PolicyName: "clock",
          PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }),
        }),
      )
    ).Policy!;
    const key = (await t.iam.send(new CreateAccessKeyCommand({ UserName: "clock" }))).AccessKey!;
    for (const d of [user.CreateDate!, role.CreateDate!, policy.CreateDate!, policy.UpdateDate!, key.CreateDate!]) {
      expect(d.getUTCMilliseconds()).toBe(0);
      expect(d.getTime()).toBeGreaterThanOrEqual(before);
    }
    const listed = (await t.iam.send(new ListUsersCommand({}))).Users!.find((u) => u.UserName === "clock")!;
    expect(listed.CreateDate).toEqual(user.CreateDate);
  });
});
