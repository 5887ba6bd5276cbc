/**
 * Execute mode: each container of a task runs as a real child process (execa), in its own process group,
 * without a shell unless the command asks for one. Starts are bounded by p-queue; every child is owned by
 * the Tracker (no orphans on stop, reset or exit). Output is split into lines (a line over 256 KiB is cut
 * into pieces) and reported with timestamps; dependsOn and health checks are honoured here.
 * A container without a command stands for an image's own long-running process: nothing is spawned and it
 * stays RUNNING until the task is stopped (it then reports exit code 0).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { constants as osConstants } from "node:os";
import type { ChildProcess } from "node:child_process";
import { execa } from "execa";
import PQueue from "p-queue";
import type { AwsimConfig } from "../config.js";
import { Tracker } from "./tracker.js";
import type { ContainerSpec, RunEvent, RunListener, TaskRunner, TaskSpec } from "./types.js";

const MAX_LINE = 256 * 1024;

type CState = "waiting" | "running" | "exited";

interface Container {
  spec: ContainerSpec;
  state: CState;
  child?: ChildProcess & { pid?: number };
  exitCode?: number;
  health: "UNKNOWN" | "HEALTHY" | "UNHEALTHY";
  killTimer?: NodeJS.Timeout;
  healthTimer?: NodeJS.Timeout;
  /** Resolves the idle placeholder of a container without a command. */
  release?: () => void;
}

interface Task {
  spec: TaskSpec;
  listener: RunListener;
  containers: Map<string, Container>;
  cwd?: string;
  stopping: boolean;
  stopped: boolean;
  done: Promise<void>;
  resolveDone: () => void;
}

function signalExitCode(signal: string | undefined): number | undefined {
  if (!signal) return undefined;
  const n = (osConstants.signals as Record<string, number>)[signal];
  return n ? 128 + n : undefined;
}

export class ProcessRunner implements TaskRunner {
  readonly kind = "process" as const;
  private readonly queue: PQueue;
  private readonly tasks = new Map<string, Task>();
  private readonly tracker = new Tracker();

  constructor(readonly config: AwsimConfig) {
    this.queue = new PQueue({ concurrency: Math.max(1, config.maxConcurrentTasks) });
  }

  start(spec: TaskSpec, listener: RunListener): void {
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    const task: Task = {
      spec,
      listener,
      containers: new Map(spec.containers.map((c) => [c.name, { spec: c, state: "waiting" as CState, health: "UNKNOWN" as const }])),
      stopping: false,
      stopped: false,
      done,
      resolveDone,
    };
    this.tasks.set(spec.id, task);
    void this.queue.add(async () => {
      if (task.stopping) return this.finishIfDone(task);
      try {
        task.cwd = await mkdtemp(join(tmpdir(), "awsim-task-"));
      } catch {
        task.cwd = undefined;
      }
      this.advance(task);
    });
  }

  private emit(task: Task, e: RunEvent): void {
    try {
      task.listener(e);
    } catch {
      /* a listener bug must not kill the runner */
    }
  }

  /** Start every waiting container whose dependencies are met; give up on those that can never start. */
  private advance(task: Task): void {
    if (task.stopping) return;
    for (const c of task.containers.values()) {
      if (c.state !== "waiting") continue;
      const verdict = this.dependencies(task, c);
      if (verdict === "wait") continue;
      if (verdict === "never") {
        c.state = "exited";
        this.emit(task, {
          type: "container-exited",
          taskId: task.spec.id,
          container: c.spec.name,
          reason: "DependencyConditionNotMet: a container this one depends on did not reach its condition",
          at: new Date(),
        });
        continue;
      }
      this.launch(task, c);
    }
    this.finishIfDone(task);
  }

  private dependencies(task: Task, c: Container): "go" | "wait" | "never" {
    for (const d of c.spec.dependsOn ?? []) {
      const dep = task.containers.get(d.containerName);
      if (!dep) continue;
      switch (d.condition) {
        case "START":
          if (dep.state === "waiting") return "wait";
          break;
        case "COMPLETE":
          if (dep.state !== "exited") return "wait";
          break;
        case "SUCCESS":
          if (dep.state !== "exited") return "wait";
          if (dep.exitCode !== 0) return "never";
          break;
        case "HEALTHY":
          if (dep.state === "exited") return "never";
          if (dep.health !== "HEALTHY") return "wait";
          break;
      }
    }
    return "go";
  }

  private launch(task: Task, c: Container): void {
    c.state = "running";
    const name = c.spec.name;
    const taskId = task.spec.id;
    if (c.spec.argv.length === 0) {
      this.emit(task, { type: "container-started", taskId, container: name, at: new Date() });
      new Promise<void>((r) => (c.release = r)).then(() => this.exited(task, c, 0, undefined));
      this.startHealth(task, c);
      return;
    }
    const [file, ...args] = c.spec.argv;
    const env = { PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...c.spec.env };
    const child = execa(file!, args, {
      env,
      extendEnv: false,
      cwd: c.spec.cwd ?? task.cwd ?? tmpdir(),
      detached: true,
      cleanup: false,
      reject: false,
      buffer: false,
      stdin: "ignore",
      stripFinalNewline: false,
    });
    c.child = child as unknown as ChildProcess;
    const started = new Promise<boolean>((resolve) => {
      child.once("spawn", () => resolve(true));
      child.once("error", () => resolve(false));
    });
    if (child.pid !== undefined) this.tracker.add(child.pid, child);
    this.pipeLines(task, name, "stdout", child.stdout);
    this.pipeLines(task, name, "stderr", child.stderr);
    void started.then((ok) => {
      if (ok) {
        this.emit(task, { type: "container-started", taskId, container: name, pid: child.pid, at: new Date() });
        this.startHealth(task, c);
        this.advance(task);
      }
    });
    void child.then((r) => {
      const spawnFailed = r.failed && r.exitCode === undefined && !r.signal;
      if (spawnFailed) {
        const code = (r as { code?: string }).code;
        const reason =
          code === "ENOENT"
            ? `CannotStartContainerError: ResourceInitializationError: unable to start container process: exec: "${file}": executable file not found in $PATH`
            : `CannotStartContainerError: ResourceInitializationError: unable to start container process: exec: "${file}": ${code === "EACCES" ? "permission denied" : (r.shortMessage ?? "failed")}`;
        return this.exited(task, c, undefined, reason);
      }
      this.exited(task, c, r.exitCode ?? signalExitCode(r.signal), undefined);
    });
  }

