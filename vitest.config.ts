import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import LongestFirst from "./test/sequencer.js";

const root = dirname(fileURLToPath(import.meta.url));

/**
 * True when dist/ holds a build at least as new as every source file (`npm test` builds first). Then the tests
 * import the compiled modules and Node loads them itself: through Vite's module runner, src/ cost about a second of
 * CPU per test file to import (1.2 s against 0.2 s), a third of the suite's worker time. A stale or missing build
 * (vitest run straight after an edit) falls back to src/.
 */
function distIsFresh(): boolean {
  const walk = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).every((e) => {
      const src = join(dir, e.name);
      if (e.isDirectory()) return walk(src);
      if (!e.name.endsWith(".ts") || e.name.endsWith(".d.ts")) return true;
      const out = join(root, "dist", src.slice(join(root, "src").length).replace(/\.ts$/, ".js"));
      return existsSync(out) && statSync(out).mtimeMs >= statSync(src).mtimeMs;
    });
  const fresh = walk(join(root, "src"));
  if (!fresh) console.warn("vitest: dist/ is older than src/ (npm run build); the tests import src/ through Vite, slower");
  return fresh;
}

const useDist = process.env.AWSIM_TEST_SRC !== "1" && distIsFresh();

export default defineConfig({
  // Every import of src/ (`../src/x.js`, `../../src/x.js`) names the same module of dist/.
  resolve: { alias: useDist ? [{ find: /^(?:\.\.\/)+src\/(.*)$/, replacement: `${root}/dist/$1` }] : [] },
  test: {
    include: ["test/**/*.test.ts"],
    // Generous: CLI-driven flows start dozens of aws processes, which take seconds each on a loaded machine.
    testTimeout: 180_000,
    hookTimeout: 30_000,
    pool: "forks",
    isolate: false,
    // Vitest's default is one worker on two cores, and most files wait on child processes (aws CLI, boto3,
    // terraform, go) rather than compute: three workers keep both cores busy (13.5 → 6 min on the CI machine).
    maxWorkers: 3,
    // Longest files first (test/durations.json), so that none is left running alone at the end.
    sequence: { sequencer: LongestFirst },
    reporters: ["default", "./test/summary-reporter.ts"],
    // Every answer the tests get is checked against the model; the run fails on a member AWS does not send.
    globalSetup: ["./test/output-check.ts"],
    // AWSIM_TEST_CPU=<file>: CPU seconds per test file (test/cpu-probe.ts).
    setupFiles: process.env.AWSIM_TEST_CPU ? ["./test/cpu-probe.ts"] : [],
    // The build is loaded by Node, not transformed again.
    server: { deps: { external: [/\/dist\//] } },
  },
});
