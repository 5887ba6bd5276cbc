/**
 * Invoke, InvokeAsync and InvokeWithResponseStream. A qualifier (version or alias, with the alias's
 * AdditionalVersionWeights deciding which version runs) selects the code and configuration; reserved
 * concurrency is enforced (429 TooManyRequestsException); START/output/END/REPORT go to /aws/lambda/<name>.
 * Execute mode runs the function in an instance (instances.ts); fake mode runs nothing and answers null.
 * InvocationType Event queues the invocation: retried per the event invoke config (MaximumRetryAttempts,
 * default 2, after 1 s then 2 s; AWS waits about 1 and 2 minutes), dropped after MaximumEventAgeInSeconds, and
 * sent to OnSuccess/OnFailure destinations that are Lambda functions (other destination types are not simulated).
 */
import { createHash, randomUUID } from "node:crypto";
import { PassThrough, type Readable } from "node:stream";
import { crc32 } from "node:zlib";
import { AwsError } from "../../protocols/aws-error.js";
import { Tracker } from "../../runtime/tracker.js";
import { rawResponse, type Ctx, type SimHandle } from "../core/types.js";
import { appendEvents } from "../logs/api.js";
import type { LogsState } from "../logs/state.js";
import { E, getFn, lifecycle, loggingConfig, parseName, qualifierOf, runtimeVersionArn, st, type Input, type LambdaRuntimeState } from "./common.js";
import { EfsMountError, resolveEfsMount } from "../efs/mounts.js";
import { functionCredentials, type FunctionCredentials } from "./credentials.js";
import { Instances, bindOptSupported, type LogLine, type RunResult } from "./instances.js";
import { layerInUse } from "./layers.js";
import {
  close,
  closed,
  type DurableDriver,
  type DurableExecRec,
  durableOperations,
  type ErrorObject,
  invocationInput,
  isDurable,
  startExecution,
} from "./durable.js";
import type { FunctionRec } from "./state.js";

export function instancesOf(s: LambdaRuntimeState): Instances {
  if (s.disposed) throw new AwsError("ServiceException", "The Lambda service state was reset.", 500);
  return (s.instances ??= new Instances(new Tracker()));
}

/** The version an invocation of qualifier q runs, and the record holding that version's code and configuration. */
function resolveVersion(f: FunctionRec, q: string | undefined): { version: string; rec: FunctionRec } {
  if (q === undefined || q === "$LATEST") return { version: "$LATEST", rec: f };
  let version = q;
  const alias = f.aliases.get(q);
  if (alias) {
    version = alias.FunctionVersion;
    let r = Math.random();
    for (const [v, w] of Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {})) {
      if (r < w) {
        version = v;
        break;
      }
      r -= w;
    }
  }
  if (version === "$LATEST") return { version, rec: f };
  const ver = f.versions.find((x) => x.version === version);
  if (!ver) throw E.notFound(`${f.arn}:${q}`);
  return { version, rec: ver.snapshot };
}

/** The account's concurrent executions (AWS's default quota), as GetAccountSettings reports it. */
const ACCOUNT_CONCURRENCY = 1000;

const day = () => new Date().toISOString().slice(0, 10).replace(/-/g, "/");

export interface Outcome {
  payload: Buffer;
  functionError?: "Unhandled";
  version: string;
  /** The invocation's log events, each with its own ending (a newline unless it was written without one). */
  lines: string[];
  /** A streamed response (the function streams): body as written, `done` when it ended with its log lines. */
  stream?: { body: Readable; contentType?: string; done: Promise<{ functionError?: "Unhandled"; errorPayload?: Buffer; lines: string[] }> };
}

/**
 * The reserved concurrency an invocation may use: a qualifier with provisioned concurrency has the function's whole
 * reservation; any other shares what the provisioned configs leave of it (none when they take it all, as AWS throttles).
 */
function reservedShare(f: FunctionRec, q: string, version: string): number {
  const reserved = f.concurrency ?? 0;
  if (f.provisioned.has(q) || f.provisioned.has(version)) return reserved;
  return reserved - [...f.provisioned.values()].reduce((sum, p) => sum + p.requested, 0);
}

/**
 * Start one invocation (both modes); `requestId` is the function's request id (Invoke's own, as AWS answers it in
 * x-amzn-RequestId; kept across an asynchronous invocation's retries). buffered results are complete, streamed ones finish later. Log lines are written at the end. */
