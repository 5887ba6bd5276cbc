/**
 * The ECS cluster query language (memberOf placement constraints, ListContainerInstances filter):
 *   subject operator [argument], combined with and/&&, or/||, not/!, parentheses.
 * Subjects: agentConnected, agentVersion, attribute:<name>, ec2InstanceId, registeredAt, runningTasksCount,
 * task:group. Operators: ==/equals, !=/not_equals, exists, !exists/not_exists, >, >=, <, <=, in, not_in,
 * =~/matches, !~/not_matches (with * and ? wildcards).
 */
import { wildcard } from "../core/filters.js";
import { EcsErrors } from "./errors.js";

/** What an expression can ask about one container instance. */
export interface Subject {
  attribute(name: string): string | undefined;
  field(name: string): string | number | boolean | undefined;
  taskGroups(): Set<string>;
}

type Node = { k: "and" | "or"; a: Node; b: Node } | { k: "not"; a: Node } | { k: "cmp"; subject: string; op: string; args: string[] };

const OPS: Record<string, string> = {
  "==": "==",
  equals: "==",
  "!=": "!=",
  not_equals: "!=",
  exists: "exists",
  not_exists: "!exists",
  ">": ">",
  greater_than: ">",
  ">=": ">=",
  greater_than_equal: ">=",
  "<": "<",
  less_than: "<",
  "<=": "<=",
  less_than_equal: "<=",
  in: "in",
  not_in: "!in",
  "=~": "=~",
  matches: "=~",
  "!~": "!~",
  not_matches: "!~",
};

const invalid = (expr: string) => EcsErrors.invalidParameter(`Invalid expression: ${expr}`);

function tokenize(expr: string): string[] {
  const re = /\s*(\(|\)|\[|\]|,|==|!=|>=|<=|=~|!~|>|<|&&|\|\||!|[^\s()[\],!=<>~&|]+)/y;
  const out: string[] = [];
  let i = 0;
  while (i < expr.length) {
    if (/^\s*$/.test(expr.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(expr);
    if (!m) throw invalid(expr);
    out.push(m[1]!);
    i = re.lastIndex;
  }
  return out;
}

export function parseQuery(expr: string): Node {
  const toks = tokenize(expr);
  let p = 0;
  const peek = () => toks[p]?.toLowerCase();
  const next = () => {
    const t = toks[p++];
    if (t === undefined) throw invalid(expr);
    return t;
  };
  const orExpr = (): Node => {
    let a = andExpr();
    while (peek() === "or" || peek() === "||") {
      p++;
      a = { k: "or", a, b: andExpr() };
    }
    return a;
  };
  const andExpr = (): Node => {
    let a = unary();
    while (peek() === "and" || peek() === "&&") {
      p++;
      a = { k: "and", a, b: unary() };
    }
    return a;
  };
  const unary = (): Node => {
    if (peek() === "not" || peek() === "!") {
      p++;
      return { k: "not", a: unary() };
    }
    if (peek() === "(") {
      p++;
      const n = orExpr();
      if (next() !== ")") throw invalid(expr);
      return n;
    }
    return comparison();
  };
  const comparison = (): Node => {
    const subject = next();
    let raw = next().toLowerCase();
    if (raw === "!" || raw === "not") raw = `not_${next().toLowerCase()}`;
    const op = OPS[raw === "not_in" || raw === "!in" ? "not_in" : raw];
    if (!op) throw invalid(expr);
    if (op === "exists" || op === "!exists") return { k: "cmp", subject, op, args: [] };
    if (op === "in" || op === "!in") {
      const open = next();
      if (open !== "[" && open !== "(") throw invalid(expr);
      const args: string[] = [];
      for (;;) {
        const t = next();
        if (t === "]" || t === ")") break;
        if (t !== ",") args.push(t);
      }
      return { k: "cmp", subject, op, args };
    }
    return { k: "cmp", subject, op, args: [next()] };
  };
  const n = orExpr();
  if (p !== toks.length) throw invalid(expr);
  return n;
}

function values(s: Subject, subject: string): string[] {
  if (subject.startsWith("attribute:")) {
    const v = s.attribute(subject.slice("attribute:".length));
    return v === undefined ? [] : [v];
  }
  if (subject === "task:group") return [...s.taskGroups()];
  const v = s.field(subject);
  return v === undefined ? [] : [String(v)];
}

function compare(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function evaluate(n: Node, s: Subject): boolean {
  switch (n.k) {
    case "and":
      return evaluate(n.a, s) && evaluate(n.b, s);
    case "or":
      return evaluate(n.a, s) || evaluate(n.b, s);
    case "not":
      return !evaluate(n.a, s);
    case "cmp": {
      const vs = values(s, n.subject);
      const arg = n.args[0] ?? "";
      switch (n.op) {
        case "exists":
          return vs.length > 0;
        case "!exists":
          return vs.length === 0;
        case "==":
          return vs.some((v) => v === arg);
        case "!=":
          return !vs.some((v) => v === arg);
        case "in":
          return vs.some((v) => n.args.includes(v));
        case "!in":
          return !vs.some((v) => n.args.includes(v));
        case "=~":
          return vs.some((v) => wildcard(arg).test(v));
        case "!~":
          return !vs.some((v) => wildcard(arg).test(v));
        case ">":
          return vs.some((v) => compare(v, arg) > 0);
        case ">=":
          return vs.some((v) => compare(v, arg) >= 0);
        case "<":
          return vs.some((v) => compare(v, arg) < 0);
        case "<=":
          return vs.some((v) => compare(v, arg) <= 0);
      }
      return false;
    }
  }
}

/** Placement constraints are checked when given: memberOf needs a valid expression. */
export function checkConstraints(list: Array<{ type?: string; expression?: string }> | undefined): void {
  for (const c of list ?? []) {
    // hashicorp/terraform#11471: an expression, even empty, is refused for distinctInstance.
    if (c.type === "distinctInstance" && c.expression !== undefined) throw EcsErrors.invalidParameter("distinctInstance expression should not be specified.");
    if (c.type === "memberOf") {
      if (!c.expression) throw EcsErrors.invalidParameter("An expression is required for a memberOf placement constraint.");
      parseQuery(c.expression);
    }
  }
}
