/**
 * VPC CIDRs from IPAM pools: CreateVpc and AssociateVpcCidrBlock with Ipv4IpamPoolId (a CIDR of the given
 * netmask, the pool's default, or the CidrBlock asked for) or Ipv6IpamPoolId take the block from the pool
 * as a "vpc" allocation, which IPAM then reports as managed; DisassociateVpcCidrBlock and DeleteVpc give it
 * back. CreateVpc VpcEncryptionControl creates the VPC's encryption control with it.
 */
import type { Ctx, Handler } from "../../core/types.js";
import type { Input } from "../common.js";
import { Ec2Errors } from "../errors.js";
import { AllocateIpamPoolCidr } from "../families/ipam.js";
import { fam } from "../families/state.js";
import type { Ec2State } from "../state.js";
import { CreateVpcEncryptionControl, ModifyVpcEncryptionControl } from "./encryption-controls.js";
import { addr } from "./state.js";

const e = Ec2Errors.custom;

/** Carve a block for a VPC from an IPAM pool; returns the CIDR and the allocation to tag with the VPC. */
function fromPool(ctx: Ctx, s: Ec2State, poolId: string, family: "ipv4" | "ipv6", cidr: unknown, netmask: unknown) {
  const { f } = fam(ctx);
  const p = f.pools.get(poolId);
  if (!p) throw e("InvalidIpamPoolId.NotFound", `The ipam pool ID '${poolId}' does not exist`);
  if (p.addressFamily !== family) throw Ec2Errors.invalidValue(`The IPAM pool ${poolId} is not an ${family} pool.`);
  if (p.locale && p.locale !== "None" && p.locale !== s.region)
    throw Ec2Errors.invalidValue(`The IPAM pool ${poolId} has locale ${p.locale}; this VPC is in ${s.region}.`);
  const out = AllocateIpamPoolCidr(ctx, {
    IpamPoolId: poolId,
    Cidr: cidr,
    NetmaskLength: cidr === undefined ? netmask : undefined,
  }) as { IpamPoolAllocation: { Cidr: string; IpamPoolAllocationId: string } };
  const alloc = p.allocations.get(out.IpamPoolAllocation.IpamPoolAllocationId)!;
  return {
    cidr: alloc.cidr,
    bind: (vpcId: string) => Object.assign(alloc, { resourceType: "vpc", resourceId: vpcId, resourceRegion: s.region }),
    undo: () => p.allocations.delete(alloc.id),
  };
}

function release(ctx: Ctx, vpcId: string, cidr?: string) {
  for (const p of fam(ctx).f.pools.values())
    for (const a of [...p.allocations.values()])
      if (a.resourceType === "vpc" && a.resourceId === vpcId && (!cidr || a.cidr === cidr)) p.allocations.delete(a.id);
}

export const createVpcWith =
  (base: Handler, associate: Handler): Handler =>
  async (ctx, input: Input) => {
    const { s } = addr(ctx);
    if (input.Ipv4IpamPoolId === undefined && input.Ipv6IpamPoolId === undefined && input.VpcEncryptionControl === undefined) return base(ctx, input);
    if (input.DryRun === true) return base(ctx, { ...input, CidrBlock: input.CidrBlock ?? "10.0.0.0/16" });
    const v4 =
      input.Ipv4IpamPoolId !== undefined ? fromPool(ctx, s, String(input.Ipv4IpamPoolId), "ipv4", input.CidrBlock, input.Ipv4NetmaskLength) : undefined;
    let v6: ReturnType<typeof fromPool> | undefined;
    try {
      if (input.Ipv6IpamPoolId !== undefined) v6 = fromPool(ctx, s, String(input.Ipv6IpamPoolId), "ipv6", input.Ipv6CidrBlock, input.Ipv6NetmaskLength);
      const out = (await base(ctx, { ...input, CidrBlock: v4?.cidr ?? input.CidrBlock, Ipv6CidrBlock: undefined })) as {
        vpc: Record<string, unknown> & { vpcId: string };
      };
      const vpcId = out.vpc.vpcId;
      v4?.bind(vpcId);
      if (v6) {
        await associate(ctx, { VpcId: vpcId, Ipv6CidrBlock: v6.cidr });
        v6.bind(vpcId);
      }
      if (input.VpcEncryptionControl) {
        const c = CreateVpcEncryptionControl(ctx, { VpcId: vpcId }) as { vpcEncryptionControl: { vpcEncryptionControlId: string } };
        ModifyVpcEncryptionControl(ctx, { ...input.VpcEncryptionControl, VpcEncryptionControlId: c.vpcEncryptionControl.vpcEncryptionControlId });
      }
      return out;
    } catch (err) {
      v4?.undo();
      v6?.undo();
      throw err;
    }
  };

export const associateVpcCidrBlockWith =
  (base: Handler): Handler =>
  async (ctx, input: Input) => {
    const { s } = addr(ctx);
    const pool = input.Ipv4IpamPoolId ?? input.Ipv6IpamPoolId;
    if (pool === undefined) return base(ctx, input);
    if (!s.vpcs.has(String(input.VpcId))) return base(ctx, { ...input, Ipv4IpamPoolId: undefined, Ipv6IpamPoolId: undefined });
    if (input.DryRun === true) return base(ctx, { ...input, CidrBlock: input.CidrBlock ?? "10.0.0.0/16" });
    const v6 = input.Ipv6IpamPoolId !== undefined;
    const got = v6
      ? fromPool(ctx, s, String(pool), "ipv6", input.Ipv6CidrBlock, input.Ipv6NetmaskLength)
      : fromPool(ctx, s, String(pool), "ipv4", input.CidrBlock, input.Ipv4NetmaskLength);
    try {
      const rest = { ...input, Ipv4IpamPoolId: undefined, Ipv6IpamPoolId: undefined, Ipv4NetmaskLength: undefined, Ipv6NetmaskLength: undefined };
      const out = await base(ctx, v6 ? { ...rest, Ipv6CidrBlock: got.cidr } : { ...rest, CidrBlock: got.cidr });
      got.bind(String(input.VpcId));
      return out;
    } catch (err) {
      got.undo();
      throw err;
    }
  };

export const disassociateVpcCidrBlockWith =
  (base: Handler): Handler =>
  async (ctx, input: Input) => {
    const { s } = addr(ctx);
    let hit: { vpcId: string; cidr: string } | undefined;
    for (const v of s.vpcs.values())
      for (const b of [...v.secondaryCidrs, ...v.ipv6]) if (b.associationId === input.AssociationId) hit = { vpcId: v.id, cidr: b.cidr };
    const out = await base(ctx, input);
    if (hit && input.DryRun !== true) release(ctx, hit.vpcId, hit.cidr);
    return out;
  };

export const deleteVpcWith =
  (base: Handler): Handler =>
  async (ctx, input: Input) => {
    const out = await base(ctx, input);
    const { s, a } = addr(ctx);
    const id = String(input.VpcId);
    if (!s.vpcs.has(id)) {
      release(ctx, id);
      for (const [k, x] of a.encryptionControls) if (x.vpcId === id) a.encryptionControls.delete(k);
    }
    return out;
  };
