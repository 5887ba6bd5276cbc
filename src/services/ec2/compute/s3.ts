/**
 * awsim's own S3 as VM Import/Export, AMI store and restore see it: objects read from and written to the
 * buckets of the S3 service (same server), with VM Import's InvalidParameter answers when a bucket or
 * object is missing or lives in another region. Disk images awsim writes are small JSON manifests that
 * describe the exported image (its devices, sizes, architecture); importing one restores those properties.
 */
import type { Ctx } from "../../core/types.js";
import { Ec2Errors } from "../errors.js";
import type { Bucket, S3State } from "../../s3/state.js";

const invalid = (message: string) => Ec2Errors.custom("InvalidParameter", message);

export const MANIFEST_KIND = "awsim-ec2-disk-image";

export interface DiskManifest {
  kind: typeof MANIFEST_KIND;
  sourceImageId?: string;
  sourceRegion?: string;
  sourceInstanceId?: string;
  name?: string;
  description?: string;
  architecture: string;
  platform?: string;
  platformDetails: string;
  rootDeviceName: string;
  format: string;
  devices: Array<{ device: string; size: number; type: string; deleteOnTermination: boolean; encrypted: boolean }>;
}

async function bucketOf(ctx: Ctx, name: string, region: string): Promise<Bucket> {
  const s3 = await ctx.stateOf<S3State>("s3");
  const b = s3.buckets.get(name);
  if (!b || b.owner !== ctx.accountId) throw invalid(`The given S3 bucket '${name}' does not exist or is not owned by this account.`);
  if (b.region !== region) throw invalid(`The given S3 object is not local to the region. The object must be located in ${region}.`);
  return b;
}

/** The current version of an object, with its body; InvalidParameter when there is none. */
export async function readObject(ctx: Ctx, bucket: string, key: string, region: string): Promise<{ size: number; body: Buffer }> {
  const b = await bucketOf(ctx, bucket, region);
  const v = b.objects.get(key)?.versions[0];
  if (!v || v.isDeleteMarker || !v.blob) throw invalid(`The given S3 object 's3://${bucket}/${key}' does not exist.`);
  const { toBuffer } = await import("../../s3/blobs.js");
  // Disk images can be large; only small objects can be manifests worth parsing.
  const body = v.size <= 1024 * 1024 ? await toBuffer(v.blob) : Buffer.alloc(0);
  return { size: v.size, body };
}

/** Check that a bucket to write to exists in this region (before any task is created). */
export async function checkBucket(ctx: Ctx, bucket: string, region: string): Promise<void> {
  await bucketOf(ctx, bucket, region);
}

export async function writeObject(
  ctx: Ctx,
  bucket: string,
  key: string,
  region: string,
  data: Buffer,
  tags: Array<{ Key: string; Value: string }> = [],
): Promise<void> {
  const b = await bucketOf(ctx, bucket, region);
  const { storeObject } = await import("../../s3/objects.js");
  storeObject(b, key, data, { contentType: "application/octet-stream", now: ctx.now(), tags });
}

export function parseManifest(body: Buffer): DiskManifest | undefined {
  if (!body.length || body[0] !== 0x7b) return undefined;
  try {
    const m = JSON.parse(body.toString("utf8")) as DiskManifest;
    return m?.kind === MANIFEST_KIND && Array.isArray(m.devices) && m.devices.length ? m : undefined;
  } catch {
    return undefined;
  }
}

/** s3://bucket/key, a virtual-hosted S3 URL, or a path-style URL (awsim's own, presigned or not) → bucket and key. */
export function parseS3Url(url: string): { bucket: string; key: string } {
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(url) ?? /^https?:\/\/([^./]+)\.s3[.-][^/]*amazonaws\.com\/([^?]+)/.exec(url);
  if (s3) return { bucket: s3[1]!, key: decodeURIComponent(s3[2]!) };
  const path = /^https?:\/\/[^/]+\/([^/?]+)\/([^?]+)/.exec(url);
  if (!path) throw invalid(`The URL '${url}' is not a valid Amazon S3 URL.`);
  return { bucket: decodeURIComponent(path[1]!), key: decodeURIComponent(path[2]!) };
}

/** Remove what an export wrote (a cancelled export leaves no object behind). */
export async function deleteObject(ctx: Ctx, bucket: string, key: string): Promise<void> {
  const s3 = await ctx.stateOf<S3State>("s3");
  const b = s3.buckets.get(bucket);
  const entry = b?.objects.get(key);
  if (!b || !entry) return;
  const { discard } = await import("../../s3/blobs.js");
  const { removeKey } = await import("../../s3/state.js");
  discard(entry.versions.shift()?.blob);
  if (entry.versions.length) return;
  b.objects.delete(key);
  removeKey(b, key);
}
