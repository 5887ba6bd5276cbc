/** Shared pieces of the Lambda handlers: state access, AWS's errors, name/ARN parsing, pagination. */
import { createHash } from "node:crypto";
import { AwsError } from "../../protocols/aws-error.js";
import { paginate } from "../core/paginate.js";
import { rawResponse, type Ctx, type SimHandle } from "../core/types.js";
import type { FunctionRec, LambdaState } from "./state.js";
import type { Instances } from "./instances.js";

export type Input = Record<string, any>;
export type LambdaRuntimeState = LambdaState & { instances?: Instances /** Dropped by reset or stop: queued work must not start. */; disposed?: boolean };
export const st = (ctx: Ctx) => ctx.state<LambdaRuntimeState>();

const NOT_EXIST = "The resource you requested does not exist.";
export const E = {
  notFound: (arn: string) => new AwsError("ResourceNotFoundException", `Function not found: ${arn}`, 404, { extra: { Type: "User" } }),
  resourceNotFound: (m = NOT_EXIST) => new AwsError("ResourceNotFoundException", m, 404),
  conflict: (m: string) => new AwsError("ResourceConflictException", m, 409),
  invalid: (m: string) => new AwsError("InvalidParameterValueException", m, 400),
  validation: (m: string) => new AwsError("ValidationException", m, 400),
  preconditionFailed: () =>
    new AwsError(
      "PreconditionFailedException",
      "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
      412,
    ),
  tooManyRequests: (reason: string) =>
    new AwsError("TooManyRequestsException", "Rate Exceeded.", 429, { extra: { Reason: reason }, headers: { "retry-after": "1" } }),
};

/** Lambda's string timestamps: 2024-01-02T03:04:05.678+0000. */
export const lambdaDate = (d: Date) => d.toISOString().replace("Z", "+0000");
export const fnArn = (s: LambdaState, name: string) => `arn:aws:lambda:${s.region}:${s.accountId}:function:${name}`;
export const noContent = () => rawResponse({ status: 204, headers: {} });

