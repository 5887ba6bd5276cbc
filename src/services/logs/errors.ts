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
  invalidFilterPattern: () => new AwsError("InvalidParameterException", "Invalid filter pattern", 400),
  limitExceeded: (message: string) => new AwsError("LimitExceededException", message, 400),
};
