/**
 * Policies: resource policies (10 per account and region, 5,120 characters each, optimistic revision
 * ids), account policies (by type; SUBSCRIPTION_FILTER_POLICY and DATA_PROTECTION_POLICY take effect),
 * log group data protection policies (matching data is masked in GetLogEvents / FilterLogEvents unless
 * `unmask` is requested), KMS key association and log group deletion protection.
 */
import { randomUUID } from "node:crypto";
import { paginate } from "../core/paginate.js";
import type { Ctx } from "../core/types.js";
import { findGroup, state } from "./common.js";
import { LogsErrors } from "./errors.js";
import type { LogGroup, LogsState } from "./state.js";

const MAX_RESOURCE_POLICIES = 10;
const MAX_POLICY_CHARS = 5120;

function parsePolicy(doc: unknown): Record<string, unknown> {
  try {
    const p = JSON.parse(String(doc));
    if (p && typeof p === "object" && !Array.isArray(p)) return p as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw LogsErrors.invalidParameter("Invalid policy document: the policy document must be valid JSON.");
}

/** A log group from a name or an ARN (logGroupIdentifier), or ResourceNotFoundException. */
export function groupByIdentifier(st: LogsState, id: unknown): LogGroup {
  return findGroup(st, { logGroupIdentifier: String(id ?? "") });
}

// ---------------------------------------------------------------- resource policies

export function PutResourcePolicy(ctx: Ctx, v: { policyName?: string; policyDocument?: string; resourceArn?: string; expectedRevisionId?: string }) {
  const st = state(ctx);
  if (v.policyDocument === undefined) throw LogsErrors.invalidParameter("policyDocument is required.");
  if (v.policyDocument.length > MAX_POLICY_CHARS) throw LogsErrors.limitExceeded("Policy document exceeds the maximum size of 5120 characters.");
  parsePolicy(v.policyDocument);
  let key: string;
  let scope: "ACCOUNT" | "RESOURCE";
  if (v.resourceArn !== undefined) {
    groupByIdentifier(st, v.resourceArn);
    key = `resource:${v.resourceArn.replace(/:\*$/, "")}`;
    scope = "RESOURCE";
  } else {
    if (v.policyName === undefined) throw LogsErrors.invalidParameter("policyName is required for an account-scoped resource policy.");
    key = `account:${v.policyName}`;
    scope = "ACCOUNT";
  }
  const existing = st.resourcePolicies.get(key);
  if (v.expectedRevisionId !== undefined && existing?.revisionId !== v.expectedRevisionId) {
    throw LogsErrors.operationAborted();
  }
  if (!existing && [...st.resourcePolicies.values()].filter((p) => p.policyScope === "ACCOUNT").length >= MAX_RESOURCE_POLICIES && scope === "ACCOUNT") {
    throw LogsErrors.limitExceeded("Resource limit exceeded.");
  }
  const policy = {
    policyName: v.policyName,
    policyDocument: v.policyDocument,
    lastUpdatedTime: ctx.now().getTime(),
    policyScope: scope,
    resourceArn: v.resourceArn,
    revisionId: randomUUID(),
  };
  st.resourcePolicies.set(key, policy);
  // The answer echoes the document as sent; an account-scoped policy shows no revision id (recorded).
  if (scope === "ACCOUNT") return { resourcePolicy: { ...policy, revisionId: undefined } };
  return { resourcePolicy: policy, revisionId: policy.revisionId };
}

const STATEMENT_ORDER = ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];

/**
 * A stored resource policy as DescribeResourcePolicies shows it (recorded from AWS): re-serialized compactly,
 * Version first (2008-10-17 when none was given), statement members in AWS's order, one-element lists
 * (principals, actions, resources) as plain strings.
 */
