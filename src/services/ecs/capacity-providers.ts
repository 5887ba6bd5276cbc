/**
 * Capacity providers: Create/Update/Delete/Describe (FARGATE and FARGATE_SPOT built in), the cluster's
 * association (PutClusterCapacityProviders) and the strategy RunTask/CreateService resolve when no launch
 * type is given. Auto Scaling is not simulated: managedScaling is stored and described, not acted on.
 */
import type { Attachment, CapacityProvider, CapacityProviderStrategyItem, Cluster } from "@aws-sdk/client-ecs";
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import { randomUUID } from "node:crypto";
import { clusterView, WRITTEN } from "./clusters.js";
import { check, ecsArn, findCluster, includes, nameOf, STRATEGY_SPEC, state, TAG_SPEC, tagsOut } from "./common.js";
import { EcsErrors } from "./errors.js";
import type { ClusterRec, EcsState } from "./state.js";

export const BUILT_IN = ["FARGATE", "FARGATE_SPOT"];

const MANAGED_SCALING = {
  type: "structure",
  fields: {
    status: { enum: ["ENABLED", "DISABLED"] },
    targetCapacity: { type: "integer", min: 1, max: 100 },
    minimumScalingStepSize: { type: "integer", min: 1, max: 10000 },
    maximumScalingStepSize: { type: "integer", min: 1, max: 10000 },
    instanceWarmupPeriod: { type: "integer", min: 0, max: 10000 },
  },
} as const;

const ASG_FIELDS = {
  managedScaling: MANAGED_SCALING,
  managedTerminationProtection: { enum: ["ENABLED", "DISABLED"] },
  managedDraining: { enum: ["ENABLED", "DISABLED"] },
} as const;

type Stored = CapacityProvider & { name: string; capacityProviderArn: string };

function builtIn(st: EcsState, name: string): Stored {
  return { capacityProviderArn: ecsArn(st, `capacity-provider/${name}`), name, status: "ACTIVE", tags: [], type: name as CapacityProvider["type"] };
}

/** A capacity provider by name or ARN (built-ins included); INACTIVE ones only when asked for. */
export function findCapacityProvider(st: EcsState, ref: string, inactive = false): Stored | undefined {
  const name = nameOf(ref);
  if (BUILT_IN.includes(name)) return builtIn(st, name);
  const cp = st.capacityProviders.get(name);
  if (!cp || (ref.startsWith("arn:") && cp.capacityProviderArn !== ref)) return undefined;
  return cp.status === "INACTIVE" && !inactive ? undefined : cp;
}

function managedScaling(m: NonNullable<CapacityProvider["autoScalingGroupProvider"]>["managedScaling"] | undefined, old?: typeof m) {
  return {
    status: m?.status ?? old?.status ?? "DISABLED",
    targetCapacity: m?.targetCapacity ?? old?.targetCapacity ?? 100,
    minimumScalingStepSize: m?.minimumScalingStepSize ?? old?.minimumScalingStepSize ?? 1,
    maximumScalingStepSize: m?.maximumScalingStepSize ?? old?.maximumScalingStepSize ?? 10000,
    instanceWarmupPeriod: m?.instanceWarmupPeriod ?? old?.instanceWarmupPeriod ?? 300,
  };
}

