import {
  AcceptTransitGatewayClientVpnAttachmentCommand,
  AcceptTransitGatewayVpcAttachmentCommand,
  AssociateTransitGatewayMulticastDomainCommand,
  AssociateTransitGatewayPolicyTableCommand,
  AssociateTransitGatewayRouteTableCommand,
  CreateManagedPrefixListCommand,
  CreateNetworkInterfaceCommand,
  CreateSubnetCommand,
  CreateTransitGatewayCommand,
  CreateTransitGatewayConnectCommand,
  CreateTransitGatewayConnectPeerCommand,
  CreateTransitGatewayMeteringPolicyCommand,
  CreateTransitGatewayMeteringPolicyEntryCommand,
  CreateTransitGatewayMulticastDomainCommand,
  CreateTransitGatewayPolicyTableCommand,
  CreateTransitGatewayPrefixListReferenceCommand,
  CreateTransitGatewayRouteTableCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  CreateVpcCommand,
  DeleteTransitGatewayCommand,
  DeleteTransitGatewayConnectCommand,
  DeleteTransitGatewayConnectPeerCommand,
  DeleteTransitGatewayMulticastDomainCommand,
  DeleteTransitGatewayPolicyTableCommand,
  DeleteTransitGatewayPrefixListReferenceCommand,
  DeleteTransitGatewayVpcAttachmentCommand,
  DeregisterTransitGatewayMulticastGroupMembersCommand,
  DescribeTagsCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayConnectPeersCommand,
  DescribeTransitGatewayConnectsCommand,
  DescribeTransitGatewayMulticastDomainsCommand,
  DescribeTransitGatewayPolicyTablesCommand,
  DisassociateTransitGatewayMulticastDomainCommand,
  DisassociateTransitGatewayPolicyTableCommand,
  DisassociateTransitGatewayRouteTableCommand,
  EC2Client,
  GetTransitGatewayMeteringPolicyEntriesCommand,
  GetTransitGatewayMulticastDomainAssociationsCommand,
  GetTransitGatewayPolicyTableAssociationsCommand,
  GetTransitGatewayPolicyTableEntriesCommand,
  GetTransitGatewayPrefixListReferencesCommand,
  ModifyTransitGatewayCommand,
  ModifyTransitGatewayPrefixListReferenceCommand,
  RegisterTransitGatewayMulticastGroupMembersCommand,
  RegisterTransitGatewayMulticastGroupSourcesCommand,
  RejectTransitGatewayVpcAttachmentCommand,
  SearchTransitGatewayMulticastGroupsCommand,
  SearchTransitGatewayRoutesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg) }));

async function setup(options: Record<string, unknown> = {}) {
  const tgw = (await sim.ec2.send(new CreateTransitGatewayCommand({ Options: options }))).TransitGateway!;
  const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!;
  const sn = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: "10.0.1.0/24" }))).Subnet!;
  const att = (
    await sim.ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw.TransitGatewayId, VpcId: vpc.VpcId, SubnetIds: [sn.SubnetId!] }))
  ).TransitGatewayVpcAttachment!;
  return { tgwId: tgw.TransitGatewayId!, vpcId: vpc.VpcId!, subnetId: sn.SubnetId!, attId: att.TransitGatewayAttachmentId! };
}

