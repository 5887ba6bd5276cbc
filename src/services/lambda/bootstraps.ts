/**
 * awsim's own runtime clients for nodejs* and python* Zip functions: small loops over the Lambda Runtime
 * API (next → handler → response/error), loading the handler named by _HANDLER from LAMBDA_TASK_ROOT,
 * as AWS's runtime interface clients do. Warm instances keep module state between invocations.
 */
export const NODE_BOOTSTRAP = `
const { pathToFileURL } = require("node:url");
const fs = require("node:fs");
const path = require("node:path");
const api = "http://" + process.env.AWS_LAMBDA_RUNTIME_API + "/2018-06-01/runtime";
const errOf = (e, type) => ({ errorType: type || (e && e.name) || "Error", errorMessage: (e && e.message) || String(e), trace: String((e && e.stack) || "").split("\\n") });
const post = (url, body, headers = {}) => fetch(url, { method: "POST", body, headers });
// As AWS's Node runtime: console output becomes "<time>\\t<request id>\\t<LEVEL>\\t<message>", one event per call
// (newlines inside a message become \\r); JSON log format writes {"timestamp","level","requestId","message"}.
const util = require("node:util");
let requestId;
const jsonLogs = process.env.AWS_LAMBDA_LOG_FORMAT === "JSON";
for (const [method, level] of [["log", "INFO"], ["info", "INFO"], ["warn", "WARN"], ["error", "ERROR"], ["debug", "DEBUG"], ["trace", "TRACE"]]) {
  console[method] = (...args) => {
    const message = util.format(...args);
    const line = jsonLogs
      ? JSON.stringify({ timestamp: new Date().toISOString(), level, requestId, message })
      : new Date().toISOString() + "\\t" + (requestId ?? "undefined") + "\\t" + level + "\\t" + message.replace(/\\n/g, "\\r");
    process.stdout.write(line + "\\n");
  };
}
// awslambda.streamifyResponse(handler): the handler gets (event, responseStream, context) and its writes are
// streamed to the Runtime API (Lambda-Runtime-Function-Response-Mode: streaming, errors in trailers).
const http = require("node:http");
const { Writable } = require("node:stream");
const STREAMING = Symbol.for("aws.lambda.runtime.handler.streaming");
class ResponseStream extends Writable {
  constructor(id) { super(); this.id = id; this.contentType = "application/octet-stream"; this.req = undefined; this.failure = undefined; }
  setContentType(ct) { this.contentType = ct; }
  open() {
    if (this.req) return this.req;
    this.req = http.request(api + "/invocation/" + this.id + "/response", {
      method: "POST",
      headers: { "Lambda-Runtime-Function-Response-Mode": "streaming", "Transfer-Encoding": "chunked", "Content-Type": this.contentType, Trailer: "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body" },
    });
    this.answered = new Promise((resolve) => { this.req.on("response", (r) => { r.resume(); r.on("end", resolve); }); this.req.on("error", resolve); });
    return this.req;
  }
  _write(chunk, enc, cb) { this.open().write(chunk, cb); }
  _final(cb) {
    const r = this.open();
    if (this.failure) r.addTrailers({ "Lambda-Runtime-Function-Error-Type": this.failure.errorType, "Lambda-Runtime-Function-Error-Body": Buffer.from(JSON.stringify(this.failure)).toString("base64") });
    r.end(cb);
  }
}
globalThis.awslambda = {
  streamifyResponse: (fn) => { fn[STREAMING] = "response"; return fn; },
  HttpResponseStream: {
    from(stream, prelude) {
      stream.setContentType("application/vnd.awslambda.http-integration-response");
      stream.write(JSON.stringify(prelude));
      stream.write(Buffer.alloc(8));
      return stream;
    },
  },
};
(async () => {
  const h = process.env._HANDLER || "index.handler";
  const dot = h.lastIndexOf(".");
  const base = path.join(process.env.LAMBDA_TASK_ROOT, h.slice(0, dot));
  const fnName = h.slice(dot + 1);
  let handler;
  try {
    const file = [".js", ".mjs", ".cjs"].map((x) => base + x).find((f) => fs.existsSync(f));
    if (!file) throw Object.assign(new Error("Cannot find module '" + h.slice(0, dot) + "'"), { name: "Runtime.ImportModuleError" });
    let mod;
    try { mod = require(file); } catch (e) { if (e && e.code === "ERR_REQUIRE_ESM") mod = await import(pathToFileURL(file).href); else throw e; }
    handler = mod[fnName] ?? (mod.default && mod.default[fnName]);
    if (typeof handler !== "function") throw Object.assign(new Error(h + " is undefined or not exported"), { name: "Runtime.HandlerNotFound" });
  } catch (e) {
    const type = e && String(e.name).startsWith("Runtime.") ? e.name : "Runtime.ImportModuleError";
    await post(api + "/init/error", JSON.stringify(errOf(e, type)), { "Lambda-Runtime-Function-Error-Type": type });
    process.exit(1);
  }
  let fails = 0;
  for (;;) {
    let r;
    // The Runtime API gone (awsim stopped or died) ends the instance, as Lambda's runtimes do; never spin.
    try { r = await fetch(api + "/invocation/next"); fails = 0; } catch { if (++fails >= 3) process.exit(1); await new Promise((ok) => setTimeout(ok, 200)); continue; }
    const id = r.headers.get("lambda-runtime-aws-request-id");
    requestId = id;
    const deadline = Number(r.headers.get("lambda-runtime-deadline-ms"));
    const text = await r.text();
    const context = {
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      invokedFunctionArn: r.headers.get("lambda-runtime-invoked-function-arn"),
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      awsRequestId: id,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      callbackWaitsForEmptyEventLoop: true,
    };
    const cc = r.headers.get("lambda-runtime-client-context");
    if (cc) try { context.clientContext = JSON.parse(cc); } catch {}
    process.env._X_AMZN_TRACE_ID = r.headers.get("lambda-runtime-trace-id") || "";
    if (handler[STREAMING] === "response") {
      const rs = new ResponseStream(id);
      try {
        await handler(JSON.parse(text || "null"), rs, context);
        if (!rs.writableEnded) rs.end();
      } catch (e) {
        const err = errOf(e);
        console.error("Invoke Error \\t" + JSON.stringify(err));
        if (!rs.req) { await post(api + "/invocation/" + id + "/error", JSON.stringify(err), { "Lambda-Runtime-Function-Error-Type": "Unhandled" }); continue; }
        rs.failure = err;
        if (!rs.writableEnded) rs.end();
      }
      await new Promise((r) => (rs.writableFinished ? r() : rs.once("finish", r)));
      await rs.answered;
      continue;
    }
    try {
      const event = JSON.parse(text || "null");
      const result = await new Promise((resolve, reject) => {
        const p = handler(event, context, (err, res) => (err ? reject(err) : resolve(res)));
        if (p && typeof p.then === "function") p.then(resolve, reject);
      });
      await post(api + "/invocation/" + id + "/response", JSON.stringify(result === undefined ? null : result));
    } catch (e) {
      const err = errOf(e);
      console.error("Invoke Error \\t" + JSON.stringify(err));
      await post(api + "/invocation/" + id + "/error", JSON.stringify(err), { "Lambda-Runtime-Function-Error-Type": "Unhandled" });
    }
  }
})();
`;

