/**
 * Lambda (REST-JSON, 2015-03-31): functions (Zip and Image), configuration and code updates, versions,
 * aliases (with routing weights), permissions, tags, concurrency, account settings, code signing configs,
 * layers, event source mappings (stored; no poller: awsim simulates no SQS/Kinesis/DynamoDB/Kafka/MQ),
 * function URLs (served on the awsim port), provisioned concurrency, event invoke, recursion and runtime
 * management configs, capacity providers and function scaling configs (stored; no managed capacity runs),
 * and Invoke/InvokeAsync/InvokeWithResponseStream (invoke.ts). In --execute mode a function runs in
 * warm-reusable instances speaking the Lambda Runtime API (instances.ts). Functions with a DurableConfig start
 * durable executions driven by the checkpoint API (durable.ts).
 * Gaps: code signatures are not verified.
 */
import { createHash, randomUUID } from "node:crypto";
import { AwsError } from "../../protocols/aws-error.js";
import type { Ctx, ServiceDefinition } from "../core/types.js";
import { capacityProviderOperations } from "./capacity-providers.js";
import { checkCscArn, codeSigningOperations, getCsc } from "./code-signing.js";
import { codeOf } from "./code.js";
import { checkExecutionRole } from "./credentials.js";
import {
  E,
  checkNotUpdating,
  lifecycle,
  codeLocation,
  checkRegion,
  loggingConfig,
  fnArn,
  getFn,
  lambdaDate,
  noContent,
  pageOf,
  parseName,
  parseRef,
  qualifierOf,
  runtimeVersionArn,
  st,
  type Input,
  type LambdaRuntimeState,
  checkPolicySize,
  policyDocument,
} from "./common.js";
import { configOperations } from "./configs.js";
import { eventSourceMappingOperations } from "./event-source-mappings.js";
import { functionUrlOperations } from "./function-urls.js";
import { invokeOperations } from "./invoke.js";
import { crossAccount } from "./cross-account.js";
import { layerAccessDenied, layerByArn, layerInUse, layerOperations, sharedWith } from "./layers.js";
import type { FunctionRec, LambdaState } from "./state.js";

function config(ctx: Ctx, f: FunctionRec, version = "$LATEST") {
  const s = st(ctx);
  return {
    FunctionName: f.name,
    FunctionArn: version === "$LATEST" ? f.arn : `${f.arn}:${version}`,
    Runtime: f.packageType === "Zip" ? f.runtime : undefined,
    Role: f.role,
    Handler: f.packageType === "Zip" ? f.handler : undefined,
    CodeSize: f.codeSize,
    Description: f.description,
    Timeout: f.timeout,
    MemorySize: f.memorySize,
    LastModified: f.lastModified,
    CodeSha256: f.codeSha256,
    Version: version,
    Environment: f.environmentSet || Object.keys(f.environment).length ? { Variables: f.environment } : undefined,
    TracingConfig: { Mode: f.settings.TracingConfig?.Mode ?? "PassThrough" },
    VpcConfig: f.settings.VpcConfig
      ? {
          SubnetIds: f.settings.VpcConfig.SubnetIds ?? [],
          SecurityGroupIds: f.settings.VpcConfig.SecurityGroupIds ?? [],
          VpcId: f.settings.vpcId ?? "",
          Ipv6AllowedForDualStack: f.settings.VpcConfig.Ipv6AllowedForDualStack ?? false,
        }
      : undefined,
    DeadLetterConfig: f.settings.DeadLetterConfig?.TargetArn ? f.settings.DeadLetterConfig : undefined,
    KMSKeyArn: f.settings.KMSKeyArn || undefined,
    FileSystemConfigs: f.settings.FileSystemConfigs?.length ? f.settings.FileSystemConfigs : undefined,
    CapacityProviderConfig: f.settings.CapacityProviderConfig,
    DurableConfig: f.settings.DurableConfig,
    TenancyConfig: f.settings.TenancyConfig,
    RevisionId: f.revisionId,
    ...stateOf(ctx, f, version),
    RuntimeVersionConfig: f.packageType === "Zip" && f.runtime ? { RuntimeVersionArn: runtimeVersionArn(s.region, f.runtime, f.architectures[0]) } : undefined,
    PackageType: f.packageType,
    ImageConfigResponse: f.imageConfig ? { ImageConfig: f.imageConfig } : undefined,
    Architectures: f.architectures,
    EphemeralStorage: { Size: f.ephemeralStorage },
    SnapStart: {
      ApplyOn: f.settings.SnapStart?.ApplyOn ?? "None",
      OptimizationStatus: version !== "$LATEST" && f.settings.SnapStart?.ApplyOn === "PublishedVersions" ? "On" : "Off",
    },
    LoggingConfig: loggingConfig(f),
    Layers: f.layers.length
      ? f.layers.map((Arn) => ({ Arn, CodeSize: layerInUse(s, Arn, ctx.sim.statesOf<LambdaState>("lambda"))?.zip.length ?? 0 }))
      : undefined,
  };
}

const SETTINGS = [
  "VpcConfig",
  "DeadLetterConfig",
  "KMSKeyArn",
  "TracingConfig",
  "FileSystemConfigs",
  "SnapStart",
  "LoggingConfig",
  "CapacityProviderConfig",
  "DurableConfig",
  "TenancyConfig",
] as const;

/** A VPC configuration names subnets and security groups together, or neither. */
function checkVpc(vpc: Input | undefined): void {
  if (vpc && !vpc.SubnetIds?.length !== !vpc.SecurityGroupIds?.length) throw E.invalid("SubnetIds and SecurityIds must coexist or be both empty list.");
}

