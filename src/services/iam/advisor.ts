/**
 * Access advisor (service last accessed, from the keys and role sessions actually used against this
 * server), ListPoliciesGrantingServiceAccess, STS token preferences and outbound web identity federation.
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { AwsError } from "../../protocols/aws-error.js";
import type { Handler } from "../core/types.js";
import { E } from "./errors.js";
import { defaultDoc } from "./policies.js";
import { parsePolicy, type Statement, wildcard } from "./policy.js";
import { type Group, type Holder, type IamState, type Input, list, page, policyAt, type Role, st, str, type User } from "./state.js";

/**
 * The services awsim simulates: namespace → the name access advisor shows (as a real GetServiceLastAccessedDetails
 * answered them, recorded by cloud-custodian in tests/data/placebo/test_iam_user_usage: "Amazon S3", not the
 * API reference example's "Amazon Simple Storage Service").
 */
export const SERVICE_NAMES: Record<string, string> = {
  ec2: "Amazon EC2",
  ecr: "Amazon Elastic Container Registry",
  ecs: "Amazon Elastic Container Service",
  elasticfilesystem: "Amazon Elastic File System",
  iam: "AWS Identity and Access Management",
  lambda: "AWS Lambda",
  logs: "Amazon CloudWatch Logs",
  s3: "Amazon S3",
  servicediscovery: "AWS Cloud Map",
  sts: "AWS Security Token Service",
};

type Entity = { kind: "USER" | "ROLE" | "GROUP"; h: User | Role | Group };

function entityOf(s: IamState, arn: string): Entity[] | { policy: string } {
  const m = /^arn:[\w-]+:iam::(\d{12}|aws):(user|role|group|policy)(\/.*)?\/([^/]+)$/.exec(arn);
  if (!m) throw E.invalidInput(`ARN ${arn} is not valid.`);
  const [, , type, , name] = m as unknown as [string, string, string, string, string];
  if (type === "policy") {
    if (!policyAt(s, arn)) throw E.noSuch(`Policy ${arn} does not exist or is not attachable.`);
    return { policy: arn };
  }
  const map = type === "user" ? s.users : type === "role" ? s.roles : s.groups;
  const h = (map as Map<string, User | Role | Group>).get(name);
  if (!h) throw E.noSuch(`The ${type} with name ${name} cannot be found.`);
  return [{ kind: type.toUpperCase() as Entity["kind"], h }];
}

/** The inline and managed policies that apply to an entity, with where they come from. */
function policiesOf(s: IamState, e: Entity) {
  const out: Array<{ name: string; arn?: string; owner?: Entity; statements: Statement[] }> = [];
  const add = (h: Holder, owner: Entity) => {
    for (const [name, doc] of h.inline) out.push({ name, owner, statements: parsePolicy(doc) });
    for (const a of h.attached) {
      const p = policyAt(s, a);
      if (p) out.push({ name: p.name, arn: p.arn, statements: parsePolicy(defaultDoc(p)) });
    }
  };
  add(e.h, e);
  if (e.kind === "USER") for (const g of s.groups.values()) if (g.users.has(e.h.name)) add(g, { kind: "GROUP", h: g });
  return out;
}

const grants = (statements: Statement[], ns: string) =>
  statements.some((x) => x.effect === "Allow" && (x.action ? x.action.some((a) => a === "*" || wildcard(a.split(":")[0]!, ns, true)) : !!x.notAction));

/** The entities a job looks at: the user/role, a group's members, or the users and roles a policy is attached to. */
function members(s: IamState, arn: string): { entities: Entity[]; statements: Statement[] } {
  const e = entityOf(s, arn);
  if (!Array.isArray(e)) {
    const p = policyAt(s, e.policy)!;
    const entities: Entity[] = [
      ...[...s.users.values()].filter((u) => u.attached.has(p.arn)).map((h) => ({ kind: "USER" as const, h })),
      ...[...s.roles.values()].filter((r) => r.attached.has(p.arn)).map((h) => ({ kind: "ROLE" as const, h })),
    ];
    return { entities, statements: parsePolicy(defaultDoc(p)) };
  }
  const one = e[0]!;
  const statements = policiesOf(s, one).flatMap((p) => p.statements);
  if (one.kind === "GROUP")
    return {
      entities: [...(one.h as Group).users].flatMap((n) => (s.users.get(n) ? [{ kind: "USER" as const, h: s.users.get(n)! }] : [])),
      statements,
    };
  return { entities: [one], statements };
}

function job(s: IamState, id: string) {
  const j = s.accessJobs.get(id);
  if (!j) throw E.noSuch(`No such job ${id}`);
  return j;
}

