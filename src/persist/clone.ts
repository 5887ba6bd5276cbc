/**
 * A deep copy of service state for snapshots. Keeps Map, Set, Date, Buffer/typed arrays, RegExp, arrays,
 * plain objects and class instances (own fields, same prototype), shared references and cycles (each
 * object is copied once). Drops what cannot be copied: functions, timers, promises, weak collections and
 * anything that is an EventEmitter (child processes, sockets, streams, servers). The server itself (the
 * Simulator, its config and runner) is never copied: it becomes a marker that `materialize` turns back
 * into the live server. Files behind values are the caller's business (see `onObject`).
 */
import { EventEmitter } from "node:events";

/** Stands for the server in a snapshot (and survives v8.serialize as a plain object). */
export const SIM_MARKER_KEY = "__awsimRef";
export const isSimMarker = (v: unknown): boolean => typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIM_MARKER_KEY] !== undefined;

/** Returned by `onObject` to say "not mine, copy it generically". */
export const PASS = Symbol("pass");
/** A value the walker dropped (the caller may keep the target's own value for that key). */
export const DROPPED = Symbol("dropped");

export interface CloneOptions {
  /** Objects kept by reference (or swapped for what the map gives). */
  refs: Map<object, unknown>;
  /** A special-case hook: return PASS to copy the object generically. */
  onObject?: (o: Record<string, unknown>, copy: (v: unknown) => unknown) => unknown;
  /** What a sim marker becomes (the live server when restoring; the marker itself when saving). */
  marker?: (m: Record<string, unknown>) => unknown;
  /** Called once for every object the walk copies (--persist checks which record owns what). */
  onVisit?: (o: object) => void;
}

const TIMER_CTORS = new Set(["Timeout", "Immediate"]);

function droppable(o: object): boolean {
  if (o instanceof EventEmitter || o instanceof Promise || o instanceof WeakMap || o instanceof WeakSet || o instanceof WeakRef) return true;
  const name = (o as { constructor?: { name?: string } }).constructor?.name;
  return name !== undefined && TIMER_CTORS.has(name);
}

