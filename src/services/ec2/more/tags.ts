/**
 * The taggable resource kinds of this folder (transit gateway attachments and route tables, customer
 * gateways, VPN connections, capacity reservations, Spot requests), tagged through ../tag-kinds.ts.
 */
import { Ec2Errors } from "../errors.js";
import { CreateTags as baseCreateTags, DeleteTags as baseDeleteTags, DescribeTags as baseDescribeTags } from "../misc.js";
import { kindTagOperations, type TagKind } from "../tag-kinds.js";
import { both, type MoreState } from "./state.js";
import { sync } from "./tgw.js";

const e = Ec2Errors.custom;

const KINDS: TagKind<MoreState>[] = [
  {
    prefix: "tgw-attach-",
    type: "transit-gateway-attachment",
    map: (m) => m.tgwAttachments,
    missing: (id) => e("InvalidTransitGatewayAttachmentID.NotFound", `Transit Gateway Attachment ${id} was deleted or does not exist.`),
  },
  {
    prefix: "tgw-rtb-",
    type: "transit-gateway-route-table",
    map: (m) => m.tgwRouteTables,
    missing: (id) => e("InvalidRouteTableID.NotFound", `Transit Gateway Route Table ${id} was deleted or does not exist.`),
  },
  {
    prefix: "cgw-",
    type: "customer-gateway",
    map: (m) => m.cgws,
    missing: (id) => e("InvalidCustomerGatewayID.NotFound", `The customerGateway ID '${id}' does not exist`),
  },
  {
    prefix: "vpn-",
    type: "vpn-connection",
    map: (m) => m.vpns,
    missing: (id) => e("InvalidVpnConnectionID.NotFound", `The vpnConnection ID '${id}' does not exist`),
  },
  {
    prefix: "cr-",
    type: "capacity-reservation",
    map: (m) => m.capacityReservations,
    missing: (id) => e("InvalidCapacityReservationId.NotFound", `The capacity reservation ID '${id}' does not exist`),
  },
  {
    prefix: "sir-",
    type: "spot-instances-request",
    map: (m) => m.spotRequests,
    missing: (id) => e("InvalidSpotInstanceRequestID.NotFound", `The spot instance request ID '${id}' does not exist`),
  },
];

/** Tags of this folder's resources; every other id goes to the EC2 handlers in ../misc.ts. */
export const { CreateTags, DeleteTags, DescribeTags } = kindTagOperations(
  { CreateTags: baseCreateTags, DeleteTags: baseDeleteTags, DescribeTags: baseDescribeTags },
  (ctx) => {
    const { s, m } = both(ctx);
    sync(s, m);
    return { s, x: m };
  },
  KINDS,
);
