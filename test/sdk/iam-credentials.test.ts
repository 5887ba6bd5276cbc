import {
  ChangePasswordCommand,
  CreateAccessKeyCommand,
  CreateAccountAliasCommand,
  CreateLoginProfileCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeactivateMFADeviceCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  DeleteVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GenerateCredentialReportCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  GetServerCertificateCommand,
  GetSSHPublicKeyCommand,
  IAMClient,
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  ListServerCertificatesCommand,
  ListServiceSpecificCredentialsCommand,
  ListSigningCertificatesCommand,
  ListSSHPublicKeysCommand,
  ListVirtualMFADevicesCommand,
  ResetServiceSpecificCredentialCommand,
  UpdateAccountPasswordPolicyCommand,
  UpdateSSHPublicKeyCommand,
  UploadServerCertificateCommand,
  UploadSigningCertificateCommand,
  UploadSSHPublicKeyCommand,
} from "@aws-sdk/client-iam";
import { GetSessionTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer, totp } from "../helpers.js";
import { CERT, KEY } from "../iam-cert-fixture.js";

const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));

describe("IAM credentials", () => {
  it("login profiles follow the account password policy; ChangePassword by the user", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "pat" }));
    await expectAwsError(sim.iam.send(new GetAccountPasswordPolicyCommand({})), {
      name: "NoSuchEntityException",
      status: 404,
      message: "The Password Policy with domain name 000000000000 cannot be found.",
    });
    await sim.iam.send(
      new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12, RequireNumbers: true, AllowUsersToChangePassword: true, MaxPasswordAge: 90 }),
    );
    const pol = (await sim.iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy!;
    expect(pol).toMatchObject({ MinimumPasswordLength: 12, RequireNumbers: true, RequireSymbols: false, ExpirePasswords: true, MaxPasswordAge: 90 });
    await expectAwsError(sim.iam.send(new CreateLoginProfileCommand({ UserName: "pat", Password: "short1" })), {
      name: "PasswordPolicyViolationException",
      status: 400,
    });
    const lp = (await sim.iam.send(new CreateLoginProfileCommand({ UserName: "pat", Password: "a-long-password-1", PasswordResetRequired: true })))
      .LoginProfile!;
    expect(lp).toMatchObject({ UserName: "pat", PasswordResetRequired: true });
    await expectAwsError(sim.iam.send(new CreateLoginProfileCommand({ UserName: "pat", Password: "a-long-password-1" })), {
      name: "EntityAlreadyExistsException",
      status: 409,
    });
    const key = (await sim.iam.send(new CreateAccessKeyCommand({ UserName: "pat" }))).AccessKey!;
    const asPat = new IAMClient(clientConfig(sim.server, { credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } }));
    await asPat.send(new ChangePasswordCommand({ OldPassword: "a-long-password-1", NewPassword: "another-password-2" }));
    expect((await sim.iam.send(new GetLoginProfileCommand({ UserName: "pat" }))).LoginProfile!.PasswordResetRequired).toBe(false);
    await expectAwsError(sim.iam.send(new ChangePasswordCommand({ OldPassword: "a", NewPassword: "b" })), { name: "InvalidUserTypeException", status: 400 });
    await expectAwsError(sim.iam.send(new DeleteUserCommand({ UserName: "pat" })), {
      name: "DeleteConflictException",
      status: 409,
      message: "Cannot delete entity, must delete login profile first.",
    });
    await sim.iam.send(new DeleteLoginProfileCommand({ UserName: "pat" }));
    await expectAwsError(sim.iam.send(new GetLoginProfileCommand({ UserName: "pat" })), {
      name: "NoSuchEntityException",
      status: 404,
      message: "Login Profile for User pat cannot be found.",
    });
  });

  it("virtual MFA: two consecutive TOTP codes enable it; GetSessionToken checks the code", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "mfa-user" }));
    const dev = (await sim.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "phone", Tags: [{ Key: "k", Value: "v" }] }))).VirtualMFADevice!;
    expect(dev.SerialNumber).toBe("arn:aws:iam::000000000000:mfa/phone");
    const seed = Buffer.from(dev.Base32StringSeed!).toString();
    expect(seed).toMatch(/^[A-Z2-7]{64}$/);
    await expectAwsError(
      sim.iam.send(
        new EnableMFADeviceCommand({ UserName: "mfa-user", SerialNumber: dev.SerialNumber!, AuthenticationCode1: "000000", AuthenticationCode2: "000000" }),
      ),
      { name: "InvalidAuthenticationCodeException", status: 403, message: "Authentication code for device is not valid." },
    );
    const t = Math.floor(Date.now() / 30_000);
    await sim.iam.send(
      new EnableMFADeviceCommand({
        UserName: "mfa-user",
        SerialNumber: dev.SerialNumber!,
        AuthenticationCode1: totp(seed, t - 1),
        AuthenticationCode2: totp(seed, t),
      }),
    );
    expect((await sim.iam.send(new ListMFADevicesCommand({ UserName: "mfa-user" }))).MFADevices!.map((d) => d.SerialNumber)).toEqual([dev.SerialNumber]);
    const assigned = (await sim.iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: "Assigned" }))).VirtualMFADevices!;
    expect(assigned[0]!.User!.UserName).toBe("mfa-user");
    expect((await sim.iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: "Unassigned" }))).VirtualMFADevices).toEqual([]);
    const key = (await sim.iam.send(new CreateAccessKeyCommand({ UserName: "mfa-user" }))).AccessKey!;
    const sts = new STSClient(clientConfig(sim.server, { credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } }));
    await expectAwsError(
      sts.send(new GetSessionTokenCommand({ SerialNumber: dev.SerialNumber, TokenCode: "123456" === totp(seed, t) ? "654321" : "123456" })),
      {
        name: "AccessDenied",
        status: 403,
      },
    );
    const ok = await sts.send(new GetSessionTokenCommand({ SerialNumber: dev.SerialNumber, TokenCode: totp(seed, Math.floor(Date.now() / 30_000)) }));
    expect(ok.Credentials!.AccessKeyId).toMatch(/^ASIA/);
    await expectAwsError(sim.iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: dev.SerialNumber })), { name: "DeleteConflictException", status: 409 });
    await sim.iam.send(new DeactivateMFADeviceCommand({ UserName: "mfa-user", SerialNumber: dev.SerialNumber }));
    await sim.iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: dev.SerialNumber }));
    expect((await sim.iam.send(new ListVirtualMFADevicesCommand({}))).VirtualMFADevices).toEqual([]);
  });

  it("SSH public keys: MD5 fingerprint, PEM encoding, status, errors", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "git" }));
    const k = (await sim.iam.send(new UploadSSHPublicKeyCommand({ UserName: "git", SSHPublicKeyBody: SSH_KEY }))).SSHPublicKey!;
    expect(k.SSHPublicKeyId).toMatch(/^APKA[A-Z2-7]+$/);
    expect(k.Fingerprint).toBe(SSH_MD5);
    await expectAwsError(sim.iam.send(new UploadSSHPublicKeyCommand({ UserName: "git", SSHPublicKeyBody: SSH_KEY })), {
      name: "DuplicateSSHPublicKeyException",
      status: 400,
    });
    await expectAwsError(sim.iam.send(new UploadSSHPublicKeyCommand({ UserName: "git", SSHPublicKeyBody: "garbage key" })), {
      name: "UnrecognizedPublicKeyEncodingException",
      status: 400,
    });
    const pem = (await sim.iam.send(new GetSSHPublicKeyCommand({ UserName: "git", SSHPublicKeyId: k.SSHPublicKeyId, Encoding: "PEM" }))).SSHPublicKey!;
    expect(pem.SSHPublicKeyBody).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    await sim.iam.send(new UpdateSSHPublicKeyCommand({ UserName: "git", SSHPublicKeyId: k.SSHPublicKeyId, Status: "Inactive" }));
    expect((await sim.iam.send(new ListSSHPublicKeysCommand({ UserName: "git" }))).SSHPublicKeys![0]!.Status).toBe("Inactive");
  });

  it("service-specific credentials: user name, password, reset, 2 per service", async () => {
    const c = (await sim.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "git", ServiceName: "codecommit.amazonaws.com" })))
      .ServiceSpecificCredential!;
    expect(c.ServiceUserName).toBe("git-at-000000000000");
    expect(c.ServicePassword).toBeTruthy();
    expect(c.ServiceSpecificCredentialId).toMatch(/^ACCA/);
    const reset = (
      await sim.iam.send(new ResetServiceSpecificCredentialCommand({ UserName: "git", ServiceSpecificCredentialId: c.ServiceSpecificCredentialId }))
    ).ServiceSpecificCredential!;
    expect(reset.ServicePassword).not.toBe(c.ServicePassword);
    await sim.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "git", ServiceName: "codecommit.amazonaws.com" }));
    await expectAwsError(sim.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "git", ServiceName: "codecommit.amazonaws.com" })), {
      name: "LimitExceededException",
      status: 409,
    });
    await expectAwsError(sim.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "git", ServiceName: "nope.amazonaws.com" })), {
      name: "ServiceNotSupportedException",
      status: 404,
    });
    const list = (await sim.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: "git" }))).ServiceSpecificCredentials!;
    expect(list).toHaveLength(2);
    expect(list[0]).not.toHaveProperty("ServicePassword");
  });

  it("signing and server certificates: parsed, key pair checked, listed", async () => {
    const sc = (await sim.iam.send(new UploadSigningCertificateCommand({ UserName: "git", CertificateBody: CERT }))).Certificate!;
    expect(sc).toMatchObject({ UserName: "git", Status: "Active" });
    expect(sc.CertificateId).toMatch(/^[0-9A-F]{32}$/);
    expect((await sim.iam.send(new ListSigningCertificatesCommand({ UserName: "git" }))).Certificates!.map((c) => c.CertificateId)).toEqual([sc.CertificateId]);
    await expectAwsError(
      sim.iam.send(new UploadSigningCertificateCommand({ UserName: "git", CertificateBody: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----" })),
      {
        name: "MalformedCertificateException",
        status: 400,
      },
    );
    await expectAwsError(sim.iam.send(new UploadServerCertificateCommand({ ServerCertificateName: "web", CertificateBody: CERT, PrivateKey: OTHER_KEY })), {
      name: "KeyPairMismatchException",
      status: 400,
    });
    const meta = (
      await sim.iam.send(new UploadServerCertificateCommand({ ServerCertificateName: "web", Path: "/cf/", CertificateBody: CERT, PrivateKey: KEY }))
    ).ServerCertificateMetadata!;
    expect(meta.Arn).toBe("arn:aws:iam::000000000000:server-certificate/cf/web");
    expect(meta.ServerCertificateId).toMatch(/^ASCA/);
    expect(meta.Expiration!.getUTCFullYear()).toBeGreaterThan(2100);
    expect((await sim.iam.send(new GetServerCertificateCommand({ ServerCertificateName: "web" }))).ServerCertificate!.CertificateBody).toBe(CERT);
    expect(
      (await sim.iam.send(new ListServerCertificatesCommand({ PathPrefix: "/cf/" }))).ServerCertificateMetadataList!.map((m) => m.ServerCertificateName),
    ).toEqual(["web"]);
  });

  it("account alias, summary and the credential report", async () => {
    await sim.iam.send(new CreateAccountAliasCommand({ AccountAlias: "my-team" }));
    expect((await sim.iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(["my-team"]);
    const other = new IAMClient(clientConfig(sim.server, { credentials: { accessKeyId: "111111111111", secretAccessKey: "x" } }));
    await expectAwsError(other.send(new CreateAccountAliasCommand({ AccountAlias: "my-team" })), { name: "EntityAlreadyExistsException", status: 409 });
    const sum = (await sim.iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    expect(sum.Users).toBe(3);
    expect(sum.AccessKeysPerUserQuota).toBe(2);
    await expectAwsError(sim.iam.send(new GetCredentialReportCommand({})), { name: "CredentialReportNotPresentException", status: 410 });
    expect((await sim.iam.send(new GenerateCredentialReportCommand({}))).State).toBe("STARTED");
    expect((await sim.iam.send(new GenerateCredentialReportCommand({}))).State).toBe("COMPLETE");
    const r = await sim.iam.send(new GetCredentialReportCommand({}));
    expect(r.ReportFormat).toBe("text/csv");
    const lines = Buffer.from(r.Content!).toString().split("\n");
    expect(lines[0]).toMatch(/^user,arn,user_creation_time,password_enabled,/);
    expect(lines[1]).toMatch(/^<root_account>,arn:aws:iam::000000000000:root,/);
    const mfaRow = lines.find((l) => l.startsWith("mfa-user,"))!.split(",");
    expect(mfaRow[7]).toBe("false");
    expect(mfaRow[8]).toBe("true");
  });
});

// Fixtures generated once with openssl / ssh-keygen (self-signed, valid 100 years; CERT and KEY: test/iam-cert-fixture.ts).
const OTHER_KEY = `-----BEGIN PRIVATE KEY-----
MIIEvwIBADANBgkqhkiG9w0BAQEFAASCBKkwggSlAgEAAoIBAQDxR9GAp9AQXOfx
mscMFXehjAgcdgXZ8kmvXzYpZ47uP8W6Qd7ScF+BTFmvLWKC2EZqfayC8uIKh7Tq
L9o8yaSu9FOFje8aPQs6Y6Zx1TTnuJOs+rIzkbQJYVTdXHwJmSkIYV3M9mfjYCSd
o+U7d8ub3r+Y1yzxEYVIK1ULTmdASQpo3ey0mLKmmFR4vCl67Dq+NpI0VvHZlNIP
toEa2ZR2o6M91t5lzh+WtuFP7ksn2FxrD4FVpVvfKxm4MpjF6Rw/g2FplbzanxbD
tOARhAjqDxgjtUWXYspPlBpzXgzyzhbcmDm11pyDJ51ijfjmR1dEnBqRQF7pujcD
LPFKxUlnAgMBAAECggEADooyvdC0YR1i0inERPN7j2ijidOIQWdbDrkWHSNNzF2w
ygCeL4rwtmymGusJPLP7ylRjHku0rh3Exo1hAWNwC9BSwtbtdGSpVeNwwaYE13ya
qZnnPeRR4nQoa7k0YFUH0VF3bZqLuCVbD4TePi8sk0ALxmdxIIswakuc3F7lKffJ
ii/crLkr9rfHNaLJXVwEzhvOIeoi5eOfFolkrTUia1zC4swv7NienP26nwnloDfR
R5GxxzLUX/X5JVX8OaEtI9T7yYREOsNwajARsWRnHdAJNlIoSHIhyB+Ju0Cr9Qin
d/zAVrjLOWPjoBaVuO3AKW9a6QKFxO8iegzUG2SAgQKBgQD+0DeukeWZtCTpXQAz
z5L66+a6naCDeZh0ZgMzh///Dwmb4vLKqgb6TydZDUMJdbPwCRsfthvuB2Gre+iz
waPFq2hSnqUS0Hf7agG770Vu+otWkGkKff/i/jbKMaUs6+7flpi9VI8rynAbFLMl
bSwNBWxZ/KcmmlXSUZIJGQwW6QKBgQDyZ3elNND1AAlrRqVhWWlbg3Ms9GIccIDL
+mSeNx5nkMtoAp8alK1Wssu2Gp6CNPy+ArDhTldqNHVZy/0Llqz1dFXag7hJTZaQ
36HG3pu84b2550KkMyiBtH+Xdybc5Cy1lveDajG1B/FDeOzx7WL0Y90EqYH2qPWh
dlxHmLTLzwKBgQDuRgA7gnxDzVtSyL9es3TKpHr9+FXXe4XfGmFV94+fjw06Mu88
KeAagpfVwvvzxZe8FpfBgIX/f/GJ7HU+Wg1t0wnbcDQGMuBvPcJfXa/8xdYz3RgM
UqRMO9E6I1BEgF6/v1AWgxLaLRPFjwayMbMmffLC9unKxDkKUXKQhVZzuQKBgQCf
vqntWIof+x857/uK1PaGlXDwfjitz0JBqkhmr6I81AIIEDoztSkqSnfPEWnGGw84
VOOmBw+6cMmpHLIs0eY3d6wgbc+jlxsTbBzbxtXROt7iRVH4jbIzD/VJpv8YcNI5
9Tw2AWSyjYJkWauknzEoJyt/KAn6uEvvVOXpVOxIpwKBgQC6OaaIAcF0oUt5lrWJ
cWDk7uCn38wGwmYY4uqlI5e8Dc2GuQ6ftyxF+V8QVhr+4vxzP5fGtK55Y/O5lcRs
5u2FIsdN3gWmEI3tbuBz1mpSgzktbI/ONgsdeLd+Yf+bYSpdDk73IEsse5VngPoG
F2LY3EKyyibtO0+4BZ40AG+5ww==
-----END PRIVATE KEY-----`;
const SSH_KEY =
  "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC1fEHwNMs0G//EgFBZu4OQBG9ptoAlByEk9HEig4DRC0mpGmb3MThhvfNDOHFeGnW2OgRrI0KGFcSX94cMGKX25fuYauS9XaecomsIPyCS08JDjCqfIZFuCBH5hGdhyUBkPSQ8+Y5M3q6PmP+5htX6WQJ0/Xg+Xn7HJxdcjA6QMAhL70cjnULEaIrc5FHFbdm8LaUeV/L9uigeWkrE4c1gpaZLcW6jMjc7fYsxWyCgRxfe38PTt1KfjfBd0K3WQxnkIKT9xN8Ki32V2nPshsEORwGUo/64Q744p6ji7dIyFVe44PulhPho+zl/zNfl6Pc6/PUD6sGW0ecWroaPKuB7 test@awsim";
const SSH_MD5 = "6a:ee:91:13:7b:6c:ef:2f:74:61:c6:e4:b7:6e:b5:19";