export function CreateCapacityProvider(ctx: Ctx, input: unknown) {
  const v = check<{
    name: string;
    cluster?: string;
    autoScalingGroupProvider?: CapacityProvider["autoScalingGroupProvider"];
    managedInstancesProvider?: object;
    tags?: [];
  }>(input, {
    name: { required: true },
    cluster: {},
    autoScalingGroupProvider: { type: "structure", fields: { autoScalingGroupArn: { required: true }, ...ASG_FIELDS } },
    managedInstancesProvider: {
      type: "structure",
      fields: { infrastructureRoleArn: { required: true }, instanceLaunchTemplate: { type: "structure", required: true } },
    },
    tags: TAG_SPEC,
  });
  const st = state(ctx);
  // aws-samples/aws-cdk-examples#626 (a name starting with "aws").
  if (/^(aws|ecs|fargate)/i.test(v.name) || !/^[a-zA-Z0-9_-]{1,255}$/.test(v.name)) {
    throw EcsErrors.client(
      'The specified capacity provider name is invalid. Up to 255 characters are allowed, including letters (upper and lowercase), numbers, underscores, and hyphens. The name cannot be prefixed with "aws", "ecs", or "fargate". Specify a valid name and try again.',
    );
  }
  if (!/^[a-zA-Z0-9_-]{1,255}$/.test(v.name)) {
    throw EcsErrors.client(
      "The specified capacity provider name is invalid. Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.",
    );
  }
  const asg = v.autoScalingGroupProvider;
  if (!asg && !v.managedInstancesProvider)
    throw EcsErrors.invalidParameter("An Auto Scaling group provider or a managed instances provider must be specified.");
  const existing = st.capacityProviders.get(v.name);
  if (existing && existing.status !== "INACTIVE") {
    throw EcsErrors.client(
      "The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.",
    );
  }
  if (
    asg &&
    [...st.capacityProviders.values()].some((p) => p.status === "ACTIVE" && p.autoScalingGroupProvider?.autoScalingGroupArn === asg.autoScalingGroupArn)
  ) {
    throw EcsErrors.client(
      "The specified Auto Scaling group ARN is already being used by another capacity provider. Specify a unique Auto Scaling group ARN and try again.",
    );
  }
  if (v.cluster !== undefined) findCluster(st, v.cluster);
  const cp: Stored = {
    capacityProviderArn: ecsArn(st, `capacity-provider/${v.name}`),
    name: v.name,
    cluster: v.cluster !== undefined ? findCluster(st, v.cluster).cluster.clusterName : undefined,
    status: "ACTIVE",
    autoScalingGroupProvider: asg
      ? {
          autoScalingGroupArn: asg.autoScalingGroupArn,
          managedScaling: managedScaling(asg.managedScaling),
          managedTerminationProtection: asg.managedTerminationProtection ?? "DISABLED",
          managedDraining: asg.managedDraining ?? "ENABLED",
        }
      : undefined,
    managedInstancesProvider: v.managedInstancesProvider as CapacityProvider["managedInstancesProvider"],
    tags: tagsOut(v.tags),
    type: asg ? "EC2_AUTOSCALING" : "MANAGED_INSTANCES",
  };
  st.capacityProviders.set(v.name, cp);
  // A cluster-scoped provider (managed instances) is associated with its cluster at creation.
  if (cp.cluster) {
    const c = findCluster(st, cp.cluster);
    c.cluster.capacityProviders = [...(c.cluster.capacityProviders ?? []), cp.name];
  }
  return { capacityProvider: structuredClone(cp) };
}

export function UpdateCapacityProvider(ctx: Ctx, input: unknown) {
  const v = check<{
    name: string;
    cluster?: string;
    autoScalingGroupProvider?: CapacityProvider["autoScalingGroupProvider"];
    managedInstancesProvider?: object;
  }>(input, {
    name: { required: true },
    cluster: {},
    autoScalingGroupProvider: { type: "structure", fields: ASG_FIELDS },
    managedInstancesProvider: { type: "structure" },
  });
  const st = state(ctx);
  const cp = findCapacityProvider(st, v.name);
  if (!cp) throw EcsErrors.client("The specified capacity provider does not exist. Specify a valid name or ARN and try again.");
  if (BUILT_IN.includes(cp.name)) throw EcsErrors.client("The specified capacity provider is reserved and cannot be updated.");
  // AWS answers the configuration as it was, UPDATE_IN_PROGRESS (recorded); the update itself completes at once.
  const answer: CapacityProvider = { ...structuredClone(cp), updateStatus: "UPDATE_IN_PROGRESS", updateStatusReason: undefined };
  const asg = v.autoScalingGroupProvider;
  if (asg && cp.autoScalingGroupProvider) {
    const old = cp.autoScalingGroupProvider;
    cp.autoScalingGroupProvider = {
      ...old,
      managedScaling: managedScaling(asg.managedScaling, old.managedScaling),
      managedTerminationProtection: asg.managedTerminationProtection ?? old.managedTerminationProtection,
      managedDraining: asg.managedDraining ?? old.managedDraining,
    };
  }
  if (v.managedInstancesProvider && cp.managedInstancesProvider)
    cp.managedInstancesProvider = { ...cp.managedInstancesProvider, ...v.managedInstancesProvider };
  cp.updateStatus = "UPDATE_COMPLETE";
  cp.updateStatusReason = undefined;
  return { capacityProvider: answer };
}

