import {
  CreateInstanceConnectEndpointCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DeleteInstanceConnectEndpointCommand,
  DeleteSubnetCommand,
  DescribeInstanceConnectEndpointsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeTagsCommand,
  EC2Client,
  ModifyInstanceConnectEndpointCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { vpcWithSubnet } from "./ec2-fixtures.js";

const sim = useServer({ reset: true }, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("EC2 Instance Connect Endpoints", () => {
  it("creates in progress, completes, owns an interface with the VPC's default group, deletes", async () => {
    const { vpcId, subnetId } = await vpcWithSubnet(sim.ec2);
    const out = await sim.ec2.send(
      new CreateInstanceConnectEndpointCommand({
        SubnetId: subnetId,
        ClientToken: "tok-1",
        TagSpecifications: [{ ResourceType: "instance-connect-endpoint", Tags: [{ Key: "Name", Value: "bastion" }] }],
      }),
    );
    const x = out.InstanceConnectEndpoint!;
    expect(x.InstanceConnectEndpointId).toMatch(/^eice-[0-9a-f]{17}$/);
    expect(x.State).toBe("create-in-progress");
    expect(x.InstanceConnectEndpointArn).toBe(`arn:aws:ec2:us-east-1:000000000000:instance-connect-endpoint/${x.InstanceConnectEndpointId}`);
    expect(x.VpcId).toBe(vpcId);
    expect(x.PreserveClientIp).toBe(false);
    expect(x.IpAddressType).toBe("ipv4");
    expect(x.DnsName).toMatch(new RegExp(`^${x.InstanceConnectEndpointId}\\.[0-9a-f]{8}\\.ec2-instance-connect-endpoint\\.us-east-1\\.amazonaws\\.com$`));
    expect(out.ClientToken).toBe("tok-1");
    // Same token: same endpoint.
    const again = await sim.ec2.send(new CreateInstanceConnectEndpointCommand({ SubnetId: subnetId, ClientToken: "tok-1" }));
    expect(again.InstanceConnectEndpoint!.InstanceConnectEndpointId).toBe(x.InstanceConnectEndpointId);

    const d = (await sim.ec2.send(new DescribeInstanceConnectEndpointsCommand({ InstanceConnectEndpointIds: [x.InstanceConnectEndpointId!] })))
      .InstanceConnectEndpoints![0]!;
    expect(d.State).toBe("create-complete");
    expect(d.Tags).toEqual([{ Key: "Name", Value: "bastion" }]);
    const eni = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: d.NetworkInterfaceIds }))).NetworkInterfaces![0]!;
    expect(eni.SubnetId).toBe(subnetId);
    expect(eni.Groups!.map((g) => g.GroupName)).toEqual(["default"]);
    expect(d.SecurityGroupIds).toEqual(eni.Groups!.map((g) => g.GroupId));
    await expectAwsError(sim.ec2.send(new DeleteSubnetCommand({ SubnetId: subnetId })), { name: "DependencyViolation", status: 400 });

    const del = await sim.ec2.send(new DeleteInstanceConnectEndpointCommand({ InstanceConnectEndpointId: x.InstanceConnectEndpointId }));
    expect(del.InstanceConnectEndpoint!.State).toBe("delete-in-progress");
    expect((await sim.ec2.send(new DescribeInstanceConnectEndpointsCommand({}))).InstanceConnectEndpoints).toEqual([]);
    await sim.ec2.send(new DeleteSubnetCommand({ SubnetId: subnetId }));
    await expectAwsError(sim.ec2.send(new DeleteInstanceConnectEndpointCommand({ InstanceConnectEndpointId: x.InstanceConnectEndpointId })), {
      name: "InvalidInstanceConnectEndpointId.NotFound",
      status: 400,
    });
  });

  it("checks subnet, security groups, the one-per-VPC quota; filters, tags and modifies", async () => {
    const { vpcId, subnetId } = await vpcWithSubnet(sim.ec2);
    await expectAwsError(sim.ec2.send(new CreateInstanceConnectEndpointCommand({ SubnetId: "subnet-0123456789abcdef0" })), {
      name: "InvalidSubnetID.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new CreateInstanceConnectEndpointCommand({ SubnetId: subnetId, SecurityGroupIds: ["sg-0123456789abcdef0"] })), {
      name: "InvalidGroup.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new CreateInstanceConnectEndpointCommand({ SubnetId: subnetId, DryRun: true })), {
      name: "DryRunOperation",
      status: 412,
    });
    const sg = (await sim.ec2.send(new CreateSecurityGroupCommand({ GroupName: "eic", Description: "eic", VpcId: vpcId }))).GroupId!;
    const x = (await sim.ec2.send(new CreateInstanceConnectEndpointCommand({ SubnetId: subnetId, SecurityGroupIds: [sg], PreserveClientIp: true })))
      .InstanceConnectEndpoint!;
    expect(x.SecurityGroupIds).toEqual([sg]);
    expect(x.PreserveClientIp).toBe(true);
    await expectAwsError(sim.ec2.send(new CreateInstanceConnectEndpointCommand({ SubnetId: subnetId })), { name: "ResourceLimitExceeded", status: 400 });

    const other = await vpcWithSubnet(sim.ec2, "10.1.0.0/16");
    const y = (await sim.ec2.send(new CreateInstanceConnectEndpointCommand({ SubnetId: other.subnetId }))).InstanceConnectEndpoint!;
    const byVpc = await sim.ec2.send(new DescribeInstanceConnectEndpointsCommand({ Filters: [{ Name: "vpc-id", Values: [other.vpcId] }] }));
    expect(byVpc.InstanceConnectEndpoints!.map((z) => z.InstanceConnectEndpointId)).toEqual([y.InstanceConnectEndpointId]);
    const page = await sim.ec2.send(new DescribeInstanceConnectEndpointsCommand({ MaxResults: 1 }));
    expect(page.InstanceConnectEndpoints).toHaveLength(1);
    expect(page.NextToken).toBeDefined();
    await expectAwsError(sim.ec2.send(new DescribeInstanceConnectEndpointsCommand({ Filters: [{ Name: "bogus", Values: ["x"] }] })), {
      name: "InvalidParameterValue",
      status: 400,
    });

    await sim.ec2.send(new CreateTagsCommand({ Resources: [y.InstanceConnectEndpointId!], Tags: [{ Key: "team", Value: "ops" }] }));
    const tags = await sim.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-type", Values: ["instance-connect-endpoint"] }] }));
    expect(tags.Tags).toEqual([{ ResourceId: y.InstanceConnectEndpointId, ResourceType: "instance-connect-endpoint", Key: "team", Value: "ops" }]);
    const byTag = await sim.ec2.send(new DescribeInstanceConnectEndpointsCommand({ Filters: [{ Name: "tag:team", Values: ["ops"] }] }));
    expect(byTag.InstanceConnectEndpoints).toHaveLength(1);

    expect(
      (await sim.ec2.send(new ModifyInstanceConnectEndpointCommand({ InstanceConnectEndpointId: x.InstanceConnectEndpointId, PreserveClientIp: false })))
        .Return,
    ).toBe(true);
    const after = (await sim.ec2.send(new DescribeInstanceConnectEndpointsCommand({ InstanceConnectEndpointIds: [x.InstanceConnectEndpointId!] })))
      .InstanceConnectEndpoints![0]!;
    expect(after.PreserveClientIp).toBe(false);
    await expectAwsError(
      sim.ec2.send(new ModifyInstanceConnectEndpointCommand({ InstanceConnectEndpointId: x.InstanceConnectEndpointId, IpAddressType: "dualstack" })),
      { name: "InvalidParameterValue", status: 400 },
    );
  });
});
