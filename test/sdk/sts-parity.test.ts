/** STS: answers recorded against real AWS (ARN and session-name errors, transitive session tags, PackedPolicySize). */
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand, GetFederationTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { beforeAll, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["sts:AssumeRole", "sts:TagSession"], Principal: { AWS: "000000000000" } }],
});

describe("STS parity", () => {
  const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg), sts: new STSClient(cfg) }));
  let role1: string;
  let role2: string;
  beforeAll(async () => {
    role1 = (await sim.iam.send(new CreateRoleCommand({ RoleName: "role-1", AssumeRolePolicyDocument: TRUST }))).Role!.Arn!;
    role2 = (await sim.iam.send(new CreateRoleCommand({ RoleName: "role-2", AssumeRolePolicyDocument: TRUST }))).Role!.Arn!;
  });

  it("a RoleArn that is no role ARN is '<arn> is invalid'; a bad session name keeps its value in the message", async () => {
    for (const arn of [
      "nothing-valid-in-here",
      "arn::b:::something/test-role",
      "arn:a::::something/test-role",
      "arn:a:::something/test-role",
      "arn:a:a::aaaaaaaaaa:",
    ])
      await expectAwsError(sim.sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "Session1" })), {
        name: "ValidationError",
        status: 400,
        message: `${arn} is invalid`,
      });
    await expectAwsError(sim.sts.send(new AssumeRoleCommand({ RoleArn: "arn:a:b:::something/test-role", RoleSessionName: "Session1:2" })), {
      name: "ValidationError",
      status: 400,
      message:
        "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    });
  });

  it("transitive tag keys match the request's tags case-insensitively; duplicate keys differing in case are refused", async () => {
    const ok = await sim.sts.send(
      new AssumeRoleCommand({
        RoleArn: role1,
        RoleSessionName: "SessionCasing",
        Tags: [{ Key: "SessionTag1", Value: "SessionValue1" }],
        TransitiveTagKeys: ["sessiontag1"],
      }),
    );
    expect(ok.AssumedRoleUser!.Arn).toBe("arn:aws:sts::000000000000:assumed-role/role-1/SessionCasing");
    await expectAwsError(
      sim.sts.send(
        new AssumeRoleCommand({ RoleArn: role1, RoleSessionName: "x1", Tags: [{ Key: "SessionTag1", Value: "v" }], TransitiveTagKeys: ["InvalidKey"] }),
      ),
      { name: "InvalidParameterValue", status: 400, message: "The specified transitive tag key must be included in the requested tags." },
    );
    await expectAwsError(
      sim.sts.send(
        new AssumeRoleCommand({
          RoleArn: role1,
          RoleSessionName: "x2",
          Tags: [
            { Key: "SessionTag1", Value: "SessionValue1" },
            { Key: "sessiontag1", Value: "SessionValue2" },
          ],
          TransitiveTagKeys: ["sessiontag1"],
        }),
      ),
      { name: "InvalidParameterValue", status: 400, message: "Duplicate tag keys found. Please note that Tag keys are case insensitive." },
    );
  });

  it("a chained session may not override a transitive tag of its caller, whatever the case", async () => {
    const first = await sim.sts.send(
      new AssumeRoleCommand({
        RoleArn: role1,
        RoleSessionName: "Session1",
        Tags: [{ Key: "SessionTag1", Value: "SessionValue1" }],
        TransitiveTagKeys: ["SessionTag1"],
      }),
    );
    const c = first.Credentials!;
    const chained = new STSClient(
      clientConfig(sim.server, { credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } }),
    );
    expect((await chained.send(new GetCallerIdentityCommand({}))).Arn).toBe("arn:aws:sts::000000000000:assumed-role/role-1/Session1");
    for (const Key of ["SessionTag1", "sessiontag1"])
      await expectAwsError(
        chained.send(new AssumeRoleCommand({ RoleArn: role2, RoleSessionName: "Session2SessionTagOverride", Tags: [{ Key, Value: "SessionValue2" }] })),
        {
          name: "InvalidParameterValue",
          status: 400,
          message: "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
        },
      );
    // Other tags are still fine.
    const ok = await chained.send(new AssumeRoleCommand({ RoleArn: role2, RoleSessionName: "Session2", Tags: [{ Key: "Other", Value: "v" }] }));
    expect(ok.AssumedRoleUser!.AssumedRoleId).toMatch(/^AROA[A-Z0-9]+:Session2$/);
  });

  it("GetFederationToken answers PackedPolicySize 0 without session policies", async () => {
    const r = await sim.sts.send(new GetFederationTokenCommand({ Name: "TestName1", DurationSeconds: 900 }));
    expect(r.PackedPolicySize).toBe(0);
    expect(r.FederatedUser).toEqual({ FederatedUserId: "000000000000:TestName1", Arn: "arn:aws:sts::000000000000:federated-user/TestName1" });
  });
});
