/** Logs output members that were never filled: resource-scoped policies, filters' field selection, deliveries, queries, transformers. */
import {
  AssociateKmsKeyCommand,
  CloudWatchLogsClient,
  CreateScheduledQueryCommand,
  DisassociateKmsKeyCommand,
  GetQueryResultsCommand,
  GetScheduledQueryCommand,
  ListScheduledQueriesCommand,
  UpdateScheduledQueryCommand,
  CreateDeliveryCommand,
  CreateLogAnomalyDetectorCommand,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeDeliveriesCommand,
  DescribeMetricFiltersCommand,
  DescribeQueriesCommand,
  DescribeQueryDefinitionsCommand,
  DescribeResourcePoliciesCommand,
  DescribeSubscriptionFiltersCommand,
  GetDeliveryCommand,
  GetLogAnomalyDetectorCommand,
  GetTransformerCommand,
  ListLogAnomalyDetectorsCommand,
  PutDeliveryDestinationCommand,
  PutDeliverySourceCommand,
  PutDestinationCommand,
  PutDestinationPolicyCommand,
  PutLogEventsCommand,
  PutMetricFilterCommand,
  PutQueryDefinitionCommand,
  PutResourcePolicyCommand,
  PutSubscriptionFilterCommand,
  PutTransformerCommand,
  StartQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { beforeAll, describe, expect, it } from "vitest";
import { clientConfig, useServer } from "../helpers.js";

const ACCOUNT = "000000000000";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/unfilled-role`;

const t = useServer({}, (cfg) => ({ logs: new CloudWatchLogsClient(cfg) }));
beforeAll(async () => {
  await new IAMClient(clientConfig(t.server)).send(
    new CreateRoleCommand({
      RoleName: "unfilled-role",
      AssumeRolePolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    }),
  );
});

const groupArn = (name: string) => `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}`;

describe("resource-scoped resource policies", () => {
  it("Put and Describe carry the resource ARN and a revision id", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "unfilled-rp" }));
    const doc = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "delivery.logs.amazonaws.com" }, Action: "logs:PutLogEvents", Resource: groupArn("unfilled-rp") }],
    });
    const put = await t.logs.send(new PutResourcePolicyCommand({ resourceArn: groupArn("unfilled-rp"), policyDocument: doc }));
    expect(put.resourcePolicy?.resourceArn).toBe(groupArn("unfilled-rp"));
    expect(put.resourcePolicy?.policyScope).toBe("RESOURCE");
    expect(put.revisionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(put.resourcePolicy?.revisionId).toBe(put.revisionId);
    // Terraform finds it by the group's ARN, with or without the ":*" suffix.
    for (const resourceArn of [groupArn("unfilled-rp"), `${groupArn("unfilled-rp")}:*`]) {
      const d = await t.logs.send(new DescribeResourcePoliciesCommand({ resourceArn }));
      expect(d.resourcePolicies).toHaveLength(1);
      expect(d.resourcePolicies![0]).toMatchObject({ resourceArn: groupArn("unfilled-rp"), revisionId: put.revisionId, policyScope: "RESOURCE" });
    }
  });
});

describe("filters", () => {
  it("metric filters describe dimensions, field selection criteria and system field dimensions", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "unfilled-mf" }));
    await t.logs.send(
      new PutMetricFilterCommand({
        logGroupName: "unfilled-mf",
        filterName: "f",
        filterPattern: "{ $.latency = * }",
        metricTransformations: [{ metricName: "Latency", metricNamespace: "App", metricValue: "$.latency", dimensions: { Service: "$.service" } }],
        fieldSelectionCriteria: '$.service = "api"',
        emitSystemFieldDimensions: ["@aws.account"],
      }),
    );
    const [f] = (await t.logs.send(new DescribeMetricFiltersCommand({ logGroupName: "unfilled-mf" }))).metricFilters!;
    expect(f!.metricTransformations![0]!.dimensions).toEqual({ Service: "$.service" });
    expect(f!.fieldSelectionCriteria).toBe('$.service = "api"');
    expect(f!.emitSystemFieldDimensions).toEqual(["@aws.account"]);
  });

  it("subscription filters describe field selection criteria and system fields", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "unfilled-sf" }));
    await t.logs.send(
      new PutSubscriptionFilterCommand({
        logGroupName: "unfilled-sf",
        filterName: "s",
        filterPattern: "",
        destinationArn: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/unfilled`,
        roleArn: ROLE,
        fieldSelectionCriteria: '$.level = "ERROR"',
        emitSystemFields: ["@aws.region"],
      }),
    );
    const [f] = (await t.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: "unfilled-sf" }))).subscriptionFilters!;
    expect(f).toMatchObject({ fieldSelectionCriteria: '$.level = "ERROR"', emitSystemFields: ["@aws.region"] });
  });
});