describe("transit gateway attachments: acceptance and Connect", () => {
  it("an owner's own VPC attachment is never pending acceptance; no Client VPN attachment exists", async () => {
    const { attId } = await setup();
    await expectAwsError(sim.ec2.send(new AcceptTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: attId })), {
      name: "IncorrectState",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new RejectTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: attId })), {
      name: "IncorrectState",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new AcceptTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: "tgw-attach-0123456789abcdef0" })), {
      name: "InvalidTransitGatewayAttachmentID.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new AcceptTransitGatewayClientVpnAttachmentCommand({ TransitGatewayAttachmentId: attId })), {
      name: "InvalidTransitGatewayAttachmentID.NotFound",
      status: 400,
    });
  });

  it("Connect attachment over a VPC attachment, with GRE peers addressed from the gateway's CIDR block", async () => {
    const { tgwId, attId } = await setup();
    const c = (
      await sim.ec2.send(
        new CreateTransitGatewayConnectCommand({
          TransportTransitGatewayAttachmentId: attId,
          Options: { Protocol: "gre" },
          TagSpecifications: [{ ResourceType: "transit-gateway-attachment", Tags: [{ Key: "k", Value: "v" }] }],
        }),
      )
    ).TransitGatewayConnect!;
    expect(c.State).toBe("pending");
    expect(c.TransitGatewayId).toBe(tgwId);
    const connectId = c.TransitGatewayAttachmentId!;
    const listed = (
      await sim.ec2.send(new DescribeTransitGatewayConnectsCommand({ Filters: [{ Name: "transport-transit-gateway-attachment-id", Values: [attId] }] }))
    ).TransitGatewayConnects!;
    expect(listed.map((x) => [x.TransitGatewayAttachmentId, x.State, x.Options?.Protocol, x.Tags])).toEqual([
      [connectId, "available", "gre", [{ Key: "k", Value: "v" }]],
    ]);
    const all = (await sim.ec2.send(new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [connectId] }))).TransitGatewayAttachments![0]!;
    expect(all.ResourceType).toBe("connect");

    // No CIDR block on the gateway yet: no address for the peer.
    await expectAwsError(
      sim.ec2.send(
        new CreateTransitGatewayConnectPeerCommand({ TransitGatewayAttachmentId: connectId, PeerAddress: "10.0.1.10", InsideCidrBlocks: ["169.254.10.0/29"] }),
      ),
      { name: "InvalidParameterValue", status: 400 },
    );
    await sim.ec2.send(new ModifyTransitGatewayCommand({ TransitGatewayId: tgwId, Options: { AddTransitGatewayCidrBlocks: ["192.0.2.0/24"] } }));
    await expectAwsError(
      sim.ec2.send(
        new CreateTransitGatewayConnectPeerCommand({ TransitGatewayAttachmentId: connectId, PeerAddress: "10.0.1.10", InsideCidrBlocks: ["169.254.1.0/29"] }),
      ),
      { name: "InvalidParameterValue", status: 400 },
    );
    const p = (
      await sim.ec2.send(
        new CreateTransitGatewayConnectPeerCommand({
          TransitGatewayAttachmentId: connectId,
          PeerAddress: "10.0.1.10",
          InsideCidrBlocks: ["169.254.10.0/29"],
          BgpOptions: { PeerAsn: 65001 },
        }),
      )
    ).TransitGatewayConnectPeer!;
    expect(p.TransitGatewayConnectPeerId).toMatch(/^tgw-connect-peer-[0-9a-f]{17}$/);
    expect(p.State).toBe("pending");
    const cfg = p.ConnectPeerConfiguration!;
    expect(cfg.TransitGatewayAddress).toBe("192.0.2.0");
    expect(cfg.BgpConfigurations!.map((b) => [b.TransitGatewayAddress, b.PeerAddress, b.PeerAsn, b.TransitGatewayAsn])).toEqual([
      ["169.254.10.2", "169.254.10.1", 65001, 64512],
      ["169.254.10.3", "169.254.10.1", 65001, 64512],
    ]);
    await expectAwsError(
      sim.ec2.send(
        new CreateTransitGatewayConnectPeerCommand({ TransitGatewayAttachmentId: connectId, PeerAddress: "10.0.1.11", InsideCidrBlocks: ["169.254.10.0/29"] }),
      ),
      { name: "InvalidParameterValue", status: 400 },
    );
    const d = (await sim.ec2.send(new DescribeTransitGatewayConnectPeersCommand({ TransitGatewayConnectPeerIds: [p.TransitGatewayConnectPeerId!] })))
      .TransitGatewayConnectPeers![0]!;
    expect(d.State).toBe("available");

    await expectAwsError(sim.ec2.send(new DeleteTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: attId })), {
      name: "IncorrectState",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new DeleteTransitGatewayConnectCommand({ TransitGatewayAttachmentId: connectId })), {
      name: "IncorrectState",
      status: 400,
    });
    await sim.ec2.send(new DeleteTransitGatewayConnectPeerCommand({ TransitGatewayConnectPeerId: p.TransitGatewayConnectPeerId }));
    expect((await sim.ec2.send(new DeleteTransitGatewayConnectCommand({ TransitGatewayAttachmentId: connectId }))).TransitGatewayConnect!.State).toBe(
      "deleting",
    );
    expect((await sim.ec2.send(new DescribeTransitGatewayConnectsCommand({}))).TransitGatewayConnects).toEqual([]);
    await sim.ec2.send(new DeleteTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: attId }));
  });
});

