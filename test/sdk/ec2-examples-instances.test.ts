/** EC2 instances as AWS's documented and recorded examples show them: the RunInstances answer, CPU options, public addresses on interfaces. */
import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  AttachVolumeCommand,
  CreateDhcpOptionsCommand,
  CreateImageCommand,
  CreateKeyPairCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DetachVolumeCommand,
  DescribeImagesCommand,
  DescribeInstanceTypesCommand,
  DescribeKeyPairsCommand,
  DescribeNetworkInterfacesCommand,
  EC2Client,
  GetLaunchTemplateDataCommand,
  ImportKeyPairCommand,
  ModifyInstanceCpuOptionsCommand,
  ModifyInstanceMaintenanceOptionsCommand,
  RegisterImageCommand,
  StartInstancesCommand,
  StopInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";
import { describeInstance, runOne } from "./ec2-fixtures.js";

const t = useServer({}, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("RunInstances answer", () => {
  it("shows the launch pending: state reason, metadata options pending, interfaces attaching, no volumes, public address or tag set yet", async () => {
    const i = await runOne(t.ec2, { InstanceType: "t2.micro" });
    expect(i.State).toEqual({ Code: 0, Name: "pending" });
    expect(i.StateReason).toEqual({ Code: "pending", Message: "pending" });
    expect(i.MetadataOptions!.State).toBe("pending");
    expect(i.NetworkInterfaces![0]!.Attachment!.Status).toBe("attaching");
    expect(i.NetworkInterfaces![0]!.Association).toBeUndefined();
    expect(i.BlockDeviceMappings).toEqual([]);
    expect(i.PublicDnsName).toBe("");
    expect(i.PublicIpAddress).toBeUndefined();
    expect(i.Tags).toBeUndefined();
    expect(i.HibernationOptions).toBeUndefined();
    expect(i.PlatformDetails).toBeUndefined();
    expect(i.CpuOptions).toEqual({ CoreCount: 1, ThreadsPerCore: 1 });

    const d = await describeInstance(t.ec2, i.InstanceId!);
    expect(d.State!.Name).toBe("running");
    expect(d.StateReason).toBeUndefined();
    expect(d.MetadataOptions!.State).toBe("applied");
    expect(d.NetworkInterfaces![0]!.Attachment!.Status).toBe("attached");
    expect(d.BlockDeviceMappings).toHaveLength(1);
    expect(d.PlatformDetails).toBe("Linux/UNIX");
    expect(d.Tags).toBeUndefined();
  });

  it("an instance launched with tags shows them in the answer", async () => {
    const i = await runOne(t.ec2, { TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: "web" }] }] });
    expect(i.Tags).toEqual([{ Key: "Name", Value: "web" }]);
  });
});

describe("CPU options", () => {
  it("follow the instance type's topology: one thread per core on T2 and Graviton, two on other x86 types", async () => {
    expect((await runOne(t.ec2, { InstanceType: "t2.medium" })).CpuOptions).toEqual({ CoreCount: 2, ThreadsPerCore: 1 });
    expect((await runOne(t.ec2, { InstanceType: "t3.micro" })).CpuOptions).toEqual({ CoreCount: 1, ThreadsPerCore: 2 });
    expect((await runOne(t.ec2, { InstanceType: "m5.xlarge" })).CpuOptions).toEqual({ CoreCount: 2, ThreadsPerCore: 2 });
    const types = (await t.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ["t2.micro", "t4g.micro", "m5.xlarge"] }))).InstanceTypes!;
    const info = Object.fromEntries(types.map((x) => [x.InstanceType, x]));
    expect(info["t2.micro"]!.VCpuInfo).toMatchObject({ DefaultVCpus: 1, DefaultCores: 1, DefaultThreadsPerCore: 1 });
    expect(info["t2.micro"]!.Hypervisor).toBe("xen");
    expect(info["t2.micro"]!.EbsInfo!.EbsOptimizedSupport).toBe("unsupported");
    expect(info["t2.micro"]!.NetworkInfo!.EnaSupport).toBe("unsupported");
    expect(info["t4g.micro"]!.VCpuInfo).toMatchObject({ DefaultVCpus: 2, DefaultCores: 2, DefaultThreadsPerCore: 1 });
    expect(info["m5.xlarge"]!.VCpuInfo).toMatchObject({ DefaultVCpus: 4, DefaultCores: 2, DefaultThreadsPerCore: 2 });
    expect(info["m5.xlarge"]!.Hypervisor).toBe("nitro");
  });

  it("RunInstances CpuOptions and ModifyInstanceCpuOptions show in DescribeInstances", async () => {
    const i = await runOne(t.ec2, { InstanceType: "m5.xlarge", CpuOptions: { CoreCount: 2, ThreadsPerCore: 1 } });
    expect((await describeInstance(t.ec2, i.InstanceId!)).CpuOptions).toEqual({ CoreCount: 2, ThreadsPerCore: 1 });
    await t.ec2.send(new StopInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    await t.ec2.send(new ModifyInstanceCpuOptionsCommand({ InstanceId: i.InstanceId!, CoreCount: 1, ThreadsPerCore: 2 }));
    expect((await describeInstance(t.ec2, i.InstanceId!)).CpuOptions).toEqual({ CoreCount: 1, ThreadsPerCore: 2 });
  });
});

