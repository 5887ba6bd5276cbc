/**
 * Instance and network-interface attributes: detailed monitoring on and off (DescribeInstances shows it),
 * ResetInstanceAttribute (kernel, ramdisk, sourceDestCheck), DescribeNetworkInterfaceAttribute and
 * ResetNetworkInterfaceAttribute, and ClassicLink, which AWS retired with EC2-Classic: every ClassicLink
 * operation answers UnsupportedOperation, as AWS does in regions without EC2-Classic.
 */
import type { Ctx } from "../../core/types.js";
import { dryRun, list, required, st, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { stateOf } from "../instances.js";
import type { Ec2State, EniRec, InstanceRec } from "../state.js";

const e = Ec2Errors.custom;
const INSTANCE_ID = /^i-[0-9a-f]{8}([0-9a-f]{9})?$/;
const ENI_ID = /^eni-[0-9a-f]{8}([0-9a-f]{9})?$/;

export function instancesNamed(s: Ec2State, ids: string[]): InstanceRec[] {
  for (const id of ids) if (!INSTANCE_ID.test(id)) throw Ec2Errors.malformed("Instance", id);
  const missing = ids.filter((id) => !s.instances.has(id));
  if (missing.length) throw Ec2Errors.notFound("Instance", "instance", missing);
  return ids.map((id) => s.instances.get(id)!);
}

export function eniNamed(s: Ec2State, id: string): EniRec {
  if (!ENI_ID.test(id)) throw Ec2Errors.malformed("NetworkInterface", id);
  const eni = s.enis.get(id);
  if (!eni) throw Ec2Errors.notFound("NetworkInterface", "networkInterface", [id]);
  return eni;
}

// ---------------------------------------------------------------- monitoring

function monitoring(ctx: Ctx, input: Input, on: boolean) {
  const s = st(ctx);
  const targets = instancesNamed(s, list(input.InstanceIds));
  for (const i of targets)
    if (stateOf(i, ctx.config.transitionDelayMs) === "terminated") throw Ec2Errors.incorrectState(i.id, on ? "monitored" : "unmonitored");
  dryRun(input);
  return {
    InstanceMonitorings: targets.map((i) => {
      const wanted = on ? "enabled" : "disabled";
      const changing = i.monitoring !== wanted;
      i.monitoring = wanted;
      return { InstanceId: i.id, Monitoring: { State: changing ? (on ? "pending" : "disabling") : wanted } };
    }),
  };
}

export const MonitorInstances = (ctx: Ctx, input: Input) => monitoring(ctx, input, true);
export const UnmonitorInstances = (ctx: Ctx, input: Input) => monitoring(ctx, input, false);

// ---------------------------------------------------------------- instance attributes

export function ResetInstanceAttribute(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const [i] = instancesNamed(s, [required(input, "InstanceId")]);
  const x = i!;
  const attr = required(input, "Attribute");
  if (attr !== "kernel" && attr !== "ramdisk" && attr !== "sourceDestCheck")
    throw Ec2Errors.invalidValue(`Value (${attr}) for parameter attribute is invalid. Only kernel, ramdisk and sourceDestCheck can be reset.`);
  const state = stateOf(x, ctx.config.transitionDelayMs);
  if (state === "terminated") throw Ec2Errors.notFound("Instance", "instance", [x.id]);
  if (attr !== "sourceDestCheck" && state !== "stopped") throw e("IncorrectInstanceState", `The instance '${x.id}' is not in the 'stopped' state.`);
  dryRun(input);
  if (attr === "kernel") x.kernelId = undefined;
  else if (attr === "ramdisk") x.ramdiskId = undefined;
  else {
    x.sourceDestCheck = true;
    const eni = s.enis.get(x.eniId);
    if (eni) eni.sourceDestCheck = true;
  }
  return { Return: true };
}

// ---------------------------------------------------------------- network interface attributes

const ENI_ATTRIBUTES = ["description", "groupSet", "sourceDestCheck", "attachment", "associatePublicIpAddress"];

export function DescribeNetworkInterfaceAttribute(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const eni = eniNamed(s, required(input, "NetworkInterfaceId"));
  const attr = required(input, "Attribute");
  if (!ENI_ATTRIBUTES.includes(attr)) throw Ec2Errors.invalidValue(`Value (${attr}) for parameter attribute is invalid. Unknown attribute.`);
  dryRun(input);
  const out: Record<string, unknown> = { NetworkInterfaceId: eni.id };
  if (attr === "description") out.Description = { Value: eni.description };
  else if (attr === "groupSet") out.Groups = eni.groups.map((g) => ({ GroupId: g, GroupName: s.sgs.get(g)?.name }));
  else if (attr === "sourceDestCheck") out.SourceDestCheck = { Value: eni.sourceDestCheck };
  else if (attr === "attachment") {
    const a = eni.attachment;
    if (a)
      out.Attachment = {
        AttachmentId: a.id,
        InstanceId: a.instanceId,
        InstanceOwnerId: s.accountId,
        DeviceIndex: a.deviceIndex,
        NetworkCardIndex: 0,
        Status: "attached",
        AttachTime: a.attachTime,
        DeleteOnTermination: a.deleteOnTermination,
      };
  } else {
    const inst = eni.attachment ? s.instances.get(eni.attachment.instanceId) : undefined;
    const viaInstance = !!inst && inst.eniId === eni.id && !!inst.publicIp;
    out.AssociatePublicIpAddress = viaInstance || [...s.addresses.values()].some((a) => a.eniId === eni.id);
  }
  return out;
}

export function ResetNetworkInterfaceAttribute(ctx: Ctx, input: Input) {
  const s = st(ctx);
  const eni = eniNamed(s, required(input, "NetworkInterfaceId"));
  if (input.SourceDestCheck === undefined) throw Ec2Errors.missing("SourceDestCheck");
  dryRun(input);
  eni.sourceDestCheck = true;
  const inst = eni.attachment ? s.instances.get(eni.attachment.instanceId) : undefined;
  if (inst && inst.eniId === eni.id) inst.sourceDestCheck = true;
  return { Return: true };
}

// ---------------------------------------------------------------- ClassicLink (retired with EC2-Classic)

function classicLinkUnsupported() {
  throw e("UnsupportedOperation", "The functionality you requested is not available in this region.");
}

export const classicLinkOperations = {
  AttachClassicLinkVpc: classicLinkUnsupported,
  DetachClassicLinkVpc: classicLinkUnsupported,
  DescribeClassicLinkInstances: classicLinkUnsupported,
  DescribeVpcClassicLink: classicLinkUnsupported,
  DescribeVpcClassicLinkDnsSupport: classicLinkUnsupported,
  EnableVpcClassicLink: classicLinkUnsupported,
  DisableVpcClassicLink: classicLinkUnsupported,
  EnableVpcClassicLinkDnsSupport: classicLinkUnsupported,
  DisableVpcClassicLinkDnsSupport: classicLinkUnsupported,
};
