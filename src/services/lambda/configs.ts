/** Per-function configs: provisioned concurrency, asynchronous invocation (event invoke) config, recursion and runtime management. */
import { AwsError } from "../../protocols/aws-error.js";
import type { Ctx } from "../core/types.js";
import { E, checkQualifier, checkRegion, fnArn, getFn, lambdaDate, noContent, pageOf, parseName, qualifierOf, st, type Input } from "./common.js";
import type { FunctionRec } from "./state.js";

const pcNotFound = () => new AwsError("ProvisionedConcurrencyConfigNotFoundException", "No Provisioned Concurrency Config found for this function", 404);

function pcView(ctx: Ctx, f: FunctionRec, q: string) {
  const c = f.provisioned.get(q)!;
  const ready = Date.now() - Date.parse(c.lastModified.replace("+0000", "Z")) >= ctx.config.transitionDelayMs;
  return {
    RequestedProvisionedConcurrentExecutions: c.requested,
    AvailableProvisionedConcurrentExecutions: ready ? c.requested : 0,
    AllocatedProvisionedConcurrentExecutions: ready ? c.requested : 0,
    Status: ready ? "READY" : "IN_PROGRESS",
    // AWS words this one to the second: 2019-12-31T20:28:49+0000 (no milliseconds, unlike a function's LastModified).
    LastModified: c.lastModified.replace(/\.\d{3}(?=\+0000$)/, ""),
  };
}

/**
 * The published version or alias a provisioned concurrency request names: $LATEST is refused (`latest`), a
 * missing function or qualifier is "Function not found: <arn>:<version>" or "Cannot find alias arn: <arn>:<alias>".
 */
function pcTarget(ctx: Ctx, v: Input, latest: string): [FunctionRec, string] {
  const q = qualifierOf(v);
  if (q === undefined || q === "$LATEST") throw E.invalid(latest);
  checkRegion(ctx, v.FunctionName);
  const s = st(ctx);
  const name = parseName(v.FunctionName)[0];
  const f = s.functions.get(name);
  const missing = () => (/^\d+$/.test(q) ? E.notFound(`${fnArn(s, name)}:${q}`) : E.resourceNotFound(`Cannot find alias arn: ${fnArn(s, name)}:${q}`));
  if (!f) throw missing();
  if (!(f.aliases.has(q) || f.versions.some((x) => x.version === q))) throw missing();
  return [f, q];
}

const UNPUBLISHED = "Provisioned Concurrency Configs cannot be applied to unpublished function versions.";
const NOT_PUBLISHED = "The function resource provided must be an alias or a published version.";

function PutProvisionedConcurrencyConfig(ctx: Ctx, v: Input) {
  const [f, q] = pcTarget(ctx, v, UNPUBLISHED);
  const n = Number(v.ProvisionedConcurrentExecutions);
  const alias = f.aliases.get(q);
  if (alias && f.provisioned.has(alias.FunctionVersion))
    throw E.conflict("Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version");
  if (!alias && [...f.aliases.values()].some((a) => a.FunctionVersion === q && f.provisioned.has(a.Name)))
    throw E.conflict("Version is pointed by a Provisioned Concurrency alias");
  // Provisioned concurrency comes out of the function's reserved concurrency: all its configs together must fit.
  const provisionedElsewhere = [...f.provisioned].reduce((sum, [k, p]) => sum + (k !== q ? p.requested : 0), 0);
  if (f.concurrency !== undefined && provisionedElsewhere + n > f.concurrency)
    throw E.invalid(`Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function`);
  // Without reserved concurrency it comes from the account's unreserved pool, which keeps at least 100 (no Type member).
  if (f.concurrency === undefined) {
    const unreserved = 1000 - [...st(ctx).functions.values()].reduce((sum, x) => sum + (x.concurrency ?? 0), 0);
    const limit = (m: string) => new AwsError("InvalidParameterValueException", m, 400, { extra: { Type: undefined } });
    if (n > unreserved) throw limit(`Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [${unreserved}].`);
    if (unreserved - n < 100)
      throw limit("Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].");
  }
  f.provisioned.set(q, { requested: n, lastModified: lambdaDate(ctx.now()) });
  // The answer to the Put is always the allocation starting; Get shows READY once it is done.
  return { ...pcView(ctx, f, q), Status: "IN_PROGRESS", AllocatedProvisionedConcurrentExecutions: 0, AvailableProvisionedConcurrentExecutions: 0 };
}

function GetProvisionedConcurrencyConfig(ctx: Ctx, v: Input) {
  const [f, q] = pcTarget(ctx, v, NOT_PUBLISHED);
  if (!f.provisioned.has(q)) throw pcNotFound();
  return pcView(ctx, f, q);
}