/**
 * An update's VpcConfig that leaves out SubnetIds or SecurityGroupIds keeps the function's current ones (the
 * Terraform provider swaps a VPC function's security groups before deleting it with SecurityGroupIds alone, which
 * AWS accepts: acceptance test TestAccLambdaFunction_VPC_replaceSGWithCustom); empty lists still detach.
 */
function withCurrentVpc(given: Input | undefined, current: Input | undefined): Input | undefined {
  if (!given || !current || (given.SubnetIds !== undefined && given.SecurityGroupIds !== undefined)) return given;
  return {
    ...given,
    SubnetIds: given.SubnetIds ?? current.SubnetIds,
    SecurityGroupIds: given.SecurityGroupIds ?? current.SecurityGroupIds,
    Ipv6AllowedForDualStack: given.Ipv6AllowedForDualStack ?? current.Ipv6AllowedForDualStack,
  };
}

/** Apply the stored-as-given configuration members of CreateFunction/UpdateFunctionConfiguration. */
async function applySettings(ctx: Ctx, f: FunctionRec, v: Input, update = false): Promise<void> {
  const logging = f.settings.LoggingConfig;
  for (const k of SETTINGS) if (v[k] !== undefined) (f.settings as Record<string, unknown>)[k] = v[k];
  // An update's LoggingConfig changes only the members it names (a LogGroup alone keeps the JSON format and its
  // levels); back to Text, the levels go (recorded against AWS: TestLoggingConfig).
  if (update && v.LoggingConfig !== undefined) {
    const merged = { ...logging, ...v.LoggingConfig };
    if (v.LoggingConfig.LogFormat === "Text") {
      delete merged.ApplicationLogLevel;
      delete merged.SystemLogLevel;
    }
    f.settings.LoggingConfig = merged;
  }
  if (v.VpcConfig !== undefined) {
    const subnet = v.VpcConfig?.SubnetIds?.[0];
    f.settings.vpcId = undefined;
    if (subnet) {
      const ec2 = await ctx.stateOf<{ subnets?: Map<string, { vpcId: string }> }>("ec2").catch(() => undefined);
      f.settings.vpcId = ec2?.subnets?.get(subnet)?.vpcId;
    }
    // An update without subnets detaches the VPC; AWS then answers an empty VpcConfig (VpcId "").
    if (!v.VpcConfig?.SubnetIds?.length) f.settings.VpcConfig = update ? { SubnetIds: [], SecurityGroupIds: [] } : undefined;
  }
}

/** State and LastUpdateStatus (a published version is Active); a Pending function has no LastUpdateStatus yet. */
function stateOf(ctx: Ctx, f: FunctionRec, version: string) {
  const l = version === "$LATEST" ? lifecycle(ctx, f) : { pending: false, updating: false };
  if (l.pending) return { State: "Pending", StateReason: "The function is being created.", StateReasonCode: "Creating" };
  // AWS's reason for an update in progress is, verbatim, the one it gives for a creation.
  return l.updating
    ? { State: "Active", LastUpdateStatus: "InProgress", LastUpdateStatusReason: "The function is being created.", LastUpdateStatusReasonCode: "Creating" }
    : { State: "Active", LastUpdateStatus: "Successful" };
}

/** ListFunctions and ListVersionsByFunction answer a subset of the configuration: no state, no runtime version. */
function listed(c: Record<string, unknown>) {
  const {
    State: _s,
    StateReason: _sr,
    StateReasonCode: _src,
    LastUpdateStatus: _l,
    LastUpdateStatusReason: _lr,
    LastUpdateStatusReasonCode: _lrc,
    RuntimeVersionConfig: _r,
    ...rest
  } = c;
  return rest;
}

/** Variables Lambda sets itself; a function's Environment may not name them. */
const RESERVED_ENV = new Set([
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "AWS_DEFAULT_REGION",
  "AWS_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
]);

function checkEnvironment(env: Input | undefined): Record<string, string> {
  const vars = (env?.Variables ?? {}) as Record<string, string>;
  const reserved = Object.keys(vars).filter((k) => RESERVED_ENV.has(k));
  if (reserved.length)
    throw E.invalid(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(", ")}`,
    );
  // All variables together, as JSON, may take 4 KB.
  const measured = JSON.stringify(vars);
  if (Buffer.byteLength(measured) > 4096)
    throw E.invalid(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`,
    );
  return { ...vars };
}

/** Layer ARNs of this account and region must name existing versions. */
function checkLayers(ctx: Ctx, layers: unknown): string[] {
  const list = Array.isArray(layers) ? layers.map(String) : [];
  if (list.length > 5) throw E.invalid("Cannot reference more than 5 layers.");
  const s = st(ctx);
  if (list.some((arn) => arn.split(":")[3] !== s.region))
    throw E.invalid(`Layers are not in the same region as the function. Layers are expected to be in region ${s.region}.`);
  const seen = new Map<string, string>();
  for (const arn of list) {
    const layer = arn.replace(/:\d+$/, "");
    const other = seen.get(layer);
    if (other !== undefined)
      throw E.invalid(
        `Two different versions of the same layer are not allowed to be referenced in the same function. ${other} and ${arn} are versions of the same layer.`,
      );
    seen.set(layer, arn);
  }
  const others = ctx.sim.statesOf<LambdaState>("lambda");
  for (const arn of list) {
    const rec = layerByArn(s, arn, others);
    if (rec === null) throw E.invalid(`Layer version ${arn} does not exist.`);
    // Another account's version awsim holds must be shared with this account (AWS's public layers pass unchecked).
    if (rec && arn.split(":")[4] !== s.accountId && !sharedWith(rec, s.accountId)) throw layerAccessDenied(ctx, arn);
  }
  return list;
}

/**
 * CreateFunction takes a name, an ARN or a partial ARN (the ARN of another Region is not reachable, of another
 * account denied); the name is at most 64 characters (AWS answers that one as InvalidParameterValueException).
 */
