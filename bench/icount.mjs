/**
 * Instructions per request, counted by valgrind's callgrind: a figure that does not move with the machine's
 * load (CPU time on this shared 2-core machine moves ±30% between runs), for steering changes of a few µs.
 * Each server (awsim's build, the ceiling, optionally another build with --before DIR) runs under
 * `valgrind --tool=callgrind --instr-atstart=no`; after setup and a warm-up of each workload, instrumentation
 * is switched on, counters zeroed, `--n` requests sent over one keep-alive socket, and the counters dumped.
 * The figure is total instructions (Ir) ÷ requests, everything the process did: parsing, JS, GC, syscalls'
 * user side. Kernel time is not counted (it is the same for the same bytes on the wire).
 *
 *   node bench/icount.mjs [--only put,get,head,runtask,describetasks,runinstances,describeall] [--n 2000] [--warm 3000]
 *                         [--awsim DIR] [--before DIR]
 * The ECS and EC2 workloads are measured for awsim (and --before) only.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ECS_TD, freePort, startAndWait } from "./lib.mjs";

const ROOT = new URL("../", import.meta.url).pathname;
const argv = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i < 0 ? dflt : argv[i + 1];
};
const N = Number(arg("n", 2000));
const WARM = Number(arg("warm", 3000));
const ONLY = String(arg("only", "put,get,head")).split(",");
const AWSIM = arg("awsim", ROOT.slice(0, -1));
const BEFORE = arg("before", undefined);
/** --keep DIR: leave the callgrind dumps there (callgrind_annotate DIR/<server>/cg.out.N shows where the instructions went). */
const KEEP = arg("keep", undefined);

const AUTH =
  "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" + "5f".repeat(32);
const SMALL = Buffer.alloc(4096, 7);
const s3req = (method, path, port, body) => {
  const head = [
    `${method} ${path} HTTP/1.1`,
    `host: 127.0.0.1:${port}`,
    `authorization: ${AUTH}`,
    "x-amz-date: 20260101T000000Z",
    "x-amz-content-sha256: UNSIGNED-PAYLOAD",
    "user-agent: awsim-bench",
    `content-length: ${body ? body.length : 0}`,
    "",
    "",
  ].join("\r\n");
  return body ? Buffer.concat([Buffer.from(head), body]) : Buffer.from(head);
};

const apiReq = (service, extra, body) => (port) =>
  Buffer.concat([
    Buffer.from(
      [
        "POST / HTTP/1.1",
        `host: 127.0.0.1:${port}`,
        `authorization: ${AUTH.replace("/s3/", `/${service}/`)}`,
        "x-amz-date: 20260101T000000Z",
        ...extra,
        `content-length: ${body.length}`,
        "",
        "",
      ].join("\r\n"),
    ),
    body,
  ]);
const ecsReq = (op, input) =>
  apiReq("ecs", [`x-amz-target: AmazonEC2ContainerServiceV20141113.${op}`, "content-type: application/x-amz-json-1.1"], Buffer.from(JSON.stringify(input)));
const ec2Req = (params) =>
  apiReq(
    "ec2",
    ["content-type: application/x-www-form-urlencoded; charset=utf-8"],
    Buffer.from(new URLSearchParams({ Version: "2016-11-15", ...params }).toString()),
  );
const RUN_TASK = { cluster: "bench", taskDefinition: "bench", launchType: "FARGATE", count: 1 };
const RUN_INSTANCES = { Action: "RunInstances", ImageId: "ami-0abcdef1234567890", InstanceType: "t3.micro", MinCount: "1", MaxCount: "1" };

