/** Internal endpoints: /_awsim/health, /_awsim/reset[?service=], and the seeds' /_parlel/* aliases. */
import type { FastifyInstance } from "fastify";
import { VERSION } from "./config.js";
import type { Simulator } from "./services/core/simulator.js";
import { registerSnapshotRoutes } from "./persist/routes.js";
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
  // Execute-mode tasks reach these through ECS_CONTAINER_METADATA_URI_V4 / AWS_CONTAINER_CREDENTIALS_FULL_URI.
  app.get("/_awsim/ecs/metadata/:taskId/:container", async (req, reply) => {
    const { taskId, container } = req.params as { taskId: string; container: string };
    const { findTaskAnywhere, containerMetadata } = await import("./services/ecs/metadata.js");
    const hit = findTaskAnywhere(sim.statesOf("ecs"), taskId);
    const meta = hit && containerMetadata(hit.rec, container);
    if (!meta) return reply.code(404).send({ error: "task not found" });
    return meta;
  });
  app.get("/_awsim/ecs/metadata/:taskId/:container/task", async (req, reply) => {
    const { taskId } = req.params as { taskId: string };
    const { findTaskAnywhere, taskMetadata } = await import("./services/ecs/metadata.js");
    const hit = findTaskAnywhere(sim.statesOf("ecs"), taskId);
    if (!hit) return reply.code(404).send({ error: "task not found" });
    return taskMetadata(hit.rec);
  });
  app.get("/_awsim/ecs/credentials/:taskId", async (req, reply) => {
    const { taskId } = req.params as { taskId: string };
    const { findTaskAnywhere, taskCredentials } = await import("./services/ecs/metadata.js");
    const hit = findTaskAnywhere(sim.statesOf("ecs"), taskId);
    if (!hit) return reply.code(404).send({ error: "task not found" });
    const roles = (arn: string) =>
      (sim.statesOf("iam") as Array<{ accountId: string; roles?: Map<string, { arn: string; id: string }> }>)
        .filter((x) => x.accountId === arn.split(":")[4])
        .flatMap((x) => [...(x.roles?.values() ?? [])])
        .find((r) => r.arn === arn)?.id;
    return taskCredentials(hit.st, hit.rec, roles);
  });
  // Data points produced by CloudWatch Logs metric filters (awsim has no CloudWatch metrics service).
  app.get("/_awsim/logs/metrics", async (req) => {
    const { metricPointsOf } = await import("./services/logs/ingest.js");
    return metricPointsOf(sim.statesOf("logs"), req.query as { namespace?: string; metricName?: string; logGroupName?: string });
  });
  // What IAM published to delegation requests' notification channels (awsim has no SNS): states and exchange tokens.
  app.get("/_awsim/iam/delegation-notifications", async (req) => {
    const { delegationNotices } = await import("./services/iam/delegation.js");
    return { notifications: delegationNotices(sim.statesOf("iam") as never, req.query as { topicArn?: string }) };
  });
  // S3's clock (lifecycle ages, restores, retention): advance it and run the lifecycle sweeper, or just sweep.
  app.post("/_awsim/clock/advance", async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const ms = Number(q.days ?? 0) * 86_400_000 + Number(q.hours ?? 0) * 3_600_000 + Number(q.seconds ?? 0) * 1000;
    if (!Number.isFinite(ms) || ms < 0) return reply.code(400).send({ error: "days, hours and seconds must be non-negative numbers" });
    const { advanceClock } = await import("./services/s3/lifecycle.js");
    const ecr = await import("./services/ecr/lifecycle.js");
    (await import("./services/lambda/durable.js")).advanceClock(sim.statesOf("lambda") as never, ms);
    return { ...advanceClock(sim.statesOf("s3"), ms), ...ecr.advanceClock(sim.statesOf("ecr") as never, ms) };
  });
  app.post("/_awsim/s3/lifecycle/run", async () => {
    const { sweep } = await import("./services/s3/lifecycle.js");
    return { swept: sim.statesOf("s3").map((st) => sweep(st as never)) };
  });
  registerSnapshotRoutes(app, sim);
  for (const prefix of ["/_awsim", "/_parlel"]) {
    app.get(`${prefix}/health`, health);
    app.post(`${prefix}/reset`, reset);
  }
}
