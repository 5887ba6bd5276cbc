/** Logs metric filters that produce data points, subscription filters that deliver to Lambda, retention that expires. */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteSubscriptionFilterCommand,
  DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand,
  DescribeSubscriptionFiltersCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  PutMetricFilterCommand,
  PutAccountPolicyCommand,
  PutDestinationCommand,
  PutRetentionPolicyCommand,
  PutSubscriptionFilterCommand,
  TestMetricFilterCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { describe, expect, it, vi } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";
import { zip } from "./lambda-helpers.js";

const sim = useServer({ execute: true }, (cfg) => ({ logs: new CloudWatchLogsClient(cfg), lambda: new LambdaClient(cfg) }));

async function group(name: string, stream = "s") {
  await sim.logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  await sim.logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: stream }));
}

describe("metric filters", () => {
  it("JSON and space-delimited filters turn matching events into data points (values, defaults, dimensions)", async () => {
    await group("/mf/json");
    await sim.logs.send(
      new PutMetricFilterCommand({
        logGroupName: "/mf/json",
        filterName: "latency",
        filterPattern: '{ $.level = "ERROR" }',
        metricTransformations: [
          { metricName: "ErrLatency", metricNamespace: "App", metricValue: "$.latency", dimensions: { Svc: "$.svc" }, unit: "Milliseconds" },
        ],
      }),
    );
    await sim.logs.send(
      new PutMetricFilterCommand({
        logGroupName: "/mf/json",
        filterName: "count",
        filterPattern: "ERROR",
        metricTransformations: [{ metricName: "Errors", metricNamespace: "App", metricValue: "1", defaultValue: 0 }],
      }),
    );
    const now = Date.now();
    const msgs = [
      { level: "ERROR", latency: 120, svc: "api" },
      { level: "INFO", latency: 5, svc: "api" },
      { level: "ERROR", latency: 80, svc: "worker" },
    ];
    await sim.logs.send(
      new PutLogEventsCommand({
        logGroupName: "/mf/json",
        logStreamName: "s",
        logEvents: msgs.map((m, i) => ({ timestamp: now + i, message: JSON.stringify(m) })),
      }),
    );
    const r = await (await fetch(`${sim.server.url}/_awsim/logs/metrics?namespace=App&metricName=ErrLatency`)).json();
    expect(r.metricDataPoints.map((p: { value: number; dimensions: unknown; unit: string }) => [p.value, p.dimensions, p.unit])).toEqual([
      [120, { Svc: "api" }, "Milliseconds"],
      [80, { Svc: "worker" }, "Milliseconds"],
    ]);
    const c = await (await fetch(`${sim.server.url}/_awsim/logs/metrics?metricName=Errors`)).json();
    expect(c.metricDataPoints.map((p: { value: number }) => p.value)).toEqual([1, 0, 1]);

    const d = await sim.logs.send(new DescribeMetricFiltersCommand({ metricName: "Errors", metricNamespace: "App" }));
    expect(d.metricFilters?.map((f) => f.filterName)).toEqual(["count"]);
    expect(d.metricFilters?.[0]?.metricTransformations?.[0]?.defaultValue).toBe(0);
    await expectAwsError(sim.logs.send(new DescribeMetricFiltersCommand({ metricName: "Errors" })), { name: "InvalidParameterException", status: 400 });
    const g = await sim.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/mf/json" }));
    expect(g.logGroups?.[0]?.metricFilterCount).toBe(2);
  });

  it("space-delimited values ($field) and TestMetricFilter", async () => {
    await group("/mf/delim");
    await sim.logs.send(
      new PutMetricFilterCommand({
        logGroupName: "/mf/delim",
        filterName: "bytes",
        filterPattern: "[ip, method, path, status=5*, bytes]",
        metricTransformations: [{ metricName: "Bytes5xx", metricNamespace: "Web", metricValue: "$bytes" }],
      }),
    );
    await sim.logs.send(
      new PutLogEventsCommand({
        logGroupName: "/mf/delim",
        logStreamName: "s",
        logEvents: [
          { timestamp: Date.now(), message: "1.2.3.4 GET / 500 321" },
          { timestamp: Date.now(), message: "1.2.3.4 GET / 200 999" },
        ],
      }),
    );
    const r = await (await fetch(`${sim.server.url}/_awsim/logs/metrics?namespace=Web`)).json();
    expect(r.metricDataPoints.map((p: { value: number }) => p.value)).toEqual([321]);
    const t = await sim.logs.send(
      new TestMetricFilterCommand({ filterPattern: "[ip, method, path, status=5*, bytes]", logEventMessages: ["1.2.3.4 GET / 500 321", "x GET / 200 1"] }),
    );
    expect(t.matches).toEqual([
      { eventNumber: 1, eventMessage: "1.2.3.4 GET / 500 321", extractedValues: { $ip: "1.2.3.4", $method: "GET", $path: "/", $status: "500", $bytes: "321" } },
    ]);
    await expectAwsError(
      sim.logs.send(
        new PutMetricFilterCommand({
          logGroupName: "/mf/delim",
          filterName: "bad",
          filterPattern: "x",
          metricTransformations: [{ metricName: "m", metricNamespace: "n", metricValue: "1", defaultValue: 0, dimensions: { a: "$.a" } }],
        }),
      ),
      { name: "InvalidParameterException", status: 400 },
    );
  });
});

