/** Logs transformers (TestTransformer runs), lookup tables, scheduled queries and integrations. */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLookupTableCommand,
  CreateLogStreamCommand,
  CreateScheduledQueryCommand,
  DeleteIndexPolicyCommand,
  DescribeFieldIndexesCommand,
  DescribeIndexPoliciesCommand,
  DescribeLogGroupsCommand,
  PutBearerTokenAuthenticationCommand,
  PutIndexPolicyCommand,
  PutLogEventsCommand,
  DeleteIntegrationCommand,
  DeleteLookupTableCommand,
  DeleteScheduledQueryCommand,
  DeleteTransformerCommand,
  DescribeLookupTablesCommand,
  GetIntegrationCommand,
  GetLookupTableCommand,
  GetScheduledQueryCommand,
  GetTransformerCommand,
  ListIntegrationsCommand,
  ListScheduledQueriesCommand,
  ListTagsForResourceCommand,
  PutIntegrationCommand,
  PutTransformerCommand,
  TestTransformerCommand,
  UpdateLookupTableCommand,
  UpdateScheduledQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({}, (cfg) => ({ logs: new CloudWatchLogsClient(cfg) }));

describe("transformers", () => {
  it("TestTransformer runs parseJSON / parseKeyValue / csv and the key processors", async () => {
    const r = await sim.logs.send(
      new TestTransformerCommand({
        transformerConfig: [
          { parseJSON: {} },
          { addKeys: { entries: [{ key: "env", value: "prod" }] } },
          { renameKeys: { entries: [{ key: "lvl", renameTo: "level" }] } },
          { upperCaseString: { withKeys: ["level"] } },
          { copyValue: { entries: [{ source: "user.id", target: "uid" }] } },
          { typeConverter: { entries: [{ key: "ms", type: "integer" }] } },
          { deleteKeys: { withKeys: ["junk"] } },
        ],
        logEventMessages: ['{"lvl":"warn","user":{"id":"u1"},"ms":"42","junk":1}', "not json"],
      }),
    );
    expect(r.transformedLogs?.[0]?.eventNumber).toBe(1);
    expect(JSON.parse(r.transformedLogs![0]!.transformedEventMessage!)).toEqual({ level: "WARN", user: { id: "u1" }, ms: 42, env: "prod", uid: "u1" });
    expect(r.transformedLogs?.[1]?.transformedEventMessage).toBe("not json");
    const kv = await sim.logs.send(
      new TestTransformerCommand({
        transformerConfig: [{ parseKeyValue: { fieldDelimiter: " ", keyValueDelimiter: "=" } }, { trimString: { withKeys: ["b"] } }],
        logEventMessages: ["a=1 b=x"],
      }),
    );
    expect(JSON.parse(kv.transformedLogs![0]!.transformedEventMessage!)).toEqual({ a: "1", b: "x" });
    const csv = await sim.logs.send(
      new TestTransformerCommand({ transformerConfig: [{ csv: { columns: ["ip", "path"] } }], logEventMessages: ['10.0.0.1,"/a,b"'] }),
    );
    expect(JSON.parse(csv.transformedLogs![0]!.transformedEventMessage!)).toEqual({ ip: "10.0.0.1", path: "/a,b" });
    await expectAwsError(
      sim.logs.send(new TestTransformerCommand({ transformerConfig: [{ addKeys: { entries: [{ key: "a", value: "b" }] } }], logEventMessages: ["x"] })),
      {
        name: "InvalidParameterException",
        status: 400,
      },
    );
  });

  it("PutTransformer / GetTransformer / DeleteTransformer on a log group", async () => {
    await sim.logs.send(new CreateLogGroupCommand({ logGroupName: "/tr/app" }));
    await sim.logs.send(new PutTransformerCommand({ logGroupIdentifier: "/tr/app", transformerConfig: [{ parseJSON: {} }] }));
    const g = await sim.logs.send(new GetTransformerCommand({ logGroupIdentifier: "/tr/app" }));
    expect(g.transformerConfig).toEqual([{ parseJSON: {} }]);
    expect(typeof g.creationTime).toBe("number");
    await sim.logs.send(new DeleteTransformerCommand({ logGroupIdentifier: "/tr/app" }));
    await expectAwsError(sim.logs.send(new GetTransformerCommand({ logGroupIdentifier: "/tr/app" })), { name: "ResourceNotFoundException", status: 400 });
  });
});

