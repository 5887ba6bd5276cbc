/** CloudWatch Logs: every paginator awsim answers, walked with the JS SDK's paginator (nextToken / limit). */
import {
  CloudWatchLogsClient,
  CreateDeliveryCommand,
  CreateExportTaskCommand,
  CreateLogAnomalyDetectorCommand,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  CreateScheduledQueryCommand,
  DescribeDestinationsCommand,
  DescribeExportTasksCommand,
  type DescribeExportTasksRequest,
  type DescribeExportTasksResponse,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
  DescribeQueriesCommand,
  type DescribeQueriesRequest,
  type DescribeQueriesResponse,
  DescribeResourcePoliciesCommand,
  type DescribeResourcePoliciesRequest,
  type DescribeResourcePoliciesResponse,
  paginateDescribeDeliveries,
  paginateDescribeDeliveryDestinations,
  paginateDescribeDeliverySources,
  paginateDescribeDestinations,
  paginateDescribeLogGroups,
  paginateDescribeLogStreams,
  paginateDescribeMetricFilters,
  paginateDescribeSubscriptionFilters,
  paginateFilterLogEvents,
  paginateGetLogEvents,
  paginateGetScheduledQueryHistory,
  paginateListAggregateLogGroupSummaries,
  paginateListAnomalies,
  paginateListLogAnomalyDetectors,
  paginateListLogGroupsForQuery,
  paginateListScheduledQueries,
  PutDeliveryDestinationCommand,
  PutDeliverySourceCommand,
  PutDestinationCommand,
  PutLogEventsCommand,
  PutMetricFilterCommand,
  PutResourcePolicyCommand,
  PutSubscriptionFilterCommand,
  StartQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";
import { expectWalk, names, pagesOf } from "./paginators-helpers.js";

const ACCOUNT = "000000000000";
const sim = useServer({}, (cfg) => ({ logs: new CloudWatchLogsClient(cfg) }));
const cfg = (pageSize = 2) => ({ client: sim.logs, pageSize });
const tok = (p: { nextToken?: string }) => p.nextToken;
// The JS SDK ships no paginator for these three; pagesOf walks them the way its paginators do.
const pager =
  <I extends { nextToken?: string }, O extends { nextToken?: string }>(send: (i: I) => Promise<O>, limitKey: keyof I & string) =>
  (c: { pageSize: number }, input: I) =>
    pagesOf(send, input, { inputToken: "nextToken", outputToken: "nextToken", limitKey, pageSize: c.pageSize });
const paginateDescribeResourcePolicies = pager(
  (i: DescribeResourcePoliciesRequest) => sim.logs.send(new DescribeResourcePoliciesCommand(i)) as Promise<DescribeResourcePoliciesResponse>,
  "limit",
);
const paginateDescribeExportTasks = pager(
  (i: DescribeExportTasksRequest) => sim.logs.send(new DescribeExportTasksCommand(i)) as Promise<DescribeExportTasksResponse>,
  "limit",
);
const paginateDescribeQueries = pager(
  (i: DescribeQueriesRequest) => sim.logs.send(new DescribeQueriesCommand(i)) as Promise<DescribeQueriesResponse>,
  "maxResults",
);

const groups = names("/pg/group");
const streams = names("stream");
const filters = names("mf");
const dests = names("pg-dest");
const policies = names("pg-policy");
const sources = names("pg-src");
const sqs = names("pg-sq");
const base = Date.now() - 60_000;
const fx = { queryIds: [] as string[], exportIds: [] as string[], detectors: [] as string[], deliveries: [] as string[], queryOfFive: "" };

beforeAll(async () => {
  const logs = sim.logs;
  const role = `arn:aws:iam::${ACCOUNT}:role/pg-logs`;
  await new IAMClient(clientConfig(sim.server)).send(
    new CreateRoleCommand({
      RoleName: "pg-logs",
      AssumeRolePolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    }),
  );
  await new S3Client(clientConfig(sim.server, { forcePathStyle: true })).send(new CreateBucketCommand({ Bucket: "pg-exports" }));
  for (const [i, g] of groups.entries()) {
    await logs.send(new CreateLogGroupCommand({ logGroupName: g, tags: { "cw:datasource:name": `src${i}`, "cw:datasource:type": "app" } }));
  }
  const g0 = groups[0]!;
  for (const [i, s] of streams.entries()) {
    await logs.send(new CreateLogStreamCommand({ logGroupName: g0, logStreamName: s }));
    // Later streams get older events, so LastEventTime order is the reverse of name order.
    await logs.send(new PutLogEventsCommand({ logGroupName: g0, logStreamName: s, logEvents: [{ timestamp: base + (10 - i) * 1000, message: `event ${i}` }] }));
  }
  for (const f of filters) {
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: g0,
        filterName: f,
        filterPattern: "ERROR",
        metricTransformations: [{ metricName: f, metricNamespace: "pg", metricValue: "1" }],
      }),
    );
  }
  const target = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/pg`;
  for (const d of dests) await logs.send(new PutDestinationCommand({ destinationName: d, targetArn: target, roleArn: role }));
  for (const f of ["sub-a", "sub-b"])
    await logs.send(new PutSubscriptionFilterCommand({ logGroupName: g0, filterName: f, filterPattern: "", destinationArn: target, roleArn: role }));
  const doc = (sid: string) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Sid: sid, Effect: "Allow", Principal: { Service: "es.amazonaws.com" }, Action: "logs:PutLogEvents", Resource: "*" }],
    });
  for (const p of policies) await logs.send(new PutResourcePolicyCommand({ policyName: p, policyDocument: doc(p.replace(/-/g, "")) }));
  for (let i = 0; i < 5; i++) {
    fx.exportIds.push((await logs.send(new CreateExportTaskCommand({ logGroupName: g0, from: base, to: Date.now(), destination: "pg-exports" }))).taskId!);
  }
  const range = { startTime: Math.floor(base / 1000) - 60, endTime: Math.floor(Date.now() / 1000) + 60 };
  for (let i = 0; i < 5; i++)
    fx.queryIds.push((await logs.send(new StartQueryCommand({ logGroupName: g0, queryString: `fields @message | limit ${i + 1}`, ...range }))).queryId!);
  fx.queryOfFive = (await logs.send(new StartQueryCommand({ logGroupNames: groups, queryString: "fields @message", ...range }))).queryId!;
  for (const g of groups) {
    const arn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${g}`;
    fx.detectors.push((await logs.send(new CreateLogAnomalyDetectorCommand({ logGroupArnList: [arn], evaluationFrequency: "TEN_MIN" }))).anomalyDetectorArn!);
  }
  for (const [i, s] of sources.entries()) {
    await logs.send(
      new PutDeliverySourceCommand({ name: s, resourceArn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:knowledge-base/kb${i}`, logType: "APPLICATION_LOGS" }),
    );
    const dst = await logs.send(
      new PutDeliveryDestinationCommand({
        name: `pg-dst-${i}`,
        deliveryDestinationConfiguration: { destinationResourceArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${groups[i]}` },
      }),
    );
    fx.deliveries.push(
      (await logs.send(new CreateDeliveryCommand({ deliverySourceName: s, deliveryDestinationArn: dst.deliveryDestination!.arn! }))).delivery!.id!,
    );
  }
  for (const q of sqs) {
    await logs.send(
      new CreateScheduledQueryCommand({
        name: q,
        queryLanguage: "CWLI",
        queryString: "fields @message | limit 5",
        scheduleExpression: "rate(5 minutes)",
        executionRoleArn: role,
        logGroupIdentifiers: [g0],
      }),
    );
  }
}, 60_000);

