/** EC2 state for one account and region, with the default VPC every real account starts with. */
import type { SimHandle } from "../core/types.js";

export interface Tagged {
  tags: Map<string, string>;
}

export interface InstanceRec extends Tagged {
  id: string;
  reservationId: string;
  seq: number;
  imageId: string;
  instanceType: string;
  keyName?: string;
  launchTime: Date;
  az: string;
  subnetId: string;
  vpcId: string;
  privateIp: string;
  publicIp?: string;
  /** The instance got an auto-assigned public IPv4 address at launch: it gets a new one when an elastic IP leaves it. */
  autoPublicIp?: boolean;
  groups: string[];
  state: string;
  /** A transition in progress: the state it reaches after config.transitionDelayMs. */
  target?: string;
  since: number;
  stateTransitionReason: string;
  stateReason?: { code: string; message: string };
  userData?: string;
  iamInstanceProfile?: string;
  iamAssociationId?: string;
  eniId: string;
  /** Every attached network interface, the primary first. */
  eniIds: string[];
  metadata: { httpTokens: string; httpPutResponseHopLimit: number; httpEndpoint: string; httpProtocolIpv6: string; instanceMetadataTags: string };
  cpuCredits?: string;
  tenancy: string;
  placementGroup?: string;
  /** The partition of a partition placement group the instance is in (1-based). */
  placementPartition?: number;
  amiLaunchIndex: number;
  clientToken?: string;
  ebsOptimized: boolean;
  sourceDestCheck: boolean;
  disableApiTermination: boolean;
  disableApiStop: boolean;
  enaSupport?: boolean;
  sriovNetSupport?: string;
  kernelId?: string;
  ramdiskId?: string;
  shutdownBehavior: string;
  /** Attached EBS volumes (root first); attachment details live on the volume. */
  volumeIds: string[];
  rootDevice: string;
  architecture: string;
  monitoring: string;
  terminatedAt?: number;
  /** "spot" (or "scheduled", "capacity-block") when launched by a Spot request or fleet; undefined On-Demand. */
  lifecycle?: string;
  spotRequestId?: string;
}

export interface VpcRec extends Tagged {
  id: string;
  cidr: string;
  isDefault: boolean;
  dhcpOptionsId: string;
  instanceTenancy: string;
  enableDnsSupport: boolean;
  enableDnsHostnames: boolean;
  cidrAssociationId: string;
  secondaryCidrs: Array<{ associationId: string; cidr: string }>;
  ipv6: Array<{ associationId: string; cidr: string }>;
  enableNau: boolean;
}

export interface SubnetRec extends Tagged {
  id: string;
  vpcId: string;
  cidr: string;
  az: string;
  defaultForAz: boolean;
  mapPublicIpOnLaunch: boolean;
  ipv6?: { associationId: string; cidr: string };
  assignIpv6: boolean;
  /** CreateSubnet's Ipv6Native: an IPv6-only subnet (no IPv4 CIDR: cidr is ""). */
  ipv6Native?: boolean;
  /** ModifySubnetAttribute's EnableDns64 and the private DNS name options of instances launched into it. */
  dns64?: boolean;
  hostnameType?: string;
  dnsA?: boolean;
  dnsAAAA?: boolean;
  /** Allocated host numbers (offset within the CIDR). */
  used: Set<number>;
}

export interface Rule {
  id: string;
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  groupId?: string;
  prefixListId?: string;
  description?: string;
  tags?: Map<string, string>;
}

export interface SgRec extends Tagged {
  id: string;
  name: string;
  description: string;
  vpcId: string;
  ingress: Rule[];
  egress: Rule[];
}

export interface IgwRec extends Tagged {
  id: string;
  vpcId?: string;
}

export interface AddressRec extends Tagged {
  ptrRecord?: string;
  allocationId: string;
  publicIp: string;
  associationId?: string;
  instanceId?: string;
  eniId?: string;
  privateIp?: string;
}

export interface NatRec extends Tagged {
  id: string;
  subnetId: string;
  vpcId: string;
  allocationId?: string;
  connectivityType: string;
  state: string;
  target?: string;
  since: number;
  createTime: Date;
  deleteTime?: Date;
  eniId: string;
  privateIp: string;
  publicIp?: string;
}

export interface RouteRec {
  /** "" for a route to a prefix list or IPv6 block. */
  destinationCidrBlock: string;
  destinationIpv6CidrBlock?: string;
  destinationPrefixListId?: string;
  egressOnlyInternetGatewayId?: string;
  transitGatewayId?: string;
  carrierGatewayId?: string;
  gatewayId?: string;
  natGatewayId?: string;
  instanceId?: string;
  networkInterfaceId?: string;
  vpcPeeringConnectionId?: string;
  origin: string;
  state: string;
}

export interface RtbRec extends Tagged {
  id: string;
  vpcId: string;
  main: boolean;
  mainAssociationId?: string;
  routes: RouteRec[];
  /** associationId → subnetId */
  associations: Map<string, string>;
  propagatingVgws?: Set<string>;
}

