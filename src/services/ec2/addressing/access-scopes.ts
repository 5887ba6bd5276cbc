/**
 * Network Access Analyzer: access scopes (match and exclude paths, kept as given) and their analyses. An
 * analysis is computed when it starts, with the Reachability Analyzer's path engine (families/insights.ts):
 * every candidate source and destination the scope's statements select (network interfaces, instances and
 * attached internet gateways, by id, by VPC/subnet id or by resource type), for each protocol and first
 * destination port the packet header statements name, gives a finding when the path is reachable, passes
 * the scope's through-resources and matches no exclude path. Paths across VPCs are not found.
 */
import { ec2Id, uuid } from "../../core/ids.js";
import type { Ctx } from "../../core/types.js";
import { applyTagSpec, dropTags, dryRun, list, required, select, tagList, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { analyze } from "../families/insights.js";
import type { InsightsPathRec } from "../families/state.js";
import type { Ec2State } from "../state.js";
import { type AccessScopeAnalysisRec, type AccessScopeRec, addr, type AddrState } from "./state.js";

const e = Ec2Errors.custom;
const scopeNotFound = (id: string) => e("InvalidNetworkInsightsAccessScopeId.NotFound", `The NetworkInsightsAccessScope ID '${id}' does not exist`);
const analysisNotFound = (id: string) =>
  e("InvalidNetworkInsightsAccessScopeAnalysisId.NotFound", `The NetworkInsightsAccessScopeAnalysis ID '${id}' does not exist`);
const arn = (s: Ec2State, kind: string, id: string) => `arn:aws:ec2:${s.region}:${s.accountId}:${kind}/${id}`;

type Stmt = { Resources?: string[]; ResourceTypes?: string[] } | undefined;
type Header = { Protocols?: string[]; DestinationPorts?: string[]; SourceAddresses?: string[]; DestinationAddresses?: string[] } | undefined;
interface PathStatement {
  Source?: { PacketHeaderStatement?: Header; ResourceStatement?: Stmt };
  Destination?: { PacketHeaderStatement?: Header; ResourceStatement?: Stmt };
  ThroughResources?: Array<{ ResourceStatement?: Stmt }>;
}

interface Endpoint {
  id: string;
  kind: "eni" | "igw";
  instanceId?: string;
  vpcId: string;
  subnetId?: string;
}

function endpoints(s: Ec2State): Endpoint[] {
  const out: Endpoint[] = [];
  for (const x of s.enis.values()) {
    const inst = x.attachment ? s.instances.get(x.attachment.instanceId) : undefined;
    if (inst?.state === "terminated") continue;
    out.push({ id: x.id, kind: "eni", instanceId: inst?.id, vpcId: x.vpcId, subnetId: x.subnetId });
  }
  for (const g of s.igws.values()) if (g.vpcId) out.push({ id: g.id, kind: "igw", vpcId: g.vpcId });
  return out;
}

const TYPE_KIND: Record<string, (x: Endpoint) => boolean> = {
  "AWS::EC2::InternetGateway": (x) => x.kind === "igw",
  "AWS::EC2::NetworkInterface": (x) => x.kind === "eni",
  "AWS::EC2::Instance": (x) => !!x.instanceId,
  "AWS::EC2::VPC": () => true,
  "AWS::EC2::Subnet": (x) => x.kind === "eni",
};

function selects(st: Stmt, x: Endpoint): boolean {
  if (!st) return true;
  const ids = st.Resources ?? [];
  const types = st.ResourceTypes ?? [];
  if (ids.length && ![x.id, x.instanceId, x.vpcId, x.subnetId].some((v) => v && ids.includes(v))) return false;
  if (types.length && !types.some((t) => TYPE_KIND[t]?.(x))) return false;
  return true;
}

/** Every id named anywhere in a path's components. */
function idsIn(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) for (const x of v) idsIn(x, out);
  else if (v && typeof v === "object")
    for (const [k, x] of Object.entries(v)) {
      if (k === "Id" && typeof x === "string") out.add(x);
      else idsIn(x, out);
    }
  return out;
}

const PREFIX: Record<string, string> = {
  "AWS::EC2::InternetGateway": "igw-",
  "AWS::EC2::NetworkInterface": "eni-",
  "AWS::EC2::Instance": "i-",
  "AWS::EC2::VPC": "vpc-",
  "AWS::EC2::Subnet": "subnet-",
  "AWS::EC2::SecurityGroup": "sg-",
  "AWS::EC2::NetworkAcl": "acl-",
  "AWS::EC2::RouteTable": "rtb-",
  "AWS::EC2::NatGateway": "nat-",
};

function through(p: PathStatement, ids: Set<string>): boolean {
  for (const t of p.ThroughResources ?? []) {
    const st = t.ResourceStatement;
    const byId = (st?.Resources ?? []).some((r) => ids.has(r));
    const byType = (st?.ResourceTypes ?? []).some((ty) => [...ids].some((i) => PREFIX[ty] && i.startsWith(PREFIX[ty]!)));
    if (!byId && !byType) return false;
  }
  return true;
}

