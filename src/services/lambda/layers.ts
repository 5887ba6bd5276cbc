/** Layers: published versions with their zip content, listing with runtime/architecture filters, and layer version policies. */
import { createHash, randomUUID } from "node:crypto";
import { AwsError } from "../../protocols/aws-error.js";
import type { Ctx } from "../core/types.js";
import { E, checkPolicySize, codeLocation, lambdaDate, noContent, pageOf, policyDocument, st, type Input } from "./common.js";
import { zipFromCode } from "./code.js";
import { readZip } from "./zip.js";
import type { LambdaState, LayerRec, LayerVersionRec } from "./state.js";

const layerArnRe = /^arn:aws[a-zA-Z-]*:lambda:([^:]+):(\d{12}):layer:([a-zA-Z0-9-_]+)(?::(\d+))?$/;

/** LayerName is a name or a layer ARN. */
export function layerNameOf(ref: string): string {
  const m = layerArnRe.exec(String(ref));
  return m ? m[3]! : String(ref);
}

const notFound = () => E.resourceNotFound("The resource you requested does not exist.");

export function findLayerVersion(s: LambdaState, name: string, version: number): { layer: LayerRec; v: LayerVersionRec } | undefined {
  const layer = s.layers.get(name);
  const v = layer?.versions.get(version);
  return layer && v ? { layer, v } : undefined;
}

const tooLow = () => E.invalid("Layer Version Cannot be less than 1");

function getVersion(ctx: Ctx, v: Input) {
  if (Number(v.VersionNumber) < 1) throw tooLow();
  const hit = findLayerVersion(st(ctx), layerNameOf(v.LayerName), Number(v.VersionNumber));
  if (!hit) throw notFound();
  return hit;
}

/** The layer version policy operations name the missing version in their not-found message. */
function policyVersion(ctx: Ctx, v: Input) {
  if (Number(v.VersionNumber) < 1) throw tooLow();
  const s = st(ctx);
  const name = layerNameOf(v.LayerName);
  const hit = findLayerVersion(s, name, Number(v.VersionNumber));
  if (!hit) throw E.resourceNotFound(`Layer version arn:aws:lambda:${s.region}:${s.accountId}:layer:${name}:${Number(v.VersionNumber)} does not exist.`);
  return hit;
}

const layerPreconditionFailed = () =>
  new AwsError(
    "PreconditionFailedException",
    "The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id",
    412,
  );

/** Whether a layer version policy statement lets `account` get the version (a statement with a condition is not matched: awsim has no Organizations). */
const grants = (p: Record<string, unknown>, account: string) => {
  const who = p.Principal as string | { AWS?: string };
  const principal = typeof who === "string" ? who : who?.AWS;
  return (
    !p.Condition &&
    (p.Action === "lambda:GetLayerVersion" || p.Action === "lambda:*") &&
    (principal === "*" || principal === `arn:aws:iam::${account}:root` || principal === account)
  );
};

/** Whether another account's layer version is shared with `account`. */
export const sharedWith = (v: LayerVersionRec, account: string) => v.policy.some((p) => grants(p, account));

/** AWS's answer to using another account's layer version that is not shared with the caller's account. */
export const layerAccessDenied = (ctx: Ctx, arn: string) =>
  new AwsError(
    "AccessDeniedException",
    `User: ${ctx.caller?.arn ?? `arn:aws:iam::${st(ctx).accountId}:root`} is not authorized to perform: lambda:GetLayerVersion on resource: ${arn} because no resource-based policy allows the lambda:GetLayerVersion action`,
    403,
  );

/**
 * A layer version ARN → its record: this account's (null when it does not exist) or, given `others` (every account's
 * Lambda state), another account's (undefined when awsim holds no such version, e.g. AWS's public layers).
 */
export function layerByArn(s: LambdaState, arn: string, others?: readonly LambdaState[]): LayerVersionRec | undefined | null {
  const m = layerArnRe.exec(arn);
  if (!m || m[4] === undefined) return null;
  if (m[1] !== s.region || m[2] !== s.accountId) {
    const owner = others?.find((o) => o.accountId === m[2] && o.region === m[1]);
    return owner ? findLayerVersion(owner, m[3]!, Number(m[4]))?.v : undefined;
  }
  return findLayerVersion(s, m[3]!, Number(m[4]))?.v ?? null;
}

/**
 * The layer version a configured function runs with (and reports the size of): a version deleted after the function
 * was configured with it stays available to that function, as AWS keeps a copy while functions refer to it.
 */
