/** Internal endpoints: /_awsim/health, /_awsim/reset[?service=], and the seeds' /_parlel/* aliases. */
import type { FastifyInstance } from "fastify";
import { VERSION } from "./config.js";
import type { Simulator } from "./services/core/simulator.js";
import { SERVICES, serviceByName } from "./services/index.js";

export function registerAdmin(app: FastifyInstance, sim: Simulator): void {
  const health = async () => ({
    status: "ok",
    version: VERSION,
    mode: sim.config.execute ? "execute" : "fake",
    services: sim.counts(),
    runningTasks: sim.runner.running(),
  });
  const reset = async (req: { query: unknown }, reply: { code(n: number): unknown }) => {
    const service = (req.query as { service?: string }).service;
    if (service && !serviceByName(service)) {
      reply.code(400);
      return { error: `unknown service ${service}`, services: SERVICES.map((s) => s.name) };
    }
    await sim.reset(service || undefined);
    return { status: "ok", reset: service ?? "all" };
  };
  for (const prefix of ["/_awsim", "/_parlel"]) {
    app.get(`${prefix}/health`, health);
    app.post(`${prefix}/reset`, reset);
  }
}
