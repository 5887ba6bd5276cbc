/** Operations of the EC2 families in this folder, spread into the EC2 operations table. */
import type { Handler } from "../../core/types.js";
import { CreateVpcEndpoint } from "../vpc-links.js";
import * as es from "./endpoint-services.js";
import * as ipam from "./ipam.js";

/** Typed as a plain table: it deliberately replaces CreateVpcEndpoint (falling back to the EC2 handler). */
export const familyOperations: Record<string, Handler> = {
  CreateVpcEndpointServiceConfiguration: es.CreateVpcEndpointServiceConfiguration,
  DescribeVpcEndpointServiceConfigurations: es.DescribeVpcEndpointServiceConfigurations,
  ModifyVpcEndpointServiceConfiguration: es.ModifyVpcEndpointServiceConfiguration,
  DeleteVpcEndpointServiceConfigurations: es.DeleteVpcEndpointServiceConfigurations,
  ModifyVpcEndpointServicePermissions: es.ModifyVpcEndpointServicePermissions,
  DescribeVpcEndpointServicePermissions: es.DescribeVpcEndpointServicePermissions,
  ModifyVpcEndpointServicePayerResponsibility: es.ModifyVpcEndpointServicePayerResponsibility,
  StartVpcEndpointServicePrivateDnsVerification: es.StartVpcEndpointServicePrivateDnsVerification,
  DescribeVpcEndpointConnections: es.DescribeVpcEndpointConnections,
  AcceptVpcEndpointConnections: es.AcceptVpcEndpointConnections,
  RejectVpcEndpointConnections: es.RejectVpcEndpointConnections,
  CreateVpcEndpointConnectionNotification: es.CreateVpcEndpointConnectionNotification,
  ModifyVpcEndpointConnectionNotification: es.ModifyVpcEndpointConnectionNotification,
  DeleteVpcEndpointConnectionNotifications: es.DeleteVpcEndpointConnectionNotifications,
  DescribeVpcEndpointConnectionNotifications: es.DescribeVpcEndpointConnectionNotifications,
  CreateIpam: ipam.CreateIpam,
  DescribeIpams: ipam.DescribeIpams,
  ModifyIpam: ipam.ModifyIpam,
  DeleteIpam: ipam.DeleteIpam,
  CreateIpamScope: ipam.CreateIpamScope,
  DescribeIpamScopes: ipam.DescribeIpamScopes,
  ModifyIpamScope: ipam.ModifyIpamScope,
  DeleteIpamScope: ipam.DeleteIpamScope,
  CreateIpamPool: ipam.CreateIpamPool,
  DescribeIpamPools: ipam.DescribeIpamPools,
  ModifyIpamPool: ipam.ModifyIpamPool,
  DeleteIpamPool: ipam.DeleteIpamPool,
  ProvisionIpamPoolCidr: ipam.ProvisionIpamPoolCidr,
  DeprovisionIpamPoolCidr: ipam.DeprovisionIpamPoolCidr,
  GetIpamPoolCidrs: ipam.GetIpamPoolCidrs,
  AllocateIpamPoolCidr: ipam.AllocateIpamPoolCidr,
  ReleaseIpamPoolAllocation: ipam.ReleaseIpamPoolAllocation,
  GetIpamPoolAllocations: ipam.GetIpamPoolAllocations,
  CreateIpamResourceDiscovery: ipam.CreateIpamResourceDiscovery,
  DescribeIpamResourceDiscoveries: ipam.DescribeIpamResourceDiscoveries,
  ModifyIpamResourceDiscovery: ipam.ModifyIpamResourceDiscovery,
  DeleteIpamResourceDiscovery: ipam.DeleteIpamResourceDiscovery,
  AssociateIpamResourceDiscovery: ipam.AssociateIpamResourceDiscovery,
  DisassociateIpamResourceDiscovery: ipam.DisassociateIpamResourceDiscovery,
  DescribeIpamResourceDiscoveryAssociations: ipam.DescribeIpamResourceDiscoveryAssociations,
  /** Endpoints to this simulator's endpoint services; every other service name goes to the EC2 handler. */
  CreateVpcEndpoint: es.createVpcEndpointWith(CreateVpcEndpoint),
};
