import type { ServiceDefinition } from "../services/core/types.js";
import type { AwsError } from "./aws-error.js";
import type { HttpResponse, RawRequest } from "./http.js";

export interface DecodeContext {
  target?: string;
  requestId: string;
  accountId: string;
  region: string;
}

export interface Codec {
  /** A promise when the body must be read first; S3's routing answers at once. */
  decode(req: RawRequest, def: ServiceDefinition, dc: DecodeContext): Promise<Decoded> | Decoded;
  encode(output: unknown, operation: string, def: ServiceDefinition, requestId: string, req: RawRequest): HttpResponse;
  encodeError(err: AwsError, def: ServiceDefinition | undefined, requestId: string, req: RawRequest): HttpResponse;
}

export interface Decoded {
  operation: string;
  input: unknown;
}