function newFunctionName(ctx: Ctx, ref: string): string {
  const s = st(ctx);
  const r = parseRef(ref);
  checkRegion(ctx, ref);
  if (r.account !== undefined && r.account !== s.accountId)
    throw new AwsError("AccessDeniedException", "", 403, { extra: { Type: undefined, message: undefined, Message: undefined } });
  if (r.qualifier !== undefined || !/^[a-zA-Z0-9-_]+$/.test(r.name))
    throw E.validation(
      `1 validation error detected: Value '${ref}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+`,
    );
  if (r.name.length > 64)
    throw E.invalid(
      `1 validation error detected: Value '${r.name}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
  return r.name;
}

/**
 * Runtimes past their block-function-create date, with the runtime AWS recommends instead (recorded against AWS:
 * TestRuntimeValidation, python3.7, java8, go1.x, provided, ruby2.7, nodejs14.x, nodejs12.x and dotnetcore3.1; the
 * older members of each family in the model's enum alike). The model still lists them, so the enum check lets them through.
 */
const DEPRECATED_RUNTIMES: Record<string, string> = {
  ...Object.fromEntries(["python2.7", "python3.6", "python3.7"].map((r) => [r, "python3.12"])),
  ...Object.fromEntries(["nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs14.x"].map((r) => [r, "nodejs20.x"])),
  "nodejs12.x": "nodejs18.x",
  ...Object.fromEntries(["go1.x", "provided"].map((r) => [r, "provided.al2023"])),
  ...Object.fromEntries(["ruby2.5", "ruby2.7"].map((r) => [r, "ruby3.2"])),
  java8: "java21",
  ...Object.fromEntries(["dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1"].map((r) => [r, "dotnet6"])),
};

function checkRuntimeSupported(runtime: string | undefined) {
  const next = runtime === undefined ? undefined : DEPRECATED_RUNTIMES[runtime];
  if (next)
    throw E.invalid(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (${next}) while creating or updating functions.`,
    );
}

/** SnapStart runs Java 11+, Python 3.12+ and .NET 8+ functions. */
function checkSnapStart(snap: Input | undefined, runtime: string | undefined) {
  if (snap?.ApplyOn !== "PublishedVersions" || !runtime) return;
  if (!/^(java(1[1-9]|[2-9]\d)|python3\.(1[2-9])|dotnet([89]|\d\d))$/.test(runtime))
    throw E.invalid(`${runtime} is not supported for SnapStart enabled functions.`);
}

/** Lambda's service limits beyond the model's constraints (which the model validator already applied). */
function validateCommon(v: Input) {
  const errs: string[] = [];
  if (v.Timeout !== undefined && (v.Timeout < 1 || v.Timeout > 900))
    errs.push(
      `Value '${v.Timeout}' at 'timeout' failed to satisfy constraint: Member must have value ${v.Timeout < 1 ? "greater than or equal to 1" : "less than or equal to 900"}`,
    );
  if (v.MemorySize !== undefined && (v.MemorySize < 128 || v.MemorySize > 10240))
    errs.push(
      `Value '${v.MemorySize}' at 'memorySize' failed to satisfy constraint: Member must have value ${v.MemorySize < 128 ? "greater than or equal to 128" : "less than or equal to 10240"}`,
    );
  if (errs.length) throw E.validation(`${errs.length} validation error${errs.length > 1 ? "s" : ""} detected: ${errs.join("; ")}`);
}

async function CreateFunction(ctx: Ctx, v: Input) {
  const s = st(ctx);
  const name = newFunctionName(ctx, String(v.FunctionName ?? ""));
  validateCommon(v);
  checkRuntimeSupported(v.Runtime);
  checkSnapStart(v.SnapStart, v.Runtime);
  const packageType = v.PackageType === "Image" ? "Image" : "Zip";
  if (packageType === "Zip" && (!v.Runtime || !v.Handler))
    throw E.invalid("Runtime and Handler are mandatory parameters for functions created with deployment packages.");
  if (packageType === "Image" && (v.Runtime !== undefined || v.Handler !== undefined || v.Layers?.length))
    throw E.invalid("Please don't provide Handler or Runtime or Layer when the intended function PackageType is Image.");
  if (s.functions.has(name)) throw E.conflict(`Function already exist: ${name}`);
  await checkExecutionRole(ctx, String(v.Role));
  checkVpc(v.VpcConfig);
  const layers = checkLayers(ctx, v.Layers);
  const codeSigningConfigArn = checkCscArn(ctx, v.CodeSigningConfigArn, packageType);
  const code = await codeOf(ctx, v.Code, packageType);
  // An image function reports no code size (its image is not a deployment package).
  const bytes = code.zip ?? Buffer.alloc(0);
  const f: FunctionRec = {
    name,
    arn: fnArn(s, name),
    runtime: v.Runtime,
    role: String(v.Role),
    handler: v.Handler,
    description: String(v.Description ?? ""),
    timeout: v.Timeout ?? 3,
    memorySize: v.MemorySize ?? 128,
    packageType,
    zip: code.zip,
    imageUri: code.imageUri,
    resolvedImageUri: code.resolvedImageUri,
    imageConfig: v.ImageConfig,
    environment: checkEnvironment(v.Environment),
    environmentSet: v.Environment?.Variables !== undefined,
    architectures: v.Architectures ?? ["x86_64"],
    codeSha256: code.digest ?? createHash("sha256").update(bytes).digest("base64"),
    codeSize: bytes.length,
    sourceKmsKeyArn: packageType === "Zip" && typeof v.Code?.SourceKMSKeyArn === "string" ? v.Code.SourceKMSKeyArn : undefined,
    lastModified: lambdaDate(ctx.now()),
    createdAtMs: Date.now(),
    revisionId: randomUUID(),
    tags: { ...(v.Tags ?? {}) },
    versions: [],
    nextVersion: 1,
    aliases: new Map(),
    policy: [],
    layers,
    ephemeralStorage: v.EphemeralStorage?.Size ?? 512,
    codeSigningConfigArn,
    recursiveLoop: "Terminate",
    urlConfigs: new Map(),
    eventInvokeConfigs: new Map(),
    provisioned: new Map(),
    runtimeManagement: new Map(),
    settings: {},
    scaling: new Map(),
  };
  await applySettings(ctx, f, v);
  s.functions.set(name, f);
  // With Publish the answer is version 1's configuration under the function's unqualified ARN and with the revision
  // the function had before publishing (UpdateFunctionCode's answer is the version's own), as recorded against AWS.
  if (v.Publish) {
    const revision = f.revisionId;
    return { ...publish(ctx, f).cfg, FunctionArn: f.arn, RevisionId: revision };
  }
  return config(ctx, f);
}

