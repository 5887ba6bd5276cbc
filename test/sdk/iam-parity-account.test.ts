/** IAM certificates, credential report and password policy: answers recorded against real AWS, checked through boto3 and the JS SDK. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AddRoleToInstanceProfileCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetAccountAuthorizationDetailsCommand,
  GetServerCertificateCommand,
  IAMClient,
  UpdateAccountPasswordPolicyCommand,
  UploadServerCertificateCommand,
  UploadSigningCertificateCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, hasBoto3, python, useServer } from "../helpers.js";

describe("IAM account parity", () => {
  const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));
  let dir: string;
  let cert: string;
  let key: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "iam-parity-"));
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "k.pem"), "-out", join(dir, "c.pem"), "-days", "2", "-subj", "/CN=parity"],
      {
        stdio: "ignore",
      },
    );
    cert = readFileSync(join(dir, "c.pem"), "utf8");
    key = readFileSync(join(dir, "k.pem"), "utf8");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("GetServerCertificate shows Tags even when empty; a malformed signing certificate is quoted", async () => {
    const up = await sim.iam.send(new UploadServerCertificateCommand({ ServerCertificateName: "parity-cert", CertificateBody: cert, PrivateKey: key }));
    expect((up as { Tags?: unknown }).Tags).toBeUndefined();
    expect((await sim.iam.send(new GetServerCertificateCommand({ ServerCertificateName: "parity-cert" }))).ServerCertificate!.Tags).toEqual([]);
    await sim.iam.send(new CreateUserCommand({ UserName: "signer" }));
    await expectAwsError(sim.iam.send(new UploadSigningCertificateCommand({ UserName: "signer", CertificateBody: "invalid-certificate-body" })), {
      name: "MalformedCertificateException",
      status: 400,
      message: "Certificate invalid-certificate-body is malformed.",
    });
  });

  it("GetAccountAuthorizationDetails shows empty lists as AWS does (no empty UserPolicyList; profiles without Tags)", async () => {
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    await sim.iam.send(new CreateRoleCommand({ RoleName: "gaad-role", AssumeRolePolicyDocument: trust }));
    await sim.iam.send(new CreateUserCommand({ UserName: "gaad-user" }));
    await sim.iam.send(new CreateGroupCommand({ GroupName: "gaad-group" }));
    await sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "gaad-profile" }));
    await sim.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "gaad-profile", RoleName: "gaad-role" }));
    const r = await sim.iam.send(new GetAccountAuthorizationDetailsCommand({}));
    const user = r.UserDetailList!.find((u) => u.UserName === "gaad-user")!;
    expect(user.UserPolicyList).toBeUndefined();
    expect(user.GroupList).toEqual([]);
    expect(user.AttachedManagedPolicies).toEqual([]);
    expect(user.Tags).toEqual([]);
    const role = r.RoleDetailList!.find((x) => x.RoleName === "gaad-role")!;
    expect(role.RolePolicyList).toEqual([]);
    expect(role.Tags).toEqual([]);
    expect(role.RoleLastUsed).toEqual({});
    expect(role.InstanceProfileList![0]!.Tags).toBeUndefined();
    expect(Object.keys(role.InstanceProfileList![0]!.Roles![0]!).sort()).toEqual([
      "Arn",
      "AssumeRolePolicyDocument",
      "CreateDate",
      "Path",
      "RoleId",
      "RoleName",
    ]);
    const group = r.GroupDetailList!.find((g) => g.GroupName === "gaad-group")!;
    expect(group.GroupPolicyList).toEqual([]);
    expect(group.AttachedManagedPolicies).toEqual([]);
  });

  it("several password policy violations come in AWS's order", async () => {
    await expectAwsError(
      sim.iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 129, PasswordReusePrevention: 25, MaxPasswordAge: 1096 })),
      {
        name: "ValidationError",
        status: 400,
        message:
          "3 validation errors detected: Value at 'minimumPasswordLength' failed to satisfy constraint: Member must have value less than or equal to 128; Value at 'passwordReusePrevention' failed to satisfy constraint: Member must have value less than or equal to 24; Value at 'maxPasswordAge' failed to satisfy constraint: Member must have value less than or equal to 1095",
      },
    );
  });

  it.skipIf(!hasBoto3())("ReportNotPresent (410) carries no Message, as boto3 sees it", async () => {
    const out = await python(
      `
import boto3, json, sys
iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
try:
    iam.get_credential_report()
except iam.exceptions.ClientError as e:
    print(json.dumps({"error": e.response["Error"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}))
`,
      [sim.server.url],
    );
    expect(JSON.parse(out)).toEqual({ error: { Type: "Sender", Code: "ReportNotPresent" }, status: 410 });
  });
});
