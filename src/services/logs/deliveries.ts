/**
 * Vended-log deliveries: delivery sources (a resource and a log type), delivery destinations (S3, a log
 * group, Firehose or X-Ray) with their policies, and deliveries joining the two. Stored, described and
 * paginated with AWS's conflicts (one delivery per source/destination pair; a source or destination in
 * use cannot be deleted). awsim's services produce no vended logs, so nothing flows through a delivery.
 */
import { randomBytes } from "node:crypto";
import type { Ctx } from "../core/types.js";
import { paginate } from "../core/paginate.js";
import { state } from "./common.js";
import { LogsErrors } from "./errors.js";
import type { LogsState, Named } from "./state.js";

const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const tagsOut = (t: Map<string, string>) => (t.size ? Object.fromEntries(t) : undefined);

function page<T extends Named>(items: Iterable<T>, v: { limit?: number; nextToken?: string }) {
  const all = [...items].sort((a, b) => (a.name < b.name ? -1 : 1));
  return paginate(all, { maxResults: v.limit, nextToken: v.nextToken, defaultMax: 50, key: (x) => x.name, invalidToken: LogsErrors.invalidTokenValidation });
}

const arnOf = (st: LogsState, kind: string, id: string) => `arn:aws:logs:${st.region}:${st.accountId}:${kind}:${id}`;

// ---------------------------------------------------------------- sources

// AWS's delivery source answers carry no status (recorded: PutDeliverySource, GetDeliverySource and
// DescribeDeliverySources of a CloudFront source, 2026).
function sourceOut(s: Named) {
  return {
    name: s.name,
    arn: s.arn,
    resourceArns: s.resourceArns as string[],
    service: s.service as string,
    logType: s.logType as string,
    deliverySourceConfiguration: s.deliverySourceConfiguration as Record<string, string> | undefined,
    tags: tagsOut(s.tags),
  };
}

// The log types PutDeliverySource's reference lists for the services whose ARN names them unambiguously;
// a source of any other service is taken as given.
const LOG_TYPES: Record<string, string[]> = {
  cloudfront: ["ACCESS_LOGS"],
  codewhisperer: ["EVENT_LOGS"],
  mediapackage: ["EGRESS_ACCESS_LOGS", "INGRESS_ACCESS_LOGS"],
  mediapackagev2: ["EGRESS_ACCESS_LOGS", "INGRESS_ACCESS_LOGS"],
  mediatailor: ["AD_DECISION_SERVER_LOGS", "MANIFEST_SERVICE_LOGS", "TRANSCODE_LOGS"],
  entityresolution: ["WORKFLOW_LOGS"],
  sso: ["ERROR_LOGS"],
  pcs: ["PCS_SCHEDULER_LOGS", "PCS_JOBCOMP_LOGS", "PCS_SCHEDULER_AUDIT_LOGS"],
  workmail: [
    "ACCESS_CONTROL_LOGS",
    "AUTHENTICATION_LOGS",
    "WORKMAIL_AVAILABILITY_PROVIDER_LOGS",
    "WORKMAIL_MAILBOX_ACCESS_LOGS",
    "WORKMAIL_PERSONAL_ACCESS_TOKEN_LOGS",
  ],
  "bedrock-agentcore": ["APPLICATION_LOGS", "USAGE_LOGS", "TRACES"],
};

export function PutDeliverySource(
  ctx: Ctx,
  v: { name: string; resourceArn: string; logType: string; tags?: Record<string, string>; deliverySourceConfiguration?: Record<string, string> },
) {
  const st = state(ctx);
  const service = /^arn:[^:]+:([^:]+):/.exec(String(v.resourceArn))?.[1];
  if (!service) throw LogsErrors.validation(`Invalid resource ARN: ${v.resourceArn}`);
  // An S3 bucket vends no logs through deliveries (recorded from AWS).
  if (service === "s3") throw LogsErrors.notFound("Cannot access provided service.");
  if (LOG_TYPES[service] && !LOG_TYPES[service].includes(v.logType))
    throw LogsErrors.validation(`Log type ${v.logType} is not supported for service ${service}. Supported log types: ${LOG_TYPES[service].join(", ")}`);
  const existing = st.deliverySources.get(v.name);
  // AWS's messages, as CloudFormation passes them on.
  if (existing && (existing.resourceArns as string[])[0] !== v.resourceArn)
    throw LogsErrors.conflict("Update to existing Delivery Source with new ResourceId is not allowed. Please create a new Delivery Source instead.");
  if (existing && existing.logType !== v.logType) throw LogsErrors.conflict("A delivery source with this name already exists for a different log type.");
  if (!existing && [...st.deliverySources.values()].some((s) => (s.resourceArns as string[])[0] === v.resourceArn && s.logType === v.logType))
    throw LogsErrors.conflict("This ResourceId has already been used in another Delivery Source in this account.");
  const s: Named = existing ?? { name: v.name, arn: arnOf(st, "delivery-source", v.name), tags: new Map(Object.entries(v.tags ?? {})) };
  Object.assign(s, { resourceArns: [v.resourceArn], service, logType: v.logType, deliverySourceConfiguration: v.deliverySourceConfiguration });
  st.deliverySources.set(v.name, s);
  st.deletedDeliverySources.delete(v.name);
  return { deliverySource: sourceOut(s) };
}

