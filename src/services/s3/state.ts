/** S3 state: buckets are global (names unique across accounts), each recording its owner and region. */
import type { ChecksumAlgorithm } from "./checksums.js";

export type Blob =
  | { kind: "mem"; data: Buffer }
  | { kind: "file"; path: string; refs: number; dead: boolean }
  /** A completed multipart object: its parts, read in sequence (no copy at completion). */
  | { kind: "multi"; parts: Array<{ blob: Blob; size: number }> };

export interface Checksum {
  algorithm: ChecksumAlgorithm;
  value: string;
  type: "FULL_OBJECT" | "COMPOSITE";
}

export interface PartInfo {
  partNumber: number;
  size: number;
  etag: string;
  checksum?: string;
}

export interface ObjectVersion {
  key: string;
  versionId: string;
  isDeleteMarker: boolean;
  etag: string;
  size: number;
  lastModified: Date;
  blob?: Blob;
  contentType?: string;
  /** Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires, Website redirect. */
  headers: Record<string, string>;
  metadata: Record<string, string>;
  tags: Array<{ Key: string; Value: string }>;
  storageClass: string;
  checksum?: Checksum;
  parts?: PartInfo[];
  acl?: string;
  retention?: { Mode: string; RetainUntilDate: string };
  legalHold?: string;
  owner: string;
}

export interface KeyEntry {
  /** Newest first. */
  versions: ObjectVersion[];
}

export interface Upload {
  uploadId: string;
  key: string;
  initiated: Date;
  contentType?: string;
  headers: Record<string, string>;
  metadata: Record<string, string>;
  tags: Array<{ Key: string; Value: string }>;
  storageClass: string;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: "FULL_OBJECT" | "COMPOSITE";
  parts: Map<number, { info: PartInfo; blob: Blob; crc?: bigint; lastModified: Date }>;
  acl?: string;
  owner: string;
}

export interface Bucket {
  name: string;
  owner: string;
  region: string;
  created: Date;
  versioning?: "Enabled" | "Suspended";
  /** Sorted key list for listings; entries in `objects`. */
  keys: string[];
  objects: Map<string, KeyEntry>;
  uploads: Map<string, Upload>;
  /** Stored configuration documents by sub-resource (cors, policy, lifecycle, ...), as XML or JSON text. */
  configs: Map<string, string>;
  tags?: Array<{ Key: string; Value: string }>;
  acl?: string;
  objectLockEnabled: boolean;
}

export interface S3State {
  buckets: Map<string, Bucket>;
  dataDir?: string;
  ownsDataDir: boolean;
  fileSeq: number;
  /** Memoized CRC combination operators. */
  crcOps: Map<string, bigint[]>;
}

/** Bodies up to this size stay in memory; larger ones go to files in the data directory. */
export const MEMORY_THRESHOLD = 256 * 1024;

export function createS3State(dataDir?: string): S3State {
  return { buckets: new Map(), dataDir, ownsDataDir: false, fileSeq: 0, crcOps: new Map() };
}

export function insertKey(b: Bucket, key: string): void {
  const keys = b.keys;
  if (keys.length === 0 || keys[keys.length - 1]! < key) {
    keys.push(key);
    return;
  }
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  if (keys[lo] !== key) keys.splice(lo, 0, key);
}

export function removeKey(b: Bucket, key: string): void {
  let lo = 0;
  let hi = b.keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (b.keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  if (b.keys[lo] === key) b.keys.splice(lo, 1);
}

/** First index in the sorted key list whose key is > after (or >= from when inclusive). */
export function keyIndex(b: Bucket, after: string, inclusive = false): number {
  let lo = 0;
  let hi = b.keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = b.keys[mid]!;
    if (inclusive ? k < after : k <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