describe("policy tables, prefix list references, metering policies", () => {
  it("associates an attachment with a policy table only once it has left its route table", async () => {
    const { tgwId, attId } = await setup();
    const pt = (await sim.ec2.send(new CreateTransitGatewayPolicyTableCommand({ TransitGatewayId: tgwId }))).TransitGatewayPolicyTable!;
    expect(pt.TransitGatewayPolicyTableId).toMatch(/^tgw-ptb-[0-9a-f]{17}$/);
    expect(pt.State).toBe("pending");
    const ptId = pt.TransitGatewayPolicyTableId!;
    await expectAwsError(
      sim.ec2.send(new AssociateTransitGatewayPolicyTableCommand({ TransitGatewayPolicyTableId: ptId, TransitGatewayAttachmentId: attId })),
      {
        name: "Resource.AlreadyAssociated",
        status: 400,
      },
    );
    const att = (await sim.ec2.send(new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [attId] }))).TransitGatewayAttachments![0]!;
    await sim.ec2.send(
      new DisassociateTransitGatewayRouteTableCommand({
        TransitGatewayRouteTableId: att.Association!.TransitGatewayRouteTableId,
        TransitGatewayAttachmentId: attId,
      }),
    );
    const a = (await sim.ec2.send(new AssociateTransitGatewayPolicyTableCommand({ TransitGatewayPolicyTableId: ptId, TransitGatewayAttachmentId: attId })))
      .Association!;
    expect(a.State).toBe("associating");
    expect(a.ResourceType).toBe("vpc");
    const got = (await sim.ec2.send(new GetTransitGatewayPolicyTableAssociationsCommand({ TransitGatewayPolicyTableId: ptId }))).Associations!;
    expect(got.map((x) => [x.TransitGatewayAttachmentId, x.State])).toEqual([[attId, "associated"]]);
    await expectAwsError(
      sim.ec2.send(
        new AssociateTransitGatewayRouteTableCommand({
          TransitGatewayRouteTableId: att.Association!.TransitGatewayRouteTableId,
          TransitGatewayAttachmentId: attId,
        }),
      ),
      { name: "Resource.AlreadyAssociated", status: 400 },
    );
    expect(
      (await sim.ec2.send(new GetTransitGatewayPolicyTableEntriesCommand({ TransitGatewayPolicyTableId: ptId }))).TransitGatewayPolicyTableEntries,
    ).toEqual([]);
    await expectAwsError(sim.ec2.send(new DeleteTransitGatewayPolicyTableCommand({ TransitGatewayPolicyTableId: ptId })), {
      name: "IncorrectState",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new DeleteTransitGatewayCommand({ TransitGatewayId: tgwId })), { name: "IncorrectState", status: 400 });
    await sim.ec2.send(new DisassociateTransitGatewayPolicyTableCommand({ TransitGatewayPolicyTableId: ptId, TransitGatewayAttachmentId: attId }));
    await sim.ec2.send(new DeleteTransitGatewayPolicyTableCommand({ TransitGatewayPolicyTableId: ptId }));
    expect((await sim.ec2.send(new DescribeTransitGatewayPolicyTablesCommand({}))).TransitGatewayPolicyTables).toEqual([]);
    await expectAwsError(sim.ec2.send(new DescribeTransitGatewayPolicyTablesCommand({ TransitGatewayPolicyTableIds: [ptId] })), {
      name: "InvalidTransitGatewayPolicyTableId.NotFound",
      status: 400,
    });
  });

  it("references a customer-managed prefix list to an attachment or a blackhole", async () => {
    const { tgwId, attId } = await setup();
    const rtb = (await sim.ec2.send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: tgwId }))).TransitGatewayRouteTable!
      .TransitGatewayRouteTableId!;
    const pl = (
      await sim.ec2.send(
        new CreateManagedPrefixListCommand({ PrefixListName: "corp", AddressFamily: "IPv4", MaxEntries: 5, Entries: [{ Cidr: "172.16.0.0/12" }] }),
      )
    ).PrefixList!.PrefixListId!;
    await expectAwsError(sim.ec2.send(new CreateTransitGatewayPrefixListReferenceCommand({ TransitGatewayRouteTableId: rtb, PrefixListId: pl })), {
      name: "MissingParameter",
      status: 400,
    });
    const ref = (
      await sim.ec2.send(
        new CreateTransitGatewayPrefixListReferenceCommand({ TransitGatewayRouteTableId: rtb, PrefixListId: pl, TransitGatewayAttachmentId: attId }),
      )
    ).TransitGatewayPrefixListReference!;
    expect(ref.State).toBe("pending");
    expect(ref.PrefixListOwnerId).toBe("000000000000");
    expect(ref.TransitGatewayAttachment).toEqual({ TransitGatewayAttachmentId: attId, ResourceType: "vpc", ResourceId: expect.stringMatching(/^vpc-/) });
    await expectAwsError(
      sim.ec2.send(
        new CreateTransitGatewayPrefixListReferenceCommand({ TransitGatewayRouteTableId: rtb, PrefixListId: pl, TransitGatewayAttachmentId: attId }),
      ),
      { name: "InvalidTransitGatewayPrefixListReference.Duplicate", status: 400 },
    );
    const searched = await sim.ec2.send(
      new SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: rtb, Filters: [{ Name: "prefix-list-id", Values: [pl] }] }),
    );
    expect(
      searched.Routes!.map((r) => [r.DestinationCidrBlock, r.PrefixListId, r.Type, r.State, r.TransitGatewayAttachments?.[0]?.TransitGatewayAttachmentId]),
    ).toEqual([["172.16.0.0/12", pl, "static", "active", attId]]);
    const lpm = await sim.ec2.send(
      new SearchTransitGatewayRoutesCommand({
        TransitGatewayRouteTableId: rtb,
        Filters: [{ Name: "route-search.longest-prefix-match", Values: ["172.16.1.1/32"] }],
      }),
    );
    expect(lpm.Routes!.map((r) => r.DestinationCidrBlock)).toEqual(["172.16.0.0/12"]);
    await sim.ec2.send(new ModifyTransitGatewayPrefixListReferenceCommand({ TransitGatewayRouteTableId: rtb, PrefixListId: pl, Blackhole: true }));
    const refs = (
      await sim.ec2.send(
        new GetTransitGatewayPrefixListReferencesCommand({ TransitGatewayRouteTableId: rtb, Filters: [{ Name: "is-blackhole", Values: ["true"] }] }),
      )
    ).TransitGatewayPrefixListReferences!;
    expect(refs.map((r) => [r.PrefixListId, r.Blackhole, r.State, r.TransitGatewayAttachment])).toEqual([[pl, true, "available", undefined]]);
    await sim.ec2.send(new DeleteTransitGatewayPrefixListReferenceCommand({ TransitGatewayRouteTableId: rtb, PrefixListId: pl }));
    expect(
      (await sim.ec2.send(new GetTransitGatewayPrefixListReferencesCommand({ TransitGatewayRouteTableId: rtb }))).TransitGatewayPrefixListReferences,
    ).toEqual([]);
    await expectAwsError(sim.ec2.send(new DeleteTransitGatewayPrefixListReferenceCommand({ TransitGatewayRouteTableId: rtb, PrefixListId: pl })), {
      name: "InvalidTransitGatewayPrefixListReference.NotFound",
      status: 400,
    });
  });

  it("metering policy entries sorted by rule number, tagged policies", async () => {
    const { tgwId, attId } = await setup();
    const mp = (
      await sim.ec2.send(
        new CreateTransitGatewayMeteringPolicyCommand({
          TransitGatewayId: tgwId,
          TagSpecifications: [{ ResourceType: "transit-gateway-metering-policy", Tags: [{ Key: "cost", Value: "a" }] }],
        }),
      )
    ).TransitGatewayMeteringPolicy!;
    const id = mp.TransitGatewayMeteringPolicyId!;
    for (const n of [200, 100])
      await sim.ec2.send(
        new CreateTransitGatewayMeteringPolicyEntryCommand({
          TransitGatewayMeteringPolicyId: id,
          PolicyRuleNumber: n,
          SourceTransitGatewayAttachmentId: attId,
          MeteredAccount: "source-attachment-owner",
        }),
      );
    const entries = (await sim.ec2.send(new GetTransitGatewayMeteringPolicyEntriesCommand({ TransitGatewayMeteringPolicyId: id })))
      .TransitGatewayMeteringPolicyEntries!;
    expect(entries.map((x) => [x.PolicyRuleNumber, x.MeteringPolicyRule?.SourceTransitGatewayAttachmentId])).toEqual([
      ["100", attId],
      ["200", attId],
    ]);
    const tags = await sim.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [id] }] }));
    expect(tags.Tags).toEqual([{ ResourceId: id, ResourceType: "transit-gateway-metering-policy", Key: "cost", Value: "a" }]);
  });
});

