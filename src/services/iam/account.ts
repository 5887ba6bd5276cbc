/**
 * Account-wide IAM: virtual MFA devices (real TOTP codes), account alias, password policy, account
 * summary, credential report (CSV), GetAccountAuthorizationDetails, server certificates, OIDC and SAML
 * identity providers.
 */
import { createHmac, createPrivateKey, randomBytes, randomUUID, X509Certificate } from "node:crypto";
import type { Ctx, Handler } from "../core/types.js";
import { E } from "./errors.js";
import { qrPng } from "./qr.js";
import { attachedCount, BOUNDARY_TYPE, boundaryCount, defaultDoc, policyOut } from "./policies.js";
import { profileOut, roleOut } from "./roles.js";
import {
  applyTags,
  bool,
  enc,
  type IamState,
  type Input,
  iamArn,
  iamId,
  keyInSlot,
  list,
  num,
  page,
  type PasswordPolicy,
  policyOrder,
  sortBy,
  st,
  str,
  tagsIn,
  tagsOut,
  type User,
  taggingOps,
  policyAt,
} from "./state.js";
import { getUser, targetUser, userOut } from "./users.js";

// ---------------------------------------------------------------- TOTP (RFC 6238), for virtual MFA devices

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
function base32Decode(s: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of s.replace(/=+$/, "")) {
    value = (value << 5) | B32.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function totp(seed: string, step: number): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac("sha1", base32Decode(seed)).update(msg).digest();
  const o = h[h.length - 1]! & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/** Two consecutive codes, accepted within a few steps of now (clock drift), as IAM accepts them. */
function checkCodes(seed: string, c1: string, c2: string, now: Date) {
  const t = Math.floor(now.getTime() / 30_000);
  for (let w = t - 10; w <= t + 1; w++) if (totp(seed, w) === c1 && totp(seed, w + 1) === c2) return;
  throw E.invalidCode("Authentication code for device is not valid.");
}

/** The QR code authenticator apps scan: otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String (AccountName: the account id until a user has it). */
function mfaQrCode(name: string, account: string, seed: string): Buffer | undefined {
  try {
    return qrPng(`otpauth://totp/${name}@${account}?secret=${seed}`);
  } catch {
    return undefined; // a name too long for the QR versions drawn here
  }
}

function getDevice(s: IamState, serial: string) {
  const d = s.mfa.get(serial);
  if (!d) throw E.noSuch(`VirtualMFADevice with serial number ${serial} doesn't exist.`);
  return d;
}

// ---------------------------------------------------------------- credential report

const REPORT_COLUMNS =
  "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

const iso = (d: Date | undefined) => (d ? d.toISOString().replace(/\.\d{3}Z$/, "+00:00") : "N/A");

function reportRow(
  name: string,
  arn: string,
  created: Date,
  u: Pick<User, "keys" | "certs" | "mfa" | "login" | "passwordLastUsed"> | undefined,
  maxPasswordAge?: number,
) {
  const keyCols = (i: number) => {
    const k = u && keyInSlot(u.keys, i + 1);
    if (!k) return ["false", "N/A", "N/A", "N/A", "N/A"];
    return [String(k.status === "Active"), iso(k.created), iso(k.lastUsed?.date), k.lastUsed?.region ?? "N/A", k.lastUsed?.service ?? "N/A"];
  };
  const certCols = (i: number) => {
    const c = u?.certs[i];
    return c ? [String(c.status === "Active"), iso(c.uploaded)] : ["false", "N/A"];
  };
  const login = u?.login;
  const root = name === "<root_account>";
  // The root's password columns are not_supported (AWS's reports); a user's next rotation follows the
  // password policy's MaxPasswordAge.
  const next = login && maxPasswordAge ? iso(new Date(login.created.getTime() + maxPasswordAge * 86400_000)) : "N/A";
  return [
    name,
    arn,
    iso(created),
    root ? "not_supported" : String(!!login),
    login ? (u?.passwordLastUsed ? iso(u.passwordLastUsed) : "no_information") : "N/A",
    root ? "not_supported" : login ? iso(login.created) : "N/A",
    root ? "not_supported" : next,
    String((u?.mfa.length ?? 0) > 0),
    ...keyCols(0),
    ...keyCols(1),
    ...certCols(0),
    ...certCols(1),
  ].join(",");
}

function buildReport(s: IamState): string {
  const rows = [REPORT_COLUMNS];
  const rootMfa = [...s.mfa.values()].filter((d) => d.user === "").map((d) => d.serial);
  rows.push(reportRow("<root_account>", `arn:${s.partition}:iam::${s.accountId}:root`, s.created, { keys: s.rootKeys, certs: s.rootCerts, mfa: rootMfa }));
  // Users in name order ignoring case ("charmworld, Hazmat, kaleb" and "jeff, Jennifer, joshua" in reports AWS
  // generated, recorded by cloud-custodian in tests/data/placebo/test_iam_user_unused_keys and test_account_credential_report).
  for (const u of sortBy([...s.users.values()], (x) => x.name.toLowerCase()))
    rows.push(reportRow(u.name, u.arn, u.created, u, s.passwordPolicy?.MaxPasswordAge));
  return `${rows.join("\n")}`;
}

// ---------------------------------------------------------------- providers

function oidcArn(s: IamState, url: string) {
  return `arn:${s.partition}:iam::${s.accountId}:oidc-provider/${url.replace(/^https:\/\//, "")}`;
}

function getOidc(s: IamState, arn: string) {
  const p = s.oidc.get(arn);
  if (!p) throw E.noSuch(`OpenIDConnect Provider not found for arn ${arn}`);
  return p;
}

function getSaml(s: IamState, arn: string) {
  const p = s.saml.get(arn);
  if (!p) throw E.noSuch(`Manifest not found for arn ${arn}`);
  return p;
}

function samlValidUntil(metadata: string, now: Date): Date {
  if (!/<([\w-]+:)?EntityDescriptor[\s>]/.test(metadata)) throw E.invalidInput("Could not parse metadata");
  const m = /validUntil="([^"]+)"/.exec(metadata);
  const d = m ? new Date(m[1]!) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : new Date(now.getTime() + 100 * 365 * 86400_000);
}

