/**
 * npm run bench — awsim against a ceiling (a minimal Fastify server answering fixed bodies) and, when
 * installed, a peer emulator (moto_server), in the same run. Loopback only; every loop is bounded.
 * Prints a table and writes bench/results/latest.json. Figures are medians of repeated runs with their
 * spread; throughput is reported as a ratio to the ceiling measured in the same run.
 */
import { CreateClusterCommand, DescribeTasksCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand, paginateListTasks } from "@aws-sdk/client-ecs";
import { DescribeInstancesCommand, EC2Client, RunInstancesCommand, paginateDescribeInstances } from "@aws-sdk/client-ec2";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { request } from "node:http";
import { fmt, freePort, load, median, rssMiB, send, signed, signer, spread, startAndWait, stop } from "./lib.mjs";

const ROOT = new URL("..", import.meta.url).pathname;
const quick = process.argv.includes("--quick");
const REPS = quick ? 1 : 3;
const rows = [];
const row = (group, name, unit, values) => {
  rows.push({ group, name, unit, ...values });
  const r = values;
  console.log(
    `${group.padEnd(8)} ${name.padEnd(44)} awsim ${fmt(r.awsim).padStart(9)} ${unit.padEnd(7)} ceiling ${fmt(r.ceiling).padStart(9)}  ratio ${fmt(r.ratio, 2).padStart(5)}  moto ${r.moto === undefined ? "       —" : fmt(r.moto).padStart(8)}  awsim/moto ${r.vsMoto === undefined ? "  —" : fmt(r.vsMoto, 2)}${r.note ? `  (${r.note})` : ""}`,
  );
};

const hasMoto = spawnSync("moto_server", ["--help"], { stdio: "ignore" }).status === 0;

async function awsimProcess(extra = []) {
  const port = await freePort();
  const { child } = await startAndWait(
    process.execPath,
    [`${ROOT}dist/cli.js`, "--port", String(port), "--log-level", "silent", ...extra],
    `http://127.0.0.1:${port}/_awsim/health`,
  );
  return { url: `http://127.0.0.1:${port}`, child };
}
async function ceilingProcess() {
  const port = await freePort();
  const { child } = await startAndWait(process.execPath, [`${ROOT}bench/ceiling.mjs`, String(port)], `http://127.0.0.1:${port}/_awsim/health`);
  return { url: `http://127.0.0.1:${port}`, child };
}
async function motoProcess() {
  if (!hasMoto) return undefined;
  const port = await freePort();
  const { child } = await startAndWait("moto_server", ["-p", String(port)], `http://127.0.0.1:${port}/moto-api/`);
  return { url: `http://127.0.0.1:${port}`, child };
}

// ---------------------------------------------------------------- cold start
async function coldStart() {
  const runs = { awsim: [], ceiling: [], bare: [] };
  const rss = [];
  for (let i = 0; i < 5; i++) {
    let p = await freePort();
    const a = await startAndWait(process.execPath, [`${ROOT}dist/cli.js`, "--port", String(p), "--log-level", "silent"], `http://127.0.0.1:${p}/_awsim/health`);
    runs.awsim.push(a.ms);
    await new Promise((r) => setTimeout(r, 100));
    rss.push(rssMiB(a.child.pid));
    await stop(a.child);
    p = await freePort();
    const c = await startAndWait(process.execPath, [`${ROOT}bench/ceiling.mjs`, String(p)], `http://127.0.0.1:${p}/_awsim/health`);
    runs.ceiling.push(c.ms);
    await stop(c.child);
    p = await freePort();
    const b = await startAndWait(process.execPath, [`${ROOT}bench/ceiling.mjs`, String(p), "bare"], `http://127.0.0.1:${p}/`);
    runs.bare.push(b.ms);
    await stop(b.child);
  }
  const a = median(runs.awsim);
  const c = median(runs.ceiling);
  row("start", "cold start to first response (ms, lower is better)", "ms", {
    awsim: a,
    ceiling: c,
    ratio: a / c,
    spread: spread(runs.awsim),
    note: `bare node:http ${fmt(median(runs.bare))} ms; idle RSS ${fmt(median(rss))} MiB`,
  });
}

