/**
 * MD5 of large uploads on a worker thread. S3's ETag needs the MD5 of every byte; on the event loop it costs
 * about 1.5 s of CPU per GiB and caps an upload at the speed of one core (with the file write beside it).
 * Bodies declared above OFFLOAD_BYTES are hashed here instead, in parallel with receiving and storing them.
 *
 * The bytes are not copied: a chunk the caller owns whole (a socket read, which Node's HTTP parser hands over
 * in an ArrayBuffer of its own) is transferred to the worker, in batches of about BATCH bytes, and transferred
 * back with the acknowledgement, so that it is freed where it was allocated (the worker's heap allocates too
 * little to collect often). Copying each chunk into shared memory instead cost the event loop 0.3–0.5 s per GiB.
 * Other chunks (views into a larger buffer) are copied. Memory is bounded: while more than LIMIT bytes are with
 * the worker, `ready()` returns a promise and the caller pauses its source. One worker serves every upload
 * (created on first use, unref'd: it never keeps the process alive).
 */
import { Worker } from "node:worker_threads";

export const OFFLOAD_BYTES = 8 * 1024 * 1024;
const BATCH = 1024 * 1024;
const LIMIT = 8 * 1024 * 1024;

const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const jobs = new Map();
parentPort.on("message", (m) => {
  if (m.t === "u") {
    let h = jobs.get(m.id);
    if (!h) jobs.set(m.id, (h = createHash("md5")));
    let n = 0;
    for (const b of m.bs) {
      h.update(b);
      n += b.byteLength;
    }
    parentPort.postMessage({ t: "a", n, bs: m.bs }, m.bs.map((b) => b.buffer));
  } else if (m.t === "d") {
    const h = jobs.get(m.id) ?? createHash("md5");
    jobs.delete(m.id);
    parentPort.postMessage({ t: "d", id: m.id, hex: h.digest("hex") });
  } else if (m.t === "x") jobs.delete(m.id);
});
`;

interface Pool {
  worker: Worker;
  /** Bytes sent to the worker and not yet acknowledged. */
  inflight: number;
  /** Jobs waiting for the worker to catch up, in order. */
  waiting: Array<() => void>;
  done: Map<number, { resolve: (hex: string) => void; reject: (e: Error) => void }>;
}

let pool: Pool | undefined;
let seq = 0;

function poolOf(): Pool {
  if (pool) return pool;
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  worker.unref();
  const p: Pool = { worker, inflight: 0, waiting: [], done: new Map() };
  const fail = (err: Error) => {
    if (pool === p) pool = undefined;
    for (const d of p.done.values()) d.reject(err);
    p.done.clear();
    for (const w of p.waiting.splice(0)) w();
  };
  worker.on("message", (m: { t: string; id: number; n?: number; hex?: string }) => {
    if (m.t === "a") {
      p.inflight -= m.n!;
      while (p.inflight <= LIMIT / 2 && p.waiting.length) p.waiting.shift()!();
    } else if (m.t === "d") {
      const d = p.done.get(m.id);
      p.done.delete(m.id);
      d?.resolve(m.hex!);
    }
  });
  worker.on("error", (e: Error) => fail(e));
  worker.on("exit", () => fail(new Error("the MD5 worker stopped")));
  pool = p;
  return p;
}

/** Whether a buffer is the whole of an ArrayBuffer of its own, so that it can be transferred. */
function wholeOf(b: Uint8Array): boolean {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer;
}

/** An MD5 computed on the worker thread (feed with update(); pause the source while ready() gives a promise). */
export class OffloadedMd5 {
  private readonly id = ++seq;
  private readonly p = poolOf();
  private batch: Uint8Array[] = [];
  private batched = 0;
  private abandoned = false;
  private blocked: Promise<void> | undefined;

  /**
   * Hash b next. With `owned`, the caller gives b up (it neither reads nor keeps it afterwards), and a b that is
   * a whole ArrayBuffer moves to the worker without a copy; otherwise its bytes are copied.
   */
  update(b: Uint8Array, owned = false): void {
    if (this.abandoned || b.byteLength === 0) return;
    this.batch.push(owned && wholeOf(b) ? b : new Uint8Array(b));
    this.batched += b.byteLength;
    if (this.batched >= BATCH) this.send();
  }

  private send(): void {
    if (!this.batch.length) return;
    const bs = this.batch;
    this.p.inflight += this.batched;
    this.batch = [];
    this.batched = 0;
    this.p.worker.postMessage(
      { t: "u", id: this.id, bs },
      bs.map((b) => b.buffer as ArrayBuffer),
    );
  }

  /** undefined when the caller may go on; otherwise a promise to await (pausing its source) first. */
  ready(): Promise<void> | undefined {
    if (this.blocked) return this.blocked;
    if (this.p.inflight <= LIMIT) return undefined;
    this.blocked = new Promise<void>((resolve) =>
      this.p.waiting.push(() => {
        this.blocked = undefined;
        resolve();
      }),
    );
    return this.blocked;
  }

  async digest(): Promise<string> {
    this.send();
    return new Promise((resolve, reject) => {
      this.p.done.set(this.id, { resolve, reject });
      this.p.worker.postMessage({ t: "d", id: this.id });
    });
  }

  /** Forget the job (an upload that failed): the worker drops its hash; later updates are ignored. */
  abandon(): void {
    this.abandoned = true;
    this.batch = [];
    this.batched = 0;
    this.p.worker.postMessage({ t: "x", id: this.id });
  }
}
