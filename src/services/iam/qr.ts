/**
 * A QR code (ISO/IEC 18004: byte mode, error correction level M, versions 1-10, mask 0) drawn as a PNG,
 * for CreateVirtualMFADevice's QRCodePNG (the otpauth:// URI an authenticator app scans).
 */
import { deflateSync } from "node:zlib";

// ---------------------------------------------------------------- Reed-Solomon over GF(256), polynomial 0x11D

const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
}
const mul = (a: number, b: number) => (a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!);

/** The n error correction codewords of a block: the remainder of data·xⁿ divided by ∏(x − αⁱ), i < n. */
function reedSolomon(data: number[], n: number): number[] {
  let gen = [1];
  for (let i = 0; i < n; i++) {
    const next = new Array<number>(gen.length + 1).fill(0);
    for (let j = 0; j < gen.length; j++) {
      next[j] = next[j]! ^ gen[j]!;
      next[j + 1] = next[j + 1]! ^ mul(gen[j]!, EXP[i]!);
    }
    gen = next;
  }
  const rem = new Array<number>(n).fill(0);
  for (const d of data) {
    const factor = d ^ rem.shift()!;
    rem.push(0);
    for (let j = 0; j < n; j++) rem[j] = rem[j]! ^ mul(gen[j + 1]!, factor);
  }
  return rem;
}

// ---------------------------------------------------------------- level M block structure, versions 1-10

/** [EC codewords per block, blocks of group 1, data codewords each, blocks of group 2, data codewords each]. */
const BLOCKS_M: Array<[number, number, number, number, number]> = [
  [10, 1, 16, 0, 0],
  [16, 1, 28, 0, 0],
  [26, 1, 44, 0, 0],
  [18, 2, 32, 0, 0],
  [24, 2, 43, 0, 0],
  [16, 4, 27, 0, 0],
  [18, 4, 31, 0, 0],
  [22, 2, 38, 2, 39],
  [22, 3, 36, 2, 37],
  [26, 4, 43, 1, 44],
];
const ALIGN: number[][] = [[], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50]];

function codewords(bytes: Buffer): { version: number; data: number[] } {
  for (let version = 1; version <= BLOCKS_M.length; version++) {
    const [ec, b1, d1, b2, d2] = BLOCKS_M[version - 1]!;
    const capacity = b1 * d1 + b2 * d2;
    const countBits = version < 10 ? 8 : 16;
    if (4 + countBits + bytes.length * 8 > capacity * 8) continue;
    const bits: number[] = [];
    const put = (v: number, n: number) => {
      for (let i = n - 1; i >= 0; i--) bits.push((v >>> i) & 1);
    };
    put(0b0100, 4);
    put(bytes.length, countBits);
    for (const b of bytes) put(b, 8);
    put(0, Math.min(4, capacity * 8 - bits.length));
    while (bits.length % 8) bits.push(0);
    const data: number[] = [];
    for (let i = 0; i < bits.length; i += 8) data.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
    for (let pad = 0xec; data.length < capacity; pad ^= 0xec ^ 0x11) data.push(pad);
    // Split into blocks, add each block's EC codewords, interleave.
    const blocks: number[][] = [];
    let at = 0;
    for (let i = 0; i < b1 + b2; i++) {
      const len = i < b1 ? d1 : d2;
      blocks.push(data.slice(at, at + len));
      at += len;
    }
    const ecs = blocks.map((b) => reedSolomon(b, ec));
    const out: number[] = [];
    for (let i = 0; i < Math.max(d1, d2); i++) for (const b of blocks) if (i < b.length) out.push(b[i]!);
    for (let i = 0; i < ec; i++) for (const e of ecs) out.push(e[i]!);
    return { version, data: out };
  }
  throw new Error("QR payload too long");
}

// ---------------------------------------------------------------- the symbol

const bch = (value: number, poly: number, polyBits: number, shift: number) => {
  let rem = value << shift;
  for (let i = polyBits + shift - 1; i >= shift; i--) if ((rem >>> i) & 1) rem ^= poly << (i - polyBits + 1);
  return (value << shift) | rem;
};

