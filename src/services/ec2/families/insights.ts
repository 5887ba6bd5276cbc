/**
 * Reachability Analyzer (Network Insights paths and analyses). An analysis is computed when it starts, from
 * the configuration (no packets): between instances and network interfaces of one VPC (security group egress
 * of the source, network ACLs when the path leaves or enters a subnet, security group ingress of the
 * destination), from an instance or interface out through an internet gateway (route table route to the
 * gateway, gateway attached, ACL and security group egress) and from an internet gateway in (public address,
 * route back to the gateway, ACL and security group ingress). Paths across VPCs are reported as not found.
 */
import type { Ctx } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { applyTagSpec, cidrContains, dropTags, dryRun, list, select, tagsOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import type { Ec2State, EniRec, Rule } from "../state.js";
import { fam, type FamState, type InsightsAnalysisRec, type InsightsPathRec } from "./state.js";

const e = Ec2Errors.custom;
const pathNotFound = (id: string) => e("InvalidNetworkInsightsPathId.NotFound", `The NetworkInsightsPath ID '${id}' does not exist`);
const analysisNotFound = (id: string) => e("InvalidNetworkInsightsAnalysisId.NotFound", `The NetworkInsightsAnalysis ID '${id}' does not exist`);

const arn = (s: Ec2State, kind: string, id: string) => `arn:aws:ec2:${s.region}:${s.accountId}:${kind}/${id}`;

function resourceArn(s: Ec2State, id: string): string {
  const kind = id.startsWith("i-") ? "instance" : id.startsWith("eni-") ? "network-interface" : id.startsWith("igw-") ? "internet-gateway" : "resource";
  return arn(s, kind, id);
}

function checkResource(s: Ec2State, id: string) {
  if (id.startsWith("i-")) {
    if (!s.instances.has(id)) throw Ec2Errors.notFound("Instance", "instance", [id]);
  } else if (id.startsWith("eni-")) {
    if (!s.enis.has(id)) throw Ec2Errors.notFound("NetworkInterface", "networkInterface", [id]);
  } else if (id.startsWith("igw-")) {
    if (!s.igws.has(id)) throw Ec2Errors.notFound("InternetGateway", "internetGateway", [id]);
  } else
    throw Ec2Errors.invalidValue(
      `Resource ${id} is not supported as a source or destination by awsim (instances, network interfaces and internet gateways are).`,
    );
}

const pathView = (s: Ec2State, p: InsightsPathRec) => ({
  NetworkInsightsPathId: p.id,
  NetworkInsightsPathArn: arn(s, "network-insights-path", p.id),
  CreatedDate: p.created,
  Source: p.source,
  Destination: p.destination,
  SourceArn: resourceArn(s, p.source),
  DestinationArn: p.destination ? resourceArn(s, p.destination) : undefined,
  SourceIp: p.sourceIp,
  DestinationIp: p.destinationIp,
  Protocol: p.protocol,
  DestinationPort: p.destinationPort,
  Tags: tagsOf(p),
  FilterAtSource: p.filterAtSource,
  FilterAtDestination: p.filterAtDestination,
});

export function CreateNetworkInsightsPath(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const source = String(input.Source);
  checkResource(s, source);
  if (input.Destination) checkResource(s, String(input.Destination));
  if (!input.Destination && !input.DestinationIp && !input.FilterAtSource?.DestinationAddress)
    throw Ec2Errors.invalidCombination("The request must contain a Destination, a DestinationIp or a FilterAtSource destination address.");
  if (input.Destination === source) throw Ec2Errors.invalidValue("The source and destination must be different.");
  dryRun(input);
  const p: InsightsPathRec = {
    id: ec2Id("nip"),
    created: ctx.now(),
    source,
    destination: input.Destination,
    sourceIp: input.SourceIp,
    destinationIp: input.DestinationIp,
    protocol: String(input.Protocol),
    destinationPort: input.DestinationPort,
    filterAtSource: input.FilterAtSource,
    filterAtDestination: input.FilterAtDestination,
    tags: new Map(),
  };
  f.insightsPaths.set(p.id, p);
  applyTagSpec(s, input, "network-insights-path", p.id, p);
  return { NetworkInsightsPath: pathView(s, p) };
}

/** A filter port range (FromPort/ToPort) as a filter value: "from-to". */
const portRange = (r: { FromPort?: number; ToPort?: number } | undefined) =>
  r && (r.FromPort !== undefined || r.ToPort !== undefined) ? `${r.FromPort ?? r.ToPort}-${r.ToPort ?? r.FromPort}` : undefined;

export function DescribeNetworkInsightsPaths(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f } = fam(ctx);
  const ids = list(input.NetworkInsightsPathIds);
  for (const id of ids) if (!f.insightsPaths.has(id)) throw pathNotFound(id);
  const r = select(
    ids.length ? ids.map((id) => f.insightsPaths.get(id)!) : [...f.insightsPaths.values()],
    input,
    {
      destination: (p) => p.destination,
      "destination-ip": (p) => p.destinationIp,
      "destination-port": (p) => p.destinationPort,
      protocol: (p) => p.protocol,
      source: (p) => p.source,
      "source-ip": (p) => p.sourceIp,
      "filter-at-source.destination-address": (p) => p.filterAtSource?.DestinationAddress,
      "filter-at-destination.source-address": (p) => p.filterAtDestination?.SourceAddress,
      "filter-at-source.source-address": (p) => p.filterAtSource?.SourceAddress,
      "filter-at-source.source-port-range": (p) => portRange(p.filterAtSource?.SourcePortRange),
      "filter-at-source.destination-port-range": (p) => portRange(p.filterAtSource?.DestinationPortRange),
      "filter-at-destination.destination-address": (p) => p.filterAtDestination?.DestinationAddress,
      "filter-at-destination.source-port-range": (p) => portRange(p.filterAtDestination?.SourcePortRange),
      "filter-at-destination.destination-port-range": (p) => portRange(p.filterAtDestination?.DestinationPortRange),
    },
    (p) => p.id,
    { paginate: true, min: 1, max: 100 },
  );
  return { NetworkInsightsPaths: r.items.map((p) => pathView(s, p)), NextToken: r.nextToken };
}

