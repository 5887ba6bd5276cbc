/**
 * Server CPU per request, measured honestly: awsim and the ceiling (a bare Fastify server answering the
 * same requests with fixed bodies) in one run, interleaved, each a fresh process per repetition. The load
 * generator is cheap: raw keep-alive HTTP/1.1 sockets, request bytes prepared before each phase, a fixed
 * valid-looking SigV4 Authorization header (awsim does not verify signatures by default). The figure that
 * counts is the server's own CPU time (utime+stime of all its threads, /proc/<pid>/stat) per successful
 * request, beside throughput.
 *
 *   node bench/cpu.mjs [--reps 3] [--n 20000] [--c 8] [--only put,get,head,list] [--awsim DIR]
 */
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { freePort, startAndWait, stop } from "./lib.mjs";

const ROOT = new URL("../", import.meta.url).pathname;
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .join(" ")
    .split("--")
    .filter(Boolean)
    .map((s) => s.trim().split(/\s+/)),
);
const REPS = Number(args.reps ?? 3);
const N = Number(args.n ?? 20_000);
const C = Number(args.c ?? 8);
const ONLY = args.only ? String(args.only).split(",") : ["put", "get", "head", "list"];
/** --awsim DIR: measure another build (e.g. a worktree of an earlier commit) as "awsim". */
const AWSIM_CLI = args.awsim ? `${args.awsim}/dist/cli.js` : `${new URL("../", import.meta.url).pathname}dist/cli.js`;
const TICK_US = 1e6 / 100; // USER_HZ is 100 on Linux

const AUTH =
  "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" + "0".repeat(64);
const BODY = Buffer.alloc(4096, 7);

function request(method, path, port, body) {
  const head = [
    `${method} ${path} HTTP/1.1`,
    `host: 127.0.0.1:${port}`,
    `authorization: ${AUTH}`,
    "x-amz-date: 20260101T000000Z",
    "x-amz-content-sha256: UNSIGNED-PAYLOAD",
    "user-agent: awsim-bench",
    body ? `content-length: ${body.length}` : "content-length: 0",
    "",
    "",
  ].join("\r\n");
  return body ? Buffer.concat([Buffer.from(head), body]) : Buffer.from(head);
}

function cpuTicks(pid) {
  const s = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
  return Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
}

/** One keep-alive socket: send, read one full response (Content-Length or chunked), repeat. */
function runSocket(port, reqs, isHead, count, stats) {
  return new Promise((resolve, reject) => {
    const sock = connect(port, "127.0.0.1");
    sock.setNoDelay(true);
    let buf = Buffer.alloc(0);
    let sent = 0;
    let t0 = 0;
    const next = () => {
      if (sent === count) {
        sock.end();
        return resolve();
      }
      t0 = performance.now();
      sock.write(reqs[sent++ % reqs.length]);
    };
    sock.on("connect", next);
    sock.on("error", reject);
    sock.on("data", (d) => {
      buf = buf.length ? Buffer.concat([buf, d]) : d;
      for (;;) {
        const he = buf.indexOf("\r\n\r\n");
        if (he < 0) return;
        const head = buf.subarray(0, he).toString("latin1");
        const status = Number(head.slice(9, 12));
        let total;
        if (isHead || status === 204 || status === 304) total = he + 4;
        else {
          const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
          if (cl) total = he + 4 + Number(cl[1]);
          else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
            const end = buf.indexOf("\r\n0\r\n\r\n", he);
            if (end < 0) return;
            total = end + 7;
          } else total = he + 4;
        }
        if (buf.length < total) return;
        buf = buf.subarray(total);
        stats.lat.push(performance.now() - t0);
        if (status < 300) stats.ok++;
        else stats.bad++;
        next();
      }
    });
  });
}

async function phase(port, pid, reqs, isHead, n, c) {
  const stats = { ok: 0, bad: 0, lat: [] };
  const per = Math.ceil(n / c);
  const cpu0 = cpuTicks(pid);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: c }, (_, i) => runSocket(port, reqs.slice(i % reqs.length).concat(reqs.slice(0, i % reqs.length)), isHead, per, stats)));
  const secs = (performance.now() - t0) / 1000;
  const cpu = (cpuTicks(pid) - cpu0) * TICK_US;
  stats.lat.sort((a, b) => a - b);
  return {
    cpuPerReq: cpu / Math.max(1, stats.ok),
    rps: stats.ok / secs,
    p50: stats.lat[Math.floor(stats.lat.length / 2)],
    p99: stats.lat[Math.floor(stats.lat.length * 0.99)],
    ok: stats.ok,
    bad: stats.bad,
  };
}