function getServerCert(s: IamState, name: string) {
  const c = s.serverCerts.get(name);
  if (!c) throw E.noSuch(`The Server Certificate with name ${name} cannot be found.`);
  return c;
}

const certMeta = (c: IamState["serverCerts"] extends Map<string, infer T> ? T : never) => ({
  Path: c.path,
  ServerCertificateName: c.name,
  ServerCertificateId: c.id,
  Arn: c.arn,
  UploadDate: c.uploaded,
  Expiration: c.expiration,
});

const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  MinimumPasswordLength: 6,
  RequireSymbols: false,
  RequireNumbers: false,
  RequireUppercaseCharacters: false,
  RequireLowercaseCharacters: false,
  AllowUsersToChangePassword: false,
  ExpirePasswords: false,
};

function mfaOwner(ctx: Ctx, v: Input): { name: string; user?: User } {
  const u = targetUser(ctx, v);
  return u ? { name: u.name, user: u } : { name: "" };
}

export const accountOps: Record<string, Handler<Input>> = {
  // ---------------------------------------------------------------- MFA
  CreateVirtualMFADevice(ctx, v) {
    const s = st(ctx);
    const path = str(v.Path) ?? "/";
    const serial = iamArn(s, "mfa", path, String(v.VirtualMFADeviceName));
    if (s.mfa.has(serial)) throw E.exists("MFA device already exists.");
    const seed = Array.from(randomBytes(64), (b) => B32[b % 32]).join("");
    s.mfa.set(serial, { serial, seed, tags: applyTags([], tagsIn(v), "TagsPerMFADevice") });
    return {
      VirtualMFADevice: {
        SerialNumber: serial,
        Base32StringSeed: Buffer.from(seed),
        QRCodePNG: mfaQrCode(String(v.VirtualMFADeviceName), s.accountId, seed),
        Tags: tagsOut(s.mfa.get(serial)!.tags),
      },
    };
  },
  EnableMFADevice(ctx, v) {
    const s = st(ctx);
    const u = getUser(s, String(v.UserName));
    const d = s.mfa.get(String(v.SerialNumber));
    if (!d) throw E.noSuch(`VirtualMFADevice with serial number ${v.SerialNumber} doesn't exist.`);
    if (d.user !== undefined) throw E.exists("MFA Device is already in use.");
    if (u.mfa.length >= 8) throw E.limit("Cannot exceed quota for MFADevicesPerUser: 8");
    checkCodes(d.seed, String(v.AuthenticationCode1), String(v.AuthenticationCode2), ctx.now());
    d.user = u.name;
    d.enabled = ctx.now();
    u.mfa.push(d.serial);
    return {};
  },
  ResyncMFADevice(ctx, v) {
    const s = st(ctx);
    const u = getUser(s, String(v.UserName));
    const d = s.mfa.get(String(v.SerialNumber));
    if (!d || d.user !== u.name) throw E.noSuch(`MFA Device with serial number ${v.SerialNumber} cannot be found.`);
    checkCodes(d.seed, String(v.AuthenticationCode1), String(v.AuthenticationCode2), ctx.now());
    return {};
  },
  DeactivateMFADevice(ctx, v) {
    const s = st(ctx);
    const { name, user } = mfaOwner(ctx, v);
    const d = s.mfa.get(String(v.SerialNumber));
    if (!d || d.user !== name) throw E.noSuch(`MFA Device with serial number ${v.SerialNumber} does not exist.`);
    d.user = undefined;
    d.enabled = undefined;
    if (user) user.mfa = user.mfa.filter((x) => x !== d.serial);
    return {};
  },
  DeleteVirtualMFADevice(ctx, v) {
    const s = st(ctx);
    const d = s.mfa.get(String(v.SerialNumber));
    if (!d) throw E.noSuch(`MFA Device with serial number ${v.SerialNumber} does not exist.`);
    if (d.user !== undefined) throw E.conflict("MFA device is already in use.");
    s.mfa.delete(d.serial);
    return {};
  },
  ListMFADevices(ctx, v) {
    const s = st(ctx);
    const { name } = mfaOwner(ctx, v);
    const all = sortBy(
      [...s.mfa.values()].filter((d) => d.user === name),
      (d) => d.serial,
    );
    const p = page(all, v, (d) => d.serial);
    return {
      MFADevices: p.items.map((d) => ({ UserName: name || undefined, SerialNumber: d.serial, EnableDate: d.enabled })),
      IsTruncated: p.IsTruncated,
      Marker: p.Marker,
    };
  },
  GetMFADevice(ctx, v) {
    const s = st(ctx);
    const d = s.mfa.get(String(v.SerialNumber));
    const name = v.UserName !== undefined ? String(v.UserName) : d?.user;
    if (!d || d.user === undefined || d.user !== name) throw E.noSuch(`MFA Device with serial number ${v.SerialNumber} cannot be found.`);
    return { UserName: d.user || undefined, SerialNumber: d.serial, EnableDate: d.enabled };
  },
  ListVirtualMFADevices(ctx, v) {
    const s = st(ctx);
    const status = str(v.AssignmentStatus) ?? "Any";
    const all = sortBy(
      [...s.mfa.values()].filter((d) => status === "Any" || (status === "Assigned") === (d.user !== undefined)),
      (d) => d.serial,
    );
    const p = page(all, v, (d) => d.serial);
    return {
      VirtualMFADevices: p.items.map((d) => ({
        SerialNumber: d.serial,
        User:
          d.user === undefined
            ? undefined
            : d.user === ""
              ? { UserId: s.accountId, Arn: `arn:${s.partition}:iam::${s.accountId}:root`, CreateDate: s.created, Path: "/" }
              : s.users.get(d.user) && userOut(s.users.get(d.user)!, false),
        EnableDate: d.enabled,
        Tags: tagsOut(d.tags),
      })),
      IsTruncated: p.IsTruncated,
      Marker: p.Marker,
    };
  },
  ...taggingOps("MFADevice", "SerialNumber", "TagsPerMFADevice", getDevice),

  // ---------------------------------------------------------------- account alias, password policy, summary
  CreateAccountAlias(ctx, v) {
    const s = st(ctx);
    const alias = String(v.AccountAlias);
    if (s.alias === alias) return {};
    for (const other of ctx.sim.statesOf<IamState>("iam"))
      if (other !== s && other.alias === alias) throw E.exists(`The account alias ${alias} already exists.`);
    s.alias = alias;
    return {};
  },
  DeleteAccountAlias(ctx, v) {
    const s = st(ctx);
    const alias = String(v.AccountAlias);
    if (s.alias !== alias) throw E.noSuch(`The account alias ${alias} cannot be found.`);
    s.alias = undefined;
    return {};
  },
  ListAccountAliases: (ctx) => ({ AccountAliases: st(ctx).alias ? [st(ctx).alias] : [], IsTruncated: false }),
  UpdateAccountPasswordPolicy(ctx, v) {
    const maxAge = num(v.MaxPasswordAge);
    st(ctx).passwordPolicy = {
      ...DEFAULT_PASSWORD_POLICY,
      MinimumPasswordLength: num(v.MinimumPasswordLength) ?? 6,
      RequireSymbols: bool(v.RequireSymbols),
      RequireNumbers: bool(v.RequireNumbers),
      RequireUppercaseCharacters: bool(v.RequireUppercaseCharacters),
      RequireLowercaseCharacters: bool(v.RequireLowercaseCharacters),
      AllowUsersToChangePassword: bool(v.AllowUsersToChangePassword),
      ExpirePasswords: !!maxAge,
      MaxPasswordAge: maxAge || undefined,
      PasswordReusePrevention: num(v.PasswordReusePrevention) || undefined,
      HardExpiry: v.HardExpiry === undefined ? undefined : bool(v.HardExpiry),
    };
    return {};
  },
  GetAccountPasswordPolicy(ctx) {
    const s = st(ctx);
    if (!s.passwordPolicy) throw E.noSuch(`The Password Policy with domain name ${s.accountId} cannot be found.`);
    return { PasswordPolicy: s.passwordPolicy };
  },
  DeleteAccountPasswordPolicy(ctx) {
    const s = st(ctx);
    if (!s.passwordPolicy) throw E.noSuch(`The account policy with name PasswordPolicy cannot be found.`);
    s.passwordPolicy = undefined;
    return {};
  },
  GetAccountSummary(ctx) {
    const s = st(ctx);
    const users = [...s.users.values()];
    const local = [...s.policies.values()].filter((p) => !p.aws);
    const rootMfa = [...s.mfa.values()].some((d) => d.user === "");
    return {
      SummaryMap: {
        GroupPolicySizeQuota: 5120,
        InstanceProfilesQuota: 1000,
        Policies: local.length,
        GroupsPerUserQuota: 10,
        InstanceProfiles: s.profiles.size,
        AttachedPoliciesPerUserQuota: 10,
        Users: users.length,
        PoliciesQuota: 1500,
        Providers: s.oidc.size + s.saml.size,
        AccountMFAEnabled: rootMfa ? 1 : 0,
        AccessKeysPerUserQuota: 2,
        AssumeRolePolicySizeQuota: 2048,
        PolicyVersionsInUseQuota: 10000,
        GlobalEndpointTokenVersion: s.tokenVersion,
        VersionsPerPolicyQuota: 5,
        AttachedPoliciesPerGroupQuota: 10,
        PolicySizeQuota: 6144,
        Groups: s.groups.size,
        AccountSigningCertificatesPresent: s.rootCerts.length ? 1 : 0,
        UsersQuota: 5000,
        ServerCertificatesQuota: 20,
        MFADevices: s.mfa.size,
        UserPolicySizeQuota: 2048,
        PolicyVersionsInUse: local.reduce((n, p) => n + (attachedCount(s, p.arn) ? 1 : 0), 0),
        ServerCertificates: s.serverCerts.size,
        Roles: s.roles.size,
        RolesQuota: 1000,
        SigningCertificatesPerUserQuota: 2,
        MFADevicesInUse: [...s.mfa.values()].filter((d) => d.user !== undefined).length,
        RolePolicySizeQuota: 10240,
        AttachedPoliciesPerRoleQuota: 10,
        AccountAccessKeysPresent: s.rootKeys.length ? 1 : 0,
        AccountPasswordPresent: 1,
        GroupsQuota: 300,
      },
    };
  },

  // ---------------------------------------------------------------- credential report
  GenerateCredentialReport(ctx) {
    const s = st(ctx);
    const first = !s.report;
    s.report = { generated: ctx.now(), csv: buildReport(s) };
    if (first) return { State: "STARTED", Description: "No report exists. Starting a new report generation task" };
    return { State: "COMPLETE" };
  },
  GetCredentialReport(ctx) {
    const s = st(ctx);
    if (!s.report) throw E.reportNotPresent();
    return { Content: Buffer.from(s.report.csv), ReportFormat: "text/csv", GeneratedTime: s.report.generated };
  },

  // ---------------------------------------------------------------- authorization details
  GetAccountAuthorizationDetails(ctx, v) {
    const s = st(ctx);
    const filter = new Set(list<string>(v.Filter).map(String));
    const want = (f: string) => filter.size === 0 || filter.has(f);
    const inline = (m: Map<string, string>) => [...m].map(([PolicyName, doc]) => ({ PolicyName, PolicyDocument: enc(doc) }));
    const attached = (set: Set<string>) =>
      sortBy(
        [...set].flatMap((a) => policyAt(s, a) ?? []),
        policyOrder,
      ).map((p) => ({ PolicyName: p.name, PolicyArn: p.arn }));
    const boundary = (b?: string) => (b ? { PermissionsBoundaryType: BOUNDARY_TYPE, PermissionsBoundaryArn: b } : undefined);
    type Item = { k: string; kind: string; out: unknown };
    const items: Item[] = [];
    if (want("User"))
      for (const u of sortBy([...s.users.values()], (x) => x.name))
        items.push({
          k: `1${u.name}`,
          kind: "UserDetailList",
          out: {
            Path: u.path,
            UserName: u.name,
            UserId: u.id,
            Arn: u.arn,
            CreateDate: u.created,
            // As recorded: a user's UserPolicyList only when it has some, Tags always (roles likewise).
            UserPolicyList: u.inline.size ? inline(u.inline) : undefined,
            GroupList: [...s.groups.values()].filter((g) => g.users.has(u.name)).map((g) => g.name),
            AttachedManagedPolicies: attached(u.attached),
            PermissionsBoundary: boundary(u.boundary),
            Tags: u.tags,
          },
        });
    if (want("Group"))
      for (const g of sortBy([...s.groups.values()], (x) => x.name))
        items.push({
          k: `2${g.name}`,
          kind: "GroupDetailList",
          out: {
            Path: g.path,
            GroupName: g.name,
            GroupId: g.id,
            Arn: g.arn,
            CreateDate: g.created,
            GroupPolicyList: inline(g.inline),
            AttachedManagedPolicies: attached(g.attached),
          },
        });
    if (want("Role"))
      for (const r of sortBy([...s.roles.values()], (x) => x.name))
        items.push({
          k: `3${r.name}`,
          kind: "RoleDetailList",
          out: {
            Path: r.path,
            RoleName: r.name,
            RoleId: r.id,
            Arn: r.arn,
            CreateDate: r.created,
            AssumeRolePolicyDocument: enc(r.trust),
            // As recorded from AWS: the roles inside the instance profiles come without their Description (profileOut).
            InstanceProfileList: [...s.profiles.values()].filter((p) => p.roles.includes(r.name)).map((p) => ({ ...profileOut(s, p), Tags: tagsOut(p.tags) })),
            RolePolicyList: inline(r.inline),
            AttachedManagedPolicies: attached(r.attached),
            PermissionsBoundary: boundary(r.boundary),
            Tags: r.tags,
            RoleLastUsed: roleOut(r).RoleLastUsed,
          },
        });
    for (const p of sortBy([...s.policies.values()], policyOrder)) {
      if (!(p.aws ? want("AWSManagedPolicy") && attachedCount(s, p.arn) + boundaryCount(s, p.arn) > 0 : want("LocalManagedPolicy"))) continue;
      items.push({
        k: `4${policyOrder(p)}`,
        kind: "Policies",
        out: {
          ...policyOut(s, p),
          // As recorded from AWS: the details list a managed policy without its Description (AmazonS3FullAccess has one).
          Description: undefined,
          Tags: undefined,
          PolicyVersionList: [...p.versions].reverse().map((x) => ({
            Document: enc(x.doc),
            VersionId: x.id,
            IsDefaultVersion: x.id === p.defaultVersion,
            CreateDate: x.created,
          })),
        },
      });
    }
    const pg = page(items, v, (x) => x.k);
    const pick = (kind: string) => pg.items.filter((x) => x.kind === kind).map((x) => x.out);
    return {
      UserDetailList: pick("UserDetailList"),
      GroupDetailList: pick("GroupDetailList"),
      RoleDetailList: pick("RoleDetailList"),
      Policies: pick("Policies"),
      IsTruncated: pg.IsTruncated,
      Marker: pg.Marker,
    };
  },

  // ---------------------------------------------------------------- server certificates
  UploadServerCertificate(ctx, v) {
    const s = st(ctx);
    const name = String(v.ServerCertificateName);
    if (s.serverCerts.has(name)) throw E.exists(`The Server Certificate with name ${name} already exists.`);
    const body = String(v.CertificateBody).trim();
    let x: X509Certificate;
    try {
      x = new X509Certificate(body);
    } catch {
      throw E.malformedCert("Unable to parse certificate. Please ensure the certificate is in PEM format.");
    }
    try {
      if (!x.checkPrivateKey(createPrivateKey(String(v.PrivateKey)))) throw new Error("mismatch");
    } catch (e) {
      if ((e as Error).message === "mismatch") throw E.keyPairMismatch("The private key did not match the public key provided by the certificate.");
      throw E.malformedCert("Unable to parse private key.");
    }
    const path = str(v.Path) ?? "/";
    const c = {
      name,
      path,
      arn: iamArn(s, "server-certificate", path, name),
      id: iamId("ASCA"),
      body,
      chain: str(v.CertificateChain),
      uploaded: ctx.now(),
      expiration: new Date(x.validTo),
      tags: applyTags([], tagsIn(v), "TagsPerServerCertificate"),
    };
    s.serverCerts.set(name, c);
    return { ServerCertificateMetadata: certMeta(c), Tags: tagsOut(c.tags) };
  },
  GetServerCertificate(ctx, v) {
    const c = getServerCert(st(ctx), String(v.ServerCertificateName));
    return { ServerCertificate: { ServerCertificateMetadata: certMeta(c), CertificateBody: c.body, CertificateChain: c.chain, Tags: c.tags } };
  },
  ListServerCertificates(ctx, v) {
    const s = st(ctx);
    const prefix = str(v.PathPrefix);
    const all = sortBy(
      [...s.serverCerts.values()].filter((c) => !prefix || c.path.startsWith(prefix)),
      (c) => c.name,
    );
    const p = page(all, v, (c) => c.name);
    return { ServerCertificateMetadataList: p.items.map(certMeta), IsTruncated: p.IsTruncated, Marker: p.Marker };
  },
  UpdateServerCertificate(ctx, v) {
    const s = st(ctx);
    const c = getServerCert(s, String(v.ServerCertificateName));
    const newName = str(v.NewServerCertificateName);
    if (newName && newName !== c.name) {
      if (s.serverCerts.has(newName)) throw E.exists(`The Server Certificate with name ${newName} already exists.`);
      s.serverCerts.delete(c.name);
      c.name = newName;
      s.serverCerts.set(newName, c);
    }
    if (v.NewPath !== undefined) c.path = String(v.NewPath);
    c.arn = iamArn(s, "server-certificate", c.path, c.name);
    return {};
  },
  DeleteServerCertificate(ctx, v) {
    const s = st(ctx);
    const c = getServerCert(s, String(v.ServerCertificateName));
    s.serverCerts.delete(c.name);
    return {};
  },
  ...taggingOps("ServerCertificate", "ServerCertificateName", "TagsPerServerCertificate", getServerCert),

  // ---------------------------------------------------------------- OpenID Connect providers
  CreateOpenIDConnectProvider(ctx, v) {
    const s = st(ctx);
    const url = String(v.Url);
    if (!/^https:\/\/[^/\s]+/.test(url)) throw E.validation("Invalid Open ID Connect Provider URL");
    const arn = oidcArn(s, url.replace(/\/$/, ""));
    if (s.oidc.has(arn)) throw E.exists(`Provider with url ${url} already exists.`);
    const thumbprints = list<string>(v.ThumbprintList).map(String);
    if (thumbprints.length > 5) throw E.invalidInput("Thumbprint list must contain fewer than 5 entries.");
    const clientIds = [...new Set(list<string>(v.ClientIDList).map(String))];
    if (clientIds.length > 100) throw E.limit("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100");
    const p = {
      arn,
      url: url.replace(/^https:\/\//, "").replace(/\/$/, ""),
      clientIds,
      thumbprints,
      created: ctx.now(),
      tags: applyTags([], tagsIn(v), "TagsPerOpenIdConnectProvider"),
    };
    s.oidc.set(arn, p);
    return { OpenIDConnectProviderArn: arn, Tags: tagsOut(p.tags) };
  },
  GetOpenIDConnectProvider(ctx, v) {
    const p = getOidc(st(ctx), String(v.OpenIDConnectProviderArn));
    // Tags is there even when empty (recorded from AWS).
    return { Url: p.url, ClientIDList: p.clientIds, ThumbprintList: p.thumbprints, CreateDate: p.created, Tags: p.tags };
  },
  ListOpenIDConnectProviders: (ctx) => ({ OpenIDConnectProviderList: sortBy([...st(ctx).oidc.keys()], (a) => a).map((Arn) => ({ Arn })) }),
  DeleteOpenIDConnectProvider(ctx, v) {
    const s = st(ctx);
    const arn = String(v.OpenIDConnectProviderArn);
    // Delete words a missing provider differently from Get.
    if (!s.oidc.delete(arn)) throw E.noSuch(`OpenId connect Provider ${arn} cannot be found.`);
    return {};
  },
  AddClientIDToOpenIDConnectProvider(ctx, v) {
    const p = getOidc(st(ctx), String(v.OpenIDConnectProviderArn));
    const id = String(v.ClientID);
    if (!p.clientIds.includes(id)) {
      if (p.clientIds.length >= 100) throw E.limit("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100");
      p.clientIds.push(id);
    }
    return {};
  },
  RemoveClientIDFromOpenIDConnectProvider(ctx, v) {
    const p = getOidc(st(ctx), String(v.OpenIDConnectProviderArn));
    p.clientIds = p.clientIds.filter((x) => x !== String(v.ClientID));
    return {};
  },
  UpdateOpenIDConnectProviderThumbprint(ctx, v) {
    const p = getOidc(st(ctx), String(v.OpenIDConnectProviderArn));
    const t = list<string>(v.ThumbprintList).map(String);
    if (t.length > 5) throw E.invalidInput("Thumbprint list must contain fewer than 5 entries.");
    p.thumbprints = t;
    return {};
  },
  ...taggingOps("OpenIDConnectProvider", "OpenIDConnectProviderArn", "TagsPerOpenIdConnectProvider", getOidc),
  TagOpenIDConnectProvider(ctx, v) {
    const p = getOidc(st(ctx), String(v.OpenIDConnectProviderArn));
    const tags = applyTags(p.tags, tagsIn(v), "TagsPerOpenIdConnectProvider", false, Number.POSITIVE_INFINITY);
    // OIDC providers word the 50-tag limit their own way (recorded from AWS).
    if (tags.length > 50) throw E.limit("The number of tags has reached the maximum limit.");
    p.tags = tags;
    return {};
  },

  // ---------------------------------------------------------------- SAML providers
  CreateSAMLProvider(ctx, v) {
    const s = st(ctx);
    const name = String(v.Name);
    const arn = `arn:${s.partition}:iam::${s.accountId}:saml-provider/${name}`;
    if (s.saml.has(arn)) throw E.exists(`SAMLProvider ${name} already exists`);
    const metadata = String(v.SAMLMetadataDocument);
    const p = {
      arn,
      name,
      uuid: randomUUID(),
      metadata,
      created: ctx.now(),
      validUntil: samlValidUntil(metadata, ctx.now()),
      tags: applyTags([], tagsIn(v), "TagsPerSAMLProvider"),
      encryptionMode: str(v.AssertionEncryptionMode),
      privateKeys: v.AddPrivateKey ? [{ KeyId: iamId("SPK", 21), Timestamp: ctx.now() }] : [],
    };
    s.saml.set(arn, p);
    return { SAMLProviderArn: arn, Tags: tagsOut(p.tags) };
  },
  GetSAMLProvider(ctx, v) {
    const p = getSaml(st(ctx), String(v.SAMLProviderArn));
    return {
      SAMLProviderUUID: p.uuid,
      SAMLMetadataDocument: p.metadata,
      CreateDate: p.created,
      ValidUntil: p.validUntil,
      // AWS shows Tags and PrivateKeyList even when empty, and the encryption mode as Allowed unless set.
      Tags: p.tags,
      AssertionEncryptionMode: p.encryptionMode ?? "Allowed",
      PrivateKeyList: p.privateKeys,
    };
  },
  ListSAMLProviders: (ctx) => ({
    SAMLProviderList: sortBy([...st(ctx).saml.values()], (p) => p.arn).map((p) => ({ Arn: p.arn, ValidUntil: p.validUntil, CreateDate: p.created })),
  }),
  UpdateSAMLProvider(ctx, v) {
    const p = getSaml(st(ctx), String(v.SAMLProviderArn));
    if (v.SAMLMetadataDocument !== undefined) {
      p.metadata = String(v.SAMLMetadataDocument);
      p.validUntil = samlValidUntil(p.metadata, ctx.now());
    }
    if (v.AssertionEncryptionMode !== undefined) p.encryptionMode = String(v.AssertionEncryptionMode);
    if (v.AddPrivateKey) p.privateKeys.push({ KeyId: iamId("SPK", 21), Timestamp: ctx.now() });
    if (v.RemovePrivateKey) p.privateKeys = p.privateKeys.filter((k) => k.KeyId !== String(v.RemovePrivateKey));
    return { SAMLProviderArn: p.arn };
  },
  DeleteSAMLProvider(ctx, v) {
    const s = st(ctx);
    const p = getSaml(s, String(v.SAMLProviderArn));
    s.saml.delete(p.arn);
    return {};
  },
  ...taggingOps("SAMLProvider", "SAMLProviderArn", "TagsPerSAMLProvider", getSaml),
};

export { defaultDoc };