export async function start(
  ctx: Ctx,
  f: FunctionRec,
  q: string | undefined,
  payload: Buffer,
  clientContext?: string,
  requestId: string = randomUUID(),
): Promise<Outcome> {
  const s = st(ctx);
  const { version, rec } = resolveVersion(f, q);
  if (version === "$LATEST" && lifecycle(ctx, f).pending)
    throw E.conflict("The operation cannot be performed at this time. The function is currently in the following state: Pending");
  const inst = instancesOf(s);
  if (f.concurrency !== undefined && inst.running(f.name) >= reservedShare(f, q ?? "$LATEST", version))
    throw E.tooManyRequests("ReservedFunctionConcurrentInvocationLimitExceeded");
  if (f.concurrency === undefined && inst.total() >= ACCOUNT_CONCURRENCY) throw E.tooManyRequests("ConcurrentInvocationLimitExceeded");
  const mounts = ctx.config.execute ? await efsMounts(ctx, rec) : [];
  const logStreamName = `${day()}/[${version}]${randomUUID().replace(/-/g, "")}`;
  const release = inst.begin(f.name);
  let result: RunResult;
  try {
    if (!ctx.config.execute) result = { payload: Buffer.from("null"), initLines: [], logLines: [], durationMs: 1, logStream: logStreamName };
    else {
      const layers: Buffer[] = [];
      for (const arn of rec.layers) {
        const l = layerInUse(s, arn, ctx.sim.statesOf("lambda"));
        if (l) layers.push(l.zip);
      }
      const creds = await functionCredentials(ctx, rec);
      const env = functionEnv(ctx, f, rec, version, q, creds);
      const spec = {
        fn: rec,
        key: `${version}:${rec.codeSha256}:${rec.lastModified}:${env.AWS_LAMBDA_INITIALIZATION_TYPE}`,
        env,
        layers,
        mounts,
        logStreamName,
      };
      // X-Amz-Client-Context is base64 JSON; the runtime gets the JSON itself (Lambda-Runtime-Client-Context).
      const decoded = clientContext ? Buffer.from(clientContext, "base64").toString("utf8") : undefined;
      result = await inst.run(spec, requestId, payload, { clientContext: decoded });
    }
  } catch (e) {
    release();
    throw e;
  }
  const finish = async (durationMs: number): Promise<string[]> => {
    release();
    // Times never go back within an invocation, so the stream (ordered by time) keeps the order Lambda writes in.
    let last = 0;
    const timed = platformLines(ctx, rec, version, requestId, result, durationMs).map((l) => ({ ...l, t: (last = Math.max(last, l.t)) }));
    const logs = await ctx.stateOf<LogsState>("logs");
    appendEvents(logs, {
      group: loggingConfig(rec).LogGroup,
      stream: result.logStream,
      // Each event at the time it was written, ending with a newline, as CloudWatch Logs shows Lambda's events.
      // An event its writer ended without a newline stays so (Python's error record, its LAMBDA_WARNING).
      events: timed.map((l) => ({ timestamp: l.t, message: l.bare ? l.m : `${l.m}\n` })),
      createGroup: true,
    });
    // The invocation's log as written: each event with its own ending.
    return timed.map((l) => (l.bare ? l.m : `${l.m}\n`));
  };
  const streamed = result.stream;
  if (streamed) {
    const done = streamed.done.then(async (end) => ({ functionError: end.functionError, errorPayload: end.errorPayload, lines: await finish(end.durationMs) }));
    return { payload: Buffer.alloc(0), version, lines: [], stream: { body: streamed.body, contentType: streamed.contentType, done } };
  }
  const lines = await finish(result.durationMs);
  return { payload: result.payload, functionError: result.functionError, version, lines };
}

/**
 * Run one invocation to completion; a streamed response is collected. A durable function (function URLs,
 * S3 notifications) starts a durable execution and answers its outcome (fake mode: the invocation input).
 */
/**
 * Another service invoking a function of this server by its ARN, as AWS invokes it on that service's behalf (S3 event
 * notifications, ECS lifecycle hooks): through Lambda's own path, in the function's account and Region. Undefined when
 * the ARN names no function.
 */
export async function invokeByArn(sim: SimHandle, arn: string, payload: Buffer): Promise<Outcome | undefined> {
  const m = /^arn:[^:]+:lambda:([a-z0-9-]+):(\d{12}):function:([^:]+)(?::([^:]+))?$/.exec(arn);
  if (!m) return undefined;
  const [, region, account, name, qualifier] = m as unknown as [string, string, string, string, string | undefined];
  const state = await sim.stateOf<LambdaRuntimeState>("lambda", account, region);
  const f = state.functions.get(name);
  if (!f) return undefined;
  const ctx: Ctx = {
    requestId: randomUUID(),
    accountId: account,
    region,
    service: "lambda",
    operation: "Invoke",
    headers: {},
    now: () => new Date(),
    config: sim.config,
    state: <S>() => state as S,
    stateOf: <S>(service: string, r?: string, a?: string) => sim.stateOf<S>(service, a ?? account, r ?? region),
    sim,
  };
  return execute(ctx, f, qualifier, payload);
}

export async function execute(ctx: Ctx, f: FunctionRec, q: string | undefined, payload: Buffer, clientContext?: string, requestId?: string): Promise<Outcome> {
  const target = resolveVersion(f, q);
  if (!isDurable(target.rec)) return runOnce(ctx, f, q, payload, clientContext, requestId);
  const { rec } = startExecution(ctx, f, q, target, payload);
  if (!ctx.config.execute) return { payload: invocationInput(rec, false), version: rec.version, lines: [] };
  driver.reinvoke(ctx, rec);
  await closed(rec);
  if (rec.status === "SUCCEEDED") return { payload: Buffer.from(rec.result ?? "null"), version: rec.version, lines: [] };
  return { payload: Buffer.from(JSON.stringify(durableErrorBody(rec))), functionError: "Unhandled", version: rec.version, lines: [] };
}

