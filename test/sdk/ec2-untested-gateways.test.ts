/**
 * EC2 operations no other test reached with a real client: transit gateway acceptance (cross-account VPC
 * attachments to a shared gateway, peering rejection, shared multicast associations), route table announcements,
 * Client VPN attachments, metering policies; IPAM scopes, resource discoveries, prefix list resolvers and BYOASN;
 * Verified Access modifications; local gateways, customer-owned IP pools and carrier gateways.
 */
import {
  AcceptTransitGatewayMulticastDomainAssociationsCommand,
  AssociateIpamByoasnCommand,
  AttachVerifiedAccessTrustProviderCommand,
  CreateCarrierGatewayCommand,
  CreateCoipCidrCommand,
  CreateCoipPoolCommand,
  CreateIpamCommand,
  CreateIpamPrefixListResolverCommand,
  CreateIpamPrefixListResolverTargetCommand,
  CreateIpamResourceDiscoveryCommand,
  CreateIpamScopeCommand,
  CreateLocalGatewayRouteCommand,
  CreateLocalGatewayRouteTableCommand,
  CreateLocalGatewayRouteTableVirtualInterfaceGroupAssociationCommand,
  CreateLocalGatewayRouteTableVpcAssociationCommand,
  CreateLocalGatewayVirtualInterfaceCommand,
  CreateLocalGatewayVirtualInterfaceGroupCommand,
  CreateManagedPrefixListCommand,
  CreateTransitGatewayMeteringPolicyCommand,
  CreateTransitGatewayMeteringPolicyEntryCommand,
  CreateVerifiedAccessGroupCommand,
  CreateVerifiedAccessInstanceCommand,
  CreateVerifiedAccessTrustProviderCommand,
  DeleteCarrierGatewayCommand,
  DeleteCoipCidrCommand,
  DeleteCoipPoolCommand,
  DeleteIpamPrefixListResolverCommand,
  DeleteIpamPrefixListResolverTargetCommand,
  DeleteIpamScopeCommand,
  DeleteLocalGatewayRouteCommand,
  DeleteLocalGatewayRouteTableCommand,
  DeleteLocalGatewayRouteTableVirtualInterfaceGroupAssociationCommand,
  DeleteLocalGatewayRouteTableVpcAssociationCommand,
  DeleteLocalGatewayVirtualInterfaceCommand,
  DeleteLocalGatewayVirtualInterfaceGroupCommand,
  DeleteTransitGatewayClientVpnAttachmentCommand,
  DeleteTransitGatewayMeteringPolicyCommand,
  DeleteTransitGatewayMeteringPolicyEntryCommand,
  DeprovisionIpamByoasnCommand,
  DescribeCarrierGatewaysCommand,
  DescribeIpamByoasnCommand,
  DescribeIpamPrefixListResolversCommand,
  DescribeIpamPrefixListResolverTargetsCommand,
  DescribeIpamResourceDiscoveriesCommand,
  DescribeIpamScopesCommand,
  DescribeTransitGatewayMeteringPoliciesCommand,
  DescribeVerifiedAccessGroupsCommand,
  DescribeVerifiedAccessInstancesCommand,
  DisassociateIpamByoasnCommand,
  GetCoipPoolUsageCommand,
  GetIpamPrefixListResolverRulesCommand,
  GetManagedPrefixListEntriesCommand,
  GetTransitGatewayMeteringPolicyEntriesCommand,
  GetVerifiedAccessEndpointTargetsCommand,
  ModifyIpamPrefixListResolverCommand,
  ModifyIpamPrefixListResolverTargetCommand,
  ModifyIpamResourceDiscoveryCommand,
  ModifyIpamScopeCommand,
  ModifyLocalGatewayRouteCommand,
  ModifyTransitGatewayMeteringPolicyCommand,
  ModifyVerifiedAccessGroupCommand,
  ModifyVerifiedAccessInstanceCommand,
  ProvisionByoipCidrCommand,
  ProvisionIpamByoasnCommand,
  AcceptTransitGatewayClientVpnAttachmentCommand,
  RejectTransitGatewayClientVpnAttachmentCommand,
  SearchLocalGatewayRoutesCommand,
  AcceptTransitGatewayPeeringAttachmentCommand,
  AcceptTransitGatewayVpcAttachmentCommand,
  AssociateTransitGatewayMulticastDomainCommand,
  CreateNetworkInterfaceCommand,
  CreateSubnetCommand,
  CreateTransitGatewayCommand,
  CreateTransitGatewayMulticastDomainCommand,
  CreateTransitGatewayPeeringAttachmentCommand,
  CreateTransitGatewayRouteTableAnnouncementCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  CreateVpcCommand,
  DeleteTransitGatewayRouteTableAnnouncementCommand,
  DeleteTransitGatewayVpcAttachmentCommand,
  DeregisterTransitGatewayMulticastGroupSourcesCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayPeeringAttachmentsCommand,
  DescribeTransitGatewayRouteTableAnnouncementsCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  EC2Client,
  GetTransitGatewayMulticastDomainAssociationsCommand,
  GetTransitGatewayRouteTableAssociationsCommand,
  ModifyTransitGatewayCommand,
  RegisterTransitGatewayMulticastGroupMembersCommand,
  RegisterTransitGatewayMulticastGroupSourcesCommand,
  RejectTransitGatewayMulticastDomainAssociationsCommand,
  RejectTransitGatewayPeeringAttachmentCommand,
  RejectTransitGatewayVpcAttachmentCommand,
  SearchTransitGatewayMulticastGroupsCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const OWNER = "000000000000";
const OTHER = "111122223333";

const sim = useServer({ reset: "ec2" }, (cfg) => ({
  ec2: new EC2Client(cfg),
  // A 12-digit access key id selects that account (README "Accounts and regions").
  other: new EC2Client({ ...cfg, credentials: { accessKeyId: OTHER, secretAccessKey: "test" } }),
}));

async function vpcIn(c: EC2Client, cidr: string) {
  const vpcId = (await c.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
  const base = cidr.split(".").slice(0, 2).join(".");
  const subnetId = (await c.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `${base}.1.0/24`, AvailabilityZone: "us-east-1a" }))).Subnet!.SubnetId!;
  return { vpcId, subnetId };
}

const notFound = { name: "InvalidTransitGatewayAttachmentID.NotFound", status: 400 };

