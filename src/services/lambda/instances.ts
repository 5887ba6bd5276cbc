/**
 * Execute mode: function instances. Each instance is a process with its own Lambda Runtime API on
 * loopback (AWS_LAMBDA_RUNTIME_API). nodejs and python Zip functions run awsim's runtime client
 * (bootstraps.ts); provided* functions run their `bootstrap`; Image functions run ImageConfig
 * EntryPoint+Command. An idle instance is reused by the next invocation of the same function version and
 * configuration (warm; REPORT has no Init Duration) and stopped after IDLE_MS. An Image command that exits 0
 * without ever polling the Runtime API is a one-shot: its stdout is the response. Layers are unpacked into
 * the instance's /opt: bind-mounted at /opt in a private mount namespace when awsim runs as root on Linux,
 * otherwise a directory named by the /opt-style variables (PATH, LD_LIBRARY_PATH, NODE_PATH, PYTHONPATH)
 * and __AWSIM_OPT. EFS FileSystemConfigs are bound at their LocalMountPath in the same namespace (root only).
 * A timeout, a crash or an init error ends the instance; the next invocation starts a new one (cold).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { MAX_RESPONSE_BYTES, RuntimeApi, type InvocationResult } from "../../runtime/lambda-runtime-api.js";
import type { Readable } from "node:stream";
import type { Tracker } from "../../runtime/tracker.js";
import { NODE_BOOTSTRAP, PYTHON_BOOTSTRAP } from "./bootstraps.js";
import type { FunctionRec } from "./state.js";
import { readZip } from "./zip.js";

/**
 * A custom runtime's `#!/bin/sh` bootstrap: on Amazon Linux (provided.al2023, provided.al2) /bin/sh is bash, and
 * AWS's own custom runtime tutorial relies on it (`set -euo pipefail`, `source`, `function f ()`). Where this host's
 * /bin/sh is another shell (dash on Debian and Ubuntu), the script runs under bash in POSIX mode, as bash runs
 * when invoked as sh; any other interpreter line is left to the kernel.
 */
const HOST_SH_IS_BASH = (() => {
  try {
    return /bash$/.test(realpathSync("/bin/sh"));
  } catch {
    return false;
  }
})();
const BASH = ["/bin/bash", "/usr/bin/bash"].find((p) => existsSync(p));
function shellOf(file: string): string[] {
  if (HOST_SH_IS_BASH || !BASH) return [file];
  let head = "";
  try {
    // Not executable: left to fail as AWS fails it.
    if (!(statSync(file).mode & 0o111)) return [file];
    head = readFileSync(file).subarray(0, 256).toString("latin1").split("\n", 1)[0] ?? "";
  } catch {
    return [file];
  }
  const m = /^#!\s*\/bin\/sh(?:\s+(.*))?$/.exec(head.replace(/\r$/, ""));
  if (!m) return [file];
  return [BASH, "--posix", ...(m[1]?.trim() ? m[1].trim().split(/\s+/) : []), file];
}

const IDLE_MS = 120_000;
/** The init phase's limit on a cold start (10 s on AWS). */
const INIT_LIMIT_MS = 10_000;
const MAX_LINES = 10_000;

/**
 * The node_modules directory the AWS SDK for JavaScript v3 resolves from (awsim's own or its host project's), as
 * Lambda's Node.js runtimes provide the SDK to handlers that do not bundle it; undefined when it cannot be found.
 */
let sdkModules: string | null | undefined;
function runtimeSdkModules(): string | undefined {
  if (sdkModules === undefined) {
    try {
      const pkg = createRequire(import.meta.url).resolve("@aws-sdk/client-sts/package.json");
      sdkModules = pkg.slice(0, pkg.lastIndexOf("/@aws-sdk/"));
    } catch {
      sdkModules = null;
    }
  }
  return sdkModules ?? undefined;
}
export interface RunSpec {
  fn: FunctionRec;
  /** Identifies interchangeable instances: function, version and configuration revision. */
  key: string;
  env: Record<string, string>;
  layers: Buffer[];
  /** EFS directories to bind at their LocalMountPath (resolved by the EFS service), with the access point's POSIX user. */
  mounts: Array<{ hostPath: string; localMountPath: string; uid?: number; gid?: number }>;
  logStreamName: string;
}