/** Deleting a config that is not there succeeds, as on AWS. */
function DeleteProvisionedConcurrencyConfig(ctx: Ctx, v: Input) {
  const [f, q] = pcTarget(ctx, v, NOT_PUBLISHED);
  f.provisioned.delete(q);
  return noContent();
}

function ListProvisionedConcurrencyConfigs(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  const all = [...f.provisioned.keys()].sort().map((q) => ({ FunctionArn: `${f.arn}:${q}`, ...pcView(ctx, f, q) }));
  const p = pageOf(all, v, (x) => x.FunctionArn, 50, 50);
  return { ProvisionedConcurrencyConfigs: p.items, NextMarker: p.NextMarker };
}

const eicArn = (f: FunctionRec, q: string) => `${f.arn}:${q}`;
const eicNotFound = (arn: string) => E.resourceNotFound(`The function ${arn} doesn't have an EventInvokeConfig`);
/** Put/Update/List of a missing function or qualifier (Get/Delete name the config instead). */
const noFunction = () => new AwsError("ResourceNotFoundException", "The function doesn't exist.", 404, { extra: { Type: "User" } });

function eicView(f: FunctionRec, q: string) {
  const c = f.eventInvokeConfigs.get(q)!;
  return {
    LastModified: c.LastModified,
    FunctionArn: eicArn(f, q),
    MaximumRetryAttempts: c.MaximumRetryAttempts,
    MaximumEventAgeInSeconds: c.MaximumEventAgeInSeconds,
    DestinationConfig: c.DestinationConfig,
  };
}

/** Put/Update: the function and an existing qualifier ($LATEST by default), else "The function doesn't exist." */
function eicTarget(ctx: Ctx, v: Input): [FunctionRec, string] {
  const q = qualifierOf(v) ?? "$LATEST";
  checkRegion(ctx, v.FunctionName);
  let f: FunctionRec;
  try {
    f = getFn(ctx, v.FunctionName);
    checkQualifier(f, q);
  } catch (e) {
    if (e instanceof AwsError && e.code === "ResourceNotFoundException") throw noFunction();
    throw e;
  }
  return [f, q];
}

/** Get/Delete: the stored config of the function and qualifier; a missing function is a missing config. */
function eicStored(ctx: Ctx, v: Input): [FunctionRec, string] {
  const q = qualifierOf(v) ?? "$LATEST";
  checkRegion(ctx, v.FunctionName);
  const s = st(ctx);
  const f = s.functions.get(parseName(v.FunctionName)[0]);
  if (!f?.eventInvokeConfigs.has(q)) throw eicNotFound(`${fnArn(s, parseName(v.FunctionName)[0])}:${q}`);
  return [f, q];
}

const DESTINATION_SERVICES = new Set(["lambda", "sqs", "sns", "events", "s3"]);

/** Destinations must be an existing other function, a queue, a topic, an event bus or a bucket. */
function checkDestinations(ctx: Ctx, f: FunctionRec, d: Input | undefined): void {
  if (!d) return;
  const part = (x: Input | undefined, kind: string) => (x ? `${kind}(destination=${x.Destination ?? "null"})` : "null");
  for (const key of ["OnSuccess", "OnFailure"] as const) {
    const arn = d[key]?.Destination as string | undefined;
    if (!arn) continue;
    const service = arn.split(":")[2] ?? "";
    if (!DESTINATION_SERVICES.has(service))
      throw E.invalid(
        `The provided destination config DestinationConfig(onSuccess=${part(d.OnSuccess, "OnSuccess")}, onFailure=${part(d.OnFailure, "OnFailure")}) is invalid.`,
      );
    if (service !== "lambda") continue;
    const name = /:function:([^:]+)/.exec(arn)?.[1];
    if (name === f.name) throw E.invalid("You can't specify the function as a destination for itself.");
    if (!name || !st(ctx).functions.has(name)) throw E.invalid(`The destination ARN ${arn} is invalid.`);
  }
}

function destinations(v: Input) {
  const d = v.DestinationConfig;
  if (!d) return undefined;
  return { OnSuccess: d.OnSuccess ?? {}, OnFailure: d.OnFailure ?? {} };
}