describe("public addresses on interfaces", () => {
  it("an auto-assigned public IP is the primary interface's association, owner amazon, with its DNS name; gone while stopped", async () => {
    const i = await runOne(t.ec2);
    const d = await describeInstance(t.ec2, i.InstanceId!);
    const ip = d.PublicIpAddress!;
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const assoc = { IpOwnerId: "amazon", PublicIp: ip, PublicDnsName: `ec2-${ip.replaceAll(".", "-")}.compute-1.amazonaws.com` };
    expect(d.NetworkInterfaces![0]!.Association).toEqual(assoc);
    expect(d.NetworkInterfaces![0]!.PrivateIpAddresses![0]!.Association).toEqual(assoc);
    const eniId = d.NetworkInterfaces![0]!.NetworkInterfaceId!;
    const byOwner = await t.ec2.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [
          { Name: "association.public-ip", Values: [ip] },
          { Name: "association.ip-owner-id", Values: ["amazon"] },
        ],
      }),
    );
    expect(byOwner.NetworkInterfaces!.map((e) => e.NetworkInterfaceId)).toEqual([eniId]);
    expect(byOwner.NetworkInterfaces![0]!.Association).toEqual(assoc);
    await t.ec2.send(new StopInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    const eni = (await t.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }))).NetworkInterfaces![0]!;
    expect(eni.Association).toBeUndefined();
  });
});

describe("DescribeInstances fields AWS shows today", () => {
  it("operator, network performance and maintenance options, EBS optimisation and boot mode by type", async () => {
    const i = await runOne(t.ec2, { InstanceType: "t3.micro" });
    expect(i.Operator).toBeUndefined();
    expect(i.NetworkPerformanceOptions).toBeUndefined();
    const d = await describeInstance(t.ec2, i.InstanceId!);
    expect(d.Operator).toEqual({ Managed: false });
    expect(d.NetworkInterfaces![0]!.Operator).toEqual({ Managed: false });
    expect(d.NetworkPerformanceOptions).toEqual({ BandwidthWeighting: "default" });
    expect(d.MaintenanceOptions).toEqual({ AutoRecovery: "default", RebootMigration: "default" });
    expect(d.EbsOptimized).toBe(true);
    expect(d.BootMode).toBe("uefi-preferred");
    expect(d.CurrentInstanceBootMode).toBe("uefi");
    await t.ec2.send(new ModifyInstanceMaintenanceOptionsCommand({ InstanceId: i.InstanceId!, AutoRecovery: "disabled" }));
    expect((await describeInstance(t.ec2, i.InstanceId!)).MaintenanceOptions).toEqual({ AutoRecovery: "disabled", RebootMigration: "default" });

    const xen = await describeInstance(t.ec2, (await runOne(t.ec2, { InstanceType: "t2.micro" })).InstanceId!);
    expect(xen.EbsOptimized).toBe(false);
    expect(xen.CurrentInstanceBootMode).toBe("legacy-bios");
  });
});

