/**
 * What connects a VPC to the rest: peering connections (request/accept/reject/delete, across regions of
 * the account), VPC endpoints (gateway endpoints add prefix-list routes to their route tables; interface
 * endpoints get a requester-managed ENI per subnet), AWS-managed and customer-managed prefix lists,
 * flow logs (the configuration, and the CloudWatch Logs group created for it; no records flow),
 * carrier gateways and transit gateways (stored and described).
 */
import { createHash, randomUUID } from "node:crypto";
import type { Ctx } from "../core/types.js";
import { ec2Id } from "../core/ids.js";
import { ensureGroup } from "../logs/api.js";
import type { LogsState } from "../logs/state.js";
import { applyTagSpec, cidrOverlap, dropTags, dryRun, knownRegion, list, parseCidr, required, select, st, tagList, type Input, zoneIdOf } from "./common.js";
import { Ec2Errors } from "./errors.js";
import { both, tombstones } from "./more/state.js";
import { addIpv6 } from "./ipv6.js";
import { getSubnet, getVpc, newEni, removeEni } from "./network.js";
import type { CarrierGatewayRec, Ec2State, FlowLogRec, PeeringRec, PeeringSide, PrefixListRec, TransitGatewayRec, VgwRec, VpceRec, VpcRec } from "./state.js";

const e = Ec2Errors.custom;
const hex17 = (seed: string) => createHash("sha256").update(seed).digest("hex").slice(0, 17);

// ---------------------------------------------------------------- peering

const pcxNotFound = (id: string) => e("InvalidVpcPeeringConnectionID.NotFound", `The vpcPeeringConnection ID '${id}' does not exist`);

const STATUS_MESSAGES: Record<string, (owner: string) => string> = {
  "pending-acceptance": (o) => `Pending Acceptance by ${o}`,
  active: () => "Active",
  rejected: (o) => `Rejected by ${o}`,
  deleted: (o) => `Deleted by ${o}`,
  failed: () => "Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range",
  expired: () => "Expired",
};

/** A side's VPC blocks: live from the VPC when it is in this account and region, else as recorded at the request. */
function sideBlocks(s: Ec2State, side: PeeringSide): { secondary: string[]; ipv6: string[] } {
  const vpc = side.ownerId === s.accountId && side.region === s.region ? s.vpcs.get(side.vpcId) : undefined;
  if (vpc) return { secondary: vpc.secondaryCidrs.map((x) => x.cidr), ipv6: vpc.ipv6.map((x) => x.cidr) };
  return { secondary: side.secondaryCidrs ?? [], ipv6: side.ipv6Cidrs ?? [] };
}

const recordBlocks = (vpc: VpcRec | undefined) => ({ secondaryCidrs: vpc?.secondaryCidrs.map((x) => x.cidr), ipv6Cidrs: vpc?.ipv6.map((x) => x.cidr) });

const peeringView = (s: Ec2State, p: PeeringRec) => {
  const info = (side: PeeringRec["requester"]) => {
    const blocks = sideBlocks(s, side);
    return {
      cidrBlock: side.cidr,
      // Every IPv4 block of the VPC, and its IPv6 blocks when it has any (AWS's describe-vpc-peering-connections answers).
      cidrBlockSet: [side.cidr, ...blocks.secondary].map((cidrBlock) => ({ cidrBlock })),
      ipv6CidrBlockSet: blocks.ipv6.length ? blocks.ipv6.map((ipv6CidrBlock) => ({ ipv6CidrBlock })) : undefined,
      ownerId: side.ownerId,
      vpcId: side.vpcId,
      region: side.region,
      peeringOptions: {
        allowDnsResolutionFromRemoteVpc: side.allowDns,
        allowEgressFromLocalClassicLinkToRemoteVpc: false,
        allowEgressFromLocalVpcToRemoteClassicLink: false,
      },
    };
  };
  return {
    vpcPeeringConnectionId: p.id,
    requesterVpcInfo: info(p.requester),
    // Until accepted, AWS shows the accepter's owner, VPC and region only (recorded, pending-acceptance).
    accepterVpcInfo: p.status === "active" ? info(p.accepter) : { ownerId: p.accepter.ownerId, vpcId: p.accepter.vpcId, region: p.accepter.region },
    status: { code: p.status, message: STATUS_MESSAGES[p.status]!(p.accepter.ownerId) },
    expirationTime: p.status === "pending-acceptance" ? p.expirationTime : undefined,
    tagSet: tagList(p),
  };
};

export async function CreateVpcPeeringConnection(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const vpc = getVpc(s, required(input, "VpcId"));
  const peerRegion = knownRegion(input.PeerRegion ?? s.region, "peerRegion");
  const peerOwner = input.PeerOwnerId ?? s.accountId;
  const peerState = peerRegion === s.region && peerOwner === s.accountId ? s : await ctx.stateOf<Ec2State>("ec2", peerRegion, peerOwner);
  const peerVpcId = required(input, "PeerVpcId");
  dryRun(input);
  const peer = peerState.vpcs.get(peerVpcId);
  const p: PeeringRec = {
    id: ec2Id("pcx"),
    requester: { vpcId: vpc.id, cidr: vpc.cidr, ownerId: s.accountId, region: s.region, allowDns: false, ...recordBlocks(vpc) },
    accepter: { vpcId: peerVpcId, cidr: peer?.cidr ?? "", ownerId: peerOwner, region: peerRegion, allowDns: false, ...recordBlocks(peer) },
    status: !peer || peer.id === vpc.id || cidrOverlap(peer.cidr, vpc.cidr) ? "failed" : "pending-acceptance",
    expirationTime: new Date(Date.now() + 7 * 24 * 3600 * 1000),
    tags: new Map(),
  };
  s.peerings.set(p.id, p);
  if (peerState !== s) peerState.peerings.set(p.id, p);
  applyTagSpec(s, input, "vpc-peering-connection", p.id, p);
  return { vpcPeeringConnection: { ...peeringView(s, p), status: { code: "initiating-request", message: `Initiating Request to ${peerOwner}` } } };
}

function getPeering(s: Ec2State, id: string): PeeringRec {
  const p = s.peerings.get(id);
  if (!p) throw pcxNotFound(id);
  return p;
}

function transition(p: PeeringRec, allowed: string[], to: string) {
  if (!allowed.includes(p.status)) throw e("InvalidStateTransition", `Invalid state transition for ${p.id}, attempted to transition from ${p.status} to ${to}`);
}

export function AcceptVpcPeeringConnection(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const p = getPeering(s, required(input, "VpcPeeringConnectionId"));
  if (p.accepter.region !== s.region) throw e("OperationNotPermitted", `Peering pcx ${p.id} must be accepted in region ${p.accepter.region}`);
  transition(p, ["pending-acceptance"], "active");
  dryRun(input);
  p.status = "active";
  return { vpcPeeringConnection: peeringView(s, p) };
}

