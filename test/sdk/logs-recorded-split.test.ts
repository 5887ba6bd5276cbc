/**
 * CloudWatch Logs answers as AWS was recorded answering in LocalStack's per-area snapshots (recorded against AWS,
 * 2026): tests/aws/services/logs/test_logs_events.snapshot.json, test_logs_filter_events.snapshot.json,
 * test_logs_streams.snapshot.json, test_logs_groups.snapshot.json, test_logs_queries.snapshot.json,
 * test_logs_export_tasks.snapshot.json, test_logs_destinations.snapshot.json,
 * test_logs_resource_policies.snapshot.json and test_logs.snapshot.json. What earlier replays already assert
 * (logs-parity-groups, logs-parity-resources, logs-recorded-subscriptions) is not repeated here.
 * Also PutLogEvents' entity member, as the API reference documents it (Entity, RejectedEntityInfo).
 */
import {
  CancelExportTaskCommand,
  CloudWatchLogsClient,
  CreateExportTaskCommand,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteDestinationCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeDestinationsCommand,
  DescribeExportTasksCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  DescribeQueriesCommand,
  DescribeResourcePoliciesCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ListLogGroupsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutDestinationCommand,
  PutDestinationPolicyCommand,
  PutLogEventsCommand,
  PutResourcePolicyCommand,
  PutRetentionPolicyCommand,
  StartQueryCommand,
  TagLogGroupCommand,
  TagResourceCommand,
  UntagLogGroupCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAwsError, startServer, useServer, clientConfig, type AwsimServer } from "../helpers.js";

const t = useServer({}, (cfg) => ({
  logs: new CloudWatchLogsClient(cfg),
  iam: new IAMClient(cfg),
  s3: new S3Client({ ...cfg, forcePathStyle: true }),
}));

let n = 0;
/** A fresh group (and stream) per test, as the recorded tests' fixtures. */
async function group(prefix = "test-log-group"): Promise<string> {
  const name = `${prefix}-${++n}`;
  await t.logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  return name;
}
async function groupAndStream(): Promise<{ g: string; s: string }> {
  const g = await group();
  const s = `test-log-stream-${n}`;
  await t.logs.send(new CreateLogStreamCommand({ logGroupName: g, logStreamName: s }));
  return { g, s };
}

const LIMIT_10001 = "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000";

