/**
 * Peak RSS of the awsim server while one large object is PUT and then GET (streamed, unsigned).
 * `SIZE_MIB=5120 node bench/big-object-rss.mjs` (default 1024 MiB); pass a node flag as the first argument to try one.
 */
import { freePort, startAndWait, rssMiB, stop } from "./lib.mjs";
import { request } from "node:http";
const port = await freePort();
const { child } = await startAndWait(
  process.execPath,
  [...(process.argv[2] ? [process.argv[2]] : []), "dist/cli.js", "--port", String(port), "--log-level", "silent"],
  `http://127.0.0.1:${port}/_awsim/health`,
);
const url0 = `http://127.0.0.1:${port}`;
await fetch(`${url0}/bench`, { method: "PUT" });
const size = Number(process.env.SIZE_MIB ?? 1024) * 1024 * 1024;
const chunk = Buffer.alloc(1024 * 1024, 5);
let peak = 0;
const t = setInterval(() => (peak = Math.max(peak, rssMiB(child.pid))), 20);
await new Promise((resolve) => {
  const req = request(`${url0}/bench/big`, { method: "PUT", headers: { "content-length": String(size) } }, (res) => (res.resume(), res.on("end", resolve)));
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
console.log("after PUT peak", peak.toFixed(0), "HWM", rssMiB(child.pid, "VmHWM").toFixed(0));
peak = 0;
await new Promise((resolve) => request(`${url0}/bench/big`, (res) => (res.on("data", () => {}), res.on("end", resolve))).end());
console.log("GET peak", peak.toFixed(0), "HWM", rssMiB(child.pid, "VmHWM").toFixed(0));
clearInterval(t);
await stop(child);
