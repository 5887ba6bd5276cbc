/** Users, groups and memberships, access keys, login profiles, SSH keys, service-specific credentials, signing certificates. */
import { createHash, createPublicKey, randomBytes, X509Certificate } from "node:crypto";
import { secretAccessKey } from "../core/ids.js";
import type { Ctx, Handler } from "../core/types.js";
import { E } from "./errors.js";
import { attach, BOUNDARY_TYPE, boundaryArn, detach, getPolicy, listAttached, listInline, putInline } from "./policies.js";
import {
  type AccessKey,
  accountKeyId,
  applyTags,
  bool,
  byName,
  enc,
  type Group,
  type IamState,
  type Input,
  iamArn,
  iamId,
  keyInSlot,
  keySlot,
  lastSegment,
  page,
  type ServiceCredential,
  st,
  str,
  tagsIn,
  tagsOut,
  type User,
  taggingOps,
} from "./state.js";

export function getUser(s: IamState, name: string): User {
  const u = s.users.get(name);
  if (!u) throw E.noSuch(`The user with name ${name} cannot be found.`);
  return u;
}

export function getGroup(s: IamState, name: string): Group {
  const g = s.groups.get(name);
  if (!g) throw E.noSuch(`The group with name ${name} cannot be found.`);
  return g;
}

export const userOut = (u: User, full = true) => ({
  Path: u.path,
  UserName: u.name,
  UserId: u.id,
  Arn: u.arn,
  CreateDate: u.created,
  PasswordLastUsed: u.passwordLastUsed,
  PermissionsBoundary: full && u.boundary ? { PermissionsBoundaryType: BOUNDARY_TYPE, PermissionsBoundaryArn: u.boundary } : undefined,
  Tags: full ? tagsOut(u.tags) : undefined,
});

export const groupOut = (g: Group) => ({ Path: g.path, GroupName: g.name, GroupId: g.id, Arn: g.arn, CreateDate: g.created });

/**
 * The user an operation acts on: UserName when given, else the calling IAM user; undefined for the
 * account root; an error for other callers (roles, federated users), as IAM answers.
 */
export function targetUser(ctx: Ctx, v: Input): User | undefined {
  const s = st(ctx);
  if (v.UserName !== undefined && v.UserName !== "") return getUser(s, String(v.UserName));
  const c = ctx.caller;
  if (!c || c.kind === "root") return undefined;
  if (c.kind === "user") return getUser(s, lastSegment(c.arn));
  throw E.validation("Must specify userName when calling with non-User credentials");
}

function requireUser(ctx: Ctx, v: Input): User {
  const u = targetUser(ctx, v);
  if (!u) throw E.validation("Must specify userName when calling with non-User credentials");
  return u;
}

const keyOut = (u: User | undefined, k: AccessKey) => ({ UserName: u?.name, AccessKeyId: k.id, Status: k.status, CreateDate: k.created });

function findKey(ctx: Ctx, v: Input): { u?: User; k: AccessKey; list: AccessKey[] } {
  const u = targetUser(ctx, v);
  const list = u ? u.keys : st(ctx).rootKeys;
  const k = list.find((x) => x.id === String(v.AccessKeyId));
  if (!k) throw E.noSuch(`The Access Key with id ${v.AccessKeyId} cannot be found.`);
  return { u, k, list };
}

/** ssh-rsa / ssh-ed25519 / ecdsa keys (OpenSSH one-line format) and PEM public keys: the MD5 fingerprint IAM shows. */
function sshFingerprint(body: string): { fingerprint: string; blob: Buffer } {
  const m = /^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp\d+)\s+([A-Za-z0-9+/=]+)(\s.*)?$/.exec(body.trim());
  let blob: Buffer;
  if (m) blob = Buffer.from(m[2]!, "base64");
  else if (body.includes("-----BEGIN")) {
    try {
      blob = createPublicKey(body).export({ type: "spki", format: "der" });
    } catch {
      throw E.invalidPublicKey("The public key is not valid.");
    }
  } else throw E.unrecognizedKeyEncoding("The public key encoding format is unsupported or unrecognized.");
  if (m && blob.readUInt32BE(0) !== m[1]!.length) throw E.invalidPublicKey("The public key is not valid.");
  const hex = createHash("md5").update(blob).digest("hex");
  return { fingerprint: hex.match(/../g)!.join(":"), blob };
}

