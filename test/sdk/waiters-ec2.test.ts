/** Every EC2 SDK waiter the other EC2 tests don't run, against awsim's state: success paths, and failure / retry paths awsim's state can produce. */
import {
  AcceptVpcPeeringConnectionCommand,
  AssociateSecurityGroupVpcCommand,
  AttachVolumeCommand,
  CancelSpotInstanceRequestsCommand,
  CreateCustomerGatewayCommand,
  CreateImageCommand,
  CreateImageUsageReportCommand,
  CreateInternetGatewayCommand,
  CreateKeyPairCommand,
  CreateNatGatewayCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateTransitGatewayCommand,
  CreateVolumeCommand,
  CreateVpcPeeringConnectionCommand,
  CreateVpnConnectionCommand,
  DeleteCustomerGatewayCommand,
  DeleteNatGatewayCommand,
  DeleteNetworkInterfaceCommand,
  DeleteVolumeCommand,
  DeleteVpcPeeringConnectionCommand,
  DeleteVpnConnectionCommand,
  DescribeCustomerGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpnConnectionsCommand,
  DisassociateSecurityGroupVpcCommand,
  EC2Client,
  RequestSpotInstancesCommand,
  TerminateInstancesCommand,
  waitForCustomerGatewayAvailable,
  waitForImageAvailable,
  waitForImageExists,
  waitForImageUsageReportAvailable,
  waitForInstanceExists,
  waitForInstanceRunning,
  waitForInstanceStopped,
  waitForInstanceTerminated,
  waitForInstanceStatusOk,
  waitForInternetGatewayExists,
  waitForKeyPairExists,
  waitForNatGatewayAvailable,
  waitForNatGatewayDeleted,
  waitForNetworkInterfaceAvailable,
  waitForPasswordDataAvailable,
  waitForSecurityGroupExists,
  waitForSecurityGroupVpcAssociationAssociated,
  waitForSecurityGroupVpcAssociationDisassociated,
  waitForSpotInstanceRequestFulfilled,
  waitForSystemStatusOk,
  waitForVolumeAvailable,
  waitForVolumeDeleted,
  waitForVolumeInUse,
  waitForVpcExists,
  waitForVpcPeeringConnectionDeleted,
  waitForVpnConnectionAvailable,
  waitForVpnConnectionDeleted,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";
import { AMI, runOne, vpcWithSubnet } from "./ec2-fixtures.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

/** Poll fast; a waiter that keeps retrying times out in half a second. */
const fast = () => ({ client: sim.ec2, minDelay: 0.15, maxDelay: 0.15, maxWaitTime: 0.5 });
const WINDOWS_AMI = "ami-05b4ded3ceb71e470";
const MISSING = {
  instance: "i-0123456789abcdef0",
  image: "ami-0123456789abcdef0",
  eni: "eni-0123456789abcdef0",
  igw: "igw-0123456789abcdef0",
  sg: "sg-0123456789abcdef0",
  vpc: "vpc-0123456789abcdef0",
  nat: "nat-0123456789abcdef0",
  vol: "vol-0123456789abcdef0",
  pcx: "pcx-0123456789abcdef0",
};

describe("instances and images", () => {
  it("InstanceStatusOk and SystemStatusOk on a running instance; InstanceStatusOk retries an unknown id until it times out", async () => {
    const id = (await runOne(sim.ec2)).InstanceId!;
    expect((await waitForInstanceStatusOk(fast(), { InstanceIds: [id] })).state).toBe("SUCCESS");
    expect((await waitForSystemStatusOk(fast(), { InstanceIds: [id] })).state).toBe("SUCCESS");
    const missing = await Promise.all([
      waitForInstanceStatusOk(fast(), { InstanceIds: [MISSING.instance] }),
      waitForInstanceExists(fast(), { InstanceIds: [MISSING.instance] }),
    ]);
    expect(missing.map((r) => r.state)).toEqual(["TIMEOUT", "TIMEOUT"]);
  });

  it("InstanceRunning and InstanceStopped fail on a terminated instance; InstanceTerminated succeeds", async () => {
    const id = (await runOne(sim.ec2)).InstanceId!;
    await sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect((await waitForInstanceTerminated(fast(), { InstanceIds: [id] })).state).toBe("SUCCESS");
    expect((await waitForInstanceRunning(fast(), { InstanceIds: [id] })).state).toBe("FAILURE");
    expect((await waitForInstanceStopped(fast(), { InstanceIds: [id] })).state).toBe("FAILURE");
  });

  it("PasswordDataAvailable on a Windows instance launched with a key pair", async () => {
    await sim.ec2.send(new CreateKeyPairCommand({ KeyName: "admin", KeyType: "rsa" }));
    const id = (await runOne(sim.ec2, { ImageId: WINDOWS_AMI, KeyName: "admin" })).InstanceId!;
    const r = await waitForPasswordDataAvailable(fast(), { InstanceId: id });
    expect(r.state).toBe("SUCCESS");
    // A Linux instance has no password: the waiter keeps polling.
    const linux = (await runOne(sim.ec2, { KeyName: "admin" })).InstanceId!;
    expect((await waitForPasswordDataAvailable(fast(), { InstanceId: linux })).state).toBe("TIMEOUT");
  });

  it("ImageExists and ImageAvailable on a created image; ImageExists retries an unknown id", async () => {
    const id = (await runOne(sim.ec2)).InstanceId!;
    const ami = (await sim.ec2.send(new CreateImageCommand({ InstanceId: id, Name: "waiter-image" }))).ImageId!;
    expect((await waitForImageExists(fast(), { ImageIds: [ami] })).state).toBe("SUCCESS");
    expect((await waitForImageAvailable(fast(), { ImageIds: [ami] })).state).toBe("SUCCESS");
    expect((await waitForImageExists(fast(), { ImageIds: [MISSING.image] })).state).toBe("TIMEOUT");
  });

  it("ImageUsageReportAvailable on a new report", async () => {
    const id = (await runOne(sim.ec2)).InstanceId!;
    const ami = (await sim.ec2.send(new CreateImageCommand({ InstanceId: id, Name: "reported" }))).ImageId!;
    const r = await sim.ec2.send(new CreateImageUsageReportCommand({ ImageId: ami, ResourceTypes: [{ ResourceType: "ec2:Instance" }] }));
    expect((await waitForImageUsageReportAvailable(fast(), { ReportIds: [r.ReportId!] })).state).toBe("SUCCESS");
  });

  it("KeyPairExists on a created key pair; retries an unknown name", async () => {
    await sim.ec2.send(new CreateKeyPairCommand({ KeyName: "deploy" }));
    expect((await waitForKeyPairExists(fast(), { KeyNames: ["deploy"] })).state).toBe("SUCCESS");
    expect((await waitForKeyPairExists(fast(), { KeyNames: ["nope"] })).state).toBe("TIMEOUT");
  });

  it("SpotInstanceRequestFulfilled on a fulfilled request; fails on a request cancelled before fulfillment", async () => {
    const r = (await sim.ec2.send(new RequestSpotInstancesCommand({ LaunchSpecification: { ImageId: AMI, InstanceType: "t3.micro" } })))
      .SpotInstanceRequests![0]!;
    expect((await waitForSpotInstanceRequestFulfilled(fast(), { SpotInstanceRequestIds: [r.SpotInstanceRequestId!] })).state).toBe("SUCCESS");
    const low = (
      await sim.ec2.send(new RequestSpotInstancesCommand({ SpotPrice: "0.000001", LaunchSpecification: { ImageId: AMI, InstanceType: "t3.large" } }))
    ).SpotInstanceRequests![0]!;
    await sim.ec2.send(new CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [low.SpotInstanceRequestId!] }));
    expect((await waitForSpotInstanceRequestFulfilled(fast(), { SpotInstanceRequestIds: [low.SpotInstanceRequestId!] })).state).toBe("FAILURE");
    expect((await waitForSpotInstanceRequestFulfilled(fast(), { SpotInstanceRequestIds: ["sir-abcdefgh"] })).state).toBe("TIMEOUT");
  });
});

