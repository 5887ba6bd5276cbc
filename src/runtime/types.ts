/**
 * The runtime interface: how a task's containers run. Two implementations are chosen at start-up:
 * the instant fake (default) and the process runner (--execute). Services never know which one runs.
 */
export interface ContainerSpec {
  name: string;
  /** entryPoint + command after overrides; empty = an image's own long-running process. */
  argv: string[];
  env: Record<string, string>;
  cwd?: string;
  essential: boolean;
  /** Seconds between SIGTERM and SIGKILL on stop (ECS stopTimeout, default 30). */
  stopTimeoutSec: number;
  dependsOn?: Array<{ containerName: string; condition: "START" | "COMPLETE" | "SUCCESS" | "HEALTHY" }>;
  healthCheck?: { command: string[]; intervalSec: number; timeoutSec: number; retries: number; startPeriodSec: number };
}

export interface TaskSpec {
  /** Unique id of the run (the ECS task id). */
  id: string;
  containers: ContainerSpec[];
}

export type RunEvent =
  | { type: "container-started"; taskId: string; container: string; pid?: number; at: Date }
  | { type: "container-exited"; taskId: string; container: string; exitCode?: number; reason?: string; at: Date }
  | { type: "container-health"; taskId: string; container: string; status: "HEALTHY" | "UNHEALTHY" | "UNKNOWN"; at: Date }
  | { type: "output"; taskId: string; container: string; stream: "stdout" | "stderr"; line: string; at: Date }
  | { type: "task-stopped"; taskId: string; at: Date };

export type RunListener = (event: RunEvent) => void;

export interface TaskRunner {
  /** "fake" or "process". */
  readonly kind: "fake" | "process";
  /** Start a task's containers; events arrive through the listener. */
  start(spec: TaskSpec, listener: RunListener): void;
  /** Ask a task to stop (SIGTERM, then SIGKILL after each container's stopTimeout). */
  stop(taskId: string, reason?: string): Promise<void>;
  /** Stop every task this runner started, now (reset, shutdown). */
  stopAll(): Promise<void>;
  /** Number of tasks running now. */
  running(): number;
}
