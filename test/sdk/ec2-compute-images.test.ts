import {
  ConfirmProductInstanceCommand,
  CreateImageCommand,
  CreateImageUsageReportCommand,
  CopyImageCommand,
  GetImageAncestryCommand,
  DeleteImageUsageReportCommand,
  DescribeImageUsageReportEntriesCommand,
  DescribeImageUsageReportsCommand,
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  DeregisterImageCommand,
  DescribeFastLaunchImagesCommand,
  DescribeImageReferencesCommand,
  DisableFastLaunchCommand,
  EC2Client,
  EnableFastLaunchCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  paginateDescribeImageReferences,
  ModifyImageAttributeCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const LINUX = "ami-0abcdef1234567890";
const WINDOWS = "ami-05b4ded3ceb71e470";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

const run = async (ImageId: string) => (await sim.ec2.send(new RunInstancesCommand({ ImageId, MinCount: 1, MaxCount: 1 }))).Instances![0]!;
const imageOf = async (ImageId: string, Name: string) => {
  const i = await run(ImageId);
  return (await sim.ec2.send(new CreateImageCommand({ InstanceId: i.InstanceId!, Name }))).ImageId!;
};

describe("Windows fast launch", () => {
  it("enable on an own Windows AMI with a launch template, describe with filters, disable", async () => {
    const win = await imageOf(WINDOWS, "win-base");
    const lt = (await sim.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "flt", LaunchTemplateData: { InstanceType: "t3.large" } })))
      .LaunchTemplate!;
    const en = await sim.ec2.send(
      new EnableFastLaunchCommand({
        ImageId: win,
        MaxParallelLaunches: 8,
        SnapshotConfiguration: { TargetResourceCount: 10 },
        LaunchTemplate: { LaunchTemplateName: "flt", Version: "1" },
      }),
    );
    expect(en).toMatchObject({
      ImageId: win,
      ResourceType: "snapshot",
      State: "enabling",
      MaxParallelLaunches: 8,
      SnapshotConfiguration: { TargetResourceCount: 10 },
      LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplateId, LaunchTemplateName: "flt", Version: "1" },
      OwnerId: "000000000000",
    });
    const d = await sim.ec2.send(new DescribeFastLaunchImagesCommand({ Filters: [{ Name: "state", Values: ["enabled"] }] }));
    expect(d.FastLaunchImages!.map((x) => [x.ImageId, x.State])).toEqual([[win, "enabled"]]);
    const dis = await sim.ec2.send(new DisableFastLaunchCommand({ ImageId: win }));
    expect(dis.State).toBe("disabling");
    expect((await sim.ec2.send(new DescribeFastLaunchImagesCommand({}))).FastLaunchImages).toEqual([]);
    await expectAwsError(sim.ec2.send(new DisableFastLaunchCommand({ ImageId: win })), { name: "InvalidParameterValue", status: 400 });

    const linux = await imageOf(LINUX, "linux-base");
    await expectAwsError(sim.ec2.send(new EnableFastLaunchCommand({ ImageId: linux })), { name: "InvalidParameterValue", status: 400 });
    await expectAwsError(sim.ec2.send(new EnableFastLaunchCommand({ ImageId: win, MaxParallelLaunches: 2 })), { name: "InvalidParameterValue", status: 400 });
    await expectAwsError(sim.ec2.send(new EnableFastLaunchCommand({ ImageId: win, LaunchTemplate: { LaunchTemplateName: "nope", Version: "1" } })), {
      name: "InvalidLaunchTemplateName.NotFoundException",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new EnableFastLaunchCommand({ ImageId: "ami-0123456789abcdef0" })), { name: "InvalidAMIID.NotFound", status: 400 });

    await sim.ec2.send(new EnableFastLaunchCommand({ ImageId: win }));
    await sim.ec2.send(new DeregisterImageCommand({ ImageId: win }));
    expect((await sim.ec2.send(new DescribeFastLaunchImagesCommand({}))).FastLaunchImages).toEqual([]);
  });
});

