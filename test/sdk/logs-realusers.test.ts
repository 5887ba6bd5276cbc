/**
 * CloudWatch Logs as the log shippers and readers real users run against AWS use it (their CI runs on AWS, so
 * what they rely on is AWS's behaviour): fluent-bit's out_cloudwatch_logs (raw JSON 1.1 requests), the
 * CloudWatch agent's pusher, moby's awslogs driver, Airflow's AwsLogsHook, aws-sdk-pandas' Logs Insights calls.
 */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  GetQueryResultsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  StartQueryCommand,
  StopQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const t = useServer({ reset: true }, (cfg) => ({ logs: new CloudWatchLogsClient(cfg) }));

const DAY = 86_400_000;

/** A raw request as fluent-bit's C client sends it: hand-built JSON body, its own headers. */
async function raw(op: string, body: string, headers: Record<string, string> = {}) {
  const r = await fetch(`${t.server.url}/`, {
    method: "POST",
    headers: {
      "x-amz-target": `Logs_20140328.${op}`,
      "content-type": "application/x-amz-json-1.1",
      "user-agent": "aws-fluent-bit-plugin",
      authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=0",
      ...headers,
    },
    body,
  });
  return { status: r.status, requestId: r.headers.get("x-amzn-requestid"), json: JSON.parse((await r.text()) || "{}") as Record<string, unknown> };
}

async function groupWithStream(group: string, stream = "s") {
  await t.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await t.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
}

describe("fluent-bit out_cloudwatch_logs (plugins/out_cloudwatch_logs/cloudwatch_api.c)", () => {
  it("create_log_stream → ResourceNotFoundException → create_log_group (class) → PutRetentionPolicy → stream again; PutLogEvents with an entity", async () => {
    const g = "fluent-bit-cloudwatch";
    const s = "from-fluent-bit-app";
    const first = await raw("CreateLogStream", `{"logGroupName":"${g}","logStreamName":"${s}"}`);
    expect(first.status).toBe(400);
    expect(first.json.__type).toBe("ResourceNotFoundException");
    expect((await raw("CreateLogGroup", `{"logGroupName":"${g}", "logGroupClass":"INFREQUENT_ACCESS"}`)).status).toBe(200);
    expect((await raw("PutRetentionPolicy", `{"logGroupName":"${g}","retentionInDays":14}`)).status).toBe(200);
    expect((await raw("CreateLogStream", `{"logGroupName":"${g}","logStreamName":"${s}"}`)).status).toBe(200);
    // Another worker's create: the plugin treats ResourceAlreadyExistsException as success.
    expect((await raw("CreateLogStream", `{"logGroupName":"${g}","logStreamName":"${s}"}`)).json.__type).toBe("ResourceAlreadyExistsException");
    const now = Date.now();
    const put = await raw(
      "PutLogEvents",
      `{"logGroupName":"${g}","logStreamName":"${s}","entity":{"keyAttributes":{"Type":"Service","Name":"svc","Environment":"eks:c/ns","AwsAccountId":"123456789012"},"attributes":{"PlatformType":"AWS::EKS","EKS.Cluster":"c"}},"logEvents":[{"timestamp":${now},"message":"{\\"log\\":\\"0\\"}"},{"timestamp":${now},"message":"{\\"log\\":\\"1\\"}"}]}`,
      { "x-amzn-logs-format": "json/emf" },
    );
    // A 200 without x-amzn-RequestId is retried by the plugin as an invalid response.
    expect(put.status).toBe(200);
    expect(put.requestId).toBeTruthy();
    // PutLogEvents on a stream deleted under it: ResourceNotFoundException, not retried.
    const gone = await raw("PutLogEvents", `{"logGroupName":"${g}","logStreamName":"gone","logEvents":[{"timestamp":${now},"message":"x"}]}`);
    expect(gone.json).toEqual({ __type: "ResourceNotFoundException", message: "The specified log stream does not exist." });
    // aws-for-fluent-bit's validator reads the events back in order, without startFromHead.
    const back = await t.logs.send(new GetLogEventsCommand({ logGroupName: g, logStreamName: s }));
    expect(back.events?.map((e) => e.message)).toEqual(['{"log":"0"}', '{"log":"1"}']);
  });

  it("one too-old event answers rejectedLogEventsInfo.tooOldLogEventEndIndex 1: an exclusive end (aws/aws-for-fluent-bit#523's raw response)", async () => {
    await groupWithStream("/rejected/one");
    const r = await t.logs.send(
      new PutLogEventsCommand({ logGroupName: "/rejected/one", logStreamName: "s", logEvents: [{ timestamp: Date.now() - 15 * DAY, message: "ancient" }] }),
    );
    expect(r.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 1 });
    expect(r.nextSequenceToken).toMatch(/^\d+$/);
  });
});

