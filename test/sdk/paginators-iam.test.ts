import {
  AddRoleToInstanceProfileCommand,
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateAccountAliasCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  ListRolesCommand,
  ListServiceSpecificCredentialsCommand,
  type ListServiceSpecificCredentialsCommandInput,
  ListUsersCommand,
  paginateGetAccountAuthorizationDetails,
  paginateGetGroup,
  paginateListAccessKeys,
  paginateListAccountAliases,
  paginateListAttachedGroupPolicies,
  paginateListAttachedRolePolicies,
  paginateListAttachedUserPolicies,
  paginateListEntitiesForPolicy,
  paginateListGroupPolicies,
  paginateListGroups,
  paginateListGroupsForUser,
  paginateListInstanceProfiles,
  paginateListInstanceProfilesForRole,
  paginateListInstanceProfileTags,
  paginateListMFADevices,
  paginateListMFADeviceTags,
  paginateListOpenIDConnectProviderTags,
  paginateListPolicies,
  paginateListPolicyTags,
  paginateListPolicyVersions,
  paginateListRolePolicies,
  paginateListRoles,
  paginateListRoleTags,
  paginateListSAMLProviderTags,
  paginateListServerCertificates,
  paginateListServerCertificateTags,
  paginateListSigningCertificates,
  paginateListSSHPublicKeys,
  paginateListUserPolicies,
  paginateListUsers,
  paginateListUserTags,
  paginateListVirtualMFADevices,
  paginateSimulateCustomPolicy,
  paginateSimulatePrincipalPolicy,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  type Tag,
  UploadServerCertificateCommand,
  UploadSigningCertificateCommand,
  UploadSSHPublicKeyCommand,
} from "@aws-sdk/client-iam";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { expectAwsError, sshRsaKey, useServer, totp } from "../helpers.js";
import { expectWalk, names, pagesOf } from "./paginators-helpers.js";
import { CERT, KEY } from "../iam-cert-fixture.js";

const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));
const client = () => sim.iam;
const cfg = (pageSize = 2) => ({ client: client(), pageSize });

const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const DOC = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] });
const TAGS: Tag[] = names("k").map((k, i) => ({ Key: k, Value: `v${i}` }));
const tagKey = (t: Tag) => t.Key!;
const tagKeys = TAGS.map(tagKey);
const users = names("pg-user");
const groups = names("pg-g");
const roles = names("pg-role");
const pols = names("pg-pol");
const profiles = names("pg-ip");
const inline = names("inline");
const certs = names("pg-cert");
const actions = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "ec2:RunInstances", "iam:ListRoles"];
const fixture = { account: "", polArns: [] as string[], mfaSerials: [] as string[], userMfa: [] as string[], keys: [] as string[], sshIds: [] as string[] };
let oidcArn = "";
let samlArn = "";

const sshKey = () => sshRsaKey("pg@awsim").body;

