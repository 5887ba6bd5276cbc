/**
 * The CloudWatch Logs filter-pattern language, compiled once per request into a predicate:
 *  - terms:            ERROR "exact phrase"   (all must appear; case-sensitive)
 *                      -DEBUG                  (must not appear)
 *                      ?ERROR ?WARN            (at least one of the optional terms)
 *  - JSON:             { $.level = "error" && ($.latency > 100 || $.user.id NOT EXISTS) }
 *                      operators = != < > <= >=, IS NULL / IS TRUE / IS FALSE, EXISTS / NOT EXISTS,
 *                      `*` wildcards in string values, array indexes $.a[0]
 *  - space-delimited:  [ip, user, ..., status = 4*, bytes > 1000]   ("…" and […] are single fields)
 *  - regular expression: %ERROR [0-9]+%
 * An empty pattern matches every event.
 */
import { LogsErrors } from "./errors.js";

export type Matcher = (message: string) => boolean;

export function compileFilterPattern(pattern: string | undefined): Matcher {
  const p = (pattern ?? "").trim();
  if (p === "" || p === '""') return () => true;
  try {
    if (p.startsWith("{")) return compileJson(p);
    if (p.startsWith("[")) return compileDelimited(p);
    if (p.length > 1 && p.startsWith("%") && p.endsWith("%")) {
      const re = new RegExp(p.slice(1, -1));
      return (m) => re.test(m);
    }
    return compileTerms(p);
  } catch (e) {
    if ((e as { code?: string }).code === "InvalidParameterException") throw e;
    throw LogsErrors.invalidFilterPattern();
  }
}

const bad = (): never => {
  throw LogsErrors.invalidFilterPattern();
};

// ---------------------------------------------------------------- terms

function compileTerms(p: string): Matcher {
  const required: string[] = [];
  const excluded: string[] = [];
  const optional: string[] = [];
  let i = 0;
  while (i < p.length) {
    while (i < p.length && /\s/.test(p[i]!)) i++;
    if (i >= p.length) break;
    let kind: "req" | "ex" | "opt" = "req";
    if (p[i] === "-" && i + 1 < p.length && !/\s/.test(p[i + 1]!)) (kind = "ex"), i++;
    else if (p[i] === "?") (kind = "opt"), i++;
    let term = "";
    if (p[i] === '"') {
      i++;
      while (i < p.length && p[i] !== '"') {
        if (p[i] === "\\" && i + 1 < p.length) i++;
        term += p[i++];
      }
      if (p[i] !== '"') bad();
      i++;
    } else {
      while (i < p.length && !/\s/.test(p[i]!)) term += p[i++];
    }
    if (term === "") continue;
    (kind === "req" ? required : kind === "ex" ? excluded : optional).push(term);
  }
  return (m) => required.every((t) => m.includes(t)) && !excluded.some((t) => m.includes(t)) && (optional.length === 0 || optional.some((t) => m.includes(t)));
}

// ---------------------------------------------------------------- values and comparisons

type Op = "=" | "!=" | "<" | ">" | "<=" | ">=";
type Literal = { kind: "string"; value: string } | { kind: "number"; value: number };