export function DeleteNetworkInsightsPath(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const id = String(input.NetworkInsightsPathId);
  const p = f.insightsPaths.get(id);
  if (!p) throw pathNotFound(id);
  if ([...f.insightsAnalyses.values()].some((a) => a.pathId === id))
    throw Ec2Errors.dependency(`The network insights path ${id} has analyses. Delete them first.`);
  dryRun(input);
  dropTags(s, id, p);
  f.insightsPaths.delete(id);
  return { NetworkInsightsPathId: id };
}

// ---------------------------------------------------------------- the analysis

interface Packet {
  protocol: string;
  port?: number;
  srcIp?: string;
  dstIp?: string;
}

const PROTO: Record<string, string> = { tcp: "6", udp: "17", icmp: "1" };
const protoNum = (p: string) => PROTO[p] ?? p;

function portIn(port: number | undefined, from?: number, to?: number) {
  if (port === undefined || from === undefined || from === -1) return true;
  return port >= from && port <= (to ?? from);
}

function sgAllows(s: Ec2State, groups: string[], dir: "ingress" | "egress", pk: Packet, peerIp: string | undefined, peerGroups: string[]): Rule | undefined {
  for (const g of groups) {
    const sg = s.sgs.get(g);
    if (!sg) continue;
    for (const r of dir === "ingress" ? sg.ingress : sg.egress) {
      if (r.ipProtocol !== "-1" && protoNum(r.ipProtocol) !== protoNum(pk.protocol)) continue;
      if (!portIn(pk.port, r.fromPort, r.toPort)) continue;
      if (r.groupId && peerGroups.includes(r.groupId)) return r;
      if (r.cidrIpv4 && (peerIp === undefined ? r.cidrIpv4 !== undefined : cidrContains(r.cidrIpv4, `${peerIp}/32`))) return r;
    }
  }
  return undefined;
}

function naclOf(s: Ec2State, subnetId: string) {
  for (const n of s.nacls.values()) if ([...n.associations.values()].includes(subnetId)) return n;
  return undefined;
}

function naclAllows(s: Ec2State, subnetId: string, egress: boolean, pk: Packet, peerIp: string | undefined) {
  const n = naclOf(s, subnetId);
  if (!n) return { ok: true };
  const entries = n.entries.filter((x) => x.egress === egress && x.cidrBlock).sort((a, b) => a.ruleNumber - b.ruleNumber);
  for (const x of entries) {
    if (x.protocol !== "-1" && protoNum(x.protocol) !== protoNum(pk.protocol)) continue;
    if (!portIn(pk.port, x.ports?.from, x.ports?.to)) continue;
    if (peerIp !== undefined && !cidrContains(x.cidrBlock!, `${peerIp}/32`)) continue;
    return { ok: x.ruleAction === "allow", nacl: n, entry: x };
  }
  return { ok: false, nacl: n };
}