describe("log events (test_logs_events)", () => {
  it("test_put_log_events_basic, test_put_events_multi_bytes_msg: accepted with a token, multi-byte text kept", async () => {
    const { g, s } = await groupAndStream();
    const now = Date.now();
    const put = await t.logs.send(
      new PutLogEventsCommand({
        logGroupName: g,
        logStreamName: s,
        logEvents: [
          { timestamp: now, message: "hello" },
          { timestamp: now, message: "world" },
          { timestamp: now, message: "🙀 - 参よ - 日本語" },
        ],
      }),
    );
    expect(put.$metadata.httpStatusCode).toBe(200);
    expect(typeof put.nextSequenceToken).toBe("string");
    expect(put.rejectedLogEventsInfo).toBeUndefined();
    const { events } = await t.logs.send(new GetLogEventsCommand({ logGroupName: g, logStreamName: s }));
    expect(events!.map((e) => e.message)).toEqual(["hello", "world", "🙀 - 参よ - 日本語"]);
  });

  it("test_put_log_events_to_invalid_stream", async () => {
    const g = await group();
    await expectAwsError(
      t.logs.send(new PutLogEventsCommand({ logGroupName: g, logStreamName: "invalid-stream", logEvents: [{ timestamp: Date.now(), message: "test" }] })),
      { name: "ResourceNotFoundException", status: 400, message: "The specified log stream does not exist." },
    );
  });

  it("test_put_log_events_wrong_order", async () => {
    const { g, s } = await groupAndStream();
    const now = Date.now();
    await expectAwsError(
      t.logs.send(
        new PutLogEventsCommand({
          logGroupName: g,
          logStreamName: s,
          logEvents: [
            { message: "Message 0", timestamp: now },
            { message: "Message 1", timestamp: now - 2 * 86400000 },
          ],
        }),
      ),
      { name: "InvalidParameterException", status: 400, message: "Log events in a single PutLogEvents request must be in chronological order." },
    );
  });

  it("test_put_log_events_too_old, test_put_log_events_too_new: 200 with a token and only the one index", async () => {
    const { g, s } = await groupAndStream();
    const old = await t.logs.send(
      new PutLogEventsCommand({ logGroupName: g, logStreamName: s, logEvents: [{ message: "Old message", timestamp: Date.now() - 30 * 86400000 }] }),
    );
    expect(old.$metadata.httpStatusCode).toBe(200);
    expect(typeof old.nextSequenceToken).toBe("string");
    expect(old.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 1 });
    const future = await t.logs.send(
      new PutLogEventsCommand({ logGroupName: g, logStreamName: s, logEvents: [{ message: "Future message", timestamp: Date.now() + 86400000 }] }),
    );
    expect(typeof future.nextSequenceToken).toBe("string");
    expect(future.rejectedLogEventsInfo).toEqual({ tooNewLogEventStartIndex: 0 });
  });

  it("test_get_log_events_basic, test_get_log_events_start_from_head", async () => {
    const { g, s } = await groupAndStream();
    const now = Date.now() - 10_000;
    await t.logs.send(
      new PutLogEventsCommand({
        logGroupName: g,
        logStreamName: s,
        logEvents: Array.from({ length: 20 }, (_, i) => ({ timestamp: now + i * 100, message: `message ${i}` })),
      }),
    );
    const all = await t.logs.send(new GetLogEventsCommand({ logGroupName: g, logStreamName: s }));
    expect(all.events).toHaveLength(20);
    const head = await t.logs.send(new GetLogEventsCommand({ logGroupName: g, logStreamName: s, limit: 10, startFromHead: true }));
    expect(head.events!.map((e) => e.message)).toEqual(Array.from({ length: 10 }, (_, i) => `message ${i}`));
  });

  it("test_get_log_events_invalid_token", async () => {
    const { g, s } = await groupAndStream();
    await expectAwsError(t.logs.send(new GetLogEventsCommand({ logGroupName: g, logStreamName: s, nextToken: "invalid-token" })), {
      name: "InvalidParameterException",
      status: 400,
      message: "The specified nextToken is invalid.",
    });
  });

  it("test_get_log_events_limit_validation", async () => {
    const { g, s } = await groupAndStream();
    await expectAwsError(t.logs.send(new GetLogEventsCommand({ logGroupName: g, logStreamName: s, limit: 10001 })), {
      name: "InvalidParameterException",
      status: 400,
      message: LIMIT_10001,
    });
  });

  it("test_get_log_events_using_log_group_identifier: by name, by identifier, by ARN", async () => {
    const { g, s } = await groupAndStream();
    await t.logs.send(new PutLogEventsCommand({ logGroupName: g, logStreamName: s, logEvents: [{ timestamp: Date.now(), message: "test message" }] }));
    for (const input of [{ logGroupName: g }, { logGroupIdentifier: g }, { logGroupIdentifier: `arn:aws:logs:us-east-1:000000000000:log-group:${g}` }]) {
      const { events } = await t.logs.send(new GetLogEventsCommand({ ...input, logStreamName: s }));
      expect(events!.map((e) => e.message)).toEqual(["test message"]);
    }
  });

  it("test_resource_does_not_exist: the group, then the stream", async () => {
    await expectAwsError(t.logs.send(new GetLogEventsCommand({ logGroupName: "log-group-missing", logStreamName: "log-stream-missing" })), {
      name: "ResourceNotFoundException",
      status: 400,
      message: "The specified log group does not exist.",
    });
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "log-group-missing" }));
    await expectAwsError(t.logs.send(new GetLogEventsCommand({ logGroupName: "log-group-missing", logStreamName: "log-stream-missing" })), {
      name: "ResourceNotFoundException",
      status: 400,
      message: "The specified log stream does not exist.",
    });
  });
});