describe("volumes", () => {
  it("VolumeAvailable, VolumeInUse; VolumeDeleted after DeleteVolume (the id is then not found) and on an unknown id; not while the volume exists", async () => {
    const inst = await runOne(sim.ec2);
    const vol = (await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: inst.Placement!.AvailabilityZone!, Size: 1 }))).VolumeId!;
    expect((await waitForVolumeAvailable(fast(), { VolumeIds: [vol] })).state).toBe("SUCCESS");
    await sim.ec2.send(new AttachVolumeCommand({ VolumeId: vol, InstanceId: inst.InstanceId!, Device: "/dev/sdf" }));
    expect((await waitForVolumeInUse(fast(), { VolumeIds: [vol] })).state).toBe("SUCCESS");
    const other = (await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: inst.Placement!.AvailabilityZone!, Size: 1 }))).VolumeId!;
    await sim.ec2.send(new DeleteVolumeCommand({ VolumeId: other }));
    expect((await waitForVolumeDeleted(fast(), { VolumeIds: [other] })).state).toBe("SUCCESS");
    expect((await waitForVolumeDeleted(fast(), { VolumeIds: [MISSING.vol] })).state).toBe("SUCCESS");
    // The attached volume exists: VolumeDeleted keeps polling.
    expect((await waitForVolumeDeleted(fast(), { VolumeIds: [vol] })).state).toBe("TIMEOUT");
  });
});

