/**
 * Capacity providers (Lambda Managed Instances) and function scaling configs: stored and described with
 * their states (Pending → Active after --transition-delay). awsim runs no EC2 capacity for them; functions
 * that name one run like any other function.
 */
import type { Ctx } from "../core/types.js";
import { E, checkQualifier, getFn, lambdaDate, pageOf, st, type Input } from "./common.js";
import type { CapacityProviderRec } from "./state.js";

const ARN_RE = /^arn:aws[a-zA-Z-]*:lambda:[^:]+:\d{12}:capacity-provider:([a-zA-Z0-9-_]+)$/;
const nameOf = (ref: string) => ARN_RE.exec(String(ref))?.[1] ?? String(ref);

function getCp(ctx: Ctx, ref: string): CapacityProviderRec {
  const c = st(ctx).capacityProviders.get(nameOf(ref));
  if (!c) throw E.resourceNotFound(`Capacity provider not found: ${nameOf(ref)}`);
  return c;
}

function view(ctx: Ctx, c: CapacityProviderRec, state?: string) {
  const s = state ?? (Date.now() - c.createdAt >= ctx.config.transitionDelayMs ? "Active" : "Pending");
  return { CapacityProviderArn: c.arn, State: s, ...c.config };
}

function usedBy(ctx: Ctx, arn: string): string[] {
  const out: string[] = [];
  for (const f of st(ctx).functions.values()) {
    const uses = (x: { settings: { CapacityProviderConfig?: Record<string, unknown> } }) =>
      (x.settings.CapacityProviderConfig?.LambdaManagedInstancesCapacityProviderConfig as { CapacityProviderArn?: string } | undefined)?.CapacityProviderArn ===
      arn;
    if (uses(f)) out.push(`${f.arn}:$LATEST`);
    for (const v of f.versions) if (uses(v.snapshot)) out.push(`${f.arn}:${v.version}`);
  }
  return out;
}

/**
 * AWS answers a capacity provider's instance requirements and scaling config whether or not the request named them
 * (the Terraform provider's instance_requirements and capacity_provider_scaling_config are Optional+Computed), with the
 * defaults it applies: x86_64 instances ("Default: x86_64", SAM's CapacityProvider InstanceRequirements) and the Auto
 * scaling mode (scaling_mode "Defaults to \"Auto\"" in the Terraform/Pulumi aws provider docs).
 */
const instanceRequirements = (r: Input | undefined) => ({ ...r, Architectures: r?.Architectures ?? ["x86_64"] });
const scalingConfig = (c: Input | undefined) => ({ ...c, ScalingMode: c?.ScalingMode ?? "Auto" });

function CreateCapacityProvider(ctx: Ctx, v: Input) {
  const s = st(ctx);
  const name = String(v.CapacityProviderName);
  if (s.capacityProviders.has(name)) throw E.conflict(`Capacity provider already exists: ${name}`);
  const c: CapacityProviderRec = {
    name,
    arn: `arn:aws:lambda:${s.region}:${s.accountId}:capacity-provider:${name}`,
    config: {
      VpcConfig: v.VpcConfig,
      PermissionsConfig: v.PermissionsConfig,
      InstanceRequirements: instanceRequirements(v.InstanceRequirements),
      CapacityProviderScalingConfig: scalingConfig(v.CapacityProviderScalingConfig),
      KmsKeyArn: v.KmsKeyArn,
      LastModified: lambdaDate(ctx.now()),
    },
    createdAt: Date.now(),
    tags: { ...(v.Tags ?? {}) },
  };
  s.capacityProviders.set(name, c);
  return { CapacityProvider: view(ctx, c, "Pending") };
}

const GetCapacityProvider = (ctx: Ctx, v: Input) => ({ CapacityProvider: view(ctx, getCp(ctx, v.CapacityProviderName)) });

function UpdateCapacityProvider(ctx: Ctx, v: Input) {
  const c = getCp(ctx, v.CapacityProviderName);
  if (v.CapacityProviderScalingConfig !== undefined) c.config.CapacityProviderScalingConfig = scalingConfig(v.CapacityProviderScalingConfig);
  c.config.LastModified = lambdaDate(ctx.now());
  return { CapacityProvider: view(ctx, c) };
}

function DeleteCapacityProvider(ctx: Ctx, v: Input) {
  const c = getCp(ctx, v.CapacityProviderName);
  if (usedBy(ctx, c.arn).length) throw E.conflict(`Capacity provider ${c.name} is in use by one or more function versions.`);
  st(ctx).capacityProviders.delete(c.name);
  return { CapacityProvider: view(ctx, c, "Deleting") };
}

function ListCapacityProviders(ctx: Ctx, v: Input) {
  const all = [...st(ctx).capacityProviders.values()]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((c) => view(ctx, c))
    .filter((c) => v.State === undefined || c.State === v.State);
  const p = pageOf(all, v, (c) => c.CapacityProviderArn, 50, 50);
  return { CapacityProviders: p.items, NextMarker: p.NextMarker };
}

function ListFunctionVersionsByCapacityProvider(ctx: Ctx, v: Input) {
  const c = getCp(ctx, v.CapacityProviderName);
  const p = pageOf(usedBy(ctx, c.arn).sort(), v, (x) => x, 50, 50);
  return { CapacityProviderArn: c.arn, FunctionVersions: p.items.map((FunctionArn) => ({ FunctionArn, State: "Active" })), NextMarker: p.NextMarker };
}

function scalingTarget(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  const q = checkQualifier(f, String(v.Qualifier)) ?? "$LATEST";
  return { f, q };
}

function GetFunctionScalingConfig(ctx: Ctx, v: Input) {
  const { f, q } = scalingTarget(ctx, v);
  const c = f.scaling.get(q);
  return { FunctionArn: `${f.arn}:${q}`, AppliedFunctionScalingConfig: c, RequestedFunctionScalingConfig: c };
}

function PutFunctionScalingConfig(ctx: Ctx, v: Input) {
  const { f, q } = scalingTarget(ctx, v);
  f.scaling.set(q, { ...(v.FunctionScalingConfig ?? {}) });
  return { FunctionState: "Active" };
}

export const capacityProviderOperations = {
  CreateCapacityProvider,
  GetCapacityProvider,
  UpdateCapacityProvider,
  DeleteCapacityProvider,
  ListCapacityProviders,
  ListFunctionVersionsByCapacityProvider,
  GetFunctionScalingConfig,
  PutFunctionScalingConfig,
};