describe("image references", () => {
  it("instances and launch-template versions that use an image, with state-name and version-depth", async () => {
    const a = await run(LINUX);
    const b = await run(LINUX);
    await sim.ec2.send(new StopInstancesCommand({ InstanceIds: [b.InstanceId!] }));
    const lt = (await sim.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "web", LaunchTemplateData: { ImageId: LINUX } }))).LaunchTemplate!;
    for (let n = 0; n < 3; n++)
      await sim.ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: lt.LaunchTemplateId!, LaunchTemplateData: { ImageId: WINDOWS } }));

    const all = await sim.ec2.send(new DescribeImageReferencesCommand({ ImageIds: [LINUX], IncludeAllResourceTypes: true }));
    const arn = (kind: string, id: string) => `arn:aws:ec2:us-east-1:000000000000:${kind}/${id}`;
    expect(all.ImageReferences).toEqual([
      { ImageId: LINUX, ResourceType: "ec2:Instance", Arn: arn("instance", a.InstanceId!) },
      { ImageId: LINUX, ResourceType: "ec2:Instance", Arn: arn("instance", b.InstanceId!) },
      { ImageId: LINUX, ResourceType: "ec2:LaunchTemplate", Arn: arn("launch-template", lt.LaunchTemplateId!) },
    ]);
    const running = await sim.ec2.send(
      new DescribeImageReferencesCommand({
        ImageIds: [LINUX],
        ResourceTypes: [
          { ResourceType: "ec2:Instance", ResourceTypeOptions: [{ OptionName: "state-name", OptionValues: ["running"] }] },
          { ResourceType: "ec2:LaunchTemplate", ResourceTypeOptions: [{ OptionName: "version-depth", OptionValues: ["2"] }] },
        ],
      }),
    );
    expect(running.ImageReferences!.map((r) => r.Arn)).toEqual([arn("instance", a.InstanceId!)]);
    await sim.ec2.send(new RunInstancesCommand({ ImageId: LINUX, MinCount: 4, MaxCount: 4 }));
    const pages: number[] = [];
    const seen = new Set<string>();
    for await (const p of paginateDescribeImageReferences({ client: sim.ec2, pageSize: 5 }, { ImageIds: [LINUX, WINDOWS], IncludeAllResourceTypes: true })) {
      pages.push(p.ImageReferences!.length);
      for (const r of p.ImageReferences!) seen.add(`${r.ImageId} ${r.Arn}`);
    }
    expect(pages).toEqual([5, 3]);
    expect(seen.size).toBe(8);

    await expectAwsError(sim.ec2.send(new DescribeImageReferencesCommand({ ImageIds: [LINUX] })), { name: "MissingParameter", status: 400 });
    await expectAwsError(sim.ec2.send(new DescribeImageReferencesCommand({ ImageIds: ["ami-0123456789abcdef0"], IncludeAllResourceTypes: true })), {
      name: "InvalidAMIID.NotFound",
      status: 400,
    });
  });
});

