/**
 * Owns every child process group awsim starts, so none is orphaned: stopAll() kills them all and waits,
 * and a process 'exit' hook SIGKILLs whatever is left even when awsim itself exits abruptly.
 */

const live = new Set<Tracker>();
let hooked = false;

function killEverything(): void {
  for (const t of live) t.killAllNow();
}

export class Tracker {
  private readonly groups = new Map<number, Promise<void>>();

  constructor() {
    live.add(this);
    if (!hooked) {
      hooked = true;
      process.once("exit", killEverything);
    }
  }

  /** Track a detached child (its pid is its process group id) until `exited` settles. */
  add(pid: number, exited: Promise<unknown>): void {
    const done = exited.then(
      () => undefined,
      () => undefined,
    );
    this.groups.set(pid, done);
    void done.then(() => this.groups.delete(pid));
  }

  signal(pid: number, sig: NodeJS.Signals): void {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  }

  /** SIGKILL every tracked process group now (synchronous: safe in an 'exit' handler). */
  killAllNow(): void {
    for (const pid of this.groups.keys()) this.signal(pid, "SIGKILL");
  }

  /** Kill every tracked process group and wait until all have exited. */
  async stopAll(): Promise<void> {
    this.killAllNow();
    await Promise.all(this.groups.values());
  }

  size(): number {
    return this.groups.size;
  }

  dispose(): void {
    this.killAllNow();
    live.delete(this);
  }
}