beforeAll(async () => {
  const iam = client();
  for (const u of users) await iam.send(new CreateUserCommand({ UserName: u, Path: "/pg/", Tags: u === users[0] ? TAGS : undefined }));
  await iam.send(new CreateGroupCommand({ GroupName: "pg-group" }));
  for (const u of users) await iam.send(new AddUserToGroupCommand({ GroupName: "pg-group", UserName: u }));
  for (const g of groups) {
    await iam.send(new CreateGroupCommand({ GroupName: g, Path: "/pg/" }));
    await iam.send(new AddUserToGroupCommand({ GroupName: g, UserName: users[0] }));
  }
  for (const r of roles)
    await iam.send(new CreateRoleCommand({ RoleName: r, Path: "/pg/", AssumeRolePolicyDocument: TRUST, Tags: r === roles[0] ? TAGS : undefined }));
  for (const p of pols) {
    const pol = await iam.send(new CreatePolicyCommand({ PolicyName: p, Path: "/pg/", PolicyDocument: DOC, Tags: p === pols[0] ? TAGS : undefined }));
    fixture.polArns.push(pol.Policy!.Arn!);
  }
  fixture.account = fixture.polArns[0]!.split(":")[4]!;
  for (const arn of fixture.polArns) {
    await iam.send(new AttachRolePolicyCommand({ RoleName: roles[0], PolicyArn: arn }));
    await iam.send(new AttachUserPolicyCommand({ UserName: users[0], PolicyArn: arn }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: groups[0], PolicyArn: arn }));
  }
  for (const r of roles.slice(1)) await iam.send(new AttachRolePolicyCommand({ RoleName: r, PolicyArn: fixture.polArns[0] }));
  for (let i = 0; i < 4; i++) await iam.send(new CreatePolicyVersionCommand({ PolicyArn: fixture.polArns[1], PolicyDocument: DOC, SetAsDefault: i === 3 }));
  for (const n of inline) {
    await iam.send(new PutRolePolicyCommand({ RoleName: roles[0], PolicyName: n, PolicyDocument: DOC }));
    await iam.send(new PutUserPolicyCommand({ UserName: users[0], PolicyName: n, PolicyDocument: DOC }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: groups[0], PolicyName: n, PolicyDocument: DOC }));
  }
  for (const p of profiles) {
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: p, Path: "/pg/", Tags: p === profiles[0] ? TAGS : undefined }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: p, RoleName: roles[1] }));
  }
  for (let i = 0; i < 2; i++) fixture.keys.push((await iam.send(new CreateAccessKeyCommand({ UserName: users[1] }))).AccessKey!.AccessKeyId!);
  await iam.send(new CreateAccountAliasCommand({ AccountAlias: "pg-alias" }));
  for (let i = 0; i < 5; i++) {
    const d = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `pg-mfa-${i}`, Tags: i === 0 ? TAGS : undefined }))).VirtualMFADevice!;
    fixture.mfaSerials.push(d.SerialNumber!);
    if (i < 2) {
      const seed = Buffer.from(d.Base32StringSeed!).toString();
      const t = Math.floor(Date.now() / 30_000);
      await iam.send(
        new EnableMFADeviceCommand({
          UserName: users[2],
          SerialNumber: d.SerialNumber,
          AuthenticationCode1: totp(seed, t - 1),
          AuthenticationCode2: totp(seed, t),
        }),
      );
      fixture.userMfa.push(d.SerialNumber!);
    }
  }
  for (const c of certs) {
    await iam.send(
      new UploadServerCertificateCommand({
        ServerCertificateName: c,
        Path: "/pg/",
        CertificateBody: CERT,
        PrivateKey: KEY,
        Tags: c === certs[0] ? TAGS : undefined,
      }),
    );
  }
  await iam.send(new UploadSigningCertificateCommand({ UserName: users[3], CertificateBody: CERT }));
  for (let i = 0; i < 5; i++)
    fixture.sshIds.push((await iam.send(new UploadSSHPublicKeyCommand({ UserName: users[4], SSHPublicKeyBody: sshKey() }))).SSHPublicKey!.SSHPublicKeyId!);
  oidcArn = (
    await iam.send(
      new CreateOpenIDConnectProviderCommand({ Url: "https://pg.example.com", ClientIDList: ["pg"], ThumbprintList: ["a".repeat(40)], Tags: TAGS }),
    )
  ).OpenIDConnectProviderArn!;
  samlArn = (await iam.send(new CreateSAMLProviderCommand({ Name: "pg-saml", SAMLMetadataDocument: SAML, Tags: TAGS }))).SAMLProviderArn!;
}, 60_000);

