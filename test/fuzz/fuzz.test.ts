/**
 * Seeded fuzz test: hostile and malformed traffic over raw keep-alive HTTP (not the SDK) across the five
 * protocols, ECR's OCI registry API and raw framing. Requests are generated from the service models (every operation of every
 * service; implemented ones weighted up) and then mutated: wrong types, odd list indices, bad paths,
 * subresources, Range/Content-MD5/checksum/copy-source/tagging headers, aws-chunked framing with wrong
 * lengths, malformed XML with entity bombs and external entities, oversized headers and bodies.
 *
 * Asserted for every answer: no 5xx except 501 NotImplemented, no stack trace or file path in the body, an
 * error in its protocol's envelope. After the run: the server is healthy and the sentinel resources made
 * before it are unchanged.
 *
 * Replay: AWSIM_FUZZ_SEED=<seed> (default below), AWSIM_FUZZ_COUNT=<n>, AWSIM_FUZZ_ONLY=<index>;
 * AWSIM_FUZZ_LOG=error shows the server's log (stacks of 5xx). Each request is generated from
 * (seed, index) alone, so a failure's index reproduces its request.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SERVICES } from "../../src/services/index.js";
import { type AwsimServer, startServer } from "../helpers.js";

const SEED = Number(process.env.AWSIM_FUZZ_SEED ?? 20261129);
const COUNT = Number(process.env.AWSIM_FUZZ_COUNT ?? 20_000);
const ONLY = process.env.AWSIM_FUZZ_ONLY === undefined ? undefined : Number(process.env.AWSIM_FUZZ_ONLY);
const CONCURRENCY = Number(process.env.AWSIM_FUZZ_CONCURRENCY ?? 16);

/**
 * Known-open findings in code owned elsewhere, to be emptied as they are fixed: each entry matches a
 * failing request/answer and says why it is tolerated for now. Never add a finding of the framework here.
 */
const KNOWN_OPEN: Array<{ note: string; match: (req: FuzzRequest, res: FuzzResponse) => boolean }> = [];

/**
 * Query/EC2 members named `__proto__` once set Object.prototype for the whole process (fixed by the
 * model-driven decoder's null-prototype trees). Set to true again only to quarantine a regression: the
 * main run then stops sending that vector (it would poison every later answer) and its own test is skipped.
 */
const KNOWN_OPEN_QUERY_PROTO_POLLUTION = false;

// ---------------------------------------------------------------------------------------------- random

type Rng = () => number;
function mulberry32(a: number): Rng {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rngFor = (seed: number, index: number) => mulberry32((Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);

class R {
  /** Valid mode: values that pass the model's constraints, so requests reach the handlers' behaviour. */
  valid = false;
  constructor(readonly next: Rng) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)]!;
  }
}

// ---------------------------------------------------------------------------------------------- models

interface Member {
  shape: string;
  location?: string;
  locationName?: string;
  queryName?: string;
  streaming?: boolean;
  xmlNamespace?: unknown;
}
interface Shape {
  type: string;
  members?: Record<string, Member>;
  member?: Member;
  key?: Member;
  value?: Member;
  enum?: string[];
  required?: string[];
  payload?: string;
  flattened?: boolean;
  locationName?: string;
  min?: number;
  max?: number;
}
interface Operation {
  name: string;
  http?: { method: string; requestUri: string };
  input?: { shape: string; locationName?: string };
}
interface Model {
  metadata: { protocol: string; targetPrefix?: string; jsonVersion?: string; apiVersion: string; signingName?: string; endpointPrefix?: string };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

const MODELS_DIR = new URL("../../models/", import.meta.url);
interface Svc {
  name: string;
  protocol: string;
  model: Model;
  ops: string[];
  implemented: string[];
}

// ---------------------------------------------------------------------------------------------- values

const NAMES = ["fz-a", "fz-b", "fz-bkt-1", "fz-bkt-2", "fz-c.d", "FZ_E", "fz-1", "x", "-", "a".repeat(300), "default", "fz%2Fslash", "😀", "a b", "..", "."];
const ARNS = [
  "arn:aws:ecs:us-east-1:000000000000:cluster/fz-a",
  "arn:aws:iam::000000000000:role/fz-a",
  "arn:aws:lambda:us-east-1:000000000000:function:fz-a",
  "arn:aws:s3:::fz-bkt-1",
  "arn:aws:logs:us-east-1:000000000000:log-group:fz-a",
  "arn:aws:ecs:us-east-1:000000000000:task-definition/fz-a:1",
  "arn:",
  "arn:aws:ecs:zz:1:x/y/z",
];
const JUNK_STRINGS = [
  "",
  " ",
  "\u0000",
  "%",
  "%zz",
  "%E0%A4%A",
  "../../etc/passwd",
  "${jndi:ldap://x}",
  "<x>&amp;</x>",
  "&#34;&#x22;&quot;",
  "'\"`",
  "\ud800",
  "9".repeat(40),
  "-1",
  "1e400",
  "NaN",
  "true",
  "null",
  "2026-13-45T99:99:99Z",
  "__proto__",
  "constructor",
  "toString",
  "*",
  "?",
  "a=b&c=d",
  "=",
  "\r\n",
];
const JUNK_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  2 ** 53 + 2,
  -(2 ** 63),
  1e308,
  "",
  [],
  {},
  [[]],
  { __proto__: { x: 1 } },
  { constructor: 1 },
  "x".repeat(5000),
];

