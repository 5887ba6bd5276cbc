/**
 * Operations of the EC2 "transit" area, spread into the EC2 operations table (ec2/index.ts): EC2 Instance
 * Connect Endpoints, transit gateway Connect attachments and peers, acceptance of attachments, policy
 * tables, prefix list references, route table announcements, multicast domains, metering policies, route
 * servers, VPN concentrators and tunnel operations, and the local gateway operations (no Outpost exists, so
 * every local gateway, route table, interface group and customer-owned pool named is not found).
 */
import type { Handler } from "../../core/types.js";
import { kindTagOperations, type TagHandlers, type TagKind } from "../tag-kinds.js";
import * as eice from "./instance-connect.js";
import { tr, type TransitState } from "./state.js";
import * as tgw from "./tgw.js";
import * as mcast from "./multicast.js";
import * as rs from "./route-server.js";
import * as vpn from "./vpn.js";
import * as lgw from "./local-gateway.js";
import { ExportTransitGatewayRoutes } from "./export.js";
import * as va from "./verified-access.js";

export const operations: Record<string, Handler> = {
  CreateInstanceConnectEndpoint: eice.CreateInstanceConnectEndpoint,
  DeleteInstanceConnectEndpoint: eice.DeleteInstanceConnectEndpoint,
  ModifyInstanceConnectEndpoint: eice.ModifyInstanceConnectEndpoint,
  DescribeInstanceConnectEndpoints: eice.DescribeInstanceConnectEndpoints,
  GetVerifiedAccessEndpointTargets: va.GetVerifiedAccessEndpointTargets,
  ExportVerifiedAccessInstanceClientConfiguration: va.ExportVerifiedAccessInstanceClientConfiguration,
  ExportTransitGatewayRoutes,
  CreateLocalGatewayRouteTable: lgw.CreateLocalGatewayRouteTable,
  CreateLocalGatewayVirtualInterfaceGroup: lgw.CreateLocalGatewayVirtualInterfaceGroup,
  DeleteLocalGatewayRouteTable: lgw.DeleteLocalGatewayRouteTable,
  CreateLocalGatewayRoute: lgw.CreateLocalGatewayRoute,
  ModifyLocalGatewayRoute: lgw.ModifyLocalGatewayRoute,
  DeleteLocalGatewayRoute: lgw.DeleteLocalGatewayRoute,
  CreateLocalGatewayRouteTableVpcAssociation: lgw.CreateLocalGatewayRouteTableVpcAssociation,
  CreateLocalGatewayRouteTableVirtualInterfaceGroupAssociation: lgw.CreateLocalGatewayRouteTableVirtualInterfaceGroupAssociation,
  CreateCoipPool: lgw.CreateCoipPool,
  DeleteLocalGatewayRouteTableVpcAssociation: lgw.DeleteLocalGatewayRouteTableVpcAssociation,
  DeleteLocalGatewayRouteTableVirtualInterfaceGroupAssociation: lgw.DeleteLocalGatewayRouteTableVirtualInterfaceGroupAssociation,
  CreateLocalGatewayVirtualInterface: lgw.CreateLocalGatewayVirtualInterface,
  DeleteLocalGatewayVirtualInterfaceGroup: lgw.DeleteLocalGatewayVirtualInterfaceGroup,
  DeleteLocalGatewayVirtualInterface: lgw.DeleteLocalGatewayVirtualInterface,
  CreateCoipCidr: lgw.CreateCoipCidr,
  DeleteCoipCidr: lgw.DeleteCoipCidr,
  DeleteCoipPool: lgw.DeleteCoipPool,
  GetActiveVpnTunnelStatus: vpn.GetActiveVpnTunnelStatus,
  GetVpnTunnelReplacementStatus: vpn.GetVpnTunnelReplacementStatus,
  ReplaceVpnTunnel: vpn.ReplaceVpnTunnel,
  ModifyVpnTunnelCertificate: vpn.ModifyVpnTunnelCertificate,
  CreateVpnConcentrator: vpn.CreateVpnConcentrator,
  CreateVpnConnection: vpn.CreateVpnConnection,
  DescribeVpnConnections: vpn.DescribeVpnConnections,
  DeleteVpnConcentrator: vpn.DeleteVpnConcentrator,
  DescribeVpnConcentrators: vpn.DescribeVpnConcentrators,
  CreateRouteServer: rs.CreateRouteServer,
  ModifyRouteServer: rs.ModifyRouteServer,
  DeleteRouteServer: rs.DeleteRouteServer,
  DescribeRouteServers: rs.DescribeRouteServers,
  AssociateRouteServer: rs.AssociateRouteServer,
  DisassociateRouteServer: rs.DisassociateRouteServer,
  GetRouteServerAssociations: rs.GetRouteServerAssociations,
  EnableRouteServerPropagation: rs.EnableRouteServerPropagation,
  DisableRouteServerPropagation: rs.DisableRouteServerPropagation,
  GetRouteServerPropagations: rs.GetRouteServerPropagations,
  GetRouteServerRoutingDatabase: rs.GetRouteServerRoutingDatabase,
  CreateRouteServerEndpoint: rs.CreateRouteServerEndpoint,
  DeleteRouteServerEndpoint: rs.DeleteRouteServerEndpoint,
  DescribeRouteServerEndpoints: rs.DescribeRouteServerEndpoints,
  CreateRouteServerPeer: rs.CreateRouteServerPeer,
  DeleteRouteServerPeer: rs.DeleteRouteServerPeer,
  DescribeRouteServerPeers: rs.DescribeRouteServerPeers,
  CreateTransitGatewayMulticastDomain: mcast.CreateTransitGatewayMulticastDomain,
  DeleteTransitGatewayMulticastDomain: mcast.DeleteTransitGatewayMulticastDomain,
  DescribeTransitGatewayMulticastDomains: mcast.DescribeTransitGatewayMulticastDomains,
  AssociateTransitGatewayMulticastDomain: mcast.AssociateTransitGatewayMulticastDomain,
  DisassociateTransitGatewayMulticastDomain: mcast.DisassociateTransitGatewayMulticastDomain,
  AcceptTransitGatewayMulticastDomainAssociations: mcast.AcceptTransitGatewayMulticastDomainAssociations,
  RejectTransitGatewayMulticastDomainAssociations: mcast.RejectTransitGatewayMulticastDomainAssociations,
  GetTransitGatewayMulticastDomainAssociations: mcast.GetTransitGatewayMulticastDomainAssociations,
  RegisterTransitGatewayMulticastGroupMembers: mcast.RegisterTransitGatewayMulticastGroupMembers,
  RegisterTransitGatewayMulticastGroupSources: mcast.RegisterTransitGatewayMulticastGroupSources,
  DeregisterTransitGatewayMulticastGroupMembers: mcast.DeregisterTransitGatewayMulticastGroupMembers,
  DeregisterTransitGatewayMulticastGroupSources: mcast.DeregisterTransitGatewayMulticastGroupSources,
  SearchTransitGatewayMulticastGroups: mcast.SearchTransitGatewayMulticastGroups,
  AcceptTransitGatewayVpcAttachment: tgw.AcceptTransitGatewayVpcAttachment,
  RejectTransitGatewayVpcAttachment: tgw.RejectTransitGatewayVpcAttachment,
  AcceptTransitGatewayClientVpnAttachment: tgw.AcceptTransitGatewayClientVpnAttachment,
  RejectTransitGatewayClientVpnAttachment: tgw.RejectTransitGatewayClientVpnAttachment,
  DeleteTransitGatewayClientVpnAttachment: tgw.DeleteTransitGatewayClientVpnAttachment,
  CreateTransitGatewayConnect: tgw.CreateTransitGatewayConnect,
  DeleteTransitGatewayConnect: tgw.DeleteTransitGatewayConnect,
  DescribeTransitGatewayConnects: tgw.DescribeTransitGatewayConnects,
  DeleteTransitGatewayVpcAttachment: tgw.DeleteTransitGatewayVpcAttachment,
  DeleteTransitGateway: tgw.DeleteTransitGateway,
  AssociateTransitGatewayRouteTable: tgw.AssociateTransitGatewayRouteTable,
  SearchTransitGatewayRoutes: tgw.SearchTransitGatewayRoutes,
  CreateTransitGatewayConnectPeer: tgw.CreateTransitGatewayConnectPeer,
  DeleteTransitGatewayConnectPeer: tgw.DeleteTransitGatewayConnectPeer,
  DescribeTransitGatewayConnectPeers: tgw.DescribeTransitGatewayConnectPeers,
  CreateTransitGatewayPolicyTable: tgw.CreateTransitGatewayPolicyTable,
  DeleteTransitGatewayPolicyTable: tgw.DeleteTransitGatewayPolicyTable,
  DescribeTransitGatewayPolicyTables: tgw.DescribeTransitGatewayPolicyTables,
  AssociateTransitGatewayPolicyTable: tgw.AssociateTransitGatewayPolicyTable,
  DisassociateTransitGatewayPolicyTable: tgw.DisassociateTransitGatewayPolicyTable,
  GetTransitGatewayPolicyTableAssociations: tgw.GetTransitGatewayPolicyTableAssociations,
  GetTransitGatewayPolicyTableEntries: tgw.GetTransitGatewayPolicyTableEntries,
  CreateTransitGatewayPrefixListReference: tgw.CreateTransitGatewayPrefixListReference,
  ModifyTransitGatewayPrefixListReference: tgw.ModifyTransitGatewayPrefixListReference,
  DeleteTransitGatewayPrefixListReference: tgw.DeleteTransitGatewayPrefixListReference,
  GetTransitGatewayPrefixListReferences: tgw.GetTransitGatewayPrefixListReferences,
  CreateTransitGatewayRouteTableAnnouncement: tgw.CreateTransitGatewayRouteTableAnnouncement,
  DeleteTransitGatewayRouteTableAnnouncement: tgw.DeleteTransitGatewayRouteTableAnnouncement,
  DescribeTransitGatewayRouteTableAnnouncements: tgw.DescribeTransitGatewayRouteTableAnnouncements,
  CreateTransitGatewayMeteringPolicy: tgw.CreateTransitGatewayMeteringPolicy,
  ModifyTransitGatewayMeteringPolicy: tgw.ModifyTransitGatewayMeteringPolicy,
  DeleteTransitGatewayMeteringPolicy: tgw.DeleteTransitGatewayMeteringPolicy,
  DescribeTransitGatewayMeteringPolicies: tgw.DescribeTransitGatewayMeteringPolicies,
  CreateTransitGatewayMeteringPolicyEntry: tgw.CreateTransitGatewayMeteringPolicyEntry,
  DeleteTransitGatewayMeteringPolicyEntry: tgw.DeleteTransitGatewayMeteringPolicyEntry,
  GetTransitGatewayMeteringPolicyEntries: tgw.GetTransitGatewayMeteringPolicyEntries,
};

