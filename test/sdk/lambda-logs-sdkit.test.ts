/**
 * Lambda and CloudWatch Logs as the SDK teams' own integration tests (run against real AWS) rely on them:
 * differences found by replaying botocore tests/integration, aws-cli tests/integration, aws-sdk-go-v2
 * integrationtest, aws-sdk-js-v3 client e2e tests and aws-sdk-java-v2 services/{lambda,cloudwatchlogs}/src/it.
 */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  GetLogEventsCommand,
  ListLogGroupsCommand,
  PutLogEventsCommand,
  StartLiveTailCommand,
  TestMetricFilterCommand,
  type StartLiveTailResponseStream,
} from "@aws-sdk/client-cloudwatch-logs";
import { AwsJson1_1Protocol, AwsSmithyRpcV2CborProtocol } from "@aws-sdk/core/protocols";
import { cbor, dateToTag } from "@smithy/core/cbor";
import { describe, expect, it } from "vitest";
import { decodeCbor, encodeCbor } from "../../src/protocols/cbor.js";
import { expectAwsError, useServer } from "../helpers.js";

describe("CloudWatch Logs over Smithy RPC v2 CBOR (aws-sdk-js-v3 clients/client-cloudwatch-logs/test/CloudWatchLogs.e2e.spec.ts)", () => {
  const sim = useServer({}, (cfg) => {
    const logs = (protocol: AwsJson1_1Protocol | AwsSmithyRpcV2CborProtocol) =>
      // StartLiveTail has the host prefix "stream-": against a local endpoint it is turned off.
      new CloudWatchLogsClient({ ...cfg, disableHostPrefix: true, protocol });
    const json = logs(new AwsJson1_1Protocol({ defaultNamespace: "com.amazonaws.cloudwatchlogs", serviceTarget: "Logs_20140328", awsQueryCompatible: false }));
    const viaCbor = logs(new AwsSmithyRpcV2CborProtocol({ defaultNamespace: "com.amazonaws.cloudwatchlogs" }));
    const seen: Record<string, string | undefined> = {};
    viaCbor.middlewareStack.add(
      (next) => async (args) => {
        const r = await next(args);
        const h = (r.response as { headers: Record<string, string> }).headers;
        seen.protocol = h["smithy-protocol"];
        seen.contentType = h["content-type"];
        return r;
      },
      { step: "deserialize", name: "captureHeaders" },
    );
    return { json, viaCbor, seen };
  });

  // "should be able to make requests with runtime protocol selection": both protocols list the same groups.
  it("answers the same ListLogGroups to a JSON 1.1 and a CBOR client, the CBOR one in CBOR", async () => {
    await sim.json.send(new CreateLogGroupCommand({ logGroupName: "sdkit-cbor-a" }));
    await sim.viaCbor.send(new CreateLogGroupCommand({ logGroupName: "sdkit-cbor-b", tags: { team: "sdk" } }));
    const a = await sim.json.send(new ListLogGroupsCommand({}));
    const b = await sim.viaCbor.send(new ListLogGroupsCommand({}));
    expect(b.$metadata.httpStatusCode).toBe(200);
    expect(sim.seen).toEqual({ protocol: "rpc-v2-cbor", contentType: "application/cbor" });
    expect(b.logGroups).toEqual(a.logGroups);
    expect(b.logGroups!.map((g) => g.logGroupName)).toEqual(["sdkit-cbor-a", "sdkit-cbor-b"]);
    expect(b.nextToken ?? "").toBeTypeOf("string");
    const one = await sim.viaCbor.send(new ListLogGroupsCommand({ limit: 1 }));
    expect(one.logGroups).toHaveLength(1);
    expect(one.nextToken).toBeTypeOf("string");
  });

  it("round-trips events, numbers and non-ASCII text, and answers errors as typed exceptions", async () => {
    await sim.viaCbor.send(new CreateLogStreamCommand({ logGroupName: "sdkit-cbor-a", logStreamName: "s" }));
    const now = Date.now();
    const put = await sim.viaCbor.send(
      new PutLogEventsCommand({
        logGroupName: "sdkit-cbor-a",
        logStreamName: "s",
        logEvents: [
          { timestamp: now, message: "héllo cbor ✓" },
          { timestamp: now + 1, message: "x".repeat(70_000) },
        ],
      }),
    );
    expect(put.rejectedLogEventsInfo).toBeUndefined();
    const got = await sim.viaCbor.send(new GetLogEventsCommand({ logGroupName: "sdkit-cbor-a", logStreamName: "s", startFromHead: true }));
    expect(got.events!.map((e) => [e.timestamp, e.message!.length])).toEqual([
      [now, 12],
      [now + 1, 70_000],
    ]);
    expect(got.events![0]!.message).toBe("héllo cbor ✓");
    const g = (await sim.viaCbor.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "sdkit-cbor-a" }))).logGroups![0]!;
    expect(g.storedBytes).toBeGreaterThan(70_000);
    expect(g.creationTime).toBeTypeOf("number");

    await expectAwsError(sim.viaCbor.send(new GetLogEventsCommand({ logGroupName: "a", logStreamName: "b" })), {
      name: "ResourceNotFoundException",
      status: 400,
      message: "The specified log group does not exist.",
    });
    await expectAwsError(sim.viaCbor.send(new CreateLogGroupCommand({ logGroupName: "sdkit-cbor-a" })), {
      name: "ResourceAlreadyExistsException",
      status: 400,
    });
    // cloudwatch-logs-features.e2e.spec.ts: an empty name is an InvalidParameterException (model validation).
    await expectAwsError(sim.viaCbor.send(new CreateLogGroupCommand({ logGroupName: "" })), { name: "InvalidParameterException", status: 400 });
  });

  // "should be able to use an event stream to tail logs": sessionStart, then sessionUpdate with sessionMetadata.
  it("streams StartLiveTail events as CBOR payloads", async () => {
    const arn = (await sim.viaCbor.send(new ListLogGroupsCommand({ limit: 1 }))).logGroups![0]!.logGroupArn!;
    const abort = new AbortController();
    const r = await sim.viaCbor.send(new StartLiveTailCommand({ logGroupIdentifiers: [arn] }), { abortSignal: abort.signal });
    const pages: StartLiveTailResponseStream[] = [];
    setTimeout(() => {
      void sim.json.send(
        new PutLogEventsCommand({ logGroupName: "sdkit-cbor-a", logStreamName: "s", logEvents: [{ timestamp: Date.now(), message: "live" }] }),
      );
    }, 200);
    try {
      for await (const page of r.responseStream!) {
        pages.push(page);
        if (page.sessionUpdate?.sessionResults?.length) break;
        if (pages.length > 6) break;
      }
    } finally {
      abort.abort();
    }
    expect(pages[0]!.sessionStart?.requestId).toBeTypeOf("string");
    expect(pages[0]!.sessionStart?.sessionId).toBeTypeOf("string");
    expect(pages[0]!.sessionStart?.logGroupIdentifiers).toEqual([arn]);
    const update = pages.at(-1)!.sessionUpdate!;
    expect(update.sessionMetadata).toEqual({ sampled: false });
    expect(update.sessionResults!.map((e) => [e.logStreamName, e.message])).toEqual([["s", "live"]]);
  }, 15_000);

  it("decodes what the SDK's CBOR serializer writes and writes what its deserializer reads", () => {
    const value = {
      small: 1,
      neg: -5,
      big: 2 ** 40,
      bigNeg: -(2 ** 40),
      frac: 1.5,
      text: "ünïcödé",
      list: [true, false, null, "x"],
      bytes: new Uint8Array([1, 2, 255]),
      nested: { deep: { er: [1, { a: "b" }] } },
    };
    expect(decodeCbor(Buffer.from(cbor.serialize({ ...value, when: dateToTag(new Date(1_700_000_000_500)) })))).toEqual({
      ...value,
      bytes: Buffer.from([1, 2, 255]).toString("base64"),
      when: 1_700_000_000.5,
    });
    const back = cbor.deserialize(encodeCbor({ ...value, when: new Date(1_700_000_000_500), gone: undefined })) as Record<string, unknown>;
    expect({ ...back, bytes: Buffer.from(back.bytes as Uint8Array) }).toEqual({
      ...value,
      bytes: Buffer.from([1, 2, 255]),
      when: expect.objectContaining({ tag: 1, value: 1_700_000_000.5 }),
    });
    expect("gone" in back).toBe(false);
  });
});