function routeTableOf(s: Ec2State, subnetId: string, vpcId: string) {
  for (const r of s.rtbs.values()) if ([...r.associations.values()].includes(subnetId)) return r;
  return [...s.rtbs.values()].find((r) => r.vpcId === vpcId && r.main);
}

function eniOf(s: Ec2State, id: string): EniRec | undefined {
  if (id.startsWith("i-")) {
    const i = s.instances.get(id);
    return i ? s.enis.get(i.eniId) : undefined;
  }
  return s.enis.get(id);
}

function publicIpOf(s: Ec2State, eni: EniRec): string | undefined {
  for (const a of s.addresses.values()) if (a.eniId === eni.id) return a.publicIp;
  const inst = eni.attachment ? s.instances.get(eni.attachment.instanceId) : undefined;
  return inst && inst.eniId === eni.id ? inst.publicIp : undefined;
}

const comp = (s: Ec2State, id: string, kind: string) => ({ Id: id, Arn: arn(s, kind, id) });

export function analyze(s: Ec2State, p: InsightsPathRec): { found: boolean; forward: Array<Record<string, any>>; explanations: Array<Record<string, any>> } {
  const pk: Packet = {
    protocol: p.protocol,
    port: p.destinationPort ?? p.filterAtSource?.DestinationPortRange?.FromPort,
    srcIp: p.sourceIp ?? p.filterAtDestination?.SourceAddress,
    dstIp: p.destinationIp ?? p.filterAtSource?.DestinationAddress,
  };
  const forward: Array<Record<string, any>> = [];
  const add = (c: Record<string, any>) => forward.push({ SequenceNumber: forward.length + 1, ...c });
  const fail = (x: Record<string, any>) => ({ found: false, forward, explanations: [x] });
  const srcIgw = p.source.startsWith("igw-") ? s.igws.get(p.source) : undefined;
  const dstIgw = p.destination?.startsWith("igw-") ? s.igws.get(p.destination) : undefined;
  const src = srcIgw ? undefined : eniOf(s, p.source);
  const dst = p.destination && !dstIgw ? eniOf(s, p.destination) : undefined;

  if (src && (dstIgw || (!dst && pk.dstIp && !cidrContains(s.vpcs.get(src.vpcId)?.cidr ?? "0.0.0.0/32", `${pk.dstIp}/32`)))) {
    // out to the internet
    const dstIp = pk.dstIp;
    add({
      Component: comp(s, p.source, p.source.startsWith("i-") ? "instance" : "network-interface"),
      Vpc: comp(s, src.vpcId, "vpc"),
      Subnet: comp(s, src.subnetId, "subnet"),
    });
    const sg = sgAllows(s, src.groups, "egress", pk, dstIp, []);
    if (!sg)
      return fail({
        ExplanationCode: "ENI_SG_RULES_MISMATCH",
        Direction: "egress",
        NetworkInterface: comp(s, src.id, "network-interface"),
        SecurityGroups: src.groups.map((g) => comp(s, g, "security-group")),
      });
    const acl = naclAllows(s, src.subnetId, true, pk, dstIp);
    if (!acl.ok)
      return fail({
        ExplanationCode: "SUBNET_ACL_RESTRICTION",
        Direction: "egress",
        Subnet: comp(s, src.subnetId, "subnet"),
        Acl: acl.nacl ? comp(s, acl.nacl.id, "network-acl") : undefined,
      });
    const rtb = routeTableOf(s, src.subnetId, src.vpcId);
    const route = rtb?.routes.find(
      (r) =>
        r.gatewayId?.startsWith("igw-") &&
        r.destinationCidrBlock &&
        (dstIp ? cidrContains(r.destinationCidrBlock, `${dstIp}/32`) : r.destinationCidrBlock === "0.0.0.0/0") &&
        (!dstIgw || r.gatewayId === dstIgw.id),
    );
    if (!rtb || !route)
      return fail({
        ExplanationCode: "NO_ROUTE_TO_DESTINATION",
        RouteTable: rtb ? comp(s, rtb.id, "route-table") : undefined,
        Subnet: comp(s, src.subnetId, "subnet"),
        Vpc: comp(s, src.vpcId, "vpc"),
      });
    const igw = s.igws.get(route.gatewayId!);
    if (!igw || igw.vpcId !== src.vpcId)
      return fail({ ExplanationCode: "BAD_STATE_ATTACHMENT", InternetGateway: comp(s, route.gatewayId!, "internet-gateway"), Vpc: comp(s, src.vpcId, "vpc") });
    if (!publicIpOf(s, src)) return fail({ ExplanationCode: "NO_PUBLIC_IP", NetworkInterface: comp(s, src.id, "network-interface") });
    add({
      Component: comp(s, rtb.id, "route-table"),
      RouteTableRoute: { DestinationCidr: route.destinationCidrBlock, GatewayId: route.gatewayId, Origin: route.origin, State: route.state },
    });
    add({ Component: comp(s, igw.id, "internet-gateway") });
    return { found: true, forward, explanations: [] };
  }

  if (srcIgw && dst) {
    // in from the internet
    add({ Component: comp(s, srcIgw.id, "internet-gateway") });
    if (srcIgw.vpcId !== dst.vpcId)
      return fail({ ExplanationCode: "BAD_STATE_ATTACHMENT", InternetGateway: comp(s, srcIgw.id, "internet-gateway"), Vpc: comp(s, dst.vpcId, "vpc") });
    if (!publicIpOf(s, dst)) return fail({ ExplanationCode: "NO_PUBLIC_IP", NetworkInterface: comp(s, dst.id, "network-interface") });
    const rtb = routeTableOf(s, dst.subnetId, dst.vpcId);
    if (!rtb?.routes.some((r) => r.gatewayId === srcIgw.id))
      return fail({
        ExplanationCode: "NO_ROUTE_TO_DESTINATION",
        RouteTable: rtb ? comp(s, rtb.id, "route-table") : undefined,
        Subnet: comp(s, dst.subnetId, "subnet"),
      });
    const acl = naclAllows(s, dst.subnetId, false, pk, pk.srcIp);
    if (!acl.ok)
      return fail({
        ExplanationCode: "SUBNET_ACL_RESTRICTION",
        Direction: "ingress",
        Subnet: comp(s, dst.subnetId, "subnet"),
        Acl: acl.nacl ? comp(s, acl.nacl.id, "network-acl") : undefined,
      });
    const sg = sgAllows(s, dst.groups, "ingress", pk, pk.srcIp, []);
    if (!sg)
      return fail({
        ExplanationCode: "ENI_SG_RULES_MISMATCH",
        Direction: "ingress",
        NetworkInterface: comp(s, dst.id, "network-interface"),
        SecurityGroups: dst.groups.map((g) => comp(s, g, "security-group")),
      });
    add({
      Component: comp(s, p.destination!, p.destination!.startsWith("i-") ? "instance" : "network-interface"),
      Subnet: comp(s, dst.subnetId, "subnet"),
      Vpc: comp(s, dst.vpcId, "vpc"),
    });
    return { found: true, forward, explanations: [] };
  }

  if (src && dst) {
    add({
      Component: comp(s, p.source, p.source.startsWith("i-") ? "instance" : "network-interface"),
      Vpc: comp(s, src.vpcId, "vpc"),
      Subnet: comp(s, src.subnetId, "subnet"),
    });
    if (src.vpcId !== dst.vpcId)
      return fail({ ExplanationCode: "NO_ROUTE_TO_DESTINATION", SourceVpc: comp(s, src.vpcId, "vpc"), DestinationVpc: comp(s, dst.vpcId, "vpc") });
    const out = sgAllows(s, src.groups, "egress", pk, dst.privateIp, dst.groups);
    if (!out)
      return fail({
        ExplanationCode: "ENI_SG_RULES_MISMATCH",
        Direction: "egress",
        NetworkInterface: comp(s, src.id, "network-interface"),
        SecurityGroups: src.groups.map((g) => comp(s, g, "security-group")),
      });
    if (src.subnetId !== dst.subnetId) {
      const a = naclAllows(s, src.subnetId, true, pk, dst.privateIp);
      if (!a.ok)
        return fail({
          ExplanationCode: "SUBNET_ACL_RESTRICTION",
          Direction: "egress",
          Subnet: comp(s, src.subnetId, "subnet"),
          Acl: a.nacl ? comp(s, a.nacl.id, "network-acl") : undefined,
        });
      const b = naclAllows(s, dst.subnetId, false, pk, src.privateIp);
      if (!b.ok)
        return fail({
          ExplanationCode: "SUBNET_ACL_RESTRICTION",
          Direction: "ingress",
          Subnet: comp(s, dst.subnetId, "subnet"),
          Acl: b.nacl ? comp(s, b.nacl.id, "network-acl") : undefined,
        });
    }
    const inn = sgAllows(s, dst.groups, "ingress", pk, src.privateIp, src.groups);
    if (!inn)
      return fail({
        ExplanationCode: "ENI_SG_RULES_MISMATCH",
        Direction: "ingress",
        NetworkInterface: comp(s, dst.id, "network-interface"),
        SecurityGroups: dst.groups.map((g) => comp(s, g, "security-group")),
      });
    add({
      Component: comp(s, p.destination!, p.destination!.startsWith("i-") ? "instance" : "network-interface"),
      Subnet: comp(s, dst.subnetId, "subnet"),
      Vpc: comp(s, dst.vpcId, "vpc"),
    });
    return { found: true, forward, explanations: [] };
  }

  return fail({ ExplanationCode: "NO_ROUTE_TO_DESTINATION", Component: comp(s, p.source, "resource") });
}