function firstPort(h: Header): number | undefined {
  const p = (h?.DestinationPorts ?? [])[0];
  if (p === undefined) return undefined;
  const n = Number(String(p).split("-")[0]);
  return Number.isInteger(n) ? n : undefined;
}

interface Found {
  src: Endpoint;
  dst: Endpoint;
  protocol: string;
  components: Array<Record<string, any>>;
}

function matches(s: Ec2State, p: PathStatement): Found[] {
  const all = endpoints(s);
  const header = p.Destination?.PacketHeaderStatement ?? p.Source?.PacketHeaderStatement;
  const protocols = header?.Protocols?.length ? header.Protocols : ["tcp"];
  const port = firstPort(header);
  const out: Found[] = [];
  for (const src of all.filter((x) => selects(p.Source?.ResourceStatement, x)))
    for (const dst of all.filter((x) => selects(p.Destination?.ResourceStatement, x))) {
      if (src.id === dst.id || src.vpcId !== dst.vpcId || (src.kind === "igw" && dst.kind === "igw")) continue;
      for (const protocol of protocols) {
        const path: InsightsPathRec = {
          id: "",
          created: new Date(0),
          source: src.kind === "eni" && src.instanceId ? src.instanceId : src.id,
          destination: dst.kind === "eni" && dst.instanceId ? dst.instanceId : dst.id,
          protocol,
          destinationPort: port,
          tags: new Map(),
        };
        const r = analyze(s, path);
        if (r.found && through(p, idsIn(r.forward))) out.push({ src, dst, protocol, components: r.forward });
      }
    }
  return out;
}

const scopeView = (s: Ec2State, x: AccessScopeRec) => ({
  NetworkInsightsAccessScopeId: x.id,
  NetworkInsightsAccessScopeArn: x.arn,
  CreatedDate: x.created,
  UpdatedDate: x.updated,
  Tags: tagList(x).map(({ key, value }) => ({ Key: key, Value: value })),
});

const contentView = (x: AccessScopeRec) => ({
  NetworkInsightsAccessScopeId: x.id,
  MatchPaths: x.match.length ? x.match : undefined,
  ExcludePaths: x.exclude.length ? x.exclude : undefined,
});

function getScope(a: AddrState, id: string): AccessScopeRec {
  const x = a.accessScopes.get(id);
  if (!x) throw scopeNotFound(id);
  return x;
}

function checkStatements(s: Ec2State, paths: PathStatement[]) {
  for (const p of paths)
    for (const st of [p.Source?.ResourceStatement, p.Destination?.ResourceStatement, ...(p.ThroughResources ?? []).map((t) => t.ResourceStatement)]) {
      if (st?.Resources?.length && st.ResourceTypes?.length)
        throw Ec2Errors.invalidCombination("A resource statement can contain Resources or ResourceTypes, not both.");
      for (const t of st?.ResourceTypes ?? []) if (!PREFIX[t]) throw Ec2Errors.invalidValue(`The resource type ${t} is not supported.`);
    }
  void s;
}

export function CreateNetworkInsightsAccessScope(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const match = (input.MatchPaths ?? []) as PathStatement[];
  const exclude = (input.ExcludePaths ?? []) as PathStatement[];
  if (!match.length) throw Ec2Errors.missing("MatchPaths");
  checkStatements(s, [...match, ...exclude]);
  dryRun(input);
  const id = ec2Id("nis");
  const now = ctx.now();
  const x: AccessScopeRec = { id, arn: arn(s, "network-insights-access-scope", id), created: now, updated: now, match, exclude, tags: new Map() };
  a.accessScopes.set(id, x);
  applyTagSpec(s, input, "network-insights-access-scope", id, x);
  return { NetworkInsightsAccessScope: scopeView(s, x), NetworkInsightsAccessScopeContent: contentView(x) };
}

export function GetNetworkInsightsAccessScopeContent(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  const x = getScope(a, required(input, "NetworkInsightsAccessScopeId"));
  dryRun(input);
  return { NetworkInsightsAccessScopeContent: contentView(x) };
}

export function DescribeNetworkInsightsAccessScopes(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  dryRun(input);
  const ids = list(input.NetworkInsightsAccessScopeIds);
  for (const id of ids) getScope(a, id);
  const r = select(ids.length ? ids.map((id) => a.accessScopes.get(id)!) : [...a.accessScopes.values()], input, {}, (x) => x.id, {
    paginate: true,
    min: 1,
    max: 100,
  });
  return { NetworkInsightsAccessScopes: r.items.map((x) => scopeView(s, x)), NextToken: r.nextToken };
}