export interface EniRec extends Tagged {
  id: string;
  subnetId: string;
  vpcId: string;
  az: string;
  description: string;
  privateIp: string;
  secondaryIps: string[];
  ipv6Ips: string[];
  /** Delegated /28 IPv4 prefixes (AssignPrivateIpAddresses / CreateNetworkInterface Ipv4PrefixCount). */
  ipv4Prefixes?: string[];
  /** Delegated /80 IPv6 prefixes (AssignIpv6Addresses / CreateNetworkInterface Ipv6PrefixCount). */
  ipv6Prefixes?: string[];
  sourceDestCheck: boolean;
  groups: string[];
  mac: string;
  attachment?: { id: string; instanceId: string; deviceIndex: number; attachTime: Date; deleteOnTermination: boolean; networkCardIndex?: number };
  /** The last attachment after DetachNetworkInterface: AWS keeps showing it with status "detached" until the next attach. */
  detached?: { id: string; instanceId: string; deviceIndex: number; attachTime: Date; deleteOnTermination: boolean; networkCardIndex?: number };
  interfaceType: string;
  requesterManaged: boolean;
  /** An Amazon-owned public address assigned with the interface (an ECS task's ENI with assignPublicIp ENABLED). */
  publicIp?: string;
  /** CreateNetworkInterface: the unique id of the principal that created it (AWS's RequesterId, e.g. an IAM user's AIDA…). */
  requesterId?: string;
}

export interface ImageRec extends Tagged {
  id: string;
  name: string;
  description: string;
  ownerId: string;
  ownerAlias?: string;
  architecture: string;
  platform?: string;
  platformDetails: string;
  creationDate: string;
  isPublic: boolean;
  rootDeviceName: string;
  state: string;
  sourceInstanceId?: string;
  /** Snapshots backing a registered image (DeleteSnapshot refuses them). */
  snapshotIds?: string[];
  /** Block devices of an image made by CreateImage (catalogue images have one root snapshot). */
  blockDevices?: ImageDevice[];
  /** Instance store mappings (VirtualName ephemeralN) given to RegisterImage or CreateImage: described, never volumes. */
  ephemeral?: Array<{ device: string; virtualName: string }>;
  /** Accounts given launch permission. */
  launchUsers?: Set<string>;
  /** RegisterImage's VirtualizationType (hvm | paravirtual); hvm when absent. */
  virtualizationType?: string;
}

export interface ImageDevice {
  device: string;
  snapshotId: string;
  size: number;
  type: string;
  deleteOnTermination: boolean;
  encrypted: boolean;
  /** Provisioned IOPS (gp3, io1, io2) and throughput in MiB/s (gp3) the AMI's mapping names, as DescribeImages shows them. */
  iops?: number;
  throughput?: number;
}

export interface VolumeAttachmentRec {
  instanceId: string;
  device: string;
  attachTime: Date;
  deleteOnTermination: boolean;
  state: string;
}

export interface VolumeModificationRec {
  volumeId: string;
  state: string;
  target?: string;
  since: number;
  startTime: Date;
  originalSize: number;
  originalIops?: number;
  originalVolumeType: string;
  originalThroughput?: number;
  originalMultiAttachEnabled: boolean;
  targetSize: number;
  targetIops?: number;
  targetVolumeType: string;
  targetThroughput?: number;
  targetMultiAttachEnabled: boolean;
}

export interface VolumeRec extends Tagged {
  id: string;
  seq: number;
  /** The volume CopyVolumes copied it from. */
  sourceVolumeId?: string;
  /** VolumeInitializationRate (MiB/s) given to CreateVolume for a volume from a snapshot. */
  initializationRate?: number;
  size: number;
  type: string;
  iops?: number;
  throughput?: number;
  az: string;
  snapshotId: string;
  encrypted: boolean;
  kmsKeyId?: string;
  multiAttach: boolean;
  createTime: Date;
  state: string;
  target?: string;
  since: number;
  attachments: VolumeAttachmentRec[];
  autoEnableIO: boolean;
  modification?: VolumeModificationRec;
}

export interface SnapshotRec extends Tagged {
  id: string;
  seq: number;
  volumeId: string;
  volumeSize: number;
  description: string;
  ownerId: string;
  encrypted: boolean;
  kmsKeyId?: string;
  startTime: Date;
  state: string;
  target?: string;
  since: number;
  permissions: { userIds: Set<string>; all: boolean };
}

export interface LaunchTemplateRec extends Tagged {
  id: string;
  seq: number;
  name: string;
  createTime: Date;
  createdBy: string;
  defaultVersion: number;
  latestVersion: number;
  /** version number → the RequestLaunchTemplateData as sent (member names). */
  versions: Map<number, { description?: string; createTime: Date; data: Record<string, any> }>;
}

export interface PlacementGroupRec extends Tagged {
  id: string;
  name: string;
  strategy: string;
  partitionCount?: number;
  spreadLevel?: string;
}

export interface NaclEntry {
  ruleNumber: number;
  protocol: string;
  ruleAction: string;
  egress: boolean;
  cidrBlock?: string;
  ipv6CidrBlock?: string;
  ports?: { from?: number; to?: number };
  icmp?: { code?: number; type?: number };
}