/** A line the function wrote (or the platform wrote for it), with the time it was written. */
export interface LogLine {
  t: number;
  m: string;
  /** Written without a closing newline (kept so: CloudWatch and the tail show the event as it was written). */
  bare?: boolean;
}

export interface RunResult {
  payload: Buffer;
  functionError?: "Unhandled";
  initLines: LogLine[];
  logLines: LogLine[];
  /** When the init phase (cold start) and the invoke phase began. */
  initStartedAt?: number;
  invokeStartedAt?: number;
  durationMs: number;
  initDurationMs?: number;
  /** Peak resident memory of the instance's process (Linux /proc VmHWM), in MB. */
  maxMemoryMb?: number;
  logStream: string;
  /** How the invocation ended when not with the runtime's answer (REPORT's Status and Error Type). */
  status?: { status: "timeout" | "error"; errorType?: string };
  /** The init phase failed (INIT_REPORT with Status: error). */
  initError?: { durationMs: number; errorType: string };
  /** A streamed response: the body as the function writes it; `done` settles when it ends (duration then final). */
  stream?: { body: Readable; contentType?: string; done: Promise<{ functionError?: "Unhandled"; errorPayload?: Buffer; durationMs: number }> };
}

interface Instance {
  key: string;
  fnName: string;
  api: RuntimeApi;
  child: ChildProcess;
  dir: string;
  busy: boolean;
  dead: boolean;
  sink: LogLine[];
  initLines: LogLine[];
  stdout: Buffer[];
  stdoutBytes: number;
  startedAt: number;
  readyAt?: number;
  closed: Promise<number | null>;
  idleTimer?: NodeJS.Timeout;
  logStream: string;
  onInitError?: (body: Buffer, type?: string) => void;
  onReady?: () => void;
  /** Its function changed while it was busy: stop it when the invocation ends. */
  retired?: boolean;
  /** Settles once the process has exited and its directory is removed. */
  removed?: Promise<void>;
}

let canBindOpt: boolean | undefined;
/** True when a private mount namespace with bind mounts is possible (root on Linux with unshare). */
export function bindOptSupported(): boolean {
  if (canBindOpt === undefined) {
    canBindOpt =
      process.platform === "linux" &&
      process.getuid?.() === 0 &&
      existsSync("/opt") &&
      spawnSync("unshare", ["-m", "--propagation", "private", "sh", "-c", "mount --bind / /opt && umount /opt"], { stdio: "ignore", timeout: 5000 }).status ===
        0;
  }
  return canBindOpt;
}

const sq = (x: string) => `'${x.replace(/'/g, "'\\''")}'`;

/**
 * The shell run inside the function's private mount namespace before its process: layers bound at /opt; EFS
 * directories bound at their LocalMountPath under a private tmpfs /mnt (the host's /mnt is untouched);
 * then the process, as the access point's POSIX user when one is given.
 */
function mountScript(spec: RunSpec, optDir: string): string {
  const steps = ["set -e"];
  if (spec.layers.length) steps.push(`mount --bind ${sq(optDir)} /opt`);
  if (spec.mounts.length) steps.push("mount -t tmpfs -o mode=755 awsim-mnt /mnt");
  for (const m of spec.mounts) steps.push(`mkdir -p ${sq(m.localMountPath)}`, `mount --bind ${sq(m.hostPath)} ${sq(m.localMountPath)}`);
  const user = spec.mounts.find((m) => m.uid !== undefined);
  steps.push(user ? `exec setpriv --reuid=${user.uid} --regid=${user.gid ?? user.uid} --clear-groups "$@"` : 'exec "$@"');
  return steps.join("\n");
}