export function deepClone(value: unknown, opts: CloneOptions): unknown {
  const seen = new Map<object, unknown>();
  const { refs, marker, onObject, onVisit } = opts;
  const plain = (v: Record<string, unknown>, proto: object | null): unknown => {
    if (marker && v[SIM_MARKER_KEY] !== undefined) return marker(v);
    if (onObject) {
      const special = onObject(v, copy);
      if (special !== PASS) {
        seen.set(v, special);
        return special;
      }
    }
    const out = (proto === Object.prototype ? {} : Object.create(proto)) as Record<string, unknown>;
    seen.set(v, out);
    for (const k in v) {
      if (!Object.hasOwn(v, k)) continue;
      const x = v[k];
      if (x === null || typeof x !== "object") {
        if (typeof x !== "function" && typeof x !== "symbol") out[k] = x;
        continue;
      }
      const c = copy(x);
      if (c !== DROPPED) out[k] = c;
    }
    return out;
  };
  const copy = (v: unknown): unknown => {
    if (v === null || typeof v !== "object") return typeof v === "function" || typeof v === "symbol" ? DROPPED : v;
    const hit = seen.get(v);
    if (hit !== undefined) return hit;
    if (refs.size && refs.has(v)) return refs.get(v);
    if (onVisit) onVisit(v);
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto === Object.prototype || proto === null) return plain(v as Record<string, unknown>, proto);
    if (proto === Array.prototype) {
      const a = v as unknown[];
      const out: unknown[] = new Array(a.length);
      seen.set(v, out);
      for (let i = 0; i < a.length; i++) {
        const x = a[i];
        if (x === null || typeof x !== "object") out[i] = typeof x === "function" || typeof x === "symbol" ? undefined : x;
        else {
          const c = copy(x);
          out[i] = c === DROPPED ? undefined : c;
        }
      }
      return out;
    }
    if (proto === Map.prototype) {
      const out = new Map();
      seen.set(v, out);
      for (const [k, x] of v as Map<unknown, unknown>) {
        const c = x === null || typeof x !== "object" ? (typeof x === "function" ? DROPPED : x) : copy(x);
        if (c !== DROPPED) out.set(typeof k === "object" && k !== null ? copy(k) : k, c);
      }
      return out;
    }
    if (proto === Set.prototype) {
      const out = new Set();
      seen.set(v, out);
      for (const x of v as Set<unknown>) {
        const c = copy(x);
        if (c !== DROPPED) out.add(c);
      }
      return out;
    }
    if (proto === Date.prototype) {
      const out = new Date((v as Date).getTime());
      seen.set(v, out);
      return out;
    }
    if (Buffer.isBuffer(v)) {
      const out = Buffer.from(v);
      seen.set(v, out);
      return out;
    }
    if (ArrayBuffer.isView(v)) {
      const out = (v as unknown as { slice(): unknown }).slice();
      seen.set(v, out);
      return out;
    }
    if (v instanceof ArrayBuffer) {
      const out = v.slice(0);
      seen.set(v, out);
      return out;
    }
    if (v instanceof RegExp) {
      const out = new RegExp(v.source, v.flags);
      seen.set(v, out);
      return out;
    }
    if (v instanceof Map || v instanceof Set || Array.isArray(v) || v instanceof Date) {
      // Subclasses: copy as their base kind.
      // (Map's own iterator: a map --persist tracks must not report a copy as a read of every entry.)
      const base = Array.isArray(v)
        ? [...v]
        : v instanceof Map
          ? new Map(Map.prototype.entries.call(v))
          : v instanceof Set
            ? new Set(v)
            : new Date(v.getTime());
      const out = copy(base);
      seen.set(v, out);
      return out;
    }
    if (droppable(v)) return DROPPED;
    return plain(v as Record<string, unknown>, proto);
  };
  return copy(value);
}

/**
 * The same revival as a deepClone with `onObject`/`marker`, done in place on a value nobody else holds (one
 * just read from disk): plain objects `replace` answers for (not PASS) are swapped in their parent's slot,
 * everything else is walked. Cheaper than a copy at start-up.
 */
export function reviveInPlace(value: unknown, replace: (o: Record<string, unknown>) => unknown): unknown {
  const done = new Map<object, unknown>();
  const visit = (v: unknown): unknown => {
    if (v === null || typeof v !== "object") return v;
    const hit = done.get(v);
    if (hit !== undefined) return hit;
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto === Object.prototype || proto === null) {
      const o = v as Record<string, unknown>;
      const r = replace(o);
      if (r !== PASS) {
        done.set(v, r);
        return r;
      }
      done.set(v, v);
      for (const k in o) {
        const x = o[k];
        if (x !== null && typeof x === "object") {
          const y = visit(x);
          if (y !== x) o[k] = y;
        }
      }
      return v;
    }
    done.set(v, v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x !== null && typeof x === "object") {
          const y = visit(x);
          if (y !== x) v[i] = y;
        }
      }
    } else if (v instanceof Map) {
      for (const [k, x] of Map.prototype.entries.call(v) as IterableIterator<[unknown, unknown]>) {
        if (x !== null && typeof x === "object") {
          const y = visit(x);
          if (y !== x) Map.prototype.set.call(v, k, y);
        }
      }
    } else if (v instanceof Set) {
      const swaps: Array<[unknown, unknown]> = [];
      for (const x of v) {
        const y = visit(x);
        if (y !== x) swaps.push([x, y]);
      }
      for (const [x, y] of swaps) {
        v.delete(x);
        v.add(y);
      }
    } else if (!(v instanceof Date) && !ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer) && !(v instanceof RegExp)) {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        const x = o[k];
        if (x !== null && typeof x === "object") {
          const y = visit(x);
          if (y !== x) o[k] = y;
        }
      }
    }
    return v;
  };
  return visit(value);
}
