import {
  CreateIpamPrefixListResolverCommand,
  CreateIpamPrefixListResolverTargetCommand,
  CreateManagedPrefixListCommand,
  DeleteIpamPrefixListResolverCommand,
  DescribeIpamPrefixListResolverTargetsCommand,
  GetIpamPrefixListResolverRulesCommand,
  GetIpamPrefixListResolverVersionEntriesCommand,
  GetIpamPrefixListResolverVersionsCommand,
  GetManagedPrefixListEntriesCommand,
  AdvertiseByoipCidrCommand,
  AssociateIpamByoasnCommand,
  CreateIpamExternalResourceVerificationTokenCommand,
  DeleteIpamExternalResourceVerificationTokenCommand,
  DeprovisionIpamByoasnCommand,
  DescribeByoipCidrsCommand,
  DescribeIpamByoasnCommand,
  DescribeIpamExternalResourceVerificationTokensCommand,
  DisassociateIpamByoasnCommand,
  ProvisionByoipCidrCommand,
  ProvisionIpamByoasnCommand,
  AllocateAddressCommand,
  AllocateIpamPoolCidrCommand,
  CreateIpamCommand,
  CreateIpamPoolCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeIpamPoolAllocationsCommand,
  EC2Client,
  GetIpamAddressHistoryCommand,
  GetIpamDiscoveredAccountsCommand,
  GetIpamDiscoveredPublicAddressesCommand,
  GetIpamDiscoveredResourceCidrsCommand,
  GetIpamPoolAllocationsCommand,
  GetIpamResourceCidrsCommand,
  ModifyIpamPoolAllocationCommand,
  ModifyIpamResourceCidrCommand,
  ProvisionIpamPoolCidrCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("IPAM resource CIDRs computed from awsim's VPCs, subnets and EIPs", () => {
  it("private scope: VPC and subnet CIDRs with usage, overlap and management state; unmonitored CIDRs are ignored", async () => {
    const ipam = (await sim.ec2.send(new CreateIpamCommand({}))).Ipam!;
    const scope = ipam.PrivateDefaultScopeId!;
    const a = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    const b = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    const c = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }))).Vpc!.VpcId!;
    await sim.ec2.send(new CreateTagsCommand({ Resources: [c], Tags: [{ Key: "Name", Value: "managed" }] }));
    const sub = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: c, CidrBlock: "10.9.0.0/17" }))).Subnet!.SubnetId!;
    const pool = (await sim.ec2.send(new CreateIpamPoolCommand({ IpamScopeId: scope, AddressFamily: "ipv4" }))).IpamPool!.IpamPoolId!;
    await sim.ec2.send(new ProvisionIpamPoolCidrCommand({ IpamPoolId: pool, Cidr: "10.9.0.0/16" }));
    await sim.ec2.send(new AllocateIpamPoolCidrCommand({ IpamPoolId: pool, Cidr: "10.9.0.0/16" }));

    const all = (await sim.ec2.send(new GetIpamResourceCidrsCommand({ IpamScopeId: scope }))).IpamResourceCidrs!;
    const vpcA = all.find((x) => x.ResourceId === a)!;
    expect(vpcA).toEqual(
      expect.objectContaining({
        IpamId: ipam.IpamId,
        ResourceType: "vpc",
        ResourceCidr: "10.0.0.0/16",
        ResourceRegion: "us-east-1",
        ResourceOwnerId: "000000000000",
        ManagementState: "unmanaged",
        ComplianceStatus: "unmanaged",
        OverlapStatus: "overlapping",
        IpUsage: 0,
      }),
    );
    const vpcC = all.find((x) => x.ResourceId === c)!;
    expect([vpcC.ManagementState, vpcC.ComplianceStatus, vpcC.IpamPoolId, vpcC.OverlapStatus, vpcC.ResourceName, vpcC.IpUsage]).toEqual([
      "managed",
      "compliant",
      pool,
      "nonoverlapping",
      "managed",
      0.5,
    ]);
    const s = all.find((x) => x.ResourceId === sub)!;
    expect([s.ResourceType, s.VpcId, s.AvailabilityZoneId?.startsWith("use1-az")]).toEqual(["subnet", c, true]);
    expect(all.some((x) => x.ResourceType === "eip")).toBe(false);
    const subnets = (await sim.ec2.send(new GetIpamResourceCidrsCommand({ IpamScopeId: scope, ResourceType: "subnet", ResourceOwner: "000000000000" })))
      .IpamResourceCidrs!;
    expect(subnets.every((x) => x.ResourceType === "subnet")).toBe(true);
    const overlapping = (
      await sim.ec2.send(new GetIpamResourceCidrsCommand({ IpamScopeId: scope, Filters: [{ Name: "overlap-status", Values: ["overlapping"] }] }))
    ).IpamResourceCidrs!;
    expect(overlapping.map((x) => x.ResourceId).sort()).toEqual([a, b].sort());

    const m = await sim.ec2.send(
      new ModifyIpamResourceCidrCommand({
        ResourceId: a,
        ResourceCidr: "10.0.0.0/16",
        ResourceRegion: "us-east-1",
        CurrentIpamScopeId: scope,
        Monitored: false,
      }),
    );
    expect([m.IpamResourceCidr!.ManagementState, m.IpamResourceCidr!.OverlapStatus]).toEqual(["ignored", "ignored"]);
    const vpcB = (await sim.ec2.send(new GetIpamResourceCidrsCommand({ IpamScopeId: scope, ResourceId: b }))).IpamResourceCidrs![0]!;
    expect(vpcB.OverlapStatus).toBe("nonoverlapping");
    await expectAwsError(
      sim.ec2.send(
        new ModifyIpamResourceCidrCommand({
          ResourceId: a,
          ResourceCidr: "10.1.0.0/16",
          ResourceRegion: "us-east-1",
          CurrentIpamScopeId: scope,
          Monitored: false,
        }),
      ),
      { name: "InvalidIpamResourceCidr.NotFound", status: 400 },
    );
    await expectAwsError(sim.ec2.send(new GetIpamResourceCidrsCommand({ IpamScopeId: "ipam-scope-0123456789abcdef0" })), {
      name: "InvalidIpamScopeId.NotFound",
      status: 400,
    });
  });

  it("public scope shows elastic IPs; discovered resource CIDRs, accounts and public addresses", async () => {
    const ipam = (await sim.ec2.send(new CreateIpamCommand({}))).Ipam!;
    const eip = await sim.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
    const pub = (await sim.ec2.send(new GetIpamResourceCidrsCommand({ IpamScopeId: ipam.PublicDefaultScopeId! }))).IpamResourceCidrs!;
    expect(pub.map((x) => [x.ResourceType, x.ResourceId, x.ResourceCidr])).toEqual([["eip", eip.AllocationId, `${eip.PublicIp}/32`]]);
    const disco = ipam.DefaultResourceDiscoveryId!;
    const found = (await sim.ec2.send(new GetIpamDiscoveredResourceCidrsCommand({ IpamResourceDiscoveryId: disco, ResourceRegion: "us-east-1" })))
      .IpamDiscoveredResourceCidrs!;
    const vpc = found.find((x) => x.ResourceType === "vpc" && x.ResourceCidr === "172.31.0.0/16")!;
    expect(vpc).toEqual(expect.objectContaining({ IpamResourceDiscoveryId: disco, IpSource: "none", ResourceOwnerId: "000000000000" }));
    expect(vpc.SampleTime).toBeInstanceOf(Date);
    expect(found.find((x) => x.ResourceType === "eip")!.IpSource).toBe("amazon");
    expect(found.filter((x) => x.ResourceType === "subnet").length).toBeGreaterThanOrEqual(3);
    await expectAwsError(sim.ec2.send(new GetIpamDiscoveredResourceCidrsCommand({ IpamResourceDiscoveryId: disco, ResourceRegion: "eu-west-1" })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    const acc = (await sim.ec2.send(new GetIpamDiscoveredAccountsCommand({ IpamResourceDiscoveryId: disco, DiscoveryRegion: "us-east-1" })))
      .IpamDiscoveredAccounts!;
    expect(acc.map((x) => [x.AccountId, x.DiscoveryRegion])).toEqual([["000000000000", "us-east-1"]]);
    const addrs = await sim.ec2.send(new GetIpamDiscoveredPublicAddressesCommand({ IpamResourceDiscoveryId: disco, AddressRegion: "us-east-1" }));
    expect(addrs.IpamDiscoveredPublicAddresses!.map((x) => [x.Address, x.AddressType, x.AssociationStatus])).toEqual([
      [eip.PublicIp, "amazon-owned-eip", "disassociated"],
    ]);
  });

  it("address history keeps the sampled periods of a CIDR, with the end time once the resource is gone", async () => {
    const ipam = (await sim.ec2.send(new CreateIpamCommand({}))).Ipam!;
    const scope = ipam.PrivateDefaultScopeId!;
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.4.0.0/16" }))).Vpc!.VpcId!;
    const sub = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.4.1.0/24" }))).Subnet!.SubnetId!;
    const h1 = (await sim.ec2.send(new GetIpamAddressHistoryCommand({ IpamScopeId: scope, Cidr: "10.4.0.0/16" }))).HistoryRecords!;
    expect(h1.map((x) => [x.ResourceType, x.ResourceId, x.SampledEndTime]).sort()).toEqual([
      ["subnet", sub, undefined],
      ["vpc", vpc, undefined],
    ]);
    await sim.ec2.send(new DeleteSubnetCommand({ SubnetId: sub }));
    const h2 = (await sim.ec2.send(new GetIpamAddressHistoryCommand({ IpamScopeId: scope, Cidr: "10.4.1.0/24", VpcId: vpc }))).HistoryRecords!;
    const gone = h2.find((x) => x.ResourceId === sub)!;
    expect(gone.SampledEndTime).toBeInstanceOf(Date);
    expect(gone.SampledStartTime!.getTime()).toBeLessThanOrEqual(gone.SampledEndTime!.getTime());
  });

  it("ModifyIpamPoolAllocation changes an allocation's description", async () => {
    const ipam = (await sim.ec2.send(new CreateIpamCommand({}))).Ipam!;
    const pool = (await sim.ec2.send(new CreateIpamPoolCommand({ IpamScopeId: ipam.PrivateDefaultScopeId!, AddressFamily: "ipv4" }))).IpamPool!.IpamPoolId!;
    await sim.ec2.send(new ProvisionIpamPoolCidrCommand({ IpamPoolId: pool, Cidr: "10.0.0.0/16" }));
    const alloc = (await sim.ec2.send(new AllocateIpamPoolCidrCommand({ IpamPoolId: pool, NetmaskLength: 24 }))).IpamPoolAllocation!;
    const m = await sim.ec2.send(new ModifyIpamPoolAllocationCommand({ IpamPoolAllocationId: alloc.IpamPoolAllocationId!, Description: "team-a" }));
    expect(m.IpamPoolAllocation).toEqual(expect.objectContaining({ Cidr: alloc.Cidr, Description: "team-a" }));
    const got = (await sim.ec2.send(new GetIpamPoolAllocationsCommand({ IpamPoolId: pool }))).IpamPoolAllocations![0]!;
    expect(got.Description).toBe("team-a");
    await expectAwsError(sim.ec2.send(new ModifyIpamPoolAllocationCommand({ IpamPoolAllocationId: "ipam-pool-alloc-0123456789abcdef0", Description: "x" })), {
      name: "InvalidIpamPoolAllocationId.NotFound",
      status: 400,
    });
  });
});

