import {
  CopyVolumesCommand,
  CreateNetworkInterfaceCommand,
  CreateNetworkInterfacePermissionCommand,
  CreateReplaceRootVolumeTaskCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteNetworkInterfacePermissionCommand,
  DescribeNetworkInterfacePermissionsCommand,
  DescribeReplaceRootVolumeTasksCommand,
  DescribeVolumesCommand,
  EC2Client,
  AssociateTrunkInterfaceCommand,
  DescribeTrunkInterfaceAssociationsCommand,
  DisassociateTrunkInterfaceCommand,
  CreatePlacementGroupCommand,
  DescribeInstanceTopologyCommand,
  CreateDelegateMacVolumeOwnershipTaskCommand,
  CreateMacSystemIntegrityProtectionModificationTaskCommand,
  DescribeMacModificationTasksCommand,
  EnableVolumeIOCommand,
  GetInstanceTypesFromInstanceRequirementsCommand,
  ModifyInstanceNetworkPerformanceOptionsCommand,
  ModifyPrivateDnsNameOptionsCommand,
  ModifyPublicIpDnsNameOptionsCommand,
  DescribeNetworkInterfacesCommand,
  ReportInstanceStatusCommand,
  RunInstancesCommand,
  SendDiagnosticInterruptCommand,
  StopInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { AMI, describeInstance, runOne } from "./ec2-fixtures.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

const rootVolume = (i: { BlockDeviceMappings?: Array<{ DeviceName?: string; Ebs?: { VolumeId?: string } }>; RootDeviceName?: string }) =>
  i.BlockDeviceMappings!.find((b) => b.DeviceName === i.RootDeviceName)!.Ebs!.VolumeId!;

describe("instance options", () => {
  it("hostname options and bandwidth weighting, at launch and modified, shown by DescribeInstances", async () => {
    const i = await runOne(sim.ec2, { PrivateDnsNameOptions: { HostnameType: "resource-name", EnableResourceNameDnsARecord: true } });
    expect((await describeInstance(sim.ec2, i.InstanceId!)).PrivateDnsNameOptions).toEqual({
      HostnameType: "resource-name",
      EnableResourceNameDnsARecord: true,
      EnableResourceNameDnsAAAARecord: false,
    });
    const plain = await runOne(sim.ec2);
    expect((await describeInstance(sim.ec2, plain.InstanceId!)).PrivateDnsNameOptions?.HostnameType).toBe("ip-name");
    const r = await sim.ec2.send(new ModifyPrivateDnsNameOptionsCommand({ InstanceId: plain.InstanceId!, PrivateDnsHostnameType: "resource-name" }));
    expect(r.Return).toBe(true);
    expect((await describeInstance(sim.ec2, plain.InstanceId!)).PrivateDnsNameOptions).toEqual({
      HostnameType: "resource-name",
      EnableResourceNameDnsARecord: false,
      EnableResourceNameDnsAAAARecord: false,
    });
    await expectAwsError(sim.ec2.send(new ModifyPrivateDnsNameOptionsCommand({ InstanceId: plain.InstanceId!, EnableResourceNameDnsAAAARecord: true })), {
      name: "InvalidParameterValue",
      status: 400,
    });

    const p = await sim.ec2.send(new ModifyInstanceNetworkPerformanceOptionsCommand({ InstanceId: plain.InstanceId!, BandwidthWeighting: "vpc-1" }));
    expect(p).toMatchObject({ InstanceId: plain.InstanceId, BandwidthWeighting: "vpc-1" });
    expect((await describeInstance(sim.ec2, plain.InstanceId!)).NetworkPerformanceOptions).toEqual({ BandwidthWeighting: "vpc-1" });
    await expectAwsError(sim.ec2.send(new ModifyInstanceNetworkPerformanceOptionsCommand({ InstanceId: "i-0123456789abcdef0", BandwidthWeighting: "ebs-1" })), {
      name: "InvalidInstanceID.NotFound",
      status: 400,
    });
  });

  it("ModifyPublicIpDnsNameOptions sets the public hostname type DescribeNetworkInterfaces shows", async () => {
    const i = await runOne(sim.ec2);
    const eniId = i.NetworkInterfaces![0]!.NetworkInterfaceId!;
    const ip = (await describeInstance(sim.ec2, i.InstanceId!)).PublicIpAddress!;
    expect(ip).toBeTruthy();
    const r = await sim.ec2.send(new ModifyPublicIpDnsNameOptionsCommand({ NetworkInterfaceId: eniId, HostnameType: "public-ipv4-dns-name" }));
    expect(r.Successful).toBe(true);
    const eni = (await sim.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }))).NetworkInterfaces![0]!;
    expect(eni.PublicIpDnsNameOptions).toEqual({
      DnsHostnameType: "public-ipv4-dns-name",
      PublicIpv4DnsName: `ec2-${ip.replace(/\./g, "-")}.compute-1.amazonaws.com`,
    });
    expect((await describeInstance(sim.ec2, i.InstanceId!)).NetworkInterfaces![0]!.NetworkInterfaceId).toBe(eniId);
    await expectAwsError(sim.ec2.send(new ModifyPublicIpDnsNameOptionsCommand({ NetworkInterfaceId: eniId, HostnameType: "public-ipv6-dns-name" })), {
      name: "InvalidParameterValue",
      status: 400,
    });
  });

  it("status reports and diagnostic interrupts need a running instance", async () => {
    const i = await runOne(sim.ec2);
    const ok = await sim.ec2.send(new ReportInstanceStatusCommand({ Instances: [i.InstanceId!], Status: "impaired", ReasonCodes: ["unresponsive"] }));
    expect(ok.$metadata.httpStatusCode).toBe(200);
    await sim.ec2.send(new SendDiagnosticInterruptCommand({ InstanceId: i.InstanceId! }));
    await sim.ec2.send(new StopInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    await expectAwsError(sim.ec2.send(new SendDiagnosticInterruptCommand({ InstanceId: i.InstanceId! })), { name: "IncorrectInstanceState", status: 400 });
    await expectAwsError(sim.ec2.send(new ReportInstanceStatusCommand({ Instances: [i.InstanceId!], Status: "ok", ReasonCodes: ["other"] })), {
      name: "IncorrectInstanceState",
      status: 400,
    });
  });
});