const VALID_NAMES = ["fz-a", "fz-b", "fz-1", "fz-bkt-1", "fzc", "fz_d", "fz-a:1", "/fz/", "10.0.0.0/16", "1", "fz.a"];
const patterns = new Map<string, RegExp | null>();
function patternOf(shape: Shape & { pattern?: string }): RegExp | null {
  if (!shape.pattern) return null;
  let re = patterns.get(shape.pattern);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${shape.pattern})$`, "u");
    } catch {
      re = null;
    }
    patterns.set(shape.pattern, re);
  }
  return re;
}

/** A string the model accepts for this shape (enum, length, pattern), as far as a small pool allows. */
function validStr(r: R, shape: Shape & { pattern?: string }): string {
  if (shape.enum) return r.pick(shape.enum);
  const re = patternOf(shape);
  const fits = (v: string) => v.length >= (shape.min ?? 0) && v.length <= (shape.max ?? 1e9) && (!re || re.test(v));
  const start = r.int(VALID_NAMES.length + ARNS.length);
  const pool = [...VALID_NAMES, ...ARNS];
  for (let i = 0; i < pool.length; i++) {
    const v = pool[(start + i) % pool.length]!;
    if (fits(v)) return v;
  }
  return "fz-a".padEnd(shape.min ?? 0, "a");
}

function str(r: R, shape?: Shape): string {
  if (r.valid && shape) return validStr(r, shape);
  if (shape?.enum && r.chance(0.7)) return r.pick(shape.enum);
  const k = r.int(10);
  if (k < 4) return r.pick(NAMES);
  if (k < 6) return r.pick(ARNS);
  if (k < 8) return r.pick(JUNK_STRINGS);
  if (k < 9) return `fz-${r.int(50)}`;
  return Array.from({ length: r.int(20) }, () => String.fromCharCode(32 + r.int(95))).join("");
}

function gen(m: Model, shapeName: string, r: R, depth: number): unknown {
  const shape = m.shapes[shapeName];
  if (!shape) return str(r);
  if (r.valid) return genValid(m, shape, r, depth);
  if (r.chance(0.06)) return r.pick(JUNK_VALUES);
  switch (shape.type) {
    case "structure": {
      if (depth > 5) return {};
      const out: Record<string, unknown> = {};
      const members = Object.keys(shape.members ?? {});
      for (const name of shape.required ?? []) if (shape.members?.[name] && r.chance(0.9)) out[name] = gen(m, shape.members[name]!.shape, r, depth + 1);
      // A few optional members at random (EC2 structures have dozens; all of them would only cost time).
      for (let i = Math.min(members.length, r.int(depth === 0 ? 6 : 3)); i > 0; i--) {
        const name = r.pick(members);
        out[name] = gen(m, shape.members![name]!.shape, r, depth + 1);
      }
      if (r.chance(0.05)) out[r.pick(["unknownMember", "__proto__", "Extra"])] = r.pick(JUNK_VALUES);
      return out;
    }
    case "list": {
      if (depth > 5) return [];
      const n = r.chance(0.05) ? 40 + r.int(80) : r.int(4);
      return Array.from({ length: n }, () => gen(m, shape.member!.shape, r, depth + 1));
    }
    case "map": {
      const out: Record<string, unknown> = {};
      for (let i = r.int(4); i > 0; i--) out[str(r)] = gen(m, shape.value!.shape, r, depth + 1);
      return out;
    }
    case "string":
      return str(r, shape);
    case "integer":
    case "long":
      return r.pick([0, 1, 2, 5, 10, 100, 1000, -1, 2 ** 31, 2 ** 63, 1.5, 1e21]);
    case "float":
    case "double":
      return r.pick([0, 0.5, -1.25, 1e300, 3]);
    case "boolean":
      return r.chance(0.5);
    case "timestamp":
      return r.pick([Date.now() / 1000, 0, -1, 1e13, "2026-01-01T00:00:00Z", "yesterday"]);
    case "blob":
      return r.pick(["aGVsbG8=", "", "!!!notbase64", "AAAA".repeat(100)]);
    default:
      return r.pick(JUNK_VALUES);
  }
}

function genValid(m: Model, shape: Shape, r: R, depth: number): unknown {
  const within = (lo: number, hi: number) => lo + r.int(Math.max(1, Math.min(hi, lo + 20) - lo + 1));
  switch (shape.type) {
    case "structure": {
      const out: Record<string, unknown> = {};
      if (depth > 4) return out;
      for (const name of shape.required ?? []) if (shape.members?.[name]) out[name] = gen(m, shape.members[name]!.shape, r, depth + 1);
      const members = Object.keys(shape.members ?? {});
      for (let i = Math.min(members.length, r.int(depth === 0 ? 4 : 2)); i > 0; i--) {
        const name = r.pick(members);
        out[name] = gen(m, shape.members![name]!.shape, r, depth + 1);
      }
      return out;
    }
    case "list":
      return depth > 4 ? [] : Array.from({ length: within(shape.min ?? 0, Math.min(shape.max ?? 3, 3)) }, () => gen(m, shape.member!.shape, r, depth + 1));
    case "map": {
      const out: Record<string, unknown> = {};
      for (let i = within(shape.min ?? 0, 2); i > 0; i--)
        out[validStr(r, m.shapes[shape.key!.shape] ?? { type: "string" })] = gen(m, shape.value!.shape, r, depth + 1);
      return out;
    }
    case "string":
      return validStr(r, shape);
    case "integer":
    case "long":
      return within(shape.min ?? 1, shape.max ?? 100);
    case "float":
    case "double":
      return within(shape.min ?? 0, shape.max ?? 10);
    case "boolean":
      return r.chance(0.5);
    case "timestamp":
      return Math.floor(Date.now() / 1000) - r.int(3600);
    case "blob":
      return "aGVsbG8=";
    default:
      return {};
  }
}

// ---------------------------------------------------------------------------------------------- requests

interface FuzzRequest {
  index: number;
  protocol: string;
  service: string;
  op: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Send over a fresh raw socket as these bytes (framing tests) instead of the HTTP client. */
  raw?: Buffer;
}
interface FuzzResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Percent-encoding (RFC 3986); a lone surrogate goes out as the raw bytes %ED%A0%80 a hostile client could send. */
function enc(s: string): string {
  try {
    return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  } catch {
    return s.replace(/[\ud800-\udfff]/g, "\u0000").replace(/[^A-Za-z0-9]/g, (c) => (c === "\u0000" ? "%ED%A0%80" : encodeURIComponent(c)));
  }
}
const AUTH = (svc: string) =>
  `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${svc}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;

function mutateJson(r: R, text: string): string {
  if (r.valid) return text;
  switch (r.int(10)) {
    case 0:
      return text.slice(0, r.int(text.length + 1));
    case 1:
      return r.pick(["[]", "null", "1", '"s"', "{", '{"a":', "{}}", "\u0000", "", "[".repeat(5000), '{"a":1,"a":2}']);
    case 2:
      return text.replace(/"[^"]*"/, '"\\ud800"');
    case 3:
      return `${text}garbage`;
    default:
      return text;
  }
}