export function RejectVpcPeeringConnection(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const p = getPeering(s, required(input, "VpcPeeringConnectionId"));
  // Only the accepter side decides: a cross-region request is rejected in the accepter's region.
  if (p.accepter.region !== s.region) throw e("OperationNotPermitted", `Peering pcx ${p.id} must be accepted or rejected in region ${p.accepter.region}`);
  transition(p, ["pending-acceptance"], "rejected");
  dryRun(input);
  p.status = "rejected";
  return { return: true };
}

export function DeleteVpcPeeringConnection(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const p = getPeering(s, required(input, "VpcPeeringConnectionId"));
  transition(p, ["pending-acceptance", "active", "failed"], "deleted");
  dryRun(input);
  p.status = "deleted";
  return { return: true };
}

export function DescribeVpcPeeringConnections(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const ids = list(input.VpcPeeringConnectionIds);
  for (const id of ids) getPeering(s, id);
  const r = select(
    ids.length ? ids.map((id) => s.peerings.get(id)!) : [...s.peerings.values()],
    input,
    {
      "accepter-vpc-info.cidr-block": (p) => p.accepter.cidr,
      "accepter-vpc-info.owner-id": (p) => p.accepter.ownerId,
      "accepter-vpc-info.vpc-id": (p) => p.accepter.vpcId,
      "expiration-time": (p) => p.expirationTime.toISOString(),
      "requester-vpc-info.cidr-block": (p) => p.requester.cidr,
      "requester-vpc-info.owner-id": (p) => p.requester.ownerId,
      "requester-vpc-info.vpc-id": (p) => p.requester.vpcId,
      "status-code": (p) => p.status,
      "status-message": (p) => STATUS_MESSAGES[p.status]!(p.accepter.ownerId),
      "vpc-peering-connection-id": (p) => p.id,
    },
    (p) => p.id,
    { paginate: true, min: 5, max: 1000 },
  );
  return { vpcPeeringConnectionSet: r.items.map((p) => peeringView(s, p)), nextToken: r.nextToken };
}

export function ModifyVpcPeeringConnectionOptions(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const p = getPeering(s, required(input, "VpcPeeringConnectionId"));
  if (p.status !== "active") throw e("OperationNotPermitted", `Peering connection ${p.id} is not active.`);
  dryRun(input);
  const out: Record<string, unknown> = {};
  for (const [key, side, name] of [
    ["RequesterPeeringConnectionOptions", p.requester, "requesterPeeringConnectionOptions"],
    ["AccepterPeeringConnectionOptions", p.accepter, "accepterPeeringConnectionOptions"],
  ] as const) {
    const o = input[key];
    if (!o) continue;
    if (o.AllowDnsResolutionFromRemoteVpc !== undefined) side.allowDns = o.AllowDnsResolutionFromRemoteVpc === true;
    out[name] = {
      allowDnsResolutionFromRemoteVpc: side.allowDns,
      allowEgressFromLocalClassicLinkToRemoteVpc: false,
      allowEgressFromLocalVpcToRemoteClassicLink: false,
    };
  }
  return out;
}

// ---------------------------------------------------------------- prefix lists

/** The AWS-managed prefix lists of a region (S3 and DynamoDB), created on first use. */
export function seedPrefixLists(s: Ec2State): void {
  if ([...s.prefixLists.values()].some((p) => p.ownerId === "AWS")) return;
  const ranges: Record<string, string[]> = {
    s3: ["3.5.0.0/19", "16.15.192.0/18", "52.216.0.0/15", "54.231.0.0/16"],
    dynamodb: ["3.218.180.0/22", "52.94.0.0/22", "52.119.224.0/20"],
  };
  for (const [svc, cidrs] of Object.entries(ranges)) {
    const id = `pl-${hex17(`${s.region}/${svc}`).slice(0, 8)}`;
    s.prefixLists.set(id, {
      id,
      name: `com.amazonaws.${s.region}.${svc}`,
      ownerId: "AWS",
      addressFamily: "IPv4",
      maxEntries: cidrs.length,
      version: 1,
      entries: new Map(cidrs.map((c) => [c, ""])),
      tags: new Map(),
    });
  }
}

const plView = (s: Ec2State, p: PrefixListRec) => ({
  prefixListId: p.id,
  addressFamily: p.addressFamily,
  state: p.state ?? "create-complete",
  prefixListArn: `arn:aws:ec2:${s.region}:${p.ownerId === "AWS" ? "aws" : s.accountId}:prefix-list/${p.id}`,
  prefixListName: p.name,
  maxEntries: p.ownerId === "AWS" ? undefined : p.maxEntries,
  version: p.ownerId === "AWS" ? undefined : p.version,
  ownerId: p.ownerId,
  tagSet: tagList(p),
});

export function getPrefixList(s: Ec2State, id: string): PrefixListRec {
  seedPrefixLists(s);
  const p = s.prefixLists.get(id);
  if (!p) throw e("InvalidPrefixListID.NotFound", `The prefix list ID '${id}' does not exist`);
  return p;
}

function entriesOf(input: Input[] | undefined, family: string): Array<[string, string]> {
  return (input ?? []).map((x) => {
    const cidr = String(x.Cidr);
    const v4 = !!parseCidr(cidr);
    if ((family === "IPv4") !== v4) throw Ec2Errors.invalidValue(`Invalid CIDR ${cidr} for address family ${family}`);
    return [cidr, String(x.Description ?? "")];
  });
}

export function CreateManagedPrefixList(ctx: Ctx, input: Input) {
  const s = st(ctx);
  seedPrefixLists(s);
  const family = required(input, "AddressFamily");
  if (family !== "IPv4" && family !== "IPv6") throw Ec2Errors.invalidValue(`Invalid value '${family}' for AddressFamily`);
  const entries = entriesOf(input.Entries, family);
  const max = Number(input.MaxEntries);
  if (entries.length > max) throw Ec2Errors.invalidValue(`The number of entries (${entries.length}) exceeds the maximum (${max}).`);
  dryRun(input);
  const p: PrefixListRec = {
    id: ec2Id("pl"),
    name: required(input, "PrefixListName"),
    ownerId: s.accountId,
    addressFamily: family,
    maxEntries: max,
    version: 1,
    entries: new Map(entries),
    tags: new Map(),
  };
  s.prefixLists.set(p.id, p);
  applyTagSpec(s, input, "prefix-list", p.id, p);
  return { prefixList: plView(s, p) };
}

export function ModifyManagedPrefixList(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const p = getPrefixList(s, required(input, "PrefixListId"));
  if (p.ownerId === "AWS") throw e("UnauthorizedOperation", "You are not authorized to perform this operation.");
  if (input.CurrentVersion !== undefined && input.CurrentVersion !== p.version)
    throw e("PrefixListVersionMismatch", `The prefix list has the incorrect version number.`);
  const add = entriesOf(input.AddEntries, p.addressFamily);
  const remove = list((input.RemoveEntries ?? []).map((x: Input) => x.Cidr));
  if (input.MaxEntries !== undefined && (add.length || remove.length))
    throw Ec2Errors.invalidCombination("You cannot modify the entries and the maximum entries for the prefix list in the same request.");
  for (const c of remove) if (!p.entries.has(c)) throw Ec2Errors.invalidValue(`The CIDR ${c} is not in the prefix list.`);
  const next = new Map(p.entries);
  for (const c of remove) next.delete(c);
  for (const [c, d] of add) next.set(c, d);
  const max = input.MaxEntries ?? p.maxEntries;
  if (next.size > max) throw Ec2Errors.invalidValue(`The number of entries (${next.size}) exceeds the maximum (${max}).`);
  dryRun(input);
  if (add.length || remove.length) {
    p.entries = next;
    p.version++;
  }
  p.maxEntries = max;
  if (input.PrefixListName) p.name = input.PrefixListName;
  p.state = "modify-complete";
  return { prefixList: plView(s, p) };
}

