/**
 * Code signing configs and their attachment to functions. awsim stores the policy; it verifies no
 * signatures (AWS Signer is not simulated), so deployments are accepted as Warn would accept them.
 */
import { AwsError } from "../../protocols/aws-error.js";
import { hex } from "../core/ids.js";
import type { Ctx } from "../core/types.js";
import { E, getFn, lambdaDate, noContent, pageOf, st, type Input } from "./common.js";
import type { CodeSigningConfigRec } from "./state.js";

const cscArnRe = /^arn:aws[a-zA-Z-]*:lambda:[^:]+:\d{12}:code-signing-config:(csc-[a-z0-9]{17})$/;

function findCsc(ctx: Ctx, arn: string): CodeSigningConfigRec | undefined {
  const id = cscArnRe.exec(String(arn))?.[1];
  const c = id ? st(ctx).codeSigningConfigs.get(id) : undefined;
  return c && c.CodeSigningConfigArn === arn ? c : undefined;
}

/** A code signing config the request names directly (Get/Update/Delete/ListFunctionsBy, tags); AWS's answer has no Type. */
export function getCsc(ctx: Ctx, arn: string): CodeSigningConfigRec {
  const c = findCsc(ctx, arn);
  if (!c)
    throw new AwsError("ResourceNotFoundException", `The Lambda code signing configuration ${arn} can not be found.`, 404, { extra: { Type: undefined } });
  return c;
}

/** A code signing config attached to a function (CreateFunction, PutFunctionCodeSigningConfig). */
function attachableCsc(ctx: Ctx, arn: string): CodeSigningConfigRec {
  const c = findCsc(ctx, arn);
  if (!c)
    throw new AwsError(
      "CodeSigningConfigNotFoundException",
      `The code signing configuration cannot be found. Check that the provided configuration is not deleted: ${arn}.`,
      404,
    );
  return c;
}

const view = (c: CodeSigningConfigRec) => {
  const { tags: _t, ...rest } = c;
  return rest;
};

function CreateCodeSigningConfig(ctx: Ctx, v: Input) {
  const s = st(ctx);
  const id = `csc-${hex(17)}`;
  const c: CodeSigningConfigRec = {
    CodeSigningConfigId: id,
    CodeSigningConfigArn: `arn:aws:lambda:${s.region}:${s.accountId}:code-signing-config:${id}`,
    Description: v.Description ?? "",
    AllowedPublishers: { SigningProfileVersionArns: [...(v.AllowedPublishers?.SigningProfileVersionArns ?? [])] },
    CodeSigningPolicies: { UntrustedArtifactOnDeployment: v.CodeSigningPolicies?.UntrustedArtifactOnDeployment ?? "Warn" },
    LastModified: lambdaDate(ctx.now()),
    tags: { ...(v.Tags ?? {}) },
  };
  s.codeSigningConfigs.set(id, c);
  return { CodeSigningConfig: view(c) };
}

const GetCodeSigningConfig = (ctx: Ctx, v: Input) => ({ CodeSigningConfig: view(getCsc(ctx, v.CodeSigningConfigArn)) });

function UpdateCodeSigningConfig(ctx: Ctx, v: Input) {
  const c = getCsc(ctx, v.CodeSigningConfigArn);
  if (v.Description !== undefined) c.Description = v.Description;
  if (v.AllowedPublishers !== undefined) c.AllowedPublishers = { SigningProfileVersionArns: [...(v.AllowedPublishers.SigningProfileVersionArns ?? [])] };
  if (v.CodeSigningPolicies?.UntrustedArtifactOnDeployment !== undefined)
    c.CodeSigningPolicies = { UntrustedArtifactOnDeployment: v.CodeSigningPolicies.UntrustedArtifactOnDeployment };
  c.LastModified = lambdaDate(ctx.now());
  return { CodeSigningConfig: view(c) };
}

function DeleteCodeSigningConfig(ctx: Ctx, v: Input) {
  const c = getCsc(ctx, v.CodeSigningConfigArn);
  const s = st(ctx);
  if ([...s.functions.values()].some((f) => f.codeSigningConfigArn === c.CodeSigningConfigArn))
    throw E.conflict(`The code signing configuration cannot be deleted because it is used by one or more functions.`);
  s.codeSigningConfigs.delete(c.CodeSigningConfigId);
  return noContent();
}

function ListCodeSigningConfigs(ctx: Ctx, v: Input) {
  const all = [...st(ctx).codeSigningConfigs.values()].sort((a, b) => (a.CodeSigningConfigId < b.CodeSigningConfigId ? -1 : 1));
  const p = pageOf(all, v, (c) => c.CodeSigningConfigId);
  return { CodeSigningConfigs: p.items.map(view), NextMarker: p.NextMarker };
}

function ListFunctionsByCodeSigningConfig(ctx: Ctx, v: Input) {
  const c = getCsc(ctx, v.CodeSigningConfigArn);
  const fns = [...st(ctx).functions.values()].filter((f) => f.codeSigningConfigArn === c.CodeSigningConfigArn).sort((a, b) => (a.name < b.name ? -1 : 1));
  const p = pageOf(fns, v, (f) => f.name);
  return { FunctionArns: p.items.map((f) => f.arn), NextMarker: p.NextMarker };
}

const imageUnsupported = () => E.invalid("Code signing is not supported for functions created with container images.");

/** Attach a code signing config while creating a function (CreateFunction's CodeSigningConfigArn). */
export function checkCscArn(ctx: Ctx, arn: string | undefined, packageType: string): string | undefined {
  if (arn === undefined || arn === "") return undefined;
  if (packageType === "Image") throw imageUnsupported();
  return attachableCsc(ctx, arn).CodeSigningConfigArn;
}

function PutFunctionCodeSigningConfig(ctx: Ctx, v: Input) {
  const c = attachableCsc(ctx, v.CodeSigningConfigArn);
  const f = getFn(ctx, v.FunctionName);
  if (f.packageType === "Image") throw imageUnsupported();
  f.codeSigningConfigArn = c.CodeSigningConfigArn;
  return { CodeSigningConfigArn: f.codeSigningConfigArn, FunctionName: f.name };
}

function GetFunctionCodeSigningConfig(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  if (f.packageType === "Image") throw imageUnsupported();
  // Without a config AWS answers an empty document (recorded against AWS).
  return f.codeSigningConfigArn ? { CodeSigningConfigArn: f.codeSigningConfigArn, FunctionName: f.name } : {};
}

function DeleteFunctionCodeSigningConfig(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  if (f.packageType === "Image") throw imageUnsupported();
  f.codeSigningConfigArn = undefined;
  return noContent();
}

export const codeSigningOperations = {
  CreateCodeSigningConfig,
  GetCodeSigningConfig,
  UpdateCodeSigningConfig,
  DeleteCodeSigningConfig,
  ListCodeSigningConfigs,
  ListFunctionsByCodeSigningConfig,
  PutFunctionCodeSigningConfig,
  GetFunctionCodeSigningConfig,
  DeleteFunctionCodeSigningConfig,
};
