/**
 * --persist: state that survives a restart and a crash (kill -9), at a cost proportional to each change.
 *
 * On disk, under <dataDir>/state/: snap-<gen>.v8 (the whole state when generation <gen> began; absent for
 * generation 0) and log-<gen>.bin (every change since, appended), both in the framing of log.ts. Records:
 * - S3 (the dominant case): one record per object key (bucket, key -> the key's versions), one per bucket
 *   (its settings, uploads and configurations, without its objects) and one for S3's scalar fields. S3's
 *   bucket map and each bucket's object map are tracked (track.ts): every key a request reads or writes
 *   is noted with the time, and the commit writes the current value (or a deletion) of each key noted since
 *   the request began. A 4 KiB PUT appends one ~4.4 KB record.
 * - Every other service, per scope (service x account+region): one record per entry of each top-level Map of
 *   the state (an EC2 instance, an ECS task or cluster, ...; the maps are tracked as S3's are), and of each Map
 *   one level down in a plain object of the state (EC2's families: "moreFamilies.vpns"), and one "rest" record
 *   for the other fields, written when a request touched them. A map created after its scope's records were
 *   decided rides in the rest record until a restart, then is written entry by entry ("fresh": all its entries
 *   at the first write, declared by the next rest record). An entry deleted from its map frees the objects it
 *   held (a tombstone of the resource kept elsewhere may take them). Fields a service derives from others
 *   (revive.ts DERIVED: ECS's per-cluster task indexes and stopped list, EC2's terminated queue) are left out
 *   and rebuilt at start. A scope where two records would share an object (a change through one would not
 *   show in the other: ENTANGLED; AWSIM_PERSIST_DEBUG=1 names the first) is written whole on every change.
 *   AWSIM_PERSIST_DEBUG=records lists every record written, with its size.
 * Records are written only when their bytes differ from what the log holds (a SHA-1 per record), so reads
 * that touched a record cost nothing on disk.
 *
 * Durability: before a mutating request is answered with success, the dispatcher awaits `commit()`. One
 * group commit appends one frame (length + CRC-32) holding the records of every request that joined it, then
 * fdatasyncs per --fsync: `batch` (default) gathers requests for a few ms and syncs once; `always` writes
 * and syncs at once; `never` writes at once (before the answer: a killed process loses nothing) and leaves
 * syncing to the OS. A frame cut by a crash is detected at start and dropped (only requests not yet
 * answered can be in it). S3 bodies in files stay files; the journal keeps a hard link to each (state/bodies/)
 * made, and the body fsynced, before the record that points at it is written, so a crash between S3
 * deleting a file and the deletion reaching the log can never leave an object without its body. Body
 * files and links that no record points at (left by a crash) are removed at start.
 *
 * Compaction: when the log outgrows the snapshot (and a floor), the whole state is written as
 * snap-<gen+1>.v8 (temp file, fsync, rename, directory fsync), then log-<gen+1>.bin is started and the old
 * generation deleted. Start-up reads the newest snapshot and its log; files of other generations are
 * leftovers of an interrupted compaction and are removed. State written by version 1 (one file per scope)
 * is read and rewritten as version 2; other versions are refused with a one-line message.
 */
import * as crypto from "node:crypto";
import { createHash } from "node:crypto";
import {
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fdatasync,
  fsync,
  fsyncSync,
  ftruncateSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
  writevSync,
} from "node:fs";
import { basename, join } from "node:path";
import { deserialize, serialize } from "node:v8";
import type { Simulator } from "../services/core/simulator.js";
import type { ServiceDefinition } from "../services/core/types.js";
import { serviceByName } from "../services/index.js";
import { blobSize, setBlobSize } from "../services/s3/blobs.js";
import type { Blob, Bucket, KeyEntry, S3State } from "../services/s3/state.js";
import { deepClone, PASS } from "./clone.js";
import { frame, framePieces, type Header, readFrames, STATE_FORMAT, STATE_VERSION } from "./log.js";
import { decodeObj, encodeObjLazy, JSON_TAG, type LazyRecord } from "./objcodec.js";
import { DERIVED, entryForRecord, rebuildDerived, reviveEcs } from "./revive.js";
import { FORMAT, isFileBlob, materialize, RUNTIME_FIELDS, serverRefs } from "./snapshots.js";
import { ALL_KEYS, rawEntries, rawGet, type Tag, tagOf, track } from "./track.js";

export type FsyncMode = "always" | "batch" | "never";
const BATCH_MS = 3;
const PERIODIC_MS = 5_000;
/** Record touches older than this are forgotten; a request older than that falls back to a full write. */
const HORIZON_MS = 30_000;
/** Compaction when the log exceeds the snapshot and this floor (env AWSIM_PERSIST_COMPACT_BYTES for tests). */
const compactFloor = () => Number(process.env.AWSIM_PERSIST_COMPACT_BYTES) || 64 * 1024 * 1024;
const CHUNK = 2000;

/** Operations that never change state (their answers need no commit). */
const READ_ONLY = /^(Get|List|Describe|Head|Discover|Filter|Lookup|Search|Test|Simulate|Select|Batch(Get|Check)|Query|Poll|Download|Estimate|Preview|Validate)/;
export const isMutation = (operation: string): boolean => operation !== "" && !READ_ONLY.test(operation);

/** S3 fields that are not data: the server's (RUNTIME_FIELDS), a memo, and the maps written as their own records. */
const S3_NOT_REST = new Set([...(RUNTIME_FIELDS.s3 ?? []), "crcOps", "buckets"]);

type Rec =
  | { t: "scope"; s: string; k: string; v: Record<string, unknown> }
  | { t: "rest"; s: string; k: string; v: Record<string, unknown>; maps: string[]; full?: 1 }
  | { t: "ent"; s: string; k: string; f: string; mk: unknown; v?: unknown }
  | { t: "drop"; s: string }
  | { t: "s3"; v: Record<string, unknown> }
  | { t: "bucket"; n: string; v?: Record<string, unknown>; sz?: number[]; c?: 1 }
  | { t: "obj"; n: string; k: string; v?: KeyEntry; sz?: number[]; c?: 1; j?: 1 };

interface ScopeMode {
  kind: "whole" | "entries";
  /** The state object this mode was decided for (a new object: decided again). */
  st: unknown;
  fields: string[];
  /** Which record (field\0key, or \0rest) each object reached from the scope belongs to. */
  owner: WeakMap<object, string>;
  /** Read at start: `owner` is still to be filled. */
  pending?: boolean;
  /**
   * Tracked maps the log does not hold record by record yet (read at start from inside an older rest record: maps
   * created after the scope's records were decided). Their first write takes every entry, and the next rest record
   * declares them.
   */
  fresh?: Set<string>;
  /** `fields` as a set (for the check, at each write, for maps created since). */
  known?: Set<string>;
}
const ENTANGLED = new Error("two records share an object");

/**
 * A tracked map of a scope: a top-level field, or a map one level down in a plain object of the state
 * ("parent.key": EC2 keeps families of maps in such objects). Undefined when it is no longer a map there.
 */
function fieldMap(st: Record<string, unknown>, f: string): Map<unknown, unknown> | undefined {
  const dot = f.indexOf(".");
  const v = dot < 0 ? st[f] : (st[f.slice(0, dot)] as Record<string, unknown> | undefined)?.[f.slice(dot + 1)];
  return v instanceof Map ? v : undefined;
}
/** fieldMap for a map the caller knows is tracked: a field that is gone makes the scope's records unreliable (written whole). */
function trackedMap(st: unknown, f: string): Map<unknown, unknown> {
  const m = fieldMap(st as Record<string, unknown>, f);
  if (!m) throw ENTANGLED;
  return m;
}
/**
 * Whether record `rid` (field\0key) is an entry no longer in its map: the objects it owned are free to move (to a
 * tombstone of the deleted resource kept elsewhere in the state, say).
 */