/** awsim's own runtime clients (nodejs*, python* Zip functions) log through the telemetry descriptor. */
const usesTelemetryFd = (fn: FunctionRec) => fn.packageType !== "Image" && /^(nodejs|python)/.test(fn.runtime ?? "");

function unpack(zip: Buffer, dir: string): Map<string, Buffer> {
  const files = readZip(zip);
  for (const [name, data] of files) {
    const p = resolve(dir, name);
    if (!p.startsWith(dir + "/")) continue;
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, data, { mode: 0o755 });
  }
  return files;
}

function peakMemoryMb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Math.max(1, Math.ceil(Number(kb) / 1024)) : undefined;
  } catch {
    return undefined;
  }
}

export class Instances {
  private readonly pools = new Map<string, Instance[]>();
  private readonly inflight = new Map<string, number>();

  constructor(private readonly tracker: Tracker) {}

  /** Invocations in flight for a function (reserved concurrency is checked against it). */
  running(fnName: string): number {
    return this.inflight.get(fnName) ?? 0;
  }

  /** Invocations in flight for all functions of the account and region. */
  total(): number {
    let n = 0;
    for (const v of this.inflight.values()) n += v;
    return n;
  }

  /** Count an invocation in flight until the returned release is called (fake mode uses it too). */
  begin(fnName: string): () => void {
    this.inflight.set(fnName, this.running(fnName) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = this.running(fnName) - 1;
      if (n > 0) this.inflight.set(fnName, n);
      else this.inflight.delete(fnName);
    };
  }

  /** Stop a function's idle instances (of one version, or all): its code or configuration changed, or it was deleted. */
  retire(fnName: string, version?: string): void {
    for (const i of [...(this.pools.get(fnName) ?? [])]) {
      if (version !== undefined && !i.key.startsWith(`${version}:`)) continue;
      if (i.busy) i.retired = true;
      else this.kill(i);
    }
  }

  /** Stop everything and release the tracker (state dropped on reset or stop). */
  async dispose(): Promise<void> {
    await this.stopAll();
    this.tracker.dispose();
  }

  async stopAll(): Promise<void> {
    const all = [...this.pools.values()].flat();
    for (const i of all) this.kill(i);
    await Promise.all(all.map((i) => i.removed));
  }