describe("cross-account VPC attachments to a shared transit gateway", () => {
  it("wait for the owner's acceptance, then join the default route table", async () => {
    const tgw = (await sim.ec2.send(new CreateTransitGatewayCommand({ Description: "shared hub" }))).TransitGateway!;
    expect(tgw.Options!.AutoAcceptSharedAttachments).toBe("disable");
    const tgwId = tgw.TransitGatewayId!;
    const rtb = tgw.Options!.AssociationDefaultRouteTableId!;
    const { vpcId, subnetId } = await vpcIn(sim.other, "10.20.0.0/16");

    const created = (await sim.other.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgwId, VpcId: vpcId, SubnetIds: [subnetId] })))
      .TransitGatewayVpcAttachment!;
    expect(created).toMatchObject({ TransitGatewayId: tgwId, VpcId: vpcId, VpcOwnerId: OTHER, State: "pending", SubnetIds: [subnetId] });
    const id = created.TransitGatewayAttachmentId!;

    // Both accounts see it pending acceptance; the gateway owner sees whose VPC it is.
    const mine = (await sim.other.send(new DescribeTransitGatewayVpcAttachmentsCommand({ TransitGatewayAttachmentIds: [id] }))).TransitGatewayVpcAttachments!;
    expect(mine.map((a) => [a.State, a.VpcOwnerId])).toEqual([["pendingAcceptance", OTHER]]);
    const theirs = (await sim.ec2.send(new DescribeTransitGatewayAttachmentsCommand({ Filters: [{ Name: "state", Values: ["pendingAcceptance"] }] })))
      .TransitGatewayAttachments!;
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toMatchObject({
      TransitGatewayAttachmentId: id,
      ResourceType: "vpc",
      ResourceId: vpcId,
      ResourceOwnerId: OTHER,
      TransitGatewayOwnerId: OWNER,
      State: "pendingAcceptance",
    });
    expect(theirs[0]!.Association).toBeUndefined();
    const byOwner = (await sim.ec2.send(new DescribeTransitGatewayAttachmentsCommand({ Filters: [{ Name: "resource-owner-id", Values: [OTHER] }] })))
      .TransitGatewayAttachments!;
    expect(byOwner.map((a) => a.TransitGatewayAttachmentId)).toEqual([id]);

    await expectAwsError(sim.ec2.send(new AcceptTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: id, DryRun: true })), {
      name: "DryRunOperation",
      status: 412,
    });
    const accepted = (await sim.ec2.send(new AcceptTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: id }))).TransitGatewayVpcAttachment!;
    expect(accepted).toMatchObject({ TransitGatewayAttachmentId: id, TransitGatewayId: tgwId, VpcId: vpcId, VpcOwnerId: OTHER, State: "pending" });

    const after = (await sim.other.send(new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [id] }))).TransitGatewayAttachments![0]!;
    expect(after).toMatchObject({ State: "available", TransitGatewayOwnerId: OWNER, ResourceOwnerId: OTHER });
    expect(after.Association).toEqual({ TransitGatewayRouteTableId: rtb, State: "associated" });
    const assocs = (await sim.ec2.send(new GetTransitGatewayRouteTableAssociationsCommand({ TransitGatewayRouteTableId: rtb }))).Associations!;
    expect(assocs.map((a) => a.TransitGatewayAttachmentId)).toEqual([id]);

    // Only an attachment pending acceptance can be accepted or rejected.
    await expectAwsError(sim.ec2.send(new AcceptTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: id })), {
      name: "IncorrectState",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new RejectTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: id })), {
      name: "IncorrectState",
      status: 400,
    });

    // The VPC owner deletes its attachment; both sides then describe it as deleted.
    const gone = (await sim.other.send(new DeleteTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: id }))).TransitGatewayVpcAttachment!;
    expect(gone.State).toBe("deleting");
    const listed = (await sim.ec2.send(new DescribeTransitGatewayVpcAttachmentsCommand({ TransitGatewayAttachmentIds: [id] }))).TransitGatewayVpcAttachments!;
    expect(listed.map((a) => a.State)).toEqual(["deleted"]);
    expect((await sim.ec2.send(new GetTransitGatewayRouteTableAssociationsCommand({ TransitGatewayRouteTableId: rtb }))).Associations).toEqual([]);
  });

  it("can be rejected, and are accepted at once by a gateway that auto-accepts shared attachments", async () => {
    const tgwId = (await sim.ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
    const one = await vpcIn(sim.other, "10.30.0.0/16");
    const id = (await sim.other.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgwId, VpcId: one.vpcId, SubnetIds: [one.subnetId] })))
      .TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
    const rejected = (await sim.ec2.send(new RejectTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: id }))).TransitGatewayVpcAttachment!;
    expect(rejected).toMatchObject({ TransitGatewayAttachmentId: id, VpcOwnerId: OTHER, State: "rejecting" });
    const seen = (await sim.other.send(new DescribeTransitGatewayVpcAttachmentsCommand({ TransitGatewayAttachmentIds: [id] }))).TransitGatewayVpcAttachments!;
    expect(seen.map((a) => a.State)).toEqual(["rejected"]);
    await expectAwsError(sim.ec2.send(new AcceptTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: id })), {
      name: "IncorrectState",
      status: 400,
    });

    await sim.ec2.send(new ModifyTransitGatewayCommand({ TransitGatewayId: tgwId, Options: { AutoAcceptSharedAttachments: "enable" } }));
    const two = await vpcIn(sim.other, "10.40.0.0/16");
    const auto = (await sim.other.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgwId, VpcId: two.vpcId, SubnetIds: [two.subnetId] })))
      .TransitGatewayVpcAttachment!;
    const state = (await sim.ec2.send(new DescribeTransitGatewayVpcAttachmentsCommand({ TransitGatewayAttachmentIds: [auto.TransitGatewayAttachmentId!] })))
      .TransitGatewayVpcAttachments![0]!.State;
    expect(state).toBe("available");
    await expectAwsError(sim.ec2.send(new AcceptTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: auto.TransitGatewayAttachmentId! })), {
      name: "IncorrectState",
      status: 400,
    });
  });

  it("answers NotFound for an unknown attachment and for another account's gateway it does not know", async () => {
    await expectAwsError(sim.ec2.send(new AcceptTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: "tgw-attach-0123456789abcdef0" })), notFound);
    await expectAwsError(sim.ec2.send(new RejectTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: "tgw-attach-0123456789abcdef0" })), notFound);
    const { vpcId, subnetId } = await vpcIn(sim.other, "10.50.0.0/16");
    await expectAwsError(
      sim.other.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: "tgw-0123456789abcdef0", VpcId: vpcId, SubnetIds: [subnetId] })),
      { name: "InvalidTransitGatewayID.NotFound", status: 400 },
    );
  });
});

