/**
 * Logs Insights QL parser: the common subset of the language, as an ordered pipeline of commands.
 *   fields expr [as name], ...        display f, ...          filter <boolean expression>
 *   parse [field] "glob * with *" as a, b  |  parse [field] /(?<a>...)/    stats agg(...) [as n], ... [by expr [as n], ...]
 *   sort expr [asc|desc], ...         limit N                 dedup f, ...
 * Expressions: fields (@timestamp, a.b, `quoted name`), strings, numbers, arithmetic (+ - * / % ^),
 * comparisons (= != < > <= >=), like "text" | like /regex/flags, =~ /regex/, in [..], not, and, or,
 * and scalar functions (FUNCTIONS below). Anything else is a MalformedQueryException.
 */
import { MalformedQuery } from "./errors.js";
import { colOf, lineOf, splitCommands, tokenize, type Tok } from "./lexer.js";

export type Expr =
  | { k: "lit"; v: string | number }
  | { k: "field"; name: string }
  | { k: "call"; fn: string; args: Expr[]; star?: boolean; agg: boolean; id: number }
  | { k: "bin"; op: string; l: Expr; r: Expr }
  | { k: "and" | "or"; l: Expr; r: Expr }
  | { k: "not"; e: Expr }
  | { k: "neg"; e: Expr }
  | { k: "like"; e: Expr; re?: RegExp; sub?: string; negate: boolean }
  | { k: "in"; e: Expr; list: Expr[]; negate: boolean }
  | { k: "regex"; re: RegExp }
  | { k: "period"; ms: number; unit: string; n: number };

export interface Named {
  expr: Expr;
  name: string;
}

export type Command =
  | { k: "fields"; items: Named[] }
  | { k: "display"; items: Named[] }
  | { k: "filter"; expr: Expr }
  | { k: "parse"; source: Expr; re: RegExp; names: string[] }
  | { k: "stats"; aggs: Named[]; by: Named[] }
  | { k: "sort"; keys: Array<{ expr: Expr; desc: boolean }> }
  | { k: "limit"; n: number }
  | { k: "dedup"; names: string[] };

export const AGGREGATES = new Set(["count", "count_distinct", "sum", "avg", "min", "max", "pct", "stddev", "earliest", "latest", "sortsfirst", "sortslast"]);

/** Scalar functions and their arity [min, max]. */
export const FUNCTIONS: Record<string, [number, number]> = {
  ispresent: [1, 1],
  unmask: [1, 1],
  isempty: [1, 1],
  isblank: [1, 1],
  strlen: [1, 1],
  toupper: [1, 1],
  tolower: [1, 1],
  trim: [1, 1],
  ltrim: [1, 1],
  rtrim: [1, 1],
  concat: [1, 100],
  substr: [2, 3],
  replace: [3, 3],
  strcontains: [2, 2],
  abs: [1, 1],
  ceil: [1, 1],
  floor: [1, 1],
  greatest: [1, 100],
  least: [1, 100],
  log: [1, 1],
  sqrt: [1, 1],
  pow: [2, 2],
  exp: [1, 1],
  bin: [1, 1],
  datefloor: [2, 2],
  dateceil: [2, 2],
  frommillis: [1, 1],
  tomillis: [1, 1],
  coalesce: [1, 100],
  isvalidip: [1, 1],
  isvalidipv4: [1, 1],
  isvalidipv6: [1, 1],
  isipinsubnet: [2, 2],
  isipv4insubnet: [2, 2],
  isipv6insubnet: [2, 2],
};

const UNITS: Array<[RegExp, number]> = [
  [/^(ms|msecs?|milliseconds?)$/, 1],
  [/^(s|secs?|seconds?)$/, 1000],
  [/^(m|mins?|minutes?)$/, 60_000],
  [/^(h|hrs?|hours?)$/, 3_600_000],
  [/^(d|days?)$/, 86_400_000],
  [/^(w|weeks?)$/, 7 * 86_400_000],
  [/^(mo|mons?|months?)$/, 30 * 86_400_000],
  [/^(q|qtrs?|quarters?)$/, 91 * 86_400_000],
  [/^(y|yrs?|years?)$/, 365 * 86_400_000],
];