function jsonRequest(svc: Svc, op: string, r: R, index: number): FuzzRequest {
  const m = svc.model;
  const input = m.operations[op]?.input ? gen(m, m.operations[op]!.input!.shape, r, 0) : {};
  const target = r.chance(0.03)
    ? r.pick([`${m.metadata.targetPrefix}.`, "Nope.ListThings", `${m.metadata.targetPrefix}.NoSuchOp`, "."])
    : `${m.metadata.targetPrefix}.${op}`;
  const ctype = r.chance(0.1)
    ? r.pick(["", "text/plain", "application/json", "nonsense", 'a/b; charset="x', "application/x-amz-json-1.0"])
    : `application/x-amz-json-${m.metadata.jsonVersion ?? "1.1"}`;
  const body = Buffer.from(mutateJson(r, JSON.stringify(input)));
  const headers: Record<string, string> = { "x-amz-target": target, "content-type": ctype };
  if (r.chance(0.3)) headers.authorization = AUTH(m.metadata.signingName ?? svc.name);
  return { index, protocol: "json", service: svc.name, op, method: r.chance(0.02) ? "GET" : "POST", path: "/", headers, body };
}

/** Flatten a value the Query way (`X.member.N`, `X.entry.N.key`) or the EC2 way (`X.N`), with odd indices now and then. */
function flatten(r: R, m: Model, shapeName: string | undefined, prefix: string, v: unknown, ec2: boolean, out: string[]): void {
  const shape = shapeName ? m.shapes[shapeName] : undefined;
  const idx = (i: number) => (!r.valid && r.chance(0.05) ? r.pick(["0", "-1", "99999999999999999999", "a", "01", "1.5", "", "1e3"]) : String(i + 1));
  if (Array.isArray(v)) {
    v.forEach((x, i) => flatten(r, m, shape?.member?.shape, ec2 || shape?.flattened ? `${prefix}.${idx(i)}` : `${prefix}.member.${idx(i)}`, x, ec2, out));
    if (v.length === 0 && r.chance(0.5)) out.push(`${enc(prefix)}=`);
  } else if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>);
    if (shape?.type === "map") {
      entries.forEach(([k, x], i) => {
        out.push(`${enc(`${prefix}.entry.${idx(i)}.key`)}=${enc(k)}`);
        flatten(r, m, shape.value?.shape, `${prefix}.entry.${idx(i)}.value`, x, ec2, out);
      });
    } else {
      for (const [k, x] of entries) {
        const mem = shape?.members?.[k];
        const name = ec2 ? (mem?.queryName ?? (mem?.locationName ? mem.locationName[0]!.toUpperCase() + mem.locationName.slice(1) : k)) : k;
        flatten(r, m, mem?.shape, prefix ? `${prefix}.${name}` : name, x, ec2, out);
      }
    }
  } else out.push(`${enc(prefix || "x")}=${enc(String(v))}`);
}

function queryRequest(svc: Svc, op: string, r: R, index: number): FuzzRequest {
  const m = svc.model;
  const ec2 = svc.protocol === "ec2";
  const input = m.operations[op]?.input ? gen(m, m.operations[op]!.input!.shape, r, 0) : {};
  const pairs: string[] = [];
  if (!r.chance(0.02)) pairs.push(`Action=${r.chance(0.03) ? enc(r.pick(["", "NoSuch", "%", op.toLowerCase()])) : op}`);
  if (!r.chance(0.03)) pairs.push(`Version=${r.chance(0.03) ? r.pick(["", "2000-01-01", "%zz"]) : m.metadata.apiVersion}`);
  flatten(r, m, m.operations[op]?.input?.shape, "", input, ec2, pairs);
  const odd = ["constructor.prototype.x=1", "a..b=1", ".=1", "%=%", "&&&", "x.member.=1", "toString.x=1", "hasOwnProperty=1"];
  if (r.chance(0.05)) pairs.push(r.pick(KNOWN_OPEN_QUERY_PROTO_POLLUTION ? odd : [...odd, "__proto__.polluted=1", "Tags.member.1.__proto__.polluted=1"]));
  const form = (r.chance(0.1) ? pairs.sort(() => r.next() - 0.5) : pairs).join("&");
  const headers: Record<string, string> = { "content-type": r.chance(0.05) ? "text/plain" : "application/x-www-form-urlencoded; charset=utf-8" };
  if (r.chance(0.4)) headers.authorization = AUTH(m.metadata.signingName ?? svc.name);
  if (r.chance(0.1)) return { index, protocol: svc.protocol, service: svc.name, op, method: "GET", path: `/?${form}`, headers };
  return { index, protocol: svc.protocol, service: svc.name, op, method: "POST", path: "/", headers, body: Buffer.from(form) };
}

/** Fill a REST requestUri template: path labels (greedy ones may hold slashes), its literal query, query members. */
function restTarget(
  r: R,
  m: Model,
  op: Operation,
  input: Record<string, unknown>,
): { path: string; headers: Record<string, string>; rest: Record<string, unknown> } {
  const shape = op.input ? m.shapes[op.input.shape] : undefined;
  const headers: Record<string, string> = {};
  const rest: Record<string, unknown> = {};
  const query: string[] = [];
  const labels: Record<string, string> = {};
  for (const [name, mem] of Object.entries(shape?.members ?? {})) {
    const v = input[name];
    if (mem.location === "uri") labels[mem.locationName ?? name] = typeof v === "string" || typeof v === "number" ? String(v) : str(r);
    else if (v === undefined) continue;
    else if (mem.location === "querystring") {
      const values = Array.isArray(v) ? v : [v];
      for (const x of values) query.push(`${enc(mem.locationName ?? name)}=${enc(typeof x === "object" ? JSON.stringify(x) : String(x))}`);
    } else if (mem.location === "header" || mem.location === "headers") {
      const hv = typeof v === "object" ? JSON.stringify(v) : String(v);
      if (mem.location === "header" && /^[\t\x20-\x7e]*$/.test(hv)) headers[(mem.locationName ?? name).toLowerCase()] = hv;
    } else rest[name] = v;
  }
  let [tpl, lit] = op.http!.requestUri.split("?") as [string, string | undefined];
  tpl = tpl.replace(/\{(\w+)(\+?)\}/g, (_x, n: string, greedy: string) => {
    const v = labels[n] ?? str(r);
    if (r.chance(0.05)) return r.pick(["", "%zz", "%2F", "..", "%00", "a/b/c"]);
    return greedy ? v.split("/").map(enc).join("/") : enc(v);
  });
  const q = [lit, ...query].filter((x) => x !== undefined && x !== "");
  if (r.chance(0.05)) q.push(r.pick(["%", "a=%zz", "x-id=Nope", "uploadId", "versionId=", "max-keys=-5", "list-type=9", "encoding-type=nope"]));
  return { path: q.length ? `${tpl}?${q.join("&")}` : tpl, headers, rest };
}

