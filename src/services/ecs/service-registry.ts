/**
 * serviceRegistries: each RUNNING task of a service is registered as an instance of the Cloud Map services
 * its service (or task set) names, with the attributes ECS sets (AWS_INSTANCE_IPV4, AWS_INSTANCE_PORT,
 * AVAILABILITY_ZONE, AWS_INIT_HEALTH_STATUS, ECS_CLUSTER_NAME, ECS_SERVICE_NAME, ECS_TASK_DEFINITION_FAMILY,
 * REGION), and deregistered when it stops; DiscoverInstances then returns the live set. The address is the
 * task's ENI address in fake mode and 127.0.0.1 in execute mode (where the task is a local process).
 */
import type { ServiceRegistry } from "@aws-sdk/client-ecs";
import { putInstance, removeInstance, type SdState } from "../servicediscovery/index.js";
import type { EcsEnv } from "./runtime-bridge.js";
import type { TaskRec } from "./state.js";

interface SdSvc {
  instances: Map<string, unknown>;
}

function registriesOf(env: EcsEnv, rec: TaskRec): ServiceRegistry[] {
  const s = env.st.clusters.get(rec.cluster)?.services.get(rec.service ?? "");
  if (!s) return [];
  const ts = rec.task.startedBy ? s.taskSets.get(rec.task.startedBy) : undefined;
  return ts?.taskSet.serviceRegistries?.length ? ts.taskSet.serviceRegistries : (s.service.serviceRegistries ?? []);
}

/** The Cloud Map service an ARN names, in the ARN's account and region. */
async function cloudMapService(env: EcsEnv, arn: string | undefined): Promise<{ sd: SdState; svc: SdSvc } | undefined> {
  const m = /^arn:aws[\w-]*:servicediscovery:([^:]+):(\d{12}):service\/(.+)$/.exec(arn ?? "");
  if (!m) return undefined;
  const sd = await env.sim.stateOf<SdState>("servicediscovery", m[2]!, m[1]!);
  const svc = sd.svcs.get(m[3]!) as SdSvc | undefined;
  return svc ? { sd, svc } : undefined;
}

/** The DNS record types of the Cloud Map service a registry names (undefined: unknown service or no DNS config). */
export async function registryRecordTypes(env: EcsEnv, arn: string | undefined): Promise<string[] | undefined> {
  const target = await cloudMapService(env, arn);
  const dns = (target?.svc as { dnsConfig?: { DnsRecords?: Array<{ Type: string }> } } | undefined)?.dnsConfig;
  return dns?.DnsRecords?.map((r) => r.Type);
}

/** The task's address attribute: its IPv6 one (AWS_INSTANCE_IPV6) when it runs in an IPv6-only subnet (no IPv4 address). */
function address(env: EcsEnv, rec: TaskRec): Record<string, string> {
  if (env.sim.config.execute) return { AWS_INSTANCE_IPV4: "127.0.0.1" };
  const eni = rec.task.attachments?.find((a) => a.type === "ElasticNetworkInterface");
  const v4 = eni?.details?.find((d) => d.name === "privateIPv4Address")?.value;
  const v6 = rec.task.containers?.[0]?.networkInterfaces?.[0]?.ipv6Address;
  return !v4 && v6 ? { AWS_INSTANCE_IPV6: v6 } : { AWS_INSTANCE_IPV4: v4 ?? "10.0.0.1" };
}

function port(rec: TaskRec, r: ServiceRegistry): number | undefined {
  if (r.port !== undefined) return r.port;
  if (r.containerPort === undefined) return undefined;
  const c = rec.task.containers?.find((x) => x.name === r.containerName) ?? rec.task.containers?.[0];
  const b = c?.networkBindings?.find((x) => x.containerPort === r.containerPort);
  return b?.hostPort ?? r.containerPort;
}

export async function registerTask(env: EcsEnv, rec: TaskRec): Promise<void> {
  for (const r of registriesOf(env, rec)) {
    const target = await cloudMapService(env, r.registryArn);
    if (!target || rec.task.desiredStatus !== "RUNNING") continue;
    const p = port(rec, r);
    const attrs: Record<string, string> = {
      ...address(env, rec),
      AVAILABILITY_ZONE: rec.task.availabilityZone ?? `${env.st.region}a`,
      AWS_INIT_HEALTH_STATUS: "HEALTHY",
      ECS_CLUSTER_NAME: rec.cluster,
      ECS_SERVICE_NAME: rec.service!,
      ECS_TASK_DEFINITION_FAMILY: rec.family,
      REGION: env.st.region,
    };
    if (p !== undefined) attrs.AWS_INSTANCE_PORT = String(p);
    putInstance(target.sd, target.svc as Parameters<typeof putInstance>[1], rec.id, attrs);
  }
}

export async function deregisterTask(env: EcsEnv, rec: TaskRec): Promise<void> {
  for (const r of registriesOf(env, rec)) {
    const target = await cloudMapService(env, r.registryArn);
    if (target) removeInstance(target.svc as Parameters<typeof removeInstance>[0], rec.id);
  }
}
