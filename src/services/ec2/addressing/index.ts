/**
 * Operations of the EC2 "addressing" area, spread into the EC2 operations table (ec2/index.ts): secondary
 * addresses of NAT gateways (CreateNatGateway, DescribeNatGateways and DeleteNatGateway wrapped), subnet CIDR
 * reservations, security groups across VPCs and stale groups, VPC Block Public Access, VPC encryption
 * controls, IPAM resource/discovered CIDRs and sampled address history computed from awsim's VPCs, subnets
 * and EIPs, IPAM policies, BYOASN, verification tokens and prefix list resolvers, managed prefix list
 * versions and associations, public IPv4 pools and BYOIP (AllocateAddress, DescribeAddresses and
 * ReleaseAddress wrapped so addresses come from them), elastic IP transfers between accounts, Network Access
 * Analyzer scopes, managed resource visibility. CreateVpc/AssociateVpcCidrBlock take CIDRs from IPAM pools (Ipv4IpamPoolId,
 * Ipv6IpamPoolId). RunInstances, CreateNetworkInterface, AssignPrivateIpAddresses
 * and CreateVpcEndpoint are wrapped so subnet CIDR reservations hold back their ranges.
 * Gaps (NotImplemented): enclave certificate IAM roles (no ACM), IPAM / Reachability Analyzer organization
 * admin and sharing (no AWS Organizations), GetFlowLogsIntegrationTemplate, EC2-Classic moves
 * (MoveAddressToVpc, RestoreAddressToClassic).
 */
import type { Handler } from "../../core/types.js";
import { RunInstancesOperation } from "../instances.js";
import { AssignPrivateIpAddresses, AssociateVpcCidrBlock, DisassociateVpcCidrBlock } from "../ipv6.js";
import { familyOperations } from "../families/index.js";
import {
  AllocateAddress,
  CreateNatGateway,
  CreateNetworkInterface,
  CreateVpc,
  DeleteVpc,
  DeleteNatGateway,
  DescribeAddresses,
  DescribeNatGateways,
  DescribeSubnets,
  DescribeVpcs,
  ReleaseAddress,
} from "../network.js";
import { GetManagedPrefixListEntries, ModifyManagedPrefixList } from "../vpc-links.js";
import { Ec2Errors } from "../errors.js";
import { kindTagOperations, type TagHandlers, type TagKind } from "../tag-kinds.js";
import * as nis from "./access-scopes.js";
import * as adr from "./addresses.js";
import * as bpa from "./block-public-access.js";
import * as enc from "./encryption-controls.js";
import * as byo from "./ipam-byo.js";
import * as pol from "./ipam-policies.js";
import * as plr from "./ipam-resolvers.js";
import * as ivpc from "./ipam-vpcs.js";
import * as ipamr from "./ipam-resources.js";
import * as nat from "./nat.js";
import * as pl from "./prefix-lists.js";
import * as pool from "./public-pools.js";
import * as scr from "./subnet-cidr-reservations.js";
import * as sgv from "./security-groups.js";
import { addr, type AddrState } from "./state.js";

