/** Test helpers: a server per test file on port 0 (useServer registers its lifecycle), SDK client config, AWS error assertions, the aws CLI. */
import { spawnSync } from "node:child_process";
import { createHash, createHmac, generateKeyPairSync, type Hash, type Hmac, type webcrypto } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import type { AddressInfo } from "node:net";
import { createAwsServer } from "../src/app.js";
import { type AwsimConfig, defaultConfig } from "../src/config.js";
import { startAwsim, type AwsimServer, type StartOptions } from "../src/index.js";
import { createLogger } from "../src/log.js";
import { FakeRunner } from "../src/runtime/fake-runner.js";
import { Simulator } from "../src/services/core/simulator.js";
import { runPython } from "./python-runner.js";

export type { AwsimServer };

/**
 * AWSIM_TEST_PERSIST=1 runs every server of a test with --persist in a fresh directory (an audit: with
 * AWSIM_PERSIST_DEBUG=1 the journal reports records that share objects, which make a scope fall back to whole
 * writes). A test's own options win.
 */
const persistAudit = (): StartOptions =>
  process.env.AWSIM_TEST_PERSIST === "1" ? { persist: true, fsync: "never", dataDir: mkdtempSync(join(tmpdir(), "awsim-audit-")) } : {};

export async function startServer(opts: StartOptions = {}): Promise<AwsimServer> {
  return startAwsim({ port: 0, logLevel: "silent", ...persistAudit(), ...opts });
}

export const TEST_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

/** Client config for any @aws-sdk/client-*: endpoint, region and dummy credentials. */
export function clientConfig<T extends object = object>(server: { url: string }, extra?: T) {
  return {
    endpoint: server.url,
    region: "us-east-1",
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
    ...(extra ?? {}),
  } as { endpoint: string; region: string; credentials: typeof TEST_CREDENTIALS; maxAttempts: number } & T;
}

export type ClientConfig = ReturnType<typeof clientConfig>;

export interface UseServerOptions extends StartOptions {
  /** Before each test: reset every service (true), one service by name (e.g. "ec2"), or nothing (the default). */
  reset?: boolean | string;
}

/** What useServer hands back: filled in by its beforeAll, so read it inside hooks and tests. */
export type TestServer<C extends object = object> = { readonly server: AwsimServer } & Readonly<C>;

/**
 * A test file's server lifecycle: start a server (port 0) before all tests, stop it after them, and
 * optionally reset state before each; `clients(config, server)` makes the file's SDK clients once the
 * server listens. `const t = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }))`, then
 * `t.server`, `t.ec2` in tests. Start options (execute, strict, dataDir, ...) go beside `reset`.
 * after hooks run last-registered first: an afterAll that must run after the stop (removing a data dir)
 * is registered before useServer, one that must run before it (restoring real timers) after.
 */
export function useServer<C extends object = object>(opts: UseServerOptions = {}, clients?: (config: ClientConfig, server: AwsimServer) => C): TestServer<C> {
  const { reset, ...start } = opts;
  const t = {} as { server: AwsimServer } & C;
  beforeAll(async () => {
    t.server = await startServer(start);
    if (clients) Object.assign(t, clients(clientConfig(t.server), t.server));
  });
  afterAll(() => t.server?.stop());
  if (reset) beforeEach(() => t.server.reset(reset === true ? undefined : reset));
  return t;
}

export interface ExpectedError {
  name: string;
  status: number;
  message?: string | RegExp;
}

/** Assert the SDK rejected with AWS's error: name, HTTP status, a request id, and optionally the message. */
export async function expectAwsError(p: Promise<unknown>, e: ExpectedError): Promise<Error & { $metadata: { httpStatusCode?: number; requestId?: string } }> {
  let err: (Error & { $metadata: { httpStatusCode?: number; requestId?: string } }) | undefined;
  try {
    await p;
  } catch (x) {
    err = x as typeof err;
  }
  expect(err, `expected ${e.name}`).toBeDefined();
  expect(err!.name).toBe(e.name);
  expect(err!.$metadata?.httpStatusCode).toBe(e.status);
  expect(err!.$metadata?.requestId, "request id").toBeTruthy();
  if (typeof e.message === "string") expect(err!.message).toBe(e.message);
  else if (e.message) expect(err!.message).toMatch(e.message);
  return err!;
}