function describedDocument(doc: string): string {
  let p: unknown;
  try {
    p = JSON.parse(doc);
  } catch {
    return doc;
  }
  if (!p || typeof p !== "object" || Array.isArray(p)) return doc;
  const one = (x: unknown) => (Array.isArray(x) && x.length === 1 ? x[0] : x);
  const statement = (raw: unknown) => {
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) return raw;
    const s = raw as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of [...STATEMENT_ORDER, ...Object.keys(s).filter((k) => !STATEMENT_ORDER.includes(k))]) {
      if (!(k in s)) continue;
      const v = s[k];
      if ((k === "Principal" || k === "NotPrincipal") && v && typeof v === "object" && !Array.isArray(v))
        out[k] = Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, one(pv)]));
      else out[k] = ["Action", "NotAction", "Resource", "NotResource"].includes(k) ? one(v) : v;
    }
    return out;
  };
  const { Version, Id, Statement, ...rest } = p as Record<string, unknown>;
  return JSON.stringify({
    Version: Version ?? "2008-10-17",
    Id,
    Statement: Array.isArray(Statement) ? Statement.map(statement) : Statement === undefined ? undefined : statement(Statement),
    ...rest,
  });
}

const bareArn = (arn: unknown) => (typeof arn === "string" ? arn.replace(/:\*$/, "") : undefined);

export function DescribeResourcePolicies(ctx: Ctx, v: { limit?: number; nextToken?: string; resourceArn?: string; policyScope?: string }) {
  const st = state(ctx);
  const all = [...st.resourcePolicies.entries()]
    .filter(([, p]) =>
      // A log group's ARN matches with or without its ":*" suffix, as PutResourcePolicy keys it.
      v.resourceArn !== undefined ? bareArn(p.resourceArn) === bareArn(v.resourceArn) : (v.policyScope ?? "ACCOUNT") === p.policyScope,
    )
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const page = paginate(all, { maxResults: v.limit, nextToken: v.nextToken, defaultMax: 50, key: ([k]) => k, invalidToken: LogsErrors.invalidToken });
  return {
    resourcePolicies: page.items.map(([, p]) => ({
      ...p,
      policyDocument: describedDocument(String(p.policyDocument)),
      revisionId: p.policyScope === "ACCOUNT" ? undefined : p.revisionId,
    })),
    nextToken: page.nextToken,
  };
}

export function DeleteResourcePolicy(ctx: Ctx, v: { policyName?: string; resourceArn?: string; expectedRevisionId?: string }) {
  const st = state(ctx);
  const key = v.resourceArn !== undefined ? `resource:${v.resourceArn.replace(/:\*$/, "")}` : `account:${v.policyName}`;
  const p = st.resourcePolicies.get(key);
  if (!p) throw LogsErrors.resourceNotFound(`Policy with name [${v.policyName ?? v.resourceArn}] does not exist.`);
  if (v.expectedRevisionId !== undefined && p.revisionId !== v.expectedRevisionId) throw LogsErrors.operationAborted();
  st.resourcePolicies.delete(key);
  return {};
}

// ---------------------------------------------------------------- account policies

const ACCOUNT_POLICY_LIMITS: Record<string, number> = {
  DATA_PROTECTION_POLICY: 1,
  SUBSCRIPTION_FILTER_POLICY: 2,
  FIELD_INDEX_POLICY: 20,
  TRANSFORMER_POLICY: 20,
  METRIC_EXTRACTION_POLICY: 1,
};

export function PutAccountPolicy(ctx: Ctx, v: { policyName: string; policyDocument: string; policyType: string; scope?: string; selectionCriteria?: string }) {
  const st = state(ctx);
  const doc = parsePolicy(v.policyDocument);
  if (v.policyType === "SUBSCRIPTION_FILTER_POLICY" && typeof doc.DestinationArn !== "string") {
    throw LogsErrors.invalidParameter("A subscription filter policy must contain a DestinationArn.");
  }
  if (v.policyType === "DATA_PROTECTION_POLICY") compileMasker(v.policyDocument);
  let byName = st.accountPolicies.get(v.policyType);
  if (!byName) st.accountPolicies.set(v.policyType, (byName = new Map()));
  if (!byName.has(v.policyName) && byName.size >= (ACCOUNT_POLICY_LIMITS[v.policyType] ?? 1)) throw LogsErrors.limitExceeded("Resource limit exceeded.");
  const policy = {
    policyName: v.policyName,
    policyDocument: v.policyDocument,
    lastUpdatedTime: ctx.now().getTime(),
    policyType: v.policyType,
    scope: v.scope ?? "ALL",
    selectionCriteria: v.selectionCriteria,
    accountId: st.accountId,
  };
  byName.set(v.policyName, policy);
  return { accountPolicy: policy };
}

