/** Walking a list with the SDK's own paginator and checking it paginates the AWS way. */
import { expect } from "vitest";

export interface WalkCheck<P> {
  /** The SDK paginator, e.g. paginateListRoles({ client, pageSize: 2 }, input). */
  pages: AsyncIterable<P>;
  /** The page's result list (several result keys: concatenate them). */
  items: (p: P) => readonly unknown[] | undefined;
  /** The identity of one item. */
  key: (item: never) => string;
  /** The page's output token. */
  token: (p: P) => string | undefined;
  /** The page size asked for (the limit key). */
  pageSize: number;
  /** Every item's key, exactly once; in this order when `ordered`. */
  expected: readonly string[];
  ordered?: boolean;
  /** IsTruncated-style flag, when the operation has one. */
  truncated?: (p: P) => boolean | undefined;
}

export interface WalkResult<P> {
  pages: P[];
  keys: string[];
}

/**
 * Walk every page and assert: each item exactly once (in order when asked), ceil(N/pageSize) pages (one
 * when empty), no page longer than pageSize, a token on every page but the last and none on the last.
 */
export async function expectWalk<P>(c: WalkCheck<P>): Promise<WalkResult<P>> {
  const pages: P[] = [];
  for await (const p of c.pages) {
    pages.push(p);
    if (pages.length > c.expected.length + 3) throw new Error(`paginator did not stop after ${pages.length} pages`);
  }
  const keyOf = c.key as (item: unknown) => string;
  const keys = pages.flatMap((p) => (c.items(p) ?? []).map(keyOf));
  if (c.ordered) expect(keys).toEqual([...c.expected]);
  else expect([...keys].sort()).toEqual([...c.expected].sort());
  expect(new Set(keys).size, "no item twice").toBe(keys.length);
  expect(pages.length, "pages").toBe(Math.max(1, Math.ceil(c.expected.length / c.pageSize)));
  pages.forEach((p, i) => {
    expect((c.items(p) ?? []).length, `page ${i} size`).toBeLessThanOrEqual(c.pageSize);
    const last = i === pages.length - 1;
    if (last) expect(c.token(p), "last page has no token").toBeFalsy();
    else expect(c.token(p), `page ${i} has a token`).toBeTruthy();
    if (c.truncated) expect(c.truncated(p) ?? false, `page ${i} truncated flag`).toBe(!last);
  });
  return { pages, keys };
}

/** n names with a prefix: pfx-0 .. pfx-(n-1). */
export const names = (prefix: string, n = 5) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/**
 * A paginator for operations the JS SDK ships none for, written the way the SDK's own paginators work:
 * put the page size in the limit key, pass the output token back as the input token, stop when no token
 * comes back (or the same token twice).
 */
export async function* pagesOf<I extends object, O extends object>(
  send: (input: I) => Promise<O>,
  input: I,
  o: { inputToken: keyof I & string; outputToken: keyof O & string; limitKey: keyof I & string; pageSize: number },
): AsyncGenerator<O> {
  let token: string | undefined;
  for (;;) {
    const page = await send({ ...input, [o.limitKey]: o.pageSize, ...(token ? { [o.inputToken]: token } : {}) });
    yield page;
    const next = page[o.outputToken] as string | undefined;
    if (!next || next === token) return;
    token = next;
  }
}
