/**
 * IAM operations no other test got a successful answer from: permissions boundary removal, MFA device lookup,
 * resync and untagging, SAML / OIDC provider updates and tags, server certificate tags and renames,
 * service-specific credential and signing certificate status, and the AWS Organizations operations (awsim's
 * accounts belong to no organization).
 */
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  CreateSAMLProviderCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeleteUserPermissionsBoundaryCommand,
  DisableOrganizationsRootCredentialsManagementCommand,
  DisableOrganizationsRootSessionsCommand,
  EnableMFADeviceCommand,
  EnableOrganizationsRootCredentialsManagementCommand,
  EnableOrganizationsRootSessionsCommand,
  GenerateOrganizationsAccessReportCommand,
  GetMFADeviceCommand,
  GetOpenIDConnectProviderCommand,
  GetOrganizationsAccessReportCommand,
  GetSAMLProviderCommand,
  GetServerCertificateCommand,
  GetUserCommand,
  IAMClient,
  ListMFADeviceTagsCommand,
  ListOpenIDConnectProviderTagsCommand,
  ListOrganizationsFeaturesCommand,
  ListSAMLProviderTagsCommand,
  ListServerCertificatesCommand,
  ListServerCertificateTagsCommand,
  ListServiceSpecificCredentialsCommand,
  ListSigningCertificatesCommand,
  PutUserPermissionsBoundaryCommand,
  RemoveClientIDFromOpenIDConnectProviderCommand,
  ResyncMFADeviceCommand,
  TagSAMLProviderCommand,
  TagServerCertificateCommand,
  UntagMFADeviceCommand,
  UntagOpenIDConnectProviderCommand,
  UntagSAMLProviderCommand,
  UntagServerCertificateCommand,
  UpdateOpenIDConnectProviderThumbprintCommand,
  UpdateSAMLProviderCommand,
  UpdateServerCertificateCommand,
  UpdateServiceSpecificCredentialCommand,
  UpdateSigningCertificateCommand,
  UploadServerCertificateCommand,
  UploadSigningCertificateCommand,
} from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { expectAwsError, totp, useServer } from "../helpers.js";
import { CERT, KEY } from "../iam-cert-fixture.js";

const ACCOUNT = "000000000000";
const METADATA = (host: string) =>
  `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://${host}/">
<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://${host}/sso"/>
</md:IDPSSODescriptor></md:EntityDescriptor>${"<!-- padding -->".repeat(60)}`;

