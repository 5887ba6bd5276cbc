/**
 * --persist: state that survives a restart and a crash (kill -9).
 *
 * Design (instead of a log of operations): the unit of durability is one service's state for one scope
 * (account+region, account, or global). Every scope a request touches is marked dirty; before a mutating
 * request is answered with success, the dispatcher awaits `commit()`, which writes every dirty scope as one
 * file <dataDir>/state/<service>/<scope>.v8 (v8.serialize; temp file, fsync per --fsync, rename, directory
 * fsync), so each scope on disk is always a whole old or whole new state, never a partial one. Concurrent
 * commits share one write (group commit): `batch` waits a few milliseconds to gather them and fsyncs;
 * `always` writes at once and fsyncs; `never` writes at once (before the answer, so a killed process loses
 * nothing) but leaves fsync to the OS (a power loss may lose recent writes). Background changes (timers,
 * execute-mode processes) are written by a periodic full save, and all state on a graceful stop.
 * S3 bodies in files stay where S3 wrote them (the data directory); state records point at them.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import type { Simulator } from "../services/core/simulator.js";
import { serviceByName } from "../services/index.js";
import { blobSize } from "../services/s3/blobs.js";
import { deepClone, PASS } from "./clone.js";
import { reviveEcs } from "./revive.js";
import { FORMAT, FORMAT_VERSION, isFileBlob, materialize, RUNTIME_FIELDS, serverRefs } from "./snapshots.js";

export type FsyncMode = "always" | "batch" | "never";
const BATCH_MS = 3;
const PERIODIC_MS = 5_000;

/** Operations that never change state (their answers need no commit). */
const READ_ONLY = /^(Get|List|Describe|Head|Discover|Filter|Lookup|Search|Test|Simulate|Select|Batch(Get|Check)|Query|Poll|Download|Estimate|Preview|Validate)/;
export const isMutation = (operation: string): boolean => operation !== "" && !READ_ONLY.test(operation);

export class Journal {
  private dirty = new Map<string, Set<string>>();
  /** service -> scope key -> when a request last reached that state (performance.now()). */
  private touchedAt = new Map<string, Map<string, number>>();
  private flushing?: Promise<void>;
  private waiting?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private activity = false;
  private closed = false;
  readonly dir: string;

  constructor(
    private readonly sim: Simulator,
    readonly fsync: FsyncMode = "batch",
  ) {
    this.dir = join(sim.config.dataDir!, "state");
    mkdirSync(this.dir, { recursive: true });
  }

  start(): void {
    this.timer = setInterval(() => {
      if (!this.activity) return;
      this.activity = false;
      void this.saveAll().catch(() => undefined);
    }, PERIODIC_MS);
    this.timer.unref();
  }

  touch(service: string, key: string): void {
    if (this.closed) return;
    let s = this.dirty.get(service);
    if (!s) this.dirty.set(service, (s = new Set()));
    s.add(key);
    let t = this.touchedAt.get(service);
    if (!t) this.touchedAt.set(service, (t = new Map()));
    t.set(key, performance.now());
    this.activity = true;
  }

  /** A service's state was dropped (reset, restore): its files go too. */
  dropped(service: string): void {
    if (this.closed) return;
    this.dirty.delete(service);
    this.touchedAt.delete(service);
    rmSync(join(this.dir, service), { recursive: true, force: true });
  }

  /** The dispatcher's hook: a successful mutating request waits for its state to be on disk. */
  afterRequest(operation: string, status: number, since: number): Promise<void> | undefined {
    return status < 400 && isMutation(operation) ? this.commit(since) : undefined;
  }

  /**
   * Resolves once every scope a request that started at `since` (performance.now()) touched is on disk in
   * its state after the request. Such scopes are marked dirty again here, after the handler finished, so a
   * write that ran while the handler was still working cannot leave them out.
   */
  commit(since: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    for (const [svc, keys] of this.touchedAt) {
      for (const [key, at] of keys) {
        if (at < since) continue;
        let s = this.dirty.get(svc);
        if (!s) this.dirty.set(svc, (s = new Set()));
        s.add(key);
      }
    }
    // A write in progress may have taken its dirty set before this request touched anything: wait for the next one.
    if (this.waiting) return this.waiting;
    const after = this.flushing ?? Promise.resolve();
    this.waiting = after.then(async () => {
      if (this.fsync === "batch") await new Promise((r) => setTimeout(r, BATCH_MS));
      this.waiting = undefined;
      const p = this.writeDirty();
      this.flushing = p;
      try {
        await p;
      } finally {
        if (this.flushing === p) this.flushing = undefined;
      }
    });
    return this.waiting;
  }

  private async writeDirty(): Promise<void> {
    const dirty = this.dirty;
    this.dirty = new Map();
    const dirs = new Set<string>();
    for (const [svc, keys] of dirty) {
      const scopes = this.sim.scopesOf(svc);
      for (const key of keys) {
        const st = scopes?.get(key);
        if (st !== undefined) dirs.add(this.writeScope(svc, key, st));
      }
    }
    if (this.fsync !== "never") for (const d of dirs) fsyncDir(d);
  }

  /** Write every scope of every service (periodic save, graceful stop, after a restore). */
  async saveAll(): Promise<void> {
    if (this.closed) return;
    await this.flushing;
    for (const svc of this.sim.servicesWithState()) for (const key of this.sim.scopesOf(svc)?.keys() ?? []) this.touch(svc, key);
    const p = this.writeDirty();
    this.flushing = p;
    await p;
    if (this.flushing === p) this.flushing = undefined;
  }

  private writeScope(svc: string, key: string, st: unknown): string {
    const copy = deepClone(st, {
      refs: serverRefs(this.sim, true),
      onObject: (o) => (isFileBlob(o) ? { kind: "file", path: o.path, refs: 0, dead: false, __awsimSize: blobSize(o as never) } : PASS),
    }) as Record<string, unknown>;
    for (const f of RUNTIME_FIELDS[svc] ?? []) delete copy[f];
    const bytes = serialize({ format: FORMAT, version: FORMAT_VERSION, service: svc, key, state: copy });
    const dir = join(this.dir, svc);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${key.replace(/[^A-Za-z0-9-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`)}.v8`);
    const tmp = `${file}.tmp`;
    const fd = openSync(tmp, "w");
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off);
      if (this.fsync !== "never") fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    return dir;
  }

  /** Load every persisted scope. Throws a one-line message for files of another format version. */
  async load(): Promise<number> {
    if (!existsSync(this.dir)) return 0;
    let n = 0;
    for (const svc of readdirSync(this.dir)) {
      const desc = serviceByName(svc);
      if (!desc) continue;
      const def = await this.sim.load(desc);
      const built = new Map<string, unknown>();
      for (const f of readdirSync(join(this.dir, svc))) {
        const path = join(this.dir, svc, f);
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
        if (data.version !== FORMAT_VERSION)
          throw new Error(`${path} was written in state format version ${data.version}; this awsim reads version ${FORMAT_VERSION} only`);
        built.set(data.key, materialize(this.sim, def, data.key, data.state, { keepFiles: true }));
        n++;
      }
      const j = this.sim.journal;
      this.sim.journal = undefined; // replacing loaded state must not delete the files it came from
      await this.sim.replaceStates(svc, built);
      this.sim.journal = j;
      if (svc === "ecs") await reviveEcs(this.sim);
    }
    return n;
  }

  /** Final save and detach (graceful stop). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.waiting;
    await this.saveAll();
    this.closed = true;
    if (this.sim.journal === this) this.sim.journal = undefined;
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
