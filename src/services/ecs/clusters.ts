/** Clusters: create, describe (include TAGS/SETTINGS/STATISTICS/...), list, update, delete. Counts are derived. */
import type { Cluster, ClusterSetting, DescribeClustersResponse, KeyValuePair } from "@aws-sdk/client-ecs";
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import { callerArn, check, ecsArn, findCluster, includes, nameOf, STRATEGY_SPEC, state, TAG_SPEC, tagsOut } from "./common.js";
import { PutClusterCapacityProviders } from "./capacity-providers.js";
import { EcsErrors } from "./errors.js";
import { namespaceArn, withServiceConnect } from "./service-connect.js";
import type { ClusterRec, EcsState } from "./state.js";

const CLUSTER_NAME = /^[a-zA-Z0-9_-]{1,255}$/;

/** The wire cluster with counts derived from its tasks and services. */
export interface ClusterInclude {
  tags?: boolean;
  settings?: boolean;
  statistics?: boolean;
  configurations?: boolean;
  /** true: always (DescribeClusters with ATTACHMENTS); "any": only when there are some (write operations). */
  attachments?: boolean | "any";
}

/** What a write operation (create/update/put/delete) returns of a cluster. */
export const WRITTEN: ClusterInclude = { settings: true, configurations: true, attachments: "any" };

export function clusterView(c: ClusterRec, include: ClusterInclude = {}): Cluster {
  let running = 0;
  let pending = 0;
  const stats = {
    runningEC2TasksCount: 0,
    runningFargateTasksCount: 0,
    pendingEC2TasksCount: 0,
    pendingFargateTasksCount: 0,
    activeEC2ServiceCount: 0,
    activeFargateServiceCount: 0,
    drainingEC2ServiceCount: 0,
    drainingFargateServiceCount: 0,
  };
  for (const t of c.tasks.values()) {
    const fargate = t.task.launchType === "FARGATE" || t.task.capacityProviderName?.startsWith("FARGATE");
    if (t.task.lastStatus === "RUNNING") {
      running++;
      fargate ? stats.runningFargateTasksCount++ : stats.runningEC2TasksCount++;
    } else if (t.task.lastStatus !== "STOPPED" && t.task.lastStatus !== "DEPROVISIONING" && t.task.lastStatus !== "STOPPING") {
      pending++;
      fargate ? stats.pendingFargateTasksCount++ : stats.pendingEC2TasksCount++;
    }
  }
  let active = 0;
  for (const s of c.services.values()) {
    // A service whose capacity provider strategy names only the Fargate providers is a Fargate service too.
    const strategy = s.service.capacityProviderStrategy ?? [];
    const fargate =
      s.service.launchType === "FARGATE" ||
      (strategy.length > 0 && strategy.every((i) => i.capacityProvider === "FARGATE" || i.capacityProvider === "FARGATE_SPOT"));
    if (s.service.status === "ACTIVE") {
      active++;
      fargate ? stats.activeFargateServiceCount++ : stats.activeEC2ServiceCount++;
    } else if (s.service.status === "DRAINING") fargate ? stats.drainingFargateServiceCount++ : stats.drainingEC2ServiceCount++;
  }
  const { tags, settings, statistics: _s, configuration, attachments, ...rest } = c.cluster;
  const out: Cluster = {
    ...rest,
    registeredContainerInstancesCount: [...c.instances.values()].filter((i) => i.ci.status === "ACTIVE" || i.ci.status === "DRAINING").length,
    runningTasksCount: running,
    pendingTasksCount: pending,
    activeServicesCount: active,
  };
  // AWS answers statistics, tags and settings as empty lists when they were not asked for (recorded).
  out.statistics = include.statistics ? Object.entries(stats).map(([name, value]) => ({ name, value: String(value) })) : [];
  out.tags = include.tags ? tagsOut(tags) : [];
  out.settings = include.settings ? settings : [];
  if (include.configurations && configuration) out.configuration = configuration;
  if (include.attachments === true || (include.attachments === "any" && attachments?.length)) out.attachments = attachments ?? [];
  return out;
}

