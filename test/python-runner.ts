/**
 * Runs the aws CLI and `python3 -c` scripts for the tests, through test/python-fork-server.py when it starts: one
 * Python per test file imports botocore, boto3 and awscli once and forks a process per command, which then starts in
 * milliseconds instead of 0.7 s. Each command still has its own process, environment, working directory, streams and
 * exit code. AWSIM_TEST_FORK=0 runs every command as a fresh `aws` / `python3` process instead.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunRequest {
  kind: "aws" | "python";
  args: string[];
  script?: string;
  env: NodeJS.ProcessEnv;
  input?: string;
  timeout?: number;
}

interface Pending {
  resolve: (r: { code: number; killed: boolean }) => void;
  pid?: number;
  killed: boolean;
}

/**
 * Variables Python, botocore or awscli read when they start or import (not per call): ~/.aws/cli/cache and the SSO
 * caches are fixed at import from HOME, stdio's encoding from the locale. A command whose environment changes one of
 * them runs as a process of its own.
 */
const READ_AT_START = [
  "HOME",
  "AWS_NEW_RETRIES_2026",
  "BOTO_DISABLE_CRT",
  "LANG",
  "LC_ALL",
  "LC_CTYPE",
  "PYTHONHOME",
  "PYTHONPATH",
  "PYTHONIOENCODING",
  "PYTHONUTF8",
  "PYTHONWARNINGS",
];

class ForkServer {
  private readonly child: ChildProcess;
  private readonly env = { ...process.env };
  private readonly dir = mkdtempSync(join(tmpdir(), "awsim-fork-"));
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  dead = false;

  constructor() {
    const script = join(dirname(fileURLToPath(import.meta.url)), "python-fork-server.py");
    this.child = spawn("python3", [script], { env: this.env, stdio: ["pipe", "pipe", "inherit"] });
    this.child.unref();
    for (const s of [this.child.stdin, this.child.stdout]) (s as unknown as { unref?: () => void } | null)?.unref?.();
    this.child.on("error", () => this.fail());
    this.child.on("exit", () => this.fail());
    createInterface({ input: this.child.stdout! }).on("line", (line) => {
      const m = JSON.parse(line) as { id: number; pid?: number; code?: number };
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.code === undefined) {
        p.pid = m.pid;
        if (p.killed) this.kill(p);
        return;
      }
      this.pending.delete(m.id);
      p.resolve({ code: m.code, killed: p.killed });
    });
    process.once("exit", () => {
      this.child.kill();
      rmSync(this.dir, { recursive: true, force: true });
    });
  }

  private kill(p: Pending): void {
    p.killed = true;
    if (p.pid) {
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {}
      // A killed child never answers.
      p.resolve({ code: 137, killed: true });
    }
  }

  private fail(): void {
    this.dead = true;
    for (const p of this.pending.values()) p.resolve({ code: -1, killed: false });
    this.pending.clear();
  }

  /** Undefined when the command cannot run here (the server died, or its environment differs where it matters). */
  async run(r: RunRequest): Promise<RunResult | undefined> {
    if (READ_AT_START.some((k) => (r.env[k] ?? "") !== (this.env[k] ?? ""))) return undefined;
    const id = this.next++;
    const base = join(this.dir, String(id));
    const files = { stdin: r.input === undefined ? undefined : `${base}.in`, stdout: `${base}.out`, stderr: `${base}.err` };
    if (files.stdin) writeFileSync(files.stdin, r.input!);
    const done = new Promise<{ code: number; killed: boolean }>((resolve) => {
      const p: Pending = { resolve, killed: false };
      this.pending.set(id, p);
      if (r.timeout) setTimeout(() => this.pending.get(id) === p && this.kill(p), r.timeout).unref();
    });
    const req = { id, kind: r.kind, args: r.args, script: r.script, cwd: process.cwd(), env: r.env, ...files };
    this.child.stdin!.write(`${JSON.stringify(req)}\n`);
    const { code, killed } = await done;
    try {
      if (code === -1) return undefined; // the server died
      const read = (f: string) => {
        try {
          return readFileSync(f, "utf8");
        } catch {
          return "";
        }
      };
      return { code, stdout: read(files.stdout), stderr: killed ? `killed after ${r.timeout} ms` : read(files.stderr) };
    } finally {
      for (const f of Object.values(files)) if (f) rmSync(f, { force: true });
    }
  }
}

let server: ForkServer | undefined;

/** The file's fork server, started on first use; once it has died (no awscli or boto3?), commands run on their own. */
function forkServer(): ForkServer | undefined {
  if (process.env.AWSIM_TEST_FORK === "0") return undefined;
  server ??= new ForkServer();
  return server.dead ? undefined : server;
}

/** Runs `aws <args>` or `python3 -c <script> <args>`; never rejects (a failure is a non-zero code). */
export async function runPython(r: RunRequest): Promise<RunResult> {
  const viaServer = await forkServer()?.run(r); // else a process of its own
  if (viaServer) return viaServer;
  const [file, args] = r.kind === "aws" ? ["aws", r.args] : ["python3", ["-c", r.script!, ...r.args]];
  return new Promise((resolve) => {
    const child = execFile(file, args, { env: r.env, timeout: r.timeout, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (r.input !== undefined) child.stdin?.end(r.input);
  });
}
