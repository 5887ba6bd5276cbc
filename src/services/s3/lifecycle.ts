/**
 * Lifecycle configuration: validated as S3 validates it (unique ids of at most 255 characters, status,
 * filter forms, dates at midnight UTC, positive days, transitions ordered), returned with generated ids,
 * and applied by a sweeper: expiration of current versions (a delete marker in versioned buckets),
 * removal of expired delete markers, noncurrent version expiration (with NewerNoncurrentVersions),
 * transitions (the storage class changes) and aborting incomplete multipart uploads.
 * Ages come from S3's clock (real time plus the offset POST /_awsim/clock/advance adds); the sweeper runs
 * every AWSIM_S3_LIFECYCLE_INTERVAL seconds (default 60, 0 = never), after every clock advance and on
 * POST /_awsim/s3/lifecycle/run. Days are rounded up to the next midnight UTC as S3 does, unless
 * AWSIM_S3_DAY_SECONDS shortens the day (then a day is exactly that long).
 */
import { header } from "../../protocols/http.js";
import { asArray } from "../../protocols/xml.js";
import type { Ctx } from "../core/types.js";
import { discard } from "./blobs.js";
import { empty, generatedId, getBucket, newVersionId, readXml, xmlReply } from "./common.js";
import { S3Errors } from "./errors.js";
import type { S3Input } from "./route.js";
import { removeKey, type Bucket, type ObjectVersion, type S3State, type Upload } from "./state.js";

const DAY = 86_400_000;

export interface LifecycleRule {
  id: string;
  enabled: boolean;
  prefix: string;
  tags: Array<{ Key: string; Value: string }>;
  sizeGt?: number;
  sizeLt?: number;
  expiration?: { days?: number; date?: number; deleteMarker?: boolean };
  transitions: Array<{ days?: number; date?: number; storageClass: string }>;
  noncurrentExpiration?: { days: number; newer?: number };
  noncurrentTransitions: Array<{ days: number; storageClass: string; newer?: number }>;
  abortDays?: number;
  /** The rule as the client sent it (parsed XML), for GetBucketLifecycleConfiguration. */
  raw: Record<string, unknown>;
}

const TRANSITION_CLASSES: Record<string, number> = {
  STANDARD_IA: 1,
  INTELLIGENT_TIERING: 1,
  ONEZONE_IA: 2,
  GLACIER_IR: 3,
  GLACIER: 4,
  DEEP_ARCHIVE: 5,
};

const str = (v: unknown) => (v === undefined || v === null ? undefined : typeof v === "object" ? "" : String(v).trim());

function intOf(v: unknown): number {
  const s = str(v);
  if (s === undefined || !/^-?\d+$/.test(s)) throw S3Errors.malformedXml();
  return Number(s);
}

function dateOf(v: unknown): number {
  const s = str(v) ?? "";
  const t = Date.parse(s);
  if (!/^\d{4}-\d{2}-\d{2}/.test(s) || Number.isNaN(t)) throw S3Errors.malformedXml();
  if (t % DAY !== 0) throw S3Errors.invalidArgument("'Date' must be at midnight GMT", "Date", s);
  return t;
}

function tagsOf(v: unknown): Array<{ Key: string; Value: string }> {
  return asArray(v as never).map((t: Record<string, unknown>) => {
    if (!t || typeof t !== "object" || str(t.Key) === undefined) throw S3Errors.malformedXml();
    return { Key: String(t.Key), Value: str(t.Value) ?? "" };
  });
}

function filterText(r: LifecycleRule): string {
  const parts = [`prefix=${r.prefix}`, ...r.tags.map((t) => `tag=${t.Key}:${t.Value}`)];
  return `(${parts.join(", ")})`;
}