describe("image usage reports", () => {
  it("count the instances and launch templates of other accounts that use an own AMI", async () => {
    const ami = await imageOf(LINUX, "shared-base");
    const other = new EC2Client(clientConfig(sim.server, { credentials: { accessKeyId: "111122223333", secretAccessKey: "x" } }));
    // The other account can launch the AMI only once it is shared with it.
    await expectAwsError(other.send(new RunInstancesCommand({ ImageId: ami, MinCount: 1, MaxCount: 1 })), {
      name: "AuthFailure",
      status: 400,
      message: `Not authorized for images: [${ami}]`,
    });
    await sim.ec2.send(new ModifyImageAttributeCommand({ ImageId: ami, LaunchPermission: { Add: [{ UserId: "111122223333" }] } }));
    await other.send(new RunInstancesCommand({ ImageId: ami, MinCount: 2, MaxCount: 2 }));
    await other.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "uses-shared", LaunchTemplateData: { ImageId: ami } }));
    await run(ami);
    const r = await sim.ec2.send(
      new CreateImageUsageReportCommand({
        ImageId: ami,
        ResourceTypes: [
          { ResourceType: "ec2:Instance" },
          { ResourceType: "ec2:LaunchTemplate", ResourceTypeOptions: [{ OptionName: "version-depth", OptionValues: ["5"] }] },
        ],
        TagSpecifications: [{ ResourceType: "image-usage-report", Tags: [{ Key: "k", Value: "v" }] }],
      }),
    );
    expect(r.ReportId).toMatch(/^amiur-[0-9a-f]{17}$/);
    const reports = await sim.ec2.send(new DescribeImageUsageReportsCommand({ ImageIds: [ami] }));
    expect(reports.ImageUsageReports!.map((x) => [x.ReportId, x.State, x.Tags])).toEqual([[r.ReportId, "available", [{ Key: "k", Value: "v" }]]]);
    const entries = await sim.ec2.send(new DescribeImageUsageReportEntriesCommand({ ReportIds: [r.ReportId!] }));
    expect(entries.ImageUsageReportEntries!.map((x) => [x.AccountId, x.ResourceType, x.UsageCount])).toEqual([
      ["111122223333", "ec2:Instance", 2],
      ["111122223333", "ec2:LaunchTemplate", 1],
    ]);
    const lt = await sim.ec2.send(new DescribeImageUsageReportEntriesCommand({ Filters: [{ Name: "resource-type", Values: ["ec2:LaunchTemplate"] }] }));
    expect(lt.ImageUsageReportEntries!.map((x) => x.UsageCount)).toEqual([1]);
    await sim.ec2.send(new DeleteImageUsageReportCommand({ ReportId: r.ReportId! }));
    await expectAwsError(sim.ec2.send(new DescribeImageUsageReportsCommand({ ReportIds: [r.ReportId!] })), {
      name: "InvalidImageUsageReportId.NotFound",
      status: 400,
    });
    await expectAwsError(sim.ec2.send(new CreateImageUsageReportCommand({ ImageId: LINUX, ResourceTypes: [{ ResourceType: "ec2:Instance" }] })), {
      name: "InvalidAMIID.NotFound",
      status: 400,
    });
  });

  it("ConfirmProductInstance: no product code is associated with awsim's instances", async () => {
    const i = await run(LINUX);
    expect((await sim.ec2.send(new ConfirmProductInstanceCommand({ InstanceId: i.InstanceId!, ProductCode: "774F4FF8" }))).Return).toBe(false);
    await expectAwsError(sim.ec2.send(new ConfirmProductInstanceCommand({ InstanceId: "i-0123456789abcdef0", ProductCode: "774F4FF8" })), {
      name: "InvalidInstanceID.NotFound",
      status: 400,
    });
  });
});

describe("image ancestry", () => {
  it("follows CreateImage and CopyImage (across regions) back to the root AMI", async () => {
    const a = await imageOf(LINUX, "anc-a");
    const b = (await sim.ec2.send(new CopyImageCommand({ SourceImageId: a, SourceRegion: "us-east-1", Name: "anc-b" }))).ImageId!;
    const west = new EC2Client(clientConfig(sim.server, { region: "us-west-2" }));
    const c = (await west.send(new CopyImageCommand({ SourceImageId: b, SourceRegion: "us-east-1", Name: "anc-c" }))).ImageId!;
    const r = await west.send(new GetImageAncestryCommand({ ImageId: c }));
    expect(r.ImageAncestryEntries!.map((x) => [x.ImageId, x.SourceImageId, x.SourceImageRegion])).toEqual([
      [c, b, "us-east-1"],
      [b, a, "us-east-1"],
      [a, LINUX, "us-east-1"],
      [LINUX, undefined, undefined],
    ]);
    expect(r.ImageAncestryEntries![3]!.ImageOwnerAlias).toBe("amazon");
    expect(r.ImageAncestryEntries![0]!.CreationDate).toBeInstanceOf(Date);
    await expectAwsError(sim.ec2.send(new GetImageAncestryCommand({ ImageId: "ami-0123456789abcdef0" })), { name: "InvalidAMIID.NotFound", status: 400 });
  });
});
