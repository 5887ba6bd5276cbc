import {
  AllocateIpamPoolCidrCommand,
  AssociateIpamResourceDiscoveryCommand,
  CreateIpamCommand,
  CreateIpamPoolCommand,
  CreateIpamResourceDiscoveryCommand,
  CreateIpamScopeCommand,
  DeleteIpamCommand,
  DeleteIpamPoolCommand,
  DeleteIpamResourceDiscoveryCommand,
  DeleteIpamScopeCommand,
  DeprovisionIpamPoolCidrCommand,
  DescribeIpamPoolsCommand,
  DescribeIpamResourceDiscoveriesCommand,
  DescribeIpamResourceDiscoveryAssociationsCommand,
  DescribeIpamsCommand,
  DescribeIpamScopesCommand,
  DisassociateIpamResourceDiscoveryCommand,
  EC2Client,
  GetIpamPoolAllocationsCommand,
  GetIpamPoolCidrsCommand,
  ModifyIpamCommand,
  ModifyIpamPoolCommand,
  ProvisionIpamPoolCidrCommand,
  ReleaseIpamPoolAllocationCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg) }));

const newIpam = async () => (await sim.ec2.send(new CreateIpamCommand({ OperatingRegions: [{ RegionName: "us-west-2" }] }))).Ipam!;

