/**
 * Cloud Map (AWS JSON 1.1, Route53AutoNaming_v20170314): HTTP, private DNS and public DNS namespaces
 * (asynchronous: an OperationId whose GetOperation is SUCCESS at once), services, instances,
 * DiscoverInstances (query/optional parameters, health filter; the SDKs call it on a `data-` host prefix,
 * which awsim accepts as any host), custom health status, operations and tags.
 * Gaps: no DNS records are served; Route 53 health checks are not performed.
 */
import { randomBytes } from "node:crypto";
import { AwsError } from "../../protocols/aws-error.js";
import { paginate } from "../core/paginate.js";
import { mergeTags } from "../core/tags.js";
import type { Ctx, ServiceDefinition } from "../core/types.js";

type Input = Record<string, any>;
type Tag = { Key: string; Value: string };
interface Ns {
  id: string;
  arn: string;
  name: string;
  type: string;
  description?: string;
  created: Date;
  creatorRequestId?: string;
  vpc?: string;
  hostedZoneId?: string;
  tags: Tag[];
}
interface Svc {
  id: string;
  arn: string;
  name: string;
  nsId: string;
  description?: string;
  dnsConfig?: unknown;
  healthCheckConfig?: unknown;
  healthCheckCustomConfig?: unknown;
  type?: string;
  created: Date;
  creatorRequestId?: string;
  tags: Tag[];
  instances: Map<string, { attrs: Record<string, string>; creatorRequestId?: string; health: string }>;
}
interface Op {
  id: string;
  type: string;
  status: string;
  created: Date;
  targets: Record<string, string>;
}
interface SdState {
  accountId: string;
  region: string;
  ns: Map<string, Ns>;
  svcs: Map<string, Svc>;
  ops: Map<string, Op>;
}

const st = (ctx: Ctx) => ctx.state<SdState>();
const err = (code: string, m: string, extra?: Record<string, string>) => new AwsError(code, m, 400, { extra });
const lowerId = (p: string) => `${p}-${Array.from(randomBytes(16), (b) => "abcdefghijklmnopqrstuvwxyz234567"[b % 32]).join("")}`;

function op(s: SdState, type: string, targets: Record<string, string>): { OperationId: string } {
  const o: Op = { id: randomBytes(16).toString("hex").slice(0, 32), type, status: "SUCCESS", created: new Date(), targets };
  s.ops.set(o.id, o);
  return { OperationId: o.id };
}

function getNs(s: SdState, id: string): Ns {
  const n = s.ns.get(String(id));
  if (!n) throw err("NamespaceNotFound", `Namespace not found: ${id}`);
  return n;
}
function getSvc(s: SdState, id: string): Svc {
  const v = s.svcs.get(String(id));
  if (!v) throw err("ServiceNotFound", `Service not found: ${id}`);
  return v;
}

function createNs(ctx: Ctx, v: Input, type: string) {
  const s = st(ctx);
  const name = String(v.Name ?? "");
  if (!name) throw err("InvalidInput", "Name is required");
  const dup = [...s.ns.values()].find((n) => n.name === name && (type === "HTTP" ? n.type === "HTTP" : n.type !== "HTTP"));
  if (dup) {
    if (v.CreatorRequestId && dup.creatorRequestId === v.CreatorRequestId) return op(s, "CREATE_NAMESPACE", { NAMESPACE: dup.id });
    throw err("NamespaceAlreadyExists", `Namespace with name ${name} already exists.`, { NamespaceId: dup.id, CreatorRequestId: dup.creatorRequestId ?? "" });
  }
  if (type === "DNS_PRIVATE" && !v.Vpc) throw err("InvalidInput", "Vpc is required for a private DNS namespace");
  const id = lowerId("ns");
  const n: Ns = {
    id,
    arn: `arn:aws:servicediscovery:${s.region}:${s.accountId}:namespace/${id}`,
    name,
    type,
    description: v.Description,
    created: ctx.now(),
    creatorRequestId: v.CreatorRequestId,
    vpc: v.Vpc,
    hostedZoneId: type === "HTTP" ? undefined : `Z${randomBytes(10).toString("hex").toUpperCase().slice(0, 20)}`,
    tags: v.Tags ?? [],
  };
  s.ns.set(id, n);
  return op(s, "CREATE_NAMESPACE", { NAMESPACE: id });
}

