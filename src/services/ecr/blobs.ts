/**
 * The registry's content store on disk: uploads are written to files while they are hashed (a push of a
 * large image never sits in memory), complete blobs live under blobs/<alg>/<hex>. The directory is
 * <dataDir>/ecr/<account>/<region> when a data dir is configured, else a temp dir removed with the state.
 */
import { createHash, type Hash } from "node:crypto";
import { appendFileSync, copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
import type { EcrState, Upload } from "./state.js";

export interface Blob {
  path: string;
  size: number;
}

function root(s: EcrState): string {
  if (!s.blobDir) {
    const base = s.sim.config.dataDir;
    if (base) {
      s.blobDir = join(base, "ecr", s.accountId, s.region);
      mkdirSync(s.blobDir, { recursive: true });
    } else {
      s.blobDir = mkdtempSync(join(tmpdir(), "awsim-ecr-"));
      s.ownsBlobDir = true;
    }
  }
  return s.blobDir;
}

export function disposeBlobs(s: EcrState): void {
  if (s.ownsBlobDir && s.blobDir) rmSync(s.blobDir, { recursive: true, force: true });
}

const blobPath = (s: EcrState, digest: string) => {
  const [alg, hex] = digest.split(":");
  const dir = join(root(s), "blobs", alg!);
  mkdirSync(dir, { recursive: true });
  return join(dir, hex!);
};

/** A new upload: an empty file and a running SHA-256. */
export function newUpload(s: EcrState, id: string, repo: string): Upload {
  const dir = join(root(s), "uploads");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, id);
  writeFileSync(path, "");
  const u: Upload = { id, repo, path, size: 0, hash: createHash("sha256") };
  s.uploads.set(id, u);
  return u;
}

export function appendBuffer(u: Upload, data: Buffer): void {
  appendFileSync(u.path, data);
  u.hash.update(data);
  u.size += data.length;
}

/** Stream a request body onto the upload, hashing as it goes. */
export async function appendStream(u: Upload, body: Readable, limit: number): Promise<void> {
  const hash: Hash = u.hash;
  let n = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      n += chunk.length;
      if (u.size + n > limit) return done(new Error(`The blob exceeds ${limit} bytes`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(body, meter, createWriteStream(u.path, { flags: "a" }));
  u.size += n;
}

export function dropUpload(s: EcrState, u: Upload): void {
  s.uploads.delete(u.id);
  rmSync(u.path, { force: true });
}

/** The sha256 digest of what an upload holds so far. */
export const uploadDigest = (u: Upload) => `sha256:${u.hash.copy().digest("hex")}`;

/** Move a finished upload into the content store under its digest. */
export function commitUpload(s: EcrState, u: Upload, digest: string): Blob {
  s.uploads.delete(u.id);
  const path = blobPath(s, digest);
  if (existsSync(path)) rmSync(u.path, { force: true });
  else renameSync(u.path, path);
  const b = { path, size: statSync(path).size };
  s.blobs.set(digest, b);
  return b;
}

/** Store bytes under their digest (manifests and configs pushed whole). */
export function putBlob(s: EcrState, digest: string, data: Buffer): Blob {
  const path = blobPath(s, digest);
  if (!existsSync(path)) writeFileSync(path, data);
  const b = { path, size: data.length };
  s.blobs.set(digest, b);
  return b;
}

/** Copy a blob into another registry's store (replication). */
export function copyBlob(from: EcrState, to: EcrState, digest: string): void {
  const b = from.blobs.get(digest);
  if (!b || to.blobs.has(digest)) return;
  const path = blobPath(to, digest);
  if (!existsSync(path)) copyFileSync(b.path, path);
  to.blobs.set(digest, { path, size: b.size });
}
