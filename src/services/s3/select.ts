/**
 * SelectObjectContent (S3 Select) over CSV and JSON objects (uncompressed, GZIP or BZIP2), with the SQL subset
 * S3 Select supports: SELECT * | expressions [AS alias] FROM S3Object [alias] [WHERE ...] [LIMIT n];
 * column references (_1, name, s.name, s."quoted", JSON paths a.b), literals, + - * /, comparisons,
 * AND/OR/NOT, LIKE, IN, BETWEEN, IS [NOT] NULL, CAST(x AS INT|INTEGER|FLOAT|DECIMAL|STRING|BOOL|TIMESTAMP),
 * LOWER/UPPER/CHAR_LENGTH/TRIM/SUBSTRING and COUNT/SUM/AVG/MIN/MAX. The answer is the event stream the SDKs
 * parse (Records, Stats, End). ScanRange selects the records whose first byte lies in the range (uncompressed CSV
 * and JSON LINES). Not supported: Parquet input, nested SELECTs.
 */
import { crc32, gunzipSync } from "node:zlib";
import { bunzip2 } from "./bzip2.js";
import { toBuffer } from "./blobs.js";
import { openAll, requestKey } from "./ssec.js";
import { AwsError } from "../../protocols/aws-error.js";
import { rawResponse, type Ctx } from "../core/types.js";
import { findVersion, getBucket, readXml, s3now } from "./common.js";
import { S3Errors } from "./errors.js";
import { checkArchived } from "./objects.js";
import type { S3Input } from "./route.js";
import { checkReadKey } from "./sse.js";

// ---- SQL ---------------------------------------------------------------------------------------------

type Tok = { t: "num" | "str" | "id" | "qid" | "op" | "kw"; v: string };
const KEYWORDS = new Set([
  "SELECT",
  "FROM",
  "WHERE",
  "LIMIT",
  "AS",
  "AND",
  "OR",
  "NOT",
  "LIKE",
  "IN",
  "IS",
  "NULL",
  "BETWEEN",
  "CAST",
  "TRUE",
  "FALSE",
  "ESCAPE",
]);

const parseError = (message: string) => Object.assign(S3Errors.invalidRequest(message), { code: "ParseUnexpectedToken", name: "ParseUnexpectedToken" });