function restJsonRequest(svc: Svc, op: string, r: R, index: number): FuzzRequest {
  const m = svc.model;
  const o = m.operations[op]!;
  const input = (o.input ? gen(m, o.input.shape, r, 0) : {}) as Record<string, unknown>;
  const { path, headers, rest } = restTarget(r, m, o, typeof input === "object" && input ? input : {});
  const payload = o.input ? m.shapes[o.input.shape]?.payload : undefined;
  let body: Buffer | undefined;
  if (payload && m.shapes[m.shapes[o.input!.shape]!.members![payload]!.shape]?.type === "blob")
    body = Buffer.from(r.pick(['{"k":1}', "not json", "", "\u0000\u0001"]));
  else if (o.http!.method !== "GET" && o.http!.method !== "DELETE") body = Buffer.from(mutateJson(r, JSON.stringify(payload ? (rest[payload] ?? {}) : rest)));
  if (body) headers["content-type"] = r.chance(0.1) ? r.pick(["", "text/plain", "x/y"]) : "application/json";
  if (r.chance(0.3)) headers.authorization = AUTH(m.metadata.signingName ?? svc.name);
  const method = r.chance(0.03) ? r.pick(["PATCH", "PUT", "DELETE", "OPTIONS"]) : o.http!.method;
  return { index, protocol: "rest-json", service: svc.name, op, method, path, headers, body };
}

/** XML from a value of a structure shape (locationName, flattened lists), or something hostile. */
function toXml(m: Model, shapeName: string, v: unknown, tag: string, depth = 0): string {
  const shape = m.shapes[shapeName];
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  if (!shape || depth > 6) return `<${tag}>${esc(String(v))}</${tag}>`;
  if (shape.type === "structure" && v && typeof v === "object" && !Array.isArray(v)) {
    let inner = "";
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const mem = shape.members?.[k];
      if (!mem || mem.location) continue;
      inner += toXml(m, mem.shape, x, mem.locationName ?? k, depth + 1);
    }
    return `<${tag}>${inner}</${tag}>`;
  }
  if (shape.type === "list" && Array.isArray(v)) {
    const memberTag = shape.member?.locationName ?? "member";
    const items = v.map((x) => toXml(m, shape.member!.shape, x, shape.flattened ? tag : memberTag, depth + 1)).join("");
    return shape.flattened ? items : `<${tag}>${items}</${tag}>`;
  }
  return `<${tag}>${esc(typeof v === "object" ? JSON.stringify(v) : String(v))}</${tag}>`;
}

const BOMB =
  '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
  '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">' +
  '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">' +
  '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">' +
  '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>';
function hostileXml(r: R, root: string): string {
  switch (r.int(9)) {
    case 0:
      return `${BOMB}<${root}><Key>&lol9;</Key><Value>&lol9;</Value></${root}>`;
    case 1:
      return `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><${root}><Key>&xxe;</Key><Tag><Key>&xxe;</Key><Value>v</Value></Tag><Object><Key>&xxe;</Key></Object></${root}>`;
    case 2:
      return `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:1/x.dtd"> %p;]><${root}/>`;
    case 3:
      return `<${root}><Unclosed>`;
    case 4:
      return `<${root}>${"<a>".repeat(3000)}${"</a>".repeat(3000)}</${root}>`;
    case 5:
      return "\u0000\u0001binary\uffff";
    case 6:
      return `<${root}><Part><PartNumber>1</PartNumber><ETag>&#34;abc&#34;</ETag></Part><Part><PartNumber>x</PartNumber></Part></${root}>`;
    case 7:
      return `<${root} xmlns="http://wrong/"><Object><Key>k</Key></Object><Quiet>maybe</Quiet></${root}>`;
    default:
      return "";
  }
}

/** aws-chunked framing of a body, correct or subtly wrong. */
function awsChunked(r: R, data: Buffer): { body: Buffer; headers: Record<string, string> } {
  const headers: Record<string, string> = {
    "content-encoding": "aws-chunked",
    "x-amz-content-sha256": r.pick(["STREAMING-UNSIGNED-PAYLOAD-TRAILER", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "STREAMING-NONSENSE", "UNSIGNED-PAYLOAD"]),
    "x-amz-decoded-content-length": r.pick([String(data.length), String(data.length + 1), "abc", "-1", "", "99999999999999"]),
  };
  if (r.chance(0.5)) headers["x-amz-trailer"] = r.pick(["x-amz-checksum-crc32", "x-amz-checksum-bogus", ""]);
  const sizeLine = r.pick([
    data.length.toString(16),
    (data.length + 3).toString(16),
    "zz",
    "-1",
    `${data.length.toString(16)};chunk-signature=${"0".repeat(64)}`,
  ]);
  const tail = r.pick(["0\r\n\r\n", "0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n", "0\r\n", "", "5\r\nabc"]);
  return { body: Buffer.concat([Buffer.from(`${sizeLine}\r\n`), data, Buffer.from(`\r\n${tail}`)]), headers };
}

const S3_SUBRESOURCES = [
  "acl",
  "tagging",
  "uploads",
  "versioning",
  "policy",
  "cors",
  "lifecycle",
  "location",
  "versions",
  "delete",
  "object-lock",
  "retention",
  "legal-hold",
  "attributes",
  "restore",
  "encryption",
  "website",
  "notification",
  "ownershipControls",
  "publicAccessBlock",
  "torrent",
  "select&select-type=2",
  "list-type=2",
  "uploadId=nope",
  "partNumber=1&uploadId=x",
  "x-id=PutObject",
];
const RANGES = [
  "bytes=0-0",
  "bytes=-1",
  "bytes=5-",
  "bytes=9-1",
  "bytes=0-1,3-4",
  "bytes=abc",
  "items=0-1",
  "bytes=99999999999999999999-",
  "bytes=",
  "bytes=-0",
];

