/**
 * CloudWatch Logs as AWS's own code examples (awsdocs/aws-doc-sdk-examples) use it, replayed with the same calls:
 * - javascriptv3/example_code/cloudwatch-logs/scenarios/large-query (and python/.../scenarios/large-query): StartQuery
 *   with the range as epoch milliseconds (Date.valueOf()), "fields @timestamp, @message | sort @timestamp asc", a
 *   limit, GetQueryResults polled to a final status, and a range split in two while a query returns `limit` rows;
 *   a range out of the group's bounds is recognised by the message prefix "Query's end date and time".
 * - javascriptv3/example_code/cloudwatch-logs/tests/cloudwatch-logs.integration.test.js: a Lambda subscription
 *   filter (IAM role, CreateFunction, AddPermission for logs.amazonaws.com with the group's arn, put/describe/delete).
 */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteSubscriptionFilterCommand,
  DescribeSubscriptionFiltersCommand,
  GetQueryResultsCommand,
  paginateDescribeLogGroups,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  PutSubscriptionFilterCommand,
  type ResultField,
  StartQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { AttachRolePolicyCommand, CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient, waitUntilFunctionUpdated } from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";
import { zip } from "./lambda-helpers.js";

const sim = useServer({}, (cfg) => ({ logs: new CloudWatchLogsClient(cfg), lambda: new LambdaClient(cfg), iam: new IAMClient(cfg) }));

const QUERY = "fields @timestamp, @message | sort @timestamp asc";
const FINAL = ["Complete", "Failed", "Cancelled", "Timeout", "Unknown"];

/** The example's _query: StartQuery over [start, end] as Date.valueOf(), then GetQueryResults until a final status. */
async function query(group: string, [start, end]: [Date, Date], limit: number): Promise<ResultField[][]> {
  const { queryId } = await sim.logs.send(
    new StartQueryCommand({ logGroupNames: [group], queryString: QUERY, startTime: start.valueOf(), endTime: end.valueOf(), limit }),
  );
  for (let i = 0; i < 50; i++) {
    const r = await sim.logs.send(new GetQueryResultsCommand({ queryId }));
    if (FINAL.includes(r.status ?? "")) return r.results ?? [];
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error("query not done");
}

/** The example's _largeQuery: while a query returns `limit` rows, split the rest of the range after its last @timestamp. */
async function largeQuery(group: string, range: [Date, Date], limit: number, ranges: string[]): Promise<ResultField[][]> {
  const logs = await query(group, range, limit);
  ranges.push(`${range.map((d) => d.toISOString()).join(" to ")}: ${logs.length}`);
  if (logs.length < limit) return logs;
  const stamps = logs.map((row) => `${row.find((f) => f.field === "@timestamp")?.value}Z`).sort();
  const next = new Date(new Date(stamps[stamps.length - 1]!).valueOf() + 1);
  const mid = new Date(next.valueOf() + Math.floor((range[1].valueOf() - next.valueOf()) / 2));
  const halves = await Promise.all([largeQuery(group, [next, mid], limit, ranges), largeQuery(group, [new Date(mid.valueOf() + 1), range[1]], limit, ranges)]);
  return [logs, ...halves].flat();
}

describe("large-query scenario (javascriptv3 and python cloudwatch-logs/scenarios/large-query)", () => {
  it("StartQuery takes the range in epoch milliseconds, as the examples send it, and the split queries find every event once", async () => {
    const group = "/workflows/cloudwatch-logs/large-query";
    await sim.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await sim.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: "stream1" }));
    // As make-log-files.sh: entries from now on, 6 ms apart ("Entry n"), put in batches.
    const start = Date.now() + 1000;
    const total = 2500;
    for (let b = 0; b < total; b += 1000) {
      const logEvents = Array.from({ length: Math.min(1000, total - b) }, (_, i) => ({ timestamp: start + (b + i) * 6, message: `Entry ${b + i}` }));
      await sim.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: "stream1", logEvents }));
    }
    const end = new Date(start + (total - 1) * 6);

    const first = await query(group, [new Date(start), end], 1000);
    expect(first).toHaveLength(1000);
    expect(first[0]!.slice(0, 2)).toEqual([
      { field: "@timestamp", value: new Date(start).toISOString().replace("T", " ").replace("Z", "") },
      { field: "@message", value: "Entry 0" },
    ]);
    // A millisecond-precise window: exactly the events inside it.
    const window = await query(group, [new Date(start + 600), new Date(start + 1199)], 1000);
    expect(window.map((r) => r.find((f) => f.field === "@message")?.value)).toEqual(Array.from({ length: 100 }, (_, i) => `Entry ${100 + i}`));

    const ranges: string[] = [];
    const all = await largeQuery(group, [new Date(start), end], 1000, ranges);
    const messages = all.map((r) => r.find((f) => f.field === "@message")?.value);
    expect(messages).toHaveLength(total);
    expect(new Set(messages).size).toBe(total);
    expect(ranges.length).toBeGreaterThan(1);

    // The same range in epoch seconds (as the Rust example sends it) still means seconds.
    const { queryId } = await sim.logs.send(
      new StartQueryCommand({
        logGroupName: group,
        queryString: "stats count(*) as n",
        startTime: Math.floor(start / 1000),
        endTime: Math.floor(end.valueOf() / 1000),
      }),
    );
    const counted = await sim.logs.send(new GetQueryResultsCommand({ queryId }));
    const lastSecond = Math.floor(end.valueOf() / 1000) * 1000 + 999;
    const firstSecond = Math.floor(start / 1000) * 1000;
    const inRange = Array.from({ length: total }, (_, i) => start + i * 6).filter((t) => t >= firstSecond && t <= lastSecond).length;
    expect(counted.results?.[0]).toEqual([{ field: "n", value: String(inRange) }]);
  });

  it('a range that ends before the group was created, or before its retention, is MalformedQueryException "Query\'s end date and time ..."', async () => {
    await sim.logs.send(new CreateLogGroupCommand({ logGroupName: "/docexamples/bounds" }));
    const message = "Query's end date and time is either before the log groups creation time or exceeds the log groups log retention settings";
    const hourAgo = Date.now() - 3_600_000;
    const before = sim.logs.send(
      new StartQueryCommand({ logGroupNames: ["/docexamples/bounds"], queryString: QUERY, startTime: hourAgo - 60_000, endTime: hourAgo }),
    );
    const err = await expectAwsError(before, { name: "MalformedQueryException", status: 400, message });
    expect(err.message.startsWith("Query's end date and time")).toBe(true);
    // The same in epoch seconds.
    await expectAwsError(
      sim.logs.send(
        new StartQueryCommand({
          logGroupName: "/docexamples/bounds",
          queryString: QUERY,
          startTime: Math.floor(hourAgo / 1000) - 60,
          endTime: Math.floor(hourAgo / 1000),
        }),
      ),
      { name: "MalformedQueryException", status: 400, message },
    );
    // A range that starts before the creation but ends after it is a query.
    const { queryId } = await sim.logs.send(
      new StartQueryCommand({ logGroupName: "/docexamples/bounds", queryString: QUERY, startTime: hourAgo, endTime: Date.now() + 60_000 }),
    );
    expect(queryId).toMatch(/^[0-9a-f-]{36}$/);
    // Retention: a group kept 1 day refuses a range that ends 2 days ago, whatever the creation time.
    await sim.logs.send(new PutRetentionPolicyCommand({ logGroupName: "/docexamples/bounds", retentionInDays: 1 }));
    await expectAwsError(
      sim.logs.send(
        new StartQueryCommand({
          logGroupName: "/docexamples/bounds",
          queryString: QUERY,
          startTime: Date.now() - 3 * 86_400_000,
          endTime: Date.now() - 2 * 86_400_000,
        }),
      ),
      { name: "MalformedQueryException", status: 400, message },
    );
  });
});

