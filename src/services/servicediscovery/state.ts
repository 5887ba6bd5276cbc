/** Cloud Map state per account+region, lookups (by id or ARN), operations and health rules. */
import { createHash, randomBytes } from "node:crypto";
import { AwsError } from "../../protocols/aws-error.js";
import type { Ctx } from "../core/types.js";

export type Input = Record<string, any>;
export type Tag = { Key: string; Value: string };

export interface Ns {
  id: string;
  arn: string;
  name: string;
  type: "HTTP" | "DNS_PRIVATE" | "DNS_PUBLIC";
  description?: string;
  created: Date;
  creatorRequestId?: string;
  vpc?: string;
  hostedZoneId?: string;
  soaTtl?: number;
  tags: Tag[];
}

export interface Instance {
  id: string;
  attrs: Record<string, string>;
  creatorRequestId?: string;
  health: "HEALTHY" | "UNHEALTHY" | "UNKNOWN";
}

export interface Svc {
  id: string;
  arn: string;
  name: string;
  nsId: string;
  description?: string;
  dnsConfig?: { NamespaceId?: string; RoutingPolicy?: string; DnsRecords: Array<{ Type: string; TTL: number }> };
  healthCheckConfig?: { Type: string; ResourcePath?: string; FailureThreshold?: number };
  healthCheckCustomConfig?: { FailureThreshold?: number };
  type?: string;
  created: Date;
  creatorRequestId?: string;
  tags: Tag[];
  attributes: Record<string, string>;
  instances: Map<string, Instance>;
  /** Increases on every change to the service's instances (DiscoverInstancesRevision). */
  revision: number;
}

export interface Op {
  id: string;
  type: string;
  status: string;
  created: Date;
  updated: Date;
  targets: Record<string, string>;
  /** A failed operation's ErrorCode and ErrorMessage (Status FAIL). */
  error?: { code: string; message: string };
}

export interface SdState {
  accountId: string;
  region: string;
  ns: Map<string, Ns>;
  svcs: Map<string, Svc>;
  ops: Map<string, Op>;
}

export const createSdState = ({ accountId, region }: { accountId: string; region: string }): SdState => ({
  accountId,
  region,
  ns: new Map(),
  svcs: new Map(),
  ops: new Map(),
});

export const st = (ctx: Ctx) => ctx.state<SdState>();
export const err = (code: string, m: string, extra?: Record<string, string>) => new AwsError(code, m, 400, { extra });
export const invalid = (m: string) => err("InvalidInput", m);
export const tok = { invalidToken: () => invalid("The NextToken is invalid.") };
export const lowerId = (p: string) => `${p}-${Array.from(randomBytes(16), (b) => "abcdefghijklmnopqrstuvwxyz234567"[b % 32]).join("")}`;

/**
 * A service's id follows from its namespace and name: a service deleted and created again gets its id back
 * (hashicorp/terraform-provider-aws#46930, 2026: "when it gets recreated it gets the same ID again").
 */
export function serviceId(s: SdState, nsId: string, name: string): string {
  const h = createHash("sha256").update(`${s.accountId}:${s.region}:${nsId}:${name}`).digest();
  return `srv-${Array.from(h.subarray(0, 16), (b) => BASE32[b % 32]).join("")}`;
}

/** Ids may be given as ARNs (shared namespaces): the id is the last path segment. */
const idOf = (v: unknown) => {
  const s = String(v ?? "");
  return s.startsWith("arn:") ? (s.split("/").pop() ?? "") : s;
};

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/**
 * Operation ids as AWS forms them: 32 base32 characters naming the target (the same for every operation on one
 * namespace, service or instance: AWS's examples register and deregister `myservice-53` as
 * 4yejorelbukcjzpnr6tlmrghsjwpngf4-k95yg2u7 and ...-k98rnaiq), a hyphen, then the operation's creation time in
 * milliseconds in base 36 (k9302yzd is 1587055860121, that operation's CreateDate).
 */
function opId(s: SdState, ms: number, targets: Record<string, string>): string {
  const target = targets.INSTANCE ? `${targets.SERVICE}/${targets.INSTANCE}` : (targets.NAMESPACE ?? targets.SERVICE ?? "");
  const h = createHash("sha256").update(`${s.accountId}:${s.region}:${target}`).digest();
  return `${Array.from(h.subarray(0, 32), (b) => BASE32[b % 32]).join("")}-${ms.toString(36)}`;
}