describe("network interface permissions", () => {
  it("create, describe with filters, delete; unknown ids are NotFound", async () => {
    const i = await runOne(sim.ec2);
    const eni = (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: i.SubnetId! }))).NetworkInterface!;
    const p = (
      await sim.ec2.send(
        new CreateNetworkInterfacePermissionCommand({
          NetworkInterfaceId: eni.NetworkInterfaceId!,
          AwsAccountId: "123456789012",
          Permission: "INSTANCE-ATTACH",
        }),
      )
    ).InterfacePermission!;
    expect(p.NetworkInterfacePermissionId).toMatch(/^eni-perm-[0-9a-f]{17}$/);
    expect(p).toMatchObject({
      NetworkInterfaceId: eni.NetworkInterfaceId,
      AwsAccountId: "123456789012",
      Permission: "INSTANCE-ATTACH",
      // Upper case as AWS answers it (CLI example create-network-interface-permission), not the model's "granted".
      PermissionState: { State: "GRANTED" },
    });
    await expectAwsError(
      sim.ec2.send(
        new CreateNetworkInterfacePermissionCommand({
          NetworkInterfaceId: eni.NetworkInterfaceId!,
          AwsAccountId: "123456789012",
          Permission: "INSTANCE-ATTACH",
        }),
      ),
      { name: "InvalidPermission.Duplicate", status: 400 },
    );
    const byEni = await sim.ec2.send(
      new DescribeNetworkInterfacePermissionsCommand({
        Filters: [{ Name: "network-interface-permission.network-interface-id", Values: [eni.NetworkInterfaceId!] }],
      }),
    );
    expect(byEni.NetworkInterfacePermissions!.map((x) => x.NetworkInterfacePermissionId)).toEqual([p.NetworkInterfacePermissionId]);
    await sim.ec2.send(new DeleteNetworkInterfacePermissionCommand({ NetworkInterfacePermissionId: p.NetworkInterfacePermissionId! }));
    await expectAwsError(sim.ec2.send(new DescribeNetworkInterfacePermissionsCommand({ NetworkInterfacePermissionIds: [p.NetworkInterfacePermissionId!] })), {
      name: "InvalidPermissionID.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new DeleteNetworkInterfacePermissionCommand({ NetworkInterfacePermissionId: p.NetworkInterfacePermissionId! })), {
      name: "InvalidPermissionID.NotFound",
      status: 400,
    });
    await expectAwsError(
      sim.ec2.send(
        new CreateNetworkInterfacePermissionCommand({ NetworkInterfaceId: "eni-0123456789abcdef0", AwsAccountId: "123456789012", Permission: "EIP-ASSOCIATE" }),
      ),
      { name: "InvalidNetworkInterfaceID.NotFound", status: 400 },
    );
  });
});