describe("FilterLogEvents (test_logs_filter_events)", () => {
  it("test_filter_log_events_pagination: 25 events, pages of 20 then 5; interleaved events carry eventId", async () => {
    const { g, s } = await groupAndStream();
    const now = Date.now() - 10_000;
    await t.logs.send(
      new PutLogEventsCommand({
        logGroupName: g,
        logStreamName: s,
        logEvents: Array.from({ length: 25 }, (_, i) => ({ timestamp: now + i * 100, message: `Message number ${i}` })),
      }),
    );
    const first = await t.logs.send(new FilterLogEventsCommand({ logGroupName: g, logStreamNames: [s], limit: 20 }));
    expect(first.events).toHaveLength(20);
    expect(first.nextToken).toBeDefined();
    const second = await t.logs.send(new FilterLogEventsCommand({ logGroupName: g, logStreamNames: [s], limit: 20, nextToken: first.nextToken }));
    expect([...first.events!, ...second.events!].map((e) => e.message)).toEqual(Array.from({ length: 25 }, (_, i) => `Message number ${i}`));
    const inter = await t.logs.send(new FilterLogEventsCommand({ logGroupName: g, logStreamNames: [s], interleaved: true }));
    for (const e of inter.events!) expect(Object.keys(e)).toEqual(expect.arrayContaining(["eventId", "timestamp", "message"]));
  });

  it("test_filter_log_events_response_header: application/x-amz-json-1.1", async () => {
    const { g, s } = await groupAndStream();
    await t.logs.send(new PutLogEventsCommand({ logGroupName: g, logStreamName: s, logEvents: [{ timestamp: Date.now(), message: "log message 1" }] }));
    const r = await fetch(`${t.server.url}/`, {
      method: "POST",
      headers: {
        "x-amz-target": "Logs_20140328.FilterLogEvents",
        "content-type": "application/x-amz-json-1.1",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=0",
      },
      body: JSON.stringify({ logGroupName: g }),
    });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(((await r.json()) as { events: unknown[] }).events).toHaveLength(1);
  });

  it("test_filter_log_events_unknown_token", async () => {
    const { g, s } = await groupAndStream();
    await expectAwsError(t.logs.send(new FilterLogEventsCommand({ logGroupName: g, logStreamNames: [s], limit: 20, nextToken: "invalid-token" })), {
      name: "InvalidParameterException",
      status: 400,
      message: "The specified nextToken is invalid.",
    });
  });

  it("test_filter_log_events_limit_validation", async () => {
    const g = await group();
    await expectAwsError(t.logs.send(new FilterLogEventsCommand({ logGroupName: g, limit: 10001 })), {
      name: "InvalidParameterException",
      status: 400,
      message: LIMIT_10001,
    });
  });
});

describe("log streams (test_logs_streams)", () => {
  it("test_create_and_delete_log_stream, test_log_stream_arn_format", async () => {
    const g = await group();
    await t.logs.send(new CreateLogStreamCommand({ logGroupName: g, logStreamName: "test-arn-1" }));
    const { logStreams } = await t.logs.send(new DescribeLogStreamsCommand({ logGroupName: g }));
    expect(logStreams).toEqual([
      {
        arn: `arn:aws:logs:us-east-1:000000000000:log-group:${g}:log-stream:test-arn-1`,
        creationTime: expect.any(Number),
        logStreamName: "test-arn-1",
        storedBytes: 0,
      },
    ]);
    await t.logs.send(new DeleteLogStreamCommand({ logGroupName: g, logStreamName: "test-arn-1" }));
    expect((await t.logs.send(new DescribeLogStreamsCommand({ logGroupName: g }))).logStreams).toEqual([]);
  });

  it("test_create_log_stream_duplicate_error: no full stop", async () => {
    const { g, s } = await groupAndStream();
    await expectAwsError(t.logs.send(new CreateLogStreamCommand({ logGroupName: g, logStreamName: s })), {
      name: "ResourceAlreadyExistsException",
      status: 400,
      message: "The specified log stream already exists",
    });
  });

  it("test_describe_log_streams_with_log_group_identifier, test_describe_log_streams_with_prefix", async () => {
    const g = await group();
    for (const i of [2, 0, 1]) await t.logs.send(new CreateLogStreamCommand({ logGroupName: g, logStreamName: `test-prefix-x-stream-${i}` }));
    await t.logs.send(new CreateLogStreamCommand({ logGroupName: g, logStreamName: "other" }));
    const byPrefix = await t.logs.send(new DescribeLogStreamsCommand({ logGroupName: g, logStreamNamePrefix: "test-prefix-x" }));
    expect(byPrefix.logStreams!.map((x) => x.logStreamName)).toEqual(["test-prefix-x-stream-0", "test-prefix-x-stream-1", "test-prefix-x-stream-2"]);
    const byName = await t.logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: g }));
    const byArn = await t.logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: `arn:aws:logs:us-east-1:000000000000:log-group:${g}` }));
    expect(byName.logStreams).toHaveLength(4);
    expect(byArn.logStreams).toEqual(byName.logStreams);
  });
});