export function DeleteNetworkInsightsAccessScope(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const x = getScope(a, required(input, "NetworkInsightsAccessScopeId"));
  if ([...a.accessScopeAnalyses.values()].some((y) => y.scopeId === x.id))
    throw Ec2Errors.dependency(`The network insights access scope ${x.id} has analyses. Delete them first.`);
  dryRun(input);
  dropTags(s, x.id, x);
  a.accessScopes.delete(x.id);
  return { NetworkInsightsAccessScopeId: x.id };
}

const analysisView = (x: AccessScopeAnalysisRec, eniCount: number) => ({
  NetworkInsightsAccessScopeAnalysisId: x.id,
  NetworkInsightsAccessScopeAnalysisArn: x.arn,
  NetworkInsightsAccessScopeId: x.scopeId,
  Status: "succeeded",
  StartDate: x.start,
  EndDate: x.end,
  FindingsFound: x.findings.length ? "true" : "false",
  AnalyzedEniCount: eniCount,
  Tags: tagList(x).map(({ key, value }) => ({ Key: key, Value: value })),
});

export function StartNetworkInsightsAccessScopeAnalysis(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const scope = getScope(a, required(input, "NetworkInsightsAccessScopeId"));
  dryRun(input);
  const seen = new Set<string>();
  const findings: Array<Record<string, any>> = [];
  for (const m of scope.match as PathStatement[])
    for (const f of matches(s, m)) {
      const key = `${f.src.id} ${f.dst.id} ${f.protocol}`;
      if (seen.has(key)) continue;
      const excluded = (scope.exclude as PathStatement[]).some((x) => matches(s, x).some((y) => `${y.src.id} ${y.dst.id} ${y.protocol}` === key));
      if (excluded) continue;
      seen.add(key);
      findings.push({ FindingId: uuid(), FindingComponents: f.components });
    }
  const id = ec2Id("nisa");
  const now = ctx.now();
  const x: AccessScopeAnalysisRec = {
    id,
    arn: arn(s, "network-insights-access-scope-analysis", id),
    scopeId: scope.id,
    start: now,
    end: now,
    findings,
    eniCount: s.enis.size,
    tags: new Map(),
  };
  a.accessScopeAnalyses.set(id, x);
  applyTagSpec(s, input, "network-insights-access-scope-analysis", id, x);
  const v = analysisView(x, x.eniCount);
  return { NetworkInsightsAccessScopeAnalysis: { ...v, Status: "running", EndDate: undefined, FindingsFound: undefined, AnalyzedEniCount: undefined } };
}

export function DescribeNetworkInsightsAccessScopeAnalyses(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  dryRun(input);
  const ids = list(input.NetworkInsightsAccessScopeAnalysisIds);
  for (const id of ids) if (!a.accessScopeAnalyses.has(id)) throw analysisNotFound(id);
  if (input.NetworkInsightsAccessScopeId) getScope(a, String(input.NetworkInsightsAccessScopeId));
  const begin = input.AnalysisStartTimeBegin instanceof Date ? input.AnalysisStartTimeBegin : undefined;
  const end = input.AnalysisStartTimeEnd instanceof Date ? input.AnalysisStartTimeEnd : undefined;
  const rows = (ids.length ? ids.map((id) => a.accessScopeAnalyses.get(id)!) : [...a.accessScopeAnalyses.values()]).filter(
    (x) =>
      (!input.NetworkInsightsAccessScopeId || x.scopeId === input.NetworkInsightsAccessScopeId) && (!begin || x.start >= begin) && (!end || x.start <= end),
  );
  const r = select(rows, input, { status: () => "succeeded" }, (x) => x.id, { paginate: true, min: 1, max: 100 });
  return { NetworkInsightsAccessScopeAnalyses: r.items.map((x) => analysisView(x, x.eniCount)), NextToken: r.nextToken };
}

export function DeleteNetworkInsightsAccessScopeAnalysis(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const id = required(input, "NetworkInsightsAccessScopeAnalysisId");
  const x = a.accessScopeAnalyses.get(id);
  if (!x) throw analysisNotFound(id);
  dryRun(input);
  dropTags(s, x.id, x);
  a.accessScopeAnalyses.delete(x.id);
  return { NetworkInsightsAccessScopeAnalysisId: x.id };
}

export function GetNetworkInsightsAccessScopeAnalysisFindings(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  const id = required(input, "NetworkInsightsAccessScopeAnalysisId");
  const x = a.accessScopeAnalyses.get(id);
  if (!x) throw analysisNotFound(id);
  dryRun(input);
  const rows = x.findings.map((f) => ({ f, tags: new Map<string, string>() }));
  const r = select(rows, { MaxResults: input.MaxResults, NextToken: input.NextToken }, {}, (y) => String(y.f.FindingId), { paginate: true, min: 1, max: 1000 });
  return {
    NetworkInsightsAccessScopeAnalysisId: x.id,
    AnalysisStatus: "succeeded",
    AnalysisFindings: r.items.map(({ f }) => ({ NetworkInsightsAccessScopeAnalysisId: x.id, NetworkInsightsAccessScopeId: x.scopeId, ...f })),
    NextToken: r.nextToken,
  };
}