const SSC_SERVICES = new Set(["codecommit.amazonaws.com", "cassandra.amazonaws.com", "bedrock.amazonaws.com"]);
/** The services whose service-specific credentials are API keys (alias and secret) rather than a user name and password. */
const API_KEY_SERVICES = new Set(["bedrock.amazonaws.com"]);

function certificate(body: string) {
  try {
    return new X509Certificate(body);
  } catch {
    // Signing certificates quote what was sent (recorded from AWS).
    throw E.malformedCert(`Certificate ${body} is malformed.`);
  }
}

export const userOps: Record<string, Handler<Input>> = {
  CreateUser(ctx, v) {
    const s = st(ctx);
    const name = String(v.UserName);
    const path = str(v.Path) ?? "/";
    if ([...s.users.keys()].some((k) => k.toLowerCase() === name.toLowerCase())) throw E.exists(`User with name ${name} already exists.`);
    const boundary = boundaryArn(s, str(v.PermissionsBoundary));
    const u: User = {
      name,
      path,
      arn: iamArn(s, "user", path, name),
      id: iamId("AIDA"),
      created: ctx.now(),
      tags: applyTags([], tagsIn(v), "TagsPerUser"),
      inline: new Map(),
      attached: new Set(),
      boundary,
      keys: [],
      mfa: [],
      ssh: [],
      serviceCreds: [],
      certs: [],
    };
    s.users.set(name, u);
    return { User: userOut(u) };
  },
  GetUser(ctx, v) {
    const s = st(ctx);
    const u = targetUser(ctx, v);
    if (u) return { User: userOut(u) };
    if (ctx.caller && ctx.caller.kind !== "root") throw E.validation("Must specify userName when calling with non-User credentials");
    // The root as AWS answers it: no Path or UserName (though the model requires them).
    return { User: { UserId: s.accountId, Arn: `arn:${s.partition}:iam::${s.accountId}:root`, CreateDate: s.created } };
  },
  ListUsers(ctx, v) {
    const p = page(byName(st(ctx).users, str(v.PathPrefix)), v, (u) => u.name);
    return { Users: p.items.map((u) => userOut(u, false)), IsTruncated: p.IsTruncated, Marker: p.Marker };
  },
  UpdateUser(ctx, v) {
    const s = st(ctx);
    const u = getUser(s, String(v.UserName));
    const newName = str(v.NewUserName);
    if (newName && newName !== u.name) {
      if ([...s.users.keys()].some((k) => k !== u.name && k.toLowerCase() === newName.toLowerCase()))
        throw E.exists(`User with name ${newName} already exists.`);
      s.users.delete(u.name);
      for (const g of s.groups.values()) if (g.users.delete(u.name)) g.users.add(newName);
      for (const k of u.keys) s.keyIndex.set(k.id, newName);
      for (const d of s.mfa.values()) if (d.user === u.name) d.user = newName;
      u.name = newName;
      s.users.set(newName, u);
    }
    if (v.NewPath !== undefined) u.path = String(v.NewPath);
    u.arn = iamArn(s, "user", u.path, u.name);
    return {};
  },
  DeleteUser(ctx, v) {
    const s = st(ctx);
    const u = getUser(s, String(v.UserName));
    const why = u.login
      ? "must delete login profile first"
      : u.keys.length
        ? "must delete access keys first"
        : u.certs.length
          ? "must delete signing certificates first"
          : u.ssh.length
            ? "must delete SSH public keys first"
            : u.serviceCreds.length
              ? "must delete service-specific credentials first"
              : u.mfa.length
                ? "must delete MFA device first"
                : u.inline.size
                  ? "must delete policies first"
                  : u.attached.size
                    ? "must detach all policies first"
                    : [...s.groups.values()].some((g) => g.users.has(u.name))
                      ? "must remove users from group first"
                      : undefined;
    if (why) throw E.conflict(`Cannot delete entity, ${why}.`);
    s.users.delete(u.name);
    return {};
  },
  ...taggingOps("User", "UserName", "TagsPerUser", getUser),
  PutUserPermissionsBoundary(ctx, v) {
    const s = st(ctx);
    const u = getUser(s, String(v.UserName));
    u.boundary = boundaryArn(s, String(v.PermissionsBoundary));
    return {};
  },
  DeleteUserPermissionsBoundary(ctx, v) {
    const u = getUser(st(ctx), String(v.UserName));
    if (!u.boundary) throw E.noSuch(`The user with name ${u.name} does not have a permissions boundary.`);
    u.boundary = undefined;
    return {};
  },
  PutUserPolicy: (ctx, v) => putInline(ctx, getUser(st(ctx), String(v.UserName)), v, "user"),
  GetUserPolicy(ctx, v) {
    const u = getUser(st(ctx), String(v.UserName));
    const name = String(v.PolicyName);
    const doc = u.inline.get(name);
    if (doc === undefined) throw E.noSuch(`The user policy with name ${name} cannot be found.`);
    return { UserName: u.name, PolicyName: name, PolicyDocument: enc(doc) };
  },
  ListUserPolicies: (ctx, v) => listInline(getUser(st(ctx), String(v.UserName)), v),
  DeleteUserPolicy(ctx, v) {
    const u = getUser(st(ctx), String(v.UserName));
    const name = String(v.PolicyName);
    if (!u.inline.delete(name)) throw E.noSuch(`The user policy with name ${name} cannot be found.`);
    return {};
  },
  AttachUserPolicy: (ctx, v) => attach(ctx, getUser(st(ctx), String(v.UserName)), v, "PoliciesPerUser"),
  DetachUserPolicy: (ctx, v) => detach(ctx, getUser(st(ctx), String(v.UserName)), v),
  ListAttachedUserPolicies: (ctx, v) => listAttached(ctx, getUser(st(ctx), String(v.UserName)), v),

  // ---------------------------------------------------------------- access keys
  CreateAccessKey(ctx, v) {
    const s = st(ctx);
    const u = targetUser(ctx, v);
    const list = u ? u.keys : s.rootKeys;
    if (list.length >= 2) throw E.limit(`Cannot exceed quota for AccessKeysPerUser: 2`);
    for (const x of list) x.slot = keySlot(list, x);
    const slot = keyInSlot(list, 1) ? 2 : 1;
    const k: AccessKey = { id: accountKeyId("AKIA", s.accountId), secret: secretAccessKey(), status: "Active", created: ctx.now(), slot };
    list.push(k);
    list.sort((a, b) => (a.slot ?? 0) - (b.slot ?? 0));
    s.keyIndex.set(k.id, u ? u.name : "");
    return { AccessKey: { ...keyOut(u, k), SecretAccessKey: k.secret } };
  },
  ListAccessKeys(ctx, v) {
    const u = targetUser(ctx, v);
    const list = u ? u.keys : st(ctx).rootKeys;
    const p = page(list, v, (k) => String(keySlot(list, k)));
    return { AccessKeyMetadata: p.items.map((k) => keyOut(u, k)), IsTruncated: p.IsTruncated, Marker: p.Marker };
  },
  UpdateAccessKey(ctx, v) {
    findKey(ctx, v).k.status = String(v.Status);
    return {};
  },
  DeleteAccessKey(ctx, v) {
    const { k, list } = findKey(ctx, v);
    list.splice(list.indexOf(k), 1);
    st(ctx).keyIndex.delete(k.id);
    return {};
  },
  GetAccessKeyLastUsed(ctx, v) {
    const s = st(ctx);
    const id = String(v.AccessKeyId);
    const owner = s.keyIndex.get(id);
    // AWS answers an unknown key id as a denial naming the caller, not as NoSuchEntity.
    if (owner === undefined)
      throw E.accessDenied(
        `User: ${ctx.caller?.arn ?? `arn:${s.partition}:iam::${s.accountId}:root`} is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key ${id}`,
      );
    const k = (owner ? s.users.get(owner)?.keys : s.rootKeys)?.find((x) => x.id === id);
    const used = k?.lastUsed;
    return {
      UserName: owner || undefined,
      AccessKeyLastUsed: used ? { LastUsedDate: used.date, ServiceName: used.service, Region: used.region } : { ServiceName: "N/A", Region: "N/A" },
    };
  },

  // ---------------------------------------------------------------- login profiles
  CreateLoginProfile(ctx, v) {
    const s = st(ctx);
    const u = requireUser(ctx, v);
    if (u.login) throw E.exists(`Login Profile for user ${u.name} already exists.`);
    checkPassword(s, str(v.Password));
    u.login = { created: ctx.now(), password: String(v.Password ?? ""), resetRequired: bool(v.PasswordResetRequired) };
    return { LoginProfile: { UserName: u.name, CreateDate: u.login.created, PasswordResetRequired: u.login.resetRequired } };
  },
  GetLoginProfile(ctx, v) {
    const u = requireUser(ctx, v);
    if (!u.login) throw E.noSuch(`Login Profile for User ${u.name} cannot be found.`);
    return { LoginProfile: { UserName: u.name, CreateDate: u.login.created, PasswordResetRequired: u.login.resetRequired } };
  },
  UpdateLoginProfile(ctx, v) {
    const u = requireUser(ctx, v);
    if (!u.login) throw E.noSuch(`Login Profile for User ${u.name} cannot be found.`);
    if (v.Password !== undefined) {
      checkPassword(st(ctx), str(v.Password));
      u.login.password = String(v.Password);
    }
    if (v.PasswordResetRequired !== undefined) u.login.resetRequired = bool(v.PasswordResetRequired);
    return {};
  },
  DeleteLoginProfile(ctx, v) {
    const u = requireUser(ctx, v);
    // AWS's current wording, as Get's (LocalStack's AWS-validated test_login_profile_errors, 2026); older answers, as
    // cloud-custodian recorded them, read "Cannot find Login Profile for User X".
    if (!u.login) throw E.noSuch(`Login Profile for User ${u.name} cannot be found.`);
    u.login = undefined;
    return {};
  },
  ChangePassword(ctx, v) {
    const s = st(ctx);
    if (ctx.caller?.kind !== "user") throw E.invalidUserType("Only IAM Users can change their own password.");
    const u = getUser(s, lastSegment(ctx.caller.arn));
    if (!u.login) throw E.noSuch(`Login Profile for User ${u.name} cannot be found.`);
    if (s.passwordPolicy && !s.passwordPolicy.AllowUsersToChangePassword && !u.login.resetRequired)
      throw E.accessDenied(`User: ${u.arn} is not authorized to perform: iam:ChangePassword on resource: user ${u.name}`);
    checkPassword(s, str(v.NewPassword));
    u.login.password = String(v.NewPassword);
    u.login.resetRequired = false;
    return {};
  },

  // ---------------------------------------------------------------- groups
  CreateGroup(ctx, v) {
    const s = st(ctx);
    const name = String(v.GroupName);
    const path = str(v.Path) ?? "/";
    if ([...s.groups.keys()].some((k) => k.toLowerCase() === name.toLowerCase())) throw E.exists(`Group with name ${name} already exists.`);
    const g: Group = {
      name,
      path,
      arn: iamArn(s, "group", path, name),
      id: iamId("AGPA"),
      created: ctx.now(),
      inline: new Map(),
      attached: new Set(),
      users: new Set(),
    };
    s.groups.set(name, g);
    return { Group: groupOut(g) };
  },
  GetGroup(ctx, v) {
    const s = st(ctx);
    const g = getGroup(s, String(v.GroupName));
    const users = [...g.users]
      .sort()
      .map((n) => s.users.get(n))
      .filter((u): u is User => !!u);
    const p = page(users, v, (u) => u.name);
    return { Group: groupOut(g), Users: p.items.map((u) => userOut(u, false)), IsTruncated: p.IsTruncated, Marker: p.Marker };
  },
  ListGroups(ctx, v) {
    const p = page(byName(st(ctx).groups, str(v.PathPrefix)), v, (g) => g.name);
    return { Groups: p.items.map(groupOut), IsTruncated: p.IsTruncated, Marker: p.Marker };
  },
  UpdateGroup(ctx, v) {
    const s = st(ctx);
    const g = getGroup(s, String(v.GroupName));
    const newName = str(v.NewGroupName);
    if (newName && newName !== g.name) {
      if ([...s.groups.keys()].some((k) => k !== g.name && k.toLowerCase() === newName.toLowerCase()))
        throw E.exists(`Group with name ${newName} already exists.`);
      s.groups.delete(g.name);
      g.name = newName;
      s.groups.set(newName, g);
    }
    if (v.NewPath !== undefined) g.path = String(v.NewPath);
    g.arn = iamArn(s, "group", g.path, g.name);
    return {};
  },
  DeleteGroup(ctx, v) {
    const s = st(ctx);
    const g = getGroup(s, String(v.GroupName));
    if (g.users.size) throw E.conflict("Cannot delete entity, must remove users from group first.");
    if (g.inline.size) throw E.conflict("Cannot delete entity, must delete policies first.");
    if (g.attached.size) throw E.conflict("Cannot delete entity, must detach all policies first.");
    s.groups.delete(g.name);
    return {};
  },
  AddUserToGroup(ctx, v) {
    const s = st(ctx);
    const g = getGroup(s, String(v.GroupName));
    const u = getUser(s, String(v.UserName));
    if (!g.users.has(u.name) && [...s.groups.values()].filter((x) => x.users.has(u.name)).length >= 10)
      throw E.limit("Cannot exceed quota for GroupsPerUser: 10");
    g.users.add(u.name);
    return {};
  },
  RemoveUserFromGroup(ctx, v) {
    const s = st(ctx);
    // AWS looks the user up before the group (an unknown user in an unknown group is "The user ... cannot be found.").
    const name = getUser(s, String(v.UserName)).name;
    const g = getGroup(s, String(v.GroupName));
    // Removing a user who is not a member succeeds on AWS.
    g.users.delete(name);
    return {};
  },
  ListGroupsForUser(ctx, v) {
    const s = st(ctx);
    const u = getUser(s, String(v.UserName));
    const p = page(
      byName(s.groups).filter((g) => g.users.has(u.name)),
      v,
      (g) => g.name,
    );
    return { Groups: p.items.map(groupOut), IsTruncated: p.IsTruncated, Marker: p.Marker };
  },
  PutGroupPolicy: (ctx, v) => putInline(ctx, getGroup(st(ctx), String(v.GroupName)), v, "group"),
  GetGroupPolicy(ctx, v) {
    const g = getGroup(st(ctx), String(v.GroupName));
    const name = String(v.PolicyName);
    const doc = g.inline.get(name);
    if (doc === undefined) throw E.noSuch(`The group policy with name ${name} cannot be found.`);
    return { GroupName: g.name, PolicyName: name, PolicyDocument: enc(doc) };
  },
  ListGroupPolicies: (ctx, v) => listInline(getGroup(st(ctx), String(v.GroupName)), v),
  DeleteGroupPolicy(ctx, v) {
    const g = getGroup(st(ctx), String(v.GroupName));
    const name = String(v.PolicyName);
    if (!g.inline.delete(name)) throw E.noSuch(`The group policy with name ${name} cannot be found.`);
    return {};
  },
  AttachGroupPolicy: (ctx, v) => attach(ctx, getGroup(st(ctx), String(v.GroupName)), v, "PoliciesPerGroup"),
  DetachGroupPolicy: (ctx, v) => detach(ctx, getGroup(st(ctx), String(v.GroupName)), v),
  ListAttachedGroupPolicies: (ctx, v) => listAttached(ctx, getGroup(st(ctx), String(v.GroupName)), v),

  // ---------------------------------------------------------------- SSH public keys
  UploadSSHPublicKey(ctx, v) {
    const u = getUser(st(ctx), String(v.UserName));
    const body = String(v.SSHPublicKeyBody).trim();
    const { fingerprint } = sshFingerprint(body);
    if (u.ssh.some((k) => k.fingerprint === fingerprint)) throw E.duplicateSsh("The public key is already associated with this user.");
    if (u.ssh.length >= 5) throw E.limit("Cannot exceed quota for KeysPerUser: 5");
    const k = { id: iamId("APKA", 17), body, fingerprint, status: "Active", uploaded: ctx.now() };
    u.ssh.push(k);
    return { SSHPublicKey: sshOut(u, k) };
  },
  GetSSHPublicKey(ctx, v) {
    const u = getUser(st(ctx), String(v.UserName));
    const k = u.ssh.find((x) => x.id === String(v.SSHPublicKeyId));
    if (!k) throw E.noSuch(`The Public Key with id ${v.SSHPublicKeyId} cannot be found.`);
    return { SSHPublicKey: { ...sshOut(u, k), SSHPublicKeyBody: String(v.Encoding) === "PEM" ? sshToPem(k.body) : k.body } };
  },
  ListSSHPublicKeys(ctx, v) {
    const u = requireUser(ctx, v);
    const p = page(u.ssh, v, (k) => k.uploaded.toISOString() + k.id);
    return {
      SSHPublicKeys: p.items.map((k) => ({ UserName: u.name, SSHPublicKeyId: k.id, Status: k.status, UploadDate: k.uploaded })),
      IsTruncated: p.IsTruncated,
      Marker: p.Marker,
    };
  },
  UpdateSSHPublicKey(ctx, v) {
    const u = getUser(st(ctx), String(v.UserName));
    const k = u.ssh.find((x) => x.id === String(v.SSHPublicKeyId));
    if (!k) throw E.noSuch(`The Public Key with id ${v.SSHPublicKeyId} cannot be found.`);
    k.status = String(v.Status);
    return {};
  },
  DeleteSSHPublicKey(ctx, v) {
    const u = getUser(st(ctx), String(v.UserName));
    const i = u.ssh.findIndex((x) => x.id === String(v.SSHPublicKeyId));
    if (i < 0) throw E.noSuch(`The Public Key with id ${v.SSHPublicKeyId} cannot be found.`);
    u.ssh.splice(i, 1);
    return {};
  },

  // ---------------------------------------------------------------- service-specific credentials
  CreateServiceSpecificCredential(ctx, v) {
    const s = st(ctx);
    const u = getUser(s, String(v.UserName));
    const service = String(v.ServiceName);
    if (!SSC_SERVICES.has(service)) throw E.notSupportedService(`No such service ${service} is supported for Service-Specific Credentials`);
    if (u.serviceCreds.filter((c) => c.service === service).length >= 2)
      throw E.limit("Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2");
    const days = v.CredentialAgeDays !== undefined ? Number(v.CredentialAgeDays) : undefined;
    const apiKey = API_KEY_SERVICES.has(service);
    const alias = apiKey ? `${u.name}-at-${s.accountId}` : undefined;
    const c: ServiceCredential = {
      id: iamId("ACCA"),
      service,
      userName: apiKey ? undefined : `${u.name}-at-${s.accountId}`,
      password: alias ? apiKeySecret(alias) : randomBytes(32).toString("base64"),
      alias,
      status: "Active",
      created: ctx.now(),
      expires: days ? new Date(ctx.now().getTime() + days * 86400_000) : undefined,
    };
    u.serviceCreds.push(c);
    return { ServiceSpecificCredential: sscWithSecret(ctx, u, c) };
  },
  ListServiceSpecificCredentials(ctx, v) {
    const s = st(ctx);
    const users = v.AllUsers === true || v.AllUsers === "true" ? byName(s.users) : [requireUser(ctx, v)];
    const service = str(v.ServiceName);
    const all = users.flatMap((u) => u.serviceCreds.filter((c) => !service || c.service === service).map((c) => sscOut(ctx, u, c)));
    const p = page(all, v, (c) => c.UserName + c.ServiceSpecificCredentialId);
    return { ServiceSpecificCredentials: p.items, IsTruncated: p.IsTruncated, Marker: p.Marker };
  },
  ResetServiceSpecificCredential(ctx, v) {
    const u = requireUser(ctx, v);
    const c = findSsc(u, v);
    // Resetting an API key generates a new one ("Reset the key. This action generates a new password for the key.",
    // the Bedrock user guide's api-keys-revoke page); the answer is the only place it can be read.
    c.password = c.alias ? apiKeySecret(c.alias) : randomBytes(32).toString("base64");
    return { ServiceSpecificCredential: sscWithSecret(ctx, u, c) };
  },
  UpdateServiceSpecificCredential(ctx, v) {
    findSsc(requireUser(ctx, v), v).status = String(v.Status);
    return {};
  },
  DeleteServiceSpecificCredential(ctx, v) {
    const u = requireUser(ctx, v);
    const c = findSsc(u, v);
    u.serviceCreds.splice(u.serviceCreds.indexOf(c), 1);
    return {};
  },

  // ---------------------------------------------------------------- signing certificates
  UploadSigningCertificate(ctx, v) {
    const s = st(ctx);
    const u = targetUser(ctx, v);
    const list = u ? u.certs : s.rootCerts;
    // The body is kept as uploaded (a PEM file's final newline included): Terraform compares it verbatim.
    const body = String(v.CertificateBody);
    const x = certificate(body.trim());
    // A certificate outside its validity period is refused as malformed too ("malformed or expired", the API reference).
    const now = ctx.now().getTime();
    if (now < Date.parse(x.validFrom) || now > Date.parse(x.validTo)) throw E.malformedCert(`Certificate ${body.trim()} is malformed.`);
    const id = x.fingerprint.replace(/:/g, "").slice(0, 32).toUpperCase();
    if (list.some((c) => c.id === id))
      throw E.duplicateCert("The request was rejected because the same certificate is associated with an IAM user in the account.");
    if (list.length >= 2) throw E.limit("Cannot exceed quota for CertificatesPerUser: 2");
    const c = { id, body, status: "Active", uploaded: ctx.now() };
    list.push(c);
    return { Certificate: { UserName: u?.name, CertificateId: c.id, CertificateBody: c.body, Status: c.status, UploadDate: c.uploaded } };
  },
  ListSigningCertificates(ctx, v) {
    const u = targetUser(ctx, v);
    const list = u ? u.certs : st(ctx).rootCerts;
    const p = page(list, v, (c) => c.uploaded.toISOString() + c.id);
    return {
      Certificates: p.items.map((c) => ({ UserName: u?.name, CertificateId: c.id, CertificateBody: c.body, Status: c.status, UploadDate: c.uploaded })),
      IsTruncated: p.IsTruncated,
      Marker: p.Marker,
    };
  },
  UpdateSigningCertificate(ctx, v) {
    const u = targetUser(ctx, v);
    const c = (u ? u.certs : st(ctx).rootCerts).find((x) => x.id === String(v.CertificateId));
    if (!c) throw E.noSuch(`The Certificate with id ${v.CertificateId} cannot be found.`);
    c.status = String(v.Status);
    return {};
  },
  DeleteSigningCertificate(ctx, v) {
    const u = targetUser(ctx, v);
    const list = u ? u.certs : st(ctx).rootCerts;
    const i = list.findIndex((x) => x.id === String(v.CertificateId));
    if (i < 0) throw E.noSuch(`The Certificate with id ${v.CertificateId} cannot be found.`);
    list.splice(i, 1);
    return {};
  },
};

