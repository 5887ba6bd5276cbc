/** ECS helpers: ARNs, reference resolution, validation options. */
import type { Tag } from "@aws-sdk/client-ecs";
import type { Ctx } from "../core/types.js";
import { validate, type Spec } from "../core/validate.js";
import { AwsError } from "../../protocols/aws-error.js";
import { EcsErrors } from "./errors.js";
import type { ClusterRec, EcsState } from "./state.js";

export const state = (ctx: Ctx) => ctx.state<EcsState>();

export function check<T>(input: unknown, spec: Spec): T {
  return validate<T>(dropNulls(input), spec, { code: "InvalidParameterException" });
}

const TOO_DEEP = new Error("clone: too deep");

/**
 * A deep copy of wire data (plain objects, arrays, Dates, primitives), as structuredClone makes it but
 * about five times cheaper; anything else (class instances, Maps, typed arrays) and values nested deeper
 * than 100 (so cycles) are copied by structuredClone itself.
 */
export function cloneData<T>(v: T): T {
  try {
    return cloneIn(v, 0) as T;
  } catch (e) {
    if (e === TOO_DEEP) return structuredClone(v);
    throw e;
  }
}

function cloneIn(v: unknown, depth: number): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (depth > 100) throw TOO_DEEP;
  if (Array.isArray(v)) return v.map((x) => cloneIn(x, depth + 1));
  if (v instanceof Date) return new Date(v.getTime());
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(v)) o[k] = cloneIn((v as Record<string, unknown>)[k], depth + 1);
  return o;
}

/** A JSON null member is an absent member. */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (typeof v !== "object" || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = dropNulls(x);
  return out;
}

export const ecsArn = (st: EcsState, resource: string) => `arn:aws:ecs:${st.region}:${st.accountId}:${resource}`;

/** The last path segment of a name-or-ARN reference. */
export function nameOf(ref: string): string {
  if (!ref.startsWith("arn:")) return ref;
  const i = ref.lastIndexOf("/");
  return i < 0 ? ref : ref.slice(i + 1);
}

/** A cluster reference (name or ARN, default "default") → the ACTIVE cluster, or ClusterNotFoundException. */
export function findCluster(st: EcsState, ref: string | undefined): ClusterRec {
  if (ref !== undefined && typeof ref !== "string") throw new AwsError("SerializationException", "STRING_VALUE can not be converted to a String", 400);
  const name = ref === undefined || ref === "" ? "default" : ref.startsWith("arn:") ? clusterNameFromArn(st, ref) : ref;
  const c = name === undefined ? undefined : st.clusters.get(name);
  if (c?.cluster.status !== "ACTIVE") throw EcsErrors.clusterNotFound();
  return c;
}

function clusterNameFromArn(st: EcsState, arn: string): string | undefined {
  const m = /^arn:aws[\w-]*:ecs:([^:]+):(\d{12}):cluster\/(.+)$/.exec(arn);
  if (!m || m[1] !== st.region || m[2] !== st.accountId) return undefined;
  return m[3];
}

export function tagsOut(tags: Tag[] | undefined): Tag[] {
  return (tags ?? []).map((t) => ({ key: t.key, value: t.value }));
}

export const TAG_SPEC = {
  type: "list",
  maxLength: 50,
  items: { type: "structure", fields: { key: { required: true, minLength: 1, maxLength: 128 }, value: { maxLength: 256 } } },
} as const;

export function includes(input: { include?: string[] }, what: string): boolean {
  return Array.isArray(input.include) && input.include.includes(what);
}

/** Input shapes the handlers walk, so an ill-typed member is a 400 and never a TypeError. */
const STR_LIST = { type: "list", items: {} } as const;
const KV_LIST = { type: "list", items: { type: "structure", fields: { name: {}, value: {} } } } as const;

/** A capacity provider strategy as AWS answers it: weight and base default to 0 (API reference; put-cluster-capacity-providers example). */
export function strategyWithDefaults<T extends { capacityProvider?: string; weight?: number; base?: number }>(list: T[]): T[];
export function strategyWithDefaults<T extends { capacityProvider?: string; weight?: number; base?: number }>(list: T[] | undefined): T[] | undefined;
export function strategyWithDefaults<T extends { capacityProvider?: string; weight?: number; base?: number }>(list: T[] | undefined): T[] | undefined {
  return list?.map((i) => ({ ...i, weight: i.weight ?? 0, base: i.base ?? 0 }));
}

