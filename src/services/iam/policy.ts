/**
 * IAM policy documents: validation with AWS's MalformedPolicyDocument messages, and the evaluator
 * (identity policies, permissions boundaries, resource policies; explicit Deny wins; NotAction /
 * NotResource / NotPrincipal; condition operators with ...IfExists and ForAnyValue/ForAllValues;
 * policy variables) that SimulatePrincipalPolicy and SimulateCustomPolicy answer from.
 */
import { E } from "./errors.js";

export type Kind = "identity" | "trust" | "resource" | "boundary";

export interface Statement {
  sid?: string;
  effect: "Allow" | "Deny";
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  principal?: Principals;
  notPrincipal?: Principals;
  condition?: Record<string, Record<string, string[]>>;
  /** Line/column span of the statement in the document (1-based), as the simulator reports it. */
  start: { Line: number; Column: number };
  end: { Line: number; Column: number };
}
export type Principals = "*" | Record<string, string[]>;

const TOP = new Set(["Version", "Id", "Statement"]);
const STMT = new Set(["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"]);
const BASE_OPS = [
  "StringEquals",
  "StringNotEquals",
  "StringEqualsIgnoreCase",
  "StringNotEqualsIgnoreCase",
  "StringLike",
  "StringNotLike",
  "NumericEquals",
  "NumericNotEquals",
  "NumericLessThan",
  "NumericLessThanEquals",
  "NumericGreaterThan",
  "NumericGreaterThanEquals",
  "DateEquals",
  "DateNotEquals",
  "DateLessThan",
  "DateLessThanEquals",
  "DateGreaterThan",
  "DateGreaterThanEquals",
  "Bool",
  "BinaryEquals",
  "IpAddress",
  "NotIpAddress",
  "ArnEquals",
  "ArnLike",
  "ArnNotEquals",
  "ArnNotLike",
  "Null",
];
const OPS = new Set(BASE_OPS);

const SYNTAX = "Syntax errors in policy.";
const asList = (x: unknown): string[] | undefined => (x === undefined ? undefined : Array.isArray(x) ? x.map(String) : [String(x)]);

/**
 * Where the simulator places each statement in the raw text (a small scanner that respects strings): AWS
 * reports the parser's position when it reached the statement, i.e. just after the token before the
 * statement's body: after `{` for a lone statement object, after `[` for an array's first statement and
 * after the previous statement's `}` for the next ones; the end is just after the statement's `}`.
 */
function statementSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let depth = 0;
  let inStr = false;
  let stmtDepth = -1;
  let start = -1;
  let anchor = -1;
  const key = /"Statement"\s*:\s*/y;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (c === "\\") i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') {
      if (depth === 1 && stmtDepth < 0) {
        key.lastIndex = i;
        if (key.test(text)) {
          i = key.lastIndex - 1;
          stmtDepth = text[key.lastIndex] === "[" ? 2 : 1;
          continue;
        }
      }
      inStr = true;
      continue;
    }
    if (c === "{" || c === "[") {
      depth++;
      if (c === "[" && stmtDepth === 2 && depth === 2) anchor = i + 1;
      if (c === "{" && stmtDepth > 0 && depth === stmtDepth + 1 && start < 0) start = stmtDepth === 1 || anchor < 0 ? i + 1 : anchor;
    } else if (c === "}" || c === "]") {
      if (c === "}" && start >= 0 && depth === stmtDepth + 1) {
        spans.push([start, i]);
        start = -1;
        anchor = i + 1;
        if (stmtDepth === 1) stmtDepth = -2;
      }
      depth--;
      if (stmtDepth === 2 && depth === 1 && c === "]") stmtDepth = -2;
    }
  }
  return spans;
}

function position(text: string, offset: number) {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      col = 1;
    } else col++;
  }
  return { Line: line, Column: col };
}

function principals(x: unknown): Principals {
  if (x === "*") return "*";
  if (typeof x !== "object" || x === null || Array.isArray(x)) throw E.malformed(SYNTAX);
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(x)) out[k] = asList(v)!;
  return out;
}

const opName = (op: string) => op.replace(/^(ForAllValues|ForAnyValue):/, "").replace(/IfExists$/, "");

/** The actions a role trust policy may allow (each Action there must match one of them). */
const TRUST_ACTIONS = [
  "sts:AssumeRole",
  "sts:AssumeRoleWithSAML",
  "sts:AssumeRoleWithWebIdentity",
  "sts:TagSession",
  "sts:SetSourceIdentity",
  "sts:SetContext",
];

