/** CloudWatch Logs as users drive it: filter-log-events patterns, Logs Insights queries, boto3 paginators. (`aws logs tail` is CLI v2 only.) */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { aws, hasAwsCli, hasBoto3, python, useServer } from "../helpers.js";

describe.skipIf(!hasAwsCli() || !hasBoto3())("logs flows", () => {
  const sim = useServer();

  it("filter-log-events with text, term-set, exclusion and JSON patterns, --start-time and --max-items paging", async () => {
    const run = (args: string[]) => aws(sim.server, ["logs", ...args]);
    await run(["create-log-group", "--log-group-name", "/flows/app"]);
    for (const s of ["web", "worker"]) await run(["create-log-stream", "--log-group-name", "/flows/app", "--log-stream-name", s]);
    const now = Date.now();
    const ev = (t: number, m: string) => JSON.stringify({ timestamp: t, message: m });
    expect(
      (
        await run([
          "put-log-events",
          "--log-group-name",
          "/flows/app",
          "--log-stream-name",
          "web",
          "--log-events",
          `[${ev(now - 700_000, "INFO started")},${ev(now - 120_000, "ERROR boom one")},${ev(now - 60_000, "INFO fine")}]`,
        ])
      ).code,
    ).toBe(0);
    const put = await run([
      "put-log-events",
      "--log-group-name",
      "/flows/app",
      "--log-stream-name",
      "worker",
      "--log-events",
      `[${ev(now - 30_000, '{"level":"error","code":5}')},${ev(now - 20_000, '{"level":"info","code":0}')}]`,
    ]);
    expect(put.json.nextSequenceToken).toBeTruthy();
    const messages = async (...extra: string[]) =>
      (await run(["filter-log-events", "--log-group-name", "/flows/app", ...extra])).json.events.map((e: { message: string }) => e.message);
    expect(await messages("--filter-pattern", "ERROR")).toEqual(["ERROR boom one"]);
    expect(await messages("--filter-pattern", '"boom one"')).toEqual(["ERROR boom one"]);
    expect(await messages("--filter-pattern", "?ERROR ?error")).toEqual(["ERROR boom one", '{"level":"error","code":5}']);
    expect(await messages("--filter-pattern=-INFO", "--log-stream-names", "web")).toEqual(["ERROR boom one"]);
    expect(await messages("--filter-pattern", '{ $.level = "error" && $.code > 1 }')).toEqual(['{"level":"error","code":5}']);
    // What `aws logs tail --since 5m` asks for: events from five minutes ago on, interleaved across streams.
    expect(await messages("--start-time", String(now - 300_000))).toEqual([
      "ERROR boom one",
      "INFO fine",
      '{"level":"error","code":5}',
      '{"level":"info","code":0}',
    ]);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = (await run(["filter-log-events", "--log-group-name", "/flows/app", "--max-items", "2", ...(token ? ["--starting-token", token] : [])])).json;
      seen.push(...page.events.map((e: { message: string }) => e.message));
      token = page.NextToken;
    } while (token);
    expect(seen).toHaveLength(5);
    expect(seen[0]).toBe("INFO started");
    const missing = await run(["filter-log-events", "--log-group-name", "/flows/none"]);
    expect(missing.code).toBe(255);
    expect(missing.stderr).toContain(
      "An error occurred (ResourceNotFoundException) when calling the FilterLogEvents operation: The specified log group does not exist.",
    );

    const start = Math.floor(now / 1000) - 3600;
    const end = Math.floor(now / 1000) + 60;
    const q = await run([
      "start-query",
      "--log-group-name",
      "/flows/app",
      "--start-time",
      String(start),
      "--end-time",
      String(end),
      "--query-string",
      "fields @timestamp, @message | filter @message like /boom|error/ | sort @timestamp desc | limit 5",
    ]);
    expect(q.json.queryId).toMatch(/^[0-9a-f-]{36}$/);
    let res: any;
    for (let i = 0; i < 50; i++) {
      res = (await run(["get-query-results", "--query-id", q.json.queryId])).json;
      if (res.status === "Complete") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(res.status).toBe("Complete");
    expect(res.results.map((row: Array<{ field: string; value: string }>) => row.find((f) => f.field === "@message")?.value)).toEqual([
      '{"level":"error","code":5}',
      "ERROR boom one",
    ]);
    expect(res.statistics.recordsMatched).toBe(2);
    const stats = await run([
      "start-query",
      "--log-group-name",
      "/flows/app",
      "--start-time",
      String(start),
      "--end-time",
      String(end),
      "--query-string",
      "stats count(*) as n by @logStream | sort n desc",
    ]);
    for (let i = 0; i < 50; i++) {
      res = (await run(["get-query-results", "--query-id", stats.json.queryId])).json;
      if (res.status === "Complete") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(res.results).toEqual([
      [
        { field: "@logStream", value: "web" },
        { field: "n", value: "3" },
      ],
      [
        { field: "@logStream", value: "worker" },
        { field: "n", value: "2" },
      ],
    ]);
  });

  it("boto3: describe_log_streams paginated by LastEventTime, newest first", async () => {
    const out = await python(
      `
import boto3, json, sys, time
l = boto3.client("logs", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
l.create_log_group(logGroupName="/flows/order")
for s in "abcde": l.create_log_stream(logGroupName="/flows/order", logStreamName=s)
l.create_log_stream(logGroupName="/flows/order", logStreamName="empty")
now = int(time.time() * 1000)
for j, s in enumerate("dbeac"):
    l.put_log_events(logGroupName="/flows/order", logStreamName=s, logEvents=[{"timestamp": now - 100000 + j * 1000, "message": s}])
p = l.get_paginator("describe_log_streams")
pages = list(p.paginate(logGroupName="/flows/order", orderBy="LastEventTime", descending=True, PaginationConfig={"PageSize": 2}))
try:
    l.describe_log_streams(logGroupName="/flows/order", orderBy="LastEventTime", logStreamNamePrefix="a")
    err = None
except l.exceptions.InvalidParameterException as e:
    err = str(e)
print(json.dumps({"pages": [[s["logStreamName"] for s in pg["logStreams"]] for pg in pages], "err": err}))
`,
      [sim.server.url],
      { timeout: 30_000 },
    );
    const { pages, err } = JSON.parse(out);
    expect(pages.flat().filter((n: string) => n !== "empty")).toEqual(["c", "a", "e", "b", "d"]);
    expect(pages.flat()).toHaveLength(6);
    expect(pages[0]).toEqual(["c", "a"]);
    expect(err).toBe(
      "An error occurred (InvalidParameterException) when calling the DescribeLogStreams operation: Cannot order by LastEventTime with a logStreamNamePrefix.",
    );
  });
  it("start-live-tail: boto3 reads sessionStart then filtered sessionUpdates; the CLI prints the live messages", async () => {
    const out = await python(
      `
import boto3, json, sys, threading, time
from botocore.config import Config
l = boto3.client("logs", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test", config=Config(inject_host_prefix=False))
l.create_log_group(logGroupName="/flows/live")
l.create_log_stream(logGroupName="/flows/live", logStreamName="s")
arn = "arn:aws:logs:us-east-1:000000000000:log-group:/flows/live"
r = l.start_live_tail(logGroupIdentifiers=[arn], logEventFilterPattern="ERROR")
def put():
    time.sleep(1.2)
    now = int(time.time() * 1000)
    l.put_log_events(logGroupName="/flows/live", logStreamName="s", logEvents=[{"timestamp": now, "message": "INFO skip"}, {"timestamp": now, "message": "ERROR live"}])
threading.Thread(target=put).start()
events = []
for ev in r["responseStream"]:
    events.append(ev)
    if "sessionUpdate" in ev and ev["sessionUpdate"]["sessionResults"]:
        break
r["responseStream"].close()
print(json.dumps(events))
`,
      [sim.server.url],
      { timeout: 20_000 },
    );
    const events = JSON.parse(out);
    expect(events[0].sessionStart).toMatchObject({
      logGroupIdentifiers: ["arn:aws:logs:us-east-1:000000000000:log-group:/flows/live"],
      logEventFilterPattern: "ERROR",
    });
    const results = events.at(-1).sessionUpdate.sessionResults;
    expect(results.map((r: { message: string }) => r.message)).toEqual(["ERROR live"]);

    // The CLI calls stream-<host> unless host-prefix injection is off, as for every local endpoint.
    const child = spawn(
      "aws",
      ["logs", "start-live-tail", "--log-group-identifiers", "arn:aws:logs:us-east-1:000000000000:log-group:/flows/live", "--endpoint-url", sim.server.url],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: "test",
          AWS_SECRET_ACCESS_KEY: "test",
          AWS_DEFAULT_REGION: "us-east-1",
          AWS_CONFIG_FILE: "/dev/null",
          AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
          AWS_DISABLE_HOST_PREFIX_INJECTION: "true",
        },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise((r) => child.on("exit", r));
    try {
      // A live tail delivers only what arrives after its session started, and the CLI's start-up takes a while on a
      // loaded machine: put the event again until the tail shows it (or the attempts run out).
      for (let attempt = 0; attempt < 8 && !stdout.includes("from the cli tail"); attempt++) {
        await new Promise((r) => setTimeout(r, 1500));
        await aws(sim.server, [
          "logs",
          "put-log-events",
          "--log-group-name",
          "/flows/live",
          "--log-stream-name",
          "s",
          "--log-events",
          JSON.stringify([{ timestamp: Date.now(), message: "from the cli tail" }]),
        ]);
        for (let i = 0; i < 20 && !stdout.includes("from the cli tail"); i++) await new Promise((r) => setTimeout(r, 100));
      }
      expect(stderr).toBe("");
      expect(stdout).toContain("from the cli tail");
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  });
});