export function layerInUse(s: LambdaState, arn: string, others?: readonly LambdaState[]): LayerVersionRec | undefined {
  const live = layerByArn(s, arn, others);
  if (live) return live;
  const m = layerArnRe.exec(arn);
  if (!m || m[4] === undefined) return undefined;
  const owner = m[1] === s.region && m[2] === s.accountId ? s : others?.find((o) => o.accountId === m[2] && o.region === m[1]);
  return owner?.layers.get(m[3]!)?.retired?.get(Number(m[4]));
}

/** Whether any function (or published version of one) in these states is configured with the layer version `arn`. */
const referenced = (states: readonly LambdaState[], arn: string) =>
  states.some((s) => [...s.functions.values()].some((f) => f.layers.includes(arn) || f.versions.some((x) => x.snapshot.layers.includes(arn))));

/** A layer version as Get/Publish answer it; `s` is the state of the layer's owner (another account's, when shared). */
function full(ctx: Ctx, layer: LayerRec, v: LayerVersionRec, s: LambdaState = st(ctx)) {
  return {
    Content: {
      Location: codeLocation(ctx.sim, s.accountId, s.region, "layer", layer.name, v.version, v.codeSha256),
      CodeSha256: v.codeSha256,
      CodeSize: v.zip.length,
    },
    LayerArn: layer.arn,
    LayerVersionArn: `${layer.arn}:${v.version}`,
    Description: v.description,
    CreatedDate: v.createdDate,
    Version: v.version,
    CompatibleRuntimes: v.compatibleRuntimes,
    LicenseInfo: v.licenseInfo,
    CompatibleArchitectures: v.compatibleArchitectures,
  };
}

const item = (layer: LayerRec, v: LayerVersionRec) => ({
  LayerVersionArn: `${layer.arn}:${v.version}`,
  Version: v.version,
  Description: v.description,
  CreatedDate: v.createdDate,
  CompatibleRuntimes: v.compatibleRuntimes,
  LicenseInfo: v.licenseInfo,
  CompatibleArchitectures: v.compatibleArchitectures,
});

async function PublishLayerVersion(ctx: Ctx, v: Input) {
  const s = st(ctx);
  const name = layerNameOf(v.LayerName);
  const zip = await zipFromCode(ctx, v.Content);
  try {
    readZip(zip);
  } catch {
    throw E.invalid("Could not unzip uploaded file. Please check your file, then try to upload again.");
  }
  let layer = s.layers.get(name);
  if (!layer) {
    layer = { name, arn: `arn:aws:lambda:${s.region}:${s.accountId}:layer:${name}`, nextVersion: 1, versions: new Map() };
    s.layers.set(name, layer);
  }
  const rec: LayerVersionRec = {
    version: layer.nextVersion++,
    zip,
    codeSha256: createHash("sha256").update(zip).digest("base64"),
    description: v.Description ?? "",
    createdDate: lambdaDate(ctx.now()),
    compatibleRuntimes: v.CompatibleRuntimes,
    compatibleArchitectures: v.CompatibleArchitectures,
    licenseInfo: v.LicenseInfo,
    policy: [],
    revisionId: randomUUID(),
  };
  layer.versions.set(rec.version, rec);
  return full(ctx, layer, rec);
}

/**
 * A layer version of another account in this Region: its owner's version when its policy grants this account (or
 * everyone); else AWS's AccessDeniedException, which AWS also answers for a version that does not exist.
 */
async function sharedVersion(ctx: Ctx, account: string, name: string, version: number) {
  const owner = await ctx.stateOf<LambdaState>("lambda", ctx.region, account);
  const hit = findLayerVersion(owner, name, version);
  if (!hit || !sharedWith(hit.v, st(ctx).accountId)) throw layerAccessDenied(ctx, `arn:aws:lambda:${ctx.region}:${account}:layer:${name}:${version}`);
  return full(ctx, hit.layer, hit.v, owner);
}

async function GetLayerVersion(ctx: Ctx, v: Input) {
  const m = layerArnRe.exec(String(v.LayerName));
  if (m && m[2] !== st(ctx).accountId && m[1] === st(ctx).region) {
    if (Number(v.VersionNumber) < 1) throw tooLow();
    return sharedVersion(ctx, m[2]!, m[3]!, Number(v.VersionNumber));
  }
  const { layer, v: rec } = getVersion(ctx, v);
  return full(ctx, layer, rec);
}

function GetLayerVersionByArn(ctx: Ctx, v: Input) {
  const m = layerArnRe.exec(String(v.Arn));
  if (!m || m[4] === undefined)
    throw E.validation(
      `1 validation error detected: Value '${v.Arn}' at 'arn' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)`,
    );
  // Another account's ARN reaches that account's layer (shared with add-layer-version-permission).
  return GetLayerVersion(ctx, { LayerName: m[2] === st(ctx).accountId ? m[3] : v.Arn.replace(/:\d+$/, ""), VersionNumber: m[4] });
}

