/**
 * An instance named where EC2 means one network interface, on an instance with two: AWS refuses with
 * InvalidInstanceID "There are multiple interfaces attached to instance '…'. Please specify an interface ID for the
 * operation instead." (AssociateAddress: terraform-provider-aws#6476, cilium#39654, eureka#1167; ModifyInstanceAttribute
 * groups: nixops-aws#55; CreateRoute: terraform-provider-aws#684). With one interface each works.
 */
import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  AttachNetworkInterfaceCommand,
  CreateNetworkInterfaceCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  DescribeInstancesCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({}, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("an instance with several network interfaces", () => {
  it("cannot stand for one interface in AssociateAddress, ModifyInstanceAttribute groups or CreateRoute", async () => {
    const i = (await sim.ec2.send(new RunInstancesCommand({ ImageId: "ami-0123456789abcdef0", InstanceType: "t3.micro", MinCount: 1, MaxCount: 1 })))
      .Instances![0]!;
    const id = i.InstanceId!;
    const sg = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "multi-eni", Description: "x", VpcId: i.VpcId }))).GroupId!;
    const rtb = (await sim.ec2.send(new CreateRouteTableCommand({ VpcId: i.VpcId }))).RouteTable!.RouteTableId!;
    const eip = (await sim.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }))).AllocationId!;
    // One interface: each works.
    expect((await sim.ec2.send(new AssociateAddressCommand({ AllocationId: eip, InstanceId: id }))).AssociationId).toMatch(/^eipassoc-/);
    await sim.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Groups: [sg] }));
    const described = (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
    expect(described.SecurityGroups!.map((g) => g.GroupId)).toEqual([sg]);
    expect((await sim.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "10.99.0.0/16", InstanceId: id }))).Return).toBe(true);
    // A second interface: each is refused, naming the instance.
    const eni = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: i.SubnetId }))).NetworkInterface!.NetworkInterfaceId!;
    await sim.ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni, InstanceId: id, DeviceIndex: 1 }));
    const refused = {
      name: "InvalidInstanceID",
      status: 400,
      message: `There are multiple interfaces attached to instance '${id}'. Please specify an interface ID for the operation instead.`,
    };
    await expectAwsError(sim.ec2.send(new AssociateAddressCommand({ AllocationId: eip, InstanceId: id })), refused);
    await expectAwsError(sim.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Groups: [sg] })), refused);
    await expectAwsError(sim.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "10.98.0.0/16", InstanceId: id })), refused);
    // Naming the interface works.
    expect((await sim.ec2.send(new AssociateAddressCommand({ AllocationId: eip, NetworkInterfaceId: eni }))).AssociationId).toMatch(/^eipassoc-/);
  });
});
