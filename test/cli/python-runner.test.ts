/**
 * The tests' fork server (test/python-fork-server.py) answers as a fresh process would: the same output, exit code
 * and error text as `aws` run on its own, standard input, a working directory and environment per command, a fresh
 * process when HOME differs (awscli fixes its caches' paths from it at import), and a kill on timeout.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { aws, cliEnv, hasAwsCli, hasBoto3, useServer } from "../helpers.js";
import { runPython } from "../python-runner.js";

/** `aws` as a process of its own, with the environment the helper gives it. */
function plainAws(url: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = cliEnv();
  return new Promise((resolve) =>
    execFile("aws", [...args, "--endpoint-url", url, "--output", "json"], { env }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

describe.skipIf(!hasAwsCli() || !hasBoto3())("the tests' fork server for aws and python3", () => {
  const sim = useServer();
  const dir = mkdtempSync(join(tmpdir(), "awsim-fork-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("answers as aws run on its own: output, exit code, error text", async () => {
    await aws(sim.server, ["s3api", "create-bucket", "--bucket", "fork-a"]);
    for (const args of [
      ["s3api", "list-buckets", "--query", "Buckets[].Name"],
      ["s3api", "head-bucket", "--bucket", "missing-bucket"],
      ["s3api", "get-object", "--bucket", "fork-a", "--key", "nope", join(dir, "out")],
      ["s3api", "list-objects-v2", "--bucket"],
    ]) {
      const [forked, plain] = await Promise.all([aws(sim.server, args), plainAws(sim.server.url, args)]);
      expect({ code: forked.code, stdout: forked.stdout, stderr: forked.stderr }, args.join(" ")).toEqual(plain);
    }
    expect((await aws(sim.server, ["s3api", "list-buckets", "--query", "Buckets[].Name"])).json).toEqual(["fork-a"]);
    expect((await aws(sim.server, ["s3api", "head-bucket", "--bucket", "missing-bucket"])).code).toBe(255);
  });

  it("gives each command its standard input, working directory and environment", async () => {
    const script = "import os, sys\nprint(sys.stdin.read().upper(), os.getcwd(), os.environ.get('FORK_TEST'), sys.argv[1:])";
    const r = await runPython({ kind: "python", script, args: ["a", "b"], env: { ...process.env, FORK_TEST: "x" }, input: "hello" });
    expect(r).toEqual({ code: 0, stdout: `HELLO ${process.cwd()} x ['a', 'b']\n`, stderr: "" });
    const other = await runPython({ kind: "python", script: "import os; print(os.environ.get('FORK_TEST'))", args: [], env: process.env });
    expect(other.stdout).toBe(`${process.env.FORK_TEST ?? "None"}\n`);
    const failed = await runPython({ kind: "python", script: "import sys; print('out'); sys.exit(3)", args: [], env: process.env });
    expect([failed.code, failed.stdout]).toEqual([3, "out\n"]);
  });

  it("runs a command whose HOME differs as a process of its own (the CLI's credential cache path follows it)", async () => {
    const script = "from awscli.customizations import assumerole; print(assumerole.CACHE_DIR)";
    const r = await runPython({ kind: "python", script, args: [], env: { ...process.env, HOME: dir } });
    expect(r.stdout.trim()).toBe(join(dir, ".aws", "cli", "cache"));
  });

  it("kills a command that outlives its timeout", async () => {
    const t = Date.now();
    const r = await runPython({ kind: "python", script: "import time; time.sleep(30)", args: [], env: process.env, timeout: 500 });
    expect(r.code).not.toBe(0);
    expect(Date.now() - t).toBeLessThan(10_000);
  });
});