describe("multicast domains", () => {
  it("needs multicast support; associates subnets, registers members and sources, searches groups", async () => {
    const plain = await setup();
    await expectAwsError(sim.ec2.send(new CreateTransitGatewayMulticastDomainCommand({ TransitGatewayId: plain.tgwId })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    const tgw = (await sim.ec2.send(new CreateTransitGatewayCommand({ Options: { MulticastSupport: "enable" } }))).TransitGateway!.TransitGatewayId!;
    const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }))).Vpc!.VpcId!;
    const sn = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.9.1.0/24" }))).Subnet!.SubnetId!;
    const att = (await sim.ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw, VpcId: vpc, SubnetIds: [sn] })))
      .TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
    const d = (await sim.ec2.send(new CreateTransitGatewayMulticastDomainCommand({ TransitGatewayId: tgw, Options: { StaticSourcesSupport: "enable" } })))
      .TransitGatewayMulticastDomain!;
    expect(d.TransitGatewayMulticastDomainId).toMatch(/^tgw-mcast-domain-[0-9a-f]{17}$/);
    expect(d.Options).toEqual({ Igmpv2Support: "disable", StaticSourcesSupport: "enable", AutoAcceptSharedAssociations: "disable" });
    const domainId = d.TransitGatewayMulticastDomainId!;
    const eni = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: sn }))).NetworkInterface!.NetworkInterfaceId!;
    await expectAwsError(
      sim.ec2.send(
        new RegisterTransitGatewayMulticastGroupMembersCommand({
          TransitGatewayMulticastDomainId: domainId,
          GroupIpAddress: "224.0.0.10",
          NetworkInterfaceIds: [eni],
        }),
      ),
      { name: "InvalidParameterValue", status: 400 },
    );
    const assoc = (
      await sim.ec2.send(
        new AssociateTransitGatewayMulticastDomainCommand({ TransitGatewayMulticastDomainId: domainId, TransitGatewayAttachmentId: att, SubnetIds: [sn] }),
      )
    ).Associations!;
    expect(assoc.Subnets).toEqual([{ SubnetId: sn, State: "associating" }]);
    const got = (await sim.ec2.send(new GetTransitGatewayMulticastDomainAssociationsCommand({ TransitGatewayMulticastDomainId: domainId })))
      .MulticastDomainAssociations!;
    expect(got.map((x) => [x.TransitGatewayAttachmentId, x.ResourceId, x.Subnet])).toEqual([[att, vpc, { SubnetId: sn, State: "associated" }]]);
    await expectAwsError(
      sim.ec2.send(
        new RegisterTransitGatewayMulticastGroupMembersCommand({
          TransitGatewayMulticastDomainId: domainId,
          GroupIpAddress: "10.0.0.1",
          NetworkInterfaceIds: [eni],
        }),
      ),
      { name: "InvalidParameterValue", status: 400 },
    );
    const reg = await sim.ec2.send(
      new RegisterTransitGatewayMulticastGroupMembersCommand({
        TransitGatewayMulticastDomainId: domainId,
        GroupIpAddress: "224.0.0.10",
        NetworkInterfaceIds: [eni],
      }),
    );
    expect(reg.RegisteredMulticastGroupMembers).toEqual({
      TransitGatewayMulticastDomainId: domainId,
      RegisteredNetworkInterfaceIds: [eni],
      GroupIpAddress: "224.0.0.10",
    });
    await sim.ec2.send(
      new RegisterTransitGatewayMulticastGroupSourcesCommand({
        TransitGatewayMulticastDomainId: domainId,
        GroupIpAddress: "224.0.0.10",
        NetworkInterfaceIds: [eni],
      }),
    );
    const groups = (await sim.ec2.send(new SearchTransitGatewayMulticastGroupsCommand({ TransitGatewayMulticastDomainId: domainId }))).MulticastGroups!;
    // The member and the source registration are two rows, as AWS lists them (CLI example
    // search-transit-gateway-multicast-groups; Terraform's group member resource filters is-group-source=false).
    expect(
      groups.map((g) => [
        g.GroupIpAddress,
        g.NetworkInterfaceId,
        g.GroupMember,
        g.GroupSource,
        g.MemberType,
        g.SourceType,
        g.SubnetId,
        g.TransitGatewayAttachmentId,
      ]),
    ).toEqual([
      ["224.0.0.10", eni, true, false, "static", undefined, sn, att],
      ["224.0.0.10", eni, false, true, undefined, "static", sn, att],
    ]);
    const memberRow = await sim.ec2.send(
      new SearchTransitGatewayMulticastGroupsCommand({
        TransitGatewayMulticastDomainId: domainId,
        Filters: [
          { Name: "is-group-member", Values: ["true"] },
          { Name: "is-group-source", Values: ["false"] },
        ],
      }),
    );
    expect(memberRow.MulticastGroups!.map((g) => g.NetworkInterfaceId)).toEqual([eni]);
    await sim.ec2.send(
      new DeregisterTransitGatewayMulticastGroupMembersCommand({
        TransitGatewayMulticastDomainId: domainId,
        GroupIpAddress: "224.0.0.10",
        NetworkInterfaceIds: [eni],
      }),
    );
    const members = await sim.ec2.send(
      new SearchTransitGatewayMulticastGroupsCommand({ TransitGatewayMulticastDomainId: domainId, Filters: [{ Name: "is-group-member", Values: ["true"] }] }),
    );
    expect(members.MulticastGroups).toEqual([]);
    await expectAwsError(sim.ec2.send(new DeleteTransitGatewayMulticastDomainCommand({ TransitGatewayMulticastDomainId: domainId })), {
      name: "IncorrectState",
      status: 400,
    });
    await sim.ec2.send(
      new DisassociateTransitGatewayMulticastDomainCommand({ TransitGatewayMulticastDomainId: domainId, TransitGatewayAttachmentId: att, SubnetIds: [sn] }),
    );
    expect((await sim.ec2.send(new SearchTransitGatewayMulticastGroupsCommand({ TransitGatewayMulticastDomainId: domainId }))).MulticastGroups).toEqual([]);
    await sim.ec2.send(new DeleteTransitGatewayMulticastDomainCommand({ TransitGatewayMulticastDomainId: domainId }));
    expect((await sim.ec2.send(new DescribeTransitGatewayMulticastDomainsCommand({}))).TransitGatewayMulticastDomains).toEqual([]);
  });
});
