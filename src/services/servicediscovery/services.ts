/** Services, service attributes, operations and tags. */
import { paginate } from "../core/paginate.js";
import { mergeTags } from "../core/tags.js";
import type { Ctx } from "../core/types.js";
import { checkFilters, err, getNs, getSvc, type Input, invalid, matches, type Op, op, type SdState, serviceId, st, type Svc, type Tag, tok } from "./state.js";

/** A service (Create/GetService) or its summary (ListServices): no InstanceCount, and an empty DnsConfig without DNS records, as AWS's examples show. */
export function svcOut(s: SdState, x: Svc, summary = false) {
  return {
    Id: x.id,
    Arn: x.arn,
    ResourceOwner: s.accountId,
    Name: x.name,
    NamespaceId: summary ? undefined : x.nsId,
    Description: x.description,
    // AWS echoes the (deprecated) DnsConfig.NamespaceId in full service descriptions; Terraform reads it back.
    DnsConfig: x.dnsConfig && !summary ? { ...x.dnsConfig, NamespaceId: x.nsId } : (x.dnsConfig ?? {}),
    Type: x.type,
    HealthCheckConfig: x.healthCheckConfig,
    HealthCheckCustomConfig: x.healthCheckCustomConfig,
    CreateDate: x.created,
    CreatorRequestId: summary ? undefined : x.creatorRequestId,
    CreatedByAccount: s.accountId,
  };
}

/** AWS's text for a health check path without its leading slash (terraform-provider-aws#2937). */
function checkHealthCheck(h: { ResourcePath?: string } | undefined): void {
  if (h?.ResourcePath !== undefined && !h.ResourcePath.startsWith("/")) throw invalid("Health check resource path must start with /");
}

const SVC_FILTERS = { NAMESPACE_ID: ["EQ", "IN"], RESOURCE_OWNER: ["EQ"] };
const OP_FILTERS = { NAMESPACE_ID: ["EQ"], SERVICE_ID: ["EQ"], STATUS: ["EQ", "IN"], TYPE: ["EQ", "IN"], UPDATE_DATE: ["BETWEEN"] };
const MAX_ATTRIBUTES = 30;

function byArn(s: SdState, arn: unknown): { tags: Tag[]; arn: string } {
  const a = String(arn ?? "");
  const r = [...s.ns.values(), ...s.svcs.values()].find((x) => x.arn === a);
  if (!r) throw err("ResourceNotFoundException", `The operation can't be completed because the resource was not found.`);
  return r;
}

/**
 * An UPDATE_DATE bound ("Unix date/time format"): AWS's own aws-cloud-map-mcs-controller-for-k8s polls with epoch
 * milliseconds (its operation poller's BETWEEN start and now + 60000) and finds its operations; epoch seconds are
 * accepted too. A number above 1e11 (year 5138 in seconds) is read as milliseconds.
 */
function epochMs(v: string): number {
  const n = Number(v);
  return n > 1e11 ? n : n * 1000;
}

function opMatches(o: Op, f: { Name: string; Values?: string[]; Condition?: string }): boolean {
  if (f.Name === "UPDATE_DATE") {
    const [from, to] = (f.Values ?? []).map(epochMs);
    const t = o.updated.getTime();
    return t >= from! && t <= to!;
  }
  const value = f.Name === "NAMESPACE_ID" ? o.targets.NAMESPACE : f.Name === "SERVICE_ID" ? o.targets.SERVICE : f.Name === "STATUS" ? o.status : o.type;
  return matches(value, f);
}