function s3Request(svc: Svc, op: string, r: R, index: number): FuzzRequest {
  const m = svc.model;
  const o = m.operations[op]!;
  const input = (o.input ? gen(m, o.input.shape, r, 0) : {}) as Record<string, unknown>;
  if (input && typeof input === "object" && r.chance(0.7)) input.Bucket = r.pick(["fz-bkt-1", "fz-bkt-2", "fz-bkt-1", "nope-bucket"]);
  const { path: p, headers, rest } = restTarget(r, m, o, input && typeof input === "object" ? input : {});
  let path = p;
  if (r.chance(0.08)) path = `${path}${path.includes("?") ? "&" : "?"}${r.pick(S3_SUBRESOURCES)}`;
  if (r.chance(0.05)) headers.range = r.pick(RANGES);
  if (r.chance(0.05)) headers["content-md5"] = r.pick(["", "zz", "AAAAAAAAAAAAAAAAAAAAAA==", "1B2M2Y8AsgTpgAmY7PhCfg=="]);
  if (r.chance(0.05))
    headers[r.pick(["x-amz-checksum-crc32", "x-amz-checksum-crc64nvme", "x-amz-checksum-sha256", "x-amz-checksum-crc32c"])] = r.pick([
      "",
      "AAAAAA==",
      "!!",
      "x".repeat(100),
    ]);
  if (r.chance(0.05)) headers["x-amz-copy-source"] = r.pick(["fz-bkt-1/k", "/fz-bkt-1/k?versionId=zz", "%", "", "nope/x", "fz-bkt-1", "/fz-bkt-2/%zz"]);
  if (r.chance(0.05)) headers["x-amz-copy-source-range"] = r.pick(RANGES);
  if (r.chance(0.05)) headers["x-amz-tagging"] = r.pick(["%", "a=b&c", "=", "%ZZ=1", "k=v", "a=b&a=c", `${"k".repeat(200)}=v`]);
  if (r.chance(0.03)) headers["x-amz-metadata-directive"] = r.pick(["REPLACE", "COPY", "nope"]);
  if (r.chance(0.05))
    headers[r.pick(["if-match", "if-none-match", "if-modified-since", "if-unmodified-since"])] = r.pick([
      "*",
      '"abc"',
      "yesterday",
      "Wed, 21 Oct 2015 07:28:00 GMT",
    ]);
  if (r.chance(0.03)) headers["x-amz-object-lock-retain-until-date"] = r.pick(["nope", "2099-01-01T00:00:00Z"]);
  if (r.chance(0.03)) headers["x-amz-content-sha256"] = r.pick(["nope", "0".repeat(64), "UNSIGNED-PAYLOAD"]);
  if (r.chance(0.05)) headers.host = r.pick(["fz-bkt-1.localhost", "nope.s3.amazonaws.com", "..localhost", "localhost:1"]);
  if (r.chance(0.2)) headers.authorization = AUTH("s3");
  let body: Buffer | undefined;
  const shape = o.input ? m.shapes[o.input.shape] : undefined;
  const payload = shape?.payload;
  const payloadMember = payload ? shape!.members![payload]! : undefined;
  if (payloadMember?.streaming || m.shapes[payloadMember?.shape ?? ""]?.type === "blob") {
    const data = Buffer.alloc(r.chance(0.05) ? 300 * 1024 : r.int(64), 97 + r.int(26));
    if (r.chance(0.3)) {
      const c = awsChunked(r, data);
      body = c.body;
      Object.assign(headers, c.headers);
    } else body = data;
  } else if (payloadMember) {
    const root = payloadMember.locationName ?? m.shapes[payloadMember.shape]?.locationName ?? payload!;
    body = Buffer.from(!r.valid && r.chance(0.35) ? hostileXml(r, root) : toXml(m, payloadMember.shape, rest[payload!] ?? {}, root));
    headers["content-type"] = "application/xml";
  }
  const method = r.chance(0.03) ? r.pick(["PATCH", "POST", "PUT", "DELETE", "OPTIONS", "HEAD"]) : o.http!.method;
  return { index, protocol: "rest-xml", service: "s3", op, method, path, headers, body };
}

/** Raw framing: oversized headers, broken request lines, bad chunked transfer coding, lying lengths. */
function rawRequest(r: R, index: number): FuzzRequest {
  const target = r.pick([
    "POST / HTTP/1.1\r\nX-Amz-Target: AmazonEC2ContainerServiceV20141113.ListClusters\r\nContent-Type: application/x-amz-json-1.1\r\n",
    "PUT /fz-bkt-1/raw HTTP/1.1\r\n",
    "POST / HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n",
    "GET /fz-bkt-1?list-type=2 HTTP/1.1\r\n",
  ]);
  const json = target.includes("X-Amz-Target");
  let bytes: string;
  switch (r.int(7)) {
    case 0:
      bytes = `${target}Host: x\r\nx-big: ${"b".repeat(r.pick([20_000, 70_000]))}\r\n\r\n`;
      break;
    case 1:
      bytes = `${target}Host: x\r\n${Array.from({ length: 3000 }, (_, i) => `x-h${i}: v`).join("\r\n")}\r\n\r\n`;
      break;
    case 2:
      bytes = `${target}Host: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n`;
      break;
    case 3:
      bytes = `${target}Host: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef`;
      break;
    case 4:
      bytes = `${target.replace("HTTP/1.1", "HTTP/9.9")}Host: x\r\n\r\n`;
      break;
    case 5:
      bytes = `${target}Host: x\r\nContent-Length: -1\r\n\r\n`;
      break;
    default:
      bytes = `${target}Host: x\r\nBad Header Line\r\n\r\n`;
  }
  return { index, protocol: json ? "json" : "raw", service: "raw", op: "-", method: "RAW", path: "", headers: {}, raw: Buffer.from(bytes, "latin1") };
}