export function parsePeriod(s: string): { ms: number; unit: string; n: number } | undefined {
  const m = /^(\d+)([a-z]+)$/i.exec(s);
  if (!m) return undefined;
  const unit = m[2]!.toLowerCase();
  const u = UNITS.find(([re]) => re.test(unit));
  if (!u) return undefined;
  const n = Number(m[1]);
  return { ms: n * u[1], unit: /^mo|^mon/.test(unit) ? "mo" : /^q/.test(unit) ? "q" : /^y/.test(unit) ? "y" : "", n };
}

class P {
  i = 0;
  ids = 0;
  constructor(
    readonly toks: Tok[],
    readonly query: string,
  ) {}
  peek(o = 0): Tok {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)]!;
  }
  next(): Tok {
    return this.toks[Math.min(this.i++, this.toks.length - 1)]!;
  }
  fail(t: Tok = this.peek()): never {
    const sym = t.kind === "eof" ? "<EOF>" : this.query.slice(t.start, t.end);
    throw new MalformedQuery(
      `unexpected symbol found ${sym} at line ${lineOf(this.query, t.start)} and position ${colOf(this.query, t.start)}`,
      t.start,
      Math.max(t.start, t.end - 1),
    );
  }
  isWord(w: string, o = 0): boolean {
    const t = this.peek(o);
    return t.kind === "ident" && !t.quoted && t.v.toLowerCase() === w;
  }
  isOp(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t.kind === "op" && t.v === v;
  }
  expectOp(v: string): void {
    if (!this.isOp(v)) this.fail();
    this.i++;
  }
  text(from: Tok, to: Tok): string {
    return this.query.slice(from.start, to.end);
  }

  // ------------------------------------------------------------ expressions
  or(): Expr {
    let l = this.and();
    while (this.isWord("or")) {
      this.i++;
      l = { k: "or", l, r: this.and() };
    }
    return l;
  }
  and(): Expr {
    let l = this.not();
    while (this.isWord("and")) {
      this.i++;
      l = { k: "and", l, r: this.not() };
    }
    return l;
  }
  not(): Expr {
    if (this.isWord("not") && !this.isWord("like", 1) && !this.isWord("in", 1)) {
      this.i++;
      return { k: "not", e: this.not() };
    }
    return this.cmp();
  }
  cmp(): Expr {
    const l = this.add();
    const t = this.peek();
    if (t.kind === "op" && ["=", "!=", "<", ">", "<=", ">="].includes(t.v)) {
      this.i++;
      return { k: "bin", op: t.v, l, r: this.add() };
    }
    let negate = false;
    if (this.isWord("not") && (this.isWord("like", 1) || this.isWord("in", 1))) {
      negate = true;
      this.i++;
    }
    if (this.isWord("like") || this.isOp("=~")) {
      const regexOnly = this.isOp("=~");
      this.i++;
      const p = this.next();
      if (p.kind === "regex") return { k: "like", e: l, re: this.regex(p), negate };
      if (p.kind === "string" && !regexOnly) return { k: "like", e: l, sub: p.v, negate };
      this.fail(p);
    }
    if (this.isWord("in")) {
      this.i++;
      this.expectOp("[");
      const list: Expr[] = [];
      if (!this.isOp("]")) {
        list.push(this.add());
        while (this.isOp(",")) {
          this.i++;
          list.push(this.add());
        }
      }
      this.expectOp("]");
      return { k: "in", e: l, list, negate };
    }
    if (negate) this.fail();
    return l;
  }
  add(): Expr {
    let l = this.mul();
    while (this.isOp("+") || this.isOp("-")) {
      const op = this.next().v;
      l = { k: "bin", op, l, r: this.mul() };
    }
    return l;
  }
  mul(): Expr {
    let l = this.unary();
    while (this.isOp("*") || this.isOp("/") || this.isOp("%") || this.isOp("^")) {
      const op = this.next().v;
      l = { k: "bin", op, l, r: this.unary() };
    }
    return l;
  }
  unary(): Expr {
    if (this.isOp("-")) {
      this.i++;
      return { k: "neg", e: this.unary() };
    }
    return this.primary();
  }
  regex(t: Tok): RegExp {
    try {
      let src = t.v;
      let flags = (t.flags ?? "").replace(/[^imsu]/g, "");
      if (src.startsWith("(?i)")) {
        src = src.slice(4);
        if (!flags.includes("i")) flags += "i";
      }
      return new RegExp(src, flags);
    } catch {
      return this.fail(t);
    }
  }
  primary(): Expr {
    const t = this.next();
    if (t.kind === "number") return { k: "lit", v: Number(t.v) };
    if (t.kind === "string") return { k: "lit", v: t.v };
    if (t.kind === "regex") return { k: "regex", re: this.regex(t) };
    if (t.kind === "op" && t.v === "(") {
      const e = this.or();
      this.expectOp(")");
      return e;
    }
    if (t.kind !== "ident") return this.fail(t);
    if (!t.quoted && this.isOp("(")) return this.call(t);
    if (!t.quoted && /^\d/.test(t.v)) {
      const p = parsePeriod(t.v);
      if (!p) this.fail(t);
      return { k: "period", ...p! };
    }
    if (!t.quoted && ["and", "or", "not", "as", "by", "like", "in"].includes(t.v.toLowerCase())) this.fail(t);
    return { k: "field", name: t.v };
  }
  call(t: Tok): Expr {
    const fn = t.v.toLowerCase();
    const agg = AGGREGATES.has(fn);
    if (!agg && !FUNCTIONS[fn]) this.fail(t);
    this.expectOp("(");
    const args: Expr[] = [];
    let star = false;
    if (this.isOp("*") && this.isOp(")", 1)) {
      if (fn !== "count") this.fail();
      this.i++;
      star = true;
    } else if (!this.isOp(")")) {
      args.push(this.or());
      while (this.isOp(",")) {
        this.i++;
        args.push(this.or());
      }
    }
    this.expectOp(")");
    if (!agg) {
      const [min, max] = FUNCTIONS[fn]!;
      if (args.length < min || args.length > max) this.fail(t);
    } else if (!star && (args.length === 0 || args.length > (fn === "pct" ? 2 : 1)) && !(fn === "count" && args.length === 0)) this.fail(t);
    if (agg && fn === "pct" && args.length !== 2) this.fail(t);
    return { k: "call", fn, args, star: star || (fn === "count" && args.length === 0), agg, id: this.ids++ };
  }
  named(): Named {
    const from = this.peek();
    const expr = this.or();
    const to = this.toks[this.i - 1]!;
    let name = expr.k === "field" ? expr.name : this.text(from, to);
    if (this.isWord("as")) {
      this.i++;
      const n = this.next();
      if (n.kind !== "ident") this.fail(n);
      name = n.v;
    }
    return { expr, name };
  }
  list<T>(item: () => T): T[] {
    const out = [item()];
    while (this.isOp(",")) {
      this.i++;
      out.push(item());
    }
    return out;
  }
  end(): void {
    if (this.peek().kind !== "eof") this.fail();
  }
}