function entryGone(mode: ScopeMode, rid: string): boolean {
  const sep = rid.indexOf("\0");
  if (sep <= 0) return false;
  const m = fieldMap(mode.st as Record<string, unknown>, rid.slice(0, sep));
  return m !== undefined && !Map.prototype.has.call(m, entryKeyOf(rid.slice(sep + 1)));
}
const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};
/** Entry keys as strings for the digest maps (strings and numbers kept apart). */
const entryKeyStr = (k: unknown) => (typeof k === "number" ? `n${k}` : `s${String(k)}`);
const entryKeyOf = (s: string): unknown => (s[0] === "n" ? Number(s.slice(1)) : s.slice(1));

/** What the log holds for a record whose digest was not computed (read at start). */
const UNKNOWN = "?";
const STATS = { batches: 0, serialized: 0, written: 0, compactions: 0, compactMs: 0 };
if (process.env.AWSIM_PERSIST_STATS) process.on("exit", () => process.stderr.write(`persist stats ${JSON.stringify(STATS)}\n`));
/** crypto.hash (Node 20.12+) is the one-shot form, without a Hash object per record. */
const oneShot = (crypto as { hash?: (alg: string, data: Buffer, enc: "latin1") => string }).hash;
const digest = oneShot ? (b: Buffer) => oneShot("sha1", b, "latin1") : (b: Buffer) => createHash("sha1").update(b).digest("latin1");

export class Journal {
  /** service -> scope key -> when a request last reached that state (performance.now()). */
  private touchedAt = new Map<string, Map<string, number>>();
  /** Record touches in time order (parallel arrays). */
  private tTag: Tag[] = [];
  private tKey: unknown[] = [];
  private tAt: number[] = [];
  /** Touches before this were pruned. */
  private prunedBefore = 0;
  /** What the log holds: record id -> digest (UNKNOWN when read at start); no entry: nothing. */
  private sums = new Map<string, string>();
  /** S3 objects: bucket -> key -> digest. */
  private objSums = new Map<string, Map<string, string>>();
  private drops: string[] = [];
  /** S3's scalar fields as last collected (their record is skipped while they stay the same). */
  private restKey?: string;
  private readonly debugSeen = new Set<string>();
  /** AWSIM_PERSIST_DEBUG=records (read once: an environment lookup per record is not free). */
  private readonly debugRecords = process.env.AWSIM_PERSIST_DEBUG === "records";
  /** Ids of S3 body buffers, for record digests (S3 never changes a body buffer in place: a new body is a new buffer). */
  private readonly bodyIds = new WeakMap<Buffer, number>();
  private nextBodyId = 0;
  private readonly bodyId = (b: Buffer): number => {
    let id = this.bodyIds.get(b);
    if (id === undefined) this.bodyIds.set(b, (id = ++this.nextBodyId));
    return id;
  };
  private readonly recFn = (tag: Tag, key: unknown) => this.rec(tag, key);
  /** File blobs whose body is linked under state/bodies and synced. */
  private kept = new WeakSet<object>();
  private pendingSince = Number.POSITIVE_INFINITY;
  private pendingAll = false;
  private flushing?: Promise<void>;
  private waiting?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private lastPeriodic = 0;
  private activity = false;
  private closed = false;
  private needCompaction = false;
  private gen = 0;
  private fd = -1;
  private logBytes = 0;
  private snapBytes = 0;
  /** Bytes of bodies linked since the last compaction (links of deleted objects go at compaction). */
  private keptBytes = 0;
  private readonly compactFloor = compactFloor();
  readonly dir: string;
  readonly bodies: string;

  constructor(
    private readonly sim: Simulator,
    readonly fsync: FsyncMode = "batch",
  ) {
    this.dir = join(sim.config.dataDir!, "state");
    this.bodies = join(this.dir, "bodies");
    mkdirSync(this.bodies, { recursive: true });
  }

  start(): void {
    this.lastPeriodic = performance.now();
    this.timer = setInterval(() => {
      if (!this.activity) {
        this.lastPeriodic = performance.now(); // nothing touched since
        return;
      }
      this.activity = false;
      void this.flushAll().catch(() => undefined);
    }, PERIODIC_MS);
    this.timer.unref();
  }

  touch(service: string, key: string): void {
    if (this.closed) return;
    let t = this.touchedAt.get(service);
    if (!t) this.touchedAt.set(service, (t = new Map()));
    t.set(key, performance.now());
    this.activity = true;
  }

  private rec(tag: Tag, key: unknown): void {
    this.activity = true;
    if (key === ALL_KEYS && process.env.AWSIM_PERSIST_DEBUG) {
      const where = `${tag.svc ?? "s3"}.${tag.field ?? tag.kind}`;
      if (!this.debugSeen.has(where)) {
        this.debugSeen.add(where);
        process.stderr.write(`persist: every key of ${where} read by ${new Error().stack?.split("\n").slice(3, 6).join(" < ")}\n`);
      }
    }
    const last = this.tAt.length - 1;
    if (last >= 0 && this.tTag[last] === tag && this.tKey[last] === key) {
      this.tAt[last] = performance.now(); // the same record again: still the newest touch, order kept
      return;
    }
    this.tTag.push(tag);
    this.tKey.push(key);
    this.tAt.push(performance.now());
  }

  /** A service's state was dropped (reset, restore): the log says so at the next commit, which starts now. */
  dropped(service: string): void {
    if (this.closed) return;
    this.touchedAt.delete(service);
    this.drops.push(service);
    this.forget(service);
    void this.commit(performance.now()).catch(() => undefined);
  }

  private forget(service: string): void {
    for (const id of [...this.sums.keys()]) if (id.startsWith(`${service}\0`) || (service === "s3" && id.startsWith("s3"))) this.sums.delete(id);
    for (const id of [...this.modes.keys()]) if (id.startsWith(`${service}\0`)) this.modes.delete(id);
    for (const id of [...this.objSums.keys()]) if (id.startsWith(`${service}\0`)) this.objSums.delete(id);
    if (service === "s3") for (const id of [...this.objSums.keys()]) if (!id.includes("\0")) this.objSums.delete(id);
  }

  /** The dispatcher's hook: a successful mutating request waits for its state to be on disk. */
  afterRequest(operation: string, status: number, since: number): Promise<void> | undefined {
    return status < 400 && isMutation(operation) ? this.commit(since) : undefined;
  }