export function GetDeliverySource(ctx: Ctx, v: { name: string }) {
  const st = state(ctx);
  const s = st.deliverySources.get(String(v.name));
  // A source that was deleted is answered with a second full stop (recorded from AWS after DeleteDeliverySource).
  if (!s) throw LogsErrors.notFound(`Requested Delivery Source does not exist in this account.${st.deletedDeliverySources.has(String(v.name)) ? "." : ""}`);
  return { deliverySource: sourceOut(s) };
}

export function DescribeDeliverySources(ctx: Ctx, v: { limit?: number; nextToken?: string }) {
  const p = page(state(ctx).deliverySources.values(), v);
  return { deliverySources: p.items.map(sourceOut), nextToken: p.nextToken };
}

export function DeleteDeliverySource(ctx: Ctx, v: { name: string }) {
  const st = state(ctx);
  if (!st.deliverySources.has(String(v.name))) throw LogsErrors.notFound("Requested Delivery Source does not exist in this account.");
  if ([...st.deliveries.values()].some((d) => d.deliverySourceName === v.name)) throw LogsErrors.conflict("The delivery source is in use by a delivery.");
  st.deliverySources.delete(String(v.name));
  st.deletedDeliverySources.add(String(v.name));
  return {};
}

// ---------------------------------------------------------------- destinations

function destinationType(arn: string | undefined, given?: string): string {
  if (given) return given;
  if (!arn) return "XRAY";
  if (/^arn:[^:]+:s3:/.test(arn)) return "S3";
  if (/^arn:[^:]+:logs:/.test(arn)) return "CWL";
  if (/^arn:[^:]+:firehose:/.test(arn)) return "FH";
  throw LogsErrors.validation(`Invalid destination resource ARN: ${arn}`);
}

function destinationOut(d: Named) {
  return {
    name: d.name,
    arn: d.arn,
    deliveryDestinationType: d.deliveryDestinationType as never,
    outputFormat: d.outputFormat as never,
    deliveryDestinationConfiguration: d.deliveryDestinationConfiguration as { destinationResourceArn: string } | undefined,
    tags: tagsOut(d.tags),
  };
}

export function PutDeliveryDestination(
  ctx: Ctx,
  v: {
    name: string;
    outputFormat?: string;
    deliveryDestinationConfiguration?: { destinationResourceArn: string };
    deliveryDestinationType?: string;
    tags?: Record<string, string>;
  },
) {
  const st = state(ctx);
  const type = destinationType(v.deliveryDestinationConfiguration?.destinationResourceArn, v.deliveryDestinationType);
  if (type !== "XRAY" && !v.deliveryDestinationConfiguration)
    throw LogsErrors.validation("deliveryDestinationConfiguration is required for this destination type.");
  const existing = st.deliveryDestinations.get(v.name);
  if (existing && existing.deliveryDestinationType !== type)
    throw LogsErrors.conflict("A delivery destination with this name already exists with a different type.");
  // A destination's format is fixed once it exists (Terraform replaces the destination to change it).
  if (existing?.outputFormat !== undefined && v.outputFormat !== undefined && existing.outputFormat !== v.outputFormat)
    throw LogsErrors.validation("The outputFormat of an existing delivery destination cannot be changed.");
  const d: Named = existing ?? { name: v.name, arn: arnOf(st, "delivery-destination", v.name), tags: new Map(Object.entries(v.tags ?? {})) };
  Object.assign(d, {
    deliveryDestinationType: type,
    // Only the format asked for: GetDeliveryDestination shows none otherwise (Terraform's output_format is not computed).
    outputFormat: v.outputFormat,
    deliveryDestinationConfiguration: v.deliveryDestinationConfiguration,
  });
  st.deliveryDestinations.set(v.name, d);
  // AWS's PutDeliveryDestination answer leaves the tags out (recorded).
  return { deliveryDestination: { ...destinationOut(d), tags: undefined } };
}

