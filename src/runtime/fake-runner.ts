import type { RunListener, TaskRunner, TaskSpec } from "./types.js";

/**
 * Fake mode: nothing runs. Containers are started at once and stay up until stopped; a container's health check
 * passes at once (the steady state: on AWS a working container reports HEALTHY once its first check passes).
 */
export class FakeRunner implements TaskRunner {
  readonly kind = "fake" as const;
  private readonly tasks = new Map<string, { spec: TaskSpec; listener: RunListener }>();

  start(spec: TaskSpec, listener: RunListener): void {
    this.tasks.set(spec.id, { spec, listener });
    const at = new Date();
    for (const c of spec.containers) listener({ type: "container-started", taskId: spec.id, container: c.name, at });
    for (const c of spec.containers) if (c.healthCheck) listener({ type: "container-health", taskId: spec.id, container: c.name, status: "HEALTHY", at });
  }

  async stop(taskId: string): Promise<void> {
    const t = this.tasks.get(taskId);
    if (!t) return;
    this.tasks.delete(taskId);
    const at = new Date();
    for (const c of t.spec.containers) t.listener({ type: "container-exited", taskId, container: c.name, at });
    t.listener({ type: "task-stopped", taskId, at });
  }

  async stopAll(): Promise<void> {
    this.tasks.clear();
  }

  running(): number {
    return this.tasks.size;
  }
}
