/**
 * Where a large S3 PUT's CPU goes, per thread: starts awsim (dist/cli.js, or the build named), PUTs MIB MiB (default
 * 1,024) REPS times (default 3) over a raw keep-alive socket with a fixed SigV4-looking header, and prints each PUT's
 * rate and the CPU each server thread spent on it (utime+stime from /proc/<pid>/task/<tid>/stat; MAIN is the event
 * loop, split into user and system time). The MD5 worker and libuv's pool threads (file writes) show up by tid.
 *
 *   node bench/put-threads.mjs [DIR]        (MIB=256 REPS=5 NODEARGS="--cpu-prof --cpu-prof-dir=/tmp/p" to vary)
 */
import { readdirSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { freePort, startAndWait, stop } from "./lib.mjs";

const dir = process.argv[2] ?? new URL("..", import.meta.url).pathname;
const port = await freePort();
const nodeArgs = process.env.NODEARGS ? process.env.NODEARGS.split(" ") : [];
const { child } = await startAndWait(
  process.execPath,
  [...nodeArgs, `${dir}/dist/cli.js`, "--port", String(port), "--log-level", "silent"],
  `http://127.0.0.1:${port}/_awsim/health`,
);

/** CPU ms per thread: "tid:name" → ms; the main thread also as MAINu / MAINs (user / system). */
function threads() {
  const o = {};
  for (const t of readdirSync(`/proc/${child.pid}/task`)) {
    try {
      const s = readFileSync(`/proc/${child.pid}/task/${t}/stat`, "utf8");
      const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
      const main = t === String(child.pid);
      o[main ? "MAIN" : `${t}:${s.slice(s.indexOf("(") + 1, s.lastIndexOf(")"))}`] = (Number(f[11]) + Number(f[12])) * 10;
      if (main) {
        o.MAINu = Number(f[11]) * 10;
        o.MAINs = Number(f[12]) * 10;
      }
    } catch {
      // a thread that ended meanwhile
    }
  }
  return o;
}

const request = (method, path, len, body) =>
  new Promise((resolve, reject) => {
    const sock = connect(port, "127.0.0.1");
    let got = "";
    sock.on("data", (d) => {
      got += d;
      if (got.includes("\r\n\r\n")) {
        sock.end();
        resolve(got.split("\r\n")[0]);
      }
    });
    sock.on("error", reject);
    sock.on("connect", () => {
      sock.write(
        `${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${"5f".repeat(32)}\r\nx-amz-date: 20260101T000000Z\r\nx-amz-content-sha256: UNSIGNED-PAYLOAD\r\ncontent-length: ${len}\r\n\r\n`,
      );
      body?.(sock);
    });
  });

await request("PUT", "/bench", 0);
const MIB = Number(process.env.MIB ?? 1024);
const chunk = Buffer.alloc(1 << 20, 5);
for (let rep = 0; rep < Number(process.env.REPS ?? 3); rep++) {
  const a = threads();
  const t0 = performance.now();
  const status = await request("PUT", `/bench/big${rep}`, MIB << 20, (sock) => {
    let sent = 0;
    const pump = () => {
      while (sent < MIB) {
        sent++;
        if (!sock.write(chunk)) return sock.once("drain", pump);
      }
    };
    pump();
  });
  const secs = (performance.now() - t0) / 1000;
  const b = threads();
  const per = Object.entries(b)
    .map(([k, v]) => [k, v - (a[k] ?? 0)])
    .filter(([k, v]) => v > 0 && k !== "MAINu" && k !== "MAINs")
    .sort((x, y) => y[1] - x[1]);
  const total = per.reduce((n, [, v]) => n + v, 0);
  console.log(
    `${status}: ${((MIB << 20) / 1e6 / secs).toFixed(0)} MB/s, ${total} ms CPU (MAIN user ${b.MAINu - a.MAINu}, system ${b.MAINs - a.MAINs}); ${per.map(([k, v]) => `${k} ${v}`).join(", ")}`,
  );
}
await stop(child);