const LEGACY = "The policy failed legacy parsing";
const PARTITIONS = /^(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|\*)$/;
const IAM_PATHS = [
  "user/",
  "federated-user/",
  "role/",
  "group/",
  "instance-profile/",
  "mfa/",
  "server-certificate/",
  "policy/",
  "sms-mfa/",
  "saml-provider/",
  "oidc-provider/",
  "report/",
  "access-report/",
];
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const isStringOrList = (x: unknown) => typeof x === "string" || (Array.isArray(x) && x.every((y) => typeof y === "string"));

/**
 * A date as IAM's legacy parser reads condition values of the Date* operators: an epoch number that fits
 * a signed 64-bit integer, or an ISO 8601 date with optional time (T or t, 1-2 digit fields, up to 9
 * fraction digits) and a Z or two-digit offset.
 */
function legacyDate(v: string): boolean {
  if (/^-?\d+$/.test(v)) {
    const n = BigInt(v);
    return n >= -(2n ** 63n) && n < 2n ** 63n;
  }
  const m = /^(\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[Tt](?:(\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.\d{1,9})?)?)?)?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?$/.exec(
    v,
  );
  if (!m) return false;
  const [, , mo, d, h, mi, sec] = m;
  const within = (x: string | undefined, lo: number, hi: number) => x === undefined || (Number(x) >= lo && Number(x) <= hi);
  return within(mo, 1, 12) && within(d, 1, 31) && within(h, 0, 24) && within(mi, 0, 59) && within(sec, 0, 60);
}

/** A resource as IAM checks it: something:x:y is read as arn:x:y, padded with * to six fields. */
function arnParts(r: string): string[] {
  const parts = r.split(":");
  if (parts[0] !== "arn") parts[0] = "arn";
  return parts;
}

export interface ParseOptions {
  /** Managed policies (CreatePolicy, CreatePolicyVersion) must say Version 2012-10-17. */
  requireVersion?: boolean;
}

/**
 * Parse and validate a policy document as IAM does for its kind; returns its statements. The checks run
 * in IAM's order (as recorded from AWS): JSON and structure ("Syntax errors in policy."), the version,
 * the legacy parser (Effect case, Date* condition values, short ARNs), unique Sids, actions, resources,
 * resource ARN formats, then action vendors.
 */
