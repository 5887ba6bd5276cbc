/**
 * Record-level change tracking for --persist: a Map whose prototype is swapped (in place, so every
 * holder of the Map keeps the same object) for TrackedMap reports each key a caller reads or writes
 * (get/set/delete: a value read may be changed in place afterwards) and "all keys" for iteration and
 * clear. The journal writes the current value of each reported key at its next commit, so the cost of
 * a request is the size of the records it touched, not the size of the state.
 */
export const TRACK = Symbol.for("awsim.persist.track");

/** Stands for "every key of this map" (iteration, clear). */
export const ALL_KEYS: unique symbol = Symbol("all keys");

export interface Tag {
  /** The journal's recorder. */
  rec: (tag: Tag, key: unknown) => void;
  /** Which map: "buckets" (S3's bucket map), "objects" (one bucket's object map), "entries" (a top-level map of another service's scope). */
  kind: "buckets" | "objects" | "entries";
  bucket?: string;
  /** entries: service, scope key, field. */
  svc?: string;
  scope?: string;
  field?: string;
}

type Tagged = { [TRACK]?: Tag };

class TrackedMap<K, V> extends Map<K, V> {
  override get(k: K): V | undefined {
    const t = (this as Tagged)[TRACK];
    if (t) t.rec(t, k);
    return super.get(k);
  }
  override set(k: K, v: V): this {
    const t = (this as Tagged)[TRACK];
    if (t) t.rec(t, k);
    return super.set(k, v);
  }
  override delete(k: K): boolean {
    const t = (this as Tagged)[TRACK];
    if (t) t.rec(t, k);
    return super.delete(k);
  }
  override clear(): void {
    const t = (this as Tagged)[TRACK];
    if (t) t.rec(t, ALL_KEYS);
    super.clear();
  }
  override forEach(fn: (v: V, k: K, m: Map<K, V>) => void, thisArg?: unknown): void {
    const t = (this as Tagged)[TRACK];
    if (t) t.rec(t, ALL_KEYS);
    super.forEach(fn, thisArg);
  }
  override values(): MapIterator<V> {
    const t = (this as Tagged)[TRACK];
    if (t) t.rec(t, ALL_KEYS);
    return super.values();
  }
  override entries(): MapIterator<[K, V]> {
    const t = (this as Tagged)[TRACK];
    if (t) t.rec(t, ALL_KEYS);
    return super.entries();
  }
  override [Symbol.iterator](): MapIterator<[K, V]> {
    const t = (this as Tagged)[TRACK];
    if (t) t.rec(t, ALL_KEYS);
    return super.entries();
  }
}

/** The tag of a tracked map (undefined: not tracked, or tracked for another journal). */
export function tagOf(m: Map<unknown, unknown>, rec: Tag["rec"]): Tag | undefined {
  const t = (m as Tagged)[TRACK];
  return t && t.rec === rec ? t : undefined;
}

/** Track `m` from now on (the same Map object: its entries and identity are unchanged). */
export function track(m: Map<unknown, unknown>, tag: Tag): void {
  if (Object.getPrototypeOf(m) === Map.prototype) Object.setPrototypeOf(m, TrackedMap.prototype);
  Object.defineProperty(m, TRACK, { value: tag, writable: true, configurable: true, enumerable: false });
}

/** Plain Map reads that report nothing (the journal's own). */
export const rawGet = <K, V>(m: Map<K, V>, k: K): V | undefined => Map.prototype.get.call(m, k) as V | undefined;
export const rawEntries = <K, V>(m: Map<K, V>): IterableIterator<[K, V]> => Map.prototype.entries.call(m) as IterableIterator<[K, V]>;
