/**
 * A fast encoding for the dominant record, one S3 key's versions: JSON for the metadata (V8's JSON is
 * several times faster than v8.serialize both ways) and the in-memory bodies appended raw.
 *
 *   0x01 | u32 LE JSON length | JSON {t:"obj", n, k, vs:[version...]} | body bytes...
 *
 * (v8.serialize output starts with 0xFF, so a reader tells the two apart by the first byte.) Only versions
 * whose every field is one S3's ObjectVersion declares, with the types it declares, are encoded so; a
 * record holding anything else returns undefined and is written with v8.serialize instead, so a field
 * added to S3 later is never misread, only written more slowly.
 */
import { blobSize, setBlobSize } from "../services/s3/blobs.js";
import type { Blob, KeyEntry, ObjectVersion } from "../services/s3/state.js";

export const JSON_TAG = 0x01;

/** ObjectVersion's fields: the ones held as JSON as they are, and the dates. */
const PLAIN = new Set([
  "key",
  "versionId",
  "isDeleteMarker",
  "etag",
  "size",
  "contentType",
  "headers",
  "metadata",
  "tags",
  "storageClass",
  "checksum",
  "parts",
  "acl",
  "retention",
  "legalHold",
  "owner",
  "sse",
  "replication",
  "completedUpload",
]);

type EncBlob = { kind: "mem"; len: number } | { kind: "file"; path: string; size: number } | { kind: "multi"; parts: Array<{ blob: EncBlob; size: number }> };

function encBlob(b: Blob, bodies: Buffer[]): EncBlob {
  if (b.kind === "mem") {
    bodies.push(b.data);
    return { kind: "mem", len: b.data.length };
  }
  if (b.kind === "file") return { kind: "file", path: b.path, size: blobSize(b) };
  return { kind: "multi", parts: b.parts.map((p) => ({ blob: encBlob(p.blob, bodies), size: p.size })) };
}

/**
 * A record encoded up to its JSON: `sum` identifies its content (the JSON's SHA-1 and which body buffers),
 * `bytes()` builds it, `parts()` gives the same bytes as pieces (the bodies not copied; see log.ts framePieces).
 */
export interface LazyRecord {
  sum: string;
  bytes(): Buffer;
  parts(): Buffer[];
}

/** The record, or undefined when the entry holds something this encoding does not know. */
export function encodeObjLazy(n: string, k: string, e: KeyEntry, digest: (b: Buffer) => string, bodyId: (b: Buffer) => number): LazyRecord | undefined {
  for (const f in e) if (f !== "versions") return undefined;
  const bodies: Buffer[] = [];
  const vs: Record<string, unknown>[] = [];
  for (const v of e.versions) {
    const o: Record<string, unknown> = {};
    for (const f in v) {
      const x = (v as unknown as Record<string, unknown>)[f];
      if (x === undefined) continue;
      if (PLAIN.has(f)) o[f] = x;
      else if (f === "lastModified") {
        if (!(x instanceof Date)) return undefined;
        o.lastModified = x.getTime();
      } else if (f === "blob") o.blob = encBlob(x as Blob, bodies);
      else if (f === "restore") {
        const r = x as { readyAt: unknown; expiry: unknown };
        if (!(r.readyAt instanceof Date) || !(r.expiry instanceof Date) || Object.keys(r).length !== 2) return undefined;
        o.restore = { readyAt: r.readyAt.getTime(), expiry: r.expiry.getTime() };
      } else return undefined;
    }
    vs.push(o);
  }
  // Tag and length, then the JSON, in one buffer: the record's first piece.
  const str = JSON.stringify({ t: "obj", n, k, vs });
  const jl = Buffer.byteLength(str);
  const first = Buffer.allocUnsafe(5 + jl);
  first[0] = JSON_TAG;
  first.writeUInt32LE(jl, 1);
  first.write(str, 5, "utf8");
  let sum = digest(first.subarray(5));
  for (const b of bodies) sum += `:${bodyId(b)}.${b.length}`;
  return { sum, bytes: () => (bodies.length ? Buffer.concat([first, ...bodies]) : first), parts: () => (bodies.length ? [first, ...bodies] : [first]) };
}

/** The record's bytes, or undefined when the entry holds something this encoding does not know. */
export function encodeObj(n: string, k: string, e: KeyEntry): Buffer | undefined {
  return encodeObjLazy(
    n,
    k,
    e,
    () => "",
    () => 0,
  )?.bytes();
}

/** A record of this encoding read back: live blobs (file sizes set), bodies copied out of `bytes` when `copy`. */
export function decodeObj(bytes: Buffer, copy: boolean): { t: "obj"; n: string; k: string; v: KeyEntry; j: 1 } {
  const jl = bytes.readUInt32LE(1);
  const r = JSON.parse(bytes.toString("utf8", 5, 5 + jl)) as { n: string; k: string; vs: Array<Record<string, unknown>> };
  let off = 5 + jl;
  const blob = (b: EncBlob): Blob => {
    if (b.kind === "mem") {
      const view = bytes.subarray(off, off + b.len);
      off += b.len;
      return { kind: "mem", data: copy ? Buffer.from(view) : view };
    }
    if (b.kind === "file") {
      const f = { kind: "file" as const, path: b.path, refs: 0, dead: false };
      setBlobSize(f, b.size);
      return f;
    }
    return { kind: "multi", parts: b.parts.map((p) => ({ blob: blob(p.blob), size: p.size })) };
  };
  for (const v of r.vs) {
    v.lastModified = new Date(v.lastModified as number);
    if (v.blob) v.blob = blob(v.blob as EncBlob);
    if (v.restore) {
      const x = v.restore as { readyAt: number; expiry: number };
      v.restore = { readyAt: new Date(x.readyAt), expiry: new Date(x.expiry) };
    }
  }
  return { t: "obj", n: r.n, k: r.k, v: { versions: r.vs as unknown as ObjectVersion[] }, j: 1 };
}