function nsOut(s: SdState, n: Ns) {
  return {
    Id: n.id,
    Arn: n.arn,
    Name: n.name,
    Type: n.type,
    Description: n.description,
    ServiceCount: [...s.svcs.values()].filter((x) => x.nsId === n.id).length,
    Properties: { DnsProperties: n.hostedZoneId ? { HostedZoneId: n.hostedZoneId, SOA: { TTL: 15 } } : {}, HttpProperties: { HttpName: n.name } },
    CreateDate: n.created,
    CreatorRequestId: n.creatorRequestId,
  };
}

function svcOut(s: SdState, x: Svc) {
  return {
    Id: x.id,
    Arn: x.arn,
    Name: x.name,
    NamespaceId: x.nsId,
    Description: x.description,
    InstanceCount: x.instances.size,
    DnsConfig: x.dnsConfig,
    Type: x.type,
    HealthCheckConfig: x.healthCheckConfig,
    HealthCheckCustomConfig: x.healthCheckCustomConfig,
    CreateDate: x.created,
    CreatorRequestId: x.creatorRequestId,
  };
}

/** Cloud Map filters: Name, Values, Condition EQ (default) | IN | BETWEEN | BEGINS_WITH. */
function matches(value: string | undefined, f: { Values?: string[]; Condition?: string }) {
  const vals = f.Values ?? [];
  switch (f.Condition ?? "EQ") {
    case "BEGINS_WITH":
      return vals.some((x) => value?.startsWith(x));
    case "BETWEEN":
      return value !== undefined && value >= vals[0]! && value <= vals[1]!;
    default:
      return vals.includes(String(value));
  }
}

const tok = { invalidToken: () => err("InvalidInput", "Invalid NextToken") };

