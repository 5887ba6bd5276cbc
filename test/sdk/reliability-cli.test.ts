/** The awsim command refuses execute mode on a non-loopback address unless told explicitly. */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Start the CLI; resolve when it exits, or once it printed its endpoint (then stop it with SIGTERM). */
function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, "--port", "0", "--log-level", "silent", ...args], {
      env: { ...process.env, AWSIM_ALLOW_REMOTE_EXECUTE: "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
      if (stdout.includes("listening on")) child.kill("SIGTERM");
    });
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const warnings = (s: string) => s.split("\n").filter((l) => l.includes("WARNING"));

describe("--execute on a non-loopback host", () => {
  it("refuses to start without --allow-remote-execute", async () => {
    const r = await run(["--execute", "--host", "0.0.0.0"]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain("listening on");
    expect(r.stderr).toMatch(/^awsim: --execute with --host 0\.0\.0\.0 .*--allow-remote-execute/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("starts with --allow-remote-execute and prints one warning line", async () => {
    const r = await run(["--execute", "--host", "0.0.0.0", "--allow-remote-execute"]);
    expect(r.stdout).toContain("listening on");
    expect(r.stdout).toContain("execute mode");
    expect(warnings(r.stderr)).toHaveLength(1);
    expect(warnings(r.stderr)[0]).toMatch(/anyone who can reach this port can run commands/);
  });

  it("AWSIM_ALLOW_REMOTE_EXECUTE=1 allows it too", async () => {
    const r = await run(["--execute", "--host", "0.0.0.0"], { AWSIM_ALLOW_REMOTE_EXECUTE: "1" });
    expect(r.stdout).toContain("listening on");
    expect(warnings(r.stderr)).toHaveLength(1);
  });

  it("loopback hosts and fake mode need no flag and print no warning", async () => {
    for (const args of [
      ["--execute", "--host", "127.0.0.1"],
      ["--execute", "--host", "localhost"],
      ["--host", "0.0.0.0"],
    ]) {
      const r = await run(args);
      expect(r.stdout, args.join(" ")).toContain("listening on");
      expect(warnings(r.stderr)).toHaveLength(0);
    }
  });

  it("--help documents the flag", async () => {
    const r = await run(["--help"]);
    expect(r.stdout).toContain("--allow-remote-execute");
    expect(r.stdout).toContain("AWSIM_ALLOW_REMOTE_EXECUTE");
  });
});