export function DescribeAccountPolicies(ctx: Ctx, v: { policyType: string; policyName?: string; accountIdentifiers?: string[]; nextToken?: string }) {
  const st = state(ctx);
  if (v.accountIdentifiers?.length && !v.accountIdentifiers.includes(st.accountId)) return { accountPolicies: [] };
  const all = [...(st.accountPolicies.get(v.policyType)?.values() ?? [])]
    .filter((p) => v.policyName === undefined || p.policyName === v.policyName)
    .sort((a, b) => (String(a.policyName) < String(b.policyName) ? -1 : 1));
  const page = paginate(all, { nextToken: v.nextToken, defaultMax: 50, key: (p) => String(p.policyName), invalidToken: LogsErrors.invalidToken });
  return { accountPolicies: page.items, nextToken: page.nextToken };
}

export function DeleteAccountPolicy(ctx: Ctx, v: { policyName: string; policyType: string }) {
  const byName = state(ctx).accountPolicies.get(v.policyType);
  if (!byName?.delete(v.policyName)) throw LogsErrors.resourceNotFound("Policy does not exist.");
  return {};
}

// ---------------------------------------------------------------- data protection

/** AWS managed data identifiers awsim recognises (by the last segment of their ARN), as regexes. */
const IDENTIFIERS: Record<string, RegExp> = {
  EmailAddress: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g,
  IpAddress: /\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b/g,
  CreditCardNumber: /\b(?:\d[ -]?){13,16}\b/g,
  AwsSecretKey: /\b[A-Za-z0-9/+=]{40}\b/g,
  "Ssn-US": /\b\d{3}-\d{2}-\d{4}\b/g,
  "PhoneNumber-US": /\b(?:\+1[ -]?)?\(?\d{3}\)?[ -]?\d{3}-\d{4}\b/g,
  Address: /\b\d+ [A-Z][a-z]+ (?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd)\b/g,
};

export type Masker = (message: string) => string;

/** A policy document → a function masking the data its Deidentify statement names. */
export function compileMasker(policyDocument: string): Masker {
  const doc = parsePolicy(policyDocument) as {
    Statement?: Array<{ DataIdentifier?: string[]; Operation?: Record<string, unknown> }>;
    Configuration?: { CustomDataIdentifier?: Array<{ Name: string; Regex: string }> };
  };
  if (!Array.isArray(doc.Statement) || doc.Statement.length === 0)
    throw LogsErrors.invalidParameter("Invalid data protection policy: a Statement is required.");
  const custom = new Map<string, RegExp>();
  for (const c of doc.Configuration?.CustomDataIdentifier ?? []) {
    try {
      custom.set(c.Name, new RegExp(c.Regex, "g"));
    } catch {
      throw LogsErrors.invalidParameter(`Invalid regex in custom data identifier ${c.Name}.`);
    }
  }
  const res: RegExp[] = [];
  for (const s of doc.Statement) {
    if (!s.Operation || !("Deidentify" in s.Operation)) continue;
    for (const id of s.DataIdentifier ?? []) {
      const name = id.split("/").pop()!;
      const re = custom.get(id) ?? custom.get(name) ?? IDENTIFIERS[name];
      if (re) res.push(re);
    }
  }
  return (m) => res.reduce((acc, re) => acc.replace(re, (hit) => "*".repeat(Math.max(hit.length, 4)).slice(0, hit.length)), m);
}

/** The masking that applies to reads of g: its own policy and the account's data protection policy. */
export function maskerFor(st: LogsState, g: LogGroup): Masker | undefined {
  const docs = [
    g.dataProtectionPolicy?.policyDocument,
    ...[...(st.accountPolicies.get("DATA_PROTECTION_POLICY")?.values() ?? [])].map((p) => String(p.policyDocument)),
  ];
  const maskers = docs.filter((d): d is string => d !== undefined).map(compileMasker);
  return maskers.length ? (m) => maskers.reduce((acc, f) => f(acc), m) : undefined;
}

