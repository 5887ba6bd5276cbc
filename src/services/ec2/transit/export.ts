import type { Ctx } from "../../core/types.js";
import { storeObject } from "../../s3/objects.js";
import type { S3State } from "../../s3/state.js";
import { dryRun, list, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { tr } from "./state.js";
import { SearchTransitGatewayRoutes } from "./tgw.js";

interface Route {
  DestinationCidrBlock: string;
  PrefixListId?: string;
  TransitGatewayAttachments?: Array<{ ResourceId: string; TransitGatewayAttachmentId: string; ResourceType: string }>;
  Type: string;
  State: string;
}

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");

export async function ExportTransitGatewayRoutes(ctx: Ctx, input: Input) {
  const { s, m } = tr(ctx);
  const rtbId = String(input.TransitGatewayRouteTableId);
  if (!m.tgwRouteTables.has(rtbId))
    throw Ec2Errors.custom("InvalidRouteTableID.NotFound", `Transit Gateway Route Table ${rtbId} was deleted or does not exist.`);
  const bucketName = String(input.S3Bucket);
  const s3 = await ctx.stateOf<S3State>("s3");
  const bucket = s3.buckets.get(bucketName);
  if (!bucket || bucket.owner !== s.accountId)
    throw Ec2Errors.invalidValue(`The S3 bucket ${bucketName} does not exist or you do not have permission to write to it.`);
  if (bucket.region !== s.region) throw Ec2Errors.invalidValue(`The S3 bucket ${bucketName} is not in region ${s.region}.`);
  const filters: Array<{ Name?: string; Values?: string[] }> = input.Filters ?? [];
  const exact = filters.filter((f) => f?.Name === "transit-gateway-route-destination-cidr-block").flatMap((f) => list(f.Values));
  const rest = filters.filter((f) => f?.Name !== "transit-gateway-route-destination-cidr-block");
  const found = (await SearchTransitGatewayRoutes(ctx, { TransitGatewayRouteTableId: rtbId, Filters: rest, MaxResults: 1000 })) as { Routes: Route[] };
  dryRun(input);
  const routes = found.Routes.filter((r) => !exact.length || exact.includes(r.DestinationCidrBlock));
  const doc = {
    filter: filters.map((f) => ({ name: f.Name, values: list(f.Values) })),
    routes: routes.map((r) => ({
      destinationCidrBlock: r.DestinationCidrBlock,
      prefixListId: r.PrefixListId,
      transitGatewayAttachments: r.TransitGatewayAttachments?.map((a) => ({
        resourceId: a.ResourceId,
        transitGatewayAttachmentId: a.TransitGatewayAttachmentId,
        resourceType: a.ResourceType,
      })),
      type: r.Type,
      state: r.State,
    })),
  };
  const data = Buffer.from(JSON.stringify(doc, null, 2));
  const key = `VPCTransitGateway/TransitGatewayRouteTables/${s.accountId}-${s.region}-${rtbId}-${stamp(ctx.now())}.json`;
  storeObject(bucket, key, data, { contentType: "application/json", now: ctx.now() });
  return { S3Location: `s3://${bucketName}/${key}` };
}
