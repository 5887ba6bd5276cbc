/**
 * EC2 (the EC2 Query protocol, 2016-11-15; input decoded and validated from the model): instances with a
 * real lifecycle (several network interfaces, secondary and IPv6 addresses, placement groups, metadata
 * options, CPU credits, termination and stop protection, every ModifyInstanceAttribute attribute, launch
 * templates), EBS volumes (root and mapped volumes of instances, attach/detach, modifications, status)
 * and snapshots (copies across regions, permissions, encryption by default), VPCs with secondary IPv4 and
 * Amazon-provided IPv6 blocks, subnets, internet and egress-only gateways, route tables and routes (to
 * gateways, NAT, peering, endpoints, transit gateways, prefix lists), NAT gateways, elastic IPs, network
 * interfaces (secondary addresses, delegated IPv4 /28 and IPv6 /80 prefixes, the instance type's interface and
 * per-interface address limits, network card indexes), security groups and rules (ids, tags, references), network ACLs (a default per VPC), DHCP
 * options, VPC peering, gateway and interface VPC endpoints, managed prefix lists, flow logs (with their
 * CloudWatch Logs group), carrier and transit gateways (stored), AMIs, key pairs (real keys), tags,
 * regions, zones, account attributes, instance types and offerings. Every account and region starts
 * with a default VPC (172.31.0.0/16), a default subnet per zone, default security group, network ACL,
 * DHCP options, main route table and internet gateway. Describe* filters are applied (unknown names are
 * errors); MaxResults/NextToken paginate; DryRun answers DryRunOperation. Transitions are instant unless
 * transitionDelayMs is set (then computed on read, no timers). A ClientToken makes RunInstances, CreateVolume,
 * CopyVolumes and the creates of idempotency.ts's list idempotent (idempotency.ts); a launch needs its instance type
 * offered in its zone (AWS's DescribeInstanceTypeOfferings records) and its instance profile known to IAM.
 * Gaps: no real networking (flow logs record nothing); spot, reserved and dedicated hosts, VPN and
 * transit gateway attachments are not modelled; IAM authorization is enforced only under --enforce-iam
 * (UnauthorizedOperation); a NetworkCardIndex beyond the instance type's cards is not refused.
 */
import type { ServiceDefinition } from "../core/types.js";
import { Ec2Errors } from "./errors.js";
import { REPLAYED_BY_TOKEN, replayedByToken } from "./idempotency.js";
import {
  CopyImage,
  CreateImage,
  CreateKeyPair,
  DeleteKeyPair,
  DeregisterImage,
  DescribeImageAttribute,
  DescribeImages,
  DescribeKeyPairs,
  ImportKeyPair,
  ModifyImageAttribute,
  RegisterImage,
  ResetImageAttribute,
} from "./images.js";
import {
  DescribeInstanceAttribute,
  DescribeInstances,
  DescribeInstanceStatus,
  GetConsoleOutput,
  ModifyInstanceAttribute,
  RebootInstances,
  RunInstancesOperation,
  StartInstances,
  StopInstances,
  TerminateInstances,
} from "./instances.js";
import { DescribeAccountAttributes, DescribeAvailabilityZones, DescribeInstanceTypes, DescribeRegions } from "./misc.js";
import * as net from "./network.js";
import * as sg from "./security-groups.js";
import * as ebs from "./volumes.js";
import * as lt from "./launch-templates.js";
import * as opt from "./instance-options.js";
import * as acl from "./nacls.js";
import * as link from "./vpc-links.js";
import * as v6 from "./ipv6.js";
import type { Ec2State } from "./state.js";
import { moreOperations } from "./more/index.js";
import { familyOperations } from "./families/index.js";
import { extraOperations, tags as extraTags } from "./extra/index.js";
import * as compute from "./compute/index.js";
import * as fleets from "./fleets/index.js";
import * as transit from "./transit/index.js";
import * as addressing from "./addressing/index.js";
import type { TagHandlers } from "./tag-kinds.js";

/** Each area folder wraps the tag handlers of the ones before it (ids of its own kinds, the rest passed on). */
const tailTags: TagHandlers = addressing.tags(
  transit.tags(
    fleets.tags(
      compute.tags(
        extraTags({
          CreateTags: familyOperations.CreateTags,
          DeleteTags: familyOperations.DeleteTags,
          DescribeTags: familyOperations.DescribeTags,
        } as TagHandlers),
      ),
    ),
  ),
);