// One row per paginator: walk it at page size 2 (1 where IAM's own quota keeps the list at 1 or 2).
const rows: [string, () => Promise<unknown>][] = [
  [
    "ListUsers",
    () =>
      expectWalk({
        pages: paginateListUsers(cfg(), { PathPrefix: "/pg/" }),
        ...iamPage("Users"),
        key: (u: { UserName: string }) => u.UserName,
        pageSize: 2,
        expected: users,
      }),
  ],
  [
    "GetGroup",
    () =>
      expectWalk({
        pages: paginateGetGroup(cfg(), { GroupName: "pg-group" }),
        ...iamPage("Users"),
        key: (u: { UserName: string }) => u.UserName,
        pageSize: 2,
        expected: users,
      }),
  ],
  [
    "ListGroups",
    () =>
      expectWalk({
        pages: paginateListGroups(cfg(), { PathPrefix: "/pg/" }),
        ...iamPage("Groups"),
        key: (g: { GroupName: string }) => g.GroupName,
        pageSize: 2,
        expected: groups,
      }),
  ],
  [
    "ListGroupsForUser",
    () =>
      expectWalk({
        pages: paginateListGroupsForUser(cfg(), { UserName: users[0] }),
        ...iamPage("Groups"),
        key: (g: { GroupName: string }) => g.GroupName,
        pageSize: 2,
        expected: ["pg-group", ...groups],
      }),
  ],
  [
    "ListRoles",
    () =>
      expectWalk({
        pages: paginateListRoles(cfg(), { PathPrefix: "/pg/" }),
        ...iamPage("Roles"),
        key: (r: { RoleName: string }) => r.RoleName,
        pageSize: 2,
        expected: roles,
      }),
  ],
  [
    "ListPolicies",
    () =>
      expectWalk({
        pages: paginateListPolicies(cfg(), { Scope: "Local", PathPrefix: "/pg/" }),
        ...iamPage("Policies"),
        key: (p: { PolicyName: string }) => p.PolicyName,
        pageSize: 2,
        expected: pols,
      }),
  ],
  [
    "ListPolicyVersions",
    () =>
      expectWalk({
        pages: paginateListPolicyVersions(cfg(), { PolicyArn: fixture.polArns[1] }),
        ...iamPage("Versions"),
        key: (v: { VersionId: string }) => v.VersionId,
        pageSize: 2,
        expected: ["v1", "v2", "v3", "v4", "v5"],
      }),
  ],
  ...(["Role", "User", "Group"] as const).map((kind): [string, () => Promise<unknown>] => [
    `ListAttached${kind}Policies`,
    () => {
      const pages =
        kind === "Role"
          ? paginateListAttachedRolePolicies(cfg(), { RoleName: roles[0] })
          : kind === "User"
            ? paginateListAttachedUserPolicies(cfg(), { UserName: users[0] })
            : paginateListAttachedGroupPolicies(cfg(), { GroupName: groups[0] });
      return expectWalk({ pages, ...iamPage("AttachedPolicies"), key: (p: { PolicyArn: string }) => p.PolicyArn, pageSize: 2, expected: fixture.polArns });
    },
  ]),
  ...(["Role", "User", "Group"] as const).map((kind): [string, () => Promise<unknown>] => [
    `List${kind}Policies`,
    () => {
      const pages =
        kind === "Role"
          ? paginateListRolePolicies(cfg(), { RoleName: roles[0] })
          : kind === "User"
            ? paginateListUserPolicies(cfg(), { UserName: users[0] })
            : paginateListGroupPolicies(cfg(), { GroupName: groups[0] });
      return expectWalk({ pages, ...iamPage("PolicyNames"), key: (n: string) => n, pageSize: 2, expected: inline });
    },
  ]),
  [
    "ListEntitiesForPolicy",
    () =>
      expectWalk({
        pages: paginateListEntitiesForPolicy(cfg(), { PolicyArn: fixture.polArns[0] }),
        items: (p) => [...(p.PolicyGroups ?? []), ...(p.PolicyUsers ?? []), ...(p.PolicyRoles ?? [])],
        token: (p) => p.Marker,
        truncated: (p) => p.IsTruncated,
        key: (e: { GroupName?: string; UserName?: string; RoleName?: string }) => e.GroupName ?? e.UserName ?? e.RoleName ?? "",
        pageSize: 2,
        expected: [groups[0]!, users[0]!, ...roles],
      }),
  ],
  [
    "ListInstanceProfiles",
    () =>
      expectWalk({
        pages: paginateListInstanceProfiles(cfg(), { PathPrefix: "/pg/" }),
        ...iamPage("InstanceProfiles"),
        key: (p: { InstanceProfileName: string }) => p.InstanceProfileName,
        pageSize: 2,
        expected: profiles,
      }),
  ],
  [
    "ListInstanceProfilesForRole",
    () =>
      expectWalk({
        pages: paginateListInstanceProfilesForRole(cfg(), { RoleName: roles[1] }),
        ...iamPage("InstanceProfiles"),
        key: (p: { InstanceProfileName: string }) => p.InstanceProfileName,
        pageSize: 2,
        expected: profiles,
      }),
  ],
  [
    "ListAccessKeys (2 keys a user)",
    () =>
      expectWalk({
        pages: paginateListAccessKeys(cfg(1), { UserName: users[1] }),
        ...iamPage("AccessKeyMetadata"),
        key: (k: { AccessKeyId: string }) => k.AccessKeyId,
        pageSize: 1,
        expected: fixture.keys,
      }),
  ],
  [
    "ListAccountAliases (one alias an account)",
    () =>
      expectWalk({ pages: paginateListAccountAliases(cfg(1), {}), ...iamPage("AccountAliases"), key: (a: string) => a, pageSize: 1, expected: ["pg-alias"] }),
  ],
  [
    "ListMFADevices",
    () =>
      expectWalk({
        pages: paginateListMFADevices(cfg(1), { UserName: users[2] }),
        ...iamPage("MFADevices"),
        key: (d: { SerialNumber: string }) => d.SerialNumber,
        pageSize: 1,
        expected: fixture.userMfa,
      }),
  ],
  [
    "ListVirtualMFADevices",
    () =>
      expectWalk({
        pages: paginateListVirtualMFADevices(cfg(), { AssignmentStatus: "Any" }),
        ...iamPage("VirtualMFADevices"),
        key: (d: { SerialNumber: string }) => d.SerialNumber,
        pageSize: 2,
        expected: fixture.mfaSerials,
      }),
  ],
  [
    "ListServerCertificates",
    () =>
      expectWalk({
        pages: paginateListServerCertificates(cfg(), { PathPrefix: "/pg/" }),
        ...iamPage("ServerCertificateMetadataList"),
        key: (c: { ServerCertificateName: string }) => c.ServerCertificateName,
        pageSize: 2,
        expected: certs,
      }),
  ],
  [
    "ListSigningCertificates (one)",
    async () => {
      const { keys } = await expectWalk({
        pages: paginateListSigningCertificates(cfg(1), { UserName: users[3] }),
        ...iamPage("Certificates"),
        key: (c: { UserName: string }) => c.UserName,
        pageSize: 1,
        expected: [users[3]!],
      });
      return keys;
    },
  ],
  [
    "ListSSHPublicKeys",
    () =>
      expectWalk({
        pages: paginateListSSHPublicKeys(cfg(), { UserName: users[4] }),
        ...iamPage("SSHPublicKeys"),
        key: (k: { SSHPublicKeyId: string }) => k.SSHPublicKeyId,
        pageSize: 2,
        expected: fixture.sshIds,
      }),
  ],
  [
    "SimulateCustomPolicy",
    () =>
      expectWalk({
        pages: paginateSimulateCustomPolicy(cfg(), { PolicyInputList: [DOC], ActionNames: actions }),
        ...iamPage("EvaluationResults"),
        key: (r: { EvalActionName: string }) => r.EvalActionName,
        pageSize: 2,
        expected: actions,
        ordered: true,
      }),
  ],
  [
    "SimulatePrincipalPolicy",
    () =>
      expectWalk({
        pages: paginateSimulatePrincipalPolicy(cfg(), { PolicySourceArn: `arn:aws:iam::${fixture.account}:user/pg/${users[0]}`, ActionNames: actions }),
        ...iamPage("EvaluationResults"),
        key: (r: { EvalActionName: string }) => r.EvalActionName,
        pageSize: 2,
        expected: actions,
        ordered: true,
      }),
  ],
  ["ListUserTags", () => expectWalk({ pages: paginateListUserTags(cfg(), { UserName: users[0] }), ...tagPage })],
  ["ListRoleTags", () => expectWalk({ pages: paginateListRoleTags(cfg(), { RoleName: roles[0] }), ...tagPage })],
  ["ListPolicyTags", () => expectWalk({ pages: paginateListPolicyTags(cfg(), { PolicyArn: fixture.polArns[0] }), ...tagPage })],
  ["ListInstanceProfileTags", () => expectWalk({ pages: paginateListInstanceProfileTags(cfg(), { InstanceProfileName: profiles[0] }), ...tagPage })],
  ["ListMFADeviceTags", () => expectWalk({ pages: paginateListMFADeviceTags(cfg(), { SerialNumber: fixture.mfaSerials[0] }), ...tagPage })],
  [
    "ListOpenIDConnectProviderTags",
    () => expectWalk({ pages: paginateListOpenIDConnectProviderTags(cfg(), { OpenIDConnectProviderArn: oidcArn }), ...tagPage }),
  ],
  ["ListSAMLProviderTags", () => expectWalk({ pages: paginateListSAMLProviderTags(cfg(), { SAMLProviderArn: samlArn }), ...tagPage })],
  ["ListServerCertificateTags", () => expectWalk({ pages: paginateListServerCertificateTags(cfg(), { ServerCertificateName: certs[0] }), ...tagPage })],
  [
    "GetAccountAuthorizationDetails",
    () =>
      expectWalk({
        pages: paginateGetAccountAuthorizationDetails(cfg(), { Filter: ["Role"] }),
        items: (p) => [...(p.UserDetailList ?? []), ...(p.GroupDetailList ?? []), ...(p.RoleDetailList ?? []), ...(p.Policies ?? [])],
        token: (p) => p.Marker,
        truncated: (p) => p.IsTruncated,
        key: (r: { RoleName: string }) => r.RoleName,
        pageSize: 2,
        expected: roles,
      }),
  ],
];

