/** RunInstances applies the account-level settings: metadata defaults, default credits, Allowed AMIs, Dedicated Hosts. */
import {
  AllocateHostsCommand,
  CreateImageCommand,
  CreateLaunchTemplateCommand,
  DescribeHostsCommand,
  DescribeImagesCommand,
  DescribeInstanceCreditSpecificationsCommand,
  DescribeInstancesCommand,
  DisableAllowedImagesSettingsCommand,
  EC2Client,
  EnableAllowedImagesSettingsCommand,
  ModifyDefaultCreditSpecificationCommand,
  ModifyHostsCommand,
  ModifyInstanceMetadataDefaultsCommand,
  ModifyInstancePlacementCommand,
  ReplaceImageCriteriaInAllowedImagesSettingsCommand,
  ReleaseHostsCommand,
  RunInstancesCommand,
  type RunInstancesCommandInput,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { AMI } from "./ec2-fixtures.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

const run = async (extra: Partial<RunInstancesCommandInput> = {}) =>
  (await sim.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, InstanceType: "m5.large", ...extra }))).Instances!;
const runOne = async (extra: Partial<RunInstancesCommandInput> = {}) => (await run(extra))[0]!.InstanceId!;
const describe1 = async (id: string) => (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
const host = async (id: string) => (await sim.ec2.send(new DescribeHostsCommand({ HostIds: [id] }))).Hosts![0]!;

describe("instance metadata defaults at launch", () => {
  it("account defaults apply where the request and launch template leave them unset", async () => {
    const before = (await describe1(await runOne())).MetadataOptions!;
    expect(before).toMatchObject({ HttpTokens: "required", HttpPutResponseHopLimit: 2, HttpEndpoint: "enabled", InstanceMetadataTags: "disabled" });

    await sim.ec2.send(
      new ModifyInstanceMetadataDefaultsCommand({
        HttpTokens: "optional",
        HttpPutResponseHopLimit: 3,
        InstanceMetadataTags: "enabled",
        HttpEndpoint: "disabled",
      }),
    );
    expect((await describe1(await runOne())).MetadataOptions).toMatchObject({
      State: "applied",
      HttpTokens: "optional",
      HttpPutResponseHopLimit: 3,
      HttpEndpoint: "disabled",
      InstanceMetadataTags: "enabled",
    });
    // The request wins field by field.
    const req = await runOne({ MetadataOptions: { HttpTokens: "required", HttpEndpoint: "enabled" } });
    expect((await describe1(req)).MetadataOptions).toMatchObject({
      HttpTokens: "required",
      HttpPutResponseHopLimit: 3,
      HttpEndpoint: "enabled",
      InstanceMetadataTags: "enabled",
    });
    // So does the launch template.
    await sim.ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: "imds",
        LaunchTemplateData: { MetadataOptions: { HttpPutResponseHopLimit: 5, InstanceMetadataTags: "disabled" } },
      }),
    );
    const lt = await runOne({ LaunchTemplate: { LaunchTemplateName: "imds" } });
    expect((await describe1(lt)).MetadataOptions).toMatchObject({
      HttpTokens: "optional",
      HttpPutResponseHopLimit: 5,
      HttpEndpoint: "disabled",
      InstanceMetadataTags: "disabled",
    });
    // Filters see the applied values.
    const byFilter = await sim.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "metadata-options.http-put-response-hop-limit", Values: ["5"] }] }));
    expect(byFilter.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([lt]);

    // no-preference clears the account default: the AMI's (ImdsSupport v2.0) values apply again.
    await sim.ec2.send(
      new ModifyInstanceMetadataDefaultsCommand({
        HttpTokens: "no-preference",
        HttpPutResponseHopLimit: -1,
        InstanceMetadataTags: "no-preference",
        HttpEndpoint: "no-preference",
      }),
    );
    expect((await describe1(await runOne())).MetadataOptions).toMatchObject({
      HttpTokens: "required",
      HttpPutResponseHopLimit: 2,
      HttpEndpoint: "enabled",
      InstanceMetadataTags: "disabled",
    });
    // Existing instances keep what they launched with.
    expect((await describe1(req)).MetadataOptions!.HttpPutResponseHopLimit).toBe(3);
  });
});

