/**
 * The one error type of the code base. Services throw it; only protocols know how it looks on the wire.
 * `fault` follows AWS: "Sender" (client error, 4xx) or "Receiver" (server error, 5xx).
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fault: "Sender" | "Receiver";
  /** Extra members some protocols render (S3 <Key>, <BucketName>, ...; JSON extra fields). */
  readonly extra?: Record<string, string | number | undefined>;
  /** Extra response headers (e.g. S3 x-amz-bucket-region, Allow). */
  readonly headers?: Record<string, string>;

  constructor(
    code: string,
    message: string,
    status = 400,
    opts: { fault?: "Sender" | "Receiver"; extra?: Record<string, string | number | undefined>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
    this.fault = opts.fault ?? (status >= 500 ? "Receiver" : "Sender");
    this.extra = opts.extra;
    this.headers = opts.headers;
  }
}

export const isAwsError = (e: unknown): e is AwsError => e instanceof AwsError;

/** Framework errors shared by every service. Messages are AWS's own where AWS has one. */
export const FrameworkErrors = {
  internal: () => new AwsError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500),
  internalError: () => new AwsError("InternalError", "We encountered an internal error. Please try again.", 500),
  unknownOperation: (op: string) => new AwsError("UnknownOperationException", `Operation ${op} is not supported.`, 400),
  serialization: (msg = "Start of structure or map found where not expected.") => new AwsError("SerializationException", msg, 400),
  invalidAction: (action: string, version?: string) =>
    new AwsError("InvalidAction", `Could not find operation ${action} for version ${version ?? "NO_VERSION_SPECIFIED"}`, 400),
  missingAction: () => new AwsError("MissingAction", "Missing Action", 400),
  malformedXml: () => new AwsError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema", 400),
  notImplemented: (what = "A header you provided implies functionality that is not implemented") => new AwsError("NotImplemented", what, 501),
  validation: (message: string) => new AwsError("ValidationException", message, 400),
  missingParameter: (name: string) => new AwsError("MissingParameter", `The request must contain the parameter ${name}`, 400),
  invalidParameterValue: (message: string) => new AwsError("InvalidParameterValue", message, 400),
  requestEntityTooLarge: () => new AwsError("RequestEntityTooLarge", "Request body is too large", 413),
};
