/** Logs groups and streams answer as AWS was recorded answering (field presence, validation messages, error codes). */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteMetricFilterCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const t = useServer({}, (cfg) => ({ logs: new CloudWatchLogsClient(cfg) }));
const LONG = "a".repeat(513);
const NAME_TOO_LONG = "Invalid LogGroup or LogStream, both must have length less than or equal to 512.";

describe("log groups", () => {
  it("DescribeLogGroups shows deletionProtectionEnabled false by default", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "parity-dp" }));
    const { logGroups } = await t.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "parity-dp" }));
    expect(logGroups).toHaveLength(1);
    expect(logGroups![0]!.deletionProtectionEnabled).toBe(false);
    expect(logGroups![0]!.storedBytes).toBe(0);
    expect(logGroups![0]!.logGroupClass).toBe("STANDARD");
  });

  it("a logGroupNamePattern answer has arn, logGroupArn, class and filter count, but no storedBytes or deletion protection", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "test-pattern-x1y2z3" }));
    const { logGroups } = await t.logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: "x1y2z3" }));
    expect(logGroups).toHaveLength(1);
    expect(Object.keys(logGroups![0]!).sort()).toEqual(["arn", "creationTime", "logGroupArn", "logGroupClass", "logGroupName", "metricFilterCount"]);
    expect(logGroups![0]!.logGroupArn).toBe("arn:aws:logs:us-east-1:000000000000:log-group:test-pattern-x1y2z3");
  });

  it("a name over 512 characters has AWS's own message", async () => {
    await expectAwsError(t.logs.send(new CreateLogGroupCommand({ logGroupName: LONG })), {
      name: "InvalidParameterException",
      status: 400,
      message: NAME_TOO_LONG,
    });
    await expectAwsError(t.logs.send(new DeleteMetricFilterCommand({ logGroupName: LONG, filterName: "valid-filter" })), {
      name: "InvalidParameterException",
      status: 400,
      message: NAME_TOO_LONG,
    });
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "parity-long-stream" }));
    await expectAwsError(t.logs.send(new CreateLogStreamCommand({ logGroupName: "parity-long-stream", logStreamName: LONG })), {
      name: "InvalidParameterException",
      status: 400,
      message: NAME_TOO_LONG,
    });
  });

  it("other too-long members keep the standard validation message", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "parity-mf" }));
    await expectAwsError(t.logs.send(new DeleteMetricFilterCommand({ logGroupName: "parity-mf", filterName: "X".repeat(513) })), {
      name: "InvalidParameterException",
      status: 400,
      message: `1 validation error detected: Value '${"X".repeat(513)}' at 'filterName' failed to satisfy constraint: Member must have length less than or equal to 512`,
    });
  });
});

describe("log streams", () => {
  it("a stream without events has no uploadSequenceToken; one with events does", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "parity-streams" }));
    await t.logs.send(new CreateLogStreamCommand({ logGroupName: "parity-streams", logStreamName: "empty" }));
    await t.logs.send(new CreateLogStreamCommand({ logGroupName: "parity-streams", logStreamName: "full" }));
    await t.logs.send(new PutLogEventsCommand({ logGroupName: "parity-streams", logStreamName: "full", logEvents: [{ timestamp: Date.now(), message: "m" }] }));
    const { logStreams } = await t.logs.send(new DescribeLogStreamsCommand({ logGroupName: "parity-streams" }));
    const byName = Object.fromEntries(logStreams!.map((s) => [s.logStreamName, s]));
    expect(Object.keys(byName.empty!).sort()).toEqual(["arn", "creationTime", "logStreamName", "storedBytes"]);
    expect(byName.full!.uploadSequenceToken).toMatch(/^\d+$/);
  });

  it("DescribeLogStreams with both logGroupName and logGroupIdentifier is a ValidationException", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "parity-both" }));
    await expectAwsError(t.logs.send(new DescribeLogStreamsCommand({ logGroupName: "parity-both", logGroupIdentifier: "parity-both" })), {
      name: "ValidationException",
      status: 400,
      message: "LogGroup name and LogGroup ARN are mutually exclusive parameters.",
    });
  });
});