export interface NaclRec extends Tagged {
  id: string;
  vpcId: string;
  isDefault: boolean;
  entries: NaclEntry[];
  /** associationId → subnetId */
  associations: Map<string, string>;
}

export interface DhcpRec extends Tagged {
  id: string;
  isDefault: boolean;
  config: Array<[string, string[]]>;
}

export interface EigwRec extends Tagged {
  id: string;
  vpcId?: string;
}

export interface PeeringSide {
  vpcId: string;
  cidr: string;
  ownerId: string;
  region: string;
  allowDns: boolean;
  /** The VPC's secondary IPv4 and its IPv6 blocks when the peering was requested (read live when the VPC is local). */
  secondaryCidrs?: string[];
  ipv6Cidrs?: string[];
}

export interface PeeringRec extends Tagged {
  id: string;
  requester: PeeringSide;
  accepter: PeeringSide;
  status: string;
  expirationTime: Date;
}

export interface VpceRec extends Tagged {
  id: string;
  type: string;
  vpcId: string;
  serviceName: string;
  state: string;
  policy: string;
  routeTableIds: string[];
  subnetIds: string[];
  groupIds: string[];
  eniIds: string[];
  privateDns: boolean;
  createTime: Date;
  /** IpAddressType (ipv4 when absent) and DnsOptions of CreateVpcEndpoint / ModifyVpcEndpoint. */
  ipAddressType?: string;
  dnsRecordIpType?: string;
  privateDnsOnlyForInboundResolverEndpoint?: boolean;
}

export interface PrefixListRec extends Tagged {
  id: string;
  name: string;
  ownerId: string;
  addressFamily: string;
  maxEntries: number;
  version: number;
  /** cidr → description */
  entries: Map<string, string>;
  /** modify-complete once modified (AWS keeps that state until the next change); create-complete before. */
  state?: string;
}

export interface FlowLogRec extends Tagged {
  id: string;
  resourceId: string;
  trafficType: string;
  destinationType: string;
  destination: string;
  logGroupName?: string;
  roleArn?: string;
  destinationOptions?: { fileFormat: string; hiveCompatiblePartitions: boolean; perHourPartition: boolean };
  logFormat: string;
  maxAggregationInterval: number;
  createTime: Date;
}

export interface VgwRec extends Tagged {
  id: string;
  asn: number;
  state: string;
  vpcId?: string;
}

export interface CarrierGatewayRec extends Tagged {
  id: string;
  vpcId: string;
  state: string;
}

export interface TransitGatewayRec extends Tagged {
  id: string;
  description?: string;
  asn: number;
  options: Record<string, any>;
  routeTableId: string;
  state: string;
  createTime: Date;
}

export interface KeyPairRec extends Tagged {
  id: string;
  name: string;
  type: string;
  fingerprint: string;
  publicKey: string;
  createTime: Date;
}

export interface Ec2State {
  accountId: string;
  region: string;
  /** The server (for what other accounts share: AMIs); absent in states restored from before it was kept. */
  sim?: SimHandle;
  seq: number;
  instances: Map<string, InstanceRec>;
  /** Terminated instances by termination time, so Describe prunes without a scan (instances.ts; built when absent). */
  terminatedQueue?: InstanceRec[];
  vpcs: Map<string, VpcRec>;
  subnets: Map<string, SubnetRec>;
  sgs: Map<string, SgRec>;
  igws: Map<string, IgwRec>;
  addresses: Map<string, AddressRec>;
  nats: Map<string, NatRec>;
  rtbs: Map<string, RtbRec>;
  enis: Map<string, EniRec>;
  images: Map<string, ImageRec>;
  /**
   * This account's tags on AMIs and snapshots other accounts share with it, by resource id: tags are per account,
   * so the owner's are not shown and these are not shown to the owner (created at the first tag).
   */
  foreignTags?: Map<string, Tagged>;
  keyPairs: Map<string, KeyPairRec>;
  volumes: Map<string, VolumeRec>;
  launchTemplates: Map<string, LaunchTemplateRec>;
  nacls: Map<string, NaclRec>;
  dhcpOptions: Map<string, DhcpRec>;
  eigws: Map<string, EigwRec>;
  peerings: Map<string, PeeringRec>;
  vpces: Map<string, VpceRec>;
  prefixLists: Map<string, PrefixListRec>;
  flowLogs: Map<string, FlowLogRec>;
  cagws: Map<string, CarrierGatewayRec>;
  tgws: Map<string, TransitGatewayRec>;
  vgws: Map<string, VgwRec>;
  /** name → group */
  placementGroups: Map<string, PlacementGroupRec>;
  snapshots: Map<string, SnapshotRec>;
  ebsEncryptionByDefault: boolean;
  ebsDefaultKmsKeyId?: string;
  /** tag key → value → resource ids: tag filters without scans. */
  tagIndex: Map<string, Map<string, Set<string>>>;
  defaultVpcId: string;
}