/**
 * Publish $LATEST as a new version, unless neither its code nor its configuration changed since the last one.
 * The version has a revision of its own, and publishing changes $LATEST's revision too (as on AWS).
 */
function publish(ctx: Ctx, f: FunctionRec, description?: string) {
  const last = f.versions[f.versions.length - 1];
  if (last && last.snapshot.codeSha256 === f.codeSha256 && (last.snapshot.updateSerial ?? 0) === (f.updateSerial ?? 0))
    return { version: last.version, cfg: last.config };
  const version = String(f.nextVersion++);
  const snapshot: FunctionRec = { ...f, environment: { ...f.environment }, layers: [...f.layers], settings: { ...f.settings }, scaling: new Map() };
  const cfg = { ...config(ctx, f, version), Description: description ?? f.description, RevisionId: randomUUID() };
  const l = lifecycle(ctx, f);
  const entry = { version, config: cfg, snapshot, pendingSinceMs: l.pending || l.updating ? Date.now() : undefined };
  f.versions.push(entry);
  f.revisionId = randomUUID();
  return { version, cfg: versionView(ctx, entry) };
}

/**
 * A version published while $LATEST was still being created or updated (CreateFunction or UpdateFunctionCode with
 * Publish) is Pending, with no LastUpdateStatus, until that is done (recorded against AWS: test_publish_with_update,
 * test_publish_version_on_create); under --transition-delay 0 it is Active at once.
 */
function versionView(ctx: Ctx, e: FunctionRec["versions"][number]): Record<string, unknown> {
  if (e.pendingSinceMs === undefined || Date.now() - e.pendingSinceMs >= ctx.config.transitionDelayMs) return e.config;
  const { LastUpdateStatus: _l, ...rest } = e.config;
  return { ...rest, State: "Pending", StateReason: "The function is being created.", StateReasonCode: "Creating" };
}

function GetFunction(ctx: Ctx, v: Input) {
  const q = qualifierOf(v);
  const f = getFn(ctx, v.FunctionName, q);
  const cfg = versionConfig(ctx, f, q);
  const s = st(ctx);
  // A published version keeps the image it was published with.
  const img = f.versions.find((x) => x.version === cfg.Version)?.snapshot ?? f;
  return {
    Configuration: cfg,
    Code:
      f.packageType === "Image"
        ? { RepositoryType: "ECR", ImageUri: img.imageUri, ResolvedImageUri: img.resolvedImageUri ?? img.imageUri }
        : {
            RepositoryType: "S3",
            Location: codeLocation(ctx.sim, s.accountId, s.region, "function", f.name, String(cfg.Version ?? "$LATEST"), String(cfg.CodeSha256)),
            SourceKMSKeyArn: img.sourceKmsKeyArn,
          },
    Tags: Object.keys(f.tags).length ? f.tags : undefined,
    Concurrency: f.concurrency !== undefined ? { ReservedConcurrentExecutions: f.concurrency } : undefined,
  };
}

/** The configuration a qualifier names; FunctionArn is qualified as asked ($LATEST or the alias's ARN). */
function versionConfig(ctx: Ctx, f: FunctionRec, q: string | undefined) {
  if (!q) return config(ctx, f);
  if (q === "$LATEST") return latestQualified(ctx, f);
  const alias = f.aliases.get(q);
  const ver = f.versions.find((x) => x.version === (alias ? alias.FunctionVersion : q));
  if (alias?.FunctionVersion === "$LATEST") return { ...config(ctx, f), FunctionArn: `${f.arn}:${q}` };
  if (!ver) throw E.notFound(`${f.arn}:${q}`);
  return alias ? { ...versionView(ctx, ver), FunctionArn: `${f.arn}:${q}` } : versionView(ctx, ver);
}

/** $LATEST as a listed version or an explicit qualifier: its FunctionArn ends in :$LATEST. */
const latestQualified = (ctx: Ctx, f: FunctionRec) => ({ ...config(ctx, f), FunctionArn: `${f.arn}:$LATEST` });

function GetFunctionConfiguration(ctx: Ctx, v: Input) {
  const q = qualifierOf(v);
  return versionConfig(ctx, getFn(ctx, v.FunctionName, q), q);
}

