/** Output members EC2 answers carry that awsim left out (first half of the operations, alphabetically). */
import {
  AssociateVpcCidrBlockCommand,
  CopyImageCommand,
  CreateImageCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateRouteTableCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  DescribeAvailabilityZonesCommand,
  DeleteNetworkAclEntryCommand,
  DescribeImagesCommand,
  DescribeNetworkAclsCommand,
  DescribeVolumesCommand,
  EC2Client,
  type NetworkAcl,
  RegisterImageCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";
import { AMI } from "./ec2-fixtures.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

const image = async (id: string) => (await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0]!;
const launch = async (extra: Record<string, unknown> = {}) =>
  (await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, InstanceType: "t3.micro", ...extra }))).Instances![0]!;
const volumesOf = async (instanceId: string) =>
  (await sim.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [instanceId] }] }))).Volumes!;

describe("DescribeImages block device mappings", () => {
  it("a gp3 mapping shows its IOPS and throughput (gp3's baseline for a catalogue AMI), a gp2 mapping neither", async () => {
    const ebs = (await image(AMI)).BlockDeviceMappings![0]!.Ebs!;
    expect(ebs).toMatchObject({ VolumeType: "gp3", Iops: 3000, Throughput: 125 });
    const vol = await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 8, VolumeType: "gp2" }));
    const snap = await sim.ec2.send(new CreateSnapshotCommand({ VolumeId: vol.VolumeId }));
    const reg = await sim.ec2.send(
      new RegisterImageCommand({
        Name: "gp2-and-io2",
        RootDeviceName: "/dev/xvda",
        BlockDeviceMappings: [
          { DeviceName: "/dev/xvda", Ebs: { SnapshotId: snap.SnapshotId, VolumeType: "gp2" } },
          { DeviceName: "/dev/sdf", Ebs: { VolumeSize: 20, VolumeType: "io2", Iops: 4000 } },
        ],
      }),
    );
    const [root, data] = (await image(reg.ImageId!)).BlockDeviceMappings!;
    expect(root!.Ebs!.VolumeType).toBe("gp2");
    expect(root!.Ebs!.Iops).toBeUndefined();
    expect(root!.Ebs!.Throughput).toBeUndefined();
    expect(data!.Ebs).toMatchObject({ VolumeType: "io2", Iops: 4000 });
    expect(data!.Ebs!.Throughput).toBeUndefined();
    // Instances launched from it get the provisioned IOPS of the mapping.
    const inst = await launch({ ImageId: reg.ImageId });
    const io2 = (await volumesOf(inst.InstanceId!)).find((v) => v.VolumeType === "io2")!;
    expect(io2.Iops).toBe(4000);
  });

  it("CreateImage keeps the IOPS and throughput its block device mappings provision", async () => {
    const inst = await launch();
    const { ImageId } = await sim.ec2.send(
      new CreateImageCommand({
        InstanceId: inst.InstanceId,
        Name: "tuned-gp3",
        BlockDeviceMappings: [{ DeviceName: "/dev/sdf", Ebs: { VolumeSize: 20, VolumeType: "gp3", Iops: 6000, Throughput: 500 } }],
      }),
    );
    const data = (await image(ImageId!)).BlockDeviceMappings!.find((b) => b.DeviceName === "/dev/sdf")!;
    expect(data.Ebs).toMatchObject({ VolumeType: "gp3", VolumeSize: 20, Iops: 6000, Throughput: 500 });
    // A launch from that AMI that only grows the volume keeps the mapping's IOPS and throughput.
    const again = await launch({ ImageId, BlockDeviceMappings: [{ DeviceName: "/dev/sdf", Ebs: { VolumeSize: 30 } }] });
    const vol = (await volumesOf(again.InstanceId!)).find((v) => v.Attachments![0]!.Device === "/dev/sdf")!;
    expect(vol).toMatchObject({ Size: 30, VolumeType: "gp3", Iops: 6000, Throughput: 500 });
  });
});

describe("DescribeImages source AMI", () => {
  it("an AMI made by CreateImage or CopyImage names its source AMI and Region; a registered one does not", async () => {
    const inst = await launch();
    const { ImageId: made } = await sim.ec2.send(new CreateImageCommand({ InstanceId: inst.InstanceId, Name: "from-instance" }));
    expect(await image(made!)).toMatchObject({ SourceImageId: AMI, SourceImageRegion: "us-east-1", SourceInstanceId: inst.InstanceId });
    const { ImageId: copy } = await sim.ec2.send(new CopyImageCommand({ SourceImageId: made, SourceRegion: "us-east-1", Name: "copy" }));
    expect(await image(copy!)).toMatchObject({ SourceImageId: made, SourceImageRegion: "us-east-1" });
    const catalogue = await image(AMI);
    expect(catalogue.SourceImageId).toBeUndefined();
    expect(catalogue.SourceImageRegion).toBeUndefined();
    // Also in DescribeImages without ids.
    const mine = (await sim.ec2.send(new DescribeImagesCommand({ Owners: ["self"] }))).Images!;
    expect(mine.find((i) => i.ImageId === copy)!.SourceImageId).toBe(made);
  });
});

describe("CreateRouteTable", () => {
  it("echoes the ClientToken it was given", async () => {
    const { Vpc } = await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.1.0.0/16" }));
    const out = await sim.ec2.send(new CreateRouteTableCommand({ VpcId: Vpc!.VpcId, ClientToken: "rtb-token-1" }));
    expect(out.ClientToken).toBe("rtb-token-1");
    const again = await sim.ec2.send(new CreateRouteTableCommand({ VpcId: Vpc!.VpcId, ClientToken: "rtb-token-1" }));
    expect(again.RouteTable!.RouteTableId).toBe(out.RouteTable!.RouteTableId);
    expect(again.ClientToken).toBe("rtb-token-1");
  });
});

