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
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  CreateRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import {
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  InvokeCommand,
  InvokeWithResponseStreamCommand,
  LambdaClient,
  PublishLayerVersionCommand,
} from "@aws-sdk/client-lambda";
import {
  AssumeRoleCommand,
  AssumeRoleWithSAMLCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
} from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, totp, useServer } from "../helpers.js";
import { ROLE, zip } from "./lambda-helpers.js";

const text = (p?: Uint8Array) => Buffer.from(p ?? []).toString();
const sessionOf = (c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }) => ({
  accessKeyId: c.AccessKeyId!,
  secretAccessKey: c.SecretAccessKey!,
  sessionToken: c.SessionToken!,
});

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

describe("SAM CLI sync: Node.js ES module handlers with a dependency layer", () => {
  const sim = useServer({ execute: true }, (cfg) => ({ lambda: new LambdaClient(cfg) }));

  // SAM sync's auto dependency layer puts node_modules in a layer (nodejs/node_modules); an ES module handler imports
  // them, and the AWS SDK the runtime ships, by bare name (AWS re:Post "Cannot find module or Cannot find package":
  // layered ES module dependencies work from Node.js 18), and may await at top level (AWS Compute Blog, "Using Node.js
  // ES modules and top-level await in AWS Lambda").
  it("an .mjs handler imports from a layer and the runtime's AWS SDK, with top-level await", async () => {
    const layer = await sim.lambda.send(
      new PublishLayerVersionCommand({
        LayerName: "sam-deps",
        CompatibleRuntimes: ["nodejs20.x"],
        Content: {
          ZipFile: zip({
            "nodejs/node_modules/greet/package.json": JSON.stringify({ name: "greet", type: "module", exports: "./index.js" }),
            "nodejs/node_modules/greet/index.js": "export const greet = (n) => `hello ${n}`;",
          }),
        },
      }),
    );
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "esm-app",
        Runtime: "nodejs20.x",
        Handler: "app.handler",
        Role: ROLE,
        Layers: [layer.LayerVersionArn!],
        Code: {
          ZipFile: zip({
            "app.mjs": `import { greet } from "greet";
import { STSClient } from "@aws-sdk/client-sts";
const ready = await Promise.resolve("warm");
export const handler = async (event) => ({ body: greet(event.name), ready, sdk: typeof STSClient });`,
          }),
        },
      }),
    );
    const r = await sim.lambda.send(new InvokeCommand({ FunctionName: "esm-app", Payload: Buffer.from(JSON.stringify({ name: "sam" })) }));
    expect(r.FunctionError).toBeUndefined();
    expect(JSON.parse(text(r.Payload))).toEqual({ body: "hello sam", ready: "warm", sdk: "function" });
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

describe("aws-vault and granted under --enforce-iam", () => {
  const ROOT = { accessKeyId: "AKIAREALUSERSROOT001", secretAccessKey: "root-secret" };
  const sim = useServer({ enforceIam: true, rootKeys: [`${ROOT.accessKeyId}:${ROOT.secretAccessKey}`] }, (cfg, server) => ({
    iam: new IAMClient(clientConfig(server, { credentials: ROOT })),
  }));
  const doc = (Statement: object) => JSON.stringify({ Version: "2012-10-17", Statement: [Statement] });

  // aws-vault's and granted's source_identity setting passes SourceIdentity to AssumeRole; the role's trust policy must
  // allow sts:SetSourceIdentity as well (IAM User Guide, "Monitor and control actions taken with assumed roles").
  it("AssumeRole with a SourceIdentity needs sts:SetSourceIdentity in the trust policy; IAM refuses a session token without MFA before any policy", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "dev" }));
    const k = (await sim.iam.send(new CreateAccessKeyCommand({ UserName: "dev" }))).AccessKey!;
    const dev = new STSClient(clientConfig(sim.server, { credentials: { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! } }));
    await sim.iam.send(
      new PutUserPolicyCommand({ UserName: "dev", PolicyName: "assume", PolicyDocument: doc({ Effect: "Allow", Action: "sts:*", Resource: "*" }) }),
    );
    const principal = { AWS: "arn:aws:iam::000000000000:root" };
    await sim.iam.send(
      new CreateRoleCommand({ RoleName: "plain", AssumeRolePolicyDocument: doc({ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" }) }),
    );
    await sim.iam.send(
      new CreateRoleCommand({
        RoleName: "traced",
        AssumeRolePolicyDocument: doc({ Effect: "Allow", Principal: principal, Action: ["sts:AssumeRole", "sts:SetSourceIdentity"] }),
      }),
    );
    await expectAwsError(
      dev.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/plain", RoleSessionName: "alice", SourceIdentity: "alice" })),
      {
        name: "AccessDenied",
        status: 403,
        message:
          "User: arn:aws:iam::000000000000:user/dev is not authorized to perform: sts:SetSourceIdentity on resource: arn:aws:iam::000000000000:role/plain",
      },
    );
    const ok = await dev.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/traced", RoleSessionName: "alice", SourceIdentity: "alice" }));
    expect(ok.SourceIdentity).toBe("alice");
    expect((await dev.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/plain", RoleSessionName: "alice" }))).AssumedRoleUser?.Arn).toBe(
      "arn:aws:sts::000000000000:assumed-role/plain/alice",
    );
    // The source identity persists across chained role sessions (the AssumeRole API reference) and is
    // aws:SourceIdentity in policy conditions.
    await sim.iam.send(
      new PutRolePolicyCommand({
        RoleName: "plain",
        PolicyName: "alice-only",
        PolicyDocument: doc({ Effect: "Allow", Action: "iam:ListUsers", Resource: "*", Condition: { StringEquals: { "aws:SourceIdentity": "alice" } } }),
      }),
    );
    const traced = new STSClient(clientConfig(sim.server, { credentials: sessionOf(ok.Credentials!) }));
    await sim.iam.send(
      new PutRolePolicyCommand({
        RoleName: "traced",
        PolicyName: "chain",
        PolicyDocument: doc({ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }),
      }),
    );
    await sim.iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: "plain",
        PolicyDocument: doc({ Effect: "Allow", Principal: principal, Action: ["sts:AssumeRole", "sts:SetSourceIdentity"] }),
      }),
    );
    const chained = await traced.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/plain", RoleSessionName: "chained" }));
    const asPlain = (c: typeof chained) => new IAMClient(clientConfig(sim.server, { credentials: sessionOf(c.Credentials!) }));
    expect((await asPlain(chained).send(new ListUsersCommand({}))).Users?.map((u) => u.UserName)).toEqual(["dev"]);
    const untraced = await dev.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/plain", RoleSessionName: "nobody" }));
    await expectAwsError(asPlain(untraced).send(new ListUsersCommand({})), { name: "AccessDenied", status: 403 });
    // dev may call no IAM operation, but a session token without MFA is refused as a token first (aws-vault issue #15).
    const c = (await dev.send(new GetSessionTokenCommand({}))).Credentials!;
    const session = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    await expectAwsError(new IAMClient(clientConfig(sim.server, { credentials: session })).send(new GetUserCommand({})), {
      name: "InvalidClientTokenId",
      status: 403,
      message: "The security token included in the request is invalid",
    });
  });
});

