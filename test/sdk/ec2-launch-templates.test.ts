import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  DeleteLaunchTemplateCommand,
  DeleteLaunchTemplateVersionsCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeVolumesCommand,
  EC2Client,
  ModifyLaunchTemplateCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { AMI } from "./ec2-fixtures.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("launch templates", () => {
  it("versions with $Latest/$Default, default changes, deletion rules and AWS's errors", async () => {
    const userData = Buffer.from("#!/bin/sh\necho hi\n").toString("base64");
    const created = await sim.ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: "web",
        VersionDescription: "first",
        LaunchTemplateData: {
          ImageId: AMI,
          InstanceType: "t3.micro",
          UserData: userData,
          BlockDeviceMappings: [{ DeviceName: "/dev/sdb", Ebs: { VolumeSize: 15, VolumeType: "gp3", DeleteOnTermination: true } }],
          TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "role", Value: "web" }] }],
          MetadataOptions: { HttpTokens: "required" },
        },
        TagSpecifications: [{ ResourceType: "launch-template", Tags: [{ Key: "team", Value: "a" }] }],
      }),
    );
    const t = created.LaunchTemplate!;
    expect(t.LaunchTemplateId).toMatch(/^lt-[0-9a-f]{17}$/);
    expect(t).toMatchObject({ LaunchTemplateName: "web", DefaultVersionNumber: 1, LatestVersionNumber: 1, CreatedBy: "arn:aws:iam::000000000000:root" });
    expect(t.Tags).toEqual([{ Key: "team", Value: "a" }]);
    await expectAwsError(sim.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "web", LaunchTemplateData: { ImageId: AMI } })), {
      name: "InvalidLaunchTemplateName.AlreadyExistsException",
      status: 400,
    });

    const v2 = await sim.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: t.LaunchTemplateId!,
        SourceVersion: "1",
        VersionDescription: "bigger",
        LaunchTemplateData: { InstanceType: "t3.large" },
      }),
    );
    expect(v2.LaunchTemplateVersion).toMatchObject({ VersionNumber: 2, DefaultVersion: false });
    expect(v2.LaunchTemplateVersion!.LaunchTemplateData).toMatchObject({ ImageId: AMI, InstanceType: "t3.large", UserData: userData });
    expect(v2.LaunchTemplateVersion!.LaunchTemplateData!.BlockDeviceMappings![0]).toMatchObject({
      DeviceName: "/dev/sdb",
      Ebs: { VolumeSize: 15, VolumeType: "gp3", DeleteOnTermination: true },
    });
    expect(v2.LaunchTemplateVersion!.LaunchTemplateData!.MetadataOptions).toMatchObject({ HttpTokens: "required" });

    const latest = await sim.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: "web", Versions: ["$Latest", "$Default"] }));
    expect(latest.LaunchTemplateVersions!.map((v) => v.VersionNumber).sort()).toEqual([1, 2]);
    await sim.ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateName: "web", DefaultVersion: "2" }));
    const d = (await sim.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ["web"] }))).LaunchTemplates![0]!;
    expect(d).toMatchObject({ DefaultVersionNumber: 2, LatestVersionNumber: 2 });
    const byFilter = await sim.ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: "web", Filters: [{ Name: "is-default-version", Values: ["true"] }] }),
    );
    expect(byFilter.LaunchTemplateVersions!.map((v) => v.VersionNumber)).toEqual([2]);

    const del = await sim.ec2.send(new DeleteLaunchTemplateVersionsCommand({ LaunchTemplateName: "web", Versions: ["1", "2", "9"] }));
    expect(del.SuccessfullyDeletedLaunchTemplateVersions!.map((v) => v.VersionNumber)).toEqual([1]);
    expect(del.UnsuccessfullyDeletedLaunchTemplateVersions!.map((v) => v.ResponseError!.Code).sort()).toEqual([
      "launchTemplateVersionDoesNotExist",
      "launchTemplateVersionIsDefaultVersion",
    ]);
    await expectAwsError(sim.ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateName: "web", DefaultVersion: "1" })), {
      name: "InvalidLaunchTemplateId.VersionNotFound",
      status: 400,
    });

    await sim.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: t.LaunchTemplateId! }));
    const e1 = await expectAwsError(sim.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ["web"] })), {
      name: "InvalidLaunchTemplateName.NotFoundException",
      status: 400,
    });
    // AWS's answer when a name in LaunchTemplateNames does not exist (moto's AWS-verified test).
    expect(e1.message).toBe("At least one of the launch templates specified in the request does not exist.");
    const e2 = await expectAwsError(sim.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: t.LaunchTemplateId! })), {
      name: "InvalidLaunchTemplateId.NotFound",
      status: 400,
    });
    expect(e2.message).toBe(`The specified launch template, with template ID ${t.LaunchTemplateId}, does not exist.`);
  });

  it("RunInstances takes the template's values, overridden by the request", async () => {
    const t = (
      await sim.ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: "app",
          LaunchTemplateData: {
            ImageId: AMI,
            InstanceType: "t3.micro",
            BlockDeviceMappings: [{ DeviceName: "/dev/sdb", Ebs: { VolumeSize: 15 } }],
            TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "role", Value: "app" }] }],
          },
        }),
      )
    ).LaunchTemplate!;
    const r = await sim.ec2.send(
      new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: "app", Version: "$Latest" }, InstanceType: "t3.small" }),
    );
    const i = r.Instances![0]!;
    expect(i).toMatchObject({ ImageId: AMI, InstanceType: "t3.small" });
    const d = (await sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: [i.InstanceId!] }))).Reservations![0]!.Instances![0]!;
    const tags = Object.fromEntries(d.Tags!.map((x) => [x.Key, x.Value]));
    expect(tags).toMatchObject({ role: "app", "aws:ec2launchtemplate:id": t.LaunchTemplateId, "aws:ec2launchtemplate:version": "1" });
    const vols = (await sim.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [i.InstanceId!] }] }))).Volumes!;
    expect(vols.map((v) => v.Size).sort((a, b) => a! - b!)).toEqual([8, 15]);
    await expectAwsError(sim.ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: "nope" } })), {
      name: "InvalidLaunchTemplateName.NotFoundException",
      status: 400,
    });
  });
});