  /**
   * Resolves once every record a request that started at `since` (performance.now()) touched is on disk in
   * its state after the request: the group commit writes the current value of every record touched since
   * the earliest `since` of the requests that joined it.
   */
  commit(since: number, all = false): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (since < this.pendingSince) this.pendingSince = since;
    if (all) this.pendingAll = true;
    // A write in progress may have collected its records before this request touched anything: wait for the next one.
    if (this.waiting) return this.waiting;
    const busy = this.flushing;
    this.waiting = (busy ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        // batch: gather for a few ms (or for as long as the previous write took); always/never: the requests
        // answered in this turn of the event loop.
        await new Promise((r) => (this.fsync === "batch" && !busy ? setTimeout(r, BATCH_MS) : setImmediate(r)));
        this.waiting = undefined;
        const s = this.pendingSince;
        const everything = this.pendingAll;
        this.pendingSince = Number.POSITIVE_INFINITY;
        this.pendingAll = false;
        const p = this.writeBatch(s, everything);
        this.flushing = p;
        try {
          await p;
        } finally {
          if (this.flushing === p) this.flushing = undefined;
        }
      });
    return this.waiting;
  }

  /** Every scope of every service (periodic, graceful stop): background changes (timers, processes) too. */
  private flushAll(): Promise<void> {
    const since = this.lastPeriodic;
    this.lastPeriodic = performance.now();
    return this.commit(since, true);
  }

  // ------------------------------------------------------------------------------------------ writing

  private async writeBatch(since: number, everything: boolean): Promise<void> {
    if (this.needCompaction) {
      this.compact();
      return;
    }
    const recs: Array<Buffer | Buffer[]> = [];
    const files: string[] = [];
    const sums: Array<[string, string | undefined, string?]> = [];
    try {
      for (const svc of this.drops) recs.push(serialize({ t: "drop", s: svc } satisfies Rec));
      this.drops = [];
      this.collect(since, everything, recs, files, sums);
    } catch (e) {
      this.needCompaction = true;
      throw e;
    }
    this.prune();
    if (recs.length === 0) return;
    STATS.batches++;
    try {
      if (this.fsync !== "never" && files.length) await Promise.all(files.map(syncFile));
      this.logBytes += writevAll(this.fd, framePieces(recs), this.logBytes);
      if (this.fsync !== "never") await new Promise<void>((res, rej) => fdatasync(this.fd, (e) => (e ? rej(e) : res())));
    } catch (e) {
      // What the log holds is unknown now: the next commit rewrites everything in a new generation.
      this.needCompaction = true;
      throw e;
    }
    for (const [id, sum, key] of sums) {
      if (key === undefined) {
        if (sum !== undefined) this.sums.set(id, sum);
        else {
          this.sums.delete(id);
          if (id.startsWith("s3b\0")) this.objSums.delete(id.slice(4));
        }
      } else {
        let m = this.objSums.get(id);
        if (!m) this.objSums.set(id, (m = new Map()));
        if (sum === undefined) m.delete(key);
        else m.set(key, sum);
      }
    }
    if (this.logBytes + this.keptBytes > Math.max(this.compactFloor, 2 * this.snapBytes)) this.compact();
  }

  /** Forget record touches older than the horizon (requests older than that fall back to full writes). */
  private prune(): void {
    if (this.tAt.length === 0) return;
    const cut = performance.now() - HORIZON_MS;
    if (this.tAt[0]! >= cut) return;
    this.prunedBefore = cut;
    // The touches before `cut` are never read again (every search starts at a time >= prunedBefore), so they
    // are dropped in bulk once they are most of the arrays: a splice per commit would move every touch kept.
    const i = lowerBound(this.tAt, cut);
    if (i < 4096 || i < this.tAt.length >> 1) return;
    this.tTag.splice(0, i);
    this.tKey.splice(0, i);
    this.tAt.splice(0, i);
  }

  /** Records of everything touched since `since` (every scope with `everything`) whose bytes differ from the log's. */
  private collect(
    since: number,
    everything: boolean,
    recs: Array<Buffer | Buffer[]>,
    files: string[],
    sums: Array<[string, string | undefined, string?]>,
  ): void {
    const put = (id: string, rec: Rec | Buffer | LazyRecord, key?: string) => {
      const lazy = !Buffer.isBuffer(rec) && "sum" in rec ? rec : undefined;
      const bytes = lazy ? undefined : Buffer.isBuffer(rec) ? rec : serialize(rec as Rec);
      const sum = lazy ? lazy.sum : digest(bytes!);
      const had = key === undefined ? this.sums.get(id) : this.objSums.get(id)?.get(key);
      STATS.serialized++;
      if (had === sum) return;
      STATS.written++;
      const b = bytes ?? lazy!.parts();
      if (this.debugRecords) process.stderr.write(`persist: record ${JSON.stringify(id)} ${JSON.stringify(key ?? "")} ${pieceBytes(b)} bytes\n`);
      recs.push(b);
      sums.push([id, sum, key]);
    };
    const del = (id: string, rec: Rec, key: string) => {
      if (this.objSums.get(id)?.get(key) === undefined) return;
      recs.push(serialize(rec));
      sums.push([id, undefined, key]);
    };
    // Entries of other services' top-level maps touched since `since`, by map.
    const entries = new Map<Tag, Set<unknown> | typeof ALL_KEYS>();
    if (since >= this.prunedBefore)
      for (let i = lowerBound(this.tAt, since); i < this.tAt.length; i++) {
        const tag = this.tTag[i]!;
        if (tag.kind !== "entries") continue;
        const key = this.tKey[i];
        const cur = entries.get(tag);
        if (cur === ALL_KEYS) continue;
        if (key === ALL_KEYS) entries.set(tag, ALL_KEYS);
        else if (cur) cur.add(key);
        else entries.set(tag, new Set([key]));
      }
    for (const svc of this.sim.servicesWithState()) {
      if (svc === "s3") continue;
      const live = this.sim.scopesOf(svc);
      const touched = this.touchedAt.get(svc);
      for (const [key, st] of live ?? []) {
        const id = `${svc}\0${key}`;
        const mode = this.modes.get(id);
        const recent = (touched?.get(key) ?? -1) >= since;
        const hit = everything || recent;
        if (!mode || mode.st !== st) {
          if (hit || since < this.prunedBefore) this.enter(svc, key, st as Record<string, unknown>, put);
          continue;
        }
        if (mode.kind === "whole") {
          if (hit || since < this.prunedBefore) put(id, { t: "scope", s: svc, k: key, v: this.cloneScope(svc, st) });
          continue;
        }
        try {
          // Maps created since the scope's records were decided (EC2 makes a family's maps on its first use) join
          // as fresh ones: their objects, owned by the rest record so far, are handed out again.
          if (hit) {
            const known = (mode.known ??= new Set(mode.fields));
            const now = this.mapFields(svc, st as Record<string, unknown>, known);
            if (now.length !== known.size || now.some((f) => !known.has(f))) {
              const added = now.filter((f) => !known.has(f));
              if (added.length === 0 || now.length !== known.size + added.length) throw ENTANGLED; // a tracked map went away
              mode.fields = now;
              mode.known = new Set(now);
              mode.fresh = new Set([...(mode.fresh ?? []), ...added]);
              mode.owner = new WeakMap();
              mode.pending = true;
            }
          }
          if (mode.pending) {
            mode.pending = false;
            this.cloneRest(svc, mode, st as Record<string, unknown>);
            for (const f of mode.fields) for (const [mk, v] of rawEntries(trackedMap(st, f))) this.cloneEntry(mode, svc, f, mk, v);
          }
          // The list of tracked maps rides in the full record (written when the scope is entered): a scope with families
          // of maps (EC2's) names over a hundred of them. Later rest records declare only maps new to the log.
          const fresh = mode.fresh;
          if (hit) {
            put(`${id}\0`, { t: "rest", s: svc, k: key, v: this.cloneRest(svc, mode, st as Record<string, unknown>), maps: fresh ? [...fresh] : [] });
            mode.fresh = undefined;
          }
          for (const f of mode.fields) {
            const map = trackedMap(st, f);
            const tag = tagOf(map, this.recFn);
            // A periodic write takes every entry of the scopes requests reached since the last one (changes
            // made later by timers through references they kept do not show as map reads).
            let keys = (everything && recent) || since < this.prunedBefore || !tag ? ALL_KEYS : entries.get(tag);
            // A map new to the log: its first records are all of its entries (they replace the copy in the old rest record).
            if (fresh?.has(f) && (hit || keys)) keys = ALL_KEYS;
            if (!keys) continue;
            const fid = `${id}\0${f}`;
            if (keys === ALL_KEYS) {
              for (const ek of [...(this.objSums.get(fid)?.keys() ?? [])])
                if (!map.has(entryKeyOf(ek))) del(fid, { t: "ent", s: svc, k: key, f, mk: entryKeyOf(ek) }, ek);
              for (const [mk, v] of rawEntries(map)) put(fid, { t: "ent", s: svc, k: key, f, mk, v: this.cloneEntry(mode, svc, f, mk, v) }, entryKeyStr(mk));
              if (!tag) track(map, { rec: this.recFn, kind: "entries", svc, scope: key, field: f });
              continue;
            }
            for (const mk of keys) {
              const v = rawGet(map, mk);
              if (v === undefined && !map.has(mk)) del(fid, { t: "ent", s: svc, k: key, f, mk }, entryKeyStr(mk));
              else put(fid, { t: "ent", s: svc, k: key, f, mk, v: this.cloneEntry(mode, svc, f, mk, v) }, entryKeyStr(mk));
            }
          }
        } catch (e) {
          if (e !== ENTANGLED) throw e;
          // Two records share an object: this scope is written whole from now on.
          this.toWhole(id, mode);
          put(id, { t: "scope", s: svc, k: key, v: this.cloneScope(svc, st) });
        }
      }
    }
    const s3 = this.sim.scopesOf("s3")?.get("*") as S3State | undefined;
    if (s3) this.collectS3(s3, since, put, recs, files, sums);
  }

  private collectS3(
    st: S3State,
    since: number,
    put: (id: string, rec: Rec | Buffer | LazyRecord, key?: string) => void,
    recs: Array<Buffer | Buffer[]>,
    files: string[],
    sums: Array<[string, string | undefined, string?]>,
  ): void {
    const rest = s3Rest(st);
    const fp = primitivesKey(rest);
    if (fp === undefined || fp !== this.restKey || this.sums.get("s3") === undefined) put("s3", { t: "s3", v: rest });
    this.restKey = fp;
    /** A deletion, when the log holds the record (nothing to say for a key it never held). */
    const deleted = (n: string, k?: string) => {
      if (k === undefined) {
        if (this.sums.get(`s3b\0${n}`) === undefined) return;
        recs.push(serialize({ t: "bucket", n } satisfies Rec));
        sums.push([`s3b\0${n}`, undefined]);
        return;
      }
      if (this.objSums.get(n)?.get(k) === undefined) return;
      recs.push(serialize({ t: "obj", n, k } satisfies Rec));
      sums.push([n, undefined, k]);
    };
    const allObjects = (n: string, b: Bucket) => {
      for (const k of [...(this.objSums.get(n)?.keys() ?? [])]) if (!rawGet(b.objects, k)) deleted(n, k);
      for (const [k, e] of rawEntries(b.objects)) put(n, this.objRecord(n, k, e, files), k);
    };
    const bucketRec = (n: string, full: boolean) => {
      const b = rawGet(st.buckets, n);
      if (!b) return deleted(n);
      put(`s3b\0${n}`, this.bucketRecord(b, files));
      if (full || !tagOf(b.objects, this.recFn)) {
        // A bucket the journal has not seen (new, or restored): all its objects, then track it.
        allObjects(n, b);
        track(b.objects as Map<unknown, unknown>, { rec: this.recFn, kind: "objects", bucket: n });
      }
    };
    const allBuckets = (full: boolean) => {
      for (const n of this.bucketsInLog()) if (!rawGet(st.buckets, n)) deleted(n);
      for (const [n] of rawEntries(st.buckets)) bucketRec(n, full);
    };
    if (!tagOf(st.buckets, this.recFn)) {
      // A state the journal has not seen (first use, after a reset or restore): everything, then track it.
      allBuckets(true);
      track(st.buckets as Map<unknown, unknown>, { rec: this.recFn, kind: "buckets" });
      return;
    }
    if (since < this.prunedBefore) {
      // Touches this old were forgotten: every bucket and object (unchanged records are skipped).
      allBuckets(true);
      return;
    }
    const from = lowerBound(this.tAt, since);
    const buckets = new Set<string>();
    const objects = new Map<string, Set<string> | typeof ALL_KEYS>();
    let everyBucket = false;
    for (let i = from; i < this.tAt.length; i++) {
      const tag = this.tTag[i]!;
      const key = this.tKey[i];
      if (tag.kind === "buckets") {
        if (key === ALL_KEYS) everyBucket = true;
        else if (typeof key === "string") buckets.add(key);
        continue;
      }
      const n = tag.bucket!;
      const cur = objects.get(n);
      if (cur === ALL_KEYS) continue;
      if (key === ALL_KEYS) objects.set(n, ALL_KEYS);
      else if (typeof key === "string") {
        if (cur) cur.add(key);
        else objects.set(n, new Set([key]));
      }
    }
    if (everyBucket) allBuckets(false);
    else for (const n of buckets) bucketRec(n, false);
    for (const [n, keys] of objects) {
      const b = rawGet(st.buckets, n);
      // Gone (its deletion is written above), or a map of an older state (this bucket was written whole).
      if (!b || tagOf(b.objects, this.recFn)?.bucket !== n) continue;
      if (keys === ALL_KEYS) {
        allObjects(n, b);
        continue;
      }
      for (const k of keys) {
        const e = rawGet(b.objects, k);
        if (e) put(n, this.objRecord(n, k, e, files), k);
        else deleted(n, k);
      }
    }
  }

  /** service\0scope -> how that scope is written. */
  private modes = new Map<string, ScopeMode>();

  /**
   * First sight of a scope's state (new, restored, or after a start): written record by record (its
   * top-level maps entry by entry, the rest as one record) unless two of those records share an object,
   * then whole.
   */
  private enter(svc: string, key: string, st: Record<string, unknown>, put: (id: string, rec: Rec | Buffer, key?: string) => void): void {
    const id = `${svc}\0${key}`;
    const old = this.modes.get(id);
    if (old?.kind === "entries") this.toWhole(id, old);
    const mode = this.entriesMode(svc, st);
    if (!mode) {
      this.modes.set(id, { kind: "whole", st, fields: [], owner: new WeakMap() });
      put(id, { t: "scope", s: svc, k: key, v: this.cloneScope(svc, st) });
      return;
    }
    try {
      const rest = this.cloneRest(svc, mode, st);
      const ents = mode.fields.map((f) => {
        const map = trackedMap(st, f);
        return [...rawEntries(map)].map(([mk, v]) => [mk, this.cloneEntry(mode, svc, f, mk, v)] as const);
      });
      // The log's entries of this scope are replaced by the ones written now (a full rest record resets them).
      for (const f of mode.fields) this.objSums.delete(`${id}\0${f}`);
      this.sums.delete(id);
      put(`${id}\0`, { t: "rest", s: svc, k: key, v: rest, maps: mode.fields, full: 1 });
      mode.fields.forEach((f, i) => {
        for (const [mk, v] of ents[i]!) put(`${id}\0${f}`, { t: "ent", s: svc, k: key, f, mk, v }, entryKeyStr(mk));
        track(trackedMap(st, f), { rec: this.recFn, kind: "entries", svc, scope: key, field: f });
      });
      this.modes.set(id, mode);
    } catch (e) {
      if (e !== ENTANGLED) throw e;
      this.modes.set(id, { kind: "whole", st, fields: [], owner: new WeakMap() });
      put(id, { t: "scope", s: svc, k: key, v: this.cloneScope(svc, st) });
    }
  }

  /** A scope in entries mode (fields: its top-level maps with primitive keys), or undefined for whole mode. */
  private entriesMode(svc: string, st: Record<string, unknown>): ScopeMode | undefined {
    if (st === null || typeof st !== "object") return undefined;
    const fields = this.mapFields(svc, st);
    return fields.length ? { kind: "entries", st, fields, owner: new WeakMap() } : undefined;
  }

  /**
   * The maps of a scope that can have a record per entry (primitive keys): top-level, or one level down in a plain
   * object. Names in `known` are taken as they are (their keys are not checked again).
   */
  private mapFields(svc: string, st: Record<string, unknown>, known?: Set<string>): string[] {
    const runtime = RUNTIME_FIELDS[svc];
    const fields: string[] = [];
    const trackable = (name: string, v: Map<unknown, unknown>) => {
      if (known?.has(name)) return true;
      const proto = Object.getPrototypeOf(v);
      if (proto !== Map.prototype && !tagOf(v, this.recFn) && proto.constructor?.name !== "TrackedMap") return false;
      for (const [mk] of rawEntries(v)) if (typeof mk !== "string" && typeof mk !== "number") return false;
      return true;
    };
    for (const k of Object.keys(st)) {
      const v = st[k];
      if (runtime?.includes(k) || k.includes(".")) continue;
      if (v instanceof Map) {
        if (trackable(k, v)) fields.push(k);
      } else if (isPlainObject(v)) {
        // Maps one level down (EC2's families of maps) get a record per entry too, instead of riding in the rest record.
        for (const kk of Object.keys(v)) {
          const n = v[kk];
          if (n instanceof Map && !kk.includes(".") && trackable(`${k}.${kk}`, n)) fields.push(`${k}.${kk}`);
        }
      }
    }
    return fields;
  }

  private toWhole(id: string, mode: ScopeMode): void {
    for (const f of mode.fields) {
      const m = fieldMap(mode.st as Record<string, unknown>, f);
      if (m && tagOf(m, this.recFn)) track(m, undefined as never);
    }
    this.modes.set(id, { kind: "whole", st: mode.st, fields: [], owner: new WeakMap() });
  }

  /** A copy of `v` for record `rid` of a scope; throws ENTANGLED when it reaches an object another record holds. */
  private cloneOwned(mode: ScopeMode, rid: string, v: unknown): unknown {
    return deepClone(v, {
      refs: serverRefs(this.sim, true),
      onObject: (o) => (isFileBlob(o) ? { kind: "file", path: o.path, refs: 0, dead: false, __awsimSize: blobSize(o as never) } : PASS),
      onVisit: (o) => {
        // Shared values nobody changes in place (dates, frozen constants) are copied per record harmlessly.
        if (o instanceof Date || Object.isFrozen(o)) return;
        const w = mode.owner.get(o);
        if (w !== undefined && w !== rid && !entryGone(mode, w)) {
          if (process.env.AWSIM_PERSIST_DEBUG)
            process.stderr.write(`persist: ${rid} shares a ${o.constructor?.name} (${Object.keys(o).slice(0, 5)}) at ${pathTo(v, o)} with ${w}\n`);
          throw ENTANGLED;
        }
        mode.owner.set(o, rid);
      },
    });
  }

  /** A copy of entry `mk` of top-level map `f` for its record (without the fields the service derives, revive.ts). */
  private cloneEntry(mode: ScopeMode, svc: string, f: string, mk: unknown, v: unknown): unknown {
    return this.cloneOwned(mode, `${f}\0${entryKeyStr(mk)}`, entryForRecord(svc, mode.st, f, v));
  }

  /** A copy for a snapshot (ownership is not checked: a snapshot is one consistent whole). */
  private cloneOwnedLoose(v: unknown): unknown {
    return deepClone(v, {
      refs: serverRefs(this.sim, true),
      onObject: (o) => (isFileBlob(o) ? { kind: "file", path: o.path, refs: 0, dead: false, __awsimSize: blobSize(o as never) } : PASS),
    });
  }

  /** The scope's state without its tracked maps (and without the server's runtime fields). */
  private cloneRest(svc: string, mode: ScopeMode, st: Record<string, unknown>): Record<string, unknown> {
    const shallow: Record<string, unknown> = Object.create(Object.getPrototypeOf(st));
    const skip = new Set([...mode.fields, ...(RUNTIME_FIELDS[svc] ?? []), ...(DERIVED[svc]?.rest ?? [])]);
    // Tracked maps one level down leave a copy of their parent object without them.
    const nested = new Map<string, Set<string>>();
    for (const f of mode.fields) {
      const dot = f.indexOf(".");
      if (dot < 0) continue;
      const parent = f.slice(0, dot);
      let keys = nested.get(parent);
      if (!keys) nested.set(parent, (keys = new Set()));
      keys.add(f.slice(dot + 1));
    }
    for (const k of Object.keys(st)) {
      if (skip.has(k)) continue;
      const drop = nested.get(k);
      const v = st[k];
      if (!drop || !isPlainObject(v)) {
        shallow[k] = v;
        continue;
      }
      const part: Record<string, unknown> = Object.create(Object.getPrototypeOf(v));
      for (const kk of Object.keys(v)) if (!drop.has(kk)) part[kk] = v[kk];
      shallow[k] = part;
    }
    const owner = mode.owner;
    // The rest object itself is new each time: own its values, not it.
    return this.cloneOwned({ ...mode, owner }, "\0rest", shallow) as Record<string, unknown>;
  }

  /** Buckets the log holds. */
  private bucketsInLog(): string[] {
    const out: string[] = [];
    for (const id of this.sums.keys()) if (id.startsWith("s3b\0")) out.push(id.slice(4));
    return out;
  }

  private cloneScope(svc: string, st: unknown): Record<string, unknown> {
    const copy = deepClone(st, {
      refs: serverRefs(this.sim, true),
      onObject: (o) => (isFileBlob(o) ? { kind: "file", path: o.path, refs: 0, dead: false, __awsimSize: blobSize(o as never) } : PASS),
    }) as Record<string, unknown>;
    for (const f of RUNTIME_FIELDS[svc] ?? []) delete copy[f];
    return copy;
  }

  private bucketRecord(b: Bucket, files: string[]): Buffer {
    const v: Record<string, unknown> = {};
    for (const k of Object.keys(b)) if (k !== "objects" && k !== "keys") v[k] = (b as unknown as Record<string, unknown>)[k];
    const sz: number[] = [];
    for (const u of Map.prototype.values.call(b.uploads) as Iterable<Bucket["uploads"] extends Map<string, infer U> ? U : never>)
      for (const p of u.parts.values()) this.keepBlob(p.blob, sz, files);
    return this.encode({ t: "bucket", n: b.name, v, sz });
  }

  private objRecord(n: string, k: string, e: KeyEntry, files: string[]): Buffer | LazyRecord {
    const sz: number[] = [];
    for (const v of e.versions) if (v.blob) this.keepBlob(v.blob, sz, files);
    return encodeObjLazy(n, k, e, digest, this.bodyId) ?? this.encode({ t: "obj", n, k, v: e, sz });
  }

  /** A record's bytes as it is, or (when something in it cannot be serialized) of a generic copy with file sizes inline. */
  private encode<R extends Rec & { v?: unknown; sz?: number[]; c?: 1 }>(rec: R): Buffer {
    try {
      return serialize(rec);
    } catch {
      const v = deepClone(rec.v, {
        refs: serverRefs(this.sim, true),
        onObject: (o) => (isFileBlob(o) ? { kind: "file", path: o.path, refs: 0, dead: false, __awsimSize: blobSize(o as never) } : PASS),
      });
      return serialize({ ...rec, v, sz: undefined, c: 1 });
    }
  }

  /** Sizes of file blobs in walk order; each body hard-linked under state/bodies (once) and listed to be synced. */
  private keepBlob(blob: Blob, sz: number[], files: string[]): void {
    if (blob.kind === "multi") {
      for (const p of blob.parts) this.keepBlob(p.blob, sz, files);
      return;
    }
    if (blob.kind !== "file") return;
    sz.push(blobSize(blob));
    if (this.kept.has(blob)) return;
    const link = join(this.bodies, basename(blob.path));
    try {
      linkSync(blob.path, link);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // A file system without hard links: a copy (copy-on-write where offered) keeps the body as well.
      if (code !== "EEXIST") copyFileSync(blob.path, link, constants.COPYFILE_FICLONE);
    }
    files.push(link);
    this.kept.add(blob);
    this.keptBytes += blobSize(blob);
  }

  // ------------------------------------------------------------------------------------------ compaction

  /** All records of the current state, chunked. */
  private *allRecords(files: string[]): Generator<Buffer | Buffer[]> {
    const sums = new Map<string, string>();
    const objSums = new Map<string, Map<string, string>>();
    // Compaction only serializes: digests are left to the next write of each record (UNKNOWN), except the ones
    // the object records' encoding computes anyway (else the next periodic write, which re-collects every record
    // touched in the last seconds, would write all of those again).
    const emit = (id: string, rec: Rec | Buffer | LazyRecord, key?: string) => {
      const lazy = !Buffer.isBuffer(rec) && "sum" in rec ? rec : undefined;
      const bytes = lazy ? lazy.parts() : Buffer.isBuffer(rec) ? rec : serialize(rec as Rec);
      const sum = lazy ? lazy.sum : UNKNOWN;
      if (key === undefined) sums.set(id, sum);
      else {
        let m = objSums.get(id);
        if (!m) objSums.set(id, (m = new Map()));
        m.set(key, sum);
      }
      return bytes;
    };
    for (const svc of this.sim.servicesWithState()) {
      for (const [key, st] of this.sim.scopesOf(svc) ?? []) {
        if (svc === "s3" && key === "*") {
          const s3 = st as S3State;
          yield emit("s3", { t: "s3", v: s3Rest(s3) });
          for (const [n, b] of rawEntries(s3.buckets)) {
            yield emit(`s3b\0${n}`, this.bucketRecord(b, files));
            for (const [k, e] of rawEntries(b.objects)) yield emit(n, this.objRecord(n, k, e, files), k);
            if (tagOf(b.objects, this.recFn)?.bucket !== n) track(b.objects as Map<unknown, unknown>, { rec: this.recFn, kind: "objects", bucket: n });
          }
          if (!tagOf(s3.buckets, this.recFn)) track(s3.buckets as Map<unknown, unknown>, { rec: this.recFn, kind: "buckets" });
        } else {
          const id = `${svc}\0${key}`;
          const mode = this.modes.get(id);
          if (mode?.kind === "entries" && mode.st === st) {
            const rest = this.cloneRest(svc, mode, st as Record<string, unknown>);
            yield emit(`${id}\0`, { t: "rest", s: svc, k: key, v: rest, maps: mode.fields, full: 1 });
            for (const f of mode.fields)
              for (const [mk, v] of rawEntries(trackedMap(st, f)))
                yield emit(`${id}\0${f}`, { t: "ent", s: svc, k: key, f, mk, v: this.cloneOwnedLoose(entryForRecord(svc, st, f, v)) }, entryKeyStr(mk));
          } else yield emit(id, { t: "scope", s: svc, k: key, v: this.cloneScope(svc, st) });
        }
      }
    }
    this.sums = sums;
    this.objSums = objSums;
  }

  /** Write the whole state as generation gen+1 and start its log; the old generation's files go. */
  private compact(): void {
    const t0 = performance.now();
    const next = this.gen + 1;
    const snap = join(this.dir, `snap-${next}.v8`);
    const tmp = `${snap}.tmp`;
    const files: string[] = [];
    const fd = openSync(tmp, "w");
    let bytes = 0;
    try {
      bytes += writeAll(fd, frame([serialize(header("snapshot", next))]), bytes);
      let chunk: Array<Buffer | Buffer[]> = [];
      for (const r of this.allRecords(files)) {
        chunk.push(r);
        if (chunk.length >= CHUNK) {
          bytes += writevAll(fd, framePieces(chunk), bytes);
          chunk = [];
        }
      }
      if (chunk.length) bytes += writevAll(fd, framePieces(chunk), bytes);
      if (this.fsync !== "never") {
        for (const f of files) syncFileSync(f);
        fsyncSync(fd);
      }
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, snap);
    if (this.fsync !== "never") fsyncDir(this.dir);
    this.openLog(next, true);
    const old = this.gen;
    this.gen = next;
    this.snapBytes = bytes;
    this.keptBytes = 0;
    this.needCompaction = false;
    this.drops = [];
    rmSync(join(this.dir, `log-${old}.bin`), { force: true });
    rmSync(join(this.dir, `snap-${old}.v8`), { force: true });
    this.collectBodyLinks();
    STATS.compactions++;
    STATS.compactMs += performance.now() - t0;
  }

  private openLog(gen: number, fresh: boolean): void {
    if (this.fd >= 0) closeSync(this.fd);
    const path = join(this.dir, `log-${gen}.bin`);
    if (fresh || !existsSync(path)) {
      this.fd = openSync(path, "w");
      const h = frame([serialize(header("log", gen))]);
      this.logBytes = writeAll(this.fd, h, 0);
      if (this.fsync !== "never") {
        fsyncSync(this.fd);
        fsyncDir(this.dir);
      }
    } else this.fd = openSync(path, "r+");
  }

  /** Links under state/bodies that no S3 object or upload part points at any more. */
  private collectBodyLinks(): void {
    const live = new Set<string>();
    const s3 = this.sim.scopesOf("s3")?.get("*") as S3State | undefined;
    const add = (b: Blob | undefined): void => {
      if (!b) return;
      if (b.kind === "file") live.add(basename(b.path));
      else if (b.kind === "multi") for (const p of b.parts) add(p.blob);
    };
    if (s3)
      for (const [, b] of rawEntries(s3.buckets)) {
        for (const [, e] of rawEntries(b.objects)) for (const v of e.versions) add(v.blob);
        for (const u of Map.prototype.values.call(b.uploads) as Iterable<{ parts: Map<number, { blob: Blob }> }>) for (const p of u.parts.values()) add(p.blob);
      }
    for (const name of readdirSync(this.bodies)) if (!live.has(name)) rmSync(join(this.bodies, name), { force: true });
  }

  /** Write every scope of every service now, as a new snapshot (after a restore). */
  async saveAll(): Promise<void> {
    if (this.closed) return;
    await this.waiting?.catch(() => undefined);
    await this.flushing?.catch(() => undefined);
    this.compact();
  }

  // ------------------------------------------------------------------------------------------ loading

  /** Load the persisted state. Throws a one-line message for files of another format version. */
  async load(): Promise<number> {
    const legacy = await this.loadV1();
    for (const f of readdirSync(this.dir)) if (f.endsWith(".tmp")) rmSync(join(this.dir, f), { force: true });
    const gens = readdirSync(this.dir)
      .map((f) => /^snap-(\d+)\.v8$/.exec(f))
      .filter((m) => m !== null)
      .map((m) => Number(m[1]));
    const gen = gens.length ? Math.max(...gens) : 0;
    const image = new Image();
    let records = 0;
    if (gen > 0) {
      const path = join(this.dir, `snap-${gen}.v8`);
      const buf = readFileSync(path);
      this.snapBytes = buf.length;
      const r = this.readFile(path, buf, "snapshot", gen, image);
      if (r.torn) throw new Error(`${path} is damaged (a snapshot is written whole, then renamed); move it away or start without --persist`);
      records += r.n;
    }
    const logPath = join(this.dir, `log-${gen}.bin`);
    if (existsSync(logPath)) {
      const buf = readFileSync(logPath);
      const r = this.readFile(logPath, buf, "log", gen, image);
      records += r.n;
      this.gen = gen;
      this.openLog(gen, r.end === 0);
      if (r.end > 0) {
        // A torn last frame (a commit cut by a crash, never acknowledged) is cut off before appending.
        if (r.end < buf.length) ftruncateSync(this.fd, r.end);
        this.logBytes = r.end;
      }
    } else {
      this.gen = gen;
      this.openLog(gen, true);
    }
    // Files of other generations: an interrupted compaction's leftovers.
    for (const f of readdirSync(this.dir)) {
      const m = /^(snap|log)-(\d+)\.(v8|bin)$/.exec(f);
      if (m && Number(m[2]) !== gen) rmSync(join(this.dir, f), { force: true });
    }
    await this.materialize(image);
    if (legacy) {
      this.compact();
      for (const d of this.legacyDirs) rmSync(join(this.dir, d), { recursive: true, force: true });
    } else this.collectBodyLinks();
    return records + legacy;
  }

  private readFile(path: string, buf: Buffer, kind: Header["kind"], gen: number, image: Image): { end: number; torn: boolean; n: number } {
    let first = true;
    let n = 0;
    const r = readFrames(buf, (bytes) => {
      let rec: Rec | Header;
      try {
        rec = bytes[0] === JSON_TAG ? decodeObj(bytes, kind === "log") : deserialize(bytes);
      } catch {
        throw new Error(`${path} is not an awsim state file (unreadable record); move it away or start without --persist`);
      }
      if (first) {
        first = false;
        const h = rec as Header;
        if (h?.format !== STATE_FORMAT) throw new Error(`${path} is not an awsim state file`);
        if (h.version !== STATE_VERSION)
          throw new Error(`${path} was written in state format version ${h.version}; this awsim reads versions 1 and ${STATE_VERSION} only`);
        if (h.kind !== kind || h.gen !== gen) throw new Error(`${path} is not the ${kind} of generation ${gen}`);
        return;
      }
      image.apply(rec as Rec);
      n++;
    });
    if (first && r.end === 0 && buf.length > 0 && kind === "snapshot") throw new Error(`${path} is not an awsim state file`);
    return { ...r, n };
  }

  private async materialize(image: Image): Promise<void> {
    const services = new Set([...image.scopes.keys(), ...(image.s3 ? ["s3"] : [])]);
    for (const svc of services) {
      const desc = serviceByName(svc);
      if (!desc) continue;
      const def = await this.sim.load(desc);
      const built = new Map<string, unknown>();
      const byRecords: string[] = [];
      for (const [key, img] of image.scopes.get(svc) ?? []) {
        if (img.whole) {
          built.set(key, materialize(this.sim, def, key, img.whole, { keepFiles: true, inPlace: true }));
          continue;
        }
        const saved: Record<string, unknown> = { ...img.rest };
        for (const [f, m] of img.ents ?? []) {
          const dot = f.indexOf(".");
          if (dot < 0) saved[f] = m;
          else ((saved[f.slice(0, dot)] ??= {}) as Record<string, unknown>)[f.slice(dot + 1)] = m;
        }
        const st = materialize(this.sim, def, key, saved, { keepFiles: true, inPlace: true }) as Record<string, unknown>;
        rebuildDerived(svc, st);
        built.set(key, st);
        byRecords.push(key);
      }
      if (svc === "s3" && image.s3) built.set("*", this.buildS3(def, image.s3));
      await this.sim.replaceStates(svc, built);
      // Scopes read record by record go on that way: which record owns which object, tracking, what the log holds.
      for (const key of byRecords) {
        const st = built.get(key) as Record<string, unknown>;
        const id = `${svc}\0${key}`;
        const mode = this.entriesMode(svc, st);
        if (!mode) continue;
        // A map the log holds inside the rest record (one created after the scope's records were decided, or
        // written by an earlier awsim): fresh, written whole at its first write.
        const logged = image.scopes.get(svc)?.get(key)?.ents;
        const fresh = mode.fields.filter((f) => !logged?.has(f));
        if (fresh.length) mode.fresh = new Set(fresh);
        mode.pending = true; // which record owns which object: worked out at the first write, not at start
        this.sums.set(`${id}\0`, UNKNOWN);
        for (const f of mode.fields) {
          const m = trackedMap(st, f);
          this.objSums.set(`${id}\0${f}`, mode.fresh?.has(f) ? new Map() : new Map([...rawEntries(m)].map(([mk]) => [entryKeyStr(mk), UNKNOWN])));
          track(m, { rec: this.recFn, kind: "entries", svc, scope: key, field: f });
        }
        this.modes.set(id, mode);
      }
      if (svc === "ecs") await reviveEcs(this.sim);
    }
  }

  private buildS3(def: ServiceDefinition, img: S3Image): S3State {
    const st = materialize(this.sim, def, "*", { ...(img.rest ?? {}), buckets: new Map(), crcOps: new Map() }, { keepFiles: true }) as S3State;
    for (const [n, bi] of img.buckets) {
      if (!bi.rec) continue;
      const b = restoreValue(bi.rec) as unknown as Bucket;
      if (!bi.rec.c) {
        const sz = { list: bi.rec.sz ?? [], i: 0 };
        for (const u of b.uploads.values()) for (const p of u.parts.values()) p.blob = fixBlob(p.blob, sz, this.bodies, this.kept);
      }
      b.objects = new Map();
      for (const [k, o] of bi.objects) {
        const e = restoreValue(o) as KeyEntry;
        if (o.j) {
          // Blobs were made live when the record was read; bodies S3 removed come back from the links.
          const relink = (bl: Blob): void => {
            if (bl.kind === "file") keepOrRelink(bl, this.bodies, this.kept);
            else if (bl.kind === "multi") for (const p of bl.parts) relink(p.blob);
          };
          for (const v of e.versions) if (v.blob) relink(v.blob);
        } else if (!o.c) {
          const sz = { list: o.sz ?? [], i: 0 };
          for (const v of e.versions) if (v.blob) v.blob = fixBlob(v.blob, sz, this.bodies, this.kept);
        }
        b.objects.set(k, e);
      }
      b.keys = [...b.objects.keys()].sort();
      track(b.objects as Map<unknown, unknown>, { rec: this.recFn, kind: "objects", bucket: n });
      st.buckets.set(n, b);
      // The log holds these records (their digests are computed when they are next written).
      this.sums.set(`s3b\0${n}`, UNKNOWN);
      const held = new Map<string, string>();
      for (const k of b.keys) held.set(k, UNKNOWN);
      this.objSums.set(n, held);
    }
    track(st.buckets as Map<unknown, unknown>, { rec: this.recFn, kind: "buckets" });
    return st;
  }

  /** Version 1 (one file per scope under state/<service>/): read, to be rewritten as version 2. */
  private async loadV1(): Promise<number> {
    let n = 0;
    for (const svc of readdirSync(this.dir)) {
      const dir = join(this.dir, svc);
      const desc = serviceByName(svc);
      if (!desc) continue;
      const def = await this.sim.load(desc);
      const built = new Map<string, unknown>();
      for (const f of readdirSync(dir)) {
        const path = join(dir, f);
        if (!f.endsWith(".v8")) {
          if (f.endsWith(".tmp")) rmSync(path, { force: true }); // a write a crash interrupted: the old file stands
          continue;
        }
        let data: { format?: string; version?: number; key?: string; state?: Record<string, unknown> };
        try {
          data = deserialize(readFileSync(path));
        } catch {
          throw new Error(`${path} is not an awsim state file (unreadable); move it away or start without --persist`);
        }
        if (data?.format !== FORMAT || typeof data.key !== "string" || !data.state) throw new Error(`${path} is not an awsim state file`);
        if (data.version !== 1)
          throw new Error(`${path} was written in state format version ${data.version}; this awsim reads versions 1 and ${STATE_VERSION} only`);
        built.set(data.key, materialize(this.sim, def, data.key, data.state, { keepFiles: true }));
        n++;
      }
      if (built.size) {
        await this.sim.replaceStates(svc, built);
        if (svc === "ecs") await reviveEcs(this.sim);
      }
    }
    if (n) {
      // Rewritten as version 2 by load(); the old files go once the snapshot is in place.
      this.legacyDirs = readdirSync(this.dir).filter((d) => serviceByName(d));
    }
    return n;
  }

  private legacyDirs: string[] = [];

  /** Final write and detach (graceful stop). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.waiting?.catch(() => undefined);
    await this.flushAll().catch(() => undefined);
    await this.flushing?.catch(() => undefined);
    this.closed = true;
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    if (this.sim.journal === this) this.sim.journal = undefined;
  }
}

// ---------------------------------------------------------------------------------------------- helpers

interface S3Image {
  rest?: Record<string, unknown>;
  buckets: Map<string, { rec?: { v?: Record<string, unknown>; sz?: number[]; c?: 1 }; objects: Map<string, { v?: KeyEntry; sz?: number[]; c?: 1; j?: 1 }> }>;
}

/** The state the records describe, record by record (the last record of an id wins). */
interface ScopeImage {
  whole?: Record<string, unknown>;
  rest?: Record<string, unknown>;
  ents?: Map<string, Map<unknown, unknown>>;
}