  private pipeLines(task: Task, container: string, stream: "stdout" | "stderr", readable: NodeJS.ReadableStream | null | undefined): void {
    if (!readable) return;
    let buf = "";
    const flush = (line: string) => this.emit(task, { type: "output", taskId: task.spec.id, container, stream, line, at: new Date() });
    readable.setEncoding("utf8");
    readable.on("data", (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        flush(buf.slice(0, nl).replace(/\r$/, ""));
        buf = buf.slice(nl + 1);
      }
      while (buf.length > MAX_LINE) {
        flush(buf.slice(0, MAX_LINE));
        buf = buf.slice(MAX_LINE);
      }
    });
    readable.on("end", () => {
      if (buf.length) flush(buf);
      buf = "";
    });
  }

  private startHealth(task: Task, c: Container): void {
    const hc = c.spec.healthCheck;
    if (!hc || hc.command.length === 0) return;
    const [kind, ...rest] = hc.command;
    const argv = kind === "CMD-SHELL" ? ["sh", "-c", rest.join(" ")] : kind === "CMD" ? rest : hc.command;
    if (kind === "NONE" || argv.length === 0) return;
    const startedAt = Date.now();
    let failures = 0;
    const probe = async () => {
      if (c.state !== "running" || task.stopping) return;
      const r = await execa(argv[0]!, argv.slice(1), {
        reject: false,
        timeout: hc.timeoutSec * 1000,
        cwd: c.spec.cwd ?? task.cwd ?? tmpdir(),
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...c.spec.env },
        extendEnv: false,
        stdin: "ignore",
      });
      if (c.state !== "running" || task.stopping) return;
      let next = c.health;
      if (r.exitCode === 0) {
        failures = 0;
        next = "HEALTHY";
      } else if (Date.now() - startedAt >= hc.startPeriodSec * 1000) {
        failures++;
        if (failures >= hc.retries) next = "UNHEALTHY";
      }
      if (next !== c.health) {
        c.health = next;
        this.emit(task, { type: "container-health", taskId: task.spec.id, container: c.spec.name, status: next, at: new Date() });
        this.advance(task);
      }
      c.healthTimer = setTimeout(probe, hc.intervalSec * 1000);
      c.healthTimer.unref();
    };
    c.healthTimer = setTimeout(probe, 0);
    c.healthTimer.unref();
  }

  private exited(task: Task, c: Container, exitCode: number | undefined, reason: string | undefined): void {
    if (c.state === "exited") return;
    c.state = "exited";
    c.exitCode = exitCode;
    clearTimeout(c.killTimer);
    clearTimeout(c.healthTimer);
    this.emit(task, { type: "container-exited", taskId: task.spec.id, container: c.spec.name, exitCode, reason, at: new Date() });
    this.advance(task);
    this.finishIfDone(task);
  }

  private finishIfDone(task: Task): void {
    if (task.stopped) return;
    for (const c of task.containers.values()) {
      if (c.state === "running") return;
      if (c.state === "waiting" && !task.stopping) return;
    }
    // Waiting containers that will never start (task stopping) end without an exit code.
    for (const c of task.containers.values()) {
      if (c.state === "waiting") {
        c.state = "exited";
        this.emit(task, { type: "container-exited", taskId: task.spec.id, container: c.spec.name, at: new Date() });
      }
    }
    task.stopped = true;
    this.tasks.delete(task.spec.id);
    if (task.cwd) void rm(task.cwd, { recursive: true, force: true }).catch(() => undefined);
    this.emit(task, { type: "task-stopped", taskId: task.spec.id, at: new Date() });
    task.resolveDone();
  }

  async stop(taskId: string): Promise<void> {
    const task = this.tasks.get(taskId);
    if (!task) return;
    if (!task.stopping) {
      task.stopping = true;
      for (const c of task.containers.values()) {
        if (c.state !== "running") continue;
        if (c.release) {
          c.release();
          continue;
        }
        const pid = c.child?.pid;
        if (pid === undefined) continue;
        this.tracker.signal(pid, "SIGTERM");
        c.killTimer = setTimeout(() => this.tracker.signal(pid, "SIGKILL"), Math.max(0, c.spec.stopTimeoutSec) * 1000);
        c.killTimer.unref();
      }
      this.finishIfDone(task);
    }
    await task.done;
  }

  async stopAll(): Promise<void> {
    this.queue.clear();
    const all = [...this.tasks.values()];
    for (const t of all) {
      t.stopping = true;
      for (const c of t.containers.values()) c.release?.();
    }
    await this.tracker.stopAll();
    for (const t of all) this.finishIfDone(t);
    await Promise.all(all.map((t) => t.done));
  }

  running(): number {
    return this.tasks.size;
  }
}