function DeleteLayerVersion(ctx: Ctx, v: Input) {
  if (Number(v.VersionNumber) < 1) throw tooLow();
  const s = st(ctx);
  const name = layerNameOf(v.LayerName);
  const layer = s.layers.get(name);
  const gone = layer?.versions.get(Number(v.VersionNumber));
  if (layer && gone) {
    layer.versions.delete(gone.version);
    const arn = `${layer.arn}:${gone.version}`;
    if (referenced(ctx.sim.statesOf<LambdaState>("lambda"), arn)) (layer.retired ??= new Map()).set(gone.version, gone);
  }
  return noContent();
}

const matches = (x: LayerVersionRec, v: Input) =>
  (v.CompatibleRuntime === undefined || (x.compatibleRuntimes ?? []).includes(v.CompatibleRuntime)) &&
  (v.CompatibleArchitecture === undefined || (x.compatibleArchitectures ?? []).includes(v.CompatibleArchitecture));

function ListLayerVersions(ctx: Ctx, v: Input) {
  const layer = st(ctx).layers.get(layerNameOf(v.LayerName));
  const all = layer ? [...layer.versions.values()].filter((x) => matches(x, v)).sort((a, b) => b.version - a.version) : [];
  const p = pageOf(all, v, (x) => String(1e12 - x.version).padStart(13, "0"), 50, 50);
  return { LayerVersions: p.items.map((x) => item(layer!, x)), NextMarker: p.NextMarker };
}

function ListLayers(ctx: Ctx, v: Input) {
  const out: Array<{ LayerName: string; LayerArn: string; LatestMatchingVersion: ReturnType<typeof item> }> = [];
  for (const layer of [...st(ctx).layers.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const latest = [...layer.versions.values()].filter((x) => matches(x, v)).sort((a, b) => b.version - a.version)[0];
    if (latest) out.push({ LayerName: layer.name, LayerArn: layer.arn, LatestMatchingVersion: item(layer, latest) });
  }
  const p = pageOf(out, v, (x) => x.LayerName, 50, 50);
  return { Layers: p.items, NextMarker: p.NextMarker };
}

function AddLayerVersionPermission(ctx: Ctx, v: Input) {
  const { layer, v: rec } = policyVersion(ctx, v);
  if (v.RevisionId && v.RevisionId !== rec.revisionId) throw layerPreconditionFailed();
  if (rec.policy.some((p) => p.Sid === v.StatementId))
    throw E.conflict(`The statement id (${v.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
  const principal = String(v.Principal);
  const stmt: Record<string, unknown> = {
    Sid: v.StatementId,
    Effect: "Allow",
    Principal: principal === "*" ? "*" : { AWS: /^\d{12}$/.test(principal) ? `arn:aws:iam::${principal}:root` : principal },
    Action: v.Action,
    Resource: `${layer.arn}:${rec.version}`,
  };
  if (v.OrganizationId) stmt.Condition = { StringEquals: { "aws:PrincipalOrgID": v.OrganizationId } };
  checkPolicySize([...rec.policy, stmt]);
  rec.policy.push(stmt);
  rec.revisionId = randomUUID();
  return { Statement: JSON.stringify(stmt), RevisionId: rec.revisionId };
}

function GetLayerVersionPolicy(ctx: Ctx, v: Input) {
  const { v: rec } = policyVersion(ctx, v);
  if (!rec.policy.length) throw E.resourceNotFound("No policy is associated with the given resource.");
  return { Policy: policyDocument(rec.policy), RevisionId: rec.revisionId };
}

function RemoveLayerVersionPermission(ctx: Ctx, v: Input) {
  const { v: rec } = policyVersion(ctx, v);
  if (v.RevisionId && v.RevisionId !== rec.revisionId) throw layerPreconditionFailed();
  const i = rec.policy.findIndex((p) => p.Sid === v.StatementId);
  if (i < 0) throw E.resourceNotFound(`Statement ${v.StatementId} is not found in resource policy.`);
  rec.policy.splice(i, 1);
  rec.revisionId = randomUUID();
  return noContent();
}

export const layerOperations = {
  PublishLayerVersion,
  GetLayerVersion,
  GetLayerVersionByArn,
  DeleteLayerVersion,
  ListLayerVersions,
  ListLayers,
  AddLayerVersionPermission,
  GetLayerVersionPolicy,
  RemoveLayerVersionPermission,
};
