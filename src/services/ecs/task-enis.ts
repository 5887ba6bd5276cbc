/**
 * A task's elastic network interface (awsvpc network mode). When the task's subnet exists in EC2, the
 * interface is a real EC2 network interface (requester-managed, described as the ECS attachment, in the
 * subnet with the task's security groups, a public address with assignPublicIp ENABLED), so EC2
 * DescribeNetworkInterfaces finds the id, address and MAC the task's attachment names; it is deleted when the
 * task stops. A subnet EC2 does not know gets the
 * attachment alone, as before.
 *
 * In an IPv6-only subnet the interface has one IPv6 address and no IPv4 one: "In an IPv6-only configuration, your
 * Amazon ECS tasks communicate exclusively over IPv6" (Amazon ECS Developer Guide, "Using a VPC in IPv6-only mode", for
 * Fargate, EC2 and Managed Instances). The task's container network interfaces show its ipv6Address and no
 * privateIpv4Address, and the attachment has no privateIPv4Address or privateDnsName (its details name "the private
 * IPv4 address" among them only when there is one); the task metadata's network lists IPv6Addresses alone (as
 * amazon-ecs-agent#4649 shows for IPv6-only tasks).
 */
import type { Attachment, NetworkConfiguration, Task } from "@aws-sdk/client-ecs";
import { randomUUID } from "node:crypto";
import { hex } from "../core/ids.js";
import { privateDnsName, randomPublicIp } from "../ec2/common.js";
import { freeAddresses, newEni, removeEni } from "../ec2/network.js";
import type { Ec2State } from "../ec2/state.js";
import type { EcsEnv } from "./runtime-bridge.js";

const attachmentArn = (env: EcsEnv, id: string) => `arn:aws:ecs:${env.st.region}:${env.st.accountId}:attachment/${id}`;

/**
 * The ENI attachment of a new awsvpc task (undefined without an awsvpc configuration), and the Availability Zone of
 * the subnet it is in when EC2 knows the subnet (the task runs in that zone).
 */
export async function taskEni(
  env: EcsEnv,
  n: NetworkConfiguration | undefined,
): Promise<{ attachment: Attachment; ip?: string; ipv6?: string; az?: string } | undefined> {
  const vpc = n?.awsvpcConfiguration;
  if (!vpc) return undefined;
  const id = randomUUID();
  const ec2 = await env.sim.stateOf<Ec2State>("ec2", env.st.accountId, env.st.region);
  // The first listed subnet EC2 knows that still has a free address (AWS spreads tasks over the listed
  // subnets); when every known one is full the task keeps an address outside EC2's bookkeeping instead of
  // failing (AWS would stop it with InsufficientFreeAddressesInSubnet), so large fake-mode fleets still run. An
  // IPv6-only subnet has no IPv4 address to run out of (its /64 always has one more IPv6 address).
  const listed = vpc.subnets ?? [];
  const sub = listed.map((id) => ec2.subnets.get(id)).find((x) => x !== undefined && (x.ipv6Native || freeAddresses(x) > 0));
  const subnetId = sub?.id ?? listed[0] ?? "subnet-00000000000000000";
  let eniId: string;
  let ip: string | undefined;
  let ipv6: string | undefined;
  let mac: string;
  if (sub) {
    const known = (vpc.securityGroups ?? []).filter((g) => ec2.sgs.get(g)?.vpcId === sub.vpcId);
    const def = [...ec2.sgs.values()].find((g) => g.vpcId === sub.vpcId && g.name === "default");
    const eni = newEni(ec2, sub, known.length ? known : def ? [def.id] : [], attachmentArn(env, id));
    eni.requesterManaged = true;
    // assignPublicIp ENABLED: the interface gets an Amazon-owned public address (EC2 shows it as its association); a
    // public IPv4 address maps to a private one, which an IPv6-only interface does not have.
    if (vpc.assignPublicIp === "ENABLED" && eni.privateIp) eni.publicIp = randomPublicIp();
    [eniId, ip, mac] = [eni.id, eni.privateIp || undefined, eni.mac];
    if (sub.ipv6Native) ipv6 = eni.ipv6Ips[0];
  } else {
    eniId = `eni-${hex(17)}`;
    ip = `10.0.${1 + Math.floor(Math.random() * 250)}.${2 + Math.floor(Math.random() * 250)}`;
    mac = Array.from({ length: 6 }, (_, i) => (i === 0 ? "0a" : hex(2))).join(":");
  }
  return {
    ip,
    ipv6,
    az: sub?.az,
    attachment: {
      id,
      type: "ElasticNetworkInterface",
      status: "ATTACHED",
      details: [
        { name: "subnetId", value: subnetId },
        { name: "networkInterfaceId", value: eniId },
        { name: "macAddress", value: mac },
        ...(ip
          ? [
              { name: "privateDnsName", value: privateDnsName(env.st.region, ip) },
              { name: "privateIPv4Address", value: ip },
            ]
          : []),
      ],
    },
  };
}

/** Delete the EC2 interfaces a stopped task's ENI attachments created (only ones this task's attachment owns). */
export async function releaseTaskEnis(env: EcsEnv, task: Task): Promise<void> {
  const atts = (task.attachments ?? []).filter((a) => a.type === "ElasticNetworkInterface");
  if (!atts.length) return;
  const ec2 = await env.sim.stateOf<Ec2State>("ec2", env.st.accountId, env.st.region);
  for (const a of atts) {
    const eniId = a.details?.find((d) => d.name === "networkInterfaceId")?.value;
    const eni = eniId ? ec2.enis.get(eniId) : undefined;
    if (eni && eni.description === attachmentArn(env, a.id!)) removeEni(ec2, eni);
  }
}
