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
  decode(req: RawRequest, def: ServiceDefinition, dc: DecodeContext): Promise<{ operation: string; input: unknown }>;
  encode(output: unknown, operation: string, def: ServiceDefinition, requestId: string, req: RawRequest): HttpResponse;
  encodeError(err: AwsError, def: ServiceDefinition | undefined, requestId: string, req: RawRequest): HttpResponse;
}