/** The sub-expressions of an expression (every walk over a tree goes through this one switch). */
export function childrenOf(e: Expr): Expr[] {
  switch (e.k) {
    case "call":
      return e.args;
    case "bin":
    case "and":
    case "or":
      return [e.l, e.r];
    case "not":
    case "neg":
    case "like":
      return [e.e];
    case "in":
      return [e.e, ...e.list];
    default:
      return [];
  }
}

const hasAgg = (e: Expr): boolean => (e.k === "call" && e.agg) || childrenOf(e).some(hasAgg);

/** Every field an expression reads. */
const fieldsOf = (e: Expr, out: string[] = []): string[] => {
  if (e.k === "field") out.push(e.name);
  for (const c of childrenOf(e)) fieldsOf(c, out);
  return out;
};

/** Turn a glob ("user=* action=*") into a regex with one capture per `*`. */
function globRegex(glob: string): { re: RegExp; stars: number } {
  const parts = glob.split("*");
  let src = "";
  parts.forEach((p, i) => {
    src += p.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    if (i < parts.length - 1) src += i === parts.length - 2 && parts[parts.length - 1] === "" ? "(.*)" : "(.*?)";
  });
  return { re: new RegExp(src, "s"), stars: parts.length - 1 };
}

export function parseQuery(query: string): Command[] {
  const cmds: Command[] = [];
  for (const { text, offset } of splitCommands(query)) {
    const toks = tokenize(text, offset, query);
    const p = new P(toks, query);
    const head = p.next();
    if (head.kind === "eof") {
      if (text.trim() === "" && cmds.length === 0 && query.trim() === "") continue;
      p.fail(head);
    }
    if (head.kind !== "ident" || head.quoted) p.fail(head);
    const cmd = head.v.toLowerCase();
    switch (cmd) {
      case "fields":
      case "display": {
        const items = p.list(() => p.named());
        if (items.some((n) => hasAgg(n.expr))) p.fail(head);
        cmds.push({ k: cmd, items });
        break;
      }
      case "filter":
        if (p.peek().kind === "eof") p.fail();
        cmds.push({ k: "filter", expr: p.or() });
        break;
      case "parse": {
        let source: Expr = { k: "field", name: "@message" };
        if (p.peek().kind === "ident") {
          const f = p.next();
          source = { k: "field", name: f.v };
        }
        const pat = p.next();
        if (pat.kind === "regex") {
          const re = p.regex(pat);
          const names = [...pat.v.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]!);
          if (names.length === 0) p.fail(pat);
          cmds.push({ k: "parse", source, re, names });
        } else if (pat.kind === "string") {
          const { re, stars } = globRegex(pat.v);
          if (!p.isWord("as")) p.fail();
          p.i++;
          const names = p.list(() => {
            const n = p.next();
            if (n.kind !== "ident") p.fail(n);
            return n.v;
          });
          if (names.length !== stars) p.fail(pat);
          cmds.push({ k: "parse", source, re, names });
        } else p.fail(pat);
        break;
      }
      case "stats": {
        const aggs = p.list(() => p.named());
        // An item without an aggregate may combine the names of earlier ones (AWS's sample query
        // "... max(@maxMemoryUsed / 1000 / 1000) as maxMemoryUsedMB, provisonedMemoryMB - maxMemoryUsedMB as overProvisionedMB").
        const derived = (a: Named, i: number) => {
          const used = fieldsOf(a.expr);
          return used.length > 0 && used.every((f) => aggs.slice(0, i).some((b) => b.name === f));
        };
        if (aggs.some((a, i) => !hasAgg(a.expr) && !derived(a, i))) p.fail(head);
        let by: Named[] = [];
        if (p.isWord("by")) {
          p.i++;
          by = p.list(() => p.named());
        }
        cmds.push({ k: "stats", aggs, by });
        break;
      }
      case "sort": {
        const keys = p.list(() => {
          const expr = p.add();
          let desc = false;
          if (p.isWord("desc") || p.isWord("asc")) desc = p.next().v.toLowerCase() === "desc";
          return { expr, desc };
        });
        cmds.push({ k: "sort", keys });
        break;
      }
      case "limit": {
        // "limit any N" stops scanning early: the results are in no particular order, as any N matches are.
        if (p.isWord("any")) p.i++;
        const n = p.next();
        if (n.kind !== "number" || !Number.isInteger(Number(n.v)) || Number(n.v) < 1 || Number(n.v) > 100000) p.fail(n);
        cmds.push({ k: "limit", n: Number(n.v) });
        break;
      }
      case "dedup": {
        const names = p.list(() => {
          const n = p.next();
          if (n.kind !== "ident") p.fail(n);
          return n.v;
        });
        cmds.push({ k: "dedup", names });
        break;
      }
      default:
        p.fail(head);
    }
    p.end();
  }
  return cmds;
}