describe("destinations and deliveries", () => {
  it("PutDestination of an existing destination shows its access policy", async () => {
    const target = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/unfilled`;
    await t.logs.send(new PutDestinationCommand({ destinationName: "unfilled-dest", targetArn: target, roleArn: ROLE }));
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: "111111111111" }, Action: "logs:PutSubscriptionFilter", Resource: "*" }],
    });
    await t.logs.send(new PutDestinationPolicyCommand({ destinationName: "unfilled-dest", accessPolicy: policy }));
    const again = await t.logs.send(new PutDestinationCommand({ destinationName: "unfilled-dest", targetArn: target, roleArn: ROLE }));
    expect(again.destination?.accessPolicy).toBe(policy);
  });

  it("deliveries describe record fields, delimiter, S3 configuration and tags", async () => {
    await t.logs.send(
      new PutDeliverySourceCommand({ name: "unfilled-src", resourceArn: `arn:aws:cloudfront::${ACCOUNT}:distribution/EUNFILLED`, logType: "ACCESS_LOGS" }),
    );
    const dest = await t.logs.send(
      new PutDeliveryDestinationCommand({
        name: "unfilled-s3",
        deliveryDestinationConfiguration: { destinationResourceArn: "arn:aws:s3:::unfilled-bucket" },
        tags: { team: "x" },
      }),
    );
    const { delivery } = await t.logs.send(
      new CreateDeliveryCommand({
        deliverySourceName: "unfilled-src",
        deliveryDestinationArn: dest.deliveryDestination!.arn!,
        recordFields: ["date", "time"],
        fieldDelimiter: "\t",
        s3DeliveryConfiguration: { suffixPath: "p/{yyyy}", enableHiveCompatiblePath: true },
        tags: { k: "v" },
      }),
    );
    const want = {
      recordFields: ["date", "time"],
      fieldDelimiter: "\t",
      s3DeliveryConfiguration: { suffixPath: "p/{yyyy}", enableHiveCompatiblePath: true },
      tags: { k: "v" },
    };
    expect(delivery).toMatchObject(want);
    expect((await t.logs.send(new GetDeliveryCommand({ id: delivery!.id! }))).delivery).toMatchObject(want);
    const described = (await t.logs.send(new DescribeDeliveriesCommand({}))).deliveries!.find((d) => d.id === delivery!.id);
    expect(described).toMatchObject(want);
  });
});

describe("Insights", () => {
  it("DescribeQueries reports a finished query's duration and who ran it", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "unfilled-q" }));
    await t.logs.send(new CreateLogStreamCommand({ logGroupName: "unfilled-q", logStreamName: "s" }));
    await t.logs.send(new PutLogEventsCommand({ logGroupName: "unfilled-q", logStreamName: "s", logEvents: [{ timestamp: Date.now(), message: "hello" }] }));
    const now = Math.floor(Date.now() / 1000);
    const { queryId } = await t.logs.send(
      new StartQueryCommand({ logGroupName: "unfilled-q", startTime: now - 600, endTime: now + 60, queryString: "fields @message" }),
    );
    const q = (await t.logs.send(new DescribeQueriesCommand({ logGroupName: "unfilled-q" }))).queries!.find((x) => x.queryId === queryId)!;
    expect(q.status).toBe("Complete");
    expect(q.bytesScanned).toBe(5);
    expect(typeof q.queryDuration).toBe("number");
    expect(q.queryDuration).toBeGreaterThanOrEqual(0);
    expect(q.userIdentity).toBe(`arn:aws:iam::${ACCOUNT}:root`);
  });

  it("GetQueryResults names the KMS key associated with the account's query results when the query started", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "unfilled-kq" }));
    const run = async () => {
      const now = Math.floor(Date.now() / 1000);
      const { queryId } = await t.logs.send(
        new StartQueryCommand({ logGroupName: "unfilled-kq", startTime: now - 60, endTime: now, queryString: "fields @message" }),
      );
      return queryId!;
    };
    const before = await run();
    const kmsKeyId = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0f0f0f0f-1111-2222-3333-444444444444`;
    const resourceIdentifier = `arn:aws:logs:us-east-1:${ACCOUNT}:query-result:*`;
    await t.logs.send(new AssociateKmsKeyCommand({ kmsKeyId, resourceIdentifier }));
    const after = await run();
    expect((await t.logs.send(new GetQueryResultsCommand({ queryId: before }))).encryptionKey).toBeUndefined();
    expect((await t.logs.send(new GetQueryResultsCommand({ queryId: after }))).encryptionKey).toBe(kmsKeyId);
    await t.logs.send(new DisassociateKmsKeyCommand({ resourceIdentifier }));
    expect((await t.logs.send(new GetQueryResultsCommand({ queryId: await run() }))).encryptionKey).toBeUndefined();
    expect((await t.logs.send(new GetQueryResultsCommand({ queryId: after }))).encryptionKey).toBe(kmsKeyId);
  });

  it("scheduled queries echo the description, S3 owner account and KMS key, and the schedule window", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "unfilled-sq" }));
    const s3Configuration = {
      destinationIdentifier: "s3://unfilled-results/prefix",
      roleArn: ROLE,
      ownerAccountId: ACCOUNT,
      kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/0f0f0f0f-1111-2222-3333-444444444444`,
    };
    const start = Math.floor(Date.now() / 1000) + 3600;
    const { scheduledQueryArn } = await t.logs.send(
      new CreateScheduledQueryCommand({
        name: "unfilled-sq",
        description: "hourly errors",
        queryLanguage: "CWLI",
        queryString: "fields @message",
        logGroupIdentifiers: ["unfilled-sq"],
        scheduleExpression: "rate(1 hour)",
        executionRoleArn: ROLE,
        destinationConfiguration: { s3Configuration },
        scheduleStartTime: start,
        scheduleEndTime: start + 86400,
      }),
    );
    expect(await t.logs.send(new GetScheduledQueryCommand({ identifier: scheduledQueryArn }))).toMatchObject({
      description: "hourly errors",
      destinationConfiguration: { s3Configuration },
      scheduleStartTime: start,
      scheduleEndTime: start + 86400,
    });
    const listed = (await t.logs.send(new ListScheduledQueriesCommand({}))).scheduledQueries!.find((q) => q.name === "unfilled-sq");
    expect(listed?.destinationConfiguration).toEqual({ s3Configuration });
    const updated = await t.logs.send(
      new UpdateScheduledQueryCommand({
        identifier: "unfilled-sq",
        description: "daily errors",
        queryLanguage: "CWLI",
        queryString: "fields @message",
        scheduleExpression: "rate(1 day)",
        executionRoleArn: ROLE,
        destinationConfiguration: { s3Configuration },
        scheduleStartTime: start,
        scheduleEndTime: start + 2 * 86400,
      }),
    );
    expect(updated).toMatchObject({
      description: "daily errors",
      destinationConfiguration: { s3Configuration },
      scheduleStartTime: start,
      scheduleEndTime: start + 2 * 86400,
    });
  });

  it("DescribeQueryDefinitions shows the parameters saved with a definition", async () => {
    const parameters = [{ name: "level", defaultValue: "ERROR", description: "log level" }];
    const { queryDefinitionId } = await t.logs.send(new PutQueryDefinitionCommand({ name: "unfilled-def", queryString: "fields @message", parameters }));
    const d = (await t.logs.send(new DescribeQueryDefinitionsCommand({ queryDefinitionNamePrefix: "unfilled-def" }))).queryDefinitions!;
    expect(d.find((x) => x.queryDefinitionId === queryDefinitionId)?.parameters).toEqual(parameters);
  });
});

describe("anomaly detectors", () => {
  it("Get and List show the filter pattern and KMS key", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "unfilled-ad" }));
    const kmsKeyId = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const { anomalyDetectorArn } = await t.logs.send(
      new CreateLogAnomalyDetectorCommand({ logGroupArnList: [groupArn("unfilled-ad")], filterPattern: "ERROR", kmsKeyId }),
    );
    expect(await t.logs.send(new GetLogAnomalyDetectorCommand({ anomalyDetectorArn }))).toMatchObject({ filterPattern: "ERROR", kmsKeyId });
    const listed = (await t.logs.send(new ListLogAnomalyDetectorsCommand({ filterLogGroupArn: groupArn("unfilled-ad") }))).anomalyDetectors!;
    expect(listed[0]).toMatchObject({ filterPattern: "ERROR", kmsKeyId });
  });
});

describe("transformers", () => {
  it("GetTransformer fills a csv processor's delimiter and quote character defaults and echoes the rest", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "unfilled-tr" }));
    await t.logs.send(
      new PutTransformerCommand({
        logGroupIdentifier: "unfilled-tr",
        transformerConfig: [{ csv: {} }, { csv: { columns: ["a", "b"], delimiter: ";", quoteCharacter: "'", source: "s" } }],
      }),
    );
    const { transformerConfig } = await t.logs.send(new GetTransformerCommand({ logGroupIdentifier: "unfilled-tr" }));
    expect(transformerConfig).toEqual([
      { csv: { delimiter: ",", quoteCharacter: '"' } },
      { csv: { columns: ["a", "b"], delimiter: ";", quoteCharacter: "'", source: "s" } },
    ]);
  });
});
