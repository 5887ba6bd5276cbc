/** Namespaces: HTTP, private DNS and public DNS; asynchronous creates/updates/deletes answer an OperationId. */
import { randomBytes, randomUUID } from "node:crypto";
import { paginate } from "../core/paginate.js";
import type { Ctx } from "../core/types.js";
import { checkFilters, err, getNs, type Input, invalid, lowerId, matches, type Ns, op, type SdState, st, tok } from "./state.js";

function createNs(ctx: Ctx, v: Input, type: Ns["type"]) {
  const s = st(ctx);
  const name = String(v.Name ?? "");
  const dup = [...s.ns.values()].find(
    (n) => n.name === name && (type === "HTTP" ? n.type === "HTTP" : n.type !== "HTTP" && (type !== "DNS_PRIVATE" || n.vpc === v.Vpc)),
  );
  if (dup) {
    if (v.CreatorRequestId && dup.creatorRequestId === v.CreatorRequestId) return op(s, ctx.now(), "CREATE_NAMESPACE", { NAMESPACE: dup.id });
    // A second private namespace of that name in the VPC is accepted, and its operation fails: Route 53 refuses a
    // second private hosted zone of the same name on the VPC (the text AWS reports, as the Terraform provider's
    // acceptance test TestAccServiceDiscoveryPrivateDNSNamespace_Error_overlap and its wait.go record it).
    if (type === "DNS_PRIVATE") {
      const zone = name.endsWith(".") ? name : `${name}.`;
      return op(
        s,
        ctx.now(),
        "CREATE_NAMESPACE",
        { NAMESPACE: lowerId("ns") },
        {
          code: "CANNOT_CREATE_HOSTED_ZONE",
          message: `The VPC that you chose, ${v.Vpc} in region ${s.region}, is already associated with another private hosted zone that has an overlapping name space, ${zone}. (Service: AmazonRoute53; Status Code: 400; Error Code: ConflictingDomainExists; Request ID: ${randomUUID()})`,
        },
      );
    }
    throw err("NamespaceAlreadyExists", `Namespace with name ${name} already exists.`, { NamespaceId: dup.id, CreatorRequestId: dup.creatorRequestId ?? "" });
  }
  if ((v.Tags?.length ?? 0) > 50) throw err("TooManyTagsException", "The resource can't be created because you've reached the quota on the number of tags.");
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
    hostedZoneId: type === "HTTP" ? undefined : `Z${Array.from(randomBytes(20), (b) => "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[b % 36]).join("")}`,
    soaTtl: type === "HTTP" ? undefined : (v.Properties?.DnsProperties?.SOA?.TTL ?? 15),
    tags: v.Tags ?? [],
  };
  s.ns.set(id, n);
  return op(s, ctx.now(), "CREATE_NAMESPACE", { NAMESPACE: id });
}

/**
 * A namespace (GetNamespace) or its summary (ListNamespaces). As AWS's examples show, neither carries ServiceCount;
 * a summary's DnsProperties hold an empty SOA whatever the type, GetNamespace's the SOA TTL (DNS) or nothing (HTTP).
 */
export function nsOut(s: SdState, n: Ns, full = true) {
  return {
    Id: n.id,
    Arn: n.arn,
    ResourceOwner: s.accountId,
    Name: n.name,
    Type: n.type,
    Description: n.description,
    Properties: {
      DnsProperties: full ? (n.hostedZoneId ? { HostedZoneId: n.hostedZoneId, SOA: { TTL: n.soaTtl } } : {}) : { HostedZoneId: n.hostedZoneId, SOA: {} },
      HttpProperties: { HttpName: n.name },
    },
    CreateDate: n.created,
    CreatorRequestId: full ? n.creatorRequestId : undefined,
  };
}

function updateNs(ctx: Ctx, v: Input, types: Ns["type"][]) {
  const s = st(ctx);
  const n = getNs(s, v.Id);
  if (!types.includes(n.type)) throw invalid(`Namespace ${n.id} is a ${n.type} namespace and can't be updated with this operation.`);
  const u = v.Namespace ?? {};
  if (u.Description !== undefined) n.description = u.Description;
  const ttl = u.Properties?.DnsProperties?.SOA?.TTL;
  if (ttl !== undefined) n.soaTtl = ttl;
  return op(s, ctx.now(), "UPDATE_NAMESPACE", { NAMESPACE: n.id });
}

// NamespaceFilter: "BEGINS_WITH is supported for TYPE, NAME, and HTTP_NAME" (IN for TYPE, as earlier references had it).
const FILTERS = { TYPE: ["EQ", "IN", "BEGINS_WITH"], NAME: ["EQ", "BEGINS_WITH"], HTTP_NAME: ["EQ", "BEGINS_WITH"], RESOURCE_OWNER: ["EQ"] };

export const namespaceOps: Record<string, (ctx: Ctx, v: Input) => unknown> = {
  CreateHttpNamespace: (ctx, v) => createNs(ctx, v, "HTTP"),
  CreatePrivateDnsNamespace: (ctx, v) => createNs(ctx, v, "DNS_PRIVATE"),
  CreatePublicDnsNamespace: (ctx, v) => createNs(ctx, v, "DNS_PUBLIC"),
  UpdateHttpNamespace: (ctx, v) => updateNs(ctx, v, ["HTTP"]),
  UpdatePrivateDnsNamespace: (ctx, v) => updateNs(ctx, v, ["DNS_PRIVATE"]),
  UpdatePublicDnsNamespace: (ctx, v) => updateNs(ctx, v, ["DNS_PUBLIC"]),
  GetNamespace: (ctx, v) => ({ Namespace: nsOut(st(ctx), getNs(st(ctx), v.Id)) }),
  ListNamespaces(ctx, v) {
    const s = st(ctx);
    const fs: Array<{ Name: string; Values?: string[]; Condition?: string }> = v.Filters ?? [];
    checkFilters(fs, FILTERS);
    const field = (n: Ns, name: string) => (name === "TYPE" ? n.type : name === "RESOURCE_OWNER" ? "SELF" : n.name);
    const all = [...s.ns.values()]
      .filter((n) => fs.every((f) => matches(field(n, f.Name), f)))
      // Oldest first; the sort is stable, so those created in the same millisecond stay in creation (insertion) order.
      .sort((a, b) => a.created.getTime() - b.created.getTime());
    const p = paginate(all, { maxResults: v.MaxResults, nextToken: v.NextToken, defaultMax: 100, key: (n) => n.id, ...tok });
    return { Namespaces: p.items.map((n) => nsOut(s, n, false)), NextToken: p.nextToken };
  },
  DeleteNamespace(ctx, v) {
    const s = st(ctx);
    const n = getNs(s, v.Id);
    // AWS's text (anomalyco/sst#5931).
    if ([...s.svcs.values()].some((x) => x.nsId === n.id))
      throw err("ResourceInUse", "Namespace has associated services; delete the services before deleting the namespace");
    s.ns.delete(n.id);
    return op(s, ctx.now(), "DELETE_NAMESPACE", { NAMESPACE: n.id });
  },
};
