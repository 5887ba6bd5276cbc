#!/usr/bin/env node
/**
 * The call tree under one function of a V8 .cpuprofile, merged by function, with inclusive shares:
 *   node bench/profile-tree.mjs FILE.cpuprofile FUNCTION_NAME [--depth 4] [--min 0.2]
 */
import { readFileSync } from "node:fs";

const [file, fn] = process.argv.slice(2);
const opt = (k, d) => {
  const i = process.argv.indexOf(`--${k}`);
  return i >= 0 ? Number(process.argv[i + 1]) : d;
};
const DEPTH = opt("depth", 4);
const MIN = opt("min", 0.2);
const prof = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const counts = new Map();
for (const s of prof.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
const total = prof.samples.length;
const incl = new Map();
const inclOf = (n) => {
  if (incl.has(n.id)) return incl.get(n.id);
  let c = counts.get(n.id) ?? 0;
  for (const k of n.children ?? []) c += inclOf(byId.get(k));
  incl.set(n.id, c);
  return c;
};
const name = (n) =>
  `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.replace(/^.*\/(dist|node_modules)\//, "$1/").replace(/^node:internal\//, "")}:${n.callFrame.lineNumber + 1}`;
/** Merge nodes by name at each level. */
function merge(nodes) {
  const m = new Map();
  for (const n of nodes) {
    const k = name(n);
    const e = m.get(k) ?? { c: 0, kids: [] };
    e.c += inclOf(n);
    e.kids.push(...(n.children ?? []).map((id) => byId.get(id)));
    m.set(k, e);
  }
  return [...m].sort((a, b) => b[1].c - a[1].c);
}
function show(nodes, depth, indent) {
  for (const [k, e] of merge(nodes)) {
    if ((100 * e.c) / total < MIN) continue;
    console.log(`${((100 * e.c) / total).toFixed(1).padStart(5)}% ${indent}${k}`);
    if (depth > 0) show(e.kids, depth - 1, `${indent}  `);
  }
}
const roots = prof.nodes.filter((n) => n.callFrame.functionName === fn);
// Only outermost occurrences (not nested under another node of the same function).
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n);
const outer = roots.filter((n) => {
  for (let p = parent.get(n.id); p; p = parent.get(p.id)) if (p.callFrame.functionName === fn) return false;
  return true;
});
console.log(`${total} samples; under ${fn}:`);
show(outer, DEPTH, "");
