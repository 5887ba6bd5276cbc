/**
 * STS (AWS Query, 2011-06-15). Every credential it issues is remembered and maps back to its identity:
 * GetCallerIdentity answers the IAM user, assumed role, federated user or root whose key signed the
 * request, in the partition of the request's region (aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b).
 * AssumeRole uses the IAM role when it exists (RoleId, MaxSessionDuration, RoleLastUsed; role chaining
 * limited to one hour) and, outside --strict, also accepts roles IAM does not know.
 * AssumeRoleWithWebIdentity reads the JWT's iss/sub/aud and AssumeRoleWithSAML the assertion's issuer,
 * subject, audience and RoleSessionName attribute; signatures are not verified. Access key ids encode
 * their account as AWS's do, so GetAccessKeyInfo answers for any key.
 * GetWebIdentityToken signs real JWTs (RS256/ES384) once IAM's outbound web identity federation is enabled.
 * Under --enforce-iam, trust policies decide AssumeRole (ExternalId, TagSession) and federation (Federated
 * principals, token conditions), and the root may not assume roles; in every mode, another account's role is
 * assumed only as its trust policy allows the caller or its account (as other accounts' resource policies decide).
 * GetDelegatedAccessToken trades the exchange token of a FINALIZED IAM delegation request (iam/delegation.ts)
 * for session credentials that act as the identity that accepted the request, limited by the request's
 * permission policy, for its SessionDuration.
 */
import { wholeSecond } from "../core/time.js";
import { createHash, randomBytes, randomUUID, sign } from "node:crypto";
import type {
  AssumeRoleResponse,
  AssumeRoleWithSAMLResponse,
  AssumeRoleWithWebIdentityResponse,
  GetCallerIdentityResponse,
  GetFederationTokenResponse,
  GetSessionTokenResponse,
} from "@aws-sdk/client-sts";
import { AwsError } from "../../protocols/aws-error.js";
import type { RawRequest } from "../../protocols/http.js";
import { partitionOf } from "../core/arn.js";
import { secretAccessKey } from "../core/ids.js";
import { type Ctx, type Principal, type RawOutput, rawResponse, type ServiceDefinition, type SimHandle } from "../core/types.js";
import { totp } from "../iam/account.js";
import { allDelegations } from "../iam/delegation.js";
import { evaluate, parsePolicy } from "../iam/policy.js";
import { accountKeyId, accountOfKeyId, type IamState, lastSegment, list, policyAt, recordAccess, toMinute } from "../iam/state.js";
import { MESSAGE_PREFIX } from "./messages.js";
import { jwtSession, parseJwt, parseSaml, samlSession } from "./tokens.js";

type Input = Record<string, any>;
type Out<T> = Omit<T, "$metadata">;

interface Session {
  principal: Principal;
  secret: string;
  token: string;
  tags?: Array<{ Key: string; Value: string }>;
  sourceIdentity?: string;
  /** The IAM role behind an assumed-role session (access advisor records its use). */
  role?: { accountId: string; name: string };
  /** Credentials from GetSessionToken (IAM refuses them unless they were issued with MFA). */
  sessionToken?: boolean;
}

interface StsState {
  sim: SimHandle;
  /** Issued temporary access key id → its session. */
  sessions: Map<string, Session>;
}

const err = (code: string, message: string, status = 400) => new AwsError(code, message, status);

/** The caller: whoever the signing key maps to, or the root of the request's account. */
function caller(ctx: Ctx): Principal {
  if (ctx.caller) return ctx.caller;
  const partition = partitionOf(ctx.region);
  return { accountId: ctx.accountId, arn: `arn:${partition}:iam::${ctx.accountId}:root`, userId: ctx.accountId, kind: "root" };
}

function issue(ctx: Ctx, seconds: number, principal: Principal, extra: Partial<Session> = {}) {
  const AccessKeyId = accountKeyId("ASIA", principal.accountId);
  const Expiration = new Date(wholeSecond(ctx.now()).getTime() + seconds * 1000);
  const secret = secretAccessKey();
  const token = `IQoJb3JpZ2luX2VjE${randomBytes(300).toString("base64")}`;
  const session: Session = { principal: { ...principal, expiration: Expiration, secret, sessionToken: token }, secret, token, ...extra };
  ctx.state<StsState>().sessions.set(AccessKeyId, session);
  return { AccessKeyId, SecretAccessKey: session.secret, SessionToken: session.token, Expiration };
}

