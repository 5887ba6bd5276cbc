/** Logs scenarios found by replaying moto's test_logs suite against awsim, asserting what AWS answers. */
import {
  CloudWatchLogsClient,
  CreateExportTaskCommand,
  CreateLogGroupCommand,
  DescribeDeliverySourcesCommand,
  DescribeExportTasksCommand,
  GetDeliveryDestinationCommand,
  PutDeliveryDestinationCommand,
  PutDeliverySourceCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const t = useServer({ reset: true }, (cfg, server) => ({
  logs: new CloudWatchLogsClient(cfg),
  s3: new S3Client(clientConfig(server, { forcePathStyle: true })),
}));

describe("export tasks", () => {
  it("without a destinationPrefix the permission marker is at the bucket's root and the task reports prefix exportedlogs", async () => {
    await t.s3.send(new CreateBucketCommand({ Bucket: "moto-export" }));
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "/moto/export" }));
    const { taskId } = await t.logs.send(
      new CreateExportTaskCommand({ logGroupName: "/moto/export", from: 1611316574, to: 1642852574, destination: "moto-export" }),
    );
    const marker = await t.s3.send(new GetObjectCommand({ Bucket: "moto-export", Key: "aws-logs-write-test" }));
    expect(await marker.Body!.transformToString()).toBe("Permission Check Successful");
    const objs = await t.s3.send(new ListObjectsV2Command({ Bucket: "moto-export" }));
    expect(objs.Contents?.map((o) => o.Key)).toEqual(["aws-logs-write-test"]);
    const { exportTasks } = await t.logs.send(new DescribeExportTasksCommand({ taskId }));
    expect(exportTasks?.[0]).toMatchObject({ destination: "moto-export", destinationPrefix: "exportedlogs", from: 1611316574, to: 1642852574 });
  });
});

const DISTRIBUTION = "arn:aws:cloudfront::000000000000:distribution/E1Q5F5862X9VJ5";

describe("delivery sources and destinations", () => {
  it("a CloudFront source takes ACCESS_LOGS only, as PutDeliverySource's reference lists", async () => {
    await expectAwsError(t.logs.send(new PutDeliverySourceCommand({ name: "cf", resourceArn: DISTRIBUTION, logType: "EVENT_LOGS" })), {
      name: "ValidationException",
      status: 400,
    });
    const { deliverySource } = await t.logs.send(new PutDeliverySourceCommand({ name: "cf", resourceArn: DISTRIBUTION, logType: "ACCESS_LOGS" }));
    expect(deliverySource).toMatchObject({ name: "cf", service: "cloudfront", logType: "ACCESS_LOGS", resourceArns: [DISTRIBUTION] });
  });

  it("a source keeps its resource, and one resource feeds one source per log type, with AWS's messages", async () => {
    await t.logs.send(new PutDeliverySourceCommand({ name: "cf", resourceArn: DISTRIBUTION, logType: "ACCESS_LOGS" }));
    await expectAwsError(
      t.logs.send(
        new PutDeliverySourceCommand({ name: "cf", resourceArn: "arn:aws:cloudfront::000000000000:distribution/E19DL18TOXN9JU", logType: "ACCESS_LOGS" }),
      ),
      {
        name: "ConflictException",
        status: 400,
        message: "Update to existing Delivery Source with new ResourceId is not allowed. Please create a new Delivery Source instead.",
      },
    );
    await expectAwsError(t.logs.send(new PutDeliverySourceCommand({ name: "cf-2", resourceArn: DISTRIBUTION, logType: "ACCESS_LOGS" })), {
      name: "ConflictException",
      status: 400,
      message: "This ResourceId has already been used in another Delivery Source in this account.",
    });
    // Putting the same source again is an update, not a second source.
    await t.logs.send(new PutDeliverySourceCommand({ name: "cf", resourceArn: DISTRIBUTION, logType: "ACCESS_LOGS", tags: { a: "1" } }));
    expect((await t.logs.send(new DescribeDeliverySourcesCommand({}))).deliverySources?.map((s) => s.name)).toEqual(["cf"]);
  });

  it("a destination's outputFormat cannot change once set; its resource can", async () => {
    const put = (outputFormat: "json" | "plain" | undefined, bucket: string) =>
      t.logs.send(
        new PutDeliveryDestinationCommand({ name: "dd", outputFormat, deliveryDestinationConfiguration: { destinationResourceArn: `arn:aws:s3:::${bucket}` } }),
      );
    await put("json", "b1");
    await expectAwsError(put("plain", "b1"), { name: "ValidationException", status: 400 });
    await put("json", "b2");
    const { deliveryDestination } = await t.logs.send(new GetDeliveryDestinationCommand({ name: "dd" }));
    expect(deliveryDestination).toMatchObject({ outputFormat: "json", deliveryDestinationConfiguration: { destinationResourceArn: "arn:aws:s3:::b2" } });
  });
});
