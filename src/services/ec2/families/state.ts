/**
 * State of the EC2 families in this folder (VPC endpoint services, IPAM). It hangs off the account/region's
 * Ec2State as one own property created on first use, so snapshots copy it with the rest of the EC2 state and
 * ec2/state.ts stays as it is.
 */
import type { Ctx } from "../../core/types.js";
import type { Ec2State, Tagged } from "../state.js";

export interface EndpointServiceRec extends Tagged {
  id: string;
  name: string;
  state: string;
  acceptanceRequired: boolean;
  nlbArns: string[];
  gwlbArns: string[];
  ipTypes: string[];
  regions: string[];
  privateDns?: { name: string; state: string; type: string; value: string; recordName: string };
  payer: string;
  /** principal → permission id */
  principals: Map<string, string>;
  createTime: Date;
}

export interface EndpointConnectionRec extends Tagged {
  id: string;
  serviceId: string;
  vpceId: string;
  owner: string;
  region: string;
  created: Date;
}

export interface ConnectionNotificationRec extends Tagged {
  id: string;
  serviceId?: string;
  vpceId?: string;
  arn: string;
  events: string[];
  state: string;
}

export interface IpamRec extends Tagged {
  id: string;
  arn: string;
  description?: string;
  operatingRegions: string[];
  publicScopeId: string;
  privateScopeId: string;
  defaultDiscoveryId: string;
  defaultDiscoveryAssociationId: string;
  tier: string;
  state: string;
  enablePrivateGua: boolean;
}

export interface IpamScopeRec extends Tagged {
  id: string;
  arn: string;
  ipamId: string;
  type: string;
  isDefault: boolean;
  description?: string;
  state: string;
  /** The external IP address management system (Infoblox) that provides the scope's top-level CIDRs. */
  externalAuthority?: { Type?: string; ExternalResourceIdentifier?: string };
}

export interface PoolCidrRec {
  id: string;
  cidr: string;
  state: string;
  netmaskLength: number;
}

export interface AllocationRec {
  id: string;
  cidr: string;
  description?: string;
  resourceType: string;
  resourceId?: string;
  resourceOwner: string;
  resourceRegion?: string;
}

export interface IpamPoolRec extends Tagged {
  id: string;
  arn: string;
  ipamId: string;
  scopeId: string;
  sourcePoolId?: string;
  locale?: string;
  addressFamily: string;
  description?: string;
  autoImport: boolean;
  publiclyAdvertisable?: boolean;
  minNetmask?: number;
  maxNetmask?: number;
  defaultNetmask?: number;
  allocationTags: Array<{ Key: string; Value: string }>;
  awsService?: string;
  publicIpSource?: string;
  state: string;
  cidrs: Map<string, PoolCidrRec>;
  allocations: Map<string, AllocationRec>;
}

export interface ResourceDiscoveryRec extends Tagged {
  id: string;
  arn: string;
  description?: string;
  operatingRegions: string[];
  isDefault: boolean;
  state: string;
}

export interface DiscoveryAssociationRec extends Tagged {
  id: string;
  arn: string;
  ipamId: string;
  discoveryId: string;
  isDefault: boolean;
  state: string;
}

export interface MirrorRuleRec extends Tagged {
  id: string;
  filterId: string;
  direction: string;
  number: number;
  action: string;
  protocol?: number;
  dstPorts?: { FromPort?: number; ToPort?: number };
  srcPorts?: { FromPort?: number; ToPort?: number };
  dstCidr: string;
  srcCidr: string;
  description?: string;
}

export interface MirrorFilterRec extends Tagged {
  id: string;
  description?: string;
  services: string[];
  rules: Map<string, MirrorRuleRec>;
}

export interface MirrorTargetRec extends Tagged {
  id: string;
  type: string;
  eniId?: string;
  nlbArn?: string;
  gwlbeId?: string;
  description?: string;
}

export interface MirrorSessionRec extends Tagged {
  id: string;
  eniId: string;
  targetId: string;
  filterId: string;
  packetLength?: number;
  sessionNumber: number;
  vni: number;
  description?: string;
}

export interface ClientVpnRec extends Tagged {
  id: string;
  description?: string;
  clientCidr?: string;
  serverCertificateArn: string;
  auth: Array<Record<string, any>>;
  log: { Enabled: boolean; CloudwatchLogGroup?: string; CloudwatchLogStream?: string };
  dnsServers: string[];
  transport: string;
  port: number;
  splitTunnel: boolean;
  vpcId?: string;
  groups: string[];
  selfService: string;
  connect: { Enabled: boolean; LambdaFunctionArn?: string };
  banner: { Enabled: boolean; BannerText?: string };
  routeEnforcement: boolean;
  sessionHours: number;
  disconnectOnTimeout: boolean;
  created: Date;
  /** associationId → subnet */
  associations: Map<string, { id: string; subnetId: string; vpcId: string; az: string }>;
  routes: Array<{ cidr: string; subnetId: string; origin: string; type: string; description?: string }>;
  rules: Array<{ cidr: string; groupId?: string; all: boolean; description?: string }>;
  crl?: string;
}

