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

/** A readable over [start, end] (inclusive) of a blob; file blobs stay alive while read. */
export function readBlob(blob: Blob, start: number, end: number): Readable | Buffer {
  if (blob.kind === "mem") return blob.data.subarray(start, end + 1);
  if (blob.kind === "multi") return Readable.from(readParts(blob.parts, start, end));
  if (end < start) return Buffer.alloc(0);
  blob.refs++;
  let released = false;
  return new FileRange(blob.path, start, end, () => {
    if (released) return;
    released = true;
    blob.refs--;
    if (blob.dead && blob.refs === 0) unlink(blob.path, () => undefined);
  });
}

/** Bytes a file blob is read in: large reads cost fewer system calls and callbacks per GiB. */
const CHUNK = 1024 * 1024;

/**
 * A byte range [start, end] of a file: a Readable for any consumer (each read a new buffer, as fs.ReadStream), and
 * sendTo() for an HTTP answer, which reads into two buffers and refills each once the socket has taken it (a 1 GiB
 * GET allocates 2 MiB instead of 1,024 buffers for the collector). The file is opened on first use and closed, and
 * `release` called, when the range is destroyed (at its end, on an error, or when the client goes away).
 */
export class FileRange extends Readable {
  private fd: number | undefined;
  private opening = false;
  private pos: number;
  /** Reads in flight: the file is closed only after they return (its descriptor could be reused meanwhile). */
  private io = 0;
  private closeWhenIdle: (() => void) | undefined;

  constructor(
    private readonly path: string,
    start: number,
    private readonly end: number,
    private readonly release: () => void,
  ) {
    super();
    this.pos = start;
  }

  /** The file descriptor, opened once; an error opening it goes to `fail` (by default: destroy the stream with it). */
  private withFd(then: (fd: number) => void, fail: (err: Error) => void = (err) => void this.destroy(err)): void {
    if (this.fd !== undefined) return then(this.fd);
    this.opening = true;
    open(this.path, "r", (err, fd) => {
      this.opening = false;
      if (this.destroyed) {
        if (!err) close(fd, () => undefined);
        return;
      }
      if (err) return fail(err);
      this.fd = fd;
      then(fd);
    });
  }

  /** fs.read of n bytes at pos into b, counted in io. */
  private readAt(fd: number, b: Buffer, n: number, pos: number, cb: (err: NodeJS.ErrnoException | null, got: number) => void): void {
    this.io++;
    read(fd, b, 0, n, pos, (err, got) => {
      if (--this.io === 0 && this.closeWhenIdle) {
        const shut = this.closeWhenIdle;
        this.closeWhenIdle = undefined;
        shut();
      }
      cb(err, got);
    });
  }

  override _read(): void {
    this.withFd((fd) => {
      const n = Math.min(CHUNK, this.end + 1 - this.pos);
      if (n <= 0) return void this.push(null);
      const b = Buffer.allocUnsafeSlow(n);
      this.readAt(fd, b, n, this.pos, (err, got) => {
        if (this.destroyed) return;
        if (err) return void this.destroy(err);
        if (got === 0) return void this.push(null);
        this.pos += got;
        this.push(got === n ? b : b.subarray(0, got));
      });
    });
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    const fd = this.fd;
    this.fd = undefined;
    this.release();
    if (fd === undefined) return cb(err);
    const shut = () => close(fd, () => cb(err));
    if (this.io > 0) this.closeWhenIdle = shut;
    else shut();
  }

  /** Whether sendTo() may take the range (nobody has read from it yet). */
  get untouched(): boolean {
    return this.readableFlowing === null && this.readableLength === 0 && !this.destroyed && !this.opening && this.fd === undefined;
  }

  /**
   * Write the range to an answer whose head is written, then end it. `done` gets an error when the file could not
   * be read (the answer is then cut short, as a failed stream cuts it) or the client went away first.
   */
  sendTo(res: ServerResponse, done: (err?: Error) => void): void {
    const size = Math.min(CHUNK, this.end + 1 - this.pos);
    const free = [Buffer.allocUnsafeSlow(size), Buffer.allocUnsafeSlow(size)];
    let reading = false;
    let finished = false;
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
      if (finished || reading) return;
      if (this.pos > this.end) {
        // Everything read: end once the last writes are out.
        if (free.length === 2) res.end(() => finish());
        return;
      }
      const b = free.pop();
      if (!b) return;
      reading = true;
      const fail = (err: Error) => {
        res.destroy(err);
        finish(err);
      };
      this.withFd((fd) => {
        this.readAt(fd, b, Math.min(b.length, this.end + 1 - this.pos), this.pos, (err, got) => {
          reading = false;
          if (finished) return;
          if (err || got === 0) return fail(err ?? new Error(`${this.path}: file ended early`));
          this.pos += got;
          res.write(got === b.length ? b : b.subarray(0, got), () => {
            free.push(b);
            step();
          });
          step();
        });
      }, fail);
    };
    step();
  }
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