async function startAwsim() {
  const port = await freePort();
  const { child } = await startAndWait(process.execPath, [AWSIM_CLI, "--port", String(port), "--log-level", "silent"], `http://127.0.0.1:${port}/_awsim/health`);
  return { port, child };
}

async function startCeiling() {
  const port = await freePort();
  const { child } = await startAndWait(process.execPath, [`${ROOT}bench/ceiling.mjs`, String(port)], `http://127.0.0.1:${port}/_awsim/health`);
  return { port, child };
}

async function send(port, buf) {
  await phase(port, process.pid, [buf], false, 1, 1);
}

/** Workloads: request bytes for a port, and setup (bucket and objects) done before measuring. */
const WORKLOADS = {
  put: { isHead: false, reqs: (p) => Array.from({ length: 64 }, (_, i) => request("PUT", `/bench/put-${i}`, p, BODY)) },
  get: { isHead: false, reqs: (p) => Array.from({ length: 64 }, (_, i) => request("GET", `/bench/obj-${i}`, p)) },
  head: { isHead: true, reqs: (p) => Array.from({ length: 64 }, (_, i) => request("HEAD", `/bench/obj-${i}`, p)) },
  list: { isHead: false, reqs: (p) => [request("GET", "/bench?list-type=2&prefix=list%2F", p)], n: 400 },
};

async function setup(port, withList) {
  await send(port, request("PUT", "/bench", port));
  for (let i = 0; i < 64; i++) await send(port, request("PUT", `/bench/obj-${i}`, port, BODY));
  if (withList) for (let i = 0; i < 1000; i++) await send(port, request("PUT", `/bench/list/${String(i).padStart(6, "0")}`, port, BODY));
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const spread = (a) => `${Math.min(...a).toFixed(1)}–${Math.max(...a).toFixed(1)}`;

const results = {};
for (let rep = 0; rep < REPS; rep++) {
  for (const kind of ["awsim", "ceiling"]) {
    const srv = kind === "awsim" ? await startAwsim() : await startCeiling();
    try {
      await setup(srv.port, ONLY.includes("list"));
      for (const w of ONLY) {
        const wl = WORKLOADS[w];
        const reqs = wl.reqs(srv.port);
        const n = wl.n ?? N;
        await phase(srv.port, srv.child.pid, reqs, wl.isHead, Math.min(2000, n), C); // warm-up
        const r = await phase(srv.port, srv.child.pid, reqs, wl.isHead, n, C);
        const r32 = wl.n ? undefined : await phase(srv.port, srv.child.pid, reqs, wl.isHead, n, 32);
        const key = `${w}`;
        results[key] ??= { awsim: [], ceiling: [] };
        results[key][kind].push({ ...r, rps32: r32?.rps });
        if (r.bad) console.error(`${kind} ${w}: ${r.bad} non-2xx answers`);
      }
    } finally {
      await stop(srv.child);
    }
  }
}

const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
console.log(`server CPU µs per request (median of ${REPS}, spread), c=${C}; throughput at c=32; load average ${load}`);
console.log("workload   awsim µs       ceiling µs     ratio   awsim req/s c32  ceiling req/s c32  ratio   awsim p50 ms");
for (const [w, r] of Object.entries(results)) {
  const a = r.awsim.map((x) => x.cpuPerReq);
  const c = r.ceiling.map((x) => x.cpuPerReq);
  const ar = r.awsim.map((x) => x.rps32 ?? x.rps);
  const cr = r.ceiling.map((x) => x.rps32 ?? x.rps);
  console.log(
    `${w.padEnd(10)} ${median(a).toFixed(0).padStart(5)} (${spread(a)})  ${median(c).toFixed(0).padStart(5)} (${spread(c)})  ${(median(a) / median(c)).toFixed(2).padStart(5)}   ${median(ar).toFixed(0).padStart(8)}          ${median(cr).toFixed(0).padStart(8)}       ${(median(ar) / median(cr)).toFixed(2)}    ${median(r.awsim.map((x) => x.p50)).toFixed(2)}`,
  );
}
