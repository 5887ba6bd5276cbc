/**
 * CloudWatch Logs through boto3 the way Python users' code calls it against AWS: kislyuk/watchtower's
 * handler (idempotent create, retention, create-stream-on-ResourceNotFound, sequence tokens it still
 * sends), Airflow's AwsLogsHook.get_log_events loop and CloudwatchTaskHandler's missing-stream case, and
 * aws-sdk-pandas' tests/unit/test_cloudwatch.py (describe/filter streams, Insights with a log group ARN,
 * test_query_cancelled's StartQuery + StopQuery loop).
 */
import { describe, expect, it } from "vitest";
import { hasBoto3, python, useServer } from "../helpers.js";

const SCRIPT = `
import boto3, json, sys, time
c = boto3.client("logs", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
out = {}
g, s = "watchtower", "host/prog/logger/1"
def idempotent(method, **kw):
    try:
        getattr(c, method)(**kw)
    except (c.exceptions.OperationAbortedException, c.exceptions.ResourceAlreadyExistsException):
        out.setdefault("already", []).append(method)
idempotent("create_log_group", logGroupName=g, tags={"team": "obs"})
idempotent("create_log_group", logGroupName=g)
c.put_retention_policy(logGroupName=g, retentionInDays=7)
now = int(time.time() * 1000)
kwargs = dict(logGroupName=g, logStreamName=s, logEvents=[{"timestamp": now + i, "message": json.dumps({"i": i})} for i in range(3)])
try:
    c.put_log_events(**kwargs)
except c.exceptions.ResourceNotFoundException as e:
    out["put_missing_stream"] = e.response["Error"]["Message"]
    idempotent("create_log_stream", logGroupName=g, logStreamName=s)
    idempotent("create_log_stream", logGroupName=g, logStreamName=s)
r = c.put_log_events(**kwargs)
kwargs.update(sequenceToken=r["nextSequenceToken"], logEvents=[{"timestamp": now - 20 * 86400000, "message": "old"}, {"timestamp": now + 5, "message": "late"}])
r = c.put_log_events(**kwargs)
out["rejected"] = r.get("rejectedLogEventsInfo")
out["tags"] = c.list_tags_for_resource(resourceArn=f"arn:aws:logs:us-east-1:000000000000:log-group:{g}")["tags"]

# Airflow AwsLogsHook.get_log_events: startFromHead, a continuation token, stop when nextForwardToken repeats.
token = [None]
def airflow_read():
    got = []
    while True:
        kw = dict(logGroupName=g, logStreamName=s, startTime=0, startFromHead=True)
        if token[0] is not None:
            kw["nextToken"] = token[0]
        r = c.get_log_events(**kw)
        got += [e["message"] for e in r["events"]]
        if token[0] == r["nextForwardToken"]:
            return got
        token[0] = r["nextForwardToken"]
out["airflow_1"] = airflow_read()
c.put_log_events(logGroupName=g, logStreamName=s, logEvents=[{"timestamp": now + 10, "message": "after"}])
out["airflow_2"] = airflow_read()
try:
    c.get_log_events(logGroupName=g, logStreamName="dag_id=d/run_id=manual__2026-01-01T00_00_00+00_00/task_id=t/attempt=1.log", startFromHead=True)
except c.exceptions.ResourceNotFoundException as e:
    out["task_log_missing"] = e.response["Error"]["Code"]

# aws-sdk-pandas test_describe_log_streams_and_filter_log_events
streams = ["aws_sdk_pandas_log_stream_one", "aws_sdk_pandas_log_stream_two"]
for name in streams:
    c.create_log_stream(logGroupName=g, logStreamName=name)
    c.put_log_events(logGroupName=g, logStreamName=name, logEvents=[{"timestamp": now + i, "message": f"{i}_{m}"} for i, m in enumerate(["REPORT", "DURATION", "START"])])
try:
    c.describe_log_streams(logGroupName=g, logStreamNamePrefix="aws_sdk_pandas", orderBy="LastEventTime")
except c.exceptions.InvalidParameterException as e:
    out["order_with_prefix"] = e.response["Error"]["Message"]
ls = c.describe_log_streams(logGroupName=g, orderBy="LastEventTime", descending=False)["logStreams"]
out["streams"] = len(ls)
ev = [e for p in c.get_paginator("filter_log_events").paginate(logGroupName=g, logStreamNames=streams, filterPattern="REPORT") for e in p["events"]]
out["report"] = sorted(e["logStreamName"] for e in ev)

# test_read_logs_by_log_group_arn and test_query_cancelled
sec = int(time.time())
arn = f"arn:aws:logs:us-east-1:000000000000:log-group:{g}"
q = c.start_query(logGroupIdentifiers=[arn], queryString="fields @timestamp, @message | sort @timestamp desc | limit 5", startTime=sec - 3600, endTime=sec + 60)
while (r := c.get_query_results(queryId=q["queryId"]))["status"] in ("Scheduled", "Running"):
    time.sleep(0.05)
out["query"] = [r["status"], len(r["results"]), [f["field"] for f in r["results"][0]]]
try:
    c.stop_query(queryId=q["queryId"])
except c.exceptions.InvalidParameterException as e:
    out["stop_finished"] = e.response["Error"]["Message"]
q = c.start_query(logGroupNames=[g], queryString="fields @timestamp, @message | sort @timestamp desc", startTime=sec - 3600, endTime=sec + 60)
out["stop_fresh"] = c.stop_query(queryId=q["queryId"])["success"]
out["cancelled"] = c.get_query_results(queryId=q["queryId"])["status"]
print(json.dumps(out))
`;

describe.skipIf(!hasBoto3())("Logs as watchtower, Airflow and aws-sdk-pandas call it (boto3)", () => {
  const sim = useServer();

  it("create/retention/stream-on-demand, rejected events by count, token-following reads, Insights and StopQuery", { timeout: 60_000 }, async () => {
    const out = JSON.parse(await python(SCRIPT, [sim.server.url], { timeout: 55_000 }));
    expect(out).toEqual({
      already: ["create_log_group", "create_log_stream"],
      put_missing_stream: "The specified log stream does not exist.",
      rejected: { expiredLogEventEndIndex: 1 },
      tags: { team: "obs" },
      airflow_1: ['{"i": 0}', '{"i": 1}', '{"i": 2}', "late"],
      airflow_2: ["after"],
      task_log_missing: "ResourceNotFoundException",
      order_with_prefix: "Cannot order by LastEventTime with a logStreamNamePrefix.",
      streams: 3,
      report: ["aws_sdk_pandas_log_stream_one", "aws_sdk_pandas_log_stream_two"],
      query: ["Complete", 5, ["@timestamp", "@message", "@ptr"]],
      stop_finished: "Query is not in Running or Scheduled state",
      stop_fresh: true,
      cancelled: "Cancelled",
    });
  });
});
