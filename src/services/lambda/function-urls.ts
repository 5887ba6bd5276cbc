/**
 * Function URL configs (Create/Get/Update/Delete/List). Each URL is served on the awsim port as
 * http://<url-id>.lambda-url.<region>.localhost:<port>/ (see url-server.ts).
 */
import type { Ctx } from "../core/types.js";
import { hex } from "../core/ids.js";
import { E, checkRegion, lambdaDate, noContent, pageOf, parseName, qualifiedArn, qualifierOf, st, type Input } from "./common.js";
import type { FunctionRec, UrlConfigRec } from "./state.js";

/** The URL clients reach: the awsim port under a lambda-url host (resolves to 127.0.0.1 for *.localhost). */
export function functionUrl(ctx: Ctx, u: UrlConfigRec): string {
  const port = new URL(ctx.sim.url()).port;
  return `http://${u.urlId}.lambda-url.${st(ctx).region}.localhost${port ? `:${port}` : ""}/`;
}

const urlNotFound = () => E.resourceNotFound("The resource you requested does not exist.");
const fnMissing = () => E.resourceNotFound("Function does not exist");

/**
 * The function and qualifier ("$LATEST" for none) a URL request names. A version or $LATEST as Qualifier fails
 * the member's pattern first; a missing function or alias is `missing()` (Create/Update/List: "Function does
 * not exist", Get/Delete: "The resource you requested does not exist.").
 */
function urlTarget(ctx: Ctx, v: Input, missing: () => Error): [FunctionRec, string] {
  const bad = (q: string) =>
    E.validation(
      `1 validation error detected: Value '${q}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)`,
    );
  if (v.Qualifier !== undefined && (v.Qualifier === "$LATEST" || /^\d+$/.test(v.Qualifier))) throw bad(v.Qualifier);
  const q = qualifierOf(v);
  checkRegion(ctx, v.FunctionName);
  const f = st(ctx).functions.get(parseName(v.FunctionName)[0]);
  if (!f) throw missing();
  if (q === undefined || q === "$LATEST") return [f, "$LATEST"];
  if (/^\d+$/.test(q)) throw bad(q);
  if (!f.aliases.has(q)) throw missing();
  return [f, q];
}

function view(ctx: Ctx, f: FunctionRec, q: string, u: UrlConfigRec) {
  return {
    FunctionUrl: functionUrl(ctx, u),
    FunctionArn: qualifiedArn(f, q),
    AuthType: u.AuthType,
    Cors: u.Cors,
    CreationTime: u.CreationTime,
    LastModifiedTime: u.LastModifiedTime,
    InvokeMode: u.InvokeMode,
  };
}

function CreateFunctionUrlConfig(ctx: Ctx, v: Input) {
  const [f, q] = urlTarget(ctx, v, fnMissing);
  if (f.urlConfigs.has(q))
    throw E.conflict(
      `Failed to create function url config for [functionArn = ${qualifiedArn(f, q)}]. Error message:  FunctionUrlConfig exists for this Lambda function`,
    );
  const now = lambdaDate(ctx.now());
  const u: UrlConfigRec = {
    urlId: hex(32),
    qualifier: q,
    AuthType: String(v.AuthType),
    Cors: v.Cors,
    InvokeMode: v.InvokeMode ?? "BUFFERED",
    invokeModeSet: v.InvokeMode !== undefined,
    CreationTime: now,
    LastModifiedTime: now,
  };
  f.urlConfigs.set(q, u);
  // AWS's Create answer has no LastModifiedTime, and InvokeMode only once a request has set it.
  const { LastModifiedTime: _l, InvokeMode: mode, ...out } = view(ctx, f, q, u);
  return { ...out, InvokeMode: u.invokeModeSet ? mode : undefined };
}

function GetFunctionUrlConfig(ctx: Ctx, v: Input) {
  const [f, q] = urlTarget(ctx, v, urlNotFound);
  const u = f.urlConfigs.get(q);
  if (!u) throw urlNotFound();
  return view(ctx, f, q, u);
}

function UpdateFunctionUrlConfig(ctx: Ctx, v: Input) {
  const [f, q] = urlTarget(ctx, v, fnMissing);
  const u = f.urlConfigs.get(q);
  if (!u) throw urlNotFound();
  if (v.AuthType !== undefined) u.AuthType = String(v.AuthType);
  if (v.Cors !== undefined) u.Cors = v.Cors;
  if (v.InvokeMode !== undefined) {
    u.InvokeMode = String(v.InvokeMode);
    u.invokeModeSet = true;
  }
  u.LastModifiedTime = lambdaDate(ctx.now());
  const { InvokeMode: mode, ...out } = view(ctx, f, q, u);
  return { ...out, InvokeMode: u.invokeModeSet ? mode : undefined };
}

function DeleteFunctionUrlConfig(ctx: Ctx, v: Input) {
  const [f, q] = urlTarget(ctx, v, urlNotFound);
  if (!f.urlConfigs.delete(q)) throw urlNotFound();
  return noContent();
}

function ListFunctionUrlConfigs(ctx: Ctx, v: Input) {
  checkRegion(ctx, v.FunctionName);
  const f = st(ctx).functions.get(parseName(v.FunctionName)[0]);
  if (!f) throw fnMissing();
  const all = [...f.urlConfigs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([q, u]) => view(ctx, f, q, u));
  const p = pageOf(all, v, (x) => x.FunctionArn, 50, 50);
  return { FunctionUrlConfigs: p.items, NextMarker: p.NextMarker };
}

export const functionUrlOperations = {
  CreateFunctionUrlConfig,
  GetFunctionUrlConfig,
  UpdateFunctionUrlConfig,
  DeleteFunctionUrlConfig,
  ListFunctionUrlConfigs,
};
