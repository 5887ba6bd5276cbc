/**
 * Lambda (REST-JSON, 2015-03-31): functions (Zip and Image), configuration and code updates, versions,
 * aliases, permissions, tags, concurrency, account settings, and Invoke. In --execute mode Invoke runs
 * the function as a real process (an Image function's ImageConfig command with the event on stdin and its
 * stdout as the response; a Zip nodejs* handler under node, a python* one under python3), with Timeout, FunctionError
 * Unhandled and LogType Tail; START/END/REPORT and the output go to CloudWatch Logs /aws/lambda/<name>.
 * In fake mode Invoke runs nothing and answers 200 with the payload `null` (the log lines are still written).
 * Gaps: other runtimes, layers, event source mappings, function URLs, provisioned concurrency.
 */
import { createHash, randomUUID } from "node:crypto";
import { AwsError } from "../../protocols/aws-error.js";
import { Tracker } from "../../runtime/tracker.js";
import { rawResponse, type Ctx, type RestRoute, type ServiceDefinition } from "../core/types.js";
import { appendEvents } from "../logs/api.js";
import type { LogsState } from "../logs/state.js";
import { runFunction } from "./invoke.js";
import type { FunctionRec, LambdaState } from "./state.js";

type Input = Record<string, any>;
const st = (ctx: Ctx) => ctx.state<LambdaState & { tracker?: Tracker }>();

const E = {
  notFound: (arn: string) => new AwsError("ResourceNotFoundException", `Function not found: ${arn}`, 404, { extra: { Type: "User" } }),
  conflict: (m: string) => new AwsError("ResourceConflictException", m, 409),
  invalid: (m: string) => new AwsError("InvalidParameterValueException", m, 400),
  validation: (m: string) => new AwsError("ValidationException", m, 400),
};

const lambdaDate = (d: Date) => d.toISOString().replace("Z", "+0000");
const fnArn = (s: LambdaState, name: string) => `arn:aws:lambda:${s.region}:${s.accountId}:function:${name}`;

/** name | ARN | partial ARN, optionally with :qualifier → [name, qualifier]. */
function parseName(ref: string): [string, string | undefined] {
  let r = decodeURIComponent(ref);
  const m = /^(?:arn:aws[\w-]*:lambda:[^:]+:\d{12}:function:|\d{12}:function:)?([^:]+)(?::([^:]+))?$/.exec(r);
  if (!m)
    throw E.validation(
      `1 validation error detected: Value '${r}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
    );
  r = m[1]!;
  return [r, m[2]];
}

function getFn(ctx: Ctx, ref: string): FunctionRec {
  const s = st(ctx);
  const [name] = parseName(ref);
  const f = s.functions.get(name);
  if (!f) throw E.notFound(fnArn(s, name));
  return f;
}

function config(f: FunctionRec, version = "$LATEST") {
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
    Environment: Object.keys(f.environment).length ? { Variables: f.environment } : undefined,
    TracingConfig: { Mode: "PassThrough" },
    RevisionId: f.revisionId,
    State: "Active",
    LastUpdateStatus: "Successful",
    PackageType: f.packageType,
    ImageConfigResponse: f.imageConfig ? { ImageConfig: f.imageConfig } : undefined,
    Architectures: f.architectures,
    EphemeralStorage: { Size: f.ephemeralStorage },
    SnapStart: { ApplyOn: "None", OptimizationStatus: "Off" },
    LoggingConfig: { LogFormat: "Text", LogGroup: `/aws/lambda/${f.name}` },
    Layers: f.layers.length ? f.layers.map((Arn) => ({ Arn, CodeSize: 0 })) : undefined,
  };
}

async function codeOf(ctx: Ctx, code: Input | undefined, packageType: string): Promise<{ zip?: Buffer; imageUri?: string }> {
  if (!code) throw E.validation("1 validation error detected: Value null at 'code' failed to satisfy constraint: Member must not be null");
  if (packageType === "Image") {
    if (!code.ImageUri) throw E.invalid("Source image  is not valid. Provide a valid source image.");
    return { imageUri: String(code.ImageUri) };
  }
  if (code.ZipFile) return { zip: Buffer.from(String(code.ZipFile), "base64") };
  if (code.S3Bucket && code.S3Key) {
    const s3 = await ctx.stateOf<{ buckets: Map<string, { objects: Map<string, { versions: Array<{ blob?: unknown; isDeleteMarker: boolean }> }> }> }>("s3");
    const obj = s3.buckets.get(String(code.S3Bucket))?.objects.get(String(code.S3Key))?.versions[0];
    if (!obj || obj.isDeleteMarker)
      throw E.invalid(`Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.`);
    const { toBuffer } = await import("../s3/blobs.js");
    return { zip: await toBuffer(obj.blob as never) };
  }
  throw E.invalid("Please provide a source for function code.");
}

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
  if (v.Role !== undefined && !/^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/.test(String(v.Role))) {
    errs.push(
      `Value '${v.Role}' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+`,
    );
  }
  if (errs.length) throw E.validation(`${errs.length} validation error${errs.length > 1 ? "s" : ""} detected: ${errs.join("; ")}`);
}

async function CreateFunction(ctx: Ctx, v: Input) {
  const s = st(ctx);
  const name = String(v.FunctionName ?? "");
  if (!/^[a-zA-Z0-9-_]{1,64}$/.test(name))
    throw E.validation(
      `1 validation error detected: Value '${name}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+`,
    );
  if (!v.Role) throw E.validation("1 validation error detected: Value null at 'role' failed to satisfy constraint: Member must not be null");
  validateCommon(v);
  const packageType = v.PackageType === "Image" ? "Image" : "Zip";
  if (packageType === "Zip" && (!v.Runtime || !v.Handler))
    throw E.invalid("Runtime and Handler are mandatory parameters for functions created with deployment packages.");
  if (s.functions.has(name)) throw E.conflict(`Function already exist: ${name}`);
  const code = await codeOf(ctx, v.Code, packageType);
  const bytes = code.zip ?? Buffer.from(code.imageUri ?? "");
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
    imageConfig: v.ImageConfig,
    environment: v.Environment?.Variables ?? {},
    architectures: v.Architectures ?? ["x86_64"],
    codeSha256: createHash("sha256").update(bytes).digest("base64"),
    codeSize: bytes.length,
    lastModified: lambdaDate(ctx.now()),
    revisionId: randomUUID(),
    tags: v.Tags ?? {},
    versions: [],
    aliases: new Map(),
    policy: [],
    layers: v.Layers ?? [],
    ephemeralStorage: v.EphemeralStorage?.Size ?? 512,
  };
  s.functions.set(name, f);
  const out: Record<string, unknown> = config(f);
  if (v.Publish) out.Version = publish(f).version;
  return out;
}

