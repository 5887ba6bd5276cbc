/** CloudWatch Logs errors with AWS's messages. */
import { AwsError } from "../../protocols/aws-error.js";

export const LogsErrors = {
  groupNotFound: () => new AwsError("ResourceNotFoundException", "The specified log group does not exist.", 400),
  streamNotFound: () => new AwsError("ResourceNotFoundException", "The specified log stream does not exist.", 400),
  resourceNotFound: (what = "The specified resource does not exist.") => new AwsError("ResourceNotFoundException", what, 400),
  groupExists: () => new AwsError("ResourceAlreadyExistsException", "The specified log group already exists", 400),
  streamExists: () => new AwsError("ResourceAlreadyExistsException", "The specified log stream already exists", 400),
  invalidParameter: (message: string) => new AwsError("InvalidParameterException", message, 400),
  invalidToken: () => new AwsError("InvalidParameterException", "The specified nextToken is invalid.", 400),
  /** The same, for the newer operations that declare ValidationException and not InvalidParameterException (deliveries, scheduled queries). */
  invalidTokenValidation: () => new AwsError("ValidationException", "The specified nextToken is invalid.", 400),
  invalidFilterPattern: () => new AwsError("InvalidParameterException", "Invalid filter pattern", 400),
  limitExceeded: (message: string) => new AwsError("LimitExceededException", message, 400),
  operationAborted: () => new AwsError("OperationAbortedException", "Multiple concurrent requests to update the same resource were in conflict.", 400),
  invalidOperation: (message: string) => new AwsError("InvalidOperationException", message, 400),
  conflict: (message: string) => new AwsError("ConflictException", message, 400),
  validation: (message: string) => new AwsError("ValidationException", message, 400),
  notFound: (message: string) => new AwsError("ResourceNotFoundException", message, 400),
  accessDenied: (message: string) => new AwsError("AccessDeniedException", message, 400),
};
