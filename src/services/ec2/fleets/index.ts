/**
 * Operations of the EC2 "fleets" area, spread into the EC2 operations table (ec2/index.ts): EC2 Fleet and
 * Spot Fleet (real instances through RunInstances), the Spot data feed, Capacity Reservation Fleets,
 * splitting/moving/usage of reservations, interruptible allocations, billing of unused capacity to another
 * account, network performance subscriptions and Capacity Manager settings.
 * Capacity Blocks for ML (capacity-blocks.ts: computed offerings, purchases as capacity-block reservations,
 * extensions) and Capacity Reservation topology (topology.ts).
 * Scheduled Instances and GetGroupsForCapacityReservation answer from extra/retired.ts. Left NotImplemented
 * (AWS-owned data or services awsim does not simulate): Reserved Instance Marketplace listings (seller
 * registration), declarative policies reports (AWS Organizations), GetAwsNetworkPerformanceData, Capacity Manager
 * metric data/dimensions, GetSpotPlacementScores and ModifyAvailabilityZoneGroup (no opt-in zones).
 */
import type { Ctx, Handler } from "../../core/types.js";
import type { Input } from "../common.js";
import { loadIamProfiles } from "../instances.js";
import { kindTagOperations, type TagHandlers, type TagKind } from "../tag-kinds.js";
import * as bill from "./billing.js";
import * as cap from "./capacity.js";
import * as cb from "./capacity-blocks.js";
import * as df from "./datafeed.js";
import * as ef from "./ec2-fleet.js";
import * as ir from "./interruptible.js";
import * as mg from "./manager.js";
import * as sf from "./spot-fleet.js";
import { DescribeCapacityReservationTopology } from "./topology.js";
import { fl, type FleetsState } from "./state.js";
import type { Ec2State } from "../state.js";