async function runOnce(ctx: Ctx, f: FunctionRec, q: string | undefined, payload: Buffer, clientContext?: string, requestId?: string): Promise<Outcome> {
  const out = await start(ctx, f, q, payload, clientContext, requestId);
  if (!out.stream) return out;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of out.stream.body as AsyncIterable<Buffer>) {
    size += c.length;
    if (size <= 6291556) chunks.push(c);
  }
  const end = await out.stream.done;
  if (end.functionError) return { payload: end.errorPayload ?? Buffer.alloc(0), functionError: end.functionError, version: out.version, lines: end.lines };
  return { payload: Buffer.concat(chunks), version: out.version, lines: end.lines };
}

/** FileSystemConfigs → the EFS directories to bind (execute mode needs root on Linux for the mount namespace). */
async function efsMounts(ctx: Ctx, rec: FunctionRec) {
  const out: Array<{ hostPath: string; localMountPath: string; uid?: number; gid?: number }> = [];
  for (const fc of rec.settings.FileSystemConfigs ?? []) {
    if (!bindOptSupported())
      throw new AwsError(
        "EFSMountFailureException",
        `awsim cannot mount ${fc.Arn} at ${fc.LocalMountPath}: function file systems need a private mount namespace (run awsim as root on Linux).`,
        403,
      );
    try {
      const m = await resolveEfsMount(ctx.sim, st(ctx).accountId, st(ctx).region, { accessPoint: fc.Arn });
      out.push({ hostPath: m.hostPath, localMountPath: fc.LocalMountPath, uid: m.uid, gid: m.gid });
    } catch (e) {
      if (e instanceof EfsMountError) throw new AwsError("EFSMountFailureException", e.message, 403);
      throw e;
    }
  }
  return out;
}

const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];

/**
 * The invocation's log events around the function's own output, as Lambda writes them. Text format: INIT_START
 * (cold start of a managed runtime), START, END, REPORT (Init Duration on a cold start; Status and Error Type when
 * the platform ended it). JSON format: platform.initStart, platform.start and platform.report records, left out
 * when SystemLogLevel is above INFO.
 */
function platformLines(ctx: Ctx, rec: FunctionRec, version: string, requestId: string, result: RunResult, durationMs: number): LogLine[] {
  const now = Date.now();
  const initAt = result.initStartedAt ?? result.initLines[0]?.t ?? now;
  const startAt = result.invokeStartedAt ?? now;
  const cfg = loggingConfig(rec);
  const cold = result.initDurationMs !== undefined || result.initLines.length > 0;
  const runtime = rec.packageType === "Zip" && rec.runtime ? runtimeVersion(rec.runtime) : undefined;
  const arn = rec.runtime ? runtimeVersionArn(st(ctx).region, rec.runtime, rec.architectures[0]) : undefined;
  // Since August 2025 Lambda bills the init phase of every cold start: Billed Duration covers Init Duration + Duration.
  const billed = Math.max(1, Math.ceil(durationMs + (result.initDurationMs ?? 0)));
  const memUsed = result.maxMemoryMb ?? Math.min(rec.memorySize, 64);
  const ie = result.initError;
  if (cfg.LogFormat === "JSON") {
    const system = LEVELS.indexOf(cfg.SystemLogLevel ?? "INFO") <= LEVELS.indexOf("INFO");
    const ev = (t: number, type: string, record: Record<string, unknown>): LogLine => ({
      t,
      m: JSON.stringify({ time: new Date(t).toISOString(), type, record }),
    });
    const out: LogLine[] = [];
    if (system && cold)
      out.push(
        ev(initAt, "platform.initStart", {
          initializationType: initializationType(rec, version),
          phase: "init",
          runtimeVersion: runtime,
          runtimeVersionArn: runtime ? arn : undefined,
          functionName: rec.name,
          functionVersion: version,
        }),
      );
    // Lambda filters application logs at ApplicationLogLevel: a JSON line by its "level", any other line as INFO.
    const app = LEVELS.indexOf(cfg.ApplicationLogLevel ?? "INFO");
    const kept = (lines: LogLine[]) => lines.filter((l) => lineLevel(l.m) >= app);
    out.push(...kept(result.initLines));
    if (system && ie)
      out.push(
        ev(initAt + ie.durationMs, "platform.initReport", {
          initializationType: initializationType(rec, version),
          phase: "init",
          status: "error",
          errorType: ie.errorType,
          metrics: { durationMs: round3(ie.durationMs) },
        }),
      );
    if (system) out.push(ev(startAt, "platform.start", { requestId, version }));
    // The platform's own timeout and exit lines are the report's status in JSON format.
    out.push(
      ...kept(
        result.logLines.filter(
          (l) => !/ Task timed out after [\d.]+ seconds$|^RequestId: \S+ Error: Runtime exited (with error: |without providing a reason)/.test(l.m),
        ),
      ),
    );
    if (system) {
      const metrics: Record<string, number> = {
        durationMs: round3(durationMs),
        billedDurationMs: billed,
        memorySizeMB: rec.memorySize,
        maxMemoryUsedMB: memUsed,
      };
      if (result.initDurationMs !== undefined) metrics.initDurationMs = round3(result.initDurationMs);
      out.push(ev(now, "platform.report", { requestId, metrics, status: result.status?.status ?? "success", errorType: result.status?.errorType }));
    }
    return out;
  }
  const init = result.initDurationMs !== undefined ? `Init Duration: ${result.initDurationMs.toFixed(2)} ms\t` : "";
  const status = result.status ? `Status: ${result.status.status}\t${result.status.errorType ? `Error Type: ${result.status.errorType}\t` : ""}` : "";
  const line = (t: number, m: string): LogLine => ({ t, m });
  return [
    ...(cold && runtime ? [line(initAt, `INIT_START Runtime Version: ${runtime}\tRuntime Version ARN: ${arn}`)] : []),
    ...result.initLines,
    ...(ie
      ? [line(initAt + ie.durationMs, `INIT_REPORT Init Duration: ${ie.durationMs.toFixed(2)} ms\tPhase: init\tStatus: error\tError Type: ${ie.errorType}`)]
      : []),
    line(startAt, `START RequestId: ${requestId} Version: ${version}`),
    ...result.logLines,
    line(now, `END RequestId: ${requestId}`),
    line(
      now,
      `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${billed} ms\tMemory Size: ${rec.memorySize} MB\tMax Memory Used: ${memUsed} MB\t${init}${status}`,
    ),
  ];
}

