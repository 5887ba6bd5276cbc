/**
 * DescribeCapacityReservationTopology: the network nodes of the account's Capacity Reservations (Capacity
 * Blocks included) of the instance types EC2 topology supports, while active or pending; other types and
 * states show none. Nodes are hashed per account from the same tree DescribeInstanceTopology uses: one spine
 * per zone, then nodes per placement group (or per reservation) down to the reservation's own leaf.
 */
import type { Ctx } from "../../core/types.js";
import { dryRun, list, select, zoneIdOf, type Input } from "../common.js";
import { nodeId, topologyDepth } from "../compute/instance-ops.js";
import { Ec2Errors } from "../errors.js";
import { stateAt } from "../more/capacity.js";
import { type CapacityReservationRec, moreOf } from "../more/state.js";
import type { Ec2State } from "../state.js";

function nodes(s: Ec2State, r: CapacityReservationRec, group: string | undefined, depth: number): string[] {
  const g = group ?? `~${r.id}`;
  const out = [nodeId(s.accountId, r.az, "spine"), nodeId(s.accountId, r.az, g, "aggregation")];
  if (depth === 4) out.push(nodeId(s.accountId, r.az, g, r.id, "block"));
  out.push(nodeId(s.accountId, r.az, g, r.id, "leaf"));
  return out;
}

export function DescribeCapacityReservationTopology(ctx: Ctx, input: Input) {
  const s = ctx.state<Ec2State>();
  const m = moreOf(s);
  const ids = list(input.CapacityReservationIds);
  if (ids.length && input.MaxResults !== undefined)
    throw Ec2Errors.invalidCombination("The parameter CapacityReservationIds cannot be used with the parameter MaxResults");
  if (ids.length > 100) throw Ec2Errors.invalidValue("You can specify up to 100 Capacity Reservation IDs.");
  for (const id of ids)
    if (!m.capacityReservations.has(id)) throw Ec2Errors.custom("InvalidCapacityReservationId.NotFound", `The capacity reservation ID '${id}' does not exist`);
  dryRun(input);
  const now = ctx.now();
  const r = select(
    ids.length ? [...new Set(ids)].map((id) => m.capacityReservations.get(id)!) : [...m.capacityReservations.values()],
    input,
    { "availability-zone": (x) => x.az, "instance-type": (x) => x.instanceType },
    (x) => x.id,
    { paginate: true, min: 1, max: 10 },
  );
  return {
    CapacityReservations: r.items.map((x) => {
      const state = stateAt(x, now);
      const depth = topologyDepth(x.instanceType);
      const group = x.placementGroupArn?.split("/").pop();
      return {
        CapacityReservationId: x.id,
        State: state,
        InstanceType: x.instanceType,
        GroupName: group,
        NetworkNodes: depth !== undefined && (state === "active" || state === "pending") ? nodes(s, x, group, depth) : [],
        AvailabilityZoneId: zoneIdOf(s.region, x.az),
        AvailabilityZone: x.az,
      };
    }),
    NextToken: r.nextToken,
  };
}
