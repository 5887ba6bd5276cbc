/**
 * --max-log-events (maxLogEventsPerStream): a stream keeps at most N events, the oldest go past it; 0 keeps all.
 */
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, GetLogEventsCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { afterEach, describe, expect, it } from "vitest";
import type { AwsimServer } from "../../src/index.js";
import { clientConfig, startServer } from "../helpers.js";

let server: AwsimServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function putAndRead(max: number, count: number): Promise<string[]> {
  server = await startServer({ maxLogEventsPerStream: max });
  const logs = new CloudWatchLogsClient(clientConfig(server));
  await logs.send(new CreateLogGroupCommand({ logGroupName: "cap" }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: "cap", logStreamName: "s" }));
  const t0 = Date.now() - 60_000;
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: "cap",
      logStreamName: "s",
      logEvents: Array.from({ length: count }, (_, i) => ({ timestamp: t0 + i, message: `m${i}` })),
    }),
  );
  const out = await logs.send(new GetLogEventsCommand({ logGroupName: "cap", logStreamName: "s", startFromHead: true }));
  return (out.events ?? []).map((e) => e.message!);
}

describe("CloudWatch Logs per-stream event cap", () => {
  it("keeps the newest N events", async () => {
    expect(await putAndRead(5, 8)).toEqual(["m3", "m4", "m5", "m6", "m7"]);
  });
  it("0 keeps every event", async () => {
    expect(await putAndRead(0, 8)).toEqual(["m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7"]);
  });
});
