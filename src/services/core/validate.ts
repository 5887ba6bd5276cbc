/**
 * Declarative input checks. A per-operation spec (type, required, enum, min/max, length, pattern) both
 * coerces Query strings to their types and validates, and one renderer produces AWS's message:
 *   1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must ...
 */
import { AwsError } from "../../protocols/aws-error.js";

export interface FieldSpec {
  type?: "string" | "integer" | "long" | "double" | "boolean" | "list" | "map" | "structure" | "timestamp";
  required?: boolean;
  /** Numeric range. */
  min?: number;
  max?: number;
  /** String length or list size. */
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
  enum?: readonly string[];
  items?: FieldSpec;
  fields?: Spec;
}
export type Spec = Record<string, FieldSpec>;

export interface ValidateOptions {
  /** The error code AWS uses for this service: ValidationException (JSON), ValidationError (IAM/STS). */
  code?: string;
  /** Name members in messages lowerCamel (AWS does for most services). */
  camel?: boolean;
  /** Coerce strings (Query protocols) to numbers and booleans. */
  coerce?: boolean;
}

const camel = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export function validate<T = Record<string, unknown>>(input: unknown, spec: Spec, opts: ValidateOptions = {}): T {
  const errors: string[] = [];
  const out = check(input ?? {}, spec, "", errors, opts);
  if (errors.length) {
    const n = errors.length;
    throw new AwsError(opts.code ?? "ValidationException", `${n} validation error${n > 1 ? "s" : ""} detected: ${errors.join("; ")}`, 400);
  }
  return out as T;
}

function show(v: unknown): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v) || (typeof v === "object" && v !== null)) return JSON.stringify(v);
  return String(v);
}

function check(input: unknown, spec: Spec, path: string, errors: string[], opts: ValidateOptions): Record<string, unknown> {
  const obj = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  const out: Record<string, unknown> = { ...obj };
  for (const [name, fs] of Object.entries(spec)) {
    const at = path + (opts.camel === false ? name : camel(name));
    const v = checkField(obj[name], fs, at, errors, opts);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

function checkField(v: unknown, fs: FieldSpec, at: string, errors: string[], opts: ValidateOptions): unknown {
  const fail = (c: string) => errors.push(`Value ${v === undefined ? "null" : `'${show(v)}'`} at '${at}' failed to satisfy constraint: ${c}`);
  if (v === undefined || v === null) {
    if (fs.required) fail("Member must not be null");
    return undefined;
  }
  switch (fs.type ?? "string") {
    case "integer":
    case "long":
    case "double": {
      const n = typeof v === "number" ? v : opts.coerce && typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
      if (Number.isNaN(n) || (fs.type !== "double" && !Number.isInteger(n))) {
        fail(`Member must be ${fs.type === "double" ? "a number" : "an integer"}`);
        return v;
      }
      if (fs.min !== undefined && n < fs.min) fail(`Member must have value greater than or equal to ${fs.min}`);
      if (fs.max !== undefined && n > fs.max) fail(`Member must have value less than or equal to ${fs.max}`);
      return n;
    }
    case "boolean": {
      if (typeof v === "boolean") return v;
      if (opts.coerce && (v === "true" || v === "false")) return v === "true";
      fail("Member must be a boolean");
      return v;
    }
    case "list": {
      const arr = Array.isArray(v) ? v : opts.coerce && v === "" ? [] : undefined;
      if (!arr) {
        fail("Member must be a list");
        return v;
      }
      if (fs.minLength !== undefined && arr.length < fs.minLength) fail(`Member must have length greater than or equal to ${fs.minLength}`);
      if (fs.maxLength !== undefined && arr.length > fs.maxLength) fail(`Member must have length less than or equal to ${fs.maxLength}`);
      return fs.items ? arr.map((x, i) => checkField(x, fs.items!, `${at}.${i + 1}.member`, errors, opts)) : arr;
    }
    case "structure":
      if (typeof v !== "object" || Array.isArray(v)) {
        fail("Member must be a structure");
        return v;
      }
      return fs.fields ? check(v, fs.fields, `${at}.`, errors, opts) : v;
    case "map":
      if (typeof v !== "object" || Array.isArray(v)) fail("Member must be a map");
      return v;
    case "timestamp":
      return v;
    default: {
      if (typeof v !== "string") {
        fail("Member must be a string");
        return v;
      }
      // AWS lists the pattern failure before the length failures.
      if (fs.pattern && !fs.pattern.test(v)) fail(`Member must satisfy regular expression pattern: ${patternText(fs.pattern)}`);
      if (fs.enum && !fs.enum.includes(v)) fail(`Member must satisfy enum value set: [${fs.enum.join(", ")}]`);
      if (fs.minLength !== undefined && v.length < fs.minLength) fail(`Member must have length greater than or equal to ${fs.minLength}`);
      if (fs.maxLength !== undefined && v.length > fs.maxLength) fail(`Member must have length less than or equal to ${fs.maxLength}`);
      return v;
    }
  }
}

/** AWS prints the model's pattern without anchors: /^[\w+=,.@-]*$/ → [\w+=,.@-]* */
function patternText(re: RegExp): string {
  return re.source.replace(/^\^/, "").replace(/\$$/, "");
}
