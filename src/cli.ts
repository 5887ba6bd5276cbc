#!/usr/bin/env node
/** The `awsim` command: flags and AWSIM_* environment variables → config; start; print; handle signals. */
import { VERSION, type AwsimConfig } from "./config.js";
import { startAwsim } from "./index.js";

const HELP = `awsim ${VERSION} — a local AWS simulator (ECS, EC2, S3, CloudWatch Logs, STS, ...)

Usage: awsim [options]

  --port N              port to listen on (default 4566, env AWSIM_PORT)
  --host HOST           address to bind (default 127.0.0.1, env AWSIM_HOST)
  --execute             run ECS task commands as real processes (env AWSIM_EXECUTE=1)
  --allow-remote-execute  allow --execute with a non-loopback --host: anyone who can reach the port
                        can then run commands on this machine (env AWSIM_ALLOW_REMOTE_EXECUTE=1)
  --also-listen P,Q     extra ports served by the same router, e.g. 4700,4703 (env AWSIM_ALSO_LISTEN)
  --log-level LEVEL     silent|error|warn|info|debug (default info, env AWSIM_LOG_LEVEL)
  --account-id ID       default account id (default 000000000000, env AWSIM_ACCOUNT_ID)
  --region REGION       region for unsigned requests (default us-east-1, env AWSIM_REGION)
  --strict              apply AWS validation where a seed's example is looser (env AWSIM_STRICT=1)
  --enforce-iam[=strict] verify SigV4 and authorize with IAM policies (env AWSIM_ENFORCE_IAM=1|strict)
  --root-keys K:S,...   root credentials, each the root of the account a 12-digit key id names, else of
                        the default account (env AWSIM_ROOT_KEYS)
  --data-dir DIR        where large S3 objects are kept (default: a temp dir removed on exit, env AWSIM_DATA_DIR)
  --persist             keep state across restarts and crashes under --data-dir (default: the user's cache
                        dir + /awsim; env AWSIM_PERSIST=1)
  --fsync MODE          with --persist: always|batch|never (default batch, env AWSIM_FSYNC)
  --load NAME           load snapshot NAME from <data-dir>/snapshots at start (env AWSIM_LOAD)
  --max-tasks N         execute mode: most tasks starting at once (env AWSIM_MAX_TASKS)
  --max-log-events N    most events a CloudWatch Logs stream keeps; the oldest go past it (default 100000,
                        0 = no limit; env AWSIM_MAX_LOG_EVENTS)
  --transition-delay MS fake mode: how long EC2/NAT lifecycle transitions take (default 0, env AWSIM_TRANSITION_DELAY_MS)
  -h, --help            this text
  -v, --version         the version
`;

function fail(msg: string): never {
  process.stderr.write(`awsim: ${msg}\n`);
  process.exit(1);
}

function parsePort(v: string, what: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`${what} must be a port number, got "${v}"`);
  return n;
}

const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v);

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Execute mode runs whatever a request asks for as a process on this machine. Bound to a non-loopback
 * address that is remote code execution for anyone who reaches the port: refuse unless asked for
 * explicitly, and warn when it is.
 */
export function remoteExecuteCheck(opts: { execute?: boolean; host?: string; allowRemoteExecute?: boolean }): "ok" | "warn" | "refuse" {
  if (!opts.execute || isLoopback(opts.host ?? "127.0.0.1")) return "ok";
  return opts.allowRemoteExecute ? "warn" : "refuse";
}

