import type { AwsimConfig } from "../config.js";
import type { RunListener, TaskRunner, TaskSpec } from "./types.js";

/** Execute mode: containers run as real child processes. (Implemented by the execute-mode work.) */
export class ProcessRunner implements TaskRunner {
  readonly kind = "process" as const;
  constructor(readonly config: AwsimConfig) {}
  start(_spec: TaskSpec, _listener: RunListener): void {
    throw new Error("execute mode is not implemented yet");
  }
  async stop(): Promise<void> {}
  async stopAll(): Promise<void> {}
  running(): number {
    return 0;
  }
}
