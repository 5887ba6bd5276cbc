/**
 * Service Connect namespaces of clusters: a namespace given by name is the Cloud Map namespace of that name (an HTTP
 * namespace is created when there is none, as AWS does) and the cluster names it by ARN; the cluster's "sc"
 * attachment is ATTACHED for the current namespace, earlier ones DELETED (as AWS's update-cluster example records).
 */
import type { Attachment, ServiceConnectConfiguration as ScConfig, Service } from "@aws-sdk/client-ecs";
import { randomUUID } from "node:crypto";
import { AwsError } from "../../protocols/aws-error.js";
import type { Ctx } from "../core/types.js";
import { lowerId, type SdState, serviceId } from "../servicediscovery/state.js";
import type { EcsState } from "./state.js";

/** The Cloud Map namespace a name, id or ARN names, if any. */
async function findNamespace(ctx: Ctx, ref: string) {
  const sd = await ctx.stateOf<SdState>("servicediscovery");
  const ns = [...sd.ns.values()].find((n) => n.arn === ref || n.id === ref || n.name === ref);
  return { sd, ns };
}

/** The ARN of the namespace a Service Connect default names, creating an HTTP namespace for a new name. */
export async function namespaceArn(ctx: Ctx, ref: string): Promise<string> {
  if (ref.startsWith("arn:")) return ref;
  const { sd, ns } = await findNamespace(ctx, ref);
  if (ns) return ns.arn;
  const id = lowerId("ns");
  const arn = `arn:aws:servicediscovery:${sd.region}:${sd.accountId}:namespace/${id}`;
  sd.ns.set(id, { id, arn, name: ref, type: "HTTP", created: ctx.now(), tags: [] });
  return arn;
}

/**
 * A service's Service Connect namespace must be one Cloud Map has (services, unlike cluster defaults, create none):
 * "NamespaceNotFoundException: Failed to retrieve namespace for example" (terraform-aws-modules/terraform-aws-ecs#116).
 */
export async function checkServiceConnectNamespace(ctx: Ctx, cfg: ScConfig | undefined): Promise<void> {
  if (!cfg?.enabled || !cfg.namespace) return;
  if (!(await findNamespace(ctx, cfg.namespace)).ns) throw new AwsError("NamespaceNotFoundException", `Failed to retrieve namespace for ${cfg.namespace}`, 400);
}

/** Every way a namespace may be named (name, id, ARN), for matching what services and clusters recorded. */
export async function namespaceNames(ctx: Ctx, ref: string): Promise<Set<string>> {
  const { ns } = await findNamespace(ctx, ref);
  return new Set([ref, ...(ns ? [ns.name, ns.id, ns.arn] : [])]);
}

/**
 * A service's Service Connect configuration as ECS answers it: with no namespace, the cluster's default one; a
 * service with no discoveryName is discovered by its portName, and a client alias with no dnsName is named
 * discoveryName.namespace (API reference, ServiceConnectService and ServiceConnectClientAlias; the Terraform
 * provider's acceptance test TestAccECSService_ServiceConnect_ingressPortOverride reads them back so).
 */
export async function serviceConnectAnswered(ctx: Ctx, cfg: ScConfig | undefined, clusterDefault: string | undefined): Promise<ScConfig | undefined> {
  if (!cfg?.enabled) return cfg;
  const namespace = cfg.namespace ?? clusterDefault;
  const ns = namespace ? (await findNamespace(ctx, namespace)).ns : undefined;
  const services = cfg.services?.map((svc) => {
    const discoveryName = svc.discoveryName ?? svc.portName;
    const clientAliases = svc.clientAliases?.map((a) => ({
      ...a,
      dnsName: a.dnsName ?? (ns && discoveryName ? `${discoveryName}.${ns.name}` : undefined),
    }));
    return { ...svc, discoveryName, ...(clientAliases ? { clientAliases } : {}) };
  });
  return { ...cfg, ...(namespace ? { namespace } : {}), ...(services ? { services } : {}) };
}

/**
 * The Cloud Map services a deployment's Service Connect services are discovered by (the deployment's
 * serviceConnectResources): ECS creates one per discoveryName in the namespace (API-only, type HTTP) unless it
 * exists, so Cloud Map's ListServices shows it.
 */
export async function serviceConnectResources(
  ctx: Ctx,
  cfg: ScConfig | undefined,
): Promise<Array<{ discoveryName: string; discoveryArn: string }> | undefined> {
  if (!cfg?.enabled || !cfg.namespace || !cfg.services?.length) return undefined;
  const { sd, ns } = await findNamespace(ctx, cfg.namespace);
  if (!ns) return undefined;
  const out: Array<{ discoveryName: string; discoveryArn: string }> = [];
  for (const svc of cfg.services) {
    const name = svc.discoveryName;
    if (!name) continue;
    let rec = [...sd.svcs.values()].find((x) => x.nsId === ns.id && x.name === name);
    if (!rec) {
      const id = serviceId(sd, ns.id, name);
      rec = {
        id,
        arn: `arn:aws:servicediscovery:${sd.region}:${sd.accountId}:service/${id}`,
        name,
        nsId: ns.id,
        type: "HTTP",
        created: ctx.now(),
        tags: [],
        attributes: {},
        instances: new Map(),
        revision: 1,
      };
      sd.svcs.set(id, rec);
    }
    out.push({ discoveryName: name, discoveryArn: rec.arn });
  }
  return out.length ? out : undefined;
}

/**
 * DeleteService: the Cloud Map services the deleted service's Service Connect deployments were discovered by go
 * with it (so the namespace can be deleted after, as Terraform's destroy does), unless another ECS service that is
 * not INACTIVE still names one, or one still has registered instances.
 */
export async function releaseServiceConnectResources(ctx: Ctx, st: EcsState, deleted: Service): Promise<void> {
  const arns = new Set(deleted.deployments?.flatMap((d) => d.serviceConnectResources?.map((r) => r.discoveryArn ?? "") ?? []) ?? []);
  arns.delete("");
  if (!arns.size) return;
  for (const c of st.clusters.values())
    for (const other of c.services.values()) {
      if (other.service === deleted || other.service.status === "INACTIVE") continue;
      for (const d of other.service.deployments ?? []) for (const r of d.serviceConnectResources ?? []) arns.delete(r.discoveryArn ?? "");
    }
  const sd = await ctx.stateOf<SdState>("servicediscovery");
  for (const [id, svc] of sd.svcs) if (arns.has(svc.arn) && svc.instances.size === 0) sd.svcs.delete(id);
}

/** The cluster's attachments after its Service Connect namespace changed. */
export function withServiceConnect(attachments: Attachment[] | undefined): Attachment[] {
  const all = attachments ?? [];
  return [
    ...all.filter((a) => a.type !== "sc"),
    ...all.filter((a) => a.type === "sc").map((a) => ({ ...a, status: "DELETED" })),
    { id: randomUUID(), type: "sc", status: "ATTACHED", details: [] },
  ];
}
