/**
 * IAM (AWS Query, 2010-05-08; global: one state per account): roles, inline and managed policies (with
 * versions), attachments, instance profiles, users, access keys, groups and tags. AWS managed policies
 * (arn:aws:iam::aws:policy/...) are seeded and attachable. Policy documents come back URL-encoded
 * (RFC 3986), as IAM returns them. Gaps: no policy evaluation (nothing is denied), no MFA, login
 * profiles, SAML/OIDC providers, server certificates or service-linked roles.
 */
import { randomBytes } from "node:crypto";
import { AwsError } from "../../protocols/aws-error.js";
import { mergeTags } from "../core/tags.js";
import type { Ctx, ServiceDefinition } from "../core/types.js";

type Input = Record<string, any>;
type Tag = { Key: string; Value: string };

interface Policy {
  name: string;
  path: string;
  arn: string;
  id: string;
  description?: string;
  created: Date;
  updated: Date;
  versions: Array<{ id: string; doc: string; created: Date }>;
  defaultVersion: string;
  tags: Tag[];
  aws: boolean;
}
interface Role {
  name: string;
  path: string;
  arn: string;
  id: string;
  trust: string;
  description?: string;
  maxSession: number;
  created: Date;
  tags: Tag[];
  inline: Map<string, string>;
  attached: Set<string>;
  boundary?: string;
}
interface User {
  name: string;
  path: string;
  arn: string;
  id: string;
  created: Date;
  tags: Tag[];
  inline: Map<string, string>;
  attached: Set<string>;
  keys: Array<{ id: string; secret: string; status: string; created: Date }>;
}
interface Group {
  name: string;
  path: string;
  arn: string;
  id: string;
  created: Date;
  inline: Map<string, string>;
  attached: Set<string>;
  users: Set<string>;
}
interface Profile {
  name: string;
  path: string;
  arn: string;
  id: string;
  created: Date;
  roles: string[];
  tags: Tag[];
}
interface IamState {
  accountId: string;
  roles: Map<string, Role>;
  policies: Map<string, Policy>;
  users: Map<string, User>;
  groups: Map<string, Group>;
  profiles: Map<string, Profile>;
}

const err = (code: string, message: string, status: number) => new AwsError(code, message, status);
const E = {
  noSuch: (m: string) => err("NoSuchEntity", m, 404),
  exists: (m: string) => err("EntityAlreadyExists", m, 409),
  conflict: (m: string) => err("DeleteConflict", m, 409),
  malformed: (m = "This policy contains invalid Json") => err("MalformedPolicyDocument", m, 400),
  limit: (m: string) => err("LimitExceeded", m, 409),
  validation: (m: string) => err("ValidationError", m, 400),
  invalidInput: (m: string) => err("InvalidInput", m, 400),
};

const CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const iamId = (prefix: string) => prefix + Array.from(randomBytes(17), (b) => CHARS[b % 32]).join("");
/** RFC 3986 encoding, as IAM returns policy documents. */
const enc = (doc: string) => encodeURIComponent(doc).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const st = (ctx: Ctx) => ctx.state<IamState>();
const NAME = /^[\w+=,.@-]{1,64}$/;

function req(v: Input, name: string): string {
  const x = v[name];
  if (x === undefined || x === "")
    throw E.validation(
      `1 validation error detected: Value null at '${name.charAt(0).toLowerCase() + name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  return String(x);
}

function checkName(v: string, field: string, max = 64) {
  if (!NAME.test(v) || v.length > max)
    throw E.validation(
      `1 validation error detected: Value '${v}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`,
    );
}

function checkPath(p: string) {
  if (!/^(\/|\/[\u0021-\u007E]+\/)$/.test(p) || p.length > 512)
    throw E.validation(
      `1 validation error detected: Value '${p}' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)`,
    );
}

function checkDoc(doc: string) {
  try {
    const o = JSON.parse(doc);
    if (typeof o !== "object" || o === null || !("Statement" in o)) throw new Error();
  } catch {
    throw E.malformed();
  }
}