describe("trunk interface associations", () => {
  it("associate branch interfaces with a trunk over VLAN or GRE, describe with filters, disassociate", async () => {
    const i = await runOne(sim.ec2);
    const eni = async (InterfaceType?: "trunk" | "branch") =>
      (await sim.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: i.SubnetId!, InterfaceType }))).NetworkInterface!;
    const trunk = await eni("trunk");
    expect(trunk.InterfaceType).toBe("trunk");
    const b1 = await eni("branch");
    const b2 = await eni("branch");
    const plain = await eni();
    const a1 = (
      await sim.ec2.send(
        new AssociateTrunkInterfaceCommand({ TrunkInterfaceId: trunk.NetworkInterfaceId!, BranchInterfaceId: b1.NetworkInterfaceId!, VlanId: 10 }),
      )
    ).InterfaceAssociation!;
    expect(a1.AssociationId).toMatch(/^trunk-assoc-[0-9a-f]{17}$/);
    expect(a1).toMatchObject({ InterfaceProtocol: "VLAN", VlanId: 10, TrunkInterfaceId: trunk.NetworkInterfaceId, BranchInterfaceId: b1.NetworkInterfaceId });
    await sim.ec2.send(
      new AssociateTrunkInterfaceCommand({ TrunkInterfaceId: trunk.NetworkInterfaceId!, BranchInterfaceId: b2.NetworkInterfaceId!, GreKey: 7 }),
    );
    const gre = await sim.ec2.send(new DescribeTrunkInterfaceAssociationsCommand({ Filters: [{ Name: "interface-protocol", Values: ["GRE"] }] }));
    expect(gre.InterfaceAssociations!.map((a) => [a.BranchInterfaceId, a.GreKey])).toEqual([[b2.NetworkInterfaceId, 7]]);
    await expectAwsError(
      sim.ec2.send(new AssociateTrunkInterfaceCommand({ TrunkInterfaceId: trunk.NetworkInterfaceId!, BranchInterfaceId: b1.NetworkInterfaceId!, VlanId: 11 })),
      { name: "Resource.AlreadyAssociated", status: 400 },
    );
    await expectAwsError(
      sim.ec2.send(new AssociateTrunkInterfaceCommand({ TrunkInterfaceId: plain.NetworkInterfaceId!, BranchInterfaceId: b1.NetworkInterfaceId!, VlanId: 12 })),
      { name: "InvalidParameterValue", status: 400 },
    );
    await sim.ec2.send(new DisassociateTrunkInterfaceCommand({ AssociationId: a1.AssociationId! }));
    await expectAwsError(sim.ec2.send(new DisassociateTrunkInterfaceCommand({ AssociationId: a1.AssociationId! })), {
      name: "InvalidAssociationID.NotFound",
      status: 400,
    });
    expect((await sim.ec2.send(new DescribeTrunkInterfaceAssociationsCommand({}))).InterfaceAssociations).toHaveLength(1);
  });
});

