import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  DescribeMetricFiltersCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutLogEventsCommand,
  PutMetricFilterCommand,
  PutRetentionPolicyCommand,
  TagLogGroupCommand,
  TagResourceCommand,
  TestMetricFilterCommand,
  UntagLogGroupCommand,
  UntagResourceCommand,
  paginateDescribeLogGroups,
  paginateDescribeLogStreams,
  paginateFilterLogEvents,
  paginateGetLogEvents,
} from "@aws-sdk/client-cloudwatch-logs";
import { beforeEach, describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const sim = useServer({ reset: "logs" }, (cfg) => ({ logs: new CloudWatchLogsClient(cfg) }));

async function groupWithStream(group = "/app/test", stream = "s1") {
  await sim.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await sim.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
}

describe("log groups", () => {
  it("create, describe with prefix and pattern, retention, delete", async () => {
    const before = Date.now();
    await sim.logs.send(new CreateLogGroupCommand({ logGroupName: "/app/a", tags: { team: "x" } }));
    await sim.logs.send(new CreateLogGroupCommand({ logGroupName: "/app/b" }));
    await sim.logs.send(new CreateLogGroupCommand({ logGroupName: "/other/Bee" }));
    const all = await sim.logs.send(new DescribeLogGroupsCommand({}));
    expect(all.logGroups!.map((g) => g.logGroupName)).toEqual(["/app/a", "/app/b", "/other/Bee"]);
    const a = all.logGroups![0]!;
    expect(a.arn).toBe("arn:aws:logs:us-east-1:000000000000:log-group:/app/a:*");
    expect(a.logGroupArn).toBe("arn:aws:logs:us-east-1:000000000000:log-group:/app/a");
    expect(a.creationTime).toBeGreaterThanOrEqual(before - 5);
    expect(a.creationTime).toBeLessThan(Date.now() + 5);
    expect(a.storedBytes).toBe(0);
    expect(a.metricFilterCount).toBe(0);
    expect(a.logGroupClass).toBe("STANDARD");
    expect(a.retentionInDays).toBeUndefined();

    expect((await sim.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/app/" }))).logGroups!.map((g) => g.logGroupName)).toEqual([
      "/app/a",
      "/app/b",
    ]);
    expect((await sim.logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: "bee" }))).logGroups!.map((g) => g.logGroupName)).toEqual(["/other/Bee"]);

    await sim.logs.send(new PutRetentionPolicyCommand({ logGroupName: "/app/a", retentionInDays: 7 }));
    expect((await sim.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/app/a" }))).logGroups![0]!.retentionInDays).toBe(7);
    await sim.logs.send(new DeleteRetentionPolicyCommand({ logGroupName: "/app/a" }));
    expect((await sim.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/app/a" }))).logGroups![0]!.retentionInDays).toBeUndefined();

    await sim.logs.send(new DeleteLogGroupCommand({ logGroupName: "/app/a" }));
    expect((await sim.logs.send(new DescribeLogGroupsCommand({}))).logGroups).toHaveLength(2);
  });

  it("errors as AWS", async () => {
    await sim.logs.send(new CreateLogGroupCommand({ logGroupName: "dup" }));
    await expectAwsError(sim.logs.send(new CreateLogGroupCommand({ logGroupName: "dup" })), {
      name: "ResourceAlreadyExistsException",
      status: 400,
      message: "The specified log group already exists",
    });
    await expectAwsError(sim.logs.send(new DeleteLogGroupCommand({ logGroupName: "nope" })), {
      name: "ResourceNotFoundException",
      status: 400,
      message: "The specified log group does not exist.",
    });
    await expectAwsError(sim.logs.send(new CreateLogGroupCommand({ logGroupName: "bad name!" })), {
      name: "InvalidParameterException",
      status: 400,
      message:
        "1 validation error detected: Value 'bad name!' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    });
    await expectAwsError(sim.logs.send(new PutRetentionPolicyCommand({ logGroupName: "dup", retentionInDays: 2 })), {
      name: "InvalidParameterException",
      status: 400,
      message: /enum value set: \[1, 3, 5, 7/,
    });
    await expectAwsError(sim.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "a", logGroupNamePattern: "b" })), {
      name: "InvalidParameterException",
      status: 400,
    });
    await expectAwsError(sim.logs.send(new DescribeLogGroupsCommand({ nextToken: "garbage" })), { name: "InvalidParameterException", status: 400 });
  });

  it("paginates DescribeLogGroups, each group once", async () => {
    for (let i = 0; i < 23; i++) await sim.logs.send(new CreateLogGroupCommand({ logGroupName: `/pg/g${String(i).padStart(2, "0")}` }));
    const seen: string[] = [];
    let pages = 0;
    for await (const p of paginateDescribeLogGroups({ client: sim.logs, pageSize: 5 }, { logGroupNamePrefix: "/pg/" })) {
      pages++;
      seen.push(...p.logGroups!.map((g) => g.logGroupName!));
    }
    expect(pages).toBe(5);
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
  });
});

describe("log streams", () => {
  it("create, describe ordered by name or last event time, paginate, delete", async () => {
    await sim.logs.send(new CreateLogGroupCommand({ logGroupName: "g" }));
    for (const s of ["b", "a", "c"]) await sim.logs.send(new CreateLogStreamCommand({ logGroupName: "g", logStreamName: s }));
    const now = Date.now();
    await sim.logs.send(new PutLogEventsCommand({ logGroupName: "g", logStreamName: "a", logEvents: [{ timestamp: now - 1000, message: "x" }] }));
    await sim.logs.send(new PutLogEventsCommand({ logGroupName: "g", logStreamName: "c", logEvents: [{ timestamp: now - 5000, message: "y" }] }));
    await sim.logs.send(new PutLogEventsCommand({ logGroupName: "g", logStreamName: "b", logEvents: [{ timestamp: now, message: "z" }] }));

    const byName = await sim.logs.send(new DescribeLogStreamsCommand({ logGroupName: "g" }));
    expect(byName.logStreams!.map((s) => s.logStreamName)).toEqual(["a", "b", "c"]);
    const a = byName.logStreams![0]!;
    expect(a.firstEventTimestamp).toBe(now - 1000);
    expect(a.lastEventTimestamp).toBe(now - 1000);
    expect(a.arn).toBe("arn:aws:logs:us-east-1:000000000000:log-group:g:log-stream:a");
    expect(a.lastIngestionTime).toBeGreaterThanOrEqual(now - 5);

    const byTime = await sim.logs.send(new DescribeLogStreamsCommand({ logGroupName: "g", orderBy: "LastEventTime", descending: true }));
    expect(byTime.logStreams!.map((s) => s.logStreamName)).toEqual(["b", "a", "c"]);
    expect(
      (await sim.logs.send(new DescribeLogStreamsCommand({ logGroupName: "g", logStreamNamePrefix: "c" }))).logStreams!.map((s) => s.logStreamName),
    ).toEqual(["c"]);

    const seen: string[] = [];
    for await (const p of paginateDescribeLogStreams({ client: sim.logs, pageSize: 2 }, { logGroupName: "g" }))
      seen.push(...p.logStreams!.map((s) => s.logStreamName!));
    expect(seen).toEqual(["a", "b", "c"]);

    await sim.logs.send(new DeleteLogStreamCommand({ logGroupName: "g", logStreamName: "a" }));
    expect((await sim.logs.send(new DescribeLogStreamsCommand({ logGroupName: "g" }))).logStreams).toHaveLength(2);
  });

  it("errors as AWS", async () => {
    await groupWithStream("g", "s");
    await expectAwsError(sim.logs.send(new CreateLogStreamCommand({ logGroupName: "g", logStreamName: "s" })), {
      name: "ResourceAlreadyExistsException",
      status: 400,
      message: "The specified log stream already exists",
    });
    await expectAwsError(sim.logs.send(new CreateLogStreamCommand({ logGroupName: "missing", logStreamName: "s" })), {
      name: "ResourceNotFoundException",
      status: 400,
    });
    await expectAwsError(sim.logs.send(new DeleteLogStreamCommand({ logGroupName: "g", logStreamName: "nope" })), {
      name: "ResourceNotFoundException",
      status: 400,
      message: "The specified log stream does not exist.",
    });
    await expectAwsError(sim.logs.send(new CreateLogStreamCommand({ logGroupName: "g", logStreamName: "a:b" })), {
      name: "InvalidParameterException",
      status: 400,
    });
    await expectAwsError(sim.logs.send(new DescribeLogStreamsCommand({ logGroupName: "g", orderBy: "LastEventTime", logStreamNamePrefix: "s" })), {
      name: "InvalidParameterException",
      status: 400,
      message: "Cannot order by LastEventTime with a logStreamNamePrefix.",
    });
  });
});

describe("PutLogEvents", () => {
  it("stores events and rejects too old / too new ones with rejectedLogEventsInfo", async () => {
    await groupWithStream();
    const now = Date.now();
    const old = await sim.logs.send(
      new PutLogEventsCommand({
        logGroupName: "/app/test",
        logStreamName: "s1",
        logEvents: [
          { timestamp: now - 15 * 86400_000, message: "ancient-1" },
          { timestamp: now - 15 * 86400_000 + 1, message: "ancient-2" },
        ],
      }),
    );
    // An exclusive end: AWS answers one too-old event with {"tooOldLogEventEndIndex":1} (aws/aws-for-fluent-bit#523).
    expect(old.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 2 });
    const r = await sim.logs.send(
      new PutLogEventsCommand({
        logGroupName: "/app/test",
        logStreamName: "s1",
        logEvents: [
          { timestamp: now - 1, message: "ok-1" },
          { timestamp: now, message: "ok-2" },
          { timestamp: now + 3 * 3600_000, message: "future" },
        ],
      }),
    );
    expect(r.nextSequenceToken).toMatch(/^\d+$/);
    expect(r.rejectedLogEventsInfo).toEqual({ tooNewLogEventStartIndex: 2 });
    const got = await sim.logs.send(new GetLogEventsCommand({ logGroupName: "/app/test", logStreamName: "s1", startFromHead: true }));
    expect(got.events!.map((e) => e.message)).toEqual(["ok-1", "ok-2"]);
    expect(got.events![0]!.ingestionTime).toBeGreaterThanOrEqual(now - 5);
  });

  it("enforces chronological order, the 24 h span, and the stream's existence", async () => {
    await groupWithStream();
    const now = Date.now();
    await expectAwsError(
      sim.logs.send(
        new PutLogEventsCommand({
          logGroupName: "/app/test",
          logStreamName: "s1",
          logEvents: [
            { timestamp: now, message: "b" },
            { timestamp: now - 10, message: "a" },
          ],
        }),
      ),
      { name: "InvalidParameterException", status: 400, message: "Log events in a single PutLogEvents request must be in chronological order." },
    );
    await expectAwsError(
      sim.logs.send(
        new PutLogEventsCommand({
          logGroupName: "/app/test",
          logStreamName: "s1",
          logEvents: [
            { timestamp: now - 25 * 3600_000, message: "a" },
            { timestamp: now, message: "b" },
          ],
        }),
      ),
      { name: "InvalidParameterException", status: 400, message: "The batch of log events in a single PutLogEvents request cannot span more than 24 hours." },
    );
    await expectAwsError(
      sim.logs.send(new PutLogEventsCommand({ logGroupName: "/app/test", logStreamName: "nope", logEvents: [{ timestamp: now, message: "a" }] })),
      {
        name: "ResourceNotFoundException",
        status: 400,
        message: "The specified log stream does not exist.",
      },
    );
    await expectAwsError(sim.logs.send(new PutLogEventsCommand({ logGroupName: "/app/test", logStreamName: "s1", logEvents: [] })), {
      name: "InvalidParameterException",
      status: 400,
      message: "1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1",
    });
    // Nothing half-written: the stream is still empty.
    expect((await sim.logs.send(new GetLogEventsCommand({ logGroupName: "/app/test", logStreamName: "s1" }))).events).toEqual([]);
  });
});

describe("GetLogEvents", () => {
  async function fill(n: number) {
    await groupWithStream();
    const base = Date.now() - 60_000;
    await sim.logs.send(
      new PutLogEventsCommand({
        logGroupName: "/app/test",
        logStreamName: "s1",
        logEvents: Array.from({ length: n }, (_, i) => ({ timestamp: base + i, message: `m${i}` })),
      }),
    );
    return base;
  }

  it("defaults to the newest events (startFromHead false) and honours limit", async () => {
    await fill(10);
    const r = await sim.logs.send(new GetLogEventsCommand({ logGroupName: "/app/test", logStreamName: "s1", limit: 3 }));
    expect(r.events!.map((e) => e.message)).toEqual(["m7", "m8", "m9"]);
    const back = await sim.logs.send(new GetLogEventsCommand({ logGroupName: "/app/test", logStreamName: "s1", limit: 3, nextToken: r.nextBackwardToken }));
    expect(back.events!.map((e) => e.message)).toEqual(["m4", "m5", "m6"]);
  });

  it("returns the same forward token when nothing is newer; new events appear through it", async () => {
    await fill(5);
    const r = await sim.logs.send(new GetLogEventsCommand({ logGroupName: "/app/test", logStreamName: "s1", startFromHead: true }));
    expect(r.events).toHaveLength(5);
    expect(r.nextForwardToken).toMatch(/^f\/\d+\/s$/);
    expect(r.nextBackwardToken).toMatch(/^b\/\d+\/s$/);
    const again = await sim.logs.send(new GetLogEventsCommand({ logGroupName: "/app/test", logStreamName: "s1", nextToken: r.nextForwardToken }));
    expect(again.events).toEqual([]);
    expect(again.nextForwardToken).toBe(r.nextForwardToken);
    await sim.logs.send(new PutLogEventsCommand({ logGroupName: "/app/test", logStreamName: "s1", logEvents: [{ timestamp: Date.now(), message: "late" }] }));
    const more = await sim.logs.send(new GetLogEventsCommand({ logGroupName: "/app/test", logStreamName: "s1", nextToken: r.nextForwardToken }));
    expect(more.events!.map((e) => e.message)).toEqual(["late"]);
  });

  it("the SDK paginator walks forward over every event once and stops", async () => {
    await fill(25);
    const seen: string[] = [];
    // As against AWS, the JS paginator needs stopOnSameToken: GetLogEvents always returns a forward token.
    for await (const p of paginateGetLogEvents(
      { client: sim.logs, pageSize: 10, stopOnSameToken: true },
      { logGroupName: "/app/test", logStreamName: "s1", startFromHead: true },
    )) {
      seen.push(...p.events!.map((e) => e.message!));
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `m${i}`));
  });

  it("filters by startTime (inclusive) and endTime (exclusive)", async () => {
    const base = await fill(10);
    const r = await sim.logs.send(
      new GetLogEventsCommand({ logGroupName: "/app/test", logStreamName: "s1", startTime: base + 2, endTime: base + 5, startFromHead: true }),
    );
    expect(r.events!.map((e) => e.message)).toEqual(["m2", "m3", "m4"]);
  });

  it("rejects a malformed token", async () => {
    await fill(1);
    await expectAwsError(sim.logs.send(new GetLogEventsCommand({ logGroupName: "/app/test", logStreamName: "s1", nextToken: "zzz" })), {
      name: "InvalidParameterException",
      status: 400,
    });
  });
});

