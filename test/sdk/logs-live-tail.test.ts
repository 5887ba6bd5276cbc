/** StartLiveTail over the real JS client: an event stream with sessionStart, then sessionUpdates carrying new events. */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  StartLiveTailCommand,
  type StartLiveTailResponseStream,
} from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StartLiveTail } from "../../src/services/logs/live-tail.js";
import { serviceByName } from "../../src/services/index.js";
import { clientConfig, expectAwsError, startServer, type AwsimServer } from "../helpers.js";

let server: AwsimServer;
let logs: CloudWatchLogsClient;
beforeAll(async () => {
  // Not routed by default yet (see src/services/logs/index.ts): route it for this test file's server.
  const def = await serviceByName("logs")!.load();
  def.operations.StartLiveTail ??= StartLiveTail;
  server = await startServer();
  // StartLiveTail has the host prefix "stream-": against a local endpoint, as for Cloud Map, turn it off.
  logs = new CloudWatchLogsClient(clientConfig(server, { disableHostPrefix: true }));
  for (const g of ["/lt/a", "/lt/b"]) {
    await logs.send(new CreateLogGroupCommand({ logGroupName: g }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: g, logStreamName: "web-1" }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: g, logStreamName: "worker-1" }));
  }
});
afterAll(() => server.stop());

describe("StartLiveTail", () => {
  it("streams sessionStart, then matching events of the tailed groups and streams", async () => {
    const arn = "arn:aws:logs:us-east-1:000000000000:log-group:/lt/a";
    const abort = new AbortController();
    const r = await logs.send(new StartLiveTailCommand({ logGroupIdentifiers: [arn], logStreamNamePrefixes: ["web"], logEventFilterPattern: "ERROR" }), {
      abortSignal: abort.signal,
    });
    const seen: string[] = [];
    let start: StartLiveTailResponseStream["sessionStart"];
    const put = async () => {
      const now = Date.now();
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: "/lt/a",
          logStreamName: "web-1",
          logEvents: [
            { timestamp: now, message: "ERROR one" },
            { timestamp: now, message: "INFO two" },
          ],
        }),
      );
      await logs.send(
        new PutLogEventsCommand({ logGroupName: "/lt/a", logStreamName: "worker-1", logEvents: [{ timestamp: now, message: "ERROR other stream" }] }),
      );
      await logs.send(
        new PutLogEventsCommand({ logGroupName: "/lt/b", logStreamName: "web-1", logEvents: [{ timestamp: now, message: "ERROR other group" }] }),
      );
    };
    let updates = 0;
    for await (const ev of r.responseStream!) {
      if (ev.sessionStart) {
        start = ev.sessionStart;
        await put();
      }
      if (ev.sessionUpdate) {
        updates++;
        for (const e of ev.sessionUpdate.sessionResults ?? []) {
          seen.push(e.message!);
          expect(e.logGroupIdentifier).toBe(arn);
          expect(e.logStreamName).toBe("web-1");
          expect(typeof e.timestamp).toBe("number");
        }
        if (seen.length || updates > 3) break;
      }
    }
    abort.abort();
    expect(start?.logGroupIdentifiers).toEqual([arn]);
    expect(start?.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen).toEqual(["ERROR one"]);
  }, 15_000);

  it("rejects unknown groups and stream filters over several groups", async () => {
    await expectAwsError(logs.send(new StartLiveTailCommand({ logGroupIdentifiers: ["/lt/none"] })), { name: "ResourceNotFoundException", status: 400 });
    await expectAwsError(logs.send(new StartLiveTailCommand({ logGroupIdentifiers: ["/lt/a", "/lt/b"], logStreamNames: ["web-1"] })), {
      name: "InvalidParameterException",
      status: 400,
    });
  });
});