class Image {
  scopes = new Map<string, Map<string, ScopeImage>>();
  s3?: S3Image;

  private scope(s: string, k: string): Map<string, ScopeImage> {
    let m = this.scopes.get(s);
    if (!m) this.scopes.set(s, (m = new Map()));
    return m;
  }

  apply(rec: Rec): void {
    switch (rec.t) {
      case "drop":
        this.scopes.delete(rec.s);
        if (rec.s === "s3") this.s3 = undefined;
        return;
      case "scope":
        this.scope(rec.s, rec.k).set(rec.k, { whole: rec.v });
        return;
      case "rest": {
        const m = this.scope(rec.s, rec.k);
        const cur = m.get(rec.k);
        if (rec.full || !cur?.rest) m.set(rec.k, { rest: rec.v, ents: new Map((rec.maps ?? []).map((f) => [f, new Map()])) });
        else {
          cur.rest = rec.v;
          // Maps new to the log: declared here (an empty one has no entry records to show it exists).
          for (const f of rec.maps ?? []) if (!cur.ents?.has(f)) (cur.ents ??= new Map()).set(f, new Map());
        }
        return;
      }
      case "ent": {
        const cur = this.scopes.get(rec.s)?.get(rec.k);
        if (!cur?.ents) return;
        let m = cur.ents.get(rec.f);
        if (!m) cur.ents.set(rec.f, (m = new Map()));
        if ("v" in rec && rec.v !== undefined) m.set(rec.mk, rec.v);
        else m.delete(rec.mk);
        return;
      }
      case "s3":
        this.s3 ??= { buckets: new Map() };
        this.s3.rest = rec.v;
        return;
      case "bucket": {
        const s3 = (this.s3 ??= { buckets: new Map() });
        if (!rec.v) s3.buckets.delete(rec.n);
        else {
          const cur = s3.buckets.get(rec.n);
          if (cur) cur.rec = rec;
          else s3.buckets.set(rec.n, { rec, objects: new Map() });
        }
        return;
      }
      case "obj": {
        const s3 = (this.s3 ??= { buckets: new Map() });
        let b = s3.buckets.get(rec.n);
        if (!b) s3.buckets.set(rec.n, (b = { objects: new Map() }));
        if (rec.v) b.objects.set(rec.k, rec);
        else b.objects.delete(rec.k);
        return;
      }
    }
  }
}

