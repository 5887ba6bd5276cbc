/**
 * aws-chunked decoding (SigV4 streaming): `hex(size)[;chunk-signature=<64 hex>]\r\n<data>\r\n` … `0[;…]\r\n`,
 * then trailer lines `name:value\r\n` and a final `\r\n`. Covers STREAMING-UNSIGNED-PAYLOAD-TRAILER,
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD and STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER (signatures are not
 * verified). Malformed framing throws (the caller answers IncompleteBody / InvalidRequest).
 */
export class ChunkedDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private remaining = -1;
  private inTrailers = false;
  private done = false;
  readonly trailers: Record<string, string> = {};
  private chunks = 0;
  private lastSize = 0;

  /** minChunk: signed streams allow only the last data chunk below 8 KiB (see tooSmall). */
  constructor(private readonly minChunk = 0) {}

  /** Feed raw bytes; returns the decoded data they contained. */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.done) return out;
      if (this.remaining > 0) {
        if (this.buf.length === 0) return out;
        const take = Math.min(this.remaining, this.buf.length);
        out.push(this.buf.subarray(0, take));
        this.buf = this.buf.subarray(take);
        this.remaining -= take;
        if (this.remaining > 0) return out;
        this.remaining = -2; // expect CRLF after data
      }
      if (this.remaining === -2) {
        if (this.buf.length < 2) return out;
        if (this.buf[0] !== 13 || this.buf[1] !== 10) throw new Error("chunk data not followed by CRLF");
        this.buf = this.buf.subarray(2);
        this.remaining = -1;
      }
      const nl = this.buf.indexOf("\r\n");
      if (nl < 0) {
        if (this.buf.length > 64 * 1024) throw new Error("chunk header too long");
        return out;
      }
      const line = this.buf.subarray(0, nl).toString("latin1");
      this.buf = this.buf.subarray(nl + 2);
      if (this.inTrailers) {
        if (line === "") {
          this.done = true;
          return out;
        }
        const c = line.indexOf(":");
        if (c > 0) this.trailers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
        continue;
      }
      const size = parseInt(line.split(";")[0]!.trim(), 16);
      if (!Number.isFinite(size) || size < 0) throw new Error("bad chunk size");
      if (size === 0) {
        this.inTrailers = true;
        continue;
      }
      // A small chunk is refused once another data chunk follows it; AWS names the following chunk's number.
      this.chunks++;
      if (this.chunks > 1 && this.lastSize < this.minChunk)
        throw Object.assign(new Error("chunk too small"), { tooSmall: { chunk: this.chunks, size: this.lastSize } });
      this.lastSize = size;
      this.remaining = size;
    }
  }

  /** True once the terminating chunk (and trailers, if any) arrived. */
  finished(): boolean {
    // A body may end right after the zero chunk without the final CRLF of an empty trailer section.
    return this.done || (this.inTrailers && this.buf.length === 0);
  }
}