export async function CreateCluster(ctx: Ctx, input: unknown) {
  const v = check<{
    clusterName?: string;
    tags?: KeyValuePair[];
    settings?: ClusterSetting[];
    configuration?: unknown;
    capacityProviders?: string[];
    defaultCapacityProviderStrategy?: unknown[];
    serviceConnectDefaults?: { namespace?: string };
  }>(input, {
    clusterName: {},
    tags: TAG_SPEC,
    settings: { type: "list" },
    capacityProviders: { type: "list", items: {} },
    defaultCapacityProviderStrategy: STRATEGY_SPEC,
  });
  const name = v.clusterName ?? "default";
  if (!CLUSTER_NAME.test(name)) {
    throw EcsErrors.invalidParameter("Cluster name can only contain alphanumeric characters, hyphens, and underscores and must be up to 255 characters long.");
  }
  const st = state(ctx);
  const existing = st.clusters.get(name);
  if (existing && existing.cluster.status === "ACTIVE") return { cluster: clusterView(existing, { ...WRITTEN, tags: true }) };
  const rec: ClusterRec = {
    cluster: {
      clusterArn: ecsArn(st, `cluster/${name}`),
      clusterName: name,
      status: "ACTIVE",
      tags: (v.tags as { key?: string; value?: string }[] | undefined) ?? [],
      settings: v.settings?.length ? v.settings : [{ name: "containerInsights", value: containerInsightsDefault(ctx, st) }],
      capacityProviders: v.capacityProviders ?? [],
      defaultCapacityProviderStrategy: (v.defaultCapacityProviderStrategy as Cluster["defaultCapacityProviderStrategy"]) ?? [],
      statistics: [],
      configuration: v.configuration as Cluster["configuration"],
      serviceConnectDefaults: v.serviceConnectDefaults?.namespace ? { namespace: await namespaceArn(ctx, v.serviceConnectDefaults.namespace) } : undefined,
      attachments: v.serviceConnectDefaults?.namespace ? withServiceConnect([]) : undefined,
    },
    tasks: new Map(),
    services: new Map(),
    byFamily: new Map(),
    byStartedBy: new Map(),
    byService: new Map(),
    instances: new Map(),
  };
  st.clusters.set(name, rec);
  if (v.capacityProviders?.length || v.defaultCapacityProviderStrategy?.length) {
    try {
      PutClusterCapacityProviders(ctx, {
        cluster: name,
        capacityProviders: v.capacityProviders ?? [],
        defaultCapacityProviderStrategy: v.defaultCapacityProviderStrategy ?? [],
      });
    } catch (e) {
      if (existing) st.clusters.set(name, existing);
      else st.clusters.delete(name);
      throw e;
    }
  }
  const answer = clusterView(rec, { ...WRITTEN, tags: true });
  // Providers given: AWS answers their attachments being set up (recorded attachmentsStatus UPDATE_IN_PROGRESS) and,
  // with Auto Scaling group providers, the cluster PROVISIONING ("resources needed for the capacity provider are
  // being created"); both complete at once.
  if (answer.attachmentsStatus) answer.attachmentsStatus = "UPDATE_IN_PROGRESS";
  if (answer.attachments?.some((a) => a.type === "as_policy")) answer.status = "PROVISIONING";
  return { cluster: answer };
}

/** The caller's effective containerInsights account setting: its own, else the account default, else disabled. */
function containerInsightsDefault(ctx: Ctx, st: EcsState): string {
  const own = st.accountSettings.get(`${callerArn(ctx, st.accountId)}|containerInsights`);
  return (own ?? st.accountSettings.get(`arn:aws:iam::${st.accountId}:root|containerInsights`))?.value ?? "disabled";
}

export function DescribeClusters(ctx: Ctx, input: unknown): DescribeClustersResponse {
  const v = check<{ clusters?: string[]; include?: string[] }>(input, {
    clusters: { type: "list", maxLength: 100, items: {} },
    include: { type: "list", items: { enum: ["ATTACHMENTS", "CONFIGURATIONS", "SETTINGS", "STATISTICS", "TAGS"] } },
  });
  const st = state(ctx);
  const refs = v.clusters?.length ? v.clusters : ["default"];
  const clusters: Cluster[] = [];
  const failures: DescribeClustersResponse["failures"] = [];
  for (const ref of refs) {
    const c = st.clusters.get(nameOf(ref));
    if (!c || (ref.startsWith("arn:") && c.cluster.clusterArn !== ref)) {
      failures.push({ arn: ref.startsWith("arn:") ? ref : ecsArn(st, `cluster/${ref}`), reason: "MISSING" });
      continue;
    }
    clusters.push(
      clusterView(c, {
        tags: includes(v, "TAGS"),
        settings: includes(v, "SETTINGS"),
        statistics: includes(v, "STATISTICS"),
        configurations: includes(v, "CONFIGURATIONS"),
        attachments: includes(v, "ATTACHMENTS"),
      }),
    );
  }
  return { clusters, failures };
}

