/** Server configuration: from startAwsim() options or the CLI (flags and AWSIM_* environment variables). */
export interface AwsimConfig {
  port: number;
  host: string;
  /** Run ECS task commands and Lambda handlers as real processes. */
  execute: boolean;
  /** Extra ports served by the same router (the seeds' per-service ports, e.g. 4700 EC2, 4703 ECS). */
  alsoListen: number[];
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Account used when the access key id is not a 12-digit account id. */
  defaultAccountId: string;
  /** Region used when a request carries no credential scope. */
  defaultRegion: string;
  /** Apply AWS's validation where a seed's example is looser. */
  strict: boolean;
  /** Directory for large S3 object bodies; a fresh temp dir (removed on stop) when unset. */
  dataDir?: string;
  /** Execute mode: most tasks started at once (default: 4 x cores). */
  maxConcurrentTasks: number;
  /** Fake mode: milliseconds a lifecycle transition takes (0 = instant). */
  transitionDelayMs: number;
  /** Plain S3 object requests skip resolve and routing (src/services/s3/plain-request.ts); false sends them the general way (tests compare both). */
  plainObjectRequests?: boolean;
  /** CloudWatch Logs: most events a log stream keeps; past it the oldest go (0 = no limit; default 100,000). */
  maxLogEventsPerStream?: number;
  /**
   * Verify SigV4 and authorize requests with IAM policies (keys awsim issued). "strict" also rejects keys
   * that match no identity; otherwise those act as the root of their account unchecked.
   */
  enforceIam?: boolean | "strict";
  /** Keep state across restarts under dataDir (src/persist): saved on stop, loaded on start. */
  persist?: boolean;
  /** --persist: when a committed change is fsynced (default batch: group commit every few ms). */
  fsync?: "always" | "batch" | "never";
  /** A snapshot (under dataDir/snapshots) to load at start. */
  load?: string;
  /** Root credentials ("AKID:SECRET"): each the root of the account a 12-digit id names, else of the default account. */
  rootKeys?: string[];
}

export const VERSION = "0.1.0";

export function defaultConfig(overrides: Partial<AwsimConfig> = {}): AwsimConfig {
  const base: AwsimConfig = {
    port: 4566,
    host: "127.0.0.1",
    execute: false,
    alsoListen: [],
    logLevel: "warn",
    defaultAccountId: "000000000000",
    defaultRegion: "us-east-1",
    strict: false,
    maxConcurrentTasks: 0,
    transitionDelayMs: 0,
  };
  const cfg = { ...base, ...stripUndefined(overrides) };
  if (!cfg.maxConcurrentTasks) cfg.maxConcurrentTasks = 16;
  return cfg;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
