/**
 * --persist costs: S3 4 KiB PutObject server CPU with persistence off and on (each --fsync mode asked for),
 * measured interleaved in one run on fresh servers, and start-up time with a large persisted state.
 * Raw keep-alive sockets with request bytes built before each phase (as bench/cpu.mjs); server CPU is
 * utime+stime of all its threads from /proc/<pid>/stat. Never part of the tests.
 *
 *   node bench/persist.mjs [--reps 3] [--n 20000] [--c 8] [--rate R] [--modes off,batch,always,never] [--only put,start]
 *                          [--objects 100000] [--others 10000] [--obj-bytes 1024] [--keep DIR] [--reuse DIR]
 *
 * put: per repetition, one fresh server per mode (order rotated), 2,000 warm-up PUTs, then --n PUTs of
 * 4 KiB to distinct keys (the state grows, as it would in use) at concurrency --c. Prints CPU µs per PUT,
 * req/s, p50/p99 latency, the ratio to "off" of the same repetition, and the data directory's size.
 * --rate paces the phase (client side) so every mode serves the same request rate: a server that waits
 * for fsync is idle between group commits, and an idle server spends more CPU per request, so unpaced
 * runs at low concurrency compare different load levels.
 * start: a --persist server is filled with --objects S3 objects (--obj-bytes each) and --others other
 * resources (IAM users, log groups, Cloud Map namespaces, ECS task definitions, EC2 security groups in equal
 * parts), then killed with SIGKILL; start-up (spawn to first answer) is timed from that state, again after
 * a graceful stop, and for an empty server; every object and resource is checked after restart. --keep DIR
 * fills DIR and leaves it; --reuse DIR times start-ups of a DIR filled before.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { connect } from "node:net";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./lib.mjs";

const ROOT = new URL("../", import.meta.url).pathname;
const argv = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return dflt;
  const a = argv[i];
  if (a.includes("=")) return a.slice(a.indexOf("=") + 1);
  return argv[i + 1];
};
const REPS = Number(arg("reps", 3));
const N = Number(arg("n", 20_000));
const C = Number(arg("c", 8));
/** Requests per second the PUT phase is paced to (0: as fast as answers come). */
const RATE = Number(arg("rate", 0));
const MODES = String(arg("modes", "off,batch")).split(",");
const ONLY = String(arg("only", "put,start")).split(",");
const OBJECTS = Number(arg("objects", 100_000));
const OTHERS = Number(arg("others", 10_000));
const OBJ_BYTES = Number(arg("obj-bytes", 1024));
const TICK_US = 1e6 / 100;
// Three levels below the repo root, as the model loader expects of a bundle (as test/sdk/persist-restart does).
const BUNDLE = join(ROOT, "node_modules/.cache/awsim-persist-bench/cli.mjs");

// ---------------------------------------------------------------- requests
const authFor = (svc) =>
  `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${svc}/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${"5f".repeat(32)}`;
function req(method, path, port, svc, body, extra = []) {
  const head = [
    `${method} ${path} HTTP/1.1`,
    `host: 127.0.0.1:${port}`,
    `authorization: ${authFor(svc)}`,
    "x-amz-date: 20260101T000000Z",
    "x-amz-content-sha256: UNSIGNED-PAYLOAD",
    ...extra,
    `content-length: ${body ? body.length : 0}`,
    "",
    "",
  ].join("\r\n");
  return body ? Buffer.concat([Buffer.from(head), body]) : Buffer.from(head);
}
const s3 = (method, path, port, body) => req(method, path, port, "s3", body);
const json = (svc, target, port, input) =>
  req("POST", "/", port, svc, Buffer.from(JSON.stringify(input)), [`x-amz-target: ${target}`, "content-type: application/x-amz-json-1.1"]);
const query = (svc, params, port) =>
  req("POST", "/", port, svc, Buffer.from(new URLSearchParams(params).toString()), ["content-type: application/x-www-form-urlencoded; charset=utf-8"]);

/** Other resources, in equal parts over five services; i-th request of kind k. */
const OTHER_KINDS = [
  (i, p) => query("iam", { Action: "CreateUser", Version: "2010-05-08", UserName: `user-${i}` }, p),
  (i, p) => json("logs", "Logs_20140328.CreateLogGroup", p, { logGroupName: `/bench/group-${i}` }),
  (i, p) => json("servicediscovery", "Route53AutoNaming_v20170314.CreateHttpNamespace", p, { Name: `ns-${i}` }),
  (i, p) =>
    json("ecs", "AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition", p, {
      family: `fam-${i}`,
      containerDefinitions: [{ name: "app", image: "nginx", memory: 128 }],
    }),
  (i, p) => query("ec2", { Action: "CreateSecurityGroup", Version: "2016-11-15", GroupName: `grp-${i}`, GroupDescription: "bench" }, p),
];

// ---------------------------------------------------------------- load
function cpuTicks(pid) {
  const s = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
  return Number(f[11]) + Number(f[12]);
}