describe("networking", () => {
  it("VpcExists on a new VPC; retries an unknown id", async () => {
    const { vpcId } = await vpcWithSubnet(sim.ec2);
    expect((await waitForVpcExists(fast(), { VpcIds: [vpcId] })).state).toBe("SUCCESS");
    expect((await waitForVpcExists(fast(), { VpcIds: [MISSING.vpc] })).state).toBe("TIMEOUT");
  });

  it("InternetGatewayExists on a new gateway; keeps polling an unknown id", async () => {
    const igw = (await sim.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    expect((await waitForInternetGatewayExists(fast(), { InternetGatewayIds: [igw] })).state).toBe("SUCCESS");
    // AWS answers InvalidInternetGatewayID.NotFound; the waiter's retry acceptor names InvalidInternetGateway.NotFound, and the JS
    // SDK retries any unmatched error, so it times out.
    expect((await waitForInternetGatewayExists(fast(), { InternetGatewayIds: [MISSING.igw] })).state).toBe("TIMEOUT");
  });

  it("SecurityGroupExists on a new group; retries an unknown id", async () => {
    const { vpcId } = await vpcWithSubnet(sim.ec2);
    const g = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "web", Description: "web", VpcId: vpcId }))).GroupId!;
    expect((await waitForSecurityGroupExists(fast(), { GroupIds: [g] })).state).toBe("SUCCESS");
    expect((await waitForSecurityGroupExists(fast(), { GroupIds: [MISSING.sg] })).state).toBe("TIMEOUT");
  });

  it("SecurityGroupVpcAssociationAssociated and ...Disassociated", async () => {
    const a = await vpcWithSubnet(sim.ec2, "10.0.0.0/16");
    const b = await vpcWithSubnet(sim.ec2, "10.1.0.0/16");
    const g = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "shared", Description: "shared", VpcId: a.vpcId }))).GroupId!;
    await sim.ec2.send(new AssociateSecurityGroupVpcCommand({ GroupId: g, VpcId: b.vpcId }));
    const filter = { Filters: [{ Name: "group-id", Values: [g] }] };
    expect((await waitForSecurityGroupVpcAssociationAssociated(fast(), filter)).state).toBe("SUCCESS");
    await sim.ec2.send(new DisassociateSecurityGroupVpcCommand({ GroupId: g, VpcId: b.vpcId }));
    expect((await waitForSecurityGroupVpcAssociationDisassociated(fast(), filter)).state).toBe("SUCCESS");
  });

  it("NetworkInterfaceAvailable on a new interface; fails once the interface is deleted", async () => {
    const { subnetId } = await vpcWithSubnet(sim.ec2);
    const eni = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId }))).NetworkInterface!.NetworkInterfaceId!;
    expect((await waitForNetworkInterfaceAvailable(fast(), { NetworkInterfaceIds: [eni] })).state).toBe("SUCCESS");
    await sim.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni }));
    expect((await waitForNetworkInterfaceAvailable(fast(), { NetworkInterfaceIds: [eni] })).state).toBe("FAILURE");
  });

  it("NatGatewayDeleted after DeleteNatGateway; NatGatewayAvailable then fails; an unknown id counts as deleted", async () => {
    const { subnetId } = await vpcWithSubnet(sim.ec2);
    const nat = (await sim.ec2.send(new CreateNatGatewayCommand({ SubnetId: subnetId, ConnectivityType: "private" }))).NatGateway!.NatGatewayId!;
    expect((await waitForNatGatewayAvailable(fast(), { NatGatewayIds: [nat] })).state).toBe("SUCCESS");
    await sim.ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: nat }));
    expect((await waitForNatGatewayDeleted(fast(), { NatGatewayIds: [nat] })).state).toBe("SUCCESS");
    expect((await sim.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [nat] }))).NatGateways![0]!.State).toBe("deleted");
    expect((await waitForNatGatewayAvailable(fast(), { NatGatewayIds: [nat] })).state).toBe("FAILURE");
    expect((await waitForNatGatewayDeleted(fast(), { NatGatewayIds: [MISSING.nat] })).state).toBe("SUCCESS");
  });

  it("VpcPeeringConnectionDeleted after DeleteVpcPeeringConnection; an unknown id counts as deleted", async () => {
    const a = await vpcWithSubnet(sim.ec2, "10.0.0.0/16");
    const b = await vpcWithSubnet(sim.ec2, "10.1.0.0/16");
    const pcx = (await sim.ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: a.vpcId, PeerVpcId: b.vpcId }))).VpcPeeringConnection!
      .VpcPeeringConnectionId!;
    await sim.ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx }));
    expect((await waitForVpcPeeringConnectionDeleted(fast(), { VpcPeeringConnectionIds: [pcx] })).state).toBe("TIMEOUT");
    await sim.ec2.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx }));
    expect((await waitForVpcPeeringConnectionDeleted(fast(), { VpcPeeringConnectionIds: [pcx] })).state).toBe("SUCCESS");
    const d = (await sim.ec2.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [pcx] }))).VpcPeeringConnections![0]!;
    expect(d.Status!.Code).toBe("deleted");
    expect((await waitForVpcPeeringConnectionDeleted(fast(), { VpcPeeringConnectionIds: [MISSING.pcx] })).state).toBe("SUCCESS");
  });
});