export function DeleteCapacityProvider(ctx: Ctx, input: unknown) {
  const v = check<{ capacityProvider: string; cluster?: string }>(input, { capacityProvider: { required: true }, cluster: {} });
  const st = state(ctx);
  const cp = findCapacityProvider(st, v.capacityProvider);
  if (!cp) throw EcsErrors.client("The specified capacity provider does not exist. Specify a valid name or ARN and try again.");
  if (BUILT_IN.includes(cp.name)) throw EcsErrors.client("The specified capacity provider is reserved and cannot be deleted.");
  const cluster = [...st.clusters.values()].find((c) => c.cluster.status === "ACTIVE" && c.cluster.capacityProviders?.includes(cp.name));
  if (cluster) {
    cp.updateStatus = "DELETE_FAILED";
    cp.updateStatusReason = `The capacity provider cannot be deleted because it is associated with cluster: ${cluster.cluster.clusterName}. Remove the capacity provider from the cluster and try again.`;
    return { capacityProvider: structuredClone(cp) };
  }
  // AWS answers ACTIVE with DELETE_IN_PROGRESS (recorded); the deletion itself completes at once.
  const answer: CapacityProvider = { ...structuredClone(cp), updateStatus: "DELETE_IN_PROGRESS", updateStatusReason: undefined };
  cp.status = "INACTIVE";
  cp.updateStatus = "DELETE_COMPLETE";
  cp.updateStatusReason = undefined;
  return { capacityProvider: answer };
}

export function DescribeCapacityProviders(ctx: Ctx, input: unknown) {
  const v = check<{ capacityProviders?: string[]; cluster?: string; include?: string[]; maxResults?: number; nextToken?: string }>(input, {
    capacityProviders: { type: "list", items: {} },
    cluster: {},
    include: { type: "list", items: { enum: ["TAGS"] } },
    maxResults: { type: "integer" },
    nextToken: {},
  });
  const st = state(ctx);
  const withTags = includes(v, "TAGS");
  const view = (p: Stored): CapacityProvider => {
    const { tags, ...rest } = structuredClone(p);
    // Without include TAGS, AWS answers an empty tag list (recorded).
    return { ...rest, tags: withTags ? tags : [] };
  };
  if (v.capacityProviders?.length) {
    const out: CapacityProvider[] = [];
    const failures: Array<{ arn: string; reason: string }> = [];
    for (const ref of v.capacityProviders) {
      const p = findCapacityProvider(st, ref, true);
      if (p) out.push(view(p));
      else failures.push({ arn: ref.startsWith("arn:") ? ref : ecsArn(st, `capacity-provider/${ref}`), reason: "MISSING" });
    }
    return { capacityProviders: out, failures };
  }
  if (v.maxResults !== undefined && (v.maxResults < 1 || v.maxResults > 10)) throw EcsErrors.invalidParameter("maxResults must be between 1 and 10.");
  const all = [
    ...BUILT_IN.map((n) => builtIn(st, n)),
    ...[...st.capacityProviders.values()].filter((p) => p.status === "ACTIVE").sort((a, b) => (a.name < b.name ? -1 : 1)),
  ];
  const page = paginate(all, { maxResults: v.maxResults, nextToken: v.nextToken, defaultMax: 10, key: (p) => p.name, invalidToken: EcsErrors.invalidToken });
  return { capacityProviders: page.items.map(view), failures: [], nextToken: page.nextToken };
}

