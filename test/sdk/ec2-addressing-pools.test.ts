import {
  CreateIpamPolicyCommand,
  DeleteIpamPolicyCommand,
  DescribeIpamPoliciesCommand,
  DisableIpamPolicyCommand,
  EnableIpamPolicyCommand,
  GetEnabledIpamPolicyCommand,
  GetIpamPolicyAllocationRulesCommand,
  GetIpamPolicyOrganizationTargetsCommand,
  ModifyIpamPolicyAllocationRulesCommand,
  AdvertiseByoipCidrCommand,
  AllocateAddressCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupEgressCommand,
  CreateInternetGatewayCommand,
  CreateIpamCommand,
  CreateIpamPoolCommand,
  CreateManagedPrefixListCommand,
  CreatePublicIpv4PoolCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  DeletePublicIpv4PoolCommand,
  DeprovisionByoipCidrCommand,
  DeprovisionPublicIpv4PoolCidrCommand,
  DescribeAddressesCommand,
  DescribeByoipCidrsCommand,
  DescribeIpv6PoolsCommand,
  DescribeManagedPrefixListsCommand,
  DescribePublicIpv4PoolsCommand,
  EC2Client,
  GetAssociatedIpv6PoolCidrsCommand,
  GetIpamPoolAllocationsCommand,
  GetIpamPoolCidrsCommand,
  MoveByoipCidrToIpamCommand,
  GetManagedPrefixListAssociationsCommand,
  GetManagedPrefixListEntriesCommand,
  ModifyManagedPrefixListCommand,
  ProvisionByoipCidrCommand,
  ProvisionIpamPoolCidrCommand,
  ProvisionPublicIpv4PoolCidrCommand,
  ReleaseAddressCommand,
  RestoreManagedPrefixListVersionCommand,
  WithdrawByoipCidrCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("managed prefix list versions and associations", () => {
  it("old versions stay readable and can be restored as a new version", async () => {
    const pl = (
      await sim.ec2.send(
        new CreateManagedPrefixListCommand({ PrefixListName: "office", AddressFamily: "IPv4", MaxEntries: 5, Entries: [{ Cidr: "10.0.0.0/24" }] }),
      )
    ).PrefixList!;
    const id = pl.PrefixListId!;
    await sim.ec2.send(new ModifyManagedPrefixListCommand({ PrefixListId: id, CurrentVersion: 1, AddEntries: [{ Cidr: "10.0.1.0/24", Description: "b" }] }));
    await sim.ec2.send(new ModifyManagedPrefixListCommand({ PrefixListId: id, CurrentVersion: 2, RemoveEntries: [{ Cidr: "10.0.0.0/24" }] }));
    const v1 = (await sim.ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: id, TargetVersion: 1 }))).Entries!;
    expect(v1.map((x) => x.Cidr)).toEqual(["10.0.0.0/24"]);
    const v2 = (await sim.ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: id, TargetVersion: 2 }))).Entries!;
    expect(v2.map((x) => x.Cidr).sort()).toEqual(["10.0.0.0/24", "10.0.1.0/24"]);
    await expectAwsError(sim.ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: id, TargetVersion: 9 })), {
      name: "PrefixListVersionMismatch",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new RestoreManagedPrefixListVersionCommand({ PrefixListId: id, PreviousVersion: 1, CurrentVersion: 2 })), {
      name: "PrefixListVersionMismatch",
      status: 400,
    });
    const r = (await sim.ec2.send(new RestoreManagedPrefixListVersionCommand({ PrefixListId: id, PreviousVersion: 1, CurrentVersion: 3 }))).PrefixList!;
    expect([r.State, r.Version]).toEqual(["restore-in-progress", 4]);
    const now = (await sim.ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: id }))).Entries!;
    expect(now.map((x) => x.Cidr)).toEqual(["10.0.0.0/24"]);
    expect((await sim.ec2.send(new DescribeManagedPrefixListsCommand({ PrefixListIds: [id] }))).PrefixLists![0]!.Version).toBe(4);
    await expectAwsError(sim.ec2.send(new RestoreManagedPrefixListVersionCommand({ PrefixListId: id, PreviousVersion: 7, CurrentVersion: 4 })), {
      name: "InvalidParameterValue",
      status: 400,
    });
  });

  it("associations are the route tables and security groups that reference the list", async () => {
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    const id = (await sim.ec2.send(new CreateManagedPrefixListCommand({ PrefixListName: "x", AddressFamily: "IPv4", MaxEntries: 2 }))).PrefixList!
      .PrefixListId!;
    expect((await sim.ec2.send(new GetManagedPrefixListAssociationsCommand({ PrefixListId: id }))).PrefixListAssociations).toEqual([]);
    const rtb = (await sim.ec2.send(new CreateRouteTableCommand({ VpcId: vpc }))).RouteTable!.RouteTableId!;
    const sg = (await sim.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: "g", Description: "g" }))).GroupId!;
    const igw = (await sim.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await sim.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
    await sim.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationPrefixListId: id, GatewayId: igw }));
    await sim.ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: sg,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: id }] }],
      }),
    );
    const assoc = (await sim.ec2.send(new GetManagedPrefixListAssociationsCommand({ PrefixListId: id }))).PrefixListAssociations!;
    expect(assoc.map((x) => x.ResourceId).sort()).toEqual([rtb, sg].sort());
    expect(assoc[0]!.ResourceOwner).toBe("000000000000");
    await expectAwsError(sim.ec2.send(new GetManagedPrefixListAssociationsCommand({ PrefixListId: "pl-0123456789abcdef0" })), {
      name: "InvalidPrefixListID.NotFound",
      status: 400,
    });
  });
});

