/** Logs' tail: data sources (GetLogFields, ListAggregateLogGroupSummaries, ListLogGroups dataSources), scheduled queries that run, import tasks, GetLogObject. */
import {
  type LogFieldType,
  CancelImportTaskCommand,
  CloudWatchLogsClient,
  AssociateSourceToS3TableIntegrationCommand,
  CreateImportTaskCommand,
  DisassociateSourceFromS3TableIntegrationCommand,
  ListSourcesForS3TableIntegrationCommand,
  DescribeImportTaskBatchesCommand,
  DescribeImportTasksCommand,
  GetLogObjectCommand,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  CreateScheduledQueryCommand,
  GetLogFieldsCommand,
  GetQueryResultsCommand,
  GetScheduledQueryCommand,
  GetScheduledQueryHistoryCommand,
  ListAggregateLogGroupSummariesCommand,
  ListLogGroupsCommand,
  ListScheduledQueriesCommand,
  PutLogEventsCommand,
  PutTransformerCommand,
  UpdateScheduledQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";

const sim = useServer({}, (cfg) => ({ logs: new CloudWatchLogsClient(cfg), s3: new S3Client({ ...cfg, forcePathStyle: true }) }));

async function group(name: string, tags?: Record<string, string>) {
  await sim.logs.send(new CreateLogGroupCommand({ logGroupName: name, tags }));
  await sim.logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: "s" }));
}

