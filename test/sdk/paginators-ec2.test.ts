/**
 * EC2: the most used Describe* paginators walked with the JS SDK's paginator (NextToken / MaxResults). EC2's
 * smallest MaxResults is 5 for most of them, so each walk is over 7 resources at page size 5: two pages.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateDhcpOptionsCommand,
  CreateEgressOnlyInternetGatewayCommand,
  CreateImageCommand,
  CreateInternetGatewayCommand,
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  CreateManagedPrefixListCommand,
  CreateNatGatewayCommand,
  CreateNetworkAclCommand,
  CreateNetworkInterfaceCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  CreateSubnetCommand,
  CreateTransitGatewayCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  CreateVpcPeeringConnectionCommand,
  DescribeHostsCommand,
  DescribeInstanceCreditSpecificationsCommand,
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeReservedInstancesOfferingsCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSnapshotsCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVolumesCommand,
  DescribeVolumesModificationsCommand,
  DescribeVolumeStatusCommand,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
  type Filter,
  paginateDescribeDhcpOptions,
  paginateDescribeEgressOnlyInternetGateways,
  paginateDescribeImages,
  paginateDescribeInstances,
  paginateDescribeInstanceStatus,
  paginateDescribeInstanceTypeOfferings,
  paginateDescribeInstanceTypes,
  paginateDescribeInternetGateways,
  paginateDescribeLaunchTemplates,
  paginateDescribeLaunchTemplateVersions,
  paginateDescribeManagedPrefixLists,
  paginateDescribeReservedInstancesOfferings,
  paginateDescribeNatGateways,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroupRules,
  paginateDescribeSecurityGroups,
  paginateDescribeSnapshots,
  paginateDescribeSpotPriceHistory,
  paginateDescribeSubnets,
  paginateDescribeTags,
  paginateDescribeTransitGateways,
  paginateDescribeVolumes,
  paginateDescribeVolumeStatus,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcPeeringConnections,
  paginateDescribeVpcs,
  type ResourceType,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { AMI } from "./ec2-fixtures.js";
import { expectWalk } from "./paginators-helpers.js";

const N = 7;
const PAGE = 5;
const sim = useServer({}, (cfg) => ({ ec2: new EC2Client(cfg) }));
const cfg = () => ({ client: sim.ec2, pageSize: PAGE });
const tok = (p: { NextToken?: string }) => p.NextToken;
/** TagSpecifications marking a resource as one of `kind`'s fixture; its filter. */
const mark = (kind: string, ResourceType: ResourceType) => [{ ResourceType, Tags: [{ Key: "pg", Value: kind }] }];
const only = (kind: string): Filter[] => [{ Name: "tag:pg", Values: [kind] }];
const times = async <T>(n: number, f: (i: number) => Promise<T>) => {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await f(i));
  return out;
};
const fx = {} as Record<string, string[]> & { vpc: string; subnet: string; sg: string; lt: string; volume: string; instance: string };