describe("CloudWatch Logs as aws-sdk-java-v2 services/cloudwatchlogs ServiceIntegrationTest uses it", () => {
  const sim = useServer({}, (cfg) => ({ logs: new CloudWatchLogsClient(cfg) }));

  // testMetricFilter: a space-delimited pattern names the extracted values "$prefix", "$timestamp", "$content".
  it("TestMetricFilter matches the first message only and extracts the named fields", async () => {
    const message = "java-integ-test [1700000000000] boom";
    const r = await sim.logs.send(
      new TestMetricFilterCommand({
        filterPattern: "[prefix=java-integ-test, timestamp, content]",
        logEventMessages: [message, "Another message with some content that does not match the filter pattern..."],
      }),
    );
    expect(r.matches).toEqual([
      { eventNumber: 1, eventMessage: message, extractedValues: { $prefix: "java-integ-test", $timestamp: "1700000000000", $content: "boom" } },
    ]);
  });

  // putLogEvents_InvalidSequenceNumber: sequence tokens are ignored since January 2023, so a wrong one is accepted.
  it("accepts a PutLogEvents with any sequenceToken", async () => {
    await sim.logs.send(new CreateLogGroupCommand({ logGroupName: "java-integ" }));
    await sim.logs.send(new CreateLogStreamCommand({ logGroupName: "java-integ", logStreamName: "s" }));
    const events = [{ timestamp: Date.now(), message: "m" }];
    await sim.logs.send(new PutLogEventsCommand({ logGroupName: "java-integ", logStreamName: "s", logEvents: events }));
    const r = await sim.logs.send(new PutLogEventsCommand({ logGroupName: "java-integ", logStreamName: "s", logEvents: events, sequenceToken: "invalid" }));
    expect(r.nextSequenceToken).toBeTypeOf("string");
  });
});