describe("default credit specification at launch", () => {
  it("T2 standard, T3/T3a/T4g unlimited, the account default per family, the request over both", async () => {
    const credits = async (id: string) =>
      (await sim.ec2.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [id] }))).InstanceCreditSpecifications![0]!.CpuCredits;
    expect(await credits(await runOne({ InstanceType: "t2.micro" }))).toBe("standard");
    expect(await credits(await runOne({ InstanceType: "t3.micro" }))).toBe("unlimited");

    await sim.ec2.send(new ModifyDefaultCreditSpecificationCommand({ InstanceFamily: "t3", CpuCredits: "standard" }));
    await sim.ec2.send(new ModifyDefaultCreditSpecificationCommand({ InstanceFamily: "t2", CpuCredits: "unlimited" }));
    const t3 = await runOne({ InstanceType: "t3.small" });
    expect(await credits(t3)).toBe("standard");
    expect(await credits(await runOne({ InstanceType: "t2.small" }))).toBe("unlimited");
    expect(await credits(await runOne({ InstanceType: "t3a.micro" }))).toBe("unlimited");
    expect(await credits(await runOne({ InstanceType: "t3.micro", CreditSpecification: { CpuCredits: "unlimited" } }))).toBe("unlimited");
    // Non-burstable types have no credit specification.
    const m5 = await runOne();
    expect((await sim.ec2.send(new DescribeInstanceCreditSpecificationsCommand({}))).InstanceCreditSpecifications!.map((c) => c.InstanceId)).not.toContain(m5);
    expect(
      (await sim.ec2.send(new DescribeInstanceCreditSpecificationsCommand({ Filters: [{ Name: "instance-id", Values: [t3] }] }))).InstanceCreditSpecifications,
    ).toEqual([{ InstanceId: t3, CpuCredits: "standard" }]);
  });
});

describe("Allowed AMIs at launch", () => {
  it("enabled refuses AMIs outside the criteria with InvalidAMIID.NotFound; audit-mode and own AMIs launch", async () => {
    const source = await runOne();
    const own = (await sim.ec2.send(new CreateImageCommand({ InstanceId: source, Name: "own-image" }))).ImageId!;
    await sim.ec2.send(new ReplaceImageCriteriaInAllowedImagesSettingsCommand({ ImageCriteria: [{ ImageProviders: ["111122223333"] }] }));

    await sim.ec2.send(new EnableAllowedImagesSettingsCommand({ AllowedImagesSettingsState: "audit-mode" }));
    expect(await runOne()).toMatch(/^i-/);

    await sim.ec2.send(new EnableAllowedImagesSettingsCommand({ AllowedImagesSettingsState: "enabled" }));
    await expectAwsError(run(), { name: "InvalidAMIID.NotFound", status: 400, message: `The image id '[${AMI}]' does not exist` });
    // The account's own AMIs are never restricted.
    expect(await runOne({ ImageId: own })).toMatch(/^i-/);
    const shown = (await sim.ec2.send(new DescribeImagesCommand({ ImageIds: [own, AMI] }))).Images!;
    // In enabled mode only AMIs that meet the criteria are discoverable (the account's own always are).
    expect(Object.fromEntries(shown.map((i) => [i.ImageId, i.ImageAllowed]))).toEqual({ [own]: true });

    await sim.ec2.send(new ReplaceImageCriteriaInAllowedImagesSettingsCommand({ ImageCriteria: [{ ImageProviders: ["amazon"] }] }));
    expect(await runOne()).toMatch(/^i-/);
    await sim.ec2.send(new ReplaceImageCriteriaInAllowedImagesSettingsCommand({ ImageCriteria: [{ ImageProviders: ["amazon"], ImageNames: ["no-such-*"] }] }));
    await expectAwsError(run(), { name: "InvalidAMIID.NotFound", status: 400 });

    await sim.ec2.send(new DisableAllowedImagesSettingsCommand({}));
    expect(await runOne()).toMatch(/^i-/);
  });
});

