/**
 * Service Connect namespaces of clusters: a namespace given by name is the Cloud Map namespace of that name (an HTTP
 * namespace is created when there is none, as AWS does) and the cluster names it by ARN; the cluster's "sc"
 * attachment is ATTACHED for the current namespace, earlier ones DELETED (as AWS's update-cluster example records).
 */
import type { Attachment, ServiceConnectConfiguration as ScConfig } from "@aws-sdk/client-ecs";
import { randomUUID } from "node:crypto";
import { AwsError } from "../../protocols/aws-error.js";
import type { Ctx } from "../core/types.js";
import { lowerId, type SdState } from "../servicediscovery/state.js";

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

/** The cluster's attachments after its Service Connect namespace changed. */
export function withServiceConnect(attachments: Attachment[] | undefined): Attachment[] {
  const all = attachments ?? [];
  return [
    ...all.filter((a) => a.type !== "sc"),
    ...all.filter((a) => a.type === "sc").map((a) => ({ ...a, status: "DELETED" })),
    { id: randomUUID(), type: "sc", status: "ATTACHED", details: [] },
  ];
}
