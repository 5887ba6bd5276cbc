/**
 * The ceiling: a minimal Fastify server answering the benchmark's requests with fixed bodies of realistic
 * size (no state, no parsing beyond Fastify's own and finding the Query action). Run as
 * `node bench/ceiling.mjs PORT`; prints "ready" when listening. `node bench/ceiling.mjs PORT bare` starts a
 * bare node:http server instead (cold-start floor); `... PORT minimal` answers S3 objects without S3's headers.
 *
 * Bodies are built lazily (so cold start is not charged for them) from awsim's own answers in
 * bench/fixtures/ (one ECS task, one EC2 instance) repeated to the size of each workload's answer.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { Readable } from "node:stream";

const port = Number(process.argv[2] ?? 0);
const FIX = new URL("./fixtures/", import.meta.url);
const BODY = Buffer.alloc(4096, 7);
const ETAG = "&quot;3e8f5b52a0b4c6d7e8f90a1b2c3d4e5f&quot;";
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

const lazy = (f) => {
  let v;
  return () => (v ??= Buffer.from(f()));
};
/** A 1,000-entry listing shaped and sized like a real S3 (and awsim) ListObjectsV2 page. */
const LIST = lazy(
  () =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult ${NS}><Name>bench-list</Name><Prefix></Prefix><MaxKeys>1000</MaxKeys><KeyCount>1000</KeyCount><IsTruncated>true</IsTruncated><StartAfter>list/004999</StartAfter>${Array.from({ length: 1000 }, (_, i) => `<Contents><Key>list/${String(i).padStart(6, "0")}</Key><LastModified>2026-11-24T18:00:00.000Z</LastModified><ETag>${ETAG}</ETag><ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType><Size>16</Size><StorageClass>STANDARD</StorageClass></Contents>`).join("")}</ListBucketResult>`,
);
/** A 1,000-version ListObjectVersions page. */
const VERSIONS = lazy(
  () =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListVersionsResult ${NS}><Name>bench-list</Name><Prefix></Prefix><KeyMarker>list/004999</KeyMarker><VersionIdMarker></VersionIdMarker><NextKeyMarker>list/005999</NextKeyMarker><NextVersionIdMarker>ezDKgQJ3dKJQlAdQCkCM1to8oH-S5Kuu</NextVersionIdMarker><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>${Array.from({ length: 1000 }, (_, i) => `<Version><Key>list/${String(i).padStart(6, "0")}</Key><VersionId>ezDKgQJ3dKJQlAdQCkCM1to8oH-S5Kuu</VersionId><IsLatest>true</IsLatest><LastModified>2026-11-29T21:41:52.318Z</LastModified><Owner><ID>2a8cda004bb2c25b0ce023232dc809bd547443cba02c8d3a34999be7eefcd46a</ID></Owner><ETag>${ETAG}</ETag><Size>16</Size><StorageClass>STANDARD</StorageClass><ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType></Version>`).join("")}</ListVersionsResult>`,
);
const RUNTASK = lazy(() => readFileSync(new URL("ecs-runtask.json", FIX)));
const task = () => JSON.stringify(JSON.parse(readFileSync(new URL("ecs-runtask.json", FIX), "utf8")).tasks[0]);
const DESCRIBE_TASKS = lazy(() => `{"tasks":[${Array(100).fill(task()).join(",")}],"failures":[]}`);
const LIST_TASKS = lazy(
  () =>
    `{"taskArns":[${Array.from({ length: 100 }, (_, i) => `"arn:aws:ecs:us-east-1:000000000000:task/bench/${String(i).padStart(32, "0")}"`).join(",")}],"nextToken":"eyJjbHVzdGVyIjoiYmVuY2giLCJhZnRlciI6IjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDk5In0"}`,
);
const RUNINSTANCES = lazy(() => readFileSync(new URL("ec2-runinstances.xml", FIX)));
const instance = () => /<instancesSet>(<item>.*<\/item>)<\/instancesSet>/s.exec(readFileSync(new URL("ec2-runinstances.xml", FIX), "utf8"))[1];
const describeInstances = (n) =>
  `<?xml version="1.0" encoding="UTF-8"?><DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fc33e722-276a-4399-ad9e-63521bc1630c</requestId><reservationSet><item><reservationId>r-f8b33cd781b498c6e</reservationId><ownerId>000000000000</ownerId><groupSet></groupSet><instancesSet>${Array(n).fill(instance()).join("")}</instancesSet></item></reservationSet></DescribeInstancesResponse>`;
