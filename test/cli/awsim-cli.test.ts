/** The `awsim` command itself: start-up output, requests, port-in-use error, signals. */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { hasAwsCli } from "../helpers.js";

const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;

function run(args: string[], untilOutput?: RegExp, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    if (!untilOutput) return resolve();
    const t = setTimeout(() => reject(new Error(`timeout; stdout=${stdout} stderr=${stderr}`)), 10_000);
    child.stdout.on("data", () => untilOutput.test(stdout) && (clearTimeout(t), resolve()));
    child.on("exit", () => (clearTimeout(t), resolve()));
  });
  return { child, exited, ready, out: () => stdout, err: () => stderr };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe.skipIf(!existsSync(CLI))("awsim CLI", () => {
  it("prints the endpoint and the environment lines, serves, and exits 0 on SIGTERM", async () => {
    const port = await freePort();
    const p = run(["--port", String(port), "--log-level", "info"], /AWS_DEFAULT_REGION/);
    await p.ready;
    expect(p.out()).toContain(`listening on http://127.0.0.1:${port}`);
    expect(p.out()).toContain(`export AWS_ENDPOINT_URL=http://127.0.0.1:${port}`);
    expect(p.out()).toContain("export AWS_ACCESS_KEY_ID=test");
    const r = await fetch(`http://127.0.0.1:${port}/?Action=GetCallerIdentity&Version=2011-06-15`, {
      headers: { authorization: "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0" },
    });
    expect(r.status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(p.err()).toMatch(/INFO\s+sts GetCallerIdentity 200 [\d.]+ms/);
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  });

  it.skipIf(!hasAwsCli())("the printed lines are all the aws CLI needs, Cloud Map's data- prefixed DiscoverInstances included", async () => {
    const port = await freePort();
    const p = run(["--port", String(port), "--log-level", "silent"], /AWS_DISABLE_HOST_PREFIX_INJECTION/);
    await p.ready;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    };
    for (const m of p.out().matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]!] = m[2]!;
    expect(Object.keys(env)).toContain("AWS_DISABLE_HOST_PREFIX_INJECTION");
    const aws = (...args: string[]) => {
      const r = spawnSync("aws", [...args, "--output", "json"], { env, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.trim() ? JSON.parse(r.stdout) : undefined;
    };
    try {
      aws("servicediscovery", "create-http-namespace", "--name", "banner");
      const ns = aws("servicediscovery", "list-namespaces").Namespaces[0].Id;
      const svc = aws("servicediscovery", "create-service", "--name", "web", "--namespace-id", ns).Service.Id;
      aws("servicediscovery", "register-instance", "--service-id", svc, "--instance-id", "i1", "--attributes", "AWS_INSTANCE_IPV4=10.0.0.1");
      const found = aws("servicediscovery", "discover-instances", "--namespace-name", "banner", "--service-name", "web");
      expect(found.Instances.map((i: { InstanceId: string }) => i.InstanceId)).toEqual(["i1"]);
    } finally {
      p.child.kill("SIGTERM");
      await p.exited;
    }
  });

  it("logs one whole line per request under concurrent load (lines are written in batches), none lost at SIGTERM", async () => {
    const port = await freePort();
    const p = run(["--port", String(port), "--log-level", "info"], /AWS_DEFAULT_REGION/);
    await p.ready;
    const auth = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0";
    const statuses = await Promise.all(
      Array.from({ length: 300 }, () =>
        fetch(`http://127.0.0.1:${port}/?Action=GetCallerIdentity&Version=2011-06-15`, { headers: { authorization: auth } }).then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        }),
      ),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    // No pause: the lines still pending when the signal comes are written on the way out.
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    const lines = p.err().split("\n");
    expect(lines.filter((l) => /^\S+Z INFO {2}sts GetCallerIdentity 200 [\d.]+ms$/.test(l))).toHaveLength(300);
  });

  it("a port already in use is a one-line error and exit code 1", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const p = run(["--port", String(port)]);
      expect(await p.exited).toBe(1);
      expect(p.err().trim()).toBe(`awsim: port ${port} is already in use (choose another with --port or AWSIM_PORT)`);
      expect(p.err().trim().split("\n")).toHaveLength(1);
    } finally {
      blocker.close();
    }
  });

  it("AWSIM_PORT configures the port; unknown flags are rejected", async () => {
    const port = await freePort();
    const p = run([], /listening/, { AWSIM_PORT: String(port) });
    await p.ready;
    expect(p.out()).toContain(`http://127.0.0.1:${port}`);
    p.child.kill("SIGINT");
    expect(await p.exited).toBe(0);
    const bad = run(["--frobnicate"]);
    expect(await bad.exited).toBe(1);
    expect(bad.err()).toContain("unknown option --frobnicate");
  });
});
