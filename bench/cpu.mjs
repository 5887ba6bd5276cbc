/**
 * The benchmark suite (`npm run bench`): server CPU per request, measured honestly. awsim and the ceiling
 * (bench/ceiling.mjs, a bare Fastify server answering the same requests with fixed bodies of realistic
 * size) run in one process tree, interleaved, each a fresh process per repetition and per workload group.
 * The load generator is cheap: raw keep-alive HTTP/1.1 sockets, request bytes prepared before each phase
 * (S3 REST, JSON with X-Amz-Target, EC2 Query form bodies), with a fixed valid-looking SigV4 Authorization
 * header (awsim does not verify signatures by default). The figure that counts is the server's own CPU
 * time (utime+stime of all its threads, /proc/<pid>/stat) per successful request, beside throughput and
 * latency. Each phase is bounded in count and in time, so a loaded machine makes it shorter, not longer.
 *
 *   node bench/cpu.mjs [--reps 3] [--n 20000] [--secs 3] [--c 8] [--only put,get,...|group] [--awsim DIR] [--before DIR]
 *   node bench/cpu.mjs --scale [--levels 100,1000,10000,100000] [--only s3list,ecsdesc,ec2desc]
 *
 * --awsim DIR measures another build as "awsim"; --before DIR adds that build as a third server, measured
 * interleaved with the others, and prints awsim ÷ before. Ratios are medians of per-repetition ratios. Each run appends one JSON line to
 * bench/results/cpu.jsonl (or cpu-scale.jsonl), git-ignored.
 */
import { createHash } from "node:crypto";
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { cpus } from "node:os";
import { ECS_TD, freePort, rssMiB, startAndWait, stop } from "./lib.mjs";

const ROOT = new URL("../", import.meta.url).pathname;
const argv = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return dflt;
  const a = argv[i];
  if (a.includes("=")) return a.slice(a.indexOf("=") + 1);
  const v = argv[i + 1];
  return v === undefined || v.startsWith("--") ? true : v;
};
const REPS = Number(arg("reps", 3));
const N = Number(arg("n", 20_000));
const SECS = Number(arg("secs", 3));
const SCALE = Boolean(arg("scale", false));
const LEVELS = String(arg("levels", "100,1000,10000,100000")).split(",").map(Number);
const BIG_MIB = Number(arg("big-mib", 1024));
/** Concurrency of the S3 4 KiB CPU phase (throughput is always also measured at 32). */
const C = Number(arg("c", 8));
const PROFILE = arg("profile", undefined);
const AWSIM_CLI = `${arg("awsim", ROOT.slice(0, -1))}/dist/cli.js`;
const BEFORE = arg("before", undefined);
// --awsim-flags / --before-flags "...": node options for that server only (e.g. "--max-semi-space-size=4").
const nodeFlags = (kind) =>
  String(arg(`${kind}-flags`, "") || "")
    .split(/\s+/)
    .filter(Boolean);
/** --ceiling-minimal: the ceiling answers S3 objects without S3's headers (as rounds 1–6 measured). */
const CEILING_MINIMAL = process.argv.includes("--ceiling-minimal");
const TICK_US = 1e6 / 100; // USER_HZ is 100 on Linux

// ---------------------------------------------------------------- request bytes
const authFor = (svc) =>
  `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${svc}/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target, Signature=${"5f".repeat(32)}`;
const AUTH = { s3: authFor("s3"), ecs: authFor("ecs"), ec2: authFor("ec2") };
const SMALL = Buffer.alloc(4096, 7);

function httpHead(method, path, port, svc, extra, len) {
  return [
    `${method} ${path} HTTP/1.1`,
    `host: 127.0.0.1:${port}`,
    `authorization: ${AUTH[svc]}`,
    "x-amz-date: 20260101T000000Z",
    "x-amz-content-sha256: UNSIGNED-PAYLOAD",
    "user-agent: awsim-bench",
    ...extra,
    `content-length: ${len}`,
    "",
    "",
  ].join("\r\n");
}
const s3req = (method, path, port, body) => {
  const head = Buffer.from(httpHead(method, path, port, "s3", [], body ? body.length : 0));
  return body ? Buffer.concat([head, body]) : head;
};
const jsonReq = (op, port, input) => {
  const body = Buffer.from(JSON.stringify(input));
  const extra = [`x-amz-target: AmazonEC2ContainerServiceV20141113.${op}`, "content-type: application/x-amz-json-1.1"];
  return Buffer.concat([Buffer.from(httpHead("POST", "/", port, "ecs", extra, body.length)), body]);
};
const queryReq = (params, port) => {
  const body = Buffer.from(new URLSearchParams({ Version: "2016-11-15", ...params }).toString());
  const extra = ["content-type: application/x-www-form-urlencoded; charset=utf-8"];
  return Buffer.concat([Buffer.from(httpHead("POST", "/", port, "ec2", extra, body.length)), body]);
};

