/**
 * Named snapshots of the simulator's state: every service, account and region (or one service's), saved
 * in memory, and under <dataDir>/snapshots/<name>/ when a data directory is configured.
 *
 * A snapshot is a deep copy (see clone.ts) of each service's per-scope state. Files behind state are kept
 * without reading them into memory: S3 object bodies stored in files are hard-linked into the snapshot's
 * blobs/ directory (copied, with copy-on-write where the file system offers it, when a link is not
 * possible), and again into the restored state's data directory on restore, so later deletes on either
 * side never touch the other. ECR's content store is linked the same way; EFS file-system directories are
 * copied (their files are written in place). Restoring replaces the current state of the services the
 * snapshot holds; their old state is disposed as reset does (processes of execute mode are stopped).
 *
 * On disk: <name>/meta.json (listing) and <name>/state.v8 (v8.serialize of {format, version, meta,
 * states}); written to a temp directory and renamed into place, so a crash leaves the old snapshot or
 * the new one, never a mix.
 */
import {
  constants,
  copyFileSync,
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import type { Simulator } from "../services/core/simulator.js";
import type { ServiceDefinition } from "../services/core/types.js";
import { SERVICES, serviceByName } from "../services/index.js";
import { blobSize, dataDir as s3DataDir, setBlobSize } from "../services/s3/blobs.js";
import type { S3State } from "../services/s3/state.js";
import { reviveEcs } from "./revive.js";
import { DROPPED, deepClone, isSimMarker, PASS, reviveInPlace, SIM_MARKER_KEY } from "./clone.js";

export const FORMAT = "awsim-snapshot";
export { RUNTIME_FIELDS_PUBLIC as RUNTIME_FIELDS };
/** Bumped whenever the stored shape changes; older files are refused with a one-line message. */
export const FORMAT_VERSION = 1;

export interface SnapshotMeta {
  name: string;
  services: string[];
  created: string;
  /** Bytes: the serialized state plus the files kept with it (0 until written, for memory-only snapshots it estimates). */
  size: number;
  /** Where it lives: "memory" or "disk". */
  storage: "memory" | "disk";
  /** True for a whole-server snapshot (restore then empties services it did not hold). */
  all: boolean;
}

interface Snapshot {
  meta: SnapshotMeta;
  /** service -> scope key -> copied state */
  states: Map<string, Map<string, unknown>>;
  /** Directory holding files the snapshot keeps (links to S3 bodies, ECR/EFS trees). */
  dir: string;
}

/** Per-service fields that belong to the running server, never to a snapshot (kept from the fresh state). */
const RUNTIME_FIELDS: Record<string, string[]> = {
  s3: ["dataDir", "ownsDataDir", "timer", "fileSeq"],
  ecr: ["blobDir", "ownsBlobDir"],
  efs: ["root", "ownsRoot"],
  lambda: ["instances", "disposed"],
  logs: ["liveTails"],
};
/** Directories a state owns whose contents are part of the state: [field, owns-field, how to keep them]. */
const RUNTIME_FIELDS_PUBLIC = RUNTIME_FIELDS;
const DIR_FIELDS: Record<string, [string, string, "link" | "copy"]> = {
  ecr: ["blobDir", "ownsBlobDir", "link"],
  efs: ["root", "ownsRoot", "copy"],
};

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export class SnapshotError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export const isFileBlob = (o: Record<string, unknown>) =>
  o.kind === "file" && typeof o.path === "string" && typeof o.refs === "number" && typeof o.dead === "boolean";

function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to, constants.COPYFILE_FICLONE);
  }
}

function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    const a = join(from, e.name);
    const b = join(to, e.name);
    if (e.isDirectory()) linkTree(a, b);
    else if (e.isFile()) linkOrCopy(a, b);
  }
}

function dirSize(dir: string): number {
  let n = 0;
  if (!existsSync(dir)) return 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n += dirSize(p);
    else if (e.isFile()) n += statSync(p).size;
  }
  return n;
}

export class SnapshotStore {
  private readonly mem = new Map<string, Snapshot>();
  private tmpRoot?: string;
  private seq = 0;

  constructor(private readonly sim: Simulator) {
    sim.onShutdown(() => this.dispose());
  }