function findSsc(u: User, v: Input) {
  const c = u.serviceCreds.find((x) => x.id === String(v.ServiceSpecificCredentialId));
  if (!c) throw E.noSuch(`No such credential ${v.ServiceSpecificCredentialId} exists`);
  return c;
}

/**
 * A service-specific credential as List answers it. Bedrock API keys have no ServiceUserName but a
 * ServiceCredentialAlias ("<user>-at-<account>" in AWS's answers quoted by Bedrock API key guides); a credential
 * past its ExpirationDate shows Status Expired (the Status enum's third value).
 */
const sscOut = (ctx: Ctx, u: User, c: ServiceCredential) => ({
  UserName: u.name,
  Status: c.expires && ctx.now().getTime() >= c.expires.getTime() ? "Expired" : c.status,
  ServiceUserName: c.userName,
  ServiceCredentialAlias: c.alias,
  CreateDate: c.created,
  ExpirationDate: c.expires,
  ServiceSpecificCredentialId: c.id,
  ServiceName: c.service,
});

/** Create and Reset answer the secret as well: a password, or an API key's secret (ServiceCredentialSecret). */
const sscWithSecret = (ctx: Ctx, u: User, c: ServiceCredential) => ({
  ...sscOut(ctx, u, c),
  ServicePassword: c.alias ? undefined : c.password,
  ServiceCredentialSecret: c.alias ? c.password : undefined,
});

