/**
 * EC2 answers hold only the members AWS's model declares for each shape, where awsim's records are shared
 * between views (an instance's network interfaces are EC2 network interfaces seen through another shape).
 */
import { AllocateAddressCommand, AssociateAddressCommand, DescribeNetworkInterfacesCommand, EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

async function query(body: string): Promise<string> {
  const r = await fetch(sim.server.url, {
    method: "POST",
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=test/20261130/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=${"0".repeat(64)}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: `${body}&Version=2016-11-15`,
  });
  expect(r.status).toBe(200);
  return r.text();
}

describe("EC2 output shapes", () => {
  it("an instance's networkInterfaceSet attachment names no instance (InstanceNetworkInterfaceAttachment); the interface's own does", async () => {
    const run = await sim.ec2.send(new RunInstancesCommand({ ImageId: "ami-12345678", MinCount: 1, MaxCount: 1, InstanceType: "t3.micro" }));
    const id = run.Instances![0]!.InstanceId!;
    const eni = run.Instances![0]!.NetworkInterfaces![0]!;
    expect(eni.Attachment?.AttachmentId).toMatch(/^eni-attach-/);

    const xml = await query(`Action=DescribeInstances&InstanceId.1=${id}`);
    const set = /<networkInterfaceSet>([\s\S]*?)<\/networkInterfaceSet>/.exec(xml)?.[1] ?? "";
    const attachment = /<attachment>([\s\S]*?)<\/attachment>/.exec(set)?.[1] ?? "";
    expect(attachment).toContain(`<attachmentId>${eni.Attachment!.AttachmentId}</attachmentId>`);
    expect(attachment).toContain("<deviceIndex>0</deviceIndex>");
    expect(attachment).not.toContain("<instanceId>");
    expect(attachment).not.toContain("<instanceOwnerId>");

    // DescribeNetworkInterfaces' NetworkInterfaceAttachment does name the instance and its owner.
    const own = await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni.NetworkInterfaceId!] }));
    expect(own.NetworkInterfaces![0]!.Attachment).toMatchObject({ InstanceId: id, InstanceOwnerId: expect.stringMatching(/^\d{12}$/), DeviceIndex: 0 });
  });

  it("an instance's interface association names the public address and its owner, not the elastic IP's allocation and association ids", async () => {
    const run = await sim.ec2.send(new RunInstancesCommand({ ImageId: "ami-12345678", MinCount: 1, MaxCount: 1, InstanceType: "t3.micro" }));
    const id = run.Instances![0]!.InstanceId!;
    const eip = await sim.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
    await sim.ec2.send(new AssociateAddressCommand({ AllocationId: eip.AllocationId, InstanceId: id }));
    const xml = await query(`Action=DescribeInstances&InstanceId.1=${id}`);
    const set = /<networkInterfaceSet>([\s\S]*?)<\/networkInterfaceSet>/.exec(xml)?.[1] ?? "";
    const association = /<association>([\s\S]*?)<\/association>/.exec(set)?.[1] ?? "";
    expect(association).toContain(`<publicIp>${eip.PublicIp}</publicIp>`);
    expect(association).not.toContain("<allocationId>");
    expect(association).not.toContain("<associationId>");
    expect(set).not.toContain("<publicIpDnsNameOptions>");
    const eni = run.Instances![0]!.NetworkInterfaces![0]!.NetworkInterfaceId!;
    const own = await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] }));
    expect(own.NetworkInterfaces![0]!.Association).toMatchObject({ PublicIp: eip.PublicIp, AllocationId: eip.AllocationId });
  });
});