/** Where `target` is inside `root` (for AWSIM_PERSIST_DEBUG's report of a shared object), e.g. ".groups". */
function pathTo(root: unknown, target: object, seen = new Set<object>()): string {
  if (root === target) return "";
  if (root === null || typeof root !== "object" || seen.has(root)) return "?";
  seen.add(root);
  const kids: Iterable<[unknown, unknown]> =
    root instanceof Map ? root.entries() : root instanceof Set ? [...root].map((x, i) => [i, x] as [unknown, unknown]) : Object.entries(root);
  for (const [k, x] of kids) {
    const p = pathTo(x, target, seen);
    if (p !== "?") return `${Array.isArray(root) || root instanceof Set ? `[${String(k)}]` : `.${String(k)}`}${p}`;
  }
  return "?";
}

/** A record's value for the live state: generic copies (c) go through materialize's rules for file blobs. */
function restoreValue(o: { v?: unknown; c?: 1 }): unknown {
  if (!o.c) return o.v;
  const walk = (x: unknown, seen: Set<object>): void => {
    if (x === null || typeof x !== "object" || seen.has(x)) return;
    seen.add(x);
    if (Buffer.isBuffer(x) || ArrayBuffer.isView(x) || x instanceof Date) return;
    const r = x as Record<string, unknown>;
    if (x instanceof Map) {
      for (const y of x.values()) walk(y, seen);
      return;
    }
    if (Array.isArray(x) || x instanceof Set) {
      for (const y of x) walk(y, seen);
      return;
    }
    if (r.kind === "file" && typeof r.path === "string" && "__awsimSize" in r) {
      setBlobSize(r as never, Number(r.__awsimSize) || 0);
      delete r.__awsimSize;
      r.refs = 0;
      r.dead = false;
      return;
    }
    for (const k of Object.keys(r)) walk(r[k], seen);
  };
  walk(o.v, new Set());
  return o.v;
}

