/**
 * Logs Insights execution: events → rows (built-in @fields, JSON fields discovered and flattened as a.b,
 * Lambda REPORT fields), then each command of the pipeline in order. Values stay typed (numbers, strings,
 * times) until the result is rendered: every result value is a string, times as "yyyy-MM-dd HH:mm:ss.SSS".
 */
import { BlockList, isIPv4, isIPv6 } from "node:net";
import { childrenOf, type Command, type Expr, type Named } from "./parser.js";

/** A time (epoch ms): compares and computes as a number, renders as AWS's timestamp text. */
export class TimeVal {
  constructor(readonly ms: number) {}
}

/** The original message of a masked event (data protection), for unmask(); never a result column. */
export const RAW_MESSAGE = "\u0000raw";

export type Value = string | number | boolean | TimeVal | null | undefined;
export type Row = Record<string, Value>;

export interface SourceEvent {
  group: string;
  stream: string;
  timestamp: number;
  ingestionTime: number;
  message: string;
  ptr: string;
}

export interface QueryOutput {
  rows: Array<Array<{ field: string; value: string }>>;
  recordsMatched: number;
}

const MAX_DISCOVERED = 200;

export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

function flatten(v: unknown, prefix: string, out: Row, budget: { n: number }): void {
  if (budget.n <= 0) return;
  if (v !== null && typeof v === "object") {
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
    for (const [k, x] of entries) flatten(x, prefix ? `${prefix}.${k}` : k, out, budget);
    return;
  }
  if (v === null || v === undefined || !prefix) return;
  out[prefix] = v as Value;
  budget.n--;
}

const REPORT = /^REPORT RequestId: (\S+)\s+Duration: ([\d.]+) ms\s+Billed Duration: (\d+) ms\s+Memory Size: (\d+) MB\s+Max Memory Used: (\d+) MB/;

/** The fields of one event as Logs Insights discovers them. */
export function eventRow(e: SourceEvent, accountId: string): Row {
  const row: Row = Object.create(null);
  row["@timestamp"] = new TimeVal(e.timestamp);
  row["@message"] = e.message;
  row["@logStream"] = e.stream;
  row["@log"] = `${accountId}:${e.group}`;
  const t = e.message.trimStart();
  if (t.startsWith("{")) {
    try {
      const doc = JSON.parse(e.message);
      flatten(doc, "", row, { n: MAX_DISCOVERED });
    } catch {
      // not JSON: only the built-in fields
    }
  } else if (t.startsWith("REPORT RequestId:")) {
    const m = REPORT.exec(t);
    if (m) {
      row["@type"] = "REPORT";
      row["@requestId"] = m[1];
      row["@duration"] = Number(m[2]);
      row["@billedDuration"] = Number(m[3]);
      row["@memorySize"] = Number(m[4]) * 1_000_000;
      row["@maxMemoryUsed"] = Number(m[5]) * 1_000_000;
    }
  }
  row["@ingestionTime"] = new TimeVal(e.ingestionTime);
  row["@ptr"] = e.ptr;
  return row;
}

// ---------------------------------------------------------------- values

function num(v: Value): number | undefined {
  if (v instanceof TimeVal) return v.ms;
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string" && v.trim() !== "" && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

function str(v: Value): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof TimeVal) return formatTime(v.ms);
  return String(v);
}

export function render(v: Value): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
  return str(v);
}

const present = (v: Value) => v !== undefined && v !== null;

function compare(a: Value, op: string, b: Value): boolean {
  if (!present(a) || !present(b)) return false;
  const x = num(a);
  const y = num(b);
  if (x !== undefined && y !== undefined) {
    switch (op) {
      case "=":
        return x === y;
      case "!=":
        return x !== y;
      case "<":
        return x < y;
      case ">":
        return x > y;
      case "<=":
        return x <= y;
      default:
        return x >= y;
    }
  }
  const s = str(a)!;
  const t = str(b)!;
  switch (op) {
    case "=":
      return s === t;
    case "!=":
      return s !== t;
    case "<":
      return s < t;
    case ">":
      return s > t;
    case "<=":
      return s <= t;
    default:
      return s >= t;
  }
}

const truthy = (v: Value) => v === true || (typeof v === "number" && v !== 0) || (typeof v === "string" && v !== "" && v !== "false");