// ---------------------------------------------------------------- measurement
function cpuTicks(pid) {
  const s = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
  return Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
}

/**
 * An incremental HTTP/1.1 response reader: Content-Length or chunked bodies are skipped by counting (never
 * concatenated), so multi-megabyte answers cost the client little. Calls done(status, bytes, body?) per
 * response; with keep=true it also hands back the body (setup calls only).
 */
function responseReader(isHead, done, keep = false) {
  let pend = null;
  let state = 0; // 0 head, 1 body by length, 2 chunk-size line, 3 chunk data (+CRLF), 4 final CRLF
  let left = 0;
  let status = 0;
  let bytes = 0;
  let parts = [];
  const finish = () => {
    state = 0;
    const body = keep ? Buffer.concat(parts) : undefined;
    parts = [];
    done(status, bytes, body);
  };
  return (d) => {
    let off = 0;
    while (off < d.length) {
      if (state === 0 || state === 2) {
        if (pend) {
          d = Buffer.concat([pend, d.subarray(off)]);
          off = 0;
          pend = null;
        }
        if (state === 0) {
          const he = d.indexOf("\r\n\r\n", off);
          if (he < 0) {
            pend = d.subarray(off);
            return;
          }
          const head = d.toString("latin1", off, he);
          status = Number(head.slice(9, 12));
          bytes = he + 4 - off;
          off = he + 4;
          const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
          if (isHead || status === 204 || status === 304) finish();
          else if (cl) {
            left = Number(cl[1]);
            if (left === 0) finish();
            else state = 1;
          } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) state = 2;
          else finish();
        } else {
          const le = d.indexOf("\r\n", off);
          if (le < 0) {
            pend = d.subarray(off);
            return;
          }
          const size = Number.parseInt(d.toString("latin1", off, le), 16);
          bytes += le + 2 - off;
          off = le + 2;
          left = size + 2;
          state = size === 0 ? 4 : 3;
        }
      } else {
        const take = Math.min(left, d.length - off);
        if (keep && (state === 1 || (state === 3 && left > 2))) parts.push(d.subarray(off, off + Math.min(take, state === 3 ? left - 2 : take)));
        left -= take;
        off += take;
        bytes += take;
        if (left === 0) {
          if (state === 3) state = 2;
          else finish();
        }
      }
    }
  };
}

/**
 * One phase: `c` keep-alive sockets pull requests from a shared counter (reqs[k % reqs.length]) until `n`
 * were sent or `secs` passed. Returns server CPU µs per successful request, req/s, p50/p99 latency (ms),
 * bytes per response, counts.
 */
async function phase(srv, reqs, { n = N, c = 8, secs = SECS, isHead = false, keep = false } = {}) {
  const stats = { ok: 0, bad: 0, lat: [], bytes: 0, bodies: keep ? [] : undefined, firstBad: undefined };
  let k = 0;
  const deadline = performance.now() + secs * 1000;
  const cpu0 = cpuTicks(srv.pid);
  const t0 = performance.now();
  await Promise.all(
    Array.from(
      { length: Math.min(c, n) },
      () =>
        new Promise((resolve, reject) => {
          const sock = connect(srv.port, "127.0.0.1");
          sock.setNoDelay(true);
          let ts = 0;
          let idx = 0;
          const next = () => {
            if (k >= n || performance.now() > deadline) {
              sock.end();
              return resolve();
            }
            idx = k++;
            ts = performance.now();
            sock.write(reqs[idx % reqs.length]);
          };
          sock.on("connect", next);
          sock.on("error", reject);
          sock.on(
            "data",
            responseReader(
              isHead,
              (status, bytes, body) => {
                stats.lat.push(performance.now() - ts);
                stats.bytes += bytes;
                if (status >= 200 && status < 300) stats.ok++;
                else {
                  stats.bad++;
                  stats.firstBad ??= `${status} ${body?.toString().slice(0, 300) ?? ""}`;
                }
                if (keep) stats.bodies[idx] = body;
                next();
              },
              keep,
            ),
          );
        }),
    ),
  );
  const secsTaken = (performance.now() - t0) / 1000;
  const cpu = (cpuTicks(srv.pid) - cpu0) * TICK_US;
  stats.lat.sort((a, b) => a - b);
  const count = stats.ok + stats.bad;
  return {
    cpuPerReq: cpu / Math.max(1, stats.ok),
    cpuMs: cpu / 1000,
    rps: stats.ok / secsTaken,
    p50: stats.lat[Math.floor(stats.lat.length / 2)],
    p99: stats.lat[Math.floor(stats.lat.length * 0.99)],
    bytesPerResp: stats.bytes / Math.max(1, count),
    ok: stats.ok,
    bad: stats.bad,
    firstBad: stats.firstBad,
    bodies: stats.bodies,
  };
}

