/**
 * Describe filters once: OR within a filter's values, AND across filters, `*` and `?` wildcards,
 * `tag:Key`, `tag-key`, `tag-value`, and the service's error for an unknown filter name.
 */
export interface Filter {
  Name?: string;
  Values?: string[];
}

/** Filter name → the item's value(s) for it. */
export type FilterTable<T> = Record<string, (item: T) => string | number | boolean | undefined | null | Array<string | number | boolean | undefined | null>>;

export interface FilterOptions<T> {
  /** Tags of an item, for tag:Key / tag-key / tag-value. */
  tags?: (item: T) => Array<{ Key?: string; Value?: string }> | undefined;
  unknownFilter: (name: string) => Error;
}

const reCache = new Map<string, RegExp>();

export function wildcard(pattern: string): RegExp {
  let re = reCache.get(pattern);
  if (!re) {
    const src = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    re = new RegExp(`^${src}$`, "s");
    if (reCache.size > 1000) reCache.clear();
    reCache.set(pattern, re);
  }
  return re;
}

const valueCache = new Map<string, RegExp>();

/**
 * A filter value as a pattern: `*` and `?` wildcards, and a backslash escapes the next character: AWS's example,
 * the value `\*amazon\?\\` is the literal string `*amazon?\`.
 */
export function filterValue(value: string): RegExp {
  let re = valueCache.get(value);
  if (!re) {
    let src = "";
    for (let i = 0; i < value.length; i++) {
      const ch = value[i]!;
      if (ch === "\\" && i + 1 < value.length) src += value[++i]!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      else if (ch === "*") src += ".*";
      else if (ch === "?") src += ".";
      else src += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
    re = new RegExp(`^${src}$`, "s");
    if (valueCache.size > 1000) valueCache.clear();
    valueCache.set(value, re);
  }
  return re;
}

function matches(value: unknown, patterns: RegExp[]): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.some((v) => matches(v, patterns));
  const s = String(value);
  return patterns.some((p) => p.test(s));
}

/** Compile filters once into a predicate (throws the unknown-filter error up front). */
export function compileFilters<T>(filters: Filter[] | undefined, table: FilterTable<T>, o: FilterOptions<T>): (item: T) => boolean {
  if (!filters || filters.length === 0) return () => true;
  const preds: Array<(item: T) => boolean> = [];
  for (const f of filters) {
    const name = f.Name ?? "";
    const pats = (f.Values ?? []).map(filterValue);
    if (name.startsWith("tag:") && o.tags) {
      const key = name.slice(4);
      preds.push((it) =>
        matches(
          (o.tags!(it) ?? []).filter((t) => t.Key === key).map((t) => t.Value ?? ""),
          pats,
        ),
      );
    } else if (name === "tag-key" && o.tags) {
      preds.push((it) =>
        matches(
          (o.tags!(it) ?? []).map((t) => t.Key),
          pats,
        ),
      );
    } else if (name === "tag-value" && o.tags) {
      preds.push((it) =>
        matches(
          (o.tags!(it) ?? []).map((t) => t.Value),
          pats,
        ),
      );
    } else {
      // Own names only: "__proto__", "constructor" and the like are unknown filters, not Object's members.
      const get = Object.hasOwn(table, name) ? table[name] : undefined;
      if (typeof get !== "function") throw o.unknownFilter(name);
      preds.push((it) => matches(get(it), pats));
    }
  }
  return (item) => preds.every((p) => p(item));
}

export function applyFilters<T>(items: Iterable<T>, filters: Filter[] | undefined, table: FilterTable<T>, o: FilterOptions<T>): T[] {
  const pred = compileFilters(filters, table, o);
  const out: T[] = [];
  for (const it of items) if (pred(it)) out.push(it);
  return out;
}