/**
 * A Bedrock long-term API key: "ABSK" and the base64 of "<alias>:<secret>" (keys decoded in the wild read
 * "BedrockAPIKey-g28r-at-339713064684:<60 base64 characters>"; the IAM user guide calls the alias the public part).
 */
function apiKeySecret(alias: string): string {
  return `ABSK${Buffer.from(`${alias}:${randomBytes(45).toString("base64")}`).toString("base64")}`;
}

const sshOut = (u: User, k: User["ssh"][number]) => ({
  UserName: u.name,
  SSHPublicKeyId: k.id,
  Fingerprint: k.fingerprint,
  SSHPublicKeyBody: k.body,
  Status: k.status,
  UploadDate: k.uploaded,
});

/** An ssh-rsa key as a PEM public key (GetSSHPublicKey Encoding=PEM): "BEGIN PUBLIC KEY" (SPKI), as AWS's example shows. */
function sshToPem(body: string): string {
  if (body.includes("-----BEGIN")) return body;
  const blob = Buffer.from(body.split(/\s+/)[1] ?? "", "base64");
  try {
    let o = 0;
    const read = () => {
      const n = blob.readUInt32BE(o);
      const b = blob.subarray(o + 4, o + 4 + n);
      o += 4 + n;
      return b;
    };
    const type = read().toString();
    if (type !== "ssh-rsa") return body;
    const strip = (b: Buffer) => (b[0] === 0 ? b.subarray(1) : b);
    const e = strip(read()).toString("base64url");
    const n = strip(read()).toString("base64url");
    return createPublicKey({ key: { kty: "RSA", e, n }, format: "jwk" })
      .export({ type: "spki", format: "pem" })
      .toString();
  } catch {
    return body;
  }
}

/** A password against the account's password policy. */
export function checkPassword(s: IamState, pw: string | undefined) {
  const p = s.passwordPolicy;
  if (pw === undefined || !p) return;
  const bad =
    pw.length < p.MinimumPasswordLength ||
    (p.RequireSymbols && !/[!@#$%^&*()_+\-=[\]{}|']/.test(pw)) ||
    (p.RequireNumbers && !/\d/.test(pw)) ||
    (p.RequireUppercaseCharacters && !/[A-Z]/.test(pw)) ||
    (p.RequireLowercaseCharacters && !/[a-z]/.test(pw));
  if (bad) throw E.passwordPolicy("Password does not conform to the account password policy.");
}

export { getPolicy };