describe("amazon-cloudwatch-agent pusher (internal/pusher/sender.go: counts of rejected events)", () => {
  it("too-old and expired events are rejected by count while the rest are stored, and they do not count toward the 24 h span", async () => {
    await groupWithStream("/agent/app");
    const now = Date.now();
    const r = await t.logs.send(
      new PutLogEventsCommand({
        logGroupName: "/agent/app",
        logStreamName: "s",
        logEvents: [
          { timestamp: now - 20 * DAY, message: "old-1" },
          { timestamp: now - 19 * DAY, message: "old-2" },
          { timestamp: now - 1, message: "fresh" },
          { timestamp: now + 3 * 3_600_000, message: "future" },
        ],
      }),
    );
    expect(r.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 2, tooNewLogEventStartIndex: 3 });
    await t.logs.send(new PutRetentionPolicyCommand({ logGroupName: "/agent/app", retentionInDays: 7 }));
    const e = await t.logs.send(
      new PutLogEventsCommand({
        logGroupName: "/agent/app",
        logStreamName: "s",
        logEvents: [
          { timestamp: now - 10 * DAY, message: "expired-1" },
          { timestamp: now - 9 * DAY, message: "expired-2" },
          { timestamp: now, message: "fresh-2" },
        ],
      }),
    );
    expect(e.rejectedLogEventsInfo).toEqual({ expiredLogEventEndIndex: 2 });
    const got = await t.logs.send(new GetLogEventsCommand({ logGroupName: "/agent/app", logStreamName: "s", startFromHead: true }));
    expect(got.events?.map((x) => x.message)).toEqual(["fresh", "fresh-2"]);
    // Valid events more than 24 h apart still fail the whole batch.
    await expectAwsError(
      t.logs.send(
        new PutLogEventsCommand({
          logGroupName: "/agent/app",
          logStreamName: "s",
          logEvents: [
            { timestamp: now - 25 * 3_600_000, message: "a" },
            { timestamp: now, message: "b" },
          ],
        }),
      ),
      { name: "InvalidParameterException", status: 400, message: "The batch of log events in a single PutLogEvents request cannot span more than 24 hours." },
    );
  });
});

describe("moby awslogs driver (daemon/logger/awslogs/cloudwatchlogs.go)", () => {
  it("a stale or made-up sequenceToken is ignored: the batch is accepted", async () => {
    await groupWithStream("/moby/app");
    const r = await t.logs.send(
      new PutLogEventsCommand({
        logGroupName: "/moby/app",
        logStreamName: "s",
        sequenceToken: "49039859533790039851380816675861673084717305346360483984",
        logEvents: [{ timestamp: Date.now(), message: "hello" }],
      }),
    );
    expect(r.rejectedLogEventsInfo).toBeUndefined();
    const got = await t.logs.send(new GetLogEventsCommand({ logGroupName: "/moby/app", logStreamName: "s" }));
    expect(got.events?.map((x) => x.message)).toEqual(["hello"]);
  });
});

describe("Airflow AwsLogsHook.get_log_events (providers/amazon/.../hooks/logs.py)", () => {
  it("reads with startFromHead and a continuation token until nextForwardToken repeats, then resumes from it for new events", async () => {
    await groupWithStream("/airflow/task");
    const now = Date.now();
    await t.logs.send(
      new PutLogEventsCommand({
        logGroupName: "/airflow/task",
        logStreamName: "s",
        logEvents: Array.from({ length: 5 }, (_, i) => ({ timestamp: now + i, message: `line ${i}` })),
      }),
    );
    let token: string | undefined;
    const read = async () => {
      const out: string[] = [];
      for (let calls = 0; calls < 10; calls++) {
        const r = await t.logs.send(
          new GetLogEventsCommand({ logGroupName: "/airflow/task", logStreamName: "s", startTime: 0, startFromHead: true, nextToken: token, limit: 2 }),
        );
        out.push(...(r.events ?? []).map((e) => e.message!));
        if (token === r.nextForwardToken) return out;
        token = r.nextForwardToken;
      }
      throw new Error("nextForwardToken never repeated");
    };
    expect(await read()).toEqual(["line 0", "line 1", "line 2", "line 3", "line 4"]);
    await t.logs.send(new PutLogEventsCommand({ logGroupName: "/airflow/task", logStreamName: "s", logEvents: [{ timestamp: now + 10, message: "later" }] }));
    expect(await read()).toEqual(["later"]);
    expect(await read()).toEqual([]);
  });
});