/** Each workload: its requests, an optional setup (awsim only; the ceiling does not answer these), a request count. */
const WORKLOADS = {
  put: { reqs: (port) => Array.from({ length: 64 }, (_, i) => s3req("PUT", `/bench/put-${i}`, port, SMALL)) },
  get: { reqs: (port) => Array.from({ length: 64 }, (_, i) => s3req("GET", `/bench/obj-${i}`, port)) },
  head: { reqs: (port) => Array.from({ length: 64 }, (_, i) => s3req("HEAD", `/bench/obj-${i}`, port)) },
  // ECS and EC2 (awsim and --before only): RunTask FARGATE with a public IP, DescribeTasks of 100 of 1,000 tasks,
  // RunInstances, DescribeInstances of all 1,000.
  runtask: {
    api: true,
    setup: ecsSetup,
    reqs: (port, ctx) => [
      ecsReq("RunTask", { ...RUN_TASK, networkConfiguration: { awsvpcConfiguration: { subnets: [ctx.subnet], assignPublicIp: "ENABLED" } } })(port),
    ],
  },
  describetasks: {
    api: true,
    n: 100,
    warm: 100,
    setup: async (port, ctx) => {
      await ecsSetup(port, ctx);
      const run = ecsReq("RunTask", { ...RUN_TASK, count: 10, networkConfiguration: { awsvpcConfiguration: { subnets: [ctx.subnet] } } })(port);
      const answers = await drive(port, [run], 100, false, true);
      ctx.arns = answers.flatMap((a) => JSON.parse(a).tasks.map((t) => t.taskArn)).slice(0, 100);
    },
    reqs: (port, ctx) => [ecsReq("DescribeTasks", { cluster: "bench", tasks: ctx.arns })(port)],
  },
  runinstances: { api: true, reqs: (port) => [ec2Req(RUN_INSTANCES)(port)] },
  describeall: {
    api: true,
    n: 10,
    warm: 10,
    setup: async (port) => {
      await drive(port, [ec2Req({ ...RUN_INSTANCES, MinCount: "100", MaxCount: "100" })(port)], 10, false);
    },
    reqs: (port) => [ec2Req({ Action: "DescribeInstances" })(port)],
  },
};

async function ecsSetup(port, ctx) {
  if (ctx.subnet) return;
  await drive(port, [ecsReq("CreateCluster", { clusterName: "bench" })(port)], 1, false);
  await drive(port, [ecsReq("RegisterTaskDefinition", ECS_TD)(port)], 1, false);
  const [subnets] = await drive(port, [ec2Req({ Action: "DescribeSubnets" })(port)], 1, false, true);
  ctx.subnet = /<subnetId>([^<]+)</.exec(subnets)[1];
}

/** Send n requests one at a time over one keep-alive socket; counts 2xx answers (or, with keep, returns the bodies). */
function drive(port, reqs, n, isHead, keep = false) {
  return new Promise((resolve, reject) => {
    const sock = connect(port, "127.0.0.1");
    let sent = 0;
    let ok = 0;
    const bodies = [];
    let buf = Buffer.alloc(0);
    const next = () => {
      if (sent >= n) {
        sock.end();
        return resolve(keep ? bodies : ok);
      }
      sock.write(reqs[sent++ % reqs.length]);
    };
    sock.on("connect", next);
    sock.on("error", reject);
    sock.on("data", (d) => {
      buf = buf.length ? Buffer.concat([buf, d]) : d;
      for (;;) {
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = buf.subarray(0, end).toString("latin1");
        const m = /content-length: *(\d+)/i.exec(head);
        const len = isHead || !m ? 0 : Number(m[1]);
        if (buf.length < end + 4 + len) return;
        const status = Number(head.slice(9, 12));
        if (keep) bodies.push(buf.subarray(end + 4, end + 4 + len).toString());
        if (status >= 200 && status < 300) ok++;
        else if (ok === 0)
          console.error(
            `status ${status}: ${buf
              .subarray(0, end + 4 + len)
              .toString()
              .slice(0, 300)}`,
          );
        buf = buf.subarray(end + 4 + len);
        next();
      }
    });
  });
}

