/**
 * The ceiling: a minimal Fastify server answering the benchmark's requests with fixed bodies (no state,
 * no parsing beyond Fastify's own). Run as `node bench/ceiling.mjs PORT`; prints "ready" when listening.
 * `node bench/ceiling.mjs PORT bare` starts a bare node:http server instead (cold-start floor).
 */
import { createServer } from "node:http";

const port = Number(process.argv[2] ?? 0);
const LIST = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><KeyCount>1000</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${"<Contents><Key>k</Key><Size>4096</Size><ETag>&quot;0&quot;</ETag><StorageClass>STANDARD</StorageClass></Contents>".repeat(1000)}</ListBucketResult>`;
const BODY = Buffer.alloc(4096, 7);

if (process.argv[3] === "bare") {
  createServer((req, res) => {
    req.resume();
    res.end("ok");
  }).listen(port, "127.0.0.1", () => console.log("ready"));
} else {
  const { default: Fastify } = await import("fastify");
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (_req, payload, done) => {
    payload.resume();
    payload.on("end", () => done(null));
  });
  app.route({
    method: ["GET", "PUT", "HEAD", "POST", "DELETE"],
    url: "*",
    handler: async (req, reply) => {
      if (req.url.startsWith("/_awsim/health")) return { status: "ok" };
      if (req.headers["x-amz-target"]) return reply.header("content-type", "application/x-amz-json-1.1").send("{}");
      if (req.method === "PUT") return reply.header("etag", '"0"').send("");
      if (req.method === "HEAD") return reply.header("content-length", "4096").header("etag", '"0"').send();
      if (req.url.includes("list-type=2")) return reply.header("content-type", "application/xml").send(LIST);
      return reply.header("content-type", "application/octet-stream").send(BODY);
    },
  });
  await app.listen({ port, host: "127.0.0.1" });
  console.log("ready");
}
