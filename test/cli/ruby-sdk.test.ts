/**
 * The Ruby SDK (Debian's ruby-aws-sdk-s3 and ruby-aws-sdk-core) against awsim: test/ruby/s3_flow.rb runs
 * realistic S3 and STS flows with the Ruby clients (its own XML parsers, signer, checksum validation, managed
 * multipart uploader, presigner and presigned POST, resource API, waiters, event streams) and prints "ok <step>"
 * or "FAIL <step>: <reason>", then "done <ok>/<run>". Run twice: on the default server, and under --enforce-iam
 * as an IAM user, where every request's signature (header-signed, presigned, POST policy) is verified and
 * tampered ones must fail. Skips where ruby or the gems are missing.
 */
import { execFile, spawnSync } from "node:child_process";
import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsimServer, clientConfig, startServer } from "../helpers.js";

const hasRuby = spawnSync("ruby", ["-e", 'require "aws-sdk-s3"'], { stdio: "ignore" }).status === 0;
if (!hasRuby) console.warn("skipping Ruby SDK tests: ruby or Debian's ruby-aws-sdk-s3/ruby-aws-sdk-core is not installed");

const FLOW = new URL("../ruby/s3_flow.rb", import.meta.url).pathname;

function runFlow(url: string, env: Record<string, string> = {}) {
  return new Promise<{ stdout: string; stderr: string }>((resolve) => {
    execFile("ruby", [FLOW, url], { timeout: 90_000, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ stdout, stderr: `${stderr}${err ? err.message : ""}` }),
    );
  });
}

function expectAllOk(run: { stdout: string; stderr: string }) {
  const lines = run.stdout.trim().split("\n");
  expect(
    lines.filter((l) => l.startsWith("FAIL")),
    run.stderr,
  ).toEqual([]);
  const done = /^done (\d+)\/(\d+)$/.exec(lines.at(-1) ?? "");
  expect(done, `${run.stdout}\n${run.stderr}`).not.toBeNull();
  expect(Number(done![1])).toBe(Number(done![2]));
  expect(Number(done![2])).toBeGreaterThanOrEqual(32);
}

describe.skipIf(!hasRuby)("Ruby SDK: S3 and STS flows", () => {
  let server: AwsimServer;
  let enforced: AwsimServer;
  beforeAll(async () => {
    [server, enforced] = await Promise.all([startServer(), startServer({ enforceIam: true })]);
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), enforced?.stop()]);
  });

  it("every flow passes on the default server", { timeout: 120_000 }, async () => {
    expectAllOk(await runFlow(server.url));
  });

  it("every flow passes under --enforce-iam as an IAM user, and bad signatures fail", { timeout: 120_000 }, async () => {
    const iam = new IAMClient(clientConfig(enforced));
    await iam.send(new CreateUserCommand({ UserName: "rb" }));
    await iam.send(new AttachUserPolicyCommand({ UserName: "rb", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: "rb" }))).AccessKey!;
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:root" }, Action: "sts:AssumeRole" }] };
    await iam.send(new CreateRoleCommand({ RoleName: "rb-role", AssumeRolePolicyDocument: JSON.stringify(trust) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: "rb-role", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }));
    // A role an OIDC provider's tokens may assume (EKS's IAM roles for service accounts).
    const oidc = await iam.send(
      new CreateOpenIDConnectProviderCommand({ Url: "https://oidc.example.com", ClientIDList: ["sts.amazonaws.com"], ThumbprintList: ["a".repeat(40)] }),
    );
    const web = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: oidc.OpenIDConnectProviderArn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringEquals: { "oidc.example.com:sub": "system:serviceaccount:ns:sa", "oidc.example.com:aud": "sts.amazonaws.com" } },
        },
      ],
    };
    await iam.send(new CreateRoleCommand({ RoleName: "rb-web", AssumeRolePolicyDocument: JSON.stringify(web) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: "rb-web", PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }));
    expectAllOk(await runFlow(enforced.url, { RB_ENFORCE: "1", RB_KEY: key.AccessKeyId!, RB_SECRET: key.SecretAccessKey! }));
  });
});