/** Send each request exactly once (setup); throws on any non-2xx. */
async function sendAll(srv, reqs, c = 8, keep = false) {
  const r = await phase(srv, reqs, { n: reqs.length, c, secs: 3600, keep });
  if (r.bad) throw new Error(`setup: ${r.bad} of ${reqs.length} failed; first: ${r.firstBad}`);
  return r;
}
const call = async (srv, req) => (await sendAll(srv, [req], 1, true)).bodies[0].toString();

// ---------------------------------------------------------------- servers
async function startServer(kind) {
  const port = await freePort();
  const cli = kind === "awsim" ? AWSIM_CLI : kind === "before" ? `${BEFORE}/dist/cli.js` : undefined;
  const args = cli
    ? [...nodeFlags(kind), cli, "--port", String(port), "--log-level", "silent"]
    : [`${ROOT}bench/ceiling.mjs`, String(port), ...(CEILING_MINIMAL ? ["minimal"] : [])];
  // --profile DIR: V8 CPU profiles of the servers (one .cpuprofile each, written when the server stops).
  if (PROFILE) args.unshift("--cpu-prof", `--cpu-prof-dir=${PROFILE}/${kind}`);
  const { child, ms } = await startAndWait(process.execPath, args, `http://127.0.0.1:${port}/_awsim/health`);
  return { kind, port, pid: child.pid, child, ms, ceiling: kind === "ceiling" };
}

// ---------------------------------------------------------------- setups (ceiling: placeholders only)
const key = (i) => `list/${String(i).padStart(6, "0")}`;
const TINY = Buffer.from("0123456789abcdef");

async function s3Setup(srv) {
  if (srv.ceiling) return {};
  await sendAll(srv, [s3req("PUT", "/bench", srv.port)]);
  await sendAll(
    srv,
    Array.from({ length: 64 }, (_, i) => s3req("PUT", `/bench/obj-${i}`, srv.port, SMALL)),
  );
  return {};
}

/** A versioned bucket holding `count` keys (one version each); grows from `have`. */
async function s3ListGrow(srv, ctx, count) {
  if (srv.ceiling) return;
  if (!ctx.bucket) {
    await sendAll(srv, [s3req("PUT", "/bench-list", srv.port)]);
    const v = Buffer.from('<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>');
    await sendAll(srv, [s3req("PUT", "/bench-list?versioning", srv.port, v)]);
    ctx.bucket = true;
    ctx.have = 0;
  }
  const reqs = [];
  for (let i = ctx.have; i < count; i++) reqs.push(s3req("PUT", `/bench-list/${key(i)}`, srv.port, TINY));
  if (reqs.length) await sendAll(srv, reqs, 8);
  ctx.have = Math.max(ctx.have, count);
}

/** Page requests starting at several places of a `total`-key listing, each returning min(1000, total) keys. */
function listReqs(port, total, kind) {
  const starts = total <= 1000 ? [-1] : Array.from({ length: Math.min(10, total / 1000) }, (_, i) => Math.floor(((total - 1000) * i) / 9) - 1);
  return [...new Set(starts)].map((s) => {
    const from = s < 0 ? "" : kind === "v2" ? `&start-after=${encodeURIComponent(key(s))}` : `&key-marker=${encodeURIComponent(key(s))}`;
    return s3req("GET", kind === "v2" ? `/bench-list?list-type=2&max-keys=1000${from}` : `/bench-list?versions&max-keys=1000${from}`, port);
  });
}

async function ecsSetup(srv) {
  if (srv.ceiling) return { subnet: "subnet-0123456789abcdef0", have: 0 };
  await sendAll(srv, [jsonReq("CreateCluster", srv.port, { clusterName: "bench" })]);
  await sendAll(srv, [jsonReq("RegisterTaskDefinition", srv.port, ECS_TD)]);
  const subnets = await call(srv, queryReq({ Action: "DescribeSubnets" }, srv.port));
  return { subnet: /<subnetId>([^<]+)</.exec(subnets)[1], have: 0 };
}
const runTaskInput = (ctx, count) => ({
  cluster: "bench",
  taskDefinition: "bench",
  launchType: "FARGATE",
  count,
  networkConfiguration: { awsvpcConfiguration: { subnets: [ctx.subnet], assignPublicIp: "ENABLED" } },
});
async function ecsGrow(srv, ctx, count) {
  if (srv.ceiling) return;
  const reqs = [];
  for (let have = ctx.have; have < count; have += 10) reqs.push(jsonReq("RunTask", srv.port, runTaskInput(ctx, Math.min(10, count - have))));
  if (reqs.length) await sendAll(srv, reqs, 8);
  ctx.have = Math.max(ctx.have, count);
  // 100 ARNs from the first page, and the tokens of a first and a middle ListTasks page.
  const first = JSON.parse(await call(srv, jsonReq("ListTasks", srv.port, { cluster: "bench", maxResults: 100 })));
  ctx.arns = first.taskArns;
  let token = first.nextToken;
  const middle = Math.floor(count / 200);
  for (let p = 1; p < middle && token; p++)
    token = JSON.parse(await call(srv, jsonReq("ListTasks", srv.port, { cluster: "bench", maxResults: 100, nextToken: token }))).nextToken;
  ctx.midToken = token;
}
const fakeArns = () => Array.from({ length: 100 }, (_, i) => `arn:aws:ecs:us-east-1:000000000000:task/bench/${String(i).padStart(32, "0")}`);
const describeTasksReqs = (srv, ctx) => [jsonReq("DescribeTasks", srv.port, { cluster: "bench", tasks: ctx.arns ?? fakeArns() })];
const listTasksReqs = (srv, ctx) => [
  jsonReq("ListTasks", srv.port, { cluster: "bench", maxResults: 100 }),
  ...(ctx.midToken ? [jsonReq("ListTasks", srv.port, { cluster: "bench", maxResults: 100, nextToken: ctx.midToken })] : []),
];