/** Set in beforeAll: a registry password from ECR GetAuthorizationToken (Basic "AWS:<password>", base64). */
let registryToken = "";

/** The OCI distribution API ECR serves under /v2/ (docker push/pull): paths, methods, digests, ranges, bodies. */
function ociRequest(r: R, index: number): FuzzRequest {
  const repo = r.pick(["fz-repo", "fz-repo", "nope", "a/b/c", "%zz", "FZ"]);
  const digest = r.pick([`sha256:${"a".repeat(64)}`, "sha256:abc", "%zz", "latest", "v1", "sha512:00", "", `sha256:${"0".repeat(64)}`]);
  const path = r.pick([
    "/v2/",
    "/v2",
    `/v2/${repo}/manifests/${digest}`,
    `/v2/${repo}/blobs/${digest}`,
    `/v2/${repo}/blobs/uploads/`,
    `/v2/${repo}/blobs/uploads/${r.pick(["nope", "%zz", "00000000-0000-0000-0000-000000000000"])}?digest=${digest}`,
    `/v2/${repo}/blobs/uploads/?mount=${digest}&from=${r.pick(["fz-repo", "nope", "%"])}`,
    `/v2/${repo}/tags/list?n=${r.pick(["1", "0", "-1", "x", "99999999999"])}&last=${r.pick(["", "a", "%zz"])}`,
    `/v2/${repo}/referrers/${digest}?artifactType=${r.pick(["a/b", "%", ""])}`,
  ]);
  const headers: Record<string, string> = {};
  if (!r.chance(0.1)) headers.authorization = r.chance(0.9) ? `Basic ${registryToken}` : r.pick(["Basic !!", "Bearer x", "Basic "]);
  if (r.chance(0.2)) headers.range = r.pick(["bytes=0-10", "bytes=5-1", "0-0", "bytes=abc"]);
  if (r.chance(0.2)) headers["content-range"] = r.pick(["0-10", "5-1", "x", "0-0"]);
  if (r.chance(0.3))
    headers["content-type"] = r.pick(["application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json", "x/y", ""]);
  const method = r.pick(["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"]);
  const body =
    method === "GET" || method === "HEAD" || method === "DELETE"
      ? undefined
      : Buffer.from(
          r.pick([
            "",
            "layer bytes",
            "{",
            JSON.stringify({
              schemaVersion: 2,
              mediaType: "application/vnd.oci.image.manifest.v1+json",
              config: { digest, size: 1 },
              layers: [{ digest, size: -1 }],
            }),
            JSON.stringify({ schemaVersion: r.pick([1, 2, "x", null]), manifests: [{ digest }] }),
          ]),
        );
  return { index, protocol: "oci", service: "ecr", op: "Registry", method, path, headers, body };
}

const BIG_7M = Buffer.alloc(7 * 1024 * 1024, 0x61);
const BIG_17M = Buffer.alloc(17 * 1024 * 1024, 0x61);

function makeRequest(svcs: Svc[], index: number): FuzzRequest {
  const r = new R(rngFor(SEED, index));
  if (r.chance(0.004)) return rawRequest(r, index);
  if (r.chance(0.01)) return ociRequest(r, index);
  if (r.chance(0.003)) {
    // Lambda's code download links (execute mode fetches deployment packages through them).
    const path = `/_lambda-code/${r.pick(["000000000000", "1"])}/us-east-1/${r.pick(["function", "layer"])}/${r.pick(["fz-a", "nope"])}/${r.pick(["1", "%zz", "%24LATEST", "..", "%"])}.zip`;
    return { index, protocol: "raw", service: "lambda", op: "CodeDownload", method: r.pick(["GET", "HEAD"]), path, headers: {} };
  }
  r.valid = r.chance(0.4);
  const svc = r.pick(svcs);
  const op = svc.implemented.length && r.chance(0.9) ? r.pick(svc.implemented) : r.pick(svc.ops);
  let req: FuzzRequest;
  if (svc.protocol === "json") req = jsonRequest(svc, op, r, index);
  else if (svc.protocol === "query" || svc.protocol === "ec2") req = queryRequest(svc, op, r, index);
  else if (svc.protocol === "rest-json") req = restJsonRequest(svc, op, r, index);
  else req = s3Request(svc, op, r, index);
  if (r.chance(0.001)) req.body = r.chance(0.5) ? BIG_7M : BIG_17M;
  if (r.chance(0.003)) req.headers["x-fz-big"] = "h".repeat(r.pick([8_000, 15_000]));
  return req;
}

// ---------------------------------------------------------------------------------------------- sending

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function send(port: number, req: FuzzRequest): Promise<FuzzResponse> {
  if (req.raw) return sendRaw(port, req.raw);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { host: `127.0.0.1:${port}`, ...req.headers };
    if (req.body) headers["content-length"] = req.body.length;
    let hr: http.ClientRequest;
    try {
      hr = http.request({ agent, host: "127.0.0.1", port, method: req.method, path: req.path, headers, setHost: false });
    } catch (e) {
      // The client refuses to send it (e.g. an invalid header character): nothing to test.
      return resolve({ status: -1, headers: {}, body: String(e) });
    }
    hr.setTimeout(20_000, () => hr.destroy(new Error("timeout: no answer in 20 s")));
    hr.on("response", (res) => {
      // An event stream (Logs StartLiveTail) stays open while the client reads: its status and headers are the answer.
      if (String(res.headers["content-type"] ?? "").startsWith("application/vnd.amazon.eventstream")) {
        res.destroy();
        return resolve({ status: res.statusCode ?? 0, headers: res.headers, body: "" });
      }
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    hr.on("error", (e: NodeJS.ErrnoException) => {
      // The server may answer early and close while a large body is still being written.
      if (e.code === "EPIPE" || e.code === "ECONNRESET") resolve({ status: -2, headers: {}, body: e.code });
      else reject(e);
    });
    hr.end(req.body);
  });
}