describe("IPAM", () => {
  it("an IPAM comes with public and private default scopes and a default resource discovery", async () => {
    const ipam = (
      await sim.ec2.send(new CreateIpamCommand({ Description: "main", TagSpecifications: [{ ResourceType: "ipam", Tags: [{ Key: "env", Value: "prod" }] }] }))
    ).Ipam!;
    expect(ipam.IpamId).toMatch(/^ipam-[0-9a-f]{17}$/);
    expect(ipam.IpamArn).toBe(`arn:aws:ec2::000000000000:ipam/${ipam.IpamId}`);
    expect(ipam.OperatingRegions).toEqual([{ RegionName: "us-east-1" }]);
    expect(ipam.ScopeCount).toBe(2);
    expect(ipam.Tier).toBe("advanced");
    const d = (await sim.ec2.send(new DescribeIpamsCommand({ IpamIds: [ipam.IpamId!] }))).Ipams![0]!;
    expect(d.State).toBe("create-complete");
    expect(d.Tags).toEqual([{ Key: "env", Value: "prod" }]);
    const scopes = (await sim.ec2.send(new DescribeIpamScopesCommand({ Filters: [{ Name: "ipam-arn", Values: [ipam.IpamArn!] }] }))).IpamScopes!;
    expect(scopes.map((x) => [x.IpamScopeType, x.IsDefault]).sort()).toEqual([
      ["private", true],
      ["public", true],
    ]);
    expect(scopes.find((x) => x.IpamScopeType === "private")!.IpamScopeId).toBe(ipam.PrivateDefaultScopeId);
    const discos = (await sim.ec2.send(new DescribeIpamResourceDiscoveriesCommand({}))).IpamResourceDiscoveries!;
    expect(discos.map((x) => [x.IpamResourceDiscoveryId, x.IsDefault])).toEqual([[ipam.DefaultResourceDiscoveryId, true]]);

    const mod = (await sim.ec2.send(new ModifyIpamCommand({ IpamId: ipam.IpamId!, AddOperatingRegions: [{ RegionName: "eu-west-1" }] }))).Ipam!;
    expect(mod.OperatingRegions!.map((r) => r.RegionName)).toEqual(["us-east-1", "eu-west-1"]);
    const byRegion = await sim.ec2.send(new DescribeIpamsCommand({ Filters: [{ Name: "operating-region", Values: ["eu-west-1"] }] }));
    expect(byRegion.Ipams!.map((i) => i.IpamId)).toEqual([ipam.IpamId]);

    await expectAwsError(sim.ec2.send(new DescribeIpamsCommand({ IpamIds: ["ipam-0123456789abcdef0"] })), {
      name: "InvalidIpamId.NotFound",
      status: 400,
      message: "The ipam ID 'ipam-0123456789abcdef0' does not exist",
    });
    await expectAwsError(sim.ec2.send(new CreateIpamCommand({ DryRun: true })), { name: "DryRunOperation", status: 412 });
    await expectAwsError(sim.ec2.send(new DeleteIpamScopeCommand({ IpamScopeId: ipam.PrivateDefaultScopeId! })), {
      name: "InvalidParameterValue",
      status: 400,
    });
  });

  it("pools: provisioning, nested pools carved from their source, allocations that carve CIDRs", async () => {
    const ipam = await newIpam();
    const top = (await sim.ec2.send(new CreateIpamPoolCommand({ IpamScopeId: ipam.PrivateDefaultScopeId!, AddressFamily: "ipv4", Description: "top" })))
      .IpamPool!;
    expect(top.IpamPoolId).toMatch(/^ipam-pool-[0-9a-f]{17}$/);
    expect(top.PoolDepth).toBe(1);
    expect(top.Locale).toBe("None");
    const pc = (await sim.ec2.send(new ProvisionIpamPoolCidrCommand({ IpamPoolId: top.IpamPoolId!, Cidr: "10.0.0.0/8" }))).IpamPoolCidr!;
    expect(pc.Cidr).toBe("10.0.0.0/8");
    expect(pc.IpamPoolCidrId).toMatch(/^ipam-pool-cidr-/);
    await expectAwsError(sim.ec2.send(new ProvisionIpamPoolCidrCommand({ IpamPoolId: top.IpamPoolId!, Cidr: "10.1.0.0/16" })), {
      name: "InvalidParameterValue",
      status: 400,
    });

    const regional = (
      await sim.ec2.send(
        new CreateIpamPoolCommand({
          IpamScopeId: ipam.PrivateDefaultScopeId!,
          AddressFamily: "ipv4",
          SourceIpamPoolId: top.IpamPoolId!,
          Locale: "us-east-1",
          AllocationMinNetmaskLength: 20,
          AllocationMaxNetmaskLength: 28,
          AllocationDefaultNetmaskLength: 24,
        }),
      )
    ).IpamPool!;
    expect(regional.PoolDepth).toBe(2);
    expect(regional.SourceIpamPoolId).toBe(top.IpamPoolId);
    const child = (await sim.ec2.send(new ProvisionIpamPoolCidrCommand({ IpamPoolId: regional.IpamPoolId!, NetmaskLength: 16 }))).IpamPoolCidr!;
    expect(child.Cidr).toBe("10.0.0.0/16");
    await sim.ec2.send(new ProvisionIpamPoolCidrCommand({ IpamPoolId: regional.IpamPoolId!, Cidr: "10.5.0.0/16" }));
    await expectAwsError(sim.ec2.send(new ProvisionIpamPoolCidrCommand({ IpamPoolId: regional.IpamPoolId!, Cidr: "192.168.0.0/16" })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    const topAllocs = (await sim.ec2.send(new GetIpamPoolAllocationsCommand({ IpamPoolId: top.IpamPoolId! }))).IpamPoolAllocations!;
    expect(topAllocs.map((a) => [a.Cidr, a.ResourceType, a.ResourceId])).toEqual([
      ["10.0.0.0/16", "ipam-pool", regional.IpamPoolId],
      ["10.5.0.0/16", "ipam-pool", regional.IpamPoolId],
    ]);
    const cidrs = (await sim.ec2.send(new GetIpamPoolCidrsCommand({ IpamPoolId: regional.IpamPoolId! }))).IpamPoolCidrs!;
    expect(cidrs.map((c) => [c.Cidr, c.State, c.NetmaskLength])).toEqual([
      ["10.0.0.0/16", "provisioned", 16],
      ["10.5.0.0/16", "provisioned", 16],
    ]);

    const a1 = (await sim.ec2.send(new AllocateIpamPoolCidrCommand({ IpamPoolId: regional.IpamPoolId!, Description: "app" }))).IpamPoolAllocation!;
    expect(a1.Cidr).toBe("10.0.0.0/24");
    expect(a1.IpamPoolAllocationId).toMatch(/^ipam-pool-alloc-/);
    expect(a1.ResourceType).toBe("custom");
    const a2 = (await sim.ec2.send(new AllocateIpamPoolCidrCommand({ IpamPoolId: regional.IpamPoolId!, NetmaskLength: 22 }))).IpamPoolAllocation!;
    expect(a2.Cidr).toBe("10.0.4.0/22");
    const a3 = (await sim.ec2.send(new AllocateIpamPoolCidrCommand({ IpamPoolId: regional.IpamPoolId!, NetmaskLength: 24 }))).IpamPoolAllocation!;
    expect(a3.Cidr).toBe("10.0.1.0/24");
    const preview = (await sim.ec2.send(new AllocateIpamPoolCidrCommand({ IpamPoolId: regional.IpamPoolId!, NetmaskLength: 24, PreviewNextCidr: true })))
      .IpamPoolAllocation!;
    expect(preview.Cidr).toBe("10.0.2.0/24");
    expect(preview.IpamPoolAllocationId).toBeUndefined();
    const allowed = (
      await sim.ec2.send(
        new AllocateIpamPoolCidrCommand({
          IpamPoolId: regional.IpamPoolId!,
          NetmaskLength: 24,
          AllowedCidrs: ["10.5.0.0/16"],
          DisallowedCidrs: ["10.5.0.0/24"],
        }),
      )
    ).IpamPoolAllocation!;
    expect(allowed.Cidr).toBe("10.5.1.0/24");
    const exact = (await sim.ec2.send(new AllocateIpamPoolCidrCommand({ IpamPoolId: regional.IpamPoolId!, Cidr: "10.0.128.0/20" }))).IpamPoolAllocation!;
    expect(exact.Cidr).toBe("10.0.128.0/20");
    await expectAwsError(sim.ec2.send(new AllocateIpamPoolCidrCommand({ IpamPoolId: regional.IpamPoolId!, Cidr: "10.0.128.0/24" })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new AllocateIpamPoolCidrCommand({ IpamPoolId: regional.IpamPoolId!, NetmaskLength: 16 })), {
      name: "InvalidParameterValue",
      status: 400,
    });

    const allocs = (await sim.ec2.send(new GetIpamPoolAllocationsCommand({ IpamPoolId: regional.IpamPoolId! }))).IpamPoolAllocations!;
    expect(allocs.map((a) => a.Cidr)).toEqual(["10.0.0.0/24", "10.0.4.0/22", "10.0.1.0/24", "10.5.1.0/24", "10.0.128.0/20"]);
    await expectAwsError(
      sim.ec2.send(
        new ReleaseIpamPoolAllocationCommand({
          IpamPoolId: regional.IpamPoolId!,
          IpamPoolAllocationId: "ipam-pool-alloc-0f1fe03456e174fea9c82affb5ee35e01",
          Cidr: "10.0.0.0/24",
        }),
      ),
      { name: "InvalidIpamPoolAllocationId.NotFound", status: 400 },
    );
    const rel = await sim.ec2.send(
      new ReleaseIpamPoolAllocationCommand({ IpamPoolId: regional.IpamPoolId!, IpamPoolAllocationId: a1.IpamPoolAllocationId!, Cidr: a1.Cidr! }),
    );
    expect(rel.Success).toBe(true);
    const again = (await sim.ec2.send(new AllocateIpamPoolCidrCommand({ IpamPoolId: regional.IpamPoolId! }))).IpamPoolAllocation!;
    expect(again.Cidr).toBe("10.0.0.0/24");

    await expectAwsError(sim.ec2.send(new DeprovisionIpamPoolCidrCommand({ IpamPoolId: regional.IpamPoolId!, Cidr: "10.0.0.0/16" })), {
      name: "IncorrectState",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new DeleteIpamPoolCommand({ IpamPoolId: top.IpamPoolId! })), { name: "IncorrectState", status: 400 });
    await sim.ec2.send(new DeleteIpamPoolCommand({ IpamPoolId: regional.IpamPoolId!, Cascade: true }));
    expect((await sim.ec2.send(new GetIpamPoolAllocationsCommand({ IpamPoolId: top.IpamPoolId! }))).IpamPoolAllocations).toEqual([]);
    const dep = (await sim.ec2.send(new DeprovisionIpamPoolCidrCommand({ IpamPoolId: top.IpamPoolId!, Cidr: "10.0.0.0/8" }))).IpamPoolCidr!;
    expect(dep.Cidr).toBe("10.0.0.0/8");
    await sim.ec2.send(new DeleteIpamPoolCommand({ IpamPoolId: top.IpamPoolId! }));
    await expectAwsError(sim.ec2.send(new DescribeIpamPoolsCommand({ IpamPoolIds: [top.IpamPoolId!] })), { name: "InvalidIpamPoolId.NotFound", status: 400 });
  });

  it("IPv6 pools, modify rules, filters, custom scopes and cascade delete", async () => {
    const ipam = await newIpam();
    const scope = (await sim.ec2.send(new CreateIpamScopeCommand({ IpamId: ipam.IpamId!, Description: "dev" }))).IpamScope!;
    expect(scope.IpamScopeId).toMatch(/^ipam-scope-[0-9a-f]{17}$/);
    expect(scope.IsDefault).toBe(false);
    const v6 = (await sim.ec2.send(new CreateIpamPoolCommand({ IpamScopeId: scope.IpamScopeId!, AddressFamily: "ipv6", Locale: "us-west-2" }))).IpamPool!;
    await sim.ec2.send(new ProvisionIpamPoolCidrCommand({ IpamPoolId: v6.IpamPoolId!, Cidr: "fd00:ec2::/48" }));
    const a = (await sim.ec2.send(new AllocateIpamPoolCidrCommand({ IpamPoolId: v6.IpamPoolId!, NetmaskLength: 56 }))).IpamPoolAllocation!;
    expect(a.Cidr).toBe("fd00:ec2::/56");
    const b = (await sim.ec2.send(new AllocateIpamPoolCidrCommand({ IpamPoolId: v6.IpamPoolId!, NetmaskLength: 56 }))).IpamPoolAllocation!;
    expect(b.Cidr).toBe("fd00:ec2:0:100::/56");
    await expectAwsError(sim.ec2.send(new CreateIpamPoolCommand({ IpamScopeId: scope.IpamScopeId!, AddressFamily: "ipv4", Locale: "ap-south-1" })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    const v4 = (await sim.ec2.send(new CreateIpamPoolCommand({ IpamScopeId: scope.IpamScopeId!, AddressFamily: "ipv4" }))).IpamPool!;
    const mod = (
      await sim.ec2.send(
        new ModifyIpamPoolCommand({ IpamPoolId: v4.IpamPoolId!, AllocationDefaultNetmaskLength: 26, AddAllocationResourceTags: [{ Key: "team", Value: "a" }] }),
      )
    ).IpamPool!;
    expect(mod.AllocationDefaultNetmaskLength).toBe(26);
    expect(mod.AllocationResourceTags).toEqual([{ Key: "team", Value: "a" }]);
    await expectAwsError(sim.ec2.send(new ModifyIpamPoolCommand({ IpamPoolId: v4.IpamPoolId! })), { name: "InvalidParameterCombination", status: 400 });
    const byFamily = await sim.ec2.send(new DescribeIpamPoolsCommand({ Filters: [{ Name: "address-family", Values: ["ipv6"] }] }));
    expect(byFamily.IpamPools!.map((p) => [p.IpamPoolId, p.Locale])).toEqual([[v6.IpamPoolId, "us-west-2"]]);
    await expectAwsError(sim.ec2.send(new DeleteIpamScopeCommand({ IpamScopeId: scope.IpamScopeId! })), { name: "IncorrectState", status: 400 });
    await expectAwsError(sim.ec2.send(new DeleteIpamCommand({ IpamId: ipam.IpamId! })), { name: "IncorrectState", status: 400 });
    const del = (await sim.ec2.send(new DeleteIpamCommand({ IpamId: ipam.IpamId!, Cascade: true }))).Ipam!;
    expect(del.State).toBe("delete-in-progress");
    expect((await sim.ec2.send(new DescribeIpamPoolsCommand({}))).IpamPools).toEqual([]);
    expect((await sim.ec2.send(new DescribeIpamScopesCommand({}))).IpamScopes).toEqual([]);
  });

  it("resource discoveries associate with IPAMs", async () => {
    const ipam = await newIpam();
    const d = (await sim.ec2.send(new CreateIpamResourceDiscoveryCommand({ Description: "org", OperatingRegions: [{ RegionName: "eu-central-1" }] })))
      .IpamResourceDiscovery!;
    expect(d.IpamResourceDiscoveryId).toMatch(/^ipam-res-disco-[0-9a-f]{17}$/);
    expect(d.OperatingRegions!.map((r) => r.RegionName)).toEqual(["us-east-1", "eu-central-1"]);
    const a = (await sim.ec2.send(new AssociateIpamResourceDiscoveryCommand({ IpamId: ipam.IpamId!, IpamResourceDiscoveryId: d.IpamResourceDiscoveryId! })))
      .IpamResourceDiscoveryAssociation!;
    expect(a.IpamResourceDiscoveryAssociationId).toMatch(/^ipam-res-disco-assoc-/);
    const assocs = await sim.ec2.send(new DescribeIpamResourceDiscoveryAssociationsCommand({ Filters: [{ Name: "is-default", Values: ["false"] }] }));
    expect(assocs.IpamResourceDiscoveryAssociations!.map((x) => [x.IpamResourceDiscoveryId, x.State])).toEqual([
      [d.IpamResourceDiscoveryId, "associate-complete"],
    ]);
    expect((await sim.ec2.send(new DescribeIpamsCommand({}))).Ipams![0]!.ResourceDiscoveryAssociationCount).toBe(2);
    await expectAwsError(sim.ec2.send(new DeleteIpamResourceDiscoveryCommand({ IpamResourceDiscoveryId: d.IpamResourceDiscoveryId! })), {
      name: "IncorrectState",
      status: 400,
    });
    await sim.ec2.send(new DisassociateIpamResourceDiscoveryCommand({ IpamResourceDiscoveryAssociationId: a.IpamResourceDiscoveryAssociationId! }));
    await sim.ec2.send(new DeleteIpamResourceDiscoveryCommand({ IpamResourceDiscoveryId: d.IpamResourceDiscoveryId! }));
    await expectAwsError(sim.ec2.send(new DescribeIpamResourceDiscoveriesCommand({ IpamResourceDiscoveryIds: [d.IpamResourceDiscoveryId!] })), {
      name: "InvalidIpamResourceDiscoveryId.NotFound",
      status: 400,
    });
  });
});
