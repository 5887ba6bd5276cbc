/**
 * Input validation from the model, compiled once per (model, shape) and cached: required members, enum,
 * min/max (length of strings, blobs, lists and maps; value of numbers) and patterns, rendered as AWS's
 * validation framework writes them:
 *   1 validation error detected: Value 'x' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64
 * Paths are lowerCamel member names joined by '.', list elements as `tags.1.member.key` (1-based).
 * Each service's error code and message form is in VALIDATION_STYLE (looked up per service).
 */
import { AwsError } from "../aws-error.js";
import { loadModel } from "./load.js";
import type { MemberRef, ServiceModel, Shape } from "./types.js";

type Check = (v: unknown, path: string, errors: string[]) => void;

export interface ValidationStyle {
  code: string;
  status: number;
  /** Render the collected errors into the message (default: AWS's "N validation error(s) detected: ..."). */
  render?: (errors: string[], inputShape?: string) => string;
  /** Paths as EC2 wire names (queryName, else locationName capitalized, else the member name). */
  ec2Names?: boolean;
  /** Values AWS accepts for an enum shape beyond the model's list (shape name → extra values). */
  enumAliases?: Record<string, string[]>;
  /** A scalar list's member violation lists every constraint of the member shape (max, min, pattern), not only the failing ones. */
  listMemberAllConstraints?: boolean;
  /** The order AWS lists an enum's values in its message when it differs from the model's (shape name → values). */
  enumOrder?: Record<string, string[]>;
  /** Shapes whose model pattern AWS does not enforce (shape names). */
  unenforcedPatterns?: string[];
  /** Structures AWS shows in a list's value as Java's toString, `Shape(field=value, ...)` with null when unset (shape name → field order). */
  javaToString?: Record<string, string[]>;
}

const standard = (errors: string[]) => `${errors.length} validation error${errors.length > 1 ? "s" : ""} detected: ${errors.join("; ")}`;

/**
 * Lambda's alias weights (a map of version → double): AWS shows the map with Java doubles ({2=2.0}) and lists
 * every constraint of the failing side, "Member must not be null" last (recorded: CreateAlias RoutingConfig).
 */
function lambdaWeights(e: string): string {
  const list = lambdaLists(e);
  if (list !== e) return list;
  const m =
    /^Value '\{(.*)\}' at 'routingConfig\.additionalVersionWeights' failed to satisfy constraint: Map (value|keys) must satisfy constraint: \[.*\]$/s.exec(e);
  if (!m) return e;
  const shown = m[1]!
    .split(", ")
    .map((kv) => kv.replace(/=(-?\d+)$/, "=$1.0"))
    .join(", ");
  const all =
    m[2] === "value"
      ? "Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null"
      : "Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+, Member must not be null";
  return `Value '{${shown}}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map ${m[2]} must satisfy constraint: [${all}]`;
}

/** AWS's list of runtimes in Lambda's messages (recorded against AWS, 2024). */
const LAMBDA_RUNTIMES =
  "[nodejs20.x, provided.al2023, python3.12, java17, nodejs16.x, dotnet8, python3.10, java11, python3.11, dotnet6, java21, nodejs18.x, provided.al2, java8.al2, ruby3.2, python3.8, python3.9]";

/**
 * Lambda's list members (recorded against AWS): CreateFunction's architectures and layers list every constraint
 * of the member and "Member must not be null"; PublishLayerVersion's compatibleRuntimes names the runtimes directly.
 */
function lambdaLists(e: string): string {
  const m = /^(Value '.*' at '(architectures|layers|compatibleRuntimes)' failed to satisfy constraint: )Member must satisfy constraint: \[(.*)\]$/s.exec(e);
  if (!m) return e;
  if (m[2] === "compatibleRuntimes") return `${m[1]}Member must satisfy enum value set: ${LAMBDA_RUNTIMES}`;
  if (m[2] === "architectures") return `${m[1]}Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]`;
  const pattern = /Member must satisfy regular expression pattern: (.*)$/s.exec(m[3]!)?.[1];
  if (!pattern) return e;
  return `${m[1]}Member must satisfy constraint: [Member must have length less than or equal to 140, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ${pattern}, Member must not be null]`;
}

