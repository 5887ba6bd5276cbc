/**
 * Under --strict, a request signed (SigV4 Authorization header) for another Region than the bucket's is
 * redirected as S3 redirects it: 301 PermanentRedirect naming the bucket's endpoint, with x-amz-bucket-region
 * (the header the SDKs' region redirects read: JS followRegionRedirects, boto3's redirector, Java's
 * cross-region access); a presigned URL of another Region is AuthorizationQueryParametersError naming the
 * bucket's Region. The default mode serves the bucket whatever the signing Region.
 */
import { AwsError } from "../../protocols/aws-error.js";
import { parseAuthorizationHeader, parseCredential } from "../../protocols/sigv4.js";
import type { Ctx } from "../core/types.js";
import type { S3Input } from "./route.js";
import type { S3State } from "./state.js";

/** Operations any Region's endpoint answers for any bucket: creating one (its own rules) and asking where one is. */
const ANY_REGION = new Set(["CreateBucket", "GetBucketLocation"]);

/** The bucket's own endpoint, as S3 names it in a PermanentRedirect. */
function endpointOf(bucket: string, region: string): string {
  const host = region === "us-east-1" ? "s3.amazonaws.com" : `s3.${region}.amazonaws.com`;
  return bucket.includes(".") ? host : `${bucket}.${host}`;
}

export function checkBucketRegion(ctx: Ctx, st: S3State, input: S3Input, operation: string): void {
  if (!ctx.config.strict || !input.bucket || ANY_REGION.has(operation)) return;
  // A presigned URL names its Region in X-Amz-Credential: another Region is refused in S3's words, naming the bucket's.
  const credential = input.query["X-Amz-Credential"];
  if (credential !== undefined) {
    const presignedFor = parseCredential(credential)?.region;
    const region = st.buckets.get(input.bucket)?.region;
    if (presignedFor && region !== undefined && presignedFor !== region)
      throw new AwsError(
        "AuthorizationQueryParametersError",
        `Error parsing the X-Amz-Credential parameter; the region '${presignedFor}' is wrong; expecting '${region}'`,
        400,
        { extra: { Region: region } },
      );
    return;
  }
  const auth = input.req.headers.authorization;
  // The scope resolve.ts read (cached per credential); SigV2 and SigV4a headers name no Region.
  const signed = typeof auth === "string" ? parseAuthorizationHeader(auth)?.region : undefined;
  // No SigV4 header, or a scope without a region (Go clients with a legacy custom endpoint): nothing to compare.
  if (!signed) return;
  const region = st.buckets.get(input.bucket)?.region;
  if (region === undefined || region === signed) return;
  throw new AwsError(
    "PermanentRedirect",
    "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
    301,
    { extra: { Endpoint: endpointOf(input.bucket, region), Bucket: input.bucket }, headers: { "x-amz-bucket-region": region } },
  );
}
