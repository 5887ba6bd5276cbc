// Writes test/durations.json (seconds per test file, files of 2 s or more) from Vitest's results cache of the
// last run, for test/sequencer.ts. Run it after a full `npx vitest run`.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const base = "node_modules/.vite/vitest";
const [dir] = readdirSync(base);
const { results } = JSON.parse(readFileSync(join(base, dir, "results.json"), "utf8"));
const out = Object.fromEntries(
  results
    .map(([key, r]) => [key.replace(/^[^:]*:/, ""), Math.round(r.duration / 1000)])
    .filter(([, s]) => s >= 2)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
);
writeFileSync("test/durations.json", `${JSON.stringify(out, null, 2)}\n`);
console.log(`test/durations.json: ${Object.keys(out).length} files`);