/** The error each service answers for a model constraint violation (looked up per service, not assumed). */
export const VALIDATION_STYLE: Record<string, ValidationStyle> = {
  // IAM (as recorded against AWS in 2026): no values in the message, violations in Java hash order, a scalar
  // list's member constraints listed whole, and its own sentence for a path that fails the pattern.
  iam: {
    code: "ValidationError",
    status: 400,
    listMemberAllConstraints: true,
    render: (errors) => {
      const parsed = errors.map((e) => {
        const m = /^Value (?:null|'[\s\S]*') at '([^']*)' failed to satisfy constraint: ([\s\S]*)$/.exec(e);
        if (!m) return { path: "", text: e };
        // Tag-key lists also name the member's not-null constraint (recorded for UntagRole/UntagPolicy).
        const c = m[1] === "tagKeys" ? m[2]!.replace(/^(Member must satisfy constraint: \[.*)\]$/s, "$1, Member must not be null]") : m[2];
        return { path: m[1]!, text: `Value at '${m[1]}' failed to satisfy constraint: ${c}` };
      });
      // IAM checks a path's pattern after its other constraints, with a sentence of its own.
      const isPathPattern = (e: { path: string; text: string }) => e.path === "path" && e.text.includes("Member must satisfy regular expression pattern");
      const rest = parsed.filter((e) => !isPathPattern(e));
      if (rest.length === 0)
        return "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.";
      return standard(javaHashOrder(rest, (e) => e.path).map((e) => e.text));
    },
  },
  sts: { code: "ValidationError", status: 400 },
  logs: {
    code: "InvalidParameterException",
    status: 400,
    // A log group or stream name over 512 characters has its own message (recorded from AWS, CreateLogGroup and
    // DeleteMetricFilter); every other violation is the standard list.
    render: (errors) =>
      errors.some((x) =>
        /^Value '.*' at '(logGroupName|logStreamName)' failed to satisfy constraint: Member must have length less than or equal to 512$/s.test(x),
      )
        ? "Invalid LogGroup or LogStream, both must have length less than or equal to 512."
        : standard(errors),
    // PutDeliveryDestination's outputFormat (recorded from AWS).
    enumOrder: { OutputFormat: ["w3c", "raw", "json", "plain", "parquet"] },
    // AWS accepts a metric namespace with ':' despite the model's [^:*$]* (recorded: PutMetricFilter and
    // DescribeMetricFilters with "A.B-c_d/1#2:metricNamespace"), and shows a too-long metricTransformations list
    // as Java's toString of its MetricTransformation objects (recorded: PutMetricFilter with two).
    unenforcedPatterns: ["MetricNamespace"],
    javaToString: { MetricTransformation: ["metricName", "metricNamespace", "metricValue", "defaultValue", "unit", "dimensions"] },
  },
  lambda: {
    code: "ValidationException",
    status: 400,
    // CreateEventSourceMapping's startingPosition and CreateFunctionUrlConfig's invokeMode (recorded against AWS, 2025).
    enumOrder: { EventSourcePosition: ["LATEST", "AT_TIMESTAMP", "TRIM_HORIZON"], InvokeMode: ["RESPONSE_STREAM", "BUFFERED"] },
    // An unknown Runtime is InvalidParameterValueException, its value unquoted and AWS's list of runtimes it
    // creates functions with (recorded against AWS, CreateFunction and UpdateFunctionConfiguration, 2024).
    render: (errors) => {
      const m = errors.length === 1 ? /^Value '(.*)' at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: /s.exec(errors[0]!) : null;
      if (m)
        throw new AwsError(
          "InvalidParameterValueException",
          `Value ${m[1]} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: ${LAMBDA_RUNTIMES} or be a valid ARN`,
          400,
        );
      return standard(errors.map(lambdaWeights));
    },
  },
  efs: { code: "ValidationException", status: 400 },
  ecs: { code: "InvalidParameterException", status: 400 },
  servicediscovery: { code: "InvalidInput", status: 400 },
  ecr: {
    code: "InvalidParameterException",
    status: 400,
    // ECR: "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression ...'"
    render: (errors) => {
      const m = /^Value (?:.*) at '([^']*)' failed to satisfy constraint: (.*)$/s.exec(errors[0]!);
      if (!m) return errors[0]!;
      const c = m[2]!
        .replace(/^Member must satisfy regular expression pattern: (.*)$/s, "must satisfy regular expression '$1'")
        .replace(/^Member must /, "must ");
      return `Invalid parameter at '${m[1]}' failed to satisfy constraint: '${c}'`;
    },
  },
  ec2: {
    code: "InvalidParameterValue",
    status: 400,
    ec2Names: true,
    // The model lists noTermination/default; EC2 answers (and takes) "Default"/"NoTermination", which SDK users
    // and Terraform send.
    // EC2 Fleet takes (and answers) "lowestPrice" for both allocation strategies: Terraform's aws_ec2_fleet sends it
    // by default, noting the SDK's "lowest-price" constant is not what the API uses.
    enumAliases: {
      ExcessCapacityTerminationPolicy: ["Default", "NoTermination"],
      SpotAllocationStrategy: ["lowestPrice"],
      FleetOnDemandAllocationStrategy: ["lowestPrice"],
    },
    // EC2: "The request must contain the parameter InstanceId" (MissingParameter) for a missing member; else
    // InvalidParameterValue naming the parameter and the value.
    render: (errors, inputShape) => {
      const m = /^Value (null|'(.*)') at '([^']*)' failed to satisfy constraint: (.*)$/s.exec(errors[0]!);
      if (!m) return errors[0]!;
      if (m[1] === "null") throw new AwsError("MissingParameter", `The request must contain the parameter ${m[3]}`, 400);
      // DescribeInstanceTypes naming an unknown type: AWS's InvalidInstanceType.
      // It names only the unknown ones (the others are in the model's InstanceType enum).
      if (inputShape === "DescribeInstanceTypesRequest" && m[3] === "InstanceType" && m[2]?.startsWith("[") && m[4]!.includes("enum value set")) {
        const known = new Set(loadModel("ec2").shapes.InstanceType?.enum ?? []);
        const unknown = m[2]
          .slice(1, -1)
          .split(", ")
          .filter((n) => !known.has(n));
        throw new AwsError("InvalidInstanceType", `The following supplied instance types do not exist: [${unknown.join(", ")}]`, 400);
      }
      // RunInstances with a type EC2 does not have: AWS's own text (as users quote it), not the enum list.
      if (inputShape === "RunInstancesRequest" && m[3] === "InstanceType" && m[4]!.includes("enum value set"))
        throw new AwsError("InvalidParameterValue", `Invalid value '${m[2]}' for InstanceType.`, 400);
      // A malformed launch template name has its own code (AWS, validated by LocalStack's suite).
      if (m[3] === "LaunchTemplateName")
        throw new AwsError(
          "InvalidLaunchTemplateName.MalformedException",
          "A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.",
          400,
        );
      return `Value (${m[2]}) for parameter ${m[3]} is invalid. ${m[4]}`;
    },
  },
  s3: { code: "InvalidArgument", status: 400 },
};

