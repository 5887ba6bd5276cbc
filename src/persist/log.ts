/**
 * The framing of --persist's files (state format version 2). A file is a sequence of frames:
 *
 *   frame   := u32 LE payload length | u32 LE CRC-32 of the payload | payload
 *   payload := (u32 LE record length | record bytes)*       record bytes = v8.serialize(record)
 *
 * The first frame holds one header record {format, version, kind, gen}. A log gets one frame per group
 * commit, so a commit is all-or-nothing: a frame cut short by a crash (length past the end of the file,
 * a zero length, or a checksum mismatch) ends the log, and everything from it on is dropped. A snapshot
 * (written to a temp file and renamed into place) is the same frames, a few thousand records each.
 */
import { crc32 } from "node:zlib";

export const STATE_FORMAT = "awsim-state";
/** Version 1 was one whole-state file per scope (state/<service>/<scope>.v8); 2 is snapshot + log. */
export const STATE_VERSION = 2;

export interface Header {
  format: string;
  version: number;
  kind: "log" | "snapshot";
  gen: number;
}

/** One frame holding `records` (each already v8-serialized). */
export function frame(records: Buffer[]): Buffer {
  let n = 8;
  for (const r of records) n += 4 + r.length;
  const out = Buffer.allocUnsafe(n);
  let off = 8;
  for (const r of records) {
    out.writeUInt32LE(r.length, off);
    r.copy(out, off + 4);
    off += 4 + r.length;
  }
  out.writeUInt32LE(n - 8, 0);
  out.writeUInt32LE(crc32(out.subarray(8)), 4);
  return out;
}

/**
 * The same frame as `frame`, as pieces to write in order (writev), for records given as one buffer or as
 * pieces: the records' buffers are not copied, the CRC is computed piece by piece.
 */
export function framePieces(records: Array<Buffer | Buffer[]>): Buffer[] {
  const lens = Buffer.allocUnsafe(8 + 4 * records.length);
  const out: Buffer[] = [lens.subarray(0, 8)];
  let n = 0;
  let crc = 0;
  records.forEach((r, i) => {
    const len = lens.subarray(8 + 4 * i, 12 + 4 * i);
    let rl = 0;
    if (Buffer.isBuffer(r)) rl = r.length;
    else for (const p of r) rl += p.length;
    len.writeUInt32LE(rl, 0);
    out.push(len);
    crc = crc32(len, crc);
    if (Buffer.isBuffer(r)) {
      out.push(r);
      crc = crc32(r, crc);
    } else
      for (const p of r) {
        out.push(p);
        crc = crc32(p, crc);
      }
    n += 4 + rl;
  });
  lens.writeUInt32LE(n, 0);
  lens.writeUInt32LE(crc, 4);
  return out;
}

/**
 * The records of every whole frame of `buf`, in order, and where the last whole frame ends (a torn or
 * corrupt tail starts there). `onRecord` gets each record's bytes (a view into `buf`).
 */
export function readFrames(buf: Buffer, onRecord: (rec: Buffer) => void): { end: number; torn: boolean } {
  let off = 0;
  while (off < buf.length) {
    if (buf.length - off < 8) return { end: off, torn: true };
    const len = buf.readUInt32LE(off);
    const sum = buf.readUInt32LE(off + 4);
    if (len === 0 || len > buf.length - off - 8) return { end: off, torn: true };
    const payload = buf.subarray(off + 8, off + 8 + len);
    if (crc32(payload) !== sum) return { end: off, torn: true };
    // A frame whose records do not add up exactly is corrupt as a whole.
    const recs: Buffer[] = [];
    let p = 0;
    while (p + 4 <= payload.length) {
      const rl = payload.readUInt32LE(p);
      if (rl > payload.length - p - 4) break;
      recs.push(payload.subarray(p + 4, p + 4 + rl));
      p += 4 + rl;
    }
    if (p !== payload.length) return { end: off, torn: true };
    for (const r of recs) onRecord(r);
    off += 8 + len;
  }
  return { end: off, torn: false };
}