describe("subscription filters", () => {
  const sink = zip({
    "index.js":
      "const zlib = require('zlib'); exports.handler = async (event) => { const d = JSON.parse(zlib.gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString()); console.log('GOT ' + JSON.stringify(d)); return {}; };",
  });

  it("a Lambda destination needs permission for logs.amazonaws.com; a role must exist; 2 per group", async () => {
    await group("/sub/errs");
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "noperm",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: "arn:aws:iam::000000000000:role/r",
        Code: { ZipFile: sink },
      }),
    );
    const arn = "arn:aws:lambda:us-east-1:000000000000:function:noperm";
    await expectAwsError(
      sim.logs.send(new PutSubscriptionFilterCommand({ logGroupName: "/sub/errs", filterName: "f", filterPattern: "", destinationArn: arn })),
      {
        name: "InvalidParameterException",
        status: 400,
        message: "Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.",
      },
    );
    await sim.lambda.send(
      new AddPermissionCommand({ FunctionName: "noperm", StatementId: "logs", Action: "lambda:InvokeFunction", Principal: "logs.amazonaws.com" }),
    );
    await expectAwsError(
      sim.logs.send(
        new PutSubscriptionFilterCommand({
          logGroupName: "/sub/errs",
          filterName: "f",
          filterPattern: "",
          destinationArn: arn,
          roleArn: "arn:aws:iam::000000000000:role/none",
        }),
      ),
      { name: "InvalidParameterException", status: 400 },
    );
    await new IAMClient(clientConfig(sim.server)).send(
      new CreateRoleCommand({
        RoleName: "cwl",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      }),
    );
    await sim.logs.send(
      new PutSubscriptionFilterCommand({
        logGroupName: "/sub/errs",
        filterName: "a",
        filterPattern: "",
        destinationArn: arn,
        roleArn: "arn:aws:iam::000000000000:role/cwl",
      }),
    );
    await sim.logs.send(
      new PutSubscriptionFilterCommand({ logGroupName: "/sub/errs", filterName: "b", filterPattern: "x", destinationArn: arn, distribution: "Random" }),
    );
    await expectAwsError(
      sim.logs.send(new PutSubscriptionFilterCommand({ logGroupName: "/sub/errs", filterName: "c", filterPattern: "", destinationArn: arn })),
      {
        name: "LimitExceededException",
        status: 400,
      },
    );
    const d = await sim.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: "/sub/errs" }));
    expect(d.subscriptionFilters?.map((f) => [f.filterName, f.distribution, f.destinationArn, f.logGroupName])).toEqual([
      ["a", "ByLogStream", arn, "/sub/errs"],
      ["b", "Random", arn, "/sub/errs"],
    ]);
    await sim.logs.send(new DeleteSubscriptionFilterCommand({ logGroupName: "/sub/errs", filterName: "a" }));
    await expectAwsError(sim.logs.send(new DeleteSubscriptionFilterCommand({ logGroupName: "/sub/errs", filterName: "a" })), {
      name: "ResourceNotFoundException",
      status: 400,
    });
  });

  it("matching events reach the function as {awslogs:{data: base64(gzip(JSON))}} (execute mode)", async () => {
    await group("/sub/app", "web-1");
    await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "sink",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: "arn:aws:iam::000000000000:role/r",
        Code: { ZipFile: sink },
      }),
    );
    await sim.lambda.send(
      new AddPermissionCommand({ FunctionName: "sink", StatementId: "logs", Action: "lambda:InvokeFunction", Principal: "logs.amazonaws.com" }),
    );
    await sim.logs.send(
      new PutSubscriptionFilterCommand({
        logGroupName: "/sub/app",
        filterName: "errors",
        filterPattern: "ERROR",
        destinationArn: "arn:aws:lambda:us-east-1:000000000000:function:sink",
      }),
    );
    const now = Date.now();
    await sim.logs.send(
      new PutLogEventsCommand({
        logGroupName: "/sub/app",
        logStreamName: "web-1",
        logEvents: [
          { timestamp: now, message: "ERROR one" },
          { timestamp: now + 1, message: "INFO two" },
          { timestamp: now + 2, message: "ERROR three" },
        ],
      }),
    );
    const got: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 200 && !got.some((m) => m.messageType === "DATA_MESSAGE"); i++) {
      await new Promise((r) => setTimeout(r, 50));
      const ev = await sim.logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/sink", filterPattern: "GOT" })).catch(() => ({ events: [] }));
      got.splice(0, got.length, ...(ev.events ?? []).map((e) => JSON.parse(e.message!.slice(e.message!.indexOf("GOT ") + 4).trim())));
    }
    // AWS sends a Lambda destination no CONTROL_MESSAGE (recorded: test_logs_subscription_filters.py::test_put_subscription_filter_lambda).
    expect(got.filter((m) => m.messageType !== "DATA_MESSAGE")).toEqual([]);
    const data = got.find((m) => m.messageType === "DATA_MESSAGE")!;
    expect(data).toMatchObject({ owner: "000000000000", logGroup: "/sub/app", logStream: "web-1", subscriptionFilters: ["errors"] });
    expect((data.logEvents as Array<{ message: string; id: string; timestamp: number }>).map((e) => e.message)).toEqual(["ERROR one", "ERROR three"]);
    expect((data.logEvents as Array<{ id: string }>)[0]!.id).toMatch(/^\d{56}$/);
  }, 20_000);
});