describe("transit gateway peering rejection", () => {
  it("the accepter rejects; both sides read rejected", async () => {
    const west = new EC2Client(clientConfig(sim.server, { region: "us-west-2" }));
    const east = (await sim.ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
    const far = (await west.send(new CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
    const id = (
      await sim.ec2.send(
        new CreateTransitGatewayPeeringAttachmentCommand({ TransitGatewayId: east, PeerTransitGatewayId: far, PeerAccountId: OWNER, PeerRegion: "us-west-2" }),
      )
    ).TransitGatewayPeeringAttachment!.TransitGatewayAttachmentId!;
    // The requester cannot reject its own request.
    await expectAwsError(sim.ec2.send(new RejectTransitGatewayPeeringAttachmentCommand({ TransitGatewayAttachmentId: id })), {
      name: "IncorrectState",
      status: 400,
    });
    await expectAwsError(west.send(new RejectTransitGatewayPeeringAttachmentCommand({ TransitGatewayAttachmentId: id, DryRun: true })), {
      name: "DryRunOperation",
      status: 412,
    });
    const r = (await west.send(new RejectTransitGatewayPeeringAttachmentCommand({ TransitGatewayAttachmentId: id }))).TransitGatewayPeeringAttachment!;
    expect(r).toMatchObject({
      TransitGatewayAttachmentId: id,
      State: "rejecting",
      RequesterTgwInfo: { TransitGatewayId: east, Region: "us-east-1", OwnerId: OWNER },
      AccepterTgwInfo: { TransitGatewayId: far, Region: "us-west-2", OwnerId: OWNER },
    });
    for (const c of [sim.ec2, west]) {
      const got = (await c.send(new DescribeTransitGatewayPeeringAttachmentsCommand({ TransitGatewayAttachmentIds: [id] }))).TransitGatewayPeeringAttachments!;
      expect(got.map((x) => x.State)).toEqual(["rejected"]);
    }
    await expectAwsError(west.send(new AcceptTransitGatewayPeeringAttachmentCommand({ TransitGatewayAttachmentId: id })), {
      name: "IncorrectState",
      status: 400,
    });
    await expectAwsError(west.send(new RejectTransitGatewayPeeringAttachmentCommand({ TransitGatewayAttachmentId: "tgw-attach-0123456789abcdef0" })), notFound);
    west.destroy();
  });
});

describe("route table announcements", () => {
  it("announce a route table over an accepted peering attachment, then delete", async () => {
    const west = new EC2Client(clientConfig(sim.server, { region: "us-west-2" }));
    const east = (await sim.ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!;
    const far = (await west.send(new CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
    const rtb = east.Options!.AssociationDefaultRouteTableId!;
    const peering = (
      await sim.ec2.send(
        new CreateTransitGatewayPeeringAttachmentCommand({
          TransitGatewayId: east.TransitGatewayId!,
          PeerTransitGatewayId: far,
          PeerAccountId: OWNER,
          PeerRegion: "us-west-2",
        }),
      )
    ).TransitGatewayPeeringAttachment!.TransitGatewayAttachmentId!;
    // Not before the peering is accepted.
    await expectAwsError(
      sim.ec2.send(new CreateTransitGatewayRouteTableAnnouncementCommand({ TransitGatewayRouteTableId: rtb, PeeringAttachmentId: peering })),
      {
        name: "IncorrectState",
        status: 400,
      },
    );
    await west.send(new AcceptTransitGatewayPeeringAttachmentCommand({ TransitGatewayAttachmentId: peering }));

    const ann = (
      await sim.ec2.send(
        new CreateTransitGatewayRouteTableAnnouncementCommand({
          TransitGatewayRouteTableId: rtb,
          PeeringAttachmentId: peering,
          TagSpecifications: [{ ResourceType: "transit-gateway-route-table-announcement", Tags: [{ Key: "Name", Value: "to-west" }] }],
        }),
      )
    ).TransitGatewayRouteTableAnnouncement!;
    expect(ann).toMatchObject({
      TransitGatewayId: east.TransitGatewayId,
      PeerTransitGatewayId: far,
      PeeringAttachmentId: peering,
      TransitGatewayRouteTableId: rtb,
      AnnouncementDirection: "outgoing",
      State: "pending",
      Tags: [{ Key: "Name", Value: "to-west" }],
    });
    expect(ann.TransitGatewayRouteTableAnnouncementId).toMatch(/^tgw-rtb-ann-[0-9a-f]{17}$/);
    const annId = ann.TransitGatewayRouteTableAnnouncementId!;
    const listed = (
      await sim.ec2.send(new DescribeTransitGatewayRouteTableAnnouncementsCommand({ Filters: [{ Name: "peering-attachment-id", Values: [peering] }] }))
    ).TransitGatewayRouteTableAnnouncements!;
    expect(listed.map((x) => [x.TransitGatewayRouteTableAnnouncementId, x.State])).toEqual([[annId, "available"]]);

    await expectAwsError(
      sim.ec2.send(
        new CreateTransitGatewayRouteTableAnnouncementCommand({ TransitGatewayRouteTableId: "tgw-rtb-0123456789abcdef0", PeeringAttachmentId: peering }),
      ),
      { name: "InvalidRouteTableID.NotFound", status: 400 },
    );
    const del = (await sim.ec2.send(new DeleteTransitGatewayRouteTableAnnouncementCommand({ TransitGatewayRouteTableAnnouncementId: annId })))
      .TransitGatewayRouteTableAnnouncement!;
    expect(del).toMatchObject({ TransitGatewayRouteTableAnnouncementId: annId, State: "deleting" });
    const left = (await sim.ec2.send(new DescribeTransitGatewayRouteTableAnnouncementsCommand({ Filters: [{ Name: "state", Values: ["available"] }] })))
      .TransitGatewayRouteTableAnnouncements!;
    expect(left).toEqual([]);
    await expectAwsError(sim.ec2.send(new DeleteTransitGatewayRouteTableAnnouncementCommand({ TransitGatewayRouteTableAnnouncementId: annId })), {
      name: "InvalidTransitGatewayRouteTableAnnouncementId.NotFound",
      status: 400,
    });
    west.destroy();
  });
});

describe("shared multicast domains", () => {
  it("a consumer's subnet association waits for the domain owner, who accepts or rejects it", async () => {
    const tgwId = (await sim.ec2.send(new CreateTransitGatewayCommand({ Options: { MulticastSupport: "enable", AutoAcceptSharedAttachments: "enable" } })))
      .TransitGateway!.TransitGatewayId!;
    const domainId = (await sim.ec2.send(new CreateTransitGatewayMulticastDomainCommand({ TransitGatewayId: tgwId }))).TransitGatewayMulticastDomain!
      .TransitGatewayMulticastDomainId!;
    const vpc = await vpcIn(sim.other, "10.60.0.0/16");
    const sn2 = (await sim.other.send(new CreateSubnetCommand({ VpcId: vpc.vpcId, CidrBlock: "10.60.2.0/24", AvailabilityZone: "us-east-1b" }))).Subnet!
      .SubnetId!;
    const att = (
      await sim.other.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgwId, VpcId: vpc.vpcId, SubnetIds: [vpc.subnetId, sn2] }))
    ).TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;

    const asked = (
      await sim.other.send(
        new AssociateTransitGatewayMulticastDomainCommand({
          TransitGatewayMulticastDomainId: domainId,
          TransitGatewayAttachmentId: att,
          SubnetIds: [vpc.subnetId, sn2],
        }),
      )
    ).Associations!;
    expect(asked).toMatchObject({
      ResourceOwnerId: OTHER,
      ResourceId: vpc.vpcId,
      Subnets: [
        { SubnetId: vpc.subnetId, State: "pendingAcceptance" },
        { SubnetId: sn2, State: "pendingAcceptance" },
      ],
    });
    const pending = (await sim.ec2.send(new GetTransitGatewayMulticastDomainAssociationsCommand({ TransitGatewayMulticastDomainId: domainId })))
      .MulticastDomainAssociations!;
    expect(pending.map((a) => [a.Subnet!.SubnetId, a.Subnet!.State, a.ResourceOwnerId])).toEqual([
      [vpc.subnetId, "pendingAcceptance", OTHER],
      [sn2, "pendingAcceptance", OTHER],
    ]);

    await expectAwsError(
      sim.ec2.send(
        new AcceptTransitGatewayMulticastDomainAssociationsCommand({
          TransitGatewayMulticastDomainId: domainId,
          TransitGatewayAttachmentId: att,
          SubnetIds: [vpc.subnetId],
          DryRun: true,
        }),
      ),
      { name: "DryRunOperation", status: 412 },
    );
    const ok = (
      await sim.ec2.send(
        new AcceptTransitGatewayMulticastDomainAssociationsCommand({
          TransitGatewayMulticastDomainId: domainId,
          TransitGatewayAttachmentId: att,
          SubnetIds: [vpc.subnetId],
        }),
      )
    ).Associations!;
    expect(ok).toMatchObject({
      TransitGatewayMulticastDomainId: domainId,
      TransitGatewayAttachmentId: att,
      Subnets: [{ SubnetId: vpc.subnetId, State: "associating" }],
    });
    const no = (
      await sim.ec2.send(
        new RejectTransitGatewayMulticastDomainAssociationsCommand({
          TransitGatewayMulticastDomainId: domainId,
          TransitGatewayAttachmentId: att,
          SubnetIds: [sn2],
        }),
      )
    ).Associations!;
    expect(no.Subnets).toEqual([{ SubnetId: sn2, State: "rejected" }]);
    const now = (await sim.ec2.send(new GetTransitGatewayMulticastDomainAssociationsCommand({ TransitGatewayMulticastDomainId: domainId })))
      .MulticastDomainAssociations!;
    expect(now.map((a) => [a.Subnet!.SubnetId, a.Subnet!.State])).toEqual([
      [vpc.subnetId, "associated"],
      [sn2, "rejected"],
    ]);
    // Neither can be decided again.
    await expectAwsError(
      sim.ec2.send(
        new AcceptTransitGatewayMulticastDomainAssociationsCommand({
          TransitGatewayMulticastDomainId: domainId,
          TransitGatewayAttachmentId: att,
          SubnetIds: [vpc.subnetId],
        }),
      ),
      { name: "IncorrectState", status: 400 },
    );
    await expectAwsError(
      sim.ec2.send(
        new RejectTransitGatewayMulticastDomainAssociationsCommand({
          TransitGatewayMulticastDomainId: "tgw-mcast-domain-0123456789abcdef0",
          TransitGatewayAttachmentId: att,
        }),
      ),
      { name: "InvalidTransitGatewayMulticastDomainId.NotFound", status: 400 },
    );
  });

  it("deregisters group sources and keeps the members", async () => {
    const tgwId = (await sim.ec2.send(new CreateTransitGatewayCommand({ Options: { MulticastSupport: "enable" } }))).TransitGateway!.TransitGatewayId!;
    const domainId = (
      await sim.ec2.send(new CreateTransitGatewayMulticastDomainCommand({ TransitGatewayId: tgwId, Options: { StaticSourcesSupport: "enable" } }))
    ).TransitGatewayMulticastDomain!.TransitGatewayMulticastDomainId!;
    const { vpcId, subnetId } = await vpcIn(sim.ec2, "10.70.0.0/16");
    const att = (await sim.ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgwId, VpcId: vpcId, SubnetIds: [subnetId] })))
      .TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
    await sim.ec2.send(
      new AssociateTransitGatewayMulticastDomainCommand({ TransitGatewayMulticastDomainId: domainId, TransitGatewayAttachmentId: att, SubnetIds: [subnetId] }),
    );
    const eni1 = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId }))).NetworkInterface!.NetworkInterfaceId!;
    const eni2 = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId }))).NetworkInterface!.NetworkInterfaceId!;
    const group = "224.0.0.10";
    await sim.ec2.send(
      new RegisterTransitGatewayMulticastGroupSourcesCommand({
        TransitGatewayMulticastDomainId: domainId,
        GroupIpAddress: group,
        NetworkInterfaceIds: [eni1, eni2],
      }),
    );
    await sim.ec2.send(
      new RegisterTransitGatewayMulticastGroupMembersCommand({ TransitGatewayMulticastDomainId: domainId, GroupIpAddress: group, NetworkInterfaceIds: [eni1] }),
    );

    const out = (
      await sim.ec2.send(
        new DeregisterTransitGatewayMulticastGroupSourcesCommand({
          TransitGatewayMulticastDomainId: domainId,
          GroupIpAddress: group,
          NetworkInterfaceIds: [eni1, eni2],
        }),
      )
    ).DeregisteredMulticastGroupSources!;
    expect(out).toEqual({ TransitGatewayMulticastDomainId: domainId, GroupIpAddress: group, DeregisteredNetworkInterfaceIds: [eni1, eni2] });
    const groups = (await sim.ec2.send(new SearchTransitGatewayMulticastGroupsCommand({ TransitGatewayMulticastDomainId: domainId }))).MulticastGroups!;
    expect(groups.map((g) => [g.NetworkInterfaceId, g.GroupMember, g.GroupSource])).toEqual([[eni1, true, false]]);
    const sources = (
      await sim.ec2.send(
        new SearchTransitGatewayMulticastGroupsCommand({ TransitGatewayMulticastDomainId: domainId, Filters: [{ Name: "is-group-source", Values: ["true"] }] }),
      )
    ).MulticastGroups!;
    expect(sources).toEqual([]);
    await expectAwsError(
      sim.ec2.send(
        new DeregisterTransitGatewayMulticastGroupSourcesCommand({
          TransitGatewayMulticastDomainId: "tgw-mcast-domain-0123456789abcdef0",
          GroupIpAddress: group,
          NetworkInterfaceIds: [eni1],
        }),
      ),
      { name: "InvalidTransitGatewayMulticastDomainId.NotFound", status: 400 },
    );
    await expectAwsError(
      sim.ec2.send(
        new DeregisterTransitGatewayMulticastGroupSourcesCommand({
          TransitGatewayMulticastDomainId: domainId,
          GroupIpAddress: "10.0.0.1",
          NetworkInterfaceIds: [eni1],
        }),
      ),
      { name: "InvalidParameterValue", status: 400 },
    );
  });
});