describe("volumes and root volume replacement", () => {
  it("CopyVolumes copies a volume in its zone; EnableVolumeIO checks the volume", async () => {
    const v = await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1b", Size: 10, Encrypted: true }));
    const c = await sim.ec2.send(
      new CopyVolumesCommand({
        SourceVolumeId: v.VolumeId!,
        Size: 12,
        VolumeType: "gp3",
        TagSpecifications: [{ ResourceType: "volume", Tags: [{ Key: "copy", Value: "1" }] }],
      }),
    );
    const copy = c.Volumes![0]!;
    expect(copy).toMatchObject({
      SourceVolumeId: v.VolumeId,
      Size: 12,
      VolumeType: "gp3",
      AvailabilityZone: "us-east-1b",
      Encrypted: true,
      KmsKeyId: v.KmsKeyId,
    });
    const d = (await sim.ec2.send(new DescribeVolumesCommand({ VolumeIds: [copy.VolumeId!] }))).Volumes![0]!;
    expect([d.State, d.Tags]).toEqual(["available", [{ Key: "copy", Value: "1" }]]);
    await expectAwsError(sim.ec2.send(new CopyVolumesCommand({ SourceVolumeId: v.VolumeId!, Size: 5 })), { name: "InvalidParameterValue", status: 400 });
    await sim.ec2.send(new EnableVolumeIOCommand({ VolumeId: v.VolumeId! }));
    await expectAwsError(sim.ec2.send(new EnableVolumeIOCommand({ VolumeId: "vol-0123456789abcdef0" })), { name: "InvalidVolume.NotFound", status: 400 });
  });

  it("CreateReplaceRootVolumeTask swaps the root volume (launch state or a root snapshot)", async () => {
    const i = await runOne(sim.ec2);
    const d0 = await describeInstance(sim.ec2, i.InstanceId!);
    const oldRoot = rootVolume(d0);
    const t = (
      await sim.ec2.send(
        new CreateReplaceRootVolumeTaskCommand({
          InstanceId: i.InstanceId!,
          TagSpecifications: [{ ResourceType: "replace-root-volume-task", Tags: [{ Key: "k", Value: "v" }] }],
        }),
      )
    ).ReplaceRootVolumeTask!;
    expect(t.ReplaceRootVolumeTaskId).toMatch(/^replacevol-[0-9a-f]{17}$/);
    expect(t.TaskState).toBe("pending");
    const d1 = await describeInstance(sim.ec2, i.InstanceId!);
    const newRoot = rootVolume(d1);
    expect(newRoot).not.toBe(oldRoot);
    expect((await sim.ec2.send(new DescribeVolumesCommand({ VolumeIds: [oldRoot] }))).Volumes![0]!.State).toBe("available");
    const listed = await sim.ec2.send(new DescribeReplaceRootVolumeTasksCommand({ Filters: [{ Name: "instance-id", Values: [i.InstanceId!] }] }));
    expect(listed.ReplaceRootVolumeTasks!.map((x) => [x.ReplaceRootVolumeTaskId, x.TaskState, x.DeleteReplacedRootVolume])).toEqual([
      [t.ReplaceRootVolumeTaskId, "succeeded", false],
    ]);
    expect(listed.ReplaceRootVolumeTasks![0]!.Tags).toEqual([{ Key: "k", Value: "v" }]);

    const snap = await sim.ec2.send(new CreateSnapshotCommand({ VolumeId: newRoot }));
    await sim.ec2.send(new CreateReplaceRootVolumeTaskCommand({ InstanceId: i.InstanceId!, SnapshotId: snap.SnapshotId!, DeleteReplacedRootVolume: true }));
    const d2 = await describeInstance(sim.ec2, i.InstanceId!);
    const third = (await sim.ec2.send(new DescribeVolumesCommand({ VolumeIds: [rootVolume(d2)] }))).Volumes![0]!;
    expect(third.SnapshotId).toBe(snap.SnapshotId);
    await expectAwsError(sim.ec2.send(new DescribeVolumesCommand({ VolumeIds: [newRoot] })), { name: "InvalidVolume.NotFound", status: 400 });

    const other = await sim.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 8 }));
    const foreign = await sim.ec2.send(new CreateSnapshotCommand({ VolumeId: other.VolumeId! }));
    await expectAwsError(sim.ec2.send(new CreateReplaceRootVolumeTaskCommand({ InstanceId: i.InstanceId!, SnapshotId: foreign.SnapshotId! })), {
      name: "InvalidParameterValue",
      status: 400,
      message: `Invalid snapshot for root volume for virt ${i.InstanceId}. The snapshot should be of one of the root volumes attached to the instance in the past`,
    });
    const past = await sim.ec2.send(new CreateSnapshotCommand({ VolumeId: oldRoot }));
    await sim.ec2.send(new CreateReplaceRootVolumeTaskCommand({ InstanceId: i.InstanceId!, SnapshotId: past.SnapshotId! }));
    expect(
      (await sim.ec2.send(new DescribeVolumesCommand({ VolumeIds: [rootVolume(await describeInstance(sim.ec2, i.InstanceId!))] }))).Volumes![0]!.SnapshotId,
    ).toBe(past.SnapshotId);
    await sim.ec2.send(new StopInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    await expectAwsError(sim.ec2.send(new CreateReplaceRootVolumeTaskCommand({ InstanceId: i.InstanceId! })), { name: "IncorrectInstanceState", status: 400 });
  });
});

