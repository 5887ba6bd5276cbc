/** S3 errors with AWS's codes, messages and statuses; extra elements go into the <Error> body. */
import { AwsError } from "../../protocols/aws-error.js";

const e = (code: string, message: string, status: number, extra?: Record<string, string | number | undefined>, headers?: Record<string, string>) =>
  new AwsError(code, message, status, { extra, headers });

export const S3Errors = {
  noSuchBucket: (bucket: string) => e("NoSuchBucket", "The specified bucket does not exist", 404, { BucketName: bucket }),
  noSuchKey: (key: string) => e("NoSuchKey", "The specified key does not exist.", 404, { Key: key }),
  noSuchVersion: (key: string, versionId: string) => e("NoSuchVersion", "The specified version does not exist.", 404, { Key: key, VersionId: versionId }),
  noSuchUpload: (uploadId: string) =>
    e("NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", 404, {
      UploadId: uploadId,
    }),
  noSuchTagSet: (bucket: string) => e("NoSuchTagSet", "The TagSet does not exist", 404, { BucketName: bucket }),
  noSuchConfig: (code: string, message: string, bucket: string) => e(code, message, 404, { BucketName: bucket }),
  invalidBucketName: (bucket: string) => e("InvalidBucketName", "The specified bucket is not valid.", 400, { BucketName: bucket }),
  bucketAlreadyOwnedByYou: (bucket: string) =>
    e("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", 409, { BucketName: bucket }),
  bucketAlreadyExists: (bucket: string) =>
    e(
      "BucketAlreadyExists",
      "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
      409,
      { BucketName: bucket },
    ),
  bucketNotEmpty: (bucket: string, versioned = false) =>
    e("BucketNotEmpty", `The bucket you tried to delete is not empty${versioned ? ". You must delete all versions in the bucket." : ""}`, 409, {
      BucketName: bucket,
    }),
  illegalVersioningConfiguration: () => e("IllegalVersioningConfigurationException", "The Versioning element must be specified", 400),
  malformedXml: () => e("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema", 400),
  /** Content-MD5 mismatch: AWS names both digests, the calculated one in base64 and the expected one in hex. */
  badDigest: (calculated: string, expected: string) =>
    e("BadDigest", "The Content-MD5 you specified did not match what we received.", 400, { CalculatedDigest: calculated, ExpectedDigest: expected }),
  invalidDigest: (contentMd5: string) => e("InvalidDigest", "The Content-MD5 you specified was invalid.", 400, { "Content-MD5": contentMd5 }),
  badDigestMessage: (message: string) => e("BadDigest", message, 400),
  checksumMismatch: (alg: string) => e("BadDigest", `The ${alg} you specified did not match the calculated checksum.`, 400),
  contentSha256Mismatch: (client: string, server: string) =>
    e("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", 400, {
      ClientComputedContentSHA256: client,
      S3ComputedContentSHA256: server,
    }),
  invalidChunkSize: (chunk: number, size: number) =>
    e("InvalidChunkSizeError", "Only the last chunk is allowed to have a size less than 8192 bytes", 403, { Chunk: chunk, BadChunkSize: size }),
  malformedTrailer: () =>
    e("MalformedTrailerError", "The request contained trailing data that was not well-formed or did not conform to our published schema.", 400),
  missingContentLength: () => e("MissingContentLength", "You must provide the Content-Length HTTP header.", 411),
  /** A body short or long of its declared length names both counts; a chunked body cut short only says so (as AWS answers). */
  incompleteBody: (expected?: number, provided?: number) =>
    expected === undefined
      ? e("IncompleteBody", "The request body terminated unexpectedly", 400)
      : e("IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header", 400, {
          NumberBytesExpected: expected,
          NumberBytesProvided: provided,
        }),
  invalidRange: (range: string, size: number) =>
    e("InvalidRange", "The requested range is not satisfiable", 416, { RangeRequested: range, ActualObjectSize: size }),
  invalidPart: () =>
    e(
      "InvalidPart",
      "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
      400,
    ),
  invalidPartOrder: () => e("InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.", 400),
  entityTooSmall: () => e("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", 400),
  entityTooLarge: () => e("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400),
  preconditionFailed: (cond: string) => e("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412, { Condition: cond }),
  conditionalRequestConflict: (condition?: string, key?: string) =>
    e("ConditionalRequestConflict", "The conditional request cannot succeed due to a conflicting operation against this resource.", 409, {
      Condition: condition,
      Key: key,
    }),
  /** A conditional header S3 does not support in this form: NotImplemented naming the header, with AWS's additionalMessage. */
  conditionalNotImplemented: (headerName: string, additional: string) =>
    e("NotImplemented", "A header you provided implies functionality that is not implemented", 501, { Header: headerName, additionalMessage: additional }),
  notModified: () => e("NotModified", "Not Modified", 304),
  notImplemented: (what = "A header you provided implies functionality that is not implemented") => e("NotImplemented", what, 501),
  methodNotAllowed: (method: string, resource: string) =>
    e("MethodNotAllowed", "The specified method is not allowed against this resource.", 405, { Method: method, ResourceType: resource }),
  invalidArgument: (message: string, name?: string, value?: string) => e("InvalidArgument", message, 400, { ArgumentName: name, ArgumentValue: value }),
  invalidRequest: (message: string) => e("InvalidRequest", message, 400),
  invalidEncryptionAlgorithm: (name: string, value: string) =>
    e("InvalidEncryptionAlgorithmError", "The Encryption request you specified is not valid. Supported value: AES256.", 400, {
      ArgumentName: name,
      ArgumentValue: value,
    }),
  keyTooLong: (size?: number) => e("KeyTooLongError", "Your key is too long", 400, { Size: size, MaxSizeAllowed: size === undefined ? undefined : 1024 }),
  metadataTooLarge: (size?: number) =>
    e("MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.", 400, {
      Size: size,
      MaxSizeAllowed: size === undefined ? undefined : 2048,
    }),
  accessDenied: (message = "Access Denied", extra?: Record<string, string>) => e("AccessDenied", message, 403, extra),
  /** A read naming an SSE-C key that is not the object's (another version's key included). */
  wrongCustomerKey: () => e("AccessDenied", "Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key.", 403),
  unresolvableEmail: (email: string) =>
    e("UnresolvableGrantByEmailAddress", "The e-mail address you provided does not match any account on record.", 400, { EmailAddress: email }),
  malformedAcl: () => e("MalformedACLError", "The XML you provided was not well-formed or did not validate against our published schema", 400),
  aclNotSupported: () => e("AccessControlListNotSupported", "The bucket does not allow ACLs", 400),
  invalidBucketAclWithOwnership: () =>
    e("InvalidBucketAclWithObjectOwnership", "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", 400),
  unexpectedContent: () => e("UnexpectedContent", "This request does not support content", 400),
  missingSecurityHeader: (name: string) => e("MissingSecurityHeader", "Your request was missing a required header", 400, { MissingHeaderName: name }),
  invalidTargetBucketForLogging: (message: string, target: string) => e("InvalidTargetBucketForLogging", message, 400, { TargetBucket: target }),
  // AWS's message ends with a space, and names the target bucket's region.
  crossLocationLogging: (sourceRegion: string, targetRegion: string) =>
    e("CrossLocationLoggingProhibitted", "Cross S3 location logging not allowed. ", 403, {
      // AWS names the source bucket's region too, unless it is us-east-1.
      SourceBucketLocation: sourceRegion === "us-east-1" ? undefined : sourceRegion,
      TargetBucketLocation: targetRegion,
    }),
  tooManyConfigurations: () =>
    e("TooManyConfigurations", "You are attempting to create a new configuration but have already reached the 1,000-configuration limit.", 400),
  restoreAlreadyInProgress: () => e("RestoreAlreadyInProgress", "Object restore is already in progress", 409),
  missingRequiredParameter: (name: string) => e("MissingRequiredParameter", `The SelectRequest entity is missing a required parameter ${name}.`, 400),
  invalidRetentionPeriod: (message: string) => e("InvalidRetentionPeriod", message, 400),
  invalidTag: (message: string, extra?: Record<string, string>) => e("InvalidTag", message, 400, extra),
  invalidBucketState: (message: string) => e("InvalidBucketState", message, 409),
  invalidLocationConstraint: (constraint: string) =>
    e("InvalidLocationConstraint", "The specified location-constraint is not valid", 400, { LocationConstraint: constraint }),
  illegalLocationConstraint: (region: string, constraint: string) =>
    e(
      "IllegalLocationConstraintException",
      `The ${constraint || "unspecified"} location constraint is incompatible for the region specific endpoint this request was sent to.`,
      400,
    ),
  invalidObjectState: () => e("InvalidObjectState", "The operation is not valid for the object's storage class", 403),
  missingRequestBody: () => e("MissingRequestBodyError", "Request Body is empty", 400),
  objectNotInActiveTier: () =>
    e("ObjectNotInActiveTierError", "The source object of the COPY action is not in the active tier and is only stored in Amazon S3 Glacier.", 403),
  noSuchObjectLockConfiguration: (bucket: string) =>
    e("ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket", 404, { BucketName: bucket }),
  expired: (expires: string, now: string) => e("AccessDenied", "Request has expired", 403, { "X-Amz-Expires": undefined, Expires: expires, ServerTime: now }),
  invalidPolicyDocument: (message: string) => e("InvalidPolicyDocument", message, 400),
  malformedPost: () => e("MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.", 400),
  // A browser POST outside its content-length-range names the size and the bound it broke.
  entityTooSmallPost: (min: number, size: number) =>
    e("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", 400, { ProposedSize: size, MinSizeAllowed: min }),
  entityTooLargePost: (max: number, size: number) =>
    e("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400, { ProposedSize: size, MaxSizeAllowed: max }),
};
