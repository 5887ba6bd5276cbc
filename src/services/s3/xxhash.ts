/**
 * XXH64, XXH3-64 and XXH3-128 (seed 0, the default secret), as xxHash's specification defines them: the checksums
 * S3 names XXHASH64, XXHASH3 and XXHASH128 (x-amz-checksum-xxhash64/-xxhash3/-xxhash128, base64 of the big-endian
 * digest; XXH128 as its canonical high-then-low form). Streaming, on BigInt lanes: each update consumes whole
 * stripes and keeps what a later byte may still change (XXH3 never consumes the last stripe before the end).
 */

const M64 = (1n << 64n) - 1n;
const u64 = (x: bigint) => x & M64;
const rotl64 = (x: bigint, r: bigint) => u64((x << r) | (x >> (64n - r)));
const rotl32 = (x: bigint, r: bigint) => ((x << r) | (x >> (32n - r))) & 0xffffffffn;
const swap64 = (x: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(x);
  return b.readBigUInt64BE();
};
const swap32 = (x: bigint) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(Number(x));
  return BigInt(b.readUInt32BE());
};

const P32_1 = 0x9e3779b1n;
const P32_2 = 0x85ebca77n;
const P32_3 = 0xc2b2ae3dn;
const P64_1 = 0x9e3779b185ebca87n;
const P64_2 = 0xc2b2ae3d27d4eb4fn;
const P64_3 = 0x165667b19e3779f9n;
const P64_4 = 0x85ebca77c2b2ae63n;
const P64_5 = 0x27d4eb2f165667c5n;
const PRIME_MX1 = 0x165667919e3779f9n;
const PRIME_MX2 = 0x9fb21c651e98df25n;

const r64 = (b: Buffer, o: number) => b.readBigUInt64LE(o);
const r32 = (b: Buffer, o: number) => BigInt(b.readUInt32LE(o));

function be64(...xs: bigint[]): string {
  const out = Buffer.alloc(8 * xs.length);
  xs.forEach((x, i) => out.writeBigUInt64BE(x, 8 * i));
  return out.toString("base64");
}

// ---------------------------------------------------------------- XXH64

const round64 = (acc: bigint, input: bigint) => u64(rotl64(u64(acc + u64(input * P64_2)), 31n) * P64_1);
const merge64 = (acc: bigint, val: bigint) => u64(u64((acc ^ round64(0n, val)) * P64_1) + P64_4);
function avalanche64(h: bigint): bigint {
  h = u64((h ^ (h >> 33n)) * P64_2);
  h = u64((h ^ (h >> 29n)) * P64_3);
  return h ^ (h >> 32n);
}

export class Xxh64 {
  private v = [u64(P64_1 + P64_2), P64_2, 0n, u64(-P64_1)];
  private pending = Buffer.alloc(0);
  private total = 0;
  update(b: Buffer): void {
    this.total += b.length;
    let buf = this.pending.length ? Buffer.concat([this.pending, b]) : b;
    let o = 0;
    const v = this.v;
    for (; o + 32 <= buf.length; o += 32) {
      v[0] = round64(v[0]!, r64(buf, o));
      v[1] = round64(v[1]!, r64(buf, o + 8));
      v[2] = round64(v[2]!, r64(buf, o + 16));
      v[3] = round64(v[3]!, r64(buf, o + 24));
    }
    buf = buf.subarray(o);
    this.pending = Buffer.from(buf);
  }
  digest(): string {
    const v = this.v;
    let h: bigint;
    if (this.total >= 32) {
      h = u64(rotl64(v[0]!, 1n) + rotl64(v[1]!, 7n) + rotl64(v[2]!, 12n) + rotl64(v[3]!, 18n));
      for (const x of v) h = merge64(h, x);
    } else h = P64_5;
    h = u64(h + BigInt(this.total));
    const p = this.pending;
    let o = 0;
    for (; o + 8 <= p.length; o += 8) h = u64(u64(rotl64(h ^ round64(0n, r64(p, o)), 27n) * P64_1) + P64_4);
    if (o + 4 <= p.length) {
      h = u64(u64(rotl64(h ^ u64(r32(p, o) * P64_1), 23n) * P64_2) + P64_3);
      o += 4;
    }
    for (; o < p.length; o++) h = u64(rotl64(h ^ u64(BigInt(p[o]!) * P64_5), 11n) * P64_1);
    return be64(avalanche64(h));
  }
}