export function DeleteManagedPrefixList(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const p = getPrefixList(s, required(input, "PrefixListId"));
  if (p.ownerId === "AWS") throw e("UnauthorizedOperation", "You are not authorized to perform this operation.");
  const used =
    [...s.rtbs.values()].some((r) => r.routes.some((x) => x.destinationPrefixListId === p.id)) ||
    [...s.sgs.values()].some((g) => [...g.ingress, ...g.egress].some((r) => r.prefixListId === p.id));
  if (used) throw e("PrefixListInUse", `The prefix list ${p.id} is in use and cannot be deleted.`);
  dryRun(input);
  deletedPrefixLists(ctx, { ...p, state: "delete-complete", tags: new Map(p.tags) });
  dropTags(s, p.id, p);
  s.prefixLists.delete(p.id);
  return { prefixList: { ...plView(s, p), state: "delete-complete" } };
}

const deletedPrefixLists = (ctx: Ctx, add?: PrefixListRec & { state: string }) =>
  tombstones((both(ctx).m.deletedPrefixLists ??= new Map()), ctx.now().getTime(), add);

export function DescribeManagedPrefixLists(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  seedPrefixLists(s);
  const ids = list(input.PrefixListIds);
  const gone = deletedPrefixLists(ctx);
  for (const id of ids) if (!gone.has(id)) getPrefixList(s, id);
  const r = select(
    ids.length ? ids.map((id) => s.prefixLists.get(id) ?? gone.get(id)!) : [...s.prefixLists.values(), ...gone.values()],
    input,
    { "owner-id": (p) => p.ownerId, "prefix-list-id": (p) => p.id, "prefix-list-name": (p) => p.name },
    (p) => p.id,
    { paginate: true, min: 1, max: 100 },
  );
  return { prefixListSet: r.items.map((p) => (gone.has(p.id) ? { ...plView(s, p), state: "delete-complete" } : plView(s, p))), nextToken: r.nextToken };
}

export function GetManagedPrefixListEntries(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const p = getPrefixList(s, required(input, "PrefixListId"));
  if (input.TargetVersion !== undefined && input.TargetVersion !== p.version)
    throw e("PrefixListVersionMismatch", `The prefix list has the incorrect version number.`);
  const rows = [...p.entries].map(([cidr, description]) => ({ cidr, description: description || undefined, tags: new Map<string, string>() }));
  const r = select(rows, input, {}, (x) => x.cidr, { paginate: true, min: 1, max: 100 });
  return { entrySet: r.items.map(({ cidr, description }) => ({ cidr, description })), nextToken: r.nextToken };
}

export function DescribePrefixLists(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  seedPrefixLists(s);
  const aws = [...s.prefixLists.values()].filter((p) => p.ownerId === "AWS");
  const ids = list(input.PrefixListIds);
  for (const id of ids) if (!aws.some((p) => p.id === id)) throw e("InvalidPrefixListID.NotFound", `The prefix list ID '${id}' does not exist`);
  const r = select(
    ids.length ? aws.filter((p) => ids.includes(p.id)) : aws,
    input,
    { "prefix-list-id": (p) => p.id, "prefix-list-name": (p) => p.name },
    (p) => p.id,
    { paginate: true, min: 5, max: 1000 },
  );
  return { prefixListSet: r.items.map((p) => ({ prefixListId: p.id, prefixListName: p.name, cidrSet: [...p.entries.keys()] })), nextToken: r.nextToken };
}

// ---------------------------------------------------------------- VPC endpoints

const GATEWAY_SERVICES = ["s3", "dynamodb"];
const INTERFACE_SERVICES = [
  "s3",
  "dynamodb",
  "ec2",
  "ec2messages",
  "ecr.api",
  "ecr.dkr",
  "ecs",
  "ecs-agent",
  "ecs-telemetry",
  "elasticfilesystem",
  "kms",
  "lambda",
  "logs",
  "monitoring",
  "secretsmanager",
  "sns",
  "sqs",
  "ssm",
  "ssmmessages",
  "sts",
  "servicediscovery",
  "iam",
  // Further AWS service endpoints infrastructure code commonly creates (all published in every commercial region).
  "acm-pca",
  "application-autoscaling",
  "athena",
  "autoscaling",
  "backup",
  "batch",
  "cloudformation",
  "cloudtrail",
  "codeartifact.api",
  "codeartifact.repositories",
  "codebuild",
  "codecommit",
  "codedeploy",
  "codepipeline",
  "config",
  "datasync",
  "ebs",
  "eks",
  "elasticache",
  "elasticbeanstalk",
  "elasticloadbalancing",
  "elasticmapreduce",
  "email-smtp",
  "events",
  "execute-api",
  "git-codecommit",
  "glue",
  "kinesis-firehose",
  "kinesis-streams",
  "rds",
  "rds-data",
  "redshift",
  "redshift-data",
  "sagemaker.api",
  "sagemaker.runtime",
  "securityhub",
  "servicecatalog",
  "states",
  "storagegateway",
  "textract",
  "transfer",
  "xray",
];

function serviceTypes(region: string, name: string): string[] {
  const prefix = `com.amazonaws.${region}.`;
  if (!name.startsWith(prefix)) return [];
  const svc = name.slice(prefix.length);
  return [...(GATEWAY_SERVICES.includes(svc) ? ["Gateway"] : []), ...(INTERFACE_SERVICES.includes(svc) ? ["Interface"] : [])];
}

/**
 * The default endpoint policy, as AWS writes it: compact with a Version for gateway endpoints, and for interface
 * endpoints without a Version, pretty-printed with Python's old ", " item separator (AWS CLI's describe-vpc-endpoints
 * example; LocalStack's AWS recording of an interface endpoint has no Version either).
 */
