/** Instances: registration, listing, DiscoverInstances with health and attribute filters, custom health. */
import { paginate } from "../core/paginate.js";
import type { Ec2State } from "../ec2/state.js";
import type { Ctx } from "../core/types.js";
import {
  err,
  getInstance,
  getNs,
  getSvc,
  hasHealthCheck,
  type Input,
  type Instance,
  invalid,
  op,
  putInstance,
  removeInstance,
  type SdState,
  st,
  type Svc,
  tok,
} from "./state.js";

/** "You can add up to 30 custom attributes": the documented AWS_ keys are not counted. */
const MAX_ATTRIBUTES = 30;
const RESERVED = new Set([
  "AWS_ALIAS_DNS_NAME",
  "AWS_EC2_INSTANCE_ID",
  "AWS_INIT_HEALTH_STATUS",
  "AWS_INSTANCE_CNAME",
  "AWS_INSTANCE_IPV4",
  "AWS_INSTANCE_IPV6",
  "AWS_INSTANCE_PORT",
]);
/** "The total size of all provided attributes (sum of all keys and values) must not exceed 5,000 characters." */
const MAX_ATTRIBUTES_SIZE = 5000;

/** The rules RegisterInstance's Attributes documents (the messages are awsim's: AWS's are not published). */
function checkAttributes(x: Svc, a: Record<string, string>, nsType: string): void {
  if (Object.keys(a).filter((k) => !RESERVED.has(k)).length > MAX_ATTRIBUTES)
    throw invalid(`You can specify up to ${MAX_ATTRIBUTES} custom attributes for an instance.`);
  if (Object.entries(a).reduce((n, [k, v]) => n + k.length + v.length, 0) > MAX_ATTRIBUTES_SIZE)
    throw invalid(`The total size of all attributes (keys and values) can't exceed ${MAX_ATTRIBUTES_SIZE} characters.`);
  // AWS's text for a port outside 1-65535 (hashicorp/consul-aws#8: consul-aws registered AWS_INSTANCE_PORT "0").
  const port = a.AWS_INSTANCE_PORT;
  if (port !== undefined && !(/^[0-9]{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) throw invalid("A valid port number must be supplied.");
  if (a.AWS_EC2_INSTANCE_ID !== undefined) {
    if (nsType !== "HTTP") throw invalid("AWS_EC2_INSTANCE_ID can be specified only for services in HTTP namespaces.");
    if (Object.keys(a).some((k) => k !== "AWS_EC2_INSTANCE_ID" && k !== "AWS_INIT_HEALTH_STATUS"))
      throw invalid("When AWS_EC2_INSTANCE_ID is specified, the only other attribute that can be specified is AWS_INIT_HEALTH_STATUS.");
  }
  if (a.AWS_INIT_HEALTH_STATUS !== undefined) {
    if (!x.healthCheckCustomConfig) throw invalid("AWS_INIT_HEALTH_STATUS can be specified only for services with HealthCheckCustomConfig.");
    if (a.AWS_INIT_HEALTH_STATUS !== "HEALTHY" && a.AWS_INIT_HEALTH_STATUS !== "UNHEALTHY")
      throw invalid("AWS_INIT_HEALTH_STATUS must be HEALTHY or UNHEALTHY.");
  }
  if (a.AWS_ALIAS_DNS_NAME !== undefined) {
    if (Object.keys(a).some((k) => k.startsWith("AWS_INSTANCE_"))) throw invalid("AWS_ALIAS_DNS_NAME can't be specified with AWS_INSTANCE attributes.");
    if (!x.dnsConfig?.DnsRecords.some((r) => r.Type === "A" || r.Type === "AAAA"))
      throw invalid("AWS_ALIAS_DNS_NAME requires a service with an A or AAAA record.");
    // AWS's text (kubernetes-sigs/external-dns#1174: an ELB alias registered in a MULTIVALUE service).
    if (x.dnsConfig.RoutingPolicy !== "WEIGHTED") throw invalid("ALIAS instance can be registered only in services with WEIGHTED routing policy");
    return;
  }
  if (x.healthCheckConfig && !a.AWS_INSTANCE_PORT && a.AWS_EC2_INSTANCE_ID === undefined)
    throw invalid("AWS_INSTANCE_PORT is required because the service has a health check.");
  for (const r of x.dnsConfig?.DnsRecords ?? []) {
    if (r.Type === "A" && !a.AWS_INSTANCE_IPV4) throw invalid("AWS_INSTANCE_IPV4 is required because the service has an A record.");
    if (r.Type === "AAAA" && !a.AWS_INSTANCE_IPV6) throw invalid("AWS_INSTANCE_IPV6 is required because the service has an AAAA record.");
    if (r.Type === "CNAME" && !a.AWS_INSTANCE_CNAME) throw invalid("AWS_INSTANCE_CNAME is required because the service has a CNAME record.");
    if (r.Type === "SRV" && (!a.AWS_INSTANCE_PORT || !(a.AWS_INSTANCE_IPV4 || a.AWS_INSTANCE_IPV6)))
      throw invalid("AWS_INSTANCE_PORT and AWS_INSTANCE_IPV4 or AWS_INSTANCE_IPV6 are required because the service has an SRV record.");
  }
}

function discoverTarget(s: SdState, v: Input): Svc {
  const n = [...s.ns.values()].find((x) => x.name === v.NamespaceName);
  // AWS names no namespace here (kubernetes-sigs/external-dns#5180, 2025: "NamespaceNotFound: Namespace not found").
  if (!n) throw err("NamespaceNotFound", "Namespace not found");
  const x = [...s.svcs.values()].find((y) => y.nsId === n.id && y.name === v.ServiceName);
  if (!x) throw err("ServiceNotFound", `Service not found: ${v.ServiceName}`);
  return x;
}

/** DiscoverInstances' selection: QueryParameters, then HealthStatus (ignored without a health check), then OptionalParameters when any match. */
export function discover(x: Svc, q: Record<string, string>, opt: Record<string, string>, health: string): Instance[] {
  let all = [...x.instances.values()].filter((i) => Object.entries(q).every(([k, val]) => i.attrs[k] === val));
  if (hasHealthCheck(x)) {
    const healthy = all.filter((i) => i.health === "HEALTHY");
    if (health === "HEALTHY") all = healthy;
    else if (health === "UNHEALTHY") all = all.filter((i) => i.health === "UNHEALTHY");
    else if (health === "HEALTHY_OR_ELSE_ALL" && healthy.length) all = healthy;
  }
  const withOpt = all.filter((i) => Object.entries(opt).every(([k, val]) => i.attrs[k] === val));
  return Object.keys(opt).length && withOpt.length ? withOpt : all;
}

export const instanceOps: Record<string, (ctx: Ctx, v: Input) => unknown> = {
  async RegisterInstance(ctx, v) {
    const s = st(ctx);
    const x = getSvc(s, v.ServiceId);
    const id = String(v.InstanceId);
    const attrs = { ...((v.Attributes ?? {}) as Record<string, string>) };
    checkAttributes(x, attrs, getNs(s, x.nsId).type);
    // "When the AWS_EC2_INSTANCE_ID attribute is specified, then the AWS_INSTANCE_IPV4 attribute will be filled out
    // with the primary private IPv4 address" (of that instance in awsim's EC2, when it exists).
    if (attrs.AWS_EC2_INSTANCE_ID !== undefined) {
      const ip = (await ctx.stateOf<Ec2State>("ec2")).instances.get(attrs.AWS_EC2_INSTANCE_ID)?.privateIp;
      if (ip) attrs.AWS_INSTANCE_IPV4 = ip;
    }
    putInstance(s, x, id, attrs, v.CreatorRequestId);
    return op(s, ctx.now(), "REGISTER_INSTANCE", { INSTANCE: id, SERVICE: x.id });
  },
  DeregisterInstance(ctx, v) {
    const s = st(ctx);
    const x = getSvc(s, v.ServiceId);
    if (!removeInstance(x, String(v.InstanceId))) throw err("InstanceNotFound", `Instance not found: ${v.InstanceId}`);
    return op(s, ctx.now(), "DEREGISTER_INSTANCE", { INSTANCE: String(v.InstanceId), SERVICE: x.id });
  },
  GetInstance(ctx, v) {
    const s = st(ctx);
    const i = getInstance(getSvc(s, v.ServiceId), v.InstanceId);
    return { ResourceOwner: s.accountId, Instance: { Id: i.id, CreatorRequestId: i.creatorRequestId, Attributes: i.attrs, CreatedByAccount: s.accountId } };
  },
  ListInstances(ctx, v) {
    const s = st(ctx);
    const x = getSvc(s, v.ServiceId);
    const all = [...x.instances.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    const p = paginate(all, { maxResults: v.MaxResults, nextToken: v.NextToken, defaultMax: 100, key: (i) => i.id, ...tok });
    return {
      ResourceOwner: s.accountId,
      Instances: p.items.map((i) => ({ Id: i.id, Attributes: i.attrs, CreatedByAccount: s.accountId })),
      NextToken: p.nextToken,
    };
  },
  DiscoverInstances(ctx, v) {
    const s = st(ctx);
    const x = discoverTarget(s, v);
    const n = getNs(s, x.nsId);
    const found = discover(x, v.QueryParameters ?? {}, v.OptionalParameters ?? {}, String(v.HealthStatus ?? "ALL"));
    return {
      Instances: found
        .slice(0, Number(v.MaxResults ?? 100))
        .map((i) => ({ InstanceId: i.id, NamespaceName: n.name, ServiceName: x.name, HealthStatus: i.health, Attributes: i.attrs })),
      InstancesRevision: x.revision,
    };
  },
  DiscoverInstancesRevision: (ctx, v) => ({ InstancesRevision: discoverTarget(st(ctx), v).revision }),
  GetInstancesHealthStatus(ctx, v) {
    const x = getSvc(st(ctx), v.ServiceId);
    const ids: string[] = v.Instances?.length ? v.Instances : [...x.instances.keys()].sort();
    for (const id of ids) getInstance(x, id);
    const p = paginate(ids, { maxResults: v.MaxResults, nextToken: v.NextToken, defaultMax: 100, key: (i) => i, ...tok });
    return { Status: Object.fromEntries(p.items.map((i) => [i, x.instances.get(i)!.health])), NextToken: p.nextToken };
  },
  UpdateInstanceCustomHealthStatus(ctx, v) {
    const x = getSvc(st(ctx), v.ServiceId);
    const i = getInstance(x, v.InstanceId);
    if (!x.healthCheckCustomConfig)
      throw err("CustomHealthNotFound", "The health check for the instance that's specified by ServiceId and InstanceId isn't a custom health check.");
    const status = String(v.Status) as Instance["health"];
    if (i.health !== status) {
      i.health = status;
      x.revision++;
    }
    return {};
  },
};