function parseRule(raw: Record<string, any>, ids: Set<string>): LifecycleRule {
  if (!raw || typeof raw !== "object") throw S3Errors.malformedXml();
  let id = str(raw.ID);
  if (id !== undefined && id.length > 255) throw S3Errors.invalidArgument("ID length should not exceed allowed limit of 255", "ID", id);
  // S3 names an unnamed rule with the base64 of a random UUID, as it does replication rules and notifications.
  if (id === undefined || id === "") id = generatedId();
  if (ids.has(id)) throw S3Errors.invalidArgument("Rule ID must be unique. Found same ID for more than one rule", "ID", id);
  ids.add(id);
  const status = str(raw.Status);
  if (status !== "Enabled" && status !== "Disabled") throw S3Errors.malformedXml();
  const rule: LifecycleRule = { id, enabled: status === "Enabled", prefix: "", tags: [], transitions: [], noncurrentTransitions: [], raw };
  if (raw.Filter !== undefined && raw.Prefix !== undefined) throw S3Errors.malformedXml();
  if (raw.Filter === undefined && raw.Prefix === undefined) throw S3Errors.malformedXml();
  if (raw.Prefix !== undefined) rule.prefix = str(raw.Prefix) ?? "";
  const f = raw.Filter;
  if (f !== undefined && f !== "" && typeof f === "object") {
    const forms = ["Prefix", "Tag", "ObjectSizeGreaterThan", "ObjectSizeLessThan", "And"].filter((k) => f[k] !== undefined);
    if (forms.length > 1) throw S3Errors.malformedXml();
    const src = f.And !== undefined ? f.And : f;
    if (f.And !== undefined && (typeof f.And !== "object" || !f.And)) throw S3Errors.malformedXml();
    if (f.And !== undefined) {
      if (Array.isArray(src.Prefix)) throw S3Errors.invalidRequest("An And operator may only contain one 'Prefix'.");
      // An And of a Prefix alone joins nothing: it does not validate.
      if (src.Tag === undefined && src.ObjectSizeGreaterThan === undefined && src.ObjectSizeLessThan === undefined) throw S3Errors.malformedXml();
    }
    if (src.Prefix !== undefined) rule.prefix = str(src.Prefix) ?? "";
    rule.tags = tagsOf(f.And !== undefined ? src.Tag : f.Tag);
    if (f.Tag !== undefined && rule.tags.length !== 1) throw S3Errors.malformedXml();
    if (new Set(rule.tags.map((t) => t.Key)).size !== rule.tags.length) throw S3Errors.invalidRequest("Duplicate Tag Keys are not allowed.");
    if (src.ObjectSizeGreaterThan !== undefined) rule.sizeGt = intOf(src.ObjectSizeGreaterThan);
    if (src.ObjectSizeLessThan !== undefined) rule.sizeLt = intOf(src.ObjectSizeLessThan);
    if (rule.sizeGt !== undefined && rule.sizeLt !== undefined && rule.sizeGt >= rule.sizeLt)
      throw S3Errors.invalidArgument("ObjectSizeGreaterThan must be less than ObjectSizeLessThan", "ObjectSizeGreaterThan", String(rule.sizeGt));
  }
  const e = raw.Expiration;
  if (e !== undefined) {
    if (!e || typeof e !== "object") throw S3Errors.malformedXml();
    const has = [e.Days, e.Date, e.ExpiredObjectDeleteMarker].filter((x) => x !== undefined).length;
    if (has === 0 || (e.Days !== undefined && e.Date !== undefined)) throw S3Errors.malformedXml();
    // ExpiredObjectDeleteMarker beside Days or Date does not validate (AWS answers MalformedXML).
    if (e.ExpiredObjectDeleteMarker !== undefined && has > 1) throw S3Errors.malformedXml();
    rule.expiration = {};
    if (e.Days !== undefined) {
      const d = intOf(e.Days);
      if (d <= 0) throw S3Errors.invalidArgument("'Days' for Expiration action must be a positive integer", "Days", String(d));
      rule.expiration.days = d;
    }
    if (e.Date !== undefined) rule.expiration.date = dateOf(e.Date);
    if (e.ExpiredObjectDeleteMarker !== undefined) {
      const v = str(e.ExpiredObjectDeleteMarker);
      if (v !== "true" && v !== "false") throw S3Errors.malformedXml();
      if (rule.tags.length && v === "true") throw S3Errors.invalidRequest("ExpiredObjectDeleteMarker cannot be specified with tags.");
      rule.expiration.deleteMarker = v === "true";
    }
  }
  for (const t of asArray(raw.Transition) as Array<Record<string, unknown>>) {
    if (!t || typeof t !== "object") throw S3Errors.malformedXml();
    const sc = str(t.StorageClass) ?? "";
    if (TRANSITION_CLASSES[sc] === undefined) throw S3Errors.malformedXml();
    if ((t.Days === undefined) === (t.Date === undefined)) throw S3Errors.malformedXml();
    const tr: LifecycleRule["transitions"][number] = { storageClass: sc };
    if (t.Days !== undefined) {
      tr.days = intOf(t.Days);
      if (tr.days < 0) throw S3Errors.invalidArgument("'Days' in Transition action must be a non-negative integer", "Days", String(tr.days));
      if ((sc === "STANDARD_IA" || sc === "ONEZONE_IA") && tr.days < 30)
        throw S3Errors.invalidArgument(`'Days' in Transition action must be greater than or equal to 30 for storageClass '${sc}'`, "Days", String(tr.days));
    } else tr.date = dateOf(t.Date);
    rule.transitions.push(tr);
  }
  checkTransitionOrder(rule);
  const nve = raw.NoncurrentVersionExpiration;
  if (nve !== undefined) {
    if (!nve || typeof nve !== "object" || nve.NoncurrentDays === undefined) throw S3Errors.malformedXml();
    const d = intOf(nve.NoncurrentDays);
    if (d <= 0)
      throw S3Errors.invalidArgument("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer", "NoncurrentDays", String(d));
    const newer = nve.NewerNoncurrentVersions === undefined ? undefined : intOf(nve.NewerNoncurrentVersions);
    if (newer !== undefined && (newer < 1 || newer > 100))
      throw S3Errors.invalidArgument(
        "'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be a positive integer",
        "NewerNoncurrentVersions",
        String(newer),
      );
    rule.noncurrentExpiration = { days: d, newer };
  }
  for (const t of asArray(raw.NoncurrentVersionTransition) as Array<Record<string, unknown>>) {
    if (!t || typeof t !== "object" || t.NoncurrentDays === undefined) throw S3Errors.malformedXml();
    const sc = str(t.StorageClass) ?? "";
    if (TRANSITION_CLASSES[sc] === undefined) throw S3Errors.malformedXml();
    const d = intOf(t.NoncurrentDays);
    if (d < 0)
      throw S3Errors.invalidArgument("'NoncurrentDays' in NoncurrentVersionTransition action must be a non-negative integer", "NoncurrentDays", String(d));
    if ((sc === "STANDARD_IA" || sc === "ONEZONE_IA") && d < 30)
      throw S3Errors.invalidArgument(
        `'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to 30 for storageClass '${sc}'`,
        "NoncurrentDays",
        String(d),
      );
    rule.noncurrentTransitions.push({
      days: d,
      storageClass: sc,
      newer: t.NewerNoncurrentVersions === undefined ? undefined : intOf(t.NewerNoncurrentVersions),
    });
  }
  if (rule.noncurrentExpiration && rule.noncurrentTransitions.some((t) => t.days >= rule.noncurrentExpiration!.days))
    throw S3Errors.invalidArgument(
      `'NoncurrentDays' in the NoncurrentVersionExpiration action for filter '${filterText(rule)}' must be greater than 'NoncurrentDays' in the NoncurrentVersionTransition action`,
      "NoncurrentDays",
      String(rule.noncurrentExpiration.days),
    );
  const abort = raw.AbortIncompleteMultipartUpload;
  if (abort !== undefined) {
    if (!abort || typeof abort !== "object" || abort.DaysAfterInitiation === undefined) throw S3Errors.malformedXml();
    const d = intOf(abort.DaysAfterInitiation);
    if (d <= 0)
      throw S3Errors.invalidArgument(
        "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
        "DaysAfterInitiation",
        String(d),
      );
    if (rule.tags.length) throw S3Errors.invalidRequest("AbortIncompleteMultipartUpload cannot be specified with Tags.");
    rule.abortDays = d;
  }
  if (!rule.expiration && !rule.transitions.length && !rule.noncurrentExpiration && !rule.noncurrentTransitions.length && rule.abortDays === undefined)
    throw S3Errors.invalidRequest("At least one action needs to be specified in a rule");
  return rule;
}

