import {
  CreateCapacityManagerDataExportCommand,
  DeleteCapacityManagerDataExportCommand,
  DescribeAwsNetworkPerformanceMetricSubscriptionsCommand,
  DescribeCapacityManagerDataExportsCommand,
  DisableAwsNetworkPerformanceMetricSubscriptionCommand,
  DisableCapacityManagerCommand,
  EC2Client,
  EnableAwsNetworkPerformanceMetricSubscriptionCommand,
  EnableCapacityManagerCommand,
  GetCapacityManagerAttributesCommand,
  GetCapacityManagerMonitoredTagKeysCommand,
  UpdateCapacityManagerMonitoredTagKeysCommand,
  UpdateCapacityManagerOrganizationsAccessCommand,
} from "@aws-sdk/client-ec2";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: "ec2" }, (cfg) => ({ ec2: new EC2Client(cfg) }));

describe("network performance metric subscriptions", () => {
  it("enables, lists, disables", async () => {
    expect(
      (
        await sim.ec2.send(
          new EnableAwsNetworkPerformanceMetricSubscriptionCommand({
            Source: "us-east-1",
            Destination: "eu-west-1",
            Metric: "aggregate-latency",
            Statistic: "p50",
          }),
        )
      ).Output,
    ).toBe(true);
    await sim.ec2.send(
      new EnableAwsNetworkPerformanceMetricSubscriptionCommand({ Source: "use1-az1", Destination: "use1-az2", Metric: "aggregate-latency", Statistic: "p50" }),
    );
    const subs = (await sim.ec2.send(new DescribeAwsNetworkPerformanceMetricSubscriptionsCommand({}))).Subscriptions!;
    expect(subs).toEqual([
      { Source: "us-east-1", Destination: "eu-west-1", Metric: "aggregate-latency", Statistic: "p50", Period: "five-minutes" },
      { Source: "use1-az1", Destination: "use1-az2", Metric: "aggregate-latency", Statistic: "p50", Period: "five-minutes" },
    ]);
    const filtered = await sim.ec2.send(
      new DescribeAwsNetworkPerformanceMetricSubscriptionsCommand({ Filters: [{ Name: "destination", Values: ["eu-west-1"] }] }),
    );
    expect(filtered.Subscriptions).toHaveLength(1);
    await expectAwsError(sim.ec2.send(new EnableAwsNetworkPerformanceMetricSubscriptionCommand({ Source: "mars-1", Destination: "eu-west-1" })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    expect(
      (
        await sim.ec2.send(
          new DisableAwsNetworkPerformanceMetricSubscriptionCommand({
            Source: "us-east-1",
            Destination: "eu-west-1",
            Metric: "aggregate-latency",
            Statistic: "p50",
          }),
        )
      ).Output,
    ).toBe(true);
    expect(
      (
        await sim.ec2.send(
          new DisableAwsNetworkPerformanceMetricSubscriptionCommand({
            Source: "us-east-1",
            Destination: "eu-west-1",
            Metric: "aggregate-latency",
            Statistic: "p50",
          }),
        )
      ).Output,
    ).toBe(false);
    expect((await sim.ec2.send(new DescribeAwsNetworkPerformanceMetricSubscriptionsCommand({}))).Subscriptions).toHaveLength(1);
  });
});

describe("Capacity Manager", () => {
  it("enable, organizations access, tag keys, data exports, disable", async () => {
    expect(await sim.ec2.send(new GetCapacityManagerAttributesCommand({}))).toMatchObject({ CapacityManagerStatus: "disabled", DataExportCount: 0 });
    await expectAwsError(sim.ec2.send(new UpdateCapacityManagerOrganizationsAccessCommand({ OrganizationsAccess: true })), {
      name: "InvalidParameterValue",
      status: 400,
    });
    expect(await sim.ec2.send(new EnableCapacityManagerCommand({}))).toMatchObject({ CapacityManagerStatus: "enabled", OrganizationsAccess: false });
    expect(await sim.ec2.send(new UpdateCapacityManagerOrganizationsAccessCommand({ OrganizationsAccess: true }))).toMatchObject({ OrganizationsAccess: true });

    const upd = await sim.ec2.send(new UpdateCapacityManagerMonitoredTagKeysCommand({ ActivateTagKeys: ["team", "env"] }));
    expect(upd.CapacityManagerTagKeys!.map((k) => [k.TagKey, k.Status])).toEqual([
      ["team", "activated"],
      ["env", "activated"],
    ]);
    await sim.ec2.send(new UpdateCapacityManagerMonitoredTagKeysCommand({ DeactivateTagKeys: ["env"] }));
    expect((await sim.ec2.send(new GetCapacityManagerMonitoredTagKeysCommand({}))).CapacityManagerTagKeys!.map((k) => k.TagKey)).toEqual(["team"]);

    await expectAwsError(
      sim.ec2.send(new CreateCapacityManagerDataExportCommand({ S3BucketName: "missing-bucket-x", Schedule: "hourly", OutputFormat: "csv" })),
      {
        name: "InvalidParameterValue",
        status: 400,
      },
    );
    const s3 = new S3Client(clientConfig(sim.server, { forcePathStyle: true }));
    await s3.send(new CreateBucketCommand({ Bucket: "cm-exports" }));
    const { CapacityManagerDataExportId: id } = await sim.ec2.send(
      new CreateCapacityManagerDataExportCommand({
        S3BucketName: "cm-exports",
        S3BucketPrefix: "cm/",
        Schedule: "hourly",
        OutputFormat: "parquet",
        TagSpecifications: [{ ResourceType: "capacity-manager-data-export", Tags: [{ Key: "k", Value: "v" }] }],
      }),
    );
    expect(id).toMatch(/^cmde-[0-9a-f]{17}$/);
    const list = (await sim.ec2.send(new DescribeCapacityManagerDataExportsCommand({}))).CapacityManagerDataExports!;
    expect(list).toEqual([
      expect.objectContaining({
        CapacityManagerDataExportId: id,
        S3BucketName: "cm-exports",
        S3BucketPrefix: "cm/",
        Schedule: "hourly",
        OutputFormat: "parquet",
        LatestDeliveryStatus: "pending",
        Tags: [{ Key: "k", Value: "v" }],
      }),
    ]);
    expect((await sim.ec2.send(new GetCapacityManagerAttributesCommand({}))).DataExportCount).toBe(1);
    expect((await sim.ec2.send(new DeleteCapacityManagerDataExportCommand({ CapacityManagerDataExportId: id }))).CapacityManagerDataExportId).toBe(id);
    await expectAwsError(sim.ec2.send(new DeleteCapacityManagerDataExportCommand({ CapacityManagerDataExportId: id })), {
      name: "InvalidCapacityManagerDataExportId.NotFound",
      status: 400,
    });
    expect(await sim.ec2.send(new DisableCapacityManagerCommand({}))).toMatchObject({ CapacityManagerStatus: "disabled" });
  });
});