describe("log groups (test_logs_groups)", () => {
  it("test_create_log_group_with_kms_key: the key ARN is shown beside the usual members", async () => {
    const key = "arn:aws:kms:us-east-1:000000000000:key/11111111-2222-3333-4444-555555555555";
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "test-log-group-kms-1", kmsKeyId: key }));
    const { logGroups } = await t.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "test-log-group-kms-1" }));
    expect(logGroups).toEqual([
      {
        arn: "arn:aws:logs:us-east-1:000000000000:log-group:test-log-group-kms-1:*",
        creationTime: expect.any(Number),
        deletionProtectionEnabled: false,
        kmsKeyId: key,
        logGroupArn: "arn:aws:logs:us-east-1:000000000000:log-group:test-log-group-kms-1",
        logGroupClass: "STANDARD",
        logGroupName: "test-log-group-kms-1",
        metricFilterCount: 0,
        storedBytes: 0,
      },
    ]);
  });

  it("test_create_log_group_duplicate_error: no full stop", async () => {
    const g = await group();
    await expectAwsError(t.logs.send(new CreateLogGroupCommand({ logGroupName: g })), {
      name: "ResourceAlreadyExistsException",
      status: 400,
      message: "The specified log group already exists",
    });
  });

  it("test_describe_log_groups_with_prefix: three groups, in name order", async () => {
    for (const i of [1, 2, 0]) await t.logs.send(new CreateLogGroupCommand({ logGroupName: `test-prefix-gp-group-${i}` }));
    const { logGroups } = await t.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "test-prefix-gp" }));
    expect(logGroups!.map((x) => x.logGroupName)).toEqual(["test-prefix-gp-group-0", "test-prefix-gp-group-1", "test-prefix-gp-group-2"]);
    for (const x of logGroups!)
      expect(Object.keys(x).sort()).toEqual([
        "arn",
        "creationTime",
        "deletionProtectionEnabled",
        "logGroupArn",
        "logGroupClass",
        "logGroupName",
        "metricFilterCount",
        "storedBytes",
      ]);
  });

  it("test_describe_log_groups_prefix_and_pattern_error", async () => {
    const g = await group();
    await expectAwsError(t.logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: g, logGroupNamePrefix: g })), {
      name: "InvalidParameterException",
      status: 400,
      message: "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.",
    });
  });

  it("test_list_log_groups_with_pattern: no match is an empty list", async () => {
    await group("test-list");
    const res = await t.logs.send(new ListLogGroupsCommand({ logGroupNamePattern: "no-such-group" }));
    expect(res.logGroups).toEqual([]);
  });

  it("test_put_retention_policy, test_delete_retention_policy", async () => {
    const g = await group("test-retention");
    await t.logs.send(new PutRetentionPolicyCommand({ logGroupName: g, retentionInDays: 7 }));
    expect((await t.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: g }))).logGroups![0]!.retentionInDays).toBe(7);
    await t.logs.send(new DeleteRetentionPolicyCommand({ logGroupName: g }));
    expect((await t.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: g }))).logGroups![0]!.retentionInDays).toBeUndefined();
  });

  it("test_create_log_group_with_tags, test_tag_resource_api, test_list_tags_log_group: both tag APIs see the same tags", async () => {
    const g = "test-tags-api";
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: g, tags: { env: "testing1" } }));
    expect((await t.logs.send(new ListTagsLogGroupCommand({ logGroupName: g }))).tags).toEqual({ env: "testing1" });
    const arn = `arn:aws:logs:us-east-1:000000000000:log-group:${g}`;
    await t.logs.send(new TagResourceCommand({ resourceArn: arn, tags: { test1: "val1", test2: "val2" } }));
    const both = async () => [
      (await t.logs.send(new ListTagsLogGroupCommand({ logGroupName: g }))).tags,
      (await t.logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags,
    ];
    expect(await both()).toEqual([
      { env: "testing1", test1: "val1", test2: "val2" },
      { env: "testing1", test1: "val1", test2: "val2" },
    ]);
    await t.logs.send(new TagLogGroupCommand({ logGroupName: g, tags: { test3: "val3" } }));
    expect((await both())[1]).toEqual({ env: "testing1", test1: "val1", test2: "val2", test3: "val3" });
    await t.logs.send(new UntagLogGroupCommand({ logGroupName: g, tags: ["test3"] }));
    await t.logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["env", "test1"] }));
    expect(await both()).toEqual([{ test2: "val2" }, { test2: "val2" }]);
  });
});

