// Sums what test/cpu-probe.ts wrote (AWSIM_TEST_CPU=<file> npx vitest run): CPU seconds per test file, largest
// first, with the total; the suite's wall time on two cores is about the total over two.
import { readFileSync } from "node:fs";

const file = process.argv[2];
if (!file) throw new Error("usage: node scripts/test-cpu.mjs <AWSIM_TEST_CPU file> [top N]");
const rows = readFileSync(file, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l))
  .sort((a, b) => b.cpu - a.cpu);
const total = rows.reduce((n, r) => n + r.cpu, 0);
for (const r of rows.slice(0, Number(process.argv[3] ?? 40)))
  console.log(`${r.cpu.toFixed(1).padStart(7)} s CPU ${r.wall.toFixed(1).padStart(7)} s wall  ${r.file}`);
console.log(`${total.toFixed(1).padStart(7)} s CPU in ${rows.length} files`);
