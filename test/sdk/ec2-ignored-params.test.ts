/**
 * EC2 request parameters awsim used to ignore, which clients set and read back: RunInstances' EnclaveOptions and
 * MaintenanceOptions (also from a launch template), CreateVpcEndpoint / ModifyVpcEndpoint's IpAddressType and
 * DnsOptions, CreateSubnet's Ipv6Native and RegisterImage's VirtualizationType.
 */
import {
  CreateIpamCommand,
  CreateLaunchTemplateCommand,
  CreateSnapshotCommand,
  CreateSubnetCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DescribeImagesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  GetIpamResourceCidrsCommand,
  EC2Client,
  ModifyInstanceMaintenanceOptionsCommand,
  ModifySubnetAttributeCommand,
  ModifyVpcEndpointCommand,
  RegisterImageCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { AMI } from "./ec2-fixtures.js";

const SVC = (name: string) => `com.amazonaws.us-east-1.${name}`;

describe("EC2 parameters that are stored and read back", () => {
  const t = useServer({}, (cfg) => ({ ec2: new EC2Client(cfg) }));

  const instance = async (id: string) => (await t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
  const filtered = async (name: string, value: string) =>
    (await t.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: name, Values: [value] }] }))).Reservations!.flatMap((r) =>
      r.Instances!.map((i) => i.InstanceId),
    );

  it("RunInstances keeps EnclaveOptions and MaintenanceOptions: DescribeInstances, its filters and DescribeInstanceAttribute show them", async () => {
    const run = await t.ec2.send(
      new RunInstancesCommand({
        ImageId: AMI,
        InstanceType: "m5.xlarge",
        MinCount: 1,
        MaxCount: 1,
        EnclaveOptions: { Enabled: true },
        MaintenanceOptions: { AutoRecovery: "disabled" },
      }),
    );
    const id = run.Instances![0]!.InstanceId!;
    expect(run.Instances![0]!.EnclaveOptions).toEqual({ Enabled: true });
    expect(run.Instances![0]!.MaintenanceOptions).toEqual({ AutoRecovery: "disabled", RebootMigration: "default" });
    const plain = (await t.ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: "m5.xlarge", MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;

    const i = await instance(id);
    expect(i.EnclaveOptions).toEqual({ Enabled: true });
    expect(i.MaintenanceOptions).toEqual({ AutoRecovery: "disabled", RebootMigration: "default" });
    const p = await instance(plain);
    expect(p.EnclaveOptions).toEqual({ Enabled: false });
    expect(p.MaintenanceOptions).toEqual({ AutoRecovery: "default", RebootMigration: "default" });

    expect(await filtered("enclave-options.enabled", "true")).toContain(id);
    expect(await filtered("enclave-options.enabled", "true")).not.toContain(plain);
    expect(await filtered("enclave-options.enabled", "false")).toContain(plain);
    expect(await filtered("maintenance-options.auto-recovery", "disabled")).toEqual([id]);
    expect(await filtered("maintenance-options.auto-recovery", "default")).toContain(plain);

    const attr = await t.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: "enclaveOptions" }));
    expect(attr.EnclaveOptions).toEqual({ Enabled: true });
    const attrPlain = await t.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: plain, Attribute: "enclaveOptions" }));
    expect(attrPlain.EnclaveOptions).toEqual({ Enabled: false });

    // ModifyInstanceMaintenanceOptions changes what RunInstances set.
    const mod = await t.ec2.send(new ModifyInstanceMaintenanceOptionsCommand({ InstanceId: id, AutoRecovery: "default" }));
    expect(mod.AutoRecovery).toBe("default");
    expect((await instance(id)).MaintenanceOptions!.AutoRecovery).toBe("default");
  });

  it("RunInstances takes EnclaveOptions and MaintenanceOptions from its launch template's data; the request's own values win", async () => {
    const lt = (
      await t.ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: "enclave-lt",
          LaunchTemplateData: { ImageId: AMI, InstanceType: "c5.xlarge", EnclaveOptions: { Enabled: true }, MaintenanceOptions: { AutoRecovery: "disabled" } },
        }),
      )
    ).LaunchTemplate!;
    const fromTemplate = (await t.ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplateId } })))
      .Instances![0]!.InstanceId!;
    const i = await instance(fromTemplate);
    expect(i.EnclaveOptions).toEqual({ Enabled: true });
    expect(i.MaintenanceOptions!.AutoRecovery).toBe("disabled");

    const overridden = (
      await t.ec2.send(
        new RunInstancesCommand({
          MinCount: 1,
          MaxCount: 1,
          LaunchTemplate: { LaunchTemplateName: "enclave-lt" },
          EnclaveOptions: { Enabled: false },
          MaintenanceOptions: { AutoRecovery: "default" },
        }),
      )
    ).Instances![0]!.InstanceId!;
    const o = await instance(overridden);
    expect(o.EnclaveOptions).toEqual({ Enabled: false });
    expect(o.MaintenanceOptions!.AutoRecovery).toBe("default");
  });

  it("Nitro Enclaves and hibernation cannot both be enabled on an instance", async () => {
    await expectAwsError(
      t.ec2.send(
        new RunInstancesCommand({
          ImageId: AMI,
          InstanceType: "m5.xlarge",
          MinCount: 1,
          MaxCount: 1,
          EnclaveOptions: { Enabled: true },
          HibernationOptions: { Configured: true },
        }),
      ),
      { name: "InvalidParameterCombination", status: 400 },
    );
  });

  /** A VPC with an Amazon IPv6 block, and the /64 number n of it. */
  const ipv6Vpc = async (cidr: string) => {
    const vpc = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: cidr, AmazonProvidedIpv6CidrBlock: true }))).Vpc!.VpcId!;
    const block = (await t.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpc] }))).Vpcs![0]!.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock!;
    const six = (n: number) => block.replace(/00::\/56$/, `0${n}::/64`);
    return { vpc, six };
  };
  const endpoint = async (id: string) => (await t.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] }))).VpcEndpoints![0]!;

  it("CreateVpcEndpoint keeps IpAddressType and DnsOptions; ModifyVpcEndpoint changes them; the ip-address-type filter matches", async () => {
    const { vpc, six } = await ipv6Vpc("10.81.0.0/16");
    const dual = (await t.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.81.1.0/24", Ipv6CidrBlock: six(1), AvailabilityZone: "us-east-1a" })))
      .Subnet!.SubnetId!;
    const v4 = (await t.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.81.2.0/24", AvailabilityZone: "us-east-1b" }))).Subnet!.SubnetId!;

    const created = (
      await t.ec2.send(
        new CreateVpcEndpointCommand({
          VpcId: vpc,
          ServiceName: SVC("ec2"),
          VpcEndpointType: "Interface",
          SubnetIds: [dual],
          IpAddressType: "dualstack",
          DnsOptions: { DnsRecordIpType: "dualstack" },
        }),
      )
    ).VpcEndpoint!;
    expect(created.IpAddressType).toBe("dualstack");
    expect(created.DnsOptions!.DnsRecordIpType).toBe("dualstack");
    const e = await endpoint(created.VpcEndpointId!);
    expect(e.IpAddressType).toBe("dualstack");
    expect(e.DnsOptions!.DnsRecordIpType).toBe("dualstack");
    // A dualstack endpoint's network interface has an IPv6 address besides its IPv4 one.
    const eni = (await t.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: e.NetworkInterfaceIds }))).NetworkInterfaces![0]!;
    expect(eni.PrivateIpAddress).toMatch(/^10\.81\.1\./);
    expect(eni.Ipv6Addresses).toHaveLength(1);

    const byType = async (v: string) =>
      (await t.ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: "ip-address-type", Values: [v] }] }))).VpcEndpoints!.map((x) => x.VpcEndpointId);
    expect(await byType("dualstack")).toEqual([created.VpcEndpointId]);

    // service-defined needs a dualstack endpoint: this one is.
    await t.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: created.VpcEndpointId!, DnsOptions: { DnsRecordIpType: "service-defined" } }));
    expect((await endpoint(created.VpcEndpointId!)).DnsOptions!.DnsRecordIpType).toBe("service-defined");
    // Back to an IPv4 endpoint with IPv4 records.
    await t.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: created.VpcEndpointId!, IpAddressType: "ipv4", DnsOptions: { DnsRecordIpType: "ipv4" } }));
    const back = await endpoint(created.VpcEndpointId!);
    expect(back.IpAddressType).toBe("ipv4");
    expect(back.DnsOptions!.DnsRecordIpType).toBe("ipv4");
    expect(await byType("dualstack")).toEqual([]);
    expect(await byType("ipv4")).toContain(created.VpcEndpointId);

    // Without them: an IPv4 endpoint with IPv4 records.
    const plain = (await t.ec2.send(new CreateVpcEndpointCommand({ VpcId: vpc, ServiceName: SVC("sts"), VpcEndpointType: "Interface", SubnetIds: [v4] })))
      .VpcEndpoint!;
    expect(plain.IpAddressType).toBe("ipv4");
    expect(plain.DnsOptions!.DnsRecordIpType).toBe("ipv4");

    // A gateway endpoint keeps its IP address type and DNS options too.
    const gw = (
      await t.ec2.send(
        new CreateVpcEndpointCommand({ VpcId: vpc, ServiceName: SVC("s3"), IpAddressType: "dualstack", DnsOptions: { DnsRecordIpType: "dualstack" } }),
      )
    ).VpcEndpoint!;
    const g = await endpoint(gw.VpcEndpointId!);
    expect(g.VpcEndpointType).toBe("Gateway");
    expect(g.IpAddressType).toBe("dualstack");
    expect(g.DnsOptions!.DnsRecordIpType).toBe("dualstack");
  });

  it("IpAddressType must fit the subnets' ranges, and DnsRecordIpType the IP address type", async () => {
    const { vpc, six } = await ipv6Vpc("10.82.0.0/16");
    const dual = (await t.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.82.1.0/24", Ipv6CidrBlock: six(1), AvailabilityZone: "us-east-1a" })))
      .Subnet!.SubnetId!;
    const v4 = (await t.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.82.2.0/24", AvailabilityZone: "us-east-1b" }))).Subnet!.SubnetId!;
    const create = (extra: Record<string, unknown>) =>
      t.ec2.send(new CreateVpcEndpointCommand({ VpcId: vpc, ServiceName: SVC("ec2"), VpcEndpointType: "Interface", ...extra }));
    const bad = { name: "InvalidParameterCombination", status: 400 };
    // dualstack needs both ranges in every subnet; ipv6 needs IPv6-only subnets.
    await expectAwsError(create({ SubnetIds: [v4], IpAddressType: "dualstack" }), bad);
    await expectAwsError(create({ SubnetIds: [dual], IpAddressType: "ipv6" }), bad);
    // ipv6 records need an ipv6 or dualstack endpoint; dualstack and service-defined a dualstack one.
    await expectAwsError(create({ SubnetIds: [dual], DnsOptions: { DnsRecordIpType: "ipv6" } }), bad);
    await expectAwsError(create({ SubnetIds: [dual], DnsOptions: { DnsRecordIpType: "dualstack" } }), bad);
    await expectAwsError(create({ SubnetIds: [dual], DnsOptions: { DnsRecordIpType: "service-defined" } }), bad);
    // ipv4 records on a dualstack endpoint are allowed.
    const ok = (await create({ SubnetIds: [dual], IpAddressType: "dualstack", DnsOptions: { DnsRecordIpType: "ipv4" } })).VpcEndpoint!;
    expect(ok.DnsOptions!.DnsRecordIpType).toBe("ipv4");
    // Modify checks the same: a dualstack endpoint cannot take an IPv4-only subnet; IPv6 records need IPv6 addresses.
    await expectAwsError(t.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: ok.VpcEndpointId!, IpAddressType: "ipv6" })), bad);
    const plain = (await create({ SubnetIds: [v4] })).VpcEndpoint!;
    await expectAwsError(t.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: plain.VpcEndpointId!, IpAddressType: "dualstack" })), bad);
    await expectAwsError(t.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: plain.VpcEndpointId!, DnsOptions: { DnsRecordIpType: "ipv6" } })), bad);
    expect((await endpoint(plain.VpcEndpointId!)).DnsOptions!.DnsRecordIpType).toBe("ipv4");
    await expectAwsError(t.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: "vpce-0123456789abcdef0", DnsOptions: { DnsRecordIpType: "ipv4" } })), {
      name: "InvalidVpcEndpointId.NotFound",
      status: 400,
    });
  });

  it("PrivateDnsOnlyForInboundResolverEndpoint is kept for a service with both endpoint types, refused for others", async () => {
    const vpc = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: "10.83.0.0/16" }))).Vpc!.VpcId!;
    const sub = (await t.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.83.1.0/24", AvailabilityZone: "us-east-1a" }))).Subnet!.SubnetId!;
    const s3 = (
      await t.ec2.send(
        new CreateVpcEndpointCommand({
          VpcId: vpc,
          ServiceName: SVC("s3"),
          VpcEndpointType: "Interface",
          SubnetIds: [sub],
          DnsOptions: { PrivateDnsOnlyForInboundResolverEndpoint: true },
        }),
      )
    ).VpcEndpoint!;
    expect((await endpoint(s3.VpcEndpointId!)).DnsOptions).toEqual({ DnsRecordIpType: "ipv4", PrivateDnsOnlyForInboundResolverEndpoint: true });
    await t.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: s3.VpcEndpointId!, DnsOptions: { PrivateDnsOnlyForInboundResolverEndpoint: false } }));
    expect((await endpoint(s3.VpcEndpointId!)).DnsOptions).toEqual({ DnsRecordIpType: "ipv4", PrivateDnsOnlyForInboundResolverEndpoint: false });
    await expectAwsError(
      t.ec2.send(
        new CreateVpcEndpointCommand({
          VpcId: vpc,
          ServiceName: SVC("ec2"),
          VpcEndpointType: "Interface",
          SubnetIds: [sub],
          DnsOptions: { PrivateDnsOnlyForInboundResolverEndpoint: true },
        }),
      ),
      { name: "InvalidParameterCombination", status: 400 },
    );
  });

  it("CreateSubnet with Ipv6Native makes an IPv6-only subnet: no IPv4 CIDR block, resource-name hostnames", async () => {
    const { vpc, six } = await ipv6Vpc("10.84.0.0/16");
    const created = (await t.ec2.send(new CreateSubnetCommand({ VpcId: vpc, Ipv6Native: true, Ipv6CidrBlock: six(3), AvailabilityZone: "us-east-1c" })))
      .Subnet!;
    expect(created.Ipv6Native).toBe(true);
    expect(created.CidrBlock).toBeUndefined();
    const sub = (await t.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [created.SubnetId!] }))).Subnets![0]!;
    expect(sub.Ipv6Native).toBe(true);
    expect(sub.CidrBlock).toBeUndefined();
    expect(sub.AvailabilityZone).toBe("us-east-1c");
    expect(sub.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock).toBe(six(3));
    expect(sub.PrivateDnsNameOptionsOnLaunch!.HostnameType).toBe("resource-name");
    const dual = (await t.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.84.1.0/24", Ipv6CidrBlock: six(4) }))).Subnet!;
    expect(dual.Ipv6Native).toBe(false);

    const native = async (v: string) =>
      (
        await t.ec2.send(
          new DescribeSubnetsCommand({
            Filters: [
              { Name: "vpc-id", Values: [vpc] },
              { Name: "ipv6-native", Values: [v] },
            ],
          }),
        )
      ).Subnets!.map((x) => x.SubnetId);
    expect(await native("true")).toEqual([created.SubnetId]);
    expect(await native("false")).toEqual([dual.SubnetId]);

    // Its instances' DNS names must be based on the instance ID.
    await expectAwsError(t.ec2.send(new ModifySubnetAttributeCommand({ SubnetId: created.SubnetId!, PrivateDnsHostnameTypeOnLaunch: "ip-name" })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    await t.ec2.send(new ModifySubnetAttributeCommand({ SubnetId: created.SubnetId!, PrivateDnsHostnameTypeOnLaunch: "resource-name" }));

    // An IPv6-only subnet takes no IPv4 CIDR block and needs an IPv6 one.
    await expectAwsError(t.ec2.send(new CreateSubnetCommand({ VpcId: vpc, Ipv6Native: true, CidrBlock: "10.84.2.0/24", Ipv6CidrBlock: six(5) })), {
      name: "InvalidParameterCombination",
      status: 400,
    });
    await expectAwsError(t.ec2.send(new CreateSubnetCommand({ VpcId: vpc, Ipv6Native: true })), { name: "MissingParameter", status: 400 });
    // A /64 of another subnet is a conflict, as for any subnet.
    await expectAwsError(t.ec2.send(new CreateSubnetCommand({ VpcId: vpc, Ipv6Native: true, Ipv6CidrBlock: six(3) })), {
      name: "InvalidSubnet.Conflict",
      status: 400,
    });
    expect(await native("true")).toEqual([created.SubnetId]);

    // Everything else keeps answering with an IPv6-only subnet about: IPAM's resource CIDRs (no IPv4 row for it), and
    // launching a type without IPv6 support (the default m1.small) into it is refused with an EC2 error.
    const ipam = (await t.ec2.send(new CreateIpamCommand({ OperatingRegions: [{ RegionName: "us-east-1" }] }))).Ipam!;
    const cidrs = await t.ec2.send(new GetIpamResourceCidrsCommand({ IpamScopeId: ipam.PrivateDefaultScopeId!, ResourceType: "subnet" }));
    expect(cidrs.IpamResourceCidrs!.some((c) => c.ResourceId === dual.SubnetId)).toBe(true);
    expect(cidrs.IpamResourceCidrs!.some((c) => c.ResourceId === created.SubnetId)).toBe(false);
    const launch = await t.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, SubnetId: created.SubnetId! })).then(
      () => undefined,
      (e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode,
    );
    expect(launch).toBe(400);
  });

  it("RegisterImage keeps VirtualizationType: DescribeImages and its virtualization-type filter show it", async () => {
    const vol = (await t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 8 }))).VolumeId!;
    const snap = (await t.ec2.send(new CreateSnapshotCommand({ VolumeId: vol }))).SnapshotId!;
    const reg = (name: string, extra = {}) =>
      t.ec2.send(
        new RegisterImageCommand({
          Name: name,
          RootDeviceName: "/dev/sda1",
          BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { SnapshotId: snap } }],
          ...extra,
        }),
      );
    const pv = (await reg("pv-image", { VirtualizationType: "paravirtual" })).ImageId!;
    const hvm = (await reg("hvm-image", { VirtualizationType: "hvm" })).ImageId!;
    const images = (await t.ec2.send(new DescribeImagesCommand({ ImageIds: [pv, hvm] }))).Images!;
    expect(Object.fromEntries(images.map((i) => [i.ImageId, i.VirtualizationType]))).toEqual({ [pv]: "paravirtual", [hvm]: "hvm" });
    const byType = (await t.ec2.send(new DescribeImagesCommand({ Owners: ["self"], Filters: [{ Name: "virtualization-type", Values: ["paravirtual"] }] })))
      .Images!;
    expect(byType.map((i) => i.ImageId)).toEqual([pv]);
    await expectAwsError(reg("bad-image", { VirtualizationType: "full" }), { name: "InvalidParameterValue", status: 400 });
  });
});
