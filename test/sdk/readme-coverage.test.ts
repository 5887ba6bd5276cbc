/** README's surface-coverage tables must list every operation each service's table implements. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SERVICES } from "../../src/services/index.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const coverage = readme.slice(readme.indexOf("<!-- coverage:begin -->"), readme.indexOf("<!-- coverage:end -->"));

describe("README coverage table", () => {
  it("has a coverage section", () => {
    expect(coverage.length).toBeGreaterThan(100);
  });
  for (const desc of SERVICES) {
    it(`lists every ${desc.name} operation`, async () => {
      const def = await desc.load();
      const missing = Object.keys(def.operations).filter((op) => !new RegExp(`\\b${op}\\b`).test(coverage));
      expect(missing, `${desc.name} operations missing from README`).toEqual([]);
    });
  }
});
