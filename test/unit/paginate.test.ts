/** core/paginate: pages by an opaque token that names the next item, whatever the list's order. */
import { describe, expect, it } from "vitest";
import { paginate } from "../../src/services/core/paginate.js";

const bad = () => new Error("bad token");
const walk = (list: () => string[], pageSize: number, between?: (page: number) => void) => {
  const out: string[] = [];
  let nextToken: string | undefined;
  for (let n = 0; n < 50; n++) {
    const p = paginate(list(), { maxResults: pageSize, nextToken, defaultMax: 100, key: (x) => x, invalidToken: bad });
    out.push(...p.items);
    between?.(n);
    if (!p.nextToken) return out;
    nextToken = p.nextToken;
  }
  throw new Error("no end");
};

describe("paginate", () => {
  it("every item once, the last page without a token", () => {
    const items = ["a", "b", "c", "d", "e"];
    expect(walk(() => items, 2)).toEqual(items);
    expect(walk(() => items, 5)).toEqual(items);
    expect(walk(() => [], 2)).toEqual([]);
  });

  it("an item added before the next page in a list not sorted by key: the walk resumes at the named item", () => {
    // Newest first, keys random: an insertion at the front moves every item one place.
    const items = ["q7", "z9", "a1", "m5", "c3", "b2"];
    const seen = walk(
      () => items,
      2,
      (n) => {
        if (n === 0) items.unshift("k0");
      },
    );
    expect(seen).toEqual(["q7", "z9", "a1", "m5", "c3", "b2"]);
  });

  it("the named item removed, in a list sorted by key: the walk resumes at the next key", () => {
    const items = ["a", "b", "c", "d", "e"];
    const seen = walk(
      () => items,
      2,
      (n) => {
        if (n === 0) items.splice(2, 1);
      },
    );
    expect(seen).toEqual(["a", "b", "d", "e"]);
  });

  it("a token it did not issue is refused", () => {
    for (const nextToken of ["garbage", Buffer.from("{}").toString("base64url"), Buffer.from('{"i":"x","k":1}').toString("base64url")]) {
      expect(() => paginate(["a"], { nextToken, defaultMax: 10, key: (x) => x, invalidToken: bad })).toThrow("bad token");
    }
  });
});