function sendRaw(port: number, bytes: Buffer): Promise<FuzzResponse> {
  return new Promise((resolve) => {
    const sock = net.connect(port, "127.0.0.1");
    let got = Buffer.alloc(0);
    const finish = () => {
      clearTimeout(timer);
      sock.destroy();
      const text = got.toString("latin1");
      const head = text.slice(0, text.indexOf("\r\n\r\n") < 0 ? text.length : text.indexOf("\r\n\r\n"));
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? -3);
      const headers: http.IncomingHttpHeaders = {};
      for (const l of head.split("\r\n").slice(1)) headers[l.slice(0, l.indexOf(":")).toLowerCase()] = l.slice(l.indexOf(":") + 1).trim();
      resolve({ status, headers, body: text.slice(head.length + 4) });
    };
    const timer = setTimeout(finish, 1500);
    sock.on("data", (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (/\r\n\r\n/.test(got.toString("latin1"))) {
        const len = Number(/content-length: (\d+)/i.exec(got.toString("latin1"))?.[1] ?? Number.NaN);
        const start = got.indexOf("\r\n\r\n") + 4;
        if (Number.isFinite(len) && got.length >= start + len) finish();
      }
    });
    sock.on("close", finish);
    sock.on("error", () => undefined);
    sock.write(bytes);
  });
}

// ---------------------------------------------------------------------------------------------- checks