function publish(f: FunctionRec, description?: string) {
  const version = String(f.versions.length + 1);
  const cfg = { ...config(f, version), Description: description ?? f.description };
  f.versions.push({ version, config: cfg });
  return { version, cfg };
}

function GetFunction(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  const q = v.Qualifier ?? parseName(v.FunctionName)[1];
  const cfg = versionConfig(f, q);
  return {
    Configuration: cfg,
    Code:
      f.packageType === "Image"
        ? { RepositoryType: "ECR", ImageUri: f.imageUri, ResolvedImageUri: f.imageUri }
        : {
            RepositoryType: "S3",
            Location: `https://awslambda-${st(ctx).region}-tasks.s3.${st(ctx).region}.amazonaws.com/snapshots/${st(ctx).accountId}/${f.name}`,
          },
    Tags: Object.keys(f.tags).length ? f.tags : undefined,
    Concurrency: f.concurrency !== undefined ? { ReservedConcurrentExecutions: f.concurrency } : undefined,
  };
}

function versionConfig(f: FunctionRec, q: string | undefined) {
  if (!q || q === "$LATEST") return config(f);
  const alias = f.aliases.get(q);
  const ver = f.versions.find((x) => x.version === (alias ? alias.FunctionVersion : q));
  if (!ver) throw E.notFound(`${f.arn}:${q}`);
  return ver.config;
}

const GetFunctionConfiguration = (ctx: Ctx, v: Input) => versionConfig(getFn(ctx, v.FunctionName), v.Qualifier ?? parseName(v.FunctionName)[1]);

