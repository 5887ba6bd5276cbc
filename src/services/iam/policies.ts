/** Managed policies and versions; inline policies and attachments shared by users, groups and roles. */
import type { Ctx, Handler } from "../core/types.js";
import { E } from "./errors.js";
import { checkPolicySize, parsePolicy } from "./policy.js";
import {
  applyTags,
  bool,
  enc,
  type Holder,
  type IamState,
  type Input,
  iamArn,
  iamId,
  page,
  type Policy,
  policyOrder,
  sortBy,
  st,
  str,
  tagsIn,
  listTags,
  removeTags,
  tagsOut,
  allPolicies,
  policyAt,
} from "./state.js";

export function getPolicy(s: IamState, arn: string): Policy {
  const p = policyAt(s, arn);
  if (!p) throw E.noSuch(`Policy ${arn} does not exist or is not attachable.`);
  return p;
}

/** What AWS answers as PermissionsBoundaryType: "Policy" (recorded), though the model's enum says PermissionsBoundaryPolicy. */
export const BOUNDARY_TYPE = "Policy";

/** A permissions boundary given to CreateRole/CreateUser/Put*PermissionsBoundary: an existing managed policy's ARN. */
export function boundaryArn(s: IamState, arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  if (!/^arn:[^:]+:iam::(\d{12}|aws):policy\/.+$/.test(arn)) throw E.invalidInput(`ARN ${arn} is not valid.`);
  if (!policyAt(s, arn)) throw E.noSuch(`Scope ARN: ${arn} does not exist or is not attachable.`);
  return arn;
}

export function attachedCount(s: IamState, arn: string): number {
  let n = 0;
  for (const m of [s.roles, s.users, s.groups]) for (const x of m.values()) if (x.attached.has(arn)) n++;
  return n;
}

export function boundaryCount(s: IamState, arn: string): number {
  let n = 0;
  for (const m of [s.roles, s.users]) for (const x of m.values()) if (x.boundary === arn) n++;
  return n;
}

export function policyOut(s: IamState, p: Policy) {
  return {
    PolicyName: p.name,
    PolicyId: p.id,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersion,
    AttachmentCount: attachedCount(s, p.arn),
    PermissionsBoundaryUsageCount: boundaryCount(s, p.arn),
    IsAttachable: true,
    Description: p.description,
    CreateDate: p.created,
    UpdateDate: p.updated,
    Tags: tagsOut(p.tags),
  };
}

export const defaultDoc = (p: Policy) => p.versions.find((v) => v.id === p.defaultVersion)!.doc;
const versionOut = (p: Policy, v: Policy["versions"][number], withDoc = false) => ({
  Document: withDoc ? enc(v.doc) : undefined,
  VersionId: v.id,
  IsDefaultVersion: p.defaultVersion === v.id,
  CreateDate: v.created,
});
export { versionOut };

/** Validate an identity policy (managed or inline) as IAM does. */
export function checkIdentityPolicy(ctx: Ctx, doc: string, limit: number, quota = "PolicySize", managed = false) {
  parsePolicy(doc, "identity", ctx.config.strict, { requireVersion: managed });
  checkPolicySize(doc, limit, quota);
}

export const INLINE_LIMITS = { user: 2048, group: 5120, role: 10240 } as const;

export function putInline(ctx: Ctx, x: Holder, v: Input, kind: keyof typeof INLINE_LIMITS) {
  const name = String(v.PolicyName);
  const doc = String(v.PolicyDocument);
  const quota = kind === "user" ? "UserPolicySize" : kind === "group" ? "GroupPolicySize" : "RolePolicySize";
  checkIdentityPolicy(ctx, doc, INLINE_LIMITS[kind], quota);
  x.inline.set(name, doc);
  return {};
}

export function listInline(x: Holder, v: Input) {
  const p = page([...x.inline.keys()].sort(), v, (n) => n);
  return { PolicyNames: p.items, IsTruncated: p.IsTruncated, Marker: p.Marker };
}

export function attach(ctx: Ctx, x: Holder, v: Input, quota: string) {
  const arn = String(v.PolicyArn);
  // Something that is no ARN at all (a bare policy name) is a validation error, not a missing policy.
  if (!/^arn:[^:]+:[^:]*:[^:]*:[^:]*:.+$/.test(arn)) throw E.validation(`ARN ${arn} is not valid.`);
  const p = getPolicy(st(ctx), arn);
  // A service-linked role's AWS managed policy (path /aws-service-role/) goes only to service-linked roles
  // (AWS's answer, as aws-cdk#6131 quotes it).
  if (p.aws && p.path.startsWith("/aws-service-role/") && quota === "PoliciesPerRole" && !x.path.startsWith("/aws-service-role/"))
    throw E.notAttachable("Cannot attach a Service Role Policy to a Customer Role.");
  if (!x.attached.has(p.arn) && x.attached.size >= 10) throw E.limit(`Cannot exceed quota for ${quota}: 10`);
  x.attached.add(p.arn);
  return {};
}