/** Longest prefixes first. */
const KINDS: TagKind<TransitState>[] = [
  { prefix: "eice-", type: "instance-connect-endpoint", map: (t) => t.eices, missing: eice.eiceNotFound },
  { prefix: "rse-", type: "route-server-endpoint", map: (t) => t.routeServerEndpoints, missing: rs.rseNotFound },
  { prefix: "rsp-", type: "route-server-peer", map: (t) => t.routeServerPeers, missing: rs.rspNotFound },
  { prefix: "rs-", type: "route-server", map: (t) => t.routeServers, missing: rs.rsNotFound },
  { prefix: "vcn-", type: "vpn-concentrator", map: (t) => t.vpnConcentrators, missing: vpn.concentratorNotFound },
  { prefix: "tgw-connect-peer-", type: "transit-gateway-connect-peer", map: (t) => t.connectPeers, missing: tgw.peerNotFound },
  { prefix: "tgw-ptb-", type: "transit-gateway-policy-table", map: (t) => t.policyTables, missing: tgw.policyTableNotFound },
  { prefix: "tgw-rtb-ann-", type: "transit-gateway-route-table-announcement", map: (t) => t.announcements, missing: tgw.announcementNotFound },
  { prefix: "tgw-mcast-domain-", type: "transit-gateway-multicast-domain", map: (t) => t.multicastDomains, missing: mcast.domainNotFound },
  { prefix: "tgw-mp-", type: "transit-gateway-metering-policy", map: (t) => t.meteringPolicies, missing: tgw.meteringNotFound },
];

/** CreateTags/DeleteTags/DescribeTags for this area's resource kinds (kindTagOperations); other ids go on to base. */
export const tags = (base: TagHandlers): TagHandlers =>
  kindTagOperations(
    base,
    (ctx) => {
      const { s, t } = tr(ctx);
      return { s, x: t };
    },
    KINDS,
  );
