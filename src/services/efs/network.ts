/** Mount targets (in EC2 subnets, with security groups) and access points. */
import { isAwsError } from "../../protocols/aws-error.js";
import type { Ctx } from "../core/types.js";
import { zonesOf } from "../ec2/common.js";
import { addIpv6 } from "../ec2/ipv6.js";
import { ipv6OnlyRequest, newEni, removeEni } from "../ec2/network.js";
import type { Ec2State, EniRec, SubnetRec } from "../ec2/state.js";
import { type Ap, apArn, E, type EfsState, err, getAp, getFs, getMt, type Input, type Mt, newId, page, st } from "./state.js";

type Ec2View = Ec2State;

function mtView(s: EfsState, m: Mt, state = "available") {
  return {
    OwnerId: s.accountId,
    MountTargetId: m.id,
    FileSystemId: m.fsId,
    SubnetId: m.subnetId,
    LifeCycleState: state,
    IpAddress: m.ip,
    Ipv6Address: m.ipv6,
    NetworkInterfaceId: m.eni,
    AvailabilityZoneId: zonesOf(s.region).find((z) => z.name === m.az)?.id,
    AvailabilityZoneName: m.az,
    VpcId: m.vpcId,
  };
}

function resolveGroups(ec2: Ec2View, vpcId: string, groups: string[] | undefined): string[] {
  if (!groups?.length) {
    const def = [...ec2.sgs.values()].find((g) => g.vpcId === vpcId && g.name === "default");
    return def ? [def.id] : [];
  }
  if (groups.length > 5) throw err("SecurityGroupLimitExceeded", "The number of security groups exceeds the limit of 5 per mount target.", 400);
  for (const g of groups) {
    const sg = ec2.sgs.get(g);
    if (!sg) throw err("SecurityGroupNotFound", `The security group '${g}' does not exist.`, 400);
    if (sg.vpcId !== vpcId) throw err("SecurityGroupNotFound", `The security group '${g}' does not belong to VPC '${vpcId}'.`, 400);
  }
  return [...new Set(groups)];
}

/**
 * The mount target's network interface: a requester-managed ENI in the subnet, made through EC2 so that
 * DescribeNetworkInterfaces shows it and its address is never handed to anything else in the subnet.
 */
function mountTargetEni(ec2: Ec2State, sub: SubnetRec, groups: string[], description: string, wanted?: string): EniRec {
  try {
    const eni = newEni(ec2, sub, groups, description, wanted);
    eni.requesterManaged = true;
    return eni;
  } catch (e) {
    // EC2's allocator decides (outside the subnet, or one of its five reserved addresses); EFS words it its way.
    if (isAwsError(e) && e.code === "InvalidParameterValue") throw E.bad(`IP address '${wanted}' is not in the subnet's available range.`);
    if (isAwsError(e) && e.code === "InvalidIPAddress.InUse") throw err("IpAddressInUse", `IP address '${wanted}' is already in use.`, 409);
    if (isAwsError(e) && e.code === "InsufficientFreeAddressesInSubnet")
      throw err("NoFreeAddressesInSubnet", `The subnet '${sub.id}' has no free IP addresses.`, 409);
    throw e;
  }
}

function apView(s: EfsState, a: Ap, state = "available") {
  return {
    ClientToken: a.token,
    Name: a.tags.find((t) => t.Key === "Name")?.Value,
    Tags: a.tags,
    AccessPointId: a.id,
    AccessPointArn: apArn(s, a.id),
    FileSystemId: a.fsId,
    PosixUser: a.posixUser,
    RootDirectory: a.rootDirectory ?? { Path: "/" },
    OwnerId: s.accountId,
    LifeCycleState: state,
  };
}

const AP_LIMIT = 10_000;

