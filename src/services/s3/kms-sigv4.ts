/**
 * SSE-KMS needs Signature Version 4: "All GET and PUT requests for an object protected by KMS will fail if they're not
 * made via SSL or using SigV4" (the API reference, SSEKMSKeyId). S3 refuses a SigV2-signed request (header or
 * presigned URL) that reads an SSE-KMS or DSSE-KMS object or asks for one to be written, and an anonymous read of
 * one, with InvalidArgument "Requests specifying Server Side Encryption with AWS KMS managed keys require AWS
 * Signature Version 4." (AWS re:Post knowledge center "s3-kms-signature-version-error"; the answer's ArgumentName
 * Authorization and ArgumentValue null as quoted in pottava/aws-s3-proxy#46; boto3#2680 and aws-cli#2622 meet it with
 * SigV2 presigned URLs). Anonymous callers exist where identity counts (--enforce-iam, --strict); elsewhere awsim
 * serves unsigned requests as the default account's. awsim serves plain HTTP, so the TLS half is not applied.
 */
import type { Ctx } from "../core/types.js";
import { isAnonymous } from "./common.js";
import { S3Errors } from "./errors.js";
import type { S3Input } from "./route.js";
import type { S3State } from "./state.js";

const READS = new Set(["GetObject", "HeadObject"]);
const WRITES = new Set(["PutObject", "CreateMultipartUpload", "CopyObject"]);

const isKms = (algorithm: string | undefined) => algorithm === "aws:kms" || algorithm === "aws:kms:dsse";

/** A SigV2 request: the "AWS AKID:signature" header or query authentication (AWSAccessKeyId). */
function sigV2(input: S3Input): boolean {
  const auth = input.req.headers.authorization;
  return input.query.AWSAccessKeyId !== undefined || (typeof auth === "string" && auth.startsWith("AWS "));
}

export function requireSigV4ForKms(ctx: Ctx, input: S3Input, operation: string): void {
  const read = READS.has(operation);
  if (!read && !WRITES.has(operation)) return;
  const v2 = sigV2(input);
  const anonymous = read && !v2 && (ctx.config.enforceIam || ctx.config.strict) && isAnonymous(input);
  if (!v2 && !anonymous) return;
  let kms: boolean;
  if (read) {
    const entry = ctx
      .state<S3State>()
      .buckets.get(input.bucket ?? "")
      ?.objects.get(input.key ?? "");
    const versionId = input.query.versionId;
    const v = versionId === undefined ? entry?.versions[0] : entry?.versions.find((x) => x.versionId === versionId);
    kms = !!v && !v.isDeleteMarker && isKms(v.sse?.algorithm);
  } else {
    const sse = input.req.headers["x-amz-server-side-encryption"];
    kms = isKms(typeof sse === "string" ? sse : undefined);
  }
  if (kms)
    throw S3Errors.invalidArgument(
      "Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4.",
      "Authorization",
      "null",
    );
}