describe("FilterLogEvents", () => {
  beforeEach(async () => {
    await sim.logs.send(new CreateLogGroupCommand({ logGroupName: "f" }));
    const t = Date.now() - 10_000;
    const put = async (stream: string, messages: string[], offset: number) => {
      await sim.logs.send(new CreateLogStreamCommand({ logGroupName: "f", logStreamName: stream }));
      await sim.logs.send(
        new PutLogEventsCommand({
          logGroupName: "f",
          logStreamName: stream,
          logEvents: messages.map((message, i) => ({ timestamp: t + offset + i * 10, message })),
        }),
      );
    };
    await put("web/1", ["GET /index 200", "ERROR db timeout", '{"level":"error","latency":250,"user":{"id":7}}'], 0);
    await put("web/2", ["GET /about 404", "WARN slow", '{"level":"info","latency":20}'], 5);
    await put("worker", ["ERROR queue full", '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326'], 1);
  });

  const messages = async (filterPattern?: string, extra: Record<string, unknown> = {}) =>
    (await sim.logs.send(new FilterLogEventsCommand({ logGroupName: "f", filterPattern, ...extra }))).events!.map((e) => e.message);

  it("interleaves every stream in timestamp order with stream names and event ids", async () => {
    const r = await sim.logs.send(new FilterLogEventsCommand({ logGroupName: "f" }));
    expect(r.events).toHaveLength(8);
    const ts = r.events!.map((e) => e.timestamp!);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
    expect(r.events![0]!.logStreamName).toBe("web/1");
    expect(new Set(r.events!.map((e) => e.eventId)).size).toBe(8);
  });

  it("term, phrase, exclusion and optional patterns", async () => {
    expect(await messages("ERROR")).toEqual(["ERROR queue full", "ERROR db timeout"]);
    expect(await messages('"db timeout"')).toEqual(["ERROR db timeout"]);
    expect(await messages("ERROR -queue")).toEqual(["ERROR db timeout"]);
    expect(await messages("?WARN ?404")).toEqual(["GET /about 404", "WARN slow"]);
    expect(await messages("GET 200")).toEqual(["GET /index 200", '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326']);
  });

  it("JSON patterns", async () => {
    expect(await messages('{ $.level = "error" }')).toEqual(['{"level":"error","latency":250,"user":{"id":7}}']);
    expect(await messages("{ $.latency > 100 }")).toHaveLength(1);
    expect(await messages('{ $.level = "inf*" || $.user.id = 7 }')).toHaveLength(2);
    expect(await messages("{ ($.latency < 100) && ($.user.id NOT EXISTS) }")).toEqual(['{"level":"info","latency":20}']);
  });

  it("space-delimited and regex patterns", async () => {
    expect(await messages("[ip, id, user, timestamp, request, status = 2*, size > 1000]")).toHaveLength(1);
    expect(await messages("[..., status = 404]")).toEqual(["GET /about 404"]);
    expect(await messages("[verb = GET, path, code]")).toEqual(["GET /index 200", "GET /about 404"]);
    expect(await messages("%ERROR (db|queue)%")).toHaveLength(2);
  });

  it("selects streams by name or prefix and by time", async () => {
    expect(await messages(undefined, { logStreamNames: ["worker"] })).toHaveLength(2);
    expect(await messages(undefined, { logStreamNamePrefix: "web/" })).toHaveLength(6);
    await expectAwsError(sim.logs.send(new FilterLogEventsCommand({ logGroupName: "f", logStreamNames: ["a"], logStreamNamePrefix: "b" })), {
      name: "InvalidParameterException",
      status: 400,
    });
    await expectAwsError(sim.logs.send(new FilterLogEventsCommand({ logGroupName: "f", filterPattern: "{ $.a = " })), {
      name: "InvalidParameterException",
      status: 400,
    });
  });

  it("paginates across streams, each event once", async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const p of paginateFilterLogEvents({ client: sim.logs, pageSize: 3 }, { logGroupName: "f" })) {
      pages++;
      seen.push(...p.events!.map((e) => e.eventId!));
    }
    // 3 + 3 + 2, then the empty page that follows AWS's token on the last page with events (aws-amplify/aws-sdk-android#2483).
    expect(pages).toBe(4);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
  });
});