async function measure(kind) {
  const port = await freePort();
  const dir = KEEP ? join(KEEP, kind) : mkdtempSync(join(tmpdir(), "icount-"));
  if (KEEP) mkdirSync(dir, { recursive: true });
  const server =
    kind === "ceiling"
      ? [`${ROOT}bench/ceiling.mjs`, String(port)]
      : [`${kind === "before" ? BEFORE : AWSIM}/dist/cli.js`, "--port", String(port), "--log-level", "silent"];
  const { child } = await startAndWait(
    "valgrind",
    ["--tool=callgrind", "--instr-atstart=no", `--callgrind-out-file=${dir}/cg.out`, process.execPath, ...server],
    `http://127.0.0.1:${port}/_awsim/health`,
  );
  try {
    if (kind !== "ceiling") {
      await drive(port, [s3req("PUT", "/bench", port)], 1, false);
      await drive(
        port,
        Array.from({ length: 64 }, (_, i) => s3req("PUT", `/bench/obj-${i}`, port, SMALL)),
        64,
        false,
      );
    }
    const out = {};
    const ctx = {};
    for (const w of ONLY) {
      const wl = WORKLOADS[w];
      if (wl.api && kind === "ceiling") continue;
      if (wl.setup) await wl.setup(port, ctx);
      const reqs = wl.reqs(port, ctx);
      const n = wl.n ?? N;
      await drive(port, reqs, wl.warm ?? WARM, w === "head");
      execFileSync("callgrind_control", ["-i", "on", String(child.pid)], { stdio: "ignore" });
      await drive(port, reqs, Math.max(wl.warm ?? 200, n / 2), w === "head"); // re-translate and settle with instrumentation on
      execFileSync("callgrind_control", ["-z", String(child.pid)], { stdio: "ignore" });
      const ok = await drive(port, reqs, n, w === "head");
      execFileSync("callgrind_control", ["-d", w, String(child.pid)], { stdio: "ignore" });
      execFileSync("callgrind_control", ["-i", "off", String(child.pid)], { stdio: "ignore" });
      // Each dump is a new part file (cg.out.1, cg.out.2, ...): take the newest.
      const part = readdirSync(dir)
        .map((f) => Number(/\.(\d+)$/.exec(f)?.[1] ?? 0))
        .reduce((a, b) => Math.max(a, b), 0);
      const text = readFileSync(join(dir, `cg.out.${part}`), "utf8");
      const total = Number(/^(?:summary|totals): (\d+)/m.exec(text)?.[1] ?? Number.NaN);
      out[w] = { irPerReq: total / Math.max(1, ok), ok };
    }
    return out;
  } finally {
    child.kill("SIGKILL");
    if (!KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

const kinds = [...(ONLY.some((w) => !WORKLOADS[w].api) ? ["ceiling"] : []), "awsim", ...(BEFORE ? ["before"] : [])];
const results = {};
for (const k of kinds) results[k] = await measure(k);
const f = (x) => (x / 1000).toFixed(1);
for (const w of ONLY) {
  if (WORKLOADS[w].api) {
    const a = results.awsim[w].irPerReq;
    const b = results.before?.[w].irPerReq;
    console.log(
      `${w.padEnd(5)} awsim ${f(a)} kIr/req${b ? `  before ${f(b)} (awsim ÷ before ${(a / b).toFixed(3)})` : ""}  [ok ${results.awsim[w].ok}/${WORKLOADS[w].n ?? N}]`,
    );
    continue;
  }
  const c = results.ceiling[w].irPerReq;
  const a = results.awsim[w].irPerReq;
  const b = results.before?.[w].irPerReq;
  console.log(
    `${w.padEnd(5)} awsim ${f(a)} kIr/req (${(a / c).toFixed(2)}× ceiling ${f(c)})${b ? `  before ${f(b)} (awsim ÷ before ${(a / b).toFixed(3)})` : ""}  [ok ${results.awsim[w].ok}/${N}]`,
  );
}
