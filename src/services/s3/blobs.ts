/**
 * Object bodies: small ones in memory, larger ones in files under the data directory (a temp dir by
 * default, removed on stop). File names are generated, never derived from keys. A file is deleted when
 * its object goes away and no reader still streams it.
 */
import { close, createWriteStream, mkdirSync, mkdtempSync, open, read, rmSync, unlink, type WriteStream } from "node:fs";
import type { ServerResponse } from "node:http";
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

/**
 * A readable over [start, end] (inclusive) of a blob: an in-memory blob's bytes, else a BlobRange over the files
 * (and in-memory parts) that hold them; the files stay alive while read.
 */
export function readBlob(blob: Blob, start: number, end: number): Readable | Buffer {
  if (blob.kind === "mem") return blob.data.subarray(start, end + 1);
  const segments: Segment[] = [];
  const held: Array<Extract<Blob, { kind: "file" }>> = [];
  collect(blob, start, end, segments, held);
  for (const f of held) f.refs++;
  let released = false;
  return new BlobRange(segments, () => {
    if (released) return;
    released = true;
    for (const f of held) {
      f.refs--;
      if (f.dead && f.refs === 0) unlink(f.path, () => undefined);
    }
  });
}

/** A run of bytes to send: [start, end] of a file, or bytes in memory. */
type Segment = { path: string; start: number; end: number } | { data: Buffer };

/** The segments holding [start, end] of a blob (a multi-part blob's parts in order), and the file blobs among them. */
function collect(blob: Blob, start: number, end: number, out: Segment[], held: Array<Extract<Blob, { kind: "file" }>>): void {
  if (end < start) return;
  if (blob.kind === "mem") {
    out.push({ data: blob.data.subarray(start, end + 1) });
    return;
  }
  if (blob.kind === "file") {
    out.push({ path: blob.path, start, end });
    held.push(blob);
    return;
  }
  let offset = 0;
  for (const p of blob.parts) {
    const pStart = offset;
    const pEnd = offset + p.size - 1;
    offset += p.size;
    if (pEnd < start || pStart > end || p.size === 0) continue;
    collect(p.blob, Math.max(start, pStart) - pStart, Math.min(end, pEnd) - pStart, out, held);
  }
}

/** Bytes a file is read in: large reads cost fewer system calls and callbacks per GiB. */
const CHUNK = 1024 * 1024;

/**
 * The bytes of a blob range, segment after segment: a Readable for any consumer (each file read a new buffer, as
 * fs.ReadStream), and sendTo() for an HTTP answer, which reads files into two buffers and refills each once the
 * socket has taken it (a 1 GiB GET allocates 2 MiB instead of 1,024 buffers for the collector). A segment's file is
 * opened when reached and closed after; `release` is called when the range is destroyed (at its end, on an error, or
 * when the client goes away).
 */
export class BlobRange extends Readable {
  private seg = 0;
  /** Next byte to read in the current file segment. */
  private pos = -1;
  private fd: number | undefined;
  private started = false;
  /** File I/O in flight (open, read): a descriptor is closed only after it returns (it could be reused meanwhile). */
  private io = 0;
  private whenIdle: Array<() => void> = [];

  constructor(
    private readonly segments: Segment[],
    private readonly release: () => void,
  ) {
    super();
  }

  private idle(): void {
    if (--this.io === 0) for (const f of this.whenIdle.splice(0)) f();
  }

  private closeFd(): void {
    const fd = this.fd;
    this.fd = undefined;
    if (fd === undefined) return;
    if (this.io > 0) this.whenIdle.push(() => close(fd, () => undefined));
    else close(fd, () => undefined);
  }