describe("data sources", () => {
  beforeAll(async () => {
    await group("/ds/app-a", { "cw:datasource:name": "myapp", "cw:datasource:type": "access" });
    await group("/ds/app-b", { "cw:datasource:name": "myapp", "cw:datasource:type": "access" });
    await group("/ds/app-audit", { "cw:datasource:name": "myapp", "cw:datasource:type": "audit" });
    await group("/ds/sec", { "cw:datasource:name": "secsrc", "cw:datasource:type": "events" });
    await group("/ds/untagged");
    await sim.logs.send(
      new PutTransformerCommand({
        logGroupIdentifier: "/ds/sec",
        transformerConfig: [{ parseToOCSF: { eventSource: "VPCFlow", ocsfVersion: "V1.1" } }],
      }),
    );
    const now = Date.now();
    await sim.logs.send(
      new PutLogEventsCommand({
        logGroupName: "/ds/app-a",
        logStreamName: "s",
        logEvents: [
          { timestamp: now - 2, message: JSON.stringify({ status: 200, path: "/x", user: { id: "u1", admin: false }, tags: ["a", "b"] }) },
          { timestamp: now - 1, message: "plain text line" },
        ],
      }),
    );
    await sim.logs.send(
      new PutLogEventsCommand({
        logGroupName: "/ds/app-b",
        logStreamName: "s",
        logEvents: [{ timestamp: now, message: JSON.stringify({ status: 404, latency: 1.5, user: { id: "u2", region: "eu" } }) }],
      }),
    );
  });

  it("ListAggregateLogGroupSummaries counts the real log groups by data source name and type", async () => {
    const out = await sim.logs.send(new ListAggregateLogGroupSummariesCommand({ groupBy: "DATA_SOURCE_NAME_AND_TYPE" }));
    const byKey = Object.fromEntries(
      (out.aggregateLogGroupSummaries ?? []).map((s) => [s.groupingIdentifiers!.map((g) => `${g.key}=${g.value}`).join(","), s.logGroupCount]),
    );
    expect(byKey).toEqual({
      "dataSource.Name=myapp,dataSource.Type=access": 2,
      "dataSource.Name=myapp,dataSource.Type=audit": 1,
      "dataSource.Name=secsrc,dataSource.Type=events": 1,
    });
  });

  it("groups by format too (OCSF from the transformer), filters by pattern and data source, and pages", async () => {
    const fmt = await sim.logs.send(
      new ListAggregateLogGroupSummariesCommand({ groupBy: "DATA_SOURCE_NAME_TYPE_AND_FORMAT", dataSources: [{ name: "secsrc" }] }),
    );
    expect(fmt.aggregateLogGroupSummaries).toEqual([
      {
        logGroupCount: 1,
        groupingIdentifiers: [
          { key: "dataSource.Name", value: "secsrc" },
          { key: "dataSource.Type", value: "events" },
          { key: "dataSource.Format", value: "OCSF" },
        ],
      },
    ]);
    const pattern = await sim.logs.send(new ListAggregateLogGroupSummariesCommand({ groupBy: "DATA_SOURCE_NAME_AND_TYPE", logGroupNamePattern: "app-b" }));
    expect(pattern.aggregateLogGroupSummaries?.map((s) => s.logGroupCount)).toEqual([1]);
    const p1 = await sim.logs.send(new ListAggregateLogGroupSummariesCommand({ groupBy: "DATA_SOURCE_NAME_AND_TYPE", limit: 2 }));
    expect(p1.aggregateLogGroupSummaries).toHaveLength(2);
    const p2 = await sim.logs.send(new ListAggregateLogGroupSummariesCommand({ groupBy: "DATA_SOURCE_NAME_AND_TYPE", limit: 2, nextToken: p1.nextToken }));
    expect(p2.aggregateLogGroupSummaries).toHaveLength(1);
    expect(p2.nextToken).toBeUndefined();
    await expectAwsError(sim.logs.send(new ListAggregateLogGroupSummariesCommand({ groupBy: "DATA_SOURCE_NAME_AND_TYPE", nextToken: "bogus" })), {
      name: "InvalidParameterException",
      status: 400,
    });
  });

  it("ListLogGroups filters by dataSources", async () => {
    const out = await sim.logs.send(new ListLogGroupsCommand({ dataSources: [{ name: "myapp", type: "access" }] }));
    expect(out.logGroups?.map((g) => g.logGroupName)).toEqual(["/ds/app-a", "/ds/app-b"]);
    const any = await sim.logs.send(new ListLogGroupsCommand({ dataSources: [{ name: "myapp" }] }));
    expect(any.logGroups).toHaveLength(3);
  });

  it("GetLogFields reports the JSON fields discovered in the data source's events, with their types", async () => {
    const out = await sim.logs.send(new GetLogFieldsCommand({ dataSourceName: "myapp", dataSourceType: "access" }));
    const fields: Record<string, LogFieldType | undefined> = Object.fromEntries((out.logFields ?? []).map((f) => [f.logFieldName, f.logFieldType]));
    expect(fields["@message"]).toEqual({ type: "string" });
    expect(fields["@timestamp"]).toEqual({ type: "timestamp" });
    expect(fields.status).toEqual({ type: "long" });
    expect(fields.latency).toEqual({ type: "double" });
    expect(fields.path).toEqual({ type: "string" });
    expect(fields.tags).toEqual({ type: "array", element: { type: "string" } });
    expect(fields.user?.type).toBe("struct");
    expect(Object.fromEntries(fields.user!.fields!.map((f) => [f.logFieldName, f.logFieldType?.type]))).toEqual({
      id: "string",
      admin: "boolean",
      region: "string",
    });
    // The audit groups have no JSON events: built-in fields only.
    const audit = await sim.logs.send(new GetLogFieldsCommand({ dataSourceName: "myapp", dataSourceType: "audit" }));
    expect(audit.logFields?.map((f) => f.logFieldName)).not.toContain("status");
    await expectAwsError(sim.logs.send(new GetLogFieldsCommand({ dataSourceName: "nope", dataSourceType: "x" })), {
      name: "ResourceNotFoundException",
      status: 400,
    });
  });
});

