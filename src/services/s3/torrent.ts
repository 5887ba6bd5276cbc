/**
 * GetObjectTorrent: the bencoded metainfo S3 generated for an object — announce and a one-tracker
 * announce-list (tracker.amazonaws.com:6969), an info dict with length, name (the key), 256 KiB pieces with
 * their SHA-1 hashes, x-amz-bucket and x-amz-key; no creation date. S3 refused torrents of objects over
 * 5 GB; SSE-C objects need their key, which this request cannot carry. (AWS stopped BitTorrent seeding in
 * April 2022; the metainfo is what the API returned.)
 */
import { createHash } from "node:crypto";
import { rawResponse, type Ctx } from "../core/types.js";
import { readBlob } from "./blobs.js";
import { findVersion, getBucket, s3now } from "./common.js";
import { S3Errors } from "./errors.js";
import { checkArchived } from "./objects.js";
import type { S3Input } from "./route.js";
import { checkReadKey } from "./sse.js";

const TRACKER = "http://tracker.amazonaws.com:6969/announce";
const PIECE = 256 * 1024;
const MAX = 5 * 1024 ** 3;

type Bencodable = number | string | Buffer | Bencodable[] | { [k: string]: Bencodable };

/** Bencoding (BEP 3): integers, byte strings, lists, dictionaries with keys sorted as raw bytes. */
export function bencode(v: Bencodable): Buffer {
  if (typeof v === "number") return Buffer.from(`i${Math.trunc(v)}e`);
  if (typeof v === "string" || Buffer.isBuffer(v)) {
    const b = Buffer.isBuffer(v) ? v : Buffer.from(v, "utf8");
    return Buffer.concat([Buffer.from(`${b.length}:`), b]);
  }
  if (Array.isArray(v)) return Buffer.concat([Buffer.from("l"), ...v.map(bencode), Buffer.from("e")]);
  const keys = Object.keys(v).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return Buffer.concat([Buffer.from("d"), ...keys.flatMap((k) => [bencode(k), bencode(v[k]!)]), Buffer.from("e")]);
}

/** SHA-1 of each 256 KiB piece of a body. */
async function pieceHashes(src: AsyncIterable<Buffer> | Buffer): Promise<Buffer> {
  const out: Buffer[] = [];
  let h = createHash("sha1");
  let filled = 0;
  const feed = (chunk: Buffer) => {
    while (chunk.length) {
      const n = Math.min(PIECE - filled, chunk.length);
      h.update(chunk.subarray(0, n));
      filled += n;
      chunk = chunk.subarray(n);
      if (filled === PIECE) {
        out.push(h.digest());
        h = createHash("sha1");
        filled = 0;
      }
    }
  };
  if (Buffer.isBuffer(src)) feed(src);
  else for await (const c of src) feed(c as Buffer);
  if (filled > 0) out.push(h.digest());
  return Buffer.concat(out);
}

export async function GetObjectTorrent(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const v = findVersion(b, input.key!, undefined);
  checkReadKey(v.sse, input);
  if (v.storageClass !== "STANDARD") checkArchived(v, s3now(ctx));
  if (v.size > MAX) throw S3Errors.invalidRequest(`Torrent creation is not supported for objects larger than ${MAX}`);
  const pieces = v.blob && v.size > 0 ? await pieceHashes(readBlob(v.blob, 0, v.size - 1) as AsyncIterable<Buffer> | Buffer) : Buffer.alloc(0);
  const body = bencode({
    announce: TRACKER,
    "announce-list": [[TRACKER]],
    info: { length: v.size, name: v.key, "piece length": PIECE, pieces, "x-amz-bucket": b.name, "x-amz-key": v.key },
  });
  return rawResponse({ status: 200, headers: { "content-type": "application/x-bittorrent", "content-length": String(body.length) }, body });
}
