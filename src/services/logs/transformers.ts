/**
 * Log transformers: PutTransformer / GetTransformer / DeleteTransformer store a group's processor list
 * (1–20 processors, the first a parser, one parser of the kind that may appear only once), and
 * TestTransformer runs it over sample messages with a real engine for parseJSON, parseKeyValue, csv,
 * parseVPC, addKeys, deleteKeys, copyValue, moveKeys, renameKeys, lowerCaseString, upperCaseString,
 * trimString, splitString, substituteString, typeConverter and listToMap (keys are dot paths). grok,
 * dateTimeConverter and the other vendor parsers are stored but not run (TestTransformer says so).
 * Ingested events are stored untransformed.
 */
import type { Ctx } from "../core/types.js";
import { state } from "./common.js";
import { LogsErrors } from "./errors.js";
import { groupByIdentifier } from "./policies.js";

type Doc = Record<string, unknown>;
type Processor = Record<string, Record<string, unknown> | undefined>;

const PARSERS = ["parseJSON", "parseKeyValue", "csv", "grok", "parseCloudfront", "parsePostgres", "parseRoute53", "parseToOCSF", "parseVPC", "parseWAF"];
const ONCE = ["grok", "parseCloudfront", "parsePostgres", "parseRoute53", "parseToOCSF", "parseVPC", "parseWAF"];
const NOT_RUN = ["grok", "dateTimeConverter", "parseCloudfront", "parsePostgres", "parseRoute53", "parseToOCSF", "parseWAF"];

function kindOf(p: Processor): string {
  const keys = Object.keys(p ?? {}).filter((k) => p[k] !== undefined && p[k] !== null);
  if (keys.length !== 1) throw LogsErrors.invalidParameter("Each processor must specify exactly one processor type.");
  return keys[0]!;
}

function checkConfig(config: unknown): Processor[] {
  if (!Array.isArray(config) || config.length === 0 || config.length > 20)
    throw LogsErrors.invalidParameter("A transformer must contain between 1 and 20 processors.");
  const kinds = (config as Processor[]).map(kindOf);
  if (!PARSERS.includes(kinds[0]!)) throw LogsErrors.invalidParameter("The first processor of a transformer must be a parser.");
  for (const k of ONCE)
    if (kinds.filter((x) => x === k).length > 1) throw LogsErrors.invalidParameter(`The ${k} processor can appear only once in a transformer.`);
  if (kinds.filter((k) => ONCE.includes(k)).length > 1) throw LogsErrors.invalidParameter("A transformer can contain only one vended-log parser.");
  return config as Processor[];
}

// ---------------------------------------------------------------- dot paths

function get(doc: Doc, path: string): unknown {
  if (Object.hasOwn(doc, path)) return doc[path];
  let cur: unknown = doc;
  for (const k of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Doc)[k];
  }
  return cur;
}

function has(doc: Doc, path: string): boolean {
  return get(doc, path) !== undefined;
}

function set(doc: Doc, path: string, value: unknown, overwrite = true): void {
  if (!overwrite && has(doc, path)) return;
  const parts = path.split(".");
  let cur = doc;
  for (const k of parts.slice(0, -1)) {
    if (cur[k] === null || typeof cur[k] !== "object") cur[k] = {};
    cur = cur[k] as Doc;
  }
  cur[parts[parts.length - 1]!] = value;
}

function del(doc: Doc, path: string): void {
  if (Object.hasOwn(doc, path)) {
    delete doc[path];
    return;
  }
  const parts = path.split(".");
  const parent = get(doc, parts.slice(0, -1).join("."));
  if (parent && typeof parent === "object") delete (parent as Doc)[parts[parts.length - 1]!];
}

// ---------------------------------------------------------------- the engine

const VPC_FIELDS = [
  "version",
  "account_id",
  "interface_id",
  "srcaddr",
  "dstaddr",
  "srcport",
  "dstport",
  "protocol",
  "packets",
  "bytes",
  "start",
  "end",
  "action",
  "log_status",
];