describe("scheduled queries run", () => {
  it("runs on its rate schedule as the clock advances: history, real query results and JSON results in S3", async () => {
    await group("/sq/app");
    await sim.s3.send(new CreateBucketCommand({ Bucket: "sq-results" }));
    const t0 = Date.now();
    const created = await sim.logs.send(
      new CreateScheduledQueryCommand({
        name: "errors-5m",
        queryLanguage: "CWLI",
        queryString: "filter @message like /ERROR/ | stats count(*) as n",
        logGroupIdentifiers: ["/sq/app"],
        scheduleExpression: "rate(5 minutes)",
        startTimeOffset: 300,
        executionRoleArn: "arn:aws:iam::000000000000:role/sq",
        destinationConfiguration: { s3Configuration: { destinationIdentifier: "s3://sq-results/out/", roleArn: "arn:aws:iam::000000000000:role/sq-s3" } },
      }),
    );
    expect(created.state).toBe("ENABLED");
    // Three errors in the first five minutes, one in the next five.
    await sim.logs.send(
      new PutLogEventsCommand({
        logGroupName: "/sq/app",
        logStreamName: "s",
        logEvents: [
          { timestamp: t0 + 60_000, message: "ERROR one" },
          { timestamp: t0 + 61_000, message: "ok" },
          { timestamp: t0 + 62_000, message: "ERROR two" },
          { timestamp: t0 + 120_000, message: "ERROR three" },
          { timestamp: t0 + 420_000, message: "ERROR four" },
        ],
      }),
    );
    vi.useFakeTimers({ toFake: ["Date"], now: t0 + 11 * 60_000 });
    try {
      const hist = await sim.logs.send(new GetScheduledQueryHistoryCommand({ identifier: "errors-5m", startTime: t0, endTime: t0 + 3_600_000 }));
      expect(hist.name).toBe("errors-5m");
      expect(hist.scheduledQueryArn).toBe(created.scheduledQueryArn);
      const runs = hist.triggerHistory ?? [];
      expect(runs.map((r) => r.executionStatus)).toEqual(["Complete", "Complete"]);
      // Newest first.
      expect(runs[0]!.triggeredTimestamp! - runs[1]!.triggeredTimestamp!).toBe(300_000);
      const counts = [];
      for (const r of runs.slice().reverse()) {
        const res = await sim.logs.send(new GetQueryResultsCommand({ queryId: r.queryId }));
        expect(res.status).toBe("Complete");
        counts.push(res.results?.[0]?.find((f) => f.field === "n")?.value);
        expect(r.destinations?.[0]).toMatchObject({ destinationType: "S3", destinationIdentifier: "s3://sq-results/out/", status: "COMPLETE" });
        const key = r.destinations![0]!.processedIdentifier!.replace("s3://sq-results/", "");
        expect(key).toBe(`out/errors-5m/${r.queryId}.json`);
        const obj = await sim.s3.send(new GetObjectCommand({ Bucket: "sq-results", Key: key }));
        expect(JSON.parse(await obj.Body!.transformToString())).toEqual([{ n: counts.at(-1) }]);
      }
      expect(counts).toEqual(["3", "1"]);
      const listed = await sim.s3.send(new ListObjectsV2Command({ Bucket: "sq-results", Prefix: "out/errors-5m/" }));
      expect(listed.KeyCount).toBe(2);
      const got = await sim.logs.send(new GetScheduledQueryCommand({ identifier: "errors-5m" }));
      expect(got.lastTriggeredTime).toBe(runs[0]!.triggeredTimestamp);
      expect(got.lastExecutionStatus).toBe("Complete");
      const list = await sim.logs.send(new ListScheduledQueriesCommand({}));
      expect(list.scheduledQueries?.find((q) => q.name === "errors-5m")?.lastExecutionStatus).toBe("Complete");
      // Filters and paging.
      const failed = await sim.logs.send(
        new GetScheduledQueryHistoryCommand({ identifier: "errors-5m", startTime: t0, endTime: t0 + 3_600_000, executionStatuses: ["Failed"] }),
      );
      expect(failed.triggerHistory).toEqual([]);
      const page = await sim.logs.send(
        new GetScheduledQueryHistoryCommand({ identifier: created.scheduledQueryArn!, startTime: t0, endTime: t0 + 3_600_000, maxResults: 1 }),
      );
      expect(page.triggerHistory).toHaveLength(1);
      const page2 = await sim.logs.send(
        new GetScheduledQueryHistoryCommand({ identifier: "errors-5m", startTime: t0, endTime: t0 + 3_600_000, maxResults: 1, nextToken: page.nextToken }),
      );
      expect(page2.triggerHistory?.[0]?.queryId).toBe(runs[1]!.queryId);
      // Disabled: no more runs.
      await sim.logs.send(
        new UpdateScheduledQueryCommand({
          identifier: "errors-5m",
          state: "DISABLED",
          queryLanguage: "CWLI",
          queryString: "stats count(*) as n",
          scheduleExpression: "rate(5 minutes)",
          executionRoleArn: "arn:aws:iam::000000000000:role/sq",
        }),
      );
      vi.setSystemTime(t0 + 60 * 60_000);
      const later = await sim.logs.send(new GetScheduledQueryHistoryCommand({ identifier: "errors-5m", startTime: t0, endTime: t0 + 7_200_000 }));
      expect(later.triggerHistory).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a cron schedule in a time zone, and the unknown-query error", async () => {
    await group("/sq/cron");
    const base = Date.UTC(2031, 0, 6, 9, 0, 0); // Monday 09:00 UTC
    vi.useFakeTimers({ toFake: ["Date"], now: base });
    try {
      await sim.logs.send(
        new CreateScheduledQueryCommand({
          name: "hourly-at-15",
          queryLanguage: "CWLI",
          queryString: "stats count(*) as n",
          logGroupIdentifiers: ["/sq/cron"],
          scheduleExpression: "cron(15 * * * ? *)",
          timezone: "Asia/Kolkata",
          executionRoleArn: "arn:aws:iam::000000000000:role/sq",
        }),
      );
      vi.setSystemTime(base + 3 * 3_600_000);
      const hist = await sim.logs.send(new GetScheduledQueryHistoryCommand({ identifier: "hourly-at-15", startTime: 0, endTime: base + 86_400_000 }));
      // Kolkata is UTC+05:30: minute 15 there is minute 45 in UTC.
      expect(hist.triggerHistory?.map((r) => new Date(r.triggeredTimestamp!).toISOString()).reverse()).toEqual([
        "2031-01-06T09:45:00.000Z",
        "2031-01-06T10:45:00.000Z",
        "2031-01-06T11:45:00.000Z",
      ]);
      expect(hist.triggerHistory?.every((r) => r.executionStatus === "Complete" && r.destinations === undefined)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
    await expectAwsError(sim.logs.send(new GetScheduledQueryHistoryCommand({ identifier: "nope", startTime: 0, endTime: 1 })), {
      name: "ResourceNotFoundException",
      status: 400,
    });
  });
});

describe("import tasks and large log objects (nothing to import from, no LLO can exist)", () => {
  it("answer as for an account with no CloudTrail Lake event data store", async () => {
    await expectAwsError(
      sim.logs.send(
        new CreateImportTaskCommand({
          importSourceArn: "arn:aws:cloudtrail:us-east-1:000000000000:eventdatastore/f1d45bff-d0e3-4868-b5d9-2eb678aa32fb",
          importRoleArn: "arn:aws:iam::000000000000:role/import",
        }),
      ),
      { name: "ResourceNotFoundException", status: 400 },
    );
    await expectAwsError(
      sim.logs.send(new CreateImportTaskCommand({ importSourceArn: "arn:aws:s3:::bucket/key", importRoleArn: "arn:aws:iam::000000000000:role/import" })),
      { name: "InvalidParameterException", status: 400 },
    );
    expect((await sim.logs.send(new DescribeImportTasksCommand({}))).imports).toEqual([]);
    expect((await sim.logs.send(new DescribeImportTasksCommand({ importStatus: "IN_PROGRESS" }))).imports).toEqual([]);
    await expectAwsError(sim.logs.send(new DescribeImportTaskBatchesCommand({ importId: "abc-123" })), { name: "ResourceNotFoundException", status: 400 });
    await expectAwsError(sim.logs.send(new CancelImportTaskCommand({ importId: "abc-123" })), { name: "ResourceNotFoundException", status: 400 });
    // GetLogObject has the host prefix "stream-": SDKs need disableHostPrefix against a local endpoint.
    const streamLogs = new CloudWatchLogsClient(clientConfig(sim.server, { disableHostPrefix: true }));
    await expectAwsError(streamLogs.send(new GetLogObjectCommand({ logObjectPointer: "@ptr.$['input']" })), { name: "ResourceNotFoundException", status: 400 });
  });
});

describe("S3 table integrations (created through Observability Admin, which awsim does not have)", () => {
  it("answer ResourceNotFoundException for any integration or source, after the model's input checks", async () => {
    const integrationArn = "arn:aws:observabilityadmin:us-east-1:000000000000:s3tableintegration/a1b2c3";
    const e1 = await expectAwsError(
      sim.logs.send(new AssociateSourceToS3TableIntegrationCommand({ integrationArn, dataSource: { name: "amazon_vpc", type: "flow" } })),
      { name: "ResourceNotFoundException", status: 400 },
    );
    expect(e1.message).toContain(integrationArn);
    await expectAwsError(sim.logs.send(new ListSourcesForS3TableIntegrationCommand({ integrationArn })), { name: "ResourceNotFoundException", status: 400 });
    await expectAwsError(sim.logs.send(new DisassociateSourceFromS3TableIntegrationCommand({ identifier: "src-1" })), {
      name: "ResourceNotFoundException",
      status: 400,
    });
    // Input the model forbids is refused before: maxResults is 1–100 (ValidationException, what this operation declares).
    await expectAwsError(sim.logs.send(new ListSourcesForS3TableIntegrationCommand({ integrationArn, maxResults: 500 })), {
      name: "ValidationException",
      status: 400,
    });
  });
});