const camel = (s: string) => (s.length > 0 ? s.charAt(0).toLowerCase() + s.slice(1) : s);

function show(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return `java.nio.HeapByteBuffer[pos=0 lim=${v.length} cap=${v.length}]`;
  if (Array.isArray(v)) return `[${v.map(show).join(", ")}]`;
  if (typeof v === "object" && v !== null)
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}=${show(x)}`)
      .join(", ")}}`;
  return String(v);
}

const fail = (errors: string[], v: unknown, path: string, c: string, shown?: string) =>
  errors.push(`Value ${v === undefined || v === null ? "null" : `'${shown ?? show(v)}'`} at '${path}' failed to satisfy constraint: ${c}`);

/** Java regex (the models' dialect) → JS, anchored as Java's matches(); undefined when JS cannot express it. */
function compilePattern(p: string): RegExp | undefined {
  for (const flags of ["u", ""]) {
    try {
      return new RegExp(`^(?:${p})$`, flags);
    } catch {
      /* try the next dialect */
    }
  }
  return undefined;
}

function sizeOf(v: unknown): number | undefined {
  if (typeof v === "string") return [...v].length === v.length ? v.length : [...v].length;
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return v.length;
  if (Array.isArray(v)) return v.length;
  if (typeof v === "object" && v !== null) return Object.keys(v).length;
  return undefined;
}

