/** Logs subscription filters, deliveries, Insights queries and resource policies answer as AWS was recorded answering. */
import {
  CloudWatchLogsClient,
  CreateDeliveryCommand,
  CreateLogGroupCommand,
  DeleteDeliveryCommand,
  DeleteDeliveryDestinationCommand,
  DeleteResourcePolicyCommand,
  DescribeQueriesCommand,
  DescribeResourcePoliciesCommand,
  GetDeliveryCommand,
  GetDeliveryDestinationCommand,
  GetDeliverySourceCommand,
  PutDeliveryDestinationCommand,
  PutDeliverySourceCommand,
  PutResourcePolicyCommand,
  PutSubscriptionFilterCommand,
  StartQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const t = useServer({}, (cfg) => ({ logs: new CloudWatchLogsClient(cfg) }));

describe("subscription filters", () => {
  const cross = "Cross-account lambda invocation passing is not allowed. You must use DestinationPolicies to create cross account lambda triggers.";

  it("another account's function is refused with AccessDeniedException, before the log group is looked up", async () => {
    const put = (logGroupName: string) =>
      t.logs.send(
        new PutSubscriptionFilterCommand({
          logGroupName,
          filterName: "test",
          filterPattern: "",
          destinationArn: "arn:aws:lambda:us-east-1:123456789012:function:test",
        }),
      );
    await expectAwsError(put("not-existing-log-group"), { name: "AccessDeniedException", status: 400, message: cross });
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "parity-sub" }));
    await expectAwsError(put("parity-sub"), { name: "AccessDeniedException", status: 400, message: cross });
  });

  it("a Kinesis destination without roleArn names the vendor", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "parity-sub-kin" }));
    await expectAwsError(
      t.logs.send(
        new PutSubscriptionFilterCommand({
          logGroupName: "parity-sub-kin",
          filterName: "test",
          filterPattern: "",
          destinationArn: "arn:aws:kinesis:us-east-1:000000000000:stream/unknown-stream",
        }),
      ),
      { name: "InvalidParameterException", status: 400, message: "destinationArn for vendor kinesis cannot be used without roleArn" },
    );
  });
});

describe("deliveries", () => {
  it("missing sources, destinations and deliveries have AWS's messages", async () => {
    const missing = (what: string) => ({ name: "ResourceNotFoundException", status: 400, message: `Requested ${what} does not exist in this account.` });
    await expectAwsError(t.logs.send(new GetDeliveryDestinationCommand({ name: "foobar" })), missing("Delivery Destination"));
    await expectAwsError(t.logs.send(new DeleteDeliveryDestinationCommand({ name: "foobar" })), missing("Delivery Destination"));
    await expectAwsError(t.logs.send(new GetDeliverySourceCommand({ name: "foobar" })), missing("Delivery Source"));
    await expectAwsError(t.logs.send(new GetDeliveryCommand({ id: "foobar" })), missing("Delivery"));
  });

  it("PutDeliveryDestination answers without the tags; an S3 bucket cannot be a delivery source", async () => {
    const r = await t.logs.send(
      new PutDeliveryDestinationCommand({
        name: "parity-dd",
        outputFormat: "json",
        deliveryDestinationConfiguration: { destinationResourceArn: "arn:aws:s3:::parity-bucket" },
        tags: { key1: "value1" },
      }),
    );
    expect(r.deliveryDestination).toEqual({
      name: "parity-dd",
      arn: "arn:aws:logs:us-east-1:000000000000:delivery-destination:parity-dd",
      deliveryDestinationType: "S3",
      outputFormat: "json",
      deliveryDestinationConfiguration: { destinationResourceArn: "arn:aws:s3:::parity-bucket" },
    });
    await expectAwsError(
      t.logs.send(new PutDeliverySourceCommand({ name: "parity-ds-s3", resourceArn: "arn:aws:s3:::test-s3-bucket", logType: "ACCESS_LOGS" })),
      { name: "ResourceNotFoundException", status: 400, message: "Cannot access provided service." },
    );
  });

  it("an unknown output format lists the formats in AWS's order", async () => {
    await expectAwsError(
      t.logs.send(
        new PutDeliveryDestinationCommand({
          name: "parity-dd-fmt",
          outputFormat: "foobar" as never,
          deliveryDestinationConfiguration: { destinationResourceArn: "arn:aws:s3:::parity-bucket" },
        }),
      ),
      {
        name: "ValidationException",
        status: 400,
        message:
          "1 validation error detected: Value 'foobar' at 'outputFormat' failed to satisfy constraint: Member must satisfy enum value set: [w3c, raw, json, plain, parquet]",
      },
    );
  });

  it("a deleted delivery is gone with the same message", async () => {
    await t.logs.send(
      new PutDeliverySourceCommand({
        name: "parity-ds",
        resourceArn: "arn:aws:cloudfront::000000000000:distribution/E19DL18TOXN9JU",
        logType: "ACCESS_LOGS",
      }),
    );
    await t.logs.send(
      new PutDeliveryDestinationCommand({ name: "parity-dd2", deliveryDestinationConfiguration: { destinationResourceArn: "arn:aws:s3:::b2" } }),
    );
    const { delivery } = await t.logs.send(
      new CreateDeliveryCommand({
        deliverySourceName: "parity-ds",
        deliveryDestinationArn: "arn:aws:logs:us-east-1:000000000000:delivery-destination:parity-dd2",
      }),
    );
    await t.logs.send(new DeleteDeliveryCommand({ id: delivery!.id }));
    await expectAwsError(t.logs.send(new GetDeliveryCommand({ id: delivery!.id })), {
      name: "ResourceNotFoundException",
      status: 400,
      message: "Requested Delivery does not exist in this account.",
    });
  });
});