/** The Marker / IsTruncated members every IAM page has, and its result key. */
function iamPage<K extends string>(resultKey: K) {
  return {
    items: (p: { [k in K]?: unknown[] }) => p[resultKey],
    token: (p: { Marker?: string }) => p.Marker,
    truncated: (p: { IsTruncated?: boolean }) => p.IsTruncated,
  };
}

const tagPage = { ...iamPage("Tags"), key: tagKey, pageSize: 2, expected: tagKeys, ordered: true };

describe("IAM paginators (page size 2 over 5 items; IsTruncated false and no Marker on the last page)", () => {
  it.each(rows)("%s", async (_name, run) => {
    await run();
  });

  it("items created in the same millisecond are each listed once (a page resumes after the Marker's item)", async () => {
    // Frozen clock: both access keys of a user share their CreateDate, and their ids are random.
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-06-01T00:00:00Z") });
    try {
      const owners = names("pg-same", 8);
      const keysOf = new Map<string, string[]>();
      const credsOf = new Map<string, string[]>();
      for (const UserName of owners) {
        await client().send(new CreateUserCommand({ UserName }));
        keysOf.set(UserName, [
          (await client().send(new CreateAccessKeyCommand({ UserName }))).AccessKey!.AccessKeyId!,
          (await client().send(new CreateAccessKeyCommand({ UserName }))).AccessKey!.AccessKeyId!,
        ]);
        const cred = async () =>
          (await client().send(new CreateServiceSpecificCredentialCommand({ UserName, ServiceName: "codecommit.amazonaws.com" }))).ServiceSpecificCredential!
            .ServiceSpecificCredentialId!;
        credsOf.set(UserName, [await cred(), await cred()]);
      }
      for (const UserName of owners) {
        await expectWalk({
          pages: paginateListAccessKeys(cfg(1), { UserName }),
          ...iamPage("AccessKeyMetadata"),
          key: (k: { AccessKeyId: string }) => k.AccessKeyId,
          pageSize: 1,
          expected: keysOf.get(UserName)!,
        });
        await expectWalk({
          pages: pagesOf(
            (i: ListServiceSpecificCredentialsCommandInput) => client().send(new ListServiceSpecificCredentialsCommand(i)),
            { UserName } as ListServiceSpecificCredentialsCommandInput,
            { inputToken: "Marker", outputToken: "Marker", limitKey: "MaxItems", pageSize: 1 },
          ),
          ...iamPage("ServiceSpecificCredentials"),
          key: (c: { ServiceSpecificCredentialId: string }) => c.ServiceSpecificCredentialId,
          pageSize: 1,
          expected: credsOf.get(UserName)!,
        });
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it("MaxItems outside 1..1000 is a ValidationError", async () => {
    for (const MaxItems of [0, 1001]) {
      await expectAwsError(client().send(new ListRolesCommand({ MaxItems })), { name: "ValidationError", status: 400 });
      await expectAwsError(client().send(new ListUsersCommand({ MaxItems })), { name: "ValidationError", status: 400 });
    }
  });

  it("the default page is 100 items", async () => {
    const all = await client().send(new ListUsersCommand({ PathPrefix: "/pg/" }));
    expect(all.Users).toHaveLength(5);
    expect(all.IsTruncated).toBe(false);
    expect(all.Marker).toBeUndefined();
  });

  it("the default page is 100 users, IsTruncated with a Marker when there are more", async () => {
    for (const u of names("pg-many", 101)) await client().send(new CreateUserCommand({ UserName: u, Path: "/many/" }));
    const first = await client().send(new ListUsersCommand({ PathPrefix: "/many/" }));
    expect(first.Users).toHaveLength(100);
    expect(first.IsTruncated).toBe(true);
    const rest = await client().send(new ListUsersCommand({ PathPrefix: "/many/", Marker: first.Marker }));
    expect(rest.Users).toHaveLength(1);
    expect(rest.IsTruncated).toBe(false);
    expect(rest.Marker).toBeUndefined();
  });
});

// SAML metadata fixture.
const SAML = `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.pg.example.com/">
<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.pg.example.com/sso"/>
</md:IDPSSODescriptor></md:EntityDescriptor>${"<!-- padding -->".repeat(60)}`;