// ---------------------------------------------------------------- XXH3 (64 and 128)

const SECRET = Buffer.from(
  "b8fe6c3923a44bbe7c01812cf721ad1cded46de9839097db7240a4a4b7b3671fcb79e64eccc0e578825ad07dccff7221b8084674f743248ee03590e6813a264c" +
    "3c2852bb91c300cb88d0658b1b532ea371644897a20df94e3819ef46a9deacd8a8fa763fe39c343ff9dcbbc7c70b4f1d8a51e04bcdb45931c89f7ec9d9787364" +
    "eac5ac8334d3ebc3c581a0fffa1363eb170ddd51b7f0da49d316552629d4689e2b16be587d47a1fc8ff8b8d17ad031ce45cb3a8f95160428afd7fbcabb4b407e",
  "hex",
);
const STRIPE = 64;
const STRIPES_PER_BLOCK = (SECRET.length - STRIPE) / 8;
const MID_START = 3;
const MID_LAST = 17;
const LAST_ACC = 7;
const MERGE_START = 11;

function mul128(a: bigint, b: bigint): [bigint, bigint] {
  const p = a * b;
  return [u64(p), p >> 64n];
}
const fold64 = (a: bigint, b: bigint) => {
  const [lo, hi] = mul128(a, b);
  return lo ^ hi;
};
function avalanche3(h: bigint): bigint {
  h = u64((h ^ (h >> 37n)) * PRIME_MX1);
  return h ^ (h >> 32n);
}
function rrmxmx(h: bigint, len: number): bigint {
  h ^= rotl64(h, 49n) ^ rotl64(h, 24n);
  h = u64(h * PRIME_MX2);
  h ^= u64((h >> 35n) + BigInt(len));
  h = u64(h * PRIME_MX2);
  return h ^ (h >> 28n);
}
const mix16 = (b: Buffer, o: number, s: number) => fold64(r64(b, o) ^ r64(SECRET, s), r64(b, o + 8) ^ r64(SECRET, s + 8));

function short64(b: Buffer): bigint {
  const len = b.length;
  if (len === 0) return avalanche64(r64(SECRET, 56) ^ r64(SECRET, 64));
  if (len <= 3) {
    const combined = (BigInt(b[0]!) << 16n) | (BigInt(b[len >> 1]!) << 24n) | BigInt(b[len - 1]!) | (BigInt(len) << 8n);
    return avalanche64(combined ^ (r32(SECRET, 0) ^ r32(SECRET, 4)));
  }
  if (len <= 8) {
    const input64 = u64(r32(b, len - 4) + (r32(b, 0) << 32n));
    return rrmxmx(input64 ^ (r64(SECRET, 8) ^ r64(SECRET, 16)), len);
  }
  if (len <= 16) {
    const lo = r64(b, 0) ^ (r64(SECRET, 24) ^ r64(SECRET, 32));
    const hi = r64(b, len - 8) ^ (r64(SECRET, 40) ^ r64(SECRET, 48));
    return avalanche3(u64(BigInt(len) + swap64(lo) + hi + fold64(lo, hi)));
  }
  let acc = u64(BigInt(len) * P64_1);
  if (len <= 128) {
    if (len > 32) {
      if (len > 64) {
        if (len > 96) acc = u64(acc + mix16(b, 48, 96) + mix16(b, len - 64, 112));
        acc = u64(acc + mix16(b, 32, 64) + mix16(b, len - 48, 80));
      }
      acc = u64(acc + mix16(b, 16, 32) + mix16(b, len - 32, 48));
    }
    return avalanche3(u64(acc + mix16(b, 0, 0) + mix16(b, len - 16, 16)));
  }
  const rounds = len >> 4;
  for (let i = 0; i < 8; i++) acc = u64(acc + mix16(b, 16 * i, 16 * i));
  acc = avalanche3(acc);
  for (let i = 8; i < rounds; i++) acc = u64(acc + mix16(b, 16 * i, 16 * (i - 8) + MID_START));
  return avalanche3(u64(acc + mix16(b, len - 16, 136 - MID_LAST)));
}

