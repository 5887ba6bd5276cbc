/**
 * A bzip2 decompressor, for SelectObjectContent's CompressionType BZIP2 (Node has none built in). The format
 * of bzip2 1.0: per block, Huffman-coded symbols (6 tables at most, switched every 50 symbols) for the
 * move-to-front indexes of the Burrows-Wheeler transform, with zero runs written as RUNA/RUNB digits; the
 * block then undoes the transform and the run-length pass that came first (4 equal bytes and a count).
 * Concatenated streams decode one after the other. Block CRCs are not checked; a malformed stream throws.
 */

class Bits {
  private pos = 0;
  private readonly end: number;
  constructor(private readonly buf: Buffer) {
    this.end = buf.length * 8;
  }
  read(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      if (this.pos >= this.end) throw new Error("bzip2: unexpected end of data");
      v = (v << 1) | ((this.buf[this.pos >>> 3]! >>> (7 - (this.pos & 7))) & 1);
      this.pos++;
    }
    return v >>> 0;
  }
  align(): void {
    this.pos = (this.pos + 7) & ~7;
  }
  get done(): boolean {
    return this.pos >= this.end;
  }
}

interface Table {
  minLen: number;
  maxLen: number;
  /** The largest code of each length (codes are canonical: by length, then by symbol). */
  limit: Int32Array;
  /** Symbol index = code + base[length]. */
  base: Int32Array;
  perm: number[];
}

function table(lens: Uint8Array): Table {
  let minLen = 32;
  let maxLen = 0;
  for (const l of lens) {
    if (l < minLen) minLen = l;
    if (l > maxLen) maxLen = l;
  }
  const perm: number[] = [];
  const limit = new Int32Array(maxLen + 1).fill(-1);
  const base = new Int32Array(maxLen + 1);
  let code = 0;
  for (let l = minLen; l <= maxLen; l++) {
    const before = perm.length;
    for (let s = 0; s < lens.length; s++) if (lens[s] === l) perm.push(s);
    base[l] = before - code;
    code += perm.length - before;
    limit[l] = code - 1;
    code <<= 1;
  }
  return { minLen, maxLen, limit, base, perm };
}

function symbol(br: Bits, t: Table): number {
  let l = t.minLen;
  let v = br.read(l);
  for (;;) {
    if (v <= t.limit[l]!) return t.perm[v + t.base[l]!]!;
    if (++l > t.maxLen) throw new Error("bzip2: bad Huffman code");
    v = (v << 1) | br.read(1);
  }
}

function block(br: Bits, maxBlock: number, out: number[]): void {
  if (br.read(1)) throw new Error("bzip2: randomized blocks are not supported");
  const origPtr = br.read(24);
  const used = br.read(16);
  const alphabet: number[] = [];
  for (let i = 0; i < 16; i++) {
    if (!(used & (0x8000 >>> i))) continue;
    const bits = br.read(16);
    for (let j = 0; j < 16; j++) if (bits & (0x8000 >>> j)) alphabet.push(i * 16 + j);
  }
  if (!alphabet.length) throw new Error("bzip2: empty symbol map");
  const alphaSize = alphabet.length + 2;
  const nGroups = br.read(3);
  const nSelectors = br.read(15);
  if (nGroups < 2 || nGroups > 6 || nSelectors < 1) throw new Error("bzip2: bad table header");
  const order = Array.from({ length: nGroups }, (_, i) => i);
  const selectors = new Uint8Array(nSelectors);
  for (let i = 0; i < nSelectors; i++) {
    let j = 0;
    while (br.read(1)) if (++j >= nGroups) throw new Error("bzip2: bad selector");
    const g = order[j]!;
    order.splice(j, 1);
    order.unshift(g);
    selectors[i] = g;
  }
  const tables: Table[] = [];
  for (let t = 0; t < nGroups; t++) {
    const lens = new Uint8Array(alphaSize);
    let len = br.read(5);
    for (let s = 0; s < alphaSize; s++) {
      for (;;) {
        if (len < 1 || len > 20) throw new Error("bzip2: bad code length");
        if (!br.read(1)) break;
        len += br.read(1) ? -1 : 1;
      }
      lens[s] = len;
    }
    tables.push(table(lens));
  }

  // Symbols → the BWT column: RUNA/RUNB spell a run of the front byte in bijective base 2, EOB ends.
  const eob = alphabet.length + 1;
  const mtf = alphabet.slice();
  const tt = new Uint32Array(maxBlock);
  const counts = new Int32Array(256);
  let n = 0;
  let selector = 0;
  let left = 0;
  let current = tables[0]!;
  let run = 0;
  let weight = 0;
  for (;;) {
    if (left === 0) {
      if (selector >= nSelectors) throw new Error("bzip2: out of selectors");
      current = tables[selectors[selector++]!]!;
      left = 50;
    }
    left--;
    const sym = symbol(br, current);
    if (sym <= 1) {
      if (weight === 0) weight = 1;
      run += (sym + 1) * weight;
      weight <<= 1;
      if (run > maxBlock) throw new Error("bzip2: run past the block size");
      continue;
    }
    if (weight) {
      const b = mtf[0]!;
      if (n + run > maxBlock) throw new Error("bzip2: block too large");
      tt.fill(b, n, n + run);
      counts[b] += run;
      n += run;
      run = 0;
      weight = 0;
    }
    if (sym === eob) break;
    const b = mtf[sym - 1]!;
    mtf.splice(sym - 1, 1);
    mtf.unshift(b);
    if (n >= maxBlock) throw new Error("bzip2: block too large");
    counts[b]++;
    tt[n++] = b;
  }
  if (origPtr >= n) throw new Error("bzip2: bad origin pointer");

  // Inverse BWT (each entry keeps its byte in the low 8 bits and the next position above them).
  const start = new Int32Array(256);
  for (let i = 0, sum = 0; i < 256; i++) {
    start[i] = sum;
    sum += counts[i]!;
  }
  for (let i = 0; i < n; i++) {
    const b = tt[i]! & 0xff;
    tt[start[b]!] = (tt[start[b]!]! | (i << 8)) >>> 0;
    start[b]++;
  }
  // Undo the first run-length pass while walking: after 4 equal bytes comes a count of further copies.
  let pos = tt[origPtr]! >>> 8;
  let last = -1;
  let same = 0;
  for (let i = 0; i < n; i++) {
    const e = tt[pos]!;
    const ch = e & 0xff;
    pos = e >>> 8;
    if (same === 4) {
      for (let k = 0; k < ch; k++) out.push(last);
      same = 0;
      last = -1;
      continue;
    }
    out.push(ch);
    if (ch === last) same++;
    else {
      last = ch;
      same = 1;
    }
  }
}

export function bunzip2(buf: Buffer): Buffer {
  const br = new Bits(buf);
  const out: number[] = [];
  while (!br.done) {
    if (br.read(8) !== 0x42 || br.read(8) !== 0x5a || br.read(8) !== 0x68) throw new Error("bzip2: not a bzip2 stream");
    const level = br.read(8) - 0x30;
    if (level < 1 || level > 9) throw new Error("bzip2: bad block size");
    for (;;) {
      const hi = br.read(24);
      const lo = br.read(24);
      br.read(32); // block or stream CRC
      if (hi === 0x314159 && lo === 0x265359) block(br, level * 100000, out);
      else if (hi === 0x177245 && lo === 0x385090) break;
      else throw new Error("bzip2: bad block magic");
    }
    br.align();
  }
  return Buffer.from(out);
}
