/** Roles, their policies and permissions boundaries, service-linked roles, instance profiles. */
import { randomUUID } from "node:crypto";
import type { Ctx, Handler } from "../core/types.js";
import { E } from "./errors.js";
import { parsePolicy } from "./policy.js";
import { attach, BOUNDARY_TYPE, boundaryArn, detach, getPolicy, listAttached, listInline, putInline } from "./policies.js";
import {
  applyTags,
  byName,
  enc,
  type IamState,
  type Input,
  iamArn,
  iamId,
  num,
  page,
  type Profile,
  type Role,
  st,
  str,
  tagsIn,
  tagsOut,
  taggingOps,
  policyAt,
} from "./state.js";

/**
 * A role as each answer shows it (as recorded from AWS): GetRole everything; CreateRole (and
 * UpdateRoleDescription) no MaxSessionDuration or RoleLastUsed, CreateRole no Description either; ListRoles
 * Description and MaxSessionDuration but no boundary, tags or last use; roles inside an instance profile
 * neither Description nor MaxSessionDuration nor any of those (AWS's GetAccountAuthorizationDetails recording
 * shows a described role so inside its profile; the GetInstanceProfile recordings show the same fields).
 */
export function roleOut(r: Role, full = true, view: "get" | "create" | "describe" | "list" | "profile" = full ? "get" : "list") {
  const whole = view === "get" || view === "create" || view === "describe";
  return {
    Path: r.path,
    RoleName: r.name,
    RoleId: r.id,
    Arn: r.arn,
    CreateDate: r.created,
    AssumeRolePolicyDocument: enc(r.trust),
    Description: view === "create" || view === "profile" ? undefined : r.description,
    MaxSessionDuration: view === "get" || view === "list" ? r.maxSession : undefined,
    PermissionsBoundary: whole && r.boundary ? { PermissionsBoundaryType: BOUNDARY_TYPE, PermissionsBoundaryArn: r.boundary } : undefined,
    Tags: whole ? tagsOut(r.tags) : undefined,
    RoleLastUsed: view === "get" ? (r.lastUsed ? { LastUsedDate: r.lastUsed.date, Region: r.lastUsed.region } : {}) : undefined,
  };
}

export function getRole(s: IamState, name: string): Role {
  const r = s.roles.get(name);
  if (!r) throw E.noSuch(`The role with name ${name} cannot be found.`);
  return r;
}

function protectedRole(r: Role) {
  if (r.service) throw E.unmodifiable(`Cannot perform the operation on the protected role '${r.name}' - this role is only modifiable by AWS`);
}

/** A trust policy: valid as IAM parses it, and every AWS principal of this account must exist. */
function checkTrust(ctx: Ctx, doc: string) {
  const s = st(ctx);
  for (const stmt of parsePolicy(doc, "trust", ctx.config.strict)) {
    for (const p of [stmt.principal, stmt.notPrincipal]) {
      if (!p || p === "*") continue;
      for (const [type, values] of Object.entries(p)) for (const v of values) checkPrincipal(s, type, v);
    }
  }
}

function checkPrincipal(s: IamState, type: string, v: string) {
  const invalid = () => E.malformed(`Invalid principal in policy: "${type === "Service" ? "SERVICE" : type}":"${v}"`);
  if (v === "*") return;
  if (type === "Service") {
    if (!/^[\w.-]+\.amazonaws\.com(\.cn)?$|^[\w.-]+\.amazon\.com$/.test(v)) throw invalid();
    return;
  }
  if (type !== "AWS") return;
  if (/^\d{12}$/.test(v)) return;
  const m = /^arn:[\w-]+:(iam|sts)::(\d{12}):(root|user\/|role\/|assumed-role\/|federated-user\/)(.*)$/.exec(v);
  if (!m) throw invalid();
  const [, service, account, kind, rest] = m as unknown as [string, string, string, string, string];
  if (account !== s.accountId || service !== "iam" || kind === "root") return;
  const name = rest.slice(rest.lastIndexOf("/") + 1);
  const exists = kind === "user/" ? s.users.has(name) : kind === "role/" ? s.roles.has(name) : true;
  if (!exists) throw invalid();
}

function newRole(ctx: Ctx, v: Input, extra: Partial<Role> = {}): Role {
  const s = st(ctx);
  const name = String(v.RoleName);
  const path = str(v.Path) ?? "/";
  if ([...s.roles.keys()].some((k) => k.toLowerCase() === name.toLowerCase())) throw E.exists(`Role with name ${name} already exists.`);
  const max = num(v.MaxSessionDuration) ?? 3600;
  return {
    name,
    path,
    arn: iamArn(s, "role", path, name),
    id: iamId("AROA"),
    trust: String(v.AssumeRolePolicyDocument),
    description: str(v.Description),
    maxSession: max,
    created: ctx.now(),
    tags: applyTags([], tagsIn(v), "TagsPerRole"),
    inline: new Map(),
    attached: new Set(),
    boundary: boundaryArn(s, str(v.PermissionsBoundary)),
    ...extra,
  };
}