export function parsePolicy(text: string, kind: Kind = "identity", strict = false, opts: ParseOptions = {}): Statement[] {
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch {
    // Trust policies answer their own wording for text that is not JSON (recorded from AWS).
    throw E.malformed(kind === "trust" ? "This policy contains invalid Json" : SYNTAX);
  }
  // ---- structure
  if (!isObject(doc)) throw E.malformed(SYNTAX);
  for (const k of Object.keys(doc)) if (!TOP.has(k)) throw E.malformed(SYNTAX);
  if (doc.Version !== undefined && doc.Version !== "2012-10-17" && doc.Version !== "2008-10-17") throw E.malformed(SYNTAX);
  if (doc.Id !== undefined && typeof doc.Id !== "string") throw E.malformed(SYNTAX);
  if (doc.Statement === undefined) throw E.malformed(SYNTAX);
  const raw: any[] = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  if (raw.length === 0 && (strict || kind !== "trust")) throw E.malformed(SYNTAX);
  for (const s of raw) {
    if (!isObject(s)) throw E.malformed(SYNTAX);
    for (const k of Object.keys(s)) if (!STMT.has(k)) throw E.malformed(SYNTAX);
    if (typeof s.Effect !== "string" || !/^(allow|deny)$/i.test(s.Effect)) throw E.malformed(SYNTAX);
    if (s.Sid !== undefined && typeof s.Sid !== "string") throw E.malformed(SYNTAX);
    if (s.Action !== undefined && s.NotAction !== undefined) throw E.malformed(SYNTAX);
    if (s.Resource !== undefined && s.NotResource !== undefined) throw E.malformed(SYNTAX);
    if (s.Principal !== undefined && s.NotPrincipal !== undefined) throw E.malformed(SYNTAX);
    for (const f of ["Action", "NotAction", "Resource", "NotResource"]) if (s[f] !== undefined && !isStringOrList(s[f])) throw E.malformed(SYNTAX);
    if (s.Condition !== undefined) {
      if (!isObject(s.Condition)) throw E.malformed(SYNTAX);
      for (const [op, body] of Object.entries(s.Condition)) {
        if (!isObject(body)) throw E.malformed(SYNTAX);
        // An operator IAM does not know is only tolerated with an empty body.
        if (!/^((ForAllValues|ForAnyValue):)?[A-Za-z]+$/.test(op) || (!OPS.has(opName(op)) && Object.keys(body).length > 0)) throw E.malformed(SYNTAX);
        for (const v of Object.values(body)) if (isObject(v) || (Array.isArray(v) && v.some((x) => isObject(x) || Array.isArray(x)))) throw E.malformed(SYNTAX);
      }
    }
  }
  // ---- version
  if (opts.requireVersion && doc.Version !== "2012-10-17") throw E.malformed("Policy document must be version 2012-10-17 or greater.");
  // ---- legacy parser
  for (const s of raw) {
    if (s.Effect !== "Allow" && s.Effect !== "Deny") throw E.malformed(LEGACY);
    for (const [op, body] of Object.entries((s.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
      if (!opName(op).startsWith("Date")) continue;
      for (const v of Object.values(body)) for (const x of asList(v) ?? []) if (!legacyDate(x)) throw E.malformed(LEGACY);
    }
    if (kind === "trust") continue;
    for (const r of [...(asList(s.Resource) ?? []), ...(asList(s.NotResource) ?? [])]) {
      const parts = r.split(":");
      if (parts[0] !== "arn" || parts.length < 4 || !PARTITIONS.test(parts[1]!)) continue;
      if (parts.length < 6 || parts[2] === "") throw E.malformed(LEGACY);
    }
  }
  // ---- statement ids
  const sids = new Set<string>();
  for (const s of raw) {
    if (s.Sid && sids.has(s.Sid)) throw E.malformed("Statement IDs (SID) in a single policy must be unique.");
    if (s.Sid) sids.add(s.Sid);
  }
  // ---- actions, principals, resources present
  for (const s of raw) {
    if (!asList(s.Action)?.length && !asList(s.NotAction)?.length) throw E.malformed("Policy statement must contain actions.");
  }
  for (const s of raw) {
    const action = asList(s.Action);
    const hasResource = s.Resource !== undefined || s.NotResource !== undefined;
    const hasPrincipal = s.Principal !== undefined || s.NotPrincipal !== undefined;
    if (kind === "identity" || kind === "boundary") {
      if (hasPrincipal) throw E.malformed("Policy document should not specify a principal.");
      if (!asList(s.Resource)?.length && !asList(s.NotResource)?.length) throw E.malformed("Policy statement must contain resources.");
    } else if (kind === "trust") {
      if (hasResource) throw E.malformed("Has prohibited field Resource");
      if (action?.some((a) => !TRUST_ACTIONS.some((t) => wildcard(a, t, true))))
        throw E.malformed("AssumeRole policy may only specify STS AssumeRole actions.");
      if (!hasPrincipal) throw E.malformed("Missing required field Principal");
    } else if (!hasPrincipal) throw E.malformed("Missing required field Principal");
  }
  // ---- resource formats
  if (kind !== "trust")
    for (const s of raw)
      for (const r of [...(asList(s.Resource) ?? []), ...(asList(s.NotResource) ?? [])]) {
        if (r === "*") continue;
        if (!r.includes(":")) throw E.malformed(`Resource ${r} must be in ARN format or "*".`);
        const parts = arnParts(r);
        if (!PARTITIONS.test(parts[1]!)) {
          while (parts.length < 6) parts.push("*");
          throw E.malformed(`Partition "${parts[1]}" is not valid for resource "${parts.join(":")}".`);
        }
        if (parts.length < 3 || /[*?]/.test(parts[2]!)) throw E.malformed("Resource vendor must be fully qualified and cannot contain regexes.");
        if (parts.length < 6) continue;
        const [, , service, region, account] = parts;
        const rest = parts.slice(5).join(":");
        if (service === "iam") {
          if (region) throw E.malformed(`IAM resource ${r} cannot contain region information.`);
          if (rest !== "*" && rest !== "root" && !IAM_PATHS.some((x) => rest.startsWith(x)))
            throw E.malformed(`IAM resource path must either be "*", root, or start with ${IAM_PATHS.join(", ")}.`);
        } else if (service === "s3" && region && !account) throw E.malformed(`Resource ${r} can not contain region information.`);
      }
  // ---- action vendors
  for (const s of raw)
    for (const a of [...(asList(s.Action) ?? []), ...(asList(s.NotAction) ?? [])]) {
      if (a === "*") continue;
      const colons = a.split(":").length - 1;
      if (colons === 0) throw E.malformed("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
      if (colons > 1) throw E.malformed("Actions/Condition can contain only one colon.");
      const vendor = a.slice(0, a.indexOf(":"));
      if (!/^[A-Za-z0-9_.*?-]+$/.test(vendor)) throw E.malformed(`Vendor ${vendor} is not valid`);
    }
  const spans = statementSpans(text);
  return raw.map((s, i) => {
    let condition: Statement["condition"];
    if (s.Condition !== undefined) {
      condition = {};
      for (const [op, body] of Object.entries(s.Condition as Record<string, Record<string, unknown>>)) {
        condition[op] = {};
        for (const [k, v] of Object.entries(body)) condition[op]![k] = asList(v)!;
      }
    }
    const span = spans[i];
    return {
      sid: s.Sid,
      effect: s.Effect,
      action: asList(s.Action),
      notAction: asList(s.NotAction),
      resource: asList(s.Resource),
      notResource: asList(s.NotResource),
      principal: s.Principal !== undefined ? principals(s.Principal) : undefined,
      notPrincipal: s.NotPrincipal !== undefined ? principals(s.NotPrincipal) : undefined,
      condition,
      start: span ? position(text, span[0]) : { Line: 1, Column: 1 },
      end: span ? position(text, span[1] + 1) : position(text, text.length),
    };
  });
}

/** IAM quotas on policy size (characters, whitespace not counted). */
export function checkPolicySize(text: string, limit: number, quota = "PolicySize") {
  if (text.replace(/\s/g, "").length > limit) throw E.limit(`Cannot exceed quota for ${quota}: ${limit}`);
}

// ---------------------------------------------------------------- evaluation

export type Context = Map<string, string[]>;

export interface PolicySource {
  id: string;
  type: "user" | "group" | "role" | "aws-managed" | "user-managed" | "resource" | "none";
  statements: Statement[];
}

export interface Request {
  action: string;
  resource: string;
  context: Context;
  /** The principal ARN, for resource policies' Principal. */
  principalArn?: string;
  principalAccount?: string;
  /** The resource is not known (enforcement of a service without ARN mapping): a statement's Resource applies when it is "*" or names this service. */
  anyResourceOf?: string;
}

export interface Match {
  source: PolicySource;
  statement: Statement;
}

/** `*` and `?` wildcards; case-insensitive for actions. */
export function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    ignoreCase ? "is" : "s",
  );
  return re.test(value);
}

/** ${aws:username}, ${*}, ${?}, ${$} and ${key, 'default'} substituted from the context. */
function substitute(s: string, ctx: Context): string {
  if (!s.includes("${")) return s;
  return s.replace(/\$\{([^}]+)\}/g, (m, body: string) => {
    if (body === "*" || body === "?" || body === "$") return body;
    const [k, def] = body.split(",").map((x) => x.trim());
    const v = getKey(ctx, k!);
    if (v?.length) return v[0]!;
    if (def) return def.replace(/^'|'$/g, "");
    return m;
  });
}