const ec2: ServiceDefinition<Ec2State> = {
  name: "ec2",
  protocol: "ec2",
  apiVersion: "2016-11-15",
  xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/",
  createState: ({ accountId, region, sim }) => Object.assign(net.createEc2State(accountId, region), { sim }),
  counts: (s) => ({
    volumes: s.volumes.size,
    snapshots: s.snapshots.size,
    instances: [...s.instances.values()].filter((i) => i.state !== "terminated").length,
    vpcs: s.vpcs.size,
    subnets: s.subnets.size,
    securityGroups: s.sgs.size,
  }),
  operations: {
    RunInstances: RunInstancesOperation,
    DescribeInstances,
    DescribeInstanceStatus,
    StartInstances,
    StopInstances,
    RebootInstances,
    TerminateInstances,
    ModifyInstanceAttribute,
    DescribeInstanceAttribute,
    GetConsoleOutput,
    CreateVpc: net.CreateVpc,
    CreateDefaultVpc: net.CreateDefaultVpc,
    CreateDefaultSubnet: net.CreateDefaultSubnet,
    DescribeVpcs: net.DescribeVpcs,
    DeleteVpc: net.DeleteVpc,
    ModifyVpcAttribute: net.ModifyVpcAttribute,
    DescribeVpcAttribute: net.DescribeVpcAttribute,
    CreateSubnet: net.CreateSubnet,
    DescribeSubnets: net.DescribeSubnets,
    DeleteSubnet: net.DeleteSubnet,
    ModifySubnetAttribute: net.ModifySubnetAttribute,
    CreateInternetGateway: net.CreateInternetGateway,
    AttachInternetGateway: net.AttachInternetGateway,
    DetachInternetGateway: net.DetachInternetGateway,
    DeleteInternetGateway: net.DeleteInternetGateway,
    DescribeInternetGateways: net.DescribeInternetGateways,
    AllocateAddress: net.AllocateAddress,
    AssociateAddress: net.AssociateAddress,
    DisassociateAddress: net.DisassociateAddress,
    ReleaseAddress: net.ReleaseAddress,
    DescribeAddresses: net.DescribeAddresses,
    DescribeAddressesAttribute: net.DescribeAddressesAttribute,
    ModifyAddressAttribute: net.ModifyAddressAttribute,
    ResetAddressAttribute: net.ResetAddressAttribute,
    CreateNatGateway: net.CreateNatGateway,
    DescribeNatGateways: net.DescribeNatGateways,
    DeleteNatGateway: net.DeleteNatGateway,
    CreateRouteTable: net.CreateRouteTable,
    DescribeRouteTables: net.DescribeRouteTables,
    DeleteRouteTable: net.DeleteRouteTable,
    CreateRoute: net.CreateRoute,
    ReplaceRoute: net.ReplaceRoute,
    ReplaceRouteTableAssociation: net.ReplaceRouteTableAssociation,
    DeleteRoute: net.DeleteRoute,
    AssociateRouteTable: net.AssociateRouteTable,
    DisassociateRouteTable: net.DisassociateRouteTable,
    CreateNetworkInterface: net.CreateNetworkInterface,
    DescribeNetworkInterfaces: net.DescribeNetworkInterfaces,
    DeleteNetworkInterface: net.DeleteNetworkInterface,
    AttachNetworkInterface: net.AttachNetworkInterface,
    DetachNetworkInterface: net.DetachNetworkInterface,
    CreateSecurityGroup: sg.CreateSecurityGroup,
    DescribeSecurityGroups: sg.DescribeSecurityGroups,
    DeleteSecurityGroup: sg.DeleteSecurityGroup,
    AuthorizeSecurityGroupIngress: sg.AuthorizeSecurityGroupIngress,
    AuthorizeSecurityGroupEgress: sg.AuthorizeSecurityGroupEgress,
    RevokeSecurityGroupIngress: sg.RevokeSecurityGroupIngress,
    RevokeSecurityGroupEgress: sg.RevokeSecurityGroupEgress,
    DescribeSecurityGroupRules: sg.DescribeSecurityGroupRules,
    ModifySecurityGroupRules: sg.ModifySecurityGroupRules,
    UpdateSecurityGroupRuleDescriptionsIngress: sg.UpdateSecurityGroupRuleDescriptionsIngress,
    UpdateSecurityGroupRuleDescriptionsEgress: sg.UpdateSecurityGroupRuleDescriptionsEgress,
    DescribeSecurityGroupReferences: sg.DescribeSecurityGroupReferences,
    DescribeImages,
    CreateImage,
    DeregisterImage,
    CopyImage,
    RegisterImage,
    DescribeImageAttribute,
    ModifyImageAttribute,
    ResetImageAttribute,
    CreateKeyPair,
    ImportKeyPair,
    DescribeKeyPairs,
    DeleteKeyPair,
    DescribeRegions,
    DescribeAvailabilityZones,
    DescribeAccountAttributes,
    DescribeInstanceTypes,
    CreateVolume: ebs.CreateVolume,
    DescribeVolumes: ebs.DescribeVolumes,
    DeleteVolume: ebs.DeleteVolume,
    AttachVolume: ebs.AttachVolume,
    DetachVolume: ebs.DetachVolume,
    ModifyVolume: ebs.ModifyVolume,
    DescribeVolumesModifications: ebs.DescribeVolumesModifications,
    DescribeVolumeStatus: ebs.DescribeVolumeStatus,
    DescribeVolumeAttribute: ebs.DescribeVolumeAttribute,
    ModifyVolumeAttribute: ebs.ModifyVolumeAttribute,
    CreateSnapshot: ebs.CreateSnapshot,
    CreateSnapshots: ebs.CreateSnapshots,
    CopySnapshot: ebs.CopySnapshot,
    DeleteSnapshot: ebs.DeleteSnapshot,
    DescribeSnapshots: ebs.DescribeSnapshots,
    DescribeSnapshotAttribute: ebs.DescribeSnapshotAttribute,
    ModifySnapshotAttribute: ebs.ModifySnapshotAttribute,
    ResetSnapshotAttribute: ebs.ResetSnapshotAttribute,
    EnableEbsEncryptionByDefault: ebs.EnableEbsEncryptionByDefault,
    DisableEbsEncryptionByDefault: ebs.DisableEbsEncryptionByDefault,
    GetEbsEncryptionByDefault: ebs.GetEbsEncryptionByDefault,
    GetEbsDefaultKmsKeyId: ebs.GetEbsDefaultKmsKeyId,
    ModifyEbsDefaultKmsKeyId: ebs.ModifyEbsDefaultKmsKeyId,
    ResetEbsDefaultKmsKeyId: ebs.ResetEbsDefaultKmsKeyId,
    CreateLaunchTemplate: lt.CreateLaunchTemplate,
    CreateLaunchTemplateVersion: lt.CreateLaunchTemplateVersion,
    ModifyLaunchTemplate: lt.ModifyLaunchTemplate,
    DeleteLaunchTemplate: lt.DeleteLaunchTemplate,
    DescribeLaunchTemplates: lt.DescribeLaunchTemplates,
    DescribeLaunchTemplateVersions: lt.DescribeLaunchTemplateVersions,
    DeleteLaunchTemplateVersions: lt.DeleteLaunchTemplateVersions,
    GetLaunchTemplateData: lt.GetLaunchTemplateData,
    CreatePlacementGroup: opt.CreatePlacementGroup,
    DeletePlacementGroup: opt.DeletePlacementGroup,
    DescribePlacementGroups: opt.DescribePlacementGroups,
    ModifyInstancePlacement: opt.ModifyInstancePlacement,
    ModifyInstanceMetadataOptions: opt.ModifyInstanceMetadataOptions,
    DescribeInstanceCreditSpecifications: opt.DescribeInstanceCreditSpecifications,
    ModifyInstanceCreditSpecification: opt.ModifyInstanceCreditSpecification,
    GetDefaultCreditSpecification: opt.GetDefaultCreditSpecification,
    DescribeInstanceTypeOfferings: opt.DescribeInstanceTypeOfferings,
    AssociateIamInstanceProfile: opt.AssociateIamInstanceProfile,
    DisassociateIamInstanceProfile: opt.DisassociateIamInstanceProfile,
    ReplaceIamInstanceProfileAssociation: opt.ReplaceIamInstanceProfileAssociation,
    DescribeIamInstanceProfileAssociations: opt.DescribeIamInstanceProfileAssociations,
    CreateNetworkAcl: acl.CreateNetworkAcl,
    DeleteNetworkAcl: acl.DeleteNetworkAcl,
    DescribeNetworkAcls: acl.DescribeNetworkAcls,
    CreateNetworkAclEntry: acl.CreateNetworkAclEntry,
    ReplaceNetworkAclEntry: acl.ReplaceNetworkAclEntry,
    DeleteNetworkAclEntry: acl.DeleteNetworkAclEntry,
    ReplaceNetworkAclAssociation: acl.ReplaceNetworkAclAssociation,
    CreateDhcpOptions: acl.CreateDhcpOptions,
    AssociateDhcpOptions: acl.AssociateDhcpOptions,
    DeleteDhcpOptions: acl.DeleteDhcpOptions,
    DescribeDhcpOptions: acl.DescribeDhcpOptions,
    CreateEgressOnlyInternetGateway: acl.CreateEgressOnlyInternetGateway,
    DeleteEgressOnlyInternetGateway: acl.DeleteEgressOnlyInternetGateway,
    DescribeEgressOnlyInternetGateways: acl.DescribeEgressOnlyInternetGateways,
    AssociateVpcCidrBlock: v6.AssociateVpcCidrBlock,
    DisassociateVpcCidrBlock: v6.DisassociateVpcCidrBlock,
    AssociateSubnetCidrBlock: v6.AssociateSubnetCidrBlock,
    DisassociateSubnetCidrBlock: v6.DisassociateSubnetCidrBlock,
    AssignIpv6Addresses: v6.AssignIpv6Addresses,
    UnassignIpv6Addresses: v6.UnassignIpv6Addresses,
    AssignPrivateIpAddresses: v6.AssignPrivateIpAddresses,
    UnassignPrivateIpAddresses: v6.UnassignPrivateIpAddresses,
    ModifyNetworkInterfaceAttribute: v6.ModifyNetworkInterfaceAttribute,
    ModifyVpcTenancy: v6.ModifyVpcTenancy,
    CreateVpcPeeringConnection: link.CreateVpcPeeringConnection,
    AcceptVpcPeeringConnection: link.AcceptVpcPeeringConnection,
    RejectVpcPeeringConnection: link.RejectVpcPeeringConnection,
    DeleteVpcPeeringConnection: link.DeleteVpcPeeringConnection,
    DescribeVpcPeeringConnections: link.DescribeVpcPeeringConnections,
    ModifyVpcPeeringConnectionOptions: link.ModifyVpcPeeringConnectionOptions,
    CreateManagedPrefixList: link.CreateManagedPrefixList,
    ModifyManagedPrefixList: link.ModifyManagedPrefixList,
    DeleteManagedPrefixList: link.DeleteManagedPrefixList,
    DescribeManagedPrefixLists: link.DescribeManagedPrefixLists,
    GetManagedPrefixListEntries: link.GetManagedPrefixListEntries,
    DescribePrefixLists: link.DescribePrefixLists,
    CreateVpcEndpoint: link.CreateVpcEndpoint,
    ModifyVpcEndpoint: link.ModifyVpcEndpoint,
    DeleteVpcEndpoints: link.DeleteVpcEndpoints,
    DescribeVpcEndpoints: link.DescribeVpcEndpoints,
    DescribeVpcEndpointServices: link.DescribeVpcEndpointServices,
    CreateFlowLogs: link.CreateFlowLogs,
    DeleteFlowLogs: link.DeleteFlowLogs,
    DescribeFlowLogs: link.DescribeFlowLogs,
    CreateCarrierGateway: link.CreateCarrierGateway,
    DeleteCarrierGateway: link.DeleteCarrierGateway,
    DescribeCarrierGateways: link.DescribeCarrierGateways,
    CreateTransitGateway: link.CreateTransitGateway,
    DeleteTransitGateway: link.DeleteTransitGateway,
    DescribeTransitGateways: link.DescribeTransitGateways,
    CreateVpnGateway: link.CreateVpnGateway,
    AttachVpnGateway: link.AttachVpnGateway,
    DetachVpnGateway: link.DetachVpnGateway,
    DeleteVpnGateway: link.DeleteVpnGateway,
    DescribeVpnGateways: link.DescribeVpnGateways,
    EnableVgwRoutePropagation: link.EnableVgwRoutePropagation,
    DisableVgwRoutePropagation: link.DisableVgwRoutePropagation,
    ...moreOperations,
    ...familyOperations,
    ...extraOperations,
    ...compute.operations,
    ...fleets.operations,
    ...transit.operations,
    ...addressing.operations,
    ...tailTags,
  },
};

// TagSpecifications may not name AWS's reserved tag keys, whatever the operation (RunInstances' answer,
// jcjorel/ec2-spot-converter#13); checked before the handler creates anything.
for (const [op, handler] of Object.entries(ec2.operations)) {
  ec2.operations[op] = (ctx, input) => {
    for (const spec of (input?.TagSpecifications ?? []) as Array<{ Tags?: Array<{ Key?: string }> }>)
      for (const t of spec?.Tags ?? [])
        if (
          String(t?.Key ?? "")
            .toLowerCase()
            .startsWith("aws:")
        )
          throw Ec2Errors.invalidValue("Tag keys starting with 'aws:' are reserved for internal use");
    return handler(ctx, input);
  };
}

for (const op of REPLAYED_BY_TOKEN) {
  const handler = ec2.operations[op];
  if (handler) ec2.operations[op] = replayedByToken(op, handler);
}

export default ec2;