type Pair = [bigint, bigint];
function mix32(acc: Pair, b: Buffer, o1: number, o2: number, s: number): Pair {
  let [lo, hi] = acc;
  lo = u64(lo + mix16(b, o1, s));
  lo ^= u64(r64(b, o2) + r64(b, o2 + 8));
  hi = u64(hi + mix16(b, o2, s + 16));
  hi ^= u64(r64(b, o1) + r64(b, o1 + 8));
  return [lo, hi];
}
function final128(acc: Pair, len: number): Pair {
  const lo = u64(acc[0] + acc[1]);
  const hi = u64(acc[0] * P64_1 + acc[1] * P64_4 + BigInt(len) * P64_2);
  return [avalanche3(lo), u64(-avalanche3(hi))];
}

function short128(b: Buffer): Pair {
  const len = b.length;
  if (len === 0) return [avalanche64(r64(SECRET, 64) ^ r64(SECRET, 72)), avalanche64(r64(SECRET, 80) ^ r64(SECRET, 88))];
  if (len <= 3) {
    const lo = (BigInt(b[0]!) << 16n) | (BigInt(b[len >> 1]!) << 24n) | BigInt(b[len - 1]!) | (BigInt(len) << 8n);
    const hi = rotl32(swap32(lo), 13n);
    return [avalanche64(lo ^ (r32(SECRET, 0) ^ r32(SECRET, 4))), avalanche64(hi ^ u64(r32(SECRET, 8) ^ r32(SECRET, 12)))];
  }
  if (len <= 8) {
    const input64 = u64(r32(b, 0) + (r32(b, len - 4) << 32n));
    const keyed = input64 ^ (r64(SECRET, 16) ^ r64(SECRET, 24));
    let [lo, hi] = mul128(keyed, u64(P64_1 + (BigInt(len) << 2n)));
    hi = u64(hi + (lo << 1n));
    lo ^= hi >> 3n;
    lo ^= lo >> 35n;
    lo = u64(lo * PRIME_MX2);
    lo ^= lo >> 28n;
    return [lo, avalanche3(hi)];
  }
  if (len <= 16) {
    const flipLo = r64(SECRET, 32) ^ r64(SECRET, 40);
    const flipHi = r64(SECRET, 48) ^ r64(SECRET, 56);
    const inLo = r64(b, 0);
    let inHi = r64(b, len - 8);
    let [mlo, mhi] = mul128(inLo ^ inHi ^ flipLo, P64_1);
    mlo = u64(mlo + (BigInt(len - 1) << 54n));
    inHi ^= flipHi;
    mhi = u64(mhi + inHi + (inHi & 0xffffffffn) * (P32_2 - 1n));
    mlo ^= swap64(mhi);
    const [hlo, hhi0] = mul128(mlo, P64_2);
    const hhi = u64(hhi0 + mhi * P64_2);
    return [avalanche3(hlo), avalanche3(hhi)];
  }
  let acc: Pair = [u64(BigInt(len) * P64_1), 0n];
  if (len <= 128) {
    if (len > 32) {
      if (len > 64) {
        if (len > 96) acc = mix32(acc, b, 48, len - 64, 96);
        acc = mix32(acc, b, 32, len - 48, 64);
      }
      acc = mix32(acc, b, 16, len - 32, 32);
    }
    return final128(mix32(acc, b, 0, len - 16, 0), len);
  }
  const rounds = len >> 5;
  for (let i = 0; i < 4; i++) acc = mix32(acc, b, 32 * i, 32 * i + 16, 32 * i);
  acc = [avalanche3(acc[0]), avalanche3(acc[1])];
  for (let i = 4; i < rounds; i++) acc = mix32(acc, b, 32 * i, 32 * i + 16, MID_START + 32 * (i - 4));
  return final128(mix32(acc, b, len - 16, len - 32, 136 - MID_LAST - 16), len);
}