describe("public IPv4 pools from IPAM", () => {
  it("provision a /30 from a public IPAM pool, allocate EIPs from it, deprovision when free", async () => {
    const ipam = (await sim.ec2.send(new CreateIpamCommand({}))).Ipam!;
    const ipamPool = (
      await sim.ec2.send(
        new CreateIpamPoolCommand({
          IpamScopeId: ipam.PublicDefaultScopeId!,
          AddressFamily: "ipv4",
          AwsService: "ec2",
          PublicIpSource: "amazon",
          Locale: "us-east-1",
        }),
      )
    ).IpamPool!.IpamPoolId!;
    await sim.ec2.send(new ProvisionIpamPoolCidrCommand({ IpamPoolId: ipamPool, Cidr: "18.97.0.0/29" }));
    const poolId = (
      await sim.ec2.send(new CreatePublicIpv4PoolCommand({ TagSpecifications: [{ ResourceType: "ipv4pool-ec2", Tags: [{ Key: "k", Value: "v" }] }] }))
    ).PoolId!;
    expect(poolId).toMatch(/^ipv4pool-ec2-[0-9a-f]{17}$/);
    const prov = await sim.ec2.send(new ProvisionPublicIpv4PoolCidrCommand({ PoolId: poolId, IpamPoolId: ipamPool, NetmaskLength: 30 }));
    expect(prov.PoolAddressRange).toEqual(expect.objectContaining({ AddressCount: 4, AvailableAddressCount: 4 }));
    const allocs = (await sim.ec2.send(new GetIpamPoolAllocationsCommand({ IpamPoolId: ipamPool }))).IpamPoolAllocations!;
    expect(allocs.map((x) => [x.ResourceType, x.ResourceId])).toEqual([["ec2-public-ipv4-pool", poolId]]);
    const first = prov.PoolAddressRange!.FirstAddress!;
    const eip = await sim.ec2.send(new AllocateAddressCommand({ PublicIpv4Pool: poolId }));
    expect([eip.PublicIp, eip.PublicIpv4Pool]).toEqual([first, poolId]);
    const d = (await sim.ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: "public-ipv4-pool", Values: [poolId] }] }))).Addresses!;
    expect(d.map((x) => x.AllocationId)).toEqual([eip.AllocationId]);
    const pools = (await sim.ec2.send(new DescribePublicIpv4PoolsCommand({ PoolIds: [poolId] }))).PublicIpv4Pools!;
    expect(pools[0]).toEqual(expect.objectContaining({ TotalAddressCount: 4, TotalAvailableAddressCount: 3, Tags: [{ Key: "k", Value: "v" }] }));
    await expectAwsError(sim.ec2.send(new AllocateAddressCommand({ PublicIpv4Pool: poolId, Address: first })), { name: "InvalidAddress.InUse", status: 400 });
    const cidr = `${first}/30`;
    await expectAwsError(sim.ec2.send(new DeprovisionPublicIpv4PoolCidrCommand({ PoolId: poolId, Cidr: cidr })), {
      name: "InvalidIPAddress.InUse",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new DeletePublicIpv4PoolCommand({ PoolId: poolId })), { name: "IncorrectState", status: 400 });
    await sim.ec2.send(new ReleaseAddressCommand({ AllocationId: eip.AllocationId! }));
    const dep = await sim.ec2.send(new DeprovisionPublicIpv4PoolCidrCommand({ PoolId: poolId, Cidr: cidr }));
    expect(dep.DeprovisionedAddresses).toHaveLength(4);
    expect((await sim.ec2.send(new GetIpamPoolAllocationsCommand({ IpamPoolId: ipamPool }))).IpamPoolAllocations).toEqual([]);
    expect((await sim.ec2.send(new DeletePublicIpv4PoolCommand({ PoolId: poolId }))).ReturnValue).toBe(true);
    await expectAwsError(sim.ec2.send(new DescribePublicIpv4PoolsCommand({ PoolIds: [poolId] })), { name: "InvalidPublicIpv4PoolID.NotFound", status: 400 });
  });
});