type CliOptions = Partial<AwsimConfig> & { help?: boolean; version?: boolean; allowRemoteExecute?: boolean };

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): CliOptions {
  const cfg: CliOptions = {
    allowRemoteExecute: truthy(env.AWSIM_ALLOW_REMOTE_EXECUTE),
    port: env.AWSIM_PORT ? parsePort(env.AWSIM_PORT, "AWSIM_PORT") : 4566,
    host: env.AWSIM_HOST || "127.0.0.1",
    execute: truthy(env.AWSIM_EXECUTE),
    alsoListen: env.AWSIM_ALSO_LISTEN
      ? env.AWSIM_ALSO_LISTEN.split(",")
          .filter(Boolean)
          .map((p) => parsePort(p.trim(), "AWSIM_ALSO_LISTEN"))
      : [],
    logLevel: (env.AWSIM_LOG_LEVEL as AwsimConfig["logLevel"]) || "info",
    defaultAccountId: env.AWSIM_ACCOUNT_ID || undefined,
    defaultRegion: env.AWSIM_REGION || undefined,
    strict: truthy(env.AWSIM_STRICT),
    enforceIam: env.AWSIM_ENFORCE_IAM === "strict" ? "strict" : truthy(env.AWSIM_ENFORCE_IAM),
    rootKeys: env.AWSIM_ROOT_KEYS ? env.AWSIM_ROOT_KEYS.split(",").filter(Boolean) : undefined,
    dataDir: env.AWSIM_DATA_DIR || undefined,
    persist: truthy(env.AWSIM_PERSIST),
    fsync: (env.AWSIM_FSYNC as AwsimConfig["fsync"]) || undefined,
    load: env.AWSIM_LOAD || undefined,
    maxConcurrentTasks: env.AWSIM_MAX_TASKS ? Number(env.AWSIM_MAX_TASKS) : undefined,
    transitionDelayMs: env.AWSIM_TRANSITION_DELAY_MS ? Number(env.AWSIM_TRANSITION_DELAY_MS) : undefined,
    maxLogEventsPerStream: env.AWSIM_MAX_LOG_EVENTS ? Number(env.AWSIM_MAX_LOG_EVENTS) : undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) fail(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--port":
        cfg.port = parsePort(value(), "--port");
        break;
      case "--host":
        cfg.host = value();
        break;
      case "--execute":
        cfg.execute = true;
        break;
      case "--enforce-iam":
        cfg.enforceIam = inline === "strict" ? "strict" : true;
        break;
      case "--root-keys":
        cfg.rootKeys = value().split(",").filter(Boolean);
        break;
      case "--allow-remote-execute":
        cfg.allowRemoteExecute = true;
        break;
      case "--also-listen":
        cfg.alsoListen = value()
          .split(",")
          .filter(Boolean)
          .map((p) => parsePort(p.trim(), "--also-listen"));
        break;
      case "--log-level":
        cfg.logLevel = value() as AwsimConfig["logLevel"];
        break;
      case "--account-id":
        cfg.defaultAccountId = value();
        break;
      case "--region":
        cfg.defaultRegion = value();
        break;
      case "--strict":
        cfg.strict = true;
        break;
      case "--data-dir":
        cfg.dataDir = value();
        break;
      case "--persist":
        cfg.persist = true;
        break;
      case "--fsync":
        cfg.fsync = value() as AwsimConfig["fsync"];
        break;
      case "--load":
        cfg.load = value();
        break;
      case "--max-tasks":
        cfg.maxConcurrentTasks = Number(value());
        break;
      case "--transition-delay":
        cfg.transitionDelayMs = Number(value());
        break;
      case "--max-log-events":
        cfg.maxLogEventsPerStream = Number(value());
        break;
      case "-h":
      case "--help":
        cfg.help = true;
        break;
      case "-v":
      case "--version":
        cfg.version = true;
        break;
      default:
        fail(`unknown option ${a} (see awsim --help)`);
    }
  }
  if (!["silent", "fatal", "error", "warn", "info", "debug", "trace"].includes(cfg.logLevel!))
    fail(`--log-level must be one of silent, error, warn, info, debug`);
  if (cfg.fsync !== undefined && !["always", "batch", "never"].includes(cfg.fsync)) fail(`--fsync must be one of always, batch, never`);
  if (cfg.defaultAccountId !== undefined && !/^\d{12}$/.test(cfg.defaultAccountId)) fail(`--account-id must be 12 digits`);
  if (cfg.maxLogEventsPerStream !== undefined && !(Number.isInteger(cfg.maxLogEventsPerStream) && cfg.maxLogEventsPerStream >= 0))
    fail(`--max-log-events must be a whole number (0 = no limit)`);
  return cfg;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2), process.env);
  if (opts.help) return void process.stdout.write(HELP);
  if (opts.version) return void process.stdout.write(`${VERSION}\n`);
  const remote = remoteExecuteCheck(opts);
  if (remote === "refuse")
    fail(
      `--execute with --host ${opts.host} would let anyone who can reach the port run commands on this machine; ` +
        `bind to 127.0.0.1, or pass --allow-remote-execute (AWSIM_ALLOW_REMOTE_EXECUTE=1) if that is what you want`,
    );
  if (remote === "warn")
    process.stderr.write(`awsim: WARNING: execute mode on ${opts.host}: anyone who can reach this port can run commands on this machine\n`);
  delete opts.allowRemoteExecute;
  let server;
  try {
    server = await startAwsim(opts);
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { port?: number };
    if (err.code === "EADDRINUSE") fail(`port ${err.port ?? opts.port} is already in use (choose another with --port or AWSIM_PORT)`);
    if (err.code === "EACCES") fail(`permission denied binding ${opts.host}:${err.port ?? opts.port}`);
    fail(err.message);
  }
  // Signal handlers before the banner: whoever waits for "listening" may signal at once.
  let stopping = false;
  const shutdown = (sig: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`awsim: ${sig}, shutting down\n`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server!.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  if (server.config.persist) process.stdout.write(`awsim: persisting state in ${server.config.dataDir} (fsync ${server.config.fsync ?? "batch"})\n`);
  const extra = server.ports.length ? ` (also on ${server.ports.join(", ")})` : "";
  process.stdout.write(
    `awsim ${VERSION} listening on ${server.url}${extra} — ${opts.execute ? "execute" : "fake"} mode\n` +
      `\n# paste into your shell:\n` +
      `export AWS_ENDPOINT_URL=${server.url}\n` +
      `export AWS_ACCESS_KEY_ID=test\n` +
      `export AWS_SECRET_ACCESS_KEY=test\n` +
      `export AWS_REGION=${server.config.defaultRegion}\n` +
      `export AWS_DEFAULT_REGION=${server.config.defaultRegion}\n` +
      // Cloud Map's DiscoverInstances (data-) and Logs' StartLiveTail (stream-) would send the CLI and boto3 to a
      // prefixed host name that does not resolve locally.
      `export AWS_DISABLE_HOST_PREFIX_INJECTION=true\n\n`,
  );
}

main().catch((e) => fail(e instanceof Error ? e.message : String(e)));
