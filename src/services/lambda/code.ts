/** Deployment packages: a ZipFile blob or an S3 object read from awsim's own S3. */
import { createHash } from "node:crypto";
import { AwsError } from "../../protocols/aws-error.js";
import type { Ctx } from "../core/types.js";
import { E, type Input } from "./common.js";
import { readZip, unzippedSize } from "./zip.js";

/** Lambda's deployment package quotas: 50 MB zipped, 250 MB unzipped. */
const ZIPPED_MAX = 52428800;
const UNZIPPED_MAX = 262144000;

const blob = (b: unknown): Buffer => (Buffer.isBuffer(b) ? b : b instanceof Uint8Array ? Buffer.from(b) : Buffer.from(String(b), "base64"));

export async function zipFromCode(ctx: Ctx, code: Input | undefined): Promise<Buffer> {
  if (code?.ZipFile !== undefined) return blob(code.ZipFile);
  if (code?.S3Bucket && code.S3Key) {
    const s3 = await ctx.stateOf<{
      buckets: Map<string, { objects: Map<string, { versions: Array<{ versionId?: string; blob?: unknown; isDeleteMarker: boolean }> }> }>;
    }>("s3");
    const bucket = s3.buckets.get(String(code.S3Bucket));
    if (!bucket) throw E.invalid("Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist");
    const versions = bucket.objects.get(String(code.S3Key))?.versions;
    const obj = code.S3ObjectVersion ? versions?.find((x) => x.versionId === code.S3ObjectVersion) : versions?.[0];
    if (!obj || obj.isDeleteMarker)
      throw E.invalid(`Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.`);
    const { toBuffer } = await import("../s3/blobs.js");
    return toBuffer(obj.blob as never);
  }
  throw E.invalid("Please provide a source for function code.");
}

const ecrImageRe = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)(?::([^:@]+)|@(sha256:[a-f0-9]{64}))$/;

/**
 * Lambda resolves an image's tag to its digest: CodeSha256 is the digest (hex) and ResolvedImageUri names it
 * (repository@sha256:...). An image in awsim's ECR resolves to its real digest, and one of a repository awsim holds
 * that does not exist is refused as AWS does; an image awsim's ECR does not hold (no such repository) is taken as
 * given, so functions run from local images keep working, with a digest derived from its URI.
 */
async function resolveImage(ctx: Ctx, uri: string): Promise<{ digest: string; resolvedImageUri: string }> {
  const m = ecrImageRe.exec(uri);
  if (!m) return unresolved(uri);
  const [, account, region, name, tag, byDigest] = m;
  const ecr = await ctx
    .stateOf<{ repos?: Map<string, { tagIndex: Map<string, string>; images: Map<string, unknown> }> }>("ecr", region, account)
    .catch(() => undefined);
  const repo = ecr?.repos?.get(name!);
  if (!repo) return unresolved(uri);
  const digest = byDigest ?? repo.tagIndex.get(tag!);
  if (!digest || !repo.images.has(digest)) throw E.invalid(`Source image ${uri} does not exist. Provide a valid source image.`);
  return { digest: digest.slice("sha256:".length), resolvedImageUri: `${uri.slice(0, uri.length - (tag ? tag.length + 1 : byDigest!.length + 1))}@${digest}` };
}

/** An image awsim's ECR does not hold: pinned by the digest it names, else by a digest derived from its URI. */
function unresolved(uri: string): { digest: string; resolvedImageUri: string } {
  const pinned = /@sha256:([a-f0-9]{64})$/.exec(uri);
  if (pinned) return { digest: pinned[1]!, resolvedImageUri: uri };
  const digest = createHash("sha256").update(uri).digest("hex");
  const colon = uri.lastIndexOf(":");
  const repository = colon > uri.lastIndexOf("/") ? uri.slice(0, colon) : uri;
  return { digest, resolvedImageUri: `${repository}@sha256:${digest}` };
}

export async function codeOf(
  ctx: Ctx,
  code: Input | undefined,
  packageType: string,
): Promise<{ zip?: Buffer; imageUri?: string; digest?: string; resolvedImageUri?: string }> {
  if (!code) throw E.validation("1 validation error detected: Value null at 'code' failed to satisfy constraint: Member must not be null");
  if (packageType === "Image") {
    if (!code.ImageUri) throw E.invalid("Source image  is not valid. Provide a valid source image.");
    return { imageUri: String(code.ImageUri), ...(await resolveImage(ctx, String(code.ImageUri))) };
  }
  const zip = await zipFromCode(ctx, code);
  // An inline package is bounded by the request size (protocols/http.ts); one from S3 by this.
  if (zip.length > ZIPPED_MAX)
    throw new AwsError("RequestEntityTooLargeException", `Zipped size must be smaller than ${ZIPPED_MAX} bytes`, 413, { extra: { Type: undefined } });
  try {
    readZip(zip);
  } catch {
    throw E.invalid("Could not unzip uploaded file. Please check your file, then try to upload again.");
  }
  if (unzippedSize(zip) > UNZIPPED_MAX) throw E.invalid(`Unzipped size must be smaller than ${UNZIPPED_MAX} bytes`);
  return { zip };
}