const DESCRIBE_1000 = lazy(() => describeInstances(1000));
const DESCRIBE_100 = lazy(() => describeInstances(100));
/**
 * The headers every S3 object answer carries on AWS (and awsim), with fixed values: request ids, the
 * object's dates, ranges and encryption. Without them the ceiling would answer S3 with less than S3 does.
 * `minimal` as the third argument leaves them out (the rounds before 7 measured that way).
 */
const S3_PUT_HEADERS =
  process.argv[3] === "minimal"
    ? undefined
    : {
        "x-amz-request-id": "745B4CF800009C45",
        "x-amz-id-2": "lbZxBM/Oakxuq/H4u0UxS78abhRCRyBAoxLHyhDUXf8uGGCAArrg20xHplIAAJxF",
        "x-amz-server-side-encryption": "AES256",
        server: "AmazonS3",
      };
const S3_HEADERS = S3_PUT_HEADERS && { ...S3_PUT_HEADERS, "last-modified": "Mon, 30 Nov 2026 10:43:33 GMT", "accept-ranges": "bytes" };
const QUERY_OK = Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Response><requestId>fc33e722-276a-4399-ad9e-63521bc1630c</requestId></Response>');

if (process.argv[3] === "bare") {
  createServer((req, res) => {
    req.resume();
    res.end("ok");
  }).listen(port, "127.0.0.1", () => console.log("ready"));
} else {
  const { default: Fastify } = await import("fastify");
  const app = Fastify({ logger: false, bodyLimit: 2 ** 40 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => done(null, body));
  app.addContentTypeParser("*", (_req, payload, done) => {
    payload.resume();
    payload.on("end", () => done(null));
  });
  app.route({
    method: ["GET", "PUT", "HEAD", "POST", "DELETE"],
    url: "*",
    handler: async (req, reply) => {
      const url = req.url;
      if (url.startsWith("/_awsim/health")) return { status: "ok" };
      const target = req.headers["x-amz-target"];
      if (target) {
        const op = target.slice(target.indexOf(".") + 1);
        const body = op === "RunTask" ? RUNTASK() : op === "DescribeTasks" ? DESCRIBE_TASKS() : op === "ListTasks" ? LIST_TASKS() : "{}";
        return reply.header("content-type", "application/x-amz-json-1.1").send(body);
      }
      if (typeof req.body === "string") {
        const b = req.body;
        const xml = b.includes("Action=RunInstances")
          ? RUNINSTANCES()
          : b.includes("Action=DescribeInstances")
            ? b.includes("Filter.")
              ? DESCRIBE_100()
              : DESCRIBE_1000()
            : QUERY_OK;
        return reply.header("content-type", "text/xml;charset=UTF-8").send(xml);
      }
      if (S3_HEADERS && !url.includes("?")) reply.headers(req.method === "PUT" ? S3_PUT_HEADERS : S3_HEADERS);
      if (req.method === "PUT") return reply.header("etag", '"0"').send("");
      if (req.method === "HEAD") return reply.header("content-length", "4096").header("etag", '"0"').send();
      if (url.includes("list-type=2")) return reply.header("content-type", "application/xml").send(LIST());
      if (url.includes("?versions")) return reply.header("content-type", "application/xml").send(VERSIONS());
      const big = /\/big-(\d+)$/.exec(url);
      if (big) {
        const mib = Number(big[1]);
        const chunk = Buffer.alloc(1 << 20, 5);
        const stream = Readable.from(
          (function* () {
            for (let i = 0; i < mib; i++) yield chunk;
          })(),
          { objectMode: false },
        );
        return reply
          .header("content-type", "application/octet-stream")
          .header("content-length", String(mib << 20))
          .send(stream);
      }
      return reply.header("content-type", "application/octet-stream").send(BODY);
    },
  });
  await app.listen({ port, host: "127.0.0.1" });
  // A graceful exit on SIGTERM, so that --cpu-prof (bench/cpu.mjs --profile) writes the ceiling's profile too.
  process.once("SIGTERM", () => process.exit(0));
  console.log("ready");
}
