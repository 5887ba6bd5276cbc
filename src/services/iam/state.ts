/** IAM's state (one per account) and the helpers every IAM resource file shares. */
import { wholeSecond } from "../core/time.js";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { partitionOf } from "../core/arn.js";
import type { Ctx, Handler } from "../core/types.js";
import type { DelegationRec } from "./delegation.js";
import { E } from "./errors.js";
import { MANAGED_POLICY_DESCRIPTIONS, MANAGED_POLICY_EARLIER, MANAGED_POLICY_TEXT } from "./managed-policies.js";

export type Input = Record<string, any>;
export type Tag = { Key: string; Value: string };

export interface PolicyVersion {
  id: string;
  doc: string;
  created: Date;
}
export interface Policy {
  name: string;
  path: string;
  arn: string;
  id: string;
  description?: string;
  created: Date;
  updated: Date;
  versions: PolicyVersion[];
  defaultVersion: string;
  nextVersion: number;
  tags: Tag[];
  aws: boolean;
  /** Creation sequence of a customer managed policy in its account (orders policies created in the same second). */
  seq?: number;
}
/** What users, groups and roles share: inline policies, attached managed policies. */
export interface Holder {
  /** Access advisor: service namespace → when and where this entity last authenticated to it. */
  access?: Map<string, { date: Date; region: string }>;
  name: string;
  path: string;
  arn: string;
  id: string;
  created: Date;
  inline: Map<string, string>;
  attached: Set<string>;
}
export interface Role extends Holder {
  trust: string;
  description?: string;
  maxSession: number;
  tags: Tag[];
  boundary?: string;
  lastUsed?: { date: Date; region: string };
  /** Service-linked roles: the service principal that owns them. */
  service?: string;
}
export interface AccessKey {
  id: string;
  secret: string;
  status: string;
  created: Date;
  lastUsed?: { date: Date; region: string; service: string };
  /** Which of the two key slots holds it (1 or 2); unset in state saved before slots, where the position tells. */
  slot?: number;
}

/**
 * A user's (or the root's) two access key slots: a new key takes the first free slot, so after the first key is
 * deleted the next one becomes key 1 ahead of the older key 2. ListAccessKeys lists by slot and the credential
 * report's access_key_1/access_key_2 columns are the slots (AWS's answers recorded by cloud-custodian:
 * test_iam_user_credential_reverse_filter_delete lists a 2019 key before a 2018 one, matching the report's
 * key 1 and key 2; test_account_credential_report shows a key 1 newer than key 2).
 */
export const keySlot = (list: AccessKey[], k: AccessKey): number => k.slot ?? list.indexOf(k) + 1;
export const keyInSlot = (list: AccessKey[], n: number): AccessKey | undefined => list.find((k) => keySlot(list, k) === n);
export interface SshKey {
  id: string;
  body: string;
  fingerprint: string;
  status: string;
  uploaded: Date;
}
export interface ServiceCredential {
  id: string;
  service: string;
  /** ServiceUserName (user name and password credentials; unset for API keys). */
  userName?: string;
  /** The password, or an API key's secret (ServiceCredentialSecret). */
  password: string;
  /** API keys (Bedrock): the public part, ServiceCredentialAlias. */
  alias?: string;
  status: string;
  created: Date;
  expires?: Date;
}
export interface SigningCert {
  id: string;
  body: string;
  status: string;
  uploaded: Date;
}
export interface User extends Holder {
  tags: Tag[];
  boundary?: string;
  keys: AccessKey[];
  login?: { created: Date; password: string; resetRequired: boolean };
  passwordLastUsed?: Date;
  mfa: string[];
  ssh: SshKey[];
  serviceCreds: ServiceCredential[];
  certs: SigningCert[];
}
export interface Group extends Holder {
  users: Set<string>;
}
export interface Profile {
  name: string;
  path: string;
  arn: string;
  id: string;
  created: Date;
  roles: string[];
  tags: Tag[];
}
export interface MfaDevice {
  serial: string;
  seed: string;
  user?: string;
  enabled?: Date;
  tags: Tag[];
}
export interface ServerCert {
  name: string;
  path: string;
  arn: string;
  id: string;
  body: string;
  chain?: string;
  uploaded: Date;
  expiration?: Date;
  tags: Tag[];
}
export interface OidcProvider {
  arn: string;
  url: string;
  clientIds: string[];
  thumbprints: string[];
  created: Date;
  tags: Tag[];
}
export interface SamlProvider {
  arn: string;
  name: string;
  uuid: string;
  metadata: string;
  created: Date;
  validUntil: Date;
  tags: Tag[];
  encryptionMode?: string;
  privateKeys: Array<{ KeyId: string; Timestamp: Date }>;
}
export interface PasswordPolicy {
  MinimumPasswordLength: number;
  RequireSymbols: boolean;
  RequireNumbers: boolean;
  RequireUppercaseCharacters: boolean;
  RequireLowercaseCharacters: boolean;
  AllowUsersToChangePassword: boolean;
  ExpirePasswords: boolean;
  MaxPasswordAge?: number;
  PasswordReusePrevention?: number;
  HardExpiry?: boolean;
}