describe("Insights queries (test_logs_queries)", () => {
  it("test_start_query_basic, test_describe_queries_empty", async () => {
    const g = await group();
    expect((await t.logs.send(new DescribeQueriesCommand({ logGroupName: g }))).queries).toEqual([]);
    const now = Math.floor(Date.now() / 1000);
    const res = await t.logs.send(new StartQueryCommand({ logGroupName: g, startTime: now - 3600, endTime: now + 300, queryString: "fields @message" }));
    expect(res.queryId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});

describe("export tasks (test_logs_export_tasks)", () => {
  beforeAll(async () => {
    await t.s3.send(new CreateBucketCommand({ Bucket: "export-bucket-rec" }));
  });

  it("test_create_export_task_bucket_not_found", async () => {
    const g = await group();
    await expectAwsError(
      t.logs.send(new CreateExportTaskCommand({ logGroupName: g, from: 1611316574, to: 1642852574, destination: "non-existent-bucket-rec" })),
      { name: "InvalidParameterException", status: 400, message: "The given bucket does not exist. Please make sure the bucket is valid." },
    );
  });

  it("test_create_export_task_log_group_not_found", async () => {
    await expectAwsError(
      t.logs.send(
        new CreateExportTaskCommand({ logGroupName: "non-existent-log-group-rec", from: 1611316574, to: 1642852574, destination: "export-bucket-rec" }),
      ),
      { name: "ResourceNotFoundException", status: 400, message: "The specified log group does not exist." },
    );
  });

  it("test_describe_export_tasks_not_found", async () => {
    expect((await t.logs.send(new DescribeExportTasksCommand({ taskId: "non-existent-task-id" }))).exportTasks).toEqual([]);
  });

  it("test_cancel_export_task_not_found", async () => {
    await expectAwsError(t.logs.send(new CancelExportTaskCommand({ taskId: "abcdefgh-ijklmnop" })), {
      name: "ResourceNotFoundException",
      status: 400,
      message: "The specified export task does not exist.",
    });
  });
});

describe("export tasks still pending (test_create_export_task_with_logs)", () => {
  let slow: AwsimServer;
  let logs: CloudWatchLogsClient;
  beforeAll(async () => {
    slow = await startServer({ transitionDelayMs: 60_000 });
    const cfg = clientConfig(slow);
    logs = new CloudWatchLogsClient(cfg);
    await new S3Client({ ...cfg, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: "test-bucket-rec" }));
  });
  afterAll(() => slow?.stop());

  it("a PENDING task's status has a code and no message; the default prefix is exportedlogs", async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: "export-pending" }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: "export-pending", logStreamName: "s" }));
    const ts = Date.now();
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: "export-pending",
        logStreamName: "s",
        logEvents: Array.from({ length: 10 }, (_, i) => ({ timestamp: ts + i * 100, message: `test message ${i}` })),
      }),
    );
    const { taskId } = await logs.send(
      new CreateExportTaskCommand({ logGroupName: "export-pending", from: ts - 86400000, to: ts + 86400000, destination: "test-bucket-rec" }),
    );
    const { exportTasks } = await logs.send(new DescribeExportTasksCommand({ taskId }));
    expect(exportTasks).toEqual([
      {
        destination: "test-bucket-rec",
        destinationPrefix: "exportedlogs",
        executionInfo: { creationTime: expect.any(Number) },
        from: ts - 86400000,
        logGroupName: "export-pending",
        status: { code: "PENDING" },
        taskId,
        to: ts + 86400000,
      },
    ]);
  });
});