function checkTransitionOrder(rule: LifecycleRule): void {
  const byDays = rule.transitions.filter((t) => t.days !== undefined);
  if (byDays.length && byDays.length !== rule.transitions.length)
    throw S3Errors.invalidRequest("Found mixed 'Date' and 'Days' based Transition actions in lifecycle rule for filter " + `'${filterText(rule)}'`);
  const sorted = [...rule.transitions].sort((a, b) => (a.days ?? a.date!) - (b.days ?? b.date!));
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if ((a.days ?? a.date) === (b.days ?? b.date) || TRANSITION_CLASSES[b.storageClass]! <= TRANSITION_CLASSES[a.storageClass]!)
      throw S3Errors.invalidArgument(
        `'Days' in the Transition action for StorageClass '${b.storageClass}' for filter '${filterText(rule)}' must be greater than 'Days' in the Transition action for StorageClass '${a.storageClass}' for filter '${filterText(rule)}'`,
        "Days",
        String(b.days ?? ""),
      );
  }
  const exp = rule.expiration?.days;
  const last = sorted[sorted.length - 1];
  if (exp !== undefined && last?.days !== undefined && exp <= last.days)
    throw S3Errors.invalidArgument(
      `'Days' in the Expiration action for filter '${filterText(rule)}' must be greater than 'Days' in the Transition action`,
      "Days",
      String(exp),
    );
}