function wildcardRe(s: string): RegExp {
  return new RegExp(`^${s.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "s");
}

function compare(actual: unknown, op: Op, lit: Literal): boolean {
  if (actual === undefined) return false;
  if (lit.kind === "number") {
    const n = typeof actual === "number" ? actual : typeof actual === "string" && actual.trim() !== "" ? Number(actual) : NaN;
    if (Number.isNaN(n)) return op === "!=";
    switch (op) {
      case "=":
        return n === lit.value;
      case "!=":
        return n !== lit.value;
      case "<":
        return n < lit.value;
      case ">":
        return n > lit.value;
      case "<=":
        return n <= lit.value;
      case ">=":
        return n >= lit.value;
    }
  }
  const s = typeof actual === "string" ? actual : typeof actual === "number" || typeof actual === "boolean" ? String(actual) : undefined;
  if (s === undefined) return op === "!=";
  const eq = lit.value.includes("*") ? wildcardRe(lit.value).test(s) : s === lit.value;
  if (op === "=") return eq;
  if (op === "!=") return !eq;
  return bad();
}

// ---------------------------------------------------------------- a small tokenizer shared by JSON and delimited patterns

interface Tok {
  t: "op" | "str" | "word" | "(" | ")" | "&&" | "||" | ",";
  v: string;
}

function tokenize(src: string, delimited: boolean): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (src.startsWith("&&", i) || src.startsWith("||", i)) {
      out.push({ t: src.startsWith("&&", i) ? "&&" : "||", v: src.slice(i, i + 2) });
      i += 2;
      continue;
    }
    if (c === "(" || c === ")") {
      out.push({ t: c, v: c });
      i++;
      continue;
    }
    if (delimited && c === ",") {
      out.push({ t: ",", v: c });
      i++;
      continue;
    }
    const op = /^(!=|<=|>=|=|<|>)/.exec(src.slice(i));
    if (op) {
      out.push({ t: "op", v: op[1]! });
      i += op[1]!.length;
      continue;
    }
    if (c === '"') {
      let s = "";
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === "\\" && i + 1 < src.length) i++;
        s += src[i++];
      }
      if (src[i] !== '"') bad();
      i++;
      out.push({ t: "str", v: s });
      continue;
    }
    let w = "";
    while (i < src.length && !/[\s()=!<>&|"]/.test(src[i]!) && !(delimited && src[i] === ",")) w += src[i++];
    if (w === "") bad();
    out.push({ t: "word", v: w });
  }
  return out;
}

function literal(tok: Tok | undefined): Literal {
  if (!tok) return bad();
  if (tok.t === "str") return { kind: "string", value: tok.v };
  if (tok.t !== "word") return bad();
  const n = Number(tok.v);
  return tok.v.trim() !== "" && !Number.isNaN(n) ? { kind: "number", value: n } : { kind: "string", value: tok.v };
}

/** Boolean expression over comparisons: the grammar shared by JSON and delimited patterns. */
function parseExpr<T>(toks: Tok[], pos: { i: number }, comparison: () => (ctx: T) => boolean): (ctx: T) => boolean {
  const primary = (): ((ctx: T) => boolean) => {
    if (toks[pos.i]?.t === "(") {
      pos.i++;
      const e = or();
      if (toks[pos.i]?.t !== ")") bad();
      pos.i++;
      return e;
    }
    return comparison();
  };
  const and = () => {
    let l = primary();
    while (toks[pos.i]?.t === "&&") {
      pos.i++;
      const a = l;
      const r = primary();
      l = (c) => a(c) && r(c);
    }
    return l;
  };
  const or = () => {
    let l = and();
    while (toks[pos.i]?.t === "||") {
      pos.i++;
      const a = l;
      const r = and();
      l = (c) => a(c) || r(c);
    }
    return l;
  };
  return or();
}

// ---------------------------------------------------------------- JSON patterns

export const MISSING = Symbol("missing");

export function selectorPath(sel: string): Array<string | number> {
  if (!sel.startsWith("$")) bad();
  const path: Array<string | number> = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]/g;
  let rest = sel.slice(1);
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(rest))) {
    if (m.index !== consumed) bad();
    consumed = re.lastIndex;
    path.push(m[1] !== undefined ? m[1] : Number(m[2]));
  }
  if (consumed !== rest.length) bad();
  rest = "";
  return path;
}

export function select(doc: unknown, path: Array<string | number>): unknown {
  let cur: unknown = doc;
  for (const k of path) {
    if (cur === null || typeof cur !== "object") return MISSING;
    if (typeof k === "number") {
      if (!Array.isArray(cur) || k >= cur.length) return MISSING;
      cur = cur[k];
    } else {
      if (!Object.hasOwn(cur, k)) return MISSING;
      cur = (cur as Record<string, unknown>)[k];
    }
  }
  return cur;
}

function compileJson(p: string): Matcher {
  if (!p.endsWith("}")) bad();
  const toks = tokenize(p.slice(1, -1), false);
  const pos = { i: 0 };
  const comparison = (): ((doc: unknown) => boolean) => {
    const sel = toks[pos.i++];
    if (sel?.t !== "word") return bad();
    const path = selectorPath(sel.v);
    const next = toks[pos.i];
    if (next?.t === "word" && next.v.toUpperCase() === "IS") {
      pos.i++;
      const what = toks[pos.i++]?.v.toUpperCase();
      if (what === "NULL") return (d) => select(d, path) === null;
      if (what === "TRUE") return (d) => select(d, path) === true;
      if (what === "FALSE") return (d) => select(d, path) === false;
      return bad();
    }
    if (next?.t === "word" && next.v.toUpperCase() === "NOT" && toks[pos.i + 1]?.v.toUpperCase() === "EXISTS") {
      pos.i += 2;
      return (d) => select(d, path) === MISSING;
    }
    if (next?.t === "word" && next.v.toUpperCase() === "EXISTS") {
      pos.i++;
      return (d) => select(d, path) !== MISSING;
    }
    if (next?.t !== "op") return bad();
    pos.i++;
    const lit = literal(toks[pos.i++]);
    const op = next.v as Op;
    return (d) => {
      const v = select(d, path);
      return v !== MISSING && compare(v, op, lit);
    };
  };
  const pred = parseExpr<unknown>(toks, pos, comparison);
  if (pos.i !== toks.length) bad();
  return (m) => {
    const t = m.trimStart();
    if (!t.startsWith("{") && !t.startsWith("[")) return false;
    let doc: unknown;
    try {
      doc = JSON.parse(m);
    } catch {
      return false;
    }
    return pred(doc);
  };
}

// ---------------------------------------------------------------- space-delimited patterns

/** Split a log line into fields: whitespace separated; "quoted" and [bracketed] runs are one field. */
export function splitFields(m: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < m.length) {
    while (i < m.length && /\s/.test(m[i]!)) i++;
    if (i >= m.length) break;
    const open = m[i];
    if (open === '"' || open === "[") {
      const close = open === '"' ? '"' : "]";
      const end = m.indexOf(close, i + 1);
      if (end > 0) {
        out.push(m.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    }
    let w = "";
    while (i < m.length && !/\s/.test(m[i]!)) w += m[i++];
    out.push(w);
  }
  return out;
}

function compileDelimited(p: string): Matcher {
  const bindFields = compileDelimitedBinder(p);
  return (m) => bindFields(m) !== undefined;
}

/** A space-delimited pattern as a function from a message to its named fields (undefined: no match). */
export function compileDelimitedBinder(p: string): (m: string) => Map<string, string> | undefined {
  if (!p.endsWith("]")) bad();
  const toks = tokenize(p.slice(1, -1), true);
  // Pattern fields are separated by commas; each is a name (or "...") optionally followed by conditions.
  const names: string[] = [];
  const conds: Array<(fields: Map<string, string>) => boolean> = [];
  const pos = { i: 0 };
  const comparison = (): ((f: Map<string, string>) => boolean) => {
    const name = toks[pos.i++];
    if (name?.t !== "word") return bad();
    const op = toks[pos.i];
    if (op?.t !== "op") return bad();
    pos.i++;
    const lit = literal(toks[pos.i++]);
    return (f) => compare(f.get(name.v), op.v as Op, lit);
  };
  while (pos.i < toks.length) {
    const name = toks[pos.i];
    if (name?.t !== "word") bad();
    names.push(name!.v);
    if (toks[pos.i + 1]?.t === "op" || toks[pos.i + 1]?.t === "&&" || toks[pos.i + 1]?.t === "||") {
      conds.push(parseExpr<Map<string, string>>(toks, pos, comparison));
    } else pos.i++;
    if (pos.i < toks.length) {
      if (toks[pos.i]?.t !== ",") bad();
      pos.i++;
    }
  }
  return (m) => {
    const fields = splitFields(m);
    const bound = bind(names, 0, fields, 0, new Map());
    return bound !== undefined && conds.every((c) => c(bound)) ? bound : undefined;
  };
}

function bind(names: string[], ni: number, fields: string[], fi: number, acc: Map<string, string>): Map<string, string> | undefined {
  if (ni === names.length) return fi === fields.length ? acc : undefined;
  const n = names[ni]!;
  if (n === "...") {
    for (let k = fi; k <= fields.length; k++) {
      const r = bind(names, ni + 1, fields, k, acc);
      if (r) return r;
    }
    return undefined;
  }
  if (fi >= fields.length) return undefined;
  const next = new Map(acc);
  next.set(n, fields[fi]!);
  return bind(names, ni + 1, fields, fi + 1, next);
}
