/**
 * IAM and STS as the other SDK teams' integration tests (run against real AWS) rely on them: differences found by
 * replaying aws-sdk-net, aws-sdk-cpp, aws-sdk-ruby, aws-sdk-php, smithy-rs, aws-sdk-kotlin, aws-sdk-swift,
 * aws-sdk-java (v1) and aws-sdk-go (v1) integration and smoke tests against awsim.
 */
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteAccountPasswordPolicyCommand,
  GetAccountPasswordPolicyCommand,
  GetContextKeysForCustomPolicyCommand,
  GetUserCommand,
  IAMClient,
  ListGroupsCommand,
  PutUserPolicyCommand,
  SimulateCustomPolicyCommand,
  UpdateAccountPasswordPolicyCommand,
} from "@aws-sdk/client-iam";
import { GetFederationTokenCommand, STSClient } from "@aws-sdk/client-sts";
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

// Guards for what already held when the wave-2 SDK integration tests were replayed.
describe("IAM and STS as the .NET, PHP, Ruby and Go v1 integration tests use them", () => {
  const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg), sts: new STSClient(cfg) }));

  // aws-sdk-net PasswordPolicyTests.CRUDPasswordPolicy: an UpdateAccountPasswordPolicy without members resets the
  // policy to its defaults; MaxPasswordAge sets ExpirePasswords.
  it("sets the password policy and resets it with an empty update", async () => {
    await sim.iam.send(
      new UpdateAccountPasswordPolicyCommand({
        RequireNumbers: true,
        RequireSymbols: true,
        MinimumPasswordLength: 8,
        RequireLowercaseCharacters: true,
        RequireUppercaseCharacters: true,
        AllowUsersToChangePassword: true,
        PasswordReusePrevention: 1,
        MaxPasswordAge: 90,
        HardExpiry: true,
      }),
    );
    const set = (await sim.iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy!;
    expect(set).toMatchObject({ RequireNumbers: true, MinimumPasswordLength: 8, MaxPasswordAge: 90, HardExpiry: true, ExpirePasswords: true });
    await sim.iam.send(new UpdateAccountPasswordPolicyCommand({}));
    const reset = (await sim.iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy!;
    expect([reset.RequireNumbers, reset.RequireSymbols]).toEqual([false, false]);
    await sim.iam.send(new DeleteAccountPasswordPolicyCommand({}));
  });

  // aws-sdk-net PolicyTests.TestCustomPolicies: context keys of a policy with a condition and policy variables, and
  // a simulation whose outcome turns on the s3:prefix and aws:username context entries.
  it("lists a custom policy's context keys and simulates it with context entries", async () => {
    const doc = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["s3:ListAllMyBuckets", "s3:GetBucketLocation"], Resource: "arn:aws:s3:::*" },
        {
          Effect: "Allow",
          Action: "s3:ListBucket",
          Resource: "arn:aws:s3:::test-bucket123",
          Condition: { StringLike: { "s3:prefix": ["", "home/", "home/${aws:username}/"] } },
        },
        {
          Effect: "Allow",
          Action: "s3:*",
          Resource: ["arn:aws:s3:::test-bucket123/home/${aws:username}", "arn:aws:s3:::test-bucket123/home/${aws:username}/*"],
        },
      ],
    });
    const keys = (await sim.iam.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: [doc] }))).ContextKeyNames;
    expect(keys).toEqual(expect.arrayContaining(["s3:prefix", "aws:username"]));
    const simulate = async (prefix: string) =>
      (
        await sim.iam.send(
          new SimulateCustomPolicyCommand({
            ActionNames: ["s3:ListBucket"],
            PolicyInputList: [doc],
            ResourceArns: ["arn:aws:s3:::test-bucket123"],
            ContextEntries: [
              { ContextKeyName: "s3:prefix", ContextKeyType: "string", ContextKeyValues: [prefix] },
              { ContextKeyName: "aws:username", ContextKeyType: "string", ContextKeyValues: ["bob"] },
            ],
          }),
        )
      ).EvaluationResults!.map((r) => r.EvalDecision);
    expect(await simulate("home/bob/")).toEqual(["allowed"]);
    expect(await simulate("home/alice/")).toEqual(["implicitDeny"]);
  });

  // aws-sdk-php features/smoke/iam and aws-sdk-java sts.feature / aws-sdk-go service/sts/integ_test.go: the error
  // codes and texts the smoke tests expect.
  it("answers the smoke tests' errors", async () => {
    await expectAwsError(sim.iam.send(new GetUserCommand({ UserName: "fake_user" })), {
      name: "NoSuchEntityException",
      status: 404,
      message: "The user with name fake_user cannot be found.",
    });
    await expectAwsError(sim.sts.send(new GetFederationTokenCommand({ Name: "temp", Policy: '{\\"temp\\":true}' })), {
      name: "MalformedPolicyDocumentException",
      status: 400,
    });
  });
});
