/**
 * AWSIM_TEST_CPU=<file>: appends, per test file, the CPU seconds its worker spent on it (utime + stime of the worker
 * and of the children it reaped: CLI processes, builds, terraform, servers' processes) as a JSON line, to find where
 * the suite's CPU goes (`node scripts/test-cpu.mjs <file>` sums it). Workers run one file at a time (isolate: false
 * reuses them in turn), so the difference between a file's first and last hook is that file's.
 */
import { appendFileSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { afterAll, beforeAll } from "vitest";

const out = process.env.AWSIM_TEST_CPU;
const ticks = (): number => {
  // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
  const stat = readFileSync("/proc/self/stat", "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
};

if (out) {
  let t0 = 0;
  let w0 = 0;
  beforeAll(() => {
    t0 = ticks();
    w0 = Date.now();
  });
  // biome-ignore lint/correctness/noEmptyPattern: vitest parses a hook's first parameter as fixtures and wants a pattern
  afterAll(({}, suite) => {
    const file = relative(process.cwd(), (suite as { filepath?: string }).filepath ?? "?");
    appendFileSync(out, `${JSON.stringify({ file, cpu: (ticks() - t0) / 100, wall: (Date.now() - w0) / 1000 })}\n`);
  });
}