function ListFunctions(ctx: Ctx, v: Input) {
  // MasterRegion lists Lambda@Edge replicas of functions whose master is in that Region, and needs FunctionVersion
  // ALL (AWS's message names it MasterArn). awsim replicates no function, so the list is empty.
  if (v.MasterRegion !== undefined) {
    if (v.FunctionVersion !== "ALL")
      throw E.invalid(
        `The combination MasterArn=${v.MasterRegion} and FunctionVersion=${v.FunctionVersion ?? "NULL"} is not supported. Please see our documentation for valid combinations of ListFunctions options.`,
      );
    pageOf([] as Input[], v, () => "", 50, 10000);
    return { Functions: [] };
  }
  const fns = [...st(ctx).functions.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  const all = v.FunctionVersion === "ALL" ? fns.flatMap((f) => [latestQualified(ctx, f), ...f.versions.map((x) => x.config)]) : fns.map((f) => config(ctx, f));
  const p = pageOf(all, v, (c) => `${c.FunctionName}\u0000${String(c.Version).padStart(12, "0")}`, 50, 10000, 50);
  return { Functions: p.items.map(listed), NextMarker: p.NextMarker };
}

async function UpdateFunctionConfiguration(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  validateCommon(v);
  if (v.RevisionId && v.RevisionId !== f.revisionId) throw E.preconditionFailed();
  checkRuntimeSupported(v.Runtime);
  if (v.SnapStart !== undefined || v.Runtime !== undefined) checkSnapStart(v.SnapStart ?? f.settings.SnapStart, v.Runtime ?? f.runtime);
  checkNotUpdating(ctx, f);
  if (f.packageType === "Image" && v.Layers?.length) throw E.invalid("Lambda layers are not supported for functions created with container images.");
  v.VpcConfig = withCurrentVpc(v.VpcConfig, f.settings.VpcConfig);
  checkVpc(v.VpcConfig);
  const layers = v.Layers !== undefined ? checkLayers(ctx, v.Layers) : undefined;
  const environment = v.Environment !== undefined ? checkEnvironment(v.Environment) : undefined;
  if (v.Role !== undefined) await checkExecutionRole(ctx, v.Role);
  if (v.Role !== undefined) f.role = v.Role;
  if (v.Handler !== undefined) f.handler = v.Handler;
  if (v.Runtime !== undefined) f.runtime = v.Runtime;
  if (v.Description !== undefined) f.description = v.Description;
  if (v.Timeout !== undefined) f.timeout = v.Timeout;
  if (v.MemorySize !== undefined) f.memorySize = v.MemorySize;
  // An empty ImageConfig clears the image's overrides: AWS then answers no ImageConfigResponse at all.
  if (v.ImageConfig !== undefined) f.imageConfig = Object.keys(v.ImageConfig).length > 0 ? v.ImageConfig : undefined;
  if (v.EphemeralStorage?.Size !== undefined) f.ephemeralStorage = v.EphemeralStorage.Size;
  if (layers !== undefined) f.layers = layers;
  if (environment !== undefined) f.environment = environment;
  // An update to no variables removes the environment: GetFunction then answers none (the Terraform provider's
  // TestAccLambdaFunction_envVariables reads environment.# 0 after sending Environment {Variables: {}}).
  if (v.Environment?.Variables !== undefined) f.environmentSet = Object.keys(v.Environment.Variables).length > 0;
  await applySettings(ctx, f, v, true);
  f.lastModified = lambdaDate(ctx.now());
  f.updatedAtMs = Date.now();
  f.updateSerial = (f.updateSerial ?? 0) + 1;
  f.revisionId = randomUUID();
  st(ctx).instances?.retire(f.name, "$LATEST");
  return config(ctx, f);
}

async function UpdateFunctionCode(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  if (v.RevisionId && v.RevisionId !== f.revisionId) throw E.preconditionFailed();
  checkNotUpdating(ctx, f);
  if (f.packageType === "Image" && v.ImageUri === undefined) throw E.invalid("Please provide ImageUri when updating a function with packageType Image.");
  if (f.packageType === "Zip" && v.ImageUri !== undefined) throw E.invalid("Please don't provide ImageUri when updating a function with packageType Zip.");
  const code = await codeOf(ctx, v, f.packageType);
  // An image function reports no code size (its image is not a deployment package).
  const bytes = code.zip ?? Buffer.alloc(0);
  f.zip = code.zip ?? f.zip;
  f.imageUri = code.imageUri ?? f.imageUri;
  if (code.imageUri) f.resolvedImageUri = code.resolvedImageUri;
  if (v.Architectures !== undefined) f.architectures = v.Architectures;
  f.codeSha256 = code.digest ?? createHash("sha256").update(bytes).digest("base64");
  f.codeSize = bytes.length;
  // "If you don't provide a customer managed key, Lambda uses an AWS owned key" (UpdateFunctionCode, SourceKMSKeyArn).
  if (f.packageType === "Zip") f.sourceKmsKeyArn = typeof v.SourceKMSKeyArn === "string" ? v.SourceKMSKeyArn : undefined;
  f.lastModified = lambdaDate(ctx.now());
  f.updatedAtMs = Date.now();
  // Any code update counts as a change for publishing, even of the same bytes (verified against AWS by moto, #8379).
  f.updateSerial = (f.updateSerial ?? 0) + 1;
  f.revisionId = randomUUID();
  st(ctx).instances?.retire(f.name, "$LATEST");
  if (v.Publish) return publish(ctx, f).cfg;
  return config(ctx, f);
}

function DeleteFunction(ctx: Ctx, v: Input) {
  const q = qualifierOf(v);
  if (q === "$LATEST") throw E.invalid("$LATEST version cannot be deleted without deleting the function.");
  // A qualifier that is not a version number names an alias, which DeleteFunction refuses whether or not it exists
  // (LocalStack's AWS-validated DeleteFunction; floci#2824 measured the live service). c7n's trim-versions deletes
  // versions by their qualified ARNs.
  if (q && !/^\d+$/.test(q)) throw E.invalid("Deletion of aliases is not currently supported.");
  const f = getFn(ctx, v.FunctionName);
  if (q) {
    const i = f.versions.findIndex((x) => x.version === q);
    // AWS answers 204 for a version number that does not exist (measured against the live service).
    if (i < 0) return noContent();
    const alias = [...f.aliases.values()].find((a) => a.FunctionVersion === q);
    if (alias) throw E.conflict(`Unable to delete version because the following aliases reference it: [${alias.Name}]`);
    f.versions.splice(i, 1);
  } else {
    const s = st(ctx);
    s.functions.delete(f.name);
    s.instances?.retire(f.name);
    for (const [k, c] of s.credentials)
      if (k.startsWith(`${f.name}\u0000`)) {
        s.credentials.delete(k);
        s.sessions.delete(c.accessKeyId);
      }
  }
  return noContent();
}

const PublishVersion = (ctx: Ctx, v: Input) => {
  const f = getFn(ctx, v.FunctionName);
  // `aws lambda publish-version` right after update-function-code fails on AWS until the update is done.
  checkNotUpdating(ctx, f);
  if (v.RevisionId && v.RevisionId !== f.revisionId) throw E.preconditionFailed();
  if (v.CodeSha256 && v.CodeSha256 !== f.codeSha256)
    throw E.invalid(
      `CodeSHA256 (${v.CodeSha256}) is different from current CodeSHA256 in $LATEST (${f.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
    );
  return publish(ctx, f, v.Description).cfg;
};

function ListVersionsByFunction(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  const all = [latestQualified(ctx, f), ...f.versions.map((x) => x.config)];
  const p = pageOf(all, v, (c) => String(c.Version === "$LATEST" ? "" : c.Version).padStart(12, "0"), 50, 10000, 50);
  return { Versions: p.items.map(listed), NextMarker: p.NextMarker };
}

/** An alias routes to at most one other published version, never to the one it points at, never from $LATEST. */
function checkWeights(f: FunctionRec, routing: Input | undefined, target: string | undefined) {
  const versions = Object.keys(routing?.AdditionalVersionWeights ?? {});
  if (versions.length > 1) throw E.invalid("Number of items in AdditionalVersionWeights cannot be greater than 1");
  if (versions.length && target === "$LATEST")
    throw new AwsError("InvalidParameterValueException", "$LATEST is not supported for an alias pointing to more than 1 version", 400, {
      extra: { Type: undefined },
    });
  for (const ver of versions) {
    if (ver === target) throw E.invalid(`Invalid function version ${ver}. Function version ${ver} is already included in routing configuration.`);
    if (!f.versions.some((x) => x.version === ver)) throw E.notFound(`${f.arn}:${ver}`);
  }
}

/** A routing config without weights is no routing config: AWS omits it from the alias (Terraform sends `{}`). */
function routingOf(routing: Input | undefined) {
  return routing && Object.keys(routing.AdditionalVersionWeights ?? {}).length > 0 ? routing : undefined;
}

function CreateAlias(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName, v.FunctionVersion);
  checkWeights(f, v.RoutingConfig, v.FunctionVersion);
  if (v.FunctionVersion !== "$LATEST" && !f.versions.some((x) => x.version === v.FunctionVersion)) throw E.notFound(`${f.arn}:${v.FunctionVersion}`);
  if (f.aliases.has(v.Name)) throw E.conflict(`Alias already exists: ${f.arn}:${v.Name}`);
  const a = {
    AliasArn: `${f.arn}:${v.Name}`,
    Name: String(v.Name),
    FunctionVersion: String(v.FunctionVersion),
    Description: v.Description ?? "",
    RoutingConfig: routingOf(v.RoutingConfig),
    RevisionId: randomUUID(),
  };
  f.aliases.set(a.Name, a);
  return a;
}

/** A missing alias: GetAlias says "Cannot find alias arn: …" (what Terraform's provider matches on),
 * UpdateAlias says "Alias not found: …"; both 404 ResourceNotFoundException. */
function getAlias(ctx: Ctx, v: Input, missing: (arn: string) => string) {
  const f = getFn(ctx, v.FunctionName);
  const a = f.aliases.get(v.Name);
  if (!a) throw E.resourceNotFound(missing(`${f.arn}:${v.Name}`));
  return { f, a };
}

const GetAlias = (ctx: Ctx, v: Input) => getAlias(ctx, v, (arn) => `Cannot find alias arn: ${arn}`).a;

function UpdateAlias(ctx: Ctx, v: Input) {
  const { f, a } = getAlias(ctx, v, (arn) => `Alias not found: ${arn}`);
  if (v.RevisionId && v.RevisionId !== a.RevisionId) throw E.preconditionFailed();
  if (v.FunctionVersion !== undefined && v.FunctionVersion !== "$LATEST" && !f.versions.some((x) => x.version === v.FunctionVersion))
    throw E.notFound(`${f.arn}:${v.FunctionVersion}`);
  checkWeights(f, v.RoutingConfig, v.FunctionVersion ?? a.FunctionVersion);
  if (v.FunctionVersion !== undefined) a.FunctionVersion = String(v.FunctionVersion);
  if (v.Description !== undefined) a.Description = v.Description;
  if (v.RoutingConfig !== undefined) a.RoutingConfig = routingOf(v.RoutingConfig);
  a.RevisionId = randomUUID();
  return a;
}

function ListAliases(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  const all = [...f.aliases.values()]
    .filter((a) => v.FunctionVersion === undefined || a.FunctionVersion === v.FunctionVersion)
    .sort((a, b) => (a.Name < b.Name ? -1 : 1));
  const p = pageOf(all, v, (a) => a.Name, 50, 10000);
  return { Aliases: p.items, NextMarker: p.NextMarker };
}

function DeleteAlias(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  // Its provisioned concurrency goes with it; its function URL stays (and answers 403, see url-server.ts).
  f.aliases.delete(String(v.Name));
  f.provisioned.delete(String(v.Name));
  return noContent();
}

/**
 * Permissions are per qualifier: the function ($LATEST), a version or an alias each has its own policy and
 * revision. The statement's Resource names the qualifier; a statement id is unique within one policy.
 */
type PolicyTarget = { resource: string; revision: () => string; bump: () => void };

function policyTarget(ctx: Ctx, f: FunctionRec, q: string | undefined, missingFunction?: () => Error): PolicyTarget {
  if (q === undefined || q === "$LATEST") return { resource: f.arn, revision: () => f.revisionId, bump: () => (f.revisionId = randomUUID()) };
  const alias = f.aliases.get(q);
  if (alias) return { resource: `${f.arn}:${q}`, revision: () => alias.RevisionId, bump: () => (alias.RevisionId = randomUUID()) };
  const ver = f.versions.find((x) => x.version === q);
  if (ver) {
    const cfg = ver.config as { RevisionId: string };
    return { resource: `${f.arn}:${q}`, revision: () => cfg.RevisionId, bump: () => (cfg.RevisionId = randomUUID()) };
  }
  if (missingFunction) throw missingFunction();
  // A name an alias could have is a missing alias; anything else a missing version.
  throw /^(?!\d+$)[a-zA-Z0-9-_]+$/.test(q) ? E.resourceNotFound(`Cannot find alias arn: ${f.arn}:${q}`) : E.notFound(`${f.arn}:${q}`);
}

const statementsOf = (f: FunctionRec, resource: string) => f.policy.filter((p) => p.Resource === resource);

/** Service principals end in an AWS domain; anything else must be *, an account id or an ARN. */
const validPrincipal = (p: string) => p === "*" || /^\d{12}$/.test(p) || p.startsWith("arn:") || /\.amazon(aws)?\.com(\.cn)?$/.test(p);

function AddPermission(ctx: Ctx, v: Input) {
  const q = qualifierOf(v);
  if (q === "$LATEST") throw E.invalid("We currently do not support adding policies for $LATEST.");
  const f = getFn(ctx, v.FunctionName);
  const target = policyTarget(ctx, f, q);
  if (v.RevisionId && v.RevisionId !== target.revision()) throw E.preconditionFailed();
  const principal = String(v.Principal);
  if (!validPrincipal(principal)) throw E.invalid("The provided principal was invalid. Please check the principal and try again.");
  if (statementsOf(f, target.resource).some((p) => p.Sid === v.StatementId))
    throw E.conflict(`The statement id (${v.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
  // AWS's order: StringEquals (URL auth type, org, source account, event source token), then ArnLike.
  const equals: Record<string, string> = {};
  if (v.FunctionUrlAuthType) equals["lambda:FunctionUrlAuthType"] = v.FunctionUrlAuthType;
  if (v.PrincipalOrgID) equals["aws:PrincipalOrgID"] = v.PrincipalOrgID;
  if (v.SourceAccount) equals["AWS:SourceAccount"] = v.SourceAccount;
  if (v.EventSourceToken) equals["lambda:EventSourceToken"] = v.EventSourceToken;
  const condition: Record<string, Record<string, string>> = {};
  if (Object.keys(equals).length) condition.StringEquals = equals;
  if (v.SourceArn) condition.ArnLike = { "AWS:SourceArn": v.SourceArn };
  // --invoked-via-function-url: the lambda:InvokeFunction grant a function URL needs (October 2025) holds only through the URL.
  if (v.InvokedViaFunctionUrl === true) condition.Bool = { "lambda:InvokedViaFunctionUrl": "true" };
  const stmt = {
    Sid: v.StatementId,
    Effect: "Allow",
    Principal:
      principal === "*"
        ? "*"
        : principal.includes(".")
          ? { Service: principal }
          : { AWS: /^\d{12}$/.test(principal) ? `arn:aws:iam::${principal}:root` : principal },
    Action: v.Action,
    Resource: target.resource,
    ...(Object.keys(condition).length ? { Condition: condition } : {}),
  };
  checkPolicySize([...statementsOf(f, target.resource), stmt]);
  f.policy.push(stmt);
  target.bump();
  return { Statement: JSON.stringify(stmt) };
}

function GetPolicy(ctx: Ctx, v: Input) {
  const q = qualifierOf(v);
  const f = getFn(ctx, v.FunctionName);
  const missing = () => E.resourceNotFound("The resource you requested does not exist.");
  const target = policyTarget(ctx, f, q, missing);
  const statements = statementsOf(f, target.resource);
  if (!statements.length) throw missing();
  return { Policy: policyDocument(statements), RevisionId: target.revision() };
}

function RemovePermission(ctx: Ctx, v: Input) {
  const q = qualifierOf(v);
  const s = st(ctx);
  checkRegion(ctx, v.FunctionName);
  const f = s.functions.get(parseName(v.FunctionName)[0]);
  if (!f) throw E.resourceNotFound(`No policy found for: ${fnArn(s, parseName(v.FunctionName)[0])}`);
  const target = policyTarget(ctx, f, q);
  if (v.RevisionId && v.RevisionId !== target.revision()) throw E.preconditionFailed();
  const statements = statementsOf(f, target.resource);
  if (!statements.length) throw E.resourceNotFound("No policy is associated with the given resource.");
  const stmt = statements.find((p) => p.Sid === v.StatementId);
  if (!stmt) throw E.resourceNotFound(`Statement ${v.StatementId} is not found in resource policy.`);
  f.policy.splice(f.policy.indexOf(stmt), 1);
  target.bump();
  return noContent();
}

/** Tags live on functions, code signing configs and event source mappings. */
function taggable(ctx: Ctx, arn: string): Record<string, string> {
  const s = st(ctx);
  const a = String(arn);
  if (a.includes(":code-signing-config:")) return getCsc(ctx, a).tags;
  const cp = /:capacity-provider:([a-zA-Z0-9-_]+)$/.exec(a);
  if (cp) {
    const c = s.capacityProviders.get(cp[1]!);
    if (!c) throw E.resourceNotFound(`Capacity provider not found: ${cp[1]}`);
    return c.tags;
  }
  const esm = /:event-source-mapping:([0-9a-f-]{36})$/.exec(a);
  if (esm) {
    const m = s.eventSourceMappings.get(esm[1]!);
    if (!m) throw E.resourceNotFound("The resource you requested does not exist.");
    return m.tags;
  }
  if (parseName(a)[1] !== undefined) throw E.invalid("Tags on function aliases and versions are not supported. Please specify a function ARN.");
  return getFn(ctx, a).tags;
}

/** A Lambda resource holds at most 50 tags. */
const TAG_LIMIT = 50;

function TagResource(ctx: Ctx, v: Input) {
  const tags = taggable(ctx, v.Resource);
  const add = (v.Tags ?? {}) as Record<string, string>;
  if (Object.keys(add).length === 0) throw E.invalid("An error occurred and the request cannot be processed.");
  if (new Set([...Object.keys(tags), ...Object.keys(add)]).size > TAG_LIMIT) throw E.invalid("Number of tags exceeds resource tag limit.");
  Object.assign(tags, add);
  return noContent();
}
function UntagResource(ctx: Ctx, v: Input) {
  const tags = taggable(ctx, v.Resource);
  for (const k of ([] as string[]).concat(v.TagKeys ?? v.tagKeys ?? [])) delete tags[k];
  return noContent();
}
const ListTags = (ctx: Ctx, v: Input) => ({ Tags: taggable(ctx, v.Resource) });

function PutFunctionConcurrency(ctx: Ctx, v: Input) {
  if (parseName(v.FunctionName)[1] !== undefined)
    throw E.invalid(
      "This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.",
    );
  const f = getFn(ctx, v.FunctionName, "$LATEST");
  const n = Number(v.ReservedConcurrentExecutions);
  const provisioned = [...f.provisioned.values()].reduce((sum, p) => sum + p.requested, 0);
  // AWS's wording, leading and doubled spaces included; no Type member.
  if (n < provisioned)
    throw new AwsError(
      "InvalidParameterValueException",
      ` ReservedConcurrentExecutions  ${n} should not be lower than function's total provisioned concurrency [${provisioned}].`,
      400,
      { extra: { Type: undefined } },
    );
  const reservedElsewhere = [...st(ctx).functions.values()].reduce((sum, x) => sum + (x !== f ? (x.concurrency ?? 0) : 0), 0);
  // AWS's answer to this one carries no Type member.
  if (reservedElsewhere + n > 1000 - 100)
    throw new AwsError(
      "InvalidParameterValueException",
      "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
      400,
      { extra: { Type: undefined } },
    );
  f.concurrency = n;
  return { ReservedConcurrentExecutions: f.concurrency };
}
function GetFunctionConcurrency(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  return f.concurrency !== undefined ? { ReservedConcurrentExecutions: f.concurrency } : {};
}
function DeleteFunctionConcurrency(ctx: Ctx, v: Input) {
  getFn(ctx, v.FunctionName).concurrency = undefined;
  return noContent();
}

function GetAccountSettings(ctx: Ctx) {
  const s = st(ctx);
  let size = 0;
  let reserved = 0;
  // Every stored package counts: $LATEST, each published version (even one with unchanged code) and each layer version.
  for (const f of s.functions.values()) {
    size += f.codeSize + f.versions.reduce((n, v) => n + v.snapshot.codeSize, 0);
    reserved += f.concurrency ?? 0;
  }
  for (const layer of s.layers.values()) for (const v of layer.versions.values()) size += v.zip.length;
  return {
    AccountLimit: {
      TotalCodeSize: 80530636800,
      CodeSizeUnzipped: 262144000,
      CodeSizeZipped: 52428800,
      ConcurrentExecutions: 1000,
      UnreservedConcurrentExecutions: 1000 - reserved,
    },
    AccountUsage: { TotalCodeSize: size, FunctionCount: s.functions.size },
  };
}

const lambda: ServiceDefinition<LambdaRuntimeState> = {
  name: "lambda",
  protocol: "rest-json",
  createState: ({ accountId, region }) => ({
    accountId,
    region,
    functions: new Map(),
    codeSigningConfigs: new Map(),
    layers: new Map(),
    eventSourceMappings: new Map(),
    capacityProviders: new Map(),
    sessions: new Map(),
    credentials: new Map(),
  }),
  identify: (s, accessKeyId) => s.sessions.get(accessKeyId),
  counts: (s) => ({ functions: s.functions.size, layers: s.layers.size, eventSourceMappings: s.eventSourceMappings.size }),
  dispose: async (s) => {
    s.disposed = true;
    // Running durable executions' timers (the timeout defaults to a year) would keep the dropped state alive.
    for (const rec of s.durable?.executions.values() ?? []) for (const t of rec.timers?.values() ?? []) clearTimeout(t);
    if (s.instances) await s.instances.dispose();
  },
  operations: crossAccount({
    CreateFunction,
    ListFunctions,
    GetFunction,
    GetFunctionConfiguration,
    UpdateFunctionConfiguration,
    UpdateFunctionCode,
    DeleteFunction,
    PublishVersion,
    ListVersionsByFunction,
    CreateAlias,
    ListAliases,
    GetAlias,
    UpdateAlias,
    DeleteAlias,
    AddPermission,
    GetPolicy,
    RemovePermission,
    TagResource,
    ListTags,
    UntagResource,
    PutFunctionConcurrency,
    GetFunctionConcurrency,
    DeleteFunctionConcurrency,
    GetAccountSettings,
    ...invokeOperations,
    ...codeSigningOperations,
    ...layerOperations,
    ...eventSourceMappingOperations,
    ...functionUrlOperations,
    ...configOperations,
    ...capacityProviderOperations,
  }),
};

export default lambda;