export interface IamState {
  accountId: string;
  partition: string;
  roles: Map<string, Role>;
  policies: Map<string, Policy>;
  users: Map<string, User>;
  groups: Map<string, Group>;
  profiles: Map<string, Profile>;
  mfa: Map<string, MfaDevice>;
  serverCerts: Map<string, ServerCert>;
  oidc: Map<string, OidcProvider>;
  saml: Map<string, SamlProvider>;
  alias?: string;
  passwordPolicy?: PasswordPolicy;
  report?: { generated: Date; csv: string };
  /** The account root's own access keys and signing certificates. */
  rootKeys: AccessKey[];
  rootCerts: SigningCert[];
  /** Access key id → user name ("" for the root): the index identify() answers from. */
  keyIndex: Map<string, string>;
  /** Access advisor reports (GenerateServiceLastAccessedDetails). */
  accessJobs: Map<string, { arn: string; granularity: string; created: Date }>;
  /** SetSecurityTokenServicePreferences. */
  tokenVersion: 1 | 2;
  /** The last customer managed policy's creation sequence number. */
  policySeq?: number;
  /** Outbound web identity federation: the issuer and its signing keys. */
  /** Outbound web identity federation: the issuer and its signing keys (PKCS#8 PEM, plain data). */
  outbound?: { issuer: string; rsa: string; ec: string; kid: string };
  /** Delegation requests this account created (delegation.ts); created on first use. */
  delegations?: Map<string, DelegationRec>;
  /** Service-linked role deletion tasks. */
  deletions: Map<string, { status: string; reason?: { Reason: string } }>;
  created: Date;
}

const CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/** IAM unique ids: a 4-letter prefix (AROA, AIDA, ANPA, AGPA, AIPA, ASCA, APKA) and 17 base32 characters. */
export const iamId = (prefix: string, n = 17) => prefix + Array.from(randomBytes(n), (b) => CHARS[b % 32]).join("");
/** RFC 3986 encoding, as IAM returns policy documents. */
export const enc = (doc: string) => encodeURIComponent(doc).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
export const st = (ctx: Ctx) => ctx.state<IamState>();
export const str = (x: unknown): string | undefined => (x === undefined || x === null ? undefined : String(x));
export const bool = (x: unknown): boolean => x === true || x === "true";
export const num = (x: unknown): number | undefined => (x === undefined || x === null || x === "" ? undefined : Number(x));
export const list = <T = string>(x: unknown): T[] => (Array.isArray(x) ? (x as T[]) : x && typeof x === "object" ? (Object.values(x) as T[]) : []);
export const sha1hex = (s: string) => createHash("sha1").update(s).digest("hex");