/** AWS's names for the service-linked roles of common services; others follow AWSServiceRoleFor<Service>. */
const SLR_NAMES: Record<string, string> = {
  "ecs.amazonaws.com": "AWSServiceRoleForECS",
  "autoscaling.amazonaws.com": "AWSServiceRoleForAutoScaling",
  "elasticloadbalancing.amazonaws.com": "AWSServiceRoleForElasticLoadBalancing",
  "ecs.application-autoscaling.amazonaws.com": "AWSServiceRoleForApplicationAutoScaling_ECSService",
  "spot.amazonaws.com": "AWSServiceRoleForEC2Spot",
  "rds.amazonaws.com": "AWSServiceRoleForRDS",
  "eks.amazonaws.com": "AWSServiceRoleForAmazonEKS",
  "elasticfilesystem.amazonaws.com": "AWSServiceRoleForAmazonElasticFileSystem",
  "lambda.amazonaws.com": "AWSServiceRoleForLambda",
  "ssm.amazonaws.com": "AWSServiceRoleForAmazonSSM",
  "organizations.amazonaws.com": "AWSServiceRoleForOrganizations",
  "config.amazonaws.com": "AWSServiceRoleForConfig",
  "guardduty.amazonaws.com": "AWSServiceRoleForAmazonGuardDuty",
  "trustedadvisor.amazonaws.com": "AWSServiceRoleForTrustedAdvisor",
  "support.amazonaws.com": "AWSServiceRoleForSupport",
  "elasticbeanstalk.amazonaws.com": "AWSServiceRoleForElasticBeanstalk",
  "servicediscovery.amazonaws.com": "AWSServiceRoleForServiceDiscovery",
  "ecr.amazonaws.com": "AWSServiceRoleForECRReplication",
  "lex.amazonaws.com": "AWSServiceRoleForLexBots",
  // Application Auto Scaling: one role per scalable service, named <family>_<resource> (its user guide).
  ...Object.fromEntries(
    Object.entries({
      appstream: "AppStreamFleet",
      cassandra: "CassandraTable",
      comprehend: "ComprehendEndpoint",
      "custom-resource": "CustomResource",
      dynamodb: "DynamoDBTable",
      ec2: "EC2SpotFleetRequest",
      elasticache: "ElastiCacheRG",
      kafka: "KafkaCluster",
      lambda: "LambdaConcurrency",
      neptune: "NeptuneCluster",
      rds: "RDSCluster",
      sagemaker: "SageMakerEndpoint",
    }).map(([k, v]) => [`${k}.application-autoscaling.amazonaws.com`, `AWSServiceRoleForApplicationAutoScaling_${v}`]),
  ),
};

/**
 * The AWS managed permissions policy AWS attaches to a service's service-linked role (path /aws-service-role/), for the
 * services whose policy awsim holds; the roles of other services are created without one.
 */
const SLR_POLICIES: Record<string, string> = {
  "elasticbeanstalk.amazonaws.com": "AWSElasticBeanstalkServiceRolePolicy",
  "batch.amazonaws.com": "BatchServiceRolePolicy",
  "ecs.amazonaws.com": "AmazonECSServiceRolePolicy",
  "autoscaling.amazonaws.com": "AutoScalingServiceRolePolicy",
  "ecs.application-autoscaling.amazonaws.com": "AWSApplicationAutoscalingECSServicePolicy",
  "eks.amazonaws.com": "AmazonEKSServiceRolePolicy",
  "elasticfilesystem.amazonaws.com": "AmazonElasticFileSystemServiceRolePolicy",
};

function slrName(service: string): string {
  const known = SLR_NAMES[service];
  if (known) return known;
  const label = service.replace(/\.amazonaws\.com(\.cn)?$/, "").split(/[.-]/);
  return `AWSServiceRoleFor${label.map((x) => x.charAt(0).toUpperCase() + x.slice(1)).join("")}`;
}