beforeAll(async () => {
  const ec2 = sim.ec2;
  fx.vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.50.0.0/16", TagSpecifications: mark("base", "vpc") }))).Vpc!.VpcId!;
  fx.subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: fx.vpc, CidrBlock: "10.50.200.0/24", AvailabilityZone: "us-east-1a" }))).Subnet!.SubnetId!;
  fx.vpcs = await times(
    N,
    async (i) => (await ec2.send(new CreateVpcCommand({ CidrBlock: `10.${i + 1}.0.0/16`, TagSpecifications: mark("vpcs", "vpc") }))).Vpc!.VpcId!,
  );
  fx.subnets = await times(
    N,
    async (i) =>
      (await ec2.send(new CreateSubnetCommand({ VpcId: fx.vpc, CidrBlock: `10.50.${i}.0/24`, TagSpecifications: mark("subnets", "subnet") }))).Subnet!
        .SubnetId!,
  );
  fx.sgs = await times(
    N,
    async (i) =>
      (
        await ec2.send(
          new CreateSecurityGroupCommand({ GroupName: `pg-${i}`, Description: "pg", VpcId: fx.vpc, TagSpecifications: mark("sgs", "security-group") }),
        )
      ).GroupId!,
  );
  fx.sg = fx.sgs[0]!;
  for (let i = 0; i < N - 1; i++) {
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: fx.sg,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 1000 + i, ToPort: 1000 + i, IpRanges: [{ CidrIp: "10.0.0.0/8" }] }],
      }),
    );
  }
  fx.enis = await times(
    N,
    async () =>
      (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: fx.subnet, TagSpecifications: mark("enis", "network-interface") }))).NetworkInterface!
        .NetworkInterfaceId!,
  );
  fx.rtbs = await times(
    N,
    async () => (await ec2.send(new CreateRouteTableCommand({ VpcId: fx.vpc, TagSpecifications: mark("rtbs", "route-table") }))).RouteTable!.RouteTableId!,
  );
  fx.igws = await times(
    N,
    async () => (await ec2.send(new CreateInternetGatewayCommand({ TagSpecifications: mark("igws", "internet-gateway") }))).InternetGateway!.InternetGatewayId!,
  );
  fx.nats = await times(
    N,
    async () =>
      (await ec2.send(new CreateNatGatewayCommand({ SubnetId: fx.subnet, ConnectivityType: "private", TagSpecifications: mark("nats", "natgateway") })))
        .NatGateway!.NatGatewayId!,
  );
  const services = ["s3", "dynamodb", "sqs", "sns", "logs", "ecr.api", "kms"].map((s) => `com.amazonaws.us-east-1.${s}`);
  fx.endpoints = await times(N, async (i) => {
    const gateway = i < 2;
    const r = await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: fx.vpc,
        ServiceName: services[i],
        VpcEndpointType: gateway ? "Gateway" : "Interface",
        SubnetIds: gateway ? undefined : [fx.subnet],
        TagSpecifications: mark("endpoints", "vpc-endpoint"),
      }),
    );
    return r.VpcEndpoint!.VpcEndpointId!;
  });
  fx.volumes = await times(
    N,
    async () => (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 1, TagSpecifications: mark("volumes", "volume") }))).VolumeId!,
  );
  fx.volume = fx.volumes[0]!;
  fx.snapshots = await times(
    N,
    async () => (await ec2.send(new CreateSnapshotCommand({ VolumeId: fx.volume, TagSpecifications: mark("snapshots", "snapshot") }))).SnapshotId!,
  );
  fx.instances = await times(
    N,
    async () =>
      (
        await ec2.send(
          new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, InstanceType: "t3.micro", TagSpecifications: mark("instances", "instance") }),
        )
      ).Instances![0]!.InstanceId!,
  );
  fx.instance = fx.instances[0]!;
  fx.images = await times(
    N,
    async (i) =>
      (await ec2.send(new CreateImageCommand({ InstanceId: fx.instance, Name: `pg-image-${i}`, TagSpecifications: mark("images", "image") }))).ImageId!,
  );
  fx.lts = await times(
    N,
    async (i) =>
      (
        await ec2.send(
          new CreateLaunchTemplateCommand({
            LaunchTemplateName: `pg-lt-${i}`,
            LaunchTemplateData: { ImageId: AMI },
            TagSpecifications: mark("lts", "launch-template"),
          }),
        )
      ).LaunchTemplate!.LaunchTemplateId!,
  );
  fx.lt = fx.lts[0]!;
  for (let i = 2; i <= N; i++)
    await ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: fx.lt, LaunchTemplateData: { ImageId: AMI, InstanceType: "t3.micro" } }));
  fx.nacls = await times(
    N,
    async () => (await ec2.send(new CreateNetworkAclCommand({ VpcId: fx.vpc, TagSpecifications: mark("nacls", "network-acl") }))).NetworkAcl!.NetworkAclId!,
  );
  fx.dhcp = await times(
    N,
    async () =>
      (
        await ec2.send(
          new CreateDhcpOptionsCommand({
            DhcpConfigurations: [{ Key: "domain-name", Values: ["pg.internal"] }],
            TagSpecifications: mark("dhcp", "dhcp-options"),
          }),
        )
      ).DhcpOptions!.DhcpOptionsId!,
  );
  fx.eigws = await times(
    N,
    async (i) =>
      (await ec2.send(new CreateEgressOnlyInternetGatewayCommand({ VpcId: fx.vpcs[i], TagSpecifications: mark("eigws", "egress-only-internet-gateway") })))
        .EgressOnlyInternetGateway!.EgressOnlyInternetGatewayId!,
  );
  fx.peerings = await times(
    N,
    async (i) =>
      (
        await ec2.send(
          new CreateVpcPeeringConnectionCommand({ VpcId: fx.vpc, PeerVpcId: fx.vpcs[i], TagSpecifications: mark("peerings", "vpc-peering-connection") }),
        )
      ).VpcPeeringConnection!.VpcPeeringConnectionId!,
  );
  fx.pls = await times(
    N,
    async (i) =>
      (
        await ec2.send(
          new CreateManagedPrefixListCommand({
            PrefixListName: `pg-pl-${i}`,
            MaxEntries: 5,
            AddressFamily: "IPv4",
            TagSpecifications: mark("pls", "prefix-list"),
          }),
        )
      ).PrefixList!.PrefixListId!,
  );
  fx.tgws = await times(
    N,
    async () => (await ec2.send(new CreateTransitGatewayCommand({ TagSpecifications: mark("tgws", "transit-gateway") }))).TransitGateway!.TransitGatewayId!,
  );
}, 60_000);