const RUN_INSTANCES = { Action: "RunInstances", ImageId: "ami-0abcdef1234567890", InstanceType: "t3.micro", MinCount: "1", MaxCount: "1" };
/** Instances in batches of 100, each batch tagged batch=<i>. */
async function ec2Grow(srv, ctx, count) {
  if (srv.ceiling) return;
  ctx.have ??= 0;
  // The default VPC's subnets hold ~24,500 addresses (as in AWS); beyond that, two /16 VPCs with a /16 subnet each.
  if (count > 20_000 && !ctx.subnets) {
    ctx.subnets = [];
    for (const n of [100, 101]) {
      const vpc = /<vpcId>([^<]+)</.exec(await call(srv, queryReq({ Action: "CreateVpc", CidrBlock: `10.${n}.0.0/16` }, srv.port)))[1];
      const sub = await call(srv, queryReq({ Action: "CreateSubnet", VpcId: vpc, CidrBlock: `10.${n}.0.0/16` }, srv.port));
      ctx.subnets.push(/<subnetId>([^<]+)</.exec(sub)[1]);
    }
  }
  const reqs = [];
  for (let have = ctx.have; have < count; have += 100) {
    const b = Math.min(100, count - have);
    reqs.push(
      queryReq(
        {
          ...RUN_INSTANCES,
          MinCount: String(b),
          MaxCount: String(b),
          "TagSpecification.1.ResourceType": "instance",
          "TagSpecification.1.Tag.1.Key": "batch",
          "TagSpecification.1.Tag.1.Value": String(have / 100),
          ...(ctx.subnets && have >= 20_000 ? { SubnetId: ctx.subnets[(have / 100) % 2] } : {}),
        },
        srv.port,
      ),
    );
  }
  if (reqs.length) await sendAll(srv, reqs, 4);
  ctx.have = Math.max(ctx.have, count);
}
const tagFilterReq = (srv, ctx) =>
  queryReq(
    { Action: "DescribeInstances", "Filter.1.Name": "tag:batch", "Filter.1.Value.1": String(Math.max(0, Math.floor((ctx.have ?? 100) / 200))) },
    srv.port,
  );

// ---------------------------------------------------------------- workloads
/**
 * group: servers are fresh per group and repetition. c: concurrency of the CPU/latency phase; c2: of a
 * second throughput phase. items: entries in each answer (for per-item figures).
 */