describe("Client VPN attachments", () => {
  it("name no attachment: no Client VPN endpoint attaches to a transit gateway in awsim", async () => {
    const tgwId = (await sim.ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
    const { vpcId, subnetId } = await vpcIn(sim.ec2, "10.80.0.0/16");
    const vpcAtt = (await sim.ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgwId, VpcId: vpcId, SubnetIds: [subnetId] })))
      .TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
    for (const cmd of [
      AcceptTransitGatewayClientVpnAttachmentCommand,
      RejectTransitGatewayClientVpnAttachmentCommand,
      DeleteTransitGatewayClientVpnAttachmentCommand,
    ])
      for (const id of [vpcAtt, "tgw-attach-0123456789abcdef0"])
        await expectAwsError(sim.ec2.send(new cmd({ TransitGatewayAttachmentId: id })), {
          ...notFound,
          message: `Transit Gateway Client VPN Attachment ${id} was deleted or does not exist.`,
        });
  });
});

describe("transit gateway metering policies", () => {
  it("modify middleboxes, delete entries and the policy", async () => {
    const tgwId = (await sim.ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
    const a = await vpcIn(sim.ec2, "10.90.0.0/16");
    const b = await vpcIn(sim.ec2, "10.91.0.0/16");
    const attA = (await sim.ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgwId, VpcId: a.vpcId, SubnetIds: [a.subnetId] })))
      .TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
    const attB = (await sim.ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgwId, VpcId: b.vpcId, SubnetIds: [b.subnetId] })))
      .TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
    const id = (await sim.ec2.send(new CreateTransitGatewayMeteringPolicyCommand({ TransitGatewayId: tgwId, MiddleboxAttachmentIds: [attA] })))
      .TransitGatewayMeteringPolicy!.TransitGatewayMeteringPolicyId!;

    const mod = (
      await sim.ec2.send(
        new ModifyTransitGatewayMeteringPolicyCommand({
          TransitGatewayMeteringPolicyId: id,
          AddMiddleboxAttachmentIds: [attB],
          RemoveMiddleboxAttachmentIds: [attA],
        }),
      )
    ).TransitGatewayMeteringPolicy!;
    expect(mod).toMatchObject({ TransitGatewayMeteringPolicyId: id, TransitGatewayId: tgwId, MiddleboxAttachmentIds: [attB], State: "modifying" });
    const described = (await sim.ec2.send(new DescribeTransitGatewayMeteringPoliciesCommand({ TransitGatewayMeteringPolicyIds: [id] })))
      .TransitGatewayMeteringPolicies!;
    expect(described.map((p) => [p.MiddleboxAttachmentIds, p.State])).toEqual([[[attB], "available"]]);
    await expectAwsError(
      sim.ec2.send(
        new ModifyTransitGatewayMeteringPolicyCommand({ TransitGatewayMeteringPolicyId: id, AddMiddleboxAttachmentIds: ["tgw-attach-0123456789abcdef0"] }),
      ),
      notFound,
    );

    await sim.ec2.send(
      new CreateTransitGatewayMeteringPolicyEntryCommand({
        TransitGatewayMeteringPolicyId: id,
        PolicyRuleNumber: 10,
        DestinationCidrBlock: "10.91.0.0/16",
        MeteredAccount: "destination-attachment-owner",
      }),
    );
    const entry = (await sim.ec2.send(new DeleteTransitGatewayMeteringPolicyEntryCommand({ TransitGatewayMeteringPolicyId: id, PolicyRuleNumber: 10 })))
      .TransitGatewayMeteringPolicyEntry!;
    expect(entry).toMatchObject({
      PolicyRuleNumber: "10",
      MeteredAccount: "destination-attachment-owner",
      State: "deleted",
      MeteringPolicyRule: { DestinationCidrBlock: "10.91.0.0/16" },
    });
    expect(
      (await sim.ec2.send(new GetTransitGatewayMeteringPolicyEntriesCommand({ TransitGatewayMeteringPolicyId: id }))).TransitGatewayMeteringPolicyEntries,
    ).toEqual([]);
    await expectAwsError(sim.ec2.send(new DeleteTransitGatewayMeteringPolicyEntryCommand({ TransitGatewayMeteringPolicyId: id, PolicyRuleNumber: 10 })), {
      name: "InvalidParameterValue",
      status: 400,
    });

    const del = (await sim.ec2.send(new DeleteTransitGatewayMeteringPolicyCommand({ TransitGatewayMeteringPolicyId: id }))).TransitGatewayMeteringPolicy!;
    expect(del).toMatchObject({ TransitGatewayMeteringPolicyId: id, State: "deleting" });
    expect((await sim.ec2.send(new DescribeTransitGatewayMeteringPoliciesCommand({}))).TransitGatewayMeteringPolicies).toEqual([]);
    const gone = { name: "InvalidTransitGatewayMeteringPolicyId.NotFound", status: 400 };
    await expectAwsError(sim.ec2.send(new DeleteTransitGatewayMeteringPolicyCommand({ TransitGatewayMeteringPolicyId: id })), gone);
    await expectAwsError(sim.ec2.send(new ModifyTransitGatewayMeteringPolicyCommand({ TransitGatewayMeteringPolicyId: id })), gone);
    await expectAwsError(sim.ec2.send(new DeleteTransitGatewayMeteringPolicyEntryCommand({ TransitGatewayMeteringPolicyId: id, PolicyRuleNumber: 1 })), gone);
  });
});

