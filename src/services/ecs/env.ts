/** One long-lived EcsEnv per ECS state: what task listeners and the service scheduler use after a request ends. */
import type { Ctx, SimHandle } from "../core/types.js";
import type { EcsEnv } from "./runtime-bridge.js";
import { deregisterTask, registerTask } from "./service-registry.js";
import { onServiceTaskRunning, onServiceTaskStopped } from "./services.js";
import type { EcsState } from "./state.js";

const envs = new WeakMap<EcsState, EcsEnv>();

export function envOf(sim: SimHandle, st: EcsState): EcsEnv {
  let env = envs.get(st);
  if (!env) {
    const e: EcsEnv = {
      sim,
      st,
      onTaskRunning: (rec) => {
        if (!rec.service) return;
        void registerTask(e, rec).catch(() => undefined);
        onServiceTaskRunning(e, rec);
      },
      onTaskStopped: (rec) => {
        if (!rec.service) return;
        void deregisterTask(e, rec).catch(() => undefined);
        onServiceTaskStopped(e, rec);
      },
    };
    envs.set(st, (env = e));
  }
  return env;
}

export const envFor = (ctx: Ctx): EcsEnv => envOf(ctx.sim, ctx.state<EcsState>());