/** Marker / MaxItems pagination, IAM's way. */
function page<T>(items: T[], v: Input, key: (t: T) => string) {
  const max = v.MaxItems !== undefined ? Number(v.MaxItems) : 100;
  if (!Number.isInteger(max) || max < 1 || max > 1000)
    throw E.validation(
      `1 validation error detected: Value '${v.MaxItems}' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000`,
    );
  let start = 0;
  if (v.Marker) {
    const after = Buffer.from(String(v.Marker), "base64url").toString();
    start = items.findIndex((x) => key(x) > after);
    if (start < 0) start = items.length;
  }
  const out = items.slice(start, start + max);
  const more = start + max < items.length;
  return { items: out, IsTruncated: more, Marker: more ? Buffer.from(key(out[out.length - 1]!)).toString("base64url") : undefined };
}

const byName = <T extends { name: string }>(m: Map<string, T>, prefix?: string, pathOf?: (t: T) => string) =>
  [...m.values()].filter((x) => !prefix || (pathOf?.(x) ?? "/").startsWith(prefix)).sort((a, b) => (a.name < b.name ? -1 : 1));

function tagsIn(v: Input): Tag[] {
  const tags = (v.Tags ?? []).map((t: Input) => ({ Key: String(t.Key), Value: String(t.Value ?? "") }));
  if (tags.length > 50) throw E.limit("Cannot exceed quota for TagsPerRole: 50");
  return tags;
}

// ---------------------------------------------------------------- AWS managed policies

const MANAGED: Array<[string, string]> = [
  ["/", "AdministratorAccess"],
  ["/", "PowerUserAccess"],
  ["/", "ReadOnlyAccess"],
  ["/", "AmazonS3FullAccess"],
  ["/", "AmazonS3ReadOnlyAccess"],
  ["/", "AmazonEC2FullAccess"],
  ["/", "AmazonEC2ReadOnlyAccess"],
  ["/", "AmazonECS_FullAccess"],
  ["/", "CloudWatchLogsFullAccess"],
  ["/", "CloudWatchLogsReadOnlyAccess"],
  ["/", "AmazonDynamoDBFullAccess"],
  ["/", "AmazonSQSFullAccess"],
  ["/", "AmazonSNSFullAccess"],
  ["/", "IAMFullAccess"],
  ["/", "AWSLambda_FullAccess"],
  ["/service-role/", "AmazonECSTaskExecutionRolePolicy"],
  ["/service-role/", "AWSLambdaBasicExecutionRole"],
  ["/service-role/", "AWSLambdaVPCAccessExecutionRole"],
  ["/service-role/", "AmazonEC2ContainerServiceforEC2Role"],
  ["/", "AmazonSSMManagedInstanceCore"],
  ["/", "AmazonEC2ContainerRegistryReadOnly"],
  ["/", "AmazonElasticFileSystemClientReadWriteAccess"],
];

function createState(accountId: string): IamState {
  const s: IamState = { accountId, roles: new Map(), policies: new Map(), users: new Map(), groups: new Map(), profiles: new Map() };
  const created = new Date("2015-02-06T18:39:46Z");
  for (const [path, name] of MANAGED) {
    const arn = `arn:aws:iam::aws:policy${path}${name}`;
    const doc = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: name === "ReadOnlyAccess" ? ["*:Describe*", "*:Get*", "*:List*"] : "*", Resource: "*" }],
    });
    s.policies.set(arn, {
      name,
      path,
      arn,
      id: iamId("ANPA"),
      created,
      updated: created,
      versions: [{ id: "v1", doc, created }],
      defaultVersion: "v1",
      tags: [],
      aws: true,
    });
  }
  return s;
}

// ---------------------------------------------------------------- roles

function roleOut(r: Role) {
  return {
    Path: r.path,
    RoleName: r.name,
    RoleId: r.id,
    Arn: r.arn,
    CreateDate: r.created,
    AssumeRolePolicyDocument: enc(r.trust),
    Description: r.description,
    MaxSessionDuration: r.maxSession,
    PermissionsBoundary: r.boundary ? { PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: r.boundary } : undefined,
    Tags: r.tags.length ? r.tags : undefined,
    RoleLastUsed: {},
  };
}

function getRole(s: IamState, name: string): Role {
  const r = s.roles.get(name);
  if (!r) throw E.noSuch(`The role with name ${name} cannot be found.`);
  return r;
}

function getPolicy(s: IamState, arn: string): Policy {
  const p = s.policies.get(arn);
  if (!p) throw E.noSuch(`Policy ${arn} does not exist or is not attachable.`);
  return p;
}

