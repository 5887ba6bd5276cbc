/**
 * The ceiling: a minimal Fastify server answering the benchmark's requests with fixed bodies (no state,
 * no parsing beyond Fastify's own). Run as `node bench/ceiling.mjs PORT`; prints "ready" when listening.
 * `node bench/ceiling.mjs PORT bare` starts a bare node:http server instead (cold-start floor).
 */
import { createServer } from "node:http";

const port = Number(process.argv[2] ?? 0);
/** A 1,000-entry listing shaped and sized like a real S3 (and awsim) ListObjectsV2 page. */
const LIST = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><KeyCount>1000</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${Array.from({ length: 1000 }, (_, i) => `<Contents><Key>list/${String(i).padStart(6, "0")}</Key><LastModified>2026-11-24T18:00:00.000Z</LastModified><ETag>&quot;3e8f5b52a0b4c6d7e8f90a1b2c3d4e5f&quot;</ETag><ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType><Size>4096</Size><StorageClass>STANDARD</StorageClass></Contents>`).join("")}</ListBucketResult>`;
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
