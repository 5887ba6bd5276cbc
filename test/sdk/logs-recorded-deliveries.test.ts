/**
 * Vended-log deliveries answer as AWS was recorded answering (LocalStack's snapshots recorded against AWS,
 * tests/aws/services/logs/test_logs_delivery.snapshot.json, TestDeliverySources and TestDeliveries).
 */
import {
  CloudWatchLogsClient,
  CreateDeliveryCommand,
  DeleteDeliverySourceCommand,
  DescribeDeliverySourcesCommand,
  GetDeliveryCommand,
  GetDeliverySourceCommand,
  PutDeliveryDestinationCommand,
  PutDeliverySourceCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const t = useServer({}, (cfg) => ({ logs: new CloudWatchLogsClient(cfg) }));
const CF = "arn:aws:cloudfront::000000000000:distribution/E1Q5F5862X9VJ5";

describe("delivery sources (recorded)", () => {
  it("a source is answered without a status (test_put_delivery_source, test_get_delivery_source)", async () => {
    const put = await t.logs.send(new PutDeliverySourceCommand({ name: "rec-ds-1", resourceArn: CF, logType: "ACCESS_LOGS", tags: { key1: "value1" } }));
    expect(put.deliverySource).toEqual({
      name: "rec-ds-1",
      arn: "arn:aws:logs:us-east-1:000000000000:delivery-source:rec-ds-1",
      resourceArns: [CF],
      service: "cloudfront",
      logType: "ACCESS_LOGS",
      tags: { key1: "value1" },
    });
    const got = await t.logs.send(new GetDeliverySourceCommand({ name: "rec-ds-1" }));
    expect(got.deliverySource?.status).toBeUndefined();
    const all = await t.logs.send(new DescribeDeliverySourcesCommand({}));
    expect(all.deliverySources?.every((s) => s.status === undefined)).toBe(true);
    await t.logs.send(new DeleteDeliverySourceCommand({ name: "rec-ds-1" }));
  });

  it("a deleted source's not-found message ends with two full stops (test_delete_delivery_source)", async () => {
    await t.logs.send(
      new PutDeliverySourceCommand({ name: "rec-ds-del", resourceArn: "arn:aws:cloudfront::123456789012:distribution/E1Q5F5862X9VJ5", logType: "ACCESS_LOGS" }),
    );
    await t.logs.send(new DeleteDeliverySourceCommand({ name: "rec-ds-del" }));
    await expectAwsError(t.logs.send(new GetDeliverySourceCommand({ name: "rec-ds-del" })), {
      name: "ResourceNotFoundException",
      status: 400,
      message: "Requested Delivery Source does not exist in this account..",
    });
    // One that never existed has a single full stop (test_get_delivery_source_not_found).
    await expectAwsError(t.logs.send(new GetDeliverySourceCommand({ name: "rec-ds-never" })), {
      name: "ResourceNotFoundException",
      status: 400,
      message: "Requested Delivery Source does not exist in this account.",
    });
  });
});

describe("deliveries (recorded)", () => {
  it("a CloudFront delivery to S3 takes the log type's fields and suffix path by default (test_get_delivery)", async () => {
    await t.logs.send(
      new PutDeliverySourceCommand({ name: "rec-ds-2", resourceArn: "arn:aws:cloudfront::000000000000:distribution/E19DL18TOXN9JU", logType: "ACCESS_LOGS" }),
    );
    const dest = await t.logs.send(
      new PutDeliveryDestinationCommand({ name: "rec-dd-2", deliveryDestinationConfiguration: { destinationResourceArn: "arn:aws:s3:::rec-bucket" } }),
    );
    const created = await t.logs.send(new CreateDeliveryCommand({ deliverySourceName: "rec-ds-2", deliveryDestinationArn: dest.deliveryDestination!.arn! }));
    const { delivery } = await t.logs.send(new GetDeliveryCommand({ id: created.delivery!.id! }));
    expect(delivery?.recordFields).toHaveLength(33);
    expect(delivery?.recordFields?.slice(0, 4)).toEqual(["date", "time", "x-edge-location", "sc-bytes"]);
    expect(delivery?.recordFields?.at(-1)).toBe("sc-range-end");
    expect(delivery?.s3DeliveryConfiguration).toEqual({ suffixPath: "AWSLogs/{account-id}/CloudFront/", enableHiveCompatiblePath: false });
    expect(delivery?.fieldDelimiter).toBeUndefined();
  });

  it("given fields, delimiter and S3 configuration are kept as given (test_create_delivery)", async () => {
    await t.logs.send(
      new PutDeliverySourceCommand({ name: "rec-ds-3", resourceArn: "arn:aws:cloudfront::000000000000:distribution/E3", logType: "ACCESS_LOGS" }),
    );
    const dest = await t.logs.send(
      new PutDeliveryDestinationCommand({ name: "rec-dd-3", deliveryDestinationConfiguration: { destinationResourceArn: "arn:aws:s3:::rec-bucket" } }),
    );
    const { delivery } = await t.logs.send(
      new CreateDeliveryCommand({
        deliverySourceName: "rec-ds-3",
        deliveryDestinationArn: dest.deliveryDestination!.arn!,
        recordFields: ["date"],
        fieldDelimiter: ",",
        s3DeliveryConfiguration: { suffixPath: "AWSLogs/000000000000/CloudFront/", enableHiveCompatiblePath: true },
        tags: { key1: "value1" },
      }),
    );
    expect(delivery).toMatchObject({
      deliveryDestinationType: "S3",
      deliverySourceName: "rec-ds-3",
      fieldDelimiter: ",",
      recordFields: ["date"],
      s3DeliveryConfiguration: { enableHiveCompatiblePath: true, suffixPath: "AWSLogs/000000000000/CloudFront/" },
      tags: { key1: "value1" },
    });
  });
});
