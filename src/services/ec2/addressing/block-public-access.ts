/**
 * VPC Block Public Access: the account/region options (internet gateway block mode; default-state until first
 * modified, then update-complete) and exclusions of VPCs or subnets (create-complete → delete-complete; a
 * deleted exclusion stays visible with its deletion time). At most 50 exclusions per account and Region.
 */
import { ec2Id } from "../../core/ids.js";
import type { Ctx, Handler } from "../../core/types.js";
import { applyTagSpec, dryRun, list, required, select, tagList, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { getSubnet, getVpc } from "../network.js";
import type { Ec2State } from "../state.js";
import { encryptionControlView } from "./encryption-controls.js";
import { addr, type AddrState, type BpaExclusionRec } from "./state.js";

const e = Ec2Errors.custom;
const MAX_EXCLUSIONS = 50;

function options(a: AddrState) {
  return (a.bpaOptions ??= { mode: "off", state: "default-state", exclusionsAllowed: "allowed" });
}

const optionsView = (s: Ec2State, a: AddrState) => {
  const o = options(a);
  return {
    awsAccountId: s.accountId,
    awsRegion: s.region,
    state: o.state,
    internetGatewayBlockMode: o.mode,
    reason: o.reason,
    lastUpdateTimestamp: o.updated,
    managedBy: "account",
    exclusionsAllowed: o.exclusionsAllowed,
  };
};

export function DescribeVpcBlockPublicAccessOptions(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, a } = addr(ctx);
  return { vpcBlockPublicAccessOptions: optionsView(s, a) };
}

export function ModifyVpcBlockPublicAccessOptions(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const mode = required(input, "InternetGatewayBlockMode");
  dryRun(input);
  const o = options(a);
  o.mode = mode;
  o.state = "update-complete";
  o.updated = ctx.now();
  return { vpcBlockPublicAccessOptions: { ...optionsView(s, a), state: "update-in-progress" } };
}

const exclusionView = (x: BpaExclusionRec) => ({
  exclusionId: x.id,
  internetGatewayExclusionMode: x.mode,
  resourceArn: x.resourceArn,
  state: x.state,
  reason: x.reason,
  creationTimestamp: x.created,
  lastUpdateTimestamp: x.updated,
  deletionTimestamp: x.deleted,
  tagSet: tagList(x),
});

const live = (x: BpaExclusionRec) => x.state !== "delete-complete";

function getExclusion(a: AddrState, id: string): BpaExclusionRec {
  const x = a.bpaExclusions.get(id);
  if (!x || !live(x)) throw e("InvalidVpcBlockPublicAccessExclusionId.NotFound", `The vpcBlockPublicAccessExclusion ID '${id}' does not exist`);
  return x;
}

export function CreateVpcBlockPublicAccessExclusion(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  if (!!input.VpcId === !!input.SubnetId) throw Ec2Errors.invalidCombination("Exactly one of VpcId or SubnetId must be specified.");
  const arn = input.VpcId
    ? `arn:aws:ec2:${s.region}:${s.accountId}:vpc/${getVpc(s, String(input.VpcId)).id}`
    : `arn:aws:ec2:${s.region}:${s.accountId}:subnet/${getSubnet(s, String(input.SubnetId)).id}`;
  if (options(a).exclusionsAllowed !== "allowed") throw e("OperationNotPermitted", "Exclusions are not allowed for this account.");
  const current = [...a.bpaExclusions.values()].filter(live);
  if (current.some((x) => x.resourceArn === arn))
    throw e("InvalidParameterValue", `An exclusion already exists for resource ${arn.slice(arn.lastIndexOf("/") + 1)}.`);
  if (current.length >= MAX_EXCLUSIONS) throw e("VpcBlockPublicAccessExclusionLimitExceeded", "You have reached the limit of exclusions for this account.");
  dryRun(input);
  const now = ctx.now();
  const x: BpaExclusionRec = {
    id: ec2Id("vpcbpa-exclude"),
    mode: required(input, "InternetGatewayExclusionMode"),
    resourceArn: arn,
    state: "create-complete",
    created: now,
    updated: now,
    tags: new Map(),
  };
  a.bpaExclusions.set(x.id, x);
  applyTagSpec(s, input, "vpc-block-public-access-exclusion", x.id, x);
  return { vpcBlockPublicAccessExclusion: { ...exclusionView(x), state: "create-in-progress" } };
}

export function ModifyVpcBlockPublicAccessExclusion(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  const x = getExclusion(a, required(input, "ExclusionId"));
  const mode = required(input, "InternetGatewayExclusionMode");
  dryRun(input);
  x.mode = mode;
  x.state = "update-complete";
  x.updated = ctx.now();
  return { vpcBlockPublicAccessExclusion: { ...exclusionView(x), state: "update-in-progress" } };
}

export function DeleteVpcBlockPublicAccessExclusion(ctx: Ctx, input: Input) {
  const { s, a } = addr(ctx);
  const x = getExclusion(a, required(input, "ExclusionId"));
  dryRun(input);
  x.state = "delete-complete";
  x.deleted = x.updated = ctx.now();
  void s;
  return { vpcBlockPublicAccessExclusion: { ...exclusionView(x), state: "delete-in-progress" } };
}

export function DescribeVpcBlockPublicAccessExclusions(ctx: Ctx, input: Input) {
  const { a } = addr(ctx);
  dryRun(input);
  const ids = list(input.ExclusionIds);
  for (const id of ids)
    if (!a.bpaExclusions.has(id)) throw e("InvalidVpcBlockPublicAccessExclusionId.NotFound", `The vpcBlockPublicAccessExclusion ID '${id}' does not exist`);
  const r = select(
    ids.length ? ids.map((id) => a.bpaExclusions.get(id)!) : [...a.bpaExclusions.values()],
    input,
    {
      "resource-arn": (x) => x.resourceArn,
      "internet-gateway-exclusion-mode": (x) => x.mode,
      state: (x) => x.state,
      reason: (x) => x.reason,
    },
    (x) => x.id,
    { paginate: true, min: 5, max: 1000 },
  );
  return { vpcBlockPublicAccessExclusionSet: r.items.map(exclusionView), nextToken: r.nextToken };
}

// ---------------------------------------------------------------- VPCs and subnets show the account's BPA mode

/** DescribeVpcs with the account's BPA mode and the VPC's encryption control. */
export const describeVpcsWith =
  (base: Handler): Handler =>
  async (ctx, input: Input) => {
    const out = (await base(ctx, input)) as { vpcSet: Array<Record<string, unknown> & { vpcId: string }> };
    const { a } = addr(ctx);
    const mode = options(a).mode;
    const controls = new Map([...a.encryptionControls.values()].map((x) => [x.vpcId, x]));
    return {
      ...out,
      vpcSet: out.vpcSet.map((v) => {
        const c = controls.get(v.vpcId);
        return { ...v, blockPublicAccessStates: { internetGatewayBlockMode: mode }, encryptionControl: c ? encryptionControlView(c) : undefined };
      }),
    };
  };

/** DescribeSubnets with the account's BPA mode. */
export const describeSubnetsWith =
  (base: Handler): Handler =>
  async (ctx, input: Input) => {
    const out = (await base(ctx, input)) as { subnetSet: Array<Record<string, unknown>> };
    const mode = options(addr(ctx).a).mode;
    return { ...out, subnetSet: out.subnetSet.map((x) => ({ ...x, blockPublicAccessStates: { internetGatewayBlockMode: mode } })) };
  };