function floorTime(ms: number, p: { ms: number; unit: string; n: number }): number {
  if (!p.unit) return Math.floor(ms / p.ms) * p.ms;
  const d = new Date(ms);
  const months = p.unit === "y" ? 12 * p.n : p.unit === "q" ? 3 * p.n : p.n;
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth();
  const floored = Math.floor(total / months) * months;
  return Date.UTC(Math.floor(floored / 12), floored % 12, 1);
}

function periodOf(e: Expr): { ms: number; unit: string; n: number } | undefined {
  return e.k === "period" ? e : undefined;
}

/** Evaluate a scalar expression over a row; `aggs` holds finished aggregate values by call id. */
export function evaluate(e: Expr, row: Row, aggs?: Map<number, Value>): Value {
  switch (e.k) {
    case "lit":
      return e.v;
    case "field":
      return row[e.name];
    case "period":
      return e.ms;
    case "regex":
      return e.re.source;
    case "neg": {
      const n = num(evaluate(e.e, row, aggs));
      return n === undefined ? undefined : -n;
    }
    case "not":
      return !truthy(evaluate(e.e, row, aggs));
    case "and":
      return truthy(evaluate(e.l, row, aggs)) && truthy(evaluate(e.r, row, aggs));
    case "or":
      return truthy(evaluate(e.l, row, aggs)) || truthy(evaluate(e.r, row, aggs));
    case "like": {
      const s = str(evaluate(e.e, row, aggs));
      if (s === undefined) return false;
      const hit = e.re ? (e.re.lastIndex = 0) === 0 && e.re.test(s) : s.includes(e.sub!);
      return e.negate ? !hit : hit;
    }
    case "in": {
      const v = evaluate(e.e, row, aggs);
      if (!present(v)) return false;
      const hit = e.list.some((x) => compare(v, "=", evaluate(x, row, aggs)));
      return e.negate ? !hit : hit;
    }
    case "bin": {
      const l = evaluate(e.l, row, aggs);
      const r = evaluate(e.r, row, aggs);
      if (["=", "!=", "<", ">", "<=", ">="].includes(e.op)) return compare(l, e.op, r);
      const x = num(l);
      const y = num(r);
      if (x === undefined || y === undefined) return undefined;
      const out = e.op === "+" ? x + y : e.op === "-" ? x - y : e.op === "*" ? x * y : e.op === "/" ? x / y : e.op === "%" ? x % y : x ** y;
      if (!Number.isFinite(out)) return undefined;
      return (l instanceof TimeVal || r instanceof TimeVal) && (e.op === "+" || e.op === "-") && !(l instanceof TimeVal && r instanceof TimeVal)
        ? new TimeVal(out)
        : out;
    }
    case "call":
      if (e.agg) return aggs?.get(e.id);
      return callScalar(e.fn, e.args, row, aggs);
  }
}

