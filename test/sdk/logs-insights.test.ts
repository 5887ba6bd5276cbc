/** Logs Insights against the real JS client: the query engine, statuses, statistics, definitions, errors. */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteQueryDefinitionCommand,
  DescribeQueriesCommand,
  DescribeQueryDefinitionsCommand,
  GetLogGroupFieldsCommand,
  GetLogRecordCommand,
  GetQueryResultsCommand,
  type GetQueryResultsCommandOutput,
  PutLogEventsCommand,
  PutQueryDefinitionCommand,
  StartQueryCommand,
  StopQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { beforeAll, describe, expect, it } from "vitest";
import { aws, clientConfig, expectAwsError, hasAwsCli, startServer, useServer } from "../helpers.js";

const T0 = Date.now() - 3_600_000;
const LEVELS = ["INFO", "WARN", "ERROR"];
const USERS = ["alice", "bob", "carol", "dave"];

/** The same events the server gets, so counts can be computed independently here. */
const events = Array.from({ length: 120 }, (_, i) => ({
  timestamp: T0 + i * 15_000,
  level: LEVELS[i % 3]!,
  user: USERS[i % 4]!,
  latency: (i * 7) % 100,
}));

const sim = useServer({}, (cfg) => ({ logs: new CloudWatchLogsClient(cfg) }));
beforeAll(async () => {
  await sim.logs.send(new CreateLogGroupCommand({ logGroupName: "/app/json" }));
  await sim.logs.send(new CreateLogStreamCommand({ logGroupName: "/app/json", logStreamName: "s1" }));
  await sim.logs.send(
    new PutLogEventsCommand({
      logGroupName: "/app/json",
      logStreamName: "s1",
      logEvents: events.map((e) => ({
        timestamp: e.timestamp,
        message: JSON.stringify({ level: e.level, user: { name: e.user }, latency: e.latency, path: `/api/${e.user}` }),
      })),
    }),
  );
  await sim.logs.send(new CreateLogGroupCommand({ logGroupName: "/app/text" }));
  await sim.logs.send(new CreateLogStreamCommand({ logGroupName: "/app/text", logStreamName: "web-1" }));
  await sim.logs.send(
    new PutLogEventsCommand({
      logGroupName: "/app/text",
      logStreamName: "web-1",
      logEvents: [
        { timestamp: T0 + 1000, message: "10.0.0.1 GET /index.html 200 512" },
        { timestamp: T0 + 2000, message: "10.0.0.2 GET /missing 404 0" },
        { timestamp: T0 + 3000, message: "10.0.0.1 POST /login 200 128" },
        { timestamp: T0 + 4000, message: "10.0.0.3 GET /index.html 500 0" },
      ],
    }),
  );
});

const range = { startTime: Math.floor(T0 / 1000) - 60, endTime: Math.floor(Date.now() / 1000) + 60 };

async function query(queryString: string, groups: string[] = ["/app/json"], extra: Record<string, unknown> = {}): Promise<GetQueryResultsCommandOutput> {
  const { queryId } = await sim.logs.send(new StartQueryCommand({ logGroupNames: groups, queryString, ...range, ...extra }));
  expect(queryId).toMatch(/^[0-9a-f-]{36}$/);
  for (;;) {
    const r = await sim.logs.send(new GetQueryResultsCommand({ queryId }));
    if (r.status === "Complete") return r;
    expect(["Scheduled", "Running"]).toContain(r.status);
  }
}

const rowsOf = (r: GetQueryResultsCommandOutput) => (r.results ?? []).map((row) => Object.fromEntries(row.map((f) => [f.field!, f.value!])));