describe("DescribeAvailabilityZones", () => {
  it("names each zone's group, its long name and its geography", async () => {
    const zones = (await sim.ec2.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones!;
    expect(zones[0]).toMatchObject({
      ZoneName: "us-east-1a",
      GroupName: "us-east-1-zg-1",
      GroupLongName: "US East (N. Virginia) 1",
      Geography: [{ Name: "United States of America" }],
      SubGeography: [{ Name: "Virginia" }],
      NetworkBorderGroup: "us-east-1",
    });
    const byLong = await sim.ec2.send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: "group-long-name", Values: ["US East (N. Virginia) 1"] }] }));
    expect(byLong.AvailabilityZones!.length).toBe(zones.length);
    const ohio = new EC2Client(clientConfig(sim.server, { region: "us-east-2" }));
    const [a] = (await ohio.send(new DescribeAvailabilityZonesCommand({ ZoneNames: ["us-east-2a"] }))).AvailabilityZones!;
    expect(a).toMatchObject({ ZoneId: "use2-az1", GroupName: "us-east-2-zg-1", GroupLongName: "US East (Ohio) 1", SubGeography: [{ Name: "Ohio" }] });
    const frankfurt = new EC2Client(clientConfig(sim.server, { region: "eu-central-1" }));
    const [f] = (await frankfurt.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones!;
    expect(f).toMatchObject({ GroupLongName: "Europe (Frankfurt) 1", Geography: [{ Name: "Germany" }] });
    expect(f!.SubGeography).toBeUndefined();
  });
});

describe("network ACLs of a VPC with IPv6", () => {
  const entries = (acl: NetworkAcl) => acl.Entries!.map((x) => `${x.Egress ? "out" : "in"} ${x.RuleNumber} ${x.RuleAction} ${x.CidrBlock ?? x.Ipv6CidrBlock}`);

  it("the default ACL allows and the catch-all rule denies ::/0; a new ACL denies it", async () => {
    const { Vpc } = await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.2.0.0/16", AmazonProvidedIpv6CidrBlock: true }));
    const [def] = (
      await sim.ec2.send(
        new DescribeNetworkAclsCommand({
          Filters: [
            { Name: "vpc-id", Values: [Vpc!.VpcId!] },
            { Name: "default", Values: ["true"] },
          ],
        }),
      )
    ).NetworkAcls!;
    expect(entries(def!)).toEqual([
      "out 100 allow 0.0.0.0/0",
      "out 101 allow ::/0",
      "out 32767 deny 0.0.0.0/0",
      "out 32768 deny ::/0",
      "in 100 allow 0.0.0.0/0",
      "in 101 allow ::/0",
      "in 32767 deny 0.0.0.0/0",
      "in 32768 deny ::/0",
    ]);
    const { NetworkAcl } = await sim.ec2.send(new CreateNetworkAclCommand({ VpcId: Vpc!.VpcId }));
    expect(entries(NetworkAcl!)).toEqual(["out 32767 deny 0.0.0.0/0", "out 32768 deny ::/0", "in 32767 deny 0.0.0.0/0", "in 32768 deny ::/0"]);
    await expectAwsError(sim.ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: NetworkAcl!.NetworkAclId, RuleNumber: 32768, Egress: false })), {
      name: "InvalidNetworkAclEntry.NotFound",
      status: 400,
    });
  });

  it("associating an IPv6 block adds the IPv6 rules; a modified direction of the default ACL gets no allow rule", async () => {
    const { Vpc } = await sim.ec2.send(new CreateVpcCommand({ CidrBlock: "10.3.0.0/16" }));
    const filters = [{ Name: "vpc-id", Values: [Vpc!.VpcId!] }];
    const [def] = (await sim.ec2.send(new DescribeNetworkAclsCommand({ Filters: [...filters, { Name: "default", Values: ["true"] }] }))).NetworkAcls!;
    expect(entries(def!).some((x) => x.includes("::/0"))).toBe(false);
    const { NetworkAcl: custom } = await sim.ec2.send(new CreateNetworkAclCommand({ VpcId: Vpc!.VpcId }));
    await sim.ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: def!.NetworkAclId,
        RuleNumber: 90,
        Protocol: "6",
        RuleAction: "deny",
        Egress: false,
        CidrBlock: "198.51.100.0/24",
        PortRange: { From: 22, To: 22 },
      }),
    );
    await sim.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: Vpc!.VpcId, AmazonProvidedIpv6CidrBlock: true }));
    const acls = (await sim.ec2.send(new DescribeNetworkAclsCommand({ Filters: filters }))).NetworkAcls!;
    const after = acls.find((a) => a.IsDefault)!;
    expect(entries(after)).toEqual([
      "out 100 allow 0.0.0.0/0",
      "out 101 allow ::/0",
      "out 32767 deny 0.0.0.0/0",
      "out 32768 deny ::/0",
      "in 90 deny 198.51.100.0/24",
      "in 100 allow 0.0.0.0/0",
      "in 32767 deny 0.0.0.0/0",
      "in 32768 deny ::/0",
    ]);
    expect(entries(acls.find((a) => a.NetworkAclId === custom!.NetworkAclId)!)).toEqual([
      "out 32767 deny 0.0.0.0/0",
      "out 32768 deny ::/0",
      "in 32767 deny 0.0.0.0/0",
      "in 32768 deny ::/0",
    ]);
  });
});
