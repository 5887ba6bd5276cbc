/**
 * IAM (AWS Query, 2010-05-08; global: one state per account, ARNs in the partition of the region that
 * first used it): users, groups, roles, managed policies (5 versions) and inline policies, permissions
 * boundaries, instance profiles, access keys that map back to their user (GetCallerIdentity, and a
 * caller's own keys when UserName is omitted), login profiles and the password policy, virtual MFA
 * devices with real TOTP codes, SSH keys, service-specific credentials, signing and server
 * certificates, OIDC and SAML providers, account alias and summary, the credential report (CSV),
 * GetAccountAuthorizationDetails, service-linked roles, tags on every taggable resource with IAM's rules,
 * policy documents validated as IAM does, and a policy evaluator behind SimulatePrincipalPolicy /
 * SimulateCustomPolicy. Policy documents come back URL-encoded (RFC 3986), as IAM returns them.
 * Access advisor reports what the keys and role sessions used against this server touched.
 * There is no AWS Organizations: every account is standalone (the centralized root-access operations and
 * the Organizations access report answer OrganizationNotFoundException, as IAM does outside an organization).
 * Temporary delegation requests follow their whole lifecycle across accounts (delegation.ts); STS trades
 * their exchange token for credentials.
 * The same evaluator authorizes every request under --enforce-iam (enforce.ts).
 * Virtual MFA devices come with a real QR code PNG of their otpauth:// URI (qr.ts).
 * Gaps: only a set of common AWS managed policies exists (one version each, no descriptions);
 * GetHumanReadableSummary's summary is written from the request, not by a language model.
 */
import { AwsError } from "../../protocols/aws-error.js";
import type { Handler, KeyUse, Principal, ServiceDefinition } from "../core/types.js";
import { sessionTokenWithoutMfa } from "../sts/index.js";
import { accountOps } from "./account.js";
import { advisorOps, organizationOps } from "./advisor.js";
import { delegationOps } from "./delegation.js";
import { policyOps } from "./policies.js";
import { roleOps } from "./roles.js";
import { simulateOps } from "./simulate.js";
import { createState, type IamState, recordAccess, toMinute } from "./state.js";
import { userOps } from "./users.js";

/** The principal an IAM access key belongs to (records its last use). */
function identify(s: IamState, akid: string, use?: KeyUse): Principal | undefined {
  const owner = s.keyIndex.get(akid);
  if (owner === undefined) return undefined;
  const u = owner ? s.users.get(owner) : undefined;
  const k = (u ? u.keys : s.rootKeys).find((x) => x.id === akid);
  if (k && use) k.lastUsed = { date: toMinute(use.at), region: use.region, service: use.service };
  if (u && use) recordAccess(u, use.service, use.region, use.at);
  const secret = k?.status === "Active" ? k.secret : undefined;
  if (!u) return { accountId: s.accountId, arn: `arn:${s.partition}:iam::${s.accountId}:root`, userId: s.accountId, kind: "root", secret };
  return { accountId: s.accountId, arn: u.arn, userId: u.id, kind: "user", secret };
}

/**
 * GetSessionToken's credentials call no IAM operation unless MFA authenticated them: IAM answers as for an unknown
 * token (the GetSessionToken API reference; AWS's answer quoted in aws-vault issue #15 and aws-cli issue #8918).
 */
function refuseSessionTokens(ops: Record<string, Handler>): Record<string, Handler> {
  return Object.fromEntries(
    Object.entries(ops).map(([name, h]) => [
      name,
      (ctx, input) => {
        if (sessionTokenWithoutMfa(ctx.sim, ctx.accessKeyId))
          throw new AwsError("InvalidClientTokenId", "The security token included in the request is invalid", 403);
        return h(ctx, input);
      },
    ]),
  );
}

const iam: ServiceDefinition<IamState> = {
  name: "iam",
  protocol: "query",
  apiVersion: "2010-05-08",
  xmlns: "https://iam.amazonaws.com/doc/2010-05-08/",
  scope: "account",
  // IAM answers whole seconds (CreateDate, UploadDate, EnableDate ... in AWS's answers and examples).
  wholeSecondClock: true,
  createState: ({ accountId, region }) => createState(accountId, region),
  counts: (s) => ({ roles: s.roles.size, users: s.users.size, policies: [...s.policies.values()].filter((p) => !p.aws).length }),
  identify,
  operations: refuseSessionTokens({ ...roleOps, ...policyOps, ...userOps, ...accountOps, ...simulateOps, ...advisorOps, ...organizationOps, ...delegationOps }),
};

export default iam;