const rows: [string, () => Promise<unknown>][] = [
  [
    "DescribeLogGroups (ASCII-sorted by name)",
    () =>
      expectWalk({
        pages: paginateDescribeLogGroups(cfg(), { logGroupNamePrefix: "/pg/" }),
        items: (p) => p.logGroups,
        token: tok,
        key: (g: { logGroupName: string }) => g.logGroupName,
        pageSize: 2,
        expected: groups,
        ordered: true,
      }),
  ],
  [
    "DescribeLogStreams (by name)",
    () =>
      expectWalk({
        pages: paginateDescribeLogStreams(cfg(), { logGroupName: groups[0] }),
        items: (p) => p.logStreams,
        token: tok,
        key: (s: { logStreamName: string }) => s.logStreamName,
        pageSize: 2,
        expected: streams,
        ordered: true,
      }),
  ],
  [
    "DescribeLogStreams (LastEventTime, descending)",
    () =>
      expectWalk({
        pages: paginateDescribeLogStreams(cfg(), { logGroupName: groups[0], orderBy: "LastEventTime", descending: true }),
        items: (p) => p.logStreams,
        token: tok,
        key: (s: { logStreamName: string }) => s.logStreamName,
        pageSize: 2,
        expected: streams,
        ordered: true,
      }),
  ],
  [
    "DescribeMetricFilters",
    () =>
      expectWalk({
        pages: paginateDescribeMetricFilters(cfg(), { logGroupName: groups[0] }),
        items: (p) => p.metricFilters,
        token: tok,
        key: (f: { filterName: string }) => f.filterName,
        pageSize: 2,
        expected: filters,
        ordered: true,
      }),
  ],
  [
    "DescribeSubscriptionFilters (two a log group)",
    () =>
      expectWalk({
        pages: paginateDescribeSubscriptionFilters(cfg(1), { logGroupName: groups[0] }),
        items: (p) => p.subscriptionFilters,
        token: tok,
        key: (f: { filterName: string }) => f.filterName,
        pageSize: 1,
        expected: ["sub-a", "sub-b"],
      }),
  ],
  [
    // AWS answers a nextToken with every page that has events, the last one too; the page after it is empty
    // and has none (aws-amplify/aws-sdk-android#2483; Airflow's Glue hook resumes from that last token).
    "FilterLogEvents (in timestamp order; a token on every page with events, then an empty page without one)",
    async () => {
      const pages = [];
      for await (const p of paginateFilterLogEvents(cfg(), { logGroupName: groups[0], startTime: base })) {
        pages.push(p);
        if (pages.length > 8) throw new Error("paginator did not stop");
      }
      expect(pages.flatMap((p) => p.events ?? []).map((e) => e.message)).toEqual([4, 3, 2, 1, 0].map((i) => `event ${i}`));
      expect(pages.map((p) => p.events?.length ?? 0)).toEqual([2, 2, 1, 0]);
      expect(pages.map((p) => Boolean(p.nextToken))).toEqual([true, true, true, false]);
    },
  ],
  [
    "DescribeDestinations",
    () =>
      expectWalk({
        pages: paginateDescribeDestinations(cfg(), { DestinationNamePrefix: "pg-dest" }),
        items: (p) => p.destinations,
        token: tok,
        key: (d: { destinationName: string }) => d.destinationName,
        pageSize: 2,
        expected: dests,
      }),
  ],
  [
    "DescribeResourcePolicies",
    () =>
      expectWalk({
        pages: paginateDescribeResourcePolicies(cfg(), {}),
        items: (p) => p.resourcePolicies,
        token: tok,
        key: (r: { policyName: string }) => r.policyName,
        pageSize: 2,
        expected: policies,
      }),
  ],
  [
    "DescribeExportTasks",
    () =>
      expectWalk({
        pages: paginateDescribeExportTasks(cfg(), {}),
        items: (p) => p.exportTasks,
        token: tok,
        key: (t: { taskId: string }) => t.taskId,
        pageSize: 2,
        expected: fx.exportIds,
      }),
  ],
  [
    "DescribeQueries",
    () =>
      expectWalk({
        pages: paginateDescribeQueries(cfg(), { logGroupName: groups[1] }),
        items: (p) => p.queries,
        token: tok,
        key: (q: { queryId: string }) => q.queryId,
        pageSize: 1,
        expected: [fx.queryOfFive],
      }),
  ],
  [
    "DescribeQueries (five)",
    () =>
      expectWalk({
        pages: paginateDescribeQueries(cfg(), { logGroupName: groups[0] }),
        items: (p) => p.queries,
        token: tok,
        key: (q: { queryId: string }) => q.queryId,
        pageSize: 2,
        expected: [...fx.queryIds, fx.queryOfFive],
      }),
  ],
  [
    "ListLogGroupsForQuery (maxResults is at least 50: one page)",
    () =>
      expectWalk({
        pages: paginateListLogGroupsForQuery(cfg(50), { queryId: fx.queryOfFive }),
        items: (p) => p.logGroupIdentifiers,
        token: tok,
        key: (a: string) => a.replace(/^arn:.*:log-group:/, "").replace(/:\*$/, ""),
        pageSize: 50,
        expected: groups,
      }),
  ],
  [
    "ListLogAnomalyDetectors",
    () =>
      expectWalk({
        pages: paginateListLogAnomalyDetectors(cfg(), {}),
        items: (p) => p.anomalyDetectors,
        token: tok,
        key: (d: { anomalyDetectorArn: string }) => d.anomalyDetectorArn,
        pageSize: 2,
        expected: fx.detectors,
      }),
  ],
  [
    "ListAnomalies (none detected: one empty page)",
    () =>
      expectWalk({
        pages: paginateListAnomalies(cfg(), { anomalyDetectorArn: fx.detectors[0] }),
        items: (p) => p.anomalies,
        token: tok,
        key: (a: { anomalyId: string }) => a.anomalyId,
        pageSize: 2,
        expected: [],
      }),
  ],
  [
    "DescribeDeliverySources",
    () =>
      expectWalk({
        pages: paginateDescribeDeliverySources(cfg(), {}),
        items: (p) => p.deliverySources,
        token: tok,
        key: (s: { name: string }) => s.name,
        pageSize: 2,
        expected: sources,
      }),
  ],
  [
    "DescribeDeliveryDestinations",
    () =>
      expectWalk({
        pages: paginateDescribeDeliveryDestinations(cfg(), {}),
        items: (p) => p.deliveryDestinations,
        token: tok,
        key: (d: { name: string }) => d.name,
        pageSize: 2,
        expected: names("pg-dst"),
      }),
  ],
  [
    "DescribeDeliveries",
    () =>
      expectWalk({
        pages: paginateDescribeDeliveries(cfg(), {}),
        items: (p) => p.deliveries,
        token: tok,
        key: (d: { id: string }) => d.id,
        pageSize: 2,
        expected: fx.deliveries,
      }),
  ],
  [
    "ListScheduledQueries",
    () =>
      expectWalk({
        pages: paginateListScheduledQueries(cfg(), {}),
        items: (p) => p.scheduledQueries,
        token: tok,
        key: (q: { name: string }) => q.name,
        pageSize: 2,
        expected: sqs,
      }),
  ],
  [
    "GetScheduledQueryHistory (no run yet: one empty page)",
    () =>
      expectWalk({
        pages: paginateGetScheduledQueryHistory(cfg(), { identifier: sqs[0], startTime: 0, endTime: Date.now() + 60_000 }),
        items: (p) => p.triggerHistory,
        token: tok,
        key: (r: { queryId: string }) => r.queryId,
        pageSize: 2,
        expected: [],
      }),
  ],
  [
    "ListAggregateLogGroupSummaries",
    () =>
      expectWalk({
        pages: paginateListAggregateLogGroupSummaries(cfg(), { groupBy: "DATA_SOURCE_NAME_AND_TYPE" }),
        items: (p) => p.aggregateLogGroupSummaries,
        token: tok,
        key: (s: { groupingIdentifiers: { value: string }[] }) => s.groupingIdentifiers[0]!.value,
        pageSize: 2,
        expected: names("src").map((s) => s.replace("-", "")),
      }),
  ],
];