/** An operation, SUCCESS, or FAIL with `error` (AWS reports a failure there rather than as the request's error). */
export function op(s: SdState, now: Date, type: string, targets: Record<string, string>, error?: Op["error"]): { OperationId: string } {
  let ms = now.getTime();
  while (s.ops.has(opId(s, ms, targets))) ms++;
  const o: Op = { id: opId(s, ms, targets), type, status: error ? "FAIL" : "SUCCESS", created: now, updated: now, targets, error };
  s.ops.set(o.id, o);
  return { OperationId: o.id };
}

export function getNs(s: SdState, id: unknown): Ns {
  const n = s.ns.get(idOf(id));
  if (!n) throw err("NamespaceNotFound", `Namespace not found: ${id}`);
  return n;
}

export function getSvc(s: SdState, id: unknown): Svc {
  const v = s.svcs.get(idOf(id));
  if (!v) throw err("ServiceNotFound", `Service not found: ${id}`);
  return v;
}

export function getInstance(x: Svc, id: unknown): Instance {
  const i = x.instances.get(String(id));
  if (!i) throw err("InstanceNotFound", `Instance not found: ${id}`);
  return i;
}

/** The health an instance starts with: custom checks start HEALTHY (or AWS_INIT_HEALTH_STATUS); no check, UNKNOWN. */
export function initialHealth(x: Svc, attrs: Record<string, string>): Instance["health"] {
  if (x.healthCheckCustomConfig) return attrs.AWS_INIT_HEALTH_STATUS === "UNHEALTHY" ? "UNHEALTHY" : "HEALTHY";
  // Route 53 health checks are not performed: such instances are reported healthy.
  if (x.healthCheckConfig) return "HEALTHY";
  return "UNKNOWN";
}

export const hasHealthCheck = (x: Svc) => !!(x.healthCheckConfig || x.healthCheckCustomConfig);

/** Register (or update) an instance: shared by RegisterInstance and by ECS service registries. */
export function putInstance(s: SdState, x: Svc, id: string, attrs: Record<string, string>, creatorRequestId?: string): Instance {
  const prev = x.instances.get(id);
  const i: Instance = { id, attrs: { ...attrs }, creatorRequestId, health: prev?.health ?? initialHealth(x, attrs) };
  if (prev && x.healthCheckCustomConfig && attrs.AWS_INIT_HEALTH_STATUS === undefined) i.health = prev.health;
  x.instances.set(id, i);
  x.revision++;
  return i;
}

export function removeInstance(x: Svc, id: string): boolean {
  const had = x.instances.delete(id);
  if (had) x.revision++;
  return had;
}

/** Cloud Map filters: Name, Values, Condition EQ (default) | IN | BETWEEN | BEGINS_WITH. */
export function matches(value: string | undefined, f: { Values?: string[]; Condition?: string }): boolean {
  const vals = f.Values ?? [];
  switch (f.Condition ?? "EQ") {
    case "BEGINS_WITH":
      return vals.some((x) => value?.startsWith(x));
    case "BETWEEN":
      return value !== undefined && value >= vals[0]! && value <= vals[1]!;
    case "IN":
      return vals.includes(String(value));
    default:
      return vals.length > 0 && vals[0] === String(value);
  }
}

export function checkFilters(fs: Array<{ Name: string; Values?: string[]; Condition?: string }>, allowed: Record<string, string[]>): void {
  for (const f of fs) {
    const conds = allowed[f.Name];
    if (!conds) throw invalid(`The filter name ${f.Name} is not valid.`);
    const c = f.Condition ?? "EQ";
    if (!conds.includes(c)) throw invalid(`The condition ${c} is not supported for filter ${f.Name}.`);
    if (c === "BETWEEN" && f.Values?.length !== 2) throw invalid("The BETWEEN condition requires exactly two values.");
    if (c === "EQ" && (f.Values?.length ?? 0) !== 1) throw invalid(`The EQ condition requires exactly one value.`);
  }
}
