/**
 * IAM answers recorded against real AWS (LocalStack's AWS-validated snapshots under tests/aws/services/iam/):
 * test_iam_groups, test_iam_instance_profiles, test_iam_server_certificates, test_iam_signing_certificates,
 * test_iam_ssh_public_keys, test_iam_users, test_iam_roles, test_iam_oidc, test_iam_saml_providers,
 * test_iam_account_aliases, test_iam_account_password_policy, test_iam_account_summary, test_iam_credential_report
 * and test_iam_mfa (.snapshot.json each). Each test is named after the recorded test it replays.
 */
import {
  AddRoleToInstanceProfileCommand,
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateServiceSpecificCredentialCommand,
  CreateVirtualMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DeactivateMFADeviceCommand,
  DeleteVirtualMFADeviceCommand,
  ListVirtualMFADevicesCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  EnableMFADeviceCommand,
  GetLoginProfileCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListMFADevicesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  ListRolesCommand,
  ListSSHPublicKeysCommand,
  ListServiceSpecificCredentialsCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  ListUsersCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  TagRoleCommand,
  TagUserCommand,
  UntagRoleCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
  UpdateLoginProfileCommand,
  UpdateRoleCommand,
  UpdateRoleDescriptionCommand,
  UpdateUserCommand,
  UploadSSHPublicKeyCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreateAccountAliasCommand,
  DeleteAccountAliasCommand,
  DeleteAccountPasswordPolicyCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  ListAccountAliasesCommand,
  UpdateAccountPasswordPolicyCommand,
  DeleteServerCertificateCommand,
  DeleteSigningCertificateCommand,
  DeleteSSHPublicKeyCommand,
  GetServerCertificateCommand,
  GetSSHPublicKeyCommand,
  ListServerCertificatesCommand,
  ListSigningCertificatesCommand,
  UpdateSigningCertificateCommand,
  UpdateSSHPublicKeyCommand,
  UploadServerCertificateCommand,
  UploadSigningCertificateCommand,
  CreateOpenIDConnectProviderCommand,
  CreateSAMLProviderCommand,
  DeleteSAMLProviderCommand,
  GetOpenIDConnectProviderCommand,
  GetSAMLProviderCommand,
  ListOpenIDConnectProviderTagsCommand,
  ListOpenIDConnectProvidersCommand,
  ListSAMLProvidersCommand,
  TagOpenIDConnectProviderCommand,
  UntagOpenIDConnectProviderCommand,
  UpdateOpenIDConnectProviderThumbprintCommand,
  UpdateSAMLProviderCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteInstanceProfileCommand,
  DetachGroupPolicyCommand,
  GetGroupCommand,
  GetGroupPolicyCommand,
  GetInstanceProfileCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  ListInstanceProfileTagsCommand,
  ListInstanceProfilesCommand,
  ListInstanceProfilesForRoleCommand,
  PutGroupPolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  RemoveUserFromGroupCommand,
  TagInstanceProfileCommand,
  UntagInstanceProfileCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateGroupCommand,
} from "@aws-sdk/client-iam";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, sshRsaKey, totp, useServer } from "../helpers.js";

const ACCOUNT = "000000000000";
const MOCK_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: { Effect: "Allow", Action: "s3:ListBucket", Resource: ["arn:aws:s3:::example_bucket"] },
});
const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const noSuch = (message: string) => ({ name: "NoSuchEntityException", status: 404, message });
const keys = (o: object | undefined) => Object.keys(o ?? {}).sort();

const sim = useServer({}, (cfg) => ({ iam: new IAMClient(cfg) }));

/** EnableMFADevice with the two consecutive codes of a virtual device's seed. */
async function enableMfa(UserName: string, device: { SerialNumber?: string; Base32StringSeed?: Uint8Array } | undefined) {
  const seed = Buffer.from(device?.Base32StringSeed ?? []).toString();
  const step = Math.floor(Date.now() / 30000);
  return sim.iam.send(
    new EnableMFADeviceCommand({
      UserName,
      SerialNumber: device?.SerialNumber,
      AuthenticationCode1: totp(seed, step - 1),
      AuthenticationCode2: totp(seed, step),
    }),
  );
}