function parseRoleArn(roleArn: string) {
  const m = /^arn:([\w-]+):iam::(\d{12}):role\/(.*\/)?([\w+=,.@-]+)$/.exec(roleArn);
  if (!m) throw err("ValidationError", `${roleArn} is invalid`);
  return { partition: m[1]!, accountId: m[2]!, path: `/${m[3] ?? ""}`, roleName: m[4]! };
}

/** The packed size of session policies and tags of this many characters: percent of what AWS allows. */
const packedPercent = (size: number) => Math.max(1, Math.ceil((size * 100) / 2048 / 2.5));

/** Session policies and tags: validated, and their packed size (percent of what AWS allows). */
function sessionPolicies(v: Input): number | undefined {
  const policy = v.Policy !== undefined ? String(v.Policy) : undefined;
  if (policy !== undefined) {
    // Text that does not even open a JSON object is answered apart from other syntax errors (Hadoop's S3A
    // ITestAssumeRole, run against AWS: a policy of "}" is "The policy is not in the valid JSON format.").
    if (!policy.trimStart().startsWith("{")) throw err("MalformedPolicyDocument", "The policy is not in the valid JSON format.");
    try {
      parsePolicy(policy, "identity");
    } catch (e) {
      throw err("MalformedPolicyDocument", (e as AwsError).message);
    }
  }
  const arns = list<Input>(v.PolicyArns);
  const tags = list<Input>(v.Tags);
  const seen = new Set<string>();
  for (const t of tags) {
    const k = String(t.Key).toLowerCase();
    if (seen.has(k)) throw err("InvalidParameterValue", "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    seen.add(k);
  }
  // Transitive tag keys name request tags case-insensitively (recorded: "sessiontag1" names "SessionTag1").
  const tagKeys = new Set(tags.map((t) => String(t.Key).toLowerCase()));
  for (const k of list<string>(v.TransitiveTagKeys))
    if (!tagKeys.has(String(k).toLowerCase())) throw err("InvalidParameterValue", "The specified transitive tag key must be included in the requested tags.");
  if (policy === undefined && !arns.length && !tags.length) return undefined;
  const size =
    (policy?.replace(/\s/g, "").length ?? 0) +
    arns.reduce((n, a) => n + String(a.arn ?? "").length, 0) +
    tags.reduce((n, t) => n + String(t.Key).length + String(t.Value ?? "").length, 0);
  const packed = packedPercent(size);
  if (packed > 100) throw err("PackedPolicyTooLarge", `Packed policy consumes ${packed}% of allotted space, please use smaller policy.`);
  return packed;
}

/** Session tags: the request's (marked transitive when listed in TransitiveTagKeys), plus the calling session's transitive tags. */
function sessionTags(who: Principal | undefined, v: Input): Principal["tags"] {
  const transitive = new Set(list<string>(v.TransitiveTagKeys).map((k) => String(k).toLowerCase()));
  // A session may not set a tag its calling session passed on as transitive (keys compare case-insensitively).
  const inherited = new Set((who?.tags ?? []).filter((t) => t.Transitive).map((t) => t.Key.toLowerCase()));
  if (list<Input>(v.Tags).some((t) => inherited.has(String(t.Key).toLowerCase())))
    throw err(
      "InvalidParameterValue",
      "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
    );
  const tags: NonNullable<Principal["tags"]> = list<Input>(v.Tags).map((t) => ({
    Key: String(t.Key),
    Value: String(t.Value ?? ""),
    Transitive: transitive.has(String(t.Key).toLowerCase()) || undefined,
  }));
  for (const t of who?.tags ?? []) if (t.Transitive && !tags.some((x) => x.Key.toLowerCase() === t.Key.toLowerCase())) tags.push({ ...t });
  return tags.length ? tags : undefined;
}

/** Under --enforce-iam, federation must be allowed by the role's trust policy (Principal Federated, conditions on the token). */
function checkFederatedTrust(ctx: Ctx, trust: string | undefined, action: string, provider: string, keys: Array<[string, string[]]>) {
  if (!ctx.config.enforceIam) return;
  if (trust === undefined) throw err("AccessDenied", `Not authorized to perform ${action}`, 403);
  const d = evaluate({ action, resource: "*", context: new Map(keys), principalArn: provider }, [], {
    resource: { id: "TrustPolicy", type: "resource", statements: parsePolicy(trust, "trust") },
  });
  if (d.decision !== "allowed") throw err("AccessDenied", `Not authorized to perform ${action}`, 403);
}

/** Session policies as documents: the inline Policy and the default versions of PolicyArns. */
function sessionDocs(ctx: Ctx, v: Input): string[] | undefined {
  const docs: string[] = [];
  if (v.Policy !== undefined) docs.push(String(v.Policy));
  for (const a of list<Input>(v.PolicyArns)) {
    const arn = String(a.arn ?? "");
    const acct = /^arn:[\w-]+:iam::(\d{12}|aws):/.exec(arn)?.[1];
    const iam = acct ? ctx.sim.statesOf<IamState>("iam").find((x) => x.accountId === acct || (acct === "aws" && x.accountId === ctx.accountId)) : undefined;
    const p = iam && policyAt(iam, arn);
    if (p) docs.push(p.versions.find((x) => x.id === p.defaultVersion)!.doc);
  }
  return docs.length ? docs : undefined;
}

/** Assume a role: the IAM role when it exists, else (outside --strict) a role by its ARN alone. */
async function assume(ctx: Ctx, v: Input, who: Principal | undefined, mfaAt?: Date, until?: Date) {
  const roleArn = String(v.RoleArn);
  const role = parseRoleArn(roleArn);
  const session = String(v.RoleSessionName);
  const duration = v.DurationSeconds !== undefined ? Number(v.DurationSeconds) : 3600;
  const iam = await ctx.stateOf<IamState>("iam", ctx.region, role.accountId);
  const r = iam.roles.get(role.roleName);
  if (!r && ctx.config.strict) {
    const by = who?.arn ?? caller(ctx).arn;
    throw err("AccessDenied", `User: ${by} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  }
  // Another account's role: outside --enforce-iam (which checks every AssumeRole) its trust policy must still allow the
  // signed caller or its account, as another account's bucket, repository or function policy must.
  if (r && who && !ctx.config.enforceIam && ctx.accessKeyId !== undefined && who.accountId !== role.accountId) {
    const req = { method: "POST", rawPath: "/", rawQuery: "", headers: ctx.headers } as unknown as RawRequest;
    const { trustRefuses } = await import("../iam/enforce.js");
    const denied = await trustRefuses(
      ctx.sim,
      {
        req,
        protocol: "query",
        service: "sts",
        operation: "AssumeRole",
        input: v,
        accountId: ctx.accountId,
        region: ctx.region,
        accessKeyId: ctx.accessKeyId,
        caller: who,
      },
      who,
    );
    if (denied) throw err("AccessDenied", denied, 403);
  }
  if (who?.kind === "assumed-role" && duration > 3600)
    throw err("ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
  if (r && duration > r.maxSession) throw err("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  if (r) r.lastUsed = { date: toMinute(ctx.now()), region: ctx.region };
  const roleId = r?.id ?? `AROA${createHash("sha256").update(roleArn).digest("hex").slice(0, 17).toUpperCase()}`;
  const AssumedRoleUser = {
    AssumedRoleId: `${roleId}:${session}`,
    Arn: `arn:${role.partition}:sts::${role.accountId}:assumed-role/${role.roleName}/${session}`,
  };
  const packed = sessionPolicies(v);
  // A source identity persists across chained role sessions (the AssumeRole API reference, SourceIdentity).
  const sourceIdentity = v.SourceIdentity !== undefined ? String(v.SourceIdentity) : callerSession(ctx, who)?.sourceIdentity;
  // A SAML response's SessionNotOnOrAfter ends the session earlier when it comes first ("whichever is shorter").
  const seconds = until ? Math.max(0, Math.min(duration, Math.floor((until.getTime() - wholeSecond(ctx.now()).getTime()) / 1000))) : duration;
  const Credentials = issue(
    ctx,
    seconds,
    {
      accountId: role.accountId,
      arn: AssumedRoleUser.Arn,
      userId: AssumedRoleUser.AssumedRoleId,
      kind: "assumed-role",
      roleArn: r?.arn ?? roleArn,
      sessionPolicies: sessionDocs(ctx, v),
      tags: sessionTags(who, v),
      mfaAt,
    },
    {
      tags: list<Input>(v.Tags).map((t) => ({ Key: String(t.Key), Value: String(t.Value ?? "") })),
      sourceIdentity,
      role: r ? { accountId: role.accountId, name: r.name } : undefined,
    },
  );
  // The answer names the source identity this request set; an inherited one stays with the session.
  const SourceIdentity = v.SourceIdentity !== undefined ? String(v.SourceIdentity) : undefined;
  return { Credentials, AssumedRoleUser, PackedPolicySize: packed, SourceIdentity, account: role.accountId, partition: role.partition };
}

/**
 * Whether the request is signed with temporary credentials: a role or federated session, or GetSessionToken's
 * credentials of a user (which may call no STS operation but AssumeRole and GetCallerIdentity; aws-vault's flows).
 */
function fromSession(ctx: Ctx, who: Principal): boolean {
  if (who.kind === "assumed-role" || who.kind === "federated-user") return true;
  return ctx.accessKeyId !== undefined && ctx.state<StsState>().sessions.has(ctx.accessKeyId);
}

/** The STS session the request is signed with, if any (a role chain's calling session). */
function callerSession(ctx: Ctx, who: Principal | undefined): Session | undefined {
  if (!who || ctx.accessKeyId === undefined) return undefined;
  const s = ctx.state<StsState>().sessions.get(ctx.accessKeyId);
  return s?.principal === who || s?.principal.arn === who.arn ? s : undefined;
}

/** The source identity of the session an access key belongs to (aws:SourceIdentity under --enforce-iam). */
export function sourceIdentityOf(sim: SimHandle, accessKeyId: string | undefined): string | undefined {
  return accessKeyId === undefined ? undefined : sim.statesOf<StsState>("sts")[0]?.sessions.get(accessKeyId)?.sourceIdentity;
}

/**
 * IAM refuses GetSessionToken's credentials issued without MFA, as if the token were unknown (the GetSessionToken
 * API reference; aws-vault issue #15 quotes AWS's answer to `iam get-user` with them).
 */
export function sessionTokenWithoutMfa(sim: SimHandle, accessKeyId: string | undefined): boolean {
  if (accessKeyId === undefined) return false;
  const s = sim.statesOf<StsState>("sts")[0]?.sessions.get(accessKeyId);
  return s?.sessionToken === true && s.principal.mfaAt === undefined;
}

/** MFA on GetSessionToken / AssumeRole: the code must be current for the caller's device. */
async function checkMfa(ctx: Ctx, v: Input, who: Principal): Promise<Date | undefined> {
  if (v.SerialNumber === undefined && v.TokenCode === undefined) return undefined;
  const iam = await ctx.stateOf<IamState>("iam", ctx.region, who.accountId);
  const d = iam.mfa.get(String(v.SerialNumber));
  const t = Math.floor(ctx.now().getTime() / 30_000);
  const ok = d && [t - 1, t, t + 1].some((w) => totp(d.seed, w) === String(v.TokenCode));
  if (!ok) throw err("AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ", 403);
  return ctx.now();
}

const sts: ServiceDefinition<StsState> = {
  name: "sts",
  protocol: "query",
  apiVersion: "2011-06-15",
  xmlns: "https://sts.amazonaws.com/doc/2011-06-15/",
  scope: "global",
  createState: ({ sim }) => ({ sim, sessions: new Map() }),
  counts: (s) => ({ sessions: s.sessions.size }),
  identify(s, akid, use) {
    const session = s.sessions.get(akid);
    if (session?.role && use) {
      const r = s.sim
        .statesOf<IamState>("iam")
        .find((x) => x.accountId === session.role!.accountId)
        ?.roles.get(session.role.name);
      if (r) recordAccess(r, use.service, use.region, use.at);
    }
    return session?.principal;
  },
  operations: {
    GetCallerIdentity(ctx): Out<GetCallerIdentityResponse> | RawOutput {
      const who = caller(ctx);
      const out = { UserId: who.userId, Account: who.accountId, Arn: who.arn };
      // Asked for JSON (Accept: application/json), STS answers the same envelope in JSON: what EKS token verifiers
      // (aws-iam-authenticator) read from the presigned GetCallerIdentity URL a token carries.
      if (/\bapplication\/json\b/i.test(String(ctx.headers.accept ?? ""))) {
        const body = JSON.stringify({ GetCallerIdentityResponse: { GetCallerIdentityResult: out, ResponseMetadata: { RequestId: ctx.requestId } } });
        return rawResponse({ status: 200, headers: { "content-type": "application/json", "x-amzn-requestid": ctx.requestId }, body });
      }
      return out;
    },

    async AssumeRole(ctx, input): Promise<Out<AssumeRoleResponse>> {
      const v = input as Input;
      const who = caller(ctx);
      const mfaAt = await checkMfa(ctx, v, who);
      const { account: _a, partition: _p, ...out } = await assume(ctx, v, who, mfaAt);
      return out;
    },

    async AssumeRoleWithWebIdentity(ctx, input): Promise<Out<AssumeRoleWithWebIdentityResponse>> {
      const v = input as Input;
      const jwt = parseJwt(String(v.WebIdentityToken));
      const now = ctx.now();
      if (jwt.exp !== undefined && jwt.exp * 1000 < now.getTime())
        throw err(
          "ExpiredTokenException",
          `Token expired: current date/time ${Math.floor(now.getTime() / 1000)} must be before the expiration date/time${jwt.exp}`,
        );
      const role = parseRoleArn(String(v.RoleArn));
      const iam = await ctx.stateOf<IamState>("iam", ctx.region, role.accountId);
      const host = jwt.iss.replace(/^https:\/\//, "");
      const providerArn = `arn:${role.partition}:iam::${role.accountId}:oidc-provider/${host}`;
      const provider = iam.oidc.get(providerArn);
      if (!provider && ctx.config.strict) throw err("InvalidIdentityToken", `No OpenIDConnect provider found in your account for ${jwt.iss}`);
      if (provider?.clientIds.length && !provider.clientIds.includes(jwt.aud)) throw err("InvalidIdentityToken", "Incorrect token audience");
      checkFederatedTrust(ctx, iam.roles.get(role.roleName)?.trust, "sts:AssumeRoleWithWebIdentity", provider ? providerArn : host, [
        [`${host}:sub`, [jwt.sub]],
        [`${host}:aud`, [jwt.aud]],
        ...(typeof jwt.claims.amr === "string" || Array.isArray(jwt.claims.amr)
          ? [[`${host}:amr`, list<string>(jwt.claims.amr).map(String)] as [string, string[]]]
          : []),
        ["aws:FederatedProvider", [provider ? providerArn : host]],
      ]);
      const { account: _a, partition: _p, ...out } = await assume(ctx, { ...v, ...jwtSession(jwt.claims) }, undefined);
      // Provider: the ProviderId of an OAuth 2.0 token (www.amazon.com, as AWS's example shows), else the
      // OIDC provider's ARN, as AWS always answers (also here when the lenient mode found no provider).
      const Provider = v.ProviderId !== undefined ? String(v.ProviderId) : providerArn;
      return { ...out, SubjectFromWebIdentityToken: jwt.sub, Audience: jwt.aud, Provider };
    },

    async AssumeRoleWithSAML(ctx, input): Promise<Out<AssumeRoleWithSAMLResponse>> {
      const v = input as Input;
      const saml = parseSaml(String(v.SAMLAssertion));
      if (saml.notOnOrAfter && saml.notOnOrAfter.getTime() < ctx.now().getTime())
        throw err("ExpiredTokenException", "Token must be redeemed within 5 minutes of issuance");
      const principalArn = String(v.PrincipalArn);
      const pm = /^arn:[\w-]+:iam::(\d{12}):saml-provider\/(.+)$/.exec(principalArn);
      if (!pm) throw err("ValidationError", `${principalArn} is invalid`);
      const iam = await ctx.stateOf<IamState>("iam", ctx.region, pm[1]!);
      if (!iam.saml.has(principalArn) && ctx.config.strict) throw err("InvalidIdentityToken", "SAML Provider does not exist");
      const sessionName = saml.attributes.get("https://aws.amazon.com/SAML/Attributes/RoleSessionName")?.[0] ?? saml.nameId;
      // The SessionDuration attribute limits console sessions only: without DurationSeconds the credentials last an hour.
      const roleName = /:role\/(?:.*\/)?([^/]+)$/.exec(String(v.RoleArn))?.[1] ?? "";
      const roleIam = await ctx.stateOf<IamState>("iam", ctx.region, /^arn:[\w-]+:iam::(\d{12}):/.exec(String(v.RoleArn))?.[1] ?? ctx.accountId);
      checkFederatedTrust(ctx, roleIam.roles.get(roleName)?.trust, "sts:AssumeRoleWithSAML", principalArn, [
        ["SAML:aud", [saml.recipient ?? saml.audience ?? ""]],
        ["SAML:sub", [saml.nameId]],
        ["SAML:iss", [saml.issuer]],
        ...(saml.nameIdFormat ? [["SAML:sub_type", [saml.nameIdFormat.split(":").pop()!]] as [string, string[]]] : []),
      ]);
      const {
        account,
        partition: _p,
        ...out
      } = await assume(ctx, { ...v, ...samlSession(saml.attributes), RoleSessionName: sessionName }, undefined, undefined, saml.sessionNotOnOrAfter);
      const format = saml.nameIdFormat ?? "";
      const subjectType = format.endsWith(":persistent") ? "persistent" : format.endsWith(":transient") ? "transient" : format || undefined;
      return {
        ...out,
        Subject: saml.nameId,
        SubjectType: subjectType,
        Issuer: saml.issuer,
        Audience: saml.recipient ?? saml.audience,
        NameQualifier: createHash("sha1")
          .update(`${saml.issuer}${account}/${lastSegment(principalArn)}`)
          .digest("base64"),
      };
    },

    async GetSessionToken(ctx, input): Promise<Out<GetSessionTokenResponse>> {
      const v = input as Input;
      const who = caller(ctx);
      if (fromSession(ctx, who)) throw err("AccessDenied", "Cannot call GetSessionToken with session credentials", 403);
      const mfaAt = await checkMfa(ctx, v, who);
      let duration = v.DurationSeconds !== undefined ? Number(v.DurationSeconds) : 43200;
      // Root credentials: at most one hour. Keys that match no identity ("test") act like a user here.
      if (ctx.caller?.kind === "root") duration = Math.min(duration, 3600);
      return { Credentials: issue(ctx, duration, { ...who, mfaAt }, { sessionToken: true }) };
    },

    GetFederationToken(ctx, input): Out<GetFederationTokenResponse> {
      const v = input as Input;
      const who = caller(ctx);
      if (fromSession(ctx, who)) throw err("AccessDenied", "Cannot call GetFederationToken with session credentials", 403);
      let duration = v.DurationSeconds !== undefined ? Number(v.DurationSeconds) : 43200;
      // Root credentials: at most one hour. Keys that match no identity ("test") act like a user here.
      if (ctx.caller?.kind === "root") duration = Math.min(duration, 3600);
      const name = String(v.Name);
      const partition = who.arn.split(":")[1]!;
      const FederatedUser = { FederatedUserId: `${who.accountId}:${name}`, Arn: `arn:${partition}:sts::${who.accountId}:federated-user/${name}` };
      const packed = sessionPolicies(v);
      const Credentials = issue(ctx, duration, {
        accountId: who.accountId,
        arn: FederatedUser.Arn,
        userId: FederatedUser.FederatedUserId,
        kind: "federated-user",
        sessionPolicies: sessionDocs(ctx, v),
      });
      // GetFederationToken always answers PackedPolicySize, 0 without session policies or tags (recorded).
      return { Credentials, FederatedUser, PackedPolicySize: packed ?? 0 };
    },

    AssumeRoot(ctx, input) {
      const v = input as Input;
      const target = String(v.TargetPrincipal);
      if (!/^\d{12}$/.test(target)) throw err("ValidationError", `${target} is invalid`);
      const partition = partitionOf(ctx.region);
      const duration = v.DurationSeconds !== undefined ? Number(v.DurationSeconds) : 900;
      // AssumeRoot takes no source identity: it answers the one the calling session carries ("the source identity
      // specified by the principal that is calling the AssumeRoot operation"), which stays with the new session.
      const sourceIdentity = callerSession(ctx, ctx.caller)?.sourceIdentity;
      const Credentials = issue(
        ctx,
        duration,
        { accountId: target, arn: `arn:${partition}:iam::${target}:root`, userId: target, kind: "root" },
        { sourceIdentity },
      );
      return { Credentials, SourceIdentity: sourceIdentity };
    },

    async GetWebIdentityToken(ctx, input) {
      const v = input as Input;
      const who = caller(ctx);
      const iam = await ctx.stateOf<IamState>("iam", ctx.region, who.accountId);
      const out = iam.outbound;
      if (!out) throw err("OutboundWebIdentityFederationDisabledException", "Outbound web identity federation is disabled for this account.", 403);
      const alg = v.SigningAlgorithm === undefined ? "RS256" : String(v.SigningAlgorithm);
      if (alg !== "RS256" && alg !== "ES384") throw err("ValidationError", `Unsupported signing algorithm: ${alg}`);
      const now = Math.floor(ctx.now().getTime() / 1000);
      const seconds = v.DurationSeconds !== undefined ? Number(v.DurationSeconds) : 300;
      const aud = list<string>(v.Audience).map(String);
      const tags = Object.fromEntries(list<Input>(v.Tags).map((t) => [String(t.Key), String(t.Value ?? "")]));
      const header = { alg, typ: "JWT", kid: out.kid };
      const claims = {
        iss: out.issuer,
        sub: who.arn,
        aud: aud.length === 1 ? aud[0] : aud,
        iat: now,
        nbf: now,
        exp: now + seconds,
        jti: randomUUID(),
        "https://sts.amazonaws.com/": { aws_account: who.accountId, request_tags: Object.keys(tags).length ? tags : undefined },
      };
      const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
      const data = `${b64(header)}.${b64(claims)}`;
      const sig = alg === "RS256" ? sign("sha256", Buffer.from(data), out.rsa) : sign("sha384", Buffer.from(data), { key: out.ec, dsaEncoding: "ieee-p1363" });
      return { WebIdentityToken: `${data}.${sig.toString("base64url")}`, Expiration: new Date((now + seconds) * 1000) };
    },

    GetDelegatedAccessToken(ctx, input) {
      const v = input as Input;
      const token = String(v.TradeInToken);
      const now = ctx.now();
      const r = allDelegations(ctx.sim.statesOf<IamState>("iam")).find((x) => x.exchangeToken !== undefined && x.exchangeToken === token);
      // The token is valid while its request stays FINALIZED (it expires seven days after finalization).
      const valid = r && r.State === "FINALIZED" && now.getTime() < r.StateSince.getTime() + 7 * 86_400_000 && r.approver;
      if (!r || !valid)
        throw err("ExpiredTradeInTokenException", "The trade-in token provided in the request has expired and can no longer be exchanged for credentials.");
      const a = r.approver!;
      const Credentials = issue(ctx, r.SessionDuration, {
        accountId: a.accountId,
        arn: a.arn,
        userId: a.userId,
        kind: a.kind,
        roleArn: a.roleArn,
        tags: a.tags,
        sessionPolicies: r.PermissionPolicy ? [r.PermissionPolicy] : undefined,
      });
      // The request's permission policy is the session policy: its packed size is answered as AssumeRole answers one.
      const PackedPolicySize = r.PermissionPolicy ? packedPercent(r.PermissionPolicy.replace(/\s/g, "").length) : undefined;
      return { Credentials, PackedPolicySize, AssumedPrincipal: a.arn };
    },

    GetAccessKeyInfo(ctx, input) {
      const v = input as Input;
      const id = String(v.AccessKeyId);
      const known = ctx.sim.identify(id);
      return { Account: known?.accountId ?? (/^\d{12}$/.test(id) ? id : (accountOfKeyId(id) ?? ctx.accountId)) };
    },

    DecodeAuthorizationMessage(_ctx, input) {
      const v = input as Input;
      const msg = String(v.EncodedMessage);
      try {
        if (!msg.startsWith(MESSAGE_PREFIX)) throw new Error();
        const decoded = Buffer.from(msg.slice(MESSAGE_PREFIX.length), "base64url").toString("utf8");
        JSON.parse(decoded);
        return { DecodedMessage: decoded };
      } catch {
        throw err("InvalidAuthorizationMessageException", "The encoded message is not valid.");
      }
    },
  },
};

export default sts;
