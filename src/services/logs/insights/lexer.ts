/**
 * Logs Insights QL lexer: a query is commands separated by `|` (outside quotes and regexes), `#` starts
 * a comment to the end of the line. A `/` starts a regular expression only where one is expected (after
 * `like`, `=~`, or as a parse pattern); elsewhere it is division.
 */
import { MalformedQuery } from "./errors.js";

export type TokKind = "ident" | "string" | "number" | "regex" | "op" | "eof";

export interface Tok {
  kind: TokKind;
  /** Identifier / string contents / operator text / regex source. */
  v: string;
  /** Regex flags. */
  flags?: string;
  /** Offsets into the whole query string. */
  start: number;
  end: number;
  /** Backtick-quoted identifier. */
  quoted?: boolean;
}

const OPS = ["!=", "<=", ">=", "=~", "=", "<", ">", "+", "-", "*", "/", "%", "^", "(", ")", ",", "[", "]"];

/** Split a query into commands: [text, offset] pairs. */
export function splitCommands(q: string): Array<{ text: string; offset: number }> {
  const out: Array<{ text: string; offset: number }> = [];
  let start = 0;
  let i = 0;
  let buf = "";
  const push = () => {
    out.push({ text: buf, offset: start });
    buf = "";
  };
  while (i < q.length) {
    const c = q[i]!;
    if (c === "#") {
      while (i < q.length && q[i] !== "\n") {
        buf += " ";
        i++;
      }
      continue;
    }
    if (c === '"' || c === "'" || c === "`") {
      const j = skipQuoted(q, i);
      buf += q.slice(i, j);
      i = j;
      continue;
    }
    if (c === "/" && regexAllowedAfter(buf)) {
      const j = skipRegex(q, i);
      buf += q.slice(i, j);
      i = j;
      continue;
    }
    if (c === "|") {
      push();
      i++;
      start = i;
      continue;
    }
    buf += c;
    i++;
  }
  push();
  return out;
}

function regexAllowedAfter(buf: string): boolean {
  const t = buf.trimEnd();
  return /(\blike|=~|\(|,)$/i.test(t) || /^\s*parse(\s+\S+)?$/i.test(t);
}

function skipQuoted(q: string, i: number): number {
  const quote = q[i]!;
  let j = i + 1;
  while (j < q.length && q[j] !== quote) {
    if (q[j] === "\\" && quote !== "`") j++;
    j++;
  }
  if (j >= q.length) throw new MalformedQuery(`unexpected symbol found ${quote} at line ${lineOf(q, i)} and position ${colOf(q, i)}`, i, q.length);
  return j + 1;
}

function skipRegex(q: string, i: number): number {
  let j = i + 1;
  let cls = false;
  while (j < q.length) {
    const c = q[j]!;
    if (c === "\\") j += 2;
    else if (c === "[") (cls = true), j++;
    else if (c === "]") (cls = false), j++;
    else if (c === "/" && !cls) break;
    else j++;
  }
  if (j >= q.length) throw new MalformedQuery(`unexpected symbol found / at line ${lineOf(q, i)} and position ${colOf(q, i)}`, i, q.length);
  j++;
  while (j < q.length && /[a-z]/i.test(q[j]!)) j++;
  return j;
}

export function lineOf(q: string, off: number): number {
  return q.slice(0, off).split("\n").length;
}
export function colOf(q: string, off: number): number {
  const nl = q.lastIndexOf("\n", off - 1);
  return off - nl;
}

/** Tokenize one command's text; offsets are made absolute with `base`. */
export function tokenize(text: string, base: number, query: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const err = (at: number): never => {
    const sym = text.slice(at).match(/^\S+/)?.[0] ?? text[at] ?? "";
    throw new MalformedQuery(
      `unexpected symbol found ${sym} at line ${lineOf(query, base + at)} and position ${colOf(query, base + at)}`,
      base + at,
      base + at + sym.length - 1,
    );
  };
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '"' || c === "'") {
      let s = "";
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === "\\" && i + 1 < text.length) {
          const n = text[i + 1]!;
          s += n === "n" ? "\n" : n === "t" ? "\t" : n;
          i += 2;
          continue;
        }
        s += text[i++];
      }
      if (i >= text.length) err(start);
      i++;
      toks.push({ kind: "string", v: s, start: base + start, end: base + i });
      continue;
    }
    if (c === "`") {
      const j = text.indexOf("`", i + 1);
      if (j < 0) err(start);
      toks.push({ kind: "ident", v: text.slice(i + 1, j), start: base + start, end: base + j + 1, quoted: true });
      i = j + 1;
      continue;
    }
    if (c === "/" && regexExpected(toks)) {
      let j = i + 1;
      let src = "";
      let cls = false;
      while (j < text.length) {
        const ch = text[j]!;
        if (ch === "\\" && j + 1 < text.length) {
          src += text[j + 1] === "/" ? "/" : ch + text[j + 1];
          j += 2;
          continue;
        }
        if (ch === "[") cls = true;
        else if (ch === "]") cls = false;
        else if (ch === "/" && !cls) break;
        src += ch;
        j++;
      }
      if (j >= text.length) err(start);
      j++;
      let flags = "";
      while (j < text.length && /[a-z]/i.test(text[j]!)) flags += text[j++];
      toks.push({ kind: "regex", v: src, flags, start: base + start, end: base + j });
      i = j;
      continue;
    }
    const num = /^(\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i));
    if (num && !/[A-Za-z_@]/.test(text[i + num[1]!.length] ?? "")) {
      toks.push({ kind: "number", v: num[1]!, start: base + start, end: base + i + num[1]!.length });
      i += num[1]!.length;
      continue;
    }
    const id = /^[A-Za-z0-9_@][A-Za-z0-9_@.]*/.exec(text.slice(i));
    if (id) {
      let name = id[0];
      while (name.endsWith(".")) name = name.slice(0, -1);
      toks.push({ kind: "ident", v: name, start: base + start, end: base + i + name.length });
      i += name.length;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op) {
      toks.push({ kind: "op", v: op, start: base + start, end: base + i + op.length });
      i += op.length;
      continue;
    }
    err(start);
  }
  toks.push({ kind: "eof", v: "", start: base + text.length, end: base + text.length });
  return toks;
}

function regexExpected(toks: Tok[]): boolean {
  const p = toks[toks.length - 1];
  if (!p) return false;
  if (p.kind === "ident" && !p.quoted && /^(like|parse)$/i.test(p.v)) return true;
  if (p.kind === "op" && (p.v === "=~" || p.v === "(" || p.v === ",")) return true;
  // parse <field> /regex/
  const pp = toks[toks.length - 2];
  return toks.length === 2 && pp?.kind === "ident" && /^parse$/i.test(pp.v);
}