/** Constraint messages for one value against its shape's own constraints (not its members). */
function scalarConstraints(shape: Shape, aliases: string[] = []): ((v: unknown) => string[]) | undefined {
  const out: Array<(v: unknown) => string | undefined> = [];
  const isNum = shape.type === "integer" || shape.type === "long" || shape.type === "double" || shape.type === "float";
  if (shape.enum && shape.enum.length > 0) {
    const set = new Set([...shape.enum, ...aliases]);
    const msg = `Member must satisfy enum value set: [${shape.enum.join(", ")}]`;
    out.push((v) => (typeof v === "string" && !set.has(v) ? msg : undefined));
  }
  if (isNum) {
    if (shape.min !== undefined)
      out.push((v) => (typeof v === "number" && v < shape.min! ? `Member must have value greater than or equal to ${shape.min}` : undefined));
    if (shape.max !== undefined)
      out.push((v) => (typeof v === "number" && v > shape.max! ? `Member must have value less than or equal to ${shape.max}` : undefined));
  } else if (shape.type !== "structure" && shape.type !== "boolean" && shape.type !== "timestamp") {
    if (shape.min !== undefined && shape.min > 0)
      out.push((v) => {
        const n = sizeOf(v);
        return n !== undefined && n < shape.min! ? `Member must have length greater than or equal to ${shape.min}` : undefined;
      });
    if (shape.max !== undefined)
      out.push((v) => {
        const n = sizeOf(v);
        return n !== undefined && n > shape.max! ? `Member must have length less than or equal to ${shape.max}` : undefined;
      });
  }
  if (shape.pattern && shape.type === "string") {
    const re = compilePattern(shape.pattern);
    const msg = `Member must satisfy regular expression pattern: ${shape.pattern}`;
    if (re) out.push((v) => (typeof v === "string" && !re.test(v) ? msg : undefined));
  }
  if (out.length === 0) return undefined;
  return (v) => {
    const r: string[] = [];
    for (const f of out) {
      const m = f(v);
      if (m) r.push(m);
    }
    return r;
  };
}

/**
 * The order a Java HashSet keyed by these strings iterates in (String.hashCode, spread, table of 16 buckets
 * doubling past 0.75 load; insertion order within a bucket). IAM lists several violations in this order
 * (recorded: clientIDList, thumbprintList, url; minimumPasswordLength, passwordReusePrevention, maxPasswordAge).
 */
