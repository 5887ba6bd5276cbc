/** Operations of the EC2 "fleets" area, spread into the EC2 operations table (ec2/index.ts). */
import type { Handler } from "../../core/types.js";
import { Ec2Errors } from "../errors.js";
import { kindTagOperations, type TagHandlers, type TagKind } from "../tag-kinds.js";
import * as ef from "./ec2-fleet.js";
import { fl, type FleetsState } from "./state.js";

export const operations: Record<string, Handler> = {
  CreateFleet: ef.CreateFleet,
  DescribeFleets: ef.DescribeFleets,
  DeleteFleets: ef.DeleteFleets,
  ModifyFleet: ef.ModifyFleet,
  DescribeFleetInstances: ef.DescribeFleetInstances,
  DescribeFleetHistory: ef.DescribeFleetHistory,
};

const e = Ec2Errors.custom;
const KINDS: TagKind<FleetsState>[] = [
  { prefix: "fleet-", type: "fleet", map: (f) => f.fleets, missing: ef.fleetNotFound },
  {
    prefix: "sfr-",
    type: "spot-fleet-request",
    map: (f) => f.spotFleets,
    missing: (id) => e("InvalidSpotFleetRequestId.NotFound", `The spot fleet request ID '${id}' does not exist`),
  },
  {
    prefix: "crf-",
    type: "capacity-reservation-fleet",
    map: (f) => f.crFleets,
    missing: (id) => e("InvalidCapacityReservationFleetId.NotFound", `The capacity reservation fleet ID '${id}' does not exist`),
  },
];

/** CreateTags/DeleteTags/DescribeTags for this area's resource kinds (kindTagOperations); other ids go on to base. */
export const tags = (base: TagHandlers): TagHandlers =>
  kindTagOperations(
    base,
    (ctx) => {
      const { s, f } = fl(ctx);
      return { s, x: f };
    },
    KINDS,
  );