function tokenize(sql: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let s = "";
      i++;
      for (;;) {
        if (i >= sql.length)
          throw Object.assign(S3Errors.invalidRequest("Unterminated string literal."), { code: "LexerInvalidLiteral", name: "LexerInvalidLiteral" });
        if (sql[i] === "'" && sql[i + 1] === "'") {
          s += "'";
          i += 2;
        } else if (sql[i] === "'") {
          i++;
          break;
        } else s += sql[i++];
      }
      out.push({ t: "str", v: s });
      continue;
    }
    if (c === '"') {
      const j = sql.indexOf('"', i + 1);
      if (j < 0) throw Object.assign(S3Errors.invalidRequest("Unterminated quoted identifier."), { code: "LexerInvalidLiteral", name: "LexerInvalidLiteral" });
      out.push({ t: "qid", v: sql.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    const num = /^\d+(\.\d+)?([eE][-+]?\d+)?/.exec(sql.slice(i));
    if (num) {
      out.push({ t: "num", v: num[0] });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i));
    if (id) {
      const up = id[0].toUpperCase();
      out.push(KEYWORDS.has(up) ? { t: "kw", v: up } : { t: "id", v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = /^(<>|!=|<=|>=|\|\||[=<>+\-*/%(),.[\]])/.exec(sql.slice(i));
    if (op) {
      out.push({ t: "op", v: op[0] });
      i += op[0].length;
      continue;
    }
    throw Object.assign(S3Errors.invalidRequest(`Invalid character at position ${i}.`), { code: "LexerInvalidChar", name: "LexerInvalidChar" });
  }
  return out;
}

type Expr =
  | { k: "lit"; v: unknown }
  | { k: "col"; path: string[] }
  | { k: "star" }
  | { k: "un"; op: string; e: Expr }
  | { k: "bin"; op: string; l: Expr; r: Expr }
  | { k: "call"; fn: string; args: Expr[]; star?: boolean }
  | { k: "cast"; e: Expr; to: string }
  | { k: "like"; e: Expr; pat: Expr; not: boolean }
  | { k: "in"; e: Expr; list: Expr[]; not: boolean }
  | { k: "between"; e: Expr; lo: Expr; hi: Expr; not: boolean }
  | { k: "isnull"; e: Expr; not: boolean };

interface Query {
  items: Array<{ e: Expr; alias?: string }> | "*";
  fromPath: string[];
  alias?: string;
  where?: Expr;
  limit?: number;
}

const AGGREGATES = new Set(["COUNT", "SUM", "AVG", "MIN", "MAX"]);

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}
  private peek(): Tok | undefined {
    return this.toks[this.i];
  }
  private next(): Tok {
    const t = this.toks[this.i++];
    if (!t) throw parseError("Unexpected end of the expression.");
    return t;
  }
  private isKw(v: string): boolean {
    const t = this.peek();
    return t?.t === "kw" && t.v === v;
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t?.t === "op" && t.v === v;
  }
  private expectKw(v: string): void {
    const t = this.next();
    if (t.t !== "kw" || t.v !== v) throw parseError(`Unexpected token ${t.v}; expected ${v}.`);
  }
  private expectOp(v: string): void {
    const t = this.next();
    if (t.t !== "op" || t.v !== v) throw parseError(`Unexpected token ${t.v}; expected ${v}.`);
  }

  query(): Query {
    this.expectKw("SELECT");
    let items: Query["items"];
    if (this.isOp("*")) {
      this.next();
      items = "*";
    } else {
      items = [];
      do {
        if (items.length) this.next();
        const e = this.expr();
        let alias: string | undefined;
        if (this.isKw("AS")) {
          this.next();
          alias = this.next().v;
        } else if (this.peek()?.t === "id" || this.peek()?.t === "qid") alias = this.next().v;
        items.push({ e, alias });
      } while (this.isOp(","));
    }
    this.expectKw("FROM");
    const from = this.next();
    if ((from.t !== "id" && from.t !== "qid") || from.v.toLowerCase() !== "s3object") throw parseError(`Unexpected token ${from.v}; expected S3Object.`);
    // FROM S3Object[*].path[*]: JSON records are unnested along the path.
    const fromPath: string[] = [];
    while (this.isOp("[") || this.isOp(".")) {
      if (this.isOp("[")) {
        this.next();
        const t = this.next();
        if (!(t.t === "op" && t.v === "*") && t.t !== "num") throw parseError(`Unexpected token ${t.v}.`);
        this.expectOp("]");
        fromPath.push(t.t === "num" ? `[${t.v}]` : "[*]");
      } else {
        this.next();
        fromPath.push(this.next().v);
      }
    }
    const q: Query = { items, fromPath };
    if (this.isKw("AS")) this.next();
    if (this.peek()?.t === "id") q.alias = this.next().v;
    if (this.isKw("WHERE")) {
      this.next();
      q.where = this.expr();
    }
    if (this.isKw("LIMIT")) {
      this.next();
      const n = this.next();
      if (n.t !== "num" || !/^\d+$/.test(n.v)) throw parseError(`Unexpected token ${n.v}; expected an integer.`);
      q.limit = Number(n.v);
    }
    if (this.peek()) throw parseError(`Unexpected token ${this.peek()!.v}.`);
    return q;
  }

  expr(): Expr {
    return this.or();
  }
  private or(): Expr {
    let l = this.and();
    while (this.isKw("OR")) {
      this.next();
      l = { k: "bin", op: "OR", l, r: this.and() };
    }
    return l;
  }
  private and(): Expr {
    let l = this.not();
    while (this.isKw("AND")) {
      this.next();
      l = { k: "bin", op: "AND", l, r: this.not() };
    }
    return l;
  }
  private not(): Expr {
    if (this.isKw("NOT")) {
      this.next();
      return { k: "un", op: "NOT", e: this.not() };
    }
    return this.cmp();
  }
  private cmp(): Expr {
    const l = this.add();
    const t = this.peek();
    if (t?.t === "op" && ["=", "!=", "<>", "<", "<=", ">", ">="].includes(t.v)) {
      this.next();
      return { k: "bin", op: t.v === "<>" ? "!=" : t.v, l, r: this.add() };
    }
    let not = false;
    if (this.isKw("NOT")) {
      this.next();
      not = true;
    }
    if (this.isKw("LIKE")) {
      this.next();
      return { k: "like", e: l, pat: this.add(), not };
    }
    if (this.isKw("IN")) {
      this.next();
      this.expectOp("(");
      const list: Expr[] = [this.expr()];
      while (this.isOp(",")) {
        this.next();
        list.push(this.expr());
      }
      this.expectOp(")");
      return { k: "in", e: l, list, not };
    }
    if (this.isKw("BETWEEN")) {
      this.next();
      const lo = this.add();
      this.expectKw("AND");
      return { k: "between", e: l, lo, hi: this.add(), not };
    }
    if (not) throw parseError("Unexpected token NOT.");
    if (this.isKw("IS")) {
      this.next();
      let n = false;
      if (this.isKw("NOT")) {
        this.next();
        n = true;
      }
      this.expectKw("NULL");
      return { k: "isnull", e: l, not: n };
    }
    return l;
  }
  private add(): Expr {
    let l = this.mul();
    while (this.isOp("+") || this.isOp("-") || this.isOp("||")) l = { k: "bin", op: this.next().v, l, r: this.mul() };
    return l;
  }
  private mul(): Expr {
    let l = this.unary();
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) l = { k: "bin", op: this.next().v, l, r: this.unary() };
    return l;
  }
  private unary(): Expr {
    if (this.isOp("-")) {
      this.next();
      return { k: "un", op: "-", e: this.unary() };
    }
    return this.primary();
  }
  private primary(): Expr {
    const t = this.next();
    if (t.t === "num") return { k: "lit", v: Number(t.v) };
    if (t.t === "str") return { k: "lit", v: t.v };
    if (t.t === "kw" && t.v === "NULL") return { k: "lit", v: null };
    if (t.t === "kw" && (t.v === "TRUE" || t.v === "FALSE")) return { k: "lit", v: t.v === "TRUE" };
    if (t.t === "op" && t.v === "(") {
      const e = this.expr();
      this.expectOp(")");
      return e;
    }
    if (t.t === "kw" && t.v === "CAST") {
      this.expectOp("(");
      const e = this.expr();
      this.expectKw("AS");
      const to = this.next().v.toUpperCase();
      if (!["INT", "INTEGER", "FLOAT", "DECIMAL", "NUMERIC", "STRING", "VARCHAR", "BOOL", "BOOLEAN", "TIMESTAMP"].includes(to))
        throw parseError(`Unsupported type ${to} in CAST.`);
      this.expectOp(")");
      return { k: "cast", e, to };
    }
    if (t.t === "id" && this.isOp("(")) {
      this.next();
      const fn = t.v.toUpperCase();
      if (this.isOp("*")) {
        this.next();
        this.expectOp(")");
        if (fn !== "COUNT") throw parseError(`Unexpected token *.`);
        return { k: "call", fn, args: [], star: true };
      }
      const args: Expr[] = [];
      if (!this.isOp(")")) {
        args.push(this.expr());
        while (this.isOp(",")) {
          this.next();
          args.push(this.expr());
        }
      }
      this.expectOp(")");
      if (!AGGREGATES.has(fn) && !["LOWER", "UPPER", "CHAR_LENGTH", "CHARACTER_LENGTH", "TRIM", "SUBSTRING", "COALESCE", "NULLIF", "ABS"].includes(fn))
        throw Object.assign(S3Errors.invalidRequest(`The function ${fn} is not supported.`), { code: "UnsupportedFunction", name: "UnsupportedFunction" });
      return { k: "call", fn, args };
    }
    if (t.t === "id" || t.t === "qid") {
      const path = [t.v];
      while (this.isOp(".") || this.isOp("[")) {
        if (this.isOp(".")) {
          this.next();
          const p = this.next();
          if (p.t === "op" && p.v === "*") {
            path.push("*");
            continue;
          }
          path.push(p.v);
        } else {
          this.next();
          path.push(this.next().v);
          this.expectOp("]");
        }
      }
      return { k: "col", path };
    }
    throw parseError(`Unexpected token ${t.v}.`);
  }
}