describe("CloudWatch Logs paginators (page size 2 over 5 items; no nextToken on the last page, FilterLogEvents aside)", () => {
  it.each(rows)("%s", async (_name, run) => {
    await run();
  });

  it("GetLogEvents from the head: every event once, in order; the walk stops when the same forward token comes back", async () => {
    await sim.logs.send(new CreateLogStreamCommand({ logGroupName: groups[1], logStreamName: "five" }));
    const events = [0, 1, 2, 3, 4].map((i) => ({ timestamp: base + i * 1000, message: `line ${i}` }));
    await sim.logs.send(new PutLogEventsCommand({ logGroupName: groups[1], logStreamName: "five", logEvents: events }));
    const pages: { events?: { message?: string }[]; nextForwardToken?: string }[] = [];
    for await (const p of paginateGetLogEvents(
      { client: sim.logs, pageSize: 2, stopOnSameToken: true },
      { logGroupName: groups[1], logStreamName: "five", startFromHead: true },
    )) {
      pages.push(p);
      if (pages.length > 10) break;
    }
    expect(pages.flatMap((p) => p.events ?? []).map((e) => e.message)).toEqual(events.map((e) => e.message));
    expect(pages.map((p) => p.events?.length ?? 0)).toEqual([2, 2, 1, 0]);
    expect(pages[3]!.nextForwardToken).toBe(pages[2]!.nextForwardToken);
    // Backwards from the tail (startFromHead false): newest pair first, then older, then the same backward token.
    const back: string[][] = [];
    let token: string | undefined;
    for (let n = 0; n < 10; n++) {
      const p = await sim.logs.send(new GetLogEventsCommand({ logGroupName: groups[1], logStreamName: "five", limit: 2, nextToken: token }));
      back.push((p.events ?? []).map((e) => e.message!));
      if (p.nextBackwardToken === token) break;
      token = p.nextBackwardToken;
    }
    expect(back).toEqual([["line 3", "line 4"], ["line 1", "line 2"], ["line 0"], []]);
  });

  it("limit outside its bounds is an InvalidParameterException", async () => {
    for (const limit of [0, 51]) {
      await expectAwsError(sim.logs.send(new DescribeLogGroupsCommand({ limit })), { name: "InvalidParameterException", status: 400 });
      await expectAwsError(sim.logs.send(new DescribeLogStreamsCommand({ logGroupName: groups[0], limit })), {
        name: "InvalidParameterException",
        status: 400,
      });
      await expectAwsError(sim.logs.send(new DescribeDestinationsCommand({ limit })), { name: "InvalidParameterException", status: 400 });
    }
    for (const maxResults of [0, 1001]) {
      await expectAwsError(sim.logs.send(new DescribeQueriesCommand({ maxResults })), { name: "InvalidParameterException", status: 400 });
    }
  });

  it("a token this server did not issue is an InvalidParameterException", async () => {
    const bad = { name: "InvalidParameterException", status: 400, message: "The specified nextToken is invalid." };
    await expectAwsError(sim.logs.send(new DescribeLogGroupsCommand({ nextToken: "garbage-token" })), bad);
    await expectAwsError(sim.logs.send(new DescribeLogStreamsCommand({ logGroupName: groups[0], nextToken: "garbage-token" })), bad);
    await expectAwsError(sim.logs.send(new DescribeDestinationsCommand({ nextToken: "garbage-token" })), bad);
    await expectAwsError(sim.logs.send(new DescribeQueriesCommand({ nextToken: "garbage-token" })), bad);
  });

  it("a query started between pages (listed first, newest first) neither repeats nor skips the rest", async () => {
    // Queries one second apart (a frozen clock moved by hand): the list is by start time, not by query id.
    const g = "/pq/queries";
    await sim.logs.send(new CreateLogGroupCommand({ logGroupName: g }));
    const t0 = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now: t0 });
    try {
      const start = async (i: number) => {
        vi.setSystemTime(t0 + i * 1000);
        const now = Math.floor((t0 + i * 1000) / 1000);
        return (await sim.logs.send(new StartQueryCommand({ logGroupName: g, queryString: "fields @message", startTime: now - 60, endTime: now }))).queryId!;
      };
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) ids.push(await start(i));
      const before = (await sim.logs.send(new DescribeQueriesCommand({ logGroupName: g }))).queries!.map((q) => q.queryId!);
      expect(before).toEqual([...ids].reverse());
      const first = await sim.logs.send(new DescribeQueriesCommand({ logGroupName: g, maxResults: 2 }));
      const seen = first.queries!.map((q) => q.queryId!);
      const added = await start(8);
      let nextToken = first.nextToken;
      while (nextToken) {
        const p = await sim.logs.send(new DescribeQueriesCommand({ logGroupName: g, maxResults: 2, nextToken }));
        seen.push(...p.queries!.map((q) => q.queryId!));
        nextToken = p.nextToken;
      }
      expect(seen).toEqual(before);
      expect(seen).not.toContain(added);
    } finally {
      vi.useRealTimers();
    }
  });

  it("default page: all five log groups in one page", async () => {
    const r = await sim.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/pg/" }));
    expect(r.logGroups).toHaveLength(5);
    expect(r.nextToken).toBeUndefined();
  });

  it("the default page is 50 log groups", async () => {
    for (const g of names("/pd/g", 51)) await sim.logs.send(new CreateLogGroupCommand({ logGroupName: g }));
    const first = await sim.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/pd/" }));
    expect(first.logGroups).toHaveLength(50);
    const rest = await sim.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/pd/", nextToken: first.nextToken }));
    expect(rest.logGroups?.map((g) => g.logGroupName)).toEqual(["/pd/g-9"]);
    expect(rest.nextToken).toBeUndefined();
  });
});
