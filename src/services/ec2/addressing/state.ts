/**
 * State of the EC2 "addressing" area. It hangs off the account/region's Ec2State as one own property created
 * on first use, so snapshots and persistence copy it with the rest of the EC2 state and ec2/state.ts stays as it is.
 */
import type { Ctx } from "../../core/types.js";
import type { Ec2State, Tagged } from "../state.js";

/** A secondary address of a NAT gateway (the primary one stays on the NatRec of ec2/state.ts). */
export interface NatSecondaryRec {
  privateIp: string;
  allocationId?: string;
  publicIp?: string;
  associationId?: string;
}

export interface SubnetCidrReservationRec extends Tagged {
  id: string;
  subnetId: string;
  cidr: string;
  type: string;
  description?: string;
}

export interface SgVpcAssociationRec {
  groupId: string;
  vpcId: string;
  state: string;
  /** When it was associated, or (leaving) disassociated, in ms: associating / disassociating for the transition delay since. */
  since?: number;
  leaving?: boolean;
}

export interface BpaExclusionRec extends Tagged {
  id: string;
  mode: string;
  resourceArn: string;
  state: string;
  reason?: string;
  created: Date;
  updated: Date;
  deleted?: Date;
}

export interface BpaOptionsRec {
  mode: string;
  state: string;
  reason?: string;
  updated?: Date;
  exclusionsAllowed: string;
}

export interface PrefixListHistory {
  /** version → entries (cidr → description) as they were at that version. */
  versions: Map<number, Map<string, string>>;
}

export interface PublicPoolRec extends Tagged {
  id: string;
  description?: string;
  /** cidr → first and last address (as numbers); the IPAM allocation that gave it, when it came from IPAM */
  ranges: Map<string, { first: number; last: number; ipamPoolId?: string; allocationId?: string }>;
  networkBorderGroup: string;
}

export interface Ipv6PoolRec extends Tagged {
  id: string;
  description?: string;
  cidrs: string[];
}

export interface ByoipCidrRec {
  cidr: string;
  description?: string;
  state: string;
  statusMessage?: string;
  advertisable: boolean;
  poolId: string;
  networkBorderGroup: string;
}

export interface EncryptionControlRec extends Tagged {
  id: string;
  vpcId: string;
  mode: string;
  state: string;
  stateMessage?: string;
  /** exclusion (internetGateway, natGateway, ...) → enabled | disabled */
  exclusions: Record<string, string>;
}

export interface AccessScopeRec extends Tagged {
  id: string;
  arn: string;
  created: Date;
  updated: Date;
  match: Array<Record<string, any>>;
  exclude: Array<Record<string, any>>;
}

export interface AccessScopeAnalysisRec extends Tagged {
  id: string;
  arn: string;
  scopeId: string;
  start: Date;
  end: Date;
  findings: Array<Record<string, any>>;
  eniCount: number;
}

export interface EnclaveRoleRec {
  certificateArn: string;
  roleArn: string;
  bucket: string;
  objectKey: string;
  kmsKeyId: string;
}

