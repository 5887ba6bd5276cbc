/**
 * State of the EC2 families in this folder (transit gateway attachments and route tables, customer gateways,
 * VPN connections, capacity reservations, spot requests). It hangs off the account/region's Ec2State as
 * one own property, created on first use, so snapshots copy it with the rest and ec2/state.ts stays as is.
 */
import type { Ctx } from "../../core/types.js";
import type { Ec2State, PrefixListRec, Tagged, TransitGatewayRec, VgwRec } from "../state.js";

export interface TgwAttachmentRec extends Tagged {
  id: string;
  tgwId: string;
  resourceType: "vpc" | "vpn" | "peering";
  resourceId: string;
  subnetIds: string[];
  options: { DnsSupport: string; SecurityGroupReferencingSupport: string; Ipv6Support: string; ApplianceModeSupport: string };
  state: string;
  createTime: Date;
  /** Transit gateway peering: both sides hold a record under the same id. */
  peering?: {
    side: "requester" | "accepter";
    requester: { tgwId: string; ownerId: string; region: string };
    accepter: { tgwId: string; ownerId: string; region: string };
    dynamicRouting?: string;
  };
  /** The route table it is associated with (at most one). */
  association?: string;
  /**
   * A VPC attachment to another account's transit gateway: the record lives with the gateway (its owner accepts,
   * rejects, routes); these name both owners so that the VPC's owner sees it too.
   */
  vpcOwnerId?: string;
  tgwOwnerId?: string;
}

export interface TgwRouteTableRec extends Tagged {
  id: string;
  tgwId: string;
  state: string;
  createTime: Date;
  defaultAssociation: boolean;
  defaultPropagation: boolean;
  /** destination CIDR → attachment id (undefined for a blackhole). */
  routes: Map<string, { attachmentId?: string; blackhole: boolean }>;
  /** attachment ids propagating into the table. */
  propagations: Set<string>;
}

export interface CustomerGatewayRec extends Tagged {
  id: string;
  bgpAsn: string;
  ipAddress: string;
  type: string;
  deviceName?: string;
  certificateArn?: string;
  state: string;
}

export interface VpnConnectionRec extends Tagged {
  id: string;
  cgwId: string;
  vgwId?: string;
  tgwId?: string;
  attachmentId?: string;
  type: string;
  state: string;
  staticRoutesOnly: boolean;
  options: Record<string, any>;
  routes: Map<string, string>;
  tunnels: Array<{ outside: string; inside: string; psk: string }>;
  createTime: Date;
  category: string;
}

export interface CapacityReservationRec extends Tagged {
  id: string;
  instanceType: string;
  platform: string;
  az: string;
  tenancy: string;
  total: number;
  ebsOptimized: boolean;
  ephemeralStorage: boolean;
  state: string;
  startDate: Date;
  endDate?: Date;
  endDateType: string;
  instanceMatchCriteria: string;
  createTime: Date;
  outpostArn?: string;
  placementGroupArn?: string;
  /** The Capacity Reservation Fleet that created it (fleets/capacity.ts). */
  fleetId?: string;
  /** The account billed for its unused capacity, once it accepted (fleets/billing.ts). */
  billingOwnerId?: string;
  /** An interruptible reservation: the source it was allocated from (fleets/interruptible.ts). */
  interruptibleFrom?: string;
  /** A source reservation's allocation of unused capacity to an interruptible one (fleets/interruptible.ts). */
  allocation?: { reservationId: string; count: number; target: number; status: string };
  /** The Capacity Block that delivers it (fleets/capacity-blocks.ts); such a reservation is of type capacity-block. */
  capacityBlockId?: string;
}

export interface SpotRequestRec extends Tagged {
  id: string;
  spotPrice: string;
  type: string;
  state: string;
  status: { code: string; message: string; updateTime: Date };
  launchSpecification: Record<string, any>;
  instanceId?: string;
  az?: string;
  createTime: Date;
  validFrom?: Date;
  validUntil?: Date;
  interruptionBehavior: string;
  launchGroup?: string;
  availabilityZoneGroup?: string;
}

/** Account-level EC2 settings of a region. */
export interface AccountSettings {
  snapshotBlockPublicAccess: string;
}

export interface MoreState {
  settings?: AccountSettings;
  tgwAttachments: Map<string, TgwAttachmentRec>;
  tgwRouteTables: Map<string, TgwRouteTableRec>;
  cgws: Map<string, CustomerGatewayRec>;
  vpns: Map<string, VpnConnectionRec>;
  /** Deleted customer gateways and VPN connections, still described with state "deleted" for a while (AWS lists them). */
  deletedCgws?: Map<string, CustomerGatewayRec & { deletedAt: number }>;
  deletedVpns?: Map<string, VpnConnectionRec & { deletedAt: number }>;
  /** Deleted virtual private gateways, described with state "deleted" for a while (AWS lists them; Terraform reads them as gone). */
  deletedVgws?: Map<string, VgwRec & { deletedAt: number }>;
  /** Deleted customer-managed prefix lists, described as "delete-complete" for a while (AWS lists them). */
  deletedPrefixLists?: Map<string, PrefixListRec & { state: string; deletedAt: number }>;
  /** Deleted transit gateways, described with state "deleted" for a while (AWS lists them: LocalStack's AWS-validated CloudFormation test). */
  deletedTgws?: Map<string, TransitGatewayRec & { deletedAt: number }>;
  /** Deleted transit gateway VPC attachments, described with state "deleted" for a while (Terraform's delete waiter needs it). */
  deletedTgwAttachments?: Map<string, TgwAttachmentRec & { deletedAt: number }>;
  capacityReservations: Map<string, CapacityReservationRec>;
  spotRequests: Map<string, SpotRequestRec>;
}

type WithMore = Ec2State & { moreFamilies?: MoreState };

export function moreOf(s: Ec2State): MoreState {
  const w = s as WithMore;
  w.moreFamilies ??= {
    tgwAttachments: new Map(),
    tgwRouteTables: new Map(),
    cgws: new Map(),
    vpns: new Map(),
    capacityReservations: new Map(),
    spotRequests: new Map(),
  };
  return w.moreFamilies;
}

export const both = (ctx: Ctx): { s: Ec2State; m: MoreState } => {
  const s = ctx.state<Ec2State>();
  return { s, m: moreOf(s) };
};

/** How long a deleted customer gateway, VPN connection or transit gateway attachment stays describable with state "deleted" (awsim's choice, as terminated instances). */
const DELETED_RETENTION_MS = 60 * 60 * 1000;

/** Keep a deleted record describable (state "deleted"); drop those past retention. */
export function tombstones<T extends { id: string; state: string }>(m: Map<string, T & { deletedAt: number }>, now: number, add?: T) {
  if (add) m.set(add.id, { ...add, state: "deleted", deletedAt: now });
  for (const [id, r] of m) if (now - r.deletedAt > DELETED_RETENTION_MS) m.delete(id);
  return m;
}