describe("subscription filter to a Lambda function (javascriptv3 cloudwatch-logs integration test)", () => {
  it("needs the logs.amazonaws.com permission, then puts, describes (limit 1) and deletes the filter", async () => {
    const role = await sim.iam.send(
      new CreateRoleCommand({
        RoleName: "SubscriptionFilterLambdaRole",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      }),
    );
    await sim.iam.send(
      new AttachRolePolicyCommand({ RoleName: "SubscriptionFilterLambdaRole", PolicyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" }),
    );
    const fn = await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "SubscriptionFilterLambdaFunc",
        Role: role.Role!.Arn,
        Code: { ZipFile: zip({ "index.js": "exports.handler = async (e) => e;" }) },
        Architectures: ["arm64"],
        Handler: "index.handler",
        PackageType: "Zip",
        Runtime: "nodejs20.x",
      }),
    );
    const logGroupName = "SubscriptionFilterLogGroup";
    await sim.logs.send(new CreateLogGroupCommand({ logGroupName }));
    const put = () =>
      sim.logs.send(
        new PutSubscriptionFilterCommand({ destinationArn: fn.FunctionArn, filterName: "SubscriptionFilter", filterPattern: "ERROR", logGroupName }),
      );
    await expectAwsError(put(), {
      name: "InvalidParameterException",
      status: 400,
      message: "Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.",
    });

    let arn: string | undefined;
    for await (const page of paginateDescribeLogGroups({ client: sim.logs }, {})) {
      arn = page.logGroups?.find((g) => g.logGroupName === logGroupName)?.arn;
      if (arn) break;
    }
    expect(arn).toBe(`arn:aws:logs:us-east-1:000000000000:log-group:${logGroupName}:*`);
    await sim.lambda.send(
      new AddPermissionCommand({
        FunctionName: "SubscriptionFilterLambdaFunc",
        StatementId: `SubscriptionFilterLambdaFunc${Date.now()}`,
        Action: "lambda:InvokeFunction",
        Principal: "logs.amazonaws.com",
        SourceArn: arn,
      }),
    );
    await waitUntilFunctionUpdated({ client: sim.lambda, maxWaitTime: 10 }, { FunctionName: "SubscriptionFilterLambdaFunc" });
    await put();
    const described = await sim.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName, limit: 1 }));
    expect(described.subscriptionFilters?.[0]).toMatchObject({ filterName: "SubscriptionFilter", filterPattern: "ERROR", destinationArn: fn.FunctionArn });
    await sim.logs.send(new DeleteSubscriptionFilterCommand({ logGroupName, filterName: "SubscriptionFilter" }));
    expect((await sim.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName, limit: 1 }))).subscriptionFilters).toEqual([]);
  });
});
