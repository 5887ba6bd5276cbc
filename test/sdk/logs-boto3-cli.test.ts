/** CloudWatch Logs through boto3 and the aws CLI: Insights, metric/subscription filters, exports, destinations, policies, paginators. */
import { describe, expect, it } from "vitest";
import { aws, hasAwsCli, hasBoto3, useServer } from "../helpers.js";

const SCRIPT = `
import boto3, gzip, json, sys, time, collections
from botocore.config import Config
url = sys.argv[1]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
logs = boto3.client("logs", **kw)
out = {}
now = int(time.time() * 1000)
logs.create_log_group(logGroupName="/b3/app")
logs.create_log_stream(logGroupName="/b3/app", logStreamName="s")
levels = ["INFO", "WARN", "ERROR", "INFO"]
events = [{"timestamp": now - 60000 + i * 100, "message": json.dumps({"level": levels[i % 4], "ms": i})} for i in range(40)]
logs.put_log_events(logGroupName="/b3/app", logStreamName="s", logEvents=events)
expected = collections.Counter(levels[i % 4] for i in range(40))
qid = logs.start_query(logGroupName="/b3/app", startTime=int(now / 1000) - 120, endTime=int(now / 1000) + 60,
    queryString="stats count(*) as n by level | sort level asc")["queryId"]
while True:
    r = logs.get_query_results(queryId=qid)
    if r["status"] == "Complete": break
    time.sleep(0.05)
got = {row[0]["value"]: int(row[1]["value"]) for row in r["results"]}
out["insights_ok"] = got == dict(expected)
out["stats"] = r["statistics"]["recordsScanned"]
try:
    logs.start_query(logGroupName="/b3/app", startTime=0, endTime=1, queryString="fields @message | frobnicate")
except logs.exceptions.MalformedQueryException as e:
    out["malformed"] = e.response["Error"]["Code"]
for i in range(5):
    logs.put_metric_filter(logGroupName="/b3/app", filterName=f"mf{i}", filterPattern='{ $.level = "ERROR" }',
        metricTransformations=[{"metricName": f"m{i}", "metricNamespace": "B3", "metricValue": "$.ms"}])
out["mf_pages"] = sum(len(p["metricFilters"]) for p in logs.get_paginator("describe_metric_filters").paginate(logGroupName="/b3/app", PaginationConfig={"PageSize": 2}))
try:
    logs.put_subscription_filter(logGroupName="/b3/app", filterName="x", filterPattern="", destinationArn="arn:aws:lambda:us-east-1:000000000000:function:none")
except logs.exceptions.InvalidParameterException as e:
    out["sub_err"] = e.response["Error"]["Message"]
s3 = boto3.client("s3", config=Config(s3={"addressing_style": "path"}), **kw)
s3.create_bucket(Bucket="b3-exports")
tid = logs.create_export_task(logGroupName="/b3/app", fromTime=now - 120000, to=now + 1000, destination="b3-exports")["taskId"]
out["export_status"] = logs.describe_export_tasks(taskId=tid)["exportTasks"][0]["status"]["code"]
body = s3.get_object(Bucket="b3-exports", Key=f"exportedlogs/{tid}/s/000000.gz")["Body"].read()
out["export_lines"] = len(gzip.decompress(body).decode().splitlines())
logs.put_resource_policy(policyName="rp", policyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}))
out["policies"] = [p["policyName"] for p in logs.describe_resource_policies()["resourcePolicies"]]
for i in range(3):
    logs.put_query_definition(name=f"qd{i}", queryString="fields @message")
out["qd_pages"] = sum(len(p["queryDefinitions"]) for p in [logs.describe_query_definitions(maxResults=2)])
out["queries"] = sum(len(p["queries"]) for p in logs.get_paginator("describe_queries").paginate(PaginationConfig={"PageSize": 1}))
print(json.dumps(out))
`;

describe.skipIf(!hasBoto3())("Logs with boto3", () => {
  const sim = useServer();

  it("Insights stats, malformed queries, metric filter paginator, subscription errors, export to S3, policies", { timeout: 90_000 }, async () => {
    const { execFile } = await import("node:child_process");
    const out = await new Promise<string>((resolve, reject) =>
      execFile("python3", ["-c", SCRIPT, sim.server.url], { timeout: 85_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(stderr || String(err))) : resolve(stdout),
      ),
    );
    expect(JSON.parse(out)).toEqual({
      insights_ok: true,
      stats: 40,
      malformed: "MalformedQueryException",
      mf_pages: 5,
      sub_err: "Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.",
      export_status: "COMPLETED",
      export_lines: 40,
      policies: ["rp"],
      qd_pages: 2,
      queries: 1,
    });
  });
});

describe.skipIf(!hasAwsCli())("Logs with the aws CLI", () => {
  const sim = useServer();

  it("metric filters, test-metric-filter, destinations and account policies", { timeout: 90_000 }, async () => {
    expect((await aws(sim.server, ["logs", "create-log-group", "--log-group-name", "/cli/g"])).code).toBe(0);
    const put = await aws(sim.server, [
      "logs",
      "put-metric-filter",
      "--log-group-name",
      "/cli/g",
      "--filter-name",
      "errors",
      "--filter-pattern",
      "ERROR",
      "--metric-transformations",
      "metricName=Errors,metricNamespace=Cli,metricValue=1,defaultValue=0",
    ]);
    expect(put.code).toBe(0);
    const d = await aws(sim.server, ["logs", "describe-metric-filters", "--log-group-name", "/cli/g"]);
    expect(d.json.metricFilters[0]).toMatchObject({ filterName: "errors", filterPattern: "ERROR", logGroupName: "/cli/g" });
    const t = await aws(sim.server, ["logs", "test-metric-filter", "--filter-pattern", "ERROR", "--log-event-messages", "ERROR x", "INFO y"]);
    expect(t.json.matches.map((m: { eventNumber: number }) => m.eventNumber)).toEqual([1]);
    const ap = await aws(sim.server, [
      "logs",
      "put-account-policy",
      "--policy-name",
      "sub",
      "--policy-type",
      "SUBSCRIPTION_FILTER_POLICY",
      "--policy-document",
      JSON.stringify({ DestinationArn: "arn:aws:lambda:us-east-1:000000000000:function:f", FilterPattern: "" }),
    ]);
    expect(ap.code).toBe(0);
    expect(ap.json.accountPolicy).toMatchObject({ policyName: "sub", policyType: "SUBSCRIPTION_FILTER_POLICY", scope: "ALL" });
    const bad = await aws(sim.server, ["logs", "delete-destination", "--destination-name", "nope"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("ResourceNotFoundException");
  });
});