// ---------------------------------------------------------------- S3
async function s3Target(t, keys) {
  const sig = signer("s3");
  const body = Buffer.alloc(4096, 1);
  const put = async (k) =>
    send(`${t.url}/bench/${k}`, { method: "PUT", body, headers: await signed(sig, { method: "PUT", url: `${t.url}/bench/${k}`, body }) });
  const get = async (k) => send(`${t.url}/bench/${k}`, { headers: await signed(sig, { method: "GET", url: `${t.url}/bench/${k}` }) });
  const head = async (k) => send(`${t.url}/bench/${k}`, { method: "HEAD", headers: await signed(sig, { method: "HEAD", url: `${t.url}/bench/${k}` }) });
  await send(`${t.url}/bench`, { method: "PUT", headers: await signed(sig, { method: "PUT", url: `${t.url}/bench` }) });
  const out = {};
  out.put1 = await load(quick ? 200 : 500, 1, (i) => put(`k${i % 100}`));
  out.get1 = await load(quick ? 200 : 500, 1, (i) => get(`k${i % 100}`));
  const n = quick ? 1000 : 3000;
  out.put32 = [];
  out.get32 = [];
  out.head32 = [];
  for (let r = 0; r < REPS; r++) {
    out.put32.push(await load(n, 32, (i) => put(`k${i % 1000}`)));
    out.get32.push(await load(n, 32, (i) => get(`k${i % 1000}`)));
    out.head32.push(await load(n, 32, (i) => head(`k${i % 1000}`)));
  }
  await load(keys, 32, (i) => put(`list/${String(i).padStart(6, "0")}`));
  const listUrl = (token) => `${t.url}/bench?list-type=2&prefix=list%2F${token ? `&continuation-token=${encodeURIComponent(token)}` : ""}`;
  const t0 = performance.now();
  let pages = 0;
  let token;
  // Walk the listing repeatedly (at least 20 page requests) so warm-up does not dominate.
  for (let i = 0; i < 200 && pages < 20; i++) {
    const url = listUrl(token);
    const headers = await signed(sig, { method: "GET", url });
    const text = await new Promise((resolve) =>
      request(url, { headers }, (res) => {
        let s = "";
        res.on("data", (d) => (s += d));
        res.on("end", () => resolve(s));
      }).end(),
    );
    pages++;
    token = /<NextContinuationToken>([^<]+)</.exec(text)?.[1];
  }
  out.listPagesPerSec = pages / ((performance.now() - t0) / 1000);
  out.listPages = pages;
  return out;
}