  /**
   * The next piece of the range: bytes in memory, or up to `into`'s length (a new buffer of up to CHUNK bytes when
   * none is given) read from the current file; null at the end.
   */
  private next(into: Buffer | undefined, cb: (err: Error | null, piece: Buffer | null) => void): void {
    this.started = true;
    const s = this.segments[this.seg];
    if (!s) return cb(null, null);
    if ("data" in s) {
      this.seg++;
      return s.data.length ? cb(null, s.data) : this.next(into, cb);
    }
    if (this.pos < 0) this.pos = s.start;
    const n = Math.min(into?.length ?? CHUNK, s.end + 1 - this.pos);
    if (n <= 0) {
      this.closeFd();
      this.seg++;
      this.pos = -1;
      return this.next(into, cb);
    }
    const readFrom = (fd: number) => {
      const b = into ?? Buffer.allocUnsafeSlow(n);
      this.io++;
      read(fd, b, 0, n, this.pos, (err, got) => {
        this.idle();
        if (this.destroyed) return;
        if (err) return cb(err, null);
        if (got === 0) return cb(new Error(`${s.path}: file ended early`), null);
        this.pos += got;
        cb(null, got === b.length ? b : b.subarray(0, got));
      });
    };
    if (this.fd !== undefined) return readFrom(this.fd);
    this.io++;
    open(s.path, "r", (err, fd) => {
      this.idle();
      if (this.destroyed) {
        if (!err) close(fd, () => undefined);
        return;
      }
      if (err) return cb(err, null);
      this.fd = fd;
      readFrom(fd);
    });
  }

  override _read(): void {
    this.next(undefined, (err, piece) => {
      if (err) return void this.destroy(err);
      this.push(piece);
    });
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.closeFd();
    this.release();
    cb(err);
  }

  /** Whether sendTo() may take the range (nobody has read from it yet). */
  get untouched(): boolean {
    return !this.started && this.readableFlowing === null && this.readableLength === 0 && !this.destroyed;
  }

  /**
   * Write the range to an answer whose head is written, then end it. `done` gets an error when a file could not be
   * read (the answer is then cut short, as a failed stream cuts it) or the client went away first.
   */
  sendTo(res: ServerResponse, done: (err?: Error) => void): void {
    const longest = Math.max(0, ...this.segments.map((s) => ("data" in s ? 0 : s.end + 1 - s.start)));
    const size = Math.min(CHUNK, longest);
    const free = size > 0 ? [Buffer.allocUnsafeSlow(size), Buffer.allocUnsafeSlow(size)] : [];
    const buffers = free.length;
    let reading = false;
    let finished = false;
    let ended = false;
    const finish = (err?: Error) => {
      if (finished) return;
      finished = true;
      res.off("close", onClose);
      this.destroy();
      done(err);
    };
    const onClose = () => {
      if (!res.writableFinished) finish(Object.assign(new Error("Premature close"), { code: "ERR_STREAM_PREMATURE_CLOSE" }));
    };
    res.on("close", onClose);
    const step = (): void => {
      // A loop, not recursion, for pieces that come at once (bytes in memory: thousands of small parts).
      for (;;) {
        if (finished || reading) return;
        if (ended) {
          // Everything read: end once the last file buffers are out.
          if (free.length === buffers) res.end(() => finish());
          return;
        }
        const s = this.segments[this.seg];
        // Bytes in memory need no buffer; a file needs a free one.
        const file = s !== undefined && !("data" in s);
        const b = file ? free.pop() : undefined;
        if (file && !b) return;
        let sync = true;
        let again = false;
        reading = true;
        this.next(b, (err, piece) => {
          reading = false;
          if (finished) return;
          if (err) {
            res.destroy(err);
            return finish(err);
          }
          if (piece === null) {
            if (b) free.push(b);
            ended = true;
          } else {
            // A piece read into a pooled buffer goes back to the pool once the socket has taken it.
            const mine = b !== undefined && piece.buffer === b.buffer;
            if (b && !mine) free.push(b);
            res.write(piece, () => {
              if (mine) free.push(b);
              step();
            });
          }
          if (sync) again = true;
          else step();
        });
        sync = false;
        if (!again) return;
      }
    };
    step();
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
