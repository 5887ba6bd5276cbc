#!/usr/bin/env node
/**
 * Summarise a V8 .cpuprofile (from `node bench/cpu.mjs --profile DIR`): self time per function and total
 * (inclusive) time per function, top N each, as a share of the profile's samples.
 *   node bench/profile-top.mjs FILE.cpuprofile [--n 40] [--filter substring]
 */
import { readFileSync } from "node:fs";

const argv = process.argv.slice(2);
const file = argv.find((a) => !a.startsWith("--"));
const opt = (k, d) => {
  const i = argv.indexOf(`--${k}`);
  return i >= 0 ? argv[i + 1] : d;
};
const N = Number(opt("n", 40));
const prof = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const counts = new Map();
for (const s of prof.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
const total = prof.samples.length;
const label = (n) => {
  const f = n.callFrame;
  const url = f.url.replace(/^file:\/\/.*?\/(dist|node_modules)\//, "$1/");
  return `${f.functionName || "(anon)"} ${url ? `${url}:${f.lineNumber + 1}` : ""}`.trim();
};
const self = new Map();
const incl = new Map();
for (const [id, c] of counts) {
  const n = byId.get(id);
  const l = label(n);
  self.set(l, (self.get(l) ?? 0) + c);
  const seen = new Set();
  for (let x = id; x !== undefined; x = parent.get(x)) {
    const lx = label(byId.get(x));
    if (seen.has(lx)) continue;
    seen.add(lx);
    incl.set(lx, (incl.get(lx) ?? 0) + c);
  }
}
const filter = opt("filter", "");
const show = (title, m) => {
  console.log(`\n${title} (${total} samples)`);
  for (const [l, c] of [...m]
    .filter(([l]) => l.includes(filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, N))
    console.log(`${((100 * c) / total).toFixed(1).padStart(5)}%  ${l}`);
};
show("self", self);
show("total", incl);