describe("test_iam_groups (recorded)", () => {
  it("test_create_group / test_get_group / test_get_group_with_path", async () => {
    const { Group } = await sim.iam.send(new CreateGroupCommand({ GroupName: "g-create" }));
    expect(keys(Group)).toEqual(["Arn", "CreateDate", "GroupId", "GroupName", "Path"]);
    expect(Group).toMatchObject({ Arn: `arn:aws:iam::${ACCOUNT}:group/g-create`, GroupName: "g-create", Path: "/" });
    await expectAwsError(sim.iam.send(new CreateGroupCommand({ GroupName: "g-create" })), {
      name: "EntityAlreadyExistsException",
      status: 409,
      message: "Group with name g-create already exists.",
    });
    const got = await sim.iam.send(new GetGroupCommand({ GroupName: "g-create" }));
    expect(got.Group).toEqual(Group);
    expect(got.Users).toEqual([]);
    expect(got.IsTruncated).toBe(false);
    await expectAwsError(
      sim.iam.send(new GetGroupCommand({ GroupName: "non-existent-group" })),
      noSuch("The group with name non-existent-group cannot be found."),
    );
    const withPath = await sim.iam.send(new CreateGroupCommand({ GroupName: "g-path", Path: "/some/location/" }));
    expect(withPath.Group).toMatchObject({ Arn: `arn:aws:iam::${ACCOUNT}:group/some/location/g-path`, Path: "/some/location/" });
  });

  it("test_list_groups / test_delete_group / test_delete_unknown_group", async () => {
    await sim.iam.send(new CreateGroupCommand({ GroupName: "g-list-1" }));
    await sim.iam.send(new CreateGroupCommand({ GroupName: "g-list-2" }));
    const { Groups } = await sim.iam.send(new ListGroupsCommand({}));
    const mine = (Groups ?? []).filter((g) => g.GroupName?.startsWith("g-list-"));
    expect(mine.map((g) => g.GroupName)).toEqual(["g-list-1", "g-list-2"]);
    expect(keys(mine[0])).toEqual(["Arn", "CreateDate", "GroupId", "GroupName", "Path"]);
    const del = await sim.iam.send(new DeleteGroupCommand({ GroupName: "g-list-2" }));
    expect(del.$metadata.httpStatusCode).toBe(200);
    await expectAwsError(sim.iam.send(new DeleteGroupCommand({ GroupName: "unknown-group" })), noSuch("The group with name unknown-group cannot be found."));
  });

  it("test_update_group_name / test_update_group_path / test_update_group_not_found / test_update_group_duplicate_name", async () => {
    const { Group } = await sim.iam.send(new CreateGroupCommand({ GroupName: "g-old" }));
    await sim.iam.send(new UpdateGroupCommand({ GroupName: "g-old", NewGroupName: "g-new" }));
    await expectAwsError(sim.iam.send(new GetGroupCommand({ GroupName: "g-old" })), noSuch("The group with name g-old cannot be found."));
    const renamed = (await sim.iam.send(new GetGroupCommand({ GroupName: "g-new" }))).Group;
    expect(renamed).toMatchObject({ Arn: `arn:aws:iam::${ACCOUNT}:group/g-new`, GroupId: Group?.GroupId, GroupName: "g-new", Path: "/" });

    await sim.iam.send(new CreateGroupCommand({ GroupName: "g-pathed", Path: "/path/" }));
    await sim.iam.send(new UpdateGroupCommand({ GroupName: "g-pathed", NewGroupName: "g-repathed", NewPath: "/new-path/" }));
    const moved = (await sim.iam.send(new GetGroupCommand({ GroupName: "g-repathed" }))).Group;
    expect(moved).toMatchObject({ Arn: `arn:aws:iam::${ACCOUNT}:group/new-path/g-repathed`, GroupName: "g-repathed", Path: "/new-path/" });

    await expectAwsError(
      sim.iam.send(new UpdateGroupCommand({ GroupName: "nonexisting", NewGroupName: "new-name" })),
      noSuch("The group with name nonexisting cannot be found."),
    );
    await expectAwsError(sim.iam.send(new UpdateGroupCommand({ GroupName: "g-new", NewGroupName: "g-repathed" })), {
      name: "EntityAlreadyExistsException",
      status: 409,
      message: "Group with name g-repathed already exists.",
    });
  });

  it("test_add_user_to_group / test_remove_user_from_group / test_add_user_to_group_idempotent / test_list_groups_for_user", async () => {
    await sim.iam.send(new CreateGroupCommand({ GroupName: "g-mem-1" }));
    await sim.iam.send(new CreateGroupCommand({ GroupName: "g-mem-2" }));
    await sim.iam.send(new CreateGroupCommand({ GroupName: "g-mem-3" }));
    await sim.iam.send(new CreateUserCommand({ UserName: "u-mem" }));
    await sim.iam.send(new AddUserToGroupCommand({ GroupName: "g-mem-1", UserName: "u-mem" }));
    await sim.iam.send(new AddUserToGroupCommand({ GroupName: "g-mem-1", UserName: "u-mem" }));
    const got = await sim.iam.send(new GetGroupCommand({ GroupName: "g-mem-1" }));
    expect(got.IsTruncated).toBe(false);
    expect(got.Users).toHaveLength(1);
    expect(keys(got.Users?.[0])).toEqual(["Arn", "CreateDate", "Path", "UserId", "UserName"]);
    expect((await sim.iam.send(new ListGroupsForUserCommand({ UserName: "u-mem" }))).Groups?.map((g) => g.GroupName)).toEqual(["g-mem-1"]);
    await sim.iam.send(new AddUserToGroupCommand({ GroupName: "g-mem-2", UserName: "u-mem" }));
    const two = (await sim.iam.send(new ListGroupsForUserCommand({ UserName: "u-mem" }))).Groups;
    expect(two?.map((g) => g.GroupName)).toEqual(["g-mem-1", "g-mem-2"]);
    expect(keys(two?.[0])).toEqual(["Arn", "CreateDate", "GroupId", "GroupName", "Path"]);
    await sim.iam.send(new RemoveUserFromGroupCommand({ GroupName: "g-mem-1", UserName: "u-mem" }));
    const after = await sim.iam.send(new GetGroupCommand({ GroupName: "g-mem-1" }));
    expect(after.Users).toEqual([]);
    expect(after.IsTruncated).toBe(false);
  });

  it("test_add_unknown_user_to_group / test_add_user_to_unknown_group / test_remove_user_from_unknown_group", async () => {
    await sim.iam.send(new CreateGroupCommand({ GroupName: "g-unknowns" }));
    await sim.iam.send(new CreateUserCommand({ UserName: "u-unknowns" }));
    await expectAwsError(
      sim.iam.send(new AddUserToGroupCommand({ GroupName: "g-unknowns", UserName: "non-existent-user" })),
      noSuch("The user with name non-existent-user cannot be found."),
    );
    await expectAwsError(
      sim.iam.send(new AddUserToGroupCommand({ GroupName: "non-existent-group", UserName: "u-unknowns" })),
      noSuch("The group with name non-existent-group cannot be found."),
    );
    // Neither exists: AWS names the user.
    await expectAwsError(
      sim.iam.send(new RemoveUserFromGroupCommand({ GroupName: "non-existent-group", UserName: "any-user" })),
      noSuch("The user with name any-user cannot be found."),
    );
  });

  it("test_put_group_policy / test_get_group_policy / test_list_group_policies", async () => {
    await sim.iam.send(new CreateGroupCommand({ GroupName: "g-inline" }));
    expect(await sim.iam.send(new ListGroupPoliciesCommand({ GroupName: "g-inline" }))).toMatchObject({ IsTruncated: false, PolicyNames: [] });
    await expectAwsError(
      sim.iam.send(new GetGroupPolicyCommand({ GroupName: "g-inline", PolicyName: "p-inline" })),
      noSuch("The group policy with name p-inline cannot be found."),
    );
    const put = await sim.iam.send(new PutGroupPolicyCommand({ GroupName: "g-inline", PolicyName: "p-inline", PolicyDocument: MOCK_POLICY }));
    expect(put.$metadata.httpStatusCode).toBe(200);
    const got = await sim.iam.send(new GetGroupPolicyCommand({ GroupName: "g-inline", PolicyName: "p-inline" }));
    expect(got.GroupName).toBe("g-inline");
    expect(got.PolicyName).toBe("p-inline");
    expect(JSON.parse(decodeURIComponent(got.PolicyDocument ?? ""))).toEqual(JSON.parse(MOCK_POLICY));
    expect(await sim.iam.send(new ListGroupPoliciesCommand({ GroupName: "g-inline" }))).toMatchObject({ IsTruncated: false, PolicyNames: ["p-inline"] });
  });

  it("test_attach_detach_group_policy / test_detach_unattached_group_policy", async () => {
    await sim.iam.send(new CreateGroupCommand({ GroupName: "g-managed" }));
    const arn = (await sim.iam.send(new CreatePolicyCommand({ PolicyName: "p-group-managed", PolicyDocument: MOCK_POLICY }))).Policy?.Arn ?? "";
    expect(await sim.iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: "g-managed" }))).toMatchObject({ AttachedPolicies: [], IsTruncated: false });
    await expectAwsError(sim.iam.send(new DetachGroupPolicyCommand({ GroupName: "g-managed", PolicyArn: arn })), noSuch(`Policy ${arn} was not found.`));
    await sim.iam.send(new AttachGroupPolicyCommand({ GroupName: "g-managed", PolicyArn: arn }));
    expect((await sim.iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: "g-managed" }))).AttachedPolicies).toEqual([
      { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/p-group-managed`, PolicyName: "p-group-managed" },
    ]);
    await sim.iam.send(new DetachGroupPolicyCommand({ GroupName: "g-managed", PolicyArn: arn }));
    expect(await sim.iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: "g-managed" }))).toMatchObject({ AttachedPolicies: [], IsTruncated: false });
  });
});

describe("test_iam_instance_profiles (recorded)", () => {
  const PROFILE_KEYS = ["Arn", "CreateDate", "InstanceProfileId", "InstanceProfileName", "Path", "Roles"];
  const ROLE_KEYS = ["Arn", "AssumeRolePolicyDocument", "CreateDate", "Path", "RoleId", "RoleName"];

  it("test_instance_profile_lifecycle / test_instance_profile_errors", async () => {
    const created = (await sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "ip-life", Path: "/test-path/" }))).InstanceProfile;
    expect(keys(created)).toEqual(PROFILE_KEYS);
    expect(created).toMatchObject({ Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/test-path/ip-life`, Path: "/test-path/", Roles: [] });
    const got = (await sim.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: "ip-life" }))).InstanceProfile;
    expect(keys(got)).toEqual([...PROFILE_KEYS, "Tags"].sort());
    expect(got?.Tags).toEqual([]);
    const dflt = (await sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "ip-default" }))).InstanceProfile;
    expect(dflt).toMatchObject({ Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/ip-default`, Path: "/", Roles: [] });
    await sim.iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: "ip-life" }));
    await expectAwsError(sim.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: "ip-life" })), noSuch("Instance Profile ip-life cannot be found."));
    await expectAwsError(sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "ip-default" })), {
      name: "EntityAlreadyExistsException",
      status: 409,
      message: "Instance Profile ip-default already exists.",
    });
    await expectAwsError(
      sim.iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: "nonexistent-profile" })),
      noSuch("Instance Profile nonexistent-profile cannot be found."),
    );
  });

  it("test_list_instance_profiles / test_list_instance_profiles_path_prefix / test_list_instance_profiles_for_role", async () => {
    await sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "ip-list-1", Path: "/list-a/" }));
    await sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "ip-list-2", Path: "/list-b/" }));
    // Described, as in test_get_account_authorization_details_filter_role: the role inside a profile has no Description.
    await sim.iam.send(new CreateRoleCommand({ RoleName: "r-list", AssumeRolePolicyDocument: TRUST, Description: "testing role" }));
    await sim.iam.send(new CreateRoleCommand({ RoleName: "r-list-2", AssumeRolePolicyDocument: TRUST }));
    await sim.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "ip-list-1", RoleName: "r-list" }));
    await sim.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "ip-list-2", RoleName: "r-list" }));
    const all = await sim.iam.send(new ListInstanceProfilesCommand({}));
    expect(all.IsTruncated).toBe(false);
    const one = all.InstanceProfiles?.find((p) => p.InstanceProfileName === "ip-list-1");
    expect(keys(one)).toEqual(PROFILE_KEYS);
    expect(keys(one?.Roles?.[0])).toEqual(ROLE_KEYS);
    expect(JSON.parse(decodeURIComponent(one?.Roles?.[0].AssumeRolePolicyDocument ?? ""))).toEqual(JSON.parse(TRUST));

    const prefixed = await sim.iam.send(new ListInstanceProfilesCommand({ PathPrefix: "/list-a/" }));
    expect(prefixed.InstanceProfiles?.map((p) => p.InstanceProfileName)).toEqual(["ip-list-1"]);
    expect(await sim.iam.send(new ListInstanceProfilesCommand({ PathPrefix: "/nonexistent-path/" }))).toMatchObject({
      InstanceProfiles: [],
      IsTruncated: false,
    });

    const forRole = await sim.iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: "r-list" }));
    expect(forRole.IsTruncated).toBe(false);
    expect(forRole.InstanceProfiles?.map((p) => p.InstanceProfileName)).toEqual(["ip-list-1", "ip-list-2"]);
    expect(keys(forRole.InstanceProfiles?.[0])).toEqual(PROFILE_KEYS);
    expect(keys(forRole.InstanceProfiles?.[0].Roles?.[0])).toEqual(ROLE_KEYS);
    expect(await sim.iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: "r-list-2" }))).toMatchObject({ InstanceProfiles: [], IsTruncated: false });
  });

  it("test_add_remove_role_from_instance_profile / test_add_second_role_to_instance_profile_error / test_delete_instance_profile_with_role_error", async () => {
    await sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "ip-roles" }));
    await sim.iam.send(new CreateRoleCommand({ RoleName: "r-ip-1", AssumeRolePolicyDocument: TRUST, Description: "described" }));
    await sim.iam.send(new CreateRoleCommand({ RoleName: "r-ip-2", AssumeRolePolicyDocument: TRUST }));
    await sim.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "ip-roles", RoleName: "r-ip-1" }));
    const withRole = (await sim.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: "ip-roles" }))).InstanceProfile;
    expect(keys(withRole?.Roles?.[0])).toEqual(ROLE_KEYS);
    expect(withRole?.Tags).toEqual([]);
    await expectAwsError(sim.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "ip-roles", RoleName: "r-ip-2" })), {
      name: "LimitExceededException",
      status: 409,
      message: "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1",
    });
    await expectAwsError(sim.iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: "ip-roles" })), {
      name: "DeleteConflictException",
      status: 409,
      message: "Cannot delete entity, must remove roles from instance profile first.",
    });
    await sim.iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: "ip-roles", RoleName: "r-ip-1" }));
    const without = (await sim.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: "ip-roles" }))).InstanceProfile;
    expect(without?.Roles).toEqual([]);
    expect(without?.Tags).toEqual([]);
    await sim.iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: "ip-roles" }));
    await expectAwsError(
      sim.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: "ip-roles" })),
      noSuch("Instance Profile ip-roles cannot be found."),
    );
  });

  it("test_role_instance_profile_operations_errors", async () => {
    await sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "ip-errs" }));
    await sim.iam.send(new CreateRoleCommand({ RoleName: "r-errs", AssumeRolePolicyDocument: TRUST }));
    const noProfile = noSuch("Instance Profile nonexistent-profile cannot be found.");
    const noRole = noSuch("The role with name nonexistent-role cannot be found.");
    await expectAwsError(sim.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "nonexistent-profile", RoleName: "r-errs" })), noProfile);
    await expectAwsError(sim.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "ip-errs", RoleName: "nonexistent-role" })), noRole);
    await expectAwsError(sim.iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: "nonexistent-profile", RoleName: "r-errs" })), noProfile);
    await expectAwsError(sim.iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: "ip-errs", RoleName: "nonexistent-role" })), noRole);
    await expectAwsError(
      sim.iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: "ip-errs", RoleName: "r-errs" })),
      noSuch("Role r-errs in Instance Profile ip-errs cannot be found."),
    );
    await expectAwsError(sim.iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: "nonexistent-role" })), noRole);
  });

  it("test_instance_profile_tag_lifecycle / test_instance_profile_create_with_tags / test_instance_profile_tag_errors", async () => {
    await sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "ip-tags" }));
    expect(await sim.iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: "ip-tags" }))).toMatchObject({ IsTruncated: false, Tags: [] });
    await sim.iam.send(new TagInstanceProfileCommand({ InstanceProfileName: "ip-tags", Tags: [{ Key: "MyKey", Value: "myValue" }] }));
    expect((await sim.iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: "ip-tags" }))).Tags).toEqual([{ Key: "MyKey", Value: "myValue" }]);
    expect((await sim.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: "ip-tags" }))).InstanceProfile?.Tags).toEqual([
      { Key: "MyKey", Value: "myValue" },
    ]);
    await sim.iam.send(new TagInstanceProfileCommand({ InstanceProfileName: "ip-tags", Tags: [{ Key: "MyKey2", Value: "myValue2" }] }));
    expect((await sim.iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: "ip-tags" }))).Tags).toEqual([
      { Key: "MyKey", Value: "myValue" },
      { Key: "MyKey2", Value: "myValue2" },
    ]);
    await sim.iam.send(new UntagInstanceProfileCommand({ InstanceProfileName: "ip-tags", TagKeys: ["MyKey"] }));
    expect((await sim.iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: "ip-tags" }))).Tags).toEqual([{ Key: "MyKey2", Value: "myValue2" }]);
    await sim.iam.send(new UntagInstanceProfileCommand({ InstanceProfileName: "ip-tags", TagKeys: ["MyKey2"] }));
    expect((await sim.iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: "ip-tags" }))).Tags).toEqual([]);

    const created = (
      await sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "ip-tagged", Tags: [{ Key: "InitialKey", Value: "InitialValue" }] }))
    ).InstanceProfile;
    expect(created?.Tags).toEqual([{ Key: "InitialKey", Value: "InitialValue" }]);
    expect((await sim.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: "ip-tagged" }))).InstanceProfile?.Tags).toEqual([
      { Key: "InitialKey", Value: "InitialValue" },
    ]);

    const noProfile = noSuch("Instance Profile nonexistent-profile cannot be found.");
    await expectAwsError(
      sim.iam.send(new TagInstanceProfileCommand({ InstanceProfileName: "nonexistent-profile", Tags: [{ Key: "Key", Value: "Value" }] })),
      noProfile,
    );
    await expectAwsError(sim.iam.send(new UntagInstanceProfileCommand({ InstanceProfileName: "nonexistent-profile", TagKeys: ["Key"] })), noProfile);
    await expectAwsError(sim.iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: "nonexistent-profile" })), noProfile);
  });
});

describe("test_iam_users (recorded)", () => {
  const USER_KEYS = ["Arn", "CreateDate", "Path", "UserId", "UserName"];
  const SAMPLE = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:ListUsers", Resource: "*" }] });

  it("test_user_lifecycle[None] / [/] / [/test-lifecycle-path/]", async () => {
    for (const [name, path] of [
      ["u-life-none", undefined],
      ["u-life-root", "/"],
      ["u-life-path", "/test-lifecycle-path/"],
    ] as const) {
      const created = (await sim.iam.send(new CreateUserCommand({ UserName: name, Path: path }))).User;
      expect(keys(created)).toEqual(USER_KEYS);
      const arn = `arn:aws:iam::${ACCOUNT}:user${path ?? "/"}${name}`;
      expect(created).toMatchObject({ Arn: arn, Path: path ?? "/", UserName: name });
      const got = (await sim.iam.send(new GetUserCommand({ UserName: name }))).User;
      expect(keys(got)).toEqual(USER_KEYS);
      const listed = await sim.iam.send(new ListUsersCommand({}));
      expect(listed.IsTruncated).toBe(false);
      expect(keys(listed.Users?.find((u) => u.UserName === name))).toEqual(USER_KEYS);
      if (path === "/test-lifecycle-path/") {
        for (const PathPrefix of [path, "/test-life"])
          expect((await sim.iam.send(new ListUsersCommand({ PathPrefix }))).Users?.map((u) => u.UserName)).toEqual([name]);
      }
      expect((await sim.iam.send(new DeleteUserCommand({ UserName: name }))).$metadata.httpStatusCode).toBe(200);
      await expectAwsError(sim.iam.send(new GetUserCommand({ UserName: name })), noSuch(`The user with name ${name} cannot be found.`));
    }
  });

  it("test_user_update / test_user_errors", async () => {
    const { User } = await sim.iam.send(new CreateUserCommand({ UserName: "u-orig" }));
    await sim.iam.send(new UpdateUserCommand({ UserName: "u-orig", NewUserName: "u-renamed", NewPath: "/new-path/" }));
    const got = (await sim.iam.send(new GetUserCommand({ UserName: "u-renamed" }))).User;
    expect(got).toMatchObject({ Arn: `arn:aws:iam::${ACCOUNT}:user/new-path/u-renamed`, Path: "/new-path/", UserId: User?.UserId, UserName: "u-renamed" });
    await expectAwsError(sim.iam.send(new GetUserCommand({ UserName: "u-orig" })), noSuch("The user with name u-orig cannot be found."));

    await expectAwsError(sim.iam.send(new CreateUserCommand({ UserName: "u-renamed" })), {
      name: "EntityAlreadyExistsException",
      status: 409,
      message: "User with name u-renamed already exists.",
    });
    const missing = noSuch("The user with name nonexistent-user cannot be found.");
    await expectAwsError(sim.iam.send(new GetUserCommand({ UserName: "nonexistent-user" })), missing);
    await expectAwsError(sim.iam.send(new UpdateUserCommand({ UserName: "nonexistent-user", NewUserName: "new-name" })), missing);
    await expectAwsError(sim.iam.send(new DeleteUserCommand({ UserName: "nonexistent-user" })), missing);
  });

  it("test_delete_user_with_attached_policy / test_delete_user_with_inline_policy", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "u-attached" }));
    const arn = (await sim.iam.send(new CreatePolicyCommand({ PolicyName: "p-user-attached", PolicyDocument: SAMPLE }))).Policy?.Arn ?? "";
    await sim.iam.send(new AttachUserPolicyCommand({ UserName: "u-attached", PolicyArn: arn }));
    await expectAwsError(sim.iam.send(new DeleteUserCommand({ UserName: "u-attached" })), {
      name: "DeleteConflictException",
      status: 409,
      message: "Cannot delete entity, must detach all policies first.",
    });
    await sim.iam.send(new DetachUserPolicyCommand({ UserName: "u-attached", PolicyArn: arn }));
    await sim.iam.send(new DeleteUserCommand({ UserName: "u-attached" }));

    await sim.iam.send(new CreateUserCommand({ UserName: "u-inline" }));
    await sim.iam.send(new PutUserPolicyCommand({ UserName: "u-inline", PolicyName: "inline", PolicyDocument: SAMPLE }));
    await expectAwsError(sim.iam.send(new DeleteUserCommand({ UserName: "u-inline" })), {
      name: "DeleteConflictException",
      status: 409,
      message: "Cannot delete entity, must delete policies first.",
    });
    await sim.iam.send(new DeleteUserPolicyCommand({ UserName: "u-inline", PolicyName: "inline" }));
    await sim.iam.send(new DeleteUserCommand({ UserName: "u-inline" }));
    await expectAwsError(sim.iam.send(new GetUserCommand({ UserName: "u-inline" })), noSuch("The user with name u-inline cannot be found."));
  });

  it("test_login_profile_lifecycle / test_login_profile_errors", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "u-login" }));
    const created = (await sim.iam.send(new CreateLoginProfileCommand({ UserName: "u-login", Password: "TestPassword123!", PasswordResetRequired: false })))
      .LoginProfile;
    expect(keys(created)).toEqual(["CreateDate", "PasswordResetRequired", "UserName"]);
    expect(created).toMatchObject({ PasswordResetRequired: false, UserName: "u-login" });
    const got = (await sim.iam.send(new GetLoginProfileCommand({ UserName: "u-login" }))).LoginProfile;
    expect(keys(got)).toEqual(["CreateDate", "PasswordResetRequired", "UserName"]);
    await expectAwsError(sim.iam.send(new CreateLoginProfileCommand({ UserName: "u-login", Password: "AnotherPassword123!" })), {
      name: "EntityAlreadyExistsException",
      status: 409,
      message: "Login Profile for user u-login already exists.",
    });
    await sim.iam.send(new UpdateLoginProfileCommand({ UserName: "u-login", Password: "NewPassword456!", PasswordResetRequired: true }));
    expect((await sim.iam.send(new GetLoginProfileCommand({ UserName: "u-login" }))).LoginProfile?.PasswordResetRequired).toBe(true);
    expect((await sim.iam.send(new DeleteLoginProfileCommand({ UserName: "u-login" }))).$metadata.httpStatusCode).toBe(200);
    await expectAwsError(sim.iam.send(new GetLoginProfileCommand({ UserName: "u-login" })), noSuch("Login Profile for User u-login cannot be found."));
    await expectAwsError(sim.iam.send(new DeleteLoginProfileCommand({ UserName: "u-login" })), noSuch("Login Profile for User u-login cannot be found."));
    const missing = noSuch("The user with name nonexistent-user cannot be found.");
    await expectAwsError(sim.iam.send(new CreateLoginProfileCommand({ UserName: "nonexistent-user", Password: "TestPassword123!" })), missing);
    await expectAwsError(sim.iam.send(new DeleteLoginProfileCommand({ UserName: "nonexistent-user" })), missing);
  });

  it("test_access_key_lifecycle / test_access_key_update_status / test_access_key_limit", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "u-keys" }));
    expect(await sim.iam.send(new ListAccessKeysCommand({ UserName: "u-keys" }))).toMatchObject({ AccessKeyMetadata: [], IsTruncated: false });
    const key = (await sim.iam.send(new CreateAccessKeyCommand({ UserName: "u-keys" }))).AccessKey;
    expect(keys(key)).toEqual(["AccessKeyId", "CreateDate", "SecretAccessKey", "Status", "UserName"]);
    expect(key?.AccessKeyId).toHaveLength(20);
    expect(key?.SecretAccessKey).toHaveLength(40);
    expect(key?.Status).toBe("Active");
    const listed = await sim.iam.send(new ListAccessKeysCommand({ UserName: "u-keys" }));
    expect(listed.IsTruncated).toBe(false);
    expect(listed.AccessKeyMetadata?.map((k) => [keys(k), k.Status, k.UserName])).toEqual([
      [["AccessKeyId", "CreateDate", "Status", "UserName"], "Active", "u-keys"],
    ]);
    await sim.iam.send(new UpdateAccessKeyCommand({ UserName: "u-keys", AccessKeyId: key?.AccessKeyId, Status: "Inactive" }));
    expect((await sim.iam.send(new ListAccessKeysCommand({ UserName: "u-keys" }))).AccessKeyMetadata?.[0].Status).toBe("Inactive");
    await sim.iam.send(new UpdateAccessKeyCommand({ UserName: "u-keys", AccessKeyId: key?.AccessKeyId, Status: "Active" }));
    expect((await sim.iam.send(new ListAccessKeysCommand({ UserName: "u-keys" }))).AccessKeyMetadata?.[0].Status).toBe("Active");
    await sim.iam.send(new CreateAccessKeyCommand({ UserName: "u-keys" }));
    await expectAwsError(sim.iam.send(new CreateAccessKeyCommand({ UserName: "u-keys" })), {
      name: "LimitExceededException",
      status: 409,
      message: "Cannot exceed quota for AccessKeysPerUser: 2",
    });
    expect((await sim.iam.send(new DeleteAccessKeyCommand({ UserName: "u-keys", AccessKeyId: key?.AccessKeyId }))).$metadata.httpStatusCode).toBe(200);
    expect((await sim.iam.send(new ListAccessKeysCommand({ UserName: "u-keys" }))).AccessKeyMetadata).toHaveLength(1);
  });

  it("test_access_key_errors / test_access_key_deletion_without_username", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "u-key-errs" }));
    await expectAwsError(
      sim.iam.send(new CreateAccessKeyCommand({ UserName: "nonexistent-user" })),
      noSuch("The user with name nonexistent-user cannot be found."),
    );
    await expectAwsError(
      sim.iam.send(new UpdateAccessKeyCommand({ UserName: "u-key-errs", AccessKeyId: "AKIAIOSFODNN7EXAMPLE", Status: "Inactive" })),
      noSuch("The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found."),
    );
    // Without a UserName, as a role (non-User credentials): a ValidationError.
    await sim.iam.send(
      new CreateRoleCommand({
        RoleName: "r-key-errs",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" }],
        }),
      }),
    );
    const sts = new STSClient(clientConfig(sim.server));
    const creds = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/r-key-errs`, RoleSessionName: "session" }))).Credentials;
    const asRole = new IAMClient(
      clientConfig(sim.server, {
        credentials: { accessKeyId: creds?.AccessKeyId ?? "", secretAccessKey: creds?.SecretAccessKey ?? "", sessionToken: creds?.SessionToken },
      }),
    );
    const id = (await sim.iam.send(new CreateAccessKeyCommand({ UserName: "u-key-errs" }))).AccessKey?.AccessKeyId;
    await expectAwsError(asRole.send(new DeleteAccessKeyCommand({ AccessKeyId: id })), {
      name: "ValidationError",
      status: 400,
      message: "Must specify userName when calling with non-User credentials",
    });
    // As the user itself, the key is found without a UserName.
    const second = (await sim.iam.send(new CreateAccessKeyCommand({ UserName: "u-key-errs" }))).AccessKey;
    const asUser = new IAMClient(
      clientConfig(sim.server, { credentials: { accessKeyId: second?.AccessKeyId ?? "", secretAccessKey: second?.SecretAccessKey ?? "" } }),
    );
    expect((await asUser.send(new DeleteAccessKeyCommand({ AccessKeyId: id }))).$metadata.httpStatusCode).toBe(200);
    expect((await sim.iam.send(new ListAccessKeysCommand({ UserName: "u-key-errs" }))).AccessKeyMetadata?.map((k) => k.AccessKeyId)).toEqual([
      second?.AccessKeyId,
    ]);
  });

  it("test_user_inline_policy_lifecycle / test_user_managed_policy_lifecycle / test_user_managed_policy_errors", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "u-pol" }));
    expect(await sim.iam.send(new ListUserPoliciesCommand({ UserName: "u-pol" }))).toMatchObject({ IsTruncated: false, PolicyNames: [] });
    await sim.iam.send(new PutUserPolicyCommand({ UserName: "u-pol", PolicyName: "p-inline", PolicyDocument: SAMPLE }));
    const got = await sim.iam.send(new GetUserPolicyCommand({ UserName: "u-pol", PolicyName: "p-inline" }));
    expect([got.UserName, got.PolicyName]).toEqual(["u-pol", "p-inline"]);
    expect(JSON.parse(decodeURIComponent(got.PolicyDocument ?? ""))).toEqual(JSON.parse(SAMPLE));
    expect((await sim.iam.send(new ListUserPoliciesCommand({ UserName: "u-pol" }))).PolicyNames).toEqual(["p-inline"]);
    await sim.iam.send(new DeleteUserPolicyCommand({ UserName: "u-pol", PolicyName: "p-inline" }));
    expect((await sim.iam.send(new ListUserPoliciesCommand({ UserName: "u-pol" }))).PolicyNames).toEqual([]);

    const arn = (await sim.iam.send(new CreatePolicyCommand({ PolicyName: "p-user-managed", PolicyDocument: SAMPLE }))).Policy?.Arn ?? "";
    expect(await sim.iam.send(new ListAttachedUserPoliciesCommand({ UserName: "u-pol" }))).toMatchObject({ AttachedPolicies: [], IsTruncated: false });
    await expectAwsError(
      sim.iam.send(new AttachUserPolicyCommand({ UserName: "u-pol", PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/nonexistent` })),
      noSuch(`Policy arn:aws:iam::${ACCOUNT}:policy/nonexistent does not exist or is not attachable.`),
    );
    await expectAwsError(sim.iam.send(new DetachUserPolicyCommand({ UserName: "u-pol", PolicyArn: arn })), noSuch(`Policy ${arn} was not found.`));
    await sim.iam.send(new AttachUserPolicyCommand({ UserName: "u-pol", PolicyArn: arn }));
    expect((await sim.iam.send(new ListAttachedUserPoliciesCommand({ UserName: "u-pol" }))).AttachedPolicies).toEqual([
      { PolicyArn: arn, PolicyName: "p-user-managed" },
    ]);
    await sim.iam.send(new DetachUserPolicyCommand({ UserName: "u-pol", PolicyArn: arn }));
    expect((await sim.iam.send(new ListAttachedUserPoliciesCommand({ UserName: "u-pol" }))).AttachedPolicies).toEqual([]);
  });

  it("test_user_tag_lifecycle / test_user_tag_operations / test_user_tag_errors", async () => {
    const tags = [
      { Key: "Environment", Value: "Test" },
      { Key: "Team", Value: "Platform" },
    ];
    const created = (await sim.iam.send(new CreateUserCommand({ UserName: "u-tagged", Tags: tags }))).User;
    expect(keys(created)).toEqual([...USER_KEYS, "Tags"].sort());
    expect(created?.Tags).toEqual(tags);
    expect(await sim.iam.send(new ListUserTagsCommand({ UserName: "u-tagged" }))).toMatchObject({ IsTruncated: false, Tags: tags });
    expect((await sim.iam.send(new GetUserCommand({ UserName: "u-tagged" }))).User?.Tags).toEqual(tags);

    await sim.iam.send(new CreateUserCommand({ UserName: "u-tagging" }));
    expect(await sim.iam.send(new ListUserTagsCommand({ UserName: "u-tagging" }))).toMatchObject({ IsTruncated: false, Tags: [] });
    await sim.iam.send(
      new TagUserCommand({
        UserName: "u-tagging",
        Tags: [
          { Key: "key-1", Value: "value-1" },
          { Key: "key-2", Value: "value-2" },
        ],
      }),
    );
    expect((await sim.iam.send(new ListUserTagsCommand({ UserName: "u-tagging" }))).Tags).toEqual([
      { Key: "key-1", Value: "value-1" },
      { Key: "key-2", Value: "value-2" },
    ]);
    await sim.iam.send(new UntagUserCommand({ UserName: "u-tagging", TagKeys: ["key-2"] }));
    expect((await sim.iam.send(new ListUserTagsCommand({ UserName: "u-tagging" }))).Tags).toEqual([{ Key: "key-1", Value: "value-1" }]);

    const missing = noSuch("The user with name nonexistent-user cannot be found.");
    await expectAwsError(sim.iam.send(new TagUserCommand({ UserName: "nonexistent-user", Tags: [{ Key: "key", Value: "value" }] })), missing);
    await expectAwsError(sim.iam.send(new UntagUserCommand({ UserName: "nonexistent-user", TagKeys: ["key"] })), missing);
    await expectAwsError(sim.iam.send(new ListUserTagsCommand({ UserName: "nonexistent-user" })), missing);
  });

  it("test_user_group_membership / test_user_group_errors", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "u-groups" }));
    await sim.iam.send(new CreateGroupCommand({ GroupName: "ug-1" }));
    await sim.iam.send(new CreateGroupCommand({ GroupName: "ug-2" }));
    expect(await sim.iam.send(new ListGroupsForUserCommand({ UserName: "u-groups" }))).toMatchObject({ Groups: [], IsTruncated: false });
    await sim.iam.send(new AddUserToGroupCommand({ GroupName: "ug-1", UserName: "u-groups" }));
    await sim.iam.send(new AddUserToGroupCommand({ GroupName: "ug-2", UserName: "u-groups" }));
    await sim.iam.send(new AddUserToGroupCommand({ GroupName: "ug-1", UserName: "u-groups" }));
    expect((await sim.iam.send(new ListGroupsForUserCommand({ UserName: "u-groups" }))).Groups?.map((g) => g.GroupName)).toEqual(["ug-1", "ug-2"]);
    expect((await sim.iam.send(new GetGroupCommand({ GroupName: "ug-1" }))).Users?.map((u) => u.UserName)).toEqual(["u-groups"]);
    await sim.iam.send(new RemoveUserFromGroupCommand({ GroupName: "ug-1", UserName: "u-groups" }));
    expect((await sim.iam.send(new ListGroupsForUserCommand({ UserName: "u-groups" }))).Groups).toHaveLength(1);
    const again = await sim.iam.send(new RemoveUserFromGroupCommand({ GroupName: "ug-1", UserName: "u-groups" }));
    expect(again.$metadata.httpStatusCode).toBe(200);

    await expectAwsError(
      sim.iam.send(new RemoveUserFromGroupCommand({ GroupName: "nonexistent-group", UserName: "u-groups" })),
      noSuch("The group with name nonexistent-group cannot be found."),
    );
  });

  it("test_user_rename_preserves_access_key_identity / _updates_access_key_metadata / _login_profile / _ssh_public_keys / _mfa_devices / _service_specific_credentials", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "u-before" }));
    const key = (await sim.iam.send(new CreateAccessKeyCommand({ UserName: "u-before" }))).AccessKey;
    await sim.iam.send(new CreateLoginProfileCommand({ UserName: "u-before", Password: "TestPassword123!" }));
    await sim.iam.send(new UploadSSHPublicKeyCommand({ UserName: "u-before", SSHPublicKeyBody: sshRsaKey("rename").body }));
    const mfa = (await sim.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "mfa-rename" }))).VirtualMFADevice;
    await enableMfa("u-before", mfa);
    await sim.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "u-before", ServiceName: "codecommit.amazonaws.com" }));
    const asUser = new STSClient(
      clientConfig(sim.server, { credentials: { accessKeyId: key?.AccessKeyId ?? "", secretAccessKey: key?.SecretAccessKey ?? "" } }),
    );
    const before = await asUser.send(new GetCallerIdentityCommand({}));
    expect(before.Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/u-before`);

    await sim.iam.send(new UpdateUserCommand({ UserName: "u-before", NewUserName: "u-after" }));
    const after = await asUser.send(new GetCallerIdentityCommand({}));
    expect([after.Arn, after.UserId, after.Account]).toEqual([`arn:aws:iam::${ACCOUNT}:user/u-after`, before.UserId, ACCOUNT]);
    expect((await sim.iam.send(new ListAccessKeysCommand({ UserName: "u-after" }))).AccessKeyMetadata?.map((k) => k.UserName)).toEqual(["u-after"]);
    expect((await sim.iam.send(new GetLoginProfileCommand({ UserName: "u-after" }))).LoginProfile?.UserName).toBe("u-after");
    expect((await sim.iam.send(new ListSSHPublicKeysCommand({ UserName: "u-after" }))).SSHPublicKeys?.map((k) => k.UserName)).toEqual(["u-after"]);
    expect((await sim.iam.send(new ListMFADevicesCommand({ UserName: "u-after" }))).MFADevices?.map((d) => [d.UserName, d.SerialNumber])).toEqual([
      ["u-after", `arn:aws:iam::${ACCOUNT}:mfa/mfa-rename`],
    ]);
    // The service user name keeps the name the credential was made under.
    const ssc = (await sim.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: "u-after" }))).ServiceSpecificCredentials;
    expect(ssc?.map((c) => [c.UserName, c.ServiceUserName, c.ServiceName, c.Status])).toEqual([
      ["u-after", `u-before-at-${ACCOUNT}`, "codecommit.amazonaws.com", "Active"],
    ]);
  });
});

