/**
 * /_awsim/snapshots: POST ?name=X[&service=s3] saves, GET lists, POST /X/restore restores, DELETE /X removes.
 * Errors in the admin shape: {"error": "..."} with 400 (bad name/service), 404 (no such snapshot) or
 * 422 (a file that is not a snapshot this version reads).
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Simulator } from "../services/core/simulator.js";
import { SnapshotError, SnapshotStore } from "./snapshots.js";

export function registerSnapshotRoutes(app: FastifyInstance, sim: Simulator): void {
  const store = () => (sim.snapshots ??= new SnapshotStore(sim));
  const fail = (reply: FastifyReply, e: unknown) => {
    if (e instanceof SnapshotError) return reply.code(e.status).send({ error: e.message });
    throw e;
  };
  app.get("/_awsim/snapshots", async () => ({ snapshots: store().list() }));
  app.post("/_awsim/snapshots", async (req, reply) => {
    const q = req.query as { name?: string; service?: string };
    try {
      return { status: "ok", snapshot: await store().save(SnapshotStore.checkName(q.name), { service: q.service || undefined }) };
    } catch (e) {
      return fail(reply, e);
    }
  });
  app.post("/_awsim/snapshots/:name/restore", async (req, reply) => {
    try {
      return { status: "ok", restored: await store().restore((req.params as { name: string }).name) };
    } catch (e) {
      return fail(reply, e);
    }
  });
  app.delete("/_awsim/snapshots/:name", async (req, reply) => {
    const { name } = req.params as { name: string };
    try {
      if (!store().delete(name)) return reply.code(404).send({ error: `no snapshot named "${name}"` });
      return { status: "ok", deleted: name };
    } catch (e) {
      return fail(reply, e);
    }
  });
}