describe("Airflow's base AWS hook: federation carries the identity provider's source identity and session tags", () => {
  const sim = useServer({}, (cfg) => ({ sts: new STSClient(cfg) }));
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");

  // Airflow's AwsBaseHook assumes roles with AssumeRoleWithWebIdentity (a token file) and AssumeRoleWithSAML; AWS's
  // responses carry the SourceIdentity the IdP set (the model's AssumeRoleWithWebIdentityResponse.SourceIdentity),
  // and the IdP's session tags count in PackedPolicySize.
  it("AssumeRoleWithWebIdentity and AssumeRoleWithSAML answer the IdP's SourceIdentity", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64({ alg: "RS256", kid: "k" })}.${b64({
      iss: "https://token.actions.githubusercontent.com",
      sub: "repo:octo/app:ref:refs/heads/main",
      aud: "sts.amazonaws.com",
      iat: now,
      exp: now + 600,
      "https://aws.amazon.com/source_identity": "octocat",
      "https://aws.amazon.com/tags": { principal_tags: { Project: ["Automation"] }, transitive_tag_keys: ["Project"] },
    })}.c2ln`;
    const wi = await sim.sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: "arn:aws:iam::000000000000:role/airflow",
        RoleSessionName: "Airflow_aws_default",
        WebIdentityToken: token,
      }),
    );
    expect(wi.SourceIdentity).toBe("octocat");
    expect(wi.PackedPolicySize).toBeGreaterThan(0);
    expect(wi.AssumedRoleUser?.Arn).toBe("arn:aws:sts::000000000000:assumed-role/airflow/Airflow_aws_default");

    const attr = (name: string, value: string) =>
      `<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/${name}"><saml:AttributeValue>${value}</saml:AttributeValue></saml:Attribute>`;
    const later = new Date(Date.now() + 300_000).toISOString();
    const xml =
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">` +
      `<saml:Issuer>https://idp.example.com</saml:Issuer><saml:Assertion><saml:Issuer>https://idp.example.com</saml:Issuer>` +
      `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">jdoe</saml:NameID>` +
      `<saml:SubjectConfirmation><saml:SubjectConfirmationData Recipient="https://signin.aws.amazon.com/saml" NotOnOrAfter="${later}"/></saml:SubjectConfirmation></saml:Subject>` +
      `<saml:AttributeStatement>${attr("RoleSessionName", "jdoe")}${attr("SourceIdentity", "jdoe@example.com")}${attr("PrincipalTag:Team", "data")}</saml:AttributeStatement>` +
      `</saml:Assertion></samlp:Response>`;
    const saml = await sim.sts.send(
      new AssumeRoleWithSAMLCommand({
        RoleArn: "arn:aws:iam::000000000000:role/airflow",
        PrincipalArn: "arn:aws:iam::000000000000:saml-provider/corp",
        SAMLAssertion: Buffer.from(xml).toString("base64"),
      }),
    );
    expect(saml.SourceIdentity).toBe("jdoe@example.com");
    expect(saml.PackedPolicySize).toBeGreaterThan(0);
  });
});
