/**
 * VPC encryption controls: one per VPC, created in monitor mode; switching to enforce succeeds only when no
 * resource of the VPC blocks enforcement (attached internet, egress-only and virtual private gateways, NAT
 * gateways, active peering connections), unless its kind is excluded; otherwise the control ends in
 * enforce-failed with the blocking resources named. Transitions are instant (creating → available).
 */
import { ec2Id } from "../../core/ids.js";
import type { Ctx } from "../../core/types.js";
import { applyTagSpec, dropTags, dryRun, list, required, select, tagList, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { getVpc, natState } from "../network.js";
import type { Ec2State } from "../state.js";
import { addr, type AddrState, type EncryptionControlRec } from "./state.js";

const e = Ec2Errors.custom;
const notFound = (id: string) => e("InvalidVpcEncryptionControlId.NotFound", `The vpcEncryptionControl ID '${id}' does not exist`);

/** Exclusion kinds: input member → output member. */
const EXCLUSIONS: Array<[string, string]> = [
  ["InternetGatewayExclusion", "internetGateway"],
  ["EgressOnlyInternetGatewayExclusion", "egressOnlyInternetGateway"],
  ["NatGatewayExclusion", "natGateway"],
  ["VirtualPrivateGatewayExclusion", "virtualPrivateGateway"],
  ["VpcPeeringExclusion", "vpcPeering"],
  ["LambdaExclusion", "lambda"],
  ["VpcLatticeExclusion", "vpcLattice"],
  ["ElasticFileSystemExclusion", "elasticFileSystem"],
];

export const encryptionControlView = (x: EncryptionControlRec) => ({
  vpcId: x.vpcId,
  vpcEncryptionControlId: x.id,
  mode: x.mode,
  state: x.state,
  stateMessage: x.stateMessage,
  resourceExclusions: Object.fromEntries(EXCLUSIONS.map(([, k]) => [k, { state: x.exclusions[k] ?? "disabled" }])),
  tagSet: tagList(x),
});

/** Resources of a VPC that stop enforce mode, with the exclusion kind that would let them stay. */
function blocking(ctx: Ctx, s: Ec2State, vpcId: string) {
  const out: Array<{ id: string; type: string; kind: string; description: string }> = [];
  for (const g of s.igws.values())
    if (g.vpcId === vpcId) out.push({ id: g.id, type: "internet-gateway", kind: "internetGateway", description: "Internet gateway" });
  for (const g of s.eigws.values())
    if (g.vpcId === vpcId)
      out.push({ id: g.id, type: "egress-only-internet-gateway", kind: "egressOnlyInternetGateway", description: "Egress-only internet gateway" });
  for (const n of s.nats.values())
    if (n.vpcId === vpcId && !["deleted", "deleting"].includes(natState(n, ctx.config.transitionDelayMs)))
      out.push({ id: n.id, type: "nat-gateway", kind: "natGateway", description: "NAT gateway" });
  for (const g of s.vgws.values())
    if (g.vpcId === vpcId) out.push({ id: g.id, type: "vpn-gateway", kind: "virtualPrivateGateway", description: "Virtual private gateway" });
  for (const p of s.peerings.values())
    if (p.status === "active" && (p.requester.vpcId === vpcId || p.accepter.vpcId === vpcId))
      out.push({ id: p.id, type: "vpc-peering-connection", kind: "vpcPeering", description: "VPC peering connection" });
  return out;
}

function getControl(a: AddrState, id: string): EncryptionControlRec {
  const x = a.encryptionControls.get(id);
  if (!x) throw notFound(id);
  return x;
}

export function CreateVpcEncryptionControl(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const vpc = getVpc(s, required(input, "VpcId"));
  if ([...a.encryptionControls.values()].some((x) => x.vpcId === vpc.id)) throw e("InvalidParameterValue", `VPC ${vpc.id} already has an encryption control.`);
  dryRun(input);
  const x: EncryptionControlRec = {
    id: ec2Id("vpcec"),
    vpcId: vpc.id,
    mode: "monitor",
    state: "available",
    exclusions: Object.fromEntries(EXCLUSIONS.map(([, k]) => [k, "disabled"])),
    tags: new Map(),
  };
  a.encryptionControls.set(x.id, x);
  applyTagSpec(s, input, "vpc-encryption-control", x.id, x);
  return { vpcEncryptionControl: { ...encryptionControlView(x), state: "creating" } };
}

export function ModifyVpcEncryptionControl(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const x = getControl(a, required(input, "VpcEncryptionControlId"));
  dryRun(input);
  for (const [member, k] of EXCLUSIONS) if (input[member] !== undefined) x.exclusions[k] = input[member] === "enable" ? "enabled" : "disabled";
  x.stateMessage = undefined;
  x.state = "available";
  let answer = x.state;
  if (input.Mode === "enforce" && x.mode !== "enforce") {
    const left = blocking(ctx, s, x.vpcId).filter((b) => x.exclusions[b.kind] !== "enabled");
    answer = "enforce-in-progress";
    if (left.length) {
      x.state = "enforce-failed";
      x.stateMessage = `Resources block encryption enforcement: ${left.map((b) => b.id).join(", ")}`;
    } else x.mode = "enforce";
  } else if (input.Mode === "monitor" && x.mode !== "monitor") {
    x.mode = "monitor";
    answer = "monitor-in-progress";
  }
  return { vpcEncryptionControl: { ...encryptionControlView(x), state: answer } };
}

export function DeleteVpcEncryptionControl(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const x = getControl(a, required(input, "VpcEncryptionControlId"));
  dryRun(input);
  dropTags(s, x.id, x);
  a.encryptionControls.delete(x.id);
  return { vpcEncryptionControl: { ...encryptionControlView(x), state: "deleting" } };
}

export function DescribeVpcEncryptionControls(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  dryRun(input);
  for (const [id, x] of a.encryptionControls) if (!s.vpcs.has(x.vpcId)) a.encryptionControls.delete(id);
  const ids = list(input.VpcEncryptionControlIds);
  for (const id of ids) getControl(a, id);
  const vpcs = list(input.VpcIds);
  const rows = (ids.length ? ids.map((id) => a.encryptionControls.get(id)!) : [...a.encryptionControls.values()]).filter(
    (x) => !vpcs.length || vpcs.includes(x.vpcId),
  );
  const r = select(
    rows,
    input,
    { "vpc-id": (x) => x.vpcId, mode: (x) => x.mode, state: (x) => x.state, "vpc-encryption-control-id": (x) => x.id },
    (x) => x.id,
    {
      paginate: true,
      min: 5,
      max: 1000,
    },
  );
  return { vpcEncryptionControlSet: r.items.map(encryptionControlView), nextToken: r.nextToken };
}

export function GetVpcResourcesBlockingEncryptionEnforcement(ctx: Ctx, input: Input) {
  const { s } = addr(ctx);
  const vpc = getVpc(s, required(input, "VpcId"));
  dryRun(input);
  const rows = blocking(ctx, s, vpc.id).map((b) => ({ ...b, tags: new Map<string, string>() }));
  const r = select(rows, { MaxResults: input.MaxResults, NextToken: input.NextToken }, {}, (x) => x.id, { paginate: true, min: 5, max: 1000 });
  return { nonCompliantResourceSet: r.items.map((b) => ({ id: b.id, type: b.type, description: b.description, isExcludable: true })), nextToken: r.nextToken };
}
