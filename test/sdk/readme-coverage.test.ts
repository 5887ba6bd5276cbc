/** README's generated coverage block must match the models and the handlers (`npm run coverage` rewrites it). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COVERAGE_BEGIN, COVERAGE_END, coverage, renderCoverage } from "../../src/coverage.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("README coverage", () => {
  it("is generated from the models and the handlers, and in sync (run `npm run coverage`)", async () => {
    const b = readme.indexOf(COVERAGE_BEGIN);
    const e = readme.indexOf(COVERAGE_END);
    expect(b, "README has the generated coverage block").toBeGreaterThan(0);
    expect(readme.slice(b, e + COVERAGE_END.length)).toBe(renderCoverage(await coverage()));
  });

  it("counts every operation of the ten models", async () => {
    const cov = await coverage();
    expect(cov).toHaveLength(10);
    const total = cov.reduce((n, c) => n + c.implemented.length + c.missing.length, 0);
    expect(total).toBeGreaterThan(1400);
  });
});
