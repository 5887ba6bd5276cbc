/**
 * EC2 answers recorded against real AWS (LocalStack's AWS-validated snapshot tests, replayed against awsim):
 * each test names the snapshot key its expected values come from.
 */
import {
  CreateSubnetCommand,
  CreateTransitGatewayCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DeleteTransitGatewayCommand,
  DeleteTransitGatewayVpcAttachmentCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewaysCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  ModifyVpcEndpointCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

async function vpcWithTwoZones(cidr: string) {
  const vpcId = (await sim.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
  const base = cidr.split(".").slice(0, 2).join(".");
  const subnet = async (third: number, az: string) =>
    (await sim.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `${base}.${third}.0/24`, AvailabilityZone: az }))).Subnet!.SubnetId!;
  return { vpcId, a: await subnet(1, "us-east-1a"), b: await subnet(2, "us-east-1b") };
}

describe("recorded EC2 answers", () => {
  // tests/aws/services/ec2/test_ec2.py::test_raise_create_volume_without_size ("request-missing-size")
  it("CreateVolume without Size or SnapshotId is MissingParameter, reported before the zone is checked", async () => {
    await expectAwsError(sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "eu-central-1a" })), {
      name: "MissingParameter",
      status: 400,
      message: "The request must contain the parameter size/snapshot",
    });
    await expectAwsError(sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "eu-central-1a", Size: 8 })), {
      name: "InvalidParameterValue",
      status: 400,
      message: "Invalid availability zone: [eu-central-1a]",
    });
  });

  // tests/aws/services/ec2/resource_providers/test_ec2_resource_provider.py::test_deploy_vpc_endpoint ("endpoint")
  it("an interface endpoint's default policy has no Version; a gateway endpoint's keeps 2008-10-17", async () => {
    const { vpcId, a, b } = await vpcWithTwoZones("10.0.0.0/16");
    const ep = (
      await sim.ec2.send(
        new CreateVpcEndpointCommand({
          VpcEndpointType: "Interface",
          ServiceName: "com.amazonaws.us-east-1.logs",
          VpcId: vpcId,
          PrivateDnsEnabled: true,
          SubnetIds: [a, b],
        }),
      )
    ).VpcEndpoint!;
    const d = (await sim.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [ep.VpcEndpointId!] }))).VpcEndpoints![0]!;
    expect(JSON.parse(d.PolicyDocument!)).toEqual({ Statement: [{ Action: "*", Effect: "Allow", Principal: "*", Resource: "*" }] });
    expect(d).toMatchObject({
      VpcEndpointType: "Interface",
      State: "available",
      PrivateDnsEnabled: true,
      RequesterManaged: false,
      IpAddressType: "ipv4",
      DnsOptions: { DnsRecordIpType: "ipv4" },
      RouteTableIds: [],
      SubnetIds: [a, b],
      Tags: [],
    });
    expect(d.NetworkInterfaceIds).toHaveLength(2);
    // Regional name, then one per zone: <endpoint id>-<8 lowercase letters or digits>[-<zone>].logs.<region>.vpce.amazonaws.com
    const label = d.DnsEntries![0]!.DnsName!.split(".")[0]!.slice(ep.VpcEndpointId!.length + 1);
    expect(label).toMatch(/^[0-9a-z]{8}$/);
    expect(d.DnsEntries!.map((x) => x.DnsName).sort()).toEqual(
      ["", "-us-east-1a", "-us-east-1b"].map((z) => `${ep.VpcEndpointId}-${label}${z}.logs.us-east-1.vpce.amazonaws.com`).sort(),
    );
    // ResetPolicy restores the interface default, not the gateway one.
    await sim.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: ep.VpcEndpointId!, PolicyDocument: '{"Statement":[]}' }));
    await sim.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: ep.VpcEndpointId!, ResetPolicy: true }));
    const reset = (await sim.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [ep.VpcEndpointId!] }))).VpcEndpoints![0]!;
    expect(reset.PolicyDocument).toBe(d.PolicyDocument);

    const gw = (await sim.ec2.send(new CreateVpcEndpointCommand({ ServiceName: "com.amazonaws.us-east-1.s3", VpcId: vpcId }))).VpcEndpoint!;
    expect(JSON.parse(gw.PolicyDocument!)).toEqual({ Version: "2008-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] });
  });

  // tests/aws/services/ec2/resource_providers/test_ec2.py::test_transit_gateway_attachment (AWS branch: "deleted" after stack destroy)
  it("a deleted transit gateway and its attachment are still described, with state deleted", async () => {
    const { vpcId, a, b } = await vpcWithTwoZones("10.0.0.0/16");
    const tgw = (
      await sim.ec2.send(
        new CreateTransitGatewayCommand({
          Description: "TGW Route Integration Test",
          Options: {
            AmazonSideAsn: 65000,
            AutoAcceptSharedAttachments: "disable",
            DefaultRouteTableAssociation: "enable",
            DnsSupport: "enable",
            VpnEcmpSupport: "enable",
          },
        }),
      )
    ).TransitGateway!;
    const id = tgw.TransitGatewayId!;
    const att = (await sim.ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: id, VpcId: vpcId, SubnetIds: [a, b] })))
      .TransitGatewayVpcAttachment!;
    const live = (await sim.ec2.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [id] }))).TransitGateways![0]!;
    expect(live.State).toBe("available");
    expect(live.Options).toMatchObject({
      AmazonSideAsn: 65000,
      AutoAcceptSharedAttachments: "disable",
      DefaultRouteTableAssociation: "enable",
      DefaultRouteTablePropagation: "enable",
      DnsSupport: "enable",
      MulticastSupport: "disable",
      SecurityGroupReferencingSupport: "disable",
      VpnEcmpSupport: "enable",
    });

    await sim.ec2.send(new DeleteTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: att.TransitGatewayAttachmentId! }));
    const del = (await sim.ec2.send(new DeleteTransitGatewayCommand({ TransitGatewayId: id }))).TransitGateway!;
    expect(del.State).toBe("deleting");

    const gone = (await sim.ec2.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [id] }))).TransitGateways!;
    expect(gone.map((g) => [g.TransitGatewayId, g.State])).toEqual([[id, "deleted"]]);
    const listed = (await sim.ec2.send(new DescribeTransitGatewaysCommand({ Filters: [{ Name: "state", Values: ["deleted"] }] }))).TransitGateways!;
    expect(listed.map((g) => g.TransitGatewayId)).toEqual([id]);
    const atts = (await sim.ec2.send(new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [att.TransitGatewayAttachmentId!] })))
      .TransitGatewayAttachments!;
    expect(atts.map((x) => x.State)).toEqual(["deleted"]);
  });
});