function callScalar(fn: string, args: Expr[], row: Row, aggs?: Map<number, Value>): Value {
  const a = (i: number) => evaluate(args[i]!, row, aggs);
  const s = (i: number) => str(a(i));
  const n = (i: number) => num(a(i));
  const math = (f: (x: number) => number) => {
    const x = n(0);
    return x === undefined ? undefined : f(x);
  };
  switch (fn) {
    case "ispresent":
      return present(a(0));
    case "unmask":
      return args[0]?.k === "field" && args[0].name === "@message" && row[RAW_MESSAGE] !== undefined ? row[RAW_MESSAGE] : a(0);
    case "isempty": {
      const v = a(0);
      return !present(v) || str(v) === "";
    }
    case "isblank": {
      const v = a(0);
      return !present(v) || str(v)!.trim() === "";
    }
    case "strlen":
      return s(0)?.length;
    case "toupper":
      return s(0)?.toUpperCase();
    case "tolower":
      return s(0)?.toLowerCase();
    case "trim":
      return s(0)?.trim();
    case "ltrim":
      return s(0)?.trimStart();
    case "rtrim":
      return s(0)?.trimEnd();
    case "concat":
      return args.map((_, i) => s(i) ?? "").join("");
    case "substr": {
      const v = s(0);
      const start = n(1) ?? 0;
      const len = args.length > 2 ? n(2) : undefined;
      return v === undefined ? undefined : len === undefined ? v.slice(start) : v.substr(start, len);
    }
    case "replace": {
      const v = s(0);
      const find = s(1);
      return v === undefined || find === undefined ? undefined : v.split(find).join(s(2) ?? "");
    }
    case "strcontains": {
      const v = s(0);
      const sub = s(1);
      return v !== undefined && sub !== undefined && v.includes(sub) ? 1 : 0;
    }
    case "abs":
      return math(Math.abs);
    case "ceil":
      return math(Math.ceil);
    case "floor":
      return math(Math.floor);
    case "log":
      return math(Math.log);
    case "sqrt":
      return math(Math.sqrt);
    case "exp":
      return math(Math.exp);
    case "pow": {
      const x = n(0);
      const y = n(1);
      return x === undefined || y === undefined ? undefined : x ** y;
    }
    case "greatest":
    case "least": {
      const xs = args.map((_, i) => n(i)).filter((x): x is number => x !== undefined);
      return xs.length === 0 ? undefined : fn === "greatest" ? Math.max(...xs) : Math.min(...xs);
    }
    case "bin": {
      const p = periodOf(args[0]!);
      const t = num(row["@timestamp"]);
      return p && t !== undefined ? new TimeVal(floorTime(t, p)) : undefined;
    }
    case "datefloor":
    case "dateceil": {
      const p = periodOf(args[1]!);
      const t = n(0);
      if (!p || t === undefined) return undefined;
      const f = floorTime(t, p);
      return new TimeVal(fn === "datefloor" || f === t ? f : floorTime(t + p.ms, p));
    }
    case "frommillis": {
      const t = n(0);
      return t === undefined ? undefined : new TimeVal(t);
    }
    case "tomillis":
      return n(0);
    case "coalesce":
      for (let i = 0; i < args.length; i++) {
        const v = a(i);
        if (present(v)) return v;
      }
      return undefined;
    case "isvalidip": {
      const v = s(0) ?? "";
      return /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(v) || (/^[0-9a-f:]+$/i.test(v) && v.includes(":"));
    }
    case "isvalidipv4":
      return isIPv4(s(0) ?? "");
    case "isvalidipv6":
      return isIPv6(s(0) ?? "");
    case "isipinsubnet":
      return inSubnet(s(0), s(1), undefined);
    case "isipv4insubnet":
      return inSubnet(s(0), s(1), "ipv4");
    case "isipv6insubnet":
      return inSubnet(s(0), s(1), "ipv6");
    default:
      return undefined;
  }
}

/** isIpInSubnet and its v4/v6 forms: the address is valid (of the family asked) and inside the CIDR subnet. */
function inSubnet(ip: string | undefined, cidr: string | undefined, only: "ipv4" | "ipv6" | undefined): boolean {
  if (ip === undefined || cidr === undefined) return false;
  const family = isIPv4(ip) ? "ipv4" : isIPv6(ip) ? "ipv6" : undefined;
  if (!family || (only && family !== only)) return false;
  const [net, bits, extra] = cidr.split("/");
  const prefix = Number(bits);
  const netFamily = isIPv4(net ?? "") ? "ipv4" : isIPv6(net ?? "") ? "ipv6" : undefined;
  if (extra !== undefined || netFamily !== family || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === "ipv4" ? 32 : 128)) return false;
  const list = new BlockList();
  list.addSubnet(net!, prefix, family);
  return list.check(ip, family);
}

// ---------------------------------------------------------------- natural sort (AWS's documented order)

function chunks(s: string): string[] {
  return s.match(/\d+|\D+/g) ?? [];
}

export function naturalCompare(a: Value, b: Value): number {
  const pa = present(a);
  const pb = present(b);
  if (!pa || !pb) return pa === pb ? 0 : pa ? -1 : 1;
  const x = typeof a === "number" || a instanceof TimeVal ? num(a) : typeof a === "string" && /^\d+(\.\d+)?$/.test(a) ? Number(a) : undefined;
  const y = typeof b === "number" || b instanceof TimeVal ? num(b) : typeof b === "string" && /^\d+(\.\d+)?$/.test(b) ? Number(b) : undefined;
  if (x !== undefined && y !== undefined) return x - y;
  if (x !== undefined) return 1;
  if (y !== undefined) return -1;
  const ca = chunks(str(a)!);
  const cb = chunks(str(b)!);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const p = ca[i]!;
    const q = cb[i]!;
    const dp = /^\d/.test(p);
    const dq = /^\d/.test(q);
    if (dp && dq) {
      if (p.length !== q.length) return p.length - q.length;
      if (p !== q) return p < q ? -1 : 1;
    } else if (p !== q) return p < q ? -1 : 1;
  }
  return ca.length - cb.length;
}