// ---- evaluation ----------------------------------------------------------------------------------------

type Row = { kind: "csv"; fields: string[]; names?: Map<string, number> } | { kind: "json"; value: unknown };

function column(row: Row, path: string[], alias: string | undefined): unknown {
  let p = path;
  if (alias !== undefined && p.length > 1 && p[0]!.toLowerCase() === alias.toLowerCase()) p = p.slice(1);
  else if (p.length > 1 && p[0]!.toLowerCase() === "s3object") p = p.slice(1);
  if (row.kind === "csv") {
    const name = p[0]!;
    const m = /^_(\d+)$/.exec(name);
    if (m) return row.fields[Number(m[1]) - 1] ?? null;
    const idx = row.names?.get(name) ?? row.names?.get(name.toLowerCase());
    return idx === undefined ? null : (row.fields[idx] ?? null);
  }
  let v: unknown = row.value;
  for (const seg of p) {
    if (v === null || v === undefined) return null;
    if (Array.isArray(v) && /^\d+$/.test(seg)) v = v[Number(seg)];
    else if (typeof v === "object" && !(v instanceof Decimal)) {
      const o = v as Record<string, unknown>;
      v = seg in o ? o[seg] : Object.entries(o).find(([k]) => k.toLowerCase() === seg.toLowerCase())?.[1];
    } else return null;
  }
  return v === undefined ? null : v;
}

const toNum = (v: unknown): number | null => {
  if (v === null || v === undefined || v === "") return null;
  if (typeof v === "number") return v;
  if (v instanceof Decimal) return v.n;
  if (typeof v === "boolean") return v ? 1 : 0;
  const n = Number(String(v).trim());
  return Number.isNaN(n) ? null : n;
};