/** The name of the resource in an ARN-ish path: arn:aws:iam::123:role/a/b/name → name. */
export const lastSegment = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);

export function iamArn(s: IamState, type: string, path: string, name: string): string {
  return `arn:${s.partition}:iam::${s.accountId}:${type}${path}${name}`;
}

/**
 * Marker / MaxItems pagination, IAM's way (the model bounds MaxItems to 1..1000). The Marker names the last
 * item returned by its key, so the list is walked in key order: a page resumes right after that item even
 * when the caller's order differs (access keys created in the same millisecond, credentials by random id).
 */
export function page<T>(unordered: T[], v: Input, key: (t: T) => string, defaultMax = 100) {
  const max = num(v.MaxItems) ?? defaultMax;
  const items = sortBy([...unordered], key);
  let start = 0;
  if (v.Marker) {
    // A marker this server did not hand out is AWS's "Invalid Marker." (recorded), not a silent restart.
    const text = Buffer.from(String(v.Marker), "base64url").toString();
    if (!text.startsWith(MARKER_PREFIX) || Buffer.from(text).toString("base64url") !== String(v.Marker)) throw E.validation("Invalid Marker.");
    const after = text.slice(MARKER_PREFIX.length);
    start = items.findIndex((x) => key(x) > after);
    if (start < 0) start = items.length;
  }
  const out = items.slice(start, start + max);
  const more = start + max < items.length;
  return { items: out, IsTruncated: more, Marker: more ? Buffer.from(MARKER_PREFIX + key(out[out.length - 1]!)).toString("base64url") : undefined };
}

const MARKER_PREFIX = "iam-marker:";

/**
 * IAM lists managed policies in the order they were created, as AWS's answers record (ListPolicies Scope=AWS
 * starts with AdministratorAccess, PowerUserAccess, ReadOnlyAccess, AWSCloudFormationReadOnlyAccess; a role's
 * attached AmazonElasticMapReduceRole comes before AWSControlTowerServiceRolePolicy): the key sorts that way.
 */
export const policyOrder = (p: Policy) => `${p.created.toISOString()}|${String(p.seq ?? 0).padStart(10, "0")}|${p.arn}`;