type Row = [string, () => Promise<unknown>];
/** A walk over one tagged fixture: ids from each page by `id`. */
const row = <P>(name: string, pages: () => AsyncIterable<P>, items: (p: P) => readonly unknown[] | undefined, id: (x: never) => string, kind: string): Row => [
  name,
  () => expectWalk({ pages: pages(), items, token: tok as (p: P) => string | undefined, key: id, pageSize: PAGE, expected: fx[kind]! }),
];

const rows: Row[] = [
  row(
    "DescribeInstances",
    () => paginateDescribeInstances(cfg(), { Filters: only("instances") }),
    (p) => p.Reservations?.flatMap((r) => r.Instances ?? []),
    (i: { InstanceId: string }) => i.InstanceId,
    "instances",
  ),
  row(
    "DescribeVpcs",
    () => paginateDescribeVpcs(cfg(), { Filters: only("vpcs") }),
    (p) => p.Vpcs,
    (v: { VpcId: string }) => v.VpcId,
    "vpcs",
  ),
  row(
    "DescribeSubnets",
    () => paginateDescribeSubnets(cfg(), { Filters: only("subnets") }),
    (p) => p.Subnets,
    (s: { SubnetId: string }) => s.SubnetId,
    "subnets",
  ),
  row(
    "DescribeSecurityGroups",
    () => paginateDescribeSecurityGroups(cfg(), { Filters: only("sgs") }),
    (p) => p.SecurityGroups,
    (g: { GroupId: string }) => g.GroupId,
    "sgs",
  ),
  row(
    "DescribeNetworkInterfaces",
    () => paginateDescribeNetworkInterfaces(cfg(), { Filters: only("enis") }),
    (p) => p.NetworkInterfaces,
    (n: { NetworkInterfaceId: string }) => n.NetworkInterfaceId,
    "enis",
  ),
  row(
    "DescribeRouteTables",
    () => paginateDescribeRouteTables(cfg(), { Filters: only("rtbs") }),
    (p) => p.RouteTables,
    (r: { RouteTableId: string }) => r.RouteTableId,
    "rtbs",
  ),
  row(
    "DescribeInternetGateways",
    () => paginateDescribeInternetGateways(cfg(), { Filters: only("igws") }),
    (p) => p.InternetGateways,
    (g: { InternetGatewayId: string }) => g.InternetGatewayId,
    "igws",
  ),
  row(
    "DescribeNatGateways",
    () => paginateDescribeNatGateways(cfg(), { Filter: only("nats") }),
    (p) => p.NatGateways,
    (n: { NatGatewayId: string }) => n.NatGatewayId,
    "nats",
  ),
  row(
    "DescribeVpcEndpoints",
    () => paginateDescribeVpcEndpoints(cfg(), { Filters: only("endpoints") }),
    (p) => p.VpcEndpoints,
    (e: { VpcEndpointId: string }) => e.VpcEndpointId,
    "endpoints",
  ),
  row(
    "DescribeVolumes",
    () => paginateDescribeVolumes(cfg(), { Filters: only("volumes") }),
    (p) => p.Volumes,
    (v: { VolumeId: string }) => v.VolumeId,
    "volumes",
  ),
  row(
    "DescribeSnapshots (owner self)",
    () => paginateDescribeSnapshots(cfg(), { OwnerIds: ["self"], Filters: only("snapshots") }),
    (p) => p.Snapshots,
    (s: { SnapshotId: string }) => s.SnapshotId,
    "snapshots",
  ),
  row(
    "DescribeImages (owner self)",
    () => paginateDescribeImages(cfg(), { Owners: ["self"], Filters: only("images") }),
    (p) => p.Images,
    (i: { ImageId: string }) => i.ImageId,
    "images",
  ),
  row(
    "DescribeLaunchTemplates",
    () => paginateDescribeLaunchTemplates(cfg(), { Filters: only("lts") }),
    (p) => p.LaunchTemplates,
    (t: { LaunchTemplateId: string }) => t.LaunchTemplateId,
    "lts",
  ),
  row(
    "DescribeNetworkAcls",
    () => paginateDescribeNetworkAcls(cfg(), { Filters: only("nacls") }),
    (p) => p.NetworkAcls,
    (a: { NetworkAclId: string }) => a.NetworkAclId,
    "nacls",
  ),
  row(
    "DescribeDhcpOptions",
    () => paginateDescribeDhcpOptions(cfg(), { Filters: only("dhcp") }),
    (p) => p.DhcpOptions,
    (d: { DhcpOptionsId: string }) => d.DhcpOptionsId,
    "dhcp",
  ),
  row(
    "DescribeEgressOnlyInternetGateways",
    () => paginateDescribeEgressOnlyInternetGateways(cfg(), { Filters: only("eigws") }),
    (p) => p.EgressOnlyInternetGateways,
    (g: { EgressOnlyInternetGatewayId: string }) => g.EgressOnlyInternetGatewayId,
    "eigws",
  ),
  row(
    "DescribeVpcPeeringConnections",
    () => paginateDescribeVpcPeeringConnections(cfg(), { Filters: only("peerings") }),
    (p) => p.VpcPeeringConnections,
    (c: { VpcPeeringConnectionId: string }) => c.VpcPeeringConnectionId,
    "peerings",
  ),
  row(
    "DescribeManagedPrefixLists",
    () => paginateDescribeManagedPrefixLists(cfg(), { Filters: only("pls") }),
    (p) => p.PrefixLists,
    (l: { PrefixListId: string }) => l.PrefixListId,
    "pls",
  ),
  row(
    "DescribeTransitGateways",
    () => paginateDescribeTransitGateways(cfg(), { Filters: only("tgws") }),
    (p) => p.TransitGateways,
    (g: { TransitGatewayId: string }) => g.TransitGatewayId,
    "tgws",
  ),
  [
    "DescribeTags (key pg, value vpcs)",
    () =>
      expectWalk({
        pages: paginateDescribeTags(cfg(), {
          Filters: [
            { Name: "key", Values: ["pg"] },
            { Name: "value", Values: ["vpcs"] },
          ],
        }),
        items: (p) => p.Tags,
        token: tok,
        key: (t: { ResourceId: string }) => t.ResourceId,
        pageSize: PAGE,
        expected: fx.vpcs!,
      }),
  ],
  [
    "DescribeLaunchTemplateVersions",
    () =>
      expectWalk({
        pages: paginateDescribeLaunchTemplateVersions(cfg(), { LaunchTemplateId: fx.lt }),
        items: (p) => p.LaunchTemplateVersions,
        token: tok,
        key: (v: { VersionNumber: number }) => String(v.VersionNumber),
        pageSize: PAGE,
        expected: Array.from({ length: N }, (_, i) => String(i + 1)),
      }),
  ],
  [
    "DescribeSecurityGroupRules (six ingress rules and the default egress rule)",
    async () => {
      const all = (await sim.ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [fx.sg] }] }))).SecurityGroupRules ?? [];
      expect(all).toHaveLength(N);
      return expectWalk({
        pages: paginateDescribeSecurityGroupRules(cfg(), { Filters: [{ Name: "group-id", Values: [fx.sg] }] }),
        items: (p) => p.SecurityGroupRules,
        token: tok,
        key: (r: { SecurityGroupRuleId: string }) => r.SecurityGroupRuleId,
        pageSize: PAGE,
        expected: all.map((r) => r.SecurityGroupRuleId!),
      });
    },
  ],
  [
    "DescribeInstanceTypes (t3 family)",
    () =>
      expectWalk({
        pages: paginateDescribeInstanceTypes(cfg(), { Filters: [{ Name: "instance-type", Values: ["t3.*"] }] }),
        items: (p) => p.InstanceTypes,
        token: tok,
        key: (t: { InstanceType: string }) => t.InstanceType,
        pageSize: PAGE,
        expected: ["t3.nano", "t3.micro", "t3.small", "t3.medium", "t3.large", "t3.xlarge", "t3.2xlarge"],
      }),
  ],
  [
    "DescribeInstanceStatus (the walk equals one unpaginated call)",
    async () => {
      const all = (await sim.ec2.send(new DescribeInstanceStatusCommand({ IncludeAllInstances: true }))).InstanceStatuses ?? [];
      expect(all.length).toBeGreaterThanOrEqual(N);
      return expectWalk({
        pages: paginateDescribeInstanceStatus(cfg(), { IncludeAllInstances: true }),
        items: (p) => p.InstanceStatuses,
        token: tok,
        key: (s: { InstanceId: string }) => s.InstanceId,
        pageSize: PAGE,
        expected: all.map((s) => s.InstanceId!),
      });
    },
  ],
  [
    "DescribeVolumeStatus (the walk equals one unpaginated call)",
    async () => {
      const all = (await sim.ec2.send(new DescribeVolumeStatusCommand({}))).VolumeStatuses ?? [];
      expect(all.length).toBeGreaterThanOrEqual(N);
      return expectWalk({
        pages: paginateDescribeVolumeStatus(cfg(), {}),
        items: (p) => p.VolumeStatuses,
        token: tok,
        key: (s: { VolumeId: string }) => s.VolumeId,
        pageSize: PAGE,
        expected: all.map((s) => s.VolumeId!),
      });
    },
  ],
];

