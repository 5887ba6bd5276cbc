/**
 * Soak test (not in CI): `npm run build && node bench/soak.mjs` — 200,000 mixed requests over all ten services
 * at concurrency 32 against a fresh `awsim` process, then RSS compared with RSS after a warm-up, both taken
 * after /_awsim/reset and 3 s of idleness (awsim runs two full GCs a second after a reset, so the sample shows
 * what is retained, not garbage V8 has not collected yet). The soak runs in rounds the size of the warm-up with
 * a reset after each, so the state held at any time (ECS tasks, log events, ...) is what the warm-up held: what
 * grows across rounds is a leak, not state. Fails (exit 1) on any 5xx or when the end RSS exceeds the warm-up
 * RSS by more than 10%.
 *
 * Environment: SOAK_REQUESTS (default 200000), SOAK_WARMUP (default 20000), SOAK_CONCURRENCY (default 32).
 * SOAK_GC=1 starts the server with `--expose-gc --import bench/soak-gc.mjs` and forces two full GCs before each
 * RSS sample, printing V8's heapUsed/external/arrayBuffers beside RSS (so RSS growth can be split into live heap
 * vs memory the allocator kept); SOAK_SNAPSHOT_DIR (with SOAK_GC=1) also writes a heap snapshot at each sample.
 * MALLOC_ARENA_MAX etc. pass through to the server's environment.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { freePort, rssMiB, startAndWait, stop } from "./lib.mjs";

const TOTAL = Number(process.env.SOAK_REQUESTS ?? 200_000);
const WARMUP = Number(process.env.SOAK_WARMUP ?? 20_000);
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 32);

const FORCE_GC = process.env.SOAK_GC === "1";
const gcOut = `${tmpdir()}/awsim-soak-gc-${process.pid}.json`;

const port = await freePort();
const { child } = await startAndWait(
  process.execPath,
  [
    ...(FORCE_GC ? ["--expose-gc", "--import", new URL("./soak-gc.mjs", import.meta.url).href] : []),
    "dist/cli.js",
    "--port",
    String(port),
    "--log-level",
    "silent",
  ],
  `http://127.0.0.1:${port}/_awsim/health`,
  FORCE_GC ? { SOAK_GC_OUT: gcOut } : {},
);
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function send(method, path, headers = {}, body) {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    if (body !== undefined) h["content-length"] = Buffer.byteLength(body);
    const req = request({ agent, host: "127.0.0.1", port, method, path, headers: h }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
const json = (target, body) => send("POST", "/", { "x-amz-target": target, "content-type": "application/x-amz-json-1.1" }, JSON.stringify(body));
const form = (body) => send("POST", "/", { "content-type": "application/x-www-form-urlencoded" }, body);
const ECS = "AmazonEC2ContainerServiceV20141113";
const ECR = "AmazonEC2ContainerRegistry_V20150921";
const SD = "Route53AutoNaming_v20170314";
const LOGS = "Logs_20140328";
const TRUST = encodeURIComponent(
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
);
const body1k = "x".repeat(1024);

/** One request of the mix, chosen by i: writes and reads over every service, with bounded name spaces. */
function op(i) {
  // One slot per cycle of the 26 cases, so a cycle creates what it then reads.
  const n = Math.floor(i / 26) % 500;
  switch (i % 26) {
    case 0:
      return send("PUT", `/soak/k${n}`, { "content-type": "text/plain" }, body1k);
    case 1:
      return send("GET", `/soak/k${n}`);
    case 2:
      return send("HEAD", `/soak/k${n}`);
    case 3:
      return send("GET", `/soak?list-type=2&max-keys=50&prefix=k${n % 10}`);
    case 4:
      return send("DELETE", `/soak/k${(n + 250) % 500}`);
    case 5:
      return json(`${ECS}.CreateCluster`, { clusterName: `c${n % 20}` });
    case 6:
      return json(`${ECS}.RegisterTaskDefinition`, {
        family: `f${n % 20}`,
        containerDefinitions: [{ name: "app", image: "busybox", memory: 64, essential: true }],
      });
    case 7:
      return json(`${ECS}.RunTask`, { cluster: `c${n % 20}`, taskDefinition: `f${n % 20}`, count: 1 });
    case 8:
      return json(`${ECS}.ListTasks`, { cluster: `c${n % 20}` });
    case 9:
      return json(`${ECS}.DescribeClusters`, { clusters: [`c${n % 20}`] });
    case 10:
      return form("Action=DescribeVpcs&Version=2016-11-15");
    case 11:
      return form(`Action=CreateSecurityGroup&Version=2016-11-15&GroupName=g${i}&GroupDescription=soak`);
    case 12:
      return form("Action=DescribeSecurityGroups&Version=2016-11-15&MaxResults=20");
    case 13:
      return json(`${LOGS}.CreateLogGroup`, { logGroupName: `g${n % 50}` });
    case 14:
      return json(`${LOGS}.CreateLogStream`, { logGroupName: `g${n % 50}`, logStreamName: "s" });
    case 15:
      return json(`${LOGS}.PutLogEvents`, { logGroupName: `g${n % 50}`, logStreamName: "s", logEvents: [{ timestamp: Date.now(), message: `soak ${i}` }] });
    case 16:
      return json(`${LOGS}.GetLogEvents`, { logGroupName: `g${n % 50}`, logStreamName: "s", limit: 20 });
    case 17:
      return form(`Action=CreateRole&Version=2010-05-08&RoleName=r${n % 100}&AssumeRolePolicyDocument=${TRUST}`);
    case 18:
      return form(`Action=GetRole&Version=2010-05-08&RoleName=r${n % 100}`);
    case 19:
      return form("Action=GetCallerIdentity&Version=2011-06-15");
    case 20:
      return json(`${ECR}.CreateRepository`, { repositoryName: `repo${n % 50}` });
    case 21:
      return json(`${ECR}.DescribeRepositories`, { maxResults: 20 });
    case 22:
      return json(`${SD}.ListNamespaces`, {});
    case 23:
      return send("GET", "/2015-03-31/functions/?MaxItems=10");
    case 24:
      return send("POST", "/2015-02-01/file-systems", { "content-type": "application/json" }, JSON.stringify({ CreationToken: `t${n % 20}` }));
    default:
      return send("GET", "/2015-02-01/file-systems?MaxItems=10");
  }
}

