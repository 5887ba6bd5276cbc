import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Generous: CLI-driven flows start dozens of aws processes, which take seconds each on a loaded machine.
    testTimeout: 180_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Vitest's default is one worker on two cores, and most files wait on child processes (aws CLI, boto3,
    // terraform, go) rather than compute: three workers keep both cores busy (13.5 → 6 min on the CI machine).
    maxWorkers: 3,
    reporters: ["default", "./test/summary-reporter.ts"],
    // Every answer the tests get is checked against the model; the run fails on a member AWS does not send.
    globalSetup: ["./test/output-check.ts"],
  },
});
