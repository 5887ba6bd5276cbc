/** The taggable resource kinds of this folder, for ../tag-kinds.ts. */
import { Ec2Errors } from "../errors.js";
import type { Tagged } from "../state.js";
import { kindTagOperations, type TagHandlers, type TagKind } from "../tag-kinds.js";
import { fam, type FamState } from "./state.js";

const e = Ec2Errors.custom;
const nf = (code: string, noun: string) => (id: string) => e(code, `The ${noun} ID '${id}' does not exist`);

const flatRules = (f: FamState) => {
  const m = new Map<string, Tagged>();
  for (const x of f.mirrorFilters.values()) for (const [id, r] of x.rules) m.set(id, r);
  return m;
};

/** Longest prefixes first. */
const KINDS: TagKind<FamState>[] = [
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

/** Tags of this folder's resources; other ids go on to `base`. */
export const tagOperations = (base: TagHandlers) =>
  kindTagOperations(
    base,
    (ctx) => {
      const { s, f } = fam(ctx);
      return { s, x: f };
    },
    KINDS,
  );