describe("Dedicated Host placement at launch", () => {
  it("HostId places the instance on the host, in its zone; DescribeHosts shows it and the capacity left", async () => {
    const [h] = (await sim.ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1b", InstanceType: "m5.large" }))).HostIds!;
    const id = await runOne({ Placement: { HostId: h } });
    const i = await describe1(id);
    expect(i.Placement).toMatchObject({ AvailabilityZone: "us-east-1b", Tenancy: "host", HostId: h, Affinity: "default" });
    const d = await host(h!);
    expect(d.Instances).toEqual([{ InstanceId: id, InstanceType: "m5.large", OwnerId: expect.any(String) }]);
    expect(d.AvailableCapacity).toEqual({
      AvailableInstanceCapacity: [{ InstanceType: "m5.large", AvailableCapacity: 47, TotalCapacity: 48 }],
      AvailableVCpus: 94,
    });
    expect((await describe1(await runOne({ Placement: { HostId: h, Affinity: "host", Tenancy: "host" } }))).Placement!.Affinity).toBe("host");
    expect((await host(h!)).Instances).toHaveLength(2);
    const onHost = await sim.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "host-id", Values: [h!] }] }));
    expect(onHost.Reservations!.flatMap((r) => r.Instances!)).toHaveLength(2);
    const sticky = await sim.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "affinity", Values: ["host"] }] }));
    expect(sticky.Reservations!.flatMap((r) => r.Instances!)).toHaveLength(1);

    // Terminated instances leave the host.
    await sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect((await host(h!)).Instances!.map((x) => x.InstanceId)).not.toContain(id);
  });

  it("AWS's errors: unknown host, incompatible type, no capacity; MinCount/MaxCount against capacity", async () => {
    await expectAwsError(run({ Placement: { HostId: "h-0123456789abcdef0" } }), {
      name: "InvalidHostID.NotFound",
      status: 400,
      message: "The host ID 'h-0123456789abcdef0' does not exist",
    });
    await expectAwsError(run({ Placement: { HostId: "host-1" } }), { name: "InvalidHostId.Malformed", status: 400 });
    const [big] = (await sim.ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", InstanceType: "m5.24xlarge" }))).HostIds!;
    await expectAwsError(run({ Placement: { HostId: big }, InstanceType: "c5.large" }), { name: "IncompatibleHostRequirements", status: 400 });
    await expectAwsError(run({ Placement: { HostId: big, Affinity: "sticky" }, InstanceType: "m5.24xlarge" }), { name: "InvalidAffinity", status: 400 });
    await expectAwsError(run({ Placement: { HostId: big, Tenancy: "dedicated" }, InstanceType: "m5.24xlarge" }), {
      name: "InvalidParameterCombination",
      status: 400,
    });
    // One m5.24xlarge fills the host: of MaxCount 3 one launches, the next launch finds no room.
    expect(await run({ Placement: { HostId: big }, InstanceType: "m5.24xlarge", MaxCount: 3 })).toHaveLength(1);
    await expectAwsError(run({ Placement: { HostId: big }, InstanceType: "m5.24xlarge" }), { name: "InsufficientCapacityOnHost", status: 400 });
    expect((await host(big!)).AvailableCapacity).toMatchObject({ AvailableVCpus: 0 });
  });

  it("stopped instances leave the host: ReleaseHosts refuses occupied hosts, StartInstances finds room by affinity", async () => {
    const [h1] = (await sim.ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1c", InstanceType: "m5.24xlarge" }))).HostIds!;
    const sticky = await runOne({ Placement: { HostId: h1, Affinity: "host" }, InstanceType: "m5.24xlarge" });
    const rel = await sim.ec2.send(new ReleaseHostsCommand({ HostIds: [h1!] }));
    expect(rel.Successful).toEqual([]);
    expect(rel.Unsuccessful![0]).toMatchObject({ ResourceId: h1, Error: { Code: "Client.InvalidHost.Occupied" } });

    await sim.ec2.send(new StopInstancesCommand({ InstanceIds: [sticky] }));
    expect((await host(h1!)).Instances).toEqual([]);
    expect((await describe1(sticky)).Placement).toMatchObject({ HostId: h1, Affinity: "host" });
    // Another instance takes the room; the host-affine instance can't start.
    const other = await runOne({ Placement: { HostId: h1 }, InstanceType: "m5.24xlarge" });
    await expectAwsError(sim.ec2.send(new StartInstancesCommand({ InstanceIds: [sticky] })), { name: "InsufficientCapacityOnHost", status: 400 });
    await sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [other] }));
    await sim.ec2.send(new StartInstancesCommand({ InstanceIds: [sticky] }));
    expect((await host(h1!)).Instances!.map((i) => i.InstanceId)).toEqual([sticky]);

    // Affinity default: a stopped instance whose host is gone restarts on a host with auto-placement on.
    const [h2] = (await sim.ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1c", InstanceType: "m5.large" }))).HostIds!;
    const loose = await runOne({ Placement: { HostId: h2 } });
    await sim.ec2.send(new StopInstancesCommand({ InstanceIds: [loose] }));
    expect((await sim.ec2.send(new ReleaseHostsCommand({ HostIds: [h2!] }))).Successful).toEqual([h2]);
    await expectAwsError(sim.ec2.send(new StartInstancesCommand({ InstanceIds: [loose] })), { name: "InsufficientCapacityOnHost", status: 400 });
    const [h3] = (await sim.ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1c", InstanceFamily: "m5", AutoPlacement: "on" }))).HostIds!;
    await sim.ec2.send(new StartInstancesCommand({ InstanceIds: [loose] }));
    expect((await describe1(loose)).Placement).toMatchObject({ HostId: h3, Tenancy: "host" });
    expect((await host(h3!)).Instances!.map((i) => i.InstanceId)).toEqual([loose]);
  });

  it("Tenancy host without a HostId uses hosts with auto-placement on", async () => {
    const [h] = (await sim.ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", InstanceFamily: "m5", AutoPlacement: "off" }))).HostIds!;
    const untargeted = {
      Placement: { Tenancy: "host", AvailabilityZone: "us-east-1a" },
      InstanceType: "m5.4xlarge",
    } satisfies Partial<RunInstancesCommandInput>;
    await expectAwsError(run(untargeted), { name: "IncompatibleHostRequirements", status: 400 });
    // A host that doesn't take the type doesn't count either.
    await sim.ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", InstanceType: "c5.large", AutoPlacement: "on" }));
    await expectAwsError(run(untargeted), { name: "IncompatibleHostRequirements", status: 400 });

    await sim.ec2.send(new ModifyHostsCommand({ HostIds: [h!], AutoPlacement: "on" }));
    const placed = await run({ ...untargeted, MaxCount: 10 });
    // An m5 host has 96 vCPUs; an m5.4xlarge takes 16: six fit.
    expect(placed).toHaveLength(6);
    for (const i of placed) expect(i.Placement).toMatchObject({ Tenancy: "host", HostId: h, AvailabilityZone: "us-east-1a" });
    const d = await host(h!);
    expect(d.Instances).toHaveLength(6);
    expect(d.AvailableCapacity!.AvailableVCpus).toBe(0);
    await expectAwsError(run(untargeted), { name: "InsufficientCapacityOnHost", status: 400 });
    // Affinity host without a host id: pinned to the host it lands on.
    await sim.ec2.send(new TerminateInstancesCommand({ InstanceIds: [placed[0]!.InstanceId!] }));
    const pinned = await run({ ...untargeted, Placement: { ...untargeted.Placement, Affinity: "host" } });
    expect(pinned[0]!.Placement).toMatchObject({ HostId: h, Affinity: "host" });
    // DryRun checks placement before answering.
    await expectAwsError(run({ ...untargeted, DryRun: true }), { name: "InsufficientCapacityOnHost", status: 400 });
  });

  it("ModifyInstancePlacement moves a stopped instance onto a host, changes affinity, and back to dedicated", async () => {
    const [h] = (await sim.ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1d", InstanceType: "m5.large" }))).HostIds!;
    const id = await runOne({ Placement: { AvailabilityZone: "us-east-1d" } });
    await expectAwsError(sim.ec2.send(new ModifyInstancePlacementCommand({ InstanceId: id, HostId: h })), { name: "IncorrectInstanceState", status: 400 });
    await sim.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await expectAwsError(sim.ec2.send(new ModifyInstancePlacementCommand({ InstanceId: id, HostId: "h-0123456789abcdef0" })), {
      name: "InvalidHostID.NotFound",
      status: 400,
    });
    const [far] = (await sim.ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", InstanceType: "m5.large" }))).HostIds!;
    await expectAwsError(sim.ec2.send(new ModifyInstancePlacementCommand({ InstanceId: id, HostId: far })), {
      name: "IncompatibleHostRequirements",
      status: 400,
    });

    expect((await sim.ec2.send(new ModifyInstancePlacementCommand({ InstanceId: id, HostId: h, Affinity: "host" }))).Return).toBe(true);
    expect((await describe1(id)).Placement).toMatchObject({ Tenancy: "host", HostId: h, Affinity: "host" });
    expect((await host(h!)).Instances).toEqual([]);
    await sim.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    expect((await host(h!)).Instances!.map((i) => i.InstanceId)).toEqual([id]);
    // Affinity alone may change while the instance runs.
    await sim.ec2.send(new ModifyInstancePlacementCommand({ InstanceId: id, Affinity: "default" }));
    expect((await describe1(id)).Placement!.Affinity).toBe("default");

    await sim.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await sim.ec2.send(new ModifyInstancePlacementCommand({ InstanceId: id, Tenancy: "dedicated" }));
    const p = (await describe1(id)).Placement!;
    expect(p.Tenancy).toBe("dedicated");
    expect(p.HostId).toBeUndefined();
    await sim.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    expect((await host(h!)).Instances).toEqual([]);

    // Tenancy host without a zone or subnet goes to the zone of an auto-placement host.
    const [auto] = (await sim.ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1d", InstanceFamily: "c5", AutoPlacement: "on" }))).HostIds!;
    const anyZone = (await run({ Placement: { Tenancy: "host" }, InstanceType: "c5.xlarge" }))[0]!;
    expect(anyZone.Placement).toMatchObject({ AvailabilityZone: "us-east-1d", HostId: auto, Tenancy: "host" });
    expect(anyZone.SubnetId).toBeDefined();
  });
});
