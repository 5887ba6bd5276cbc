/**
 * S3's flexible checksums: CRC32 (zlib), CRC32C and CRC64NVME (table-driven, reflected), SHA1, SHA256, and
 * the SHA512, MD5 and XXHASH64/XXHASH3/XXHASH128 (xxhash.ts) the model added (composite only, as SHA1/SHA256);
 * plus MD5 for ETags. Values are base64 of the big-endian digest, as S3 sends them. combineCrc() joins the
 * CRCs of consecutive parts into the whole object's CRC (multipart FULL_OBJECT checksums).
 */
import { createHash, type Hash } from "node:crypto";
import { crc32 as zlibCrc32 } from "node:zlib";
import { Xxh3, Xxh64 } from "./xxhash.js";

export type ChecksumAlgorithm = "CRC32" | "CRC32C" | "CRC64NVME" | "SHA1" | "SHA256" | "SHA512" | "MD5" | "XXHASH64" | "XXHASH3" | "XXHASH128";
export const ALGORITHMS: ChecksumAlgorithm[] = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256", "SHA512", "MD5", "XXHASH64", "XXHASH3", "XXHASH128"];
const HEADER_OF: Record<ChecksumAlgorithm, string> = {
  CRC32: "x-amz-checksum-crc32",
  CRC32C: "x-amz-checksum-crc32c",
  CRC64NVME: "x-amz-checksum-crc64nvme",
  SHA1: "x-amz-checksum-sha1",
  SHA256: "x-amz-checksum-sha256",
  SHA512: "x-amz-checksum-sha512",
  MD5: "x-amz-checksum-md5",
  XXHASH64: "x-amz-checksum-xxhash64",
  XXHASH3: "x-amz-checksum-xxhash3",
  XXHASH128: "x-amz-checksum-xxhash128",
};
/** The request/response header of an algorithm (constant strings: header lookups with them stay cheap). */
export const headerOf = (a: ChecksumAlgorithm) => HEADER_OF[a];

export interface Hasher {
  update(b: Buffer): void;
  /** base64 digest */
  digest(): string;
  /** raw CRC value (CRC algorithms only) */
  raw?(): bigint;
}

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC64NVME table split into 32-bit halves (reflected polynomial 0x9A6C9329AC4BC9B5). */
const [C64_HI, C64_LO] = (() => {
  const hi = new Uint32Array(256);
  const lo = new Uint32Array(256);
  const POLY_HI = 0x9a6c9329;
  const POLY_LO = 0xac4bc9b5;
  for (let i = 0; i < 256; i++) {
    let h = 0;
    let l = i;
    for (let k = 0; k < 8; k++) {
      const bit = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h = h >>> 1;
      if (bit) {
        h = (h ^ POLY_HI) >>> 0;
        l = (l ^ POLY_LO) >>> 0;
      }
    }
    hi[i] = h;
    lo[i] = l;
  }
  return [hi, lo];
})();

const be32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b.toString("base64");
};

class Crc32Hasher implements Hasher {
  private c = 0;
  update(b: Buffer) {
    this.c = zlibCrc32(b, this.c);
  }
  digest() {
    return be32(this.c);
  }
  raw() {
    return BigInt(this.c >>> 0);
  }
}

class Crc32cHasher implements Hasher {
  private c = 0xffffffff;
  update(b: Buffer) {
    let c = this.c;
    for (let i = 0; i < b.length; i++) c = CRC32C_TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
    this.c = c;
  }
  digest() {
    return be32((this.c ^ 0xffffffff) >>> 0);
  }
  raw() {
    return BigInt((this.c ^ 0xffffffff) >>> 0);
  }
}

class Crc64Hasher implements Hasher {
  private hi = 0xffffffff;
  private lo = 0xffffffff;
  update(b: Buffer) {
    let hi = this.hi;
    let lo = this.lo;
    for (let i = 0; i < b.length; i++) {
      const idx = (lo ^ b[i]!) & 0xff;
      lo = (((lo >>> 8) | (hi << 24)) ^ C64_LO[idx]!) >>> 0;
      hi = ((hi >>> 8) ^ C64_HI[idx]!) >>> 0;
    }
    this.hi = hi;
    this.lo = lo;
  }
  private final(): [number, number] {
    return [(this.hi ^ 0xffffffff) >>> 0, (this.lo ^ 0xffffffff) >>> 0];
  }
  digest() {
    const [h, l] = this.final();
    const b = Buffer.alloc(8);
    b.writeUInt32BE(h, 0);
    b.writeUInt32BE(l, 4);
    return b.toString("base64");
  }
  raw() {
    const [h, l] = this.final();
    return (BigInt(h) << 32n) | BigInt(l);
  }
}

