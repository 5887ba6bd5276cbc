/**
 * CBOR (RFC 8949) as the Smithy RPC v2 CBOR protocol uses it: maps with text keys, definite and indefinite
 * lengths on input, half/single/double floats, tag 1 (epoch-seconds timestamps). decodeCbor turns a body into
 * the JSON-like value the JSON codec would have parsed (tag-1 timestamps → epoch-second numbers, byte strings →
 * base64 text), so the model decoder and validator are the JSON ones; encodeCbor writes Dates as tag 1 and bytes
 * as byte strings, leaving out undefined members.
 */

export class CborError extends Error {}

const MAX_DEPTH = 100;

/** Parse one CBOR data item filling the whole buffer. Throws CborError on anything malformed. */
export function decodeCbor(buf: Buffer): unknown {
  const r = { buf, pos: 0 };
  const v = item(r, 0);
  if (r.pos !== buf.length) throw new CborError("trailing bytes after the CBOR data item");
  return v;
}

interface Reader {
  buf: Buffer;
  pos: number;
}

const BREAK = Symbol("break");

function need(r: Reader, n: number): void {
  if (r.pos + n > r.buf.length) throw new CborError("CBOR data item is truncated");
}

/** The argument of a head whose additional information is `ai`; -1 for the indefinite length (31). */
function argument(r: Reader, ai: number): number {
  if (ai < 24) return ai;
  switch (ai) {
    case 24:
      need(r, 1);
      return r.buf[r.pos++]!;
    case 25:
      need(r, 2);
      r.pos += 2;
      return r.buf.readUInt16BE(r.pos - 2);
    case 26:
      need(r, 4);
      r.pos += 4;
      return r.buf.readUInt32BE(r.pos - 4);
    case 27: {
      need(r, 8);
      const big = r.buf.readBigUInt64BE(r.pos);
      r.pos += 8;
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new CborError("CBOR integer out of range");
      return Number(big);
    }
    case 31:
      return -1;
    default:
      throw new CborError("reserved CBOR additional information");
  }
}

function halfFloat(h: number): number {
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  const sign = h & 0x8000 ? -1 : 1;
  if (exp === 0) return sign * 2 ** -14 * (mant / 1024);
  if (exp === 31) return mant ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + mant / 1024);
}

function chunks(r: Reader, major: number, depth: number): Buffer {
  const parts: Buffer[] = [];
  for (;;) {
    need(r, 1);
    if (r.buf[r.pos] === 0xff) {
      r.pos++;
      return Buffer.concat(parts);
    }
    const head = r.buf[r.pos++]!;
    if (head >> 5 !== major) throw new CborError("an indefinite-length string holds a chunk of another type");
    const len = argument(r, head & 0x1f);
    if (len < 0 || depth > MAX_DEPTH) throw new CborError("nested indefinite-length string");
    need(r, len);
    parts.push(r.buf.subarray(r.pos, r.pos + len));
    r.pos += len;
  }
}

