/**
 * After a restore or a restart: give ECS tasks what a copy cannot carry (the promise RunTask waits on, the
 * runner's record of them). Fake mode: tasks that were live are handed to the runner again (StopTask, service
 * scaling and reset keep working), with their describe output unchanged. Execute mode: processes are not
 * resurrected; every task that was not STOPPED is stopped with stopCode TaskFailedToStart and stoppedReason
 * "awsim restarted", and services' schedulers start replacements.
 */
import type { Simulator } from "../services/core/simulator.js";
import type { EcsState } from "../services/ecs/state.js";

export const RESTART_REASON = "awsim restarted";

export async function reviveEcs(sim: Simulator): Promise<void> {
  const { envOf } = await import("../services/ecs/env.js");
  const { containerSpecs, makeListener, onRunEvent } = await import("../services/ecs/runtime-bridge.js");
  for (const st of sim.statesOf<EcsState>("ecs")) {
    const env = envOf(sim, st);
    for (const rec of st.tasks.values()) {
      if (typeof rec.settle !== "function") {
        rec.settle = () => undefined;
        rec.settled = Promise.resolve();
      }
      const t = rec.task;
      if (t.lastStatus === "STOPPED") continue;
      if (sim.config.execute) {
        const at = new Date();
        t.desiredStatus = "STOPPED";
        t.stopCode = "TaskFailedToStart";
        t.stoppedReason = RESTART_REASON;
        t.stoppingAt = at;
        onRunEvent(env, rec, new Map(), { type: "task-stopped", taskId: rec.id, at });
        continue;
      }
      const td = st.families.get(rec.family)?.find((d) => d.taskDefinitionArn === t.taskDefinitionArn);
      if (!td) continue;
      const version = t.version;
      sim.runner.start(containerSpecs(env, rec, td, t.overrides?.containerOverrides ?? []), makeListener(env, rec, new Map()));
      t.version = version;
    }
  }
}