function PutFunctionEventInvokeConfig(ctx: Ctx, v: Input) {
  if (v.MaximumRetryAttempts === undefined && v.MaximumEventAgeInSeconds === undefined && v.DestinationConfig === undefined)
    throw E.invalid("You must specify at least one of error handling or destination setting.");
  const [f, q] = eicTarget(ctx, v);
  checkDestinations(ctx, f, v.DestinationConfig);
  f.eventInvokeConfigs.set(q, {
    MaximumRetryAttempts: v.MaximumRetryAttempts,
    MaximumEventAgeInSeconds: v.MaximumEventAgeInSeconds,
    DestinationConfig: destinations(v) ?? { OnSuccess: {}, OnFailure: {} },
    LastModified: ctx.now(),
  });
  return eicView(f, q);
}

function UpdateFunctionEventInvokeConfig(ctx: Ctx, v: Input) {
  const [f, q] = eicTarget(ctx, v);
  const c = f.eventInvokeConfigs.get(q);
  if (!c) throw eicNotFound(eicArn(f, q));
  checkDestinations(ctx, f, v.DestinationConfig);
  if (v.MaximumRetryAttempts !== undefined) c.MaximumRetryAttempts = v.MaximumRetryAttempts;
  if (v.MaximumEventAgeInSeconds !== undefined) c.MaximumEventAgeInSeconds = v.MaximumEventAgeInSeconds;
  if (v.DestinationConfig !== undefined) c.DestinationConfig = { ...c.DestinationConfig, ...destinations(v) };
  c.LastModified = ctx.now();
  return eicView(f, q);
}

function GetFunctionEventInvokeConfig(ctx: Ctx, v: Input) {
  const [f, q] = eicStored(ctx, v);
  return eicView(f, q);
}

function DeleteFunctionEventInvokeConfig(ctx: Ctx, v: Input) {
  const [f, q] = eicStored(ctx, v);
  f.eventInvokeConfigs.delete(q);
  return noContent();
}

function ListFunctionEventInvokeConfigs(ctx: Ctx, v: Input) {
  let f: FunctionRec;
  try {
    f = getFn(ctx, v.FunctionName);
  } catch (e) {
    if (e instanceof AwsError && e.code === "ResourceNotFoundException" && e.message.startsWith("Function not found")) throw noFunction();
    throw e;
  }
  const all = [...f.eventInvokeConfigs.keys()].sort().map((q) => eicView(f, q));
  const p = pageOf(all, v, (x) => x.FunctionArn, 50, 50);
  return { FunctionEventInvokeConfigs: p.items, NextMarker: p.NextMarker };
}

const GetFunctionRecursionConfig = (ctx: Ctx, v: Input) => ({ RecursiveLoop: getFn(ctx, v.FunctionName).recursiveLoop });
function PutFunctionRecursionConfig(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  f.recursiveLoop = String(v.RecursiveLoop);
  return { RecursiveLoop: f.recursiveLoop };
}

function rmcTarget(ctx: Ctx, v: Input): [FunctionRec, string] {
  const f = getFn(ctx, v.FunctionName);
  return [f, checkQualifier(f, qualifierOf(v)) ?? "$LATEST"];
}

function GetRuntimeManagementConfig(ctx: Ctx, v: Input) {
  const [f, q] = rmcTarget(ctx, v);
  const c = f.runtimeManagement.get(q) ?? { UpdateRuntimeOn: "Auto" };
  return { UpdateRuntimeOn: c.UpdateRuntimeOn, RuntimeVersionArn: c.RuntimeVersionArn, FunctionArn: q === "$LATEST" ? `${f.arn}:$LATEST` : `${f.arn}:${q}` };
}

function PutRuntimeManagementConfig(ctx: Ctx, v: Input) {
  const [f, q] = rmcTarget(ctx, v);
  f.runtimeManagement.set(q, { UpdateRuntimeOn: String(v.UpdateRuntimeOn), RuntimeVersionArn: v.RuntimeVersionArn });
  return {
    UpdateRuntimeOn: String(v.UpdateRuntimeOn),
    FunctionArn: q === "$LATEST" ? `${f.arn}:$LATEST` : `${f.arn}:${q}`,
    RuntimeVersionArn: v.RuntimeVersionArn,
  };
}

export const configOperations = {
  PutProvisionedConcurrencyConfig,
  GetProvisionedConcurrencyConfig,
  DeleteProvisionedConcurrencyConfig,
  ListProvisionedConcurrencyConfigs,
  PutFunctionEventInvokeConfig,
  UpdateFunctionEventInvokeConfig,
  GetFunctionEventInvokeConfig,
  DeleteFunctionEventInvokeConfig,
  ListFunctionEventInvokeConfigs,
  GetFunctionRecursionConfig,
  PutFunctionRecursionConfig,
  GetRuntimeManagementConfig,
  PutRuntimeManagementConfig,
};