// ---------------------------------------------------------------- aggregation

interface Acc {
  count: number;
  sum: number;
  sumSq: number;
  nums: number[];
  distinct: Set<string>;
  min?: Value;
  max?: Value;
  first?: { t: number; v: Value };
  last?: { t: number; v: Value };
}

function collectAggs(e: Expr, out: Array<Extract<Expr, { k: "call" }>>): void {
  // An aggregate's own arguments are not searched: aggregates do not nest.
  if (e.k === "call" && e.agg) out.push(e);
  else for (const c of childrenOf(e)) collectAggs(c, out);
}

function newAcc(): Acc {
  return { count: 0, sum: 0, sumSq: 0, nums: [], distinct: new Set() };
}

function accumulate(c: Extract<Expr, { k: "call" }>, acc: Acc, row: Row): void {
  if (c.star) {
    acc.count++;
    return;
  }
  const v = evaluate(c.args[0]!, row);
  if (!present(v)) return;
  acc.count++;
  const t = num(row["@timestamp"]) ?? 0;
  switch (c.fn) {
    case "count_distinct":
      acc.distinct.add(str(v)!);
      return;
    case "min":
    case "max": {
      const better = (cur: Value | undefined) =>
        cur === undefined ||
        (num(v) !== undefined && num(cur) !== undefined
          ? c.fn === "min"
            ? num(v)! < num(cur)!
            : num(v)! > num(cur)!
          : c.fn === "min"
            ? naturalCompare(v, cur) < 0
            : naturalCompare(v, cur) > 0);
      if (c.fn === "min" && better(acc.min)) acc.min = v;
      if (c.fn === "max" && better(acc.max)) acc.max = v;
      return;
    }
    case "earliest":
    case "latest":
    case "sortsfirst":
    case "sortslast":
      if (!acc.first || t < acc.first.t) acc.first = { t, v };
      if (!acc.last || t >= acc.last.t) acc.last = { t, v };
      return;
  }
  const x = num(v);
  if (x === undefined) {
    acc.count--;
    return;
  }
  acc.sum += x;
  acc.sumSq += x * x;
  if (c.fn === "pct") acc.nums.push(x);
}

function finish(c: Extract<Expr, { k: "call" }>, acc: Acc): Value {
  switch (c.fn) {
    case "count":
      return acc.count;
    case "count_distinct":
      return acc.distinct.size;
    case "sum":
      return acc.count ? acc.sum : undefined;
    case "avg":
      return acc.count ? acc.sum / acc.count : undefined;
    case "min":
      return acc.min;
    case "max":
      return acc.max;
    case "stddev": {
      if (acc.count < 2) return acc.count ? 0 : undefined;
      const mean = acc.sum / acc.count;
      return Math.sqrt(Math.max(0, (acc.sumSq - acc.count * mean * mean) / (acc.count - 1)));
    }
    case "pct": {
      if (!acc.nums.length) return undefined;
      const p = Number(c.args[1]?.k === "lit" ? c.args[1].v : 50);
      const xs = [...acc.nums].sort((a, b) => a - b);
      const idx = Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1));
      return xs[idx];
    }
    case "earliest":
    case "sortsfirst":
      return acc.first?.v;
    default:
      return acc.last?.v;
  }
}