describe("test_iam_roles (recorded)", () => {
  const CREATE_KEYS = ["Arn", "AssumeRolePolicyDocument", "CreateDate", "Path", "RoleId", "RoleName"];
  const DOC = JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::example_bucket" } });

  it("test_role_errors / test_create_role_defaults / test_create_describe_role / test_list_roles_path_prefix", async () => {
    const missing = noSuch("The role with name test-nonexistent-role cannot be found.");
    await expectAwsError(sim.iam.send(new GetRoleCommand({ RoleName: "test-nonexistent-role" })), missing);
    await expectAwsError(sim.iam.send(new UpdateRoleCommand({ RoleName: "test-nonexistent-role", Description: "test" })), missing);
    await expectAwsError(sim.iam.send(new DeleteRoleCommand({ RoleName: "test-nonexistent-role" })), missing);
    const created = (await sim.iam.send(new CreateRoleCommand({ RoleName: "r-defaults", AssumeRolePolicyDocument: TRUST }))).Role;
    expect(keys(created)).toEqual(CREATE_KEYS);
    await expectAwsError(sim.iam.send(new CreateRoleCommand({ RoleName: "r-defaults", AssumeRolePolicyDocument: TRUST })), {
      name: "EntityAlreadyExistsException",
      status: 409,
      message: "Role with name r-defaults already exists.",
    });
    const got = (await sim.iam.send(new GetRoleCommand({ RoleName: "r-defaults" }))).Role;
    expect(keys(got)).toEqual([...CREATE_KEYS, "MaxSessionDuration", "RoleLastUsed"].sort());
    expect([got?.MaxSessionDuration, got?.RoleLastUsed]).toEqual([3600, {}]);

    const pathed = (await sim.iam.send(new CreateRoleCommand({ RoleName: "r-pathed", AssumeRolePolicyDocument: TRUST, Path: "/pfx-role/" }))).Role;
    expect(pathed).toMatchObject({ Arn: `arn:aws:iam::${ACCOUNT}:role/pfx-role/r-pathed`, Path: "/pfx-role/" });
    const listed = await sim.iam.send(new ListRolesCommand({ PathPrefix: "/pfx-role/" }));
    expect(listed.IsTruncated).toBe(false);
    expect(listed.Roles?.map((r) => r.RoleName)).toEqual(["r-pathed"]);
    expect(keys(listed.Roles?.[0])).toEqual([...CREATE_KEYS, "MaxSessionDuration"].sort());
    expect(await sim.iam.send(new ListRolesCommand({ PathPrefix: "/nonexistent-path/" }))).toMatchObject({ IsTruncated: false, Roles: [] });
  });

  it("test_delete_role_with_attached_policy / _with_inline_policy / _with_instance_profile", async () => {
    await sim.iam.send(new CreateRoleCommand({ RoleName: "r-del", AssumeRolePolicyDocument: TRUST }));
    const arn = (await sim.iam.send(new CreatePolicyCommand({ PolicyName: "p-role-del", PolicyDocument: DOC }))).Policy?.Arn ?? "";
    await sim.iam.send(new AttachRolePolicyCommand({ RoleName: "r-del", PolicyArn: arn }));
    const conflict = (message: string) => ({ name: "DeleteConflictException", status: 409, message });
    await expectAwsError(sim.iam.send(new DeleteRoleCommand({ RoleName: "r-del" })), conflict("Cannot delete entity, must detach all policies first."));
    await sim.iam.send(new DetachRolePolicyCommand({ RoleName: "r-del", PolicyArn: arn }));
    await sim.iam.send(new PutRolePolicyCommand({ RoleName: "r-del", PolicyName: "inline", PolicyDocument: DOC }));
    await expectAwsError(sim.iam.send(new DeleteRoleCommand({ RoleName: "r-del" })), conflict("Cannot delete entity, must delete policies first."));
    await sim.iam.send(new DeleteRolePolicyCommand({ RoleName: "r-del", PolicyName: "inline" }));
    await sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "ip-del" }));
    await sim.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "ip-del", RoleName: "r-del" }));
    await expectAwsError(
      sim.iam.send(new DeleteRoleCommand({ RoleName: "r-del" })),
      conflict("Cannot delete entity, must remove roles from instance profile first."),
    );
    await sim.iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: "ip-del", RoleName: "r-del" }));
    await sim.iam.send(new DeleteRoleCommand({ RoleName: "r-del" }));
    await expectAwsError(sim.iam.send(new GetRoleCommand({ RoleName: "r-del" })), noSuch("The role with name r-del cannot be found."));
  });

  it("test_update_role / test_update_assume_role_policy", async () => {
    await sim.iam.send(new CreateRoleCommand({ RoleName: "r-upd", AssumeRolePolicyDocument: TRUST, Description: "initial description" }));
    expect((await sim.iam.send(new GetRoleCommand({ RoleName: "r-upd" }))).Role).toMatchObject({
      Description: "initial description",
      MaxSessionDuration: 3600,
    });
    const upd = await sim.iam.send(new UpdateRoleCommand({ RoleName: "r-upd", Description: "updated description", MaxSessionDuration: 7200 }));
    expect(upd.$metadata.httpStatusCode).toBe(200);
    expect((await sim.iam.send(new GetRoleCommand({ RoleName: "r-upd" }))).Role).toMatchObject({
      Description: "updated description",
      MaxSessionDuration: 7200,
    });
    const desc = (await sim.iam.send(new UpdateRoleDescriptionCommand({ RoleName: "r-upd", Description: "description via update_role_description" }))).Role;
    expect(keys(desc)).toEqual([...CREATE_KEYS, "Description"].sort());
    // UpdateRole with nothing to change leaves Description and MaxSessionDuration as they were.
    await sim.iam.send(new UpdateRoleCommand({ RoleName: "r-upd" }));
    expect((await sim.iam.send(new GetRoleCommand({ RoleName: "r-upd" }))).Role).toMatchObject({
      Description: "description via update_role_description",
      MaxSessionDuration: 7200,
    });

    const listy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: ["ec2.amazonaws.com"] }, Action: ["sts:AssumeRole"] }],
    });
    const created = (await sim.iam.send(new CreateRoleCommand({ RoleName: "r-trust-lists", AssumeRolePolicyDocument: listy }))).Role;
    expect(JSON.parse(decodeURIComponent(created?.AssumeRolePolicyDocument ?? ""))).toEqual(JSON.parse(listy));
    const updated = await sim.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "r-trust-lists", PolicyDocument: listy }));
    expect(updated.$metadata.httpStatusCode).toBe(200);
  });

  it("test_role_permissions_boundary_lifecycle / test_role_permissions_boundary_errors", async () => {
    const arn = (await sim.iam.send(new CreatePolicyCommand({ PolicyName: "p-boundary", PolicyDocument: DOC }))).Policy?.Arn ?? "";
    await sim.iam.send(new CreateRoleCommand({ RoleName: "r-bounded", AssumeRolePolicyDocument: TRUST, PermissionsBoundary: arn, Description: "bounded" }));
    await sim.iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: "r-bounded" }));
    const noBoundary = (await sim.iam.send(new GetRoleCommand({ RoleName: "r-bounded" }))).Role;
    expect(noBoundary?.PermissionsBoundary).toBeUndefined();
    const listedWithout = (await sim.iam.send(new ListRolesCommand({}))).Roles?.find((r) => r.RoleName === "r-bounded");
    expect(keys(listedWithout)).toEqual([...CREATE_KEYS, "Description", "MaxSessionDuration"].sort());
    await sim.iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: "r-bounded", PermissionsBoundary: arn }));
    expect((await sim.iam.send(new GetRoleCommand({ RoleName: "r-bounded" }))).Role?.PermissionsBoundary).toEqual({
      PermissionsBoundaryArn: arn,
      PermissionsBoundaryType: "Policy",
    });
    const listedWith = (await sim.iam.send(new ListRolesCommand({}))).Roles?.find((r) => r.RoleName === "r-bounded");
    expect(keys(listedWith)).toEqual([...CREATE_KEYS, "Description", "MaxSessionDuration"].sort());
    await expectAwsError(
      sim.iam.send(
        new CreateRoleCommand({
          RoleName: "r-nonexistent-boundary",
          AssumeRolePolicyDocument: TRUST,
          PermissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/nonexistent-policy`,
        }),
      ),
      noSuch(`Scope ARN: arn:aws:iam::${ACCOUNT}:policy/nonexistent-policy does not exist or is not attachable.`),
    );
    await expectAwsError(
      sim.iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: "nonexistent-role", PermissionsBoundary: arn })),
      noSuch("The role with name nonexistent-role cannot be found."),
    );
  });

  it("test_role_inline_policy_lifecycle / test_role_inline_policy_errors", async () => {
    await sim.iam.send(new CreateRoleCommand({ RoleName: "r-inline", AssumeRolePolicyDocument: TRUST }));
    await sim.iam.send(new PutRolePolicyCommand({ RoleName: "r-inline", PolicyName: "policy-1", PolicyDocument: DOC }));
    const got = await sim.iam.send(new GetRolePolicyCommand({ RoleName: "r-inline", PolicyName: "policy-1" }));
    expect([got.RoleName, got.PolicyName]).toEqual(["r-inline", "policy-1"]);
    expect(JSON.parse(decodeURIComponent(got.PolicyDocument ?? ""))).toEqual(JSON.parse(DOC));
    await sim.iam.send(new PutRolePolicyCommand({ RoleName: "r-inline", PolicyName: "policy-2", PolicyDocument: DOC }));
    expect(await sim.iam.send(new ListRolePoliciesCommand({ RoleName: "r-inline" }))).toMatchObject({
      IsTruncated: false,
      PolicyNames: ["policy-1", "policy-2"],
    });
    await sim.iam.send(new DeleteRolePolicyCommand({ RoleName: "r-inline", PolicyName: "policy-1" }));
    expect((await sim.iam.send(new ListRolePoliciesCommand({ RoleName: "r-inline" }))).PolicyNames).toEqual(["policy-2"]);
    const gone = noSuch("The role policy with name policy-1 cannot be found.");
    await expectAwsError(sim.iam.send(new GetRolePolicyCommand({ RoleName: "r-inline", PolicyName: "policy-1" })), gone);
    await expectAwsError(sim.iam.send(new DeleteRolePolicyCommand({ RoleName: "r-inline", PolicyName: "policy-1" })), gone);
    const noRole = noSuch("The role with name nonexistent-role cannot be found.");
    await expectAwsError(
      sim.iam.send(new PutRolePolicyCommand({ RoleName: "nonexistent-role", PolicyName: "non-existent-policy", PolicyDocument: DOC })),
      noRole,
    );
    await expectAwsError(sim.iam.send(new GetRolePolicyCommand({ RoleName: "nonexistent-role", PolicyName: "non-existent-policy" })), noRole);
    await expectAwsError(sim.iam.send(new DeleteRolePolicyCommand({ RoleName: "nonexistent-role", PolicyName: "non-existent-policy" })), noRole);
  });

  it("test_role_managed_policy_lifecycle / test_role_managed_policy_errors / test_attach_detach_aws_managed_policy_role", async () => {
    await sim.iam.send(new CreateRoleCommand({ RoleName: "r-managed", AssumeRolePolicyDocument: TRUST }));
    const arn = (await sim.iam.send(new CreatePolicyCommand({ PolicyName: "test-policy-managed01", PolicyDocument: DOC }))).Policy?.Arn ?? "";
    expect(await sim.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "r-managed" }))).toMatchObject({ AttachedPolicies: [], IsTruncated: false });
    await expectAwsError(sim.iam.send(new DetachRolePolicyCommand({ RoleName: "r-managed", PolicyArn: arn })), noSuch(`Policy ${arn} was not found.`));
    await expectAwsError(sim.iam.send(new AttachRolePolicyCommand({ RoleName: "r-managed", PolicyArn: "test-policy-managed01" })), {
      name: "ValidationError",
      status: 400,
      message: "ARN test-policy-managed01 is not valid.",
    });
    await sim.iam.send(new AttachRolePolicyCommand({ RoleName: "r-managed", PolicyArn: arn }));
    expect((await sim.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "r-managed" }))).AttachedPolicies).toEqual([
      { PolicyArn: arn, PolicyName: "test-policy-managed01" },
    ]);
    await sim.iam.send(new DetachRolePolicyCommand({ RoleName: "r-managed", PolicyArn: arn }));

    const emr = "arn:aws:iam::aws:policy/service-role/AmazonElasticMapReduceRole";
    const ct = "arn:aws:iam::aws:policy/service-role/AWSControlTowerServiceRolePolicy";
    await sim.iam.send(new AttachRolePolicyCommand({ RoleName: "r-managed", PolicyArn: emr }));
    await sim.iam.send(new AttachRolePolicyCommand({ RoleName: "r-managed", PolicyArn: ct }));
    expect((await sim.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "r-managed" }))).AttachedPolicies).toEqual([
      { PolicyArn: emr, PolicyName: "AmazonElasticMapReduceRole" },
      { PolicyArn: ct, PolicyName: "AWSControlTowerServiceRolePolicy" },
    ]);
    await sim.iam.send(new DetachRolePolicyCommand({ RoleName: "r-managed", PolicyArn: emr }));
    expect((await sim.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "r-managed" }))).AttachedPolicies).toEqual([
      { PolicyArn: ct, PolicyName: "AWSControlTowerServiceRolePolicy" },
    ]);
    await expectAwsError(sim.iam.send(new DetachRolePolicyCommand({ RoleName: "r-managed", PolicyArn: emr })), noSuch(`Policy ${emr} was not found.`));
    await expectAwsError(
      sim.iam.send(new DetachRolePolicyCommand({ RoleName: "r-managed", PolicyArn: "arn:aws:iam::aws:policy/Nonexistent" })),
      noSuch("Policy arn:aws:iam::aws:policy/Nonexistent was not found."),
    );
  });

  it("test_role_with_tags / test_role_tag_operations", async () => {
    const created = (
      await sim.iam.send(
        new CreateRoleCommand({ RoleName: "r-tagged", AssumeRolePolicyDocument: TRUST, Path: "/role-with-tags/", Tags: [{ Key: "test", Value: "value" }] }),
      )
    ).Role;
    expect(keys(created)).toEqual([...CREATE_KEYS, "Tags"].sort());
    expect(keys((await sim.iam.send(new GetRoleCommand({ RoleName: "r-tagged" }))).Role)).toEqual(
      [...CREATE_KEYS, "MaxSessionDuration", "RoleLastUsed", "Tags"].sort(),
    );
    const listed = (await sim.iam.send(new ListRolesCommand({ PathPrefix: "/role-with-tags/" }))).Roles;
    expect(keys(listed?.[0])).toEqual([...CREATE_KEYS, "MaxSessionDuration"].sort());
    const empty = (
      await sim.iam.send(new CreateRoleCommand({ RoleName: "r-empty-tag", AssumeRolePolicyDocument: TRUST, Tags: [{ Key: "emptykey", Value: "" }] }))
    ).Role;
    expect(empty?.Tags).toEqual([{ Key: "emptykey", Value: "" }]);
    expect((await sim.iam.send(new ListRoleTagsCommand({ RoleName: "r-empty-tag" }))).Tags).toEqual([{ Key: "emptykey", Value: "" }]);

    await sim.iam.send(new CreateRoleCommand({ RoleName: "r-tagging", AssumeRolePolicyDocument: TRUST }));
    expect((await sim.iam.send(new GetRoleCommand({ RoleName: "r-tagging" }))).Role?.Tags).toBeUndefined();
    await sim.iam.send(
      new TagRoleCommand({
        RoleName: "r-tagging",
        Tags: [
          { Key: "somekey", Value: "somevalue" },
          { Key: "someotherkey", Value: "someothervalue" },
        ],
      }),
    );
    const both = [
      { Key: "somekey", Value: "somevalue" },
      { Key: "someotherkey", Value: "someothervalue" },
    ];
    expect((await sim.iam.send(new GetRoleCommand({ RoleName: "r-tagging" }))).Role?.Tags).toEqual(both);
    expect(await sim.iam.send(new ListRoleTagsCommand({ RoleName: "r-tagging" }))).toMatchObject({ IsTruncated: false, Tags: both });
    await sim.iam.send(new TagRoleCommand({ RoleName: "r-tagging", Tags: [{ Key: "somekey", Value: "updatedvalue" }] }));
    expect((await sim.iam.send(new ListRoleTagsCommand({ RoleName: "r-tagging" }))).Tags).toEqual([
      { Key: "somekey", Value: "updatedvalue" },
      { Key: "someotherkey", Value: "someothervalue" },
    ]);
    await sim.iam.send(new TagRoleCommand({ RoleName: "r-tagging", Tags: [{ Key: "somekey", Value: "" }] }));
    expect((await sim.iam.send(new ListRoleTagsCommand({ RoleName: "r-tagging" }))).Tags?.[0]).toEqual({ Key: "somekey", Value: "" });
    await sim.iam.send(new UntagRoleCommand({ RoleName: "r-tagging", TagKeys: ["somekey"] }));
    expect((await sim.iam.send(new ListRoleTagsCommand({ RoleName: "r-tagging" }))).Tags).toEqual([{ Key: "someotherkey", Value: "someothervalue" }]);
    await sim.iam.send(new UntagRoleCommand({ RoleName: "r-tagging", TagKeys: ["someotherkey"] }));
    expect((await sim.iam.send(new ListRoleTagsCommand({ RoleName: "r-tagging" }))).Tags).toEqual([]);
  });

  it("test_role_tag_errors", async () => {
    const missing = noSuch("The role with name test-nonexistent-role cannot be found.");
    await expectAwsError(sim.iam.send(new TagRoleCommand({ RoleName: "test-nonexistent-role", Tags: [{ Key: "somekey", Value: "somevalue" }] })), missing);
    await expectAwsError(sim.iam.send(new UntagRoleCommand({ RoleName: "test-nonexistent-role", TagKeys: ["somekey"] })), missing);
    await expectAwsError(sim.iam.send(new ListRoleTagsCommand({ RoleName: "test-nonexistent-role" })), missing);
    const fiftyOne = Array.from({ length: 51 }, (_, x) => ({ Key: String(x), Value: String(x) }));
    const validation = (message: string) => ({ name: "ValidationError", status: 400, message: `1 validation error detected: ${message}` });
    const tooMany = validation("Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");
    await expectAwsError(sim.iam.send(new CreateRoleCommand({ RoleName: "r-tag-errs", AssumeRolePolicyDocument: TRUST, Tags: fiftyOne })), tooMany);
    await sim.iam.send(new CreateRoleCommand({ RoleName: "r-tag-errs", AssumeRolePolicyDocument: TRUST }));
    // Against an unknown role, too many tags is still the validation error.
    await expectAwsError(sim.iam.send(new TagRoleCommand({ RoleName: "test-nonexistent-role", Tags: fiftyOne })), tooMany);
    const dup = { name: "InvalidInputException", status: 400, message: "Duplicate tag keys found. Please note that Tag keys are case insensitive." };
    const keyLong = validation("Value at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128");
    const valueLong = validation("Value at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256");
    const badChar = validation(
      "Value at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+",
    );
    const cases: [{ Key: string; Value: string }[], object][] = [
      [
        [
          { Key: "dupkey", Value: "val1" },
          { Key: "dupkey", Value: "val2" },
        ],
        dup,
      ],
      [
        [
          { Key: "mykey", Value: "val1" },
          { Key: "MyKey", Value: "val2" },
        ],
        dup,
      ],
      [[{ Key: "k".repeat(129), Value: "value" }], keyLong],
      [[{ Key: "key", Value: "v".repeat(257) }], valueLong],
      [[{ Key: "invalid!key", Value: "value" }], badChar],
    ];
    let n = 0;
    for (const [Tags, error] of cases) {
      await expectAwsError(sim.iam.send(new CreateRoleCommand({ RoleName: `r-bad-tags-${n++}`, AssumeRolePolicyDocument: TRUST, Tags })), error as never);
      await expectAwsError(sim.iam.send(new TagRoleCommand({ RoleName: "r-tag-errs", Tags })), error as never);
    }
    await expectAwsError(
      sim.iam.send(new UntagRoleCommand({ RoleName: "r-tag-errs", TagKeys: Array.from({ length: 51 }, (_, x) => String(x)) })),
      validation("Value at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to 50"),
    );
    const keyMember = validation(
      "Value at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+, Member must not be null]",
    );
    await expectAwsError(sim.iam.send(new UntagRoleCommand({ RoleName: "r-tag-errs", TagKeys: ["k".repeat(129)] })), keyMember);
    await expectAwsError(sim.iam.send(new UntagRoleCommand({ RoleName: "r-tag-errs", TagKeys: ["invalid!key"] })), keyMember);
  });

  it("test_list_roles_pagination", async () => {
    for (let i = 0; i < 5; i++)
      await sim.iam.send(
        new CreateRoleCommand({
          RoleName: `role-0${i}-page`,
          AssumeRolePolicyDocument: TRUST,
          Path: "/test-pagination/",
          Description: i % 2 === 0 ? `Role ${i}` : undefined,
        }),
      );
    const all = await sim.iam.send(new ListRolesCommand({ PathPrefix: "/test-pagination/" }));
    expect(all.IsTruncated).toBe(false);
    expect(all.Roles?.map((r) => [r.RoleName, r.Description, r.MaxSessionDuration])).toEqual([
      ["role-00-page", "Role 0", 3600],
      ["role-01-page", undefined, 3600],
      ["role-02-page", "Role 2", 3600],
      ["role-03-page", undefined, 3600],
      ["role-04-page", "Role 4", 3600],
    ]);
    const first = await sim.iam.send(new ListRolesCommand({ PathPrefix: "/test-pagination/", MaxItems: 2 }));
    expect(first.IsTruncated).toBe(true);
    expect(first.Marker).toBeTruthy();
    expect(first.Roles?.map((r) => r.RoleName)).toEqual(["role-00-page", "role-01-page"]);
    const rest = await sim.iam.send(new ListRolesCommand({ PathPrefix: "/test-pagination/", Marker: first.Marker }));
    expect(rest.IsTruncated).toBe(false);
    expect(rest.Marker).toBeUndefined();
    expect(rest.Roles?.map((r) => r.RoleName)).toEqual(["role-02-page", "role-03-page", "role-04-page"]);
  });
});

describe("test_iam_mfa (recorded)", () => {
  it("test_virtual_mfa_device_lifecycle[None] / [/] / [/test-path/] / [/test//double/]", async () => {
    for (const [name, path] of [
      ["mfa-life-none", undefined],
      ["mfa-life-root", "/"],
      ["mfa-life-path", "/test-path/"],
      ["mfa-life-double", "/test//double/"],
    ] as const) {
      const created = (await sim.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: name, Path: path }))).VirtualMFADevice;
      expect(keys(created)).toEqual(["Base32StringSeed", "QRCodePNG", "SerialNumber"]);
      expect(created?.SerialNumber).toBe(`arn:aws:iam::${ACCOUNT}:mfa${path ?? "/"}${name}`);
      const listed = await sim.iam.send(new ListVirtualMFADevicesCommand({}));
      expect(listed.IsTruncated).toBe(false);
      expect(listed.VirtualMFADevices?.filter((d) => d.SerialNumber === created?.SerialNumber)).toEqual([{ SerialNumber: created?.SerialNumber }]);
      expect((await sim.iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: created?.SerialNumber }))).$metadata.httpStatusCode).toBe(200);
      expect((await sim.iam.send(new ListVirtualMFADevicesCommand({}))).VirtualMFADevices?.map((d) => d.SerialNumber)).not.toContain(created?.SerialNumber);
    }
  });

  it("test_list_virtual_mfa_devices", async () => {
    const serials: string[] = [];
    for (let i = 0; i < 3; i++)
      serials.push((await sim.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `mfa-list-${i}` }))).VirtualMFADevice?.SerialNumber ?? "");
    const mine = async (AssignmentStatus?: "Assigned" | "Unassigned" | "Any") => {
      const r = await sim.iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus }));
      expect(r.IsTruncated).toBe(false);
      return r.VirtualMFADevices?.filter((d) => serials.includes(d.SerialNumber ?? ""));
    };
    const bare = serials.map((SerialNumber) => ({ SerialNumber }));
    expect(await mine("Unassigned")).toEqual(bare);
    expect(await mine("Assigned")).toEqual([]);
    expect(await mine("Any")).toEqual(bare);
    const one = await sim.iam.send(new ListVirtualMFADevicesCommand({ MaxItems: 1 }));
    expect(one.VirtualMFADevices).toHaveLength(1);
    expect(one.IsTruncated).toBe(true);
    expect((await sim.iam.send(new ListVirtualMFADevicesCommand({ Marker: one.Marker, MaxItems: 1 }))).VirtualMFADevices).toHaveLength(1);
    await expectAwsError(sim.iam.send(new ListVirtualMFADevicesCommand({ Marker: "invalid-marker-value" })), {
      name: "ValidationError",
      status: 400,
      message: "Invalid Marker.",
    });
  });

  it("test_enable_virtual_mfa_device / test_enable_mfa_device_already_attached", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "u-mfa" }));
    const device = (await sim.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "mfa-enable" }))).VirtualMFADevice;
    expect(await sim.iam.send(new ListMFADevicesCommand({ UserName: "u-mfa" }))).toMatchObject({ IsTruncated: false, MFADevices: [] });
    expect((await enableMfa("u-mfa", device)).$metadata.httpStatusCode).toBe(200);
    const after = await sim.iam.send(new ListMFADevicesCommand({ UserName: "u-mfa" }));
    expect(after.IsTruncated).toBe(false);
    expect(after.MFADevices?.map((d) => [keys(d), d.SerialNumber, d.UserName])).toEqual([
      [["EnableDate", "SerialNumber", "UserName"], device?.SerialNumber, "u-mfa"],
    ]);
    const assigned = (await sim.iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: "Assigned" }))).VirtualMFADevices?.filter(
      (d) => d.SerialNumber === device?.SerialNumber,
    );
    expect(assigned?.map((d) => [keys(d), keys(d.User), d.User?.UserName])).toEqual([
      [["EnableDate", "SerialNumber", "User"], ["Arn", "CreateDate", "Path", "UserId", "UserName"], "u-mfa"],
    ]);
    expect(
      (await sim.iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: "Unassigned" }))).VirtualMFADevices?.map((d) => d.SerialNumber),
    ).not.toContain(device?.SerialNumber);

    await sim.iam.send(new CreateUserCommand({ UserName: "u-mfa-2" }));
    await expectAwsError(enableMfa("u-mfa-2", device), { name: "EntityAlreadyExistsException", status: 409, message: "MFA Device is already in use." });

    const off = await sim.iam.send(new DeactivateMFADeviceCommand({ UserName: "u-mfa", SerialNumber: device?.SerialNumber }));
    expect(off.$metadata.httpStatusCode).toBe(200);
    expect((await sim.iam.send(new ListMFADevicesCommand({ UserName: "u-mfa" }))).MFADevices).toEqual([]);
    expect(
      (await sim.iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: "Assigned" }))).VirtualMFADevices?.map((d) => d.SerialNumber),
    ).not.toContain(device?.SerialNumber);
  });

  it("test_enable_mfa_device_errors", async () => {
    const device = (await sim.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "mfa-errs" }))).VirtualMFADevice;
    const missing = noSuch("The user with name nonexistent-user cannot be found.");
    await expectAwsError(
      sim.iam.send(
        new EnableMFADeviceCommand({
          UserName: "nonexistent-user",
          SerialNumber: device?.SerialNumber,
          AuthenticationCode1: "123456",
          AuthenticationCode2: "654321",
        }),
      ),
      missing,
    );
    await expectAwsError(sim.iam.send(new DeactivateMFADeviceCommand({ UserName: "nonexistent-user", SerialNumber: device?.SerialNumber })), missing);
    await sim.iam.send(new CreateUserCommand({ UserName: "u-mfa-errs" }));
    const serial = `arn:aws:iam::${ACCOUNT}:mfa/nonexistent-mfa`;
    await expectAwsError(
      sim.iam.send(new DeactivateMFADeviceCommand({ UserName: "u-mfa-errs", SerialNumber: serial })),
      noSuch(`MFA Device with serial number ${serial} does not exist.`),
    );
  });
});

describe("test_iam_oidc (recorded)", () => {
  const A = "a".repeat(40);

  it("test_create_open_id_connect_provider / test_list_open_id_connect_providers", async () => {
    const arns: string[] = [];
    for (const [Url, extra] of [
      ["https://oidc-basic.example.com", {}],
      ["https://oidc-client.example.com", { ClientIDList: ["my-client-id"] }],
      ["https://oidc-path.example.com/oidc", {}],
    ] as [string, { ClientIDList?: string[] }][]) {
      const r = await sim.iam.send(new CreateOpenIDConnectProviderCommand({ Url, ThumbprintList: [A], ...extra }));
      expect(r.OpenIDConnectProviderArn).toBe(`arn:aws:iam::${ACCOUNT}:oidc-provider/${Url.slice("https://".length)}`);
      arns.push(r.OpenIDConnectProviderArn ?? "");
    }
    const listed = (await sim.iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList?.map((p) => p.Arn);
    expect(listed?.filter((a) => arns.includes(a ?? ""))).toEqual(arns);
  });

  it("test_create_open_id_connect_provider_duplicate_error / _quota_error / _validation_errors", async () => {
    await sim.iam.send(new CreateOpenIDConnectProviderCommand({ Url: "https://oidc-dup.example.com", ThumbprintList: [A] }));
    await expectAwsError(sim.iam.send(new CreateOpenIDConnectProviderCommand({ Url: "https://oidc-dup.example.com", ThumbprintList: [A] })), {
      name: "EntityAlreadyExistsException",
      status: 409,
      message: "Provider with url https://oidc-dup.example.com already exists.",
    });
    await expectAwsError(
      sim.iam.send(
        new CreateOpenIDConnectProviderCommand({
          Url: "https://oidc-clients.example.com",
          ThumbprintList: [A],
          ClientIDList: Array.from({ length: 101 }, (_, i) => `${i}`),
        }),
      ),
      { name: "LimitExceededException", status: 409, message: "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100" },
    );
    await expectAwsError(
      sim.iam.send(new CreateOpenIDConnectProviderCommand({ Url: "b".repeat(256), ThumbprintList: ["b".repeat(41)], ClientIDList: ["b".repeat(256)] })),
      {
        name: "ValidationError",
        status: 400,
        message:
          "3 validation errors detected: Value at 'clientIDList' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 1]; Value at 'thumbprintList' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 40, Member must have length greater than or equal to 40]; Value at 'url' failed to satisfy constraint: Member must have length less than or equal to 255",
      },
    );
  });

  it("test_get_open_id_connect_provider_not_found / test_update_open_id_connect_provider_thumbprint", async () => {
    const fake = `arn:aws:iam::${ACCOUNT}:oidc-provider/non-existent.example.com`;
    await expectAwsError(
      sim.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: fake })),
      noSuch(`OpenIDConnect Provider not found for arn ${fake}`),
    );
    const arn = (await sim.iam.send(new CreateOpenIDConnectProviderCommand({ Url: "https://oidc-update.example.com", ThumbprintList: ["b".repeat(40)] })))
      .OpenIDConnectProviderArn;
    await sim.iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: arn, ThumbprintList: ["c".repeat(40), "d".repeat(40)] }));
    const got = await sim.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    expect([got.ClientIDList, got.Tags, got.ThumbprintList, got.Url]).toEqual([[], [], ["c".repeat(40), "d".repeat(40)], "oidc-update.example.com"]);
    expect(got.CreateDate).toBeInstanceOf(Date);
  });

  it("test_tag_open_id_connect_provider / test_untag_… / test_list_open_id_connect_provider_tags / _tags_max_items", async () => {
    const arn = (await sim.iam.send(new CreateOpenIDConnectProviderCommand({ Url: "https://oidc-tag.example.com", ThumbprintList: [A] })))
      .OpenIDConnectProviderArn;
    const two = [
      { Key: "k1", Value: "v1" },
      { Key: "k2", Value: "v2" },
    ];
    await sim.iam.send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, Tags: two }));
    expect((await sim.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }))).Tags).toEqual(two);
    await sim.iam.send(new UntagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, TagKeys: ["k2"] }));
    expect((await sim.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }))).Tags).toEqual([{ Key: "k1", Value: "v1" }]);

    const listArn = (await sim.iam.send(new CreateOpenIDConnectProviderCommand({ Url: "https://oidc-listtags.example.com", ThumbprintList: [A], Tags: two })))
      .OpenIDConnectProviderArn;
    expect(await sim.iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: listArn }))).toMatchObject({
      IsTruncated: false,
      Tags: two,
    });

    const ten = Array.from({ length: 10 }, (_, i) => ({ Key: `k${String(i).padStart(2, "0")}`, Value: `v${i}` }));
    const maxArn = (await sim.iam.send(new CreateOpenIDConnectProviderCommand({ Url: "https://oidc-tagsmax.example.com", ThumbprintList: [A], Tags: ten })))
      .OpenIDConnectProviderArn;
    const p1 = await sim.iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: maxArn, MaxItems: 4 }));
    expect(p1.Tags).toHaveLength(4);
    const p2 = await sim.iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: maxArn, MaxItems: 4, Marker: p1.Marker }));
    expect(p2.Tags).toHaveLength(4);
    const p3 = await sim.iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: maxArn, Marker: p2.Marker }));
    expect([p3.Tags?.length, p3.Marker]).toEqual([2, undefined]);
    expect([...(p1.Tags ?? []), ...(p2.Tags ?? []), ...(p3.Tags ?? [])]).toEqual(ten);
  });
});

describe("test_iam_saml_providers (recorded)", () => {
  const metadata = (host: string) => `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://${host}/">
<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://${host}/sso"/>
</md:IDPSSODescriptor></md:EntityDescriptor>${"<!-- padding -->".repeat(60)}`;

  it("test_create_saml_provider / test_get_saml_provider / test_update_saml_provider / test_list_saml_providers / test_delete_saml_provider", async () => {
    const created = await sim.iam.send(new CreateSAMLProviderCommand({ Name: "TestSAMLProvider-rec", SAMLMetadataDocument: metadata("test-idp.example.com") }));
    const arn = `arn:aws:iam::${ACCOUNT}:saml-provider/TestSAMLProvider-rec`;
    expect(created.SAMLProviderArn).toBe(arn);
    const got = await sim.iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arn }));
    const { $metadata: _, ...fields } = got;
    expect(keys(fields)).toEqual(["AssertionEncryptionMode", "CreateDate", "PrivateKeyList", "SAMLMetadataDocument", "SAMLProviderUUID", "Tags", "ValidUntil"]);
    const updated = await sim.iam.send(new UpdateSAMLProviderCommand({ SAMLProviderArn: arn, SAMLMetadataDocument: metadata("updated-idp.example.com") }));
    expect(updated.SAMLProviderArn).toBe(arn);
    const after = await sim.iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arn }));
    expect(after.SAMLMetadataDocument).toContain("updated-idp.example.com");
    expect(after.SAMLProviderUUID).toBe(got.SAMLProviderUUID);
    const listed = (await sim.iam.send(new ListSAMLProvidersCommand({}))).SAMLProviderList?.filter((p) => p.Arn === arn);
    expect(listed?.map((p) => keys(p))).toEqual([["Arn", "CreateDate", "ValidUntil"]]);
    expect((await sim.iam.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: arn }))).$metadata.httpStatusCode).toBe(200);
    expect((await sim.iam.send(new ListSAMLProvidersCommand({}))).SAMLProviderList?.map((p) => p.Arn)).not.toContain(arn);
  });

  it("test_get_saml_provider_not_found / test_delete_saml_provider_not_found", async () => {
    const fake = `arn:aws:iam::${ACCOUNT}:saml-provider/NonExistentProvider`;
    await expectAwsError(sim.iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: fake })), noSuch(`Manifest not found for arn ${fake}`));
    await expectAwsError(sim.iam.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: fake })), noSuch(`Manifest not found for arn ${fake}`));
  });
});

/** Self-signed RSA certificates and their keys, made with openssl (as test/sdk/iam-parity-account.test.ts does). */
function certificates(n: number): { cert: string; key: string }[] {
  const dir = mkdtempSync(join(tmpdir(), "iam-recorded-split-"));
  try {
    return Array.from({ length: n }, (_, i) => {
      const [k, c] = [join(dir, `k${i}.pem`), join(dir, `c${i}.pem`)];
      execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", k, "-out", c, "-days", "2", "-subj", `/CN=recorded-${i}`], {
        stdio: "ignore",
      });
      return { cert: readFileSync(c, "utf8"), key: readFileSync(k, "utf8") };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("test_iam_server_certificates / test_iam_signing_certificates (recorded)", () => {
  let certs: { cert: string; key: string }[] = [];
  beforeAll(() => {
    certs = certificates(4);
  });
  afterAll(() => {
    certs = [];
  });
  const META_KEYS = ["Arn", "Expiration", "Path", "ServerCertificateId", "ServerCertificateName", "UploadDate"];

  it("test_server_certificate_lifecycle[None] / [/] / [/test-path/]", async () => {
    for (const [name, path] of [
      ["cert-none", undefined],
      ["cert-root", "/"],
      ["cert-path", "/test-path/"],
    ] as const) {
      const up = (
        await sim.iam.send(
          new UploadServerCertificateCommand({ ServerCertificateName: name, CertificateBody: certs[0].cert, PrivateKey: certs[0].key, Path: path }),
        )
      ).ServerCertificateMetadata;
      expect(keys(up)).toEqual(META_KEYS);
      expect(up).toMatchObject({ Arn: `arn:aws:iam::${ACCOUNT}:server-certificate${path ?? "/"}${name}`, Path: path ?? "/", ServerCertificateName: name });
      const listed = await sim.iam.send(new ListServerCertificatesCommand({}));
      expect(listed.IsTruncated).toBe(false);
      expect(listed.ServerCertificateMetadataList?.filter((c) => c.ServerCertificateName === name)).toEqual([up]);
      if (path === "/test-path/")
        expect((await sim.iam.send(new ListServerCertificatesCommand({ PathPrefix: path }))).ServerCertificateMetadataList).toEqual([up]);
      const got = (await sim.iam.send(new GetServerCertificateCommand({ ServerCertificateName: name }))).ServerCertificate;
      expect(keys(got)).toEqual(["CertificateBody", "ServerCertificateMetadata", "Tags"]);
      expect([got?.ServerCertificateMetadata, got?.Tags]).toEqual([up, []]);
      expect((await sim.iam.send(new DeleteServerCertificateCommand({ ServerCertificateName: name }))).$metadata.httpStatusCode).toBe(200);
      await expectAwsError(
        sim.iam.send(new GetServerCertificateCommand({ ServerCertificateName: name })),
        noSuch(`The Server Certificate with name ${name} cannot be found.`),
      );
    }
  });

  it("test_server_certificate_with_chain / test_server_certificate_errors", async () => {
    await sim.iam.send(
      new UploadServerCertificateCommand({
        ServerCertificateName: "cert-chain",
        CertificateBody: certs[1].cert,
        PrivateKey: certs[1].key,
        CertificateChain: certs[2].cert,
      }),
    );
    const got = (await sim.iam.send(new GetServerCertificateCommand({ ServerCertificateName: "cert-chain" }))).ServerCertificate;
    expect(keys(got)).toEqual(["CertificateBody", "CertificateChain", "ServerCertificateMetadata", "Tags"]);

    const missing = noSuch("The Server Certificate with name nonexistent-certificate cannot be found.");
    await expectAwsError(sim.iam.send(new GetServerCertificateCommand({ ServerCertificateName: "nonexistent-certificate" })), missing);
    await expectAwsError(sim.iam.send(new DeleteServerCertificateCommand({ ServerCertificateName: "nonexistent-certificate" })), missing);
    await sim.iam.send(new UploadServerCertificateCommand({ ServerCertificateName: "cert-dup", CertificateBody: certs[0].cert, PrivateKey: certs[0].key }));
    await expectAwsError(
      sim.iam.send(new UploadServerCertificateCommand({ ServerCertificateName: "cert-dup", CertificateBody: certs[0].cert, PrivateKey: certs[0].key })),
      { name: "EntityAlreadyExistsException", status: 409, message: "The Server Certificate with name cert-dup already exists." },
    );
  });

  it("test_signing_certificate_lifecycle", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "u-signing" }));
    const up = (await sim.iam.send(new UploadSigningCertificateCommand({ UserName: "u-signing", CertificateBody: certs[0].cert }))).Certificate;
    expect(keys(up)).toEqual(["CertificateBody", "CertificateId", "Status", "UploadDate", "UserName"]);
    expect([up?.Status, up?.UserName]).toEqual(["Active", "u-signing"]);
    const list = () => sim.iam.send(new ListSigningCertificatesCommand({ UserName: "u-signing" }));
    const listed = await list();
    expect(listed.IsTruncated).toBe(false);
    expect(listed.Certificates).toEqual([up]);
    await sim.iam.send(new UpdateSigningCertificateCommand({ UserName: "u-signing", CertificateId: up?.CertificateId, Status: "Inactive" }));
    expect((await list()).Certificates?.map((c) => c.Status)).toEqual(["Inactive"]);
    await sim.iam.send(new UpdateSigningCertificateCommand({ UserName: "u-signing", CertificateId: up?.CertificateId, Status: "Active" }));
    expect((await list()).Certificates?.map((c) => c.Status)).toEqual(["Active"]);
    expect(
      (await sim.iam.send(new DeleteSigningCertificateCommand({ UserName: "u-signing", CertificateId: up?.CertificateId }))).$metadata.httpStatusCode,
    ).toBe(200);
    expect(await list()).toMatchObject({ Certificates: [], IsTruncated: false });
  });

  it("test_signing_certificate_errors", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "u-signing-errs" }));
    const missing = noSuch("The user with name nonexistent-user cannot be found.");
    const id = "NONEXISTENTCERTID12345678901";
    await expectAwsError(sim.iam.send(new UploadSigningCertificateCommand({ UserName: "nonexistent-user", CertificateBody: certs[1].cert })), missing);
    await expectAwsError(sim.iam.send(new ListSigningCertificatesCommand({ UserName: "nonexistent-user" })), missing);
    await expectAwsError(sim.iam.send(new DeleteSigningCertificateCommand({ UserName: "nonexistent-user", CertificateId: id })), missing);
    await expectAwsError(sim.iam.send(new UpdateSigningCertificateCommand({ UserName: "nonexistent-user", CertificateId: id, Status: "Inactive" })), missing);
    await expectAwsError(sim.iam.send(new UploadSigningCertificateCommand({ UserName: "u-signing-errs", CertificateBody: "invalid-certificate-body" })), {
      name: "MalformedCertificateException",
      status: 400,
      message: "Certificate invalid-certificate-body is malformed.",
    });
    const noCert = noSuch(`The Certificate with id ${id} cannot be found.`);
    await expectAwsError(sim.iam.send(new UpdateSigningCertificateCommand({ UserName: "u-signing-errs", CertificateId: id, Status: "Inactive" })), noCert);
    await expectAwsError(sim.iam.send(new DeleteSigningCertificateCommand({ UserName: "u-signing-errs", CertificateId: id })), noCert);
    await sim.iam.send(new UploadSigningCertificateCommand({ UserName: "u-signing-errs", CertificateBody: certs[1].cert }));
    await sim.iam.send(new UploadSigningCertificateCommand({ UserName: "u-signing-errs", CertificateBody: certs[2].cert }));
    await expectAwsError(sim.iam.send(new UploadSigningCertificateCommand({ UserName: "u-signing-errs", CertificateBody: certs[3].cert })), {
      name: "LimitExceededException",
      status: 409,
      message: "Cannot exceed quota for CertificatesPerUser: 2",
    });
  });
});

describe("test_iam_ssh_public_keys (recorded)", () => {
  const KEY_KEYS = ["Fingerprint", "SSHPublicKeyBody", "SSHPublicKeyId", "Status", "UploadDate", "UserName"];
  const FAKE = "APKAXXXXXXXXXXXXXXXXX";

  it("test_upload_ssh_public_key / test_get_ssh_public_key / test_list_ssh_public_keys / test_update_ssh_public_key / test_delete_ssh_public_key", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "u-ssh" }));
    expect(await sim.iam.send(new ListSSHPublicKeysCommand({ UserName: "u-ssh" }))).toMatchObject({ IsTruncated: false, SSHPublicKeys: [] });
    const up = (await sim.iam.send(new UploadSSHPublicKeyCommand({ UserName: "u-ssh", SSHPublicKeyBody: sshRsaKey("recorded").body }))).SSHPublicKey;
    expect(keys(up)).toEqual(KEY_KEYS);
    expect([up?.Status, up?.UserName]).toEqual(["Active", "u-ssh"]);
    const got = (await sim.iam.send(new GetSSHPublicKeyCommand({ UserName: "u-ssh", SSHPublicKeyId: up?.SSHPublicKeyId, Encoding: "SSH" }))).SSHPublicKey;
    expect(got).toEqual(up);
    const listed = await sim.iam.send(new ListSSHPublicKeysCommand({ UserName: "u-ssh" }));
    expect(listed.IsTruncated).toBe(false);
    expect(listed.SSHPublicKeys?.map((k) => keys(k))).toEqual([["SSHPublicKeyId", "Status", "UploadDate", "UserName"]]);
    expect(
      (await sim.iam.send(new UpdateSSHPublicKeyCommand({ UserName: "u-ssh", SSHPublicKeyId: up?.SSHPublicKeyId, Status: "Inactive" }))).$metadata
        .httpStatusCode,
    ).toBe(200);
    expect(
      (await sim.iam.send(new GetSSHPublicKeyCommand({ UserName: "u-ssh", SSHPublicKeyId: up?.SSHPublicKeyId, Encoding: "SSH" }))).SSHPublicKey?.Status,
    ).toBe("Inactive");
    expect((await sim.iam.send(new DeleteSSHPublicKeyCommand({ UserName: "u-ssh", SSHPublicKeyId: up?.SSHPublicKeyId }))).$metadata.httpStatusCode).toBe(200);
    expect(await sim.iam.send(new ListSSHPublicKeysCommand({ UserName: "u-ssh" }))).toMatchObject({ IsTruncated: false, SSHPublicKeys: [] });
  });

  it("test_get_ssh_public_key_not_found / test_update_ssh_public_key_not_found / test_delete_ssh_public_key_not_found", async () => {
    await sim.iam.send(new CreateUserCommand({ UserName: "u-ssh-missing" }));
    const missing = noSuch(`The Public Key with id ${FAKE} cannot be found.`);
    await expectAwsError(sim.iam.send(new GetSSHPublicKeyCommand({ UserName: "u-ssh-missing", SSHPublicKeyId: FAKE, Encoding: "SSH" })), missing);
    await expectAwsError(sim.iam.send(new UpdateSSHPublicKeyCommand({ UserName: "u-ssh-missing", SSHPublicKeyId: FAKE, Status: "Inactive" })), missing);
    await expectAwsError(sim.iam.send(new DeleteSSHPublicKeyCommand({ UserName: "u-ssh-missing", SSHPublicKeyId: FAKE })), missing);
  });
});

describe("test_iam_account_password_policy / test_iam_account_aliases / test_iam_account_summary / test_iam_credential_report (recorded)", () => {
  it("test_update_account_password_policy_defaults / _custom_values / _validation_errors / test_get_…_not_found / test_delete_account_password_policy(_not_found)", async () => {
    const noPolicy = noSuch(`The Password Policy with domain name ${ACCOUNT} cannot be found.`);
    await expectAwsError(sim.iam.send(new GetAccountPasswordPolicyCommand({})), noPolicy);
    await expectAwsError(sim.iam.send(new DeleteAccountPasswordPolicyCommand({})), noSuch("The account policy with name PasswordPolicy cannot be found."));
    expect((await sim.iam.send(new UpdateAccountPasswordPolicyCommand({}))).$metadata.httpStatusCode).toBe(200);
    expect((await sim.iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy).toEqual({
      AllowUsersToChangePassword: false,
      ExpirePasswords: false,
      MinimumPasswordLength: 6,
      RequireLowercaseCharacters: false,
      RequireNumbers: false,
      RequireSymbols: false,
      RequireUppercaseCharacters: false,
    });
    await sim.iam.send(
      new UpdateAccountPasswordPolicyCommand({
        AllowUsersToChangePassword: true,
        HardExpiry: true,
        MaxPasswordAge: 60,
        MinimumPasswordLength: 10,
        PasswordReusePrevention: 3,
        RequireLowercaseCharacters: true,
        RequireNumbers: true,
        RequireSymbols: true,
        RequireUppercaseCharacters: true,
      }),
    );
    expect((await sim.iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy).toEqual({
      AllowUsersToChangePassword: true,
      ExpirePasswords: true,
      HardExpiry: true,
      MaxPasswordAge: 60,
      MinimumPasswordLength: 10,
      PasswordReusePrevention: 3,
      RequireLowercaseCharacters: true,
      RequireNumbers: true,
      RequireSymbols: true,
      RequireUppercaseCharacters: true,
    });
    await expectAwsError(
      sim.iam.send(new UpdateAccountPasswordPolicyCommand({ MaxPasswordAge: 1096, MinimumPasswordLength: 129, PasswordReusePrevention: 25 })),
      {
        name: "ValidationError",
        status: 400,
        message:
          "3 validation errors detected: Value at 'minimumPasswordLength' failed to satisfy constraint: Member must have value less than or equal to 128; Value at 'passwordReusePrevention' failed to satisfy constraint: Member must have value less than or equal to 24; Value at 'maxPasswordAge' failed to satisfy constraint: Member must have value less than or equal to 1095",
      },
    );
    expect((await sim.iam.send(new DeleteAccountPasswordPolicyCommand({}))).$metadata.httpStatusCode).toBe(200);
    await expectAwsError(sim.iam.send(new GetAccountPasswordPolicyCommand({})), noPolicy);
  });

  it("test_account_alias_lifecycle", async () => {
    expect((await sim.iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual([]);
    expect((await sim.iam.send(new CreateAccountAliasCommand({ AccountAlias: "alias-recorded" }))).$metadata.httpStatusCode).toBe(200);
    expect((await sim.iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(["alias-recorded"]);
    expect((await sim.iam.send(new DeleteAccountAliasCommand({ AccountAlias: "alias-recorded" }))).$metadata.httpStatusCode).toBe(200);
    expect((await sim.iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual([]);
  });

  it("test_get_account_summary_format", async () => {
    const { SummaryMap } = await sim.iam.send(new GetAccountSummaryCommand({}));
    expect(keys(SummaryMap)).toEqual(
      [
        "AccessKeysPerUserQuota",
        "AccountAccessKeysPresent",
        "AccountMFAEnabled",
        "AccountPasswordPresent",
        "AccountSigningCertificatesPresent",
        "AssumeRolePolicySizeQuota",
        "AttachedPoliciesPerGroupQuota",
        "AttachedPoliciesPerRoleQuota",
        "AttachedPoliciesPerUserQuota",
        "GlobalEndpointTokenVersion",
        "GroupPolicySizeQuota",
        "Groups",
        "GroupsPerUserQuota",
        "GroupsQuota",
        "InstanceProfiles",
        "InstanceProfilesQuota",
        "MFADevices",
        "MFADevicesInUse",
        "Policies",
        "PoliciesQuota",
        "PolicySizeQuota",
        "PolicyVersionsInUse",
        "PolicyVersionsInUseQuota",
        "Providers",
        "RolePolicySizeQuota",
        "Roles",
        "RolesQuota",
        "ServerCertificates",
        "ServerCertificatesQuota",
        "SigningCertificatesPerUserQuota",
        "UserPolicySizeQuota",
        "Users",
        "UsersQuota",
        "VersionsPerPolicyQuota",
      ].sort(),
    );
    expect(SummaryMap).toMatchObject({
      AccessKeysPerUserQuota: 2,
      AccountAccessKeysPresent: 0,
      AccountMFAEnabled: 0,
      AccountSigningCertificatesPresent: 0,
      AssumeRolePolicySizeQuota: 2048,
      AttachedPoliciesPerGroupQuota: 10,
      AttachedPoliciesPerRoleQuota: 10,
      AttachedPoliciesPerUserQuota: 10,
      GlobalEndpointTokenVersion: 1,
      GroupPolicySizeQuota: 5120,
      GroupsPerUserQuota: 10,
      GroupsQuota: 300,
      InstanceProfilesQuota: 1000,
      PoliciesQuota: 1500,
      PolicySizeQuota: 6144,
      PolicyVersionsInUseQuota: 10000,
      RolePolicySizeQuota: 10240,
      RolesQuota: 1000,
      ServerCertificatesQuota: 20,
      SigningCertificatesPerUserQuota: 2,
      UserPolicySizeQuota: 2048,
      UsersQuota: 5000,
      VersionsPerPolicyQuota: 5,
    });
  });

  it("test_get_account_summary_with_resources", async () => {
    const counted = [
      "AccountPasswordPresent",
      "Groups",
      "InstanceProfiles",
      "MFADevices",
      "MFADevicesInUse",
      "Policies",
      "PolicyVersionsInUse",
      "Providers",
      "Roles",
      "ServerCertificates",
      "Users",
    ];
    const before: Record<string, number> = (await sim.iam.send(new GetAccountSummaryCommand({}))).SummaryMap ?? {};
    await sim.iam.send(new CreateUserCommand({ UserName: "u-summary" }));
    await sim.iam.send(new CreateGroupCommand({ GroupName: "g-summary" }));
    await sim.iam.send(new CreateRoleCommand({ RoleName: "r-summary", AssumeRolePolicyDocument: TRUST }));
    const arn = (await sim.iam.send(new CreatePolicyCommand({ PolicyName: "p-summary", PolicyDocument: MOCK_POLICY }))).Policy?.Arn;
    await sim.iam.send(new AttachRolePolicyCommand({ RoleName: "r-summary", PolicyArn: arn }));
    await sim.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "ip-summary" }));
    await sim.iam.send(new CreateOpenIDConnectProviderCommand({ Url: "https://oidc-summary.example.com", ThumbprintList: ["a".repeat(40)] }));
    await sim.iam.send(
      new CreateSAMLProviderCommand({
        Name: "saml-summary",
        SAMLMetadataDocument: `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://summary.example.com/"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://summary.example.com/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>${"<!-- padding -->".repeat(60)}`,
      }),
    );
    const device = (await sim.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "mfa-summary" }))).VirtualMFADevice;
    await enableMfa("u-summary", device);
    const [cert] = certificates(1);
    await sim.iam.send(new UploadServerCertificateCommand({ ServerCertificateName: "cert-summary", CertificateBody: cert.cert, PrivateKey: cert.key }));
    const after: Record<string, number> = (await sim.iam.send(new GetAccountSummaryCommand({}))).SummaryMap ?? {};
    expect(Object.fromEntries(counted.map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)]))).toEqual({
      AccountPasswordPresent: 0,
      Groups: 1,
      InstanceProfiles: 1,
      MFADevices: 1,
      MFADevicesInUse: 1,
      Policies: 1,
      PolicyVersionsInUse: 1,
      Providers: 2,
      Roles: 1,
      ServerCertificates: 1,
      Users: 1,
    });
  });

  it("test_get_credential_report_before_generated", async () => {
    await expectAwsError(sim.iam.send(new GetCredentialReportCommand({})), { name: "CredentialReportNotPresentException", status: 410 });
  });
});