describe("lookup tables, scheduled queries, integrations", () => {
  it("lookup tables: create (duplicates rejected), get, describe with fields and counts, update, tags, delete", async () => {
    const { lookupTableArn } = await sim.logs.send(
      new CreateLookupTableCommand({ lookupTableName: "users", tableBody: "id,name\n1,alice\n2,bob\n", tags: { t: "1" } }),
    );
    expect(lookupTableArn).toMatch(/:lookup-table:users$/);
    await expectAwsError(sim.logs.send(new CreateLookupTableCommand({ lookupTableName: "users", tableBody: "a\n" })), {
      name: "ResourceAlreadyExistsException",
      status: 400,
    });
    const d = await sim.logs.send(new DescribeLookupTablesCommand({ lookupTableNamePrefix: "us" }));
    expect(d.lookupTables?.[0]).toMatchObject({ lookupTableName: "users", tableFields: ["id", "name"], recordsCount: 2 });
    await sim.logs.send(new UpdateLookupTableCommand({ lookupTableArn, tableBody: "id,name\n1,alice\n" }));
    expect((await sim.logs.send(new GetLookupTableCommand({ lookupTableArn }))).tableBody).toBe("id,name\n1,alice\n");
    expect((await sim.logs.send(new ListTagsForResourceCommand({ resourceArn: lookupTableArn }))).tags).toEqual({ t: "1" });
    await sim.logs.send(new DeleteLookupTableCommand({ lookupTableArn }));
    await expectAwsError(sim.logs.send(new GetLookupTableCommand({ lookupTableArn })), { name: "ResourceNotFoundException", status: 400 });
  });

  it("scheduled queries: create with a validated query and schedule, get, list by state, update, delete", async () => {
    const base = {
      queryLanguage: "CWLI" as const,
      queryString: "fields @message | limit 5",
      scheduleExpression: "rate(5 minutes)",
      executionRoleArn: "arn:aws:iam::000000000000:role/sq",
      logGroupIdentifiers: ["/tr/app"],
    };
    const c = await sim.logs.send(new CreateScheduledQueryCommand({ name: "sq1", ...base }));
    expect(c.state).toBe("ENABLED");
    await expectAwsError(sim.logs.send(new CreateScheduledQueryCommand({ name: "sq2", ...base, queryString: "nonsense here" })), {
      name: "MalformedQueryException",
      status: 400,
    });
    await expectAwsError(sim.logs.send(new CreateScheduledQueryCommand({ name: "sq1", ...base })), { name: "ConflictException", status: 400 });
    const g = await sim.logs.send(new GetScheduledQueryCommand({ identifier: c.scheduledQueryArn! }));
    expect(g).toMatchObject({ name: "sq1", queryString: base.queryString, scheduleExpression: "rate(5 minutes)", state: "ENABLED" });
    await sim.logs.send(new UpdateScheduledQueryCommand({ identifier: "sq1", ...base, state: "DISABLED" }));
    expect((await sim.logs.send(new ListScheduledQueriesCommand({ state: "DISABLED" }))).scheduledQueries?.map((q) => q.name)).toEqual(["sq1"]);
    await sim.logs.send(new DeleteScheduledQueryCommand({ identifier: "sq1" }));
    await expectAwsError(sim.logs.send(new GetScheduledQueryCommand({ identifier: "sq1" })), { name: "ResourceNotFoundException", status: 400 });
  });

  it("OpenSearch integrations: put, get, list by prefix, delete", async () => {
    const p = await sim.logs.send(
      new PutIntegrationCommand({
        integrationName: "os1",
        integrationType: "OPENSEARCH",
        resourceConfig: {
          openSearchResourceConfig: {
            dataSourceRoleArn: "arn:aws:iam::000000000000:role/os",
            dashboardViewerPrincipals: ["arn:aws:iam::000000000000:root"],
            retentionDays: 30,
          },
        },
      }),
    );
    expect(p.integrationStatus).toBe("ACTIVE");
    expect((await sim.logs.send(new GetIntegrationCommand({ integrationName: "os1" }))).integrationType).toBe("OPENSEARCH");
    expect((await sim.logs.send(new ListIntegrationsCommand({ integrationNamePrefix: "os" }))).integrationSummaries?.map((i) => i.integrationName)).toEqual([
      "os1",
    ]);
    await sim.logs.send(new DeleteIntegrationCommand({ integrationName: "os1" }));
    await expectAwsError(sim.logs.send(new GetIntegrationCommand({ integrationName: "os1" })), { name: "ResourceNotFoundException", status: 400 });
  });
});

describe("field index policies and bearer tokens", () => {
  it("PutIndexPolicy, DescribeIndexPolicies, DescribeFieldIndexes with event times, DeleteIndexPolicy; bearer token flag", async () => {
    await sim.logs.send(new CreateLogGroupCommand({ logGroupName: "/fi/app" }));
    await sim.logs.send(new CreateLogStreamCommand({ logGroupName: "/fi/app", logStreamName: "s" }));
    const t = Date.now() - 5000;
    await sim.logs.send(
      new PutLogEventsCommand({
        logGroupName: "/fi/app",
        logStreamName: "s",
        logEvents: [
          { timestamp: t, message: JSON.stringify({ requestId: "a" }) },
          { timestamp: t + 10, message: "plain" },
          { timestamp: t + 20, message: JSON.stringify({ requestId: "b" }) },
        ],
      }),
    );
    const doc = JSON.stringify({ Fields: ["requestId"] });
    const p = await sim.logs.send(new PutIndexPolicyCommand({ logGroupIdentifier: "/fi/app", policyDocument: doc }));
    expect(p.indexPolicy).toMatchObject({ policyDocument: doc, source: "LOG_GROUP" });
    expect((await sim.logs.send(new DescribeIndexPoliciesCommand({ logGroupIdentifiers: ["/fi/app"] }))).indexPolicies?.[0]?.policyDocument).toBe(doc);
    const f = await sim.logs.send(new DescribeFieldIndexesCommand({ logGroupIdentifiers: ["/fi/app"] }));
    expect(f.fieldIndexes?.[0]).toMatchObject({ fieldIndexName: "requestId", firstEventTime: t, lastEventTime: t + 20, type: "FIELD_INDEX" });
    await sim.logs.send(new DeleteIndexPolicyCommand({ logGroupIdentifier: "/fi/app" }));
    await expectAwsError(sim.logs.send(new DeleteIndexPolicyCommand({ logGroupIdentifier: "/fi/app" })), { name: "ResourceNotFoundException", status: 400 });
    await sim.logs.send(new PutBearerTokenAuthenticationCommand({ logGroupIdentifier: "/fi/app", bearerTokenAuthenticationEnabled: true }));
    expect((await sim.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/fi/app" }))).logGroups?.[0]?.bearerTokenAuthenticationEnabled).toBe(true);
  });
});