describe("destinations (test_logs_destinations)", () => {
  const target = "arn:aws:kinesis:us-east-1:000000000000:stream/dest-stream-rec";
  let role: string;
  beforeAll(async () => {
    const r = await t.iam.send(
      new CreateRoleCommand({
        RoleName: "role-logs-rec",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      }),
    );
    role = r.Role!.Arn!;
  });

  it("test_put_destination, test_describe_destinations_with_prefix, test_update_destination: no tags, no policy shown", async () => {
    const put = await t.logs.send(
      new PutDestinationCommand({ destinationName: "test-destination-rec", targetArn: target, roleArn: role, tags: { Name: "x" } }),
    );
    const expected = {
      arn: "arn:aws:logs:us-east-1:000000000000:destination:test-destination-rec",
      creationTime: expect.any(Number),
      destinationName: "test-destination-rec",
      roleArn: role,
      targetArn: target,
    };
    expect(put.destination).toEqual(expected);
    expect((await t.logs.send(new DescribeDestinationsCommand({ DestinationNamePrefix: "test-destination-rec" }))).destinations).toEqual([expected]);
    await t.logs.send(new PutDestinationCommand({ destinationName: "test-destination-rec", targetArn: target, roleArn: role, tags: { tag1: "value1" } }));
    const after = (await t.logs.send(new DescribeDestinationsCommand({ DestinationNamePrefix: "test-destination-rec" }))).destinations!;
    expect(after).toEqual([{ ...expected, creationTime: put.destination!.creationTime }]);
  });

  it("test_describe_destinations_empty", async () => {
    expect((await t.logs.send(new DescribeDestinationsCommand({ DestinationNamePrefix: "non-existent-rec" }))).destinations).toEqual([]);
  });

  it("test_put_destination_policy, test_delete_destination", async () => {
    await t.logs.send(new PutDestinationCommand({ destinationName: "test-dest-pol", targetArn: target, roleArn: role }));
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: "logs.amazonaws.com" }, Action: "logs:PutSubscriptionFilter", Resource: target }],
    });
    const put = await t.logs.send(new PutDestinationPolicyCommand({ destinationName: "test-dest-pol", accessPolicy: policy }));
    expect(put.$metadata.httpStatusCode).toBe(200);
    const [d] = (await t.logs.send(new DescribeDestinationsCommand({ DestinationNamePrefix: "test-dest-pol" }))).destinations!;
    expect(JSON.parse(d!.accessPolicy!)).toEqual(JSON.parse(policy));
    expect(Object.keys(d!).sort()).toEqual(["accessPolicy", "arn", "creationTime", "destinationName", "roleArn", "targetArn"]);
    await t.logs.send(new DeleteDestinationCommand({ destinationName: "test-dest-pol" }));
    expect((await t.logs.send(new DescribeDestinationsCommand({ DestinationNamePrefix: "test-dest-pol" }))).destinations).toEqual([]);
  });

  it("test_destination_tags", async () => {
    const put = await t.logs.send(new PutDestinationCommand({ destinationName: "test-dest-tags", targetArn: target, roleArn: role, tags: { key1: "val1" } }));
    const arn = put.destination!.arn!;
    await t.logs.send(new TagResourceCommand({ resourceArn: arn, tags: { key2: "val2" } }));
    expect((await t.logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ key1: "val1", key2: "val2" });
    await t.logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["key2"] }));
    expect((await t.logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ key1: "val1" });
  });
});