describe("tags and metric filters", () => {
  it("TagResource family by ARN and TagLogGroup family by name", async () => {
    await sim.logs.send(new CreateLogGroupCommand({ logGroupName: "t", tags: { a: "1" } }));
    const arn = "arn:aws:logs:us-east-1:000000000000:log-group:t";
    await sim.logs.send(new TagResourceCommand({ resourceArn: arn, tags: { b: "2" } }));
    expect((await sim.logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ a: "1", b: "2" });
    await sim.logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["a"] }));
    await sim.logs.send(new TagLogGroupCommand({ logGroupName: "t", tags: { c: "3" } }));
    await sim.logs.send(new UntagLogGroupCommand({ logGroupName: "t", tags: ["b"] }));
    expect((await sim.logs.send(new ListTagsLogGroupCommand({ logGroupName: "t" }))).tags).toEqual({ c: "3" });
    await expectAwsError(sim.logs.send(new ListTagsForResourceCommand({ resourceArn: "arn:aws:logs:us-east-1:000000000000:log-group:none" })), {
      name: "ResourceNotFoundException",
      status: 400,
    });
    // More than 50 in all: TagResource's TooManyTagsException (with the resource), TagLogGroup's InvalidParameterException.
    const many = (p: string, n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${p}${i}`, "v"]));
    await sim.logs.send(new TagResourceCommand({ resourceArn: arn, tags: many("k", 40) }));
    const err = await expectAwsError(sim.logs.send(new TagResourceCommand({ resourceArn: arn, tags: many("j", 20) })), {
      name: "TooManyTagsException",
      status: 400,
      message: "A resource can have no more than 50 tags.",
    });
    expect((err as unknown as { resourceName?: string }).resourceName).toBe(arn);
    await expectAwsError(sim.logs.send(new TagLogGroupCommand({ logGroupName: "t", tags: many("j", 20) })), {
      name: "InvalidParameterException",
      status: 400,
    });
    expect(Object.keys((await sim.logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags!)).toHaveLength(41);
  });

  it("metric filters are stored, counted, and TestMetricFilter evaluates patterns", async () => {
    await sim.logs.send(new CreateLogGroupCommand({ logGroupName: "m" }));
    await sim.logs.send(
      new PutMetricFilterCommand({
        logGroupName: "m",
        filterName: "errors",
        filterPattern: "ERROR",
        metricTransformations: [{ metricName: "Errors", metricNamespace: "App", metricValue: "1" }],
      }),
    );
    const d = await sim.logs.send(new DescribeMetricFiltersCommand({ logGroupName: "m" }));
    expect(d.metricFilters![0]!.filterName).toBe("errors");
    expect(d.metricFilters![0]!.metricTransformations![0]!.metricName).toBe("Errors");
    expect((await sim.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "m" }))).logGroups![0]!.metricFilterCount).toBe(1);
    const t = await sim.logs.send(new TestMetricFilterCommand({ filterPattern: "[a, b = 2*]", logEventMessages: ["x 200", "y 500", "z 201"] }));
    expect(t.matches!.map((m) => m.eventNumber)).toEqual([1, 3]);
    expect(t.matches![0]!.extractedValues).toEqual({ $a: "x", $b: "200" });
  });
});
