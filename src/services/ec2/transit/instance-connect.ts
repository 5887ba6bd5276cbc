/**
 * EC2 Instance Connect Endpoints: one per VPC and five per region (AWS's quotas), in a subnet with an
 * EC2-managed network interface (type ec2_instance_connect_endpoint) carrying the endpoint's security groups
 * (the VPC's default group when none is given). PreserveClientIp (default false) is for IPv4 endpoints only;
 * IpAddressType defaults to the subnet's (dualstack when it has an IPv6 block). Create answers create-in-progress; the endpoint is
 * create-complete on the next read. Delete removes the interface.
 */
import { createHash } from "node:crypto";
import type { Ctx } from "../../core/types.js";
import { ec2Id } from "../../core/ids.js";
import { applyTagSpec, dropTags, dryRun, list, select, tagsOf, zonesOf, type Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { getSubnet, newEni, removeEni } from "../network.js";
import type { Ec2State } from "../state.js";
import { tr, type EiceRec } from "./state.js";

const e = Ec2Errors.custom;
const PER_REGION = 5;
const preserveIpv4Only = () => Ec2Errors.invalidCombination("PreserveClientIp is only supported on IPv4 EC2 Instance Connect Endpoints (IpAddressType ipv4).");

export const eiceNotFound = (id: string) => e("InvalidInstanceConnectEndpointId.NotFound", `The instance connect endpoint ID '${id}' does not exist`);

const arn = (s: Ec2State, id: string) => `arn:aws:ec2:${s.region}:${s.accountId}:instance-connect-endpoint/${id}`;

function view(s: Ec2State, x: EiceRec, state = x.state) {
  const host = (fips: boolean, stack = "") => `${x.id}.${x.dnsLabel}.${fips ? "fips." : ""}ec2-instance-connect-endpoint${stack}.${s.region}.amazonaws.com`;
  const dual = x.ipAddressType !== "ipv4";
  return {
    OwnerId: s.accountId,
    InstanceConnectEndpointId: x.id,
    InstanceConnectEndpointArn: arn(s, x.id),
    State: state,
    StateMessage: "",
    DnsName: host(false),
    FipsDnsName: host(true),
    NetworkInterfaceIds: x.eniIds,
    VpcId: x.vpcId,
    AvailabilityZone: x.az,
    AvailabilityZoneId: x.azId,
    CreatedAt: x.created,
    SubnetId: x.subnetId,
    PreserveClientIp: x.preserveClientIp,
    SecurityGroupIds: x.groupIds,
    IpAddressType: x.ipAddressType,
    PublicDnsNames: {
      Ipv4: { DnsName: host(false), FipsDnsName: host(true) },
      Dualstack: dual ? { DnsName: host(false, ".dualstack"), FipsDnsName: host(true, ".dualstack") } : undefined,
    },
    Tags: tagsOf(x),
  };
}

function get(ctx: Ctx, id: string) {
  const { s, t } = tr(ctx);
  const x = t.eices.get(id);
  if (!x) throw eiceNotFound(id);
  return { s, t, x };
}

function groupsFor(s: Ec2State, vpcId: string, ids: string[]): string[] {
  for (const g of ids) {
    const sg = s.sgs.get(g);
    if (!sg) throw Ec2Errors.groupNotFound(g);
    if (sg.vpcId !== vpcId) throw Ec2Errors.invalidValue(`Security group ${g} does not belong to VPC ${vpcId}.`);
  }
  if (ids.length) return ids;
  const def = [...s.sgs.values()].find((g) => g.vpcId === vpcId && g.name === "default");
  return def ? [def.id] : [];
}

export function CreateInstanceConnectEndpoint(ctx: Ctx, input: Input) {
  const { s, t } = tr(ctx);
  if (input.ClientToken) {
    const same = [...t.eices.values()].find((x) => x.clientToken === input.ClientToken);
    if (same) {
      if (same.subnetId !== input.SubnetId)
        throw e(
          "IdempotentParameterMismatch",
          "The client token you have provided is associated with a resource that is already deleted or has different parameters.",
        );
      return { InstanceConnectEndpoint: view(s, same), ClientToken: input.ClientToken };
    }
  }
  const sub = getSubnet(s, String(input.SubnetId));
  const groups = groupsFor(s, sub.vpcId, list(input.SecurityGroupIds));
  const ipType = String(input.IpAddressType ?? (sub.ipv6 ? "dualstack" : "ipv4"));
  if (ipType !== "ipv4" && !sub.ipv6) throw Ec2Errors.invalidValue(`Subnet ${sub.id} does not have an IPv6 CIDR block; IpAddressType ${ipType} requires one.`);
  if (ipType !== "ipv4" && input.PreserveClientIp === true) throw preserveIpv4Only();
  const live = [...t.eices.values()];
  if (live.some((x) => x.vpcId === sub.vpcId))
    throw e("ResourceLimitExceeded", `You've reached the limit of EC2 Instance Connect Endpoints for VPC ${sub.vpcId}.`);
  if (live.length >= PER_REGION)
    throw e("ResourceLimitExceeded", "You've reached the limit of EC2 Instance Connect Endpoints for this account in this Region.");
  dryRun(input);
  const id = ec2Id("eice");
  const eni = newEni(s, sub, groups, `EC2 Instance Connect Endpoint ${id}`, undefined, "ec2_instance_connect_endpoint");
  eni.requesterManaged = true;
  const x: EiceRec = {
    id,
    subnetId: sub.id,
    vpcId: sub.vpcId,
    az: sub.az,
    azId: zonesOf(s.region).find((z) => z.name === sub.az)?.id ?? sub.az,
    groupIds: groups,
    preserveClientIp: input.PreserveClientIp === true,
    ipAddressType: ipType,
    eniIds: [eni.id],
    dnsLabel: createHash("sha256").update(s.accountId).digest("hex").slice(0, 8),
    state: "create-complete",
    created: ctx.now(),
    clientToken: input.ClientToken,
    tags: new Map(),
  };
  t.eices.set(id, x);
  applyTagSpec(s, input, "instance-connect-endpoint", id, x);
  return { InstanceConnectEndpoint: view(s, x, "create-in-progress"), ClientToken: input.ClientToken };
}

export function DeleteInstanceConnectEndpoint(ctx: Ctx, input: Input) {
  const { s, t, x } = get(ctx, String(input.InstanceConnectEndpointId));
  dryRun(input);
  for (const id of x.eniIds) {
    const eni = s.enis.get(id);
    if (eni) removeEni(s, eni);
  }
  dropTags(s, x.id, x);
  t.eices.delete(x.id);
  return { InstanceConnectEndpoint: view(s, x, "delete-in-progress") };
}

export function ModifyInstanceConnectEndpoint(ctx: Ctx, input: Input) {
  const { s, x } = get(ctx, String(input.InstanceConnectEndpointId));
  if (input.IpAddressType === undefined && input.SecurityGroupIds === undefined && input.PreserveClientIp === undefined)
    throw Ec2Errors.missing("IpAddressType, SecurityGroupIds or PreserveClientIp");
  const sub = s.subnets.get(x.subnetId);
  const groups = input.SecurityGroupIds !== undefined ? groupsFor(s, x.vpcId, list(input.SecurityGroupIds)) : undefined;
  const ipType = String(input.IpAddressType ?? x.ipAddressType);
  if (ipType !== "ipv4" && !sub?.ipv6)
    throw Ec2Errors.invalidValue(`Subnet ${x.subnetId} does not have an IPv6 CIDR block; IpAddressType ${ipType} requires one.`);
  const preserve = input.PreserveClientIp ?? x.preserveClientIp;
  if (ipType !== "ipv4" && preserve) throw preserveIpv4Only();
  dryRun(input);
  x.ipAddressType = ipType;
  x.preserveClientIp = preserve;
  if (groups) {
    x.groupIds = groups;
    for (const id of x.eniIds) {
      const eni = s.enis.get(id);
      if (eni) eni.groups = [...groups];
    }
  }
  return { Return: true };
}

export function DescribeInstanceConnectEndpoints(ctx: Ctx, input: Input) {
  dryRun(input);
  const { s, t } = tr(ctx);
  const ids = list(input.InstanceConnectEndpointIds);
  for (const id of ids) if (!t.eices.has(id)) throw eiceNotFound(id);
  const r = select(
    ids.length ? ids.map((id) => t.eices.get(id)!) : [...t.eices.values()],
    input,
    {
      "instance-connect-endpoint-id": (x) => x.id,
      state: (x) => x.state,
      "vpc-id": (x) => x.vpcId,
      "subnet-id": (x) => x.subnetId,
    },
    (x) => x.id,
    { paginate: true, min: 1, max: 50 },
  );
  return { InstanceConnectEndpoints: r.items.map((x) => view(s, x)), NextToken: r.nextToken };
}