describe("readers paging big events (Airflow's hook, aws-for-fluent-bit's validator, FilterLogEvents callers)", () => {
  it("a GetLogEvents or FilterLogEvents page holds at most 1 MB of events; the tokens lead to the rest", async () => {
    await groupWithStream("/big/app");
    const now = Date.now();
    const big = (c: string) => c.repeat(400_000);
    for (const i of [0, 1, 2]) {
      await t.logs.send(
        new PutLogEventsCommand({ logGroupName: "/big/app", logStreamName: "s", logEvents: [{ timestamp: now + i, message: big(String(i)) }] }),
      );
    }
    const head = await t.logs.send(new GetLogEventsCommand({ logGroupName: "/big/app", logStreamName: "s", startFromHead: true }));
    expect(head.events?.map((e) => e.message![0])).toEqual(["0", "1"]);
    const rest = await t.logs.send(
      new GetLogEventsCommand({ logGroupName: "/big/app", logStreamName: "s", startFromHead: true, nextToken: head.nextForwardToken }),
    );
    expect(rest.events?.map((e) => e.message![0])).toEqual(["2"]);
    const tail = await t.logs.send(new GetLogEventsCommand({ logGroupName: "/big/app", logStreamName: "s" }));
    expect(tail.events?.map((e) => e.message![0])).toEqual(["1", "2"]);
    const older = await t.logs.send(new GetLogEventsCommand({ logGroupName: "/big/app", logStreamName: "s", nextToken: tail.nextBackwardToken }));
    expect(older.events?.map((e) => e.message![0])).toEqual(["0"]);
    const f1 = await t.logs.send(new FilterLogEventsCommand({ logGroupName: "/big/app" }));
    expect(f1.events?.map((e) => e.message![0])).toEqual(["0", "1"]);
    expect(f1.nextToken).toBeTruthy();
    const f2 = await t.logs.send(new FilterLogEventsCommand({ logGroupName: "/big/app", nextToken: f1.nextToken }));
    expect(f2.events?.map((e) => e.message![0])).toEqual(["2"]);
    const f3 = await t.logs.send(new FilterLogEventsCommand({ logGroupName: "/big/app", nextToken: f2.nextToken }));
    expect(f3.events).toEqual([]);
    expect(f3.nextToken).toBeUndefined();
  });
});

describe("Airflow GlueJobHook.print_job_logs (FilterLogEvents paginator with a continuation token)", () => {
  it("the stream does not exist yet: ResourceNotFoundException; then each poll resumes from the last page's nextToken and prints only new lines", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "/aws-glue/jobs/output" }));
    const runId = "jr_0123456789abcdef";
    const poll = async (token: string | undefined) => {
      const lines: string[] = [];
      let next = token;
      let req = token;
      for (let i = 0; i < 10; i++) {
        const r = await t.logs.send(new FilterLogEventsCommand({ logGroupName: "/aws-glue/jobs/output", logStreamNames: [runId], nextToken: req }));
        lines.push(...(r.events ?? []).map((e) => e.message!));
        // "if the response is empty there is no nextToken in it"
        next = r.nextToken ?? next;
        if (!r.nextToken) return { lines, next };
        req = r.nextToken;
      }
      throw new Error("FilterLogEvents never ended");
    };
    await expectAwsError(t.logs.send(new FilterLogEventsCommand({ logGroupName: "/aws-glue/jobs/output", logStreamNames: [runId] })), {
      name: "ResourceNotFoundException",
      status: 400,
      message: "The specified log stream does not exist.",
    });
    await t.logs.send(new CreateLogStreamCommand({ logGroupName: "/aws-glue/jobs/output", logStreamName: runId }));
    const now = Date.now();
    await t.logs.send(
      new PutLogEventsCommand({
        logGroupName: "/aws-glue/jobs/output",
        logStreamName: runId,
        logEvents: [
          { timestamp: now, message: "step 1" },
          { timestamp: now + 1, message: "step 2" },
        ],
      }),
    );
    const first = await poll(undefined);
    expect(first.lines).toEqual(["step 1", "step 2"]);
    expect(first.next).toBeTruthy();
    await t.logs.send(
      new PutLogEventsCommand({ logGroupName: "/aws-glue/jobs/output", logStreamName: runId, logEvents: [{ timestamp: now + 2, message: "step 3" }] }),
    );
    const second = await poll(first.next);
    expect(second.lines).toEqual(["step 3"]);
    expect((await poll(second.next)).lines).toEqual([]);
  });
});