describe("IAM operations without other coverage", () => {
  const sim = useServer({ reset: "iam" }, (cfg) => ({ iam: new IAMClient(cfg) }));

  it("DeleteUserPermissionsBoundary removes the boundary GetUser showed; unknown users and users without one are NoSuchEntity", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "bounded" }));
    const boundary = "arn:aws:iam::aws:policy/PowerUserAccess";
    await sim.iam.send(new PutUserPermissionsBoundaryCommand({ UserName: "bounded", PermissionsBoundary: boundary }));
    expect((await sim.iam.send(new GetUserCommand({ UserName: "bounded" }))).User!.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: "Policy",
      PermissionsBoundaryArn: boundary,
    });
    const out = await sim.iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: "bounded" }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect((await sim.iam.send(new GetUserCommand({ UserName: "bounded" }))).User!.PermissionsBoundary).toBeUndefined();
    await expectAwsError(sim.iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: "bounded" })), { name: "NoSuchEntityException", status: 404 });
    await expectAwsError(sim.iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: "nobody" })), {
      name: "NoSuchEntityException",
      status: 404,
      message: "The user with name nobody cannot be found.",
    });
  });

  it("GetMFADevice and ResyncMFADevice on an enabled virtual device; UntagMFADevice", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "mfa-owner" }));
    const dev = (
      await sim.iam.send(
        new CreateVirtualMFADeviceCommand({
          VirtualMFADeviceName: "token",
          Tags: [
            { Key: "team", Value: "a" },
            { Key: "env", Value: "dev" },
          ],
        }),
      )
    ).VirtualMFADevice!;
    const serial = dev.SerialNumber!;
    const seed = Buffer.from(dev.Base32StringSeed!).toString();
    // Not yet enabled: no user has it.
    await expectAwsError(sim.iam.send(new GetMFADeviceCommand({ SerialNumber: serial })), { name: "NoSuchEntityException", status: 404 });
    const t = Math.floor(Date.now() / 30_000);
    await sim.iam.send(
      new EnableMFADeviceCommand({ UserName: "mfa-owner", SerialNumber: serial, AuthenticationCode1: totp(seed, t - 1), AuthenticationCode2: totp(seed, t) }),
    );
    const got = await sim.iam.send(new GetMFADeviceCommand({ SerialNumber: serial, UserName: "mfa-owner" }));
    expect(got.SerialNumber).toBe(serial);
    expect(got.UserName).toBe("mfa-owner");
    expect(got.EnableDate).toBeInstanceOf(Date);
    expect(Math.abs(got.EnableDate!.getTime() - Date.now())).toBeLessThan(60_000);
    // Without UserName the device is still found.
    expect((await sim.iam.send(new GetMFADeviceCommand({ SerialNumber: serial }))).UserName).toBe("mfa-owner");
    const missing = `arn:aws:iam::${ACCOUNT}:mfa/none`;
    await expectAwsError(sim.iam.send(new GetMFADeviceCommand({ SerialNumber: missing })), {
      name: "NoSuchEntityException",
      status: 404,
      message: `MFA Device with serial number ${missing} cannot be found.`,
    });

    // Resync: two consecutive codes succeed, wrong ones are InvalidAuthenticationCode (403).
    const r = await sim.iam.send(
      new ResyncMFADeviceCommand({ UserName: "mfa-owner", SerialNumber: serial, AuthenticationCode1: totp(seed, t), AuthenticationCode2: totp(seed, t + 1) }),
    );
    expect(r.$metadata.httpStatusCode).toBe(200);
    const wrong = totp(seed, t) === "123456" ? "654321" : "123456";
    await expectAwsError(
      sim.iam.send(new ResyncMFADeviceCommand({ UserName: "mfa-owner", SerialNumber: serial, AuthenticationCode1: wrong, AuthenticationCode2: wrong })),
      { name: "InvalidAuthenticationCodeException", status: 403, message: "Authentication code for device is not valid." },
    );
    await expectAwsError(
      sim.iam.send(
        new ResyncMFADeviceCommand({ UserName: "ghost", SerialNumber: serial, AuthenticationCode1: totp(seed, t), AuthenticationCode2: totp(seed, t + 1) }),
      ),
      { name: "NoSuchEntityException", status: 404, message: "The user with name ghost cannot be found." },
    );
    await expectAwsError(
      sim.iam.send(new ResyncMFADeviceCommand({ UserName: "mfa-owner", SerialNumber: missing, AuthenticationCode1: "111111", AuthenticationCode2: "222222" })),
      { name: "NoSuchEntityException", status: 404 },
    );

    // UntagMFADevice: keys compare case-insensitively; an unknown key is no error.
    await sim.iam.send(new UntagMFADeviceCommand({ SerialNumber: serial, TagKeys: ["TEAM", "absent"] }));
    expect((await sim.iam.send(new ListMFADeviceTagsCommand({ SerialNumber: serial }))).Tags).toEqual([{ Key: "env", Value: "dev" }]);
    await expectAwsError(sim.iam.send(new UntagMFADeviceCommand({ SerialNumber: missing, TagKeys: ["env"] })), { name: "NoSuchEntityException", status: 404 });
  });

  it("SAML providers: TagSAMLProvider, UntagSAMLProvider, UpdateSAMLProvider", async () => {
    const arn = (await sim.iam.send(new CreateSAMLProviderCommand({ Name: "corp", SAMLMetadataDocument: METADATA("idp.one.example.com") }))).SAMLProviderArn!;
    expect(arn).toBe(`arn:aws:iam::${ACCOUNT}:saml-provider/corp`);
    await sim.iam.send(
      new TagSAMLProviderCommand({
        SAMLProviderArn: arn,
        Tags: [
          { Key: "owner", Value: "sec" },
          { Key: "tier", Value: "1" },
        ],
      }),
    );
    // Tagging a key again replaces its value.
    await sim.iam.send(new TagSAMLProviderCommand({ SAMLProviderArn: arn, Tags: [{ Key: "Tier", Value: "2" }] }));
    expect((await sim.iam.send(new ListSAMLProviderTagsCommand({ SAMLProviderArn: arn }))).Tags).toEqual([
      { Key: "owner", Value: "sec" },
      { Key: "Tier", Value: "2" },
    ]);
    await expectAwsError(
      sim.iam.send(
        new TagSAMLProviderCommand({
          SAMLProviderArn: arn,
          Tags: [
            { Key: "dup", Value: "1" },
            { Key: "DUP", Value: "2" },
          ],
        }),
      ),
      { name: "InvalidInputException", status: 400, message: "Duplicate tag keys found. Please note that Tag keys are case insensitive." },
    );
    await sim.iam.send(new UntagSAMLProviderCommand({ SAMLProviderArn: arn, TagKeys: ["owner"] }));
    expect((await sim.iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arn }))).Tags).toEqual([{ Key: "Tier", Value: "2" }]);

    const updated = await sim.iam.send(
      new UpdateSAMLProviderCommand({ SAMLProviderArn: arn, SAMLMetadataDocument: METADATA("idp.two.example.com"), AssertionEncryptionMode: "Required" }),
    );
    expect(updated.SAMLProviderArn).toBe(arn);
    const got = await sim.iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arn }));
    expect(got.SAMLMetadataDocument).toContain("idp.two.example.com");
    expect(got.AssertionEncryptionMode).toBe("Required");

    const missing = `arn:aws:iam::${ACCOUNT}:saml-provider/none`;
    for (const p of [
      sim.iam.send(new TagSAMLProviderCommand({ SAMLProviderArn: missing, Tags: [{ Key: "a", Value: "b" }] })),
      sim.iam.send(new UntagSAMLProviderCommand({ SAMLProviderArn: missing, TagKeys: ["a"] })),
      sim.iam.send(new UpdateSAMLProviderCommand({ SAMLProviderArn: missing, AssertionEncryptionMode: "Allowed" })),
    ])
      await expectAwsError(p, { name: "NoSuchEntityException", status: 404 });
  });

  it("OIDC providers: RemoveClientIDFromOpenIDConnectProvider, UpdateOpenIDConnectProviderThumbprint, UntagOpenIDConnectProvider", async () => {
    const arn = (
      await sim.iam.send(
        new CreateOpenIDConnectProviderCommand({
          Url: "https://oidc.example.com",
          ClientIDList: ["app-1", "app-2"],
          ThumbprintList: ["a".repeat(40)],
          Tags: [
            { Key: "k1", Value: "v1" },
            { Key: "k2", Value: "v2" },
          ],
        }),
      )
    ).OpenIDConnectProviderArn!;
    expect(arn).toBe(`arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.com`);
    await sim.iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: "app-3" }));
    await sim.iam.send(new RemoveClientIDFromOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: "app-1" }));
    // "This operation is idempotent; it does not fail or return an error if you try to remove a client ID that does not exist." (API reference)
    await sim.iam.send(new RemoveClientIDFromOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: "not-there" }));
    await sim.iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: arn, ThumbprintList: ["b".repeat(40), "c".repeat(40)] }));
    await sim.iam.send(new UntagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, TagKeys: ["k1"] }));
    const got = await sim.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    expect(got.ClientIDList).toEqual(["app-2", "app-3"]);
    expect(got.ThumbprintList).toEqual(["b".repeat(40), "c".repeat(40)]);
    expect(got.Tags).toEqual([{ Key: "k2", Value: "v2" }]);
    expect((await sim.iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: arn }))).Tags).toEqual([{ Key: "k2", Value: "v2" }]);

    // A thumbprint is exactly 40 characters (the model's constraint).
    await expectAwsError(sim.iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: arn, ThumbprintList: ["short"] })), {
      name: "ValidationError",
      status: 400,
    });
    const missing = `arn:aws:iam::${ACCOUNT}:oidc-provider/none.example.com`;
    for (const p of [
      sim.iam.send(new RemoveClientIDFromOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: missing, ClientID: "app-2" })),
      sim.iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: missing, ThumbprintList: ["d".repeat(40)] })),
      sim.iam.send(new UntagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: missing, TagKeys: ["k2"] })),
    ])
      await expectAwsError(p, { name: "NoSuchEntityException", status: 404 });
  });

  it("server certificates: TagServerCertificate, UntagServerCertificate, UpdateServerCertificate (rename and path move)", async () => {
    const up = await sim.iam.send(new UploadServerCertificateCommand({ ServerCertificateName: "web", Path: "/cf/", CertificateBody: CERT, PrivateKey: KEY }));
    const id = up.ServerCertificateMetadata!.ServerCertificateId;
    await sim.iam.send(
      new TagServerCertificateCommand({
        ServerCertificateName: "web",
        Tags: [
          { Key: "app", Value: "shop" },
          { Key: "stage", Value: "prod" },
        ],
      }),
    );
    await sim.iam.send(new UntagServerCertificateCommand({ ServerCertificateName: "web", TagKeys: ["stage"] }));
    expect((await sim.iam.send(new ListServerCertificateTagsCommand({ ServerCertificateName: "web" }))).Tags).toEqual([{ Key: "app", Value: "shop" }]);

    await sim.iam.send(new UploadServerCertificateCommand({ ServerCertificateName: "other", CertificateBody: CERT, PrivateKey: KEY }));
    await expectAwsError(sim.iam.send(new UpdateServerCertificateCommand({ ServerCertificateName: "web", NewServerCertificateName: "other" })), {
      name: "EntityAlreadyExistsException",
      status: 409,
    });
    await sim.iam.send(new UpdateServerCertificateCommand({ ServerCertificateName: "web", NewServerCertificateName: "web-2026", NewPath: "/elb/" }));
    await expectAwsError(sim.iam.send(new GetServerCertificateCommand({ ServerCertificateName: "web" })), { name: "NoSuchEntityException", status: 404 });
    const got = (await sim.iam.send(new GetServerCertificateCommand({ ServerCertificateName: "web-2026" }))).ServerCertificate!;
    expect(got.ServerCertificateMetadata).toMatchObject({
      ServerCertificateName: "web-2026",
      Path: "/elb/",
      Arn: `arn:aws:iam::${ACCOUNT}:server-certificate/elb/web-2026`,
      ServerCertificateId: id,
    });
    // The tags go with the certificate.
    expect(got.Tags).toEqual([{ Key: "app", Value: "shop" }]);
    const listed = (await sim.iam.send(new ListServerCertificatesCommand({ PathPrefix: "/elb/" }))).ServerCertificateMetadataList!;
    expect(listed.map((c) => c.ServerCertificateName)).toEqual(["web-2026"]);
    // A path move alone keeps the name.
    await sim.iam.send(new UpdateServerCertificateCommand({ ServerCertificateName: "web-2026", NewPath: "/" }));
    expect((await sim.iam.send(new GetServerCertificateCommand({ ServerCertificateName: "web-2026" }))).ServerCertificate!.ServerCertificateMetadata!.Arn).toBe(
      `arn:aws:iam::${ACCOUNT}:server-certificate/web-2026`,
    );

    for (const p of [
      sim.iam.send(new TagServerCertificateCommand({ ServerCertificateName: "none", Tags: [{ Key: "a", Value: "b" }] })),
      sim.iam.send(new UntagServerCertificateCommand({ ServerCertificateName: "none", TagKeys: ["a"] })),
      sim.iam.send(new UpdateServerCertificateCommand({ ServerCertificateName: "none", NewPath: "/x/" })),
    ])
      await expectAwsError(p, { name: "NoSuchEntityException", status: 404 });
  });

  it("UpdateServiceSpecificCredential and UpdateSigningCertificate change the Status the List operations show", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "dev" }));
    const cred = (await sim.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "dev", ServiceName: "codecommit.amazonaws.com" })))
      .ServiceSpecificCredential!;
    expect(cred.Status).toBe("Active");
    await sim.iam.send(
      new UpdateServiceSpecificCredentialCommand({ UserName: "dev", ServiceSpecificCredentialId: cred.ServiceSpecificCredentialId!, Status: "Inactive" }),
    );
    expect((await sim.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: "dev" }))).ServiceSpecificCredentials!.map((c) => c.Status)).toEqual([
      "Inactive",
    ]);
    await expectAwsError(
      sim.iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: "dev", ServiceSpecificCredentialId: "ACCA" + "A".repeat(16), Status: "Active" })),
      { name: "NoSuchEntityException", status: 404 },
    );
    await expectAwsError(
      sim.iam.send(
        new UpdateServiceSpecificCredentialCommand({ UserName: "ghost", ServiceSpecificCredentialId: cred.ServiceSpecificCredentialId!, Status: "Active" }),
      ),
      { name: "NoSuchEntityException", status: 404, message: "The user with name ghost cannot be found." },
    );
    // Status is an enum of the model.
    await expectAwsError(
      sim.iam.send(
        new UpdateServiceSpecificCredentialCommand({
          UserName: "dev",
          ServiceSpecificCredentialId: cred.ServiceSpecificCredentialId!,
          Status: "Paused" as "Active",
        }),
      ),
      { name: "ValidationError", status: 400 },
    );

    const cert = (await sim.iam.send(new UploadSigningCertificateCommand({ UserName: "dev", CertificateBody: CERT }))).Certificate!;
    expect(cert.Status).toBe("Active");
    await sim.iam.send(new UpdateSigningCertificateCommand({ UserName: "dev", CertificateId: cert.CertificateId!, Status: "Inactive" }));
    expect((await sim.iam.send(new ListSigningCertificatesCommand({ UserName: "dev" }))).Certificates!.map((c) => [c.CertificateId, c.Status])).toEqual([
      [cert.CertificateId, "Inactive"],
    ]);
    const bogus = "Z".repeat(32);
    await expectAwsError(sim.iam.send(new UpdateSigningCertificateCommand({ UserName: "dev", CertificateId: bogus, Status: "Active" })), {
      name: "NoSuchEntityException",
      status: 404,
      message: `The Certificate with id ${bogus} cannot be found.`,
    });
    await expectAwsError(sim.iam.send(new UpdateSigningCertificateCommand({ UserName: "ghost", CertificateId: cert.CertificateId!, Status: "Active" })), {
      name: "NoSuchEntityException",
      status: 404,
    });
  });

  it("Organizations operations: an account outside AWS Organizations", async () => {
    // ListOrganizationsFeatures and the centralized root access operations document OrganizationNotFound
    // (HTTP 400, "no organization is associated with your account") for such an account.
    for (const p of [
      sim.iam.send(new ListOrganizationsFeaturesCommand({})),
      sim.iam.send(new EnableOrganizationsRootCredentialsManagementCommand({})),
      sim.iam.send(new DisableOrganizationsRootCredentialsManagementCommand({})),
      sim.iam.send(new EnableOrganizationsRootSessionsCommand({})),
      sim.iam.send(new DisableOrganizationsRootSessionsCommand({})),
    ])
      await expectAwsError(p, {
        name: "OrganizationNotFoundException",
        status: 400,
        message: "The request was rejected because no organization is associated with your account.",
      });
    // GenerateOrganizationsAccessReport documents only ReportGenerationLimitExceeded; what AWS answers outside an
    // organization is not documented: this is awsim's answer (the other operations' OrganizationNotFound).
    await expectAwsError(sim.iam.send(new GenerateOrganizationsAccessReportCommand({ EntityPath: `o-a1b2c3d4e5/r-f6g7/${ACCOUNT}` })), {
      name: "OrganizationNotFoundException",
      status: 400,
    });
    // No report can exist: an unknown job id is NoSuchEntity (the operation's only documented error).
    const jobId = "a8d3a8b2-0e5c-4b38-9a6c-2f1f0d5e4c3b";
    await expectAwsError(sim.iam.send(new GetOrganizationsAccessReportCommand({ JobId: jobId })), { name: "NoSuchEntityException", status: 404 });
  });
});
