/**
 * A growing byte buffer that answers are written into as UTF-8, exactly as Buffer.from(text) would encode
 * the same text (a lone surrogate becomes U+FFFD): ASCII is copied by a loop, the rest of a string from its
 * first non-ASCII character goes through Buffer#write. Used by the XML (model/xml.ts) and JSON encoders so
 * that an answer is never built as a string, joined and then encoded again.
 */
export class Utf8Writer {
  buf: Buffer;
  pos = 0;
  /** Under 4 KiB the buffer comes from Node's shared pool. */
  constructor(size = 2048) {
    this.buf = Buffer.allocUnsafe(size);
  }

  protected room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const b = Buffer.allocUnsafe(size);
    this.buf.copy(b, 0, 0, this.pos);
    this.buf = b;
  }

  /** One byte (an ASCII character). */
  byte(c: number): void {
    if (this.pos >= this.buf.length) this.room(1);
    this.buf[this.pos++] = c;
  }

  /** Bytes made once (the compiled encoders' XML tags and JSON keys): one copy, cheaper than a loop over a string's characters. */
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /**
   * Text as UTF-8 through Buffer#write (native): for long pieces of text already made, such as a listing entry's
   * XML; raw() is cheaper for the short ones.
   */
  write(s: string): void {
    this.room(s.length * 3);
    this.pos += this.buf.write(s, this.pos, "utf8");
  }

  /** Text as UTF-8, unchanged. */
  raw(s: string): void {
    const n = s.length;
    this.room(n * 3);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        p += buf.write(s.slice(i), p, "utf8");
        break;
      }
      buf[p++] = c;
    }
    this.pos = p;
  }

  /** A JSON string literal: exactly JSON.stringify(s) (escapes from the first character that needs one on). */
  jsonString(s: string): void {
    const n = s.length;
    this.room(n * 6 + 2);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 34;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80 || c < 32 || c === 34 || c === 92) {
        // JSON escapes per UTF-16 unit, so the rest can be escaped on its own (a pair is never split here:
        // the cut is at its high half or before it).
        const rest = JSON.stringify(s.slice(i));
        p += buf.write(rest.slice(1, -1), p, "utf8");
        break;
      }
      buf[p++] = c;
    }
    buf[p++] = 34;
    this.pos = p;
  }

  toBuffer(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