describe("EC2 paginators (page size 5 over 7 resources; no NextToken on the last page)", () => {
  it.each(rows)("%s", async (_name, run) => {
    await run();
  });

  it("DescribeInstances pages count instances: one reservation of seven spans two pages", async () => {
    const run = await sim.ec2.send(
      new RunInstancesCommand({ ImageId: AMI, MinCount: N, MaxCount: N, InstanceType: "t3.micro", TagSpecifications: mark("one-reservation", "instance") }),
    );
    const { pages } = await expectWalk({
      pages: paginateDescribeInstances(cfg(), { Filters: only("one-reservation") }),
      items: (p) => p.Reservations?.flatMap((r) => r.Instances ?? []),
      token: tok,
      key: (i: { InstanceId: string }) => i.InstanceId,
      pageSize: PAGE,
      expected: run.Instances!.map((i) => i.InstanceId!),
    });
    expect(pages.map((p) => p.Reservations?.map((r) => r.ReservationId))).toEqual([[run.ReservationId], [run.ReservationId]]);
  });

  it("MaxResults below 5 or above 1000 is InvalidParameterValue", async () => {
    for (const MaxResults of [4, 1001]) {
      await expectAwsError(sim.ec2.send(new DescribeVpcsCommand({ MaxResults })), { name: "InvalidParameterValue", status: 400 });
      await expectAwsError(sim.ec2.send(new DescribeSubnetsCommand({ MaxResults })), { name: "InvalidParameterValue", status: 400 });
      await expectAwsError(sim.ec2.send(new DescribeInstancesCommand({ MaxResults })), { name: "InvalidParameterValue", status: 400 });
    }
  });

  it("MaxResults bounds documented per operation: above 1,000 returns 1,000 for VPC endpoints; 500 for hosts and volume modifications, 100 for RI offerings, 200 for launch template versions", async () => {
    const e = sim.ec2;
    const huge = { MaxResults: 5000 };
    expect((await e.send(new DescribeVpcEndpointsCommand({ ...huge, Filters: only("endpoints") }))).VpcEndpoints).toHaveLength(N);
    expect((await e.send(new DescribeVpcEndpointServicesCommand(huge))).ServiceDetails!.length).toBeGreaterThan(0);
    expect((await e.send(new DescribeVpcEndpointConnectionsCommand(huge))).VpcEndpointConnections ?? []).toEqual([]);
    expect((await e.send(new DescribeVpcEndpointServiceConfigurationsCommand(huge))).ServiceConfigurations ?? []).toEqual([]);
    const bad = { name: "InvalidParameterValue", status: 400 };
    await expectAwsError(e.send(new DescribeVpcEndpointsCommand({ MaxResults: 4 })), bad);
    await expectAwsError(e.send(new DescribeHostsCommand({ MaxResults: 501 })), bad);
    await e.send(new DescribeHostsCommand({ MaxResults: 500 }));
    await expectAwsError(e.send(new DescribeVolumesModificationsCommand({ MaxResults: 501 })), bad);
    await e.send(new DescribeVolumesModificationsCommand({ MaxResults: 500 }));
    await expectAwsError(e.send(new DescribeReservedInstancesOfferingsCommand({ MaxResults: 101 })), bad);
    await expectAwsError(e.send(new DescribeTagsCommand({ MaxResults: 4 })), bad);
    await expectAwsError(e.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: fx.lt, MaxResults: 201 })), bad);
    expect((await e.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: fx.lt, MaxResults: 1 }))).LaunchTemplateVersions).toHaveLength(1);
  });

  it("MaxResults together with explicit ids is InvalidParameterCombination, as documented", async () => {
    const bad = { name: "InvalidParameterCombination", status: 400 };
    const e = sim.ec2;
    await expectAwsError(e.send(new DescribeInstancesCommand({ InstanceIds: [fx.instance], MaxResults: 5 })), bad);
    await expectAwsError(e.send(new DescribeInstanceStatusCommand({ InstanceIds: [fx.instance], MaxResults: 5 })), bad);
    await expectAwsError(e.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [fx.instance], MaxResults: 5 })), bad);
    await expectAwsError(e.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [fx.enis![0]!], MaxResults: 5 })), bad);
    await expectAwsError(e.send(new DescribeVolumesCommand({ VolumeIds: [fx.volume], MaxResults: 5 })), bad);
    await expectAwsError(e.send(new DescribeSnapshotsCommand({ SnapshotIds: [fx.snapshots![0]!], MaxResults: 5 })), bad);
    // Without MaxResults the ids answer as usual.
    expect((await e.send(new DescribeInstanceStatusCommand({ InstanceIds: [fx.instance] }))).InstanceStatuses).toHaveLength(1);
    expect((await e.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [fx.enis![0]!] }))).NetworkInterfaces).toHaveLength(1);
  });

  it("a NextToken this server did not issue is InvalidParameterValue", async () => {
    for (const send of [
      () => sim.ec2.send(new DescribeVpcsCommand({ NextToken: "garbage" })),
      () => sim.ec2.send(new DescribeSubnetsCommand({ NextToken: "garbage" })),
      () => sim.ec2.send(new DescribeInstancesCommand({ NextToken: "garbage" })),
    ]) {
      await expectAwsError(send(), {
        name: "InvalidParameterValue",
        status: 400,
        message: "Value ( garbage ) for parameter NextToken is invalid. The token is invalid.",
      });
    }
  });

  it("catalogues walk the same at any page size: public images, instance types and offerings, spot prices, RI offerings", async () => {
    const walkAll = async <P>(pages: AsyncIterable<P>, items: (p: P) => readonly unknown[] | undefined) => {
      const out: string[] = [];
      for await (const p of pages) out.push(...(items(p) ?? []).map((x) => JSON.stringify(x)));
      expect(new Set(out).size, "no item twice").toBe(out.length);
      return out;
    };
    const at = (pageSize: number) => ({ client: sim.ec2, pageSize });
    const images = (n: number) => walkAll(paginateDescribeImages(at(n), {}), (p) => p.Images?.map((i) => i.ImageId));
    const types = (n: number) => walkAll(paginateDescribeInstanceTypes(at(n), {}), (p) => p.InstanceTypes?.map((t) => t.InstanceType));
    const offerings = (n: number) =>
      walkAll(paginateDescribeInstanceTypeOfferings(at(n), { LocationType: "availability-zone" }), (p) =>
        p.InstanceTypeOfferings?.map((o) => `${o.InstanceType}@${o.Location}`),
      );
    const prices = (n: number) => walkAll(paginateDescribeSpotPriceHistory(at(n), {}), (p) => p.SpotPriceHistory);
    const ri = (n: number) =>
      walkAll(paginateDescribeReservedInstancesOfferings(at(n), {}), (p) => p.ReservedInstancesOfferings?.map((o) => o.ReservedInstancesOfferingId));
    for (const [small, big, walk] of [
      [5, 1000, images],
      [13, 100, types],
      [97, 1000, offerings],
      [333, 1000, prices],
      [37, 100, ri],
    ] as const) {
      const a = await walk(small);
      expect(a.length).toBeGreaterThan(small);
      expect(await walk(big)).toEqual(a);
    }
  });

  it("without MaxResults every match comes in one page", async () => {
    const r = await sim.ec2.send(new DescribeVpcsCommand({ Filters: only("vpcs") }));
    expect(r.Vpcs).toHaveLength(N);
    expect(r.NextToken).toBeUndefined();
  });
});