const WORKLOADS = {
  put: {
    group: "s3",
    label: "S3 PutObject 4 KiB",
    c: C,
    c2: 32,
    reqs: (s) => Array.from({ length: 64 }, (_, i) => s3req("PUT", `/bench/put-${i}`, s.port, SMALL)),
  },
  get: { group: "s3", label: "S3 GetObject 4 KiB", c: C, c2: 32, reqs: (s) => Array.from({ length: 64 }, (_, i) => s3req("GET", `/bench/obj-${i}`, s.port)) },
  head: {
    group: "s3",
    label: "S3 HeadObject",
    c: C,
    c2: 32,
    isHead: true,
    reqs: (s) => Array.from({ length: 64 }, (_, i) => s3req("HEAD", `/bench/obj-${i}`, s.port)),
  },
  list: {
    group: "s3list",
    label: "S3 ListObjectsV2 1,000 of 10,000 keys",
    c: 1,
    n: 150,
    items: 1000,
    prepare: (s, ctx) => s3ListGrow(s, ctx, 10_000),
    reqs: (s) => listReqs(s.port, 10_000, "v2"),
  },
  versions: {
    group: "s3list",
    label: "S3 ListObjectVersions 1,000 of 10,000",
    c: 1,
    n: 150,
    items: 1000,
    prepare: (s, ctx) => s3ListGrow(s, ctx, 10_000),
    reqs: (s) => listReqs(s.port, 10_000, "versions"),
  },
  bigput: { group: "s3big", label: `S3 PutObject ${BIG_MIB} MiB`, big: "put" },
  bigget: { group: "s3big", label: `S3 GetObject ${BIG_MIB} MiB`, big: "get" },
  runtask: { group: "ecsrun", label: "ECS RunTask FARGATE awsvpc", c: 16, n: 3000, reqs: (s, ctx) => [jsonReq("RunTask", s.port, runTaskInput(ctx, 1))] },
  describetasks: {
    group: "ecsdesc",
    label: "ECS DescribeTasks 100 of 10,000",
    c: 1,
    n: 300,
    items: 100,
    prepare: (s, ctx) => ecsGrow(s, ctx, 10_000),
    reqs: describeTasksReqs,
  },
  listtasks: {
    group: "ecsdesc",
    label: "ECS ListTasks page of 100 of 10,000",
    c: 1,
    n: 1000,
    items: 100,
    prepare: (s, ctx) => ecsGrow(s, ctx, 10_000),
    reqs: listTasksReqs,
  },
  runinstances: { group: "ec2run", label: "EC2 RunInstances", c: 16, n: 3000, reqs: (s) => [queryReq(RUN_INSTANCES, s.port)] },
  describeall: {
    group: "ec2desc",
    label: "EC2 DescribeInstances all 1,000",
    c: 1,
    n: 40,
    items: 1000,
    prepare: (s, ctx) => ec2Grow(s, ctx, 1000),
    reqs: (s) => [queryReq({ Action: "DescribeInstances" }, s.port)],
  },
  tagfilter: {
    group: "ec2desc",
    label: "EC2 DescribeInstances tag filter (100 of 10,000)",
    c: 1,
    n: 300,
    items: 100,
    prepare: (s, ctx) => ec2Grow(s, ctx, 10_000),
    reqs: (s, ctx) => [tagFilterReq(s, ctx)],
  },
};
const SETUPS = {
  s3: s3Setup,
  s3list: async () => ({}),
  s3big: s3Setup,
  ecsrun: ecsSetup,
  ecsdesc: ecsSetup,
  ec2run: async () => ({}),
  ec2desc: async () => ({}),
};

// ---------------------------------------------------------------- 1 GiB PUT / GET over one raw socket
async function bigTransfer(srv, dir) {
  const path = `/bench/big-${BIG_MIB}`;
  const size = BIG_MIB << 20;
  const chunk = Buffer.alloc(1 << 20, 5);
  const rss0 = rssMiB(srv.pid);
  let peak = rss0;
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(srv.pid))), 10);
  const cpu0 = cpuTicks(srv.pid);
  const t0 = performance.now();
  let status = 0;
  let got = 0;
  await new Promise((resolve, reject) => {
    const sock = connect(srv.port, "127.0.0.1");
    sock.on("error", reject);
    sock.on(
      "data",
      responseReader(false, (st, bytes) => {
        status = st;
        got = bytes;
        sock.end();
        resolve();
      }),
    );
    sock.on("connect", () => {
      if (dir === "get") return sock.write(s3req("GET", path, srv.port));
      sock.write(Buffer.from(httpHead("PUT", path, srv.port, "s3", [], size)));
      let sent = 0;
      const pump = () => {
        while (sent < size) {
          sent += chunk.length;
          if (!sock.write(chunk)) return sock.once("drain", pump);
        }
      };
      pump();
    });
  });
  const secs = (performance.now() - t0) / 1000;
  clearInterval(timer);
  const cpu = (cpuTicks(srv.pid) - cpu0) * TICK_US;
  if (status >= 300 || (dir === "get" && got < size)) throw new Error(`${dir} ${BIG_MIB} MiB: status ${status}, ${got} bytes`);
  return { mbps: size / 1e6 / secs, cpuPerReq: cpu, cpuSecPerGiB: cpu / 1e6 / (size / 2 ** 30), rssGrowth: peak - rss0, ok: 1, bad: 0 };
}

function md5Floor() {
  const chunk = Buffer.alloc(1 << 20, 5);
  const t0 = performance.now();
  const u0 = process.cpuUsage();
  const h = createHash("md5");
  for (let i = 0; i < BIG_MIB; i++) h.update(chunk);
  h.digest();
  const u = process.cpuUsage(u0);
  return { mbps: (BIG_MIB * 2 ** 20) / 1e6 / ((performance.now() - t0) / 1000), cpuSecPerGiB: (u.user + u.system) / 1e6 / (BIG_MIB / 1024) };
}

