/** MalformedQueryException: AWS's message plus the queryCompileError member (location as character offsets). */
import { AwsError } from "../../../protocols/aws-error.js";

export class MalformedQuery extends AwsError {
  constructor(message: string, start: number, end: number) {
    super("MalformedQueryException", message, 400, {
      extra: { queryCompileError: { location: { startCharOffset: start, endCharOffset: end }, message } } as unknown as Record<string, string>,
    });
  }
}