describe("key pairs and images", () => {
  it("CreateKeyPair and ImportKeyPair answer without an empty tag set; DescribeKeyPairs shows Tags []", async () => {
    const k = await t.ec2.send(new CreateKeyPairCommand({ KeyName: "examples-key" }));
    expect(
      Object.keys(k)
        .filter((x) => x !== "$metadata")
        .sort(),
    ).toEqual(["KeyFingerprint", "KeyMaterial", "KeyName", "KeyPairId"]);
    const pub = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl examples";
    const imported = await t.ec2.send(new ImportKeyPairCommand({ KeyName: "examples-imported", PublicKeyMaterial: Buffer.from(pub) }));
    expect(imported.Tags).toBeUndefined();
    expect(imported.KeyPairId).toMatch(/^key-[0-9a-f]{17}$/);
    const [d] = (await t.ec2.send(new DescribeKeyPairsCommand({ KeyNames: ["examples-key"] }))).KeyPairs!;
    expect(d!.Tags).toEqual([]);
    expect(d!.KeyType).toBe("rsa");
  });

  it("DescribeImages leaves out an untagged image's tag set", async () => {
    const i = await runOne(t.ec2);
    const id = (await t.ec2.send(new CreateImageCommand({ InstanceId: i.InstanceId!, Name: "examples-image" }))).ImageId!;
    const [img] = (await t.ec2.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images!;
    expect(img!.Tags).toBeUndefined();
    expect(img!.ImageLocation).toBe("000000000000/examples-image");
  });
});

describe("more answers as documented", () => {
  it("GetLaunchTemplateData gives the instance's volumes and network interfaces", async () => {
    const i = await runOne(t.ec2, { InstanceType: "t2.medium" });
    const d = await describeInstance(t.ec2, i.InstanceId!);
    const data = (await t.ec2.send(new GetLaunchTemplateDataCommand({ InstanceId: i.InstanceId! }))).LaunchTemplateData!;
    const eni = d.NetworkInterfaces![0]!;
    expect(data.NetworkInterfaces).toEqual([
      {
        AssociatePublicIpAddress: true,
        DeleteOnTermination: true,
        Description: "",
        DeviceIndex: 0,
        Groups: [d.SecurityGroups![0]!.GroupId],
        Ipv6Addresses: [],
        NetworkInterfaceId: eni.NetworkInterfaceId,
        PrivateIpAddress: eni.PrivateIpAddress,
        PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: eni.PrivateIpAddress }],
        SubnetId: d.SubnetId,
      },
    ]);
    expect(data.SecurityGroupIds).toBeUndefined();
    expect(data.BlockDeviceMappings).toHaveLength(1);
    expect(data.BlockDeviceMappings![0]).toMatchObject({ DeviceName: d.RootDeviceName, Ebs: { DeleteOnTermination: true, Encrypted: false, VolumeSize: 8 } });
    expect(data.Placement).toEqual({ AvailabilityZone: d.Placement!.AvailabilityZone, GroupName: "", Tenancy: "default" });
  });

  it("AttachVolume and DetachVolume answer without DeleteOnTermination", async () => {
    const i = await runOne(t.ec2);
    const vol = (await t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: i.Placement!.AvailabilityZone!, Size: 10 }))).VolumeId!;
    const a = await t.ec2.send(new AttachVolumeCommand({ VolumeId: vol, InstanceId: i.InstanceId!, Device: "/dev/sdf" }));
    expect(a).toMatchObject({ VolumeId: vol, InstanceId: i.InstanceId, Device: "/dev/sdf", State: "attaching" });
    expect(a.DeleteOnTermination).toBeUndefined();
    const dt = await t.ec2.send(new DetachVolumeCommand({ VolumeId: vol }));
    expect(dt.State).toBe("detaching");
    expect(dt.DeleteOnTermination).toBeUndefined();
  });

  it("DHCP options list their configurations by key", async () => {
    const o = await t.ec2.send(
      new CreateDhcpOptionsCommand({
        DhcpConfigurations: [
          { Key: "domain-name-servers", Values: ["10.2.5.1", "10.2.5.2"] },
          { Key: "domain-name", Values: ["example.com"] },
          { Key: "netbios-node-type", Values: ["2"] },
        ],
      }),
    );
    expect(o.DhcpOptions!.DhcpConfigurations).toEqual([
      { Key: "domain-name", Values: [{ Value: "example.com" }] },
      { Key: "domain-name-servers", Values: [{ Value: "10.2.5.1" }, { Value: "10.2.5.2" }] },
      { Key: "netbios-node-type", Values: [{ Value: "2" }] },
    ]);
  });
});

describe("registered images", () => {
  it("an empty volume's mapping has no SnapshotId", async () => {
    const vol = (await t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 8 }))).VolumeId!;
    const snap = (await t.ec2.send(new CreateSnapshotCommand({ VolumeId: vol }))).SnapshotId!;
    const id = (
      await t.ec2.send(
        new RegisterImageCommand({
          Name: "examples-registered",
          RootDeviceName: "/dev/xvda",
          BlockDeviceMappings: [
            { DeviceName: "/dev/xvda", Ebs: { SnapshotId: snap } },
            { DeviceName: "/dev/xvdf", Ebs: { VolumeSize: 100 } },
          ],
        }),
      )
    ).ImageId!;
    const [img] = (await t.ec2.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images!;
    const byDevice = Object.fromEntries(img!.BlockDeviceMappings!.map((b) => [b.DeviceName, b.Ebs]));
    expect(byDevice["/dev/xvda"]!.SnapshotId).toBe(snap);
    expect(byDevice["/dev/xvdf"]).toEqual({ DeleteOnTermination: true, VolumeSize: 100, VolumeType: "gp2", Encrypted: false });
  });
});

describe("public addresses across stop and start", () => {
  it("an auto-assigned public IPv4 address is replaced at start; an elastic IP stays", async () => {
    const i = await runOne(t.ec2);
    const before = (await describeInstance(t.ec2, i.InstanceId!)).PublicIpAddress!;
    await t.ec2.send(new StopInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    expect((await describeInstance(t.ec2, i.InstanceId!)).PublicIpAddress).toBeUndefined();
    await t.ec2.send(new StartInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    const after = (await describeInstance(t.ec2, i.InstanceId!)).PublicIpAddress!;
    expect(after).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(after).not.toBe(before);

    const eip = await t.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
    await t.ec2.send(new AssociateAddressCommand({ AllocationId: eip.AllocationId!, InstanceId: i.InstanceId! }));
    await t.ec2.send(new StopInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    await t.ec2.send(new StartInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    expect((await describeInstance(t.ec2, i.InstanceId!)).PublicIpAddress).toBe(eip.PublicIp);
  });
});