// ---------------------------------------------------------------- cold start
const IDLE_MS = Number(arg("idle-ms", 12000));
async function coldStart(kind) {
  const port = await freePort();
  const args =
    kind === "awsim"
      ? [...nodeFlags(kind), AWSIM_CLI, "--port", String(port), "--log-level", "silent"]
      : kind === "before"
        ? [...nodeFlags(kind), `${BEFORE}/dist/cli.js`, "--port", String(port), "--log-level", "silent"]
        : [`${ROOT}bench/ceiling.mjs`, String(port), ...(kind === "bare" ? ["bare"] : [])];
  const { child, ms } = await startAndWait(process.execPath, args, `http://127.0.0.1:${port}/_awsim/health`);
  // Then one real request each to S3, ECS and EC2 (awsim loads a service's module on its first request).
  const cpuStart = (cpuTicks(child.pid) * TICK_US) / 1000;
  const t = performance.now();
  const srv = { port, pid: child.pid };
  if (kind !== "bare") await sendAll(srv, [s3req("GET", "/", port), jsonReq("ListClusters", port, {}), queryReq({ Action: "DescribeVpcs" }, port)], 1);
  const msServices = ms + performance.now() - t;
  const cpuServices = (cpuTicks(child.pid) * TICK_US) / 1000;
  await new Promise((r) => setTimeout(r, 1000));
  const rss = rssMiB(child.pid);
  // Idle: V8's memory reducer runs ~8 s after the last burst of allocation (a mark-compact that also shrinks
  // the young generation start-up grew); read RSS once it has settled (12 s after the answers).
  await new Promise((r) => setTimeout(r, IDLE_MS - 1000));
  const rssIdle = rssMiB(child.pid);
  await stop(child);
  return { ms, msServices, cpuStart, cpuServices, rss, rssIdle, ok: 1, bad: 0 };
}

// ---------------------------------------------------------------- statistics and output
const median = (a) => {
  const s = a.filter(Number.isFinite).sort((x, y) => x - y);
  return s.length ? s[Math.floor(s.length / 2)] : Number.NaN;
};
const spread = (a, d = 0) => {
  const s = a.filter(Number.isFinite);
  return s.length ? `${Math.min(...s).toFixed(d)}–${Math.max(...s).toFixed(d)}` : "n/a";
};
const f = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
const loadavg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