/** Responses on one socket: head, then Content-Length or chunked body skipped; calls done(status, body). */
function reader(done) {
  let buf = Buffer.alloc(0);
  return (d) => {
    buf = buf.length ? Buffer.concat([buf, d]) : d;
    for (;;) {
      const he = buf.indexOf("\r\n\r\n");
      if (he < 0) return;
      const head = buf.toString("latin1", 0, he);
      const status = Number(head.slice(9, 12));
      const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      let end;
      let body;
      if (cl) {
        end = he + 4 + Number(cl[1]);
        if (buf.length < end) return;
        body = buf.subarray(he + 4, end);
      } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
        const z = buf.indexOf("\r\n0\r\n\r\n", he);
        if (z < 0) return;
        end = z + 7;
        body = buf.subarray(he + 4, end);
      } else {
        end = he + 4;
        body = Buffer.alloc(0);
      }
      buf = buf.subarray(end);
      done(status, body);
    }
  };
}

/** Send reqs (each once, c sockets); server CPU µs per 2xx answer, req/s, latency. Throws on non-2xx when strict. */
async function run(srv, reqs, c, strict = true, rate = 0) {
  const gap = rate > 0 ? (1000 * c) / rate : 0;
  let k = 0;
  let ok = 0;
  let bad;
  const lat = [];
  const cpu0 = cpuTicks(srv.pid);
  const t0 = performance.now();
  await Promise.all(
    Array.from(
      { length: Math.min(c, reqs.length) },
      () =>
        new Promise((resolve, reject) => {
          const sock = connect(srv.port, "127.0.0.1");
          sock.setNoDelay(true);
          let ts = 0;
          const next = () => {
            if (k >= reqs.length) {
              sock.end();
              return resolve();
            }
            const i = k++;
            const send = () => {
              ts = performance.now();
              sock.write(reqs[i]);
            };
            if (gap && ts > 0) setTimeout(send, gap);
            else send();
          };
          sock.on("connect", next);
          sock.on("error", reject);
          sock.on(
            "data",
            reader((status, body) => {
              lat.push(performance.now() - ts);
              if (status >= 200 && status < 300) ok++;
              else bad ??= `${status} ${body.toString().slice(0, 200)}`;
              next();
            }),
          );
        }),
    ),
  );
  const secs = (performance.now() - t0) / 1000;
  const cpu = (cpuTicks(srv.pid) - cpu0) * TICK_US;
  if (strict && bad) throw new Error(`request failed: ${bad}`);
  lat.sort((a, b) => a - b);
  return { cpuPerReq: cpu / Math.max(1, ok), rps: ok / secs, p50: lat[lat.length >> 1], p99: lat[Math.floor(lat.length * 0.99)], ok };
}

// ---------------------------------------------------------------- servers
async function build() {
  const { build } = await import("rolldown");
  await build({
    input: join(ROOT, "src/cli.ts"),
    platform: "node",
    external: [/^[^./]/],
    logLevel: "silent",
    output: { file: BUNDLE, format: "esm", codeSplitting: false },
  });
}

/** Spawn awsim and poll health every 2 ms; ms from spawn to the first answer. */
async function start(dataDir, fsync) {
  const port = await freePort();
  const args = [BUNDLE, "--port", String(port), "--log-level", "silent"];
  if (fsync && fsync !== "off") args.push("--persist", "--data-dir", dataDir, "--fsync", fsync);
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`awsim exited: ${err}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/_awsim/health`);
      await r.arrayBuffer();
      if (r.status < 500) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  return { child, port, pid: child.pid, ms: performance.now() - t0, cpuMs: cpuTicks(child.pid) * 10 };
}
const exited = (c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once("exit", r)));
async function stop(srv, signal = "SIGTERM") {
  srv.child.kill(signal);
  await exited(srv.child);
}
function du(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? du(p) : statSync(p).size;
  }
  return n;
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const mib = (n) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