function findDestination(st: LogsState, name: unknown): Named {
  const d = st.deliveryDestinations.get(String(name));
  if (!d) throw LogsErrors.notFound("Requested Delivery Destination does not exist in this account.");
  return d;
}

export function GetDeliveryDestination(ctx: Ctx, v: { name: string }) {
  return { deliveryDestination: destinationOut(findDestination(state(ctx), v.name)) };
}

export function DescribeDeliveryDestinations(ctx: Ctx, v: { limit?: number; nextToken?: string }) {
  const p = page(state(ctx).deliveryDestinations.values(), v);
  return { deliveryDestinations: p.items.map(destinationOut), nextToken: p.nextToken };
}

export function DeleteDeliveryDestination(ctx: Ctx, v: { name: string }) {
  const st = state(ctx);
  const d = findDestination(st, v.name);
  if ([...st.deliveries.values()].some((x) => x.deliveryDestinationArn === d.arn))
    throw LogsErrors.conflict("The delivery destination is in use by a delivery.");
  st.deliveryDestinations.delete(d.name);
  return {};
}

export function PutDeliveryDestinationPolicy(ctx: Ctx, v: { deliveryDestinationName: string; deliveryDestinationPolicy: string }) {
  const d = findDestination(state(ctx), v.deliveryDestinationName);
  try {
    JSON.parse(String(v.deliveryDestinationPolicy));
  } catch {
    throw LogsErrors.validation("The delivery destination policy must be valid JSON.");
  }
  d.policy = v.deliveryDestinationPolicy;
  return { policy: { deliveryDestinationPolicy: v.deliveryDestinationPolicy } };
}

export function GetDeliveryDestinationPolicy(ctx: Ctx, v: { deliveryDestinationName: string }) {
  const d = findDestination(state(ctx), v.deliveryDestinationName);
  return { policy: d.policy === undefined ? {} : { deliveryDestinationPolicy: d.policy as string } };
}

export function DeleteDeliveryDestinationPolicy(ctx: Ctx, v: { deliveryDestinationName: string }) {
  const d = findDestination(state(ctx), v.deliveryDestinationName);
  if (d.policy === undefined) throw LogsErrors.notFound("Delivery destination policy not found.");
  d.policy = undefined;
  return {};
}

// ---------------------------------------------------------------- deliveries

/**
 * What a delivery takes from its source's log type when CreateDelivery leaves it out (recorded from AWS:
 * a CloudFront ACCESS_LOGS delivery to S3 created without recordFields or s3DeliveryConfiguration).
 */
const DELIVERY_DEFAULTS: Record<string, { recordFields: string[]; suffixPath: string }> = {
  "cloudfront/ACCESS_LOGS": {
    recordFields: [
      "date",
      "time",
      "x-edge-location",
      "sc-bytes",
      "c-ip",
      "cs-method",
      "cs(Host)",
      "cs-uri-stem",
      "sc-status",
      "cs(Referer)",
      "cs(User-Agent)",
      "cs-uri-query",
      "cs(Cookie)",
      "x-edge-result-type",
      "x-edge-request-id",
      "x-host-header",
      "cs-protocol",
      "cs-bytes",
      "time-taken",
      "x-forwarded-for",
      "ssl-protocol",
      "ssl-cipher",
      "x-edge-response-result-type",
      "cs-protocol-version",
      "fle-status",
      "fle-encrypted-fields",
      "c-port",
      "time-to-first-byte",
      "x-edge-detailed-result-type",
      "sc-content-type",
      "sc-content-len",
      "sc-range-start",
      "sc-range-end",
    ],
    suffixPath: "AWSLogs/{account-id}/CloudFront/",
  },
};

