/**
 * Local gateway writes. Local gateways, their route tables, virtual interfaces and groups and
 * customer-owned IP pools exist only on an AWS Outpost, which no simulated account has (../extra/outposts.ts
 * answers every Describe with an empty list): each operation answers AWS's NotFound error for the local
 * gateway resource it names, after DryRun.
 */
import type { Ctx } from "../../core/types.js";
import { dryRun, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";

interface Kind {
  code: string;
  noun: string;
}

const LGW: Kind = { code: "InvalidLocalGatewayID.NotFound", noun: "local gateway" };
const RTB: Kind = { code: "InvalidLocalGatewayRouteTableID.NotFound", noun: "local gateway route table" };
const VIFG: Kind = { code: "InvalidLocalGatewayVirtualInterfaceGroupID.NotFound", noun: "local gateway virtual interface group" };
const VIF: Kind = { code: "InvalidLocalGatewayVirtualInterfaceID.NotFound", noun: "local gateway virtual interface" };
const POOL: Kind = { code: "InvalidCoipPoolID.NotFound", noun: "customer-owned IP pool" };
const VPC_ASSOC: Kind = { code: "InvalidLocalGatewayRouteTableVpcAssociationID.NotFound", noun: "local gateway route table VPC association" };
const VIFG_ASSOC: Kind = {
  code: "InvalidLocalGatewayRouteTableVirtualInterfaceGroupAssociationID.NotFound",
  noun: "local gateway route table virtual interface group association",
};

function missing(kind: Kind, member: string) {
  return (_ctx: Ctx, input: Input) => {
    dryRun(input);
    throw Ec2Errors.custom(kind.code, `The ${kind.noun} ID '${String(input[member] ?? "")}' does not exist`);
  };
}

export const CreateLocalGatewayRouteTable = missing(LGW, "LocalGatewayId");
export const CreateLocalGatewayVirtualInterfaceGroup = missing(LGW, "LocalGatewayId");
export const DeleteLocalGatewayRouteTable = missing(RTB, "LocalGatewayRouteTableId");
export const CreateLocalGatewayRoute = missing(RTB, "LocalGatewayRouteTableId");
export const ModifyLocalGatewayRoute = missing(RTB, "LocalGatewayRouteTableId");
export const DeleteLocalGatewayRoute = missing(RTB, "LocalGatewayRouteTableId");
export const CreateLocalGatewayRouteTableVpcAssociation = missing(RTB, "LocalGatewayRouteTableId");
export const CreateLocalGatewayRouteTableVirtualInterfaceGroupAssociation = missing(RTB, "LocalGatewayRouteTableId");
export const CreateCoipPool = missing(RTB, "LocalGatewayRouteTableId");
export const DeleteLocalGatewayRouteTableVpcAssociation = missing(VPC_ASSOC, "LocalGatewayRouteTableVpcAssociationId");
export const DeleteLocalGatewayRouteTableVirtualInterfaceGroupAssociation = missing(VIFG_ASSOC, "LocalGatewayRouteTableVirtualInterfaceGroupAssociationId");
export const CreateLocalGatewayVirtualInterface = missing(VIFG, "LocalGatewayVirtualInterfaceGroupId");
export const DeleteLocalGatewayVirtualInterfaceGroup = missing(VIFG, "LocalGatewayVirtualInterfaceGroupId");
export const DeleteLocalGatewayVirtualInterface = missing(VIF, "LocalGatewayVirtualInterfaceId");
export const CreateCoipCidr = missing(POOL, "CoipPoolId");
export const DeleteCoipCidr = missing(POOL, "CoipPoolId");
export const DeleteCoipPool = missing(POOL, "CoipPoolId");
