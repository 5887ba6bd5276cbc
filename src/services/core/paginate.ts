/**
 * Pagination once, the AWS way: opaque tokens, each operation's page sizes. The token names the next
 * item by its key (and position as a hint), so items added or removed between pages are neither
 * skipped nor repeated when the list is sorted by that key.
 */
export interface PageOptions<T> {
  maxResults?: number;
  nextToken?: string;
  /** Page size when maxResults is absent (AWS's default for the operation). */
  defaultMax: number;
  /** The stable key of an item (its id or ARN). */
  key: (item: T) => string;
  /** The error to throw for a token this server did not issue. */
  invalidToken: () => Error;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export function encodeToken(o: unknown): string {
  return Buffer.from(JSON.stringify(o)).toString("base64url");
}

export function decodeToken<T>(token: string): T | undefined {
  try {
    return JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as T;
  } catch {
    return undefined;
  }
}

export function paginate<T>(items: readonly T[], o: PageOptions<T>): Page<T> {
  let start = 0;
  if (o.nextToken !== undefined && o.nextToken !== "") {
    const t = decodeToken<{ i: number; k: string }>(o.nextToken);
    if (!t || typeof t.i !== "number" || typeof t.k !== "string") throw o.invalidToken();
    if (t.i < items.length && o.key(items[t.i]!) === t.k) start = t.i;
    else {
      // The named item moved (items added or removed before it): resume at it wherever it is now; if it is
      // gone, at the first key after it (exact for lists sorted by key, the same answer as before for them).
      let idx = items.findIndex((x) => o.key(x) === t.k);
      if (idx < 0) idx = items.findIndex((x) => o.key(x) >= t.k);
      start = idx < 0 ? items.length : idx;
    }
  }
  const size = o.maxResults && o.maxResults > 0 ? o.maxResults : o.defaultMax;
  const page = items.slice(start, start + size);
  const next = start + size;
  return { items: page, nextToken: next < items.length ? encodeToken({ i: next, k: o.key(items[next]!) }) : undefined };
}