function getKey(ctx: Context, key: string): string[] | undefined {
  const direct = ctx.get(key);
  if (direct) return direct;
  const lower = key.toLowerCase();
  for (const [k, v] of ctx) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function ipIn(ip: string, cidr: string): boolean {
  const toNum = (a: string) => a.split(".").reduce((n, o) => n * 256 + Number(o), 0);
  const [base, bits] = cidr.split("/");
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip) || !/^\d+\.\d+\.\d+\.\d+$/.test(base ?? "")) return ip === cidr;
  const n = bits === undefined ? 32 : Number(bits);
  const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
  return (toNum(ip) & mask) >>> 0 === (toNum(base!) & mask) >>> 0;
}

const date = (s: string) => (/^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s));

/** One request value against one condition value, for a positive operator. */
function matchOne(op: string, actual: string, expected: string): boolean {
  switch (op) {
    case "StringEquals":
    case "StringNotEquals":
      return actual === expected;
    case "StringEqualsIgnoreCase":
    case "StringNotEqualsIgnoreCase":
      return actual.toLowerCase() === expected.toLowerCase();
    case "StringLike":
    case "StringNotLike":
      return wildcard(expected, actual);
    case "NumericEquals":
    case "NumericNotEquals":
      return Number(actual) === Number(expected);
    case "NumericLessThan":
      return Number(actual) < Number(expected);
    case "NumericLessThanEquals":
      return Number(actual) <= Number(expected);
    case "NumericGreaterThan":
      return Number(actual) > Number(expected);
    case "NumericGreaterThanEquals":
      return Number(actual) >= Number(expected);
    case "DateEquals":
    case "DateNotEquals":
      return date(actual) === date(expected);
    case "DateLessThan":
      return date(actual) < date(expected);
    case "DateLessThanEquals":
      return date(actual) <= date(expected);
    case "DateGreaterThan":
      return date(actual) > date(expected);
    case "DateGreaterThanEquals":
      return date(actual) >= date(expected);
    case "Bool":
      return actual.toLowerCase() === expected.toLowerCase();
    case "BinaryEquals":
      return actual === expected;
    case "IpAddress":
    case "NotIpAddress":
      return ipIn(actual, expected);
    case "ArnEquals":
    case "ArnNotEquals":
    case "ArnLike":
    case "ArnNotLike":
      return arnLike(expected, actual);
    default:
      return false;
  }
}