describe("instance types from requirements", () => {
  it("matches vCPUs, memory, architecture and burstable performance against the known types", async () => {
    const r = await sim.ec2.send(
      new GetInstanceTypesFromInstanceRequirementsCommand({
        ArchitectureTypes: ["arm64"],
        VirtualizationTypes: ["hvm"],
        InstanceRequirements: { VCpuCount: { Min: 2, Max: 2 }, MemoryMiB: { Min: 4096, Max: 4096 }, BurstablePerformance: "required" },
      }),
    );
    expect(r.InstanceTypes).toEqual([{ InstanceType: "t4g.medium" }]);
    const x86 = await sim.ec2.send(
      new GetInstanceTypesFromInstanceRequirementsCommand({
        ArchitectureTypes: ["x86_64"],
        VirtualizationTypes: ["hvm"],
        InstanceRequirements: { VCpuCount: { Min: 2, Max: 2 }, MemoryMiB: { Min: 4096, Max: 4096 }, BurstablePerformance: "required" },
      }),
    );
    expect(x86.InstanceTypes!.map((t) => t.InstanceType)).toEqual(["t2.medium", "t3.medium", "t3a.medium"]);
    const none = await sim.ec2.send(
      new GetInstanceTypesFromInstanceRequirementsCommand({
        ArchitectureTypes: ["x86_64"],
        VirtualizationTypes: ["paravirtual"],
        InstanceRequirements: { VCpuCount: { Min: 1 }, MemoryMiB: { Min: 0 } },
      }),
    );
    expect(none.InstanceTypes).toEqual([]);
    await expectAwsError(
      sim.ec2.send(
        new GetInstanceTypesFromInstanceRequirementsCommand({
          ArchitectureTypes: ["x86_64"],
          VirtualizationTypes: ["hvm"],
          InstanceRequirements: { VCpuCount: { Min: 4, Max: 2 }, MemoryMiB: { Min: 0 } },
        }),
      ),
      { name: "InvalidParameterValue", status: 400 },
    );
  });
});

