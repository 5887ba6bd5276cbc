/** CloudWatch Logs against the aws CLI's documented examples (awscli/examples/logs/*.rst): the my-logs walk-through. */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

const t = useServer({ reset: "logs" }, (cfg) => ({ logs: new CloudWatchLogsClient(cfg) }));

describe("Logs documented examples", () => {
  it("create-log-group, put-retention-policy, describe-log-groups, delete-retention-policy", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "my-logs" }));
    await t.logs.send(new PutRetentionPolicyCommand({ logGroupName: "my-logs", retentionInDays: 5 }));
    const [g] = (await t.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "my-logs" }))).logGroups!;
    expect(g).toMatchObject({
      logGroupName: "my-logs",
      storedBytes: 0,
      metricFilterCount: 0,
      retentionInDays: 5,
      arn: "arn:aws:logs:us-east-1:000000000000:log-group:my-logs:*",
    });
    expect(typeof g!.creationTime).toBe("number");
    await t.logs.send(new DeleteRetentionPolicyCommand({ logGroupName: "my-logs" }));
    expect((await t.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "my-logs" }))).logGroups![0]!.retentionInDays).toBeUndefined();
  });

  it("create-log-stream, describe-log-streams, put-log-events, get-log-events: AWS's field presence and 56-digit tokens", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "my-logs" }));
    await t.logs.send(new CreateLogStreamCommand({ logGroupName: "my-logs", logStreamName: "20150531" }));
    await t.logs.send(new CreateLogStreamCommand({ logGroupName: "my-logs", logStreamName: "20150601" }));
    const streams = (await t.logs.send(new DescribeLogStreamsCommand({ logGroupName: "my-logs", logStreamNamePrefix: "2015" }))).logStreams!;
    expect(streams.map((s) => s.logStreamName)).toEqual(["20150531", "20150601"]);
    // Empty streams: creationTime, arn, name and storedBytes only.
    for (const s of streams) {
      expect(Object.keys(s).sort()).toEqual(["arn", "creationTime", "logStreamName", "storedBytes"]);
      expect(s.arn).toBe(`arn:aws:logs:us-east-1:000000000000:log-group:my-logs:log-stream:${s.logStreamName}`);
    }

    const now = Date.now();
    const put = await t.logs.send(
      new PutLogEventsCommand({
        logGroupName: "my-logs",
        logStreamName: "20150601",
        logEvents: [
          { timestamp: now, message: "Example Event 1" },
          { timestamp: now + 2, message: "Example Event 2" },
          { timestamp: now + 4, message: "Example Event 3" },
        ],
      }),
    );
    expect(put.nextSequenceToken).toMatch(/^\d{56}$/);
    const put2 = await t.logs.send(
      new PutLogEventsCommand({
        logGroupName: "my-logs",
        logStreamName: "20150601",
        sequenceToken: put.nextSequenceToken,
        logEvents: [{ timestamp: now + 6, message: "Example Event 4" }],
      }),
    );
    expect(put2.nextSequenceToken).toMatch(/^\d{56}$/);
    expect(put2.nextSequenceToken).not.toBe(put.nextSequenceToken);

    const got = await t.logs.send(new GetLogEventsCommand({ logGroupName: "my-logs", logStreamName: "20150601" }));
    expect(got.events!.map((e) => e.message)).toEqual(["Example Event 1", "Example Event 2", "Example Event 3", "Example Event 4"]);
    for (const e of got.events!) expect(Object.keys(e).sort()).toEqual(["ingestionTime", "message", "timestamp"]);
    expect(got.nextForwardToken).toMatch(/^f\/\d{56}\/s$/);
    expect(got.nextBackwardToken).toMatch(/^b\/\d{56}\/s$/);
    // Nothing newer: the same forward token comes back, so paginators stop.
    const again = await t.logs.send(new GetLogEventsCommand({ logGroupName: "my-logs", logStreamName: "20150601", nextToken: got.nextForwardToken }));
    expect(again.events).toEqual([]);
    expect(again.nextForwardToken).toBe(got.nextForwardToken);
    // Paging back and forth with the tokens.
    const first = await t.logs.send(new GetLogEventsCommand({ logGroupName: "my-logs", logStreamName: "20150601", startFromHead: true, limit: 2 }));
    expect(first.events!.map((e) => e.message)).toEqual(["Example Event 1", "Example Event 2"]);
    const next = await t.logs.send(
      new GetLogEventsCommand({ logGroupName: "my-logs", logStreamName: "20150601", startFromHead: true, limit: 2, nextToken: first.nextForwardToken }),
    );
    expect(next.events!.map((e) => e.message)).toEqual(["Example Event 3", "Example Event 4"]);
    const back = await t.logs.send(
      new GetLogEventsCommand({ logGroupName: "my-logs", logStreamName: "20150601", limit: 2, nextToken: next.nextBackwardToken }),
    );
    expect(back.events!.map((e) => e.message)).toEqual(["Example Event 1", "Example Event 2"]);

    const described = (await t.logs.send(new DescribeLogStreamsCommand({ logGroupName: "my-logs", logStreamNamePrefix: "20150601" }))).logStreams![0]!;
    expect(described).toMatchObject({ firstEventTimestamp: now, lastEventTimestamp: now + 6, uploadSequenceToken: put2.nextSequenceToken });

    await t.logs.send(new DeleteLogStreamCommand({ logGroupName: "my-logs", logStreamName: "20150531" }));
    expect((await t.logs.send(new DescribeLogStreamsCommand({ logGroupName: "my-logs" }))).logStreams!.map((s) => s.logStreamName)).toEqual(["20150601"]);
    await t.logs.send(new DeleteLogGroupCommand({ logGroupName: "my-logs" }));
    expect((await t.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "my-logs" }))).logGroups).toEqual([]);
  });
});