function arnLike(pattern: string, arn: string): boolean {
  const p = pattern.split(":");
  const a = arn.split(":");
  if (p.length < 6 || a.length < 6) return wildcard(pattern, arn);
  for (let i = 0; i < 5; i++) if (!wildcard(p[i]!, a[i]!)) return false;
  return wildcard(p.slice(5).join(":"), a.slice(5).join(":"));
}

const NEGATED = new Set([
  "StringNotEquals",
  "StringNotEqualsIgnoreCase",
  "StringNotLike",
  "NumericNotEquals",
  "DateNotEquals",
  "NotIpAddress",
  "ArnNotEquals",
  "ArnNotLike",
]);
const POSITIVE: Record<string, string> = { NotIpAddress: "IpAddress" };

function conditionHolds(op: string, key: string, values: string[], ctx: Context, missing: Set<string>): boolean {
  const base = opName(op);
  const ifExists = op.endsWith("IfExists");
  const set = op.startsWith("ForAllValues:") ? "all" : op.startsWith("ForAnyValue:") ? "any" : undefined;
  const actual = getKey(ctx, key);
  const expected = values.map((v) => substitute(v, ctx));
  if (base === "Null") {
    const isNull = !actual || actual.length === 0;
    return expected.some((e) => (e.toLowerCase() === "true") === isNull);
  }
  if (!actual || actual.length === 0) {
    if (set === "all") return true;
    if (set === "any") {
      missing.add(key);
      return false;
    }
    if (ifExists) return true;
    missing.add(key);
    return NEGATED.has(base);
  }
  const neg = NEGATED.has(base);
  const pos = POSITIVE[base] ?? base;
  const anyMatch = (a: string) => expected.some((e) => matchOne(pos, a, e));
  const holds = (a: string) => (neg ? !anyMatch(a) : anyMatch(a));
  if (set === "all") return actual.every(holds);
  if (set === "any") return actual.some(holds);
  return holds(actual[0]!);
}

