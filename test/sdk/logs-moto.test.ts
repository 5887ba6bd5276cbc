/** Logs scenarios found by replaying moto's test_logs suite against awsim, asserting what AWS answers. */
import { CloudWatchLogsClient, CreateExportTaskCommand, CreateLogGroupCommand, DescribeExportTasksCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { clientConfig, useServer } from "../helpers.js";

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
