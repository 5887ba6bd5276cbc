/**
 * Longer resource ID settings: every resource type uses long (17-character) IDs since the opt-in period
 * ended; settings are still kept per principal (the caller for Describe/ModifyIdFormat, any IAM user,
 * role or root for the Identity variants), per region, as AWS stores them. Ids awsim issues are always long.
 */
import type { Ctx } from "../../core/types.js";
import { paginate } from "../../core/paginate.js";
import { dryRun, int, list, required, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { xst } from "./state.js";

export const ID_RESOURCES = [
  "bundle",
  "conversion-task",
  "customer-gateway",
  "dhcp-options",
  "elastic-ip-allocation",
  "elastic-ip-association",
  "export-task",
  "flow-log",
  "image",
  "import-task",
  "instance",
  "internet-gateway",
  "network-acl",
  "network-acl-association",
  "network-interface",
  "network-interface-attachment",
  "prefix-list",
  "reservation",
  "route-table",
  "route-table-association",
  "security-group",
  "snapshot",
  "subnet",
  "subnet-cidr-block-association",
  "volume",
  "vpc",
  "vpc-cidr-block-association",
  "vpc-endpoint",
  "vpc-peering-connection",
  "vpn-connection",
  "vpn-gateway",
];

const rootArn = (ctx: Ctx) => `arn:aws:iam::${ctx.accountId}:root`;
const callerArn = (ctx: Ctx) => (ctx.caller && ctx.caller.kind !== "root" ? ctx.caller.arn : rootArn(ctx));

function resources(v: unknown, allowAll = false): string[] {
  const names = list(v);
  for (const r of names)
    if (!ID_RESOURCES.includes(r) && !(allowAll && r === "all-current"))
      throw Ec2Errors.invalidValue(`Invalid value '${r}' for resource. Valid values: ${ID_RESOURCES.join(", ")}`);
  if (names.includes("all-current")) return ID_RESOURCES;
  return names.length ? names : ID_RESOURCES;
}

function statuses(ctx: Ctx, principal: string, names: string[]) {
  const x = xst(ctx);
  const own = x.idFormats.get(principal);
  const root = x.idFormats.get(rootArn(ctx));
  return names.map((resource) => ({ Resource: resource, UseLongIds: own?.get(resource) ?? root?.get(resource) ?? true }));
}

function principal(ctx: Ctx, arn: string): string {
  if (arn === "all") return arn;
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):(root|user\/.+|role\/.+)$/.exec(arn);
  if (!m) throw Ec2Errors.invalidValue(`Invalid value '${arn}' for principalArn. Specify the ARN of an IAM user, IAM role or the root user.`);
  if (m[1] !== ctx.accountId) throw Ec2Errors.custom("AuthFailure", `Not authorized for principal ${arn}`);
  return arn;
}

function setFormat(ctx: Ctx, arn: string, names: string[], longIds: boolean) {
  const x = xst(ctx);
  let m = x.idFormats.get(arn);
  if (!m) x.idFormats.set(arn, (m = new Map()));
  for (const r of names) m.set(r, longIds);
}

export function DescribeIdFormat(ctx: Ctx, input: Input) {
  return { statusSet: statuses(ctx, callerArn(ctx), resources(input.Resource)) };
}

export function ModifyIdFormat(ctx: Ctx, input: Input) {
  const names = resources(required(input, "Resource"), true);
  if (typeof input.UseLongIds !== "boolean") throw Ec2Errors.missing("UseLongIds");
  setFormat(ctx, callerArn(ctx), names, input.UseLongIds);
  return {};
}

export function DescribeIdentityIdFormat(ctx: Ctx, input: Input) {
  const arn = principal(ctx, required(input, "PrincipalArn"));
  return { statusSet: statuses(ctx, arn, resources(input.Resource)) };
}

export function ModifyIdentityIdFormat(ctx: Ctx, input: Input) {
  const arn = principal(ctx, required(input, "PrincipalArn"));
  const names = resources(required(input, "Resource"), true);
  if (typeof input.UseLongIds !== "boolean") throw Ec2Errors.missing("UseLongIds");
  if (arn === "all") for (const p of [rootArn(ctx), ...xst(ctx).idFormats.keys()]) setFormat(ctx, p, names, input.UseLongIds);
  else setFormat(ctx, arn, names, input.UseLongIds);
  return {};
}

export function DescribePrincipalIdFormat(ctx: Ctx, input: Input) {
  dryRun(input);
  const names = resources(input.Resources);
  const arns = [rootArn(ctx), ...[...xst(ctx).idFormats.keys()].filter((a) => a !== rootArn(ctx))];
  const max = int(input.MaxResults, "MaxResults");
  if (max !== undefined && (max < 1 || max > 1000))
    throw Ec2Errors.invalidValue(`Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between 1 and 1000.`);
  const page = paginate(
    arns.map((Arn) => ({ Arn, Statuses: statuses(ctx, Arn, names) })),
    { maxResults: max, nextToken: input.NextToken, defaultMax: 1000, key: (p) => p.Arn, invalidToken: () => Ec2Errors.invalidToken(input.NextToken) },
  );
  return { principalSet: page.items, nextToken: page.nextToken };
}

export function DescribeAggregateIdFormat(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = statuses(ctx, rootArn(ctx), ID_RESOURCES);
  return { useLongIdsAggregated: s.every((x) => x.UseLongIds), statusSet: s };
}