function deliveryOut(d: Named) {
  return {
    id: d.name,
    arn: d.arn,
    deliverySourceName: d.deliverySourceName as string,
    deliveryDestinationArn: d.deliveryDestinationArn as string,
    deliveryDestinationType: d.deliveryDestinationType as never,
    recordFields: d.recordFields as string[] | undefined,
    fieldDelimiter: d.fieldDelimiter as string | undefined,
    s3DeliveryConfiguration: d.s3DeliveryConfiguration as never,
    tags: tagsOut(d.tags),
  };
}

export function CreateDelivery(
  ctx: Ctx,
  v: {
    deliverySourceName: string;
    deliveryDestinationArn: string;
    recordFields?: string[];
    fieldDelimiter?: string;
    s3DeliveryConfiguration?: { suffixPath?: string; enableHiveCompatiblePath?: boolean };
    tags?: Record<string, string>;
  },
) {
  const st = state(ctx);
  const source = st.deliverySources.get(String(v.deliverySourceName));
  if (!source) throw LogsErrors.notFound("Requested Delivery Source does not exist in this account.");
  const defaults = DELIVERY_DEFAULTS[`${source.service}/${source.logType}`];
  const dest = [...st.deliveryDestinations.values()].find((d) => d.arn === v.deliveryDestinationArn);
  if (!dest) throw LogsErrors.notFound("Requested Delivery Destination does not exist in this account.");
  if ([...st.deliveries.values()].some((d) => d.deliverySourceName === v.deliverySourceName && d.deliveryDestinationArn === v.deliveryDestinationArn)) {
    throw LogsErrors.conflict("A delivery already exists for this delivery source and delivery destination.");
  }
  const id = [...randomBytes(16)].map((b) => ALNUM[b % ALNUM.length]).join("");
  const d: Named = {
    name: id,
    arn: arnOf(st, "delivery", id),
    tags: new Map(Object.entries(v.tags ?? {})),
    deliverySourceName: v.deliverySourceName,
    deliveryDestinationArn: v.deliveryDestinationArn,
    deliveryDestinationType: dest.deliveryDestinationType,
    recordFields: v.recordFields ?? (defaults ? [...defaults.recordFields] : undefined),
    fieldDelimiter: v.fieldDelimiter,
    s3DeliveryConfiguration:
      dest.deliveryDestinationType === "S3"
        ? {
            suffixPath: v.s3DeliveryConfiguration?.suffixPath ?? defaults?.suffixPath,
            enableHiveCompatiblePath: v.s3DeliveryConfiguration?.enableHiveCompatiblePath ?? false,
          }
        : undefined,
  };
  st.deliveries.set(id, d);
  return { delivery: deliveryOut(d) };
}

function findDelivery(st: LogsState, id: unknown): Named {
  const d = st.deliveries.get(String(id));
  if (!d) throw LogsErrors.notFound("Requested Delivery does not exist in this account.");
  return d;
}

export function GetDelivery(ctx: Ctx, v: { id: string }) {
  return { delivery: deliveryOut(findDelivery(state(ctx), v.id)) };
}

export function DescribeDeliveries(ctx: Ctx, v: { limit?: number; nextToken?: string }) {
  const p = page(state(ctx).deliveries.values(), v);
  return { deliveries: p.items.map(deliveryOut), nextToken: p.nextToken };
}

export function DeleteDelivery(ctx: Ctx, v: { id: string }) {
  const st = state(ctx);
  findDelivery(st, v.id);
  st.deliveries.delete(String(v.id));
  return {};
}

export function UpdateDeliveryConfiguration(
  ctx: Ctx,
  v: { id: string; recordFields?: string[]; fieldDelimiter?: string; s3DeliveryConfiguration?: { suffixPath?: string; enableHiveCompatiblePath?: boolean } },
) {
  const d = findDelivery(state(ctx), v.id);
  // Checked before anything changes: a refused update leaves the delivery as it was.
  if (v.s3DeliveryConfiguration !== undefined && d.deliveryDestinationType !== "S3")
    throw LogsErrors.validation("s3DeliveryConfiguration applies to S3 destinations only.");
  if (v.recordFields !== undefined) d.recordFields = v.recordFields;
  if (v.fieldDelimiter !== undefined) d.fieldDelimiter = v.fieldDelimiter;
  if (v.s3DeliveryConfiguration !== undefined) d.s3DeliveryConfiguration = { ...(d.s3DeliveryConfiguration as object), ...v.s3DeliveryConfiguration };
  return {};
}