async function s3() {
  const a = await awsimProcess();
  const c = await ceilingProcess();
  const m = await motoProcess();
  const keys = quick ? 2000 : 10_000;
  const ra = await s3Target(a, keys);
  const rc = await s3Target(c, 0);
  const rm = m ? await s3Target(m, keys) : undefined;
  const med = (xs, f) => median(xs.map(f));
  const bad = (r) => r.put32.concat(r.get32, r.head32).reduce((n, x) => n + x.bad, 0);
  row("s3", "PutObject 4 KiB, concurrency 1, p50 latency", "ms", {
    awsim: ra.put1.p50,
    ceiling: rc.put1.p50,
    ratio: rc.put1.p50 / ra.put1.p50,
    moto: rm?.put1.p50,
    vsMoto: rm ? rm.put1.p50 / ra.put1.p50 : undefined,
    note: `p99 ${fmt(ra.put1.p99)} ms`,
  });
  row("s3", "GetObject 4 KiB, concurrency 1, p50 latency", "ms", {
    awsim: ra.get1.p50,
    ceiling: rc.get1.p50,
    ratio: rc.get1.p50 / ra.get1.p50,
    moto: rm?.get1.p50,
    vsMoto: rm ? rm.get1.p50 / ra.get1.p50 : undefined,
    note: `p99 ${fmt(ra.get1.p99)} ms`,
  });
  for (const [k, label] of [
    ["put32", "PutObject 4 KiB, concurrency 32"],
    ["get32", "GetObject 4 KiB, concurrency 32"],
    ["head32", "HeadObject, concurrency 32"],
  ]) {
    const av = med(ra[k], (x) => x.rps);
    const cv = med(rc[k], (x) => x.rps);
    const mv = rm ? med(rm[k], (x) => x.rps) : undefined;
    row("s3", label, "req/s", {
      awsim: av,
      ceiling: cv,
      ratio: av / cv,
      moto: mv,
      vsMoto: mv ? av / mv : undefined,
      spread: spread(ra[k].map((x) => x.rps)),
      note: `spread ${spread(ra[k].map((x) => x.rps))
        .map((x) => fmt(x, 0))
        .join("–")}`,
    });
  }
  row("s3", `ListObjectsV2 pages over ${keys} keys`, "pages/s", {
    awsim: ra.listPagesPerSec,
    ceiling: rc.listPagesPerSec,
    ratio: ra.listPagesPerSec / rc.listPagesPerSec,
    moto: rm?.listPagesPerSec,
    vsMoto: rm ? ra.listPagesPerSec / rm.listPagesPerSec : undefined,
    note: `${ra.listPages} pages; non-2xx: ${bad(ra)}`,
  });
  await big(a, c);
  await stop(a.child);
  await stop(c.child);
  if (m) await stop(m.child);
}

/** 1 GiB PUT and GET, streamed; MB/s and the server's peak RSS. */
async function big(a, c) {
  const size = quick ? 256 * 1024 * 1024 : 1024 * 1024 * 1024;
  const chunk = Buffer.alloc(1024 * 1024, 5);
  const sig = signer("s3");
  const putBig = async (t) => {
    const url = `${t.url}/bench/big`;
    const headers = await signed(sig, { method: "PUT", url });
    headers["content-length"] = String(size);
    const t0 = performance.now();
    await new Promise((resolve) => {
      const req = request(url, { method: "PUT", headers }, (res) => (res.resume(), res.on("end", resolve)));
      let sent = 0;
      const pump = () => {
        while (sent < size) {
          sent += chunk.length;
          if (!req.write(chunk)) return req.once("drain", pump);
        }
        req.end();
      };
      pump();
    });
    return size / 1048576 / ((performance.now() - t0) / 1000);
  };
  const getBig = async (t) => {
    const url = `${t.url}/bench/big`;
    const headers = await signed(sig, { method: "GET", url });
    const t0 = performance.now();
    let n = 0;
    await new Promise((resolve) => request(url, { headers }, (res) => (res.on("data", (d) => (n += d.length)), res.on("end", resolve))).end());
    return n / 1048576 / ((performance.now() - t0) / 1000);
  };
  const aPut = await putBig(a);
  const cPut = await putBig(c);
  const aGet = await getBig(a);
  const hwm = rssMiB(a.child.pid, "VmHWM");
  row("s3", `${size / 1048576} MiB PutObject, streamed`, "MB/s", {
    awsim: aPut,
    ceiling: cPut,
    ratio: aPut / cPut,
    note: `server peak RSS ${fmt(hwm, 0)} MiB`,
  });
  row("s3", `${size / 1048576} MiB GetObject, streamed`, "MB/s", { awsim: aGet, ceiling: NaN, ratio: NaN, note: "ceiling serves 4 KiB, no comparison" });
}

// ---------------------------------------------------------------- ECS and EC2
const cfg = (url) => ({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });

