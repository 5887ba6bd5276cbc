/** EFS state per account+region, AWS's errors, lookups, Marker/NextToken pages and the file-system directories. */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, normalize } from "node:path";
import { AwsError } from "../../protocols/aws-error.js";
import type { Ctx, SimHandle } from "../core/types.js";

export type Input = Record<string, any>;
export type Tag = { Key: string; Value: string };

export interface Fs {
  id: string;
  token: string;
  created: Date;
  performanceMode: string;
  throughputMode: string;
  provisioned?: number;
  /** The last throughput mode change or provisioned throughput decrease (one is allowed in 24 hours). */
  throughputChangedAt?: Date;
  encrypted: boolean;
  kmsKeyId?: string;
  az?: string;
  tags: Tag[];
  lifecycle: Array<Record<string, string>>;
  /** Automatic backups: undefined until enabled at creation or set by PutBackupPolicy (DescribeBackupPolicy answers PolicyNotFound). */
  backup?: string;
  policy?: string;
  protection: "ENABLED" | "DISABLED" | "REPLICATING";
  /** The replication this file system is the source or destination of. */
  replication?: Replication;
  /** The last metering: the size found and when (SizeInBytes.Timestamp); a new reading is taken when the size changes. */
  metered?: { at: Date; bytes: number };
}
export interface Mt {
  id: string;
  fsId: string;
  subnetId: string;
  vpcId: string;
  az: string;
  /** None for an IPV6_ONLY mount target. */
  ip?: string;
  ipv6?: string;
  eni: string;
  groups: string[];
}
export interface Ap {
  id: string;
  fsId: string;
  token: string;
  tags: Tag[];
  posixUser?: { Uid: number; Gid: number; SecondaryGids?: number[] };
  rootDirectory?: { Path?: string; CreationInfo?: { OwnerUid: number; OwnerGid: number; Permissions: string } };
}
export interface Replication {
  sourceId: string;
  sourceRegion: string;
  sourceAccount: string;
  created: Date;
  dest: { fsId: string; region: string; account: string; roleArn?: string };
  /** When the destination directory last mirrored the source's. */
  lastReplicated?: Date;
}
export interface EfsState {
  accountId: string;
  region: string;
  sim: SimHandle;
  fss: Map<string, Fs>;
  mts: Map<string, Mt>;
  aps: Map<string, Ap>;
  idType: "LONG_ID" | "SHORT_ID";
  /** Directory holding one directory per file system (created on first use). */
  root?: string;
  ownsRoot?: boolean;
}

export const createEfsState = ({ accountId, region, sim }: { accountId: string; region: string; sim: SimHandle }): EfsState => ({
  accountId,
  region,
  sim,
  fss: new Map(),
  mts: new Map(),
  aps: new Map(),
  idType: "LONG_ID",
});

export const st = (ctx: Ctx) => ctx.state<EfsState>();

export const err = (code: string, message: string, status: number, extra: Record<string, string> = {}) =>
  new AwsError(code, message, status, { extra: { ErrorCode: code, ...extra } });
export const E = {
  fsNotFound: (id: string) => err("FileSystemNotFound", `File system '${id}' does not exist.`, 404),
  mtNotFound: (id: string) => err("MountTargetNotFound", `Mount target '${id}' does not exist.`, 404),
  apNotFound: (id: string) => err("AccessPointNotFound", `Access point '${id}' does not exist.`, 404),
  bad: (m: string) => err("BadRequest", m, 400),
  validation: (m: string) => err("ValidationException", m, 400),
  replicationNotFound: (id: string) => err("ReplicationNotFound", `No replication configuration found for file system '${id}'.`, 404),
};

/** Ids follow the account's preference: 17 hex digits (LONG_ID) or 8 (SHORT_ID). */
export const newId = (s: EfsState, prefix: string) =>
  `${prefix}-${randomBytes(9)
    .toString("hex")
    .slice(0, s.idType === "SHORT_ID" ? 8 : 17)}`;
export const fsArn = (s: { region: string; accountId: string }, id: string) => `arn:aws:elasticfilesystem:${s.region}:${s.accountId}:file-system/${id}`;
export const apArn = (s: EfsState, id: string) => `arn:aws:elasticfilesystem:${s.region}:${s.accountId}:access-point/${id}`;

/** A file system id or ARN. */
const idOf = (v: unknown) => {
  const s = String(v ?? "");
  return s.startsWith("arn:") ? (s.split("/").pop() ?? "") : s;
};

export function getFs(s: EfsState, id: unknown): Fs {
  const f = s.fss.get(idOf(id));
  if (!f) throw E.fsNotFound(String(id));
  return f;
}
export function getMt(s: EfsState, id: unknown): Mt {
  const m = s.mts.get(String(id));
  if (!m) throw E.mtNotFound(String(id));
  return m;
}
export function getAp(s: EfsState, id: unknown): Ap {
  const a = s.aps.get(idOf(id));
  if (!a) throw E.apNotFound(String(id));
  return a;
}

/** EFS pages: an opaque marker naming the next item's key; lists sorted by that key (or, unsorted, found by it). */
export function page<T>(items: T[], marker: unknown, max: unknown, defaultMax: number, key: (t: T) => string, sorted = true) {
  let start = 0;
  if (marker !== undefined && marker !== "") {
    const k = Buffer.from(String(marker), "base64url").toString();
    const i = items.findIndex((x) => (sorted ? key(x) >= k : key(x) === k));
    start = i < 0 ? items.length : i;
  }
  const n = Number(max) > 0 ? Number(max) : defaultMax;
  const out = items.slice(start, start + n);
  const next = items[start + n];
  return { items: out, next: next === undefined ? undefined : Buffer.from(key(next)).toString("base64url") };
}

/** Where file-system directories live: <dataDir>/efs/<account>/<region>, or a temp dir made on first use. */
export function efsRoot(s: EfsState): string | undefined {
  if (s.root) return s.root;
  const base = s.sim.config.dataDir;
  return base ? join(base, "efs", s.accountId, s.region) : undefined;
}

/** The directory that is file system `fsId` (and, below it, an access point's root directory), created on demand. */
export function fsDirectory(s: EfsState, fsId: string, subPath = "/"): string {
  if (!s.root) {
    const root = efsRoot(s);
    if (root) s.root = root;
    else {
      s.root = mkdtempSync(join(tmpdir(), "awsim-efs-"));
      s.ownsRoot = true;
    }
  }
  const rel = normalize(`/${subPath}`).replace(/^\/+/, "");
  const dir = join(s.root, fsId, rel);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function removeFsDirectory(s: EfsState, fsId: string): void {
  const root = efsRoot(s);
  if (root) rmSync(join(root, fsId), { recursive: true, force: true });
}

/** A temp root goes with the state; directories under a configured data dir stay, as S3's objects do. */
export function disposeEfs(s: EfsState): void {
  if (s.ownsRoot && s.root) rmSync(s.root, { recursive: true, force: true });
}
