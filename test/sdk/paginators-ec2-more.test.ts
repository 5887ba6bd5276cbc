/** EC2: more Describe and Get paginators, each over 7 resources it creates, walked at page size 5 with the JS SDK paginator. */
import {
  AllocateHostsCommand,
  AllocateIpamPoolCidrCommand,
  AssociateIamInstanceProfileCommand,
  CreateCapacityReservationCommand,
  CreateFlowLogsCommand,
  CreateInstanceEventWindowCommand,
  CreateIpamCommand,
  CreateIpamPoolCommand,
  CreateManagedPrefixListCommand,
  CreateNetworkInterfaceCommand,
  CreateNetworkInterfacePermissionCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTrafficMirrorFilterCommand,
  CreateTrafficMirrorTargetCommand,
  CreateTransitGatewayCommand,
  CreateTransitGatewayRouteTableCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  DeleteVpcCommand,
  DescribeInstanceCreditSpecificationsCommand,
  DescribeNetworkInterfacePermissionsCommand,
  DescribeTransitGatewaysCommand,
  DescribeVpcsCommand,
  EC2Client,
  type Filter,
  GetSecurityGroupsForVpcCommand,
  ModifyVolumeCommand,
  paginateDescribeCapacityReservations,
  paginateDescribeFlowLogs,
  paginateDescribeHosts,
  paginateDescribeIamInstanceProfileAssociations,
  paginateDescribeInstanceCreditSpecifications,
  paginateDescribeInstanceEventWindows,
  paginateDescribeIpamPools,
  paginateDescribeNetworkInterfacePermissions,
  paginateDescribeSpotInstanceRequests,
  paginateDescribeTrafficMirrorFilters,
  paginateDescribeTrafficMirrorTargets,
  paginateDescribeTransitGatewayAttachments,
  paginateDescribeTransitGatewayRouteTables,
  paginateDescribeTransitGatewayVpcAttachments,
  paginateDescribeVolumesModifications,
  paginateGetIpamPoolAllocations,
  paginateGetIpamPoolCidrs,
  paginateGetManagedPrefixListEntries,
  paginateGetSecurityGroupsForVpc,
  paginateGetTransitGatewayRouteTableAssociations,
  paginateGetTransitGatewayRouteTablePropagations,
  ProvisionIpamPoolCidrCommand,
  RequestSpotInstancesCommand,
  type ResourceType,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { clientConfig, useServer } from "../helpers.js";
import { AMI } from "./ec2-fixtures.js";
import { expectWalk } from "./paginators-helpers.js";

const N = 7;
const PAGE = 5;
const sim = useServer({}, (cfg) => ({ ec2: new EC2Client(cfg) }));
const cfg = () => ({ client: sim.ec2, pageSize: PAGE });
const tok = (p: { NextToken?: string }) => p.NextToken;
const mark = (kind: string, ResourceType: ResourceType) => [{ ResourceType, Tags: [{ Key: "pg", Value: kind }] }];
const only = (kind: string): Filter[] => [{ Name: "tag:pg", Values: [kind] }];
const times = async <T>(n: number, f: (i: number) => Promise<T>) => {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await f(i));
  return out;
};
let octet = 100;
/** A new VPC (its own /16) with one subnet in us-east-1a. */
async function vpcWithSubnet() {
  const o = octet++;
  const vpc = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: `10.${o}.0.0/16` }))).Vpc!.VpcId!;
  const subnet = (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: `10.${o}.0.0/24`, AvailabilityZone: "us-east-1a" }))).Subnet!.SubnetId!;
  return { vpc, subnet };
}
const runInstances = (kind: string) =>
  times(
    N,
    async () =>
      (
        await sim.ec2.send(
          new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, InstanceType: "t3.micro", TagSpecifications: mark(kind, "instance") }),
        )
      ).Instances![0]!.InstanceId!,
  );