  /** <dataDir>/snapshots, or undefined when snapshots live in memory only. */
  get diskRoot(): string | undefined {
    return this.sim.config.dataDir ? join(this.sim.config.dataDir, "snapshots") : undefined;
  }

  private scratch(): string {
    if (!this.tmpRoot) this.tmpRoot = mkdtempSync(join(tmpdir(), "awsim-snapshots-"));
    return this.tmpRoot;
  }

  private dispose(): void {
    for (const s of this.mem.values()) if (this.tmpRoot && s.dir.startsWith(this.tmpRoot)) rmSync(s.dir, { recursive: true, force: true });
    this.mem.clear();
    if (this.tmpRoot) rmSync(this.tmpRoot, { recursive: true, force: true });
    this.tmpRoot = undefined;
  }

  static checkName(name: string | undefined): string {
    if (!name || !NAME_RE.test(name))
      throw new SnapshotError(
        `snapshot name must be 1-128 characters of letters, digits, '.', '_' and '-' (not starting with '.', '_' or '-'), got "${name ?? ""}"`,
        400,
      );
    return name;
  }

  /** Save the state of every service (or one) under `name`, replacing a snapshot of that name. */
  async save(name: string, opts: { service?: string } = {}): Promise<SnapshotMeta> {
    SnapshotStore.checkName(name);
    if (opts.service && !serviceByName(opts.service)) throw new SnapshotError(`unknown service ${opts.service}`, 400);
    const services = opts.service ? [opts.service] : this.sim.servicesWithState();
    const diskRoot = this.diskRoot;
    const dir = diskRoot ? join(diskRoot, `.tmp-${name}-${process.pid}-${++this.seq}`) : join(this.scratch(), `${name}-${++this.seq}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, "blobs"), { recursive: true });
    const states = new Map<string, Map<string, unknown>>();
    let files = 0;
    let fileBytes = 0;
    for (const svc of services) {
      const scopes = this.sim.scopesOf(svc);
      if (!scopes) continue;
      const out = new Map<string, unknown>();
      let n = 0;
      for (const [key, st] of scopes) {
        const sub = `${svc}-${n++}`;
        const copy = deepClone(st, {
          refs: serverRefs(this.sim, true),
          onObject: (o) => {
            if (!isFileBlob(o)) return PASS;
            const to = join(dir, "blobs", `b${++files}`);
            linkOrCopy(o.path as string, to);
            const size = blobSize(o as never);
            fileBytes += size;
            return { kind: "file", path: to, refs: 0, dead: false, __awsimSize: size };
          },
        }) as Record<string, unknown>;
        for (const f of RUNTIME_FIELDS[svc] ?? []) delete copy[f];
        const df = DIR_FIELDS[svc];
        const src = df && ((st as Record<string, unknown>)[df[0]] as string | undefined);
        if (df && src && existsSync(src)) {
          const to = join(dir, "dirs", sub);
          if (df[2] === "link") linkTree(src, to);
          else cpSync(src, to, { recursive: true });
          copy.__awsimDir = to;
          fileBytes += dirSize(to);
        }
        out.set(key, copy);
      }
      states.set(svc, out);
    }
    const meta: SnapshotMeta = {
      name,
      services: [...states.keys()],
      created: new Date().toISOString(),
      size: fileBytes,
      storage: diskRoot ? "disk" : "memory",
      all: !opts.service,
    };
    if (diskRoot) {
      this.rel(states, dir, name);
      const bytes = serialize({ format: FORMAT, version: FORMAT_VERSION, meta, states });
      meta.size += bytes.length;
      writeFileSync(join(dir, "state.v8"), bytes);
      writeFileSync(join(dir, "meta.json"), `${JSON.stringify(meta)}\n`);
      const final = join(diskRoot, name);
      const trash = join(diskRoot, `.trash-${name}-${process.pid}-${++this.seq}`);
      if (existsSync(final)) renameSync(final, trash);
      renameSync(dir, final);
      rmSync(trash, { recursive: true, force: true });
      this.mem.set(name, { meta, states, dir: final });
    } else {
      const old = this.mem.get(name);
      if (old) rmSync(old.dir, { recursive: true, force: true });
      this.mem.set(name, { meta, states, dir });
    }
    return meta;
  }

  /** Paths inside a snapshot are stored relative to its directory (the directory is renamed into place). */
  private rel(states: Map<string, Map<string, unknown>>, from: string, name: string): void {
    const to = join(this.diskRoot!, name);
    const fix = (p: string) => (p.startsWith(from) ? to + p.slice(from.length) : p);
    walkFiles(states, (o) => {
      o.path = fix(o.path as string);
    });
    for (const scopes of states.values())
      for (const st of scopes.values()) {
        const r = st as Record<string, unknown>;
        if (typeof r.__awsimDir === "string") r.__awsimDir = fix(r.__awsimDir);
      }
  }

  private read(name: string): Snapshot | undefined {
    const hit = this.mem.get(name);
    if (hit) return hit;
    const root = this.diskRoot;
    if (!root) return undefined;
    const dir = join(root, name);
    const file = join(dir, "state.v8");
    if (!existsSync(file)) return undefined;
    let data: { format?: string; version?: number; meta?: SnapshotMeta; states?: Map<string, Map<string, unknown>> };
    try {
      data = deserialize(readFileSync(file));
    } catch {
      throw new SnapshotError(`snapshot "${name}" at ${dir} is not an awsim snapshot (unreadable)`, 422);
    }
    if (data?.format !== FORMAT || !(data.states instanceof Map) || !data.meta)
      throw new SnapshotError(`snapshot "${name}" at ${dir} is not an awsim snapshot`, 422);
    if (data.version !== FORMAT_VERSION)
      throw new SnapshotError(`snapshot "${name}" was written in format version ${data.version}; this awsim reads version ${FORMAT_VERSION} only`, 422);
    const snap = { meta: data.meta, states: data.states, dir };
    this.mem.set(name, snap);
    return snap;
  }

  /** Replace the current state of the services in snapshot `name` with its copy. */
  async restore(name: string): Promise<SnapshotMeta> {
    SnapshotStore.checkName(name);
    const snap = this.read(name);
    if (!snap) throw new SnapshotError(`no snapshot named "${name}"`, 404);
    if (snap.meta.all) await this.sim.runner.stopAll();
    // Services that held no state when a whole-server snapshot was taken are emptied too.
    const targets = snap.meta.all ? SERVICES.map((s) => s.name) : snap.meta.services;
    for (const svc of targets) {
      const scopes = snap.states.get(svc);
      if (!scopes) {
        await this.sim.replaceStates(svc, new Map());
        continue;
      }
      const desc = serviceByName(svc);
      if (!desc) continue;
      const def = await this.sim.load(desc);
      const built = new Map<string, unknown>();
      for (const [key, saved] of scopes) built.set(key, materialize(this.sim, def, key, saved as Record<string, unknown>));
      await this.sim.replaceStates(svc, built);
    }
    if (snap.states.has("ecs")) await reviveEcs(this.sim);
    await this.sim.journal?.saveAll();
    return snap.meta;
  }

  list(): SnapshotMeta[] {
    const out = new Map<string, SnapshotMeta>();
    for (const s of this.mem.values()) out.set(s.meta.name, s.meta);
    const root = this.diskRoot;
    if (root && existsSync(root)) {
      for (const e of readdirSync(root, { withFileTypes: true })) {
        if (!e.isDirectory() || e.name.startsWith(".") || e.name.startsWith("_") || out.has(e.name)) continue;
        try {
          out.set(e.name, JSON.parse(readFileSync(join(root, e.name, "meta.json"), "utf8")) as SnapshotMeta);
        } catch {
          /* not a snapshot */
        }
      }
    }
    return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  has(name: string): boolean {
    return this.mem.has(name) || (!!this.diskRoot && existsSync(join(this.diskRoot, name, "state.v8")));
  }

  delete(name: string): boolean {
    SnapshotStore.checkName(name);
    const hit = this.mem.get(name);
    let found = false;
    if (hit) {
      rmSync(hit.dir, { recursive: true, force: true });
      this.mem.delete(name);
      found = true;
    }
    const root = this.diskRoot;
    if (root && existsSync(join(root, name))) {
      rmSync(join(root, name), { recursive: true, force: true });
      found = true;
    }
    return found;
  }
}

export function walkFiles(states: Map<string, Map<string, unknown>>, fn: (o: Record<string, unknown>) => void): void {
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== "object" || seen.has(v) || isSimMarker(v)) return;
    seen.add(v);
    if (Buffer.isBuffer(v) || ArrayBuffer.isView(v) || v instanceof Date) return;
    if (v instanceof Map) {
      for (const x of Map.prototype.values.call(v)) visit(x);
      return;
    }
    if (v instanceof Set || Array.isArray(v)) {
      for (const x of v) visit(x);
      return;
    }
    const o = v as Record<string, unknown>;
    if (isFileBlob(o)) return fn(o);
    for (const k of Object.keys(o)) visit(o[k]);
  };
  visit(states);
}

let fileSeq = 0;

/** A live state for scope `key` of a service from a saved copy: fresh runtime fields, saved data, files linked in (or kept where they are). */
export function materialize(
  sim: Simulator,
  def: ServiceDefinition,
  key: string,
  saved: Record<string, unknown>,
  opts: { keepFiles?: boolean; inPlace?: boolean } = {},
): unknown {
  const [acct, region] = key === "*" ? [sim.config.defaultAccountId, sim.config.defaultRegion] : key.split("/");
  const fresh = def.createState({ accountId: acct!, region: region ?? sim.config.defaultRegion, sim: sim }) as Record<string, unknown>;
  const serverValue = (m: Record<string, unknown>) => {
    const what = m[SIM_MARKER_KEY];
    return what === "config" ? sim.config : what === "runner" ? sim.runner : sim;
  };
  let target: string | undefined;
  // --persist at start (keepFiles + inPlace): the saved value was just read and is nobody else's, so it is revived in place.
  if (opts.keepFiles && opts.inPlace) {
    reviveInPlace(saved, (o) => {
      if (o[SIM_MARKER_KEY] !== undefined) return serverValue(o);
      if (!isFileBlob(o)) return PASS;
      const blob = { kind: "file", path: o.path, refs: 0, dead: false };
      setBlobSize(blob as never, (o.__awsimSize as number) ?? 0);
      return blob;
    });
  }
  const copy = (
    opts.keepFiles && opts.inPlace
      ? saved
      : deepClone(saved, {
          refs: new Map(),
          marker: serverValue,
          onObject: (o) => {
            if (!isFileBlob(o)) return PASS;
            if (opts.keepFiles) {
              const blob = { kind: "file", path: o.path, refs: 0, dead: false };
              setBlobSize(blob as never, (o.__awsimSize as number) ?? 0);
              return blob;
            }
            target ??= s3DataDir(fresh as unknown as S3State);
            const to = join(target, `obj-restored-${process.pid}-${++fileSeq}-${Math.random().toString(36).slice(2, 8)}`);
            linkOrCopy(o.path as string, to);
            const blob = { kind: "file", path: to, refs: 0, dead: false };
            setBlobSize(blob as never, (o.__awsimSize as number) ?? 0);
            return blob;
          },
        })
  ) as Record<string, unknown>;
  const keep = new Set(RUNTIME_FIELDS[def.name] ?? []);
  for (const k of Object.keys(fresh)) {
    if (keep.has(k) || k in copy) continue;
    const v = fresh[k];
    if (!(typeof v === "function" || (typeof v === "object" && v !== null && deepClone(v, { refs: new Map() }) === DROPPED))) delete fresh[k];
  }
  const dirFrom = copy.__awsimDir as string | undefined;
  delete copy.__awsimDir;
  for (const [k, v] of Object.entries(copy)) if (!keep.has(k)) fresh[k] = v;
  const df = DIR_FIELDS[def.name];
  if (df && dirFrom && existsSync(dirFrom)) {
    const to = mkdtempSync(join(tmpdir(), `awsim-${def.name}-`));
    if (df[2] === "link") linkTree(dirFrom, to);
    else cpSync(dirFrom, to, { recursive: true });
    fresh[df[0]] = to;
    fresh[df[1]] = true;
  }
  return fresh;
}

/** The server's own objects: never copied; markers in a saved copy. */
export function serverRefs(sim: Simulator, saving: boolean): Map<object, unknown> {
  const refs = new Map<object, unknown>();
  refs.set(sim, saving ? { [SIM_MARKER_KEY]: "sim" } : sim);
  refs.set(sim.config, saving ? { [SIM_MARKER_KEY]: "config" } : sim.config);
  refs.set(sim.runner as object, saving ? { [SIM_MARKER_KEY]: "runner" } : sim.runner);
  return refs;
}
