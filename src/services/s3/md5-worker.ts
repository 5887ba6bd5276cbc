/**
 * MD5 of large uploads on a worker thread. S3's ETag needs the MD5 of every byte; on the event loop it costs
 * about 1.5 s of CPU per GiB and caps an upload at the speed of one core (with the file write beside it).
 * Bodies declared above OFFLOAD_BYTES are hashed here instead, in parallel with receiving and storing them.
 *
 * Memory is fixed: chunks are copied into SLOTS slots of SLOT bytes in one SharedArrayBuffer (no per-chunk
 * buffers for the worker's garbage collector to keep), a slot goes to the worker when full, and comes back
 * when hashed. While no slot is free, `ready()` returns a promise and the caller pauses its source. One
 * worker serves every upload (created on first use, unref'd: it never keeps the process alive).
 */
import { Worker } from "node:worker_threads";

export const OFFLOAD_BYTES = 8 * 1024 * 1024;
const SLOT = 256 * 1024;
const SLOTS = 16;

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const mem = Buffer.from(workerData.sab);
const jobs = new Map();
parentPort.on("message", (m) => {
  if (m.t === "u") {
    let h = jobs.get(m.id);
    if (!h) jobs.set(m.id, (h = createHash("md5")));
    h.update(mem.subarray(m.slot * ${SLOT}, m.slot * ${SLOT} + m.n));
    parentPort.postMessage({ t: "a", slot: m.slot });
  } else if (m.t === "d") {
    const h = jobs.get(m.id) ?? createHash("md5");
    jobs.delete(m.id);
    parentPort.postMessage({ t: "d", id: m.id, hex: h.digest("hex") });
  } else if (m.t === "x") jobs.delete(m.id);
});
`;

interface Pool {
  worker: Worker;
  mem: Buffer;
  free: number[];
  /** Jobs waiting for a free slot, in order. */
  waiting: Array<() => void>;
  done: Map<number, { resolve: (hex: string) => void; reject: (e: Error) => void }>;
}

let pool: Pool | undefined;
let seq = 0;

function poolOf(): Pool {
  if (pool) return pool;
  const sab = new SharedArrayBuffer(SLOT * SLOTS);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { sab } });
  worker.unref();
  const p: Pool = { worker, mem: Buffer.from(sab), free: Array.from({ length: SLOTS }, (_, i) => i), waiting: [], done: new Map() };
  const fail = (err: Error) => {
    if (pool === p) pool = undefined;
    for (const d of p.done.values()) d.reject(err);
    p.done.clear();
    for (const w of p.waiting.splice(0)) w();
  };
  worker.on("message", (m: { t: string; id: number; slot?: number; hex?: string }) => {
    if (m.t === "a") {
      p.free.push(m.slot!);
      p.waiting.shift()?.();
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

/** An MD5 computed on the worker thread (feed with update(); pause the source while ready() gives a promise). */
export class OffloadedMd5 {
  private readonly id = ++seq;
  private readonly p = poolOf();
  private slot = -1;
  private fill = 0;
  /** Bytes that found no free slot (at most one chunk: the source is paused meanwhile). */
  private pending: Buffer[] = [];
  private blocked: Promise<void> | undefined;

  update(b: Buffer): void {
    if (this.pending.length) {
      this.pending.push(b);
      return;
    }
    let off = 0;
    while (off < b.length) {
      if (this.slot < 0) {
        const s = this.p.free.pop();
        if (s === undefined) {
          this.pending.push(b.subarray(off));
          this.block();
          return;
        }
        this.slot = s;
        this.fill = 0;
      }
      const n = Math.min(SLOT - this.fill, b.length - off);
      b.copy(this.p.mem, this.slot * SLOT + this.fill, off, off + n);
      this.fill += n;
      off += n;
      if (this.fill === SLOT) this.send();
    }
  }

  private send(): void {
    if (this.slot < 0) return;
    this.p.worker.postMessage({ t: "u", id: this.id, slot: this.slot, n: this.fill });
    this.slot = -1;
    this.fill = 0;
  }

  /** Wait for a slot, then take the pending bytes; repeats until they all found slots. */
  private block(): void {
    if (this.blocked) return;
    this.blocked = new Promise<void>((resolve) => {
      const retry = () => {
        const rest = this.pending.splice(0);
        this.blocked = undefined;
        for (const r of rest) this.update(r);
        // Still no room for all of it: wait again (update() set a new promise).
        const again = this.blocked as Promise<void> | undefined;
        if (again) void again.then(resolve);
        else resolve();
      };
      this.p.waiting.push(retry);
    });
  }

  /** undefined when the caller may go on; otherwise a promise to await (pausing its source) first. */
  ready(): Promise<void> | undefined {
    return this.blocked;
  }

  async digest(): Promise<string> {
    while (this.blocked) await this.blocked;
    this.send();
    return new Promise((resolve, reject) => {
      this.p.done.set(this.id, { resolve, reject });
      this.p.worker.postMessage({ t: "d", id: this.id });
    });
  }

  /** Forget the job (an upload that failed): its slot goes back, the worker drops its hash. */
  abandon(): void {
    if (this.slot >= 0) {
      this.p.free.push(this.slot);
      this.slot = -1;
    }
    this.pending = [];
    this.p.worker.postMessage({ t: "x", id: this.id });
  }
}