function splitCsv(line: string, delimiter: string, quote: string): string[] {
  const out: string[] = [];
  let cur = "";
  let inQuote = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (inQuote) {
      if (c === quote && line[i + 1] === quote) (cur += quote), i++;
      else if (c === quote) inQuote = false;
      else cur += c;
    } else if (c === quote) inQuote = true;
    else if (line.startsWith(delimiter, i)) {
      out.push(cur);
      cur = "";
      i += delimiter.length - 1;
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Place parsed fields at destination (a key) or at the root, replacing the source message. */
function place(doc: Doc, source: string, destination: unknown, fields: Doc): void {
  if (typeof destination === "string") {
    set(doc, destination, fields);
    return;
  }
  if (source === "@message") del(doc, "@message");
  Object.assign(doc, fields);
}

function step(doc: Doc, kind: string, p: Record<string, unknown>): void {
  const source = typeof p.source === "string" ? p.source : "@message";
  const entries = (Array.isArray(p.entries) ? p.entries : []) as Array<Record<string, unknown>>;
  const withKeys = (Array.isArray(p.withKeys) ? p.withKeys : []) as string[];
  const strings = (f: (s: string) => string) => {
    for (const k of withKeys) {
      const v = get(doc, k);
      if (typeof v === "string") set(doc, k, f(v));
    }
  };
  switch (kind) {
    case "parseJSON": {
      const v = get(doc, source);
      const parsed = typeof v === "string" ? JSON.parse(v) : v;
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not a JSON object");
      place(doc, source, p.destination, parsed as Doc);
      return;
    }
    case "parseKeyValue": {
      const v = String(get(doc, source) ?? "");
      const fd = typeof p.fieldDelimiter === "string" ? p.fieldDelimiter : "&";
      const kvd = typeof p.keyValueDelimiter === "string" ? p.keyValueDelimiter : "=";
      const fields: Doc = {};
      for (const part of v.split(fd)) {
        if (part === "") continue;
        const i = part.indexOf(kvd);
        const key = `${(p.keyPrefix as string | undefined) ?? ""}${i < 0 ? part : part.slice(0, i)}`;
        fields[key] = i < 0 ? ((p.nonMatchValue as string | undefined) ?? "") : part.slice(i + kvd.length);
      }
      place(doc, source, p.destination, fields);
      return;
    }
    case "csv": {
      const v = String(get(doc, source) ?? "");
      const cols = splitCsv(v, typeof p.delimiter === "string" ? p.delimiter : ",", typeof p.quoteCharacter === "string" ? p.quoteCharacter : '"');
      const names = (Array.isArray(p.columns) ? p.columns : cols.map((_, i) => `column_${i + 1}`)) as string[];
      const fields: Doc = {};
      names.forEach((n, i) => {
        if (cols[i] !== undefined) fields[n] = cols[i];
      });
      place(doc, source, p.destination, fields);
      return;
    }
    case "parseVPC": {
      const parts = String(get(doc, source) ?? "")
        .trim()
        .split(/\s+/);
      if (parts.length !== VPC_FIELDS.length) throw new Error("not a VPC flow log");
      place(doc, source, undefined, Object.fromEntries(VPC_FIELDS.map((f, i) => [f, parts[i]])));
      return;
    }
    case "addKeys":
      for (const e of entries) set(doc, String(e.key), e.value, e.overwriteIfExists === true);
      return;
    case "deleteKeys":
      for (const k of withKeys) del(doc, k);
      return;
    case "copyValue":
      for (const e of entries) if (has(doc, String(e.source))) set(doc, String(e.target), get(doc, String(e.source)), e.overwriteIfExists === true);
      return;
    case "moveKeys":
      for (const e of entries) {
        if (!has(doc, String(e.source)) || (has(doc, String(e.target)) && e.overwriteIfExists !== true)) continue;
        const v = get(doc, String(e.source));
        del(doc, String(e.source));
        set(doc, String(e.target), v);
      }
      return;
    case "renameKeys":
      for (const e of entries) {
        if (!has(doc, String(e.key)) || (has(doc, String(e.renameTo)) && e.overwriteIfExists !== true)) continue;
        const v = get(doc, String(e.key));
        del(doc, String(e.key));
        set(doc, String(e.renameTo), v);
      }
      return;
    case "lowerCaseString":
      return strings((s) => s.toLowerCase());
    case "upperCaseString":
      return strings((s) => s.toUpperCase());
    case "trimString":
      return strings((s) => s.trim());
    case "splitString":
      for (const e of entries) {
        const v = get(doc, String(e.source));
        if (typeof v === "string") set(doc, String(e.source), v.split(String(e.delimiter)));
      }
      return;
    case "substituteString":
      for (const e of entries) {
        const v = get(doc, String(e.source));
        if (typeof v === "string") set(doc, String(e.source), v.replace(new RegExp(String(e.from), "g"), String(e.to)));
      }
      return;
    case "typeConverter":
      for (const e of entries) {
        const v = get(doc, String(e.key));
        if (v === undefined) continue;
        const s = String(v);
        const out = e.type === "integer" ? Number.parseInt(s, 10) : e.type === "double" ? Number(s) : e.type === "boolean" ? s.toLowerCase() === "true" : s;
        if (typeof out === "number" && Number.isNaN(out)) continue;
        set(doc, String(e.key), out);
      }
      return;
    case "listToMap": {
      const list = get(doc, String(p.source));
      if (!Array.isArray(list)) return;
      const map: Doc = {};
      for (const item of list as Doc[]) {
        const k = item?.[String(p.key)];
        if (k === undefined) continue;
        const val = typeof p.valueKey === "string" ? item[p.valueKey] : item;
        if (p.flatten === true) {
          if (map[String(k)] === undefined || p.flattenedElement === "last") map[String(k)] = val;
        } else (map[String(k)] = (map[String(k)] as unknown[] | undefined) ?? []), (map[String(k)] as unknown[]).push(val);
      }
      if (typeof p.target === "string") set(doc, p.target, map);
      else Object.assign(doc, map);
      return;
    }
  }
}

export function transform(config: Processor[], message: string): string {
  const doc: Doc = { "@message": message };
  for (const p of config) {
    const kind = kindOf(p);
    try {
      step(doc, kind, p[kind] ?? {});
    } catch {
      if (PARSERS.includes(kind)) return message;
    }
  }
  return JSON.stringify(doc);
}

// ---------------------------------------------------------------- operations

/**
 * A processor as AWS keeps it: a csv processor shows its default delimiter "," and quote character '"' when they were
 * left out (recorded by Terraform's acceptance test TestAccLogsTransformer_csv: `csv {}` reads back with both).
 */
function stored(p: Processor): Processor {
  if (!p.csv) return p;
  return { ...p, csv: { ...p.csv, delimiter: p.csv.delimiter ?? ",", quoteCharacter: p.csv.quoteCharacter ?? '"' } };
}

export function PutTransformer(ctx: Ctx, v: { logGroupIdentifier: string; transformerConfig: Processor[] }) {
  const st = state(ctx);
  const g = groupByIdentifier(st, v.logGroupIdentifier);
  if (g.logGroupClass !== "STANDARD") throw LogsErrors.invalidOperation(`Transformers are not supported for log groups in the ${g.logGroupClass} log class.`);
  const config = checkConfig(v.transformerConfig);
  const now = ctx.now().getTime();
  const prev = st.transformers.get(g.name);
  st.transformers.set(g.name, {
    creationTime: (prev?.creationTime as number | undefined) ?? now,
    lastModifiedTime: now,
    transformerConfig: config.map(stored),
  });
  return {};
}

export function GetTransformer(ctx: Ctx, v: { logGroupIdentifier: string }) {
  const st = state(ctx);
  const g = groupByIdentifier(st, v.logGroupIdentifier);
  const t = st.transformers.get(g.name);
  if (!t) throw LogsErrors.resourceNotFound("The specified transformer does not exist.");
  return {
    logGroupIdentifier: v.logGroupIdentifier,
    creationTime: t.creationTime as number,
    lastModifiedTime: t.lastModifiedTime as number,
    transformerConfig: t.transformerConfig as never,
  };
}

export function DeleteTransformer(ctx: Ctx, v: { logGroupIdentifier: string }) {
  const st = state(ctx);
  const g = groupByIdentifier(st, v.logGroupIdentifier);
  if (!st.transformers.delete(g.name)) throw LogsErrors.resourceNotFound("The specified transformer does not exist.");
  return {};
}

export function TestTransformer(_ctx: Ctx, v: { transformerConfig: Processor[]; logEventMessages: string[] }) {
  const config = checkConfig(v.transformerConfig);
  const unsupported = config.map(kindOf).find((k) => NOT_RUN.includes(k));
  if (unsupported) throw LogsErrors.invalidOperation(`awsim does not run the ${unsupported} processor.`);
  const messages = Array.isArray(v.logEventMessages) ? v.logEventMessages : [];
  return {
    transformedLogs: messages.map((m, i) => ({ eventNumber: i + 1, eventMessage: m, transformedEventMessage: transform(config, String(m)) })),
  };
}
