/** EC2 test fixtures shared by the test/sdk/ec2-* files: the AMI they launch, waiter timings, one-call setups. */
import {
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  type EC2Client,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";

/** The Amazon Linux AMI of awsim's public catalogue that instance tests launch. */
export const AMI = "ami-0abcdef1234567890";

/** Waiter timings that poll fast (SDK waiters take seconds between polls by default). */
export const W = { minDelay: 1, maxDelay: 1, maxWaitTime: 20 };

/** RunInstances of one t3.small from AMI (extra members override); the launched instance. */
export async function runOne(ec2: EC2Client, extra: Record<string, unknown> = {}) {
  return (await ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, InstanceType: "t3.small", ...extra }))).Instances![0]!;
}

/** DescribeInstances of one instance id; the instance. */
export async function describeInstance(ec2: EC2Client, id: string) {
  return (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
}

/** A VPC of `cidr` with one subnet (by default the first /24 of a /16). */
export async function vpcWithSubnet(ec2: EC2Client, cidr = "10.0.0.0/16", subnetCidr = cidr.replace("/16", "/24")) {
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!;
  const sn = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: subnetCidr }))).Subnet!;
  return { vpcId: vpc.VpcId!, subnetId: sn.SubnetId! };
}

/**
 * A t3.micro with a public address, in a subnet of a new VPC (`cidr`, subnet x.x.1.0/24) with an attached
 * internet gateway and an "ssh" security group: no route to the gateway and no ingress rule yet.
 */
export async function internetFacingInstance(ec2: EC2Client, cidr = "10.41.0.0/16") {
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
  const sub = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: cidr.replace("0.0/16", "1.0/24") }))).Subnet!.SubnetId!;
  const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
  const sg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: "ssh", Description: "ssh", VpcId: vpc }))).GroupId!;
  const i = (
    await ec2.send(
      new RunInstancesCommand({
        ImageId: AMI,
        MinCount: 1,
        MaxCount: 1,
        InstanceType: "t3.micro",
        NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: sub, Groups: [sg], AssociatePublicIpAddress: true }],
      }),
    )
  ).Instances![0]!.InstanceId!;
  return { vpc, sub, igw, sg, i };
}
