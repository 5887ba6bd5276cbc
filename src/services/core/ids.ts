/** Ids in AWS's formats, from one place. */
import { randomBytes, randomUUID } from "node:crypto";

/**
 * Random bytes drawn from the CSPRNG a few KiB at a time: an id then costs a slice of the pool instead of
 * a Buffer allocation and a call into the CSPRNG of its own (RunInstances and RunTask make several ids).
 */
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let poolAt = 0;

/** Lower-case hex of n characters. */
export function hex(n: number): string {
  const bytes = (n + 1) >>> 1;
  if (bytes > POOL_SIZE) return randomBytes(bytes).toString("hex").slice(0, n);
  if (poolAt + bytes > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolAt = 0;
  }
  const s = pool.toString("hex", poolAt, poolAt + bytes);
  poolAt += bytes;
  return n & 1 ? s.slice(0, n) : s;
}

/** EC2-style resource id: prefix + "-" + 17 hex characters (i-0123456789abcdef0). */
export function ec2Id(prefix: string): string {
  return `${prefix}-${hex(17)}`;
}

export const uuid = (): string => randomUUID();

/** ECS task ids: 32 hex characters. */
export const taskId = (): string => hex(32);

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/** Access key ids like AWS's: ASIA/AKIA + 16 base32 characters. */
export function accessKeyId(prefix: "AKIA" | "ASIA" | "AROA" | "AIDA" | "ANPA" | "AGPA" | "AIPA"): string {
  const b = randomBytes(16);
  let s = prefix;
  for (let i = 0; i < 16; i++) s += UPPER[b[i]! % 32];
  return s;
}

export function secretAccessKey(): string {
  return randomBytes(30).toString("base64").replace(/[+/=]/g, "A").slice(0, 40);
}