/** Sorts xs in place by key (each item's key computed once). */
export function sortBy<T>(xs: T[], key: (t: T) => string): T[] {
  const keyed = xs.map((x) => ({ k: key(x), x }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  for (let i = 0; i < keyed.length; i++) xs[i] = keyed[i]!.x;
  return xs;
}

export const byName = <T extends { name: string; path: string }>(m: Map<string, T>, prefix?: string) =>
  sortBy(
    [...m.values()].filter((x) => !prefix || x.path.startsWith(prefix)),
    (x) => x.name,
  );

/** Tags from input, with IAM's rules: keys unique case-insensitively. */
/**
 * The tags a request carries. Keys compare case-insensitively for users, roles and most resources;
 * managed policies keep "a" and "A" apart (recorded from AWS), and word the duplicate error without the note.
 */
export function tagsIn(v: Input, field = "Tags", caseSensitive = false): Tag[] {
  const tags = list<Input>(v[field]).map((t) => ({ Key: String(t.Key), Value: String(t.Value ?? "") }));
  const seen = new Set<string>();
  for (const t of tags) {
    const k = caseSensitive ? t.Key : t.Key.toLowerCase();
    if (seen.has(k))
      throw E.invalidInput(caseSensitive ? "Duplicate tag keys found." : "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    seen.add(k);
  }
  return tags;
}

const sameKey = (a: string, b: string, caseSensitive: boolean) => (caseSensitive ? a === b : a.toLowerCase() === b.toLowerCase());

/**
 * Merge tags into a resource's (keys compare case-insensitively unless told; the newest spelling wins); at most 50.
 * A key already there keeps its place with the new value (as recorded from AWS); new keys go last.
 */
export function applyTags(existing: Tag[], add: Tag[], quota: string, caseSensitive = false, max = 50): Tag[] {
  const out = existing.map((t) => [...add].reverse().find((a) => sameKey(a.Key, t.Key, caseSensitive)) ?? t);
  out.push(...add.filter((a) => !existing.some((t) => sameKey(a.Key, t.Key, caseSensitive))));
  if (out.length > max) throw E.limit(`Cannot exceed quota for ${quota}: 50`);
  return out;
}

export function removeTags(existing: Tag[], keys: unknown, caseSensitive = false): Tag[] {
  const drop = list<string>(keys).map(String);
  return existing.filter((t) => !drop.some((k) => sameKey(k, t.Key, caseSensitive)));
}

/** TagX / UntagX / ListXTags for one taggable IAM resource kind, named by the input member that names it. */
export function taggingOps(noun: string, member: string, quota: string, get: (s: IamState, ref: string) => { tags: Tag[] }): Record<string, Handler> {
  return {
    [`Tag${noun}`]: (ctx, v) => {
      const r = get(st(ctx), String(v[member]));
      r.tags = applyTags(r.tags, tagsIn(v), quota);
      return {};
    },
    [`Untag${noun}`]: (ctx, v) => {
      const r = get(st(ctx), String(v[member]));
      r.tags = removeTags(r.tags, v.TagKeys);
      return {};
    },
    [`List${noun}Tags`]: (ctx, v) => listTags(get(st(ctx), String(v[member])).tags, v),
  };
}

export const tagsOut = (tags: Tag[]) => (tags.length ? tags : undefined);

/** ListXTags: the whole list paginated by key order of insertion. */
export function listTags(tags: Tag[], v: Input) {
  const indexed = tags.map((t, i) => ({ t, k: String(i).padStart(4, "0") }));
  const p = page(indexed, v, (x) => x.k);
  return { Tags: p.items.map((x) => x.t), IsTruncated: p.IsTruncated, Marker: p.Marker };
}

// ---------------------------------------------------------------- AWS managed policies

interface ManagedEntry {
  name: string;
  path: string;
  version: string;
  created: string;
  updated: string;
  document: string;
}

/**
 * Every AWS managed policy (models/iam-managed-policies.json.gz), read on IAM's first use: it is immutable and
 * shared by every account. managed-policies.ts adds descriptions, earlier versions and AWS's exact text.
 */
let managedCatalog: ManagedEntry[] | undefined;
function managedPolicies(): ManagedEntry[] {
  managedCatalog ??= JSON.parse(
    gunzipSync(readFileSync(new URL("../../../models/iam-managed-policies.json.gz", import.meta.url))).toString("utf8"),
  ) as ManagedEntry[];
  return managedCatalog;
}

/** The AWS managed policies of each partition, as templates: shared, never changed (policyAt copies one into an account). */
const awsTemplates = new Map<string, Map<string, Policy>>();
function awsManaged(partition: string): Map<string, Policy> {
  let m = awsTemplates.get(partition);
  if (m) return m;
  m = new Map();
  for (const e of managedPolicies()) {
    const arn = `arn:${partition}:iam::aws:policy${e.path}${e.name}`;
    const updated = new Date(e.updated);
    const created = new Date(e.created);
    // The default version was created when the policy was last updated; a v1 when the policy was.
    const earlier = (MANAGED_POLICY_EARLIER[e.name] ?? []).filter((x) => x.version === "v1").map((x) => ({ id: x.version, doc: x.document, created }));
    m.set(arn, {
      name: e.name,
      path: e.path,
      arn,
      // Stable per ARN, in IAM's id alphabet (base32: no 0, 1, 8 or 9).
      id: `ANPA${Array.from(createHash("sha1").update(arn).digest().subarray(0, 17), (b) => CHARS[b % 32]).join("")}`,
      description: MANAGED_POLICY_DESCRIPTIONS[e.name],
      created,
      updated,
      versions: [...earlier, { id: e.version, doc: MANAGED_POLICY_TEXT[e.name] ?? e.document, created: updated }],
      defaultVersion: e.version,
      nextVersion: Number(e.version.slice(1)) + 1,
      tags: [],
      aws: true,
    });
  }
  awsTemplates.set(partition, m);
  return m;
}

/**
 * A managed policy by ARN: the account's own, or an AWS managed one. An AWS managed policy enters the account's
 * state (a copy of its template) when the account first names it, so that the state (and --persist's journal) holds
 * only the AWS managed policies an account uses, and what it does to one stays its own.
 */
export function policyAt(s: IamState, arn: string): Policy | undefined {
  const p = s.policies.get(arn);
  if (p || !arn.includes(":iam::aws:policy/")) return p;
  const t = awsManaged(s.partition).get(arn);
  if (!t) return undefined;
  const own: Policy = { ...t, versions: t.versions.map((v) => ({ ...v })), tags: [] };
  s.policies.set(arn, own);
  return own;
}

/** Every managed policy the account sees: its own, those AWS managed ones it has used, and the other AWS managed ones. */
export function allPolicies(s: IamState): Policy[] {
  const out = [...s.policies.values()];
  for (const [arn, t] of awsManaged(s.partition)) if (!s.policies.has(arn)) out.push(t);
  return out;
}

export function createState(accountId: string, region: string): IamState {
  const partition = partitionOf(region);
  const s: IamState = {
    accountId,
    partition,
    roles: new Map(),
    policies: new Map(),
    users: new Map(),
    groups: new Map(),
    profiles: new Map(),
    mfa: new Map(),
    serverCerts: new Map(),
    oidc: new Map(),
    saml: new Map(),
    keyIndex: new Map(),
    rootKeys: [],
    rootCerts: [],
    deletions: new Map(),
    accessJobs: new Map(),
    tokenVersion: 1,
    created: wholeSecond(),
  };
  return s;
}

// ---------------------------------------------------------------- access key ids that carry their account

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * AKIA/ASIA ids in AWS's current format: 16 base32 characters whose first 6 bytes hold the account id
 * shifted left by 7 bits, so GetAccessKeyInfo can answer for any key (as AWS does).
 */
export function accountKeyId(prefix: "AKIA" | "ASIA", accountId: string): string {
  const bytes = randomBytes(10);
  const acct = /^\d{12}$/.test(accountId) ? BigInt(accountId) : 0n;
  const z = (acct << 7n) | BigInt(bytes[5]! & 0x7f);
  for (let i = 0; i < 6; i++) bytes[i] = Number((z >> BigInt(8 * (5 - i))) & 0xffn);
  let bits = 0;
  let value = 0;
  let out = "";
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return prefix + out;
}

/** The account an AKIA/ASIA id of the current format belongs to. */
export function accountOfKeyId(id: string): string | undefined {
  if (!/^(AKIA|ASIA)[A-Z2-7]{16}$/.test(id)) return undefined;
  let z = 0n;
  let bits = 0;
  for (const c of id.slice(4, 14)) {
    z = (z << 5n) | BigInt(B32.indexOf(c));
    bits += 5;
  }
  z >>= BigInt(bits - 48);
  return String((z & 0x7fffffffff80n) >> 7n).padStart(12, "0");
}

/**
 * IAM's last-used dates (access keys, roles, access advisor, the credential report) are kept to the minute:
 * AWS answers LastUsedDate and LastAuthenticated with zero seconds ("2015-06-16T22:45:00Z").
 */
export function toMinute(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 60_000) * 60_000);
}

/** Record that an entity authenticated to a service (access advisor). */
export function recordAccess(h: Holder, service: string, region: string, at: Date) {
  if (!h.access) h.access = new Map();
  h.access.set(service, { date: toMinute(at), region });
}