describe("VPN", () => {
  it("CustomerGatewayAvailable on a new gateway; fails once it is deleted", async () => {
    const cgw = (await sim.ec2.send(new CreateCustomerGatewayCommand({ Type: "ipsec.1", BgpAsn: 65010, IpAddress: "203.0.113.10" }))).CustomerGateway!
      .CustomerGatewayId!;
    expect((await waitForCustomerGatewayAvailable(fast(), { CustomerGatewayIds: [cgw] })).state).toBe("SUCCESS");
    await sim.ec2.send(new DeleteCustomerGatewayCommand({ CustomerGatewayId: cgw }));
    expect((await sim.ec2.send(new DescribeCustomerGatewaysCommand({ CustomerGatewayIds: [cgw] }))).CustomerGateways![0]!.State).toBe("deleted");
    expect((await waitForCustomerGatewayAvailable(fast(), { CustomerGatewayIds: [cgw] })).state).toBe("FAILURE");
  });

  it("VpnConnectionAvailable on a new connection; VpnConnectionDeleted after DeleteVpnConnection, when Available fails", async () => {
    const tgw = (await sim.ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
    const cgw = (await sim.ec2.send(new CreateCustomerGatewayCommand({ Type: "ipsec.1", BgpAsn: 65010, IpAddress: "203.0.113.10" }))).CustomerGateway!
      .CustomerGatewayId!;
    const v = (await sim.ec2.send(new CreateVpnConnectionCommand({ Type: "ipsec.1", CustomerGatewayId: cgw, TransitGatewayId: tgw }))).VpnConnection!;
    const ids = { VpnConnectionIds: [v.VpnConnectionId!] };
    expect((await waitForVpnConnectionAvailable(fast(), ids)).state).toBe("SUCCESS");
    await sim.ec2.send(new DeleteVpnConnectionCommand({ VpnConnectionId: v.VpnConnectionId! }));
    expect((await waitForVpnConnectionDeleted(fast(), ids)).state).toBe("SUCCESS");
    expect((await sim.ec2.send(new DescribeVpnConnectionsCommand(ids))).VpnConnections![0]!.State).toBe("deleted");
    expect((await waitForVpnConnectionAvailable(fast(), ids)).state).toBe("FAILURE");
  });
});
