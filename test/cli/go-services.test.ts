/**
 * The Go SDK v2 against every awsim service: test/go/services/main.go runs a realistic flow per service with
 * the real Go clients (STS, IAM, S3, ECS, EC2, ECR, Logs, Cloud Map, EFS, Lambda), checks the answers,
 * paginators, waiters and typed errors (errors.As), and prints "ok <service>" or "FAIL <service>: <reason>".
 * One binary, so the SDK compiles once. Builds offline against Debian's golang-github-aws-aws-sdk-go-v2-dev
 * (GOPATH mode); skips where Go or those sources are missing.
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GOPATH, goBuild } from "../go-build.js";
import { type AwsimServer, startServer } from "../helpers.js";

const SDK = join(GOPATH, "src/github.com/aws/aws-sdk-go-v2");
const SERVICES = ["sts", "iam", "s3", "ecs", "ec2", "ecr", "logs", "servicediscovery", "efs", "lambda"];
const hasGo =
  spawnSync("go", ["version"], { stdio: "ignore" }).status === 0 &&
  ["ec2", "ecs", "ecr", "efs", "iam", "lambda", "s3", "servicediscovery", "sts", "cloudwatchlogs"].every((s) => existsSync(join(SDK, "service", s))) &&
  ["feature/s3/manager", "credentials/stscreds"].every((p) => existsSync(join(SDK, p)));
if (!hasGo) console.warn("skipping Go SDK service tests: go or Debian's golang-github-aws-aws-sdk-go-v2-dev is not installed");

describe.skipIf(!hasGo)("Go SDK v2, every service", () => {
  let server: AwsimServer;
  let dir: string;
  let bin: string;
  beforeAll(async () => {
    server = await startServer();
    dir = mkdtempSync(join(tmpdir(), "awsim-go-services-"));
    bin = join(dir, "services");
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("builds", { timeout: 600_000 }, async () => {
    // The shared cache (as go.test.ts) makes later runs take seconds. A cold build is ~95 s of CPU (ec2 alone
    // ~45 s, one package, 2.2 GB peak RSS): about a minute on 2 idle cores, 4.5 min on this loaded machine.
    const code = await goBuild(new URL("../go/services/", import.meta.url).pathname, bin);
    expect(code.status, code.stderr).toBe(0);
  });

  async function runAll(url: string, env: Record<string, string> = {}, flows = SERVICES) {
    expect(existsSync(bin), "the build failed").toBe(true);
    const run = await promisify(execFile)(bin, [url, ...(flows === SERVICES ? [] : flows)], {
      encoding: "utf8",
      timeout: 150_000,
      env: { ...process.env, ...env },
    }).catch((e: { stdout?: string; stderr?: string; message: string }) => ({
      stdout: e.stdout ?? "",
      stderr: `${e.stderr ?? ""}${e.message}`,
    }));
    const failures = run.stdout.split("\n").filter((l) => l.startsWith("FAIL"));
    expect(failures, run.stderr).toEqual([]);
    expect(run.stdout.trim().split("\n")).toEqual(flows.map((s) => `ok ${s}`));
  }

  it("runs every service's flow with the Go clients", { timeout: 180_000 }, async () => {
    await runAll(server.url);
  });

  it("--execute: every flow, with Lambda handlers and ECS tasks as processes (payload, LogResult tail, Unhandled)", { timeout: 180_000 }, async () => {
    const exec = await startServer({ execute: true });
    try {
      await runAll(exec.url, { AWSIM_GO_EXECUTE: "1" });
    } finally {
      await exec.stop();
    }
  });

  it("--enforce-iam: a user's keys, an assumed role, and each protocol's access and signature errors", { timeout: 180_000 }, async () => {
    const strict = await startServer({ enforceIam: true });
    try {
      await runAll(strict.url, {}, ["authz"]);
    } finally {
      await strict.stop();
    }
  });

  it("the Go waiters poll through pending states (--transition-delay)", { timeout: 180_000 }, async () => {
    const slow = await startServer({ transitionDelayMs: 300 });
    try {
      await runAll(slow.url);
    } finally {
      await slow.stop();
    }
  });
});
