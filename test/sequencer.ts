/**
 * Runs the longest test files first (longest processing time first), from test/durations.json: seconds per file as
 * one full run measured them. Three workers share two cores, so a long file started last would run alone at the end
 * while the other workers idle. Files not listed run after, largest first (Vitest's own order without a cache).
 * `node scripts/test-durations.mjs` rewrites the list from Vitest's cache after a full run.
 */
import { readFileSync, statSync } from "node:fs";
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const durations: Record<string, number> = JSON.parse(readFileSync(new URL("./durations.json", import.meta.url), "utf8"));

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const key = (f: TestSpecification) => {
      const name = relative(f.project.config.root, f.moduleId);
      return durations[name] ?? -1 / (1 + statSync(f.moduleId).size);
    };
    return [...files].sort((a, b) => key(b) - key(a));
  }
}
