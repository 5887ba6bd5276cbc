/**
 * Subscription filters to a Lambda function behave as AWS was recorded behaving (LocalStack's snapshots recorded
 * against AWS, tests/aws/services/logs/test_logs_subscription_filters.snapshot.json).
 */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeSubscriptionFiltersCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
  PutSubscriptionFilterCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";
import { zip } from "./lambda-helpers.js";

const sim = useServer({ execute: true }, (cfg) => ({ logs: new CloudWatchLogsClient(cfg), lambda: new LambdaClient(cfg) }));

// The function logs each payload it receives, decoded, as LocalStack's echo function does.
const echo = zip({
  "index.js":
    "const zlib = require('zlib'); exports.handler = async (event) => { const d = JSON.parse(zlib.gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString()); console.log('AWSLOGS ' + JSON.stringify(d)); return {}; };",
});

describe("subscription filter to a Lambda function (recorded)", () => {
  it("the function receives exactly the events put, no control message (test_put_subscription_filter_lambda)", async () => {
    const group = "rec-sub-group";
    await sim.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await sim.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: "rec-sub-stream" }));
    const fn = await sim.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "rec-echo",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: "arn:aws:iam::000000000000:role/r",
        Code: { ZipFile: echo },
      }),
    );
    await sim.lambda.send(
      new AddPermissionCommand({
        FunctionName: "rec-echo",
        StatementId: "rec-echo",
        Principal: "logs.us-east-1.amazonaws.com",
        Action: "lambda:InvokeFunction",
        SourceArn: `arn:aws:logs:us-east-1:000000000000:log-group:${group}:*`,
        SourceAccount: "000000000000",
      }),
    );
    const put = await sim.logs.send(
      new PutSubscriptionFilterCommand({ logGroupName: group, filterName: "test", filterPattern: "", destinationArn: fn.FunctionArn! }),
    );
    expect(put.$metadata.httpStatusCode).toBe(200);
    const now = Date.now();
    await sim.logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: "rec-sub-stream",
        logEvents: [
          { timestamp: now, message: "test" },
          { timestamp: now, message: "test 2" },
        ],
      }),
    );
    const { subscriptionFilters } = await sim.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: group }));
    expect(subscriptionFilters).toEqual([
      {
        filterName: "test",
        logGroupName: group,
        filterPattern: "",
        destinationArn: fn.FunctionArn,
        distribution: "ByLogStream",
        applyOnTransformedLogs: false,
        creationTime: expect.any(Number),
      },
    ]);
    let payloads: Array<{ messageType: string; logEvents: Array<{ id: string; message: string }> }> = [];
    for (let i = 0; i < 200 && payloads.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const ev = await sim.logs
        .send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/rec-echo", filterPattern: "AWSLOGS" }))
        .catch(() => ({ events: [] }));
      payloads = (ev.events ?? []).map((e) => JSON.parse(e.message!.slice(e.message!.indexOf("AWSLOGS ") + 8).trim()));
    }
    // Give a stray control message the time to arrive too.
    await new Promise((r) => setTimeout(r, 300));
    const ev = await sim.logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/rec-echo", filterPattern: "AWSLOGS" }));
    payloads = (ev.events ?? []).map((e) => JSON.parse(e.message!.slice(e.message!.indexOf("AWSLOGS ") + 8).trim()));
    expect(payloads.map((p) => p.messageType)).toEqual(["DATA_MESSAGE"]);
    const events = payloads.flatMap((p) => p.logEvents).sort((a, b) => (a.message < b.message ? -1 : 1));
    expect(events.map((e) => e.message)).toEqual(["test", "test 2"]);
    for (const e of events) expect(e.id).toMatch(/^\d+$/);
  }, 30_000);
});