// ---------------------------------------------------------------- put
async function putBench() {
  const body = Buffer.alloc(4096, 7);
  const rows = Object.fromEntries(MODES.map((m) => [m, []]));
  for (let rep = 0; rep < REPS; rep++) {
    const order = MODES.map((_, i) => MODES[(i + rep) % MODES.length]);
    for (const mode of order) {
      const dir = mkdtempSync(join(tmpdir(), "awsim-pbench-"));
      const srv = await start(dir, mode);
      try {
        await run(srv, [s3("PUT", "/bench", srv.port)], 1);
        await run(
          srv,
          Array.from({ length: 2000 }, (_, i) => s3("PUT", `/bench/warm/${i}`, srv.port, body)),
          C,
        );
        const reqs = Array.from({ length: N }, (_, i) => s3("PUT", `/bench/put/${String(i).padStart(7, "0")}`, srv.port, body));
        const r = await run(srv, reqs, C, true, RATE);
        r.disk = mode === "off" ? 0 : du(dir);
        rows[mode].push(r);
      } finally {
        await stop(srv);
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  console.log(
    `\nS3 PutObject 4 KiB, ${N} distinct keys per run after 2,000 warm-up, concurrency ${C}${RATE ? `, paced to ${RATE} req/s` : ""}, ${REPS} reps (median; min-max):`,
  );
  for (const m of MODES) {
    const cpu = rows[m].map((r) => r.cpuPerReq);
    const ratio = rows[m].map((r, i) => r.cpuPerReq / rows.off[i].cpuPerReq);
    console.log(
      `  ${m.padEnd(7)} CPU ${med(cpu).toFixed(1)} µs/PUT (${Math.min(...cpu).toFixed(1)}-${Math.max(...cpu).toFixed(1)})` +
        `  ${med(rows[m].map((r) => r.rps)).toFixed(0)} req/s  p50 ${med(rows[m].map((r) => r.p50)).toFixed(2)} ms  p99 ${med(rows[m].map((r) => r.p99)).toFixed(2)} ms` +
        (m === "off"
          ? ""
          : `  x${med(ratio).toFixed(2)} of off (${Math.min(...ratio).toFixed(2)}-${Math.max(...ratio).toFixed(2)})  disk ${mib(med(rows[m].map((r) => r.disk)))}`),
    );
  }
  return rows;
}

// ---------------------------------------------------------------- start
async function startBench() {
  const keep = arg("keep", undefined) ?? arg("reuse", undefined);
  const dir = keep ?? mkdtempSync(join(tmpdir(), "awsim-pbench-start-"));
  try {
    let srv;
    if (!arg("reuse", undefined)) {
      srv = await start(dir, "batch");
      const body = Buffer.alloc(OBJ_BYTES, 3);
      await run(srv, [s3("PUT", "/start", srv.port)], 1);
      let t = performance.now();
      const objs = Array.from({ length: OBJECTS }, (_, i) => s3("PUT", `/start/d${i % 100}/o-${i}`, srv.port, body));
      const r1 = await run(srv, objs, 16);
      const objSecs = (performance.now() - t) / 1000;
      const per = Math.ceil(OTHERS / OTHER_KINDS.length);
      t = performance.now();
      const others = [];
      for (let i = 0; i < per; i++) for (const k of OTHER_KINDS) if (others.length < OTHERS) others.push(k(i, srv.port));
      const r2 = await run(srv, others, 8);
      const otherSecs = (performance.now() - t) / 1000;
      console.log(
        `\nfilled: ${OBJECTS} objects of ${OBJ_BYTES} B in ${objSecs.toFixed(1)} s (${r1.cpuPerReq.toFixed(0)} µs CPU each), ${others.length} other resources in ${otherSecs.toFixed(1)} s (${r2.cpuPerReq.toFixed(0)} µs CPU each)`,
      );
      await stop(srv, "SIGKILL");
      console.log(`data directory after SIGKILL: ${mib(du(dir))} (state ${mib(du(join(dir, "state")))})`);
    }
    const times = {};
    for (const [label, how] of [
      ["after SIGKILL (snapshot + log replay)", "SIGKILL"],
      ["after a graceful stop", "SIGTERM"],
      ["again", "SIGTERM"],
    ]) {
      srv = await start(dir, "batch");
      times[label] = srv;
      if (label.startsWith("after SIGKILL")) await verify(srv);
      await stop(srv, how);
    }
    const empty = [];
    for (let i = 0; i < 3; i++) {
      const d = mkdtempSync(join(tmpdir(), "awsim-pbench-empty-"));
      const s = await start(d, "batch");
      empty.push(s);
      await stop(s);
      rmSync(d, { recursive: true, force: true });
    }
    console.log(`start-up with ${OBJECTS} objects + ${OTHERS} other resources (spawn to first answer):`);
    for (const [k, v] of Object.entries(times)) console.log(`  ${k.padEnd(40)} ${v.ms.toFixed(0)} ms wall, ${v.cpuMs} ms CPU`);
    console.log(
      `  ${"empty --persist server (median of 3)".padEnd(40)} ${med(empty.map((e) => e.ms)).toFixed(0)} ms wall, ${med(empty.map((e) => e.cpuMs))} ms CPU`,
    );
    console.log(`data directory: ${mib(du(dir))}`);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

async function verify(srv) {
  const health = await (await fetch(`http://127.0.0.1:${srv.port}/_awsim/health`)).json();
  const s = health.services;
  const objects = s.s3?.objects;
  if (objects !== OBJECTS) throw new Error(`after restart: ${objects} objects, expected ${OBJECTS}`);
  const r = await fetch(`http://127.0.0.1:${srv.port}/start/d7/o-${OBJECTS - 93}`);
  if ((await r.arrayBuffer()).byteLength !== OBJ_BYTES) throw new Error("object body differs after restart");
  console.log(
    `  verified after SIGKILL: ${objects} objects; resource counts ${JSON.stringify(Object.fromEntries(Object.entries(s).filter(([k]) => k !== "s3")))}`,
  );
}

console.log(
  `awsim --persist bench — ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), node ${process.version}, load ${readFileSync("/proc/loadavg", "utf8").trim()}`,
);
await build();
if (ONLY.includes("put")) await putBench();
if (ONLY.includes("start")) await startBench();
