/**
 * SSE-C at rest: bodies written with a customer key are stored encrypted with it (AES-256-CTR, a random
 * 16-byte IV per object, or per part for multipart uploads, kept beside the object; the key itself is never
 * stored, only its MD5, as S3 keeps it). CTR lets ranged reads start anywhere: the counter is advanced to the
 * range's block. Objects without a customer key never pass through here.
 */
import { createCipheriv, createDecipheriv, randomBytes, type Cipheriv as Cipher, type Decipheriv as Decipher } from "node:crypto";
import { Readable } from "node:stream";
import { header } from "../../protocols/http.js";
import { newFile, readBlob, setBlobSize } from "./blobs.js";
import type { Hasher } from "./checksums.js";
import type { S3Input } from "./route.js";
import { MEMORY_THRESHOLD, type Blob, type ObjectVersion, type S3State, type Sse } from "./state.js";

const CUSTOMER = "x-amz-server-side-encryption-customer-key";
const COPY_CUSTOMER = "x-amz-copy-source-server-side-encryption-customer-key";

type Sink = { update(b: Buffer): unknown };

/** The raw customer key of a request (already validated by sse.ts customerKey). */
export function requestKey(input: S3Input, copySource = false): Buffer {
  return Buffer.from(header(input.req, copySource ? COPY_CUSTOMER : CUSTOMER) ?? "", "base64");
}

/** The IV advanced by `blocks` 16-byte blocks (the 128-bit big-endian counter AES-CTR increments). */
function ivAt(iv: Buffer, blocks: number): Buffer {
  if (blocks === 0) return iv;
  const n = (BigInt(`0x${iv.toString("hex")}`) + BigInt(blocks)) % (1n << 128n);
  return Buffer.from(n.toString(16).padStart(32, "0"), "hex");
}

/** A keystream positioned at byte `offset` of a segment encrypted under (key, iv). */
function keystream(key: Buffer, iv: string, offset: number): Decipher {
  const d = createDecipheriv("aes-256-ctr", key, ivAt(Buffer.from(iv, "base64"), Math.floor(offset / 16)));
  if (offset % 16) d.update(Buffer.alloc(offset % 16));
  return d;
}

/** A new encryption for a body under the request's customer key: the cipher and the IV to keep. */
export function sealer(input: S3Input): { cipher: Cipher; iv: string } {
  const iv = randomBytes(16);
  return { cipher: createCipheriv("aes-256-ctr", requestKey(input), iv), iv: iv.toString("base64") };
}

/** PutObject: the cipher receiveBody applies; the IV goes into the object's encryption record. */
export function sealObject(input: S3Input, sse: Sse): Cipher {
  const s = sealer(input);
  sse.customerIv = s.iv;
  return s.cipher;
}

/** The encrypted segments of an object: its parts (multipart) or the whole body under one IV. */
function segments(v: ObjectVersion): Array<{ size: number; iv: string }> {
  if (v.parts?.length && v.parts.every((p) => p.iv)) return v.parts.map((p) => ({ size: p.size, iv: p.iv! }));
  return [{ size: v.size, iv: v.sse?.customerIv ?? "" }];
}

/** Deciphers a ciphertext stream that starts at logical byte `start`, switching keystream at segment boundaries. */
class Decryptor {
  private i = 0;
  private segStart = 0;
  private d: Decipher;
  constructor(
    private readonly segs: Array<{ size: number; iv: string }>,
    private readonly key: Buffer,
    private pos: number,
  ) {
    while (this.i < segs.length - 1 && pos >= this.segStart + segs[this.i]!.size) this.segStart += segs[this.i++]!.size;
    this.d = keystream(key, segs[this.i]!.iv, pos - this.segStart);
  }
  update(chunk: Buffer): Buffer {
    const out: Buffer[] = [];
    while (chunk.length > 0) {
      const seg = this.segs[this.i]!;
      const room = this.segStart + seg.size - this.pos;
      const n = this.i === this.segs.length - 1 ? chunk.length : Math.min(room, chunk.length);
      out.push(this.d.update(chunk.subarray(0, n)));
      this.pos += n;
      chunk = chunk.subarray(n);
      if (this.pos === this.segStart + seg.size && this.i < this.segs.length - 1) {
        this.segStart += seg.size;
        this.i++;
        this.d = keystream(this.key, this.segs[this.i]!.iv, 0);
      }
    }
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }
}