export function PutDataProtectionPolicy(ctx: Ctx, v: { logGroupIdentifier: string; policyDocument: string }) {
  const g = groupByIdentifier(state(ctx), v.logGroupIdentifier);
  compileMasker(v.policyDocument);
  g.dataProtectionPolicy = { policyDocument: v.policyDocument, lastUpdatedTime: ctx.now().getTime() };
  return { logGroupIdentifier: v.logGroupIdentifier, policyDocument: v.policyDocument, lastUpdatedTime: g.dataProtectionPolicy.lastUpdatedTime };
}

export function GetDataProtectionPolicy(ctx: Ctx, v: { logGroupIdentifier: string }) {
  const g = groupByIdentifier(state(ctx), v.logGroupIdentifier);
  return {
    logGroupIdentifier: v.logGroupIdentifier,
    policyDocument: g.dataProtectionPolicy?.policyDocument,
    lastUpdatedTime: g.dataProtectionPolicy?.lastUpdatedTime,
  };
}

export function DeleteDataProtectionPolicy(ctx: Ctx, v: { logGroupIdentifier: string }) {
  const g = groupByIdentifier(state(ctx), v.logGroupIdentifier);
  if (!g.dataProtectionPolicy) throw LogsErrors.resourceNotFound("The specified data protection policy does not exist.");
  g.dataProtectionPolicy = undefined;
  return {};
}

// ---------------------------------------------------------------- KMS keys and deletion protection

/** AssociateKmsKey's resource for all of the account's Logs Insights query results. */
const QUERY_RESULT = /^arn:[^:]+:logs:[^:]*:\d*:query-result:\*$/;

function kmsTarget(st: LogsState, v: { logGroupName?: string; resourceIdentifier?: string }): LogGroup | "query-result" {
  if (v.logGroupName !== undefined && v.resourceIdentifier !== undefined) {
    throw LogsErrors.invalidParameter("logGroupName and resourceIdentifier are mutually exclusive parameters.");
  }
  if (v.logGroupName === undefined && v.resourceIdentifier === undefined)
    throw LogsErrors.invalidParameter("Either logGroupName or resourceIdentifier must be specified.");
  // "Specify the resourceIdentifier parameter with a query-result resource, to use that key to encrypt the stored
  // results of all future StartQuery operations in the account" (API reference): arn:...:query-result:*.
  if (v.resourceIdentifier !== undefined && QUERY_RESULT.test(v.resourceIdentifier)) return "query-result";
  if (v.resourceIdentifier !== undefined && !/:log-group:/.test(v.resourceIdentifier)) {
    throw LogsErrors.invalidParameter(`Invalid resourceIdentifier: ${v.resourceIdentifier}. Specify a log group ARN or a query-result resource.`);
  }
  return findGroup(st, { logGroupIdentifier: v.logGroupName ?? v.resourceIdentifier });
}

export function AssociateKmsKey(ctx: Ctx, v: { kmsKeyId: string; logGroupName?: string; resourceIdentifier?: string }) {
  if (!/^arn:[^:]+:kms:[^:]+:\d{12}:key\/.+/.test(String(v.kmsKeyId))) {
    throw LogsErrors.invalidParameter(`Specified KMS key ARN is not valid: ${v.kmsKeyId}`);
  }
  const st = state(ctx);
  const target = kmsTarget(st, v);
  if (target === "query-result") st.queryResultKmsKeyId = v.kmsKeyId;
  else target.kmsKeyId = v.kmsKeyId;
  return {};
}

export function DisassociateKmsKey(ctx: Ctx, v: { logGroupName?: string; resourceIdentifier?: string }) {
  const st = state(ctx);
  const target = kmsTarget(st, v);
  if (target === "query-result") st.queryResultKmsKeyId = undefined;
  else target.kmsKeyId = undefined;
  return {};
}

export function PutLogGroupDeletionProtection(ctx: Ctx, v: { logGroupIdentifier: string; deletionProtectionEnabled: boolean }) {
  groupByIdentifier(state(ctx), v.logGroupIdentifier).deletionProtection = v.deletionProtectionEnabled === true;
  return {};
}

export function PutBearerTokenAuthentication(ctx: Ctx, v: { logGroupIdentifier: string; bearerTokenAuthenticationEnabled: boolean }) {
  groupByIdentifier(state(ctx), v.logGroupIdentifier).bearerTokenAuthentication = v.bearerTokenAuthenticationEnabled === true;
  return {};
}