function javaHashOrder<T>(items: T[], key: (t: T) => string): T[] {
  let size = 16;
  while (items.length > size * 0.75) size *= 2;
  const bucket = (k: string) => {
    let h = 0;
    for (let i = 0; i < k.length; i++) h = (Math.imul(31, h) + k.charCodeAt(i)) | 0;
    return (h ^ (h >>> 16)) & (size - 1);
  };
  return items
    .map((t, i) => ({ t, i, b: bucket(key(t)) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((x) => x.t);
}

/** Every constraint message of a scalar shape, in the order AWS lists them when it lists them all: max, min, pattern. */
function allConstraints(shape: Shape): string[] {
  const out: string[] = [];
  if (shape.max !== undefined) out.push(`Member must have length less than or equal to ${shape.max}`);
  if (shape.min !== undefined && shape.min > 0) out.push(`Member must have length greater than or equal to ${shape.min}`);
  if (shape.pattern) out.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
  return out;
}

export class ModelValidator {
  private readonly cache = new Map<string, Check | null>();
  constructor(
    private readonly model: ServiceModel,
    private readonly style: ValidationStyle,
  ) {}

  /** Validate an operation's typed input; throws the service's validation error listing every violation. */
  validate(inputShape: string | undefined, input: unknown): void {
    if (!inputShape) return;
    const check = this.compile(inputShape);
    if (!check) return;
    const errors: string[] = [];
    check(input ?? {}, "", errors);
    if (errors.length > 0) {
      if (this.answersValidationException(inputShape)) throw new AwsError("ValidationException", standard(errors), 400);
      const msg = this.style.render ? this.style.render(errors, inputShape) : standard(errors);
      throw new AwsError(this.style.code, msg, this.style.status);
    }
  }

  private validationException?: Set<string>;
  /**
   * Newer operations of an older service (CloudWatch Logs deliveries and scheduled queries, ...) declare
   * ValidationException and not the service's usual validation error: AWS answers what the operation declares.
   */
  private answersValidationException(inputShape: string): boolean {
    if (!this.validationException) {
      this.validationException = new Set();
      for (const op of Object.values(this.model.operations)) {
        const errs = new Set((op.errors ?? []).map((e) => e.shape));
        if (op.input && errs.has("ValidationException") && !errs.has(this.style.code)) this.validationException.add(op.input.shape);
      }
    }
    return this.style.code !== "ValidationException" && this.validationException.has(inputShape);
  }

  private pathOf(parent: string, name: string, ref: MemberRef): string {
    let n: string;
    if (this.style.ec2Names) n = ref.queryName ?? (ref.locationName ? ref.locationName.charAt(0).toUpperCase() + ref.locationName.slice(1) : name);
    else n = camel(name);
    return parent ? `${parent}.${n}` : n;
  }

  /** A list of structures as Java's toString shows it: [Shape(a=1, b=null), ...]; a double member as Java writes it (0.0). */
  private javaList(shapeName: string, fields: string[], v: unknown): string | undefined {
    if (!Array.isArray(v)) return undefined;
    const members = this.model.shapes[shapeName]?.members ?? {};
    const one = (x: unknown) => {
      const o = (typeof x === "object" && x !== null ? x : {}) as Record<string, unknown>;
      const parts = fields.map((f) => {
        const val = o[f];
        if (val === undefined || val === null) return `${f}=null`;
        const type = members[f] ? this.model.shapes[members[f]!.shape]?.type : undefined;
        if (typeof val === "number" && (type === "double" || type === "float") && Number.isInteger(val)) return `${f}=${val.toFixed(1)}`;
        return `${f}=${show(val)}`;
      });
      return `${shapeName}(${parts.join(", ")})`;
    };
    return `[${v.map(one).join(", ")}]`;
  }

  /** A checker for values of `name`, or null when nothing under it is constrained. */
  private compile(name: string, depth = 0): Check | null {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    if (depth > 40) return null;
    this.cache.set(name, null); // recursion guard: a shape that contains itself is checked one level down
    const order = this.style.enumOrder?.[name];
    let shape = order ? { ...this.model.shapes[name]!, enum: order } : this.model.shapes[name];
    if (shape && this.style.unenforcedPatterns?.includes(name)) shape = { ...shape, pattern: undefined };
    let check: Check | null = null;
    if (shape) check = this.build(shape, depth, this.style.enumAliases?.[name]);
    this.cache.set(name, check);
    return check;
  }

  private build(shape: Shape, depth: number, aliases?: string[]): Check | null {
    const own = scalarConstraints(shape, aliases);
    if (shape.type === "structure") {
      const members = Object.entries(shape.members ?? {});
      const required = new Set(shape.required ?? []);
      const parts: Array<{ name: string; ref: MemberRef; required: boolean; check: Check | null }> = [];
      for (const [m, ref] of members) {
        const check = this.compile(ref.shape, depth + 1);
        if (check || required.has(m)) parts.push({ name: m, ref, required: required.has(m), check });
      }
      if (parts.length === 0) return null;
      return (v, path, errors) => {
        if (typeof v !== "object" || v === null) return;
        const o = v as Record<string, unknown>;
        for (const p of parts) {
          const x = o[p.name];
          // The member's path is built only when something may be reported under it.
          if (x === undefined || x === null) {
            if (p.required) fail(errors, undefined, this.pathOf(path, p.name, p.ref), "Member must not be null");
            continue;
          }
          p.check?.(x, this.pathOf(path, p.name, p.ref), errors);
        }
      };
    }
    if (shape.type === "list") {
      const memberShape = shape.member ? this.model.shapes[shape.member.shape] : undefined;
      const memberIsScalar = memberShape && memberShape.type !== "structure" && memberShape.type !== "list" && memberShape.type !== "map";
      const inner = shape.member ? this.compile(shape.member.shape, depth + 1) : null;
      const memberOwn = memberIsScalar && memberShape ? scalarConstraints(memberShape) : undefined;
      const memberAll = memberOwn && memberShape && this.style.listMemberAllConstraints ? allConstraints(memberShape) : undefined;
      if (!own && !inner) return null;
      const fields = shape.member ? this.style.javaToString?.[shape.member.shape] : undefined;
      const shown = fields && shape.member ? (v: unknown) => this.javaList(shape.member!.shape, fields, v) : undefined;
      return (v, path, errors) => {
        if (own) for (const c of own(v)) fail(errors, v, path, c, shown?.(v));
        if (!Array.isArray(v)) return;
        if (memberOwn) {
          // AWS reports a scalar list's member violations once, on the list: "Member must satisfy constraint: [...]".
          const msgs = new Set<string>();
          for (const x of v) if (x !== null && x !== undefined) for (const c of memberOwn(x)) msgs.add(c);
          if (msgs.size > 0) fail(errors, v, path, `Member must satisfy constraint: [${(memberAll ?? [...msgs]).join(", ")}]`);
          return;
        }
        if (inner)
          for (let i = 0; i < v.length; i++)
            if (v[i] !== null && v[i] !== undefined) inner(v[i], this.style.ec2Names ? `${path}.${i + 1}` : `${path}.${i + 1}.member`, errors);
      };
    }
    if (shape.type === "map") {
      const keyShape = shape.key ? this.model.shapes[shape.key.shape] : undefined;
      const valShape = shape.value ? this.model.shapes[shape.value.shape] : undefined;
      const keyOwn = keyShape ? scalarConstraints(keyShape) : undefined;
      const valScalar = valShape && valShape.type !== "structure" && valShape.type !== "list" && valShape.type !== "map";
      const valOwn = valScalar && valShape ? scalarConstraints(valShape) : undefined;
      const valInner = !valScalar && shape.value ? this.compile(shape.value.shape, depth + 1) : null;
      if (!own && !keyOwn && !valOwn && !valInner) return null;
      return (v, path, errors) => {
        if (own) for (const c of own(v)) fail(errors, v, path, c);
        if (typeof v !== "object" || v === null) return;
        const entries = Object.entries(v as Record<string, unknown>);
        if (keyOwn) {
          const msgs = new Set<string>();
          for (const [k] of entries) for (const c of keyOwn(k)) msgs.add(c);
          if (msgs.size > 0) fail(errors, v, path, `Map keys must satisfy constraint: [${[...msgs].join(", ")}]`);
        }
        if (valOwn) {
          const msgs = new Set<string>();
          for (const [, x] of entries) if (x !== null && x !== undefined) for (const c of valOwn(x)) msgs.add(c);
          if (msgs.size > 0) fail(errors, v, path, `Map value must satisfy constraint: [${[...msgs].join(", ")}]`);
        }
        if (valInner) for (const [k, x] of entries) if (x !== null && x !== undefined) valInner(x, `${path}.${k}`, errors);
      };
    }
    if (!own) return null;
    return (v, path, errors) => {
      for (const c of own(v)) fail(errors, v, path, c);
    };
  }
}