const MINIMUM_SIZES = ["all_storage_classes_128K", "varies_by_storage_class"];

const V1_ACTIONS = ["Expiration", "Transition", "NoncurrentVersionExpiration", "NoncurrentVersionTransition", "AbortIncompleteMultipartUpload"];

/**
 * The deprecated PutBucketLifecycle and PutBucketLifecycleConfiguration share the wire (PUT ?lifecycle): a rule with
 * a Prefix of its own is the old form ("V1"), a rule with a Filter the new one, and S3 refuses a configuration
 * that mixes them (400 InvalidRequest, "Filter element can only be used in Lifecycle V2." or "Base level prefix
 * cannot be used in Lifecycle V2, prefixes are only supported in the Filter.", as recorded in ansible#53751,
 * cloud-custodian#5826 and terraform-provider-aws#23299; awsim takes the first rule's form as the configuration's).
 * Old-form rules may not overlap for one action type, which filters may ("Found overlapping prefixes 'dir/' and
 * 'di' for same action type 'AbortIncompleteMultipartUpload'", noobaa-core#8426, ceph#23668).
 */
function checkLifecycleVersion(rules: LifecycleRule[]): void {
  const v1 = rules[0]!.raw.Filter === undefined;
  for (const r of rules) {
    if (v1 && r.raw.Filter !== undefined) throw S3Errors.invalidRequest("Filter element can only be used in Lifecycle V2.");
    if (!v1 && r.raw.Prefix !== undefined)
      throw S3Errors.invalidRequest("Base level prefix cannot be used in Lifecycle V2, prefixes are only supported in the Filter.");
  }
  if (!v1) return;
  for (let i = 0; i < rules.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = rules[i]!;
      const b = rules[j]!;
      if (!a.prefix.startsWith(b.prefix) && !b.prefix.startsWith(a.prefix)) continue;
      const action = V1_ACTIONS.find((x) => a.raw[x] !== undefined && b.raw[x] !== undefined);
      if (action) throw S3Errors.invalidRequest(`Found overlapping prefixes '${a.prefix}' and '${b.prefix}' for same action type '${action}'`);
    }
  }
}