export const STRATEGY_SPEC = {
  type: "list",
  maxLength: 20,
  items: {
    type: "structure",
    fields: { capacityProvider: { required: true }, weight: { type: "integer", min: 0, max: 1000 }, base: { type: "integer", min: 0, max: 100000 } },
  },
} as const;

export const NETWORK_SPEC = {
  type: "structure",
  fields: {
    awsvpcConfiguration: {
      type: "structure",
      fields: { subnets: { ...STR_LIST, required: true }, securityGroups: STR_LIST, assignPublicIp: { enum: ["ENABLED", "DISABLED"] } },
    },
  },
} as const;

export const OVERRIDES_SPEC = {
  type: "structure",
  fields: {
    containerOverrides: {
      type: "list",
      items: {
        type: "structure",
        fields: {
          name: {},
          command: STR_LIST,
          environment: KV_LIST,
          environmentFiles: { type: "list", items: { type: "structure" } },
          cpu: { type: "integer" },
          memory: { type: "integer" },
          memoryReservation: { type: "integer" },
          resourceRequirements: { type: "list", items: { type: "structure", fields: { value: {}, type: {} } } },
        },
      },
    },
    cpu: {},
    memory: {},
    taskRoleArn: {},
    executionRoleArn: {},
    inferenceAcceleratorOverrides: { type: "list", items: { type: "structure" } },
    ephemeralStorage: { type: "structure", fields: { sizeInGiB: { type: "integer" } } },
  },
} as const;

export const PLACEMENT_CONSTRAINTS_SPEC = {
  type: "list",
  maxLength: 10,
  items: { type: "structure", fields: { type: { enum: ["distinctInstance", "memberOf"] }, expression: { maxLength: 2000 } } },
} as const;

export const PLACEMENT_STRATEGY_SPEC = {
  type: "list",
  maxLength: 5,
  items: { type: "structure", fields: { type: { enum: ["random", "spread", "binpack"] }, field: {} } },
} as const;

const PORT_MAPPING = {
  type: "structure",
  fields: { containerPort: { type: "integer" }, hostPort: { type: "integer" }, protocol: { enum: ["tcp", "udp"] }, name: {}, containerPortRange: {} },
} as const;

export const CONTAINER_DEFS_SPEC = {
  type: "list",
  items: {
    type: "structure",
    fields: {
      name: {},
      image: {},
      cpu: { type: "integer" },
      memory: { type: "integer" },
      memoryReservation: { type: "integer" },
      essential: { type: "boolean" },
      entryPoint: STR_LIST,
      command: STR_LIST,
      workingDirectory: {},
      environment: KV_LIST,
      portMappings: { type: "list", items: PORT_MAPPING },
      mountPoints: { type: "list", items: { type: "structure" } },
      volumesFrom: { type: "list", items: { type: "structure" } },
      systemControls: { type: "list", items: { type: "structure" } },
      links: STR_LIST,
      secrets: { type: "list", items: { type: "structure", fields: { name: {}, valueFrom: {} } } },
      dependsOn: { type: "list", items: { type: "structure", fields: { containerName: {}, condition: {} } } },
      stopTimeout: { type: "integer" },
      startTimeout: { type: "integer" },
      logConfiguration: { type: "structure", fields: { logDriver: {}, options: { type: "map" } } },
      healthCheck: {
        type: "structure",
        fields: {
          command: STR_LIST,
          interval: { type: "integer" },
          timeout: { type: "integer" },
          retries: { type: "integer" },
          startPeriod: { type: "integer" },
        },
      },
      resourceRequirements: { type: "list", items: { type: "structure", fields: { value: {}, type: {} } } },
    },
  },
} as const;

/** A string member's value when it is one (handlers survive any JSON value). */
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

// Who made the request (the account root, an IAM user, an assumed role or its session): shared with Logs.
export { callerArn } from "../core/arn.js";

/** A service's or task set's network configuration as AWS keeps it: assignPublicIp DISABLED unless given (recorded). */
export function networkWithDefaults<T extends { awsvpcConfiguration?: { assignPublicIp?: string } } | undefined>(n: T): T {
  if (!n?.awsvpcConfiguration) return n;
  return { ...n, awsvpcConfiguration: { ...n.awsvpcConfiguration, assignPublicIp: n.awsvpcConfiguration.assignPublicIp ?? "DISABLED" } };
}