describe("VPC CIDRs from IPAM pools", () => {
  it("CreateVpc with Ipv4IpamPoolId carves the block from the pool; IPAM reports it managed; DeleteVpc gives it back", async () => {
    const ipam = (await sim.ec2.send(new CreateIpamCommand({}))).Ipam!;
    const pool = (await sim.ec2.send(new CreateIpamPoolCommand({ IpamScopeId: ipam.PrivateDefaultScopeId!, AddressFamily: "ipv4", Locale: "us-east-1" })))
      .IpamPool!.IpamPoolId!;
    await sim.ec2.send(new ProvisionIpamPoolCidrCommand({ IpamPoolId: pool, Cidr: "10.64.0.0/14" }));
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ Ipv4IpamPoolId: pool, Ipv4NetmaskLength: 16 }))).Vpc!;
    expect(vpc.CidrBlock).toBe("10.64.0.0/16");
    const second = (await sim.ec2.send(new CreateVpcCommand({ Ipv4IpamPoolId: pool, Ipv4NetmaskLength: 16 }))).Vpc!;
    expect(second.CidrBlock).toBe("10.65.0.0/16");
    const allocs = (await sim.ec2.send(new GetIpamPoolAllocationsCommand({ IpamPoolId: pool }))).IpamPoolAllocations!;
    expect(allocs.map((x) => [x.Cidr, x.ResourceType, x.ResourceId]).sort()).toEqual([
      ["10.64.0.0/16", "vpc", vpc.VpcId],
      ["10.65.0.0/16", "vpc", second.VpcId],
    ]);
    const rc = (await sim.ec2.send(new GetIpamResourceCidrsCommand({ IpamScopeId: ipam.PrivateDefaultScopeId!, ResourceId: vpc.VpcId! })))
      .IpamResourceCidrs![0]!;
    expect([rc.ManagementState, rc.IpamPoolId]).toEqual(["managed", pool]);
    const all = (await sim.ec2.send(new DescribeIpamPoolAllocationsCommand({ Filters: [{ Name: "resource-type", Values: ["vpc"] }] }))).IpamPoolAllocations!;
    expect(all.map((x) => x.ResourceId).sort()).toEqual([vpc.VpcId, second.VpcId].sort());
    await expectAwsError(sim.ec2.send(new DescribeIpamPoolAllocationsCommand({ IpamPoolAllocationIds: ["ipam-pool-alloc-0123456789abcdef0"] })), {
      name: "InvalidIpamPoolAllocationId.NotFound",
      status: 400,
    });
    await sim.ec2.send(new DeleteVpcCommand({ VpcId: vpc.VpcId! }));
    expect((await sim.ec2.send(new GetIpamPoolAllocationsCommand({ IpamPoolId: pool }))).IpamPoolAllocations!.map((x) => x.ResourceId)).toEqual([second.VpcId]);
    await expectAwsError(sim.ec2.send(new CreateVpcCommand({ Ipv4IpamPoolId: "ipam-pool-0123456789abcdef0", Ipv4NetmaskLength: 16 })), {
      name: "InvalidIpamPoolId.NotFound",
      status: 400,
    });
  });
});