export async function PutBucketLifecycleConfiguration(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const minimum = header(input.req, "x-amz-transition-default-minimum-object-size") ?? MINIMUM_SIZES[0]!;
  if (!MINIMUM_SIZES.includes(minimum)) throw S3Errors.invalidRequest(`Invalid TransitionDefaultMinimumObjectSize found: ${minimum}`);
  const { doc } = await readXml(input);
  const c = doc.LifecycleConfiguration;
  if (!c || typeof c !== "object") throw S3Errors.malformedXml();
  const raws = asArray(c.Rule) as Array<Record<string, any>>;
  if (raws.length === 0 || raws.length > 1000) throw S3Errors.malformedXml();
  const ids = new Set<string>();
  const rules = raws.map((r) => parseRule(r, ids));
  checkLifecycleVersion(rules);
  b.lifecycle = rules;
  b.lifecycleMinimumSize = minimum;
  return empty(200, { "x-amz-transition-default-minimum-object-size": minimum });
}

/** S3 answers each Expiration/Transition Date as it stores it, with milliseconds ("2016-01-01T00:00:00.000Z"). */
function withIsoDates(rule: Record<string, any>): Record<string, any> {
  const fix = (o: unknown) =>
    o && typeof o === "object" && "Date" in o ? { ...o, Date: new Date(Date.parse(String((o as Record<string, unknown>).Date).trim())).toISOString() } : o;
  const out = { ...rule };
  if (out.Expiration !== undefined) out.Expiration = fix(out.Expiration);
  if (out.Transition !== undefined) out.Transition = Array.isArray(out.Transition) ? out.Transition.map(fix) : fix(out.Transition);
  return out;
}

export function GetBucketLifecycleConfiguration(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  if (!b.lifecycle) throw S3Errors.noSuchConfig("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist", b.name);
  const rules = b.lifecycle.map((r) => {
    const { ID: _id, ...rest } = r.raw;
    return withIsoDates({ ID: r.id, ...rest });
  });
  return xmlReply("LifecycleConfiguration", { Rule: rules }, { "x-amz-transition-default-minimum-object-size": b.lifecycleMinimumSize ?? MINIMUM_SIZES[0]! });
}

export function DeleteBucketLifecycle(ctx: Ctx, input: S3Input) {
  getBucket(ctx, input).lifecycle = undefined;
  return empty(204);
}

function matches(r: LifecycleRule, v: ObjectVersion): boolean {
  if (!r.enabled || !v.key.startsWith(r.prefix)) return false;
  if (r.sizeGt !== undefined && !(v.size > r.sizeGt)) return false;
  if (r.sizeLt !== undefined && !(v.size < r.sizeLt)) return false;
  for (const t of r.tags) if (!v.tags.some((x) => x.Key === t.Key && x.Value === t.Value)) return false;
  return true;
}

/** When an object `days` days old is due: S3 rounds up to the next midnight UTC (a shortened day is exact). */
function due(from: Date, days: number, dayMs: number): number {
  const t = from.getTime() + days * dayMs;
  return dayMs === DAY ? Math.ceil(t / DAY) * DAY : t;
}