describe("cross-account subscriptions through a destination", () => {
  it("account A's events reach account B's function through B's Logs destination (execute mode)", async () => {
    const b = { credentials: { accessKeyId: "111111111111", secretAccessKey: "x" } };
    const lambdaB = new LambdaClient(clientConfig(sim.server, b));
    const logsB = new CloudWatchLogsClient(clientConfig(sim.server, b));
    await new IAMClient(clientConfig(sim.server, b)).send(
      new CreateRoleCommand({
        RoleName: "cwl-to-lambda",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      }),
    );
    const sink = zip({
      "index.js":
        "const zlib = require('zlib'); exports.handler = async (event) => { const d = JSON.parse(zlib.gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString()); console.log('GOT ' + JSON.stringify(d)); return {}; };",
    });
    await lambdaB.send(
      new CreateFunctionCommand({
        FunctionName: "xsink",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: "arn:aws:iam::111111111111:role/r",
        Code: { ZipFile: sink },
      }),
    );
    const dest = await logsB.send(
      new PutDestinationCommand({
        destinationName: "to-xsink",
        targetArn: "arn:aws:lambda:us-east-1:111111111111:function:xsink",
        roleArn: "arn:aws:iam::111111111111:role/cwl-to-lambda",
      }),
    );
    await group("/xacct/app");
    await sim.logs.send(
      new PutSubscriptionFilterCommand({ logGroupName: "/xacct/app", filterName: "x", filterPattern: "", destinationArn: dest.destination!.arn! }),
    );
    await expectAwsError(
      sim.logs.send(
        new PutSubscriptionFilterCommand({
          logGroupName: "/xacct/app",
          filterName: "y",
          filterPattern: "",
          destinationArn: "arn:aws:logs:us-east-1:111111111111:destination:none",
        }),
      ),
      { name: "ResourceNotFoundException", status: 400 },
    );
    await sim.logs.send(
      new PutLogEventsCommand({ logGroupName: "/xacct/app", logStreamName: "s", logEvents: [{ timestamp: Date.now(), message: "cross account hello" }] }),
    );
    let data: { owner?: string; logEvents?: Array<{ message: string }> } | undefined;
    for (let i = 0; i < 200 && !data; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const ev = await logsB
        .send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/xsink", filterPattern: "DATA_MESSAGE" }))
        .catch(() => ({ events: [] }));
      const m = ev.events?.[0]?.message;
      if (m) data = JSON.parse(m.slice(m.indexOf("GOT ") + 4).trim());
    }
    expect(data?.owner).toBe("000000000000");
    expect(data?.logEvents?.map((e) => e.message)).toEqual(["cross account hello"]);
  }, 20_000);
});

