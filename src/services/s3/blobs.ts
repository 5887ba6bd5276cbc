/**
 * Object bodies: small ones in memory, larger ones in files under the data directory (a temp dir by
 * default, removed on stop). File names are generated, never derived from keys. A file is deleted when
 * its object goes away and no reader still streams it.
 */
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, unlink, type WriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { Blob, S3State } from "./state.js";

export function dataDir(st: S3State): string {
  if (!st.dataDir) {
    st.dataDir = mkdtempSync(join(tmpdir(), "awsim-s3-"));
    st.ownsDataDir = true;
  } else mkdirSync(st.dataDir, { recursive: true });
  return st.dataDir;
}

export function newFile(st: S3State): { path: string; stream: WriteStream } {
  const path = join(dataDir(st), `obj-${process.pid}-${++st.fileSeq}-${Math.random().toString(36).slice(2, 10)}`);
  // A deep write queue: with the default 16 KiB the socket is paused after every chunk until the disk write returns.
  return { path, stream: createWriteStream(path, { highWaterMark: 1024 * 1024 }) };
}

export function discard(blob: Blob | undefined): void {
  if (!blob) return;
  if (blob.kind === "multi") return blob.parts.forEach((p) => discard(p.blob));
  if (blob.kind !== "file") return;
  blob.dead = true;
  if (blob.refs === 0) unlink(blob.path, () => undefined);
}

export function removeDataDir(st: S3State): void {
  if (st.ownsDataDir && st.dataDir) rmSync(st.dataDir, { recursive: true, force: true });
}

/** A readable over [start, end] (inclusive) of a blob; file blobs stay alive while read. */
export function readBlob(blob: Blob, start: number, end: number): Readable | Buffer {
  if (blob.kind === "mem") return blob.data.subarray(start, end + 1);
  if (blob.kind === "multi") return Readable.from(readParts(blob.parts, start, end));
  if (end < start) return Buffer.alloc(0);
  blob.refs++;
  const s = createReadStream(blob.path, { start, end, highWaterMark: 1024 * 1024 });
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    blob.refs--;
    if (blob.dead && blob.refs === 0) unlink(blob.path, () => undefined);
  };
  s.once("close", release);
  s.once("error", release);
  return s;
}

async function* readParts(parts: Array<{ blob: Blob; size: number }>, start: number, end: number): AsyncGenerator<Buffer> {
  let offset = 0;
  for (const p of parts) {
    const pStart = offset;
    const pEnd = offset + p.size - 1;
    offset += p.size;
    if (pEnd < start || pStart > end || p.size === 0) continue;
    const src = readBlob(p.blob, Math.max(start, pStart) - pStart, Math.min(end, pEnd) - pStart);
    if (Buffer.isBuffer(src)) yield src;
    else for await (const c of src) yield c as Buffer;
  }
}

/** Concatenate blobs (multipart completion, copy) into one new blob. */
export async function concatBlobs(st: S3State, parts: Array<{ blob: Blob; start?: number; end?: number }>, total: number): Promise<Blob> {
  if (total <= 256 * 1024) {
    const bufs: Buffer[] = [];
    for (const p of parts) bufs.push(await toBuffer(p.blob, p.start, p.end));
    return { kind: "mem", data: Buffer.concat(bufs) };
  }
  const { path, stream } = newFile(st);
  try {
    for (const p of parts) {
      const src = readBlob(p.blob, p.start ?? 0, p.end ?? blobSize(p.blob) - 1);
      if (Buffer.isBuffer(src)) {
        if (!stream.write(src)) await new Promise((r) => stream.once("drain", r));
      } else {
        for await (const chunk of src) if (!stream.write(chunk)) await new Promise((r) => stream.once("drain", r));
      }
    }
    await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  } catch (e) {
    stream.destroy();
    unlink(path, () => undefined);
    throw e;
  }
  return { kind: "file", path, refs: 0, dead: false };
}

/** Sizes of file blobs (in-memory and multi-part blobs know theirs; a WeakMap entry per PUT would cost every GC). */
const sizes = new WeakMap<Blob, number>();
export function setBlobSize(b: Blob, n: number): void {
  if (b.kind !== "mem" && b.kind !== "multi") sizes.set(b, n);
}
export function blobSize(b: Blob): number {
  if (b.kind === "mem") return b.data.length;
  if (b.kind === "multi") return b.parts.reduce((n, p) => n + p.size, 0);
  return sizes.get(b) ?? 0;
}

export async function toBuffer(blob: Blob, start = 0, end?: number): Promise<Buffer> {
  const e = end ?? blobSize(blob) - 1;
  const src = readBlob(blob, start, e);
  if (Buffer.isBuffer(src)) return src;
  const chunks: Buffer[] = [];
  for await (const c of src) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