export const roleOps: Record<string, Handler<Input>> = {
  CreateRole(ctx, v) {
    const s = st(ctx);
    checkTrust(ctx, String(v.AssumeRolePolicyDocument));
    const r = newRole(ctx, v);
    s.roles.set(r.name, r);
    return { Role: roleOut(r, true, "create") };
  },
  GetRole: (ctx, v) => ({ Role: roleOut(getRole(st(ctx), String(v.RoleName))) }),
  ListRoles(ctx, v) {
    const p = page(byName(st(ctx).roles, str(v.PathPrefix)), v, (r) => r.name);
    return { Roles: p.items.map((r) => roleOut(r, false)), IsTruncated: p.IsTruncated, Marker: p.Marker };
  },
  UpdateRole(ctx, v) {
    const r = getRole(st(ctx), String(v.RoleName));
    protectedRole(r);
    if (v.Description !== undefined) r.description = String(v.Description);
    if (v.MaxSessionDuration !== undefined) r.maxSession = Number(v.MaxSessionDuration);
    return {};
  },
  UpdateRoleDescription(ctx, v) {
    const r = getRole(st(ctx), String(v.RoleName));
    r.description = String(v.Description);
    return { Role: roleOut(r, true, "describe") };
  },
  UpdateAssumeRolePolicy(ctx, v) {
    const r = getRole(st(ctx), String(v.RoleName));
    protectedRole(r);
    const doc = String(v.PolicyDocument);
    checkTrust(ctx, doc);
    r.trust = doc;
    return {};
  },
  DeleteRole(ctx, v) {
    const s = st(ctx);
    const r = getRole(s, String(v.RoleName));
    protectedRole(r);
    if ([...s.profiles.values()].some((p) => p.roles.includes(r.name)))
      throw E.conflict("Cannot delete entity, must remove roles from instance profile first.");
    if (r.attached.size) throw E.conflict("Cannot delete entity, must detach all policies first.");
    if (r.inline.size) throw E.conflict("Cannot delete entity, must delete policies first.");
    s.roles.delete(r.name);
    return {};
  },
  ...taggingOps("Role", "RoleName", "TagsPerRole", getRole),
  PutRolePolicy(ctx, v) {
    const r = getRole(st(ctx), String(v.RoleName));
    protectedRole(r);
    return putInline(ctx, r, v, "role");
  },
  GetRolePolicy(ctx, v) {
    const r = getRole(st(ctx), String(v.RoleName));
    const name = String(v.PolicyName);
    const doc = r.inline.get(name);
    if (doc === undefined) throw E.noSuch(`The role policy with name ${name} cannot be found.`);
    return { RoleName: r.name, PolicyName: name, PolicyDocument: enc(doc) };
  },
  ListRolePolicies: (ctx, v) => listInline(getRole(st(ctx), String(v.RoleName)), v),
  DeleteRolePolicy(ctx, v) {
    const r = getRole(st(ctx), String(v.RoleName));
    protectedRole(r);
    const name = String(v.PolicyName);
    if (!r.inline.delete(name)) throw E.noSuch(`The role policy with name ${name} cannot be found.`);
    return {};
  },
  AttachRolePolicy(ctx, v) {
    const r = getRole(st(ctx), String(v.RoleName));
    protectedRole(r);
    return attach(ctx, r, v, "PoliciesPerRole");
  },
  DetachRolePolicy(ctx, v) {
    const r = getRole(st(ctx), String(v.RoleName));
    protectedRole(r);
    return detach(ctx, r, v);
  },
  ListAttachedRolePolicies: (ctx, v) => listAttached(ctx, getRole(st(ctx), String(v.RoleName)), v),
  PutRolePermissionsBoundary(ctx, v) {
    const s = st(ctx);
    const r = getRole(s, String(v.RoleName));
    protectedRole(r);
    r.boundary = boundaryArn(s, String(v.PermissionsBoundary));
    return {};
  },
  DeleteRolePermissionsBoundary(ctx, v) {
    const r = getRole(st(ctx), String(v.RoleName));
    protectedRole(r);
    if (!r.boundary) throw E.noSuch(`The role with name ${r.name} does not have a permissions boundary.`);
    r.boundary = undefined;
    return {};
  },

  CreateServiceLinkedRole(ctx, v) {
    const s = st(ctx);
    const service = String(v.AWSServiceName);
    if (!/\.amazonaws\.com(\.cn)?$/.test(service)) throw E.invalidInput(`Invalid service name: ${service}`);
    const suffix = str(v.CustomSuffix);
    const name = suffix ? `${slrName(service)}_${suffix}` : slrName(service);
    if (s.roles.has(name)) throw E.invalidInput(`Service role name ${name} has been taken in this account, please try a different suffix.`);
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: [service] }, Action: ["sts:AssumeRole"] }] });
    const r = newRole(ctx, { RoleName: name, Path: `/aws-service-role/${service}/`, AssumeRolePolicyDocument: trust, Description: v.Description }, { service });
    const policy = SLR_POLICIES[service];
    const policyArn = policy && `arn:${s.partition}:iam::aws:policy/aws-service-role/${policy}`;
    if (policyArn && policyAt(s, policyArn)) r.attached.add(policyArn);
    s.roles.set(r.name, r);
    // Answered as CreateRole answers (AWS's example): no Description, MaxSessionDuration or RoleLastUsed.
    return { Role: roleOut(r, true, "create") };
  },
  DeleteServiceLinkedRole(ctx, v) {
    const s = st(ctx);
    const r = getRole(s, String(v.RoleName));
    // The model declares NoSuchEntity, LimitExceeded and ServiceFailure only: an ordinary role is no service-linked role by that name.
    if (!r.service) throw E.noSuch(`Role ${r.name} is not a service-linked role.`);
    for (const p of s.profiles.values()) p.roles = p.roles.filter((x) => x !== r.name);
    s.roles.delete(r.name);
    const id = `task/aws-service-role/${r.service}/${r.name}/${randomUUID()}`;
    s.deletions.set(id, { status: "SUCCEEDED" });
    return { DeletionTaskId: id };
  },
  GetServiceLinkedRoleDeletionStatus(ctx, v) {
    const id = String(v.DeletionTaskId);
    const t = st(ctx).deletions.get(id);
    if (!t) throw E.noSuch(`Deletion task ${id} cannot be found.`);
    return { Status: t.status, Reason: t.reason };
  },

  // ---------------------------------------------------------------- instance profiles
  CreateInstanceProfile(ctx, v) {
    const s = st(ctx);
    const name = String(v.InstanceProfileName);
    const path = str(v.Path) ?? "/";
    if (s.profiles.has(name)) throw E.exists(`Instance Profile ${name} already exists.`);
    const p: Profile = {
      name,
      path,
      arn: iamArn(s, "instance-profile", path, name),
      id: iamId("AIPA"),
      created: ctx.now(),
      roles: [],
      tags: applyTags([], tagsIn(v), "TagsPerInstanceProfile"),
    };
    s.profiles.set(name, p);
    return { InstanceProfile: { ...profileOut(s, p), Tags: tagsOut(p.tags) } };
  },
  GetInstanceProfile: (ctx, v) => ({ InstanceProfile: profileOut(st(ctx), getProfile(st(ctx), String(v.InstanceProfileName))) }),
  ListInstanceProfiles(ctx, v) {
    const s = st(ctx);
    const p = page(byName(s.profiles, str(v.PathPrefix)), v, (x) => x.name);
    return { InstanceProfiles: p.items.map((x) => ({ ...profileOut(s, x), Tags: undefined })), IsTruncated: p.IsTruncated, Marker: p.Marker };
  },
  DeleteInstanceProfile(ctx, v) {
    const s = st(ctx);
    const p = getProfile(s, String(v.InstanceProfileName));
    if (p.roles.length) throw E.conflict("Cannot delete entity, must remove roles from instance profile first.");
    s.profiles.delete(p.name);
    return {};
  },
  AddRoleToInstanceProfile(ctx, v) {
    const s = st(ctx);
    const p = getProfile(s, String(v.InstanceProfileName));
    const r = getRole(s, String(v.RoleName));
    if (p.roles.length) throw E.limit("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
    p.roles.push(r.name);
    return {};
  },
  RemoveRoleFromInstanceProfile(ctx, v) {
    const s = st(ctx);
    const p = getProfile(s, String(v.InstanceProfileName));
    const name = getRole(s, String(v.RoleName)).name;
    if (!p.roles.includes(name)) throw E.noSuch(`Role ${name} in Instance Profile ${p.name} cannot be found.`);
    p.roles = p.roles.filter((x) => x !== name);
    return {};
  },
  ListInstanceProfilesForRole(ctx, v) {
    const s = st(ctx);
    const r = getRole(s, String(v.RoleName));
    const all = byName(s.profiles).filter((p) => p.roles.includes(r.name));
    const p = page(all, v, (x) => x.name);
    return { InstanceProfiles: p.items.map((x) => ({ ...profileOut(s, x), Tags: undefined })), IsTruncated: p.IsTruncated, Marker: p.Marker };
  },
  ...taggingOps("InstanceProfile", "InstanceProfileName", "TagsPerInstanceProfile", getProfile),
};

export function getProfile(s: IamState, name: string): Profile {
  const p = s.profiles.get(name);
  if (!p) throw E.noSuch(`Instance Profile ${name} cannot be found.`);
  return p;
}

export function profileOut(s: IamState, p: Profile) {
  return {
    Path: p.path,
    InstanceProfileName: p.name,
    InstanceProfileId: p.id,
    Arn: p.arn,
    CreateDate: p.created,
    Roles: p.roles.map((r) => s.roles.get(r)).flatMap((r) => (r ? [roleOut(r, false, "profile")] : [])),
    Tags: p.tags,
  };
}

export { getPolicy };