describe("Insights queries", () => {
  it("StartQuery on a missing group passes on the internal call's message", async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectAwsError(
      t.logs.send(new StartQueryCommand({ logGroupName: "non-existent-q", startTime: now - 3600, endTime: now + 300, queryString: "fields @message" })),
      {
        name: "ResourceNotFoundException",
        status: 400,
        message:
          /^Log group 'non-existent-q' does not exist for account ID '000000000000' \(Service: AWSLogs; Status Code: 400; Error Code: ResourceNotFoundException; Request ID: [0-9a-f-]{36}; Proxy: null\)$/,
      },
    );
  });

  it("DescribeQueries shows a one-group query as AWS rewrote it, with no bytesScanned when nothing was scanned", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "parity-q" }));
    const now = Math.floor(Date.now() / 1000);
    const { queryId } = await t.logs.send(
      new StartQueryCommand({ logGroupName: "parity-q", startTime: now - 3600, endTime: now + 300, queryString: "fields @message" }),
    );
    const { queries } = await t.logs.send(new DescribeQueriesCommand({ logGroupName: "parity-q", status: "Complete" }));
    expect(queries).toHaveLength(1);
    const { createTime, ...q } = queries![0]!;
    expect(createTime).toBeGreaterThan(0);
    expect(q).toEqual({
      queryId,
      logGroupName: "parity-q",
      queryLanguage: "CWLI",
      queryString: `SOURCE "parity-q" START=${now - 3600}000 END=${now + 300}999 | fields @message`,
      status: "Complete",
    });
    expect((await t.logs.send(new DescribeQueriesCommand({ logGroupName: "parity-q", status: "Scheduled" }))).queries).toEqual([]);
  });
});

describe("resource policies", () => {
  it("Put echoes the document; Describe shows it normalized; account-scoped policies have no revision id", async () => {
    const doc = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Route53LogsToCloudWatchLogs",
          Effect: "Allow",
          Principal: { Service: ["route53.amazonaws.com"] },
          Action: "logs:PutLogEvents",
          Resource: "log_arn",
        },
      ],
    });
    const put = await t.logs.send(new PutResourcePolicyCommand({ policyName: "parity-rp", policyDocument: doc }));
    expect(put.revisionId).toBeUndefined();
    const { lastUpdatedTime, ...rest } = put.resourcePolicy!;
    expect(lastUpdatedTime).toBeGreaterThan(0);
    expect(rest).toEqual({ policyName: "parity-rp", policyDocument: doc, policyScope: "ACCOUNT" });

    const update = '{"Statement":[{"Action":"logs:*","Effect":"Allow","Principal":{"Service": ["route53.amazonaws.com"]},"Resource":"*"}]}';
    const upd = await t.logs.send(new PutResourcePolicyCommand({ policyName: "parity-rp", policyDocument: update }));
    expect(upd.resourcePolicy!.policyDocument).toBe(update);
    const described = (await t.logs.send(new DescribeResourcePoliciesCommand({}))).resourcePolicies!.find((p) => p.policyName === "parity-rp")!;
    expect(described.revisionId).toBeUndefined();
    expect(JSON.parse(described.policyDocument!)).toEqual({
      Version: "2008-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "route53.amazonaws.com" }, Action: "logs:*", Resource: "*" }],
    });
    expect(Object.keys(JSON.parse(described.policyDocument!).Statement[0])).toEqual(["Effect", "Principal", "Action", "Resource"]);
  });

  it("deleting a missing policy names it, with a full stop", async () => {
    await expectAwsError(t.logs.send(new DeleteResourcePolicyCommand({ policyName: "non-existent" })), {
      name: "ResourceNotFoundException",
      status: 400,
      message: "Policy with name [non-existent] does not exist.",
    });
  });
});