  async run(spec: RunSpec, requestId: string, payload: Buffer, extra: { clientContext?: string } = {}): Promise<RunResult> {
    const pool = this.pools.get(spec.fn.name) ?? [];
    this.pools.set(spec.fn.name, pool);
    let inst = pool.find((i) => i.key === spec.key && !i.busy && !i.dead);
    const cold = !inst;
    if (!inst) {
      inst = await this.spawn(spec);
      pool.push(inst);
    }
    const i = inst;
    i.busy = true;
    clearTimeout(i.idleTimer);
    const runLines: LogLine[] = [];
    if (!cold || i.api.polled) i.sink = runLines;
    else i.onReady = () => (i.sink = runLines);
    const started = Date.now();
    const timeoutMs = spec.fn.timeout * 1000;
    type Outcome =
      | { t: "result"; r: InvocationResult }
      | { t: "exit"; code: number | null }
      | { t: "init-error"; body: Buffer; type?: string }
      | { t: "timeout" };
    let timer: NodeJS.Timeout | undefined;
    // The invoke phase (Duration, the deadline, the timeout) starts when the runtime receives the invocation; a cold
    // start's init comes before it, limited to INIT_LIMIT_MS as on AWS.
    let deliveredAt: number | undefined;
    const outcome = await new Promise<Outcome>((done) => {
      i.api
        .invoke({
          requestId,
          payload,
          timeoutMs,
          onDeliver: (at) => {
            deliveredAt = at;
            clearTimeout(timer);
            timer = setTimeout(() => done({ t: "timeout" }), timeoutMs);
          },
          functionArn: spec.env.__AWSIM_INVOKED_ARN ?? spec.fn.arn,
          clientContext: extra.clientContext,
          // An X-Ray trace header per invocation (sampled when TracingConfig is Active), as _X_AMZN_TRACE_ID carries it.
          traceId: `Root=1-${Math.floor(started / 1000).toString(16)}-${randomBytes(12).toString("hex")};Parent=${randomBytes(8).toString("hex")};Sampled=${spec.fn.settings.TracingConfig?.Mode === "Active" ? 1 : 0}`,
        })
        .then(
          (r) => done({ t: "result", r }),
          () => undefined,
        );
      void i.closed.then((code) => done({ t: "exit", code }));
      i.onInitError = (body, type) => done({ t: "init-error", body, type });
      if (deliveredAt === undefined) timer = setTimeout(() => done({ t: "timeout" }), (cold ? INIT_LIMIT_MS : 0) + timeoutMs);
    });
    clearTimeout(timer);
    const invokeStart = deliveredAt ?? started;
    const durationMs = Date.now() - invokeStart;
    const initDurationMs = cold && i.readyAt ? i.readyAt - i.startedAt : undefined;
    const base = {
      initLines: cold ? i.initLines : [],
      logLines: runLines,
      initStartedAt: cold ? i.startedAt : undefined,
      invokeStartedAt: invokeStart,
      durationMs,
      initDurationMs,
      maxMemoryMb: peakMemoryMb(i.child.pid),
      logStream: i.logStream,
    };
    // messageFirst: the member order of the ResponseSizeTooLarge payload (recorded against AWS:
    // test_lambda_too_large_response); the platform's other errors put errorType first.
    const fail = (errorType: string, errorMessage: string, status: "timeout" | "error" = "error", messageFirst = false) => ({
      ...base,
      payload: Buffer.from(JSON.stringify(messageFirst ? { errorMessage, errorType } : { errorType, errorMessage })),
      functionError: "Unhandled" as const,
      status: { status, errorType: status === "error" ? errorType : undefined },
    });
    if (outcome.t === "result") {
      const r = outcome.r;
      if (r.kind === "stream") {
        const timer2 = setTimeout(() => this.kill(i), Math.max(0, invokeStart + timeoutMs - Date.now()));
        const done = r.done.then((end) => {
          clearTimeout(timer2);
          if (!i.dead) this.idle(i);
          const durationMs = Date.now() - invokeStart;
          if (!end.errorType) return { durationMs };
          return {
            durationMs,
            functionError: "Unhandled" as const,
            errorPayload: end.errorBody?.length ? end.errorBody : Buffer.from(JSON.stringify({ errorType: end.errorType, errorMessage: end.errorType })),
          };
        });
        return { ...base, payload: Buffer.alloc(0), stream: { body: r.stream, contentType: r.contentType, done } };
      }
      this.idle(i);
      if (r.kind === "response") return { ...base, payload: r.body };
      if (r.kind === "error") return { ...base, payload: r.body, functionError: "Unhandled" };
      return fail("Function.ResponseSizeTooLarge", `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`, "error", true);
    }
    this.kill(i);
    // A warm instance whose process ended between invocations (its runtime exited after answering the last one)
    // never received this invocation: it runs in a new instance, as Lambda replaces a dead environment.
    if (outcome.t === "exit" && !cold && deliveredAt === undefined) {
      await i.removed;
      return this.run(spec, requestId, payload, extra);
    }
    if (outcome.t === "timeout") {
      const msg = `Task timed out after ${spec.fn.timeout.toFixed(2)} seconds`;
      runLines.push({ t: Date.now(), m: `${new Date().toISOString()} ${requestId} ${msg}` });
      return fail("Sandbox.Timedout", `RequestId: ${requestId} Error: ${msg}`, "timeout");
    }
    if (outcome.t === "init-error") {
      let body = outcome.body;
      try {
        JSON.parse(body.toString("utf8"));
      } catch {
        body = Buffer.from(JSON.stringify({ errorType: outcome.type ?? "Runtime.Unknown", errorMessage: body.toString("utf8") }));
      }
      let errorType = outcome.type;
      try {
        errorType ??= (JSON.parse(body.toString("utf8")) as { errorType?: string }).errorType;
      } catch {
        /* not JSON: the header named it or nothing did */
      }
      return {
        ...base,
        initLines: i.initLines,
        payload: body,
        functionError: "Unhandled",
        status: { status: "error", errorType: errorType ?? "Runtime.Unknown" },
        initError: { durationMs: Date.now() - i.startedAt, errorType: errorType ?? "Runtime.Unknown" },
      };
    }
    if (!i.api.polled && spec.fn.packageType === "Image" && outcome.code === 0) {
      // A one-shot command that never used the Runtime API: its stdout is the response.
      return { ...base, logLines: cold ? [...i.initLines, ...runLines] : runLines, initLines: [], initDurationMs: undefined, payload: Buffer.concat(i.stdout) };
    }
    // As Lambda logs it: the platform's error line, then the error type on its own line.
    // A clean exit (status 0) gives no reason; any other status or a signal is the runtime's error (recorded against AWS).
    const reason =
      outcome.code === 0
        ? "Runtime exited without providing a reason"
        : `Runtime exited with error: ${outcome.code === null ? "signal: killed" : `exit status ${outcome.code}`}`;
    const exitMsg = `RequestId: ${requestId} Error: ${reason}`;
    runLines.push({ t: Date.now(), m: `${exitMsg}\nRuntime.ExitError` });
    return fail("Runtime.ExitError", exitMsg);
  }