async function runSuite() {
  const all = Object.keys(WORKLOADS).concat("start");
  const onlyArg = arg("only", undefined);
  const sel = onlyArg ? String(onlyArg).split(",") : all;
  const chosen = all.filter((w) => sel.includes(w) || sel.includes(WORKLOADS[w]?.group));
  const kinds = ["awsim", "ceiling", ...(BEFORE ? ["before"] : [])];
  const results = {};
  const push = (w, kind, r) => {
    results[w] ??= {};
    (results[w][kind] ??= []).push(r);
    if (r.bad) console.error(`  ${kind} ${w}: ${r.bad} non-2xx answers; first: ${r.firstBad}`);
  };
  const groups = [...new Set(chosen.filter((w) => w !== "start").map((w) => WORKLOADS[w].group))];
  const load0 = loadavg();
  const t0 = performance.now();
  let md5;
  for (let rep = 0; rep < REPS; rep++) {
    const order = rep % 2 ? [...kinds].reverse() : kinds;
    if (chosen.includes("start"))
      for (const kind of [...order, "bare"]) {
        push("start", kind, await coldStart(kind));
      }
    for (const g of groups) {
      for (const kind of order) {
        const srv = await startServer(kind);
        try {
          const ctx = await SETUPS[g](srv);
          for (const w of chosen.filter((x) => WORKLOADS[x]?.group === g)) {
            const wl = WORKLOADS[w];
            process.stderr.write(`rep ${rep + 1}/${REPS} ${kind} ${w} (load ${loadavg()})\n`);
            if (wl.big) {
              if (kind === "before") continue;
              if (wl.big === "get" && !chosen.includes("bigput") && !srv.ceiling) await bigTransfer(srv, "put");
              push(w, kind, await bigTransfer(srv, wl.big));
              continue;
            }
            if (wl.prepare) await wl.prepare(srv, ctx);
            const reqs = wl.reqs(srv, ctx);
            const n = wl.n ?? N;
            await phase(srv, reqs, { n: Math.max(wl.c, Math.floor(n / 10)), c: wl.c, secs: 1, isHead: wl.isHead }); // warm-up
            const r = await phase(srv, reqs, { n, c: wl.c, isHead: wl.isHead });
            if (wl.c2) r.rps2 = (await phase(srv, reqs, { n, c: wl.c2, isHead: wl.isHead })).rps;
            push(w, kind, r);
          }
        } finally {
          await stop(srv.child);
        }
      }
    }
    if (chosen.includes("bigput") && rep === 0) md5 = md5Floor();
  }
  const load1 = loadavg();
  const mins = (performance.now() - t0) / 60000;

  console.log(
    `\nawsim bench (raw sockets, server CPU from /proc) — ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), node ${process.version}; ${REPS} reps, median (min–max); ${f(mins, 1)} min`,
  );
  console.log(`load average at start ${load0}, at end ${load1}${BEFORE ? `; before = ${BEFORE}` : ""}\n`);
  const rows = [];
  for (const w of chosen) {
    const r = results[w];
    if (!r) continue;
    const a = r.awsim ?? [];
    const c = r.ceiling ?? [];
    const b = r.before ?? [];
    const m = (xs, k) => median(xs.map((x) => x[k]));
    const sp = (xs, k, d) =>
      spread(
        xs.map((x) => x[k]),
        d,
      );
    if (w === "start") {
      const bare = r.bare ?? [];
      rows.push([
        "Cold start, time to first answer (ms)",
        `${f(m(a, "ms"))} (${sp(a, "ms")})`,
        `${f(m(c, "ms"))} (${sp(c, "ms")})`,
        f(m(a, "ms") / m(c, "ms"), 2),
        b.length ? f(m(a, "ms") / m(b, "ms"), 2) : "",
        `server CPU to first answer ${f(m(a, "cpuStart"))} ms vs ${f(m(c, "cpuStart"))} (${f(m(a, "cpuStart") / m(c, "cpuStart"), 2)}), node:http ${f(m(bare, "cpuStart"))}; to S3+ECS+EC2 answers ${f(m(a, "cpuServices"))} ms vs ${f(m(c, "cpuServices"))} (${f(m(a, "cpuServices") / m(c, "cpuServices"), 2)}); wall to first S3+ECS+EC2 answers ${f(m(a, "msServices"))} ms vs ${f(m(c, "msServices"))} (${f(m(a, "msServices") / m(c, "msServices"), 2)}); bare node:http ${f(m(bare, "ms"))} ms; RSS 1 s after the answers awsim ${f(m(a, "rss"))} MiB, Fastify ${f(m(c, "rss"))}, node:http ${f(m(bare, "rss"))}${b.length ? `, before ${f(m(b, "rss"))}` : ""}; idle RSS (${IDLE_MS / 1000} s) awsim ${f(m(a, "rssIdle"))} MiB, Fastify ${f(m(c, "rssIdle"))}, node:http ${f(m(bare, "rssIdle"))}${b.length ? `, before ${f(m(b, "rssIdle"))}` : ""}`,
      ]);
      continue;
    }
    const wl = WORKLOADS[w];
    if (wl.big) {
      rows.push([
        `${wl.label} (MB/s)`,
        `${f(m(a, "mbps"))} (${sp(a, "mbps")})`,
        `${f(m(c, "mbps"))} (${sp(c, "mbps")})`,
        f(m(a, "mbps") / m(c, "mbps"), 2),
        "",
        `server CPU ${f(m(a, "cpuSecPerGiB"), 2)} s/GiB (ceiling ${f(m(c, "cpuSecPerGiB"), 2)}); peak RSS growth ${f(m(a, "rssGrowth"))} MiB (max ${f(Math.max(...a.map((x) => x.rssGrowth)))})${wl.big === "put" && md5 ? `; MD5 alone ${f(md5.mbps)} MB/s, ${f(md5.cpuSecPerGiB, 2)} s CPU/GiB` : ""}`,
      ]);
      continue;
    }
    const cpuA = m(a, "cpuPerReq");
    const cpuC = m(c, "cpuPerReq");
    // Ratios pair each repetition's servers (measured minutes apart at most), then take the median.
    const paired = (xs, ys, k) => median(xs.map((x, i) => x[k] / ys[i]?.[k]));
    const tput = wl.c2 ? "rps2" : "rps";
    const extra = [
      `${wl.c2 ? `c${wl.c2}` : `c${wl.c}`} ${f(m(a, tput))} req/s vs ${f(m(c, tput))} (${f(m(a, tput) / m(c, tput), 2)})`,
      wl.c === 1 ? `p50 ${f(m(a, "p50"), 2)} ms (ceiling ${f(m(c, "p50"), 2)}), p99 ${f(m(a, "p99"), 2)}` : `p50 c${wl.c} ${f(m(a, "p50"), 2)} ms`,
      wl.items ? `${f(cpuA / wl.items, 1)} µs CPU/item` : "",
      `${f(m(a, "bytesPerResp") / 1024, 1)} vs ${f(m(c, "bytesPerResp") / 1024, 1)} KiB/answer`,
      b.length ? `before ${f(m(b, "cpuPerReq"))} µs (${sp(b, "cpuPerReq")}), c${wl.c2 ?? wl.c} ${f(m(b, tput))} req/s` : "",
    ].filter(Boolean);
    rows.push([
      `${wl.label} (CPU µs/req, c${wl.c})`,
      `${f(cpuA)} (${sp(a, "cpuPerReq")})`,
      `${f(cpuC)} (${sp(c, "cpuPerReq")})`,
      f(paired(a, c, "cpuPerReq"), 2),
      b.length ? f(paired(a, b, "cpuPerReq"), 2) : "",
      extra.join("; "),
    ]);
  }
  const head = ["workload", "awsim", "ceiling", "a/ceil", ...(BEFORE ? ["a/before"] : []), "notes"];
  const widths = [58, 22, 20, 7, 9];
  console.log(head.map((h, i) => (i < 5 ? pad(h, widths[i]) : h)).join(" "));
  for (const r of rows)
    console.log(
      r
        .filter((_, i) => BEFORE || i !== 4)
        .map((x, i) => (i < (BEFORE ? 5 : 4) ? pad(x, widths[i]) : x))
        .join(" "),
    );
  mkdirSync(`${ROOT}bench/results`, { recursive: true });
  appendFileSync(
    `${ROOT}bench/results/cpu.jsonl`,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: cpus().length, load: [load0, load1], reps: REPS, before: BEFORE, md5, results }, (k, v) => (k === "bodies" ? undefined : v))}\n`,
  );
  console.log("\nappended to bench/results/cpu.jsonl");
}

// ---------------------------------------------------------------- scaling mode
async function runScale() {
  const onlyArg = arg("only", undefined);
  const fams = onlyArg ? String(onlyArg).split(",") : ["s3list", "ecsdesc", "ec2desc"];
  const out = [];
  const load0 = loadavg();
  const t0 = performance.now();
  const measure = async (srv, fam, what, items, reqs, n) => {
    await phase(srv, reqs, { n: Math.max(2, Math.floor(n / 10)), c: 1 });
    const r = await phase(srv, reqs, { n, c: 1 });
    if (r.bad) console.error(`  ${what}: ${r.bad} non-2xx; first: ${r.firstBad}`);
    const row = {
      fam,
      what,
      level: srv.level,
      items,
      p50: r.p50,
      p99: r.p99,
      cpuPerReq: r.cpuPerReq,
      usPerItem: (r.p50 * 1000) / items,
      cpuPerItem: r.cpuPerReq / items,
      rss: rssMiB(srv.pid),
    };
    out.push(row);
    console.log(
      `${pad(what, 44)} ${lpad(srv.level, 7)}  items ${lpad(items, 5)}  p50 ${lpad(f(r.p50, 2), 8)} ms  ${lpad(f(row.usPerItem, 1), 7)} µs/item  CPU ${lpad(f(row.cpuPerItem, 1), 7)} µs/item  RSS ${f(row.rss)} MiB`,
    );
  };
  for (const fam of fams) {
    const srv = await startServer("awsim");
    try {
      await scaleFamily(srv, fam);
    } catch (e) {
      console.log(`${fam}: failed: ${e?.message ?? e}`);
      out.push({ fam, error: String(e?.message ?? e) });
    } finally {
      await stop(srv.child);
    }
  }
  async function scaleFamily(srv, fam) {
    {
      const ctx = fam === "ecsdesc" ? await ecsSetup(srv) : {};
      for (const level of LEVELS) {
        srv.level = level;
        process.stderr.write(`scale ${fam} ${level} (load ${loadavg()})\n`);
        if (fam === "s3list") {
          await s3ListGrow(srv, ctx, level);
          const items = Math.min(1000, level);
          await measure(srv, fam, "S3 ListObjectsV2 page (max-keys 1000)", items, listReqs(srv.port, level, "v2"), 100);
          await measure(srv, fam, "S3 ListObjectVersions page (max-keys 1000)", items, listReqs(srv.port, level, "versions"), 100);
        } else if (fam === "ecsdesc") {
          await ecsGrow(srv, ctx, level);
          await measure(srv, fam, "ECS ListTasks page (maxResults 100)", Math.min(100, level), listTasksReqs(srv, ctx), 400);
          await measure(srv, fam, "ECS DescribeTasks 100 tasks", Math.min(100, level), describeTasksReqs(srv, ctx), 200);
        } else if (fam === "ec2desc") {
          await ec2Grow(srv, ctx, level);
          const items = Math.min(1000, level);
          await measure(
            srv,
            fam,
            "EC2 DescribeInstances page (MaxResults 1000)",
            items,
            [queryReq({ Action: "DescribeInstances", MaxResults: "1000" }, srv.port)],
            30,
          );
          await measure(srv, fam, "EC2 DescribeInstances tag filter (100 match)", 100, [tagFilterReq(srv, ctx)], 200);
        }
      }
    }
  }
  const load1 = loadavg();
  console.log(`\nscaling: ${f((performance.now() - t0) / 60000, 1)} min; load average at start ${load0}, at end ${load1}`);
  mkdirSync(`${ROOT}bench/results`, { recursive: true });
  appendFileSync(`${ROOT}bench/results/cpu-scale.jsonl`, `${JSON.stringify({ date: new Date().toISOString(), load: [load0, load1], rows: out })}\n`);
}

if (SCALE) await runScale();
else await runSuite();
process.exit(0);