export interface AddrState {
  /** NAT gateway id → its secondary addresses. */
  natSecondaries: Map<string, NatSecondaryRec[]>;
  cidrReservations: Map<string, SubnetCidrReservationRec>;
  /** `${groupId} ${vpcId}` → association */
  sgVpcAssociations: Map<string, SgVpcAssociationRec>;
  bpaOptions?: BpaOptionsRec;
  bpaExclusions: Map<string, BpaExclusionRec>;
  /** prefix list id → its past versions */
  prefixListHistory: Map<string, PrefixListHistory>;
  publicPools: Map<string, PublicPoolRec>;
  ipv6Pools: Map<string, Ipv6PoolRec>;
  byoipCidrs: Map<string, ByoipCidrRec>;
  encryptionControls: Map<string, EncryptionControlRec>;
  accessScopes: Map<string, AccessScopeRec>;
  accessScopeAnalyses: Map<string, AccessScopeAnalysisRec>;
  /** `${certificateArn} ${roleArn}` → association */
  enclaveRoles: Map<string, EnclaveRoleRec>;
  /** allocation id → address transfer to another account (or, with `from`, offered to this account) */
  transfers: Map<string, TransferRec>;
  managedResourceVisibility?: string;
  verificationTokens: Map<string, VerificationTokenRec>;
  ipamPolicies: Map<string, IpamPolicyRec>;
  resolvers: Map<string, ResolverRec>;
  resolverTargets: Map<string, ResolverTargetRec>;
  /** the account's enabled IPAM policy */
  enabledIpamPolicy?: string;
  /** asn → BYOASN provisioned to an IPAM */
  byoasns: Map<string, { asn: string; ipamId: string; state: string }>;
  /** `${asn} ${cidr}` → association of a BYOASN with a BYOIP CIDR */
  asnAssociations: Map<string, { asn: string; cidr: string; state: string }>;
  /** IPAM address history: `${scopeId} ${resourceId} ${cidr}` → the sampled periods of that resource CIDR. */
  ipamHistory?: Map<string, IpamHistoryRec[]>;
  /** IPAM resource CIDRs marked unmonitored: `${scopeId} ${resourceId} ${cidr}`. */
  ipamIgnored?: Set<string>;
}

export interface ResolverRec extends Tagged {
  id: string;
  arn: string;
  ipamId: string;
  description?: string;
  family: string;
  rules: Array<Record<string, any>>;
  /** version → its CIDRs */
  versions: Map<number, string[]>;
}

export interface ResolverTargetRec extends Tagged {
  id: string;
  arn: string;
  resolverId: string;
  prefixListId: string;
  region: string;
  desired?: number;
  trackLatest: boolean;
  lastSynced?: number;
  state: string;
  message?: string;
}

export interface IpamPolicyRec extends Tagged {
  id: string;
  arn: string;
  ipamId: string;
  /** `${locale} ${resourceType}` → source IPAM pool ids, in order */
  rules: Map<string, string[]>;
}

export interface VerificationTokenRec extends Tagged {
  id: string;
  arn: string;
  ipamId: string;
  name: string;
  value: string;
  notAfter: Date;
}

export interface TransferRec {
  allocationId: string;
  publicIp: string;
  /** the account the address is offered to */
  account: string;
  /** set on the receiving account's copy: the account offering the address */
  from?: string;
  status: string;
  expires: Date;
  accepted?: Date;
}

export interface IpamHistoryRec {
  scopeId: string;
  region: string;
  owner: string;
  type: string;
  id: string;
  cidr: string;
  vpcId?: string;
  name?: string;
  compliance: string;
  overlap: string;
  start: Date;
  last: Date;
  end?: Date;
}

const KEYS: Array<keyof AddrState> = [
  "natSecondaries",
  "cidrReservations",
  "sgVpcAssociations",
  "bpaExclusions",
  "prefixListHistory",
  "publicPools",
  "ipv6Pools",
  "byoipCidrs",
  "encryptionControls",
  "accessScopes",
  "accessScopeAnalyses",
  "enclaveRoles",
  "transfers",
  "verificationTokens",
  "ipamPolicies",
  "resolvers",
  "resolverTargets",
  "byoasns",
  "asnAssociations",
];

type WithAddr = Ec2State & { addressingState?: AddrState };

export function addrOf(s: Ec2State): AddrState {
  const w = s as WithAddr;
  const a = (w.addressingState ??= {} as AddrState);
  for (const k of KEYS) (a as unknown as Record<string, unknown>)[k] ??= new Map();
  return a;
}

export const addr = (ctx: Ctx): { s: Ec2State; a: AddrState } => {
  const s = ctx.state<Ec2State>();
  return { s, a: addrOf(s) };
};