describe("IPAM scopes and resource discoveries", () => {
  it("modifies a scope's description and external authority, and deletes only a non-default scope without pools", async () => {
    const ipam = (await sim.ec2.send(new CreateIpamCommand({}))).Ipam!;
    const scope = (await sim.ec2.send(new CreateIpamScopeCommand({ IpamId: ipam.IpamId!, Description: "lab" }))).IpamScope!;
    const id = scope.IpamScopeId!;
    const mod = (
      await sim.ec2.send(
        new ModifyIpamScopeCommand({
          IpamScopeId: id,
          Description: "lab 2",
          ExternalAuthorityConfiguration: { Type: "infoblox", ExternalResourceIdentifier: "ib-1" },
        }),
      )
    ).IpamScope!;
    expect(mod).toMatchObject({
      IpamScopeId: id,
      Description: "lab 2",
      ExternalAuthorityConfiguration: { Type: "infoblox", ExternalResourceIdentifier: "ib-1" },
    });
    let read = (await sim.ec2.send(new DescribeIpamScopesCommand({ IpamScopeIds: [id] }))).IpamScopes![0]!;
    expect([read.Description, read.ExternalAuthorityConfiguration]).toEqual(["lab 2", { Type: "infoblox", ExternalResourceIdentifier: "ib-1" }]);
    await sim.ec2.send(new ModifyIpamScopeCommand({ IpamScopeId: id, RemoveExternalAuthorityConfiguration: true }));
    read = (await sim.ec2.send(new DescribeIpamScopesCommand({ IpamScopeIds: [id] }))).IpamScopes![0]!;
    expect([read.Description, read.ExternalAuthorityConfiguration]).toEqual(["lab 2", undefined]);

    await expectAwsError(sim.ec2.send(new DeleteIpamScopeCommand({ IpamScopeId: ipam.PrivateDefaultScopeId! })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new DeleteIpamScopeCommand({ IpamScopeId: id, DryRun: true })), { name: "DryRunOperation", status: 412 });
    const del = (await sim.ec2.send(new DeleteIpamScopeCommand({ IpamScopeId: id }))).IpamScope!;
    expect(del).toMatchObject({ IpamScopeId: id, State: "delete-in-progress", IsDefault: false });
    const missing = { name: "InvalidIpamScopeId.NotFound", status: 400 };
    await expectAwsError(sim.ec2.send(new DescribeIpamScopesCommand({ IpamScopeIds: [id] })), missing);
    await expectAwsError(sim.ec2.send(new DeleteIpamScopeCommand({ IpamScopeId: id })), missing);
    await expectAwsError(sim.ec2.send(new ModifyIpamScopeCommand({ IpamScopeId: id, Description: "x" })), missing);
  });

  it("modifies a resource discovery's description and operating Regions", async () => {
    const d = (await sim.ec2.send(new CreateIpamResourceDiscoveryCommand({ Description: "disc", OperatingRegions: [{ RegionName: "us-east-1" }] })))
      .IpamResourceDiscovery!;
    const id = d.IpamResourceDiscoveryId!;
    const mod = (
      await sim.ec2.send(
        new ModifyIpamResourceDiscoveryCommand({
          IpamResourceDiscoveryId: id,
          Description: "disc 2",
          AddOperatingRegions: [{ RegionName: "eu-west-1" }, { RegionName: "us-west-2" }],
        }),
      )
    ).IpamResourceDiscovery!;
    expect(mod.Description).toBe("disc 2");
    expect(mod.OperatingRegions!.map((r) => r.RegionName).sort()).toEqual(["eu-west-1", "us-east-1", "us-west-2"]);
    await sim.ec2.send(new ModifyIpamResourceDiscoveryCommand({ IpamResourceDiscoveryId: id, RemoveOperatingRegions: [{ RegionName: "eu-west-1" }] }));
    const read = (await sim.ec2.send(new DescribeIpamResourceDiscoveriesCommand({ IpamResourceDiscoveryIds: [id] }))).IpamResourceDiscoveries![0]!;
    expect([read.Description, read.OperatingRegions!.map((r) => r.RegionName).sort()]).toEqual(["disc 2", ["us-east-1", "us-west-2"]]);
    // The home Region stays.
    await expectAwsError(
      sim.ec2.send(new ModifyIpamResourceDiscoveryCommand({ IpamResourceDiscoveryId: id, RemoveOperatingRegions: [{ RegionName: "us-east-1" }] })),
      {
        name: "InvalidParameterValue",
        status: 400,
      },
    );
    await expectAwsError(
      sim.ec2.send(new ModifyIpamResourceDiscoveryCommand({ IpamResourceDiscoveryId: "ipam-res-disco-0123456789abcdef0", Description: "x" })),
      {
        name: "InvalidIpamResourceDiscoveryId.NotFound",
        status: 400,
      },
    );
  });
});