async function run(count, offset) {
  const statuses = new Map();
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = offset + next++;
        const s = await op(i);
        statuses.set(s, (statuses.get(s) ?? 0) + 1);
      }
    }),
  );
  return { seconds: (performance.now() - t0) / 1000, statuses: Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])) };
}

const mib = (b) => +(b / 1048576).toFixed(1);
const heap = {};

/** Full GCs in the server (SOAK_GC=1); returns its process.memoryUsage() in MiB. */
async function forceGc() {
  rmSync(gcOut, { force: true });
  child.kill("SIGUSR2");
  for (let i = 0; i < 600 && !existsSync(gcOut); i++) await new Promise((r) => setTimeout(r, 100));
  const m = JSON.parse(readFileSync(gcOut, "utf8"));
  rmSync(gcOut, { force: true });
  const spaces = Object.fromEntries(Object.entries(m.spaces).map(([k, [size, used]]) => [k, `${mib(size)}/${mib(used)}`]));
  return {
    rss: mib(m.rss),
    heapTotal: mib(m.heapTotal),
    heapUsed: mib(m.heapUsed),
    external: mib(m.external),
    arrayBuffers: mib(m.arrayBuffers),
    spacesCommittedUsed: spaces,
    snapshot: m.snapshot,
  };
}

async function settledRss(label) {
  await send("POST", "/_awsim/reset");
  await new Promise((r) => setTimeout(r, 3000));
  if (FORCE_GC) {
    heap[label] = await forceGc();
    await new Promise((r) => setTimeout(r, 1000));
  }
  return rssMiB(child.pid);
}

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(child.pid))), 100);
await send("PUT", "/soak");
const warm = await run(WARMUP, 0);
const rssWarm = await settledRss("afterWarmupReset");
const main = { seconds: 0, statuses: {} };
/** SOAK_GC=1: [heapUsed, rss] MiB after each intermediate round's reset and full GC, to see any per-round trend. */
const rounds = [];
for (let done = 0; done < TOTAL; done += WARMUP) {
  await send("PUT", "/soak");
  const round = await run(Math.min(WARMUP, TOTAL - done), WARMUP + done);
  main.seconds += round.seconds;
  for (const [k, v] of Object.entries(round.statuses)) main.statuses[k] = (main.statuses[k] ?? 0) + v;
  if (done + WARMUP < TOTAL) {
    await send("POST", "/_awsim/reset");
    if (FORCE_GC) {
      const m = await forceGc();
      rounds.push([m.heapUsed, m.rss]);
    }
  }
}
const rssEnd = await settledRss("atEndReset");
clearInterval(sampler);
await stop(child);
agent.destroy();

const fivexx = Object.entries(main.statuses)
  .filter(([s]) => Number(s) >= 500)
  .reduce((a, [, c]) => a + c, 0);
const growth = (rssEnd - rssWarm) / rssWarm;
console.log(
  JSON.stringify(
    {
      warmup: { requests: WARMUP, seconds: +warm.seconds.toFixed(1), statuses: warm.statuses },
      soak: {
        requests: TOTAL,
        concurrency: CONCURRENCY,
        seconds: +main.seconds.toFixed(1),
        reqPerSec: Math.round(TOTAL / main.seconds),
        statuses: main.statuses,
      },
      rssMiB: { afterWarmupReset: +rssWarm.toFixed(1), atEndReset: +rssEnd.toFixed(1), growthPercent: +(growth * 100).toFixed(1), peak: +peak.toFixed(1) },
      ...(FORCE_GC ? { afterFullGcMiB: heap, roundsHeapUsedRssMiB: rounds } : {}),
    },
    null,
    2,
  ),
);
if (fivexx > 0 || growth > 0.1) {
  console.error(fivexx > 0 ? `FAIL: ${fivexx} answers were 5xx` : `FAIL: RSS grew ${(growth * 100).toFixed(1)}% (limit 10%)`);
  process.exit(1);
}