async function timeIt(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function ecs() {
  const a = await awsimProcess();
  const c = await ceilingProcess();
  const m = await motoProcess();
  const runOn = async (url, n) => {
    const e = new ECSClient(cfg(url));
    await e.send(new CreateClusterCommand({ clusterName: "bench" })).catch(() => undefined);
    await e.send(new RegisterTaskDefinitionCommand({ family: "b", containerDefinitions: [{ name: "c", image: "x", memory: 128 }] })).catch(() => undefined);
    return load(n, 16, () =>
      e.send(new RunTaskCommand({ cluster: "bench", taskDefinition: "b" })).then(
        (r) => ({ status: r.$metadata.httpStatusCode, ms: 0 }),
        () => ({ status: 500, ms: 0 }),
      ),
    );
  };
  const n = quick ? 200 : 800;
  const ra = await runOn(a.url, n);
  const rc = await runOn(c.url, n);
  const rm = m ? await runOn(m.url, Math.min(n, 200)) : undefined;
  row("ecs", "RunTask, concurrency 16", "req/s", {
    awsim: ra.rps,
    ceiling: rc.rps,
    ratio: ra.rps / rc.rps,
    moto: rm?.rps,
    vsMoto: rm ? ra.rps / rm.rps : undefined,
    note: `non-2xx ${ra.bad}`,
  });
  // scaling: ListTasks (all pages) and DescribeTasks(100) at 100, 1,000, 10,000 tasks
  const e = new ECSClient(cfg(a.url));
  await e.send(new CreateClusterCommand({ clusterName: "scale" }));
  let have = 0;
  for (const target of [100, 1000, 10_000]) {
    while (have < target) {
      await Promise.all(
        Array.from({ length: Math.min(10, (target - have) / 10) }, () => e.send(new RunTaskCommand({ cluster: "scale", taskDefinition: "b", count: 10 }))),
      );
      have += 10 * Math.min(10, (target - have) / 10);
    }
    const arns = [];
    const listMs = await timeIt(async () => {
      for await (const p of paginateListTasks({ client: e, pageSize: 100 }, { cluster: "scale" })) arns.push(...p.taskArns);
    });
    const desc = [];
    for (let i = 0; i < 5; i++) desc.push(await timeIt(() => e.send(new DescribeTasksCommand({ cluster: "scale", tasks: arns.slice(0, 100) }))));
    row("scale", `ECS ListTasks all pages, ${target} tasks (per task)`, "µs", {
      awsim: (listMs * 1000) / arns.length,
      ceiling: NaN,
      ratio: NaN,
      note: `${arns.length} listed in ${fmt(listMs, 0)} ms`,
    });
    row("scale", `ECS DescribeTasks 100 of ${target} tasks (per task)`, "µs", { awsim: (median(desc) * 1000) / 100, ceiling: NaN, ratio: NaN });
  }
  await stop(a.child);
  await stop(c.child);
  if (m) await stop(m.child);
}

async function ec2() {
  const a = await awsimProcess();
  const m = await motoProcess();
  const runOn = async (url, n) => {
    const e = new EC2Client(cfg(url));
    return load(n, 16, () =>
      e.send(new RunInstancesCommand({ ImageId: "ami-0abcdef1234567890", MinCount: 1, MaxCount: 1, InstanceType: "t3.micro" })).then(
        (r) => ({ status: r.$metadata.httpStatusCode, ms: 0 }),
        () => ({ status: 500, ms: 0 }),
      ),
    );
  };
  const ra = await runOn(a.url, quick ? 100 : 400);
  const rm = m ? await runOn(m.url, 100) : undefined;
  row("ec2", "RunInstances, concurrency 16", "req/s", {
    awsim: ra.rps,
    ceiling: NaN,
    ratio: NaN,
    moto: rm?.rps,
    vsMoto: rm ? ra.rps / rm.rps : undefined,
    note: `non-2xx ${ra.bad}`,
  });
  const e = new EC2Client(cfg(a.url));
  let have = quick ? 100 : 400;
  for (const target of [1000, 10_000]) {
    while (have < target) {
      const batch = Math.min(1000, target - have);
      await e.send(
        new RunInstancesCommand({
          ImageId: "ami-0abcdef1234567890",
          MinCount: batch,
          MaxCount: batch,
          TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "batch", Value: String(have / 1000) }] }],
        }),
      );
      have += batch;
    }
    let n = 0;
    const all = await timeIt(async () => {
      for await (const p of paginateDescribeInstances({ client: e, pageSize: 1000 }, {})) for (const r of p.Reservations) n += r.Instances.length;
    });
    const tag = [];
    for (let i = 0; i < 5; i++) tag.push(await timeIt(() => e.send(new DescribeInstancesCommand({ Filters: [{ Name: "tag:batch", Values: ["1"] }] }))));
    row("scale", `EC2 DescribeInstances all pages, ${n} instances (per instance)`, "µs", {
      awsim: (all * 1000) / n,
      ceiling: NaN,
      ratio: NaN,
      note: `${fmt(all, 0)} ms total`,
    });
    row("scale", `EC2 DescribeInstances tag filter over ${n} instances`, "ms", { awsim: median(tag), ceiling: NaN, ratio: NaN });
  }
  await stop(a.child);
  if (m) await stop(m.child);
}