export function detach(ctx: Ctx, x: Holder, v: Input) {
  const arn = String(v.PolicyArn);
  if (!x.attached.delete(arn)) throw E.noSuch(`Policy ${arn} was not found.`);
  return {};
}

export function listAttached(ctx: Ctx, x: Holder, v: Input) {
  const s = st(ctx);
  const prefix = str(v.PathPrefix);
  const all = [...x.attached].map((a) => policyAt(s, a)).filter((p): p is Policy => !!p && (!prefix || p.path.startsWith(prefix)));
  const p = page(all, v, policyOrder);
  return { AttachedPolicies: p.items.map((y) => ({ PolicyName: y.name, PolicyArn: y.arn })), IsTruncated: p.IsTruncated, Marker: p.Marker };
}

export const policyOps: Record<string, Handler<Input>> = {
  CreatePolicy(ctx, v) {
    const s = st(ctx);
    const name = String(v.PolicyName);
    const doc = String(v.PolicyDocument);
    checkIdentityPolicy(ctx, doc, 6144, "PolicySize", true);
    const path = str(v.Path) ?? "/";
    const arn = iamArn(s, "policy", path, name);
    if ([...s.policies.values()].some((p) => !p.aws && p.name.toLowerCase() === name.toLowerCase()))
      throw E.exists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
    const now = ctx.now();
    const p: Policy = {
      name,
      path,
      arn,
      id: iamId("ANPA"),
      description: str(v.Description),
      created: now,
      updated: now,
      versions: [{ id: "v1", doc, created: now }],
      defaultVersion: "v1",
      nextVersion: 2,
      tags: applyTags([], tagsIn(v, "Tags", true), "TagsPerPolicy", true),
      aws: false,
      seq: (s.policySeq = (s.policySeq ?? 0) + 1),
    };
    s.policies.set(arn, p);
    // CreatePolicy does not echo the Description (GetPolicy shows it), as AWS answers.
    return { Policy: { ...policyOut(s, p), Description: undefined } };
  },
  GetPolicy: (ctx, v) => {
    // GetPolicy words a missing policy differently from the attach calls' "does not exist or is not attachable".
    const p = policyAt(st(ctx), String(v.PolicyArn));
    if (!p) throw E.noSuch(`Policy ${String(v.PolicyArn)} was not found.`);
    // GetPolicy shows Tags even when there are none (CreatePolicy and ListPolicies do not).
    return { Policy: { ...policyOut(st(ctx), p), Tags: p.tags } };
  },
  ListPolicies(ctx, v) {
    const s = st(ctx);
    const scope = str(v.Scope) ?? "All";
    const onlyAttached = bool(v.OnlyAttached);
    const usage = str(v.PolicyUsageFilter);
    const prefix = str(v.PathPrefix);
    const all = allPolicies(s)
      .filter((p) => (scope === "AWS" ? p.aws : scope === "Local" ? !p.aws : true))
      .filter((p) => !onlyAttached || attachedCount(s, p.arn) + boundaryCount(s, p.arn) > 0)
      .filter((p) => !usage || (usage === "PermissionsPolicy" ? attachedCount(s, p.arn) > 0 : boundaryCount(s, p.arn) > 0))
      .filter((p) => !prefix || p.path.startsWith(prefix));
    const p = page(all, v, policyOrder);
    return { Policies: p.items.map((x) => ({ ...policyOut(s, x), Description: undefined, Tags: undefined })), IsTruncated: p.IsTruncated, Marker: p.Marker };
  },
  DeletePolicy(ctx, v) {
    const s = st(ctx);
    const p = getPolicy(s, String(v.PolicyArn));
    if (p.aws) throw E.accessDenied("Cannot delete an AWS managed policy");
    if (attachedCount(s, p.arn) || boundaryCount(s, p.arn)) throw E.conflict("Cannot delete a policy attached to entities.");
    if (p.versions.length > 1)
      throw E.conflict(
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      );
    s.policies.delete(p.arn);
    return {};
  },
  CreatePolicyVersion(ctx, v) {
    const p = getPolicy(st(ctx), String(v.PolicyArn));
    if (p.aws) throw E.accessDenied("Cannot modify an AWS managed policy");
    const doc = String(v.PolicyDocument);
    checkIdentityPolicy(ctx, doc, 6144, "PolicySize", true);
    if (p.versions.length >= 5)
      throw E.limit("A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.");
    const ver = { id: `v${p.nextVersion++}`, doc, created: ctx.now() };
    p.versions.push(ver);
    if (bool(v.SetAsDefault)) p.defaultVersion = ver.id;
    p.updated = ctx.now();
    return { PolicyVersion: versionOut(p, ver) };
  },
  GetPolicyVersion(ctx, v) {
    const p = policyForVersion(st(ctx), v);
    const id = String(v.VersionId);
    const ver = p.versions.find((x) => x.id === id);
    if (!ver) throw E.noSuch(`Policy ${p.arn} version ${id} does not exist or is not attachable.`);
    return { PolicyVersion: versionOut(p, ver, true) };
  },
  ListPolicyVersions(ctx, v) {
    const p = getPolicy(st(ctx), String(v.PolicyArn));
    const all = [...p.versions].reverse();
    const pg = page(all, v, (x) => String(1e6 - Number(x.id.slice(1))).padStart(7, "0"));
    return { Versions: pg.items.map((x) => versionOut(p, x)), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
  },
  DeletePolicyVersion(ctx, v) {
    const p = getPolicy(st(ctx), String(v.PolicyArn));
    const id = String(v.VersionId);
    const i = p.versions.findIndex((x) => x.id === id);
    if (i < 0) throw E.noSuch(`Policy ${p.arn} version ${id} does not exist or is not attachable.`);
    if (id === p.defaultVersion) throw E.conflict("Cannot delete the default version of a policy.");
    p.versions.splice(i, 1);
    return {};
  },
  SetDefaultPolicyVersion(ctx, v) {
    const p = policyForVersion(st(ctx), v);
    const id = String(v.VersionId);
    if (!p.versions.some((x) => x.id === id)) throw E.noSuch(`Policy ${p.arn} version ${id} does not exist or is not attachable.`);
    p.defaultVersion = id;
    p.updated = ctx.now();
    return {};
  },
  ListEntitiesForPolicy(ctx, v) {
    const s = st(ctx);
    const arn = getPolicy(s, String(v.PolicyArn)).arn;
    const filter = str(v.EntityFilter);
    const usage = str(v.PolicyUsageFilter);
    const prefix = str(v.PathPrefix);
    const uses = (x: { attached: Set<string>; boundary?: string }) =>
      usage === "PermissionsBoundary" ? x.boundary === arn : usage === "PermissionsPolicy" ? x.attached.has(arn) : x.attached.has(arn) || x.boundary === arn;
    const pick = <T extends { name: string; id: string; path: string; attached: Set<string>; boundary?: string }>(
      m: Map<string, T>,
      type: string,
      n: string,
      i: string,
    ) =>
      !filter || filter === type
        ? sortBy(
            [...m.values()].filter((x) => uses(x) && (!prefix || x.path.startsWith(prefix))),
            (x) => x.name,
          ).map((x) => ({ [n]: x.name, [i]: x.id }))
        : [];
    const all = [
      ...pick(s.groups, "Group", "GroupName", "GroupId").map((x) => ({ k: `1${x.GroupName}`, kind: "PolicyGroups", x })),
      ...pick(s.users, "User", "UserName", "UserId").map((x) => ({ k: `2${x.UserName}`, kind: "PolicyUsers", x })),
      ...pick(s.roles, "Role", "RoleName", "RoleId").map((x) => ({ k: `3${x.RoleName}`, kind: "PolicyRoles", x })),
    ];
    const pg = page(all, v, (y) => y.k);
    const of = (kind: string) => pg.items.filter((y) => y.kind === kind).map((y) => y.x);
    return { PolicyGroups: of("PolicyGroups"), PolicyUsers: of("PolicyUsers"), PolicyRoles: of("PolicyRoles"), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
  },
  // Managed policy tags: keys are case-sensitive, a missing policy "was not found", and ListPolicyTags
  // answers the keys shortest first, then in code-point order (as recorded from AWS).
  TagPolicy(ctx, v) {
    const p = policyToTag(st(ctx), v);
    p.tags = applyTags(p.tags, tagsIn(v, "Tags", true), "TagsPerPolicy", true);
    return {};
  },
  UntagPolicy(ctx, v) {
    const p = policyToTag(st(ctx), v);
    p.tags = removeTags(p.tags, v.TagKeys, true);
    return {};
  },
  ListPolicyTags(ctx, v) {
    const tags = [...getPolicy(st(ctx), String(v.PolicyArn)).tags].sort((a, b) => a.Key.length - b.Key.length || (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
    return listTags(tags, v);
  },
};

function policyToTag(s: IamState, v: Input): Policy {
  const p = policyAt(s, String(v.PolicyArn));
  if (!p) throw E.noSuch(`Policy ${String(v.PolicyArn)} was not found.`);
  return p;
}

/** GetPolicyVersion / SetDefaultPolicyVersion word a missing policy with the version asked for. */
function policyForVersion(s: IamState, v: Input): Policy {
  const p = policyAt(s, String(v.PolicyArn));
  if (!p) throw E.noSuch(`Policy ${String(v.PolicyArn)} version ${String(v.VersionId)} does not exist or is not attachable.`);
  return p;
}