describe("IPAM prefix list resolvers and BYOASN", () => {
  it("modifies and deletes a resolver and its target", async () => {
    const ipam = (await sim.ec2.send(new CreateIpamCommand({}))).Ipam!;
    const r = (
      await sim.ec2.send(
        new CreateIpamPrefixListResolverCommand({
          IpamId: ipam.IpamId!,
          AddressFamily: "ipv4",
          Description: "r",
          Rules: [{ RuleType: "static-cidr", StaticCidr: "192.0.2.0/24" }],
        }),
      )
    ).IpamPrefixListResolver!;
    const rid = r.IpamPrefixListResolverId!;
    const pl = (await sim.ec2.send(new CreateManagedPrefixListCommand({ PrefixListName: "r", AddressFamily: "IPv4", MaxEntries: 5 }))).PrefixList!
      .PrefixListId!;
    const entries = async () => (await sim.ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: pl }))).Entries!.map((x) => x.Cidr).sort();
    const tid = (
      await sim.ec2.send(
        new CreateIpamPrefixListResolverTargetCommand({
          IpamPrefixListResolverId: rid,
          PrefixListId: pl,
          PrefixListRegion: "us-east-1",
          TrackLatestVersion: true,
        }),
      )
    ).IpamPrefixListResolverTarget!.IpamPrefixListResolverTargetId!;
    expect(await entries()).toEqual(["192.0.2.0/24"]);

    const mod = (
      await sim.ec2.send(
        new ModifyIpamPrefixListResolverCommand({
          IpamPrefixListResolverId: rid,
          Description: "r2",
          Rules: [
            { RuleType: "static-cidr", StaticCidr: "192.0.2.0/24" },
            { RuleType: "static-cidr", StaticCidr: "198.51.100.0/24" },
          ],
        }),
      )
    ).IpamPrefixListResolver!;
    expect(mod).toMatchObject({ IpamPrefixListResolverId: rid, Description: "r2", State: "modify-in-progress" });
    const rules = (await sim.ec2.send(new GetIpamPrefixListResolverRulesCommand({ IpamPrefixListResolverId: rid }))).Rules!;
    expect(rules.map((x) => x.StaticCidr)).toEqual(["192.0.2.0/24", "198.51.100.0/24"]);
    expect(await entries()).toEqual(["192.0.2.0/24", "198.51.100.0/24"]);

    // Pin the target to version 1: the prefix list goes back to it.
    const t = (
      await sim.ec2.send(new ModifyIpamPrefixListResolverTargetCommand({ IpamPrefixListResolverTargetId: tid, TrackLatestVersion: false, DesiredVersion: 1 }))
    ).IpamPrefixListResolverTarget!;
    expect(t).toMatchObject({ IpamPrefixListResolverTargetId: tid, TrackLatestVersion: false, DesiredVersion: 1, State: "modify-in-progress" });
    const read = (await sim.ec2.send(new DescribeIpamPrefixListResolverTargetsCommand({ IpamPrefixListResolverTargetIds: [tid] })))
      .IpamPrefixListResolverTargets![0]!;
    expect([read.TrackLatestVersion, read.DesiredVersion, read.LastSyncedVersion]).toEqual([false, 1, 1]);
    expect(await entries()).toEqual(["192.0.2.0/24"]);

    await expectAwsError(sim.ec2.send(new DeleteIpamPrefixListResolverCommand({ IpamPrefixListResolverId: rid })), {
      name: "DependencyViolation",
      status: 400,
    });
    const tdel = (await sim.ec2.send(new DeleteIpamPrefixListResolverTargetCommand({ IpamPrefixListResolverTargetId: tid }))).IpamPrefixListResolverTarget!;
    expect(tdel).toMatchObject({ IpamPrefixListResolverTargetId: tid, State: "delete-in-progress" });
    const tgone = { name: "InvalidIpamPrefixListResolverTargetId.NotFound", status: 400 };
    await expectAwsError(sim.ec2.send(new DescribeIpamPrefixListResolverTargetsCommand({ IpamPrefixListResolverTargetIds: [tid] })), tgone);
    await expectAwsError(sim.ec2.send(new ModifyIpamPrefixListResolverTargetCommand({ IpamPrefixListResolverTargetId: tid, DesiredVersion: 1 })), tgone);
    await expectAwsError(sim.ec2.send(new DeleteIpamPrefixListResolverTargetCommand({ IpamPrefixListResolverTargetId: tid })), tgone);

    const rdel = (await sim.ec2.send(new DeleteIpamPrefixListResolverCommand({ IpamPrefixListResolverId: rid }))).IpamPrefixListResolver!;
    expect(rdel).toMatchObject({ IpamPrefixListResolverId: rid, State: "delete-in-progress" });
    expect((await sim.ec2.send(new DescribeIpamPrefixListResolversCommand({}))).IpamPrefixListResolvers).toEqual([]);
    const rgone = { name: "InvalidIpamPrefixListResolverId.NotFound", status: 400 };
    await expectAwsError(sim.ec2.send(new DeleteIpamPrefixListResolverCommand({ IpamPrefixListResolverId: rid })), rgone);
    await expectAwsError(sim.ec2.send(new ModifyIpamPrefixListResolverCommand({ IpamPrefixListResolverId: rid, Description: "x" })), rgone);
  });

  it("disassociates an ASN from a CIDR, then deprovisions it", async () => {
    const ipam = (await sim.ec2.send(new CreateIpamCommand({}))).Ipam!;
    const ctx = { Message: `1|aws|${OWNER}|65010|20991231|SHA256|RSAPSS`, Signature: "sig" };
    await sim.ec2.send(new ProvisionIpamByoasnCommand({ IpamId: ipam.IpamId!, Asn: "65010", AsnAuthorizationContext: ctx }));
    const cidr = "203.0.113.0/24";
    await sim.ec2.send(new ProvisionByoipCidrCommand({ Cidr: cidr }));
    await sim.ec2.send(new AssociateIpamByoasnCommand({ Asn: "65010", Cidr: cidr }));

    await expectAwsError(sim.ec2.send(new DisassociateIpamByoasnCommand({ Asn: "65010", Cidr: cidr, DryRun: true })), { name: "DryRunOperation", status: 412 });
    const dis = (await sim.ec2.send(new DisassociateIpamByoasnCommand({ Asn: "65010", Cidr: cidr }))).AsnAssociation!;
    expect(dis).toEqual({ Asn: "65010", Cidr: cidr, State: "pending-disassociation" });
    await expectAwsError(sim.ec2.send(new DisassociateIpamByoasnCommand({ Asn: "65010", Cidr: cidr })), {
      name: "InvalidAsnAssociation.NotFound",
      status: 400,
    });

    const dep = (await sim.ec2.send(new DeprovisionIpamByoasnCommand({ IpamId: ipam.IpamId!, Asn: "65010" }))).Byoasn!;
    expect(dep).toEqual({ Asn: "65010", IpamId: ipam.IpamId, State: "pending-deprovision" });
    expect((await sim.ec2.send(new DescribeIpamByoasnCommand({}))).Byoasns).toEqual([{ Asn: "65010", IpamId: ipam.IpamId, State: "deprovisioned" }]);
    await expectAwsError(sim.ec2.send(new DeprovisionIpamByoasnCommand({ IpamId: ipam.IpamId!, Asn: "65010" })), { name: "InvalidAsn.NotFound", status: 400 });
    await expectAwsError(sim.ec2.send(new DeprovisionIpamByoasnCommand({ IpamId: "ipam-0123456789abcdef0", Asn: "65010" })), {
      name: "InvalidIpamId.NotFound",
      status: 400,
    });
  });
});

