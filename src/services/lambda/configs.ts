/** Per-function configs: provisioned concurrency, asynchronous invocation (event invoke) config, recursion and runtime management. */
import { AwsError } from "../../protocols/aws-error.js";
import type { Ctx } from "../core/types.js";
import { E, checkQualifier, getFn, lambdaDate, noContent, pageOf, qualifierOf, type Input } from "./common.js";
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
    LastModified: c.lastModified,
  };
}

function pcQualifier(f: FunctionRec, v: Input): string {
  const q = qualifierOf(v);
  if (q === undefined || q === "$LATEST") throw E.invalid("Provisioned Concurrency Configs cannot be applied to unpublished function versions.");
  return checkQualifier(f, q)!;
}

function PutProvisionedConcurrencyConfig(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  const q = pcQualifier(f, v);
  const n = Number(v.ProvisionedConcurrentExecutions);
  if (f.concurrency !== undefined && n > f.concurrency)
    throw E.invalid(`Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function`);
  f.provisioned.set(q, { requested: n, lastModified: lambdaDate(ctx.now()) });
  const out = pcView(ctx, f, q);
  return { ...out, Status: ctx.config.transitionDelayMs > 0 ? "IN_PROGRESS" : out.Status };
}

function GetProvisionedConcurrencyConfig(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  const q = pcQualifier(f, v);
  if (!f.provisioned.has(q)) throw pcNotFound();
  return pcView(ctx, f, q);
}

function DeleteProvisionedConcurrencyConfig(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  const q = pcQualifier(f, v);
  if (!f.provisioned.delete(q)) throw pcNotFound();
  return noContent();
}

function ListProvisionedConcurrencyConfigs(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  const all = [...f.provisioned.keys()].sort().map((q) => ({ FunctionArn: `${f.arn}:${q}`, ...pcView(ctx, f, q) }));
  const p = pageOf(all, v, (x) => x.FunctionArn, 50, 50);
  return { ProvisionedConcurrencyConfigs: p.items, NextMarker: p.NextMarker };
}

const eicArn = (f: FunctionRec, q: string) => `${f.arn}:${q}`;
const eicNotFound = (f: FunctionRec, q: string) => E.resourceNotFound(`The function ${eicArn(f, q)} doesn't have an EventInvokeConfig`);

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

function eicTarget(ctx: Ctx, v: Input): [FunctionRec, string] {
  const f = getFn(ctx, v.FunctionName);
  return [f, checkQualifier(f, qualifierOf(v)) ?? "$LATEST"];
}

function destinations(v: Input) {
  const d = v.DestinationConfig;
  if (!d) return undefined;
  return { OnSuccess: d.OnSuccess ?? {}, OnFailure: d.OnFailure ?? {} };
}

function PutFunctionEventInvokeConfig(ctx: Ctx, v: Input) {
  const [f, q] = eicTarget(ctx, v);
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
  const c = f.eventInvokeConfigs.get(q) ?? { DestinationConfig: { OnSuccess: {}, OnFailure: {} }, LastModified: ctx.now() };
  if (v.MaximumRetryAttempts !== undefined) c.MaximumRetryAttempts = v.MaximumRetryAttempts;
  if (v.MaximumEventAgeInSeconds !== undefined) c.MaximumEventAgeInSeconds = v.MaximumEventAgeInSeconds;
  if (v.DestinationConfig !== undefined) c.DestinationConfig = { ...c.DestinationConfig, ...destinations(v) };
  c.LastModified = ctx.now();
  f.eventInvokeConfigs.set(q, c);
  return eicView(f, q);
}

function GetFunctionEventInvokeConfig(ctx: Ctx, v: Input) {
  const [f, q] = eicTarget(ctx, v);
  if (!f.eventInvokeConfigs.has(q)) throw eicNotFound(f, q);
  return eicView(f, q);
}

function DeleteFunctionEventInvokeConfig(ctx: Ctx, v: Input) {
  const [f, q] = eicTarget(ctx, v);
  if (!f.eventInvokeConfigs.delete(q)) throw eicNotFound(f, q);
  return noContent();
}

function ListFunctionEventInvokeConfigs(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
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