const analysisView = (s: Ec2State, a: InsightsAnalysisRec) => ({
  NetworkInsightsAnalysisId: a.id,
  NetworkInsightsAnalysisArn: arn(s, "network-insights-analysis", a.id),
  NetworkInsightsPathId: a.pathId,
  AdditionalAccounts: a.additionalAccounts.length ? a.additionalAccounts : undefined,
  FilterInArns: a.filterIn.length ? a.filterIn : undefined,
  FilterOutArns: a.filterOut.length ? a.filterOut : undefined,
  StartDate: a.start,
  Status: "succeeded",
  NetworkPathFound: a.found,
  ForwardPathComponents: a.found ? a.forward : undefined,
  Explanations: a.explanations.length ? a.explanations : undefined,
  Tags: tagsOf(a),
});

export function StartNetworkInsightsAnalysis(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const p = f.insightsPaths.get(String(input.NetworkInsightsPathId));
  if (!p) throw pathNotFound(String(input.NetworkInsightsPathId));
  dryRun(input);
  const r = analyze(s, p);
  const a: InsightsAnalysisRec = {
    id: ec2Id("nia"),
    pathId: p.id,
    start: ctx.now(),
    additionalAccounts: list(input.AdditionalAccounts),
    filterIn: list(input.FilterInArns),
    filterOut: list(input.FilterOutArns),
    found: r.found,
    forward: r.forward,
    explanations: r.explanations,
    tags: new Map(),
  };
  f.insightsAnalyses.set(a.id, a);
  applyTagSpec(s, input, "network-insights-analysis", a.id, a);
  const v = analysisView(s, a);
  return {
    NetworkInsightsAnalysis: {
      NetworkInsightsAnalysisId: v.NetworkInsightsAnalysisId,
      NetworkInsightsAnalysisArn: v.NetworkInsightsAnalysisArn,
      NetworkInsightsPathId: v.NetworkInsightsPathId,
      AdditionalAccounts: v.AdditionalAccounts,
      FilterInArns: v.FilterInArns,
      FilterOutArns: v.FilterOutArns,
      StartDate: v.StartDate,
      Status: "running",
      Tags: v.Tags,
    },
  };
}