/** Services of the cluster whose strategy names a provider (they keep it in use). */
function providersInUse(c: ClusterRec): Set<string> {
  const used = new Set<string>();
  for (const s of c.services.values()) {
    if (s.service.status === "INACTIVE") continue;
    for (const item of s.service.capacityProviderStrategy ?? []) used.add(item.capacityProvider!);
  }
  return used;
}

export function validateStrategy(
  st: EcsState,
  strategy: CapacityProviderStrategyItem[] | undefined,
  associated: string[] | undefined,
  strict: boolean,
  clusterDefault = false,
): void {
  if (!strategy?.length) return;
  const seen = new Set<string>();
  let withBase = 0;
  for (const item of strategy) {
    const name = item.capacityProvider!;
    if (seen.has(name)) throw EcsErrors.invalidParameter("The specified capacity provider strategy cannot contain duplicate capacity providers.");
    seen.add(name);
    if ((item.base ?? 0) > 0) withBase++;
    if (!findCapacityProvider(st, name)) throw EcsErrors.invalidParameter(`The specified capacity provider '${name}' was not found.`);
    if ((strict || !BUILT_IN.includes(name)) && !(associated ?? []).includes(name)) {
      throw EcsErrors.invalidParameter(
        "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.",
      );
    }
  }
  if (withBase > 1) throw EcsErrors.invalidParameter("The specified capacity provider strategy cannot specify a base for more than one capacity provider.");
  const fargate = strategy.some((i) => BUILT_IN.includes(i.capacityProvider!));
  if (fargate && strategy.some((i) => !BUILT_IN.includes(i.capacityProvider!))) {
    throw EcsErrors.invalidParameter(
      "The specified capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers. Specify one or the other and try again.",
    );
  }
  // A cluster's default strategy may weigh nothing; RunTask and CreateService using it then fail (API reference,
  // CapacityProviderStrategyItem.weight; see defaultStrategyUsable).
  if (!clusterDefault && strategy.every((i) => (i.weight ?? 0) === 0 && (i.base ?? 0) === 0)) {
    throw EcsErrors.invalidParameter("The specified capacity provider strategy must contain at least one capacity provider with a weight greater than 0.");
  }
}

/**
 * RunTask and CreateService that fall back on a cluster default strategy weighing nothing fail with AWS's message
 * (terraform-aws-modules/terraform-aws-ecs#27: Terraform's default_capacity_provider_strategy weighs 0 by default).
 */
export function defaultStrategyUsable(strategy: CapacityProviderStrategyItem[]): void {
  if (strategy.some((i) => (i.weight ?? 0) > 0)) return;
  throw EcsErrors.invalidParameter(
    "There are no capacity providers with a weight value greater than zero defined in the default capacity provider strategy. At least one capacity provider must have a weight value greater than zero specified. Update the cluster's default capacity provider strategy or specify a valid capacity provider strategy and try again.",
  );
}

/**
 * The provider for the next task of a strategy, given how many tasks each provider already runs: providers
 * below their base first, then the one furthest below its weighted share (ties: the one running fewer).
 */
export function providerFor(strategy: CapacityProviderStrategyItem[], counts: Map<string, number>): string {
  for (const s of strategy) if ((counts.get(s.capacityProvider!) ?? 0) < (s.base ?? 0)) return s.capacityProvider!;
  let best: CapacityProviderStrategyItem | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const s of strategy) {
    if ((s.weight ?? 0) <= 0) continue;
    const n = counts.get(s.capacityProvider!) ?? 0;
    const score = (n - (s.base ?? 0)) / s.weight!;
    const fewer = best !== undefined && score === bestScore && n < (counts.get(best.capacityProvider!) ?? 0);
    if (score < bestScore || fewer) (best = s), (bestScore = score);
  }
  return (best ?? strategy[0]!).capacityProvider!;
}