describe("retention", () => {
  it("events older than retentionInDays disappear from reads and from storedBytes as the clock advances", async () => {
    await group("/ret/g");
    const now = Date.now();
    await sim.logs.send(
      new PutLogEventsCommand({ logGroupName: "/ret/g", logStreamName: "s", logEvents: [{ timestamp: now - 2 * 86_400_000, message: "old" }] }),
    );
    await sim.logs.send(new PutLogEventsCommand({ logGroupName: "/ret/g", logStreamName: "s", logEvents: [{ timestamp: now, message: "new" }] }));
    await sim.logs.send(new PutRetentionPolicyCommand({ logGroupName: "/ret/g", retentionInDays: 3 }));
    const before = await sim.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/ret/g" }));
    expect(
      (await sim.logs.send(new GetLogEventsCommand({ logGroupName: "/ret/g", logStreamName: "s", startFromHead: true }))).events?.map((e) => e.message),
    ).toEqual(["old", "new"]);
    vi.useFakeTimers({ toFake: ["Date"], now: now + 1.5 * 86_400_000 });
    try {
      const ev = await sim.logs.send(new FilterLogEventsCommand({ logGroupName: "/ret/g" }));
      expect(ev.events?.map((e) => e.message)).toEqual(["new"]);
      const after = await sim.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/ret/g" }));
      expect(after.logGroups?.[0]?.storedBytes).toBe(before.logGroups![0]!.storedBytes! - (3 + 26));
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("account-level subscription filter policy", () => {
  it("delivers every selected group's matching events with policyLevel ACCOUNT_LEVEL_POLICY (execute mode)", async () => {
    await group("/acct/included");
    await group("/acct/excluded");
    await sim.logs.send(
      new PutAccountPolicyCommand({
        policyName: "all-errors",
        policyType: "SUBSCRIPTION_FILTER_POLICY",
        policyDocument: JSON.stringify({
          DestinationArn: "arn:aws:lambda:us-east-1:000000000000:function:sink",
          FilterPattern: "[level = FATAL, what]",
          Distribution: "Random",
        }),
        selectionCriteria: 'LogGroupName NOT IN ["/acct/excluded"]',
      }),
    );
    const now = Date.now();
    await sim.logs.send(
      new PutLogEventsCommand({ logGroupName: "/acct/excluded", logStreamName: "s", logEvents: [{ timestamp: now, message: "FATAL excluded" }] }),
    );
    await sim.logs.send(
      new PutLogEventsCommand({ logGroupName: "/acct/included", logStreamName: "s", logEvents: [{ timestamp: now, message: "FATAL included" }] }),
    );
    let got: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 200 && !got.some((m) => m.logGroup === "/acct/included"); i++) {
      await new Promise((r) => setTimeout(r, 50));
      const ev = await sim.logs
        .send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/sink", filterPattern: "ACCOUNT_LEVEL_POLICY" }))
        .catch(() => ({ events: [] }));
      got = (ev.events ?? []).map((e) => JSON.parse(e.message!.slice(e.message!.indexOf("GOT ") + 4).trim()));
    }
    const included = got.find((m) => m.logGroup === "/acct/included");
    expect(included).toMatchObject({ messageType: "DATA_MESSAGE", policyLevel: "ACCOUNT_LEVEL_POLICY", subscriptionFilters: ["all-errors"] });
    expect((included!.logEvents as Array<{ extractedFields?: unknown }>)[0]!.extractedFields).toEqual({ level: "FATAL", what: "included" });
    expect(got.some((m) => m.logGroup === "/acct/excluded")).toBe(false);
  }, 20_000);
});