function stats(rows: Row[], aggs: Named[], by: Named[]): Row[] {
  const calls: Array<Extract<Expr, { k: "call" }>> = [];
  for (const a of aggs) collectAggs(a.expr, calls);
  const groups = new Map<string, { keys: Value[]; accs: Acc[]; sample: Row }>();
  for (const row of rows) {
    const keys = by.map((b) => evaluate(b.expr, row));
    const id = JSON.stringify(keys.map((k) => (k instanceof TimeVal ? `t${k.ms}` : (k ?? null))));
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { keys, accs: calls.map(newAcc), sample: row }));
    calls.forEach((c, i) => accumulate(c, g!.accs[i]!, row));
  }
  if (groups.size === 0 && by.length === 0) groups.set("[]", { keys: [], accs: calls.map(newAcc), sample: Object.create(null) });
  const out: Row[] = [];
  for (const g of groups.values()) {
    const done = new Map<number, Value>();
    calls.forEach((c, i) => done.set(c.id, finish(c, g.accs[i]!)));
    const r: Row = Object.create(null);
    by.forEach((b, i) => (r[b.name] = g.keys[i]));
    // Earlier items' names read their values (a derived item such as "a - b as c").
    for (const a of aggs) r[a.name] = evaluate(a.expr, Object.assign(Object.create(null), g.sample, r), done);
    out.push(r);
  }
  return out;
}

// ---------------------------------------------------------------- the pipeline

export function runQuery(cmds: Command[], rows: Row[], limit: number): QueryOutput {
  let current = rows;
  let columns: string[] | undefined;
  let aggregated = false;
  let matchedFixed: number | undefined;
  let limited: number | undefined;
  for (const c of cmds) {
    switch (c.k) {
      case "filter":
        current = current.filter((r) => truthy(evaluate(c.expr, r)));
        break;
      case "fields":
        for (const r of current) for (const it of c.items) if (!(it.expr.k === "field" && it.expr.name === it.name)) r[it.name] = evaluate(it.expr, r);
        if (!aggregated) columns = [...(columns ?? []), ...c.items.map((i) => i.name).filter((n) => !(columns ?? []).includes(n))];
        break;
      case "display":
        for (const r of current) for (const it of c.items) if (!(it.expr.k === "field" && it.expr.name === it.name)) r[it.name] = evaluate(it.expr, r);
        columns = c.items.map((i) => i.name);
        break;
      case "parse":
        for (const r of current) {
          const src = str(evaluate(c.source, r));
          if (src === undefined) continue;
          const m = c.re.exec(src);
          if (!m) continue;
          c.names.forEach((n, i) => {
            const v = m.groups?.[n] ?? m[i + 1];
            if (v !== undefined) r[n] = v;
          });
        }
        break;
      case "stats":
        if (matchedFixed === undefined) matchedFixed = current.length;
        current = stats(current, c.aggs, c.by);
        columns = [...c.by.map((b) => b.name), ...c.aggs.map((a) => a.name)];
        aggregated = true;
        break;
      case "sort": {
        const keyed = current.map((r) => ({ r, k: c.keys.map((key) => evaluate(key.expr, r)) }));
        keyed.sort((x, y) => {
          for (let i = 0; i < c.keys.length; i++) {
            const a = x.k[i];
            const b = y.k[i];
            if (!present(a) || !present(b)) {
              if (present(a) !== present(b)) return present(a) ? -1 : 1;
              continue;
            }
            const d = naturalCompare(a, b);
            if (d !== 0) return c.keys[i]!.desc ? -d : d;
          }
          return 0;
        });
        current = keyed.map((x) => x.r);
        break;
      }
      case "limit":
        limited = c.n;
        current = current.slice(0, c.n);
        break;
      case "dedup": {
        const seen = new Set<string>();
        current = current.filter((r) => {
          const vals = c.names.map((n) => r[n]);
          if (vals.some((v) => !present(v))) return true;
          const key = JSON.stringify(vals.map((v) => str(v)));
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
        break;
      }
    }
  }
  void limited;
  const recordsMatched = matchedFixed ?? current.length;
  current = current.slice(0, limit);
  const out = current.map((r) => {
    const names = columns ?? Object.keys(r).filter((k) => k !== "@ptr" && k !== "@ingestionTime" && k !== RAW_MESSAGE);
    const fields: Array<{ field: string; value: string }> = [];
    for (const n of names) {
      const v = render(r[n]);
      if (v !== undefined) fields.push({ field: n, value: v });
    }
    if (!aggregated && typeof r["@ptr"] === "string") fields.push({ field: "@ptr", value: r["@ptr"] });
    return fields;
  });
  return { rows: out, recordsMatched };
}