/** The modules (true = dark) of a QR code for `text`. */
export function qrModules(text: string): boolean[][] {
  const { version, data } = codewords(Buffer.from(text, "utf8"));
  const size = 17 + 4 * version;
  const dark: boolean[][] = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  const fixed: boolean[][] = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  const set = (r: number, c: number, v: boolean) => {
    dark[r]![c] = v;
    fixed[r]![c] = true;
  };
  // Finder patterns and their light separators.
  for (const [r0, c0] of [
    [0, 0],
    [0, size - 7],
    [size - 7, 0],
  ] as const)
    for (let dr = -1; dr <= 7; dr++)
      for (let dc = -1; dc <= 7; dc++) {
        const r = r0 + dr;
        const c = c0 + dc;
        if (r < 0 || c < 0 || r >= size || c >= size) continue;
        const ring = Math.max(Math.abs(dr - 3), Math.abs(dc - 3));
        set(r, c, ring !== 2 && ring !== 4);
      }
  // Timing patterns.
  for (let i = 8; i < size - 8; i++) {
    set(6, i, i % 2 === 0);
    set(i, 6, i % 2 === 0);
  }
  // Alignment patterns (not over the finders).
  const pos = ALIGN[version - 1]!;
  for (const r of pos)
    for (const c of pos) {
      if ((r === 6 && c === 6) || (r === 6 && c === pos[pos.length - 1]) || (r === pos[pos.length - 1] && c === 6)) continue;
      for (let dr = -2; dr <= 2; dr++) for (let dc = -2; dc <= 2; dc++) set(r + dr, c + dc, Math.max(Math.abs(dr), Math.abs(dc)) !== 1);
    }
  // Format information: level M (00), mask 0, BCH(15,5) with generator 0x537, XOR 0x5412.
  const format = bch(0b00000, 0x537, 11, 10) ^ 0x5412;
  const bit = (v: number, i: number) => ((v >>> i) & 1) === 1;
  for (let i = 0; i <= 5; i++) set(i, 8, bit(format, i));
  set(7, 8, bit(format, 6));
  set(8, 8, bit(format, 7));
  set(8, 7, bit(format, 8));
  for (let i = 9; i < 15; i++) set(8, 14 - i, bit(format, i));
  for (let i = 0; i < 8; i++) set(8, size - 1 - i, bit(format, i));
  for (let i = 8; i < 15; i++) set(size - 15 + i, 8, bit(format, i));
  set(size - 8, 8, true);
  // Version information (versions 7 and up): BCH(18,6) with generator 0x1F25.
  if (version >= 7) {
    const v = bch(version, 0x1f25, 13, 12);
    for (let i = 0; i < 18; i++) {
      const a = size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      set(b, a, bit(v, i));
      set(a, b, bit(v, i));
    }
  }
  // Data, in two-column zigzags from the bottom right, skipping the vertical timing column; mask 0.
  let i = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((right + 1) & 2) === 0;
    for (let vert = 0; vert < size; vert++)
      for (let j = 0; j < 2; j++) {
        const c = right - j;
        const r = upward ? size - 1 - vert : vert;
        if (fixed[r]![c]) continue;
        const on = i < data.length * 8 && ((data[i >>> 3]! >>> (7 - (i & 7))) & 1) === 1;
        i++;
        dark[r]![c] = on !== ((r + c) % 2 === 0);
      }
  }
  return dark;
}

// ---------------------------------------------------------------- PNG

const CRC = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const typed = Buffer.concat([Buffer.from(type, "ascii"), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([len, typed, crc]);
}

/** A grayscale PNG of the QR code for `text`: `scale` pixels per module, a 4-module quiet zone. */
export function qrPng(text: string, scale = 4): Buffer {
  const modules = qrModules(text);
  const quiet = 4;
  const n = (modules.length + 2 * quiet) * scale;
  const raw = Buffer.alloc(n * (n + 1), 255);
  for (let y = 0; y < n; y++) {
    raw[y * (n + 1)] = 0; // filter: none
    const r = Math.floor(y / scale) - quiet;
    for (let x = 0; x < n; x++) {
      const c = Math.floor(x / scale) - quiet;
      if (modules[r]?.[c]) raw[y * (n + 1) + 1 + x] = 0;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(n, 0);
  header.writeUInt32BE(n, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grayscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
