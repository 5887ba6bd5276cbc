/**
 * EC2 families beyond the core: transit gateway attachments and route tables, customer gateways and VPN
 * connections, capacity reservations, Spot Instance requests and the Spot price history.
 */
import type { Ctx, Handler } from "../../core/types.js";
import type { Input } from "../common.js";
import { loadIamProfiles } from "../instances.js";
import * as cr from "./capacity.js";
import * as peering from "./peering.js";
import * as settings from "./settings.js";
import * as spot from "./spot.js";
import * as tags from "./tags.js";
import * as tgw from "./tgw.js";
import * as vpn from "./vpn.js";

/** Typed as a plain table: it deliberately replaces the EC2 tag handlers and DeleteTransitGateway (calling them). */
export const moreOperations: Record<string, Handler> = {
  ModifyTransitGateway: tgw.ModifyTransitGateway,
  DeleteTransitGateway: tgw.DeleteTransitGateway,
  CreateTransitGatewayVpcAttachment: tgw.CreateTransitGatewayVpcAttachment,
  ModifyTransitGatewayVpcAttachment: tgw.ModifyTransitGatewayVpcAttachment,
  DeleteTransitGatewayVpcAttachment: tgw.DeleteTransitGatewayVpcAttachment,
  DescribeTransitGatewayVpcAttachments: tgw.DescribeTransitGatewayVpcAttachments,
  DescribeTransitGatewayAttachments: tgw.DescribeTransitGatewayAttachments,
  CreateTransitGatewayRouteTable: tgw.CreateTransitGatewayRouteTable,
  DeleteTransitGatewayRouteTable: tgw.DeleteTransitGatewayRouteTable,
  DescribeTransitGatewayRouteTables: tgw.DescribeTransitGatewayRouteTables,
  AssociateTransitGatewayRouteTable: tgw.AssociateTransitGatewayRouteTable,
  DisassociateTransitGatewayRouteTable: tgw.DisassociateTransitGatewayRouteTable,
  GetTransitGatewayRouteTableAssociations: tgw.GetTransitGatewayRouteTableAssociations,
  EnableTransitGatewayRouteTablePropagation: tgw.EnableTransitGatewayRouteTablePropagation,
  DisableTransitGatewayRouteTablePropagation: tgw.DisableTransitGatewayRouteTablePropagation,
  GetTransitGatewayRouteTablePropagations: tgw.GetTransitGatewayRouteTablePropagations,
  GetTransitGatewayAttachmentPropagations: tgw.GetTransitGatewayAttachmentPropagations,
  CreateTransitGatewayRoute: tgw.CreateTransitGatewayRoute,
  ReplaceTransitGatewayRoute: tgw.ReplaceTransitGatewayRoute,
  DeleteTransitGatewayRoute: tgw.DeleteTransitGatewayRoute,
  SearchTransitGatewayRoutes: tgw.SearchTransitGatewayRoutes,
  CreateTransitGatewayPeeringAttachment: peering.CreateTransitGatewayPeeringAttachment,
  AcceptTransitGatewayPeeringAttachment: peering.AcceptTransitGatewayPeeringAttachment,
  RejectTransitGatewayPeeringAttachment: peering.RejectTransitGatewayPeeringAttachment,
  DeleteTransitGatewayPeeringAttachment: peering.DeleteTransitGatewayPeeringAttachment,
  DescribeTransitGatewayPeeringAttachments: peering.DescribeTransitGatewayPeeringAttachments,
  CreateCustomerGateway: vpn.CreateCustomerGateway,
  DeleteCustomerGateway: vpn.DeleteCustomerGateway,
  DescribeCustomerGateways: vpn.DescribeCustomerGateways,
  CreateVpnConnection: vpn.CreateVpnConnection,
  ModifyVpnConnection: vpn.ModifyVpnConnection,
  ModifyVpnConnectionOptions: vpn.ModifyVpnConnectionOptions,
  ModifyVpnTunnelOptions: vpn.ModifyVpnTunnelOptions,
  DeleteVpnConnection: vpn.DeleteVpnConnection,
  DescribeVpnConnections: vpn.DescribeVpnConnections,
  CreateVpnConnectionRoute: vpn.CreateVpnConnectionRoute,
  DeleteVpnConnectionRoute: vpn.DeleteVpnConnectionRoute,
  CreateCapacityReservation: cr.CreateCapacityReservation,
  DescribeCapacityReservations: cr.DescribeCapacityReservations,
  ModifyCapacityReservation: cr.ModifyCapacityReservation,
  CancelCapacityReservation: cr.CancelCapacityReservation,
  RequestSpotInstances: async (ctx: Ctx, input: Input) => {
    await loadIamProfiles(ctx);
    return spot.RequestSpotInstances(ctx, input);
  },
  DescribeSpotInstanceRequests: spot.DescribeSpotInstanceRequests,
  CancelSpotInstanceRequests: spot.CancelSpotInstanceRequests,
  DescribeSpotPriceHistory: spot.DescribeSpotPriceHistory,
  GetSnapshotBlockPublicAccessState: settings.GetSnapshotBlockPublicAccessState,
  EnableSnapshotBlockPublicAccess: settings.EnableSnapshotBlockPublicAccess,
  DisableSnapshotBlockPublicAccess: settings.DisableSnapshotBlockPublicAccess,
  // These replace the EC2 tag handlers, which they call for every other resource.
  CreateTags: tags.CreateTags,
  DeleteTags: tags.DeleteTags,
  DescribeTags: tags.DescribeTags,
};
