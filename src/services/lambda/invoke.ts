/**
 * Running a function in execute mode: an Image function's ImageConfig command (event on stdin, stdout is
 * the response), or a Zip nodejs* function's handler under node with a small bootstrap. Each run is a
 * process group owned by a Tracker; Timeout kills it ("Task timed out after N.00 seconds"); output is bounded.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Tracker } from "../../runtime/tracker.js";
import { readZip } from "./zip.js";
import type { FunctionRec } from "./state.js";

export interface RunResult {
  payload: Buffer;
  functionError?: "Unhandled";
  logLines: string[];
  durationMs: number;
}

const MAX_OUTPUT = 6 * 1024 * 1024;

const BOOTSTRAP = `
const { pathToFileURL } = require("node:url");
const fs = require("node:fs");
(async () => {
  const [file, fn] = [process.env.__AWSIM_HANDLER_FILE, process.env.__AWSIM_HANDLER_FN];
  const out = process.env.__AWSIM_RESULT;
  const write = (o) => fs.writeFileSync(out, JSON.stringify(o));
  try {
    let mod;
    try { mod = require(file); } catch (e) { if (e && e.code === "ERR_REQUIRE_ESM") mod = await import(pathToFileURL(file).href); else throw e; }
    const handler = mod[fn] ?? (mod.default && mod.default[fn]);
    if (typeof handler !== "function") throw Object.assign(new Error(file + " is undefined or not exported"), { name: "Runtime.HandlerNotFound" });
    const event = JSON.parse(fs.readFileSync(0, "utf8") || "null");
    const context = { functionName: process.env.AWS_LAMBDA_FUNCTION_NAME, functionVersion: "$LATEST", awsRequestId: process.env.__AWSIM_REQUEST_ID, memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, invokedFunctionArn: process.env.__AWSIM_ARN, getRemainingTimeInMillis: () => 1000, callbackWaitsForEmptyEventLoop: true };
    const result = await new Promise((resolve, reject) => {
      const r = handler(event, context, (err, res) => (err ? reject(err) : resolve(res)));
      if (r && typeof r.then === "function") r.then(resolve, reject);
    });
    write({ ok: true, result: result === undefined ? null : result });
  } catch (e) {
    write({ ok: false, error: { errorType: (e && e.name) || "Error", errorMessage: (e && e.message) || String(e), trace: String((e && e.stack) || "").split("\\n") } });
  }
  process.exit(0);
})();
`;

const BOOTSTRAP_PY = `
import importlib, json, os, sys, traceback
sys.path.insert(0, os.getcwd())
out = os.environ["__AWSIM_RESULT"]
def write(o):
    with open(out, "w") as f: json.dump(o, f)
class Context:
    function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
    function_version = "$LATEST"
    aws_request_id = os.environ.get("__AWSIM_REQUEST_ID")
    memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
    invoked_function_arn = os.environ.get("__AWSIM_ARN")
    def get_remaining_time_in_millis(self): return 1000
try:
    mod = importlib.import_module(os.environ["__AWSIM_HANDLER_MODULE"])
    handler = getattr(mod, os.environ["__AWSIM_HANDLER_FN"])
    raw = sys.stdin.read()
    result = handler(json.loads(raw) if raw else None, Context())
    write({"ok": True, "result": result})
except Exception as e:
    write({"ok": False, "error": {"errorType": type(e).__name__, "errorMessage": str(e), "stackTrace": traceback.format_exc().splitlines()}})
`;

export function runFunction(tracker: Tracker, f: FunctionRec, event: Buffer, env: Record<string, string>, requestId: string): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), "awsim-lambda-"));
  const resultFile = join(dir, ".result.json");
  let argv: string[];
  let cwd = dir;
  if (f.packageType === "Image") {
    argv = [...(f.imageConfig?.EntryPoint ?? []), ...(f.imageConfig?.Command ?? [])];
    if (f.imageConfig?.WorkingDirectory) cwd = f.imageConfig.WorkingDirectory;
  } else {
    const files = f.zip ? readZip(f.zip) : new Map<string, Buffer>();
    for (const [name, data] of files) {
      const p = join(dir, name);
      if (!p.startsWith(dir + "/")) continue;
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, data);
    }
    const handler = f.handler ?? "index.handler";
    const dot = handler.lastIndexOf(".");
    const base = handler.slice(0, dot);
    const exists = (ext: string) => files.has(base + ext);
    if (f.runtime?.startsWith("python")) {
      Object.assign(env, {
        __AWSIM_HANDLER_MODULE: base.replace(/\//g, "."),
        __AWSIM_HANDLER_FN: handler.slice(dot + 1),
        __AWSIM_RESULT: resultFile,
        PYTHONDONTWRITEBYTECODE: "1",
      });
      argv = ["python3", "-c", BOOTSTRAP_PY];
    } else {
      const file = join(dir, base + ([".js", ".mjs", ".cjs"].find(exists) ?? ".js"));
      Object.assign(env, { __AWSIM_HANDLER_FILE: file, __AWSIM_HANDLER_FN: handler.slice(dot + 1), __AWSIM_RESULT: resultFile });
      argv = [process.execPath, "-e", BOOTSTRAP];
    }
  }
  const started = Date.now();
  return new Promise<RunResult>((resolve) => {
    const logLines: string[] = [];
    let stdout = Buffer.alloc(0);
    const pending = { stdout: "", stderr: "" };
    // Lambda writes every line a function prints (stdout and stderr, in arrival order) to its log stream.
    const collect = (which: "stdout" | "stderr", d: Buffer | undefined) => {
      if (d) pending[which] += d.toString("utf8");
      else if (pending[which]) pending[which] += "\n";
      let nl: number;
      while ((nl = pending[which].indexOf("\n")) >= 0) {
        const line = pending[which].slice(0, nl).replace(/\r$/, "");
        pending[which] = pending[which].slice(nl + 1);
        if (line.length && logLines.length < 10000) logLines.push(line);
      }
    };
    let timedOut = false;
    const done = (r: Omit<RunResult, "logLines" | "durationMs">) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ ...r, logLines, durationMs: Date.now() - started });
    };
    if (argv.length === 0)
      return done({
        payload: Buffer.from(
          JSON.stringify({ errorType: "Runtime.InvalidEntrypoint", errorMessage: "No command to run: ImageConfig has neither EntryPoint nor Command" }),
        ),
        functionError: "Unhandled",
      });
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...env, __AWSIM_REQUEST_ID: requestId },
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const exited = new Promise<void>((r) => child.once("close", () => r()));
    if (child.pid) tracker.add(child.pid, exited);
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) tracker.signal(child.pid, "SIGKILL");
    }, f.timeout * 1000);
    child.stdin.on("error", () => undefined);
    child.stdin.end(event);
    child.stdout.on("data", (d: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout = Buffer.concat([stdout, d]);
      collect("stdout", d);
    });
    child.stderr.on("data", (d: Buffer) => collect("stderr", d));
    child.once("error", (e) => {
      clearTimeout(timer);
      done({
        payload: Buffer.from(JSON.stringify({ errorType: "Runtime.InvalidEntrypoint", errorMessage: String((e as Error).message) })),
        functionError: "Unhandled",
      });
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      collect("stdout", undefined);
      collect("stderr", undefined);
      if (timedOut) {
        const msg = `Task timed out after ${f.timeout.toFixed(2)} seconds`;
        logLines.push(`${new Date().toISOString()} ${requestId} ${msg}`);
        return done({ payload: Buffer.from(JSON.stringify({ errorType: "Sandbox.Timedout", errorMessage: msg })), functionError: "Unhandled" });
      }
      if (f.packageType === "Image") {
        if (code !== 0)
          return done({
            payload: Buffer.from(
              JSON.stringify({ errorType: "Runtime.ExitError", errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${code}` }),
            ),
            functionError: "Unhandled",
          });
        return done({ payload: stdout });
      }
      let res: { ok: boolean; result?: unknown; error?: unknown } | undefined;
      try {
        res = JSON.parse(readFileSync(resultFile, "utf8"));
      } catch {
        res = undefined;
      }
      if (!res)
        return done({
          payload: Buffer.from(
            JSON.stringify({ errorType: "Runtime.ExitError", errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${code}` }),
          ),
          functionError: "Unhandled",
        });
      if (!res.ok) return done({ payload: Buffer.from(JSON.stringify(res.error)), functionError: "Unhandled" });
      done({ payload: Buffer.from(JSON.stringify(res.result)) });
    });
  });
}
