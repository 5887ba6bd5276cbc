/**
 * CORS as S3 applies a bucket's configuration: the OPTIONS preflight (CorsPreflight) and the
 * Access-Control-* headers of actual requests that carry an Origin. The first rule whose AllowedOrigin
 * matches the origin, whose AllowedMethod has the method and whose AllowedHeader patterns cover every
 * requested header applies; patterns hold at most one "*" wildcard.
 */
import { header } from "../../protocols/http.js";
import { asArray, parseXml } from "../../protocols/xml.js";
import { rawResponse, type Ctx } from "../core/types.js";
import { s3state } from "./common.js";
import { S3Errors } from "./errors.js";
import type { S3Input } from "./route.js";
import type { Bucket } from "./state.js";

export interface CorsRule {
  origins: string[];
  methods: string[];
  headers: string[];
  expose: string[];
  maxAge?: string;
}

const CORS_METHODS = ["GET", "PUT", "POST", "DELETE", "HEAD"];
const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";
/** What a preflight that passes varies on (S3 sends all three). */
const VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

const forbidden = (message: string, method: string, resourceType: string) =>
  Object.assign(S3Errors.accessDenied(message, { Method: method, ResourceType: resourceType }), { code: "AccessForbidden", name: "AccessForbidden" });

const strings = (v: unknown) => asArray(v as string | string[] | undefined).map((x) => String(x ?? "").trim());

/** The rules of a CORSConfiguration document (already validated when it was put). */
export function parseCorsRules(text: string): CorsRule[] {
  const doc = parseXml(text).CORSConfiguration ?? {};
  return (asArray(doc.CORSRule) as Array<Record<string, unknown>>).map((r) => ({
    origins: strings(r.AllowedOrigin),
    methods: strings(r.AllowedMethod),
    headers: strings(r.AllowedHeader),
    expose: strings(r.ExposeHeader),
    maxAge: r.MaxAgeSeconds === undefined ? undefined : String(r.MaxAgeSeconds),
  }));
}