function analysesIn(f: FamState, input: Input) {
  const ids = list(input.NetworkInsightsAnalysisIds);
  for (const id of ids) if (!f.insightsAnalyses.has(id)) throw analysisNotFound(id);
  const from = input.AnalysisStartTime instanceof Date ? input.AnalysisStartTime.getTime() : undefined;
  const to = input.AnalysisEndTime instanceof Date ? input.AnalysisEndTime.getTime() : undefined;
  return (ids.length ? ids.map((id) => f.insightsAnalyses.get(id)!) : [...f.insightsAnalyses.values()]).filter(
    (a) =>
      (!input.NetworkInsightsPathId || a.pathId === input.NetworkInsightsPathId) &&
      (from === undefined || a.start.getTime() >= from) &&
      (to === undefined || a.start.getTime() <= to),
  );
}

export function DescribeNetworkInsightsAnalyses(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f } = fam(ctx);
  const r = select(analysesIn(f, input), input, { "path-found": (a) => a.found, status: () => "succeeded" }, (a) => a.id, { paginate: true, min: 1, max: 100 });
  return { NetworkInsightsAnalyses: r.items.map((a) => analysisView(s, a)), NextToken: r.nextToken };
}

export function DeleteNetworkInsightsAnalysis(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const id = String(input.NetworkInsightsAnalysisId);
  const a = f.insightsAnalyses.get(id);
  if (!a) throw analysisNotFound(id);
  dryRun(input);
  dropTags(s, id, a);
  f.insightsAnalyses.delete(id);
  return { NetworkInsightsAnalysisId: id };
}