describe("IPAM verification tokens and BYOASN", () => {
  it("a verification token has an 8-digit name, a UUID value and expires after 72 hours", async () => {
    const ipam = (await sim.ec2.send(new CreateIpamCommand({}))).Ipam!;
    const t = (
      await sim.ec2.send(
        new CreateIpamExternalResourceVerificationTokenCommand({
          IpamId: ipam.IpamId!,
          TagSpecifications: [{ ResourceType: "ipam-external-resource-verification-token", Tags: [{ Key: "k", Value: "v" }] }],
        }),
      )
    ).IpamExternalResourceVerificationToken!;
    expect(t.IpamExternalResourceVerificationTokenId).toMatch(/^ipam-ext-res-ver-token-[0-9a-f]{17}$/);
    expect(t.TokenName).toMatch(/^\d{8}$/);
    expect(t.TokenValue).toMatch(/^[0-9a-f-]{36}$/);
    expect([t.Status, t.State]).toEqual(["valid", "create-in-progress"]);
    expect(Math.round((t.NotAfter!.getTime() - Date.now()) / 3600000)).toBe(72);
    const d = (await sim.ec2.send(new DescribeIpamExternalResourceVerificationTokensCommand({ Filters: [{ Name: "ipam-id", Values: [ipam.IpamId!] }] })))
      .IpamExternalResourceVerificationTokens!;
    expect(d.map((x) => [x.IpamExternalResourceVerificationTokenId, x.State, x.Tags])).toEqual([
      [t.IpamExternalResourceVerificationTokenId, "create-complete", [{ Key: "k", Value: "v" }]],
    ]);
    await sim.ec2.send(
      new DeleteIpamExternalResourceVerificationTokenCommand({ IpamExternalResourceVerificationTokenId: t.IpamExternalResourceVerificationTokenId! }),
    );
    await expectAwsError(
      sim.ec2.send(
        new DescribeIpamExternalResourceVerificationTokensCommand({ IpamExternalResourceVerificationTokenIds: [t.IpamExternalResourceVerificationTokenId!] }),
      ),
      { name: "InvalidIpamExternalResourceVerificationTokenId.NotFound", status: 400 },
    );
    await expectAwsError(sim.ec2.send(new CreateIpamExternalResourceVerificationTokenCommand({ IpamId: "ipam-0123456789abcdef0" })), {
      name: "InvalidIpamId.NotFound",
      status: 400,
    });
  });

  it("an ASN is provisioned, associated with a BYOIP CIDR, advertised with it, then released", async () => {
    const ipam = (await sim.ec2.send(new CreateIpamCommand({}))).Ipam!;
    const ctx = (asn: string) => ({ Message: `1|aws|000000000000|${asn}|20991231|SHA256|RSAPSS`, Signature: "sig" });
    await expectAwsError(sim.ec2.send(new ProvisionIpamByoasnCommand({ IpamId: ipam.IpamId!, Asn: "65001", AsnAuthorizationContext: ctx("65002") })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    const p = (await sim.ec2.send(new ProvisionIpamByoasnCommand({ IpamId: ipam.IpamId!, Asn: "65001", AsnAuthorizationContext: ctx("65001") }))).Byoasn!;
    expect([p.Asn, p.State]).toEqual(["65001", "pending-provision"]);
    expect((await sim.ec2.send(new DescribeIpamByoasnCommand({}))).Byoasns).toEqual([{ Asn: "65001", IpamId: ipam.IpamId, State: "provisioned" }]);
    const cidr = "198.51.100.0/24";
    await expectAwsError(sim.ec2.send(new AssociateIpamByoasnCommand({ Asn: "65001", Cidr: cidr })), { name: "InvalidByoipCidr.NotFound", status: 400 });
    await sim.ec2.send(new ProvisionByoipCidrCommand({ Cidr: cidr }));
    expect((await sim.ec2.send(new AssociateIpamByoasnCommand({ Asn: "65001", Cidr: cidr }))).AsnAssociation!.State).toBe("pending-association");
    await sim.ec2.send(new AdvertiseByoipCidrCommand({ Cidr: cidr, Asn: "65001" }));
    const b = (await sim.ec2.send(new DescribeByoipCidrsCommand({ MaxResults: 5 }))).ByoipCidrs![0]!;
    expect([b.State, b.AsnAssociations]).toEqual(["advertised", [{ Asn: "65001", Cidr: cidr, State: "associated" }]]);
    await expectAwsError(sim.ec2.send(new DeprovisionIpamByoasnCommand({ IpamId: ipam.IpamId!, Asn: "65001" })), { name: "IncorrectState", status: 400 });
    await expectAwsError(sim.ec2.send(new DisassociateIpamByoasnCommand({ Asn: "65001", Cidr: cidr })), { name: "IncorrectState", status: 400 });
  });
});

describe("IPAM prefix list resolvers", () => {
  it("resolve tagged VPC CIDRs and static CIDRs into versions and keep a prefix list in sync", async () => {
    const ipam = (await sim.ec2.send(new CreateIpamCommand({}))).Ipam!;
    const prod = (
      await sim.ec2.send(
        new CreateVpcCommand({ CidrBlock: "10.20.0.0/16", TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "env", Value: "prod" }] }] }),
      )
    ).Vpc!.VpcId!;
    await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.30.0.0/16" }));
    const r = (
      await sim.ec2.send(
        new CreateIpamPrefixListResolverCommand({
          IpamId: ipam.IpamId!,
          AddressFamily: "ipv4",
          Rules: [
            { RuleType: "static-cidr", StaticCidr: "192.0.2.0/24" },
            {
              RuleType: "ipam-resource-cidr",
              IpamScopeId: ipam.PrivateDefaultScopeId!,
              ResourceType: "vpc",
              Conditions: [{ Operation: "equals", ResourceTag: { Key: "env", Value: "prod" } }],
            },
          ],
        }),
      )
    ).IpamPrefixListResolver!;
    expect(r.IpamPrefixListResolverId).toMatch(/^ipam-prefix-list-resolver-[0-9a-f]{17}$/);
    const rules = (await sim.ec2.send(new GetIpamPrefixListResolverRulesCommand({ IpamPrefixListResolverId: r.IpamPrefixListResolverId! }))).Rules!;
    expect(rules.map((x) => x.RuleType)).toEqual(["static-cidr", "ipam-resource-cidr"]);
    const pl = (await sim.ec2.send(new CreateManagedPrefixListCommand({ PrefixListName: "prod", AddressFamily: "IPv4", MaxEntries: 5 }))).PrefixList!
      .PrefixListId!;
    const target = (
      await sim.ec2.send(
        new CreateIpamPrefixListResolverTargetCommand({
          IpamPrefixListResolverId: r.IpamPrefixListResolverId!,
          PrefixListId: pl,
          PrefixListRegion: "us-east-1",
          TrackLatestVersion: true,
        }),
      )
    ).IpamPrefixListResolverTarget!;
    const entries = async () => (await sim.ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: pl }))).Entries!.map((x) => x.Cidr).sort();
    expect(await entries()).toEqual(["10.20.0.0/16", "192.0.2.0/24"]);
    await sim.ec2.send(
      new CreateVpcCommand({ CidrBlock: "10.21.0.0/16", TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "env", Value: "prod" }] }] }),
    );
    const t = (await sim.ec2.send(new DescribeIpamPrefixListResolverTargetsCommand({ IpamPrefixListResolverId: r.IpamPrefixListResolverId! })))
      .IpamPrefixListResolverTargets![0]!;
    expect([t.IpamPrefixListResolverTargetId, t.State, t.LastSyncedVersion]).toEqual([target.IpamPrefixListResolverTargetId, "sync-complete", 2]);
    expect(await entries()).toEqual(["10.20.0.0/16", "10.21.0.0/16", "192.0.2.0/24"]);
    const versions = (await sim.ec2.send(new GetIpamPrefixListResolverVersionsCommand({ IpamPrefixListResolverId: r.IpamPrefixListResolverId! })))
      .IpamPrefixListResolverVersions!;
    expect(versions.map((v) => v.Version)).toEqual([1, 2]);
    const v1 = (
      await sim.ec2.send(
        new GetIpamPrefixListResolverVersionEntriesCommand({ IpamPrefixListResolverId: r.IpamPrefixListResolverId!, IpamPrefixListResolverVersion: 1 }),
      )
    ).Entries!;
    expect(v1.map((x) => x.Cidr)).toEqual(["10.20.0.0/16", "192.0.2.0/24"]);
    void prod;
    await expectAwsError(sim.ec2.send(new DeleteIpamPrefixListResolverCommand({ IpamPrefixListResolverId: r.IpamPrefixListResolverId! })), {
      name: "DependencyViolation",
      status: 400,
    });
  });
});