describe("instance topology", () => {
  it("running instances of supported types, placement groups sharing their upper network nodes", async () => {
    await sim.ec2.send(new CreatePlacementGroupCommand({ GroupName: "train", Strategy: "cluster" }));
    const grouped = (
      await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 2, MaxCount: 2, InstanceType: "p5.48xlarge", Placement: { GroupName: "train" } }))
    ).Instances!;
    const big = await runOne(sim.ec2, { InstanceType: "p6-b200.48xlarge" });
    await runOne(sim.ec2);
    const t = await sim.ec2.send(new DescribeInstanceTopologyCommand({}));
    expect(t.Instances!.map((x) => x.InstanceId)).toEqual([...grouped.map((g) => g.InstanceId), big.InstanceId]);
    const [a, b, c] = t.Instances!;
    expect(a!).toMatchObject({ InstanceType: "p5.48xlarge", GroupName: "train", AvailabilityZone: "us-east-1a", ZoneId: "use1-az1" });
    expect(a!.NetworkNodes).toHaveLength(3);
    expect(c!.NetworkNodes).toHaveLength(4);
    expect(a!.NetworkNodes!.slice(0, 2)).toEqual(b!.NetworkNodes!.slice(0, 2));
    expect(a!.NetworkNodes![0]).toMatch(/^nn-[0-9a-f]{17}$/);
    const byGroup = await sim.ec2.send(new DescribeInstanceTopologyCommand({ GroupNames: ["train"], Filters: [{ Name: "instance-type", Values: ["p5*"] }] }));
    expect(byGroup.Instances).toHaveLength(2);
    await sim.ec2.send(new StopInstancesCommand({ InstanceIds: [big.InstanceId!] }));
    expect((await sim.ec2.send(new DescribeInstanceTopologyCommand({ InstanceIds: [big.InstanceId!] }))).Instances).toEqual([]);
    await expectAwsError(sim.ec2.send(new DescribeInstanceTopologyCommand({ GroupNames: ["nope"] })), { name: "InvalidPlacementGroup.Unknown", status: 400 });
  });
});

describe("Mac modification tasks", () => {
  it("SIP modification and volume ownership delegation on Apple silicon Mac instances", async () => {
    const mac = await runOne(sim.ec2, { InstanceType: "mac2-m2.metal" });
    const creds = JSON.stringify({ internalDiskPassword: "", rootVolumeUsername: "ec2-user", rootVolumepassword: "pw" });
    const sip = (
      await sim.ec2.send(
        new CreateMacSystemIntegrityProtectionModificationTaskCommand({
          InstanceId: mac.InstanceId!,
          MacSystemIntegrityProtectionStatus: "disabled",
          MacSystemIntegrityProtectionConfiguration: { NvramProtections: "enabled" },
          MacCredentials: creds,
        }),
      )
    ).MacModificationTask!;
    expect(sip.MacModificationTaskId).toMatch(/^macmodification-[0-9a-f]{17}$/);
    expect(sip).toMatchObject({ TaskState: "pending", TaskType: "sip-modification", InstanceId: mac.InstanceId });
    expect(sip.MacSystemIntegrityProtectionConfig).toMatchObject({ Status: "disabled", NvramProtections: "enabled", KextSigning: "disabled" });
    const own = (await sim.ec2.send(new CreateDelegateMacVolumeOwnershipTaskCommand({ InstanceId: mac.InstanceId!, MacCredentials: creds })))
      .MacModificationTask!;
    const listed = await sim.ec2.send(new DescribeMacModificationTasksCommand({ Filters: [{ Name: "task-type", Values: ["volume-ownership-delegation"] }] }));
    expect(listed.MacModificationTasks!.map((t) => [t.MacModificationTaskId, t.TaskState])).toEqual([[own.MacModificationTaskId, "successful"]]);

    await expectAwsError(
      sim.ec2.send(
        new CreateMacSystemIntegrityProtectionModificationTaskCommand({ InstanceId: mac.InstanceId!, MacSystemIntegrityProtectionStatus: "enabled" }),
      ),
      { name: "MissingParameter", status: 400 },
    );
    const linux = await runOne(sim.ec2);
    await expectAwsError(
      sim.ec2.send(
        new CreateMacSystemIntegrityProtectionModificationTaskCommand({ InstanceId: linux.InstanceId!, MacSystemIntegrityProtectionStatus: "enabled" }),
      ),
      { name: "InvalidParameterValue", status: 400 },
    );
    const intel = await runOne(sim.ec2, { InstanceType: "mac1.metal" });
    await expectAwsError(sim.ec2.send(new CreateDelegateMacVolumeOwnershipTaskCommand({ InstanceId: intel.InstanceId!, MacCredentials: creds })), {
      name: "InvalidParameterValue",
      status: 400,
    });
  });
});