describe("BYOIP", () => {
  it("provisioned → advertised → withdrawn → deprovisioned, with a pool of the range", async () => {
    const cidr = "203.0.113.0/24";
    const msg = `1|aws|000000000000|${cidr}|20991231|SHA256|RSAPSS`;
    await expectAwsError(
      sim.ec2.send(
        new ProvisionByoipCidrCommand({ Cidr: cidr, CidrAuthorizationContext: { Message: msg.replace("000000000000", "111111111111"), Signature: "sig" } }),
      ),
      { name: "InvalidParameterValue", status: 400 },
    );
    await expectAwsError(sim.ec2.send(new ProvisionByoipCidrCommand({ Cidr: "10.0.0.0/24" })), { name: "InvalidParameterValue", status: 400 });
    await expectAwsError(sim.ec2.send(new ProvisionByoipCidrCommand({ Cidr: "203.0.114.0/25" })), { name: "InvalidParameterValue", status: 400 });
    const p = (
      await sim.ec2.send(new ProvisionByoipCidrCommand({ Cidr: cidr, Description: "mine", CidrAuthorizationContext: { Message: msg, Signature: "sig" } }))
    ).ByoipCidr!;
    expect([p.Cidr, p.State]).toEqual([cidr, "pending-provision"]);
    const list = (await sim.ec2.send(new DescribeByoipCidrsCommand({ MaxResults: 10 }))).ByoipCidrs!;
    expect(list.map((x) => [x.Cidr, x.State, x.Description])).toEqual([[cidr, "provisioned", "mine"]]);
    const pool = (await sim.ec2.send(new DescribePublicIpv4PoolsCommand({}))).PublicIpv4Pools!.find(
      (x) => x.PoolAddressRanges![0]!.FirstAddress === "203.0.113.0",
    )!;
    expect([pool.TotalAddressCount, pool.Description]).toEqual([256, "mine"]);
    await expectAwsError(sim.ec2.send(new WithdrawByoipCidrCommand({ Cidr: cidr })), { name: "IncorrectState", status: 400 });
    expect((await sim.ec2.send(new AdvertiseByoipCidrCommand({ Cidr: cidr }))).ByoipCidr!.State).toBe("pending-advertising");
    expect((await sim.ec2.send(new DescribeByoipCidrsCommand({ MaxResults: 10 }))).ByoipCidrs![0]!.State).toBe("advertised");
    await expectAwsError(sim.ec2.send(new DeprovisionByoipCidrCommand({ Cidr: cidr })), { name: "IncorrectState", status: 400 });
    expect((await sim.ec2.send(new WithdrawByoipCidrCommand({ Cidr: cidr }))).ByoipCidr!.State).toBe("pending-withdrawal");
    const eip = await sim.ec2.send(new AllocateAddressCommand({ PublicIpv4Pool: pool.PoolId }));
    expect(eip.PublicIp).toBe("203.0.113.0");
    await expectAwsError(sim.ec2.send(new DeprovisionByoipCidrCommand({ Cidr: cidr })), { name: "InvalidIPAddress.InUse", status: 400 });
    await sim.ec2.send(new ReleaseAddressCommand({ AllocationId: eip.AllocationId! }));
    expect((await sim.ec2.send(new DeprovisionByoipCidrCommand({ Cidr: cidr }))).ByoipCidr!.State).toBe("pending-deprovision");
    expect((await sim.ec2.send(new DescribeByoipCidrsCommand({ MaxResults: 10 }))).ByoipCidrs![0]!.State).toBe("deprovisioned");
    expect((await sim.ec2.send(new DescribePublicIpv4PoolsCommand({}))).PublicIpv4Pools).toEqual([]);
    await expectAwsError(sim.ec2.send(new AdvertiseByoipCidrCommand({ Cidr: cidr })), { name: "InvalidByoipCidr.NotFound", status: 400 });
  });

  it("five BYOIP ranges per Region; a sixth is ResourceLimitExceeded until one is deprovisioned", async () => {
    for (let i = 0; i < 5; i++) await sim.ec2.send(new ProvisionByoipCidrCommand({ Cidr: `203.0.${120 + i}.0/24` }));
    await expectAwsError(sim.ec2.send(new ProvisionByoipCidrCommand({ Cidr: "203.0.125.0/24" })), {
      name: "ResourceLimitExceeded",
      status: 400,
      message: "The number of BYOIP CIDRs for this account has reached the maximum allowed limit.",
    });
    await sim.ec2.send(new DeprovisionByoipCidrCommand({ Cidr: "203.0.120.0/24" }));
    expect((await sim.ec2.send(new ProvisionByoipCidrCommand({ Cidr: "203.0.125.0/24" }))).ByoipCidr!.Cidr).toBe("203.0.125.0/24");
  });

  it("a BYOIPv4 CIDR moves from its public IPv4 pool into an IPAM pool", async () => {
    const cidr = "203.0.113.0/24";
    await sim.ec2.send(new ProvisionByoipCidrCommand({ Cidr: cidr }));
    const ipam = (await sim.ec2.send(new CreateIpamCommand({}))).Ipam!;
    const pool = (await sim.ec2.send(new CreateIpamPoolCommand({ IpamScopeId: ipam.PublicDefaultScopeId!, AddressFamily: "ipv4", Locale: "us-east-1" })))
      .IpamPool!.IpamPoolId!;
    await expectAwsError(sim.ec2.send(new MoveByoipCidrToIpamCommand({ Cidr: cidr, IpamPoolId: pool, IpamPoolOwner: "111122223333" })), {
      name: "InvalidIpamPoolId.NotFound",
      status: 400,
    });
    const m = await sim.ec2.send(new MoveByoipCidrToIpamCommand({ Cidr: cidr, IpamPoolId: pool, IpamPoolOwner: "000000000000" }));
    expect([m.ByoipCidr!.Cidr, m.ByoipCidr!.State]).toEqual([cidr, "provisioned"]);
    expect((await sim.ec2.send(new GetIpamPoolCidrsCommand({ IpamPoolId: pool }))).IpamPoolCidrs!.map((x) => [x.Cidr, x.State])).toEqual([
      [cidr, "provisioned"],
    ]);
    expect((await sim.ec2.send(new DescribePublicIpv4PoolsCommand({}))).PublicIpv4Pools).toEqual([]);
  });

  it("an IPv6 range makes an IPv6 pool", async () => {
    await sim.ec2.send(new ProvisionByoipCidrCommand({ Cidr: "2001:db8:1200::/48" }));
    const pools = (await sim.ec2.send(new DescribeIpv6PoolsCommand({}))).Ipv6Pools!;
    expect(pools.map((x) => x.PoolCidrBlocks)).toEqual([[{ Cidr: "2001:db8:1200::/48" }]]);
    expect(pools[0]!.PoolId).toMatch(/^ipv6pool-ec2-[0-9a-f]{17}$/);
    expect((await sim.ec2.send(new GetAssociatedIpv6PoolCidrsCommand({ PoolId: pools[0]!.PoolId! }))).Ipv6CidrAssociations).toEqual([]);
    await expectAwsError(sim.ec2.send(new GetAssociatedIpv6PoolCidrsCommand({ PoolId: "ipv6pool-ec2-0123456789abcdef0" })), {
      name: "InvalidIpv6PoolID.NotFound",
      status: 400,
    });
  });
});

