/**
 * buildApp(sim): the Fastify instance. Fastify is only the socket: bodies stay raw streams (no content
 * type parsing, no body limit), the URL is parsed by us, and every non-admin request goes to dispatch()
 * through one catch-all route (start-up does not grow with the number of operations).
 */
import Fastify, { type FastifyInstance } from "fastify";
import type { Readable } from "node:stream";
import { registerAdmin } from "./admin.js";
import type { Logger } from "./log.js";
import { dispatch } from "./protocols/dispatch.js";
import type { RawRequest } from "./protocols/http.js";
import type { Simulator } from "./services/core/simulator.js";

export function buildApp(sim: Simulator, log: Logger): FastifyInstance {
  const app = Fastify({
    logger: false,
    exposeHeadRoutes: false,
    forceCloseConnections: true,
    requestIdHeader: false,
    routerOptions: { ignoreDuplicateSlashes: false, ignoreTrailingSlash: false, caseSensitive: true, maxParamLength: 1 << 20 },
    frameworkErrors: (_err, _req, reply) => {
      const r = reply as unknown as { code(n: number): { header(k: string, v: string): { send(b: string): void } } };
      r.code(400)
        .header("content-type", "application/xml")
        .send(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidURI</Code><Message>Couldn't parse the specified URI.</Message></Error>`);
    },
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (_req, _payload, done) => done(null, undefined));
  registerAdmin(app, sim);

  app.route({
    method: ["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"],
    url: "*",
    handler: async (request, reply) => {
      const started = performance.now();
      const raw = request.raw;
      const url = raw.url ?? "/";
      const q = url.indexOf("?");
      const req: RawRequest = {
        method: raw.method ?? "GET",
        url,
        rawPath: q < 0 ? url : url.slice(0, q),
        rawQuery: q < 0 ? "" : url.slice(q + 1),
        headers: raw.headers,
        stream: raw,
      };
      const result = await dispatch(sim, req);
      if (result.error) log.error(`${result.service} ${result.operation} failed`, result.error);
      const { response } = result;
      // Drain an unread body so keep-alive connections stay usable.
      if (!raw.readableEnded && !raw.destroyed) raw.resume();
      reply.code(response.status);
      reply.headers(response.headers);
      if (log.enabled("info")) {
        const ms = (performance.now() - started).toFixed(1);
        log.info(`${result.service} ${result.operation || "-"} ${response.status} ${ms}ms`);
      }
      const body = response.body;
      if (body === undefined) return reply.send();
      // Strings go out as bytes so Fastify does not append "; charset=utf-8" to AWS's content types.
      if (typeof body === "string") return reply.send(Buffer.from(body));
      if (Buffer.isBuffer(body)) return reply.send(body);
      return reply.send(body as Readable);
    },
  });
  return app;
}