export const operations: Record<string, Handler> = {
  AssociateNatGatewayAddress: scr.withReservedRanges(nat.AssociateNatGatewayAddress),
  DisassociateNatGatewayAddress: nat.DisassociateNatGatewayAddress,
  AssignPrivateNatGatewayAddress: scr.withReservedRanges(nat.AssignPrivateNatGatewayAddress),
  UnassignPrivateNatGatewayAddress: nat.UnassignPrivateNatGatewayAddress,
  /** The EC2 NAT gateway handlers, wrapped so secondary addresses are created, shown and released. */
  CreateNatGateway: scr.withReservedRanges(nat.createNatGatewayWith(CreateNatGateway)),
  DescribeNatGateways: nat.describeNatGatewaysWith(DescribeNatGateways),
  DeleteNatGateway: nat.deleteNatGatewayWith(DeleteNatGateway),
  CreateSubnetCidrReservation: scr.CreateSubnetCidrReservation,
  DeleteSubnetCidrReservation: scr.DeleteSubnetCidrReservation,
  GetSubnetCidrReservations: scr.GetSubnetCidrReservations,
  /** Handlers that pick private addresses, wrapped so reserved ranges are held back. */
  RunInstances: scr.withReservedRanges(RunInstancesOperation),
  CreateNetworkInterface: scr.withReservedRanges(CreateNetworkInterface),
  AssignPrivateIpAddresses: scr.withReservedRanges(AssignPrivateIpAddresses),
  CreateVpcEndpoint: scr.withReservedRanges(familyOperations.CreateVpcEndpoint!),
  AssociateSecurityGroupVpc: sgv.AssociateSecurityGroupVpc,
  DisassociateSecurityGroupVpc: sgv.DisassociateSecurityGroupVpc,
  DescribeSecurityGroupVpcAssociations: sgv.DescribeSecurityGroupVpcAssociations,
  GetSecurityGroupsForVpc: sgv.GetSecurityGroupsForVpc,
  DescribeStaleSecurityGroups: sgv.DescribeStaleSecurityGroups,
  DescribeVpcBlockPublicAccessOptions: bpa.DescribeVpcBlockPublicAccessOptions,
  ModifyVpcBlockPublicAccessOptions: bpa.ModifyVpcBlockPublicAccessOptions,
  CreateVpcBlockPublicAccessExclusion: bpa.CreateVpcBlockPublicAccessExclusion,
  ModifyVpcBlockPublicAccessExclusion: bpa.ModifyVpcBlockPublicAccessExclusion,
  DeleteVpcBlockPublicAccessExclusion: bpa.DeleteVpcBlockPublicAccessExclusion,
  DescribeVpcBlockPublicAccessExclusions: bpa.DescribeVpcBlockPublicAccessExclusions,
  /** The EC2 VPC and subnet descriptions, wrapped to show the account's BPA mode and encryption controls. */
  DescribeVpcs: bpa.describeVpcsWith(DescribeVpcs),
  DescribeSubnets: bpa.describeSubnetsWith(DescribeSubnets),
  GetIpamResourceCidrs: ipamr.GetIpamResourceCidrs,
  ModifyIpamResourceCidr: ipamr.ModifyIpamResourceCidr,
  GetIpamDiscoveredResourceCidrs: ipamr.GetIpamDiscoveredResourceCidrs,
  GetIpamDiscoveredAccounts: ipamr.GetIpamDiscoveredAccounts,
  GetIpamDiscoveredPublicAddresses: ipamr.GetIpamDiscoveredPublicAddresses,
  GetIpamAddressHistory: ipamr.GetIpamAddressHistory,
  ModifyIpamPoolAllocation: ipamr.ModifyIpamPoolAllocation,
  DescribeIpamPoolAllocations: ipamr.DescribeIpamPoolAllocations,
  /** The EC2 VPC handlers, wrapped so VPC CIDRs can come from IPAM pools (and go back to them). */
  CreateVpc: ivpc.createVpcWith(CreateVpc, AssociateVpcCidrBlock),
  AssociateVpcCidrBlock: ivpc.associateVpcCidrBlockWith(AssociateVpcCidrBlock),
  DisassociateVpcCidrBlock: ivpc.disassociateVpcCidrBlockWith(DisassociateVpcCidrBlock),
  DeleteVpc: ivpc.deleteVpcWith(DeleteVpc),
  /** The EC2 prefix list handlers, wrapped so past versions are kept and can be read. */
  ModifyManagedPrefixList: pl.modifyManagedPrefixListWith(ModifyManagedPrefixList),
  GetManagedPrefixListEntries: pl.getManagedPrefixListEntriesWith(GetManagedPrefixListEntries),
  RestoreManagedPrefixListVersion: pl.RestoreManagedPrefixListVersion,
  GetManagedPrefixListAssociations: pl.GetManagedPrefixListAssociations,
  CreatePublicIpv4Pool: pool.CreatePublicIpv4Pool,
  DeletePublicIpv4Pool: pool.DeletePublicIpv4Pool,
  ProvisionPublicIpv4PoolCidr: pool.ProvisionPublicIpv4PoolCidr,
  DeprovisionPublicIpv4PoolCidr: pool.DeprovisionPublicIpv4PoolCidr,
  DescribePublicIpv4Pools: pool.DescribePublicIpv4Pools,
  /** The EC2 elastic IP handlers, wrapped so addresses can come from this account's public IPv4 pools. */
  AllocateAddress: pol.allocateAddressWith(pool.allocateAddressWith(AllocateAddress)),
  ReleaseAddress: pol.releaseAddressWith(ReleaseAddress),
  DescribeAddresses: pool.describeAddressesWith(DescribeAddresses),
  ProvisionByoipCidr: pool.ProvisionByoipCidr,
  AdvertiseByoipCidr: pool.AdvertiseByoipCidr,
  WithdrawByoipCidr: pool.WithdrawByoipCidr,
  DeprovisionByoipCidr: pool.DeprovisionByoipCidr,
  DescribeByoipCidrs: pool.DescribeByoipCidrs,
  MoveByoipCidrToIpam: pool.MoveByoipCidrToIpam,
  DescribeIpv6Pools: pool.DescribeIpv6Pools,
  GetAssociatedIpv6PoolCidrs: pool.GetAssociatedIpv6PoolCidrs,
  EnableAddressTransfer: adr.EnableAddressTransfer,
  DisableAddressTransfer: adr.DisableAddressTransfer,
  AcceptAddressTransfer: adr.AcceptAddressTransfer,
  DescribeAddressTransfers: adr.DescribeAddressTransfers,
  DescribeMovingAddresses: adr.DescribeMovingAddresses,
  GetManagedResourceVisibility: adr.GetManagedResourceVisibility,
  ModifyManagedResourceVisibility: adr.ModifyManagedResourceVisibility,
  DescribeVpcEndpointAssociations: adr.DescribeVpcEndpointAssociations,
  CreateVpcEncryptionControl: enc.CreateVpcEncryptionControl,
  ModifyVpcEncryptionControl: enc.ModifyVpcEncryptionControl,
  DeleteVpcEncryptionControl: enc.DeleteVpcEncryptionControl,
  DescribeVpcEncryptionControls: enc.DescribeVpcEncryptionControls,
  GetVpcResourcesBlockingEncryptionEnforcement: enc.GetVpcResourcesBlockingEncryptionEnforcement,
  CreateNetworkInsightsAccessScope: nis.CreateNetworkInsightsAccessScope,
  GetNetworkInsightsAccessScopeContent: nis.GetNetworkInsightsAccessScopeContent,
  DescribeNetworkInsightsAccessScopes: nis.DescribeNetworkInsightsAccessScopes,
  DeleteNetworkInsightsAccessScope: nis.DeleteNetworkInsightsAccessScope,
  StartNetworkInsightsAccessScopeAnalysis: nis.StartNetworkInsightsAccessScopeAnalysis,
  DescribeNetworkInsightsAccessScopeAnalyses: nis.DescribeNetworkInsightsAccessScopeAnalyses,
  DeleteNetworkInsightsAccessScopeAnalysis: nis.DeleteNetworkInsightsAccessScopeAnalysis,
  GetNetworkInsightsAccessScopeAnalysisFindings: nis.GetNetworkInsightsAccessScopeAnalysisFindings,
  CreateIpamExternalResourceVerificationToken: byo.CreateIpamExternalResourceVerificationToken,
  DeleteIpamExternalResourceVerificationToken: byo.DeleteIpamExternalResourceVerificationToken,
  DescribeIpamExternalResourceVerificationTokens: byo.DescribeIpamExternalResourceVerificationTokens,
  ProvisionIpamByoasn: byo.ProvisionIpamByoasn,
  DeprovisionIpamByoasn: byo.DeprovisionIpamByoasn,
  DescribeIpamByoasn: byo.DescribeIpamByoasn,
  AssociateIpamByoasn: byo.AssociateIpamByoasn,
  DisassociateIpamByoasn: byo.DisassociateIpamByoasn,
  CreateIpamPolicy: pol.CreateIpamPolicy,
  DeleteIpamPolicy: pol.DeleteIpamPolicy,
  DescribeIpamPolicies: pol.DescribeIpamPolicies,
  EnableIpamPolicy: pol.EnableIpamPolicy,
  DisableIpamPolicy: pol.DisableIpamPolicy,
  GetEnabledIpamPolicy: pol.GetEnabledIpamPolicy,
  ModifyIpamPolicyAllocationRules: pol.ModifyIpamPolicyAllocationRules,
  GetIpamPolicyAllocationRules: pol.GetIpamPolicyAllocationRules,
  GetIpamPolicyOrganizationTargets: pol.GetIpamPolicyOrganizationTargets,
  CreateIpamPrefixListResolver: plr.CreateIpamPrefixListResolver,
  ModifyIpamPrefixListResolver: plr.ModifyIpamPrefixListResolver,
  DeleteIpamPrefixListResolver: plr.DeleteIpamPrefixListResolver,
  DescribeIpamPrefixListResolvers: plr.DescribeIpamPrefixListResolvers,
  GetIpamPrefixListResolverRules: plr.GetIpamPrefixListResolverRules,
  GetIpamPrefixListResolverVersions: plr.GetIpamPrefixListResolverVersions,
  GetIpamPrefixListResolverVersionEntries: plr.GetIpamPrefixListResolverVersionEntries,
  CreateIpamPrefixListResolverTarget: plr.CreateIpamPrefixListResolverTarget,
  ModifyIpamPrefixListResolverTarget: plr.ModifyIpamPrefixListResolverTarget,
  DeleteIpamPrefixListResolverTarget: plr.DeleteIpamPrefixListResolverTarget,
  DescribeIpamPrefixListResolverTargets: plr.DescribeIpamPrefixListResolverTargets,
};