/** name | ARN | partial ARN, optionally with :qualifier → name, qualifier and the ARN's region (when a full ARN). */
export function parseRef(ref: string): { name: string; qualifier?: string; region?: string; account?: string } {
  const r = String(ref ?? "");
  const m = /^(?:arn:aws[\w-]*:lambda:([^:]+):(\d{12}):function:|(\d{12}):function:)?([^:]+)(?::([^:]+))?$/.exec(r);
  if (!m)
    throw E.validation(
      `1 validation error detected: Value '${r}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
    );
  return { name: m[4]!, qualifier: m[5], region: m[1], account: m[2] ?? m[3] };
}

/** name | ARN | partial ARN, optionally with :qualifier → [name, qualifier]. */
export function parseName(ref: string): [string, string | undefined] {
  const r = parseRef(ref);
  return [r.name, r.qualifier];
}

/** A function ARN of another Region: AWS's answer, whichever operation names it. */
export function checkRegion(ctx: Ctx, ref: string): void {
  const { region } = parseRef(ref);
  const here = st(ctx).region;
  if (region !== undefined && region !== here)
    throw new AwsError("ResourceNotFoundException", `Functions from '${region}' are not reachable in this region ('${here}')`, 404, {
      extra: { Type: "User" },
    });
}

/** The function a FunctionName names; `q` is the qualifier its not-found message names (GetFunction's does, DeleteFunction's does not). */
export function getFn(ctx: Ctx, ref: string, q?: string): FunctionRec {
  const s = st(ctx);
  checkRegion(ctx, ref);
  const { name } = parseRef(ref);
  const f = s.functions.get(name);
  if (!f) throw E.notFound(q ? `${fnArn(s, name)}:${q}` : fnArn(s, name));
  return f;
}

/**
 * The qualifier of a request: the Qualifier member, else the one in the function name. Both given and
 * different: AWS refuses the request before it looks the function up.
 */
export function qualifierOf(v: Input): string | undefined {
  const derived = parseName(v.FunctionName)[1];
  if (v.Qualifier !== undefined && derived !== undefined && v.Qualifier !== derived)
    throw E.invalid("The derived qualifier from the function name does not match the specified qualifier.");
  return v.Qualifier ?? derived;
}

/** Check a qualifier names $LATEST, a published version or an alias; returns it (undefined for none). */
export function checkQualifier(f: FunctionRec, q: string | undefined): string | undefined {
  if (q === undefined || q === "$LATEST") return q;
  if (f.aliases.has(q) || f.versions.some((x) => x.version === q)) return q;
  throw E.notFound(`${f.arn}:${q}`);
}

export const qualifiedArn = (f: FunctionRec, q: string | undefined) => (q && q !== "$LATEST" ? `${f.arn}:${q}` : f.arn);

/**
 * Lambda's Marker/MaxItems pagination over a sorted list. `cap` is the most items one response holds whatever
 * MaxItems asks ("ListFunctions returns a maximum of 50 items in each response, even if you set the number higher").
 */
export function pageOf<T>(items: readonly T[], v: Input, key: (x: T) => string, defaultMax = 50, max = 10000, cap = max): { items: T[]; NextMarker?: string } {
  const n = v.MaxItems === undefined ? undefined : Number(v.MaxItems);
  if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > max))
    throw E.validation(
      `1 validation error detected: Value '${v.MaxItems}' at 'maxItems' failed to satisfy constraint: Member must have value ${n !== undefined && n > max ? `less than or equal to ${max}` : "greater than or equal to 1"}`,
    );
  const p = paginate(items, {
    maxResults: n === undefined ? undefined : Math.min(n, cap),
    nextToken: v.Marker,
    defaultMax,
    key,
    invalidToken: () => E.invalid("Invalid marker."),
  });
  return { items: p.items, NextMarker: p.nextToken };
}

/** An ISO timestamp string or undefined. */
export const tagsOrUndefined = (t: Record<string, string>) => (Object.keys(t).length ? t : undefined);

/** A function's LoggingConfig as AWS reports it (and the log group its output goes to). */
export function loggingConfig(f: FunctionRec) {
  const l = f.settings.LoggingConfig ?? {};
  const format = l.LogFormat ?? "Text";
  return {
    LogFormat: format,
    ApplicationLogLevel: format === "JSON" ? (l.ApplicationLogLevel ?? "INFO") : undefined,
    SystemLogLevel: format === "JSON" ? (l.SystemLogLevel ?? "INFO") : undefined,
    LogGroup: l.LogGroup || `/aws/lambda/${f.name}`,
  };
}

/**
 * A runtime's version ARN (arn:aws:lambda:<region>::runtime:<64 hex>), stable per runtime and architecture: an arm64
 * function runs another build of its runtime than an x86_64 one (recorded against AWS: test_mixed_architecture).
 */
export const runtimeVersionArn = (region: string, runtime: string, architecture = "x86_64") =>
  `arn:aws:lambda:${region}::runtime:${createHash("sha256")
    .update(`awsim-runtime-${runtime}${architecture === "arm64" ? "-arm64" : ""}`)
    .digest("hex")}`;

/**
 * The download URL of a function version's or a layer version's zip, served by awsim itself. Like AWS's (an S3 URL
 * of the package snapshot with "?versionId=<its S3 version>&X-Amz-..."), it carries the snapshot's versionId, one per
 * package (`codeSha256`): cloud-custodian's post-finding reads S3ObjectVersion from it (recorded: test_lambda.py
 * test_post_finding). awsim ignores the query when serving the zip.
 */
export function codeLocation(
  sim: SimHandle,
  accountId: string,
  region: string,
  kind: "function" | "layer",
  name: string,
  version: string | number,
  codeSha256: string,
): string {
  const path = `${accountId}/${region}/${kind}/${name}/${encodeURIComponent(String(version))}`;
  // An S3 version id: 32 characters of letters, digits, "." and "_".
  const versionId = createHash("sha256").update(`${path}/${codeSha256}`).digest("base64url").slice(0, 32).replace(/-/g, ".");
  return `${sim.url()}/_lambda-code/${path}.zip?versionId=${versionId}`;
}

/** The function's lifecycle now: Pending after CreateFunction and InProgress after an update, for --transition-delay. */
export function lifecycle(ctx: Ctx, f: FunctionRec): { pending: boolean; updating: boolean } {
  const d = ctx.config.transitionDelayMs;
  const now = Date.now();
  return { pending: now - f.createdAtMs < d, updating: f.updatedAtMs !== undefined && now - f.updatedAtMs < d };
}

/** Updates are refused while the previous one is in progress (or the function is still being created). */
export function checkNotUpdating(ctx: Ctx, f: FunctionRec): void {
  const l = lifecycle(ctx, f);
  if (l.pending || l.updating) throw E.conflict(`The operation cannot be performed at this time. An update is in progress for resource: ${f.arn}`);
}

/** A resource-based policy (a function's or a layer version's) as GetPolicy and GetLayerVersionPolicy answer it. */
export const policyDocument = (statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Id: "default", Statement: statements });

/** Resource-based policies: 20 KB at the most (Lambda quotas). */
const POLICY_LIMIT = 20_480;

/**
 * Refuse a policy past the limit with AWS's answer: "The final policy size (20749) is bigger than the limit (20480)."
 * (PolicyLengthExceededException, as quoted from AWS in adobe/helix-deploy#24 and serverless#5357).
 */
export function checkPolicySize(statements: unknown[]): void {
  const size = policyDocument(statements).length;
  if (size > POLICY_LIMIT)
    throw new AwsError("PolicyLengthExceededException", `The final policy size (${size}) is bigger than the limit (${POLICY_LIMIT}).`, 400);
}