/** A blob as read back: file sizes from the record's list, reader counts reset, small bodies copied out of the file buffer. */
function fixBlob(b: Blob, sz: { list: number[]; i: number }, bodies: string, kept: WeakSet<object>): Blob {
  if (b.kind === "mem") return { kind: "mem", data: Buffer.from(b.data) };
  if (b.kind === "multi") {
    for (const p of b.parts) p.blob = fixBlob(p.blob, sz, bodies, kept);
    return b;
  }
  const f = { kind: "file" as const, path: b.path, refs: 0, dead: false };
  setBlobSize(f, sz.list[sz.i++] ?? 0);
  keepOrRelink(f, bodies, kept);
  return f;
}

/** A body S3 deleted before the deletion reached the log (a crash in between) comes back from the journal's link. */
function keepOrRelink(f: { path: string }, bodies: string, kept: WeakSet<object>): void {
  const link = join(bodies, basename(f.path));
  if (!existsSync(link)) return;
  kept.add(f);
  if (existsSync(f.path)) return;
  try {
    linkSync(link, f.path);
  } catch {
    copyFileSync(link, f.path, constants.COPYFILE_FICLONE);
  }
}

/** A key for a record made of primitive values only (undefined when it holds objects). */
function primitivesKey(v: Record<string, unknown>): string | undefined {
  let out = "";
  for (const k of Object.keys(v)) {
    const x = v[k];
    if (x !== null && typeof x === "object") return undefined;
    out += `${k}\u0000${typeof x}\u0000${String(x)}\u0000`;
  }
  return out;
}