async function* through(src: Readable, dec: Decryptor): AsyncGenerator<Buffer> {
  for await (const c of src) yield dec.update(c as Buffer);
}

/** The plaintext of bytes [start, end] (inclusive) of an SSE-C object. */
export function openRange(v: ObjectVersion, key: Buffer, start: number, end: number): Readable | Buffer {
  const src = readBlob(v.blob!, start, end);
  const dec = new Decryptor(segments(v), key, start);
  return Buffer.isBuffer(src) ? dec.update(src) : Readable.from(through(src, dec));
}

/** The whole plaintext of an SSE-C object, in memory (S3 Select). */
export async function openAll(v: ObjectVersion, key: Buffer): Promise<Buffer> {
  if (!v.blob || v.size === 0) return Buffer.alloc(0);
  const src = openRange(v, key, 0, v.size - 1);
  if (Buffer.isBuffer(src)) return src;
  const chunks: Buffer[] = [];
  for await (const c of src) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Plaintext of a part just received under (key, iv), for re-hashing in another checksum algorithm. */
export function openPart(data: Buffer, key: Buffer, iv: string): Buffer {
  return keystream(key, iv, 0).update(data);
}

/**
 * Copy `size` plaintext bytes from `src` into a new blob, hashing the plaintext into `sinks` and
 * encrypting it with `cipher` when the destination is SSE-C.
 */
async function writeBlob(st: S3State, src: Readable | Buffer, size: number, cipher: Cipher | undefined, sinks: Sink[]): Promise<Blob> {
  const seal = (b: Buffer) => {
    for (const s of sinks) s.update(b);
    return cipher ? cipher.update(b) : Buffer.from(b);
  };
  let blob: Blob;
  if (size <= MEMORY_THRESHOLD) {
    const bufs: Buffer[] = [];
    if (Buffer.isBuffer(src)) bufs.push(seal(src));
    else for await (const c of src) bufs.push(seal(c as Buffer));
    blob = { kind: "mem", data: Buffer.concat(bufs) };
  } else {
    const { path, stream } = newFile(st);
    try {
      const write = async (b: Buffer) => {
        if (!stream.write(seal(b))) await new Promise((r) => stream.once("drain", r));
      };
      if (Buffer.isBuffer(src)) await write(src);
      else for await (const c of src) await write(c as Buffer);
      await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    } catch (e) {
      stream.destroy();
      const { unlink } = await import("node:fs");
      unlink(path, () => undefined);
      throw e;
    }
    blob = { kind: "file", path, refs: 0, dead: false };
  }
  setBlobSize(blob, size);
  return blob;
}

/** Plaintext of [start, end] of a copy source: deciphered with the x-amz-copy-source-…-customer-key when SSE-C. */
function sourceRange(v: ObjectVersion, input: S3Input, start: number, end: number): Readable | Buffer {
  if (!v.blob || end < start) return Buffer.alloc(0);
  return v.sse?.customerMd5 ? openRange(v, requestKey(input, true), start, end) : readBlob(v.blob, start, end);
}

/** True when a copy must pass through plaintext: the source or the destination uses a customer key. */
export function needsReseal(src: ObjectVersion, dest: Sse | undefined): boolean {
  return src.sse?.customerMd5 !== undefined || dest?.customerMd5 !== undefined;
}

/** CopyObject with SSE-C on either side: the source deciphered, the copy enciphered under the destination's key (new IV). */
export async function resealCopy(st: S3State, input: S3Input, src: ObjectVersion, dest: Sse | undefined): Promise<Blob> {
  let cipher: Cipher | undefined;
  if (dest?.customerMd5) cipher = sealObject(input, dest);
  return writeBlob(st, sourceRange(src, input, 0, src.size - 1), src.size, cipher, []);
}

/** UploadPartCopy with SSE-C on either side: the part's blob (encrypted under the upload's key when SSE-C) and its IV. */
export async function resealPart(
  st: S3State,
  input: S3Input,
  src: ObjectVersion,
  upload: Sse | undefined,
  start: number,
  end: number,
  sinks: Array<Sink | Hasher>,
): Promise<{ blob: Blob; iv?: string }> {
  const s = upload?.customerMd5 ? sealer(input) : undefined;
  const blob = await writeBlob(st, sourceRange(src, input, start, end), end - start + 1, s?.cipher, sinks);
  return { blob, iv: s?.iv };
}