export const networkOps: Record<string, (ctx: Ctx, v: Input) => unknown> = {
  async CreateMountTarget(ctx, v) {
    const s = st(ctx);
    const f = getFs(s, v.FileSystemId);
    const ec2 = await ctx.stateOf<Ec2View>("ec2");
    const sub = ec2.subnets.get(String(v.SubnetId));
    if (!sub) throw err("SubnetNotFound", `The subnet ID '${v.SubnetId}' does not exist`, 400);
    if (f.az && f.az !== sub.az)
      throw err("AvailabilityZonesMismatch", `The subnet's Availability Zone '${sub.az}' does not match the file system's Availability Zone '${f.az}'.`, 400);
    const others = [...s.mts.values()].filter((m) => m.fsId === f.id);
    if (others.some((m) => m.az === sub.az)) throw err("MountTargetConflict", "mount target already exists in this AZ", 409);
    if (others.some((m) => m.vpcId !== sub.vpcId)) throw err("MountTargetConflict", "All mount targets of a file system must be in the same VPC", 409);
    const groups = resolveGroups(ec2, sub.vpcId, v.SecurityGroups);
    const id = newId(s, "fsmt");
    // IpAddressType: "IPV4_ONLY – ... IPv4 only subnet or dual-stack subnet. DUAL_STACK – ... dual-stack subnet. IPV6_ONLY
    // – ... IPv6 only subnet. Creating IPv6 mount target only ENI in dual-stack subnet is not supported." (API reference)
    const type = String(v.IpAddressType ?? "IPV4_ONLY");
    if (type !== "IPV4_ONLY" && !sub.ipv6) throw E.bad(`The subnet '${sub.id}' has no IPv6 CIDR block; a ${type} mount target needs one.`);
    if (type === "IPV6_ONLY" && !sub.ipv6Native) throw E.bad("Creating IPv6 mount target only ENI in dual-stack subnet is not supported.");
    // An IPv6-only subnet has no IPv4 range, so IPV4_ONLY (the default) and DUAL_STACK have no IPv4 address to take there.
    if (type !== "IPV6_ONLY" && sub.ipv6Native) throw E.bad(`The subnet '${sub.id}' is IPv6-only; a ${type} mount target needs an IPv4 CIDR block.`);
    // IPV6_ONLY: the interface has no IPv4 address ("IpAddress or Ipv6Address" in the response); an IpAddress asked
    // for is not in the subnet's range (it has none).
    const eni = mountTargetEni(ec2, sub, groups, `EFS mount target for ${f.id} (${id})`, v.IpAddress);
    let ipv6: string | undefined;
    if (type === "DUAL_STACK" || type === "IPV6_ONLY") {
      const wanted = v.Ipv6Address !== undefined ? [String(v.Ipv6Address)] : [];
      try {
        if (type === "IPV6_ONLY") {
          // newEni gave the interface one address of the subnet's /64; a requested one replaces it.
          ipv6OnlyRequest(sub, eni, wanted, 0);
          ipv6 = wanted.length ? addIpv6(ec2, eni, wanted, 0)[0] : eni.ipv6Ips[0];
        } else ipv6 = addIpv6(ec2, eni, wanted, wanted.length ? 0 : 1)[0];
      } catch (e) {
        removeEni(ec2, eni);
        if (isAwsError(e) && e.code === "InvalidIPAddress.InUse") throw err("IpAddressInUse", `IP address '${v.Ipv6Address}' is already in use.`, 409);
        if (isAwsError(e)) throw E.bad(`IPv6 address '${v.Ipv6Address}' is not in the subnet's available range.`);
        throw e;
      }
    }
    const m: Mt = { id, fsId: f.id, subnetId: sub.id, vpcId: sub.vpcId, az: sub.az, ip: eni.privateIp || undefined, ipv6, eni: eni.id, groups };
    s.mts.set(m.id, m);
    return mtView(s, m, "creating");
  },
  DescribeMountTargets(ctx, v) {
    const s = st(ctx);
    const given = [v.FileSystemId, v.MountTargetId, v.AccessPointId].filter((x) => x !== undefined).length;
    if (given !== 1) throw E.bad("Exactly one of FileSystemId, MountTargetId or AccessPointId must be specified.");
    if (v.MountTargetId) return { MountTargets: [mtView(s, getMt(s, v.MountTargetId))] };
    const fsId = v.FileSystemId ? getFs(s, v.FileSystemId).id : getAp(s, v.AccessPointId).fsId;
    const all = [...s.mts.values()].filter((m) => m.fsId === fsId).sort((a, b) => (a.id < b.id ? -1 : 1));
    // "Currently, this number is automatically set to 10, and other values are ignored" (MaxItems).
    const p = page(all, v.Marker, undefined, 10, (m) => m.id);
    return { MountTargets: p.items.map((m) => mtView(s, m)), Marker: v.Marker, NextMarker: p.next };
  },
  async DeleteMountTarget(ctx, v) {
    const s = st(ctx);
    const m = getMt(s, v.MountTargetId);
    s.mts.delete(m.id);
    const ec2 = await ctx.stateOf<Ec2View>("ec2");
    const eni = ec2.enis.get(m.eni);
    if (eni) removeEni(ec2, eni);
    return {};
  },
  DescribeMountTargetSecurityGroups: (ctx, v) => ({ SecurityGroups: getMt(st(ctx), v.MountTargetId).groups }),
  async ModifyMountTargetSecurityGroups(ctx, v) {
    const m = getMt(st(ctx), v.MountTargetId);
    const ec2 = await ctx.stateOf<Ec2View>("ec2");
    m.groups = resolveGroups(ec2, m.vpcId, v.SecurityGroups);
    const eni = ec2.enis.get(m.eni);
    if (eni) eni.groups = [...m.groups];
    return {};
  },
  CreateAccessPoint(ctx, v) {
    const s = st(ctx);
    const f = getFs(s, v.FileSystemId);
    const token = String(v.ClientToken);
    const dup = [...s.aps.values()].find((a) => a.token === token);
    if (dup) throw err("AccessPointAlreadyExists", `Access point '${dup.id}' already exists with client token '${token}'.`, 409, { AccessPointId: dup.id });
    if (v.RootDirectory?.Path !== undefined && !String(v.RootDirectory.Path).startsWith("/")) throw E.bad("The RootDirectory Path must be an absolute path.");
    // AWS's text (kubernetes-sigs/aws-efs-csi-driver#517, when the quota was 120; 10,000 since 2025).
    if ([...s.aps.values()].filter((a) => a.fsId === f.id).length >= AP_LIMIT)
      throw err(
        "AccessPointLimitExceeded",
        `You have reached the maximum number of access points (${AP_LIMIT}) for your file system ${f.id}. Delete an access point and add a new one.`,
        403,
      );
    const a: Ap = { id: newId(s, "fsap"), fsId: f.id, token, tags: v.Tags ?? [], posixUser: v.PosixUser, rootDirectory: v.RootDirectory };
    s.aps.set(a.id, a);
    return apView(s, a, "creating");
  },
  DescribeAccessPoints(ctx, v) {
    const s = st(ctx);
    if (v.AccessPointId && v.FileSystemId) throw E.bad("AccessPointId and FileSystemId can't both be specified.");
    if (v.AccessPointId) return { AccessPoints: [apView(s, getAp(s, v.AccessPointId))] };
    const fsId = v.FileSystemId ? getFs(s, v.FileSystemId).id : undefined;
    const all = [...s.aps.values()].filter((a) => !fsId || a.fsId === fsId).sort((a, b) => (a.id < b.id ? -1 : 1));
    const p = page(all, v.NextToken, v.MaxResults, 100, (a) => a.id);
    return { AccessPoints: p.items.map((a) => apView(s, a)), NextToken: p.next };
  },
  DeleteAccessPoint(ctx, v) {
    const s = st(ctx);
    s.aps.delete(getAp(s, v.AccessPointId).id);
    return {};
  },
};