/** PutBucketCors's checks beyond well-formedness, with S3's messages. */
export function validateCorsRules(c: Record<string, unknown>): void {
  const rules = asArray(c.CORSRule) as Array<Record<string, unknown>>;
  if (rules.length === 0 || rules.length > 100) throw S3Errors.malformedXml();
  for (const r of rules) {
    const methods = strings(r?.AllowedMethod);
    // An empty <AllowedOrigin/> is a rule AWS keeps (and answers back as ""); a missing one is not.
    const origins =
      r?.AllowedOrigin === undefined ? [] : (Array.isArray(r.AllowedOrigin) ? r.AllowedOrigin : [r.AllowedOrigin]).map((x) => String(x ?? "").trim());
    if (!methods.length || !origins.length) throw S3Errors.malformedXml();
    for (const m of methods)
      if (!CORS_METHODS.includes(m)) throw S3Errors.invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${m}`);
    for (const o of origins) if (o.split("*").length > 2) throw S3Errors.invalidRequest(`AllowedOrigin "${o}" can not have more than one wildcard.`);
    for (const h of strings(r.AllowedHeader))
      if (h.split("*").length > 2) throw S3Errors.invalidRequest(`AllowedHeader "${h}" can not have more than one wildcard.`);
  }
}

/** A pattern with at most one "*" (any run of characters); headers compare case-insensitively. */
function wildcardMatch(pattern: string, value: string, caseless = false): boolean {
  const p = caseless ? pattern.toLowerCase() : pattern;
  const v = caseless ? value.toLowerCase() : value;
  const star = p.indexOf("*");
  if (star < 0) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

function matchRule(rules: CorsRule[], origin: string, method: string, requested: string[]): CorsRule | undefined {
  return rules.find(
    (r) =>
      r.origins.some((o) => wildcardMatch(o, origin)) && r.methods.includes(method) && requested.every((h) => r.headers.some((p) => wildcardMatch(p, h, true))),
  );
}

function allowOrigin(rule: CorsRule, origin: string): Record<string, string> {
  // A rule open to every origin answers "*"; otherwise the origin is echoed and credentials allowed.
  return rule.origins.includes("*")
    ? { "access-control-allow-origin": "*" }
    : { "access-control-allow-origin": origin, "access-control-allow-credentials": "true" };
}

function rulesOf(b: Bucket | undefined): CorsRule[] | undefined {
  const text = b?.configs.get("cors");
  if (text === undefined) return undefined;
  try {
    return parseCorsRules(text);
  } catch {
    return undefined;
  }
}

/** OPTIONS on a bucket or object: S3's preflight answer. */
export function CorsPreflight(ctx: Ctx, input: S3Input) {
  const origin = header(input.req, "origin");
  const method = header(input.req, "access-control-request-method");
  const resourceType = input.key === undefined ? "BUCKET" : "OBJECT";
  if (!origin)
    throw Object.assign(S3Errors.invalidRequest("Insufficient information. Origin request header needed."), { code: "BadRequest", name: "BadRequest" });
  // A missing bucket or configuration is refused before the method is looked at, naming the bucket as the
  // resource and OPTIONS when no method was asked for (AWS's answers).
  const b = input.bucket ? s3state(ctx).buckets.get(input.bucket) : undefined;
  if (!b) throw forbidden("CORSResponse: Bucket not found", method ?? "OPTIONS", "BUCKET");
  const rules = rulesOf(b);
  if (!rules) throw forbidden("CORSResponse: CORS is not enabled for this bucket.", method ?? "OPTIONS", "BUCKET");
  if (!method || !CORS_METHODS.includes(method))
    throw Object.assign(S3Errors.invalidRequest(`Invalid Access-Control-Request-Method: ${method ?? "null"}`), { code: "BadRequest", name: "BadRequest" });
  const rawHeaders = header(input.req, "access-control-request-headers") ?? "";
  const requested = rawHeaders
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  const rule = matchRule(rules, origin, method, requested);
  if (!rule) throw forbidden(NOT_ALLOWED, method, resourceType);
  const headers: Record<string, string> = {
    ...allowOrigin(rule, origin),
    "access-control-allow-methods": rule.methods.join(", "),
    vary: VARY,
    "content-length": "0",
  };
  // The requested names are echoed in the order asked, lower-cased as S3 answers them.
  if (requested.length) headers["access-control-allow-headers"] = requested.map((h) => h.toLowerCase()).join(", ");
  if (rule.expose.length) exposeHeaders(rule, headers);
  if (rule.maxAge !== undefined) headers["access-control-max-age"] = rule.maxAge;
  return rawResponse({ status: 200, headers });
}

/**
 * The Access-Control-* headers an actual request with an Origin gets (its answer, success or error):
 * the first rule matching the origin and the request's method; none when nothing matches.
 */
export function corsHeaders(ctx: Ctx, input: S3Input): Record<string, string> | undefined {
  const origin = header(input.req, "origin");
  if (!origin || !input.bucket || input.method === "OPTIONS") return undefined;
  const rules = rulesOf(s3state(ctx).buckets.get(input.bucket));
  if (!rules) return undefined;
  // AWS evaluates an actual request that carries preflight headers as that preflight: its
  // Access-Control-Request-Method and -Headers must match too, or no CORS headers are sent.
  const requested = (header(input.req, "access-control-request-headers") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  const rule = matchRule(rules, origin, header(input.req, "access-control-request-method") ?? input.method, requested);
  if (!rule) return undefined;
  const headers: Record<string, string> = { ...allowOrigin(rule, origin), "access-control-allow-methods": rule.methods.join(", "), vary: VARY };
  if (rule.expose.length) exposeHeaders(rule, headers);
  if (rule.maxAge !== undefined) headers["access-control-max-age"] = rule.maxAge;
  return headers;
}

/**
 * Access-Control-Expose-Headers from the rule's ExposeHeader names; a name no header value can carry (the XML takes
 * any text: a control character, or beyond ISO-8859-1) is left out rather than failing the whole answer.
 */
function exposeHeaders(rule: { expose: string[] }, headers: Record<string, string>): void {
  const names = rule.expose.filter((n) => !/[\u0000-\u0008\u000a-\u001f\u007f\u0100-\uffff]/.test(n));
  if (names.length) headers["access-control-expose-headers"] = names.join(", ");
}