const GATEWAY_POLICY = JSON.stringify({ Version: "2008-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] });
const INTERFACE_POLICY =
  '{\n  "Statement": [\n    {\n      "Action": "*", \n      "Effect": "Allow", \n      "Principal": "*", \n      "Resource": "*"\n    }\n  ]\n}';
const defaultPolicy = (type: string) => (type === "Interface" ? INTERFACE_POLICY : GATEWAY_POLICY);

const vpceView = (s: Ec2State, v: VpceRec) => ({
  vpcEndpointId: v.id,
  vpcEndpointType: v.type,
  vpcId: v.vpcId,
  serviceName: v.serviceName,
  state: v.state,
  policyDocument: v.policy,
  routeTableIdSet: v.routeTableIds,
  subnetIdSet: v.subnetIds,
  groupSet: v.groupIds.map((groupId) => ({ groupId, groupName: s.sgs.get(groupId)?.name })),
  ipAddressType: v.ipAddressType ?? "ipv4",
  dnsOptions:
    v.type === "Interface" || v.dnsRecordIpType || v.privateDnsOnlyForInboundResolverEndpoint !== undefined
      ? { dnsRecordIpType: v.dnsRecordIpType ?? "ipv4", privateDnsOnlyForInboundResolverEndpoint: v.privateDnsOnlyForInboundResolverEndpoint }
      : undefined,
  privateDnsEnabled: v.privateDns,
  requesterManaged: false,
  networkInterfaceIdSet: v.eniIds,
  // An interface endpoint's regional name, then one zonal name per Availability Zone of its subnets (AWS's example).
  dnsEntrySet: v.type === "Interface" ? vpceDnsEntries(s, v) : [],
  creationTimestamp: v.createTime,
  tagSet: tagList(v),
  ownerId: s.accountId,
  // The region of the endpoint service an interface endpoint connects to: always this one (no cross-region PrivateLink here).
  serviceRegion: v.type === "Interface" ? s.region : undefined,
});

/** The 8-character label after the endpoint id: lowercase letters and digits (AWS's recorded "-g5hws96k"), stable per endpoint. */
const vpceLabel = (id: string) =>
  [...createHash("sha256").update(id).digest().subarray(0, 8)].map((b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36]).join("");

function vpceDnsEntries(s: Ec2State, v: VpceRec) {
  const name = (zone?: string) =>
    `${v.id}-${vpceLabel(v.id)}${zone ? `-${zone}` : ""}.${v.serviceName.split(".").slice(3).join(".")}.${s.region}.vpce.amazonaws.com`;
  const zones = [...new Set(v.subnetIds.map((id) => s.subnets.get(id)?.az).filter((z): z is string => !!z))];
  return [undefined, ...zones].map((zone) => ({ dnsName: name(zone), hostedZoneId: "Z7HUB22UULQXV" }));
}

function vpceRoutes(s: Ec2State, v: VpceRec, add: string[], remove: string[]) {
  if (v.type !== "Gateway") return;
  const svc = v.serviceName.split(".").pop()!;
  seedPrefixLists(s);
  const pl = [...s.prefixLists.values()].find((p) => p.ownerId === "AWS" && p.name.endsWith(`.${svc}`))!;
  for (const id of remove) {
    const r = s.rtbs.get(id);
    if (r) r.routes = r.routes.filter((x) => x.gatewayId !== v.id);
  }
  for (const id of add) {
    const r = s.rtbs.get(id)!;
    r.routes.push({ destinationCidrBlock: "", destinationPrefixListId: pl.id, gatewayId: v.id, origin: "CreateRoute", state: "active" });
  }
}

function checkRouteTables(s: Ec2State, vpcId: string, ids: string[]) {
  for (const id of ids) {
    const r = s.rtbs.get(id);
    if (!r) throw Ec2Errors.notFound("RouteTable", "routeTable", [id]);
    if (r.vpcId !== vpcId) throw Ec2Errors.invalidValue(`Route table ${id} does not belong to vpc ${vpcId}`);
  }
}

function interfaceEnis(s: Ec2State, v: VpceRec, subnets: string[]) {
  for (const sid of subnets) {
    const sub = getSubnet(s, sid);
    if (v.subnetIds.some((x) => s.subnets.get(x)?.az === sub.az))
      throw Ec2Errors.invalidValue(
        `Found another VPC endpoint subnet in the availability zone of ${sid}. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.`,
      );
    const eni = newEni(s, sub, v.groupIds, `VPC Endpoint Interface ${v.id}`, undefined, "vpc_endpoint");
    eni.requesterManaged = true;
    // A dualstack or IPv6 endpoint's network interfaces get an IPv6 address too (VpcEndpointIpAddressType).
    if ((v.ipAddressType === "dualstack" || v.ipAddressType === "ipv6") && !eni.ipv6Ips.length) addIpv6(s, eni, [], 1);
    v.subnetIds.push(sid);
    v.eniIds.push(eni.id);
  }
}

/**
 * An endpoint's IpAddressType and DNS record IP type, checked as the PrivateLink guide states them: ipv4 needs every
 * subnet to have an IPv4 range, dualstack both an IPv4 and an IPv6 range, ipv6 IPv6-only subnets; DNS records of type
 * ipv4 need an ipv4 or dualstack endpoint, ipv6 an ipv6 or dualstack one, dualstack and service-defined a dualstack
 * one. PrivateDnsOnlyForInboundResolverEndpoint is for services with both gateway and interface endpoints.
 */
function endpointIpTypes(
  s: Ec2State,
  v: VpceRec,
  subnetIds: string[],
  input: Input,
): Pick<VpceRec, "ipAddressType" | "dnsRecordIpType" | "privateDnsOnlyForInboundResolverEndpoint"> {
  const subnets = subnetIds.map((id) => getSubnet(s, id));
  const ipType = String(input.IpAddressType ?? v.ipAddressType ?? (subnets.length && subnets.every((x) => x.ipv6Native) ? "ipv6" : "ipv4"));
  for (const x of subnets) {
    const v4 = !x.ipv6Native;
    const v6 = !!x.ipv6;
    if (ipType === "ipv4" && !v4)
      throw Ec2Errors.invalidCombination(`IpAddressType ipv4 requires subnets with IPv4 address ranges; subnet ${x.id} is IPv6-only.`);
    if (ipType === "dualstack" && !(v4 && v6))
      throw Ec2Errors.invalidCombination(`IpAddressType dualstack requires subnets with both IPv4 and IPv6 address ranges; subnet ${x.id} does not have both.`);
    if (ipType === "ipv6" && v4) throw Ec2Errors.invalidCombination(`IpAddressType ipv6 requires IPv6-only subnets; subnet ${x.id} is not IPv6-only.`);
  }
  const dns = input.DnsOptions as Input | undefined;
  const asked = dns?.DnsRecordIpType as string | undefined;
  const allowed: Record<string, string[]> = {
    ipv4: ["ipv4", "dualstack"],
    ipv6: ["ipv6", "dualstack"],
    dualstack: ["dualstack"],
    "service-defined": ["dualstack"],
  };
  // Unasked, an interface endpoint keeps its records while they fit its IP address type, else gets records of that type.
  const kept = v.dnsRecordIpType && allowed[v.dnsRecordIpType]?.includes(ipType) ? v.dnsRecordIpType : undefined;
  const record = asked ?? kept ?? (v.type === "Interface" ? ipType : undefined);
  if (record && !allowed[record]?.includes(ipType))
    throw Ec2Errors.invalidCombination(
      `DnsRecordIpType ${record} requires IpAddressType ${allowed[record]?.join(" or ")}; the endpoint's IpAddressType is ${ipType}.`,
    );
  const inbound = dns?.PrivateDnsOnlyForInboundResolverEndpoint as boolean | undefined;
  if (inbound !== undefined && (v.type !== "Interface" || serviceTypes(s.region, v.serviceName).length < 2))
    throw Ec2Errors.invalidCombination(
      "PrivateDnsOnlyForInboundResolverEndpoint is available only for interface endpoints of services that support both gateway and interface endpoints.",
    );
  return {
    ipAddressType: ipType,
    dnsRecordIpType: record,
    privateDnsOnlyForInboundResolverEndpoint: inbound ?? v.privateDnsOnlyForInboundResolverEndpoint,
  };
}

export function CreateVpcEndpoint(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const vpc = getVpc(s, required(input, "VpcId"));
  const serviceName = required(input, "ServiceName");
  const type = String(input.VpcEndpointType ?? "Gateway");
  const types = serviceTypes(s.region, serviceName);
  if (!types.length) throw e("InvalidServiceName", `The Vpc Endpoint Service '${serviceName}' does not exist`);
  if (!types.includes(type)) throw Ec2Errors.invalidValue(`The Vpc Endpoint Service '${serviceName}' does not support endpoint type ${type}.`);
  const rtbs = list(input.RouteTableIds);
  checkRouteTables(s, vpc.id, rtbs);
  const groups = list(input.SecurityGroupIds);
  for (const g of groups) if (!s.sgs.has(g)) throw Ec2Errors.groupNotFound(g);
  // An interface endpoint may start without subnets and get them later (ModifyVpcEndpoint AddSubnetIds): Terraform's
  // aws_vpc_endpoint_subnet_association acceptance tests create it so.
  const ipTypes = endpointIpTypes(s, { type, serviceName } as VpceRec, type === "Interface" ? list(input.SubnetIds) : [], input);
  dryRun(input);
  const def = [...s.sgs.values()].find((g) => g.vpcId === vpc.id && g.name === "default");
  const v: VpceRec = {
    id: ec2Id("vpce"),
    type,
    vpcId: vpc.id,
    serviceName,
    state: type === "Gateway" ? "available" : "pending",
    policy: input.PolicyDocument ?? defaultPolicy(type),
    routeTableIds: type === "Gateway" ? rtbs : [],
    subnetIds: [],
    groupIds: type === "Interface" ? (groups.length ? groups : def ? [def.id] : []) : [],
    eniIds: [],
    privateDns: type === "Interface" ? input.PrivateDnsEnabled !== false : false,
    createTime: ctx.now(),
    tags: new Map(),
    ...ipTypes,
  };
  if (type === "Interface") interfaceEnis(s, v, list(input.SubnetIds));
  vpceRoutes(s, v, v.routeTableIds, []);
  s.vpces.set(v.id, v);
  applyTagSpec(s, input, "vpc-endpoint", v.id, v);
  const view = vpceView(s, v);
  if (type === "Interface") v.state = "available";
  return { vpcEndpoint: view, clientToken: input.ClientToken };
}

function getVpce(s: Ec2State, id: string): VpceRec {
  const v = s.vpces.get(id);
  if (!v) throw e("InvalidVpcEndpointId.NotFound", `The VpcEndpoint Id '${id}' does not exist`);
  return v;
}

export function ModifyVpcEndpoint(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const v = getVpce(s, required(input, "VpcEndpointId"));
  const addRt = list(input.AddRouteTableIds);
  const rmRt = list(input.RemoveRouteTableIds);
  checkRouteTables(s, v.vpcId, addRt);
  for (const g of list(input.AddSecurityGroupIds)) if (!s.sgs.has(g)) throw Ec2Errors.groupNotFound(g);
  const rmSubnets = list(input.RemoveSubnetIds);
  const subnetsAfter = v.type === "Interface" ? [...v.subnetIds.filter((x) => !rmSubnets.includes(x)), ...list(input.AddSubnetIds)] : [];
  const ipTypes = endpointIpTypes(s, v, subnetsAfter, input);
  dryRun(input);
  Object.assign(v, ipTypes);
  vpceRoutes(
    s,
    v,
    addRt.filter((x) => !v.routeTableIds.includes(x)),
    rmRt,
  );
  v.routeTableIds = [...v.routeTableIds.filter((x) => !rmRt.includes(x)), ...addRt.filter((x) => !v.routeTableIds.includes(x))];
  v.groupIds = [...v.groupIds.filter((g) => !list(input.RemoveSecurityGroupIds).includes(g)), ...list(input.AddSecurityGroupIds)];
  for (const sid of list(input.RemoveSubnetIds)) {
    const i = v.subnetIds.indexOf(sid);
    if (i < 0) continue;
    const eni = s.enis.get(v.eniIds[i]!);
    if (eni) removeEni(s, eni);
    v.subnetIds.splice(i, 1);
    v.eniIds.splice(i, 1);
  }
  if (v.type === "Interface") interfaceEnis(s, v, list(input.AddSubnetIds));
  for (const id of v.eniIds) {
    const eni = s.enis.get(id);
    if (eni) eni.groups = [...v.groupIds];
  }
  if (input.ResetPolicy === true) v.policy = defaultPolicy(v.type);
  else if (input.PolicyDocument !== undefined) v.policy = input.PolicyDocument;
  if (input.PrivateDnsEnabled !== undefined && v.type === "Interface") v.privateDns = input.PrivateDnsEnabled === true;
  if (v.ipAddressType === "dualstack" || v.ipAddressType === "ipv6")
    for (const id of v.eniIds) {
      const eni = s.enis.get(id);
      if (eni && !eni.ipv6Ips.length) addIpv6(s, eni, [], 1);
    }
  return { return: true };
}

export function DeleteVpcEndpoints(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const unsuccessful: unknown[] = [];
  for (const id of list(input.VpcEndpointIds)) {
    const v = s.vpces.get(id);
    if (!v) {
      unsuccessful.push({ resourceId: id, error: { code: "InvalidVpcEndpoint.NotFound", message: `The Vpc Endpoint Id '${id}' does not exist` } });
      continue;
    }
    vpceRoutes(s, v, [], v.routeTableIds);
    for (const eid of v.eniIds) {
      const eni = s.enis.get(eid);
      if (eni) removeEni(s, eni);
    }
    dropTags(s, id, v);
    s.vpces.delete(id);
  }
  return { unsuccessful };
}

export function DescribeVpcEndpoints(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const ids = list(input.VpcEndpointIds);
  for (const id of ids) getVpce(s, id);
  const r = select(
    ids.length ? ids.map((id) => s.vpces.get(id)!) : [...s.vpces.values()],
    input,
    {
      "ip-address-type": (v) => v.ipAddressType ?? "ipv4",
      "service-name": (v) => v.serviceName,
      "vpc-id": (v) => v.vpcId,
      "vpc-endpoint-id": (v) => v.id,
      "vpc-endpoint-state": (v) => v.state,
      "vpc-endpoint-type": (v) => v.type,
      "service-region": () => s.region,
    },
    (v) => v.id,
    { paginate: true, min: 5, max: 1000, clampMax: true },
  );
  return { vpcEndpointSet: r.items.map((v) => vpceView(s, v)), nextToken: r.nextToken };
}

export function DescribeVpcEndpointServices(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const names = [...new Set([...GATEWAY_SERVICES, ...INTERFACE_SERVICES])].map((x) => `com.amazonaws.${s.region}.${x}`).sort();
  const wanted = list(input.ServiceNames);
  for (const n of wanted) if (!names.includes(n)) throw e("InvalidServiceName", `The Vpc Endpoint Service '${n}' does not exist`);
  // A service with both endpoint types (S3, DynamoDB) is two services to AWS: one Gateway entry whose DNS name is the
  // service's own, one Interface entry under vpce.amazonaws.com, and its name twice in ServiceNames (AWS CLI example,
  // and the S3 listing in terraform-aws-modules/terraform-aws-vpc#579).
  const rows = (wanted.length ? wanted : names).flatMap((name) =>
    serviceTypes(s.region, name).map((type) => ({ name, type, tags: new Map<string, string>() })),
  );
  const r = select(
    rows,
    input,
    {
      "service-name": (x) => x.name,
      "service-type": (x) => x.type,
      owner: () => "amazon",
      "supported-ip-address-types": () => "ipv4",
      "service-region": () => s.region,
    },
    (x) => `${x.name} ${x.type}`,
    { paginate: true, min: 5, max: 1000, clampMax: true },
  );
  const zones = ["a", "b", "c"].map((l) => `${s.region}${l}`);
  const zoneIds = zones.map((z) => zoneIdOf(s.region, z) ?? z);
  return {
    serviceNameSet: r.items.map((x) => x.name),
    serviceDetailSet: r.items.map((x) => {
      const svc = x.name.split(".").slice(3).join(".");
      const both = serviceTypes(s.region, x.name).length > 1;
      return {
        serviceName: x.name,
        serviceId: `vpce-svc-${hex17(x.type === "Gateway" ? `${x.name} Gateway` : x.name)}`,
        serviceType: [{ serviceType: x.type }],
        // The Region hosting it (Terraform's aws_vpc_endpoint_service builds the service's ARN from it) and the zone ids.
        serviceRegion: s.region,
        availabilityZoneIdSet: zoneIds,
        availabilityZoneSet: zones,
        owner: "amazon",
        baseEndpointDnsNameSet: [x.type === "Gateway" ? `${svc}.${s.region}.amazonaws.com` : `${svc}.${s.region}.vpce.amazonaws.com`],
        // The S3 interface service shows no private DNS name in AWS's example; other interface services do.
        privateDnsName: x.type === "Interface" && !both ? `${svc}.${s.region}.amazonaws.com` : undefined,
        vpcEndpointPolicySupported: true,
        acceptanceRequired: false,
        managesVpcEndpoints: false,
        supportedIpAddressTypeSet: ["ipv4"],
        tagSet: [],
      };
    }),
    nextToken: r.nextToken,
  };
}

// ---------------------------------------------------------------- flow logs

const flowView = (f: FlowLogRec) => ({
  creationTime: f.createTime,
  deliverLogsPermissionArn: f.roleArn,
  deliverLogsStatus: "SUCCESS",
  flowLogId: f.id,
  flowLogStatus: "ACTIVE",
  logGroupName: f.destinationType === "cloud-watch-logs" ? f.logGroupName : undefined,
  destinationOptions: f.destinationOptions,
  resourceId: f.resourceId,
  trafficType: f.trafficType,
  logDestinationType: f.destinationType,
  logDestination: f.destination,
  logFormat: f.logFormat,
  maxAggregationInterval: f.maxAggregationInterval,
  tagSet: tagList(f),
});

const DEFAULT_FORMAT =
  "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}";

export async function CreateFlowLogs(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const type = String(input.ResourceType);
  const destinationType = String(input.LogDestinationType ?? "cloud-watch-logs");
  const ids = list(input.ResourceIds);
  if (!ids.length) throw Ec2Errors.missing("ResourceIds");
  let logGroupName: string | undefined = input.LogGroupName;
  let destination: string | undefined = input.LogDestination;
  // AWS's checks and messages, in its order (recorded from AWS).
  if (logGroupName && destination) throw e("InvalidParameter", "Please only provide LogGroupName or only provide LogDestination.");
  if (!logGroupName && !destination) throw e("InvalidParameter", "LogDestination can't be empty if LogGroupName is not provided.");
  if (logGroupName && destinationType !== "cloud-watch-logs")
    throw e("InvalidParameter", "LogDestination type must be cloud-watch-logs if LogGroupName is provided.");
  if (destinationType === "cloud-watch-logs") {
    if (destination) logGroupName = destination.replace(/^arn:aws[^:]*:logs:[^:]*:[^:]*:log-group:/, "").replace(/:\*$/, "");
    if (!input.DeliverLogsPermissionArn) throw e("InvalidParameter", "DeliverLogsPermissionArn can't be empty if LogDestinationType is cloud-watch-logs.");
    destination = `arn:aws:logs:${s.region}:${s.accountId}:log-group:${logGroupName}`;
  }
  // An S3 destination reports its default file options; a missing bucket fails each resource, not the request.
  const s3Bucket = destinationType === "s3" ? /^arn:[^:]+:s3:::([^/]+)/.exec(destination!)?.[1] : undefined;
  const destinationOptions =
    destinationType === "s3"
      ? {
          fileFormat: input.DestinationOptions?.FileFormat ?? "plain-text",
          hiveCompatiblePartitions: input.DestinationOptions?.HiveCompatiblePartitions ?? false,
          perHourPartition: input.DestinationOptions?.PerHourPartition ?? false,
        }
      : undefined;
  const bucketMissing = s3Bucket !== undefined && !(await ctx.stateOf<{ buckets: Map<string, unknown> }>("s3")).buckets.has(s3Bucket);
  if (input.MaxAggregationInterval !== undefined && ![60, 600].includes(input.MaxAggregationInterval))
    throw e("InvalidParameter", "Invalid Flow Log Max Aggregation Interval.");
  dryRun(input);
  const maps: Record<string, Map<string, unknown>> = { VPC: s.vpcs, Subnet: s.subnets, NetworkInterface: s.enis, TransitGateway: s.tgws };
  const flowLogIds: string[] = [];
  const unsuccessful: unknown[] = [];
  for (const id of ids) {
    if (!maps[type]?.has(id)) {
      unsuccessful.push({ resourceId: id, error: { code: `Invalid${type === "VPC" ? "Vpc" : type}ID.NotFound`, message: `${type} ${id} does not exist` } });
      continue;
    }
    if (bucketMissing) {
      unsuccessful.push({ resourceId: id, error: { code: "400", message: `LogDestination: ${s3Bucket} does not exist` } });
      continue;
    }
    const dup = [...s.flowLogs.values()].find((f) => f.resourceId === id && f.destination === destination && f.trafficType === (input.TrafficType ?? "ALL"));
    if (dup) {
      unsuccessful.push({
        resourceId: id,
        error: { code: "FlowLogAlreadyExists", message: "Error. There is an existing Flow Log with the same configuration and log destination." },
      });
      continue;
    }
    const f: FlowLogRec = {
      id: ec2Id("fl"),
      resourceId: id,
      trafficType: String(input.TrafficType ?? "ALL"),
      destinationType,
      destination: destination!,
      logGroupName,
      roleArn: input.DeliverLogsPermissionArn,
      destinationOptions,
      logFormat: input.LogFormat ?? DEFAULT_FORMAT,
      maxAggregationInterval: input.MaxAggregationInterval ?? 600,
      createTime: ctx.now(),
      tags: new Map(),
    };
    s.flowLogs.set(f.id, f);
    applyTagSpec(s, input, "vpc-flow-log", f.id, f);
    flowLogIds.push(f.id);
  }
  if (flowLogIds.length && destinationType === "cloud-watch-logs" && logGroupName) ensureGroup(await ctx.stateOf<LogsState>("logs"), logGroupName);
  // AWS answers with a client token even when none was sent (recorded).
  return { clientToken: input.ClientToken ?? randomUUID(), flowLogIdSet: flowLogIds, unsuccessful };
}

export function DeleteFlowLogs(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const ids = list(input.FlowLogIds);
  // Each missing id is an unsuccessful item carrying AWS's one message for all of them.
  const missing = ids.filter((id) => !s.flowLogs.has(id));
  const message = `These flow log ids in the input list are not found: [TotalCount: ${missing.length}] ${missing.join(" ")}`;
  for (const id of ids) {
    const f = s.flowLogs.get(id);
    if (!f) continue;
    dropTags(s, id, f);
    s.flowLogs.delete(id);
  }
  return { unsuccessful: missing.map((id) => ({ resourceId: id, error: { code: "InvalidFlowLogId.NotFound", message } })) };
}

export function DescribeFlowLogs(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const ids = list(input.FlowLogIds);
  const r = select(
    [...s.flowLogs.values()].filter((f) => !ids.length || ids.includes(f.id)),
    input,
    {
      "deliver-log-status": () => "SUCCESS",
      "log-destination-type": (f) => f.destinationType,
      "flow-log-id": (f) => f.id,
      "log-group-name": (f) => f.logGroupName,
      "resource-id": (f) => f.resourceId,
      "traffic-type": (f) => f.trafficType,
    },
    (f) => f.id,
    { paginate: true, min: 1, max: 1000 },
  );
  return { flowLogSet: r.items.map(flowView), nextToken: r.nextToken };
}

// ---------------------------------------------------------------- carrier and transit gateways

const cagwView = (s: Ec2State, g: CarrierGatewayRec) => ({ carrierGatewayId: g.id, vpcId: g.vpcId, state: g.state, ownerId: s.accountId, tagSet: tagList(g) });

export function CreateCarrierGateway(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const v = getVpc(s, required(input, "VpcId"));
  dryRun(input);
  const g: CarrierGatewayRec = { id: ec2Id("cagw"), vpcId: v.id, state: "available", tags: new Map() };
  s.cagws.set(g.id, g);
  applyTagSpec(s, input, "carrier-gateway", g.id, g);
  return { carrierGateway: cagwView(s, g) };
}

export function DeleteCarrierGateway(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const id = required(input, "CarrierGatewayId");
  const g = s.cagws.get(id);
  if (!g) throw e("InvalidCarrierGatewayID.NotFound", `The CarrierGateway ID '${id}' does not exist`);
  dryRun(input);
  dropTags(s, id, g);
  s.cagws.delete(id);
  return { carrierGateway: { ...cagwView(s, g), state: "deleted" } };
}

export function DescribeCarrierGateways(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const ids = list(input.CarrierGatewayIds);
  for (const id of ids) if (!s.cagws.has(id)) throw e("InvalidCarrierGatewayID.NotFound", `The CarrierGateway ID '${id}' does not exist`);
  const r = select(
    ids.length ? ids.map((id) => s.cagws.get(id)!) : [...s.cagws.values()],
    input,
    { "carrier-gateway-id": (g) => g.id, state: (g) => g.state, "owner-id": () => s.accountId, "vpc-id": (g) => g.vpcId },
    (g) => g.id,
    { paginate: true, min: 5, max: 1000 },
  );
  return { carrierGatewaySet: r.items.map((g) => cagwView(s, g)), nextToken: r.nextToken };
}

/** Options.EncryptionSupport: "disabled" until ModifyTransitGateway enables VPC encryption control support. */
export const tgwEncryptionState = (g: TransitGatewayRec) => (g.options.EncryptionSupport === "enable" ? "enabled" : "disabled");

const tgwView = (s: Ec2State, g: TransitGatewayRec) => ({
  transitGatewayId: g.id,
  transitGatewayArn: `arn:aws:ec2:${s.region}:${s.accountId}:transit-gateway/${g.id}`,
  state: g.state,
  ownerId: s.accountId,
  description: g.description,
  creationTime: g.createTime,
  options: {
    amazonSideAsn: g.asn,
    autoAcceptSharedAttachments: g.options.AutoAcceptSharedAttachments ?? "disable",
    defaultRouteTableAssociation: g.options.DefaultRouteTableAssociation ?? "enable",
    associationDefaultRouteTableId: g.routeTableId,
    defaultRouteTablePropagation: g.options.DefaultRouteTablePropagation ?? "enable",
    propagationDefaultRouteTableId: g.routeTableId,
    vpnEcmpSupport: g.options.VpnEcmpSupport ?? "enable",
    dnsSupport: g.options.DnsSupport ?? "enable",
    securityGroupReferencingSupport: g.options.SecurityGroupReferencingSupport ?? "disable",
    multicastSupport: g.options.MulticastSupport ?? "disable",
    transitGatewayCidrBlocks: g.options.TransitGatewayCidrBlocks,
    encryptionSupport: { encryptionState: tgwEncryptionState(g) },
  },
  tagSet: tagList(g),
});

export function CreateTransitGateway(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const options = (input.Options ?? {}) as Input;
  const asn = options.AmazonSideAsn ?? 64512;
  if (!((asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294))) throw Ec2Errors.invalidValue(`Invalid value '${asn}' for AmazonSideAsn.`);
  dryRun(input);
  const g: TransitGatewayRec = {
    id: ec2Id("tgw"),
    description: input.Description,
    asn,
    options,
    routeTableId: ec2Id("tgw-rtb"),
    state: "available",
    createTime: ctx.now(),
    tags: new Map(),
  };
  s.tgws.set(g.id, g);
  applyTagSpec(s, input, "transit-gateway", g.id, g);
  return { transitGateway: { ...tgwView(s, g), state: "pending" } };
}

export function DeleteTransitGateway(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const id = required(input, "TransitGatewayId");
  const g = s.tgws.get(id);
  if (!g) throw e("InvalidTransitGatewayID.NotFound", `Transit Gateway ${id} was deleted or does not exist.`);
  dryRun(input);
  deletedTgws(ctx, { ...g, tags: new Map(g.tags) });
  dropTags(s, id, g);
  s.tgws.delete(id);
  return { transitGateway: { ...tgwView(s, g), state: "deleting" } };
}

const deletedTgws = (ctx: Ctx, add?: TransitGatewayRec) => tombstones((both(ctx).m.deletedTgws ??= new Map()), ctx.now().getTime(), add);

export function DescribeTransitGateways(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const ids = list(input.TransitGatewayIds);
  const gone = deletedTgws(ctx);
  for (const id of ids)
    if (!s.tgws.has(id) && !gone.has(id)) throw e("InvalidTransitGatewayID.NotFound", `Transit Gateway ${id} was deleted or does not exist.`);
  const r = select(
    ids.length ? ids.map((id) => s.tgws.get(id) ?? gone.get(id)!) : [...s.tgws.values(), ...gone.values()],
    input,
    {
      "options.amazon-side-asn": (g) => g.asn,
      "options.propagation-default-route-table-id": (g) => tgwView(s, g).options.propagationDefaultRouteTableId,
      "options.association-default-route-table-id": (g) => tgwView(s, g).options.associationDefaultRouteTableId,
      "options.auto-accept-shared-attachments": (g) => tgwView(s, g).options.autoAcceptSharedAttachments,
      "options.default-route-table-association": (g) => tgwView(s, g).options.defaultRouteTableAssociation,
      "options.default-route-table-propagation": (g) => tgwView(s, g).options.defaultRouteTablePropagation,
      "options.dns-support": (g) => tgwView(s, g).options.dnsSupport,
      "options.vpn-ecmp-support": (g) => tgwView(s, g).options.vpnEcmpSupport,
      "owner-id": () => s.accountId,
      state: (g) => g.state,
      "transit-gateway-id": (g) => g.id,
    },
    (g) => g.id,
    { paginate: true, min: 5, max: 1000 },
  );
  return { transitGatewaySet: r.items.map((g) => tgwView(s, g)), nextToken: r.nextToken };
}

// ---------------------------------------------------------------- virtual private gateways and route propagation

const vgwNotFound = (id: string) => e("InvalidVpnGatewayID.NotFound", `The vpnGateway ID '${id}' does not exist`);

/** A gateway remembers the VPC it was last detached from: AWS keeps listing that attachment as "detached". */
type Vgw = VgwRec & { detachedFrom?: string };
const attachmentOf = (g: Vgw) => (g.vpcId ? { vpcId: g.vpcId, state: "attached" } : g.detachedFrom ? { vpcId: g.detachedFrom, state: "detached" } : undefined);
const deletedVgws = (ctx: Ctx, add?: VgwRec) => tombstones((both(ctx).m.deletedVgws ??= new Map()), ctx.now().getTime(), add);

const vgwView = (g: Vgw) => ({
  vpnGatewayId: g.id,
  state: g.state,
  type: "ipsec.1",
  availabilityZone: undefined,
  attachments: attachmentOf(g) ? [attachmentOf(g)] : [],
  amazonSideAsn: g.asn,
  tagSet: tagList(g),
});

function getVgw(s: Ec2State, id: string): VgwRec {
  const g = s.vgws.get(id);
  if (!g || g.state === "deleted") throw vgwNotFound(id);
  return g;
}

export function CreateVpnGateway(ctx: Ctx, input: Input) {
  const s = st(ctx);
  if (input.Type !== "ipsec.1") throw Ec2Errors.invalidValue(`Invalid value '${input.Type}' for type.`);
  const asn = input.AmazonSideAsn ?? 64512;
  dryRun(input);
  const g: VgwRec = { id: ec2Id("vgw"), asn, state: "available", tags: new Map() };
  s.vgws.set(g.id, g);
  applyTagSpec(s, input, "vpn-gateway", g.id, g);
  // No tag set in the answer when no tags were given (recorded).
  return { vpnGateway: { ...vgwView(g), tagSet: g.tags.size ? tagList(g) : undefined } };
}

export function AttachVpnGateway(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const g = getVgw(s, required(input, "VpnGatewayId"));
  const v = getVpc(s, required(input, "VpcId"));
  if (g.vpcId) throw e("VpnGatewayAttachmentLimitExceeded", `The VPN gateway ${g.id} is already attached to a VPC.`);
  if ([...s.vgws.values()].some((x) => x.vpcId === v.id)) throw e("VpnGatewayLimitExceeded", `The VPC ${v.id} already has a VPN gateway attached.`);
  dryRun(input);
  g.vpcId = v.id;
  (g as Vgw).detachedFrom = undefined;
  return { attachment: { vpcId: v.id, state: "attaching" } };
}

export function DetachVpnGateway(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const g = getVgw(s, required(input, "VpnGatewayId"));
  const vpcId = required(input, "VpcId");
  if (g.vpcId !== vpcId) throw e("InvalidVpnGatewayAttachment.NotFound", `The attachment with vpn gateway ID '${g.id}' and vpc ID '${vpcId}' does not exist`);
  dryRun(input);
  g.vpcId = undefined;
  (g as Vgw).detachedFrom = vpcId;
  for (const r of s.rtbs.values()) r.propagatingVgws?.delete(g.id);
  return { return: true };
}

export function DeleteVpnGateway(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const g = getVgw(s, required(input, "VpnGatewayId"));
  if (g.vpcId) throw e("IncorrectState", `The VPN gateway ${g.id} is attached to ${g.vpcId}; detach it first.`);
  dryRun(input);
  deletedVgws(ctx, { ...g, tags: new Map(g.tags) });
  dropTags(s, g.id, g);
  s.vgws.delete(g.id);
  return { return: true };
}

export function DescribeVpnGateways(ctx: Ctx, input: Input) {
  dryRun(input);
  const s = st(ctx);
  const ids = list(input.VpnGatewayIds);
  const gone = deletedVgws(ctx);
  for (const id of ids) if (!gone.has(id)) getVgw(s, id);
  const r = select(
    (ids.length ? ids.map((id) => s.vgws.get(id) ?? gone.get(id)!) : [...s.vgws.values(), ...gone.values()]) as Vgw[],
    input,
    {
      "amazon-side-asn": (g) => g.asn,
      "attachment.state": (g) => attachmentOf(g)?.state,
      "attachment.vpc-id": (g) => attachmentOf(g)?.vpcId,
      state: (g) => g.state,
      type: () => "ipsec.1",
      "vpn-gateway-id": (g) => g.id,
      // Virtual private gateways are regional: no zone is shown, so the filter matches none.
      "availability-zone": () => undefined,
    },
    (g) => g.id,
  );
  return { vpnGatewaySet: r.items.map(vgwView) };
}

function propagation(ctx: Ctx, input: Input, on: boolean) {
  const s = st(ctx);
  const rtb = s.rtbs.get(required(input, "RouteTableId"));
  if (!rtb) throw Ec2Errors.notFound("RouteTable", "routeTable", [String(input.RouteTableId)]);
  const g = getVgw(s, required(input, "GatewayId"));
  if (on && g.vpcId !== rtb.vpcId) throw e("Gateway.NotAttached", `resource ${g.id} is not attached to network ${rtb.vpcId}`);
  dryRun(input);
  rtb.propagatingVgws ??= new Set();
  if (on) rtb.propagatingVgws.add(g.id);
  else rtb.propagatingVgws.delete(g.id);
  return { return: true };
}

export const EnableVgwRoutePropagation = (ctx: Ctx, input: Input) => propagation(ctx, input, true);
export const DisableVgwRoutePropagation = (ctx: Ctx, input: Input) => propagation(ctx, input, false);
