/**
 * The Go SDK v1 (github.com/aws/aws-sdk-go, still under Docker's awslogs driver, older Terraform providers,
 * Packer plugins and kube controllers) against awsim: test/go/v1services/main.go runs a flow per service
 * (STS, IAM, ECS, EC2, ECR, Logs, Cloud Map, EFS, Lambda and an S3 smoke) through v1's own unmarshalers, query
 * serializer, `*Pages` paginators, `WaitUntil*` waiters and awserr.Error/RequestFailure errors, and prints
 * "ok <service>" or "FAIL <service>: <reason>". One binary, so the SDK compiles once. Builds offline against
 * Debian's golang-github-aws-aws-sdk-go-dev (GOPATH mode); skips where Go or those sources are missing.
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GOPATH, goBuild } from "../go-build.js";
import { type AwsimServer, startServer } from "../helpers.js";

const SDK = join(GOPATH, "src/github.com/aws/aws-sdk-go");
const SERVICES = ["sts", "iam", "ecs", "ec2", "ecr", "logs", "servicediscovery", "efs", "lambda", "s3"];
const hasGo =
  spawnSync("go", ["version"], { stdio: "ignore" }).status === 0 &&
  ["ec2", "ecs", "ecr", "efs", "iam", "lambda", "s3", "servicediscovery", "sts", "cloudwatchlogs"].every((s) => existsSync(join(SDK, "service", s))) &&
  existsSync(join(GOPATH, "src/github.com/jmespath/go-jmespath"));
if (!hasGo) console.warn("skipping Go SDK v1 service tests: go or Debian's golang-github-aws-aws-sdk-go-dev is not installed");

describe.skipIf(!hasGo)("Go SDK v1, every service", () => {
  let server: AwsimServer;
  let dir: string;
  let bin: string;
  beforeAll(async () => {
    server = await startServer();
    dir = mkdtempSync(join(tmpdir(), "awsim-go-v1-"));
    bin = join(dir, "v1services");
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("builds", { timeout: 600_000 }, async () => {
    // The shared cache makes later runs take seconds; a cold build of the v1 packages (ec2 the largest) takes
    // a few minutes on a loaded 2-core machine.
    const code = await goBuild(new URL("../go/v1services/", import.meta.url).pathname, bin);
    expect(code.status, code.stderr).toBe(0);
  });

  async function runAll(url: string, env: Record<string, string> = {}, flows = SERVICES) {
    expect(existsSync(bin), "the build failed").toBe(true);
    const args = [url, ...(flows === SERVICES ? [] : flows)];
    const run = await promisify(execFile)(bin, args, { encoding: "utf8", timeout: 150_000, env: { ...process.env, ...env } }).catch(
      (e: { stdout?: string; stderr?: string; message: string }) => ({ stdout: e.stdout ?? "", stderr: `${e.stderr ?? ""}${e.message}` }),
    );
    const failures = run.stdout.split("\n").filter((l) => l.startsWith("FAIL"));
    expect(failures, run.stderr).toEqual([]);
    expect(run.stdout.trim().split("\n")).toEqual(flows.map((s) => `ok ${s}`));
  }

  it("runs every service's flow with the v1 clients (paginators, waiters, awserr codes and statuses)", { timeout: 180_000 }, async () => {
    await runAll(server.url);
  });

  it("--execute: Lambda's handler runs (payload, LogResult tail, FunctionError Unhandled as v1 reads them)", { timeout: 180_000 }, async () => {
    const exec = await startServer({ execute: true });
    try {
      await runAll(exec.url, { AWSIM_GO_EXECUTE: "1" }, ["lambda"]);
    } finally {
      await exec.stop();
    }
  });

  it("--enforce-iam: a user's keys, an assumed role, and each protocol's access and signature errors as v1 decodes them", { timeout: 180_000 }, async () => {
    const strict = await startServer({ enforceIam: true });
    try {
      await runAll(strict.url, {}, ["authz"]);
    } finally {
      await strict.stop();
    }
  });

  it("the v1 waiters poll through pending states (--transition-delay)", { timeout: 180_000 }, async () => {
    const slow = await startServer({ transitionDelayMs: 300 });
    try {
      await runAll(slow.url);
    } finally {
      await slow.stop();
    }
  });
});