  private idle(i: Instance): void {
    i.busy = false;
    if (i.retired) return this.kill(i);
    clearTimeout(i.idleTimer);
    i.idleTimer = setTimeout(() => this.kill(i), IDLE_MS);
    i.idleTimer.unref();
  }

  private argv(fn: FunctionRec, taskDir: string, optDir: string, files: Map<string, Buffer>): { argv: string[]; cwd: string } {
    if (fn.packageType === "Image") {
      return { argv: [...(fn.imageConfig?.EntryPoint ?? []), ...(fn.imageConfig?.Command ?? [])], cwd: fn.imageConfig?.WorkingDirectory ?? taskDir };
    }
    const rt = fn.runtime ?? "";
    if (rt.startsWith("python")) return { argv: ["python3", "-c", PYTHON_BOOTSTRAP], cwd: taskDir };
    if (rt.startsWith("nodejs")) return { argv: [process.execPath, "-e", NODE_BOOTSTRAP], cwd: taskDir };
    // provided.al2023, provided.al2, provided, and any other runtime: the package's (or a layer's) bootstrap.
    if (files.has("bootstrap")) return { argv: shellOf(join(taskDir, "bootstrap")), cwd: taskDir };
    if (existsSync(join(optDir, "bootstrap"))) return { argv: shellOf(join(optDir, "bootstrap")), cwd: taskDir };
    return { argv: [], cwd: taskDir };
  }