const LEAK = /\n\s+at \S.*\(|\bat (?:async )?\S+ \(\/|\/work\/main|node_modules|\.ts:\d+:\d+|\bTypeError\b|\bReferenceError\b|\bRangeError\b|root:x:0:0/;

function envelopeOk(req: FuzzRequest, res: FuzzResponse): boolean {
  if (res.status < 400) return true;
  const b = res.body;
  if (req.method === "HEAD") return b === "";
  const xmlError = /^<\?xml[^>]*\?>\s*<Error><Code>[^<]+<\/Code><Message>/.test(b);
  const queryError = /<ErrorResponse[^>]*>\s*<Error>\s*<Type>(Sender|Receiver)<\/Type>\s*<Code>[^<]+<\/Code>/.test(b);
  const ec2Error = /<Response>\s*<Errors>\s*<Error>\s*<Code>[^<]+<\/Code>/.test(b);
  let json = false;
  try {
    const o = JSON.parse(b) as Record<string, unknown>;
    json = typeof (o.__type ?? o.Type ?? o.code) === "string" || typeof res.headers["x-amzn-errortype"] === "string";
  } catch {
    json = false;
  }
  // An unsigned POST / that is not a form names no service: it falls to S3, as any request awsim cannot place.
  const unplaced =
    !req.headers.authorization && req.method === "POST" && req.path === "/" && !req.headers["content-type"]?.startsWith("application/x-www-form-urlencoded");
  if (unplaced && (req.protocol === "query" || req.protocol === "ec2")) return xmlError;
  switch (req.protocol) {
    case "oci":
      return /^\{"errors":\[\{"code":"[A-Z_]+","message":/.test(b);
    case "json":
      return json;
    case "query":
    case "ec2":
      return queryError || ec2Error;
    case "rest-json":
      return json && typeof res.headers["x-amzn-errortype"] === "string";
    case "rest-xml":
      // The path decides the service: a Lambda/EFS path prefix answers in JSON.
      return xmlError || (json && /^\/20\d\d-/.test(req.path));
    default:
      // Raw framing and awsim's own download links: any AWS error shape (the links answer S3's <Error>).
      return xmlError || /^<Error><Code>[^<]+<\/Code>/.test(b) || json || queryError || ec2Error;
  }
}

function problem(req: FuzzRequest, res: FuzzResponse): string | undefined {
  if (res.status === -1) return undefined;
  if (res.status === -2) return req.body && req.body.length > 1024 * 1024 ? undefined : `connection dropped (${res.body})`;
  if (res.status === -3) return req.raw ? undefined : "no HTTP answer";
  const notImplemented = /NotImplemented/.test(res.body) || String(res.headers["x-amzn-errortype"] ?? "").startsWith("NotImplemented") || req.method === "HEAD";
  if (res.status >= 500 && !(res.status === 501 && notImplemented)) return `status ${res.status}`;
  if (LEAK.test(res.body)) return "stack trace, internal error or file path in the body";
  if (!envelopeOk(req, res)) return `error not in the ${req.protocol} envelope`;
  return undefined;
}

function describeRequest(req: FuzzRequest): string {
  const body = req.raw ?? req.body;
  const shown = body ? (body.length > 600 ? `${body.subarray(0, 600).toString("latin1")}… (${body.length} bytes)` : body.toString("latin1")) : "";
  return JSON.stringify(
    { seed: SEED, index: req.index, service: req.service, op: req.op, method: req.method, path: req.path.slice(0, 600), headers: req.headers, body: shown },
    (_k, v) => (typeof v === "string" && v.length > 600 ? `${v.slice(0, 600)}… (${v.length} chars)` : v),
  );
}

// ---------------------------------------------------------------------------------------------- the test

let server: AwsimServer;
let svcs: Svc[];

async function call(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<FuzzResponse> {
  return send(server.port, { index: -1, protocol: "", service: "", op: "", method, path, headers, body: body === undefined ? undefined : Buffer.from(body) });
}
const jsonCall = (target: string, body: unknown) =>
  call("POST", "/", { "x-amz-target": target, "content-type": "application/x-amz-json-1.1" }, JSON.stringify(body));
const form = (body: string) => call("POST", "/", { "content-type": "application/x-www-form-urlencoded" }, body);
const stripIds = (s: string) => s.replace(/<(RequestId|requestId)>[^<]*<\/\1>/g, "").replace(/"x-amzn-requestid":"[^"]*"/g, "");

/** Sentinel resources, made before the run; their descriptions must read the same after it. */
async function sentinels(): Promise<Record<string, string>> {
  const obj = await call("GET", "/sentinel-bkt/sentinel.txt");
  return {
    object: `${obj.status} ${obj.headers.etag} ${obj.body}`,
    bucketListing: stripIds((await call("GET", "/sentinel-bkt?list-type=2")).body),
    cluster: (await jsonCall("AmazonEC2ContainerServiceV20141113.DescribeClusters", { clusters: ["sentinel-cluster"] })).body.replace(
      /"(runningTasksCount|pendingTasksCount)":\d+/g,
      "",
    ),
    logEvents: (await jsonCall("Logs_20140328.GetLogEvents", { logGroupName: "sentinel-group", logStreamName: "s", startFromHead: true })).body,
    role: stripIds((await form("Action=GetRole&Version=2010-05-08&RoleName=sentinel-role")).body),
    repository: (await jsonCall("AmazonEC2ContainerRegistry_V20150921.DescribeRepositories", { repositoryNames: ["sentinel-repo"] })).body,
  };
}

describe("fuzz", () => {
  let before: Record<string, string>;
  beforeAll(async () => {
    server = await startServer({ logLevel: (process.env.AWSIM_FUZZ_LOG as "error" | undefined) ?? "silent" });
    svcs = [];
    for (const d of SERVICES) {
      const model = JSON.parse(readFileSync(new URL(`${d.name}.json`, MODELS_DIR), "utf8")) as Model;
      const def = await d.load();
      const ops = Object.keys(model.operations);
      svcs.push({ name: d.name, protocol: d.protocol, model, ops, implemented: ops.filter((o) => Object.hasOwn(def.operations, o)) });
    }
    for (const b of ["fz-bkt-1", "fz-bkt-2", "sentinel-bkt"]) expect((await call("PUT", `/${b}`)).status).toBe(200);
    expect((await call("PUT", "/sentinel-bkt/sentinel.txt", { "content-type": "text/plain" }, "hello sentinel")).status).toBe(200);
    expect((await call("PUT", "/fz-bkt-1/k", {}, "some object")).status).toBe(200);
    expect((await jsonCall("AmazonEC2ContainerServiceV20141113.CreateCluster", { clusterName: "sentinel-cluster" })).status).toBe(200);
    expect((await jsonCall("Logs_20140328.CreateLogGroup", { logGroupName: "sentinel-group" })).status).toBe(200);
    expect((await jsonCall("Logs_20140328.CreateLogStream", { logGroupName: "sentinel-group", logStreamName: "s" })).status).toBe(200);
    const events = { logGroupName: "sentinel-group", logStreamName: "s", logEvents: [{ timestamp: Date.now(), message: "sentinel" }] };
    expect((await jsonCall("Logs_20140328.PutLogEvents", events)).status).toBe(200);
    const trust = encodeURIComponent(
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
    );
    expect((await form(`Action=CreateRole&Version=2010-05-08&RoleName=sentinel-role&AssumeRolePolicyDocument=${trust}`)).status).toBe(200);
    expect((await jsonCall("AmazonEC2ContainerRegistry_V20150921.CreateRepository", { repositoryName: "sentinel-repo" })).status).toBe(200);
    expect((await jsonCall("AmazonEC2ContainerRegistry_V20150921.CreateRepository", { repositoryName: "fz-repo" })).status).toBe(200);
    const auth = JSON.parse((await jsonCall("AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken", {})).body) as {
      authorizationData: Array<{ authorizationToken: string }>;
    };
    registryToken = auth.authorizationData[0]!.authorizationToken;
    before = await sentinels();
  });
  afterAll(async () => {
    agent.destroy();
    await server?.stop();
  });

  it(`${COUNT} seeded requests (seed ${SEED}) get no 5xx, no stack, their protocol's envelope`, { timeout: 300_000 }, async () => {
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    const failures: string[] = [];
    const tolerated = new Map<string, number>();
    const statuses = new Map<number, number>();
    let next = ONLY ?? 0;
    const last = ONLY === undefined ? COUNT : ONLY + 1;
    let sent = 0;
    const worker = async () => {
      while (next < last) {
        const req = makeRequest(svcs, next++);
        let res: FuzzResponse;
        try {
          res = await send(server.port, req);
        } catch (e) {
          res = { status: -4, headers: {}, body: String(e) };
        }
        sent++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const p = res.status === -4 ? `request failed: ${res.body}` : problem(req, res);
        if (!p) continue;
        const known = KNOWN_OPEN.find((k) => k.match(req, res));
        if (known) {
          tolerated.set(known.note, (tolerated.get(known.note) ?? 0) + 1);
          continue;
        }
        if (failures.length < 30) failures.push(`${p}\n  request: ${describeRequest(req)}\n  answer: ${res.status} ${res.body.slice(0, 400)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    console.log(
      `fuzz: seed ${SEED}, ${sent} requests in ${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s CPU, client and server); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}` +
        (tolerated.size ? `; known-open ${JSON.stringify(Object.fromEntries(tolerated))}` : ""),
    );
    expect(failures, `fuzz failures (replay: AWSIM_FUZZ_SEED=${SEED} AWSIM_FUZZ_ONLY=<index>)\n${failures.join("\n")}`).toEqual([]);
    if (ONLY === undefined) expect(sent).toBe(COUNT);
    // The budget is CPU time (client and server share this process), which a busy machine does not inflate.
    expect(cpuSeconds, "CPU seconds for the run").toBeLessThan(60);

    // Healthy afterwards: the admin endpoint, a JSON call, an S3 round trip, and the sentinels unchanged.
    expect((await call("GET", "/_awsim/health")).status).toBe(200);
    expect((await jsonCall("AmazonEC2ContainerServiceV20141113.ListClusters", {})).status).toBe(200);
    expect((await call("PUT", "/sentinel-bkt/after.txt", {}, "after")).status).toBe(200);
    expect((await call("GET", "/sentinel-bkt/after.txt")).body).toBe("after");
    expect((await call("DELETE", "/sentinel-bkt/after.txt")).status).toBe(204);
    expect(await sentinels()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted, "Object.prototype polluted").toBeUndefined();
  });

  it.skipIf(KNOWN_OPEN_QUERY_PROTO_POLLUTION)("Query members named __proto__ do not touch Object.prototype", async () => {
    try {
      for (const body of [
        "Action=GetCallerIdentity&Version=2011-06-15&__proto__.polluted=1",
        "Action=ListRoles&Version=2010-05-08&__proto__.polluted=1",
        "Action=TagRole&Version=2010-05-08&RoleName=fz-a&Tags.member.1.__proto__.polluted=1",
        "Action=DescribeVpcs&Version=2016-11-15&Filter.1.__proto__.polluted=1",
      ]) {
        const res = await form(body);
        expect(res.status, body).toBeLessThan(500);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
    }
  });
});