/** x-amz-expiration for a current version an enabled expiration rule applies to. */
export function expirationHeader(b: Bucket, v: ObjectVersion, dayMs: number): Record<string, string> {
  let best: { at: number; id: string } | undefined;
  for (const r of b.lifecycle ?? []) {
    const e = r.expiration;
    if (!e || (e.days === undefined && e.date === undefined) || !matches(r, v)) continue;
    const at = e.date ?? due(v.lastModified, e.days!, dayMs);
    if (!best || at < best.at) best = { at, id: r.id };
  }
  if (!best) return {};
  // "The value of the rule-id is URL-encoded" (the API reference): a rule ID is any text up to 255 characters.
  return { "x-amz-expiration": `expiry-date="${new Date(best.at).toUTCString()}", rule-id="${encodeURIComponent(best.id)}"` };
}

/**
 * x-amz-abort-date and x-amz-abort-rule-id, which CreateMultipartUpload and ListParts answer for an upload an
 * enabled AbortIncompleteMultipartUpload rule covers: when the sweeper may abort it, and which rule will.
 */
export function abortHeaders(b: Bucket, u: Upload, dayMs: number): Record<string, string> {
  let best: { at: number; id: string } | undefined;
  for (const r of b.lifecycle ?? []) {
    if (!r.enabled || r.abortDays === undefined || !u.key.startsWith(r.prefix)) continue;
    const at = due(u.initiated, r.abortDays, dayMs);
    if (!best || at < best.at) best = { at, id: r.id };
  }
  // An ID beyond US-ASCII cannot go in a header as it is: URL-encoded as x-amz-expiration's is (AWS documents no form here).
  const id = best && /[^\x20-\x7e]/.test(best.id) ? encodeURIComponent(best.id) : best?.id;
  return best ? { "x-amz-abort-date": new Date(best.at).toUTCString(), "x-amz-abort-rule-id": id! } : {};
}

export interface SweepResult {
  expired: number;
  deleteMarkersAdded: number;
  deleteMarkersRemoved: number;
  noncurrentExpired: number;
  transitioned: number;
  uploadsAborted: number;
}

const lockedNow = (v: ObjectVersion, now: number) => v.legalHold === "ON" || (v.retention !== undefined && Date.parse(v.retention.RetainUntilDate) > now);

/** Apply every bucket's lifecycle rules at S3's current time. */
export function sweep(st: S3State): SweepResult {
  const res: SweepResult = { expired: 0, deleteMarkersAdded: 0, deleteMarkersRemoved: 0, noncurrentExpired: 0, transitioned: 0, uploadsAborted: 0 };
  const now = Date.now() + st.clockOffsetMs;
  for (const b of st.buckets.values()) {
    const rules = b.lifecycle?.filter((r) => r.enabled);
    if (!rules?.length) continue;
    for (const key of [...b.keys]) sweepKey(b, key, rules, now, st.dayMs, res);
    for (const u of [...b.uploads.values()]) {
      const r = rules.find((x) => x.abortDays !== undefined && u.key.startsWith(x.prefix) && due(u.initiated, x.abortDays, st.dayMs) <= now);
      if (!r) continue;
      for (const p of u.parts.values()) discard(p.blob);
      b.uploads.delete(u.uploadId);
      res.uploadsAborted++;
    }
  }
  return res;
}

