/**
 * EC2 (the EC2 Query protocol, 2016-11-15): instances with a real lifecycle, VPCs, subnets, internet
 * gateways, route tables, NAT gateways, elastic IPs, network interfaces, security groups and rules, AMIs,
 * key pairs (real keys), tags, regions, zones, account attributes and instance types. Every account and
 * region starts with a default VPC (172.31.0.0/16), a default subnet per zone, default security group,
 * main route table and internet gateway. Describe* filters are applied (unknown names are errors);
 * MaxResults/NextToken paginate; DryRun answers DryRunOperation. Transitions are instant unless
 * transitionDelayMs is set (then computed on read, no timers).
 * Gaps: no real networking; volumes, snapshots, launch templates, spot, placement groups, VPC peering,
 * endpoints and NACLs are not modelled; IAM authorization is not enforced (UnauthorizedOperation never occurs).
 */
import type { ServiceDefinition } from "../core/types.js";
import { CreateImage, CreateKeyPair, DeleteKeyPair, DeregisterImage, DescribeImages, DescribeKeyPairs, ImportKeyPair } from "./images.js";
import {
  DescribeInstanceAttribute,
  DescribeInstances,
  DescribeInstanceStatus,
  GetConsoleOutput,
  ModifyInstanceAttribute,
  RebootInstances,
  RunInstances,
  StartInstances,
  StopInstances,
  TerminateInstances,
} from "./instances.js";
import { CreateTags, DeleteTags, DescribeAccountAttributes, DescribeAvailabilityZones, DescribeInstanceTypes, DescribeRegions, DescribeTags } from "./misc.js";
import * as net from "./network.js";
import * as sg from "./security-groups.js";
import type { Ec2State } from "./state.js";
import { withMemberInput } from "./wire-input.js";

const ec2: ServiceDefinition<Ec2State> = {
  name: "ec2",
  protocol: "ec2",
  apiVersion: "2016-11-15",
  xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/",
  createState: ({ accountId, region }) => net.createEc2State(accountId, region),
  counts: (s) => ({
    instances: [...s.instances.values()].filter((i) => i.state !== "terminated").length,
    vpcs: s.vpcs.size,
    subnets: s.subnets.size,
    securityGroups: s.sgs.size,
  }),
  operations: withMemberInput({
    RunInstances,
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
    CreateNatGateway: net.CreateNatGateway,
    DescribeNatGateways: net.DescribeNatGateways,
    DeleteNatGateway: net.DeleteNatGateway,
    CreateRouteTable: net.CreateRouteTable,
    DescribeRouteTables: net.DescribeRouteTables,
    DeleteRouteTable: net.DeleteRouteTable,
    CreateRoute: net.CreateRoute,
    ReplaceRoute: net.ReplaceRoute,
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
    DescribeImages,
    CreateImage,
    DeregisterImage,
    CreateKeyPair,
    ImportKeyPair,
    DescribeKeyPairs,
    DeleteKeyPair,
    CreateTags,
    DeleteTags,
    DescribeTags,
    DescribeRegions,
    DescribeAvailabilityZones,
    DescribeAccountAttributes,
    DescribeInstanceTypes,
  }),
};

export default ec2;
