/** Bench helpers: processes, ports, a SigV4 signer, a bounded keep-alive load generator, statistics. */
import { spawn } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { createServer } from "node:net";
import { SignatureV4 } from "@smithy/signature-v4";

export async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  const p = s.address().port;
  await new Promise((r) => s.close(r));
  return p;
}

/** Start a child process and poll GET url every 2 ms until it answers; returns {child, ms}. */
export async function startAndWait(cmd, args, url, env = {}) {
  const t0 = performance.now();
  const child = spawn(cmd, args, { stdio: "ignore", env: { ...process.env, ...env } });
  for (let i = 0; i < 10_000; i++) {
    try {
      const r = await fetch(url);
      await r.arrayBuffer();
      if (r.status < 500) return { child, ms: performance.now() - t0 };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  child.kill("SIGKILL");
  throw new Error(`${cmd} did not start`);
}

export function rssMiB(pid, field = "VmRSS") {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export async function stop(child) {
  if (!child || child.exitCode !== null) return;
  child.kill("SIGTERM");
  await new Promise((r) => {
    const t = setTimeout(() => (child.kill("SIGKILL"), r()), 3000);
    child.once("exit", () => (clearTimeout(t), r()));
  });
}

class NodeSha256 {
  constructor(secret) {
    this.h = secret ? createHmac("sha256", secret) : createHash("sha256");
  }
  update(d) {
    this.h.update(d);
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
}

export const signer = (service, region = "us-east-1") =>
  new SignatureV4({ service, region, credentials: { accessKeyId: "test", secretAccessKey: "test" }, sha256: NodeSha256 });

/** Sign like the SDK: host, x-amz-date, x-amz-content-sha256. */
export async function signed(sig, { method, url, headers = {}, body }) {
  const u = new URL(url);
  const query = Object.fromEntries(u.searchParams);
  const h = { host: u.host, "x-amz-content-sha256": body ? createHash("sha256").update(body).digest("hex") : "UNSIGNED-PAYLOAD", ...headers };
  if (body) h["content-length"] = String(body.length);
  const req = await sig.sign({ method, protocol: "http:", hostname: u.hostname, port: Number(u.port), path: u.pathname, query, headers: h, body });
  return req.headers;
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export function send(url, { method = "GET", headers = {}, body } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = request(url, { method, headers, agent }, (res) => {
      res.on("data", () => {});
      res.on("end", () => resolve({ status: res.statusCode, ms: performance.now() - t0 }));
    });
    req.on("error", () => resolve({ status: 0, ms: performance.now() - t0 }));
    req.end(body);
  });
}

/** Run `make()` requests with `concurrency` workers for `count` requests (bounded). */
export async function load(count, concurrency, make) {
  let next = 0;
  let ok = 0;
  let bad = 0;
  const lat = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const r = await make(i);
        if (r.status >= 200 && r.status < 300) {
          ok++;
          lat.push(r.ms);
        } else bad++;
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return { rps: ok / secs, ok, bad, p50: lat[Math.floor(lat.length * 0.5)] ?? NaN, p99: lat[Math.floor(lat.length * 0.99)] ?? NaN };
}

export function median(xs) {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}

export function spread(xs) {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? [s[0], s[s.length - 1]] : [NaN, NaN];
}

export const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");

/** The task definition the ECS workloads run (FARGATE, awsvpc), in bench/cpu.mjs and bench/icount.mjs. */
export const ECS_TD = {
  family: "bench",
  networkMode: "awsvpc",
  requiresCompatibilities: ["FARGATE"],
  cpu: "256",
  memory: "512",
  containerDefinitions: [{ name: "app", image: "public.ecr.aws/nginx/nginx:latest", essential: true, portMappings: [{ containerPort: 80 }] }],
};