function s3Rest(st: S3State): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  for (const k of Object.keys(st)) if (!S3_NOT_REST.has(k)) v[k] = (st as unknown as Record<string, unknown>)[k];
  return v;
}

function header(kind: Header["kind"], gen: number): Header {
  return { format: STATE_FORMAT, version: STATE_VERSION, kind, gen };
}

function lowerBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function writeAll(fd: number, buf: Buffer, at: number): number {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off, at + off);
  return buf.length;
}

const pieceBytes = (b: Buffer | Buffer[]): number => (Buffer.isBuffer(b) ? b.length : b.reduce((n, p) => n + p.length, 0));

/** Writes `pieces` in order at `at` (writev, at most IOV_MAX pieces a call, short writes resumed); their total length. */
function writevAll(fd: number, pieces: Buffer[], at: number): number {
  let pos = at;
  let i = 0;
  while (i < pieces.length) {
    const batch = pieces.slice(i, i + 1024);
    let want = 0;
    for (const p of batch) want += p.length;
    let done = writevSync(fd, batch, pos);
    pos += done;
    if (done === want) {
      i += batch.length;
      continue;
    }
    // A short write: go on from the first piece not fully written.
    for (const p of batch) {
      if (done >= p.length) {
        done -= p.length;
        i++;
        continue;
      }
      pieces[i] = p.subarray(done);
      break;
    }
  }
  return pos - at;
}

function syncFile(path: string): Promise<void> {
  return new Promise((res, rej) => {
    let fd: number;
    try {
      fd = openSync(path, "r");
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === "ENOENT" ? res() : rej(e);
    }
    fsync(fd, (e) => {
      closeSync(fd);
      if (e) rej(e);
      else res();
    });
  });
}

function syncFileSync(path: string): void {
  try {
    const fd = openSync(path, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* gone: nothing to keep */
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* not supported on this platform */
  }
}