export const PYTHON_BOOTSTRAP = `
import importlib, json, os, sys, time, traceback, urllib.request
root = os.environ["LAMBDA_TASK_ROOT"]
sys.path.insert(0, root)
# A layer's Python paths, as on AWS: python/lib/pythonX.Y/site-packages, then python.
ver = os.environ.get("AWS_EXECUTION_ENV", "").replace("AWS_Lambda_", "")
if not ver.startswith("python3"): ver = "python%d.%d" % sys.version_info[:2]
for base in dict.fromkeys(("/opt", os.environ.get("__AWSIM_OPT", "/opt"))):
    for p in (base + "/python/lib/" + ver + "/site-packages", base + "/python"):
        if os.path.isdir(p) and p not in sys.path: sys.path.append(p)
api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
def post(url, body, headers={}):
    req = urllib.request.Request(url, data=body.encode(), method="POST", headers=headers)
    urllib.request.urlopen(req).read()
def err(msg, t, rid="", trace=None):
    # AWS's Python runtime: the handler's frames as traceback.format_list gives them (runtime frames left out).
    return json.dumps({"errorMessage": msg, "errorType": t, "requestId": rid, "stackTrace": trace or []})
def trace_of(e):
    tb = list(traceback.extract_tb(e.__traceback__))
    while tb and tb[0].filename == "<string>":
        tb = tb[1:]
    return traceback.format_list(tb)
class Context:
    def __init__(self, rid, arn, deadline):
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = arn
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.aws_request_id = rid
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self._deadline = deadline
    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline - time.time() * 1000))
import logging
request_id = None
class AwsFormatter(logging.Formatter):
    # As AWS's Python runtime: "[LEVEL]\\t<time>Z\\t<request id>\\t<message>"; JSON log format writes an object.
    def format(self, record):
        t = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + ".%03dZ" % record.msecs
        msg = record.getMessage()
        if record.exc_info:
            msg += "\\n" + self.formatException(record.exc_info)
        if os.environ.get("AWS_LAMBDA_LOG_FORMAT") == "JSON":
            return json.dumps({"timestamp": t, "level": record.levelname, "message": msg, "logger": record.name, "requestId": request_id})
        return "[%s]\\t%s\\t%s\\t%s" % (record.levelname, t, request_id, msg.replace("\\n", "\\r"))
_h = logging.StreamHandler(sys.stdout)
_h.setFormatter(AwsFormatter())
logging.getLogger().addHandler(_h)
h = os.environ.get("_HANDLER", "lambda_function.lambda_handler")
mod_name, _, fn_name = h.rpartition(".")
try:
    handler = getattr(importlib.import_module(mod_name.replace("/", ".")), fn_name)
except Exception as e:
    t = "Runtime.HandlerNotFound" if isinstance(e, AttributeError) else "Runtime.ImportModuleError"
    msg = "Handler '%s' missing on module '%s'" % (fn_name, mod_name) if t == "Runtime.HandlerNotFound" else "Unable to import module '%s': %s" % (mod_name, e)
    post(api + "/init/error", err(msg, t), {"Lambda-Runtime-Function-Error-Type": t})
    sys.exit(1)
fails = 0
while True:
    try:
        r = urllib.request.urlopen(api + "/invocation/next", timeout=None)
        fails = 0
    except Exception:
        # The Runtime API gone (awsim stopped or died) ends the instance; never spin.
        fails += 1
        if fails >= 3:
            sys.exit(1)
        time.sleep(0.2)
        continue
    rid = r.headers.get("Lambda-Runtime-Aws-Request-Id")
    request_id = rid
    body = r.read()
    os.environ["_X_AMZN_TRACE_ID"] = r.headers.get("Lambda-Runtime-Trace-Id") or ""
    try:
        result = handler(json.loads(body) if body else None, Context(rid, r.headers.get("Lambda-Runtime-Invoked-Function-Arn"), int(r.headers.get("Lambda-Runtime-Deadline-Ms") or 0)))
        try:
            out = json.dumps(result)
        except (TypeError, ValueError) as me:
            post(api + "/invocation/" + rid + "/error", json.dumps({"errorMessage": "Unable to marshal response: %s" % me, "errorType": "Runtime.MarshalError", "requestId": rid, "stackTrace": []}), {"Lambda-Runtime-Function-Error-Type": "Runtime.MarshalError"})
            continue
        post(api + "/invocation/" + rid + "/response", out)
    except Exception as e:
        trace = trace_of(e)
        body = err(str(e), type(e).__name__, rid, trace)
        head = "[ERROR] " + type(e).__name__ + (": %s" % e if str(e) else "")
        lines = [head, "Traceback (most recent call last):"] + [l for el in trace for l in el.splitlines()]
        sys.stdout.write("\\r".join(lines) + "\\n")
        post(api + "/invocation/" + rid + "/error", body, {"Lambda-Runtime-Function-Error-Type": "Unhandled"})
    sys.stdout.flush()
`;