function sweepKey(b: Bucket, key: string, rules: LifecycleRule[], now: number, dayMs: number, res: SweepResult): void {
  const entry = b.objects.get(key);
  if (!entry) return;
  const cur = entry.versions[0]!;
  // Current version: transitions, then expiration.
  if (!cur.isDeleteMarker) {
    for (const r of rules) {
      if (!matches(r, cur)) continue;
      for (const t of r.transitions) {
        const at = t.date ?? due(cur.lastModified, t.days!, dayMs);
        if (at <= now && (TRANSITION_CLASSES[t.storageClass] ?? 0) > (TRANSITION_CLASSES[cur.storageClass] ?? 0)) {
          cur.storageClass = t.storageClass;
          res.transitioned++;
        }
      }
    }
    const expiring = rules.find((r) => {
      const e = r.expiration;
      if (!e || (e.days === undefined && e.date === undefined) || !matches(r, cur)) return false;
      return (e.date ?? due(cur.lastModified, e.days!, dayMs)) <= now;
    });
    if (expiring) {
      if (!b.versioning) {
        if (lockedNow(cur, now)) return;
        for (const v of entry.versions) discard(v.blob);
        b.objects.delete(key);
        removeKey(b, key);
        res.expired++;
        return;
      }
      const marker: ObjectVersion = {
        key,
        versionId: b.versioning === "Enabled" ? newVersionId() : "null",
        isDeleteMarker: true,
        etag: "",
        size: 0,
        lastModified: new Date(now),
        headers: {},
        metadata: {},
        tags: [],
        storageClass: "STANDARD",
        owner: b.owner,
      };
      if (marker.versionId === "null") {
        const i = entry.versions.findIndex((x) => x.versionId === "null");
        if (i >= 0) discard(entry.versions.splice(i, 1)[0]!.blob);
      }
      entry.versions.unshift(marker);
      res.deleteMarkersAdded++;
      res.expired++;
    }
  }
  // Noncurrent versions: each became noncurrent when its successor was written.
  let noncurrentIndex = 0;
  for (let i = 1; i < entry.versions.length; i++) {
    const v = entry.versions[i]!;
    const since = entry.versions[i - 1]!.lastModified;
    noncurrentIndex++;
    if (v.isDeleteMarker) continue;
    let removed = false;
    for (const r of rules) {
      if (!matches(r, v)) continue;
      const ne = r.noncurrentExpiration;
      if (ne && (ne.newer === undefined || noncurrentIndex > ne.newer) && due(since, ne.days, dayMs) <= now && !lockedNow(v, now)) {
        entry.versions.splice(i, 1);
        discard(v.blob);
        res.noncurrentExpired++;
        i--;
        noncurrentIndex--;
        removed = true;
        break;
      }
      for (const t of r.noncurrentTransitions) {
        if (
          (t.newer === undefined || noncurrentIndex > t.newer) &&
          due(since, t.days, dayMs) <= now &&
          (TRANSITION_CLASSES[t.storageClass] ?? 0) > (TRANSITION_CLASSES[v.storageClass] ?? 0)
        ) {
          v.storageClass = t.storageClass;
          res.transitioned++;
        }
      }
    }
    if (removed) continue;
  }
  // Expired object delete markers: a delete marker that is the only version left.
  const only = entry.versions.length === 1 ? entry.versions[0]! : undefined;
  if (only?.isDeleteMarker) {
    const drop = rules.some(
      (r) =>
        r.enabled &&
        key.startsWith(r.prefix) &&
        !r.tags.length &&
        (r.expiration?.deleteMarker || (r.expiration?.days !== undefined && due(only.lastModified, r.expiration.days, dayMs) <= now)),
    );
    if (drop) {
      b.objects.delete(key);
      removeKey(b, key);
      res.deleteMarkersRemoved++;
    }
  }
  if (entry.versions.length === 0) {
    b.objects.delete(key);
    removeKey(b, key);
  }
}

/** Move S3's clock forward (every state) and run the sweeper. */
export function advanceClock(states: S3State[], ms: number): { now: string; offsetMs: number; swept: SweepResult[] } {
  for (const st of states) st.clockOffsetMs += ms;
  const swept = states.map((st) => sweep(st));
  return { now: new Date(Date.now() + (states[0]?.clockOffsetMs ?? 0)).toISOString(), offsetMs: states[0]?.clockOffsetMs ?? 0, swept };
}

/** The periodic sweeper for one state (unref'd, stopped by dispose). */
export function startSweeper(st: S3State): void {
  const raw = process.env.AWSIM_S3_LIFECYCLE_INTERVAL;
  const seconds = raw === undefined || raw === "" ? 60 : Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) return;
  st.timer = setInterval(() => sweep(st), seconds * 1000);
  st.timer.unref?.();
}