export function PutClusterCapacityProviders(ctx: Ctx, input: unknown) {
  const v = check<{ cluster: string; capacityProviders: string[]; defaultCapacityProviderStrategy: CapacityProviderStrategyItem[] }>(input, {
    cluster: { required: true },
    capacityProviders: { type: "list", required: true, items: {} },
    defaultCapacityProviderStrategy: { ...STRATEGY_SPEC, required: true },
  });
  const st = state(ctx);
  const c = findCluster(st, v.cluster);
  if (v.capacityProviders.length > 20) throw EcsErrors.invalidParameter("The maximum number of capacity providers per cluster has been exceeded.");
  const names: string[] = [];
  for (const ref of v.capacityProviders) {
    const p = findCapacityProvider(st, ref);
    // One AWS never had is "not found" (terraform-aws-modules/terraform-aws-ecs#53, an Auto Scaling group's ARN given);
    // one it has that is not ACTIVE names itself (hashicorp/terraform-provider-aws#45693).
    if (!p && !findCapacityProvider(st, ref, true))
      throw EcsErrors.invalidParameter("The specified capacity provider was not found. Specify a valid capacity provider and try again.");
    if (!p)
      throw EcsErrors.invalidParameter(`The specified capacity provider '${ref}' is not in an ACTIVE state. Specify a valid capacity provider and try again.`);
    const other = [...st.clusters.values()].find(
      (x) => x !== c && x.cluster.status === "ACTIVE" && !BUILT_IN.includes(p.name) && x.cluster.capacityProviders?.includes(p.name),
    );
    if (other)
      throw EcsErrors.invalidParameter(`The specified capacity provider '${p.name}' is already associated with a cluster: ${other.cluster.clusterName}.`);
    if (!names.includes(p.name)) names.push(p.name);
  }
  for (const used of providersInUse(c)) if (!names.includes(used)) throw EcsErrors.capacityProviderInUse();
  validateStrategy(st, v.defaultCapacityProviderStrategy, names, true, true);
  c.cluster.capacityProviders = names;
  c.cluster.defaultCapacityProviderStrategy = v.defaultCapacityProviderStrategy.map((s) => ({
    capacityProvider: s.capacityProvider,
    weight: s.weight ?? 0,
    base: s.base ?? 0,
  }));
  const others = (c.cluster.attachments ?? []).filter((a) => a.type !== "as_policy" && a.type !== "managed_draining");
  const previous = (c.cluster.attachments ?? []).filter((a) => a.type === "as_policy" || a.type === "managed_draining");
  const kept = (n: string, type: string) => previous.find((a) => a.type === type && a.details?.some((d) => d.name === "capacityProviderName" && d.value === n));
  // Per Auto Scaling group provider: its scaling policy and, with managed draining, the lifecycle hook (recorded).
  const next: Attachment[] = names.flatMap((n) => {
    const p = findCapacityProvider(st, n);
    if (p?.type !== "EC2_AUTOSCALING") return [];
    // An attachment kept from before, or a new one naming the provider and its scaling policy or lifecycle hook.
    const made = (type: string, name: string, value: string): Attachment =>
      kept(n, type) ?? {
        id: randomUUID(),
        type,
        status: "CREATED",
        details: [
          { name: "capacityProviderName", value: n },
          { name, value },
        ],
      };
    const out = [made("as_policy", "scalingPolicyName", `ECSManagedAutoScalingPolicy-${randomUUID()}`)];
    if (p.autoScalingGroupProvider?.managedDraining === "ENABLED")
      out.push(made("managed_draining", "autoScalingLifecycleHookName", "ecs-managed-draining-termination-hook"));
    return out;
  });
  c.cluster.attachments = [...next, ...others];
  c.cluster.attachmentsStatus = "UPDATE_COMPLETE";
  // AWS answers the update in progress: removed providers' attachments DELETING (recorded); it completes at once.
  const answer = clusterView(c, WRITTEN);
  const removed = previous.filter((a) => !next.includes(a)).map((a) => ({ ...structuredClone(a), status: "DELETING" }));
  if (removed.length) answer.attachments = [...(answer.attachments ?? []), ...removed];
  answer.attachmentsStatus = "UPDATE_IN_PROGRESS";
  return { cluster: answer satisfies Cluster };
}