const ops: Record<string, (ctx: Ctx, v: Input) => unknown> = {
  CreateHttpNamespace: (ctx, v) => createNs(ctx, v, "HTTP"),
  CreatePrivateDnsNamespace: (ctx, v) => createNs(ctx, v, "DNS_PRIVATE"),
  CreatePublicDnsNamespace: (ctx, v) => createNs(ctx, v, "DNS_PUBLIC"),
  GetNamespace: (ctx, v) => ({ Namespace: nsOut(st(ctx), getNs(st(ctx), v.Id)) }),
  ListNamespaces(ctx, v) {
    const s = st(ctx);
    const fs: Array<{ Name: string; Values?: string[]; Condition?: string }> = v.Filters ?? [];
    const all = [...s.ns.values()].filter((n) => fs.every((f) => matches(f.Name === "TYPE" ? n.type : n.name, f))).sort((a, b) => (a.id < b.id ? -1 : 1));
    const p = paginate(all, { maxResults: v.MaxResults, nextToken: v.NextToken, defaultMax: 100, key: (n) => n.id, ...tok });
    return { Namespaces: p.items.map((n) => nsOut(s, n)), NextToken: p.nextToken };
  },
  DeleteNamespace(ctx, v) {
    const s = st(ctx);
    const n = getNs(s, v.Id);
    if ([...s.svcs.values()].some((x) => x.nsId === n.id)) throw err("ResourceInUse", `Namespace ${n.id} has associated services`);
    s.ns.delete(n.id);
    return op(s, "DELETE_NAMESPACE", { NAMESPACE: n.id });
  },
  CreateService(ctx, v) {
    const s = st(ctx);
    const nsId = v.NamespaceId ?? (v.DnsConfig?.NamespaceId as string | undefined);
    const n = getNs(s, String(nsId));
    const name = String(v.Name ?? "");
    const dup = [...s.svcs.values()].find((x) => x.nsId === n.id && x.name === name);
    if (dup) throw err("ServiceAlreadyExists", `Service already exists: ${name}`, { ServiceId: dup.id, CreatorRequestId: dup.creatorRequestId ?? "" });
    const id = lowerId("srv");
    const x: Svc = {
      id,
      arn: `arn:aws:servicediscovery:${s.region}:${s.accountId}:service/${id}`,
      name,
      nsId: n.id,
      description: v.Description,
      dnsConfig: v.DnsConfig,
      healthCheckConfig: v.HealthCheckConfig,
      healthCheckCustomConfig: v.HealthCheckCustomConfig,
      type: v.Type,
      created: ctx.now(),
      creatorRequestId: v.CreatorRequestId,
      tags: v.Tags ?? [],
      instances: new Map(),
    };
    s.svcs.set(id, x);
    return { Service: svcOut(s, x) };
  },
  GetService: (ctx, v) => ({ Service: svcOut(st(ctx), getSvc(st(ctx), v.Id)) }),
  ListServices(ctx, v) {
    const s = st(ctx);
    const fs: Array<{ Name: string; Values?: string[]; Condition?: string }> = v.Filters ?? [];
    const all = [...s.svcs.values()]
      .filter((x) => fs.every((f) => matches(f.Name === "NAMESPACE_ID" ? x.nsId : x.name, f)))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const p = paginate(all, { maxResults: v.MaxResults, nextToken: v.NextToken, defaultMax: 100, key: (x) => x.id, ...tok });
    return { Services: p.items.map((x) => ({ ...svcOut(s, x), NamespaceId: undefined })), NextToken: p.nextToken };
  },
  UpdateService(ctx, v) {
    const s = st(ctx);
    const x = getSvc(s, v.Id);
    const u = v.Service ?? {};
    if (u.Description !== undefined) x.description = u.Description;
    if (u.DnsConfig) x.dnsConfig = { ...(x.dnsConfig as object), ...u.DnsConfig };
    if (u.HealthCheckConfig) x.healthCheckConfig = u.HealthCheckConfig;
    return op(s, "UPDATE_SERVICE", { SERVICE: x.id });
  },
  DeleteService(ctx, v) {
    const s = st(ctx);
    const x = getSvc(s, v.Id);
    if (x.instances.size) throw err("ResourceInUse", `Service ${x.id} has associated registered instances`);
    s.svcs.delete(x.id);
    return {};
  },
  RegisterInstance(ctx, v) {
    const s = st(ctx);
    const x = getSvc(s, v.ServiceId);
    const id = String(v.InstanceId ?? "");
    if (!id) throw err("InvalidInput", "InstanceId is required");
    x.instances.set(id, { attrs: v.Attributes ?? {}, creatorRequestId: v.CreatorRequestId, health: "HEALTHY" });
    return op(s, "REGISTER_INSTANCE", { INSTANCE: id, SERVICE: x.id });
  },
  DeregisterInstance(ctx, v) {
    const s = st(ctx);
    const x = getSvc(s, v.ServiceId);
    if (!x.instances.delete(String(v.InstanceId))) throw err("InstanceNotFound", `Instance not found: ${v.InstanceId}`);
    return op(s, "DEREGISTER_INSTANCE", { INSTANCE: String(v.InstanceId), SERVICE: x.id });
  },
  GetInstance(ctx, v) {
    const x = getSvc(st(ctx), v.ServiceId);
    const i = x.instances.get(String(v.InstanceId));
    if (!i) throw err("InstanceNotFound", `Instance not found: ${v.InstanceId}`);
    return { Instance: { Id: v.InstanceId, CreatorRequestId: i.creatorRequestId, Attributes: i.attrs }, ResourceOwner: st(ctx).accountId };
  },
  ListInstances(ctx, v) {
    const x = getSvc(st(ctx), v.ServiceId);
    const all = [...x.instances].map(([Id, i]) => ({ Id, Attributes: i.attrs })).sort((a, b) => (a.Id < b.Id ? -1 : 1));
    const p = paginate(all, { maxResults: v.MaxResults, nextToken: v.NextToken, defaultMax: 100, key: (i) => i.Id, ...tok });
    return { Instances: p.items, NextToken: p.nextToken };
  },
  DiscoverInstances(ctx, v) {
    const s = st(ctx);
    const n = [...s.ns.values()].find((x) => x.name === v.NamespaceName);
    if (!n) throw err("NamespaceNotFound", `Namespace not found: ${v.NamespaceName}`);
    const x = [...s.svcs.values()].find((y) => y.nsId === n.id && y.name === v.ServiceName);
    if (!x) throw err("ServiceNotFound", `Service not found: ${v.ServiceName}`);
    const q: Record<string, string> = v.QueryParameters ?? {};
    const opt: Record<string, string> = v.OptionalParameters ?? {};
    const health = String(v.HealthStatus ?? "ALL");
    let all = [...x.instances].filter(([, i]) => Object.entries(q).every(([k, val]) => i.attrs[k] === val));
    const healthy = all.filter(([, i]) => i.health === "HEALTHY");
    if (health === "HEALTHY") all = healthy;
    else if (health === "UNHEALTHY") all = all.filter(([, i]) => i.health !== "HEALTHY");
    else if (health === "HEALTHY_OR_ELSE_ALL" && healthy.length) all = healthy;
    const withOpt = all.filter(([, i]) => Object.entries(opt).every(([k, val]) => i.attrs[k] === val));
    if (Object.keys(opt).length && withOpt.length) all = withOpt;
    const max = Number(v.MaxResults ?? 100);
    return {
      Instances: all
        .slice(0, max)
        .map(([id, i]) => ({ InstanceId: id, NamespaceName: n.name, ServiceName: x.name, HealthStatus: i.health, Attributes: i.attrs })),
      InstancesRevision: x.instances.size,
    };
  },
  DiscoverInstancesRevision(ctx, v) {
    const s = st(ctx);
    const n = [...s.ns.values()].find((x) => x.name === v.NamespaceName);
    const x = n && [...s.svcs.values()].find((y) => y.nsId === n.id && y.name === v.ServiceName);
    if (!x) throw err("ServiceNotFound", `Service not found: ${v.ServiceName}`);
    return { InstancesRevision: x.instances.size };
  },
  GetInstancesHealthStatus(ctx, v) {
    const x = getSvc(st(ctx), v.ServiceId);
    const ids: string[] = v.Instances ?? [...x.instances.keys()];
    return { Status: Object.fromEntries(ids.filter((i) => x.instances.has(i)).map((i) => [i, x.instances.get(i)!.health])) };
  },
  UpdateInstanceCustomHealthStatus(ctx, v) {
    const x = getSvc(st(ctx), v.ServiceId);
    const i = x.instances.get(String(v.InstanceId));
    if (!i) throw err("InstanceNotFound", `Instance not found: ${v.InstanceId}`);
    if (!x.healthCheckCustomConfig) throw err("CustomHealthNotFound", `Service ${x.id} does not have a custom health check configured`);
    i.health = String(v.Status);
    return {};
  },
  GetOperation(ctx, v) {
    const o = st(ctx).ops.get(String(v.OperationId));
    if (!o) throw err("OperationNotFound", `Operation not found: ${v.OperationId}`);
    return { Operation: { Id: o.id, Type: o.type, Status: o.status, CreateDate: o.created, UpdateDate: o.created, Targets: o.targets } };
  },
  ListOperations(ctx, v) {
    const fs: Array<{ Name: string; Values?: string[]; Condition?: string }> = v.Filters ?? [];
    const all = [...st(ctx).ops.values()].filter((o) =>
      fs.every((f) =>
        matches(
          f.Name === "NAMESPACE_ID"
            ? o.targets.NAMESPACE
            : f.Name === "SERVICE_ID"
              ? o.targets.SERVICE
              : f.Name === "STATUS"
                ? o.status
                : f.Name === "TYPE"
                  ? o.type
                  : o.created.toISOString(),
          f,
        ),
      ),
    );
    const p = paginate(all, { maxResults: v.MaxResults, nextToken: v.NextToken, defaultMax: 100, key: (o) => o.id, ...tok });
    return { Operations: p.items.map((o) => ({ Id: o.id, Status: o.status })), NextToken: p.nextToken };
  },
  TagResource(ctx, v) {
    const r = byArn(st(ctx), v.ResourceARN);
    r.tags = mergeTags(r.tags, v.Tags ?? []);
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

function byArn(s: SdState, arn: string): { tags: Tag[] } {
  const id =
    String(arn ?? "")
      .split("/")
      .pop() ?? "";
  const r = s.ns.get(id) ?? s.svcs.get(id);
  if (!r) throw err("ResourceNotFoundException", `Resource not found: ${arn}`);
  return r;
}

const sd: ServiceDefinition<SdState> = {
  name: "servicediscovery",
  protocol: "json",
  targetPrefix: "Route53AutoNaming_v20170314",
  jsonVersion: "1.1",
  createState: ({ accountId, region }) => ({ accountId, region, ns: new Map(), svcs: new Map(), ops: new Map() }),
  counts: (s) => ({ namespaces: s.ns.size, services: s.svcs.size }),
  operations: ops,
};

export default sd;
