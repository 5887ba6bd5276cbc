/**
 * Operations of the EC2 "addressing" area, spread into the EC2 operations table (ec2/index.ts): secondary
 * addresses of NAT gateways, subnet CIDR reservations, security groups across VPCs and stale groups, VPC Block
 * Public Access.
 */
import type { Handler } from "../../core/types.js";
import { CreateNatGateway, DeleteNatGateway, DescribeNatGateways } from "../network.js";
import { Ec2Errors } from "../errors.js";
import { kindTagOperations, type TagHandlers, type TagKind } from "../tag-kinds.js";
import * as bpa from "./block-public-access.js";
import * as ipamr from "./ipam-resources.js";
import * as nat from "./nat.js";
import * as scr from "./subnet-cidr-reservations.js";
import * as sgv from "./security-groups.js";
import { addr, type AddrState } from "./state.js";

export const operations: Record<string, Handler> = {
  AssociateNatGatewayAddress: nat.AssociateNatGatewayAddress,
  DisassociateNatGatewayAddress: nat.DisassociateNatGatewayAddress,
  AssignPrivateNatGatewayAddress: nat.AssignPrivateNatGatewayAddress,
  UnassignPrivateNatGatewayAddress: nat.UnassignPrivateNatGatewayAddress,
  /** The EC2 NAT gateway handlers, wrapped so secondary addresses are created, shown and released. */
  CreateNatGateway: nat.createNatGatewayWith(CreateNatGateway),
  DescribeNatGateways: nat.describeNatGatewaysWith(DescribeNatGateways),
  DeleteNatGateway: nat.deleteNatGatewayWith(DeleteNatGateway),
  CreateSubnetCidrReservation: scr.CreateSubnetCidrReservation,
  DeleteSubnetCidrReservation: scr.DeleteSubnetCidrReservation,
  GetSubnetCidrReservations: scr.GetSubnetCidrReservations,
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
  GetIpamResourceCidrs: ipamr.GetIpamResourceCidrs,
  ModifyIpamResourceCidr: ipamr.ModifyIpamResourceCidr,
  GetIpamDiscoveredResourceCidrs: ipamr.GetIpamDiscoveredResourceCidrs,
  GetIpamDiscoveredAccounts: ipamr.GetIpamDiscoveredAccounts,
  GetIpamDiscoveredPublicAddresses: ipamr.GetIpamDiscoveredPublicAddresses,
  GetIpamAddressHistory: ipamr.GetIpamAddressHistory,
  ModifyIpamPoolAllocation: ipamr.ModifyIpamPoolAllocation,
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
