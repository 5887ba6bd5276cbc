/**
 * CreateTags, DeleteTags and DescribeTags for the resources of this folder; every other id goes on to the
 * handlers given (the EC2 ones, through ../more), whose answers are merged with these.
 */
import { paginate } from "../../core/paginate.js";
import type { Ctx, Handler } from "../../core/types.js";
import { dryRun, int, list, removeTag, select, setTag, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import type { Tagged } from "../state.js";
import { fam, type FamState } from "./state.js";

const e = Ec2Errors.custom;
const nf = (code: string, noun: string) => (id: string) => e(code, `The ${noun} ID '${id}' does not exist`);

const flatRules = (f: FamState) => {
  const m = new Map<string, Tagged>();
  for (const x of f.mirrorFilters.values()) for (const [id, r] of x.rules) m.set(id, r);
  return m;
};

/** Longest prefixes first. */
const KINDS: Array<{ prefix: string; type: string; map: (f: FamState) => Map<string, Tagged>; missing: (id: string) => Error }> = [
  {
    prefix: "vpce-svc-",
    type: "vpc-endpoint-service",
    map: (f) => f.endpointServices,
    missing: nf("InvalidVpcEndpointServiceId.NotFound", "VpcEndpointService"),
  },
  {
    prefix: "ipam-res-disco-assoc-",
    type: "ipam-resource-discovery-association",
    map: (f) => f.discoveryAssociations,
    missing: nf("InvalidIpamResourceDiscoveryAssociationId.NotFound", "ipam resource discovery association"),
  },
  {
    prefix: "ipam-res-disco-",
    type: "ipam-resource-discovery",
    map: (f) => f.discoveries,
    missing: nf("InvalidIpamResourceDiscoveryId.NotFound", "ipam resource discovery"),
  },
  { prefix: "ipam-scope-", type: "ipam-scope", map: (f) => f.scopes, missing: nf("InvalidIpamScopeId.NotFound", "ipam scope") },
  { prefix: "ipam-pool-", type: "ipam-pool", map: (f) => f.pools, missing: nf("InvalidIpamPoolId.NotFound", "ipam pool") },
  { prefix: "ipam-", type: "ipam", map: (f) => f.ipams, missing: nf("InvalidIpamId.NotFound", "ipam") },
  {
    prefix: "tmfr-",
    type: "traffic-mirror-filter-rule",
    map: flatRules,
    missing: nf("InvalidTrafficMirrorFilterRuleId.NotFound", "traffic mirror filter rule"),
  },
  { prefix: "tmf-", type: "traffic-mirror-filter", map: (f) => f.mirrorFilters, missing: nf("InvalidTrafficMirrorFilterId.NotFound", "traffic mirror filter") },
  { prefix: "tmt-", type: "traffic-mirror-target", map: (f) => f.mirrorTargets, missing: nf("InvalidTrafficMirrorTargetId.NotFound", "traffic mirror target") },
  {
    prefix: "tms-",
    type: "traffic-mirror-session",
    map: (f) => f.mirrorSessions,
    missing: nf("InvalidTrafficMirrorSessionId.NotFound", "traffic mirror session"),
  },
  {
    prefix: "cvpn-endpoint-",
    type: "client-vpn-endpoint",
    map: (f) => f.clientVpns,
    missing: (id) => e("InvalidClientVpnEndpointId.NotFound", `Endpoint ${id} does not exist`),
  },
  {
    prefix: "vai-",
    type: "verified-access-instance",
    map: (f) => f.vaInstances,
    missing: nf("InvalidVerifiedAccessInstanceId.NotFound", "Verified Access instance"),
  },
  {
    prefix: "vatp-",
    type: "verified-access-trust-provider",
    map: (f) => f.vaProviders,
    missing: nf("InvalidVerifiedAccessTrustProviderId.NotFound", "Verified Access trust provider"),
  },
  { prefix: "vagr-", type: "verified-access-group", map: (f) => f.vaGroups, missing: nf("InvalidVerifiedAccessGroupId.NotFound", "Verified Access group") },
  {
    prefix: "vae-",
    type: "verified-access-endpoint",
    map: (f) => f.vaEndpoints,
    missing: nf("InvalidVerifiedAccessEndpointId.NotFound", "Verified Access endpoint"),
  },
  { prefix: "nip-", type: "network-insights-path", map: (f) => f.insightsPaths, missing: nf("InvalidNetworkInsightsPathId.NotFound", "NetworkInsightsPath") },
  {
    prefix: "nia-",
    type: "network-insights-analysis",
    map: (f) => f.insightsAnalyses,
    missing: nf("InvalidNetworkInsightsAnalysisId.NotFound", "NetworkInsightsAnalysis"),
  },
];

const kindOf = (id: string) => KINDS.find((k) => id.startsWith(k.prefix));

function split(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const mine: Array<{ id: string; r: Tagged }> = [];
  const rest: string[] = [];
  for (const id of list(input.Resources)) {
    const k = kindOf(id);
    if (!k) {
      rest.push(id);
      continue;
    }
    const r = k.map(f).get(id);
    if (!r) throw k.missing(id);
    mine.push({ id, r });
  }
  return { s, mine, rest };
}

export function tagOperations(base: { CreateTags: Handler; DeleteTags: Handler; DescribeTags: Handler }) {
  async function CreateTags(ctx: Ctx, input: Input) {
    const { s, mine, rest } = split(ctx, input);
    if (!mine.length) return base.CreateTags(ctx, input);
    const tags: Array<{ Key?: string; Value?: string }> = input.Tags ?? [];
    if (!tags.length) throw Ec2Errors.missing("Tag");
    for (const t of tags) {
      if (!t.Key || String(t.Key).length > 128) throw Ec2Errors.invalidValue(`Tag key '${t.Key ?? ""}' is invalid`);
      if (String(t.Key).toLowerCase().startsWith("aws:")) throw Ec2Errors.invalidValue("Tag keys starting with 'aws:' are reserved for internal use");
      if (String(t.Value ?? "").length > 256) throw Ec2Errors.invalidValue(`Tag value for key '${t.Key}' is too long`);
    }
    for (const { r } of mine)
      if (new Set([...r.tags.keys(), ...tags.map((t) => String(t.Key))]).size > 50)
        throw e("TagLimitExceeded", "The maximum number of Tags for a resource has been reached.");
    if (rest.length) await base.CreateTags(ctx, { ...input, Resources: rest });
    else dryRun(input);
    for (const { id, r } of mine) for (const t of tags) setTag(s, id, r, String(t.Key), String(t.Value ?? ""));
    return { return: true };
  }

  async function DeleteTags(ctx: Ctx, input: Input) {
    const { s, mine, rest } = split(ctx, input);
    if (!mine.length) return base.DeleteTags(ctx, input);
    if (rest.length) await base.DeleteTags(ctx, { ...input, Resources: rest });
    else dryRun(input);
    const tags: Array<{ Key?: string; Value?: string }> = input.Tags ?? [];
    for (const { id, r } of mine) {
      const keys = tags.length ? tags : [...r.tags.keys()].map((Key) => ({ Key, Value: undefined }));
      for (const t of keys) removeTag(s, id, r, String(t.Key), t.Value === undefined ? undefined : String(t.Value));
    }
    return { return: true };
  }

  async function DescribeTags(ctx: Ctx, input: Input) {
    const { f } = fam(ctx);
    const max = int(input.MaxResults, "MaxResults");
    if (max !== undefined && (max < 5 || max > 1000))
      throw Ec2Errors.invalidValue(`Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
    const baseOut = (await base.DescribeTags(ctx, { ...input, MaxResults: undefined, NextToken: undefined })) as {
      tagSet: Array<{ resourceId: string; resourceType: string; key: string; value: string }>;
    };
    const own: Array<{ resourceId: string; resourceType: string; key: string; value: string; tags: Map<string, string> }> = [];
    for (const k of KINDS)
      for (const [id, r] of k.map(f)) for (const [key, value] of r.tags) own.push({ resourceId: id, resourceType: k.type, key, value, tags: new Map() });
    const matched = select(
      own,
      { Filters: input.Filters },
      { key: (x) => x.key, value: (x) => x.value, "resource-id": (x) => x.resourceId, "resource-type": (x) => x.resourceType },
      (x) => `${x.resourceId}\u0000${x.key}`,
    ).items.map(({ tags: _t, ...x }) => x);
    if (!matched.length && max === undefined && !input.NextToken) return baseOut;
    const rows = [...baseOut.tagSet, ...matched].sort((a, b) => (a.resourceId + a.key < b.resourceId + b.key ? -1 : 1));
    if (max === undefined && !input.NextToken) return { tagSet: rows };
    const page = paginate(rows, {
      maxResults: max,
      nextToken: input.NextToken,
      defaultMax: 1000,
      key: (x) => `${x.resourceId}\u0000${x.key}`,
      invalidToken: Ec2Errors.invalidToken,
    });
    return { tagSet: page.items, nextToken: page.nextToken };
  }

  return { CreateTags, DeleteTags, DescribeTags };
}
