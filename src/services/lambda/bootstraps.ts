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
// As Node's runtime reports what a handler threw: an Error by name, message and stack; anything else by its typeof.
const errOf = (e, type) =>
  e instanceof Error || (e && typeof e === "object" && typeof e.stack === "string")
    ? { errorType: type || e.name || "Error", errorMessage: e.message ?? "", trace: String(e.stack || "").split("\\n") }
    : { errorType: type || typeof e, errorMessage: String(e), trace: [] };
// In the log, Node's runtime names the stack "stack" (the response payload names it "trace").
// JSON log format: the error itself is the record's message (as console.error(error) writes it).
const logErr = (prefix, err) =>
  process.env.AWS_LAMBDA_LOG_FORMAT === "JSON"
    ? emit(JSON.stringify({ timestamp: new Date().toISOString(), level: "ERROR", requestId, message: { errorType: err.errorType, errorMessage: err.errorMessage, stackTrace: err.trace } }) + "\\n")
    : console.error(prefix + " \\t" + JSON.stringify({ errorType: err.errorType, errorMessage: err.errorMessage, stack: err.trace }));
const post = (url, body, headers = {}) => fetch(url, { method: "POST", body, headers });
// Each log event goes out as one frame on the telemetry descriptor (_LAMBDA_TELEMETRY_LOG_FD, read once and removed
// from the environment, as AWS's runtime does), so a message keeps its newlines in one event; stdout without it.
const telemetryFd = process.env._LAMBDA_TELEMETRY_LOG_FD;
delete process.env._LAMBDA_TELEMETRY_LOG_FD;
const emit = (msg) => {
  if (telemetryFd === undefined) return void process.stdout.write(msg.replace(/\\n(?!$)/g, "\\r"));
  const body = Buffer.from(msg);
  const head = Buffer.alloc(16);
  head.writeUInt32BE(0xa55a0003, 0);
  head.writeUInt32BE(body.length, 4);
  head.writeBigUInt64BE(BigInt(Date.now()) * 1000n, 8);
  fs.writeSync(Number(telemetryFd), Buffer.concat([head, body]));
};
// As AWS's Node runtime: console output becomes "<time>\\t<request id>\\t<LEVEL>\\t<message>", one event per call
// (its newlines kept); JSON log format writes {"timestamp","level","requestId","message"}.
const util = require("node:util");
let requestId;
const jsonLogs = process.env.AWS_LAMBDA_LOG_FORMAT === "JSON";
// JSON log format: entries below AWS_LAMBDA_LOG_LEVEL (the ApplicationLogLevel) are dropped.
const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];
const minLevel = jsonLogs ? Math.max(0, LEVELS.indexOf(process.env.AWS_LAMBDA_LOG_LEVEL || "INFO")) : 0;
// As Node's runtime writes a JSON record: one argument is the message as it is (an object stays an object, an Error
// becomes {errorType, errorMessage, stackTrace}); several are formatted, the first Error among them adding its fields.
const errorFields = (e, own) => Object.assign({ errorType: (e.constructor && e.constructor.name) || "UnknownError", errorMessage: e.message, stackTrace: typeof e.stack === "string" ? e.stack.split("\\n") : e.stack }, own ? e : {});
const jsonLine = (level, args) => {
  const rec = { timestamp: new Date().toISOString(), level, requestId };
  if (args.length === 1) {
    rec.message = args[0];
    try { return JSON.stringify(rec, (k, v) => (v instanceof Error ? errorFields(v, true) : v)); } catch { rec.message = util.format(args[0]); return JSON.stringify(rec); }
  }
  rec.message = util.format(...args);
  const e = args.slice(1).find((a) => a instanceof Error);
  return JSON.stringify(e ? { ...rec, ...errorFields(e) } : rec);
};
for (const [method, level] of [["log", "INFO"], ["info", "INFO"], ["warn", "WARN"], ["error", "ERROR"], ["debug", "DEBUG"], ["trace", "TRACE"], ["fatal", "FATAL"]]) {
  console[method] = (...args) => {
    if (LEVELS.indexOf(level) < minLevel) return;
    const line = jsonLogs ? jsonLine(level, args) : new Date().toISOString() + "\\t" + (requestId ?? "undefined") + "\\t" + level + "\\t" + util.format(...args);
    emit(line + "\\n");
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
// As Node's runtime: an exception nothing caught, or a promise rejection nothing handled, fails the invocation in
// flight (or the init) with its error, logged as "Uncaught Exception" / "Unhandled Promise Rejection", and ends the
// process (exit status 129); the next invocation starts a new one.
let inFlight;
const fatal = async (prefix, err) => {
  logErr(prefix, err);
  const url = inFlight ? api + "/invocation/" + inFlight + "/error" : api + "/init/error";
  try { await post(url, JSON.stringify(err), { "Lambda-Runtime-Function-Error-Type": err.errorType }); } catch {}
  process.exit(129);
};
process.on("uncaughtException", (e) => void fatal("Uncaught Exception", errOf(e)));
process.on("unhandledRejection", (reason) => {
  const e = Object.assign(new Error(String(reason)), { name: "Runtime.UnhandledPromiseRejection" });
  void fatal("Unhandled Promise Rejection", errOf(e, "Runtime.UnhandledPromiseRejection"));
});
// Whether the handler file is an ES module: .mjs, or .js under a package.json of "type": "module" (looked for up to
// the task root).
const isEsm = (file) => {
  if (file.endsWith(".mjs")) return true;
  if (!file.endsWith(".js")) return false;
  const root = path.resolve(process.env.LAMBDA_TASK_ROOT || "/");
  for (let d = path.dirname(file); ; d = path.dirname(d)) {
    const p = path.join(d, "package.json");
    if (fs.existsSync(p)) { try { return JSON.parse(fs.readFileSync(p, "utf8")).type === "module"; } catch { return false; } }
    if (d === root || d === path.dirname(d)) return false;
  }
};
const nodeMajor = Number(/^AWS_Lambda_nodejs(\\d+)/.exec(process.env.AWS_EXECUTION_ENV || "")?.[1] ?? 0);
// Node.js 18 and later resolve an ES module's bare imports from the layers' node_modules and the runtime's own modules
// (the AWS SDK) as they do a CommonJS require through NODE_PATH, which Node's ES module resolver does not read (AWS
// re:Post "Cannot find module or Cannot find package": layered ES module dependencies from Node.js 18). A resolve hook
// tries each NODE_PATH directory after the usual lookup fails.
const ESM_NODE_PATH_HOOK = [
  "let dirs = [];",
  "export function initialize(d) { dirs = d; }",
  "export async function resolve(specifier, context, next) {",
  "  try { return await next(specifier, context); } catch (e) {",
  "    if (!e || e.code !== 'ERR_MODULE_NOT_FOUND' || /^([./]|[a-zA-Z][a-zA-Z0-9+.-]*:)/.test(specifier)) throw e;",
  "    for (const parentURL of dirs) { try { return await next(specifier, { ...context, parentURL }); } catch {} }",
  "    throw e;",
  "  }",
  "}",
].join("\\n");
const esmNodePath = () => {
  const { register } = require("node:module");
  const dirs = (process.env.NODE_PATH || "").split(path.delimiter).filter(Boolean).map((d) => pathToFileURL(path.join(d, "noop.mjs")).href);
  if (typeof register === "function" && dirs.length) register("data:text/javascript," + encodeURIComponent(ESM_NODE_PATH_HOOK), { data: dirs });
};
(async () => {
  const h = process.env._HANDLER || "index.handler";
  // As Node's runtime reads the handler: directories up to the last "/", the module up to the next ".", then a
  // property path ("index.nested.handler" is index.js's nested.handler).
  const slash = h.lastIndexOf("/");
  const dot = h.indexOf(".", slash + 1);
  const base = path.join(process.env.LAMBDA_TASK_ROOT, h.slice(0, dot));
  const fnPath = h.slice(dot + 1).split(".");
  let handler;
  // As AWS's Node.js runtime (its messages verbatim): a missing module or dependency is Runtime.ImportModuleError, a
  // syntax error Runtime.UserCodeSyntaxError, a missing export Runtime.HandlerNotFound; anything else thrown while
  // loading keeps its own type.
  const fault = (name, message) => Object.assign(new Error(message), { name, fault: true });
  try {
    if (dot <= slash + 1 || dot === h.length - 1) throw fault("Runtime.MalformedHandlerName", "Bad handler");
    const file = [".js", ".mjs", ".cjs"].map((x) => base + x).find((f) => fs.existsSync(f));
    if (!file) throw fault("Runtime.ImportModuleError", "Error: Cannot find module '" + h.slice(slash + 1, dot) + "'\\nRequire stack:\\n- /var/runtime/index.mjs");
    let mod;
    try {
      // An ES module is imported, never required: require() of one refuses top-level await (Node 20.19 and later), which
      // AWS's Node.js runtimes run.
      if (isEsm(file)) {
        if (nodeMajor >= 18) esmNodePath();
        mod = await import(pathToFileURL(file).href);
      } else {
        try { mod = require(file); } catch (e) { if (e && e.code === "ERR_REQUIRE_ESM") mod = await import(pathToFileURL(file).href); else throw e; }
      }
    } catch (e) {
      if (e instanceof SyntaxError) throw fault("Runtime.UserCodeSyntaxError", e.name + ": " + e.message);
      if (e && e.code === "MODULE_NOT_FOUND") throw fault("Runtime.ImportModuleError", "Error: " + e.message.replace(/\\n- [^\\n]*\\[eval\\]$/, "") + "\\n- /var/runtime/index.mjs");
      throw e;
    }
    const walk = (o) => fnPath.reduce((v, k) => (v == null ? undefined : v[k]), o);
    handler = walk(mod) ?? walk(mod.default);
    if (!handler) throw fault("Runtime.HandlerNotFound", h + " is undefined or not exported");
    if (typeof handler !== "function") throw fault("Runtime.HandlerNotFound", h + " is not a function");
    // Node.js 24 and later run no callback-based handler (three parameters, not streaming).
    if (nodeMajor >= 24 && handler.length >= 3 && handler[STREAMING] !== "response")
      throw fault("Runtime.CallbackHandlerDeprecated", "ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.");
  } catch (e) {
    const err = errOf(e, e && e.fault ? e.name : undefined);
    if (e && e.fault) err.trace = (err.errorType + ": " + err.errorMessage).split("\\n");
    logErr("Uncaught Exception", err);
    await post(api + "/init/error", JSON.stringify(err), { "Lambda-Runtime-Function-Error-Type": err.errorType });
    process.exit(1);
  }
  let fails = 0;
  for (;;) {
    inFlight = undefined;
    let r;
    // The Runtime API gone (awsim stopped or died) ends the instance, as Lambda's runtimes do; never spin.
    try { r = await fetch(api + "/invocation/next"); fails = 0; } catch { if (++fails >= 3) process.exit(1); await new Promise((ok) => setTimeout(ok, 200)); continue; }
    const id = r.headers.get("lambda-runtime-aws-request-id");
    requestId = id;
    inFlight = id;
    const deadline = Number(r.headers.get("lambda-runtime-deadline-ms"));
    const text = await r.text();
    // Members in the order JSON.stringify(context) shows them on AWS (recorded: test_lambda_with_context).
    const context = {
      callbackWaitsForEmptyEventLoop: true,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      clientContext: undefined,
      identity: undefined,
      invokedFunctionArn: r.headers.get("lambda-runtime-invoked-function-arn"),
      awsRequestId: id,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    const cc = r.headers.get("lambda-runtime-client-context");
    if (cc) try { context.clientContext = JSON.parse(cc); } catch {}
    const ci = r.headers.get("lambda-runtime-cognito-identity");
    if (ci) try { context.identity = JSON.parse(ci); } catch {}
    process.env._X_AMZN_TRACE_ID = r.headers.get("lambda-runtime-trace-id") || "";
    if (handler[STREAMING] === "response") {
      const rs = new ResponseStream(id);
      try {
        await handler(JSON.parse(text || "null"), rs, context);
        if (!rs.writableEnded) rs.end();
      } catch (e) {
        const err = errOf(e);
        logErr("Invoke Error", err);
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
        // A callback's answer goes out once the event loop is empty while context.callbackWaitsForEmptyEventLoop
        // is true (the default), as on AWS: a pending timer or open socket holds it, up to the timeout. The legacy
        // context methods answer the same way. An async handler answers when its promise settles.
        let called = false;
        const callback = (err, res) => {
          if (called) return;
          called = true;
          const settle = () => (err ? reject(err) : resolve(res));
          if (context.callbackWaitsForEmptyEventLoop) process.once("beforeExit", settle);
          else settle();
        };
        context.done = callback;
        context.succeed = (res) => callback(null, res);
        context.fail = (err) => callback(err);
        const p = handler(event, context, callback);
        if (p && typeof p.then === "function") p.then(resolve, reject);
      });
      let out;
      try { out = JSON.stringify(result === undefined ? null : result); } catch { throw Object.assign(new Error("Unable to stringify response body"), { name: "Runtime.JSONStringifyError" }); }
      await post(api + "/invocation/" + id + "/response", out);
    } catch (e) {
      const err = errOf(e);
      logErr("Invoke Error", err);
      await post(api + "/invocation/" + id + "/error", JSON.stringify(err), { "Lambda-Runtime-Function-Error-Type": "Unhandled" });
    }
  }
})();
`;

export const PYTHON_BOOTSTRAP = `
import importlib, json, math, os, sys, time, traceback, urllib.request
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
    req = urllib.request.Request(url, data=body if isinstance(body, bytes) else body.encode(), method="POST", headers=headers)
    urllib.request.urlopen(req).read()
def err(msg, t, rid="", trace=None):
    # AWS's Python runtime: the handler's frames as traceback.format_list gives them (runtime frames left out).
    return json.dumps({"errorMessage": msg, "errorType": t, "requestId": rid, "stackTrace": trace or []})
def trace_of(e):
    tb = list(traceback.extract_tb(e.__traceback__))
    while tb and tb[0].filename == "<string>":
        tb = tb[1:]
    return traceback.format_list(tb)
import decimal
import re
class Encoder(json.JSONEncoder):
    # As AWS's Python runtime marshals a response: a Decimal (DynamoDB's numbers) as the JSON number it spells
    # (NaN as NaN); from python3.12 on, text as UTF-8 rather than \\u escapes.
    def default(self, o):
        if isinstance(o, decimal.Decimal):
            return math.nan if o.is_nan() else "\\u0000D" + str(o) + "\\u0000"
        return super().default(o)
_py_minor = re.match(r"AWS_Lambda_python3\\.(\\d+)$", os.environ.get("AWS_EXECUTION_ENV", ""))
_UTF8_RESPONSES = _py_minor is not None and int(_py_minor.group(1)) >= 12
def to_json(result):
    out = json.dumps(result, cls=Encoder, ensure_ascii=not _UTF8_RESPONSES)
    return re.sub(r'"\\\\u0000D([^"\\\\]*)\\\\u0000"', lambda m: m.group(1), out)
class CognitoIdentity:
    def __init__(self, d):
        self.cognito_identity_id = d.get("cognitoIdentityId")
        self.cognito_identity_pool_id = d.get("cognitoIdentityPoolId")
class Client:
    def __init__(self, d):
        for k in ("installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"):
            setattr(self, k, d.get(k))
class ClientContext:
    def __init__(self, d):
        self.client = Client(d["client"]) if isinstance(d.get("client"), dict) else None
        self.custom = d.get("custom")
        self.env = d.get("env")
def header_json(headers, name):
    try:
        v = json.loads(headers.get(name) or "null")
        return v if isinstance(v, dict) else None
    except ValueError:
        return None
class Context:
    # As AWS's Python runtime: identity is always an object, client_context None unless the caller sent one.
    def __init__(self, rid, arn, deadline, identity=None, client_context=None):
        self.identity = CognitoIdentity(identity or {})
        self.client_context = ClientContext(client_context) if client_context is not None else None
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = arn
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.aws_request_id = rid
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.tenant_id = None
        self._deadline = deadline
    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline - time.time() * 1000))
    def log(self, msg):
        # As AWS's runtime: the text as one log event, nothing added.
        emit(str(msg))