const e = Ec2Errors.custom;
const nf = (code: string, noun: string) => (id: string) => e(code, `The ${noun} ID '${id}' does not exist`);

/** Longest prefixes first. */
const KINDS: TagKind<AddrState>[] = [
  {
    prefix: "scr-",
    type: "subnet-cidr-reservation",
    map: (a) => a.cidrReservations,
    missing: nf("InvalidSubnetCidrReservationID.NotFound", "subnetCidrReservation"),
  },
  { prefix: "ipv4pool-ec2-", type: "ipv4pool-ec2", map: (a) => a.publicPools, missing: nf("InvalidPublicIpv4PoolID.NotFound", "public IPv4 pool") },
  { prefix: "ipv6pool-ec2-", type: "ipv6pool-ec2", map: (a) => a.ipv6Pools, missing: nf("InvalidIpv6PoolID.NotFound", "IPv6 pool") },
  {
    prefix: "vpcec-",
    type: "vpc-encryption-control",
    map: (a) => a.encryptionControls,
    missing: nf("InvalidVpcEncryptionControlId.NotFound", "vpcEncryptionControl"),
  },
  {
    prefix: "nisa-",
    type: "network-insights-access-scope-analysis",
    map: (a) => a.accessScopeAnalyses,
    missing: nf("InvalidNetworkInsightsAccessScopeAnalysisId.NotFound", "NetworkInsightsAccessScopeAnalysis"),
  },
  {
    prefix: "nis-",
    type: "network-insights-access-scope",
    map: (a) => a.accessScopes,
    missing: nf("InvalidNetworkInsightsAccessScopeId.NotFound", "NetworkInsightsAccessScope"),
  },
  {
    prefix: "ipam-prefix-list-resolver-target-",
    type: "ipam-prefix-list-resolver-target",
    map: (a) => a.resolverTargets,
    missing: nf("InvalidIpamPrefixListResolverTargetId.NotFound", "IPAM prefix list resolver target"),
  },
  {
    prefix: "ipam-prefix-list-resolver-",
    type: "ipam-prefix-list-resolver",
    map: (a) => a.resolvers,
    missing: nf("InvalidIpamPrefixListResolverId.NotFound", "IPAM prefix list resolver"),
  },
  { prefix: "ipam-policy-", type: "ipam-policy", map: (a) => a.ipamPolicies, missing: nf("InvalidIpamPolicyId.NotFound", "ipam policy") },
  {
    prefix: "ipam-ext-res-ver-token-",
    type: "ipam-external-resource-verification-token",
    map: (a) => a.verificationTokens,
    missing: nf("InvalidIpamExternalResourceVerificationTokenId.NotFound", "ipam external resource verification token"),
  },
  {
    prefix: "vpcbpa-exclude-",
    type: "vpc-block-public-access-exclusion",
    map: (a) => a.bpaExclusions,
    missing: nf("InvalidVpcBlockPublicAccessExclusionId.NotFound", "vpcBlockPublicAccessExclusion"),
  },
];

/** CreateTags/DeleteTags/DescribeTags for this area's resource kinds (kindTagOperations); other ids go on to base. */
export const tags = (base: TagHandlers): TagHandlers =>
  kindTagOperations(
    base,
    (ctx) => {
      const { s, a } = addr(ctx);
      return { s, x: a };
    },
    KINDS,
  );