  private async spawn(spec: RunSpec): Promise<Instance> {
    const fn = spec.fn;
    const dir = mkdtempSync(join(tmpdir(), "awsim-lambda-"));
    const taskDir = join(dir, "task");
    const optDir = join(dir, "opt");
    // LAMBDA_RUNTIME_DIR (/var/runtime on AWS): the runtime's own directory, apart from the function's code.
    const runtimeDir = join(dir, "runtime");
    mkdirSync(taskDir);
    mkdirSync(optDir);
    mkdirSync(runtimeDir);
    // Readable by an access point's POSIX user, as /var/task is.
    chmodSync(dir, 0o755);
    for (const l of spec.layers) unpack(l, optDir);
    const files = fn.packageType === "Zip" && fn.zip ? unpack(fn.zip, taskDir) : new Map<string, Buffer>();
    const bind = (spec.layers.length > 0 || spec.mounts.length > 0) && bindOptSupported();
    const opt = bind ? "/opt" : optDir;
    let { argv, cwd } = this.argv(fn, taskDir, optDir, files);
    if (bind) argv = argv.map((a) => (a === join(optDir, "bootstrap") ? "/opt/bootstrap" : a));
    const api = await RuntimeApi.start();
    const env: Record<string, string> = {
      PATH: `${process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin"}:${opt}/bin`,
      HOME: process.env.HOME ?? "/tmp",
      LANG: "en_US.UTF-8",
      TZ: ":UTC",
      // As AWS: $LAMBDA_RUNTIME_DIR:$LAMBDA_RUNTIME_DIR/lib:$LAMBDA_TASK_ROOT:$LAMBDA_TASK_ROOT/lib:/opt/lib (after the host's).
      LD_LIBRARY_PATH: [process.env.LD_LIBRARY_PATH, runtimeDir, `${runtimeDir}/lib`, taskDir, `${taskDir}/lib`, `${opt}/lib`].filter(Boolean).join(":"),
      // A layer's Node.js paths, as on AWS: nodejs/node<major>/node_modules for the function's runtime, then nodejs/node_modules.
      // Then the runtime's own modules (AWS: /var/runtime/node_modules, which holds the AWS SDK for JavaScript v3).
      NODE_PATH: [
        `${opt}/nodejs/node${/^nodejs(\d+)/.exec(fn.runtime ?? "")?.[1] ?? "20"}/node_modules`,
        `${opt}/nodejs/node_modules`,
        runtimeSdkModules(),
        taskDir,
      ]
        .filter(Boolean)
        .join(":"),
      PYTHONPATH: `${opt}/python`,
      PYTHONUNBUFFERED: "1",
      PYTHONDONTWRITEBYTECODE: "1",
      ...spec.env,
      _HANDLER: fn.handler ?? "",
      LAMBDA_TASK_ROOT: taskDir,
      LAMBDA_RUNTIME_DIR: runtimeDir,
      AWS_LAMBDA_RUNTIME_API: api.address,
      AWS_LAMBDA_LOG_STREAM_NAME: spec.logStreamName,
      AWS_LAMBDA_INITIALIZATION_TYPE: spec.env.AWS_LAMBDA_INITIALIZATION_TYPE ?? "on-demand",
      __AWSIM_OPT: opt,
      // awsim's runtimes write each log event as one frame on fd 3, as AWS's runtimes do on their telemetry
      // descriptor: a message keeps its newlines in one CloudWatch event.
      ...(usesTelemetryFd(fn) ? { _LAMBDA_TELEMETRY_LOG_FD: "3" } : {}),
    };
    delete env.__AWSIM_INVOKED_ARN;
    // AWS_LAMBDA_EXEC_WRAPPER: a managed runtime's bootstrap execs the wrapper with the runtime's command line as its
    // arguments; a wrapper that is not there ends the runtime with exit status 127
    // (recorded: TestLambdaErrors::test_lambda_runtime_wrapper_not_found).
    const wrapper = spec.env.AWS_LAMBDA_EXEC_WRAPPER;
    if (wrapper && fn.packageType !== "Image" && /^(python|nodejs)/.test(fn.runtime ?? "") && argv.length) {
      const local =
        wrapper.startsWith("/opt/") && !bind ? join(optDir, wrapper.slice(5)) : wrapper.startsWith("/var/task/") ? join(taskDir, wrapper.slice(10)) : wrapper;
      argv = ["sh", "-c", 'exec "$0" "$@"', local, ...argv];
    }
    if (bind && argv.length) argv = ["unshare", "-m", "--propagation", "private", "sh", "-c", mountScript(spec, optDir), "sh", ...argv];
    const initLines: LogLine[] = [];
    const inst: Instance = {
      key: spec.key,
      fnName: fn.name,
      api,
      child: undefined as unknown as ChildProcess,
      dir,
      busy: false,
      dead: false,
      sink: initLines,
      initLines,
      stdout: [],
      stdoutBytes: 0,
      startedAt: Date.now(),
      closed: Promise.resolve(null),
      logStream: spec.logStreamName,
    };
    api.onInitError = (body, type) => inst.onInitError?.(body, type);
    api.onReady = () => {
      inst.readyAt ??= Date.now();
      inst.onReady?.();
    };
    if (argv.length === 0) {
      const msg =
        fn.packageType === "Image"
          ? "No command to run: ImageConfig has neither EntryPoint nor Command"
          : `Couldn't find valid bootstrap(s): [${taskDir}/bootstrap ${opt}/bootstrap]`;
      inst.closed = new Promise((r) =>
        setImmediate(() => (inst.onInitError?.(Buffer.from(JSON.stringify({ errorType: "Runtime.InvalidEntrypoint", errorMessage: msg }))), r(127))),
      );
      inst.child = { pid: undefined } as unknown as ChildProcess;
      return inst;
    }
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: existsSync(cwd) ? cwd : taskDir,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe", usesTelemetryFd(fn) ? "pipe" : "ignore"],
    });
    inst.child = child;
    inst.closed = new Promise((r) => {
      child.once("close", (code, signal) => r(code ?? (signal ? null : 0)));
      child.once("error", (e) => {
        const msg = `RequestId: Error: fork/exec ${argv[0]}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : e.message}`;
        inst.onInitError?.(Buffer.from(JSON.stringify({ errorType: "Runtime.InvalidEntrypoint", errorMessage: msg })));
        r(127);
      });
    });
    if (child.pid) this.tracker.add(child.pid, inst.closed);
    void inst.closed.then(() => this.kill(inst));
    const pending = { stdout: "", stderr: "" };
    const collect = (which: "stdout" | "stderr", d: Buffer | undefined) => {
      if (d) pending[which] += d.toString("utf8");
      else if (pending[which]) pending[which] += "\n";
      let nl: number;
      while ((nl = pending[which].indexOf("\n")) >= 0) {
        const line = pending[which].slice(0, nl).replace(/\r$/, "");
        pending[which] = pending[which].slice(nl + 1);
        if (line.length && inst.sink.length < MAX_LINES) inst.sink.push({ t: Date.now(), m: line });
      }
    };
    child.stdout!.on("data", (d: Buffer) => {
      if (!api.polled && inst.stdoutBytes < MAX_RESPONSE_BYTES) {
        inst.stdout.push(d);
        inst.stdoutBytes += d.length;
      }
      collect("stdout", d);
    });
    child.stderr!.on("data", (d: Buffer) => collect("stderr", d));
    // Telemetry frames: type (4 bytes), length (4), timestamp in microseconds (8), message.
    let frames = Buffer.alloc(0);
    (child.stdio[3] as Readable | null)?.on("data", (d: Buffer) => {
      frames = Buffer.concat([frames, d]);
      while (frames.length >= 16) {
        const len = frames.readUInt32BE(4);
        if (frames.length < 16 + len) break;
        const t = Math.floor(Number(frames.readBigUInt64BE(8)) / 1000);
        const raw = frames.subarray(16, 16 + len).toString("utf8");
        frames = frames.subarray(16 + len);
        const line: LogLine = raw.endsWith("\n") ? { t, m: raw.slice(0, -1) } : { t, m: raw, bare: true };
        if (inst.sink.length < MAX_LINES) inst.sink.push(line);
      }
    });
    child.stdout!.once("end", () => collect("stdout", undefined));
    child.stderr!.once("end", () => collect("stderr", undefined));
    return inst;
  }

  private kill(i: Instance): void {
    if (i.dead) return;
    i.dead = true;
    clearTimeout(i.idleTimer);
    if (i.child?.pid) this.tracker.signal(i.child.pid, "SIGKILL");
    const pool = this.pools.get(i.fnName);
    if (pool) {
      const k = pool.indexOf(i);
      if (k >= 0) pool.splice(k, 1);
      if (!pool.length) this.pools.delete(i.fnName);
    }
    void i.api.close();
    i.removed = i.closed.then(() => rmSync(i.dir, { recursive: true, force: true }));
  }
}
