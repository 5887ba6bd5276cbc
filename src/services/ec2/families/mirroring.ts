/**
 * Traffic mirroring: filters with ingress/egress rules (numbered, unique per direction) and network services,
 * targets (a network interface, a Network Load Balancer or a Gateway Load Balancer endpoint) and sessions that
 * mirror a source network interface to a target through a filter. No packets are copied.
 */
import type { Ctx } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { applyTagSpec, dropTags, dryRun, list, parseCidr, select, tagsOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import type { Ec2State } from "../state.js";
import { fam, type FamState, type MirrorFilterRec, type MirrorRuleRec, type MirrorSessionRec, type MirrorTargetRec } from "./state.js";

const e = Ec2Errors.custom;
const nf = (kind: string, id: string) =>
  e(
    `InvalidTrafficMirror${kind}Id.NotFound`,
    `The traffic mirror ${kind
      .replace(/([A-Z])/g, " $1")
      .trim()
      .toLowerCase()} ID '${id}' does not exist`,
  );

function getFilter(f: FamState, id: string): MirrorFilterRec {
  const x = f.mirrorFilters.get(id);
  if (!x) throw nf("Filter", id);
  return x;
}

function findRule(f: FamState, id: string): MirrorRuleRec {
  for (const x of f.mirrorFilters.values()) {
    const r = x.rules.get(id);
    if (r) return r;
  }
  throw nf("FilterRule", id);
}

function getTarget(f: FamState, id: string): MirrorTargetRec {
  const x = f.mirrorTargets.get(id);
  if (!x) throw nf("Target", id);
  return x;
}

function getSession(f: FamState, id: string): MirrorSessionRec {
  const x = f.mirrorSessions.get(id);
  if (!x) throw nf("Session", id);
  return x;
}

function eni(s: Ec2State, id: string) {
  const x = s.enis.get(id);
  if (!x) throw Ec2Errors.notFound("NetworkInterface", "networkInterface", [id]);
  return x;
}

const ruleView = (r: MirrorRuleRec) => ({
  TrafficMirrorFilterRuleId: r.id,
  TrafficMirrorFilterId: r.filterId,
  TrafficDirection: r.direction,
  RuleNumber: r.number,
  RuleAction: r.action,
  Protocol: r.protocol,
  DestinationPortRange: r.dstPorts,
  SourcePortRange: r.srcPorts,
  DestinationCidrBlock: r.dstCidr,
  SourceCidrBlock: r.srcCidr,
  Description: r.description,
  Tags: tagsOf(r),
});

const byNumber = (a: MirrorRuleRec, b: MirrorRuleRec) => a.number - b.number;

const filterView = (x: MirrorFilterRec) => {
  const rules = [...x.rules.values()].sort(byNumber);
  return {
    TrafficMirrorFilterId: x.id,
    IngressFilterRules: rules.filter((r) => r.direction === "ingress").map(ruleView),
    EgressFilterRules: rules.filter((r) => r.direction === "egress").map(ruleView),
    NetworkServices: x.services,
    Description: x.description,
    Tags: tagsOf(x),
  };
};

const targetView = (s: Ec2State, t: MirrorTargetRec) => ({
  TrafficMirrorTargetId: t.id,
  NetworkInterfaceId: t.eniId,
  NetworkLoadBalancerArn: t.nlbArn,
  GatewayLoadBalancerEndpointId: t.gwlbeId,
  Type: t.type,
  Description: t.description,
  OwnerId: s.accountId,
  Tags: tagsOf(t),
});

const sessionView = (s: Ec2State, x: MirrorSessionRec) => ({
  TrafficMirrorSessionId: x.id,
  TrafficMirrorTargetId: x.targetId,
  TrafficMirrorFilterId: x.filterId,
  NetworkInterfaceId: x.eniId,
  OwnerId: s.accountId,
  PacketLength: x.packetLength,
  SessionNumber: x.sessionNumber,
  VirtualNetworkId: x.vni,
  Description: x.description,
  Tags: tagsOf(x),
});

// ---------------------------------------------------------------- filters

export function CreateTrafficMirrorFilter(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  dryRun(input);
  const x: MirrorFilterRec = { id: ec2Id("tmf"), description: input.Description, services: [], rules: new Map(), tags: new Map() };
  f.mirrorFilters.set(x.id, x);
  applyTagSpec(s, input, "traffic-mirror-filter", x.id, x);
  return { TrafficMirrorFilter: filterView(x), ClientToken: input.ClientToken };
}

export function DeleteTrafficMirrorFilter(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const x = getFilter(f, String(input.TrafficMirrorFilterId));
  const users = [...f.mirrorSessions.values()].filter((m) => m.filterId === x.id);
  if (users.length) throw Ec2Errors.dependency(`The traffic mirror filter '${x.id}' is in use by traffic mirror session '${users[0]!.id}'.`);
  dryRun(input);
  for (const r of x.rules.values()) dropTags(s, r.id, r);
  dropTags(s, x.id, x);
  f.mirrorFilters.delete(x.id);
  return { TrafficMirrorFilterId: x.id };
}

export function DescribeTrafficMirrorFilters(ctx: Ctx, input: Input) {
  dryRun(input);
  const { f } = fam(ctx);
  const ids = list(input.TrafficMirrorFilterIds);
  for (const id of ids) getFilter(f, id);
  const r = select(
    ids.length ? ids.map((id) => f.mirrorFilters.get(id)!) : [...f.mirrorFilters.values()],
    input,
    { description: (x) => x.description, "traffic-mirror-filter-id": (x) => x.id },
    (x) => x.id,
    { paginate: true },
  );
  return { TrafficMirrorFilters: r.items.map(filterView), NextToken: r.nextToken };
}

export function ModifyTrafficMirrorFilterNetworkServices(ctx: Ctx, input: Input) {
  const { f } = fam(ctx);
  const x = getFilter(f, String(input.TrafficMirrorFilterId));
  dryRun(input);
  const remove = list(input.RemoveNetworkServices);
  x.services = [...new Set([...x.services, ...list(input.AddNetworkServices)])].filter((v) => !remove.includes(v));
  return { TrafficMirrorFilter: filterView(x) };
}

// ---------------------------------------------------------------- rules

function checkRule(f: MirrorFilterRec, r: MirrorRuleRec) {
  if (r.number < 1 || r.number > 32766) throw Ec2Errors.invalidValue(`Invalid value '${r.number}' for RuleNumber. It must be between 1 and 32766.`);
  for (const [n, c] of [
    ["SourceCidrBlock", r.srcCidr],
    ["DestinationCidrBlock", r.dstCidr],
  ] as const)
    if (!parseCidr(c) && !/^[0-9a-fA-F:]+\/\d{1,3}$/.test(c)) throw Ec2Errors.invalidValue(`Invalid value '${c}' for ${n}.`);
  if (r.protocol !== undefined && (r.protocol < 0 || r.protocol > 255)) throw Ec2Errors.invalidValue(`Invalid value '${r.protocol}' for Protocol.`);
  if ((r.dstPorts || r.srcPorts) && r.protocol !== 6 && r.protocol !== 17)
    throw Ec2Errors.invalidCombination("Port ranges can only be specified for TCP (6) and UDP (17) rules.");
  for (const pr of [r.dstPorts, r.srcPorts])
    if (pr && ((pr.FromPort ?? 0) < 0 || (pr.ToPort ?? 0) > 65535 || (pr.FromPort ?? 0) > (pr.ToPort ?? 65535)))
      throw Ec2Errors.invalidValue(`Invalid port range ${pr.FromPort}-${pr.ToPort}.`);
  for (const o of f.rules.values())
    if (o.id !== r.id && o.direction === r.direction && o.number === r.number)
      throw Ec2Errors.invalidValue(`A rule with rule number ${r.number} already exists in the ${r.direction} direction of traffic mirror filter ${f.id}.`);
}

const ports = (p: { FromPort?: number; ToPort?: number } | undefined) => (p ? { FromPort: p.FromPort, ToPort: p.ToPort } : undefined);

export function CreateTrafficMirrorFilterRule(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const x = getFilter(f, String(input.TrafficMirrorFilterId));
  const r: MirrorRuleRec = {
    id: ec2Id("tmfr"),
    filterId: x.id,
    direction: String(input.TrafficDirection),
    number: Number(input.RuleNumber),
    action: String(input.RuleAction),
    protocol: input.Protocol,
    dstPorts: ports(input.DestinationPortRange),
    srcPorts: ports(input.SourcePortRange),
    dstCidr: String(input.DestinationCidrBlock),
    srcCidr: String(input.SourceCidrBlock),
    description: input.Description,
    tags: new Map(),
  };
  checkRule(x, r);
  dryRun(input);
  x.rules.set(r.id, r);
  applyTagSpec(s, input, "traffic-mirror-filter-rule", r.id, r);
  return { TrafficMirrorFilterRule: ruleView(r), ClientToken: input.ClientToken };
}

export function ModifyTrafficMirrorFilterRule(ctx: Ctx, input: Input) {
  const { f } = fam(ctx);
  const r = findRule(f, String(input.TrafficMirrorFilterRuleId));
  const x = f.mirrorFilters.get(r.filterId)!;
  const remove = list(input.RemoveFields);
  const next: MirrorRuleRec = {
    ...r,
    direction: input.TrafficDirection ?? r.direction,
    number: input.RuleNumber ?? r.number,
    action: input.RuleAction ?? r.action,
    protocol: remove.includes("protocol") ? undefined : (input.Protocol ?? r.protocol),
    dstPorts: remove.includes("destination-port-range") ? undefined : (ports(input.DestinationPortRange) ?? r.dstPorts),
    srcPorts: remove.includes("source-port-range") ? undefined : (ports(input.SourcePortRange) ?? r.srcPorts),
    dstCidr: input.DestinationCidrBlock ?? r.dstCidr,
    srcCidr: input.SourceCidrBlock ?? r.srcCidr,
    description: remove.includes("description") ? undefined : (input.Description ?? r.description),
  };
  checkRule(x, next);
  dryRun(input);
  Object.assign(r, next);
  return { TrafficMirrorFilterRule: ruleView(r) };
}

export function DeleteTrafficMirrorFilterRule(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const r = findRule(f, String(input.TrafficMirrorFilterRuleId));
  dryRun(input);
  dropTags(s, r.id, r);
  f.mirrorFilters.get(r.filterId)?.rules.delete(r.id);
  return { TrafficMirrorFilterRuleId: r.id };
}

export function DescribeTrafficMirrorFilterRules(ctx: Ctx, input: Input) {
  dryRun(input);
  const { f } = fam(ctx);
  let rules: MirrorRuleRec[];
  if (input.TrafficMirrorFilterId) rules = [...getFilter(f, String(input.TrafficMirrorFilterId)).rules.values()];
  else rules = [...f.mirrorFilters.values()].flatMap((x) => [...x.rules.values()]);
  const ids = list(input.TrafficMirrorFilterRuleIds);
  for (const id of ids) findRule(f, id);
  if (ids.length) rules = rules.filter((r) => ids.includes(r.id));
  const r = select(
    rules,
    input,
    {
      "traffic-mirror-filter-rule-id": (x) => x.id,
      "traffic-mirror-filter-id": (x) => x.filterId,
      "rule-number": (x) => x.number,
      "rule-action": (x) => x.action,
      "traffic-direction": (x) => x.direction,
      protocol: (x) => x.protocol,
      "source-cidr-block": (x) => x.srcCidr,
      "destination-cidr-block": (x) => x.dstCidr,
      description: (x) => x.description,
    },
    (x) => x.id,
    { paginate: true },
  );
  return { TrafficMirrorFilterRules: r.items.map(ruleView), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- targets

const NLB = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/net\/[^/]+\/[0-9a-f]+$/;

export function CreateTrafficMirrorTarget(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const given = [input.NetworkInterfaceId, input.NetworkLoadBalancerArn, input.GatewayLoadBalancerEndpointId].filter((v) => v !== undefined);
  if (given.length !== 1)
    throw Ec2Errors.invalidCombination("Exactly one of NetworkInterfaceId, NetworkLoadBalancerArn or GatewayLoadBalancerEndpointId must be specified.");
  if (input.NetworkInterfaceId) eni(s, String(input.NetworkInterfaceId));
  if (input.NetworkLoadBalancerArn && !NLB.test(String(input.NetworkLoadBalancerArn)))
    throw Ec2Errors.invalidValue(`Invalid Network Load Balancer ARN: ${input.NetworkLoadBalancerArn}`);
  if (input.GatewayLoadBalancerEndpointId && !s.vpces.has(String(input.GatewayLoadBalancerEndpointId)))
    throw e("InvalidVpcEndpointId.NotFound", `The Vpc Endpoint Id '${input.GatewayLoadBalancerEndpointId}' does not exist`);
  dryRun(input);
  const t: MirrorTargetRec = {
    id: ec2Id("tmt"),
    type: input.NetworkInterfaceId ? "network-interface" : input.NetworkLoadBalancerArn ? "network-load-balancer" : "gateway-load-balancer-endpoint",
    eniId: input.NetworkInterfaceId,
    nlbArn: input.NetworkLoadBalancerArn,
    gwlbeId: input.GatewayLoadBalancerEndpointId,
    description: input.Description,
    tags: new Map(),
  };
  f.mirrorTargets.set(t.id, t);
  applyTagSpec(s, input, "traffic-mirror-target", t.id, t);
  return { TrafficMirrorTarget: targetView(s, t), ClientToken: input.ClientToken };
}

export function DeleteTrafficMirrorTarget(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const t = getTarget(f, String(input.TrafficMirrorTargetId));
  const users = [...f.mirrorSessions.values()].filter((m) => m.targetId === t.id);
  if (users.length) throw Ec2Errors.dependency(`The traffic mirror target '${t.id}' is in use by traffic mirror session '${users[0]!.id}'.`);
  dryRun(input);
  dropTags(s, t.id, t);
  f.mirrorTargets.delete(t.id);
  return { TrafficMirrorTargetId: t.id };
}

export function DescribeTrafficMirrorTargets(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f } = fam(ctx);
  const ids = list(input.TrafficMirrorTargetIds);
  for (const id of ids) getTarget(f, id);
  const r = select(
    ids.length ? ids.map((id) => f.mirrorTargets.get(id)!) : [...f.mirrorTargets.values()],
    input,
    {
      description: (t) => t.description,
      "network-interface-id": (t) => t.eniId,
      "network-load-balancer-arn": (t) => t.nlbArn,
      "owner-id": () => s.accountId,
      "traffic-mirror-target-id": (t) => t.id,
    },
    (t) => t.id,
    { paginate: true },
  );
  return { TrafficMirrorTargets: r.items.map((t) => targetView(s, t)), NextToken: r.nextToken };
}

// ---------------------------------------------------------------- sessions

function checkSession(s: Ec2State, f: FamState, x: MirrorSessionRec) {
  const t = getTarget(f, x.targetId);
  getFilter(f, x.filterId);
  if (t.eniId === x.eniId) throw Ec2Errors.invalidValue(`The source network interface ${x.eniId} cannot also be the traffic mirror target.`);
  if (x.sessionNumber < 1 || x.sessionNumber > 32766)
    throw Ec2Errors.invalidValue(`Invalid value '${x.sessionNumber}' for SessionNumber. It must be between 1 and 32766.`);
  if (x.vni < 0 || x.vni > 16777215) throw Ec2Errors.invalidValue(`Invalid value '${x.vni}' for VirtualNetworkId.`);
  if (x.packetLength !== undefined && (x.packetLength < 1 || x.packetLength > 8947))
    throw Ec2Errors.invalidValue(`Invalid value '${x.packetLength}' for PacketLength.`);
  for (const o of f.mirrorSessions.values())
    if (o.id !== x.id && o.eniId === x.eniId && o.sessionNumber === x.sessionNumber)
      throw Ec2Errors.invalidValue(`Session number ${x.sessionNumber} is already used by traffic mirror session ${o.id} on ${x.eniId}.`);
  void s;
}

export function CreateTrafficMirrorSession(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  eni(s, String(input.NetworkInterfaceId));
  const x: MirrorSessionRec = {
    id: ec2Id("tms"),
    eniId: String(input.NetworkInterfaceId),
    targetId: String(input.TrafficMirrorTargetId),
    filterId: String(input.TrafficMirrorFilterId),
    packetLength: input.PacketLength,
    sessionNumber: Number(input.SessionNumber),
    vni: input.VirtualNetworkId ?? 1 + Math.floor(Math.random() * 16777214),
    description: input.Description,
    tags: new Map(),
  };
  checkSession(s, f, x);
  dryRun(input);
  f.mirrorSessions.set(x.id, x);
  applyTagSpec(s, input, "traffic-mirror-session", x.id, x);
  return { TrafficMirrorSession: sessionView(s, x), ClientToken: input.ClientToken };
}

export function ModifyTrafficMirrorSession(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const x = getSession(f, String(input.TrafficMirrorSessionId));
  const remove = list(input.RemoveFields);
  const next: MirrorSessionRec = {
    ...x,
    targetId: input.TrafficMirrorTargetId ?? x.targetId,
    filterId: input.TrafficMirrorFilterId ?? x.filterId,
    packetLength: remove.includes("packet-length") ? undefined : (input.PacketLength ?? x.packetLength),
    sessionNumber: input.SessionNumber ?? x.sessionNumber,
    vni: remove.includes("virtual-network-id") ? 1 + Math.floor(Math.random() * 16777214) : (input.VirtualNetworkId ?? x.vni),
    description: remove.includes("description") ? undefined : (input.Description ?? x.description),
  };
  checkSession(s, f, next);
  dryRun(input);
  Object.assign(x, next);
  return { TrafficMirrorSession: sessionView(s, x) };
}

export function DeleteTrafficMirrorSession(ctx: Ctx, input: Input) {
  const { s, f } = fam(ctx);
  const x = getSession(f, String(input.TrafficMirrorSessionId));
  dryRun(input);
  dropTags(s, x.id, x);
  f.mirrorSessions.delete(x.id);
  return { TrafficMirrorSessionId: x.id };
}

export function DescribeTrafficMirrorSessions(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, f } = fam(ctx);
  const ids = list(input.TrafficMirrorSessionIds);
  for (const id of ids) getSession(f, id);
  const r = select(
    ids.length ? ids.map((id) => f.mirrorSessions.get(id)!) : [...f.mirrorSessions.values()],
    input,
    {
      description: (x) => x.description,
      "network-interface-id": (x) => x.eniId,
      "owner-id": () => s.accountId,
      "packet-length": (x) => x.packetLength,
      "session-number": (x) => x.sessionNumber,
      "traffic-mirror-filter-id": (x) => x.filterId,
      "traffic-mirror-session-id": (x) => x.id,
      "traffic-mirror-target-id": (x) => x.targetId,
      "virtual-network-id": (x) => x.vni,
    },
    (x) => x.id,
    { paginate: true },
  );
  return { TrafficMirrorSessions: r.items.map((x) => sessionView(s, x)), NextToken: r.nextToken };
}