class ShaHasher implements Hasher {
  private h: Hash;
  constructor(alg: "sha1" | "sha256" | "sha512" | "md5") {
    this.h = createHash(alg);
  }
  update(b: Buffer) {
    this.h.update(b);
  }
  digest() {
    return this.h.digest("base64");
  }
}

export function hasher(a: ChecksumAlgorithm): Hasher {
  switch (a) {
    case "CRC32":
      return new Crc32Hasher();
    case "CRC32C":
      return new Crc32cHasher();
    case "CRC64NVME":
      return new Crc64Hasher();
    case "SHA1":
      return new ShaHasher("sha1");
    case "SHA256":
      return new ShaHasher("sha256");
    case "SHA512":
      return new ShaHasher("sha512");
    case "MD5":
      return new ShaHasher("md5");
    case "XXHASH64":
      return new Xxh64();
    case "XXHASH3":
      return new Xxh3(64);
    case "XXHASH128":
      return new Xxh3(128);
  }
}

export function checksumOf(a: ChecksumAlgorithm, data: Buffer): string {
  const h = hasher(a);
  h.update(data);
  return h.digest();
}

/** A COMPOSITE checksum: the algorithm over the parts' decoded checksums, suffixed with the part count. */
export function compositeChecksum(a: ChecksumAlgorithm, partSums: string[]): string {
  return `${checksumOf(a, Buffer.concat(partSums.map((x) => Buffer.from(x, "base64"))))}-${partSums.length}`;
}

// ---------------------------------------------------------------- CRC combination (zlib's crc32_combine, any width)

const CRC_SPEC: Partial<Record<ChecksumAlgorithm, { poly: bigint; width: number }>> = {
  CRC32: { poly: 0xedb88320n, width: 32 },
  CRC32C: { poly: 0x82f63b78n, width: 32 },
  CRC64NVME: { poly: 0x9a6c9329ac4bc9b5n, width: 64 },
};

export const isCrc = (a: ChecksumAlgorithm) => CRC_SPEC[a] !== undefined;

function times(mat: bigint[], vec: bigint): bigint {
  let sum = 0n;
  let i = 0;
  while (vec) {
    if (vec & 1n) sum ^= mat[i]!;
    vec >>= 1n;
    i++;
  }
  return sum;
}

const square = (mat: bigint[]) => mat.map((row) => times(mat, row));

/** The operator matrix that appends `len` zero bytes, memoized per (algorithm, length). */
function zerosOperator(a: ChecksumAlgorithm, len: number, cache: Map<string, bigint[]>): bigint[] {
  const key = `${a}:${len}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const { poly, width } = CRC_SPEC[a]!;
  let odd: bigint[] = [poly];
  let row = 1n;
  for (let n = 1; n < width; n++) odd.push(row), (row <<= 1n);
  let even = square(odd);
  odd = square(even);
  let op: bigint[] | undefined;
  let n = len;
  const apply = (m: bigint[]) => (op = op ? op.map((r) => times(m, r)) : m);
  while (n) {
    even = square(odd);
    if (n & 1) apply(even);
    n = Math.floor(n / 2);
    if (!n) break;
    odd = square(even);
    if (n & 1) apply(odd);
    n = Math.floor(n / 2);
  }
  const identity = Array.from({ length: width }, (_, i) => 1n << BigInt(i));
  const result = op ?? identity;
  cache.set(key, result);
  return result;
}

/** CRC of A||B from CRC(A), CRC(B) and len(B). */
export function combineCrc(a: ChecksumAlgorithm, crc1: bigint, crc2: bigint, len2: number, cache: Map<string, bigint[]>): bigint {
  if (len2 === 0) return crc1;
  return times(zerosOperator(a, len2, cache), crc1) ^ crc2;
}

export function crcToBase64(a: ChecksumAlgorithm, v: bigint): string {
  const width = CRC_SPEC[a]!.width;
  const b = Buffer.alloc(width / 8);
  if (width === 32) b.writeUInt32BE(Number(v));
  else b.writeBigUInt64BE(v);
  return b.toString("base64");
}

export function base64ToCrc(s: string): bigint {
  const b = Buffer.from(s, "base64");
  return b.length === 8 ? b.readBigUInt64BE() : BigInt(b.readUInt32BE());
}

export const md5 = () => createHash("md5");
