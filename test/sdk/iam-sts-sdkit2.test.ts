/**
 * IAM and STS as the other SDK teams' integration tests (run against real AWS) rely on them: differences found by
 * replaying aws-sdk-net, aws-sdk-cpp, aws-sdk-ruby, aws-sdk-php, smithy-rs, aws-sdk-kotlin, aws-sdk-swift,
 * aws-sdk-java (v1) and aws-sdk-go (v1) integration and smoke tests against awsim.
 */
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListGroupsCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

describe("IAM request clock skew under --enforce-iam (aws-sdk-net sdk/test/IntegrationTests/Tests/General.cs TestClockSkewCorrection)", () => {
  const sim = useServer({ enforceIam: true }, (cfg) => ({ iam: new IAMClient(cfg), cfg }));

  // TestClockSkewCorrection calls IAM ListGroups with a clock offset of +26 hours and of -1 hour and expects the SDK to
  // correct its clock from the error: AWS words a request from the future "not yet current" and one from the past
  // "expired", each naming the server's time.
  it("words a request dated in the future as not yet current and one in the past as expired", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "skewed" }));
    const doc = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
    await sim.iam.send(new PutUserPolicyCommand({ UserName: "skewed", PolicyName: "all", PolicyDocument: doc }));
    const key = (await sim.iam.send(new CreateAccessKeyCommand({ UserName: "skewed" }))).AccessKey!;
    const credentials = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    const skewed = (systemClockOffset: number) => new IAMClient({ ...sim.cfg, credentials, systemClockOffset });
    const stamp = "(\\d{8}T\\d{6}Z)";
    const ahead = await expectAwsError(skewed(26 * 3600_000).send(new ListGroupsCommand({})), {
      name: "SignatureDoesNotMatch",
      status: 403,
      message: new RegExp(`^Signature not yet current: ${stamp} is still later than ${stamp} \\(${stamp} \\+ 15 min\\.\\)$`),
    });
    const [sent, limit, server] = ahead.message.match(/\d{8}T\d{6}Z/g)!;
    const t = (s: string) => Date.parse(s.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));
    expect(Math.abs(t(server!) - Date.now())).toBeLessThan(60_000);
    expect(t(limit!) - t(server!)).toBe(15 * 60_000);
    expect(t(sent!) - t(server!)).toBeGreaterThan(25 * 3600_000);
    await expectAwsError(skewed(-3600_000).send(new ListGroupsCommand({})), {
      name: "SignatureDoesNotMatch",
      status: 403,
      message: new RegExp(`^Signature expired: ${stamp} is now earlier than ${stamp} \\(${stamp} - 15 min\\.\\)$`),
    });
    // With its clock right the same key is served.
    expect((await skewed(0).send(new ListGroupsCommand({}))).Groups).toEqual([]);
  });
});