export function ListClusters(ctx: Ctx, input: unknown) {
  const v = check<{ maxResults?: number; nextToken?: string }>(input, { maxResults: { type: "integer", min: 1, max: 100 }, nextToken: {} });
  const arns = [...state(ctx).clusters.values()]
    .filter((c) => c.cluster.status === "ACTIVE")
    .map((c) => c.cluster.clusterArn)
    .sort();
  const page = paginate(arns, { maxResults: v.maxResults, nextToken: v.nextToken, defaultMax: 100, key: (a) => a, invalidToken: EcsErrors.invalidToken });
  return { clusterArns: page.items, nextToken: page.nextToken };
}

export async function UpdateCluster(ctx: Ctx, input: unknown) {
  const v = check<{ cluster: string; settings?: ClusterSetting[]; configuration?: unknown; serviceConnectDefaults?: { namespace?: string } }>(input, {
    cluster: { required: true },
    settings: { type: "list" },
  });
  const c = findCluster(state(ctx), v.cluster);
  if (v.settings) c.cluster.settings = mergeSettings(c.cluster.settings ?? [], v.settings);
  if (v.configuration) c.cluster.configuration = v.configuration as Cluster["configuration"];
  if (v.serviceConnectDefaults?.namespace) {
    const namespace = await namespaceArn(ctx, v.serviceConnectDefaults.namespace);
    if (namespace !== c.cluster.serviceConnectDefaults?.namespace) c.cluster.attachments = withServiceConnect(c.cluster.attachments);
    c.cluster.serviceConnectDefaults = { namespace };
  }
  return { cluster: clusterView(c, WRITTEN) };
}

export function UpdateClusterSettings(ctx: Ctx, input: unknown) {
  const v = check<{ cluster: string; settings: ClusterSetting[] }>(input, { cluster: { required: true }, settings: { type: "list", required: true } });
  const c = findCluster(state(ctx), v.cluster);
  c.cluster.settings = mergeSettings(c.cluster.settings ?? [], v.settings);
  return { cluster: clusterView(c, WRITTEN) };
}

function mergeSettings(old: ClusterSetting[], next: ClusterSetting[]): ClusterSetting[] {
  const m = new Map(old.map((s) => [s.name, s]));
  for (const s of next) m.set(s.name, s);
  return [...m.values()];
}

export async function DeleteCluster(ctx: Ctx, input: unknown) {
  const v = check<{ cluster: string }>(input, { cluster: { required: true } });
  const st = state(ctx);
  const c = findCluster(st, v.cluster);
  if ([...c.services.values()].some((s) => s.service.status === "ACTIVE" || s.service.status === "DRAINING")) throw EcsErrors.clusterContainsServices();
  if ((c.cluster.capacityProviders ?? []).some((n) => st.capacityProviders.get(n)?.cluster === c.cluster.clusterName)) {
    throw EcsErrors.client("The Cluster cannot be deleted while Cluster Scoped Capacity Providers are attached to the cluster.");
  }
  if ([...c.instances.values()].some((i) => i.ci.status === "ACTIVE" || i.ci.status === "DRAINING")) throw EcsErrors.clusterContainsInstances();
  if ([...c.tasks.values()].some((t) => t.task.lastStatus !== "STOPPED")) throw EcsErrors.clusterContainsTasks();
  c.cluster.status = "INACTIVE";
  return { cluster: clusterView(c, WRITTEN) };
}

export function clusterCounts(st: EcsState) {
  let active = 0;
  for (const c of st.clusters.values()) if (c.cluster.status === "ACTIVE") active++;
  return active;
}