function compare(a: unknown, b: unknown): number | null {
  if (a === null || b === null || a === undefined || b === undefined) return null;
  if (typeof a === "number" || typeof b === "number" || a instanceof Decimal || b instanceof Decimal) {
    const x = toNum(a);
    const y = toNum(b);
    if (x === null || y === null) return null;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === "boolean" || typeof b === "boolean") return String(a) === String(b) ? 0 : String(a) < String(b) ? -1 : 1;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function castTo(v: unknown, to: string): unknown {
  if (v === null || v === undefined) return null;
  const castError = () =>
    Object.assign(S3Errors.invalidRequest(`Attempt to convert from one data type to another using CAST failed in the SQL expression.`), {
      code: "CastFailed",
      name: "CastFailed",
    });
  switch (to) {
    case "INT":
    case "INTEGER": {
      const n = toNum(v);
      if (n === null) throw castError();
      return Math.trunc(n);
    }
    case "FLOAT":
    case "DECIMAL":
    case "NUMERIC": {
      const n = toNum(v);
      if (n === null) throw castError();
      return n;
    }
    case "BOOL":
    case "BOOLEAN": {
      const s = String(v).trim().toLowerCase();
      if (s === "true" || s === "1") return true;
      if (s === "false" || s === "0") return false;
      throw castError();
    }
    case "TIMESTAMP": {
      const t = Date.parse(String(v));
      if (Number.isNaN(t)) throw castError();
      return new Date(t).toISOString();
    }
    default:
      return typeof v === "object" && !(v instanceof Decimal) ? toJson(v) : String(v);
  }
}

function likeRegex(pat: string): RegExp {
  let re = "";
  for (const ch of pat) re += ch === "%" ? ".*" : ch === "_" ? "." : ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${re}$`, "s");
}

function evaluate(e: Expr, row: Row, alias: string | undefined): unknown {
  switch (e.k) {
    case "lit":
      return e.v;
    case "star":
      return null;
    case "col":
      return column(row, e.path, alias);
    case "cast":
      return castTo(evaluate(e.e, row, alias), e.to);
    case "un": {
      const v = evaluate(e.e, row, alias);
      if (e.op === "NOT") return v === null ? null : !truthy(v);
      const n = toNum(v);
      return n === null ? null : -n;
    }
    case "bin": {
      if (e.op === "AND") return truthy(evaluate(e.l, row, alias)) && truthy(evaluate(e.r, row, alias));
      if (e.op === "OR") return truthy(evaluate(e.l, row, alias)) || truthy(evaluate(e.r, row, alias));
      const l = evaluate(e.l, row, alias);
      const r = evaluate(e.r, row, alias);
      if (e.op === "||") return l === null || r === null ? null : String(l) + String(r);
      if (["+", "-", "*", "/", "%"].includes(e.op)) {
        const x = toNum(l);
        const y = toNum(r);
        if (x === null || y === null) return null;
        if (e.op === "+") return x + y;
        if (e.op === "-") return x - y;
        if (e.op === "*") return x * y;
        if (y === 0) throw Object.assign(S3Errors.invalidRequest("Division by zero."), { code: "DivisionByZero", name: "DivisionByZero" });
        return e.op === "/" ? (Number.isInteger(x) && Number.isInteger(y) ? Math.trunc(x / y) : x / y) : x % y;
      }
      const c = compare(l, r);
      if (c === null) return null;
      switch (e.op) {
        case "=":
          return c === 0;
        case "!=":
          return c !== 0;
        case "<":
          return c < 0;
        case "<=":
          return c <= 0;
        case ">":
          return c > 0;
        default:
          return c >= 0;
      }
    }
    case "like": {
      const v = evaluate(e.e, row, alias);
      const p = evaluate(e.pat, row, alias);
      if (v === null || p === null) return null;
      return likeRegex(String(p)).test(String(v)) !== e.not;
    }
    case "in": {
      const v = evaluate(e.e, row, alias);
      return e.list.some((x) => compare(v, evaluate(x, row, alias)) === 0) !== e.not;
    }
    case "between": {
      const v = evaluate(e.e, row, alias);
      const lo = compare(v, evaluate(e.lo, row, alias));
      const hi = compare(v, evaluate(e.hi, row, alias));
      if (lo === null || hi === null) return null;
      return (lo >= 0 && hi <= 0) !== e.not;
    }
    case "isnull": {
      const v = evaluate(e.e, row, alias);
      return (v === null || v === undefined || v === "") !== e.not;
    }
    case "call": {
      if (AGGREGATES.has(e.fn)) throw parseError(`Aggregate function ${e.fn} cannot be used here.`);
      const args = e.args.map((a) => evaluate(a, row, alias));
      const s = args[0] === null || args[0] === undefined ? null : String(args[0]);
      switch (e.fn) {
        case "LOWER":
          return s?.toLowerCase() ?? null;
        case "UPPER":
          return s?.toUpperCase() ?? null;
        case "CHAR_LENGTH":
        case "CHARACTER_LENGTH":
          return s === null ? null : [...s].length;
        case "TRIM":
          return s?.trim() ?? null;
        case "ABS": {
          const n = toNum(args[0]);
          return n === null ? null : Math.abs(n);
        }
        case "COALESCE":
          return args.find((a) => a !== null && a !== undefined && a !== "") ?? null;
        case "NULLIF":
          return compare(args[0], args[1]) === 0 ? null : args[0];
        default: {
          if (s === null) return null;
          const start = Math.max(0, (toNum(args[1]) ?? 1) - 1);
          const len = args[2] === undefined ? undefined : (toNum(args[2]) ?? 0);
          return [...s].slice(start, len === undefined ? undefined : start + len).join("");
        }
      }
    }
  }
}

const truthy = (v: unknown) => v === true || (typeof v === "string" && v.toLowerCase() === "true");

function hasAggregate(e: Expr): boolean {
  if (e.k === "call") return AGGREGATES.has(e.fn) || e.args.some(hasAggregate);
  if (e.k === "bin") return hasAggregate(e.l) || hasAggregate(e.r);
  if (e.k === "un" || e.k === "cast") return hasAggregate(e.e);
  return false;
}

// ---- input and output --------------------------------------------------------------------------------

interface CsvIn {
  header: "USE" | "IGNORE" | "NONE";
  recordDelimiter: string;
  fieldDelimiter: string;
  quote: string;
  escape: string;
  comments?: string;
}

function* csvRecords(text: string, o: CsvIn): Generator<string[]> {
  let field = "";
  let fields: string[] = [];
  let quoted = false;
  let i = 0;
  let atStart = true;
  const rd = o.recordDelimiter;
  while (i < text.length) {
    const ch = text[i]!;
    if (atStart && o.comments && text.startsWith(o.comments, i)) {
      const end = text.indexOf(rd, i);
      i = end < 0 ? text.length : end + rd.length;
      continue;
    }
    atStart = false;
    if (quoted) {
      if (ch === o.escape && o.escape !== o.quote && text[i + 1] === o.quote) {
        field += o.quote;
        i += 2;
      } else if (ch === o.quote && text[i + 1] === o.quote) {
        field += o.quote;
        i += 2;
      } else if (ch === o.quote) {
        quoted = false;
        i++;
      } else {
        field += ch;
        i++;
      }
      continue;
    }
    if (ch === o.quote && field === "") {
      quoted = true;
      i++;
    } else if (text.startsWith(o.fieldDelimiter, i)) {
      fields.push(field);
      field = "";
      i += o.fieldDelimiter.length;
    } else if (text.startsWith(rd, i) || (rd === "\n" && ch === "\r" && text[i + 1] === "\n")) {
      fields.push(field);
      yield fields;
      fields = [];
      field = "";
      i += ch === "\r" && rd === "\n" ? 2 : rd.length;
      atStart = true;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== "" || fields.length) {
    fields.push(field);
    yield fields;
  }
}

function* jsonValues(text: string, type: string): Generator<unknown> {
  if (type === "LINES") {
    for (const line of text.split(/\r?\n/)) {
      if (!line.trim()) continue;
      yield parseJson(line);
    }
    return;
  }
  // DOCUMENT: one or more top-level values, concatenated.
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    let depth = 0;
    let inStr = false;
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (inStr) {
        if (c === "\\") i++;
        else if (c === '"') inStr = false;
        continue;
      }
      if (c === '"') inStr = true;
      else if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      } else if (depth === 0 && /\s/.test(c)) break;
    }
    yield parseJson(text.slice(start, i));
  }
}

const invalidJson = () => Object.assign(S3Errors.invalidRequest("The JSON input is not valid."), { code: "InvalidJsonType", name: "InvalidJsonType" });

/**
 * A JSON number written with a decimal point and no exponent. S3 Select reads JSON as Ion, where such a number is a
 * decimal that keeps its digits: 4.0 comes back as 4.0, not 4 (aws-sdk-pandas' test_s3_select reads floats back
 * with their type). It compares and computes as its number.
 */
class Decimal {
  constructor(
    readonly n: number,
    readonly text: string,
  ) {}
  valueOf(): number {
    return this.n;
  }
  toString(): string {
    return this.text;
  }
}

function parseJson(s: string): unknown {
  // Text without a decimal number parses as JSON.parse does; otherwise decimals are kept as written.
  if (!/\d\.\d/.test(s)) {
    try {
      return JSON.parse(s);
    } catch {
      throw invalidJson();
    }
  }
  return parseWithDecimals(s);
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERALS: Array<[string, unknown]> = [
  ["true", true],
  ["false", false],
  ["null", null],
];

/** JSON as JSON.parse reads it, except that a number with a decimal point becomes a Decimal. */
function parseWithDecimals(s: string): unknown {
  let i = 0;
  const fail = (): never => {
    throw invalidJson();
  };
  const ws = () => {
    while (i < s.length && (s[i] === " " || s[i] === "\t" || s[i] === "\n" || s[i] === "\r")) i++;
  };
  const match = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m?.[0]) return undefined;
    i += m[0].length;
    return m[0];
  };
  const str = (): string => JSON.parse(match(STRING) ?? fail()) as string;
  const value = (): unknown => {
    ws();
    const c = s[i];
    if (c === "{") {
      i++;
      const o: Record<string, unknown> = {};
      ws();
      if (s[i] === "}") return (i++, o);
      for (;;) {
        ws();
        const k = str();
        ws();
        if (s[i++] !== ":") fail();
        Object.defineProperty(o, k, { value: value(), enumerable: true, writable: true, configurable: true });
        ws();
        const d = s[i++];
        if (d === "}") return o;
        if (d !== ",") fail();
      }
    }
    if (c === "[") {
      i++;
      const a: unknown[] = [];
      ws();
      if (s[i] === "]") return (i++, a);
      for (;;) {
        a.push(value());
        ws();
        const d = s[i++];
        if (d === "]") return a;
        if (d !== ",") fail();
      }
    }
    if (c === '"') return str();
    const num = match(NUMBER);
    if (num !== undefined) return num.includes(".") && !/[eE]/.test(num) ? new Decimal(Number(num), num) : Number(num);
    for (const [w, v] of LITERALS)
      if (s.startsWith(w, i)) {
        i += w.length;
        return v;
      }
    return fail();
  };
  const v = value();
  ws();
  if (i !== s.length) fail();
  return v;
}

/** JSON text of a value, with Decimals as written (undefined members omitted, undefined items null, as JSON.stringify). */
function toJson(v: unknown): string {
  if (v instanceof Decimal) return v.text;
  if (Array.isArray(v)) return `[${v.map((x) => toJson(x === undefined ? null : x)).join(",")}]`;
  if (v !== null && typeof v === "object")
    return `{${Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "null";
}

interface Out {
  kind: "CSV" | "JSON";
  recordDelimiter: string;
  fieldDelimiter: string;
  quote: string;
  quoteFields: "ASNEEDED" | "ALWAYS";
}

function fmtValue(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object" && !(v instanceof Decimal)) return toJson(v);
  return String(v);
}

function render(record: Array<[string, unknown]>, o: Out): string {
  if (o.kind === "JSON") return toJson(Object.fromEntries(record.map(([k, v]) => [k, v === undefined ? null : v]))) + o.recordDelimiter;
  const cells = record.map(([, v]) => {
    const s = fmtValue(v);
    const needs = o.quoteFields === "ALWAYS" || s.includes(o.fieldDelimiter) || s.includes(o.quote) || s.includes("\n") || s.includes("\r");
    return needs ? o.quote + s.split(o.quote).join(o.quote + o.quote) + o.quote : s;
  });
  return cells.join(o.fieldDelimiter) + o.recordDelimiter;
}

// ---- event stream -------------------------------------------------------------------------------------

function eventMessage(headers: Array<[string, string]>, payload: Buffer): Buffer {
  const hb = Buffer.concat(
    headers.map(([k, v]) => {
      const name = Buffer.from(k);
      const val = Buffer.from(v);
      const h = Buffer.alloc(1 + name.length + 1 + 2 + val.length);
      h.writeUInt8(name.length, 0);
      name.copy(h, 1);
      h.writeUInt8(7, 1 + name.length);
      h.writeUInt16BE(val.length, 2 + name.length);
      val.copy(h, 4 + name.length);
      return h;
    }),
  );
  const total = 12 + hb.length + payload.length + 4;
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(hb.length, 4);
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
  const body = Buffer.concat([prelude, hb, payload]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([body, crc]);
}

const event = (type: string, payload: Buffer, contentType?: string) =>
  eventMessage(
    [[":event-type", type], ...(contentType ? ([[":content-type", contentType]] as Array<[string, string]>) : []), [":message-type", "event"]],
    payload,
  );

/** An error after the stream began: `:message-type` error with its code and message, as the SDKs raise it. */
const errorMessage = (code: string, message: string) =>
  eventMessage(
    [
      [":error-code", code],
      [":error-message", message],
      [":message-type", "error"],
    ],
    Buffer.alloc(0),
  );

// ---- the operation -------------------------------------------------------------------------------------

const str = (v: unknown, dflt: string) => (v === undefined || v === null ? dflt : typeof v === "object" ? "" : String(v));

export async function SelectObjectContent(ctx: Ctx, input: S3Input) {
  const b = getBucket(ctx, input);
  const { doc } = await readXml(input);
  const r = doc.SelectObjectContentRequest;
  if (!r || typeof r !== "object") throw S3Errors.malformedXml();
  const v = findVersion(b, input.key!, input.query.versionId);
  checkReadKey(v.sse, input);
  if (v.storageClass !== "STANDARD") checkArchived(v, s3now(ctx));
  const expression = str(r.Expression, "");
  if (!expression) throw S3Errors.missingRequiredParameter("Expression");
  if (str(r.ExpressionType, "") !== "SQL")
    throw Object.assign(S3Errors.invalidRequest("The ExpressionType is invalid. Only SQL expressions are supported."), {
      code: "InvalidExpressionType",
      name: "InvalidExpressionType",
    });
  const is = r.InputSerialization ?? {};
  const os = r.OutputSerialization ?? {};
  const compression = str(is.CompressionType, "NONE").toUpperCase();
  if (compression !== "NONE" && compression !== "GZIP" && compression !== "BZIP2") throw S3Errors.malformedXml();
  if (is.Parquet !== undefined) throw S3Errors.notImplemented("Parquet input is not implemented by awsim");
  if ((is.CSV === undefined) === (is.JSON === undefined)) throw S3Errors.malformedXml();
  if ((os.CSV === undefined) === (os.JSON === undefined)) throw S3Errors.malformedXml();
  const query = new Parser(tokenize(expression)).query();

  let data = v.sse?.customerMd5
    ? await openAll(v, requestKey(input))
    : v.blob
      ? v.blob.kind === "mem"
        ? v.blob.data
        : await toBuffer(v.blob)
      : Buffer.alloc(0);
  // Stats: BytesScanned counts the object's bytes as stored (compressed), BytesProcessed the uncompressed ones.
  const stored = data.length;
  if (compression !== "NONE") {
    try {
      data = compression === "GZIP" ? gunzipSync(data) : bunzip2(data);
    } catch {
      throw Object.assign(S3Errors.invalidRequest(`${compression} is not applicable to the queried object. Please correct the request and try again.`), {
        code: "InvalidCompressionFormat",
        name: "InvalidCompressionFormat",
      });
    }
  }
  if (r.ScanRange !== undefined) {
    const csvIn = is.CSV !== undefined;
    if (compression !== "NONE" || (!csvIn && str(is.JSON?.Type, "DOCUMENT").toUpperCase() !== "LINES"))
      throw Object.assign(S3Errors.invalidRequest("Scan range queries are not supported on this type of object."), {
        code: "UnsupportedScanRangeInput",
        name: "UnsupportedScanRangeInput",
      });
    const delimiter = csvIn ? str(is.CSV?.RecordDelimiter, "\n") || "\n" : "\n";
    const keepHeader = csvIn && str(is.CSV?.FileHeaderInfo, "NONE").toUpperCase() !== "NONE";
    data = scanRange(data, r.ScanRange, delimiter, keepHeader);
  }
  const text = data.toString("utf8");
  const rows: Row[] = [];
  let headerNames: string[] | undefined;
  if (is.CSV !== undefined) {
    const c = is.CSV || {};
    const opts: CsvIn = {
      header: str(c.FileHeaderInfo, "NONE").toUpperCase() as CsvIn["header"],
      recordDelimiter: str(c.RecordDelimiter, "\n") || "\n",
      fieldDelimiter: str(c.FieldDelimiter, ",") || ",",
      quote: str(c.QuoteCharacter, '"') || '"',
      escape: str(c.QuoteEscapeCharacter, '"') || '"',
      comments: c.Comments === undefined ? undefined : str(c.Comments, "") || undefined,
    };
    if (!["USE", "IGNORE", "NONE"].includes(opts.header)) throw S3Errors.malformedXml();
    let first = true;
    let names: Map<string, number> | undefined;
    for (const fields of csvRecords(text, opts)) {
      if (first && opts.header !== "NONE") {
        first = false;
        if (opts.header === "USE") {
          headerNames = fields;
          names = new Map();
          fields.forEach((n, i) => {
            if (!names!.has(n)) names!.set(n, i);
            if (!names!.has(n.toLowerCase())) names!.set(n.toLowerCase(), i);
          });
        }
        continue;
      }
      first = false;
      rows.push({ kind: "csv", fields, names });
    }
  } else {
    const type = str(is.JSON?.Type, "DOCUMENT").toUpperCase();
    if (type !== "DOCUMENT" && type !== "LINES") throw S3Errors.malformedXml();
    let values = [...jsonValues(text, type)];
    for (const seg of query.fromPath) {
      if (seg === "[*]") values = values.flatMap((x) => (Array.isArray(x) ? x : [x]));
      else if (seg.startsWith("[")) values = values.map((x) => (Array.isArray(x) ? x[Number(seg.slice(1, -1))] : undefined)).filter((x) => x !== undefined);
      else
        values = values
          .map((x) => (x !== null && typeof x === "object" && !Array.isArray(x) ? (x as Record<string, unknown>)[seg] : undefined))
          .filter((x) => x !== undefined);
    }
    for (const value of values) rows.push({ kind: "json", value });
  }
  const oc = os.CSV ?? os.JSON ?? {};
  const out: Out = {
    kind: os.CSV !== undefined ? "CSV" : "JSON",
    recordDelimiter: str(oc.RecordDelimiter, "\n") || "\n",
    fieldDelimiter: str(oc.FieldDelimiter, ",") || ",",
    quote: str(oc.QuoteCharacter, '"') || '"',
    quoteFields: str(oc.QuoteFields, "ASNEEDED").toUpperCase() === "ALWAYS" ? "ALWAYS" : "ASNEEDED",
  };

  const records = run(query, rows, headerNames);
  const chunks: Buffer[] = [];
  let pending = "";
  let returned = 0;
  const flush = () => {
    const buf = Buffer.from(pending);
    returned += buf.length;
    chunks.push(event("Records", buf, "application/octet-stream"));
    pending = "";
  };
  try {
    for (const rec of records) {
      pending += render(rec, out);
      if (pending.length >= 64 * 1024) flush();
    }
  } catch (e) {
    // A record that fails once others were produced (CastFailed on the last row of a large object) arrives as
    // S3 streams it: the records before it, then an error message ending the stream (no Stats, no End).
    if (!(e instanceof AwsError) || (!returned && !pending)) throw e;
    if (pending) flush();
    chunks.push(errorMessage(e.code, e.message));
    return eventStream(Buffer.concat(chunks));
  }
  if (pending) flush();
  const stats = `<?xml version="1.0" encoding="UTF-8"?><Stats xmlns=""><BytesScanned>${compression === "NONE" ? data.length : stored}</BytesScanned><BytesProcessed>${data.length}</BytesProcessed><BytesReturned>${returned}</BytesReturned></Stats>`;
  if (str(r.RequestProgress?.Enabled, "false") === "true") chunks.push(event("Progress", Buffer.from(stats.replace(/Stats/g, "Progress")), "text/xml"));
  chunks.push(event("Stats", Buffer.from(stats), "text/xml"));
  chunks.push(event("End", Buffer.alloc(0)));
  return eventStream(Buffer.concat(chunks));
}

function eventStream(body: Buffer) {
  return rawResponse({ status: 200, headers: { "content-type": "application/octet-stream", "content-length": String(body.length) }, body });
}

/** The records whose first byte lies in [Start, End] (End alone: the last End bytes), the header line kept. */
function scanRange(data: Buffer, range: Record<string, unknown>, delimiter: string, keepHeader: boolean): Buffer {
  const num = (v: unknown) => {
    const t = str(v, "");
    if (!/^\d+$/.test(t)) throw S3Errors.malformedXml();
    return Number(t);
  };
  const hasStart = range?.Start !== undefined;
  const hasEnd = range?.End !== undefined;
  if (!hasStart && !hasEnd) throw S3Errors.malformedXml();
  let start = hasStart ? num(range.Start) : 0;
  let end = hasEnd ? num(range.End) : data.length - 1;
  if (!hasStart && hasEnd) {
    start = Math.max(0, data.length - end);
    end = data.length - 1;
  }
  if (hasStart && hasEnd && start > end)
    throw Object.assign(S3Errors.invalidRequest("The provided ScanRange is invalid."), { code: "InvalidScanRange", name: "InvalidScanRange" });
  const delim = Buffer.from(delimiter);
  const out: Buffer[] = [];
  let pos = 0;
  let index = 0;
  while (pos < data.length) {
    const next = data.indexOf(delim, pos);
    const stop = next < 0 ? data.length : next + delim.length;
    if ((index === 0 && keepHeader) || (pos >= start && pos <= end)) out.push(data.subarray(pos, stop));
    else if (pos > end) break;
    pos = stop;
    index++;
  }
  return Buffer.concat(out);
}

function projectionName(e: Expr, i: number): string {
  if (e.k === "col") {
    const last = e.path[e.path.length - 1]!;
    return last;
  }
  return `_${i + 1}`;
}

function* run(q: Query, rows: Row[], headerNames: string[] | undefined): Generator<Array<[string, unknown]>> {
  // Rows are filtered as they stream (a WHERE that fails on a late row fails after the records before it).
  const keep = (r: Row) => !q.where || truthy(evaluate(q.where, r, q.alias));
  if (q.items !== "*" && q.items.some((it) => hasAggregate(it.e))) {
    const filtered = rows.filter(keep);
    if (q.items.some((it) => !hasAggregate(it.e) && it.e.k !== "lit"))
      throw parseError("Aggregate and non-aggregate expressions cannot be mixed in the SELECT list without GROUP BY.");
    if (q.limit === 0) return;
    yield q.items.map((it, i) => [it.alias ?? `_${i + 1}`, aggregate(it.e, filtered, q.alias)]);
    return;
  }
  let n = 0;
  for (const row of rows) {
    if (q.limit !== undefined && n >= q.limit) return;
    if (!keep(row)) continue;
    n++;
    if (q.items === "*") {
      if (row.kind === "csv") yield row.fields.map((f, i) => [headerNames?.[i] ?? `_${i + 1}`, f]);
      else
        yield row.value !== null && typeof row.value === "object" && !Array.isArray(row.value) && !(row.value instanceof Decimal)
          ? Object.entries(row.value)
          : [["_1", row.value]];
      continue;
    }
    yield q.items.map((it, i) => [it.alias ?? projectionName(it.e, i), evaluate(it.e, row, q.alias)]);
  }
}

function aggregate(e: Expr, rows: Row[], alias: string | undefined): unknown {
  if (e.k === "lit") return e.v;
  if (e.k === "cast") return castTo(aggregate(e.e, rows, alias), e.to);
  if (e.k === "bin") {
    const fake: Row = { kind: "json", value: {} };
    return evaluate({ k: "bin", op: e.op, l: { k: "lit", v: aggregate(e.l, rows, alias) }, r: { k: "lit", v: aggregate(e.r, rows, alias) } }, fake, alias);
  }
  if (e.k !== "call" || !AGGREGATES.has(e.fn)) throw parseError("Aggregate and non-aggregate expressions cannot be mixed.");
  if (e.fn === "COUNT") return e.star ? rows.length : rows.filter((r) => !nullish(evaluate(e.args[0]!, r, alias))).length;
  const values = rows.map((r) => evaluate(e.args[0]!, r, alias)).filter((x) => !nullish(x));
  if (e.fn === "MIN" || e.fn === "MAX") {
    if (!values.length) return null;
    return values.reduce((a, b) => {
      const c = compare(a, b) ?? 0;
      return (e.fn === "MIN" ? c <= 0 : c >= 0) ? a : b;
    });
  }
  const nums = values.map((x) => {
    const n = toNum(x);
    if (n === null)
      throw Object.assign(S3Errors.invalidRequest(`Attempt to convert from one data type to another using CAST failed in the SQL expression.`), {
        code: "CastFailed",
        name: "CastFailed",
      });
    return n;
  });
  if (!nums.length) return null;
  const sum = nums.reduce((a, b) => a + b, 0);
  return e.fn === "SUM" ? sum : sum / nums.length;
}

const nullish = (v: unknown) => v === null || v === undefined || v === "";