// ---------------------------------------------------------------- execute mode
async function execute() {
  const a = await awsimProcess(["--execute"]);
  const e = new ECSClient(cfg(a.url));
  await e.send(new CreateClusterCommand({ clusterName: "x" }));
  await e.send(new RegisterTaskDefinitionCommand({ family: "t", containerDefinitions: [{ name: "c", image: "x", command: ["true"] }] }));
  const untilStopped = async (arns) => {
    for (let i = 0; i < 2000; i++) {
      const d = await e.send(new DescribeTasksCommand({ cluster: "x", tasks: arns }));
      if (d.tasks.every((t) => t.lastStatus === "STOPPED")) return;
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const one = [];
  const direct = [];
  for (let i = 0; i < (quick ? 3 : 7); i++) {
    one.push(await timeIt(async () => untilStopped([(await e.send(new RunTaskCommand({ cluster: "x", taskDefinition: "t" }))).tasks[0].taskArn])));
    direct.push(await timeIt(() => new Promise((r) => spawn("true").on("exit", r))));
  }
  row("exec", "RunTask `true` until STOPPED", "ms", {
    awsim: median(one),
    ceiling: median(direct),
    ratio: median(one) / median(direct),
    note: "ceiling = spawning `true` directly",
  });
  const many = await timeIt(async () => {
    const arns = (await Promise.all(Array.from({ length: 10 }, () => e.send(new RunTaskCommand({ cluster: "x", taskDefinition: "t", count: 10 }))))).flatMap(
      (r) => r.tasks.map((t) => t.taskArn),
    );
    for (let i = 0; i < arns.length; i += 100) await untilStopped(arns.slice(i, i + 100));
  });
  row("exec", "100 concurrent tasks until all STOPPED", "ms", { awsim: many, ceiling: NaN, ratio: NaN });
  await stop(a.child);
}

console.log(
  `awsim bench — ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; moto_server ${hasMoto ? "installed" : "not installed"}${quick ? "; --quick" : ""}\n`,
);
const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);
for (const [name, fn] of Object.entries({ start: coldStart, s3, ecs, ec2, exec: execute })) {
  if (only && !only.split(",").includes(name)) continue;
  try {
    await fn();
  } catch (e) {
    console.log(`${name}: failed: ${e?.message ?? e}`);
    rows.push({ group: name, error: String(e?.message ?? e) });
  }
}
mkdirSync(`${ROOT}bench/results`, { recursive: true });
writeFileSync(
  `${ROOT}bench/results/latest.json`,
  JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: cpus().length, moto: hasMoto, rows }, null, 2),
);
console.log(`\nwrote bench/results/latest.json`);
process.exit(0);