/** "direct": the policy names the principal (or everyone); "account": it names the principal's account, which delegates to identity policies. */
/** A role session's ARN: partition, account and role name (its role's ARN carries a path the session's does not). */
const SESSION_ARN = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;
const ROLE_ARN = /^arn:([\w-]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

/** Whether a policy's role ARN names the role this session belongs to (a role principal covers all its sessions). */
function roleOfSession(policyArn: string, session: RegExpExecArray | null): boolean {
  if (!session) return false;
  const r = ROLE_ARN.exec(policyArn);
  return !!r && r[1] === session[1] && r[2] === session[2] && r[3] === session[3];
}

export function principalMatches(p: Principals, req: Request): "direct" | "account" | false {
  if (p === "*") return "direct";
  let account = false;
  const session = req.principalArn ? SESSION_ARN.exec(req.principalArn) : null;
  for (const [type, list] of Object.entries(p)) {
    for (const v of list) {
      if (v === "*") return "direct";
      // Web identity and SAML: the provider ARN (or a provider name like accounts.google.com) is the principal.
      if (type === "Federated") {
        if (v === req.principalArn) return "direct";
        continue;
      }
      if (type !== "AWS") continue;
      if (v === req.principalArn || roleOfSession(v, session)) return "direct";
      if (req.principalAccount && (v === req.principalAccount || v.endsWith(`::${req.principalAccount}:root`))) account = true;
      else if (req.principalArn && v.includes("*") && wildcard(v, req.principalArn)) return "direct";
    }
  }
  return account ? "account" : false;
}

function resourceMatches(pattern: string, req: Request): boolean {
  if (req.anyResourceOf) return pattern === "*" || wildcard(pattern.split(":")[2] ?? "", req.anyResourceOf, true);
  return wildcard(substitute(pattern, req.context), req.resource);
}

/** Does the statement apply to this request? Records the condition keys the context lacked. */
export function statementApplies(s: Statement, req: Request, missing: Set<string>, checkPrincipal = false): boolean {
  const action = req.action;
  if (s.action && !s.action.some((a) => wildcard(a, action, true))) return false;
  if (s.notAction?.some((a) => wildcard(a, action, true))) return false;
  if (s.resource && !s.resource.some((r) => resourceMatches(r, req))) return false;
  if (!req.anyResourceOf && s.notResource?.some((r) => resourceMatches(r, req))) return false;
  if (checkPrincipal) {
    if (s.principal && !principalMatches(s.principal, req)) return false;
    if (s.notPrincipal && principalMatches(s.notPrincipal, req)) return false;
  }
  if (s.condition) {
    let ok = true;
    for (const [op, body] of Object.entries(s.condition))
      for (const [k, vals] of Object.entries(body)) if (!conditionHolds(op, k, vals, req.context, missing)) ok = false;
    if (!ok) return false;
  }
  return true;
}

export interface Decision {
  decision: "allowed" | "explicitDeny" | "implicitDeny";
  matched: Match[];
  missing: string[];
  boundaryAllowed?: boolean;
  details?: Record<string, string>;
}

/** AWS's evaluation logic for one action on one resource. */
export function evaluate(
  req: Request,
  identity: PolicySource[],
  opts: { boundary?: PolicySource[]; resource?: PolicySource; sessionPolicies?: PolicySource[]; requireResource?: boolean } = {},
): Decision {
  const missing = new Set<string>();
  const allows: Match[] = [];
  const denies: Match[] = [];
  const scan = (sources: PolicySource[], principal = false) => {
    const a: Match[] = [];
    for (const source of sources)
      for (const statement of source.statements)
        if (statementApplies(statement, req, missing, principal)) (statement.effect === "Deny" ? denies : a).push({ source, statement });
    return a;
  };
  const idAllow = scan(identity);
  const resAllow = opts.resource ? scan([opts.resource], true) : [];
  const bAllow = opts.boundary ? scan(opts.boundary) : undefined;
  const sAllow = opts.sessionPolicies ? scan(opts.sessionPolicies) : undefined;
  const out = (decision: Decision["decision"], matched: Match[]): Decision => ({
    decision,
    matched,
    missing: [...missing].sort(),
    boundaryAllowed: bAllow ? bAllow.length > 0 : undefined,
    details: opts.resource
      ? { [opts.resource.id]: resAllow.length && !denies.length ? "allowed" : denies.length ? "explicitDeny" : "implicitDeny" }
      : undefined,
  });
  // An explicit deny lists the denying statements, then the ones that would have allowed (as AWS answers).
  if (denies.length) return out("explicitDeny", [...denies, ...idAllow, ...(bAllow ?? []), ...resAllow]);
  const identityOk = idAllow.length > 0 && (!bAllow || bAllow.length > 0) && (!sAllow || sAllow.length > 0);
  // A resource policy naming the principal itself grants; one naming its account delegates to identity policies.
  const resDirect = resAllow.filter((m) => !m.statement.principal || principalMatches(m.statement.principal, req) === "direct");
  if (identityOk) allows.push(...idAllow, ...(bAllow ?? []));
  if (resDirect.length || (identityOk && resAllow.length)) allows.push(...resAllow);
  // Trust policies (AssumeRole): the role's policy must allow too.
  if (opts.requireResource && !resAllow.length) return out("implicitDeny", []);
  return identityOk || resDirect.length ? out("allowed", allows) : out("implicitDeny", []);
}

/** The condition keys a set of policies uses (GetContextKeysFor*Policy), in first-use order. */
export function contextKeys(statements: Statement[]): string[] {
  const keys = new Map<string, string>();
  const add = (k: string) => {
    if (!keys.has(k.toLowerCase())) keys.set(k.toLowerCase(), k);
  };
  for (const s of statements) {
    // In the statement's order (AWS's example): policy variables in resources, then condition keys.
    for (const r of [...(s.resource ?? []), ...(s.notResource ?? [])]) for (const m of r.matchAll(/\$\{([^}*?$,]+)/g)) add(m[1]!.trim());
    for (const body of Object.values(s.condition ?? {})) for (const k of Object.keys(body)) add(k);
  }
  return [...keys.values()];
}