let cliChecked: boolean | undefined;
/** True when the aws CLI is installed; tests that need it use describe.skipIf(!hasAwsCli()). */
export function hasAwsCli(): boolean {
  if (cliChecked === undefined) {
    cliChecked = spawnSync("aws", ["--version"], { stdio: "ignore" }).status === 0;
    if (!cliChecked) console.warn("skipping aws CLI tests: the aws CLI is not installed");
  }
  return cliChecked;
}

let boto3Checked: boolean | undefined;
/** True when python3 can import boto3; tests that need it use describe.skipIf(!hasBoto3()). */
export function hasBoto3(): boolean {
  if (boto3Checked === undefined) {
    boto3Checked = spawnSync("python3", ["-c", "import boto3"], { stdio: "ignore" }).status === 0;
    if (!boto3Checked) console.warn("skipping boto3 tests: python3 with boto3 is not installed");
  }
  return boto3Checked;
}

/** Run `python3 -c <script> <args...>`; resolves with its stdout, rejects with its stderr when it fails. */
export async function python(script: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<string> {
  const r = await runPython({ kind: "python", script, args, env: opts.env ?? process.env, timeout: opts.timeout });
  if (r.code !== 0) throw new Error(r.stderr || `python3 exited with ${r.code}`);
  return r.stdout;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: any;
}

/** The environment the tests run the aws CLI in: test credentials, us-east-1, no config, pager or endpoint of the user's. */
export function cliEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_REGION: "us-east-1",
    AWS_PAGER: "",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_ENDPOINT_URL: "",
  };
}

/**
 * Run `aws <args> --endpoint-url <url> --output json` (or `opts.output`) with test credentials; parses JSON output
 * when there is some.
 */
export async function aws(
  server: { url: string },
  args: string[],
  opts: { env?: Record<string, string>; input?: string; endpoint?: string; output?: "json" | "text" | "table" } = {},
): Promise<CliResult> {
  const r = await runPython({
    kind: "aws",
    args: [...args, "--endpoint-url", opts.endpoint ?? server.url, "--output", opts.output ?? "json"],
    env: { ...cliEnv(), ...opts.env },
    input: opts.input,
  });
  let json: unknown;
  try {
    json = r.stdout.trim() ? JSON.parse(r.stdout) : undefined;
  } catch {
    json = undefined;
  }
  return { ...r, json };
}

/** A process is alive and not a zombie (an orphan killed in a container may wait for a PID 1 that does not reap). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/**
 * A fresh RSA public key in OpenSSH form (`ssh-rsa <base64 blob> <comment>`), with the wire blob (what the MD5
 * fingerprint hashes) and the key as a JWK.
 */
export function sshRsaKey(comment: string): { body: string; blob: Buffer; jwk: webcrypto.JsonWebKey } {
  const jwk = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ format: "jwk" });
  const field = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  const mpint = (b64url: string) => {
    const b = Buffer.from(b64url, "base64url");
    return b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b;
  };
  const blob = Buffer.concat([field(Buffer.from("ssh-rsa")), field(mpint(jwk.e!)), field(mpint(jwk.n!))]);
  return { body: `ssh-rsa ${blob.toString("base64")} ${comment}`, blob, jwk };
}

/**
 * A Simulator of the test's own behind awsim's real HTTP handler (createAwsServer; no admin endpoints), for tests
 * that put resources straight into a service's state (quotas, clocks) rather than through thousands of calls.
 */
export async function startSimulatorServer(config: Partial<AwsimConfig> = {}): Promise<{ sim: Simulator; url: string; stop(): Promise<void> }> {
  const sim = new Simulator(defaultConfig({ port: 0, logLevel: "silent", ...config }), new FakeRunner());
  const http = createAwsServer(sim, createLogger("silent"), (_req, res) => res.writeHead(404).end());
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  sim.setUrl(url);
  return {
    sim,
    url,
    async stop() {
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
      await sim.stop();
    },
  };
}

/** RFC 6238 TOTP (SHA-1, 6 digits) of a base32 seed at a 30-second step, as an authenticator app computes it. */
export function totp(seed: string, step: number): string {
  const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const key: number[] = [];
  for (const c of seed) {
    value = (value << 5) | B32.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      key.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac("sha1", Buffer.from(key)).update(msg).digest();
  const o = h[h.length - 1]! & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/** The SHA-256 constructor @smithy/signature-v4 wants (the shape of @aws-crypto/sha256-js), over node:crypto. */
export class Sha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret
      ? createHmac("sha256", ArrayBuffer.isView(secret) ? new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength) : secret)
      : createHash("sha256");
  }
  update(d: string | Uint8Array) {
    this.h.update(d);
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
}
