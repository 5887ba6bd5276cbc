/** The contract between the dispatcher and every service. */
import type { IncomingHttpHeaders } from "node:http";
import type { AwsimConfig } from "../../config.js";
import type { RawRequest, HttpResponse } from "../../protocols/http.js";
import type { TaskRunner } from "../../runtime/types.js";

export type Protocol = "json" | "query" | "ec2" | "rest-json" | "rest-xml";

/** Who signed a request: an identity IAM or STS issued the access key for (absent: the account root). */
export interface Principal {
  accountId: string;
  arn: string;
  userId: string;
  kind: "root" | "user" | "assumed-role" | "federated-user";
  /** Assumed roles: the role's ARN (arn:aws:iam::…:role/path/name). */
  roleArn?: string;
  /** Temporary credentials: when they stop working. */
  expiration?: Date;
  /** For signature checks (--enforce-iam): the key's secret and, for session credentials, the token. */
  secret?: string;
  sessionToken?: string;
  /** Session policies passed to AssumeRole / GetFederationToken (JSON documents). */
  sessionPolicies?: string[];
  /** When the session was authenticated with MFA (aws:MultiFactorAuthPresent / aws:MultiFactorAuthAge). */
  mfaAt?: Date;
  /** Session tags (aws:PrincipalTag/… in policy conditions). */
  tags?: Array<{ Key: string; Value: string; Transitive?: boolean }>;
}

/** Where a key was used (for IAM's access-key-last-used). */
export interface KeyUse {
  service: string;
  region: string;
  at: Date;
}

/** What every handler gets. No HTTP, no encodings: ids, time, state and the server around it. */
export interface Ctx {
  requestId: string;
  accountId: string;
  region: string;
  service: string;
  operation: string;
  /** Request headers, for the few operations whose input AWS carries in headers. */
  headers: IncomingHttpHeaders;
  /** The access key id from the SigV4 credential scope (header or presigned query), if any. */
  accessKeyId?: string;
  /** The identity that key maps to (an IAM user, an assumed role, ...); undefined for the account root. */
  caller?: Principal;
  now(): Date;
  config: AwsimConfig;
  /** This service's state for the request's account and region (or its scope, see ServiceDefinition.scope). */
  state<S = unknown>(): S;
  /** Another service's state for the same account and region (e.g. ECS writing to CloudWatch Logs). */
  stateOf<S = unknown>(service: string, region?: string, accountId?: string): Promise<S>;
  /** The server this request reached. */
  sim: SimHandle;
}

export interface SimHandle {
  config: AwsimConfig;
  /** The URL clients reach this server on (http://127.0.0.1:PORT). */
  url(): string;
  runner: TaskRunner;
  /** Resolve another service's state for an explicit scope. */
  stateOf<S = unknown>(service: string, accountId: string, region: string): Promise<S>;
  /** Every state object a service holds now (all accounts and regions). */
  statesOf<S = unknown>(service: string): S[];
  /** The identity an access key id maps to (IAM user keys, STS session keys), if a service issued it. */
  identify(accessKeyId: string, use?: KeyUse): Principal | undefined;
  /** Register work to run on stop/reset (kill processes, remove temp files). */
  onShutdown(fn: () => Promise<void> | void): void;
}

export type Handler<I = any, O = any> = (ctx: Ctx, input: I) => O | Promise<O>;

export interface RestRoute {
  method: string;
  /** Path template, e.g. "/2015-03-31/functions/{FunctionName}/invocations"; "{Key+}" is greedy. */
  path: string;
  operation: string;
  /** Success status (default 200). */
  status?: number;
  /** The body is a payload (Lambda Invoke), not members to merge into the input. */
  rawBody?: boolean;
}

export interface ServiceDefinition<S = any> {
  /** Short name used in health, reset (?service=) and logs: "ecs", "s3", ... */
  name: string;
  protocol: Protocol;
  /** AWS JSON: X-Amz-Target prefix and content type version. */
  targetPrefix?: string;
  jsonVersion?: "1.0" | "1.1";
  /** Query/EC2: API version and the XML namespace of replies. */
  apiVersion?: string;
  xmlns?: string;
  /** Operations keyed by their exact AWS name. */
  operations: Record<string, Handler>;
  /** rest-json: a legacy route table (routing now comes from the model; kept while handlers migrate). */
  routes?: RestRoute[];
  /** rest-xml: the service routes the raw request itself (S3's bucket/key/sub-resource rules). */
  route?: (
    req: RawRequest,
    ctx: { accountId: string; region: string },
  ) => Promise<{ operation: string; input: unknown }> | { operation: string; input: unknown };
  /** How state is partitioned: per account+region (default), per account, or one for the whole server. */
  scope?: "region" | "account" | "global";
  createState(scope: { accountId: string; region: string; sim: SimHandle }): S;
  /** Resource counts for /_awsim/health. */
  counts?(state: S): Record<string, number>;
  /** The identity an access key id this service issued belongs to (IAM user keys, STS session keys). */
  identify?(state: S, accessKeyId: string, use?: KeyUse): Principal | undefined;
  /** Called before a state is dropped (reset or stop): kill processes, delete files. */
  dispose?(state: S): Promise<void> | void;
  /** ctx.now() in whole seconds: the service stamps its resources without milliseconds, as IAM does. */
  wholeSecondClock?: boolean;
}

/** rest-xml / rest-json handlers may return a full HTTP response instead of a shape. */
export type RawOutput = HttpResponse & { $raw: true };
export const rawResponse = (r: HttpResponse): RawOutput => {
  (r as RawOutput).$raw = true;
  return r as RawOutput;
};
/**
 * REST-XML (S3) handlers may return an output shape keyed by the model's member names, marked with
 * byModel(): the codec then writes status, header members and the XML body from the model.
 */
export type ModelOutput = Record<string, unknown> & { $model: true };
export const byModel = (o: Record<string, unknown>): ModelOutput => ({ ...o, $model: true });
export const isModelOutput = (o: unknown): o is ModelOutput => typeof o === "object" && o !== null && (o as ModelOutput).$model === true;
export const isRawOutput = (o: unknown): o is RawOutput => typeof o === "object" && o !== null && (o as RawOutput).$raw === true;