describe("Verified Access modifications", () => {
  it("modifies an instance's description and CIDR endpoint subdomain, and moves a group to another instance", async () => {
    const i1 = (await sim.ec2.send(new CreateVerifiedAccessInstanceCommand({ Description: "one" }))).VerifiedAccessInstance!.VerifiedAccessInstanceId!;
    const i2 = (await sim.ec2.send(new CreateVerifiedAccessInstanceCommand({ Description: "two" }))).VerifiedAccessInstance!.VerifiedAccessInstanceId!;
    const mod = (
      await sim.ec2.send(
        new ModifyVerifiedAccessInstanceCommand({ VerifiedAccessInstanceId: i1, Description: "first", CidrEndpointsCustomSubDomain: "va.example.com" }),
      )
    ).VerifiedAccessInstance!;
    expect(mod).toMatchObject({ VerifiedAccessInstanceId: i1, Description: "first", CidrEndpointsCustomSubDomain: { SubDomain: "va.example.com" } });
    const read = (await sim.ec2.send(new DescribeVerifiedAccessInstancesCommand({ VerifiedAccessInstanceIds: [i1] }))).VerifiedAccessInstances![0]!;
    expect([read.Description, read.CidrEndpointsCustomSubDomain?.SubDomain]).toEqual(["first", "va.example.com"]);
    await expectAwsError(sim.ec2.send(new ModifyVerifiedAccessInstanceCommand({ VerifiedAccessInstanceId: "vai-0123456789abcdef0", Description: "x" })), {
      name: "InvalidVerifiedAccessInstanceId.NotFound",
      status: 400,
    });

    for (const i of [i1, i2]) {
      const tp = (
        await sim.ec2.send(
          new CreateVerifiedAccessTrustProviderCommand({
            TrustProviderType: "user",
            UserTrustProviderType: "iam-identity-center",
            PolicyReferenceName: `p${i.slice(-4)}`,
          }),
        )
      ).VerifiedAccessTrustProvider!.VerifiedAccessTrustProviderId!;
      await sim.ec2.send(new AttachVerifiedAccessTrustProviderCommand({ VerifiedAccessInstanceId: i, VerifiedAccessTrustProviderId: tp }));
    }
    const g = (await sim.ec2.send(new CreateVerifiedAccessGroupCommand({ VerifiedAccessInstanceId: i1, Description: "apps" }))).VerifiedAccessGroup!;
    const gid = g.VerifiedAccessGroupId!;
    const moved = (
      await sim.ec2.send(new ModifyVerifiedAccessGroupCommand({ VerifiedAccessGroupId: gid, VerifiedAccessInstanceId: i2, Description: "apps 2" }))
    ).VerifiedAccessGroup!;
    expect(moved).toMatchObject({ VerifiedAccessGroupId: gid, VerifiedAccessInstanceId: i2, Description: "apps 2" });
    const grp = (await sim.ec2.send(new DescribeVerifiedAccessGroupsCommand({ VerifiedAccessGroupIds: [gid] }))).VerifiedAccessGroups![0]!;
    expect([grp.VerifiedAccessInstanceId, grp.Description]).toEqual([i2, "apps 2"]);
    await expectAwsError(
      sim.ec2.send(new ModifyVerifiedAccessGroupCommand({ VerifiedAccessGroupId: gid, VerifiedAccessInstanceId: "vai-0123456789abcdef0" })),
      {
        name: "InvalidVerifiedAccessInstanceId.NotFound",
        status: 400,
      },
    );
    await expectAwsError(sim.ec2.send(new ModifyVerifiedAccessGroupCommand({ VerifiedAccessGroupId: "vagr-0123456789abcdef0", Description: "x" })), {
      name: "InvalidVerifiedAccessGroupId.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new GetVerifiedAccessEndpointTargetsCommand({ VerifiedAccessEndpointId: "vae-0123456789abcdef0" })), {
      name: "InvalidVerifiedAccessEndpointId.NotFound",
      status: 400,
    });
  });
});

