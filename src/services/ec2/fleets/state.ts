/**
 * State of the EC2 "fleets" area (EC2 Fleets, Spot Fleet requests, the Spot data feed, Capacity
 * Reservation Fleets, network performance subscriptions). It hangs off the account/region's Ec2State as one
 * own property created on first use, so snapshots copy it with the rest of EC2 state.
 */
import type { Ctx } from "../../core/types.js";
import type { Ec2State, Tagged } from "../state.js";

/** One capacity pool a fleet can launch into: a launch template or specification with one override. */
export interface PoolRec {
  /** EC2 Fleet / Spot Fleet launch template reference, as given. */
  template?: { LaunchTemplateId?: string; LaunchTemplateName?: string; Version?: string };
  /** Spot Fleet LaunchSpecifications entry (RunInstances-like members). */
  spec?: Record<string, any>;
  /** The override, as given (InstanceType, SubnetId, AvailabilityZone, MaxPrice, WeightedCapacity, Priority, ...). */
  override?: Record<string, any>;
  /** Instance types this pool launches (one, or those matched by InstanceRequirements), cheapest first. */
  types: string[];
  weight: number;
  priority: number;
}

export interface FleetInstanceRec {
  instanceId: string;
  pool: number;
  instanceType: string;
  lifecycle: "spot" | "on-demand";
  spotRequestId?: string;
  weight: number;
  /** Hourly price when launched (On-Demand price, or the Spot price then), for MaxTotalPrice. */
  price: number;
}

export interface FleetErrorRec {
  pool: number;
  lifecycle: "spot" | "on-demand";
  code: string;
  message: string;
}

export interface HistoryRec {
  time: Date;
  type: string;
  subType?: string;
  description?: string;
  instanceId?: string;
}

export interface FleetRec extends Tagged {
  id: string;
  /** "ec2" for CreateFleet, "spot" for RequestSpotFleet. */
  kind: "ec2" | "spot";
  type: string;
  state: string;
  activity: string;
  createTime: Date;
  clientToken?: string;
  /** The request as given (for Describe), minus what is tracked below. */
  request: Record<string, any>;
  /** The request as first made (for ClientToken idempotency). */
  original: Record<string, any>;
  pools: PoolRec[];
  total: number;
  onDemandTarget: number;
  spotTarget: number;
  defaultType: string;
  unitType?: string;
  excessPolicy?: string;
  spotAllocation: string;
  onDemandAllocation: string;
  spotMaxTotalPrice?: number;
  onDemandMaxTotalPrice?: number;
  validFrom?: Date;
  validUntil?: Date;
  terminateWithExpiration: boolean;
  replaceUnhealthy: boolean;
  instances: FleetInstanceRec[];
  errors: FleetErrorRec[];
  history: HistoryRec[];
}

export interface CapacityReservationFleetRec extends Tagged {
  id: string;
  state: string;
  total: number;
  fulfilled: number;
  tenancy: string;
  endDate?: Date;
  createTime: Date;
  matchCriteria: string;
  allocationStrategy: string;
  specs: Array<{
    InstanceType: string;
    InstancePlatform: string;
    AvailabilityZone?: string;
    AvailabilityZoneId?: string;
    Weight: number;
    Priority?: number;
    EbsOptimized?: boolean;
  }>;
  /** capacity reservation ids, with their spec index */
  reservations: Array<{ id: string; spec: number }>;
  clientToken?: string;
}

export interface FleetsState {
  fleets: Map<string, FleetRec>;
  spotFleets: Map<string, FleetRec>;
  crFleets: Map<string, CapacityReservationFleetRec>;
  datafeed?: { bucket: string; prefix?: string; state: string };
  /** source|destination|metric|statistic → period */
  perfSubscriptions: Map<string, { Source: string; Destination: string; Metric: string; Statistic: string; Period: string }>;
  /** Billing requests for unused capacity of this account's reservations, by reservation id. */
  billing: Map<string, BillingRequestRec>;
  /** Requests addressed to this account: reservation id → owner account. */
  billingInbox: Map<string, string>;
  /** EC2 Capacity Manager settings and data export configurations (created on first use). */
  manager?: {
    enabled: boolean;
    enabledAt?: Date;
    organizationsAccess: boolean;
    /** activated tag key → activation time */
    tagKeys: Map<string, Date>;
    exports: Map<string, DataExportRec>;
  };
}

export interface BillingRequestRec {
  crId: string;
  owner: string;
  billingOwner: string;
  status: string;
  message?: string;
  updated: Date;
}

export interface DataExportRec extends Tagged {
  id: string;
  bucket: string;
  prefix?: string;
  schedule: string;
  format: string;
  created: Date;
  clientToken?: string;
}

type WithFleets = Ec2State & { fleetsState?: FleetsState };

export function fleetsOf(s: Ec2State): FleetsState {
  const w = s as WithFleets;
  w.fleetsState ??= {
    fleets: new Map(),
    spotFleets: new Map(),
    crFleets: new Map(),
    perfSubscriptions: new Map(),
    billing: new Map(),
    billingInbox: new Map(),
  };
  w.fleetsState.billing ??= new Map();
  w.fleetsState.billingInbox ??= new Map();
  return w.fleetsState;
}

export const fl = (ctx: Ctx): { s: Ec2State; f: FleetsState } => {
  const s = ctx.state<Ec2State>();
  return { s, f: fleetsOf(s) };
};