describe("more EC2 paginators (page size 5 over 7 resources; no NextToken on the last page)", () => {
  it("delete as you go: deleting a page's VPCs before asking for the next page skips none of the rest", async () => {
    for (let round = 0; round < 2; round++) {
      const kind = `dayg-${round}`;
      const ids = await times(
        12,
        async () => (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.200.0.0/16", TagSpecifications: mark(kind, "vpc") }))).Vpc!.VpcId!,
      );
      const seen: string[] = [];
      let NextToken: string | undefined;
      do {
        const p = await sim.ec2.send(new DescribeVpcsCommand({ Filters: only(kind), MaxResults: PAGE, NextToken }));
        const got = (p.Vpcs ?? []).map((v) => v.VpcId!);
        seen.push(...got);
        for (const VpcId of got) await sim.ec2.send(new DeleteVpcCommand({ VpcId }));
        NextToken = p.NextToken;
      } while (NextToken);
      expect([...seen].sort()).toEqual([...ids].sort());
    }
  });

  it("DescribeNetworkInterfacePermissions: up to 50 a page when MaxResults is not given", async () => {
    const { subnet } = await vpcWithSubnet();
    const eni = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet }))).NetworkInterface!.NetworkInterfaceId!;
    const ids = await times(
      51,
      async (i) =>
        (
          await sim.ec2.send(
            new CreateNetworkInterfacePermissionCommand({ NetworkInterfaceId: eni, AwsAccountId: String(100000000000 + i), Permission: "INSTANCE-ATTACH" }),
          )
        ).InterfacePermission!.NetworkInterfacePermissionId!,
    );
    const first = await sim.ec2.send(new DescribeNetworkInterfacePermissionsCommand({}));
    expect(first.NetworkInterfacePermissions).toHaveLength(50);
    const rest = await sim.ec2.send(new DescribeNetworkInterfacePermissionsCommand({ NextToken: first.NextToken }));
    expect(rest.NetworkInterfacePermissions).toHaveLength(1);
    expect(rest.NextToken).toBeUndefined();
    await expectWalk({
      pages: paginateDescribeNetworkInterfacePermissions({ client: sim.ec2, pageSize: 20 }, {}),
      items: (p) => p.NetworkInterfacePermissions,
      token: tok,
      key: (x: { NetworkInterfacePermissionId: string }) => x.NetworkInterfacePermissionId,
      pageSize: 20,
      expected: ids,
    });
  });

  it("DescribeSpotInstanceRequests", async () => {
    const r = await sim.ec2.send(
      new RequestSpotInstancesCommand({
        InstanceCount: N,
        LaunchSpecification: { ImageId: AMI, InstanceType: "t3.micro" },
        TagSpecifications: mark("spot", "spot-instances-request"),
      }),
    );
    const ids = r.SpotInstanceRequests!.map((s) => s.SpotInstanceRequestId!);
    expect(ids).toHaveLength(N);
    await expectWalk({
      pages: paginateDescribeSpotInstanceRequests(cfg(), { Filters: only("spot") }),
      items: (p) => p.SpotInstanceRequests,
      token: tok,
      key: (s: { SpotInstanceRequestId: string }) => s.SpotInstanceRequestId,
      pageSize: PAGE,
      expected: ids,
    });
  });

  it("DescribeFlowLogs", async () => {
    await new S3Client(clientConfig(sim.server, { forcePathStyle: true })).send(new CreateBucketCommand({ Bucket: "pg-flow-logs" }));
    const vpcs = await times(N, async () => (await vpcWithSubnet()).vpc);
    const r = await sim.ec2.send(
      new CreateFlowLogsCommand({
        ResourceIds: vpcs,
        ResourceType: "VPC",
        TrafficType: "ALL",
        LogDestinationType: "s3",
        LogDestination: "arn:aws:s3:::pg-flow-logs",
        TagSpecifications: mark("flow", "vpc-flow-log"),
      }),
    );
    expect(r.Unsuccessful ?? []).toEqual([]);
    await expectWalk({
      pages: paginateDescribeFlowLogs(cfg(), { Filter: only("flow") }),
      items: (p) => p.FlowLogs,
      token: tok,
      key: (f: { FlowLogId: string }) => f.FlowLogId,
      pageSize: PAGE,
      expected: r.FlowLogIds!,
    });
  });

  it("DescribeCapacityReservations", async () => {
    const ids = await times(
      N,
      async () =>
        (
          await sim.ec2.send(
            new CreateCapacityReservationCommand({
              InstanceType: "t3.micro",
              InstancePlatform: "Linux/UNIX",
              AvailabilityZone: "us-east-1a",
              InstanceCount: 1,
              TagSpecifications: mark("cr", "capacity-reservation"),
            }),
          )
        ).CapacityReservation!.CapacityReservationId!,
    );
    await expectWalk({
      pages: paginateDescribeCapacityReservations(cfg(), { Filters: only("cr") }),
      items: (p) => p.CapacityReservations,
      token: tok,
      key: (c: { CapacityReservationId: string }) => c.CapacityReservationId,
      pageSize: PAGE,
      expected: ids,
    });
  });

  it("DescribeHosts", async () => {
    const ids = (
      await sim.ec2.send(
        new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", InstanceType: "m5.large", Quantity: N, TagSpecifications: mark("hosts", "dedicated-host") }),
      )
    ).HostIds!;
    await expectWalk({
      pages: paginateDescribeHosts(cfg(), { Filter: only("hosts") }),
      items: (p) => p.Hosts,
      token: tok,
      key: (h: { HostId: string }) => h.HostId,
      pageSize: PAGE,
      expected: ids,
    });
  });

  it("DescribeTransitGatewayVpcAttachments, DescribeTransitGatewayAttachments and DescribeTransitGatewayRouteTables", async () => {
    const tgw = (await sim.ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
    const attachments = await times(N, async () => {
      const { vpc, subnet } = await vpcWithSubnet();
      const a = await sim.ec2.send(
        new CreateTransitGatewayVpcAttachmentCommand({
          TransitGatewayId: tgw,
          VpcId: vpc,
          SubnetIds: [subnet],
          TagSpecifications: mark("tgwa", "transit-gateway-attachment"),
        }),
      );
      return a.TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
    });
    await expectWalk({
      pages: paginateDescribeTransitGatewayVpcAttachments(cfg(), { Filters: only("tgwa") }),
      items: (p) => p.TransitGatewayVpcAttachments,
      token: tok,
      key: (a: { TransitGatewayAttachmentId: string }) => a.TransitGatewayAttachmentId,
      pageSize: PAGE,
      expected: attachments,
    });
    await expectWalk({
      pages: paginateDescribeTransitGatewayAttachments(cfg(), { Filters: only("tgwa") }),
      items: (p) => p.TransitGatewayAttachments,
      token: tok,
      key: (a: { TransitGatewayAttachmentId: string }) => a.TransitGatewayAttachmentId,
      pageSize: PAGE,
      expected: attachments,
    });
    const rtbs = await times(
      N,
      async () =>
        (
          await sim.ec2.send(
            new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: tgw, TagSpecifications: mark("tgwrt", "transit-gateway-route-table") }),
          )
        ).TransitGatewayRouteTable!.TransitGatewayRouteTableId!,
    );
    // The default route table: every attachment is associated with it and propagates to it.
    const rt = (await sim.ec2.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [tgw] }))).TransitGateways![0]!.Options!
      .AssociationDefaultRouteTableId!;
    await expectWalk({
      pages: paginateGetTransitGatewayRouteTableAssociations(cfg(), { TransitGatewayRouteTableId: rt }),
      items: (p) => p.Associations,
      token: tok,
      key: (a: { TransitGatewayAttachmentId: string }) => a.TransitGatewayAttachmentId,
      pageSize: PAGE,
      expected: attachments,
    });
    await expectWalk({
      pages: paginateGetTransitGatewayRouteTablePropagations(cfg(), { TransitGatewayRouteTableId: rt }),
      items: (p) => p.TransitGatewayRouteTablePropagations,
      token: tok,
      key: (a: { TransitGatewayAttachmentId: string }) => a.TransitGatewayAttachmentId,
      pageSize: PAGE,
      expected: attachments,
    });
    await expectWalk({
      pages: paginateDescribeTransitGatewayRouteTables(cfg(), { Filters: only("tgwrt") }),
      items: (p) => p.TransitGatewayRouteTables,
      token: tok,
      key: (t: { TransitGatewayRouteTableId: string }) => t.TransitGatewayRouteTableId,
      pageSize: PAGE,
      expected: rtbs,
    });
  });

  it("DescribeVolumesModifications", async () => {
    const vols = await times(
      N,
      async () => (await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 8, VolumeType: "gp2" }))).VolumeId!,
    );
    for (const VolumeId of vols) await sim.ec2.send(new ModifyVolumeCommand({ VolumeId, Size: 16 }));
    await expectWalk({
      pages: paginateDescribeVolumesModifications(cfg(), { Filters: [{ Name: "volume-id", Values: vols }] }),
      items: (p) => p.VolumesModifications,
      token: tok,
      key: (m: { VolumeId: string }) => m.VolumeId,
      pageSize: PAGE,
      expected: vols,
    });
  });

  it("DescribeInstanceCreditSpecifications and DescribeIamInstanceProfileAssociations", async () => {
    const ids = await runInstances("credit");
    const all = (await sim.ec2.send(new DescribeInstanceCreditSpecificationsCommand({}))).InstanceCreditSpecifications ?? [];
    expect(all.map((c) => c.InstanceId)).toEqual(expect.arrayContaining(ids));
    await expectWalk({
      pages: paginateDescribeInstanceCreditSpecifications(cfg(), {}),
      items: (p) => p.InstanceCreditSpecifications,
      token: tok,
      key: (c: { InstanceId: string }) => c.InstanceId,
      pageSize: PAGE,
      expected: all.map((c) => c.InstanceId!),
    });
    const iam = new IAMClient(clientConfig(sim.server));
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    await iam.send(new CreateRoleCommand({ RoleName: "pg-ec2", AssumeRolePolicyDocument: trust }));
    const profile = (await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "pg-ec2" }))).InstanceProfile!;
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "pg-ec2", RoleName: "pg-ec2" }));
    const assoc = await times(
      N,
      async (i) =>
        (await sim.ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: ids[i], IamInstanceProfile: { Arn: profile.Arn } })))
          .IamInstanceProfileAssociation!.AssociationId!,
    );
    await expectWalk({
      pages: paginateDescribeIamInstanceProfileAssociations(cfg(), {}),
      items: (p) => p.IamInstanceProfileAssociations,
      token: tok,
      key: (a: { AssociationId: string }) => a.AssociationId,
      pageSize: PAGE,
      expected: assoc,
    });
  });

  it("DescribeTrafficMirrorFilters and DescribeTrafficMirrorTargets", async () => {
    const filters = await times(
      N,
      async () =>
        (await sim.ec2.send(new CreateTrafficMirrorFilterCommand({ TagSpecifications: mark("tmf", "traffic-mirror-filter") }))).TrafficMirrorFilter!
          .TrafficMirrorFilterId!,
    );
    await expectWalk({
      pages: paginateDescribeTrafficMirrorFilters(cfg(), { Filters: only("tmf") }),
      items: (p) => p.TrafficMirrorFilters,
      token: tok,
      key: (f: { TrafficMirrorFilterId: string }) => f.TrafficMirrorFilterId,
      pageSize: PAGE,
      expected: filters,
    });
    const { subnet } = await vpcWithSubnet();
    const targets = await times(N, async () => {
      const eni = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet }))).NetworkInterface!.NetworkInterfaceId!;
      return (await sim.ec2.send(new CreateTrafficMirrorTargetCommand({ NetworkInterfaceId: eni, TagSpecifications: mark("tmt", "traffic-mirror-target") })))
        .TrafficMirrorTarget!.TrafficMirrorTargetId!;
    });
    await expectWalk({
      pages: paginateDescribeTrafficMirrorTargets(cfg(), { Filters: only("tmt") }),
      items: (p) => p.TrafficMirrorTargets,
      token: tok,
      key: (t: { TrafficMirrorTargetId: string }) => t.TrafficMirrorTargetId,
      pageSize: PAGE,
      expected: targets,
    });
  });

  it("DescribeInstanceEventWindows (MaxResults at least 20: 21 windows)", async () => {
    const ids = await times(
      21,
      async (i) =>
        (
          await sim.ec2.send(
            new CreateInstanceEventWindowCommand({
              Name: `pg-w-${i}`,
              CronExpression: "* 21-23 * * 2,3",
              TagSpecifications: mark("iew", "instance-event-window"),
            }),
          )
        ).InstanceEventWindow!.InstanceEventWindowId!,
    );
    await expectWalk({
      pages: paginateDescribeInstanceEventWindows({ client: sim.ec2, pageSize: 20 }, { Filters: only("iew") }),
      items: (p) => p.InstanceEventWindows,
      token: tok,
      key: (w: { InstanceEventWindowId: string }) => w.InstanceEventWindowId,
      pageSize: 20,
      expected: ids,
    });
  });

  it("DescribeIpamPools, GetIpamPoolCidrs and GetIpamPoolAllocations", async () => {
    const ipam = (await sim.ec2.send(new CreateIpamCommand({ OperatingRegions: [{ RegionName: "us-east-1" }] }))).Ipam!;
    const pools = await times(
      N,
      async () =>
        (
          await sim.ec2.send(
            new CreateIpamPoolCommand({ IpamScopeId: ipam.PrivateDefaultScopeId, AddressFamily: "ipv4", TagSpecifications: mark("pools", "ipam-pool") }),
          )
        ).IpamPool!.IpamPoolId!,
    );
    await expectWalk({
      pages: paginateDescribeIpamPools(cfg(), { Filters: only("pools") }),
      items: (p) => p.IpamPools,
      token: tok,
      key: (x: { IpamPoolId: string }) => x.IpamPoolId,
      pageSize: PAGE,
      expected: pools,
    });
    // Seven CIDRs provisioned to one pool, and seven allocations from it.
    const pool = pools[0]!;
    const cidrs = Array.from({ length: N }, (_, i) => `10.${60 + i}.0.0/16`);
    for (const Cidr of cidrs) await sim.ec2.send(new ProvisionIpamPoolCidrCommand({ IpamPoolId: pool, Cidr }));
    await expectWalk({
      pages: paginateGetIpamPoolCidrs(cfg(), { IpamPoolId: pool }),
      items: (p) => p.IpamPoolCidrs,
      token: tok,
      key: (c: { Cidr: string }) => c.Cidr,
      pageSize: PAGE,
      expected: cidrs,
    });
    const allocations = await times(
      N,
      async (i) =>
        (await sim.ec2.send(new AllocateIpamPoolCidrCommand({ IpamPoolId: pool, Cidr: `10.${60 + i}.0.0/24` }))).IpamPoolAllocation!.IpamPoolAllocationId!,
    );
    // GetIpamPoolAllocations takes MaxResults of 1000 at least: one page.
    await expectWalk({
      pages: paginateGetIpamPoolAllocations({ client: sim.ec2, pageSize: 1000 }, { IpamPoolId: pool }),
      items: (p) => p.IpamPoolAllocations,
      token: tok,
      key: (a: { IpamPoolAllocationId: string }) => a.IpamPoolAllocationId,
      pageSize: 1000,
      expected: allocations,
    });
  });

  it("GetManagedPrefixListEntries", async () => {
    const cidrs = Array.from({ length: N }, (_, i) => `192.168.${i}.0/24`);
    const pl = (
      await sim.ec2.send(
        new CreateManagedPrefixListCommand({ PrefixListName: "pg-entries", MaxEntries: 10, AddressFamily: "IPv4", Entries: cidrs.map((Cidr) => ({ Cidr })) }),
      )
    ).PrefixList!.PrefixListId!;
    await expectWalk({
      pages: paginateGetManagedPrefixListEntries(cfg(), { PrefixListId: pl }),
      items: (p) => p.Entries,
      token: tok,
      key: (e: { Cidr: string }) => e.Cidr,
      pageSize: PAGE,
      expected: cidrs,
    });
  });

  it("GetSecurityGroupsForVpc (the walk equals one unpaginated call)", async () => {
    const { vpc } = await vpcWithSubnet();
    for (let i = 0; i < N; i++) await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: `pg-vpc-${i}`, Description: "pg", VpcId: vpc }));
    const all = (await sim.ec2.send(new GetSecurityGroupsForVpcCommand({ VpcId: vpc }))).SecurityGroupForVpcs ?? [];
    expect(all.length).toBe(N + 1);
    await expectWalk({
      pages: paginateGetSecurityGroupsForVpc(cfg(), { VpcId: vpc }),
      items: (p) => p.SecurityGroupForVpcs,
      token: tok,
      key: (g: { GroupId: string }) => g.GroupId,
      pageSize: PAGE,
      expected: all.map((g) => g.GroupId!),
    });
  });
});