/** A function output line's level for log-level filtering: a JSON object's "level" (WARNING and CRITICAL as WARN and FATAL), else INFO. */
function lineLevel(line: string): number {
  const info = LEVELS.indexOf("INFO");
  if (!line.startsWith("{")) return info;
  try {
    const level = String((JSON.parse(line) as { level?: unknown }).level ?? "").toUpperCase();
    const i = LEVELS.indexOf(level === "WARNING" ? "WARN" : level === "CRITICAL" ? "FATAL" : level);
    return i >= 0 ? i : info;
  } catch {
    return info;
  }
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** The runtime version a managed runtime's INIT_START names ("nodejs:20.v…", "python:3.12.v…"), stable per runtime. */
function runtimeVersion(runtime: string): string {
  const m = /^([a-z]+)\.?(.*?)(?:\.x)?$/.exec(runtime);
  return `${m?.[1] ?? runtime}:${m?.[2] || "1"}.v${(parseInt(createHash("sha256").update(runtime).digest("hex").slice(0, 2), 16) % 40) + 10}`;
}

/** AWS_LAMBDA_INITIALIZATION_TYPE: snap-start for a published version with SnapStart, provisioned-concurrency where configured. */
function initializationType(rec: FunctionRec, version: string, f?: FunctionRec, q?: string): string {
  if (version !== "$LATEST" && rec.settings.SnapStart?.ApplyOn === "PublishedVersions") return "snap-start";
  if (f && q && (f.provisioned.get(q)?.requested ?? 0) > 0) return "provisioned-concurrency";
  return "on-demand";
}

function functionEnv(ctx: Ctx, f: FunctionRec, rec: FunctionRec, version: string, q: string | undefined, creds: FunctionCredentials): Record<string, string> {
  const s = st(ctx);
  const logging = loggingConfig(rec);
  const env: Record<string, string> = {
    // X-Ray's variables, set for every function (recorded against AWS); the daemon address is the runtime API's host.
    // Not reserved: the function's Environment may override them.
    AWS_XRAY_CONTEXT_MISSING: "LOG_ERROR",
    AWS_XRAY_DAEMON_ADDRESS: "127.0.0.1:2000",
    _AWS_XRAY_DAEMON_ADDRESS: "127.0.0.1",
    _AWS_XRAY_DAEMON_PORT: "2000",
    ...rec.environment,
    AWS_LAMBDA_FUNCTION_NAME: rec.name,
    AWS_LAMBDA_FUNCTION_VERSION: version,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(rec.memorySize),
    AWS_LAMBDA_LOG_GROUP_NAME: logging.LogGroup,
    AWS_LAMBDA_INITIALIZATION_TYPE: initializationType(rec, version, f, q),
    AWS_REGION: s.region,
    AWS_DEFAULT_REGION: s.region,
    AWS_ENDPOINT_URL: ctx.sim.url(),
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_ACCESS_KEY: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_SESSION_TOKEN: creds.sessionToken,
    __AWSIM_INVOKED_ARN: q ? `${rec.arn}:${q}` : rec.arn,
  };
  // The runtime identifier of a managed runtime; OS-only runtimes (provided*) and container images get none from Lambda.
  if (rec.packageType !== "Image" && rec.runtime && !rec.runtime.startsWith("provided")) env.AWS_EXECUTION_ENV = `AWS_Lambda_${rec.runtime}`;
  // JSON log format: the runtime formats its records as JSON and filters application logs at this level. A Text
  // function's environment has neither variable (recorded against AWS: test_lambda_common introspection).
  if (logging.LogFormat === "JSON") env.AWS_LAMBDA_LOG_FORMAT = "JSON";
  if (logging.ApplicationLogLevel) env.AWS_LAMBDA_LOG_LEVEL = logging.ApplicationLogLevel;
  return env;
}

function checkPayload(payload: Buffer): void {
  if (payload.length > 6291456)
    throw new AwsError("RequestTooLargeException", `Request must be smaller than 6291456 bytes for the InvokeFunction operation`, 413);
  if (!payload.length) return;
  try {
    JSON.parse(payload.toString("utf8"));
  } catch {
    throw new AwsError(
      "InvalidRequestContentException",
      `Could not parse request body into json: Could not parse payload into json: ${jsonErrorDetail(payload)}`,
      400,
    );
  }
}

const VALID_VALUES = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

/**
 * The JSON parser's account of a payload that is not JSON, as Lambda words it, for the shapes recorded against AWS
 * (test_lambda_invoke_payload_encoding_error): a value starting with a control character, and a word broken by
 * a byte that cannot start a UTF-8 character; the position is 1-based, the column counting bytes. Other shapes keep
 * the bare "Unexpected character".
 */
function jsonErrorDetail(p: Buffer): string {
  let i = 0;
  let line = 1;
  let lineStart = 0;
  while (i < p.length && (p[i] === 0x20 || p[i] === 0x09 || p[i] === 0x0a || p[i] === 0x0d)) {
    if (p[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
    i++;
  }
  const at = (col: number) => `\n at [Source: REDACTED (\`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION\` disabled); line: ${line}, column: ${col}]`;
  const b = p[i];
  if (b === undefined) return "Unexpected character";
  const letter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  if (letter(b) && b !== 0x4e && b !== 0x49) {
    let j = i + 1;
    while (j < p.length && (letter(p[j]!) || (p[j]! >= 0x30 && p[j]! <= 0x39) || p[j] === 0x5f || p[j] === 0x24)) j++;
    const word = p.subarray(i, j).toString("latin1");
    const c = p[j];
    const invalidStart = c !== undefined && c >= 0x80 && (c & 0xe0) !== 0xc0 && (c & 0xf0) !== 0xe0 && (c & 0xf8) !== 0xf0;
    if (invalidStart && !["null", "true", "false"].includes(word))
      return `Invalid UTF-8 start byte 0x${c.toString(16).padStart(2, "0")}${at(j - lineStart + 2)}`;
    return "Unexpected character";
  }
  // A C0 or C1 control (a byte 0x80-0x9F counts as its Latin-1 character) starts no value; the column is its own.
  if (!(b < 0x20 || (b >= 0x7f && b <= 0x9f))) return "Unexpected character";
  return `Unexpected character ((CTRL-CHAR, code ${b})): expected a valid value ${VALID_VALUES}${at(i - lineStart + 1)}`;
}

const header = (v: Input, member: string, name: string): string | undefined => v[member] ?? (v.$headers as Record<string, string> | undefined)?.[name];
const payloadOf = (v: Input, member: string): Buffer => {
  const p = v[member] ?? v.$body;
  return p === undefined ? Buffer.alloc(0) : Buffer.isBuffer(p) ? p : Buffer.from(p);
};

function target(ctx: Ctx, v: Input): { f: FunctionRec; q: string | undefined } {
  const q = qualifierOf(v);
  // Invoke's not-found names the qualifier, $LATEST when none was given (recorded against AWS, 2025).
  const f = getFn(ctx, v.FunctionName, q ?? "$LATEST");
  resolveVersion(f, q);
  return { f, q };
}

/**
 * X-Amz-Client-Context must be base64 (padding optional) of a JSON object; Invoke checks it before it looks the
 * function up (smithy-rs lambda naughty-strings-client-context: every such string, against a function that does not
 * exist, is InvalidRequestContentException with this message).
 */
function checkClientContext(cc: string | undefined): void {
  if (cc === undefined || cc === "") return;
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(cc) || cc.replace(/=+$/, "").length % 4 === 1) throw new Error("not base64");
    parsed = JSON.parse(Buffer.from(cc, "base64").toString("utf8"));
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new AwsError("InvalidRequestContentException", "Client context must be a valid Base64-encoded JSON object.", 400);
}

async function Invoke(ctx: Ctx, v: Input) {
  checkClientContext(header(v, "ClientContext", "x-amz-client-context"));
  const { f, q } = target(ctx, v);
  const type = header(v, "InvocationType", "x-amz-invocation-type") ?? "RequestResponse";
  if (!["RequestResponse", "Event", "DryRun"].includes(type))
    throw E.validation(
      `1 validation error detected: Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
    );
  if (type === "DryRun") return rawResponse({ status: 204, headers: {} });
  const payload = payloadOf(v, "Payload");
  checkPayload(payload);
  const resolved = resolveVersion(f, q);
  if (isDurable(resolved.rec))
    return invokeDurable(
      ctx,
      f,
      q,
      resolved,
      type,
      payload.length ? payload : Buffer.from("{}"),
      header(v, "DurableExecutionName", "x-amz-durable-execution-name"),
    );
  if (type === "Event") {
    enqueue(ctx, f, q, payload.length ? payload : Buffer.from("{}"), ctx.requestId);
    return rawResponse({ status: 202, headers: { "content-length": "0" } });
  }
  const out = await execute(ctx, f, q, payload.length ? payload : Buffer.from("{}"), header(v, "ClientContext", "x-amz-client-context"), ctx.requestId);
  const headers: Record<string, string> = { "content-type": "application/json", "x-amz-executed-version": out.version };
  if (out.functionError) headers["x-amz-function-error"] = out.functionError;
  if ((header(v, "LogType", "x-amz-log-type") ?? "None") === "Tail") headers["x-amz-log-result"] = tail(out.lines);
  return rawResponse({ status: 200, headers, body: out.payload });
}

/**
 * LogType Tail: the last 4 KB of the invocation's log. A cold start's INIT_START line goes to CloudWatch only: AWS's
 * LogResult opens with START even when the REPORT carries an Init Duration (recorded against AWS, 2025).
 */
const tail = (lines: string[]) =>
  Buffer.from(lines.filter((l) => !l.startsWith("INIT_START ")).join(""))
    .subarray(-4096)
    .toString("base64");

/** InvokeAsync (deprecated by AWS, still served): queue an Event invocation; 202. */
function InvokeAsync(ctx: Ctx, v: Input) {
  const { f, q } = target(ctx, v);
  const payload = payloadOf(v, "InvokeArgs");
  checkPayload(payload);
  if (q === undefined && isDurable(f)) throw E.invalid("You cannot invoke a durable function using an unqualified ARN.");
  enqueue(ctx, f, q, payload.length ? payload : Buffer.from("{}"), ctx.requestId);
  return rawResponse({ status: 202, headers: { "content-type": "application/json" }, body: JSON.stringify({ Status: 202 }) });
}

/** One event-stream message (application/vnd.amazon.eventstream) with string headers. */
export function eventMessage(headers: Record<string, string>, payload: Buffer): Buffer {
  const hs = Buffer.concat(
    Object.entries(headers).map(([k, val]) => {
      const name = Buffer.from(k);
      const value = Buffer.from(val);
      const b = Buffer.alloc(1 + name.length + 1 + 2 + value.length);
      b.writeUInt8(name.length, 0);
      name.copy(b, 1);
      b.writeUInt8(7, 1 + name.length);
      b.writeUInt16BE(value.length, 2 + name.length);
      value.copy(b, 4 + name.length);
      return b;
    }),
  );
  const total = 12 + hs.length + payload.length + 4;
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(hs.length, 4);
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
  const body = Buffer.concat([prelude, hs, payload]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([body, crc]);
}

/**
 * InvokeWithResponseStream: the response arrives as event-stream PayloadChunk events and a final
 * InvokeComplete. A buffered function's result goes out as one chunk; an awslambda.streamifyResponse handler's
 * writes go out as they happen.
 */
async function InvokeWithResponseStream(ctx: Ctx, v: Input) {
  const { f, q } = target(ctx, v);
  // InvocationType DryRun still runs the function and streams its response, as RequestResponse does (SAM CLI's
  // test_invoke_different_boto_options, run against AWS: PayloadChunk events and InvokeComplete).
  const payload = payloadOf(v, "Payload");
  checkPayload(payload);
  const out = await start(ctx, f, q, payload.length ? payload : Buffer.from("{}"), header(v, "ClientContext", "x-amz-client-context"), ctx.requestId);
  const ev = (name: string, body: Buffer, ct: string) => eventMessage({ ":event-type": name, ":content-type": ct, ":message-type": "event" }, body);
  const wantTail = (header(v, "LogType", "x-amz-log-type") ?? "None") === "Tail";
  const complete = (functionError: string | undefined, errorPayload: Buffer, lines: string[]) => {
    const c: Record<string, string> = {};
    if (functionError) {
      let err: { errorType?: string; errorMessage?: string } = {};
      try {
        err = JSON.parse(errorPayload.toString("utf8"));
      } catch {
        /* not JSON */
      }
      c.ErrorCode = err.errorType ?? "Unhandled";
      c.ErrorDetails = err.errorMessage ?? errorPayload.toString("utf8");
    }
    if (wantTail) c.LogResult = tail(lines);
    return ev("InvokeComplete", Buffer.from(JSON.stringify(c)), "application/json");
  };
  const headers = { "content-type": "application/vnd.amazon.eventstream", "x-amz-executed-version": out.version };
  const streamed = out.stream;
  if (!streamed) {
    const parts = [];
    if (!out.functionError && out.payload.length) parts.push(ev("PayloadChunk", out.payload, "application/octet-stream"));
    parts.push(complete(out.functionError, out.payload, out.lines));
    return rawResponse({ status: 200, headers, body: Buffer.concat(parts) });
  }
  // The function streams: each chunk it writes goes out as a PayloadChunk event while it runs.
  const body = new PassThrough();
  void (async () => {
    for await (const c of streamed.body as AsyncIterable<Buffer>) body.write(ev("PayloadChunk", c, "application/octet-stream"));
    const end = await streamed.done;
    body.end(complete(end.functionError, end.errorPayload ?? Buffer.alloc(0), end.lines));
  })().catch(() => body.destroy());
  return rawResponse({ status: 200, headers, body });
}

/** Queue an asynchronous invocation with the function's event invoke config (retries, age, destinations). */
function enqueue(ctx: Ctx, f: FunctionRec, q: string | undefined, payload: Buffer, requestId: string = randomUUID()): void {
  const durable = resolveVersion(f, q);
  if (isDurable(durable.rec)) {
    // A durable function's asynchronous invocation starts an execution, which handles its own retries.
    try {
      const { rec } = startExecution(ctx, f, q, durable, payload);
      if (ctx.config.execute) driver.reinvoke(ctx, rec);
    } catch {
      /* an unqualified ARN cannot start a durable execution: the event is dropped, as Lambda rejects it */
    }
    return;
  }
  const cfg = f.eventInvokeConfigs.get(q ?? "$LATEST") ?? f.eventInvokeConfigs.get("$LATEST");
  const maxRetries = cfg?.MaximumRetryAttempts ?? 2;
  const maxAgeMs = (cfg?.MaximumEventAgeInSeconds ?? 21600) * 1000;
  const queued = Date.now();
  const run = async () => {
    let attempt = 0;
    let last: Outcome | undefined;
    let throttled = 0;
    // Why a failed event stops: its retries ran out, or it grew older than MaximumEventAgeInSeconds before the next
    // attempt (AWS's destination record says "EventAgeExceeded", recorded in TestLambdaDestinationSqs::test_maxeventage).
    let expired = false;
    for (;;) {
      try {
        // Every attempt runs under the event's one request id (TestRequestIdHandling::test_request_id_async_invoke_with_retry).
        last = await execute(ctx, f, q, payload, undefined, requestId);
        attempt++;
        if (!last.functionError) break;
      } catch (e) {
        if (!(e instanceof AwsError) || e.status !== 429 || st(ctx).disposed) return;
        // Throttled events stay queued (retried with backoff until MaximumEventAgeInSeconds), not counted as attempts.
        const wait = Math.min(1000 * 2 ** Math.min(throttled++, 5), 30_000);
        if (Date.now() + wait - queued > maxAgeMs) {
          expired = true;
          break;
        }
        await new Promise((r) => setTimeout(r, wait).unref());
        continue;
      }
      if (attempt > maxRetries || st(ctx).disposed) break;
      if (Date.now() + 1000 * attempt - queued > maxAgeMs) {
        expired = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 1000 * attempt).unref());
    }
    const ok = last !== undefined && !last.functionError;
    const dest = (ok ? cfg?.DestinationConfig?.OnSuccess : cfg?.DestinationConfig?.OnFailure) as { Destination?: string } | undefined;
    if (!dest?.Destination) return;
    const record = {
      version: "1.0",
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId,
        functionArn: q ? `${f.arn}:${q}` : `${f.arn}:$LATEST`,
        condition: ok ? "Success" : expired ? "EventAgeExceeded" : "RetriesExhausted",
        approximateInvokeCount: attempt,
      },
      requestPayload: safeJson(payload),
      responseContext: { statusCode: 200, executedVersion: last?.version ?? "$LATEST", ...(last?.functionError ? { functionError: last.functionError } : {}) },
      responsePayload: last ? safeJson(last.payload) : null,
    };
    const m = /^arn:aws[a-zA-Z-]*:lambda:([^:]+):(\d{12}):function:([^:]+)(?::([^:]+))?$/.exec(dest.Destination);
    const s = st(ctx);
    if (!m || m[1] !== s.region || m[2] !== s.accountId) return;
    const target = s.functions.get(m[3]!);
    if (target) enqueue(ctx, target, m[4], Buffer.from(JSON.stringify(record)));
  };
  void run().catch(() => undefined);
}

function safeJson(b: Buffer): unknown {
  try {
    return JSON.parse(b.toString("utf8"));
  } catch {
    return b.toString("utf8");
  }
}

// ---------------------------------------------------------------------------------------------------------
// Durable functions (durable.ts holds the execution records and the 2025-12-01 API)

/** Invoke of a durable function: start (or re-attach to, by DurableExecutionName) its durable execution. */
async function invokeDurable(
  ctx: Ctx,
  f: FunctionRec,
  q: string | undefined,
  target: { version: string; rec: FunctionRec },
  type: string,
  payload: Buffer,
  name?: string,
) {
  if (target.version === "$LATEST" && lifecycle(ctx, f).pending)
    throw E.conflict("The operation cannot be performed at this time. The function is currently in the following state: Pending");
  const { rec, created } = startExecution(ctx, f, q, target, payload, name);
  const headers: Record<string, string> = { "x-amz-durable-execution-arn": rec.arn, "x-amz-executed-version": rec.version };
  if (created && ctx.config.execute) driver.reinvoke(ctx, rec);
  if (type === "Event") return rawResponse({ status: 202, headers: { ...headers, "content-length": "0" } });
  headers["content-type"] = "application/json";
  // Fake mode runs no function: the answer is what the function would receive, to drive through the checkpoint API.
  if (!ctx.config.execute && rec.status === "RUNNING") return rawResponse({ status: 200, headers, body: invocationInput(rec, created) });
  await closed(rec);
  if (rec.status === "SUCCEEDED") return rawResponse({ status: 200, headers, body: rec.result ?? "null" });
  headers["x-amz-function-error"] = "Unhandled";
  return rawResponse({ status: 200, headers, body: JSON.stringify(durableErrorBody(rec)) });
}

/** A closed, unsuccessful execution as Invoke's error payload. */
function durableErrorBody(rec: DurableExecRec) {
  const e = rec.error ?? {};
  return { errorType: e.ErrorType ?? `Execution.${rec.status}`, errorMessage: e.ErrorMessage ?? `The durable execution ${rec.status}.`, trace: e.StackTrace };
}

/** An error payload ({errorType, errorMessage, trace}) as the durable API's ErrorObject. */
function errorObject(payload: Buffer): ErrorObject {
  const j = safeJson(payload) as { errorType?: string; errorMessage?: string; trace?: string[]; stackTrace?: string[] } | string | null;
  if (!j || typeof j !== "object") return { ErrorType: "Runtime.Unknown", ErrorMessage: String(j ?? "") };
  return { ErrorType: j.errorType, ErrorMessage: j.errorMessage, StackTrace: j.trace ?? j.stackTrace };
}

/** Something the service will resume the execution for (a wait, a callback, a chained invoke, a step retry). */
const awaitsSomething = (rec: DurableExecRec) =>
  [...rec.ops.values()].some(
    (o) =>
      (o.Status === "STARTED" && ["WAIT", "CALLBACK", "CHAINED_INVOKE"].includes(o.Type)) ||
      (o.Type === "STEP" && (o.Status === "PENDING" || o.Status === "READY")),
  );

/** One invocation of a durable execution in execute mode, and what its answer means for the execution. */
async function runDurable(ctx: Ctx, rec: DurableExecRec): Promise<void> {
  const f = st(ctx).functions.get(rec.functionName);
  if (!f) return close(ctx, rec, "FAILED", { error: { ErrorType: "ResourceNotFoundException", ErrorMessage: `Function not found: ${rec.functionArn}` } });
  const startedAt = ctx.now();
  const input = invocationInput(rec, true);
  let requestId: string = randomUUID();
  let failure: ErrorObject | undefined;
  let answer: { Status?: string; Result?: string; Error?: ErrorObject } | undefined;
  try {
    const out = await runOnce(ctx, f, rec.version === "$LATEST" ? undefined : rec.version, input);
    requestId = /RequestId: ([0-9a-f-]+)/.exec(out.lines.find((l) => l.startsWith("START")) ?? "")?.[1] ?? requestId;
    if (out.functionError) failure = errorObject(out.payload);
    else {
      const j = safeJson(out.payload);
      if (j && typeof j === "object" && ["SUCCEEDED", "FAILED", "PENDING"].includes(String((j as { Status?: string }).Status))) answer = j as typeof answer;
      else
        failure = {
          ErrorType: "Runtime.InvalidDurableResponse",
          ErrorMessage: "The function did not answer a durable execution status (is it wrapped by the durable execution SDK?).",
        };
    }
  } catch (e) {
    failure = { ErrorType: e instanceof AwsError ? e.code : "ServiceException", ErrorMessage: e instanceof Error ? e.message : String(e) };
  }
  rec.events.push({
    EventType: "InvocationCompleted",
    EventId: rec.events.length + 1,
    Id: rec.id,
    Name: rec.name,
    EventTimestamp: ctx.now(),
    InvocationCompletedDetails: { StartTimestamp: startedAt, EndTimestamp: ctx.now(), RequestId: requestId, Error: failure ? { Payload: failure } : undefined },
  });
  if (rec.status !== "RUNNING") return;
  if (failure) {
    if (++rec.invokeErrors > 2 || st(ctx).disposed) return close(ctx, rec, "FAILED", { error: failure });
    await new Promise((r) => setTimeout(r, 1000 * rec.invokeErrors).unref());
    return runDurable(ctx, rec);
  }
  rec.invokeErrors = 0;
  if (answer!.Status === "SUCCEEDED") return close(ctx, rec, "SUCCEEDED", { result: answer!.Result });
  if (answer!.Status === "FAILED") return close(ctx, rec, "FAILED", { error: answer!.Error ?? {} });
  if (rec.changed.size) return runDurable(ctx, rec);
  if (!awaitsSomething(rec))
    close(ctx, rec, "FAILED", { error: { ErrorType: "Execution.InvalidPending", ErrorMessage: "The function answered PENDING with no pending operation." } });
}

const driver: DurableDriver = {
  reinvoke(ctx, rec) {
    if (rec.running || rec.status !== "RUNNING" || st(ctx).disposed) return;
    rec.running = true;
    void runDurable(ctx, rec)
      .catch(() => undefined)
      .finally(() => {
        rec.running = false;
        if (rec.status === "RUNNING" && rec.changed.size) driver.reinvoke(ctx, rec);
      });
  },
  async chained(ctx, _rec, targetName, _tenant, payload) {
    const [name, q] = parseName(targetName);
    const f = st(ctx).functions.get(name);
    if (!f) return { error: { ErrorType: "ResourceNotFoundException", ErrorMessage: `Function not found: ${targetName}` } };
    const t = resolveVersion(f, q);
    if (isDurable(t.rec)) {
      let child: DurableExecRec;
      try {
        child = startExecution(ctx, f, q, t, payload).rec;
      } catch (e) {
        return { error: { ErrorType: e instanceof AwsError ? e.code : "ServiceException", ErrorMessage: e instanceof Error ? e.message : String(e) } };
      }
      if (ctx.config.execute) driver.reinvoke(ctx, child);
      await closed(child);
      return {
        result: child.result,
        error: child.status === "SUCCEEDED" ? undefined : (child.error ?? { ErrorType: child.status }),
        version: t.version,
        arn: child.arn,
      };
    }
    const out = await execute(ctx, f, q, payload);
    return out.functionError ? { error: errorObject(out.payload), version: out.version } : { result: out.payload.toString("utf8"), version: out.version };
  },
};

export const invokeOperations = { Invoke, InvokeAsync, InvokeWithResponseStream, ...durableOperations(driver) };