export interface VaInstanceRec extends Tagged {
  id: string;
  description?: string;
  providers: string[];
  fips: boolean;
  logs?: Record<string, any>;
  created: Date;
  updated: Date;
  /** CidrEndpointsCustomSubDomain: the custom subdomain of the instance's network CIDR endpoints. */
  subDomain?: string;
}

export interface VaProviderRec extends Tagged {
  id: string;
  description?: string;
  type: string;
  userType?: string;
  deviceType?: string;
  oidc?: Record<string, string | undefined>;
  device?: Record<string, string | undefined>;
  policyReferenceName: string;
  sse: { CustomerManagedKeyEnabled: boolean; KmsKeyArn?: string };
  created: Date;
  updated: Date;
}

export interface VaGroupRec extends Tagged {
  id: string;
  instanceId: string;
  description?: string;
  policy?: string;
  policyEnabled: boolean;
  sse: { CustomerManagedKeyEnabled: boolean; KmsKeyArn?: string };
  created: Date;
  updated: Date;
}

export interface VaEndpointRec extends Tagged {
  id: string;
  groupId: string;
  instanceId: string;
  type: string;
  attachmentType: string;
  applicationDomain?: string;
  certificateArn?: string;
  domain: string;
  deviceDomain?: string;
  groups: string[];
  lb?: Record<string, any>;
  eni?: Record<string, any>;
  description?: string;
  policy?: string;
  policyEnabled: boolean;
  sse: { CustomerManagedKeyEnabled: boolean; KmsKeyArn?: string };
  created: Date;
  updated: Date;
}

export interface InsightsPathRec extends Tagged {
  id: string;
  created: Date;
  source: string;
  destination?: string;
  sourceIp?: string;
  destinationIp?: string;
  protocol: string;
  destinationPort?: number;
  filterAtSource?: Record<string, any>;
  filterAtDestination?: Record<string, any>;
}

export interface InsightsAnalysisRec extends Tagged {
  id: string;
  pathId: string;
  start: Date;
  additionalAccounts: string[];
  filterIn: string[];
  filterOut: string[];
  found: boolean;
  forward: Array<Record<string, any>>;
  explanations: Array<Record<string, any>>;
}

export interface FamState {
  endpointServices: Map<string, EndpointServiceRec>;
  /** vpce id → connection (on the service owner's side) */
  connections: Map<string, EndpointConnectionRec>;
  notifications: Map<string, ConnectionNotificationRec>;
  ipams: Map<string, IpamRec>;
  scopes: Map<string, IpamScopeRec>;
  pools: Map<string, IpamPoolRec>;
  discoveries: Map<string, ResourceDiscoveryRec>;
  discoveryAssociations: Map<string, DiscoveryAssociationRec>;
  mirrorFilters: Map<string, MirrorFilterRec>;
  mirrorTargets: Map<string, MirrorTargetRec>;
  mirrorSessions: Map<string, MirrorSessionRec>;
  clientVpns: Map<string, ClientVpnRec>;
  vaInstances: Map<string, VaInstanceRec>;
  vaProviders: Map<string, VaProviderRec>;
  vaGroups: Map<string, VaGroupRec>;
  vaEndpoints: Map<string, VaEndpointRec>;
  insightsPaths: Map<string, InsightsPathRec>;
  insightsAnalyses: Map<string, InsightsAnalysisRec>;
}

const KEYS: Array<keyof FamState> = [
  "endpointServices",
  "connections",
  "notifications",
  "ipams",
  "scopes",
  "pools",
  "discoveries",
  "discoveryAssociations",
  "mirrorFilters",
  "mirrorTargets",
  "mirrorSessions",
  "clientVpns",
  "vaInstances",
  "vaProviders",
  "vaGroups",
  "vaEndpoints",
  "insightsPaths",
  "insightsAnalyses",
];

type WithFam = Ec2State & { familiesState?: FamState };

export function famOf(s: Ec2State): FamState {
  const w = s as WithFam;
  const f = (w.familiesState ??= {} as FamState);
  for (const k of KEYS) f[k] ??= new Map() as never;
  return f;
}

export const fam = (ctx: Ctx): { s: Ec2State; f: FamState } => {
  const s = ctx.state<Ec2State>();
  return { s, f: famOf(s) };
};