describe("resource policies (test_logs_resource_policies)", () => {
  const doc = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Route53LogsToCloudWatchLogs",
        Effect: "Allow",
        Principal: { Service: ["route53.amazonaws.com"] },
        Action: "logs:PutLogEvents",
        Resource: "log_arn",
      },
    ],
  });

  it("test_describe_resource_policies: a one-service list is shown as a string, Sid and Version kept", async () => {
    for (const i of [0, 1, 2]) await t.logs.send(new PutResourcePolicyCommand({ policyName: `test-policy-desc-${i}`, policyDocument: doc }));
    const mine = (await t.logs.send(new DescribeResourcePoliciesCommand({}))).resourcePolicies!.filter((p) => p.policyName!.startsWith("test-policy-desc-"));
    expect(mine.map((p) => p.policyName)).toEqual(["test-policy-desc-0", "test-policy-desc-1", "test-policy-desc-2"]);
    for (const p of mine) {
      expect(p.policyScope).toBe("ACCOUNT");
      expect(JSON.parse(p.policyDocument!)).toEqual({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "Route53LogsToCloudWatchLogs",
            Effect: "Allow",
            Principal: { Service: "route53.amazonaws.com" },
            Action: "logs:PutLogEvents",
            Resource: "log_arn",
          },
        ],
      });
    }
  });

  it("test_put_resource_policy_limit_exceeded, test_put_resource_policy_update_existing_when_at_limit", async () => {
    const limits = await startServer();
    try {
      const logs = new CloudWatchLogsClient(clientConfig(limits));
      for (let i = 0; i < 10; i++) await logs.send(new PutResourcePolicyCommand({ policyName: `test-policy-limit-${i}`, policyDocument: doc }));
      await expectAwsError(logs.send(new PutResourcePolicyCommand({ policyName: "test-policy-limit-too-many", policyDocument: doc })), {
        name: "LimitExceededException",
        status: 400,
        message: "Resource limit exceeded.",
      });
      const update = '{"Statement":[{"Action":"logs:*","Effect":"Allow","Principal":{"Service":"logs.amazonaws.com"},"Resource":"*"}]}';
      const res = await logs.send(new PutResourcePolicyCommand({ policyName: "test-policy-limit-1", policyDocument: update }));
      expect(res.resourcePolicy!.policyDocument).toBe(update);
    } finally {
      await limits.stop();
    }
  });
});

describe("PutLogEvents' entity (API reference: Entity, RejectedEntityInfo)", () => {
  const put = (g: string, s: string, entity: { keyAttributes?: Record<string, string>; attributes?: Record<string, string> }) =>
    t.logs.send(new PutLogEventsCommand({ logGroupName: g, logStreamName: s, logEvents: [{ timestamp: Date.now(), message: "m" }], entity }));

  it("a well-formed entity is accepted without rejectedEntityInfo", async () => {
    const { g, s } = await groupAndStream();
    const res = await put(g, s, { keyAttributes: { Type: "Service", Name: "svc", Environment: "prod" }, attributes: { PlatformType: "Generic" } });
    expect(res.rejectedEntityInfo).toBeUndefined();
  });

  it("a key other than the five allowed rejects the entity, not the events", async () => {
    const { g, s } = await groupAndStream();
    const res = await put(g, s, { keyAttributes: { Type: "Service", Service: "svc" } });
    expect(res.rejectedEntityInfo).toEqual({ errorType: "InvalidKeyAttributes" });
    expect(res.rejectedLogEventsInfo).toBeUndefined();
    expect((await t.logs.send(new GetLogEventsCommand({ logGroupName: g, logStreamName: s }))).events!.map((e) => e.message)).toEqual(["m"]);
  });

  it("the map sizes and lengths are the model's constraints, refusing the request", async () => {
    const { g, s } = await groupAndStream();
    await expectAwsError(put(g, s, { keyAttributes: { Type: "Service" } }), {
      name: "InvalidParameterException",
      status: 400,
      message:
        "1 validation error detected: Value '{Type=Service}' at 'entity.keyAttributes' failed to satisfy constraint: Member must have length greater than or equal to 2",
    });
    await expectAwsError(put(g, s, { keyAttributes: { Type: "Service", Name: "a", Environment: "b", Identifier: "c", ResourceType: "d" } }), {
      name: "InvalidParameterException",
      status: 400,
      message:
        "1 validation error detected: Value '{Type=Service, Name=a, Environment=b, Identifier=c, ResourceType=d}' at 'entity.keyAttributes' failed to satisfy constraint: Member must have length less than or equal to 4",
    });
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, "v"]));
    await expectAwsError(put(g, s, { keyAttributes: { Type: "Service", Name: "a" }, attributes: eleven }), {
      name: "InvalidParameterException",
      status: 400,
      message: /at 'entity\.attributes' failed to satisfy constraint: Member must have length less than or equal to 10$/,
    });
    expect((await t.logs.send(new GetLogEventsCommand({ logGroupName: g, logStreamName: s }))).events).toEqual([]);
  });
});