import logging
request_id = None
JSON_LOGS = os.environ.get("AWS_LAMBDA_LOG_FORMAT") == "JSON"
# Each log event goes out as one frame on the telemetry descriptor (read once and removed from the environment, as
# AWS's runtime does), so a message keeps its newlines in one event; without it, stdout with \\r for the newlines.
_tfd = os.environ.pop("_LAMBDA_TELEMETRY_LOG_FD", None)
_tout = os.fdopen(int(_tfd), "wb", 0) if _tfd else None
def emit(msg):
    if _tout is None:
        sys.stdout.write(msg[:-1].replace("\\n", "\\r") + "\\n" if msg.endswith("\\n") else msg.replace("\\n", "\\r"))
        sys.stdout.flush()
        return
    sys.stdout.flush()
    b = msg.encode("utf-8")
    _tout.write(b"\\xa5\\x5a\\x00\\x03" + len(b).to_bytes(4, "big") + (time.time_ns() // 1000).to_bytes(8, "big") + b)
_RESERVED = {"name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module", "exc_info", "exc_text", "stack_info", "lineno", "funcName", "created", "msecs", "relativeCreated", "thread", "threadName", "processName", "process", "taskName", "aws_request_id", "tenant_id"}
class AwsFormatter(logging.Formatter):
    # As AWS's Python runtime: text "[LEVEL]\\t<time>Z\\t<request id>\\t<message>"; JSON an object with the record's
    # level, logger, request id, exception fields and extra attributes (None values left out).
    def format(self, record):
        t = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + ".%03dZ" % record.msecs
        rid = request_id or ""
        if not JSON_LOGS:
            msg = record.getMessage()
            if record.exc_info:
                msg += "\\n" + self.formatException(record.exc_info)
            return "[%s]\\t%s\\t%s\\t%s\\n" % (record.levelname, t, rid, msg)
        ei = record.exc_info
        level = logging.getLevelName(min(50, max(0, record.levelno)) // 10 * 10)
        out = {"timestamp": t, "level": level, "message": record.getMessage(), "logger": record.name,
               "stackTrace": traceback.format_tb(ei[2]) if ei else None, "errorType": ei[0].__name__ if ei else None,
               "errorMessage": str(ei[1]) if ei else None, "requestId": rid,
               "location": "%s:%s:%s" % (record.pathname, record.funcName, record.lineno) if ei else None}
        out.update((k, v) for k, v in record.__dict__.items() if k not in _RESERVED and k not in out)
        return json.dumps({k: v for k, v in out.items() if v is not None}, ensure_ascii=False, default=str) + "\\n"
class AwsHandler(logging.Handler):
    def emit(self, record):
        emit(self.format(record))
def log_error(t, msg, trace, rid=None):
    # As AWS's Python runtime: text "[ERROR] <type>: <message>", "Traceback (most recent call last):" and the frames
    # (leading spaces as no-break spaces) in one event; JSON {"timestamp","level":"ERROR",errorMessage,errorType,requestId,stackTrace}.
    if JSON_LOGS:
        emit(json.dumps({"timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()), "level": "ERROR", "errorMessage": msg, "errorType": t, "requestId": rid or "", "stackTrace": trace}, ensure_ascii=False) + "\\n")
        return
    head = "[ERROR]" + (" " + t if t else "") + ((":" if t else "") + " " + msg if msg else "")
    lines = [head, "Traceback (most recent call last):"]
    for el in trace:
        for l in el.splitlines() or [""]:
            n = len(l) - len(l.lstrip(" "))
            lines.append("\\u00a0" * n + l[n:])
    # One event, without a closing newline (AWS's runtime joins the lines and writes nothing after them).
    emit("\\n".join(lines))
UNHANDLED_WARNING = ("LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. "
    "However, in rare cases, a Lambda runtime update can cause unexpected function behavior. For functions using managed "
    "runtimes, runtime updates can be triggered by a function change, or can be applied automatically. To determine if "
    "the runtime has been updated, check the runtime version in the INIT_START log entry. If this error correlates with "
    "a change in the runtime version, you may be able to mitigate this error by temporarily rolling back to the previous "
    "runtime version. For more information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html\\r")
_h = AwsHandler()
_h.setFormatter(AwsFormatter())
logging.getLogger().addHandler(_h)
_lvl = {None: "", "TRACE": "DEBUG"}.get(os.environ.get("AWS_LAMBDA_LOG_LEVEL"), os.environ.get("AWS_LAMBDA_LOG_LEVEL", "")).upper()
if _lvl in logging._nameToLevel:
    # The ApplicationLogLevel (AWS_LAMBDA_LOG_LEVEL, JSON log format) is the root logger's level.
    logging.getLogger().setLevel(_lvl)
h = os.environ.get("_HANDLER", "lambda_function.lambda_handler")
# As AWS's Python runtime, with its messages: a malformed handler, an ImportError, a SyntaxError and a missing
# attribute are Runtime.* faults; any other exception raised while importing keeps its own type and traceback.
class Fault(Exception):
    pass
try:
    try:
        mod_name, fn_name = h.rsplit(".", 1)
    except ValueError as e:
        raise Fault("Runtime.MalformedHandlerName", "Bad handler '%s': %s" % (h, e), [])
    try:
        mod = importlib.import_module(mod_name.replace("/", "."))
    except ImportError as e:
        raise Fault("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (mod_name, e), [])
    except SyntaxError as e:
        raise Fault("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (mod_name, e), ['  File "%s" Line %s\\n    %s\\n' % (e.filename, e.lineno, (e.text or "").strip())])
    try:
        handler = getattr(mod, fn_name)
    except AttributeError:
        raise Fault("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (fn_name, mod_name), [])
except Exception as e:
    t, msg, trace = e.args if isinstance(e, Fault) else (type(e).__name__, str(e), [f for f in trace_of(e) if "<frozen importlib" not in f])
    log_error(t, msg, trace)
    post(api + "/init/error", err(msg, t, "", trace), {"Lambda-Runtime-Function-Error-Type": t})
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
        context = Context(rid, r.headers.get("Lambda-Runtime-Invoked-Function-Arn"), int(r.headers.get("Lambda-Runtime-Deadline-Ms") or 0), header_json(r.headers, "Lambda-Runtime-Cognito-Identity"), header_json(r.headers, "Lambda-Runtime-Client-Context"))
        result = handler(json.loads(body) if body else None, context)
        try:
            # bytes go out as they are (AWS's runtime answers them as application/unknown).
            out = result if isinstance(result, bytes) else to_json(result)
        except (TypeError, ValueError) as me:
            post(api + "/invocation/" + rid + "/error", json.dumps({"errorMessage": "Unable to marshal response: %s" % me, "errorType": "Runtime.MarshalError", "requestId": rid, "stackTrace": []}), {"Lambda-Runtime-Function-Error-Type": "Runtime.MarshalError"})
            continue
        post(api + "/invocation/" + rid + "/response", out)
    except Exception as e:
        trace = trace_of(e)
        body = err(str(e), type(e).__name__, rid, trace)
        if not JSON_LOGS:
            # AWS's runtime warns before logging an unhandled exception; its message ends with a carriage return.
            emit(UNHANDLED_WARNING)
        log_error(type(e).__name__, str(e), trace, rid)
        post(api + "/invocation/" + rid + "/error", body, {"Lambda-Runtime-Function-Error-Type": "Unhandled"})
    sys.stdout.flush()
`;
