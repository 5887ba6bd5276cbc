/**
 * Local gateways, customer-owned IP pools and Outpost link aggregation groups exist only on an AWS
 * Outpost, which no simulated account has: every Describe answers AWS's empty list (after validating
 * filters, page size and token), named ids are not found, and lookups in a route table or pool fail.
 */
import type { Ctx } from "../../core/types.js";
import { compileFilters } from "../../core/filters.js";
import { dryRun, filters, int, list, required, tagsOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";

interface Listing {
  ids: string;
  out: string;
  kind: string;
  noun: string;
  filters: string[];
}

const e = (code: string, message: string) => Ec2Errors.custom(code, message);

function emptyList(l: Listing) {
  return (_ctx: Ctx, input: Input) => {
    dryRun(input);
    const table = Object.fromEntries(l.filters.map((f) => [f, () => undefined]));
    compileFilters(filters(input), table, { tags: tagsOf as never, unknownFilter: Ec2Errors.invalidFilter });
    const max = int(input.MaxResults, "MaxResults");
    if (max !== undefined && (max < 5 || max > 1000))
      throw Ec2Errors.invalidValue(`Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
    if (input.NextToken) throw Ec2Errors.invalidToken(input.NextToken);
    const ids = list(input[l.ids]);
    if (ids.length)
      throw e(
        `Invalid${l.kind}ID.NotFound`,
        ids.length > 1 ? `The ${l.noun} IDs '${ids.join(", ")}' do not exist` : `The ${l.noun} ID '${ids[0]}' does not exist`,
      );
    return { [l.out]: [] };
  };
}

export const DescribeLocalGateways = emptyList({
  ids: "LocalGatewayIds",
  out: "localGatewaySet",
  kind: "LocalGateway",
  noun: "local gateway",
  filters: ["local-gateway-id", "outpost-arn", "owner-id", "state"],
});

export const DescribeLocalGatewayRouteTables = emptyList({
  ids: "LocalGatewayRouteTableIds",
  out: "localGatewayRouteTableSet",
  kind: "LocalGatewayRouteTable",
  noun: "local gateway route table",
  filters: ["local-gateway-id", "local-gateway-route-table-arn", "local-gateway-route-table-id", "outpost-arn", "owner-id", "state"],
});

export const DescribeLocalGatewayVirtualInterfaces = emptyList({
  ids: "LocalGatewayVirtualInterfaceIds",
  out: "localGatewayVirtualInterfaceSet",
  kind: "LocalGatewayVirtualInterface",
  noun: "local gateway virtual interface",
  filters: ["local-address", "local-bgp-asn", "local-gateway-id", "local-gateway-virtual-interface-id", "owner-id", "peer-address", "peer-bgp-asn", "vlan"],
});

export const DescribeLocalGatewayVirtualInterfaceGroups = emptyList({
  ids: "LocalGatewayVirtualInterfaceGroupIds",
  out: "localGatewayVirtualInterfaceGroupSet",
  kind: "LocalGatewayVirtualInterfaceGroup",
  noun: "local gateway virtual interface group",
  filters: ["local-gateway-id", "local-gateway-virtual-interface-group-id", "local-gateway-virtual-interface-id", "owner-id"],
});

export const DescribeLocalGatewayRouteTableVpcAssociations = emptyList({
  ids: "LocalGatewayRouteTableVpcAssociationIds",
  out: "localGatewayRouteTableVpcAssociationSet",
  kind: "LocalGatewayRouteTableVpcAssociation",
  noun: "local gateway route table VPC association",
  filters: [
    "local-gateway-id",
    "local-gateway-route-table-arn",
    "local-gateway-route-table-id",
    "local-gateway-route-table-vpc-association-id",
    "owner-id",
    "state",
    "vpc-id",
  ],
});

export const DescribeLocalGatewayRouteTableVirtualInterfaceGroupAssociations = emptyList({
  ids: "LocalGatewayRouteTableVirtualInterfaceGroupAssociationIds",
  out: "localGatewayRouteTableVirtualInterfaceGroupAssociationSet",
  kind: "LocalGatewayRouteTableVirtualInterfaceGroupAssociation",
  noun: "local gateway route table virtual interface group association",
  filters: [
    "local-gateway-id",
    "local-gateway-route-table-arn",
    "local-gateway-route-table-id",
    "local-gateway-route-table-virtual-interface-group-association-id",
    "local-gateway-route-table-virtual-interface-group-id",
    "owner-id",
    "state",
  ],
});

export const DescribeCoipPools = emptyList({
  ids: "PoolIds",
  out: "coipPoolSet",
  kind: "CoipPool",
  noun: "customer-owned IP pool",
  filters: ["coip-pool.local-gateway-route-table-id", "coip-pool.pool-id"],
});

export const DescribeOutpostLags = emptyList({
  ids: "OutpostLagIds",
  out: "outpostLagSet",
  kind: "OutpostLag",
  noun: "Outpost LAG",
  filters: [
    "outpost-lag-id",
    "outpost-arn",
    "owner-id",
    "state",
    "service-link-virtual-interface-id",
    "service-link-virtual-interface-arn",
    "outpost-id",
    "vlan",
    "local-address",
    "peer-address",
    "peer-bgp-asn",
    "configuration-state",
  ],
});

export const DescribeServiceLinkVirtualInterfaces = emptyList({
  ids: "ServiceLinkVirtualInterfaceIds",
  out: "serviceLinkVirtualInterfaceSet",
  kind: "ServiceLinkVirtualInterface",
  noun: "service link virtual interface",
  filters: [
    "outpost-lag-id",
    "outpost-arn",
    "owner-id",
    "state",
    "service-link-virtual-interface-id",
    "vlan",
    "peer-address",
    "local-address",
    "local-gateway-virtual-interface-id",
  ],
});

export function SearchLocalGatewayRoutes(_ctx: Ctx, input: Input) {
  const id = required(input, "LocalGatewayRouteTableId");
  dryRun(input);
  throw e("InvalidLocalGatewayRouteTableID.NotFound", `The local gateway route table ID '${id}' does not exist`);
}

export function GetCoipPoolUsage(_ctx: Ctx, input: Input) {
  const id = required(input, "PoolId");
  dryRun(input);
  throw e("InvalidCoipPoolID.NotFound", `The customer-owned IP pool ID '${id}' does not exist`);
}
