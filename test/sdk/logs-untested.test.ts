/**
 * CloudWatch Logs operations no other test got an answer from: delivery configuration updates, delivery destination
 * policies deleted, anomaly detectors deleted, anomaly suppression, import tasks, large log objects and S3 table
 * integrations. Behaviour from the API reference (docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/) and
 * LocalStack's AWS-validated test_logs_delivery (a deleted destination policy reads back as `policy: {}`).
 */
import {
  CancelImportTaskCommand,
  CloudWatchLogsClient,
  AssociateSourceToS3TableIntegrationCommand,
  CreateDeliveryCommand,
  CreateImportTaskCommand,
  CreateLogAnomalyDetectorCommand,
  CreateLogGroupCommand,
  DeleteDeliveryDestinationPolicyCommand,
  DeleteLogAnomalyDetectorCommand,
  DescribeImportTaskBatchesCommand,
  DescribeImportTasksCommand,
  DisassociateSourceFromS3TableIntegrationCommand,
  GetDeliveryCommand,
  GetDeliveryDestinationPolicyCommand,
  GetLogAnomalyDetectorCommand,
  GetLogObjectCommand,
  ListAnomaliesCommand,
  ListLogAnomalyDetectorsCommand,
  ListSourcesForS3TableIntegrationCommand,
  PutDeliveryDestinationCommand,
  PutDeliveryDestinationPolicyCommand,
  PutDeliverySourceCommand,
  UpdateAnomalyCommand,
  UpdateDeliveryConfigurationCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const t = useServer({}, (cfg) => ({ logs: new CloudWatchLogsClient(cfg) }));
const ACCOUNT = "000000000000";
const NOT_FOUND = { name: "ResourceNotFoundException", status: 400 };
// PatternId is 32 characters and AnomalyId 36 (the model).
const PATTERN = "0123456789abcdef0123456789abcdef";

describe("UpdateDeliveryConfiguration", () => {
  it("changes the record fields, delimiter and S3 path of a delivery, and GetDelivery shows them", async () => {
    await t.logs.send(
      new PutDeliverySourceCommand({ name: "upd-src", resourceArn: `arn:aws:cloudfront::${ACCOUNT}:distribution/E1UPDATE0000`, logType: "ACCESS_LOGS" }),
    );
    const dest = await t.logs.send(
      new PutDeliveryDestinationCommand({ name: "upd-dst", deliveryDestinationConfiguration: { destinationResourceArn: "arn:aws:s3:::upd-bucket" } }),
    );
    const created = await t.logs.send(
      new CreateDeliveryCommand({
        deliverySourceName: "upd-src",
        deliveryDestinationArn: dest.deliveryDestination!.arn!,
        recordFields: ["date", "time"],
        fieldDelimiter: ",",
        s3DeliveryConfiguration: { suffixPath: "AWSLogs/old/", enableHiveCompatiblePath: false },
      }),
    );
    const id = created.delivery!.id!;
    const out = await t.logs.send(
      new UpdateDeliveryConfigurationCommand({
        id,
        recordFields: ["date", "time", "c-ip", "sc-status"],
        fieldDelimiter: "\t",
        s3DeliveryConfiguration: { suffixPath: `AWSLogs/${ACCOUNT}/CloudFront/`, enableHiveCompatiblePath: true },
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    const got = (await t.logs.send(new GetDeliveryCommand({ id }))).delivery!;
    expect(got).toMatchObject({
      id,
      deliverySourceName: "upd-src",
      deliveryDestinationArn: dest.deliveryDestination!.arn,
      deliveryDestinationType: "S3",
      recordFields: ["date", "time", "c-ip", "sc-status"],
      fieldDelimiter: "\t",
      s3DeliveryConfiguration: { suffixPath: `AWSLogs/${ACCOUNT}/CloudFront/`, enableHiveCompatiblePath: true },
    });

    // What is left out stays as it was: only the Hive flag changes here.
    await t.logs.send(new UpdateDeliveryConfigurationCommand({ id, s3DeliveryConfiguration: { enableHiveCompatiblePath: false } }));
    const again = (await t.logs.send(new GetDeliveryCommand({ id }))).delivery!;
    expect(again.s3DeliveryConfiguration).toEqual({ suffixPath: `AWSLogs/${ACCOUNT}/CloudFront/`, enableHiveCompatiblePath: false });
    expect(again.recordFields).toEqual(["date", "time", "c-ip", "sc-status"]);
    expect(again.fieldDelimiter).toBe("\t");
  });

  it("refuses S3 parameters for a delivery to a log group, changing nothing", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "/upd/target" }));
    await t.logs.send(
      new PutDeliverySourceCommand({ name: "upd-src-cwl", resourceArn: `arn:aws:cloudfront::${ACCOUNT}:distribution/E1UPDATE0001`, logType: "ACCESS_LOGS" }),
    );
    const dest = await t.logs.send(
      new PutDeliveryDestinationCommand({
        name: "upd-dst-cwl",
        deliveryDestinationConfiguration: { destinationResourceArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/upd/target` },
      }),
    );
    const { delivery } = await t.logs.send(
      new CreateDeliveryCommand({ deliverySourceName: "upd-src-cwl", deliveryDestinationArn: dest.deliveryDestination!.arn!, recordFields: ["date"] }),
    );
    expect(delivery?.deliveryDestinationType).toBe("CWL");
    await expectAwsError(
      t.logs.send(new UpdateDeliveryConfigurationCommand({ id: delivery!.id!, recordFields: ["date", "time"], s3DeliveryConfiguration: { suffixPath: "x/" } })),
      { name: "ValidationException", status: 400 },
    );
    const got = (await t.logs.send(new GetDeliveryCommand({ id: delivery!.id! }))).delivery!;
    expect(got.recordFields).toEqual(["date"]);
    expect(got.s3DeliveryConfiguration).toBeUndefined();
  });

  it("answers ResourceNotFoundException for an unknown delivery and ValidationException for an id the model forbids", async () => {
    await expectAwsError(t.logs.send(new UpdateDeliveryConfigurationCommand({ id: "NoSuchDelivery0", fieldDelimiter: "," })), {
      ...NOT_FOUND,
      message: "Requested Delivery does not exist in this account.",
    });
    // DeliveryId: ^[0-9A-Za-z]+$ (the API reference); the operation declares ValidationException.
    await expectAwsError(t.logs.send(new UpdateDeliveryConfigurationCommand({ id: "not-an-id", fieldDelimiter: "," })), {
      name: "ValidationException",
      status: 400,
      message: /at 'id' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    });
  });
});

describe("DeleteDeliveryDestinationPolicy", () => {
  it("removes the policy: GetDeliveryDestinationPolicy then answers an empty policy", async () => {
    await t.logs.send(
      new PutDeliveryDestinationCommand({ name: "pol-dst", deliveryDestinationConfiguration: { destinationResourceArn: "arn:aws:s3:::pol-bucket" } }),
    );
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowLogDeliveryActions",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: "logs:CreateDelivery",
          Resource: [`arn:aws:logs:us-east-1:${ACCOUNT}:delivery-destination:*`],
        },
      ],
    });
    const put = await t.logs.send(new PutDeliveryDestinationPolicyCommand({ deliveryDestinationName: "pol-dst", deliveryDestinationPolicy: policy }));
    expect(put.policy?.deliveryDestinationPolicy).toBe(policy);
    expect((await t.logs.send(new GetDeliveryDestinationPolicyCommand({ deliveryDestinationName: "pol-dst" }))).policy).toEqual({
      deliveryDestinationPolicy: policy,
    });

    const del = await t.logs.send(new DeleteDeliveryDestinationPolicyCommand({ deliveryDestinationName: "pol-dst" }));
    expect(del.$metadata.httpStatusCode).toBe(200);
    // LocalStack's AWS-validated test_delete_delivery_destination_policy: `assert response["policy"] == {}`.
    expect((await t.logs.send(new GetDeliveryDestinationPolicyCommand({ deliveryDestinationName: "pol-dst" }))).policy).toEqual({});

    // Nothing left to delete, and an unknown destination.
    await expectAwsError(t.logs.send(new DeleteDeliveryDestinationPolicyCommand({ deliveryDestinationName: "pol-dst" })), NOT_FOUND);
    await expectAwsError(t.logs.send(new DeleteDeliveryDestinationPolicyCommand({ deliveryDestinationName: "no-such-dst" })), {
      ...NOT_FOUND,
      message: "Requested Delivery Destination does not exist in this account.",
    });
  });
});

describe("DeleteLogAnomalyDetector and UpdateAnomaly", () => {
  async function detector(group: string): Promise<string> {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    const arn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${group}`;
    const { anomalyDetectorArn } = await t.logs.send(
      new CreateLogAnomalyDetectorCommand({ logGroupArnList: [arn], detectorName: `det-${group.replace(/\W/g, "")}`, evaluationFrequency: "FIVE_MIN" }),
    );
    expect(anomalyDetectorArn).toMatch(new RegExp(`^arn:aws:logs:us-east-1:${ACCOUNT}:anomaly-detector:[0-9a-f-]{36}$`));
    return anomalyDetectorArn!;
  }

  it("deletes a detector: Get and List no longer show it, a second delete is ResourceNotFoundException", async () => {
    const keep = await detector("/anom/keep");
    const gone = await detector("/anom/gone");
    expect((await t.logs.send(new GetLogAnomalyDetectorCommand({ anomalyDetectorArn: gone }))).detectorName).toBe("det-anomgone");

    const out = await t.logs.send(new DeleteLogAnomalyDetectorCommand({ anomalyDetectorArn: gone }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    await expectAwsError(t.logs.send(new GetLogAnomalyDetectorCommand({ anomalyDetectorArn: gone })), NOT_FOUND);
    const listed = (await t.logs.send(new ListLogAnomalyDetectorsCommand({}))).anomalyDetectors!.map((d) => d.anomalyDetectorArn);
    expect(listed).toContain(keep);
    expect(listed).not.toContain(gone);
    await expectAwsError(t.logs.send(new DeleteLogAnomalyDetectorCommand({ anomalyDetectorArn: gone })), NOT_FOUND);
    await expectAwsError(t.logs.send(new ListAnomaliesCommand({ anomalyDetectorArn: gone })), NOT_FOUND);
  });

  it("UpdateAnomaly takes an anomalyId or a patternId, not both, and LIMITED needs a suppressionPeriod", async () => {
    const arn = await detector("/anom/update");
    // The detector finds nothing in awsim, so no anomaly or pattern id exists to suppress.
    expect((await t.logs.send(new ListAnomaliesCommand({ anomalyDetectorArn: arn }))).anomalies).toEqual([]);
    const invalid = { name: "InvalidParameterException", status: 400 };
    await expectAwsError(t.logs.send(new UpdateAnomalyCommand({ anomalyDetectorArn: arn })), {
      ...invalid,
      message: "Either anomalyId or patternId must be specified.",
    });
    await expectAwsError(
      t.logs.send(new UpdateAnomalyCommand({ anomalyDetectorArn: arn, anomalyId: "11111111-2222-3333-4444-555555555555", patternId: PATTERN })),
      { ...invalid, message: "Specify either anomalyId or patternId, not both." },
    );
    await expectAwsError(t.logs.send(new UpdateAnomalyCommand({ anomalyDetectorArn: arn, patternId: PATTERN, suppressionType: "LIMITED" })), {
      ...invalid,
      message: "suppressionPeriod is required when suppressionType is LIMITED.",
    });
    await expectAwsError(
      t.logs.send(
        new UpdateAnomalyCommand({
          anomalyDetectorArn: arn,
          anomalyId: "11111111-2222-3333-4444-555555555555",
          suppressionType: "LIMITED",
          suppressionPeriod: { value: 2, suppressionUnit: "HOURS" },
        }),
      ),
      { ...NOT_FOUND, message: "Anomaly 11111111-2222-3333-4444-555555555555 does not exist." },
    );
    await expectAwsError(t.logs.send(new UpdateAnomalyCommand({ anomalyDetectorArn: arn, patternId: PATTERN, suppressionType: "INFINITE" })), {
      ...NOT_FOUND,
      message: `Pattern ${PATTERN} does not exist.`,
    });
    // An unknown detector comes first.
    await expectAwsError(
      t.logs.send(new UpdateAnomalyCommand({ anomalyDetectorArn: `arn:aws:logs:us-east-1:${ACCOUNT}:anomaly-detector:nope`, patternId: PATTERN })),
      { ...NOT_FOUND, message: "The specified anomaly detector does not exist." },
    );
    // The model's enum is checked before anything.
    await expectAwsError(t.logs.send(new UpdateAnomalyCommand({ anomalyDetectorArn: arn, patternId: PATTERN, suppressionType: "FOREVER" as never })), {
      ...invalid,
      message: /at 'suppressionType' failed to satisfy constraint: Member must satisfy enum value set: \[LIMITED, INFINITE\]/,
    });
  });
});

describe("import tasks (the only source, a CloudTrail Lake event data store, cannot exist in awsim)", () => {
  const EDS = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:eventdatastore/f1d45bff-d0e3-4868-b5d9-2eb678aa32fb`;
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/import`;

  it("CreateImportTask checks its source and time range, then finds no event data store", async () => {
    await expectAwsError(t.logs.send(new CreateImportTaskCommand({ importSourceArn: EDS, importRoleArn: ROLE })), {
      ...NOT_FOUND,
      message: `The specified event data store does not exist: ${EDS}`,
    });
    await expectAwsError(
      t.logs.send(new CreateImportTaskCommand({ importSourceArn: EDS, importRoleArn: ROLE, importFilter: { startEventTime: 2000, endEventTime: 1000 } })),
      { name: "InvalidParameterException", status: 400, message: "startEventTime must be before endEventTime." },
    );
    await expectAwsError(t.logs.send(new CreateImportTaskCommand({ importSourceArn: "arn:aws:s3:::bucket", importRoleArn: ROLE })), {
      name: "InvalidParameterException",
      status: 400,
      message: /^Invalid importSourceArn: arn:aws:s3:::bucket\./,
    });
    expect((await t.logs.send(new DescribeImportTasksCommand({ importSourceArn: EDS }))).imports).toEqual([]);
  });

  it("CancelImportTask and DescribeImportTaskBatches find no import task", async () => {
    const id = "3b7d7c6e-0f5a-4d0b-9c1e-2f2b9f6a1c11";
    await expectAwsError(t.logs.send(new CancelImportTaskCommand({ importId: id })), {
      ...NOT_FOUND,
      message: `The specified import task does not exist: ${id}`,
    });
    await expectAwsError(t.logs.send(new DescribeImportTaskBatchesCommand({ importId: id, batchImportStatus: ["FAILED"], limit: 10 })), {
      ...NOT_FOUND,
      message: `The specified import task does not exist: ${id}`,
    });
    // ImportId: [\-a-zA-Z0-9]+, at most 256 characters (the model).
    await expectAwsError(t.logs.send(new CancelImportTaskCommand({ importId: "bad_id" })), {
      name: "InvalidParameterException",
      status: 400,
      message: /at 'importId' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    });
  });
});

describe("GetLogObject and S3 table integrations (nothing in awsim creates their resources)", () => {
  it("GetLogObject answers ResourceNotFoundException for any pointer", async () => {
    // GetLogObject's endpoint has the host prefix "streaming-": a local endpoint needs disableHostPrefix.
    const logs = new CloudWatchLogsClient(clientConfig(t.server, { disableHostPrefix: true }));
    await expectAwsError(logs.send(new GetLogObjectCommand({ logObjectPointer: "AQAAAAAAAAAAAAAA", unmask: true })), {
      ...NOT_FOUND,
      message: "The specified log object does not exist.",
    });
  });

  it("associating, listing and disassociating sources answer ResourceNotFoundException", async () => {
    const integrationArn = `arn:aws:observabilityadmin:us-east-1:${ACCOUNT}:s3tableintegration/abc123`;
    await expectAwsError(t.logs.send(new AssociateSourceToS3TableIntegrationCommand({ integrationArn, dataSource: { name: "amazon_vpc", type: "flow" } })), {
      ...NOT_FOUND,
      message: `The specified S3 table integration does not exist: ${integrationArn}`,
    });
    await expectAwsError(t.logs.send(new ListSourcesForS3TableIntegrationCommand({ integrationArn, maxResults: 10 })), {
      ...NOT_FOUND,
      message: `The specified S3 table integration does not exist: ${integrationArn}`,
    });
    await expectAwsError(t.logs.send(new DisassociateSourceFromS3TableIntegrationCommand({ identifier: "source-1" })), {
      ...NOT_FOUND,
      message: "The specified S3 table integration source does not exist: source-1",
    });
    // dataSource.name is required (the model): AWS's validation error, before the integration is looked up.
    await expectAwsError(t.logs.send(new AssociateSourceToS3TableIntegrationCommand({ integrationArn, dataSource: { type: "flow" } as never })), {
      name: "ValidationException",
      status: 400,
      message: /dataSource\.name/,
    });
  });
});