function attachedCount(s: IamState, arn: string): number {
  let n = 0;
  for (const x of [...s.roles.values(), ...s.users.values(), ...s.groups.values()]) if (x.attached.has(arn)) n++;
  return n;
}

function policyOut(s: IamState, p: Policy) {
  return {
    PolicyName: p.name,
    PolicyId: p.id,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersion,
    AttachmentCount: attachedCount(s, p.arn),
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: p.description,
    CreateDate: p.created,
    UpdateDate: p.updated,
    Tags: p.tags.length ? p.tags : undefined,
  };
}

const ops: Record<string, (ctx: Ctx, v: Input) => unknown> = {
  CreateRole(ctx, v) {
    const s = st(ctx);
    const name = req(v, "RoleName");
    checkName(name, "roleName");
    const trust = req(v, "AssumeRolePolicyDocument");
    checkDoc(trust);
    const path = v.Path ?? "/";
    checkPath(path);
    if (s.roles.has(name)) throw E.exists(`Role with name ${name} already exists.`);
    const max = v.MaxSessionDuration !== undefined ? Number(v.MaxSessionDuration) : 3600;
    if (max < 3600 || max > 43200)
      throw E.validation(
        `1 validation error detected: Value '${max}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value ${max < 3600 ? "greater than or equal to 3600" : "less than or equal to 43200"}`,
      );
    const r: Role = {
      name,
      path,
      arn: `arn:aws:iam::${s.accountId}:role${path}${name}`,
      id: iamId("AROA"),
      trust,
      description: v.Description,
      maxSession: max,
      created: ctx.now(),
      tags: tagsIn(v),
      inline: new Map(),
      attached: new Set(),
      boundary: v.PermissionsBoundary,
    };
    s.roles.set(name, r);
    return { Role: roleOut(r) };
  },
  GetRole: (ctx, v) => ({ Role: roleOut(getRole(st(ctx), req(v, "RoleName"))) }),
  ListRoles(ctx, v) {
    const p = page(
      byName(st(ctx).roles, v.PathPrefix, (r) => r.path),
      v,
      (r) => r.name,
    );
    return { Roles: p.items.map((r) => ({ ...roleOut(r), Tags: undefined })), IsTruncated: p.IsTruncated, Marker: p.Marker };
  },
  UpdateRole(ctx, v) {
    const r = getRole(st(ctx), req(v, "RoleName"));
    if (v.Description !== undefined) r.description = v.Description;
    if (v.MaxSessionDuration !== undefined) r.maxSession = Number(v.MaxSessionDuration);
    return {};
  },
  UpdateRoleDescription(ctx, v) {
    const r = getRole(st(ctx), req(v, "RoleName"));
    r.description = v.Description;
    return { Role: roleOut(r) };
  },
  UpdateAssumeRolePolicy(ctx, v) {
    const r = getRole(st(ctx), req(v, "RoleName"));
    const doc = req(v, "PolicyDocument");
    checkDoc(doc);
    r.trust = doc;
    return undefined;
  },
  DeleteRole(ctx, v) {
    const s = st(ctx);
    const r = getRole(s, req(v, "RoleName"));
    if ([...s.profiles.values()].some((p) => p.roles.includes(r.name)))
      throw E.conflict("Cannot delete entity, must remove roles from instance profile first.");
    if (r.attached.size) throw E.conflict("Cannot delete entity, must detach all policies first.");
    if (r.inline.size) throw E.conflict("Cannot delete entity, must delete policies first.");
    s.roles.delete(r.name);
    return undefined;
  },
  TagRole(ctx, v) {
    const r = getRole(st(ctx), req(v, "RoleName"));
    r.tags = mergeTags(r.tags, tagsIn(v));
    return undefined;
  },
  UntagRole(ctx, v) {
    const r = getRole(st(ctx), req(v, "RoleName"));
    const keys = new Set<string>(v.TagKeys ?? []);
    r.tags = r.tags.filter((t) => !keys.has(t.Key));
    return undefined;
  },
  ListRoleTags(ctx, v) {
    const r = getRole(st(ctx), req(v, "RoleName"));
    const p = page(r.tags, v, (t) => t.Key);
    return { Tags: p.items, IsTruncated: p.IsTruncated, Marker: p.Marker };
  },
  PutRolePolicy: (ctx, v) => putInline(getRole(st(ctx), req(v, "RoleName")), v),
  GetRolePolicy(ctx, v) {
    const r = getRole(st(ctx), req(v, "RoleName"));
    const name = req(v, "PolicyName");
    const doc = r.inline.get(name);
    if (doc === undefined) throw E.noSuch(`The role policy with name ${name} cannot be found.`);
    return { RoleName: r.name, PolicyName: name, PolicyDocument: enc(doc) };
  },
  ListRolePolicies: (ctx, v) => listInline(getRole(st(ctx), req(v, "RoleName")), v),
  DeleteRolePolicy(ctx, v) {
    const r = getRole(st(ctx), req(v, "RoleName"));
    const name = req(v, "PolicyName");
    if (!r.inline.delete(name)) throw E.noSuch(`The role policy with name ${name} cannot be found.`);
    return undefined;
  },
  AttachRolePolicy: (ctx, v) => attach(ctx, getRole(st(ctx), req(v, "RoleName")), v),
  DetachRolePolicy: (ctx, v) => detach(ctx, getRole(st(ctx), req(v, "RoleName")), v),
  ListAttachedRolePolicies: (ctx, v) => listAttached(ctx, getRole(st(ctx), req(v, "RoleName")), v),

  // ---------------------------------------------------------------- managed policies
  CreatePolicy(ctx, v) {
    const s = st(ctx);
    const name = req(v, "PolicyName");
    checkName(name, "policyName", 128);
    const doc = req(v, "PolicyDocument");
    checkDoc(doc);
    const path = v.Path ?? "/";
    checkPath(path);
    const arn = `arn:aws:iam::${s.accountId}:policy${path}${name}`;
    if (s.policies.has(arn)) throw E.exists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
    const now = ctx.now();
    const p: Policy = {
      name,
      path,
      arn,
      id: iamId("ANPA"),
      description: v.Description,
      created: now,
      updated: now,
      versions: [{ id: "v1", doc, created: now }],
      defaultVersion: "v1",
      tags: tagsIn(v),
      aws: false,
    };
    s.policies.set(arn, p);
    return { Policy: policyOut(s, p) };
  },
  GetPolicy: (ctx, v) => ({ Policy: policyOut(st(ctx), getPolicy(st(ctx), req(v, "PolicyArn"))) }),
  ListPolicies(ctx, v) {
    const s = st(ctx);
    const scope = String(v.Scope ?? "All");
    const onlyAttached = String(v.OnlyAttached) === "true";
    const all = [...s.policies.values()]
      .filter((p) => (scope === "AWS" ? p.aws : scope === "Local" ? !p.aws : true))
      .filter((p) => !onlyAttached || attachedCount(s, p.arn) > 0)
      .filter((p) => !v.PathPrefix || p.path.startsWith(v.PathPrefix))
      .sort((a, b) => (a.arn < b.arn ? -1 : 1));
    const p = page(all, v, (x) => x.arn);
    return { Policies: p.items.map((x) => ({ ...policyOut(s, x), Description: undefined, Tags: undefined })), IsTruncated: p.IsTruncated, Marker: p.Marker };
  },
  DeletePolicy(ctx, v) {
    const s = st(ctx);
    const p = getPolicy(s, req(v, "PolicyArn"));
    if (p.aws) throw err("AccessDenied", "Cannot delete an AWS managed policy", 403);
    if (attachedCount(s, p.arn)) throw E.conflict("Cannot delete a policy attached to entities.");
    if (p.versions.length > 1)
      throw E.conflict(
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      );
    s.policies.delete(p.arn);
    return undefined;
  },
  CreatePolicyVersion(ctx, v) {
    const p = getPolicy(st(ctx), req(v, "PolicyArn"));
    const doc = req(v, "PolicyDocument");
    checkDoc(doc);
    if (p.versions.length >= 5)
      throw E.limit("A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.");
    const n = Math.max(...p.versions.map((x) => Number(x.id.slice(1)))) + 1;
    const ver = { id: `v${n}`, doc, created: ctx.now() };
    p.versions.push(ver);
    if (String(v.SetAsDefault) === "true") p.defaultVersion = ver.id;
    p.updated = ctx.now();
    return { PolicyVersion: { VersionId: ver.id, IsDefaultVersion: p.defaultVersion === ver.id, CreateDate: ver.created } };
  },
  GetPolicyVersion(ctx, v) {
    const p = getPolicy(st(ctx), req(v, "PolicyArn"));
    const id = req(v, "VersionId");
    const ver = p.versions.find((x) => x.id === id);
    if (!ver) throw E.noSuch(`Policy ${p.arn} version ${id} does not exist or is not attachable.`);
    return { PolicyVersion: { Document: enc(ver.doc), VersionId: ver.id, IsDefaultVersion: p.defaultVersion === ver.id, CreateDate: ver.created } };
  },
  ListPolicyVersions(ctx, v) {
    const p = getPolicy(st(ctx), req(v, "PolicyArn"));
    return {
      Versions: [...p.versions].reverse().map((x) => ({ VersionId: x.id, IsDefaultVersion: p.defaultVersion === x.id, CreateDate: x.created })),
      IsTruncated: false,
    };
  },
  DeletePolicyVersion(ctx, v) {
    const p = getPolicy(st(ctx), req(v, "PolicyArn"));
    const id = req(v, "VersionId");
    if (id === p.defaultVersion) throw E.conflict("Cannot delete the default version of a policy.");
    const i = p.versions.findIndex((x) => x.id === id);
    if (i < 0) throw E.noSuch(`Policy ${p.arn} version ${id} does not exist or is not attachable.`);
    p.versions.splice(i, 1);
    return undefined;
  },
  SetDefaultPolicyVersion(ctx, v) {
    const p = getPolicy(st(ctx), req(v, "PolicyArn"));
    const id = req(v, "VersionId");
    if (!p.versions.some((x) => x.id === id)) throw E.noSuch(`Policy ${p.arn} version ${id} does not exist or is not attachable.`);
    p.defaultVersion = id;
    return undefined;
  },
  ListEntitiesForPolicy(ctx, v) {
    const s = st(ctx);
    const arn = getPolicy(s, req(v, "PolicyArn")).arn;
    const pick = <T extends { name: string; id: string; attached: Set<string> }>(m: Map<string, T>, n: string, i: string) =>
      [...m.values()].filter((x) => x.attached.has(arn)).map((x) => ({ [n]: x.name, [i]: x.id }));
    return {
      PolicyRoles: pick(s.roles, "RoleName", "RoleId"),
      PolicyUsers: pick(s.users, "UserName", "UserId"),
      PolicyGroups: pick(s.groups, "GroupName", "GroupId"),
      IsTruncated: false,
    };
  },
  TagPolicy(ctx, v) {
    const p = getPolicy(st(ctx), req(v, "PolicyArn"));
    p.tags = mergeTags(p.tags, tagsIn(v));
    return undefined;
  },
  UntagPolicy(ctx, v) {
    const p = getPolicy(st(ctx), req(v, "PolicyArn"));
    const keys = new Set<string>(v.TagKeys ?? []);
    p.tags = p.tags.filter((t) => !keys.has(t.Key));
    return undefined;
  },
  ListPolicyTags: (ctx, v) => ({ Tags: getPolicy(st(ctx), req(v, "PolicyArn")).tags, IsTruncated: false }),

  // ---------------------------------------------------------------- instance profiles
  CreateInstanceProfile(ctx, v) {
    const s = st(ctx);
    const name = req(v, "InstanceProfileName");
    checkName(name, "instanceProfileName", 128);
    const path = v.Path ?? "/";
    checkPath(path);
    if (s.profiles.has(name)) throw E.exists(`Instance Profile ${name} already exists.`);
    const p: Profile = {
      name,
      path,
      arn: `arn:aws:iam::${s.accountId}:instance-profile${path}${name}`,
      id: iamId("AIPA"),
      created: ctx.now(),
      roles: [],
      tags: tagsIn(v),
    };
    s.profiles.set(name, p);
    return { InstanceProfile: profileOut(s, p) };
  },
  GetInstanceProfile: (ctx, v) => ({ InstanceProfile: profileOut(st(ctx), getProfile(st(ctx), req(v, "InstanceProfileName"))) }),
  ListInstanceProfiles(ctx, v) {
    const s = st(ctx);
    const p = page(
      byName(s.profiles, v.PathPrefix, (x) => x.path),
      v,
      (x) => x.name,
    );
    return { InstanceProfiles: p.items.map((x) => profileOut(s, x)), IsTruncated: p.IsTruncated, Marker: p.Marker };
  },
  DeleteInstanceProfile(ctx, v) {
    const s = st(ctx);
    const p = getProfile(s, req(v, "InstanceProfileName"));
    if (p.roles.length) throw E.conflict("Cannot delete entity, must remove roles from instance profile first.");
    s.profiles.delete(p.name);
    return undefined;
  },
  AddRoleToInstanceProfile(ctx, v) {
    const s = st(ctx);
    const p = getProfile(s, req(v, "InstanceProfileName"));
    const r = getRole(s, req(v, "RoleName"));
    if (p.roles.length) throw E.limit("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
    p.roles.push(r.name);
    return undefined;
  },
  RemoveRoleFromInstanceProfile(ctx, v) {
    const s = st(ctx);
    const p = getProfile(s, req(v, "InstanceProfileName"));
    const name = req(v, "RoleName");
    if (!p.roles.includes(name)) throw E.noSuch(`The role with name ${name} cannot be found.`);
    p.roles = p.roles.filter((x) => x !== name);
    return undefined;
  },
  ListInstanceProfilesForRole(ctx, v) {
    const s = st(ctx);
    const r = getRole(s, req(v, "RoleName"));
    return { InstanceProfiles: [...s.profiles.values()].filter((p) => p.roles.includes(r.name)).map((p) => profileOut(s, p)), IsTruncated: false };
  },

  // ---------------------------------------------------------------- users, access keys, groups
  CreateUser(ctx, v) {
    const s = st(ctx);
    const name = req(v, "UserName");
    checkName(name, "userName");
    const path = v.Path ?? "/";
    checkPath(path);
    if (s.users.has(name)) throw E.exists(`User with name ${name} already exists.`);
    const u: User = {
      name,
      path,
      arn: `arn:aws:iam::${s.accountId}:user${path}${name}`,
      id: iamId("AIDA"),
      created: ctx.now(),
      tags: tagsIn(v),
      inline: new Map(),
      attached: new Set(),
      keys: [],
    };
    s.users.set(name, u);
    return { User: userOut(u) };
  },
  GetUser(ctx, v) {
    const s = st(ctx);
    if (!v.UserName)
      return {
        User: { UserId: s.accountId, Arn: `arn:aws:iam::${s.accountId}:root`, CreateDate: new Date("2020-01-01T00:00:00Z"), Path: "/", UserName: undefined },
      };
    return { User: userOut(getUser(s, String(v.UserName))) };
  },
  ListUsers(ctx, v) {
    const p = page(
      byName(st(ctx).users, v.PathPrefix, (u) => u.path),
      v,
      (u) => u.name,
    );
    return { Users: p.items.map((u) => ({ ...userOut(u), Tags: undefined })), IsTruncated: p.IsTruncated, Marker: p.Marker };
  },
  DeleteUser(ctx, v) {
    const s = st(ctx);
    const u = getUser(s, req(v, "UserName"));
    if (u.keys.length || u.attached.size || u.inline.size || [...s.groups.values()].some((g) => g.users.has(u.name)))
      throw E.conflict(
        "Cannot delete entity, must delete access keys first.".replace("access keys", u.keys.length ? "access keys" : u.attached.size ? "policies" : "groups"),
      );
    s.users.delete(u.name);
    return undefined;
  },
  TagUser(ctx, v) {
    const u = getUser(st(ctx), req(v, "UserName"));
    u.tags = mergeTags(u.tags, tagsIn(v));
    return undefined;
  },
  UntagUser(ctx, v) {
    const u = getUser(st(ctx), req(v, "UserName"));
    const keys = new Set<string>(v.TagKeys ?? []);
    u.tags = u.tags.filter((t) => !keys.has(t.Key));
    return undefined;
  },
  ListUserTags: (ctx, v) => ({ Tags: getUser(st(ctx), req(v, "UserName")).tags, IsTruncated: false }),
  CreateAccessKey(ctx, v) {
    const u = getUser(st(ctx), req(v, "UserName"));
    if (u.keys.length >= 2) throw E.limit("Cannot exceed quota for AccessKeysPerUser: 2");
    const k = {
      id: iamId("AKIA").slice(0, 20),
      secret: randomBytes(30).toString("base64").replace(/[+/=]/g, "A").slice(0, 40),
      status: "Active",
      created: ctx.now(),
    };
    u.keys.push(k);
    return { AccessKey: { UserName: u.name, AccessKeyId: k.id, Status: k.status, SecretAccessKey: k.secret, CreateDate: k.created } };
  },
  ListAccessKeys(ctx, v) {
    const u = getUser(st(ctx), req(v, "UserName"));
    return { AccessKeyMetadata: u.keys.map((k) => ({ UserName: u.name, AccessKeyId: k.id, Status: k.status, CreateDate: k.created })), IsTruncated: false };
  },
  UpdateAccessKey(ctx, v) {
    const u = getUser(st(ctx), req(v, "UserName"));
    const k = u.keys.find((x) => x.id === v.AccessKeyId);
    if (!k) throw E.noSuch(`The Access Key with id ${v.AccessKeyId} cannot be found.`);
    k.status = req(v, "Status");
    return undefined;
  },
  DeleteAccessKey(ctx, v) {
    const u = getUser(st(ctx), req(v, "UserName"));
    const i = u.keys.findIndex((x) => x.id === v.AccessKeyId);
    if (i < 0) throw E.noSuch(`The Access Key with id ${v.AccessKeyId} cannot be found.`);
    u.keys.splice(i, 1);
    return undefined;
  },
  PutUserPolicy: (ctx, v) => putInline(getUser(st(ctx), req(v, "UserName")), v),
  GetUserPolicy(ctx, v) {
    const u = getUser(st(ctx), req(v, "UserName"));
    const doc = u.inline.get(req(v, "PolicyName"));
    if (doc === undefined) throw E.noSuch(`The user policy with name ${v.PolicyName} cannot be found.`);
    return { UserName: u.name, PolicyName: v.PolicyName, PolicyDocument: enc(doc) };
  },
  ListUserPolicies: (ctx, v) => listInline(getUser(st(ctx), req(v, "UserName")), v),
  DeleteUserPolicy(ctx, v) {
    const u = getUser(st(ctx), req(v, "UserName"));
    if (!u.inline.delete(req(v, "PolicyName"))) throw E.noSuch(`The user policy with name ${v.PolicyName} cannot be found.`);
    return undefined;
  },
  AttachUserPolicy: (ctx, v) => attach(ctx, getUser(st(ctx), req(v, "UserName")), v),
  DetachUserPolicy: (ctx, v) => detach(ctx, getUser(st(ctx), req(v, "UserName")), v),
  ListAttachedUserPolicies: (ctx, v) => listAttached(ctx, getUser(st(ctx), req(v, "UserName")), v),
  CreateGroup(ctx, v) {
    const s = st(ctx);
    const name = req(v, "GroupName");
    checkName(name, "groupName", 128);
    const path = v.Path ?? "/";
    checkPath(path);
    if (s.groups.has(name)) throw E.exists(`Group with name ${name} already exists.`);
    const g: Group = {
      name,
      path,
      arn: `arn:aws:iam::${s.accountId}:group${path}${name}`,
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
    const g = getGroup(s, req(v, "GroupName"));
    return { Group: groupOut(g), Users: [...g.users].map((u) => userOut(s.users.get(u)!)), IsTruncated: false };
  },
  ListGroups(ctx, v) {
    const p = page(
      byName(st(ctx).groups, v.PathPrefix, (g) => g.path),
      v,
      (g) => g.name,
    );
    return { Groups: p.items.map(groupOut), IsTruncated: p.IsTruncated, Marker: p.Marker };
  },
  DeleteGroup(ctx, v) {
    const s = st(ctx);
    const g = getGroup(s, req(v, "GroupName"));
    if (g.users.size || g.attached.size || g.inline.size) throw E.conflict("Cannot delete entity, must remove users from group first.");
    s.groups.delete(g.name);
    return undefined;
  },
  AddUserToGroup(ctx, v) {
    const s = st(ctx);
    getGroup(s, req(v, "GroupName")).users.add(getUser(s, req(v, "UserName")).name);
    return undefined;
  },
  RemoveUserFromGroup(ctx, v) {
    const s = st(ctx);
    const g = getGroup(s, req(v, "GroupName"));
    if (!g.users.delete(req(v, "UserName"))) throw E.noSuch(`The user with name ${v.UserName} cannot be found.`);
    return undefined;
  },
  ListGroupsForUser(ctx, v) {
    const s = st(ctx);
    const u = getUser(s, req(v, "UserName"));
    return { Groups: [...s.groups.values()].filter((g) => g.users.has(u.name)).map(groupOut), IsTruncated: false };
  },
  AttachGroupPolicy: (ctx, v) => attach(ctx, getGroup(st(ctx), req(v, "GroupName")), v),
  DetachGroupPolicy: (ctx, v) => detach(ctx, getGroup(st(ctx), req(v, "GroupName")), v),
  ListAttachedGroupPolicies: (ctx, v) => listAttached(ctx, getGroup(st(ctx), req(v, "GroupName")), v),
  GetAccountSummary(ctx) {
    const s = st(ctx);
    return {
      SummaryMap: {
        Users: s.users.size,
        Roles: s.roles.size,
        Groups: s.groups.size,
        Policies: [...s.policies.values()].filter((p) => !p.aws).length,
        InstanceProfiles: s.profiles.size,
        UsersQuota: 5000,
        RolesQuota: 1000,
      },
    };
  },
};

function putInline(x: { inline: Map<string, string> }, v: Input) {
  const name = req(v, "PolicyName");
  checkName(name, "policyName", 128);
  const doc = req(v, "PolicyDocument");
  checkDoc(doc);
  x.inline.set(name, doc);
  return undefined;
}

function listInline(x: { inline: Map<string, string> }, v: Input) {
  const p = page([...x.inline.keys()].sort(), v, (n) => n);
  return { PolicyNames: p.items, IsTruncated: p.IsTruncated, Marker: p.Marker };
}

function attach(ctx: Ctx, x: { attached: Set<string> }, v: Input) {
  const p = getPolicy(st(ctx), req(v, "PolicyArn"));
  x.attached.add(p.arn);
  return undefined;
}

function detach(ctx: Ctx, x: { attached: Set<string> }, v: Input) {
  const arn = req(v, "PolicyArn");
  if (!x.attached.delete(arn)) throw E.noSuch(`Policy ${arn} was not found.`);
  return undefined;
}

function listAttached(ctx: Ctx, x: { attached: Set<string> }, v: Input) {
  const s = st(ctx);
  const all = [...x.attached].map((a) => s.policies.get(a)).filter((p): p is Policy => !!p && (!v.PathPrefix || p.path.startsWith(v.PathPrefix)));
  const p = page(
    all.sort((a, b) => (a.arn < b.arn ? -1 : 1)),
    v,
    (y) => y.arn,
  );
  return { AttachedPolicies: p.items.map((y) => ({ PolicyName: y.name, PolicyArn: y.arn })), IsTruncated: p.IsTruncated, Marker: p.Marker };
}

function getProfile(s: IamState, name: string): Profile {
  const p = s.profiles.get(name);
  if (!p) throw E.noSuch(`Instance Profile ${name} cannot be found.`);
  return p;
}

function profileOut(s: IamState, p: Profile) {
  return {
    Path: p.path,
    InstanceProfileName: p.name,
    InstanceProfileId: p.id,
    Arn: p.arn,
    CreateDate: p.created,
    Roles: p.roles.map((r) => ({ ...roleOut(s.roles.get(r)!), Tags: undefined })),
    Tags: p.tags.length ? p.tags : undefined,
  };
}

function getUser(s: IamState, name: string): User {
  const u = s.users.get(name);
  if (!u) throw E.noSuch(`The user with name ${name} cannot be found.`);
  return u;
}

const userOut = (u: User) => ({ Path: u.path, UserName: u.name, UserId: u.id, Arn: u.arn, CreateDate: u.created, Tags: u.tags.length ? u.tags : undefined });

function getGroup(s: IamState, name: string): Group {
  const g = s.groups.get(name);
  if (!g) throw E.noSuch(`The group with name ${name} cannot be found.`);
  return g;
}

const groupOut = (g: Group) => ({ Path: g.path, GroupName: g.name, GroupId: g.id, Arn: g.arn, CreateDate: g.created });

const iam: ServiceDefinition<IamState> = {
  name: "iam",
  protocol: "query",
  apiVersion: "2010-05-08",
  xmlns: "https://iam.amazonaws.com/doc/2010-05-08/",
  scope: "account",
  createState: ({ accountId }) => createState(accountId),
  counts: (s) => ({ roles: s.roles.size, users: s.users.size, policies: [...s.policies.values()].filter((p) => !p.aws).length }),
  operations: ops,
};

export default iam;