export const operations: Record<string, Handler> = {
  DescribeCapacityBlockOfferings: cb.DescribeCapacityBlockOfferings,
  PurchaseCapacityBlock: cb.PurchaseCapacityBlock,
  DescribeCapacityBlocks: cb.DescribeCapacityBlocks,
  DescribeCapacityBlockStatus: cb.DescribeCapacityBlockStatus,
  DescribeCapacityBlockExtensionOfferings: cb.DescribeCapacityBlockExtensionOfferings,
  PurchaseCapacityBlockExtension: cb.PurchaseCapacityBlockExtension,
  DescribeCapacityBlockExtensionHistory: cb.DescribeCapacityBlockExtensionHistory,
  DescribeCapacityReservationTopology,
  CreateFleet: async (ctx: Ctx, input: Input) => {
    await loadIamProfiles(ctx);
    return ef.CreateFleet(ctx, input);
  },
  DescribeFleets: ef.DescribeFleets,
  DeleteFleets: ef.DeleteFleets,
  ModifyFleet: ef.ModifyFleet,
  DescribeFleetInstances: ef.DescribeFleetInstances,
  DescribeFleetHistory: ef.DescribeFleetHistory,
  RequestSpotFleet: async (ctx: Ctx, input: Input) => {
    await loadIamProfiles(ctx);
    return sf.RequestSpotFleet(ctx, input);
  },
  DescribeSpotFleetRequests: sf.DescribeSpotFleetRequests,
  DescribeSpotFleetInstances: sf.DescribeSpotFleetInstances,
  DescribeSpotFleetRequestHistory: sf.DescribeSpotFleetRequestHistory,
  ModifySpotFleetRequest: sf.ModifySpotFleetRequest,
  CancelSpotFleetRequests: sf.CancelSpotFleetRequests,
  CreateSpotDatafeedSubscription: df.CreateSpotDatafeedSubscription,
  DescribeSpotDatafeedSubscription: df.DescribeSpotDatafeedSubscription,
  DeleteSpotDatafeedSubscription: df.DeleteSpotDatafeedSubscription,
  CreateCapacityReservationFleet: cap.CreateCapacityReservationFleet,
  DescribeCapacityReservationFleets: cap.DescribeCapacityReservationFleets,
  ModifyCapacityReservationFleet: cap.ModifyCapacityReservationFleet,
  CancelCapacityReservationFleets: cap.CancelCapacityReservationFleets,
  CreateCapacityReservationBySplitting: cap.CreateCapacityReservationBySplitting,
  MoveCapacityReservationInstances: cap.MoveCapacityReservationInstances,
  GetCapacityReservationUsage: cap.GetCapacityReservationUsage,
  CreateInterruptibleCapacityReservationAllocation: ir.CreateInterruptibleCapacityReservationAllocation,
  UpdateInterruptibleCapacityReservationAllocation: ir.UpdateInterruptibleCapacityReservationAllocation,
  AssociateCapacityReservationBillingOwner: bill.AssociateCapacityReservationBillingOwner,
  DisassociateCapacityReservationBillingOwner: bill.DisassociateCapacityReservationBillingOwner,
  AcceptCapacityReservationBillingOwnership: bill.AcceptCapacityReservationBillingOwnership,
  RejectCapacityReservationBillingOwnership: bill.RejectCapacityReservationBillingOwnership,
  DescribeCapacityReservationBillingRequests: bill.DescribeCapacityReservationBillingRequests,
  EnableAwsNetworkPerformanceMetricSubscription: mg.EnableAwsNetworkPerformanceMetricSubscription,
  DisableAwsNetworkPerformanceMetricSubscription: mg.DisableAwsNetworkPerformanceMetricSubscription,
  DescribeAwsNetworkPerformanceMetricSubscriptions: mg.DescribeAwsNetworkPerformanceMetricSubscriptions,
  EnableCapacityManager: mg.EnableCapacityManager,
  DisableCapacityManager: mg.DisableCapacityManager,
  GetCapacityManagerAttributes: mg.GetCapacityManagerAttributes,
  UpdateCapacityManagerOrganizationsAccess: mg.UpdateCapacityManagerOrganizationsAccess,
  UpdateCapacityManagerMonitoredTagKeys: mg.UpdateCapacityManagerMonitoredTagKeys,
  GetCapacityManagerMonitoredTagKeys: mg.GetCapacityManagerMonitoredTagKeys,
  CreateCapacityManagerDataExport: mg.CreateCapacityManagerDataExport,
  DeleteCapacityManagerDataExport: mg.DeleteCapacityManagerDataExport,
  DescribeCapacityManagerDataExports: mg.DescribeCapacityManagerDataExports,
};

const KINDS: TagKind<FleetsState>[] = [
  { prefix: "fleet-", type: "fleet", map: (f) => f.fleets, missing: ef.fleetNotFound },
  {
    prefix: "sfr-",
    type: "spot-fleet-request",
    map: (f) => f.spotFleets,
    missing: sf.sfrNotFound,
  },
  {
    prefix: "crf-",
    type: "capacity-reservation-fleet",
    map: (f) => f.crFleets,
    missing: cap.crfNotFound,
  },
  {
    prefix: "cmde-",
    type: "capacity-manager-data-export",
    map: (f) => f.manager?.exports ?? new Map(),
    missing: mg.exportNotFound,
  },
];

/** CreateTags/DeleteTags/DescribeTags for this area's resource kinds (kindTagOperations); other ids go on to base. */
export const tags = (base: TagHandlers): TagHandlers =>
  kindTagOperations(
    kindTagOperations(
      base,
      (ctx) => {
        const { s, f } = fl(ctx);
        return { s, x: f };
      },
      KINDS,
    ),
    (ctx) => {
      const s = ctx.state<Ec2State>();
      return { s, x: cb.blocksOf(s) };
    },
    [{ prefix: "cb-", type: "capacity-block", map: (b: cb.CapacityBlocksState) => b.blocks, missing: cb.blockNotFound }],
  );
