/**
 * Flows that real tools run against AWS in their own CI, replayed against awsim: SAM CLI's remote invoke
 * (tests/integration/remote/invoke), aws-vault's session-token and rotation flows (vault/*.go, its issues).
 */
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetUserCommand,
  IAMClient,
  ListUsersCommand,
} from "@aws-sdk/client-iam";
import {
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  InvokeWithResponseStreamCommand,
  LambdaClient,
} from "@aws-sdk/client-lambda";
import { AssumeRoleCommand, GetCallerIdentityCommand, GetFederationTokenCommand, GetSessionTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, totp, useServer } from "../helpers.js";
import { ROLE, zip } from "./lambda-helpers.js";

const text = (p?: Uint8Array) => Buffer.from(p ?? []).toString();

describe("SAM CLI remote invoke: InvokeWithResponseStream", () => {
  const sim = useServer({ execute: true }, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  // SAM CLI tests/integration/remote/invoke/test_lambda_invoke_response_stream.py, test_invoke_json_output_option and
  // test_invoke_different_boto_options: LogType None gives an empty InvokeComplete, and InvocationType DryRun still
  // streams the function's chunks (both asserted against AWS).
  it("streams a streamifyResponse function's writes, with InvocationType DryRun as with RequestResponse", async () => {
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "stream-event-values",
        Runtime: "nodejs20.x",
        Handler: "index.stream_event_values",
        Role: ROLE,
        Timeout: 10,
        Code: {
          ZipFile: zip({
            "index.js": `exports.stream_event_values = awslambda.streamifyResponse(async (event, responseStream) => {
  for (const k in event) { responseStream.write(event[k]); await new Promise((r) => setTimeout(r, 50)); }
  responseStream.end();
});`,
          }),
        },
      }),
    );
    await sim.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: "stream-event-values", AuthType: "AWS_IAM", InvokeMode: "RESPONSE_STREAM" }));
    // SAM CLI picks InvokeWithResponseStream when the function URL's InvokeMode is RESPONSE_STREAM.
    expect((await sim.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: "stream-event-values" }))).InvokeMode).toBe("RESPONSE_STREAM");
    const Payload = Buffer.from(JSON.stringify({ key1: "Hello", key2: "serverless", key3: "world" }));
    for (const InvocationType of ["RequestResponse", "DryRun"] as const) {
      const r = await sim.lambda.send(
        new InvokeWithResponseStreamCommand({ FunctionName: "stream-event-values", Payload, LogType: "None", InvocationType, Qualifier: "$LATEST" }),
      );
      expect(r.StatusCode).toBe(200);
      expect(r.ExecutedVersion).toBe("$LATEST");
      const events: unknown[] = [];
      for await (const ev of r.EventStream!) {
        if (ev.PayloadChunk) events.push({ PayloadChunk: { Payload: text(ev.PayloadChunk.Payload) } });
        if (ev.InvokeComplete) events.push({ InvokeComplete: ev.InvokeComplete });
      }
      expect(events).toEqual([
        { PayloadChunk: { Payload: "Hello" } },
        { PayloadChunk: { Payload: "serverless" } },
        { PayloadChunk: { Payload: "world" } },
        { InvokeComplete: {} },
      ]);
    }
  });
});

describe("aws-vault: GetSessionToken credentials", () => {
  const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg), sts: new STSClient(cfg) }));

  async function userKeys(name: string) {
    await sim.iam.send(new CreateUserCommand({ UserName: name }));
    const k = (await sim.iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
    return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
  }
  const clients = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => ({
    iam: new IAMClient(clientConfig(sim.server, { credentials })),
    sts: new STSClient(clientConfig(sim.server, { credentials })),
  });
  const sessionOf = (c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }) => ({
    accessKeyId: c.AccessKeyId!,
    secretAccessKey: c.SecretAccessKey!,
    sessionToken: c.SessionToken!,
  });

  // aws-vault issues #15 and #1056 (AWS support's answer; the GetSessionToken API reference): `aws-vault exec` hands out
  // GetSessionToken credentials, with which IAM answers InvalidClientTokenId unless MFA was given; STS takes only
  // AssumeRole and GetCallerIdentity from them.
  it("without MFA: IAM refuses them as an invalid token; GetSessionToken and GetFederationToken refuse session credentials", async () => {
    const user = clients(await userKeys("vault-nomfa"));
    const s = clients(sessionOf((await user.sts.send(new GetSessionTokenCommand({}))).Credentials!));
    for (const p of [s.iam.send(new GetUserCommand({})), s.iam.send(new ListUsersCommand({}))])
      await expectAwsError(p, { name: "InvalidClientTokenId", status: 403, message: "The security token included in the request is invalid" });
    expect((await s.sts.send(new GetCallerIdentityCommand({}))).Arn).toBe("arn:aws:iam::000000000000:user/vault-nomfa");
    await expectAwsError(s.sts.send(new GetSessionTokenCommand({})), {
      name: "AccessDenied",
      status: 403,
      message: "Cannot call GetSessionToken with session credentials",
    });
    await expectAwsError(s.sts.send(new GetFederationTokenCommand({ Name: "vault-fed" })), {
      name: "AccessDenied",
      status: 403,
      message: "Cannot call GetFederationToken with session credentials",
    });
    const role = await s.sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/vault-target", RoleSessionName: "vault" }));
    expect(role.AssumedRoleUser?.Arn).toBe("arn:aws:sts::000000000000:assumed-role/vault-target/vault");
    // A federated user's credentials are session credentials too.
    const fed = clients(sessionOf((await user.sts.send(new GetFederationTokenCommand({ Name: "vault-fed" }))).Credentials!));
    await expectAwsError(fed.sts.send(new GetSessionTokenCommand({})), { name: "AccessDenied", status: 403 });
  });

  // aws-vault vault/rotator.go: with an MFA session it finds the user (GetUser) and creates the new access key.
  it("with MFA: IAM takes them (aws-vault rotate)", async () => {
    const user = clients(await userKeys("vault-mfa"));
    const dev = (await sim.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "vault-mfa" }))).VirtualMFADevice!;
    const seed = Buffer.from(dev.Base32StringSeed!).toString();
    const t = Math.floor(Date.now() / 30_000);
    await sim.iam.send(
      new EnableMFADeviceCommand({
        UserName: "vault-mfa",
        SerialNumber: dev.SerialNumber!,
        AuthenticationCode1: totp(seed, t - 1),
        AuthenticationCode2: totp(seed, t),
      }),
    );
    const c = (
      await user.sts.send(
        new GetSessionTokenCommand({ SerialNumber: dev.SerialNumber, TokenCode: totp(seed, Math.floor(Date.now() / 30_000)), DurationSeconds: 3600 }),
      )
    ).Credentials!;
    const s = clients(sessionOf(c));
    expect((await s.iam.send(new GetUserCommand({}))).User?.UserName).toBe("vault-mfa");
    expect((await s.iam.send(new CreateAccessKeyCommand({ UserName: "vault-mfa" }))).AccessKey?.UserName).toBe("vault-mfa");
  });
});