export const serviceOps: Record<string, (ctx: Ctx, v: Input) => unknown> = {
  CreateService(ctx, v) {
    const s = st(ctx);
    const nsId = v.NamespaceId ?? v.DnsConfig?.NamespaceId;
    // AWS's text (awsdocs/aws-cloudformation-user-guide#463: an AWS::ServiceDiscovery::Service without NamespaceId).
    if (nsId === undefined) throw invalid("Service namespace id cannot be null");
    const n = getNs(s, nsId);
    const name = String(v.Name ?? "");
    const dup = [...s.svcs.values()].find((x) => x.nsId === n.id && x.name === name);
    if (dup) {
      if (v.CreatorRequestId && dup.creatorRequestId === v.CreatorRequestId) return { Service: svcOut(s, dup) };
      throw err("ServiceAlreadyExists", `Service already exists: ${name}`, {
        ServiceId: dup.id,
        CreatorRequestId: dup.creatorRequestId ?? "",
        ServiceArn: dup.arn,
      });
    }
    if (v.HealthCheckConfig && v.HealthCheckCustomConfig) throw invalid("You can specify either HealthCheckConfig or HealthCheckCustomConfig, but not both.");
    // AWS's text (aws_service_discovery_service against an HTTP namespace, terraform-provider-aws#7016).
    if ((n.type === "HTTP" || v.Type === "HTTP") && v.DnsConfig) throw invalid("When you specify an HTTP service, you can't include a DnsConfig element.");
    if (n.type === "DNS_PRIVATE" && v.HealthCheckConfig) throw invalid("HealthCheckConfig is supported only for services in public DNS and HTTP namespaces.");
    checkHealthCheck(v.HealthCheckConfig);
    if ((v.Tags?.length ?? 0) > 50) throw err("TooManyTagsException", "The resource can't be created because you've reached the quota on the number of tags.");
    const id = serviceId(s, n.id, name);
    const x: Svc = {
      id,
      arn: `arn:aws:servicediscovery:${s.region}:${s.accountId}:service/${id}`,
      name,
      nsId: n.id,
      description: v.Description,
      dnsConfig: v.DnsConfig ? { ...v.DnsConfig, NamespaceId: undefined, RoutingPolicy: v.DnsConfig.RoutingPolicy ?? "MULTIVALUE" } : undefined,
      healthCheckConfig: v.HealthCheckConfig ? { FailureThreshold: 1, ...v.HealthCheckConfig } : undefined,
      // "This parameter is no longer supported and is always set to 1" (HealthCheckCustomConfig.FailureThreshold).
      healthCheckCustomConfig: v.HealthCheckCustomConfig ? { FailureThreshold: 1 } : undefined,
      type: v.Type ?? (n.type === "HTTP" ? "HTTP" : "DNS_HTTP"),
      created: ctx.now(),
      creatorRequestId: v.CreatorRequestId,
      tags: v.Tags ?? [],
      attributes: {},
      instances: new Map(),
      revision: 1,
    };
    s.svcs.set(id, x);
    return { Service: svcOut(s, x) };
  },
  GetService: (ctx, v) => ({ Service: svcOut(st(ctx), getSvc(st(ctx), v.Id)) }),
  ListServices(ctx, v) {
    const s = st(ctx);
    const fs: Array<{ Name: string; Values?: string[]; Condition?: string }> = v.Filters ?? [];
    checkFilters(fs, SVC_FILTERS);
    // NAMESPACE_ID takes a namespace ID or ARN.
    const byId = fs.map((f) =>
      f.Name === "NAMESPACE_ID" ? { ...f, Values: f.Values?.map((v) => (v.startsWith("arn:") ? (v.split("/").pop() ?? v) : v)) } : f,
    );
    const all = [...s.svcs.values()]
      .filter((x) => byId.every((f) => matches(f.Name === "NAMESPACE_ID" ? x.nsId : "SELF", f)))
      // Oldest first; the sort is stable, so those created in the same millisecond stay in creation (insertion) order.
      .sort((a, b) => a.created.getTime() - b.created.getTime());
    const p = paginate(all, { maxResults: v.MaxResults, nextToken: v.NextToken, defaultMax: 100, key: (x) => x.id, ...tok });
    return { Services: p.items.map((x) => svcOut(s, x, true)), NextToken: p.nextToken };
  },
  UpdateService(ctx, v) {
    const s = st(ctx);
    const x = getSvc(s, v.Id);
    const n = getNs(s, x.nsId);
    const u = v.Service ?? {};
    if (n.type === "HTTP" && (u.DnsConfig || u.HealthCheckConfig))
      throw invalid("DnsConfig and HealthCheckConfig can't be updated for a service in an HTTP namespace.");
    if (u.HealthCheckConfig && x.healthCheckCustomConfig) throw invalid("HealthCheckConfig can't be added to a service that has HealthCheckCustomConfig.");
    checkHealthCheck(u.HealthCheckConfig);
    if (u.Description !== undefined) x.description = u.Description;
    if (u.DnsConfig) {
      const types = new Set((x.dnsConfig?.DnsRecords ?? []).map((r) => r.Type));
      for (const r of u.DnsConfig.DnsRecords ?? [])
        if (!types.has(r.Type)) throw invalid(`The service doesn't have a DNS record of type ${r.Type}; only TTLs of existing records can be updated.`);
      x.dnsConfig = { ...x.dnsConfig!, DnsRecords: u.DnsConfig.DnsRecords };
    }
    // Omitting an existing HealthCheckConfig deletes it (DNS namespaces).
    if (n.type !== "HTTP") x.healthCheckConfig = u.HealthCheckConfig ? { FailureThreshold: 1, ...u.HealthCheckConfig } : undefined;
    return op(s, ctx.now(), "UPDATE_SERVICE", { SERVICE: x.id });
  },
  DeleteService(ctx, v) {
    const s = st(ctx);
    const x = getSvc(s, v.Id);
    // AWS's text (hashicorp/terraform#18264).
    if (x.instances.size) throw err("ResourceInUse", "Service contains registered instances; delete the instances before deleting the service");
    s.svcs.delete(x.id);
    return {};
  },
  GetServiceAttributes(ctx, v) {
    const s = st(ctx);
    const x = getSvc(s, v.ServiceId);
    return { ServiceAttributes: { ServiceArn: x.arn, ResourceOwner: s.accountId, Attributes: x.attributes } };
  },
  UpdateServiceAttributes(ctx, v) {
    const x = getSvc(st(ctx), v.ServiceId);
    const next = { ...x.attributes, ...(v.Attributes as Record<string, string>) };
    if (Object.keys(next).length > MAX_ATTRIBUTES)
      throw err(
        "ServiceAttributesLimitExceededException",
        `The attribute can't be added to the service because you've exceeded the quota of ${MAX_ATTRIBUTES} attributes per service.`,
      );
    x.attributes = next;
    return {};
  },
  DeleteServiceAttributes(ctx, v) {
    const x = getSvc(st(ctx), v.ServiceId);
    for (const k of v.Attributes as string[]) delete x.attributes[k];
    return {};
  },
  GetOperation(ctx, v) {
    const s = st(ctx);
    const o = s.ops.get(String(v.OperationId));
    if (!o) throw err("OperationNotFound", `No operation found with the ID ${v.OperationId}`);
    return {
      Operation: {
        Id: o.id,
        OwnerAccount: s.accountId,
        Type: o.type,
        Status: o.status,
        ErrorMessage: o.error?.message,
        ErrorCode: o.error?.code,
        CreateDate: o.created,
        UpdateDate: o.updated,
        Targets: o.targets,
      },
    };
  },
  ListOperations(ctx, v) {
    const fs: Array<{ Name: string; Values?: string[]; Condition?: string }> = v.Filters ?? [];
    checkFilters(fs, OP_FILTERS);
    const key = (o: Op) => `${o.created.toISOString()}|${o.id}`;
    const all = [...st(ctx).ops.values()].filter((o) => fs.every((f) => opMatches(o, f))).sort((a, b) => (key(a) < key(b) ? -1 : 1));
    const p = paginate(all, { maxResults: v.MaxResults, nextToken: v.NextToken, defaultMax: 100, key, ...tok });
    return { Operations: p.items.map((o) => ({ Id: o.id, Status: o.status })), NextToken: p.nextToken };
  },
  TagResource(ctx, v) {
    const r = byArn(st(ctx), v.ResourceARN);
    const merged = mergeTags(r.tags, v.Tags ?? []);
    if (merged.length > 50)
      throw err("TooManyTagsException", "The resource can't be tagged because you've reached the quota on the number of tags.", { ResourceName: r.arn });
    r.tags = merged;
    return {};
  },
  UntagResource(ctx, v) {
    const r = byArn(st(ctx), v.ResourceARN);
    const drop = new Set<string>(v.TagKeys ?? []);
    r.tags = r.tags.filter((t) => !drop.has(t.Key));
    return {};
  },
  ListTagsForResource: (ctx, v) => ({ Tags: byArn(st(ctx), v.ResourceARN).tags }),
};