describe("percona/rds_exporter enhanced/scraper.go (FilterLogEvents over RDSOSMetrics streams)", () => {
  it("one missing stream among logStreamNames fails the whole request with ResourceNotFoundException; without it the batch reads", async () => {
    await groupWithStream("RDSOSMetrics", "db-AAAA");
    await t.logs.send(new CreateLogStreamCommand({ logGroupName: "RDSOSMetrics", logStreamName: "db-BBBB" }));
    const now = Date.now();
    for (const s of ["db-AAAA", "db-BBBB"]) {
      await t.logs.send(
        new PutLogEventsCommand({ logGroupName: "RDSOSMetrics", logStreamName: s, logEvents: [{ timestamp: now, message: `{"instanceID":"${s}"}` }] }),
      );
    }
    await expectAwsError(
      t.logs.send(new FilterLogEventsCommand({ logGroupName: "RDSOSMetrics", logStreamNames: ["db-AAAA", "db-GONE", "db-BBBB"], startTime: now - 180_000 })),
      { name: "ResourceNotFoundException", status: 400, message: "The specified log stream does not exist." },
    );
    const ok = await t.logs.send(
      new FilterLogEventsCommand({ logGroupName: "RDSOSMetrics", logStreamNames: ["db-AAAA", "db-BBBB"], startTime: now - 180_000 }),
    );
    expect(ok.events?.map((e) => e.logStreamName).sort()).toEqual(["db-AAAA", "db-BBBB"]);
  });
});

describe("aws-sdk-pandas tests/unit/test_cloudwatch.py", () => {
  it("test_query_cancelled: a StopQuery sent right after StartQuery cancels the query; wait_query then sees Cancelled", async () => {
    await groupWithStream("/pandas/c");
    const sec = Math.floor(Date.now() / 1000);
    const { queryId } = await t.logs.send(
      new StartQueryCommand({
        logGroupNames: ["/pandas/c"],
        queryString: "fields @timestamp, @message | sort @timestamp desc",
        startTime: sec - 3600,
        endTime: sec + 60,
      }),
    );
    expect((await t.logs.send(new StopQueryCommand({ queryId }))).success).toBe(true);
    const r = await t.logs.send(new GetQueryResultsCommand({ queryId }));
    expect(r.status).toBe("Cancelled");
    expect(r.results).toEqual([]);
    await expectAwsError(t.logs.send(new StopQueryCommand({ queryId })), {
      name: "InvalidParameterException",
      status: 400,
      message: "Query is not in Running or Scheduled state",
    });
  });

  it("test_query_cancelled: StopQuery on a query that has ended is an InvalidParameterException with AWS's text", async () => {
    await groupWithStream("/pandas/q");
    await t.logs.send(new PutLogEventsCommand({ logGroupName: "/pandas/q", logStreamName: "s", logEvents: [{ timestamp: Date.now(), message: "m" }] }));
    const sec = Math.floor(Date.now() / 1000);
    const { queryId } = await t.logs.send(
      new StartQueryCommand({
        logGroupIdentifiers: ["arn:aws:logs:us-east-1:000000000000:log-group:/pandas/q"],
        queryString: "fields @timestamp, @message | sort @timestamp desc | limit 5",
        startTime: sec - 3600,
        endTime: sec + 60,
      }),
    );
    const res = await t.logs.send(new GetQueryResultsCommand({ queryId }));
    expect(res.status).toBe("Complete");
    expect(res.results?.[0]?.map((f) => f.field)).toEqual(["@timestamp", "@message", "@ptr"]);
    await expectAwsError(t.logs.send(new StopQueryCommand({ queryId })), {
      name: "InvalidParameterException",
      status: 400,
      message: "Query is not in Running or Scheduled state",
    });
  });
});
