/** cloneData (ECS answers' snapshot of a task) copies as structuredClone does, sharing nothing with the source. */
import { describe, expect, it } from "vitest";
import { cloneData } from "../../src/services/ecs/common.js";

describe("cloneData", () => {
  it("deep-copies plain data like structuredClone, and falls back to it for the rest", () => {
    const holes = [1, 2, 3];
    delete holes[1];
    const list: [{ x: [number, { y: Date }] }, number[]] = [{ x: [1, { y: new Date(0) }] }, holes];
    const src = {
      a: "s",
      n: 1.5,
      u: undefined,
      nil: null,
      d: new Date(1_700_000_000_000),
      list,
      map: new Map([["k", { v: 1 }]]),
      bytes: new Uint8Array([1, 2]),
      bare: Object.assign(Object.create(null) as object, { z: 1 }),
    };
    const c = cloneData(src);
    expect(c).toStrictEqual(structuredClone(src));
    expect(Object.keys(c)).toEqual(Object.keys(src));
    expect(1 in c.list[1]!).toBe(false);
    expect(c.d).not.toBe(src.d);
    expect(c.list[0]).not.toBe(src.list[0]);
    expect(c.map).not.toBe(src.map);
    expect(c.map.get("k")).toEqual({ v: 1 });
    c.list[0].x[1].y.setTime(5);
    expect(src.list[0].x[1].y.getTime()).toBe(0);
  });

  it("copies cycles and very deep values through structuredClone", () => {
    const a: Record<string, unknown> = { k: 1 };
    a.self = a;
    const c = cloneData(a);
    expect(c.self).toBe(c);
    let deep: unknown = { leaf: 1 };
    for (let i = 0; i < 300; i++) deep = { d: deep };
    expect(cloneData(deep)).toStrictEqual(deep);
  });
});
