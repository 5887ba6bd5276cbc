import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { OffloadedMd5 } from "../../src/services/s3/md5-worker.js";

/** Feed like a paused/resumed stream: wait whenever ready() asks to. */
async function feed(h: OffloadedMd5, chunks: Buffer[]): Promise<string> {
  for (const c of chunks) {
    h.update(c);
    const wait = h.ready();
    if (wait) await wait;
  }
  return h.digest();
}

describe("MD5 on the worker thread", () => {
  it("equals createHash for uneven chunks, several uploads at once, more bytes than the slots hold", async () => {
    const uploads = [0, 1, 2, 3].map((u) => {
      const chunks: Buffer[] = [];
      for (let n = 0; n < 9 * 1024 * 1024; ) {
        const c = randomBytes(1 + ((n * 7919 + u * 104729) % 300_000));
        chunks.push(c);
        n += c.length;
      }
      return chunks;
    });
    const got = await Promise.all(uploads.map((chunks) => feed(new OffloadedMd5(), chunks)));
    const want = uploads.map((chunks) => {
      const h = createHash("md5");
      for (const c of chunks) h.update(c);
      return h.digest("hex");
    });
    expect(got).toEqual(want);
  });

  it("takes over owned chunks without a copy (detached here), copies views and chunks it does not own", async () => {
    const whole = randomBytes(3 * 1024 * 1024);
    const backing = new Uint8Array(2 * 1024 * 1024);
    backing.set(randomBytes(backing.length));
    const view = Buffer.from(backing.buffer, 4096, 1024 * 1024);
    const kept = randomBytes(1024 * 1024);
    const want = createHash("md5").update(whole).update(view).update(kept).digest("hex");
    const h = new OffloadedMd5();
    h.update(Buffer.from(whole), true);
    h.update(view, true);
    h.update(kept);
    expect(view.byteLength).toBe(1024 * 1024);
    expect(kept.byteLength).toBe(1024 * 1024);
    const hex = await h.digest();
    expect(hex).toBe(want);
    const owned = Buffer.from(randomBytes(2 * 1024 * 1024));
    const h2 = new OffloadedMd5();
    h2.update(owned, true);
    await h2.digest();
    expect(owned.buffer.byteLength).toBe(0);
  });

  it("an empty body and an abandoned upload leave the worker serving the next", async () => {
    expect(await new OffloadedMd5().digest()).toBe(createHash("md5").digest("hex"));
    const a = new OffloadedMd5();
    a.update(randomBytes(1024 * 1024));
    a.abandon();
    const b = Buffer.alloc(5 * 1024 * 1024, 7);
    expect(await feed(new OffloadedMd5(), [b])).toBe(createHash("md5").update(b).digest("hex"));
  });
});
