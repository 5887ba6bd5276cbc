import { describe, expect, it } from "vitest";
import { compileFilters } from "../../src/services/core/filters.js";

describe("Describe filters", () => {
  const table = { "vpc-id": (x: { vpc: string }) => x.vpc };
  const unknownFilter = (name: string) => new Error(`unknown ${name}`);
  it("names that are Object's own members are unknown filters, not a crash", () => {
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty"])
      expect(() => compileFilters([{ Name: name, Values: ["x"] }], table, { unknownFilter })).toThrow(`unknown ${name}`);
  });
  it("known filters match with wildcards, OR within values, AND across filters", () => {
    const p = compileFilters([{ Name: "vpc-id", Values: ["vpc-1*", "vpc-9"] }], table, { unknownFilter });
    expect([{ vpc: "vpc-123" }, { vpc: "vpc-9" }, { vpc: "vpc-2" }].map(p)).toEqual([true, true, false]);
  });
});