function item(r: Reader, depth: number, allowBreak = false): unknown {
  if (depth > MAX_DEPTH) throw new CborError("CBOR nesting too deep");
  need(r, 1);
  const head = r.buf[r.pos++]!;
  const major = head >> 5;
  const ai = head & 0x1f;
  if (head === 0xff) {
    if (allowBreak) return BREAK;
    throw new CborError("unexpected CBOR break");
  }
  switch (major) {
    case 0: {
      const n = argument(r, ai);
      if (n < 0) throw new CborError("indefinite-length integer");
      return n;
    }
    case 1: {
      const n = argument(r, ai);
      if (n < 0) throw new CborError("indefinite-length integer");
      return -1 - n;
    }
    case 2:
    case 3: {
      const len = argument(r, ai);
      let bytes: Buffer;
      if (len < 0) bytes = chunks(r, major, depth);
      else {
        need(r, len);
        bytes = r.buf.subarray(r.pos, r.pos + len);
        r.pos += len;
      }
      return major === 2 ? bytes.toString("base64") : bytes.toString("utf8");
    }
    case 4: {
      const len = argument(r, ai);
      const out: unknown[] = [];
      if (len < 0) {
        for (;;) {
          const x = item(r, depth + 1, true);
          if (x === BREAK) return out;
          out.push(x);
        }
      }
      for (let i = 0; i < len; i++) out.push(item(r, depth + 1));
      return out;
    }
    case 5: {
      const len = argument(r, ai);
      const out: Record<string, unknown> = {};
      for (let i = 0; len < 0 || i < len; i++) {
        const k = item(r, depth + 1, len < 0);
        if (k === BREAK) break;
        if (typeof k !== "string") throw new CborError("a CBOR map key is not a text string");
        const v = item(r, depth + 1);
        Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 6: {
      const tag = argument(r, ai);
      const v = item(r, depth + 1);
      if (tag === 1 && typeof v !== "number") throw new CborError("tag 1 does not hold a number");
      return v;
    }
    default: {
      if (ai === 20) return false;
      if (ai === 21) return true;
      if (ai === 22 || ai === 23) return null;
      if (ai === 25) {
        need(r, 2);
        r.pos += 2;
        return halfFloat(r.buf.readUInt16BE(r.pos - 2));
      }
      if (ai === 26) {
        need(r, 4);
        r.pos += 4;
        return r.buf.readFloatBE(r.pos - 4);
      }
      if (ai === 27) {
        need(r, 8);
        r.pos += 8;
        return r.buf.readDoubleBE(r.pos - 8);
      }
      if (ai < 24) return null;
      if (ai === 24) {
        need(r, 1);
        r.pos++;
        return null;
      }
      throw new CborError("reserved CBOR simple value");
    }
  }
}

/** Encode a handler's output (or an error body) as one CBOR data item. */
export function encodeCbor(v: unknown): Buffer {
  const out: Buffer[] = [];
  write(out, v, 0);
  return Buffer.concat(out);
}

function head(out: Buffer[], major: number, n: number): void {
  const m = major << 5;
  if (n < 24) out.push(Buffer.from([m | n]));
  else if (n < 0x100) out.push(Buffer.from([m | 24, n]));
  else if (n < 0x10000) {
    const b = Buffer.alloc(3);
    b[0] = m | 25;
    b.writeUInt16BE(n, 1);
    out.push(b);
  } else if (n < 0x100000000) {
    const b = Buffer.alloc(5);
    b[0] = m | 26;
    b.writeUInt32BE(n, 1);
    out.push(b);
  } else {
    const b = Buffer.alloc(9);
    b[0] = m | 27;
    b.writeBigUInt64BE(BigInt(n), 1);
    out.push(b);
  }
}

function number(out: Buffer[], n: number): void {
  if (Number.isSafeInteger(n)) {
    if (n >= 0) head(out, 0, n);
    else head(out, 1, -1 - n);
    return;
  }
  const b = Buffer.alloc(9);
  b[0] = 0xfb;
  b.writeDoubleBE(n, 1);
  out.push(b);
}

function write(out: Buffer[], v: unknown, depth: number): void {
  if (depth > MAX_DEPTH) throw new CborError("CBOR nesting too deep");
  if (v === null || v === undefined) {
    out.push(Buffer.from([0xf6]));
    return;
  }
  switch (typeof v) {
    case "string": {
      const b = Buffer.from(v, "utf8");
      head(out, 3, b.length);
      out.push(b);
      return;
    }
    case "number":
      number(out, v);
      return;
    case "boolean":
      out.push(Buffer.from([v ? 0xf5 : 0xf4]));
      return;
    case "bigint":
      number(out, Number(v));
      return;
    case "object":
      break;
    default:
      out.push(Buffer.from([0xf6]));
      return;
  }
  if (v instanceof Date) {
    out.push(Buffer.from([0xc1]));
    number(out, v.getTime() / 1000);
    return;
  }
  if (v instanceof Uint8Array) {
    head(out, 2, v.byteLength);
    out.push(Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    return;
  }
  if (Array.isArray(v)) {
    head(out, 4, v.length);
    for (const x of v) write(out, x, depth + 1);
    return;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined && typeof x !== "function" && typeof x !== "symbol");
  head(out, 5, entries.length);
  for (const [k, x] of entries) {
    write(out, k, depth + 1);
    write(out, x, depth + 1);
  }
}