describe("Logs Insights", () => {
  it("stats count(*) by a JSON field matches counts computed independently, with statistics", async () => {
    const r = await query("filter latency >= 50 | stats count(*) as n, avg(latency) as avgLat by level | sort level asc");
    const expected = new Map<string, number[]>();
    for (const e of events) if (e.latency >= 50) expected.set(e.level, [...(expected.get(e.level) ?? []), e.latency]);
    const rows = rowsOf(r);
    expect(rows.map((x) => x.level)).toEqual([...expected.keys()].sort());
    for (const row of rows) {
      const lats = expected.get(row.level!)!;
      expect(Number(row.n)).toBe(lats.length);
      expect(Number(row.avgLat)).toBeCloseTo(lats.reduce((a, b) => a + b, 0) / lats.length, 6);
    }
    expect(r.statistics?.recordsScanned).toBe(120);
    expect(r.statistics?.recordsMatched).toBe(events.filter((e) => e.latency >= 50).length);
    expect(r.statistics?.bytesScanned).toBeGreaterThan(0);
    // Column order: the by-fields, then the aggregates.
    expect(r.results![0]!.map((f) => f.field)).toEqual(["level", "n", "avgLat"]);
  });

  it("nested JSON fields, count_distinct, min/max/sum/pct and bin()", async () => {
    const r = await query("stats count_distinct(user.name) as users, min(latency), max(latency), sum(latency), pct(latency, 50)");
    const row = rowsOf(r)[0]!;
    const lats = events.map((e) => e.latency).sort((a, b) => a - b);
    expect(row.users).toBe("4");
    expect(row["min(latency)"]).toBe(String(lats[0]));
    expect(row["max(latency)"]).toBe(String(lats[lats.length - 1]));
    expect(row["sum(latency)"]).toBe(String(lats.reduce((a, b) => a + b, 0)));
    expect(row["pct(latency, 50)"]).toBe(String(lats[Math.ceil(0.5 * lats.length) - 1]));
    const binned = rowsOf(await query("stats count(*) as c by bin(10m) as t | sort t asc"));
    const buckets = new Map<number, number>();
    for (const e of events) {
      const b = Math.floor(e.timestamp / 600_000) * 600_000;
      buckets.set(b, (buckets.get(b) ?? 0) + 1);
    }
    expect(binned.map((x) => Number(x.c))).toEqual([...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => c));
    expect(binned[0]!.t).toBe(new Date(Math.min(...buckets.keys())).toISOString().replace("T", " ").replace("Z", ""));
  });

  it("fields, sort, limit and the built-in fields; @ptr resolves through GetLogRecord", async () => {
    const r = await query("fields @timestamp, @message, @logStream, @log, user.name | sort @timestamp desc | limit 3");
    const rows = rowsOf(r);
    expect(rows).toHaveLength(3);
    const last = events[events.length - 1]!;
    expect(rows[0]!["@timestamp"]).toBe(new Date(last.timestamp).toISOString().replace("T", " ").replace("Z", ""));
    expect(rows[0]!["@logStream"]).toBe("s1");
    expect(rows[0]!["@log"]).toMatch(/^\d{12}:\/app\/json$/);
    expect(rows[0]!["user.name"]).toBe(last.user);
    expect(rows[0]!["@ptr"]).toBeTruthy();
    const rec = await sim.logs.send(new GetLogRecordCommand({ logRecordPointer: rows[0]!["@ptr"] }));
    expect(rec.logRecord?.["@message"]).toContain(`"latency":${last.latency}`);
    expect(rec.logRecord?.["user.name"]).toBe(last.user);
  });

  it("parse with a glob and with a regex, filter with in / like / and / not, dedup and display", async () => {
    const g = rowsOf(
      await query("parse @message '* * * * *' as ip, method, path, status, bytes | filter status in [200, 404] and method = 'GET' | display ip, path, status", [
        "/app/text",
      ]),
    );
    expect(g.map((x) => x.path).sort()).toEqual(["/index.html", "/missing"]);
    expect(Object.keys(g[0]!).sort()).toEqual(["@ptr", "ip", "path", "status"]);
    const re = rowsOf(
      await query("parse @message /^(?<ip>\\S+) (?<verb>[A-Z]+)/ | filter not (verb like /POST/) | dedup ip | fields ip | sort ip asc", ["/app/text"]),
    );
    expect(re.map((x) => x.ip)).toEqual(["10.0.0.1", "10.0.0.2", "10.0.0.3"]);
    const like = rowsOf(await query('filter @message like "index" | stats count(*) as c', ["/app/text"]));
    expect(like[0]!.c).toBe("2");
    const arns = rowsOf(
      await query("stats count(*) as c", [], { logGroupNames: undefined, logGroupIdentifiers: ["arn:aws:logs:us-east-1:000000000000:log-group:/app/text"] }),
    );
    expect(arns[0]!.c).toBe("4");
    await expectAwsError(
      sim.logs.send(
        new StartQueryCommand({ logGroupIdentifiers: ["arn:aws:logs:us-east-1:000000000000:log-group:/app/text:*"], queryString: "fields @message", ...range }),
      ),
      { name: "InvalidParameterException", status: 400 },
    );
    const both = rowsOf(await query("stats count(*) as c by @log | sort c desc", ["/app/text", "/app/json"]));
    expect(both.map((x) => Number(x.c))).toEqual([120, 4]);
  });

  it("functions in fields and comparisons; ispresent; without fields every discovered field comes back", async () => {
    const rows = rowsOf(await query("filter ispresent(user.name) and strlen(user.name) > 4 | fields toupper(user.name) as u, latency * 2 as dbl | limit 1000"));
    expect(rows.length).toBe(events.filter((e) => e.user.length > 4).length);
    expect(new Set(rows.map((x) => x.u))).toEqual(new Set(["ALICE", "CAROL"]));
    const all = rowsOf(await query("limit 1"))[0]!;
    expect(Object.keys(all)).toEqual(expect.arrayContaining(["@timestamp", "@message", "@logStream", "@log", "level", "user.name", "latency", "path", "@ptr"]));
  });

  it("the time range and the limit parameter bound the scan", async () => {
    // The range must end after the group's creation (AWS refuses one that ends before it): the last quarter-hour of events.
    const startTime = Math.floor((T0 + 90 * 15_000) / 1000);
    const r = await query("stats count(*) as c", ["/app/json"], { startTime, endTime: range.endTime });
    expect(rowsOf(r)[0]!.c).toBe(String(events.filter((e) => e.timestamp >= startTime * 1000).length));
    expect(r.statistics?.recordsScanned).toBe(events.filter((e) => e.timestamp >= startTime * 1000).length);
    expect(r.statistics?.recordsScanned).toBeLessThan(events.length);
    const lim = await query("fields @message", ["/app/json"], { limit: 7 });
    expect(lim.results).toHaveLength(7);
    const latest = (await sim.logs.send(new DescribeQueriesCommand({ maxResults: 1 }))).queries![0]!.queryId!;
    const p1 = await sim.logs.send(new GetQueryResultsCommand({ queryId: latest, maxItems: 5 }));
    expect(p1.results).toHaveLength(5);
    const p2 = await sim.logs.send(new GetQueryResultsCommand({ queryId: latest, maxItems: 5, nextToken: p1.nextToken }));
    expect(p2.results).toHaveLength(2);
    expect(p2.nextToken).toBeUndefined();
  });

  it("malformed queries, unknown groups and unknown query ids get AWS's errors", async () => {
    const err = await expectAwsError(sim.logs.send(new StartQueryCommand({ logGroupName: "/app/json", queryString: "bogus command", ...range })), {
      name: "MalformedQueryException",
      status: 400,
      message: /unexpected symbol found bogus at line 1 and position 1/,
    });
    expect((err as unknown as { queryCompileError?: { location?: { startCharOffset?: number } } }).queryCompileError?.location?.startCharOffset).toBe(0);
    await expectAwsError(sim.logs.send(new StartQueryCommand({ logGroupName: "/app/json", queryString: "stats nosuch(x)", ...range })), {
      name: "MalformedQueryException",
      status: 400,
    });
    await expectAwsError(sim.logs.send(new StartQueryCommand({ logGroupName: "/nope", queryString: "fields @message", ...range })), {
      name: "ResourceNotFoundException",
      status: 400,
    });
    await expectAwsError(sim.logs.send(new GetQueryResultsCommand({ queryId: "00000000-0000-0000-0000-000000000000" })), {
      name: "ResourceNotFoundException",
      status: 400,
    });
    await expectAwsError(sim.logs.send(new StartQueryCommand({ queryString: "fields @message", ...range })), {
      name: "InvalidParameterException",
      status: 400,
    });
  });

  it("DescribeQueries lists queries newest first with status and paginates; StopQuery on a finished query is an error", async () => {
    const { queryId } = await sim.logs.send(new StartQueryCommand({ logGroupName: "/app/text", queryString: "fields @message", ...range }));
    const d = await sim.logs.send(new DescribeQueriesCommand({ logGroupName: "/app/text" }));
    expect(d.queries?.[0]?.queryId).toBe(queryId);
    expect(d.queries?.every((q) => q.logGroupName === "/app/text" && q.status === "Complete")).toBe(true);
    const p1 = await sim.logs.send(new DescribeQueriesCommand({ maxResults: 2 }));
    expect(p1.queries).toHaveLength(2);
    const p2 = await sim.logs.send(new DescribeQueriesCommand({ maxResults: 2, nextToken: p1.nextToken }));
    expect(p2.queries?.[0]?.queryId).not.toBe(p1.queries?.[0]?.queryId);
    // The API reference: "If the query has already ended, the operation returns an error" (aws-sdk-pandas' test_query_cancelled matches its text).
    await expectAwsError(sim.logs.send(new StopQueryCommand({ queryId })), {
      name: "InvalidParameterException",
      status: 400,
      message: "Query is not in Running or Scheduled state",
    });
  });

  it("with a transition delay a query goes Scheduled → Running → Complete, and StopQuery cancels it", async () => {
    const slow = await startServer({ transitionDelayMs: 1500 });
    try {
      const c = new CloudWatchLogsClient(clientConfig(slow));
      await c.send(new CreateLogGroupCommand({ logGroupName: "g" }));
      const { queryId } = await c.send(new StartQueryCommand({ logGroupName: "g", queryString: "fields @message", ...range }));
      const seen: string[] = [];
      for (;;) {
        const r = await c.send(new GetQueryResultsCommand({ queryId }));
        if (seen[seen.length - 1] !== r.status) seen.push(r.status!);
        if (r.status === "Complete") break;
        await new Promise((res) => setTimeout(res, 20));
      }
      expect(seen).toEqual(["Scheduled", "Running", "Complete"]);
      const q2 = await c.send(new StartQueryCommand({ logGroupName: "g", queryString: "fields @message", ...range }));
      expect((await c.send(new StopQueryCommand({ queryId: q2.queryId }))).success).toBe(true);
      expect((await c.send(new GetQueryResultsCommand({ queryId: q2.queryId }))).status).toBe("Cancelled");
    } finally {
      await slow.stop();
    }
  });

  it("query definitions: put, update, describe by prefix with pagination, delete", async () => {
    const a = await sim.logs.send(new PutQueryDefinitionCommand({ name: "team/errors", queryString: "filter level = 'ERROR'", logGroupNames: ["/app/json"] }));
    const b = await sim.logs.send(new PutQueryDefinitionCommand({ name: "team/slow", queryString: "filter latency > 90" }));
    await sim.logs.send(new PutQueryDefinitionCommand({ name: "other", queryString: "fields @message" }));
    await sim.logs.send(new PutQueryDefinitionCommand({ queryDefinitionId: b.queryDefinitionId, name: "team/slow", queryString: "filter latency > 95" }));
    const d = await sim.logs.send(new DescribeQueryDefinitionsCommand({ queryDefinitionNamePrefix: "team/" }));
    expect(d.queryDefinitions?.map((q) => q.name)).toEqual(["team/errors", "team/slow"]);
    expect(d.queryDefinitions?.[1]?.queryString).toBe("filter latency > 95");
    expect(d.queryDefinitions?.[0]?.logGroupNames).toEqual(["/app/json"]);
    const p1 = await sim.logs.send(new DescribeQueryDefinitionsCommand({ maxResults: 1 }));
    expect(p1.nextToken).toBeTruthy();
    expect((await sim.logs.send(new DeleteQueryDefinitionCommand({ queryDefinitionId: a.queryDefinitionId }))).success).toBe(true);
    await expectAwsError(sim.logs.send(new DeleteQueryDefinitionCommand({ queryDefinitionId: a.queryDefinitionId! })), {
      name: "ResourceNotFoundException",
      status: 400,
    });
    // PutQueryDefinition declares InvalidParameterException (StartQuery alone declares MalformedQueryException).
    await expectAwsError(sim.logs.send(new PutQueryDefinitionCommand({ name: "bad", queryString: "nonsense here" })), {
      name: "InvalidParameterException",
      status: 400,
    });
  });

  it("GetLogGroupFields reports discovered fields with percentages", async () => {
    const r = await sim.logs.send(new GetLogGroupFieldsCommand({ logGroupName: "/app/json" }));
    const names = Object.fromEntries((r.logGroupFields ?? []).map((f) => [f.name, f.percent]));
    expect(names["user.name"]).toBe(100);
    expect(names["@message"]).toBe(100);
  });
});

describe.skipIf(!hasAwsCli())("Logs Insights with the aws CLI", () => {
  it("start-query / get-query-results", { timeout: 60_000 }, async () => {
    const ok = await aws(sim.server, [
      "logs",
      "start-query",
      "--log-group-name",
      "/app/text",
      "--start-time",
      String(range.startTime),
      "--end-time",
      String(range.endTime),
      "--query-string",
      "parse @message '* * *' as ip, method, rest | stats count(*) as c by method | sort method asc",
    ]);
    expect(ok.code).toBe(0);
    const r = await aws(sim.server, ["logs", "get-query-results", "--query-id", ok.json.queryId]);
    expect(r.json.status).toBe("Complete");
    expect(r.json.results).toEqual([
      [
        { field: "method", value: "GET" },
        { field: "c", value: "3" },
      ],
      [
        { field: "method", value: "POST" },
        { field: "c", value: "1" },
      ],
    ]);
  });
});