export const advisorOps: Record<string, Handler<Input>> = {
  GenerateServiceLastAccessedDetails(ctx, v) {
    const s = st(ctx);
    const arn = String(v.Arn);
    entityOf(s, arn);
    const id = randomUUID();
    s.accessJobs.set(id, { arn, granularity: str(v.Granularity) ?? "SERVICE_LEVEL", created: ctx.now() });
    return { JobId: id };
  },
  GetServiceLastAccessedDetails(ctx, v) {
    const s = st(ctx);
    const j = job(s, String(v.JobId));
    const { entities, statements } = members(s, j.arn);
    const rows = Object.keys(SERVICE_NAMES)
      .filter((ns) => grants(statements, ns))
      .map((ns) => {
        const used = entities.flatMap((e) => {
          const a = e.h.access?.get(ns);
          return a ? [{ e, a }] : [];
        });
        const last = used.sort((x, y) => y.a.date.getTime() - x.a.date.getTime())[0];
        return {
          ServiceName: SERVICE_NAMES[ns]!,
          ServiceNamespace: ns,
          LastAuthenticated: last?.a.date,
          LastAuthenticatedEntity: last?.e.h.arn,
          LastAuthenticatedRegion: last?.a.region,
          TotalAuthenticatedEntities: used.length,
        };
      });
    const p = page(rows, v, (r) => r.ServiceNamespace);
    return {
      JobStatus: "COMPLETED",
      JobType: j.granularity,
      JobCreationDate: j.created,
      JobCompletionDate: j.created,
      ServicesLastAccessed: p.items,
      IsTruncated: p.IsTruncated,
      Marker: p.Marker,
    };
  },
  GetServiceLastAccessedDetailsWithEntities(ctx, v) {
    const s = st(ctx);
    const j = job(s, String(v.JobId));
    const ns = String(v.ServiceNamespace);
    const { entities } = members(s, j.arn);
    const rows = entities.map((e) => ({
      EntityInfo: { Arn: e.h.arn, Name: e.h.name, Type: e.kind, Id: e.h.id, Path: e.h.path },
      LastAuthenticated: e.h.access?.get(ns)?.date,
    }));
    const p = page(rows, v, (r) => r.EntityInfo.Arn);
    return {
      JobStatus: "COMPLETED",
      JobCreationDate: j.created,
      JobCompletionDate: j.created,
      EntityDetailsList: p.items,
      IsTruncated: p.IsTruncated,
      Marker: p.Marker,
    };
  },
  ListPoliciesGrantingServiceAccess(ctx, v) {
    const s = st(ctx);
    const e = entityOf(s, String(v.Arn));
    if (!Array.isArray(e)) throw E.invalidInput(`ARN ${v.Arn} is not valid.`);
    const policies = policiesOf(s, e[0]!);
    return {
      PoliciesGrantingServiceAccess: list<string>(v.ServiceNamespaces).map((ns) => ({
        ServiceNamespace: String(ns),
        Policies: policies
          .filter((p) => grants(p.statements, String(ns)))
          .map((p) =>
            p.arn
              ? { PolicyName: p.name, PolicyType: "MANAGED", PolicyArn: p.arn }
              : { PolicyName: p.name, PolicyType: "INLINE", EntityType: p.owner!.kind, EntityName: p.owner!.h.name },
          ),
      })),
      IsTruncated: false,
    };
  },
  SetSecurityTokenServicePreferences(ctx, v) {
    st(ctx).tokenVersion = String(v.GlobalEndpointTokenVersion) === "v2Token" ? 2 : 1;
    return {};
  },
  EnableOutboundWebIdentityFederation(ctx) {
    const s = st(ctx);
    if (s.outbound) throw new AwsError("FeatureEnabled", "Outbound web identity federation is already enabled for this account.", 409);
    const pem = { privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } } as const;
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048, ...pem }).privateKey;
    const ec = generateKeyPairSync("ec", { namedCurve: "P-384", ...pem }).privateKey;
    s.outbound = { issuer: `https://${randomUUID()}.tokens.sts.global.api.aws`, rsa, ec, kid: randomUUID() };
    return { IssuerIdentifier: s.outbound.issuer };
  },
  GetOutboundWebIdentityFederationInfo(ctx) {
    const s = st(ctx);
    if (!s.outbound) throw featureDisabled();
    return { IssuerIdentifier: s.outbound.issuer, JwtVendingEnabled: true };
  },
  DisableOutboundWebIdentityFederation(ctx) {
    const s = st(ctx);
    if (!s.outbound) throw featureDisabled();
    s.outbound = undefined;
    return {};
  },
};

/**
 * awsim has no AWS Organizations: every account is standalone, and IAM answers the centralized
 * root-access operations and GenerateOrganizationsAccessReport as it does for an account outside an
 * organization. No Organizations access report can therefore exist: GetOrganizationsAccessReport answers
 * NoSuchEntity for every job id.
 */
const noOrganization = () =>
  new AwsError("OrganizationNotFoundException", "The request was rejected because no organization is associated with your account.", 400);
export const organizationOps: Record<string, Handler<Input>> = Object.fromEntries(
  [
    "ListOrganizationsFeatures",
    "EnableOrganizationsRootCredentialsManagement",
    "DisableOrganizationsRootCredentialsManagement",
    "EnableOrganizationsRootSessions",
    "DisableOrganizationsRootSessions",
    "GenerateOrganizationsAccessReport",
  ].map((op) => [
    op,
    () => {
      throw noOrganization();
    },
  ]),
);
organizationOps.GetOrganizationsAccessReport = (_ctx, v) => {
  throw E.noSuch(`No such job ${String(v.JobId)}`);
};

const featureDisabled = () => new AwsError("FeatureDisabled", "Outbound web identity federation is disabled for this account.", 404);