function ListFunctions(ctx: Ctx, v: Input) {
  const all = [...st(ctx).functions.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  const max = Math.min(Number(v.MaxItems ?? 50), 10000);
  if (!Number.isInteger(max) || max < 1)
    throw E.validation(
      `1 validation error detected: Value '${v.MaxItems}' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1`,
    );
  let start = 0;
  if (v.Marker) {
    const name = Buffer.from(String(v.Marker), "base64url").toString();
    start = all.findIndex((f) => f.name > name);
    if (start < 0) start = all.length;
  }
  const page = all.slice(start, start + max);
  return {
    Functions: page.map((f) => config(f)),
    NextMarker: start + max < all.length ? Buffer.from(page[page.length - 1]!.name).toString("base64url") : undefined,
  };
}

function UpdateFunctionConfiguration(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  validateCommon(v);
  if (v.RevisionId && v.RevisionId !== f.revisionId)
    throw new AwsError(
      "PreconditionFailedException",
      "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
      412,
    );
  if (v.Role !== undefined) f.role = v.Role;
  if (v.Handler !== undefined) f.handler = v.Handler;
  if (v.Runtime !== undefined) f.runtime = v.Runtime;
  if (v.Description !== undefined) f.description = v.Description;
  if (v.Timeout !== undefined) f.timeout = v.Timeout;
  if (v.MemorySize !== undefined) f.memorySize = v.MemorySize;
  if (v.Environment !== undefined) f.environment = v.Environment.Variables ?? {};
  if (v.ImageConfig !== undefined) f.imageConfig = v.ImageConfig;
  if (v.Layers !== undefined) f.layers = v.Layers;
  f.lastModified = lambdaDate(ctx.now());
  f.revisionId = randomUUID();
  return config(f);
}

async function UpdateFunctionCode(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  const code = await codeOf(ctx, v, f.packageType);
  const bytes = code.zip ?? Buffer.from(code.imageUri ?? "");
  f.zip = code.zip ?? f.zip;
  f.imageUri = code.imageUri ?? f.imageUri;
  f.codeSha256 = createHash("sha256").update(bytes).digest("base64");
  f.codeSize = bytes.length;
  f.lastModified = lambdaDate(ctx.now());
  f.revisionId = randomUUID();
  const out: Record<string, unknown> = config(f);
  if (v.Publish) out.Version = publish(f).version;
  return out;
}

function DeleteFunction(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  const q = v.Qualifier ?? parseName(v.FunctionName)[1];
  if (q && q !== "$LATEST") {
    const i = f.versions.findIndex((x) => x.version === q);
    if (i < 0) throw E.notFound(`${f.arn}:${q}`);
    f.versions.splice(i, 1);
  } else st(ctx).functions.delete(f.name);
  return rawResponse({ status: 204, headers: {} });
}

const PublishVersion = (ctx: Ctx, v: Input) => publish(getFn(ctx, v.FunctionName), v.Description).cfg;

function ListVersionsByFunction(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  return { Versions: [config(f), ...f.versions.map((x) => x.config)] };
}

function CreateAlias(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  if (f.aliases.has(v.Name)) throw E.conflict(`Alias already exists: ${f.arn}:${v.Name}`);
  if (v.FunctionVersion !== "$LATEST" && !f.versions.some((x) => x.version === v.FunctionVersion)) throw E.notFound(`${f.arn}:${v.FunctionVersion}`);
  const a = {
    Name: String(v.Name),
    FunctionVersion: String(v.FunctionVersion),
    Description: v.Description ?? "",
    AliasArn: `${f.arn}:${v.Name}`,
    RevisionId: randomUUID(),
  };
  f.aliases.set(a.Name, a);
  return a;
}

function getAlias(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  const a = f.aliases.get(v.Name);
  if (!a) throw new AwsError("ResourceNotFoundException", `Alias not found: ${f.arn}:${v.Name}`, 404);
  return { f, a };
}

const GetAlias = (ctx: Ctx, v: Input) => getAlias(ctx, v).a;
const ListAliases = (ctx: Ctx, v: Input) => ({ Aliases: [...getFn(ctx, v.FunctionName).aliases.values()] });
function DeleteAlias(ctx: Ctx, v: Input) {
  const { f, a } = getAlias(ctx, v);
  f.aliases.delete(a.Name);
  return rawResponse({ status: 204, headers: {} });
}

function AddPermission(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  if (f.policy.some((p) => p.Sid === v.StatementId))
    throw E.conflict(`The statement id (${v.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
  const stmt = {
    Sid: v.StatementId,
    Effect: "Allow",
    Principal: String(v.Principal).includes(".") ? { Service: v.Principal } : { AWS: v.Principal },
    Action: v.Action,
    Resource: f.arn,
    ...(v.SourceArn ? { Condition: { ArnLike: { "AWS:SourceArn": v.SourceArn } } } : {}),
  };
  f.policy.push(stmt);
  return { Statement: JSON.stringify(stmt) };
}

function GetPolicy(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  if (!f.policy.length) throw new AwsError("ResourceNotFoundException", "The resource you requested does not exist.", 404);
  return { Policy: JSON.stringify({ Version: "2012-10-17", Id: "default", Statement: f.policy }), RevisionId: f.revisionId };
}

function RemovePermission(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  const i = f.policy.findIndex((p) => p.Sid === v.StatementId);
  if (i < 0) throw new AwsError("ResourceNotFoundException", `Statement ${v.StatementId} is not found in resource policy.`, 404);
  f.policy.splice(i, 1);
  return rawResponse({ status: 204, headers: {} });
}

function byArn(ctx: Ctx, arn: string) {
  return getFn(ctx, decodeURIComponent(arn));
}

function TagResource(ctx: Ctx, v: Input) {
  Object.assign(byArn(ctx, v.Resource).tags, v.Tags ?? {});
  return rawResponse({ status: 204, headers: {} });
}
function UntagResource(ctx: Ctx, v: Input) {
  const f = byArn(ctx, v.Resource);
  for (const k of ([] as string[]).concat(v.tagKeys ?? [])) delete f.tags[k];
  return rawResponse({ status: 204, headers: {} });
}
const ListTags = (ctx: Ctx, v: Input) => ({ Tags: byArn(ctx, v.Resource).tags });

function PutFunctionConcurrency(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  f.concurrency = Number(v.ReservedConcurrentExecutions);
  return { ReservedConcurrentExecutions: f.concurrency };
}
function GetFunctionConcurrency(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  return f.concurrency !== undefined ? { ReservedConcurrentExecutions: f.concurrency } : {};
}
function DeleteFunctionConcurrency(ctx: Ctx, v: Input) {
  getFn(ctx, v.FunctionName).concurrency = undefined;
  return rawResponse({ status: 204, headers: {} });
}

function GetAccountSettings(ctx: Ctx) {
  const s = st(ctx);
  let size = 0;
  for (const f of s.functions.values()) size += f.codeSize;
  return {
    AccountLimit: {
      TotalCodeSize: 80530636800,
      CodeSizeUnzipped: 262144000,
      CodeSizeZipped: 52428800,
      ConcurrentExecutions: 1000,
      UnreservedConcurrentExecutions: 1000,
    },
    AccountUsage: { TotalCodeSize: size, FunctionCount: s.functions.size },
  };
}

async function Invoke(ctx: Ctx, v: Input) {
  const f = getFn(ctx, v.FunctionName);
  const h = v.$headers as Record<string, string>;
  const type = h["x-amz-invocation-type"] ?? "RequestResponse";
  if (!["RequestResponse", "Event", "DryRun"].includes(type))
    throw E.validation(
      `1 validation error detected: Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
    );
  const version = v.Qualifier ?? parseName(v.FunctionName)[1] ?? "$LATEST";
  if (version !== "$LATEST") versionConfig(f, version);
  if (type === "DryRun") return rawResponse({ status: 204, headers: {} });
  const payload: Buffer = v.$body ?? Buffer.alloc(0);
  if (payload.length) {
    try {
      JSON.parse(payload.toString("utf8"));
    } catch {
      throw new AwsError(
        "InvalidRequestContentException",
        "Could not parse request body into json: Could not parse payload into json: Unexpected character",
        400,
      );
    }
  }
  const requestId = randomUUID();
  const s = st(ctx);
  const run = async () => {
    const env = {
      ...f.environment,
      AWS_LAMBDA_FUNCTION_NAME: f.name,
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(f.memorySize),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${f.name}`,
      AWS_REGION: s.region,
      AWS_DEFAULT_REGION: s.region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${f.runtime ?? "image"}`,
      AWS_ENDPOINT_URL: ctx.sim.url(),
      AWS_ACCESS_KEY_ID: s.accountId,
      AWS_SECRET_ACCESS_KEY: "awsim",
      AWS_SESSION_TOKEN: `awsim-lambda-${requestId}`,
      LAMBDA_TASK_ROOT: "/var/task",
      __AWSIM_ARN: f.arn,
    };
    const result = ctx.config.execute
      ? await runFunction((s.tracker ??= new Tracker()), f, payload.length ? payload : Buffer.from("{}"), env, requestId)
      : { payload: Buffer.from("null"), logLines: [], durationMs: 1 };
    const stream = `${new Date().toISOString().slice(0, 10).replace(/-/g, "/")}/[$LATEST]${randomUUID().replace(/-/g, "")}`;
    const lines = [
      `START RequestId: ${requestId} Version: ${version}`,
      ...result.logLines,
      `END RequestId: ${requestId}`,
      `REPORT RequestId: ${requestId}\tDuration: ${result.durationMs.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(result.durationMs))} ms\tMemory Size: ${f.memorySize} MB\tMax Memory Used: ${Math.min(f.memorySize, 64)} MB`,
    ];
    const logs = await ctx.stateOf<LogsState>("logs");
    const now = Date.now();
    appendEvents(logs, { group: `/aws/lambda/${f.name}`, stream, events: lines.map((message, i) => ({ timestamp: now + i * 0, message })), createGroup: true });
    return { result, lines };
  };
  if (type === "Event") {
    void run().catch(() => undefined);
    return rawResponse({ status: 202, headers: { "content-length": "0" } });
  }
  const { result, lines } = await run();
  const headers: Record<string, string> = { "content-type": "application/json", "x-amz-executed-version": version };
  if (result.functionError) headers["x-amz-function-error"] = result.functionError;
  if ((h["x-amz-log-type"] ?? "None") === "Tail")
    headers["x-amz-log-result"] = Buffer.from(lines.join("\n") + "\n")
      .subarray(-4096)
      .toString("base64");
  return rawResponse({ status: 200, headers, body: result.payload });
}

const F = "/2015-03-31/functions";
const routes: RestRoute[] = [
  { method: "POST", path: `${F}`, operation: "CreateFunction", status: 201 },
  { method: "GET", path: `${F}`, operation: "ListFunctions" },
  { method: "GET", path: `${F}/{FunctionName}`, operation: "GetFunction" },
  { method: "DELETE", path: `${F}/{FunctionName}`, operation: "DeleteFunction", status: 204 },
  { method: "GET", path: `${F}/{FunctionName}/configuration`, operation: "GetFunctionConfiguration" },
  { method: "PUT", path: `${F}/{FunctionName}/configuration`, operation: "UpdateFunctionConfiguration" },
  { method: "PUT", path: `${F}/{FunctionName}/code`, operation: "UpdateFunctionCode" },
  { method: "POST", path: `${F}/{FunctionName}/invocations`, operation: "Invoke", rawBody: true },
  { method: "POST", path: `${F}/{FunctionName}/versions`, operation: "PublishVersion", status: 201 },
  { method: "GET", path: `${F}/{FunctionName}/versions`, operation: "ListVersionsByFunction" },
  { method: "POST", path: `${F}/{FunctionName}/aliases`, operation: "CreateAlias", status: 201 },
  { method: "GET", path: `${F}/{FunctionName}/aliases`, operation: "ListAliases" },
  { method: "GET", path: `${F}/{FunctionName}/aliases/{Name}`, operation: "GetAlias" },
  { method: "DELETE", path: `${F}/{FunctionName}/aliases/{Name}`, operation: "DeleteAlias", status: 204 },
  { method: "POST", path: `${F}/{FunctionName}/policy`, operation: "AddPermission", status: 201 },
  { method: "GET", path: `${F}/{FunctionName}/policy`, operation: "GetPolicy" },
  { method: "DELETE", path: `${F}/{FunctionName}/policy/{StatementId}`, operation: "RemovePermission", status: 204 },
  { method: "POST", path: "/2017-03-31/tags/{Resource}", operation: "TagResource", status: 204 },
  { method: "GET", path: "/2017-03-31/tags/{Resource}", operation: "ListTags" },
  { method: "DELETE", path: "/2017-03-31/tags/{Resource}", operation: "UntagResource", status: 204 },
  { method: "PUT", path: "/2017-10-31/functions/{FunctionName}/concurrency", operation: "PutFunctionConcurrency" },
  { method: "GET", path: "/2019-09-30/functions/{FunctionName}/concurrency", operation: "GetFunctionConcurrency" },
  { method: "DELETE", path: "/2017-10-31/functions/{FunctionName}/concurrency", operation: "DeleteFunctionConcurrency", status: 204 },
  { method: "GET", path: "/2016-08-19/account-settings", operation: "GetAccountSettings" },
];

const lambda: ServiceDefinition<LambdaState & { tracker?: Tracker }> = {
  name: "lambda",
  protocol: "rest-json",
  routes,
  createState: ({ accountId, region }) => ({ accountId, region, functions: new Map() }),
  counts: (s) => ({ functions: s.functions.size }),
  dispose: async (s) => {
    if (s.tracker) {
      await s.tracker.stopAll();
      s.tracker.dispose();
    }
  },
  operations: {
    CreateFunction,
    ListFunctions,
    GetFunction,
    GetFunctionConfiguration,
    UpdateFunctionConfiguration,
    UpdateFunctionCode,
    DeleteFunction,
    Invoke,
    PublishVersion,
    ListVersionsByFunction,
    CreateAlias,
    ListAliases,
    GetAlias,
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
  },
};

export default lambda;
