/**
 * CreateTags, DeleteTags and DescribeTags for the resources of this folder (transit gateway attachments and
 * route tables, customer gateways, VPN connections, capacity reservations, Spot requests); every other id
 * goes to the EC2 handlers in ../misc.ts, whose answers are merged with these.
 */
import { paginate } from "../../core/paginate.js";
import type { Ctx } from "../../core/types.js";
import { dryRun, int, list, removeTag, select, setTag, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { CreateTags as baseCreateTags, DeleteTags as baseDeleteTags, DescribeTags as baseDescribeTags } from "../misc.js";
import type { Tagged } from "../state.js";
import { both, type MoreState } from "./state.js";
import { sync } from "./tgw.js";

const e = Ec2Errors.custom;

const KINDS: Array<{ prefix: string; type: string; map: (m: MoreState) => Map<string, Tagged>; missing: (id: string) => Error }> = [
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

const kindOf = (id: string) => KINDS.find((k) => id.startsWith(k.prefix));

function split(ctx: Ctx, input: Input) {
  const { s, m } = both(ctx);
  sync(s, m);
  const ids = list(input.Resources);
  const mine: Array<{ id: string; r: Tagged }> = [];
  const rest: string[] = [];
  for (const id of ids) {
    const k = kindOf(id);
    if (!k) {
      rest.push(id);
      continue;
    }
    const r = k.map(m).get(id);
    if (!r) throw k.missing(id);
    mine.push({ id, r });
  }
  return { s, mine, rest };
}

export function CreateTags(ctx: Ctx, input: Input) {
  const { s, mine, rest } = split(ctx, input);
  if (!mine.length) return baseCreateTags(ctx, input);
  const tags: Array<{ Key?: string; Value?: string }> = input.Tags ?? [];
  if (!tags.length) throw Ec2Errors.missing("Tag");
  for (const t of tags) {
    if (!t.Key || String(t.Key).length > 128) throw Ec2Errors.invalidValue(`Tag key '${t.Key ?? ""}' is invalid`);
    if (String(t.Key).toLowerCase().startsWith("aws:")) throw Ec2Errors.invalidValue("Tag keys starting with 'aws:' are reserved for internal use");
    if (String(t.Value ?? "").length > 256) throw Ec2Errors.invalidValue(`Tag value for key '${t.Key}' is too long`);
  }
  for (const { r } of mine)
    if (new Set([...r.tags.keys(), ...tags.map((t) => String(t.Key))]).size > 50)
      throw e("TagLimitExceeded", "The maximum number of Tags for a resource has been reached.");
  if (rest.length) baseCreateTags(ctx, { ...input, Resources: rest });
  else dryRun(input);
  for (const { id, r } of mine) for (const t of tags) setTag(s, id, r, String(t.Key), String(t.Value ?? ""));
  return { return: true };
}

export function DeleteTags(ctx: Ctx, input: Input) {
  const { s, mine, rest } = split(ctx, input);
  if (!mine.length) return baseDeleteTags(ctx, input);
  if (rest.length) baseDeleteTags(ctx, { ...input, Resources: rest });
  else dryRun(input);
  const tags: Array<{ Key?: string; Value?: string }> = input.Tags ?? [];
  for (const { id, r } of mine) {
    const keys = tags.length ? tags : [...r.tags.keys()].map((Key) => ({ Key, Value: undefined }));
    for (const t of keys) removeTag(s, id, r, String(t.Key), t.Value === undefined ? undefined : String(t.Value));
  }
  return { return: true };
}

interface Row {
  resourceId: string;
  resourceType: string;
  key: string;
  value: string;
  tags: Map<string, string>;
}

export function DescribeTags(ctx: Ctx, input: Input) {
  const { s, m } = both(ctx);
  sync(s, m);
  const max = int(input.MaxResults, "MaxResults");
  if (max !== undefined && (max < 5 || max > 1000))
    throw Ec2Errors.invalidValue(`Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
  // Everything the EC2 handler knows (it validates filters and DryRun), then ours, sorted and paged together.
  const base = baseDescribeTags(ctx, { ...input, MaxResults: undefined, NextToken: undefined }) as { tagSet: Array<Omit<Row, "tags">> };
  const own: Row[] = [];
  for (const k of KINDS)
    for (const [id, r] of k.map(m)) for (const [key, value] of r.tags) own.push({ resourceId: id, resourceType: k.type, key, value, tags: new Map() });
  const matched = select(
    own,
    { Filters: input.Filters },
    {
      key: (x) => x.key,
      value: (x) => x.value,
      "resource-id": (x) => x.resourceId,
      "resource-type": (x) => x.resourceType,
    },
    (x) => `${x.resourceId}\u0000${x.key}`,
  ).items.map(({ tags: _t, ...x }) => x);
  if (!matched.length && max === undefined && !input.NextToken) return base;
  const rows = [...base.tagSet, ...matched].sort((a, b) => (a.resourceId + a.key < b.resourceId + b.key ? -1 : 1));
  if (max === undefined && !input.NextToken) return { tagSet: rows };
  const page = paginate(rows, {
    maxResults: max,
    nextToken: input.NextToken,
    defaultMax: 1000,
    key: (x) => `${x.resourceId}\u0000${x.key}`,
    invalidToken: Ec2Errors.invalidToken,
  });
  return { tagSet: page.items, nextToken: page.nextToken };
}