/** XXH3's long-input state: the eight accumulators, fed stripe by stripe, scrambled after each block. */
export class Xxh3 {
  private acc = [P32_3, P64_1, P64_2, P64_3, P64_4, P32_2, P64_5, P32_1];
  private head: Buffer[] = [];
  private headLen = 0;
  private pending = Buffer.alloc(0);
  private stripes = 0;
  private total = 0;
  private last = Buffer.alloc(0);
  constructor(private readonly bits: 64 | 128) {}

  private stripe(b: Buffer, o: number, s: number): void {
    const acc = this.acc;
    for (let i = 0; i < 8; i++) {
      const data = r64(b, o + 8 * i);
      const key = data ^ r64(SECRET, s + 8 * i);
      acc[i ^ 1] = u64(acc[i ^ 1]! + data);
      acc[i] = u64(acc[i]! + (key & 0xffffffffn) * (key >> 32n));
    }
  }
  private scramble(): void {
    const s = SECRET.length - STRIPE;
    for (let i = 0; i < 8; i++) {
      let a = this.acc[i]!;
      a ^= a >> 47n;
      a ^= r64(SECRET, s + 8 * i);
      this.acc[i] = u64(a * P32_1);
    }
  }
  update(b: Buffer): void {
    this.total += b.length;
    if (this.headLen <= 240) {
      this.head.push(Buffer.from(b.subarray(0, 241 - this.headLen)));
      this.headLen += Math.min(b.length, 241 - this.headLen);
    }
    const buf = this.pending.length ? Buffer.concat([this.pending, b]) : b;
    // A stripe is consumed only once a byte follows it: the input's final stripe is the end's to take.
    let o = 0;
    for (; buf.length - o > STRIPE; o += STRIPE) {
      this.stripe(buf, o, 8 * this.stripes);
      if (++this.stripes === STRIPES_PER_BLOCK) {
        this.scramble();
        this.stripes = 0;
      }
    }
    this.pending = Buffer.from(buf.subarray(o));
    const tail = b.length >= STRIPE ? b : Buffer.concat([this.last, b]);
    this.last = Buffer.from(tail.subarray(Math.max(0, tail.length - STRIPE)));
  }
  private merge(s: number, start: bigint): bigint {
    let r = start;
    for (let i = 0; i < 4; i++) r = u64(r + fold64(this.acc[2 * i]! ^ r64(SECRET, s + 16 * i), this.acc[2 * i + 1]! ^ r64(SECRET, s + 16 * i + 8)));
    return avalanche3(r);
  }
  digest(): string {
    const len = this.total;
    if (len <= 240) {
      const b = Buffer.concat(this.head).subarray(0, len);
      if (this.bits === 64) return be64(short64(b));
      const [lo, hi] = short128(b);
      return be64(hi, lo);
    }
    // The last stripe: the input's final 64 bytes, against the secret's end less LAST_ACC.
    const saved = [...this.acc];
    this.stripe(this.last, 0, SECRET.length - STRIPE - LAST_ACC);
    const lo = this.merge(MERGE_START, u64(BigInt(len) * P64_1));
    if (this.bits === 64) {
      this.acc = saved;
      return be64(lo);
    }
    const hi = this.merge(SECRET.length - STRIPE - MERGE_START, u64(~(BigInt(len) * P64_2)));
    this.acc = saved;
    return be64(hi, lo);
  }
}