describe("IPAM policies", () => {
  it("an enabled policy with an eip rule makes elastic IPs come from its IPAM pool; releasing frees the /32", async () => {
    const ipam = (await sim.ec2.send(new CreateIpamCommand({}))).Ipam!;
    const pool = (
      await sim.ec2.send(
        new CreateIpamPoolCommand({
          IpamScopeId: ipam.PublicDefaultScopeId!,
          AddressFamily: "ipv4",
          AwsService: "ec2",
          PublicIpSource: "amazon",
          Locale: "us-east-1",
        }),
      )
    ).IpamPool!.IpamPoolId!;
    await sim.ec2.send(new ProvisionIpamPoolCidrCommand({ IpamPoolId: pool, Cidr: "18.97.1.0/30" }));
    const p = (await sim.ec2.send(new CreateIpamPolicyCommand({ IpamId: ipam.IpamId! }))).IpamPolicy!;
    expect(p.IpamPolicyId).toMatch(/^ipam-policy-[0-9a-f]{17}$/);
    expect((await sim.ec2.send(new DescribeIpamPoliciesCommand({}))).IpamPolicies!.map((x) => [x.IpamPolicyId, x.State])).toEqual([
      [p.IpamPolicyId, "create-complete"],
    ]);
    const doc = await sim.ec2.send(
      new ModifyIpamPolicyAllocationRulesCommand({
        IpamPolicyId: p.IpamPolicyId!,
        Locale: "us-east-1",
        ResourceType: "eip",
        AllocationRules: [{ SourceIpamPoolId: pool }],
      }),
    );
    expect(doc.IpamPolicyDocument!.AllocationRules).toEqual([{ SourceIpamPoolId: pool }]);
    const rules = (await sim.ec2.send(new GetIpamPolicyAllocationRulesCommand({ IpamPolicyId: p.IpamPolicyId!, ResourceType: "eip" }))).IpamPolicyDocuments!;
    expect(rules.map((x) => [x.Locale, x.ResourceType])).toEqual([["us-east-1", "eip"]]);
    expect((await sim.ec2.send(new GetEnabledIpamPolicyCommand({}))).IpamPolicyEnabled).toBe(false);
    await sim.ec2.send(new EnableIpamPolicyCommand({ IpamPolicyId: p.IpamPolicyId! }));
    expect(await sim.ec2.send(new GetEnabledIpamPolicyCommand({}))).toEqual(
      expect.objectContaining({ IpamPolicyEnabled: true, IpamPolicyId: p.IpamPolicyId, ManagedBy: "account" }),
    );
    const eip = await sim.ec2.send(new AllocateAddressCommand({}));
    expect(eip.PublicIp).toBe("18.97.1.0");
    const allocs = (await sim.ec2.send(new GetIpamPoolAllocationsCommand({ IpamPoolId: pool }))).IpamPoolAllocations!;
    expect(allocs.map((x) => [x.Cidr, x.ResourceType, x.ResourceId])).toEqual([["18.97.1.0/32", "eip", eip.AllocationId]]);
    await sim.ec2.send(new ReleaseAddressCommand({ AllocationId: eip.AllocationId! }));
    expect((await sim.ec2.send(new GetIpamPoolAllocationsCommand({ IpamPoolId: pool }))).IpamPoolAllocations).toEqual([]);
    await expectAwsError(sim.ec2.send(new DeleteIpamPolicyCommand({ IpamPolicyId: p.IpamPolicyId! })), { name: "IncorrectState", status: 400 });
    expect((await sim.ec2.send(new GetIpamPolicyOrganizationTargetsCommand({ IpamPolicyId: p.IpamPolicyId! }))).OrganizationTargets).toEqual([]);
    await sim.ec2.send(new DisableIpamPolicyCommand({ IpamPolicyId: p.IpamPolicyId! }));
    const plain = await sim.ec2.send(new AllocateAddressCommand({}));
    expect(plain.PublicIp!.startsWith("18.97.1.")).toBe(false);
    const direct = await sim.ec2.send(new AllocateAddressCommand({ IpamPoolId: pool }));
    expect(direct.PublicIp).toBe("18.97.1.0");
    await sim.ec2.send(new DeleteIpamPolicyCommand({ IpamPolicyId: p.IpamPolicyId! }));
    await expectAwsError(sim.ec2.send(new EnableIpamPolicyCommand({ IpamPolicyId: p.IpamPolicyId! })), { name: "InvalidIpamPolicyId.NotFound", status: 400 });
  });
});