describe("carrier gateways", () => {
  it("creates, describes and deletes a carrier gateway", async () => {
    const { vpcId } = await vpcIn(sim.ec2, "10.100.0.0/16");
    const g = (
      await sim.ec2.send(
        new CreateCarrierGatewayCommand({ VpcId: vpcId, TagSpecifications: [{ ResourceType: "carrier-gateway", Tags: [{ Key: "Name", Value: "wl" }] }] }),
      )
    ).CarrierGateway!;
    expect(g).toMatchObject({ VpcId: vpcId, OwnerId: OWNER, Tags: [{ Key: "Name", Value: "wl" }] });
    expect(g.CarrierGatewayId).toMatch(/^cagw-[0-9a-f]{17}$/);
    const id = g.CarrierGatewayId!;
    const listed = (await sim.ec2.send(new DescribeCarrierGatewaysCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }))).CarrierGateways!;
    expect(listed.map((x) => [x.CarrierGatewayId, x.State])).toEqual([[id, "available"]]);
    await expectAwsError(sim.ec2.send(new CreateCarrierGatewayCommand({ VpcId: "vpc-0123456789abcdef0" })), { name: "InvalidVpcID.NotFound", status: 400 });
    const del = (await sim.ec2.send(new DeleteCarrierGatewayCommand({ CarrierGatewayId: id }))).CarrierGateway!;
    expect(del).toMatchObject({ CarrierGatewayId: id, VpcId: vpcId });
    expect((await sim.ec2.send(new DescribeCarrierGatewaysCommand({}))).CarrierGateways).toEqual([]);
    await expectAwsError(sim.ec2.send(new DeleteCarrierGatewayCommand({ CarrierGatewayId: id })), { name: "InvalidCarrierGatewayID.NotFound", status: 400 });
  });
});

describe("local gateways and customer-owned IP pools (no Outpost exists)", () => {
  it("answers the NotFound of the resource each operation names, and DryRun first", async () => {
    const lgw = "lgw-0123456789abcdef0";
    const rtb = "lgw-rtb-0123456789abcdef0";
    const vifg = "lgw-vif-grp-0123456789abcdef0";
    const pool = "ipv4pool-coip-0123456789abcdef0";
    const cases: Array<[Promise<unknown>, string]> = [
      [sim.ec2.send(new CreateLocalGatewayRouteTableCommand({ LocalGatewayId: lgw })), "InvalidLocalGatewayID.NotFound"],
      [sim.ec2.send(new CreateLocalGatewayVirtualInterfaceGroupCommand({ LocalGatewayId: lgw })), "InvalidLocalGatewayID.NotFound"],
      [sim.ec2.send(new DeleteLocalGatewayRouteTableCommand({ LocalGatewayRouteTableId: rtb })), "InvalidLocalGatewayRouteTableID.NotFound"],
      [
        sim.ec2.send(new CreateLocalGatewayRouteCommand({ LocalGatewayRouteTableId: rtb, DestinationCidrBlock: "10.0.0.0/16" })),
        "InvalidLocalGatewayRouteTableID.NotFound",
      ],
      [
        sim.ec2.send(new ModifyLocalGatewayRouteCommand({ LocalGatewayRouteTableId: rtb, DestinationCidrBlock: "10.0.0.0/16" })),
        "InvalidLocalGatewayRouteTableID.NotFound",
      ],
      [
        sim.ec2.send(new DeleteLocalGatewayRouteCommand({ LocalGatewayRouteTableId: rtb, DestinationCidrBlock: "10.0.0.0/16" })),
        "InvalidLocalGatewayRouteTableID.NotFound",
      ],
      [sim.ec2.send(new SearchLocalGatewayRoutesCommand({ LocalGatewayRouteTableId: rtb })), "InvalidLocalGatewayRouteTableID.NotFound"],
      [
        sim.ec2.send(new CreateLocalGatewayRouteTableVpcAssociationCommand({ LocalGatewayRouteTableId: rtb, VpcId: "vpc-0123456789abcdef0" })),
        "InvalidLocalGatewayRouteTableID.NotFound",
      ],
      [
        sim.ec2.send(
          new CreateLocalGatewayRouteTableVirtualInterfaceGroupAssociationCommand({ LocalGatewayRouteTableId: rtb, LocalGatewayVirtualInterfaceGroupId: vifg }),
        ),
        "InvalidLocalGatewayRouteTableID.NotFound",
      ],
      [sim.ec2.send(new CreateCoipPoolCommand({ LocalGatewayRouteTableId: rtb })), "InvalidLocalGatewayRouteTableID.NotFound"],
      [
        sim.ec2.send(new DeleteLocalGatewayRouteTableVpcAssociationCommand({ LocalGatewayRouteTableVpcAssociationId: "lgw-vpc-assoc-0123456789abcdef0" })),
        "InvalidLocalGatewayRouteTableVpcAssociationID.NotFound",
      ],
      [
        sim.ec2.send(
          new DeleteLocalGatewayRouteTableVirtualInterfaceGroupAssociationCommand({
            LocalGatewayRouteTableVirtualInterfaceGroupAssociationId: "lgw-vif-grp-assoc-0123456789abcdef0",
          }),
        ),
        "InvalidLocalGatewayRouteTableVirtualInterfaceGroupAssociationID.NotFound",
      ],
      [
        sim.ec2.send(
          new CreateLocalGatewayVirtualInterfaceCommand({
            LocalGatewayVirtualInterfaceGroupId: vifg,
            OutpostLagId: "lag-0123456789abcdef0",
            Vlan: 10,
            LocalAddress: "10.0.0.1/30",
            PeerAddress: "10.0.0.2/30",
          }),
        ),
        "InvalidLocalGatewayVirtualInterfaceGroupID.NotFound",
      ],
      [
        sim.ec2.send(new DeleteLocalGatewayVirtualInterfaceGroupCommand({ LocalGatewayVirtualInterfaceGroupId: vifg })),
        "InvalidLocalGatewayVirtualInterfaceGroupID.NotFound",
      ],
      [
        sim.ec2.send(new DeleteLocalGatewayVirtualInterfaceCommand({ LocalGatewayVirtualInterfaceId: "lgw-vif-0123456789abcdef0" })),
        "InvalidLocalGatewayVirtualInterfaceID.NotFound",
      ],
      [sim.ec2.send(new CreateCoipCidrCommand({ CoipPoolId: pool, Cidr: "10.0.0.0/24" })), "InvalidCoipPoolID.NotFound"],
      [sim.ec2.send(new DeleteCoipCidrCommand({ CoipPoolId: pool, Cidr: "10.0.0.0/24" })), "InvalidCoipPoolID.NotFound"],
      [sim.ec2.send(new DeleteCoipPoolCommand({ CoipPoolId: pool })), "InvalidCoipPoolID.NotFound"],
      [sim.ec2.send(new GetCoipPoolUsageCommand({ PoolId: pool })), "InvalidCoipPoolID.NotFound"],
    ];
    for (const [p, name] of cases) await expectAwsError(p, { name, status: 400 });
    await expectAwsError(sim.ec2.send(new DeleteCoipPoolCommand({ CoipPoolId: pool, DryRun: true })), { name: "DryRunOperation", status: 412 });
    await expectAwsError(sim.ec2.send(new GetCoipPoolUsageCommand({ PoolId: pool, DryRun: true })), { name: "DryRunOperation", status: 412 });
  });
});
