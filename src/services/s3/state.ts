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
  /** SSE-C: the part's AES-256-CTR IV (base64); see ssec.ts. */
  iv?: string;
}

/** How an object (or upload, or bucket default) is encrypted; undefined on an object means SSE-S3 (AES256). */
export interface Sse {
  algorithm: string;
  kmsKeyId?: string;
  /** x-amz-server-side-encryption-context as sent (base64 JSON). */
  context?: string;
  bucketKey?: boolean;
  /** SSE-C: the MD5 (base64) of the customer key the object was written with. */
  customerMd5?: string;
  /** SSE-C: the AES-256-CTR IV (base64) of a single-part body encrypted at rest; see ssec.ts. */
  customerIv?: string;
}

export type Grantee = { type: "CanonicalUser"; id: string } | { type: "Group"; uri: string } | { type: "AmazonCustomerByEmail"; email: string; id: string };

export interface Grant {
  grantee: Grantee;
  permission: "FULL_CONTROL" | "WRITE" | "WRITE_ACP" | "READ" | "READ_ACP";
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
  /** Appends (directory buckets): the sizes and checksums of the parts the object was written in, first the PUT's. */
  appendParts?: Array<{ size: number; checksum?: string }>;
  /** Explicit grants besides the owner's FULL_CONTROL (undefined: private). */
  acl?: Grant[];
  retention?: { Mode: string; RetainUntilDate: string };
  legalHold?: string;
  owner: string;
  sse?: Sse;
  /** RestoreObject of an archived object: ready (readable) from readyAt until expiry. */
  restore?: { readyAt: Date; expiry: Date };
  /** Replication status as HEAD/GET report it (PENDING, COMPLETED, FAILED, REPLICA). */
  replication?: string;
  /** The multipart upload this version completed (a repeated CompleteMultipartUpload answers it again). */
  completedUpload?: { id: string; reportChecksum: boolean };
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
  acl?: Grant[];
  owner: string;
  /** Who started the upload when it was an IAM user (S3 names the user's ARN); absent for the account. */
  initiator?: { ID: string; DisplayName: string };
  sse?: Sse;
  retention?: { Mode: string; RetainUntilDate: string };
  legalHold?: string;
  /** The key was written or deleted after the upload began: a conditional completion is ConditionalRequestConflict. */
  conflict?: boolean;
}

export interface Bucket {
  name: string;
  owner: string;
  region: string;
  /** The legacy "EU" LocationConstraint the bucket was created with (its region is eu-west-1); GetBucketLocation answers it. */
  locationConstraint?: "EU";
  created: Date;
  versioning?: "Enabled" | "Suspended";
  /** MFA Delete as last configured (GetBucketVersioning reports it once it was ever set). */
  mfaDelete?: "Enabled" | "Disabled";
  /** Sorted key list for listings; entries in `objects`. */
  keys: string[];
  objects: Map<string, KeyEntry>;
  uploads: Map<string, Upload>;
  /** Stored configuration documents by sub-resource (cors, policy, lifecycle, ...), as XML or JSON text. */
  configs: Map<string, string>;
  tags?: Array<{ Key: string; Value: string }>;
  acl?: Grant[];
  objectLockEnabled: boolean;
  /** Object Ownership (undefined: no ownership controls, ACLs honoured as before April 2023). */
  ownership?: "BucketOwnerEnforced" | "BucketOwnerPreferred" | "ObjectWriter";
  /** Block Public Access settings (undefined: none configured). */
  pab?: { BlockPublicAcls: boolean; IgnorePublicAcls: boolean; BlockPublicPolicy: boolean; RestrictPublicBuckets: boolean };
  /** Lambda destinations of the notification configuration. */
  notifications?: import("./notify.js").LambdaTarget[];
  /** Request payment: Requester (requests from other accounts must send x-amz-request-payer). */
  requesterPays?: boolean;
  /** Replication configuration: the document as sent and its rules (highest priority first). */
  replication?: { doc: Record<string, unknown>; rules: import("./subresources.js").ReplicationRule[] };
  /** BlockedEncryptionTypes of the encryption configuration: SSE-C writes refused (undefined: never configured). */
  blockSseC?: boolean;
  /** Default encryption from PutBucketEncryption. */
  defaultSse?: Sse;
  /** The default encryption was set by PutBucketEncryption (not AWS's own SSE-S3 default): a copy onto itself is then legal. */
  sseConfigured?: boolean;
  /** Parsed lifecycle rules (the stored document is in configs). */
  lifecycle?: import("./lifecycle.js").LifecycleRule[];
  /** x-amz-transition-default-minimum-object-size the lifecycle configuration was put with (absent: all_storage_classes_128K). */
  lifecycleMinimumSize?: string;
  /** Default retention from the object lock configuration. */
  defaultRetention?: { Mode: string; Days?: number; Years?: number };
  /** Directory buckets (S3 Express One Zone): zone, location type, data redundancy; RenameObject client tokens. */
  directory?: { zone: string; type: string; dataRedundancy: string; renames?: Map<string, { from: string; to: string }> };
  /** Inventory, metrics, analytics and intelligent-tiering configurations by kind, then id (XML text). */
  idConfigs: Map<string, Map<string, string>>;
}

export interface S3State {
  buckets: Map<string, Bucket>;
  dataDir?: string;
  ownsDataDir: boolean;
  fileSeq: number;
  /** Memoized CRC combination operators. */
  crcOps: Map<string, bigint[]>;
  /** S3's clock: real time plus this offset (POST /_awsim/clock/advance moves it forward). */
  clockOffsetMs: number;
  /** Length of a lifecycle/restore "day" in ms (86,400,000 unless AWSIM_S3_DAY_SECONDS says otherwise). */
  dayMs: number;
  /** How many buckets have server access logging enabled (requests pay for logging only while > 0). */
  loggingBuckets: number;
  /** CreateSession credentials of directory buckets, by access key id. */
  sessions: Map<string, import("./directory.js").S3Session>;
  /** Accounts that have called S3: their canonical ids are grantees S3 resolves (optional in older snapshots). */
  accounts?: Set<string>;
  /** The periodic lifecycle sweeper. */
  timer?: ReturnType<typeof setInterval>;
}

/** Bodies up to this size stay in memory; larger ones go to files in the data directory. */
export const MEMORY_THRESHOLD = 256 * 1024;

export function createS3State(dataDir?: string): S3State {
  const day = Number(process.env.AWSIM_S3_DAY_SECONDS);
  return {
    buckets: new Map(),
    dataDir,
    ownsDataDir: false,
    fileSeq: 0,
    crcOps: new Map(),
    clockOffsetMs: 0,
    loggingBuckets: 0,
    sessions: new Map(),
    accounts: new Set(),
    dayMs: Number.isFinite(day) && day > 0 ? day * 1000 : 86_400_000,
  };
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
